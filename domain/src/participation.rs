//! Participation in modern channels, the figure the provincial plan sets at 50%: of the OCOP producers
//! holding a valid certificate at some time in the period, the share that sold through a modern
//! channel in it. Measured channels (the online store, each showroom) come from our own sales, net
//! of refunds; reported channels (supermarkets, other platforms) count only once the office verified
//! them. Pure: the store gathers the facts, this decides.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::certificate::{Certificate, DatePrecision};

/// The plan's target, in percent of OCOP producers.
pub const TARGET_PERCENT: i64 = 50;

/// A reporting period, both ends included (dates in Vietnam time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `2026` (a year), `2026-H1` / `2026-H2` (half-years, as the office reports), `2026-Q1`…`2026-Q4`
    /// (quarters), `2026-01`…`2026-12` (months), or `2026-01-01..2026-03-31` (custom).
    pub fn parse(s: &str) -> Result<Period, String> {
        let s = s.trim();
        let bad = || {
            format!(
                "“{s}”: kỳ phải là một tháng (2026-11), quý (2026-Q4), nửa năm (2026-H2), năm (2026) hoặc 2026-01-01..2026-03-31 / a period is a month (2026-11), a quarter (2026-Q4), a half-year (2026-H2), a year (2026) or 2026-01-01..2026-03-31"
            )
        };
        let month_end = |y: i32, m: u32| {
            NaiveDate::from_ymd_opt(y + (m == 12) as i32, m % 12 + 1, 1).and_then(|d| d.pred_opt()).ok_or_else(bad)
        };
        let date = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| bad());
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad);
        let period = if let Some((a, b)) = s.split_once("..") {
            Period { from: date(a)?, to: date(b)? }
        } else if let Some((y, half)) = s.split_once('-') {
            let y: i32 = y.parse().map_err(|_| bad())?;
            match half.to_ascii_uppercase().as_str() {
                "H1" => Period { from: ymd(y, 1, 1)?, to: ymd(y, 6, 30)? },
                "H2" => Period { from: ymd(y, 7, 1)?, to: ymd(y, 12, 31)? },
                q @ ("Q1" | "Q2" | "Q3" | "Q4") => {
                    let first = (q.as_bytes()[1] - b'1') as u32 * 3 + 1;
                    Period { from: ymd(y, first, 1)?, to: month_end(y, first + 2)? }
                }
                m if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                    let m: u32 = m.parse().map_err(|_| bad())?;
                    Period { from: ymd(y, m, 1)?, to: month_end(y, m.clamp(1, 12))? }
                }
                _ => return Err(bad()),
            }
        } else {
            let y: i32 = s.parse().map_err(|_| bad())?;
            Period { from: ymd(y, 1, 1)?, to: ymd(y, 12, 31)? }
        };
        if period.from > period.to
            || !(2000..=2100).contains(&period.from.year())
            || !(2000..=2100).contains(&period.to.year())
        {
            return Err(bad());
        }
        Ok(period)
    }

    /// What a page or an export was asked for: the current half-year when nothing was chosen.
    pub fn chosen(s: &str, today: NaiveDate) -> Result<Period, String> {
        if s.trim().is_empty() { Ok(Period::half_of(today)) } else { Period::parse(s) }
    }

    /// The half-year holding `day`.
    pub fn half_of(day: NaiveDate) -> Period {
        let half = if day.month() <= 6 { "H1" } else { "H2" };
        Period::parse(&format!("{}-{half}", day.year())).expect("a half-year parses")
    }

    /// The code `parse` reads back.
    pub fn code(&self) -> String {
        let y = self.from.year();
        let is = |m1, d1, m2, d2| {
            self.from == NaiveDate::from_ymd_opt(y, m1, d1).unwrap_or(NaiveDate::MIN)
                && self.to == NaiveDate::from_ymd_opt(y, m2, d2).unwrap_or(NaiveDate::MIN)
        };
        let whole_months = self.from.day() == 1
            && self.from.year() == self.to.year()
            && self.to.succ_opt().is_some_and(|d| d.day() == 1);
        let months = self.to.month() as i32 - self.from.month() as i32 + 1;
        if is(1, 1, 12, 31) {
            y.to_string()
        } else if is(1, 1, 6, 30) {
            format!("{y}-H1")
        } else if is(7, 1, 12, 31) {
            format!("{y}-H2")
        } else if whole_months && months == 3 && self.from.month() % 3 == 1 {
            format!("{y}-Q{}", self.from.month() / 3 + 1)
        } else if whole_months && months == 1 {
            format!("{y}-{:02}", self.from.month())
        } else {
            format!("{}..{}", self.from, self.to)
        }
    }

    /// The periods a picker offers around `today`, newest first: this and the last 12 months, this
    /// and the last 4 quarters, this and the last 2 half-years, this and the last 2 years.
    pub fn choices(today: NaiveDate) -> Vec<(PeriodKind, Period)> {
        let mut out = Vec::new();
        let (y, m) = (today.year(), today.month() as i32);
        let ym = |i: i32| {
            let n = y * 12 + (m - 1) - i;
            (n.div_euclid(12), n.rem_euclid(12) + 1)
        };
        for i in 0..13 {
            let (yy, mm) = ym(i);
            out.extend(Period::parse(&format!("{yy}-{mm:02}")).ok().map(|p| (PeriodKind::Month, p)));
        }
        for i in 0..5 {
            let (yy, mm) = ym(i * 3);
            out.extend(Period::parse(&format!("{yy}-Q{}", (mm - 1) / 3 + 1)).ok().map(|p| (PeriodKind::Quarter, p)));
        }
        for i in 0..3 {
            let (yy, mm) = ym(i * 6);
            out.extend(Period::parse(&format!("{yy}-H{}", (mm - 1) / 6 + 1)).ok().map(|p| (PeriodKind::Half, p)));
        }
        for i in 0..3 {
            out.extend(Period::parse(&(y - i).to_string()).ok().map(|p| (PeriodKind::Year, p)));
        }
        out
    }

    /// "6 tháng đầu năm 2026 / first half of 2026", …
    pub fn label(&self) -> (String, String) {
        let code = self.code();
        let y = self.from.year();
        match code.as_str() {
            c if c == y.to_string() => (format!("năm {y}"), format!("the year {y}")),
            c if c.ends_with("-H1") => (format!("6 tháng đầu năm {y}"), format!("first half of {y}")),
            c if c.ends_with("-H2") => (format!("6 tháng cuối năm {y}"), format!("second half of {y}")),
            c if c.contains("-Q") => {
                let q = &c[c.len() - 1..];
                (format!("quý {q} năm {y}"), format!("Q{q} {y}"))
            }
            c if c.len() == 7 => {
                (format!("tháng {}/{y}", self.from.month()), format!("{} {y}", self.from.format("%B")))
            }
            _ => {
                let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
                (format!("{} – {}", f(self.from), f(self.to)), format!("{} to {}", f(self.from), f(self.to)))
            }
        }
    }
}

