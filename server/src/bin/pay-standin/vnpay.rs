//! VNPay's side: the payment page (checks the signed URL), the decision (signed IPN, then the
//! signed return redirect) and the merchant API's `querydr` and `refund`.

use axum::Json;
use axum::extract::{Form, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::gateways::vnpay;
use serde_json::{Map, Value, json};

use axum::Router;
use axum::routing::{get, post};

use super::{Decide, St, Txn, notify, page, pairs};

pub(crate) fn routes() -> Router<St> {
    Router::new()
        .route("/paymentv2/vpcpay.html", get(vnpay_page))
        .route("/vnpay/decide", post(vnpay_decide))
        .route("/merchant_webapi/api/transaction", post(vnpay_api))
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
