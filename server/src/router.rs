//! One router for pages, API, assets and the language switch.

use std::sync::Arc;
use std::time::Duration;

use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, Query, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use store::Store;
use tower_http::compression::CompressionLayer;

use crate::AppError;
use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub public_url: String,
    pub office_name: app::api::OfficeName,
    pub bench_baseline: Option<Arc<String>>,
    pub page_cache: Option<Arc<crate::page_cache::PageCache>>,
    /// Signs CSRF tokens.
    pub secret: Arc<Vec<u8>>,
    pub secure_cookies: bool,
    pub stripe: Option<crate::stripe::Stripe>,
    pub wallets: crate::wallets::Wallets,
    pub office_token: Option<String>,
    pub mailer: crate::jobs::Mailer,
    /// Photo derivatives by content hash, and originals waiting for the worker.
    pub media: crate::media::Media,
    pub photos: crate::photo_queue::PhotoQueue,
    /// Proxies in front whose `X-Forwarded-For` entries are believed (see `client`).
    pub trusted_proxies: usize,
    /// The headers every response gets.
    pub headers: Arc<security::headers::Policy>,
    /// Password checks under way per source (see `account`).
    pub hashing: security::in_flight::InFlight,
    /// Uploads being read at once (see `gate`).
    pub uploads: crate::gate::Uploads,
    /// On once a stop is asked for: `/readyz` then says not ready.
    pub draining: crate::ops::Draining,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl AppState {
    pub async fn open(config: &Config) -> Result<Self, AppError> {
        // Metrics recorded before the recorder exists are lost: it comes first.
        crate::metrics::handle();
        let store = Store::open(&config.store).await?;
        let bench_baseline = match &config.bench_baseline {
            Some(path) => Some(Arc::new(tokio::fs::read_to_string(path).await?)),
            None => None,
        };
        let config_err = |e: String| AppError::Io(std::io::Error::other(e));
        let stripe = config.stripe.as_ref().map(crate::stripe::Stripe::new).transpose().map_err(config_err)?;
        let mailer =
            crate::jobs::Mailer::new(config.smtp_url.as_deref(), &config.mail_from, config.data_dir.join("outbox"))
                .map_err(config_err)?;
        let media = match &config.media_s3 {
            Some(s3) => crate::media::Media::s3(s3)?,
            None => crate::media::Media::local(&config.data_dir.join("media"))?,
        };
        tracing::info!("photos are kept in the {}", media.describe);
        let https = config.public_url.starts_with("https://");
        // Card payments leave by a form post answered with a redirect to the card page, which the
        // policy's form-action must allow.
        let mut form_targets = match &config.stripe {
            Some(s) => {
                vec![s.api_base.as_deref().and_then(origin).unwrap_or_else(|| "https://checkout.stripe.com".into())]
            }
            None => Vec::new(),
        };
        form_targets.extend(crate::wallets::Wallets::form_targets(config));
        let wallets = crate::wallets::Wallets::new(config).map_err(config_err)?;
        Ok(AppState {
            secret: Arc::new(secret_key(config).await?),
            secure_cookies: https,
            trusted_proxies: config.trusted_proxies,
            headers: Arc::new(security::headers::Policy { https, form_targets, all_private: false, scripts: false }),
            hashing: security::in_flight::InFlight::new(crate::account::HASHING_PER_SOURCE),
            uploads: Default::default(),
            draining: Default::default(),
            stripe,
            wallets,
            office_token: config.office_token.clone(),
            mailer,
            media: media.clone(),
            photos: crate::photo_queue::PhotoQueue::start(store.clone(), media),
            leptos_options: LeptosOptions::builder()
                .output_name("app")
                .site_root("public")
                .site_addr(config.addr)
                .build(),
            store,
            public_url: config.public_url.clone(),
            office_name: config.office_name.clone(),
            bench_baseline,
            page_cache: config.page_cache.then(Default::default),
        })
    }
}

/// `scheme://host[:port]` of a URL.
pub(crate) fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}

