//! Cart, checkout, stock reservation and the order flow, over HTTP against the real router.

use crate::shopper::{
    Shopper, hidden, order_number_of, scalar, scalar_text, set_stock, signed_in, stock, variant_with_stock,
};
use crate::support::{OFFICE_TOKEN, spawn};

#[tokio::test]
async fn a_new_shopper_buys_cash_on_delivery_and_finds_the_order_again() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 5).await;
    let mut s = Shopper::new(&app);
    let added = s.add_variant(variant, 2).await;
    assert_eq!((added.status, added.location.as_str()), (303, "/cart?notice=added"));
    let (status, cart) = s.get("/cart").await;
    assert_eq!(status, 200);
    assert!(cart.contains("Đã thêm vào giỏ hàng") || cart.contains("cart-subtotal"), "{cart}");
    let price = scalar(&app, &format!("SELECT price_vnd FROM variants WHERE id = {variant}")).await;
    assert!(cart.contains(&domain::Vnd(price * 2).to_string()), "cart shows 2 × price");

    // A wrong phone comes back with the message beside the field and everything typed kept.
    let (token, csrf) = s.checkout_tokens().await;
    let bad = s.checkout_with(&token, &csrf, "cod", "12345").await;
    assert_eq!((bad.status, bad.location.as_str()), (303, "/checkout"));
    let (_, form) = s.get("/checkout").await;
    assert!(form.contains("Số điện thoại không hợp lệ"), "phone error shown");
    assert!(form.contains("value=\"12345\""), "typed phone kept");
    assert!(form.contains("Nguyễn Thị Hoà") && form.contains("12 Lê Lợi") && form.contains("Giao giờ hành chính"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM orders").await, 0);

    let placed = s.checkout_with(&token, &csrf, "cod", "+84 912 345 678").await;
    assert_eq!(placed.status, 303);
    let number = order_number_of(&placed.location);
    assert!(number.starts_with("OCOP-2026-") || number.starts_with("OCOP-20"), "{number}");
    let (status, page) = s.get(&placed.location).await;
    assert_eq!(status, 200);
    assert!(page.contains(&number) && page.contains("Đã xác nhận"), "COD orders are confirmed at once");
    // The first view thanks the shopper and says what comes next and when.
    assert!(
        page.contains("id=\"thank-you\"") && page.contains("Cảm ơn bạn đã đặt hàng"),
        "thank-you on the first view"
    );
    assert!(page.contains("id=\"order-timeline\"") && page.contains("Đã đặt hàng"), "a timeline in shopper words");
    assert!(
        page.contains("Người bán đã đóng gói") && page.contains("id=\"order-estimate\""),
        "the next step and an estimate"
    );
    assert!(!page.contains("khách hàng / shopper"), "no internal actor labels");
    // Hồ Chí Minh City is 30.000 ₫ in the default table (under the free threshold for this order).
    let total = price * 2 + if price * 2 >= 500_000 { 0 } else { 30_000 };
    assert!(page.contains(&domain::Vnd(total).to_string()), "server-computed total {total}");
    assert_eq!(stock(&app, variant).await, (5, 2), "two units reserved, none gone yet");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM cart_items").await, 0, "cart emptied");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notifications WHERE recipient = 'hoa@example.vn'").await, 1);
    // The outbox goes out as files when no SMTP server is configured, once.
    let dir = app.dir.join("outbox");
    let mailer = server::jobs::Mailer::Dir(dir.clone());
    assert_eq!(server::jobs::deliver_outbox(&app.state.store, &mailer).await.unwrap(), 1);
    assert_eq!(server::jobs::deliver_outbox(&app.state.store, &mailer).await.unwrap(), 0);
    let mail = std::fs::read_to_string(std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path()).unwrap();
    assert!(mail.contains("To: hoa@example.vn") && mail.contains(&number), "{mail}");
    let phone = scalar(&app, "SELECT COUNT(*) FROM orders WHERE phone = '0912345678'").await;
    assert_eq!(phone, 1, "phone stored in its domestic form");

    // Found again by number and phone (any spelling); not with another phone.
    let mut stranger = Shopper::new(&app);
    let found = stranger.post("/orders/find", &[("number", &number.to_lowercase()), ("phone", "0912.345.678")]).await;
    // The checkout's redirect adds the first view's thank-you; the lookup opens the same order.
    assert_eq!(found.location, placed.location.replace("&placed=1", ""));
    let miss = stranger.post("/orders/find", &[("number", &number), ("phone", "0987654321")]).await;
    assert_eq!(miss.location, "/orders?notice=notfound");
    // The refused lookup comes back with both fields as typed, so one wrong digit is one fix.
    let (_, lookup) = stranger.get(&miss.location).await;
    assert!(lookup.contains(&format!("value=\"{number}\"")) && lookup.contains("value=\"0987654321\""), "{lookup}");
    let (_, found_page) = stranger.get(&found.location).await;
    assert!(!found_page.contains("id=\"thank-you\""), "the thank-you is for the first view only");
    let (status, _) = stranger.get(&format!("/orders/{number}?key=wrong")).await;
    assert_eq!(status, 404, "the order page needs its key");
    // Guessing phones for a known number stops after five misses, even with the right one.
    for _ in 0..4 {
        stranger.post("/orders/find", &[("number", &number), ("phone", "0987654321")]).await;
    }
    let right = stranger.post("/orders/find", &[("number", &number), ("phone", "0912345678")]).await;
    assert_eq!(right.location, "/orders?notice=throttled");
}

