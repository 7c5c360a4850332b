//! MoMo v2 `captureWallet`: create (JSON, answered with a `payUrl`), the IPN (`POST` JSON, answered
//! 204), the return page, and the query and refund calls. Signing lives in `domain::gateways::momo`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::gateways::momo::{self as m, Create, Ipn};
use serde::Deserialize;
use serde_json::json;
use store::gateways::{Attempt, AttemptStatus, Report};

use crate::config::MoMoConfig;
use crate::{AppError, AppState};

#[derive(Clone)]
pub struct MoMo {
    c: MoMoConfig,
}

/// What MoMo answers to create, query and refund (the fields read here).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    result_code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    pay_url: Option<String>,
    #[serde(default)]
    order_id: Option<String>,
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    trans_id: Option<i64>,
}

/// The largest notification taken: MoMo's are well under 2 KB.
pub const IPN_LIMIT: usize = 16 * 1024;

impl MoMo {
    pub fn new(c: MoMoConfig) -> Self {
        MoMo { c }
    }

    async fn post(&self, http: &reqwest::Client, path: &str, body: serde_json::Value) -> Result<Answer, String> {
        let res =
            http.post(format!("{}{path}", self.c.api_base)).json(&body).send().await.map_err(|e| e.to_string())?;
        let status = res.status();
        res.json::<Answer>().await.map_err(|e| format!("HTTP {status}: {e}"))
    }

    /// Creates the payment; the address MoMo gives for the shopper.
    pub async fn create(
        &self,
        http: &reqwest::Client,
        public_url: &str,
        a: &Attempt,
        lang: app::i18n::Lang,
    ) -> Result<String, String> {
        let redirect = format!("{public_url}/payments/momo/return");
        let ipn = format!("{public_url}/payments/momo/ipn");
        let info = format!("Thanh toán đơn hàng {}", a.number);
        let c = Create {
            partner_code: &self.c.partner_code,
            request_id: &a.reference,
            amount: a.amount,
            order_id: &a.reference,
            order_info: &info,
            redirect_url: &redirect,
            ipn_url: &ipn,
            request_type: "captureWallet",
            extra_data: "",
        };
        let body = json!({
            "partnerCode": c.partner_code,
            "requestId": c.request_id,
            "amount": c.amount,
            "orderId": c.order_id,
            "orderInfo": c.order_info,
            "redirectUrl": c.redirect_url,
            "ipnUrl": c.ipn_url,
            "requestType": c.request_type,
            "extraData": c.extra_data,
            "lang": if lang == app::i18n::Lang::En { "en" } else { "vi" },
            "signature": c.sign(&self.c.access_key, &self.c.secret_key),
        });
        let answer = self.post(http, "/v2/gateway/api/create", body).await?;
        match (answer.result_code, answer.pay_url) {
            (0, Some(url)) if url.starts_with("https://") || url.starts_with("http://") => Ok(url),
            (code, _) => Err(format!("create answered {code}: {}", answer.message)),
        }
    }

    /// What MoMo knows of an attempt. None while the shopper may still pay.
    pub async fn query(&self, http: &reqwest::Client, a: &Attempt) -> Result<Option<Report>, String> {
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        let body = json!({
            "partnerCode": self.c.partner_code,
            "requestId": request_id,
            "orderId": a.reference,
            "lang": "vi",
            "signature": m::query_signature(&self.c.access_key, &self.c.secret_key, &self.c.partner_code, &a.reference, &request_id),
        });
        let r = self.post(http, "/v2/gateway/api/query", body).await?;
        if r.order_id.as_deref().is_some_and(|o| o != a.reference) {
            return Err("the query answered about another order".into());
        }
        let txn = r.trans_id.filter(|t| *t > 0).map(|t| t.to_string());
        Ok(match r.result_code {
            0 => Some(Report::Paid {
                gateway_txn: txn.unwrap_or_default(),
                amount: r.amount.ok_or("the query gave no amount")?,
            }),
            // Started, waiting for the shopper, or authorised but not yet captured.
            1000 | 7000 | 7002 | 9000 => None,
            // 1005: expired, 1006: refused by the shopper, 1003: cancelled, and the other failures.
            _ => Some(Report::Failed { gateway_txn: txn }),
        })
    }

