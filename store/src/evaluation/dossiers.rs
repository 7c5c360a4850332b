//! Dossiers: started by the producer's member (or the commune officer on its behalf) for a product
//! in an open round, filled in and documented while a draft or returned, then moved step by step.

use chrono::{NaiveDate, Utc};
use domain::account::Account;
use domain::certificate::last_valid_day;
use domain::evaluation::dossier::{self, kinds_open};
use domain::evaluation::{DocKind, DossierKind, DossierStatus};
use domain::ocop::{OcopGroup, Stars};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::{Row, acts_as, all, event, exec, invalid, may_read, one, row};

pub use super::steps::{StepInput, StoredResult, record_samples, take};
pub use super::views::{
    Document, DossierView, Event, ResultLine, Summary, list_for, results, steps_for, view, waiting,
};
pub use domain::evaluation::records::Fields;

use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartForm {
    pub product_id: String,
    pub round_id: String,
    pub kind: String,
}

const MAX_FIELD: usize = 4000;
/// Documents per dossier: the rules list about a dozen kinds; a few pages each.
pub const MAX_DOCUMENTS: i64 = 40;

fn checked(f: &Fields) -> Result<Fields, Refusal> {
    let t = |s: &str| s.trim().to_string();
    let out = Fields {
        registered_name: t(&f.registered_name),
        annual_output: t(&f.annual_output),
        main_markets: t(&f.main_markets),
        raw_materials: t(&f.raw_materials),
        story: t(&f.story),
    };
    if out.registered_name.chars().count() > 200 {
        return Err(invalid(
            "registered_name",
            "Tên sản phẩm tối đa 200 ký tự.",
            "The product name is 200 characters at most.",
        ));
    }
    for (name, v) in [
        ("annual_output", &out.annual_output),
        ("main_markets", &out.main_markets),
        ("raw_materials", &out.raw_materials),
        ("story", &out.story),
    ] {
        if v.chars().count() > MAX_FIELD {
            return Err(invalid(name, "Tối đa 4.000 ký tự.", "4,000 characters at most."));
        }
    }
    Ok(out)
}

/// The stars and last day of the product's valid certificate with the most stars, if any.
async fn held(
    db: &impl ConnectionTrait,
    product_id: i64,
    today: NaiveDate,
) -> Result<Option<(Stars, NaiveDate)>, StoreError> {
    let rows = all(
        db,
        "SELECT stars, decided_on, last_valid_on FROM certificates WHERE product_id = ? AND revoked_on IS NULL \
         AND last_valid_on >= ? ORDER BY stars DESC, last_valid_on DESC",
        vec![product_id.into(), today.into()],
    )
    .await?;
    let Some(r) = rows.into_iter().next() else { return Ok(None) };
    let stars = Stars::new(r.try_get::<i32>("", "stars")? as i64).map_err(|e| StoreError::Invariant(e.to_string()))?;
    let last: Option<NaiveDate> = r.try_get("", "last_valid_on")?;
    let decided: Option<NaiveDate> = r.try_get("", "decided_on")?;
    Ok(last.or(decided.map(last_valid_day)).map(|l| (stars, l)))
}

