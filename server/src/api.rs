//! The public JSON API, `/api/v1/...`: the same filters and the same refusals as the pages.

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use domain::listing::{CatalogPage, CatalogQuery, CertView, ProductDetail};
use serde::Serialize;

use crate::openapi::{ApiError, EmptyMeansAbsent, codes};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/products", get(list_products))
        .route("/api/v1/products/{slug}", get(product))
        .route("/api/v1/certificates", get(registry))
        .route("/api/v1/certificates/{number}", get(certificate))
        .route("/api/v1/openapi.json", get(openapi))
}

#[derive(Serialize, utoipa::ToSchema)]
struct ProductList {
    query: CatalogQuery,
    total: usize,
    page: u32,
    per_page: u32,
    /// No product holds every word of `q`: the items hold some of them.
    partial: bool,
    /// `q` as the catalogue spells it, when a word looked misspelt ("phan thiết" for "phan tiet").
    did_you_mean: Option<String>,
    items: Vec<domain::listing::ProductCard>,
}

/// The catalogue's filters as query parameters, for the document: `CatalogQuery::parse` reads them.
/// Empty values count as absent; unknown parameters are ignored.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct ProductFilters {
    /// Words to find, with or without diacritics.
    #[param(max_length = 200)]
    q: Option<String>,
    #[param(value_type = Option<codes::Group>, inline)]
    group: Option<String>,
    #[param(max_length = 100)]
    category: Option<String>,
    #[param(max_length = 100)]
    district: Option<String>,
    /// At least this many stars.
    #[param(minimum = 1, maximum = 5)]
    stars: Option<u8>,
    /// Only products whose certificate is valid today.
    #[param(value_type = Option<codes::Flag>, inline)]
    valid: Option<String>,
    #[param(value_type = Option<codes::Kind>, inline)]
    kind: Option<String>,
    /// In đồng.
    #[param(minimum = 0, maximum = 1_000_000_000_000_i64)]
    min_price: Option<i64>,
    #[param(minimum = 0, maximum = 1_000_000_000_000_i64)]
    max_price: Option<i64>,
    #[param(value_type = Option<codes::Sort>, inline)]
    sort: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 60)]
    per_page: Option<u32>,
}

/// Listed products matching the filters, a page at a time.
#[utoipa::path(get, path = "/api/v1/products", params(ProductFilters),
    responses(
        (status = 200, description = "A page of products", body = ProductList),
        (status = 400, description = "A parameter is not valid (`param` names it)", body = ApiError),
    ))]
async fn list_products(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ProductList>, AppError> {
    let query = app::api::parse_catalog_query(raw.as_deref().unwrap_or_default())?;
    let CatalogPage { total, items, partial, did_you_mean } = state.store.catalog_page(&query).await?;
    Ok(Json(ProductList { page: query.page, per_page: query.per_page, query, total, partial, did_you_mean, items }))
}

/// One product with its sizes, certificates, producer and photos.
#[utoipa::path(get, path = "/api/v1/products/{slug}", params(("slug" = String, Path)),
    responses(
        (status = 200, description = "The product", body = ProductDetail),
        (status = 404, description = "No listed product has this slug", body = ApiError),
    ))]
async fn product(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Json<ProductDetail>, AppError> {
    store::catalog::product_detail(&state.store.db, &slug, state.store.today())
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// A certificate by its number, with its status judged for today (what `/verify` shows).
#[utoipa::path(get, path = "/api/v1/certificates/{number}", params(("number" = String, Path)),
    responses(
        (status = 200, description = "The certificate", body = CertView),
        (status = 404, description = "No certificate has this number", body = ApiError),
    ))]
async fn certificate(State(state): State<AppState>, Path(number): Path<String>) -> Result<Json<CertView>, AppError> {
    store::catalog::certificate_by_number(&state.store.db, &number, state.store.today())
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[derive(Serialize, utoipa::ToSchema)]
struct Registry {
    query: domain::registry::RegistryQuery,
    total: usize,
    items: Vec<domain::registry::RegistryEntry>,
}

/// The registry's filters as query parameters, for the document: `RegistryQuery::parse` reads them.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct RegistryFilters {
    /// Certificates decided in this year.
    #[param(minimum = 2010, maximum = 2100)]
    year: Option<i32>,
    /// Exactly this many stars.
    #[param(minimum = 1, maximum = 5)]
    stars: Option<u8>,
    /// The producer's commune, or its district before 2025 where no commune is recorded; any accents.
    #[param(max_length = 100)]
    area: Option<String>,
    /// Only certificates valid today.
    #[param(value_type = Option<codes::Flag>, inline)]
    valid: Option<String>,
    /// `csv` for a spreadsheet file (UTF-8 with a byte-order mark), `json` by default.
    #[param(value_type = Option<codes::Format>, inline)]
    format: Option<String>,
}

/// The OCOP registry: every certificate on record, with its product, producer and place, and its
/// status judged for today; for the national OCOP database.
#[utoipa::path(get, path = "/api/v1/certificates", params(RegistryFilters),
    responses(
        (status = 200, description = "The certificates, newest decision first: JSON, or a CSV file with `format=csv`",
            content((Registry = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A parameter is not valid (`param` names it)", body = ApiError),
    ))]
async fn registry(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).map_err(|_| domain::listing::QueryError {
            param: "query".into(),
            message_vi: "địa chỉ không đọc được".into(),
            message_en: "the address could not be read".into(),
        })?;
    let query = domain::registry::RegistryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let items = store::registry::entries(&state.store.db, &query, state.store.today()).await?;
    Ok(match query.format {
        domain::registry::RegistryFormat::Csv => {
            let file = store::export::csv_file(&domain::registry::CSV_HEADER, items.iter().map(|e| e.csv_row()))?;
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"ocop-registry.csv\""),
                ],
                file,
            )
                .into_response()
        }
        domain::registry::RegistryFormat::Json => Json(Registry { total: items.len(), query, items }).into_response(),
    })
}

/// The storefront's JSON API: OpenAPI 3.1, generated from the types above.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "OCOP Market storefront API", version = "1",
        description = "Certified OCOP products, their producers and certificates, read-only. Errors are JSON with a message in Vietnamese and English."),
    paths(list_products, product, certificate, registry),
    modifiers(&EmptyMeansAbsent),
)]
pub struct StorefrontApi;

async fn openapi() -> axum::response::Response {
    use axum::response::IntoResponse;
    use utoipa::OpenApi;
    ([(axum::http::header::CONTENT_TYPE, "application/json")], StorefrontApi::openapi().to_json().unwrap_or_default())
        .into_response()
}
