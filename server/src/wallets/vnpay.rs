//! VNPay v2.1.0: the payment URL, the IPN (`GET`, answered `{"RspCode", "Message"}`), the return
//! page, and the merchant API's `querydr` and `refund`. Signing lives in `domain::gateways::vnpay`.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::gateways::vnpay::{
    self as v, IpnReply, QUERY_FIELDS, QUERY_REPLY_FIELDS, REFUND_FIELDS, REFUND_REPLY_FIELDS, VERSION,
};
use serde_json::{Map, Value, json};
use store::gateways::{Attempt, AttemptStatus, Report, Settled};

use crate::config::VnPayConfig;
use crate::{AppError, AppState};

#[derive(Clone)]
pub struct VnPay {
    c: VnPayConfig,
}

fn pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn get<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

impl VnPay {
    pub fn new(c: VnPayConfig) -> Self {
        VnPay { c }
    }

    /// The signed URL the shopper's browser goes to.
    pub fn payment_url(
        &self,
        public_url: &str,
        a: &Attempt,
        expires: Option<DateTime<Utc>>,
        lang: app::i18n::Lang,
        ip: &str,
    ) -> String {
        let created = v::timestamp(a.created_at);
        let mut p: Vec<(String, String)> = [
            ("vnp_Version", VERSION.to_string()),
            ("vnp_Command", "pay".into()),
            ("vnp_TmnCode", self.c.tmn_code.clone()),
            ("vnp_Amount", v::amount_param(a.amount)),
            ("vnp_CurrCode", "VND".into()),
            ("vnp_TxnRef", a.reference.clone()),
            // VNPay asks for the order description without diacritics.
            ("vnp_OrderInfo", format!("Thanh toan don hang {}", a.number)),
            ("vnp_OrderType", "other".into()),
            ("vnp_Locale", if lang == app::i18n::Lang::En { "en" } else { "vn" }.into()),
            ("vnp_ReturnUrl", format!("{public_url}/payments/vnpay/return")),
            ("vnp_IpAddr", ip.to_string()),
            ("vnp_CreateDate", created),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        // The gateway stops taking money when the order stops holding its stock.
        if let Some(t) = expires.filter(|t| *t > Utc::now()) {
            p.push(("vnp_ExpireDate".into(), v::timestamp(t)));
        }
        v::payment_url(&self.c.pay_url, &p, &self.c.hash_secret)
    }

    async fn call(
        &self,
        http: &reqwest::Client,
        mut body: Map<String, Value>,
        fields: &[&str],
        reply_fields: &[&str],
    ) -> Result<Map<String, Value>, String> {
        let hash = v::sign_fields(&body, fields, &self.c.hash_secret);
        body.insert("vnp_SecureHash".into(), hash.into());
        let res = http.post(&self.c.api_url).json(&body).send().await.map_err(|e| e.to_string())?;
        let status = res.status();
        let reply: Map<String, Value> = res.json().await.map_err(|e| format!("HTTP {status}: {e}"))?;
        if !v::verify_fields(&reply, reply_fields, &self.c.hash_secret) {
            return Err("the reply's signature does not match".into());
        }
        Ok(reply)
    }

    fn request(&self, command: &str, a: &Attempt) -> Map<String, Value> {
        let mut m = Map::new();
        for (k, val) in [
            ("vnp_RequestId", uuid::Uuid::new_v4().simple().to_string()),
            ("vnp_Version", VERSION.to_string()),
            ("vnp_Command", command.to_string()),
            ("vnp_TmnCode", self.c.tmn_code.clone()),
            ("vnp_TxnRef", a.reference.clone()),
            ("vnp_TransactionDate", v::timestamp(a.created_at)),
            ("vnp_CreateDate", v::timestamp(Utc::now())),
            ("vnp_IpAddr", "127.0.0.1".to_string()),
        ] {
            m.insert(k.into(), val.into());
        }
        m
    }

    /// `querydr`: what VNPay knows of an attempt. None while the payment is still open.
    pub async fn query(&self, http: &reqwest::Client, a: &Attempt) -> Result<Option<Report>, String> {
        let mut body = self.request("querydr", a);
        body.insert("vnp_OrderInfo".into(), format!("Tra cuu {}", a.reference).into());
        let r = self.call(http, body, &QUERY_FIELDS, &QUERY_REPLY_FIELDS).await?;
        let field = |k: &str| v::field(&r, k);
        match field("vnp_ResponseCode").as_str() {
            "00" => {}
            // 91: VNPay has no such transaction: the shopper never reached its page.
            "91" => return Ok(None),
            code => return Err(format!("querydr answered {code}: {}", field("vnp_Message"))),
        }
        if field("vnp_TxnRef") != a.reference {
            return Err("querydr answered about another transaction".into());
        }
        let txn = field("vnp_TransactionNo");
        Ok(match field("vnp_TransactionStatus").as_str() {
            "00" => {
                let amount = v::parse_amount(&field("vnp_Amount")).ok_or("querydr gave no amount")?;
                Some(Report::Paid { gateway_txn: txn, amount })
            }
            // 01: not completed yet; 05/06 being refunded or sent to the bank.
            "01" | "05" | "06" => None,
            _ => Some(Report::Failed { gateway_txn: (!txn.is_empty()).then_some(txn) }),
        })
    }

    /// A full refund (`vnp_TransactionType` 02); the refund's reference as VNPay gives it.
    pub async fn refund(&self, http: &reqwest::Client, a: &Attempt, by: &str) -> Result<String, String> {
        let mut body = self.request("refund", a);
        body.insert("vnp_TransactionType".into(), "02".into());
        body.insert("vnp_Amount".into(), v::amount_param(a.amount).into());
        body.insert("vnp_TransactionNo".into(), a.gateway_txn.clone().unwrap_or_default().into());
        body.insert("vnp_CreateBy".into(), by.into());
        body.insert("vnp_OrderInfo".into(), format!("Hoan tien don hang {}", a.number).into());
        let r = self.call(http, body, &REFUND_FIELDS, REFUND_REPLY_FIELDS).await?;
        match v::field(&r, "vnp_ResponseCode").as_str() {
            "00" => Ok(format!("VNPay {}", v::field(&r, "vnp_TransactionNo"))),
            code => Err(format!("{code} {}", v::field(&r, "vnp_Message"))),
        }
    }
}

fn reply(r: IpnReply) -> Response {
    // VNPay reads the JSON body; the status stays 200 whatever the code.
    (StatusCode::OK, Json(json!({"RspCode": r.code(), "Message": r.message()}))).into_response()
}

/// `GET /payments/vnpay/ipn`: VNPay's notification. Checked in VNPay's order (signature, order,
/// amount, already settled) and answered in its codes; 00 and 02 stop its retries.
pub async fn ipn(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let Some(vp) = &state.wallets.vnpay else { return reply(IpnReply::Unknown) };
    let params = pairs(query.as_deref().unwrap_or(""));
    if !v::verify(&params, &vp.c.hash_secret) || get(&params, "vnp_TmnCode") != vp.c.tmn_code {
        tracing::warn!("VNPay IPN with a bad signature refused");
        return reply(IpnReply::InvalidSignature);
    }
    match handle_ipn(&state, &params).await {
        Ok(r) => reply(r),
        Err(e) => {
            tracing::error!(error = %e, "VNPay IPN failed; VNPay will retry");
            reply(IpnReply::Unknown)
        }
    }
}

async fn handle_ipn(state: &AppState, params: &[(String, String)]) -> Result<IpnReply, AppError> {
    let Some(a) = store::gateways::find(&state.store, get(params, "vnp_TxnRef")).await? else {
        return Ok(IpnReply::OrderNotFound);
    };
    if v::parse_amount(get(params, "vnp_Amount")) != Some(a.amount) {
        tracing::warn!(reference = %a.reference, amount = get(params, "vnp_Amount"), "VNPay IPN amount differs");
        return Ok(IpnReply::InvalidAmount);
    }
    if a.status != AttemptStatus::Pending {
        return Ok(IpnReply::AlreadyConfirmed);
    }
    let txn = get(params, "vnp_TransactionNo").to_string();
    let report = if v::succeeded(params) {
        Report::Paid { gateway_txn: txn, amount: a.amount }
    } else {
        Report::Failed { gateway_txn: (!txn.is_empty()).then_some(txn) }
    };
    Ok(match store::gateways::settle(&state.store, &a, &report, "VNPay").await? {
        Settled::Already => IpnReply::AlreadyConfirmed,
        Settled::Paid(_) | Settled::Failed => IpnReply::Confirmed,
    })
}

/// `GET /payments/vnpay/return`: where VNPay sends the shopper back. It reads, never writes.
pub async fn back(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, AppError> {
    let vp = state.wallets.vnpay.as_ref().ok_or(AppError::NotFound)?;
    let params = pairs(query.as_deref().unwrap_or(""));
    if !v::verify(&params, &vp.c.hash_secret) {
        return Err(AppError::BadForm(
            "vnp_SecureHash",
            "Không xác minh được kết quả thanh toán từ VNPay. Hãy mở lại đơn hàng để xem tình trạng.",
            "The payment result from VNPay could not be verified. Open your order again to see where it stands.",
        ));
    }
    let a = store::gateways::find(&state.store, get(&params, "vnp_TxnRef")).await?.ok_or(AppError::NotFound)?;
    Ok(super::back_to_order(&a, v::succeeded(&params)))
}