pub async fn start(store: &Store, actor: &Account, f: &StartForm) -> Outcome<i64> {
    let today = store.today();
    let Ok(product_id) = f.product_id.trim().parse::<i64>() else {
        return Ok(Err(invalid("product_id", "Chọn sản phẩm.", "Choose a product.")));
    };
    let Some(kind) = DossierKind::parse(f.kind.trim()) else {
        return Ok(Err(invalid("kind", "Chọn loại hồ sơ.", "Choose the kind of dossier.")));
    };
    let Ok(round_id) = f.round_id.trim().parse::<i64>() else {
        return Ok(Err(invalid("round_id", "Chọn kỳ đánh giá.", "Choose a round.")));
    };
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<i64> = async {
        let Some(p) = one(&txn, "SELECT producer_id FROM products WHERE id = ?", vec![product_id.into()]).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        let Some(producer_id) = p.try_get::<Option<i64>>("", "producer_id")? else {
            return Ok(Err(Refusal::NotFound));
        };
        let probe = Row {
            round_id,
            product_id,
            producer_id,
            kind,
            status: DossierStatus::Draft,
            samples_received_on: None,
        };
        if !acts_as(&txn, actor, dossier::Actor::Filer, &probe).await? {
            return Ok(Err(Refusal::Forbidden));
        }
        let open = super::rounds::get(&txn, round_id).await?;
        if !open.is_some_and(|r| r.status == super::rounds::RoundStatus::Open && r.deadline >= today) {
            return Ok(Err(invalid("round_id", "Kỳ đánh giá này đã hết hạn nhận hồ sơ.", "This round no longer takes dossiers.")));
        }
        if super::sheets::for_product(&txn, round_id, product_id).await?.is_none() {
            let group = group_of(&txn, product_id).await?;
            return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                field: "round_id".into(),
                message_vi: format!(
                    "Kỳ này chưa có phiếu đánh giá cho nhóm “{}”; chọn kỳ khác hoặc liên hệ văn phòng OCOP.",
                    group.name_vi()
                ),
                message_en: format!(
                    "This round has no criteria sheet for the group “{}” yet; choose another round or ask the OCOP office.",
                    group.name_en()
                ),
            }])));
        }
        if !kinds_open(held(&txn, product_id, today).await?, today).contains(&kind) {
            return Ok(Err(invalid(
                "kind",
                "Loại hồ sơ không phù hợp với giấy chứng nhận hiện có của sản phẩm.",
                "This kind of dossier does not fit the product's current certificate.",
            )));
        }
        let busy = one(
            &txn,
            "SELECT id FROM dossiers WHERE product_id = ? AND status NOT IN ('certified', 'not_ranked')",
            vec![product_id.into()],
        )
        .await?;
        if busy.is_some() {
            return Ok(Err(invalid("product_id", "Sản phẩm đã có hồ sơ đang xử lý.", "The product already has a dossier in progress.")));
        }
        let now = Utc::now();
        let id: i64 = one(
            &txn,
            "INSERT INTO dossiers (round_id, product_id, producer_id, kind, status, form, created_by, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id",
            vec![
                round_id.into(),
                product_id.into(),
                producer_id.into(),
                kind.code().into(),
                serde_json::to_string(&Fields::default()).unwrap_or_default().into(),
                actor.id.into(),
                now.into(),
                now.into(),
            ],
        )
        .await?
        .ok_or_else(|| StoreError::Invariant("the dossier just stored".into()))?
        .try_get("", "id")?;
        event(&txn, id, "start", None, DossierStatus::Draft, actor, None).await?;
        let after = serde_json::json!({"product_id": product_id, "round_id": round_id, "kind": kind.code()});
        crate::office::audit(&txn, actor, "start", "dossier", &id.to_string(), serde_json::Value::Null, after).await?;
        Ok(Ok(id))
    }
    .await;
    finish(txn, turn, result).await
}

/// Commits on success, rolls back otherwise.
pub(crate) async fn finish<T>(
    txn: sea_orm::DatabaseTransaction,
    turn: Option<tokio::sync::MutexGuard<'_, ()>>,
    result: Outcome<T>,
) -> Outcome<T> {
    match result {
        Ok(Ok(v)) => {
            txn.commit().await?;
            drop(turn);
            Ok(Ok(v))
        }
        other => {
            txn.rollback().await?;
            other
        }
    }
}

/// The dossier if the account may change its form and documents now.
async fn editable(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Result<Result<Row, Refusal>, StoreError> {
    let Some(d) = row(db, id).await? else { return Ok(Err(Refusal::NotFound)) };
    if !acts_as(db, actor, dossier::Actor::Filer, &d).await? {
        return Ok(Err(if may_read(db, actor, &d).await? { Refusal::Forbidden } else { Refusal::NotFound }));
    }
    if !d.status.editable() {
        return Ok(Err(invalid(
            "status",
            "Hồ sơ đã nộp: chỉ sửa được khi còn là bản nháp hoặc bị trả lại.",
            "The dossier has been submitted: it can be changed only as a draft or when returned.",
        )));
    }
    Ok(Ok(d))
}

pub async fn edit(store: &Store, actor: &Account, id: i64, f: &Fields) -> Outcome<()> {
    let fields = match checked(f) {
        Ok(v) => v,
        Err(r) => return Ok(Err(r)),
    };
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<()> = async {
        if let Err(r) = editable(&txn, actor, id).await? {
            return Ok(Err(r));
        }
        let json = serde_json::to_string(&fields).unwrap_or_default();
        exec(
            &txn,
            "UPDATE dossiers SET form = ?, updated_at = ? WHERE id = ?",
            vec![json.into(), Utc::now().into(), id.into()],
        )
        .await?;
        crate::office::audit(
            &txn,
            actor,
            "edit",
            "dossier",
            &id.to_string(),
            serde_json::Value::Null,
            serde_json::to_value(&fields).unwrap_or_default(),
        )
        .await?;
        Ok(Ok(()))
    }
    .await;
    finish(txn, turn, result).await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: DocKind,
    pub file_name: String,
    pub media_key: String,
    pub content_type: String,
    pub bytes: i64,
}

/// Records a document already checked and stored by the caller (the same intake as photos).
pub async fn attach(store: &Store, actor: &Account, id: i64, doc: &NewDocument) -> Outcome<i64> {
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<i64> = async {
        if let Err(r) = editable(&txn, actor, id).await? {
            return Ok(Err(r));
        }
        let count: i64 = one(&txn, "SELECT COUNT(*) AS n FROM dossier_documents WHERE dossier_id = ?", vec![id.into()])
            .await?
            .map(|r| r.try_get("", "n"))
            .transpose()?
            .unwrap_or(0);
        if count >= MAX_DOCUMENTS {
            return Ok(Err(invalid("file", "Hồ sơ đã có 40 tệp, tối đa cho phép.", "The dossier has 40 files, the most allowed.")));
        }
        let name: String = doc.file_name.chars().filter(|c| !c.is_control()).take(200).collect();
        let doc_id: i64 = one(
            &txn,
            "INSERT INTO dossier_documents (dossier_id, kind, file_name, media_key, content_type, bytes, uploaded_by, uploaded_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vec![
                id.into(),
                doc.kind.code().into(),
                name.clone().into(),
                doc.media_key.clone().into(),
                doc.content_type.clone().into(),
                doc.bytes.into(),
                actor.id.into(),
                Utc::now().into(),
            ],
        )
        .await?
        .ok_or_else(|| StoreError::Invariant("the document just stored".into()))?
        .try_get("", "id")?;
        exec(&txn, "UPDATE dossiers SET updated_at = ? WHERE id = ?", vec![Utc::now().into(), id.into()]).await?;
        let after = serde_json::json!({"kind": doc.kind.code(), "file": name, "bytes": doc.bytes});
        crate::office::audit(&txn, actor, "attach", "dossier", &id.to_string(), serde_json::Value::Null, after).await?;
        Ok(Ok(doc_id))
    }
    .await;
    finish(txn, turn, result).await
}

