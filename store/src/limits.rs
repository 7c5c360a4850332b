//! Attempt limits kept in the database (table `login_throttle`), so they hold across restarts and
//! replicas: wrong passwords per account, pairing codes per source, sign-ups per source. An attempt
//! is counted by one atomic statement *before* the expensive or guessable work it guards, and the
//! count it returns decides: forty requests racing each other get forty different counts, so only
//! the first few ever reach the check.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::sql::stmt;

/// A kind of attempt: how many are allowed within how long.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window: Duration,
}

impl Limit {
    /// Whole minutes until a window opened now ends, for "try again in N minutes".
    pub fn minutes(self) -> i64 {
        self.window.num_minutes().max(1)
    }
}

/// Counts one attempt under `key` and returns how many the current window holds, this one included.
/// A window opens with the first attempt after the last one ended.
pub async fn take(db: &impl ConnectionTrait, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<i32, StoreError> {
    let since = now - limit.window;
    let row = db
        .query_one_raw(stmt(
            db.get_database_backend(),
            "INSERT INTO login_throttle (key, failures, window_start) VALUES (?, 1, ?) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.window_start > ? THEN login_throttle.failures + 1 ELSE 1 END, \
               window_start = CASE WHEN login_throttle.window_start > ? THEN login_throttle.window_start ELSE ? END \
             RETURNING failures",
            vec![key.into(), now.into(), since.into(), since.into(), now.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i32>("", "failures")).transpose()?.unwrap_or(1))
}

/// Counts one attempt; whether it is still within the limit.
pub async fn allow(db: &impl ConnectionTrait, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(take(db, key, limit, now).await? <= limit.max)
}

/// Forgets the attempts under `key` (a right password).
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), StoreError> {
    db.execute_raw(stmt(db.get_database_backend(), "DELETE FROM login_throttle WHERE key = ?", vec![key.into()]))
        .await?;
    Ok(())
}

/// Takes back one counted attempt that was never checked (the server was too busy to check it).
pub async fn give_back(db: &impl ConnectionTrait, key: &str) -> Result<(), StoreError> {
    db.execute_raw(stmt(
        db.get_database_backend(),
        "UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0",
        vec![key.into()],
    ))
    .await?;
    Ok(())
}

/// Attempt windows that ended long ago (any kind's window is at most `keep`): counting them is done.
pub async fn forget_older_than(
    db: &impl ConnectionTrait,
    keep: Duration,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let res = db
        .execute_raw(stmt(
            db.get_database_backend(),
            "DELETE FROM login_throttle WHERE window_start < ?",
            vec![(now - keep).into()],
        ))
        .await?;
    Ok(res.rows_affected())
}
