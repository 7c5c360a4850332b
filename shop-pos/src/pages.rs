//! The till's screens, server-rendered with plain forms: a scanner types the code and Enter into the
//! focused field, every button is a form post, nothing needs JavaScript.

use axum::response::Html;
use domain::money::Vnd;
use leptos::prelude::*;

use crate::catalog::Item;
use crate::staff::Staff;
use crate::till::{Cart, Stored};

/// What the status bar shows on every screen.
#[derive(Debug, Clone, Default)]
pub struct Bar {
    pub demo: bool,
    pub online: Option<bool>,
    pub unsynced: i64,
    pub rejected: i64,
    pub last_sync: Option<String>,
    pub showroom: String,
    pub staff: Option<String>,
}

/// The till's stylesheet, served from `/assets/pos.css`; its URL carries a hash of the content.
pub const STYLE: &str = include_str!("../assets/pos.css");

pub fn style_href() -> &'static str {
    static HREF: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        STYLE.hash(&mut h);
        format!("/assets/pos.css?v={:x}", h.finish())
    });
    &HREF
}

pub fn money(v: i64) -> String {
    Vnd(v).to_string()
}

fn bar_view(b: &Bar) -> impl IntoView + use<> {
    let (cls, state) = match (b.demo, b.online) {
        (true, _) => ("demo", "Chế độ thử / Demo (không đồng bộ / no sync)".to_string()),
        (false, Some(true)) => ("online", "Trực tuyến / Online".to_string()),
        (false, Some(false)) => ("offline", "Ngoại tuyến / Offline".to_string()),
        (false, None) => ("offline", "Đang kết nối… / Connecting…".to_string()),
    };
    let unsynced = format!("Chưa đồng bộ / Unsynced: {}", b.unsynced);
    let rejected = (b.rejected > 0).then(|| format!("Bị từ chối / Rejected: {}", b.rejected));
    let last = format!("Đồng bộ lần cuối / Last sync: {}", b.last_sync.clone().unwrap_or_else(|| "—".into()));
    let who = b.staff.clone().map(|s| format!("Nhân viên / Staff: {s}"));
    view! {
        <div class="bar" id="status">
            <strong>{b.showroom.clone()}</strong>
            <span class=cls id="sync-state">{state}</span>
            <span id="unsynced">{unsynced}</span>
            {rejected.map(|r| view! { <span id="rejected" class="offline">{r}</span> })}
            <span id="last-sync">{last}</span>
            {who.map(|w| view! { <span>{w}</span> })}
        </div>
    }
}

fn nav(staff: Option<&Staff>) -> impl IntoView + use<> {
    let manager = staff.is_some_and(|s| s.manager);
    staff.map(|_| {
        view! {
            <nav class="noprint">
                <a href="/sell">"Bán hàng / Sell"</a>
                <a href="/refund">"Hoàn tiền / Refund"</a>
                <a href="/stock">"Kho / Stock"</a>
                <a href="/shift/close">"Đóng ca / Close shift"</a>
                {manager.then(|| view! { <a href="/staff">"Nhân viên / Staff"</a> })}
                <form method="post" action="/signout" class="inline">
                    <button type="submit">"Đăng xuất / Sign out"</button>
                </form>
            </nav>
        }
    })
}

pub fn page(title: &str, bar: &Bar, staff: Option<&Staff>, body: impl IntoView + 'static) -> Html<String> {
    let html = view! {
        <html lang="vi">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{format!("{title} · Quầy OCOP")}</title>
                <link rel="stylesheet" href=style_href() />
            </head>
            <body>
                {bar_view(bar)}
                <main>{nav(staff)}<h1>{title.to_string()}</h1>{body}</main>
            </body>
        </html>
    }
    .to_html();
    Html(format!("<!DOCTYPE html>{html}"))
}

