//! Modern channels outside the marketplace that a producer declares (a supermarket, another
//! platform) with evidence, and the office's verdict. Only verified ones count towards participation.

use chrono::{NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::address::FieldError;
pub use domain::portal::ChannelRow;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::listings::{Outcome, Refusal};
use crate::office::audit;
use crate::sql::stmt;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChannelForm {
    /// `supermarket` or `ecommerce`.
    pub kind: String,
    pub name: String,
    /// A link or a description the office can check (a listing page, a supplier contract number).
    pub evidence: String,
    /// YYYY-MM-DD
    pub from: String,
    pub until: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    /// `verify` or `reject`.
    pub verdict: String,
    pub note: String,
}

fn field(f: &str, vi: &str, en: &str) -> FieldError {
    FieldError { field: f.into(), message_vi: vi.into(), message_en: en.into() }
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A producer member declares a channel of its own producer; it waits for the office.
pub async fn declare(store: &Store, actor: &Account, f: &ChannelForm) -> Outcome<i64> {
    let Some(producer_id) = actor.producer_id.filter(|_| actor.role == Role::Producer) else {
        return Ok(Err(Refusal::Forbidden));
    };
    let mut e = Vec::new();
    if !["supermarket", "ecommerce"].contains(&f.kind.as_str()) {
        e.push(field(
            "kind",
            "Chọn siêu thị hoặc sàn thương mại điện tử.",
            "Choose a supermarket or an e-commerce platform.",
        ));
    }
    if !(2..=120).contains(&f.name.trim().chars().count()) {
        e.push(field("name", "Tên kênh cần 2–120 ký tự.", "The channel's name needs 2-120 characters."));
    }
    if !(5..=500).contains(&f.evidence.trim().chars().count()) {
        e.push(field(
            "evidence",
            "Cần bằng chứng (đường dẫn gian hàng, số hợp đồng…), 5–500 ký tự.",
            "Evidence is needed (a listing link, a contract number…), 5-500 characters.",
        ));
    }
    let from = date(&f.from);
    if from.is_none() {
        e.push(field("from", "Ngày bắt đầu bán dạng 2026-01-31.", "The start date as 2026-01-31."));
    }
    let until = match f.until.trim() {
        "" => None,
        s => match date(s) {
            Some(u) if from.is_none_or(|fr| u >= fr) => Some(u),
            _ => {
                e.push(field(
                    "until",
                    "Ngày kết thúc dạng 2026-12-31, sau ngày bắt đầu.",
                    "The end date as 2026-12-31, after the start.",
                ));
                None
            }
        },
    };
    if !e.is_empty() {
        return Ok(Err(Refusal::Invalid(e)));
    }
    let (turn, txn) = store.write_txn().await?;
    let b = txn.get_database_backend();
    txn.execute_raw(stmt(
        b,
        "INSERT INTO reported_channels (producer_id, kind, name, evidence, from_date, until_date, status, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
        vec![
            producer_id.into(),
            f.kind.clone().into(),
            f.name.trim().into(),
            f.evidence.trim().into(),
            from.into(),
            until.into(),
            Utc::now().into(),
        ],
    ))
    .await?;
    let id: i64 = txn
        .query_one_raw(stmt(
            b,
            "SELECT MAX(id) AS id FROM reported_channels WHERE producer_id = ?",
            vec![producer_id.into()],
        ))
        .await?
        .map(|r| r.try_get("", "id"))
        .transpose()?
        .unwrap_or(0);
    audit(&txn, actor, "declare", "channel", &id.to_string(), serde_json::Value::Null, json!(f)).await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(id))
}

/// The office verifies or rejects a pending declaration.
pub async fn review(store: &Store, actor: &Account, id: i64, f: &ReviewForm) -> Outcome<()> {
    if actor.role != Role::Admin {
        return Ok(Err(Refusal::Forbidden));
    }
    let status = match f.verdict.as_str() {
        "verify" => "verified",
        "reject" => "rejected",
        _ => {
            return Ok(Err(Refusal::Invalid(vec![field(
                "verdict",
                "Chọn xác minh hoặc từ chối.",
                "Choose verify or reject.",
            )])));
        }
    };
    if f.note.trim().chars().count() > 500 {
        return Ok(Err(Refusal::Invalid(vec![field(
            "note",
            "Ghi chú tối đa 500 ký tự.",
            "A note is at most 500 characters.",
        )])));
    }
    if status == "rejected" && f.note.trim().chars().count() < 3 {
        return Ok(Err(Refusal::Invalid(vec![field(
            "note",
            "Từ chối cần lý do để chủ thể bổ sung.",
            "A rejection needs a reason the producer can act on.",
        )])));
    }
    let (turn, txn) = store.write_txn().await?;
    let n = txn
        .execute_raw(stmt(
            txn.get_database_backend(),
            "UPDATE reported_channels SET status = ?, note = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ? AND status = 'pending'",
            vec![
                status.into(),
                Some(f.note.trim().to_string()).filter(|n| !n.is_empty()).into(),
                actor.id.into(),
                Utc::now().into(),
                id.into(),
            ],
        ))
        .await?
        .rows_affected();
    if n == 0 {
        txn.rollback().await?;
        return Ok(Err(Refusal::NotFound));
    }
    audit(
        &txn,
        actor,
        status,
        "channel",
        &id.to_string(),
        json!({"status": "pending"}),
        json!({"status": status, "note": f.note}),
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(()))
}

/// Declarations, newest first: one producer's, or everyone's (with pending ones first) for the office.
pub async fn list(db: &impl ConnectionTrait, producer_id: Option<i64>) -> Result<Vec<ChannelRow>, StoreError> {
    let b = db.get_database_backend();
    let (filter, values) = match producer_id {
        Some(p) => ("WHERE c.producer_id = ?", vec![p.into()]),
        None => ("", vec![]),
    };
    let rows = db
        .query_all_raw(stmt(
            b,
            &format!(
                "SELECT c.id, p.name AS producer, c.kind, c.name, c.evidence, c.from_date, c.until_date, c.status, c.note \
                 FROM reported_channels c JOIN producers p ON p.id = c.producer_id {filter} \
                 ORDER BY CASE WHEN c.status = 'pending' THEN 0 ELSE 1 END, c.id DESC"
            ),
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ChannelRow {
                id: r.try_get("", "id")?,
                producer: r.try_get("", "producer")?,
                kind: r.try_get("", "kind")?,
                name: r.try_get("", "name")?,
                evidence: r.try_get("", "evidence")?,
                from: r.try_get::<NaiveDate>("", "from_date")?.to_string(),
                until: r.try_get::<Option<NaiveDate>>("", "until_date")?.map(|d| d.to_string()),
                status: r.try_get("", "status")?,
                note: r.try_get("", "note")?,
            })
        })
        .collect()
}
