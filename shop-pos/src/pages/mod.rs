//! The till's screens, server-rendered with plain forms: a scanner types the code and Enter into the
//! focused field, every button is a form post, and every page works without JavaScript. With it
//! (`/assets/pos.js`), the key printed on a button presses it.

mod sell;
mod setup;
mod shift;
mod slips;

use axum::response::Html;
use domain::money::Vnd;
use leptos::prelude::*;

use crate::staff::Staff;

pub use sell::{Done, QrView, SellView, Tile, qr, sell};
pub use setup::{SetupForm, setup, signin, staff_admin};
pub use shift::{CashView, OpenCart, close, open_shift, report};
pub use slips::{RecentReceipt, RefundForm, RefundReview, receipt, refund, refund_review, stock};

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

/// The till's stylesheet and key script, served from `/assets/`; their URLs carry a hash of the content.
pub const STYLE: &str = include_str!("../../assets/pos.css");
pub const SCRIPT: &str = include_str!("../../assets/pos.js");

fn versioned(name: &str, body: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("/assets/{name}?v={:x}", h.finish())
}

pub fn style_href() -> &'static str {
    static HREF: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| versioned("pos.css", STYLE));
    &HREF
}

pub fn script_src() -> &'static str {
    static SRC: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| versioned("pos.js", SCRIPT));
    &SRC
}

pub fn money(v: i64) -> String {
    Vnd(v).to_string()
}

/// Which screen a page is, for the navigation's current item and the body's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Sell,
    Refund,
    Stock,
    Shift,
    Staff,
    /// Setup, sign-in and receipts: no current item.
    Other,
}

fn bar_view(b: &Bar, staff: Option<&Staff>, screen: Screen) -> impl IntoView + use<> {
    let (cls, state) = match (b.demo, b.online) {
        (true, _) => ("pill demo", "Chế độ thử / Demo".to_string()),
        (false, Some(true)) => ("pill online", "Trực tuyến / Online".to_string()),
        (false, Some(false)) => ("pill offline", "Ngoại tuyến / Offline".to_string()),
        (false, None) => ("pill offline", "Đang kết nối… / Connecting…".to_string()),
    };
    let unsynced = format!("Chưa đồng bộ / Unsynced: {}", b.unsynced);
    let rejected = (b.rejected > 0).then(|| format!("Bị từ chối / Rejected: {}", b.rejected));
    let last = format!("Lần cuối / Last: {}", b.last_sync.clone().unwrap_or_else(|| "—".into()));
    view! {
        <header class="bar" id="status">
            <strong>{b.showroom.clone()}</strong>
            <span class=cls id="sync-state">{state}</span>
            <span id="unsynced" class="pill">{unsynced}</span>
            {rejected.map(|r| view! { <span id="rejected" class="pill offline">{r}</span> })}
            <span id="last-sync" title="Đồng bộ lần cuối / Last sync">{last}</span>
            {nav(staff, screen)}
        </header>
    }
}

fn nav(staff: Option<&Staff>, screen: Screen) -> impl IntoView + use<> {
    let staff = staff.cloned()?;
    // Vietnamese above, English below: the bar stays one line high at 1024 px.
    let link = move |href: &'static str, vi: &'static str, en: &'static str, here: Screen| {
        let cls = if screen == here { "here" } else { "" };
        view! { <a href=href class=cls><span>{vi}</span><small lang="en">{en}</small></a> }
    };
    Some(view! {
        <nav class="noprint" aria-label="Quầy / Till">
            {link("/sell", "Bán hàng", "Sell", Screen::Sell)}
            {link("/refund", "Hoàn tiền", "Refund", Screen::Refund)}
            {link("/stock", "Kho", "Stock", Screen::Stock)}
            {link("/shift/close", "Đóng ca", "Close shift", Screen::Shift)}
            {staff.manager.then(|| link("/staff", "Nhân viên", "Staff", Screen::Staff))}
            <span class="who" title="Nhân viên đang bán / Staff on the till">{staff.name.clone()}</span>
            <form method="post" action="/signout" class="inline">
                <button type="submit"><span>"Đăng xuất"</span><small lang="en">"Sign out"</small></button>
            </form>
        </nav>
    })
}

pub fn page(
    title: &str,
    screen: Screen,
    bar: &Bar,
    staff: Option<&Staff>,
    body: impl IntoView + 'static,
) -> Html<String> {
    let class = if screen == Screen::Sell { "sell" } else { "" };
    let heading = if screen == Screen::Sell { "sr-only" } else { "" };
    let html = view! {
        <html lang="vi">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{format!("{title} · Quầy OCOP")}</title>
                <link rel="stylesheet" href=style_href() />
                <script src=script_src() defer></script>
            </head>
            <body class=class>
                {bar_view(bar, staff, screen)}
                <main><h1 class=heading>{title.to_string()}</h1>{body}</main>
            </body>
        </html>
    }
    .to_html();
    Html(format!("<!DOCTYPE html>{html}"))
}

fn flash(err: Option<String>, ok: Option<String>) -> impl IntoView + use<> {
    view! {
        {err.map(|e| view! { <p class="err" id="error" role="alert">{e}</p> })}
        {ok.map(|m| view! { <p class="ok" id="notice" role="status">{m}</p> })}
    }
}

/// A key shown on its button, as the script reads it (`data-key`).
fn key(k: &'static str) -> impl IntoView + use<> {
    let shown = if k == "Escape" { "Esc" } else { k };
    view! { <kbd>{shown}</kbd> }
}
