//! The server's side of showroom sync: pairing a device, knowing a device by its token, storing
//! the sales it pushes exactly once, and the catalogue changes it pulls.

use chrono::{DateTime, Utc};
use domain::pos_catalog::{BankAccount, CatalogCombo, CatalogDelta, CatalogItem};
pub use domain::sale::SaleOutcome;
use domain::sale::{Sale, SaleKind, SaleProblem};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::accounts::sha256_hex;
use crate::entity::{combo, combo_item, location, product, stock_level, variant};
use crate::sql::stmt;
use crate::{Store, StoreError};

/// A paired device, as its token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub id: i64,
    pub location_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paired {
    pub token: String,
    pub device_id: i64,
    pub showroom_code: String,
    pub showroom_name: String,
}

/// Pairing attempts per source address, and per code tried: a guessing loop is slowed where it
/// runs, and one source's wrong codes never block another's right one (codes carry about 48 bits, so
/// guessing is hopeless anyway; the limit keeps a loop from hammering the database).
pub const PAIR_PER_SOURCE: crate::limits::Limit =
    crate::limits::Limit { max: 10, window: chrono::Duration::minutes(15) };
pub const PAIR_PER_CODE: crate::limits::Limit = crate::limits::Limit { max: 5, window: chrono::Duration::minutes(15) };

pub enum PairOutcome {
    Paired(Paired),
    Wrong,
    Throttled,
}

/// Exchanges a pairing code (once, before it expires) for a long-lived device token. `source` names
/// where the request came from (see `security::client`).
pub async fn pair(store: &Store, code: &str, source: &str) -> Result<PairOutcome, StoreError> {
    let now = Utc::now();
    let db = &store.db;
    let code = code.trim().to_uppercase();
    let source_key = format!("pair-source:{source}");
    if !crate::limits::allow(db, &source_key, PAIR_PER_SOURCE, now).await?
        || !crate::limits::allow(db, &format!("pair-code:{}", sha256_hex(&code)), PAIR_PER_CODE, now).await?
    {
        return Ok(PairOutcome::Throttled);
    }
    let token = crate::sql::token() + &crate::sql::token();
    let (turn, txn) = store.write_txn().await?;
    let backend = txn.get_database_backend();
    let row = txn
        .query_one_raw(stmt(
            backend,
            "SELECT d.id, d.location_id, l.code, l.name FROM pos_devices d JOIN locations l ON l.id = d.location_id \
             WHERE d.code_hash = ? AND d.code_expires_at > ? AND d.revoked_at IS NULL AND d.paired_at IS NULL",
            vec![sha256_hex(&code).into(), now.into()],
        ))
        .await?;
    let Some(row) = row else {
        txn.rollback().await?;
        drop(turn);
        return Ok(PairOutcome::Wrong);
    };
    let device_id: i64 = row.try_get("", "id")?;
    // Guarded, so two requests racing with one code pair the device once.
    let took = txn
        .execute_raw(stmt(
            backend,
            "UPDATE pos_devices SET token_hash = ?, paired_at = ?, code_hash = NULL WHERE id = ? AND paired_at IS NULL",
            vec![sha256_hex(&token).into(), now.into(), device_id.into()],
        ))
        .await?
        .rows_affected();
    if took != 1 {
        txn.rollback().await?;
        return Ok(PairOutcome::Wrong);
    }
    txn.commit().await?;
    crate::limits::clear(db, &source_key).await?;
    Ok(PairOutcome::Paired(Paired {
        token,
        device_id,
        showroom_code: row.try_get("", "code")?,
        showroom_name: row.try_get("", "name")?,
    }))
}

/// How often a till's last contact is written down: the office asks about a day's silence, and
/// writing on every request would put a disk write in front of every pull and push.
const CONTACT_EVERY: chrono::Duration = chrono::Duration::minutes(5);

