//! GS1 Digital Link URIs (`https://{domain}/01/{GTIN-14}/10/{batch}`), what a batch's QR label
//! carries, and the other ways a scanner hands the till a GTIN with its batch: the bracketed
//! element string `(01)…(10)…` and the raw one with FNC1 (GS) separators.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// GS1 Digital Link leaves only RFC 3986's unreserved characters as they are.
const AI_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("không phải GS1 Digital Link (thiếu /01/) / not a GS1 Digital Link (no /01/)")]
    NoGtin,
    #[error("GTIN cần 8, 12, 13 hoặc 14 chữ số / a GTIN has 8, 12, 13 or 14 digits")]
    GtinLength,
    #[error("GTIN sai số kiểm tra, đúng ra là {expected} / wrong GTIN check digit: expected {expected}")]
    CheckDigit { expected: u8 },
    #[error(
        "thành phần /{0}/ không đúng thứ tự 22, 10, 21 hoặc lặp lại / /{0}/ is out of the order 22, 10, 21 or repeated"
    )]
    Order(String),
    #[error("không dùng được thành phần /{0}/ ở đây / /{0}/ cannot qualify a GTIN")]
    UnknownQualifier(String),
    #[error(
        "giá trị của /{0}/ trống, quá dài hoặc có ký tự không hợp lệ / the value of /{0}/ is empty, too long or holds a character GS1 does not allow"
    )]
    BadValue(String),
}

impl LinkError {
    /// The message in Vietnamese and in English, for a page or a till that shows them apart.
    pub fn message(&self) -> (String, String) {
        let full = self.to_string();
        match full.split_once(" / ") {
            Some((vi, en)) => (vi.to_string(), en.to_string()),
            None => (full.clone(), full),
        }
    }
}

/// A GTIN written as 14 digits, its check digit verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin(String);

