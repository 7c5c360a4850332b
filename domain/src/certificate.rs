//! Whether a certificate may show its star badge today.
//!
//! A certificate is valid 36 months from its decision date. Sources often give only the year of the
//! decision: then the expiry is somewhere in one calendar year, and we only claim what is certain.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ocop::Stars;

pub const VALIDITY_MONTHS: u32 = 36;
/// Shoppers and producers are warned this many days before a certificate lapses.
pub const EXPIRING_WITHIN_DAYS: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DatePrecision {
    Day,
    /// Only the year is known; the stored date is 1 January of it.
    Year,
}

impl DatePrecision {
    pub fn code(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Year => "year",
        }
    }
    pub fn parse(code: &str) -> Self {
        if code == "year" { DatePrecision::Year } else { DatePrecision::Day }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertStatus {
    Valid,
    /// Valid, but lapses within [`EXPIRING_WITHIN_DAYS`].
    Expiring,
    Expired,
    Revoked,
    /// Only the year is known and the expiry falls in a window that contains today:
    /// it may have lapsed, so no badge until the office records the exact date.
    Unconfirmed,
    /// No decision date on record at all.
    Undated,
}

impl CertStatus {
    /// Only these statuses may show the OCOP star badge.
    pub fn shows_badge(self) -> bool {
        matches!(self, CertStatus::Valid | CertStatus::Expiring)
    }

    pub fn code(self) -> &'static str {
        match self {
            CertStatus::Valid => "valid",
            CertStatus::Expiring => "expiring",
            CertStatus::Expired => "expired",
            CertStatus::Revoked => "revoked",
            CertStatus::Unconfirmed => "unconfirmed",
            CertStatus::Undated => "undated",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            CertStatus::Valid => "Còn hiệu lực",
            CertStatus::Expiring => "Sắp hết hiệu lực",
            CertStatus::Expired => "Hết hiệu lực",
            CertStatus::Revoked => "Đã thu hồi",
            CertStatus::Unconfirmed => "Cần xác minh hiệu lực",
            CertStatus::Undated => "Chưa rõ ngày công nhận",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            CertStatus::Valid => "Valid",
            CertStatus::Expiring => "Expiring soon",
            CertStatus::Expired => "Expired",
            CertStatus::Revoked => "Revoked",
            CertStatus::Unconfirmed => "Validity to be confirmed",
            CertStatus::Undated => "Decision date not recorded",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub stars: Stars,
    pub decided_on: Option<NaiveDate>,
    pub precision: DatePrecision,
    pub revoked_on: Option<NaiveDate>,
}

/// The day a certificate decided on `decided` stops being valid.
pub fn expiry_of(decided: NaiveDate) -> NaiveDate {
    decided.checked_add_months(Months::new(VALIDITY_MONTHS)).unwrap_or(NaiveDate::MAX)
}

impl Certificate {
    /// Earliest and latest possible expiry (equal when the day is known).
    pub fn expiry_window(&self) -> Option<(NaiveDate, NaiveDate)> {
        let decided = self.decided_on?;
        let earliest = expiry_of(decided);
        let latest = match self.precision {
            DatePrecision::Day => earliest,
            DatePrecision::Year => {
                expiry_of(NaiveDate::from_ymd_opt(decided.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX))
            }
        };
        Some((earliest, latest))
    }

    pub fn status_on(&self, today: NaiveDate) -> CertStatus {
        if self.revoked_on.is_some_and(|r| r <= today) {
            return CertStatus::Revoked;
        }
        let Some((earliest, latest)) = self.expiry_window() else {
            return CertStatus::Undated;
        };
        if today >= latest {
            CertStatus::Expired
        } else if today >= earliest {
            CertStatus::Unconfirmed
        } else if (earliest - today).num_days() <= EXPIRING_WITHIN_DAYS {
            CertStatus::Expiring
        } else {
            CertStatus::Valid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cert(decided: Option<NaiveDate>, precision: DatePrecision) -> Certificate {
        Certificate { stars: Stars::new(4).unwrap(), decided_on: decided, precision, revoked_on: None }
    }

    #[test]
    fn valid_for_36_months_to_the_day() {
        let c = cert(Some(d(2023, 12, 15)), DatePrecision::Day);
        assert_eq!(c.expiry_window(), Some((d(2026, 12, 15), d(2026, 12, 15))));
        assert_eq!(c.status_on(d(2026, 9, 15)), CertStatus::Valid);
        assert_eq!(c.status_on(d(2026, 9, 16)), CertStatus::Expiring);
        assert_eq!(c.status_on(d(2026, 12, 14)), CertStatus::Expiring);
        assert_eq!(c.status_on(d(2026, 12, 15)), CertStatus::Expired);
    }

    #[test]
    fn month_end_decisions_expire_at_month_end() {
        let c = cert(Some(d(2024, 2, 29)), DatePrecision::Day);
        assert_eq!(c.expiry_window().unwrap().0, d(2027, 2, 28));
    }

    #[test]
    fn revocation_wins_over_dates() {
        let mut c = cert(Some(d(2025, 1, 10)), DatePrecision::Day);
        c.revoked_on = Some(d(2026, 3, 1));
        assert_eq!(c.status_on(d(2026, 2, 28)), CertStatus::Valid);
        assert_eq!(c.status_on(d(2026, 3, 1)), CertStatus::Revoked);
        assert!(!CertStatus::Revoked.shows_badge());
    }

    #[test]
    fn year_only_dates_claim_only_what_is_certain() {
        let today = d(2026, 11, 28);
        let y = |year| cert(Some(d(year, 1, 1)), DatePrecision::Year);
        // Decided some day in 2022: lapsed by 1 Jan 2026 at the latest.
        assert_eq!(y(2022).status_on(today), CertStatus::Expired);
        // Decided in 2023: lapses some day in 2026, maybe already.
        assert_eq!(y(2023).status_on(today), CertStatus::Unconfirmed);
        assert!(!CertStatus::Unconfirmed.shows_badge());
        // Decided in 2024: valid until 1 Jan 2027 at least, 34 days away.
        assert_eq!(y(2024).status_on(today), CertStatus::Expiring);
        assert_eq!(y(2025).status_on(today), CertStatus::Valid);
    }

    #[test]
    fn no_date_means_no_badge() {
        let c = cert(None, DatePrecision::Day);
        assert_eq!(c.status_on(d(2026, 1, 1)), CertStatus::Undated);
        assert!(!CertStatus::Undated.shows_badge());
        assert!(CertStatus::Expiring.shows_badge());
    }
}
