//! The signed messages of the Vietnamese payment gateways the marketplace offers besides Stripe and
//! VietQR: VNPay (cards, bank apps, VNPay-QR) and the MoMo wallet. Pure: building and checking
//! signatures and reading amounts; the HTTP calls live in the server.

pub mod momo;
pub mod vnpay;

use hmac::{Hmac, Mac};

/// The reference a gateway knows a payment attempt by: the order number and the attempt's place
/// (`OCOP-2026-000123-2`). Both gateways want a fresh one for each try, and both accept this form.
pub fn attempt_ref(number: &str, attempt: i64) -> String {
    format!("{number}-{attempt}")
}

/// The order number an attempt reference belongs to.
pub fn order_of_ref(reference: &str) -> Option<String> {
    let (number, n) = reference.trim().rsplit_once('-')?;
    n.parse::<u32>().ok()?;
    crate::order::parse_order_number(number)
}
use sha2::{Sha256, Sha512};

/// Lower-case hex of HMAC-SHA512 (VNPay v2.1.0).
fn hmac_sha512(key: &str, data: &str) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Lower-case hex of HMAC-SHA256 (MoMo v2).
fn hmac_sha256(key: &str, data: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(data.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Compares a received hex signature with the expected one in constant time, case-blind.
fn same_hex(expected: &str, got: &str) -> bool {
    let got = got.trim().to_ascii_lowercase();
    got.len() == expected.len() && expected.bytes().zip(got.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_attempt_reference_leads_back_to_its_order() {
        let r = super::attempt_ref("OCOP-2026-000123", 2);
        assert_eq!(r, "OCOP-2026-000123-2");
        assert_eq!(super::order_of_ref(&r).as_deref(), Some("OCOP-2026-000123"));
        assert_eq!(super::order_of_ref("OCOP-2026-000123"), None, "no attempt");
        assert_eq!(super::order_of_ref("x-1"), None);
    }
}
