//! The producer portal's listings over HTTP: a producer creates and edits its products, variants and
//! stock, sees them in storefront search, and cannot touch another producer's, whatever ids it posts.

use crate::shopper::{Shopper, hidden, scalar, scalar_text, signed_in};
use crate::support::spawn;

const PRODUCER: &str = "chuthe@ocop.local";

fn new_product<'a>(csrf: &'a str, barcode: &'a str, name_vi: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("name_vi", name_vi),
        ("name_en", "Dried squid with chilli, Phan Thiết style"),
        ("group", "food"),
        ("category", "Mực khô"),
        ("description_vi", "Mực câu Phan Thiết, tẩm ớt, sấy khô."),
        ("description_en", "Line-caught squid from Phan Thiết, chilli-marinated, dried."),
        ("status", "active"),
        ("sku", "mrk-200"),
        ("barcode", barcode),
        ("size_vi", "Túi 200 g"),
        ("size_en", "200 g bag"),
        ("price", "185.000"),
    ]
}

fn product_id(location: &str) -> i64 {
    location.strip_prefix("/portal/products/").unwrap().split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_producer_lists_a_product_with_two_sizes_and_stock_and_shoppers_find_it() {
    let app = spawn().await;
    let (mut member, csrf) = signed_in(&app, PRODUCER).await;

    // Mistakes come back beside their fields, in both languages, with what was typed kept.
    let mut bad = new_product(&csrf, "8935049500017", "Mực rim ớt Phan Thiết");
    bad.retain(|(k, _)| *k != "name_en");
    let r = member.post("/portal/products/new", &bad).await;
    assert_eq!(r.status, 422);
    // The page speaks the visitor's language (Vietnamese by default).
    assert!(r.body.contains("Tên tiếng Anh cần 2–200 ký tự"), "name_en error");
    assert!(r.body.contains("sai số kiểm tra"), "barcode error");
    assert!(r.body.contains("value=\"Mực rim ớt Phan Thiết\""), "typed name kept, diacritics and all");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM products WHERE name_vi = 'Mực rim ớt Phan Thiết'").await, 0);

    let r = member.post("/portal/products/new", &new_product(&csrf, "8934588012228", "Mực rim ớt Phan Thiết")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = product_id(&r.location);
    let producer = scalar(&app, &format!("SELECT producer_id FROM users WHERE email = '{PRODUCER}'")).await;
    assert_eq!(scalar(&app, &format!("SELECT producer_id FROM products WHERE id = {id}")).await, producer);

    // A second size; the same SKU again is refused as taken.
    let second = [
        ("csrf", csrf.as_str()),
        ("sku", "MRK-500"),
        ("barcode", ""),
        ("size_vi", "Hộp 500 g"),
        ("size_en", "500 g box"),
        ("price", "420000"),
        ("active", "on"),
    ];
    assert_eq!(member.post(&format!("/portal/products/{id}/variants"), &second).await.status, 303);
    let r = member.post(&format!("/portal/products/{id}/variants"), &second).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mã SKU này đã được dùng"), "duplicate SKU");
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM variants WHERE product_id = {id}")).await, 2);

    // Stock at the online warehouse: received 12, then a count of 10, each in the ledger with its reason.
    let v500 = scalar(&app, "SELECT id FROM variants WHERE sku = 'MRK-500'").await;
    let online = scalar(&app, "SELECT id FROM locations WHERE code = 'ONLINE'").await;
    let (v, loc) = (v500.to_string(), online.to_string());
    let stock = |reason: &'static str, qty: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("variant_id", v.clone()),
            ("location_id", loc.clone()),
            ("reason", reason.into()),
            ("qty", qty.into()),
        ]
    };
    let post_stock = async |m: &mut Shopper<'_>, f: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        m.post(&format!("/portal/products/{id}/stock"), &f).await
    };
    assert_eq!(post_stock(&mut member, stock("received", "12")).await.status, 303);
    assert_eq!(post_stock(&mut member, stock("counted", "10")).await.status, 303);
    let r = post_stock(&mut member, stock("damaged", "11")).await;
    assert_eq!(r.status, 422, "cannot lose more than is there");
    assert!(r.body.contains("Chỉ có 10 sản phẩm"), "more than on hand");
    assert_eq!(
        scalar(&app, &format!("SELECT on_hand FROM stock_levels WHERE variant_id = {v500} AND location_id = {online}"))
            .await,
        10
    );
    assert_eq!(
        scalar(&app, &format!("SELECT CAST(SUM(qty_delta) AS BIGINT) FROM stock_movements WHERE variant_id = {v500}"))
            .await,
        10,
        "the ledger adds up to the level"
    );
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM stock_movements WHERE variant_id = {v500} AND reason = 'counted' AND qty_delta = -2")).await,
        1
    );

    // Shoppers find it in search at once, with or without diacritics, and see both sizes and the stock.
    for q in ["muc%20rim%20ot", "M%E1%BB%B1c%20rim"] {
        let items = app.all_items(&format!("q={q}")).await;
        assert!(items.iter().any(|i| i["id"] == id), "found by {q}");
    }
    let slug = hidden_slug(&app, id).await;
    let (status, page) = app.get(&format!("/products/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Túi 200 g") && page.contains("Hộp 500 g") && page.contains("420.000"), "both sizes shown");

    // Edits show up too; hiding takes it out of search.
    let mut edit: Vec<(&str, &str)> = new_product(&csrf, "", "Mực rim me Phan Thiết");
    edit.retain(|(k, _)| !matches!(*k, "sku" | "barcode" | "size_vi" | "size_en" | "price"));
    assert_eq!(member.post(&format!("/portal/products/{id}"), &edit).await.status, 303);
    assert!(app.all_items("q=muc%20rim%20me").await.iter().any(|i| i["id"] == id));
    edit.retain(|(k, _)| *k != "status");
    edit.push(("status", "hidden"));
    assert_eq!(member.post(&format!("/portal/products/{id}"), &edit).await.status, 303);
    assert!(!app.all_items("q=muc%20rim%20me").await.iter().any(|i| i["id"] == id), "hidden from search");
    assert!(
        scalar(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'product' AND entity_key = '{slug}'"))
            .await
            >= 3,
        "create and two edits audited"
    );
}

