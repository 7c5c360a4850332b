//! A producer's sales by channel and its settlement statement for a period: gross sales, refunds,
//! the marketplace's commission and the amount due, per channel and in total, exportable. A member
//! sees only its own producer's; the office can open any producer's.

use crate::raw_text::PageTitle;
use domain::settlement::{Amounts, Statement};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{SettlementPage, get_settlement};
use crate::format::{number, vnd};
use crate::i18n::{Lang, use_lang};
use crate::workspace::{EmptyState, WsHead};

use super::dashboard::{measured_channel, pick};

fn amounts_row(id: String, name: String, a: &Amounts) -> impl IntoView + use<> {
    view! {
        <tr id=id>
            <td>{name}</td><td class="num">{number(a.units)}</td><td class="num">{vnd(a.sales)}</td>
            <td class="num">{vnd(a.refunds)}</td><td class="num">{vnd(a.net)}</td>
            <td class="num">{vnd(a.commission)}</td><td class="num"><strong>{vnd(a.due)}</strong></td>
        </tr>
    }
}

fn exports(base: &str, table: &str, period: &str) -> impl IntoView + use<> {
    let csv = format!("{base}/{table}.csv?period={period}");
    let xlsx = format!("{base}/{table}.xlsx?period={period}");
    view! { " "<small><a href=csv id=format!("{table}-csv")>"CSV"</a>" · "<a href=xlsx id=format!("{table}-xlsx")>"XLSX"</a></small> }
}

fn statement_view(lang: Lang, page: SettlementPage, action: String) -> impl IntoView + use<> {
    let paid = page.statement.paid();
    let tax_panel =
        page.tax.clone().map(|t| tax_form(lang, &t, &format!("{}/tax", action.trim_end_matches("/statement"))));
    let Statement { period, commission_bps, by_channel, by_month, total, withholding } = page.statement;
    let code = period.code();
    let (vi, en) = period.label();
    let rate = domain::settlement::percent_text(commission_bps);
    let heading = pick(
        lang,
        format!("Bảng đối soát {vi} — {}", page.producer),
        format!("Settlement statement, {en} — {}", page.producer),
    );
    let basis = match lang {
        Lang::Vi => format!(
            "Hoa hồng của chợ: {rate} doanh số thuần. Đơn trực tuyến tính theo ngày đặt (trừ đơn đã huỷ); tiền hoàn, trực tuyến hay tại điểm bán, tính vào ngày hoàn, nên kỳ đã đối soát không bị sửa lại. Giảm giá tại điểm bán chia đều theo giá trị từng dòng; hộp quà chia theo giá niêm yết của từng sản phẩm trong hộp."
        ),
        Lang::En => format!(
            "Marketplace commission: {rate} of net sales. Online orders count on the day they were placed (cancelled ones do not); refunds, online or in a showroom, count on the day they were given, so a settled period never changes. A showroom discount is shared over the receipt's lines by value; a gift combo is split by the list prices of the products in it."
        ),
    };
    let rows = by_channel
        .iter()
        .enumerate()
        .map(|(i, (c, a))| amounts_row(format!("statement-{i}"), measured_channel(lang, c), a))
        .collect_view();
    let months = by_month
        .iter()
        .map(|(m, c, v)| view! { <tr><td>{m.clone()}</td><td>{measured_channel(lang, c)}</td><td class="num">{vnd(*v)}</td></tr> })
        .collect_view();
    let by_channel_empty = by_channel.is_empty();
    let empty = by_channel.is_empty().then(|| {
        view! { <div id="statement-empty"><EmptyState title=lang.t("Chưa có doanh số trong kỳ này.", "No sales in this period.")
            hint=lang.t("Chọn kỳ khác, hoặc xem đơn hàng đang chờ gửi.", "Choose another period, or see the orders waiting to ship.")/></div> }
    });
    let base = page.export_base;
    view! {
        <div class="period-bar">{super::period::picker(lang, action, &period, page.today)}</div>
        <h2 id="statement-heading">{heading}</h2>
        <p class="muted small" id="statement-basis">{basis}</p>
        {empty}
        <section class="panel" class:hidden=by_channel_empty>
        <div class="panel-head"><h2>{lang.t("Theo kênh", "By channel")}</h2>{exports(&base, "statement", &code)}</div>
        <div class="table-wrap"><table class="data" id="statement">
            <thead><tr><th>{lang.t("Kênh", "Channel")}</th><th class="num">{lang.t("Số lượng", "Units")}</th>
                <th class="num">{lang.t("Doanh số", "Sales")}</th><th class="num">{lang.t("Hoàn trả", "Refunds")}</th>
                <th class="num">{lang.t("Doanh số thuần", "Net sales")}</th><th class="num">{lang.t("Hoa hồng", "Commission")}</th>
                <th class="num">{lang.t("Phải trả", "Amount due")}</th></tr></thead>
            <tbody>{rows}</tbody>
            <tfoot>{amounts_row("statement-total".into(), lang.t("Tổng cộng", "Total").into(), &total)}</tfoot>
        </table></div>
        </section>
        {withholding.map(|w| withholding_view(lang, &w, total.due, paid))}
        <section class="panel" class:hidden=by_channel_empty>
        <div class="panel-head"><h2>{lang.t("Doanh số thuần theo tháng", "Net sales by month")}</h2>{exports(&base, "by-month", &code)}</div>
        <div class="table-wrap"><table class="data" id="by-month">
            <thead><tr><th>{lang.t("Tháng", "Month")}</th><th>{lang.t("Kênh", "Channel")}</th>
                <th class="num">{lang.t("Doanh số thuần", "Net sales")}</th></tr></thead>
            <tbody>{months}</tbody>
        </table></div>
        </section>
        <p><a class="button ghost" id="statement-all" href=format!("{base}/all.xlsx?period={code}")>
            {lang.t("Tải bảng đối soát (XLSX)", "Download the statement (XLSX)")}</a></p>
        {tax_panel}
    }
}

