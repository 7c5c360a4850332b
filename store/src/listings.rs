//! Producers' changes to their own listings: products, variants and stock. Ownership is decided here,
//! from the product a variant belongs to, never from an id the form carries; the office may act for
//! any producer. Every change is written with its audit entry in one transaction.

use chrono::Utc;
use domain::account::{Account, Role};
use domain::address::FieldError;
use domain::listing_edit::{ProductInput, StockReason, VariantInput, stock_delta};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr,
};
use serde_json::json;

use crate::entity::{location, product, stock_level, stock_movement, variant};
use crate::office::audit;
use crate::{Store, StoreError};

/// Why a portal change was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not this account's to change (another producer's, or not a producer at all).
    Forbidden,
    NotFound,
    Invalid(Vec<FieldError>),
}

pub type Outcome<T> = Result<Result<T, Refusal>, StoreError>;

fn field(f: &str, vi: &str, en: &str) -> Refusal {
    Refusal::Invalid(vec![FieldError { field: f.into(), message_vi: vi.into(), message_en: en.into() }])
}

/// May this account change what belongs to `producer_id`?
pub fn may_act_for(actor: &Account, producer_id: Option<i64>) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Producer => actor.producer_id.is_some() && actor.producer_id == producer_id,
        Role::Shopper | Role::Staff | Role::Commune | Role::Council => false,
    }
}

