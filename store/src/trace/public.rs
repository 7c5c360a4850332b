//! A batch as the public trace page shows it: the product, its producer and commune, dates, inputs
//! one step back, quality tests, the certificate then and now, published papers, and any recall.

use chrono::NaiveDate;
use domain::trace::RecallStatus;
use domain::trace::records::{BatchDocument, Input, QualityTest, RecallNote, TraceView};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::links::{gtin_of, link_of};
use crate::StoreError;
use crate::entity::{product, variant};
use crate::evaluation::{all, one};

/// A batch as the public reads it.
pub async fn trace(db: &impl ConnectionTrait, id: i64, today: NaiveDate) -> Result<Option<TraceView>, StoreError> {
    let Some(b) = one(
        db,
        "SELECT id, product_id, variant_id, code, produced_on, expires_on, quantity FROM batches WHERE id = ?",
        vec![id.into()],
    )
    .await?
    else {
        return Ok(None);
    };
    let (product_id, variant_id): (i64, i64) = (b.try_get("", "product_id")?, b.try_get("", "variant_id")?);
    let (Some(p), Some(v)) = (
        product::Entity::find_by_id(product_id).one(db).await?,
        variant::Entity::find_by_id(variant_id).one(db).await?,
    ) else {
        return Ok(None);
    };
    let code: String = b.try_get("", "code")?;
    let produced_on: NaiveDate = b.try_get("", "produced_on")?;
    let producer = crate::catalog::producer_of_product(db, &p).await?;
    let producer_name = producer.as_ref().map(|x| x.name.clone());
    let inputs = all(
        db,
        "SELECT material, origin, supplier, received_on FROM batch_inputs WHERE batch_id = ? ORDER BY id",
        vec![id.into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Input {
            material: r.try_get("", "material")?,
            origin: r.try_get("", "origin")?,
            supplier: r.try_get("", "supplier")?,
            received_on: r.try_get("", "received_on")?,
        })
    })
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let tests = all(
        db,
        "SELECT name, result, lab, tested_on, passed FROM batch_tests WHERE batch_id = ? ORDER BY id",
        vec![id.into()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(QualityTest {
            name: r.try_get("", "name")?,
            result: r.try_get("", "result")?,
            lab: r.try_get("", "lab")?,
            tested_on: r.try_get("", "tested_on")?,
            passed: r.try_get("", "passed")?,
        })
    })
    .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    let photo = crate::photos::first_of_products(db, &[p.id])
        .await?
        .get(&p.id)
        .and_then(|ph| ph.files.last().map(|(_, n)| format!("/media/{n}")));
    Ok(Some(TraceView {
        id,
        gtin: gtin_of(&v).to_string(),
        link: link_of(&v, &code),
        code,
        product_slug: p.slug.clone(),
        product_name_vi: p.name_vi.clone(),
        product_name_en: p.name_en.clone(),
        size_vi: v.size_vi.clone(),
        size_en: v.size_en.clone(),
        photo,
        cert_at_production: crate::catalog::cert_on(db, &p, producer_name.clone(), produced_on).await?,
        cert_today: crate::catalog::cert_on(db, &p, producer_name, today).await?,
        producer,
        produced_on,
        expires_on: b.try_get("", "expires_on")?,
        quantity: b.try_get("", "quantity")?,
        inputs,
        tests,
        recall: latest_recall(db, id).await?,
        documents: documents(db, id).await?,
    }))
}

pub(crate) async fn latest_recall(db: &impl ConnectionTrait, batch_id: i64) -> Result<Option<RecallNote>, StoreError> {
    let Some(r) = one(
        db,
        "SELECT id, reason, status, opened_at, closed_at FROM recalls WHERE batch_id = ? ORDER BY id DESC LIMIT 1",
        vec![batch_id.into()],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(RecallNote {
        id: r.try_get("", "id")?,
        reason: r.try_get("", "reason")?,
        status: RecallStatus::parse(&r.try_get::<String>("", "status")?).unwrap_or(RecallStatus::Open),
        opened_at: r.try_get("", "opened_at")?,
        closed_at: r.try_get("", "closed_at")?,
    }))
}

/// At most this many papers a batch: a trace page is read on a phone.
pub const MAX_DOCUMENTS: i64 = 12;

pub struct NewDocument {
    pub title: String,
    pub file_name: String,
    pub media_key: String,
    pub content_type: String,
    pub bytes: i64,
}

/// Publishes a checked paper with the batch, for the producer whose batch it is (or the office).
pub async fn attach(
    store: &crate::Store,
    actor: &domain::account::Account,
    batch_id: i64,
    doc: &NewDocument,
) -> crate::listings::Outcome<i64> {
    if let Err(r) = super::batches::owned(&store.db, actor, batch_id).await? {
        return Ok(Err(r));
    }
    let title: String = doc.title.trim().chars().take(200).collect();
    if title.is_empty() {
        return Ok(Err(crate::evaluation::invalid(
            "title",
            "Đặt tên cho giấy tờ, vd. “Phiếu kiểm nghiệm”.",
            "Give the paper a title, e.g. “Test report”.",
        )));
    }
    let (turn, txn) = store.write_txn().await?;
    let count: i64 = one(&txn, "SELECT COUNT(*) AS n FROM batch_documents WHERE batch_id = ?", vec![batch_id.into()])
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if count >= MAX_DOCUMENTS {
        txn.rollback().await?;
        return Ok(Err(crate::evaluation::invalid(
            "file",
            &format!("Mỗi lô công bố tối đa {MAX_DOCUMENTS} giấy tờ."),
            &format!("A batch publishes at most {MAX_DOCUMENTS} papers."),
        )));
    }
    let file_name: String = doc.file_name.chars().take(255).collect();
    let id: i64 = one(
        &txn,
        "INSERT INTO batch_documents (batch_id, title, file_name, media_key, content_type, bytes, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        vec![
            batch_id.into(),
            title.clone().into(),
            file_name.into(),
            doc.media_key.clone().into(),
            doc.content_type.clone().into(),
            doc.bytes.into(),
            chrono::Utc::now().into(),
        ],
    )
    .await?
    .ok_or(StoreError::Seed("document insert returned no id".into()))?
    .try_get("", "id")?;
    crate::office::audit(
        &txn,
        actor,
        "attach",
        "batch",
        &batch_id.to_string(),
        serde_json::json!(null),
        serde_json::json!({"title": title}),
    )
    .await?;
    txn.commit().await?;
    drop(turn);
    Ok(Ok(id))
}

async fn documents(db: &impl ConnectionTrait, batch_id: i64) -> Result<Vec<BatchDocument>, StoreError> {
    all(db, "SELECT id, title, content_type FROM batch_documents WHERE batch_id = ? ORDER BY id", vec![batch_id.into()])
        .await?
        .iter()
        .map(|r| {
            Ok(BatchDocument {
                id: r.try_get("", "id")?,
                title: r.try_get("", "title")?,
                content_type: r.try_get("", "content_type")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// A published paper's stored file: (media key, content type, file name).
pub async fn document(
    db: &impl ConnectionTrait,
    batch_id: i64,
    doc_id: i64,
) -> Result<Option<(String, String, String)>, StoreError> {
    Ok(
        match one(
            db,
            "SELECT media_key, content_type, file_name FROM batch_documents WHERE id = ? AND batch_id = ?",
            vec![doc_id.into(), batch_id.into()],
        )
        .await?
        {
            Some(r) => Some((r.try_get("", "media_key")?, r.try_get("", "content_type")?, r.try_get("", "file_name")?)),
            None => None,
        },
    )
}
