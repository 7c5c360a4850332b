//! The audit log read as sentences, with what changed, searchable and filtered by kind of record.

use leptos::prelude::*;

use crate::api::get_audit;
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools, pager};

const AUDIT: &str = "/office/audit";

const AUDIT_FILTERS: [(&str, &str, &str); 8] = [
    ("certificate", "Giấy chứng nhận", "Certificates"),
    ("product", "Sản phẩm", "Products"),
    ("stock", "Tồn kho", "Stock"),
    ("fulfilment", "Đơn hàng", "Orders"),
    ("producer", "Chủ thể", "Producers"),
    ("user", "Tài khoản", "Users"),
    ("showroom", "Điểm bán", "Showrooms"),
    ("channel", "Kênh tự khai", "Channels"),
];

#[component]
pub fn OfficeAudit() -> impl IntoView {
    let lang = use_lang();
    let q = ListQuery::from_url();
    let rows = crate::once::once(get_audit(q.filter.clone()));
    view! {
        <PageTitle text=lang.t("Nhật ký — Văn phòng OCOP", "Audit log — OCOP office")/>
        <WsHead title=lang.t("Nhật ký thay đổi", "Audit log")
            lead=lang.t("Ai đã thay đổi gì, khi nào: 1.000 thay đổi gần nhất.", "Who changed what, and when: the latest 1,000 changes.")/>
        <Suspense fallback=|| ()>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match rows.await {
                        Ok(Some(rows)) => audit_list(lang, rows, &q).into_any(),
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn audit_list(lang: Lang, rows: Vec<domain::portal::AuditRow>, q: &ListQuery) -> impl IntoView + use<> {
    use domain::audit_text::{changes, sentence};
    let en = lang == Lang::En;
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or(serde_json::Value::Null);
    let entries: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let (before, after) = (parse(&r.before), parse(&r.after));
            let text = sentence(&r.actor, &r.action, &r.entity, &r.key, &after, en);
            let diff = changes(&before, &after, en);
            (r.at, text, diff)
        })
        .filter(|(_, text, _)| q.matches(&[text]))
        .collect();
    let total = entries.len();
    let (page, pages) = q.page_of(entries);
    let body = if page.is_empty() {
        view! { <EmptyState title=lang.t("Chưa có thay đổi nào khớp.", "No change matches.")
            hint=lang.t("Mọi thay đổi của văn phòng và chủ thể được ghi ở đây.", "Every change by the office and producers is written here.")/> }.into_any()
    } else {
        let items = page.into_iter().map(|(at, text, diff)| {
            let diff = (!diff.is_empty()).then(|| {
                let rows = diff.into_iter().map(|c| view! {
                    <tr><th scope="row">{c.field}</th><td class="before"><del>{c.before}</del></td><td class="after"><ins>{c.after}</ins></td></tr>
                }).collect_view();
                view! { <table class="diff"><tbody>{rows}</tbody></table> }
            });
            view! { <li><time>{at}</time><p class="audit-text">{text}</p>{diff}</li> }
        }).collect_view();
        view! { <ol class="audit" id="audit">{items}</ol>{pager(lang, AUDIT, q, total, pages)} }.into_any()
    };
    view! {
        {list_tools(lang, AUDIT, q, lang.t("Số giấy chứng nhận, tên, mã…", "Certificate number, name, code…"), &AUDIT_FILTERS)}
        {body}
    }
}
