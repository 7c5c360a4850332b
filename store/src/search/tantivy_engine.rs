//! The embedded engine. Every text field is indexed twice: folded (no diacritics) for recall and
//! typo tolerance, and with diacritics (one tone placement) so exact spellings rank first.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use domain::listing::{CatalogQuery, Sort};
use domain::shopper_query::QueryPlan;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::{FAST, Field, INDEXED, STRING, Schema, TEXT};
use tantivy::{
    DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term, doc,
};

use super::tantivy_query::{self, Pass};
use super::{IndexedMark, ProductDoc, SearchEngine, SearchHits, places};
use crate::StoreError;

/// Bump when the schema changes: an index on disk with another version is rebuilt.
const SCHEMA_VERSION: &str = "8";

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    id: Field,
    pub name_folded: Field,
    pub name_exact: Field,
    pub other_folded: Field,
    pub other_exact: Field,
    pub english: Field,
    /// Adjacent word pairs of both names, folded and joined ("nuocmam"), so "words standing together"
    /// ranks with a cheap term lookup instead of a phrase query over positions.
    pub pairs: Field,
    /// The same for the producer, places and description, where "Bắc Bình" may only be written.
    pub other_pairs: Field,
    pub group: Field,
    pub category: Field,
    pub district: Field,
    /// District and commune, folded whole ("ham thuan bac"), for the place a query names.
    pub place: Field,
    pub kind: Field,
    pub stars: Field,
    pub badge_until: Field,
    pub min_price: Field,
    decided: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        id: b.add_i64_field("id", INDEXED | FAST),
        name_folded: b.add_text_field("name_folded", TEXT),
        name_exact: b.add_text_field("name_exact", TEXT),
        other_folded: b.add_text_field("other_folded", TEXT),
        other_exact: b.add_text_field("other_exact", TEXT),
        english: b.add_text_field("english", TEXT),
        pairs: b.add_text_field("pairs", TEXT),
        other_pairs: b.add_text_field("other_pairs", TEXT),
        group: b.add_text_field("group", STRING),
        category: b.add_text_field("category", STRING),
        district: b.add_text_field("district", STRING),
        place: b.add_text_field("place", STRING),
        kind: b.add_text_field("kind", STRING),
        stars: b.add_u64_field("stars", INDEXED | FAST),
        badge_until: b.add_i64_field("badge_until", INDEXED | FAST),
        min_price: b.add_i64_field("min_price", INDEXED | FAST),
        decided: b.add_i64_field("decided", FAST),
    };
    (b.build(), f)
}

pub struct TantivyEngine {
    /// Where the change mark is kept: a file beside the index, or memory for an in-memory index.
    mark_file: Option<std::path::PathBuf>,
    mark_in_memory: Mutex<Option<IndexedMark>>,
    index: Index,
    reader: IndexReader,
    writer: Arc<Mutex<IndexWriter>>,
    f: Fields,
}

impl TantivyEngine {
    /// Opens the index in `dir`, creating it (or rebuilding it empty after a schema change).
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let (schema, f) = schema();
        let version_file = dir.join("schema-version");
        let current = std::fs::read_to_string(&version_file).ok();
        if current.as_deref() != Some(SCHEMA_VERSION) && dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = match Index::open_in_dir(dir) {
            Ok(index) => index,
            Err(_) => Index::create_in_dir(dir, schema)?,
        };
        std::fs::write(&version_file, SCHEMA_VERSION)?;
        let mut engine = Self::from_index(index, f)?;
        engine.mark_file = Some(dir.join("indexed-until"));
        Ok(engine)
    }

    pub fn in_memory() -> Result<Self, StoreError> {
        let (schema, f) = schema();
        Self::from_index(Index::create_in_ram(schema), f)
    }

    fn from_index(index: Index, f: Fields) -> Result<Self, StoreError> {
        // One indexing thread and a small arena: a province's catalogue is small and the machine has 2 cores.
        let writer = index.writer_with_num_threads(1, 15_000_000)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(TantivyEngine {
            mark_file: None,
            mark_in_memory: Mutex::new(None),
            index,
            reader,
            writer: Arc::new(Mutex::new(writer)),
            f,
        })
    }

    fn to_document(&self, d: &ProductDoc) -> TantivyDocument {
        let f = &self.f;
        let other = format!("{} {} {} {} {}", d.producer, d.district, d.commune, d.category, d.description);
        let mut document = doc!(
            f.id => d.id,
            f.name_folded => domain::text::fold(&d.name_vi),
            f.name_exact => domain::text::normalize_vi(&d.name_vi),
            f.other_folded => domain::text::fold(&other),
            f.other_exact => domain::text::normalize_vi(&other),
            f.english => domain::text::fold(&format!("{} {}", d.name_en, d.category_en)),
            f.pairs => format!("{} {}", word_pairs(&d.name_vi).join(" "), word_pairs(&d.name_en).join(" ")),
            f.other_pairs => [&d.producer, &d.district, &d.commune, &d.description]
                .iter()
                .flat_map(|t| word_pairs(t))
                .collect::<Vec<_>>()
                .join(" "),
            f.group => d.group.clone(),
            f.category => domain::text::fold(&d.category),
            f.district => domain::text::fold(&d.district),
            f.kind => d.kind.clone(),
            f.stars => d.stars,
            f.badge_until => d.badge_until,
            f.min_price => d.min_price,
            f.decided => d.decided,
        );
        for place in places(d) {
            document.add_text(f.place, place);
        }
        document
    }
}

