//! The audit log read as sentences ("Văn phòng OCOP thu hồi giấy chứng nhận BTH-2023-014: lý do …")
//! with what changed as a list of fields, before and after, instead of raw JSON and codes.

use serde_json::Value;

/// One changed field: its name as people say it, its value before and after ("—" when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn what(entity: &str, key: &str, en: bool) -> String {
    let (vi, e) = match entity {
        "certificate" => ("giấy chứng nhận", "certificate"),
        "product" => ("sản phẩm", "product"),
        "variant" => ("quy cách", "size"),
        "stock" => ("tồn kho", "stock of"),
        "combo" => ("combo", "combo"),
        "fulfilment" => ("phần đơn hàng", "order part"),
        "channel" => ("kênh tự khai số", "reported channel no."),
        "producer" => ("chủ thể số", "producer no."),
        "user" => ("tài khoản", "account"),
        "showroom" => ("điểm bán", "showroom"),
        "device" => ("máy bán hàng số", "till no."),
        other => (other, other),
    };
    format!("{} {key}", if en { e } else { vi })
}

fn verb(action: &str, entity: &str, en: bool) -> &'static str {
    let pair = match (action, entity) {
        ("new", "certificate") => ("ghi mới", "recorded"),
        ("renewal", _) => ("ghi cấp lại", "recorded the renewal of"),
        ("upgrade", _) => ("ghi nâng hạng", "recorded the upgrade of"),
        ("revoke", _) => ("thu hồi", "revoked"),
        ("create", _) => ("tạo", "created"),
        ("update", _) => ("sửa", "changed"),
        ("received", _) => ("nhập hàng vào", "received stock into"),
        ("counted", _) => ("kiểm kê", "counted"),
        ("damaged", _) => ("ghi hư hỏng ở", "wrote off damaged"),
        ("packed", _) => ("đóng gói", "packed"),
        ("shipped", _) => ("gửi hàng", "shipped"),
        ("declare", _) => ("khai", "reported"),
        ("verified", _) => ("xác minh", "verified"),
        ("rejected", _) => ("từ chối", "rejected"),
        ("set_role", _) => ("đổi vai trò của", "changed the role of"),
        ("invite", _) => ("mời", "invited"),
        ("add_device", _) => ("thêm máy bán hàng cho", "added a till to"),
        ("revoke_device", _) => ("thu hồi", "revoked"),
        _ => ("thay đổi", "changed"),
    };
    if en { pair.1 } else { pair.0 }
}

fn field_name(field: &str, en: bool) -> String {
    let pair = match field {
        "revoke_reason" => ("lý do", "reason"),
        "revoked_on" => ("ngày thu hồi", "revoked on"),
        "stars" => ("hạng sao", "stars"),
        "score" => ("điểm", "score"),
        "decided_on" => ("ngày quyết định", "decision date"),
        "last_valid_on" | "expires_on" => ("hiệu lực đến hết ngày", "valid through"),
        "number" => ("số", "number"),
        "on_hand" => ("tồn", "on hand"),
        "price" => ("giá", "price"),
        "status" => ("trạng thái", "status"),
        "note" => ("ghi chú", "note"),
        "role" => ("vai trò", "role"),
        "producer_id" => ("chủ thể", "producer"),
        "showroom_id" => ("điểm bán", "showroom"),
        "disabled" => ("khoá", "disabled"),
        "name" | "name_vi" => ("tên", "name"),
        "name_en" => ("tên tiếng Anh", "English name"),
        "device" => ("máy", "till"),
        "tracking" => ("mã vận đơn", "tracking number"),
        "active" => ("đang bán", "on sale"),
        "address" => ("địa chỉ", "address"),
        "level" => ("cấp công nhận", "certified by"),
        "product" => ("sản phẩm", "product"),
        "components" => ("thành phần", "contents"),
        "price_vnd" => ("giá", "price"),
        "kind" => ("loại", "kind"),
        "code" => ("mã", "code"),
        "email" => ("email", "email"),
        "phone" => ("điện thoại", "phone"),
        "carrier" => ("đơn vị vận chuyển", "courier"),
        _ => return field.replace('_', " "),
    };
    (if en { pair.1 } else { pair.0 }).to_string()
}

/// Codes stored in records, as people say them.
fn word(code: &str, en: bool) -> Option<&'static str> {
    let pair = match code {
        "to_pack" => ("cần đóng gói", "to pack"),
        "packed" => ("đã đóng gói", "packed"),
        "shipped" => ("đã gửi", "shipped"),
        "pending" => ("chờ xác minh", "awaiting verification"),
        "verified" => ("đã xác minh", "verified"),
        "rejected" => ("bị từ chối", "rejected"),
        "hidden" => ("đang ẩn", "hidden"),
        "province" => ("cấp tỉnh", "province"),
        "national" => ("cấp quốc gia", "national"),
        "district" => ("cấp huyện", "district"),
        _ => return None,
    };
    Some(if en { pair.1 } else { pair.0 })
}

