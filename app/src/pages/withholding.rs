//! The office's monthly withholding declaration (Decree 117): per producer withheld for, its tax
//! code, revenue by kind, returns offset, VAT and PIT, with the month's totals; downloads as CSV or
//! XLSX; and the check that it adds up to the online sales the dashboard shows for the month.

use domain::targets::OnlineSales;
use domain::tax::declaration::Declaration;
use domain::tax::{Period, TaxKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::format::vnd;
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, WsHead};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeclarationData {
    pub declaration: Declaration,
    /// The dashboard's online sales for the same month.
    pub dashboard: OnlineSales,
    /// The months offered, newest first.
    pub months: Vec<Period>,
    /// The month asked for could not be read: this month is shown instead.
    pub bad_month: bool,
}

#[server(prefix = "/sfn", endpoint = "withholding")]
pub async fn get_withholding(month: String) -> Result<Option<DeclarationData>, ServerFnError> {
    use crate::api::{internal, session, store};
    let store = store()?;
    let Some((account, _)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    let this = Period::of(store.today());
    let asked = Period::parse(&month);
    let bad_month = !month.trim().is_empty() && asked.is_none();
    let period = asked.unwrap_or(this);
    let declaration = store::tax::declaration(&store.db, period).await.map_err(internal)?;
    let (first, last) = period.days();
    let (from, until) = store::dashboard::bounds(&domain::participation::Period { from: first, to: last });
    let dashboard = store::dashboard::online_sales(&store.db, from, until).await.map_err(internal)?;
    let mut months = vec![this];
    for _ in 0..12 {
        let (first, _) = months.last().expect("one at least").days();
        months.push(Period::of(first.pred_opt().expect("a day before")));
    }
    if !months.contains(&period) {
        months.insert(0, period);
    }
    Ok(Some(DeclarationData { declaration, dashboard, months, bad_month }))
}

fn rows(lang: Lang, d: &Declaration) -> impl IntoView + use<> {
    let kind = |t: &domain::tax::PeriodTotals, k: TaxKind| vnd(t.by_kind.get(&k).map_or(0, |v| v.gross));
    d.rows
        .iter()
        .map(|r| {
            let t = &r.totals;
            let (status_vi, status_en) = r.status.label();
            view! {
                <tr>
                    <td>{r.name.clone()}<br/><span class="muted small">{lang.t(status_vi, status_en)}</span></td>
                    <td class="mono" data-label=lang.t("MST", "Tax code")>{r.tax_code.clone().unwrap_or_else(|| "—".into())}</td>
                    <td class="num" data-label=lang.t("Hàng hoá", "Goods")>{kind(t, TaxKind::Goods)}</td>
                    <td class="num" data-label=lang.t("Dịch vụ", "Services")>{kind(t, TaxKind::Service)}</td>
                    <td class="num" data-label=lang.t("Vận tải", "Transport")>{kind(t, TaxKind::Transport)}</td>
                    <td class="num" data-label=lang.t("Chưa rõ loại", "Kind not told")>{kind(t, TaxKind::Unknown)}</td>
                    <td class="num" data-label=lang.t("Hoàn trả", "Returns")>{vnd(t.returned())}</td>
                    <td class="num" data-label=lang.t("GTGT", "VAT")>{vnd(t.vat())}</td>
                    <td class="num" data-label=lang.t("TNCN", "PIT")>{vnd(t.pit())}</td>
                </tr>
            }
        })
        .collect_view()
}

fn page(lang: Lang, d: DeclarationData) -> impl IntoView {
    let dec = &d.declaration;
    let code = dec.period.code();
    let total = dec.total();
    let options = d
        .months
        .iter()
        .map(|m| view! { <option value=m.code() selected=m.code() == code>{m.label()}</option> })
        .collect_view();
    let net = dec.net_online();
    let matches = net == d.dashboard.value;
    let kind_total = |k: TaxKind| vnd(total.by_kind.get(&k).map_or(0, |v| v.gross));
    let missing_codes = dec.rows.iter().filter(|r| r.tax_code.is_none()).count();
    view! {
        <WsHead title=lang.t("Khấu trừ thuế thay người bán", "Tax withheld for sellers")
            lead=lang.t("Thuế GTGT và TNCN sàn khấu trừ trên doanh thu trực tuyến của hộ kinh doanh, cá nhân (Nghị định 117/2025/NĐ-CP), kê khai theo tháng.", "VAT and PIT the marketplace withholds on household and individual sellers' online revenue (Decree 117/2025), declared monthly.").to_string()/>
        {d.bad_month.then(|| view! { <p class="notice warn" role="alert">{lang.t("Không đọc được tháng đã chọn; đang hiển thị tháng này.", "The month asked for could not be read; this month is shown.")}</p> })}
        <form method="get" action="/office/withholding" class="period-picker" id="month-form">
            <label for="month">{lang.t("Tháng kê khai", "Month")}</label>
            <select id="month" name="month">{options}</select>
            <button type="submit" class="button">{lang.t("Xem", "Show")}</button>
        </form>
        <p class="downloads">
            <a class="button ghost" id="declaration-csv" href=format!("/office/withholding/export/withholding.csv?month={code}")>{lang.t("Tải CSV", "Download CSV")}</a>" "
            <a class="button ghost" id="declaration-xlsx" href=format!("/office/withholding/export/withholding.xlsx?month={code}")>{lang.t("Tải Excel (XLSX)", "Download Excel (XLSX)")}</a>
        </p>
        <section class=if matches { "panel reconcile ok" } else { "panel reconcile warn" } id="reconcile">
            <h2>{lang.t("Đối chiếu với bảng điều hành", "Checked against the dashboard")}</h2>
            <dl class="reconcile-figures">
                <dt>{lang.t("Doanh thu trực tuyến của tháng (bảng điều hành)", "The month's online sales (dashboard)")}</dt>
                <dd id="dashboard-online">{vnd(d.dashboard.value)}</dd>
                <dt>{lang.t("Doanh thu đã khấu trừ, trừ hoàn trả", "Revenue withheld on, less returns")}</dt>
                <dd id="withheld-net">{vnd(total.gross() - total.returned())}</dd>
                <dt>{lang.t("Doanh thu của người bán tự kê khai", "Revenue of sellers who declare their own")}</dt>
                <dd id="not-withheld">{vnd(dec.not_withheld)}</dd>
            </dl>
            <p id="reconcile-verdict" class="verdict">{if matches {
                lang.t("Khớp đến từng đồng.", "They agree to the đồng.").to_string()
            } else {
                let gap = vnd(d.dashboard.value - net);
                match lang {
                    Lang::Vi => format!("Chênh {gap}: phần combo của hàng không rõ người bán, hoặc hoàn trả lớn hơn thuế của tháng được chuyển sang tháng sau."),
                    Lang::En => format!("A gap of {gap}: combo shares of goods with no seller on record, or returns larger than the month's tax carried to the next month."),
                }
            }}</p>
        </section>
        {(missing_codes > 0).then(|| view! {
            <p class="notice warn" id="missing-codes">{match lang {
                Lang::Vi => format!("{missing_codes} người bán chưa có mã số thuế: nhập ở trang đối soát của từng người bán trước khi nộp tờ khai."),
                Lang::En => format!("{missing_codes} sellers have no tax code yet: enter it on each seller's statement page before filing."),
            }}</p>
        })}
        {if dec.rows.is_empty() {
            view! { <EmptyState title=lang.t("Không có khoản khấu trừ nào trong tháng.", "Nothing withheld this month.") hint=lang.t("Khi hộ kinh doanh bán được hàng trực tuyến, khoản thuế khấu trừ hiện ở đây.", "When household sellers sell online, what is withheld shows here.")/> }.into_any()
        } else {
            view! { <div class="table-wrap"><table class="data" id="declaration"><thead><tr>
                <th>{lang.t("Người bán", "Seller")}</th><th>{lang.t("Mã số thuế", "Tax code")}</th>
                <th class="num">{lang.t("Hàng hoá", "Goods")}</th><th class="num">{lang.t("Dịch vụ", "Services")}</th>
                <th class="num">{lang.t("Vận tải", "Transport")}</th><th class="num">{lang.t("Chưa rõ loại", "Kind not told")}</th>
                <th class="num">{lang.t("Hoàn trả bù trừ", "Returns offset")}</th><th class="num">{lang.t("Thuế GTGT", "VAT")}</th><th class="num">{lang.t("Thuế TNCN", "PIT")}</th>
            </tr></thead><tbody>{rows(lang, dec)}</tbody>
            <tfoot><tr class="total" id="declaration-total">
                <th colspan="2">{lang.t("Tổng cộng tháng ", "Total for ")}{dec.period.label()}</th>
                <td class="num" data-label=lang.t("Hàng hoá", "Goods")>{kind_total(TaxKind::Goods)}</td>
                <td class="num" data-label=lang.t("Dịch vụ", "Services")>{kind_total(TaxKind::Service)}</td>
                <td class="num" data-label=lang.t("Vận tải", "Transport")>{kind_total(TaxKind::Transport)}</td>
                <td class="num" data-label=lang.t("Chưa rõ loại", "Kind not told")>{kind_total(TaxKind::Unknown)}</td>
                <td class="num" data-label=lang.t("Hoàn trả", "Returns")>{vnd(total.returned())}</td>
                <td class="num" id="declaration-vat" data-label=lang.t("GTGT", "VAT")>{vnd(total.vat())}</td>
                <td class="num" id="declaration-pit" data-label=lang.t("TNCN", "PIT")>{vnd(total.pit())}</td>
            </tr></tfoot></table></div> }.into_any()
        }}
    }
}

#[component]
pub fn OfficeWithholding() -> impl IntoView {
    let lang = use_lang();
    let month = use_query_map().read_untracked().get("month").unwrap_or_default();
    let data = crate::once::once(get_withholding(month));
    view! {
        <PageTitle text=lang.t("Khấu trừ thuế", "Tax withheld")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(None) => super::office::office_only(lang),
                    Err(_) => super::server_error(),
                    Ok(Some(d)) => page(lang, d).into_any(),
                }
            })}
        </Suspense>
    }
}
