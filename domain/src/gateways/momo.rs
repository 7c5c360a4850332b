//! MoMo payment gateway v2 (`captureWallet`): HMAC-SHA256 with the partner's secret key over
//! `key=value` pairs joined with `&`, raw (not encoded), in a fixed order that differs by message:
//! the create request signs its ten fields, the IPN (and the redirect) its thirteen.

use serde::{Deserialize, Serialize};

use super::{hmac_sha256, same_hex};

/// The create request's signed fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Create<'a> {
    pub partner_code: &'a str,
    pub request_id: &'a str,
    pub amount: i64,
    pub order_id: &'a str,
    pub order_info: &'a str,
    pub redirect_url: &'a str,
    pub ipn_url: &'a str,
    pub request_type: &'a str,
    pub extra_data: &'a str,
}

impl Create<'_> {
    pub fn canonical(&self, access_key: &str) -> String {
        format!(
            "accessKey={access_key}&amount={}&extraData={}&ipnUrl={}&orderId={}&orderInfo={}&partnerCode={}&redirectUrl={}&requestId={}&requestType={}",
            self.amount,
            self.extra_data,
            self.ipn_url,
            self.order_id,
            self.order_info,
            self.partner_code,
            self.redirect_url,
            self.request_id,
            self.request_type
        )
    }

    pub fn sign(&self, access_key: &str, secret: &str) -> String {
        hmac_sha256(secret, &self.canonical(access_key))
    }
}

/// The IPN MoMo posts (JSON), and the redirect's query: the same fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ipn {
    pub partner_code: String,
    pub order_id: String,
    pub request_id: String,
    pub amount: i64,
    #[serde(default)]
    pub order_info: String,
    #[serde(default)]
    pub order_type: String,
    pub trans_id: i64,
    pub result_code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub pay_type: String,
    pub response_time: i64,
    #[serde(default)]
    pub extra_data: String,
    pub signature: String,
}

impl Ipn {
    pub fn canonical(&self, access_key: &str) -> String {
        format!(
            "accessKey={access_key}&amount={}&extraData={}&message={}&orderId={}&orderInfo={}&orderType={}&partnerCode={}&payType={}&requestId={}&responseTime={}&resultCode={}&transId={}",
            self.amount,
            self.extra_data,
            self.message,
            self.order_id,
            self.order_info,
            self.order_type,
            self.partner_code,
            self.pay_type,
            self.request_id,
            self.response_time,
            self.result_code,
            self.trans_id
        )
    }

    pub fn sign(&self, access_key: &str, secret: &str) -> String {
        hmac_sha256(secret, &self.canonical(access_key))
    }

    pub fn verify(&self, access_key: &str, secret: &str) -> bool {
        same_hex(&self.sign(access_key, secret), &self.signature)
    }

    /// `resultCode` 0 is a successful payment (9000: authorised, not yet captured).
    pub fn succeeded(&self) -> bool {
        self.result_code == 0
    }
}

/// The query (`/v2/gateway/api/query`) request's signature.
pub fn query_signature(access_key: &str, secret: &str, partner_code: &str, order_id: &str, request_id: &str) -> String {
    hmac_sha256(
        secret,
        &format!("accessKey={access_key}&orderId={order_id}&partnerCode={partner_code}&requestId={request_id}"),
    )
}

/// A refund (`/v2/gateway/api/refund`) request's signed fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund<'a> {
    pub partner_code: &'a str,
    pub order_id: &'a str,
    pub request_id: &'a str,
    pub amount: i64,
    pub trans_id: i64,
    pub description: &'a str,
}

