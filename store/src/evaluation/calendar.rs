//! The certificate calendar: products whose certificate ends within six months are due for a
//! re-evaluation dossier; the office sees which of them have opened one and which have not.

use chrono::NaiveDate;
use domain::evaluation::DossierStatus;
use domain::evaluation::dossier::{REEVALUATION_WINDOW_MONTHS, reevaluation_due_from};
use sea_orm::ConnectionTrait;

use super::all;
pub use domain::evaluation::records::Due;

use crate::StoreError;

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

/// Tells each producer once, through the outbox, that a certificate has entered the six months
/// before its end and no re-evaluation dossier is open for it; returns how many were told. The
/// certificate is marked in the same transaction by a conditional update, so two replicas running
/// the calendar at once send one reminder.
pub async fn remind(store: &crate::Store) -> Result<usize, StoreError> {
    let today = store.today();
    let mut told = 0;
    for d in due(&store.db, today).await?.into_iter().filter(|d| d.dossier.is_none()) {
        let (turn, txn) = store.write_txn().await?;
        let marked = txn
            .execute_raw(crate::sql::stmt(
                txn.get_database_backend(),
                "UPDATE certificates SET reevaluation_reminded_on = ? WHERE number = ? AND reevaluation_reminded_on IS NULL",
                vec![today.into(), d.certificate_number.clone().into()],
            ))
            .await?
            .rows_affected();
        let producer: Option<i64> =
            super::one(&txn, "SELECT producer_id FROM products WHERE id = ?", vec![d.product_id.into()])
                .await?
                .and_then(|r| r.try_get("", "producer_id").ok());
        if let (1, Some(producer)) = (marked, producer) {
            let last = d.last_valid_on.format("%d/%m/%Y");
            let body = format!(
                "Giấy chứng nhận OCOP {num} của sản phẩm {name} hết hiệu lực ngày {last}. Hãy lập hồ sơ đánh giá lại \
                 trên Cổng chủ thể (Hồ sơ OCOP → Lập hồ sơ, loại \"Đánh giá lại\") để sản phẩm giữ hạng sao.\n\n\
                 The OCOP certificate {num} of {name} ends on {last}. Start a re-evaluation dossier in the producer \
                 portal (OCOP dossiers → Start a dossier, kind \"Re-evaluation\") to keep the product's stars.",
                num = d.certificate_number,
                name = d.product_name,
            );
            super::tell_producer(
                &txn,
                producer,
                "Sắp hết hạn giấy chứng nhận OCOP: lập hồ sơ đánh giá lại / OCOP certificate ending: file a re-evaluation",
                &body,
            )
            .await?;
            told += 1;
        }
        txn.commit().await?;
        drop(turn);
    }
    Ok(told)
}
