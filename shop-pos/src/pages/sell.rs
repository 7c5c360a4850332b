//! The selling screen and the VietQR screen: everything a sale needs fits the window.

use leptos::prelude::*;

use super::{flash, key, money};
use crate::catalog::Item;
use crate::staff::Staff;
use crate::till::Cart;

/// A product on the grid: the showroom's best sellers and gift combos, for goods without a readable barcode.
#[derive(Debug, Clone)]
pub struct Tile {
    pub item: Item,
    /// The photo kept on the till (`/photos/…`), when the marketplace has one.
    pub photo: Option<String>,
}

/// The sale just paid, shown above the next one until its first scan.
#[derive(Debug, Clone)]
pub struct Done {
    pub receipt_no: String,
    pub total: i64,
    pub change: i64,
    /// Where the receipt went (the printer, or the file written for it), or that it is on its way.
    pub printed: String,
}

pub struct SellView {
    pub cart: Cart,
    pub query: String,
    pub results: Vec<Item>,
    pub tiles: Vec<Tile>,
    pub err: Option<String>,
    pub notice: Option<String>,
    pub managers: Vec<Staff>,
    pub transfer: bool,
    pub done: Option<Done>,
}

fn done_view(d: Done) -> impl IntoView + use<> {
    let preview = format!("/receipts/{}", d.receipt_no);
    let print = format!("/receipts/{}/print", d.receipt_no);
    let (label, amount) = if d.change > 0 {
        ("Tiền thối / Change due", money(d.change))
    } else {
        ("Đã thu đủ / Paid exactly", money(d.total))
    };
    let printed = format!("{} · {}", d.receipt_no, d.printed);
    view! {
        <section class="done" id="done" aria-live="polite">
            <span class="label">{label}</span>
            <span class="change" id="change">{amount}</span>
            <div class="actions">
                <span id="printed">{printed}</span>
                <a class="btn" href=preview id="last-receipt" data-key="F1">{key("F1")}" Xem / Preview"</a>
                <form method="post" action=print class="inline">
                    <button type="submit" id="reprint">"In lại / Print again"</button>
                </form>
            </div>
        </section>
    }
}

fn tiles_view(tiles: Vec<Tile>) -> impl IntoView + use<> {
    let any = !tiles.is_empty();
    let tiles = tiles
        .into_iter()
        .map(|t| {
            let i = t.item;
            let combo = !i.parts.is_empty();
            let class = if combo { "tile combo" } else { "tile" };
            let stock = if combo {
                view! { <small>"Hộp quà / Gift"</small> }.into_any()
            } else if i.stock <= 0 {
                view! { <small class="low">"Hết / Out"</small> }.into_any()
            } else if i.stock <= 3 {
                view! { <small class="low">{format!("Còn {}", i.stock)}</small> }.into_any()
            } else {
                view! { <small>{format!("Còn {}", i.stock)}</small> }.into_any()
            };
            let alt = i.name_vi.clone();
            view! {
                <form method="post" action="/sell/scan">
                    <input type="hidden" name="code" value=i.sku.clone() />
                    <button type="submit" class=class title=i.label()>
                        {t.photo.map(|src| view! { <img src=src alt=alt loading="lazy" /> })}
                        <span class="t-name">{i.label()}</span>
                        <span class="t-foot"><span class="t-price">{money(i.price)}</span>{stock}</span>
                    </button>
                </form>
            }
        })
        .collect_view();
    view! {
        <h2>"Bán chạy và hộp quà / Best sellers and gift combos"</h2>
        <div class="tiles" id="grid">
            {tiles}
            {(!any).then(|| view! { <p class="muted">"Chưa có hàng trong danh mục. / No goods in the catalogue yet."</p> })}
        </div>
    }
}

fn results_view(query: String, results: Vec<Item>) -> impl IntoView + use<> {
    let none = results.is_empty().then(|| view! { <p>"Không thấy / Nothing found."</p> });
    let rows = results
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let stock = if i.parts.is_empty() { i.stock.to_string() } else { "hộp quà / combo".into() };
            let id = format!("result-{n}");
            view! {
                <tr>
                    <td>{i.label()}<br /><small>{i.barcode.clone().unwrap_or_else(|| i.sku.clone())}</small></td>
                    <td class="n">{money(i.price)}</td>
                    <td class="n">{stock}</td>
                    <td>
                        <form method="post" action="/sell/scan">
                            <input type="hidden" name="code" value=i.sku.clone() />
                            <button type="submit" id=id>"Thêm / Add"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="results" class="results">
            <h2>{format!("Kết quả cho “{query}” / Results")}" " <a href="/sell">"Đóng / Close"</a></h2>
            {none}
            <table>
                <tr><th>"Hàng / Item"</th><th class="n">"Giá / Price"</th><th class="n">"Tồn / Stock"</th><th></th></tr>
                {rows}
            </table>
        </section>
    }
}

