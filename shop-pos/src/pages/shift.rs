//! Opening and closing a shift, and its report.

use leptos::prelude::*;

use super::{flash, money};

pub fn open_shift(err: Option<String>) -> impl IntoView + use<> {
    view! {
        {flash(err, None)}
        <form method="post" action="/shift/open" class="card narrow row">
            <label class="stack">"Tiền đầu ca trong két / Cash float"
                <input name="float" inputmode="numeric" autofocus required placeholder="1.000.000" />
            </label>
            <button type="submit" class="primary big">"Mở ca / Open shift"</button>
        </form>
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

/// The sale still being rung up when the shift is closed.
#[derive(Debug, Clone)]
pub struct OpenCart {
    pub items: i64,
    pub total: i64,
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

fn warnings(c: &CashView, cart: Option<&OpenCart>) -> impl IntoView + use<> {
    let cart = cart.map(|o| {
        view! {
            <div id="open-cart-warning">
                <h2>{format!(
                    "Đơn đang bán chưa thu tiền: {} món, {} / An unfinished sale: {} {}, {}",
                    o.items,
                    money(o.total),
                    o.items,
                    if o.items == 1 { "item" } else { "items" },
                    money(o.total)
                )}</h2>
                <p>"Thu tiền hoặc huỷ đơn đó trước; đơn không được chuyển sang ca sau. / Take payment for it or cancel it first: it does not carry into the next shift."</p>
                <p><a href="/sell" class="btn primary">"Quay lại đơn / Back to the sale"</a></p>
            </div>
        }
    });
    let unsynced = (c.unsynced > 0).then(|| {
        view! { <p id="unsynced-warning">{format!("{} giao dịch chưa đồng bộ: chúng được giữ trên quầy và sẽ gửi khi có mạng. / {} not yet synced: they stay on this till and will be sent when online.", c.unsynced, c.unsynced)}</p> }
    });
    let unconfirmed = (c.unconfirmed != 0).then(|| {
        view! { <p id="unconfirmed-warning">{format!("Chuyển khoản chưa xác nhận: {}. Kiểm tra tài khoản trước khi đóng ca. / Unconfirmed transfers: {}. Check the account before closing.", money(c.unconfirmed), money(c.unconfirmed))}</p> }
    });
    let any = cart.is_some() || unsynced.is_some() || unconfirmed.is_some();
    any.then(|| view! { <div class="warn-box">{cart}{unsynced}{unconfirmed}</div> })
}

pub fn close(c: CashView, cart: Option<OpenCart>, err: Option<String>) -> impl IntoView + use<> {
    let notes = domain::shift::DENOMINATIONS
        .iter()
        .map(|d| {
            view! { <label>{money(*d)}<input name=format!("n{d}") inputmode="numeric" value="0" autocomplete="off" /></label> }
        })
        .collect_view();
    let discard = cart.as_ref().map(|o| {
        view! {
            <label class="err check"><input type="checkbox" name="discard_cart" value="1" id="discard-cart" />
                <span>{format!("Huỷ đơn dở ({}) khi đóng ca / Cancel the unfinished sale ({}) and close", money(o.total), money(o.total))}</span>
            </label>
        }
    });
    view! {
        {flash(err, None)}
        {warnings(&c, cart.as_ref())}
        <div class="two closing">
            <section class="card">{cash_table(&c)}</section>
            <form method="post" action="/shift/close" class="card">
                <h2>"Đếm tiền trong két / Count the drawer"</h2>
                <div class="cash-grid">{notes}</div>
                <p>{discard}</p>
                <button type="submit" id="close-shift" class="primary big">"Đóng ca / Close shift"</button>
            </form>
        </div>
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
        <div class="two">
            <section class="card">{cash_table(&c)}</section>
            <section class="card">
                <p id="counted">{format!("Đếm được / Counted: {}", money(counted))}</p>
                <p id="difference" class="give-back">{diff_text}</p>
                <p class="noprint"><a href="/shift/open" class="btn primary big" autofocus>"Mở ca mới / Open a new shift"</a></p>
            </section>
        </div>
    }
}
