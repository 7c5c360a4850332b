//! The till's HTTP surface: setup, staff sign-in, selling, receipts, refunds, stock and shifts. Every
//! post must come from the till's own pages (same-origin), every screen but setup and sign-in needs
//! a signed-in staff member.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::sale::{PosMethod, StockKind};
use sea_orm::DatabaseConnection;

use crate::config::PosConfig;
use crate::db::{set_setting, setting};
use crate::pages::{self, Bar, CashView};
use crate::staff::{self, Staff};
use crate::sync::Link;
use crate::till::{self, Tender};
use crate::{PosError, catalog, receipts};

#[derive(Clone)]
pub struct PosState {
    pub db: DatabaseConnection,
    pub config: Arc<PosConfig>,
    pub link: Link,
}

impl PosState {
    pub fn new(db: DatabaseConnection, config: PosConfig, link: Link) -> Self {
        PosState { db, config: Arc::new(config), link }
    }
}

type F = Form<HashMap<String, String>>;
type Res = Result<Response, PosError>;

const COOKIE: &str = "pos_sid";

pub fn router(state: PosState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/setup", get(setup_page).post(setup))
        .route("/signin", get(signin_page).post(signin))
        .route("/signout", post(signout))
        .route("/shift/open", get(open_page).post(open_shift))
        .route("/shift/close", get(close_page).post(close_shift))
        .route("/shifts/{id}", get(shift_report))
        .route("/sell", get(sell_page))
        .route("/sell/scan", post(scan))
        .route("/sell/qty", post(set_qty))
        .route("/sell/discount", post(discount))
        .route("/sell/clear", post(clear))
        .route("/sell/pay", post(pay))
        .route("/receipts/{no}", get(receipt_page))
        .route("/receipts/{no}/escpos", get(receipt_escpos))
        .route("/receipts/{no}/image", get(receipt_image))
        .route("/receipts/{no}/print", post(print))
        .route("/refund", get(refund_page).post(refund))
        .route("/stock", get(stock_page).post(stock))
        .route("/staff", get(staff_page).post(add_staff))
        .route("/status.json", get(status_json))
        .route("/assets/pos.css", get(stylesheet))
        .layer(axum::middleware::from_fn(same_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), own_host_layer))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024))
        // Outermost, so refusals and errors carry them too. Everything at a till is private.
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(security::headers::Policy { all_private: true, ..Default::default() }),
            security::headers::layer,
        ))
        .with_state(state)
}

/// The stylesheet; its URL changes with its content, so it may be kept for a year.
async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        pages::STYLE,
    )
        .into_response()
}

/// Whether a request names this till as its host. A web page can point its own domain at 127.0.0.1
/// (DNS rebinding) and then read the till's pages as same-origin; its requests still carry its own
/// name. A till served to the whole network (`POS_ADDR=0.0.0.0:…`) is reached by names the operator
/// chooses, so there the check is off.
fn own_host(config: &PosConfig, host: Option<&str>) -> bool {
    let ip = config.addr.ip();
    if ip.is_unspecified() {
        return true;
    }
    let Some(host) = host else { return false };
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost") || name == ip.to_string() || name == "127.0.0.1" || name == "::1"
}

async fn own_host_layer(State(s): State<PosState>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok());
    if own_host(&s.config, host) { next.run(req).await } else { PosError::Forbidden.into_response() }
}

async fn same_origin(req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return next.run(req).await;
    }
    let h = req.headers();
    let text = |n: &str| h.get(n).and_then(|v| v.to_str().ok());
    if domain::origin::same_origin(text("sec-fetch-site"), text("origin"), text("referer"), text("host")) {
        next.run(req).await
    } else {
        PosError::Forbidden.into_response()
    }
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")).map(str::to_string))
}

async fn who(s: &PosState, headers: &HeaderMap) -> Result<Option<Staff>, PosError> {
    match cookie(headers) {
        Some(t) => staff::by_session(&s.db, &t).await,
        None => Ok(None),
    }
}