/// The office's form for a producer's tax status and code, with the dated changes.
fn tax_form(lang: Lang, t: &crate::api::TaxPanel, action: &str) -> impl IntoView + use<> {
    use domain::tax::TaxStatus;
    let s = crate::form::form_state().for_form("tax");
    let chosen = if s.form.is_some() { s.value("status") } else { t.status.code().to_string() };
    let options = [TaxStatus::Household, TaxStatus::CooperativeGroup, TaxStatus::DeclaresOwn]
        .into_iter()
        .map(|st| {
            let (vi, en) = st.label();
            view! { <option value=st.code() selected=chosen == st.code()>{lang.t(vi, en)}</option> }
        })
        .collect_view();
    let code = if s.form.is_some() { s.value("tax_code") } else { t.tax_code.clone().unwrap_or_default() };
    let changes = t
        .changes
        .iter()
        .map(|(from, st, reason)| {
            let (vi, en) = st.label();
            view! { <li>{format!("{} {}: ", lang.t("Từ", "From"), crate::format::date_in(lang, *from))}<strong>{lang.t(vi, en)}</strong>" · "{reason.clone()}</li> }
        })
        .collect_view();
    view! {
        <section class="panel" id="tax">
            <h2>{lang.t("Thuế: tình trạng khấu trừ, mã số thuế", "Tax: withholding status, tax code")}</h2>
            <form method="post" action=action.to_string() class="checkout-form" id="tax-form">
                <input type="hidden" name="csrf" value=t.csrf.clone()/>
                <div class="form-grid">
                    <div><label for="tax-status">{lang.t("Tình trạng", "Status")}</label>
                        <select id="tax-status" name="status">{options}</select></div>
                    <div><label for="tax-code">{lang.t("Mã số thuế", "Tax code")}</label>
                        <input id="tax-code" name="tax_code" maxlength="14" inputmode="numeric" value=code placeholder="0312345678"/>
                        {crate::form::error_for(lang, &s, "tax_code")}</div>
                    <div class="wide"><label for="tax-reason">{lang.t("Lý do đổi tình trạng (có hiệu lực từ ngày mai)", "Reason for a change of status (it counts from tomorrow)")}</label>
                        <input id="tax-reason" name="reason" maxlength="500" value=s.value("reason")/>
                        {crate::form::error_for(lang, &s, "reason")}</div>
                </div>
                <button type="submit" class="button">{lang.t("Lưu", "Save")}</button>
            </form>
            {(!t.changes.is_empty()).then(|| view! { <ul class="plain-list" id="tax-changes">{changes}</ul> })}
        </section>
    }
}

