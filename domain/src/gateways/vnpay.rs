//! VNPay payment gateway v2.1.0: the payment URL, the return and IPN query strings, and their
//! signature: HMAC-SHA512 with the merchant's hash secret over the `vnp_` parameters (less the hash
//! itself) sorted by name, each name and value form-encoded (`+` for a space) and joined with `&`.
//! Amounts travel ×100 (`vnp_Amount=15000000` is 150.000 ₫).

use super::{hmac_sha512, same_hex};

pub const VERSION: &str = "2.1.0";

/// The signed text: the `vnp_` parameters but the hash fields, sorted, form-encoded.
pub fn canonical(params: &[(String, String)]) -> String {
    let mut p: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, _)| k.starts_with("vnp_") && k != "vnp_SecureHash" && k != "vnp_SecureHashType")
        .collect();
    p.sort_by(|a, b| a.0.cmp(&b.0));
    p.iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                form_urlencoded::byte_serialize(k.as_bytes()).collect::<String>(),
                form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub fn sign(params: &[(String, String)], secret: &str) -> String {
    hmac_sha512(secret, &canonical(params))
}

/// Whether a return or IPN query carries a valid `vnp_SecureHash` for `secret`.
pub fn verify(params: &[(String, String)], secret: &str) -> bool {
    let Some((_, got)) = params.iter().find(|(k, _)| k == "vnp_SecureHash") else { return false };
    same_hex(&sign(params, secret), got)
}

/// The payment URL the shopper is sent to: the parameters, sorted and encoded as signed, then the hash.
pub fn payment_url(base: &str, params: &[(String, String)], secret: &str) -> String {
    let query = canonical(params);
    format!("{base}?{query}&vnp_SecureHash={}", hmac_sha512(secret, &query))
}

/// `vnp_Amount` for an amount in đồng.
pub fn amount_param(vnd: i64) -> String {
    (vnd * 100).to_string()
}

/// The đồng a `vnp_Amount` stands for; None unless a whole number of đồng.
pub fn parse_amount(raw: &str) -> Option<i64> {
    let n: i64 = raw.trim().parse().ok()?;
    (n >= 0 && n % 100 == 0).then_some(n / 100)
}

/// What the IPN answers, in VNPay's protocol (`{"RspCode": "00", "Message": "Confirm Success"}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpnReply {
    Confirmed,
    OrderNotFound,
    AlreadyConfirmed,
    InvalidAmount,
    InvalidSignature,
    Unknown,
}

impl IpnReply {
    pub fn code(self) -> &'static str {
        match self {
            IpnReply::Confirmed => "00",
            IpnReply::OrderNotFound => "01",
            IpnReply::AlreadyConfirmed => "02",
            IpnReply::InvalidAmount => "04",
            IpnReply::InvalidSignature => "97",
            IpnReply::Unknown => "99",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            IpnReply::Confirmed => "Confirm Success",
            IpnReply::OrderNotFound => "Order not found",
            IpnReply::AlreadyConfirmed => "Order already confirmed",
            IpnReply::InvalidAmount => "Invalid amount",
            IpnReply::InvalidSignature => "Invalid signature",
            IpnReply::Unknown => "Unknown error",
        }
    }

    pub fn json(self) -> String {
        format!("{{\"RspCode\":\"{}\",\"Message\":\"{}\"}}", self.code(), self.message())
    }
}

/// A payment succeeded when both the response and the transaction status are "00".
pub fn succeeded(params: &[(String, String)]) -> bool {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    get("vnp_ResponseCode") == Some("00") && get("vnp_TransactionStatus") == Some("00")
}

/// The merchant API (`querydr`, `refund`, JSON over HTTPS) signs values, not names: the fields
/// below, in this order, joined with `|`, HMAC-SHA512 like the rest.
pub const QUERY_FIELDS: [&str; 9] = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];
pub const QUERY_REPLY_FIELDS: [&str; 15] = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
];
pub const REFUND_FIELDS: [&str; 13] = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];
/// The refund's reply signs the query reply's fields but the promotion's two.
pub const REFUND_REPLY_FIELDS: &[&str] = QUERY_REPLY_FIELDS.split_at(13).0;

