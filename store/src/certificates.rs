//! The office's certificate records (new, renewal, upgrade) and the job that makes badges follow the
//! calendar: pages judge validity per day already, the search index learns it from this job.

use chrono::{Duration, NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::cert_record::{CertInput, Held, check_history};
use domain::certificate::last_valid_day;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::entity::{certificate, product};
use crate::listings::{Outcome, Refusal};
use crate::office::audit;
use crate::sql::stmt;
use crate::{Store, StoreError};

fn held(c: &certificate::Model, today: NaiveDate) -> Held {
    let valid = crate::catalog::domain_cert(c).status_on(today).shows_badge();
    Held { stars: c.stars as u8, decided_on: c.decided_on, valid }
}

/// Records a certificate for a product, after checking the kind against the product's history.
pub async fn record(store: &Store, actor: &Account, input: &CertInput) -> Outcome<String> {
    if actor.role != Role::Admin {
        return Ok(Err(Refusal::Forbidden));
    }
    let today = store.today();
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<String> = async {
        let Some(p) = product::Entity::find_by_id(input.product_id).one(&txn).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        if certificate::Entity::find().filter(certificate::Column::Number.eq(&input.number)).one(&txn).await?.is_some()
        {
            return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                field: "number".into(),
                message_vi: "Số giấy chứng nhận này đã có.".into(),
                message_en: "This certificate number is already on record.".into(),
            }])));
        }
        let history: Vec<Held> = certificate::Entity::find()
            .filter(certificate::Column::ProductId.eq(p.id))
            .all(&txn)
            .await?
            .iter()
            .map(|c| held(c, today))
            .collect();
        if let Err(e) = check_history(input, &history) {
            return Ok(Err(Refusal::Invalid(vec![e])));
        }
        certificate::ActiveModel {
            product_id: Set(p.id),
            number: Set(input.number.clone()),
            number_is_sample: Set(false),
            stars: Set(input.stars.get() as i32),
            score: Set(input.score),
            level: Set(Some(input.level.code().into())),
            decided_on: Set(Some(input.decided_on)),
            date_precision: Set("day".into()),
            last_valid_on: Set(Some(last_valid_day(input.decided_on))),
            revoked_on: Set(None),
            revoke_reason: Set(None),
            kind: Set(input.kind.code().into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let after = json!({"product": p.slug, "stars": input.stars.get(), "score": input.score,
                           "level": input.level.code(), "decided_on": input.decided_on,
                           "last_valid_on": last_valid_day(input.decided_on)});
        audit(&txn, actor, input.kind.code(), "certificate", &input.number, serde_json::Value::Null, after).await?;
        Ok(Ok(p.slug))
    }
    .await;
    match result {
        Ok(Ok(slug)) => {
            txn.commit().await?;
            drop(turn);
            store.products_changed(&[input.product_id]).await?;
            store.sync_index().await?;
            Ok(Ok(slug))
        }
        other => {
            txn.rollback().await?;
            other
        }
    }
}

const MARK: &str = "certificate_days";

/// Run by the background job: when the day has turned since the last run, every product whose
/// certificate started expiring (90 days ahead) or expired in between is re-sent to search and its
/// cached pages dropped, so its badge flips on the date. Returns how many products changed.
pub async fn follow_the_calendar(store: &Store) -> Result<usize, StoreError> {
    let db = &store.db;
    let backend = db.get_database_backend();
    let today = store.today();
    let last = db
        .query_one_raw(stmt(backend, "SELECT value FROM job_marks WHERE name = ?", vec![MARK.into()]))
        .await?
        .and_then(|r| r.try_get::<String>("", "value").ok())
        .and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok());
    if last == Some(today) {
        return Ok(0);
    }
    // The first run has nothing to catch up with: the index was built today.
    let mut ids = Vec::new();
    if let Some(last) = last.filter(|l| *l < today) {
        let ahead = Duration::days(domain::certificate::EXPIRING_WITHIN_DAYS);
        let rows = db
            .query_all_raw(stmt(
                backend,
                "SELECT DISTINCT product_id FROM certificates WHERE (last_valid_on >= ? AND last_valid_on < ?) \
                 OR (last_valid_on > ? AND last_valid_on <= ?) OR (revoked_on > ? AND revoked_on <= ?)",
                vec![
                    last.into(),
                    today.into(),
                    (last + ahead).into(),
                    (today + ahead).into(),
                    last.into(),
                    today.into(),
                ],
            ))
            .await?;
        for r in rows {
            ids.push(r.try_get::<i64>("", "product_id")?);
        }
    }
    store.products_changed(&ids).await?;
    store.sync_index().await?;
    db.execute_raw(stmt(
        backend,
        "INSERT INTO job_marks (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        vec![MARK.into(), today.format("%Y-%m-%d").to_string().into()],
    ))
    .await?;
    Ok(ids.len())
}
