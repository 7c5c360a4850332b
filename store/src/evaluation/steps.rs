//! A dossier's steps: who takes each (the rules of order, reasons, documents, samples and sheets
//! are the domain's), the council's result computed when the scoring closes, the dated event, the
//! audit line and the producer's notification, in one transaction.

use chrono::{NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::evaluation::dossier::{self, Facts, Step, missing_documents};
use domain::evaluation::{DossierStatus, Outcome as Result148, council_result};
use domain::ocop::Stars;

use super::dossiers::{attached, finish, group_of};
use super::{acts_as, all, event, exec, invalid, may_read, row, tell_producer};
pub use domain::evaluation::records::StoredResult;

use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

pub(crate) fn outcome_code(o: Result148) -> &'static str {
    match o {
        Result148::Disqualified => "disqualified",
        Result148::NotRanked(_) => "not_ranked",
        Result148::Ranked(_) => "ranked",
        Result148::ProposedFive => "proposed_five",
    }
}

#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub reason: String,
    /// Disqualifying conditions the council found (closing the scoring only).
    pub gates: Vec<String>,
}

fn subject_for(to: DossierStatus) -> Option<(&'static str, &'static str)> {
    Some(match to {
        DossierStatus::Returned => ("Hồ sơ OCOP bị trả lại để bổ sung", "OCOP dossier returned for changes"),
        DossierStatus::Proposed => ("Hồ sơ OCOP đã được xã đề nghị lên tỉnh", "OCOP dossier proposed to the province"),
        DossierStatus::Accepted => ("Hồ sơ OCOP đã được tỉnh tiếp nhận", "OCOP dossier accepted by the province"),
        DossierStatus::Certified => ("Sản phẩm được công nhận OCOP", "Product certified OCOP"),
        DossierStatus::NotRanked => ("Kết quả đánh giá OCOP", "OCOP evaluation result"),
        _ => return None,
    })
}

/// Moves a dossier one step. The rules (order, reasons, documents, samples, number of sheets) are
/// the domain's; who may take the step is checked here.
pub async fn take(store: &Store, actor: &Account, id: i64, step: Step, input: &StepInput) -> Outcome<DossierStatus> {
    if matches!(step, Step::Decide { .. }) {
        // A decision covers the whole round: `decision::record`.
        return Ok(Err(Refusal::Forbidden));
    }
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<DossierStatus> = async {
        let Some(d) = row(&txn, id).await? else { return Ok(Err(Refusal::NotFound)) };
        if !acts_as(&txn, actor, step.actor(), &d).await? {
            return Ok(Err(if may_read(&txn, actor, &d).await? { Refusal::Forbidden } else { Refusal::NotFound }));
        }
        let submitted: Vec<domain::evaluation::Choices> = all(
            &txn,
            "SELECT choices FROM council_scores WHERE dossier_id = ? AND submitted_at IS NOT NULL ORDER BY member_id",
            vec![id.into()],
        )
        .await?
        .into_iter()
        .map(|r| Ok(serde_json::from_str(&r.try_get::<String>("", "choices")?).unwrap_or_default()))
        .collect::<Result<_, StoreError>>()?;
        let facts = Facts {
            reason: input.reason.clone(),
            missing_documents: missing_documents(group_of(&txn, d.product_id).await?, &attached(&txn, id).await?),
            samples_received: d.samples_received_on,
            sheets_submitted: submitted.len(),
        };
        let to = match dossier::next(d.status, step, &facts) {
            Ok(to) => to,
            Err(e) => {
                return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                    field: "step".into(),
                    message_vi: e.to_string(),
                    message_en: e.to_string(),
                }])));
            }
        };
        if step == Step::CloseScoring {
            let sheet = super::sheets::for_product(&txn, d.round_id, d.product_id)
                .await?
                .ok_or_else(|| StoreError::Invariant(format!("round {} has no sheet", d.round_id)))?;
            let r = match council_result(&sheet, &submitted, &input.gates) {
                Ok(r) => r,
                Err(e) => return Ok(Err(invalid("gates", &e.to_string(), &e.to_string()))),
            };
            let stored = StoredResult {
                members: r.members,
                totals: r.totals.clone(),
                mean_centi: r.mean.0,
                parts_centi: r.parts.map(|p| p.0),
                band: r.band.get(),
                stars: r.stars.map(Stars::get),
                outcome: outcome_code(r.outcome).into(),
                unmet: r.unmet.iter().map(|(c, _)| c.clone()).collect(),
                disqualified: r.disqualified.clone(),
                spread: r.spread(),
                needs_discussion: r.needs_discussion(),
            };
            exec(
                &txn,
                "UPDATE dossiers SET result = ?, score_centi = ?, stars = ?, outcome = ? WHERE id = ?",
                vec![
                    serde_json::to_string(&stored).unwrap_or_default().into(),
                    r.mean.0.into(),
                    r.stars.map(|s| s.get() as i32).into(),
                    stored.outcome.clone().into(),
                    id.into(),
                ],
            )
            .await?;
        }
        exec(
            &txn,
            "UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?",
            vec![to.code().into(), Utc::now().into(), id.into()],
        )
        .await?;
        let reason = Some(input.reason.trim()).filter(|r| !r.is_empty());
        event(&txn, id, step.code(), Some(d.status), to, actor, reason).await?;
        let before = serde_json::json!({"status": d.status.code()});
        let after = serde_json::json!({"status": to.code(), "reason": reason});
        crate::office::audit(&txn, actor, step.code(), "dossier", &id.to_string(), before, after).await?;
        if let Some((vi, en)) = subject_for(to) {
            let (next_vi, next_en) = to.for_producer();
            let why = reason.map(|r| format!("\n\nLý do / Reasons: {r}")).unwrap_or_default();
            let body = format!("{vi} (#{id}).\n{next_vi}\n\n{en} (#{id}).\n{next_en}{why}");
            tell_producer(&txn, d.producer_id, &format!("{vi} / {en}"), &body).await?;
        }
        Ok(Ok(to))
    }
    .await;
    finish(txn, turn, result).await
}

