//! Orders: their numbers, the status flow and who may move it, and the summary a shopper pays.

use serde::{Deserialize, Serialize};

use crate::money::Vnd;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Cash on delivery: the order is confirmed at once and paid when it is delivered.
    Cod,
    VietQr,
    Stripe,
    /// VNPay: domestic ATM cards, banking apps and VNPay-QR, confirmed by a signed IPN.
    VnPay,
    /// The MoMo wallet (`captureWallet`), confirmed by a signed IPN.
    MoMo,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] =
        [PaymentMethod::Cod, PaymentMethod::VietQr, PaymentMethod::VnPay, PaymentMethod::MoMo, PaymentMethod::Stripe];

    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Cod => "cod",
            PaymentMethod::VietQr => "vietqr",
            PaymentMethod::Stripe => "stripe",
            PaymentMethod::VnPay => "vnpay",
            PaymentMethod::MoMo => "momo",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Paid before the goods leave: the reservation lapses if the money does not come.
    pub fn pays_first(self) -> bool {
        !matches!(self, PaymentMethod::Cod)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            PaymentMethod::Cod => ("Thanh toán khi nhận hàng (COD)", "Cash on delivery"),
            PaymentMethod::VietQr => ("Chuyển khoản VietQR", "VietQR bank transfer"),
            PaymentMethod::Stripe => ("Thẻ quốc tế (Stripe)", "Card (Stripe)"),
            PaymentMethod::VnPay => {
                ("VNPay: thẻ ATM, ứng dụng ngân hàng, VNPay-QR", "VNPay: bank card, banking app, VNPay-QR")
            }
            PaymentMethod::MoMo => ("Ví MoMo", "MoMo wallet"),
        }
    }

    /// Who the method suits, beside its name at checkout.
    pub fn hint(self) -> (&'static str, &'static str) {
        match self {
            PaymentMethod::Cod => ("Trả tiền mặt cho người giao hàng.", "Pay the courier in cash, in đồng."),
            PaymentMethod::VietQr => {
                ("Quét mã bằng ứng dụng ngân hàng Việt Nam.", "Needs a Vietnamese banking app to scan the code.")
            }
            PaymentMethod::Stripe => {
                ("Visa, Mastercard và thẻ quốc tế khác.", "Visa, Mastercard and other cards from any country.")
            }
            PaymentMethod::VnPay => (
                "Chuyển sang cổng VNPay để trả bằng thẻ nội địa hoặc ứng dụng ngân hàng.",
                "Opens VNPay to pay with a Vietnamese bank card or banking app.",
            ),
            PaymentMethod::MoMo => {
                ("Mở ví MoMo để xác nhận thanh toán.", "Opens the MoMo wallet to confirm the payment.")
            }
        }
    }

    /// The methods on offer in the order a shopper should see them: a visitor reading in English is
    /// most likely paying with a foreign card, so it comes first and is chosen when offered.
    pub fn for_shopper(offered: &[PaymentMethod], visitor: bool) -> Vec<PaymentMethod> {
        let mut out = offered.to_vec();
        if visitor {
            out.sort_by_key(|m| *m != PaymentMethod::Stripe);
        }
        out
    }
}