/// The paired, unrevoked till holding `token`; its last contact is noted in passing.
pub async fn device(db: &impl ConnectionTrait, token: &str) -> Result<Option<Device>, StoreError> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(stmt(
            backend,
            "SELECT id, location_id, last_sync_at FROM pos_devices WHERE token_hash = ? AND revoked_at IS NULL",
            vec![sha256_hex(token).into()],
        ))
        .await?;
    let Some(r) = row else { return Ok(None) };
    let device = Device { id: r.try_get("", "id")?, location_id: r.try_get("", "location_id")? };
    let last: Option<DateTime<Utc>> = r.try_get("", "last_sync_at")?;
    let now = Utc::now();
    if last.is_none_or(|t| now - t >= CONTACT_EVERY) {
        db.execute_raw(stmt(
            backend,
            "UPDATE pos_devices SET last_sync_at = ? WHERE id = ?",
            vec![now.into(), device.id.into()],
        ))
        .await?;
    }
    Ok(Some(device))
}

fn rejected(id: &str, p: SaleProblem) -> SaleOutcome {
    SaleOutcome::Rejected { id: id.to_string(), message_vi: p.message_vi, message_en: p.message_en }
}

/// Stores each sale once, with its lines, payments and stock movements at the device's showroom. A
/// push is one transaction (one disk flush for up to 200 sales, not one each) and each sale a
/// savepoint inside it, so a sale refused half-way leaves the others stored. A sale has already
/// happened: stock may go negative, which flags the showroom for a stock-take instead of refusing it.
pub async fn record_sales(store: &Store, device: Device, sales: &[Sale]) -> Result<Vec<SaleOutcome>, StoreError> {
    let mut out = Vec::with_capacity(sales.len());
    let mut touched = Vec::new();
    let mut skus = Skus::default();
    let (turn, txn) = store.write_txn().await?;
    for sale in sales {
        if let Err(p) = sale.check() {
            out.push(rejected(&sale.id, p));
            continue;
        }
        out.push(record_one(&txn, device, sale, &mut skus, &mut touched).await?);
    }
    touched.sort_unstable();
    touched.dedup();
    // Inside the push's transaction, so a till pulling by cursor never sees a later change before an
    // earlier one commits; once per push rather than per sale.
    stamp_products(&txn, &touched, Utc::now()).await?;
    txn.commit().await?;
    drop(turn);
    if !touched.is_empty() {
        store.products_changed(&crate::orders::products_of(&store.db, touched).await?).await?;
    }
    Ok(out)
}

/// What a line's SKU is: a size, or a combo and its parts (variant, units per combo).
#[derive(Debug, Clone)]
struct Sku {
    variant_id: Option<i64>,
    combo_id: Option<i64>,
    producer: Option<i64>,
    parts: Vec<(i64, i64)>,
}

/// SKUs looked up once per push: a push of 200 sales names the same few dozen sizes again and again.
#[derive(Default)]
struct Skus(std::collections::HashMap<String, Option<Sku>>);

impl Skus {
    async fn resolve(&mut self, db: &impl ConnectionTrait, sku: &str) -> Result<Option<&Sku>, StoreError> {
        if !self.0.contains_key(sku) {
            let found = match variant::Entity::find().filter(variant::Column::Sku.eq(sku)).one(db).await? {
                Some(v) => Some(Sku {
                    variant_id: Some(v.id),
                    combo_id: None,
                    producer: product::Entity::find_by_id(v.product_id).one(db).await?.and_then(|p| p.producer_id),
                    parts: vec![(v.id, 1)],
                }),
                None => match combo::Entity::find().filter(combo::Column::Slug.eq(sku.to_lowercase())).one(db).await? {
                    Some(c) => {
                        let items =
                            combo_item::Entity::find().filter(combo_item::Column::ComboId.eq(c.id)).all(db).await?;
                        Some(Sku {
                            variant_id: None,
                            combo_id: Some(c.id),
                            producer: None,
                            parts: items.iter().map(|i| (i.variant_id, i.qty as i64)).collect(),
                        })
                    }
                    None => None,
                },
            };
            self.0.insert(sku.to_string(), found);
        }
        Ok(self.0.get(sku).and_then(Option::as_ref))
    }
}