#[async_trait]
impl SearchEngine for TantivyEngine {
    fn name(&self) -> &'static str {
        "tantivy"
    }

    async fn upsert(&self, docs: Vec<ProductDoc>) -> Result<(), StoreError> {
        let documents: Vec<(i64, TantivyDocument)> = docs.iter().map(|d| (d.id, self.to_document(d))).collect();
        let writer = self.writer.clone();
        let id_field = self.f.id;
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
            let mut w = writer.lock().map_err(|_| StoreError::Search("index writer poisoned".into()))?;
            for (id, document) in documents {
                w.delete_term(Term::from_field_i64(id_field, id));
                w.add_document(document)?;
            }
            w.commit()?;
            reader.reload()?;
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Search(e.to_string()))?
    }

    async fn remove(&self, ids: Vec<i64>) -> Result<(), StoreError> {
        let writer = self.writer.clone();
        let id_field = self.f.id;
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
            let mut w = writer.lock().map_err(|_| StoreError::Search("index writer poisoned".into()))?;
            for id in ids {
                w.delete_term(Term::from_field_i64(id_field, id));
            }
            w.commit()?;
            reader.reload()?;
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Search(e.to_string()))?
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let writer = self.writer.clone();
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
            let mut w = writer.lock().map_err(|_| StoreError::Search("index writer poisoned".into()))?;
            w.delete_all_documents()?;
            w.commit()?;
            reader.reload()?;
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Search(e.to_string()))??;
        if let Some(path) = &self.mark_file {
            let _ = std::fs::remove_file(path);
        }
        *self.mark_in_memory.lock().map_err(|_| StoreError::Search("mark poisoned".into()))? = None;
        Ok(())
    }

    async fn count(&self) -> Result<usize, StoreError> {
        Ok(self.reader.searcher().num_docs() as usize)
    }

    async fn load_mark(&self) -> Result<Option<IndexedMark>, StoreError> {
        match &self.mark_file {
            Some(path) => Ok(std::fs::read_to_string(path).ok().and_then(|s| IndexedMark::parse(&s))),
            None => Ok(self.mark_in_memory.lock().map_err(|_| StoreError::Search("mark poisoned".into()))?.clone()),
        }
    }

    async fn save_mark(&self, mark: &IndexedMark) -> Result<(), StoreError> {
        match &self.mark_file {
            // Written after the commit it describes: a crash in between only re-indexes a little again.
            Some(path) => {
                Ok(std::fs::write(path, serde_json::to_string(mark).map_err(|e| StoreError::Search(e.to_string()))?)?)
            }
            None => {
                *self.mark_in_memory.lock().map_err(|_| StoreError::Search("mark poisoned".into()))? =
                    Some(mark.clone());
                Ok(())
            }
        }
    }

    async fn search(&self, q: &CatalogQuery, plan: &QueryPlan, today: i64) -> Result<SearchHits, StoreError> {
        // Searching a few thousand documents takes well under a millisecond: no need to leave the runtime.
        let searcher = self.reader.searcher();
        let build = |pass| tantivy_query::build(&self.f, q, plan, today, pass);
        let exact = self.search_with(&searcher, q, build(Pass { typos: false, partial: false }), today)?;
        // Typos are looked for only when the words as typed fill less than a page: cheaper for the
        // usual query, and no one-letter-off noise among real matches. The decision depends on the
        // total only, so every page of one query is cut from the same result list.
        if plan.is_empty() || exact.total >= q.per_page as usize {
            return Ok(exact);
        }
        let typos = self.search_with(&searcher, q, build(Pass { typos: true, partial: false }), today)?;
        if typos.total > 0 || !plan.has_fallback() {
            return Ok(typos);
        }
        // Nothing holds every word: the products holding most of them, said to be partial.
        let partial = self.search_with(&searcher, q, build(Pass { typos: true, partial: true }), today)?;
        Ok(SearchHits { partial: partial.total > 0, ..partial })
    }
}