/// The flow is pending payment → paid → packed → shipped → delivered. Cash-on-delivery
/// orders start at `Confirmed` instead: ready to pack, paid when delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    PendingPayment,
    Confirmed,
    Paid,
    Packed,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::PendingPayment,
        OrderStatus::Confirmed,
        OrderStatus::Paid,
        OrderStatus::Packed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "pending_payment",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Paid => "paid",
            OrderStatus::Packed => "packed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            OrderStatus::PendingPayment => ("Chờ thanh toán", "Awaiting payment"),
            OrderStatus::Confirmed => ("Đã xác nhận", "Confirmed"),
            OrderStatus::Paid => ("Đã thanh toán", "Paid"),
            OrderStatus::Packed => ("Đã đóng gói", "Packed"),
            OrderStatus::Shipped => ("Đang giao", "Shipped"),
            OrderStatus::Delivered => ("Đã giao", "Delivered"),
            OrderStatus::Cancelled => ("Đã huỷ", "Cancelled"),
            OrderStatus::Refunded => ("Đã hoàn tiền", "Refunded"),
        }
    }

    /// The first status of a new order.
    pub fn initial(method: PaymentMethod) -> Self {
        if method.pays_first() { OrderStatus::PendingPayment } else { OrderStatus::Confirmed }
    }

    /// Which moves exist. Money moves (paid, refunded) and stock moves (cancel releases, ship
    /// consumes) hang off these, so anything not listed is refused rather than guessed.
    pub fn can_become(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (PendingPayment, Paid)
                | (PendingPayment, Cancelled)
                | (Confirmed, Packed)
                | (Confirmed, Cancelled)
                | (Paid, Packed)
                | (Paid, Refunded)
                | (Packed, Shipped)
                | (Packed, Cancelled)
                | (Shipped, Delivered)
                | (Delivered, Refunded)
        )
    }

    /// Stock is still held for the order (reserved, not yet gone out of the door).
    pub fn holds_stock(self) -> bool {
        matches!(self, OrderStatus::PendingPayment | OrderStatus::Confirmed | OrderStatus::Paid | OrderStatus::Packed)
    }
}

/// An order as the office's order list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeOrderRow {
    pub number: String,
    /// Vietnam time, `dd/mm/yyyy HH:MM`.
    pub placed_at: String,
    pub name: String,
    pub method: PaymentMethod,
    pub status: OrderStatus,
    pub total: i64,
    pub paid: i64,
    /// The gateway's transaction number of its VNPay or MoMo payment.
    pub gateway_txn: Option<String>,
    /// Paid through a gateway and in a state a refund may follow.
    pub refundable: bool,
}

/// `OCOP-2026-000123`: the year the order was placed (Vietnam time) and a sequence within it.
pub fn order_number(year: i32, seq: i64) -> String {
    format!("OCOP-{year}-{seq:06}")
}

/// Accepts what a shopper might paste: any case, spaces around.
pub fn parse_order_number(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_uppercase();
    let rest = s.strip_prefix("OCOP-")?;
    let (year, seq) = rest.split_once('-')?;
    let ok = year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && (6..=9).contains(&seq.len())
        && seq.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(s)
}

/// What the shopper pays: computed on the server from current prices, never taken from a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub subtotal: Vnd,
    pub delivery_fee: Vnd,
    pub total: Vnd,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTable {
    /// Province code → fee. Provinces not listed pay `default_fee`.
    pub by_province: Vec<(String, Vnd)>,
    pub default_fee: Vnd,
    /// Orders whose goods reach this amount travel free; `None` means never free.
    pub free_from: Option<Vnd>,
}

