//! Money is whole Vietnamese đồng: the currency has no minor unit in practice.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Vnd(pub i64);

impl Vnd {
    pub fn amount(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Vnd {
    /// Vietnamese convention: dot as thousands separator, the symbol after the number ("150.000 ₫").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(ch);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{grouped} ₫")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_dot_groups_and_dong_sign() {
        assert_eq!(Vnd(150_000).to_string(), "150.000 ₫");
        assert_eq!(Vnd(0).to_string(), "0 ₫");
        assert_eq!(Vnd(999).to_string(), "999 ₫");
        assert_eq!(Vnd(1_000).to_string(), "1.000 ₫");
        assert_eq!(Vnd(1_250_000).to_string(), "1.250.000 ₫");
        assert_eq!(Vnd(-45_500).to_string(), "-45.500 ₫");
    }
}
