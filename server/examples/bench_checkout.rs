//! Checkout under load: many buyers, each with a cart of their own, all buying one hot variant.
//! Runs the real router on a local port and drives it over HTTP; prints orders per second and
//! latency, next to a baseline (adding to a cart: one small write per request) measured in the
//! same run, and checks the stock invariant afterwards.
//!
//! `cargo run --release -p server --example bench_checkout -- [sqlite|postgres://...] [buyers] [stock] [concurrency]`

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};
use tokio::sync::Semaphore;

struct Buyer {
    cookie: String,
    token: String,
    csrf: String,
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("field in page") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

async fn scalar(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().cloned().unwrap_or_else(|| "sqlite".into());
    let buyers: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let units: i64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1500);
    let concurrency: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(32);

    let dir = std::env::temp_dir().join(format!("ocop-bench-checkout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let database_url = if target == "sqlite" {
        format!("sqlite://{}?mode=rwc", dir.join("ocop.db").display())
    } else {
        let admin = sea_orm::Database::connect(&target).await.expect("PostgreSQL reachable");
        admin.execute_unprepared("DROP DATABASE IF EXISTS ocop_bench_checkout WITH (FORCE)").await.unwrap();
        admin.execute_unprepared("CREATE DATABASE ocop_bench_checkout").await.unwrap();
        format!("{}/ocop_bench_checkout", target.rsplit_once('/').unwrap().0)
    };
    let backend = if target == "sqlite" { "SQLite" } else { "PostgreSQL" };
    unsafe {
        // Read by Config::from_env before any thread of ours reads the environment.
        std::env::set_var("DATABASE_URL", &database_url);
        std::env::set_var("DATA_DIR", &dir);
        std::env::set_var("BIND_ADDR", "127.0.0.1:0");
        std::env::set_var("JOBS_SECS", "3600");
    }
    let config = server::config::Config::from_env().unwrap();
    let state = server::AppState::open(&config).await.unwrap();
    let db = state.store.db.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = server::build(state);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let variant = scalar(&db, "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'active' AND v.active ORDER BY v.id LIMIT 1").await;
    db.execute_unprepared(&format!(
        "UPDATE stock_levels SET on_hand = {units}, reserved = 0 WHERE variant_id = {variant} AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')"
    ))
    .await
    .unwrap();

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let gate = std::sync::Arc::new(Semaphore::new(concurrency));

    // Baseline and set-up in one: every buyer adds the hot variant to a new cart.
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(buyers);
    for _ in 0..buyers {
        let (http, base, gate) = (http.clone(), base.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let t = Instant::now();
            let res = http
                .post(format!("{base}/cart/add"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("variant={variant}&qty=1"))
                .send()
                .await
                .unwrap();
            let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
            (cookie, t.elapsed())
        }));
    }
    let mut cookies = Vec::with_capacity(buyers);
    let mut add_lat = Vec::with_capacity(buyers);
    for t in tasks {
        let (c, d) = t.await.unwrap();
        cookies.push(c);
        add_lat.push(d);
    }
    let add_secs = started.elapsed().as_secs_f64();

    // Untimed: each buyer opens the checkout page for its one-time token.
    let mut people = Vec::with_capacity(buyers);
    for cookie in cookies {
        let html =
            http.get(format!("{base}/checkout")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        people.push(Buyer { token: hidden(&html, "token"), csrf: hidden(&html, "csrf"), cookie });
    }

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(buyers);
    for b in people {
        let (http, base, gate) = (http.clone(), base.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let form = [
                ("token", b.token.as_str()),
                ("csrf", b.csrf.as_str()),
                ("name", "Người Mua Thử"),
                ("phone", "0912345678"),
                ("province", "lam-dong"),
                ("commune", "Phường Phan Thiết"),
                ("street", "1 Trần Hưng Đạo"),
                ("payment", "cod"),
            ];
            let t = Instant::now();
            let res = http
                .post(format!("{base}/checkout"))
                .header("cookie", &b.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(form).unwrap())
                .send()
                .await
                .unwrap();
            let placed =
                res.headers().get("location").and_then(|l| l.to_str().ok()).is_some_and(|l| l.starts_with("/orders/"));
            (placed, t.elapsed())
        }));
    }
    let mut lat = Vec::with_capacity(buyers);
    let mut placed = 0usize;
    for t in tasks {
        let (ok, d) = t.await.unwrap();
        placed += ok as usize;
        lat.push(d);
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort();
    add_lat.sort();

    let orders = scalar(&db, "SELECT COUNT(*) FROM orders").await;
    let reserved = scalar(&db, &format!("SELECT reserved FROM stock_levels WHERE variant_id = {variant} AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')")).await;
    let broken = scalar(&db, "SELECT COUNT(*) FROM stock_levels WHERE reserved < 0 OR reserved > on_hand").await;
    let expected = (buyers as i64).min(units);
    let invariant = orders == expected && reserved == orders && broken == 0 && placed as i64 == orders;

    println!("backend {backend}: {buyers} buyers, {units} units of one variant, {concurrency} at a time");
    println!(
        "baseline add-to-cart: {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms",
        buyers as f64 / add_secs,
        percentile(&add_lat, 0.50),
        percentile(&add_lat, 0.99)
    );
    println!(
        "checkout: {:.0} requests/s ({:.0} orders/s), p50 {:.1} ms, p99 {:.1} ms, ratio to baseline {:.2}",
        buyers as f64 / secs,
        placed as f64 / secs,
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        (buyers as f64 / secs) / (buyers as f64 / add_secs)
    );
    println!(
        "invariant: {orders} orders (expected {expected}), {reserved} reserved, {broken} levels out of bounds: {}",
        if invariant { "OK" } else { "BROKEN" }
    );
    let _ = std::fs::remove_dir_all(&dir);
    if !invariant {
        std::process::exit(1);
    }
}
