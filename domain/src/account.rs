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
    /// An officer of a commune's People's Committee: files dossiers on its producers' behalf,
    /// checks them and proposes them to the province (the account carries its commune).
    Commune,
    /// A member of the provincial evaluation council: scores the dossiers of the rounds they sit on.
    Council,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Shopper, Role::Producer, Role::Staff, Role::Admin, Role::Commune, Role::Council];

    pub fn code(self) -> &'static str {
        match self {
            Role::Shopper => "shopper",
            Role::Producer => "producer",
            Role::Staff => "staff",
            Role::Admin => "admin",
            Role::Commune => "commune",
            Role::Council => "council",
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
            Role::Commune => ("Cán bộ UBND xã", "Commune officer"),
            Role::Council => ("Thành viên hội đồng đánh giá", "Evaluation council member"),
        }
    }
}

impl Account {
    /// Where the account lands after signing in: producers' members in the portal, the office's
    /// staff in the office, commune officers and council members at their dossiers, everyone else
    /// on their account page.
    pub fn home(&self) -> &'static str {
        match (self.role, self.producer_id) {
            (Role::Admin, _) => "/office",
            (Role::Commune | Role::Council, _) => "/office/dossiers",
            (Role::Producer, Some(_)) => "/portal",
            _ => "/account",
        }
    }
}

/// How long a signed-in session lives: it ends after `idle` without use, and after `max` whatever
/// the use, so a session cookie left on a shared computer does not open the account for ever.
/// Accounts that change the catalogue, orders or the programme sign in again sooner than shoppers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: chrono::Duration,
    pub max: chrono::Duration,
}

impl SessionLimits {
    /// Whether a session opened at `created` and last used at `last_seen` is still live at `now`.
    pub fn live(
        self,
        created: chrono::DateTime<chrono::Utc>,
        last_seen: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        now < last_seen + self.idle && now < created + self.max
    }
}

impl Role {
    pub fn session_limits(self) -> SessionLimits {
        match self {
            Role::Shopper => SessionLimits { idle: chrono::Duration::days(30), max: chrono::Duration::days(90) },
            Role::Producer | Role::Staff | Role::Admin | Role::Commune | Role::Council => {
                SessionLimits { idle: chrono::Duration::days(3), max: chrono::Duration::days(30) }
            }
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
    fn a_session_ends_when_idle_and_at_its_cap_whatever_the_use() {
        let t = |d: i64, h: i64| {
            chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().to_utc()
                + chrono::Duration::days(d)
                + chrono::Duration::hours(h)
        };
        let shopper = Role::Shopper.session_limits();
        assert!(shopper.live(t(0, 0), t(0, 0), t(29, 23)));
        assert!(!shopper.live(t(0, 0), t(0, 0), t(30, 1)), "30 days unused");
        assert!(shopper.live(t(0, 0), t(80, 0), t(89, 0)), "used every day");
        assert!(!shopper.live(t(0, 0), t(89, 23), t(90, 1)), "used every day, but past the cap");
        let office = Role::Admin.session_limits();
        assert!(!office.live(t(0, 0), t(0, 0), t(3, 1)), "the office signs in again after 3 idle days");
        assert!(!office.live(t(0, 0), t(29, 23), t(30, 1)));
    }

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
