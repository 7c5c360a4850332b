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
        v.add(crate::catalog::category_en(category), Source::Name);
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
    /// The catalogue's vocabulary, built once per catalogue change.
    pub async fn vocabulary(&self) -> Result<Arc<Vocabulary>, StoreError> {
        self.content_version();
        let generation = {
            let cache = self.read_cache();
            if let Some(v) = &cache.vocabulary {
                return Ok(v.clone());
            }
            cache.generation
        };
        // A burst of searches after an edit builds it once, not once each.
        let _one_at_a_time = self.vocabulary_lock.lock().await;
        if let Some(v) = &self.read_cache().vocabulary {
            return Ok(v.clone());
        }
        let vocabulary = Arc::new(load(&self.db).await?);
        let mut cache = self.write_cache();
        if cache.generation == generation {
            cache.vocabulary = Some(vocabulary.clone());
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
