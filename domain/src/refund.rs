//! Giving money back for part of a showroom sale, as many times as the customer returns goods, never
//! more than was sold: the same arithmetic on the till (what it offers) and the marketplace (what it
//! accepts from a till).

use std::collections::HashMap;

use crate::sale::{Sale, SaleLine};

/// One line of the original sale and how much of it is still in the customer's hands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returnable {
    pub line_id: String,
    pub sku: String,
    pub unit_price: i64,
    pub sold: i64,
    pub refunded: i64,
}

impl Returnable {
    pub fn left(&self) -> i64 {
        (self.sold - self.refunded).max(0)
    }
}

/// Why a refund cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundProblem {
    Nothing,
    /// More units of a line than the customer still has.
    TooMany {
        sku: String,
        left: i64,
    },
    /// The refunds of a sale would give back more money than it took.
    MoreThanPaid {
        left: i64,
    },
    NotASale,
}

impl RefundProblem {
    pub fn message(&self) -> (String, String) {
        let money = |v: i64| crate::money::Vnd(v).to_string();
        match self {
            RefundProblem::Nothing => ("Chưa chọn gì để hoàn.".into(), "Nothing was chosen to refund.".into()),
            RefundProblem::TooMany { sku, left } => (
                format!("{sku}: chỉ còn {left} để hoàn (đã bán trừ đã hoàn)."),
                format!("{sku}: only {left} left to refund (sold less already refunded)."),
            ),
            RefundProblem::MoreThanPaid { left } => (
                format!("Các lần hoàn vượt số tiền đã trả; còn hoàn được {}.", money(*left)),
                format!("The refunds would exceed what was paid; {} can still be refunded.", money(*left)),
            ),
            RefundProblem::NotASale => ("Đây là phiếu hoàn tiền.".into(), "This is a refund slip.".into()),
        }
    }
}

/// The original sale's lines with what earlier refunds took back (matched by SKU: a till rings one
/// line per SKU, and a refund line names the SKU it returns).
pub fn returnable(original: &Sale, refunds: &[Sale]) -> Vec<Returnable> {
    let mut back: HashMap<&str, i64> = HashMap::new();
    for r in refunds {
        for l in &r.lines {
            *back.entry(l.sku.as_str()).or_default() += l.qty as i64;
        }
    }
    original
        .lines
        .iter()
        .map(|l| {
            let taken = back.entry(l.sku.as_str()).or_default();
            let refunded = (*taken).min(l.qty as i64);
            *taken -= refunded;
            Returnable {
                line_id: l.id.clone(),
                sku: l.sku.clone(),
                unit_price: l.unit_price,
                sold: l.qty as i64,
                refunded,
            }
        })
        .collect()
}

/// What a refund of some units comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPlan {
    /// (index of the original line, units back).
    pub lines: Vec<(usize, i64)>,
    pub gross: i64,
    /// The sale's discount shared out over what comes back.
    pub discount: i64,
    pub total: i64,
}

fn gross_of(lines: &[SaleLine]) -> i64 {
    lines.iter().map(|l| l.line_total).sum()
}

/// The discount a refund carries: the share of the sale's discount for everything given back so far,
/// less what earlier refunds carried, so a sale refunded in parts gives back exactly what was paid.
fn discount_share(original: &Sale, gross_before: i64, discount_before: i64, gross: i64) -> i64 {
    let all = gross_of(&original.lines);
    if all <= 0 {
        return 0;
    }
    let upto = (original.discount as i128 * (gross_before + gross) as i128 / all as i128) as i64;
    (upto - discount_before).clamp(0, gross)
}

/// A refund of `wanted` units per original line id.
pub fn plan(original: &Sale, refunds: &[Sale], wanted: &HashMap<String, i64>) -> Result<RefundPlan, RefundProblem> {
    if original.kind != crate::sale::SaleKind::Sale {
        return Err(RefundProblem::NotASale);
    }
    let left = returnable(original, refunds);
    let mut lines = Vec::new();
    let mut gross = 0;
    for (i, r) in left.iter().enumerate() {
        let n = wanted.get(&r.line_id).copied().unwrap_or(0);
        if n < 0 || n > r.left() {
            return Err(RefundProblem::TooMany { sku: r.sku.clone(), left: r.left() });
        }
        if n > 0 {
            lines.push((i, n));
            gross += r.unit_price * n;
        }
    }
    if lines.is_empty() {
        return Err(RefundProblem::Nothing);
    }
    let gross_before: i64 = refunds.iter().map(|r| gross_of(&r.lines)).sum();
    let discount_before: i64 = refunds.iter().map(|r| r.discount).sum();
    let discount = discount_share(original, gross_before, discount_before, gross);
    Ok(RefundPlan { lines, gross, discount, total: gross - discount })
}

