//! A producer's settlement for a period: the receipts holding its goods (online orders that went
//! through, showroom sales and refunds, gift combos with one of its products inside), handed whole
//! to the domain, which works out its share. A refund, online or in a showroom, counts when it was
//! given, so a statement already settled is not changed by a later refund.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::participation::{Channel, Period};
use domain::settlement::{ComboPart, Line, Owner, Receipt, Statement};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::StoreError;
use crate::dashboard::{REFUNDED_AT, SOLD, bounds};
use crate::sql::stmt;

/// Combos with at least one product of the producer (`?` = producer id). (Each `OR` of these lookups
/// is a `UNION` below: PostgreSQL scans the whole table for `producer_id = ? OR combo_id IN …`.)
const COMBOS_OF: &str = "SELECT ci.combo_id FROM combo_items ci JOIN variants v ON v.id = ci.variant_id \
                         JOIN products p ON p.id = v.product_id WHERE p.producer_id = ?";

fn month(t: DateTime<Utc>) -> String {
    t.with_timezone(&crate::vietnam()).format("%Y-%m").to_string()
}

fn owner(r: &QueryResult, combos: &HashMap<i64, Vec<ComboPart>>) -> Result<Owner, StoreError> {
    let combo: Option<i64> = r.try_get("", "combo_id")?;
    let producer: Option<i64> = r.try_get("", "producer_id")?;
    Ok(match (combo, producer) {
        (Some(c), _) => combos.get(&c).cloned().map_or(Owner::Nobody, Owner::Combo),
        (None, Some(p)) => Owner::Producer(p),
        (None, None) => Owner::Nobody,
    })
}

pub async fn statement(
    db: &impl ConnectionTrait,
    producer_id: i64,
    period: Period,
    commission_bps: u32,
) -> Result<Statement, StoreError> {
    let b = db.get_database_backend();
    let (from, until) = bounds(&period);
    // Every part of the combos that hold the producer's goods, its own or not (a part with no producer
    // takes its share too): a box's price is split by list price.
    let mut combos: HashMap<i64, Vec<ComboPart>> = HashMap::new();
    for r in db
        .query_all_raw(stmt(
            b,
            &format!(
                "SELECT ci.combo_id, p.producer_id, CAST(v.price_vnd * ci.qty AS BIGINT) AS weight, ci.qty \
                 FROM combo_items ci JOIN variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
                 WHERE ci.combo_id IN ({COMBOS_OF}) ORDER BY ci.combo_id, ci.id"
            ),
            vec![producer_id.into()],
        ))
        .await?
    {
        combos.entry(r.try_get("", "combo_id")?).or_default().push(ComboPart {
            producer_id: r.try_get("", "producer_id")?,
            weight: r.try_get("", "weight")?,
            units: r.try_get::<i32>("", "qty")? as i64,
        });
    }

    let mut receipts: Vec<Receipt> = Vec::new();
    // Online: no order-wide discount, so the producer's own lines (and its combos) are the whole story.
    // An order counts as a sale when placed, refunded ones too, and a refund as a return when it was
    // given, like a showroom's: a month already settled (and its tax declared) never changes.
    let mine = format!(
        "l.id IN (SELECT id FROM order_lines WHERE producer_id = ? UNION SELECT id FROM order_lines WHERE combo_id IN ({COMBOS_OF}))"
    );
    let sold = format!(
        "SELECT o.id, o.created_at AS at, l.producer_id, l.combo_id, l.quantity, l.line_total \
         FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.status IN ({SOLD}, 'refunded') AND o.created_at >= ? AND o.created_at < ? AND {mine} ORDER BY o.id, l.id"
    );
    let returned = format!(
        "SELECT o.id, e.at, l.producer_id, l.combo_id, l.quantity, l.line_total \
         FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN ({REFUNDED_AT}) e ON e.order_id = o.id \
         WHERE o.status = 'refunded' AND e.at >= ? AND e.at < ? AND {mine} ORDER BY o.id, l.id"
    );
    for (sql, refund) in [(sold, false), (returned, true)] {
        let mut last: Option<i64> = None;
        for r in db
            .query_all_raw(stmt(b, &sql, vec![from.into(), until.into(), producer_id.into(), producer_id.into()]))
            .await?
        {
            let id: i64 = r.try_get("", "id")?;
            if last != Some(id) {
                last = Some(id);
                receipts.push(Receipt {
                    channel: Channel::Online,
                    month: month(r.try_get("", "at")?),
                    refund,
                    total: 0,
                    lines: Vec::new(),
                });
            }
            let line = Line {
                owner: owner(&r, &combos)?,
                qty: r.try_get::<i32>("", "quantity")? as i64,
                line_total: r.try_get("", "line_total")?,
            };
            let receipt = receipts.last_mut().expect("pushed above");
            receipt.total += line.line_total;
            receipt.lines.push(line);
        }
    }

    // Showroom: every line of a receipt that holds the producer's goods, since a discount is shared
    // over all of them.
    let mut last: Option<String> = None;
    for r in db
        .query_all_raw(stmt(
            b,
            &format!(
                "SELECT s.id, s.kind, s.total, s.sold_at, c.code, l.producer_id, l.combo_id, l.qty, l.line_total \
                 FROM pos_sale_lines l JOIN pos_sales s ON s.id = l.sale_id JOIN locations c ON c.id = s.location_id \
                 WHERE s.sold_at >= ? AND s.sold_at < ? AND s.id IN \
                 (SELECT sale_id FROM pos_sale_lines WHERE producer_id = ? \
                 UNION SELECT sale_id FROM pos_sale_lines WHERE combo_id IN ({COMBOS_OF})) \
                 ORDER BY s.id, l.id"
            ),
            vec![from.into(), until.into(), producer_id.into(), producer_id.into()],
        ))
        .await?
    {
        let id: String = r.try_get("", "id")?;
        if last.as_ref() != Some(&id) {
            last = Some(id);
            receipts.push(Receipt {
                channel: Channel::Showroom(r.try_get("", "code")?),
                month: month(r.try_get("", "sold_at")?),
                refund: r.try_get::<String>("", "kind")? == "refund",
                total: r.try_get("", "total")?,
                lines: Vec::new(),
            });
        }
        let line = Line {
            owner: owner(&r, &combos)?,
            qty: r.try_get::<i32>("", "qty")? as i64,
            line_total: r.try_get("", "line_total")?,
        };
        receipts.last_mut().expect("pushed above").lines.push(line);
    }
    let withholding = crate::tax::withholding(db, producer_id, &period).await?;
    let mut statement = domain::settlement::statement(period, commission_bps, producer_id, &receipts);
    // Shown when anything was withheld (or offset) in the period: a business that declares its own,
    // or a household with no online sale, has nothing to read here.
    statement.withholding = withholding.filter(|w| w.total.gross() > 0 || w.total.returned() > 0);
    Ok(statement)
}

/// The producer's name, or None when there is no such producer.
pub async fn producer_name(db: &impl ConnectionTrait, producer_id: i64) -> Result<Option<String>, StoreError> {
    let b = db.get_database_backend();
    let row = db.query_one_raw(stmt(b, "SELECT name FROM producers WHERE id = ?", vec![producer_id.into()])).await?;
    Ok(row.map(|r| r.try_get("", "name")).transpose()?)
}
