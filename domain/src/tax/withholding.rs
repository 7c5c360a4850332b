//! Withholding per period. Each sale is taxed on its own date, at the rate of that date for its
//! kind, and only if the producer was withholding on that date; each tax is rounded to the đồng per
//! sale (half up), so a sale's receipt and the declaration agree to the đồng. A return is offset in
//! the period it happens, at its sale's rate and status; what a period cannot absorb (a return
//! larger than that kind's withholding in the period) is carried to the next period, never declared
//! as negative tax.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ocop::{OcopGroup, ProducerKind};

/// What a line sold, for its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxKind {
    Goods,
    Service,
    /// Transport and services tied to goods.
    Transport,
    /// Not told: the highest rates apply.
    Unknown,
}

impl TaxKind {
    pub const ALL: [TaxKind; 4] = [TaxKind::Goods, TaxKind::Service, TaxKind::Transport, TaxKind::Unknown];

    /// By default from the product's OCOP group: community tourism services (group 6) are services,
    /// everything else is goods.
    pub fn for_group(g: OcopGroup) -> TaxKind {
        if g == OcopGroup::Tourism { TaxKind::Service } else { TaxKind::Goods }
    }

    pub fn code(self) -> &'static str {
        match self {
            TaxKind::Goods => "goods",
            TaxKind::Service => "service",
            TaxKind::Transport => "transport",
            TaxKind::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<TaxKind> {
        TaxKind::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            TaxKind::Goods => ("Hàng hoá", "Goods"),
            TaxKind::Service => ("Dịch vụ", "Services"),
            TaxKind::Transport => ("Vận tải, dịch vụ gắn với hàng hoá", "Transport, goods-related services"),
            TaxKind::Unknown => ("Chưa xác định (mức cao nhất)", "Not told (highest rates)"),
        }
    }
}

/// Whether the marketplace withholds for a producer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxStatus {
    /// A household business or an individual: withheld.
    Household,
    /// A cooperative group (tổ hợp tác): not a legal entity; its members are individuals doing
    /// business together, so it is withheld like them.
    CooperativeGroup,
    /// A business or cooperative: declares its own taxes; nothing withheld.
    DeclaresOwn,
}

impl TaxStatus {
    pub fn withholds(self) -> bool {
        self != TaxStatus::DeclaresOwn
    }

    pub fn for_kind(kind: Option<ProducerKind>) -> TaxStatus {
        match kind {
            Some(ProducerKind::Dn | ProducerKind::Htx) => TaxStatus::DeclaresOwn,
            Some(ProducerKind::Tht) => TaxStatus::CooperativeGroup,
            // An unknown kind is treated as the common case among OCOP sellers that the law covers.
            Some(ProducerKind::Hkd) | None => TaxStatus::Household,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TaxStatus::Household => "household",
            TaxStatus::CooperativeGroup => "cooperative_group",
            TaxStatus::DeclaresOwn => "declares_own",
        }
    }

    pub fn parse(s: &str) -> Option<TaxStatus> {
        [TaxStatus::Household, TaxStatus::CooperativeGroup, TaxStatus::DeclaresOwn].into_iter().find(|t| t.code() == s)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            TaxStatus::Household => {
                ("Hộ kinh doanh, cá nhân (sàn khấu trừ thuế)", "Household business or individual (withheld)")
            }
            TaxStatus::CooperativeGroup => ("Tổ hợp tác (sàn khấu trừ thuế)", "Cooperative group (withheld)"),
            TaxStatus::DeclaresOwn => ("Doanh nghiệp, HTX tự kê khai", "Business or cooperative (declares its own)"),
        }
    }
}

/// One row of the rate table: from `from` on, `kind` is withheld at these rates, in hundredths of a
/// percent (100 = 1%).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub from: NaiveDate,
    pub kind: TaxKind,
    pub vat_bp: i64,
    pub pit_bp: i64,
}

const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("a real date"),
    }
}

/// Decree 117/2025/NĐ-CP, Article 5 (VAT) and 6 (PIT), from 1 July 2025.
pub const RATES: &[Rate] = &[
    Rate { from: day(2025, 7, 1), kind: TaxKind::Goods, vat_bp: 100, pit_bp: 50 },
    Rate { from: day(2025, 7, 1), kind: TaxKind::Service, vat_bp: 500, pit_bp: 200 },
    Rate { from: day(2025, 7, 1), kind: TaxKind::Transport, vat_bp: 300, pit_bp: 150 },
    Rate { from: day(2025, 7, 1), kind: TaxKind::Unknown, vat_bp: 500, pit_bp: 200 },
];

