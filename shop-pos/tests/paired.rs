//! A till paired with a real marketplace router (SQLite, or PostgreSQL when TEST_DATABASE_URL is
//! set): pairing through the till's setup page, a split VietQR sale taken while the marketplace is
//! down, and every sale, refund and stock event arriving once with its stock movements.

mod support;

use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement};
use server::AppState;
use server::config::Config;
use support::{Pos, start_pos, temp_dir, text_of};

struct Market {
    state: AppState,
    addr: std::net::SocketAddr,
    serving: tokio::task::JoinHandle<()>,
}

async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        None => format!("sqlite://{}?mode=rwc", dir.join("ocop.db").display()),
        Some(admin_url) => {
            let name = format!("ocop_pos{}_{}", std::process::id(), rand_suffix());
            let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
            // Databases of earlier runs (other process ids) go first.
            let ours = format!("ocop_pos{}_", std::process::id());
            let old = admin
                .query_all_raw(Statement::from_string(
                    admin.get_database_backend(),
                    "SELECT datname FROM pg_database WHERE datname LIKE 'ocop_pos%'".to_string(),
                ))
                .await
                .unwrap_or_default();
            for row in old {
                let Ok(n) = row.try_get::<String>("", "datname") else { continue };
                if !n.starts_with(&ours) {
                    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)")).await;
                }
            }
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            let (prefix, _) = admin_url.rsplit_once('/').unwrap();
            format!("{prefix}/{name}")
        }
    }
}

fn rand_suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

async fn market(dir: &std::path::Path) -> Market {
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        metrics_addr: None,
        public_url: "http://127.0.0.1".into(),
        office_name: server::config::OfficeName::default(),
        store: store::StoreConfig {
            database_url: database_url(dir).await,
            search_dir: dir.join("search"),
            meili_url: None,
            meili_key: None,
            meili_index: "products".into(),
            today_override: None,
            seed: true,
            commerce: store::Commerce {
                vietqr: Some(store::VietQrAccount {
                    bank_bin: "970436".into(),
                    bank_name: "Vietcombank".into(),
                    account: "0071000123456".into(),
                    account_name: "HTX OCOP BINH THUAN".into(),
                }),
                ..Default::default()
            },
        },
        search_sync: Duration::from_secs(3600),
        bench_baseline: None,
        page_cache: false,
        data_dir: dir.to_path_buf(),
        media_s3: None,
        secret_key: None,
        stripe: None,
        vnpay: None,
        momo: None,
        gateway_query_after: Duration::from_secs(300),
        office_token: None,
        smtp_url: None,
        mail_from: "OCOP Market <no-reply@localhost>".into(),
        jobs_every: Duration::from_secs(3600),
        trusted_proxies: 0,
    };
    let state = AppState::open(&config).await.expect("marketplace opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = serve(state.clone(), listener);
    Market { state, addr, serving }
}

fn serve(state: AppState, listener: tokio::net::TcpListener) -> tokio::task::JoinHandle<()> {
    let router = server::build(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    })
}

impl Market {
    async fn scalar(&self, sql: &str) -> i64 {
        let db = &self.state.store.db;
        let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap();
        row.unwrap().try_get_by_index::<i64>(0).unwrap()
    }

    /// The office's showroom and device; the one-time code.
    async fn pairing_code(&self, showroom: &str) -> String {
        support::office_pairing_codes(&self.state.store, showroom, "Điểm bán Mũi Né", 1).await.remove(0)
    }

    fn stop(&self) {
        self.serving.abort();
    }

    async fn restart(&mut self) {
        // The same port, as a restarted server would have.
        let mut tries = 0;
        let listener = loop {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(_) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("rebind {}: {e}", self.addr),
            }
        };
        self.serving = serve(self.state.clone(), listener);
    }
}

async fn wait_for(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("waited 15 s for: {what}");
}

