//! A producer's product CSV: export, and import checked whole before anything is written. One row
//! per size (variant); rows sharing a `product_slug` are one product. A file with any bad row is
//! refused with every row's problem listed; a good file is applied in one transaction in the
//! background, its progress readable while it runs, so nothing is ever half-imported.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use domain::account::Account;
use domain::listing_edit::{ProductForm, ProductInput, VariantForm, VariantInput};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::{product, variant};
use crate::listings::{insert_product, may_act_for, update_product_in, upsert_variant_in};
use crate::sql::stmt;
use crate::statement::RowError;
use crate::{Store, StoreError};

pub use domain::listing_edit::CSV_COLUMNS as COLUMNS;

/// At most this many rows in one file: a province's producer has tens; a national one, hundreds.
pub const MAX_ROWS: usize = 5_000;

/// The producer's products, one row per size (see `export::csv_file`).
pub async fn export(db: &impl ConnectionTrait, producer_id: i64) -> Result<String, StoreError> {
    let products = product::Entity::find()
        .filter(product::Column::ProducerId.eq(producer_id))
        .order_by_asc(product::Column::Slug)
        .all(db)
        .await?;
    let variants = variant::Entity::find()
        .filter(variant::Column::ProductId.is_in(products.iter().map(|p| p.id).collect::<Vec<_>>()))
        .order_by_asc(variant::Column::Position)
        .order_by_asc(variant::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for p in &products {
        for v in variants.iter().filter(|v| v.product_id == p.id) {
            rows.push(vec![
                p.slug.clone(),
                p.name_vi.clone(),
                p.name_en.clone(),
                p.ocop_group.clone(),
                p.category.clone(),
                p.description_vi.clone(),
                p.description_en.clone(),
                p.status.clone(),
                v.sku.clone(),
                v.barcode.clone().unwrap_or_default(),
                v.size_vi.clone(),
                v.size_en.clone(),
                v.price_vnd.to_string(),
                if v.active { "1" } else { "0" }.to_string(),
                p.tax_kind.clone().unwrap_or_default(),
            ]);
        }
    }
    let headers: Vec<&str> = COLUMNS.iter().chain(domain::listing_edit::CSV_OPTIONAL.iter()).copied().collect();
    let bytes = crate::export::csv_file(&headers, rows)?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// A checked row, ready to write.
#[derive(Debug, Clone)]
pub struct PlannedRow {
    pub line: usize,
    pub slug: String,
    pub product: ProductInput,
    pub variant: VariantInput,
    /// The file has no `tax_kind` column: an existing product keeps its own.
    pub keep_tax_kind: bool,
}

fn row_err(line: usize, vi: impl Into<String>, en: impl Into<String>) -> RowError {
    RowError { line, message_vi: vi.into(), message_en: en.into() }
}

fn slug_ok(s: &str) -> bool {
    (3..=80).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Reads and checks the whole file against the database; nothing is written.
pub async fn check(
    db: &impl ConnectionTrait,
    producer_id: i64,
    text: &str,
) -> Result<Result<Vec<PlannedRow>, Vec<RowError>>, StoreError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => {
            return Ok(Err(vec![row_err(1, "Không đọc được dòng tiêu đề.", "The header row could not be read.")]));
        }
    };
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !headers.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Ok(Err(vec![row_err(
            1,
            format!("Thiếu cột: {}.", missing.join(", ")),
            format!("Missing columns: {}.", missing.join(", ")),
        )]));
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let keep_tax_kind = col("tax_kind").is_none();
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(row_err(
                line,
                format!("Tối đa {MAX_ROWS} dòng mỗi tệp."),
                format!("At most {MAX_ROWS} rows per file."),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                errors.push(row_err(
                    line,
                    "Dòng không đọc được (dấu ngoặc kép?).",
                    "The row could not be read (quotes?).",
                ));
                continue;
            }
        };
        // A file exported here carries text cells defused against formulas: read them as typed.
        let get =
            |name: &str| domain::spreadsheet::restore(col(name).and_then(|c| record.get(c)).unwrap_or("")).to_string();
        let slug = get("product_slug");
        if !slug_ok(&slug) {
            errors.push(row_err(
                line,
                "product_slug: 3–80 chữ thường không dấu, số và “-”.",
                "product_slug: 3-80 lowercase letters, digits and “-”.",
            ));
        }
        let product = ProductForm {
            name_vi: get("name_vi"),
            name_en: get("name_en"),
            description_vi: get("description_vi"),
            description_en: get("description_en"),
            group: get("group"),
            category: get("category"),
            status: get("status"),
            tax_kind: get("tax_kind"),
        }
        .parse();
        let active = get("active");
        let variant = VariantForm {
            sku: get("sku"),
            barcode: get("barcode"),
            size_vi: get("size_vi"),
            size_en: get("size_en"),
            price: get("price_vnd"),
            active: (!matches!(active.as_str(), "0" | "false" | "no" | "không")).then(|| active.clone()),
        }
        .parse();
        match (product, variant) {
            (Ok(product), Ok(variant)) if slug_ok(&slug) => {
                rows.push(PlannedRow { line, slug, product, variant, keep_tax_kind })
            }
            (p, v) => {
                for e in p.err().unwrap_or_default().into_iter().chain(v.err().unwrap_or_default()) {
                    errors.push(row_err(
                        line,
                        format!("{}: {}", e.field, e.message_vi),
                        format!("{}: {}", e.field, e.message_en),
                    ));
                }
            }
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(row_err(1, "Tệp không có dòng sản phẩm nào.", "The file has no product rows."));
    }
    // Against each other and the database: slugs of other producers, SKUs and barcodes in use elsewhere.
    let mut skus = HashSet::new();
    let mut barcodes = HashSet::new();
    let mut slug_owner: HashMap<String, Option<i64>> = HashMap::new();
    for r in &rows {
        if !skus.insert(r.variant.sku.clone()) {
            errors.push(row_err(
                r.line,
                format!("SKU {} lặp lại trong tệp.", r.variant.sku),
                format!("SKU {} appears twice in the file.", r.variant.sku),
            ));
        }
        if let Some(b) = &r.variant.barcode
            && !barcodes.insert(b.clone())
        {
            errors.push(row_err(
                r.line,
                format!("Mã vạch {b} lặp lại trong tệp."),
                format!("Barcode {b} appears twice in the file."),
            ));
        }
        if !slug_owner.contains_key(&r.slug) {
            let p = product::Entity::find().filter(product::Column::Slug.eq(&r.slug)).one(db).await?;
            slug_owner.insert(r.slug.clone(), p.map(|p| p.producer_id.unwrap_or(-1)));
        }
        if slug_owner[&r.slug].is_some_and(|owner| owner != producer_id) {
            errors.push(row_err(
                r.line,
                format!("{}: sản phẩm của chủ thể khác.", r.slug),
                format!("{}: another producer's product.", r.slug),
            ));
            continue;
        }
        if let Some(v) = variant::Entity::find().filter(variant::Column::Sku.eq(&r.variant.sku)).one(db).await? {
            let of = product::Entity::find_by_id(v.product_id).one(db).await?;
            if of.is_none_or(|p| p.slug != r.slug) {
                errors.push(row_err(
                    r.line,
                    format!("SKU {} đã thuộc sản phẩm khác.", r.variant.sku),
                    format!("SKU {} belongs to another product.", r.variant.sku),
                ));
            }
        }
        if let Some(b) = &r.variant.barcode
            && let Some(v) = variant::Entity::find().filter(variant::Column::Barcode.eq(b)).one(db).await?
            && v.sku != r.variant.sku
        {
            errors.push(row_err(
                r.line,
                format!("Mã vạch {b} đã thuộc {}.", v.sku),
                format!("Barcode {b} belongs to {}.", v.sku),
            ));
        }
    }
    errors.sort_by_key(|e| e.line);
    Ok(if errors.is_empty() { Ok(rows) } else { Err(errors) })
}

pub use domain::portal::ImportView;

/// How long a running import is believed alive. A whole file of `MAX_ROWS` rows is applied in
/// seconds; an import still "running" past its lease lost its process and is reported interrupted.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(10);

fn interrupted() -> Vec<RowError> {
    vec![row_err(
        0,
        "Việc nhập bị gián đoạn (máy chủ khởi động lại); không có gì được ghi. Vui lòng tải tệp lên lại.",
        "The import was interrupted (the server restarted); nothing was written. Please upload the file again.",
    )]
}

/// Marks as failed the imports whose process is gone: those past their lease, or, with `all_running`,
/// every running one (at start on SQLite, where no other process can be running one). Their rows
/// were never committed. Imports this process is running are left alone. Returns how many.
pub async fn reap(store: &Store, all_running: bool) -> Result<u64, StoreError> {
    let db = &store.db;
    let now = Utc::now();
    let live: Vec<i64> = store.imports_running.lock().expect("progress lock").keys().copied().collect();
    let mut sql = String::from(
        "UPDATE imports SET status = 'failed', done_rows = 0, report = ?, finished_at = ? WHERE status = 'running'",
    );
    let mut values: Vec<sea_orm::Value> =
        vec![serde_json::to_string(&interrupted()).unwrap_or_default().into(), now.into()];
    if !all_running {
        sql.push_str(" AND (lease_until IS NULL OR lease_until < ?)");
        values.push(now.into());
    }
    for id in live {
        sql.push_str(" AND id <> ?");
        values.push(id.into());
    }
    Ok(db.execute_raw(stmt(db.get_database_backend(), &sql, values)).await?.rows_affected())
}

/// Records the import and applies it in the background; returns its id for the progress page.
pub async fn start(store: &Store, actor: &Account, producer_id: i64, rows: Vec<PlannedRow>) -> Result<i64, StoreError> {
    let db = &store.db;
    let now = Utc::now();
    let row = db
        .query_one_raw(stmt(
            db.get_database_backend(),
            "INSERT INTO imports (producer_id, user_id, status, total_rows, done_rows, created_at, lease_until) \
             VALUES (?, ?, 'running', ?, 0, ?, ?) RETURNING id",
            vec![producer_id.into(), actor.id.into(), (rows.len() as i32).into(), now.into(), (now + LEASE).into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Seed("import id".into()))?;
    let id: i64 = row.try_get("", "id")?;
    let running = Running::new(store, id);
    let (store, actor) = (store.clone(), actor.clone());
    tokio::spawn(async move {
        let outcome = apply(&store, &actor, producer_id, id, &rows).await;
        // Whatever happened (a panic included), this process no longer holds the import.
        drop(running);
        let (status, done, report) = match outcome {
            // Marked done in the transaction that wrote the rows.
            Ok(Ok(_)) => return,
            Ok(Err(report)) => ("failed", 0, report),
            Err(e) => {
                tracing::error!(error = %e, import = id, "product import failed");
                (
                    "failed",
                    0,
                    vec![row_err(0, "Lỗi máy chủ; không có gì được ghi.", "Server error; nothing was written.")],
                )
            }
        };
        let report = serde_json::to_string(&report).unwrap_or_default();
        let db = &store.db;
        let finished = db
            .execute_raw(stmt(
                db.get_database_backend(),
                "UPDATE imports SET status = ?, done_rows = ?, report = ?, finished_at = ? WHERE id = ? AND status = 'running'",
                vec![status.into(), done.into(), report.into(), Utc::now().into(), id.into()],
            ))
            .await;
        if let Err(e) = finished {
            tracing::error!(error = %e, import = id, "could not record the import's end");
        }
    });
    Ok(id)
}

/// An import this process is running: listed for its progress page and kept from the reaper while
/// it lives; on PostgreSQL (other replicas reap too) its lease is renewed. Dropped when the import
/// ends however it ends, a panic included.
struct Running {
    store: Store,
    id: i64,
    renewal: Option<tokio::task::JoinHandle<()>>,
}

impl Running {
    fn new(store: &Store, id: i64) -> Running {
        store.imports_running.lock().expect("progress lock").insert(id, 0);
        // On SQLite no other process can reap it, and a renewal would only wait for the import's
        // own write lock.
        let renewal = (!store.is_sqlite()).then(|| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval((LEASE / 3).to_std().unwrap_or_default());
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let db = &store.db;
                    let renewed = db
                        .execute_raw(stmt(
                            db.get_database_backend(),
                            "UPDATE imports SET lease_until = ? WHERE id = ? AND status = 'running'",
                            vec![(Utc::now() + LEASE).into(), id.into()],
                        ))
                        .await;
                    if let Err(e) = renewed {
                        tracing::warn!(error = %e, import = id, "renewing an import's lease failed; will retry");
                    }
                }
            })
        });
        Running { store: store.clone(), id, renewal }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(r) = self.renewal.take() {
            r.abort();
        }
        if let Ok(mut running) = self.store.imports_running.lock() {
            running.remove(&self.id);
        }
    }
}

