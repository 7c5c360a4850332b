//! Decree 117 withholding from the records: a producer's status by date (its kind's default, then
//! each change the office made, dated and audited), its tax code, its online sales with each
//! product's tax kind, and refunded orders as returns on the day they were refunded.

use chrono::{DateTime, NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::ocop::{OcopGroup, ProducerKind};
use domain::participation;
use domain::tax::withholding::withhold;
use domain::tax::{Period, Sale, StatusHistory, TaxKind, TaxStatus, Withholding};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::evaluation::{all, exec, invalid, one};
use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&crate::vietnam()).date_naive()
}

/// The producer's status history and tax code; None when there is no such producer.
pub async fn history(
    db: &impl ConnectionTrait,
    producer_id: i64,
) -> Result<Option<(StatusHistory, Option<String>)>, StoreError> {
    let Some(p) = one(db, "SELECT kind, tax_code FROM producers WHERE id = ?", vec![producer_id.into()]).await? else {
        return Ok(None);
    };
    let kind = p.try_get::<Option<String>>("", "kind")?.and_then(|k| ProducerKind::parse(&k).ok());
    let changes = all(
        db,
        "SELECT from_on, status FROM producer_tax_changes WHERE producer_id = ? ORDER BY from_on, id",
        vec![producer_id.into()],
    )
    .await?
    .iter()
    .filter_map(|r| {
        let from: NaiveDate = r.try_get("", "from_on").ok()?;
        Some((from, TaxStatus::parse(&r.try_get::<String>("", "status").ok()?)?))
    })
    .collect();
    Ok(Some((StatusHistory { initial: TaxStatus::for_kind(kind), changes }, p.try_get("", "tax_code")?)))
}

/// A producer's status changes, newest first: (from, status, reason).
pub async fn changes(
    db: &impl ConnectionTrait,
    producer_id: i64,
) -> Result<Vec<(NaiveDate, TaxStatus, String)>, StoreError> {
    Ok(all(
        db,
        "SELECT from_on, status, reason FROM producer_tax_changes WHERE producer_id = ? ORDER BY from_on DESC, id DESC",
        vec![producer_id.into()],
    )
    .await?
    .iter()
    .filter_map(|r| {
        Some((
            r.try_get("", "from_on").ok()?,
            TaxStatus::parse(&r.try_get::<String>("", "status").ok()?)?,
            r.try_get("", "reason").ok()?,
        ))
    })
    .collect())
}

/// A tax code as the tax office issues it: 10 digits, or 10 digits, a dash and 3 for a branch.
pub fn valid_tax_code(raw: &str) -> Option<String> {
    let t = raw.trim().replace(' ', "");
    let ok = match t.split_once('-') {
        None => t.len() == 10 && t.bytes().all(|b| b.is_ascii_digit()),
        Some((a, b)) => a.len() == 10 && b.len() == 3 && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()),
    };
    ok.then_some(t)
}

