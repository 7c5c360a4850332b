//! The programme dashboard at national scale: 8,500 producers, 16,000 products and a million sales
//! lines (online order lines and showroom sale lines, with refunds) spread over 2026. Runs the real
//! router on a local port, signs in the office and a producer member over HTTP, and times each
//! page and export next to a baseline measured in the same run: the sign-in page, which renders
//! the site's shell and touches no sales.
//!
//! `cargo run --release -p server --example bench_dashboard -- [sqlite|postgres://...] [producers] [products] [lines] [runs]`

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait, Value};
use store::sql::stmt;

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Inserts `rows` (each a list of values) into `table` in multi-row statements.
async fn insert(db: &impl ConnectionTrait, table: &str, cols: &str, rows: Vec<Vec<Value>>) {
    let width = cols.split(',').count();
    let per = 8000 / width;
    for chunk in rows.chunks(per) {
        let one = format!("({})", vec!["?"; width].join(", "));
        let sql = format!("INSERT INTO {table} ({cols}) VALUES {}", vec![one; chunk.len()].join(", "));
        let values = chunk.iter().flat_map(|r| r.iter().cloned()).collect();
        db.execute_raw(stmt(db.get_database_backend(), &sql, values)).await.unwrap();
    }
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(stmt(db.get_database_backend(), sql, vec![])).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Sales lines over 2026 up to late November: about 40% online (2 lines an order, 10% of orders
/// cancelled), 60% at four showrooms (2 lines a sale, 3% of sales refunded in full). Goods come from
/// 70% of the products, so some producers sell and others do not.
async fn sales(db: &DatabaseConnection, products: i64, lines: usize) -> (usize, usize) {
    let mut rng = Rng(0x2026_1128_0000_0001);
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 1, 0, 0).unwrap();
    let span = 330 * 86_400;
    let price = |v: i64| 50_000 + (v * 7919 % 400) * 1000;
    let producers: Vec<i64> = {
        let rows = db
            .query_all_raw(stmt(db.get_database_backend(), "SELECT id, producer_id FROM products ORDER BY id", vec![]))
            .await
            .unwrap();
        rows.iter().map(|r| r.try_get::<Option<i64>>("", "producer_id").unwrap().unwrap_or(0)).collect()
    };
    let pick = |rng: &mut Rng| 1 + rng.below((products as u64) * 7 / 10) as i64;
    let txn = db.begin().await.unwrap();
    for (i, code) in ["SR-PHANTHIET", "SR-MUINE", "SR-LAGI", "SR-TUYPHONG"].iter().enumerate() {
        insert(
            &txn,
            "locations",
            "id, code, name, kind, created_at",
            vec![vec![
                (100 + i as i64).into(),
                (*code).into(),
                format!("Điểm bán {code}").into(),
                "showroom".into(),
                start.into(),
            ]],
        )
        .await;
    }
    let (mut orders, mut order_lines, mut done) = (Vec::new(), Vec::new(), 0usize);
    let online = lines * 4 / 10;
    let mut id = 0i64;
    while done < online {
        id += 1;
        let at = start + chrono::Duration::seconds(rng.below(span) as i64);
        let status = [
            "delivered",
            "delivered",
            "delivered",
            "delivered",
            "delivered",
            "shipped",
            "confirmed",
            "paid",
            "packed",
            "cancelled",
        ][rng.below(10) as usize];
        let mut subtotal = 0;
        for _ in 0..2 {
            let v = pick(&mut rng);
            let qty = 1 + rng.below(3) as i64;
            subtotal += qty * price(v);
            order_lines.push(vec![
                id.into(),
                v.into(),
                producers[(v - 1) as usize].into(),
                format!("Sản phẩm {v}").into(),
                format!("Product {v}").into(),
                format!("GEN{v:06}").into(),
                price(v).into(),
                (qty as i32).into(),
                (qty * price(v)).into(),
            ]);
            done += 1;
        }
        orders.push(vec![
            id.into(),
            format!("OCOP-2026-{id:07}").into(),
            format!("k{id}").into(),
            format!("t{id}").into(),
            status.into(),
            "cod".into(),
            "consumed".into(),
            "Khách".into(),
            "0912345678".into(),
            "lam-dong".into(),
            "Phường Phan Thiết".into(),
            "1 Trần Hưng Đạo".into(),
            "vi".into(),
            subtotal.into(),
            0i64.into(),
            subtotal.into(),
            0i64.into(),
            at.into(),
            at.into(),
        ]);
    }
    insert(
        &txn,
        "orders",
        "id, number, access_key, checkout_token, status, payment_method, stock_state, name, phone, province, commune, street, lang, subtotal, delivery_fee, total, paid_amount, created_at, updated_at",
        orders,
    )
    .await;
    insert(
        &txn,
        "order_lines",
        "order_id, variant_id, producer_id, name_vi, name_en, sku, unit_price, quantity, line_total",
        order_lines,
    )
    .await;
    let (mut sales, mut sale_lines, mut n) = (Vec::new(), Vec::new(), 0i64);
    while done < lines {
        n += 1;
        let at = start + chrono::Duration::seconds(rng.below(span) as i64);
        let location = 100 + rng.below(4) as i64;
        let sale_id = format!("00000000-0000-4000-8000-{n:012}");
        let mut parts = Vec::new();
        for k in 0..2 {
            let v = pick(&mut rng);
            let qty = 1 + rng.below(2) as i64;
            parts.push((format!("00000000-0000-4000-9000-{:012}", n * 2 + k), v, qty));
            done += 1;
        }
        let total: i64 = parts.iter().map(|(_, v, q)| q * price(*v)).sum();
        // A refund counts in its sale's period: `counted_at` is the sale's time on both.
        let counted = at;
        let row = |id: &str, kind: &str, of: Option<&str>, at: chrono::DateTime<Utc>| {
            vec![
                id.into(),
                0i64.into(),
                location.into(),
                format!("SR-{n:08}").into(),
                sale_id.clone().into(),
                kind.into(),
                of.map(str::to_string).into(),
                at.into(),
                0i64.into(),
                total.into(),
                false.into(),
                at.into(),
                counted.into(),
            ]
        };
        sales.push(row(&sale_id, "sale", None, at));
        let refund = rng.below(33) == 0;
        let refund_id = format!("00000000-0000-4000-a000-{n:012}");
        if refund {
            sales.push(row(&refund_id, "refund", Some(&sale_id), at + chrono::Duration::days(2)));
        }
        for (line_id, v, qty) in parts {
            let line = |id: String, sale: &str, refund: bool| {
                vec![
                    id.into(),
                    sale.to_string().into(),
                    v.into(),
                    producers[(v - 1) as usize].into(),
                    format!("GEN{v:06}").into(),
                    (qty as i32).into(),
                    price(v).into(),
                    (qty * price(v)).into(),
                    location.into(),
                    refund.into(),
                    counted.into(),
                ]
            };
            if refund {
                sale_lines.push(line(line_id.replace("-9000-", "-b000-"), &refund_id, true));
            }
            sale_lines.push(line(line_id, &sale_id, false));
        }
        if sales.len() >= 20_000 {
            flush_pos(&txn, &mut sales, &mut sale_lines).await;
        }
    }
    flush_pos(&txn, &mut sales, &mut sale_lines).await;
    txn.commit().await.unwrap();
    (id as usize, n as usize)
}

async fn flush_pos(db: &impl ConnectionTrait, sales: &mut Vec<Vec<Value>>, lines: &mut Vec<Vec<Value>>) {
    insert(
        db,
        "pos_sales",
        "id, device_id, location_id, receipt_no, shift_id, kind, refund_of, sold_at, discount, total, flagged, received_at, counted_at",
        std::mem::take(sales),
    )
    .await;
    insert(
        db,
        "pos_sale_lines",
        "id, sale_id, variant_id, producer_id, sku, qty, unit_price, line_total, location_id, refund, counted_at",
        std::mem::take(lines),
    )
    .await;
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

async fn sign_in(http: &reqwest::Client, base: &str, login: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/account/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303, "{login} signs in");
    let c = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    c.split(';').next().unwrap().to_string()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().cloned().unwrap_or_else(|| "sqlite".into());
    let producers: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(8500);
    let products: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16_000);
    let lines: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(5);

    let dir = std::env::temp_dir().join(format!("ocop-bench-dashboard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let database_url = if target == "sqlite" {
        format!("sqlite://{}?mode=rwc", dir.join("ocop.db").display())
    } else {
        let admin = sea_orm::Database::connect(&target).await.expect("PostgreSQL reachable");
        admin.execute_unprepared("DROP DATABASE IF EXISTS ocop_bench_dashboard WITH (FORCE)").await.unwrap();
        admin.execute_unprepared("CREATE DATABASE ocop_bench_dashboard").await.unwrap();
        format!("{}/ocop_bench_dashboard", target.rsplit_once('/').unwrap().0)
    };
    let backend = if target == "sqlite" { "SQLite" } else { "PostgreSQL" };
    unsafe {
        // Read by Config::from_env before any thread of ours reads the environment.
        std::env::set_var("DATABASE_URL", &database_url);
        std::env::set_var("DATA_DIR", &dir);
        std::env::set_var("BIND_ADDR", "127.0.0.1:0");
        std::env::set_var("JOBS_SECS", "3600");
        std::env::set_var("SEARCH_SYNC_SECS", "3600");
        std::env::set_var("SEED", "0");
        std::env::set_var("PAGE_CACHE", "0");
        std::env::set_var("OCOP_TODAY", "2026-11-28");
    }
    let config = server::config::Config::from_env().unwrap();
    let state = server::AppState::open(&config).await.unwrap();
    let db = state.store.db.clone();
    let t = Instant::now();
    store::synthetic::generate(&db, producers, products).await.unwrap();
    let (orders, pos) = sales(&db, products as i64, lines).await;
    let password = "bench-password-2026";
    let member_of =
        scalar(&db, "SELECT producer_id FROM order_lines GROUP BY producer_id ORDER BY COUNT(*) DESC LIMIT 1").await;
    for (login, role, producer) in [
        ("office@bench.local", domain::account::Role::Admin, None),
        ("member@bench.local", domain::account::Role::Producer, Some(member_of)),
    ] {
        store::accounts::create(
            &db,
            store::accounts::NewAccount {
                name: "Bench",
                login,
                password,
                role,
                producer_id: producer,
                showroom_id: None,
            },
        )
        .await
        .unwrap()
        .unwrap();
    }
    // As the hourly job (SQLite) or autovacuum (PostgreSQL) would have by now.
    if backend == "PostgreSQL" {
        db.execute_unprepared("ANALYZE").await.unwrap();
    } else {
        state.store.refresh_statistics().await.unwrap();
    }
    let total_lines =
        scalar(&db, "SELECT (SELECT COUNT(*) FROM order_lines) + (SELECT COUNT(*) FROM pos_sale_lines)").await;
    println!(
        "{backend}: {producers} producers, {products} products, {total_lines} sales lines ({orders} orders, {pos} showroom sales and their refunds), generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Where a page's time goes: the store's gathering, before any rendering.
    let year = domain::participation::Period::parse("2026").unwrap();
    let today = state.store.today();
    for _ in 0..2 {
        let t = Instant::now();
        let p = store::dashboard::participation(&db, year).await.unwrap();
        let gathered = t.elapsed();
        let t = Instant::now();
        store::dashboard::targets(&db, &p, today).await.unwrap();
        let targets = t.elapsed();
        let t = Instant::now();
        store::settlement::statement(&db, member_of, year, 1000).await.unwrap();
        println!(
            "store only, year: participation {:.0} ms, targets {:.0} ms, a statement {:.0} ms",
            gathered.as_secs_f64() * 1000.0,
            targets.as_secs_f64() * 1000.0,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    if std::env::var_os("BENCH_STORE_ONLY").is_some() {
        return;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, server::build(state)).await.unwrap() });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    let office = sign_in(&http, &base, "office@bench.local", password).await;
    let member = sign_in(&http, &base, "member@bench.local", password).await;

    let pages: [(&str, &str, &String); 10] = [
        ("baseline: sign-in page", "/account/sign-in", &office),
        ("(any signed-in page: account)", "/account", &member),
        ("(catalogue page)", "/products", &member),
        ("dashboard, half-year", "/office/dashboard?period=2026-H2", &office),
        ("dashboard, year", "/office/dashboard?period=2026", &office),
        ("printable report, year", "/office/report?period=2026", &office),
        ("whole report XLSX, year", "/office/dashboard/export/report.xlsx?period=2026", &office),
        ("a breakdown CSV, year", "/office/dashboard/export/by-district.csv?period=2026", &office),
        ("producer statement, year", "/portal/sales?period=2026", &member),
        ("producer statement XLSX, year", "/portal/sales/export/all.xlsx?period=2026", &member),
    ];
    let mut baseline = 0.0;
    println!("{:<32} {:>10} {:>10} {:>9}  ({runs} runs after one warm-up)", "page", "median ms", "max ms", "× base");
    for (name, path, cookie) in pages {
        let mut times = Vec::new();
        let mut size = 0;
        for i in 0..=runs {
            let t = Instant::now();
            let res = http.get(format!("{base}{path}")).header("cookie", cookie.as_str()).send().await.unwrap();
            let status = res.status().as_u16();
            let body = res.bytes().await.unwrap();
            assert_eq!(status, 200, "{path}");
            size = body.len();
            if i > 0 {
                times.push(t.elapsed());
            }
        }
        let max = times.iter().max().unwrap().as_secs_f64() * 1000.0;
        let med = median(times);
        if baseline == 0.0 {
            baseline = med;
        }
        println!("{name:<32} {med:>10.1} {max:>10.1} {:>8.0}×  {size} bytes", med / baseline);
    }
    if backend == "PostgreSQL" {
        drop(db);
    } else if std::env::var_os("BENCH_KEEP").is_some() {
        println!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