/// What a period picker groups its choices by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodKind {
    Month,
    Quarter,
    Half,
    Year,
}

impl PeriodKind {
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            PeriodKind::Month => ("Tháng", "Months"),
            PeriodKind::Quarter => ("Quý", "Quarters"),
            PeriodKind::Half => ("Nửa năm", "Half-years"),
            PeriodKind::Year => ("Năm", "Years"),
        }
    }
}

/// A certificate as the dashboard needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertFact {
    pub producer_id: i64,
    pub stars: i32,
    /// OCOP group code of the product (1-6).
    pub group: String,
    pub decided_on: Option<NaiveDate>,
    pub year_only: bool,
    pub revoked_on: Option<NaiveDate>,
}

impl CertFact {
    /// Valid on at least one day of the period: decided by its end, not yet expired (earliest possible
    /// expiry, so a certificate only known by its year is not stretched) or revoked at its start.
    pub fn valid_during(&self, p: &Period) -> bool {
        let cert = Certificate {
            stars: crate::Stars::new(self.stars as i64).unwrap_or(crate::Stars::new(3).expect("3 stars")),
            decided_on: self.decided_on,
            precision: if self.year_only { DatePrecision::Year } else { DatePrecision::Day },
            revoked_on: self.revoked_on,
        };
        let (Some(decided), Some((last, _))) = (self.decided_on, cert.last_valid_range()) else { return false };
        // Not valid on the day of revocation.
        let last = self.revoked_on.and_then(|r| r.pred_opt()).map_or(last, |r| r.min(last));
        decided <= p.to && last >= p.from && decided <= last
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Channel {
    Online,
    /// A showroom, by its code.
    Showroom(String),
}

/// Net units a producer sold through a measured channel in the period (sales less refunds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSale {
    pub producer_id: i64,
    pub channel: Channel,
    pub units: i64,
}

/// A channel a producer declared (a supermarket, a platform), with the office's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedChannel {
    pub producer_id: i64,
    /// `supermarket` or `ecommerce`.
    pub kind: String,
    pub name: String,
    /// Selling there from, and until (open when None).
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub verified: bool,
}

