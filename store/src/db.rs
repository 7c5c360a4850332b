//! Connecting to SQLite or PostgreSQL by URL, and bringing the schema up to date.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::StoreError;

pub async fn connect(url: &str) -> Result<DatabaseConnection, StoreError> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()) {
            security::files::private_dir(dir)?;
        }
        if !file.is_empty() && file != ":memory:" {
            // Accounts, addresses and sessions: readable by the server's own user only.
            security::files::private_file(std::path::Path::new(file))?;
        }
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // Connections opened for a burst close 10-20 s after it (sqlx reaps every idle timeout),
        // with their caches (SQLite keeps up to 2 MiB of pages and its prepared statements per
        // connection); sqlx's default kept them ten minutes, 30 s still held 3-4 MiB a minute
        // after a sign-in storm. Steady traffic keeps reusing the open ones.
        .idle_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // WAL lets readers run beside the one writer; NORMAL sync is safe with WAL and much faster.
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .create_if_missing(true)
        });
    let db = Database::connect(opts).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Replicas starting together on one PostgreSQL database take turns at setting it up (migrations,
/// the first seed): the first holds this session lock while the others wait for it, then find
/// the work done. SQLite has one process per file and needs none.
pub struct SetupTurn(Option<DatabaseConnection>);

/// Any fixed number, the same in every replica.
const SETUP_LOCK: i64 = 0x0C0F_5E7F;

impl SetupTurn {
    pub async fn take(url: &str) -> Result<Self, StoreError> {
        if !url.starts_with("postgres") {
            return Ok(SetupTurn(None));
        }
        // One connection, so that the session holding the lock is the one that releases it.
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(1).min_connections(1).sqlx_logging(false);
        let conn = Database::connect(opts).await?;
        sea_orm::ConnectionTrait::execute_unprepared(&conn, &format!("SELECT pg_advisory_lock({SETUP_LOCK})")).await?;
        Ok(SetupTurn(Some(conn)))
    }

    pub async fn release(self) -> Result<(), StoreError> {
        if let Some(conn) = self.0 {
            sea_orm::ConnectionTrait::execute_unprepared(&conn, &format!("SELECT pg_advisory_unlock({SETUP_LOCK})"))
                .await?;
            conn.close().await?;
        }
        Ok(())
    }
}
