//! The producer portal's form posts: products, variants, stock, fulfilment and photos, and the media
//! files photos become. Every action checks on the server that the signed-in member belongs to the
//! product's producer (the office may act for any), whatever ids the form or URL carries; the
//! checks themselves live in `store::listings`.

use app::form::FormState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::account::Account;
use domain::listing_edit::{ComboForm, ProductForm, StockReason, VariantForm};
use serde::Deserialize;
use store::listings::Refusal;

use crate::forms::{Posted, again, get_request_at, read_form};
use crate::photos::{MAX_BYTES, PhotoError};
use crate::{AppError, AppState};

/// Routes with their own body limit: a photo may be up to 15 MB, past the 1 MB every other route
/// gets (`gate` refuses larger declared lengths, and anonymous senders, before reading).
pub fn upload_router(state: &AppState) -> Router<AppState> {
    let photo = DefaultBodyLimit::max(MAX_BYTES + 64 * 1024);
    Router::new()
        .route("/portal/products/{id}/photos", post(upload).layer(photo))
        .route("/portal/import", post(import_products).layer(DefaultBodyLimit::max(MAX_CSV_BYTES + 64 * 1024)))
        .route("/portal/combos/{id}/photo", post(combo_photo).layer(photo))
        .merge(crate::evaluation::upload_routes())
        .merge(crate::trace::upload_routes())
        .layer(axum::middleware::from_fn(crate::hydration::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::gate::layer))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/media/{name}", get(media))
        .route("/portal/products.csv", get(export_products))
        .route("/portal/products/new", post(create_product))
        .route("/portal/products/{id}", post(update_product))
        .route("/portal/products/{id}/variants", post(add_variant))
        .route("/portal/products/{id}/variants/{vid}", post(update_variant))
        .route("/portal/products/{id}/stock", post(adjust_stock))
        .route("/portal/combos", post(create_combo))
        .route("/portal/combos/{id}", post(update_combo))
        .route("/portal/orders/{number}/pack", post(pack))
        .route("/portal/orders/{number}/ship", post(ship))
}

/// The signed-in account behind a form post, after its CSRF token is checked against the session.
pub(crate) async fn acting(state: &AppState, headers: &HeaderMap, csrf: &str) -> Result<Account, AppError> {
    let (account, sid) = signed_in(state, headers).await?;
    if !app::session::csrf_ok(&state.secret, &format!("sid:{sid}"), csrf) {
        return Err(AppError::Forbidden);
    }
    Ok(account)
}