async fn record_one(
    txn: &sea_orm::DatabaseTransaction,
    device: Device,
    sale: &Sale,
    skus: &mut Skus,
    touched_all: &mut Vec<i64>,
) -> Result<SaleOutcome, StoreError> {
    // A sale stored before is a duplicate whatever has changed in the catalogue since.
    if stored(txn, &sale.id).await? {
        return Ok(SaleOutcome::Duplicate { id: sale.id.clone() });
    }
    let sold_at =
        DateTime::parse_from_rfc3339(&sale.sold_at).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now());
    // Resolve SKUs before writing: a sale naming an unknown SKU is kept on the device with the reason.
    let mut lines = Vec::with_capacity(sale.lines.len());
    for l in &sale.lines {
        let Some(found) = skus.resolve(txn, &l.sku).await? else {
            return Ok(rejected(
                &sale.id,
                SaleProblem {
                    message_vi: format!("Không có mã {} trong danh mục.", l.sku),
                    message_en: format!("{} is not in the catalogue.", l.sku),
                },
            ));
        };
        lines.push((l, found.variant_id, found.combo_id, found.producer, found.parts.clone()));
    }
    let sign: i64 = if sale.kind == SaleKind::Refund { 1 } else { -1 };
    let sp = sea_orm::TransactionTrait::begin(txn).await?;
    if let Some(p) = refund_problem(&sp, device, sale).await? {
        sp.rollback().await?;
        return Ok(rejected(&sale.id, p));
    }
    match write_sale(&sp, device, sale, sold_at, sign, &lines).await {
        Ok(Some(touched)) => {
            sp.commit().await?;
            touched_all.extend(touched);
            Ok(SaleOutcome::Accepted { id: sale.id.clone() })
        }
        Ok(None) => {
            sp.rollback().await?;
            // Nothing inserted: stored meanwhile by another push, or its receipt number is taken.
            if stored(txn, &sale.id).await? {
                Ok(SaleOutcome::Duplicate { id: sale.id.clone() })
            } else {
                Ok(rejected(
                    &sale.id,
                    SaleProblem {
                        message_vi: "Số biên lai đã dùng cho lần bán khác.".into(),
                        message_en: "The receipt number is already used by another sale.".into(),
                    },
                ))
            }
        }
        // A line or payment id already used by another sale: this sale stays on the device with the
        // reason, and the sales after it are still stored.
        Err(StoreError::Db(e)) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            sp.rollback().await?;
            Ok(rejected(
                &sale.id,
                SaleProblem {
                    message_vi: "Mã dòng hoặc thanh toán trùng với lần bán khác.".into(),
                    message_en: "A line or payment id is already used by another sale.".into(),
                },
            ))
        }
        Err(e) => Err(e),
    }
}

