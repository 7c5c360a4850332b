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
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                Json(json!({
                    "error": "not_found",
                    "message": "Không tìm thấy / Not found",
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
