//! VNPay and MoMo, beside Stripe: the shopper is sent to the gateway, the gateway's signed
//! server-to-server notification (IPN) pays the order, the return page only tells the shopper
//! what happened, a query settles attempts whose notification never came, and the office refunds
//! through the gateway. Each is offered only when configured.

pub mod momo;
pub mod vnpay;

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::order::{OrderStatus, PaymentMethod};
use serde::Deserialize;
use store::gateways::{Attempt, Report, Settled};

use crate::config::Config;
use crate::shop::order_page;
use crate::{AppError, AppState};

/// The configured gateways and the one HTTP client they share.
#[derive(Clone)]
pub struct Wallets {
    pub vnpay: Option<vnpay::VnPay>,
    pub momo: Option<momo::MoMo>,
    http: reqwest::Client,
    /// How long an attempt waits for its notification before the job asks the gateway.
    query_after: chrono::Duration,
}

impl Wallets {
    pub fn new(config: &Config) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Wallets {
            vnpay: config.vnpay.clone().map(vnpay::VnPay::new),
            momo: config.momo.clone().map(momo::MoMo::new),
            http,
            query_after: chrono::Duration::from_std(config.gateway_query_after).unwrap_or(chrono::Duration::minutes(5)),
        })
    }

    /// Origins the shopper's browser is sent to from a form post (the policy's form-action).
    pub fn form_targets(config: &Config) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(v) = &config.vnpay {
            out.extend(crate::router::origin(&v.pay_url));
        }
        if let Some(m) = &config.momo {
            out.extend(crate::router::origin(&m.api_base));
        }
        out
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders/{number}/wallet", post(pay_button))
        .route("/payments/vnpay/ipn", get(vnpay::ipn))
        .route("/payments/vnpay/return", get(vnpay::back))
        // Refused before it is read when larger than any notification MoMo sends.
        .route("/payments/momo/ipn", post(momo::ipn).layer(axum::extract::DefaultBodyLimit::max(momo::IPN_LIMIT)))
        .route("/payments/momo/return", get(momo::back))
        .route("/office/api/payments/reconcile", post(reconcile_now))
        .route("/office/orders/{number}/refund", post(refund))
}

/// What a gateway answered when asked to start a payment.
pub(crate) type Started = Result<String, String>;

