//! Production batches: recorded by the producer (or the office for it) with their inputs one step
//! back and quality tests, optionally received into stock at once; listed for the producer, with
//! what the ledger holds of each for first-expiring-first-out.

use chrono::{NaiveDate, Utc};
use domain::account::{Account, Role};
use domain::trace::RecallStatus;
use domain::trace::fefo::Candidate;
use domain::trace::records::{BatchRow, Input, QualityTest};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait};
use serde_json::json;

use super::links::link_of;
use crate::entity::variant;
use crate::evaluation::{all, exec, invalid, one};
use crate::listings::{Outcome, Refusal, may_act_for, owned_variant, stock_locations};
use crate::office::audit;
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default)]
pub struct InputForm {
    pub material: String,
    pub origin: String,
    pub supplier: String,
    pub received_on: String,
}

#[derive(Debug, Clone, Default)]
pub struct TestForm {
    pub name: String,
    pub result: String,
    pub lab: String,
    pub tested_on: String,
    pub passed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct BatchForm {
    pub variant_id: String,
    pub code: String,
    pub produced_on: String,
    pub expires_on: String,
    pub quantity: String,
    pub note: String,
    /// Where the batch's units are received into stock now; empty for later.
    pub location_id: String,
    pub inputs: Vec<InputForm>,
    pub tests: Vec<TestForm>,
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

fn text(raw: &str, max: usize) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.chars().take(max).collect())
}

struct Checked {
    code: String,
    produced_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    quantity: i64,
    inputs: Vec<Input>,
    tests: Vec<QualityTest>,
}

fn check(form: &BatchForm, today: NaiveDate) -> Result<Checked, Refusal> {
    let errors = std::cell::RefCell::new(Vec::new());
    let err = |f: &str, vi: &str, en: &str| {
        if let Refusal::Invalid(mut e) = invalid(f, vi, en) {
            errors.borrow_mut().append(&mut e);
        }
    };
    let code = domain::trace::batch_code(&form.code).map_err(|(vi, en)| err("code", vi, en)).ok();
    let produced_on = match date(&form.produced_on) {
        Some(d) if d > today => {
            err("produced_on", "Ngày sản xuất không thể sau hôm nay.", "The production date cannot be after today.");
            None
        }
        Some(d) => Some(d),
        None => {
            err("produced_on", "Cần ngày sản xuất.", "The production date is needed.");
            None
        }
    };
    let expires_on = match (form.expires_on.trim(), date(&form.expires_on)) {
        ("", _) => None,
        (_, Some(d)) if produced_on.is_some_and(|p| d <= p) => {
            err("expires_on", "Hạn dùng phải sau ngày sản xuất.", "The expiry date must be after the production date.");
            None
        }
        (_, Some(d)) => Some(d),
        (_, None) => {
            err("expires_on", "Hạn dùng không đúng dạng ngày.", "The expiry date is not a date.");
            None
        }
    };
    let quantity = match form.quantity.trim().replace('.', "").parse::<i64>() {
        Ok(q) if (1..=10_000_000).contains(&q) => Some(q),
        _ => {
            err(
                "quantity",
                "Số lượng là số nguyên từ 1 đến 10.000.000.",
                "The quantity is a whole number from 1 to 10,000,000.",
            );
            None
        }
    };
    let mut inputs = Vec::new();
    for (i, f) in form.inputs.iter().enumerate() {
        let (m, o) = (text(&f.material, 200), text(&f.origin, 300));
        if m.is_none() && o.is_none() && f.supplier.trim().is_empty() {
            continue;
        }
        match (m, o) {
            (Some(material), Some(origin)) => inputs.push(Input {
                material,
                origin,
                supplier: text(&f.supplier, 200),
                received_on: date(&f.received_on).filter(|d| *d <= today),
            }),
            _ => err(
                &format!("input_{i}"),
                "Mỗi nguyên liệu cần tên và nguồn gốc.",
                "Each input needs what it is and where it came from.",
            ),
        }
    }
    if inputs.is_empty() && !errors.borrow().iter().any(|e| e.field.starts_with("input_")) {
        err(
            "input_0",
            "Ghi ít nhất một nguyên liệu đầu vào và nguồn gốc của nó.",
            "Record at least one input and where it came from.",
        );
    }
    let mut tests = Vec::new();
    for (i, f) in form.tests.iter().enumerate() {
        let (n, r) = (text(&f.name, 200), text(&f.result, 300));
        match (n, r) {
            (None, None) => {}
            (Some(name), Some(result)) => tests.push(QualityTest {
                name,
                result,
                lab: text(&f.lab, 200),
                tested_on: date(&f.tested_on).filter(|d| *d <= today),
                passed: f.passed,
            }),
            _ => err(
                &format!("test_{i}"),
                "Mỗi kết quả kiểm nghiệm cần chỉ tiêu và kết quả.",
                "Each test needs what was tested and the result.",
            ),
        }
    }
    let errors = errors.into_inner();
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    Ok(Checked {
        code: code.expect("checked"),
        produced_on: produced_on.expect("checked"),
        expires_on,
        quantity: quantity.expect("checked"),
        inputs,
        tests,
    })
}