/// Whether a refund fits what is left of its sale at this showroom: no more units of a SKU than sold
/// less earlier refunds, no more money than the sale took (`domain::refund::fits`). Read inside the
/// refund's transaction with the sale's row locked on PostgreSQL (SQLite has one writer), so two
/// refunds pushed at once cannot both take the last unit.
async fn refund_problem(
    txn: &impl ConnectionTrait,
    device: Device,
    refund: &Sale,
) -> Result<Option<SaleProblem>, StoreError> {
    let Some(of) = &refund.refund_of else { return Ok(None) };
    let backend = txn.get_database_backend();
    let lock = if backend == sea_orm::DatabaseBackend::Postgres { " FOR UPDATE" } else { "" };
    let unknown = || SaleProblem {
        message_vi: "Không tìm thấy lần bán gốc ở điểm bán này.".into(),
        message_en: "The original sale is not known at this showroom.".into(),
    };
    let Some(o) = txn
        .query_one_raw(stmt(
            backend,
            &format!("SELECT location_id, kind, total, discount FROM pos_sales WHERE id = ?{lock}"),
            vec![of.clone().into()],
        ))
        .await?
    else {
        return Ok(Some(unknown()));
    };
    if o.try_get::<i64>("", "location_id")? != device.location_id || o.try_get::<String>("", "kind")? != "sale" {
        return Ok(Some(unknown()));
    }
    let as_sale = |id: String, kind: SaleKind, total: i64, discount: i64, lines| Sale {
        id,
        kind,
        refund_of: None,
        receipt_no: String::new(),
        shift_id: String::new(),
        sold_at: String::new(),
        lines,
        discount,
        total,
        payments: vec![],
    };
    let original = as_sale(
        of.clone(),
        SaleKind::Sale,
        o.try_get("", "total")?,
        o.try_get("", "discount")?,
        lines_of(txn, of).await?,
    );
    let earlier = txn
        .query_all_raw(stmt(
            backend,
            "SELECT id, total, discount FROM pos_sales WHERE refund_of = ? AND id <> ?",
            vec![of.clone().into(), refund.id.clone().into()],
        ))
        .await?;
    let mut refunds = Vec::with_capacity(earlier.len());
    for r in &earlier {
        let id: String = r.try_get("", "id")?;
        let lines = lines_of(txn, &id).await?;
        refunds.push(as_sale(id, SaleKind::Refund, r.try_get("", "total")?, r.try_get("", "discount")?, lines));
    }
    Ok(domain::refund::fits(&original, &refunds, refund).err().map(|p| {
        let (message_vi, message_en) = p.message();
        SaleProblem { message_vi, message_en }
    }))
}

async fn lines_of(db: &impl ConnectionTrait, sale_id: &str) -> Result<Vec<domain::sale::SaleLine>, StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT id, sku, qty, unit_price, line_total FROM pos_sale_lines WHERE sale_id = ? ORDER BY id",
            vec![sale_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(domain::sale::SaleLine {
                id: r.try_get("", "id")?,
                sku: r.try_get("", "sku")?,
                qty: r.try_get("", "qty")?,
                unit_price: r.try_get("", "unit_price")?,
                line_total: r.try_get("", "line_total")?,
                batch: None,
                batch_assumed: false,
            })
        })
        .collect()
}

async fn stored(db: &impl ConnectionTrait, id: &str) -> Result<bool, StoreError> {
    Ok(db
        .query_one_raw(stmt(db.get_database_backend(), "SELECT 1 AS one FROM pos_sales WHERE id = ?", vec![id.into()]))
        .await?
        .is_some())
}

type Resolved<'a> = (&'a domain::sale::SaleLine, Option<i64>, Option<i64>, Option<i64>, Vec<(i64, i64)>);