impl TantivyEngine {
    fn search_with(
        &self,
        searcher: &tantivy::Searcher,
        q: &CatalogQuery,
        query: Box<dyn Query>,
        today: i64,
    ) -> Result<SearchHits, StoreError> {
        let range = q.offset()..q.offset() + q.per_page.max(1) as usize;
        let top = || TopDocs::for_doc_range(range.clone());
        let by = |field: &str, order: Order| top().order_by_fast_field::<i64>(field.to_string(), order);
        let (addresses, total) = match q.sort {
            Sort::Relevance if !q.q.trim().is_empty() => run(
                searcher,
                query.as_ref(),
                top().tweak_score(move |segment: &SegmentReader| valid_first(segment, today)),
            )?,
            // Without words to rank on, valid certificates and more stars come first.
            // Without words to rank on, valid certificates first, then undated, then lapsed, each by
            // stars: judged on the day asked, as a badge lapses without its document changing.
            Sort::Relevance | Sort::Stars => run(
                searcher,
                query.as_ref(),
                top().tweak_score(move |segment: &SegmentReader| current_first(segment, today)),
            )?,
            Sort::PriceAsc => run(searcher, query.as_ref(), by("min_price", Order::Asc))?,
            Sort::PriceDesc => run(searcher, query.as_ref(), by("min_price", Order::Desc))?,
            Sort::Newest => run(searcher, query.as_ref(), by("decided", Order::Desc))?,
        };
        self.collect(searcher, addresses, total)
    }
}

/// "Nước mắm Cá Đen" → ["nuocmam", "mamca", "caden"].
fn word_pairs(text: &str) -> Vec<String> {
    let folded = domain::text::fold(text);
    let words: Vec<&str> = folded.split_whitespace().collect();
    words.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect()
}

/// A product whose certificate has lapsed scores this much of what it would with a valid one: at
/// equal relevance the valid one is listed first, and a much better match still wins.
const EXPIRED_WEIGHT: Score = 0.6;
/// One whose certificate has no date on record (or none at all) is not known to have lapsed: it
/// stands between the two.
const UNDATED_WEIGHT: Score = 0.8;

/// Where a certificate stands on `today`: valid 2, undated or none 1, lapsed 0.
fn standing(badge_until: i64, today: i64) -> u8 {
    match badge_until {
        0 => 1,
        until if until <= today => 0,
        _ => 2,
    }
}

fn current_first(segment: &SegmentReader, today: i64) -> impl Fn(DocId, Score) -> Score + use<> {
    let badge = segment.fast_fields().i64("badge_until").ok().map(|c| c.first_or_default_col(0));
    let stars = segment.fast_fields().u64("stars").ok().map(|c| c.first_or_default_col(0));
    move |doc, _| {
        let standing = badge.as_ref().map_or(1, |b| standing(b.get_val(doc), today));
        (standing as u64 * 10 + stars.as_ref().map_or(0, |s| s.get_val(doc))) as Score
    }
}

fn valid_first(segment: &SegmentReader, today: i64) -> impl Fn(DocId, Score) -> Score + use<> {
    let column = segment.fast_fields().i64("badge_until").ok().map(|c| c.first_or_default_col(0));
    move |doc, score| match column.as_ref().map(|c| standing(c.get_val(doc), today)) {
        Some(0) => score * EXPIRED_WEIGHT,
        Some(1) => score * UNDATED_WEIGHT,
        _ => score,
    }
}

fn run<K, C>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    top: C,
) -> tantivy::Result<(Vec<tantivy::DocAddress>, usize)>
where
    K: Send + 'static,
    C: tantivy::collector::Collector<Fruit = Vec<(K, tantivy::DocAddress)>>,
{
    let (hits, total) = searcher.search(query, &(top, Count))?;
    Ok((hits.into_iter().map(|(_, address)| address).collect(), total))
}

impl TantivyEngine {
    fn collect(
        &self,
        searcher: &tantivy::Searcher,
        addresses: Vec<tantivy::DocAddress>,
        total: usize,
    ) -> Result<SearchHits, StoreError> {
        // Ids come from the fast-field column: reading stored documents would decompress a block each.
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let column = searcher.segment_reader(address.segment_ord).fast_fields().i64("id")?;
            if let Some(id) = column.first(address.doc_id) {
                ids.push(id);
            }
        }
        Ok(SearchHits { ids, total, partial: false })
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}
