//! Refunds that cannot go wrong: the receipt found by its last digits or picked from this shift's
//! list, quantities starting at 0, the amount and the method shown for review before anything
//! happens, a manager's PIN above `POS_REFUND_PIN_ABOVE`, and as many refunds of a sale as goods
//! come back, never more than was sold. The review carries the refund's id, so confirming twice
//! refunds once.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use domain::sale::{PosMethod, SaleKind};

use super::{F, PosState, Res, at_till, both, field, pin_of, refused, render};
use crate::pages::{self, RecentReceipt, RefundForm, RefundReview, Screen};
use crate::staff::{self, Staff};
use crate::till::{self, RefundAsk, Refusal, Stored};
use crate::{PosError, receipts};

const REFUND: &str = "Hoàn tiền / Refund";

#[derive(serde::Deserialize, Default)]
pub(super) struct NoQuery {
    no: Option<String>,
}

fn time_of(sold_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(sold_at)
        .map(|t| receipts::local(&t.with_timezone(&chrono::Utc), "%H:%M %d/%m"))
        .unwrap_or_default()
}

fn paid_by(s: &Stored) -> &'static str {
    let transfer = s.sale.payments.iter().any(|p| p.method == PosMethod::Vietqr && p.amount > 0);
    let cash = s.sale.payments.iter().any(|p| p.method == PosMethod::Cash && p.amount > 0);
    match (cash, transfer) {
        (_, false) => "cash",
        (false, true) => "vietqr",
        (true, true) => "split",
    }
}

async fn listed(s: &PosState, sales: Vec<Stored>) -> Result<Vec<RecentReceipt>, PosError> {
    let mut out = Vec::with_capacity(sales.len());
    for x in sales {
        let refunded = till::refunds_of(&s.db, &x.sale.id).await?.iter().map(|r| r.sale.total).sum();
        out.push(RecentReceipt {
            receipt_no: x.sale.receipt_no.clone(),
            time: time_of(&x.sale.sold_at),
            items: x.sale.lines.iter().map(|l| l.qty as i64).sum(),
            total: x.sale.total,
            refunded,
            method: match paid_by(&x) {
                "cash" => "Tiền mặt / Cash",
                "vietqr" => "VietQR",
                _ => "Tiền mặt + VietQR / Cash + VietQR",
            }
            .into(),
        });
    }
    Ok(out)
}

/// This shift's sales, newest first.
async fn recent(s: &PosState) -> Result<Vec<RecentReceipt>, PosError> {
    let Some(shift) = till::open_shift(&s.db).await? else { return Ok(vec![]) };
    let mut sales: Vec<Stored> =
        till::of_shift(&s.db, &shift.id).await?.into_iter().filter(|x| x.sale.kind == SaleKind::Sale).collect();
    sales.reverse();
    sales.truncate(50);
    listed(s, sales).await
}

async fn form_of(s: &PosState, sale: &Stored, wanted: HashMap<String, i64>) -> Result<RefundForm, PosError> {
    let before: Vec<_> = till::refunds_of(&s.db, &sale.sale.id).await?.into_iter().map(|r| r.sale).collect();
    let left = domain::refund::returnable(&sale.sale, &before);
    Ok(RefundForm {
        receipt_no: sale.sale.receipt_no.clone(),
        sold_at: time_of(&sale.sale.sold_at),
        total: sale.sale.total,
        refunded: before.iter().map(|r| r.total).sum(),
        lines: left
            .into_iter()
            .zip(&sale.names)
            .map(|(r, name)| (r.line_id, name.clone(), r.unit_price, r.sold, r.refunded))
            .collect(),
        wanted,
        paid_by: if paid_by(sale) == "vietqr" { "vietqr" } else { "cash" },
    })
}

pub(super) async fn refund_page(State(s): State<PosState>, headers: HeaderMap, Query(q): Query<NoQuery>) -> Res {
    let st = staff_or_redirect!(s, headers);
    let no = q.no.unwrap_or_default().trim().to_string();
    let recent = recent(&s).await?;
    if no.is_empty() {
        return render(&s, Screen::Refund, REFUND, Some(&st), pages::refund(no, None, vec![], recent, None)).await;
    }
    let mut found = till::find_sales(&s.db, &no).await?;
    match found.len() {
        0 => {
            let err = format!(
                "Không có biên lai nào có số hoặc đuôi số “{no}” trên quầy này. / No receipt numbered or ending in “{no}” on this till."
            );
            refused(&s, Screen::Refund, REFUND, Some(&st), pages::refund(no, None, vec![], recent, Some(err))).await
        }
        1 => {
            let sale = found.remove(0);
            let form = form_of(&s, &sale, HashMap::new()).await?;
            render(&s, Screen::Refund, REFUND, Some(&st), pages::refund(no, Some(form), vec![], recent, None)).await
        }
        _ => {
            let matches = listed(&s, found).await?;
            render(&s, Screen::Refund, REFUND, Some(&st), pages::refund(no, None, matches, recent, None)).await
        }
    }
}

/// A refund problem in words, naming the product rather than its SKU.
fn problem_text(original: &Stored, p: &domain::refund::RefundProblem) -> String {
    let text = both(p.message());
    match p {
        domain::refund::RefundProblem::TooMany { sku, .. } => {
            match original.sale.lines.iter().position(|l| &l.sku == sku).and_then(|i| original.names.get(i)) {
                Some(name) => text.replace(sku.as_str(), name),
                None => text,
            }
        }
        _ => text,
    }
}

