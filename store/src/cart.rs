//! Carts without accounts: a random id in a cookie, lines in the database.

use std::collections::HashMap;

use chrono::Utc;
use domain::cart::{CartLine, CartView, LineKind, MAX_LINE_QTY, MAX_LINES};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::StoreError;
use crate::entity::{cart, cart_item, combo, combo_item, producer, product, variant};

/// What a shopper asked to add.
#[derive(Debug, Clone)]
pub enum Item {
    Variant(i64),
    Combo(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CartRefusal {
    /// The product or combo does not exist or is not on sale.
    NotForSale,
    TooManyLines,
}

/// The cart with this id, or a new one when the cookie is missing, forged or from a purged cart.
pub async fn ensure(db: &impl ConnectionTrait, id: Option<&str>) -> Result<String, StoreError> {
    if let Some(id) = id.filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        && cart::Entity::find_by_id(id.to_string()).one(db).await?.is_some()
    {
        return Ok(id.to_string());
    }
    let now = Utc::now();
    let id = crate::sql::token();
    cart::ActiveModel {
        id: Set(id.clone()),
        checkout_token: Set(Some(crate::sql::token())),
        draft: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<cart::Model>, StoreError> {
    Ok(cart::Entity::find_by_id(id.to_string()).one(db).await?)
}

/// Adds `qty` (capped at the per-line maximum) to the line for this item, creating it if needed.
pub async fn add(
    db: &impl ConnectionTrait,
    cart_id: &str,
    item: Item,
    qty: i32,
) -> Result<Result<(), CartRefusal>, StoreError> {
    let (variant_id, combo_id) = match item {
        Item::Variant(id) => {
            let listed = match variant::Entity::find_by_id(id).one(db).await? {
                Some(v) if v.active => {
                    product::Entity::find_by_id(v.product_id).one(db).await?.is_some_and(|p| p.status == "active")
                }
                _ => false,
            };
            if !listed {
                return Ok(Err(CartRefusal::NotForSale));
            }
            (Some(id), None)
        }
        Item::Combo(slug) => match combo::Entity::find().filter(combo::Column::Slug.eq(slug)).one(db).await? {
            Some(c) if c.active => (None, Some(c.id)),
            _ => return Ok(Err(CartRefusal::NotForSale)),
        },
    };
    let items = cart_item::Entity::find().filter(cart_item::Column::CartId.eq(cart_id)).all(db).await?;
    match items.iter().find(|i| i.variant_id == variant_id && i.combo_id == combo_id) {
        Some(existing) => {
            let mut am: cart_item::ActiveModel = existing.clone().into();
            am.quantity = Set((existing.quantity + qty).min(MAX_LINE_QTY));
            am.update(db).await?;
        }
        None if items.len() >= MAX_LINES => return Ok(Err(CartRefusal::TooManyLines)),
        None => {
            cart_item::ActiveModel {
                cart_id: Set(cart_id.to_string()),
                variant_id: Set(variant_id),
                combo_id: Set(combo_id),
                quantity: Set(qty.clamp(1, MAX_LINE_QTY)),
                added_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    touch(db, cart_id).await?;
    Ok(Ok(()))
}

/// Sets a line's quantity; 0 removes it. Lines of other carts are never touched, whatever id is posted.
pub async fn set_quantity(db: &impl ConnectionTrait, cart_id: &str, item_id: i64, qty: i32) -> Result<(), StoreError> {
    let filter = cart_item::Entity::find_by_id(item_id).filter(cart_item::Column::CartId.eq(cart_id));
    let Some(item) = filter.one(db).await? else { return Ok(()) };
    if qty <= 0 {
        cart_item::Entity::delete_by_id(item.id).exec(db).await?;
    } else {
        let mut am: cart_item::ActiveModel = item.into();
        am.quantity = Set(qty.min(MAX_LINE_QTY));
        am.update(db).await?;
    }
    touch(db, cart_id).await
}

async fn touch(db: &impl ConnectionTrait, cart_id: &str) -> Result<(), StoreError> {
    cart::Entity::update_many()
        .col_expr(cart::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(cart::Column::Id.eq(cart_id))
        .exec(db)
        .await?;
    Ok(())
}

/// How many units the cart holds, for the header's count: one small query, no pricing.
pub async fn count(db: &impl ConnectionTrait, cart_id: &str) -> Result<i64, StoreError> {
    let items = cart_item::Entity::find().filter(cart_item::Column::CartId.eq(cart_id)).all(db).await?;
    Ok(items.iter().map(|i| i.quantity.max(0) as i64).sum())
}

/// The cart priced now, with what stock could fill each line.
pub async fn view(db: &impl ConnectionTrait, cart_id: &str) -> Result<CartView, StoreError> {
    let items = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .order_by_asc(cart_item::Column::Id)
        .all(db)
        .await?;
    if items.is_empty() {
        return Ok(CartView::default());
    }
    let combo_ids: Vec<i64> = items.iter().filter_map(|i| i.combo_id).collect();
    let combos: HashMap<i64, combo::Model> = combo::Entity::find()
        .filter(combo::Column::Id.is_in(combo_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let components = combo_item::Entity::find().filter(combo_item::Column::ComboId.is_in(combo_ids)).all(db).await?;
    let variant_ids: Vec<i64> =
        items.iter().filter_map(|i| i.variant_id).chain(components.iter().map(|c| c.variant_id)).collect();
    let variants: HashMap<i64, variant::Model> = variant::Entity::find()
        .filter(variant::Column::Id.is_in(variant_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let products: HashMap<i64, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(variants.values().map(|v| v.product_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let producers: HashMap<i64, String> = producer::Entity::find()
        .filter(producer::Column::Id.is_in(products.values().filter_map(|p| p.producer_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let recalled: HashMap<i64, String> = crate::trace::recalls::open_for_variants(db, &variant_ids)
        .await?
        .into_iter()
        .map(|(v, code, _)| (v, code))
        .collect();
    let stock = crate::catalog::available_online(db, variant_ids).await?;
    let sellable = |variant_id: i64| {
        variants.get(&variant_id).is_some_and(|v| v.active)
            && variants.get(&variant_id).and_then(|v| products.get(&v.product_id)).is_some_and(|p| p.status == "active")
    };
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        if let Some(vid) = item.variant_id {
            let Some(v) = variants.get(&vid) else { continue };
            let Some(p) = products.get(&v.product_id) else { continue };
            lines.push(CartLine {
                item_id: item.id,
                kind: LineKind::Variant,
                slug: p.slug.clone(),
                name_vi: p.name_vi.clone(),
                name_en: p.name_en.clone(),
                size_vi: v.size_vi.clone(),
                size_en: v.size_en.clone(),
                producer: p.producer_id.and_then(|id| producers.get(&id).cloned()),
                unit_price: v.price_vnd,
                quantity: item.quantity,
                available: stock.get(&vid).copied().unwrap_or(0),
                listed: sellable(vid),
                recalled: recalled.get(&vid).cloned(),
            });
        } else if let Some(c) = item.combo_id.and_then(|id| combos.get(&id)) {
            let parts: Vec<_> = components.iter().filter(|i| i.combo_id == c.id).collect();
            let available = crate::catalog::combo_available(&parts, &stock);
            lines.push(CartLine {
                item_id: item.id,
                kind: LineKind::Combo,
                slug: c.slug.clone(),
                name_vi: c.name_vi.clone(),
                name_en: c.name_en.clone(),
                size_vi: format!("{} sản phẩm", parts.len()),
                size_en: format!("{} products", parts.len()),
                producer: None,
                unit_price: c.price_vnd,
                quantity: item.quantity,
                available,
                listed: c.active && !parts.is_empty() && parts.iter().all(|i| sellable(i.variant_id)),
                recalled: parts.iter().find_map(|i| recalled.get(&i.variant_id).cloned()),
            });
        }
    }
    Ok(CartView { lines })
}
