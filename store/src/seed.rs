//! The first start's catalogue: 63 real Bình Thuận OCOP products with their producers, exactly as the
//! public sources give them (`seed/binhthuan_ocop_products.tsv`, copied from the project's research), plus
//! values the sources lack (prices, sizes, English names, stock) from `seed/sample_values.tsv`. Rows carrying
//! such values are flagged `sample_values`, and certificate numbers we had to make up `number_is_sample`,
//! so the storefront can say so.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::{CertLevel, OcopGroup, ProducerKind, Stars};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait};

use crate::StoreError;
use crate::catalog::ONLINE_WAREHOUSE;
use crate::entity::{
    certificate, combo, combo_item, location, producer, product, stock_level, stock_movement, variant,
};

pub use domain::seed_catalogue::{CATALOG_TSV, COMBOS, CURRENT_PROVINCE, SAMPLE_TSV, SampleRow, SourceRow};

pub fn source_rows() -> Result<Vec<SourceRow>, StoreError> {
    domain::seed_catalogue::source_rows().map_err(StoreError::Seed)
}

pub fn sample_rows() -> Result<HashMap<String, SampleRow>, StoreError> {
    domain::seed_catalogue::sample_rows().map_err(StoreError::Seed)
}

/// A URL slug from Vietnamese text: folded, words joined by hyphens, at most 80 characters.
pub fn slugify(s: &str) -> String {
    let folded = domain::text::fold(s);
    let mut slug: String = folded.split_whitespace().collect::<Vec<_>>().join("-");
    slug.truncate(80);
    slug.trim_end_matches('-').to_string()
}

fn unique_slug(base: String, taken: &mut HashMap<String, u32>) -> String {
    let n = taken.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { base } else { format!("{base}-{n}") }
}

/// Sentences built only from facts in the source row, so nothing in them is made up.
fn descriptions(r: &SourceRow) -> (String, String) {
    let mut vi = format!("{} là sản phẩm OCOP", r.name_vi);
    let mut en = String::from("An OCOP product");
    if let Some(s) = r.stars {
        vi.push_str(&format!(" {s} sao"));
        en = format!("A {s}-star OCOP product");
    }
    if let Some(y) = r.year {
        vi.push_str(&format!(" (công nhận năm {y})"));
        en.push_str(&format!(" (certified in {y})"));
    }
    if let Some(p) = &r.producer {
        vi.push_str(&format!(" của {p}"));
        en.push_str(&format!(" from {p}"));
    }
    match &r.district {
        Some(d) => {
            vi.push_str(&format!(", {d}, tỉnh Bình Thuận (nay thuộc tỉnh Lâm Đồng)."));
            en.push_str(&format!(", {d}, former Bình Thuận province (now Lâm Đồng)."));
        }
        None => {
            vi.push_str(", tỉnh Bình Thuận (nay thuộc tỉnh Lâm Đồng).");
            en.push_str(", former Bình Thuận province (now Lâm Đồng).");
        }
    }
    (vi, en)
}

/// The certifying level when only the year is known: only if the rules gave the same level all year
/// (in 2025 a 3★ moved from district to province on 6 July).
fn level_for_year(stars: Stars, year: Option<i32>) -> Option<CertLevel> {
    let year = year?;
    let first = CertLevel::expected(stars, NaiveDate::from_ymd_opt(year, 1, 1)?);
    let last = CertLevel::expected(stars, NaiveDate::from_ymd_opt(year, 12, 31)?);
    if first == last { first } else { None }
}

