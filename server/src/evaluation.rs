//! The evaluation's form posts and files: dossiers started, filled in, documented and moved step by
//! step (`/dossiers/...`, by whoever the store says may take each step), council members' sheets,
//! and the office's rounds, sheets, ranking and decisions (`/office/...`); a dossier's documents
//! read back only by those who may read the dossier; the results sheet as CSV or XLSX.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::account::{Account, Role};
use domain::evaluation::{Choices, DocKind, Step};
use domain::report::{Cell, Table};
use sha2::Digest;
use store::evaluation::{decision, dossiers, rounds, scores, sheets};
use store::listings::Refusal;

use crate::documents::DocError;
use crate::forms::read_form;
use crate::portal::{acting, refused, signed_in};
use crate::{AppError, AppState};

/// Routes whose bodies are files, with limits of their own (see `gate::body_limit`).
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/dossiers/{id}/documents",
            post(upload_document).layer(DefaultBodyLimit::max(crate::documents::MAX_BYTES + 64 * 1024)),
        )
        .route("/office/sheets", post(load_sheet).layer(DefaultBodyLimit::max(sheets::MAX_SHEET_BYTES + 64 * 1024)))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dossiers", post(start))
        .route("/dossiers/{id}", post(edit))
        .route("/dossiers/{id}/step", post(step))
        .route("/dossiers/{id}/samples", post(samples))
        .route("/dossiers/{id}/score", post(score))
        .route("/dossiers/{id}/documents/{doc}", get(document))
        .route("/dossiers/{id}/documents/{doc}/remove", post(remove_document))
        .route("/office/rounds", post(open_round))
        .route("/office/rounds/{id}/members", post(seat))
        .route("/office/rounds/{id}/sheets", post(add_sheet))
        .route("/office/rounds/{id}/rank", post(rank))
        .route("/office/rounds/{id}/decision", post(decide))
        .route("/office/rounds/{id}/ministry", post(ministry))
        .route("/office/rounds/{id}/results.csv", get(results_csv))
        .route("/office/rounds/{id}/results.xlsx", get(results_xlsx))
}

/// A posted form as its pairs, for forms whose field names are data (a sheet's criteria) or repeat
/// (the gates found).
async fn pairs(req: Request) -> Result<(axum::http::request::Parts, Vec<(String, String)>), AppError> {
    read_form(req).await
}

