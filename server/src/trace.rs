//! Traceability's form posts and the GS1 Digital Link resolver: batches recorded from the portal,
//! recalls opened by the producer or the office, shelves withdrawn and recalls closed by the office;
//! `/01/{GTIN}/10/{batch}` (what a label's QR carries) sends the phone to the batch's trace page.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::trace::DigitalLink;
use sha2::Digest;
use store::trace::{batches, links, public, recalls};

use crate::forms::read_form;
use crate::portal::{acting, refused};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/01/{*rest}", get(resolve))
        .route("/trace/{id}/documents/{doc}", get(document))
        .route("/portal/batches", post(record))
        .route("/portal/batches/{id}/recall", post(producer_recall))
        .route("/office/recalls", post(office_recall))
        .route("/office/recalls/{id}/withdraw", post(withdraw))
        .route("/office/recalls/{id}/close", post(close))
}

/// Routes whose bodies are files, with limits of their own (see `gate::body_limit`).
pub fn upload_routes() -> Router<AppState> {
    Router::new().route(
        "/portal/batches/{id}/documents",
        post(upload).layer(DefaultBodyLimit::max(crate::documents::MAX_BYTES + 64 * 1024)),
    )
}

/// A paper published with a batch: a photo of its inputs or a PDF, checked like a dossier's.
async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, AppError> {
    let upload = crate::documents::Upload::read(form).await;
    let (csrf, title) = (upload.field("csrf"), upload.field("title"));
    let (file, name, too_large) = (upload.file, upload.file_name, upload.too_large);
    let actor = acting(&state, &headers, &csrf).await?;
    // Whose batch it is comes before what was sent: a stranger learns nothing of the checks.
    if let Err(r) = batches::owned(&state.store.db, &actor, id).await? {
        return Err(crate::portal::refusal_status(r));
    }
    let at = format!("/portal/batches/{id}");
    let fail = |field: &str, (vi, en): (String, String)| {
        vec![domain::address::FieldError { field: field.into(), message_vi: vi, message_en: en }]
    };
    let refuse = |status: StatusCode, errors| {
        let state = state.clone();
        let headers = headers.clone();
        let at = at.clone();
        async move { crate::evaluation::upload_refused(&state, &headers, &at, status, errors).await }
    };
    if too_large {
        let (status, errors) = crate::evaluation::doc_error(&crate::documents::DocError::TooLarge);
        return Ok(refuse(status, errors).await);
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            fail("file", ("Chưa chọn tệp.".into(), "No file was chosen.".into())),
        )
        .await);
    };
    let checked = match crate::documents::check(&bytes) {
        Ok(k) => k,
        Err(e) => {
            let (status, errors) = crate::evaluation::doc_error(&e);
            return Ok(refuse(status, errors).await);
        }
    };
    // Named by content: the same file published twice is stored once.
    let key = format!("batches/{}.{}", hex::encode(sha2::Sha256::digest(&bytes)), checked.ext);
    state.media.put(&key, bytes.to_vec()).await?;
    let doc = public::NewDocument {
        title,
        file_name: name,
        media_key: key,
        content_type: checked.content_type.to_string(),
        bytes: bytes.len() as i64,
    };
    match public::attach(&state.store, &actor, id, &doc).await? {
        Ok(_) => Ok(Redirect::to(&format!("{at}?notice=attached#documents")).into_response()),
        Err(store::listings::Refusal::Invalid(errors)) => Ok(refuse(StatusCode::UNPROCESSABLE_ENTITY, errors).await),
        Err(r) => Err(crate::portal::refusal_status(r)),
    }
}

/// A published paper, for anyone reading the trace: shown inline, in a sandbox with no scripts.
async fn document(State(state): State<AppState>, Path((id, doc)): Path<(i64, i64)>) -> Result<Response, AppError> {
    let (key, content_type, file_name) = public::document(&state.store.db, id, doc).await?.ok_or(AppError::NotFound)?;
    let bytes = state.media.get(&key).await?.ok_or(AppError::NotFound)?;
    Ok(crate::documents::inline(bytes, content_type, &file_name, "public, max-age=3600"))
}

