//! Card payments through Stripe Checkout. The order exists before the shopper leaves for Stripe;
//! the webhook, not the return page, marks it paid, after its signature is verified. A session is
//! created with the order number as idempotency key, so retries reuse one session.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::order::{OrderStatus, PaymentMethod};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_checkout::CheckoutSessionMode;
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData, ProductData,
};

use crate::config::StripeConfig;
use crate::shop::order_page;
use crate::{AppError, AppState};

/// Stripe's documented default: events older (or newer) than five minutes are refused as replays.
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Clone)]
pub struct Stripe {
    client: Client,
    webhook_secret: String,
}

impl Stripe {
    pub fn new(c: &StripeConfig) -> Result<Self, String> {
        let mut b = ClientBuilder::new(&c.secret_key).timeout(std::time::Duration::from_secs(30));
        if let Some(url) = &c.api_base {
            b = b.url(url);
        }
        Ok(Stripe { client: b.build().map_err(|e| e.to_string())?, webhook_secret: c.webhook_secret.clone() })
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing or unreadable Stripe-Signature header")]
    Header,
    #[error("signature does not match")]
    Mismatch,
    #[error("timestamp outside the tolerance")]
    TooOld,
}

/// Verifies `Stripe-Signature: t=...,v1=...[,v1=...]`: HMAC-SHA256 of `"{t}.{payload}"` under the
/// endpoint secret, compared in constant time, and `t` within five minutes of `now`.
pub fn verify_signature(header: &str, payload: &[u8], secret: &str, now: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => sigs.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Header)?;
    if sigs.is_empty() {
        return Err(SignatureError::Header);
    }
    let matches = sigs.iter().any(|sig| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        mac.verify_slice(sig).is_ok()
    });
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    if (now - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::TooOld);
    }
    Ok(())
}

/// Signs a payload the way Stripe does: for tests and for replaying events by hand.
pub fn sign(payload: &[u8], secret: &str, t: i64) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

async fn create_session(
    s: &Stripe,
    public_url: &str,
    number: &str,
    key: &str,
    amount: i64,
    pay_by: Option<chrono::DateTime<Utc>>,
) -> Result<String, String> {
    // The session closes when the order stops holding its stock, so a card cannot be charged for an
    // order already cancelled. Stripe accepts 30 minutes to 24 hours ahead: an order retried near its
    // end can still be paid late, and that money is then flagged as late.
    let now = Utc::now();
    let closes = pay_by
        .unwrap_or(now + chrono::Duration::hours(1))
        .clamp(now + chrono::Duration::minutes(31), now + chrono::Duration::hours(23));
    let idempotency = IdempotencyKey::new(format!("checkout-{number}")).map_err(|e| e.to_string())?;
    let mut price = CreateCheckoutSessionLineItemsPriceData::new(stripe_types::Currency::VND);
    price.product_data = Some(ProductData::new(format!("Đơn hàng {number}")));
    // The đồng is a zero-decimal currency for Stripe: whole đồng, no ×100.
    price.unit_amount = Some(amount);
    let mut item = CreateCheckoutSessionLineItems::new();
    item.price_data = Some(price);
    item.quantity = Some(1);
    let metadata = HashMap::from([("order_number".to_string(), number.to_string())]);
    let session = CreateCheckoutSession::new()
        .mode(CheckoutSessionMode::Payment)
        .currency(stripe_types::Currency::VND)
        .expires_at(closes.timestamp())
        .line_items(vec![item])
        .client_reference_id(number)
        .metadata(metadata)
        .success_url(format!("{public_url}{}", order_page(number, key, Some("card_done"))))
        .cancel_url(format!("{public_url}{}", order_page(number, key, Some("card_cancelled"))))
        .customize()
        .request_strategy(RequestStrategy::Idempotent(idempotency))
        .send(&s.client)
        .await
        .map_err(|e| e.to_string())?;
    session.url.ok_or_else(|| "Stripe returned no checkout URL".into())
}

