//! Read queries behind the storefront, returning `domain::listing` read models.
//! Pages load a handful of products at a time, in a few batched queries rather than one per product.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::certificate::{Certificate, DatePrecision};
use domain::listing::{
    CatalogPage, CatalogQuery, CertView, ComboItemView, ComboView, Facets, ProducerView, ProductCard, ProductDetail,
    VariantView,
};
use domain::{CertLevel, OcopGroup, ProducerKind, Stars};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::{certificate, combo, combo_item, location, producer, product, stock_level, variant};
use crate::search::ProductDoc;
use crate::{Store, StoreError};

pub const ONLINE_WAREHOUSE: &str = "ONLINE";

pub fn days_since_epoch(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")).num_days()
}

pub async fn count_listed(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    Ok(product::Entity::find().filter(product::Column::Status.eq("active")).count(db).await?)
}

/// Ids and stamps only: a sync's look-back reads many rows it has already sent (a whole import
/// for two minutes after it), and whole rows of 16,000 products made 16 MB to read every 5 s.
pub async fn products_stamped_since(
    db: &impl ConnectionTrait,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<(i64, DateTime<Utc>)>, StoreError> {
    let mut q = product::Entity::find()
        .select_only()
        .columns([product::Column::Id, product::Column::UpdatedAt])
        .order_by_asc(product::Column::Id);
    if let Some(since) = since {
        q = q.filter(product::Column::UpdatedAt.gt(since));
    }
    Ok(q.into_tuple().all(db).await?)
}

pub async fn products_by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<product::Model>, StoreError> {
    let mut all = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(2000) {
        all.extend(
            product::Entity::find()
                .filter(product::Column::Id.is_in(chunk.iter().copied()))
                .order_by_asc(product::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(all)
}

/// Everything a set of products shows beside itself, loaded in four queries.
struct Related {
    producers: HashMap<i64, producer::Model>,
    variants: HashMap<i64, Vec<variant::Model>>,
    certs: HashMap<i64, Vec<certificate::Model>>,
    /// Each product's first photo, shown on its card.
    photos: HashMap<i64, domain::listing::PhotoView>,
}

impl Related {
    async fn load(db: &impl ConnectionTrait, products: &[product::Model]) -> Result<Self, StoreError> {
        let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
        let producer_ids: Vec<i64> = products.iter().filter_map(|p| p.producer_id).collect();
        let producers = producer::Entity::find()
            .filter(producer::Column::Id.is_in(producer_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut variants: HashMap<i64, Vec<variant::Model>> = HashMap::new();
        for v in variant::Entity::find()
            .filter(variant::Column::ProductId.is_in(ids.clone()))
            .order_by_asc(variant::Column::Position)
            .order_by_asc(variant::Column::Id)
            .all(db)
            .await?
        {
            variants.entry(v.product_id).or_default().push(v);
        }
        let mut certs: HashMap<i64, Vec<certificate::Model>> = HashMap::new();
        for c in certificate::Entity::find().filter(certificate::Column::ProductId.is_in(ids.clone())).all(db).await? {
            certs.entry(c.product_id).or_default().push(c);
        }
        for list in certs.values_mut() {
            // Newest first; undated certificates last.
            list.sort_by(|a, b| b.decided_on.cmp(&a.decided_on).then(b.id.cmp(&a.id)));
        }
        let photos = crate::photos::first_of_products(db, &ids).await?;
        Ok(Related { producers, variants, certs, photos })
    }

    fn producer_of(&self, p: &product::Model) -> Option<&producer::Model> {
        p.producer_id.and_then(|id| self.producers.get(&id))
    }

    fn min_price(&self, p: &product::Model) -> Option<i64> {
        self.variants.get(&p.id)?.iter().filter(|v| v.active).map(|v| v.price_vnd).min()
    }

    fn cert_views(&self, p: &product::Model, today: NaiveDate) -> Vec<CertView> {
        let producer = self.producer_of(p).map(|m| m.name.clone());
        self.certs
            .get(&p.id)
            .map_or_else(Vec::new, |list| list.iter().map(|c| cert_view(c, p, producer.clone(), today)).collect())
    }

    fn card(&self, p: &product::Model, today: NaiveDate) -> ProductCard {
        let certs = self.cert_views(p, today);
        let mut card = card(p, self.producer_of(p), self.min_price(p), current_cert(certs));
        card.photo = self.photos.get(&p.id).cloned();
        card
    }
}

/// The certificate a shopper should see: the newest one still showing a badge, else the newest one.
fn current_cert(certs: Vec<CertView>) -> Option<CertView> {
    let badge = certs.iter().position(|c| c.status.shows_badge());
    let pick = badge.unwrap_or(0);
    certs.into_iter().nth(pick)
}

pub fn domain_cert(c: &certificate::Model) -> Certificate {
    Certificate {
        stars: Stars::new(c.stars as i64).unwrap_or_else(|_| Stars::from_score(0).expect("zero is a score")),
        decided_on: c.decided_on,
        precision: DatePrecision::parse(&c.date_precision),
        revoked_on: c.revoked_on,
    }
}

pub(crate) fn cert_view(
    c: &certificate::Model,
    p: &product::Model,
    producer_name: Option<String>,
    today: NaiveDate,
) -> CertView {
    let dc = domain_cert(c);
    CertView {
        number: c.number.clone(),
        number_is_sample: c.number_is_sample,
        stars: c.stars.clamp(1, 5) as u8,
        score: c.score,
        level: c.level.as_deref().and_then(CertLevel::parse),
        decided_on: c.decided_on,
        precision: dc.precision,
        last_valid_day: dc.last_valid_on(),
        last_valid_day_range: dc.last_valid_range(),
        revoked_on: c.revoked_on,
        revoke_reason: c.revoke_reason.clone(),
        status: dc.status_on(today),
        product_slug: p.slug.clone(),
        product_name_vi: p.name_vi.clone(),
        product_name_en: p.name_en.clone(),
        producer_name,
    }
}

fn card(
    p: &product::Model,
    producer: Option<&producer::Model>,
    min_price: Option<i64>,
    cert: Option<CertView>,
) -> ProductCard {
    ProductCard {
        id: p.id,
        slug: p.slug.clone(),
        name_vi: p.name_vi.clone(),
        name_en: p.name_en.clone(),
        producer_name: producer.map(|m| m.name.clone()),
        producer_slug: producer.map(|m| m.slug.clone()),
        district: producer.and_then(|m| m.district_pre2025.clone()),
        category: p.category.clone(),
        group: OcopGroup::parse(&p.ocop_group).unwrap_or(OcopGroup::Food),
        min_price,
        cert,
        photo: None,
    }
}

fn producer_view(m: &producer::Model, product_count: i64) -> ProducerView {
    ProducerView {
        id: m.id,
        slug: m.slug.clone(),
        name: m.name.clone(),
        kind: m.kind.as_deref().and_then(|k| ProducerKind::parse(k).ok()),
        district: m.district_pre2025.clone(),
        province: m.province.clone(),
        commune: m.commune.clone(),
        story_vi: m.story_vi.clone(),
        story_en: m.story_en.clone(),
        product_count,
    }
}

pub async fn search_docs(
    db: &impl ConnectionTrait,
    products: &[product::Model],
    today: NaiveDate,
) -> Result<Vec<ProductDoc>, StoreError> {
    let rel = Related::load(db, products).await?;
    Ok(products
        .iter()
        .map(|p| {
            let producer = rel.producer_of(p);
            let certs = rel.certs.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
            let counting = current_cert(rel.cert_views(p, today));
            // The badge shows until the earliest possible expiry, or the revocation, whichever is first.
            let badge_until = rel
                .certs
                .get(&p.id)
                .into_iter()
                .flatten()
                .filter_map(|c| {
                    // The first day without a badge: after the earliest possible last valid day.
                    let (earliest, _) = domain_cert(c).last_valid_range()?;
                    let earliest = earliest.succ_opt().unwrap_or(earliest);
                    let end = c.revoked_on.map_or(earliest, |r| r.min(earliest));
                    Some(days_since_epoch(end))
                })
                .max()
                .unwrap_or(0);
            ProductDoc {
                id: p.id,
                name_vi: p.name_vi.clone(),
                name_en: p.name_en.clone(),
                producer: producer.map(|m| m.name.clone()).unwrap_or_default(),
                district: producer.and_then(|m| m.district_pre2025.clone()).unwrap_or_default(),
                commune: producer.and_then(|m| m.commune.clone()).unwrap_or_default(),
                category: p.category.clone(),
                category_en: format!("{} {}", domain::category::search_words_en(&p.category), p.tags),
                description: p.description_vi.clone(),
                group: p.ocop_group.clone(),
                kind: producer.and_then(|m| m.kind.clone()).unwrap_or_default(),
                stars: counting.as_ref().map_or(0, |c| c.stars as u64),
                badge_until,
                min_price: rel.min_price(p).unwrap_or(-1),
                decided: certs.iter().filter_map(|c| c.decided_on).map(days_since_epoch).max().unwrap_or(0),
            }
        })
        .collect())
}

/// Product cards in the order of `ids` (the search engine's ranking).
pub async fn cards(db: &impl ConnectionTrait, ids: &[i64], today: NaiveDate) -> Result<Vec<ProductCard>, StoreError> {
    let products = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.to_vec()))
        .filter(product::Column::Status.eq("active"))
        .all(db)
        .await?;
    let rel = Related::load(db, &products).await?;
    let by_id: HashMap<i64, &product::Model> = products.iter().map(|p| (p.id, p)).collect();
    Ok(ids.iter().filter_map(|id| by_id.get(id)).map(|p| rel.card(p, today)).collect())
}

pub(crate) async fn online_warehouse(db: &impl ConnectionTrait) -> Result<Option<i64>, StoreError> {
    Ok(location::Entity::find().filter(location::Column::Code.eq(ONLINE_WAREHOUSE)).one(db).await?.map(|l| l.id))
}

/// How many of a combo its components' stock can make: the scarcest component decides.
pub(crate) fn combo_available(parts: &[&combo_item::Model], stock: &HashMap<i64, i64>) -> i64 {
    parts.iter().map(|i| stock.get(&i.variant_id).copied().unwrap_or(0) / i.qty.max(1) as i64).min().unwrap_or(0)
}

/// Units that can be sold online now, per variant: on hand less reserved at the online warehouse.
pub(crate) async fn available_online(
    db: &impl ConnectionTrait,
    variant_ids: Vec<i64>,
) -> Result<HashMap<i64, i64>, StoreError> {
    let Some(loc) = online_warehouse(db).await? else { return Ok(HashMap::new()) };
    Ok(stock_level::Entity::find()
        .filter(stock_level::Column::LocationId.eq(loc))
        .filter(stock_level::Column::VariantId.is_in(variant_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.variant_id, (s.on_hand - s.reserved).max(0)))
        .collect())
}

pub async fn product_detail(
    db: &impl ConnectionTrait,
    slug: &str,
    today: NaiveDate,
) -> Result<Option<ProductDetail>, StoreError> {
    let Some(p) = product::Entity::find()
        .filter(product::Column::Slug.eq(slug))
        .filter(product::Column::Status.eq("active"))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let rel = Related::load(db, std::slice::from_ref(&p)).await?;
    let variants = rel.variants.get(&p.id).cloned().unwrap_or_default();
    let stock = available_online(db, variants.iter().map(|v| v.id).collect()).await?;
    let producer = producer_of_product(db, &p).await?;
    Ok(Some(ProductDetail {
        card: rel.card(&p, today),
        description_vi: p.description_vi.clone(),
        description_en: p.description_en.clone(),
        sample_values: p.sample_values,
        source_url: p.source_url.clone(),
        variants: variants
            .iter()
            .filter(|v| v.active)
            .map(|v| VariantView {
                id: v.id,
                sku: v.sku.clone(),
                barcode: v.barcode.clone(),
                size_vi: v.size_vi.clone(),
                size_en: v.size_en.clone(),
                price: v.price_vnd,
                in_stock: stock.get(&v.id).copied().unwrap_or(0),
            })
            .collect(),
        certificates: rel.cert_views(&p, today),
        producer,
        photos: crate::photos::of_product(db, p.id).await?,
        proposed_five: crate::evaluation::decision::awaiting_ministry(db).await?.contains(&p.id),
        recalls: crate::trace::recalls::open_for_variants(db, &variants.iter().map(|v| v.id).collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|(vid, code, reason)| {
                let size = variants.iter().find(|v| v.id == vid).map(|v| v.size_vi.clone()).unwrap_or_default();
                (size, code, reason)
            })
            .collect(),
    }))
}

pub async fn producer_page(
    db: &impl ConnectionTrait,
    slug: &str,
    today: NaiveDate,
) -> Result<Option<(ProducerView, Vec<ProductCard>)>, StoreError> {
    let Some(m) = producer::Entity::find().filter(producer::Column::Slug.eq(slug)).one(db).await? else {
        return Ok(None);
    };
    let products = product::Entity::find()
        .filter(product::Column::ProducerId.eq(m.id))
        .filter(product::Column::Status.eq("active"))
        .order_by_asc(product::Column::NameVi)
        .all(db)
        .await?;
    let rel = Related::load(db, &products).await?;
    let cards = products.iter().map(|p| rel.card(p, today)).collect::<Vec<_>>();
    Ok(Some((producer_view(&m, cards.len() as i64), cards)))
}

pub async fn certificate_by_number(
    db: &impl ConnectionTrait,
    number: &str,
    today: NaiveDate,
) -> Result<Option<CertView>, StoreError> {
    let Some(c) = certificate::Entity::find().filter(certificate::Column::Number.eq(number)).one(db).await? else {
        return Ok(None);
    };
    let Some(p) = product::Entity::find_by_id(c.product_id).one(db).await? else { return Ok(None) };
    let producer = match p.producer_id {
        Some(id) => producer::Entity::find_by_id(id).one(db).await?.map(|m| m.name),
        None => None,
    };
    Ok(Some(cert_view(&c, &p, producer, today)))
}

pub async fn combos(db: &impl ConnectionTrait, slug: Option<&str>) -> Result<Vec<ComboView>, StoreError> {
    let mut q = combo::Entity::find().filter(combo::Column::Active.eq(true)).order_by_asc(combo::Column::Id);
    if let Some(slug) = slug {
        q = q.filter(combo::Column::Slug.eq(slug));
    }
    let list = q.all(db).await?;
    let items = combo_item::Entity::find()
        .filter(combo_item::Column::ComboId.is_in(list.iter().map(|c| c.id).collect::<Vec<_>>()))
        .order_by_asc(combo_item::Column::Id)
        .all(db)
        .await?;
    let variant_ids: Vec<i64> = items.iter().map(|i| i.variant_id).collect();
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
    let stock = available_online(db, variant_ids).await?;
    Ok(list
        .into_iter()
        .map(|c| {
            let mine: Vec<&combo_item::Model> = items.iter().filter(|i| i.combo_id == c.id).collect();
            let available = combo_available(&mine, &stock);
            let items = mine
                .iter()
                .filter_map(|i| {
                    let v = variants.get(&i.variant_id)?;
                    let p = products.get(&v.product_id)?;
                    Some(ComboItemView {
                        product_slug: p.slug.clone(),
                        product_name_vi: p.name_vi.clone(),
                        product_name_en: p.name_en.clone(),
                        size_vi: v.size_vi.clone(),
                        size_en: v.size_en.clone(),
                        qty: i.qty,
                        unit_price: v.price_vnd,
                    })
                })
                .collect();
            ComboView {
                slug: c.slug,
                name_vi: c.name_vi,
                name_en: c.name_en,
                story_vi: c.story_vi,
                story_en: c.story_en,
                price: c.price_vnd,
                items,
                available,
                photo: crate::combos::photo_view(c.photo.as_deref()),
            }
        })
        .collect())
}

#[derive(FromQueryResult)]
struct ValueCount {
    value: Option<String>,
    n: i64,
}

/// The values the filters offer, with how many listed products have each.
pub async fn facets(db: &impl ConnectionTrait) -> Result<Facets, StoreError> {
    async fn count_by(
        db: &impl ConnectionTrait,
        select: sea_orm::Select<product::Entity>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = select
            .filter(product::Column::Status.eq("active"))
            .column_as(Expr::cust("COUNT(*)"), "n")
            .into_model::<ValueCount>()
            .all(db)
            .await?;
        let mut out: Vec<(String, i64)> = rows.into_iter().filter_map(|r| Some((r.value?, r.n))).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }
    let base = || product::Entity::find().select_only();
    let groups =
        count_by(db, base().column_as(product::Column::OcopGroup, "value").group_by(product::Column::OcopGroup))
            .await?;
    let categories =
        count_by(db, base().column_as(product::Column::Category, "value").group_by(product::Column::Category)).await?;
    let districts = count_by(
        db,
        base()
            .column_as(producer::Column::DistrictPre2025, "value")
            .join(
                sea_orm::JoinType::InnerJoin,
                product::Entity::belongs_to(producer::Entity)
                    .from(product::Column::ProducerId)
                    .to(producer::Column::Id)
                    .into(),
            )
            .group_by(producer::Column::DistrictPre2025),
    )
    .await?;
    Ok(Facets { groups, categories, districts })
}

impl Store {
    /// One page of the catalogue: ranked ids from the search engine, cards from the database.
    pub async fn catalog_page(&self, q: &CatalogQuery) -> Result<CatalogPage, StoreError> {
        let plan = self.understand(&q.q).await?;
        let hits = self.search.search(q, &plan, self.today_days()).await?;
        let items = self.cards(&hits.ids).await?;
        Ok(CatalogPage { total: hits.total, items, partial: hits.partial, did_you_mean: plan.suggestion })
    }
}

/// The certificate a shopper would have been shown on `day`: of those decided by then, the newest
/// showing a badge on that day (else the newest), with its status as of that day.
pub(crate) async fn cert_on(
    db: &impl ConnectionTrait,
    p: &product::Model,
    producer_name: Option<String>,
    day: NaiveDate,
) -> Result<Option<CertView>, StoreError> {
    let mut certs: Vec<certificate::Model> = certificate::Entity::find()
        .filter(certificate::Column::ProductId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| c.decided_on.is_none_or(|d| d <= day))
        .collect();
    certs.sort_by(|a, b| b.decided_on.cmp(&a.decided_on).then(b.id.cmp(&a.id)));
    Ok(current_cert(certs.iter().map(|c| cert_view(c, p, producer_name.clone(), day)).collect()))
}

/// The product's producer as its pages show it.
pub(crate) async fn producer_of_product(
    db: &impl ConnectionTrait,
    p: &product::Model,
) -> Result<Option<ProducerView>, StoreError> {
    let Some(m) = (match p.producer_id {
        Some(id) => producer::Entity::find_by_id(id).one(db).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    let count = product::Entity::find()
        .filter(product::Column::ProducerId.eq(m.id))
        .filter(product::Column::Status.eq("active"))
        .count(db)
        .await?;
    Ok(Some(producer_view(&m, count as i64)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::certificate::CertStatus;

    #[test]
    fn shows_the_newest_badge_before_newer_expired_ones() {
        let mk = |number: &str, status| CertView {
            number: number.into(),
            number_is_sample: false,
            stars: 4,
            score: None,
            level: None,
            decided_on: None,
            precision: DatePrecision::Day,
            last_valid_day: None,
            last_valid_day_range: None,
            revoked_on: None,
            revoke_reason: None,
            status,
            product_slug: String::new(),
            product_name_vi: String::new(),
            product_name_en: String::new(),
            producer_name: None,
        };
        let picked = current_cert(vec![mk("new-revoked", CertStatus::Revoked), mk("old-valid", CertStatus::Valid)]);
        assert_eq!(picked.unwrap().number, "old-valid");
        let picked = current_cert(vec![mk("newest", CertStatus::Expired), mk("older", CertStatus::Expired)]);
        assert_eq!(picked.unwrap().number, "newest");
        assert!(current_cert(vec![]).is_none());
    }
}
