//! Recalls of a batch. Opening one blocks the batch online at once (its units in the online
//! warehouse are set aside in the ledger, so nothing can reserve them), marks its products changed so
//! every till learns it at its next pull, and emails each shopper whose order took units of it,
//! through the outbox. The office withdraws what is left on each shelf and closes the recall once
//! nothing is; every step is dated, named and audited.

use chrono::Utc;
use domain::account::{Account, Role};
use domain::trace::RecallStatus;
use domain::trace::recall::{Channel, Take, reach};
use domain::trace::records::{RecallEvent, RecallRow, RecallView, Shelf};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::json;

use super::batches::{move_stock, owned};
use super::public::latest_recall;
use crate::evaluation::{all, exec, invalid, one};
use crate::listings::{Outcome, Refusal};
use crate::office::audit;
use crate::{Store, StoreError};

async fn event(
    txn: &DatabaseTransaction,
    recall_id: i64,
    actor: &Account,
    action: &str,
    note: Option<String>,
) -> Result<(), StoreError> {
    exec(
        txn,
        "INSERT INTO recall_events (recall_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)",
        vec![recall_id.into(), Utc::now().into(), actor.name.clone().into(), action.into(), note.into()],
    )
    .await
}

/// Stock of the batch per location, by the ledger.
async fn shelves(db: &impl ConnectionTrait, batch_id: i64) -> Result<Vec<Shelf>, StoreError> {
    let rows = all(
        db,
        "SELECT m.location_id, l.name, CAST(SUM(m.qty_delta) AS BIGINT) AS qty FROM stock_movements m \
         JOIN locations l ON l.id = m.location_id WHERE m.batch_id = ? GROUP BY m.location_id, l.name ORDER BY l.name",
        vec![batch_id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Shelf {
                location_id: r.try_get("", "location_id")?,
                name: r.try_get("", "name")?,
                qty: r.try_get("", "qty")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// Every take of the batch, with the shopper's email for orders.
async fn takes(db: &impl ConnectionTrait, batch_id: i64) -> Result<Vec<Take>, StoreError> {
    let rows = all(
        db,
        "SELECT t.channel, t.reference, t.receipt, t.qty, t.assumed, t.at, l.name AS location, o.email \
         FROM batch_takes t JOIN locations l ON l.id = t.location_id \
         LEFT JOIN orders o ON t.channel = 'online' AND o.number = t.reference \
         WHERE t.batch_id = ? ORDER BY t.id",
        vec![batch_id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Take {
                channel: if r.try_get::<String>("", "channel")? == "online" {
                    Channel::Online
                } else {
                    Channel::Showroom
                },
                reference: r.try_get("", "reference")?,
                receipt: r.try_get("", "receipt")?,
                location: r.try_get("", "location")?,
                qty: r.try_get("", "qty")?,
                assumed: r.try_get("", "assumed")?,
                contact: r.try_get("", "email")?,
                at: r.try_get("", "at")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// May the actor open or read recalls of this batch: the office, or the batch's own producer.
async fn may_recall(
    db: &impl ConnectionTrait,
    actor: &Account,
    batch_id: i64,
) -> Result<Result<(), Refusal>, StoreError> {
    if !matches!(actor.role, Role::Admin | Role::Producer) {
        return Ok(Err(Refusal::Forbidden));
    }
    Ok(owned(db, actor, batch_id).await?.map(|_| ()))
}

/// Opens a recall of a batch with its reason.
pub async fn open(store: &Store, actor: &Account, batch_id: i64, reason: &str, public_url: &str) -> Outcome<i64> {
    let reason = reason.trim();
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<(i64, i64, i64)> = async {
        if let Err(r) = may_recall(&txn, actor, batch_id).await? {
            return Ok(Err(r));
        }
        if reason.chars().count() < 5 {
            return Ok(Err(invalid("reason", "Ghi lý do thu hồi (ít nhất 5 ký tự).", "Give the reason for the recall (at least 5 characters).")));
        }
        if latest_recall(&txn, batch_id).await?.is_some_and(|r| r.status == RecallStatus::Open) {
            return Ok(Err(invalid("reason", "Lô này đang được thu hồi.", "This batch is already being recalled.")));
        }
        let b = one(
            &txn,
            "SELECT b.code, b.variant_id, b.product_id, p.name_vi, p.name_en FROM batches b JOIN products p ON p.id = b.product_id WHERE b.id = ?",
            vec![batch_id.into()],
        )
        .await?
        .ok_or(StoreError::Seed("batch vanished".into()))?;
        let (code, variant_id, product_id): (String, i64, i64) =
            (b.try_get("", "code")?, b.try_get("", "variant_id")?, b.try_get("", "product_id")?);
        let (name_vi, name_en): (String, String) = (b.try_get("", "name_vi")?, b.try_get("", "name_en")?);
        let now = Utc::now();
        let id: i64 = one(
            &txn,
            "INSERT INTO recalls (batch_id, reason, status, opened_by, opened_at) VALUES (?, ?, 'open', ?, ?) RETURNING id",
            vec![batch_id.into(), reason.chars().take(2000).collect::<String>().into(), actor.id.into(), now.into()],
        )
        .await?
        .ok_or(StoreError::Seed("recall insert returned no id".into()))?
        .try_get("", "id")?;
        event(&txn, id, actor, "opened", Some(reason.to_string())).await?;
        // Online: the warehouse's units of the batch are set aside at once.
        if let Some(warehouse) = crate::catalog::online_warehouse(&txn).await? {
            let held = shelves(&txn, batch_id).await?.into_iter().find(|s| s.location_id == warehouse).map_or(0, |s| s.qty);
            if held > 0 {
                move_stock(&txn, warehouse, variant_id, -held, Some(batch_id), "recall_hold", &format!("recall:{id}")).await?;
                event(&txn, id, actor, "withdrawn", Some(format!("{held} × kho trực tuyến / online warehouse"))).await?;
            }
        }
        let r = reach(&takes(&txn, batch_id).await?, &[]);
        let subject = format!("Thu hồi sản phẩm: {name_vi} lô {code} / Product recall: {name_en} batch {code}");
        let body = format!(
            "Lô {code} của sản phẩm {name_vi} trong đơn hàng của quý khách đang bị thu hồi.\nLý do: {reason}\n\
             Vui lòng ngừng sử dụng và liên hệ chúng tôi để được hoàn tiền hoặc đổi hàng.\n\n\
             Batch {code} of {name_en} in your order is being recalled.\nReason: {reason}\n\
             Please stop using it and contact us for a refund or a replacement.\n\n{}/trace/{batch_id}",
            public_url.trim_end_matches('/')
        );
        for to in &r.notify {
            crate::orders::enqueue_plain(&txn, to, &subject, &body, now).await?;
        }
        exec(&txn, "UPDATE recalls SET notified_at = ? WHERE id = ?", vec![now.into(), id.into()]).await?;
        event(&txn, id, actor, "notified", Some(format!("{} người mua / shoppers", r.notify.len()))).await?;
        audit(&txn, actor, "open", "recall", &format!("{id}"), json!(null),
              json!({"batch": batch_id, "code": code, "reason": reason, "notified": r.notify.len()})).await?;
        crate::sync::stamp_products(&txn, &[variant_id], now).await?;
        Ok(Ok((id, product_id, variant_id)))
    }
    .await;
    finish(store, turn, txn, result).await
}

async fn finish(
    store: &Store,
    turn: Option<tokio::sync::MutexGuard<'_, ()>>,
    txn: DatabaseTransaction,
    result: Outcome<(i64, i64, i64)>,
) -> Outcome<i64> {
    match result {
        Ok(Ok((id, product_id, _))) => {
            txn.commit().await?;
            drop(turn);
            store.products_changed(&[product_id]).await?;
            Ok(Ok(id))
        }
        other => {
            txn.rollback().await?;
            other.map(|r| r.map(|(id, _, _)| id))
        }
    }
}

/// The recall's batch, product and size, when the actor may act on it.
async fn recall_batch(
    db: &impl ConnectionTrait,
    actor: &Account,
    recall_id: i64,
) -> Result<Result<(i64, i64, i64, String), Refusal>, StoreError> {
    let Some(r) = one(
        db,
        "SELECT r.batch_id, r.status, b.product_id, b.variant_id FROM recalls r JOIN batches b ON b.id = r.batch_id WHERE r.id = ?",
        vec![recall_id.into()],
    )
    .await?
    else {
        return Ok(Err(Refusal::NotFound));
    };
    let batch_id: i64 = r.try_get("", "batch_id")?;
    if let Err(e) = may_recall(db, actor, batch_id).await? {
        return Ok(Err(e));
    }
    Ok(Ok((batch_id, r.try_get("", "product_id")?, r.try_get("", "variant_id")?, r.try_get("", "status")?)))
}

/// The office takes what is left of the batch off one location's shelf.
pub async fn withdraw(store: &Store, actor: &Account, recall_id: i64, location_id: i64) -> Outcome<i64> {
    if actor.role != Role::Admin {
        return Ok(Err(Refusal::Forbidden));
    }
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<(i64, i64, i64)> = async {
        let (batch_id, product_id, variant_id, status) = match recall_batch(&txn, actor, recall_id).await? {
            Ok(x) => x,
            Err(r) => return Ok(Err(r)),
        };
        if status != "open" {
            return Ok(Err(invalid("location_id", "Thu hồi đã kết thúc.", "The recall is closed.")));
        }
        let Some(shelf) =
            shelves(&txn, batch_id).await?.into_iter().find(|s| s.location_id == location_id && s.qty > 0)
        else {
            return Ok(Err(invalid(
                "location_id",
                "Nơi này không còn hàng của lô.",
                "Nothing of the batch is left there.",
            )));
        };
        move_stock(
            &txn,
            location_id,
            variant_id,
            -shelf.qty,
            Some(batch_id),
            "recall_withdrawn",
            &format!("recall:{recall_id}"),
        )
        .await?;
        event(&txn, recall_id, actor, "withdrawn", Some(format!("{} × {}", shelf.qty, shelf.name))).await?;
        audit(
            &txn,
            actor,
            "withdraw",
            "recall",
            &format!("{recall_id}"),
            json!({"location": shelf.name, "qty": shelf.qty}),
            json!({"qty": 0}),
        )
        .await?;
        crate::sync::stamp_products(&txn, &[variant_id], Utc::now()).await?;
        Ok(Ok((recall_id, product_id, variant_id)))
    }
    .await;
    finish(store, turn, txn, result).await
}

/// Closes the recall once nothing of the batch is left on any shelf, with what was done.
pub async fn close(store: &Store, actor: &Account, recall_id: i64, note: &str) -> Outcome<i64> {
    if actor.role != Role::Admin {
        return Ok(Err(Refusal::Forbidden));
    }
    let note = note.trim();
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<(i64, i64, i64)> = async {
        let (batch_id, product_id, variant_id, status) = match recall_batch(&txn, actor, recall_id).await? {
            Ok(x) => x,
            Err(r) => return Ok(Err(r)),
        };
        if status != "open" {
            return Ok(Err(invalid("note", "Thu hồi đã kết thúc.", "The recall is already closed.")));
        }
        let on_shelves: i64 = shelves(&txn, batch_id).await?.iter().map(|s| s.qty.max(0)).sum();
        if on_shelves > 0 {
            return Ok(Err(invalid(
                "note",
                &format!("Còn {on_shelves} sản phẩm của lô trên kệ: rút hết trước khi kết thúc."),
                &format!("{on_shelves} units of the batch are still on shelves: withdraw them before closing."),
            )));
        }
        if note.chars().count() < 5 {
            return Ok(Err(invalid(
                "note",
                "Ghi kết quả xử lý (ít nhất 5 ký tự).",
                "Say what was done (at least 5 characters).",
            )));
        }
        let now = Utc::now();
        exec(
            &txn,
            "UPDATE recalls SET status = 'closed', closed_at = ?, closed_note = ? WHERE id = ? AND status = 'open'",
            vec![now.into(), note.chars().take(2000).collect::<String>().into(), recall_id.into()],
        )
        .await?;
        event(&txn, recall_id, actor, "closed", Some(note.to_string())).await?;
        audit(
            &txn,
            actor,
            "close",
            "recall",
            &format!("{recall_id}"),
            json!({"status": "open"}),
            json!({"status": "closed", "note": note}),
        )
        .await?;
        crate::sync::stamp_products(&txn, &[variant_id], now).await?;
        Ok(Ok((recall_id, product_id, variant_id)))
    }
    .await;
    finish(store, turn, txn, result).await
}

const ROW: &str = "SELECT r.id, r.batch_id, r.reason, r.status, r.opened_at, r.closed_at, r.notified_at, r.closed_note, \
     b.code, p.name_vi, v.size_vi, COALESCE(pr.name, '') AS producer_name \
     FROM recalls r JOIN batches b ON b.id = r.batch_id JOIN products p ON p.id = b.product_id \
     JOIN variants v ON v.id = b.variant_id LEFT JOIN producers pr ON pr.id = b.producer_id";

fn row(r: &sea_orm::QueryResult) -> Result<RecallRow, sea_orm::DbErr> {
    Ok(RecallRow {
        note: domain::trace::records::RecallNote {
            id: r.try_get("", "id")?,
            reason: r.try_get("", "reason")?,
            status: RecallStatus::parse(&r.try_get::<String>("", "status")?).unwrap_or(RecallStatus::Open),
            opened_at: r.try_get("", "opened_at")?,
            closed_at: r.try_get("", "closed_at")?,
        },
        batch_id: r.try_get("", "batch_id")?,
        code: r.try_get("", "code")?,
        product_name: r.try_get("", "name_vi")?,
        size_vi: r.try_get("", "size_vi")?,
        producer_name: r.try_get("", "producer_name")?,
    })
}

/// Recalls the actor may read, open ones first, newest first.
pub async fn list(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<RecallRow>, StoreError> {
    let (filter, values) = match (actor.role, actor.producer_id) {
        (Role::Admin, _) => ("", vec![]),
        (Role::Producer, Some(p)) => (" WHERE b.producer_id = ?", vec![p.into()]),
        _ => return Ok(vec![]),
    };
    let rows = all(
        db,
        &format!("{ROW}{filter} ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.opened_at DESC, r.id DESC LIMIT 500"),
        values,
    )
    .await?;
    rows.iter().map(row).collect::<Result<_, _>>().map_err(Into::into)
}

/// A recall with its reach, shelves and history.
pub async fn view(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Result<Option<RecallView>, StoreError> {
    let Some(r) = one(db, &format!("{ROW} WHERE r.id = ?"), vec![id.into()]).await? else { return Ok(None) };
    let row = row(&r)?;
    if may_recall(db, actor, row.batch_id).await?.is_err() {
        return Ok(None);
    }
    let shelves = shelves(db, row.batch_id).await?;
    let reach =
        reach(&takes(db, row.batch_id).await?, &shelves.iter().map(|s| (s.name.clone(), s.qty)).collect::<Vec<_>>());
    let events = all(
        db,
        "SELECT at, actor, action, note FROM recall_events WHERE recall_id = ? ORDER BY at, id",
        vec![id.into()],
    )
    .await?
    .iter()
    .map(|e| {
        Ok(RecallEvent {
            at: e.try_get("", "at")?,
            actor: e.try_get("", "actor")?,
            action: e.try_get("", "action")?,
            note: e.try_get("", "note")?,
        })
    })
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    Ok(Some(RecallView {
        notified_at: r.try_get("", "notified_at")?,
        closed_note: r.try_get("", "closed_note")?,
        shelves: shelves.into_iter().filter(|s| s.qty > 0).collect(),
        reach,
        events,
        row,
    }))
}

/// Batches under an open recall, per size: (size id, batch code, reason), for the product page and
/// checkout to say why a size cannot be bought.
pub async fn open_for_variants(
    db: &impl ConnectionTrait,
    variant_ids: &[i64],
) -> Result<Vec<(i64, String, String)>, StoreError> {
    if variant_ids.is_empty() {
        return Ok(vec![]);
    }
    let marks = vec!["?"; variant_ids.len()].join(", ");
    let rows = all(
        db,
        &format!(
            "SELECT b.variant_id, b.code, r.reason FROM recalls r JOIN batches b ON b.id = r.batch_id \
             WHERE r.status = 'open' AND b.variant_id IN ({marks}) ORDER BY b.variant_id, b.code"
        ),
        variant_ids.iter().map(|v| (*v).into()).collect(),
    )
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "variant_id")?, r.try_get("", "code")?, r.try_get("", "reason")?)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}
