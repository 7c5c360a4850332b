//! What the storefront asks for (a catalogue query parsed from a URL) and what it shows (read models).
//! Shared by the HTML pages and the JSON API so both accept and refuse the same inputs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::certificate::{CertStatus, DatePrecision};
use crate::ocop::{CertLevel, OcopGroup, ProducerKind};

pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_PAGE: u32 = 500;
pub const MAX_PER_PAGE: u32 = 60;
pub const DEFAULT_PER_PAGE: u32 = 24;
pub const MAX_PRICE: i64 = 1_000_000_000_000;
/// What a checkbox or a person may send for yes and for no (`valid=`).
pub const YES_WORDS: [&str; 4] = ["1", "true", "on", "yes"];
pub const NO_WORDS: [&str; 4] = ["0", "false", "off", "no"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Stars,
    Newest,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Relevance, Sort::PriceAsc, Sort::PriceDesc, Sort::Stars, Sort::Newest];
    pub fn code(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Stars => "stars",
            Sort::Newest => "newest",
        }
    }
    pub fn name_vi(self) -> &'static str {
        match self {
            Sort::Relevance => "Phù hợp nhất",
            Sort::PriceAsc => "Giá tăng dần",
            Sort::PriceDesc => "Giá giảm dần",
            Sort::Stars => "Nhiều sao nhất",
            Sort::Newest => "Mới công nhận",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            Sort::Relevance => "Best match",
            Sort::PriceAsc => "Price: low to high",
            Sort::PriceDesc => "Price: high to low",
            Sort::Stars => "Most stars",
            Sort::Newest => "Newest certificates",
        }
    }
}

/// A catalogue request: filters, sort and page. Parsed, never trusted raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogQuery {
    pub q: String,
    pub group: Option<OcopGroup>,
    pub category: Option<String>,
    pub min_stars: Option<u8>,
    pub valid_only: bool,
    pub district: Option<String>,
    pub kind: Option<ProducerKind>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

