//! The embedded engine. Every text field is indexed twice: folded (no diacritics) for recall and
//! typo tolerance, and with diacritics (one tone placement) so exact spellings rank first.

use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use domain::listing::{CatalogQuery, Sort};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TEXT};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term, doc};

use super::{ProductDoc, SearchEngine, SearchHits, exact_terms, folded_terms};
use crate::StoreError;

/// Bump when the schema changes: an index on disk with another version is rebuilt.
const SCHEMA_VERSION: &str = "5";

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    name_folded: Field,
    name_exact: Field,
    other_folded: Field,
    other_exact: Field,
    english: Field,
    /// Adjacent word pairs of both names, folded and joined ("nuocmam"), so "words standing together"
    /// ranks with a cheap term lookup instead of a phrase query over positions.
    pairs: Field,
    group: Field,
    category: Field,
    district: Field,
    kind: Field,
    stars: Field,
    badge_until: Field,
    min_price: Field,
    decided: Field,
    featured: Field,
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
        group: b.add_text_field("group", STRING),
        category: b.add_text_field("category", STRING),
        district: b.add_text_field("district", STRING),
        kind: b.add_text_field("kind", STRING),
        stars: b.add_u64_field("stars", INDEXED | FAST),
        badge_until: b.add_i64_field("badge_until", INDEXED | FAST),
        min_price: b.add_i64_field("min_price", INDEXED | FAST),
        decided: b.add_i64_field("decided", FAST),
        featured: b.add_i64_field("featured", FAST),
    };
    (b.build(), f)
}

