//! Evaluation rounds: the office opens one (a year, or a batch within it) with its deadline, the
//! criteria sheet in force (kept for the round whatever is loaded later) and its council.

use chrono::{NaiveDate, Utc};
use domain::account::Account;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::{all, exec, invalid, one};
use crate::admin::office_only;
pub use domain::evaluation::records::{Member, Round, RoundStatus};

use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub label: String,
    pub year: String,
    /// yyyy-mm-dd, as a date input sends it.
    pub deadline: String,
    pub sheet_id: String,
}

fn parse(f: &RoundForm, today: NaiveDate) -> Result<(String, i32, NaiveDate, i64), Refusal> {
    let label = f.label.trim();
    if label.is_empty() || label.chars().count() > 200 {
        return Err(invalid(
            "label",
            "Nhập tên kỳ đánh giá (tối đa 200 ký tự).",
            "Name the round (200 characters at most).",
        ));
    }
    let year = f.year.trim().parse::<i32>().ok().filter(|y| (2019..=2100).contains(y));
    let Some(year) = year else {
        return Err(invalid("year", "Năm đánh giá không hợp lệ.", "The round's year is not valid."));
    };
    let deadline = NaiveDate::parse_from_str(f.deadline.trim(), "%Y-%m-%d").ok().filter(|d| *d >= today);
    let Some(deadline) = deadline else {
        return Err(invalid(
            "deadline",
            "Hạn nộp hồ sơ phải là một ngày từ hôm nay trở đi.",
            "The deadline must be a date from today on.",
        ));
    };
    let Ok(sheet_id) = f.sheet_id.trim().parse::<i64>() else {
        return Err(invalid("sheet_id", "Chọn phiếu đánh giá.", "Choose a criteria sheet."));
    };
    Ok((label.to_string(), year, deadline, sheet_id))
}

pub async fn open(store: &Store, actor: &Account, f: &RoundForm) -> Outcome<i64> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let (label, year, deadline, sheet_id) = match parse(f, store.today()) {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    let (turn, txn) = store.write_txn().await?;
    if one(&txn, "SELECT id FROM evaluation_sheets WHERE id = ?", vec![sheet_id.into()]).await?.is_none() {
        txn.rollback().await?;
        return Ok(Err(invalid("sheet_id", "Chọn phiếu đánh giá.", "Choose a criteria sheet.")));
    }
    let id: i64 = one(
        &txn,
        "INSERT INTO evaluation_rounds (label, year, deadline, sheet_id, status, created_by, created_at) \
         VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        vec![label.clone().into(), year.into(), deadline.into(), sheet_id.into(), actor.id.into(), Utc::now().into()],
    )
    .await?
    .ok_or_else(|| StoreError::Invariant("the round just stored".into()))?
    .try_get("", "id")?;
    exec(
        &txn,
        "INSERT INTO round_sheets (round_id, group_code, sheet_id) SELECT ?, group_code, id FROM evaluation_sheets WHERE id = ?",
        vec![id.into(), sheet_id.into()],
    )
    .await?;
    let after = serde_json::json!({"label": label, "year": year, "deadline": deadline, "sheet_id": sheet_id});
    crate::office::audit(&txn, actor, "open", "evaluation_round", &id.to_string(), serde_json::Value::Null, after)
        .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(id))
}

/// Seats a council member on the round (or makes them its secretary); the account must have the
/// council role. Members are not taken off once they may have scored.
pub async fn seat(store: &Store, actor: &Account, round_id: i64, user_id: i64, secretary: bool) -> Outcome<()> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let (turn, txn) = store.write_txn().await?;
    let round = get(&txn, round_id).await?;
    let member = one(&txn, "SELECT role, disabled FROM users WHERE id = ?", vec![user_id.into()]).await?;
    let (Some(round), Some(member)) = (round, member) else {
        txn.rollback().await?;
        return Ok(Err(Refusal::NotFound));
    };
    let role: String = member.try_get("", "role")?;
    if role != "council" || member.try_get::<bool>("", "disabled")? {
        txn.rollback().await?;
        return Ok(Err(invalid(
            "user_id",
            "Chỉ tài khoản có vai trò thành viên hội đồng mới được phân công chấm.",
            "Only accounts with the council member role can sit on a council.",
        )));
    }
    if round.status != RoundStatus::Open {
        txn.rollback().await?;
        return Ok(Err(invalid("round", "Kỳ đánh giá đã có quyết định.", "The round has been decided.")));
    }
    exec(&txn, "DELETE FROM round_members WHERE round_id = ? AND user_id = ?", vec![round_id.into(), user_id.into()])
        .await?;
    exec(
        &txn,
        "INSERT INTO round_members (round_id, user_id, secretary) VALUES (?, ?, ?)",
        vec![round_id.into(), user_id.into(), secretary.into()],
    )
    .await?;
    let after = serde_json::json!({"user_id": user_id, "secretary": secretary});
    crate::office::audit(
        &txn,
        actor,
        "seat",
        "evaluation_round",
        &round_id.to_string(),
        serde_json::Value::Null,
        after,
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(()))
}

