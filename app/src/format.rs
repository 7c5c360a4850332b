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
    if pairs.is_empty() {
        "/products".to_string()
    } else {
        format!("/products?{}", form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish())
    }
}

/// Percent-encodes a value for a URL (form encoding: the inverse of what the server parses).
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
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
