//! Every setting comes from the environment, with a default that needs nothing else installed.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `BIND_ADDR` | `127.0.0.1:3000` | where to listen |
//! | `DATA_DIR` | `./data` | SQLite file and search index live here |
//! | `DATABASE_URL` | `sqlite://$DATA_DIR/ocop.db?mode=rwc` | or `postgres://…` |
//! | `MEILI_URL`, `MEILI_KEY`, `MEILI_INDEX` | unset, unset, `products` | use Meilisearch instead of tantivy |
//! | `PUBLIC_URL` | `http://$BIND_ADDR` | absolute base for links on packages (certificate QR codes) |
//! | `OCOP_TODAY` | unset | pretend today is this date (YYYY-MM-DD), for demos and tests |
//! | `SEED` | `1` | seed the real catalogue into an empty database |
//! | `SEARCH_SYNC_SECS` | `5` | how often catalogue changes are sent to the search engine |
//! | `PAGE_CACHE` | `1` | keep rendered pages in memory until the catalogue or the day changes; `0` renders every time |
//! | `BENCH_BASELINE_HTML` | unset | benchmark only: serve this file's bytes from memory at `/__bench/baseline` |

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use store::StoreConfig;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub public_url: String,
    pub store: StoreConfig,
    pub search_sync: Duration,
    pub bench_baseline: Option<PathBuf>,
    pub page_cache: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    var: &'static str,
    message: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let addr: SocketAddr = var("BIND_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| ConfigError { var: "BIND_ADDR", message: format!("{e}") })?;
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let today_override = var("OCOP_TODAY")
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
            .transpose()
            .map_err(|e| ConfigError { var: "OCOP_TODAY", message: format!("{e} (expected YYYY-MM-DD)") })?;
        let search_sync = var("SEARCH_SYNC_SECS")
            .map(|s| s.parse::<u64>())
            .transpose()
            .map_err(|e| ConfigError { var: "SEARCH_SYNC_SECS", message: e.to_string() })?
            .unwrap_or(5);
        Ok(Config {
            addr,
            public_url: var("PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")).trim_end_matches('/').to_string(),
            store: StoreConfig {
                database_url: var("DATABASE_URL")
                    .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("ocop.db").display())),
                search_dir: data_dir.join("search"),
                meili_url: var("MEILI_URL"),
                meili_key: var("MEILI_KEY"),
                meili_index: var("MEILI_INDEX").unwrap_or_else(|| "products".into()),
                today_override,
                seed: var("SEED").is_none_or(|v| v != "0"),
            },
            search_sync: Duration::from_secs(search_sync.max(1)),
            bench_baseline: var("BENCH_BASELINE_HTML").map(PathBuf::from),
            page_cache: var("PAGE_CACHE").is_none_or(|v| v != "0"),
        })
    }
}