pub struct TantivyEngine {
    /// Where the change mark is kept: a file beside the index, or memory for an in-memory index.
    mark_file: Option<std::path::PathBuf>,
    mark_in_memory: Mutex<Option<i64>>,
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
        let other = format!("{} {} {} {}", d.producer, d.district, d.category, d.description);
        let featured = if d.badge_until > 0 { 10 } else { 0 } + d.stars as i64;
        doc!(
            f.id => d.id,
            f.name_folded => domain::text::fold(&d.name_vi),
            f.name_exact => domain::text::normalize_vi(&d.name_vi),
            f.other_folded => domain::text::fold(&other),
            f.other_exact => domain::text::normalize_vi(&other),
            f.english => domain::text::fold(&format!("{} {}", d.name_en, d.category_en)),
            f.pairs => format!("{} {}", word_pairs(&d.name_vi).join(" "), word_pairs(&d.name_en).join(" ")),
            f.group => d.group.clone(),
            f.category => domain::text::fold(&d.category),
            f.district => domain::text::fold(&d.district),
            f.kind => d.kind.clone(),
            f.stars => d.stars,
            f.badge_until => d.badge_until,
            f.min_price => d.min_price,
            f.decided => d.decided,
            f.featured => featured,
        )
    }

    /// `typos`: also match words one edit away. Off for the first pass, which is cheaper and what
    /// most queries need; see `search`.
    /// `ranked`: the results are ordered by relevance, so clauses that only add to the score (phrases)
    /// are worth their cost; sorted by price or date they would be computed for nothing.
    fn text_query(&self, text: &str, typos: bool, ranked: bool) -> Option<Box<dyn Query>> {
        let f = &self.f;
        let folded = folded_terms(text);
        if folded.is_empty() {
            return None;
        }
        let exact = exact_terms(text);
        let aligned = exact.len() == folded.len();
        let last = folded.len() - 1;
        let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, word) in folded.iter().enumerate() {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut add =
                |q: Box<dyn Query>, boost: f32| should.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            for (field, boost, names) in
                [(f.name_folded, 3.0, true), (f.other_folded, 1.0, false), (f.english, 2.0, true)]
            {
                let term = Term::from_field_text(field, word);
                add(Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)), boost);
                // One typo per word, in names (Vietnamese and English), where shoppers misspell; short
                // words would match half the dictionary with one edit, and descriptions are too large
                // a dictionary to walk per word.
                if typos && names && word.chars().count() >= 4 {
                    add(Box::new(FuzzyTermQuery::new(term.clone(), 1, true)), boost * 0.3);
                }
                // The word being typed may be unfinished ("thanh lo").
                if names && i == last && word.chars().count() >= 2 {
                    add(Box::new(FuzzyTermQuery::new_prefix(term, 0, true)), boost * 0.3);
                }
            }
            if aligned {
                for (field, boost) in [(f.name_exact, 2.0), (f.other_exact, 0.7)] {
                    let term = Term::from_field_text(field, &exact[i]);
                    add(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), boost);
                }
            }
            musts.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
        // Words that stand together in a name, as typed, outrank the same words scattered: "nuoc mam"
        // puts "Nước mắm Cá Đen" before a fish paste whose English name mentions "mắm".
        if ranked {
            for pair in word_pairs(text) {
                let term = Term::from_field_text(f.pairs, &pair);
                let q = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                musts.push((Occur::Should, Box::new(BoostQuery::new(q, 4.0))));
            }
        }
        Some(Box::new(BooleanQuery::new(musts)))
    }

    fn build_query(&self, q: &CatalogQuery, today: i64, typos: bool) -> Box<dyn Query> {
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let has_text = match self.text_query(&q.q, typos, q.sort == Sort::Relevance) {
            Some(t) => {
                clauses.push((Occur::Must, t));
                true
            }
            None => false,
        };
        let mut filter = |field: Field, value: &str| {
            let term = Term::from_field_text(field, value);
            clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        };
        if let Some(g) = q.group {
            filter(f.group, g.code());
        }
        if let Some(c) = &q.category {
            filter(f.category, &domain::text::fold(c));
        }
        if let Some(d) = &q.district {
            filter(f.district, &domain::text::fold(d));
        }
        if let Some(k) = q.kind {
            filter(f.kind, k.code());
        }
        if let Some(s) = q.min_stars {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Included(Term::from_field_u64(f.stars, s as u64)), Bound::Unbounded)),
            ));
        }
        if q.valid_only {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Excluded(Term::from_field_i64(f.badge_until, today)),
                    Bound::Unbounded,
                )),
            ));
        }
        if q.min_price.is_some() || q.max_price.is_some() {
            let lo = Term::from_field_i64(f.min_price, q.min_price.unwrap_or(0));
            let hi = q.max_price.map_or(Bound::Unbounded, |p| Bound::Included(Term::from_field_i64(f.min_price, p)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(Bound::Included(lo), hi))));
        }
        if clauses.is_empty() {
            return Box::new(AllQuery);
        }
        if !has_text {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
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

    async fn load_mark(&self) -> Result<Option<i64>, StoreError> {
        match &self.mark_file {
            Some(path) => Ok(std::fs::read_to_string(path).ok().and_then(|s| s.trim().parse().ok())),
            None => Ok(*self.mark_in_memory.lock().map_err(|_| StoreError::Search("mark poisoned".into()))?),
        }
    }

    async fn save_mark(&self, mark: i64) -> Result<(), StoreError> {
        match &self.mark_file {
            // Written after the commit it describes: a crash in between only re-indexes a little again.
            Some(path) => Ok(std::fs::write(path, mark.to_string())?),
            None => {
                *self.mark_in_memory.lock().map_err(|_| StoreError::Search("mark poisoned".into()))? = Some(mark);
                Ok(())
            }
        }
    }

    async fn search(&self, q: &CatalogQuery, today: i64) -> Result<SearchHits, StoreError> {
        // Searching a few thousand documents takes well under a millisecond: no need to leave the runtime.
        let searcher = self.reader.searcher();
        let exact = self.search_with(&searcher, q, self.build_query(q, today, false))?;
        // Typos are looked for only when the words as typed fill less than a page: cheaper for the
        // usual query, and no one-letter-off noise among real matches. The decision depends on the
        // total only, so every page of one query is cut from the same result list.
        if q.q.trim().is_empty() || exact.total >= q.per_page as usize {
            return Ok(exact);
        }
        self.search_with(&searcher, q, self.build_query(q, today, true))
    }
}

impl TantivyEngine {
    fn search_with(
        &self,
        searcher: &tantivy::Searcher,
        q: &CatalogQuery,
        query: Box<dyn Query>,
    ) -> Result<SearchHits, StoreError> {
        let range = q.offset()..q.offset() + q.per_page.max(1) as usize;
        let top = || TopDocs::for_doc_range(range.clone());
        let by = |field: &str, order: Order| top().order_by_fast_field::<i64>(field.to_string(), order);
        let (addresses, total) = match q.sort {
            Sort::Relevance if !q.q.trim().is_empty() => run(searcher, query.as_ref(), top().order_by_score())?,
            // Without words to rank on, valid certificates and more stars come first.
            Sort::Relevance | Sort::Stars => run(searcher, query.as_ref(), by("featured", Order::Desc))?,
            Sort::PriceAsc => run(searcher, query.as_ref(), by("min_price", Order::Asc))?,
            Sort::PriceDesc => run(searcher, query.as_ref(), by("min_price", Order::Desc))?,
            Sort::Newest => run(searcher, query.as_ref(), by("decided", Order::Desc))?,
        };
        self.collect(searcher, addresses, total)
    }
}

/// "Nước mắm Cá Đen" → ["nuocmam", "mamca", "caden"].
fn word_pairs(text: &str) -> Vec<String> {
    let words = folded_terms(text);
    words.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect()
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
        Ok(SearchHits { ids, total })
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}
