//! The till's batches: replaced whole for a size at each pull that names it, so a recall arrives with
//! the next pull. A scan that carries its batch (a GS1 Digital Link or element string on the label)
//! names it; otherwise the till assumes first-expiring-first-out among what its shelf holds, and
//! refuses a unit only a recalled or expired batch could have supplied.

use chrono::NaiveDate;
use domain::pos_catalog::CatalogBatch;
use domain::trace::fefo::{Candidate, Refusal, TillPick, check_named, till_pick};
use sea_orm::ConnectionTrait;

use crate::PosError;
use crate::db::stmt;

pub async fn replace(db: &impl ConnectionTrait, sku: &str, batches: &[CatalogBatch]) -> Result<(), PosError> {
    db.execute_raw(stmt("DELETE FROM batches WHERE sku = ?", vec![sku.into()])).await?;
    for b in batches {
        db.execute_raw(stmt(
            "INSERT INTO batches (sku, code, produced_on, expires_on, on_hand, recalled, recall_reason) VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (sku, code) DO NOTHING",
            vec![
                sku.into(),
                b.code.clone().into(),
                b.produced_on.format("%Y-%m-%d").to_string().into(),
                b.expires_on.map(|d| d.format("%Y-%m-%d").to_string()).into(),
                b.on_hand.into(),
                b.recalled.into(),
                b.recall_reason.clone().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The size's batches as candidates (ids are positions in the list), with their codes and reasons.
async fn of_sku(db: &impl ConnectionTrait, sku: &str) -> Result<Vec<(Candidate, Option<String>)>, PosError> {
    let rows = db
        .query_all_raw(stmt(
            "SELECT code, produced_on, expires_on, on_hand, recalled, recall_reason FROM batches WHERE sku = ? ORDER BY code",
            vec![sku.into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let expires: Option<String> = r.try_get("", "expires_on")?;
        out.push((
            Candidate {
                id: i as i64,
                code: r.try_get("", "code")?,
                produced_on: day(&r.try_get::<String>("", "produced_on")?).unwrap_or(NaiveDate::MIN),
                expires_on: expires.as_deref().and_then(day),
                on_hand: r.try_get("", "on_hand")?,
                recalled: r.try_get("", "recalled")?,
            },
            r.try_get("", "recall_reason")?,
        ));
    }
    Ok(out)
}

/// What a cart line records for one unit of `sku`: the named batch, or the one assumed; None when the
/// size has no batches. Refused when the named batch is recalled or expired, or when only such a
/// batch could have supplied the unit.
pub async fn pick(
    db: &impl ConnectionTrait,
    sku: &str,
    named: Option<&str>,
    today: NaiveDate,
) -> Result<Result<Option<(String, bool)>, (String, String)>, PosError> {
    let known = of_sku(db, sku).await?;
    let with_reason = |r: Refusal, reason: Option<&String>| {
        let (mut vi, mut en) = r.message();
        if let (Refusal::Recalled { .. }, Some(why)) = (&r, reason) {
            vi.push_str(&format!(" Lý do: {why}"));
            en.push_str(&format!(" Reason: {why}"));
        }
        (vi, en)
    };
    if let Some(code) = named {
        let code = code.trim().to_uppercase();
        return Ok(match known.iter().find(|(c, _)| c.code == code) {
            Some((c, reason)) => match check_named(c, today) {
                Ok(()) => Ok(Some((code, false))),
                Err(r) => Err(with_reason(r, reason.as_ref())),
            },
            // A batch recorded after the last pull: sold as named; the marketplace knows it.
            None => Ok(Some((code, false))),
        });
    }
    let cands: Vec<Candidate> = known.iter().map(|(c, _)| c.clone()).collect();
    Ok(match till_pick(&cands, today) {
        TillPick::Unbatched => Ok(None),
        TillPick::Batch(i) => Ok(Some((known[i as usize].0.code.clone(), true))),
        TillPick::Refused(r) => {
            let reason = match &r {
                Refusal::Recalled { code } => {
                    known.iter().find(|(c, _)| &c.code == code).and_then(|(_, why)| why.as_ref())
                }
                Refusal::Expired { .. } => None,
            };
            Err(with_reason(r, reason))
        }
    })
}

/// Today where the till stands (Vietnam), for expiry.
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}