/// Tax withheld on the online sales (Decree 117): by kind, with returns offset, and what is paid.
fn withholding_view(lang: Lang, w: &domain::tax::Withholding, due: i64, paid: i64) -> impl IntoView + use<> {
    let status = w.status.map(|s| lang.t(s.label().0, s.label().1)).unwrap_or_default();
    // 0,5% in Vietnamese, 0.5% in English.
    let rate = |bp: i64| {
        let t = domain::settlement::percent_text(bp as u32);
        if lang == Lang::Vi { t.replace('.', ",") } else { t }
    };
    let rows = w
        .total
        .by_kind
        .iter()
        .map(|(k, t)| {
            let (vi, en) = k.label();
            let (vat, pit) = domain::tax::rate_on(chrono::Utc::now().date_naive(), *k).unwrap_or((0, 0));
            view! {
                <tr id=format!("withholding-{}", k.code())><td>{lang.t(vi, en)}<br/><span class="muted small">{format!("VAT {} · {} {}", rate(vat), lang.t("TNCN", "PIT"), rate(pit))}</span></td>
                    <td class="num">{vnd(t.gross)}</td><td class="num">{vnd(t.returned)}</td>
                    <td class="num">{vnd(t.vat)}</td><td class="num">{vnd(t.pit)}</td></tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" id="withholding">
            <h2>{lang.t("Thuế sàn khấu trừ, nộp thay (Nghị định 117/2025/NĐ-CP)", "Tax withheld by the marketplace (Decree 117/2025/NĐ-CP)")}</h2>
            <p class="muted small">{status}{w.tax_code.clone().map(|c| format!(" · MST {c}"))}</p>
            <div class="table-wrap"><table class="data">
                <thead><tr><th>{lang.t("Loại", "Kind")}</th><th class="num">{lang.t("Doanh thu", "Revenue")}</th>
                    <th class="num">{lang.t("Hoàn trả bù trừ", "Returns offset")}</th><th class="num">"VAT"</th><th class="num">{lang.t("TNCN", "PIT")}</th></tr></thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr><td>{lang.t("Tổng thuế khấu trừ", "Tax withheld")}</td><td class="num">{vnd(w.total.gross())}</td><td class="num">{vnd(w.total.returned())}</td>
                        <td class="num" id="withheld-vat">{vnd(w.total.vat())}</td><td class="num" id="withheld-pit">{vnd(w.total.pit())}</td></tr>
                    <tr><td colspan="3">{lang.t("Phải trả trước thuế", "Due before tax")}</td><td class="num" colspan="2">{vnd(due)}</td></tr>
                    <tr><td colspan="3"><strong>{lang.t("Thực chuyển cho chủ thể", "Paid to the producer")}</strong></td><td class="num" colspan="2"><strong id="paid">{vnd(paid)}</strong></td></tr>
                </tfoot>
            </table></div>
        </section>
    }
}

fn loaded(lang: Lang, period: String, producer: Option<i64>, action: String) -> impl IntoView {
    let page = crate::once::once(get_settlement(period.clone(), producer));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (action, page) = (action.clone(), page);
                Suspend::new(async move {
                    match page.await {
                        Ok(Some(Ok(page))) => statement_view(lang, page, action).into_any(),
                        Ok(Some(Err(msg))) => {
                            super::set_status(400);
                            view! { <p class="error" id="period-error">{msg}</p> }.into_any()
                        }
                        Ok(None) => {
                            super::set_status(403);
                            view! { <p>{lang.t("Bạn không xem được bảng đối soát này. ", "You cannot see this statement. ")}
                                <a href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p> }.into_any()
                        }
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

/// `/portal/sales`: the signed-in producer's own statement.
#[component]
pub fn PortalSales() -> impl IntoView {
    let lang = use_lang();
    let period = super::period::asked();
    view! {
        <PageTitle text=lang.t("Doanh số và đối soát — Cổng chủ thể", "Sales and settlement — producer portal")/>
        <WsHead title=lang.t("Doanh số và đối soát", "Sales and settlement")/>
        {loaded(lang, period, None, "/portal/sales".into())}
    }
}

/// `/office/producers/{id}/statement`: any producer's statement, for the office.
#[component]
pub fn OfficeStatement() -> impl IntoView {
    let lang = use_lang();
    let period = super::period::asked();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    view! {
        <PageTitle text=lang.t("Bảng đối soát — Văn phòng OCOP", "Settlement statement — OCOP office")/>
        <WsHead title=lang.t("Bảng đối soát của chủ thể", "A producer's settlement statement")>
            <a class="button ghost" href="/office/producers">{lang.t("← Chủ thể", "← Producers")}</a>
        </WsHead>
        {loaded(lang, period, Some(id), format!("/office/producers/{id}/statement"))}
    }
}
