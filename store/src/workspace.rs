//! The counts beside the portal's and the office's navigation, and the office home's figures.
//! Each is one aggregate query: they are read on every workspace page.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::participation::Period;
use domain::workspace::{
    Area, EXPIRING_WITHIN_DAYS, ExpiringCert, NavCounts, OfficeToday, QuietShowroom, Workspace, is_quiet,
};
use sea_orm::ConnectionTrait;

use crate::StoreError;
use crate::fulfilment::OPEN;
use crate::sql::stmt;

/// The workspace of a signed-in account: producers' members work in the portal, the office's
/// staff in the office; anyone else has none.
pub async fn of(
    db: &impl ConnectionTrait,
    account: &Account,
    today: NaiveDate,
) -> Result<Option<Workspace>, StoreError> {
    let (area, producer_id) = match (account.role, account.producer_id) {
        (Role::Admin, _) => (Area::Office, None),
        (Role::Producer, Some(p)) => (Area::Portal, Some(p)),
        (Role::Commune, _) => (Area::Commune, None),
        (Role::Council, _) => (Area::Council, None),
        _ => return Ok(None),
    };
    if matches!(area, Area::Commune | Area::Council) {
        let counts =
            NavCounts { dossiers: crate::evaluation::dossiers::waiting(db, account).await?, ..Default::default() };
        let organisation = crate::evaluation::officer_commune(db, account).await?.unwrap_or_default();
        return Ok(Some(Workspace { area, user_name: account.name.clone(), organisation, counts }));
    }
    let mut counts = NavCounts {
        orders: match producer_id {
            Some(p) => crate::fulfilment::to_do(db, p).await?,
            None => {
                count(db, &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM orders o WHERE {OPEN}"), vec![]).await?
            }
        },
        certificates_expiring: expiring(db, producer_id, today, 1000).await?.len(),
        ..Default::default()
    };
    let organisation = match producer_id {
        Some(p) => db
            .query_one_raw(stmt(db.get_database_backend(), "SELECT name FROM producers WHERE id = ?", vec![p.into()]))
            .await?
            .map(|r| r.try_get::<String>("", "name"))
            .transpose()?
            .unwrap_or_default(),
        None => String::new(),
    };
    if area == Area::Office {
        counts.reports_pending = reports_pending(db).await?;
        counts.quiet_showrooms = showrooms(db, Utc::now()).await?.0.len();
        counts.dossiers = crate::evaluation::dossiers::waiting(db, account).await?;
    }
    Ok(Some(Workspace { area, user_name: account.name.clone(), organisation, counts }))
}

async fn count(db: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<usize, StoreError> {
    let row = db.query_one_raw(stmt(db.get_database_backend(), sql, values)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as usize)
}

async fn reports_pending(db: &impl ConnectionTrait) -> Result<usize, StoreError> {
    count(db, "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM reported_channels WHERE status = 'pending'", vec![]).await
}

/// Products whose current certificate's last valid day falls within the warning window (one
/// producer's, or all), soonest first. A product renewed since is not listed: its newest
/// certificate runs later.
pub async fn expiring(
    db: &impl ConnectionTrait,
    producer_id: Option<i64>,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<ExpiringCert>, StoreError> {
    let own = if producer_id.is_some() { "AND p.producer_id = ?" } else { "" };
    let mut values: Vec<sea_orm::Value> = vec![today.into(), (today + Duration::days(EXPIRING_WITHIN_DAYS)).into()];
    values.extend(producer_id.map(Into::into));
    values.push(limit.into());
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            &format!(
                "SELECT c.number, c.product_id, c.stars, c.last_valid_on, c.decided_on, c.date_precision, p.name_vi, COALESCE(pr.name, '') AS producer \
                 FROM certificates c JOIN products p ON p.id = c.product_id LEFT JOIN producers pr ON pr.id = p.producer_id \
                 WHERE c.revoked_on IS NULL AND c.last_valid_on >= ? AND c.last_valid_on <= ? {own} \
                   AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.product_id = c.product_id \
                                   AND n.revoked_on IS NULL AND n.last_valid_on > c.last_valid_on) \
                 ORDER BY c.last_valid_on, c.number LIMIT ?"
            ),
            values,
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            let last: NaiveDate = r.try_get("", "last_valid_on")?;
            let cert = domain::Certificate {
                stars: domain::Stars::new(3).expect("3 stars"),
                decided_on: r.try_get("", "decided_on")?,
                precision: domain::DatePrecision::parse(&r.try_get::<String>("", "date_precision")?),
                revoked_on: None,
            };
            Ok(ExpiringCert {
                last_valid_range: cert.last_valid_range().unwrap_or((last, last)),
                number: r.try_get("", "number")?,
                product_id: r.try_get("", "product_id")?,
                product: r.try_get("", "name_vi")?,
                producer: r.try_get("", "producer")?,
                stars: r.try_get("", "stars")?,
                days_left: (last - today).num_days(),
            })
        })
        .collect()
}

/// Showrooms with a paired till that has gone quiet, and how many showrooms have a paired till.
async fn showrooms(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(Vec<QuietShowroom>, usize), StoreError> {
    let rows = db
        .query_all_raw(stmt(
            db.get_database_backend(),
            "SELECT l.code, l.name, MAX(d.last_sync_at) AS last_sync FROM locations l \
             JOIN pos_devices d ON d.location_id = l.id AND d.paired_at IS NOT NULL AND d.revoked_at IS NULL \
             WHERE l.kind = 'showroom' GROUP BY l.id, l.code, l.name ORDER BY l.code",
            vec![],
        ))
        .await?;
    let total = rows.len();
    let mut quiet = Vec::new();
    for r in rows {
        let last: Option<DateTime<Utc>> = r.try_get("", "last_sync")?;
        if is_quiet(last, now) {
            quiet.push(QuietShowroom { code: r.try_get("", "code")?, name: r.try_get("", "name")?, last_sync: last });
        }
    }
    Ok((quiet, total))
}

/// The office home's figures for `today`: participation over the current half-year (the period the
/// office reports on), and what is waiting.
pub async fn office_today(db: &impl ConnectionTrait, today: NaiveDate) -> Result<OfficeToday, StoreError> {
    let participation = crate::dashboard::participation(db, Period::half_of(today)).await?;
    let (quiet_showrooms, showrooms) = showrooms(db, Utc::now()).await?;
    Ok(OfficeToday {
        participation,
        orders_waiting: count(db, &format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM orders o WHERE {OPEN}"), vec![])
            .await?,
        expiring: expiring(db, None, today, 1000).await?,
        quiet_showrooms,
        showrooms,
        reports_pending: reports_pending(db).await?,
        dossiers_waiting: count(
            db,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM dossiers WHERE status IN ('proposed', 'scored')",
            vec![],
        )
        .await?,
    })
}
