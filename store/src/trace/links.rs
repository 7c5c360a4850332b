//! The GS1 identities of a batch: the GTIN its size's labels carry (its EAN-13, or an in-store
//! number) and the Digital Link built from it; and back, from a scanned link to our batch.

use domain::trace::{DigitalLink, Gtin};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::StoreError;
use crate::entity::{product, variant};
use crate::evaluation::one;

/// In-store GTINs (GS1 prefix 29x) for sizes recorded without a barcode: 290 000 000 000 + the size's id.
const IN_STORE_BASE: u64 = 290_000_000_000;

/// The GTIN a size's labels carry: its EAN-13 when it has a valid one, else an in-store number.
pub fn gtin_of(v: &variant::Model) -> Gtin {
    v.barcode
        .as_deref()
        .and_then(|b| Gtin::parse(b).ok())
        .unwrap_or_else(|| Gtin::parse(&domain::barcode::ean13_from_body(IN_STORE_BASE + v.id as u64)).expect("valid"))
}

pub fn link_of(v: &variant::Model, code: &str) -> String {
    DigitalLink::batch(gtin_of(v), code).uri("")
}

/// A size from the GTIN a label carries.
async fn variant_of_gtin(db: &impl ConnectionTrait, gtin: &Gtin) -> Result<Option<variant::Model>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    if let Some(ean) = gtin.ean13() {
        if let Some(v) = variant::Entity::find().filter(variant::Column::Barcode.eq(ean)).one(db).await? {
            return Ok(Some(v));
        }
        let body: u64 = ean[..12].parse().unwrap_or(0);
        if let Some(id) = body.checked_sub(IN_STORE_BASE).filter(|id| *id < 1_000_000_000) {
            return Ok(variant::Entity::find_by_id(id as i64).one(db).await?.filter(|v| v.barcode.is_none()));
        }
    }
    Ok(None)
}

/// The batch a Digital Link names, if it is ours.
pub async fn resolve(db: &impl ConnectionTrait, link: &DigitalLink) -> Result<Option<i64>, StoreError> {
    let (Some(v), Some(code)) = (variant_of_gtin(db, &link.gtin).await?, link.batch.as_deref()) else {
        return Ok(None);
    };
    Ok(one(
        db,
        "SELECT id FROM batches WHERE variant_id = ? AND code = ?",
        vec![v.id.into(), code.to_uppercase().into()],
    )
    .await?
    .map(|r| r.try_get::<i64>("", "id"))
    .transpose()?)
}

/// The product page a GTIN alone leads to.
pub async fn product_of_gtin(db: &impl ConnectionTrait, gtin: &Gtin) -> Result<Option<String>, StoreError> {
    let Some(v) = variant_of_gtin(db, gtin).await? else { return Ok(None) };
    Ok(product::Entity::find_by_id(v.product_id).one(db).await?.filter(|p| p.status == "active").map(|p| p.slug))
}
