//! Same-origin check on every form post. Browsers send `Sec-Fetch-Site` (and `Origin`) with a
//! cross-site form submission, which no site can forge; a post from another site is refused before
//! any handler runs. Per-visitor pages also carry an HMAC token bound to the cart (see
//! `app::session`); this check covers the posts that come from shared, cached pages.
//! The Stripe webhook, the bearer-token office API and the device-token sync API are not
//! cookie-authenticated and are exempt.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{AppError, AppState};

fn exempt(path: &str) -> bool {
    path.starts_with("/webhooks/") || path.starts_with("/office/api/") || path.starts_with("/sync/")
}

pub async fn layer(State(_state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD || exempt(req.uri().path()) {
        return next.run(req).await;
    }
    let h = req.headers();
    let text = |name: header::HeaderName| h.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST);
    let same_origin = domain::origin::same_origin(
        text(header::HeaderName::from_static("sec-fetch-site")),
        text(header::ORIGIN),
        text(header::REFERER),
        host,
    );
    if same_origin { next.run(req).await } else { AppError::Forbidden.into_response() }
}
