//! Traceability over HTTP against the real router, on SQLite or PostgreSQL: a producer records
//! batches on its forms, a label's GS1 Digital Link opens the batch's trace page, shipments and till
//! sales record the batch they took (named, or assumed first-expiring-first-out), and a recall finds
//! exactly the orders and sales that took the batch, tells their shoppers, blocks checkout, reaches
//! the tills at their next pull, and closes only once the shelves are cleared.

use serde_json::{Value, json};

use crate::shopper::{Shopper, order_number_of, scalar, scalar_text, set_stock, signed_in};
use crate::support::{TestApp, spawn};
use crate::sync::{paired, post_json};

fn id_after(location: &str, prefix: &str) -> i64 {
    location.trim_start_matches(prefix).split(['?', '#', '/']).next().unwrap().parse().unwrap()
}

/// The batch form as the portal posts it: one input, one test, received at `location`.
fn batch_form<'a>(
    csrf: &'a str,
    variant: &'a str,
    code: &'a str,
    made: &'a str,
    expires: &'a str,
    qty: &'a str,
    location: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("variant_id", variant),
        ("code", code),
        ("produced_on", made),
        ("expires_on", expires),
        ("quantity", qty),
        ("location_id", location),
        ("input_material_0", "Cá cơm than"),
        ("input_origin_0", "Tàu BTh-96123-TS, ngư trường Phú Quý"),
        ("input_supplier_0", "HTX Hải sản Phú Quý"),
        ("input_received_on_0", "2026-10-30"),
        ("test_name_0", "Histamine"),
        ("test_result_0", "120 mg/kg (giới hạn 400)"),
        ("test_lab_0", "Quatest 3"),
        ("test_passed_0", "1"),
    ]
}

