//! What only a real server process shows: its password hashing bounded by its own settings, and
//! what a kill in the middle of an import leaves behind once it starts again.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{TempDir, temp_dir};

struct Server {
    child: Child,
    base: String,
    dir: std::path::PathBuf,
    env: Vec<(&'static str, String)>,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    async fn start(dir: &std::path::Path, env: Vec<(&'static str, String)>) -> Server {
        let database = crate::support::database_url(dir).await;
        Server::start_on(dir, database, env).await
    }

    async fn start_on(dir: &std::path::Path, database: String, env: Vec<(&'static str, String)>) -> Server {
        let mut env = env;
        env.push(("DATABASE_URL", database));
        let port = free_port();
        let mut s = Server {
            child: spawn(dir, port, &env),
            base: format!("http://127.0.0.1:{port}"),
            dir: dir.into(),
            env,
            port,
        };
        s.wait_up().await;
        s
    }

    async fn wait_up(&mut self) {
        for _ in 0..600 {
            if reqwest::get(format!("{}/healthz", self.base)).await.is_ok() {
                return;
            }
            assert!(self.child.try_wait().unwrap().is_none(), "the server exited");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not start in 60 s");
    }

    /// Killed as a power cut would, then started again on the same data.
    async fn kill_and_restart(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.child = spawn(&self.dir, self.port, &self.env);
        self.wait_up().await;
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(dir: &std::path::Path, port: u16, env: &[(&'static str, String)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", dir)
        .env("OCOP_TODAY", crate::support::TODAY)
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("server binary")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn sign_in(http: &reqwest::Client, base: &str, login: &str, password: &str) -> (u16, Option<String>, String) {
    let res = http
        .post(format!("{base}/account/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(serde_urlencoded::to_string([("login", login), ("password", password)]).unwrap())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let cookie = res.headers().get("set-cookie").map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let body = res.text().await.unwrap();
    (status, retry.or(cookie), body)
}

#[tokio::test]
async fn past_its_hashing_capacity_the_server_says_busy_and_loses_no_attempt() {
    let tmp: TempDir = temp_dir();
    let server =
        Server::start(&tmp.0, vec![("PASSWORD_HASH_THREADS", "1".into()), ("PASSWORD_HASH_QUEUE", "1".into())]).await;
    let http = client();
    let logins = ["khach@ocop.local", "chuthe@ocop.local", "nhanvien@ocop.local", "vanphong@ocop.local"];
    // Six wrong passwords per account, one past the lockout's five, from as many addresses (each gets
    // its own per-source slot, so only the pool decides): an attempt refused as busy must be given
    // back, or every account ends locked.
    let clients: Vec<_> = (0..24).map(|i| crate::security::client_from(&format!("127.0.2.{}", i + 1))).collect();
    let storm: Vec<_> =
        clients.iter().enumerate().map(|(i, c)| sign_in(c, &server.base, logins[i % 4], "sai-mat-khau-day")).collect();
    let answers = futures_util::future::join_all(storm).await;
    let busy: Vec<_> = answers.iter().filter(|a| a.0 == 503).collect();
    let checked = answers.iter().filter(|a| a.0 == 401).count();
    let statuses: Vec<_> = answers.iter().map(|a| a.0).collect();
    assert!(busy.len() >= 8 && checked >= 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [401, 429, 503].contains(s)), "nothing else: {statuses:?}");
    for (_, retry, body) in &busy {
        assert_eq!(retry.as_deref(), Some("5"), "Retry-After");
        assert!(body.contains("Hệ thống đang bận"), "a page that says so");
    }
    // Refused attempts were not held against the accounts: each signs in with its password now.
    for login in logins {
        let (status, _, _) = sign_in(&http, &server.base, login, store::accounts::DEMO_PASSWORD).await;
        assert_eq!(status, 303, "{login}");
    }
}

#[tokio::test]
async fn an_import_cut_off_by_a_kill_is_reported_interrupted_after_the_restart() {
    if crate::support::backend() == "postgres" {
        // With PostgreSQL other replicas may hold running imports; lapsed leases are tested in
        // `security::an_import_whose_lease_ran_out_is_reported_interrupted_and_wrote_nothing`.
        eprintln!("skipped on PostgreSQL: a restart reaps running imports only on a SQLite file");
        return;
    }
    let tmp: TempDir = temp_dir();
    let mut server = Server::start(&tmp.0, vec![]).await;
    let http = client();
    let (status, cookie, _) = sign_in(&http, &server.base, "chuthe@ocop.local", store::accounts::DEMO_PASSWORD).await;
    assert_eq!(status, 303);
    let cookie = cookie.unwrap();
    let account = http.get(format!("{}/account", server.base)).header("cookie", &cookie).send().await.unwrap();
    let page = account.text().await.unwrap();
    let csrf = crate::shopper::hidden(&page, "csrf");
    // A whole file takes a couple of seconds to apply; should one ever finish before the kill, the
    // next try uses new SKUs (`try_n`), and its own import is the one cut off.
    let mut cut = None;
    for try_n in 0..3 {
        let mut csv = String::from(
            "product_slug,name_vi,name_en,group,category,description_vi,description_en,status,sku,barcode,size_vi,size_en,price_vnd,active\n",
        );
        for i in 0..store::imports::MAX_ROWS {
            csv.push_str(&format!(
                "bi-cat-{try_n}-{n},Sản phẩm bị cắt {n},Cut product {n},food,Mực khô,Mô tả,Description,active,CUT{try_n}-{i},,Túi {i},Bag {i},120000,1\n",
                n = i / 2
            ));
        }
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("san-pham.csv"));
        let res = http
            .post(format!("{}/portal/import", server.base))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let progress = res.headers()["location"].to_str().unwrap().to_string();
        if query(&tmp.0, "SELECT COUNT(*) FROM imports WHERE status = 'running'").await == 1 {
            cut = Some((try_n, progress));
            break;
        }
    }
    let (try_n, progress) = cut.expect("an import under way when the server is killed");
    server.kill_and_restart().await;
    let page = http.get(format!("{}{progress}", server.base)).header("cookie", &cookie).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("data-status=\"failed\"") && page.contains("bị gián đoạn"), "{page}");
    assert_eq!(query(&tmp.0, "SELECT COUNT(*) FROM imports WHERE status = 'running'").await, 0);
    let written = query(&tmp.0, &format!("SELECT COUNT(*) FROM variants WHERE sku LIKE 'CUT{try_n}-%'")).await;
    assert_eq!(written, 0, "nothing half-written");
}

/// Reads the server's SQLite file beside it (WAL lets a reader in while it writes).
async fn query(dir: &std::path::Path, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(format!("sqlite://{}?mode=ro", dir.join("ocop.db").display())).await.unwrap();
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap().unwrap();
    let n = row.try_get_by_index::<i64>(0).unwrap();
    db.close().await.unwrap();
    n
}

/// Reads any database by URL.
pub(crate) async fn query_url(url: &str, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(url).await.unwrap();
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap().unwrap();
    let n = row.try_get_by_index::<i64>(0).unwrap();
    db.close().await.unwrap();
    n
}

/// One shopper's cash-on-delivery order of `qty` units; its page's address (with the access key).
async fn place_order(app: &crate::support::TestApp, variant: i64, qty: u32) -> String {
    let mut s = crate::shopper::Shopper::new(app);
    assert_eq!(s.add_variant(variant, qty).await.status, 303);
    let placed = s.checkout("cod").await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    placed.location
}

#[tokio::test]
async fn a_backup_taken_during_a_checkout_burst_restores_every_order_and_sale() {
    let app = crate::support::spawn().await;
    let variant = crate::shopper::variant_with_stock(&app, 10_000).await;
    let (showroom, token) = crate::sync::paired(&app, "SR-BACKUP").await;
    let sku = crate::shopper::scalar_text(&app, &format!("SELECT sku FROM variants WHERE id = {variant}")).await;
    // Before the backup: orders and showroom sales the marketplace has acknowledged.
    let mut before = Vec::new();
    for q in 1..=4 {
        before.push(place_order(&app, variant, q).await);
    }
    let sales: Vec<serde_json::Value> = (0..3).map(|_| crate::sync::sale(&sku, 1, 95_000)).collect();
    let body = serde_json::json!({"showroom_code": showroom, "sales": sales}).to_string().into_bytes();
    let (status, _) = crate::sync::post_json(&app, "/sync/v1/sales", Some(&token), body).await;
    assert_eq!(status, 200);

    // A burst of checkouts while `server backup` runs as its own process beside the server.
    let backup_dir = temp_dir();
    let target = backup_dir.0.join("copy");
    let burst: Vec<_> = (0..12).map(|i| place_order(&app, variant, 1 + i % 3)).collect();
    let backup = {
        let (url, data, target) = (app.config.store.database_url.clone(), app.dir.clone(), target.clone());
        tokio::task::spawn_blocking(move || {
            std::thread::sleep(Duration::from_millis(30));
            Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["backup", target.to_str().unwrap()])
                .env("DATABASE_URL", url)
                .env("DATA_DIR", data)
                .env("RUST_LOG", "warn")
                .output()
                .expect("server binary")
        })
    };
    let (placed, backup) = tokio::join!(futures_util::future::join_all(burst), backup);
    let backup = backup.unwrap();
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(String::from_utf8_lossy(&backup.stdout).contains("backup taken"));
    assert_eq!(placed.len(), 12);
    // Refused into a directory that holds something: a backup never overwrites another.
    let again = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["backup", target.to_str().unwrap()])
        .env("DATABASE_URL", &app.config.store.database_url)
        .env("DATA_DIR", &app.dir)
        .output()
        .unwrap();
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("not empty"));

    // Restored into a fresh directory (and a fresh database on PostgreSQL), then started.
    let fresh = temp_dir();
    let database = if crate::support::backend() == "postgres" {
        let url = crate::support::database_url(&fresh.0).await;
        let restore = Command::new("pg_restore")
            .args(["--no-owner", "--dbname", &url])
            .arg(target.join("ocop.pgdump"))
            .output()
            .expect("pg_restore");
        assert!(restore.status.success(), "{}", String::from_utf8_lossy(&restore.stderr));
        url
    } else {
        for entry in std::fs::read_dir(&target).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), fresh.0.join(entry.file_name())).unwrap();
            }
        }
        format!("sqlite://{}?mode=rwc", fresh.0.join("ocop.db").display())
    };
    let restored = Server::start_on(&fresh.0, database.clone(), vec![]).await;
    let http = client();
    for location in &before {
        let res = http.get(format!("{}{location}", restored.base)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{location} after the restore");
        let number = crate::shopper::order_number_of(location);
        assert!(res.text().await.unwrap().contains(&number));
    }
    for sale in &sales {
        let id = sale["id"].as_str().unwrap();
        assert_eq!(query_url(&database, &format!("SELECT COUNT(*) FROM pos_sales WHERE id = '{id}'")).await, 1);
    }
    // Whatever part of the burst the copy caught, it caught whole: each order with its lines, and
    // the stock held for exactly those orders.
    let orders = query_url(&database, "SELECT COUNT(*) FROM orders").await;
    assert!((4..=16).contains(&orders), "{orders} orders in the copy");
    let orphans = query_url(
        &database,
        "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)",
    )
    .await;
    assert_eq!(orphans, 0, "no order without its lines");
    let ordered = query_url(
        &database,
        &format!("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines WHERE variant_id = {variant}"),
    )
    .await;
    let reserved = query_url(
        &database,
        &format!(
            "SELECT reserved FROM stock_levels WHERE variant_id = {variant} \
             AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')"
        ),
    )
    .await;
    assert_eq!(reserved, ordered, "stock held matches the orders in the copy");
}

#[tokio::test]
async fn asked_to_stop_the_server_finishes_what_is_under_way_and_exits_cleanly() {
    let tmp: TempDir = temp_dir();
    let server = Server::start(&tmp.0, vec![]).await;
    let http = client();
    let slugs = ["/products", "/", "/products?q=nuoc+mam", "/orders"];
    let requests: Vec<_> = (0..24).map(|i| http.get(format!("{}{}", server.base, slugs[i % 4])).send()).collect();
    let pid = server.child.id();
    let signal = async {
        tokio::time::sleep(Duration::from_millis(15)).await;
        assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    };
    let (answers, ()) = tokio::join!(futures_util::future::join_all(requests), signal);
    // Requests the server had taken are answered whole; none is cut off with an error.
    for a in answers.into_iter().flatten() {
        assert_eq!(a.status().as_u16(), 200);
        let body = a.text().await.expect("a whole body");
        assert!(body.contains("</html>"), "a whole page");
    }
    let mut server = server;
    let clock = std::time::Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(clock.elapsed() < Duration::from_secs(35), "the server stops within its 30 s grace");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "a clean exit: {status}");
}
