//! The plan's other targets (Bình Thuận plan 3799/KH-UBND for 2021-2025), each with its figure for a
//! period, its target and whether it is met. Pure: the store counts, this judges.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ocop::ProducerKind;
use crate::participation::{Participation, Period, percent};

/// Plan targets, in one place.
pub const MIN_COOPERATIVE_PERCENT: f64 = 40.0;
pub const MIN_SME_PERCENT: f64 = 30.0;
pub const NEW_PRODUCTS_2021_2025: (i64, i64) = (80, 130);
pub const NATIONAL_FIVE_STAR_2021_2025: (i64, i64) = (3, 5);
pub const UPGRADES_PER_YEAR: (i64, i64) = (10, 15);
pub const SHOWROOMS: i64 = 4;
pub const PLAN_START: (i32, u32, u32) = (2021, 1, 1);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Stable id for pages, tests and exports.
    pub id: String,
    pub name_vi: String,
    pub name_en: String,
    /// The figure as exports write it (a count, a percentage with a point).
    pub value: String,
    /// The same figure as a number, for pages to write in the reader's language.
    pub figure: Figure,
    pub target_vi: String,
    pub target_en: String,
    /// None where the plan sets no threshold (shown for information).
    pub met: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Figure {
    Count(i64),
    Percent(f64),
}

/// A target's figure: the value string and the number, from one source.
fn count(n: i64) -> (String, Figure) {
    (n.to_string(), Figure::Count(n))
}

fn percent_figure(p: f64) -> (String, Figure) {
    (format!("{p:.1}%"), Figure::Percent(p))
}

/// A certificate as the targets need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertRecord {
    pub product_id: i64,
    pub stars: i32,
    /// `national`, `province`, `district` or None.
    pub level: Option<String>,
    /// `new`, `renewal` or `upgrade`.
    pub kind: String,
    pub decided_on: Option<NaiveDate>,
    pub last_valid_on: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowroomSales {
    pub code: String,
    pub name: String,
    /// Sales less refunds made in the period (a refund counts in its sale's period), and their net value in đồng.
    pub sales: i64,
    pub value: i64,
}

/// The online store's orders in a period: placed ones (refunded later included) less those refunded
/// in it, and their goods value (delivery excluded), the way settlement statements count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OnlineSales {
    pub orders: i64,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Counts {
    pub showrooms: Vec<ShowroomSales>,
    #[serde(default)]
    pub online: OnlineSales,
    /// Gift combos sold in the period (online and in showrooms, less refunds).
    pub combos_sold: i64,
}

fn plan_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(PLAN_START.0, PLAN_START.1, PLAN_START.2).expect("a date")
}

fn decided_within(c: &CertRecord, from: NaiveDate, to: NaiveDate) -> bool {
    c.decided_on.is_some_and(|d| d >= from && d <= to)
}

/// The yearly target scaled to the period's length, rounded up (a half-year of a 10-a-year target is 5).
fn scaled(per_year: i64, p: &Period) -> i64 {
    let days = (p.to - p.from).num_days() + 1;
    (per_year * days + 364) / 365
}

