//! What a shopper is told after ordering: a timeline in their words, when it should arrive, and
//! where the parcel is. Built from the order's status history; nothing internal (accounts, codes)
//! reaches it.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::order::{OrderStatus, PaymentMethod};

/// A step of the timeline, in the order a parcel goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Placed,
    Paid,
    Packed,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

impl Step {
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Step::Placed => ("Đã đặt hàng", "Order placed"),
            Step::Paid => ("Đã nhận thanh toán", "Payment received"),
            Step::Packed => ("Người bán đã đóng gói", "Packed by the makers"),
            Step::Shipped => ("Đã giao cho đơn vị vận chuyển", "On its way"),
            Step::Delivered => ("Đã giao hàng", "Delivered"),
            Step::Cancelled => ("Đơn đã huỷ", "Order cancelled"),
            Step::Refunded => ("Đã hoàn tiền", "Money refunded"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    Done,
    /// What the order waits for now.
    Next,
    Later,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineStep {
    pub step: Step,
    pub state: StepState,
    /// When it happened, Vietnam time, for steps done.
    pub at: Option<String>,
}

/// The timeline for an order in `status`, paid by `method`, given when each status was reached
/// (`reached`: status and its time as shown, in the order they happened; the first is the placing).
pub fn timeline(status: OrderStatus, method: PaymentMethod, reached: &[(OrderStatus, String)]) -> Vec<TimelineStep> {
    let when = |s: OrderStatus| reached.iter().rev().find(|(r, _)| *r == s).map(|(_, at)| at.clone());
    let placed_at = reached.first().map(|(_, at)| at.clone());
    let mut path = vec![(Step::Placed, placed_at, true)];
    let mut add = |step: Step, status_reached: OrderStatus| {
        let at = when(status_reached);
        let done = at.is_some();
        path.push((step, at, done));
    };
    if method.pays_first() {
        add(Step::Paid, OrderStatus::Paid);
    }
    add(Step::Packed, OrderStatus::Packed);
    add(Step::Shipped, OrderStatus::Shipped);
    add(Step::Delivered, OrderStatus::Delivered);
    // An order that ended early shows what it went through, then how it ended.
    let ended = match status {
        OrderStatus::Cancelled => Some((Step::Cancelled, when(OrderStatus::Cancelled))),
        OrderStatus::Refunded => Some((Step::Refunded, when(OrderStatus::Refunded))),
        _ => None,
    };
    if let Some((step, at)) = ended {
        let mut steps: Vec<TimelineStep> = path
            .into_iter()
            .filter(|(_, _, done)| *done)
            .map(|(step, at, _)| TimelineStep { step, state: StepState::Done, at })
            .collect();
        steps.push(TimelineStep { step, state: StepState::Done, at });
        return steps;
    }
    let mut next_given = false;
    path.into_iter()
        .map(|(step, at, done)| {
            let state = if done {
                StepState::Done
            } else if !next_given {
                next_given = true;
                StepState::Next
            } else {
                StepState::Later
            };
            TimelineStep { step, state, at }
        })
        .collect()
}

/// Working days (Monday to Saturday, as couriers run) from placing to the door: packing, then the
/// road. The shop ships from Phan Thiết, so the merged Lâm Đồng is next door.
fn days_on_the_way(province: &str) -> (i64, i64) {
    match province {
        "lam-dong" => (1, 3),
        "khanh-hoa" | "dong-nai" | "ho-chi-minh" | "dak-lak" => (2, 4),
        _ => (3, 6),
    }
}

fn add_working_days(mut day: NaiveDate, n: i64) -> NaiveDate {
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if day.weekday() != Weekday::Sun {
            left -= 1;
        }
    }
    day
}

/// The days the parcel should arrive between, for an order placed (or paid) on `from` and going to
/// `province`; `None` once it has arrived or will not.
pub fn estimate(status: OrderStatus, from: NaiveDate, province: &str) -> Option<(NaiveDate, NaiveDate)> {
    if !matches!(
        status,
        OrderStatus::PendingPayment
            | OrderStatus::Confirmed
            | OrderStatus::Paid
            | OrderStatus::Packed
            | OrderStatus::Shipped
    ) {
        return None;
    }
    let (early, late) = days_on_the_way(province);
    Some((add_working_days(from, early), add_working_days(from, late)))
}

/// Couriers a producer can name when shipping, each with its public tracking page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Carrier {
    Ghn,
    Ghtk,
    ViettelPost,
    VnPost,
    JtExpress,
}

impl Carrier {
    pub const ALL: [Carrier; 5] =
        [Carrier::Ghn, Carrier::Ghtk, Carrier::ViettelPost, Carrier::VnPost, Carrier::JtExpress];

