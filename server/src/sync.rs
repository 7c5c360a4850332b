//! The sync API for showroom POS devices (`/sync/v1/`): pairing with a code from the office, then
//! a device token (Bearer) for pulling catalogue changes and pushing sales. A device only ever acts
//! for its own showroom; every sale is stored once whatever the retries. Bodies are capped at 1 MB
//! (and 200 sales per push) by the router; errors are JSON with a message in both languages.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::sale::{MAX_SALES_PER_PUSH, Push, PushResults};
use serde::Deserialize;
use serde_json::json;
use store::sync::{Device, PairOutcome};

use crate::openapi::{ApiError, DeviceToken};
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
fn bad_request(en: String) -> Response {
    let vi = "Nội dung yêu cầu không hợp lệ.";
    let body = json!({"error": "bad_request", "message": format!("{vi} / {en}"), "message_vi": vi, "message_en": en});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Reads a JSON body (numbers as JSON Schema reads them: `72.0` is the integer 72), answering
/// unreadable JSON with what was wrong rather than a bare 422.
// The refusal is the response itself, as axum handlers return it.
#[allow(clippy::result_large_err)]
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| bad_request(format!("The request body is not valid JSON: {e}")))?;
    crate::openapi::integral_numbers(&mut value);
    serde_json::from_value(value).map_err(|e| bad_request(format!("The request body is not valid: {e}")))
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PairBody {
    /// The one-use code the office read out (`XXXXX-XXXXX`).
    code: String,
}

/// Pair a till with a showroom, once per code.
#[utoipa::path(post, path = "/sync/v1/pair", request_body = PairBody,
    responses(
        (status = 200, description = "Paired: keep the token", body = store::sync::Paired),
        (status = 400, description = "The body is not valid", body = ApiError),
        (status = 401, description = "The code is wrong, used or expired", body = ApiError),
        (status = 413, description = "The body is over 4 KB", body = ApiError),
        (status = 429, description = "Too many attempts from this address; try again in 15 minutes", body = ApiError),
    ))]
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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Since {
    /// The `cursor` of the last pull; absent or empty for a first, whole pull.
    #[param(value_type = Option<crate::openapi::Cursor>, inline)]
    since: Option<String>,
}

/// The showroom's catalogue: sizes changed since the cursor, every combo, the VietQR account.
#[utoipa::path(get, path = "/sync/v1/catalog", params(Since), security(("device" = [])),
    responses(
        (status = 200, description = "What changed since the cursor", body = domain::pos_catalog::CatalogDelta),
        (status = 400, description = "The cursor or the query is not valid", body = ApiError),
        (status = 401, description = "No live device token", body = ApiError),
    ))]
async fn catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let device = match device(&state, &headers).await? {
        Ok(d) => d,
        Err(r) => return Ok(r),
    };
    // Read here rather than by an extractor, so a repeated or unknown parameter gets this API's
    // JSON error and not a plain-text one.
    let q: Since = match serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()) {
        Ok(q) => q,
        Err(e) => return Ok(bad_request(format!("The query is not valid: {e}"))),
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

/// Push sales, refunds and stock events; each is stored once whatever the retries.
#[utoipa::path(post, path = "/sync/v1/sales", request_body = Push, security(("device" = [])),
    params(("x-till-backlog" = Option<u64>, Header, nullable = false, description = "Sales and stock events the till still has to send, this push included")),
    responses(
        (status = 200, description = "One outcome per sale (`results`) and per stock event (`stock_results`), in order", body = PushResults),
        (status = 400, description = "The body is not valid (more than 200 sales or 200 stock events among the reasons)", body = ApiError),
        (status = 401, description = "No live device token", body = ApiError),
        (status = 403, description = "The showroom is not the device's own", body = ApiError),
        (status = 413, description = "A body over 1 MB", body = ApiError),
    ))]
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
    if push.sales.len() > MAX_SALES_PER_PUSH || push.stock.len() > MAX_SALES_PER_PUSH {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "too_many_sales",
            "Tối đa 200 lần bán và 200 phiếu kho mỗi lần gửi.",
            "At most 200 sales and 200 stock events per push.",
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
    let backlog = match headers.get(domain::sale::BACKLOG_HEADER) {
        None => None,
        Some(v) => match v.to_str().ok().and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) => Some(n),
            None => {
                return Ok(bad_request(format!("The {} header must be a whole number.", domain::sale::BACKLOG_HEADER)));
            }
        },
    };
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

/// The sync API for whoever writes a till: OpenAPI 3.1, generated from the types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "OCOP Market sync API", version = "1",
        description = "For showroom tills: pair once with a code from the office, then pull the catalogue and push sales with the device token. Every error is JSON with a message in Vietnamese and English."),
    paths(pair, catalog, push_sales),
    modifiers(&DeviceToken),
)]
pub struct SyncApi;

async fn openapi() -> Response {
    use utoipa::OpenApi;
    ([(header::CONTENT_TYPE, "application/json")], SyncApi::openapi().to_json().unwrap_or_default()).into_response()
}
