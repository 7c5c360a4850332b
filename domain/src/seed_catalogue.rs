//! The real Bình Thuận OCOP catalogue (`seed/binhthuan_ocop_products.tsv`, from public sources) and the
//! values those sources lack (`seed/sample_values.tsv`): the marketplace seeds its database from it
//! and a showroom POS in demo mode its till, so both sell the same SKUs and barcodes.

use std::collections::HashMap;

pub const CATALOG_TSV: &str = include_str!("../seed/binhthuan_ocop_products.tsv");
pub const SAMPLE_TSV: &str = include_str!("../seed/sample_values.tsv");
/// Since July 2025 Bình Thuận is part of Lâm Đồng; the district is kept as the historical address.
pub const CURRENT_PROVINCE: &str = "Lâm Đồng";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub name_vi: String,
    pub producer: Option<String>,
    pub producer_kind: Option<String>,
    pub district: Option<String>,
    pub stars: Option<i64>,
    pub year: Option<i32>,
    pub category: String,
    pub source_url: String,
}

#[derive(Debug, Clone)]
pub struct SampleRow {
    pub name_en: String,
    pub size_vi: String,
    pub size_en: String,
    pub price: i64,
    pub stock: i64,
}

fn cell(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

pub fn source_rows() -> Result<Vec<SourceRow>, String> {
    let mut out = Vec::new();
    for (n, line) in CATALOG_TSV.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| cell(c.get(i).copied());
        let bad = |what: &str| format!("catalogue line {}: {what}", n + 1);
        out.push(SourceRow {
            name_vi: get(0).ok_or_else(|| bad("no product name"))?,
            producer: get(1),
            producer_kind: get(2),
            district: get(3),
            stars: get(4).map(|s| s.parse().map_err(|_| bad("stars is not a number"))).transpose()?,
            year: get(5).map(|s| s.parse().map_err(|_| bad("year is not a number"))).transpose()?,
            category: get(6).unwrap_or_default(),
            source_url: get(7).ok_or_else(|| bad("no source"))?,
        });
    }
    Ok(out)
}

pub fn sample_rows() -> Result<HashMap<String, SampleRow>, String> {
    let mut out = HashMap::new();
    for (n, line) in SAMPLE_TSV.lines().enumerate().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let bad = || format!("sample values line {}", n + 1);
        if c.len() < 6 {
            return Err(bad());
        }
        out.insert(
            c[0].to_string(),
            SampleRow {
                name_en: c[1].to_string(),
                size_vi: c[2].to_string(),
                size_en: c[3].to_string(),
                price: c[4].parse().map_err(|_| bad())?,
                stock: c[5].parse().map_err(|_| bad())?,
            },
        );
    }
    Ok(out)
}

/// The SKU of the catalogue's `i`-th product (0-based), the same on the marketplace and a demo till.
pub fn sku(i: usize) -> String {
    format!("BT{:04}-01", i + 1)
}

/// Barcodes from GS1's in-store range (200-299): never mistaken for a real manufacturer's code.
pub fn barcode(i: usize) -> String {
    crate::barcode::ean13_from_body(200_000_000_000 + (i as u64 + 1) * 10 + 1)
}

/// A seeded gift combo: (slug, vi, en, story vi, story en, price, [product names]).
pub type SeedCombo =
    (&'static str, &'static str, &'static str, &'static str, &'static str, i64, &'static [&'static str]);

/// Gift combos built from seeded products.
pub const COMBOS: &[SeedCombo] = &[
    (
        "qua-bien-phan-thiet",
        "Quà biển Phan Thiết",
        "Phan Thiết seaside gift",
        "Nước mắm, mực một nắng và rong nho: hương vị làng chài Phan Thiết trong một hộp quà.",
        "Fish sauce, one-sun dried squid and sea grapes: the taste of Phan Thiết's fishing villages in one box.",
        620_000,
        &["Nước mắm lú Bà Hai MS40A", "Mực một nắng", "Rong nho muối"],
    ),
    (
        "huong-vi-thanh-long",
        "Hương vị thanh long Hàm Thuận Bắc",
        "Dragon fruit of Hàm Thuận Bắc",
        "Vang, nước cốt và thanh long sấy từ vùng thanh long lớn nhất cả nước.",
        "Wine, concentrate and dried dragon fruit from the country's largest dragon fruit region.",
        340_000,
        &["Rượu vang thanh long Hòa Lệ", "Nước cốt thanh long đỏ", "Thanh long ruột đỏ sấy khô"],
    ),
    (
        "qua-suc-khoe-duc-linh",
        "Quà sức khỏe Đức Linh",
        "Đức Linh wellness gift",
        "Yến sào và gạo ST25 của các hộ, hợp tác xã Đức Linh: món quà bồi bổ cho người thân.",
        "Bird's nest and ST25 rice from Đức Linh households and cooperatives: a nourishing gift for family.",
        1_590_000,
        &["Yến sào Phương Toàn", "Gạo ST25 Hiệp Phát"],
    ),
];
