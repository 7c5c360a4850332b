//! How far a recall reaches: every order and showroom sale that still holds units of the batch
//! (refunds and returns offset their sale), the shoppers to tell, and what is left on each shelf.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecallStatus {
    Open,
    Closed,
}

impl RecallStatus {
    pub fn code(self) -> &'static str {
        match self {
            RecallStatus::Open => "open",
            RecallStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<RecallStatus> {
        match s {
            "open" => Some(RecallStatus::Open),
            "closed" => Some(RecallStatus::Closed),
            _ => None,
        }
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            RecallStatus::Open => ("Đang thu hồi", "Recall open"),
            RecallStatus::Closed => ("Đã kết thúc thu hồi", "Recall closed"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Showroom,
}

/// Units of the batch one order or sale took (negative for a refund of it). `reference` is the
/// order number, or the sale's id with `receipt` its receipt number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Take {
    pub channel: Channel,
    pub reference: String,
    pub receipt: String,
    pub location: String,
    pub qty: i64,
    /// The batch was assumed first-expiring-first-out, not named by whoever packed or scanned.
    pub assumed: bool,
    /// The shopper's email, for orders.
    pub contact: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reach {
    /// Orders and sales still holding units, each once with its net units; oldest first.
    pub orders: Vec<Take>,
    pub sales: Vec<Take>,
    /// Shoppers to notify: each address once, as written in lower case.
    pub notify: Vec<String>,
    /// Units left per location, where any are.
    pub shelves: Vec<(String, i64)>,
    pub units_sold: i64,
    pub units_on_shelves: i64,
}

impl Reach {
    /// A recall closes once nothing of the batch is left on any shelf.
    pub fn may_close(&self) -> bool {
        self.units_on_shelves <= 0
    }
}

pub fn reach(takes: &[Take], shelves: &[(String, i64)]) -> Reach {
    let mut merged: Vec<Take> = Vec::new();
    for t in takes {
        match merged.iter_mut().find(|m| m.channel == t.channel && m.reference == t.reference) {
            Some(m) => {
                m.qty += t.qty;
                m.assumed |= t.assumed;
                m.at = m.at.min(t.at);
                if m.receipt.is_empty() {
                    m.receipt = t.receipt.clone();
                }
                if m.contact.is_none() {
                    m.contact = t.contact.clone();
                }
            }
            None => merged.push(t.clone()),
        }
    }
    merged.retain(|m| m.qty > 0);
    merged.sort_by(|a, b| (a.at, &a.reference).cmp(&(b.at, &b.reference)));
    let mut notify: Vec<String> = merged
        .iter()
        .filter(|m| m.channel == Channel::Online)
        .filter_map(|m| m.contact.as_deref())
        .map(|c| c.trim().to_lowercase())
        .filter(|c| c.contains('@'))
        .collect();
    notify.sort();
    notify.dedup();
    let mut by_place: Vec<(String, i64)> = Vec::new();
    for (place, qty) in shelves {
        match by_place.iter_mut().find(|(p, _)| p == place) {
            Some((_, q)) => *q += qty,
            None => by_place.push((place.clone(), *qty)),
        }
    }
    by_place.retain(|(_, q)| *q > 0);
    by_place.sort();
    let units_sold = merged.iter().map(|m| m.qty).sum();
    let units_on_shelves = by_place.iter().map(|(_, q)| q).sum();
    let (orders, sales) = merged.into_iter().partition(|m| m.channel == Channel::Online);
    Reach { orders, sales, notify, shelves: by_place, units_sold, units_on_shelves }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc()
    }

    fn take(channel: Channel, reference: &str, qty: i64, contact: Option<&str>, h: u32) -> Take {
        Take {
            channel,
            reference: reference.into(),
            receipt: String::new(),
            location: if channel == Channel::Online { "Kho online".into() } else { "Showroom Mũi Né".into() },
            qty,
            assumed: false,
            contact: contact.map(str::to_string),
            at: at(h),
        }
    }

    #[test]
    fn reach_nets_refunds_and_notifies_each_shopper_once() {
        use Channel::*;
        let takes = [
            take(Online, "OCOP-2", 2, Some("Lan@Example.vn "), 9),
            take(Online, "OCOP-1", 1, Some("lan@example.vn"), 8),
            take(Online, "OCOP-3", 1, Some("minh@example.vn"), 10),
            take(Online, "OCOP-3", -1, None, 11), // returned whole: no longer reached
            take(Showroom, "sale-a", 3, None, 12),
            take(Showroom, "sale-a", -1, None, 13), // one refunded at the counter
            take(Showroom, "sale-b", 1, None, 7),
            take(Online, "OCOP-4", 1, Some("no address"), 14),
        ];
        let shelves = [
            ("Showroom Mũi Né".to_string(), 4),
            ("Kho online".to_string(), 0),
            ("Showroom Mũi Né".to_string(), -1),
            ("Showroom Phan Thiết".to_string(), 2),
        ];
        let r = reach(&takes, &shelves);
        assert_eq!(
            r.orders.iter().map(|o| (o.reference.as_str(), o.qty)).collect::<Vec<_>>(),
            [("OCOP-1", 1), ("OCOP-2", 2), ("OCOP-4", 1)]
        );
        assert_eq!(
            r.sales.iter().map(|o| (o.reference.as_str(), o.qty)).collect::<Vec<_>>(),
            [("sale-b", 1), ("sale-a", 2)]
        );
        assert_eq!(r.notify, ["lan@example.vn"]);
        assert_eq!(r.shelves, [("Showroom Mũi Né".to_string(), 3), ("Showroom Phan Thiết".to_string(), 2)]);
        assert_eq!((r.units_sold, r.units_on_shelves), (7, 5));
        assert!(!r.may_close());
        assert!(reach(&takes, &[]).may_close());
    }

    #[test]
    fn an_assumed_batch_is_flagged_on_the_merged_line() {
        let mut a = take(Channel::Showroom, "sale-a", 1, None, 8);
        a.assumed = true;
        let b = take(Channel::Showroom, "sale-a", 1, None, 9);
        let r = reach(&[b, a], &[]);
        assert_eq!(r.sales.len(), 1);
        assert!(r.sales[0].assumed);
        assert_eq!(r.sales[0].at, at(8));
        assert_eq!(RecallStatus::parse("closed"), Some(RecallStatus::Closed));
    }
}
