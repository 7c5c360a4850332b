//! The handle the pages and the API share: a database connection, a search engine, and the clock.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use chrono::Datelike;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::listing::{Facets, ProductCard};
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};
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
    pub commerce: Commerce,
}

/// How the shop sells: delivery fees, payment methods on offer, how long unpaid orders hold stock.
#[derive(Debug, Clone)]
pub struct Commerce {
    pub fees: domain::order::FeeTable,
    /// The operator's account that VietQR transfers go to; VietQR is offered only when it is set.
    pub vietqr: Option<VietQrAccount>,
    /// Card payments are offered only when Stripe is configured.
    pub stripe: bool,
    /// VNPay and MoMo, each offered only when configured.
    pub vnpay: bool,
    pub momo: bool,
    /// An unpaid transfer or card order lets its stock go after this long.
    pub unpaid_ttl: chrono::Duration,
    /// The marketplace's commission on producers' net sales, in basis points (1000 = 10%).
    pub commission_bps: u32,
}

/// 10%, what the settlement statement uses unless `COMMISSION_PERCENT` says otherwise.
pub const DEFAULT_COMMISSION_BPS: u32 = 1000;

impl Default for Commerce {
    fn default() -> Self {
        Commerce {
            fees: Default::default(),
            vietqr: None,
            stripe: false,
            vnpay: false,
            momo: false,
            unpaid_ttl: chrono::Duration::minutes(60),
            commission_bps: DEFAULT_COMMISSION_BPS,
        }
    }
}

impl Commerce {
    pub fn methods(&self) -> Vec<domain::order::PaymentMethod> {
        use domain::order::PaymentMethod::*;
        let mut m = vec![Cod];
        if self.vietqr.is_some() {
            m.push(VietQr);
        }
        if self.vnpay {
            m.push(VnPay);
        }
        if self.momo {
            m.push(MoMo);
        }
        if self.stripe {
            m.push(Stripe);
        }
        m
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct VietQrAccount {
    pub bank_bin: String,
    pub bank_name: String,
    pub account: String,
    pub account_name: String,
}

#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    pub search: Arc<dyn SearchEngine>,
    /// A pretend "today" (demos, tests), as days from the common era; 0 when the clock decides.
    today_override: Arc<std::sync::atomic::AtomicI32>,
    /// How far the search engine (and this process's caches) have caught up with the catalogue.
    indexed_until: Arc<Mutex<IndexMark>>,
    cache: Arc<RwLock<ReadCache>>,
    facets_lock: Arc<Mutex<()>>,
    pub(crate) vocabulary_lock: Arc<Mutex<()>>,
    pub commerce: Arc<Commerce>,
    /// SQLite has one writer: transactions that read and then write take turns here instead of
    /// failing with SQLITE_BUSY when two upgrade at once. PostgreSQL needs no such line.
    writer: Option<Arc<Mutex<()>>>,
    /// Rows written so far by the product imports this process is running, by import id.
    pub(crate) imports_running: Arc<std::sync::Mutex<HashMap<i64, usize>>>,
}

/// Another replica's edit can commit with an `updated_at` earlier than one this process has already
/// indexed (its transaction began first, or its clock runs behind): each sync looks this far back
/// and passes over what it already sent at the same `updated_at`.
const SYNC_LOOKBACK: chrono::Duration = chrono::Duration::seconds(120);

#[derive(Default)]
struct IndexMark {
    /// The newest `updated_at` already sent to the search engine.
    until: Option<DateTime<Utc>>,
    /// Products sent within the look-back window, with the `updated_at` sent, in microseconds: the
    /// precision both databases and the saved mark keep.
    sent: HashMap<i64, i64>,
    /// Every edit stamped before this was read by a sync: it had committed when that sync began.
    /// Without it, a catalogue left alone after an import was read whole again every few seconds
    /// (all its rows stamped within the look-back window of the newest), for good.
    settled: Option<DateTime<Utc>>,
}

impl IndexMark {
    /// Edits stamped before this are already in the index.
    fn floor(&self) -> Option<DateTime<Utc>> {
        self.until.map(|t| t - SYNC_LOOKBACK).into_iter().chain(self.settled).max()
    }

