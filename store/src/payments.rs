//! Money against orders, from any source (bank statement, Stripe webhook, the office, the courier),
//! applied exactly once per external reference, and never silently when the amount is wrong.

use chrono::{DateTime, Utc};
use domain::order::{OrderLineView, OrderStatus, OrderView, PaymentMethod, TransferView};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Value};
use serde::{Deserialize, Serialize};

use crate::entity::{order, order_event, order_line, payment};
use crate::sql::stmt;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The order is paid in full by this payment.
    Applied,
    /// Less than the order's total: recorded, the order waits, the office is told.
    Underpaid,
    /// More than the total, or money for an order already paid: recorded, flagged for a refund.
    Overpaid,
    /// Money for an order already cancelled (its reservation lapsed): flagged.
    Late,
    /// No order matches: kept for the office to assign.
    Unmatched,
    /// This reference was recorded before; nothing changed.
    Duplicate,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Underpaid => "underpaid",
            Outcome::Overpaid => "overpaid",
            Outcome::Late => "late",
            Outcome::Unmatched => "unmatched",
            Outcome::Duplicate => "duplicate",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PaymentIn {
    pub order_number: Option<String>,
    pub method: PaymentMethod,
    /// `statement`, `stripe`, `office`.
    pub source: String,
    /// Unique per real-world payment: a bank's transaction id, a Stripe session id, ...
    pub external_ref: String,
    pub amount: i64,
    pub detail: Option<String>,
    pub actor: String,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_payment(
    txn: &DatabaseTransaction,
    order_id: Option<i64>,
    method: &str,
    source: &str,
    external_ref: &str,
    amount: i64,
    outcome: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    // ON CONFLICT rather than catching the error: on PostgreSQL a failed statement would abort
    // the whole transaction.
    let res = txn
        .execute_raw(stmt(
            txn.get_database_backend(),
            "INSERT INTO payments (order_id, method, source, external_ref, amount, outcome, detail, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (external_ref) DO NOTHING",
            vec![
                order_id.into(),
                method.into(),
                source.into(),
                external_ref.into(),
                amount.into(),
                outcome.into(),
                Value::from(detail.map(str::to_string)),
                now.into(),
            ],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Whether a payment with this reference was recorded.
pub async fn known(store: &Store, external_ref: &str) -> Result<bool, StoreError> {
    Ok(payment::Entity::find().filter(payment::Column::ExternalRef.eq(external_ref)).one(&store.db).await?.is_some())
}

/// Records a payment once per `external_ref` and moves a fully paid order to `paid`.
pub async fn record(store: &Store, p: PaymentIn) -> Result<Outcome, StoreError> {
    if known(store, &p.external_ref).await? {
        return Ok(Outcome::Duplicate);
    }
    let now = Utc::now();
    let (turn, txn) = store.write_txn().await?;
    let backend = txn.get_database_backend();
    let found = match &p.order_number {
        Some(n) => order::Entity::find().filter(order::Column::Number.eq(n)).one(&txn).await?,
        None => None,
    };
    let Some(o) = found else {
        let inserted = insert_payment(
            &txn,
            None,
            p.method.code(),
            &p.source,
            &p.external_ref,
            p.amount,
            "unmatched",
            p.detail.as_deref(),
            now,
        )
        .await?;
        txn.commit().await?;
        return Ok(if inserted { Outcome::Unmatched } else { Outcome::Duplicate });
    };
    let status = OrderStatus::parse(&o.status).unwrap_or(OrderStatus::Cancelled);
    let owed = o.total - o.paid_amount;
    let outcome = match status {
        OrderStatus::Cancelled | OrderStatus::Refunded => Outcome::Late,
        OrderStatus::PendingPayment | OrderStatus::Confirmed if p.amount == owed => Outcome::Applied,
        OrderStatus::PendingPayment | OrderStatus::Confirmed if p.amount < owed => Outcome::Underpaid,
        _ => Outcome::Overpaid,
    };
    if !insert_payment(
        &txn,
        Some(o.id),
        p.method.code(),
        &p.source,
        &p.external_ref,
        p.amount,
        outcome.code(),
        p.detail.as_deref(),
        now,
    )
    .await?
    {
        txn.rollback().await?;
        return Ok(Outcome::Duplicate);
    }
    let mut outcome = outcome;
    if outcome != Outcome::Late {
        txn.execute_raw(stmt(
            backend,
            "UPDATE orders SET paid_amount = paid_amount + ?, updated_at = ? WHERE id = ?",
            vec![p.amount.into(), now.into(), o.id.into()],
        ))
        .await?;
    }
    if outcome == Outcome::Applied {
        txn.execute_raw(stmt(backend, "UPDATE orders SET paid_at = ? WHERE id = ?", vec![now.into(), o.id.into()]))
            .await?;
        if status == OrderStatus::PendingPayment {
            let moved =
                crate::orders::transition_in(&txn, o.id, OrderStatus::Paid, &p.actor, p.detail.as_deref(), now).await?;
            if moved.is_err() {
                // Cancelled by the expiry job between our read and now: the money came too late.
                outcome = Outcome::Late;
                txn.execute_raw(stmt(
                    backend,
                    "UPDATE payments SET outcome = 'late' WHERE external_ref = ?",
                    vec![p.external_ref.clone().into()],
                ))
                .await?;
            }
        }
        if let (Some(email), Outcome::Applied) = (&o.email, outcome) {
            let subject = format!("Đã nhận thanh toán đơn {} / Payment received for order {}", o.number, o.number);
            let body = format!(
                "Chúng tôi đã nhận {} cho đơn {}. Đơn sẽ được đóng gói và giao sớm.\n\nWe received {} for order {}. It will be packed and shipped soon.\n",
                domain::Vnd(p.amount),
                o.number,
                domain::Vnd(p.amount),
                o.number
            );
            crate::orders::enqueue(&txn, o.id, email, &subject, &body, now).await?;
        }
    }
    txn.commit().await?;
    drop(turn);
    Ok(outcome)
}

pub(crate) fn placed_message(o: &order::Model, lines: &str, store: &Store) -> (String, String) {
    let subject = format!("Đơn hàng {} đã được đặt / Order {} placed", o.number, o.number);
    let mut body = format!(
        "Cảm ơn {} đã đặt hàng tại Chợ OCOP Bình Thuận.\nThank you for your order at OCOP Market Bình Thuận.\n\n\
         Mã đơn / Order: {}\n{}\nTạm tính / Subtotal: {}\nPhí giao hàng / Delivery: {}\nTổng cộng / Total: {}\n",
        o.name,
        o.number,
        lines,
        domain::Vnd(o.subtotal),
        domain::Vnd(o.delivery_fee),
        domain::Vnd(o.total)
    );
    if o.payment_method == PaymentMethod::VietQr.code()
        && let Some(acc) = &store.commerce.vietqr
    {
        body.push_str(&format!(
            "\nChuyển khoản / Bank transfer: {} – {} – {}\nNội dung / Purpose: {}\n",
            acc.bank_name, acc.account, acc.account_name, o.number
        ));
    }
    (subject, body)
}

fn vietnam_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&crate::store::vietnam()).format("%d/%m/%Y %H:%M").to_string()
}

/// The order page's content, for whoever holds the order's number and access key.
pub async fn view(store: &Store, number: &str, access_key: &str) -> Result<Option<OrderView>, StoreError> {
    let Some(o) = crate::orders::find_by_number(&store.db, number).await? else { return Ok(None) };
    if !crate::sql::same_secret(&o.access_key, access_key) {
        return Ok(None);
    }
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .order_by_asc(order_line::Column::Id)
        .all(&store.db)
        .await?;
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(o.id))
        .order_by_asc(order_event::Column::Id)
        .all(&store.db)
        .await?;
    let status = OrderStatus::parse(&o.status).unwrap_or(OrderStatus::Cancelled);
    let method = PaymentMethod::parse(&o.payment_method).unwrap_or(PaymentMethod::Cod);
    let transfer = match (&store.commerce.vietqr, method, status) {
        (Some(acc), PaymentMethod::VietQr, OrderStatus::PendingPayment) => {
            let amount = o.total - o.paid_amount;
            let payload = domain::vietqr::payload(&domain::vietqr::Transfer {
                bank_bin: acc.bank_bin.clone(),
                account: acc.account.clone(),
                amount: Some(amount),
                purpose: Some(o.number.clone()),
            })
            .map_err(|e| StoreError::Seed(format!("VietQR account configuration: {e}")))?;
            Some(TransferView {
                payload,
                bank_name: acc.bank_name.clone(),
                bank_bin: acc.bank_bin.clone(),
                account: acc.account.clone(),
                account_name: acc.account_name.clone(),
                amount,
                purpose: o.number.clone(),
            })
        }
        _ => None,
    };
    let province = domain::address::province(&o.province).map_or(o.province.clone(), |p| p.1.to_string());
    let reached: Vec<(OrderStatus, String)> =
        events.iter().filter_map(|e| Some((OrderStatus::parse(&e.to_status)?, vietnam_time(e.created_at)))).collect();
    // Counted from payment for orders paid first: nothing is packed before the money is in.
    let from = o.paid_at.unwrap_or(o.created_at).with_timezone(&crate::store::vietnam()).date_naive();
    let estimate = domain::order_tracking::estimate(status, from, &o.province)
        .map(|(early, late)| format!("{} – {}", early.format("%d/%m"), late.format("%d/%m/%Y")));
    Ok(Some(OrderView {
        number: o.number.clone(),
        access_key: o.access_key.clone(),
        status,
        method,
        placed_at: vietnam_time(o.created_at),
        name: o.name,
        phone: o.phone,
        email: o.email,
        address: format!("{}, {}, {}", o.street, o.commune, province),
        note: o.note,
        lines: lines
            .into_iter()
            .map(|l| OrderLineView {
                name_vi: l.name_vi,
                name_en: l.name_en,
                unit_price: l.unit_price,
                quantity: l.quantity,
                line_total: l.line_total,
            })
            .collect(),
        subtotal: o.subtotal,
        delivery_fee: o.delivery_fee,
        total: o.total,
        paid_amount: o.paid_amount,
        pay_by: (status == OrderStatus::PendingPayment).then_some(o.expires_at).flatten().map(vietnam_time),
        timeline: domain::order_tracking::timeline(status, method, &reached),
        parcels: crate::fulfilment::parcels(&store.db, o.id).await?,
        estimate,
        transfer,
    }))
}

/// Orders a shopper placed while signed in, newest first.
pub async fn for_account(
    store: &Store,
    user_id: i64,
    limit: u64,
) -> Result<Vec<domain::order::OrderSummary>, StoreError> {
    use sea_orm::QuerySelect;
    let orders = crate::entity::order::Entity::find()
        .filter(crate::entity::order::Column::UserId.eq(user_id))
        .order_by_desc(crate::entity::order::Column::CreatedAt)
        .limit(limit)
        .all(&store.db)
        .await?;
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.is_in(ids))
        .order_by_asc(order_line::Column::Id)
        .all(&store.db)
        .await?;
    Ok(orders
        .into_iter()
        .map(|o| {
            let mine: Vec<&order_line::Model> = lines.iter().filter(|l| l.order_id == o.id).collect();
            domain::order::OrderSummary {
                number: o.number,
                access_key: o.access_key,
                status: OrderStatus::parse(&o.status).unwrap_or(OrderStatus::Cancelled),
                placed_at: vietnam_time(o.created_at),
                total: o.total,
                first_item_vi: mine.first().map(|l| l.name_vi.clone()).unwrap_or_default(),
                first_item_en: mine.first().map(|l| l.name_en.clone()).unwrap_or_default(),
                more_items: mine.len().saturating_sub(1),
            }
        })
        .collect())
}

