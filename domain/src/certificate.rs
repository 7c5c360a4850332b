//! Whether a certificate may show its star badge today.
//!
//! A certificate is valid 36 months from its decision date. Sources often give only the year of the
//! decision: then the last valid day is somewhere in one calendar year, and we only claim what is certain.
//!
//! Every page, export and API states validity one way: the **last valid day**, inclusive. Vietnam's
//! Civil Code 2015 counts a period in months from the day after the event (art. 147) and ends it at
//! the end of the corresponding day of the last month, or of that month's last day when it has no
//! such day (art. 148). A decision signed 20/11/2026 is therefore valid through 20/11/2029 and
//! lapses on 21/11/2029; one signed 29/02/2024 is valid through 28/02/2027.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ocop::Stars;

pub const VALIDITY_MONTHS: u32 = 36;
/// Shoppers and producers are warned this many days before a certificate lapses.
pub const EXPIRING_WITHIN_DAYS: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// The last day (inclusive) a certificate decided on `decided` is valid: the same day 36 months on,
/// or that month's last day when it has no such day (chrono's month arithmetic clamps the same way).
pub fn last_valid_day(decided: NaiveDate) -> NaiveDate {
    decided.checked_add_months(Months::new(VALIDITY_MONTHS)).unwrap_or(NaiveDate::MAX)
}

impl Certificate {
    /// Earliest and latest possible last valid day (equal when the decision day is known).
    pub fn last_valid_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let decided = self.decided_on?;
        let earliest = match self.precision {
            DatePrecision::Day => decided,
            DatePrecision::Year => NaiveDate::from_ymd_opt(decided.year(), 1, 1).unwrap_or(decided),
        };
        let latest = match self.precision {
            DatePrecision::Day => decided,
            DatePrecision::Year => NaiveDate::from_ymd_opt(decided.year(), 12, 31).unwrap_or(decided),
        };
        Some((last_valid_day(earliest), last_valid_day(latest)))
    }

    /// The last valid day when it is known to the day.
    pub fn last_valid_on(&self) -> Option<NaiveDate> {
        self.last_valid_range().filter(|(a, b)| a == b).map(|(a, _)| a)
    }

    pub fn status_on(&self, today: NaiveDate) -> CertStatus {
        if self.revoked_on.is_some_and(|r| r <= today) {
            return CertStatus::Revoked;
        }
        let Some((earliest, latest)) = self.last_valid_range() else {
            return CertStatus::Undated;
        };
        if today > latest {
            CertStatus::Expired
        } else if today > earliest {
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
    fn valid_through_the_same_day_36_months_on() {
        let c = cert(Some(d(2023, 12, 15)), DatePrecision::Day);
        assert_eq!(c.last_valid_range(), Some((d(2026, 12, 15), d(2026, 12, 15))));
        assert_eq!(c.last_valid_on(), Some(d(2026, 12, 15)));
        assert_eq!(c.status_on(d(2026, 9, 15)), CertStatus::Valid);
        assert_eq!(c.status_on(d(2026, 9, 16)), CertStatus::Expiring);
        assert_eq!(c.status_on(d(2026, 12, 15)), CertStatus::Expiring, "the last valid day is still valid");
        assert_eq!(c.status_on(d(2026, 12, 16)), CertStatus::Expired);
        // The case the issue found written two ways: decided 20/11/2026, valid through 20/11/2029.
        assert_eq!(last_valid_day(d(2026, 11, 20)), d(2029, 11, 20));
    }

    #[test]
    fn month_ends_and_leap_days_end_on_the_last_day_of_the_month() {
        // (decision, last valid day), worked by hand from the Civil Code's rule.
        let cases = [
            (d(2024, 2, 29), d(2027, 2, 28)), // leap day, no 29 February in 2027
            (d(2025, 2, 28), d(2028, 2, 28)), // 28 Feb stays 28 Feb, though 2028 has a 29th
            (d(2025, 3, 1), d(2028, 3, 1)),
            (d(2026, 1, 31), d(2029, 1, 31)),
            (d(2026, 3, 31), d(2029, 3, 31)),
            (d(2026, 5, 31), d(2029, 5, 31)),
            (d(2026, 8, 31), d(2029, 8, 31)),
            (d(2026, 12, 31), d(2029, 12, 31)),
            (d(2026, 1, 1), d(2029, 1, 1)),
            (d(2021, 2, 28), d(2024, 2, 28)), // not stretched to the leap day
        ];
        for (decided, last) in cases {
            assert_eq!(last_valid_day(decided), last, "decided {decided}");
            let c = cert(Some(decided), DatePrecision::Day);
            assert!(c.status_on(last).shows_badge(), "valid on its last day, decided {decided}");
            assert_eq!(c.status_on(last.succ_opt().unwrap()), CertStatus::Expired, "decided {decided}");
        }
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
        // Decided in 2024: valid through 1 Jan 2027 at least, 34 days away.
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