impl Gtin {
    /// GTIN-8, -12 (UPC), -13 (EAN) or -14, padded with leading zeros to 14 digits.
    pub fn parse(raw: &str) -> Result<Gtin, LinkError> {
        let raw = raw.trim();
        if !raw.bytes().all(|b| b.is_ascii_digit()) || ![8, 12, 13, 14].contains(&raw.len()) {
            return Err(LinkError::GtinLength);
        }
        let padded = format!("{raw:0>14}");
        let expected = check_digit(&padded[..13]);
        if padded.as_bytes()[13] - b'0' != expected {
            return Err(LinkError::CheckDigit { expected });
        }
        Ok(Gtin(padded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The EAN-13 a package's barcode carries, when this GTIN is one (its first digit is 0).
    pub fn ean13(&self) -> Option<&str> {
        self.0.strip_prefix('0')
    }
}

impl std::fmt::Display for Gtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// GS1's mod-10: weights 3 and 1 alternating from the digit next to the check digit.
fn check_digit(body: &str) -> u8 {
    let sum: u32 =
        body.bytes().rev().enumerate().map(|(i, b)| (b - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

/// Key qualifiers of a GTIN, in the only order GS1 allows them: consumer product variant (22),
/// batch or lot (10), serial (21).
const QUALIFIERS: [&str; 3] = ["22", "10", "21"];

/// GS1 character set 82 (what AI 10, 21 and 22 may hold).
fn cset82(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!\"%&'()*+,-./:;<=>?_".contains(&b))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitalLink {
    pub gtin: Gtin,
    pub variant: Option<String>,
    pub batch: Option<String>,
    pub serial: Option<String>,
}

impl DigitalLink {
    pub fn batch(gtin: Gtin, batch: &str) -> DigitalLink {
        DigitalLink { gtin, variant: None, batch: Some(batch.to_string()), serial: None }
    }

    /// The URI on `base` (scheme and host, no trailing slash), qualifiers in GS1's order, each
    /// value percent-encoded.
    pub fn uri(&self, base: &str) -> String {
        let mut out = format!("{}/01/{}", base.trim_end_matches('/'), self.gtin);
        for (ai, v) in QUALIFIERS.iter().zip([&self.variant, &self.batch, &self.serial]) {
            if let Some(v) = v {
                out.push_str(&format!("/{ai}/{}", utf8_percent_encode(v, AI_VALUE)));
            }
        }
        out
    }

    /// Reads a Digital Link from a whole URI or its path. A custom path before `/01/` is allowed, as
    /// is a query (data attributes such as expiry, `linkType`), which is ignored.
    pub fn parse(uri: &str) -> Result<DigitalLink, LinkError> {
        let path = match uri.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or(""),
            None => uri,
        };
        let path = path.split(['?', '#']).next().unwrap_or("");
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        // The primary key is the last `01` (or `gtin`) followed by a value: a custom stem may hold
        // anything, but what comes after the key is the key's.
        let at = (0..segments.len().saturating_sub(1))
            .rev()
            .find(|&i| matches!(segments[i], "01" | "gtin"))
            .ok_or(LinkError::NoGtin)?;
        let gtin = Gtin::parse(segments[at + 1])?;
        let mut link = DigitalLink { gtin, variant: None, batch: None, serial: None };
        let rest = &segments[at + 2..];
        let mut last = None;
        for pair in rest.chunks(2) {
            let ai = match pair[0] {
                "cpv" => "22",
                "lot" => "10",
                "ser" => "21",
                other => other,
            };
            let Some(pos) = QUALIFIERS.iter().position(|q| *q == ai) else {
                return Err(LinkError::UnknownQualifier(pair[0].to_string()));
            };
            if last.is_some_and(|l| pos <= l) {
                return Err(LinkError::Order(ai.to_string()));
            }
            last = Some(pos);
            let value = pair
                .get(1)
                .and_then(|v| percent_decode_str(v).decode_utf8().ok())
                .map(|v| v.into_owned())
                .filter(|v| !v.is_empty() && v.len() <= 20 && cset82(v))
                .ok_or_else(|| LinkError::BadValue(ai.to_string()))?;
            match pos {
                0 => link.variant = Some(value),
                1 => link.batch = Some(value),
                _ => link.serial = Some(value),
            }
        }
        Ok(link)
    }
}

/// What a till's scanner read: the code to look the item up by (a barcode or SKU) and, when the
/// label carried one, the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub item: String,
    pub batch: Option<String>,
}

const GS: char = '\u{1d}';

impl Scan {
    /// A Digital Link, a bracketed or raw GS1 element string, or a plain barcode or SKU. Symbology
    /// prefixes some scanners send (`]C1`, `]d2`, `]Q3`, `]e0`) are dropped.
    pub fn read(raw: &str) -> Result<Scan, LinkError> {
        let s = raw.trim();
        let s = if s.starts_with(']') && s.len() > 3 { &s[3..] } else { s };
        if s.contains("://") || s.starts_with("/01/") {
            let link = DigitalLink::parse(s)?;
            return Ok(Scan { item: item_of(&link.gtin), batch: link.batch });
        }
        if s.starts_with("(01)") {
            let mut gtin = None;
            let mut batch = None;
            for part in s.split('(').filter(|p| !p.is_empty()) {
                let (ai, v) = part.split_once(')').ok_or_else(|| LinkError::BadValue(part.to_string()))?;
                match ai {
                    "01" => gtin = Some(Gtin::parse(v)?),
                    "10" => batch = Some(element(ai, v)?),
                    _ => {}
                }
            }
            let gtin = gtin.ok_or(LinkError::NoGtin)?;
            return Ok(Scan { item: item_of(&gtin), batch });
        }
        if s.len() > 16 && s.starts_with("01") && s[2..16].bytes().all(|b| b.is_ascii_digit()) {
            return raw_element_string(s);
        }
        Ok(Scan { item: s.to_string(), batch: None })
    }
}

fn item_of(gtin: &Gtin) -> String {
    gtin.ean13().map(str::to_string).unwrap_or_else(|| gtin.to_string())
}

fn element(ai: &str, v: &str) -> Result<String, LinkError> {
    let v = v.trim_end_matches(GS);
    if v.is_empty() || v.len() > 20 || !cset82(v) {
        return Err(LinkError::BadValue(ai.to_string()));
    }
    Ok(v.to_string())
}

/// `01{14}` then AIs: dates (11, 13, 15, 17) are six digits; batch (10) and serial (21) run to a GS or
/// the end.
fn raw_element_string(s: &str) -> Result<Scan, LinkError> {
    let gtin = Gtin::parse(&s[2..16])?;
    let mut rest = &s[16..];
    let mut batch = None;
    while !rest.is_empty() {
        rest = rest.trim_start_matches(GS);
        if rest.len() < 2 {
            break;
        }
        let (ai, tail) = rest.split_at(2);
        match ai {
            "11" | "13" | "15" | "17" => {
                if tail.len() < 6 {
                    return Err(LinkError::BadValue(ai.to_string()));
                }
                rest = &tail[6..];
            }
            "10" | "21" => {
                let end = tail.find(GS).unwrap_or(tail.len());
                let v = element(ai, &tail[..end])?;
                if ai == "10" {
                    batch = Some(v);
                }
                rest = &tail[end..];
            }
            other => return Err(LinkError::UnknownQualifier(other.to_string())),
        }
    }
    Ok(Scan { item: item_of(&gtin), batch })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtins_are_padded_to_fourteen_digits_and_checked() {
        // EAN-13 8934563138165 → 0 + the 13 digits; the check digit stays the same.
        assert_eq!(Gtin::parse("8934563138165").unwrap().as_str(), "08934563138165");
        // GS1's own GTIN-14 example from the Digital Link standard.
        assert_eq!(Gtin::parse("09506000134352").unwrap().as_str(), "09506000134352");
        // UPC-A 036000291452 and EAN-8 96385074.
        assert_eq!(Gtin::parse("036000291452").unwrap().as_str(), "00036000291452");
        assert_eq!(Gtin::parse("96385074").unwrap().as_str(), "00000096385074");
        assert_eq!(Gtin::parse("8934563138166"), Err(LinkError::CheckDigit { expected: 5 }));
        assert_eq!(Gtin::parse("893456313816"), Err(LinkError::CheckDigit { expected: 3 }), "12 digits read as UPC");
        assert_eq!(Gtin::parse("89345631381"), Err(LinkError::GtinLength));
        assert_eq!(Gtin::parse("8934563l38165"), Err(LinkError::GtinLength));
        assert_eq!(Gtin::parse("08934563138165").unwrap().ean13(), Some("8934563138165"));
    }

    #[test]
    fn a_batch_link_is_built_on_our_domain() {
        let link = DigitalLink::batch(Gtin::parse("8934563138165").unwrap(), "L2611-A");
        assert_eq!(link.uri("https://ocop.example.vn/"), "https://ocop.example.vn/01/08934563138165/10/L2611-A");
        // Characters outside the unreserved set are percent-encoded, so a `/` in a lot stays one value.
        let odd = DigitalLink::batch(Gtin::parse("09506000134352").unwrap(), "AB/12%C&D");
        let uri = odd.uri("https://id.gs1.org");
        assert_eq!(uri, "https://id.gs1.org/01/09506000134352/10/AB%2F12%25C%26D");
        assert_eq!(DigitalLink::parse(&uri).unwrap(), odd);
    }

    #[test]
    fn links_are_parsed_with_qualifiers_in_order() {
        // GS1's example, with variant, lot and serial, a custom stem and a query of data attributes.
        let l = DigitalLink::parse(
            "https://example.com/shop/01/09506000134352/22/2A/10/ABC123/21/12345?17=291120&linkType=gs1:pip",
        )
        .unwrap();
        assert_eq!(l.gtin.as_str(), "09506000134352");
        assert_eq!(l.variant.as_deref(), Some("2A"));
        assert_eq!(l.batch.as_deref(), Some("ABC123"));
        assert_eq!(l.serial.as_deref(), Some("12345"));
        // A 13-digit GTIN in the URI is read as its 14-digit form; a path alone is enough.
        let short = DigitalLink::parse("/01/8934563138165/10/L1").unwrap();
        assert_eq!(short.gtin.as_str(), "08934563138165");
        // The alphabetic keys of Digital Link 1.1.
        assert_eq!(DigitalLink::parse("/gtin/09506000134352/lot/ABC").unwrap().batch.as_deref(), Some("ABC"));
        assert_eq!(
            DigitalLink::parse("/01/09506000134352/21/5/10/ABC"),
            Err(LinkError::Order("10".into())),
            "serial before lot"
        );
        assert_eq!(DigitalLink::parse("/01/09506000134352/10/A/10/B"), Err(LinkError::Order("10".into())));
        assert_eq!(DigitalLink::parse("/01/09506000134352/17/291120"), Err(LinkError::UnknownQualifier("17".into())));
        assert_eq!(DigitalLink::parse("/01/09506000134352/10"), Err(LinkError::BadValue("10".into())));
        assert_eq!(DigitalLink::parse("/01/09506000134353/10/A"), Err(LinkError::CheckDigit { expected: 2 }));
        assert_eq!(DigitalLink::parse("https://example.com/products/x"), Err(LinkError::NoGtin));
        assert_eq!(
            DigitalLink::parse("/01/09506000134352/10/L%C3%94"),
            Err(LinkError::BadValue("10".into())),
            "not CSET 82"
        );
    }

    #[test]
    fn scanners_hand_over_a_gtin_and_batch_in_several_forms() {
        let want = Scan { item: "8934563138165".into(), batch: Some("L2611-A".into()) };
        assert_eq!(Scan::read("https://ocop.example.vn/01/08934563138165/10/L2611-A").unwrap(), want);
        assert_eq!(Scan::read("(01)08934563138165(17)291120(10)L2611-A").unwrap(), want);
        assert_eq!(Scan::read("]d201089345631381651729112010L2611-A").unwrap(), want);
        assert_eq!(Scan::read("0108934563138165\u{1d}10L2611-A\u{1d}21SER9").unwrap(), want);
        assert_eq!(Scan::read("8934563138165").unwrap(), Scan { item: "8934563138165".into(), batch: None });
        assert_eq!(Scan::read(" BT-CA-01 ").unwrap(), Scan { item: "BT-CA-01".into(), batch: None });
        assert!(Scan::read("(01)08934563138166(10)X").is_err());
        assert_eq!(LinkError::NoGtin.message().1, "not a GS1 Digital Link (no /01/)");
    }
}