async fn hidden_slug(app: &crate::support::TestApp, id: i64) -> String {
    use sea_orm::EntityTrait;
    store::entity::product::Entity::find_by_id(id).one(&app.state.store.db).await.unwrap().unwrap().slug
}

#[tokio::test]
async fn a_producer_cannot_touch_another_producers_listings_whatever_ids_it_posts() {
    let app = spawn().await;
    let producer = scalar(&app, &format!("SELECT producer_id FROM users WHERE email = '{PRODUCER}'")).await;
    let own =
        scalar(&app, &format!("SELECT id FROM products WHERE producer_id = {producer} ORDER BY id LIMIT 1")).await;
    let other =
        scalar(&app, &format!("SELECT id FROM products WHERE producer_id <> {producer} ORDER BY id LIMIT 1")).await;
    let other_variant = scalar(&app, &format!("SELECT id FROM variants WHERE product_id = {other} LIMIT 1")).await;
    let other_producer = scalar(&app, &format!("SELECT producer_id FROM products WHERE id = {other}")).await;
    let online = scalar(&app, "SELECT id FROM locations WHERE code = 'ONLINE'").await;
    let price_before = scalar(&app, &format!("SELECT price_vnd FROM variants WHERE id = {other_variant}")).await;
    let (mut member, csrf) = signed_in(&app, PRODUCER).await;

    let product = new_product(&csrf, "", "Sản phẩm giả mạo");
    let mut product_only = product.clone();
    product_only.retain(|(k, _)| !matches!(*k, "sku" | "barcode" | "size_vi" | "size_en" | "price"));
    let variant = [("csrf", csrf.as_str()), ("sku", "HACK-1"), ("size_vi", "Chai"), ("price", "1"), ("active", "on")];
    let (ov, ol) = (other_variant.to_string(), online.to_string());
    let stock = [
        ("csrf", csrf.as_str()),
        ("variant_id", ov.as_str()),
        ("location_id", ol.as_str()),
        ("reason", "damaged"),
        ("qty", "1"),
    ];
    let op = other_producer.to_string();
    let mut for_other = product.clone();
    for_other.push(("producer_id", op.as_str()));

    for (path, form, want) in [
        (format!("/portal/products/{other}"), product_only.clone(), 403),
        (format!("/portal/products/{other}/variants"), variant.to_vec(), 403),
        (format!("/portal/products/{other}/variants/{other_variant}"), variant.to_vec(), 403),
        // Another producer's variant through the member's own product: not found there.
        (format!("/portal/products/{own}/variants/{other_variant}"), variant.to_vec(), 404),
        (format!("/portal/products/{own}/stock"), stock.to_vec(), 403),
        (format!("/portal/products/{other}/stock"), stock.to_vec(), 403),
        ("/portal/products/new".into(), for_other, 403),
    ] {
        let r = member.post(&path, &form).await;
        assert_eq!(r.status, want, "{path}");
    }
    assert_eq!(scalar(&app, &format!("SELECT price_vnd FROM variants WHERE id = {other_variant}")).await, price_before);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM variants WHERE sku = 'HACK-1'").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM products WHERE name_vi = 'Sản phẩm giả mạo'").await, 0);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM stock_movements WHERE variant_id = {other_variant} AND reason = 'damaged'")
        )
        .await,
        0
    );

    // The editor page of another producer's product reads as not found.
    assert_eq!(member.get(&format!("/portal/products/{other}")).await.0, 404);
    let (status, page) = member.get(&format!("/portal/products/{own}")).await;
    assert_eq!(status, 200);
    assert!(!hidden(&page, "csrf").is_empty());
}