fn value(pairs: &[(String, String)], key: &str) -> String {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn typed(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.iter().filter(|(k, _)| k != "csrf").cloned().collect()
}

/// A label's Digital Link: the batch's trace page, or the product's page for a GTIN alone. Anything
/// else (a malformed link, a batch not ours) gets the 404 page.
async fn resolve(State(state): State<AppState>, req: Request) -> Response {
    let uri = req.uri().to_string();
    let link = match DigitalLink::parse(&uri) {
        Ok(l) => l,
        Err(_) => return crate::router::not_found(State(state), req).await,
    };
    let found = match &link.batch {
        Some(_) => links::resolve(&state.store.db, &link).await.map(|b| b.map(|id| format!("/trace/{id}"))),
        None => {
            links::product_of_gtin(&state.store.db, &link.gtin).await.map(|s| s.map(|slug| format!("/products/{slug}")))
        }
    };
    match found {
        Ok(Some(to)) => Redirect::to(&to).into_response(),
        Ok(None) => crate::router::not_found(State(state), req).await,
        Err(e) => AppError::from(e).into_response(),
    }
}

fn batch_form(f: &[(String, String)]) -> batches::BatchForm {
    let inputs = (0..app::pages::BATCH_INPUT_ROWS)
        .map(|i| batches::InputForm {
            material: value(f, &format!("input_material_{i}")),
            origin: value(f, &format!("input_origin_{i}")),
            supplier: value(f, &format!("input_supplier_{i}")),
            received_on: value(f, &format!("input_received_on_{i}")),
        })
        .collect();
    let tests = (0..app::pages::BATCH_TEST_ROWS)
        .map(|i| batches::TestForm {
            name: value(f, &format!("test_name_{i}")),
            result: value(f, &format!("test_result_{i}")),
            lab: value(f, &format!("test_lab_{i}")),
            tested_on: value(f, &format!("test_tested_on_{i}")),
            passed: !value(f, &format!("test_passed_{i}")).is_empty(),
        })
        .collect();
    batches::BatchForm {
        variant_id: value(f, "variant_id"),
        code: value(f, "code"),
        produced_on: value(f, "produced_on"),
        expires_on: value(f, "expires_on"),
        quantity: value(f, "quantity"),
        note: value(f, "note"),
        location_id: value(f, "location_id"),
        inputs,
        tests,
    }
}

async fn record(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, Vec<(String, String)>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    match batches::record(&state.store, &actor, &batch_form(&f)).await? {
        Ok(id) => Ok(Redirect::to(&format!("/portal/batches/{id}?notice=recorded")).into_response()),
        Err(r) => refused(&state, &parts, "/portal/batches", "batch", typed(&f), r).await,
    }
}

async fn open_recall(state: AppState, req: Request, batch_id: Option<i64>, page: String) -> Result<Response, AppError> {
    let (parts, f): (_, Vec<(String, String)>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let Some(batch_id) = batch_id.or_else(|| value(&f, "batch_id").trim().parse().ok()) else {
        return Err(AppError::BadForm("batch_id", "Chọn lô cần thu hồi.", "Choose the batch to recall."));
    };
    match recalls::open(&state.store, &actor, batch_id, &value(&f, "reason"), &state.public_url).await? {
        Ok(id) => {
            let list = if actor.role == domain::account::Role::Admin { "/office/recalls" } else { "/portal/recalls" };
            Ok(Redirect::to(&format!("{list}/{id}?notice=recalled")).into_response())
        }
        Err(r) => refused(&state, &parts, &page, "recall", typed(&f), r).await,
    }
}

async fn producer_recall(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, AppError> {
    open_recall(state, req, Some(id), format!("/portal/batches/{id}")).await
}

async fn office_recall(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    open_recall(state, req, None, "/office/recalls".into()).await
}

async fn withdraw(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, Vec<(String, String)>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let Ok(location) = value(&f, "location_id").trim().parse::<i64>() else {
        return Err(AppError::BadForm("location_id", "Chọn nơi rút hàng.", "Choose where the stock was withdrawn."));
    };
    let page = format!("/office/recalls/{id}");
    match recalls::withdraw(&state.store, &actor, id, location).await? {
        Ok(_) => Ok(Redirect::to(&format!("{page}?notice=withdrawn")).into_response()),
        Err(r) => refused(&state, &parts, &page, "withdraw", typed(&f), r).await,
    }
}

async fn close(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, Vec<(String, String)>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let page = format!("/office/recalls/{id}");
    match recalls::close(&state.store, &actor, id, &value(&f, "note")).await? {
        Ok(_) => Ok(Redirect::to(&format!("{page}?notice=closed")).into_response()),
        Err(r) => refused(&state, &parts, &page, "close", typed(&f), r).await,
    }
}
