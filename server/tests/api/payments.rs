//! VietQR orders, statement import, the Stripe webhook and expiry of unpaid orders.

use crate::shopper::{Shopper, order_number_of, scalar, stock, variant_with_stock};
use crate::support::{OFFICE_TOKEN, TestApp, WEBHOOK_SECRET, spawn};

async fn order_status(app: &TestApp, number: &str) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::order::Entity::find()
        .filter(store::entity::order::Column::Number.eq(number))
        .one(&app.state.store.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn total(app: &TestApp, number: &str) -> i64 {
    scalar(app, &format!("SELECT total FROM orders WHERE number = '{number}'")).await
}

async fn place(app: &TestApp, variant: i64, payment: &str) -> (String, String) {
    let mut s = Shopper::new(app);
    s.add_variant(variant, 1).await;
    let placed = s.checkout(payment).await;
    (order_number_of(&placed.location), placed.location)
}

#[tokio::test]
async fn a_vietqr_order_shows_a_qr_for_its_amount_and_number() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 5).await;
    let (number, page) = place(&app, variant, "vietqr").await;
    assert_eq!(order_status(&app, &number).await, "pending_payment");
    let (status, html) = Shopper::new(&app).get(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg") && html.contains("id=\"vietqr\""), "QR image on the page");
    assert!(
        html.contains("0071000123456") && html.contains("Vietcombank") && html.contains(&number),
        "bank details as text"
    );
    let key = page.split("key=").nth(1).unwrap().split('&').next().unwrap();
    let view = store::payments::view(&app.state.store, &number, key).await.unwrap().unwrap();
    let qr = domain::vietqr::parse(&view.transfer.unwrap().payload).expect("valid CRC");
    assert_eq!(qr.get(&["38", "00"]), Some("A000000727"));
    assert_eq!(qr.get(&["38", "01", "00"]), Some("970436"));
    assert_eq!(qr.get(&["38", "01", "01"]), Some("0071000123456"));
    assert_eq!(qr.get(&["54"]), Some(total(&app, &number).await.to_string().as_str()));
    assert_eq!(qr.get(&["62", "08"]), Some(number.as_str()));
}