/// A second producer member, for the other side of ownership checks.
pub async fn other_member(app: &crate::support::TestApp, producer_id: i64, email: &str) {
    store::accounts::create(
        &app.state.store.db,
        store::accounts::NewAccount {
            name: "Thành viên khác",
            login: email,
            password: store::accounts::DEMO_PASSWORD,
            role: domain::account::Role::Producer,
            producer_id: Some(producer_id),
            showroom_id: None,
        },
    )
    .await
    .unwrap()
    .unwrap();
}

#[tokio::test]
async fn a_producer_packs_and_ships_its_order_lines_with_a_tracking_number() {
    let app = spawn().await;
    let producer = scalar(&app, &format!("SELECT producer_id FROM users WHERE email = '{PRODUCER}'")).await;
    let variant = scalar(
        &app,
        &format!(
            "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.producer_id = {producer} AND p.status = 'active' AND v.active ORDER BY v.id LIMIT 1"
        ),
    )
    .await;
    crate::shopper::set_stock(&app, variant, 5).await;
    let mut buyer = Shopper::new(&app);
    assert_eq!(buyer.add_variant(variant, 2).await.status, 303);
    let placed = buyer.checkout("cod").await;
    let number = crate::shopper::order_number_of(&placed.location);

    let (mut member, csrf) = signed_in(&app, PRODUCER).await;
    let (_, home) = member.get("/portal").await;
    let tile = home.split("id=\"orders-to-pack\"").nth(1).and_then(|t| t.split("</a>").next()).unwrap_or_default();
    assert!(tile.contains("kpi-value\">1<"), "one order to pack on the home: {tile}");
    let (_, orders) = member.get("/portal/orders").await;
    assert!(orders.contains(&number) && orders.contains("Phường Sài Gòn"), "the order and where it goes");

    // Another producer's member cannot see or move it.
    let other = scalar(&app, &format!("SELECT id FROM producers WHERE id <> {producer} ORDER BY id LIMIT 1")).await;
    other_member(&app, other, "khac@ocop.local").await;
    let (mut stranger, scsrf) = signed_in(&app, "khac@ocop.local").await;
    assert!(!stranger.get("/portal/orders").await.1.contains(&number));
    let r = stranger.post(&format!("/portal/orders/{number}/pack"), &[("csrf", &scsrf)]).await;
    assert_eq!(r.status, 404);

    // Shipping needs a tracking number.
    let r = member.post(&format!("/portal/orders/{number}/ship"), &[("csrf", &csrf), ("tracking", "x")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mã vận đơn cần"), "tracking error");
    assert_eq!(member.post(&format!("/portal/orders/{number}/pack"), &[("csrf", &csrf)]).await.status, 303);
    let order = store::orders::find_by_number(&app.state.store.db, &number).await.unwrap().unwrap();
    assert_eq!(order.status, "packed", "the only producer packed: the order is packed");
    let r =
        member.post(&format!("/portal/orders/{number}/ship"), &[("csrf", &csrf), ("tracking", "ghn-8812 3456")]).await;
    assert_eq!(r.status, 422, "spaces are not in tracking numbers");
    let shipped = [("csrf", csrf.as_str()), ("tracking", "ghn-88123456"), ("carrier", "ghn")];
    let r = member.post(&format!("/portal/orders/{number}/ship"), &shipped).await;
    assert_eq!(r.status, 303);
    let order = store::orders::find_by_number(&app.state.store.db, &number).await.unwrap().unwrap();
    assert_eq!((order.status.as_str(), order.stock_state.as_str()), ("shipped", "consumed"));
    assert_eq!(crate::shopper::stock(&app, variant).await, (3, 0), "shipping took the two units");
    let (_, orders) = member.get("/portal/orders").await;
    assert!(orders.contains("GHN-88123456"), "tracking shown");
    assert!(
        member
            .get("/portal")
            .await
            .1
            .split("id=\"orders-to-pack\"")
            .nth(1)
            .unwrap()
            .split("</a>")
            .next()
            .unwrap()
            .contains("kpi-value\">0<")
    );
    // The shopper's order page tells where it is, in the shopper's words: the tracking number as
    // text linked to the courier's own page, and never the producer member who shipped it.
    let (_, page) = buyer.get(&placed.location).await;
    assert!(page.contains("GHN-88123456"), "tracking on the order page");
    assert!(page.contains("href=\"https://donhang.ghn.vn/?order_code=GHN-88123456\""), "the courier's tracking link");
    assert!(page.contains("Đã giao cho đơn vị vận chuyển") && page.contains("Giao Hàng Nhanh"));
    let member_name = scalar_text(&app, "SELECT name FROM users WHERE email = 'chuthe@ocop.local'").await;
    assert!(!page.contains(&member_name), "the member's account name ({member_name}) is not shown to shoppers");
    assert!(!page.contains("khách hàng / shopper") && !page.contains(">/orders<"), "no raw labels");

    // Shipping straight away, without marking packed first, moves the order through packed to shipped.
    let mut second = Shopper::new(&app);
    second.add_variant(variant, 1).await;
    let number = crate::shopper::order_number_of(&second.checkout("cod").await.location);
    let r =
        member.post(&format!("/portal/orders/{number}/ship"), &[("csrf", &csrf), ("tracking", "VTP-5550001")]).await;
    assert_eq!(r.status, 303);
    let order = store::orders::find_by_number(&app.state.store.db, &number).await.unwrap().unwrap();
    assert_eq!((order.status.as_str(), order.stock_state.as_str()), ("shipped", "consumed"));
    assert_eq!(crate::shopper::stock(&app, variant).await, (2, 0));
}

pub(crate) async fn post_file(
    member: &Shopper<'_>,
    path: &str,
    csrf: &str,
    field: &str,
    file: &[u8],
) -> (u16, String, String) {
    let boundary = "----ocopcsv9f8e7d";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"{field}\"; filename=\"san-pham.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = member
        .app
        .http
        .post(format!("{}{path}", member.app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("sec-fetch-site", "same-origin")
        .header("cookie", member.cookie.clone().unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, location, res.text().await.unwrap())
}

#[tokio::test]
async fn a_product_csv_round_trips_and_a_file_with_bad_rows_writes_nothing() {
    let app = spawn().await;
    let producer = scalar(&app, &format!("SELECT producer_id FROM users WHERE email = '{PRODUCER}'")).await;
    let other_slug: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        store::entity::product::Entity::find()
            .filter(store::entity::product::Column::ProducerId.ne(producer))
            .one(&app.state.store.db)
            .await
            .unwrap()
            .unwrap()
            .slug
    };
    let (member, csrf) = signed_in(&app, PRODUCER).await;

    let res = app
        .http
        .get(format!("{}/portal/products.csv", app.base))
        .header("cookie", member.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let exported = res.text().await.unwrap();
    let variants = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM variants v JOIN products p ON p.id = v.product_id WHERE p.producer_id = {producer}"
        ),
    )
    .await;
    assert_eq!(exported.lines().count() as i64, variants + 1, "a header and one row per size");
    assert!(exported.starts_with('\u{feff}'), "marked UTF-8 for spreadsheets");
    // Signed out, there is nothing to export.
    assert_eq!(app.http.get(format!("{}/portal/products.csv", app.base)).send().await.unwrap().status().as_u16(), 403);

    // Change the first exported row's price, add a product with two sizes, and slip in two bad rows.
    let mut reader = csv::Reader::from_reader(exported.trim_start_matches('\u{feff}').as_bytes());
    let mut first: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(String::from).collect();
    let first_sku = first[8].clone();
    first[12] = "99000".into();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(domain::listing_edit::CSV_COLUMNS.iter().chain(domain::listing_edit::CSV_OPTIONAL.iter())).unwrap();
    w.write_record(&first).unwrap();
    let mut lines: Vec<String> =
        String::from_utf8(w.into_inner().unwrap()).unwrap().lines().map(String::from).collect();
    lines.push("keo-me-phan-thiet,Kẹo mè Phan Thiết,Phan Thiết sesame candy,food,Bánh kẹo,,,active,KMPT-200,,Gói 200 g,200 g pack,45.000,1".into());
    lines.push("keo-me-phan-thiet,Kẹo mè Phan Thiết,Phan Thiết sesame candy,food,Bánh kẹo,,,active,KMPT-500,,Hộp 500 g,500 g box,98000,1".into());
    let good = lines.join("\n");
    let bad = format!(
        "{good}\nkeo-me-phan-thiet,Kẹo mè Phan Thiết,Phan Thiết sesame candy,food,Bánh kẹo,,,active,KMPT-1K,8935049500017,Hộp 1 kg,1 kg box,180000,1\n\
         {other_slug},Chiếm sản phẩm,Taken over,food,Nước mắm,,,active,STOLEN-1,,Chai,Bottle,1000,1\n"
    );
    let products_before = scalar(&app, "SELECT COUNT(*) FROM products").await;
    let (status, _, body) = post_file(&member, "/portal/import", &csrf, "file", bad.as_bytes()).await;
    assert_eq!(status, 422);
    // Each problem beside the row it is about, as the file wrote it.
    let row = |n: usize| {
        body.split(&format!("id=\"import-line-{n}\""))
            .nth(1)
            .unwrap_or_default()
            .split("</tr>")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(row(5).contains("KMPT-1K") && row(5).contains("sai số kiểm tra"), "the bad barcode's line: {}", row(5));
    assert!(row(6).contains("STOLEN-1") && row(6).contains("sản phẩm của chủ thể khác"), "another producer's slug");
    assert!(body.contains("Không có gì được ghi"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM products").await, products_before, "nothing half-imported");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM variants WHERE sku LIKE 'KMPT-%'").await, 0);

    let (status, location, _) = post_file(&member, "/portal/import", &csrf, "file", good.as_bytes()).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/portal/imports/"), "{location}");
    let mut page = String::new();
    for _ in 0..100 {
        page = member.get(&location).await.1;
        if !page.contains("data-status=\"running\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("data-status=\"done\"") && page.contains("3 / 3"), "progress page ends done: {page}");
    assert_eq!(scalar(&app, &format!("SELECT price_vnd FROM variants WHERE sku = '{first_sku}'")).await, 99_000);
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = 'keo-me-phan-thiet' AND p.producer_id = {producer}")).await,
        2
    );
    assert!(app.all_items("q=keo%20me%20phan%20thiet").await.iter().any(|i| i["slug"] == "keo-me-phan-thiet"));
    // The same file again changes nothing new.
    let (status, location, _) = post_file(&member, "/portal/import", &csrf, "file", good.as_bytes()).await;
    assert_eq!(status, 303);
    for _ in 0..100 {
        if !member.get(&location).await.1.contains("data-status=\"running\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM variants WHERE sku LIKE 'KMPT-%'").await, 2);
    // Another member cannot read this import's page.
    let other = scalar(&app, &format!("SELECT id FROM producers WHERE id <> {producer} ORDER BY id LIMIT 1")).await;
    other_member(&app, other, "khac2@ocop.local").await;
    let (stranger, _) = signed_in(&app, "khac2@ocop.local").await;
    assert_eq!(stranger.get(&location).await.0, 404);
}

fn combo_form<'a>(csrf: &'a str, name: &'a str, a: &'a str, b: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("name_vi", name),
        ("name_en", "Phan Thiết gift box"),
        ("story_vi", "Hương vị biển Phan Thiết gói trong một hộp quà."),
        ("story_en", "The taste of Phan Thiết's sea in one gift box."),
        ("price", "300000"),
        ("active", "on"),
        ("sku_1", a),
        ("qty_1", "2"),
        ("sku_2", b),
        ("qty_2", "1"),
    ]
}

