//! The public trace page a batch's QR label opens (through its GS1 Digital Link): what the product
//! is, who made it where, when, from what, the certificate it carried when made and carries today,
//! its quality tests, and a recall when there is one, first and unmissable.

use domain::certificate::CertStatus;
use domain::listing::CertView;
use domain::trace::RecallStatus;
use domain::trace::records::TraceView;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::batches::{inputs_table, tests_table};

use crate::format::{at_in, date_in, encode};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::trace_api::get_trace;

fn cert_line(lang: Lang, c: &Option<CertView>) -> AnyView {
    match c {
        Some(c) => {
            let ok = c.status.shows_badge();
            let (vi, en) = (c.status.name_vi(), c.status.name_en());
            view! {
                <span class=if ok { "pill ok" } else { "pill recall-open" }>{format!("{}★ · {}", c.stars, lang.t(vi, en))}</span>
                " " <a href=format!("/verify/{}", encode(&c.number))>{c.number.clone()}</a>
            }
            .into_any()
        }
        None => view! { <span class="muted">{lang.t("Chưa có giấy chứng nhận OCOP", "No OCOP certificate")}</span> }
            .into_any(),
    }
}

fn body(lang: Lang, t: TraceView) -> impl IntoView {
    let name = lang.pick(&t.product_name_vi, &t.product_name_en).to_string();
    let size = lang.pick(&t.size_vi, &t.size_en).to_string();
    // Made while certified, and the certificate has ended since: say so, lest the pill alarm.
    let ended_since = t.cert_at_production.as_ref().is_some_and(|c| c.status.shows_badge())
        && t.cert_today.as_ref().is_some_and(|c| c.status == CertStatus::Expired);
    let recall = t.recall.clone().map(|r| {
        let open = r.status == RecallStatus::Open;
        view! {
            <div class=if open { "notice recall" } else { "notice warn" } role="alert" id="recall">
                <h2>{if open { lang.t("LÔ NÀY ĐANG BỊ THU HỒI", "THIS BATCH IS BEING RECALLED") } else { lang.t("Lô này đã bị thu hồi", "This batch was recalled") }}</h2>
                <p>{lang.t("Lý do: ", "Reason: ")}{r.reason.clone()}</p>
                {open.then(|| view! { <p><strong>{lang.t("Vui lòng không sử dụng. Liên hệ nơi bán để được hoàn tiền hoặc đổi hàng.", "Please do not use it. Contact the seller for a refund or a replacement.")}</strong></p> })}
                <p class="small">{lang.t("Mở lúc ", "Opened ")}{at_in(lang, r.opened_at)}
                    {r.closed_at.map(|c| format!(" · {}{}", lang.t("kết thúc ", "closed "), at_in(lang, c)))}</p>
            </div>
        }
    });
    let producer = t.producer.clone();
    view! {
        <article class="trace">
            {recall}
            <div class=if t.photo.is_some() { "trace-head" } else { "trace-head no-photo" }>
                {t.photo.clone().map(|src| view! { <img src=src alt=name.clone() width="120" height="120"/> })}
                <div>
                    <p class="muted small">{lang.t("Truy xuất nguồn gốc", "Product trace")}" · GS1 Digital Link"</p>
                    <h1><a href=format!("/products/{}", t.product_slug)>{name.clone()}</a></h1>
                    <p>{size}" · "<span class="mono">{lang.t("Lô ", "Batch ")}{t.code.clone()}</span></p>
                </div>
            </div>
            <section class="panel">
                <dl class="facts">
                    <dt>{lang.t("Ngày sản xuất", "Produced")}</dt><dd id="produced">{date_in(lang, t.produced_on)}</dd>
                    <dt>{lang.t("Hạn sử dụng", "Best before")}</dt><dd id="expires">{t.expires_on.map(|d| date_in(lang, d)).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{lang.t("Chủ thể sản xuất", "Producer")}</dt>
                    <dd>{producer.as_ref().map(|p| view! { <a href=format!("/producers/{}", p.slug)>{p.name.clone()}</a> })}</dd>
                    <dt>{lang.t("Nơi sản xuất", "Made in")}</dt>
                    <dd>{producer.as_ref().map(|p| {
                        let mut parts: Vec<String> = Vec::new();
                        if let Some(c) = &p.commune { parts.push(c.clone()); }
                        if let Some(d) = &p.district { parts.push(format!("{d} {}", lang.t("(huyện cũ)", "(former district)"))); }
                        parts.push(p.province.clone());
                        parts.join(", ")
                    })}</dd>
                    <dt>{lang.t("OCOP khi sản xuất", "OCOP when made")}</dt><dd id="cert-then">{cert_line(lang, &t.cert_at_production)}</dd>
                    <dt>{lang.t("OCOP hôm nay", "OCOP today")}</dt><dd id="cert-now">{cert_line(lang, &t.cert_today)}
                        {ended_since.then(|| view! { <br/><span class="muted small">{lang.t("Giấy chứng nhận đã hết hạn; lô vẫn được sản xuất khi còn hiệu lực.", "The certificate has ended; the batch was made while it was valid.")}</span> })}</dd>
                    <dt>"GTIN"</dt><dd class="mono">{t.gtin.clone()}</dd>
                </dl>
            </section>
            <section class="panel">
                <h2>{lang.t("Nguyên liệu đầu vào (một bước trước)", "Inputs (one step back)")}</h2>
                {inputs_table(lang, &t)}
            </section>
            <section class="panel">
                <h2>{lang.t("Kiểm nghiệm chất lượng", "Quality tests")}</h2>
                {tests_table(lang, &t)}
            </section>
            {(!t.documents.is_empty()).then(|| view! {
                <section class="panel" id="documents">
                    <h2>{lang.t("Ảnh, giấy tờ", "Photos and papers")}</h2>
                    {super::batches::documents_list(lang, &t)}
                </section>
            })}
            <p class="muted small">{lang.t("Thông tin do chủ thể sản xuất công bố, theo Thông tư 02/2024/TT-BKHCN.", "Published by the producer, following Circular 02/2024/TT-BKHCN.")}</p>
        </article>
    }
}

#[component]
pub fn TracePage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    view! {
        <PageTitle text=lang.t("Truy xuất nguồn gốc lô sản phẩm", "Batch trace")/>
        {super::record_page(move || get_trace(id), move |(t, _base): (TraceView, String)| body(lang, t))}
    }
}