async fn import(app: &TestApp, csv: &str) -> (u16, serde_json::Value) {
    let res = app
        .http
        .post(format!("{}/office/api/statements", app.base))
        .bearer_auth(OFFICE_TOKEN)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn statement_import_matches_flags_and_is_idempotent() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 9).await;
    let (exact, _) = place(&app, variant, "vietqr").await;
    let (under, _) = place(&app, variant, "vietqr").await;
    let (over, _) = place(&app, variant, "vietqr").await;
    let t = total(&app, &exact).await;
    // Banks strip hyphens and add their own words around the purpose.
    let csv = format!(
        "Mã giao dịch,Ngày,Số tiền,Nội dung\n\
         FT001,28/11/2026,\"{}\",MBVCB.123.{} chuyen khoan\n\
         FT002,28/11/2026,{},{}\n\
         FT003,28/11/2026,{},{}\n\
         FT004,28/11/2026,50000,tien an trua\n",
        domain::Vnd(t).to_string().trim_end_matches(" ₫"),
        exact.replace('-', ""),
        t - 1000,
        under,
        t + 5000,
        over
    );
    let (code, body) = import(&app, &csv).await;
    assert_eq!(code, 200, "{body}");
    let outcomes: Vec<&str> = body["rows"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["applied", "underpaid", "overpaid", "unmatched"]);
    assert_eq!(order_status(&app, &exact).await, "paid");
    assert_eq!(order_status(&app, &under).await, "pending_payment", "short payments are not accepted");
    assert_eq!(order_status(&app, &over).await, "pending_payment", "over-payments wait for the office");

    let (code, again) = import(&app, &csv).await;
    assert_eq!(code, 200);
    assert!(again["rows"].as_array().unwrap().iter().all(|r| r["outcome"] == "duplicate"), "{again}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payments").await, 4);
    assert_eq!(scalar(&app, &format!("SELECT paid_amount FROM orders WHERE number = '{exact}'")).await, t);

    // One unreadable row: nothing from the file is recorded.
    let (code, bad) = import(&app, "reference,amount,description\nFT9,100000,x\nFT10,abc,y\n").await;
    assert_eq!(code, 422);
    assert_eq!(bad["rows"][0]["line"], 3);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payments").await, 4);

    // The office settles the short one by hand; the same reference twice is one payment.
    for _ in 0..2 {
        let res = app
            .http
            .post(format!("{}/office/api/orders/{under}/mark-paid", app.base))
            .bearer_auth(OFFICE_TOKEN)
            .json(&serde_json::json!({"reference": "cash-desk-17"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
    assert_eq!(order_status(&app, &under).await, "paid");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payments WHERE external_ref = 'office:cash-desk-17'").await, 1);
}

fn event(id: &str, session: &str, number: &str, amount: i64) -> String {
    serde_json::json!({
        "id": id,
        "type": "checkout.session.completed",
        "data": {"object": {
            "id": session,
            "object": "checkout.session",
            "client_reference_id": number,
            "metadata": {"order_number": number},
            "payment_status": "paid",
            "amount_total": amount,
            "currency": "vnd"
        }}
    })
    .to_string()
}

async fn deliver(app: &TestApp, body: &str, signature: &str) -> (u16, serde_json::Value) {
    let res = app
        .http
        .post(format!("{}/webhooks/stripe", app.base))
        .header("stripe-signature", signature)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn stripe_webhooks_pay_once_and_refuse_bad_or_stale_signatures() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 5).await;
    let (number, location) = place(&app, variant, "stripe").await;
    // Stripe is unreachable from the test: the shopper lands on the order page with a notice.
    assert!(location.contains("notice=card_failed"), "{location}");
    let amount = total(&app, &number).await;
    let now = chrono::Utc::now().timestamp();
    let body = event("evt_1", "cs_test_1", &number, amount);

    let (code, _) = deliver(&app, &body, &server::stripe::sign(body.as_bytes(), "whsec_wrong", now)).await;
    assert_eq!(code, 400, "bad signature");
    let (code, _) = deliver(&app, &body, &server::stripe::sign(body.as_bytes(), WEBHOOK_SECRET, now - 301)).await;
    assert_eq!(code, 400, "older than five minutes");
    let (code, _) = deliver(&app, &body, "").await;
    assert_eq!(code, 400, "unsigned");
    assert_eq!(order_status(&app, &number).await, "pending_payment");

    let signed = server::stripe::sign(body.as_bytes(), WEBHOOK_SECRET, now);
    let (code, first) = deliver(&app, &body, &signed).await;
    assert_eq!((code, first["outcome"].as_str()), (200, Some("applied")), "{first}");
    assert_eq!(order_status(&app, &number).await, "paid");
    let (code, again) = deliver(&app, &body, &signed).await;
    assert_eq!((code, again["outcome"].as_str()), (200, Some("duplicate_event")));
    // Another event about the same paid session (Stripe may send both) is the same payment.
    let other = event("evt_2", "cs_test_1", &number, amount);
    let (code, second) = deliver(&app, &other, &server::stripe::sign(other.as_bytes(), WEBHOOK_SECRET, now)).await;
    assert_eq!((code, second["outcome"].as_str()), (200, Some("duplicate")));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM payments").await, 1);
    assert_eq!(scalar(&app, &format!("SELECT paid_amount FROM orders WHERE number = '{number}'")).await, amount);
}

#[tokio::test]
async fn unpaid_orders_expire_and_release_stock_and_late_money_is_flagged() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 4).await;
    let (unpaid, _) = place(&app, variant, "vietqr").await;
    let (paid, _) = place(&app, variant, "vietqr").await;
    let (cod, _) = place(&app, variant, "cod").await;
    assert_eq!(stock(&app, variant).await, (4, 3));
    let t = total(&app, &paid).await;
    let csv = format!("reference,amount,description\nFT1,{t},{paid}\n");
    import(&app, &csv).await;

    let now = chrono::Utc::now();
    assert_eq!(store::orders::expire_unpaid(&app.state.store, now).await.unwrap(), 0, "not yet due");
    let later = now + chrono::Duration::minutes(61);
    assert_eq!(store::orders::expire_unpaid(&app.state.store, later).await.unwrap(), 1);
    assert_eq!(order_status(&app, &unpaid).await, "cancelled");
    assert_eq!(order_status(&app, &paid).await, "paid");
    assert_eq!(order_status(&app, &cod).await, "confirmed", "cash on delivery does not expire");
    assert_eq!(stock(&app, variant).await, (4, 2));

    let t = total(&app, &unpaid).await;
    let (_, body) = import(&app, &format!("reference,amount,description\nFT2,{t},{unpaid}\n")).await;
    assert_eq!(body["rows"][0]["outcome"], "late");
    assert_eq!(order_status(&app, &unpaid).await, "cancelled", "late money is flagged, not applied");
}