fn value(pairs: &[(String, String)], key: &str) -> String {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn typed(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.iter().filter(|(k, _)| k != "csrf").cloned().collect()
}

/// The page a role reads the dossier on.
fn page(actor: &Account, id: i64) -> String {
    app::pages::dossier_href(actor.role, id)
}

async fn start(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let form = dossiers::StartForm {
        product_id: value(&f, "product_id"),
        round_id: value(&f, "round_id"),
        kind: value(&f, "kind"),
    };
    let list = if actor.role == Role::Producer { "/portal/dossiers" } else { "/office/dossiers" };
    match dossiers::start(&state.store, &actor, &form).await? {
        Ok(id) => Ok(Redirect::to(&format!("{}?notice=started", page(&actor, id))).into_response()),
        Err(r) => refused(&state, &parts, list, "start", typed(&f), r).await,
    }
}

async fn edit(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let fields = dossiers::Fields {
        registered_name: value(&f, "registered_name"),
        annual_output: value(&f, "annual_output"),
        main_markets: value(&f, "main_markets"),
        raw_materials: value(&f, "raw_materials"),
        story: value(&f, "story"),
    };
    match dossiers::edit(&state.store, &actor, id, &fields).await? {
        Ok(()) => Ok(Redirect::to(&format!("{}?notice=saved", page(&actor, id))).into_response()),
        Err(r) => refused(&state, &parts, &page(&actor, id), "fields", typed(&f), r).await,
    }
}

async fn step(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let Some(step) = Step::parse(&value(&f, "step")) else {
        return Err(AppError::BadForm("step", "Bước không hợp lệ.", "Unknown step."));
    };
    let input = dossiers::StepInput {
        reason: value(&f, "reason"),
        gates: f.iter().filter(|(k, _)| k == "gate").map(|(_, v)| v.clone()).collect(),
    };
    match dossiers::take(&state.store, &actor, id, step, &input).await? {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice=step", page(&actor, id))).into_response()),
        Err(r) => refused(&state, &parts, &page(&actor, id), "step", typed(&f), r).await,
    }
}

async fn samples(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    match dossiers::record_samples(&state.store, &actor, id, &value(&f, "received_on"), &value(&f, "note")).await? {
        Ok(()) => Ok(Redirect::to(&format!("{}?notice=samples", page(&actor, id))).into_response()),
        Err(r) => refused(&state, &parts, &page(&actor, id), "samples", typed(&f), r).await,
    }
}

/// A member's sheet: `c_{criterion}` holds the option chosen, `n_{criterion}` the note; `submit=1`
/// makes it final.
async fn score(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let mut choices = Choices::new();
    let mut notes = scores::Notes::new();
    for (k, v) in &f {
        if let Some(c) = k.strip_prefix("c_") {
            choices.insert(c.to_string(), v.clone());
        } else if let Some(c) = k.strip_prefix("n_").filter(|_| !v.trim().is_empty()) {
            notes.insert(c.to_string(), v.clone());
        }
    }
    let submit = value(&f, "submit") == "1";
    let at = format!("/office/dossiers/{id}/score");
    match scores::save(&state.store, &actor, id, &choices, &notes, submit).await? {
        Ok(()) if submit => Ok(Redirect::to(&format!("/office/dossiers/{id}?notice=scored")).into_response()),
        Ok(()) => Ok(Redirect::to(&format!("{at}?notice=draft")).into_response()),
        Err(r) => refused(&state, &parts, &at, "score", typed(&f), r).await,
    }
}

/// The dossier's page again with `errors` beside its upload form (a refused file, a dossier that
/// takes no more), or JSON with both languages for a client that asks for it.
pub(crate) async fn upload_refused(
    state: &AppState,
    headers: &HeaderMap,
    at: &str,
    status: StatusCode,
    errors: Vec<domain::address::FieldError>,
) -> Response {
    let wants_json = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("json"));
    if let (true, Some(e)) = (wants_json, errors.first()) {
        let body = serde_json::json!({
            "error": "document_refused",
            "param": e.field,
            "message": format!("{} / {}", e.message_vi, e.message_en),
            "message_vi": e.message_vi,
            "message_en": e.message_en,
        });
        return (status, axum::Json(body)).into_response();
    }
    let mut req = Request::new(axum::body::Body::empty());
    *req.headers_mut() = headers.clone();
    *req.uri_mut() = at.parse().unwrap_or_default();
    let form = app::form::FormState { values: Vec::new(), errors, notice: None, form: Some("document".into()) };
    crate::forms::again(state, req, status, form).await
}