impl ReportedChannel {
    fn counts_in(&self, p: &Period) -> bool {
        self.verified && self.from <= p.to && self.until.is_none_or(|u| u >= p.from)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerFact {
    pub id: i64,
    pub name: String,
    pub kind: Option<String>,
    pub district: Option<String>,
    pub commune: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub key: String,
    pub producers: usize,
    pub selling: usize,
}

impl Row {
    pub fn percent(&self) -> f64 {
        percent(self.selling, self.producers)
    }
}

pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participation {
    pub period: Period,
    /// OCOP producers: a certificate valid at some time in the period.
    pub producers: usize,
    /// Of them, selling through any modern channel (measured or verified reported).
    pub selling: usize,
    /// Selling through our own channels (online store or a showroom).
    pub measured: usize,
    /// Selling only through verified reported channels.
    pub reported_only: usize,
    /// Reports awaiting the office's verification (not counted).
    pub awaiting_verification: usize,
    pub by_channel: Vec<Row>,
    pub by_kind: Vec<Row>,
    pub by_district: Vec<Row>,
    pub by_commune: Vec<Row>,
    pub by_stars: Vec<Row>,
    /// A producer with products in several groups counts in each.
    pub by_group: Vec<Row>,
    /// OCOP producers in no modern channel: the office's to-do list.
    pub not_yet: Vec<ProducerFact>,
}

impl Participation {
    pub fn percent(&self) -> f64 {
        percent(self.selling, self.producers)
    }
    pub fn target_met(&self) -> bool {
        self.producers > 0 && self.selling as i64 * 100 >= TARGET_PERCENT * self.producers as i64
    }
}

fn rows(map: BTreeMap<String, (usize, usize)>) -> Vec<Row> {
    map.into_iter().map(|(key, (producers, selling))| Row { key, producers, selling }).collect()
}

pub fn compute(
    period: Period,
    producers: &[ProducerFact],
    certs: &[CertFact],
    sales: &[ChannelSale],
    reported: &[ReportedChannel],
) -> Participation {
    let mut stars: BTreeMap<i64, i32> = BTreeMap::new();
    let mut groups: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for c in certs.iter().filter(|c| c.valid_during(&period)) {
        let s = stars.entry(c.producer_id).or_insert(0);
        *s = (*s).max(c.stars);
        groups.entry(c.producer_id).or_default().insert(c.group.clone());
    }
    let mut net: BTreeMap<(i64, Channel), i64> = BTreeMap::new();
    for s in sales {
        *net.entry((s.producer_id, s.channel.clone())).or_insert(0) += s.units;
    }
    let measured: BTreeSet<i64> = net.iter().filter(|(_, u)| **u > 0).map(|((p, _), _)| *p).collect();
    let reported_ok: BTreeSet<i64> = reported.iter().filter(|r| r.counts_in(&period)).map(|r| r.producer_id).collect();

    let ocop: Vec<&ProducerFact> = producers.iter().filter(|p| stars.contains_key(&p.id)).collect();
    let sells = |id: i64| measured.contains(&id) || reported_ok.contains(&id);
    let mut out = Participation {
        period,
        producers: ocop.len(),
        selling: ocop.iter().filter(|p| sells(p.id)).count(),
        measured: ocop.iter().filter(|p| measured.contains(&p.id)).count(),
        reported_only: ocop.iter().filter(|p| !measured.contains(&p.id) && reported_ok.contains(&p.id)).count(),
        awaiting_verification: reported
            .iter()
            .filter(|r| {
                !r.verified
                    && r.from <= period.to
                    && r.until.is_none_or(|u| u >= period.from)
                    && stars.contains_key(&r.producer_id)
                    && !measured.contains(&r.producer_id)
                    && !reported_ok.contains(&r.producer_id)
            })
            .map(|r| r.producer_id)
            .collect::<BTreeSet<_>>()
            .len(),
        by_channel: Vec::new(),
        by_kind: Vec::new(),
        by_district: Vec::new(),
        by_commune: Vec::new(),
        by_stars: Vec::new(),
        by_group: Vec::new(),
        not_yet: ocop.iter().filter(|p| !sells(p.id)).map(|p| (*p).clone()).collect(),
    };
    let tally = |key: &dyn Fn(&ProducerFact) -> Vec<String>| {
        let mut m: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for p in &ocop {
            for k in key(p) {
                let e = m.entry(k).or_default();
                e.0 += 1;
                e.1 += sells(p.id) as usize;
            }
        }
        rows(m)
    };
    let unknown = || "—".to_string();
    out.by_kind = tally(&|p| vec![p.kind.clone().unwrap_or_else(unknown)]);
    out.by_district = tally(&|p| vec![p.district.clone().unwrap_or_else(unknown)]);
    out.by_commune = tally(&|p| vec![p.commune.clone().unwrap_or_else(unknown)]);
    out.by_stars = tally(&|p| vec![format!("{}★", stars[&p.id])]);
    out.by_group = tally(&|p| groups[&p.id].iter().cloned().collect());
    // Per channel: producers (of the OCOP ones) selling there; reported channels by kind.
    let mut ch: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for ((p, c), u) in &net {
        if *u > 0 && stars.contains_key(p) {
            let key = match c {
                Channel::Online => "online".to_string(),
                Channel::Showroom(code) => format!("showroom:{code}"),
            };
            let e = ch.entry(key).or_default();
            e.0 = out.producers;
            e.1 += 1;
        }
    }
    let reporting: BTreeSet<(String, i64)> = reported
        .iter()
        .filter(|r| r.counts_in(&period) && stars.contains_key(&r.producer_id))
        .map(|r| (r.kind.clone(), r.producer_id))
        .collect();
    for (kind, _) in reporting {
        let e = ch.entry(format!("reported:{kind}")).or_default();
        e.0 = out.producers;
        e.1 += 1;
    }
    out.by_channel = rows(ch);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn producer(id: i64, kind: &str, district: &str) -> ProducerFact {
        ProducerFact {
            id,
            name: format!("P{id}"),
            kind: Some(kind.into()),
            district: Some(district.into()),
            commune: None,
        }
    }

    fn cert(producer_id: i64, stars: i32, group: &str, decided: &str) -> CertFact {
        CertFact {
            producer_id,
            stars,
            group: group.into(),
            decided_on: Some(d(decided)),
            year_only: false,
            revoked_on: None,
        }
    }

    #[test]
    fn periods_read_as_the_office_writes_them() {
        assert_eq!(Period::parse("2026-H1").unwrap(), Period { from: d("2026-01-01"), to: d("2026-06-30") });
        assert_eq!(Period::parse("2026").unwrap().code(), "2026");
        assert_eq!(Period::parse("2026-H2").unwrap().label().1, "second half of 2026");
        let custom = Period::parse("2026-03-02..2026-03-31").unwrap();
        assert_eq!(custom.code(), "2026-03-02..2026-03-31");
        // A range that is a whole month or quarter reads back as one.
        assert_eq!(Period::parse("2026-03-01..2026-03-31").unwrap().code(), "2026-03");
        assert!(Period::parse("2026-04-01..2026-03-01").is_err(), "backwards");
        assert!(Period::parse("last year").unwrap_err().contains("2026-Q4"), "the message shows the forms");
        assert_eq!(Period::half_of(d("2026-11-28")).code(), "2026-H2");
    }

    #[test]
    fn months_and_quarters_end_on_their_last_day() {
        assert_eq!(Period::parse("2028-02").unwrap(), Period { from: d("2028-02-01"), to: d("2028-02-29") });
        assert_eq!(Period::parse("2026-02").unwrap().to, d("2026-02-28"));
        assert_eq!(Period::parse("2026-12").unwrap().to, d("2026-12-31"));
        assert_eq!(Period::parse("2026-Q4").unwrap(), Period { from: d("2026-10-01"), to: d("2026-12-31") });
        assert_eq!(Period::parse("2026-q1").unwrap().to, d("2026-03-31"));
        for code in ["2026-01", "2026-11", "2026-Q2", "2026-Q4", "2026-H1", "2026"] {
            assert_eq!(Period::parse(code).unwrap().code(), code);
        }
        assert_eq!(Period::parse("2026-Q3").unwrap().label(), ("quý 3 năm 2026".into(), "Q3 2026".into()));
        assert_eq!(Period::parse("2026-11").unwrap().label(), ("tháng 11/2026".into(), "November 2026".into()));
        assert!(
            Period::parse("2026-13").is_err() && Period::parse("2026-00").is_err() && Period::parse("2026-Q5").is_err()
        );
    }

    #[test]
    fn the_picker_offers_recent_periods_across_a_new_year() {
        let c = Period::choices(d("2027-01-15"));
        let codes: Vec<String> = c.iter().map(|(_, p)| p.code()).collect();
        assert_eq!(&codes[..3], ["2027-01", "2026-12", "2026-11"]);
        assert!(codes.contains(&"2026-01".to_string()) && !codes.contains(&"2025-12".to_string()));
        let quarters: Vec<&String> =
            c.iter().zip(&codes).filter(|((k, _), _)| *k == PeriodKind::Quarter).map(|(_, c)| c).collect();
        assert_eq!(quarters, ["2027-Q1", "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1"]);
        assert!(codes.contains(&"2026-H2".to_string()) && codes.contains(&"2025".to_string()));
    }

    /// Worked by hand for the first half of 2026:
    /// - P1 HTX, 4★ valid all period, sold online 3 units → selling (measured).
    /// - P2 DN, 3★ expired 2026-03-01 (decided 2023-03-01), sold at showroom MN → OCOP in the period, selling.
    /// - P3 HKD, 3★ valid, sold 2 online and 2 refunded → net 0: not selling; a verified Co.opmart report
    ///   from 2025 → selling (reported only).
    /// - P4 HKD, 5★ valid, a pending Shopee report only → not selling, awaiting verification.
    /// - P5 HTX, certificate decided 2026-07-10 (after the period) → not an OCOP producer in H1.
    /// - P6 THT, 3★ revoked 2025-12-01 → not OCOP in H1, though it sold online.
    ///
    /// OCOP producers: P1-P4 = 4; selling: P1, P2, P3 = 3 → 75%, target met; measured 2, reported only 1.
    #[test]
    fn the_share_counts_producers_certified_in_the_period_selling_net_of_refunds_with_verified_reports() {
        let period = Period::parse("2026-H1").unwrap();
        let producers = vec![
            producer(1, "htx", "Tuy Phong"),
            producer(2, "dn", "Phan Thiết"),
            producer(3, "hkd", "Phan Thiết"),
            producer(4, "hkd", "Bắc Bình"),
            producer(5, "htx", "Tuy Phong"),
            producer(6, "tht", "Đức Linh"),
        ];
        let mut revoked = cert(6, 3, "1", "2024-05-01");
        revoked.revoked_on = Some(d("2025-12-01"));
        let certs = vec![
            cert(1, 4, "1", "2025-02-01"),
            cert(1, 3, "2", "2024-02-01"),
            cert(2, 3, "2", "2023-03-01"),
            cert(3, 3, "1", "2024-09-01"),
            cert(4, 5, "4", "2025-10-01"),
            cert(5, 3, "1", "2026-07-10"),
            revoked,
        ];
        let sale = |p, channel: Channel, units| ChannelSale { producer_id: p, channel, units };
        let sales = vec![
            sale(1, Channel::Online, 3),
            sale(2, Channel::Showroom("MN".into()), 1),
            sale(3, Channel::Online, 2),
            sale(3, Channel::Online, -2),
            sale(6, Channel::Online, 4),
        ];
        let report = |p, name: &str, verified| ReportedChannel {
            producer_id: p,
            kind: if name == "Shopee" { "ecommerce".into() } else { "supermarket".into() },
            name: name.into(),
            from: d("2025-06-01"),
            until: None,
            verified,
        };
        let reported = vec![report(3, "Co.opmart Phan Thiết", true), report(4, "Shopee", false)];
        let p = compute(period, &producers, &certs, &sales, &reported);
        assert_eq!((p.producers, p.selling, p.measured, p.reported_only), (4, 3, 2, 1));
        assert_eq!(p.percent(), 75.0);
        assert!(p.target_met());
        assert_eq!(p.awaiting_verification, 1);
        assert_eq!(p.not_yet.iter().map(|x| x.id).collect::<Vec<_>>(), [4]);
        let row = |rows: &[Row], key: &str| rows.iter().find(|r| r.key == key).map(|r| (r.producers, r.selling));
        assert_eq!(row(&p.by_kind, "hkd"), Some((2, 1)));
        assert_eq!(row(&p.by_kind, "htx"), Some((1, 1)), "P5 is not OCOP in H1");
        assert_eq!(row(&p.by_stars, "4★"), Some((1, 1)), "P1 counts at its best valid rating");
        assert_eq!(row(&p.by_stars, "5★"), Some((1, 0)));
        assert_eq!(row(&p.by_group, "2"), Some((2, 2)), "P1 (also group 1) and P2");
        assert_eq!(row(&p.by_district, "Phan Thiết"), Some((2, 2)));
        assert_eq!(row(&p.by_channel, "online"), Some((4, 1)), "P3's refunded sale and P6 do not count");
        assert_eq!(row(&p.by_channel, "showroom:MN"), Some((4, 1)));
        assert_eq!(row(&p.by_channel, "reported:supermarket"), Some((4, 1)));
        // One producer fewer selling: 2 of 4 is still the 50% target; 1 of 4 is not.
        let p = compute(period, &producers, &certs, &sales[1..], &reported);
        assert_eq!((p.selling, p.target_met()), (2, true));
        let p = compute(period, &producers, &certs, &sales[1..], &[]);
        assert_eq!((p.selling, p.target_met()), (1, false));
    }
}
