use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum PosError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("stored data could not be read: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// PIN hashing is at capacity (see `security::passwords`).
    #[error("busy")]
    Busy,
}

impl IntoResponse for PosError {
    fn into_response(self) -> Response {
        let (status, vi, en) = match &self {
            PosError::NotFound => (StatusCode::NOT_FOUND, "Không tìm thấy.", "Not found."),
            PosError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Yêu cầu bị từ chối (không đến từ màn hình quầy).",
                "Refused: the request did not come from the till's own screen.",
            ),
            PosError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Quầy đang bận; thử lại sau vài giây.",
                "The till is busy; try again in a few seconds.",
            ),
            _ => {
                tracing::error!(error = %self, "till error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Lỗi quầy; không có gì bị mất, hãy thử lại.",
                    "The till hit an error; nothing was lost, try again.",
                )
            }
        };
        // Written by hand (no page shell for errors), so escaped by hand.
        let (vi, en) = (security::html::escape(vi), security::html::escape(en));
        (
            status,
            Html(format!(
                "<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"{}\"><title>{vi}</title><p>{vi}</p><p lang=\"en\">{en}</p><p><a href=\"/\">Về quầy / Back to the till</a></p></html>",
                crate::pages::style_href()
            )),
        )
            .into_response()
    }
}
