//! Payment attempts through VNPay and MoMo. Each try gets a reference of its own (the gateways
//! want a fresh one per try); the money goes through `payments::record`, keyed on that reference,
//! so a notification, its duplicates and a query that races them pay the order once.

use chrono::{DateTime, Utc};
use domain::account::Account;
use domain::order::{OrderStatus, PaymentMethod};
use sea_orm::{ConnectionTrait, QueryResult};
use serde_json::json;

use crate::evaluation::exec;
use crate::payments::{Outcome, PaymentIn};
use crate::sql::stmt;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    /// Sent to the gateway; no word back yet.
    Pending,
    Paid,
    /// The gateway said the shopper cancelled or the payment failed.
    Failed,
    Refunded,
}

impl AttemptStatus {
    pub fn code(self) -> &'static str {
        match self {
            AttemptStatus::Pending => "pending",
            AttemptStatus::Paid => "paid",
            AttemptStatus::Failed => "failed",
            AttemptStatus::Refunded => "refunded",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "paid" => AttemptStatus::Paid,
            "failed" => AttemptStatus::Failed,
            "refunded" => AttemptStatus::Refunded,
            _ => AttemptStatus::Pending,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: i64,
    pub order_id: i64,
    pub number: String,
    pub access_key: String,
    pub gateway: PaymentMethod,
    pub reference: String,
    /// What the gateway was asked to take, in đồng.
    pub amount: i64,
    pub status: AttemptStatus,
    /// The gateway's own transaction number, once it gave one.
    pub gateway_txn: Option<String>,
    pub created_at: DateTime<Utc>,
    pub order_status: OrderStatus,
}

const SELECT: &str = "SELECT a.id, a.order_id, o.number, o.access_key, a.gateway, a.reference, a.amount, a.status, \
     a.gateway_txn, a.created_at, o.status AS order_status FROM gateway_attempts a JOIN orders o ON o.id = a.order_id";

fn attempt(r: &QueryResult) -> Result<Attempt, StoreError> {
    Ok(Attempt {
        id: r.try_get("", "id")?,
        order_id: r.try_get("", "order_id")?,
        number: r.try_get("", "number")?,
        access_key: r.try_get("", "access_key")?,
        gateway: PaymentMethod::parse(&r.try_get::<String>("", "gateway")?).unwrap_or(PaymentMethod::VnPay),
        reference: r.try_get("", "reference")?,
        amount: r.try_get("", "amount")?,
        status: AttemptStatus::parse(&r.try_get::<String>("", "status")?),
        gateway_txn: r.try_get("", "gateway_txn")?,
        created_at: r.try_get("", "created_at")?,
        order_status: OrderStatus::parse(&r.try_get::<String>("", "order_status")?).unwrap_or(OrderStatus::Cancelled),
    })
}

async fn one(
    db: &impl ConnectionTrait,
    filter: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Option<Attempt>, StoreError> {
    let sql = format!("{SELECT} WHERE {filter}");
    match db.query_one_raw(stmt(db.get_database_backend(), &sql, values)).await? {
        Some(r) => Ok(Some(attempt(&r)?)),
        None => Ok(None),
    }
}

/// The attempt a gateway reference names.
pub async fn find(store: &Store, reference: &str) -> Result<Option<Attempt>, StoreError> {
    one(&store.db, "a.reference = ?", vec![reference.into()]).await
}

/// A new attempt at paying an order through `gateway`, for what is still owed; None when the
/// order is not awaiting payment by that gateway (paid meanwhile, cancelled, another method).
pub async fn begin(store: &Store, number: &str, gateway: PaymentMethod) -> Result<Option<Attempt>, StoreError> {
    let Some(o) = crate::orders::find_by_number(&store.db, number).await? else { return Ok(None) };
    let owed = o.total - o.paid_amount;
    if o.status != OrderStatus::PendingPayment.code() || o.payment_method != gateway.code() || owed <= 0 {
        return Ok(None);
    }
    let (turn, txn) = store.write_txn().await?;
    let backend = txn.get_database_backend();
    let tries = txn
        .query_one_raw(stmt(
            backend,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM gateway_attempts WHERE order_id = ?",
            vec![o.id.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let reference = domain::gateways::attempt_ref(&o.number, tries + 1);
    // Two replicas numbering the same try: the second finds the reference taken and the shopper
    // simply presses again.
    let inserted = txn
        .execute_raw(stmt(
            backend,
            "INSERT INTO gateway_attempts (order_id, gateway, reference, amount, status, created_at) \
             VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (reference) DO NOTHING",
            vec![o.id.into(), gateway.code().into(), reference.clone().into(), owed.into(), Utc::now().into()],
        ))
        .await?
        .rows_affected();
    txn.commit().await?;
    drop(turn);
    if inserted != 1 {
        return Ok(None);
    }
    find(store, &reference).await
}

/// What a gateway said about an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    Paid { gateway_txn: String, amount: i64 },
    Failed { gateway_txn: Option<String> },
}

/// What settling did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The money was recorded now, with this outcome.
    Paid(Outcome),
    /// The failure was recorded now.
    Failed,
    /// This attempt was settled before (a duplicate, or a query got there first): nothing changed.
    Already,
}

/// Applies a verified report to an attempt (the caller has checked the signature and the amount).
pub async fn settle(store: &Store, a: &Attempt, report: &Report, actor: &str) -> Result<Settled, StoreError> {
    let now = Utc::now();
    match report {
        Report::Paid { gateway_txn, amount } => {
            if matches!(a.status, AttemptStatus::Paid | AttemptStatus::Refunded) {
                return Ok(Settled::Already);
            }
            let outcome = crate::payments::record(
                store,
                PaymentIn {
                    order_number: Some(a.number.clone()),
                    method: a.gateway,
                    source: a.gateway.code().into(),
                    external_ref: format!("{}:{}", a.gateway.code(), a.reference),
                    amount: *amount,
                    detail: Some(format!("{} {gateway_txn}", a.reference)),
                    actor: actor.into(),
                },
            )
            .await?;
            // After the money: a crash in between leaves the attempt pending, and the next
            // notification or query finds the payment already recorded.
            exec(
                &store.db,
                "UPDATE gateway_attempts SET status = 'paid', gateway_txn = ?, settled_at = ? WHERE id = ? AND status IN ('pending', 'failed')",
                vec![gateway_txn.clone().into(), now.into(), a.id.into()],
            )
            .await?;
            Ok(if outcome == Outcome::Duplicate { Settled::Already } else { Settled::Paid(outcome) })
        }
        Report::Failed { gateway_txn } => {
            let moved = store
                .db
                .execute_raw(stmt(
                    store.db.get_database_backend(),
                    "UPDATE gateway_attempts SET status = 'failed', gateway_txn = ?, settled_at = ? WHERE id = ? AND status = 'pending'",
                    vec![gateway_txn.clone().into(), now.into(), a.id.into()],
                ))
                .await?;
            Ok(if moved.rows_affected() == 1 { Settled::Failed } else { Settled::Already })
        }
    }
}

/// Attempts still waiting for word from their gateway after `quiet`, not asked about in the last
/// `quiet` either, within two days (the gateways' query window): the ones whose notification may
/// have been lost.
pub async fn unsettled(store: &Store, quiet: chrono::Duration, now: DateTime<Utc>) -> Result<Vec<Attempt>, StoreError> {
    let since = now - quiet;
    let sql = format!(
        "{SELECT} WHERE a.status = 'pending' AND a.created_at <= ? AND a.created_at > ? \
         AND (a.checked_at IS NULL OR a.checked_at <= ?) ORDER BY a.created_at LIMIT 50"
    );
    let rows = store
        .db
        .query_all_raw(stmt(
            store.db.get_database_backend(),
            &sql,
            vec![since.into(), (now - chrono::Duration::days(2)).into(), since.into()],
        ))
        .await?;
    rows.iter().map(attempt).collect()
}

/// Notes that the gateway was asked about an attempt and had nothing final to say.
pub async fn checked(store: &Store, a: &Attempt) -> Result<(), StoreError> {
    exec(&store.db, "UPDATE gateway_attempts SET checked_at = ? WHERE id = ?", vec![Utc::now().into(), a.id.into()])
        .await
}

/// The paid gateway attempt of an order, the one a refund goes back through.
pub async fn paid_attempt(store: &Store, number: &str) -> Result<Option<Attempt>, StoreError> {
    one(&store.db, "o.number = ? AND a.status = 'paid' ORDER BY a.id DESC", vec![number.into()]).await
}

/// The latest orders for the office, optionally those whose number contains `q` or whose phone is `q`.
pub async fn office_orders(store: &Store, q: &str) -> Result<Vec<domain::order::OfficeOrderRow>, StoreError> {
    let q = q.trim().to_uppercase();
    let rows = store
        .db
        .query_all_raw(stmt(
            store.db.get_database_backend(),
            "SELECT o.number, o.created_at, o.name, o.payment_method, o.status, o.total, o.paid_amount,              (SELECT a.gateway_txn FROM gateway_attempts a WHERE a.order_id = o.id AND a.status IN ('paid', 'refunded')               ORDER BY a.id DESC LIMIT 1) AS gateway_txn,              (SELECT CAST(COUNT(*) AS BIGINT) FROM gateway_attempts a WHERE a.order_id = o.id AND a.status = 'paid') AS paid_attempts              FROM orders o WHERE (? = '' OR o.number LIKE ? OR o.phone = ?) ORDER BY o.id DESC LIMIT 100",
            vec![q.clone().into(), format!("%{q}%").into(), q.clone().into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let status = OrderStatus::parse(&r.try_get::<String>("", "status")?).unwrap_or(OrderStatus::Cancelled);
            let created: DateTime<Utc> = r.try_get("", "created_at")?;
            Ok(domain::order::OfficeOrderRow {
                number: r.try_get("", "number")?,
                placed_at: created.with_timezone(&crate::store::vietnam()).format("%d/%m/%Y %H:%M").to_string(),
                name: r.try_get("", "name")?,
                method: PaymentMethod::parse(&r.try_get::<String>("", "payment_method")?).unwrap_or(PaymentMethod::Cod),
                status,
                total: r.try_get("", "total")?,
                paid: r.try_get("", "paid_amount")?,
                gateway_txn: r.try_get("", "gateway_txn")?,
                refundable: r.try_get::<i64>("", "paid_attempts")? > 0 && status.can_become(OrderStatus::Refunded),
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundRefused {
    NotOffice,
    NoGatewayPayment,
    ReasonNeeded,
    /// The order is packed or on its way: refund once it is delivered or comes back.
    NotNow(OrderStatus),
}

impl RefundRefused {
    pub fn message(&self) -> (String, String) {
        match self {
            RefundRefused::NotOffice => {
                ("Chỉ văn phòng OCOP được hoàn tiền.".into(), "Only the OCOP office refunds.".into())
            }
            RefundRefused::NoGatewayPayment => (
                "Đơn này không có khoản thanh toán qua VNPay hay MoMo để hoàn.".into(),
                "This order has no VNPay or MoMo payment to refund.".into(),
            ),
            RefundRefused::ReasonNeeded => {
                ("Cần ghi lý do hoàn tiền.".into(), "A reason for the refund is needed.".into())
            }
            RefundRefused::NotNow(s) => {
                let (vi, en) = s.label();
                (
                    format!(
                        "Đơn đang ở trạng thái «{vi}»: chỉ hoàn tiền đơn đã thanh toán chưa đóng gói, hoặc đã giao."
                    ),
                    format!("The order is “{en}”: refunds are for paid orders not yet packed, or delivered ones."),
                )
            }
        }
    }
}

/// Whether the office may refund this order now, and through which attempt.
pub async fn refundable(
    store: &Store,
    actor: &Account,
    number: &str,
    reason: &str,
) -> Result<Result<Attempt, RefundRefused>, StoreError> {
    if actor.role != domain::account::Role::Admin {
        return Ok(Err(RefundRefused::NotOffice));
    }
    if reason.trim().chars().count() < 3 {
        return Ok(Err(RefundRefused::ReasonNeeded));
    }
    let Some(a) = paid_attempt(store, number).await? else { return Ok(Err(RefundRefused::NoGatewayPayment)) };
    if !a.order_status.can_become(OrderStatus::Refunded) {
        return Ok(Err(RefundRefused::NotNow(a.order_status)));
    }
    Ok(Ok(a))
}

/// Records a refund the gateway accepted: money out of the order, the order refunded (its stock
/// back when it never left), the attempt marked, all at once and audited; once per attempt.
pub async fn record_refund(
    store: &Store,
    actor: &Account,
    a: &Attempt,
    gateway_ref: &str,
    reason: &str,
) -> Result<bool, StoreError> {
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    let inserted = crate::payments::insert_payment(
        &txn,
        Some(a.order_id),
        a.gateway.code(),
        a.gateway.code(),
        &format!("{}-refund:{}", a.gateway.code(), a.reference),
        -a.amount,
        "refunded",
        Some(gateway_ref),
        now,
    )
    .await?;
    if !inserted {
        txn.rollback().await?;
        return Ok(false);
    }
    exec(
        &txn,
        "UPDATE orders SET paid_amount = paid_amount - ?, updated_at = ? WHERE id = ?",
        vec![a.amount.into(), now.into(), a.order_id.into()],
    )
    .await?;
    exec(&txn, "UPDATE gateway_attempts SET status = 'refunded' WHERE id = ?", vec![a.id.into()]).await?;
    let note = format!("{} — {gateway_ref}", reason.trim());
    if crate::orders::transition_in(&txn, a.order_id, OrderStatus::Refunded, &actor.name, Some(&note), now)
        .await?
        .is_err()
    {
        txn.rollback().await?;
        return Ok(false);
    }
    crate::office::audit(
        &txn,
        actor,
        "order_refund",
        "order",
        &a.number,
        json!({"status": a.order_status.code(), "paid": a.amount}),
        json!({"status": "refunded", "gateway": a.gateway.code(), "amount": a.amount, "gateway_ref": gateway_ref, "reason": reason.trim()}),
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    crate::orders::stock_changed(store, a.order_id).await?;
    Ok(true)
}