/// What an order lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    NotFound,
    /// Too many wrong phones for this order number lately: the phone is the only secret.
    Throttled,
}

/// Lookups per order number (counted before the phone is compared, so parallel guesses cannot all
/// slip in under the limit).
pub const ORDER_LOOKUP: crate::limits::Limit = crate::limits::Limit { max: 5, window: chrono::Duration::minutes(15) };

/// The order's access key, for a shopper who knows its number and the phone it was placed with.
/// Order numbers are sequential, so wrong phones are counted per number like failed sign-ins.
pub async fn lookup(db: &impl ConnectionTrait, number: &str, phone: &str) -> Result<Lookup, StoreError> {
    let Some(number) = domain::order::parse_order_number(number) else { return Ok(Lookup::NotFound) };
    let key = format!("order:{number}");
    if crate::limits::take(db, &key, ORDER_LOOKUP, Utc::now()).await? > ORDER_LOOKUP.max {
        return Ok(Lookup::Throttled);
    }
    let phone = domain::address::normalize_contact_phone(phone);
    let found = crate::orders::find_by_number(db, &number).await?.filter(|o| Some(&o.phone) == phone.as_ref());
    match found {
        Some(o) => {
            crate::limits::clear(db, &key).await?;
            Ok(Lookup::Found(o.access_key))
        }
        None => Ok(Lookup::NotFound),
    }
}

/// Whether a webhook event id was handled before.
pub async fn event_seen(store: &Store, event_id: &str) -> Result<bool, StoreError> {
    let row = store
        .db
        .query_one_raw(stmt(
            store.db.get_database_backend(),
            "SELECT 1 AS one FROM webhook_events WHERE event_id = ?",
            vec![event_id.into()],
        ))
        .await?;
    Ok(row.is_some())
}

pub async fn remember_event(store: &Store, event_id: &str, kind: &str) -> Result<(), StoreError> {
    store
        .db
        .execute_raw(stmt(
            store.db.get_database_backend(),
            "INSERT INTO webhook_events (event_id, kind, received_at) VALUES (?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
            vec![event_id.into(), kind.into(), Utc::now().into()],
        ))
        .await?;
    Ok(())
}
