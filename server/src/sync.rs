//! The sync API for showroom POS devices (`/sync/v1/`): pairing with a code from the office, then
//! a device token (Bearer) for pulling catalogue changes and pushing sales. A device only ever acts
//! for its own showroom; every sale is stored once whatever the retries. Bodies are capped at 1 MB
//! (and 200 sales per push) by the router; errors are JSON with a message in both languages.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::sale::{MAX_SALES_PER_PUSH, Push, PushResults};
use serde::Deserialize;
use serde_json::json;
use store::sync::{Device, PairOutcome};

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync/v1/pair", post(pair))
        .route("/sync/v1/catalog", get(catalog))
        .route("/sync/v1/sales", post(push_sales))
        .route("/sync/v1/openapi.json", get(openapi))
}

fn error(status: StatusCode, code: &str, vi: &str, en: &str) -> Response {
    (status, Json(json!({"error": code, "message": format!("{vi} / {en}"), "message_vi": vi, "message_en": en})))
        .into_response()
}

/// Reads a JSON body, answering unreadable JSON with what was wrong rather than a bare 422.
// The refusal is the response itself, as axum handlers return it.
#[allow(clippy::result_large_err)]
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        let en = format!("The request body is not valid: {e}");
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "bad_request", "message_vi": "Nội dung yêu cầu không hợp lệ.", "message_en": en})),
        )
            .into_response()
    })
}

async fn device(state: &AppState, headers: &HeaderMap) -> Result<Result<Device, Response>, AppError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    Ok(match store::sync::device(&state.store.db, token).await? {
        Some(d) => Ok(d),
        None => Err(unauthorised()),
    })
}

/// The answer to a request without a live device token.
pub fn unauthorised() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "unauthorised",
        "Máy chưa ghép hoặc đã bị thu hồi.",
        "This device is not paired or was revoked.",
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairBody {
    code: String,
}

async fn pair(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, AppError> {
    let source = crate::client::source(&state, &req);
    let (parts, body) = req.into_parts();
    let body = crate::forms::read_body(&parts, body, 4 * 1024).await?;
    let b: PairBody = match parse(&body) {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    Ok(match store::sync::pair(&state.store, &b.code, &source).await? {
        PairOutcome::Paired(p) => Json(p).into_response(),
        PairOutcome::Wrong => error(
            StatusCode::UNAUTHORIZED,
            "wrong_code",
            "Mã ghép sai, đã dùng hoặc đã hết hạn. Xin văn phòng mã mới.",
            "The pairing code is wrong, used or expired. Ask the office for a new one.",
        ),
        PairOutcome::Throttled => error(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            "Quá nhiều lần thử mã từ máy này; thử lại sau 15 phút.",
            "Too many code attempts from this machine; try again in 15 minutes.",
        ),
    })
}

#[derive(Deserialize)]
struct Since {
    since: Option<String>,
}

async fn catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Since>,
) -> Result<Response, AppError> {
    let device = match device(&state, &headers).await? {
        Ok(d) => d,
        Err(r) => return Ok(r),
    };
    let since = match q.since.as_deref() {
        None | Some("") => None,
        Some(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.with_timezone(&chrono::Utc)),
            Err(_) => {
                return Ok(error(
                    StatusCode::BAD_REQUEST,
                    "bad_cursor",
                    "Con trỏ đồng bộ không hợp lệ.",
                    "The sync cursor is not valid (RFC 3339 expected).",
                ));
            }
        },
    };
    Ok(Json(store::sync::catalog_since(&state.store.db, device, since, state.store.commerce.vietqr.as_ref()).await?)
        .into_response())
}

async fn push_sales(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let device = match device(&state, &headers).await? {
        Ok(d) => d,
        Err(r) => return Ok(r),
    };
    let push: Push = match parse(&body) {
        Ok(p) => p,
        Err(r) => return Ok(r),
    };
    if push.sales.len() + push.stock.len() > MAX_SALES_PER_PUSH {
        return Ok(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_sales",
            "Tối đa 200 lần bán và phiếu kho mỗi lần gửi.",
            "At most 200 sales and stock events per push.",
        ));
    }
    let own = store::entity::location::Entity::find_by_id(device.location_id)
        .one(&state.store.db)
        .await
        .map_err(store::StoreError::from)?
        .map(|l| l.code);
    if own.as_deref() != Some(push.showroom_code.as_str()) {
        return Ok(error(
            StatusCode::FORBIDDEN,
            "wrong_showroom",
            "Máy này chỉ gửi được doanh số của điểm bán của nó.",
            "This device may only send sales for its own showroom.",
        ));
    }
    let backlog = headers.get(domain::sale::BACKLOG_HEADER).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let device_id = device.id.to_string();
    let results = store::sync::record_sales(&state.store, device, &push.sales).await?;
    let stock_results = store::sync::record_stock(&state.store, device, &push.stock).await?;
    crate::metrics::sync_push(&push.showroom_code, push.sales.len());
    if let Some(queued) = backlog {
        // After this push is stored, what remains is what the till had less what it just sent.
        let sent = (push.sales.len() + push.stock.len()) as u64;
        crate::metrics::till_backlog(&push.showroom_code, &device_id, queued.saturating_sub(sent));
    }
    Ok(Json(PushResults { results, stock_results }).into_response())
}

use sea_orm::EntityTrait;

/// The sync API described for whoever writes a client: OpenAPI 3.1.
async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("sync_openapi.json")).into_response()
}