/// Whether a refund a till sent fits what its sale has left: per SKU no more units than sold less
/// earlier refunds, and all refunds together no more money than the sale took.
pub fn fits(original: &Sale, refunds_before: &[Sale], refund: &Sale) -> Result<(), RefundProblem> {
    if original.kind != crate::sale::SaleKind::Sale {
        return Err(RefundProblem::NotASale);
    }
    let left = returnable(original, refunds_before);
    let mut wanted: HashMap<&str, i64> = HashMap::new();
    for l in &refund.lines {
        *wanted.entry(l.sku.as_str()).or_default() += l.qty as i64;
    }
    for (sku, n) in wanted {
        let have: i64 = left.iter().filter(|r| r.sku == sku).map(Returnable::left).sum();
        if n > have {
            return Err(RefundProblem::TooMany { sku: sku.to_string(), left: have });
        }
    }
    let paid_back: i64 = refunds_before.iter().map(|r| r.total).sum();
    if paid_back + refund.total > original.total {
        return Err(RefundProblem::MoreThanPaid { left: (original.total - paid_back).max(0) });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::{SaleKind, SalePayment};

    fn line(id: &str, sku: &str, qty: i32, price: i64) -> SaleLine {
        SaleLine {
            id: id.into(),
            sku: sku.into(),
            qty,
            unit_price: price,
            line_total: price * qty as i64,
            batch: None,
            batch_assumed: false,
        }
    }

    fn sale(lines: Vec<SaleLine>, discount: i64) -> Sale {
        let total = gross_of(&lines) - discount;
        Sale {
            id: "s".into(),
            kind: SaleKind::Sale,
            refund_of: None,
            receipt_no: "T-000001".into(),
            shift_id: "x".into(),
            sold_at: "2026-12-01T10:00:00Z".into(),
            lines,
            discount,
            total,
            payments: vec![SalePayment {
                id: "p".into(),
                method: crate::sale::PosMethod::Cash,
                amount: total,
                confirmed: true,
            }],
        }
    }

    fn refund_of(original: &Sale, p: &RefundPlan) -> Sale {
        let lines = p
            .lines
            .iter()
            .map(|(i, n)| {
                let o = &original.lines[*i];
                line(&format!("r{i}"), &o.sku, *n as i32, o.unit_price)
            })
            .collect();
        Sale {
            kind: SaleKind::Refund,
            refund_of: Some(original.id.clone()),
            discount: p.discount,
            total: p.total,
            lines,
            ..original.clone()
        }
    }

    fn want(pairs: &[(&str, i64)]) -> HashMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn one_bottle_of_three_gives_back_one_bottles_price() {
        // 3 × 275.000 = 825.000 ₫: the customer returns one bottle.
        let s = sale(vec![line("a", "RUOU", 3, 275_000)], 0);
        let p = plan(&s, &[], &want(&[("a", 1)])).unwrap();
        assert_eq!((p.total, p.lines.clone()), (275_000, vec![(0, 1)]));
    }

    #[test]
    fn a_sale_refunded_in_parts_gives_back_exactly_what_was_paid_and_no_more() {
        // 3 × 100.001 with a 10.000 discount: shares round, the parts still add up to the total paid.
        let s = sale(vec![line("a", "A", 3, 100_001), line("b", "B", 1, 7)], 10_000);
        let mut done = Vec::new();
        for w in [want(&[("a", 1)]), want(&[("a", 1), ("b", 1)]), want(&[("a", 1)])] {
            let p = plan(&s, &done, &w).unwrap();
            let r = refund_of(&s, &p);
            assert_eq!(fits(&s, &done, &r), Ok(()));
            done.push(r);
        }
        assert_eq!(done.iter().map(|r| r.total).sum::<i64>(), s.total);
        assert_eq!(plan(&s, &done, &want(&[("a", 1)])), Err(RefundProblem::TooMany { sku: "A".into(), left: 0 }));
    }

    #[test]
    fn more_than_is_left_or_nothing_is_refused() {
        let s = sale(vec![line("a", "A", 2, 50_000)], 0);
        assert_eq!(plan(&s, &[], &want(&[("a", 3)])), Err(RefundProblem::TooMany { sku: "A".into(), left: 2 }));
        assert_eq!(plan(&s, &[], &want(&[("a", 0)])), Err(RefundProblem::Nothing));
        let first = refund_of(&s, &plan(&s, &[], &want(&[("a", 2)])).unwrap());
        // A till that sent a second refund anyway is refused by the same rule at the marketplace.
        assert!(matches!(fits(&s, std::slice::from_ref(&first), &first), Err(RefundProblem::TooMany { .. })));
        let mut greedy = refund_of(&s, &plan(&s, &[], &want(&[("a", 1)])).unwrap());
        greedy.total = 100_001;
        assert_eq!(fits(&s, &[], &greedy), Err(RefundProblem::MoreThanPaid { left: 100_000 }));
    }
}
