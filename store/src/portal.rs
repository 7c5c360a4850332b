//! The producer portal's reads: the home's to-do list, the product editor, and the orders to fulfil.
//! Every function takes the producer from the signed-in account, never from the request.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::account::Account;
use domain::listing_edit::ProductForm;
use domain::portal::{
    EditVariant, Expiring, LOW_STOCK, LocationStock, LowStock, PortalHome, PortalProduct, ProductEditor,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::StoreError;
use crate::entity::{producer, product, stock_level, variant};
use crate::listings::{Outcome, owned_product, stock_locations};

pub async fn home(
    db: &impl ConnectionTrait,
    producer_id: i64,
    today: NaiveDate,
) -> Result<Option<PortalHome>, StoreError> {
    let Some(prod) = producer::Entity::find_by_id(producer_id).one(db).await? else { return Ok(None) };
    let products = product::Entity::find()
        .filter(product::Column::ProducerId.eq(producer_id))
        .order_by_asc(product::Column::NameVi)
        .all(db)
        .await?;
    let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let variants = variant::Entity::find().filter(variant::Column::ProductId.is_in(ids.clone())).all(db).await?;
    let available = crate::catalog::available_online(db, variants.iter().map(|v| v.id).collect()).await?;
    let online_location = crate::catalog::online_warehouse(db).await?;
    let on_hand: HashMap<i64, i64> = match online_location {
        Some(loc) => stock_level::Entity::find()
            .filter(stock_level::Column::LocationId.eq(loc))
            .filter(stock_level::Column::VariantId.is_in(variants.iter().map(|v| v.id).collect::<Vec<_>>()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.variant_id, s.on_hand))
            .collect(),
        None => HashMap::new(),
    };
    let cards: HashMap<i64, domain::listing::ProductCard> =
        crate::catalog::cards(db, &ids, today).await?.into_iter().map(|c| (c.id, c)).collect();
    let mut out = Vec::with_capacity(products.len());
    let mut low_stock = Vec::new();
    let mut expiring = Vec::new();
    for p in &products {
        let own: Vec<&variant::Model> = variants.iter().filter(|v| v.product_id == p.id).collect();
        for v in own.iter().filter(|v| v.active && p.status == "active") {
            let a = available.get(&v.id).copied().unwrap_or(0);
            if a <= LOW_STOCK {
                low_stock.push(LowStock {
                    product_id: p.id,
                    name_vi: p.name_vi.clone(),
                    sku: v.sku.clone(),
                    available: a,
                });
            }
        }
        let cert = cards.get(&p.id).and_then(|c| c.cert.clone());
        if let Some(c) = cert.as_ref().filter(|c| c.status == domain::CertStatus::Expiring)
            && let Some((last, _)) = c.last_valid_day_range
        {
            expiring.push(Expiring {
                number: c.number.clone(),
                product: p.name_vi.clone(),
                last_valid_on: last,
                days_left: (last - today).num_days(),
            });
        }
        out.push(PortalProduct {
            id: p.id,
            slug: p.slug.clone(),
            name_vi: p.name_vi.clone(),
            listed: p.status == "active",
            variants: own.len(),
            photos: crate::photos::of_product(db, p.id).await?.len(),
            available_online: own.iter().map(|v| available.get(&v.id).copied().unwrap_or(0)).sum(),
            stars: cert.filter(|c| c.status.shows_badge()).map(|c| c.stars),
            sizes: own
                .iter()
                .map(|v| domain::portal::PortalSize {
                    id: v.id,
                    sku: v.sku.clone(),
                    barcode: v.barcode.clone().unwrap_or_default(),
                    size_vi: v.size_vi.clone(),
                    size_en: v.size_en.clone(),
                    price_vnd: v.price_vnd,
                    active: v.active,
                    available_online: available.get(&v.id).copied().unwrap_or(0),
                    on_hand_online: on_hand.get(&v.id).copied().unwrap_or(0),
                })
                .collect(),
        });
    }
    expiring.sort_by_key(|e| e.days_left);
    Ok(Some(PortalHome {
        producer_id,
        online_location,
        producer_name: prod.name,
        orders_to_pack: crate::fulfilment::to_do(db, producer_id).await?,
        low_stock,
        expiring,
        products: out,
    }))
}

/// The product editor's data, if the actor may edit the product.
pub async fn editor(db: &impl ConnectionTrait, actor: &Account, product_id: i64) -> Outcome<ProductEditor> {
    let p = match owned_product(db, actor, product_id).await? {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    let locations = stock_locations(db, actor).await?;
    let variants = variant::Entity::find()
        .filter(variant::Column::ProductId.eq(p.id))
        .order_by_asc(variant::Column::Position)
        .order_by_asc(variant::Column::Id)
        .all(db)
        .await?;
    let levels = stock_level::Entity::find()
        .filter(stock_level::Column::VariantId.is_in(variants.iter().map(|v| v.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let names: HashMap<i64, String> = locations.iter().map(|l| (l.id, l.name.clone())).collect();
    let mut batches: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for r in crate::evaluation::all(
        db,
        "SELECT id, variant_id, code, produced_on FROM batches WHERE product_id = ? ORDER BY produced_on DESC, id DESC",
        vec![p.id.into()],
    )
    .await?
    {
        let made: chrono::NaiveDate = r.try_get("", "produced_on")?;
        let code: String = r.try_get("", "code")?;
        batches
            .entry(r.try_get("", "variant_id")?)
            .or_default()
            .push((r.try_get("", "id")?, format!("{code} · NSX {}", made.format("%d/%m/%Y"))));
    }
    let variants = variants
        .into_iter()
        .map(|v| EditVariant {
            batches: batches.remove(&v.id).unwrap_or_default(),
            stock: levels
                .iter()
                .filter(|l| l.variant_id == v.id && names.contains_key(&l.location_id))
                .map(|l| LocationStock {
                    location_id: l.location_id,
                    location: names[&l.location_id].clone(),
                    on_hand: l.on_hand,
                    reserved: l.reserved,
                })
                .collect(),
            id: v.id,
            sku: v.sku,
            barcode: v.barcode.unwrap_or_default(),
            size_vi: v.size_vi,
            size_en: v.size_en,
            price_vnd: v.price_vnd,
            active: v.active,
        })
        .collect();
    let (photos_waiting, photo_failures) = crate::photos::pending(db, "product", p.id).await?;
    Ok(Ok(ProductEditor {
        photos_waiting,
        photo_failures,
        id: p.id,
        slug: p.slug.clone(),
        listed: p.status == "active",
        photos: crate::photos::of_product(db, p.id).await?,
        form: ProductForm {
            name_vi: p.name_vi,
            name_en: p.name_en,
            description_vi: p.description_vi,
            description_en: p.description_en,
            group: p.ocop_group,
            category: p.category,
            status: p.status,
            tax_kind: p.tax_kind.unwrap_or_default(),
        },
        variants,
        locations: locations.into_iter().map(|l| (l.id, l.name)).collect(),
    }))
}
