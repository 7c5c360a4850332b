//! Which batch a sale took when nobody said: first-expiring-first-out, as a shop rotates its shelf.
//! Recalled and expired batches are never chosen; the till refuses to sell what only a recalled
//! batch can supply.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A batch of one size, with what the ledger holds of it where the sale happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub on_hand: i64,
    pub recalled: bool,
}

impl Candidate {
    fn sellable(&self, today: NaiveDate) -> bool {
        !self.recalled && self.expires_on.is_none_or(|e| e >= today)
    }
}

/// FEFO order: earliest expiry first (a batch with none last), then the older batch, then the one
/// recorded first.
fn fefo<'a>(cands: impl Iterator<Item = &'a Candidate>) -> Vec<&'a Candidate> {
    let mut v: Vec<_> = cands.collect();
    v.sort_by_key(|c| (c.expires_on.is_none(), c.expires_on, c.produced_on, c.id));
    v
}

/// How `qty` units split over batches; what no batch holds stays unbatched (stock received before
/// batches were recorded).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Allocation {
    pub batches: Vec<(i64, i64)>,
    pub unbatched: i64,
}

/// Takes `qty` units from the sellable batches with stock, first-expiring first.
pub fn allocate(cands: &[Candidate], qty: i64, today: NaiveDate) -> Allocation {
    let mut left = qty.max(0);
    let mut out = Allocation::default();
    for c in fefo(cands.iter().filter(|c| c.sellable(today) && c.on_hand > 0)) {
        if left == 0 {
            break;
        }
        let take = left.min(c.on_hand);
        out.batches.push((c.id, take));
        left -= take;
    }
    out.unbatched = left;
    out
}

/// What the till records for a unit scanned without its batch, or refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TillPick {
    /// Assumed first-expiring-first-out.
    Batch(i64),
    /// The size has no batches on record: sold as before batches existed.
    Unbatched,
    /// Nothing but a recalled or expired batch could have supplied it.
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Recalled { code: String },
    Expired { code: String, on: NaiveDate },
}

impl Refusal {
    pub fn message(&self) -> (String, String) {
        match self {
            Refusal::Recalled { code } => (
                format!("Lô {code} đang bị thu hồi: không được bán. Để riêng sản phẩm này."),
                format!("Batch {code} is recalled: do not sell it. Set the item aside."),
            ),
            Refusal::Expired { code, on } => (
                format!("Lô {code} đã hết hạn ngày {}: không được bán.", on.format("%d/%m/%Y")),
                format!("Batch {code} expired on {}: do not sell it.", on.format("%d/%m/%Y")),
            ),
        }
    }
}

/// The till's choice for one unit of a size, from the batches it knows (`on_hand` is the showroom's).
/// The shelf's own batches come first: when every batch the showroom holds is recalled or expired,
/// the unit on the counter is one of them, and the sale is refused. With no stock of any batch
/// here, the earliest sellable batch is assumed; with batches but none sellable, refused.
pub fn till_pick(cands: &[Candidate], today: NaiveDate) -> TillPick {
    if cands.is_empty() {
        return TillPick::Unbatched;
    }
    let here: Vec<&Candidate> = cands.iter().filter(|c| c.on_hand > 0).collect();
    let pool: Vec<&Candidate> = if here.is_empty() { cands.iter().collect() } else { here };
    if let Some(c) = fefo(pool.iter().copied().filter(|c| c.sellable(today))).first() {
        return TillPick::Batch(c.id);
    }
    TillPick::Refused(refusal(fefo(pool.into_iter())[0], today))
}

/// Whether a batch named on the label may be sold.
pub fn check_named(c: &Candidate, today: NaiveDate) -> Result<(), Refusal> {
    if c.sellable(today) { Ok(()) } else { Err(refusal(c, today)) }
}