impl Default for FeeTable {
    /// Bình Thuận ships from Phan Thiết: the merged Lâm Đồng province is local, the neighbours
    /// and Hồ Chí Minh City are one day away, the rest of the country further.
    fn default() -> Self {
        let near = ["khanh-hoa", "dong-nai", "ho-chi-minh", "dak-lak"];
        let mut by_province = vec![("lam-dong".to_string(), Vnd(20_000))];
        by_province.extend(near.iter().map(|p| (p.to_string(), Vnd(30_000))));
        FeeTable { by_province, default_fee: Vnd(40_000), free_from: Some(Vnd(500_000)) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FeeTableError(pub String);

impl FeeTable {
    /// `lam-dong=20000,ho-chi-minh=30000,*=40000`: `*` is every other province.
    pub fn parse(spec: &str, free_from: Option<Vnd>) -> Result<Self, FeeTableError> {
        let mut table = FeeTable { by_province: Vec::new(), default_fee: Vnd(0), free_from };
        let mut default = None;
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (code, fee) =
                item.split_once('=').ok_or_else(|| FeeTableError(format!("'{item}' is not province=fee")))?;
            let fee: i64 = fee.trim().parse().map_err(|_| FeeTableError(format!("'{fee}' is not a whole VND fee")))?;
            if fee < 0 {
                return Err(FeeTableError(format!("fee for {code} is negative")));
            }
            match code.trim() {
                "*" => default = Some(Vnd(fee)),
                code if crate::address::province(code).is_some() => table.by_province.push((code.into(), Vnd(fee))),
                code => return Err(FeeTableError(format!("'{code}' is not a province code"))),
            }
        }
        table.default_fee = default.ok_or_else(|| FeeTableError("the table needs a '*=fee' entry".into()))?;
        Ok(table)
    }

    pub fn fee(&self, province: &str, subtotal: Vnd) -> Vnd {
        if self.free_from.is_some_and(|free| subtotal >= free) {
            return Vnd(0);
        }
        self.by_province.iter().find(|(p, _)| p == province).map_or(self.default_fee, |(_, fee)| *fee)
    }

    pub fn summary(&self, province: Option<&str>, subtotal: Vnd) -> Summary {
        let delivery_fee = province.map_or(Vnd(0), |p| self.fee(p, subtotal));
        Summary { subtotal, delivery_fee, total: Vnd(subtotal.0 + delivery_fee.0) }
    }
}

/// Finds an order number in a bank transfer's description. Banks and their apps drop hyphens,
/// change case or insert spaces ("OCOP2026000123", "ocop 2026 000123"), so separators are optional.
pub fn find_order_number(text: &str) -> Option<String> {
    let up: Vec<char> = text.to_uppercase().chars().collect();
    let is_sep = |c: char| c == '-' || c == ' ' || c == '_' || c == '.';
    let mut i = 0;
    while i + 4 <= up.len() {
        if up[i..i + 4].iter().collect::<String>() == "OCOP" {
            let mut j = i + 4;
            while j < up.len() && is_sep(up[j]) {
                j += 1;
            }
            let year: String = up[j..].iter().take_while(|c| c.is_ascii_digit()).collect();
            if year.len() >= 4 {
                // With no separator the year and sequence run together: the year is the first four.
                let (year, mut seq) = (year[..4].to_string(), year[4..].to_string());
                let mut k = j + 4 + seq.len();
                if seq.is_empty() {
                    while k < up.len() && is_sep(up[k]) {
                        k += 1;
                    }
                    seq = up[k..].iter().take_while(|c| c.is_ascii_digit()).collect();
                }
                if (6..=9).contains(&seq.len()) {
                    return Some(format!("OCOP-{year}-{seq}"));
                }
            }
        }
        i += 1;
    }
    None
}

/// An order as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub access_key: String,
    pub status: OrderStatus,
    pub method: PaymentMethod,
    /// Placed at, Vietnam time, "28/11/2026 14:05".
    pub placed_at: String,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub note: Option<String>,
    pub lines: Vec<OrderLineView>,
    pub subtotal: i64,
    pub delivery_fee: i64,
    pub total: i64,
    pub paid_amount: i64,
    /// Until when an unpaid transfer or card order holds its stock, Vietnam time.
    pub pay_by: Option<String>,
    /// Where the order is, in the shopper's words: never who moved it.
    pub timeline: Vec<crate::order_tracking::TimelineStep>,
    /// Parcels handed to couriers, with their tracking numbers.
    pub parcels: Vec<crate::order_tracking::Parcel>,
    /// When it should arrive ("24/11 – 27/11"), while it is still to come.
    pub estimate: Option<String>,
    /// Present while a VietQR order awaits its transfer.
    pub transfer: Option<TransferView>,
}

/// One line of "My orders": enough to recognise the order and open its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub access_key: String,
    pub status: OrderStatus,
    /// Vietnam time, "28/11/2026 14:05".
    pub placed_at: String,
    pub total: i64,
    /// The first item's name in each language, and how many other lines there are.
    pub first_item_vi: String,
    pub first_item_en: String,
    pub more_items: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub name_vi: String,
    pub name_en: String,
    pub unit_price: i64,
    pub quantity: i32,
    pub line_total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub payload: String,
    pub bank_name: String,
    pub bank_bin: String,
    pub account: String,
    pub account_name: String,
    pub amount: i64,
    pub purpose: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_zero_padded_and_parse_back_from_what_people_type() {
        assert_eq!(order_number(2026, 123), "OCOP-2026-000123");
        assert_eq!(order_number(2026, 1_234_567), "OCOP-2026-1234567");
        assert_eq!(parse_order_number(" ocop-2026-000123 ").as_deref(), Some("OCOP-2026-000123"));
        assert_eq!(parse_order_number("OCOP-26-000123"), None);
        assert_eq!(parse_order_number("OCOP-2026-12"), None);
        assert_eq!(parse_order_number("x' OR 1=1"), None);
    }

