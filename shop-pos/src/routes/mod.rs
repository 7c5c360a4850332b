//! The till's HTTP surface: setup, staff sign-in, selling, receipts, refunds, stock and shifts. Every
//! post must come from the till's own pages (same-origin), every screen but setup and sign-in needs
//! a signed-in staff member.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use sea_orm::DatabaseConnection;

use crate::config::PosConfig;
use crate::db::setting;
use crate::pages::{self, Bar, Screen};
use crate::staff::{self, Staff};
use crate::sync::Link;
use crate::{PosError, receipts, till};

#[derive(Clone)]
pub struct PosState {
    pub db: DatabaseConnection,
    pub config: Arc<PosConfig>,
    pub link: Link,
    /// The grid's best sellers and when they were counted: the selling screen is drawn after every
    /// scan, and counting reads the till's recent sales, so it is done once per sale (or a minute).
    best: Arc<std::sync::Mutex<Option<Counted>>>,
}

/// Best-selling SKUs and when they were counted.
type Counted = (std::time::Instant, Vec<String>);

impl PosState {
    pub fn new(db: DatabaseConnection, config: PosConfig, link: Link) -> Self {
        PosState { db, config: Arc::new(config), link, best: Default::default() }
    }

    pub(super) async fn best_sellers(&self, limit: u64) -> Result<Vec<String>, PosError> {
        const FRESH: std::time::Duration = std::time::Duration::from_secs(60);
        if let Some((at, skus)) = self.best.lock().expect("best sellers lock").as_ref()
            && at.elapsed() < FRESH
        {
            return Ok(skus.clone());
        }
        let skus = till::best_sellers(&self.db, limit).await?;
        *self.best.lock().expect("best sellers lock") = Some((std::time::Instant::now(), skus.clone()));
        Ok(skus)
    }

    /// A sale was made: the next selling screen counts again.
    pub(super) fn sold(&self) {
        *self.best.lock().expect("best sellers lock") = None;
    }
}

pub(super) type F = Form<HashMap<String, String>>;
pub(super) type Res = Result<Response, PosError>;

pub(super) const COOKIE: &str = "pos_sid";

pub fn router(state: PosState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/setup", get(setup::setup_page).post(setup::setup))
        .route("/signin", get(setup::signin_page).post(setup::signin))
        .route("/signout", post(setup::signout))
        .route("/staff", get(setup::staff_page).post(setup::add_staff))
        .route("/shift/open", get(shift::open_page).post(shift::open_shift))
        .route("/shift/close", get(shift::close_page).post(shift::close_shift))
        .route("/shifts/{id}", get(shift::shift_report))
        .route("/sell", get(sell::sell_page))
        .route("/sell/scan", post(sell::scan))
        .route("/sell/qty", post(sell::set_qty))
        .route("/sell/discount", post(sell::discount))
        .route("/sell/clear", post(sell::clear))
        .route("/sell/pay", post(sell::pay))
        .route("/receipts/{no}", get(slips::receipt_page))
        .route("/receipts/{no}/escpos", get(slips::receipt_escpos))
        .route("/receipts/{no}/image", get(slips::receipt_image))
        .route("/receipts/{no}/print", post(slips::print))
        .route("/refund", get(refund::refund_page).post(refund::refund))
        .route("/stock", get(slips::stock_page).post(slips::stock))
        .route("/status.json", get(status_json))
        .route("/assets/pos.css", get(stylesheet))
        .route("/assets/pos.js", get(script))
        .route("/photos/{file}", get(photo))
        .layer(axum::middleware::from_fn(same_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), own_host_layer))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024))
        // Outermost, so refusals and errors carry them too. Everything at a till is private.
        .layer(axum::middleware::from_fn_with_state(
            // The key script is the till's own file: scripts from anywhere else, or inline, stay refused.
            Arc::new(security::headers::Policy { all_private: true, scripts: true, ..Default::default() }),
            security::headers::layer,
        ))
        .with_state(state)
}

/// The stylesheet and the key script; their URLs change with their content, so they may be kept for a year.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], body)
        .into_response()
}

async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", pages::STYLE)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", pages::SCRIPT)
}

/// A product photo kept on the till (see `sync::fetch_photos`); its name comes from its content's
/// address, so it never changes.
async fn photo(State(s): State<PosState>, Path(file): Path<String>) -> Res {
    let (stem, ext) = file.split_once('.').ok_or(PosError::NotFound)?;
    let content_type = match ext {
        "webp" => "image/webp",
        "jpg" => "image/jpeg",
        "png" => "image/png",
        _ => return Err(PosError::NotFound),
    };
    if stem.len() != 24 || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PosError::NotFound);
    }
    let bytes = tokio::fs::read(s.config.data_dir.join("photos").join(&file)).await.map_err(|_| PosError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=31536000, immutable")], bytes)
        .into_response())
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

pub(super) fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")).map(str::to_string))
}

pub(super) async fn who(s: &PosState, headers: &HeaderMap) -> Result<Option<Staff>, PosError> {
    match cookie(headers) {
        Some(t) => staff::by_session(&s.db, &t).await,
        None => Ok(None),
    }
}

/// The signed-in staff member with an open shift, or where to go first.
pub(super) async fn at_till(s: &PosState, headers: &HeaderMap) -> Result<Result<Staff, Response>, PosError> {
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

/// A staff member's PIN, with the lockout; the error message when it fails.
pub(super) async fn pin_of(s: &PosState, id: i64, pin: &str) -> Result<Result<Staff, String>, PosError> {
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

mod refund;
mod sell;
mod setup;
mod shift;
mod slips;

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

pub(super) async fn render(
    s: &PosState,
    screen: Screen,
    title: &str,
    staff: Option<&Staff>,
    body: impl leptos::IntoView + 'static,
) -> Res {
    Ok(pages::page(title, screen, &bar(s, staff).await?, staff, body).into_response())
}

pub(super) async fn refused(
    s: &PosState,
    screen: Screen,
    title: &str,
    staff: Option<&Staff>,
    body: impl leptos::IntoView + 'static,
) -> Res {
    let mut r = render(s, screen, title, staff, body).await?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

pub(super) fn both((vi, en): (String, String)) -> String {
    format!("{vi} / {en}")
}

pub(super) fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(|v| v.trim()).unwrap_or("")
}

/// An amount in đồng as typed: `150000`, `150.000`, `150.000 ₫`; empty is None.
pub(super) fn amount(raw: &str) -> Result<Option<i64>, ()> {
    if raw.trim().is_empty() { Ok(None) } else { domain::listing_edit::parse_price(raw).map(Some).ok_or(()) }
}

async fn home(State(s): State<PosState>, headers: HeaderMap) -> Res {
    let _ = staff_or_redirect!(s, headers);
    Ok(Redirect::to("/sell").into_response())
}

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
        "schema": crate::migrations::latest(),
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
