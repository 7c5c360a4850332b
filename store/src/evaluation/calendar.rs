//! The certificate calendar: products whose certificate ends within six months are due for a
//! re-evaluation dossier; the office sees which of them have opened one and which have not.

use chrono::NaiveDate;
use domain::evaluation::DossierStatus;
use domain::evaluation::dossier::{REEVALUATION_WINDOW_MONTHS, reevaluation_due_from};
use sea_orm::ConnectionTrait;

use super::all;
use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub product_id: i64,
    pub product_name: String,
    pub producer_name: Option<String>,
    pub certificate_number: String,
    pub stars: i32,
    pub last_valid_on: NaiveDate,
    /// The re-evaluation dossier opened since the window began, if any.
    pub dossier: Option<(i64, DossierStatus)>,
}

/// Valid certificates whose last day is at most six months away, soonest first, with the
/// re-evaluation dossier each product has opened in that window (none: the producer has not yet).
pub async fn due(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<Due>, StoreError> {
    let horizon = today.checked_add_months(chrono::Months::new(REEVALUATION_WINDOW_MONTHS)).unwrap_or(NaiveDate::MAX);
    let rows = all(
        db,
        "SELECT c.product_id, c.number, c.stars, c.last_valid_on, p.name_vi, pr.name AS producer_name \
         FROM certificates c JOIN products p ON p.id = c.product_id LEFT JOIN producers pr ON pr.id = p.producer_id \
         WHERE c.revoked_on IS NULL AND c.last_valid_on >= ? AND c.last_valid_on <= ? \
         AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.product_id = c.product_id AND n.revoked_on IS NULL \
                         AND n.last_valid_on > ?) \
         ORDER BY c.last_valid_on, c.number",
        vec![today.into(), horizon.into(), horizon.into()],
    )
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let product_id: i64 = r.try_get("", "product_id")?;
        let last: NaiveDate = r.try_get("", "last_valid_on")?;
        let dossiers = all(
            db,
            "SELECT id, status, created_at FROM dossiers WHERE product_id = ? AND kind = 'reevaluation' ORDER BY id DESC",
            vec![product_id.into()],
        )
        .await?;
        let from = reevaluation_due_from(last);
        let mut dossier = None;
        for d in dossiers {
            let created: chrono::DateTime<chrono::Utc> = d.try_get("", "created_at")?;
            if created.with_timezone(&crate::vietnam()).date_naive() >= from {
                let status = DossierStatus::parse(&d.try_get::<String>("", "status")?).unwrap_or(DossierStatus::Draft);
                dossier = Some((d.try_get("", "id")?, status));
                break;
            }
        }
        out.push(Due {
            product_id,
            product_name: r.try_get("", "name_vi")?,
            producer_name: r.try_get("", "producer_name")?,
            certificate_number: r.try_get("", "number")?,
            stars: r.try_get("", "stars")?,
            last_valid_on: last,
            dossier,
        });
    }
    Ok(out)
}