impl Default for CatalogQuery {
    fn default() -> Self {
        CatalogQuery {
            q: String::new(),
            group: None,
            category: None,
            min_stars: None,
            valid_only: false,
            district: None,
            kind: None,
            min_price: None,
            max_price: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// A refused query parameter, with a sentence in each language for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{param}: {message_vi} / {message_en}")]
pub struct QueryError {
    pub param: String,
    pub message_vi: String,
    pub message_en: String,
}

pub(crate) fn bad(param: &str, vi: impl Into<String>, en: impl Into<String>) -> QueryError {
    QueryError { param: param.to_string(), message_vi: vi.into(), message_en: en.into() }
}

/// A whole number; with `grouped`, thousands may be grouped as people type prices (`150.000`,
/// `150,000`), but only in groups of three, so `1.5` is refused rather than read as 15.
pub(crate) fn parse_number(param: &str, raw: &str, min: i64, max: i64, grouped: bool) -> Result<i64, QueryError> {
    let raw_t = raw.trim();
    let digits = if grouped && is_grouped(raw_t) { raw_t.replace(['.', ','], "") } else { raw_t.to_string() };
    let n: i64 = digits
        .parse()
        .map_err(|_| bad(param, format!("\"{raw}\" không phải là số"), format!("\"{raw}\" is not a number")))?;
    if n < min || n > max {
        return Err(bad(param, format!("phải từ {min} đến {max}"), format!("must be between {min} and {max}")));
    }
    Ok(n)
}

/// `1.234.567` or `1,234,567`: one to three digits, then groups of a separator and three digits.
fn is_grouped(s: &str) -> bool {
    let mut parts = s.split(['.', ',']);
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Yes or no, as a form or a person writes it (`1`, `on`, `yes`... or `0`, `off`, `no`...).
pub(crate) fn parse_flag(param: &str, value: &str) -> Result<bool, QueryError> {
    if YES_WORDS.contains(&value) {
        Ok(true)
    } else if NO_WORDS.contains(&value) {
        Ok(false)
    } else {
        Err(bad(param, "phải là 1 hoặc 0", "must be 1 or 0"))
    }
}

impl CatalogQuery {
    /// Parses URL query pairs. Empty values count as absent (plain forms submit every field);
    /// unknown keys are ignored (tracking parameters from shared links).
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, QueryError> {
        let mut q = CatalogQuery::default();
        for (key, raw) in pairs {
            // An empty value is an absent one (forms send every field). Spaces alone are no text to
            // look for, but in a coded or numeric field they are a mistake, refused like any other.
            let value = raw.trim();
            if raw.is_empty() || (value.is_empty() && ["q", "category", "district"].contains(&key)) {
                continue;
            }
            match key {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(bad(
                            "q",
                            format!("từ khóa dài quá {MAX_QUERY_CHARS} ký tự"),
                            format!("search text is longer than {MAX_QUERY_CHARS} characters"),
                        ));
                    }
                    q.q = value.to_string();
                }
                "group" => {
                    q.group = Some(OcopGroup::parse(value).map_err(|_| {
                        bad("group", format!("không có nhóm \"{value}\""), format!("no product group \"{value}\""))
                    })?)
                }
                "category" => q.category = Some(bounded("category", value)?),
                "district" => q.district = Some(bounded("district", value)?),
                "stars" => q.min_stars = Some(parse_number("stars", value, 1, 5, false)? as u8),
                "valid" => q.valid_only = parse_flag("valid", value)?,
                "kind" => {
                    q.kind = Some(ProducerKind::parse(value).map_err(|_| {
                        bad(
                            "kind",
                            "loại chủ thể phải là HTX, DN, THT hoặc HKD",
                            "producer kind must be HTX, DN, THT or HKD",
                        )
                    })?)
                }
                "min_price" => q.min_price = Some(parse_number("min_price", value, 0, MAX_PRICE, true)?),
                "max_price" => q.max_price = Some(parse_number("max_price", value, 0, MAX_PRICE, true)?),
                "sort" => {
                    q.sort = Sort::ALL.into_iter().find(|s| s.code() == value).ok_or_else(|| {
                        bad("sort", format!("không có kiểu sắp xếp \"{value}\""), format!("unknown sort \"{value}\""))
                    })?
                }
                "page" => q.page = parse_number("page", value, 1, MAX_PAGE as i64, false)? as u32,
                "per_page" => q.per_page = parse_number("per_page", value, 1, MAX_PER_PAGE as i64, false)? as u32,
                _ => {}
            }
        }
        // "From 500.000 to 100.000" means between the two: the bounds are taken in order rather
        // than refused (every value is then one the API's document allows, whatever its pair).
        if let (Some(lo), Some(hi)) = (q.min_price, q.max_price)
            && lo > hi
        {
            (q.min_price, q.max_price) = (Some(hi), Some(lo));
        }
        Ok(q)
    }

    /// The query back as URL pairs, defaults left out, so links stay short and shareable.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut v = Vec::new();
        if !self.q.is_empty() {
            v.push(("q", self.q.clone()));
        }
        if let Some(g) = self.group {
            v.push(("group", g.code().to_string()));
        }
        if let Some(c) = &self.category {
            v.push(("category", c.clone()));
        }
        if let Some(s) = self.min_stars {
            v.push(("stars", s.to_string()));
        }
        if self.valid_only {
            v.push(("valid", "1".to_string()));
        }
        if let Some(d) = &self.district {
            v.push(("district", d.clone()));
        }
        if let Some(k) = self.kind {
            v.push(("kind", k.code().to_string()));
        }
        if let Some(p) = self.min_price {
            v.push(("min_price", p.to_string()));
        }
        if let Some(p) = self.max_price {
            v.push(("max_price", p.to_string()));
        }
        if self.sort != Sort::Relevance {
            v.push(("sort", self.sort.code().to_string()));
        }
        if self.page != 1 {
            v.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            v.push(("per_page", self.per_page.to_string()));
        }
        v
    }

    pub fn offset(&self) -> usize {
        (self.page as usize - 1) * self.per_page as usize
    }
}

pub(crate) fn bounded(param: &str, value: &str) -> Result<String, QueryError> {
    if value.chars().count() > 100 {
        return Err(bad(param, "giá trị dài quá 100 ký tự", "value is longer than 100 characters"));
    }
    Ok(value.to_string())
}

/// A certificate as shown to a shopper, with its status already judged for today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertView {
    pub number: String,
    pub number_is_sample: bool,
    pub stars: u8,
    pub score: Option<i32>,
    pub level: Option<CertLevel>,
    pub decided_on: Option<NaiveDate>,
    pub precision: DatePrecision,
    /// The last day (inclusive) the certificate is valid, when known to the day.
    pub last_valid_day: Option<NaiveDate>,
    /// Earliest and latest possible last valid day (equal when the decision day is known; a year
    /// apart when sources give only the year).
    pub last_valid_day_range: Option<(NaiveDate, NaiveDate)>,
    pub revoked_on: Option<NaiveDate>,
    pub revoke_reason: Option<String>,
    pub status: CertStatus,
    pub product_slug: String,
    pub product_name_vi: String,
    pub product_name_en: String,
    pub producer_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductCard {
    pub id: i64,
    pub slug: String,
    pub name_vi: String,
    pub name_en: String,
    pub producer_name: Option<String>,
    pub producer_slug: Option<String>,
    pub district: Option<String>,
    pub category: String,
    pub group: OcopGroup,
    pub min_price: Option<i64>,
    pub cert: Option<CertView>,
    /// The product's first photo, when its producer uploaded one.
    #[serde(default)]
    pub photo: Option<PhotoView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantView {
    pub id: i64,
    pub sku: String,
    pub barcode: Option<String>,
    pub size_vi: String,
    pub size_en: String,
    pub price: i64,
    pub in_stock: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProducerView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: Option<ProducerKind>,
    pub district: Option<String>,
    pub province: String,
    pub commune: Option<String>,
    pub story_vi: Option<String>,
    pub story_en: Option<String>,
    pub product_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub card: ProductCard,
    pub description_vi: String,
    pub description_en: String,
    pub sample_values: bool,
    pub source_url: Option<String>,
    pub variants: Vec<VariantView>,
    /// Every certificate the product has had, newest first; `card.cert` is the one that counts today.
    pub certificates: Vec<CertView>,
    pub producer: Option<ProducerView>,
    /// Photos in display order; empty until the producer uploads some.
    #[serde(default)]
    pub photos: Vec<PhotoView>,
    /// The province's council scored it 90 or more: certified four stars and proposed to the
    /// Ministry for five, whose decision is not recorded yet.
    #[serde(default)]
    pub proposed_five: bool,
    /// Batches under an open recall: (size, batch code, reason). Their units are not sold.
    #[serde(default)]
    pub recalls: Vec<(String, String, String)>,
}

/// One photo's derivatives (file names under `/media/`), smallest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoView {
    pub files: Vec<(u32, String)>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComboItemView {
    pub product_slug: String,
    pub product_name_vi: String,
    pub product_name_en: String,
    pub size_vi: String,
    pub size_en: String,
    pub qty: i32,
    pub unit_price: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComboView {
    pub slug: String,
    pub name_vi: String,
    pub name_en: String,
    pub story_vi: String,
    pub story_en: String,
    pub price: i64,
    pub items: Vec<ComboItemView>,
    /// How many combos the online warehouse can make from its components' stock.
    pub available: i64,
    pub photo: Option<PhotoView>,
}

impl ComboView {
    pub fn items_total(&self) -> i64 {
        self.items.iter().map(|i| i.unit_price * i.qty as i64).sum()
    }
}

/// The values the catalogue filters offer, each with how many listed products have it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub groups: Vec<(String, i64)>,
    pub categories: Vec<(String, i64)>,
    pub districts: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub total: usize,
    pub items: Vec<ProductCard>,
    /// No product holds every word asked for: these hold some of them.
    pub partial: bool,
    /// The query as the catalogue spells it, when a word looked misspelt.
    pub did_you_mean: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_and_round_trips() {
        let q = CatalogQuery::parse([
            ("q", "nuoc mam"),
            ("group", "food"),
            ("stars", "4"),
            ("valid", "1"),
            ("kind", "HTX"),
            ("min_price", "50.000"),
            ("sort", "price_asc"),
            ("page", "2"),
            ("utm_source", "zalo"),
            ("district", ""),
        ])
        .unwrap();
        assert_eq!(q.q, "nuoc mam");
        assert_eq!(q.group, Some(OcopGroup::Food));
        assert_eq!(q.min_stars, Some(4));
        assert!(q.valid_only);
        assert_eq!(q.kind, Some(ProducerKind::Htx));
        assert_eq!(q.min_price, Some(50_000));
        assert_eq!(q.district, None);
        assert_eq!(q.offset(), DEFAULT_PER_PAGE as usize);
        let pairs = q.to_pairs();
        let again = CatalogQuery::parse(pairs.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(again, q);
    }

    #[test]
    fn refuses_bad_values_with_both_languages() {
        let e = CatalogQuery::parse([("stars", "9")]).unwrap_err();
        assert_eq!(e.param, "stars");
        assert!(e.message_en.contains("between 1 and 5"));
        assert!(CatalogQuery::parse([("page", "0")]).is_err());
        assert!(CatalogQuery::parse([("page", "99999999999999999999")]).is_err());
        assert!(CatalogQuery::parse([("per_page", "1000")]).is_err());
        assert!(CatalogQuery::parse([("sort", "random")]).is_err());
        // Empty is absent; spaces alone are absent in text and a mistake in a coded field.
        assert_eq!(
            CatalogQuery::parse([("group", ""), ("q", "  "), ("district", " ")]).unwrap(),
            CatalogQuery::default()
        );
        assert_eq!(CatalogQuery::parse([("group", "\r")]).unwrap_err().param, "group");
        assert_eq!(CatalogQuery::parse([("stars", " ")]).unwrap_err().param, "stars");
        assert!(CatalogQuery::parse([("min_price", "abc")]).is_err());
        // Prices typed with thousands grouped are read; a fraction is not a price in đồng.
        assert_eq!(CatalogQuery::parse([("min_price", "150.000")]).unwrap().min_price, Some(150_000));
        assert_eq!(CatalogQuery::parse([("max_price", "1,250,000")]).unwrap().max_price, Some(1_250_000));
        assert!(CatalogQuery::parse([("min_price", "1.5")]).is_err());
        assert!(CatalogQuery::parse([("stars", "0.5")]).is_err());
        // Bounds typed the wrong way round are taken in order.
        let swapped = CatalogQuery::parse([("min_price", "10"), ("max_price", "5")]).unwrap();
        assert_eq!((swapped.min_price, swapped.max_price), (Some(5), Some(10)));
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(CatalogQuery::parse([("q", long.as_str())]).is_err());
    }
}
