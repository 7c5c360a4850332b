//! Rendered storefront pages kept in memory, stamped with the store's content version: a page is
//! served again only while nothing it shows can have changed (no catalogue edit, same day).
//! Catalogue pages are the same for every visitor, so a page varies only by URL and language; the
//! per-visitor pages (cart, checkout, orders) are never cached.
//! `PAGE_CACHE=0` turns it off.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use crate::AppState;

/// A bound on memory (a page is 30-70 kB): past it the cache starts over.
const MAX_CACHED_BYTES: usize = 24 * 1024 * 1024;
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

type Version = (NaiveDate, u64);

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, (Version, HeaderValue, Bytes)>,
    bytes: usize,
}

/// Only the catalogue's pages, which are the same for every visitor of a language. An allow-list:
/// a new per-visitor page (cart, account, portal) is never cached by mistake.
fn cacheable(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET
        && (path == "/" || ["/products", "/producers/", "/combos/", "/verify/"].iter().any(|p| path.starts_with(p)))
}

fn key(req: &Request) -> String {
    let lang = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(app::i18n::Lang::from_cookie_header)
        .unwrap_or_default();
    format!("{}|{}", lang.code(), req.uri())
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(cache) = state.page_cache.clone().filter(|_| cacheable(&req)) else {
        return next.run(req).await;
    };
    let key = key(&req);
    let version = state.store.content_version();
    if let Some((v, content_type, body)) = cache.pages.lock().ok().and_then(|p| p.by_key.get(&key).cloned())
        && v == version
    {
        return ([(header::CONTENT_TYPE, content_type)], body).into_response();
    }
    let res = next.run(req).await;
    // Only whole successful pages: errors and redirects are cheap, and caching them would let
    // random URLs crowd out real pages.
    if res.status() != StatusCode::OK {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    if let (Some(content_type), Ok(mut pages)) = (parts.headers.get(header::CONTENT_TYPE), cache.pages.lock()) {
        if pages.bytes + bytes.len() > MAX_CACHED_BYTES {
            *pages = Pages::default();
        }
        pages.bytes += bytes.len();
        if let Some((_, _, old)) = pages.by_key.insert(key, (version, content_type.clone(), bytes.clone())) {
            pages.bytes -= old.len();
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