    #[test]
    fn order_numbers_are_found_in_what_banks_write() {
        let n = Some("OCOP-2026-000123".to_string());
        assert_eq!(find_order_number("OCOP-2026-000123"), n);
        assert_eq!(find_order_number("MBVCB.1234.NGUYEN VAN A chuyen tien OCOP2026000123.CT tu 0071"), n);
        assert_eq!(find_order_number("ocop 2026 000123 thanh toan"), n);
        assert_eq!(find_order_number("IBFT OCOP_2026_000123"), n);
        assert_eq!(find_order_number("OCOP 2026 12"), None);
        assert_eq!(find_order_number("chuyen tien an trua"), None);
    }

    #[test]
    fn status_flow_follows_payment_then_fulfilment() {
        use OrderStatus::*;
        assert_eq!(OrderStatus::initial(PaymentMethod::Cod), Confirmed);
        assert_eq!(OrderStatus::initial(PaymentMethod::VietQr), PendingPayment);
        assert!(PendingPayment.can_become(Paid));
        assert!(!PendingPayment.can_become(Packed), "an unpaid transfer order must not be packed");
        assert!(Confirmed.can_become(Packed));
        assert!(!Shipped.can_become(Cancelled), "what has left is delivered or refunded, not cancelled");
        assert!(!Paid.can_become(Paid), "paying twice is not a move");
        assert!(!Cancelled.can_become(Paid));
        assert!(Delivered.can_become(Refunded));
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn delivery_is_by_province_and_free_past_the_threshold() {
        let t = FeeTable::default();
        assert_eq!(t.fee("lam-dong", Vnd(100_000)), Vnd(20_000));
        assert_eq!(t.fee("ho-chi-minh", Vnd(100_000)), Vnd(30_000));
        assert_eq!(t.fee("ha-noi", Vnd(100_000)), Vnd(40_000));
        assert_eq!(t.fee("ha-noi", Vnd(500_000)), Vnd(0));
        assert_eq!(t.summary(Some("ha-noi"), Vnd(499_999)).total, Vnd(539_999));
    }

    #[test]
    fn fee_table_parses_from_configuration_and_refuses_mistakes() {
        let t = FeeTable::parse("lam-dong=15000, *=35000", Some(Vnd(300_000))).unwrap();
        assert_eq!(t.fee("lam-dong", Vnd(1)), Vnd(15_000));
        assert_eq!(t.fee("ca-mau", Vnd(1)), Vnd(35_000));
        assert_eq!(t.fee("ca-mau", Vnd(300_000)), Vnd(0));
        assert!(FeeTable::parse("lam-dong=15000", None).is_err(), "no default");
        assert!(FeeTable::parse("binh-thuan=1,*=2", None).is_err(), "Bình Thuận is no longer a province");
        assert!(FeeTable::parse("lam-dong=-1,*=2", None).is_err());
    }
}
