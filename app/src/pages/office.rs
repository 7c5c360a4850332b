//! The office's certificate page: record a new certificate, a renewal or an upgrade, and revoke one
//! with a reason. Stars on the storefront come only from these records.

use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{OfficeCert, get_office_certificates};
use crate::components::{Notice, status_name};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::encode;
use crate::i18n::{Lang, use_lang};

/// Office pages answer 403 with a sign-in link to anyone but an office account.
pub(super) fn office_only(lang: Lang) -> AnyView {
    super::set_status(403);
    view! { <p>{lang.t("Trang dành cho văn phòng OCOP. ", "For the OCOP office only. ")}
    <a href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p> }
    .into_any()
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
    // Renew and upgrade links prefill the record form.
    let (pre_product, pre_kind) = (q.get("product").unwrap_or_default(), q.get("kind").unwrap_or_default());
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Giấy chứng nhận — Văn phòng OCOP", "Certificates — OCOP office")/>
        <h1>{lang.t("Giấy chứng nhận OCOP", "OCOP certificates")}</h1>
        {notice.map(|(vi, en)| view! { <Notice kind="ok"><p>{lang.t(vi, en)}</p></Notice> })}
        <Suspense fallback=|| ()>
            {move || {
                let (s, pre_product, pre_kind) = (s.clone(), pre_product.clone(), pre_kind.clone());
                Suspend::new(async move {
                    match get_office_certificates().await {
                        Ok(None) => office_only(lang),
                        Ok(Some((certs, products, csrf))) => view! {
                            {record_form(lang, &s, products, &csrf, &pre_product, &pre_kind)}
                            {cert_table(lang, certs, &csrf)}
                        }.into_any(),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn record_form(
    lang: Lang,
    s: &FormState,
    products: Vec<(i64, String)>,
    csrf: &str,
    pre_product: &str,
    pre_kind: &str,
) -> impl IntoView + use<> {
    let chosen = s.value_or("record", "product_id", pre_product);
    let kind = s.value_or("record", "kind", if pre_kind.is_empty() { "new" } else { pre_kind });
    let options = products
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=chosen == id.to_string()>{name}</option> })
        .collect_view();
    let kinds = [("new", "Cấp mới", "New"), ("renewal", "Cấp lại", "Renewal"), ("upgrade", "Nâng hạng", "Upgrade")]
        .into_iter()
        .map(|(code, vi, en)| view! { <option value=code selected=kind == code>{lang.t(vi, en)}</option> })
        .collect_view();
    let s = s.for_form("record");
    view! {
        <details open=s.form.is_some() || !pre_product.is_empty() id="record">
            <summary>{lang.t("Ghi giấy chứng nhận", "Record a certificate")}</summary>
            {other_errors(lang, &s, &["product_id", "kind", "number", "stars", "score", "decided_on"])}
            <form method="post" action="/office/certificates" class="checkout-form" id="record-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <label for="product_id">{lang.t("Sản phẩm", "Product")}</label>
                <select id="product_id" name="product_id">{options}</select>
                {error_for(lang, &s, "product_id")}
                <label for="kind">{lang.t("Loại", "Kind")}</label>
                <select id="kind" name="kind">{kinds}</select>
                {error_for(lang, &s, "kind")}
                <label for="number">{lang.t("Số quyết định / giấy chứng nhận", "Decision / certificate number")}</label>
                <input id="number" name="number" value=s.value("number") maxlength="64" required/>
                {error_for(lang, &s, "number")}
                <label for="stars">{lang.t("Hạng sao", "Stars")}</label>
                <select id="stars" name="stars">
                    {["3", "4", "5"].into_iter().map(|n| view! { <option value=n selected=s.value("stars") == n>{n}"★"</option> }).collect_view()}
                </select>
                {error_for(lang, &s, "stars")}
                <label for="score">{lang.t("Điểm (nếu có)", "Score (if known)")}</label>
                <input id="score" name="score" value=s.value("score") inputmode="numeric" maxlength="3"/>
                {error_for(lang, &s, "score")}
                <label for="decided_on">{lang.t("Ngày quyết định", "Decision date")}</label>
                <input id="decided_on" name="decided_on" type="date" value=s.value("decided_on") required/>
                {error_for(lang, &s, "decided_on")}
                <button type="submit" class="button primary">{lang.t("Ghi", "Record")}</button>
            </form>
        </details>
    }
}

fn cert_table(lang: Lang, certs: Vec<OfficeCert>, csrf: &str) -> impl IntoView + use<> {
    let rows = certs
        .into_iter()
        .map(|c| {
            let action = match c.revoked.clone() {
                Some(r) => view! { <span class="muted">{lang.t("Đã thu hồi ", "Revoked ")}{r}</span> }.into_any(),
                None => view! {
                    <form method="post" action=format!("/office/certificates/{}/revoke", encode(&c.number)) class="add-form">
                        <input type="hidden" name="csrf" value=csrf.to_string()/>
                        <input name="reason" maxlength="500" required placeholder=lang.t("Lý do thu hồi", "Reason")
                            aria-label=format!("{} {}", lang.t("Lý do thu hồi", "Reason to revoke"), c.number)/>
                        <button type="submit" class="button ghost">{lang.t("Thu hồi", "Revoke")}</button>
                    </form>
                    <a href=format!("/office/certificates?product={}&kind=renewal#record", c.product_id)>{lang.t("Cấp lại", "Renew")}</a>" · "
                    <a href=format!("/office/certificates?product={}&kind=upgrade#record", c.product_id)>{lang.t("Nâng hạng", "Upgrade")}</a>
                }
                .into_any(),
            };
            view! {
                <tr id=format!("cert-{}", c.number)>
                    <td class="mono">{c.number.clone()}</td><td>{c.product.clone()}</td><td>{c.stars}"★"</td>
                    <td>{status_name(lang, c.status)}{c.expires.clone().map(|e| format!(" · {e}"))}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap"><table class="cart" id="certificates">
            <thead><tr><th>{lang.t("Số", "Number")}</th><th>{lang.t("Sản phẩm", "Product")}</th><th>{lang.t("Hạng", "Stars")}</th>
                <th>{lang.t("Tình trạng · hết hạn", "Status · expires")}</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}