impl Refund<'_> {
    pub fn sign(&self, access_key: &str, secret: &str) -> String {
        hmac_sha256(
            secret,
            &format!(
                "accessKey={access_key}&amount={}&description={}&orderId={}&partnerCode={}&requestId={}&transId={}",
                self.amount, self.description, self.order_id, self.partner_code, self.request_id, self.trans_id
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // MoMo's published sandbox test keys (developers.momo.vn, and every sample built on them).
    const ACCESS: &str = "F8BBA842ECF85";
    const SECRET: &str = "K951B6PE1waDMi640xX08PD3vg6EkVlz";

    fn create() -> Create<'static> {
        Create {
            partner_code: "MOMO",
            request_id: "OCOP-2026-000123-1",
            amount: 150_000,
            order_id: "OCOP-2026-000123",
            order_info: "Thanh toán đơn OCOP-2026-000123",
            redirect_url: "https://cho-ocop.example/payments/momo/return",
            ipn_url: "https://cho-ocop.example/payments/momo/ipn",
            request_type: "captureWallet",
            extra_data: "",
        }
    }

    fn ipn() -> Ipn {
        Ipn {
            partner_code: "MOMO".into(),
            order_id: "OCOP-2026-000123".into(),
            request_id: "OCOP-2026-000123-1".into(),
            amount: 150_000,
            order_info: "Thanh toán đơn OCOP-2026-000123".into(),
            order_type: "momo_wallet".into(),
            trans_id: 4_088_878_653,
            result_code: 0,
            message: "Successful.".into(),
            pay_type: "qr".into(),
            response_time: 1_764_900_000_000,
            extra_data: String::new(),
            // Worked out apart from this code (Python's hmac over the canonical string below).
            signature: "bf43aa4e29208a5355e3de556855c31bc5e12a39aa28a8909284216d810ba4f7".into(),
        }
    }

    #[test]
    fn the_create_request_signs_its_fields_in_alphabetical_order() {
        assert_eq!(
            create().canonical(ACCESS),
            "accessKey=F8BBA842ECF85&amount=150000&extraData=&ipnUrl=https://cho-ocop.example/payments/momo/ipn\
             &orderId=OCOP-2026-000123&orderInfo=Thanh toán đơn OCOP-2026-000123&partnerCode=MOMO\
             &redirectUrl=https://cho-ocop.example/payments/momo/return&requestId=OCOP-2026-000123-1&requestType=captureWallet"
        );
        // Worked out apart from this code (Python's hmac over that string).
        assert_eq!(create().sign(ACCESS, SECRET), "e691e7d92ae0bb7beff33def74bb067187e14bdac84f964ebbea47484334ad29");
    }

    #[test]
    fn the_ipn_signs_another_set_of_fields_and_a_tampered_one_is_refused() {
        let good = ipn();
        assert!(
            good.canonical(ACCESS).starts_with("accessKey=F8BBA842ECF85&amount=150000&extraData=&message=Successful.")
        );
        assert!(good.verify(ACCESS, SECRET));
        assert!(good.succeeded());
        let mut t = ipn();
        t.amount = 15_000;
        assert!(!t.verify(ACCESS, SECRET), "amount");
        let mut t = ipn();
        t.result_code = 1006;
        assert!(!t.verify(ACCESS, SECRET), "result");
        assert!(!good.verify(ACCESS, "another-secret"));
        // The JSON MoMo posts reads into it.
        let posted: Ipn = serde_json::from_str(
            r#"{"partnerCode":"MOMO","orderId":"OCOP-2026-000123","requestId":"OCOP-2026-000123-1","amount":150000,
                "orderInfo":"Thanh toán đơn OCOP-2026-000123","orderType":"momo_wallet","transId":4088878653,"resultCode":0,
                "message":"Successful.","payType":"qr","responseTime":1764900000000,"extraData":"",
                "signature":"bf43aa4e29208a5355e3de556855c31bc5e12a39aa28a8909284216d810ba4f7"}"#,
        )
        .unwrap();
        assert_eq!(posted, good);
        assert_ne!(
            query_signature(ACCESS, SECRET, "MOMO", "A", "B"),
            query_signature(ACCESS, SECRET, "MOMO", "A", "C")
        );
        let refund =
            Refund { partner_code: "MOMO", order_id: "A", request_id: "B", amount: 1, trans_id: 2, description: "x" };
        assert_eq!(refund.sign(ACCESS, SECRET).len(), 64);
    }
}
