//! Criteria sheets ("phiếu đánh giá") as data. Decision 148/QĐ-TTg scores a product on one sheet per
//! product sub-group, in three parts: A (production and community, 40 points), B (marketing and the
//! product's story, 25) and C (quality, 35). Each criterion offers options worth fixed points; some
//! criteria are mandatory from a star level up (failing one caps the product below that level), and
//! the sheet opens with conditions that disqualify the dossier outright.
//!
//! The office loads sheets from JSON files; a round keeps the code and version it used.

use serde::{Deserialize, Serialize};

use crate::ocop::{OcopGroup, Stars};

/// The three parts of Decision 148, with their maxima.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PartCode {
    A,
    B,
    C,
}

impl PartCode {
    pub const ALL: [PartCode; 3] = [PartCode::A, PartCode::B, PartCode::C];

    pub fn max(self) -> u32 {
        match self {
            PartCode::A => 40,
            PartCode::B => 25,
            PartCode::C => 35,
        }
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            PartCode::A => ("Sản phẩm và sức mạnh cộng đồng", "Product and community strength"),
            PartCode::B => ("Khả năng tiếp thị", "Marketing"),
            PartCode::C => ("Chất lượng sản phẩm", "Product quality"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// Stable code of the sheet, e.g. `148-3d` (group 3, sub-group d).
    pub code: String,
    /// Changes whenever the content does; rounds keep the version they used.
    pub version: String,
    pub title_vi: String,
    pub title_en: String,
    pub group: OcopGroup,
    /// Where the content comes from (the decision's annex, a provincial publication...).
    pub source: String,
    /// True for an illustrative sheet that is not the official text: shown as such wherever it is used.
    #[serde(default)]
    pub sample: bool,
    /// Conditions that disqualify the dossier whatever it would score ("Hồ sơ bị loại khi...").
    #[serde(default)]
    pub gates: Vec<Gate>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub code: PartCode,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Unique within the sheet, e.g. `A1.2`.
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
    /// Mandatory for this star level and above: choosing one of its 0-point options caps the
    /// product's stars below it.
    #[serde(default)]
    pub mandatory_from: Option<Stars>,
    pub options: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Unique within the criterion, e.g. `a`.
    pub code: String,
    pub text_vi: String,
    #[serde(default)]
    pub text_en: String,
    pub points: u32,
}

impl Criterion {
    pub fn max_points(&self) -> u32 {
        self.options.iter().map(|o| o.points).max().unwrap_or(0)
    }

    pub fn option(&self, code: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.code == code)
    }
}

/// Why a sheet file was refused, in words for the office clerk who loaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("tệp không đúng định dạng phiếu / not a criteria sheet file: {0}")]
    Format(String),
    #[error("thiếu {0} / {0} is missing")]
    Missing(&'static str),
    #[error("phiếu phải có đúng ba phần A, B, C theo thứ tự / the sheet needs parts A, B and C, in that order")]
    Parts,
    #[error(
        "phần {part:?} cộng được {got} điểm, phải là {want} / part {part:?} adds up to {got} points, it must be {want}"
    )]
    PartTotal { part: PartCode, got: u32, want: u32 },
    #[error("mã {0} bị trùng / code {0} appears twice")]
    Duplicate(String),
    #[error("tiêu chí {0} cần ít nhất hai lựa chọn / criterion {0} needs at least two options")]
    FewOptions(String),
    #[error(
        "tiêu chí bắt buộc {0} cần một lựa chọn 0 điểm (không đạt) / mandatory criterion {0} needs a 0-point option (not met)"
    )]
    MandatoryWithoutFail(String),
    #[error("tiêu chí {0} chỉ có thể bắt buộc từ 3 sao trở lên / criterion {0} can be mandatory from 3 stars up only")]
    MandatoryLevel(String),
}

const MAX_TEXT: usize = 2000;

impl Sheet {
    /// Reads and checks a sheet file: the parts add up to 40, 25 and 35, codes are unique, every
    /// mandatory criterion can be failed.
    pub fn parse(json: &str) -> Result<Sheet, SheetError> {
        let sheet: Sheet = serde_json::from_str(json).map_err(|e| SheetError::Format(e.to_string()))?;
        sheet.check()?;
        Ok(sheet)
    }

    pub fn check(&self) -> Result<(), SheetError> {
        let blank = |s: &str| s.trim().is_empty() || s.len() > MAX_TEXT;
        if blank(&self.code) || self.code.len() > 40 {
            return Err(SheetError::Missing("mã phiếu (code)"));
        }
        if blank(&self.version) || self.version.len() > 40 {
            return Err(SheetError::Missing("phiên bản (version)"));
        }
        if blank(&self.title_vi) {
            return Err(SheetError::Missing("tên phiếu (title_vi)"));
        }
        if self.parts.iter().map(|p| p.code).collect::<Vec<_>>() != PartCode::ALL {
            return Err(SheetError::Parts);
        }
        let mut codes = std::collections::HashSet::new();
        for g in &self.gates {
            if blank(&g.code) || blank(&g.text_vi) {
                return Err(SheetError::Missing("điều kiện loại hồ sơ (gates)"));
            }
            if !codes.insert(format!("gate:{}", g.code)) {
                return Err(SheetError::Duplicate(g.code.clone()));
            }
        }
        for part in &self.parts {
            for c in &part.criteria {
                if blank(&c.code) || blank(&c.text_vi) {
                    return Err(SheetError::Missing("tiêu chí (criteria)"));
                }
                if !codes.insert(c.code.clone()) {
                    return Err(SheetError::Duplicate(c.code.clone()));
                }
                if c.options.len() < 2 {
                    return Err(SheetError::FewOptions(c.code.clone()));
                }
                let mut options = std::collections::HashSet::new();
                for o in &c.options {
                    if blank(&o.code) || blank(&o.text_vi) {
                        return Err(SheetError::Missing("lựa chọn (options)"));
                    }
                    if !options.insert(o.code.as_str()) {
                        return Err(SheetError::Duplicate(format!("{}/{}", c.code, o.code)));
                    }
                }
                if let Some(level) = c.mandatory_from {
                    if !level.is_ocop() || level.get() > 5 {
                        return Err(SheetError::MandatoryLevel(c.code.clone()));
                    }
                    if !c.options.iter().any(|o| o.points == 0) || c.max_points() == 0 {
                        return Err(SheetError::MandatoryWithoutFail(c.code.clone()));
                    }
                }
            }
            let got: u32 = part.criteria.iter().map(Criterion::max_points).sum();
            if got != part.code.max() {
                return Err(SheetError::PartTotal { part: part.code, got, want: part.code.max() });
            }
        }
        Ok(())
    }

