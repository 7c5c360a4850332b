//! Placing orders and moving them along. Stock is reserved in the transaction that creates the
//! order, by a conditional update that cannot take a level below zero; every later stock effect
//! (release, consume) is guarded by the order's `stock_state`, so it happens once.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use domain::address::{CheckoutForm, FieldError};
use domain::cart::StockProblem;
use domain::order::{OrderStatus, PaymentMethod, order_number};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    SqlErr, Value,
};
use serde::{Deserialize, Serialize};

use crate::entity::{cart, cart_item, combo_item, notification, order, order_event, order_line, order_stock, variant};
use crate::sql::stmt;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkout {
    Placed {
        number: String,
        access_key: String,
        method: PaymentMethod,
        repeated: bool,
    },
    /// The form is back with these messages; the typed values are kept as the cart's draft.
    Invalid(Vec<FieldError>),
    /// Some lines cannot be filled now: (line name, problem).
    Stock(Vec<(String, StockProblem)>),
    EmptyCart,
    /// The form came from an older page (another tab placed an order): show the new one.
    StaleForm,
}

/// The checkout form's draft, so a refused or interrupted form comes back as typed.
pub async fn save_draft(db: &impl ConnectionTrait, cart_id: &str, form: &CheckoutForm) -> Result<(), StoreError> {
    let draft = serde_json::to_string(form).map_err(|e| StoreError::Seed(e.to_string()))?;
    cart::Entity::update_many()
        .col_expr(cart::Column::Draft, sea_orm::sea_query::Expr::value(draft))
        .filter(cart::Column::Id.eq(cart_id))
        .exec(db)
        .await?;
    Ok(())
}

pub fn draft_of(cart: &cart::Model) -> CheckoutForm {
    cart.draft.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default()
}

async fn by_token(db: &impl ConnectionTrait, token: &str) -> Result<Option<order::Model>, StoreError> {
    Ok(order::Entity::find().filter(order::Column::CheckoutToken.eq(token)).one(db).await?)
}

fn placed(o: order::Model, repeated: bool) -> Checkout {
    Checkout::Placed {
        method: PaymentMethod::parse(&o.payment_method).unwrap_or(PaymentMethod::Cod),
        number: o.number,
        access_key: o.access_key,
        repeated,
    }
}

/// Places the cart as an order. The same `token` always gives the same order: a double click or
/// a resubmitted form finds the order the first submit made.
pub async fn place(
    store: &Store,
    cart_id: &str,
    token: &str,
    form: CheckoutForm,
    lang: &str,
    user_id: Option<i64>,
) -> Result<Checkout, StoreError> {
    if let Some(existing) = by_token(&store.db, token).await? {
        return Ok(placed(existing, true));
    }
    let outcome = place_new(store, cart_id, token, form, lang, user_id).await?;
    if matches!(outcome, Checkout::Placed { .. }) {
        return Ok(outcome);
    }
    // A twin submit may have placed the order while this one ran (and emptied the cart under it).
    Ok(match by_token(&store.db, token).await? {
        Some(existing) => placed(existing, true),
        None => outcome,
    })
}

