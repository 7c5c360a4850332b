//! The one error type of the server, and the one place errors become responses.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::listing::QueryError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("bad query: {0}")]
    BadQuery(#[from] QueryError),
    #[error("not found")]
    NotFound,
    /// A form field a person filled in wrongly: which one, and why in both languages.
    #[error("bad form field {0}")]
    BadForm(&'static str, &'static str, &'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("unauthorised")]
    Unauthorised,
    #[error("conflict: {0}")]
    Conflict(String),
    /// The body is larger than the route takes (its limit in bytes).
    #[error("body over {0} bytes")]
    TooLarge(usize),
    /// Password hashing is at capacity: nothing was done.
    #[error("busy")]
    Busy,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::BadQuery(e) => (
                StatusCode::BAD_REQUEST,
                Json(json!({
                    "error": "bad_request",
                    "param": e.param,
                    "message": format!("{} / {}", e.message_vi, e.message_en),
                    "message_vi": e.message_vi,
                    "message_en": e.message_en,
                })),
            )
                .into_response(),
            AppError::BadForm(param, vi, en) => (
                StatusCode::BAD_REQUEST,
                Json(json!({
                    "error": "bad_request",
                    "param": param,
                    "message": format!("{vi} / {en}"),
                    "message_vi": vi,
                    "message_en": en,
                })),
            )
                .into_response(),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                Json(json!({
                    "error": "forbidden",
                    "message": "Biểu mẫu đã hết hạn hoặc không đến từ trang của chúng tôi. Vui lòng tải lại trang và thử lại. / The form expired or did not come from our site. Please reload the page and try again.",
                })),
            )
                .into_response(),
            AppError::Unauthorised => (
                StatusCode::UNAUTHORIZED,
                [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
                Json(json!({"error": "unauthorised", "message": "Cần mã truy cập văn phòng / office token required"})),
            )
                .into_response(),
            AppError::Conflict(message) => {
                (StatusCode::CONFLICT, Json(json!({"error": "conflict", "message": message}))).into_response()
            }
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                Json(json!({
                    "error": "not_found",
                    "message": "Không tìm thấy / Not found",
                })),
            )
                .into_response(),
            AppError::TooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                Json(json!({
                    "error": "too_large",
                    "limit_bytes": limit,
                    "message": format!(
                        "Dữ liệu gửi lên quá lớn (tối đa {} KB). / What was sent is too large (at most {} KB).",
                        limit / 1024,
                        limit / 1024
                    ),
                })),
            )
                .into_response(),
            AppError::Busy | AppError::Store(store::StoreError::Busy) => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(axum::http::header::RETRY_AFTER, "5")],
                Json(json!({
                    "error": "busy",
                    "message": "Hệ thống đang bận, vui lòng thử lại sau vài giây. / We are busy, please try again in a few seconds.",
                })),
            )
                .into_response(),
            AppError::Store(_) | AppError::Io(_) => {
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(json!({
                        "error": "internal",
                        "message": "Có lỗi phía máy chủ, vui lòng thử lại / Something went wrong on our side, please try again",
                    })),
                )
                    .into_response()
            }
        }
    }
}