    pub fn criteria(&self) -> impl Iterator<Item = (PartCode, &Criterion)> {
        self.parts.iter().flat_map(|p| p.criteria.iter().map(move |c| (p.code, c)))
    }

    pub fn criterion(&self, code: &str) -> Option<(PartCode, &Criterion)> {
        self.criteria().find(|(_, c)| c.code == code)
    }
}

/// The sheet the marketplace ships with: an illustrative sheet for processed food, labelled as a
/// sample (the decision's own annex could not be obtained; see docs/ocop-evaluation-rules.md).
pub const SAMPLE_PROCESSED_FOOD: &str = include_str!("sample_processed_food.json");

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A sheet with one yes/no criterion per number given, worth that many points.
    pub(crate) fn tiny(a: &[u32], b: &[u32], c: &[u32]) -> String {
        let part = |code: &str, pts: &[u32]| {
            let criteria: Vec<String> = pts
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    format!(
                        r#"{{"code":"{code}{i}","text_vi":"Tiêu chí {code}{i}","text_en":"Criterion","options":[
                            {{"code":"a","text_vi":"Không","points":0}},{{"code":"b","text_vi":"Có","points":{p}}}]}}"#
                    )
                })
                .collect();
            format!(r#"{{"code":"{code}","criteria":[{}]}}"#, criteria.join(","))
        };
        format!(
            r#"{{"code":"t","version":"1","title_vi":"Thử","title_en":"Test","group":"Food","source":"test",
                "parts":[{},{},{}]}}"#,
            part("A", a),
            part("B", b),
            part("C", c)
        )
    }

    #[test]
    fn the_shipped_sample_is_a_valid_sheet_and_says_it_is_a_sample() {
        let s = Sheet::parse(SAMPLE_PROCESSED_FOOD).unwrap();
        assert!(s.sample);
        assert!(s.title_vi.contains("MẪU"), "the title says it is a sample: {}", s.title_vi);
        assert_eq!(s.group, OcopGroup::Food);
        let maxima: Vec<u32> =
            s.parts.iter().map(|p| p.criteria.iter().map(Criterion::max_points).sum::<u32>()).collect();
        assert_eq!(maxima, [40, 25, 35]);
        assert!(s.criteria().any(|(_, c)| c.mandatory_from == Some(Stars::new(3).unwrap())));
        assert_eq!(s.gates.len(), 4, "the four disqualifying conditions of the 148 sheet header");
    }

    #[test]
    fn parts_must_add_up_to_forty_twenty_five_and_thirty_five() {
        assert!(Sheet::parse(&tiny(&[20, 20], &[25], &[35])).is_ok());
        assert_eq!(
            Sheet::parse(&tiny(&[20, 19], &[25], &[35])),
            Err(SheetError::PartTotal { part: PartCode::A, got: 39, want: 40 })
        );
        assert!(matches!(
            Sheet::parse(&tiny(&[40], &[25], &[36])),
            Err(SheetError::PartTotal { part: PartCode::C, .. })
        ));
    }

    #[test]
    fn broken_files_are_refused_with_a_reason() {
        assert!(matches!(Sheet::parse("{not json"), Err(SheetError::Format(_))));
        let dup = tiny(&[20, 20], &[25], &[35]).replace("\"A1\"", "\"A0\"");
        assert_eq!(Sheet::parse(&dup), Err(SheetError::Duplicate("A0".into())));
        let no_c = tiny(&[40], &[25], &[35]).replace("\"code\":\"C\"", "\"code\":\"B\"");
        assert_eq!(Sheet::parse(&no_c), Err(SheetError::Parts));
        // A mandatory criterion that cannot be failed is a mistake in the file.
        let unfailable = tiny(&[40], &[25], &[35])
            .replacen("\"options\"", "\"mandatory_from\":3,\"options\"", 1)
            .replacen("\"points\":0", "\"points\":1", 1);
        assert_eq!(Sheet::parse(&unfailable), Err(SheetError::MandatoryWithoutFail("A0".into())));
        let low = tiny(&[40], &[25], &[35]).replacen("\"options\"", "\"mandatory_from\":2,\"options\"", 1);
        assert_eq!(Sheet::parse(&low), Err(SheetError::MandatoryLevel("A0".into())));
        let beyond = tiny(&[40], &[25], &[35]).replacen("\"options\"", "\"mandatory_from\":6,\"options\"", 1);
        assert_eq!(Sheet::parse(&beyond), Err(SheetError::MandatoryLevel("A0".into())));
        let message = Sheet::parse(&tiny(&[20, 19], &[25], &[35])).unwrap_err().to_string();
        assert!(message.contains("phần A") && message.contains("part A"), "{message}");
    }
}
