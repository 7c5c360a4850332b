//! VNPay and MoMo against the local stand-in (`pay-standin`, speaking each gateway's protocol) over
//! HTTP, on SQLite or PostgreSQL: paid, cancelled, a duplicated notification, the notification
//! before the return, a lost one settled by a query, a wrong amount, a wrong signature, an unknown
//! order, and the office's refund through the gateway.

use std::io::BufRead;

use domain::gateways::{momo, vnpay};

use crate::shopper::{Shopper, scalar, scalar_text, signed_in, stock, variant_with_stock};
use crate::support::{OFFICE_TOKEN, TestApp, spawn_configured};

const TMN: &str = "OCOPTEST";
const VNP_SECRET: &str = "standin-vnpay-secret";
const PARTNER: &str = "MOMO";
const ACCESS: &str = "F8BBA842ECF85";
const SECRET: &str = "K951B6PE1waDMi640xX08PD3vg6EkVlz";

/// The stand-in gateway process, stopped when dropped.
struct Standin {
    base: String,
    child: std::process::Child,
    http: reqwest::Client,
}

impl Drop for Standin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Standin {
    fn start() -> Standin {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pay-standin"))
            .env("VNPAY_TMN_CODE", TMN)
            .env("VNPAY_HASH_SECRET", VNP_SECRET)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the stand-in starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.trim().strip_prefix("listening on ").expect("the stand-in says where").to_string();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Standin { base, child, http }
    }

    async fn mode(&self, body: serde_json::Value) {
        let r = self.http.post(format!("{}/__standin/mode", self.base)).json(&body).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 204);
    }

    async fn log(&self) -> Vec<serde_json::Value> {
        self.http.get(format!("{}/__standin/log", self.base)).send().await.unwrap().json().await.unwrap()
    }

    /// The "shopper" on the gateway's page: opens it (a form with the amount), then pays or
    /// cancels; the gateway's redirect back to the marketplace.
    async fn decide(&self, pay_url: &str, gateway: &str, pay: bool) -> String {
        let page = self.http.get(pay_url).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200, "the gateway accepts what the marketplace signed");
        let html = page.text().await.unwrap();
        let reference =
            html.split("name=\"reference\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let r = self
            .http
            .post(format!("{}/{gateway}/decide", self.base))
            .form(&[("reference", reference.as_str()), ("outcome", if pay { "pay" } else { "cancel" })])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        r.headers()["location"].to_str().unwrap().to_string()
    }
}

async fn with_gateways(s: &Standin) -> TestApp {
    let base = s.base.clone();
    let app = spawn_configured(None, None, move |c| {
        c.vnpay = Some(server::config::VnPayConfig {
            tmn_code: TMN.into(),
            hash_secret: VNP_SECRET.into(),
            pay_url: format!("{base}/paymentv2/vpcpay.html"),
            api_url: format!("{base}/merchant_webapi/api/transaction"),
        });
        c.momo = Some(server::config::MoMoConfig {
            partner_code: PARTNER.into(),
            access_key: ACCESS.into(),
            secret_key: SECRET.into(),
            api_base: base.clone(),
        });
        c.store.commerce.vnpay = true;
        c.store.commerce.momo = true;
    })
    .await;
    s.mode(serde_json::json!({
        "ipn": "send",
        "vnpay_ipn": format!("{}/payments/vnpay/ipn", app.base),
        "momo_ipn": format!("{}/payments/momo/ipn", app.base),
    }))
    .await;
    app
}

/// Places an order paid by `method`; the order number and where checkout sent the shopper.
async fn place(app: &TestApp, variant: i64, method: &str) -> (String, String) {
    let mut s = Shopper::new(app);
    s.add_variant(variant, 1).await;
    let placed = s.checkout(method).await;
    assert_eq!(placed.status, 303);
    let number = scalar_text(app, "SELECT number FROM orders ORDER BY id DESC LIMIT 1").await;
    (number, placed.location)
}

async fn status(app: &TestApp, number: &str) -> String {
    scalar_text(app, &format!("SELECT status FROM orders WHERE number = '{number}'")).await
}

async fn payments(app: &TestApp, number: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.number = '{number}'"),
    )
    .await
}

/// Opens the gateway's return address on the marketplace (its host is the public URL, not where the
/// test app listens); where it sends the shopper.
async fn come_back(app: &TestApp, location: &str) -> (u16, String) {
    let path = &location[location.find("/payments/").expect("a return address")..];
    let r = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
    let to = r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status().as_u16(), to)
}