    fn saved(&self) -> Option<crate::search::IndexedMark> {
        Some(crate::search::IndexedMark {
            until: self.until?.timestamp_micros(),
            settled: self.settled.map(|t| t.timestamp_micros()),
            sent: self.sent.iter().map(|(id, at)| (*id, *at)).collect(),
        })
    }

    fn from_saved(saved: crate::search::IndexedMark) -> Self {
        let at = DateTime::from_timestamp_micros;
        IndexMark {
            until: at(saved.until),
            settled: saved.settled.and_then(at),
            sent: saved.sent.into_iter().collect(),
        }
    }
}

/// Product cards and filter values, kept between requests: listing pages read them on every hit and
/// they change only when the catalogue does (`sync_index` evicts) or the day does (statuses age).
#[derive(Default)]
pub(crate) struct ReadCache {
    day: Option<NaiveDate>,
    /// Bumped by every eviction: a card loaded before an eviction must not be stored after it.
    pub(crate) generation: u64,
    facets: Option<Facets>,
    /// The catalogue's words, for reading queries, with the generation they were read at. Not
    /// dropped by an eviction: a search after an edit reads with the last one while a new one is
    /// built (see `Store::vocabulary`).
    pub(crate) vocabulary: Option<(u64, Arc<domain::shopper_query::Vocabulary>)>,
    cards: HashMap<i64, ProductCard>,
}

/// Past this many cached cards the cache starts over: a bound on memory, not an expected case.
const MAX_CACHED_CARDS: usize = 50_000;

/// Vietnam keeps UTC+7 all year.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

impl Store {
    pub async fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let turn = crate::db::SetupTurn::take(&config.database_url).await?;
        let db = crate::db::connect(&config.database_url).await?;
        let search: Arc<dyn SearchEngine> = match &config.meili_url {
            Some(url) => Arc::new(MeiliEngine::connect(url, config.meili_key.as_deref(), &config.meili_index).await?),
            None => Arc::new(TantivyEngine::open(&config.search_dir)?),
        };
        let store = Store {
            db,
            search,
            today_override: Arc::new(std::sync::atomic::AtomicI32::new(
                config.today_override.map(|d| d.num_days_from_ce()).unwrap_or(0),
            )),
            indexed_until: Default::default(),
            cache: Arc::new(RwLock::new(ReadCache::default())),
            facets_lock: Arc::new(Mutex::new(())),
            vocabulary_lock: Arc::new(Mutex::new(())),
            commerce: Arc::new(config.commerce.clone()),
            writer: config.database_url.starts_with("sqlite").then(|| Arc::new(Mutex::new(()))),
            imports_running: Default::default(),
        };
        if config.seed {
            crate::seed::seed_if_empty(&store.db).await?;
            crate::evaluation::sheets::seed_sample(&store.db).await?;
            let demo = crate::accounts::seed_demo_accounts(&store.db).await?;
            if !demo.is_empty() {
                // Printed once, at the start that created them: the README lists them too.
                println!(
                    "Demo accounts (password \"{}\"; change or disable them before real use):",
                    crate::accounts::DEMO_PASSWORD
                );
                for (login, role) in demo {
                    println!("  {:<22} {}", login, role.label().1);
                }
            }
        }
        turn.release().await?;
        store.rebuild_index_if_stale().await?;
        store.refresh_statistics().await?;
        // The first search should not wait on reading the catalogue's words.
        let warm = store.clone();
        tokio::spawn(async move {
            if let Err(e) = warm.vocabulary().await {
                tracing::warn!(error = %e, "reading the search vocabulary failed; the first search will retry");
            }
        });
        Ok(store)
    }

