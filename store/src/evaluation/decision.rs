//! The province's decision on a round: recording its number and date certifies every ranked
//! dossier at once (valid 36 months from the decision date), updates badges and search, and tells
//! the producers; products the council scored 90 or more get four stars from the province and
//! show as proposed for five until the Ministry's decision is recorded.

use chrono::{NaiveDate, Utc};
use domain::account::Account;
use domain::certificate::last_valid_day;
use domain::evaluation::dossier::certificate_kind;
use domain::evaluation::{DossierStatus, Step};
use domain::ocop::{CertLevel, Stars};
use serde::{Deserialize, Serialize};

use super::dossiers::finish;
use super::steps::{StepInput, StoredResult};
use super::{all, event, exec, invalid, one, tell_producer};
use crate::admin::office_only;
use crate::listings::{Outcome, Refusal};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    /// As written on the decision, e.g. `1358/QĐ-UBND`.
    pub number: String,
    /// yyyy-mm-dd.
    pub decided_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decided {
    /// Dossier, certificate number, stars.
    pub certified: Vec<(i64, String, u8)>,
    pub not_ranked: Vec<i64>,
}

/// Puts every scored dossier of the round on its results sheet (ranked), one step each.
pub async fn rank_round(store: &Store, actor: &Account, round_id: i64) -> Outcome<usize> {
    if let Some(r) = office_only(actor) {
        return Ok(Err(r));
    }
    let ids = all(
        &store.db,
        "SELECT id FROM dossiers WHERE round_id = ? AND status = 'scored' ORDER BY id",
        vec![round_id.into()],
    )
    .await?;
    let mut n = 0;
    for r in ids {
        let id: i64 = r.try_get("", "id")?;
        if let Err(refusal) = super::dossiers::take(store, actor, id, Step::Rank, &StepInput::default()).await? {
            return Ok(Err(refusal));
        }
        n += 1;
    }
    Ok(Ok(n))
}

/// The decision's number and date, from the office only.
fn parse(actor: &Account, f: &DecisionForm, today: NaiveDate) -> Result<(String, NaiveDate), Refusal> {
    if let Some(r) = office_only(actor) {
        return Err(r);
    }
    let number = f.number.trim();
    if number.is_empty() || number.chars().count() > 60 {
        return Err(invalid(
            "number",
            "Nhập số quyết định (tối đa 60 ký tự).",
            "Enter the decision number (60 characters at most).",
        ));
    }
    let Some(day) = NaiveDate::parse_from_str(f.decided_on.trim(), "%Y-%m-%d").ok().filter(|d| *d <= today) else {
        return Err(invalid(
            "decided_on",
            "Ngày quyết định không hợp lệ (không sau hôm nay).",
            "The decision date is not valid (not after today).",
        ));
    };
    Ok((number.to_string(), day))
}

/// Stars of the product's valid certificate with the most stars on `day`.
async fn held_on(
    txn: &sea_orm::DatabaseTransaction,
    product_id: i64,
    day: NaiveDate,
) -> Result<Option<Stars>, StoreError> {
    let r = one(
        txn,
        "SELECT MAX(stars) AS stars FROM certificates WHERE product_id = ? AND (revoked_on IS NULL OR revoked_on > ?) \
         AND decided_on <= ? AND last_valid_on >= ?",
        vec![product_id.into(), day.into(), day.into(), day.into()],
    )
    .await?;
    Ok(r.and_then(|r| r.try_get::<Option<i32>>("", "stars").ok().flatten()).and_then(|s| Stars::new(s as i64).ok()))
}

/// Issues one certificate from a dossier; older ones with more stars end on the decision day.
#[allow(clippy::too_many_arguments)]
async fn issue(
    txn: &sea_orm::DatabaseTransaction,
    dossier_id: i64,
    product_id: i64,
    number: &str,
    stars: Stars,
    score_centi: i64,
    level: CertLevel,
    day: NaiveDate,
) -> Result<i64, StoreError> {
    let held = held_on(txn, product_id, day).await?;
    let before = one(
        txn,
        "SELECT id FROM certificates WHERE product_id = ? AND decided_on < ?",
        vec![product_id.into(), day.into()],
    )
    .await?
    .is_some();
    let kind = certificate_kind(held, before, stars);
    if held.is_some_and(|h| h > stars) {
        exec(
            txn,
            "UPDATE certificates SET revoked_on = ?, revoke_reason = ? WHERE product_id = ? AND revoked_on IS NULL AND stars > ?",
            vec![day.into(), format!("Thay thế bởi kết quả đánh giá lại, {number}").into(), product_id.into(), (stars.get() as i32).into()],
        )
        .await?;
    }
    let id: i64 = one(
        txn,
        "INSERT INTO certificates (product_id, number, number_is_sample, stars, score, level, decided_on, date_precision, \
         last_valid_on, kind, dossier_id, created_at) VALUES (?, ?, false, ?, ?, ?, ?, 'day', ?, ?, ?, ?) RETURNING id",
        vec![
            product_id.into(),
            number.into(),
            (stars.get() as i32).into(),
            // Whole points, never above the mean: 69,5 is written 69 next to its three stars.
            ((score_centi / 100) as i32).into(),
            level.code().into(),
            day.into(),
            last_valid_day(day).into(),
            kind.code().into(),
            dossier_id.into(),
            Utc::now().into(),
        ],
    )
    .await?
    .ok_or_else(|| StoreError::Invariant("the certificate just stored".into()))?
    .try_get("", "id")?;
    Ok(id)
}

