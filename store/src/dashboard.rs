//! Facts for the programme dashboard, gathered in a few grouped queries and handed to the domain's
//! pure computation: producers, certificates with their products' OCOP group, net units per producer
//! and channel in the period (online orders that went through, showroom sales less refunds), and the
//! channels producers reported.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use domain::participation::{
    self, CertFact, Channel, ChannelSale, Participation, Period, ProducerFact, ReportedChannel,
};
use sea_orm::{ConnectionTrait, QueryResult};

use crate::StoreError;
use crate::sql::stmt;

/// The period's bounds as UTC instants: from its first day's midnight in Vietnam to the midnight
/// after its last day.
pub fn bounds(p: &Period) -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    let at = |d: NaiveDate| {
        crate::vietnam()
            .from_local_datetime(&d.and_time(NaiveTime::MIN))
            .single()
            .expect("a fixed offset has one midnight")
            .with_timezone(&Utc)
    };
    (at(p.from), at(p.to.succ_opt().unwrap_or(p.to)))
}

fn opt_date(r: &QueryResult, col: &str) -> Result<Option<NaiveDate>, StoreError> {
    Ok(r.try_get::<Option<NaiveDate>>("", col)?)
}

/// Orders in these states went through (a pending payment or a cancelled or refunded order did not).
/// A combo line's parts, each with its product's producer (a combo holds several producers' goods).
const COMBO_JOIN: &str = "JOIN combo_items ci ON ci.combo_id = l.combo_id JOIN variants v ON v.id = ci.variant_id \
                          JOIN products p ON p.id = v.product_id AND p.producer_id IS NOT NULL";

pub(crate) const SOLD: &str = "'confirmed', 'paid', 'packed', 'shipped', 'delivered'";

/// When each refunded order was refunded (`order_id`, `at`): its first move to `refunded`.
pub(crate) const REFUNDED_AT: &str =
    "SELECT order_id, MIN(created_at) AS at FROM order_events WHERE to_status = 'refunded' GROUP BY order_id";