/// The office sets a producer's tax status from tomorrow (what was sold today was withheld, or not,
/// as the shopper paid) and its tax code, with a reason; the change is dated and audited.
pub async fn set_status(
    store: &Store,
    actor: &Account,
    producer_id: i64,
    status: TaxStatus,
    tax_code: &str,
    reason: &str,
) -> Outcome<()> {
    if actor.role != Role::Admin {
        return Ok(Err(Refusal::Forbidden));
    }
    let Some((history, code_before)) = history(&store.db, producer_id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let code = match tax_code.trim() {
        "" => None,
        raw => match valid_tax_code(raw) {
            Some(c) => Some(c),
            None => {
                return Ok(Err(invalid(
                    "tax_code",
                    "Mã số thuế gồm 10 chữ số (chi nhánh: 10 số, dấu - và 3 số).",
                    "A tax code has 10 digits (a branch: 10 digits, a dash and 3).",
                )));
            }
        },
    };
    let reason = reason.trim();
    let from = store.today().succ_opt().unwrap_or(NaiveDate::MAX);
    let before = history.on(from);
    if before != status && reason.chars().count() < 5 {
        return Ok(Err(invalid(
            "reason",
            "Ghi lý do đổi (ít nhất 5 ký tự).",
            "Give the reason for the change (at least 5 characters).",
        )));
    }
    let (turn, txn) = store.write_txn().await?;
    if before != status {
        exec(
            &txn,
            "INSERT INTO producer_tax_changes (producer_id, from_on, status, reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            vec![producer_id.into(), from.into(), status.code().into(), reason.into(), actor.id.into(), Utc::now().into()],
        )
        .await?;
    }
    exec(
        &txn,
        "UPDATE producers SET tax_status = ?, tax_code = ? WHERE id = ?",
        vec![status.code().into(), code.clone().into(), producer_id.into()],
    )
    .await?;
    crate::office::audit(
        &txn,
        actor,
        "tax_status",
        "producer",
        &producer_id.to_string(),
        json!({"status": before.code(), "tax_code": code_before}),
        json!({"status": status.code(), "tax_code": code, "from": from, "reason": reason}),
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(()))
}

/// A product's tax kind: as set on it, else from its OCOP group.
fn kind_of(r: &sea_orm::QueryResult) -> Result<TaxKind, sea_orm::DbErr> {
    Ok(match r.try_get::<Option<String>>("", "tax_kind")?.as_deref().and_then(TaxKind::parse) {
        Some(k) => k,
        None => OcopGroup::parse(&r.try_get::<String>("", "ocop_group")?).map_or(TaxKind::Unknown, TaxKind::for_group),
    })
}

/// The producer's online sales up to `until`: its own lines, and its parts of gift combos (a box's
/// price split over its parts by list price, as its statement splits it), each with its product's
/// tax kind and, for a refunded order, the day it was refunded.
async fn online_sales(
    db: &impl ConnectionTrait,
    producer_id: i64,
    until: DateTime<Utc>,
) -> Result<Vec<Sale>, StoreError> {
    let refunded = crate::dashboard::REFUNDED_AT;
    let sold = crate::dashboard::SOLD;
    let own = all(
        db,
        &format!(
            "SELECT o.created_at, o.status, l.line_total, p.ocop_group, p.tax_kind, e.at AS refunded_at \
             FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN variants v ON v.id = l.variant_id \
             JOIN products p ON p.id = v.product_id LEFT JOIN ({refunded}) e ON e.order_id = o.id \
             WHERE l.producer_id = ? AND l.combo_id IS NULL AND o.created_at < ? \
               AND o.status IN ({sold}, 'refunded') ORDER BY o.id, l.id"
        ),
        vec![producer_id.into(), until.into()],
    )
    .await?;
    let sale = |r: &sea_orm::QueryResult, kind: TaxKind, gross: i64| -> Result<Sale, sea_orm::DbErr> {
        let back = r.try_get::<String>("", "status")? == "refunded";
        let refunded_at: Option<DateTime<Utc>> = r.try_get("", "refunded_at")?;
        Ok(Sale {
            on: day(r.try_get("", "created_at")?),
            kind,
            gross,
            returned_on: back.then(|| refunded_at.map(day)).flatten(),
        })
    };
    let mut out = Vec::new();
    for r in &own {
        out.push(sale(r, kind_of(r)?, r.try_get("", "line_total")?)?);
    }
    // Combos holding the producer's goods: every part, so each share is the statement's.
    let parts = all(
        db,
        "SELECT ci.combo_id, p.producer_id, CAST(v.price_vnd * ci.qty AS BIGINT) AS weight, p.ocop_group, p.tax_kind \
         FROM combo_items ci JOIN variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
         WHERE ci.combo_id IN (SELECT ci2.combo_id FROM combo_items ci2 JOIN variants v2 ON v2.id = ci2.variant_id \
           JOIN products p2 ON p2.id = v2.product_id WHERE p2.producer_id = ?) ORDER BY ci.combo_id, ci.id",
        vec![producer_id.into()],
    )
    .await?;
    let mut combos: std::collections::BTreeMap<i64, Vec<(Option<i64>, i64, TaxKind)>> = Default::default();
    for r in &parts {
        combos.entry(r.try_get("", "combo_id")?).or_default().push((
            r.try_get("", "producer_id")?,
            r.try_get("", "weight")?,
            kind_of(r)?,
        ));
    }
    if !combos.is_empty() {
        let ids: Vec<String> = combos.keys().map(i64::to_string).collect();
        let lines = all(
            db,
            &format!(
                "SELECT o.created_at, o.status, l.combo_id, l.line_total, e.at AS refunded_at \
                 FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN ({refunded}) e ON e.order_id = o.id \
                 WHERE l.combo_id IN ({}) AND o.created_at < ? AND o.status IN ({sold}, 'refunded') ORDER BY o.id, l.id",
                ids.join(", ")
            ),
            vec![until.into()],
        )
        .await?;
        for r in &lines {
            let Some(box_parts) = combos.get(&r.try_get::<i64>("", "combo_id")?) else { continue };
            let weights: Vec<i64> = box_parts.iter().map(|p| p.1).collect();
            let shares = domain::settlement::allocate(r.try_get("", "line_total")?, &weights);
            for ((owner, _, kind), share) in box_parts.iter().zip(shares) {
                if *owner == Some(producer_id) && share != 0 {
                    out.push(sale(r, *kind, share)?);
                }
            }
        }
    }
    out.sort_by_key(|s| s.on);
    Ok(out)
}

/// The producer's withholding for the months of `period`.
pub async fn withholding(
    db: &impl ConnectionTrait,
    producer_id: i64,
    period: &participation::Period,
) -> Result<Option<Withholding>, StoreError> {
    let Some((history, code)) = history(db, producer_id).await? else { return Ok(None) };
    let (from, until) = crate::dashboard::bounds(period);
    let sales = online_sales(db, producer_id, until).await?;
    let (first, last) = (Period::of(day(from)), Period::of(period.to));
    let months = withhold(&sales, &history).into_iter().filter(|(p, _)| *p >= first && *p <= last).collect();
    Ok(Some(Withholding::new(history.on(period.to), code, months)))
}

/// The month's withholding declaration: every producer with online sales or returns in the month,
/// withheld ones as rows (with their figures as their statements show them), the others summed
/// as revenue not withheld.
pub async fn declaration(
    db: &impl ConnectionTrait,
    month: Period,
) -> Result<domain::tax::declaration::Declaration, StoreError> {
    use domain::tax::declaration::{Declaration, DeclarationRow};
    let first =
        NaiveDate::from_ymd_opt(month.year, month.month, 1).ok_or_else(|| StoreError::Seed("bad month".into()))?;
    let next = month.next();
    let after =
        NaiveDate::from_ymd_opt(next.year, next.month, 1).ok_or_else(|| StoreError::Seed("bad month".into()))?;
    let last = after.pred_opt().unwrap_or(after);
    let until = crate::dashboard::bounds(&participation::Period { from: first, to: last }).1;
    let producers = all(
        db,
        "SELECT DISTINCT l.producer_id, p.name FROM order_lines l JOIN orders o ON o.id = l.order_id \
         JOIN producers p ON p.id = l.producer_id WHERE l.combo_id IS NULL AND o.created_at < ? ORDER BY p.name",
        vec![until.into()],
    )
    .await?;
    let mut rows = Vec::new();
    let mut not_withheld = 0;
    for r in &producers {
        let id: i64 = r.try_get("", "producer_id")?;
        let Some((history, code)) = history(db, id).await? else { continue };
        let sales = online_sales(db, id, until).await?;
        let Some(totals) = withhold(&sales, &history).remove(&month) else { continue };
        not_withheld += totals.not_withheld;
        if totals.gross() != 0 || totals.returned() != 0 || totals.vat() != 0 {
            rows.push(DeclarationRow {
                producer_id: id,
                name: r.try_get("", "name")?,
                tax_code: code,
                status: history.on(last),
                totals,
            });
        }
    }
    Ok(Declaration { period: month, rows, not_withheld })
}
