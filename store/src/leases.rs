//! Periodic jobs run once per period across replicas: a replica runs a job only after taking its
//! lease with one conditional update, and only when the job is due. The lease lapses on its own if
//! the replica dies mid-run, so the job is not lost, only late.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::StoreError;
use crate::sql::stmt;

/// This process among the replicas: host, process id and a random part (a restarted process with
/// the same pid is another holder).
pub fn holder() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        let host = host.trim();
        let host = if host.is_empty() { "host" } else { host };
        format!("{host}-{}-{}", std::process::id(), &crate::sql::token()[..6])
    })
}

/// Takes `name`'s lease until `now + lease` when the job is due and nobody holds it; true when
/// this caller is now the one to run it.
pub async fn take(
    db: &impl ConnectionTrait,
    name: &str,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let backend = db.get_database_backend();
    db.execute_raw(stmt(
        backend,
        "INSERT INTO job_leases (name, next_run_at, runs) VALUES (?, ?, 0) ON CONFLICT (name) DO NOTHING",
        vec![name.into(), now.into()],
    ))
    .await?;
    let taken = db
        .execute_raw(stmt(
            backend,
            "UPDATE job_leases SET holder = ?, lease_until = ?, started_at = ? \
             WHERE name = ? AND next_run_at <= ? AND (lease_until IS NULL OR lease_until < ?)",
            vec![holder().into(), (now + lease).into(), now.into(), name.into(), now.into(), now.into()],
        ))
        .await?;
    Ok(taken.rows_affected() == 1)
}

/// Gives the lease back after a run and sets when the job is next due.
pub async fn finish(
    db: &impl ConnectionTrait,
    name: &str,
    next_run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    db.execute_raw(stmt(
        db.get_database_backend(),
        "UPDATE job_leases SET lease_until = NULL, finished_at = ?, next_run_at = ?, runs = runs + 1 \
         WHERE name = ? AND holder = ?",
        vec![now.into(), next_run_at.into(), name.into(), holder().into()],
    ))
    .await?;
    Ok(())
}

/// One job's record, for metrics and tests.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub name: String,
    pub runs: i64,
    pub next_run_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub holder: Option<String>,
}

impl JobRecord {
    /// How far past due the job is (zero when it is not yet due): what a stuck job shows.
    pub fn lag(&self, now: DateTime<Utc>) -> Duration {
        (now - self.next_run_at).max(Duration::zero())
    }
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<JobRecord>, StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT name, CAST(runs AS BIGINT) AS runs, next_run_at, finished_at, holder FROM job_leases ORDER BY name",
            Vec::<Value>::new(),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(JobRecord {
                name: r.try_get("", "name")?,
                runs: r.try_get("", "runs")?,
                next_run_at: r.try_get("", "next_run_at")?,
                finished_at: r.try_get("", "finished_at")?,
                holder: r.try_get("", "holder")?,
            })
        })
        .collect()
}
