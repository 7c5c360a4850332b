//! Fulfilment is per producer: each producer packs and ships its own lines of an order, with a
//! tracking number. When every producer in the order has packed, the order is packed; when every one
//! has shipped, the order is shipped, which consumes its stock.

use chrono::Utc;
use domain::account::{Account, Role};
use domain::order::OrderStatus;
use domain::portal::{FulfilmentLine, FulfilmentView};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::listings::{Outcome, Refusal};
use crate::office::audit;
use crate::sql::stmt;
use crate::{Store, StoreError};

/// Orders waiting on a producer: paid or confirmed, with its lines not yet shipped.
pub(crate) const OPEN: &str = "o.status IN ('confirmed', 'paid', 'packed')";

async fn open_orders(
    db: &impl ConnectionTrait,
    producer_id: i64,
    limit: i64,
) -> Result<Vec<sea_orm::QueryResult>, StoreError> {
    Ok(db
        .query_all_raw(stmt(
            db.get_database_backend(),
            &format!(
                "SELECT o.id, o.number, o.status, o.created_at, o.name, o.phone, o.street, o.commune, o.province, \
                        f.status AS f_status, f.tracking \
                 FROM orders o LEFT JOIN fulfilments f ON f.order_id = o.id AND f.producer_id = ? \
                 WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.producer_id = ?) \
                   AND (({OPEN} AND (f.status IS NULL OR f.status <> 'shipped')) OR f.status = 'shipped') \
                 ORDER BY CASE WHEN f.status = 'shipped' THEN 1 ELSE 0 END, o.created_at, o.id LIMIT ?"
            ),
            vec![producer_id.into(), producer_id.into(), limit.into()],
        ))
        .await?)
}

/// How many orders wait for this producer to pack or ship.
pub async fn to_do(db: &impl ConnectionTrait, producer_id: i64) -> Result<usize, StoreError> {
    let row = db
        .query_one_raw(stmt(
            db.get_database_backend(),
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM orders o \
                 WHERE {OPEN} AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.producer_id = ?) \
                   AND NOT EXISTS (SELECT 1 FROM fulfilments f WHERE f.order_id = o.id AND f.producer_id = ? AND f.status = 'shipped')"
            ),
            vec![producer_id.into(), producer_id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as usize)
}

/// The producer's open orders first (oldest first), then up to 200 it shipped, each with only its own lines.
pub async fn list(
    db: &impl ConnectionTrait,
    producer_id: i64,
    today: chrono::NaiveDate,
) -> Result<Vec<FulfilmentView>, StoreError> {
    let rows = open_orders(db, producer_id, 200).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let order_id: i64 = r.try_get("", "id")?;
        let lines: Vec<FulfilmentLine> = db
            .query_all_raw(stmt(
                db.get_database_backend(),
                "SELECT l.name_vi, l.sku, l.quantity, l.variant_id, \
                   (SELECT MIN(t.batch_id) FROM batch_takes t WHERE t.channel = 'online' AND t.reference = o.number \
                      AND t.variant_id = l.variant_id AND NOT t.assumed) AS batch_id \
                 FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.order_id = ? AND l.producer_id = ? ORDER BY l.id",
                vec![order_id.into(), producer_id.into()],
            ))
            .await?
            .into_iter()
            .map(|l| {
                Ok(FulfilmentLine {
                    name_vi: l.try_get("", "name_vi")?,
                    sku: l.try_get::<Option<String>>("", "sku")?.unwrap_or_default(),
                    quantity: l.try_get("", "quantity")?,
                    variant_id: l.try_get("", "variant_id")?,
                    batches: Vec::new(),
                    batch_id: l.try_get("", "batch_id")?,
                })
            })
            .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
        let shipped = r.try_get::<Option<String>>("", "f_status")?.as_deref() == Some("shipped");
        let mut lines = lines;
        if !shipped {
            for l in lines.iter_mut() {
                if let Some(v) = l.variant_id {
                    l.batches = packable(db, v, today).await?;
                }
            }
        }
        let placed: chrono::DateTime<Utc> = r.try_get("", "created_at")?;
        let (name, phone, street, commune, province): (String, String, String, String, String) = (
            r.try_get("", "name")?,
            r.try_get("", "phone")?,
            r.try_get("", "street")?,
            r.try_get("", "commune")?,
            r.try_get("", "province")?,
        );
        let province = domain::address::province(&province).map(|p| p.1.to_string()).unwrap_or(province);
        out.push(FulfilmentView {
            number: r.try_get("", "number")?,
            placed: placed.with_timezone(&crate::vietnam()).format("%d/%m/%Y %H:%M").to_string(),
            order_status: r.try_get("", "status")?,
            status: r.try_get::<Option<String>>("", "f_status")?.unwrap_or_else(|| "to_pack".into()),
            tracking: r.try_get("", "tracking")?,
            ship_to: format!("{name}, {phone} — {street}, {commune}, {province}"),
            address: format!("{street}, {commune}, {province}"),
            recipient: name,
            phone,
            lines,
        });
    }
    Ok(out)
}

