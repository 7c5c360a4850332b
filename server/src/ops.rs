//! What an operator and a load balancer need: readiness against the database, and a shutdown that
//! lets requests and the job under way finish.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;

/// Set when a stop was asked for: readiness turns false so a balancer sends nothing new.
#[derive(Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// `GET /readyz`: 200 when this replica can serve (the database answers within two seconds), 503
/// with the reason otherwise. `/healthz` stays the cheap liveness check.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let not_ready = |vi: &str, en: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"ready": false, "message": format!("{vi} / {en}"), "message_vi": vi, "message_en": en})),
        )
            .into_response()
    };
    if state.draining.is_on() {
        return not_ready("Máy chủ đang dừng.", "The server is shutting down.");
    }
    match tokio::time::timeout(Duration::from_secs(2), state.store.db.ping()).await {
        Ok(Ok(())) => Json(json!({"ready": true})).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            not_ready("Cơ sở dữ liệu không trả lời.", "The database does not answer.")
        }
        Err(_) => not_ready("Cơ sở dữ liệu trả lời quá chậm.", "The database is too slow to answer."),
    }
}

/// Resolves on Ctrl-C or SIGTERM (what systemd and orchestrators send).
pub async fn stop_asked() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
