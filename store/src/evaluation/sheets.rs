//! Criteria sheets as the office loads them: each code and version once, never changed after (a
//! round keeps the version it was opened with), the shipped sample loaded on a new database.

use chrono::Utc;
use domain::account::Account;
use domain::evaluation::Sheet;
use domain::evaluation::sheet::SAMPLE_PROCESSED_FOOD;
use sea_orm::ConnectionTrait;

use super::{all, exec, invalid, one};
pub use domain::evaluation::records::SheetRow;

use crate::admin::office_only;
use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

/// Sheet files are small: the largest real sheet has a few dozen criteria.
pub const MAX_SHEET_BYTES: usize = 256 * 1024;

async fn insert(db: &impl ConnectionTrait, sheet: &Sheet, body: &str, by: Option<i64>) -> Result<i64, StoreError> {
    exec(
        db,
        "INSERT INTO evaluation_sheets (code, version, title_vi, title_en, group_code, sample, body, loaded_by, loaded_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            sheet.code.clone().into(),
            sheet.version.clone().into(),
            sheet.title_vi.clone().into(),
            sheet.title_en.clone().into(),
            sheet.group.code().into(),
            sheet.sample.into(),
            body.into(),
            by.into(),
            Utc::now().into(),
        ],
    )
    .await?;
    let r = one(
        db,
        "SELECT id FROM evaluation_sheets WHERE code = ? AND version = ?",
        vec![sheet.code.clone().into(), sheet.version.clone().into()],
    )
    .await?
    .ok_or_else(|| StoreError::Invariant("the sheet just stored".into()))?;
    Ok(r.try_get("", "id")?)
}

/// The office loads a sheet file; refused with the reason when it does not add up, or when that
/// code and version is already on record.
pub async fn load(store: &Store, actor: &Account, body: &str) -> Outcome<i64> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    if body.len() > MAX_SHEET_BYTES {
        return Ok(Err(invalid(
            "file",
            "Tệp phiếu quá lớn (tối đa 256 KB).",
            "The sheet file is too large (256 KB at most).",
        )));
    }
    let sheet = match Sheet::parse(body) {
        Ok(s) => s,
        Err(e) => {
            return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                field: "file".into(),
                message_vi: e.to_string(),
                message_en: e.to_string(),
            }])));
        }
    };
    let (turn, txn) = store.write_txn().await?;
    let known = one(
        &txn,
        "SELECT id FROM evaluation_sheets WHERE code = ? AND version = ?",
        vec![sheet.code.clone().into(), sheet.version.clone().into()],
    )
    .await?;
    if known.is_some() {
        txn.rollback().await?;
        return Ok(Err(invalid(
            "file",
            "Phiếu với mã và phiên bản này đã có: đổi phiên bản khi nội dung thay đổi.",
            "A sheet with this code and version is on record: give changed content a new version.",
        )));
    }
    let id = insert(&txn, &sheet, body, Some(actor.id)).await?;
    let after = serde_json::json!({"code": sheet.code, "version": sheet.version, "sample": sheet.sample});
    crate::office::audit(
        &txn,
        actor,
        "load",
        "evaluation_sheet",
        &format!("{}@{}", sheet.code, sheet.version),
        serde_json::Value::Null,
        after,
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(id))
}

/// On a new database: the shipped sample sheet, so the office can open a first round.
pub async fn seed_sample(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    if one(db, "SELECT id FROM evaluation_sheets LIMIT 1", vec![]).await?.is_some() {
        return Ok(());
    }
    let sheet = Sheet::parse(SAMPLE_PROCESSED_FOOD).map_err(|e| StoreError::Invariant(e.to_string()))?;
    insert(db, &sheet, SAMPLE_PROCESSED_FOOD, None).await?;
    Ok(())
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<SheetRow>, StoreError> {
    all(
        db,
        "SELECT id, code, version, title_vi, title_en, sample, group_code, loaded_at FROM evaluation_sheets ORDER BY id DESC",
        vec![],
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok(SheetRow {
            id: r.try_get("", "id")?,
            code: r.try_get("", "code")?,
            version: r.try_get("", "version")?,
            title_vi: r.try_get("", "title_vi")?,
            title_en: r.try_get("", "title_en")?,
            sample: r.try_get("", "sample")?,
            group_code: r.try_get("", "group_code")?,
            loaded_at: r.try_get("", "loaded_at")?,
        })
    })
    .collect()
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<Sheet>, StoreError> {
    let Some(r) = one(db, "SELECT body FROM evaluation_sheets WHERE id = ?", vec![id.into()]).await? else {
        return Ok(None);
    };
    let body: String = r.try_get("", "body")?;
    Sheet::parse(&body).map(Some).map_err(|e| StoreError::Invariant(format!("stored sheet {id}: {e}")))
}

/// The sheet a product is scored on in a round: the round's sheet for the product's group.
pub async fn for_product(
    db: &impl ConnectionTrait,
    round_id: i64,
    product_id: i64,
) -> Result<Option<Sheet>, StoreError> {
    let Some(r) = one(
        db,
        "SELECT rs.sheet_id FROM round_sheets rs JOIN products p ON p.ocop_group = rs.group_code \
         WHERE rs.round_id = ? AND p.id = ?",
        vec![round_id.into(), product_id.into()],
    )
    .await?
    else {
        return Ok(None);
    };
    get(db, r.try_get("", "sheet_id")?).await
}