/// Takes a document off a draft or returned dossier. A document already gone is no error (a second
/// tap on "remove"). Returns the file's media key when no document refers to it any more, for the
/// caller to delete (files are named by content, so two dossiers may share one).
pub async fn remove_document(store: &Store, actor: &Account, id: i64, doc_id: i64) -> Outcome<Option<String>> {
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<Option<String>> = async {
        if let Err(r) = editable(&txn, actor, id).await? {
            return Ok(Err(r));
        }
        let Some(d) = one(
            &txn,
            "SELECT media_key, kind, file_name FROM dossier_documents WHERE id = ? AND dossier_id = ?",
            vec![doc_id.into(), id.into()],
        )
        .await?
        else {
            return Ok(Ok(None));
        };
        exec(&txn, "DELETE FROM dossier_documents WHERE id = ?", vec![doc_id.into()]).await?;
        let key: String = d.try_get("", "media_key")?;
        let shared = one(&txn, "SELECT id FROM dossier_documents WHERE media_key = ?", vec![key.clone().into()]).await?;
        let before = serde_json::json!({"kind": d.try_get::<String>("", "kind")?, "file": d.try_get::<String>("", "file_name")?});
        crate::office::audit(&txn, actor, "detach", "dossier", &id.to_string(), before, serde_json::Value::Null).await?;
        Ok(Ok(shared.is_none().then_some(key)))
    }
    .await;
    finish(txn, turn, result).await
}

pub(crate) async fn group_of(db: &impl ConnectionTrait, product_id: i64) -> Result<OcopGroup, StoreError> {
    let code: String = one(db, "SELECT ocop_group FROM products WHERE id = ?", vec![product_id.into()])
        .await?
        .map(|r| r.try_get("", "ocop_group"))
        .transpose()?
        .unwrap_or_default();
    Ok(OcopGroup::parse(&code).unwrap_or(OcopGroup::Food))
}

pub(crate) async fn attached(db: &impl ConnectionTrait, id: i64) -> Result<Vec<DocKind>, StoreError> {
    Ok(all(db, "SELECT DISTINCT kind FROM dossier_documents WHERE dossier_id = ?", vec![id.into()])
        .await?
        .into_iter()
        .filter_map(|r| r.try_get::<String>("", "kind").ok().and_then(|k| DocKind::parse(&k)))
        .collect())
}

/// Products the account may start a dossier for: its producer's, or a commune officer's
/// commune's producers' (the same place rule as `officer_of`), by name.
pub async fn startable(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = match (actor.role, actor.producer_id) {
        (domain::account::Role::Producer, Some(p)) => {
            all(
                db,
                "SELECT id, name_vi, NULL AS area FROM products WHERE producer_id = ? ORDER BY name_vi",
                vec![p.into()],
            )
            .await?
        }
        (domain::account::Role::Commune, _) => {
            let Some(mine) = super::officer_commune(db, actor).await? else { return Ok(Vec::new()) };
            let folded = domain::text::fold(&mine);
            all(
                db,
                "SELECT p.id, p.name_vi || ' — ' || pr.name AS name_vi, COALESCE(NULLIF(pr.commune, ''), pr.district_pre2025) AS area \
                 FROM products p JOIN producers pr ON pr.id = p.producer_id ORDER BY p.name_vi",
                vec![],
            )
            .await?
            .into_iter()
            .filter(|r| {
                r.try_get::<Option<String>>("", "area").ok().flatten().is_some_and(|a| domain::text::fold(&a) == folded)
            })
            .collect()
        }
        _ => Vec::new(),
    };
    rows.into_iter().map(|r| Ok((r.try_get("", "id")?, r.try_get("", "name_vi")?))).collect()
}

/// Whether the account may attach a document to the dossier now: checked before a file is read or
/// stored, so a stranger learns nothing and a submitted dossier keeps no stray file.
pub async fn may_attach(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Outcome<()> {
    Ok(editable(db, actor, id).await?.map(|_| ()))
}
