//! The programme's vocabulary: stars, product groups, producer kinds, certifying levels (see OCOP.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stars(u8);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OcopError {
    #[error("số sao phải từ 1 đến 5 / stars must be 1 to 5 (got {0})")]
    StarsOutOfRange(i64),
    #[error("điểm phải từ 0 đến 100 / score must be 0 to 100 (got {0})")]
    ScoreOutOfRange(i64),
    #[error("loại chủ thể không hợp lệ / unknown producer kind: {0}")]
    UnknownProducerKind(String),
    #[error("nhóm sản phẩm OCOP không hợp lệ / unknown OCOP group: {0}")]
    UnknownGroup(String),
}

impl Stars {
    pub fn new(n: i64) -> Result<Self, OcopError> {
        if (1..=5).contains(&n) { Ok(Stars(n as u8)) } else { Err(OcopError::StarsOutOfRange(n)) }
    }

    /// Decision 148/QĐ-TTg bands: 90+ five, 70-89 four, 50-69 three, 30-49 two, below 30 one.
    pub fn from_score(score: i64) -> Result<Self, OcopError> {
        let stars = match score {
            90..=100 => 5,
            70..=89 => 4,
            50..=69 => 3,
            30..=49 => 2,
            0..=29 => 1,
            _ => return Err(OcopError::ScoreOutOfRange(score)),
        };
        Ok(Stars(stars))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// Only 3★ and above are OCOP products; 1-2★ are rated but not certified.
    pub fn is_ocop(self) -> bool {
        self.0 >= 3
    }
}

/// The six product groups of Decision 148, numbered as the decision numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OcopGroup {
    Food = 1,
    Drinks = 2,
    Herbal = 3,
    Handicrafts = 4,
    Ornamental = 5,
    Tourism = 6,
}

impl OcopGroup {
    pub const ALL: [OcopGroup; 6] = [
        OcopGroup::Food,
        OcopGroup::Drinks,
        OcopGroup::Herbal,
        OcopGroup::Handicrafts,
        OcopGroup::Ornamental,
        OcopGroup::Tourism,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OcopGroup::Food => "food",
            OcopGroup::Drinks => "drinks",
            OcopGroup::Herbal => "herbal",
            OcopGroup::Handicrafts => "handicrafts",
            OcopGroup::Ornamental => "ornamental",
            OcopGroup::Tourism => "tourism",
        }
    }

    pub fn parse(code: &str) -> Result<Self, OcopError> {
        Self::ALL.into_iter().find(|g| g.code() == code).ok_or_else(|| OcopError::UnknownGroup(code.to_string()))
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            OcopGroup::Food => "Thực phẩm",
            OcopGroup::Drinks => "Đồ uống",
            OcopGroup::Herbal => "Dược liệu",
            OcopGroup::Handicrafts => "Thủ công mỹ nghệ",
            OcopGroup::Ornamental => "Sinh vật cảnh",
            OcopGroup::Tourism => "Du lịch cộng đồng",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            OcopGroup::Food => "Food",
            OcopGroup::Drinks => "Drinks",
            OcopGroup::Herbal => "Herbal products",
            OcopGroup::Handicrafts => "Handicrafts",
            OcopGroup::Ornamental => "Ornamental plants",
            OcopGroup::Tourism => "Community tourism",
        }
    }

    /// The group a merchandising category falls in. Drinks are spirits, wines and juices;
    /// handicrafts are pottery and crafts; everything else sold as food is group 1.
    pub fn for_category(category: &str) -> Self {
        let c = crate::text::fold(category);
        if c.contains("ruou") || c.contains("nuoc ep") || c.contains("do uong") {
            OcopGroup::Drinks
        } else if c.contains("thu cong") || c.contains("gom") {
            OcopGroup::Handicrafts
        } else if c.contains("duoc lieu") || c.contains("tinh dau") {
            OcopGroup::Herbal
        } else if c.contains("du lich") {
            OcopGroup::Tourism
        } else if c.contains("sinh vat canh") {
            OcopGroup::Ornamental
        } else {
            OcopGroup::Food
        }
    }
}

/// The four legal kinds of OCOP producer ("chủ thể").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProducerKind {
    Htx,
    Dn,
    Tht,
    Hkd,
}

impl ProducerKind {
    pub const ALL: [ProducerKind; 4] = [ProducerKind::Htx, ProducerKind::Dn, ProducerKind::Tht, ProducerKind::Hkd];

