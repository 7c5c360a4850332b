//! The office's certificates: a searchable, filterable list; recording a new certificate, a renewal
//! (prefilled from the current certificate) or an upgrade; and revoking one from a confirmation page
//! that says what will change. Stars on the storefront come only from these records.

use domain::certificate::CertStatus;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{OfficeCert, get_office_certificates};
use crate::components::{Notice, last_valid_text, stars_text, status_name};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::{date, encode, number};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::{PageTitle, TextArea};
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools, pager, sort_th};

/// Office pages answer 403 with a sign-in link to anyone but an office account.
pub(super) fn office_only(lang: Lang) -> AnyView {
    super::set_status(403);
    view! {
        <section class="empty">
            <h1>{lang.t("Trang dành cho văn phòng OCOP", "For the OCOP office only")}</h1>
            <p>{lang.t("Tài khoản này không có quyền xem trang này.", "This account may not see this page.")}</p>
            <p class="actions"><a class="button" href="/account/sign-in">{lang.t("Đăng nhập tài khoản văn phòng", "Sign in with an office account")}</a></p>
        </section>
    }
    .into_any()
}

const PATH: &str = "/office/certificates";

const FILTERS: [(&str, &str, &str); 5] = [
    ("valid", "Còn hiệu lực", "Valid"),
    ("expiring", "Sắp hết hiệu lực", "Ending soon"),
    ("expired", "Hết hiệu lực", "Expired"),
    ("revoked", "Đã thu hồi", "Revoked"),
    ("check", "Cần xác minh", "To check"),
];

fn in_filter(filter: &str, s: CertStatus) -> bool {
    match filter {
        "valid" => s.shows_badge(),
        "expiring" => s == CertStatus::Expiring,
        "expired" => s == CertStatus::Expired,
        "revoked" => s == CertStatus::Revoked,
        "check" => matches!(s, CertStatus::Unconfirmed | CertStatus::Undated),
        _ => true,
    }
}

