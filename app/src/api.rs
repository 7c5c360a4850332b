//! Server functions behind the pages. Arguments arrive as strings and are parsed here, so a bad
//! value is a readable 400, never a decode failure.

use domain::listing::{
    CatalogPage, CatalogQuery, CertView, ComboView, Facets, ProducerView, ProductCard, ProductDetail, QueryError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HomeData {
    pub featured: Vec<ProductCard>,
    pub combos: Vec<ComboView>,
    pub facets: Facets,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogData {
    pub query: CatalogQuery,
    pub page: CatalogPage,
    pub facets: Facets,
}

#[cfg(feature = "ssr")]
fn store() -> Result<store::Store, ServerFnError> {
    use_context::<store::Store>().ok_or_else(|| ServerFnError::new("store missing from context"))
}

#[cfg(feature = "ssr")]
fn internal(e: store::StoreError) -> ServerFnError {
    tracing::error!(error = %e, "storefront query failed");
    ServerFnError::new("internal error")
}

/// Parses a raw URL query string the way the JSON API does.
pub fn parse_catalog_query(raw: &str) -> Result<CatalogQuery, QueryError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).map_err(|_| QueryError {
        param: "query".into(),
        message_vi: "địa chỉ tìm kiếm không đọc được".into(),
        message_en: "the search address could not be read".into(),
    })?;
    CatalogQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[server(prefix = "/sfn", endpoint = "home")]
pub async fn get_home() -> Result<HomeData, ServerFnError> {
    let store = store()?;
    let featured_q = CatalogQuery { valid_only: true, per_page: 8, ..Default::default() };
    let featured = store.catalog_page(&featured_q).await.map_err(internal)?;
    let all = store.catalog_page(&CatalogQuery { per_page: 1, ..Default::default() }).await.map_err(internal)?;
    Ok(HomeData {
        featured: featured.items,
        combos: store::catalog::combos(&store.db, None).await.map_err(internal)?,
        facets: store.facets().await.map_err(internal)?,
        total: all.total,
    })
}

#[server(prefix = "/sfn", endpoint = "catalog")]
pub async fn get_catalog(raw_query: String) -> Result<Result<CatalogData, QueryError>, ServerFnError> {
    let store = store()?;
    let query = match parse_catalog_query(&raw_query) {
        Ok(q) => q,
        Err(e) => return Ok(Err(e)),
    };
    let page = store.catalog_page(&query).await.map_err(internal)?;
    let facets = store.facets().await.map_err(internal)?;
    Ok(Ok(CatalogData { query, page, facets }))
}

#[server(prefix = "/sfn", endpoint = "product")]
pub async fn get_product(slug: String) -> Result<Option<ProductDetail>, ServerFnError> {
    let store = store()?;
    store::catalog::product_detail(&store.db, &slug, store.today()).await.map_err(internal)
}

#[server(prefix = "/sfn", endpoint = "producer")]
pub async fn get_producer(slug: String) -> Result<Option<(ProducerView, Vec<ProductCard>)>, ServerFnError> {
    let store = store()?;
    store::catalog::producer_page(&store.db, &slug, store.today()).await.map_err(internal)
}

#[server(prefix = "/sfn", endpoint = "certificate")]
pub async fn get_certificate(number: String) -> Result<Option<CertView>, ServerFnError> {
    let store = store()?;
    if number.len() > 64 {
        return Ok(None);
    }
    store::catalog::certificate_by_number(&store.db, &number, store.today()).await.map_err(internal)
}

#[server(prefix = "/sfn", endpoint = "combo")]
pub async fn get_combo(slug: String) -> Result<Option<ComboView>, ServerFnError> {
    let store = store()?;
    Ok(store::catalog::combos(&store.db, Some(&slug)).await.map_err(internal)?.into_iter().next())
}

/// Absolute base URL for links printed on packages (the certificate QR code).
#[server(prefix = "/sfn", endpoint = "public_url")]
pub async fn get_public_url() -> Result<String, ServerFnError> {
    Ok(use_context::<PublicUrl>().map(|u| u.0).unwrap_or_else(|| "http://127.0.0.1:3000".to_string()))
}

/// Provided by the server from `PUBLIC_URL`.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);