/// A refused portal change: someone else's or missing things are 403/404; bad fields render
/// `page` again with the messages beside `form`'s fields and what was typed.
pub(crate) async fn refused(
    state: &AppState,
    parts: &axum::http::request::Parts,
    page: &str,
    form: &str,
    values: Vec<(String, String)>,
    r: Refusal,
) -> Result<Response, AppError> {
    match r {
        Refusal::Forbidden => Err(AppError::Forbidden),
        Refusal::NotFound => Err(AppError::NotFound),
        Refusal::Invalid(errors) => {
            let state_ = FormState { values, errors, notice: None, form: Some(form.to_string()) };
            Ok(again(state, get_request_at(parts, page), StatusCode::UNPROCESSABLE_ENTITY, state_).await)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewProduct {
    csrf: String,
    producer_id: Option<i64>,
    #[serde(flatten)]
    product: ProductForm,
    sku: String,
    barcode: String,
    size_vi: String,
    size_en: String,
    price: String,
}

fn values(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn product_values(p: &ProductForm) -> Vec<(String, String)> {
    values(&[
        ("name_vi", &p.name_vi),
        ("name_en", &p.name_en),
        ("description_vi", &p.description_vi),
        ("description_en", &p.description_en),
        ("group", &p.group),
        ("category", &p.category),
        ("status", &p.status),
        ("tax_kind", &p.tax_kind),
    ])
}

fn variant_values(v: &VariantForm) -> Vec<(String, String)> {
    let mut out = values(&[
        ("sku", &v.sku),
        ("barcode", &v.barcode),
        ("size_vi", &v.size_vi),
        ("size_en", &v.size_en),
        ("price", &v.price),
    ]);
    if v.active.is_some() {
        out.push(("active".into(), "on".into()));
    }
    out
}

async fn create_product(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, NewProduct) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &f.csrf).await?;
    // Who may act comes before what was typed: a stranger learns nothing from validation messages.
    let producer_id = f.producer_id.or(actor.producer_id).ok_or(AppError::Forbidden)?;
    if !store::listings::may_act_for(&actor, Some(producer_id)) {
        return Err(AppError::Forbidden);
    }
    let variant = VariantForm {
        sku: f.sku,
        barcode: f.barcode,
        size_vi: f.size_vi,
        size_en: f.size_en,
        price: f.price,
        active: Some("on".into()),
    };
    let mut typed = product_values(&f.product);
    typed.extend(variant_values(&variant));
    let page = "/portal/products/new";
    let (product, first) = match (f.product.parse(), variant.parse()) {
        (Ok(p), Ok(v)) => (p, v),
        (p, v) => {
            let errors = p.err().unwrap_or_default().into_iter().chain(v.err().unwrap_or_default()).collect();
            return refused(&state, &parts, page, "product", typed, Refusal::Invalid(errors)).await;
        }
    };
    match store::listings::create_product(&state.store, &actor, producer_id, &product, &[first]).await? {
        Ok(p) => Ok(Redirect::to(&format!("/portal/products/{}?notice=created", p.id)).into_response()),
        Err(r) => refused(&state, &parts, page, "product", typed, r).await,
    }
}

async fn update_product(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Result<Response, AppError> {
    let (parts, f): (_, Posted<ProductForm>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &f.csrf).await?;
    store::listings::owned_product(&state.store.db, &actor, id).await?.map_err(refusal_status)?;
    let page = format!("/portal/products/{id}");
    let typed = product_values(&f.form);
    let outcome = match f.form.parse() {
        Ok(input) => store::listings::update_product(&state.store, &actor, id, &input).await?,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{page}?notice=saved")).into_response()),
        Err(r) => refused(&state, &parts, &page, "product", typed, r).await,
    }
}

async fn save_variant(state: AppState, id: i64, vid: Option<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, Posted<VariantForm>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &f.csrf).await?;
    store::listings::owned_product(&state.store.db, &actor, id).await?.map_err(refusal_status)?;
    let page = if f.back == "portal" { "/portal".to_string() } else { format!("/portal/products/{id}") };
    let form = vid.map(|v| format!("variant-{v}")).unwrap_or_else(|| "variant-new".into());
    let typed = variant_values(&f.form);
    let outcome = match f.form.parse() {
        Ok(input) => store::listings::save_variant(&state.store, &actor, id, vid, &input).await?,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match outcome {
        Ok(()) => {
            let anchor = vid.map(|v| format!("#size-{v}")).unwrap_or_default();
            Ok(Redirect::to(&format!("{page}?notice=saved{anchor}")).into_response())
        }
        Err(r) => refused(&state, &parts, &page, &form, typed, r).await,
    }
}

async fn add_variant(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    save_variant(state, id, None, req).await
}

async fn update_variant(
    State(state): State<AppState>,
    Path((id, vid)): Path<(i64, i64)>,
    req: Request,
) -> Result<Response, AppError> {
    save_variant(state, id, Some(vid), req).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StockForm {
    csrf: String,
    variant_id: i64,
    location_id: i64,
    reason: String,
    qty: String,
    /// `portal` when the count was typed on the portal's home.
    back: String,
    /// The batch the units belong to, when received by batch.
    batch_id: String,
}

async fn adjust_stock(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, StockForm) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &f.csrf).await?;
    let page = if f.back == "portal" { "/portal".to_string() } else { format!("/portal/products/{id}") };
    let form = format!("stock-{}", f.variant_id);
    let typed = values(&[
        ("qty", &f.qty),
        ("reason", &f.reason),
        ("location_id", &f.location_id.to_string()),
        ("batch_id", &f.batch_id),
    ]);
    let Some(reason) = StockReason::parse(&f.reason) else {
        return Err(AppError::BadForm("reason", "Lý do không hợp lệ.", "Unknown reason."));
    };
    // The variant must be this page's product's: checked by ownership below and by product here.
    match store::listings::owned_variant(&state.store.db, &actor, f.variant_id).await? {
        Ok((v, _)) if v.product_id == id => {}
        Ok(_) => return Err(AppError::NotFound),
        Err(r) => return refused(&state, &parts, &page, &form, typed, r).await,
    }
    let batch = f.batch_id.trim().parse::<i64>().ok();
    match store::listings::adjust_stock(&state.store, &actor, f.variant_id, f.location_id, reason, &f.qty, batch)
        .await?
    {
        Ok(_) if f.back == "portal" => {
            Ok(Redirect::to(&format!("{page}?notice=stock#size-{}", f.variant_id)).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("{page}?notice=stock")).into_response()),
        Err(r) => refused(&state, &parts, &page, &form, typed, r).await,
    }
}

/// The packing form: `tracking`, `carrier`, and `batch_{size id}` naming the batch packed for a size
/// (empty: first-expiring-first-out is assumed).
async fn fulfil(state: AppState, number: String, shipped: bool, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, Vec<(String, String)>) = read_form(req).await?;
    let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let actor = acting(&state, &parts.headers, &get("csrf")).await?;
    let number = domain::order::parse_order_number(&number).ok_or(AppError::NotFound)?;
    let named: Vec<(i64, i64)> =
        f.iter().filter_map(|(k, v)| Some((k.strip_prefix("batch_")?.parse().ok()?, v.trim().parse().ok()?))).collect();
    let (tracking, carrier) = (get("tracking"), get("carrier"));
    match store::fulfilment::mark(&state.store, &actor, &number, shipped, &tracking, &carrier, &named).await? {
        Ok(()) => {
            Ok(Redirect::to(if shipped { "/portal/orders?notice=shipped" } else { "/portal/orders?notice=packed" })
                .into_response())
        }
        Err(r) => {
            let typed: Vec<(String, String)> = f.iter().filter(|(k, _)| k != "csrf").cloned().collect();
            refused(&state, &parts, "/portal/orders", &number, typed, r).await
        }
    }
}

async fn pack(State(state): State<AppState>, Path(number): Path<String>, req: Request) -> Result<Response, AppError> {
    fulfil(state, number, false, req).await
}

async fn ship(State(state): State<AppState>, Path(number): Path<String>, req: Request) -> Result<Response, AppError> {
    fulfil(state, number, true, req).await
}

pub(crate) async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<(Account, String), AppError> {
    let sid = app::session::header_cookie(headers, app::session::SESSION_COOKIE).ok_or(AppError::Forbidden)?;
    let account = store::accounts::session_account(&state.store.db, sid).await?.ok_or(AppError::Forbidden)?;
    Ok((account, sid.to_string()))
}

/// Reads a photo upload (its CSRF token and file), checks the token and what can be checked
/// without decoding, and queues it for the photo worker. A refused photo is answered at once with
/// a readable 413 or 422.
async fn receive_photo(
    state: &AppState,
    headers: &HeaderMap,
    mut form: Multipart,
    target: &str,
    target_id: i64,
) -> Result<Option<Response>, AppError> {
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
    let account = acting(state, headers, &csrf).await?;
    let bytes =
        bytes.filter(|b| !b.is_empty()).ok_or(AppError::BadForm("photo", "Chưa chọn ảnh.", "No photo was chosen."))?;
    if let Err(e) = crate::photos::precheck(&bytes) {
        return Ok(Some(photo_refused(e)));
    }
    state.photos.enqueue(target, target_id, account.id, &bytes).await?;
    Ok(None)
}

pub(crate) fn refusal_status(r: Refusal) -> AppError {
    match r {
        Refusal::NotFound => AppError::NotFound,
        _ => AppError::Forbidden,
    }
}

async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, AppError> {
    // Ownership first, so a photo for someone else's product is never even decoded.
    let (account, _) = signed_in(&state, &headers).await?;
    let product = store::listings::owned_product(&state.store.db, &account, id).await?.map_err(refusal_status)?;
    if let Some(refused) = receive_photo(&state, &headers, form, "product", product.id).await? {
        return Ok(refused);
    }
    Ok(Redirect::to(&format!("/portal/products/{}?notice=photo", product.id)).into_response())
}

async fn combo_photo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, AppError> {
    let (account, _) = signed_in(&state, &headers).await?;
    store::combos::may_edit_id(&state.store.db, &account, id).await?.map_err(refusal_status)?;
    if let Some(refused) = receive_photo(&state, &headers, form, "combo", id).await? {
        return Ok(refused);
    }
    Ok(Redirect::to(&format!("/portal/combos/{id}?notice=photo")).into_response())
}

fn combo_values(c: &ComboForm) -> Vec<(String, String)> {
    let mut v = values(&[
        ("name_vi", &c.name_vi),
        ("name_en", &c.name_en),
        ("story_vi", &c.story_vi),
        ("story_en", &c.story_en),
        ("price", &c.price),
    ]);
    for (i, (sku, qty)) in c.rows().into_iter().enumerate() {
        v.push((format!("sku_{}", i + 1), sku.to_string()));
        v.push((format!("qty_{}", i + 1), qty.to_string()));
    }
    if c.active.is_some() {
        v.push(("active".into(), "on".into()));
    }
    v
}

/// The combo form as posted: its fields, and the picker's buttons (find, add a size, remove a row),
/// which change the form and show it again instead of saving it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ComboPost {
    #[serde(flatten)]
    form: ComboForm,
    pick: String,
    find: Option<String>,
    add: Option<String>,
    remove: Option<String>,
}