/// Records a batch; with a location, its units are received there into the ledger at once.
pub async fn record(store: &Store, actor: &Account, form: &BatchForm) -> Outcome<i64> {
    let Ok(variant_id) = form.variant_id.trim().parse::<i64>() else {
        return Ok(Err(invalid("variant_id", "Chọn sản phẩm và quy cách.", "Choose a product and size.")));
    };
    let (turn, txn) = store.write_txn().await?;
    let result: Outcome<(i64, i64)> = async {
        let (v, p) = match owned_variant(&txn, actor, variant_id).await? {
            Ok(x) => x,
            Err(r) => return Ok(Err(r)),
        };
        let Some(producer_id) = p.producer_id else { return Ok(Err(Refusal::Forbidden)) };
        let c = match check(form, store.today()) {
            Ok(c) => c,
            Err(r) => return Ok(Err(r)),
        };
        let location = match form.location_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>().ok() {
                Some(l) if stock_locations(&txn, actor).await?.iter().any(|x| x.id == l) => Some(l),
                _ => return Ok(Err(invalid("location_id", "Chọn nơi nhận hàng trong danh sách.", "Choose where the units are received from the list."))),
            },
        };
        if one(&txn, "SELECT id FROM batches WHERE variant_id = ? AND code = ?", vec![v.id.into(), c.code.clone().into()])
            .await?
            .is_some()
        {
            return Ok(Err(invalid("code", "Quy cách này đã có lô mang mã này.", "This size already has a batch with this code.")));
        }
        let now = Utc::now();
        let id: i64 = one(
            &txn,
            "INSERT INTO batches (producer_id, product_id, variant_id, code, produced_on, expires_on, quantity, note, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            vec![
                producer_id.into(),
                p.id.into(),
                v.id.into(),
                c.code.clone().into(),
                c.produced_on.into(),
                c.expires_on.into(),
                c.quantity.into(),
                text(&form.note, 2000).into(),
                actor.id.into(),
                now.into(),
            ],
        )
        .await?
        .ok_or_else(|| StoreError::Seed("batch insert returned no id".into()))?
        .try_get("", "id")?;
        for i in &c.inputs {
            exec(
                &txn,
                "INSERT INTO batch_inputs (batch_id, material, origin, supplier, received_on) VALUES (?, ?, ?, ?, ?)",
                vec![id.into(), i.material.clone().into(), i.origin.clone().into(), i.supplier.clone().into(), i.received_on.into()],
            )
            .await?;
        }
        for t in &c.tests {
            exec(
                &txn,
                "INSERT INTO batch_tests (batch_id, name, result, lab, tested_on, passed) VALUES (?, ?, ?, ?, ?, ?)",
                vec![
                    id.into(),
                    t.name.clone().into(),
                    t.result.clone().into(),
                    t.lab.clone().into(),
                    t.tested_on.into(),
                    t.passed.into(),
                ],
            )
            .await?;
        }
        if let Some(l) = location {
            move_stock(&txn, l, v.id, c.quantity, Some(id), "received", &format!("batch:{id}")).await?;
        }
        audit(&txn, actor, "record", "batch", &format!("{}:{}", v.sku, c.code), json!(null),
              json!({"quantity": c.quantity, "produced_on": c.produced_on, "location": location})).await?;
        crate::sync::stamp_products(&txn, &[v.id], now).await?;
        Ok(Ok((id, p.id)))
    }
    .await;
    match result {
        Ok(Ok((id, product_id))) => {
            txn.commit().await?;
            drop(turn);
            store.products_changed(&[product_id]).await?;
            Ok(Ok(id))
        }
        other => {
            txn.rollback().await?;
            other.map(|r| r.map(|(id, _)| id))
        }
    }
}

/// One movement in the ledger with its level, in the caller's transaction.
pub(crate) async fn move_stock(
    txn: &DatabaseTransaction,
    location_id: i64,
    variant_id: i64,
    delta: i64,
    batch_id: Option<i64>,
    reason: &str,
    reference: &str,
) -> Result<(), StoreError> {
    let now = Utc::now();
    exec(
        txn,
        "INSERT INTO stock_levels (location_id, variant_id, on_hand, reserved, updated_at) VALUES (?, ?, ?, 0, ?) \
         ON CONFLICT (location_id, variant_id) DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand, \
         updated_at = excluded.updated_at",
        vec![location_id.into(), variant_id.into(), delta.into(), now.into()],
    )
    .await?;
    exec(
        txn,
        "INSERT INTO stock_movements (location_id, variant_id, qty_delta, reason, reference, batch_id, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![
            location_id.into(),
            variant_id.into(),
            delta.into(),
            reason.into(),
            reference.into(),
            batch_id.into(),
            now.into(),
        ],
    )
    .await
}

