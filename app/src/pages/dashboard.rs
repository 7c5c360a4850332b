//! The programme dashboard: participation in modern channels against the plan's 50% target for a
//! half-year, a year or any period, with its breakdowns and the producers not yet in any channel.

use crate::raw_text::PageTitle;
use domain::ocop::{OcopGroup, ProducerKind};
use domain::participation::{Channel, Participation, Row, TARGET_PERCENT};
use domain::settlement::channel_label;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{Dashboard, get_participation};
use crate::i18n::{Lang, use_lang};

pub(super) fn pick(lang: Lang, vi: String, en: String) -> String {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// A measured channel as people name it (the statement page's names too).
pub(super) fn measured_channel(lang: Lang, c: &Channel) -> String {
    let (vi, en) = channel_label(c);
    pick(lang, vi, en)
}

fn channel_name(lang: Lang, key: &str) -> String {
    match key.split_once(':') {
        None => measured_channel(lang, &Channel::Online),
        Some(("showroom", code)) => measured_channel(lang, &Channel::Showroom(code.to_string())),
        Some((_, "supermarket")) => {
            lang.t("Siêu thị (tự khai, đã xác minh)", "Supermarkets (reported, verified)").into()
        }
        Some((_, kind)) => {
            pick(lang, format!("Sàn TMĐT khác: {kind} (đã xác minh)"), format!("Other platforms: {kind} (verified)"))
        }
    }
}

fn kind_name(lang: Lang, key: &str) -> String {
    match ProducerKind::parse(key) {
        Ok(k) => lang.t(k.name_vi(), k.name_en()).to_string(),
        Err(_) => lang.t("Chưa rõ", "Unknown").to_string(),
    }
}

fn group_name(lang: Lang, key: &str) -> String {
    match OcopGroup::parse(key) {
        Ok(g) => lang.t(g.name_vi(), g.name_en()).to_string(),
        Err(_) => key.to_string(),
    }
}

/// The chart drawn for a table, placed beside it.
fn chart(charts: &[(String, String)], id: &str) -> impl IntoView + use<> {
    let svg = charts.iter().find(|(k, _)| k == id).map(|(_, s)| s.clone()).unwrap_or_default();
    // trusted-html: plotters' SVG, which escapes every label it writes (see `charts`).
    (!svg.is_empty()).then(|| view! { <figure class="chart" id=format!("chart-{id}") inner_html=svg></figure> })
}

fn table<F: Fn(&str) -> String>(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    rows: &[Row],
    name: F,
    charts: &[(String, String)],
    period: &str,
) -> impl IntoView + use<F> {
    let drawn = chart(charts, id);
    let csv = format!("/office/dashboard/export/{id}.csv?period={period}");
    let xlsx = format!("/office/dashboard/export/{id}.xlsx?period={period}");
    let body = rows
        .iter()
        .map(|r| {
            view! { <tr><td>{name(&r.key)}</td><td class="num">{r.producers}</td><td class="num">{r.selling}</td>
            <td class="num">{format!("{:.1}%", r.percent())}</td></tr> }
        })
        .collect_view();
    view! {
        <h3>{title}" "<small><a href=csv>"CSV"</a>" · "<a href=xlsx>"XLSX"</a></small></h3>
        <div class="chart-row">{drawn}<div class="table-wrap"><table class="cart" id=id>
            <thead><tr><th>{lang.t("Nhóm", "Group")}</th><th class="num">{lang.t("Chủ thể OCOP", "OCOP producers")}</th>
                <th class="num">{lang.t("Đang bán", "Selling")}</th><th class="num">"%"</th></tr></thead>
            <tbody>{body}</tbody>
        </table></div></div>
    }
}

fn figures(lang: Lang, p: Participation, charts: &[(String, String)]) -> impl IntoView + use<> {
    let overall = chart(charts, "participation");
    let code = p.period.code();
    let (label_vi, label_en) = p.period.label();
    let met = p.target_met();
    let headline = format!("{:.1}%", p.percent());
    let of = pick(
        lang,
        format!("{} / {} chủ thể OCOP bán qua kênh hiện đại", p.selling, p.producers),
        format!("{} of {} OCOP producers sell through modern channels", p.selling, p.producers),
    );
    let verdict = match (met, lang) {
        (true, Lang::Vi) => format!("Đạt mục tiêu ≥ {TARGET_PERCENT}%"),
        (true, Lang::En) => format!("Target of at least {TARGET_PERCENT}% met"),
        (false, Lang::Vi) => format!("Chưa đạt mục tiêu ≥ {TARGET_PERCENT}%"),
        (false, Lang::En) => format!("Below the target of {TARGET_PERCENT}%"),
    };
    let split = pick(
        lang,
        format!(
            "Đo được từ doanh số của chợ: {}; chỉ qua kênh tự khai đã xác minh: {}; kênh tự khai chờ xác minh (chưa tính): {}",
            p.measured, p.reported_only, p.awaiting_verification
        ),
        format!(
            "Measured from our own sales: {}; only through verified reported channels: {}; reports awaiting verification (not counted): {}",
            p.measured, p.reported_only, p.awaiting_verification
        ),
    );
    let not_yet = p
        .not_yet
        .iter()
        .map(|x| {
            let kind = kind_name(lang, x.kind.as_deref().unwrap_or(""));
            view! { <li>{format!("{} · {kind} · {}", x.name, x.district.clone().unwrap_or_default())}</li> }
        })
        .collect_view();
    view! {
        <section class="variant" id="participation">
            <h2>{pick(lang, format!("Tham gia kênh hiện đại — {label_vi}"), format!("Modern-channel participation — {label_en}"))}</h2>
            <p class="big" id="participation-percent">{headline}</p>
            <p id="participation-count">{of}</p>
            <p id="participation-target" class=if met { "ok" } else { "warn" }>{verdict}</p>
            <p class="muted" id="participation-split">{split}</p>
            {overall}
        </section>
        {table(lang, "by-channel", lang.t("Theo kênh", "By channel"), &p.by_channel, move |k| channel_name(lang, k), charts, &code)}
        {table(lang, "by-kind", lang.t("Theo loại chủ thể", "By kind of producer"), &p.by_kind, move |k| kind_name(lang, k), charts, &code)}
        {table(lang, "by-stars", lang.t("Theo hạng sao", "By star rating"), &p.by_stars, |k| k.to_string(), charts, &code)}
        {table(lang, "by-group", lang.t("Theo nhóm sản phẩm OCOP (một chủ thể có thể thuộc nhiều nhóm)", "By OCOP product group (a producer may be in several)"), &p.by_group, move |k| group_name(lang, k), charts, &code)}
        {table(lang, "by-district", lang.t("Theo huyện (trước 2025)", "By district (before 2025)"), &p.by_district, |k| k.to_string(), charts, &code)}
        {table(lang, "by-commune", lang.t("Theo xã/phường hiện nay", "By current commune"), &p.by_commune, |k| k.to_string(), charts, &code)}
        <h3>{lang.t("Chủ thể OCOP chưa bán qua kênh hiện đại nào", "OCOP producers in no modern channel yet")}</h3>
        <ul id="not-yet">{not_yet}</ul>
    }
}

fn dashboard(lang: Lang, d: Dashboard) -> impl IntoView + use<> {
    let showroom_chart = chart(&d.charts, "showroom-sales");
    let rows = d
        .targets
        .iter()
        .map(|t| {
            let (state, class) = match t.met {
                Some(true) => (lang.t("Đạt", "Met"), "ok"),
                Some(false) => (lang.t("Chưa đạt", "Not met"), "warn"),
                None => (lang.t("Theo dõi", "Watch"), "muted"),
            };
            view! {
                <tr id=format!("target-{}", t.id)>
                    <td>{pick(lang, t.name_vi.clone(), t.name_en.clone())}</td>
                    <td class="num">{t.value.clone()}</td>
                    <td>{pick(lang, t.target_vi.clone(), t.target_en.clone())}</td>
                    <td class=class>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let showrooms = d
        .counts
        .showrooms
        .iter()
        .map(|s| {
            view! { <tr><td>{format!("{} · {}", s.name, s.code)}</td><td class="num">{s.sales}</td>
            <td class="num">{domain::money::Vnd(s.value).to_string()}</td></tr> }
        })
        .collect_view();
    view! {
        {figures(lang, d.participation, &d.charts)}
        <h2>{lang.t("Các chỉ tiêu khác của kế hoạch", "The plan's other targets")}</h2>
        <div class="table-wrap"><table class="cart" id="targets">
            <thead><tr><th>{lang.t("Chỉ tiêu", "Figure")}</th><th class="num">{lang.t("Kết quả", "Value")}</th>
                <th>{lang.t("Mục tiêu", "Target")}</th><th>{lang.t("Đánh giá", "Status")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <h3>{lang.t("Doanh số theo điểm bán", "Sales per showroom")}</h3>
        {showroom_chart}
        <div class="table-wrap"><table class="cart" id="showroom-sales">
            <thead><tr><th>{lang.t("Điểm bán", "Showroom")}</th><th class="num">{lang.t("Lần bán (trừ hoàn)", "Sales (less refunds)")}</th>
                <th class="num">{lang.t("Giá trị", "Value")}</th></tr></thead>
            <tbody>{showrooms}</tbody>
        </table></div>
    }
}

#[component]
pub fn OfficeDashboard() -> impl IntoView {
    let lang = use_lang();
    let period = use_query_map().read_untracked().get("period").unwrap_or_default();
    let typed = period.clone();
    let typed_link = period.clone();
    let typed_report = period.clone();
    view! {
        <PageTitle text=lang.t("Bảng điều hành — Văn phòng OCOP", "Programme dashboard — OCOP office")/>
        <h1>{lang.t("Bảng điều hành chương trình OCOP", "OCOP programme dashboard")}</h1>
        <p><a href="/office">{lang.t("← Văn phòng OCOP", "← OCOP office")}</a></p>
        {period_form(lang, "/office/dashboard".into(), typed)}
        <p><a class="button ghost" id="report-xlsx" href=format!("/office/dashboard/export/report.xlsx?period={}", typed_link)>
            {lang.t("Tải cả báo cáo (XLSX)", "Download the whole report (XLSX)")}</a>" "
            <a class="button ghost" id="report-page" href=format!("/office/report?period={}", typed_report)>
            {lang.t("Báo cáo để in (song ngữ)", "Printable report (bilingual)")}</a></p>
        {loaded(lang, period, move |d| dashboard(lang, d).into_any())}
    }
}

/// Asks for a period by GET, so the chosen period is in the address and can be bookmarked or shared.
pub(super) fn period_form(lang: Lang, action: String, typed: String) -> impl IntoView {
    view! {
        <form method="get" action=action class="add-form">
            <label for="period">{lang.t("Kỳ (2026-H1, 2026-H2, 2026 hoặc 2026-01-01..2026-03-31)", "Period (2026-H1, 2026-H2, 2026 or 2026-01-01..2026-03-31)")}</label>
            <input id="period" name="period" value=typed placeholder="2026-H2"/>
            <button type="submit" class="button">{lang.t("Xem", "Show")}</button>
        </form>
    }
}

/// The period's figures, loaded for an office session and drawn by `render`; a bad period is a 400.
fn loaded(
    lang: Lang,
    period: String,
    render: impl Fn(Dashboard) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (period, render) = (period.clone(), render.clone());
                Suspend::new(async move {
                    match get_participation(period).await {
                        Ok(Some(Ok(d))) => render(d),
                        Ok(Some(Err(msg))) => {
                            super::set_status(400);
                            view! { <p class="error" id="period-error">{msg}</p> }.into_any()
                        }
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn both(vi: &str, en: &str) -> String {
    format!("{vi} / {en}")
}

fn bilingual_table<F: Fn(&str) -> String>(title: String, rows: &[Row], name: F) -> impl IntoView + use<F> {
    let body = rows
        .iter()
        .map(|r| {
            view! { <tr><td>{name(&r.key)}</td><td class="num">{r.producers}</td><td class="num">{r.selling}</td>
            <td class="num">{format!("{:.1}%", r.percent())}</td></tr> }
        })
        .collect_view();
    view! {
        <h3>{title}</h3>
        <table class="report-table">
            <thead><tr><th>{both("Nhóm", "Group")}</th><th class="num">{both("Chủ thể OCOP", "OCOP producers")}</th>
                <th class="num">{both("Đang bán", "Selling")}</th><th class="num">"%"</th></tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

fn report(d: Dashboard) -> impl IntoView + use<> {
    let p = &d.participation;
    let (vi, en) = p.period.label();
    let code = p.period.code();
    let (kind_vi, kind_en) = if code.contains("-H") {
        ("6 tháng ", "six-month ")
    } else if !code.contains("..") {
        ("năm ", "annual ")
    } else {
        ("", "")
    };
    let title_vi = format!("Báo cáo {kind_vi}chương trình OCOP — {vi}");
    let title_en = format!("OCOP programme {kind_en}report — {en}");
    let verdict_vi = if p.target_met() { "đạt" } else { "chưa đạt" };
    let verdict_en = if p.target_met() { "met" } else { "not met" };
    let summary_vi = format!(
        "{} trên {} chủ thể OCOP ({:.1}%) bán qua kênh hiện đại; mục tiêu ≥ {TARGET_PERCENT}%: {verdict_vi}. Đo được từ doanh số của chợ: {}; chỉ qua kênh tự khai đã xác minh: {}; chờ xác minh (chưa tính): {}.",
        p.selling,
        p.producers,
        p.percent(),
        p.measured,
        p.reported_only,
        p.awaiting_verification
    );
    let summary_en = format!(
        "{} of {} OCOP producers ({:.1}%) sell through modern channels; target of at least {TARGET_PERCENT}%: {verdict_en}. Measured from our own sales: {}; only through verified reported channels: {}; awaiting verification (not counted): {}.",
        p.selling,
        p.producers,
        p.percent(),
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
            view! { <tr id=format!("report-target-{}", t.id)><td>{t.name_vi.clone()}<br/><i>{t.name_en.clone()}</i></td>
                <td class="num">{t.value.clone()}</td><td>{t.target_vi.clone()}<br/><i>{t.target_en.clone()}</i></td><td>{state}</td></tr> }
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
    let chart_of = |id: &str| chart(&d.charts, id);
    view! {
        <article class="report" id="report">
            <p class="noprint"><a href="/office/dashboard">{both("← Bảng điều hành", "← Dashboard")}</a>" "
                <a href=format!("/office/dashboard/export/report.xlsx?period={}", p.period.code())>"XLSX"</a></p>
            <h1 id="report-title-vi">{title_vi}</h1>
            <h2 id="report-title-en" lang="en">{title_en}</h2>
            <p id="report-summary-vi">{summary_vi}</p>
            <p id="report-summary-en" lang="en">{summary_en}</p>
            {chart_of("participation")}
            <h3>{both("Chỉ tiêu của kế hoạch", "The plan's targets")}</h3>
            <table class="report-table" id="report-targets">
                <thead><tr><th>{both("Chỉ tiêu", "Figure")}</th><th class="num">{both("Kết quả", "Value")}</th>
                    <th>{both("Mục tiêu", "Target")}</th><th>{both("Đánh giá", "Status")}</th></tr></thead>
                <tbody>{targets}</tbody>
            </table>
            {bilingual_table(both("Theo kênh", "By channel"), &p.by_channel, channel)}
            {chart_of("by-kind")}
            {bilingual_table(both("Theo loại chủ thể", "By kind of producer"), &p.by_kind, kind)}
            {bilingual_table(both("Theo hạng sao", "By star rating"), &p.by_stars, |k: &str| k.to_string())}
            {bilingual_table(both("Theo nhóm sản phẩm OCOP", "By OCOP product group"), &p.by_group, group)}
            {bilingual_table(both("Theo huyện (trước 2025)", "By district (before 2025)"), &p.by_district, |k: &str| k.to_string())}
        </article>
    }
}

/// The six-month or annual report, both languages on one printable page.
#[component]
pub fn OfficeReport() -> impl IntoView {
    let lang = use_lang();
    let period = use_query_map().read_untracked().get("period").unwrap_or_default();
    view! {
        <PageTitle text="Báo cáo chương trình OCOP / OCOP programme report"/>
        {loaded(lang, period, |d| report(d).into_any())}
    }
}
