//! The public JSON API, `/api/v1/...`: the same filters and the same refusals as the pages.

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use domain::listing::{CatalogPage, CatalogQuery, CertView, ProductDetail};
use serde::Serialize;

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/products", get(list_products))
        .route("/api/v1/products/{slug}", get(product))
        .route("/api/v1/certificates/{number}", get(certificate))
}

#[derive(Serialize)]
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

async fn list_products(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ProductList>, AppError> {
    let query = app::api::parse_catalog_query(raw.as_deref().unwrap_or_default())?;
    let CatalogPage { total, items, partial, did_you_mean } = state.store.catalog_page(&query).await?;
    Ok(Json(ProductList { page: query.page, per_page: query.per_page, query, total, partial, did_you_mean, items }))
}

async fn product(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Json<ProductDetail>, AppError> {
    store::catalog::product_detail(&state.store.db, &slug, state.store.today())
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

async fn certificate(State(state): State<AppState>, Path(number): Path<String>) -> Result<Json<CertView>, AppError> {
    store::catalog::certificate_by_number(&state.store.db, &number, state.store.today())
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}