fn show(field: &str, v: Option<&Value>, en: bool) -> String {
    if let (true, Some(n)) = (field.starts_with("price"), v.and_then(Value::as_i64)) {
        let vnd = crate::Vnd(n).to_string();
        return if en { vnd.replace('.', ",") } else { vnd };
    }
    if let Some(w) = v.and_then(Value::as_str).and_then(|c| word(c, en)) {
        return w.to_string();
    }
    if let Some(Value::Array(parts)) = v {
        // A combo's contents: [["SKU", qty], …] as "SKU × qty, …".
        return parts
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([sku, qty]) => format!("{} × {qty}", sku.as_str().unwrap_or_default()),
                _ => p.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
    }
    if field == "role"
        && let Some(r) = v.and_then(Value::as_str).and_then(crate::account::Role::parse)
    {
        let (vi, e) = r.label();
        return (if en { e } else { vi }).to_string();
    }
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::Bool(b)) => match (en, *b) {
            (true, true) => "yes",
            (true, false) => "no",
            (false, true) => "có",
            (false, false) => "không",
        }
        .into(),
        Some(Value::String(s)) if s.is_empty() => "—".into(),
        Some(Value::String(s)) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if !en => d.format("%d/%m/%Y").to_string(),
            Ok(d) => d.format("%-d %b %Y").to_string(),
            Err(_) => s.clone(),
        },
        Some(other) => other.to_string(),
    }
}

/// What changed between two JSON snapshots (objects), in the order the fields first appear.
pub fn changes(before: &Value, after: &Value, en: bool) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let (b, a) = (before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
    keys.into_iter()
        .map(|k| Change { field: field_name(k, en), before: show(k, b.get(k), en), after: show(k, a.get(k), en) })
        .filter(|c| c.before != c.after)
        .collect()
}

/// The entry as one sentence: who did what to which record, with the reason when there is one.
pub fn sentence(actor: &str, action: &str, entity: &str, key: &str, after: &Value, en: bool) -> String {
    let mut s = format!("{actor} {} {}", verb(action, entity, en), what(entity, key, en));
    let reason =
        after.get("revoke_reason").or_else(|| after.get("note")).and_then(Value::as_str).filter(|r| !r.is_empty());
    if let Some(r) = reason {
        s.push_str(if en { ": reason " } else { ": lý do " });
        s.push_str(r);
    } else if let Some(d) = after.get("device").and_then(Value::as_str) {
        s.push_str(&format!(" “{d}”"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_revocation_reads_as_the_office_would_say_it() {
        let after = json!({"revoked_on": "2026-12-01", "revoke_reason": "không duy trì chất lượng"});
        assert_eq!(
            sentence("Văn phòng OCOP", "revoke", "certificate", "BTH-2023-014", &after, false),
            "Văn phòng OCOP thu hồi giấy chứng nhận BTH-2023-014: lý do không duy trì chất lượng"
        );
        assert_eq!(
            sentence("OCOP office", "revoke", "certificate", "BTH-2023-014", &after, true),
            "OCOP office revoked certificate BTH-2023-014: reason không duy trì chất lượng"
        );
        let diff = changes(&json!({"revoked_on": null, "revoke_reason": null}), &after, false);
        assert!(diff.contains(&Change {
            field: "ngày thu hồi".into(),
            before: "—".into(),
            after: "01/12/2026".into()
        }));
        assert!(diff.iter().any(|c| c.field == "lý do" && c.after == "không duy trì chất lượng"));
    }

    #[test]
    fn only_changed_fields_are_listed_and_codes_become_words() {
        let before = json!({"role": "shopper", "producer_id": null, "disabled": false});
        let after = json!({"role": "producer", "producer_id": 7, "disabled": false});
        let d = changes(&before, &after, false);
        assert_eq!(d.len(), 2);
        let role = d.iter().find(|c| c.field == "vai trò").unwrap();
        assert_eq!((role.before.as_str(), role.after.as_str()), ("Khách hàng", "Chủ thể OCOP"));
        assert_eq!(
            sentence("Lan", "add_device", "showroom", "SR-MUINE", &json!({"device": "Quầy 1"}), false),
            "Lan thêm máy bán hàng cho điểm bán SR-MUINE “Quầy 1”"
        );
        assert_eq!(changes(&Value::Null, &json!({"on_hand": 5}), true)[0].before, "—");
        let price = changes(&json!({"price_vnd": 65000}), &json!({"price_vnd": 72000}), false);
        assert_eq!(
            (price[0].field.as_str(), price[0].before.as_str(), price[0].after.as_str()),
            ("giá", "65.000 ₫", "72.000 ₫")
        );
        let combo =
            changes(&Value::Null, &json!({"components": [["BT0002-01", 1], ["BT0001-01", 2]], "address": ""}), false);
        assert_eq!(combo.len(), 1, "an empty field that was empty is no change");
        assert_eq!(combo[0].after, "BT0002-01 × 1, BT0001-01 × 2");
        assert_eq!(changes(&json!({"status": "to_pack"}), &json!({"status": "packed"}), false)[0].after, "đã đóng gói");
    }
}
