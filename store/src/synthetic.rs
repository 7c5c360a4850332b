//! A generated national-scale catalogue (about 16,000 products from 8,500 producers) for benchmarks.
//! Every row is flagged `sample_values`: this is load, not data.

use chrono::{Duration, NaiveDate, Utc};
use domain::{CertLevel, OcopGroup, ProducerKind, Stars};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, Set, TransactionTrait};

use crate::StoreError;
use crate::entity::{certificate, location, producer, product, stock_level, variant};
use crate::seed::{sample_rows, slugify, source_rows};

const PROVINCES: &[&str] = &[
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];

/// A small deterministic generator: the same catalogue every run, no extra dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub async fn generate(db: &DatabaseConnection, producers: usize, products: usize) -> Result<(), StoreError> {
    if product::Entity::find().count(db).await? > 0 {
        return Err(StoreError::Seed("the database already has products; generate into an empty one".into()));
    }
    let real = source_rows()?;
    let samples = sample_rows()?;
    let mut rng = Lcg(20261128);
    let now = Utc::now();
    let kinds = ProducerKind::ALL;
    let txn = db.begin().await?;
    location::Entity::insert(location::ActiveModel { id: Set(1), ..crate::seed::online_warehouse(now) })
        .exec(&txn)
        .await?;

    let mut batch = Vec::new();
    for i in 1..=producers {
        let province = PROVINCES[rng.below(PROVINCES.len() as u64) as usize];
        let kind = kinds[rng.below(4) as usize];
        let name = format!("{} {} {}", kind.name_vi(), province, i);
        batch.push(producer::ActiveModel {
            id: Set(i as i64),
            slug: Set(format!("{}-{i}", slugify(&name))),
            name: Set(name),
            kind: Set(Some(kind.code().into())),
            district_pre2025: Set(Some(format!("Huyện {}", rng.below(700) + 1))),
            province: Set(province.into()),
            commune: Set(None),
            story_vi: Set(None),
            story_en: Set(None),
            sample_values: Set(true),
            contact_name: Set(None),
            phone: Set(None),
            email: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        if batch.len() == 500 {
            producer::Entity::insert_many(std::mem::take(&mut batch)).exec(&txn).await?;
        }
    }
    if !batch.is_empty() {
        producer::Entity::insert_many(batch).exec(&txn).await?;
    }

    let (mut ps, mut vs, mut cs, mut ss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 1..=products {
        let base = &real[rng.below(real.len() as u64) as usize];
        let sample = &samples[&base.name_vi];
        let province = PROVINCES[rng.below(PROVINCES.len() as u64) as usize];
        let name_vi = format!("{} {} {}", base.name_vi, province, i);
        let id = i as i64;
        ps.push(product::ActiveModel {
            id: Set(id),
            slug: Set(format!("{}-{i}", slugify(&format!("{} {}", base.name_vi, province)))),
            producer_id: Set(Some(rng.below(producers as u64) as i64 + 1)),
            name_vi: Set(name_vi.clone()),
            name_en: Set(format!("{} {province}", sample.name_en)),
            description_vi: Set(format!("{name_vi}: sản phẩm mẫu cho kiểm thử tải.")),
            description_en: Set("Generated sample product for load testing.".into()),
            ocop_group: Set(OcopGroup::for_category(&base.category).code().into()),
            category: Set(base.category.clone()),
            tags: Set(String::new()),
            status: Set("active".into()),
            sample_values: Set(true),
            source_url: Set(None),
            tax_kind: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
        vs.push(variant::ActiveModel {
            id: Set(id),
            product_id: Set(id),
            sku: Set(format!("GEN{i:06}")),
            barcode: Set(Some(domain::barcode::ean13_from_body(200_000_000_000 + i as u64))),
            size_vi: Set(sample.size_vi.clone()),
            size_en: Set(sample.size_en.clone()),
            price_vnd: Set((sample.price / 1000 + rng.below(200) as i64) * 1000),
            active: Set(true),
            position: Set(0),
        });
        let stars = [3, 3, 3, 3, 4, 4, 5][rng.below(7) as usize];
        let decided =
            NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date") + Duration::days(rng.below(5 * 365) as i64);
        cs.push(certificate::ActiveModel {
            id: Set(id),
            product_id: Set(id),
            number: Set(format!("GEN-{}-{i:06}", decided.format("%Y"))),
            number_is_sample: Set(true),
            stars: Set(stars),
            score: Set(None),
            level: Set(
                CertLevel::expected(Stars::new(stars as i64).expect("3 to 5"), decided).map(|l| l.code().to_string())
            ),
            decided_on: Set(Some(decided)),
            date_precision: Set("day".into()),
            last_valid_on: Set(Some(domain::certificate::last_valid_day(decided))),
            revoked_on: Set(None),
            revoke_reason: Set(None),
            kind: Set("new".into()),
            created_at: Set(now),
        });
        ss.push(stock_level::ActiveModel {
            location_id: Set(1),
            variant_id: Set(id),
            on_hand: Set(rng.below(100) as i64),
            reserved: Set(0),
            updated_at: Set(now),
        });
        if ps.len() == 500 || i == products {
            product::Entity::insert_many(std::mem::take(&mut ps)).exec(&txn).await?;
            variant::Entity::insert_many(std::mem::take(&mut vs)).exec(&txn).await?;
            certificate::Entity::insert_many(std::mem::take(&mut cs)).exec(&txn).await?;
            stock_level::Entity::insert_many(std::mem::take(&mut ss)).exec(&txn).await?;
        }
    }
    // Rows were inserted with explicit ids: move PostgreSQL's sequences past them.
    if txn.get_database_backend() == DbBackend::Postgres {
        for table in ["producers", "products", "variants", "certificates", "locations"] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
