//! Recalls: the list (with the office's form that opens one for any batch) and a recall's page:
//! who was reached (orders, showroom sales, shoppers emailed), what is left on each shelf with the
//! office's withdrawal buttons, the dated history, and closing.

use domain::account::Role;
use domain::trace::RecallStatus;
use domain::trace::recall::Take;
use domain::trace::records::RecallRow;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::batches::recall_pill;
use super::portal::notice;
use crate::form::{error_for, form_state, other_errors};
use crate::format::{at_in, number_in};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::{PageTitle, TextArea};
use crate::trace_api::{RecallData, RecallsData, get_recall, get_recalls};
use crate::workspace::{EmptyState, WsHead};

fn base(role: Role) -> &'static str {
    if role == Role::Admin { "/office/recalls" } else { "/portal/recalls" }
}

fn list_rows(lang: Lang, role: Role, rows: &[RecallRow]) -> impl IntoView + use<> {
    rows.iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=format!("{}/{}", base(role), r.note.id)><span class="mono">{r.code.clone()}</span></a>" "{recall_pill(lang, Some(r.note.status))}</td>
                    <td>{r.product_name.clone()}<br/><span class="muted small">{r.size_vi.clone()}" · "{r.producer_name.clone()}</span></td>
                    <td>{r.note.reason.clone()}</td>
                    <td>{at_in(lang, r.note.opened_at)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
pub fn RecallsPage() -> impl IntoView {
    let lang = use_lang();
    let office = super::dossiers::in_office();
    let data = crate::once::once(get_recalls(office));
    view! {
        <PageTitle text=lang.t("Thu hồi lô sản phẩm", "Batch recalls")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(None) if office => super::office::office_only(lang),
                    Ok(None) => super::portal::sign_in_first(lang),
                    Err(_) => super::server_error(),
                    Ok(Some(RecallsData { role, recalls, batches, csrf })) => {
                        let s = form_state().for_form("recall");
                        let options = batches.iter().map(|(id, label)| {
                            let v = id.to_string();
                            view! { <option value=v.clone() selected=s.value("batch_id") == v>{label.clone()}</option> }
                        }).collect_view();
                        view! {
                            <WsHead title=lang.t("Thu hồi", "Recalls")
                                lead=lang.t("Một lô bị thu hồi bị chặn bán trực tuyến ngay, trên máy bán hàng ở lần đồng bộ tới; người mua được báo.", "A recalled batch is blocked online at once and on tills at their next sync; its buyers are told.").to_string()/>
                            {if recalls.is_empty() {
                                view! { <EmptyState title=lang.t("Chưa có lô nào bị thu hồi.", "No recall.") hint=lang.t("Khi một lô có vấn đề, mở thu hồi để tìm mọi đơn và lần bán đã lấy lô đó.", "When a batch is bad, open a recall to find every order and sale that took it.")/> }.into_any()
                            } else {
                                view! { <div class="table-wrap"><table class="data" id="recalls"><thead><tr><th>{lang.t("Lô", "Batch")}</th>
                                    <th>{lang.t("Sản phẩm", "Product")}</th><th>{lang.t("Lý do", "Reason")}</th><th>{lang.t("Mở lúc", "Opened")}</th></tr></thead>
                                    <tbody>{list_rows(lang, role, &recalls)}</tbody></table></div> }.into_any()
                            }}
                            {(role == Role::Admin).then(|| view! {
                                <section class="panel" id="open">
                                    <h2>{lang.t("Mở thu hồi", "Open a recall")}</h2>
                                    <form method="post" action="/office/recalls" class="checkout-form" id="open-recall">
                                        <input type="hidden" name="csrf" value=csrf.clone()/>
                                        <label for="batch_id">{lang.t("Lô", "Batch")}</label>
                                        <select id="batch_id" name="batch_id" required>
                                            <option value="">{lang.t("— Chọn lô —", "— Choose a batch —")}</option>
                                            {options}
                                        </select>
                                        {error_for(lang, &s, "batch_id")}
                                        <label for="reason">{lang.t("Lý do thu hồi", "Reason for the recall")}</label>
                                        <TextArea id="reason" rows=3 maxlength=2000 value=s.value("reason")/>
                                        {error_for(lang, &s, "reason")}
                                        {other_errors(lang, &s, &["batch_id", "reason"])}
                                        <button type="submit" class="button danger">{lang.t("Mở thu hồi", "Open the recall")}</button>
                                    </form>
                                </section>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn takes_table(lang: Lang, id: &str, takes: &[Take], online: bool) -> AnyView {
    if takes.is_empty() {
        return view! { <p class="muted" id=id.to_string()>{if online { lang.t("Không đơn hàng nào lấy lô này.", "No order took this batch.") } else { lang.t("Không lần bán nào tại điểm bán lấy lô này.", "No showroom sale took this batch.") }}</p> }.into_any();
    }
    let rows = takes
        .iter()
        .map(|t| {
            let reference = if online {
                view! { <span class="mono">{t.reference.clone()}</span> }.into_any()
            } else {
                view! { <span class="mono">{if t.receipt.is_empty() { t.reference.clone() } else { t.receipt.clone() }}</span> }.into_any()
            };
            view! {
                <tr><td>{reference}{t.assumed.then(|| view! { " " <span class="pill" title=lang.t("Lô được suy ra theo hạn dùng sớm nhất", "Batch assumed first-expiring-first-out")>{lang.t("suy ra", "assumed")}</span> })}</td>
                    <td>{t.location.clone()}</td><td class="num">{number_in(lang, t.qty)}</td><td>{at_in(lang, t.at)}</td></tr>
            }
        })
        .collect_view();
    view! { <div class="table-wrap"><table class="data" id=id.to_string()><thead><tr>
        <th>{if online { lang.t("Đơn hàng", "Order") } else { lang.t("Biên lai", "Receipt") }}</th><th>{lang.t("Nơi bán", "Where")}</th>
        <th class="num">{lang.t("Số lượng", "Units")}</th><th>{lang.t("Lúc", "When")}</th></tr></thead><tbody>{rows}</tbody></table></div> }.into_any()
}

#[component]
pub fn RecallPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let office = super::dossiers::in_office();
    let s = form_state();
    view! {
        <PageTitle text=lang.t("Thu hồi lô", "Batch recall")/>
        {notice(lang)}
        {super::record_page(move || get_recall(id, office), move |d: RecallData| {
            let v = d.recall.clone();
            let r = v.row.clone();
            let open = r.note.status == RecallStatus::Open;
            let office = d.role == Role::Admin;
            let cs = s.for_form("close");
            let ws = s.for_form("withdraw");
            let shelves = v.shelves.iter().map(|sh| view! {
                <tr><td>{sh.name.clone()}</td><td class="num">{number_in(lang, sh.qty)}</td>
                    <td>{(office && open).then(|| view! {
                        <form method="post" action=format!("/office/recalls/{}/withdraw", r.note.id) class="inline">
                            <input type="hidden" name="csrf" value=d.csrf.clone()/>
                            <input type="hidden" name="location_id" value=sh.location_id.to_string()/>
                            <button type="submit" class="button small">{lang.t("Đã rút khỏi kệ", "Withdrawn from the shelf")}</button>
                        </form>
                    })}</td></tr>
            }).collect_view();
            let events = v.events.iter().map(|e| {
                let (vi, en) = e.label();
                view! { <li class="step done"><span><strong>{lang.t(vi, en)}</strong>{e.note.clone().map(|n| view! { <br/><span>{n}</span> })}</span>
                    <span class="muted small">{at_in(lang, e.at)}" · "{e.actor.clone()}</span></li> }
            }).collect_view();
            let notify = v.reach.notify.iter().map(|m| view! { <li class="mono">{m.clone()}</li> }).collect_view();
            view! {
                <WsHead title=format!("{} {}", lang.t("Thu hồi lô", "Recall of batch"), r.code)
                    lead=format!("{} · {} · {}", r.product_name, r.size_vi, r.producer_name)>
                    <a class="button" href=format!("/trace/{}", r.batch_id)>{lang.t("Trang truy xuất", "Trace page")}</a>
                </WsHead>
                <section class="panel">
                    <p>{recall_pill(lang, Some(r.note.status))}" "<strong>{lang.t("Lý do: ", "Reason: ")}</strong>{r.note.reason.clone()}</p>
                    <div class="kpis" id="reach">
                        <div class="kpi"><span class="kpi-value">{v.reach.orders.len()}</span><span class="kpi-label">{lang.t("đơn hàng", "orders")}</span></div>
                        <div class="kpi"><span class="kpi-value">{v.reach.sales.len()}</span><span class="kpi-label">{lang.t("lần bán tại điểm bán", "showroom sales")}</span></div>
                        <div class="kpi"><span class="kpi-value">{number_in(lang, v.reach.units_sold)}</span><span class="kpi-label">{lang.t("sản phẩm đã bán", "units sold")}</span></div>
                        <div class="kpi"><span class="kpi-value">{number_in(lang, v.reach.units_on_shelves)}</span><span class="kpi-label">{lang.t("sản phẩm còn trên kệ", "units on shelves")}</span></div>
                    </div>
                </section>
                <section class="panel"><h2>{lang.t("Đơn hàng trực tuyến đã lấy lô", "Online orders that took the batch")}</h2>{takes_table(lang, "recall-orders", &v.reach.orders, true)}</section>
                <section class="panel"><h2>{lang.t("Lần bán tại điểm bán", "Showroom sales")}</h2>{takes_table(lang, "recall-sales", &v.reach.sales, false)}</section>
                <section class="panel" id="notified">
                    <h2>{lang.t("Người mua được báo", "Shoppers notified")}</h2>
                    {if v.reach.notify.is_empty() {
                        view! { <p class="muted">{lang.t("Không có địa chỉ email nào cần báo.", "No email address to notify.")}</p> }.into_any()
                    } else {
                        view! { <p>{v.notified_at.map(|t| format!("{} {}", lang.t("Đã gửi email lúc", "Emailed at"), at_in(lang, t)))}</p><ul>{notify}</ul> }.into_any()
                    }}
                </section>
                <section class="panel" id="shelves">
                    <h2>{lang.t("Hàng còn trên kệ", "Left on shelves")}</h2>
                    {if v.shelves.is_empty() {
                        view! { <p class="muted">{lang.t("Không còn sản phẩm nào của lô trên kệ.", "Nothing of the batch is left on any shelf.")}</p> }.into_any()
                    } else {
                        view! { <div class="table-wrap"><table class="data"><thead><tr><th>{lang.t("Nơi", "Location")}</th><th class="num">{lang.t("Số lượng", "Units")}</th><th></th></tr></thead>
                            <tbody>{shelves}</tbody></table></div> }.into_any()
                    }}
                    {error_for(lang, &ws, "location_id")}
                </section>
                <section class="panel"><h2>{lang.t("Diễn biến", "History")}</h2><ol class="timeline" id="recall-history">{events}</ol></section>
                {(office && open).then(|| view! {
                    <section class="panel" id="close">
                        <h2>{lang.t("Kết thúc thu hồi", "Close the recall")}</h2>
                        <form method="post" action=format!("/office/recalls/{}/close", r.note.id) class="checkout-form" id="close-recall">
                            <input type="hidden" name="csrf" value=d.csrf.clone()/>
                            <label for="note">{lang.t("Kết quả xử lý (tiêu huỷ, trả về, hoàn tiền...)", "What was done (destroyed, returned, refunded...)")}</label>
                            <TextArea id="note" rows=3 maxlength=2000 value=cs.value("note")/>
                            {error_for(lang, &cs, "note")}
                            {other_errors(lang, &cs, &["note"])}
                            <button type="submit" class="button primary">{lang.t("Kết thúc thu hồi", "Close the recall")}</button>
                        </form>
                    </section>
                })}
                {v.closed_note.clone().map(|n| view! { <section class="panel"><h2>{lang.t("Kết quả xử lý", "Outcome")}</h2><p>{n}</p></section> })}
            }
        })}
    }
}