#[tokio::test]
async fn a_double_submitted_checkout_makes_one_order() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 5).await;
    let mut s = Shopper::new(&app);
    s.add_variant(variant, 1).await;
    let (token, csrf) = s.checkout_tokens().await;
    let cookie = s.cookie.clone();
    // Two clicks in flight at once, then a third resubmission after the first finished.
    let mut a = Shopper { app: &app, cookie: cookie.clone() };
    let mut b = Shopper { app: &app, cookie: cookie.clone() };
    let (first, second) = tokio::join!(
        a.checkout_with(&token, &csrf, "cod", "0912345678"),
        b.checkout_with(&token, &csrf, "cod", "0912345678")
    );
    let third = s.checkout_with(&token, &csrf, "cod", "0912345678").await;
    assert!(first.location.starts_with("/orders/"), "{}", first.location);
    assert_eq!(first.location, second.location);
    assert_eq!(first.location, third.location);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM orders").await, 1);
    assert_eq!(stock(&app, variant).await, (5, 1), "reserved once");
}

#[tokio::test]
async fn fifty_buyers_for_ten_units_make_exactly_ten_orders() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 10).await;
    let mut buyers = Vec::new();
    for _ in 0..50 {
        let mut s = Shopper::new(&app);
        assert_eq!(s.add_variant(variant, 1).await.status, 303);
        let (token, csrf) = s.checkout_tokens().await;
        buyers.push((s, token, csrf));
    }
    let results = futures_like_join_all(buyers.iter_mut().map(|(s, token, csrf)| {
        let (token, csrf) = (token.clone(), csrf.clone());
        async move { s.checkout_with(&token, &csrf, "cod", "0912345678").await }
    }))
    .await;
    let placed = results.iter().filter(|r| r.location.starts_with("/orders/")).count();
    let refused = results.iter().filter(|r| r.location == "/cart?notice=stock").count();
    assert_eq!((placed, refused), (10, 40), "every buyer gets an order or a clear 'out of stock'");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM orders").await, 10);
    assert_eq!(scalar(&app, "SELECT COUNT(DISTINCT number) FROM orders").await, 10);
    assert_eq!(stock(&app, variant).await, (10, 10), "all ten reserved, never more");
    let (_, page) = Shopper::new(&app).get("/api/v1/products?per_page=60").await;
    assert!(!page.is_empty());
}

/// Runs futures concurrently (tokio tasks would need 'static borrows).
async fn futures_like_join_all<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let futs: Vec<_> = futs.map(Box::pin).collect();
    let mut out = Vec::with_capacity(futs.len());
    let mut pending: Vec<_> = futs.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    out.extend(results.into_iter().map(Option::unwrap));
    out
}