pub(crate) fn doc_error(e: &DocError) -> (StatusCode, Vec<domain::address::FieldError>) {
    let (vi, en) = e.message();
    let status = match e {
        DocError::TooLarge | DocError::Photo(crate::photos::PhotoError::TooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (status, vec![domain::address::FieldError { field: "file".into(), message_vi: vi, message_en: en }])
}

async fn upload_document(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, AppError> {
    let upload = crate::documents::Upload::read(form).await;
    let (csrf, kind) = (upload.field("csrf"), upload.field("kind"));
    let (file, name, too_large) = (upload.file, upload.file_name, upload.too_large);
    let actor = acting(&state, &headers, &csrf).await?;
    // Who may attach comes before what was sent: a stranger learns nothing of the checks.
    let at = page(&actor, id);
    match dossiers::may_attach(&state.store.db, &actor, id).await? {
        Ok(()) => {}
        Err(Refusal::Invalid(errors)) => {
            return Ok(upload_refused(&state, &headers, &at, StatusCode::UNPROCESSABLE_ENTITY, errors).await);
        }
        Err(r) => return Err(crate::portal::refusal_status(r)),
    }
    if too_large {
        let (status, errors) = doc_error(&DocError::TooLarge);
        return Ok(upload_refused(&state, &headers, &at, status, errors).await);
    }
    let Some(kind) = DocKind::parse(&kind) else {
        return Err(AppError::BadForm("kind", "Chọn loại giấy tờ.", "Choose the kind of document."));
    };
    let bytes =
        file.filter(|b| !b.is_empty()).ok_or(AppError::BadForm("file", "Chưa chọn tệp.", "No file was chosen."))?;
    let checked = match crate::documents::check(&bytes) {
        Ok(k) => k,
        Err(e) => {
            let (status, errors) = doc_error(&e);
            return Ok(upload_refused(&state, &headers, &at, status, errors).await);
        }
    };
    // Named by content: the same file attached twice is stored once.
    let key = format!("dossiers/{}.{}", hex::encode(sha2::Sha256::digest(&bytes)), checked.ext);
    state.media.put(&key, bytes.to_vec()).await?;
    let doc = dossiers::NewDocument {
        kind,
        file_name: name,
        media_key: key,
        content_type: checked.content_type.to_string(),
        bytes: bytes.len() as i64,
    };
    match dossiers::attach(&state.store, &actor, id, &doc).await? {
        Ok(_) => Ok(Redirect::to(&format!("{at}?notice=attached#documents")).into_response()),
        Err(Refusal::Invalid(errors)) => {
            Ok(upload_refused(&state, &headers, &at, StatusCode::UNPROCESSABLE_ENTITY, errors).await)
        }
        Err(r) => Err(crate::portal::refusal_status(r)),
    }
}

async fn remove_document(
    State(state): State<AppState>,
    Path((id, doc)): Path<(i64, i64)>,
    req: Request,
) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    match dossiers::remove_document(&state.store, &actor, id, doc).await? {
        Ok(unused) => {
            if let Some(key) = unused {
                state.media.delete(&key).await?;
            }
            Ok(Redirect::to(&format!("{}?notice=removed#documents", page(&actor, id))).into_response())
        }
        Err(r) => Err(crate::portal::refusal_status(r)),
    }
}

/// A document, for those who may read its dossier. Its type was checked by content at intake; it
/// is shown inline (a clerk reads a PDF in the browser) in a sandbox with no scripts.
async fn document(
    State(state): State<AppState>,
    Path((id, doc)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (actor, _) = signed_in(&state, &headers).await?;
    let view = dossiers::view(&state.store.db, &actor, id).await?.map_err(|_| AppError::NotFound)?;
    let d = view.documents.iter().find(|d| d.id == doc).ok_or(AppError::NotFound)?;
    let bytes = state.media.get(&d.media_key).await?.ok_or(AppError::NotFound)?;
    Ok(crate::documents::inline(bytes, d.content_type.clone(), &d.file_name, "private, no-store"))
}

async fn open_round(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let form = rounds::RoundForm {
        label: value(&f, "label"),
        year: value(&f, "year"),
        deadline: value(&f, "deadline"),
        sheet_id: value(&f, "sheet_id"),
    };
    match rounds::open(&state.store, &actor, &form).await? {
        Ok(id) => Ok(Redirect::to(&format!("/office/rounds/{id}?notice=opened")).into_response()),
        Err(r) => refused(&state, &parts, "/office/rounds", "round", typed(&f), r).await,
    }
}

async fn load_sheet(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let (mut csrf, mut body) = (String::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("sheet") => body = Some(field.bytes().await.map_err(|_| AppError::TooLarge(sheets::MAX_SHEET_BYTES))?),
            _ => {}
        }
    }
    let actor = acting(&state, &headers, &csrf).await?;
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let body =
        body.filter(|b| !b.is_empty()).ok_or(AppError::BadForm("sheet", "Chưa chọn tệp.", "No file was chosen."))?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::BadForm("sheet", "Tệp phải là JSON UTF-8.", "The file must be UTF-8 JSON."))?;
    match sheets::load(&state.store, &actor, text).await? {
        Ok(_) => Ok(Redirect::to("/office/rounds?notice=loaded#sheets").into_response()),
        Err(Refusal::Invalid(errors)) => {
            let form = app::form::FormState { values: Vec::new(), errors, notice: None, form: Some("sheet".into()) };
            let mut req = Request::new(axum::body::Body::empty());
            *req.headers_mut() = headers.clone();
            *req.uri_mut() = axum::http::Uri::from_static("/office/rounds");
            Ok(crate::forms::again(&state, req, StatusCode::UNPROCESSABLE_ENTITY, form).await)
        }
        Err(r) => Err(crate::portal::refusal_status(r)),
    }
}

async fn seat(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let Ok(user) = value(&f, "user_id").parse::<i64>() else {
        return Err(AppError::BadForm("user_id", "Chọn thành viên.", "Choose a member."));
    };
    let at = format!("/office/rounds/{id}");
    match rounds::seat(&state.store, &actor, id, user, value(&f, "secretary") == "1").await? {
        Ok(()) => Ok(Redirect::to(&format!("{at}?notice=seated#council")).into_response()),
        Err(r) => refused(&state, &parts, &at, "seat", typed(&f), r).await,
    }
}

async fn add_sheet(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let at = format!("/office/rounds/{id}");
    match rounds::add_sheet(&state.store, &actor, id, &value(&f, "sheet_id")).await? {
        Ok(()) => Ok(Redirect::to(&format!("{at}?notice=saved#round-sheets")).into_response()),
        Err(r) => refused(&state, &parts, &at, "sheet", typed(&f), r).await,
    }
}

async fn rank(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let at = format!("/office/rounds/{id}");
    match decision::rank_round(&state.store, &actor, id).await? {
        Ok(_) => Ok(Redirect::to(&format!("{at}?notice=ranked#results-panel")).into_response()),
        Err(r) => refused(&state, &parts, &at, "decision", typed(&f), r).await,
    }
}

async fn decide(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let form = decision::DecisionForm { number: value(&f, "number"), decided_on: value(&f, "decided_on") };
    let at = format!("/office/rounds/{id}");
    match decision::record(&state.store, &actor, id, &form).await? {
        Ok(_) => Ok(Redirect::to(&format!("{at}?notice=decided#results-panel")).into_response()),
        Err(r) => refused(&state, &parts, &at, "decision", typed(&f), r).await,
    }
}

/// The Ministry's decision: the dossiers ticked are the ones it made five stars.
async fn ministry(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f) = pairs(req).await?;
    let actor = acting(&state, &parts.headers, &value(&f, "csrf")).await?;
    let form = decision::DecisionForm { number: value(&f, "number"), decided_on: value(&f, "decided_on") };
    let five: Vec<i64> = f.iter().filter(|(k, _)| k == "five").filter_map(|(_, v)| v.parse().ok()).collect();
    let at = format!("/office/rounds/{id}");
    match decision::record_ministry(&state.store, &actor, id, &form, &five).await? {
        Ok(_) => Ok(Redirect::to(&format!("{at}?notice=decided#results-panel")).into_response()),
        Err(r) => refused(&state, &parts, &at, "ministry", typed(&f), r).await,
    }
}

