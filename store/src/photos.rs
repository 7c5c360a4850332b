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
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (w, h): (i32, i32) = (r.try_get("", "width")?, r.try_get("", "height")?);
        let mut files = vec![(320u32.min(w as u32), r.try_get::<String>("", "small")?)];
        if let Some(m) = r.try_get::<Option<String>>("", "medium")? {
            files.push((640u32.min(w as u32), m));
        }
        if let Some(l) = r.try_get::<Option<String>>("", "large")? {
            files.push((1280u32.min(w as u32), l));
        }
        out.push(PhotoView { files, width: w as u32, height: h as u32 });
    }
    Ok(out)
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
