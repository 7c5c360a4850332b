//! The programme's evaluation in the database: criteria sheets, rounds and their councils, dossiers
//! moved through their steps (each dated in `dossier_events` and in the audit log, the producer told
//! through the outbox), members' scores, and the decisions that issue certificates. Who may take
//! which step is decided here, on the server, for every call.

pub mod calendar;
pub mod decision;
pub mod dossiers;
pub mod rounds;
pub mod scores;
pub mod sheets;
mod steps;
mod views;

use chrono::{NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::address::FieldError;
use domain::evaluation::dossier::Actor;
use domain::evaluation::{DossierKind, DossierStatus};
use sea_orm::{ConnectionTrait, DatabaseTransaction, QueryResult};

use crate::StoreError;
use crate::listings::Refusal;
use crate::sql::stmt;

pub(crate) fn invalid(field: &str, vi: &str, en: &str) -> Refusal {
    Refusal::Invalid(vec![FieldError { field: field.into(), message_vi: vi.into(), message_en: en.into() }])
}

pub(crate) async fn one(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Option<QueryResult>, StoreError> {
    Ok(db.query_one_raw(stmt(db.get_database_backend(), sql, values)).await?)
}

pub(crate) async fn all(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    Ok(db.query_all_raw(stmt(db.get_database_backend(), sql, values)).await?)
}

pub(crate) async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<(), StoreError> {
    db.execute_raw(stmt(db.get_database_backend(), sql, values)).await?;
    Ok(())
}

/// A dossier's row, as the rules need it.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub round_id: i64,
    pub product_id: i64,
    pub producer_id: i64,
    pub kind: DossierKind,
    pub status: DossierStatus,
    pub samples_received_on: Option<NaiveDate>,
}

pub(crate) async fn row(db: &impl ConnectionTrait, id: i64) -> Result<Option<Row>, StoreError> {
    let Some(r) = one(
        db,
        "SELECT id, round_id, product_id, producer_id, kind, status, samples_received_on FROM dossiers WHERE id = ?",
        vec![id.into()],
    )
    .await?
    else {
        return Ok(None);
    };
    let kind: String = r.try_get("", "kind")?;
    let status: String = r.try_get("", "status")?;
    Ok(Some(Row {
        round_id: r.try_get("", "round_id")?,
        product_id: r.try_get("", "product_id")?,
        producer_id: r.try_get("", "producer_id")?,
        kind: DossierKind::parse(&kind).unwrap_or(DossierKind::New),
        status: DossierStatus::parse(&status).unwrap_or(DossierStatus::Draft),
        samples_received_on: r.try_get("", "samples_received_on")?,
    }))
}

/// The commune an officer's account belongs to.
pub(crate) async fn officer_commune(db: &impl ConnectionTrait, actor: &Account) -> Result<Option<String>, StoreError> {
    if actor.role != Role::Commune {
        return Ok(None);
    }
    let r = one(db, "SELECT commune FROM users WHERE id = ?", vec![actor.id.into()]).await?;
    Ok(r.and_then(|r| r.try_get::<Option<String>>("", "commune").ok().flatten()).filter(|c| !c.trim().is_empty()))
}

/// The producer's commune; for a producer whose commune is not recorded yet (the catalogue knows
/// only the district before the 2025 reorganisation), that former district's name.
async fn producer_commune(db: &impl ConnectionTrait, producer_id: i64) -> Result<Option<String>, StoreError> {
    let r = one(
        db,
        "SELECT COALESCE(NULLIF(commune, ''), district_pre2025) AS area FROM producers WHERE id = ?",
        vec![producer_id.into()],
    )
    .await?;
    Ok(r.and_then(|r| r.try_get::<Option<String>>("", "area").ok().flatten()))
}

/// Whether the account is the commune officer of this producer's commune.
pub(crate) async fn officer_of(
    db: &impl ConnectionTrait,
    actor: &Account,
    producer_id: i64,
) -> Result<bool, StoreError> {
    let Some(mine) = officer_commune(db, actor).await? else { return Ok(false) };
    Ok(producer_commune(db, producer_id).await?.is_some_and(|c| domain::text::fold(&c) == domain::text::fold(&mine)))
}

/// Whether the account sits on the round's council (as its secretary, when `secretary`).
pub(crate) async fn on_council(
    db: &impl ConnectionTrait,
    actor: &Account,
    round_id: i64,
    secretary: bool,
) -> Result<bool, StoreError> {
    if actor.role != Role::Council {
        return Ok(false);
    }
    let r = one(
        db,
        "SELECT secretary FROM round_members WHERE round_id = ? AND user_id = ?",
        vec![round_id.into(), actor.id.into()],
    )
    .await?;
    Ok(r.and_then(|r| r.try_get::<bool>("", "secretary").ok()).is_some_and(|s| s || !secretary))
}

/// Whether the account may take a step that belongs to `who` on this dossier.
pub(crate) async fn acts_as(
    db: &impl ConnectionTrait,
    actor: &Account,
    who: Actor,
    d: &Row,
) -> Result<bool, StoreError> {
    Ok(match who {
        Actor::Filer => {
            (actor.role == Role::Producer && actor.producer_id == Some(d.producer_id))
                || officer_of(db, actor, d.producer_id).await?
        }
        Actor::Commune => officer_of(db, actor, d.producer_id).await?,
        Actor::Office => actor.role == Role::Admin,
        Actor::Secretary => on_council(db, actor, d.round_id, true).await?,
    })
}

/// Whether the account may read the dossier: its filers and commune, the office, and the round's
/// council once the province has accepted it.
pub(crate) async fn may_read(db: &impl ConnectionTrait, actor: &Account, d: &Row) -> Result<bool, StoreError> {
    let council_may = !matches!(
        d.status,
        DossierStatus::Draft | DossierStatus::Submitted | DossierStatus::Returned | DossierStatus::Proposed
    );
    Ok(actor.role == Role::Admin
        || acts_as(db, actor, Actor::Filer, d).await?
        || (council_may && on_council(db, actor, d.round_id, false).await?))
}

/// One dated line of the dossier's history.
pub(crate) async fn event(
    txn: &DatabaseTransaction,
    dossier_id: i64,
    step: &str,
    from: Option<DossierStatus>,
    to: DossierStatus,
    actor: &Account,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    exec(
        txn,
        "INSERT INTO dossier_events (dossier_id, step, from_status, to_status, actor_id, actor_name, reason, at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            dossier_id.into(),
            step.into(),
            from.map(|s| s.code().to_string()).into(),
            to.code().into(),
            actor.id.into(),
            actor.name.clone().into(),
            reason.map(str::to_string).into(),
            Utc::now().into(),
        ],
    )
    .await
}

/// A message to every member of the producer with an email address, through the outbox, in the
/// same transaction as the step it reports.
pub(crate) async fn tell_producer(
    txn: &DatabaseTransaction,
    producer_id: i64,
    subject: &str,
    body: &str,
) -> Result<(), StoreError> {
    let members = all(
        txn,
        "SELECT email FROM users WHERE producer_id = ? AND role = 'producer' AND NOT disabled AND email IS NOT NULL",
        vec![producer_id.into()],
    )
    .await?;
    for m in members {
        let email: String = m.try_get("", "email")?;
        exec(
            txn,
            "INSERT INTO notifications (order_id, recipient, subject, body, status, attempts, created_at) \
             VALUES (NULL, ?, ?, ?, 'pending', 0, ?)",
            vec![email.into(), subject.into(), body.into(), Utc::now().into()],
        )
        .await?;
    }
    Ok(())
}