/// `SECRET_KEY`, or a random key made once and kept in the data directory (one replica); several
/// replicas must share `SECRET_KEY`.
async fn secret_key(config: &Config) -> Result<Vec<u8>, AppError> {
    if let Some(k) = &config.secret_key {
        return Ok(k.as_bytes().to_vec());
    }
    let path = config.data_dir.join("secret.key");
    match tokio::fs::read(&path).await {
        Ok(k) if k.len() >= 32 => Ok(k),
        _ => {
            security::files::private_dir(&config.data_dir)?;
            let key = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()).into_bytes();
            security::files::write_private(&path, &key)?;
            Ok(key)
        }
    }
}

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let pages =
        Router::new().leptos_routes_with_context(&state, routes, page_context(&state), move || shell(options.clone()));
    let mut router = pages
        .merge(crate::api::router())
        .merge(crate::shop::router())
        .merge(crate::account::router())
        .merge(crate::portal::router())
        .merge(crate::office::router())
        .merge(crate::evaluation::router())
        .merge(crate::trace::router())
        .merge(crate::reports::router())
        .merge(crate::sync::router())
        .merge(crate::wallets::router())
        .route("/webhooks/stripe", axum::routing::post(crate::stripe::webhook))
        .route(app::CSS_PATH, get(crate::assets::style))
        .route("/assets/favicon.svg", get(crate::assets::favicon))
        .route("/lang/{code}", get(switch_lang))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(crate::ops::readyz));
    if state.bench_baseline.is_some() {
        router = router.route("/__bench/baseline", get(bench_baseline));
    }
    let uploads = crate::portal::upload_router(&state);
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn(crate::hydration::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::page_cache::layer))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(crate::forms::MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::gate::layer))
        // Uploads have larger bodies of their own; everything else above is the same for them.
        .merge(uploads)
        .route_layer(axum::middleware::from_fn(crate::metrics::tag_route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::csrf::layer))
        .layer(CompressionLayer::new())
        // Every response of every route, errors and the fallback included, gets them.
        .layer(axum::middleware::from_fn_with_state(state.headers.clone(), security::headers::layer))
        .layer(axum::middleware::from_fn(crate::metrics::layer))
        // Each request's log lines carry its id (the balancer's `X-Request-Id` when it sends one),
        // and the response returns it, so a complaint can be matched with the logs.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
                })
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::DEBUG)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
        .with_state(state)
}

/// What every page's server functions find in their context.
fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let (store, url, secret) = (state.store.clone(), state.public_url.clone(), state.secret.clone());
    let office = state.office_name.clone();
    move || {
        provide_context(store.clone());
        provide_context(app::api::PublicUrl(url.clone()));
        provide_context(office.clone());
        provide_context(app::session::Secret(secret.clone()));
    }
}

/// Renders the page at `req`'s path with `extra` in its context: a refused form shown again. Whole
/// (async), like the routes themselves: out-of-order streaming would leave the content in a
/// `<template>` that only JavaScript moves into place.
pub async fn render_page<T: Clone + Send + Sync + 'static>(state: &AppState, req: Request<Body>, extra: T) -> Response {
    let options = state.leptos_options.clone();
    let base = page_context(state);
    let context = move || {
        base();
        provide_context(extra.clone());
    };
    let handler = leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
    handler(req).await.into_response()
}

/// Unknown paths outside the Leptos routes get the same bilingual 404 page.
pub(crate) async fn not_found(State(state): State<AppState>, req: Request<Body>) -> Response {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(page_context(&state), move || shell(options.clone()));
    let mut res = handler(req).await.into_response();
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Sets the language cookie and goes back where the shopper was. Only plain local paths are
/// followed (see `security::redirect`), so the switch cannot send people to another site.
async fn switch_lang(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let lang = match code.as_str() {
        "vi" | "en" => code,
        _ => return (StatusCode::BAD_REQUEST, "Ngôn ngữ không hỗ trợ / Unsupported language").into_response(),
    };
    let next = q.next.as_deref().and_then(security::redirect::local_path).unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&next).into_response();
    let cookie = format!(
        "lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
        if state.secure_cookies { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

async fn bench_baseline(State(state): State<AppState>) -> Response {
    match &state.bench_baseline {
        Some(html) => Html(html.as_str().to_string()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Keeps the search index in step with catalogue edits, whichever replica or process made them.
pub fn spawn_index_sync(store: Store, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = store.sync_index().await {
                tracing::warn!(error = %e, "search index sync failed; will retry");
            }
        }
    });
}
