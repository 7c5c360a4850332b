//! Product photo records; the files themselves live under the media directory, named by content.

use chrono::Utc;
use domain::listing::PhotoView;
use sea_orm::ConnectionTrait;

use crate::sql::stmt;
use crate::{Store, StoreError};

pub async fn of_product(db: &impl ConnectionTrait, product_id: i64) -> Result<Vec<PhotoView>, StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT small, medium, large, width, height FROM product_photos WHERE product_id = ? ORDER BY position, id",
            vec![product_id.into()],
        ))
        .await?;
    rows.iter().map(photo_view).collect()
}

/// The first photo of each of `ids` that has one, for product cards: one query for a whole page.
pub async fn first_of_products(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, PhotoView>, StoreError> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            &format!(
                "SELECT product_id, small, medium, large, width, height FROM product_photos \
                 WHERE product_id IN ({marks}) ORDER BY product_id, position, id"
            ),
            ids.iter().map(|&id| id.into()).collect(),
        ))
        .await?;
    for r in &rows {
        let id: i64 = r.try_get("", "product_id")?;
        if let std::collections::hash_map::Entry::Vacant(e) = out.entry(id) {
            e.insert(photo_view(r)?);
        }
    }
    Ok(out)
}

fn photo_view(r: &sea_orm::QueryResult) -> Result<PhotoView, StoreError> {
    let (w, h): (i32, i32) = (r.try_get("", "width")?, r.try_get("", "height")?);
    let mut files = vec![(320u32.min(w as u32), r.try_get::<String>("", "small")?)];
    if let Some(m) = r.try_get::<Option<String>>("", "medium")? {
        files.push((640u32.min(w as u32), m));
    }
    if let Some(l) = r.try_get::<Option<String>>("", "large")? {
        files.push((1280u32.min(w as u32), l));
    }
    Ok(PhotoView { files, width: w as u32, height: h as u32 })
}

/// Records a processed photo at the end of the product's gallery; pages showing it are refreshed.
pub async fn add(
    store: &Store,
    product_id: i64,
    names: &[String],
    width: u32,
    height: u32,
    by: i64,
) -> Result<(), StoreError> {
    let db = &store.db;
    db.execute_raw(stmt(
        db.get_database_backend(),
        "INSERT INTO product_photos (product_id, position, small, medium, large, width, height, uploaded_by, created_at) \
         VALUES (?, (SELECT COUNT(*) FROM product_photos WHERE product_id = ?), ?, ?, ?, ?, ?, ?, ?)",
        vec![
            product_id.into(),
            product_id.into(),
            names.first().cloned().unwrap_or_default().into(),
            names.get(1).cloned().into(),
            names.get(2).cloned().into(),
            (width as i32).into(),
            (height as i32).into(),
            by.into(),
            Utc::now().into(),
        ],
    ))
    .await?;
    store.products_changed(&[product_id]).await
}

/// A photo waiting for the worker.
#[derive(Debug, Clone)]
pub struct PhotoJob {
    pub id: i64,
    /// `product` or `combo`.
    pub target: String,
    pub target_id: i64,
    pub user_id: i64,
    /// The original's file name under the media directory's `incoming/`.
    pub file: String,
}

/// Queues an uploaded original (already written under `incoming/`) for the worker.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    target: &str,
    target_id: i64,
    user_id: i64,
    file: &str,
) -> Result<(), StoreError> {
    db.execute_raw(stmt(
        db.get_database_backend(),
        "INSERT INTO photo_jobs (target, target_id, user_id, file, status, created_at) VALUES (?, ?, ?, ?, 'queued', ?)",
        vec![target.into(), target_id.into(), user_id.into(), file.into(), Utc::now().into()],
    ))
    .await?;
    Ok(())
}

/// Takes the oldest queued job; a job another worker (replica) took first is skipped. A job left
/// "working" for ten minutes (its worker died with the process) is queued again first.
pub async fn claim_next(db: &impl ConnectionTrait) -> Result<Option<PhotoJob>, StoreError> {
    let backend = db.get_database_backend();
    db.execute_raw(stmt(
        backend,
        "UPDATE photo_jobs SET status = 'queued' WHERE status = 'working' AND started_at < ?",
        vec![(Utc::now() - chrono::Duration::minutes(10)).into()],
    ))
    .await?;
    loop {
        let Some(r) = db
            .query_one_raw(stmt(
                backend,
                "SELECT id, target, target_id, user_id, file FROM photo_jobs WHERE status = 'queued' ORDER BY id LIMIT 1",
                vec![],
            ))
            .await?
        else {
            return Ok(None);
        };
        let job = PhotoJob {
            id: r.try_get("", "id")?,
            target: r.try_get("", "target")?,
            target_id: r.try_get("", "target_id")?,
            user_id: r.try_get("", "user_id")?,
            file: r.try_get("", "file")?,
        };
        let took = db
            .execute_raw(stmt(
                backend,
                "UPDATE photo_jobs SET status = 'working', started_at = ? WHERE id = ? AND status = 'queued'",
                vec![Utc::now().into(), job.id.into()],
            ))
            .await?
            .rows_affected();
        if took == 1 {
            return Ok(Some(job));
        }
    }
}

pub async fn finish(db: &impl ConnectionTrait, id: i64, failure: Option<&str>) -> Result<(), StoreError> {
    db.execute_raw(stmt(
        db.get_database_backend(),
        "UPDATE photo_jobs SET status = ?, message = ?, finished_at = ? WHERE id = ?",
        vec![
            if failure.is_some() { "failed" } else { "done" }.into(),
            failure.map(String::from).into(),
            Utc::now().into(),
            id.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Photos of a product or combo still being made, and the reasons of those that failed in the last day.
pub async fn pending(
    db: &impl ConnectionTrait,
    target: &str,
    target_id: i64,
) -> Result<(usize, Vec<String>), StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT status, message FROM photo_jobs WHERE target = ? AND target_id = ? AND (status IN ('queued', 'working') \
             OR (status = 'failed' AND created_at > ?)) ORDER BY id",
            vec![target.into(), target_id.into(), (Utc::now() - chrono::Duration::days(1)).into()],
        ))
        .await?;
    let mut waiting = 0;
    let mut failed = Vec::new();
    for r in rows {
        match r.try_get::<String>("", "status")?.as_str() {
            "failed" => failed.push(r.try_get::<Option<String>>("", "message")?.unwrap_or_default()),
            _ => waiting += 1,
        }
    }
    Ok((waiting, failed))
}
