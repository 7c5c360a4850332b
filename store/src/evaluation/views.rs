//! What people read of dossiers: one dossier with its documents, history and result, and the
//! lists each role works from.

use chrono::{DateTime, NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::evaluation::dossier::missing_documents;
use domain::evaluation::{DocKind, DossierKind, DossierStatus};
use sea_orm::ConnectionTrait;

use super::dossiers::{Fields, group_of};
use super::steps::StoredResult;
use super::{all, may_read, one, row};
use crate::StoreError;
use crate::listings::{Outcome, Refusal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub kind: DocKind,
    pub file_name: String,
    pub media_key: String,
    pub content_type: String,
    pub bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub step: String,
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    pub actor_name: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierView {
    pub id: i64,
    pub round_id: i64,
    pub round_label: String,
    pub product_id: i64,
    pub product_name: String,
    pub producer_id: i64,
    pub producer_name: String,
    pub kind: DossierKind,
    pub status: DossierStatus,
    pub fields: Fields,
    pub samples_received_on: Option<NaiveDate>,
    pub samples_note: Option<String>,
    pub documents: Vec<Document>,
    pub events: Vec<Event>,
    /// Required documents not attached yet.
    pub missing: Vec<DocKind>,
    pub result: Option<StoredResult>,
    pub certificate_number: Option<String>,
}

pub async fn view(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Outcome<DossierView> {
    let Some(d) = row(db, id).await? else { return Ok(Err(Refusal::NotFound)) };
    if !may_read(db, actor, &d).await? {
        return Ok(Err(Refusal::NotFound));
    }
    let r = one(
        db,
        "SELECT d.form, d.samples_note, d.result, r.label, p.name_vi, pr.name AS producer_name, c.number \
         FROM dossiers d JOIN evaluation_rounds r ON r.id = d.round_id JOIN products p ON p.id = d.product_id \
         JOIN producers pr ON pr.id = d.producer_id LEFT JOIN certificates c ON c.id = d.certificate_id WHERE d.id = ?",
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| StoreError::Invariant(format!("dossier {id} lost its round, product or producer")))?;
    let documents = all(
        db,
        "SELECT id, kind, file_name, media_key, content_type, bytes, uploaded_at FROM dossier_documents \
         WHERE dossier_id = ? ORDER BY id",
        vec![id.into()],
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok(Document {
            id: r.try_get("", "id")?,
            kind: DocKind::parse(&r.try_get::<String>("", "kind")?).unwrap_or(DocKind::Other),
            file_name: r.try_get("", "file_name")?,
            media_key: r.try_get("", "media_key")?,
            content_type: r.try_get("", "content_type")?,
            bytes: r.try_get("", "bytes")?,
            uploaded_at: r.try_get("", "uploaded_at")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let events = all(
        db,
        "SELECT step, from_status, to_status, actor_name, reason, at FROM dossier_events WHERE dossier_id = ? ORDER BY id",
        vec![id.into()],
    )
    .await?
    .into_iter()
    .map(|r| {
        Ok(Event {
            step: r.try_get("", "step")?,
            from: r.try_get::<Option<String>>("", "from_status")?.and_then(|s| DossierStatus::parse(&s)),
            to: DossierStatus::parse(&r.try_get::<String>("", "to_status")?).unwrap_or(DossierStatus::Draft),
            actor_name: r.try_get("", "actor_name")?,
            reason: r.try_get("", "reason")?,
            at: r.try_get("", "at")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let kinds: Vec<DocKind> = documents.iter().map(|d| d.kind).collect();
    let group = group_of(db, d.product_id).await?;
    Ok(Ok(DossierView {
        id,
        round_id: d.round_id,
        round_label: r.try_get("", "label")?,
        product_id: d.product_id,
        product_name: r.try_get("", "name_vi")?,
        producer_id: d.producer_id,
        producer_name: r.try_get("", "producer_name")?,
        kind: d.kind,
        status: d.status,
        fields: serde_json::from_str(&r.try_get::<String>("", "form")?).unwrap_or_default(),
        samples_received_on: d.samples_received_on,
        samples_note: r.try_get("", "samples_note")?,
        documents,
        events,
        missing: missing_documents(group, &kinds),
        result: r.try_get::<Option<String>>("", "result")?.and_then(|s| serde_json::from_str(&s).ok()),
        certificate_number: r.try_get("", "number")?,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: i64,
    pub round_id: i64,
    pub product_name: String,
    pub producer_name: String,
    pub kind: DossierKind,
    pub status: DossierStatus,
    pub score_centi: Option<i64>,
    pub stars: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

/// The dossiers the account works on: its producer's, its commune's, the rounds it scores (once
/// accepted), or all of them for the office.
pub async fn list_for(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<Summary>, StoreError> {
    let base = "SELECT d.id, d.round_id, p.name_vi, pr.name AS producer_name, d.kind, d.status, d.score_centi, d.stars, \
                d.updated_at, COALESCE(NULLIF(pr.commune, ''), pr.district_pre2025) AS area FROM dossiers d JOIN products p ON p.id = d.product_id JOIN producers pr ON pr.id = d.producer_id";
    let rows = match actor.role {
        Role::Admin => all(db, &format!("{base} ORDER BY d.updated_at DESC"), vec![]).await?,
        Role::Producer => match actor.producer_id {
            Some(p) => {
                all(db, &format!("{base} WHERE d.producer_id = ? ORDER BY d.updated_at DESC"), vec![p.into()]).await?
            }
            None => Vec::new(),
        },
        Role::Commune => match super::officer_commune(db, actor).await? {
            // The commune's producers, with the same fallback to the former district as `officer_of`.
            Some(c) => {
                let folded = domain::text::fold(&c);
                all(db, &format!("{base} ORDER BY d.updated_at DESC"), vec![])
                    .await?
                    .into_iter()
                    .filter(|r| {
                        r.try_get::<Option<String>>("", "area")
                            .ok()
                            .flatten()
                            .is_some_and(|a| domain::text::fold(&a) == folded)
                    })
                    .collect()
            }
            None => Vec::new(),
        },
        Role::Council => {
            all(
                db,
                &format!(
                    "{base} JOIN round_members m ON m.round_id = d.round_id AND m.user_id = ? \
                     WHERE d.status NOT IN ('draft', 'submitted', 'returned', 'proposed') ORDER BY d.updated_at DESC"
                ),
                vec![actor.id.into()],
            )
            .await?
        }
        Role::Shopper | Role::Staff => Vec::new(),
    };
    rows.into_iter()
        .map(|r| {
            Ok(Summary {
                id: r.try_get("", "id")?,
                round_id: r.try_get("", "round_id")?,
                product_name: r.try_get("", "name_vi")?,
                producer_name: r.try_get("", "producer_name")?,
                kind: DossierKind::parse(&r.try_get::<String>("", "kind")?).unwrap_or(DossierKind::New),
                status: DossierStatus::parse(&r.try_get::<String>("", "status")?).unwrap_or(DossierStatus::Draft),
                score_centi: r.try_get::<Option<i32>>("", "score_centi")?.map(i64::from),
                stars: r.try_get("", "stars")?,
                updated_at: r.try_get("", "updated_at")?,
            })
        })
        .collect()
}
