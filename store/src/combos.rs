//! Gift combos made by a producer from its own products, or curated by the office from several
//! producers'. What a combo can be sold as is derived from its components' stock, never stored.

use std::collections::HashMap;

use chrono::Utc;
use domain::account::{Account, Role};
use domain::address::FieldError;
use domain::listing_edit::ComboInput;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::entity::{combo, combo_item, product, variant};
use crate::listings::{Outcome, Refusal, may_act_for};
use crate::office::audit;
use crate::{Store, StoreError};

pub use domain::portal::ComboRow;

/// May the actor change this combo? The office any; a producer member only its own producer's.
fn may_edit(actor: &Account, c: &combo::Model) -> bool {
    actor.role == Role::Admin || (c.producer_id.is_some() && may_act_for(actor, c.producer_id))
}

/// Whether the actor may change combo `id`: found and the actor's, or refused as the listings are.
pub async fn may_edit_id(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Outcome<()> {
    Ok(match combo::Entity::find_by_id(id).one(db).await? {
        None => Err(Refusal::NotFound),
        Some(c) if may_edit(actor, &c) => Ok(()),
        Some(_) => Err(Refusal::Forbidden),
    })
}

/// The sizes a combo may take, for the picker: the actor's producer's (the office: every producer's)
/// active sizes whose name, SKU or barcode holds every word of `q`, at most `limit`; and, whatever
/// `q`, the sizes named in `chosen`, so the rows already in the combo show their names and photos.
pub async fn pickable(
    db: &impl ConnectionTrait,
    actor: &Account,
    q: &str,
    chosen: &[String],
    limit: usize,
) -> Result<(Vec<domain::portal::PickItem>, Vec<domain::portal::PickItem>), StoreError> {
    use crate::entity::product;
    let mut products = product::Entity::find().order_by_asc(product::Column::NameVi);
    if actor.role != Role::Admin {
        let Some(p) = actor.producer_id.filter(|_| actor.role == Role::Producer) else { return Ok((vec![], vec![])) };
        products = products.filter(product::Column::ProducerId.eq(p));
    }
    let products = products.all(db).await?;
    let variants = variant::Entity::find()
        .filter(variant::Column::ProductId.is_in(products.iter().map(|p| p.id).collect::<Vec<_>>()))
        .order_by_asc(variant::Column::Position)
        .order_by_asc(variant::Column::Id)
        .all(db)
        .await?;
    let words: Vec<String> = domain::text::fold(q).split_whitespace().map(str::to_string).collect();
    let wanted = |p: &product::Model, v: &variant::Model| {
        let hay = domain::text::fold(&format!(
            "{} {} {} {}",
            p.name_vi,
            v.size_vi,
            v.sku,
            v.barcode.as_deref().unwrap_or("")
        ));
        !words.is_empty() && v.active && words.iter().all(|w| hay.contains(w.as_str()))
    };
    let is_chosen = |v: &variant::Model| chosen.iter().any(|c| c.trim().eq_ignore_ascii_case(&v.sku));
    let mut found = Vec::new();
    let mut rows = Vec::new();
    for p in &products {
        for v in variants.iter().filter(|v| v.product_id == p.id) {
            if is_chosen(v) {
                rows.push((p, v));
            } else if wanted(p, v) && found.len() < limit {
                found.push((p, v));
            }
        }
    }
    let ids = found.iter().chain(&rows).map(|(_, v)| v.id).collect();
    let stock = crate::catalog::available_online(db, ids).await?;
    let mut thumbs: HashMap<i64, Option<String>> = HashMap::new();
    for (p, _) in found.iter().chain(&rows) {
        if let std::collections::hash_map::Entry::Vacant(e) = thumbs.entry(p.id) {
            let first = crate::photos::of_product(db, p.id).await?.into_iter().next();
            e.insert(first.and_then(|ph| ph.files.first().map(|(_, f)| f.clone())));
        }
    }
    let item = |(p, v): &(&product::Model, &variant::Model)| domain::portal::PickItem {
        sku: v.sku.clone(),
        barcode: v.barcode.clone().unwrap_or_default(),
        name_vi: p.name_vi.clone(),
        size_vi: v.size_vi.clone(),
        price_vnd: v.price_vnd,
        available_online: stock.get(&v.id).copied().unwrap_or(0),
        thumb: thumbs.get(&p.id).cloned().flatten(),
    };
    Ok((found.iter().map(item).collect(), rows.iter().map(item).collect()))
}

/// The combos an account may edit: the office sees all, a member its producer's.
pub async fn list(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<ComboRow>, StoreError> {
    let combos: Vec<combo::Model> = combo::Entity::find()
        .order_by_asc(combo::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| may_edit(actor, c))
        .collect();
    let items = combo_item::Entity::find()
        .filter(combo_item::Column::ComboId.is_in(combos.iter().map(|c| c.id).collect::<Vec<_>>()))
        .order_by_asc(combo_item::Column::Id)
        .all(db)
        .await?;
    let skus: HashMap<i64, String> = variant::Entity::find()
        .filter(variant::Column::Id.is_in(items.iter().map(|i| i.variant_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.sku))
        .collect();
    let stock = crate::catalog::available_online(db, items.iter().map(|i| i.variant_id).collect()).await?;
    Ok(combos
        .into_iter()
        .map(|c| {
            let mine: Vec<&combo_item::Model> = items.iter().filter(|i| i.combo_id == c.id).collect();
            let mut form = domain::listing_edit::ComboForm {
                name_vi: c.name_vi.clone(),
                name_en: c.name_en.clone(),
                story_vi: c.story_vi.clone(),
                story_en: c.story_en.clone(),
                price: c.price_vnd.to_string(),
                active: c.active.then(|| "on".into()),
                ..Default::default()
            };
            let slots = [
                (&mut form.sku_1, &mut form.qty_1),
                (&mut form.sku_2, &mut form.qty_2),
                (&mut form.sku_3, &mut form.qty_3),
                (&mut form.sku_4, &mut form.qty_4),
                (&mut form.sku_5, &mut form.qty_5),
                (&mut form.sku_6, &mut form.qty_6),
            ];
            for ((sku, qty), item) in slots.into_iter().zip(&mine) {
                *sku = skus.get(&item.variant_id).cloned().unwrap_or_default();
                *qty = item.qty.to_string();
            }
            ComboRow {
                id: c.id,
                slug: c.slug.clone(),
                name_vi: c.name_vi.clone(),
                curated: c.producer_id.is_none(),
                price_vnd: c.price_vnd,
                available: crate::catalog::combo_available(&mine, &stock),
                active: c.active,
                has_photo: c.photo.is_some(),
                form,
            }
        })
        .collect())
}

fn bad(field: &str, vi: String, en: String) -> Refusal {
    Refusal::Invalid(vec![FieldError { field: field.into(), message_vi: vi, message_en: en }])
}

/// Creates (`id` None) or changes a combo. A producer's combo takes only its own products; the
/// office's combos may mix producers and belong to no one producer.
pub async fn save(store: &Store, actor: &Account, id: Option<i64>, input: &ComboInput) -> Outcome<i64> {
    let owner = match actor.role {
        Role::Admin => None,
        Role::Producer if actor.producer_id.is_some() => actor.producer_id,
        _ => return Ok(Err(Refusal::Forbidden)),
    };
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<(i64, Vec<i64>)> = async {
        let existing = match id {
            None => None,
            Some(id) => match combo::Entity::find_by_id(id).one(&txn).await? {
                None => return Ok(Err(Refusal::NotFound)),
                Some(c) if !may_edit(actor, &c) => return Ok(Err(Refusal::Forbidden)),
                Some(c) => Some(c),
            },
        };
        let mut parts = Vec::new();
        for (row, (sku, qty)) in input.components.iter().enumerate() {
            let field = format!("sku_{}", row + 1);
            let Some(v) = variant::Entity::find().filter(variant::Column::Sku.eq(sku)).one(&txn).await? else {
                return Ok(Err(bad(&field, format!("Không có SKU {sku}."), format!("No SKU {sku}."))));
            };
            let p = product::Entity::find_by_id(v.product_id).one(&txn).await?;
            let producer = p.as_ref().and_then(|p| p.producer_id);
            // Whose combo it is decides whose products it may hold: the office may mix any.
            let combo_owner = existing.as_ref().map(|c| c.producer_id).unwrap_or(owner);
            if combo_owner.is_some() && producer != combo_owner {
                return Ok(Err(bad(
                    &field,
                    format!("{sku} không phải sản phẩm của chủ thể này."),
                    format!("{sku} is not this producer's product."),
                )));
            }
            parts.push((v.id, v.product_id, *qty));
        }
        let now = Utc::now();
        let after = json!({"name_vi": input.name_vi, "price_vnd": input.price_vnd, "active": input.active,
                           "components": input.components});
        let (combo_id, before) = match existing {
            Some(c) => {
                let before = json!({"name_vi": c.name_vi, "price_vnd": c.price_vnd, "active": c.active});
                let cid = c.id;
                let mut am: combo::ActiveModel = c.into();
                am.name_vi = Set(input.name_vi.clone());
                am.name_en = Set(input.name_en.clone());
                am.story_vi = Set(input.story_vi.clone());
                am.story_en = Set(input.story_en.clone());
                am.price_vnd = Set(input.price_vnd);
                am.active = Set(input.active);
                am.update(&txn).await?;
                combo_item::Entity::delete_many().filter(combo_item::Column::ComboId.eq(cid)).exec(&txn).await?;
                (cid, before)
            }
            None => {
                let slug = crate::sql::free_slug(&txn, "combos", &input.name_vi, "combo").await?;
                let c = combo::ActiveModel {
                    slug: Set(slug),
                    name_vi: Set(input.name_vi.clone()),
                    name_en: Set(input.name_en.clone()),
                    story_vi: Set(input.story_vi.clone()),
                    story_en: Set(input.story_en.clone()),
                    price_vnd: Set(input.price_vnd),
                    active: Set(input.active),
                    sample_values: Set(false),
                    producer_id: Set(owner),
                    photo: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                (c.id, serde_json::Value::Null)
            }
        };
        for (variant_id, _, qty) in &parts {
            combo_item::ActiveModel {
                combo_id: Set(combo_id),
                variant_id: Set(*variant_id),
                qty: Set(*qty),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let action = if id.is_some() { "update" } else { "create" };
        audit(&txn, actor, action, "combo", &combo_id.to_string(), before, after).await?;
        Ok(Ok((combo_id, parts.iter().map(|p| p.1).collect())))
    }
    .await;
    match result {
        Ok(Ok((combo_id, products))) => {
            txn.commit().await?;
            drop(turn);
            // Combo pages are cached with the catalogue's version: bumping it shows the change.
            store.products_changed(&products).await?;
            Ok(Ok(combo_id))
        }
        other => {
            txn.rollback().await?;
            other.map(|r| r.map(|(id, _)| id))
        }
    }
}

/// Records a combo's photo; the caller checked who may (at upload, for the photo worker).
pub async fn set_photo_checked(
    store: &Store,
    id: i64,
    names: &[String],
    width: u32,
    height: u32,
) -> Result<(), StoreError> {
    match combo::Entity::find_by_id(id).one(&store.db).await? {
        Some(c) => store_photo(store, c, names, width, height).await,
        None => Ok(()),
    }
}

async fn store_photo(
    store: &Store,
    c: combo::Model,
    names: &[String],
    width: u32,
    height: u32,
) -> Result<(), StoreError> {
    let id = c.id;
    let mut am: combo::ActiveModel = c.into();
    am.photo = Set(Some(format!("{width} {height} {}", names.join(" "))));
    am.update(&store.db).await?;
    let products: Vec<i64> = combo_item::Entity::find()
        .filter(combo_item::Column::ComboId.eq(id))
        .all(&store.db)
        .await?
        .iter()
        .map(|i| i.variant_id)
        .collect();
    store.products_changed(&crate::orders::products_of(&store.db, products).await?).await
}

/// A combo's stored photo as the pages show it.
pub fn photo_view(stored: Option<&str>) -> Option<domain::listing::PhotoView> {
    let mut parts = stored?.split(' ');
    let width: u32 = parts.next()?.parse().ok()?;
    let height: u32 = parts.next()?.parse().ok()?;
    let files = parts.zip([320u32, 640, 1280]).map(|(name, w)| (w.min(width), name.to_string())).collect();
    Some(domain::listing::PhotoView { files, width, height })
}
