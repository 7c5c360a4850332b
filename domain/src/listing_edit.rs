//! What a producer may type about a product, a variant or a stock change, checked once here for the
//! portal's forms and the CSV import alike. Every refusal names its field in both languages.

use serde::{Deserialize, Serialize};

use crate::address::FieldError;
use crate::barcode::validate_ean13;
use crate::ocop::OcopGroup;

fn err(field: &str, vi: &str, en: &str) -> FieldError {
    FieldError { field: field.into(), message_vi: vi.into(), message_en: en.into() }
}

fn text(field: &str, raw: &str, min: usize, max: usize, errors: &mut Vec<FieldError>, vi: &str, en: &str) -> String {
    let t = raw.trim().to_string();
    let n = t.chars().count();
    if n < min || n > max {
        errors.push(err(field, vi, en));
    }
    t
}

/// Both names of a product or combo: Vietnamese first, English for tourists, 2-200 characters each.
fn names(vi: &str, en: &str, e: &mut Vec<FieldError>) -> (String, String) {
    let vi = text(
        "name_vi",
        vi,
        2,
        200,
        e,
        "Tên tiếng Việt cần 2–200 ký tự.",
        "The Vietnamese name needs 2-200 characters.",
    );
    let en =
        text("name_en", en, 2, 200, e, "Tên tiếng Anh cần 2–200 ký tự.", "The English name needs 2-200 characters.");
    (vi, en)
}

/// The product fields as posted; every field defaults to empty so a missing one is a field error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub group: String,
    pub category: String,
    /// `active` (listed) or `hidden`.
    pub status: String,
    /// `goods`, `service` or `transport` (Decree 117 rates); empty: from the OCOP group.
    pub tax_kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub group: OcopGroup,
    pub category: String,
    pub listed: bool,
    /// Set by hand; None follows the OCOP group.
    pub tax_kind: Option<crate::tax::TaxKind>,
}