fn flash(err: Option<String>, ok: Option<String>) -> impl IntoView + use<> {
    view! {
        {err.map(|e| view! { <p class="err" id="error" role="alert">{e}</p> })}
        {ok.map(|m| view! { <p class="ok" id="notice">{m}</p> })}
    }
}

pub fn setup(err: Option<String>, server_url: String) -> impl IntoView + use<> {
    view! {
        {flash(err, None)}
        <p>"Quầy chưa được thiết lập. Ghép với chợ OCOP bằng mã của văn phòng, hoặc dùng thử với danh mục mẫu."</p>
        <p lang="en">"This till is not set up yet. Pair it with the marketplace using the office's code, or try it with the sample catalogue."</p>
        <form method="post" action="/setup">
            <fieldset>
                <legend>"Quản lý quầy / Till manager"</legend>
                <label>"Tên / Name " <input name="manager_name" required maxlength="60" /></label>
                " "
                <label>"Mã PIN (4–8 số) / PIN (4-8 digits) " <input name="manager_pin" type="password" inputmode="numeric" required /></label>
            </fieldset>
            <fieldset>
                <legend>"Ghép máy / Pair"</legend>
                <label>"Địa chỉ chợ / Marketplace URL " <input name="server_url" value=server_url size="40" /></label>
                " "
                <label>"Mã ghép / Pairing code " <input name="code" placeholder="XXXXX-XXXXX" /></label>
                <button type="submit" name="mode" value="pair">"Ghép máy / Pair"</button>
            </fieldset>
            <p><button type="submit" name="mode" value="demo">"Dùng thử / Demo mode"</button></p>
        </form>
    }
}

