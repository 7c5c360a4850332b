//! The notification outbox: rows written with the change they report, sent by a background job.
//!
//! Several replicas may deliver at once: each claims a message just before sending it (a lease in
//! `claimed_until`, taken by one conditional update; `FOR UPDATE SKIP LOCKED` on PostgreSQL so
//! replicas pass over each other's rows instead of waiting on them). One at a time, so a replica
//! killed mid-send holds back only the message it was sending, until the lease lapses: a message
//! is sent at least once, and exactly once unless the process dies between the mail server's
//! answer and the mark.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};

use crate::entity::notification;
use crate::sql::stmt;
use crate::{Store, StoreError};

/// After this many failed attempts a message is marked failed and left for a person to look at.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a claim holds: past the mail client's own timeout for one message (10 s).
pub const CLAIM: chrono::Duration = chrono::Duration::seconds(30);

/// Takes up to `limit` pending messages that nobody holds, for this caller alone until `now + CLAIM`.
pub async fn claim(store: &Store, limit: u64, now: DateTime<Utc>) -> Result<Vec<notification::Model>, StoreError> {
    let backend = store.db.get_database_backend();
    let lock = if backend == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE notifications SET claimed_until = ? WHERE id IN (\
           SELECT id FROM notifications WHERE status = 'pending' \
           AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT {limit}{lock}) \
         RETURNING *"
    );
    // On SQLite the single writer makes the update itself the claim.
    let rows = store.db.query_all_raw(stmt(backend, &sql, vec![(now + CLAIM).into(), now.into()])).await?;
    let mut claimed =
        rows.iter().map(|r| notification::Model::from_query_result(r, "")).collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|n| n.id);
    Ok(claimed)
}

/// How many messages wait to be sent (the backlog the metrics report).
pub async fn backlog(db: &impl ConnectionTrait) -> Result<i64, StoreError> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM notifications WHERE status = 'pending'";
    let row = db.query_one_raw(stmt(db.get_database_backend(), sql, vec![])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

pub async fn mark_sent(store: &Store, n: &notification::Model, now: DateTime<Utc>) -> Result<(), StoreError> {
    let backend = store.db.get_database_backend();
    store
        .db
        .execute_raw(stmt(
            backend,
            "UPDATE notifications SET status = 'sent', sent_at = ?, claimed_until = NULL WHERE id = ?",
            vec![now.into(), n.id.into()],
        ))
        .await?;
    Ok(())
}

/// Records a failed attempt; the message is held back a minute per attempt so far before the next.
pub async fn mark_failed(
    store: &Store,
    n: &notification::Model,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let backend = store.db.get_database_backend();
    let attempts = n.attempts + 1;
    let status = if attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
    let error: String = error.chars().take(500).collect();
    let retry_from = now + chrono::Duration::minutes(attempts as i64);
    store
        .db
        .execute_raw(stmt(
            backend,
            "UPDATE notifications SET attempts = ?, last_error = ?, status = ?, claimed_until = ? WHERE id = ?",
            vec![attempts.into(), error.into(), status.into(), retry_from.into(), n.id.into()],
        ))
        .await?;
    Ok(())
}