/// The round's results sheet as a table: one row a dossier, its part scores, total, stars and the
/// certificate number issued (or to be issued with the decision).
async fn results_table(state: &AppState, headers: &HeaderMap, id: i64) -> Result<(Table, String), AppError> {
    let (actor, _) = signed_in(state, headers).await?;
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let round = rounds::get(&state.store.db, id).await?.ok_or(AppError::NotFound)?;
    let lines = dossiers::results(&state.store.db, id).await?;
    let centi = |c: i64| Cell::Text(format!("{},{:02}", c / 100, c % 100));
    let rows = lines
        .iter()
        .map(|l| {
            let r = l.result.as_ref();
            vec![
                Cell::Text(l.product_name.clone()),
                Cell::Text(l.producer_name.clone()),
                Cell::Text(l.area.clone().unwrap_or_default()),
                Cell::Text(l.kind.label().0.to_string()),
                r.map(|r| centi(r.parts_centi[0])).unwrap_or(Cell::Text(String::new())),
                r.map(|r| centi(r.parts_centi[1])).unwrap_or(Cell::Text(String::new())),
                r.map(|r| centi(r.parts_centi[2])).unwrap_or(Cell::Text(String::new())),
                r.map(|r| centi(r.mean_centi)).unwrap_or(Cell::Text(String::new())),
                Cell::Int(r.and_then(|r| r.stars).map(i64::from).unwrap_or(0)),
                Cell::Text(r.map(|r| r.outcome.clone()).unwrap_or_default()),
                Cell::Text(l.status.code().to_string()),
                Cell::Text(l.certificate_number.clone().or_else(|| round.decision_number.clone()).unwrap_or_default()),
            ]
        })
        .collect();
    let table = Table {
        id: "results",
        headers: vec![
            "san_pham",
            "chu_the",
            "dia_ban",
            "loai_ho_so",
            "phan_a",
            "phan_b",
            "phan_c",
            "tong_diem",
            "hang_sao",
            "ket_qua",
            "trang_thai",
            "so_quyet_dinh_gcn",
        ],
        rows,
    };
    Ok((table, format!("ocop-ket-qua-ky-{id}")))
}

fn attachment(body: Vec<u8>, kind: &str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

async fn results_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (t, stem) = results_table(&state, &headers, id).await?;
    Ok(attachment(crate::reports::csv(&t)?, "text/csv; charset=utf-8", format!("{stem}.csv")))
}

async fn results_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (t, stem) = results_table(&state, &headers, id).await?;
    let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(attachment(crate::reports::xlsx(&[&t])?, kind, format!("{stem}.xlsx")))
}
