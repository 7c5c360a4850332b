//! The public OCOP registry: every certificate on record with its product and producer, filtered
//! by decision year and stars in the database, by place and validity here.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::ocop::OcopGroup;
use domain::registry::{RegistryEntry, RegistryQuery};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::StoreError;
use crate::catalog::cert_view;
use crate::entity::{certificate, producer, product};

pub async fn entries(
    db: &impl ConnectionTrait,
    q: &RegistryQuery,
    today: NaiveDate,
) -> Result<Vec<RegistryEntry>, StoreError> {
    let mut find = certificate::Entity::find()
        .order_by_desc(certificate::Column::DecidedOn)
        .order_by_asc(certificate::Column::Number);
    if let Some(y) = q.year {
        let (from, to) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y + 1, 1, 1));
        if let (Some(from), Some(to)) = (from, to) {
            find = find.filter(certificate::Column::DecidedOn.gte(from)).filter(certificate::Column::DecidedOn.lt(to));
        }
    }
    if let Some(s) = q.stars {
        find = find.filter(certificate::Column::Stars.eq(s as i32));
    }
    let certs = find.all(db).await?;
    let products: HashMap<i64, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(certs.iter().map(|c| c.product_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let producers: HashMap<i64, producer::Model> = producer::Entity::find()
        .filter(producer::Column::Id.is_in(products.values().filter_map(|p| p.producer_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out = Vec::new();
    for c in &certs {
        let Some(p) = products.get(&c.product_id) else { continue };
        let pr = p.producer_id.and_then(|id| producers.get(&id));
        let commune = pr.and_then(|m| m.commune.clone()).filter(|s| !s.trim().is_empty());
        let district = pr.and_then(|m| m.district_pre2025.clone());
        if !q.area_matches(commune.as_deref(), district.as_deref()) {
            continue;
        }
        let entry = RegistryEntry {
            certificate: cert_view(c, p, pr.map(|m| m.name.clone()), today),
            kind: c.kind.clone(),
            ocop_group: OcopGroup::parse(&p.ocop_group).ok(),
            producer_kind: pr.and_then(|m| m.kind.clone()),
            commune,
            district_pre2025: district,
            province: pr.map(|m| m.province.clone()),
        };
        if q.valid_only && !entry.valid_today() {
            continue;
        }
        out.push(entry);
    }
    Ok(out)
}