#[tokio::test]
async fn a_cart_line_beyond_stock_blocks_checkout_with_a_message() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 3).await;
    let mut s = Shopper::new(&app);
    s.add_variant(variant, 2).await;
    let (token, csrf) = s.checkout_tokens().await;
    set_stock(&app, variant, 1).await; // someone bought the rest meanwhile
    let (_, cart) = s.get("/cart").await;
    assert!(cart.contains("Chỉ còn 1."), "the cart shows the problem as it arises");
    let r = s.checkout_with(&token, &csrf, "cod", "0912345678").await;
    assert_eq!(r.location, "/cart?notice=stock");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM orders").await, 0);
    // Fixing the quantity on the cart page lets it through.
    let (_, cart) = s.get("/cart").await;
    let item = hidden(&cart, "item");
    let csrf = hidden(&cart, "csrf");
    assert_eq!(s.post("/cart/update", &[("csrf", &csrf), ("item", &item), ("qty", "1")]).await.status, 303);
    assert!(s.checkout("cod").await.location.starts_with("/orders/"));
    assert_eq!(stock(&app, variant).await, (1, 1));
}

#[tokio::test]
async fn forms_from_other_sites_or_without_the_token_are_refused() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 3).await;
    let res = app
        .http
        .post(format!("{}/cart/add", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .body(format!("variant={variant}&qty=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let mut s = Shopper::new(&app);
    s.add_variant(variant, 1).await;
    let (_, cart) = s.get("/cart").await;
    let item = hidden(&cart, "item");
    let forged = s.post("/cart/update", &[("csrf", "00ff"), ("item", &item), ("qty", "9")]).await;
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("tải lại trang"), "a readable message: {}", forged.body);
    // Another cart's line cannot be changed by posting its id.
    let mut other = Shopper::new(&app);
    other.add_variant(variant, 1).await;
    let (_, other_cart) = other.get("/cart").await;
    let theirs = hidden(&other_cart, "item");
    let csrf = hidden(&cart, "csrf");
    s.post("/cart/update", &[("csrf", &csrf), ("item", &theirs), ("qty", "0")]).await;
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM cart_items WHERE id = {theirs}")).await, 1);
    let bad = s.post("/cart/add", &[("variant", "abc")]).await;
    assert_eq!(bad.status, 400);
    let missing = s.post("/cart/add", &[("variant", "999999")]).await;
    assert_eq!(missing.location, "/cart?notice=unavailable");
}

async fn office(app: &crate::support::TestApp, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let res = app.http.post(format!("{}{path}", app.base)).bearer_auth(OFFICE_TOKEN).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn shipping_consumes_stock_cancelling_releases_and_history_records_who() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 6).await;
    let mut s = Shopper::new(&app);
    s.add_variant(variant, 2).await;
    let first = order_number_of(&s.checkout("cod").await.location);
    s.add_variant(variant, 1).await;
    let second = order_number_of(&s.checkout("cod").await.location);
    assert_eq!(stock(&app, variant).await, (6, 3));

    let unauth = app
        .http
        .post(format!("{}/office/api/orders/{first}/status", app.base))
        .json(&serde_json::json!({"status": "packed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unauth.status().as_u16(), 401);
    for status in ["packed", "shipped"] {
        let (code, body) =
            office(&app, &format!("/office/api/orders/{first}/status"), serde_json::json!({"status": status})).await;
        assert_eq!(code, 200, "{body}");
    }
    assert_eq!(stock(&app, variant).await, (4, 1), "shipping turned the reservation into a sale");
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT CAST(SUM(qty_delta) AS BIGINT) FROM stock_movements WHERE reference = '{first}'")
        )
        .await,
        -2
    );
    let (code, _) =
        office(&app, &format!("/office/api/orders/{first}/status"), serde_json::json!({"status": "cancelled"})).await;
    assert_eq!(code, 409, "what has shipped cannot be cancelled");
    let (code, _) =
        office(&app, &format!("/office/api/orders/{first}/status"), serde_json::json!({"status": "delivered"})).await;
    assert_eq!(code, 200);
    let paid = scalar(&app, &format!("SELECT paid_amount - total FROM orders WHERE number = '{first}'")).await;
    assert_eq!(paid, 0, "cash collected on delivery pays the order");

    let (code, _) = office(
        &app,
        &format!("/office/api/orders/{second}/status"),
        serde_json::json!({"status": "cancelled", "note": "khách đổi ý"}),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(stock(&app, variant).await, (4, 0), "cancelling released the unit");
    let (code, _) =
        office(&app, &format!("/office/api/orders/{second}/status"), serde_json::json!({"status": "cancelled"})).await;
    assert_eq!(code, 409);
    assert_eq!(stock(&app, variant).await, (4, 0), "released once");
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.number = '{first}'"
            )
        )
        .await,
        4
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM order_events WHERE actor LIKE '%office%' AND note = 'khách đổi ý'").await,
        1
    );
}