fn refusal(c: &Candidate, today: NaiveDate) -> Refusal {
    match c.expires_on {
        Some(on) if !c.recalled && on < today => Refusal::Expired { code: c.code.clone(), on },
        _ => Refusal::Recalled { code: c.code.clone() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn c(id: i64, produced: &str, expires: Option<&str>, on_hand: i64, recalled: bool) -> Candidate {
        Candidate {
            id,
            code: format!("L{id}"),
            produced_on: d(produced),
            expires_on: expires.map(d),
            on_hand,
            recalled,
        }
    }

    #[test]
    fn the_first_to_expire_goes_first_and_quantities_spill_over() {
        let today = d("2026-12-01");
        let cands = [
            c(1, "2026-10-01", Some("2027-10-01"), 5, false),
            c(2, "2026-11-01", Some("2027-03-01"), 2, false), // expires first, though made later
            c(3, "2026-09-01", None, 10, false),              // no expiry: last
        ];
        assert_eq!(allocate(&cands, 1, today), Allocation { batches: vec![(2, 1)], unbatched: 0 });
        assert_eq!(allocate(&cands, 4, today), Allocation { batches: vec![(2, 2), (1, 2)], unbatched: 0 });
        assert_eq!(allocate(&cands, 20, today), Allocation { batches: vec![(2, 2), (1, 5), (3, 10)], unbatched: 3 });
    }

    #[test]
    fn recalled_expired_and_empty_batches_are_skipped() {
        let today = d("2026-12-01");
        let cands = [
            c(1, "2026-01-01", Some("2026-11-30"), 9, false), // expired yesterday
            c(2, "2026-06-01", Some("2027-01-01"), 9, true),  // recalled
            c(3, "2026-07-01", Some("2027-02-01"), 0, false), // none left
            c(4, "2026-08-01", Some("2027-06-01"), 3, false),
        ];
        assert_eq!(allocate(&cands, 2, today), Allocation { batches: vec![(4, 2)], unbatched: 0 });
        // Same expiry: the older batch, then the first recorded.
        let tie = [c(7, "2026-05-02", Some("2027-01-01"), 1, false), c(6, "2026-05-01", Some("2027-01-01"), 1, false)];
        assert_eq!(allocate(&tie, 1, today).batches, vec![(6, 1)]);
        // Expiring today is still sellable.
        assert_eq!(allocate(&[c(8, "2026-01-01", Some("2026-12-01"), 1, false)], 1, today).batches, vec![(8, 1)]);
    }

    #[test]
    fn the_till_prefers_its_shelf_and_refuses_a_recalled_one() {
        let today = d("2026-12-01");
        // Its shelf holds batch 2 only; batch 1 expires earlier but is elsewhere.
        let cands =
            [c(1, "2026-01-01", Some("2027-01-01"), 0, false), c(2, "2026-02-01", Some("2027-05-01"), 4, false)];
        assert_eq!(till_pick(&cands, today), TillPick::Batch(2));
        // Nothing on its shelf by the ledger: the earliest sellable batch anywhere.
        let none_here =
            [c(1, "2026-01-01", Some("2027-01-01"), 0, false), c(2, "2026-02-01", Some("2027-05-01"), 0, false)];
        assert_eq!(till_pick(&none_here, today), TillPick::Batch(1));
        // Its shelf holds only a recalled batch: refused, though a good batch exists elsewhere.
        let recalled_here =
            [c(1, "2026-01-01", Some("2027-01-01"), 3, true), c(2, "2026-02-01", Some("2027-05-01"), 0, false)];
        assert_eq!(till_pick(&recalled_here, today), TillPick::Refused(Refusal::Recalled { code: "L1".into() }));
        assert_eq!(till_pick(&[], today), TillPick::Unbatched);
        let expired = [c(5, "2025-01-01", Some("2026-06-01"), 1, false)];
        assert_eq!(
            till_pick(&expired, today),
            TillPick::Refused(Refusal::Expired { code: "L5".into(), on: d("2026-06-01") })
        );
        assert!(check_named(&recalled_here[0], today).is_err());
        assert!(check_named(&recalled_here[1], today).is_ok());
        assert!(Refusal::Recalled { code: "L1".into() }.message().0.contains("thu hồi"));
    }
}
