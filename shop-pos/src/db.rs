//! The till's own SQLite file: its catalogue copy, staff, shifts, sales and the outbox that feeds
//! them to the marketplace. Everything a sale needs is here, so a closed tab or a reboot loses nothing.

use std::path::Path;

use crate::PosError;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value};

pub fn stmt(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)
}

pub async fn open(dir: &Path) -> Result<DatabaseConnection, PosError> {
    // Staff PIN hashes, the device token, every sale: for the till's own user only.
    security::files::private_dir(dir)?;
    security::files::private_file(&dir.join("pos.db"))?;
    let url = format!("sqlite://{}?mode=rwc", dir.join("pos.db").display());
    let mut opts = ConnectOptions::new(url);
    // One writer at a time is SQLite's rule; a small pool and a busy timeout let the sync task and a
    // sale take turns instead of failing.
    opts.max_connections(4).min_connections(1).sqlx_logging(false).map_sqlx_sqlite_opts(|o| {
        o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
            .busy_timeout(std::time::Duration::from_secs(10))
    });
    let db = Database::connect(opts).await?;
    crate::migrations::upgrade(&db).await?;
    Ok(db)
}

pub async fn setting(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, PosError> {
    let row = db.query_one_raw(stmt("SELECT value FROM settings WHERE key = ?", vec![key.into()])).await?;
    Ok(match row {
        Some(r) => Some(r.try_get("", "value")?),
        None => None,
    })
}

pub async fn set_setting(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), PosError> {
    db.execute_raw(stmt(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        vec![key.into(), value.into()],
    ))
    .await?;
    Ok(())
}

/// A write transaction that takes SQLite's write lock at BEGIN: the sync task's writes then wait for
/// a sale (busy timeout) instead of invalidating its snapshot half-way, which would fail the sale.
pub async fn write_txn(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, PosError> {
    let options = sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    Ok(sea_orm::TransactionTrait::begin_with_options(db, options).await?)
}