async fn record(member: &mut Shopper<'_>, form: &[(&str, &str)]) -> i64 {
    let r = member.post("/portal/batches", form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_after(&r.location, "/portal/batches/")
}

/// A showroom sale of one line, its batch named (or not) as a till sends it.
fn till_sale(sku: &str, qty: i64, price: i64, receipt: &str, batch: Option<&str>) -> Value {
    let mut s = crate::sync::sale(sku, qty, price);
    s["receipt_no"] = json!(receipt);
    if let Some(b) = batch {
        s["lines"][0]["batch"] = json!(b);
    }
    s
}

async fn catalog(app: &TestApp, token: &str, since: Option<&str>) -> Value {
    let mut req = app.http.get(format!("{}/sync/v1/catalog", app.base)).bearer_auth(token);
    if let Some(s) = since {
        req = req.query(&[("since", s)]);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.unwrap()
}

/// An order of `qty` units of `variant`, cash on delivery; its number.
async fn order(app: &TestApp, variant: i64, qty: u32) -> String {
    let mut shopper = Shopper::new(app);
    assert_eq!(shopper.add_variant(variant, qty).await.status, 303);
    let r = shopper.checkout("cod").await;
    assert_eq!(r.status, 303, "{}", r.body);
    order_number_of(&r.location)
}

#[tokio::test]
async fn batches_are_traced_from_label_to_sale_and_a_recall_reaches_exactly_what_took_them() {
    let app = spawn().await;
    let (mut member, csrf) = signed_in(&app, "chuthe@ocop.local").await;
    let (mut office, office_csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let owner = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let other = scalar(&app, &format!("SELECT MIN(id) FROM producers WHERE id <> {owner}")).await;
    crate::listings::other_member(&app, other, "khac@ocop.local").await;
    let (mut stranger, stranger_csrf) = signed_in(&app, "khac@ocop.local").await;
    let products: Vec<i64> = {
        let first = scalar(&app, &format!("SELECT MIN(id) FROM products WHERE producer_id = {owner}")).await;
        let second = scalar(&app, &format!("SELECT MAX(id) FROM products WHERE producer_id = {owner}")).await;
        vec![first, second]
    };
    assert_ne!(products[0], products[1], "the demo producer has two products");
    let v = scalar(&app, &format!("SELECT MIN(id) FROM variants WHERE product_id = {}", products[0])).await;
    let w = scalar(&app, &format!("SELECT MIN(id) FROM variants WHERE product_id = {}", products[1])).await;
    let sku = scalar_text(&app, &format!("SELECT sku FROM variants WHERE id = {v}")).await;
    let barcode = scalar_text(&app, &format!("SELECT barcode FROM variants WHERE id = {v}")).await;
    let warehouse = scalar(&app, "SELECT id FROM locations WHERE code = 'ONLINE'").await.to_string();
    let (vs, ws) = (v.to_string(), w.to_string());

    // The form names what is wrong and keeps what was typed; another producer's size is not theirs.
    let (status, page) = member.get("/portal/batches").await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"record-batch\""));
    let mut bad = batch_form(&csrf, &vs, "lô 1", "2099-01-01", "2026-01-01", "0", &warehouse);
    bad.retain(|(k, _)| !k.starts_with("input_"));
    let r = member.post("/portal/batches", &bad).await;
    assert_eq!(r.status, 422);
    for msg in
        ["Mã lô chỉ gồm", "Ngày sản xuất không thể sau hôm nay", "Số lượng là số nguyên", "Ghi ít nhất một nguyên liệu"]
    {
        assert!(r.body.contains(msg), "{msg} is on the page");
    }
    let r = stranger.post("/portal/batches", &batch_form(&stranger_csrf, &vs, "L-X", "2026-11-01", "", "5", "")).await;
    assert!(matches!(r.status, 403 | 404), "another producer's size: {}", r.status);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM batches").await, 0, "nothing stored");

    // Two batches of one size, received online; one of the other size, the only stock it has.
    let a = record(&mut member, &batch_form(&csrf, &vs, "l2611-a", "2026-11-01", "2027-05-01", "10", &warehouse)).await;
    let b = record(&mut member, &batch_form(&csrf, &vs, "L2611-B", "2026-11-10", "2027-08-01", "5", &warehouse)).await;
    let r = member.post("/portal/batches", &batch_form(&csrf, &vs, "L2611-A", "2026-11-01", "", "1", "")).await;
    assert_eq!(r.status, 422, "the same code twice for a size");
    set_stock(&app, w, 0).await;
    let c = record(&mut member, &batch_form(&csrf, &ws, "C-1", "2026-11-05", "2027-01-31", "3", &warehouse)).await;
    let (_, page) = member.get("/portal/batches").await;
    assert!(page.contains("L2611-A") && page.contains("L2611-B") && page.contains("C-1"), "listed, codes upper-cased");
    assert_eq!(stranger.get(&format!("/portal/batches/{a}")).await.0, 404, "another producer's batch is not found");

    // A test report published with A; an HTML file is refused, and another producer cannot publish.
    use crate::evaluation_forms::{pdf, send_file};
    let attach = format!("/portal/batches/{a}/documents");
    let r = send_file(
        &member,
        &attach,
        &[("csrf", &csrf), ("title", "Phiếu kiểm nghiệm")],
        ("file", "kn.pdf"),
        pdf("Histamine 120", None),
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = send_file(
        &member,
        &attach,
        &[("csrf", &csrf), ("title", "Trang")],
        ("file", "x.html"),
        b"<html><script>alert(1)</script>".to_vec(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("field-error"), "the reason is on the page");
    let r =
        send_file(&stranger, &attach, &[("csrf", &stranger_csrf), ("title", "X")], ("file", "kn.pdf"), pdf("X", None))
            .await;
    assert_eq!(r.status, 404, "another producer's batch");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM batch_documents").await, 1);
    let doc = scalar(&app, "SELECT id FROM batch_documents").await;
    let res = app.http.get(format!("{}/trace/{a}/documents/{doc}", app.base)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().starts_with("sandbox"));
    assert_eq!(
        app.http.get(format!("{}/trace/{b}/documents/{doc}", app.base)).send().await.unwrap().status().as_u16(),
        404,
        "only under its own batch"
    );

    // The label: a GS1 Digital Link on the marketplace that opens the public trace page.
    let gtin = format!("0{barcode}");
    let (_, page) = member.get(&format!("/portal/batches/{a}/labels?size=a4-65")).await;
    assert!(page.contains(&format!("/01/{gtin}/10/L2611-A")), "the label carries the Digital Link");
    assert_eq!(page.matches("class=\"label\"").count(), 65, "one sheet of 65 labels");
    let res = app.http.get(format!("{}/01/{gtin}/10/L2611-A", app.base)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], format!("/trace/{a}"));
    let res =
        app.http.get(format!("{}/01/{barcode}/10/l2611-a?linkType=gs1:traceability", app.base)).send().await.unwrap();
    assert_eq!(res.headers()["location"], format!("/trace/{a}"), "13 digits and a lower-case batch resolve too");
    let (status, trace) = Shopper::new(&app).get(&format!("/trace/{a}")).await;
    assert_eq!(status, 200);
    for part in
        ["L2611-A", "Cá cơm than", "Tàu BTh-96123-TS", "Histamine", "01/11/2026", "01/05/2027", "Phiếu kiểm nghiệm"]
    {
        assert!(trace.contains(part), "{part} is on the trace page");
    }
    assert!(!trace.contains("chuthe@ocop.local"), "no account of the producer's");
    assert_eq!(app.http.get(format!("{}/01/{gtin}/10/NOPE", app.base)).send().await.unwrap().status().as_u16(), 404);
    assert_eq!(app.http.get(format!("{}/01/{gtin}/21/1/10/A", app.base)).send().await.unwrap().status().as_u16(), 404);
    let res = app.http.get(format!("{}/01/{gtin}", app.base)).send().await.unwrap();
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/products/"), "a GTIN alone opens the product");

    // A showroom receives four units of batch A by the product's stock form.
    let (showroom, token) = paired(&app, "SR-MUINE").await;
    let showroom_id = scalar(&app, &format!("SELECT id FROM locations WHERE code = '{showroom}'")).await.to_string();
    let stock_path = format!("/portal/products/{}/stock", products[0]);
    let (a_s, c_s) = (a.to_string(), c.to_string());
    let receive = |batch: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("variant_id".to_string(), vs.clone()),
            ("location_id".to_string(), showroom_id.clone()),
            ("reason".to_string(), "received".to_string()),
            ("qty".to_string(), "4".to_string()),
            ("batch_id".to_string(), batch.to_string()),
        ]
    };
    let wrong = receive(&c_s);
    let r = member.post(&stock_path, &wrong.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, 422, "batch C is not of this size");
    let right = receive(&a_s);
    let r = member.post(&stock_path, &right.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Online: the packer names batch B for one order; another ships unnamed and is assumed A
    // (it expires first).
    let named = order(&app, v, 2).await;
    let (batch_field, b_s) = (format!("batch_{v}"), b.to_string());
    let r = member
        .post(
            &format!("/portal/orders/{named}/ship"),
            &[("csrf", &csrf), ("tracking", "GHN12345678"), (&batch_field, &c_s)],
        )
        .await;
    assert_eq!(r.status, 422, "a batch of another size is refused: {}", r.body);
    let r = member
        .post(
            &format!("/portal/orders/{named}/ship"),
            &[("csrf", &csrf), ("tracking", "GHN12345678"), (&batch_field, &b_s)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let assumed = order(&app, v, 1).await;
    let (_, page) = member.get("/portal/orders").await;
    assert!(page.contains(&format!("name=\"batch_{v}\"")), "the packing form offers the batches");
    let r =
        member.post(&format!("/portal/orders/{assumed}/ship"), &[("csrf", &csrf), ("tracking", "GHN87654321")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let took = |number: &str| {
        format!(
            "SELECT CAST(COALESCE(SUM(qty), 0) AS BIGINT) FROM batch_takes WHERE reference = '{number}' AND batch_id = "
        )
    };
    assert_eq!(scalar(&app, &format!("{}{b}", took(&named))).await, 2);
    assert_eq!(scalar(&app, &format!("{}{a}", took(&named))).await, 0);
    assert_eq!(scalar(&app, &format!("{}{a}", took(&assumed))).await, 1);
    assert_eq!(
        scalar(&app, &format!("SELECT CAST(COALESCE(SUM(qty_delta), 0) AS BIGINT) FROM stock_movements WHERE batch_id = {a} AND location_id = {warehouse}")).await,
        9,
        "the ledger knows what is left of A online"
    );

    // The till: a sale naming A, one naming B, one unnamed (no batch stock at the showroom by the
    // ledger but A's four units: assumed A), pushed twice.
    let sales = vec![
        till_sale(&sku, 1, 95_000, "MN1-000001", Some("L2611-A")),
        till_sale(&sku, 1, 95_000, "MN1-000002", Some("L2611-B")),
        till_sale(&sku, 1, 95_000, "MN1-000003", None),
    ];
    for _ in 0..2 {
        let push = json!({"showroom_code": showroom, "sales": sales}).to_string().into_bytes();
        let (status, body) = post_json(&app, "/sync/v1/sales", Some(&token), push).await;
        assert_eq!(status, 200, "{body}");
    }
    let sale_ids: Vec<String> = sales.iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 3, "each sale stored once");
    assert_eq!(scalar(&app, &format!("{}{a}", took(&sale_ids[0]))).await, 1);
    assert_eq!(scalar(&app, &format!("{}{b}", took(&sale_ids[1]))).await, 1);
    assert_eq!(scalar(&app, &format!("{}{a}", took(&sale_ids[2]))).await, 1, "assumed from the shelf's batch");
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM batch_takes WHERE reference = '{}' AND assumed", sale_ids[2]))
            .await,
        1
    );
    let before = catalog(&app, &token, None).await;
    let cursor = before["cursor"].as_str().unwrap().to_string();
    let item = before["items"].as_array().unwrap().iter().find(|i| i["sku"] == sku.as_str()).unwrap().clone();
    let a_here = item["batches"].as_array().unwrap().iter().find(|x| x["code"] == "L2611-A").unwrap().clone();
    assert_eq!(a_here["on_hand"], 2, "four received, two sold at the showroom");
    assert_eq!(a_here["recalled"], false);

    // A shopper has batch C in the cart when it is recalled.
    let mut late = Shopper::new(&app);
    assert_eq!(late.add_variant(w, 2).await.status, 303);

    // Another producer cannot recall A; a recall needs a reason.
    let r = stranger
        .post(&format!("/portal/batches/{a}/recall"), &[("csrf", &stranger_csrf), ("reason", "Không rõ")])
        .await;
    assert_eq!(r.status, 404);
    let r =
        office.post("/office/recalls", &[("csrf", &office_csrf), ("batch_id", &a.to_string()), ("reason", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Ghi lý do thu hồi"));
    let notes_before = scalar(&app, "SELECT COUNT(*) FROM notifications WHERE subject LIKE 'Thu hồi sản phẩm%'").await;
    let r = office
        .post(
            "/office/recalls",
            &[("csrf", &office_csrf), ("batch_id", &a.to_string()), ("reason", "Histamine vượt ngưỡng ở mẫu lưu")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let recall = id_after(&r.location, "/office/recalls/");
    let r = office
        .post(
            "/office/recalls",
            &[("csrf", &office_csrf), ("batch_id", &a.to_string()), ("reason", "Lần nữa cho chắc")],
        )
        .await;
    assert_eq!(r.status, 422, "one open recall per batch");

    // Its reach: the assumed order and the two showroom sales that took A; not the order packed from B,
    // nor the sale of B.
    let (status, page) = office.get(&format!("/office/recalls/{recall}")).await;
    assert_eq!(status, 200);
    let section =
        |id: &str| page.split(&format!("id=\"{id}\"")).nth(1).unwrap().split("</table>").next().unwrap().to_string();
    let orders = section("recall-orders");
    assert!(orders.contains(&assumed) && !orders.contains(&named), "{orders}");
    let showroom_sales = section("recall-sales");
    assert!(showroom_sales.contains("MN1-000001") && showroom_sales.contains("MN1-000003"));
    assert!(!showroom_sales.contains("MN1-000002"), "the sale of B is not reached");
    assert!(page.contains("hoa@example.vn"), "the shopper to notify is listed");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM notifications WHERE subject LIKE 'Thu hồi sản phẩm%'").await - notes_before,
        1,
        "one email, to the one shopper whose order took A"
    );
    // Online, A's nine units are set aside at once; B and unbatched stock still sell.
    assert_eq!(
        scalar(&app, &format!("SELECT CAST(COALESCE(SUM(qty_delta), 0) AS BIGINT) FROM stock_movements WHERE batch_id = {a} AND location_id = {warehouse}")).await,
        0
    );
    let (_, product_page) = Shopper::new(&app)
        .get(&format!(
            "/products/{}",
            scalar_text(&app, &format!("SELECT slug FROM products WHERE id = {}", products[0])).await
        ))
        .await;
    assert!(
        product_page.contains("id=\"product-recall\"") && product_page.contains("L2611-A"),
        "the product page says so"
    );

    // Recalling C blocks the checkout of the cart that holds it, with the reason, and stores nothing.
    let r =
        member.post(&format!("/portal/batches/{c}/recall"), &[("csrf", &csrf), ("reason", "Bao bì bị phồng")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let orders_before = scalar(&app, "SELECT COUNT(*) FROM orders").await;
    let r = late.checkout("cod").await;
    assert_eq!(r.location, "/cart?notice=stock", "sent back to the cart");
    let (_, cart) = late.get("/cart").await;
    assert!(cart.contains("đang bị thu hồi"), "the shopper reads why");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM orders").await, orders_before, "no order");

    // The till learns it at its next pull: A is recalled there, with the reason.
    let after = catalog(&app, &token, Some(&cursor)).await;
    let item = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["sku"] == sku.as_str())
        .expect("the size is in the pull")
        .clone();
    let a_there = item["batches"].as_array().unwrap().iter().find(|x| x["code"] == "L2611-A").unwrap().clone();
    assert_eq!(a_there["recalled"], true);
    assert!(a_there["recall_reason"].as_str().unwrap().contains("Histamine"));

    // Closing waits for the shelves: the showroom still has two units of A.
    let r = office
        .post(&format!("/office/recalls/{recall}/close"), &[("csrf", &office_csrf), ("note", "Đã tiêu huỷ")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Còn 2 sản phẩm"), "{}", r.body);
    let r = office
        .post(&format!("/office/recalls/{recall}/withdraw"), &[("csrf", &office_csrf), ("location_id", &showroom_id)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = office
        .post(
            &format!("/office/recalls/{recall}/close"),
            &[("csrf", &office_csrf), ("note", "Đã tiêu huỷ 11 sản phẩm, hoàn tiền đơn hàng")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, page) = office.get(&format!("/office/recalls/{recall}")).await;
    for step in ["Mở thu hồi", "Đã gửi thông báo", "Đã rút hàng khỏi kệ", "Kết thúc thu hồi"] {
        assert!(page.contains(step), "the history shows {step}");
    }
    assert!(
        scalar(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'recall' AND entity_key = '{recall}'"))
            .await
            >= 3
    );
    let (_, trace) = Shopper::new(&app).get(&format!("/trace/{a}")).await;
    assert!(
        trace.contains("id=\"recall\"") && trace.contains("Histamine vượt ngưỡng"),
        "the trace page shows the recall"
    );
    assert_eq!(
        stranger.get(&format!("/portal/recalls/{recall}")).await.0,
        404,
        "another producer reads no recall of ours"
    );
}
