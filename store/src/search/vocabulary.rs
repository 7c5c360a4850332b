//! The catalogue's words, read from the database rather than from either engine, so every replica
//! and both engines read a query the same way.

use std::sync::Arc;

use domain::shopper_query::{QueryPlan, Source, Vocabulary};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::{producer, product};
use crate::{Store, StoreError};

pub async fn load(db: &impl ConnectionTrait) -> Result<Vocabulary, StoreError> {
    let mut v = Vocabulary::new();
    let products: Vec<(String, String, String, String, String, String)> = product::Entity::find()
        .select_only()
        .columns([
            product::Column::NameVi,
            product::Column::NameEn,
            product::Column::Category,
            product::Column::Tags,
            product::Column::DescriptionVi,
            product::Column::DescriptionEn,
        ])
        .filter(product::Column::Status.eq("active"))
        .into_tuple()
        .all(db)
        .await?;
    for (name_vi, name_en, category, tags, description_vi, description_en) in &products {
        v.add(name_vi, Source::Name);
        v.add(name_en, Source::Name);
        v.add(category, Source::Name);
        v.add(domain::category::search_words_en(category), Source::Name);
        v.add(tags, Source::Name);
        v.add(description_vi, Source::Other);
        v.add(description_en, Source::Other);
    }
    let producers: Vec<(String, Option<String>, Option<String>)> = producer::Entity::find()
        .select_only()
        .columns([producer::Column::Name, producer::Column::DistrictPre2025, producer::Column::Commune])
        .into_tuple()
        .all(db)
        .await?;
    for (name, district, commune) in &producers {
        v.add(name, Source::Name);
        for place in [district, commune].into_iter().flatten() {
            v.add(place, Source::Place);
        }
    }
    Ok(v)
}

impl Store {
    /// The catalogue's vocabulary. The first search builds it (about a second for 16,000 products);
    /// after a catalogue change the last one keeps answering while one task builds the next, so no
    /// search waits on an edit. A word added by the edit is understood once that build is done.
    pub async fn vocabulary(&self) -> Result<Arc<Vocabulary>, StoreError> {
        let (_, generation) = self.content_version();
        let stale = match &self.read_cache().vocabulary {
            Some((built, v)) if *built == generation => return Ok(v.clone()),
            Some((_, v)) => Some(v.clone()),
            None => None,
        };
        if let Some(stale) = stale {
            if let Ok(turn) = self.vocabulary_lock.clone().try_lock_owned() {
                let store = self.clone();
                tokio::spawn(async move {
                    let _turn = turn;
                    if let Err(e) = store.build_vocabulary().await {
                        tracing::warn!(error = %e, "rebuilding the search vocabulary failed; the last one stays");
                    }
                });
            }
            return Ok(stale);
        }
        // None yet: build it now, once for a burst of first searches.
        let _one_at_a_time = self.vocabulary_lock.lock().await;
        if let Some((_, v)) = &self.read_cache().vocabulary {
            return Ok(v.clone());
        }
        self.build_vocabulary().await
    }

    async fn build_vocabulary(&self) -> Result<Arc<Vocabulary>, StoreError> {
        let (_, generation) = self.content_version();
        let vocabulary = Arc::new(load(&self.db).await?);
        let mut cache = self.write_cache();
        // A build that started before a later one finished must not replace it.
        if cache.vocabulary.as_ref().is_none_or(|(built, _)| *built <= generation) {
            cache.vocabulary = Some((generation, vocabulary.clone()));
        }
        Ok(vocabulary)
    }

    /// What a shopper's query means, read against the catalogue.
    pub async fn understand(&self, query: &str) -> Result<QueryPlan, StoreError> {
        if query.trim().is_empty() {
            return Ok(QueryPlan::default());
        }
        Ok(domain::shopper_query::understand(query, &*self.vocabulary().await?))
    }
}