/// The signed-in staff member with an open shift, or where to go first.
async fn at_till(s: &PosState, headers: &HeaderMap) -> Result<Result<Staff, Response>, PosError> {
    if setting(&s.db, "mode").await?.is_none() {
        return Ok(Err(Redirect::to("/setup").into_response()));
    }
    let Some(staff) = who(s, headers).await? else { return Ok(Err(Redirect::to("/signin").into_response())) };
    if till::open_shift(&s.db).await?.is_none() {
        return Ok(Err(Redirect::to("/shift/open").into_response()));
    }
    Ok(Ok(staff))
}

macro_rules! staff_or_redirect {
    ($s:expr, $h:expr) => {
        match at_till(&$s, &$h).await? {
            Ok(staff) => staff,
            Err(r) => return Ok(r),
        }
    };
}

pub async fn bar(s: &PosState, staff: Option<&Staff>) -> Result<Bar, PosError> {
    let status = s.link.status.lock().expect("status lock").clone();
    let (unsynced, rejected) = till::unsynced(&s.db).await?;
    let last = match status.last_sync {
        Some(t) => Some(t),
        None => setting(&s.db, "last_sync_at")
            .await?
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc)),
    };
    Ok(Bar {
        demo: setting(&s.db, "mode").await?.as_deref() == Some("demo"),
        online: status.online,
        unsynced,
        rejected,
        last_sync: last.map(|t| receipts::local(&t, "%H:%M:%S %d/%m")),
        showroom: setting(&s.db, "showroom_name").await?.unwrap_or_default(),
        staff: staff.map(|x| x.name.clone()),
    })
}

async fn render(s: &PosState, title: &str, staff: Option<&Staff>, body: impl leptos::IntoView + 'static) -> Res {
    Ok(pages::page(title, &bar(s, staff).await?, staff, body).into_response())
}

async fn refused(s: &PosState, title: &str, staff: Option<&Staff>, body: impl leptos::IntoView + 'static) -> Res {
    let mut r = render(s, title, staff, body).await?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

fn both((vi, en): (String, String)) -> String {
    format!("{vi} / {en}")
}

fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(|v| v.trim()).unwrap_or("")
}

/// An amount in đồng as typed: `150000`, `150.000`, `150.000 ₫`; empty is None.
fn amount(raw: &str) -> Result<Option<i64>, ()> {
    if raw.trim().is_empty() { Ok(None) } else { domain::listing_edit::parse_price(raw).map(Some).ok_or(()) }
}

async fn home(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let _ = staff_or_redirect!(s, headers);
    Ok(Redirect::to("/sell").into_response())
}

async fn setup_page(State(s): State<PosState>) -> Res {
    if setting(&s.db, "mode").await?.is_some() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let url = s.config.server_url.clone().unwrap_or_default();
    render(&s, "Thiết lập quầy / Set up the till", None, pages::setup(None, url)).await
}

async fn setup(State(s): State<PosState>, Form(f): F) -> Res {
    if setting(&s.db, "mode").await?.is_some() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let title = "Thiết lập quầy / Set up the till";
    let url = field(&f, "server_url").to_string();
    let name = field(&f, "manager_name");
    let pin = field(&f, "manager_pin");
    let again = |msg: &str| pages::setup(Some(msg.to_string()), url.clone());
    if name.is_empty() || name.chars().count() > 60 {
        return refused(&s, title, None, again("Cần tên quản lý. / The manager's name is needed.")).await;
    }
    if !staff::pin_ok(pin) {
        return refused(&s, title, None, again("PIN gồm 4–8 chữ số. / A PIN is 4-8 digits.")).await;
    }
    let pairing = match field(&f, "mode") {
        "pair" => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return refused(&s, title, None, again("Địa chỉ chợ phải bắt đầu bằng http:// hoặc https://. / The URL must start with http:// or https://.")).await;
            }
            match crate::sync::exchange_code(&s.link, &url, field(&f, "code")).await {
                Ok(p) => Some(p),
                Err(e) => return refused(&s, title, None, again(&e.to_string())).await,
            }
        }
        "demo" => None,
        _ => return refused(&s, title, None, again("Chọn ghép máy hoặc dùng thử. / Choose pair or demo.")).await,
    };
    // Settings and manager together, the mode last: a till is either set up or can be set up again.
    let txn = crate::db::write_txn(&s.db).await?;
    if setting(&txn, "mode").await?.is_some() {
        return Ok(Redirect::to("/signin").into_response());
    }
    match &pairing {
        Some(p) => crate::sync::save_pairing(&txn, p).await?,
        None => {
            catalog::seed_demo(&txn).await?;
            set_setting(&txn, "showroom_code", "DEMO").await?;
            set_setting(&txn, "showroom_name", "Điểm bán thử / Demo showroom").await?;
            set_setting(&txn, "prefix", "DEMO").await?;
        }
    }
    staff::create(&txn, name, pin, true).await?;
    set_setting(&txn, "mode", if pairing.is_some() { "paired" } else { "demo" }).await?;
    txn.commit().await?;
    // The first catalogue pull, now, so the till can sell at once; if it fails or is slow the sync
    // task retries it, and the till is set up either way.
    if pairing.is_some() {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(15), s.link.round(&s.db)).await;
    }
    Ok(Redirect::to("/signin").into_response())
}

