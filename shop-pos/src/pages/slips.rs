//! Receipts, refunds and the showroom's stock.

use leptos::prelude::*;

use super::{flash, key, money};
use crate::catalog::Item;
use crate::staff::Staff;

pub fn receipt(
    no: String,
    lines: Vec<String>,
    notice: Option<String>,
    sync_note: Option<String>,
) -> impl IntoView + use<> {
    let text = lines.join("\n");
    let print_action = format!("/receipts/{no}/print");
    let escpos = format!("/receipts/{no}/escpos");
    let image = format!("/receipts/{no}/image");
    let alt = format!("Biên lai {no} / Receipt {no}");
    view! {
        {flash(None, notice)}
        {sync_note.map(|s| view! { <p class="err noprint">{s}</p> })}
        <div class="receipt-page">
            <img class="receipt-image" src=image alt=alt />
            <section class="noprint">
                <div class="actions">
                    <a href="/sell" id="next-sale" class="btn primary big" autofocus data-key="Escape">{key("Escape")}" Bán tiếp / Next sale"</a>
                    <form method="post" action=print_action class="inline">
                        <button type="submit" id="print" class="big" data-key="F1">{key("F1")}" In lại / Print again"</button>
                    </form>
                    <a href=escpos class="btn">"Tệp ESC/POS / ESC/POS file"</a>
                </div>
                <h2>"Bản chữ / Text"</h2>
                <pre class="receipt" id="receipt">{text}</pre>
            </section>
        </div>
    }
}

/// A receipt of this shift offered for a refund.
#[derive(Debug, Clone)]
pub struct RecentReceipt {
    pub receipt_no: String,
    pub time: String,
    pub items: i64,
    pub total: i64,
    pub refunded: i64,
    pub method: String,
}

/// A sale found for a refund: its lines with what is left to give back.
#[derive(Debug, Clone)]
pub struct RefundForm {
    pub receipt_no: String,
    pub sold_at: String,
    pub total: i64,
    pub refunded: i64,
    /// (line id, name, unit price, sold, already refunded).
    pub lines: Vec<(String, String, i64, i64, i64)>,
    /// What was typed, per line id (0 when nothing).
    pub wanted: std::collections::HashMap<String, i64>,
    pub paid_by: &'static str,
}

