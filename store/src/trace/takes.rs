//! Which batch each unit sold came from (`batch_takes`): named by the packer or the till's scan, or
//! assumed first-expiring-first-out from what the ledger holds where the sale happened. Each take
//! returns the portions its stock movements are written in, so the ledger knows the batch too.

use chrono::{DateTime, NaiveDate, Utc};
use domain::trace::fefo::allocate;
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::evaluation::{all, exec, one};

/// Units of a movement: from this batch (None: stock recorded without a batch).
pub(crate) type Portions = Vec<(Option<i64>, i64)>;

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    batch_id: i64,
    channel: &str,
    reference: &str,
    receipt: &str,
    location_id: i64,
    variant_id: i64,
    qty: i64,
    assumed: bool,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        db,
        "INSERT INTO batch_takes (batch_id, channel, reference, receipt, location_id, variant_id, qty, assumed, at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            batch_id.into(),
            channel.into(),
            reference.into(),
            receipt.into(),
            location_id.into(),
            variant_id.into(),
            qty.into(),
            assumed.into(),
            at.into(),
        ],
    )
    .await
}

/// FEFO over what the ledger holds at the location; each batch taken is recorded as assumed.
#[allow(clippy::too_many_arguments)]
async fn assume(
    db: &impl ConnectionTrait,
    channel: &str,
    reference: &str,
    receipt: &str,
    location_id: i64,
    variant_id: i64,
    units: i64,
    at: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Portions, StoreError> {
    let cands = super::batches::candidates(db, variant_id, location_id).await?;
    let a = allocate(&cands, units, today);
    let mut out = Portions::new();
    for (batch, qty) in a.batches {
        insert(db, batch, channel, reference, receipt, location_id, variant_id, qty, true, at).await?;
        out.push((Some(batch), qty));
    }
    if a.unbatched > 0 {
        out.push((None, a.unbatched));
    }
    Ok(out)
}

/// An order's units of a size leaving the online warehouse: what the packer named (recorded when it
/// shipped), the rest assumed.
pub(crate) async fn online(
    db: &impl ConnectionTrait,
    number: &str,
    location_id: i64,
    variant_id: i64,
    units: i64,
    today: NaiveDate,
) -> Result<Portions, StoreError> {
    let named = all(
        db,
        "SELECT batch_id, CAST(SUM(qty) AS BIGINT) AS qty FROM batch_takes \
         WHERE channel = 'online' AND reference = ? AND variant_id = ? GROUP BY batch_id ORDER BY batch_id",
        vec![number.into(), variant_id.into()],
    )
    .await?;
    let mut out = Portions::new();
    let mut left = units;
    for r in named {
        let qty = r.try_get::<i64>("", "qty")?.min(left);
        if qty > 0 {
            out.push((Some(r.try_get("", "batch_id")?), qty));
            left -= qty;
        }
    }
    if left > 0 {
        out.extend(assume(db, "online", number, number, location_id, variant_id, left, Utc::now(), today).await?);
    }
    Ok(out)
}

/// The packer names the batch of a size in its parcel: every unit of that size in the order.
/// Replaces an earlier choice (a parcel repacked before the order left).
pub(crate) async fn name_online(
    db: &impl ConnectionTrait,
    number: &str,
    location_id: i64,
    variant_id: i64,
    batch_id: i64,
    units: i64,
) -> Result<(), StoreError> {
    exec(
        db,
        "DELETE FROM batch_takes WHERE channel = 'online' AND reference = ? AND variant_id = ?",
        vec![number.into(), variant_id.into()],
    )
    .await?;
    insert(db, batch_id, "online", number, number, location_id, variant_id, units, false, Utc::now()).await
}

/// A showroom sale or refund's units of a size. A sale takes the batch its line names (from the
/// label's scan, or the till's own first-expiring-first-out), else assumes one here; a refund gives
/// back to the batches its sale took, under the sale's reference so the two net out.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn showroom(
    db: &impl ConnectionTrait,
    location_id: i64,
    sale_id: &str,
    receipt: &str,
    refund_of: Option<&str>,
    variant_id: i64,
    units: i64,
    named: Option<(&str, bool)>,
    at: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Portions, StoreError> {
    if let Some(original) = refund_of {
        let taken = all(
            db,
            "SELECT batch_id, CAST(SUM(qty) AS BIGINT) AS qty FROM batch_takes \
             WHERE channel = 'showroom' AND reference = ? AND variant_id = ? GROUP BY batch_id ORDER BY batch_id",
            vec![original.into(), variant_id.into()],
        )
        .await?;
        let mut out = Portions::new();
        let mut left = units;
        for r in taken {
            let qty = r.try_get::<i64>("", "qty")?.min(left);
            if qty > 0 {
                let batch: i64 = r.try_get("", "batch_id")?;
                insert(db, batch, "showroom", original, receipt, location_id, variant_id, -qty, false, at).await?;
                out.push((Some(batch), qty));
                left -= qty;
            }
        }
        if left > 0 {
            out.push((None, left));
        }
        return Ok(out);
    }
    if let Some((code, assumed)) = named {
        let found = one(
            db,
            "SELECT id FROM batches WHERE variant_id = ? AND code = ?",
            vec![variant_id.into(), code.to_uppercase().into()],
        )
        .await?;
        if let Some(r) = found {
            let batch: i64 = r.try_get("", "id")?;
            insert(db, batch, "showroom", sale_id, receipt, location_id, variant_id, units, assumed, at).await?;
            return Ok(vec![(Some(batch), units)]);
        }
    }
    assume(db, "showroom", sale_id, receipt, location_id, variant_id, units, at, today).await
}
