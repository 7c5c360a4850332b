//! What the portal's and the office's side navigation and the office home show: the counts that
//! tell a producer or a clerk what is waiting, as plain data the store gathers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::participation::Participation;

/// Which workspace a signed-in account works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Area {
    Portal,
    Office,
    /// A commune officer: the commune's producers' dossiers.
    Commune,
    /// A council member: the dossiers of the rounds they score.
    Council,
}

/// A till is "quiet" after this long without a pull or a push.
pub const QUIET_AFTER_HOURS: i64 = 24;
/// Certificates are flagged this many days before their last valid day.
pub const EXPIRING_WITHIN_DAYS: i64 = crate::certificate::EXPIRING_WITHIN_DAYS;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavCounts {
    /// Portal: the producer's orders not yet shipped. Office: every open order.
    pub orders: usize,
    /// Certificates whose last valid day is within [`EXPIRING_WITHIN_DAYS`] (the producer's, or all).
    pub certificates_expiring: usize,
    /// Office: channel reports awaiting verification.
    pub reports_pending: usize,
    /// Office: showrooms whose tills have not synced within [`QUIET_AFTER_HOURS`].
    pub quiet_showrooms: usize,
    /// OCOP dossiers waiting for this account's step (see `store::evaluation::dossiers::waiting`).
    pub dossiers: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub area: Area,
    pub user_name: String,
    /// The producer's name in the portal; the office's in the office.
    pub organisation: String,
    pub counts: NavCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiringCert {
    pub number: String,
    pub product_id: i64,
    pub product: String,
    pub producer: String,
    pub stars: i32,
    /// Earliest and latest possible last valid day (a year apart when only the year is known).
    pub last_valid_range: (NaiveDate, NaiveDate),
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietShowroom {
    pub code: String,
    pub name: String,
    /// The last pull or push of any of its tills; None when none ever synced.
    pub last_sync: Option<DateTime<Utc>>,
}

/// The office home: the figures that matter today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeToday {
    pub participation: Participation,
    pub orders_waiting: usize,
    pub expiring: Vec<ExpiringCert>,
    pub quiet_showrooms: Vec<QuietShowroom>,
    pub showrooms: usize,
    pub reports_pending: usize,
    /// OCOP dossiers waiting for the office: proposed by their commune, or scored and not yet ranked.
    #[serde(default)]
    pub dossiers_waiting: usize,
}

/// Whether a showroom whose tills last synced at `last` counts as quiet at `now`.
pub fn is_quiet(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last.is_none_or(|t| now - t > chrono::Duration::hours(QUIET_AFTER_HOURS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_till_is_quiet_after_a_day_or_never_synced() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z").unwrap().with_timezone(&Utc);
        assert!(is_quiet(None, now));
        assert!(!is_quiet(Some(now - chrono::Duration::hours(24)), now));
        assert!(is_quiet(Some(now - chrono::Duration::hours(24) - chrono::Duration::seconds(1)), now));
    }
}
