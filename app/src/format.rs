//! Display helpers: money, numbers, percentages and dates in the reader's language (Vietnamese
//! `1.250.000 ₫`, `8,3%`, `20/11/2029`; English `1,250,000 ₫`, `8.3%`, `20 Nov 2029`), and URLs
//! for catalogue queries. The plain functions read the language of the page being rendered.

use chrono::NaiveDate;
use domain::listing::CatalogQuery;

use crate::i18n::{Lang, use_lang};

/// Digits in groups of three: `.` between them in Vietnamese, `,` in English.
pub fn number_in(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == Lang::En { ',' } else { '.' };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

pub fn vnd_in(lang: Lang, amount: i64) -> String {
    format!("{} ₫", number_in(lang, amount))
}

/// One decimal, with the reader's decimal mark: `8,3%` / `8.3%`.
pub fn percent_in(lang: Lang, x: f64) -> String {
    let s = format!("{x:.1}%");
    if lang == Lang::En { s } else { s.replace('.', ",") }
}

pub fn date_in(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

pub fn vnd(amount: i64) -> String {
    vnd_in(use_lang(), amount)
}

pub fn number(n: i64) -> String {
    number_in(use_lang(), n)
}

pub fn percent(x: f64) -> String {
    percent_in(use_lang(), x)
}

pub fn date(d: NaiveDate) -> String {
    date_in(use_lang(), d)
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

/// A moment as the reader's clock in Vietnam shows it: `07/12/2026 14:05` / `7 Dec 2026 14:05`.
pub fn at_in(lang: Lang, at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    format!("{} {}", date_in(lang, local.date_naive()), local.format("%H:%M"))
}

/// A score kept in hundredths, with only the decimals it has: `69,5`, `89,67`, `82`.
pub fn hundredths_in(lang: Lang, centi: i64) -> String {
    let (whole, frac) = (centi / 100, (centi % 100).abs());
    let mark = if lang == Lang::En { '.' } else { ',' };
    match frac {
        0 => number_in(lang, whole),
        f if f % 10 == 0 => format!("{}{mark}{}", number_in(lang, whole), f / 10),
        f => format!("{}{mark}{f:02}", number_in(lang, whole)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_in_hundredths_show_the_decimals_they_have() {
        assert_eq!(hundredths_in(Lang::Vi, 6950), "69,5");
        assert_eq!(hundredths_in(Lang::Vi, 8967), "89,67");
        assert_eq!(hundredths_in(Lang::Vi, 8200), "82");
        assert_eq!(hundredths_in(Lang::Vi, 905), "9,05");
        assert_eq!(hundredths_in(Lang::En, 6950), "69.5");
    }

    #[test]
    fn numbers_follow_the_readers_language() {
        assert_eq!(vnd_in(Lang::Vi, 1_250_000), "1.250.000 ₫");
        assert_eq!(vnd_in(Lang::En, 1_250_000), "1,250,000 ₫");
        assert_eq!(vnd_in(Lang::Vi, -45_500), "-45.500 ₫");
        assert_eq!(vnd_in(Lang::Vi, 999), "999 ₫");
        assert_eq!(number_in(Lang::Vi, 0), "0");
        assert_eq!(percent_in(Lang::Vi, 100.0 / 12.0), "8,3%");
        assert_eq!(percent_in(Lang::En, 100.0 / 12.0), "8.3%");
        assert_eq!(percent_in(Lang::Vi, 50.0), "50,0%");
        let d = NaiveDate::from_ymd_opt(2029, 11, 20).unwrap();
        assert_eq!(date_in(Lang::Vi, d), "20/11/2029");
        assert_eq!(date_in(Lang::En, d), "20 Nov 2029");
    }

    #[test]
    fn catalogue_urls_are_shareable_and_parse_back() {
        let q = CatalogQuery { q: "nước mắm".into(), min_stars: Some(4), ..Default::default() };
        let url = catalog_url(&q);
        assert_eq!(url, "/products?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&stars=4");
        assert_eq!(catalog_url(&CatalogQuery::default()), "/products");
    }
}
