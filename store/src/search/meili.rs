//! Meilisearch, for deployments with several server replicas sharing one index.
//! Meilisearch folds diacritics and tolerates typos itself; we still send the folded and
//! tone-normalized forms so both engines see "Hòa" and "Hoà" as one word.

use async_trait::async_trait;
use domain::listing::{CatalogQuery, Sort};
use domain::shopper_query::QueryPlan;
use meilisearch_sdk::client::Client;
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::MatchingStrategies;
use serde::{Deserialize, Serialize};

use super::{IndexedMark, ProductDoc, SearchEngine, SearchHits, places};
use crate::StoreError;

#[derive(Debug, Serialize, Deserialize)]
struct MeiliDoc {
    id: i64,
    name_exact: String,
    name_folded: String,
    english: String,
    other_exact: String,
    other_folded: String,
    group: String,
    category: String,
    district: String,
    place: Vec<String>,
    kind: String,
    stars: u64,
    badge_until: i64,
    min_price: i64,
    decided: i64,
    featured: i64,
}

impl From<&ProductDoc> for MeiliDoc {
    fn from(d: &ProductDoc) -> Self {
        let other = format!("{} {} {} {} {}", d.producer, d.district, d.commune, d.category, d.description);
        MeiliDoc {
            id: d.id,
            name_exact: domain::text::normalize_vi(&d.name_vi),
            name_folded: domain::text::fold(&d.name_vi),
            english: domain::text::fold(&format!("{} {}", d.name_en, d.category_en)),
            other_exact: domain::text::normalize_vi(&other),
            other_folded: domain::text::fold(&other),
            group: d.group.clone(),
            category: domain::text::fold(&d.category),
            district: domain::text::fold(&d.district),
            place: places(d),
            kind: d.kind.clone(),
            stars: d.stars,
            badge_until: d.badge_until,
            min_price: d.min_price,
            decided: d.decided,
            featured: if d.badge_until > 0 { 10 } else { 0 } + d.stars as i64,
        }
    }
}

pub struct MeiliEngine {
    client: Client,
    index: Index,
    /// A one-document index holding the change mark, shared by every replica like the index itself.
    meta: Index,
}

#[derive(Debug, Serialize, Deserialize)]
struct Mark {
    id: u8,
    mark: i64,
    #[serde(default)]
    settled: Option<i64>,
    #[serde(default)]
    sent: Vec<(i64, i64)>,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Search(format!("meilisearch: {e}"))
}

/// Filter values are quoted; a quote or backslash in user input must not end the string early.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

impl MeiliEngine {
    pub async fn connect(url: &str, api_key: Option<&str>, index_uid: &str) -> Result<Self, StoreError> {
        let client = Client::new(url, api_key).map_err(err)?;
        let task = client.create_index(index_uid, Some("id")).await.map_err(err)?;
        // An "index already exists" failure is fine: we only need it to be there.
        let _ = task.wait_for_completion(&client, None, None).await.map_err(err)?;
        let index = client.index(index_uid);
        let settings = meilisearch_sdk::settings::Settings::new()
            .with_searchable_attributes(["name_exact", "name_folded", "english", "other_exact", "other_folded"])
            .with_filterable_attributes([
                "group",
                "category",
                "district",
                "place",
                "kind",
                "stars",
                "badge_until",
                "min_price",
            ])
            .with_sortable_attributes(["min_price", "decided", "featured"]);
        let task = index.set_settings(&settings).await.map_err(err)?;
        task.wait_for_completion(&client, None, None).await.map_err(err)?;
        let meta_uid = format!("{index_uid}_meta");
        let task = client.create_index(&meta_uid, Some("id")).await.map_err(err)?;
        let _ = task.wait_for_completion(&client, None, None).await.map_err(err)?;
        let meta = client.index(meta_uid);
        Ok(MeiliEngine { client, index, meta })
    }

    async fn wait(&self, task: meilisearch_sdk::task_info::TaskInfo) -> Result<(), StoreError> {
        let done = task.wait_for_completion(&self.client, None, None).await.map_err(err)?;
        if done.is_failure() {
            return Err(StoreError::Search(format!("meilisearch task failed: {:?}", done.unwrap_failure())));
        }
        Ok(())
    }
}

#[async_trait]
impl SearchEngine for MeiliEngine {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    async fn upsert(&self, docs: Vec<ProductDoc>) -> Result<(), StoreError> {
        let docs: Vec<MeiliDoc> = docs.iter().map(MeiliDoc::from).collect();
        let task = self.index.add_or_replace(&docs, Some("id")).await.map_err(err)?;
        self.wait(task).await
    }

    async fn remove(&self, ids: Vec<i64>) -> Result<(), StoreError> {
        let task = self.index.delete_documents(&ids).await.map_err(err)?;
        self.wait(task).await
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let task = self.meta.delete_all_documents().await.map_err(err)?;
        self.wait(task).await?;
        let task = self.index.delete_all_documents().await.map_err(err)?;
        self.wait(task).await
    }

    async fn load_mark(&self) -> Result<Option<IndexedMark>, StoreError> {
        match self.meta.get_document::<Mark>("1").await {
            Ok(m) => Ok(Some(IndexedMark { until: m.mark, settled: m.settled, sent: m.sent })),
            Err(meilisearch_sdk::errors::Error::Meilisearch(e))
                if e.error_code == meilisearch_sdk::errors::ErrorCode::DocumentNotFound =>
            {
                Ok(None)
            }
            Err(e) => Err(err(e)),
        }
    }

    async fn save_mark(&self, mark: &IndexedMark) -> Result<(), StoreError> {
        let saved = Mark { id: 1, mark: mark.until, settled: mark.settled, sent: mark.sent.clone() };
        let task = self.meta.add_or_replace(&[saved], Some("id")).await.map_err(err)?;
        self.wait(task).await
    }

