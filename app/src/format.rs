//! Display helpers: money, dates in Vietnam's calendar, URLs for catalogue queries.

use chrono::NaiveDate;
use domain::Vnd;
use domain::listing::CatalogQuery;

pub fn vnd(amount: i64) -> String {
    Vnd(amount).to_string()
}

pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub fn catalog_url(q: &CatalogQuery) -> String {
    let pairs = q.to_pairs();
    if pairs.is_empty() { "/products".to_string() } else { format!("/products?{}", serde_urlencoded_pairs(&pairs)) }
}

fn serde_urlencoded_pairs(pairs: &[(&'static str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_urls_are_shareable_and_parse_back() {
        let q = CatalogQuery { q: "nước mắm".into(), min_stars: Some(4), ..Default::default() };
        let url = catalog_url(&q);
        assert_eq!(url, "/products?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&stars=4");
        assert_eq!(catalog_url(&CatalogQuery::default()), "/products");
    }
}
