//! The public OCOP registry: every certificate with its product and producer, by decision year,
//! stars and place, for `/api/v1/certificates` (JSON or CSV, for the national database) and `/ocop`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::listing::{CertView, QueryError, bad, bounded, parse_flag, parse_number};
use crate::ocop::OcopGroup;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RegistryFormat {
    #[default]
    Json,
    Csv,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryQuery {
    /// Certificates decided in this year.
    pub year: Option<i32>,
    /// Exactly this many stars.
    pub stars: Option<u8>,
    /// The producer's commune (or, where none is recorded, its district before 2025), any accents.
    pub area: Option<String>,
    /// Only certificates valid today.
    pub valid_only: bool,
    pub format: RegistryFormat,
}

impl RegistryQuery {
    /// URL query pairs; empty values count as absent, unknown keys are ignored, as in the catalogue.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, QueryError> {
        let mut q = RegistryQuery::default();
        for (key, raw) in pairs {
            // An empty value is an absent one (forms send every field). Spaces alone are no text to
            // look for, but in a coded or numeric field they are a mistake, refused like any other.
            let value = raw.trim();
            if raw.is_empty() || (value.is_empty() && ["area"].contains(&key)) {
                continue;
            }
            match key {
                "year" => q.year = Some(parse_number("year", value, 2010, 2100, false)? as i32),
                "stars" => q.stars = Some(parse_number("stars", value, 1, 5, false)? as u8),
                "area" => q.area = Some(bounded("area", value)?),
                "valid" => q.valid_only = parse_flag("valid", value)?,
                "format" => {
                    q.format = match value {
                        "json" => RegistryFormat::Json,
                        "csv" => RegistryFormat::Csv,
                        _ => return Err(bad("format", "phải là json hoặc csv", "must be json or csv")),
                    }
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// Whether an entry's place matches `area` (accents and case aside).
    pub fn area_matches(&self, commune: Option<&str>, district: Option<&str>) -> bool {
        let Some(area) = &self.area else { return true };
        let want = crate::text::fold(area);
        [commune, district].into_iter().flatten().any(|p| crate::text::fold(p) == want)
    }
}

/// One certificate in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryEntry {
    pub certificate: CertView,
    /// `new`, `renewal` or `upgrade`.
    pub kind: String,
    pub ocop_group: Option<OcopGroup>,
    pub producer_kind: Option<String>,
    pub commune: Option<String>,
    /// The producer's district before the 2025 reorganisation.
    pub district_pre2025: Option<String>,
    pub province: Option<String>,
}

/// The CSV's columns, in order.
pub const CSV_HEADER: [&str; 16] = [
    "certificate_number",
    "number_is_sample",
    "stars",
    "score",
    "level",
    "kind",
    "decided_on",
    "last_valid_day",
    "status",
    "product_slug",
    "product_name_vi",
    "product_name_en",
    "ocop_group",
    "producer_name",
    "commune",
    "district_pre2025",
];

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

impl RegistryEntry {
    /// The entry as a CSV row (the file writer keeps typed text from running as a formula).
    pub fn csv_row(&self) -> Vec<String> {
        let c = &self.certificate;
        let text = |s: &str| s.to_string();
        vec![
            text(&c.number),
            c.number_is_sample.to_string(),
            c.stars.to_string(),
            c.score.map(|s| s.to_string()).unwrap_or_default(),
            c.level.map(|l| l.code().to_string()).unwrap_or_default(),
            self.kind.clone(),
            day(c.decided_on),
            day(c.last_valid_day),
            c.status.code().to_string(),
            c.product_slug.clone(),
            text(&c.product_name_vi),
            text(&c.product_name_en),
            self.ocop_group.map(|g| g.code().to_string()).unwrap_or_default(),
            text(c.producer_name.as_deref().unwrap_or_default()),
            text(self.commune.as_deref().unwrap_or_default()),
            text(self.district_pre2025.as_deref().unwrap_or_default()),
        ]
    }

    /// Valid on the day the entry was judged (expiring soon included).
    pub fn valid_today(&self) -> bool {
        self.certificate.status.shows_badge()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<RegistryQuery, QueryError> {
        let pairs: Vec<(String, String)> = q
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        RegistryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn filters_parse_and_bad_ones_name_their_parameter() {
        let q = parse("year=2024&stars=4&area=Hàm Thuận Bắc&valid=1&format=csv&utm_source=x").unwrap();
        assert_eq!((q.year, q.stars, q.valid_only, q.format), (Some(2024), Some(4), true, RegistryFormat::Csv));
        assert_eq!(parse("year=&stars=").unwrap(), RegistryQuery::default(), "empty means absent");
        assert_eq!(parse("year=1999").unwrap_err().param, "year");
        assert_eq!(parse("stars=6").unwrap_err().param, "stars");
        assert_eq!(parse("format=xlsx").unwrap_err().param, "format");
        assert_eq!(parse("valid=maybe").unwrap_err().param, "valid");
        // Spaces are not an empty value: absent for text, a mistake for a code or a number.
        assert_eq!(parse("area=  ").unwrap().area, None);
        assert_eq!(parse("stars=\r").unwrap_err().param, "stars");
        assert_eq!(parse("format= ").unwrap_err().param, "format");
    }

    #[test]
    fn the_area_matches_the_commune_or_the_former_district_whatever_the_accents() {
        let q = parse("area=ham thuan bac").unwrap();
        assert!(q.area_matches(None, Some("Hàm Thuận Bắc")));
        assert!(q.area_matches(Some("Hàm Thuận Bắc"), Some("Phan Thiết")));
        assert!(!q.area_matches(Some("Mũi Né"), Some("Phan Thiết")));
        assert!(RegistryQuery::default().area_matches(None, None));
    }
}