async fn signin_page(State(s): State<PosState>) -> Res {
    if setting(&s.db, "mode").await?.is_none() {
        return Ok(Redirect::to("/setup").into_response());
    }
    render(&s, "Đăng nhập / Sign in", None, pages::signin(staff::list(&s.db).await?, None, None)).await
}

/// A staff member's PIN, with the lockout; the error message when it fails.
async fn pin_of(s: &PosState, id: i64, pin: &str) -> Result<Result<Staff, String>, PosError> {
    Ok(match staff::check_pin(&s.db, id, pin).await {
        Ok(staff::PinCheck::Right(st)) => Ok(st),
        Ok(staff::PinCheck::Wrong) => Err("Sai PIN. / Wrong PIN.".into()),
        Ok(staff::PinCheck::Locked) => Err(format!(
            "Sai PIN quá {} lần; thử lại sau {} phút. / Too many wrong PINs; try again in {} minutes.",
            staff::MAX_PIN_FAILURES,
            staff::LOCK_MINUTES,
            staff::LOCK_MINUTES
        )),
        Err(PosError::Busy) => {
            Err("Quầy đang bận; thử lại sau vài giây. / The till is busy; try again in a few seconds.".into())
        }
        Err(e) => return Err(e),
    })
}

async fn signin(State(s): State<PosState>, Form(f): F) -> Res {
    let id: i64 = field(&f, "staff_id").parse().unwrap_or(0);
    match pin_of(&s, id, field(&f, "pin")).await? {
        Ok(st) => {
            let token = staff::start_session(&s.db, st.id).await?;
            let mut r = Redirect::to("/").into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"))
                    .expect("cookie is ASCII"),
            );
            Ok(r)
        }
        Err(msg) => {
            let list = staff::list(&s.db).await?;
            refused(&s, "Đăng nhập / Sign in", None, pages::signin(list, Some(msg), None)).await
        }
    }
}