/// The order page's "pay" button pressed again: where the marketplace sends the shopper.
async fn pay_again(app: &TestApp, number: &str, order_page: &str) -> String {
    let key = order_page.split("key=").nth(1).unwrap().split('&').next().unwrap();
    let again =
        app.http.post(format!("{}/orders/{number}/wallet", app.base)).form(&[("key", key)]).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 303);
    again.headers()["location"].to_str().unwrap().to_string()
}

async fn reconcile(app: &TestApp) -> serde_json::Value {
    let r = app
        .http
        .post(format!("{}/office/api/payments/reconcile", app.base))
        .bearer_auth(OFFICE_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().await.unwrap()
}

fn vnp_ipn_query(params: &[(&str, String)], secret: &str) -> String {
    let mut p: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let hash = vnpay::sign(&p, secret);
    p.push(("vnp_SecureHash".into(), hash));
    form_urlencoded::Serializer::new(String::new()).extend_pairs(&p).finish()
}

async fn vnp_ipn(app: &TestApp, query: &str) -> String {
    let r = app.http.get(format!("{}/payments/vnpay/ipn?{query}", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "VNPay reads the body, whatever it says");
    let v: serde_json::Value = r.json().await.unwrap();
    v["RspCode"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn vnpay_pays_once_through_its_notification_and_the_office_refunds_through_vnpay() {
    let s = Standin::start();
    let app = with_gateways(&s).await;
    let variant = variant_with_stock(&app, 20).await;

    // Checkout sends the shopper to VNPay with a signed URL for the total ×100.
    let (number, to) = place(&app, variant, "vnpay").await;
    let total = scalar(&app, &format!("SELECT total FROM orders WHERE number = '{number}'")).await;
    assert!(to.starts_with(&format!("{}/paymentv2/vpcpay.html?", s.base)), "{to}");
    assert!(to.contains(&format!("vnp_Amount={}", total * 100)));
    assert!(to.contains(&format!("vnp_TxnRef={number}-1")));
    assert_eq!(status(&app, &number).await, "pending_payment");

    // Paid, the notification sent twice: paid once, the second answered "already confirmed".
    s.mode(serde_json::json!({"ipn": "twice"})).await;
    let back = s.decide(&to, "vnpay", true).await;
    let log = s.log().await;
    let replies: Vec<String> = log.last().unwrap()["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| serde_json::from_str::<serde_json::Value>(r["body"].as_str().unwrap()).unwrap()["RspCode"].to_string())
        .collect();
    assert_eq!(replies, ["\"00\"", "\"02\""]);
    assert_eq!(status(&app, &number).await, "paid");
    assert_eq!(payments(&app, &number).await, 1);
    assert_eq!(scalar(&app, &format!("SELECT paid_amount FROM orders WHERE number = '{number}'")).await, total);

    // The return, after the notification: it tells the shopper and changes nothing.
    let (code, order_page) = come_back(&app, &back).await;
    assert_eq!(code, 303);
    assert!(order_page.starts_with(&format!("/orders/{number}?key=")) && order_page.ends_with("notice=wallet_done"));
    let (_, html) = Shopper::new(&app).get(&order_page).await;
    assert!(html.contains("Cổng thanh toán báo đã trả tiền") && html.contains("status-paid"));
    assert_eq!(payments(&app, &number).await, 1);
    // A forged return is refused with a message, and changes nothing either.
    let forged = back.replace("vnp_ResponseCode=00", "vnp_ResponseCode=24");
    let (code, _) = come_back(&app, &forged).await;
    assert_eq!(code, 400);

    // Notifications the gateway would never send: each refused in VNPay's codes, nothing recorded.
    let (second, to2) = place(&app, variant, "vnpay").await;
    let owed = scalar(&app, &format!("SELECT total FROM orders WHERE number = '{second}'")).await;
    let ipn = |reference: &str, amount: i64| {
        vec![
            ("vnp_Amount", (amount * 100).to_string()),
            ("vnp_BankCode", "NCB".to_string()),
            ("vnp_ResponseCode", "00".to_string()),
            ("vnp_TmnCode", TMN.to_string()),
            ("vnp_TransactionNo", "99990001".to_string()),
            ("vnp_TransactionStatus", "00".to_string()),
            ("vnp_TxnRef", reference.to_string()),
        ]
    };
    let reference = format!("{second}-1");
    assert_eq!(vnp_ipn(&app, &vnp_ipn_query(&ipn(&reference, owed - 1000), VNP_SECRET)).await, "04", "wrong amount");
    assert_eq!(vnp_ipn(&app, &vnp_ipn_query(&ipn(&reference, owed), "not-the-secret")).await, "97", "wrong signature");
    let mut tampered = vnp_ipn_query(&ipn(&reference, owed), VNP_SECRET);
    tampered = tampered.replace(&format!("vnp_Amount={}", owed * 100), &format!("vnp_Amount={}", owed * 10));
    assert_eq!(vnp_ipn(&app, &tampered).await, "97", "an amount changed after signing");
    assert_eq!(
        vnp_ipn(&app, &vnp_ipn_query(&ipn("OCOP-2026-999999-1", owed), VNP_SECRET)).await,
        "01",
        "unknown order"
    );
    assert_eq!(status(&app, &second).await, "pending_payment");
    assert_eq!(payments(&app, &second).await, 0);

    // Cancelled on VNPay's page: the order still waits, the shopper is told, and may try again.
    let back = s.decide(&to2, "vnpay", false).await;
    s.mode(serde_json::json!({"ipn": "send"})).await;
    let (_, order_page) = come_back(&app, &back).await;
    assert!(order_page.ends_with("notice=wallet_cancelled"), "{order_page}");
    assert_eq!(status(&app, &second).await, "pending_payment");
    assert_eq!(
        scalar_text(&app, &format!("SELECT status FROM gateway_attempts WHERE reference = '{reference}'")).await,
        "failed"
    );

    // A second try whose notification is lost: the return comes first and changes nothing; the
    // query settles it, once.
    s.mode(serde_json::json!({"ipn": "drop"})).await;
    let to3 = pay_again(&app, &second, &order_page).await;
    assert!(to3.contains(&format!("vnp_TxnRef={second}-2")), "a fresh reference for each try");
    let back = s.decide(&to3, "vnpay", true).await;
    let (_, order_page) = come_back(&app, &back).await;
    assert!(order_page.ends_with("notice=wallet_done"));
    assert_eq!(status(&app, &second).await, "pending_payment", "the return page pays nothing");
    let settled = reconcile(&app).await;
    assert_eq!(settled["attempts"][0]["reference"], format!("{second}-2"), "{settled}");
    assert_eq!(settled["attempts"][0]["outcome"], "applied");
    assert_eq!(status(&app, &second).await, "paid");
    assert_eq!(reconcile(&app).await["attempts"].as_array().unwrap().len(), 0, "nothing left to ask about");
    // The late notification, should it come after all, is "already confirmed".
    let late = back.split_once('?').unwrap().1;
    assert_eq!(vnp_ipn(&app, late).await, "02");
    assert_eq!(payments(&app, &second).await, 1);

    // The office refunds the first order through VNPay: the order turns refunded, its stock comes
    // back, the money goes out once, and a second refund is refused.
    let (mut office, csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let (code, list) = office.get(&format!("/office/orders?q={number}")).await;
    assert_eq!(code, 200);
    assert!(list.contains(&format!("/office/orders/{number}/refund")), "a refund button for a paid VNPay order");
    let (_, reserved) = stock(&app, variant).await;
    let r = office.post(&format!("/office/orders/{number}/refund"), &[("csrf", &csrf), ("reason", "")]).await;
    assert_eq!(r.status, 422, "a reason is needed");
    assert!(r.body.contains("Cần ghi lý do hoàn tiền"));
    let r =
        office.post(&format!("/office/orders/{number}/refund"), &[("csrf", &csrf), ("reason", "Khách đổi ý")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, &number).await, "refunded");
    assert_eq!(stock(&app, variant).await.1, reserved - 1, "the unshipped unit is free again");
    assert_eq!(scalar(&app, &format!("SELECT paid_amount FROM orders WHERE number = '{number}'")).await, 0);
    assert!(s.log().await.iter().any(|e| e["refund"] == format!("{number}-1") && e["accepted"] == true));
    let r = office.post(&format!("/office/orders/{number}/refund"), &[("csrf", &csrf), ("reason", "Lần nữa")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payments WHERE amount < 0").await, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'order_refund'").await, 1);
    // A shopper cannot reach the office's refund.
    let (mut shopper, shopper_csrf) = signed_in(&app, "khach@ocop.local").await;
    let r = shopper
        .post(&format!("/office/orders/{second}/refund"), &[("csrf", &shopper_csrf), ("reason", "tôi muốn")])
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(status(&app, &second).await, "paid");
}

async fn momo_ipn(app: &TestApp, n: &momo::Ipn) -> u16 {
    app.http.post(format!("{}/payments/momo/ipn", app.base)).json(n).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn momo_pays_once_through_its_notification_and_the_office_refunds_through_momo() {
    let s = Standin::start();
    let app = with_gateways(&s).await;
    let variant = variant_with_stock(&app, 20).await;

    // Checkout creates the MoMo payment (signed) and sends the shopper to its payUrl.
    let (number, to) = place(&app, variant, "momo").await;
    assert!(to.starts_with(&format!("{}/momo/pay/{number}-1", s.base)), "{to}");
    s.mode(serde_json::json!({"ipn": "twice"})).await;
    let back = s.decide(&to, "momo", true).await;
    let replies: Vec<u64> = s.log().await.last().unwrap()["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(replies, [204, 204], "MoMo is answered 204, the duplicate too");
    assert_eq!(status(&app, &number).await, "paid");
    assert_eq!(payments(&app, &number).await, 1);
    let (code, order_page) = come_back(&app, &back).await;
    assert_eq!(code, 303);
    assert!(order_page.ends_with("notice=wallet_done"));
    let (code, _) = come_back(&app, &back.replace("resultCode=0", "resultCode=1006")).await;
    assert_eq!(code, 400, "a return whose signature no longer matches");

    // Refused notifications: a wrong amount, a wrong signature, an unknown order.
    let (second, to2) = place(&app, variant, "momo").await;
    let owed = scalar(&app, &format!("SELECT total FROM orders WHERE number = '{second}'")).await;
    let signed = |order: &str, amount: i64, secret: &str| {
        let mut n = momo::Ipn {
            partner_code: PARTNER.into(),
            order_id: order.into(),
            request_id: order.into(),
            amount,
            order_info: "x".into(),
            order_type: "momo_wallet".into(),
            trans_id: 777,
            result_code: 0,
            message: "Thành công.".into(),
            pay_type: "qr".into(),
            response_time: 1,
            extra_data: String::new(),
            signature: String::new(),
        };
        n.signature = n.sign(ACCESS, secret);
        n
    };
    let reference = format!("{second}-1");
    assert_eq!(momo_ipn(&app, &signed(&reference, owed + 1, SECRET)).await, 400, "wrong amount");
    assert_eq!(momo_ipn(&app, &signed(&reference, owed, "another-secret")).await, 400, "wrong signature");
    let mut tampered = signed(&reference, owed - 5_000, SECRET);
    tampered.amount = owed;
    assert_eq!(momo_ipn(&app, &tampered).await, 400, "an amount changed after signing");
    assert_eq!(momo_ipn(&app, &signed("OCOP-2026-999999-1", owed, SECRET)).await, 404, "unknown order");
    let huge = app
        .http
        .post(format!("{}/payments/momo/ipn", app.base))
        .header("content-type", "application/json")
        .body(format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status().as_u16(), 413, "larger than any notification: refused unread");
    assert_eq!(payments(&app, &second).await, 0);

    // Cancelled in the wallet: the order waits.
    s.mode(serde_json::json!({"ipn": "send"})).await;
    let back = s.decide(&to2, "momo", false).await;
    let (_, order_page) = come_back(&app, &back).await;
    assert!(order_page.ends_with("notice=wallet_cancelled"));
    assert_eq!(status(&app, &second).await, "pending_payment");

    // A lost notification: the query settles the next try.
    s.mode(serde_json::json!({"ipn": "drop"})).await;
    let to3 = pay_again(&app, &second, &order_page).await;
    // Before the shopper decides, the query finds it still open and leaves it.
    assert_eq!(reconcile(&app).await["attempts"][0]["outcome"], "pending");
    s.decide(&to3, "momo", true).await;
    assert_eq!(status(&app, &second).await, "pending_payment");
    let settled = reconcile(&app).await;
    assert_eq!(settled["attempts"][0]["outcome"], "applied", "{settled}");
    assert_eq!(status(&app, &second).await, "paid");
    assert_eq!(payments(&app, &second).await, 1);

    // The office refunds through MoMo.
    let (mut office, csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let r =
        office.post(&format!("/office/orders/{second}/refund"), &[("csrf", &csrf), ("reason", "Hết hàng giao")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, &second).await, "refunded");
    assert!(s.log().await.iter().any(|e| e["gateway"] == "momo" && e["accepted"] == true));
    // A paid order with no gateway payment has nothing to refund through a gateway.
    let (cod, _) = place(&app, variant, "cod").await;
    let r = office.post(&format!("/office/orders/{cod}/refund"), &[("csrf", &csrf), ("reason", "thử")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("không có khoản thanh toán qua VNPay hay MoMo"));
}
