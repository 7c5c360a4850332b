//! Prometheus metrics, served on their own address (`METRICS_ADDR`) so the public port never shows
//! them: requests by route and status with latency, the outbox backlog, each job's lag and runs,
//! sync pushes per showroom and the backlog each till reports.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process's one recorder (tests start many routers in one process).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
            .expect("the buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder already installed (never in the binary) leaves this one unused, not broken.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// The route a request matched, carried out to the timing layer on the response.
#[derive(Clone)]
struct Route(String);

/// Inside the router: notes which route answered (its pattern, so `/products/{slug}` is one series).
pub async fn tag_route(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string());
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(Route(route));
    }
    res
}

/// Outermost: counts and times every response. Requests that never reached a route (refused by a
/// gate, unknown paths) are one series, `-`.
pub async fn layer(req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let clock = Instant::now();
    let res = next.run(req).await;
    let route = res.extensions().get::<Route>().map(|r| r.0.clone()).unwrap_or_else(|| "-".into());
    let status = res.status().as_u16().to_string();
    let labels = [("route", route), ("method", method), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(clock.elapsed().as_secs_f64());
    res
}

pub fn job_ran(job: &'static str, took: Duration) {
    metrics::counter!("job_runs_total", "job" => job).increment(1);
    metrics::histogram!("job_duration_seconds", "job" => job).record(took.as_secs_f64());
}

pub fn sync_push(showroom: &str, sales: usize) {
    metrics::counter!("sync_pushes_total", "showroom" => showroom.to_string()).increment(1);
    metrics::counter!("sync_sales_total", "showroom" => showroom.to_string()).increment(sales as u64);
}

/// What a till says it still has to send, as of its last push.
pub fn till_backlog(showroom: &str, device: &str, queued: u64) {
    metrics::gauge!("till_backlog_sales", "showroom" => showroom.to_string(), "device" => device.to_string())
        .set(queued as f64);
}

/// `GET /metrics` on the metrics address: the recorder's series plus what is read from the
/// database at scrape time (the same figures on every replica).
pub async fn scrape(State(state): State<AppState>) -> Response {
    let now = chrono::Utc::now();
    match store::outbox::backlog(&state.store.db).await {
        Ok(n) => metrics::gauge!("outbox_backlog").set(n as f64),
        Err(e) => tracing::warn!(error = %e, "metrics: outbox backlog unreadable"),
    }
    match store::leases::all(&state.store.db).await {
        Ok(jobs) => {
            for j in jobs {
                metrics::gauge!("job_lag_seconds", "job" => j.name.clone())
                    .set(j.lag(now).num_milliseconds() as f64 / 1e3);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: job records unreadable"),
    }
    allocator_figures();
    let handle = handle();
    handle.run_upkeep();
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

/// jemalloc's own figures: live (allocated), in pages it uses (active), resident, and kept mapped
/// for reuse (retained). Zero where the process does not run on jemalloc (tests), and left out then.
fn allocator_figures() {
    #[cfg(target_os = "linux")]
    {
        use tikv_jemalloc_ctl::{epoch, stats};
        if epoch::advance().is_err() {
            return;
        }
        let figures = [
            ("allocated", stats::allocated::read()),
            ("active", stats::active::read()),
            ("resident", stats::resident::read()),
            ("retained", stats::retained::read()),
        ];
        for (what, value) in figures {
            if let Ok(v) = value
                && v > 0
            {
                metrics::gauge!("allocator_bytes", "figure" => what).set(v as f64);
            }
        }
    }
}

/// The metrics address's router: `/metrics`, and `/readyz` for probes that use this port.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .route("/readyz", axum::routing::get(crate::ops::readyz))
        .with_state(state)
}