/// Writes a sale with its lines, payments and stock movements; None when the sale row was not
/// inserted. Returns the variants whose stock moved.
async fn write_sale(
    txn: &impl ConnectionTrait,
    device: Device,
    sale: &Sale,
    sold_at: DateTime<Utc>,
    sign: i64,
    lines: &[Resolved<'_>],
) -> Result<Option<Vec<i64>>, StoreError> {
    let backend = txn.get_database_backend();
    let now = Utc::now();
    let inserted = txn
        .execute_raw(stmt(
            backend,
            // A refund counts in the period of the sale it refunds (stored before it: checked above).
            "INSERT INTO pos_sales (id, device_id, location_id, receipt_no, shift_id, kind, refund_of, sold_at, discount, total, flagged, received_at, counted_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT o.sold_at FROM pos_sales o WHERE o.id = ?), ?)) ON CONFLICT DO NOTHING",
            vec![
                sale.id.clone().into(),
                device.id.into(),
                device.location_id.into(),
                sale.receipt_no.clone().into(),
                sale.shift_id.clone().into(),
                if sale.kind == SaleKind::Refund { "refund" } else { "sale" }.into(),
                sale.refund_of.clone().into(),
                sold_at.into(),
                sale.discount.into(),
                sale.total.into(),
                false.into(),
                now.into(),
                sale.refund_of.clone().into(),
                sold_at.into(),
            ],
        ))
        .await?
        .rows_affected();
    if inserted == 0 {
        return Ok(None);
    }
    let mut flagged = false;
    let mut touched = Vec::new();
    let sale_day = sold_at.with_timezone(&crate::vietnam()).date_naive();
    for (l, variant_id, combo_id, producer, parts) in lines {
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO pos_sale_lines (id, sale_id, variant_id, combo_id, producer_id, sku, qty, unit_price, line_total, location_id, refund, counted_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT s.counted_at FROM pos_sales s WHERE s.id = ?))",
            vec![
                l.id.clone().into(),
                sale.id.clone().into(),
                (*variant_id).into(),
                (*combo_id).into(),
                (*producer).into(),
                l.sku.clone().into(),
                l.qty.into(),
                l.unit_price.into(),
                l.line_total.into(),
                device.location_id.into(),
                (sale.kind == SaleKind::Refund).into(),
                sale.id.clone().into(),
            ],
        ))
        .await?;
        for (vid, per) in parts {
            let delta = sign * per * l.qty as i64;
            txn.execute_raw(stmt(
                backend,
                "INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, updated_at) VALUES (?, ?, ?, 0, ?) \
                 ON CONFLICT (location_id, variant_id) DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand, \
                 updated_at = excluded.updated_at",
                vec![device.location_id.into(), (*vid).into(), delta.into(), now.into()],
            ))
            .await?;
            // The batch named on the line is the size's own; a combo's parts are assumed.
            let named = l.batch.as_deref().filter(|_| variant_id.is_some()).map(|b| (b, l.batch_assumed));
            let refund_of = sale.refund_of.as_deref().filter(|_| sign > 0);
            let units = per * l.qty as i64;
            let portions = crate::trace::takes::showroom(
                txn,
                device.location_id,
                &sale.id,
                &sale.receipt_no,
                refund_of,
                *vid,
                units,
                named,
                sold_at,
                sale_day,
            )
            .await?;
            for (batch, qty) in portions {
                txn.execute_raw(stmt(
                    backend,
                    "INSERT INTO stock_movements (location_id, variant_id, qty_delta, reason, reference, batch_id, created_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                    vec![
                        device.location_id.into(),
                        (*vid).into(),
                        (sign * qty).into(),
                        if sign < 0 { "showroom_sale" } else { "showroom_refund" }.into(),
                        sale.id.clone().into(),
                        batch.into(),
                        now.into(),
                    ],
                ))
                .await?;
            }
            // A shelf count taken after this sale (by another till, arrived first) already saw these units
            // gone: the count's level stands, and the ledger says why.
            let counted_after = txn
                .query_one_raw(stmt(
                    backend,
                    "SELECT id FROM pos_stock_events WHERE location_id = ? AND variant_id = ? AND kind = 'counted' \
                     AND at > ? ORDER BY at DESC LIMIT 1",
                    vec![device.location_id.into(), (*vid).into(), sold_at.into()],
                ))
                .await?;
            if let Some(c) = counted_after {
                let count_id: String = c.try_get("", "id")?;
                txn.execute_raw(stmt(
                    backend,
                    "UPDATE stock_levels SET on_hand = on_hand - ? WHERE location_id = ? AND variant_id = ?",
                    vec![delta.into(), device.location_id.into(), (*vid).into()],
                ))
                .await?;
                txn.execute_raw(stmt(
                    backend,
                    "INSERT INTO stock_movements (location_id, variant_id, qty_delta, reason, reference, created_at) VALUES (?, ?, ?, 'counted', ?, ?)",
                    vec![device.location_id.into(), (*vid).into(), (-delta).into(), count_id.into(), now.into()],
                ))
                .await?;
            }
            let level = stock_level::Entity::find()
                .filter(stock_level::Column::LocationId.eq(device.location_id))
                .filter(stock_level::Column::VariantId.eq(*vid))
                .one(txn)
                .await?;
            flagged |= level.is_some_and(|l| l.on_hand < 0);
            touched.push(*vid);
        }
    }
    for p in &sale.payments {
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO pos_payments (id, sale_id, method, amount, confirmed) VALUES (?, ?, ?, ?, ?)",
            vec![
                p.id.clone().into(),
                sale.id.clone().into(),
                p.method.code().into(),
                p.amount.into(),
                p.confirmed.into(),
            ],
        ))
        .await?;
    }
    if flagged {
        txn.execute_raw(stmt(
            backend,
            "UPDATE pos_sales SET flagged = ? WHERE id = ?",
            vec![true.into(), sale.id.clone().into()],
        ))
        .await?;
    }
    Ok(Some(touched))
}