    pub fn code(self) -> &'static str {
        match self {
            Carrier::Ghn => "ghn",
            Carrier::Ghtk => "ghtk",
            Carrier::ViettelPost => "viettel-post",
            Carrier::VnPost => "vnpost",
            Carrier::JtExpress => "jt-express",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn name(self) -> &'static str {
        match self {
            Carrier::Ghn => "Giao Hàng Nhanh (GHN)",
            Carrier::Ghtk => "Giao Hàng Tiết Kiệm (GHTK)",
            Carrier::ViettelPost => "Viettel Post",
            Carrier::VnPost => "VNPost",
            Carrier::JtExpress => "J&T Express",
        }
    }

    /// The carrier's own page for this parcel. Tracking numbers are checked to be letters, digits
    /// and dashes before they are stored, so they go into the URL as they are.
    pub fn tracking_url(self, tracking: &str) -> String {
        match self {
            Carrier::Ghn => format!("https://donhang.ghn.vn/?order_code={tracking}"),
            Carrier::Ghtk => format!("https://i.ghtk.vn/{tracking}"),
            Carrier::ViettelPost => format!("https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?code={tracking}"),
            Carrier::VnPost => format!("https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key={tracking}"),
            Carrier::JtExpress => format!("https://jtexpress.vn/vi/tracking?type=track&billcode={tracking}"),
        }
    }
}

/// A parcel as the shopper sees it: the tracking number always, the carrier and its link when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parcel {
    pub tracking: String,
    pub carrier: Option<String>,
    pub url: Option<String>,
}

impl Parcel {
    pub fn new(tracking: String, carrier: Option<Carrier>) -> Self {
        Parcel {
            url: carrier.map(|c| c.tracking_url(&tracking)),
            carrier: carrier.map(|c| c.name().to_string()),
            tracking,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn a_cash_order_waits_for_packing_then_the_road() {
        let steps =
            timeline(OrderStatus::Confirmed, PaymentMethod::Cod, &[(OrderStatus::Confirmed, at("20/11/2026 09:00"))]);
        let shown: Vec<(Step, StepState)> = steps.iter().map(|s| (s.step, s.state)).collect();
        assert_eq!(
            shown,
            [
                (Step::Placed, StepState::Done),
                (Step::Packed, StepState::Next),
                (Step::Shipped, StepState::Later),
                (Step::Delivered, StepState::Later)
            ]
        );
        assert_eq!(steps[0].at.as_deref(), Some("20/11/2026 09:00"));
    }

    #[test]
    fn a_paid_and_shipped_order_shows_when_each_step_happened() {
        let reached = [
            (OrderStatus::PendingPayment, at("20/11/2026 09:00")),
            (OrderStatus::Paid, at("20/11/2026 09:05")),
            (OrderStatus::Packed, at("21/11/2026 10:00")),
            (OrderStatus::Shipped, at("21/11/2026 15:00")),
        ];
        let steps = timeline(OrderStatus::Shipped, PaymentMethod::VietQr, &reached);
        assert_eq!(steps.len(), 5);
        assert_eq!(
            steps[1],
            TimelineStep { step: Step::Paid, state: StepState::Done, at: Some(at("20/11/2026 09:05")) }
        );
        assert_eq!(steps[3].at.as_deref(), Some("21/11/2026 15:00"));
        assert_eq!(steps[4].state, StepState::Next);
    }

    #[test]
    fn a_cancelled_order_ends_on_its_cancelling() {
        let reached =
            [(OrderStatus::PendingPayment, at("20/11/2026 09:00")), (OrderStatus::Cancelled, at("21/11/2026 09:00"))];
        let steps = timeline(OrderStatus::Cancelled, PaymentMethod::VietQr, &reached);
        let shown: Vec<Step> = steps.iter().map(|s| s.step).collect();
        assert_eq!(shown, [Step::Placed, Step::Cancelled]);
        assert!(steps.iter().all(|s| s.state == StepState::Done));
    }

    #[test]
    fn estimates_count_working_days_and_stop_at_the_door() {
        // Friday 20 November 2026: Saturday counts, Sunday does not.
        let friday = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(estimate(OrderStatus::Confirmed, friday, "lam-dong"), Some((day(21), day(24))));
        assert_eq!(estimate(OrderStatus::Shipped, friday, "ha-noi"), Some((day(24), day(27))));
        assert_eq!(estimate(OrderStatus::Delivered, friday, "ha-noi"), None);
        assert_eq!(estimate(OrderStatus::Cancelled, friday, "ha-noi"), None);
    }

    #[test]
    fn carriers_link_to_their_own_tracking_pages() {
        let p = Parcel::new("GHN-12345678".into(), Carrier::parse("ghn"));
        assert_eq!(p.url.as_deref(), Some("https://donhang.ghn.vn/?order_code=GHN-12345678"));
        assert_eq!(p.carrier.as_deref(), Some("Giao Hàng Nhanh (GHN)"));
        let p = Parcel::new("ABC123456".into(), None);
        assert_eq!((p.carrier, p.url), (None, None));
        assert!(Carrier::ALL.iter().all(|c| Carrier::parse(c.code()) == Some(*c)));
    }
}
