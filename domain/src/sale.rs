//! A showroom sale as a POS device records it and sends it: every sale, line and payment carries a
//! UUID made on the device. The arithmetic is checked here, the same on the device and the server.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaleLine {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub sku: String,
    pub qty: i32,
    pub unit_price: i64,
    pub line_total: i64,
    /// The batch the units came from: read off the label's GS1 code, or the till's own
    /// first-expiring-first-out choice (`batch_assumed`). Tills from before batches send neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub batch_assumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PosMethod {
    Cash,
    Vietqr,
}

impl PosMethod {
    pub fn code(self) -> &'static str {
        match self {
            PosMethod::Cash => "cash",
            PosMethod::Vietqr => "vietqr",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SalePayment {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub method: PosMethod,
    /// What this payment settles (cash tendered above it is change, not recorded here).
    pub amount: i64,
    /// A VietQR transfer staff saw arrive; taken offline it stays unconfirmed until checked.
    pub confirmed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SaleKind {
    Sale,
    Refund,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Sale {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub kind: SaleKind,
    /// For a refund: the sale it gives money back for.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub refund_of: Option<String>,
    /// Prefixed per device (e.g. `MN1-000123`), so two tills never print the same number.
    pub receipt_no: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub shift_id: String,
    /// RFC 3339, when the sale happened at the till (UTC).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub sold_at: String,
    pub lines: Vec<SaleLine>,
    #[serde(default)]
    pub discount: i64,
    pub total: i64,
    pub payments: Vec<SalePayment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StockKind {
    /// Units delivered to the showroom.
    Received,
    /// A shelf count: the showroom holds exactly this many now.
    Counted,
}

impl StockKind {
    pub fn code(self) -> &'static str {
        match self {
            StockKind::Received => "received",
            StockKind::Counted => "counted",
        }
    }
}

/// Stock received or counted at a showroom, recorded on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockEvent {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub sku: String,
    pub kind: StockKind,
    pub qty: i64,
    /// RFC 3339 (UTC).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
}

impl StockEvent {
    pub fn check(&self) -> Result<(), SaleProblem> {
        if !is_uuid(&self.id) {
            return Err(problem(format!("Mã không phải UUID: {}", self.id), format!("Not a UUID: {}", self.id)));
        }
        if !(0..=100_000).contains(&self.qty) || (self.kind == StockKind::Received && self.qty == 0) {
            return Err(problem("Số lượng không hợp lệ.", "The quantity is not valid."));
        }
        if chrono::DateTime::parse_from_rfc3339(&self.at).is_err() {
            return Err(problem("Thời điểm không đọc được.", "The time could not be read."));
        }
        Ok(())
    }
}

/// The header a till's push carries with how many sales and stock events it still has to send,
/// this push included (the marketplace's metrics show it per till).
pub const BACKLOG_HEADER: &str = "x-till-backlog";

/// What a device sends to `POST /sync/v1/sales`: sales and stock events, each stored once. The
/// server records the sales first, then the stock events; a device sends one kind per push to keep
/// its own order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Push {
    /// The showroom the device believes it sells for; must be its own.
    pub showroom_code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub sales: Vec<Sale>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub stock: Vec<StockEvent>,
}

/// The server's answer for each sale of a push, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaleOutcome {
    /// Stored now.
    Accepted { id: String },
    /// Already stored by an earlier push: nothing changed.
    Duplicate { id: String },
    /// Could not be stored as sent; the device keeps it and shows the reason.
    Rejected { id: String, message_vi: String, message_en: String },
}

impl SaleOutcome {
    pub fn id(&self) -> &str {
        match self {
            SaleOutcome::Accepted { id } | SaleOutcome::Duplicate { id } | SaleOutcome::Rejected { id, .. } => id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResults {
    pub results: Vec<SaleOutcome>,
    /// One per stock event, in order (the same three outcomes).
    #[serde(default)]
    pub stock_results: Vec<SaleOutcome>,
}

/// At most this many sales in one push, and lines in one sale.
pub const MAX_SALES_PER_PUSH: usize = 200;
pub const MAX_LINES: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleProblem {
    pub message_vi: String,
    pub message_en: String,
}

fn problem(vi: impl Into<String>, en: impl Into<String>) -> SaleProblem {
    SaleProblem { message_vi: vi.into(), message_en: en.into() }
}

/// A UUID as devices write them: 36 characters, hex digits and four dashes.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

impl Sale {
    /// Checks the sale's own arithmetic; which SKUs exist is the server's to check.
    pub fn check(&self) -> Result<(), SaleProblem> {
        let ids = std::iter::once(&self.id)
            .chain(self.lines.iter().map(|l| &l.id))
            .chain(self.payments.iter().map(|p| &p.id))
            .chain(std::iter::once(&self.shift_id));
        if let Some(bad) = ids.into_iter().find(|id| !is_uuid(id)) {
            return Err(problem(format!("Mã không phải UUID: {bad}"), format!("Not a UUID: {bad}")));
        }
        if self.receipt_no.is_empty() || self.receipt_no.len() > 40 {
            return Err(problem("Số biên lai cần 1–40 ký tự.", "The receipt number needs 1-40 characters."));
        }
        if chrono::DateTime::parse_from_rfc3339(&self.sold_at).is_err() {
            return Err(problem("Thời điểm bán không đọc được.", "The time of sale could not be read."));
        }
        if self.lines.is_empty() || self.lines.len() > MAX_LINES {
            return Err(problem("Một lần bán có 1–100 dòng.", "A sale has 1-100 lines."));
        }
        for l in &self.lines {
            if !(1..=10_000).contains(&l.qty) || l.unit_price < 0 || l.line_total != l.unit_price * l.qty as i64 {
                return Err(problem(
                    format!("Dòng {} sai số lượng hoặc thành tiền.", l.sku),
                    format!("Line {} has a wrong quantity or total.", l.sku),
                ));
            }
        }
        let lines: i64 = self.lines.iter().map(|l| l.line_total).sum();
        if self.discount < 0 || self.discount > lines || self.total != lines - self.discount {
            return Err(problem(
                "Tổng tiền không bằng các dòng trừ giảm giá.",
                "The total is not the lines less the discount.",
            ));
        }
        let paid: i64 = self.payments.iter().map(|p| p.amount).sum();
        if self.payments.iter().any(|p| p.amount < 0) || paid != self.total {
            return Err(problem("Thanh toán không khớp tổng tiền.", "The payments do not add up to the total."));
        }
        match (self.kind, &self.refund_of) {
            (SaleKind::Refund, Some(of)) if is_uuid(of) => Ok(()),
            (SaleKind::Refund, _) => Err(problem("Hoàn tiền cần mã lần bán gốc.", "A refund needs the original sale.")),
            (SaleKind::Sale, None) => Ok(()),
            (SaleKind::Sale, Some(_)) => {
                Err(problem("Chỉ hoàn tiền mới có lần bán gốc.", "Only a refund has an original sale."))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uuid(n: u8) -> String {
        format!("0000000{n}-0000-4000-8000-00000000000{n}")
    }

    fn sale() -> Sale {
        Sale {
            id: uuid(1),
            kind: SaleKind::Sale,
            refund_of: None,
            receipt_no: "MN1-000001".into(),
            shift_id: uuid(2),
            sold_at: "2026-11-28T03:15:00Z".into(),
            lines: vec![SaleLine {
                id: uuid(3),
                sku: "NCD-500".into(),
                qty: 2,
                unit_price: 95_000,
                line_total: 190_000,
                batch: None,
                batch_assumed: false,
            }],
            discount: 10_000,
            total: 180_000,
            payments: vec![
                SalePayment { id: uuid(4), method: PosMethod::Cash, amount: 100_000, confirmed: true },
                SalePayment { id: uuid(5), method: PosMethod::Vietqr, amount: 80_000, confirmed: false },
            ],
        }
    }

    #[test]
    fn a_split_payment_with_a_discount_adds_up() {
        assert_eq!(sale().check(), Ok(()));
    }

    #[test]
    fn wrong_arithmetic_and_bad_ids_are_refused_with_a_reason() {
        let mut s = sale();
        s.total = 190_000;
        assert!(s.check().unwrap_err().message_en.contains("total"));
        let mut s = sale();
        s.lines[0].line_total = 1;
        assert!(s.check().unwrap_err().message_en.contains("NCD-500"));
        let mut s = sale();
        s.payments.pop();
        assert!(s.check().unwrap_err().message_en.contains("payments"));
        let mut s = sale();
        s.id = "42".into();
        assert!(s.check().unwrap_err().message_en.contains("Not a UUID: 42"));
        let mut s = sale();
        s.kind = SaleKind::Refund;
        assert!(s.check().is_err(), "a refund names its sale");
        s.refund_of = Some(uuid(9));
        assert_eq!(s.check(), Ok(()));
    }
}