/// Whether the batch has a recall open now.
const RECALLED: &str = "EXISTS (SELECT 1 FROM recalls r WHERE r.batch_id = b.id AND r.status = 'open')";

/// A size's batches with what the ledger holds of each at a location, for first-expiring-first-out.
pub async fn candidates(
    db: &impl ConnectionTrait,
    variant_id: i64,
    location_id: i64,
) -> Result<Vec<Candidate>, StoreError> {
    let rows = all(
        db,
        &format!(
            "SELECT b.id, b.code, b.produced_on, b.expires_on, {RECALLED} AS recalled, \
               CAST(COALESCE((SELECT SUM(m.qty_delta) FROM stock_movements m WHERE m.batch_id = b.id AND m.location_id = ?), 0) AS BIGINT) AS on_hand \
             FROM batches b WHERE b.variant_id = ? ORDER BY b.id"
        ),
        vec![location_id.into(), variant_id.into()],
    )
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Candidate {
                id: r.try_get("", "id")?,
                code: r.try_get("", "code")?,
                produced_on: r.try_get("", "produced_on")?,
                expires_on: r.try_get("", "expires_on")?,
                on_hand: r.try_get("", "on_hand")?,
                recalled: r.try_get("", "recalled")?,
            })
        })
        .collect()
}

/// The producer's batches (every producer's for the office), newest first.
pub async fn list_for(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<BatchRow>, StoreError> {
    let (filter, values) = match (actor.role, actor.producer_id) {
        (Role::Admin, _) => ("", vec![]),
        (Role::Producer, Some(p)) => (" WHERE b.producer_id = ?", vec![p.into()]),
        _ => return Ok(vec![]),
    };
    let rows = all(
        db,
        &format!(
            "SELECT b.id, b.code, b.produced_on, b.expires_on, b.quantity, b.variant_id, p.name_vi, v.size_vi, \
               (SELECT r.status FROM recalls r WHERE r.batch_id = b.id ORDER BY r.id DESC LIMIT 1) AS recall, \
               CAST(COALESCE((SELECT SUM(m.qty_delta) FROM stock_movements m WHERE m.batch_id = b.id), 0) AS BIGINT) AS on_hand \
             FROM batches b JOIN products p ON p.id = b.product_id JOIN variants v ON v.id = b.variant_id{filter} \
             ORDER BY b.produced_on DESC, b.id DESC LIMIT 500"
        ),
        values,
    )
    .await?;
    let variants =
        variants_by_id(db, rows.iter().filter_map(|r| r.try_get::<i64>("", "variant_id").ok()).collect()).await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("", "code")?;
            let vid: i64 = r.try_get("", "variant_id")?;
            Ok(BatchRow {
                id: r.try_get("", "id")?,
                link: variants.get(&vid).map(|v| link_of(v, &code)).unwrap_or_default(),
                code,
                product_name: r.try_get("", "name_vi")?,
                size_vi: r.try_get("", "size_vi")?,
                produced_on: r.try_get("", "produced_on")?,
                expires_on: r.try_get("", "expires_on")?,
                quantity: r.try_get("", "quantity")?,
                on_hand: r.try_get("", "on_hand")?,
                recall: r.try_get::<Option<String>>("", "recall")?.as_deref().and_then(RecallStatus::parse),
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

async fn variants_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, variant::Model>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(variant::Entity::find()
        .filter(variant::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect())
}

/// The sizes the actor may record batches for: (size id, "product — size").
pub async fn sizes_for(db: &impl ConnectionTrait, actor: &Account) -> Result<Vec<(i64, String)>, StoreError> {
    let (filter, values) = match (actor.role, actor.producer_id) {
        (Role::Admin, _) => ("", vec![]),
        (Role::Producer, Some(p)) => (" AND p.producer_id = ?", vec![p.into()]),
        _ => return Ok(vec![]),
    };
    let rows = all(
        db,
        &format!(
            "SELECT v.id, p.name_vi, v.size_vi FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.status <> 'archived'{filter} ORDER BY p.name_vi, v.position, v.id LIMIT 2000"
        ),
        values,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let (name, size): (String, String) = (r.try_get("", "name_vi")?, r.try_get("", "size_vi")?);
            Ok((r.try_get("", "id")?, format!("{name} — {size}")))
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// The batch's producer, when the actor may act for it (for the pages that manage it).
pub async fn owned(db: &impl ConnectionTrait, actor: &Account, id: i64) -> Result<Result<i64, Refusal>, StoreError> {
    let Some(r) = one(db, "SELECT producer_id FROM batches WHERE id = ?", vec![id.into()]).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let producer: i64 = r.try_get("", "producer_id")?;
    // Another producer's batch does not exist as far as this one is concerned.
    Ok(if may_act_for(actor, Some(producer)) { Ok(producer) } else { Err(Refusal::NotFound) })
}
