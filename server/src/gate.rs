//! What every request with a body must pass before a byte of that body is read: a declared length
//! within what its route takes (else 413), and, on routes that only signed-in people, the office
//! or a paired till may use, proof of who is asking (else 403/401). Anonymous requests therefore
//! cannot make the server buffer megabytes, whatever the handler does later. Handlers still check
//! the role, the CSRF token and ownership themselves: this gate only decides who may send a body.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::forms::{MAX_BODY, check_length};
use crate::{AppError, AppState};

/// Who may send a body to a path.
#[derive(Debug, PartialEq, Eq)]
enum Sender {
    Anyone,
    /// A live session (cookie `sid`).
    SignedIn,
    /// The office API's bearer token.
    OfficeToken,
    /// A paired till's device token.
    Device,
}

fn sender(path: &str) -> Sender {
    if path.starts_with("/office/api/") {
        Sender::OfficeToken
    } else if path.starts_with("/portal/") || path.starts_with("/office/") {
        Sender::SignedIn
    } else if path.starts_with("/sync/") && path != "/sync/v1/pair" {
        Sender::Device
    } else {
        Sender::Anyone
    }
}

/// The largest body a path takes: photos and product files are uploads, everything else is a form
/// or a JSON document.
pub fn body_limit(path: &str) -> usize {
    if path == "/portal/import" {
        crate::portal::MAX_CSV_BYTES + 64 * 1024
    } else if path.starts_with("/portal/") && (path.ends_with("/photos") || path.ends_with("/photo")) {
        crate::photos::MAX_BYTES + 64 * 1024
    } else {
        MAX_BODY
    }
}

fn bearer(req: &Request) -> &str {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let allowed = match sender(&path) {
        Sender::Anyone => Ok(true),
        Sender::SignedIn => crate::portal::signed_in(&state, req.headers()).await.map(|_| true).or_else(|e| match e {
            AppError::Forbidden => Ok(false),
            other => Err(other),
        }),
        // Checked again by the API itself, which answers 404 when it is off.
        Sender::OfficeToken => {
            Ok(state.office_token.as_deref().is_some_and(|t| store::sql::same_secret(bearer(&req), t)))
        }
        Sender::Device => {
            store::sync::device(&state.store.db, bearer(&req)).await.map(|d| d.is_some()).map_err(AppError::from)
        }
    };
    match allowed {
        Ok(true) => match check_length(req.headers(), body_limit(&path)) {
            Ok(()) => next.run(req).await,
            Err(e) => e.into_response(),
        },
        Ok(false) => match sender(&path) {
            Sender::SignedIn => AppError::Forbidden.into_response(),
            Sender::OfficeToken if state.office_token.is_none() => AppError::NotFound.into_response(),
            _ => crate::sync::unauthorised(),
        },
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_route_has_its_sender_and_limit() {
        assert_eq!(sender("/portal/import"), Sender::SignedIn);
        assert_eq!(sender("/office/certificates"), Sender::SignedIn);
        assert_eq!(sender("/office/api/statements"), Sender::OfficeToken);
        assert_eq!(sender("/sync/v1/sales"), Sender::Device);
        assert_eq!(sender("/sync/v1/pair"), Sender::Anyone);
        assert_eq!(sender("/checkout"), Sender::Anyone);
        assert_eq!(body_limit("/portal/products/3/photos"), crate::photos::MAX_BYTES + 64 * 1024);
        assert_eq!(body_limit("/portal/combos/3/photo"), crate::photos::MAX_BYTES + 64 * 1024);
        assert_eq!(body_limit("/portal/products/3"), MAX_BODY);
    }
}
