//! Council members' scores: each member fills the round's sheet for a dossier on their own, may
//! save a draft, and submits once; nobody sees another member's sheet before submitting their
//! own, and after the scoring closes everyone on the council (and the office) sees them all.

use chrono::{DateTime, Utc};
use domain::account::{Account, Role};
use domain::evaluation::scoring::member_totals;
use domain::evaluation::{Choices, DossierStatus};
use sea_orm::ConnectionTrait;

use super::dossiers::finish;
use super::{all, exec, invalid, on_council, one, row};
use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

pub use domain::evaluation::records::{MemberScore, Notes};

/// Saves the member's sheet for the dossier; `submit` makes it final (every criterion answered).
pub async fn save(
    store: &Store,
    actor: &Account,
    dossier_id: i64,
    choices: &Choices,
    notes: &Notes,
    submit: bool,
) -> Outcome<()> {
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<()> = async {
        let Some(d) = row(&txn, dossier_id).await? else { return Ok(Err(Refusal::NotFound)) };
        if !on_council(&txn, actor, d.round_id, false).await? {
            return Ok(Err(if actor.role == Role::Admin { Refusal::Forbidden } else { Refusal::NotFound }));
        }
        if d.status != DossierStatus::Accepted {
            return Ok(Err(invalid("status", "Hồ sơ không trong thời gian chấm điểm.", "The dossier is not open for scoring.")));
        }
        let mine = one(
            &txn,
            "SELECT submitted_at FROM council_scores WHERE dossier_id = ? AND member_id = ?",
            vec![dossier_id.into(), actor.id.into()],
        )
        .await?;
        if mine.as_ref().map(|r| r.try_get::<Option<DateTime<Utc>>>("", "submitted_at")).transpose()?.flatten().is_some() {
            return Ok(Err(invalid("submit", "Bạn đã nộp phiếu chấm cho hồ sơ này.", "You have already submitted your sheet for this dossier.")));
        }
        let sheet = super::sheets::for_product(&txn, d.round_id, d.product_id)
            .await?
            .ok_or_else(|| StoreError::Invariant(format!("round {} has no sheet", d.round_id)))?;
        // A draft may be partial, but only with the sheet's own criteria and options.
        for (criterion, option) in choices {
            if sheet.criterion(criterion).is_none_or(|(_, c)| c.option(option).is_none()) {
                return Ok(Err(invalid("choices", "Lựa chọn không có trong phiếu.", "A choice that is not on the sheet.")));
            }
        }
        if notes.keys().any(|k| sheet.criterion(k).is_none()) || notes.values().any(|n| n.chars().count() > 2000) {
            return Ok(Err(invalid("notes", "Ghi chú không hợp lệ (tối đa 2.000 ký tự mỗi tiêu chí).", "Notes are not valid (2,000 characters per criterion at most).")));
        }
        if submit && let Err(e) = member_totals(&sheet, choices) {
            return Ok(Err(invalid("choices", &e.to_string(), &e.to_string())));
        }
        let now = Utc::now();
        let submitted = submit.then_some(now);
        let values = vec![
            serde_json::to_string(choices).unwrap_or_default().into(),
            serde_json::to_string(notes).unwrap_or_default().into(),
            submitted.into(),
            now.into(),
            dossier_id.into(),
            actor.id.into(),
        ];
        if mine.is_some() {
            exec(
                &txn,
                "UPDATE council_scores SET choices = ?, notes = ?, submitted_at = ?, updated_at = ? WHERE dossier_id = ? AND member_id = ?",
                values,
            )
            .await?;
        } else {
            exec(
                &txn,
                "INSERT INTO council_scores (choices, notes, submitted_at, updated_at, dossier_id, member_id) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            .await?;
        }
        if submit {
            let total = member_totals(&sheet, choices).map(|t| t.total()).ok();
            crate::office::audit(&txn, actor, "score", "dossier", &dossier_id.to_string(), serde_json::Value::Null, serde_json::json!({"total": total}))
                .await?;
        }
        Ok(Ok(()))
    }
    .await;
    finish(txn, turn, result).await
}

fn score(r: sea_orm::QueryResult, sheet: &domain::evaluation::Sheet) -> Result<MemberScore, StoreError> {
    let choices: Choices = serde_json::from_str(&r.try_get::<String>("", "choices")?).unwrap_or_default();
    Ok(MemberScore {
        member_id: r.try_get("", "member_id")?,
        member_name: r.try_get("", "name")?,
        total: member_totals(sheet, &choices).ok().map(|t| t.total()),
        notes: serde_json::from_str(&r.try_get::<String>("", "notes")?).unwrap_or_default(),
        choices,
        submitted_at: r.try_get("", "submitted_at")?,
    })
}

const SELECT: &str = "SELECT s.member_id, u.name, s.choices, s.notes, s.submitted_at FROM council_scores s \
                      JOIN users u ON u.id = s.member_id WHERE s.dossier_id = ?";

/// The member's own sheet for the dossier, draft or submitted.
pub async fn mine(db: &impl ConnectionTrait, actor: &Account, dossier_id: i64) -> Outcome<Option<MemberScore>> {
    let Some(d) = row(db, dossier_id).await? else { return Ok(Err(Refusal::NotFound)) };
    if !on_council(db, actor, d.round_id, false).await? {
        return Ok(Err(Refusal::NotFound));
    }
    let sheet = super::sheets::for_product(db, d.round_id, d.product_id)
        .await?
        .ok_or_else(|| StoreError::Invariant("round without a sheet".into()))?;
    let r = one(db, &format!("{SELECT} AND s.member_id = ?"), vec![dossier_id.into(), actor.id.into()]).await?;
    Ok(Ok(r.map(|r| score(r, &sheet)).transpose()?))
}

/// Every member's submitted sheet: for a member once they have submitted their own, for everyone
/// on the council and the office once the scoring is closed.
pub async fn all_submitted(db: &impl ConnectionTrait, actor: &Account, dossier_id: i64) -> Outcome<Vec<MemberScore>> {
    let Some(d) = row(db, dossier_id).await? else { return Ok(Err(Refusal::NotFound)) };
    let member = on_council(db, actor, d.round_id, false).await?;
    if !member && actor.role != Role::Admin {
        return Ok(Err(Refusal::NotFound));
    }
    let closed = !matches!(
        d.status,
        DossierStatus::Draft
            | DossierStatus::Submitted
            | DossierStatus::Returned
            | DossierStatus::Proposed
            | DossierStatus::Accepted
    );
    if !closed {
        let own = one(
            db,
            "SELECT 1 AS one FROM council_scores WHERE dossier_id = ? AND member_id = ? AND submitted_at IS NOT NULL",
            vec![dossier_id.into(), actor.id.into()],
        )
        .await?;
        if !member || own.is_none() {
            return Ok(Err(Refusal::Forbidden));
        }
    }
    let sheet = super::sheets::for_product(db, d.round_id, d.product_id)
        .await?
        .ok_or_else(|| StoreError::Invariant("round without a sheet".into()))?;
    let rows =
        all(db, &format!("{SELECT} AND s.submitted_at IS NOT NULL ORDER BY u.name"), vec![dossier_id.into()]).await?;
    Ok(Ok(rows.into_iter().map(|r| score(r, &sheet)).collect::<Result<_, _>>()?))
}