#[component]
pub fn OfficeCertificates() -> impl IntoView {
    let lang = use_lang();
    let q = use_query_map().read_untracked().clone();
    let notice = match q.get("notice").as_deref() {
        Some("revoked") => Some(("Đã thu hồi giấy chứng nhận.", "Certificate revoked.")),
        Some("recorded") => Some(("Đã ghi giấy chứng nhận.", "Certificate recorded.")),
        _ => None,
    };
    // Renew and upgrade links prefill the record form from the product's current certificate.
    let (pre_product, pre_kind) = (q.get("product").unwrap_or_default(), q.get("kind").unwrap_or_default());
    let list = ListQuery::from_url();
    let s = form_state();
    let certificates = crate::once::once(get_office_certificates());
    view! {
        <PageTitle text=lang.t("Giấy chứng nhận — Văn phòng OCOP", "Certificates — OCOP office")/>
        {notice.map(|(vi, en)| view! { <Notice kind="ok"><p>{lang.t(vi, en)}</p></Notice> })}
        <Suspense fallback=|| ()>
            {move || {
                let (s, pre_product, pre_kind, list) = (s.clone(), pre_product.clone(), pre_kind.clone(), list.clone());
                Suspend::new(async move {
                    match certificates.await {
                        Ok(None) => office_only(lang),
                        Ok(Some((certs, products, csrf))) => view! {
                            <WsHead title=lang.t("Giấy chứng nhận OCOP", "OCOP certificates")
                                lead=lang.t("Sao trên chợ chỉ đến từ các bản ghi này.", "Stars on the market come only from these records.")>
                                <a class="button" href="#record">{lang.t("Ghi giấy chứng nhận", "Record a certificate")}</a>
                            </WsHead>
                            {cert_table(lang, &certs, &list)}
                            {record_form(lang, &s, products, &certs, &csrf, &pre_product, &pre_kind)}
                        }.into_any(),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The stars a renewal or an upgrade starts from: the product's newest certificate's (one more for
/// an upgrade), so "Cấp lại" for a 5★ product does not offer 3★.
fn prefilled_stars(certs: &[OfficeCert], product: &str, kind: &str) -> Option<i32> {
    let current = certs
        .iter()
        .filter(|c| c.product_id.to_string() == product && c.revoked_on.is_none())
        .max_by_key(|c| c.decided_on)?;
    Some(if kind == "upgrade" { (current.stars + 1).min(5) } else { current.stars })
}

fn record_form(
    lang: Lang,
    s: &FormState,
    products: Vec<(i64, String)>,
    certs: &[OfficeCert],
    csrf: &str,
    pre_product: &str,
    pre_kind: &str,
) -> impl IntoView + use<> {
    let chosen = s.value_or("record", "product_id", pre_product);
    let kind = s.value_or("record", "kind", if pre_kind.is_empty() { "new" } else { pre_kind });
    let pre_stars = prefilled_stars(certs, pre_product, pre_kind).map(|n| n.to_string()).unwrap_or_else(|| "3".into());
    let stars = s.value_or("record", "stars", &pre_stars);
    let options = products
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=chosen == id.to_string()>{name}</option> })
        .collect_view();
    let kinds = [("new", "Cấp mới", "New"), ("renewal", "Cấp lại", "Renewal"), ("upgrade", "Nâng hạng", "Upgrade")]
        .into_iter()
        .map(|(code, vi, en)| view! { <option value=code selected=kind == code>{lang.t(vi, en)}</option> })
        .collect_view();
    let s = s.for_form("record");
    let open = s.form.is_some() || !pre_product.is_empty();
    view! {
        <section class="panel" id="record">
        <details open=open>
            <summary><h2 class="inline">{lang.t("Ghi giấy chứng nhận", "Record a certificate")}</h2></summary>
            <p class="muted">{lang.t(
                "Giấy chứng nhận có hiệu lực 36 tháng: đến hết ngày tương ứng của tháng thứ 36 sau ngày quyết định.",
                "A certificate is valid for 36 months: through the same day of the 36th month after the decision.")}</p>
            {other_errors(lang, &s, &["product_id", "kind", "number", "stars", "score", "decided_on"])}
            <form method="post" action="/office/certificates" class="checkout-form form-grid" id="record-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <div class="wide">
                    <label for="product_id">{lang.t("Sản phẩm", "Product")}</label>
                    <select id="product_id" name="product_id">{options}</select>
                    {error_for(lang, &s, "product_id")}
                </div>
                <div>
                    <label for="kind">{lang.t("Loại", "Kind")}</label>
                    <select id="kind" name="kind">{kinds}</select>
                    {error_for(lang, &s, "kind")}
                </div>
                <div>
                    <label for="number">{lang.t("Số quyết định / giấy chứng nhận", "Decision / certificate number")}</label>
                    <input id="number" name="number" value=s.value("number") maxlength="64" required/>
                    {error_for(lang, &s, "number")}
                </div>
                <div>
                    <label for="stars">{lang.t("Hạng sao", "Stars")}</label>
                    <select id="stars" name="stars">
                        {["3", "4", "5"].into_iter().map(|n| view! { <option value=n selected=stars == n>{n}"★"</option> }).collect_view()}
                    </select>
                    {error_for(lang, &s, "stars")}
                </div>
                <div>
                    <label for="score">{lang.t("Điểm (nếu có)", "Score (if known)")}</label>
                    <input id="score" name="score" value=s.value("score") inputmode="numeric" maxlength="3"/>
                    {error_for(lang, &s, "score")}
                </div>
                <div>
                    <label for="decided_on">{lang.t("Ngày quyết định", "Decision date")}</label>
                    <input id="decided_on" name="decided_on" type="date" value=s.value("decided_on") required/>
                    {error_for(lang, &s, "decided_on")}
                </div>
                <div class="wide"><button type="submit" class="button primary">{lang.t("Ghi", "Record")}</button></div>
            </form>
        </details>
        </section>
    }
}

fn cert_table(lang: Lang, certs: &[OfficeCert], q: &ListQuery) -> impl IntoView + use<> {
    let mut rows: Vec<&OfficeCert> = certs
        .iter()
        .filter(|c| in_filter(&q.filter, c.status))
        .filter(|c| q.matches(&[&c.number, &c.product, &c.producer]))
        .collect();
    q.sort(&mut rows, |key, a, b| match key {
        "product" => a.product.cmp(&b.product),
        "stars" => a.stars.cmp(&b.stars),
        "valid" => a.last_valid_day_range.cmp(&b.last_valid_day_range),
        "status" => a.status.code().cmp(b.status.code()),
        _ => a.number.cmp(&b.number),
    });
    let total = rows.len();
    let (page, pages) = q.page_of(rows);
    let counts = FILTERS.iter().map(|(code, _, _)| certs.iter().filter(|c| in_filter(code, c.status)).count());
    let summary = FILTERS
        .iter()
        .zip(counts)
        .map(|((_, vi, en), n)| format!("{}: {}", lang.t(vi, en), number(n as i64)))
        .collect::<Vec<_>>()
        .join(" · ");
    let body = if page.is_empty() {
        view! {
            <EmptyState title=lang.t("Không có giấy chứng nhận nào khớp.", "No certificate matches.")
                hint=lang.t("Thử bỏ bộ lọc hoặc tìm theo số, tên sản phẩm hay chủ thể.", "Try without the filter, or search by number, product or producer.")>
                <a class="button ghost" href=PATH>{lang.t("Xem tất cả", "Show all")}</a>
            </EmptyState>
        }
        .into_any()
    } else {
        let rows = page.into_iter().map(|c| cert_row(lang, c)).collect_view();
        view! {
            <div class="table-wrap"><table class="data" id="certificates">
                <thead><tr>
                    {sort_th(lang, PATH, q, "number", "Số", "Number", false)}
                    {sort_th(lang, PATH, q, "product", "Sản phẩm", "Product", false)}
                    {sort_th(lang, PATH, q, "stars", "Hạng", "Stars", false)}
                    {sort_th(lang, PATH, q, "status", "Tình trạng", "Status", false)}
                    {sort_th(lang, PATH, q, "valid", "Hiệu lực đến hết ngày", "Valid through", false)}
                    <th scope="col"><span class="sr-only">{lang.t("Thao tác", "Actions")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            {pager(lang, PATH, q, total, pages)}
        }
        .into_any()
    };
    view! {
        {list_tools(lang, PATH, q, lang.t("Số, sản phẩm, chủ thể…", "Number, product, producer…"), &FILTERS)}
        <p class="muted small" id="cert-counts">{summary}</p>
        {body}
    }
}

fn cert_row(lang: Lang, c: &OfficeCert) -> impl IntoView + use<> {
    let actions = if c.revoked_on.is_some() {
        view! { <span class="muted">{c.revoke_reason.clone().unwrap_or_default()}</span> }.into_any()
    } else {
        view! {
            <a href=format!("{PATH}?product={}&kind=renewal#record", c.product_id)>{lang.t("Cấp lại", "Renew")}</a>
            {(c.stars < 5).then(|| view! { <a href=format!("{PATH}?product={}&kind=upgrade#record", c.product_id)>{lang.t("Nâng hạng", "Upgrade")}</a> })}
            {(c.status != CertStatus::Expired).then(|| view! {
                <a class="danger" href=format!("{PATH}/{}/revoke", encode(&c.number))>{lang.t("Thu hồi…", "Revoke…")}</a>
            })}
        }
        .into_any()
    };
    let status_note = c.revoked_on.map(|d| format!(" {}", date(d)));
    view! {
        <tr id=format!("cert-{}", c.number)>
            <td class="mono">{c.number.clone()}</td>
            <td>{c.product.clone()}<br/><span class="muted small">{c.producer.clone()}</span></td>
            <td class="stars">{stars_text(c.stars.clamp(0, 5) as u8)}</td>
            <td><span class=format!("pill {}", c.status.code())>{status_name(lang, c.status)}{status_note}</span></td>
            <td>{last_valid_text(lang, c.last_valid_day_range)}</td>
            <td class="row-actions">{actions}</td>
        </tr>
    }
}

/// Revoking is final: the page says what it takes away before the button does it.
#[component]
pub fn RevokePage() -> impl IntoView {
    let lang = use_lang();
    let number = use_params_map().read_untracked().get("number").unwrap_or_default();
    let s = form_state().for_form("revoke");
    let certificates = crate::once::once(get_office_certificates());
    view! {
        <PageTitle text=lang.t("Thu hồi giấy chứng nhận — Văn phòng OCOP", "Revoke a certificate — OCOP office")/>
        <Suspense fallback=|| ()>
            {move || {
                let (number, s) = (number.clone(), s.clone());
                Suspend::new(async move {
                    match certificates.await {
                        Ok(None) => office_only(lang),
                        Ok(Some((certs, _, csrf))) => match certs.into_iter().find(|c| c.number == number) {
                            None => view! { <super::NotFound/> }.into_any(),
                            Some(c) => revoke_confirmation(lang, c, &csrf, &s).into_any(),
                        },
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn revoke_confirmation(lang: Lang, c: OfficeCert, csrf: &str, s: &FormState) -> impl IntoView + use<> {
    if let Some(on) = c.revoked_on {
        return view! {
            <WsHead title=format!("{} {}", lang.t("Giấy chứng nhận", "Certificate"), c.number)/>
            <Notice kind="warn"><p>{lang.t("Giấy chứng nhận này đã bị thu hồi ngày ", "This certificate was revoked on ")}{date(on)}"."</p></Notice>
            <p><a href=PATH>{lang.t("← Danh sách giấy chứng nhận", "← Certificates")}</a></p>
        }
        .into_any();
    }
    let changes = match lang {
        Lang::Vi => vec![
            format!("Sản phẩm “{}” mất huy hiệu {}★ trên chợ, trong kết quả tìm kiếm và trên máy bán hàng ở lần đồng bộ tới.", c.product, c.stars),
            format!("Trang kiểm tra /verify/{} ghi “Đã thu hồi” từ hôm nay, kèm lý do.", c.number),
            format!("Hiệu lực đến hết ngày {} không còn áp dụng; chủ thể “{}” được báo trong cổng chủ thể.", last_valid_text(lang, c.last_valid_day_range), c.producer),
            "Đơn hàng và doanh số đã có giữ nguyên. Việc thu hồi được ghi vào nhật ký và không hoàn tác được: muốn công nhận lại phải ghi giấy chứng nhận mới.".to_string(),
        ],
        Lang::En => vec![
            format!("“{}” loses its {}★ badge on the market, in search results and on the tills at their next sync.", c.product, c.stars),
            format!("The verification page /verify/{} reads “Revoked” from today, with the reason.", c.number),
            format!("Its validity through {} no longer applies; the producer “{}” sees it in the portal.", last_valid_text(lang, c.last_valid_day_range), c.producer),
            "Orders and sales already made stay as they are. The revocation is audited and cannot be undone: certifying again takes a new certificate.".to_string(),
        ],
    };
    let changes = changes.into_iter().map(|t| view! { <li>{t}</li> }).collect_view();
    view! {
        <WsHead title=format!("{} {}", lang.t("Thu hồi giấy chứng nhận", "Revoke certificate"), c.number)
            lead=format!("{} · {} · {}★", c.product, c.producer, c.stars)/>
        <section class="panel danger-zone">
            <h2>{lang.t("Điều sẽ thay đổi", "What will change")}</h2>
            <ul id="revoke-changes">{changes}</ul>
            <form method="post" action=format!("{PATH}/{}/revoke", encode(&c.number)) class="checkout-form" id="revoke-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <label for="reason">{lang.t("Lý do thu hồi (người mua sẽ thấy)", "Reason (shoppers will see it)")}</label>
                <TextArea id="reason" value=s.value("reason") maxlength=500 rows=3/>
                {error_for(lang, s, "reason")}
                <div class="actions">
                    <button type="submit" class="button danger">{lang.t("Thu hồi giấy chứng nhận", "Revoke the certificate")}</button>
                    <a class="button ghost" href=PATH>{lang.t("Không, quay lại", "No, go back")}</a>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(product_id: i64, stars: i32, decided: &str, revoked: bool) -> OfficeCert {
        OfficeCert {
            number: format!("N-{decided}"),
            product_id,
            product: "p".into(),
            producer: "q".into(),
            stars,
            score: None,
            kind: "new".into(),
            status: CertStatus::Valid,
            decided_on: chrono::NaiveDate::parse_from_str(decided, "%Y-%m-%d").ok(),
            last_valid_day_range: None,
            revoked_on: revoked.then(|| chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            revoke_reason: None,
        }
    }

    #[test]
    fn renewal_starts_from_the_current_certificates_stars() {
        let certs = [cert(7, 3, "2020-05-01", false), cert(7, 5, "2024-05-01", false), cert(8, 4, "2025-01-01", true)];
        assert_eq!(prefilled_stars(&certs, "7", "renewal"), Some(5));
        assert_eq!(prefilled_stars(&certs, "7", "upgrade"), Some(5), "never past 5★");
        assert_eq!(prefilled_stars(&certs, "8", "renewal"), None, "a revoked certificate is not a base");
        assert_eq!(prefilled_stars(&[cert(9, 3, "2024-01-01", false)], "9", "upgrade"), Some(4));
    }
}