/// The (VAT, PIT) rates in hundredths of a percent for `kind` on `on`, from `table`; None before
/// the law took effect.
pub fn rate_in(table: &[Rate], on: NaiveDate, kind: TaxKind) -> Option<(i64, i64)> {
    table.iter().filter(|r| r.kind == kind && r.from <= on).max_by_key(|r| r.from).map(|r| (r.vat_bp, r.pit_bp))
}

pub fn rate_on(on: NaiveDate, kind: TaxKind) -> Option<(i64, i64)> {
    rate_in(RATES, on, kind)
}

/// `amount` × `bp` / 10 000, to the đồng, half up (away from zero for a return).
fn share(amount: i64, bp: i64) -> i64 {
    let x = amount as i128 * bp as i128;
    let q = (x.abs() + 5_000) / 10_000;
    (x.signum() * q) as i64
}

/// A calendar month, the period withholding is declared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn of(d: NaiveDate) -> Period {
        Period { year: d.year(), month: d.month() }
    }

    pub fn next(self) -> Period {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { year: self.year, month: self.month + 1 }
        }
    }

    pub fn label(self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }

    /// `2026-12`, as a month input sends it.
    pub fn code(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    pub fn parse(s: &str) -> Option<Period> {
        let (y, m) = s.trim().split_once('-')?;
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month) && y.len() == 4).then_some(Period { year, month })
    }

    /// The first and last day.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a month parsed or made from a date");
        let next = self.next();
        let after = NaiveDate::from_ymd_opt(next.year, next.month, 1).expect("a month");
        (first, after.pred_opt().expect("a day before"))
    }
}

/// A successful online sale line of one producer, or a return of one (`returned_on` set: the units
/// came back that day, the money with them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    /// The day the sale counted (paid or delivered), in Vietnam.
    pub on: NaiveDate,
    pub kind: TaxKind,
    /// Gross revenue of the line, what the shopper paid for it.
    pub gross: i64,
    pub returned_on: Option<NaiveDate>,
}

/// One kind's figures in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindTotals {
    /// Gross revenue withheld on in the period (sales counted in it).
    pub gross: i64,
    /// Returns offset in the period (positive: the revenue that came back).
    pub returned: i64,
    pub vat: i64,
    pub pit: i64,
}

/// A period's withholding: by kind, and all kinds; what was carried in from earlier returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTotals {
    pub by_kind: BTreeMap<TaxKind, KindTotals>,
    /// Online revenue of the period on which nothing was withheld (the producer declared its own).
    pub not_withheld: i64,
}

impl PeriodTotals {
    pub fn vat(&self) -> i64 {
        self.by_kind.values().map(|k| k.vat).sum()
    }
    pub fn pit(&self) -> i64 {
        self.by_kind.values().map(|k| k.pit).sum()
    }
    pub fn gross(&self) -> i64 {
        self.by_kind.values().map(|k| k.gross).sum()
    }
    pub fn returned(&self) -> i64 {
        self.by_kind.values().map(|k| k.returned).sum()
    }
}

/// A producer's withholding as its statement shows it: its status today, tax code, and each month
/// of the statement's period with the months' sum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withholding {
    pub status: Option<TaxStatus>,
    pub tax_code: Option<String>,
    pub months: Vec<(Period, PeriodTotals)>,
    pub total: PeriodTotals,
}

impl Withholding {
    pub fn new(status: TaxStatus, tax_code: Option<String>, months: Vec<(Period, PeriodTotals)>) -> Withholding {
        let mut total = PeriodTotals::default();
        for (_, t) in &months {
            total.not_withheld += t.not_withheld;
            for (k, v) in &t.by_kind {
                let a = total.by_kind.entry(*k).or_default();
                a.gross += v.gross;
                a.returned += v.returned;
                a.vat += v.vat;
                a.pit += v.pit;
            }
        }
        Withholding { status: Some(status), tax_code, months, total }
    }
}

/// The producer's status on each day: `(from, status)` changes, earliest first; before the first,
/// `initial`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusHistory {
    pub initial: TaxStatus,
    pub changes: Vec<(NaiveDate, TaxStatus)>,
}

impl StatusHistory {
    pub fn on(&self, d: NaiveDate) -> TaxStatus {
        self.changes
            .iter()
            .filter(|(from, _)| *from <= d)
            .max_by_key(|(from, _)| *from)
            .map(|(_, s)| *s)
            .unwrap_or(self.initial)
    }
}

/// Withholding per period for one producer's sales, with returns offset and carried as above.
pub fn withhold(sales: &[Sale], status: &StatusHistory) -> BTreeMap<Period, PeriodTotals> {
    withhold_in(RATES, sales, status)
}

