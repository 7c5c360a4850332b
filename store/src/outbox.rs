//! The notification outbox: rows written with the change they report, sent by a background job.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::entity::notification;
use crate::{Store, StoreError};

/// After this many failed attempts a message is marked failed and left for a person to look at.
pub const MAX_ATTEMPTS: i32 = 8;

pub async fn pending(store: &Store, limit: u64) -> Result<Vec<notification::Model>, StoreError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::Status.eq("pending"))
        .order_by_asc(notification::Column::Id)
        .limit(limit)
        .all(&store.db)
        .await?)
}

pub async fn mark_sent(store: &Store, n: notification::Model) -> Result<(), StoreError> {
    let mut am: notification::ActiveModel = n.into();
    am.status = Set("sent".into());
    am.sent_at = Set(Some(Utc::now()));
    am.update(&store.db).await?;
    Ok(())
}

pub async fn mark_failed(store: &Store, n: notification::Model, error: &str) -> Result<(), StoreError> {
    let attempts = n.attempts + 1;
    let mut am: notification::ActiveModel = n.into();
    am.attempts = Set(attempts);
    am.last_error = Set(Some(error.chars().take(500).collect()));
    if attempts >= MAX_ATTEMPTS {
        am.status = Set("failed".into());
    }
    am.update(&store.db).await?;
    Ok(())
}
