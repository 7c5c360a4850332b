//! A producer's settlement statement for a period: what its goods sold for in each channel, the
//! marketplace's commission on that, and what is due to it. Pure: the store hands over the
//! period's receipts that hold the producer's goods, this works out its share of each.
//!
//! A receipt's total is shared out over its lines by their gross values, so a showroom discount
//! (or the part of it a refund gave back) lowers every line pro rata; a gift combo's share is split
//! over its parts by their list prices, so each producer in the box gets its part.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::participation::{Channel, Period};

/// `amount` shared out in proportion to `weights`, to the đồng: largest remainders get the leftover
/// đồng, so the parts always add up to `amount`. Equal parts when no weight is positive.
pub fn allocate(amount: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let weights: Vec<i128> = if weights.iter().any(|w| *w > 0) {
        weights.iter().map(|w| (*w).max(0) as i128).collect()
    } else {
        vec![1; weights.len()]
    };
    let sum: i128 = weights.iter().sum();
    let (sign, amount) = (amount.signum() as i128, (amount as i128).abs());
    let mut parts: Vec<i128> = weights.iter().map(|w| amount * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Ties go to the earlier line, so the same receipt always splits the same way.
    order.sort_by_key(|&i| (std::cmp::Reverse(amount * weights[i] % sum), i));
    let short = amount - parts.iter().sum::<i128>();
    for &i in order.iter().take(short as usize) {
        parts[i] += 1;
    }
    parts.into_iter().map(|p| (sign * p) as i64).collect()
}

/// Who a receipt line's money belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Producer(i64),
    /// A gift combo: its parts as (producer, list price × quantity in one box, units in one box).
    Combo(Vec<ComboPart>),
    /// Goods with no producer on record: they take their share of the total, owed to no one here.
    Nobody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComboPart {
    /// None for goods with no producer on record: they take their share, owed to no one here.
    pub producer_id: Option<i64>,
    pub weight: i64,
    pub units: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub owner: Owner,
    pub qty: i64,
    /// Gross value of the line (unit price × quantity), before any discount.
    pub line_total: i64,
}

/// One online order or showroom sale/refund, with all its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub channel: Channel,
    /// `YYYY-MM` in Vietnam time.
    pub month: String,
    pub refund: bool,
    /// What the customer paid for the goods (or got back), delivery excluded.
    pub total: i64,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// Net units (sold less returned).
    pub units: i64,
    pub sales: i64,
    pub refunds: i64,
    pub net: i64,
    pub commission: i64,
    pub due: i64,
}

