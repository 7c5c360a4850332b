//! The producer portal's photo upload and the media files it makes. Every action checks on the
//! server that the signed-in member belongs to the product's producer (the office may act for any),
//! whatever product id the form or URL carries.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::account::{Account, Role};
use sea_orm::EntityTrait;

use crate::photos::{MAX_BYTES, PhotoError};
use crate::{AppError, AppState};

/// Routes with their own body limit: a photo may be up to 15 MB, past the 1 MB every other route gets.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route("/portal/products/{id}/photos", post(upload))
        .layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/media/{name}", get(media))
}

pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<(Account, String), AppError> {
    let sid = app::session::header_cookie(headers, app::session::SESSION_COOKIE).ok_or(AppError::Forbidden)?;
    let account = store::accounts::session_account(&state.store.db, sid).await?.ok_or(AppError::Forbidden)?;
    Ok((account, sid.to_string()))
}

/// May this account change this product?
fn may_edit(account: &Account, product: &store::entity::product::Model) -> bool {
    match account.role {
        Role::Admin => true,
        Role::Producer => account.producer_id.is_some() && account.producer_id == product.producer_id,
        Role::Shopper | Role::Staff => false,
    }
}

async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let (account, sid) = signed_in(&state, &headers).await?;
    let product = store::entity::product::Entity::find_by_id(id)
        .one(&state.store.db)
        .await
        .map_err(store::StoreError::from)?
        .ok_or(AppError::NotFound)?;
    if !may_edit(&account, &product) {
        return Err(AppError::Forbidden);
    }
    let (mut csrf, mut bytes) = (String::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("photo") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => {
                    return Err(AppError::BadForm("photo", "Ảnh lớn quá 15 MB.", "The photo is larger than 15 MB."));
                }
            },
            _ => {}
        }
    }
    if !app::session::csrf_ok(&state.secret, &format!("sid:{sid}"), &csrf) {
        return Err(AppError::Forbidden);
    }
    let bytes =
        bytes.filter(|b| !b.is_empty()).ok_or(AppError::BadForm("photo", "Chưa chọn ảnh.", "No photo was chosen."))?;
    // Decoding and encoding take a CPU for a second or more: off the async threads.
    let made = tokio::task::spawn_blocking(move || crate::photos::process(&bytes))
        .await
        .map_err(|e| AppError::Io(std::io::Error::other(e.to_string())))?;
    let derivatives = match made {
        Ok(d) => d,
        Err(e) => return Ok(photo_refused(e)),
    };
    let dir = state.media_dir.clone();
    tokio::fs::create_dir_all(&dir).await?;
    for d in &derivatives {
        let path = dir.join(&d.name);
        if tokio::fs::try_exists(&path).await? {
            continue;
        }
        let tmp = dir.join(format!(".{}.tmp", d.name));
        tokio::fs::write(&tmp, &d.bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
    }
    let names: Vec<String> = derivatives.iter().map(|d| d.name.clone()).collect();
    let largest = derivatives.last().expect("at least one derivative");
    store::photos::add(&state.store, product.id, &names, largest.width, largest.height, account.id).await?;
    Ok(Redirect::to("/portal?notice=photo").into_response())
}

fn photo_refused(e: PhotoError) -> Response {
    let status =
        if e == PhotoError::TooLarge { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
    let text = e.to_string();
    let (vi, en) = text.split_once(" / ").unwrap_or((&text, &text));
    (status, axum::Json(serde_json::json!({"error": "bad_photo", "message": text, "message_vi": vi, "message_en": en})))
        .into_response()
}

/// Derivatives are named by their content: a name always means the same bytes, so browsers may
/// keep them for a year.
async fn media(State(state): State<AppState>, Path(name): Path<String>) -> Result<Response, AppError> {
    let valid = name.len() == 69 && name.ends_with(".webp") && name[..64].bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(state.media_dir.join(&name)).await.map_err(|_| AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/webp"), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], bytes)
        .into_response())
}