/// Products changed since the cursor (all when none), with their sizes, prices and this showroom's stock.
pub async fn catalog_since(
    db: &impl ConnectionTrait,
    device: Device,
    since: Option<DateTime<Utc>>,
    bank: Option<&crate::VietQrAccount>,
) -> Result<CatalogDelta, StoreError> {
    let mut q = product::Entity::find().order_by_asc(product::Column::UpdatedAt);
    if let Some(s) = since {
        q = q.filter(product::Column::UpdatedAt.gt(s));
    }
    let products = q.all(db).await?;
    let cursor = products.iter().map(|p| p.updated_at).max().or(since).unwrap_or_else(Utc::now);
    let variants = variant::Entity::find()
        .filter(variant::Column::ProductId.is_in(products.iter().map(|p| p.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let stock: std::collections::HashMap<i64, i64> = stock_level::Entity::find()
        .filter(stock_level::Column::LocationId.eq(device.location_id))
        .filter(stock_level::Column::VariantId.is_in(variants.iter().map(|v| v.id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.variant_id, s.on_hand))
        .collect();
    let mut batches = batches_at(db, device.location_id, &variants.iter().map(|v| v.id).collect::<Vec<_>>()).await?;
    let by_id: std::collections::HashMap<i64, &product::Model> = products.iter().map(|p| (p.id, p)).collect();
    let photos = crate::photos::first_of_products(db, &products.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    let items = variants
        .iter()
        .filter_map(|v| {
            let p = by_id.get(&v.product_id)?;
            Some(CatalogItem {
                sku: v.sku.clone(),
                barcode: v.barcode.clone(),
                name_vi: p.name_vi.clone(),
                name_en: p.name_en.clone(),
                size_vi: v.size_vi.clone(),
                price_vnd: v.price_vnd,
                on_sale: v.active && p.status == "active",
                stock: stock.get(&v.id).copied().unwrap_or(0),
                photo: photos.get(&p.id).and_then(|ph| ph.files.first()).map(|(_, name)| format!("/media/{name}")),
                batches: batches.remove(&v.id).unwrap_or_default(),
            })
        })
        .collect();
    let showroom = location::Entity::find_by_id(device.location_id).one(db).await?;
    Ok(CatalogDelta {
        items,
        combos: combos(db).await?,
        cursor: cursor.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        showroom_code: showroom.as_ref().map(|l| l.code.clone()).unwrap_or_default(),
        showroom_name: showroom.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
        showroom_address: showroom.and_then(|l| l.address).unwrap_or_default(),
        bank: bank.map(|a| BankAccount {
            bank_bin: a.bank_bin.clone(),
            bank_name: a.bank_name.clone(),
            account: a.account.clone(),
            account_name: a.account_name.clone(),
        }),
    })
}

/// The batches of these sizes a till may meet, with the showroom's units of each: recalled ones, any
/// it holds, and any not yet expired (a long-expired, sold-out batch is history, not stock).
async fn batches_at(
    db: &impl ConnectionTrait,
    location_id: i64,
    variant_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<domain::pos_catalog::CatalogBatch>>, StoreError> {
    let mut out: std::collections::HashMap<i64, Vec<domain::pos_catalog::CatalogBatch>> = Default::default();
    let today = Utc::now().with_timezone(&crate::vietnam()).date_naive();
    for chunk in variant_ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut values: Vec<sea_orm::Value> = vec![location_id.into()];
        values.extend(chunk.iter().map(|v| (*v).into()));
        let rows = db
            .query_all_raw(stmt(
                db.get_database_backend(),
                &format!(
                    "SELECT b.variant_id, b.code, b.produced_on, b.expires_on, \
                       (SELECT r.reason FROM recalls r WHERE r.batch_id = b.id AND r.status = 'open' LIMIT 1) AS recall_reason, \
                       CAST(COALESCE((SELECT SUM(m.qty_delta) FROM stock_movements m WHERE m.batch_id = b.id AND m.location_id = ?), 0) AS BIGINT) AS on_hand \
                     FROM batches b WHERE b.variant_id IN ({marks}) ORDER BY b.variant_id, b.expires_on, b.id"
                ),
                values,
            ))
            .await?;
        for r in rows {
            let recall_reason: Option<String> = r.try_get("", "recall_reason")?;
            let b = domain::pos_catalog::CatalogBatch {
                code: r.try_get("", "code")?,
                produced_on: r.try_get("", "produced_on")?,
                expires_on: r.try_get("", "expires_on")?,
                on_hand: r.try_get("", "on_hand")?,
                recalled: recall_reason.is_some(),
                recall_reason,
            };
            if b.recalled || b.on_hand != 0 || b.expires_on.is_none_or(|e| e >= today) {
                out.entry(r.try_get("", "variant_id")?).or_default().push(b);
            }
        }
    }
    Ok(out)
}

/// Every combo with its components' SKUs: few enough to send whole on each pull, and a combo has no
/// change time of its own.
async fn combos(db: &impl ConnectionTrait) -> Result<Vec<CatalogCombo>, StoreError> {
    let combos = combo::Entity::find().order_by_asc(combo::Column::Id).all(db).await?;
    let items = combo_item::Entity::find().all(db).await?;
    let skus: std::collections::HashMap<i64, String> = variant::Entity::find()
        .filter(variant::Column::Id.is_in(items.iter().map(|i| i.variant_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.sku))
        .collect();
    Ok(combos
        .into_iter()
        .map(|c| CatalogCombo {
            parts: items
                .iter()
                .filter(|i| i.combo_id == c.id)
                .filter_map(|i| Some((skus.get(&i.variant_id)?.clone(), i.qty)))
                .collect(),
            slug: c.slug,
            name_vi: c.name_vi,
            name_en: c.name_en,
            price_vnd: c.price_vnd,
            on_sale: c.active,
        })
        .collect())
}

/// Stores each stock event once, in its own transaction with its movement at the device's showroom.
/// A count sets the showroom's level to what was counted; the movement records the difference.
pub async fn record_stock(
    store: &Store,
    device: Device,
    events: &[domain::sale::StockEvent],
) -> Result<Vec<SaleOutcome>, StoreError> {
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        if let Err(p) = e.check() {
            out.push(rejected(&e.id, p));
            continue;
        }
        out.push(record_stock_one(store, device, e).await?);
    }
    Ok(out)
}

async fn record_stock_one(
    store: &Store,
    device: Device,
    e: &domain::sale::StockEvent,
) -> Result<SaleOutcome, StoreError> {
    let backend = store.db.get_database_backend();
    let seen = "SELECT 1 AS one FROM pos_stock_events WHERE id = ?";
    if store.db.query_one_raw(stmt(backend, seen, vec![e.id.clone().into()])).await?.is_some() {
        return Ok(SaleOutcome::Duplicate { id: e.id.clone() });
    }
    let Some(v) = variant::Entity::find().filter(variant::Column::Sku.eq(&e.sku)).one(&store.db).await? else {
        return Ok(rejected(
            &e.id,
            SaleProblem {
                message_vi: format!("Không có mã {} trong danh mục (hộp quà được đếm theo từng món).", e.sku),
                message_en: format!("{} is not a product size (combos are counted by their parts).", e.sku),
            },
        ));
    };
    let at = DateTime::parse_from_rfc3339(&e.at).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| Utc::now());
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    let inserted = txn
        .execute_raw(stmt(
            backend,
            "INSERT INTO pos_stock_events (id, device_id, location_id, variant_id, kind, qty, delta, at, received_at) \
             VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
            vec![
                e.id.clone().into(),
                device.id.into(),
                device.location_id.into(),
                v.id.into(),
                e.kind.code().into(),
                e.qty.into(),
                at.into(),
                now.into(),
            ],
        ))
        .await?
        .rows_affected();
    if inserted == 0 {
        txn.rollback().await?;
        return Ok(SaleOutcome::Duplicate { id: e.id.clone() });
    }
    // Make sure the level row exists, then read it locked, so a sale recorded meanwhile is not lost.
    txn.execute_raw(stmt(
        backend,
        "INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, updated_at) VALUES (?, ?, 0, 0, ?) \
         ON CONFLICT (location_id, variant_id) DO NOTHING",
        vec![device.location_id.into(), v.id.into(), now.into()],
    ))
    .await?;
    let lock = if backend == sea_orm::DatabaseBackend::Postgres { " FOR UPDATE" } else { "" };
    let on_hand: i64 = txn
        .query_one_raw(stmt(
            backend,
            &format!("SELECT on_hand FROM stock_levels WHERE location_id = ? AND variant_id = ?{lock}"),
            vec![device.location_id.into(), v.id.into()],
        ))
        .await?
        .map(|r| r.try_get("", "on_hand"))
        .transpose()?
        .unwrap_or(0);
    let delta = match e.kind {
        domain::sale::StockKind::Received => e.qty,
        domain::sale::StockKind::Counted => {
            // Sales (from any till here) made after the count and recorded before it arrived moved
            // units the count never saw: the shelf holds the count plus those movements.
            let after: i64 = txn
                .query_one_raw(stmt(
                    backend,
                    "SELECT CAST(COALESCE(SUM(m.qty_delta), 0) AS BIGINT) AS moved FROM stock_movements m \
                     JOIN pos_sales s ON s.id = m.reference \
                     WHERE m.location_id = ? AND m.variant_id = ? AND m.reason IN ('showroom_sale', 'showroom_refund') \
                     AND s.sold_at > ?",
                    vec![device.location_id.into(), v.id.into(), at.into()],
                ))
                .await?
                .map(|r| r.try_get("", "moved"))
                .transpose()?
                .unwrap_or(0);
            e.qty + after - on_hand
        }
    };
    txn.execute_raw(stmt(
        backend,
        "UPDATE stock_levels SET on_hand = on_hand + ?, updated_at = ? WHERE location_id = ? AND variant_id = ?",
        vec![delta.into(), now.into(), device.location_id.into(), v.id.into()],
    ))
    .await?;
    txn.execute_raw(stmt(
        backend,
        "INSERT INTO stock_movements (location_id, variant_id, qty_delta, reason, reference, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        vec![
            device.location_id.into(),
            v.id.into(),
            delta.into(),
            if e.kind == domain::sale::StockKind::Received { "received" } else { "counted" }.into(),
            e.id.clone().into(),
            now.into(),
        ],
    ))
    .await?;
    txn.execute_raw(stmt(
        backend,
        "UPDATE pos_stock_events SET delta = ? WHERE id = ?",
        vec![delta.into(), e.id.clone().into()],
    ))
    .await?;
    stamp_products(&txn, &[v.id], now).await?;
    txn.commit().await?;
    drop(turn);
    store.products_changed(&crate::orders::products_of(&store.db, vec![v.id]).await?).await?;
    Ok(SaleOutcome::Accepted { id: e.id.clone() })
}

/// Marks the products of these variants changed inside the writing transaction, so a till pulling by
/// cursor never sees a later change before an earlier one commits (SQLite writers take turns).
pub(crate) async fn stamp_products(
    txn: &impl ConnectionTrait,
    variant_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if variant_ids.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; variant_ids.len()].join(", ");
    let mut values: Vec<sea_orm::Value> = vec![now.into()];
    values.extend(variant_ids.iter().map(|v| (*v).into()));
    txn.execute_raw(stmt(
        txn.get_database_backend(),
        &format!(
            "UPDATE products SET updated_at = ? WHERE id IN (SELECT product_id FROM variants WHERE id IN ({marks}))"
        ),
        values,
    ))
    .await?;
    Ok(())
}