    /// SQLite plans queries from statistics that only ANALYZE gathers; without them it picks indexes
    /// that are slower than reading the table through (measured at a million sales lines, the
    /// dashboard's plan targets: 370 ms without, 90-105 ms with). It runs at start and with the hourly
    /// jobs. PostgreSQL's autovacuum keeps its own statistics.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if self.db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            sea_orm::ConnectionTrait::execute_unprepared(&self.db, "ANALYZE").await?;
        }
        Ok(())
    }

    /// Begins a write transaction, in turn with other writers on SQLite.
    pub async fn write_txn(
        &self,
    ) -> Result<(Option<tokio::sync::MutexGuard<'_, ()>>, sea_orm::DatabaseTransaction), StoreError> {
        let guard = match &self.writer {
            Some(w) => Some(w.lock().await),
            None => None,
        };
        // On SQLite the transaction takes the write lock at BEGIN: a background job's single-statement
        // write then waits for it (busy timeout) instead of invalidating its snapshot mid-way.
        let options = sea_orm::TransactionOptions {
            sqlite_transaction_mode: self.writer.as_ref().map(|_| sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok((guard, sea_orm::TransactionTrait::begin_with_options(&self.db, options).await?))
    }

    /// Whether the database is a SQLite file (one server process), not a PostgreSQL server.
    pub fn is_sqlite(&self) -> bool {
        self.writer.is_some()
    }

    /// Forgets cached cards of products whose stock changed; other replicas learn it from `updated_at`.
    pub async fn products_changed(&self, product_ids: &[i64]) -> Result<(), StoreError> {
        if product_ids.is_empty() {
            return Ok(());
        }
        crate::entity::product::Entity::update_many()
            .col_expr(crate::entity::product::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(sea_orm::ColumnTrait::is_in(&crate::entity::product::Column::Id, product_ids.to_vec()))
            .exec(&self.db)
            .await?;
        self.evict(product_ids.iter().copied());
        Ok(())
    }

    /// Today's date in Vietnam: certificates lapse on Vietnamese calendar days.
    pub fn today(&self) -> NaiveDate {
        match self.today_override.load(std::sync::atomic::Ordering::Relaxed) {
            0 => Utc::now().with_timezone(&vietnam()).date_naive(),
            days => NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MAX),
        }
    }

    /// Moves the pretend "today" (tests of what happens when a day turns).
    pub fn set_today(&self, day: NaiveDate) {
        self.today_override.store(day.num_days_from_ce(), std::sync::atomic::Ordering::Relaxed);
    }

    pub fn today_days(&self) -> i64 {
        crate::catalog::days_since_epoch(self.today())
    }

    /// A full rebuild when the index and the database disagree on the number of listed products
    /// (a new index, a restored backup); otherwise only what changed since the last sync.
    pub async fn rebuild_index_if_stale(&self) -> Result<Synced, StoreError> {
        let listed = crate::catalog::count_listed(&self.db).await?;
        let indexed = self.search.count().await?;
        let mark = self.search.load_mark().await?.map(IndexMark::from_saved).filter(|m| m.until.is_some());
        if listed as usize != indexed || mark.is_none() {
            tracing::info!(listed, indexed, engine = self.search.name(), "rebuilding the search index");
            self.search.clear().await?;
            *self.indexed_until.lock().await = IndexMark::default();
        } else {
            // The index is whole up to its mark: catch up on what changed since.
            *self.indexed_until.lock().await = mark.unwrap_or_default();
        }
        self.sync_index().await
    }

    /// Sends products changed since the last sync to the search engine.
    /// Every change to a product, its variants or certificates bumps the product's `updated_at`.
    pub async fn sync_index(&self) -> Result<Synced, StoreError> {
        let mut mark = self.indexed_until.lock().await;
        let started = Utc::now();
        let mut stamped = crate::catalog::products_stamped_since(&self.db, mark.floor()).await?;
        let read = stamped.len();
        stamped.retain(|(id, at)| mark.sent.get(id) != Some(&at.timestamp_micros()));
        let ids: Vec<i64> = stamped.iter().map(|(id, _)| *id).collect();
        // A product edited again between the two reads is sent with its newer stamp, which the next
        // sync then passes over.
        let changed = crate::catalog::products_by_ids(&self.db, &ids).await?;
        let newest = changed.iter().map(|p| p.updated_at).chain(mark.until).max();
        let stamps: Vec<(i64, DateTime<Utc>)> = changed.iter().map(|p| (p.id, p.updated_at)).collect();
        let (listed, hidden): (Vec<_>, Vec<_>) = changed.into_iter().partition(|p| p.status == "active");
        let hidden_ids: Vec<i64> = hidden.iter().map(|p| p.id).collect();
        let changed_ids: Vec<i64> = listed.iter().map(|p| p.id).chain(hidden_ids.iter().copied()).collect();
        for chunk in listed.chunks(2000) {
            let docs = crate::catalog::search_docs(&self.db, chunk, self.today()).await?;
            self.search.upsert(docs).await?;
        }
        if !hidden_ids.is_empty() {
            self.search.remove(hidden_ids).await?;
        }
        mark.until = newest;
        mark.settled = Some(started - SYNC_LOOKBACK);
        mark.sent.extend(stamps.into_iter().map(|(id, at)| (id, at.timestamp_micros())));
        if let Some(floor) = mark.floor() {
            mark.sent.retain(|_, at| *at >= floor.timestamp_micros());
        }
        if !changed_ids.is_empty() {
            // Only now, with the index updated too: a page rendered from the old index while it
            // was being updated must not outlive the update.
            self.evict(changed_ids.iter().copied());
            if let Some(saved) = mark.saved() {
                self.search.save_mark(&saved).await?;
            }
        }
        Ok(Synced { read, sent: changed_ids.len() })
    }
}

/// What one search-index sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    /// Product rows read from the database: those in the look-back window, sent or not.
    pub read: usize,
    /// Products sent to the search engine (updated or removed).
    pub sent: usize,
}

