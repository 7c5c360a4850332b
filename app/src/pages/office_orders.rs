//! The office's order list: find an order by number or phone, see how it was paid, and refund a
//! VNPay or MoMo payment through its gateway (with a reason, kept in the order's history).

use domain::order::{OfficeOrderRow, OrderStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::portal::notice;
use crate::form::{error_for, form_state};
use crate::format::vnd;
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, WsHead};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficeOrdersData {
    pub orders: Vec<OfficeOrderRow>,
    pub csrf: String,
}

#[server(prefix = "/sfn", endpoint = "office_orders")]
pub async fn get_office_orders(q: String) -> Result<Option<OfficeOrdersData>, ServerFnError> {
    use crate::api::{internal, session, store};
    let store = store()?;
    let Some((account, csrf)) = session().await? else { return Ok(None) };
    if account.role != domain::account::Role::Admin {
        return Ok(None);
    }
    let orders = store::gateways::office_orders(&store, &q).await.map_err(internal)?;
    Ok(Some(OfficeOrdersData { orders, csrf }))
}

fn row(lang: Lang, o: &OfficeOrderRow, csrf: &str) -> impl IntoView + use<> {
    let (svi, sen) = o.status.label();
    let (mvi, men) = o.method.label();
    let s = form_state().for_form(&format!("refund-{}", o.number));
    let refund = o.refundable.then(|| {
        view! {
            <form method="post" action=format!("/office/orders/{}/refund", o.number) class="refund-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <label class="sr-only" for=format!("reason-{}", o.number)>{lang.t("Lý do hoàn tiền", "Reason for the refund")}</label>
                <input type="text" id=format!("reason-{}", o.number) name="reason" required minlength="3" maxlength="500"
                    value=s.value("reason") placeholder=lang.t("Lý do hoàn tiền", "Reason for the refund")/>
                <button type="submit" class="button danger small">{lang.t("Hoàn tiền", "Refund")}</button>
            </form>
        }
    });
    view! {
        <tr id=format!("order-{}", o.number)>
            <td><span class="mono">{o.number.clone()}</span><br/><span class="muted small">{o.placed_at.clone()}</span></td>
            <td>{o.name.clone()}</td>
            <td>{lang.t(mvi, men)}{o.gateway_txn.clone().map(|t| view! { <br/><span class="muted small mono">{t}</span> })}</td>
            <td><span class=format!("badge status-{}", o.status.code())>{lang.t(svi, sen)}</span></td>
            <td class="num">{vnd(o.total)}{(o.paid != o.total && o.status != OrderStatus::Refunded).then(|| view! {
                <br/><span class="muted small">{lang.t("đã trả ", "paid ")}{vnd(o.paid)}</span> })}</td>
            <td>{refund}{error_for(lang, &s, "reason")}</td>
        </tr>
    }
}

#[component]
pub fn OfficeOrders() -> impl IntoView {
    let lang = use_lang();
    let q = use_query_map().read_untracked().get("q").unwrap_or_default();
    let data = crate::once::once(get_office_orders(q.clone()));
    view! {
        <PageTitle text=lang.t("Đơn hàng", "Orders")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                        Ok(Some(d)) => page(lang, d, q).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn page(lang: Lang, d: OfficeOrdersData, typed: String) -> impl IntoView {
    let rows = d.orders.iter().map(|o| row(lang, o, &d.csrf)).collect_view();
    view! {
        <WsHead title=lang.t("Đơn hàng", "Orders")
            lead=lang.t("Tìm đơn theo mã hoặc số điện thoại; hoàn tiền đơn trả qua VNPay hay MoMo ngay tại đây.", "Find an order by number or phone; refund a VNPay or MoMo payment from here.").to_string()/>
        <div class="list-tools">
            <form method="get" action="/office/orders" class="list-search" role="search">
                <input type="search" id="q" name="q" value=typed.clone() maxlength="100"
                    aria-label=lang.t("Mã đơn hoặc số điện thoại", "Order number or phone")
                    placeholder=lang.t("Mã đơn hoặc số điện thoại", "Order number or phone")/>
                <button type="submit" class="button">{lang.t("Tìm", "Search")}</button>
            </form>
        </div>
        {if d.orders.is_empty() {
            view! { <EmptyState title=lang.t("Không có đơn nào.", "No orders.") hint=lang.t("Đơn mới hiện ở đây ngay khi người mua đặt.", "New orders show here as soon as they are placed.")/> }.into_any()
        } else {
            view! { <div class="table-wrap"><table class="data" id="office-orders"><thead><tr>
                <th>{lang.t("Đơn", "Order")}</th><th>{lang.t("Người mua", "Buyer")}</th><th>{lang.t("Thanh toán", "Payment")}</th>
                <th>{lang.t("Trạng thái", "Status")}</th><th class="num">{lang.t("Tổng", "Total")}</th><th></th>
            </tr></thead><tbody>{rows}</tbody></table></div> }.into_any()
        }}
    }
}
