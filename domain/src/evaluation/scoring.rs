//! Council scoring. Each member fills the sheet alone; the product's score is the arithmetic mean of
//! the members' totals ("tổng điểm trung bình" in Decision 148, "điểm cộng trung bình của các thành
//! viên" in the provinces' council rules). Stars come from half-open bands on the exact mean (from 90;
//! from 70 to under 90; ...), so a mean of 69,5 is three stars: no rounding rule was found in force,
//! and rounding first would turn it into four. A mandatory criterion that a majority of members found
//! unmet caps the stars below its level (a tie counts as unmet: the product has to show it); a
//! disqualifying condition the council records means no stars at all.

use std::collections::BTreeMap;

use super::sheet::{PartCode, Sheet};
use crate::ocop::Stars;

/// One member's answers: criterion code → option code.
pub type Choices = BTreeMap<String, String>;

/// Members' totals further apart than this are shown to the council to discuss before it closes
/// (the 10-point rule of several provinces' council regulations).
pub const SPREAD_TO_DISCUSS: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("chưa chấm tiêu chí {0} / criterion {0} has no answer")]
    Unanswered(String),
    #[error("phiếu không có tiêu chí {0} / the sheet has no criterion {0}")]
    UnknownCriterion(String),
    #[error("tiêu chí {criterion} không có lựa chọn {option} / criterion {criterion} has no option {option}")]
    UnknownOption { criterion: String, option: String },
    #[error("phiếu không có điều kiện loại {0} / the sheet has no disqualifying condition {0}")]
    UnknownGate(String),
    #[error("chưa có phiếu chấm nào / no member has scored yet")]
    NoMembers,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartTotals {
    pub a: u32,
    pub b: u32,
    pub c: u32,
}

impl PartTotals {
    pub fn total(&self) -> u32 {
        self.a + self.b + self.c
    }

    pub fn get(&self, part: PartCode) -> u32 {
        match part {
            PartCode::A => self.a,
            PartCode::B => self.b,
            PartCode::C => self.c,
        }
    }
}

/// A member's part totals, once every criterion has one valid answer.
pub fn member_totals(sheet: &Sheet, choices: &Choices) -> Result<PartTotals, ScoreError> {
    for code in choices.keys() {
        if sheet.criterion(code).is_none() {
            return Err(ScoreError::UnknownCriterion(code.clone()));
        }
    }
    let mut t = PartTotals::default();
    for (part, c) in sheet.criteria() {
        let chosen = choices.get(&c.code).ok_or_else(|| ScoreError::Unanswered(c.code.clone()))?;
        let option = c
            .option(chosen)
            .ok_or_else(|| ScoreError::UnknownOption { criterion: c.code.clone(), option: chosen.clone() })?;
        match part {
            PartCode::A => t.a += option.points,
            PartCode::B => t.b += option.points,
            PartCode::C => t.c += option.points,
        }
    }
    Ok(t)
}

/// A score in hundredths of a point, rounded half up from the exact mean: 6957 is 69,57.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score100(pub i64);

impl Score100 {
    fn mean(sum: u64, n: u64) -> Score100 {
        Score100(((sum * 200 + n) / (2 * n)) as i64)
    }
}

impl std::fmt::Display for Score100 {
    /// Vietnamese decimals: 69,57; 70 when whole.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}"),
            n if n % 10 == 0 => write!(f, "{whole},{}", n / 10),
            n => write!(f, "{whole},{n:02}"),
        }
    }
}

/// What the council's scores decide for the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A disqualifying condition: not ranked, whatever the score.
    Disqualified,
    /// Rated one or two stars (or capped there by a mandatory criterion): not an OCOP product.
    NotRanked(Stars),
    /// Three or four stars: the province certifies.
    Ranked(Stars),
    /// Five stars by the province's council: the province certifies four stars and proposes the
    /// product to the Ministry, whose decision alone makes it five (Decision 1489/QĐ-TTg).
    ProposedFive,
}

