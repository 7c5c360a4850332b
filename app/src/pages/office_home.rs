//! The office home: the figures that matter today (participation against the plan's 50%, OCOP
//! dossiers waiting, orders waiting, certificates nearing their last valid day, quiet showrooms, reports to verify), each
//! leading to the page where it is dealt with.

use domain::participation::TARGET_PERCENT;
use domain::workspace::{OfficeToday, QUIET_AFTER_HOURS};
use leptos::prelude::*;

use crate::format::{date, number, percent};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, WsHead};

/// None unless an office account is signed in.
#[server(prefix = "/sfn", endpoint = "office-today")]
pub async fn get_office_today() -> Result<Option<OfficeToday>, ServerFnError> {
    use crate::api::{internal, session, store};
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    store::workspace::office_today(&store.db, store.today()).await.map(Some).map_err(internal)
}

#[component]
pub fn OfficeHome() -> impl IntoView {
    let lang = use_lang();
    let figures = crate::once::once(get_office_today());
    view! {
        <PageTitle text=lang.t("Văn phòng OCOP", "OCOP office")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(Some(t)) => today(lang, t).into_any(),
                    Ok(None) => super::office::office_only(lang),
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}

fn kpi(
    id: &'static str,
    href: &'static str,
    value: String,
    label: String,
    note: String,
    tone: &'static str,
) -> impl IntoView + use<> {
    view! {
        <a class=format!("kpi {tone}") id=id href=href>
            <span class="kpi-value">{value}</span>
            <span class="kpi-label">{label}</span>
            <span class="kpi-note">{note}</span>
        </a>
    }
}

fn today(lang: Lang, t: OfficeToday) -> impl IntoView + use<> {
    let p = &t.participation;
    let (period_vi, period_en) = p.period.label();
    let met = p.target_met();
    let participation = kpi(
        "kpi-participation",
        "/office/dashboard",
        percent(p.percent()),
        match lang {
            Lang::Vi => format!("chủ thể OCOP bán qua kênh hiện đại, {period_vi}"),
            Lang::En => format!("of OCOP producers sell through modern channels, {period_en}"),
        },
        match (lang, met) {
            (Lang::Vi, true) => format!(
                "{} / {} · đạt mục tiêu {TARGET_PERCENT}%",
                number(p.selling as i64),
                number(p.producers as i64)
            ),
            (Lang::Vi, false) => {
                format!("{} / {} · mục tiêu {TARGET_PERCENT}%", number(p.selling as i64), number(p.producers as i64))
            }
            (Lang::En, true) => {
                format!("{} of {} · {TARGET_PERCENT}% target met", number(p.selling as i64), number(p.producers as i64))
            }
            (Lang::En, false) => {
                format!("{} of {} · target {TARGET_PERCENT}%", number(p.selling as i64), number(p.producers as i64))
            }
        },
        if met { "good" } else { "bad" },
    );
    let orders = kpi(
        "kpi-orders",
        "/office/dashboard",
        number(t.orders_waiting as i64),
        lang.t("đơn hàng chờ chủ thể gửi", "orders waiting to be shipped").into(),
        lang.t("đã xác nhận hoặc đã thanh toán", "confirmed or paid").into(),
        "plain",
    );
    let expiring = kpi(
        "kpi-expiring",
        "/office/certificates?f=expiring",
        number(t.expiring.len() as i64),
        lang.t("giấy chứng nhận hết hiệu lực trong 90 ngày", "certificates ending within 90 days").into(),
        lang.t("cần nhắc chủ thể đánh giá lại", "remind producers to re-apply").into(),
        if t.expiring.is_empty() { "plain" } else { "warn" },
    );
    let quiet = kpi(
        "kpi-quiet",
        "/office/showrooms",
        format!("{} / {}", number(t.quiet_showrooms.len() as i64), number(t.showrooms as i64)),
        match lang {
            Lang::Vi => format!("điểm bán chưa đồng bộ trong {QUIET_AFTER_HOURS} giờ"),
            Lang::En => format!("showrooms not synced in {QUIET_AFTER_HOURS} h"),
        },
        lang.t("trong số điểm bán có máy đã ghép", "of showrooms with a paired till").into(),
        if t.quiet_showrooms.is_empty() { "plain" } else { "warn" },
    );
    let reports = kpi(
        "kpi-reports",
        "/office/channels",
        number(t.reports_pending as i64),
        lang.t("kênh tự khai chờ xác minh", "reported channels to verify").into(),
        lang.t("chưa tính vào tỉ lệ tham gia", "not counted until verified").into(),
        if t.reports_pending == 0 { "plain" } else { "warn" },
    );
    let dossiers = kpi(
        "kpi-dossiers",
        "/office/dossiers?f=waiting",
        number(t.dossiers_waiting as i64),
        lang.t("hồ sơ OCOP chờ văn phòng", "OCOP dossiers waiting for the office").into(),
        lang.t("xã đã đề nghị, hoặc đã chấm xong", "proposed by a commune, or scored").into(),
        if t.dossiers_waiting == 0 { "plain" } else { "warn" },
    );
    let expiring_rows = t
        .expiring
        .iter()
        .take(8)
        .map(|c| {
            view! {
                <tr>
                    <td><a href=format!("/office/certificates?q={}", crate::format::encode(&c.number))>{c.number.clone()}</a></td>
                    <td>{c.product.clone()}<br/><span class="muted small">{c.producer.clone()}</span></td>
                    <td>{"★".repeat(c.stars.clamp(0, 5) as usize)}</td>
                    <td>{crate::components::last_valid_text(lang, Some(c.last_valid_range))}</td>
                    <td class="num">{number(c.days_left)}</td>
                </tr>
            }
        })
        .collect_view();
    let quiet_rows = t
        .quiet_showrooms
        .iter()
        .map(|s| {
            let last = s
                .last_sync
                .map(|at| {
                    let local = at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
                    format!("{} {}", local.format("%H:%M"), date(local.date_naive()))
                })
                .unwrap_or_else(|| lang.t("chưa lần nào", "never").to_string());
            view! { <li><strong>{s.name.clone()}</strong>" · "<span class="mono">{s.code.clone()}</span>" — "{lang.t("lần cuối: ", "last: ")}{last}</li> }
        })
        .collect_view();
    let no_expiring = t.expiring.is_empty();
    let no_quiet = t.quiet_showrooms.is_empty();
    view! {
        <WsHead title=lang.t("Hôm nay", "Today") lead=lang.t("Việc của văn phòng điều phối OCOP", "The OCOP coordination office's work")>
            <a class="button ghost" href="/office/report">{lang.t("Báo cáo in", "Printable report")}</a>
            <a class="button" href="/office/certificates#record">{lang.t("Ghi giấy chứng nhận", "Record a certificate")}</a>
        </WsHead>
        <div class="kpis">{participation}{dossiers}{orders}{expiring}{quiet}{reports}</div>
        <div class="ws-cols">
            <section class="panel" id="expiring">
                <h2>{lang.t("Sắp hết hiệu lực", "Ending soon")}</h2>
                {if no_expiring {
                    view! { <EmptyState title=lang.t("Không có giấy chứng nhận nào hết hiệu lực trong 90 ngày tới.", "No certificate ends in the next 90 days.")
                        hint=lang.t("Danh sách này tự cập nhật mỗi ngày.", "This list updates itself every day.")/> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data">
                            <thead><tr><th>{lang.t("Số", "Number")}</th><th>{lang.t("Sản phẩm", "Product")}</th><th>{lang.t("Hạng", "Stars")}</th>
                                <th>{lang.t("Hiệu lực đến hết ngày", "Valid through")}</th><th class="num">{lang.t("Còn (ngày)", "Days left")}</th></tr></thead>
                            <tbody>{expiring_rows}</tbody>
                        </table></div>
                        <p><a href="/office/certificates?f=expiring">{lang.t("Xem tất cả", "See all")}</a></p>
                    }.into_any()
                }}
            </section>
            <section class="panel" id="quiet">
                <h2>{lang.t("Điểm bán im lặng", "Quiet showrooms")}</h2>
                {if no_quiet {
                    view! { <EmptyState title=lang.t("Mọi máy bán hàng đã đồng bộ trong 24 giờ qua.", "Every till has synced in the last 24 hours.")
                        hint=lang.t("Máy không đồng bộ vẫn bán được; doanh số về khi có mạng.", "A till that cannot sync still sells; its sales arrive when it is back online.")/> }.into_any()
                } else {
                    view! { <ul class="plain-list">{quiet_rows}</ul> }.into_any()
                }}
            </section>
        </div>
    }
}
