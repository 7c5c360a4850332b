//! What people read of dossiers: one dossier with its documents, history and result, and the
//! lists each role works from.

use domain::account::{Account, Role};
use domain::evaluation::dossier::missing_documents;
pub use domain::evaluation::records::{Document, DossierView, Event, ResultLine, Summary};
use domain::evaluation::{DocKind, DossierKind, DossierStatus, Step};
use sea_orm::ConnectionTrait;

use super::dossiers::group_of;
use super::{acts_as, all, may_read, one, row};
use crate::StoreError;
use crate::listings::{Outcome, Refusal};

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
    let mine: std::collections::HashSet<i64> = if actor.role == Role::Council {
        all(
            db,
            "SELECT dossier_id FROM council_scores WHERE member_id = ? AND submitted_at IS NOT NULL",
            vec![actor.id.into()],
        )
        .await?
        .into_iter()
        .map(|r| r.try_get::<i64>("", "dossier_id"))
        .collect::<Result<_, _>>()?
    } else {
        Default::default()
    };
    rows.into_iter()
        .map(|r| {
            let id: i64 = r.try_get("", "id")?;
            Ok(Summary {
                scored_by_me: mine.contains(&id),
                id,
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

/// The steps the account may take on the dossier from its page now (conditions such as missing
/// documents are checked when it tries, and explained then).
pub async fn steps_for(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Result<Vec<Step>, StoreError> {
    let Some(d) = row(db, id).await? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for step in Step::ON_PAGE {
        if step.follows(d.status) && acts_as(db, actor, step.actor(), &d).await? {
            out.push(step);
        }
    }
    Ok(out)
}

/// Every dossier the province accepted into the round, best result first: the results sheet.
pub async fn results(db: &impl ConnectionTrait, round_id: i64) -> Result<Vec<ResultLine>, StoreError> {
    let rows = all(
        db,
        "SELECT d.id, p.name_vi, pr.name AS producer_name, COALESCE(NULLIF(pr.commune, ''), pr.district_pre2025) AS area, \
         d.kind, d.status, d.result, c.number FROM dossiers d JOIN products p ON p.id = d.product_id \
         JOIN producers pr ON pr.id = d.producer_id LEFT JOIN certificates c ON c.id = d.certificate_id \
         WHERE d.round_id = ? AND d.status IN ('accepted', 'scored', 'ranked', 'certified', 'not_ranked') \
         ORDER BY d.score_centi IS NULL, d.score_centi DESC, p.name_vi",
        vec![round_id.into()],
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ResultLine {
                dossier_id: r.try_get("", "id")?,
                product_name: r.try_get("", "name_vi")?,
                producer_name: r.try_get("", "producer_name")?,
                area: r.try_get("", "area")?,
                kind: DossierKind::parse(&r.try_get::<String>("", "kind")?).unwrap_or(DossierKind::New),
                status: DossierStatus::parse(&r.try_get::<String>("", "status")?).unwrap_or(DossierStatus::Draft),
                result: r.try_get::<Option<String>>("", "result")?.and_then(|s| serde_json::from_str(&s).ok()),
                certificate_number: r.try_get("", "number")?,
            })
        })
        .collect()
}

/// How many dossiers wait for the account's step: the producer's drafts and returned ones, the
/// commune's submitted ones, the office's proposed and scored ones, a member's unscored ones.
pub async fn waiting(db: &impl ConnectionTrait, actor: &Account) -> Result<usize, StoreError> {
    let mut n = 0;
    for d in list_for(db, actor).await? {
        let waits = match actor.role {
            Role::Producer => d.status.editable(),
            Role::Commune => d.status == DossierStatus::Submitted,
            Role::Admin => matches!(d.status, DossierStatus::Proposed | DossierStatus::Scored),
            Role::Council => d.status == DossierStatus::Accepted && !d.scored_by_me,
            Role::Shopper | Role::Staff => false,
        };
        n += usize::from(waits);
    }
    Ok(n)
}