#[tokio::test]
async fn producers_make_combos_from_their_own_products_and_the_office_curates_across_producers() {
    let app = spawn().await;
    let producer = scalar(&app, &format!("SELECT producer_id FROM users WHERE email = '{PRODUCER}'")).await;
    let skus = |sql: String| {
        let app = &app;
        async move {
            use sea_orm::{ConnectionTrait, Statement};
            let db = &app.state.store.db;
            db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get_by_index::<String>(0).unwrap())
                .collect::<Vec<_>>()
        }
    };
    let own = skus(format!("SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id WHERE p.producer_id = {producer} ORDER BY v.id")).await;
    let theirs = skus(format!("SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id WHERE p.producer_id <> {producer} ORDER BY v.id LIMIT 1")).await;
    assert!(own.len() >= 2, "the demo producer has two sizes to combine");
    for (sku, units) in [(&own[0], 9), (&own[1], 2)] {
        let v = scalar(&app, &format!("SELECT id FROM variants WHERE sku = '{sku}'")).await;
        crate::shopper::set_stock(&app, v, units).await;
    }
    let (mut member, csrf) = signed_in(&app, PRODUCER).await;

    let r = member.post("/portal/combos", &combo_form(&csrf, "Hộp quà lạ", &own[0], &theirs[0])).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("không phải sản phẩm của chủ thể này"), "another producer's product refused");
    let r = member.post("/portal/combos", &combo_form(&csrf, "Hộp quà biển Phan Thiết", &own[0], &own[1])).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r.location.trim_start_matches("/portal/combos/").split('?').next().unwrap().parse().unwrap();
    let (_, page) = member.get(&format!("/portal/combos/{id}")).await;
    // 9 of the first at 2 a combo would make 4, but 2 of the second at 1 make only 2: the scarcer decides.
    assert!(page.contains("id=\"combo-available\">2<"), "availability from components");
    let (status, shop) = app.get("/combos/hop-qua-bien-phan-thiet").await;
    assert_eq!(status, 200);
    assert!(shop.contains("Hộp quà biển Phan Thiết") && shop.contains("300.000"));

    // The office curates a combo across producers; the member can neither edit it nor see it as its own.
    let (mut office, ocsrf) = signed_in(&app, "vanphong@ocop.local").await;
    let r = office.post("/portal/combos", &combo_form(&ocsrf, "Quà tặng Bình Thuận", &own[0], &theirs[0])).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let curated: i64 = r.location.trim_start_matches("/portal/combos/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM combos WHERE id = {curated} AND producer_id IS NULL")).await,
        1
    );
    let r =
        member.post(&format!("/portal/combos/{curated}"), &combo_form(&csrf, "Chiếm combo", &own[0], &own[1])).await;
    assert_eq!(r.status, 403);
    assert_eq!(member.get(&format!("/portal/combos/{curated}")).await.0, 404);
    // The office may change the producer's combo, but not into a mix: it stays the producer's.
    let r = office
        .post(&format!("/portal/combos/{id}"), &combo_form(&ocsrf, "Hộp quà biển Phan Thiết", &own[0], &theirs[0]))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'combo'").await, 2);
}

