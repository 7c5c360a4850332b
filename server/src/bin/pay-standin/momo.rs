//! MoMo's side: create (checks its signature, answers a `payUrl`), the payment page, the decision
//! (signed IPN, then the redirect with the same fields), query and refund.

use axum::Json;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::gateways::momo;
use serde::Deserialize;
use serde_json::{Value, json};

use axum::Router;
use axum::routing::{get, post};

use super::{Decide, St, Txn, notify, page};

pub(crate) fn routes() -> Router<St> {
    Router::new()
        .route("/v2/gateway/api/create", post(momo_create))
        .route("/v2/gateway/api/query", post(momo_query))
        .route("/v2/gateway/api/refund", post(momo_refund))
        .route("/momo/pay/{order}", get(momo_page))
        .route("/momo/decide", post(momo_decide))
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