async fn signout(State(s): State<PosState>, headers: HeaderMap) -> Res {
    if let Some(t) = cookie(&headers) {
        staff::end_session(&s.db, &t).await?;
    }
    let (unsynced, _) = till::unsynced(&s.db).await?;
    let note = (unsynced > 0).then(|| {
        format!("Đã đăng xuất. {unsynced} giao dịch chưa đồng bộ vẫn được giữ trên quầy. / Signed out. {unsynced} unsynced entries are kept on this till.")
    });
    let mut r = render(
        &s,
        "Đăng nhập / Sign in",
        None,
        pages::signin(staff::list(&s.db).await?, None, note.or_else(|| Some("Đã đăng xuất. / Signed out.".into()))),
    )
    .await?;
    r.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static("pos_sid=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
    Ok(r)
}

async fn open_page(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    if till::open_shift(&s.db).await?.is_some() {
        return Ok(Redirect::to("/sell").into_response());
    }
    render(&s, "Mở ca / Open a shift", Some(&st), pages::open_shift(None)).await
}

async fn open_shift(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    match amount(field(&f, "float")) {
        Ok(Some(float)) => {
            till::start_shift(&s.db, &st, float).await?;
            Ok(Redirect::to("/sell").into_response())
        }
        _ => {
            let msg = "Nhập số tiền đầu ca, ví dụ 1.000.000. / Type the float, e.g. 1.000.000.".to_string();
            refused(&s, "Mở ca / Open a shift", Some(&st), pages::open_shift(Some(msg))).await
        }
    }
}

#[derive(serde::Deserialize, Default)]
struct SellQuery {
    q: Option<String>,
    err: Option<String>,
}

async fn sell_view(
    s: &PosState,
    query: String,
    results: Vec<catalog::Item>,
    err: Option<String>,
) -> Result<pages::SellView, PosError> {
    Ok(pages::SellView {
        cart: till::cart(&s.db).await?,
        query,
        results,
        err,
        notice: None,
        managers: staff::list(&s.db).await?.into_iter().filter(|m| m.manager).collect(),
        transfer: setting(&s.db, "bank").await?.is_some(),
    })
}

async fn sell_page(State(s): State<PosState>, headers: HeaderMap, Query(q): Query<SellQuery>) -> Res {
    let st = staff_or_redirect!(s, headers);
    let query = q.q.unwrap_or_default();
    let results = if query.trim().is_empty() { vec![] } else { catalog::search(&s.db, &query, 20).await? };
    let v = sell_view(&s, query, results, q.err).await?;
    render(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await
}

/// A scanned or typed code: an exact barcode or SKU adds one; anything else searches by name.
async fn scan(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let code = field(&f, "code");
    if code.is_empty() {
        return Ok(Redirect::to("/sell").into_response());
    }
    if let Some(item) = catalog::by_code(&s.db, code).await? {
        if !item.on_sale {
            let v = sell_view(&s, String::new(), vec![], Some(both(till::Refusal::NotOnSale(item.label()).message())))
                .await?;
            return refused(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await;
        }
        till::add(&s.db, &item.sku, 1).await?;
        return Ok(Redirect::to("/sell").into_response());
    }
    let results = catalog::search(&s.db, code, 20).await?;
    let err = results.is_empty().then(|| format!("Không tìm thấy “{code}”. / “{code}” was not found."));
    let status_found = results.is_empty();
    let v = sell_view(&s, code.to_string(), results, err).await?;
    if status_found {
        refused(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await
    } else {
        render(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await
    }
}

async fn set_qty(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    match field(&f, "qty").parse::<i64>() {
        Ok(q) if (0..=till::MAX_QTY).contains(&q) => {
            till::set_qty(&s.db, field(&f, "sku"), q).await?;
            Ok(Redirect::to("/sell").into_response())
        }
        _ => {
            let msg = format!("Số lượng là số từ 0 đến {0}. / A quantity is a number from 0 to {0}.", till::MAX_QTY);
            let v = sell_view(&s, String::new(), vec![], Some(msg)).await?;
            refused(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await
        }
    }
}

async fn discount(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let cart = till::cart(&s.db).await?;
    let err = match amount(field(&f, "amount")) {
        Ok(Some(a)) if a <= cart.subtotal() => {
            let manager: i64 = field(&f, "manager_id").parse().unwrap_or(0);
            match pin_of(&s, manager, field(&f, "pin")).await? {
                Ok(m) if m.manager => {
                    till::set_discount(&s.db, a, m.id).await?;
                    return Ok(Redirect::to("/sell").into_response());
                }
                Ok(_) => "Chỉ quản lý mới duyệt giảm giá. / Only a manager can approve a discount.".to_string(),
                Err(msg) => msg,
            }
        }
        Ok(None) | Ok(Some(_)) | Err(()) => {
            "Giảm giá là số tiền không quá tạm tính. / A discount is an amount up to the subtotal.".to_string()
        }
    };
    let v = sell_view(&s, String::new(), vec![], Some(err)).await?;
    refused(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await
}

async fn clear(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let _ = staff_or_redirect!(s, headers);
    till::clear_cart(&s.db).await?;
    Ok(Redirect::to("/sell").into_response())
}

/// Cash settles at once; a transfer (whole or split) first shows its QR code and then waits for
/// staff to say whether the money arrived.
async fn pay(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let cart = till::cart(&s.db).await?;
    let total = cart.total();
    let bad = |msg: String| async {
        let v = sell_view(&s, String::new(), vec![], Some(msg)).await?;
        refused(&s, "Bán hàng / Sell", Some(&st), pages::sell(v)).await
    };
    let Ok(tendered) = amount(field(&f, "tendered")) else {
        return bad("Số tiền khách đưa không đọc được. / The cash handed over could not be read.".into()).await;
    };
    // The page the staff member paid from showed this total; another tab or a price pulled meanwhile
    // must not turn the difference into cash nobody collected.
    if let Some(expected) = f.get("expect_total").and_then(|v| v.trim().parse::<i64>().ok())
        && expected != total
    {
        return bad(format!(
            "Đơn đã thay đổi (nay là {}); kiểm tra lại rồi thu tiền. / The sale changed (now {}); check it and take payment again.",
            pages::money(total),
            pages::money(total)
        ))
        .await;
    }
    let method = field(&f, "method");
    let transfer = match method {
        "cash" => 0,
        "vietqr" => total,
        "split" | "confirm" => match amount(field(&f, "transfer")) {
            Ok(Some(t)) if t > 0 && t <= total => t,
            _ => return bad(
                "Phần chuyển khoản phải từ 1 đ đến tổng tiền. / The transfer part must be between 1 đ and the total."
                    .into(),
            )
            .await,
        },
        _ => return bad("Chọn cách trả tiền. / Choose how the customer pays.".into()).await,
    };
    if transfer > 0 && method != "confirm" {
        if let Err(r) = till::payments_check(total, transfer, tendered) {
            return bad(both(r.message())).await;
        }
        return qr_page(&s, &st, transfer, tendered, total).await;
    }
    let tender = Tender { transfer, transfer_confirmed: field(&f, "confirmed") == "1", tendered };
    match till::sell(&s.db, &st, tender).await? {
        Ok(no) => {
            s.link.poke.notify_one();
            auto_print(&s, &no).await;
            Ok(Redirect::to(&format!("/receipts/{no}")).into_response())
        }
        Err(r) => bad(both(r.message())).await,
    }
}

async fn qr_page(s: &PosState, st: &Staff, transfer: i64, tendered: Option<i64>, total: i64) -> Res {
    let Some(bank) = setting(&s.db, "bank").await? else {
        let v = sell_view(
            s,
            String::new(),
            vec![],
            Some("Chưa có tài khoản nhận VietQR. / No VietQR account is set.".into()),
        )
        .await?;
        return refused(s, "Bán hàng / Sell", Some(st), pages::sell(v)).await;
    };
    let bank: domain::pos_catalog::BankAccount = serde_json::from_str(&bank)?;
    let purpose = till::peek_receipt_no(&s.db).await?.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
    // The end carries the device and the sequence, which find the sale; a long showroom code is cut.
    let skip = purpose.chars().count().saturating_sub(domain::vietqr::MAX_PURPOSE_CHARS);
    let purpose: String = purpose.chars().skip(skip).collect();
    let payload = domain::vietqr::payload(&domain::vietqr::Transfer {
        bank_bin: bank.bank_bin.clone(),
        account: bank.account.clone(),
        amount: Some(transfer),
        purpose: Some(purpose.clone()),
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    let svg = qrcode::QrCode::new(payload.as_bytes())
        .map(|c| c.render::<qrcode::render::svg::Color>().min_dimensions(280, 280).quiet_zone(true).build())
        .unwrap_or_default();
    let online = s.link.status.lock().expect("status lock").online == Some(true);
    let v = pages::QrView {
        svg,
        amount: transfer,
        bank: bank.bank_name,
        account: bank.account,
        holder: bank.account_name,
        purpose,
        transfer,
        tendered: tendered.map(|t| t.to_string()).unwrap_or_default(),
        online,
        total,
    };
    render(s, "Chuyển khoản VietQR / VietQR transfer", Some(st), pages::qr(v)).await
}

async fn auto_print(s: &PosState, no: &str) {
    if s.config.printer.is_none() {
        return;
    }
    if let Err(e) = print_receipt(s, no).await {
        tracing::warn!(error = %e, receipt = no, "receipt not printed");
    }
}

async fn print_receipt(s: &PosState, no: &str) -> Result<String, PosError> {
    let stored = till::by_receipt(&s.db, no).await?.ok_or(PosError::NotFound)?;
    let r = receipts::receipt(&s.db, &stored).await?;
    let bytes = receipts::escpos(&r);
    Ok(receipts::print(&bytes, s.config.printer.as_deref(), &s.config.data_dir, no)?)
}

async fn receipt_page(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let r = receipts::receipt(&s.db, &stored).await?;
    let note = match (&stored.rejected, stored.synced) {
        (Some(why), _) => Some(format!("Chợ từ chối giao dịch này / The marketplace refused it: {why}")),
        _ => None,
    };
    let body = pages::receipt(no.clone(), receipts::lines(&r), None, note);
    render(&s, &format!("Biên lai / Receipt {no}"), Some(&st), body).await
}

async fn receipt_escpos(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    if who(&s, &headers).await?.is_none() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let bytes = receipts::escpos(&receipts::receipt(&s.db, &stored).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{no}.bin\"")),
        ],
        bytes,
    )
        .into_response())
}

async fn receipt_image(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    if who(&s, &headers).await?.is_none() {
        return Ok(Redirect::to("/signin").into_response());
    }
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let png = receipts::png(&receipts::receipt(&s.db, &stored).await?)?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=3600")], png).into_response())
}

async fn print(State(s): State<PosState>, headers: HeaderMap, Path(no): Path<String>) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    let stored = till::by_receipt(&s.db, &no).await?.ok_or(PosError::NotFound)?;
    let lines = receipts::lines(&receipts::receipt(&s.db, &stored).await?);
    let notice = match print_receipt(&s, &no).await {
        Ok(to) => format!("Đã gửi tới máy in / Sent to the printer: {to}"),
        Err(e) => format!("Không in được / Could not print: {e}"),
    };
    render(&s, &format!("Biên lai / Receipt {no}"), Some(&st), pages::receipt(no.clone(), lines, Some(notice), None))
        .await
}

#[derive(serde::Deserialize, Default)]
struct NoQuery {
    no: Option<String>,
}

async fn refund_page(State(s): State<PosState>, headers: HeaderMap, Query(q): Query<NoQuery>) -> Res {
    let st = staff_or_redirect!(s, headers);
    let no = q.no.unwrap_or_default();
    if no.trim().is_empty() {
        return render(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, None, None)).await;
    }
    let found = till::by_receipt(&s.db, &no).await?;
    let err = match &found {
        None => Some(format!("Không có biên lai {no} trên quầy này. / No receipt {no} on this till.")),
        Some(f) if f.sale.kind == domain::sale::SaleKind::Refund => {
            Some("Đây là phiếu hoàn tiền. / This is a refund slip.".to_string())
        }
        Some(f) if till::refund_of(&s.db, &f.sale.id).await?.is_some() => {
            Some(both(till::Refusal::AlreadyRefunded.message()))
        }
        Some(_) => None,
    };
    let found = if err.is_some() { None } else { found };
    if err.is_some() {
        return refused(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, None, err)).await;
    }
    render(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, found, None)).await
}

async fn refund(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let no = field(&f, "receipt_no").to_string();
    let Some(original) = till::by_receipt(&s.db, &no).await?.filter(|o| o.sale.kind == domain::sale::SaleKind::Sale)
    else {
        let err = format!("Không có biên lai {no} trên quầy này. / No receipt {no} on this till.");
        return refused(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, None, Some(err))).await;
    };
    let mut qty = HashMap::new();
    for l in &original.sale.lines {
        let raw = field(&f, &format!("qty_{}", l.id));
        match raw.parse::<i64>() {
            Ok(n) if (0..=l.qty as i64).contains(&n) => {
                qty.insert(l.id.clone(), n);
            }
            _ if raw.is_empty() => {}
            _ => {
                let err = format!("Số lượng hoàn từ 0 đến {}. / Refund 0 to {} of a line.", l.qty, l.qty);
                return refused(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, Some(original), Some(err)))
                    .await;
            }
        }
    }
    let method = match field(&f, "method") {
        "cash" => PosMethod::Cash,
        "vietqr" => PosMethod::Vietqr,
        _ => {
            let err = "Chọn trả lại bằng tiền mặt hay chuyển khoản. / Choose cash or transfer.".to_string();
            return refused(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, Some(original), Some(err))).await;
        }
    };
    match till::refund(&s.db, &st, &original, &qty, method).await? {
        Ok(r) => {
            s.link.poke.notify_one();
            auto_print(&s, &r).await;
            Ok(Redirect::to(&format!("/receipts/{r}")).into_response())
        }
        Err(r) => refused(&s, "Hoàn tiền / Refund", Some(&st), pages::refund(no, None, Some(both(r.message())))).await,
    }
}