/// Records the batch the producer packed for one of its sizes in the order: it must be a batch of
/// that size, not recalled or expired.
async fn name_batch(
    txn: &sea_orm::DatabaseTransaction,
    o: &crate::entity::order::Model,
    producer_id: i64,
    variant_id: i64,
    batch_id: i64,
    today: chrono::NaiveDate,
) -> Outcome<()> {
    let backend = txn.get_database_backend();
    let units = txn
        .query_one_raw(stmt(
            backend,
            "SELECT s.location_id, CAST(SUM(s.quantity) AS BIGINT) AS qty FROM order_stock s \
             JOIN variants v ON v.id = s.variant_id JOIN products p ON p.id = v.product_id \
             WHERE s.order_id = ? AND s.variant_id = ? AND p.producer_id = ? GROUP BY s.location_id",
            vec![o.id.into(), variant_id.into(), producer_id.into()],
        ))
        .await?;
    let refuse = |vi: String, en: String| {
        Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
            field: "batch".into(),
            message_vi: vi,
            message_en: en,
        }])))
    };
    let Some(units) = units else {
        return refuse("Sản phẩm này không có trong đơn.".into(), "That size is not in this order.".into());
    };
    let (location, qty): (i64, i64) = (units.try_get("", "location_id")?, units.try_get("", "qty")?);
    let cands = crate::trace::batches::candidates(txn, variant_id, location).await?;
    let Some(c) = cands.iter().find(|c| c.id == batch_id) else {
        return refuse(
            "Lô đã chọn không thuộc sản phẩm này.".into(),
            "The batch chosen is not one of this size.".into(),
        );
    };
    if let Err(r) = domain::trace::fefo::check_named(c, today) {
        let (vi, en) = r.message();
        return refuse(vi, en);
    }
    crate::trace::takes::name_online(txn, &o.number, location, variant_id, batch_id, qty).await?;
    Ok(Ok(()))
}

/// Batches of a size the packer may name: sellable ones with stock in the online warehouse,
/// first-expiring first.
async fn packable(
    db: &impl ConnectionTrait,
    variant_id: i64,
    today: chrono::NaiveDate,
) -> Result<Vec<(i64, String)>, StoreError> {
    let Some(warehouse) = crate::catalog::online_warehouse(db).await? else { return Ok(vec![]) };
    let cands = crate::trace::batches::candidates(db, variant_id, warehouse).await?;
    let order = domain::trace::fefo::allocate(&cands, cands.iter().map(|c| c.on_hand.max(0)).sum(), today);
    Ok(order
        .batches
        .iter()
        .filter_map(|(id, _)| cands.iter().find(|c| c.id == *id))
        .map(|c| {
            let until = c.expires_on.map(|d| format!(" · HSD {}", d.format("%d/%m/%Y"))).unwrap_or_default();
            (c.id, format!("{}{until} · {} sp", c.code, c.on_hand))
        })
        .collect())
}

/// The parcels of an order that have gone out, as the shopper sees them: no producer or account.
pub async fn parcels(
    db: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<domain::order_tracking::Parcel>, StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT tracking, carrier FROM fulfilments WHERE order_id = ? AND tracking IS NOT NULL ORDER BY updated_at, producer_id",
            vec![order_id.into()],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            let carrier: Option<String> = r.try_get("", "carrier")?;
            Ok(domain::order_tracking::Parcel::new(
                r.try_get("", "tracking")?,
                carrier.as_deref().and_then(domain::order_tracking::Carrier::parse),
            ))
        })
        .collect()
}