async fn save_combo(state: AppState, id: Option<i64>, req: Request) -> Result<Response, AppError> {
    let (parts, f): (_, Posted<ComboPost>) = read_form(req).await?;
    let actor = acting(&state, &parts.headers, &f.csrf).await?;
    let may = match id {
        None => matches!(actor.role, domain::account::Role::Producer | domain::account::Role::Admin),
        Some(id) => {
            store::combos::may_edit_id(&state.store.db, &actor, id).await?.map_err(refusal_status)?;
            true
        }
    };
    if !may {
        return Err(AppError::Forbidden);
    }
    let page = id.map(|id| format!("/portal/combos/{id}")).unwrap_or_else(|| "/portal/combos".into());
    let ComboPost { mut form, pick, find, add, remove } = f.form;
    if find.is_some() || add.is_some() || remove.is_some() {
        if let Some(sku) = &add {
            form.add_part(sku);
        }
        if let Some(n) = remove.as_deref().and_then(|n| n.parse().ok()) {
            form.remove_part(n);
        }
        let mut values = combo_values(&form);
        values.push(("pick".into(), pick));
        let shown = app::form::FormState { values, form: Some("combo".into()), ..Default::default() };
        let req = crate::forms::get_request_at(&parts, &page);
        return Ok(crate::forms::again(&state, req, StatusCode::OK, shown).await);
    }
    let f = Posted { csrf: f.csrf, back: f.back, form };
    let outcome = match f.form.parse() {
        Ok(input) => store::combos::save(&state.store, &actor, id, &input).await?,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/portal/combos/{id}?notice=saved")).into_response()),
        Err(r) => refused(&state, &parts, &page, "combo", combo_values(&f.form), r).await,
    }
}