/// The location online orders are sold from until producers ship from their own dispatch points.
pub fn online_warehouse(now: chrono::DateTime<Utc>) -> location::ActiveModel {
    location::ActiveModel {
        code: Set(ONLINE_WAREHOUSE.into()),
        name: Set("Kho bán hàng trực tuyến / Online warehouse".into()),
        kind: Set("online_warehouse".into()),
        producer_id: Set(None),
        address: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Seeds the real catalogue into an empty database in one transaction: all of it or none.
pub async fn seed_if_empty(db: &sea_orm::DatabaseConnection) -> Result<bool, StoreError> {
    let txn = db.begin().await?;
    if product::Entity::find().count(&txn).await? > 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    seed(&txn).await?;
    txn.commit().await?;
    tracing::info!("seeded the Bình Thuận OCOP catalogue");
    Ok(true)
}

async fn seed(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    let now = Utc::now();
    let rows = source_rows()?;
    let samples = sample_rows()?;
    let warehouse = online_warehouse(now).insert(db).await?;

    let mut producer_ids: HashMap<String, i64> = HashMap::new();
    let mut slugs = HashMap::new();
    let mut variant_of_product: HashMap<String, i64> = HashMap::new();
    let mut cert_seq: HashMap<i32, u32> = HashMap::new();

    for (i, r) in rows.iter().enumerate() {
        let producer_id = match &r.producer {
            Some(name) => match producer_ids.get(name) {
                Some(id) => Some(*id),
                None => {
                    let kind = r.producer_kind.as_deref().and_then(|k| ProducerKind::parse(k).ok());
                    let m = producer::ActiveModel {
                        slug: Set(unique_slug(slugify(name), &mut slugs)),
                        name: Set(name.clone()),
                        kind: Set(kind.map(|k| k.code().to_string())),
                        district_pre2025: Set(r.district.clone()),
                        province: Set(CURRENT_PROVINCE.into()),
                        commune: Set(None),
                        story_vi: Set(None),
                        story_en: Set(None),
                        sample_values: Set(false),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(db)
                    .await?;
                    producer_ids.insert(name.clone(), m.id);
                    Some(m.id)
                }
            },
            None => None,
        };
        let sample =
            samples.get(&r.name_vi).ok_or_else(|| StoreError::Seed(format!("no sample values for {}", r.name_vi)))?;
        let (description_vi, description_en) = descriptions(r);
        let p = product::ActiveModel {
            slug: Set(unique_slug(slugify(&r.name_vi), &mut slugs)),
            producer_id: Set(producer_id),
            name_vi: Set(r.name_vi.clone()),
            name_en: Set(sample.name_en.clone()),
            description_vi: Set(description_vi),
            description_en: Set(description_en),
            ocop_group: Set(OcopGroup::for_category(&r.category).code().into()),
            category: Set(r.category.clone()),
            tags: Set(String::new()),
            status: Set("active".into()),
            sample_values: Set(true),
            source_url: Set(Some(r.source_url.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let v = variant::ActiveModel {
            product_id: Set(p.id),
            sku: Set(domain::seed_catalogue::sku(i)),
            barcode: Set(Some(domain::seed_catalogue::barcode(i))),
            size_vi: Set(sample.size_vi.clone()),
            size_en: Set(sample.size_en.clone()),
            price_vnd: Set(sample.price),
            active: Set(true),
            position: Set(0),
            ..Default::default()
        }
        .insert(db)
        .await?;
        variant_of_product.insert(r.name_vi.clone(), v.id);
        stock_movement::ActiveModel {
            location_id: Set(warehouse.id),
            variant_id: Set(v.id),
            qty_delta: Set(sample.stock),
            reason: Set("sample_initial".into()),
            reference: Set(Some("seed".into())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        stock_level::ActiveModel {
            location_id: Set(warehouse.id),
            variant_id: Set(v.id),
            on_hand: Set(sample.stock),
            reserved: Set(0),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;

        if let Some(stars) = r.stars {
            let stars_checked = Stars::new(stars).map_err(|e| StoreError::Seed(e.to_string()))?;
            let decided = r.year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1));
            let seq = cert_seq.entry(r.year.unwrap_or(0)).or_insert(0);
            *seq += 1;
            let year_part = r.year.map_or("KR".to_string(), |y| y.to_string());
            certificate::ActiveModel {
                product_id: Set(p.id),
                number: Set(format!("BTH-{year_part}-{:03}", seq)),
                number_is_sample: Set(true),
                stars: Set(stars as i32),
                score: Set(None),
                level: Set(level_for_year(stars_checked, r.year).map(|l| l.code().to_string())),
                decided_on: Set(decided),
                date_precision: Set("year".into()),
                last_valid_on: Set(decided.map(domain::certificate::last_valid_day)),
                revoked_on: Set(None),
                revoke_reason: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }

    for (slug, name_vi, name_en, story_vi, story_en, price, items) in COMBOS {
        let c = combo::ActiveModel {
            slug: Set(slug.to_string()),
            name_vi: Set(name_vi.to_string()),
            name_en: Set(name_en.to_string()),
            story_vi: Set(story_vi.to_string()),
            story_en: Set(story_en.to_string()),
            price_vnd: Set(*price),
            active: Set(true),
            sample_values: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for name in *items {
            let variant_id = *variant_of_product
                .get(*name)
                .ok_or_else(|| StoreError::Seed(format!("combo {slug} names unknown product {name}")))?;
            combo_item::ActiveModel {
                combo_id: Set(c.id),
                variant_id: Set(variant_id),
                qty: Set(1),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_catalogue_parses_whole() {
        let rows = source_rows().unwrap();
        assert_eq!(rows.len(), 63);
        let samples = sample_rows().unwrap();
        for r in &rows {
            assert!(samples.contains_key(&r.name_vi), "sample values missing for {}", r.name_vi);
            if let Some(k) = &r.producer_kind {
                ProducerKind::parse(k).unwrap();
            }
        }
        let names: std::collections::HashSet<_> = rows.iter().map(|r| &r.name_vi).collect();
        assert_eq!(names.len(), rows.len(), "product names are the sample table's key");
    }

    #[test]
    fn levels_are_recorded_only_where_the_year_decides_them() {
        let s = |n| Stars::new(n).unwrap();
        assert_eq!(level_for_year(s(3), Some(2024)), Some(CertLevel::District));
        assert_eq!(level_for_year(s(3), Some(2025)), None, "district before 6 July 2025, province after");
        assert_eq!(level_for_year(s(4), Some(2025)), Some(CertLevel::Province));
        assert_eq!(level_for_year(s(5), Some(2021)), None, "a 2021 5★ may be a provincial potential 5★");
        assert_eq!(level_for_year(s(3), None), None);
    }

    #[test]
    fn slugs_are_folded_ascii() {
        assert_eq!(slugify("Nước mắm Cá Đen"), "nuoc-mam-ca-den");
        assert_eq!(slugify("Rượu vang Thanh long Pitayana 14% Vol"), "ruou-vang-thanh-long-pitayana-14-vol");
    }
}