/// A JSON field as the pipe-joined text carries it: strings as they are, numbers written out,
/// absent fields empty.
pub fn field(obj: &serde_json::Map<String, serde_json::Value>, name: &str) -> String {
    match obj.get(name) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// The `vnp_SecureHash` of a merchant-API message.
pub fn sign_fields(obj: &serde_json::Map<String, serde_json::Value>, order: &[&str], secret: &str) -> String {
    let data: Vec<String> = order.iter().map(|f| field(obj, f)).collect();
    hmac_sha512(secret, &data.join("|"))
}

/// Whether a merchant-API reply carries a valid `vnp_SecureHash` over `order`.
pub fn verify_fields(obj: &serde_json::Map<String, serde_json::Value>, order: &[&str], secret: &str) -> bool {
    let got = field(obj, "vnp_SecureHash");
    !got.is_empty() && same_hex(&sign_fields(obj, order, secret), &got)
}

/// `yyyyMMddHHmmss` in Vietnam time, the form every VNPay date takes.
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7")).format("%Y%m%d%H%M%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// VNPay's documented return/IPN example, as lehuygiang28/vnpay's test fixtures carry it, with
    /// the hash secret `test_secret`.
    fn published() -> Vec<(String, String)> {
        [
            ("vnp_Amount", "1000000"),
            ("vnp_BankCode", "NCB"),
            ("vnp_BankTranNo", "VNP14422574"),
            ("vnp_CardType", "ATM"),
            ("vnp_OrderInfo", "Thanh toan don hang 2024-05-21T02:17:31.249Z"),
            ("vnp_PayDate", "20240521091806"),
            ("vnp_ResponseCode", "00"),
            ("vnp_TmnCode", "TEST_TMN_CODE"),
            ("vnp_TransactionNo", "14422574"),
            ("vnp_TransactionStatus", "00"),
            ("vnp_TxnRef", "1716257871703"),
            (
                "vnp_SecureHash",
                "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895",
            ),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn the_published_vector_verifies() {
        let p = published();
        assert!(canonical(&p).contains("vnp_OrderInfo=Thanh+toan+don+hang+2024-05-21T02%3A17%3A31.249Z"));
        assert!(!canonical(&p).contains("vnp_SecureHash"), "the hash is not part of what it signs");
        assert!(verify(&p, "test_secret"));
        assert!(succeeded(&p));
        assert_eq!(parse_amount("1000000"), Some(10_000), "×100: 10.000 ₫");
    }

    #[test]
    fn a_tampered_parameter_amount_or_secret_is_refused() {
        let mut p = published();
        p[0].1 = "100000000".into(); // the amount, ×100
        assert!(!verify(&p, "test_secret"));
        let mut p = published();
        p[10].1 = "1716257871704".into();
        assert!(!verify(&p, "test_secret"));
        assert!(!verify(&published(), "other_secret"));
        let mut p = published();
        p.retain(|(k, _)| k != "vnp_SecureHash");
        assert!(!verify(&p, "test_secret"), "no hash, no trust");
        // The hash is read case-blind; parameters outside vnp_ are not signed.
        let mut p = published();
        p[11].1 = p[11].1.to_uppercase();
        p.push(("utm_source".into(), "x".into()));
        assert!(verify(&p, "test_secret"));
        assert_eq!(parse_amount("1000050"), None, "not a whole đồng");
        assert_eq!(parse_amount("-100"), None);
    }

    #[test]
    fn a_payment_url_signs_what_it_sends() {
        let params: Vec<(String, String)> = [
            ("vnp_Version", VERSION),
            ("vnp_Command", "pay"),
            ("vnp_TmnCode", "OCOPTEST"),
            ("vnp_Amount", &amount_param(150_000)),
            ("vnp_CurrCode", "VND"),
            ("vnp_TxnRef", "OCOP-2026-000123"),
            ("vnp_OrderInfo", "Thanh toan don OCOP-2026-000123"),
            ("vnp_OrderType", "other"),
            ("vnp_Locale", "vn"),
            ("vnp_ReturnUrl", "https://cho-ocop.example/payments/vnpay/return"),
            ("vnp_IpAddr", "127.0.0.1"),
            ("vnp_CreateDate", "20261207103000"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let url = payment_url("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", &params, "SECRET");
        assert!(url.contains("vnp_Amount=15000000&"));
        assert!(url.contains("vnp_ReturnUrl=https%3A%2F%2Fcho-ocop.example%2Fpayments%2Fvnpay%2Freturn"));
        // What the gateway reads back from the URL verifies.
        let query = url.split_once('?').unwrap().1;
        let back: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert!(verify(&back, "SECRET"));
        assert_eq!(IpnReply::InvalidSignature.json(), r#"{"RspCode":"97","Message":"Invalid signature"}"#);
    }

    #[test]
    fn the_merchant_api_signs_values_joined_by_bars_in_its_own_order() {
        let mut q = serde_json::Map::new();
        for (k, v) in [
            ("vnp_RequestId", "REQ1"),
            ("vnp_Version", VERSION),
            ("vnp_Command", "querydr"),
            ("vnp_TmnCode", "OCOPTEST"),
            ("vnp_TxnRef", "OCOP-2026-000123-1"),
            ("vnp_TransactionDate", "20261207103000"),
            ("vnp_CreateDate", "20261207104500"),
            ("vnp_IpAddr", "127.0.0.1"),
            ("vnp_OrderInfo", "Tra cuu OCOP-2026-000123-1"),
        ] {
            q.insert(k.into(), v.into());
        }
        // Worked out apart from this code: Python's hmac over the nine values joined with "|".
        let hash = sign_fields(&q, &QUERY_FIELDS, "SECRET");
        assert_eq!(
            hash,
            "0244dc826917436e3c4dfa5ac751e659476f5000de90a738a06102bd13adc87a7590d544fe67d2ed6c1a2c582f32e5069d3c7e1a5307e747fbd920b492587104"
        );
        q.insert("vnp_SecureHash".into(), hash.into());
        assert!(verify_fields(&q, &QUERY_FIELDS, "SECRET"));
        q.insert("vnp_TxnRef".into(), "OCOP-2026-000124-1".into());
        assert!(!verify_fields(&q, &QUERY_FIELDS, "SECRET"), "a tampered reference");
        // A number in the JSON signs as its digits.
        let mut r = serde_json::Map::new();
        r.insert("vnp_Amount".into(), serde_json::json!(15000000));
        assert_eq!(field(&r, "vnp_Amount"), "15000000");
        assert_eq!(timestamp("2026-12-07T03:30:00Z".parse().unwrap()), "20261207103000", "Vietnam time");
    }
}