    /// A full refund of the attempt; MoMo's reference for it.
    pub async fn refund(&self, http: &reqwest::Client, a: &Attempt) -> Result<String, String> {
        let trans_id: i64 =
            a.gateway_txn.as_deref().and_then(|t| t.parse().ok()).ok_or("no MoMo transaction to refund")?;
        // A refund is an order of its own at MoMo, with a fresh id.
        let order_id = format!("{}-R", a.reference);
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        let description = format!("Hoàn tiền đơn hàng {}", a.number);
        let r = m::Refund {
            partner_code: &self.c.partner_code,
            order_id: &order_id,
            request_id: &request_id,
            amount: a.amount,
            trans_id,
            description: &description,
        };
        let body = json!({
            "partnerCode": r.partner_code,
            "orderId": r.order_id,
            "requestId": r.request_id,
            "amount": r.amount,
            "transId": r.trans_id,
            "lang": "vi",
            "description": r.description,
            "signature": r.sign(&self.c.access_key, &self.c.secret_key),
        });
        let answer = self.post(http, "/v2/gateway/api/refund", body).await?;
        match answer.result_code {
            0 => Ok(format!("MoMo {}", answer.trans_id.unwrap_or_default())),
            code => Err(format!("{code} {}", answer.message)),
        }
    }

    fn trusted(&self, n: &Ipn) -> bool {
        n.partner_code == self.c.partner_code && n.verify(&self.c.access_key, &self.c.secret_key)
    }
}

fn refuse(status: StatusCode, error: &str, message: &str) -> Response {
    (status, axum::Json(json!({"error": error, "message": message}))).into_response()
}

/// `POST /payments/momo/ipn`: MoMo's notification, answered 204 once handled or known; 4xx for
/// what can never be right (MoMo does not retry those), 500 when storing failed (it retries).
pub async fn ipn(State(state): State<AppState>, body: Bytes) -> Response {
    let Some(mm) = &state.wallets.momo else { return refuse(StatusCode::NOT_FOUND, "momo_disabled", "MoMo is off") };
    let n: Ipn = match serde_json::from_slice(&body) {
        Ok(n) => n,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, "bad_notification", &e.to_string()),
    };
    if !mm.trusted(&n) {
        tracing::warn!(order = %n.order_id, "MoMo IPN with a bad signature refused");
        return refuse(StatusCode::BAD_REQUEST, "bad_signature", "signature does not match");
    }
    let a = match store::gateways::find(&state.store, &n.order_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, "unknown_order", "no such order"),
        Err(e) => {
            tracing::error!(error = %e, "MoMo IPN failed; MoMo will retry");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again");
        }
    };
    if n.amount != a.amount {
        tracing::warn!(reference = %a.reference, amount = n.amount, "MoMo IPN amount differs");
        return refuse(StatusCode::BAD_REQUEST, "wrong_amount", "amount does not match the order");
    }
    if a.status != AttemptStatus::Pending {
        return StatusCode::NO_CONTENT.into_response();
    }
    let report = if n.succeeded() {
        Report::Paid { gateway_txn: n.trans_id.to_string(), amount: n.amount }
    } else {
        Report::Failed { gateway_txn: (n.trans_id > 0).then(|| n.trans_id.to_string()) }
    };
    match store::gateways::settle(&state.store, &a, &report, "MoMo").await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "MoMo IPN failed; MoMo will retry");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again")
        }
    }
}

/// `GET /payments/momo/return`: where MoMo sends the shopper back, with the notification's fields
/// in the query. It reads, never writes.
pub async fn back(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, AppError> {
    let mm = state.wallets.momo.as_ref().ok_or(AppError::NotFound)?;
    let n: Option<Ipn> = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).ok();
    let Some(n) = n.filter(|n| mm.trusted(n)) else {
        return Err(AppError::BadForm(
            "signature",
            "Không xác minh được kết quả thanh toán từ MoMo. Hãy mở lại đơn hàng để xem tình trạng.",
            "The payment result from MoMo could not be verified. Open your order again to see where it stands.",
        ));
    };
    let a = store::gateways::find(&state.store, &n.order_id).await?.ok_or(AppError::NotFound)?;
    Ok(super::back_to_order(&a, n.succeeded()))
}