/// Sends the shopper to Stripe for an order awaiting card payment; back to the order page with a
/// notice when Stripe cannot be reached (the order keeps its reservation until it expires).
pub async fn redirect_to_checkout(state: &AppState, number: &str, key: &str) -> Response {
    let page = order_page(number, key, None);
    let Some(s) = &state.stripe else { return Redirect::to(&page).into_response() };
    let order = match store::orders::find_by_number(&state.store.db, number).await {
        Ok(Some(o))
            if o.status == OrderStatus::PendingPayment.code() && o.payment_method == PaymentMethod::Stripe.code() =>
        {
            o
        }
        _ => return Redirect::to(&page).into_response(),
    };
    match create_session(s, &state.public_url, number, key, order.total - order.paid_amount, order.expires_at).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => {
            tracing::warn!(order = number, error = %e, "Stripe checkout session failed");
            Redirect::to(&order_page(number, key, Some("card_failed"))).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct KeyForm {
    key: String,
}

/// The order page's "pay by card" button.
pub async fn pay_by_card(
    State(state): State<AppState>,
    Path(number): Path<String>,
    Form(f): Form<KeyForm>,
) -> Result<Response, AppError> {
    let number = domain::order::parse_order_number(&number).ok_or(AppError::NotFound)?;
    match store::orders::find_by_number(&state.store.db, &number).await? {
        Some(o) if o.access_key == f.key => Ok(redirect_to_checkout(&state, &number, &f.key).await),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: Session,
}

#[derive(Deserialize)]
struct Session {
    id: String,
    client_reference_id: Option<String>,
    #[serde(default)]
    metadata: HashMap<String, String>,
    payment_status: Option<String>,
    amount_total: Option<i64>,
    currency: Option<String>,
}

fn reply(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

/// `POST /webhooks/stripe`. Answers 400 to anything unsigned, mis-signed or stale (Stripe does not
/// retry those), 200 once an event is handled or known, 500 when storing failed (Stripe retries).
pub async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(s) = &state.stripe else { return reply(StatusCode::NOT_FOUND, json!({"error": "stripe_disabled"})) };
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Err(e) = verify_signature(header, &body, &s.webhook_secret, Utc::now().timestamp()) {
        tracing::warn!(error = %e, "Stripe webhook refused");
        return reply(StatusCode::BAD_REQUEST, json!({"error": "bad_signature", "message": e.to_string()}));
    }
    let event: Event = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => return reply(StatusCode::BAD_REQUEST, json!({"error": "bad_event", "message": e.to_string()})),
    };
    match handle(&state, &event).await {
        Ok(outcome) => reply(StatusCode::OK, json!({"received": true, "event": event.id, "outcome": outcome})),
        Err(e) => {
            tracing::error!(error = %e, event = %event.id, "Stripe webhook failed; Stripe will retry");
            reply(StatusCode::INTERNAL_SERVER_ERROR, json!({"error": "internal"}))
        }
    }
}

async fn handle(state: &AppState, event: &Event) -> Result<&'static str, store::StoreError> {
    if store::payments::event_seen(&state.store, &event.id).await? {
        return Ok("duplicate_event");
    }
    let paid_event =
        matches!(event.kind.as_str(), "checkout.session.completed" | "checkout.session.async_payment_succeeded");
    let s = &event.data.object;
    let outcome = if paid_event && s.payment_status.as_deref() == Some("paid") {
        let number = s.metadata.get("order_number").cloned().or_else(|| s.client_reference_id.clone());
        let amount = match s.currency.as_deref() {
            Some("vnd") => s.amount_total.unwrap_or(0),
            // A session in another currency cannot pay a đồng total: record 0 so it is flagged.
            _ => 0,
        };
        let o = store::payments::record(
            &state.store,
            store::payments::PaymentIn {
                order_number: number,
                method: PaymentMethod::Stripe,
                source: "stripe".into(),
                // The session, not the event: a session paid once is one payment, whichever events say so.
                external_ref: format!("stripe:{}", s.id),
                amount,
                detail: Some(format!("event {}", event.id)),
                actor: "Stripe".into(),
            },
        )
        .await?;
        o.code()
    } else {
        "ignored"
    };
    // Recorded after the payment: if we crash in between, Stripe's retry finds the payment already there.
    store::payments::remember_event(&state.store, &event.id, &event.kind).await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_secret_within_five_minutes() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign(body, "whsec_test", 1_000_000);
        assert_eq!(verify_signature(&header, body, "whsec_test", 1_000_100), Ok(()));
        assert_eq!(verify_signature(&header, body, "whsec_other", 1_000_100), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(&header, b"{}", "whsec_test", 1_000_100), Err(SignatureError::Mismatch));
        assert_eq!(verify_signature(&header, body, "whsec_test", 1_000_301), Err(SignatureError::TooOld));
        assert_eq!(verify_signature(&header, body, "whsec_test", 999_699), Err(SignatureError::TooOld));
        assert_eq!(verify_signature("garbage", body, "whsec_test", 1_000_000), Err(SignatureError::Header));
        // Stripe sends several v1 entries while a secret is being rolled: any one may match.
        let rolled = format!("t=1000000,v1={},{}", "00".repeat(32), header.split(',').nth(1).unwrap());
        assert_eq!(verify_signature(&rolled, body, "whsec_test", 1_000_000), Ok(()));
    }
}
