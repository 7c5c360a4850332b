//! What every request with a body must pass before a byte of that body is read: on routes that
//! only the portal's and the office's people, the office API or a paired till may use, proof of who
//! is asking with a role that may use them (else 403/401); then a declared length within what the
//! route takes (else 413). A shopper's account, let alone no account, therefore cannot make the
//! server buffer an upload, whatever the handler does later; and uploads run a few at a time.
//! Handlers still check the CSRF token, ownership and the exact role themselves: this gate only
//! decides who may send a body at all.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::account::Role;

use crate::forms::{MAX_BODY, MAX_FORM, check_length};
use crate::{AppError, AppState};

/// Who may send a body to a path.
#[derive(Debug, PartialEq, Eq)]
enum Sender {
    Anyone,
    /// A live session of an account with one of these roles (cookie `sid`).
    SignedIn(&'static [Role]),
    /// The office API's bearer token.
    OfficeToken,
    /// A paired till's device token.
    Device,
}

const PORTAL: &[Role] = &[Role::Producer, Role::Admin];
const OFFICE: &[Role] = &[Role::Admin];
/// Everyone who takes a step in the OCOP evaluation.
const EVALUATION: &[Role] = &[Role::Producer, Role::Admin, Role::Commune, Role::Council];

fn sender(path: &str) -> Sender {
    if path.starts_with("/office/api/") {
        Sender::OfficeToken
    } else if path == "/dossiers" || path.starts_with("/dossiers/") {
        Sender::SignedIn(EVALUATION)
    } else if path.starts_with("/portal/") {
        Sender::SignedIn(PORTAL)
    } else if path.starts_with("/office/") {
        Sender::SignedIn(OFFICE)
    } else if path.starts_with("/sync/") && path != "/sync/v1/pair" {
        Sender::Device
    } else {
        Sender::Anyone
    }
}

fn upload(path: &str) -> bool {
    path == "/portal/import"
        || path == "/office/sheets"
        || (path.starts_with("/dossiers/") && path.ends_with("/documents"))
        || (path.starts_with("/portal/batches/") && path.ends_with("/documents"))
        || (path.starts_with("/portal/") && (path.ends_with("/photos") || path.ends_with("/photo")))
}

/// The largest body a request takes: photos and product files are uploads, a form typed by a person
/// is small, anything else (JSON, a bank statement) is at most `MAX_BODY`.
pub fn body_limit(path: &str, content_type: &str) -> usize {
    if path == "/portal/import" {
        crate::portal::MAX_CSV_BYTES + 64 * 1024
    } else if path == "/office/sheets" {
        store::evaluation::sheets::MAX_SHEET_BYTES + 64 * 1024
    } else if (path.starts_with("/dossiers/") || path.starts_with("/portal/batches/")) && path.ends_with("/documents") {
        crate::documents::MAX_BYTES + 64 * 1024
    } else if upload(path) {
        crate::photos::MAX_BYTES + 64 * 1024
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        MAX_FORM
    } else {
        MAX_BODY
    }
}

/// Uploads buffered at once, whoever sends them (each up to 15 MB).
pub const UPLOADS_AT_ONCE: usize = 4;

/// The gate's own state: the slots uploads take while they are read and checked.
#[derive(Clone)]
pub struct Uploads(Arc<tokio::sync::Semaphore>);

impl Default for Uploads {
    fn default() -> Self {
        Uploads(Arc::new(tokio::sync::Semaphore::new(UPLOADS_AT_ONCE)))
    }
}

fn bearer(headers: &HeaderMap) -> &str {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
}

/// Whether the request's sender may send a body to its path.
async fn allowed(state: &AppState, headers: &HeaderMap, sender: &Sender) -> Result<bool, AppError> {
    Ok(match sender {
        Sender::Anyone => true,
        Sender::SignedIn(roles) => match crate::portal::signed_in(state, headers).await {
            Ok((account, _)) => roles.contains(&account.role),
            Err(AppError::Forbidden) => false,
            Err(other) => return Err(other),
        },
        // Checked again by the API itself, which answers 404 when it is off.
        Sender::OfficeToken => {
            state.office_token.as_deref().is_some_and(|t| store::sql::same_secret(bearer(headers), t))
        }
        Sender::Device => store::sync::device(&state.store.db, bearer(headers)).await?.is_some(),
    })
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let sender = sender(&path);
    let headers = req.headers().clone();
    match allowed(&state, &headers, &sender).await {
        Ok(true) => {}
        Ok(false) => {
            return match sender {
                Sender::SignedIn(_) => AppError::Forbidden.into_response(),
                Sender::OfficeToken if state.office_token.is_none() => AppError::NotFound.into_response(),
                _ => crate::sync::unauthorised(),
            };
        }
        Err(e) => return e.into_response(),
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Err(e) = check_length(req.headers(), body_limit(&path, content_type)) {
        return e.into_response();
    }
    if upload(&path) {
        // Held until the handler has answered: the body is read and checked within it.
        let Ok(_slot) = state.uploads.0.clone().try_acquire_owned() else { return AppError::Busy.into_response() };
        return next.run(req).await;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_route_has_its_sender_and_limit() {
        assert_eq!(sender("/portal/import"), Sender::SignedIn(PORTAL));
        assert_eq!(sender("/office/certificates"), Sender::SignedIn(OFFICE));
        assert_eq!(sender("/office/api/statements"), Sender::OfficeToken);
        assert_eq!(sender("/sync/v1/sales"), Sender::Device);
        assert_eq!(sender("/sync/v1/pair"), Sender::Anyone);
        assert_eq!(sender("/checkout"), Sender::Anyone);
        let form = "application/x-www-form-urlencoded";
        assert_eq!(
            body_limit("/portal/products/3/photos", "multipart/form-data; boundary=x"),
            crate::photos::MAX_BYTES + 64 * 1024
        );
        assert_eq!(body_limit("/portal/combos/3/photo", ""), crate::photos::MAX_BYTES + 64 * 1024);
        assert_eq!(body_limit("/portal/import", ""), crate::portal::MAX_CSV_BYTES + 64 * 1024);
        assert_eq!(body_limit("/checkout", form), MAX_FORM);
        assert_eq!(body_limit("/office/api/statements", "text/csv"), MAX_BODY);
    }
}