#[derive(serde::Deserialize, Default)]
struct StockQuery {
    q: Option<String>,
}

async fn stock_page(State(s): State<PosState>, headers: HeaderMap, Query(q): Query<StockQuery>) -> Res {
    let st = staff_or_redirect!(s, headers);
    let query = q.q.unwrap_or_default();
    let items = catalog::search(&s.db, &query, 200).await?;
    render(&s, "Kho tại quầy / Showroom stock", Some(&st), pages::stock(items, query, None, None)).await
}

async fn stock(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let sku = field(&f, "sku").to_string();
    let kind = match field(&f, "kind") {
        "received" => Some(StockKind::Received),
        "counted" => Some(StockKind::Counted),
        _ => None,
    };
    let item = catalog::by_code(&s.db, &sku).await?.filter(|i| i.parts.is_empty());
    let qty = field(&f, "qty")
        .parse::<i64>()
        .ok()
        .filter(|q| (0..=100_000).contains(q) && !(kind == Some(StockKind::Received) && *q == 0));
    let (Some(item), Some(qty), Some(kind)) = (item, qty, kind) else {
        let items = catalog::search(&s.db, "", 200).await?;
        let err = "Chọn một mặt hàng và nhập số lượng (nhập hàng: từ 1). / Choose an item and type a quantity (received: at least 1).".to_string();
        return refused(
            &s,
            "Kho tại quầy / Showroom stock",
            Some(&st),
            pages::stock(items, String::new(), Some(err), None),
        )
        .await;
    };
    till::stock_event(&s.db, &st, &item.sku, kind, qty).await?;
    s.link.poke.notify_one();
    let notice = match kind {
        StockKind::Received => format!("Đã nhập {qty} × {} / Received.", item.label()),
        StockKind::Counted => format!("Đã ghi số đếm {qty} cho {} / Count recorded.", item.label()),
    };
    let items = catalog::search(&s.db, "", 200).await?;
    render(&s, "Kho tại quầy / Showroom stock", Some(&st), pages::stock(items, String::new(), None, Some(notice))).await
}