pub fn targets(p: &Participation, certs: &[CertRecord], counts: &Counts, today: NaiveDate) -> Vec<Target> {
    let period = p.period;
    let mut out = Vec::new();
    // Kinds are stored as codes (HTX, DN…); read them the way the rest of the domain does.
    let share = |kind: ProducerKind| {
        let n: usize = p.by_kind.iter().filter(|r| ProducerKind::parse(&r.key) == Ok(kind)).map(|r| r.producers).sum();
        percent(n, p.producers)
    };
    let (coop, sme) = (share(ProducerKind::Htx), share(ProducerKind::Dn));
    out.push(Target {
        id: "cooperatives".into(),
        name_vi: "Tỷ lệ hợp tác xã trong các chủ thể OCOP".into(),
        name_en: "Cooperatives among OCOP producers".into(),
        value: percent_figure(coop).0,
        figure: percent_figure(coop).1,
        target_vi: format!("≥ {MIN_COOPERATIVE_PERCENT:.0}%"),
        target_en: format!("at least {MIN_COOPERATIVE_PERCENT:.0}%"),
        met: Some(p.producers > 0 && coop >= MIN_COOPERATIVE_PERCENT),
    });
    out.push(Target {
        id: "smes".into(),
        name_vi: "Tỷ lệ doanh nghiệp nhỏ và vừa".into(),
        name_en: "SMEs among OCOP producers".into(),
        value: percent_figure(sme).0,
        figure: percent_figure(sme).1,
        target_vi: format!("≥ {MIN_SME_PERCENT:.0}%"),
        target_en: format!("at least {MIN_SME_PERCENT:.0}%"),
        met: Some(p.producers > 0 && sme >= MIN_SME_PERCENT),
    });
    let new_in_period =
        certs.iter().filter(|c| c.kind == "new" && c.stars >= 3 && decided_within(c, period.from, period.to)).count()
            as i64;
    let new_since_start =
        certs.iter().filter(|c| c.kind == "new" && c.stars >= 3 && decided_within(c, plan_start(), period.to)).count()
            as i64;
    out.push(Target {
        id: "new-products".into(),
        name_vi: format!("Sản phẩm được công nhận mới (trong kỳ: {new_in_period})"),
        name_en: format!("Newly certified products (in the period: {new_in_period})"),
        value: count(new_since_start).0,
        figure: count(new_since_start).1,
        target_vi: format!(
            "{}–{} sản phẩm 3★ trở lên, 2021–2025 (tính từ 2021 đến hết kỳ)",
            NEW_PRODUCTS_2021_2025.0, NEW_PRODUCTS_2021_2025.1
        ),
        target_en: format!(
            "{}-{} products at 3★ or more over 2021-2025 (counted from 2021 to the period's end)",
            NEW_PRODUCTS_2021_2025.0, NEW_PRODUCTS_2021_2025.1
        ),
        met: Some(new_since_start >= NEW_PRODUCTS_2021_2025.0),
    });
    let national = certs
        .iter()
        .filter(|c| {
            c.stars == 5 && c.level.as_deref() == Some("national") && decided_within(c, plan_start(), period.to)
        })
        .map(|c| c.product_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as i64;
    out.push(Target {
        id: "national-five-star".into(),
        name_vi: "Sản phẩm 5★ quốc gia".into(),
        name_en: "National 5★ products".into(),
        value: count(national).0,
        figure: count(national).1,
        target_vi: format!("{}–{} sản phẩm, 2021–2025", NATIONAL_FIVE_STAR_2021_2025.0, NATIONAL_FIVE_STAR_2021_2025.1),
        target_en: format!(
            "{}-{} products over 2021-2025",
            NATIONAL_FIVE_STAR_2021_2025.0, NATIONAL_FIVE_STAR_2021_2025.1
        ),
        met: Some(national >= NATIONAL_FIVE_STAR_2021_2025.0),
    });
    let upgrades =
        certs.iter().filter(|c| c.kind == "upgrade" && decided_within(c, period.from, period.to)).count() as i64;
    let need = scaled(UPGRADES_PER_YEAR.0, &period);
    out.push(Target {
        id: "upgrades".into(),
        name_vi: "Sản phẩm được nâng hạng trong kỳ".into(),
        name_en: "Products upgraded in the period".into(),
        value: count(upgrades).0,
        figure: count(upgrades).1,
        target_vi: format!("{}–{} mỗi năm (kỳ này: ≥ {need})", UPGRADES_PER_YEAR.0, UPGRADES_PER_YEAR.1),
        target_en: format!("{}-{} a year (this period: at least {need})", UPGRADES_PER_YEAR.0, UPGRADES_PER_YEAR.1),
        met: Some(upgrades >= need),
    });
    let reevaluated =
        certs.iter().filter(|c| c.kind == "renewal" && decided_within(c, period.from, period.to)).count() as i64;
    out.push(Target {
        id: "reevaluations".into(),
        name_vi: "Sản phẩm được đánh giá lại, công nhận lại trong kỳ".into(),
        name_en: "Products re-evaluated and re-certified in the period".into(),
        value: count(reevaluated).0,
        figure: count(reevaluated).1,
        target_vi: "mọi sản phẩm hết hạn trong kỳ".into(),
        target_en: "every product expiring in the period".into(),
        met: None,
    });
    // Certificates by product: the latest decides whether a product's expired one was renewed.
    let live = |c: &CertRecord, day: NaiveDate| {
        c.decided_on.is_some_and(|d| d <= day)
            && c.last_valid_on.is_some_and(|e| e >= day)
            && c.revoked_on.is_none_or(|r| r > day)
    };
    let mut expiring = 0;
    let mut lapsed = 0;
    let mut products: std::collections::BTreeMap<i64, Vec<&CertRecord>> = Default::default();
    for c in certs {
        products.entry(c.product_id).or_default().push(c);
    }
    for list in products.values() {
        let valid_now = list.iter().any(|c| live(c, today));
        let soon = list
            .iter()
            .filter(|c| live(c, today))
            .all(|c| c.last_valid_on.is_some_and(|e| (e - today).num_days() <= 90));
        if valid_now && soon {
            expiring += 1;
        }
        let ever_expired = list.iter().any(|c| c.last_valid_on.is_some_and(|e| e < today) && c.revoked_on.is_none());
        if !valid_now && ever_expired {
            lapsed += 1;
        }
    }
    out.push(Target {
        id: "expiring".into(),
        name_vi: "Sản phẩm có giấy chứng nhận hết hạn trong 90 ngày tới".into(),
        name_en: "Products whose certificate expires within 90 days".into(),
        value: count(expiring).0,
        figure: count(expiring).1,
        target_vi: "đánh giá lại trước khi hết hạn".into(),
        target_en: "re-evaluate before expiry".into(),
        met: None,
    });
    out.push(Target {
        id: "expired".into(),
        name_vi: "Sản phẩm đã hết hạn mà chưa được công nhận lại".into(),
        name_en: "Products expired and not re-certified".into(),
        value: count(lapsed).0,
        figure: count(lapsed).1,
        target_vi: "0 (kiểm tra lại và cấp lại)".into(),
        target_en: "0 (re-check and re-issue)".into(),
        met: Some(lapsed == 0),
    });
    // Operating: something stayed sold (a partly refunded sale still counts).
    let operating = counts.showrooms.iter().filter(|s| s.value > 0).count() as i64;
    out.push(Target {
        id: "showrooms".into(),
        name_vi: "Điểm giới thiệu và bán sản phẩm OCOP có bán hàng trong kỳ".into(),
        name_en: "OCOP showrooms selling in the period".into(),
        value: count(operating).0,
        figure: count(operating).1,
        target_vi: format!("{SHOWROOMS} điểm tại khu du lịch và đầu mối"),
        target_en: format!("{SHOWROOMS} at tourist sites and trade hubs"),
        met: Some(operating >= SHOWROOMS),
    });
    out.push(Target {
        id: "combos".into(),
        name_vi: "Combo quà tặng đã bán trong kỳ".into(),
        name_en: "Gift combos sold in the period".into(),
        value: count(counts.combos_sold).0,
        figure: count(counts.combos_sold).1,
        target_vi: "gắn với văn hoá địa phương (không định lượng)".into(),
        target_en: "tied to local culture (no number set)".into(),
        met: None,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participation::{Row, compute};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cert(product_id: i64, stars: i32, kind: &str, decided: &str) -> CertRecord {
        let decided = d(decided);
        CertRecord {
            product_id,
            stars,
            level: Some(if stars == 5 { "national" } else { "province" }.into()),
            kind: kind.into(),
            decided_on: Some(decided),
            last_valid_on: Some(crate::certificate::last_valid_day(decided)),
            revoked_on: None,
        }
    }

    fn by_id<'a>(t: &'a [Target], id: &str) -> &'a Target {
        t.iter().find(|x| x.id == id).unwrap()
    }

    /// Worked by hand, for 2026-H2 with today 2026-11-28:
    /// - 5 OCOP producers: 2 HTX (40% → met), 1 DN (20% → not met), 2 HKD.
    /// - Certificates: product 1 new 2022-03-01 (expired 2025-03-01, renewed 2025-02-20 → not lapsed);
    ///   product 2 new 2023-12-20 → expires 2026-12-20, 22 days away → expiring; product 3 new 2023-01-10,
    ///   expired 2026-01-10, no renewal → lapsed; product 4 new 2026-08-01 (in the period); product 5
    ///   upgrade to national 5★ 2026-09-15; product 6 upgrade 2026-03-01 (before the period).
    ///   New since 2021: products 1, 2, 3, 4 = 4 of 80 → not met; in the period 1. National 5★: 1 of 3.
    ///   Upgrades in the half-year: 1, need ⌈10 × 184/365⌉ = 6 → not met.
    /// - Showrooms: MN sold 12, PT refunded all it sold (0) → 1 operating of 4. Combos sold: 7.
    #[test]
    fn each_target_is_judged_on_a_fixture_worked_by_hand() {
        let period = Period::parse("2026-H2").unwrap();
        let mut p = compute(period, &[], &[], &[], &[]);
        p.producers = 5;
        p.by_kind = vec![
            Row { key: "DN".into(), producers: 1, selling: 0 },
            Row { key: "HKD".into(), producers: 2, selling: 0 },
            Row { key: "HTX".into(), producers: 2, selling: 1 },
        ];
        let certs = vec![
            cert(1, 3, "new", "2022-03-01"),
            cert(1, 3, "renewal", "2025-02-20"),
            cert(2, 4, "new", "2023-12-20"),
            cert(3, 3, "new", "2023-01-10"),
            cert(4, 3, "new", "2026-08-01"),
            cert(5, 5, "upgrade", "2026-09-15"),
            cert(6, 4, "upgrade", "2026-03-01"),
            // Re-certified in the period after its first certificate lapsed.
            cert(7, 3, "new", "2021-05-01"),
            cert(7, 3, "renewal", "2026-10-01"),
        ];
        let counts = Counts {
            showrooms: vec![
                ShowroomSales { code: "MN".into(), name: "Mũi Né".into(), sales: 12, value: 1_500_000 },
                ShowroomSales { code: "PT".into(), name: "Phan Thiết".into(), sales: 0, value: 0 },
            ],
            combos_sold: 7,
            ..Default::default()
        };
        let t = targets(&p, &certs, &counts, d("2026-11-28"));
        assert_eq!((by_id(&t, "cooperatives").value.as_str(), by_id(&t, "cooperatives").met), ("40.0%", Some(true)));
        assert_eq!((by_id(&t, "smes").value.as_str(), by_id(&t, "smes").met), ("20.0%", Some(false)));
        let new = by_id(&t, "new-products");
        assert_eq!((new.value.as_str(), new.met), ("5", Some(false)));
        assert!(new.name_en.contains("in the period: 1"));
        assert_eq!(
            (by_id(&t, "national-five-star").value.as_str(), by_id(&t, "national-five-star").met),
            ("1", Some(false))
        );
        let up = by_id(&t, "upgrades");
        assert_eq!((up.value.as_str(), up.met), ("1", Some(false)));
        assert!(up.target_en.contains("at least 6"));
        assert_eq!(by_id(&t, "reevaluations").value, "1", "product 7's, not product 1's of 2025");
        assert_eq!(by_id(&t, "expiring").value, "1");
        assert_eq!((by_id(&t, "expired").value.as_str(), by_id(&t, "expired").met), ("1", Some(false)));
        assert_eq!((by_id(&t, "showrooms").value.as_str(), by_id(&t, "showrooms").met), ("1", Some(false)));
        assert_eq!(by_id(&t, "combos").value, "7");
    }
}