pub async fn participation(db: &impl ConnectionTrait, period: Period) -> Result<Participation, StoreError> {
    let b = db.get_database_backend();
    let producers = db
        .query_all_raw(stmt(b, "SELECT id, name, kind, district_pre2025, commune FROM producers ORDER BY name", vec![]))
        .await?
        .iter()
        .map(|r| {
            Ok(ProducerFact {
                id: r.try_get("", "id")?,
                name: r.try_get("", "name")?,
                kind: r.try_get("", "kind")?,
                district: r.try_get("", "district_pre2025")?,
                commune: r.try_get("", "commune")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let certs = db
        .query_all_raw(stmt(
            b,
            "SELECT p.producer_id, c.stars, p.ocop_group, c.decided_on, c.date_precision, c.revoked_on \
             FROM certificates c JOIN products p ON p.id = c.product_id WHERE p.producer_id IS NOT NULL",
            vec![],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(CertFact {
                producer_id: r.try_get("", "producer_id")?,
                stars: r.try_get("", "stars")?,
                group: r.try_get("", "ocop_group")?,
                decided_on: opt_date(r, "decided_on")?,
                year_only: r.try_get::<String>("", "date_precision")? == "year",
                revoked_on: opt_date(r, "revoked_on")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let (from, until) = bounds(&period);
    let mut sales = Vec::new();
    for r in db
        .query_all_raw(stmt(
            b,
            &format!(
                "SELECT x.producer_id, CAST(SUM(x.units) AS BIGINT) AS units FROM (\
                 SELECT l.producer_id, l.quantity AS units FROM order_lines l JOIN orders o ON o.id = l.order_id \
                 WHERE o.status IN ({SOLD}) AND o.created_at >= ? AND o.created_at < ? \
                 AND l.combo_id IS NULL AND l.producer_id IS NOT NULL \
                 UNION ALL SELECT p.producer_id, l.quantity * ci.qty FROM order_lines l JOIN orders o ON o.id = l.order_id {COMBO_JOIN} \
                 WHERE l.combo_id IS NOT NULL AND o.status IN ({SOLD}) AND o.created_at >= ? AND o.created_at < ?\
                 ) x GROUP BY x.producer_id"
            ),
            vec![from.into(), until.into(), from.into(), until.into()],
        ))
        .await?
    {
        sales.push(ChannelSale {
            producer_id: r.try_get("", "producer_id")?,
            channel: Channel::Online,
            units: r.try_get("", "units")?,
        });
    }
    for r in db
        .query_all_raw(stmt(
            b,
            &format!(
                "SELECT x.producer_id, c.code, CAST(SUM(x.units) AS BIGINT) AS units \
                 FROM (SELECT l.producer_id, l.location_id, SUM(CASE WHEN l.refund THEN -l.qty ELSE l.qty END) AS units \
                       FROM pos_sale_lines l WHERE l.producer_id IS NOT NULL AND l.counted_at >= ? AND l.counted_at < ? \
                       AND l.combo_id IS NULL GROUP BY l.producer_id, l.location_id \
                       UNION ALL SELECT p.producer_id, l.location_id, SUM(CASE WHEN l.refund THEN -l.qty ELSE l.qty END * ci.qty) \
                       FROM pos_sale_lines l {COMBO_JOIN} WHERE l.combo_id IS NOT NULL AND l.counted_at >= ? AND l.counted_at < ? \
                       GROUP BY p.producer_id, l.location_id) x \
                 JOIN locations c ON c.id = x.location_id GROUP BY x.producer_id, c.code"
            ),
            vec![from.into(), until.into(), from.into(), until.into()],
        ))
        .await?
    {
        sales.push(ChannelSale {
            producer_id: r.try_get("", "producer_id")?,
            channel: Channel::Showroom(r.try_get("", "code")?),
            units: r.try_get("", "units")?,
        });
    }
    let reported = db
        .query_all_raw(stmt(
            b,
            "SELECT producer_id, kind, name, from_date, until_date, status FROM reported_channels WHERE status <> 'rejected'",
            vec![],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(ReportedChannel {
                producer_id: r.try_get("", "producer_id")?,
                kind: r.try_get("", "kind")?,
                name: r.try_get("", "name")?,
                from: r.try_get("", "from_date")?,
                until: opt_date(r, "until_date")?,
                verified: r.try_get::<String>("", "status")? == "verified",
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(participation::compute(period, &producers, &certs, &sales, &reported))
}

/// The plan's other figures for the period, judged against their targets.
pub async fn targets(
    db: &impl ConnectionTrait,
    p: &Participation,
    today: NaiveDate,
) -> Result<(Vec<domain::targets::Target>, domain::targets::Counts), StoreError> {
    use domain::targets::{CertRecord, Counts, ShowroomSales};
    let b = db.get_database_backend();
    let certs = db
        .query_all_raw(stmt(
            b,
            "SELECT product_id, stars, level, kind, decided_on, last_valid_on, revoked_on FROM certificates",
            vec![],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(CertRecord {
                product_id: r.try_get("", "product_id")?,
                stars: r.try_get("", "stars")?,
                level: r.try_get("", "level")?,
                kind: r.try_get("", "kind")?,
                decided_on: opt_date(r, "decided_on")?,
                last_valid_on: opt_date(r, "last_valid_on")?,
                revoked_on: opt_date(r, "revoked_on")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let (from, until) = bounds(&p.period);
    let showrooms = db
        .query_all_raw(stmt(
            b,
            "SELECT c.code, c.name, CAST(COALESCE(x.sales, 0) AS BIGINT) AS sales, CAST(COALESCE(x.value, 0) AS BIGINT) AS value \
             FROM locations c LEFT JOIN (SELECT s.location_id, \
                 SUM(CASE WHEN s.kind = 'refund' THEN -1 ELSE 1 END) AS sales, \
                 SUM(CASE WHEN s.kind = 'refund' THEN -s.total ELSE s.total END) AS value \
                 FROM pos_sales s WHERE s.counted_at >= ? AND s.counted_at < ? GROUP BY s.location_id) x ON x.location_id = c.id \
             WHERE c.kind = 'showroom' ORDER BY c.code",
            vec![from.into(), until.into()],
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(ShowroomSales {
                code: r.try_get("", "code")?,
                name: r.try_get("", "name")?,
                sales: r.try_get("", "sales")?,
                value: r.try_get("", "value")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let online: i64 = db
        .query_one_raw(stmt(
            b,
            &format!(
                "SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id \
                 WHERE l.combo_id IS NOT NULL AND o.status IN ({SOLD}) AND o.created_at >= ? AND o.created_at < ?"
            ),
            vec![from.into(), until.into()],
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let in_showrooms: i64 = db
        .query_one_raw(stmt(
            b,
            "SELECT CAST(COALESCE(SUM(CASE WHEN l.refund THEN -l.qty ELSE l.qty END), 0) AS BIGINT) AS n \
             FROM pos_sale_lines l WHERE l.combo_id IS NOT NULL AND l.counted_at >= ? AND l.counted_at < ?",
            vec![from.into(), until.into()],
        ))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let counts = Counts { showrooms, online: online_sales(db, from, until).await?, combos_sold: online + in_showrooms };
    Ok((domain::targets::targets(p, &certs, &counts, today), counts))
}

/// The online store's sales between two instants, on the settlement statements' basis: orders placed
/// (refunded later or not) less orders refunded in it, goods value without delivery.
pub async fn online_sales(
    db: &impl ConnectionTrait,
    from: chrono::DateTime<Utc>,
    until: chrono::DateTime<Utc>,
) -> Result<domain::targets::OnlineSales, StoreError> {
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(stmt(
            b,
            &format!(
                "SELECT CAST(COALESCE(SUM(x.n), 0) AS BIGINT) AS orders, CAST(COALESCE(SUM(x.v), 0) AS BIGINT) AS value FROM (\
                 SELECT 1 AS n, o.subtotal AS v FROM orders o \
                 WHERE o.status IN ({SOLD}, 'refunded') AND o.created_at >= ? AND o.created_at < ? \
                 UNION ALL SELECT -1, -o.subtotal FROM orders o JOIN ({REFUNDED_AT}) e ON e.order_id = o.id \
                 WHERE o.status = 'refunded' AND e.at >= ? AND e.at < ?) x"
            ),
            vec![from.into(), until.into(), from.into(), until.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => domain::targets::OnlineSales { orders: r.try_get("", "orders")?, value: r.try_get("", "value")? },
        None => Default::default(),
    })
}
