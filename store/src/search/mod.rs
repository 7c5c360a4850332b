//! One search interface, two engines: tantivy embedded on disk (the default) and Meilisearch
//! (when `MEILI_URL` is set, for several server replicas). Both receive the same documents, built
//! here, and answer the same `CatalogQuery`, so one test suite holds them to the same behaviour.

mod meili;
mod tantivy_engine;
mod tantivy_query;
pub mod vocabulary;

pub use meili::MeiliEngine;
pub use tantivy_engine::TantivyEngine;

use async_trait::async_trait;
use domain::listing::CatalogQuery;
use domain::shopper_query::QueryPlan;
use serde::{Deserialize, Serialize};

use crate::StoreError;

/// What the engines index for one product. Text fields hold the display text; each engine folds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDoc {
    pub id: i64,
    pub name_vi: String,
    pub name_en: String,
    pub producer: String,
    pub district: String,
    /// The producer's commune, when known: a place shoppers may name.
    pub commune: String,
    pub category: String,
    /// English words for the category and product kind ("fish sauce", "dragon fruit").
    pub category_en: String,
    pub description: String,
    pub group: String,
    pub kind: String,
    /// Stars of the certificate that counts (0 when none).
    pub stars: u64,
    /// Days since 1970-01-01 (UTC) of the first day the star badge no longer shows; 0 when it never does.
    pub badge_until: i64,
    /// Cheapest active variant, in đồng; -1 when nothing is for sale.
    pub min_price: i64,
    /// Days since 1970-01-01 of the latest certificate decision, for "newest" sorting.
    pub decided: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHits {
    pub ids: Vec<i64>,
    pub total: usize,
    /// Nothing matched every required word: these match some of them, best first.
    pub partial: bool,
}

/// The sync's mark as saved with the index; times in microseconds since 1970.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IndexedMark {
    /// The newest catalogue change the index includes.
    pub until: i64,
    /// Every change stamped before this had been read when the mark was saved.
    #[serde(default)]
    pub settled: Option<i64>,
    /// Products sent within the look-back window, with the stamp sent: a restart soon after an
    /// import passes over them instead of sending the whole import again.
    #[serde(default)]
    pub sent: Vec<(i64, i64)>,
}

impl IndexedMark {
    /// Reads a saved mark; a bare number is the form saved before the window was kept.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        serde_json::from_str(text)
            .ok()
            .or_else(|| text.parse().ok().map(|until| IndexedMark { until, ..Default::default() }))
    }
}

#[async_trait]
pub trait SearchEngine: Send + Sync {
    fn name(&self) -> &'static str;
    /// Adds or replaces these products.
    async fn upsert(&self, docs: Vec<ProductDoc>) -> Result<(), StoreError>;
    async fn remove(&self, ids: Vec<i64>) -> Result<(), StoreError>;
    /// Drops every document: before a full rebuild.
    async fn clear(&self) -> Result<(), StoreError>;
    async fn count(&self) -> Result<usize, StoreError>;
    /// What the index is known to hold, kept with the index so a restart catches up on edits made
    /// while it was down, and only on those.
    async fn load_mark(&self) -> Result<Option<IndexedMark>, StoreError>;
    async fn save_mark(&self, mark: &IndexedMark) -> Result<(), StoreError>;
    /// `plan` is `q.q` read against the catalogue (`Store::understand`): both engines follow it, so
    /// shop talk, corrections, places and the fallback to partial matches behave alike.
    /// `today` is days since 1970-01-01 in Vietnam, for the valid-certificate filter and ranking.
    async fn search(&self, q: &CatalogQuery, plan: &QueryPlan, today: i64) -> Result<SearchHits, StoreError>;
}

/// The place fields of a document, folded, as a plan's `place` is.
pub(crate) fn places(d: &ProductDoc) -> Vec<String> {
    [&d.district, &d.commune].into_iter().filter(|p| !p.is_empty()).map(|p| domain::text::fold(p)).collect()
}
