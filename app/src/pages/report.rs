//! The six-month or annual programme report, both languages on one printable document: the agency's
//! header on every printed page (a table head, which Chromium repeats on each page), the period, the
//! date it was made, the figures, and a signature block. Checked page by page on the PDF Chromium
//! prints (end2end/tests/workspace.test.mjs).

use domain::ocop::{OcopGroup, ProducerKind};
use domain::participation::{Row, TARGET_PERCENT};
use leptos::prelude::*;

use super::dashboard::{channel_name, chart, loaded};
use crate::api::Dashboard;
use crate::format::{date_in, number_in, percent_in};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;

fn both(vi: &str, en: &str) -> String {
    format!("{vi} / {en}")
}

fn bilingual_table<F: Fn(&str) -> String>(title: String, rows: &[Row], name: F) -> impl IntoView + use<F> {
    let body = if rows.is_empty() {
        view! { <tr><td colspan="4" class="muted">{both("Chưa có số liệu trong kỳ", "No figures in the period")}</td></tr> }.into_any()
    } else {
        rows.iter()
            .map(|r| {
                view! { <tr><td>{name(&r.key)}</td><td class="num">{number_in(Lang::Vi, r.producers as i64)}</td>
                <td class="num">{number_in(Lang::Vi, r.selling as i64)}</td><td class="num">{percent_in(Lang::Vi, r.percent())}</td></tr> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="report-block">
            <h3>{title}</h3>
            <table class="report-table">
                <thead><tr><th>{both("Nhóm", "Group")}</th><th class="num">{both("Chủ thể OCOP", "OCOP producers")}</th>
                    <th class="num">{both("Đang bán", "Selling")}</th><th class="num">{both("Tỉ lệ", "Share")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
}

fn report(d: Dashboard) -> impl IntoView + use<> {
    let p = &d.participation;
    let (vi, en) = p.period.label();
    let code = p.period.code();
    let (kind_vi, kind_en) = if code.contains("-H") {
        ("6 tháng ", "six-month ")
    } else if !code.contains("..") && !code.contains("-Q") && code.len() == 4 {
        ("năm ", "annual ")
    } else {
        ("", "")
    };
    let title_vi = format!("Báo cáo {kind_vi}chương trình OCOP — {vi}");
    let title_en = format!("OCOP programme {kind_en}report — {en}");
    let verdict_vi = if p.target_met() { "đạt" } else { "chưa đạt" };
    let verdict_en = if p.target_met() { "met" } else { "not met" };
    let summary_vi = format!(
        "{} trên {} chủ thể OCOP ({}) bán qua kênh hiện đại; mục tiêu ≥ {TARGET_PERCENT}%: {verdict_vi}. Đo được từ doanh số của chợ: {}; chỉ qua kênh tự khai đã xác minh: {}; chờ xác minh (chưa tính): {}.",
        p.selling,
        p.producers,
        percent_in(Lang::Vi, p.percent()),
        p.measured,
        p.reported_only,
        p.awaiting_verification
    );
    let summary_en = format!(
        "{} of {} OCOP producers ({}) sell through modern channels; target of at least {TARGET_PERCENT}%: {verdict_en}. Measured from our own sales: {}; only through verified reported channels: {}; awaiting verification (not counted): {}.",
        p.selling,
        p.producers,
        percent_in(Lang::En, p.percent()),
        p.measured,
        p.reported_only,
        p.awaiting_verification
    );
    let targets = d
        .targets
        .iter()
        .map(|t| {
            let state = match t.met {
                Some(true) => both("Đạt", "Met"),
                Some(false) => both("Chưa đạt", "Not met"),
                None => both("Theo dõi", "Watch"),
            };
            let value = match t.figure {
                domain::targets::Figure::Count(n) => number_in(Lang::Vi, n),
                domain::targets::Figure::Percent(x) => percent_in(Lang::Vi, x),
            };
            view! { <tr id=format!("report-target-{}", t.id)><td>{t.name_vi.clone()}<br/><i>{t.name_en.clone()}</i></td>
                <td class="num">{value}</td><td>{t.target_vi.clone()}<br/><i>{t.target_en.clone()}</i></td><td>{state}</td></tr> }
        })
        .collect_view();
    let kind = |k: &str| match ProducerKind::parse(k) {
        Ok(k) => both(k.name_vi(), k.name_en()),
        Err(_) => both("Chưa rõ", "Unknown"),
    };
    let group = |k: &str| match OcopGroup::parse(k) {
        Ok(g) => both(g.name_vi(), g.name_en()),
        Err(_) => k.to_string(),
    };
    let channel = |k: &str| both(&channel_name(Lang::Vi, k), &channel_name(Lang::En, k));
    let made = d.today;
    let (from, to) = (date_in(Lang::Vi, p.period.from), date_in(Lang::Vi, p.period.to));
    let place_date =
        format!("Lâm Đồng, ngày {} tháng {} năm {}", made.format("%d"), made.format("%m"), made.format("%Y"));
    let office = d.office.clone();
    let tables = view! {
        {bilingual_table(both("Theo kênh", "By channel"), &p.by_channel, channel).into_any()}
        {bilingual_table(both("Theo loại chủ thể", "By kind of producer"), &p.by_kind, kind).into_any()}
        {bilingual_table(both("Theo hạng sao", "By star rating"), &p.by_stars, |k: &str| k.to_string()).into_any()}
        {bilingual_table(both("Theo nhóm sản phẩm OCOP", "By OCOP product group"), &p.by_group, group).into_any()}
        {bilingual_table(both("Theo huyện (trước 2025)", "By district (before 2025)"), &p.by_district, |k: &str| k.to_string()).into_any()}
    }
    .into_any();
    let signatures = view! {
        <section class="signatures" id="report-signatures">
            <div>
                <p><strong>"NGƯỜI LẬP BIỂU"</strong></p>
                <p class="muted" lang="en">"Prepared by"</p>
                <p class="sign-space">"(Ký, ghi rõ họ tên / signature and full name)"</p>
            </div>
            <div>
                <p><strong>"THỦ TRƯỞNG ĐƠN VỊ"</strong></p>
                <p class="muted" lang="en">"Head of the office"</p>
                <p class="sign-space">"(Ký, đóng dấu / signature and seal)"</p>
            </div>
        </section>
    }
    .into_any();
    let head = view! {
        <header class="report-head">
            <div class="agency">
                <p class="agency-name" id="report-agency">{office.vi.clone()}</p>
                <p class="agency-en" lang="en">{office.en.clone()}</p>
            </div>
            <div class="nation">
                <p><strong>"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</strong></p>
                <p>"Độc lập - Tự do - Hạnh phúc"</p>
                <p class="place-date" id="report-made"><i>{place_date}</i></p>
            </div>
        </header>
    }
    .into_any();
    view! {
        <p class="noprint report-tools"><a class="button ghost" href=format!("/office/dashboard?period={code}")>{both("← Bảng điều hành", "← Dashboard")}</a>
            <a class="button ghost" href=format!("/office/dashboard/export/report.xlsx?period={code}")>"XLSX"</a>
            <span class="muted">{both("In trang này (Ctrl+P) trên khổ A4", "Print this page (Ctrl+P) on A4")}</span></p>
        <table class="print-frame" id="report">
            <thead><tr><td>
                <div class="report-running" id="report-running">
                    <span>{office.vi.clone()}</span>
                    <span>{title_vi.clone()}</span>
                </div>
            </td></tr></thead>
            <tbody><tr><td>
            <article class="report">
                {head}
                <h1 id="report-title-vi">{title_vi}</h1>
                <h2 id="report-title-en" lang="en">{title_en}</h2>
                <p class="report-period" id="report-period">{format!("Kỳ báo cáo / Period: {from} – {to} · Lập ngày / Made on {}", date_in(Lang::Vi, made))}</p>
                <p id="report-summary-vi">{summary_vi}</p>
                <p id="report-summary-en" lang="en">{summary_en}</p>
                <div class="report-chart">{chart(&d.charts, "participation")}</div>
                <section class="report-block">
                    <h3>{both("Chỉ tiêu của kế hoạch", "The plan's targets")}</h3>
                    <table class="report-table" id="report-targets">
                        <thead><tr><th>{both("Chỉ tiêu", "Figure")}</th><th class="num">{both("Kết quả", "Value")}</th>
                            <th>{both("Mục tiêu", "Target")}</th><th>{both("Đánh giá", "Status")}</th></tr></thead>
                        <tbody>{targets}</tbody>
                    </table>
                </section>
                {tables}
                {signatures}
            </article>
            </td></tr></tbody>
        </table>
    }
}

/// The six-month or annual report, both languages on one printable page.
#[component]
pub fn OfficeReport() -> impl IntoView {
    let lang = use_lang();
    let period = super::period::asked();
    view! {
        <PageTitle text="Báo cáo chương trình OCOP / OCOP programme report"/>
        {loaded(lang, period, |d| report(d).into_any())}
    }
}