impl ProductForm {
    pub fn parse(&self) -> Result<ProductInput, Vec<FieldError>> {
        let mut e = Vec::new();
        let (name_vi, name_en) = names(&self.name_vi, &self.name_en, &mut e);
        let description_vi = text(
            "description_vi",
            &self.description_vi,
            0,
            5000,
            &mut e,
            "Mô tả tiếng Việt tối đa 5.000 ký tự.",
            "The Vietnamese description is at most 5,000 characters.",
        );
        let description_en = text(
            "description_en",
            &self.description_en,
            0,
            5000,
            &mut e,
            "Mô tả tiếng Anh tối đa 5.000 ký tự.",
            "The English description is at most 5,000 characters.",
        );
        let category = text(
            "category",
            &self.category,
            2,
            100,
            &mut e,
            "Loại sản phẩm cần 2–100 ký tự (ví dụ: Nước mắm).",
            "The category needs 2-100 characters (for example: Nước mắm).",
        );
        let group = OcopGroup::parse(self.group.trim()).ok();
        if group.is_none() {
            e.push(err("group", "Chọn một nhóm sản phẩm OCOP.", "Choose an OCOP product group."));
        }
        let listed = match self.status.trim() {
            "" | "active" => true,
            "hidden" => false,
            _ => {
                e.push(err("status", "Trạng thái là “active” hoặc “hidden”.", "The status is “active” or “hidden”."));
                true
            }
        };
        let tax_kind = match self.tax_kind.trim() {
            "" => None,
            k => match crate::tax::TaxKind::parse(k).filter(|k| *k != crate::tax::TaxKind::Unknown) {
                Some(k) => Some(k),
                None => {
                    e.push(err(
                        "tax_kind",
                        "Loại doanh thu là hàng hoá, dịch vụ hoặc vận tải.",
                        "The tax kind is goods, services or transport.",
                    ));
                    None
                }
            },
        };
        match group {
            Some(group) if e.is_empty() => {
                Ok(ProductInput { name_vi, name_en, description_vi, description_en, group, category, listed, tax_kind })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantForm {
    pub sku: String,
    pub barcode: String,
    pub size_vi: String,
    pub size_en: String,
    pub price: String,
    /// Checkbox: present (any value) means on sale; absent means off sale.
    pub active: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantInput {
    pub sku: String,
    pub barcode: Option<String>,
    pub size_vi: String,
    pub size_en: String,
    pub price_vnd: i64,
    pub active: bool,
}

/// The product CSV's columns, in order: one row per size; rows sharing `product_slug` are one product.
pub const CSV_COLUMNS: [&str; 14] = [
    "product_slug",
    "name_vi",
    "name_en",
    "group",
    "category",
    "description_vi",
    "description_en",
    "status",
    "sku",
    "barcode",
    "size_vi",
    "size_en",
    "price_vnd",
    "active",
];

/// Columns a file may leave out: a file without them keeps what the products have.
pub const CSV_OPTIONAL: [&str; 1] = ["tax_kind"];

/// The most a single unit may cost: a guard against a mistyped extra zero or three.
pub const MAX_PRICE_VND: i64 = 1_000_000_000;

/// "115000", "115.000", "115,000", "115 000 ₫" and "115.000đ" all mean 115 000 đồng; decimals do not exist.
pub fn parse_price(raw: &str) -> Option<i64> {
    let t = raw.trim().trim_end_matches(['₫', 'đ', 'd', 'Đ']).trim().replace(['.', ',', ' ', '\u{a0}'], "");
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 12 {
        return None;
    }
    t.parse::<i64>().ok().filter(|p| *p <= MAX_PRICE_VND)
}

impl VariantForm {
    pub fn parse(&self) -> Result<VariantInput, Vec<FieldError>> {
        let mut e = Vec::new();
        let sku = self.sku.trim().to_uppercase();
        let sku_ok = (2..=40).contains(&sku.len())
            && sku.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !sku_ok {
            e.push(err(
                "sku",
                "Mã SKU cần 2–40 ký tự: chữ không dấu, số, “-”, “_” hoặc “.”.",
                "The SKU needs 2-40 characters: letters, digits, “-”, “_” or “.”.",
            ));
        }
        let barcode: String = self.barcode.chars().filter(|c| !c.is_whitespace()).collect();
        let barcode = if barcode.is_empty() {
            None
        } else {
            if let Err(why) = validate_ean13(&barcode) {
                let msg = why.to_string();
                let (vi, en) = msg.split_once(" / ").unwrap_or((&msg, &msg));
                e.push(err("barcode", &format!("Mã vạch: {vi}."), &format!("Barcode: {en}.")));
            }
            Some(barcode)
        };
        let size_vi = text(
            "size_vi",
            &self.size_vi,
            1,
            100,
            &mut e,
            "Quy cách tiếng Việt cần 1–100 ký tự (ví dụ: Chai 500 ml).",
            "The Vietnamese size needs 1-100 characters (for example: Chai 500 ml).",
        );
        let size_en = self.size_en.trim().to_string();
        let size_en = if size_en.is_empty() { size_vi.clone() } else { size_en };
        if size_en.chars().count() > 100 {
            e.push(err(
                "size_en",
                "Quy cách tiếng Anh tối đa 100 ký tự.",
                "The English size is at most 100 characters.",
            ));
        }
        let price = parse_price(&self.price);
        if price.is_none() {
            e.push(err(
                "price",
                "Giá là số đồng, từ 0 đến 1.000.000.000 (ví dụ: 115.000).",
                "The price is in đồng, from 0 to 1,000,000,000 (for example: 115.000).",
            ));
        }
        match price {
            Some(price_vnd) if e.is_empty() => {
                Ok(VariantInput { sku, barcode, size_vi, size_en, price_vnd, active: self.active.is_some() })
            }
            _ => Err(e),
        }
    }
}

/// How many component rows the combo form offers.
pub const COMBO_ROWS: usize = 6;

/// A gift combo as its form posts it: components are typed as SKU and quantity, one per row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComboForm {
    pub name_vi: String,
    pub name_en: String,
    pub story_vi: String,
    pub story_en: String,
    pub price: String,
    pub active: Option<String>,
    pub sku_1: String,
    pub qty_1: String,
    pub sku_2: String,
    pub qty_2: String,
    pub sku_3: String,
    pub qty_3: String,
    pub sku_4: String,
    pub qty_4: String,
    pub sku_5: String,
    pub qty_5: String,
    pub sku_6: String,
    pub qty_6: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComboInput {
    pub name_vi: String,
    pub name_en: String,
    pub story_vi: String,
    pub story_en: String,
    pub price_vnd: i64,
    pub active: bool,
    /// (SKU, quantity), each SKU once.
    pub components: Vec<(String, i32)>,
}

impl ComboForm {
    fn rows_mut(&mut self) -> [(&mut String, &mut String); COMBO_ROWS] {
        [
            (&mut self.sku_1, &mut self.qty_1),
            (&mut self.sku_2, &mut self.qty_2),
            (&mut self.sku_3, &mut self.qty_3),
            (&mut self.sku_4, &mut self.qty_4),
            (&mut self.sku_5, &mut self.qty_5),
            (&mut self.sku_6, &mut self.qty_6),
        ]
    }

    /// The picker's "add": one more of a size already in the combo, else the size in the first free
    /// row. False when every row is taken.
    pub fn add_part(&mut self, sku: &str) -> bool {
        let sku = sku.trim().to_uppercase();
        if sku.is_empty() {
            return false;
        }
        let mut rows = self.rows_mut();
        if let Some((_, qty)) = rows.iter_mut().find(|(s, _)| s.trim().eq_ignore_ascii_case(&sku)) {
            let n = qty.trim().parse::<u32>().unwrap_or(1);
            **qty = (n + 1).min(99).to_string();
            return true;
        }
        match rows.iter_mut().find(|(s, _)| s.trim().is_empty()) {
            Some((s, qty)) => {
                **s = sku;
                **qty = "1".into();
                true
            }
            None => false,
        }
    }

    /// The picker's "remove" of row `n` (1-based): the rows below move up, so the parts stay together.
    pub fn remove_part(&mut self, n: usize) {
        let mut kept: Vec<(String, String)> = self
            .rows()
            .iter()
            .enumerate()
            .filter(|(i, (sku, _))| i + 1 != n && !sku.trim().is_empty())
            .map(|(_, (s, q))| (s.to_string(), q.to_string()))
            .collect();
        kept.resize(COMBO_ROWS, (String::new(), String::new()));
        for ((s, q), (ks, kq)) in self.rows_mut().into_iter().zip(kept) {
            *s = ks;
            *q = kq;
        }
    }

    pub fn rows(&self) -> [(&str, &str); COMBO_ROWS] {
        [
            (&self.sku_1, &self.qty_1),
            (&self.sku_2, &self.qty_2),
            (&self.sku_3, &self.qty_3),
            (&self.sku_4, &self.qty_4),
            (&self.sku_5, &self.qty_5),
            (&self.sku_6, &self.qty_6),
        ]
    }

    pub fn parse(&self) -> Result<ComboInput, Vec<FieldError>> {
        let mut e = Vec::new();
        let (name_vi, name_en) = names(&self.name_vi, &self.name_en, &mut e);
        let story_vi = text(
            "story_vi",
            &self.story_vi,
            10,
            3000,
            &mut e,
            "Câu chuyện tiếng Việt cần 10–3.000 ký tự.",
            "The Vietnamese story needs 10-3,000 characters.",
        );
        let story_en = text(
            "story_en",
            &self.story_en,
            0,
            3000,
            &mut e,
            "Câu chuyện tiếng Anh tối đa 3.000 ký tự.",
            "The English story is at most 3,000 characters.",
        );
        let price = parse_price(&self.price).filter(|p| *p > 0);
        if price.is_none() {
            e.push(err("price", "Giá combo là số đồng lớn hơn 0.", "The combo price is a number of đồng above 0."));
        }
        let mut components: Vec<(String, i32)> = Vec::new();
        for (i, (sku, qty)) in self.rows().into_iter().enumerate() {
            let sku = sku.trim().to_uppercase();
            if sku.is_empty() {
                continue;
            }
            let field = format!("sku_{}", i + 1);
            match qty.trim().parse::<i32>().ok().filter(|q| (1..=20).contains(q)) {
                _ if components.iter().any(|(s, _)| *s == sku) => {
                    e.push(err(&field, "Mỗi SKU chỉ một dòng.", "Each SKU on one row only."))
                }
                Some(q) => components.push((sku, q)),
                None => e.push(err(&field, "Số lượng từ 1 đến 20.", "A quantity from 1 to 20.")),
            }
        }
        if components.is_empty() {
            e.push(err("sku_1", "Combo cần ít nhất một sản phẩm.", "A combo needs at least one product."));
        }
        match price {
            Some(price_vnd) if e.is_empty() => Ok(ComboInput {
                name_vi,
                name_en,
                story_vi,
                story_en,
                price_vnd,
                active: self.active.is_some(),
                components,
            }),
            _ => Err(e),
        }
    }
}

/// Why stock changed, as the movement ledger records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockReason {
    /// Goods arrived: the quantity is added.
    Received,
    /// A count: the quantity is what is on the shelf now.
    Counted,
    /// Broken, spoilt or lost: the quantity is taken away.
    Damaged,
}

impl StockReason {
    pub fn code(self) -> &'static str {
        match self {
            StockReason::Received => "received",
            StockReason::Counted => "counted",
            StockReason::Damaged => "damaged",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [StockReason::Received, StockReason::Counted, StockReason::Damaged].into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            StockReason::Received => ("Nhập hàng", "Received"),
            StockReason::Counted => ("Kiểm kê", "Counted"),
            StockReason::Damaged => ("Hư hỏng", "Damaged"),
        }
    }
}

/// At most this many units move in one change: a scanner typing a barcode into the quantity field is caught.
pub const MAX_STOCK_QTY: i64 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockRefusal {
    BadQuantity,
    /// The change would leave fewer on hand than open orders hold.
    BelowReserved {
        reserved: i64,
    },
    /// More taken away than there is.
    BelowZero {
        on_hand: i64,
    },
    NoChange,
}

impl StockRefusal {
    pub fn field_error(&self) -> FieldError {
        match self {
            StockRefusal::BadQuantity => err(
                "qty",
                "Số lượng là số nguyên từ 0 đến 100.000.",
                "The quantity is a whole number from 0 to 100,000.",
            ),
            StockRefusal::BelowReserved { reserved } => err(
                "qty",
                &format!("Đơn hàng đang giữ {reserved} sản phẩm; tồn kho không thể thấp hơn."),
                &format!("Open orders hold {reserved} units; stock cannot go below that."),
            ),
            StockRefusal::BelowZero { on_hand } => err(
                "qty",
                &format!("Chỉ có {on_hand} sản phẩm; không thể bớt nhiều hơn."),
                &format!("There are only {on_hand}; no more can be taken away."),
            ),
            StockRefusal::NoChange => {
                err("qty", "Số lượng không đổi, không có gì để ghi.", "Nothing changes, so nothing was recorded.")
            }
        }
    }
}

/// The ledger delta for a change at a location holding `on_hand`, `reserved` of them for orders.
pub fn stock_delta(reason: StockReason, raw_qty: &str, on_hand: i64, reserved: i64) -> Result<i64, StockRefusal> {
    let qty: i64 = raw_qty.trim().parse().map_err(|_| StockRefusal::BadQuantity)?;
    if !(0..=MAX_STOCK_QTY).contains(&qty) {
        return Err(StockRefusal::BadQuantity);
    }
    let delta = match reason {
        StockReason::Received => qty,
        StockReason::Counted => qty - on_hand,
        StockReason::Damaged => -qty,
    };
    if delta == 0 {
        return Err(StockRefusal::NoChange);
    }
    if on_hand + delta < 0 {
        return Err(StockRefusal::BelowZero { on_hand });
    }
    if on_hand + delta < reserved {
        return Err(StockRefusal::BelowReserved { reserved });
    }
    Ok(delta)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_picker_adds_counts_and_removes_parts_in_order() {
        let mut f = ComboForm::default();
        assert!(f.add_part("bt0001-01") && f.add_part("NM-500") && f.add_part("BT0001-01"));
        assert_eq!(f.rows()[0], ("BT0001-01", "2"), "a second add is one more of it");
        assert_eq!(f.rows()[1], ("NM-500", "1"));
        f.remove_part(1);
        assert_eq!(f.rows()[0], ("NM-500", "1"), "the rows below move up");
        assert_eq!(f.rows()[1], ("", ""));
        for i in 0..5 {
            assert!(f.add_part(&format!("S{i}")));
        }
        assert!(!f.add_part("ONE-TOO-MANY"), "six rows at most");
        assert!(!f.add_part("  "));
    }

    use super::*;

    fn fields(e: Vec<FieldError>) -> Vec<String> {
        e.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_product_needs_both_names_a_group_and_a_category() {
        let ok = ProductForm {
            name_vi: " Nước mắm Cá Cơm 40 độ đạm ".into(),
            name_en: "Anchovy fish sauce 40N".into(),
            group: "food".into(),
            category: "Nước mắm".into(),
            ..Default::default()
        };
        let p = ok.parse().unwrap();
        assert_eq!(p.name_vi, "Nước mắm Cá Cơm 40 độ đạm", "trimmed, diacritics kept");
        assert_eq!(p.group, OcopGroup::Food);
        assert!(p.listed);
        let bad =
            ProductForm { name_vi: "N".into(), group: "fish".into(), status: "gone".into(), ..Default::default() };
        assert_eq!(fields(bad.parse().unwrap_err()), ["name_vi", "name_en", "category", "group", "status"]);
    }

    #[test]
    fn prices_are_whole_dong_however_they_are_grouped() {
        for (raw, want) in [
            ("115000", Some(115_000)),
            ("115.000", Some(115_000)),
            ("115,000", Some(115_000)),
            ("115 000 ₫", Some(115_000)),
            ("115.000đ", Some(115_000)),
            ("0", Some(0)),
            ("-5", None),
            ("12.5k", None),
            ("", None),
            ("1000000001", None),
        ] {
            assert_eq!(parse_price(raw), want, "{raw}");
        }
    }

    #[test]
    fn a_variant_barcode_must_be_a_valid_ean13() {
        let mut f = VariantForm {
            sku: "ncd-500".into(),
            barcode: "8935049500017".into(),
            size_vi: "Chai 500 ml".into(),
            price: "115.000".into(),
            active: Some("on".into()),
            ..Default::default()
        };
        let bad = f.parse().unwrap_err();
        assert_eq!(fields(bad.clone()), ["barcode"]);
        assert!(bad[0].message_en.contains("check digit"), "{:?}", bad[0]);
        f.barcode = "8934588012228".into();
        let v = f.parse().unwrap();
        assert_eq!((v.sku.as_str(), v.price_vnd, v.active), ("NCD-500", 115_000, true));
        assert_eq!(v.size_en, "Chai 500 ml", "English size falls back to the Vietnamese");
        f.barcode = String::new();
        f.active = None;
        let v = f.parse().unwrap();
        assert_eq!((v.barcode, v.active), (None, false));
        f.sku = "NƯỚC MẮM".into();
        assert_eq!(fields(f.parse().unwrap_err()), ["sku"]);
    }

    #[test]
    fn a_combo_needs_components_each_once_with_sensible_quantities() {
        let mut f = ComboForm {
            name_vi: "Quà Phan Thiết".into(),
            name_en: "Phan Thiết gift".into(),
            story_vi: "Hương vị biển Phan Thiết trong một hộp quà.".into(),
            price: "350.000".into(),
            active: Some("on".into()),
            sku_1: "ncd-500".into(),
            qty_1: "2".into(),
            sku_3: "TL-1KG".into(),
            qty_3: "1".into(),
            ..Default::default()
        };
        let c = f.parse().unwrap();
        assert_eq!(c.components, [("NCD-500".to_string(), 2), ("TL-1KG".to_string(), 1)]);
        assert_eq!(c.price_vnd, 350_000);
        f.sku_2 = "NCD-500".into();
        f.qty_2 = "1".into();
        f.qty_3 = "0".into();
        assert_eq!(fields(f.parse().unwrap_err()), ["sku_2", "sku_3"]);
        let empty = ComboForm { price: "0".into(), ..Default::default() };
        assert_eq!(fields(empty.parse().unwrap_err()), ["name_vi", "name_en", "story_vi", "price", "sku_1"]);
    }

    #[test]
    fn stock_changes_follow_their_reason_and_never_undercut_open_orders() {
        assert_eq!(stock_delta(StockReason::Received, "12", 5, 0), Ok(12));
        assert_eq!(stock_delta(StockReason::Counted, "3", 5, 0), Ok(-2));
        assert_eq!(stock_delta(StockReason::Damaged, "1", 5, 0), Ok(-1));
        assert_eq!(stock_delta(StockReason::Counted, "5", 5, 0), Err(StockRefusal::NoChange));
        assert_eq!(stock_delta(StockReason::Damaged, "3", 5, 4), Err(StockRefusal::BelowReserved { reserved: 4 }));
        assert_eq!(stock_delta(StockReason::Damaged, "6", 5, 0), Err(StockRefusal::BelowZero { on_hand: 5 }));
        assert_eq!(stock_delta(StockReason::Received, "-3", 5, 0), Err(StockRefusal::BadQuantity));
        assert_eq!(stock_delta(StockReason::Received, "8934588012228", 5, 0), Err(StockRefusal::BadQuantity));
    }
}
