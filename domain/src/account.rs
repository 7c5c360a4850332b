//! Who may sign in, and as what.

use serde::{Deserialize, Serialize};

use crate::address::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Shopper,
    /// A member of one producer: touches only that producer's listings, stock and order lines.
    Producer,
    /// Staff of one showroom.
    Staff,
    /// The provincial OCOP office.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Shopper, Role::Producer, Role::Staff, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Shopper => "shopper",
            Role::Producer => "producer",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Role::Shopper => ("Khách hàng", "Shopper"),
            Role::Producer => ("Chủ thể OCOP", "Producer"),
            Role::Staff => ("Nhân viên điểm bán", "Showroom staff"),
            Role::Admin => ("Văn phòng OCOP", "OCOP office"),
        }
    }
}

/// A signed-in person, as pages and handlers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub producer_id: Option<i64>,
    pub showroom_id: Option<i64>,
}

/// How a person names their account: an email address or a Vietnamese phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Login {
    Email(String),
    Phone(String),
}

impl Login {
    pub fn parse(raw: &str) -> Option<Login> {
        let s = raw.trim();
        if s.contains('@') {
            let lower = s.to_lowercase();
            (lower.len() <= 254 && crate::address::plain_email(&lower)).then_some(Login::Email(lower))
        } else {
            crate::address::normalize_phone(s).map(Login::Phone)
        }
    }

    /// The key that counts failed sign-ins for this account.
    pub fn key(&self) -> String {
        match self {
            Login::Email(e) => format!("email:{e}"),
            Login::Phone(p) => format!("phone:{p}"),
        }
    }
}

pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 128;

/// Length is what makes a password strong; a few obvious ones are refused outright.
pub fn check_password(pw: &str) -> Result<(), FieldError> {
    let n = pw.chars().count();
    let err =
        |vi: &str, en: &str| FieldError { field: "password".into(), message_vi: vi.into(), message_en: en.into() };
    if n < MIN_PASSWORD {
        return Err(err("Mật khẩu cần ít nhất 10 ký tự.", "The password needs at least 10 characters."));
    }
    if n > MAX_PASSWORD {
        return Err(err("Mật khẩu dài quá 128 ký tự.", "The password is longer than 128 characters."));
    }
    let lower = pw.to_lowercase();
    let first = lower.chars().next().unwrap_or(' ');
    if lower.chars().all(|c| c == first)
        || ["1234567890", "0123456789", "matkhau123", "password12"].contains(&lower.as_str())
    {
        return Err(err("Mật khẩu quá dễ đoán.", "The password is too easy to guess."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_emails_or_vietnamese_phones() {
        assert_eq!(Login::parse(" Hoa@Example.VN "), Some(Login::Email("hoa@example.vn".into())));
        assert_eq!(Login::parse("+84 912 345 678"), Some(Login::Phone("0912345678".into())));
        assert_eq!(Login::parse("hoa@"), None);
        assert_eq!(Login::parse("12345"), None);
        assert_eq!(Login::parse("0912345678").unwrap().key(), "phone:0912345678");
    }

    #[test]
    fn passwords_need_length_and_not_be_obvious() {
        assert!(check_password("nuoc-mam-phan-thiet").is_ok());
        assert!(check_password("short").is_err());
        assert!(check_password("aaaaaaaaaaaa").is_err());
        assert!(check_password("1234567890").is_err());
        assert!(check_password(&"x".repeat(129)).is_err());
    }
}