    async fn count(&self) -> Result<usize, StoreError> {
        let stats = self.index.get_stats().await.map_err(err)?;
        Ok(stats.number_of_documents)
    }

    async fn search(&self, q: &CatalogQuery, plan: &QueryPlan, today: i64) -> Result<SearchHits, StoreError> {
        let mut filters = Vec::new();
        if let Some(g) = q.group {
            filters.push(format!("group = {}", quoted(g.code())));
        }
        if let Some(c) = &q.category {
            filters.push(format!("category = {}", quoted(&domain::text::fold(c))));
        }
        if let Some(d) = &q.district {
            filters.push(format!("district = {}", quoted(&domain::text::fold(d))));
        }
        if let Some(k) = q.kind {
            filters.push(format!("kind = {}", quoted(k.code())));
        }
        if let Some(s) = q.min_stars {
            filters.push(format!("stars >= {s}"));
        }
        if q.valid_only {
            filters.push(format!("badge_until > {today}"));
        }
        if let Some(p) = q.min_price {
            filters.push(format!("min_price >= {p}"));
        }
        if let Some(p) = q.max_price {
            filters.push(format!("min_price <= {p}"));
        }
        let ranked = q.sort == Sort::Relevance && !plan.is_empty();
        let sort: &[&str] = match q.sort {
            Sort::Relevance if !plan.is_empty() => &[],
            Sort::Relevance | Sort::Stars => &["featured:desc"],
            Sort::PriceAsc => &["min_price:asc"],
            Sort::PriceDesc => &["min_price:desc"],
            Sort::Newest => &["decided:desc"],
        };
        let search = Search { filters, sort, offset: q.offset(), limit: q.per_page as usize };
        // Browsing without words is cut by certificate the same way, each tier by stars.
        let browsing = plan.is_empty() && matches!(q.sort, Sort::Relevance | Sort::Stars);
        let tiers =
            if ranked || browsing { tiers(plan.place.as_deref().filter(|_| ranked), today) } else { Vec::new() };
        let hits = self.tiered(&search, &plan.text(false), false, &tiers).await?;
        if hits.total > 0 || !plan.has_fallback() {
            return Ok(hits);
        }
        // Nothing holds every word: Meilisearch drops words from the end until something matches.
        // With no word the catalogue holds, only shop talk can rank, and an empty query lists all.
        let text = plan.text(true);
        if text.is_empty() && !plan.has_shop_talk() {
            return Ok(hits);
        }
        let partial = self.tiered(&search, &text, true, &tiers).await?;
        Ok(SearchHits { partial: partial.total > 0, ..partial })
    }
}

struct Search<'a> {
    filters: Vec<String>,
    sort: &'a [&'a str],
    offset: usize,
    limit: usize,
}

impl MeiliEngine {
    async fn page(
        &self,
        search: &Search<'_>,
        text: &str,
        partial: bool,
        extra: Option<String>,
        offset: usize,
        limit: usize,
    ) -> Result<SearchHits, StoreError> {
        let filter = search.filters.iter().cloned().chain(extra).collect::<Vec<_>>().join(" AND ");
        let strategy = if partial { MatchingStrategies::LAST } else { MatchingStrategies::ALL };
        let mut query = self.index.search();
        query
            .with_query(text)
            .with_offset(offset)
            .with_limit(limit)
            .with_sort(search.sort)
            .with_matching_strategy(strategy);
        if !filter.is_empty() {
            query.with_filter(&filter);
        }
        let result = query.execute::<MeiliDoc>().await.map_err(err)?;
        let total = result.estimated_total_hits.or(result.total_hits).unwrap_or(result.hits.len());
        Ok(SearchHits { ids: result.hits.into_iter().map(|h| h.result.id).collect(), total, partial: false })
    }

    /// Ranked results in tiers, each in relevance order: the place named in the query before the
    /// rest, and within each, valid certificates before the others. Meilisearch cannot boost by a
    /// filter, so each tier is asked for apart and the page is cut across them in order.
    async fn tiered(
        &self,
        search: &Search<'_>,
        text: &str,
        partial: bool,
        tiers: &[String],
    ) -> Result<SearchHits, StoreError> {
        if tiers.is_empty() {
            return self.page(search, text, partial, None, search.offset, search.limit).await;
        }
        let (mut skip, mut ids, mut total) = (search.offset, Vec::new(), 0);
        for tier in tiers {
            let room = search.limit - ids.len();
            // With the page full, a tier is still asked for its count (limit 0) so the total is right.
            let hits = self.page(search, text, partial, Some(tier.clone()), skip, room).await?;
            skip = skip.saturating_sub(hits.total);
            total += hits.total;
            ids.extend(hits.ids.into_iter().take(room));
        }
        Ok(SearchHits { ids, total, partial: false })
    }
}

/// The filters of the tiers a ranked query is cut into (see `MeiliEngine::tiered`).
fn tiers(place: Option<&str>, today: i64) -> Vec<String> {
    // Valid, then not known to have lapsed (no date on record), then lapsed: as tantivy weighs them.
    let validity = [
        format!("badge_until > {today}"),
        "badge_until = 0".to_string(),
        format!("badge_until > 0 AND badge_until <= {today}"),
    ];
    match place {
        None => validity.to_vec(),
        Some(place) => {
            let (here, elsewhere) = (format!("place = {}", quoted(place)), format!("NOT place = {}", quoted(place)));
            [here, elsewhere].iter().flat_map(|p| validity.iter().map(move |v| format!("{p} AND {v}"))).collect()
        }
    }
}