    pub fn code(self) -> &'static str {
        match self {
            ProducerKind::Htx => "HTX",
            ProducerKind::Dn => "DN",
            ProducerKind::Tht => "THT",
            ProducerKind::Hkd => "HKD",
        }
    }

    /// Accepts the codes and the words the sources use ("hộ" for a household business).
    pub fn parse(raw: &str) -> Result<Self, OcopError> {
        match crate::text::fold(raw.trim()).as_str() {
            "htx" | "hop tac xa" => Ok(ProducerKind::Htx),
            "dn" | "doanh nghiep" => Ok(ProducerKind::Dn),
            "tht" | "to hop tac" => Ok(ProducerKind::Tht),
            "hkd" | "ho" | "ho kinh doanh" => Ok(ProducerKind::Hkd),
            _ => Err(OcopError::UnknownProducerKind(raw.to_string())),
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            ProducerKind::Htx => "Hợp tác xã",
            ProducerKind::Dn => "Doanh nghiệp",
            ProducerKind::Tht => "Tổ hợp tác",
            ProducerKind::Hkd => "Hộ kinh doanh",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            ProducerKind::Htx => "Cooperative",
            ProducerKind::Dn => "Enterprise",
            ProducerKind::Tht => "Cooperative group",
            ProducerKind::Hkd => "Household business",
        }
    }
}

/// Who signed the certificate. Kept beside the stars: a 2021 provincial "potential 5★" is not a national 5★.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CertLevel {
    National,
    Province,
    District,
}

/// Decision 1489/QĐ-TTg took effect on this day and removed the district level.
pub fn decision_1489_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 6).expect("valid date")
}

impl CertLevel {
    pub fn code(self) -> &'static str {
        match self {
            CertLevel::National => "national",
            CertLevel::Province => "province",
            CertLevel::District => "district",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "national" => Some(CertLevel::National),
            "province" => Some(CertLevel::Province),
            "district" => Some(CertLevel::District),
            _ => None,
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            CertLevel::National => "Trung ương (Bộ NN&PTNT)",
            CertLevel::Province => "Cấp tỉnh",
            CertLevel::District => "Cấp huyện",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            CertLevel::National => "National (Ministry of Agriculture)",
            CertLevel::Province => "Provincial",
            CertLevel::District => "District",
        }
    }

    /// The level that certifies a star rating on a given day, where the rules leave no doubt.
    /// A 5★ before Decision 148 (2023) may have been a provincial "potential 5★", so it stays unknown.
    pub fn expected(stars: Stars, decided: NaiveDate) -> Option<Self> {
        let d148 = NaiveDate::from_ymd_opt(2023, 3, 1).expect("valid date");
        match stars.get() {
            5 if decided >= d148 => Some(CertLevel::National),
            5 => None,
            4 => Some(CertLevel::Province),
            3 if decided >= decision_1489_in_force() => Some(CertLevel::Province),
            3 => Some(CertLevel::District),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_follow_decision_148_score_bands() {
        let cases = [(100, 5), (90, 5), (89, 4), (70, 4), (69, 3), (50, 3), (49, 2), (30, 2), (29, 1), (0, 1)];
        for (score, stars) in cases {
            assert_eq!(Stars::from_score(score).unwrap().get(), stars, "score {score}");
        }
        assert_eq!(Stars::from_score(101), Err(OcopError::ScoreOutOfRange(101)));
        assert_eq!(Stars::from_score(-1), Err(OcopError::ScoreOutOfRange(-1)));
    }

    #[test]
    fn only_three_stars_and_up_are_ocop_products() {
        assert!(!Stars::new(2).unwrap().is_ocop());
        assert!(Stars::new(3).unwrap().is_ocop());
        assert!(Stars::new(6).is_err());
    }

    #[test]
    fn producer_kinds_parse_from_source_words() {
        assert_eq!(ProducerKind::parse("hộ").unwrap(), ProducerKind::Hkd);
        assert_eq!(ProducerKind::parse("HTX").unwrap(), ProducerKind::Htx);
        assert_eq!(ProducerKind::parse(" DN ").unwrap(), ProducerKind::Dn);
        assert!(ProducerKind::parse("xyz").is_err());
    }

    #[test]
    fn categories_map_to_decision_148_groups() {
        assert_eq!(OcopGroup::for_category("nước mắm"), OcopGroup::Food);
        assert_eq!(OcopGroup::for_category("rượu"), OcopGroup::Drinks);
        assert_eq!(OcopGroup::for_category("thủ công mỹ nghệ"), OcopGroup::Handicrafts);
        assert_eq!(OcopGroup::parse("drinks").unwrap(), OcopGroup::Drinks);
        assert!(OcopGroup::parse("cars").is_err());
    }

    #[test]
    fn certifying_level_follows_the_rules_in_force() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let s = |n| Stars::new(n).unwrap();
        assert_eq!(CertLevel::expected(s(3), d(2023, 6, 1)), Some(CertLevel::District));
        assert_eq!(CertLevel::expected(s(3), d(2025, 7, 6)), Some(CertLevel::Province));
        assert_eq!(CertLevel::expected(s(4), d(2021, 1, 1)), Some(CertLevel::Province));
        assert_eq!(CertLevel::expected(s(5), d(2021, 1, 1)), None);
        assert_eq!(CertLevel::expected(s(5), d(2024, 1, 1)), Some(CertLevel::National));
    }
}