impl Amounts {
    fn add(&mut self, o: &Amounts) {
        self.units += o.units;
        self.sales += o.sales;
        self.refunds += o.refunds;
        self.net += o.net;
        self.commission += o.commission;
        self.due += o.due;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub period: Period,
    /// Commission in basis points (1/100 of a percent).
    pub commission_bps: u32,
    pub by_channel: Vec<(Channel, Amounts)>,
    /// Net sales per month and channel, for the producer's own view of its trend.
    pub by_month: Vec<(String, Channel, i64)>,
    pub total: Amounts,
    /// Tax withheld on the producer's online sales (Decree 117), when it is withheld for.
    #[serde(default)]
    pub withholding: Option<crate::tax::Withholding>,
}

impl Statement {
    /// What is transferred to the producer: due, less tax withheld.
    pub fn paid(&self) -> i64 {
        self.total.due - self.withholding.as_ref().map_or(0, |w| w.total.vat() + w.total.pit())
    }
}

/// A channel as people name it, Vietnamese and English.
pub fn channel_label(c: &Channel) -> (String, String) {
    match c {
        Channel::Online => ("Cửa hàng trực tuyến".into(), "Online store".into()),
        Channel::Showroom(code) => (format!("Điểm bán {code}"), format!("Showroom {code}")),
    }
}

/// Commission on a net amount, rounded half away from zero to the đồng.
pub fn commission(net: i64, bps: u32) -> i64 {
    let x = net as i128 * bps as i128;
    let q = (x.abs() + 5_000) / 10_000;
    (x.signum() * q) as i64
}

/// The producer's share of each receipt, by channel and month, with commission and amount due.
pub fn statement(period: Period, commission_bps: u32, producer_id: i64, receipts: &[Receipt]) -> Statement {
    let mut channels: BTreeMap<Channel, Amounts> = BTreeMap::new();
    let mut months: BTreeMap<(String, Channel), i64> = BTreeMap::new();
    for r in receipts {
        let shares = allocate(r.total, &r.lines.iter().map(|l| l.line_total).collect::<Vec<_>>());
        let (mut units, mut money) = (0i64, 0i64);
        for (line, share) in r.lines.iter().zip(shares) {
            match &line.owner {
                Owner::Producer(p) if *p == producer_id => {
                    units += line.qty;
                    money += share;
                }
                Owner::Combo(parts) => {
                    let split = allocate(share, &parts.iter().map(|p| p.weight).collect::<Vec<_>>());
                    for (part, m) in parts.iter().zip(split) {
                        if part.producer_id == Some(producer_id) {
                            units += line.qty * part.units;
                            money += m;
                        }
                    }
                }
                _ => {}
            }
        }
        if units == 0 && money == 0 {
            continue;
        }
        let a = channels.entry(r.channel.clone()).or_default();
        if r.refund {
            a.units -= units;
            a.refunds += money;
        } else {
            a.units += units;
            a.sales += money;
        }
        *months.entry((r.month.clone(), r.channel.clone())).or_default() += if r.refund { -money } else { money };
    }
    let mut total = Amounts::default();
    let by_channel = channels
        .into_iter()
        .map(|(c, mut a)| {
            a.net = a.sales - a.refunds;
            a.commission = commission(a.net, commission_bps);
            a.due = a.net - a.commission;
            total.add(&a);
            (c, a)
        })
        .collect();
    Statement {
        period,
        commission_bps,
        by_channel,
        by_month: months.into_iter().map(|((m, c), v)| (m, c, v)).collect(),
        total,
        withholding: None,
    }
}

/// 1000 → "10%", 850 → "8.5%", 825 → "8.25%".
pub fn percent_text(bps: u32) -> String {
    match (bps / 100, bps % 100) {
        (w, 0) => format!("{w}%"),
        (w, f) if f % 10 == 0 => format!("{w}.{}%", f / 10),
        (w, f) => format!("{w}.{f:02}%"),
    }
}

/// `8.5` → 850 basis points; 0 to 100 percent, at most two decimals.
pub fn parse_percent(s: &str) -> Result<u32, String> {
    let bad = || format!("“{s}”: a commission is a percentage from 0 to 100 with at most two decimals, e.g. 10 or 8.5");
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bps = whole.checked_mul(100).and_then(|w| w.checked_add(frac)).ok_or_else(bad)?;
    if bps > 10_000 { Err(bad()) } else { Ok(bps) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn showroom(code: &str) -> Channel {
        Channel::Showroom(code.into())
    }

    #[test]
    fn allocation_adds_up_and_favours_the_largest_remainders() {
        assert_eq!(allocate(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(allocate(-100, &[1, 1, 1]), vec![-34, -33, -33]);
        assert_eq!(allocate(800_000, &[600_000, 200_000, 10_000]), vec![592_593, 197_531, 9_876]);
        assert_eq!(allocate(10, &[0, 0]), vec![5, 5]);
        assert_eq!(allocate(0, &[5, 7]), vec![0, 0]);
        assert!(allocate(5, &[]).is_empty());
    }

    #[test]
    fn commission_rounds_half_away_from_zero() {
        assert_eq!(commission(1_000_000, 1000), 100_000);
        assert_eq!(commission(12_345, 850), 1_049); // 1 049.325
        assert_eq!(commission(15, 1000), 2); // 1.5
        assert_eq!(commission(-15, 1000), -2);
        assert_eq!(parse_percent("10"), Ok(1000));
        assert_eq!(
            (percent_text(1000), percent_text(850), percent_text(825), percent_text(5)),
            ("10%".into(), "8.5%".into(), "8.25%".into(), "0.05%".into())
        );
        assert_eq!(parse_percent("8.5"), Ok(850));
        assert_eq!(parse_percent("0.25"), Ok(25));
        assert!(parse_percent("101").is_err());
        assert!(parse_percent("-1").is_err());
        assert!(parse_percent("8.555").is_err());
        assert!(parse_percent("ten").is_err());
    }

    /// Worked by hand. Producer 7 at 10% commission:
    /// - online order: 2 × 95 000 of its own = 190 000, 2 units;
    /// - showroom A sale: its 300 000 line and someone's 100 000 line, 40 000 discount → total 360 000;
    ///   its share 300/400 × 360 000 = 270 000, 1 unit;
    /// - showroom A refund of that line: refund total 270 000 (its part of the discount kept back), −1 unit;
    /// - showroom B sale of a gift combo at 500 000 (no discount), parts: producer 7's 2 × 150 000 and
    ///   producer 9's 1 × 200 000 → 7 gets 300/500 × 500 000 = 300 000, 2 units;
    /// - someone else's online order: nothing for 7.
    ///
    /// Online: sales 190 000, net 190 000, commission 19 000, due 171 000.
    /// A: sales 270 000, refunds 270 000, net 0, units 0. B: 300 000, commission 30 000, due 270 000.
    /// Total net 490 000, commission 49 000, due 441 000.
    #[test]
    fn statement_worked_by_hand() {
        let period = Period::parse("2026-H2").unwrap();
        let own = |qty, line_total| Line { owner: Owner::Producer(7), qty, line_total };
        let receipts = vec![
            Receipt {
                channel: Channel::Online,
                month: "2026-07".into(),
                refund: false,
                total: 190_000,
                lines: vec![own(2, 190_000)],
            },
            Receipt {
                channel: showroom("SR-A"),
                month: "2026-08".into(),
                refund: false,
                total: 360_000,
                lines: vec![own(1, 300_000), Line { owner: Owner::Producer(9), qty: 1, line_total: 100_000 }],
            },
            Receipt {
                channel: showroom("SR-A"),
                month: "2026-09".into(),
                refund: true,
                total: 270_000,
                lines: vec![own(1, 300_000)],
            },
            Receipt {
                channel: showroom("SR-B"),
                month: "2026-09".into(),
                refund: false,
                total: 500_000,
                lines: vec![Line {
                    owner: Owner::Combo(vec![
                        ComboPart { producer_id: Some(7), weight: 300_000, units: 2 },
                        ComboPart { producer_id: Some(9), weight: 200_000, units: 1 },
                    ]),
                    qty: 1,
                    line_total: 500_000,
                }],
            },
            Receipt {
                channel: Channel::Online,
                month: "2026-07".into(),
                refund: false,
                total: 50_000,
                lines: vec![Line { owner: Owner::Producer(9), qty: 1, line_total: 50_000 }],
            },
        ];
        let s = statement(period, 1000, 7, &receipts);
        let row = |c: &Channel| s.by_channel.iter().find(|(k, _)| k == c).unwrap().1.clone();
        assert_eq!(
            row(&Channel::Online),
            Amounts { units: 2, sales: 190_000, refunds: 0, net: 190_000, commission: 19_000, due: 171_000 }
        );
        assert_eq!(
            row(&showroom("SR-A")),
            Amounts { units: 0, sales: 270_000, refunds: 270_000, net: 0, commission: 0, due: 0 }
        );
        assert_eq!(
            row(&showroom("SR-B")),
            Amounts { units: 2, sales: 300_000, refunds: 0, net: 300_000, commission: 30_000, due: 270_000 }
        );
        assert_eq!((s.total.net, s.total.commission, s.total.due), (490_000, 49_000, 441_000));
        assert_eq!(
            s.by_month,
            vec![
                ("2026-07".to_string(), Channel::Online, 190_000),
                ("2026-08".to_string(), showroom("SR-A"), 270_000),
                ("2026-09".to_string(), showroom("SR-A"), -270_000),
                ("2026-09".to_string(), showroom("SR-B"), 300_000),
            ]
        );
        // Producer 9's statement from the same receipts: 100/400 × 360 000 + 200 000 + 50 000.
        let s9 = statement(period, 1000, 9, &receipts);
        assert_eq!(s9.total.net, 90_000 + 200_000 + 50_000);
        // A part with no producer on record keeps its share: 7 gets 300/600 of a 600 000 box, not all.
        let unowned = Receipt {
            channel: Channel::Online,
            month: "2026-10".into(),
            refund: false,
            total: 600_000,
            lines: vec![Line {
                owner: Owner::Combo(vec![
                    ComboPart { producer_id: Some(7), weight: 300_000, units: 1 },
                    ComboPart { producer_id: None, weight: 300_000, units: 1 },
                ]),
                qty: 1,
                line_total: 600_000,
            }],
        };
        assert_eq!(statement(period, 1000, 7, &[unowned]).total.net, 300_000);
    }
}