fn round(r: sea_orm::QueryResult) -> Result<Round, StoreError> {
    let status: String = r.try_get("", "status")?;
    Ok(Round {
        id: r.try_get("", "id")?,
        label: r.try_get("", "label")?,
        year: r.try_get("", "year")?,
        deadline: r.try_get("", "deadline")?,
        sheet_id: r.try_get("", "sheet_id")?,
        status: if status == "decided" { RoundStatus::Decided } else { RoundStatus::Open },
        decision_number: r.try_get("", "decision_number")?,
        decided_on: r.try_get("", "decided_on")?,
        ministry_decision_number: r.try_get("", "ministry_decision_number")?,
    })
}

const COLUMNS: &str =
    "id, label, year, deadline, sheet_id, status, decision_number, decided_on, ministry_decision_number";

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<Round>, StoreError> {
    one(db, &format!("SELECT {COLUMNS} FROM evaluation_rounds WHERE id = ?"), vec![id.into()])
        .await?
        .map(round)
        .transpose()
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Round>, StoreError> {
    all(db, &format!("SELECT {COLUMNS} FROM evaluation_rounds ORDER BY id DESC"), vec![])
        .await?
        .into_iter()
        .map(round)
        .collect()
}

/// Rounds still taking dossiers on `today`.
pub async fn taking_dossiers(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<Round>, StoreError> {
    Ok(list(db).await?.into_iter().filter(|r| r.status == RoundStatus::Open && r.deadline >= today).collect())
}

pub async fn members(db: &impl ConnectionTrait, round_id: i64) -> Result<Vec<Member>, StoreError> {
    all(
        db,
        "SELECT m.user_id, u.name, m.secretary FROM round_members m JOIN users u ON u.id = m.user_id \
         WHERE m.round_id = ? ORDER BY m.secretary DESC, u.name",
        vec![round_id.into()],
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok(Member {
            user_id: r.try_get("", "user_id")?,
            name: r.try_get("", "name")?,
            secretary: r.try_get("", "secretary")?,
        })
    })
    .collect()
}

/// Accounts with the council role that may be seated, by name.
pub async fn council_accounts(db: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, StoreError> {
    all(db, "SELECT id, name FROM users WHERE role = 'council' AND NOT disabled ORDER BY name", vec![])
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "name")?)))
        .collect()
}

/// Adds the sheet a product group is scored on in the round (one per group, while the round is
/// open and before any of that group's dossiers is scored).
pub async fn add_sheet(store: &Store, actor: &Account, round_id: i64, sheet_id: &str) -> Outcome<()> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let Ok(sheet_id) = sheet_id.trim().parse::<i64>() else {
        return Ok(Err(invalid("sheet_id", "Chọn phiếu đánh giá.", "Choose a criteria sheet.")));
    };
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<()> = async {
        let Some(round) = get(&txn, round_id).await? else { return Ok(Err(Refusal::NotFound)) };
        if round.status != RoundStatus::Open {
            return Ok(Err(invalid("sheet_id", "Kỳ đánh giá đã có quyết định.", "The round has been decided.")));
        }
        let Some(sheet) =
            one(&txn, "SELECT group_code FROM evaluation_sheets WHERE id = ?", vec![sheet_id.into()]).await?
        else {
            return Ok(Err(invalid("sheet_id", "Chọn phiếu đánh giá.", "Choose a criteria sheet.")));
        };
        let group: String = sheet.try_get("", "group_code")?;
        let taken = one(
            &txn,
            "SELECT sheet_id FROM round_sheets WHERE round_id = ? AND group_code = ?",
            vec![round_id.into(), group.clone().into()],
        )
        .await?;
        if taken.is_some() {
            return Ok(Err(invalid(
                "sheet_id",
                "Kỳ này đã có phiếu cho nhóm sản phẩm đó.",
                "The round already has a sheet for that product group.",
            )));
        }
        exec(
            &txn,
            "INSERT INTO round_sheets (round_id, group_code, sheet_id) VALUES (?, ?, ?)",
            vec![round_id.into(), group.clone().into(), sheet_id.into()],
        )
        .await?;
        let after = serde_json::json!({"group": group, "sheet_id": sheet_id});
        crate::office::audit(
            &txn,
            actor,
            "add_sheet",
            "evaluation_round",
            &round_id.to_string(),
            serde_json::Value::Null,
            after,
        )
        .await?;
        Ok(Ok(()))
    }
    .await;
    super::dossiers::finish(txn, turn, result).await
}

/// The sheets of a round, one per product group.
pub async fn sheets(db: &impl ConnectionTrait, round_id: i64) -> Result<Vec<i64>, StoreError> {
    all(db, "SELECT sheet_id FROM round_sheets WHERE round_id = ? ORDER BY group_code", vec![round_id.into()])
        .await?
        .into_iter()
        .map(|r| Ok(r.try_get("", "sheet_id")?))
        .collect()
}