impl Outcome {
    /// The stars on the province's certificate, if it issues one.
    pub fn province_stars(self) -> Option<Stars> {
        match self {
            Outcome::Ranked(s) => Some(s),
            Outcome::ProposedFive => Stars::new(4).ok(),
            Outcome::Disqualified | Outcome::NotRanked(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilResult {
    pub members: usize,
    pub totals: Vec<u32>,
    pub mean: Score100,
    /// Each part's mean, in hundredths.
    pub parts: [Score100; 3],
    /// The stars the score alone reaches.
    pub band: Stars,
    /// Mandatory criteria a majority found unmet, with the level each gates.
    pub unmet: Vec<(String, Stars)>,
    /// Disqualifying conditions the council recorded.
    pub disqualified: Vec<String>,
    /// Stars after mandatory criteria; none when disqualified.
    pub stars: Option<Stars>,
    pub outcome: Outcome,
}

impl CouncilResult {
    /// Highest member total minus lowest.
    pub fn spread(&self) -> u32 {
        self.totals.iter().max().unwrap_or(&0) - self.totals.iter().min().unwrap_or(&0)
    }

    pub fn needs_discussion(&self) -> bool {
        self.spread() > SPREAD_TO_DISCUSS
    }
}

/// Decision 148's bands on the exact mean `sum / n`: compared as `sum >= 90 n` and so on, never
/// through a rounded figure.
fn band(sum: u64, n: u64) -> Stars {
    let level = [(5, 90), (4, 70), (3, 50), (2, 30)].into_iter().find(|(_, min)| sum >= min * n).map_or(1, |(s, _)| s);
    Stars::new(level).expect("1 to 5")
}

pub fn council_result(
    sheet: &Sheet,
    members: &[Choices],
    disqualified: &[String],
) -> Result<CouncilResult, ScoreError> {
    if members.is_empty() {
        return Err(ScoreError::NoMembers);
    }
    for g in disqualified {
        if !sheet.gates.iter().any(|x| &x.code == g) {
            return Err(ScoreError::UnknownGate(g.clone()));
        }
    }
    let per_member = members.iter().map(|m| member_totals(sheet, m)).collect::<Result<Vec<_>, _>>()?;
    let n = members.len() as u64;
    let sum = |f: &dyn Fn(&PartTotals) -> u32| per_member.iter().map(|t| f(t) as u64).sum::<u64>();
    let total = sum(&|t| t.total());
    let parts = PartCode::ALL.map(|p| Score100::mean(sum(&|t| t.get(p)), n));
    let band = band(total, n);

    let mut unmet = Vec::new();
    for (_, c) in sheet.criteria() {
        let Some(level) = c.mandatory_from else { continue };
        let failed =
            members.iter().filter(|m| m.get(&c.code).and_then(|o| c.option(o)).is_some_and(|o| o.points == 0)).count();
        if failed * 2 >= members.len() {
            unmet.push((c.code.clone(), level));
        }
    }
    let capped = (1..=band.get())
        .rev()
        .find(|&s| s < 3 || unmet.iter().all(|(_, level)| level.get() > s))
        .and_then(|s| Stars::new(s as i64).ok())
        .expect("one star is never capped");
    let stars = disqualified.is_empty().then_some(capped);
    let outcome = match stars {
        None => Outcome::Disqualified,
        Some(s) if !s.is_ocop() => Outcome::NotRanked(s),
        Some(s) if s.get() == 5 => Outcome::ProposedFive,
        Some(s) => Outcome::Ranked(s),
    };
    Ok(CouncilResult {
        members: members.len(),
        totals: per_member.iter().map(PartTotals::total).collect(),
        mean: Score100::mean(total, n),
        parts,
        band,
        unmet,
        disqualified: disqualified.to_vec(),
        stars,
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::super::sheet::{SAMPLE_PROCESSED_FOOD, tests::tiny};
    use super::*;

    fn stars(n: i64) -> Stars {
        Stars::new(n).unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> Choices {
        pairs.iter().map(|(c, o)| (c.to_string(), o.to_string())).collect()
    }

    /// Answers on the sample sheet adding up to `total`: the best option everywhere, then lower
    /// options on criteria that are not mandatory until the total is reached; `fail` criteria get
    /// their 0-point option.
    fn scoring(sheet: &Sheet, total: u32, fail: &[&str]) -> Choices {
        let mut out = Choices::new();
        let mut sum = 0;
        for (_, c) in sheet.criteria() {
            let pick = if fail.contains(&c.code.as_str()) {
                c.options.iter().find(|o| o.points == 0).unwrap()
            } else {
                c.options.iter().max_by_key(|o| o.points).unwrap()
            };
            sum += pick.points;
            out.insert(c.code.clone(), pick.code.clone());
        }
        assert!(sum >= total, "cannot reach {total} from {sum}");
        let mut over = sum - total;
        for (_, c) in sheet.criteria().filter(|(_, c)| c.mandatory_from.is_none()) {
            let best = c.max_points();
            if let Some(o) = c.options.iter().filter(|o| best - o.points <= over).min_by_key(|o| o.points) {
                over -= best - o.points;
                out.insert(c.code.clone(), o.code.clone());
            }
        }
        assert_eq!(over, 0, "{total} not reachable");
        assert_eq!(member_totals(sheet, &out).unwrap().total(), total);
        out
    }

    #[test]
    fn a_members_total_is_the_sum_of_the_chosen_points_by_part() {
        // A0 and A1 are 20 each, B0 25, C0 35; every criterion is "no" (0) or "yes" (its points).
        let sheet = Sheet::parse(&tiny(&[20, 20], &[25], &[35])).unwrap();
        let one = answers(&[("A0", "b"), ("A1", "a"), ("B0", "b"), ("C0", "b")]);
        assert_eq!(member_totals(&sheet, &one).unwrap(), PartTotals { a: 20, b: 25, c: 35 });
        // Two members, 80 and 45: the mean is 62,5, three stars.
        let two = answers(&[("A0", "b"), ("A1", "a"), ("B0", "b"), ("C0", "a")]);
        let r = council_result(&sheet, &[one, two], &[]).unwrap();
        assert_eq!(r.totals, [80, 45]);
        assert_eq!(r.mean, Score100(6250));
        assert_eq!(r.mean.to_string(), "62,5");
        assert_eq!(r.parts, [Score100(2000), Score100(2500), Score100(1750)]);
        assert_eq!(r.outcome, Outcome::Ranked(stars(3)));
        assert_eq!(r.spread(), 35);
        assert!(r.needs_discussion(), "35 points apart is more than the 10 the council rules allow");
    }

    #[test]
    fn an_answer_missing_or_made_up_is_refused() {
        let sheet = Sheet::parse(&tiny(&[40], &[25], &[35])).unwrap();
        let short = answers(&[("A0", "b"), ("B0", "b")]);
        assert_eq!(member_totals(&sheet, &short), Err(ScoreError::Unanswered("C0".into())));
        let odd = answers(&[("A0", "b"), ("B0", "b"), ("C0", "z")]);
        assert_eq!(
            member_totals(&sheet, &odd),
            Err(ScoreError::UnknownOption { criterion: "C0".into(), option: "z".into() })
        );
        let extra = answers(&[("A0", "b"), ("B0", "b"), ("C0", "b"), ("D9", "a")]);
        assert_eq!(member_totals(&sheet, &extra), Err(ScoreError::UnknownCriterion("D9".into())));
        assert_eq!(council_result(&sheet, &[], &[]), Err(ScoreError::NoMembers));
        let full = answers(&[("A0", "b"), ("B0", "b"), ("C0", "b")]);
        assert_eq!(council_result(&sheet, &[full], &["G9".into()]), Err(ScoreError::UnknownGate("G9".into())));
    }

    #[test]
    fn a_mean_of_69_5_is_three_stars_and_89_67_is_four() {
        let sheet = Sheet::parse(SAMPLE_PROCESSED_FOOD).unwrap();
        let r = council_result(&sheet, &[scoring(&sheet, 70, &[]), scoring(&sheet, 69, &[])], &[]).unwrap();
        assert_eq!((r.mean, r.mean.to_string()), (Score100(6950), "69,5".into()));
        assert_eq!(r.outcome, Outcome::Ranked(stars(3)), "half-open bands: 70 means at least 70");
        // 90 + 91 + 88 = 269 < 3 × 90: 89,67, four stars, not proposed.
        let three = [scoring(&sheet, 90, &[]), scoring(&sheet, 91, &[]), scoring(&sheet, 88, &[])];
        let r = council_result(&sheet, &three, &[]).unwrap();
        assert_eq!((r.mean, r.mean.to_string()), (Score100(8967), "89,67".into()));
        assert_eq!(r.outcome, Outcome::Ranked(stars(4)));
        // Exactly on a threshold is in the upper band: 50 is three stars, 90 is five.
        let r = council_result(&sheet, &[scoring(&sheet, 50, &[]), scoring(&sheet, 50, &[])], &[]).unwrap();
        assert_eq!(r.outcome, Outcome::Ranked(stars(3)));
        let r = council_result(&sheet, &[scoring(&sheet, 92, &[]), scoring(&sheet, 88, &[])], &[]).unwrap();
        assert_eq!((r.mean, r.outcome), (Score100(9000), Outcome::ProposedFive));
        assert_eq!(
            r.outcome.province_stars(),
            Some(stars(4)),
            "the province certifies four until the Ministry decides"
        );
        let r = council_result(&sheet, &[scoring(&sheet, 45, &[]), scoring(&sheet, 40, &[])], &[]).unwrap();
        assert_eq!(r.outcome, Outcome::NotRanked(stars(2)));
        assert_eq!(r.outcome.province_stars(), None);
    }

    #[test]
    fn a_mandatory_criterion_unmet_by_a_majority_caps_the_stars() {
        let sheet = Sheet::parse(SAMPLE_PROCESSED_FOOD).unwrap();
        // C3 (self-declaration) is mandatory from three stars: both members find it unmet at 80 → not ranked.
        let r = council_result(&sheet, &[scoring(&sheet, 80, &["C3"]), scoring(&sheet, 82, &["C3"])], &[]).unwrap();
        assert_eq!(r.band, stars(4));
        assert_eq!(r.unmet, [("C3".to_string(), stars(3))]);
        assert_eq!(r.outcome, Outcome::NotRanked(stars(2)), "whatever the score");
        // One of two finds it unmet: a tie, and the product has to show it.
        let r = council_result(&sheet, &[scoring(&sheet, 80, &["C3"]), scoring(&sheet, 82, &[])], &[]).unwrap();
        assert_eq!(r.outcome, Outcome::NotRanked(stars(2)));
        // One of three: the majority found it met.
        let three = [scoring(&sheet, 80, &["C3"]), scoring(&sheet, 82, &[]), scoring(&sheet, 78, &[])];
        assert_eq!(council_result(&sheet, &three, &[]).unwrap().outcome, Outcome::Ranked(stars(4)));
        // A9 (trademark) gates four stars: 85 without it is three.
        let r = council_result(&sheet, &[scoring(&sheet, 85, &["A9"]), scoring(&sheet, 85, &["A9"])], &[]).unwrap();
        assert_eq!(r.outcome, Outcome::Ranked(stars(3)));
        // C6 (quality system) gates five: 94 without it is four, not proposed to the Ministry.
        let r = council_result(&sheet, &[scoring(&sheet, 94, &["C6"]), scoring(&sheet, 95, &["C6"])], &[]).unwrap();
        assert_eq!(r.outcome, Outcome::Ranked(stars(4)));
    }

    #[test]
    fn a_disqualified_dossier_gets_no_stars_whatever_it_scores() {
        let sheet = Sheet::parse(SAMPLE_PROCESSED_FOOD).unwrap();
        let r = council_result(&sheet, &[scoring(&sheet, 96, &[]), scoring(&sheet, 95, &[])], &["G2".into()]).unwrap();
        assert_eq!((r.stars, r.outcome), (None, Outcome::Disqualified));
        assert_eq!(r.band, stars(5), "the score is still shown");
    }

    #[test]
    fn scores_show_with_a_decimal_comma() {
        assert_eq!(Score100(7000).to_string(), "70");
        assert_eq!(Score100(6957).to_string(), "69,57");
        assert_eq!(Score100(6905).to_string(), "69,05");
        // 200 / 3 = 66,666…: half up to 66,67.
        assert_eq!(Score100::mean(200, 3), Score100(6667));
        assert_eq!(Score100::mean(1, 8), Score100(13), "0,125 rounds half up to 0,13");
    }
}