/// Starts an attempt and sends the shopper to the gateway; back to the order page with a notice
/// when the order is not payable that way or the gateway cannot be reached (the order keeps its
/// reservation until it expires).
pub async fn redirect_to_gateway(
    state: &AppState,
    number: &str,
    key: &str,
    lang: app::i18n::Lang,
    ip: &str,
) -> Response {
    let page = order_page(number, key, None);
    let Ok(Some(o)) = store::orders::find_by_number(&state.store.db, number).await else {
        return Redirect::to(&page).into_response();
    };
    let Some(method) = PaymentMethod::parse(&o.payment_method) else { return Redirect::to(&page).into_response() };
    let attempt = match store::gateways::begin(&state.store, number, method).await {
        Ok(Some(a)) => a,
        Ok(None) => return Redirect::to(&page).into_response(),
        Err(e) => {
            tracing::error!(order = number, error = %e, "could not start a gateway payment");
            return Redirect::to(&order_page(number, key, Some("wallet_failed"))).into_response();
        }
    };
    let started: Started = match (method, &state.wallets.vnpay, &state.wallets.momo) {
        (PaymentMethod::VnPay, Some(v), _) => Ok(v.payment_url(&state.public_url, &attempt, o.expires_at, lang, ip)),
        (PaymentMethod::MoMo, _, Some(m)) => m.create(&state.wallets.http, &state.public_url, &attempt, lang).await,
        _ => return Redirect::to(&page).into_response(),
    };
    match started {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => {
            tracing::warn!(order = number, gateway = method.code(), error = %e, "the gateway refused to start a payment");
            Redirect::to(&order_page(number, key, Some("wallet_failed"))).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct KeyForm {
    key: String,
}

/// The order page's "pay with VNPay / MoMo" button.
async fn pay_button(
    State(state): State<AppState>,
    Path(number): Path<String>,
    headers: axum::http::HeaderMap,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Form(f): Form<KeyForm>,
) -> Result<Response, AppError> {
    let number = domain::order::parse_order_number(&number).ok_or(AppError::NotFound)?;
    match store::orders::find_by_number(&state.store.db, &number).await? {
        Some(o) if store::sql::same_secret(&o.access_key, &f.key) => {
            let ip = client_ip(&state, connect.map(|c| c.0.0), &headers);
            Ok(redirect_to_gateway(&state, &number, &f.key, crate::shop::lang(&headers), &ip).await)
        }
        _ => Err(AppError::NotFound),
    }
}

/// The shopper's address as the gateways want it (`vnp_IpAddr`).
pub fn client_ip(state: &AppState, peer: Option<std::net::SocketAddr>, headers: &axum::http::HeaderMap) -> String {
    security::client::client_ip(peer.map(|p| p.ip()), headers, state.trusted_proxies)
        .map_or_else(|| "127.0.0.1".to_string(), |ip| ip.to_string())
}

/// Where the return page sends the shopper: the order, with what the gateway said. Nothing is
/// changed here: the notification (or the query) is what pays the order.
fn back_to_order(attempt: &Attempt, succeeded: bool) -> Response {
    // A try that failed on an order paid meanwhile (or cancelled) has nothing to add to its page.
    let notice = match (succeeded, attempt.order_status) {
        (true, _) => Some("wallet_done"),
        (false, OrderStatus::PendingPayment) => Some("wallet_cancelled"),
        (false, _) => None,
    };
    Redirect::to(&order_page(&attempt.number, &attempt.access_key, notice)).into_response()
}

/// Asks the gateway about one attempt; None while it has nothing final to say.
async fn query(state: &AppState, a: &Attempt) -> Result<Option<Report>, String> {
    match (a.gateway, &state.wallets.vnpay, &state.wallets.momo) {
        (PaymentMethod::VnPay, Some(v), _) => v.query(&state.wallets.http, a).await,
        (PaymentMethod::MoMo, _, Some(m)) => m.query(&state.wallets.http, a).await,
        _ => Err(format!("{} is not configured", a.gateway.code())),
    }
}

/// Settles attempts whose notification has not come within `quiet`, by asking their gateway.
pub async fn reconcile(state: &AppState, quiet: chrono::Duration) -> Result<Vec<(String, &'static str)>, AppError> {
    let mut done = Vec::new();
    for a in store::gateways::unsettled(&state.store, quiet, chrono::Utc::now()).await? {
        let outcome = match query(state, &a).await {
            Ok(Some(report)) => {
                match store::gateways::settle(
                    &state.store,
                    &a,
                    &report,
                    &format!("{} (tra cứu / query)", gateway_name(a.gateway)),
                )
                .await?
                {
                    Settled::Paid(o) => o.code(),
                    Settled::Failed => "failed",
                    Settled::Already => "already",
                }
            }
            Ok(None) => {
                store::gateways::checked(&state.store, &a).await?;
                "pending"
            }
            Err(e) => {
                tracing::warn!(reference = %a.reference, error = %e, "asking the gateway failed; will ask again");
                store::gateways::checked(&state.store, &a).await?;
                "unreachable"
            }
        };
        done.push((a.reference.clone(), outcome));
    }
    Ok(done)
}

pub fn gateway_name(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::MoMo => "MoMo",
        _ => "VNPay",
    }
}

/// `POST /office/api/payments/reconcile`: asks the gateways now about every attempt still waiting.
async fn reconcile_now(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Result<Response, AppError> {
    crate::office::authorise(&state, &headers)?;
    let done = reconcile(&state, chrono::Duration::zero()).await?;
    let rows: Vec<serde_json::Value> =
        done.iter().map(|(r, o)| serde_json::json!({"reference": r, "outcome": o})).collect();
    Ok(axum::Json(serde_json::json!({ "attempts": rows })).into_response())
}

/// Asks the gateways about quiet attempts every `every`, until `stop`.
pub fn spawn_reconcile(
    state: AppState,
    every: std::time::Duration,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Option<tokio::task::JoinHandle<()>> {
    if state.wallets.vnpay.is_none() && state.wallets.momo.is_none() {
        return None;
    }
    let every = every.max(std::time::Duration::from_secs(30));
    Some(crate::jobs::every_tick(every, stop, move || {
        let state = state.clone();
        async move {
            let lease = chrono::Duration::from_std(every * 2).unwrap_or(chrono::Duration::minutes(2));
            match store::leases::take(&state.store.db, "gateway_query", lease, chrono::Utc::now()).await {
                Ok(true) => {}
                _ => return,
            }
            match reconcile(&state, state.wallets.query_after).await {
                Ok(done) if !done.is_empty() => {
                    tracing::info!(attempts = done.len(), "asked the gateways about quiet payments")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "asking the gateways failed; will retry"),
            }
            let next = chrono::Utc::now() + chrono::Duration::from_std(every * 3 / 4).unwrap_or_default();
            let _ = store::leases::finish(&state.store.db, "gateway_query", next, chrono::Utc::now()).await;
        }
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RefundForm {
    reason: String,
}

/// The office refunds a VNPay or MoMo order through its gateway; the order turns refunded only
/// once the gateway accepts.
async fn refund(
    State(state): State<AppState>,
    Path(number): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let (parts, actor, f): (_, _, RefundForm) = crate::office::office_form(&state, req).await?;
    let number = domain::order::parse_order_number(&number).ok_or(AppError::NotFound)?;
    let page = format!("/office/orders?q={number}");
    let typed = vec![("reason".to_string(), f.reason.clone())];
    let form = format!("refund-{number}");
    let a = match store::gateways::refundable(&state.store, &actor, &number, &f.reason).await? {
        Ok(a) => a,
        Err(r) => {
            if r == store::gateways::RefundRefused::NotOffice {
                return Err(AppError::Forbidden);
            }
            let (vi, en) = r.message();
            return reason_refused(&state, &parts, &page, &form, typed, vi, en).await;
        }
    };
    let answer = match (a.gateway, &state.wallets.vnpay, &state.wallets.momo) {
        (PaymentMethod::VnPay, Some(v), _) => v.refund(&state.wallets.http, &a, &actor.name).await,
        (PaymentMethod::MoMo, _, Some(m)) => m.refund(&state.wallets.http, &a).await,
        _ => Err(format!("{} is not configured", a.gateway.code())),
    };
    match answer {
        Ok(gateway_ref) => {
            store::gateways::record_refund(&state.store, &actor, &a, &gateway_ref, &f.reason).await?;
            Ok(Redirect::to(&format!("{page}&notice=refunded")).into_response())
        }
        Err(e) => {
            tracing::warn!(order = %number, error = %e, "the gateway refused a refund");
            let vi = format!("{} chưa nhận lệnh hoàn tiền: {e}. Đơn không thay đổi.", gateway_name(a.gateway));
            let en = format!("{} did not accept the refund: {e}. The order is unchanged.", gateway_name(a.gateway));
            reason_refused(&state, &parts, &page, &form, typed, vi, en).await
        }
    }
}

async fn reason_refused(
    state: &AppState,
    parts: &axum::http::request::Parts,
    page: &str,
    form: &str,
    typed: Vec<(String, String)>,
    message_vi: String,
    message_en: String,
) -> Result<Response, AppError> {
    let error = domain::address::FieldError { field: "reason".into(), message_vi, message_en };
    crate::portal::refused(state, parts, page, form, typed, store::listings::Refusal::Invalid(vec![error])).await
}