pub fn signin(staff: Vec<Staff>, err: Option<String>, notice: Option<String>) -> impl IntoView + use<> {
    view! {
        {flash(err, notice)}
        <form method="post" action="/signin">
            <label>"Nhân viên / Staff "
                <select name="staff_id">
                    {staff.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                </select>
            </label>
            " "
            <label>"PIN " <input name="pin" type="password" inputmode="numeric" autofocus required /></label>
            " "
            <button type="submit">"Đăng nhập / Sign in"</button>
        </form>
    }
}

pub fn open_shift(err: Option<String>) -> impl IntoView + use<> {
    view! {
        {flash(err, None)}
        <form method="post" action="/shift/open">
            <label>"Tiền đầu ca trong két / Cash float " <input name="float" inputmode="numeric" autofocus required placeholder="1.000.000" /></label>
            " "
            <button type="submit">"Mở ca / Open shift"</button>
        </form>
    }
}

pub struct SellView {
    pub cart: Cart,
    pub query: String,
    pub results: Vec<Item>,
    pub err: Option<String>,
    pub notice: Option<String>,
    pub managers: Vec<Staff>,
    pub transfer: bool,
}

pub fn sell(v: SellView) -> impl IntoView + use<> {
    let total = v.cart.total();
    let subtotal = v.cart.subtotal();
    let empty = v.cart.lines.is_empty();
    let lines = v
        .cart
        .lines
        .into_iter()
        .map(|l| {
            let sku = l.item.sku.clone();
            let warn = (l.item.parts.is_empty() && l.item.stock < l.qty)
                .then(|| view! { <small class="err">{format!(" (kho còn / in stock {})", l.item.stock)}</small> });
            view! {
                <tr>
                    <td>{l.item.label()}<br /><small>{l.item.sku.clone()}</small>{warn}</td>
                    <td class="n">{money(l.item.price)}</td>
                    <td>
                        <form method="post" action="/sell/qty">
                            <input type="hidden" name="sku" value=sku.clone() />
                            <input name="qty" value=l.qty.to_string() size="3" inputmode="numeric" aria-label="Số lượng / Quantity" />
                            <button type="submit">"Đổi / Set"</button>
                        </form>
                    </td>
                    <td class="n">{money(l.item.price * l.qty)}</td>
                    <td>
                        <form method="post" action="/sell/qty">
                            <input type="hidden" name="sku" value=sku />
                            <input type="hidden" name="qty" value="0" />
                            <button type="submit">"Xoá / Remove"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let results = (!v.results.is_empty() || !v.query.is_empty()).then(|| {
        let none = v.results.is_empty().then(|| view! { <p>"Không thấy / Nothing found."</p> });
        let rows = v
            .results
            .into_iter()
            .map(|i| {
                let stock = if i.parts.is_empty() { i.stock.to_string() } else { "hộp quà / combo".into() };
                view! {
                    <tr>
                        <td>{i.label()}<br /><small>{i.barcode.clone().unwrap_or_else(|| i.sku.clone())}</small></td>
                        <td class="n">{money(i.price)}</td>
                        <td class="n">{stock}</td>
                        <td>
                            <form method="post" action="/sell/scan">
                                <input type="hidden" name="code" value=i.sku.clone() />
                                <button type="submit">"Thêm / Add"</button>
                            </form>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! { <section id="results"><h2>"Kết quả / Results"</h2>{none}<table>{rows}</table></section> }
    });
    let discount = (v.cart.discount > 0).then(
        || view! { <p id="discount">{format!("Giảm giá / Discount: -{}", money(v.cart.discount.min(subtotal)))}</p> },
    );
    let managers =
        v.managers.into_iter().map(|m| view! { <option value=m.id.to_string()>{m.name}</option> }).collect_view();
    let transfer = v.transfer;
    view! {
        {flash(v.err, v.notice)}
        <div class="cols">
            <section>
                <form method="post" action="/sell/scan">
                    <label>"Quét mã vạch hoặc gõ tên / Scan a barcode or type a name "
                        <input name="code" id="scan" autofocus autocomplete="off" value=v.query />
                    </label>
                    <button type="submit">"Thêm / Add"</button>
                </form>
                {results}
            </section>
            <section>
                <h2>"Đơn đang bán / This sale"</h2>
                <table id="cart">
                    <tr><th>"Hàng / Item"</th><th class="n">"Giá / Price"</th><th>"SL / Qty"</th><th class="n">"Thành tiền"</th><th></th></tr>
                    {lines}
                </table>
                {discount}
                <p class="total" id="total">{format!("Tổng / Total: {}", money(total))}</p>
                {(!empty).then(|| view! {
                    <form method="post" action="/sell/pay" id="pay">
                        <input type="hidden" name="expect_total" value=total.to_string() />
                        <label>"Khách đưa / Cash handed over " <input name="tendered" id="tendered" inputmode="numeric" placeholder=money(total) /></label>
                        <button type="submit" name="method" value="cash" id="pay-cash">"Tiền mặt / Cash"</button>
                        {transfer.then(|| view! {
                            <p>
                                <button type="submit" name="method" value="vietqr" id="pay-qr">"VietQR (chuyển khoản / transfer)"</button>
                                " "
                                <label>"Chia: phần chuyển khoản / Split: transfer part " <input name="transfer" inputmode="numeric" size="10" /></label>
                                <button type="submit" name="method" value="split">"Chia / Split"</button>
                            </p>
                        })}
                    </form>
                    <details>
                        <summary>"Giảm giá (quản lý duyệt) / Discount (manager approves)"</summary>
                        <form method="post" action="/sell/discount">
                            <label>"Số tiền / Amount " <input name="amount" inputmode="numeric" size="10" /></label>
                            <label>" Quản lý / Manager " <select name="manager_id">{managers}</select></label>
                            <label>" PIN " <input name="pin" type="password" inputmode="numeric" size="8" /></label>
                            <button type="submit">"Áp dụng / Apply"</button>
                        </form>
                    </details>
                    <form method="post" action="/sell/clear"><button type="submit">"Huỷ đơn / Clear sale"</button></form>
                })}
            </section>
        </div>
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
        <div class="cols">
            // trusted-html: a QR code drawn by the qrcode crate (only rectangles, no text).
            <section inner_html=v.svg id="qr"></section>
            <section>
                <p class="total">{money(v.amount)}</p>
                <p>{format!("Ngân hàng / Bank: {}", v.bank)}</p>
                <p>{format!("Số tài khoản / Account: {}", v.account)}</p>
                <p>{format!("Chủ tài khoản / Holder: {}", v.holder)}</p>
                <p>{format!("Nội dung / Purpose: {}", v.purpose)}</p>
                <p>{hint}</p>
                <form method="post" action="/sell/pay">
                    <input type="hidden" name="method" value="confirm" />
                    <input type="hidden" name="expect_total" value=v.total.to_string() />
                    <input type="hidden" name="transfer" value=v.transfer.to_string() />
                    <input type="hidden" name="tendered" value=v.tendered />
                    <button type="submit" name="confirmed" value="1" id="qr-received">"Đã nhận tiền / Received"</button>
                    " "
                    <button type="submit" name="confirmed" value="0" id="qr-unconfirmed">"Chưa xác nhận được / Can't confirm now"</button>
                </form>
                <p><a href="/sell">"Quay lại / Back"</a></p>
            </section>
        </div>
    }
}

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
        <div class="cols">
            <section><img class="receipt-image" src=image alt=alt /></section>
            <section class="noprint">
                <h2>"Bản chữ / Text"</h2>
                <pre class="receipt" id="receipt">{text}</pre>
            </section>
        </div>
        <div class="noprint">
            <form method="post" action=print_action class="inline">
                <button type="submit" id="print">"In lại / Print again"</button>
            </form>
            " "
            <a href=escpos>"Tệp ESC/POS / ESC/POS file"</a>
            " "
            <a href="/sell" id="next-sale">"Bán tiếp / Next sale"</a>
        </div>
    }
}

pub fn refund(no: String, found: Option<Stored>, err: Option<String>) -> impl IntoView + use<> {
    let sale = found.map(|s| {
        let rows = s
            .sale
            .lines
            .iter()
            .zip(s.names.iter())
            .map(|(l, name)| {
                view! {
                    <tr>
                        <td>{name.clone()}</td>
                        <td class="n">{money(l.unit_price)}</td>
                        <td class="n">{l.qty.to_string()}</td>
                        <td><input name=format!("qty_{}", l.id) value=l.qty.to_string() size="3" inputmode="numeric" aria-label="Hoàn / Refund" /></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <form method="post" action="/refund">
                <input type="hidden" name="receipt_no" value=s.sale.receipt_no.clone() />
                <table>
                    <tr><th>"Hàng / Item"</th><th class="n">"Giá"</th><th class="n">"Đã bán / Sold"</th><th>"Hoàn / Refund"</th></tr>
                    {rows}
                </table>
                <p>{format!("Đã trả / Paid: {}", money(s.sale.total))}</p>
                <label>"Trả lại bằng / Give back by "
                    <select name="method">
                        <option value="cash">"Tiền mặt / Cash"</option>
                        <option value="vietqr">"Chuyển khoản / Transfer"</option>
                    </select>
                </label>
                " "
                <button type="submit" id="do-refund">"Hoàn tiền / Refund"</button>
            </form>
        }
    });
    view! {
        {flash(err, None)}
        <form method="get" action="/refund">
            <label>"Số biên lai / Receipt number " <input name="no" value=no autofocus /></label>
            <button type="submit">"Tìm / Find"</button>
        </form>
        {sale}
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
                        <form method="post" action="/stock">
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
        <form method="get" action="/stock">
            <label>"Tìm / Find " <input name="q" value=q /></label>
            <button type="submit">"Tìm / Find"</button>
        </form>
        <table id="stock"><tr><th>"Hàng / Item"</th><th class="n">"Tồn tại quầy / On hand"</th><th></th></tr>{rows}</table>
    }
}

pub struct CashView {
    pub float: i64,
    pub cash_sales: i64,
    pub cash_refunds: i64,
    pub transfers: i64,
    pub unconfirmed: i64,
    pub expected: i64,
    pub sales: usize,
    pub refunds: usize,
    pub unsynced: i64,
}

fn cash_table(c: &CashView) -> impl IntoView + use<> {
    let row = |label: &'static str, v: String| view! { <tr><td>{label}</td><td class="n">{v}</td></tr> };
    view! {
        <table id="cash">
            {row("Số lần bán / Sales", c.sales.to_string())}
            {row("Số lần hoàn / Refunds", c.refunds.to_string())}
            {row("Tiền đầu ca / Float", money(c.float))}
            {row("Thu tiền mặt / Cash taken", money(c.cash_sales))}
            {row("Chi hoàn tiền mặt / Cash refunded", money(c.cash_refunds))}
            {row("Chuyển khoản VietQR / Transfers", money(c.transfers))}
            {row("…chưa xác nhận / …unconfirmed", money(c.unconfirmed))}
            {row("Két phải có / Expected in drawer", money(c.expected))}
        </table>
    }
}

pub fn close(c: CashView, err: Option<String>) -> impl IntoView + use<> {
    let unsynced = (c.unsynced > 0).then(|| {
        view! { <p class="err" id="unsynced-warning">{format!("{} giao dịch chưa đồng bộ: chúng được giữ trên quầy và sẽ gửi khi có mạng. / {} not yet synced: they stay on this till and will be sent when online.", c.unsynced, c.unsynced)}</p> }
    });
    let notes = domain::shift::DENOMINATIONS
        .iter()
        .map(|d| {
            view! { <tr><td>{money(*d)}</td><td><input name=format!("n{d}") size="4" inputmode="numeric" value="0" /></td></tr> }
        })
        .collect_view();
    view! {
        {flash(err, None)}
        {unsynced}
        {cash_table(&c)}
        <h2>"Đếm tiền trong két / Count the drawer"</h2>
        <form method="post" action="/shift/close">
            <table>{notes}</table>
            <button type="submit" id="close-shift">"Đóng ca / Close shift"</button>
        </form>
    }
}

pub fn report(c: CashView, opened: String, closed: String, counted: i64) -> impl IntoView + use<> {
    let diff = counted - c.expected;
    let diff_text = match diff {
        0 => "Khớp / Balanced".to_string(),
        d if d < 0 => format!("Thiếu / Short {}", money(-d)),
        d => format!("Thừa / Over {}", money(d)),
    };
    let unsynced = (c.unsynced > 0).then(|| {
        view! { <p class="err">{format!("{} giao dịch chưa đồng bộ, vẫn được giữ. / {} not yet synced, kept.", c.unsynced, c.unsynced)}</p> }
    });
    view! {
        <p>{format!("Mở / Opened: {opened} · Đóng / Closed: {closed}")}</p>
        {unsynced}
        {cash_table(&c)}
        <p id="counted">{format!("Đếm được / Counted: {}", money(counted))}</p>
        <p id="difference" class="total">{diff_text}</p>
        <p class="noprint"><a href="/shift/open">"Mở ca mới / Open a new shift"</a></p>
    }
}

pub fn staff_admin(staff: Vec<Staff>, err: Option<String>, notice: Option<String>) -> impl IntoView + use<> {
    let rows = staff
        .into_iter()
        .map(|s| view! { <tr><td>{s.name}</td><td>{if s.manager { "Quản lý / Manager" } else { "Nhân viên / Staff" }}</td></tr> })
        .collect_view();
    view! {
        {flash(err, notice)}
        <table>{rows}</table>
        <h2>"Thêm nhân viên / Add staff"</h2>
        <form method="post" action="/staff">
            <label>"Tên / Name " <input name="name" required maxlength="60" /></label>
            <label>" PIN " <input name="pin" type="password" inputmode="numeric" required /></label>
            <label>" " <input type="checkbox" name="manager" value="1" />" Quản lý / Manager"</label>
            " "
            <button type="submit">"Thêm / Add"</button>
        </form>
    }
}