async fn create_combo(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    save_combo(state, None, req).await
}

async fn update_combo(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Result<Response, AppError> {
    save_combo(state, Some(id), req).await
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
    let bytes = state.media.get(&name).await?.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "image/webp"), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], bytes)
        .into_response())
}

/// The member's producer, for portal actions that are about a whole producer rather than one product.
fn producer_of(account: &Account) -> Result<i64, AppError> {
    account.producer_id.filter(|_| account.role == domain::account::Role::Producer).ok_or(AppError::Forbidden)
}

async fn export_products(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let (account, _) = signed_in(&state, &headers).await?;
    let csv = store::imports::export(&state.store.db, producer_of(&account)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"san-pham-ocop.csv\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        csv,
    )
        .into_response())
}

/// A product CSV can be at most this large (thousands of rows fit in a fraction of it).
pub const MAX_CSV_BYTES: usize = 5 * 1024 * 1024;

async fn import_products(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    let mut form = Multipart::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
        .map_err(|_| AppError::BadForm("file", "Biểu mẫu không đọc được.", "The form could not be read."))?;
    let (mut csrf, mut bytes, mut too_large) = (String::new(), None, false);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            // A body sent without its length stops at the route's limit: the file was too large.
            Some("file") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => too_large = true,
            },
            _ => {}
        }
    }
    let actor = acting(&state, &parts.headers, &csrf).await?;
    let producer_id = producer_of(&actor)?;
    let refuse = |vi: String, en: String| {
        Refusal::Invalid(vec![domain::address::FieldError { field: "file".into(), message_vi: vi, message_en: en }])
    };
    let bytes = bytes.unwrap_or_default();
    let text = match std::str::from_utf8(&bytes) {
        _ if too_large || bytes.len() > MAX_CSV_BYTES => Err(("Tệp lớn quá 5 MB.", "The file is larger than 5 MB.")),
        Ok(t) if !t.is_empty() => Ok(t),
        _ => Err(("Chọn một tệp CSV (UTF-8).", "Choose a CSV file (UTF-8).")),
    };
    let text = match text {
        Ok(t) => t,
        Err((vi, en)) => {
            return refused(&state, &parts, "/portal/import", "import", Vec::new(), refuse(vi.into(), en.into())).await;
        }
    };
    match store::imports::check(&state.store.db, producer_id, text).await? {
        Ok(rows) => {
            let id = store::imports::start(&state.store, &actor, producer_id, rows).await?;
            Ok(Redirect::to(&format!("/portal/imports/{id}")).into_response())
        }
        Err(rows) => {
            // Each refused row's own text goes back with its message, so the page shows them side by side.
            let lines: Vec<&str> = text.lines().collect();
            let mut shown: Vec<(String, String)> = Vec::new();
            for e in rows.iter().filter(|e| e.line > 0) {
                let key = format!("line {}", e.line);
                if !shown.iter().any(|(k, _)| *k == key) {
                    let raw = lines.get(e.line - 1).copied().unwrap_or_default();
                    shown.push((key, raw.chars().take(300).collect()));
                }
            }
            let errors = rows
                .into_iter()
                .map(|e| domain::address::FieldError {
                    field: format!("line {}", e.line),
                    message_vi: format!("Dòng {}: {}", e.line, e.message_vi),
                    message_en: format!("Line {}: {}", e.line, e.message_en),
                })
                .collect();
            refused(&state, &parts, "/portal/import", "import", shown, Refusal::Invalid(errors)).await
        }
    }
}