/// A tracking number as couriers print them: 6-40 letters, digits and dashes.
pub fn valid_tracking(raw: &str) -> Option<String> {
    let t = raw.trim().to_uppercase();
    ((6..=40).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(t)
}

/// Marks the producer's lines of an order packed or shipped (shipping needs a tracking number; the
/// courier, a `Carrier` code, is optional and gives the shopper a link to follow the parcel).
pub async fn mark(
    store: &Store,
    actor: &Account,
    number: &str,
    shipped: bool,
    tracking: &str,
    carrier: &str,
    named: &[(i64, i64)],
) -> Outcome<()> {
    let carrier = domain::order_tracking::Carrier::parse(carrier.trim()).filter(|_| shipped).map(|c| c.code());
    let Some(producer_id) = actor.producer_id.filter(|_| actor.role == Role::Producer) else {
        return Ok(Err(Refusal::Forbidden));
    };
    let (turn, txn) = store.write_txn().await?;
    let backend = txn.get_database_backend();
    let result: Outcome<i64> = async {
        // An order with none of this producer's lines does not exist as far as it is concerned.
        // Take the order's row first: two producers finishing one order at once take turns, so the
        // second sees the first's fulfilment and moves the order on.
        txn.execute_raw(stmt(backend, "UPDATE orders SET updated_at = updated_at WHERE number = ?", vec![number.into()]))
            .await?;
        let Some(o) = crate::orders::find_by_number(&txn, number).await? else { return Ok(Err(Refusal::NotFound)) };
        let producers: Vec<Option<i64>> = txn
            .query_all_raw(stmt(
                backend,
                "SELECT DISTINCT producer_id FROM order_lines WHERE order_id = ?",
                vec![o.id.into()],
            ))
            .await?
            .into_iter()
            .map(|r| r.try_get::<Option<i64>>("", "producer_id"))
            .collect::<Result<_, _>>()?;
        if !producers.contains(&Some(producer_id)) {
            return Ok(Err(Refusal::NotFound));
        }
        let tracking = if shipped {
            match valid_tracking(tracking) {
                Some(t) => Some(t),
                None => {
                    return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                        field: "tracking".into(),
                        message_vi: "Mã vận đơn cần 6–40 chữ, số hoặc “-”.".into(),
                        message_en: "The tracking number needs 6-40 letters, digits or “-”.".into(),
                    }])));
                }
            }
        } else {
            None
        };
        if !matches!(o.status.as_str(), "confirmed" | "paid" | "packed") {
            return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                field: "status".into(),
                message_vi: format!("Đơn hàng đang ở trạng thái “{}”, không thể đóng gói hay gửi.", o.status),
                message_en: format!("The order is “{}”; it cannot be packed or shipped now.", o.status),
            }])));
        }
        if shipped {
            for (variant_id, batch_id) in named {
                if let Err(r) = name_batch(&txn, &o, producer_id, *variant_id, *batch_id, store.today()).await? {
                    return Ok(Err(r));
                }
            }
        }
        let before = txn
            .query_one_raw(stmt(
                backend,
                "SELECT status, tracking FROM fulfilments WHERE order_id = ? AND producer_id = ?",
                vec![o.id.into(), producer_id.into()],
            ))
            .await?;
        let before = match before {
            Some(r) => json!({"status": r.try_get::<String>("", "status")?, "tracking": r.try_get::<Option<String>>("", "tracking")?}),
            None => json!({"status": "to_pack"}),
        };
        let status = if shipped { "shipped" } else { "packed" };
        txn.execute_raw(stmt(
            backend,
            "INSERT INTO fulfilments (order_id, producer_id, status, tracking, carrier, updated_by, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (order_id, producer_id) DO UPDATE SET status = excluded.status, \
               tracking = COALESCE(excluded.tracking, fulfilments.tracking), \
               carrier = CASE WHEN excluded.tracking IS NULL THEN fulfilments.carrier ELSE excluded.carrier END, \
               updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            vec![
                o.id.into(),
                producer_id.into(),
                status.into(),
                tracking.clone().into(),
                carrier.into(),
                actor.id.into(),
                Utc::now().into(),
            ],
        ))
        .await?;
        audit(&txn, actor, status, "fulfilment", &format!("{}#{}", o.number, producer_id), before,
              json!({"status": status, "tracking": tracking})).await?;
        let states: Vec<String> = txn
            .query_all_raw(stmt(backend, "SELECT status FROM fulfilments WHERE order_id = ?", vec![o.id.into()]))
            .await?
            .into_iter()
            .map(|r| r.try_get::<String>("", "status"))
            .collect::<Result<_, _>>()?;
        // Lines of the office's curated combos have no producer: the office moves such orders itself.
        let everyone = producers.iter().all(|p| p.is_some()) && states.len() == producers.len();
        let who = format!("{} ({})", actor.name, producer_id);
        // Packed when every producer has packed or shipped; shipped (through packed, if a producer
        // shipped straight away) when every producer has shipped.
        let all_shipped = everyone && states.iter().all(|s| s == "shipped");
        let mut steps = Vec::new();
        if everyone && o.status != "packed" {
            steps.push(OrderStatus::Packed);
        }
        if all_shipped {
            steps.push(OrderStatus::Shipped);
        }
        for to in steps {
            let note = (to == OrderStatus::Shipped).then(|| tracking.as_deref().map(|t| format!("tracking {t}"))).flatten();
            if let Err(e) = crate::orders::transition_in(&txn, o.id, to, &who, note.as_deref(), Utc::now()).await? {
                tracing::warn!(?e, "fulfilment could not move the order");
                return Ok(Err(Refusal::Invalid(vec![domain::address::FieldError {
                    field: "status".into(),
                    message_vi: "Đơn hàng không chuyển được trạng thái; văn phòng sẽ kiểm tra.".into(),
                    message_en: "The order could not move on; the office will look into it.".into(),
                }])));
            }
        }
        Ok(Ok(o.id))
    }
    .await;
    match result {
        Ok(Ok(order_id)) => {
            txn.commit().await?;
            drop(turn);
            let variants: Vec<i64> = crate::entity::order_stock::Entity::find()
                .filter(crate::entity::order_stock::Column::OrderId.eq(order_id))
                .all(&store.db)
                .await?
                .iter()
                .map(|s| s.variant_id)
                .collect();
            store.products_changed(&crate::orders::products_of(&store.db, variants).await?).await?;
            Ok(Ok(()))
        }
        other => {
            txn.rollback().await?;
            other.map(|r| r.map(|_| ()))
        }
    }
}
