//! Plain HTML forms: reading a posted form while keeping the request, and answering a refused one
//! with its page rendered again (a 4xx status, the messages beside the fields, the values kept).

use app::form::FormState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;

use crate::{AppError, AppState};

/// A posted form with the session's CSRF token beside its own fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Posted<T> {
    pub csrf: String,
    /// A form shown on another page than its record's own (a size's price on the portal's home)
    /// names that page here, so the answer returns there.
    #[serde(default)]
    pub back: String,
    #[serde(flatten)]
    pub form: T,
}

/// Any request body, uploads aside (they have their own limits).
pub const MAX_BODY: usize = 1024 * 1024;
/// A form typed by a person: the longest (a product with its descriptions) is well under this.
pub const MAX_FORM: usize = 64 * 1024;

/// Refuses a body whose declared length is over `limit` before any of it is read.
pub fn check_length(headers: &axum::http::HeaderMap, limit: usize) -> Result<(), AppError> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => Err(AppError::TooLarge(limit)),
        _ => Ok(()),
    }
}

/// Reads a whole body of at most `limit` bytes: over it (declared or streamed) is a 413.
pub async fn read_body(
    parts: &axum::http::request::Parts,
    body: Body,
    limit: usize,
) -> Result<axum::body::Bytes, AppError> {
    check_length(&parts.headers, limit)?;
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // The only error a bounded read has besides a dropped connection is its limit.
        if std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>()) {
            AppError::TooLarge(limit)
        } else {
            AppError::BadForm("form", "Biểu mẫu không đọc được.", "The form could not be read.")
        }
    })
}

/// Reads a urlencoded form whose request parts are kept, to render its page again if refused.
pub async fn read_form<T: serde::de::DeserializeOwned>(
    req: Request,
) -> Result<(axum::http::request::Parts, T), AppError> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts, body, MAX_FORM).await?;
    let form = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| AppError::BadForm("form", "Biểu mẫu không đọc được.", "The form could not be read."))?;
    Ok((parts, form))
}

pub fn get_request(parts: &axum::http::request::Parts) -> Request {
    let mut req = Request::new(Body::empty());
    *req.uri_mut() = parts.uri.clone();
    *req.headers_mut() = parts.headers.clone();
    req
}

/// Renders the page at the request's path again, with the form's state in context.
pub async fn again(state: &AppState, req: Request, status: StatusCode, form: FormState) -> Response {
    let mut res = crate::router::render_page(state, req, form).await;
    *res.status_mut() = status;
    res
}

/// A GET request for another page (`path`), with the posted request's headers (cookies, language).
pub fn get_request_at(parts: &axum::http::request::Parts, path: &str) -> Request {
    let mut req = get_request(parts);
    *req.uri_mut() = path.parse().unwrap_or_default();
    req
}