/// The product if it exists and the actor may change it.
pub async fn owned_product(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Outcome<product::Model> {
    match product::Entity::find_by_id(id).one(db).await? {
        None => Ok(Err(Refusal::NotFound)),
        Some(p) if may_act_for(actor, p.producer_id) => Ok(Ok(p)),
        Some(_) => Ok(Err(Refusal::Forbidden)),
    }
}

/// The variant and its product if the actor may change them.
pub async fn owned_variant(
    db: &impl ConnectionTrait,
    actor: &Account,
    id: i64,
) -> Outcome<(variant::Model, product::Model)> {
    let Some(v) = variant::Entity::find_by_id(id).one(db).await? else { return Ok(Err(Refusal::NotFound)) };
    Ok(owned_product(db, actor, v.product_id).await?.map(|p| (v, p)))
}

fn product_json(p: &ProductInput) -> serde_json::Value {
    json!({"name_vi": p.name_vi, "name_en": p.name_en, "group": p.group.code(), "category": p.category,
           "description_vi": p.description_vi, "description_en": p.description_en, "listed": p.listed,
           "tax_kind": p.tax_kind.map(|k| k.code())})
}

fn model_json(p: &product::Model) -> serde_json::Value {
    json!({"name_vi": p.name_vi, "name_en": p.name_en, "group": p.ocop_group, "category": p.category,
           "description_vi": p.description_vi, "description_en": p.description_en, "listed": p.status == "active",
           "tax_kind": p.tax_kind})
}

/// Inserts a product for `producer_id` inside `txn`; the caller has checked the actor may.
pub(crate) async fn insert_product(
    txn: &DatabaseTransaction,
    actor: &Account,
    producer_id: i64,
    slug: Option<String>,
    input: &ProductInput,
) -> Result<product::Model, StoreError> {
    let now = Utc::now();
    let slug = match slug {
        Some(s) => s,
        None => crate::sql::free_slug(txn, "products", &input.name_vi, "san-pham").await?,
    };
    let p = product::ActiveModel {
        slug: Set(slug),
        producer_id: Set(Some(producer_id)),
        name_vi: Set(input.name_vi.clone()),
        name_en: Set(input.name_en.clone()),
        description_vi: Set(input.description_vi.clone()),
        description_en: Set(input.description_en.clone()),
        ocop_group: Set(input.group.code().into()),
        category: Set(input.category.clone()),
        tags: Set(String::new()),
        status: Set(if input.listed { "active" } else { "hidden" }.into()),
        sample_values: Set(false),
        source_url: Set(None),
        tax_kind: Set(input.tax_kind.map(|k| k.code().to_string())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit(txn, actor, "create", "product", &p.slug, serde_json::Value::Null, product_json(input)).await?;
    Ok(p)
}

pub(crate) async fn update_product_in(
    txn: &DatabaseTransaction,
    actor: &Account,
    p: product::Model,
    input: &ProductInput,
) -> Result<(), StoreError> {
    let before = model_json(&p);
    let slug = p.slug.clone();
    let mut am: product::ActiveModel = p.into();
    am.name_vi = Set(input.name_vi.clone());
    am.name_en = Set(input.name_en.clone());
    am.description_vi = Set(input.description_vi.clone());
    am.description_en = Set(input.description_en.clone());
    am.ocop_group = Set(input.group.code().into());
    am.category = Set(input.category.clone());
    am.status = Set(if input.listed { "active" } else { "hidden" }.into());
    am.tax_kind = Set(input.tax_kind.map(|k| k.code().to_string()));
    am.updated_at = Set(Utc::now());
    am.update(txn).await?;
    audit(txn, actor, "update", "product", &slug, before, product_json(input)).await
}

/// Creates a product with its first variants for the actor's producer (or, for the office, any).
pub async fn create_product(
    store: &Store,
    actor: &Account,
    producer_id: i64,
    input: &ProductInput,
    variants: &[VariantInput],
) -> Outcome<product::Model> {
    if !may_act_for(actor, Some(producer_id)) {
        return Ok(Err(Refusal::Forbidden));
    }
    let (turn, txn) = store.write_txn().await?;
    let p = insert_product(&txn, actor, producer_id, None, input).await?;
    for (i, v) in variants.iter().enumerate() {
        if let Err(r) = upsert_variant_in(&txn, actor, &p, None, v, i as i32).await? {
            txn.rollback().await?;
            return Ok(Err(r));
        }
    }
    txn.commit().await?;
    drop(turn);
    store.products_changed(&[p.id]).await?;
    store.sync_index().await?;
    Ok(Ok(p))
}

pub async fn update_product(store: &Store, actor: &Account, id: i64, input: &ProductInput) -> Outcome<()> {
    let (turn, txn) = store.write_txn().await?;
    let p = match owned_product(&txn, actor, id).await? {
        Ok(p) => p,
        Err(r) => {
            txn.rollback().await?;
            return Ok(Err(r));
        }
    };
    update_product_in(&txn, actor, p, input).await?;
    txn.commit().await?;
    drop(turn);
    store.products_changed(&[id]).await?;
    store.sync_index().await?;
    Ok(Ok(()))
}

fn variant_json(v: &VariantInput) -> serde_json::Value {
    json!({"sku": v.sku, "barcode": v.barcode, "size_vi": v.size_vi, "size_en": v.size_en,
           "price_vnd": v.price_vnd, "active": v.active})
}

/// Adds a variant to `p` (when `existing` is None) or changes one of its variants. A SKU or barcode
/// another variant already has is a field error, checked first so PostgreSQL's transaction survives.
pub(crate) async fn upsert_variant_in(
    txn: &DatabaseTransaction,
    actor: &Account,
    p: &product::Model,
    existing: Option<variant::Model>,
    v: &VariantInput,
    position: i32,
) -> Result<Result<variant::Model, Refusal>, StoreError> {
    let own_id = existing.as_ref().map(|e| e.id);
    let sku_taken = variant::Entity::find().filter(variant::Column::Sku.eq(&v.sku)).one(txn).await?;
    if sku_taken.is_some_and(|t| Some(t.id) != own_id) {
        return Ok(Err(field("sku", "Mã SKU này đã được dùng.", "This SKU is already in use.")));
    }
    if let Some(code) = &v.barcode {
        let taken = variant::Entity::find().filter(variant::Column::Barcode.eq(code)).one(txn).await?;
        if taken.is_some_and(|t| Some(t.id) != own_id) {
            return Ok(Err(field(
                "barcode",
                "Mã vạch này đã thuộc sản phẩm khác.",
                "This barcode belongs to another item.",
            )));
        }
    }
    let saved = match existing {
        Some(e) => {
            let before = json!({"sku": e.sku, "barcode": e.barcode, "size_vi": e.size_vi, "size_en": e.size_en,
                                "price_vnd": e.price_vnd, "active": e.active});
            let mut am: variant::ActiveModel = e.into();
            am.sku = Set(v.sku.clone());
            am.barcode = Set(v.barcode.clone());
            am.size_vi = Set(v.size_vi.clone());
            am.size_en = Set(v.size_en.clone());
            am.price_vnd = Set(v.price_vnd);
            am.active = Set(v.active);
            (am.update(txn).await, before)
        }
        None => {
            let saved = variant::ActiveModel {
                product_id: Set(p.id),
                sku: Set(v.sku.clone()),
                barcode: Set(v.barcode.clone()),
                size_vi: Set(v.size_vi.clone()),
                size_en: Set(v.size_en.clone()),
                price_vnd: Set(v.price_vnd),
                active: Set(v.active),
                position: Set(position),
                ..Default::default()
            }
            .insert(txn)
            .await;
            (saved, serde_json::Value::Null)
        }
    };
    // The audit entry only after the write succeeded: on PostgreSQL a failed insert ends the transaction.
    match saved {
        (Ok(m), before) => {
            let action = if before.is_null() { "create" } else { "update" };
            audit(txn, actor, action, "variant", &v.sku, before, variant_json(v)).await?;
            Ok(Ok(m))
        }
        // Two producers saving the same new SKU at once: the loser hears it as a field error.
        (Err(e), _) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Ok(Err(field("sku", "Mã SKU hoặc mã vạch vừa được dùng.", "The SKU or barcode was just taken.")))
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// Adds a variant to a product (`variant_id` None) or changes one, after checking ownership.
pub async fn save_variant(
    store: &Store,
    actor: &Account,
    product_id: i64,
    variant_id: Option<i64>,
    v: &VariantInput,
) -> Outcome<()> {
    let (turn, txn) = store.write_txn().await?;
    let result = async {
        let p = match owned_product(&txn, actor, product_id).await? {
            Ok(p) => p,
            Err(r) => return Ok(Err(r)),
        };
        let existing = match variant_id {
            None => None,
            // The variant must belong to this very product: a variant id from elsewhere is not found.
            Some(id) => match variant::Entity::find_by_id(id).one(&txn).await? {
                Some(e) if e.product_id == p.id => Some(e),
                _ => return Ok(Err(Refusal::NotFound)),
            },
        };
        let position = variant::Entity::find().filter(variant::Column::ProductId.eq(p.id)).all(&txn).await?.len();
        upsert_variant_in(&txn, actor, &p, existing, v, position as i32).await
    }
    .await;
    match result {
        Ok(Ok(_)) => {
            txn.commit().await?;
            drop(turn);
            store.products_changed(&[product_id]).await?;
            store.sync_index().await?;
            Ok(Ok(()))
        }
        other => {
            txn.rollback().await?;
            other.map(|r| r.map(|_| ()))
        }
    }
}

/// Where a producer may record stock: the online warehouse, the showrooms, and its own dispatch points.
pub async fn stock_locations(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<location::Model>, StoreError> {
    Ok(location::Entity::find()
        .order_by_asc(location::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|l| l.kind != "producer_dispatch" || may_act_for(actor, l.producer_id))
        .collect())
}

/// Records a stock change for one of the actor's variants at a location, into the movement ledger
/// and the level projection together.
pub async fn adjust_stock(
    store: &Store,
    actor: &Account,
    variant_id: i64,
    location_id: i64,
    reason: StockReason,
    qty: &str,
    batch_id: Option<i64>,
) -> Outcome<i64> {
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<(i64, i64)> = async {
        let (v, p) = match owned_variant(&txn, actor, variant_id).await? {
            Ok(x) => x,
            Err(r) => return Ok(Err(r)),
        };
        if let Some(b) = batch_id {
            let of_size = crate::evaluation::one(&txn, "SELECT 1 AS one FROM batches WHERE id = ? AND variant_id = ?", vec![b.into(), v.id.into()])
                .await?
                .is_some();
            if !of_size {
                return Ok(Err(field("batch_id", "Lô đã chọn không thuộc quy cách này.", "The batch chosen is not one of this size.")));
            }
        }
        let allowed = stock_locations(&txn, actor).await?;
        if !allowed.iter().any(|l| l.id == location_id) {
            return Ok(Err(Refusal::NotFound));
        }
        // Lock the level before reading it, so an order or a showroom sale landing meanwhile waits.
        txn.execute_raw(crate::sql::stmt(
            txn.get_database_backend(),
            "UPDATE stock_levels SET updated_at = updated_at WHERE location_id = ? AND variant_id = ?",
            vec![location_id.into(), v.id.into()],
        ))
        .await?;
        let level = stock_level::Entity::find()
            .filter(stock_level::Column::LocationId.eq(location_id))
            .filter(stock_level::Column::VariantId.eq(v.id))
            .one(&txn)
            .await?;
        let (on_hand, reserved) = level.as_ref().map(|l| (l.on_hand, l.reserved)).unwrap_or((0, 0));
        let delta = match stock_delta(reason, qty, on_hand, reserved) {
            Ok(d) => d,
            Err(r) => return Ok(Err(Refusal::Invalid(vec![r.field_error()]))),
        };
        let now = Utc::now();
        match level {
            Some(l) => {
                // Relative, so an order reserving at the same moment on PostgreSQL is not overwritten.
                let backend = txn.get_database_backend();
                txn.execute_raw(crate::sql::stmt(
                    backend,
                    "UPDATE stock_levels SET on_hand = on_hand + ?, updated_at = ? WHERE location_id = ? AND variant_id = ?",
                    vec![delta.into(), now.into(), l.location_id.into(), l.variant_id.into()],
                ))
                .await?;
            }
            None => {
                stock_level::ActiveModel {
                    location_id: Set(location_id),
                    variant_id: Set(v.id),
                    on_hand: Set(delta),
                    reserved: Set(0),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
        stock_movement::ActiveModel {
            location_id: Set(location_id),
            variant_id: Set(v.id),
            qty_delta: Set(delta),
            reason: Set(reason.code().into()),
            reference: Set(Some(format!("user:{}", actor.id))),
            batch_id: Set(batch_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit(
            &txn,
            actor,
            reason.code(),
            "stock",
            &format!("{}@{}", v.sku, location_id),
            json!({"on_hand": on_hand}),
            json!({"on_hand": on_hand + delta}),
        )
        .await?;
        Ok(Ok((p.id, on_hand + delta)))
    }
    .await;
    match result {
        Ok(Ok((product_id, now_on_hand))) => {
            txn.commit().await?;
            drop(turn);
            store.products_changed(&[product_id]).await?;
            Ok(Ok(now_on_hand))
        }
        other => {
            txn.rollback().await?;
            other.map(|r| r.map(|(_, n)| n))
        }
    }
}
