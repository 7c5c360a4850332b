//! A local stand-in for the VNPay and MoMo gateways, for tests and demos: it speaks their
//! protocols (signed payment URL, MoMo create, a page where the "shopper" pays or cancels, the
//! signed IPN then the signed return redirect, `querydr` / query, refund) with the keys given in
//! the environment, and keeps everything in memory. Never a payment: nothing leaves the machine.
//!
//! `STANDIN_ADDR` (default `127.0.0.1:0`); `VNPAY_TMN_CODE`, `VNPAY_HASH_SECRET`; `MOMO_PARTNER_CODE`,
//! `MOMO_ACCESS_KEY`, `MOMO_SECRET_KEY` (MoMo's published sandbox keys by default). It prints
//! `listening on http://…` once ready. `POST /__standin/mode` with `{"ipn": "send"|"drop"|"twice",
//! "vnpay_ipn": url, "momo_ipn": url}` changes how notifications go out; `GET /__standin/log` lists what happened.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

mod momo;
mod vnpay;

#[derive(Clone, Default)]
pub(crate) struct Txn {
    amount: i64,
    info: String,
    return_url: String,
    ipn_url: String,
    created: String,
    /// VNPay `vnp_TransactionStatus` / MoMo `resultCode` as a string; empty while open.
    status: String,
    gateway_no: i64,
    refunded: bool,
}

#[derive(Default)]
struct Inner {
    vnpay: HashMap<String, Txn>,
    momo: HashMap<String, Txn>,
    ipn_mode: String,
    vnpay_ipn: String,
    /// Where MoMo notifications go instead of the `ipnUrl` a create named (a test app whose public
    /// address is not where it listens).
    momo_ipn: String,
    next_no: i64,
    log: Vec<Value>,
}

#[derive(Clone)]
struct Keys {
    tmn: String,
    vnp_secret: String,
    partner: String,
    access: String,
    secret: String,
}

#[derive(Clone)]
pub(crate) struct St {
    base: String,
    keys: Keys,
    inner: Arc<Mutex<Inner>>,
    http: reqwest::Client,
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

pub(crate) fn page(title: &str, amount: i64, info: &str, action: &str, reference: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
</head><body><h1>{title}</h1><p>Cổng thử nghiệm cục bộ / local stand-in</p>
<p id="standin-amount"><strong>{}</strong></p><p id="standin-info">{}</p>
<form method="post" action="{action}"><input type="hidden" name="reference" value="{}">
<button id="standin-pay" name="outcome" value="pay">Thanh toán / Pay</button>
<button id="standin-cancel" name="outcome" value="cancel">Huỷ / Cancel</button></form></body></html>"#,
        domain::Vnd(amount),
        security::html::escape(info),
        security::html::escape(reference)
    ))
}

pub(crate) fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

#[derive(Deserialize)]
pub(crate) struct Decide {
    reference: String,
    outcome: String,
}

/// Sends a notification the way the mode says; returns what each delivery answered.
pub(crate) async fn notify(st: &St, send: impl Fn() -> reqwest::RequestBuilder) -> Vec<Value> {
    let mode = st.inner.lock().unwrap().ipn_mode.clone();
    let times = match mode.as_str() {
        "drop" => 0,
        "twice" => 2,
        _ => 1,
    };
    let mut out = Vec::new();
    for _ in 0..times {
        match send().send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                out.push(json!({"status": status, "body": body}));
            }
            Err(e) => out.push(json!({"error": e.to_string()})),
        }
    }
    out
}

#[derive(Deserialize)]
struct Mode {
    ipn: Option<String>,
    vnpay_ipn: Option<String>,
    momo_ipn: Option<String>,
}

async fn set_mode(State(st): State<St>, Json(m): Json<Mode>) -> StatusCode {
    let mut inner = st.inner.lock().unwrap();
    if let Some(i) = m.ipn {
        inner.ipn_mode = i;
    }
    if let Some(u) = m.vnpay_ipn {
        inner.vnpay_ipn = u;
    }
    if let Some(u) = m.momo_ipn {
        inner.momo_ipn = u;
    }
    StatusCode::NO_CONTENT
}

async fn log(State(st): State<St>) -> Json<Value> {
    Json(Value::Array(st.inner.lock().unwrap().log.clone()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(env("STANDIN_ADDR", "127.0.0.1:0")).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let st = St {
        base: base.clone(),
        keys: Keys {
            tmn: env("VNPAY_TMN_CODE", "OCOPTEST"),
            vnp_secret: env("VNPAY_HASH_SECRET", "standin-vnpay-secret"),
            partner: env("MOMO_PARTNER_CODE", "MOMO"),
            access: env("MOMO_ACCESS_KEY", "F8BBA842ECF85"),
            secret: env("MOMO_SECRET_KEY", "K951B6PE1waDMi640xX08PD3vg6EkVlz"),
        },
        inner: Arc::new(Mutex::new(Inner { vnpay_ipn: env("VNPAY_IPN_URL", ""), ..Default::default() })),
        http: reqwest::Client::new(),
    };
    let app = Router::new()
        .merge(vnpay::routes())
        .merge(momo::routes())
        .route("/__standin/mode", post(set_mode))
        .route("/__standin/log", get(log))
        .with_state(st);
    println!("listening on {base}");
    axum::serve(listener, app).await
}