/// Commits a decision's certificates (or nothing, when refused), then badges and search follow.
async fn settle<T>(
    store: &Store,
    txn: sea_orm::DatabaseTransaction,
    turn: Option<tokio::sync::MutexGuard<'_, ()>>,
    result: Outcome<T>,
    products: &[i64],
) -> Outcome<T> {
    let result = finish(txn, turn, result).await?;
    if result.is_ok() {
        store.products_changed(products).await?;
        store.sync_index().await?;
    }
    Ok(result)
}

/// Records the province's decision for the round.
pub async fn record(store: &Store, actor: &Account, round_id: i64, f: &DecisionForm) -> Outcome<Decided> {
    let (number, day) = match parse(actor, f, store.today()) {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    let (turn, txn) = store.write_txn().await?;
    let mut products = Vec::new();
    let result: Outcome<Decided> = async {
        let Some(round) = super::rounds::get(&txn, round_id).await? else { return Ok(Err(Refusal::NotFound)) };
        if round.status != super::rounds::RoundStatus::Open {
            return Ok(Err(invalid("number", "Kỳ đánh giá đã có quyết định.", "The round has been decided already.")));
        }
        let taken = one(&txn, "SELECT id FROM certificates WHERE number LIKE ?", vec![format!("{number}-%").into()]).await?;
        if taken.is_some() {
            return Ok(Err(invalid("number", "Số quyết định này đã được ghi nhận.", "This decision number is on record already.")));
        }
        let ranked = all(
            &txn,
            "SELECT id, product_id, producer_id, result, score_centi FROM dossiers WHERE round_id = ? AND status = 'ranked' ORDER BY id",
            vec![round_id.into()],
        )
        .await?;
        if ranked.is_empty() {
            return Ok(Err(invalid("number", "Chưa có hồ sơ nào được phân hạng trong kỳ này.", "No dossier of this round has been ranked yet.")));
        }
        let mut out = Decided::default();
        for r in ranked {
            let id: i64 = r.try_get("", "id")?;
            let product_id: i64 = r.try_get("", "product_id")?;
            let producer_id: i64 = r.try_get("", "producer_id")?;
            let stored: StoredResult = serde_json::from_str(&r.try_get::<Option<String>>("", "result")?.unwrap_or_default())
                .map_err(|e| StoreError::Invariant(format!("dossier {id} ranked without a result: {e}")))?;
            let province = match stored.outcome.as_str() {
                "ranked" => stored.stars.and_then(|s| Stars::new(s as i64).ok()),
                "proposed_five" => Stars::new(4).ok(),
                _ => None,
            };
            products.push(product_id);
            match province {
                Some(stars) => {
                    let cert_number = format!("{number}-{:03}", out.certified.len() + 1);
                    let score = r.try_get::<Option<i32>>("", "score_centi")?.map_or(stored.mean_centi, i64::from);
                    let cert = issue(&txn, id, product_id, &cert_number, stars, score, CertLevel::Province, day).await?;
                    exec(&txn, "UPDATE dossiers SET status = 'certified', certificate_id = ?, updated_at = ? WHERE id = ?", vec![cert.into(), Utc::now().into(), id.into()])
                        .await?;
                    event(&txn, id, "certify", Some(DossierStatus::Ranked), DossierStatus::Certified, actor, Some(&number)).await?;
                    let five = if stored.outcome == "proposed_five" { " Đề nghị Bộ công nhận 5 sao / proposed to the Ministry for 5 stars." } else { "" };
                    let body = format!(
                        "Sản phẩm được công nhận OCOP {s} sao theo quyết định {number} ngày {d}, giấy chứng nhận {cert_number}, có giá trị đến {until}.{five}\n\n\
                         The product is certified OCOP {s} stars by decision {number} of {d}, certificate {cert_number}, valid to {until}.",
                        s = stars.get(),
                        d = day.format("%d/%m/%Y"),
                        until = last_valid_day(day).format("%d/%m/%Y"),
                    );
                    tell_producer(&txn, producer_id, "Sản phẩm được công nhận OCOP / Product certified OCOP", &body).await?;
                    out.certified.push((id, cert_number, stars.get()));
                }
                None => {
                    let why = match stored.outcome.as_str() {
                        "disqualified" => format!("Hồ sơ bị loại ({}) / dossier disqualified", stored.disqualified.join(", ")),
                        _ if !stored.unmet.is_empty() => format!("Không đạt tiêu chí bắt buộc {} / mandatory criteria not met", stored.unmet.join(", ")),
                        _ => format!("Điểm trung bình {} dưới 50 / mean score below 50", domain::evaluation::Score100(stored.mean_centi)),
                    };
                    exec(&txn, "UPDATE dossiers SET status = 'not_ranked', updated_at = ? WHERE id = ?", vec![Utc::now().into(), id.into()]).await?;
                    event(&txn, id, "not_ranked", Some(DossierStatus::Ranked), DossierStatus::NotRanked, actor, Some(&why)).await?;
                    tell_producer(&txn, producer_id, "Kết quả đánh giá OCOP / OCOP evaluation result", &format!("Sản phẩm chưa đạt hạng OCOP theo quyết định {number}: {why}.")).await?;
                    out.not_ranked.push(id);
                }
            }
        }
        exec(
            &txn,
            "UPDATE evaluation_rounds SET status = 'decided', decision_number = ?, decided_on = ? WHERE id = ?",
            vec![number.clone().into(), day.into(), round_id.into()],
        )
        .await?;
        let after = serde_json::json!({"number": number, "decided_on": day, "certified": out.certified.len(), "not_ranked": out.not_ranked.len()});
        crate::office::audit(&txn, actor, "decide", "evaluation_round", &round_id.to_string(), serde_json::Value::Null, after).await?;
        Ok(Ok(out))
    }
    .await;
    settle(store, txn, turn, result, &products).await
}

/// Records the Ministry's decision on the round's products proposed for five stars: those it
/// names get a national five-star certificate; the others keep the province's four.
pub async fn record_ministry(
    store: &Store,
    actor: &Account,
    round_id: i64,
    f: &DecisionForm,
    five: &[i64],
) -> Outcome<Vec<String>> {
    let (number, day) = match parse(actor, f, store.today()) {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    let (turn, txn) = store.write_txn().await?;
    let mut products = Vec::new();
    let result: Outcome<Vec<String>> = async {
        let Some(round) = super::rounds::get(&txn, round_id).await? else { return Ok(Err(Refusal::NotFound)) };
        if round.decided_on.is_none_or(|d| day < d) || round.ministry_decision_number.is_some() {
            return Ok(Err(invalid(
                "number",
                "Quyết định của Bộ ghi sau quyết định của tỉnh, một lần cho mỗi kỳ.",
                "The Ministry's decision comes after the province's, once per round.",
            )));
        }
        let proposed = all(
            &txn,
            "SELECT id, product_id, producer_id, score_centi FROM dossiers WHERE round_id = ? AND outcome = 'proposed_five' AND status = 'certified'",
            vec![round_id.into()],
        )
        .await?;
        let mut numbers = Vec::new();
        for r in proposed {
            let id: i64 = r.try_get("", "id")?;
            if !five.contains(&id) {
                continue;
            }
            let product_id: i64 = r.try_get("", "product_id")?;
            let cert_number = format!("{number}-{:03}", numbers.len() + 1);
            let score = r.try_get::<Option<i32>>("", "score_centi")?.map_or(9000, i64::from);
            issue(&txn, id, product_id, &cert_number, Stars::new(5).expect("5"), score, CertLevel::National, day).await?;
            event(&txn, id, "ministry_five", Some(DossierStatus::Certified), DossierStatus::Certified, actor, Some(&number)).await?;
            tell_producer(&txn, r.try_get("", "producer_id")?, "Sản phẩm OCOP 5 sao / Five-star OCOP product", &format!("Bộ Nông nghiệp và Môi trường công nhận sản phẩm đạt 5 sao theo quyết định {number}, giấy chứng nhận {cert_number}."))
                .await?;
            products.push(product_id);
            numbers.push(cert_number);
        }
        exec(
            &txn,
            "UPDATE evaluation_rounds SET ministry_decision_number = ?, ministry_decided_on = ? WHERE id = ?",
            vec![number.clone().into(), day.into(), round_id.into()],
        )
        .await?;
        crate::office::audit(&txn, actor, "ministry_decision", "evaluation_round", &round_id.to_string(), serde_json::Value::Null, serde_json::json!({"number": number, "five": numbers}))
            .await?;
        Ok(Ok(numbers))
    }
    .await;
    settle(store, txn, turn, result, &products).await
}

/// Products the province's council proposed for five stars whose round has no Ministry decision yet.
pub async fn awaiting_ministry(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<i64>, StoreError> {
    all(
        db,
        "SELECT d.product_id FROM dossiers d JOIN evaluation_rounds r ON r.id = d.round_id \
         WHERE d.outcome = 'proposed_five' AND d.status = 'certified' AND r.ministry_decision_number IS NULL",
        vec![],
    )
    .await?
    .into_iter()
    .map(|r| Ok(r.try_get("", "product_id")?))
    .collect()
}
