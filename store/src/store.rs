//! The handle the pages and the API share: a database connection, a search engine, and the clock.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::Mutex;

use crate::StoreError;
use crate::search::{MeiliEngine, SearchEngine, TantivyEngine};

#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub database_url: String,
    /// Where the tantivy index lives; ignored when `meili_url` is set.
    pub search_dir: PathBuf,
    pub meili_url: Option<String>,
    pub meili_key: Option<String>,
    pub meili_index: String,
    /// Pretend today is this day (Vietnam time): for demos and for tests whose certificates must not age.
    pub today_override: Option<NaiveDate>,
    /// Seed the real Bình Thuận catalogue into an empty database.
    pub seed: bool,
}

#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    pub search: Arc<dyn SearchEngine>,
    today_override: Option<NaiveDate>,
    /// The newest `updated_at` already sent to the search engine.
    indexed_until: Arc<Mutex<Option<DateTime<Utc>>>>,
}

/// Vietnam keeps UTC+7 all year.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

impl Store {
    pub async fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let db = crate::db::connect(&config.database_url).await?;
        let search: Arc<dyn SearchEngine> = match &config.meili_url {
            Some(url) => Arc::new(MeiliEngine::connect(url, config.meili_key.as_deref(), &config.meili_index).await?),
            None => Arc::new(TantivyEngine::open(&config.search_dir)?),
        };
        let store =
            Store { db, search, today_override: config.today_override, indexed_until: Arc::new(Mutex::new(None)) };
        if config.seed {
            crate::seed::seed_if_empty(&store.db).await?;
        }
        store.rebuild_index_if_stale().await?;
        Ok(store)
    }

    /// Today's date in Vietnam: certificates lapse on Vietnamese calendar days.
    pub fn today(&self) -> NaiveDate {
        self.today_override.unwrap_or_else(|| Utc::now().with_timezone(&vietnam()).date_naive())
    }

    pub fn today_days(&self) -> i64 {
        crate::catalog::days_since_epoch(self.today())
    }

    /// A full rebuild when the index and the database disagree on the number of listed products
    /// (a new index, a restored backup); otherwise only what changed since the last sync.
    pub async fn rebuild_index_if_stale(&self) -> Result<(), StoreError> {
        let listed = crate::catalog::count_listed(&self.db).await?;
        let indexed = self.search.count().await?;
        let mark = self.search.load_mark().await?.and_then(DateTime::from_timestamp_micros);
        if listed as usize != indexed || mark.is_none() {
            tracing::info!(listed, indexed, engine = self.search.name(), "rebuilding the search index");
            self.search.clear().await?;
            *self.indexed_until.lock().await = None;
        } else {
            // The index is whole up to its mark: catch up on what changed since.
            *self.indexed_until.lock().await = mark;
        }
        self.sync_index().await.map(|_| ())
    }

    /// Sends products changed since the last sync to the search engine; returns how many.
    /// Every change to a product, its variants or certificates bumps the product's `updated_at`.
    pub async fn sync_index(&self) -> Result<usize, StoreError> {
        let mut mark = self.indexed_until.lock().await;
        let changed = crate::catalog::products_updated_since(&self.db, *mark).await?;
        if changed.is_empty() {
            return Ok(0);
        }
        let newest = changed.iter().map(|p| p.updated_at).max();
        let (listed, hidden): (Vec<_>, Vec<_>) = changed.into_iter().partition(|p| p.status == "active");
        let hidden_ids: Vec<i64> = hidden.iter().map(|p| p.id).collect();
        let n = listed.len() + hidden_ids.len();
        for chunk in listed.chunks(2000) {
            let docs = crate::catalog::search_docs(&self.db, chunk, self.today()).await?;
            self.search.upsert(docs).await?;
        }
        if !hidden_ids.is_empty() {
            self.search.remove(hidden_ids).await?;
        }
        if let Some(newest) = newest {
            self.search.save_mark(newest.timestamp_micros()).await?;
        }
        *mark = newest;
        Ok(n)
    }
}