async fn cash_view(s: &PosState, shift: &till::Shift) -> Result<CashView, PosError> {
    let sales = till::of_shift(&s.db, &shift.id).await?;
    let cash = till::cash_of(shift.float, &sales);
    let (unsynced, _) = till::unsynced(&s.db).await?;
    Ok(CashView {
        float: cash.float,
        cash_sales: cash.cash_sales,
        cash_refunds: cash.cash_refunds,
        transfers: cash.transfers,
        unconfirmed: cash.unconfirmed_transfers,
        expected: cash.expected_in_drawer(),
        sales: sales.iter().filter(|x| x.sale.kind == domain::sale::SaleKind::Sale).count(),
        refunds: sales.iter().filter(|x| x.sale.kind == domain::sale::SaleKind::Refund).count(),
        unsynced,
    })
}

async fn close_page(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let st = staff_or_redirect!(s, headers);
    let shift = till::open_shift(&s.db).await?.ok_or(PosError::NotFound)?;
    let c = cash_view(&s, &shift).await?;
    render(&s, "Đóng ca / Close the shift", Some(&st), pages::close(c, None)).await
}

async fn close_shift(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let shift = till::open_shift(&s.db).await?.ok_or(PosError::NotFound)?;
    let mut notes = Vec::new();
    for d in domain::shift::DENOMINATIONS {
        let raw = field(&f, &format!("n{d}"));
        match raw.parse::<u32>() {
            Ok(n) if n <= 100_000 => notes.push((d, n)),
            _ if raw.is_empty() => {}
            _ => {
                let c = cash_view(&s, &shift).await?;
                let err = format!(
                    "Số tờ {} không hợp lệ. / The count of {} notes is not valid.",
                    pages::money(d),
                    pages::money(d)
                );
                return refused(&s, "Đóng ca / Close the shift", Some(&st), pages::close(c, Some(err))).await;
            }
        }
    }
    till::close_shift(&s.db, &shift.id, &st, &notes).await?;
    Ok(Redirect::to(&format!("/shifts/{}", shift.id)).into_response())
}

