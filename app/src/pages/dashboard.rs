//! The programme dashboard: participation in modern channels against the plan's 50% target for a
//! half-year, a year or any period, with its breakdowns and the producers not yet in any channel.

use crate::raw_text::PageTitle;
use domain::ocop::{OcopGroup, ProducerKind};
use domain::participation::{Channel, Participation, Row, TARGET_PERCENT};
use domain::settlement::channel_label;
use leptos::prelude::*;

use crate::api::{Dashboard, get_participation};
use crate::format::{encode, number, percent, vnd};
use crate::i18n::{Lang, use_lang};
use crate::workspace::{ListQuery, WsHead, pager};

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

pub(super) fn channel_name(lang: Lang, key: &str) -> String {
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
pub(super) fn chart(charts: &[(String, String)], id: &str) -> impl IntoView + use<> {
    let svg = charts.iter().find(|(k, _)| k == id).map(|(_, s)| s.clone()).unwrap_or_default();
    // trusted-html: plotters' SVG, which escapes every label it writes (see `charts`).
    (!svg.is_empty()).then(|| view! { <figure class="chart" id=format!("chart-{id}") inner_html=svg></figure> })
}

/// A small square of a channel's colour, the same as its bars in the chart.
fn swatch(key: &str) -> impl IntoView + use<> {
    let (r, g, b) = crate::palette::channel_colour(key);
    view! { <svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" rx="2" fill=format!("#{r:02x}{g:02x}{b:02x}")/></svg> }
}

fn verdict(lang: Lang, met: Option<bool>) -> impl IntoView + use<> {
    let (vi, en, class) = match met {
        Some(true) => ("Đạt", "Met", "met"),
        Some(false) => ("Chưa đạt", "Not met", "not-met"),
        None => ("Theo dõi", "Watch", "watch"),
    };
    view! { <span class=format!("verdict {class}")>{lang.t(vi, en)}</span> }
}

/// One breakdown: its chart (when drawn), and a table with the numbers, the share and its verdict
/// against the plan's 50% in columns of their own.
#[allow(clippy::too_many_arguments)]
fn table<F: Fn(&str) -> String>(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    rows: &[Row],
    name: F,
    charts: &[(String, String)],
    period: &str,
    swatches: bool,
) -> impl IntoView + use<F> {
    let drawn = chart(charts, id);
    let csv = format!("/office/dashboard/export/{id}.csv?period={period}");
    let xlsx = format!("/office/dashboard/export/{id}.xlsx?period={period}");
    let body = if rows.is_empty() {
        view! { <p class="muted" id=id>{lang.t("Chưa có số liệu trong kỳ này.", "No figures in this period.")}</p> }
            .into_any()
    } else {
        let body = rows
            .iter()
            .map(|r| {
                let met = r.producers > 0 && r.selling as i64 * 100 >= TARGET_PERCENT * r.producers as i64;
                view! { <tr><td>{swatches.then(|| swatch(&r.key))}{name(&r.key)}</td><td class="num">{number(r.producers as i64)}</td>
                <td class="num">{number(r.selling as i64)}</td><td class="num">{percent(r.percent())}</td>
                <td>{verdict(lang, Some(met))}</td></tr> }
            })
            .collect_view();
        view! {
            <div class="table-wrap"><table class="data" id=id>
                <thead><tr><th>{lang.t("Nhóm", "Group")}</th><th class="num">{lang.t("Chủ thể OCOP", "OCOP producers")}</th>
                    <th class="num">{lang.t("Đang bán", "Selling")}</th><th class="num">{lang.t("Tỉ lệ", "Share")}</th>
                    <th>{lang.t("So với 50%", "Against 50%")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table></div>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <div class="panel-head"><h2>{title}</h2><span class="small"><a href=csv>"CSV"</a><a href=xlsx>"XLSX"</a></span></div>
            {drawn}
            {body}
        </section>
    }
}

const DASHBOARD: &str = "/office/dashboard";

fn warn_if(warn: bool) -> &'static str {
    if warn { "kpi warn" } else { "kpi" }
}

fn good_if(good: bool) -> &'static str {
    if good { "kpi good" } else { "kpi bad" }
}

fn figures(lang: Lang, p: Participation, charts: &[(String, String)], list: &ListQuery) -> impl IntoView + use<> {
    let overall = chart(charts, "participation");
    let code = p.period.code();
    let met = p.target_met();
    let of = pick(
        lang,
        format!("{} / {} chủ thể OCOP bán qua kênh hiện đại", number(p.selling as i64), number(p.producers as i64)),
        format!(
            "{} of {} OCOP producers sell through modern channels",
            number(p.selling as i64),
            number(p.producers as i64)
        ),
    );
    let verdict_text = match (met, lang) {
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
    let not_yet: Vec<_> = p
        .not_yet
        .iter()
        .map(|x| {
            (x.name.clone(), kind_name(lang, x.kind.as_deref().unwrap_or("")), x.district.clone().unwrap_or_default())
        })
        .filter(|(n, k, d)| list.matches(&[n, k, d]))
        .collect();
    let total = not_yet.len();
    let (page, pages) = list.page_of(not_yet);
    let not_yet_body = if page.is_empty() {
        view! { <p class="muted">{lang.t("Mọi chủ thể OCOP trong kỳ đã bán qua ít nhất một kênh hiện đại.", "Every OCOP producer in the period sells through at least one modern channel.")}</p> }.into_any()
    } else {
        let items = page.into_iter().map(|(n, k, d)| view! { <li>{format!("{n} · {k} · {d}")}</li> }).collect_view();
        view! { <ul class="plain-list" id="not-yet">{items}</ul>{pager(lang, DASHBOARD, list, total, pages)} }
            .into_any()
    };
    view! {
        <div class="kpis">
            <div class=good_if(met) id="participation">
                <span class="kpi-value" id="participation-percent">{percent(p.percent())}</span>
                <span class="kpi-label" id="participation-count">{of}</span>
                <span class="kpi-note" id="participation-target">{verdict_text}</span>
            </div>
            <div class="kpi"><span class="kpi-value">{number(p.measured as i64)}</span>
                <span class="kpi-label">{lang.t("bán trên chợ hoặc ở điểm bán", "sell on the market or in showrooms")}</span></div>
            <div class="kpi"><span class="kpi-value">{number(p.reported_only as i64)}</span>
                <span class="kpi-label">{lang.t("chỉ qua kênh tự khai đã xác minh", "only through verified reported channels")}</span></div>
            <a class=warn_if(p.awaiting_verification > 0) href="/office/channels">
                <span class="kpi-value">{number(p.awaiting_verification as i64)}</span>
                <span class="kpi-label">{lang.t("kênh tự khai chờ xác minh", "reports awaiting verification")}</span></a>
        </div>
        <p class="muted small" id="participation-split">{split}</p>
        <section class="panel">
            <div class="panel-head"><h2>{lang.t("Tham gia kênh hiện đại", "Modern-channel participation")}</h2></div>
            {overall}
        </section>
        <div class="breakdowns">
            {table(lang, "by-channel", lang.t("Theo kênh", "By channel"), &p.by_channel, move |k| channel_name(lang, k), charts, &code, true)}
            {table(lang, "by-kind", lang.t("Theo loại chủ thể", "By kind of producer"), &p.by_kind, move |k| kind_name(lang, k), charts, &code, false)}
            {table(lang, "by-stars", lang.t("Theo hạng sao", "By star rating"), &p.by_stars, |k| k.to_string(), charts, &code, false)}
            {table(lang, "by-group", lang.t("Theo nhóm sản phẩm (một chủ thể có thể thuộc nhiều nhóm)", "By product group (a producer may be in several)"), &p.by_group, move |k| group_name(lang, k), charts, &code, false)}
            {table(lang, "by-district", lang.t("Theo huyện (trước 2025)", "By district (before 2025)"), &p.by_district, |k| k.to_string(), charts, &code, false)}
            {table(lang, "by-commune", lang.t("Theo xã/phường hiện nay", "By current commune"), &p.by_commune, |k| k.to_string(), charts, &code, false)}
        </div>
        <section class="panel" id="to-do">
            <div class="panel-head"><h2>{lang.t("Chủ thể OCOP chưa bán qua kênh hiện đại nào", "OCOP producers in no modern channel yet")}</h2></div>
            <form method="get" action=DASHBOARD class="list-search" role="search">
                <input type="hidden" name="period" value=code.clone()/>
                <input type="search" name="q" value=list.q.clone() maxlength="100" placeholder=lang.t("Tên, loại, huyện…", "Name, kind, district…")
                    aria-label=lang.t("Tìm chủ thể", "Search producers")/>
                <button type="submit" class="button">{lang.t("Tìm", "Search")}</button>
            </form>
            {not_yet_body}
        </section>
    }
}

fn dashboard(lang: Lang, d: Dashboard, list: &ListQuery) -> impl IntoView + use<> {
    let showroom_chart = chart(&d.charts, "showroom-sales");
    let rows = d
        .targets
        .iter()
        .map(|t| {
            let value = match t.figure {
                domain::targets::Figure::Count(n) => number(n),
                domain::targets::Figure::Percent(x) => percent(x),
            };
            view! {
                <tr id=format!("target-{}", t.id)>
                    <td>{pick(lang, t.name_vi.clone(), t.name_en.clone())}</td>
                    <td class="num">{value}</td>
                    <td>{pick(lang, t.target_vi.clone(), t.target_en.clone())}</td>
                    <td>{verdict(lang, t.met)}</td>
                </tr>
            }
        })
        .collect_view();
    let no_showrooms = d.counts.showrooms.is_empty();
    let online = d.counts.online;
    let showrooms = d
        .counts
        .showrooms
        .iter()
        .map(|s| {
            view! { <tr><td>{swatch(&format!("showroom:{}", s.code))}{format!("{} · {}", s.name, s.code)}</td><td class="num">{number(s.sales)}</td>
            <td class="num">{vnd(s.value)}</td></tr> }
        })
        .collect_view();
    let today = d.today;
    let period = d.participation.period;
    view! {
        <div class="period-bar">{super::period::picker(lang, DASHBOARD.into(), &period, today)}</div>
        {figures(lang, d.participation, &d.charts, list)}
        <section class="panel">
            <div class="panel-head"><h2>{lang.t("Các chỉ tiêu khác của kế hoạch", "The plan's other targets")}</h2></div>
            <div class="table-wrap"><table class="data" id="targets">
                <thead><tr><th>{lang.t("Chỉ tiêu", "Figure")}</th><th class="num">{lang.t("Kết quả", "Value")}</th>
                    <th>{lang.t("Mục tiêu", "Target")}</th><th>{lang.t("Đánh giá", "Status")}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
        <section class="panel">
            <div class="panel-head"><h2>{lang.t("Doanh số theo kênh", "Sales per channel")}</h2></div>
            <p class="online-sales" id="online-sales">{lang.t("Cửa hàng trực tuyến: ", "Online store: ")}
                <strong>{number(online.orders)}</strong>{lang.t(" đơn (trừ đơn hoàn tiền trong kỳ) · tiền hàng ", " orders (less those refunded in the period) · goods ")}
                <strong id="online-sales-value">{vnd(online.value)}</strong></p>
            {if no_showrooms {
                view! { <p class="muted" id="showroom-sales">{lang.t("Chưa có điểm bán nào bán hàng trong kỳ này.", "No showroom sold in this period.")}</p> }.into_any()
            } else {
                view! {
                    {showroom_chart}
                    <div class="table-wrap"><table class="data" id="showroom-sales">
                        <thead><tr><th>{lang.t("Điểm bán", "Showroom")}</th><th class="num">{lang.t("Lần bán (trừ hoàn)", "Sales (less refunds)")}</th>
                            <th class="num">{lang.t("Giá trị", "Value")}</th></tr></thead>
                        <tbody>{showrooms}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn OfficeDashboard() -> impl IntoView {
    let lang = use_lang();
    let period = super::period::asked();
    let list = ListQuery::from_url();
    let link = encode(&period);
    view! {
        <PageTitle text=lang.t("Bảng điều hành — Văn phòng OCOP", "Programme dashboard — OCOP office")/>
        <WsHead title=lang.t("Bảng điều hành chương trình OCOP", "OCOP programme dashboard")>
            <a class="button ghost" id="report-xlsx" href=format!("/office/dashboard/export/report.xlsx?period={link}")>
                {lang.t("Tải cả báo cáo (XLSX)", "Whole report (XLSX)")}</a>
            <a class="button" id="report-page" href=format!("/office/report?period={link}")>
                {lang.t("Báo cáo để in", "Printable report")}</a>
        </WsHead>
        {loaded(lang, period, move |d| dashboard(lang, d, &list).into_any())}
    }
}

/// The period's figures, loaded for an office session and drawn by `render`; a bad period is a 400.
pub(super) fn loaded(
    lang: Lang,
    period: String,
    render: impl Fn(Dashboard) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let participation = crate::once::once(get_participation(period));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match participation.await {
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
