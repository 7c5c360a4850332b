//! Traceability along the value chain (Circular 02/2024/TT-BKHCN, TCVN 12850:2019 after GS1):
//! production batches, the GS1 Digital Link a batch's QR label carries, which batch a sale took
//! (first-expiring-first-out when nobody said), and how far a recall reaches.

pub mod digital_link;
pub mod fefo;
pub mod recall;
pub mod records;

pub use digital_link::{DigitalLink, Gtin, LinkError, Scan};
pub use fefo::{Allocation, Candidate, TillPick};
pub use recall::{Reach, RecallStatus, Take};

/// A batch code as printed on the package and carried in AI (10): 1 to 20 characters. We take
/// letters, digits and `- . / _` (a subset of GS1's character set 82 that survives any label
/// printer and needs no escaping in a spreadsheet), upper-cased so a cashier typing it matches.
pub fn batch_code(raw: &str) -> Result<String, (&'static str, &'static str)> {
    let code = raw.trim().to_uppercase();
    if code.is_empty() || code.chars().count() > 20 {
        return Err(("Mã lô cần 1–20 ký tự.", "A batch code has 1-20 characters."));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_')) {
        return Err((
            "Mã lô chỉ gồm chữ không dấu, số và - . / _",
            "A batch code may hold only letters A-Z, digits and - . / _",
        ));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_codes_are_upper_cased_and_checked() {
        assert_eq!(batch_code(" l2611-a ").unwrap(), "L2611-A");
        assert!(batch_code("").is_err());
        assert!(batch_code("ABCDEFGHIJKLMNOPQRSTU").is_err(), "21 characters");
        assert!(batch_code("LÔ 1").is_err(), "diacritics and spaces");
        assert!(batch_code("A&B").is_err());
    }
}