async fn pair(pos: &Pos, m: &Market) {
    let code = m.pairing_code("SR-MUINE").await;
    let base = format!("http://{}", m.addr);
    let wrong = pos
        .post(
            "/setup",
            &[
                ("mode", "pair"),
                ("manager_name", "Hoà"),
                ("manager_pin", "2468"),
                ("server_url", &base),
                ("code", "AAAAA-AAAAA"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Mã ghép sai"), "the marketplace's reason is shown: {}", wrong.body);
    assert!(wrong.body.contains("value=\"AAAAA-AAAAA\""), "what was typed stays on the form");
    assert!(wrong.body.contains("value=\"Hoà\""), "the manager's name stays too");
    // Nothing listens on port 1: the address is named as the part at fault.
    let unreachable = pos
        .post(
            "/setup",
            &[
                ("mode", "pair"),
                ("manager_name", "Hoà"),
                ("manager_pin", "2468"),
                ("server_url", "127.0.0.1:1"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(unreachable.status, 422);
    assert!(unreachable.body.contains("Không kết nối được tới http://127.0.0.1:1"), "{}", unreachable.body);
    // The address as staff type it: host and port, no scheme.
    setup_paired(pos, &m.addr.to_string(), &code).await;
}

/// Pairs the till with `code` at the marketplace `base`; the manager signed in with a shift open.
async fn setup_paired(pos: &Pos, base: &str, code: &str) {
    let r = pos
        .post(
            "/setup",
            &[("mode", "pair"), ("manager_name", "Hoà"), ("manager_pin", "2468"), ("server_url", base), ("code", code)],
        )
        .await;
    assert_eq!((r.status, r.location.as_str()), (303, "/signin"), "{}", r.body);
    pos.sign_in("Hoà", "2468").await;
    pos.post("/shift/open", &[("float", "500000")]).await;
}

#[tokio::test]
async fn sales_taken_offline_reach_the_marketplace_once_with_their_stock() {
    let server_dir = temp_dir("market");
    let pos_dir = temp_dir("pos");
    let mut m = market(&server_dir.0).await;
    let pos = start_pos(&pos_dir.0, None).await;
    pair(&pos, &m).await;
    // The till has the marketplace's catalogue and the showroom's name.
    let sell = pos.get("/sell").await.body;
    assert!(sell.contains("Điểm bán Mũi Né"), "showroom in the status bar");
    let rong_nho = domain::seed_catalogue::barcode(0);
    let loc = m.scalar("SELECT id FROM locations WHERE code = 'SR-MUINE'").await;
    let variant = m.scalar("SELECT id FROM variants WHERE sku = 'BT0001-01'").await;

    // Stock arrives at the showroom: received 20 at the till.
    pos.post("/stock", &[("sku", "BT0001-01"), ("kind", "received"), ("qty", "20")]).await;
    // An online sale.
    pos.scan(&rong_nho).await;
    let first = pos.pay_cash("100.000").await;
    assert_eq!(first, format!("SR-MUINE-{}-000001", m.scalar("SELECT id FROM pos_devices").await));
    wait_for("the first sale on the marketplace", async || m.scalar("SELECT COUNT(*) FROM pos_sales").await == 1).await;
    assert_eq!(pos.status().await["online"], true);

    // A producer adds a photo of what just sold (the till's best seller, first on its grid): the till
    // fetches it for its grid and keeps it (shown offline too, below).
    let product = m.scalar("SELECT product_id FROM variants WHERE sku = 'BT0001-01'").await;
    let photo = format!("{}.webp", "ab".repeat(32));
    let bytes = b"RIFF\x1a\x00\x00\x00WEBPVP8L a photo of rong nho".to_vec();
    m.state.media.put(&photo, bytes.clone()).await.unwrap();
    store::photos::add(&m.state.store, product, std::slice::from_ref(&photo), 320, 320, 1).await.unwrap();
    let mut kept = None;
    for _ in 0..150 {
        let sell = pos.get("/sell").await.body;
        if let Some(src) = sell.split("src=\"/photos/").nth(1) {
            kept = Some(src.split('"').next().unwrap().to_string());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kept = kept.expect("the grid shows the product's photo from the till's own copy");
    assert_eq!(pos.bytes(&format!("/photos/{kept}")).await, bytes, "the marketplace's photo, byte for byte");

    // The marketplace goes down. The till keeps selling: a split sale with an unconfirmed transfer.
    m.stop();
    assert_eq!(pos.bytes(&format!("/photos/{kept}")).await, bytes, "the grid's photo is on the till, offline too");
    pos.scan(&rong_nho).await;
    pos.scan(&rong_nho).await;
    pos.scan("qua-bien-phan-thiet").await; // 2 × 95.000 + 620.000 = 810.000
    let qr = pos.post("/sell/pay", &[("method", "split"), ("transfer", "300.000"), ("tendered", "600.000")]).await;
    assert_eq!(qr.status, 200, "{}", qr.body);
    assert!(qr.body.contains("<svg"), "a QR code to scan");
    assert!(qr.body.contains("0071000123456") && qr.body.contains("300.000 ₫"));
    let r = pos
        .post("/sell/pay", &[("method", "confirm"), ("transfer", "300000"), ("tendered", "600000"), ("confirmed", "0")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let second = support::receipt_of(&r.location);
    let receipt = pos.get(&format!("/receipts/{second}")).await.body;
    assert!(receipt.contains("VietQR (chưa xác nhận / unconfirmed)"), "{receipt}");
    assert!(receipt.contains("90.000 ₫"), "change for 600.000 against a 510.000 cash part");
    // A refund of the first sale, also offline.
    let line = pos.refund_lines(&first).await.remove(0);
    pos.refund(&first, &[(&line, "1")], ("Hoà", "2468")).await;
    wait_for("the till to notice", async || pos.status().await["online"] == false).await;
    let bar = pos.get("/sell").await.body;
    assert_eq!(text_of(&bar, "sync-state"), "Ngoại tuyến / Offline");
    assert_eq!(text_of(&bar, "unsynced"), "Chưa đồng bộ / Unsynced: 2");
    // Signing out keeps them and says so.
    let out = pos.post("/signout", &[]).await.body;
    assert!(out.contains("2 giao dịch chưa đồng bộ vẫn được giữ"), "{out}");
    pos.sign_in("Hoà", "2468").await;

    // Back up: both arrive, once, even after more rounds.
    m.restart().await;
    wait_for("everything synced", async || pos.status().await["unsynced"] == 0).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(m.scalar("SELECT COUNT(*) FROM pos_sales").await, 3, "sale, offline sale, refund: once each");
    assert_eq!(m.scalar(&format!("SELECT COUNT(*) FROM pos_sales WHERE receipt_no = '{second}'")).await, 1);
    assert_eq!(
        m.scalar("SELECT COUNT(*) FROM pos_payments WHERE method = 'vietqr' AND amount = 300000 AND confirmed = false")
            .await,
        1,
        "the transfer arrives unconfirmed, for the office to reconcile"
    );
    // Showroom stock on the marketplace: +20 received, −1, −2 and −1 in the combo... the combo's
    // components are other SKUs, so for BT0001-01: 20 − 1 − 2 + 1 (refund) = 18.
    let level = m
        .scalar(&format!("SELECT on_hand FROM stock_levels WHERE location_id = {loc} AND variant_id = {variant}"))
        .await;
    assert_eq!(level, 18);
    let ledger =
        m.scalar(&format!("SELECT CAST(COALESCE(SUM(qty_delta), 0) AS BIGINT) FROM stock_movements WHERE location_id = {loc} AND variant_id = {variant}")).await;
    assert_eq!(ledger, level, "the ledger adds up to the level");
    assert_eq!(m.scalar("SELECT COUNT(*) FROM pos_stock_events").await, 1);

    // A price change on the marketplace reaches the till on the next pull.
    m.state
        .store
        .db
        .execute_unprepared(&format!("UPDATE variants SET price_vnd = 99000 WHERE id = {variant}"))
        .await
        .unwrap();
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    let db = &m.state.store.db;
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            "UPDATE products SET updated_at = $1 WHERE id = (SELECT product_id FROM variants WHERE sku = 'BT0001-01')"
        } else {
            "UPDATE products SET updated_at = ? WHERE id = (SELECT product_id FROM variants WHERE sku = 'BT0001-01')"
        },
        [now.into()],
    ))
    .await
    .unwrap();
    wait_for("the new price at the till", async || pos.get("/sell?q=rong+nho+tuoi").await.body.contains("99.000 ₫"))
        .await;
    m.stop();
}

/// Names come to the till from the marketplace (the catalogue pull) and from the office (the
/// showroom): typed by other people, shown on every till screen and receipt as text.
#[tokio::test]
async fn hostile_names_from_the_marketplace_show_as_text_at_the_till() {
    let server_dir = temp_dir("market-hx");
    let pos_dir = temp_dir("pos-hx");
    let m = market(&server_dir.0).await;
    let hostile = security::probe::PAYLOADS;
    let db = &m.state.store.db;
    for (sku, name) in [("BT0001-01", hostile[0]), ("BT0002-01", hostile[2]), ("BT0003-01", hostile[20])] {
        db.execute_raw(store::sql::stmt(
            db.get_database_backend(),
            "UPDATE products SET name_vi = ?, name_en = ?, updated_at = ? WHERE id = (SELECT product_id FROM variants WHERE sku = ?)",
            vec![name.into(), name.into(), chrono::Utc::now().into(), sku.into()],
        ))
        .await
        .unwrap();
        db.execute_raw(store::sql::stmt(
            db.get_database_backend(),
            "UPDATE variants SET size_vi = ? WHERE sku = ?",
            vec![hostile[21].into(), sku.into()],
        ))
        .await
        .unwrap();
    }
    let code = support::office_pairing_codes(&m.state.store, "SR-HX", hostile[3], 1).await.remove(0);
    let pos = start_pos(&pos_dir.0, None).await;
    setup_paired(&pos, &format!("http://{}", m.addr), &code).await;
    let mut problems = Vec::new();
    let found = pos.scan("xss").await;
    problems.extend(security::probe::intruders("search", &found.body, "127.0.0.1"));
    assert!(found.body.contains("xss(0)"), "the hostile names are found and listed: {}", found.body);
    for i in 0..3 {
        pos.scan(&domain::seed_catalogue::barcode(i)).await;
    }
    let sell = pos.get("/sell").await;
    problems.extend(security::probe::intruders("/sell", &sell.body, "127.0.0.1"));
    let receipt = pos.pay_cash("2.000.000").await;
    for path in
        [format!("/receipts/{receipt}"), "/refund".into(), format!("/refund?receipt={receipt}"), "/stock".into()]
    {
        let r = pos.get(&path).await;
        problems.extend(security::probe::intruders(&path, &r.body, "127.0.0.1"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The office's account on the marketplace, as the store acts for it.
async fn office_actor(m: &Market) -> domain::account::Account {
    domain::account::Account {
        id: m.scalar("SELECT id FROM users WHERE email = 'vanphong@ocop.local'").await,
        name: "Văn phòng".into(),
        email: None,
        phone: None,
        role: domain::account::Role::Admin,
        producer_id: None,
        showroom_id: None,
    }
}

/// A batch of BT0001-01 received at the showroom.
async fn batch_at(m: &Market, office: &domain::account::Account, code: &str, expires: &str, qty: i64) -> i64 {
    let variant = m.scalar("SELECT id FROM variants WHERE sku = 'BT0001-01'").await;
    let loc = m.scalar("SELECT id FROM locations WHERE code = 'SR-MUINE'").await;
    let form = store::trace::batches::BatchForm {
        variant_id: variant.to_string(),
        code: code.into(),
        produced_on: "2026-11-01".into(),
        expires_on: expires.into(),
        quantity: qty.to_string(),
        location_id: loc.to_string(),
        inputs: vec![store::trace::batches::InputForm {
            material: "Rong nho tươi".into(),
            origin: "Vùng nuôi Phước Thể".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    store::trace::batches::record(&m.state.store, office, &form).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_recall_reaches_the_till_at_its_next_pull_and_the_till_refuses_the_batch() {
    let server_dir = temp_dir("market");
    let pos_dir = temp_dir("pos");
    let mut m = market(&server_dir.0).await;
    let pos = start_pos(&pos_dir.0, None).await;
    let office = office_actor(&m).await;
    setup_paired(&pos, &m.addr.to_string(), &m.pairing_code("SR-MUINE").await).await;
    let a = batch_at(&m, &office, "RN-A", "2027-01-31", 6).await;
    let b = batch_at(&m, &office, "RN-B", "2027-03-31", 6).await;
    let barcode = domain::seed_catalogue::barcode(0);
    let link_of = |code: &str| format!("https://cho-ocop.example/01/0{barcode}/10/{code}");
    let db = pos.state.db.clone();
    let till_knows = |sql: &'static str| {
        let db = db.clone();
        async move {
            db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
                .await
                .unwrap()
                .map(|r| r.try_get_by_index::<i64>(0).unwrap())
                .unwrap_or(0)
        }
    };
    wait_for("the batches at the till", async || till_knows("SELECT COUNT(*) FROM batches").await == 2).await;

    // A plain barcode: the till assumes the batch that expires first; a label's Digital Link names B.
    pos.scan(&barcode).await;
    let assumed = pos.pay_cash("100.000").await;
    let r = pos.scan(&link_of("RN-B")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let named = pos.pay_cash("100.000").await;
    wait_for("both sales on the marketplace", async || m.scalar("SELECT COUNT(*) FROM pos_sales").await == 2).await;
    let took = |receipt: &str, batch: i64, assumed: bool| {
        format!(
            "SELECT COUNT(*) FROM batch_takes t JOIN pos_sales s ON s.id = t.reference \
             WHERE s.receipt_no = '{receipt}' AND t.batch_id = {batch} AND t.qty = 1 AND t.assumed = {assumed}"
        )
    };
    assert_eq!(m.scalar(&took(&assumed, a, true)).await, 1, "assumed first-expiring-first-out: A");
    assert_eq!(m.scalar(&took(&named, b, false)).await, 1, "named by the label: B");

    // The marketplace goes away; the office recalls A meanwhile. The till has not pulled: it still
    // sells A (the sale has happened; the recall will find it).
    m.stop();
    wait_for("the till to notice", async || pos.status().await["online"] == false).await;
    store::trace::recalls::open(&m.state.store, &office, a, "Nhiễm khuẩn ở mẫu lưu", "http://127.0.0.1")
        .await
        .unwrap()
        .unwrap();
    let r = pos.scan(&link_of("RN-A")).await;
    assert_eq!(r.status, 303, "not known at the till yet");
    let offline = pos.pay_cash("100.000").await;

    // At its next pull the till learns it: A is refused with the reason, by label or at payment; a
    // plain barcode now takes B.
    m.restart().await;
    wait_for("the recall at the till", async || {
        till_knows("SELECT COUNT(*) FROM batches WHERE recalled = 1").await == 1
    })
    .await;
    let r = pos.scan(&link_of("RN-A")).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Lô RN-A đang bị thu hồi") && r.body.contains("Nhiễm khuẩn ở mẫu lưu"), "{}", r.body);
    assert!(r.body.contains("Batch RN-A is recalled"), "in English too");
    pos.scan(&barcode).await;
    let after = pos.pay_cash("100.000").await;
    wait_for("every sale on the marketplace", async || pos.status().await["unsynced"] == 0).await;
    assert_eq!(m.scalar(&took(&after, b, true)).await, 1, "B assumed once A is recalled");
    // The recall reaches the sale made offline before the till knew, and not the others of B.
    let recall = m.scalar(&format!("SELECT id FROM recalls WHERE batch_id = {a}")).await;
    let view = store::trace::recalls::view(&m.state.store.db, &office, recall).await.unwrap().unwrap();
    let mut receipts: Vec<&str> = view.reach.sales.iter().map(|s| s.receipt.as_str()).collect();
    receipts.sort();
    let mut want = vec![assumed.as_str(), offline.as_str()];
    want.sort();
    assert_eq!(receipts, want);
    assert!(!receipts.contains(&named.as_str()) && !receipts.contains(&after.as_str()));
}