async fn apply(
    store: &Store,
    actor: &Account,
    producer_id: i64,
    import_id: i64,
    rows: &[PlannedRow],
) -> Result<Result<usize, Vec<RowError>>, StoreError> {
    let (turn, txn) = store.write_txn().await?;
    let mut products: HashMap<String, product::Model> = HashMap::new();
    let mut changed = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        let p = match products.get(&r.slug) {
            Some(p) => p.clone(),
            None => {
                let existing = product::Entity::find().filter(product::Column::Slug.eq(&r.slug)).one(&txn).await?;
                let p = match existing {
                    // Checked before, but the file was read a moment ago: ownership is checked again here.
                    Some(p) if !may_act_for(actor, p.producer_id) || p.producer_id != Some(producer_id) => {
                        txn.rollback().await?;
                        return Ok(Err(vec![row_err(
                            r.line,
                            "Sản phẩm của chủ thể khác.",
                            "Another producer's product.",
                        )]));
                    }
                    Some(p) => {
                        let mut input = r.product.clone();
                        if r.keep_tax_kind {
                            input.tax_kind = p.tax_kind.as_deref().and_then(domain::tax::TaxKind::parse);
                        }
                        update_product_in(&txn, actor, p.clone(), &input).await?;
                        p
                    }
                    None => insert_product(&txn, actor, producer_id, Some(r.slug.clone()), &r.product).await?,
                };
                changed.push(p.id);
                products.insert(r.slug.clone(), p.clone());
                p
            }
        };
        let existing = variant::Entity::find().filter(variant::Column::Sku.eq(&r.variant.sku)).one(&txn).await?;
        let existing = existing.filter(|v| v.product_id == p.id);
        if let Err(refusal) = upsert_variant_in(&txn, actor, &p, existing, &r.variant, n as i32).await? {
            txn.rollback().await?;
            let msg = match refusal {
                crate::listings::Refusal::Invalid(e) => e.into_iter().next().map(|e| (e.message_vi, e.message_en)),
                _ => None,
            }
            .unwrap_or_else(|| ("Không ghi được.".into(), "Could not be written.".into()));
            return Ok(Err(vec![row_err(r.line, msg.0, msg.1)]));
        }
        store.imports_running.lock().expect("progress lock").insert(import_id, n + 1);
    }
    // The rows and the import's "done" commit together; an import declared interrupted meanwhile
    // (its lease ran out) writes nothing, so what the page says is what happened.
    let marked = txn
        .execute_raw(stmt(
            txn.get_database_backend(),
            "UPDATE imports SET status = 'done', done_rows = ?, report = ?, finished_at = ? WHERE id = ? AND status = 'running'",
            vec![(rows.len() as i32).into(), "[]".into(), Utc::now().into(), import_id.into()],
        ))
        .await?
        .rows_affected();
    if marked != 1 {
        txn.rollback().await?;
        return Ok(Err(interrupted()));
    }
    txn.commit().await?;
    drop(turn);
    store.products_changed(&changed).await?;
    store.sync_index().await?;
    Ok(Ok(rows.len()))
}

/// An import as its progress page shows it, to the producer it belongs to (or the office).
/// An import still writing, or written but not yet in search, reads as running: "done" means the
/// products can be found.
pub async fn view(store: &Store, actor: &Account, id: i64) -> Result<Option<ImportView>, StoreError> {
    let db = &store.db;
    let Some(r) = db
        .query_one_raw(stmt(
            db.get_database_backend(),
            "SELECT producer_id, status, total_rows, done_rows, report FROM imports WHERE id = ?",
            vec![id.into()],
        ))
        .await?
    else {
        return Ok(None);
    };
    if !may_act_for(actor, Some(r.try_get::<i64>("", "producer_id")?)) {
        return Ok(None);
    }
    let live = store.imports_running.lock().expect("progress lock").get(&id).copied();
    let status: String = if live.is_some() { "running".into() } else { r.try_get("", "status")? };
    let report: Option<String> = r.try_get("", "report")?;
    Ok(Some(ImportView {
        id,
        done: live.map(|n| n as i64).unwrap_or(r.try_get::<i32>("", "done_rows")? as i64),
        total: r.try_get::<i32>("", "total_rows")? as i64,
        report: report.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default(),
        status,
    }))
}