fn recent_table(recent: Vec<RecentReceipt>) -> impl IntoView + use<> {
    let empty = recent.is_empty();
    let rows = recent
        .into_iter()
        .map(|r| {
            let href = format!("/refund?no={}", r.receipt_no);
            let refunded = (r.refunded > 0)
                .then(|| view! { <small class="err">{format!(" đã hoàn / refunded {}", money(r.refunded))}</small> });
            view! {
                <tr>
                    <td>{r.time}</td>
                    <td><a href=href>{r.receipt_no.clone()}</a></td>
                    <td class="n">{r.items.to_string()}</td>
                    <td class="n">{money(r.total)}{refunded}</td>
                    <td>{r.method}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>"Biên lai trong ca / This shift's receipts"</h2>
            {empty.then(|| view! { <p class="muted">"Ca này chưa bán gì. / Nothing sold this shift yet."</p> })}
            {(!empty).then(|| view! {
                <div class="scroll">
                    <table id="recent">
                        <tr><th>"Giờ / Time"</th><th>"Biên lai / Receipt"</th><th class="n">"Món / Items"</th><th class="n">"Tổng / Total"</th><th>"Trả bằng / Paid by"</th></tr>
                        {rows}
                    </table>
                </div>
            })}
        </section>
    }
}

fn refund_lines(f: RefundForm) -> impl IntoView + use<> {
    let rows = f
        .lines
        .iter()
        .map(|(id, name, price, sold, refunded)| {
            let left = sold - refunded;
            let typed = f.wanted.get(id).copied().unwrap_or(0);
            view! {
                <tr>
                    <td>{name.clone()}</td>
                    <td class="n">{money(*price)}</td>
                    <td class="n">{sold.to_string()}</td>
                    <td class="n">{refunded.to_string()}</td>
                    <td>
                        <input name=format!("qty_{id}") value=typed.to_string() inputmode="numeric" autocomplete="off"
                            aria-label=format!("Hoàn / Refund: {name}") disabled=left == 0 />
                        <small>{format!(" / {left}")}</small>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let (cash_sel, qr_sel) = (f.paid_by == "cash", f.paid_by == "vietqr");
    view! {
        <form method="post" action="/refund" class="card" id="refund-form">
            <input type="hidden" name="receipt_no" value=f.receipt_no.clone() />
            <h2>{format!("Biên lai / Receipt {} · {}", f.receipt_no, f.sold_at)}</h2>
            <p>{format!("Đã trả / Paid: {}", money(f.total))}
                {(f.refunded > 0).then(|| format!(" · Đã hoàn / Already refunded: {}", money(f.refunded)))}</p>
            <table class="refund-lines">
                <tr><th>"Hàng / Item"</th><th class="n">"Giá / Price"</th><th class="n">"Đã bán / Sold"</th><th class="n">"Đã hoàn / Refunded"</th><th>"Hoàn lần này / Refund now"</th></tr>
                {rows}
            </table>
            <div class="row">
                <label>"Trả lại bằng / Give back by "
                    <select name="method">
                        <option value="cash" selected=cash_sel>"Tiền mặt / Cash"</option>
                        <option value="vietqr" selected=qr_sel>"Chuyển khoản / Transfer"</option>
                    </select>
                </label>
                <button type="submit" id="review-refund" class="primary">"Xem lại trước khi hoàn / Review"</button>
            </div>
        </form>
    }
}

/// The refund screen: find a receipt (all of its number or the last digits, or from this shift's
/// list), then choose what comes back.
pub fn refund(
    no: String,
    found: Option<RefundForm>,
    matches: Vec<RecentReceipt>,
    recent: Vec<RecentReceipt>,
    err: Option<String>,
) -> impl IntoView + use<> {
    let several = (!matches.is_empty()).then(|| {
        view! { <p>"Nhiều biên lai khớp, chọn một: / Several receipts match, pick one:"</p>{recent_table(matches)} }
    });
    let found_some = found.is_some();
    view! {
        {flash(err, None)}
        <div class="two">
            <div>
                <form method="get" action="/refund" class="row card">
                    <label class="stack">"Số biên lai hoặc vài số cuối / Receipt number or its last digits"
                        <input name="no" value=no autofocus=!found_some autocomplete="off" />
                    </label>
                    <button type="submit">"Tìm / Find"</button>
                </form>
                {several}
                {found.map(refund_lines)}
            </div>
            {recent_table(recent)}
        </div>
    }
}

/// What the refund will do, shown before it is done: the amount, how it is given back, and the
/// manager's PIN when the amount calls for one.
pub struct RefundReview {
    pub receipt_no: String,
    pub refund_id: String,
    pub method: &'static str,
    /// (line id, name, units, amount).
    pub lines: Vec<(String, String, i64, i64)>,
    pub discount: i64,
    pub total: i64,
    pub needs_pin: bool,
    pub managers: Vec<Staff>,
}

pub fn refund_review(r: RefundReview, err: Option<String>) -> impl IntoView + use<> {
    let how =
        if r.method == "cash" { "bằng tiền mặt / in cash" } else { "bằng chuyển khoản / by transfer" };
    let back = format!("/refund?no={}", r.receipt_no);
    let hidden = r
        .lines
        .iter()
        .map(|(id, _, n, _)| view! { <input type="hidden" name=format!("qty_{id}") value=n.to_string() /> })
        .collect_view();
    let rows = r
        .lines
        .iter()
        .map(|(_, name, n, amount)| view! { <tr><td>{name.clone()}</td><td class="n">{n.to_string()}</td><td class="n">{money(*amount)}</td></tr> })
        .collect_view();
    let managers =
        r.managers.into_iter().map(|m| view! { <option value=m.id.to_string()>{m.name}</option> }).collect_view();
    let pin = r.needs_pin.then(|| {
        view! {
            <fieldset>
                <legend>"Quản lý duyệt / A manager approves"</legend>
                <div class="row">
                    <label>"Quản lý / Manager " <select name="manager_id">{managers}</select></label>
                    <label>"PIN " <input name="pin" type="password" inputmode="numeric" autocomplete="off" autofocus required /></label>
                </div>
            </fieldset>
        }
    });
    let needs_pin = r.needs_pin;
    view! {
        {flash(err, None)}
        <form method="post" action="/refund" class="card narrow" id="refund-review">
            <input type="hidden" name="receipt_no" value=r.receipt_no.clone() />
            <input type="hidden" name="refund_id" value=r.refund_id />
            <input type="hidden" name="method" value=r.method />
            {hidden}
            <h2>{format!("Hoàn tiền biên lai / Refund of receipt {}", r.receipt_no)}</h2>
            <table>
                <tr><th>"Hàng / Item"</th><th class="n">"SL / Qty"</th><th class="n">"Tiền / Amount"</th></tr>
                {rows}
                {(r.discount > 0).then(|| view! { <tr><td>"Trừ phần giảm giá của đơn / Less the sale's discount"</td><td></td><td class="n">{format!("-{}", money(r.discount))}</td></tr> })}
            </table>
            <p>"Trả lại khách / Give back " <span class="give-back" id="give-back">{money(r.total)}</span>" "<strong id="give-back-how">{how}</strong></p>
            {pin}
            <div class="actions">
                <button type="submit" id="do-refund" class="primary big" autofocus=!needs_pin>"Xác nhận hoàn tiền / Confirm refund"</button>
                <a href=back class="btn big">"Sửa / Change"</a>
            </div>
        </form>
    }
}

pub fn stock(items: Vec<Item>, q: String, err: Option<String>, notice: Option<String>) -> impl IntoView + use<> {
    let rows = items
        .into_iter()
        .filter(|i| i.parts.is_empty())
        .map(|i| {
            view! {
                <tr>
                    <td>{i.label()}<br /><small>{i.sku.clone()}</small></td>
                    <td class="n">{i.stock.to_string()}</td>
                    <td>
                        <form method="post" action="/stock" class="row">
                            <input type="hidden" name="sku" value=i.sku.clone() />
                            <input name="qty" size="5" inputmode="numeric" aria-label="Số lượng / Quantity" />
                            <button type="submit" name="kind" value="received">"Nhập / Received"</button>
                            <button type="submit" name="kind" value="counted">"Đếm được / Counted"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {flash(err, notice)}
        <form method="get" action="/stock" class="row">
            <label>"Tìm / Find " <input name="q" value=q autofocus /></label>
            <button type="submit">"Tìm / Find"</button>
        </form>
        <div class="scroll">
            <table id="stock"><tr><th>"Hàng / Item"</th><th class="n">"Tồn tại quầy / On hand"</th><th></th></tr>{rows}</table>
        </div>
    }
}
