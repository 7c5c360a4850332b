//! A till's shift in cash: the float it opens with, cash taken and given back, change for what a
//! customer hands over, and the count at closing set against what the drawer should hold.

use serde::{Deserialize, Serialize};

/// Vietnamese banknotes in circulation, largest first (coins are no longer used in practice).
pub const DENOMINATIONS: [i64; 9] = [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenderError {
    /// The customer handed over less than the cash part of the sale.
    Short {
        missing: i64,
    },
    Negative,
}

/// Change to give back for the cash part of a sale.
pub fn change_due(cash_part: i64, tendered: i64) -> Result<i64, TenderError> {
    if cash_part < 0 || tendered < 0 {
        return Err(TenderError::Negative);
    }
    if tendered < cash_part {
        return Err(TenderError::Short { missing: cash_part - tendered });
    }
    Ok(tendered - cash_part)
}

/// Change paid out in the fewest notes, largest first.
pub fn notes_for(mut amount: i64) -> Vec<(i64, u32)> {
    let mut out = Vec::new();
    for d in DENOMINATIONS {
        let n = amount / d;
        if n > 0 {
            out.push((d, n as u32));
            amount -= n * d;
        }
    }
    out
}

/// The cash a shift moved, from its sales and refunds as recorded at the till.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftCash {
    pub float: i64,
    /// Cash payments of sales (what settled the sale, not what was tendered).
    pub cash_sales: i64,
    /// Cash handed back for refunds.
    pub cash_refunds: i64,
    /// VietQR payments, confirmed or not: not in the drawer, reported beside it.
    pub transfers: i64,
    pub unconfirmed_transfers: i64,
}

impl ShiftCash {
    pub fn expected_in_drawer(&self) -> i64 {
        self.float + self.cash_sales - self.cash_refunds
    }
}

/// Notes counted at closing: (denomination, how many).
pub fn counted(notes: &[(i64, u32)]) -> Result<i64, String> {
    notes.iter().try_fold(0i64, |sum, (d, n)| {
        if DENOMINATIONS.contains(d) {
            Ok(sum + d * *n as i64)
        } else {
            Err(format!("{d} is not a Vietnamese banknote"))
        }
    })
}

/// The closing report's cash line: what should be there, what was counted, and the difference
/// (negative: short; positive: over).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub expected: i64,
    pub counted: i64,
    pub difference: i64,
}

pub fn close(cash: &ShiftCash, counted_total: i64) -> Closing {
    let expected = cash.expected_in_drawer();
    Closing { expected, counted: counted_total, difference: counted_total - expected }
}

/// Amounts a customer is likely to hand over for `total`, above it, for the till's quick-cash keys:
/// the total rounded up to the next 10.000, 50.000, 100.000, 200.000 and 500.000, at most three
/// (the two smallest and the largest, so a 500.000 note for a small sale is still one key).
pub fn quick_cash(total: i64) -> Vec<i64> {
    if total <= 0 {
        return Vec::new();
    }
    let mut out: Vec<i64> = Vec::new();
    for step in [10_000, 50_000, 100_000, 200_000, 500_000] {
        let up = (total + step - 1) / step * step;
        if up > total && !out.contains(&up) {
            out.push(up);
        }
    }
    out.sort_unstable();
    if out.len() > 3 {
        let last = *out.last().expect("more than three");
        out.truncate(2);
        out.push(last);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_what_was_handed_over_less_the_cash_part() {
        assert_eq!(change_due(185_000, 200_000), Ok(15_000));
        assert_eq!(change_due(185_000, 185_000), Ok(0));
        assert_eq!(change_due(185_000, 100_000), Err(TenderError::Short { missing: 85_000 }));
        assert_eq!(notes_for(15_000), [(10_000, 1), (5_000, 1)]);
        assert_eq!(
            notes_for(378_000),
            [(200_000, 1), (100_000, 1), (50_000, 1), (20_000, 1), (5_000, 1), (2_000, 1), (1_000, 1)]
        );
    }

    #[test]
    fn the_drawer_should_hold_the_float_plus_cash_sales_less_cash_refunds() {
        // Float 1.000.000; sales 95.000 cash + 180.000 split (100.000 cash, 80.000 VietQR); a 95.000 cash refund.
        let cash = ShiftCash {
            float: 1_000_000,
            cash_sales: 195_000,
            cash_refunds: 95_000,
            transfers: 80_000,
            unconfirmed_transfers: 80_000,
        };
        assert_eq!(cash.expected_in_drawer(), 1_100_000);
        let notes = [(500_000, 2), (50_000, 1), (20_000, 2), (5_000, 1)];
        let total = counted(&notes).unwrap();
        assert_eq!(total, 1_095_000);
        assert_eq!(close(&cash, total), Closing { expected: 1_100_000, counted: 1_095_000, difference: -5_000 });
        assert!(counted(&[(300_000, 1)]).is_err(), "no such note");
    }
    #[test]
    fn quick_cash_offers_the_notes_a_customer_hands_over() {
        assert_eq!(quick_cash(165_000), vec![170_000, 200_000, 500_000]);
        assert_eq!(quick_cash(12_000), vec![20_000, 50_000, 500_000]);
        assert_eq!(quick_cash(810_000), vec![850_000, 900_000, 1_000_000]);
        assert_eq!(quick_cash(500_000), vec![600_000], "a round total: nothing equal to it");
        assert!(quick_cash(0).is_empty());
    }
}