/// The office records the product samples' receipt (needed before it accepts the dossier).
pub async fn record_samples(store: &Store, actor: &Account, id: i64, received_on: &str, note: &str) -> Outcome<()> {
    if actor.role != Role::Admin {
        return Ok(Err(Refusal::Forbidden));
    }
    let today = store.today();
    let Some(day) = NaiveDate::parse_from_str(received_on.trim(), "%Y-%m-%d").ok().filter(|d| *d <= today) else {
        return Ok(Err(invalid(
            "received_on",
            "Ngày nhận mẫu không hợp lệ (không sau hôm nay).",
            "The samples' date is not valid (not after today).",
        )));
    };
    let note: String = note.trim().chars().take(1000).collect();
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<()> = async {
        let Some(d) = row(&txn, id).await? else { return Ok(Err(Refusal::NotFound)) };
        if !matches!(d.status, DossierStatus::Proposed | DossierStatus::Accepted) {
            return Ok(Err(invalid(
                "status",
                "Chỉ ghi nhận mẫu cho hồ sơ xã đã đề nghị.",
                "Samples are recorded for dossiers the commune proposed.",
            )));
        }
        exec(
            &txn,
            "UPDATE dossiers SET samples_received_on = ?, samples_note = ?, updated_at = ? WHERE id = ?",
            vec![day.into(), note.clone().into(), Utc::now().into(), id.into()],
        )
        .await?;
        event(
            &txn,
            id,
            "samples",
            Some(d.status),
            d.status,
            actor,
            Some(&note).filter(|n| !n.is_empty()).map(|s| s.as_str()),
        )
        .await?;
        crate::office::audit(
            &txn,
            actor,
            "samples",
            "dossier",
            &id.to_string(),
            serde_json::Value::Null,
            serde_json::json!({"received_on": day, "note": note}),
        )
        .await?;
        Ok(Ok(()))
    }
    .await;
    finish(txn, turn, result).await
}
