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
