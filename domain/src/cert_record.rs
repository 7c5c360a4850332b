//! What the office types to record a certificate: a new one, a renewal or an upgrade. Stars come only
//! from these records, so the rules that keep them honest sit here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::address::FieldError;
use crate::ocop::{CertLevel, Stars};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertKind {
    /// The product's first certificate (or a new one after a lapse at a different rating).
    New,
    /// The same rating again after a new assessment, from a later decision.
    Renewal,
    /// A higher rating than the product's valid certificate.
    Upgrade,
}

impl CertKind {
    pub fn code(self) -> &'static str {
        match self {
            CertKind::New => "new",
            CertKind::Renewal => "renewal",
            CertKind::Upgrade => "upgrade",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [CertKind::New, CertKind::Renewal, CertKind::Upgrade].into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertForm {
    pub product_id: String,
    pub kind: String,
    pub number: String,
    pub stars: String,
    pub score: String,
    /// yyyy-mm-dd, as a date input sends it.
    pub decided_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInput {
    pub product_id: i64,
    pub kind: CertKind,
    pub number: String,
    pub stars: Stars,
    pub score: Option<i32>,
    pub decided_on: NaiveDate,
    pub level: CertLevel,
}

fn err(field: &str, vi: &str, en: &str) -> FieldError {
    FieldError { field: field.into(), message_vi: vi.into(), message_en: en.into() }
}

impl CertForm {
    /// Checks the form on its own; the product's history is checked by [`check_history`].
    pub fn parse(&self, today: NaiveDate) -> Result<CertInput, Vec<FieldError>> {
        let mut e = Vec::new();
        let product_id = self.product_id.trim().parse::<i64>().ok();
        if product_id.is_none() {
            e.push(err("product_id", "Chọn sản phẩm.", "Choose a product."));
        }
        let kind = CertKind::parse(self.kind.trim());
        if kind.is_none() {
            e.push(err("kind", "Chọn: cấp mới, cấp lại hay nâng hạng.", "Choose: new, renewal or upgrade."));
        }
        let number = self.number.trim().to_string();
        if !(3..=64).contains(&number.chars().count()) {
            e.push(err(
                "number",
                "Số giấy chứng nhận cần 3–64 ký tự.",
                "The certificate number needs 3-64 characters.",
            ));
        }
        let stars = self.stars.trim().parse::<i64>().ok().and_then(|n| Stars::new(n).ok()).filter(|s| s.is_ocop());
        if stars.is_none() {
            e.push(err("stars", "Hạng sao OCOP là 3, 4 hoặc 5.", "OCOP ratings are 3, 4 or 5 stars."));
        }
        let score = match self.score.trim() {
            "" => None,
            raw => match raw.parse::<i64>().ok().filter(|s| (0..=100).contains(s)) {
                Some(s) => Some(s),
                None => {
                    e.push(err("score", "Điểm là số từ 0 đến 100.", "The score is a number from 0 to 100."));
                    None
                }
            },
        };
        if let (Some(score), Some(stars)) = (score, stars)
            && Stars::from_score(score).ok() != Some(stars)
        {
            e.push(err(
                "score",
                "Điểm không khớp hạng sao (3★: 50–69, 4★: 70–89, 5★: 90–100).",
                "The score does not match the stars (3★: 50-69, 4★: 70-89, 5★: 90-100).",
            ));
        }
        let decided = NaiveDate::parse_from_str(self.decided_on.trim(), "%Y-%m-%d").ok();
        match decided {
            None => e.push(err("decided_on", "Nhập ngày quyết định.", "Enter the decision date.")),
            Some(d) if d > today => e.push(err(
                "decided_on",
                "Ngày quyết định không thể ở tương lai.",
                "The decision date cannot be in the future.",
            )),
            _ => {}
        }
        match (product_id, kind, stars, decided) {
            (Some(product_id), Some(kind), Some(stars), Some(decided_on)) if e.is_empty() => Ok(CertInput {
                product_id,
                kind,
                number,
                stars,
                score: score.map(|s| s as i32),
                decided_on,
                // 5★ is national from Decision 148; the rest provincial (the district level is gone).
                level: CertLevel::expected(stars, decided_on).unwrap_or(CertLevel::Province),
            }),
            _ => Err(e),
        }
    }
}

/// A certificate the product already has: stars, decision date, and whether it shows a badge today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub stars: u8,
    pub decided_on: Option<NaiveDate>,
    pub valid: bool,
}

/// Whether the kind the office chose agrees with the product's certificates.
pub fn check_history(input: &CertInput, held: &[Held]) -> Result<(), FieldError> {
    let valid = held.iter().filter(|h| h.valid).map(|h| h.stars).max();
    let latest = held.iter().filter_map(|h| h.decided_on).max();
    if latest.is_some_and(|l| input.decided_on <= l) {
        return Err(err(
            "decided_on",
            "Ngày quyết định phải sau giấy chứng nhận gần nhất của sản phẩm.",
            "The decision must come after the product's latest certificate.",
        ));
    }
    let stars = input.stars.get();
    match input.kind {
        CertKind::New if valid.is_some() => Err(err(
            "kind",
            "Sản phẩm đang có giấy chứng nhận còn hiệu lực: chọn cấp lại hoặc nâng hạng.",
            "The product has a valid certificate: choose renewal or upgrade.",
        )),
        CertKind::Renewal if !held.iter().any(|h| h.stars == stars) => Err(err(
            "kind",
            "Cấp lại phải cùng hạng sao với một giấy chứng nhận trước của sản phẩm.",
            "A renewal keeps the rating of one of the product's earlier certificates.",
        )),
        CertKind::Upgrade if valid.is_none_or(|v| stars <= v) => Err(err(
            "stars",
            "Nâng hạng cần số sao cao hơn giấy chứng nhận còn hiệu lực.",
            "An upgrade needs more stars than the valid certificate.",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form(kind: &str, stars: &str, score: &str, decided: &str) -> CertForm {
        CertForm {
            product_id: "7".into(),
            kind: kind.into(),
            number: "QĐ 123/QĐ-UBND".into(),
            stars: stars.into(),
            score: score.into(),
            decided_on: decided.into(),
        }
    }

    #[test]
    fn a_record_needs_a_rating_its_score_agrees_with_and_a_past_date() {
        let today = day("2026-11-28");
        let ok = form("new", "4", "78", "2026-10-01").parse(today).unwrap();
        assert_eq!((ok.stars.get(), ok.level), (4, CertLevel::Province));
        assert_eq!(form("new", "5", "", "2026-10-01").parse(today).unwrap().level, CertLevel::National);
        let fields = |f: CertForm| f.parse(today).unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(form("new", "4", "95", "2026-10-01")), ["score"]);
        assert_eq!(fields(form("new", "2", "", "2026-12-01")), ["stars", "decided_on"]);
        assert_eq!(fields(form("again", "3", "", "01/10/2026")), ["kind", "decided_on"]);
    }

    #[test]
    fn the_kind_must_agree_with_the_products_certificates() {
        let today = day("2026-11-28");
        let three = Held { stars: 3, decided_on: Some(day("2023-10-01")), valid: true };
        let lapsed = Held { valid: false, ..three };
        let input = |kind: &str, stars: &str| form(kind, stars, "", "2026-10-01").parse(today).unwrap();
        assert!(check_history(&input("new", "3"), &[]).is_ok());
        assert_eq!(check_history(&input("new", "3"), &[three]).unwrap_err().field, "kind");
        assert!(check_history(&input("renewal", "3"), &[three]).is_ok());
        assert!(check_history(&input("renewal", "3"), &[lapsed]).is_ok(), "renewing after a lapse");
        assert_eq!(check_history(&input("renewal", "4"), &[three]).unwrap_err().field, "kind");
        assert!(check_history(&input("upgrade", "4"), &[three]).is_ok());
        assert_eq!(check_history(&input("upgrade", "3"), &[three]).unwrap_err().field, "stars");
        let later = Held { decided_on: Some(day("2026-10-05")), ..three };
        assert_eq!(check_history(&input("upgrade", "4"), &[later]).unwrap_err().field, "decided_on");
    }
}