/// On the portal's home a size's online shelf is counted in place: the count is recorded as a
/// stock-take at the online warehouse, the answer returns to the home at that size, and what can be
/// sold follows; a count that is not a number comes back beside its field, nothing recorded.
#[tokio::test]
async fn a_count_typed_on_the_portal_home_is_a_stock_take_at_the_online_warehouse() {
    let app = spawn().await;
    let (mut member, csrf) = signed_in(&app, PRODUCER).await;
    let (_, home) = member.get("/portal").await;
    let at = home.find("id=\"count-").expect("a count form on the home");
    let tag = &home[home[..at].rfind("<form").unwrap()..];
    let form = tag.split("</form>").next().unwrap();
    let variant = home[at + "id=\"count-".len()..].split('"').next().unwrap().to_string();
    let action = form.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let location = hidden(form, "location_id");
    let post = |qty: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("back", "portal".to_string()),
            ("variant_id", variant.clone()),
            ("location_id", location.clone()),
            ("reason", "counted".to_string()),
            ("qty", qty.to_string()),
        ]
    };
    let pairs = post("27");
    let r = member.post(&action, &pairs.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(
        (r.status, r.location.clone()),
        (303, format!("/portal?notice=stock#size-{variant}")),
        "{}",
        r.body.split("field-error").nth(1).unwrap_or_default().chars().take(300).collect::<String>()
    );
    let on_hand = scalar(
        &app,
        &format!("SELECT on_hand FROM stock_levels WHERE variant_id = {variant} AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')"),
    )
    .await;
    assert_eq!(on_hand, 27);
    let (_, home) = member.get("/portal").await;
    let row = home.split(&format!("id=\"size-{variant}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(">27<"), "what can be sold follows the count: {row}");
    let pairs = post("mười");
    let bad = member.post(&action, &pairs.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"qty-error\""), "the message beside the count");
    assert_eq!(scalar(&app, &format!("SELECT on_hand FROM stock_levels WHERE variant_id = {variant} AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')")).await, 27);
}