async fn place_new(
    store: &Store,
    cart_id: &str,
    token: &str,
    form: CheckoutForm,
    lang: &str,
    user_id: Option<i64>,
) -> Result<Checkout, StoreError> {
    let Some(cart) = crate::cart::find(&store.db, cart_id).await? else { return Ok(Checkout::EmptyCart) };
    save_draft(&store.db, cart_id, &form).await?;
    if cart.checkout_token.as_deref() != Some(token) {
        return Ok(Checkout::StaleForm);
    }
    let delivery = match form.validate(&store.commerce.methods()) {
        Ok(d) => d,
        Err(errors) => return Ok(Checkout::Invalid(errors)),
    };
    let view = crate::cart::view(&store.db, cart_id).await?;
    if view.lines.is_empty() {
        return Ok(Checkout::EmptyCart);
    }
    let problems: Vec<_> = view.lines.iter().filter_map(|l| l.problem().map(|p| (l.name_vi.clone(), p))).collect();
    if !problems.is_empty() {
        return Ok(Checkout::Stock(problems));
    }
    let lines = priced_lines(&store.db, cart_id).await?;
    let location = crate::catalog::online_warehouse(&store.db)
        .await?
        .ok_or_else(|| StoreError::Seed("no online warehouse location".into()))?;
    let subtotal: i64 = lines.iter().map(|l| l.unit_price * l.quantity as i64).sum();
    let summary = store.commerce.fees.summary(Some(&delivery.province), domain::Vnd(subtotal));
    let now = Utc::now();
    let status = OrderStatus::initial(delivery.payment);

    let (_turn, txn) = store.write_txn().await?;
    // Reserve first: the first statement writes, so on SQLite this transaction holds the write
    // lock from its start and never has to upgrade a read snapshot.
    let mut needs: BTreeMap<i64, i64> = BTreeMap::new();
    for l in &lines {
        for (variant_id, qty) in &l.components {
            *needs.entry(*variant_id).or_default() += *qty as i64 * l.quantity as i64;
        }
    }
    let backend = txn.get_database_backend();
    for (variant_id, qty) in &needs {
        let res = txn
            .execute_raw(stmt(
                backend,
                "UPDATE stock_levels SET reserved = reserved + ?, updated_at = ? \
                 WHERE location_id = ? AND variant_id = ? AND on_hand - reserved >= ?",
                vec![(*qty).into(), now.into(), location.into(), (*variant_id).into(), (*qty).into()],
            ))
            .await?;
        if res.rows_affected() != 1 {
            txn.rollback().await?;
            let name = lines
                .iter()
                .find(|l| l.components.iter().any(|(v, _)| v == variant_id))
                .map(|l| l.name_vi.clone())
                .unwrap_or_default();
            let left = crate::catalog::available_online(&store.db, vec![*variant_id]).await?;
            let left = left.get(variant_id).copied().unwrap_or(0);
            let problem = if left <= 0 { StockProblem::SoldOut } else { StockProblem::OnlyLeft(left) };
            return Ok(Checkout::Stock(vec![(name, problem)]));
        }
    }
    let year = now.with_timezone(&crate::store::vietnam()).year();
    let seq = txn
        .query_one_raw(stmt(
            backend,
            "INSERT INTO order_counters (year, last) VALUES (?, 1) \
             ON CONFLICT (year) DO UPDATE SET last = order_counters.last + 1 RETURNING last",
            vec![year.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Seed("order counter returned nothing".into()))?
        .try_get::<i64>("", "last")?;
    let inserted = order::ActiveModel {
        number: Set(order_number(year, seq)),
        access_key: Set(crate::sql::token()),
        checkout_token: Set(token.to_string()),
        status: Set(status.code().into()),
        payment_method: Set(delivery.payment.code().into()),
        stock_state: Set("reserved".into()),
        name: Set(delivery.name.clone()),
        phone: Set(delivery.phone.clone()),
        email: Set(delivery.email.clone()),
        province: Set(delivery.province.clone()),
        commune: Set(delivery.commune.clone()),
        street: Set(delivery.street.clone()),
        note: Set(delivery.note.clone()),
        lang: Set(if lang == "en" { "en" } else { "vi" }.into()),
        subtotal: Set(summary.subtotal.0),
        delivery_fee: Set(summary.delivery_fee.0),
        total: Set(summary.total.0),
        paid_amount: Set(0),
        stripe_session_id: Set(None),
        expires_at: Set(delivery.payment.pays_first().then(|| now + store.commerce.unpaid_ttl)),
        paid_at: Set(None),
        user_id: Set(user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let order = match inserted {
        Ok(o) => o,
        // Two submits of one form raced past the first check: the other one won; show its order.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return match by_token(&store.db, token).await? {
                Some(o) => Ok(placed(o, true)),
                None => Err(e.into()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    for l in &lines {
        order_line::ActiveModel {
            order_id: Set(order.id),
            variant_id: Set(l.variant_id),
            combo_id: Set(l.combo_id),
            producer_id: Set(l.producer_id),
            name_vi: Set(l.name_vi.clone()),
            name_en: Set(l.name_en.clone()),
            sku: Set(l.sku.clone()),
            unit_price: Set(l.unit_price),
            quantity: Set(l.quantity),
            line_total: Set(l.unit_price * l.quantity as i64),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    for (variant_id, qty) in &needs {
        order_stock::ActiveModel {
            order_id: Set(order.id),
            location_id: Set(location),
            variant_id: Set(*variant_id),
            quantity: Set(*qty),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    record_event(&txn, order.id, None, status, "khách hàng / shopper", None, now).await?;
    if let Some(email) = &order.email {
        let (subject, body) = crate::payments::placed_message(&order, &lines_text(&lines), store);
        enqueue(&txn, order.id, email, &subject, &body, now).await?;
    }
    cart_item::Entity::delete_many().filter(cart_item::Column::CartId.eq(cart_id)).exec(&txn).await?;
    cart::Entity::update_many()
        .col_expr(cart::Column::CheckoutToken, sea_orm::sea_query::Expr::value(crate::sql::token()))
        .col_expr(cart::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(cart::Column::Id.eq(cart_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    drop(_turn);
    store.products_changed(&products_of(&store.db, needs.keys().copied().collect()).await?).await?;
    Ok(placed(order, false))
}

/// A cart line priced from the catalogue as it is now, with the variants it takes from stock.
struct PricedLine {
    variant_id: Option<i64>,
    combo_id: Option<i64>,
    producer_id: Option<i64>,
    name_vi: String,
    name_en: String,
    sku: Option<String>,
    unit_price: i64,
    quantity: i32,
    components: Vec<(i64, i32)>,
}

fn lines_text(lines: &[PricedLine]) -> String {
    lines
        .iter()
        .map(|l| format!("- {} × {} = {}", l.name_vi, l.quantity, domain::Vnd(l.unit_price * l.quantity as i64)))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn priced_lines(db: &impl ConnectionTrait, cart_id: &str) -> Result<Vec<PricedLine>, StoreError> {
    use crate::entity::{combo, product};
    let items = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .order_by_asc(cart_item::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(vid) = item.variant_id {
            let Some(v) = variant::Entity::find_by_id(vid).one(db).await? else { continue };
            let Some(p) = product::Entity::find_by_id(v.product_id).one(db).await? else { continue };
            let size = if v.size_vi.is_empty() { String::new() } else { format!(" ({})", v.size_vi) };
            let size_en = if v.size_en.is_empty() { String::new() } else { format!(" ({})", v.size_en) };
            out.push(PricedLine {
                variant_id: Some(vid),
                combo_id: None,
                producer_id: p.producer_id,
                name_vi: format!("{}{size}", p.name_vi),
                name_en: format!("{}{size_en}", if p.name_en.is_empty() { &p.name_vi } else { &p.name_en }),
                sku: Some(v.sku),
                unit_price: v.price_vnd,
                quantity: item.quantity,
                components: vec![(vid, 1)],
            });
        } else if let Some(cid) = item.combo_id {
            let Some(c) = combo::Entity::find_by_id(cid).one(db).await? else { continue };
            let parts = combo_item::Entity::find().filter(combo_item::Column::ComboId.eq(cid)).all(db).await?;
            let variant_ids: Vec<i64> = parts.iter().map(|p| p.variant_id).collect();
            let product_ids: Vec<i64> = variant::Entity::find()
                .filter(variant::Column::Id.is_in(variant_ids))
                .all(db)
                .await?
                .iter()
                .map(|v| v.product_id)
                .collect();
            let mut producers: Vec<Option<i64>> = product::Entity::find()
                .filter(product::Column::Id.is_in(product_ids))
                .all(db)
                .await?
                .iter()
                .map(|p| p.producer_id)
                .collect();
            producers.dedup();
            out.push(PricedLine {
                variant_id: None,
                combo_id: Some(cid),
                // One producer's combo settles to it; a multi-producer combo is settled per component.
                producer_id: if producers.len() == 1 { producers[0] } else { None },
                name_vi: c.name_vi,
                name_en: c.name_en,
                sku: None,
                unit_price: c.price_vnd,
                quantity: item.quantity,
                components: parts.iter().map(|p| (p.variant_id, p.qty)).collect(),
            });
        }
    }
    Ok(out)
}

pub(crate) async fn products_of(db: &impl ConnectionTrait, variant_ids: Vec<i64>) -> Result<Vec<i64>, StoreError> {
    let mut ids: Vec<i64> = variant::Entity::find()
        .filter(variant::Column::Id.is_in(variant_ids))
        .all(db)
        .await?
        .iter()
        .map(|v| v.product_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub(crate) async fn record_event(
    txn: &DatabaseTransaction,
    order_id: i64,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: &str,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    order_event::ActiveModel {
        order_id: Set(order_id),
        from_status: Set(from.map(|s| s.code().to_string())),
        to_status: Set(to.code().into()),
        actor: Set(actor.chars().take(120).collect()),
        note: Set(note.map(str::to_string)),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

pub(crate) async fn enqueue(
    txn: &DatabaseTransaction,
    order_id: i64,
    to: &str,
    subject: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    enqueue_about(txn, Some(order_id), to, subject, body, at).await
}

/// A notification about no order (account messages).
pub(crate) async fn enqueue_plain(
    txn: &DatabaseTransaction,
    to: &str,
    subject: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    enqueue_about(txn, None, to, subject, body, at).await
}

async fn enqueue_about(
    txn: &DatabaseTransaction,
    order_id: Option<i64>,
    to: &str,
    subject: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    notification::ActiveModel {
        order_id: Set(order_id),
        recipient: Set(to.into()),
        subject: Set(subject.into()),
        body: Set(body.into()),
        status: Set("pending".into()),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refused {
    NoSuchOrder,
    /// The move is not in the flow from the order's current status.
    NotAllowed {
        from: String,
        to: String,
    },
}

/// Moves an order to `to` if the flow allows it from where it is, with the stock effects of the
/// move: cancelling (or refunding before shipping) releases what it holds, shipping consumes it.
pub async fn transition(
    store: &Store,
    order_id: i64,
    to: OrderStatus,
    actor: &str,
    note: Option<&str>,
) -> Result<Result<(), Refused>, StoreError> {
    let (turn, txn) = store.write_txn().await?;
    let result = transition_in(&txn, order_id, to, actor, note, Utc::now()).await?;
    if result.is_ok() {
        txn.commit().await?;
        drop(turn);
        stock_changed(store, order_id).await?;
    } else {
        txn.rollback().await?;
    }
    Ok(result)
}

/// Tells the catalogue and search that an order's products changed stock.
pub(crate) async fn stock_changed(store: &Store, order_id: i64) -> Result<(), StoreError> {
    let variants: Vec<i64> = order_stock::Entity::find()
        .filter(order_stock::Column::OrderId.eq(order_id))
        .all(&store.db)
        .await?
        .iter()
        .map(|s| s.variant_id)
        .collect();
    store.products_changed(&products_of(&store.db, variants).await?).await
}

pub(crate) async fn transition_in(
    txn: &DatabaseTransaction,
    order_id: i64,
    to: OrderStatus,
    actor: &str,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Result<(), Refused>, StoreError> {
    let backend = txn.get_database_backend();
    let Some(o) = order::Entity::find_by_id(order_id).one(txn).await? else { return Ok(Err(Refused::NoSuchOrder)) };
    let from = OrderStatus::parse(&o.status).ok_or_else(|| StoreError::Seed(format!("bad status {}", o.status)))?;
    if !from.can_become(to) {
        return Ok(Err(Refused::NotAllowed { from: from.code().into(), to: to.code().into() }));
    }
    let moved = txn
        .execute_raw(stmt(
            backend,
            "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
            vec![to.code().into(), now.into(), order_id.into(), from.code().into()],
        ))
        .await?;
    if moved.rows_affected() != 1 {
        // Someone else moved it between our read and this update.
        return Ok(Err(Refused::NotAllowed { from: from.code().into(), to: to.code().into() }));
    }
    match to {
        OrderStatus::Cancelled | OrderStatus::Refunded => release_stock(txn, order_id, now).await?,
        OrderStatus::Shipped => consume_stock(txn, &o, now).await?,
        OrderStatus::Delivered if o.payment_method == PaymentMethod::Cod.code() => {
            // Cash collected at the door: the courier's confirmation is the payment.
            let amount = o.total - o.paid_amount;
            if amount > 0 {
                txn.execute_raw(stmt(
                    backend,
                    "UPDATE orders SET paid_amount = paid_amount + ?, paid_at = ? WHERE id = ?",
                    vec![amount.into(), now.into(), order_id.into()],
                ))
                .await?;
                crate::payments::insert_payment(
                    txn,
                    Some(order_id),
                    "cod",
                    "delivery",
                    &format!("cod:{}", o.number),
                    amount,
                    "applied",
                    None,
                    now,
                )
                .await?;
            }
        }
        _ => {}
    }
    record_event(txn, order_id, Some(from), to, actor, note, now).await?;
    Ok(Ok(()))
}

/// Gives back what the order reserved, once: the `stock_state` guard makes a second call a no-op.
async fn release_stock(txn: &DatabaseTransaction, order_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
    let backend = txn.get_database_backend();
    let claimed = txn
        .execute_raw(stmt(
            backend,
            "UPDATE orders SET stock_state = 'released' WHERE id = ? AND stock_state = 'reserved'",
            vec![order_id.into()],
        ))
        .await?;
    if claimed.rows_affected() != 1 {
        return Ok(());
    }
    for s in order_stock::Entity::find().filter(order_stock::Column::OrderId.eq(order_id)).all(txn).await? {
        txn.execute_raw(stmt(
            backend,
            "UPDATE stock_levels SET reserved = reserved - ?, updated_at = ? WHERE location_id = ? AND variant_id = ?",
            vec![s.quantity.into(), now.into(), s.location_id.into(), s.variant_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// The goods have left: the reservation becomes a movement out of the ledger.
async fn consume_stock(txn: &DatabaseTransaction, o: &order::Model, now: DateTime<Utc>) -> Result<(), StoreError> {
    let backend = txn.get_database_backend();
    let claimed = txn
        .execute_raw(stmt(
            backend,
            "UPDATE orders SET stock_state = 'consumed' WHERE id = ? AND stock_state = 'reserved'",
            vec![o.id.into()],
        ))
        .await?;
    if claimed.rows_affected() != 1 {
        return Ok(());
    }
    let today = now.with_timezone(&crate::vietnam()).date_naive();
    for s in order_stock::Entity::find().filter(order_stock::Column::OrderId.eq(o.id)).all(txn).await? {
        txn.execute_raw(stmt(
            backend,
            "UPDATE stock_levels SET reserved = reserved - ?, on_hand = on_hand - ?, updated_at = ? \
             WHERE location_id = ? AND variant_id = ?",
            vec![s.quantity.into(), s.quantity.into(), now.into(), s.location_id.into(), s.variant_id.into()],
        ))
        .await?;
        // One movement per batch the units came from, so the ledger can say where each batch went.
        for (batch, qty) in
            crate::trace::takes::online(txn, &o.number, s.location_id, s.variant_id, s.quantity, today).await?
        {
            txn.execute_raw(stmt(
                backend,
                "INSERT INTO stock_movements (location_id, variant_id, qty_delta, reason, reference, batch_id, created_at) \
                 VALUES (?, ?, ?, 'online_sale', ?, ?, ?)",
                vec![
                    s.location_id.into(),
                    s.variant_id.into(),
                    (-qty).into(),
                    Value::from(o.number.clone()),
                    batch.into(),
                    now.into(),
                ],
            ))
            .await?;
        }
    }
    Ok(())
}

/// Cancels card and transfer orders still unpaid past their time, releasing their stock. An order
/// with any money against it is left for the office (a partial transfer is flagged, not cancelled).
pub async fn expire_unpaid(store: &Store, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let due = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment.code()))
        .filter(order::Column::ExpiresAt.lt(now))
        .filter(order::Column::PaidAmount.eq(0))
        .all(&store.db)
        .await?;
    let mut expired = Vec::new();
    for o in due {
        let (turn, txn) = store.write_txn().await?;
        let backend = txn.get_database_backend();
        // Re-checked in the update itself: a payment may land between the query and here.
        let moved = txn
            .execute_raw(stmt(
                backend,
                "UPDATE orders SET status = 'cancelled', updated_at = ? \
                 WHERE id = ? AND status = 'pending_payment' AND paid_amount = 0",
                vec![now.into(), o.id.into()],
            ))
            .await?;
        if moved.rows_affected() == 1 {
            release_stock(&txn, o.id, now).await?;
            record_event(
                &txn,
                o.id,
                Some(OrderStatus::PendingPayment),
                OrderStatus::Cancelled,
                "hệ thống / system",
                Some("Hết hạn thanh toán / payment not received in time"),
                now,
            )
            .await?;
            txn.commit().await?;
            expired.push(o.id);
        } else {
            txn.rollback().await?;
        }
        drop(turn);
    }
    let held =
        order_stock::Entity::find().filter(order_stock::Column::OrderId.is_in(expired.clone())).all(&store.db).await?;
    store.products_changed(&products_of(&store.db, held.iter().map(|s| s.variant_id).collect()).await?).await?;
    Ok(expired.len())
}

pub async fn find_by_number(db: &impl ConnectionTrait, number: &str) -> Result<Option<order::Model>, StoreError> {
    Ok(order::Entity::find().filter(order::Column::Number.eq(number)).one(db).await?)
}
