//! EAN-13 barcodes: what showroom scanners read off OCOP packages (Vietnam's GS1 prefix is 893).

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BarcodeError {
    #[error("mã vạch EAN-13 phải có đúng 13 chữ số / an EAN-13 barcode has exactly 13 digits")]
    Length,
    #[error("mã vạch sai số kiểm tra / wrong check digit: expected {expected}")]
    CheckDigit { expected: u8 },
}

/// The check digit for the first 12 digits: weights 1 and 3 alternating from the left.
pub fn ean13_check_digit(first12: &[u8; 12]) -> u8 {
    let sum: u32 = first12.iter().enumerate().map(|(i, d)| *d as u32 * if i % 2 == 0 { 1 } else { 3 }).sum();
    ((10 - sum % 10) % 10) as u8
}

pub fn validate_ean13(code: &str) -> Result<(), BarcodeError> {
    let digits: Vec<u8> = code.bytes().filter(|b| b.is_ascii_digit()).map(|b| b - b'0').collect();
    if digits.len() != 13 || code.len() != 13 {
        return Err(BarcodeError::Length);
    }
    let first12: [u8; 12] = digits[..12].try_into().map_err(|_| BarcodeError::Length)?;
    let expected = ean13_check_digit(&first12);
    if digits[12] == expected { Ok(()) } else { Err(BarcodeError::CheckDigit { expected }) }
}

/// Completes a 12-digit body with its check digit.
pub fn ean13_from_body(body: u64) -> String {
    let s = format!("{:012}", body % 1_000_000_000_000);
    let digits: [u8; 12] = s.as_bytes().iter().map(|b| b - b'0').collect::<Vec<_>>().try_into().expect("12 digits");
    format!("{s}{}", ean13_check_digit(&digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_barcodes_validate() {
        // Published examples: the GS1 sample and a Vietnamese (893) product.
        assert_eq!(validate_ean13("4006381333931"), Ok(()));
        assert_eq!(validate_ean13("8934563138165"), Ok(()));
        assert_eq!(validate_ean13("5901234123457"), Ok(()));
    }

    #[test]
    fn wrong_check_digit_or_length_is_refused() {
        assert_eq!(validate_ean13("4006381333932"), Err(BarcodeError::CheckDigit { expected: 1 }));
        assert_eq!(validate_ean13("400638133393"), Err(BarcodeError::Length));
        assert_eq!(validate_ean13("40063813339311"), Err(BarcodeError::Length));
        assert_eq!(validate_ean13("40063813339a1"), Err(BarcodeError::Length));
    }

    #[test]
    fn generated_codes_are_valid() {
        let code = ean13_from_body(893_000_000_042);
        assert_eq!(code.len(), 13);
        assert!(code.starts_with("893"));
        assert_eq!(validate_ean13(&code), Ok(()));
    }
}