#[tokio::test]
async fn a_gift_combo_reserves_its_components() {
    let app = spawn().await;
    let combo = scalar(&app, "SELECT id FROM combos ORDER BY id LIMIT 1").await;
    let slug: String = {
        use sea_orm::EntityTrait;
        store::entity::combo::Entity::find_by_id(combo).one(&app.state.store.db).await.unwrap().unwrap().slug
    };
    let parts = scalar(&app, &format!("SELECT COUNT(*) FROM combo_items WHERE combo_id = {combo}")).await;
    let before = scalar(&app, "SELECT CAST(SUM(reserved) AS BIGINT) FROM stock_levels").await;
    let mut s = Shopper::new(&app);
    assert_eq!(s.post("/cart/add", &[("combo", &slug), ("qty", "2")]).await.location, "/cart?notice=added");
    assert!(s.checkout("cod").await.location.starts_with("/orders/"));
    let needed =
        scalar(&app, &format!("SELECT CAST(SUM(qty) * 2 AS BIGINT) FROM combo_items WHERE combo_id = {combo}")).await;
    assert_eq!(scalar(&app, "SELECT CAST(SUM(reserved) AS BIGINT) FROM stock_levels").await - before, needed);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM order_stock").await, parts);
}

#[tokio::test]
async fn a_tourist_checks_out_with_a_foreign_number_and_finds_it_under_my_orders() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 5).await;
    let (mut s, _) = signed_in(&app, "khach@ocop.local").await;
    let session = s.cookie.clone().unwrap();
    assert_eq!(s.add_variant(variant, 1).await.status, 303);
    // The helper follows one cookie: the session and the new cart travel together from here.
    s.cookie = Some(format!("{session}; {}", s.cookie.clone().unwrap()));
    let (token, csrf) = s.checkout_tokens().await;
    let placed = s.checkout_with(&token, &csrf, "cod", "+49 151 2345 6789").await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let number = order_number_of(&placed.location);
    let stored = scalar_text(&app, &format!("SELECT phone FROM orders WHERE number = '{number}'")).await;
    assert_eq!(stored, "+4915123456789", "kept in E.164");
    let owner = scalar(&app, &format!("SELECT COALESCE(user_id, 0) FROM orders WHERE number = '{number}'")).await;
    let khach = scalar(&app, "SELECT id FROM users WHERE email = 'khach@ocop.local'").await;
    assert_eq!(owner, khach, "placed from the signed-in account");

    // A guest's order is not anyone's.
    let mut guest = Shopper::new(&app);
    guest.add_variant(variant, 1).await;
    let other = order_number_of(&guest.checkout("cod").await.location);

    let (_, account) = s.get("/account").await;
    assert!(account.contains("Đơn hàng của tôi") && account.contains(&number), "listed under My orders");
    assert!(account.contains(&format!("href=\"/orders/{number}?key=")), "each a link to its page");
    assert!(!account.contains(&other), "a guest's order is not listed");

    // The visitor finds it again with the number as they would type it.
    let mut visitor = Shopper::new(&app);
    let found = visitor.post("/orders/find", &[("number", &number), ("phone", "0049 151 2345-6789")]).await;
    assert!(found.location.starts_with(&format!("/orders/{number}?key=")), "{}", found.location);
}
