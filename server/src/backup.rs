//! `server backup DIR`: a consistent copy of the marketplace's data, taken while it serves.
//!
//! The database first (SQLite by `VACUUM INTO`, one read transaction, so the copy is the database
//! as of one instant whatever is being written; PostgreSQL by `pg_dump`, also one snapshot), then
//! the media. Photo files are written before any row names them and never changed or deleted
//! (their names are their content's hash), so every file the copied database names already
//! exists when the media are copied. The copy is laid out as a data directory: restoring is
//! starting a server with `DATA_DIR` pointing at a copy of it (SQLite), or `pg_restore` first.

use std::path::{Path, PathBuf};

use crate::AppError;
use crate::config::Config;

/// What a backup holds, printed when it is done and written beside it.
#[derive(Debug, Default, serde::Serialize)]
pub struct Manifest {
    pub taken_at: String,
    pub database: String,
    pub media_files: usize,
    pub media_bytes: u64,
}

fn err(message: String) -> AppError {
    AppError::Io(std::io::Error::other(message))
}

pub async fn backup(config: &Config, dir: &Path) -> Result<Manifest, AppError> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(err(format!("{} is not empty: back up into a new directory", dir.display())));
    }
    // Accounts and sessions are inside: the copy is for the server's user only, like the original.
    security::files::private_dir(dir)?;
    let url = &config.store.database_url;
    let taken_at = chrono::Utc::now().to_rfc3339();
    let database = if url.starts_with("sqlite") {
        let target = dir.join("ocop.db");
        let db = sea_orm::Database::connect(url.as_str()).await.map_err(store::StoreError::from)?;
        let quoted = target.to_str().ok_or_else(|| err("the backup path is not UTF-8".into()))?.replace('\'', "''");
        sea_orm::ConnectionTrait::execute_unprepared(&db, &format!("VACUUM INTO '{quoted}'"))
            .await
            .map_err(store::StoreError::from)?;
        db.close().await.map_err(store::StoreError::from)?;
        security::files::private_file(&target)?;
        "ocop.db".to_string()
    } else {
        let target = dir.join("ocop.pgdump");
        let status = tokio::process::Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(&target)
            .arg(url)
            .status()
            .await
            .map_err(|e| err(format!("pg_dump could not be started ({e}): install the PostgreSQL client")))?;
        if !status.success() {
            return Err(err(format!("pg_dump failed ({status})")));
        }
        "ocop.pgdump".to_string()
    };
    let (media_files, media_bytes) = copy_tree(&config.data_dir.join("media"), &dir.join("media"))?;
    let key = config.data_dir.join("secret.key");
    if key.exists() {
        std::fs::copy(&key, dir.join("secret.key"))?;
    }
    let manifest = Manifest { taken_at, database, media_files, media_bytes };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| err(e.to_string()))?;
    std::fs::write(dir.join("backup.json"), text)?;
    Ok(manifest)
}

/// Copies files under `from` (missing: nothing to copy) into `to`; returns files and bytes.
fn copy_tree(from: &Path, to: &Path) -> Result<(usize, u64), AppError> {
    let mut stack: Vec<(PathBuf, PathBuf)> = vec![(from.to_path_buf(), to.to_path_buf())];
    let (mut files, mut bytes) = (0, 0);
    while let Some((src, dst)) = stack.pop() {
        let entries = match std::fs::read_dir(&src) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        std::fs::create_dir_all(&dst)?;
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            let name = entry.file_name();
            // Files being written (`.…tmp`, or object_store's `name#n`) are renamed into place when
            // whole: not yet media.
            let text = name.to_string_lossy();
            if text.starts_with('.') || text.contains('#') {
                continue;
            }
            if kind.is_dir() {
                stack.push((entry.path(), dst.join(&name)));
            } else if kind.is_file() {
                bytes += std::fs::copy(entry.path(), dst.join(&name))?;
                files += 1;
            }
        }
    }
    Ok((files, bytes))
}