/// The sale's lines, the one scanned last on top: it is the one a cashier checks, and with a long
/// sale it stays in sight without scrolling (the page has no script to scroll for it).
fn cart_view(cart: &Cart) -> impl IntoView + use<> {
    let last = cart.lines.len().saturating_sub(1);
    let lines = cart
        .lines
        .iter()
        .enumerate()
        .rev()
        .map(|(n, l)| {
            let sku = l.item.sku.clone();
            let is_last = n == last;
            let warn = (l.item.parts.is_empty() && l.item.stock < l.qty)
                .then(|| view! { <small class="err">{format!(" kho còn / in stock {}", l.item.stock)}</small> });
            let qty_key = is_last.then_some("F4");
            view! {
                <tr class=if is_last { "last" } else { "" }>
                    <td>{l.item.label()}<br /><small>{format!("{} × {}", money(l.item.price), l.qty)}</small>{warn}</td>
                    <td class="qty">
                        <form method="post" action="/sell/qty">
                            <input type="hidden" name="sku" value=sku.clone() />
                            <input name="qty" value=l.qty.to_string() inputmode="numeric" autocomplete="off"
                                aria-label="Số lượng / Quantity" data-key=qty_key />
                        </form>
                    </td>
                    <td class="n">{money(l.item.price * l.qty)}</td>
                    <td class="x">
                        <form method="post" action="/sell/qty">
                            <input type="hidden" name="sku" value=sku />
                            <input type="hidden" name="qty" value="0" />
                            <button type="submit" aria-label="Xoá / Remove" title="Xoá / Remove">"×"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = cart.lines.is_empty().then(|| {
        view! { <p class="empty">"Quét mã vạch hoặc chọn hàng bên trái. / Scan a barcode or pick goods on the left."</p> }
    });
    view! {
        <div class="lines">
            <table id="cart">
                <tr><th>"Hàng / Item"</th><th>{key("F4")}" SL / Qty"</th><th class="n">"Tiền / Amount"</th><th></th></tr>
                {lines}
            </table>
            {empty}
        </div>
    }
}

fn pay_view(total: i64, transfer: bool, managers: Vec<Staff>) -> impl IntoView + use<> {
    let quick = domain::shift::quick_cash(total)
        .into_iter()
        .zip(["F5", "F6", "F7"])
        .map(|(amount, k)| {
            view! {
                <button type="submit" name="quick" value=amount.to_string() data-key=k form="pay">
                    {key(k)}" "{money(amount)}
                </button>
            }
        })
        .collect_view();
    let managers =
        managers.into_iter().map(|m| view! { <option value=m.id.to_string()>{m.name}</option> }).collect_view();
    view! {
        <form method="post" action="/sell/pay" id="pay" class="pay">
            <input type="hidden" name="expect_total" value=total.to_string() />
            <button type="submit" name="method" value="cash" id="pay-cash" class="primary big exact" data-key="F9">
                {key("F9")}" Tiền mặt đủ / Exact cash " {money(total)}
            </button>
            <div class="quick" id="quick-cash">{quick}</div>
            <div class="tender">
                <input name="tendered" id="tendered" inputmode="numeric" autocomplete="off" placeholder="Khách đưa / Cash given"
                    aria-label="Khách đưa / Cash handed over" />
                <button type="submit" name="method" value="cash" id="pay-tendered">"Thu / Take"</button>
            </div>
            <div class="more">
                {transfer.then(|| view! {
                    <button type="submit" name="method" value="vietqr" id="pay-qr" data-key="F10">{key("F10")}" VietQR"</button>
                })}
                {(!transfer).then(|| view! { <span></span> })}
                <details class="pop" data-key="F8" id="discount-box">
                    <summary>{key("F8")}<span class="lbl"><span>"Giảm giá"</span><small lang="en">"Discount"</small></span></summary>
                    <form method="post" action="/sell/discount">
                        <strong>"Giảm giá (quản lý duyệt) / Discount (a manager approves)"</strong>
                        <label class="stack">"Số tiền / Amount" <input name="amount" inputmode="numeric" autocomplete="off" /></label>
                        <label class="stack">"Quản lý / Manager" <select name="manager_id">{managers}</select></label>
                        <label class="stack">"PIN" <input name="pin" type="password" inputmode="numeric" autocomplete="off" /></label>
                        <button type="submit" class="primary">"Áp dụng / Apply"</button>
                    </form>
                </details>
                <button type="submit" form="clear" class="danger" id="clear-sale" data-key="Escape"
                    data-confirm="Bấm Esc lần nữa để huỷ đơn. / Press Esc again to cancel the sale.">
                    {key("Escape")}<span class="lbl"><span>"Huỷ đơn"</span><small lang="en">"Cancel sale"</small></span>
                </button>
            </div>
            {transfer.then(|| view! {
                <div class="split">
                    <input name="transfer" inputmode="numeric" autocomplete="off" aria-label="Chia: phần chuyển khoản / Split: transfer part"
                        placeholder="Chia: phần chuyển khoản / Split: transfer part" />
                    <button type="submit" name="method" value="split">"Chia / Split"</button>
                </div>
            })}
            <p id="key-hint" class="err" hidden></p>
        </form>
        <form method="post" action="/sell/clear" id="clear"></form>
    }
}

pub fn sell(v: SellView) -> impl IntoView + use<> {
    let total = v.cart.total();
    let subtotal = v.cart.subtotal();
    let discount = v.cart.discount.min(subtotal);
    let count: i64 = v.cart.lines.iter().map(|l| l.qty).sum();
    let empty = v.cart.lines.is_empty();
    let goods = if v.results.is_empty() && v.query.is_empty() {
        tiles_view(v.tiles).into_any()
    } else {
        results_view(v.query.clone(), v.results).into_any()
    };
    let cart = cart_view(&v.cart);
    view! {
        <section class="goods">
            <form method="post" action="/sell/scan" class="scan">
                <input name="code" id="scan" autofocus autocomplete="off" value=v.query data-key="F2"
                    aria-label="Quét mã vạch hoặc gõ tên / Scan a barcode or type a name"
                    placeholder="F2 · Quét mã vạch hoặc gõ tên / Scan a barcode or type a name" />
                <button type="submit" class="primary">"Thêm / Add"</button>
            </form>
            {flash(v.err, v.notice)}
            {goods}
        </section>
        <section class="sale" aria-label="Đơn đang bán / This sale">
            {v.done.filter(|_| empty).map(done_view)}
            {cart}
            <div class="sums">
                <div><span>{format!("Tạm tính / Subtotal ({count} món / items)")}</span><span class="money">{money(subtotal)}</span></div>
                {(discount > 0).then(|| view! {
                    <div id="discount"><span>"Giảm giá / Discount"</span><span class="money">{format!("-{}", money(discount))}</span></div>
                })}
                <div class="total"><span>"Tổng / Total"</span><span id="total" class="money">{money(total)}</span></div>
            </div>
            {(!empty).then(|| pay_view(total, v.transfer, v.managers))}
        </section>
    }
}

pub struct QrView {
    pub svg: String,
    pub amount: i64,
    pub bank: String,
    pub account: String,
    pub holder: String,
    pub purpose: String,
    pub transfer: i64,
    pub tendered: String,
    pub online: bool,
    /// The sale's total when the QR was shown: confirming checks the cart still comes to it.
    pub total: i64,
}

pub fn qr(v: QrView) -> impl IntoView + use<> {
    let hint = if v.online {
        "Khi thấy tiền về tài khoản, bấm “Đã nhận”. / When the money shows in the account, press “Received”."
    } else {
        "Đang ngoại tuyến: nếu chưa kiểm tra được tài khoản, ghi nhận “chưa xác nhận” để văn phòng đối soát sau. / Offline: if the account cannot be checked, record it as unconfirmed for the office to reconcile."
    };
    view! {
        <div class="qr-page">
            // trusted-html: a QR code drawn by the qrcode crate (only rectangles, no text).
            <section inner_html=v.svg id="qr"></section>
            <section class="card">
                <p class="amount money">{money(v.amount)}</p>
                <p>{format!("Ngân hàng / Bank: {}", v.bank)}</p>
                <p>{format!("Số tài khoản / Account: {}", v.account)}</p>
                <p>{format!("Chủ tài khoản / Holder: {}", v.holder)}</p>
                <p>{format!("Nội dung / Purpose: {}", v.purpose)}</p>
                <p>{hint}</p>
                <form method="post" action="/sell/pay" class="actions">
                    <input type="hidden" name="method" value="confirm" />
                    <input type="hidden" name="expect_total" value=v.total.to_string() />
                    <input type="hidden" name="transfer" value=v.transfer.to_string() />
                    <input type="hidden" name="tendered" value=v.tendered />
                    <button type="submit" name="confirmed" value="1" id="qr-received" class="primary big" autofocus data-key="F9">
                        {key("F9")}" Đã nhận tiền / Received"
                    </button>
                    <button type="submit" name="confirmed" value="0" id="qr-unconfirmed" class="big">"Chưa xác nhận được / Can't confirm now"</button>
                </form>
                <p><a href="/sell" class="btn" data-key="Escape">{key("Escape")}" Quay lại / Back"</a></p>
            </section>
        </div>
    }
}