pub fn withhold_in(table: &[Rate], sales: &[Sale], status: &StatusHistory) -> BTreeMap<Period, PeriodTotals> {
    let mut out: BTreeMap<Period, PeriodTotals> = BTreeMap::new();
    // (period it lands in, kind) → (gross, vat, pit) offsets, positive amounts to take off.
    let mut offsets: BTreeMap<(Period, TaxKind), (i64, i64, i64)> = BTreeMap::new();
    for s in sales {
        let withheld = status.on(s.on).withholds();
        let rate = rate_in(table, s.on, s.kind).filter(|_| withheld);
        let p = Period::of(s.on);
        match rate {
            Some((vat_bp, pit_bp)) => {
                let k = out.entry(p).or_default().by_kind.entry(s.kind).or_default();
                let (vat, pit) = (share(s.gross, vat_bp), share(s.gross, pit_bp));
                k.gross += s.gross;
                k.vat += vat;
                k.pit += pit;
                if let Some(back) = s.returned_on {
                    let o = offsets.entry((Period::of(back), s.kind)).or_default();
                    o.0 += s.gross;
                    o.1 += vat;
                    o.2 += pit;
                }
            }
            None => {
                let t = out.entry(p).or_default();
                t.not_withheld += s.gross;
                if let Some(back) = s.returned_on {
                    out.entry(Period::of(back)).or_default().not_withheld -= s.gross;
                }
            }
        }
    }
    // Offsets land in order; what a period's kind cannot absorb moves on to the next period, for
    // up to a year after the last period with anything in it.
    let periods = offsets.keys().map(|(p, _)| *p).chain(out.keys().copied());
    let (Some(first), Some(last)) = (periods.clone().min(), periods.max()) else { return out };
    let limit = (0..12).fold(last, |p, _| p.next());
    let mut carry: BTreeMap<TaxKind, (i64, i64, i64)> = BTreeMap::new();
    let mut p = first;
    while p <= limit {
        for kind in TaxKind::ALL {
            let mut due = carry.remove(&kind).unwrap_or_default();
            if let Some(o) = offsets.get(&(p, kind)) {
                due = (due.0 + o.0, due.1 + o.1, due.2 + o.2);
            }
            if due == (0, 0, 0) {
                continue;
            }
            let k = out.entry(p).or_default().by_kind.entry(kind).or_default();
            let (vat, pit) = (due.1.min(k.vat), due.2.min(k.pit));
            // Revenue offset in the same proportion as the tax it took off.
            let gross = if (vat, pit) == (due.1, due.2) || due.1 == 0 {
                due.0
            } else {
                (due.0 as i128 * vat as i128 / due.1 as i128) as i64
            };
            k.vat -= vat;
            k.pit -= pit;
            k.returned += gross;
            let left = (due.0 - gross, due.1 - vat, due.2 - pit);
            if left != (0, 0, 0) {
                carry.insert(kind, left);
            }
        }
        if p >= last && carry.is_empty() {
            break;
        }
        p = p.next();
    }
    out.retain(|_, t| !(t.by_kind.values().all(|k| *k == KindTotals::default()) && t.not_withheld == 0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn sale(on: &str, kind: TaxKind, gross: i64, returned_on: Option<&str>) -> Sale {
        Sale { on: d(on), kind, gross, returned_on: returned_on.map(d) }
    }

    fn household() -> StatusHistory {
        StatusHistory { initial: TaxStatus::Household, changes: vec![] }
    }

    #[test]
    fn goods_and_service_lines_are_withheld_at_their_rates_to_the_dong() {
        // By hand: 150.000 ₫ of fish sauce: VAT 1% = 1.500, PIT 0,5% = 750.
        // 333.333 ₫ of a homestay night: VAT 5% = 16.666,65 → 16.667; PIT 2% = 6.666,66 → 6.667.
        // 99 ₫ of goods: VAT 0,99 → 1; PIT 0,495 → 0 (half up only from 0,5).
        let sales = [
            sale("2026-11-03", TaxKind::Goods, 150_000, None),
            sale("2026-11-10", TaxKind::Service, 333_333, None),
            sale("2026-11-20", TaxKind::Goods, 99, None),
        ];
        let t = &withhold(&sales, &household())[&Period { year: 2026, month: 11 }];
        assert_eq!(t.by_kind[&TaxKind::Goods], KindTotals { gross: 150_099, returned: 0, vat: 1_501, pit: 750 });
        assert_eq!(t.by_kind[&TaxKind::Service], KindTotals { gross: 333_333, returned: 0, vat: 16_667, pit: 6_667 });
        assert_eq!((t.vat(), t.pit()), (18_168, 7_417));
        // Unknown kind: the highest rates; transport 3% + 1,5%.
        assert_eq!(rate_on(d("2026-11-01"), TaxKind::Unknown), Some((500, 200)));
        assert_eq!(rate_on(d("2026-11-01"), TaxKind::Transport), Some((300, 150)));
        assert_eq!(rate_on(d("2025-06-30"), TaxKind::Goods), None, "before the decree");
    }

    #[test]
    fn a_return_is_offset_in_its_own_period_or_the_next() {
        let sales = [
            // Returned within November: nets out in November.
            sale("2026-11-03", TaxKind::Goods, 200_000, Some("2026-11-12")),
            sale("2026-11-05", TaxKind::Goods, 100_000, None),
            // Sold in November, returned in December: offset in December against December's sales.
            sale("2026-11-28", TaxKind::Goods, 300_000, Some("2026-12-02")),
            sale("2026-12-10", TaxKind::Goods, 500_000, None),
        ];
        let out = withhold(&sales, &household());
        let nov = &out[&Period { year: 2026, month: 11 }].by_kind[&TaxKind::Goods];
        // Gross 600.000 (VAT 6.000, PIT 3.000), less the 200.000 returned (2.000 and 1.000).
        assert_eq!(*nov, KindTotals { gross: 600_000, returned: 200_000, vat: 4_000, pit: 2_000 });
        let dec = &out[&Period { year: 2026, month: 12 }].by_kind[&TaxKind::Goods];
        // 500.000 (5.000, 2.500) less the November sale's 300.000 (3.000, 1.500).
        assert_eq!(*dec, KindTotals { gross: 500_000, returned: 300_000, vat: 2_000, pit: 1_000 });
    }

    #[test]
    fn a_return_larger_than_its_period_carries_on_and_is_never_negative() {
        let sales = [
            sale("2026-10-20", TaxKind::Goods, 400_000, Some("2026-11-02")),
            sale("2026-11-15", TaxKind::Goods, 100_000, None),
            sale("2026-12-15", TaxKind::Goods, 500_000, None),
        ];
        let out = withhold(&sales, &household());
        let nov = &out[&Period { year: 2026, month: 11 }].by_kind[&TaxKind::Goods];
        assert_eq!((nov.vat, nov.pit), (0, 0), "November's 1.000 and 500 absorb part of the 4.000 and 2.000");
        assert_eq!(nov.returned, 100_000);
        let dec = &out[&Period { year: 2026, month: 12 }].by_kind[&TaxKind::Goods];
        assert_eq!((dec.vat, dec.pit, dec.returned), (5_000 - 3_000, 2_500 - 1_500, 300_000));
    }

    #[test]
    fn a_producer_switching_status_mid_period_is_withheld_only_while_it_withholds() {
        let status =
            StatusHistory { initial: TaxStatus::Household, changes: vec![(d("2026-11-16"), TaxStatus::DeclaresOwn)] };
        let sales = [
            sale("2026-11-10", TaxKind::Goods, 100_000, None),
            sale("2026-11-20", TaxKind::Goods, 700_000, None),
            // Sold while withheld, returned after the switch: still offsets what was withheld.
            sale("2026-11-12", TaxKind::Goods, 50_000, Some("2026-11-25")),
        ];
        let t = &withhold(&sales, &status)[&Period { year: 2026, month: 11 }];
        assert_eq!(t.by_kind[&TaxKind::Goods], KindTotals { gross: 150_000, returned: 50_000, vat: 1_000, pit: 500 });
        assert_eq!(t.not_withheld, 700_000);
        assert_eq!(TaxStatus::for_kind(Some(ProducerKind::Htx)), TaxStatus::DeclaresOwn);
        assert_eq!(TaxStatus::for_kind(Some(ProducerKind::Tht)), TaxStatus::CooperativeGroup);
        assert_eq!(TaxKind::for_group(OcopGroup::Tourism), TaxKind::Service);
    }

    #[test]
    fn a_new_row_in_the_rate_table_changes_the_rate_from_its_day() {
        let mut table = RATES.to_vec();
        table.push(Rate { from: d("2027-01-01"), kind: TaxKind::Goods, vat_bp: 150, pit_bp: 50 });
        assert_eq!(rate_in(&table, d("2026-12-31"), TaxKind::Goods), Some((100, 50)));
        assert_eq!(rate_in(&table, d("2027-01-01"), TaxKind::Goods), Some((150, 50)));
        let out = withhold_in(&table, &[sale("2027-01-05", TaxKind::Goods, 100_000, None)], &household());
        assert_eq!(out[&Period { year: 2027, month: 1 }].vat(), 1_500);
    }
}