/// The units asked for per line id: blank is 0, anything else must be a whole number from 0.
fn wanted(f: &HashMap<String, String>, sale: &Stored) -> Result<HashMap<String, i64>, String> {
    let mut out = HashMap::new();
    for l in &sale.sale.lines {
        let raw = field(f, &format!("qty_{}", l.id));
        match raw.parse::<i64>() {
            Ok(n) if n >= 0 => {
                out.insert(l.id.clone(), n);
            }
            _ if raw.is_empty() => {}
            _ => return Err(format!("“{raw}” không phải số lượng. / “{raw}” is not a quantity.")),
        }
    }
    Ok(out)
}

/// Review (no `refund_id` yet) or do (with the id the review made) a refund.
pub(super) async fn refund(State(s): State<PosState>, headers: HeaderMap, Form(f): F) -> Res {
    let st = staff_or_redirect!(s, headers);
    let no = field(&f, "receipt_no").to_string();
    let Some(original) = till::by_receipt(&s.db, &no).await?.filter(|o| o.sale.kind == SaleKind::Sale) else {
        let err = format!("Không có biên lai {no} trên quầy này. / No receipt {no} on this till.");
        return refused(
            &s,
            Screen::Refund,
            REFUND,
            Some(&st),
            pages::refund(no, None, vec![], recent(&s).await?, Some(err)),
        )
        .await;
    };
    let again = |wanted: HashMap<String, i64>, err: String| {
        let (s, st, no, original) = (&s, &st, no.clone(), &original);
        async move {
            let form = form_of(s, original, wanted).await?;
            refused(
                s,
                Screen::Refund,
                REFUND,
                Some(st),
                pages::refund(no, Some(form), vec![], recent(s).await?, Some(err)),
            )
            .await
        }
    };
    let qty = match wanted(&f, &original) {
        Ok(q) => q,
        Err(e) => return again(HashMap::new(), e).await,
    };
    let method = match field(&f, "method") {
        "cash" => PosMethod::Cash,
        "vietqr" => PosMethod::Vietqr,
        _ => return again(qty, "Chọn trả lại bằng tiền mặt hay chuyển khoản. / Choose cash or transfer.".into()).await,
    };
    let before: Vec<_> = till::refunds_of(&s.db, &original.sale.id).await?.into_iter().map(|r| r.sale).collect();
    // The id the review made, in its one written form (it becomes the refund's id at the marketplace).
    let mut refund_id = uuid::Uuid::parse_str(field(&f, "refund_id")).ok().map(|u| u.to_string());
    // Confirmed once already (a second press, a reload): that refund, not another. An id that names
    // anything else is no review of ours: a new review is shown.
    if let Some(id) = &refund_id
        && let Some(done) = till::by_id(&s.db, id).await?
    {
        if done.sale.refund_of.as_deref() == Some(original.sale.id.as_str()) {
            return Ok(Redirect::to(&format!("/receipts/{}", done.sale.receipt_no)).into_response());
        }
        refund_id = None;
    }
    let plan = match domain::refund::plan(&original.sale, &before, &qty) {
        Ok(p) => p,
        Err(p) => return again(qty, problem_text(&original, &p)).await,
    };
    let needs_pin = plan.total > s.config.refund_pin_above;
    let review = |refund_id: String| RefundReview {
        receipt_no: no.clone(),
        refund_id,
        method: method.code(),
        lines: plan
            .lines
            .iter()
            .map(|&(i, n)| {
                let l = &original.sale.lines[i];
                (l.id.clone(), original.names.get(i).cloned().unwrap_or_else(|| l.sku.clone()), n, l.unit_price * n)
            })
            .collect(),
        discount: plan.discount,
        total: plan.total,
        needs_pin,
        managers: vec![],
    };
    let managers =
        || async { Ok::<Vec<Staff>, PosError>(staff::list(&s.db).await?.into_iter().filter(|m| m.manager).collect()) };
    let Some(refund_id) = refund_id else {
        let r = RefundReview { managers: managers().await?, ..review(uuid::Uuid::new_v4().to_string()) };
        return render(&s, Screen::Refund, REFUND, Some(&st), pages::refund_review(r, None)).await;
    };
    let approved_by = if needs_pin {
        let manager: i64 = field(&f, "manager_id").parse().unwrap_or(0);
        let err = match pin_of(&s, manager, field(&f, "pin")).await? {
            Ok(m) if m.manager => Ok(m.id),
            Ok(_) => Err("Chỉ quản lý mới duyệt hoàn tiền. / Only a manager can approve a refund.".to_string()),
            Err(msg) => Err(msg),
        };
        match err {
            Ok(id) => Some(id),
            Err(msg) => {
                let r = RefundReview { managers: managers().await?, ..review(refund_id.clone()) };
                return refused(&s, Screen::Refund, REFUND, Some(&st), pages::refund_review(r, Some(msg))).await;
            }
        }
    } else {
        None
    };
    let ask = RefundAsk { refund_id: &refund_id, qty: &qty, method, approved_by };
    match till::refund(&s.db, &st, &original, ask).await? {
        Ok(r) => {
            s.link.poke.notify_one();
            super::sell::auto_print(&s, &r);
            Ok(Redirect::to(&format!("/receipts/{r}")).into_response())
        }
        Err(Refusal::Refund(p)) => again(qty, problem_text(&original, &p)).await,
        Err(r) => again(qty, both(r.message())).await,
    }
}
