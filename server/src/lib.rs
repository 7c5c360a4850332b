//! The marketplace binary's library half: configuration, router and the JSON API, so tests can
//! start the real router on a port of their own.
#![recursion_limit = "256"]

pub mod account;
pub mod api;
pub mod assets;
pub mod backup;
pub mod client;
pub mod config;
pub mod csrf;
pub mod documents;
pub mod error;
pub mod evaluation;
pub mod forms;
pub mod gate;
pub mod hydration;
pub mod jobs;
pub mod media;
pub mod metrics;
pub mod office;
pub mod openapi;
pub mod ops;
pub mod page_cache;
pub mod photo_queue;
pub mod photos;
pub mod portal;
pub mod reports;
pub mod router;
pub mod shop;
pub mod stripe;
pub mod sync;
pub mod trace;
pub mod wallets;

use std::net::SocketAddr;

pub use error::AppError;
pub use router::{AppState, build};

use config::Config;

/// Opens the store (migrating and seeding on first start), serves until Ctrl-C or SIGTERM, then
/// stops accepting, lets the requests under way and the current job finish, and returns.
pub async fn run(config: Config) -> Result<(), AppError> {
    let state = AppState::open(&config).await?;
    if config.public_url.starts_with("https://") && config.trusted_proxies == 0 {
        // https is ended by a proxy in front: without TRUSTED_PROXIES every client has its address,
        // and limits per source (sign-ups, pairing, password checks) hold for everyone at once.
        tracing::warn!("PUBLIC_URL is https but TRUSTED_PROXIES is 0: set it to the number of proxies in front");
    }
    // A SQLite file has one server process: an import still "running" lost its process to a crash
    // or a kill. With PostgreSQL other replicas may be running theirs; the jobs reap lapsed leases.
    let lost = store::imports::reap(&state.store, state.store.is_sqlite()).await?;
    if lost > 0 {
        tracing::warn!(imports = lost, "product imports interrupted by the last stop are marked so");
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr: SocketAddr = listener.local_addr()?;
    if let Some(metrics_addr) = config.metrics_addr {
        let metrics_listener = tokio::net::TcpListener::bind(metrics_addr).await?;
        tracing::info!("metrics are served on http://{}/metrics", metrics_listener.local_addr()?);
        let router = metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics_listener, router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    tracing::info!(%addr, engine = state.store.search.name(), "OCOP Market is serving on http://{addr}");
    router::spawn_index_sync(state.store.clone(), config.search_sync);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let wallet_queries = wallets::spawn_reconcile(state.clone(), config.jobs_every, stopped.clone());
    let jobs = jobs::spawn(state.store.clone(), state.mailer.clone(), config.jobs_every, stopped);
    let draining = state.draining.clone();
    axum::serve(listener, build(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            ops::stop_asked().await;
            tracing::info!("stop asked: finishing the requests and the job under way");
            draining.start();
            let _ = stop.send(true);
        })
        .await?;
    // The job under way finishes; a stuck one is cut off (its lease lapses for another replica).
    if tokio::time::timeout(std::time::Duration::from_secs(30), jobs).await.is_err() {
        tracing::warn!("the job under way did not finish within 30 s; its lease will lapse");
    }
    if let Some(q) = wallet_queries {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(30), q).await;
    }
    tracing::info!("stopped");
    Ok(())
}