async fn shift_report(State(s): State<PosState>, headers: HeaderMap, Path(id): Path<String>) -> Res {
    let Some(st) = who(&s, &headers).await? else { return Ok(Redirect::to("/signin").into_response()) };
    let shift = till::shift(&s.db, &id).await?.ok_or(PosError::NotFound)?;
    let (Some(closed), Some(counted)) = (shift.closed_at, shift.counted) else { return Err(PosError::NotFound) };
    let c = cash_view(&s, &shift).await?;
    let body = pages::report(
        c,
        receipts::local(&shift.opened_at, "%H:%M %d/%m/%Y"),
        receipts::local(&closed, "%H:%M %d/%m/%Y"),
        counted,
    );
    render(&s, "Báo cáo ca / Shift report", Some(&st), body).await
}

async fn staff_page(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let st = staff_or_redirect!(s, headers);
    if !st.manager {
        return Err(PosError::Forbidden);
    }
    render(&s, "Nhân viên / Staff", Some(&st), pages::staff_admin(staff::list(&s.db).await?, None, None)).await
}

async fn add_staff(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    if !st.manager {
        return Err(PosError::Forbidden);
    }
    let name = field(&f, "name");
    let pin = field(&f, "pin");
    let taken = staff::list(&s.db).await?.iter().any(|x| x.name == name);
    let err = if name.is_empty() || name.chars().count() > 60 {
        Some("Cần tên (tối đa 60 ký tự). / A name is needed (at most 60 characters).")
    } else if taken {
        Some("Tên này đã có. / This name is taken.")
    } else if !staff::pin_ok(pin) {
        Some("PIN gồm 4–8 chữ số. / A PIN is 4-8 digits.")
    } else {
        None
    };
    if let Some(e) = err {
        return refused(
            &s,
            "Nhân viên / Staff",
            Some(&st),
            pages::staff_admin(staff::list(&s.db).await?, Some(e.into()), None),
        )
        .await;
    }
    staff::create(&s.db, name, pin, field(&f, "manager") == "1").await?;
    let notice = format!("Đã thêm {name}. / Added.");
    render(&s, "Nhân viên / Staff", Some(&st), pages::staff_admin(staff::list(&s.db).await?, None, Some(notice))).await
}

/// For scripts and monitoring on the showroom machine: the same facts as the status bar.
async fn status_json(State(s): State<PosState>) -> Res {
    let b = bar(&s, None).await?;
    let last_error = s.link.status.lock().expect("status lock").last_error.clone();
    Ok(axum::Json(serde_json::json!({
        "mode": if b.demo { "demo" } else if setting(&s.db, "mode").await?.is_some() { "paired" } else { "new" },
        "online": b.online,
        "unsynced": b.unsynced,
        "rejected": b.rejected,
        "last_sync": b.last_sync,
        "last_error": last_error,
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_tills_own_names_are_served_on_the_loopback() {
        let mut c = PosConfig::from_env().unwrap();
        c.addr = "127.0.0.1:3100".parse().unwrap();
        assert!(own_host(&c, Some("127.0.0.1:3100")));
        assert!(own_host(&c, Some("localhost:3100")));
        assert!(!own_host(&c, Some("evil.example:3100")), "a rebound domain");
        assert!(!own_host(&c, None));
        c.addr = "0.0.0.0:3100".parse().unwrap();
        assert!(own_host(&c, Some("quay1.local:3100")), "served to the network: the operator's names");
    }
}