impl Store {
    pub(crate) fn read_cache(&self) -> std::sync::RwLockReadGuard<'_, ReadCache> {
        self.cache.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn write_cache(&self) -> std::sync::RwLockWriteGuard<'_, ReadCache> {
        self.cache.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn evict(&self, ids: impl Iterator<Item = i64>) {
        let mut cache = self.write_cache();
        cache.generation += 1;
        cache.facets = None;
        for id in ids {
            cache.cards.remove(&id);
        }
    }

    /// Drops everything computed for another day: certificate statuses change at midnight.
    fn cache_for_today(&self) -> NaiveDate {
        let today = self.today();
        if self.read_cache().day != Some(today) {
            let mut cache = self.write_cache();
            if cache.day != Some(today) {
                *cache = ReadCache {
                    day: Some(today),
                    generation: cache.generation + 1,
                    vocabulary: cache.vocabulary.take(),
                    ..ReadCache::default()
                };
            }
        }
        today
    }

    /// Product cards in the order of `ids`, from the cache where possible.
    pub async fn cards(&self, ids: &[i64]) -> Result<Vec<ProductCard>, StoreError> {
        let today = self.cache_for_today();
        let (mut found, missing, generation) = {
            let cache = self.read_cache();
            let mut found = HashMap::with_capacity(ids.len());
            let mut missing = Vec::new();
            for id in ids {
                match cache.cards.get(id) {
                    Some(card) => _ = found.insert(*id, card.clone()),
                    None => missing.push(*id),
                }
            }
            (found, missing, cache.generation)
        };
        if !missing.is_empty() {
            let loaded = crate::catalog::cards(&self.db, &missing, today).await?;
            let mut cache = self.write_cache();
            let fresh = cache.generation == generation;
            if fresh && cache.cards.len() + loaded.len() > MAX_CACHED_CARDS {
                cache.cards.clear();
            }
            for card in loaded {
                if fresh {
                    cache.cards.insert(card.id, card.clone());
                }
                found.insert(card.id, card);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Changes whenever anything a page shows may have changed (a catalogue edit, a new day), so a
    /// rendered page stamped with it can be served again while it stays the same.
    pub fn content_version(&self) -> (NaiveDate, u64) {
        let today = self.cache_for_today();
        (today, self.read_cache().generation)
    }

    /// The values the catalogue filters offer, with counts.
    pub async fn facets(&self) -> Result<Facets, StoreError> {
        self.cache_for_today();
        let generation = {
            let cache = self.read_cache();
            if let Some(f) = &cache.facets {
                return Ok(f.clone());
            }
            cache.generation
        };
        // One computation at a time: at national scale it takes tens of milliseconds, and a burst of
        // requests after an edit would otherwise all compute it at once.
        let _one_at_a_time = self.facets_lock.lock().await;
        if let Some(f) = &self.read_cache().facets {
            return Ok(f.clone());
        }
        let facets = crate::catalog::facets(&self.db).await?;
        let mut cache = self.write_cache();
        if cache.generation == generation {
            cache.facets = Some(facets.clone());
        }
        Ok(facets)
    }
}
