//! The office's changes to the programme's records, each written with an audit entry in the same
//! transaction: who, when, and the record before and after.

use chrono::{NaiveDate, Utc};
use domain::account::{Account, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::entity::certificate;
use crate::sql::stmt;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NotOffice,
    NoSuchCertificate,
    AlreadyRevoked,
    ReasonNeeded,
}

pub(crate) async fn audit(
    txn: &DatabaseTransaction,
    actor: &Account,
    action: &str,
    entity: &str,
    key: &str,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), StoreError> {
    txn.execute_raw(stmt(
        txn.get_database_backend(),
        "INSERT INTO audit_log (actor_id, actor_name, action, entity, entity_key, before, after, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            actor.id.into(),
            actor.name.clone().into(),
            action.into(),
            entity.into(),
            key.into(),
            before.to_string().into(),
            after.to_string().into(),
            Utc::now().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Revokes a certificate from `on` (Vietnam date) with a reason; the badge goes from every page
/// and from search as soon as the change is synced (done here at once for this replica).
pub async fn revoke_certificate(
    store: &Store,
    actor: &Account,
    number: &str,
    reason: &str,
    on: NaiveDate,
) -> Result<Result<(), Refused>, StoreError> {
    if actor.role != Role::Admin {
        return Ok(Err(Refused::NotOffice));
    }
    let reason = reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        return Ok(Err(Refused::ReasonNeeded));
    }
    let (turn, txn) = store.write_txn().await?;
    let Some(cert) = certificate::Entity::find().filter(certificate::Column::Number.eq(number)).one(&txn).await? else {
        txn.rollback().await?;
        return Ok(Err(Refused::NoSuchCertificate));
    };
    if cert.revoked_on.is_some() {
        txn.rollback().await?;
        return Ok(Err(Refused::AlreadyRevoked));
    }
    let before = json!({"revoked_on": cert.revoked_on, "revoke_reason": cert.revoke_reason});
    let product_id = cert.product_id;
    let mut am: certificate::ActiveModel = cert.into();
    am.revoked_on = Set(Some(on));
    am.revoke_reason = Set(Some(reason.to_string()));
    am.update(&txn).await?;
    let after = json!({"revoked_on": on, "revoke_reason": reason});
    audit(&txn, actor, "revoke", "certificate", number, before, after).await?;
    txn.commit().await?;
    drop(turn);
    store.products_changed(&[product_id]).await?;
    store.sync_index().await?;
    Ok(Ok(()))
}
