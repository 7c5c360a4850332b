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

use axum::extract::{Form, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::gateways::{momo, vnpay};
use serde::Deserialize;
use serde_json::{Map, Value, json};

#[derive(Clone, Default)]
struct Txn {
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
struct St {
    base: String,
    keys: Keys,
    inner: Arc<Mutex<Inner>>,
    http: reqwest::Client,
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

fn page(title: &str, amount: i64, info: &str, action: &str, reference: &str) -> Html<String> {
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

fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn now_vn() -> String {
    vnpay::timestamp(chrono::Utc::now())
}

async fn vnpay_page(State(st): State<St>, RawQuery(q): RawQuery) -> Response {
    let p = pairs(q.as_deref().unwrap_or(""));
    let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    if !vnpay::verify(&p, &st.keys.vnp_secret) || get("vnp_TmnCode") != st.keys.tmn {
        return (StatusCode::BAD_REQUEST, Html("<p>Sai chữ ký / Invalid signature (code 70)</p>".to_string()))
            .into_response();
    }
    let Some(amount) = vnpay::parse_amount(&get("vnp_Amount")) else {
        return (StatusCode::BAD_REQUEST, Html("<p>Số tiền không hợp lệ / Invalid amount</p>".to_string()))
            .into_response();
    };
    let reference = get("vnp_TxnRef");
    let mut inner = st.inner.lock().unwrap();
    let vnpay_ipn = inner.vnpay_ipn.clone();
    inner.vnpay.entry(reference.clone()).or_insert(Txn {
        amount,
        info: get("vnp_OrderInfo"),
        return_url: get("vnp_ReturnUrl"),
        ipn_url: vnpay_ipn,
        created: get("vnp_CreateDate"),
        ..Default::default()
    });
    page("VNPay", amount, &get("vnp_OrderInfo"), "/vnpay/decide", &reference).into_response()
}

#[derive(Deserialize)]
struct Decide {
    reference: String,
    outcome: String,
}

/// Sends a notification the way the mode says; returns what each delivery answered.
async fn notify(st: &St, send: impl Fn() -> reqwest::RequestBuilder) -> Vec<Value> {
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

async fn vnpay_decide(State(st): State<St>, Form(d): Form<Decide>) -> Response {
    let paid = d.outcome == "pay";
    let (t, no) = {
        let mut inner = st.inner.lock().unwrap();
        inner.next_no += 1;
        let no = 14_000_000 + inner.next_no;
        let Some(t) = inner.vnpay.get_mut(&d.reference) else { return StatusCode::NOT_FOUND.into_response() };
        if !t.status.is_empty() {
            return (StatusCode::CONFLICT, "already decided").into_response();
        }
        t.status = if paid { "00" } else { "02" }.into();
        t.gateway_no = if paid { no } else { 0 };
        (t.clone(), no)
    };
    let mut p: Vec<(String, String)> = [
        ("vnp_Amount", vnpay::amount_param(t.amount)),
        ("vnp_BankCode", "NCB".into()),
        ("vnp_BankTranNo", format!("VNP{no}")),
        ("vnp_CardType", "ATM".into()),
        ("vnp_OrderInfo", t.info.clone()),
        ("vnp_PayDate", now_vn()),
        ("vnp_ResponseCode", if paid { "00" } else { "24" }.into()),
        ("vnp_TmnCode", st.keys.tmn.clone()),
        ("vnp_TransactionNo", t.gateway_no.to_string()),
        ("vnp_TransactionStatus", t.status.clone()),
        ("vnp_TxnRef", d.reference.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let hash = vnpay::sign(&p, &st.keys.vnp_secret);
    p.push(("vnp_SecureHash".into(), hash));
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(&p).finish();
    if !t.ipn_url.is_empty() {
        let url = format!("{}?{query}", t.ipn_url);
        let replies = notify(&st, || st.http.get(&url)).await;
        st.inner.lock().unwrap().log.push(json!({"gateway": "vnpay", "ipn": d.reference, "replies": replies}));
    }
    Redirect::to(&format!("{}?{query}", t.return_url)).into_response()
}

fn vnp_reply(st: &St, mut m: Map<String, Value>, fields: &[&str]) -> Json<Value> {
    let hash = vnpay::sign_fields(&m, fields, &st.keys.vnp_secret);
    m.insert("vnp_SecureHash".into(), hash.into());
    Json(Value::Object(m))
}

async fn vnpay_api(State(st): State<St>, Json(req): Json<Map<String, Value>>) -> Json<Value> {
    let f = |k: &str| vnpay::field(&req, k);
    let command = f("vnp_Command");
    let (fields, reply_fields): (&[&str], &[&str]) = match command.as_str() {
        "querydr" => (&vnpay::QUERY_FIELDS, &vnpay::QUERY_REPLY_FIELDS),
        "refund" => (&vnpay::REFUND_FIELDS, vnpay::REFUND_REPLY_FIELDS),
        _ => return Json(json!({"vnp_ResponseCode": "99", "vnp_Message": "unknown command"})),
    };
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.into(), v.into());
    };
    put("vnp_ResponseId", uuid::Uuid::new_v4().simple().to_string());
    put("vnp_Command", command.clone());
    put("vnp_TmnCode", st.keys.tmn.clone());
    put("vnp_TxnRef", f("vnp_TxnRef"));
    if !vnpay::verify_fields(&req, fields, &st.keys.vnp_secret) {
        put("vnp_ResponseCode", "97".into());
        put("vnp_Message", "Invalid Checksum".into());
        return vnp_reply(&st, m, reply_fields);
    }
    let mut inner = st.inner.lock().unwrap();
    inner.next_no += 1;
    let no = 14_000_000 + inner.next_no;
    let Some(t) = inner.vnpay.get_mut(&f("vnp_TxnRef")) else {
        put("vnp_ResponseCode", "91".into());
        put("vnp_Message", "Transaction not found".into());
        return vnp_reply(&st, m, reply_fields);
    };
    if f("vnp_TransactionDate") != t.created {
        put("vnp_ResponseCode", "91".into());
        put("vnp_Message", "Transaction not found (date)".into());
        return vnp_reply(&st, m, reply_fields);
    }
    put("vnp_Amount", vnpay::amount_param(t.amount));
    put("vnp_BankCode", "NCB".into());
    put("vnp_PayDate", t.created.clone());
    put("vnp_OrderInfo", t.info.clone());
    if command == "querydr" {
        put("vnp_ResponseCode", "00".into());
        put("vnp_Message", "QueryDR Success".into());
        put("vnp_TransactionNo", t.gateway_no.to_string());
        put("vnp_TransactionType", "01".into());
        put("vnp_TransactionStatus", if t.status.is_empty() { "01".into() } else { t.status.clone() });
        put("vnp_PromotionCode", String::new());
        put("vnp_PromotionAmount", String::new());
    } else {
        let ok = t.status == "00"
            && !t.refunded
            && vnpay::parse_amount(&f("vnp_Amount")) == Some(t.amount)
            && f("vnp_TransactionNo") == t.gateway_no.to_string();
        put("vnp_ResponseCode", if ok { "00" } else { "95" }.into());
        put("vnp_Message", if ok { "Refund success" } else { "Refund refused" }.into());
        put("vnp_TransactionNo", no.to_string());
        put("vnp_TransactionType", "02".into());
        put("vnp_TransactionStatus", if ok { "05".to_string() } else { t.status.clone() });
        if ok {
            t.refunded = true;
        }
        let reference = f("vnp_TxnRef");
        inner.log.push(json!({"gateway": "vnpay", "refund": reference, "accepted": ok}));
    }
    vnp_reply(&st, m, reply_fields)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MomoCreate {
    partner_code: String,
    request_id: String,
    amount: i64,
    order_id: String,
    order_info: String,
    redirect_url: String,
    ipn_url: String,
    request_type: String,
    #[serde(default)]
    extra_data: String,
    signature: String,
}

async fn momo_create(State(st): State<St>, Json(c): Json<MomoCreate>) -> Json<Value> {
    let create = momo::Create {
        partner_code: &c.partner_code,
        request_id: &c.request_id,
        amount: c.amount,
        order_id: &c.order_id,
        order_info: &c.order_info,
        redirect_url: &c.redirect_url,
        ipn_url: &c.ipn_url,
        request_type: &c.request_type,
        extra_data: &c.extra_data,
    };
    let base = json!({"partnerCode": c.partner_code, "requestId": c.request_id, "orderId": c.order_id, "amount": c.amount,
        "responseTime": chrono::Utc::now().timestamp_millis()});
    let with = |code: i64, message: &str, url: Option<String>| {
        let mut v = base.clone();
        v["resultCode"] = code.into();
        v["message"] = message.into();
        if let Some(u) = url {
            v["payUrl"] = u.into();
        }
        Json(v)
    };
    if c.partner_code != st.keys.partner || create.sign(&st.keys.access, &st.keys.secret) != c.signature {
        return with(11007, "Chữ ký không hợp lệ / invalid signature", None);
    }
    let mut inner = st.inner.lock().unwrap();
    if inner.momo.contains_key(&c.order_id) {
        return with(41, "orderId đã tồn tại / duplicate orderId", None);
    }
    inner.momo.insert(
        c.order_id.clone(),
        Txn {
            amount: c.amount,
            info: c.order_info.clone(),
            return_url: c.redirect_url.clone(),
            ipn_url: c.ipn_url.clone(),
            ..Default::default()
        },
    );
    with(0, "Thành công.", Some(format!("{}/momo/pay/{}", st.base, c.order_id)))
}

async fn momo_page(State(st): State<St>, Path(order): Path<String>) -> Response {
    let Some(t) = st.inner.lock().unwrap().momo.get(&order).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    page("MoMo", t.amount, &t.info, "/momo/decide", &order).into_response()
}

fn momo_ipn(st: &St, order: &str, t: &Txn) -> momo::Ipn {
    let mut n = momo::Ipn {
        partner_code: st.keys.partner.clone(),
        order_id: order.to_string(),
        request_id: order.to_string(),
        amount: t.amount,
        order_info: t.info.clone(),
        order_type: "momo_wallet".into(),
        trans_id: t.gateway_no,
        result_code: t.status.parse().unwrap_or(1000),
        message: if t.status == "0" { "Thành công." } else { "Giao dịch bị từ chối bởi người dùng." }.into(),
        pay_type: "qr".into(),
        response_time: chrono::Utc::now().timestamp_millis(),
        extra_data: String::new(),
        signature: String::new(),
    };
    n.signature = n.sign(&st.keys.access, &st.keys.secret);
    n
}

async fn momo_decide(State(st): State<St>, Form(d): Form<Decide>) -> Response {
    let paid = d.outcome == "pay";
    let t = {
        let mut inner = st.inner.lock().unwrap();
        inner.next_no += 1;
        let no = 4_000_000_000 + inner.next_no;
        let Some(t) = inner.momo.get_mut(&d.reference) else { return StatusCode::NOT_FOUND.into_response() };
        if !t.status.is_empty() {
            return (StatusCode::CONFLICT, "already decided").into_response();
        }
        t.status = if paid { "0" } else { "1006" }.into();
        t.gateway_no = no;
        t.clone()
    };
    let n = momo_ipn(&st, &d.reference, &t);
    let over = st.inner.lock().unwrap().momo_ipn.clone();
    let url = if over.is_empty() { t.ipn_url.clone() } else { over };
    let replies = notify(&st, || st.http.post(&url).json(&n)).await;
    st.inner.lock().unwrap().log.push(json!({"gateway": "momo", "ipn": d.reference, "replies": replies}));
    let query = serde_urlencoded::to_string(&n).unwrap_or_default();
    Redirect::to(&format!("{}?{query}", t.return_url)).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MomoQuery {
    partner_code: String,
    request_id: String,
    order_id: String,
    signature: String,
}

async fn momo_query(State(st): State<St>, Json(q): Json<MomoQuery>) -> Json<Value> {
    let expected = momo::query_signature(&st.keys.access, &st.keys.secret, &q.partner_code, &q.order_id, &q.request_id);
    if q.partner_code != st.keys.partner || expected != q.signature {
        return Json(json!({"orderId": q.order_id, "resultCode": 11007, "message": "invalid signature"}));
    }
    let Some(t) = st.inner.lock().unwrap().momo.get(&q.order_id).cloned() else {
        return Json(
            json!({"orderId": q.order_id, "resultCode": 42, "message": "orderId không tồn tại / unknown orderId"}),
        );
    };
    let code: i64 = if t.status.is_empty() { 1000 } else { t.status.parse().unwrap_or(99) };
    Json(json!({"partnerCode": st.keys.partner, "orderId": q.order_id, "requestId": q.request_id, "amount": t.amount,
        "transId": t.gateway_no, "resultCode": code, "message": "", "payType": "qr",
        "responseTime": chrono::Utc::now().timestamp_millis()}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MomoRefund {
    partner_code: String,
    order_id: String,
    request_id: String,
    amount: i64,
    trans_id: i64,
    description: String,
    signature: String,
}

async fn momo_refund(State(st): State<St>, Json(r): Json<MomoRefund>) -> Json<Value> {
    let signed = momo::Refund {
        partner_code: &r.partner_code,
        order_id: &r.order_id,
        request_id: &r.request_id,
        amount: r.amount,
        trans_id: r.trans_id,
        description: &r.description,
    }
    .sign(&st.keys.access, &st.keys.secret);
    if r.partner_code != st.keys.partner || signed != r.signature {
        return Json(json!({"orderId": r.order_id, "resultCode": 11007, "message": "invalid signature"}));
    }
    let mut inner = st.inner.lock().unwrap();
    inner.next_no += 1;
    let no = 4_000_000_000 + inner.next_no;
    let found = inner.momo.values_mut().find(|t| t.gateway_no == r.trans_id && t.status == "0");
    let ok = match found {
        Some(t) if !t.refunded && r.amount == t.amount => {
            t.refunded = true;
            true
        }
        _ => false,
    };
    inner.log.push(json!({"gateway": "momo", "refund": r.order_id, "accepted": ok}));
    Json(json!({"partnerCode": st.keys.partner, "orderId": r.order_id, "requestId": r.request_id, "amount": r.amount,
        "transId": if ok { no } else { 0 }, "resultCode": if ok { 0 } else { 1080 },
        "message": if ok { "Thành công." } else { "Giao dịch hoàn tiền bị từ chối / refund refused" },
        "responseTime": chrono::Utc::now().timestamp_millis()}))
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
        .route("/paymentv2/vpcpay.html", get(vnpay_page))
        .route("/vnpay/decide", post(vnpay_decide))
        .route("/merchant_webapi/api/transaction", post(vnpay_api))
        .route("/v2/gateway/api/create", post(momo_create))
        .route("/v2/gateway/api/query", post(momo_query))
        .route("/v2/gateway/api/refund", post(momo_refund))
        .route("/momo/pay/{order}", get(momo_page))
        .route("/momo/decide", post(momo_decide))
        .route("/__standin/mode", post(set_mode))
        .route("/__standin/log", get(log))
        .with_state(st);
    println!("listening on {base}");
    axum::serve(listener, app).await
}
