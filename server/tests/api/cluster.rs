//! The marketplace as a province that has outgrown one machine runs it: PostgreSQL, two `server`
//! processes behind HAProxy (with `deploy/haproxy.cfg`), photos in an S3-compatible bucket (moto),
//! mail through a real SMTP peer (aiosmtpd), Meilisearch too when `MEILI_URL` is set. A checkout
//! burst through the balancer while one replica is SIGKILLed and started again: every order placed
//! once, stock exact, every notification delivered once, jobs run once per period; a photo
//! uploaded through one replica is served by the other, a catalogue edit through one reaches the
//! other's cached pages within the sync interval. Runs on PostgreSQL (`TEST_DATABASE_URL`) when
//! `haproxy`, `moto_server` and `aiosmtpd` are installed; `REQUIRE_CLUSTER=1` (CI) makes their
//! absence a failure.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::support::{TODAY, backend, temp_dir};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn installed(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

struct Replica {
    proc: Proc,
    port: u16,
    metrics: u16,
    env: Vec<(String, String)>,
    log: std::path::PathBuf,
}

impl Replica {
    fn start(env: Vec<(String, String)>, log: std::path::PathBuf) -> Replica {
        let port = free_port();
        let metrics = free_port();
        Replica { proc: Proc(spawn_server(&env, port, metrics, &log)), port, metrics, env, log }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn kill(&mut self) {
        self.proc.0.kill().unwrap();
        self.proc.0.wait().unwrap();
    }

    fn restart(&mut self) {
        self.proc = Proc(spawn_server(&self.env, self.port, self.metrics, &self.log));
    }
}

fn spawn_server(env: &[(String, String)], port: u16, metrics: u16, log: &std::path::Path) -> Child {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("METRICS_ADDR", format!("127.0.0.1:{metrics}"))
        .stdout(Stdio::null())
        .stderr(log);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("server binary")
}

async fn wait_ready(http: &reqwest::Client, base: &str, what: &str) {
    for _ in 0..900 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} was not ready within 90 s");
}

/// A shopper's browser: one cookie jar of the cookies this site sets, and retries of whatever a
/// dying replica cut off (a refused connection, a 502/503), as a person presses again.
struct Visitor {
    http: reqwest::Client,
    base: String,
    cookies: HashMap<String, String>,
    failures: Vec<Instant>,
}

struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Visitor {
    fn new(http: &reqwest::Client, base: &str) -> Visitor {
        Visitor { http: http.clone(), base: base.into(), cookies: HashMap::new(), failures: Vec::new() }
    }

    async fn send(&mut self, post: Option<&[(&str, &str)]>, path: &str) -> Answer {
        for _ in 0..100 {
            let url = format!("{}{path}", self.base);
            let mut req = match post {
                Some(form) => self
                    .http
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(serde_urlencoded::to_string(form).unwrap()),
                None => self.http.get(url),
            };
            if !self.cookies.is_empty() {
                let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
                req = req.header("cookie", jar.join("; "));
            }
            match req.send().await {
                Ok(res) if res.status().as_u16() < 500 => {
                    for set in res.headers().get_all("set-cookie") {
                        let pair = set.to_str().unwrap().split(';').next().unwrap();
                        let (k, v) = pair.split_once('=').unwrap();
                        if v.is_empty() {
                            self.cookies.remove(k);
                        } else {
                            self.cookies.insert(k.into(), v.into());
                        }
                    }
                    let status = res.status().as_u16();
                    let location = res.headers().get("location").map(|v| v.to_str().unwrap().to_string());
                    return Answer { status, location: location.unwrap_or_default(), body: res.text().await.unwrap() };
                }
                _ => {
                    self.failures.push(Instant::now());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("{path} failed a hundred times");
    }

    async fn get(&mut self, path: &str) -> Answer {
        self.send(None, path).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.send(Some(form), path).await
    }
}

/// One shopper's order of `qty` units through the balancer; retried with the same one-time token.
async fn shop(mut v: Visitor, i: usize, variant: i64, qty: u32) -> (String, Vec<Instant>) {
    let added = v.post("/cart/add", &[("variant", &variant.to_string()), ("qty", &qty.to_string())]).await;
    assert_eq!(added.status, 303);
    let form = v.get("/checkout").await;
    assert_eq!(form.status, 200);
    let (token, csrf) = (crate::shopper::hidden(&form.body, "token"), crate::shopper::hidden(&form.body, "csrf"));
    let email = format!("khach{i}@example.vn");
    let placed = v
        .post(
            "/checkout",
            &[
                ("token", &token),
                ("csrf", &csrf),
                ("name", "Nguyễn Thị Hoà"),
                ("phone", "0912 345 678"),
                ("email", &email),
                ("province", "lam-dong"),
                ("commune", "Phường Phan Thiết"),
                ("street", "12 Tôn Đức Thắng"),
                ("payment", "cod"),
            ],
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert!(placed.location.starts_with("/orders/"), "{}", placed.location);
    (crate::shopper::order_number_of(&placed.location), v.failures)
}

/// Reads a figure straight from the cluster's database.
async fn pg(url: &str, sql: &str) -> i64 {
    crate::processes::query_url(url, sql).await
}

/// The sum of a counter's series with these labels, from one replica's `/metrics`.
async fn counter(http: &reqwest::Client, port: u16, name_and_labels: &str) -> f64 {
    let text = http.get(format!("http://127.0.0.1:{port}/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .filter(|l| l.starts_with(name_and_labels))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .fold(0.0, |a, b| a + b)
}

#[tokio::test]
async fn two_replicas_behind_a_balancer_sell_and_notify_once_through_a_replica_kill() {
    if backend() != "postgres" {
        eprintln!("skipped: the multi-replica test runs on PostgreSQL (TEST_DATABASE_URL)");
        return;
    }
    let have = installed("haproxy", &["-v"])
        && installed("moto_server", &["--help"])
        && installed("python3", &["-c", "import aiosmtpd"]);
    if !have {
        assert!(std::env::var("REQUIRE_CLUSTER").is_err(), "REQUIRE_CLUSTER: haproxy, moto_server and aiosmtpd needed");
        eprintln!("skipped: haproxy, moto_server (pip 'moto[server]') and aiosmtpd are needed");
        return;
    }
    let tmp = temp_dir();
    let s3 = crate::support::s3_server().await.expect("moto_server starts");
    let maildir = tmp.0.join("maildir");
    let smtp_port = free_port();
    let _smtp = Proc(
        Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{smtp_port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let database = crate::support::database_url(&tmp.0).await;
    let lb_port = free_port();
    let mut env: Vec<(String, String)> = vec![
        ("DATABASE_URL", database.clone()),
        ("PUBLIC_URL", format!("http://127.0.0.1:{lb_port}")),
        ("SECRET_KEY", "k".repeat(24) + "replicas-share-this-signing-key"),
        ("OCOP_TODAY", TODAY.into()),
        ("MEDIA_S3_BUCKET", s3.bucket.clone()),
        ("MEDIA_S3_ENDPOINT", s3.endpoint.clone()),
        ("MEDIA_S3_ACCESS_KEY_ID", "test".into()),
        ("MEDIA_S3_SECRET_ACCESS_KEY", "test".into()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
        ("JOBS_SECS", "1".into()),
        ("SEARCH_SYNC_SECS", "1".into()),
        ("TRUSTED_PROXIES", "1".into()),
        ("RUST_LOG", "warn".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let meili = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty());
    if let Some(url) = &meili {
        env.push(("MEILI_URL".into(), url.clone()));
        env.push(("MEILI_INDEX".into(), format!("ocop_cluster_{}", std::process::id())));
    }
    let replica_env = |n: usize| {
        let mut e = env.clone();
        e.push(("DATA_DIR".into(), tmp.0.join(format!("r{n}")).display().to_string()));
        e
    };
    // Both at once, on a database neither has set up: they take turns at the migrations and seed.
    let cluster_started = Instant::now();
    let mut r1 = Replica::start(replica_env(1), tmp.0.join("r1.log"));
    let r2 = Replica::start(replica_env(2), tmp.0.join("r2.log"));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    // A replica whose set-up raced the other's would have exited on a duplicate table or row.
    wait_ready(&http, &r1.base(), "replica 1").await;
    wait_ready(&http, &r2.base(), "replica 2").await;
    let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/haproxy.cfg");
    let _lb = Proc(
        Command::new("haproxy")
            .args(["-db", "-f", cfg])
            .env("OCOP_LISTEN", format!("127.0.0.1:{lb_port}"))
            .env("OCOP_REPLICA1", format!("127.0.0.1:{}", r1.port))
            .env("OCOP_REPLICA2", format!("127.0.0.1:{}", r2.port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let lb = format!("http://127.0.0.1:{lb_port}");
    wait_ready(&http, &lb, "the balancer").await;
    // Stock for the burst.
    let variant = pg(
        &database,
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.status = 'active' AND v.active ORDER BY v.id LIMIT 1",
    )
    .await;
    {
        use sea_orm::{ConnectionTrait, Database};
        let db = Database::connect(&database).await.unwrap();
        db.execute_unprepared(&format!(
            "UPDATE stock_levels SET on_hand = 1000, reserved = 0 WHERE variant_id = {variant} \
             AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')"
        ))
        .await
        .unwrap();
        db.close().await.unwrap();
    }

    // The burst: 120 shoppers, 8 at a time, through the balancer; replica 1 is killed early in it
    // and started again.
    let shoppers = 120usize;
    let started = Instant::now();
    let quantities: Vec<u32> = (0..shoppers).map(|i| 1 + (i % 3) as u32).collect();
    let burst =
        futures_util::stream::iter((0..shoppers).map(|i| shop(Visitor::new(&http, &lb), i, variant, quantities[i])))
            .buffer_unordered(8)
            .collect::<Vec<_>>();
    let kill = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let at = Instant::now();
        r1.kill();
        tokio::time::sleep(Duration::from_millis(500)).await;
        r1.restart();
        wait_ready(&http, &r1.base(), "replica 1 after its kill").await;
        (at, at.elapsed())
    };
    let (results, (killed_at, back_after)) = tokio::join!(burst, kill);
    let burst_took = started.elapsed();
    let failures: Vec<Instant> = results.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    let gap = match (failures.iter().min(), failures.iter().max()) {
        (Some(first), Some(last)) => *last - *first,
        _ => Duration::ZERO,
    };
    let numbers: std::collections::HashSet<&String> = results.iter().map(|(n, _)| n).collect();
    assert_eq!(numbers.len(), shoppers, "one order per shopper");
    assert_eq!(pg(&database, "SELECT COUNT(*) FROM orders").await, shoppers as i64, "no order placed twice");
    let ordered: i64 = quantities.iter().map(|q| *q as i64).sum();
    let reserved = pg(
        &database,
        &format!(
            "SELECT reserved FROM stock_levels WHERE variant_id = {variant} \
             AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')"
        ),
    )
    .await;
    assert_eq!(reserved, ordered, "stock held exactly for the orders");
    assert_eq!(
        pg(&database, &format!("SELECT CAST(SUM(quantity) AS BIGINT) FROM order_lines WHERE variant_id = {variant}"))
            .await,
        ordered
    );

    // Every confirmation delivered once by the SMTP peer, whichever replica sent it.
    let clock = Instant::now();
    while pg(&database, "SELECT COUNT(*) FROM notifications WHERE status <> 'sent'").await > 0 {
        assert!(clock.elapsed() < Duration::from_secs(60), "the outbox drains");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let notifications = pg(&database, "SELECT COUNT(*) FROM notifications").await;
    let delivered: Vec<String> = std::fs::read_dir(maildir.join("new"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    // Each notification reached the peer under its own Message-ID. A replica killed after the
    // peer accepted a message and before recording it sends it again when its claim lapses (no
    // sender can tell the two apart); that copy carries the same Message-ID, and there can be at
    // most one such copy per kill.
    let ids: Vec<String> = delivered
        .iter()
        .map(|m| m.lines().find_map(|l| l.strip_prefix("Message-ID: ")).expect("a Message-ID").trim().to_string())
        .collect();
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len() as i64, notifications, "every notification delivered");
    let again = delivered.len() - unique.len();
    assert!(again <= 1, "{again} messages delivered twice after one kill");
    for i in 0..shoppers {
        let to = format!("khach{i}@example.vn");
        let got: std::collections::HashSet<&String> = delivered
            .iter()
            .zip(&ids)
            .filter(|(m, _)| m.lines().any(|l| l.starts_with("To:") && l.contains(&to)))
            .map(|(_, id)| id)
            .collect();
        assert_eq!(got.len(), 1, "{to} got one confirmation");
    }

    // Jobs ran once per period between the replicas: at most once per three quarters of a
    // period (1 s here) since the first replica started, where two replicas each running on every
    // tick would have run it twice a second. (Should the kill land inside a run, the job waits for
    // the dead replica's lease, 30 s here, so only one run is certain.)
    // The replicas' counts first: each is counted after the database records it, and jobs go on
    // running while this reads.
    let r2_runs = counter(&http, r2.metrics, "job_runs_total{job=\"expire_unpaid\"}").await;
    let r1_runs = counter(&http, r1.metrics, "job_runs_total{job=\"expire_unpaid\"}").await;
    let runs = pg(&database, "SELECT CAST(runs AS BIGINT) FROM job_leases WHERE name = 'expire_unpaid'").await;
    let since_start = cluster_started.elapsed().as_secs_f64();
    assert!(runs >= 1 && (runs as f64) <= since_start / 0.75 + 1.0, "{runs} expiry runs in {since_start:.1} s");
    assert!(r1_runs + r2_runs <= runs as f64, "no run unrecorded: {r1_runs} + {r2_runs} > {runs}");

    // A photo uploaded through replica 1 is made by whichever worker and served by replica 2.
    let mut member = Visitor::new(&http, &r1.base());
    let signed = member
        .post("/account/sign-in", &[("login", "chuthe@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
        .await;
    assert_eq!(signed.status, 303);
    let account = member.get("/account").await;
    let csrf = crate::shopper::hidden(&account.body, "csrf");
    let own = pg(
        &database,
        "SELECT id FROM products WHERE producer_id = (SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local') \
         ORDER BY id LIMIT 1",
    )
    .await;
    let cookie: Vec<String> = member.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let uploaded = {
        let part = reqwest::multipart::Part::bytes(crate::portal::png(800, 600)).file_name("anh.png");
        let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part("photo", part);
        http.post(format!("{}/portal/products/{own}/photos", r1.base()))
            .header("cookie", cookie.join("; "))
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(uploaded.status(), 303);
    let clock = Instant::now();
    while pg(&database, &format!("SELECT COUNT(*) FROM product_photos WHERE product_id = {own}")).await == 0 {
        assert!(clock.elapsed() < Duration::from_secs(20), "the photo is made");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let slug_sql = format!("SELECT slug FROM products WHERE id = {own}");
    let slug: String = {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect(&database).await.unwrap();
        let r = db.query_one_raw(Statement::from_string(db.get_database_backend(), slug_sql)).await.unwrap().unwrap();
        r.try_get_by_index(0).unwrap()
    };
    let mut on_r2 = Visitor::new(&http, &r2.base());
    let clock = Instant::now();
    let page = loop {
        let page = on_r2.get(&format!("/products/{slug}")).await.body;
        if page.contains("src=\"/media/") {
            break page;
        }
        assert!(clock.elapsed() < Duration::from_secs(5), "replica 2's page shows the new photo");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let src = page.split("src=\"/media/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let photo = http.get(format!("{}/media/{src}", r2.base())).send().await.unwrap();
    assert_eq!(photo.status(), 200, "replica 2 serves the photo replica 1 took in");

    // A new product listed through replica 1 appears on replica 2's cached listing within the
    // sync interval (1 s here; SEARCH_SYNC_SECS, 5 s by default).
    let query = "/products?q=m%E1%BB%B1c+rim+%E1%BB%9Bt+c%E1%BB%A5m";
    let before = on_r2.get(query).await.body;
    assert!(!before.contains("Mực rim ớt cụm"), "not there yet");
    let created = member
        .post(
            "/portal/products/new",
            &[
                ("csrf", &csrf),
                ("name_vi", "Mực rim ớt cụm"),
                ("name_en", "Chilli squid clusters"),
                ("group", "food"),
                ("category", "Mực khô"),
                ("description_vi", "Mực câu Phan Thiết rim ớt."),
                ("description_en", "Phan Thiết squid simmered with chilli."),
                ("status", "active"),
                ("sku", "MRC-150"),
                ("barcode", ""),
                ("size_vi", "Hũ 150 g"),
                ("size_en", "150 g jar"),
                ("price", "120.000"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let edit_at = Instant::now();
    loop {
        if on_r2.get(query).await.body.contains("Mực rim ớt cụm") {
            break;
        }
        assert!(edit_at.elapsed() < Duration::from_secs(5), "replica 2's listing follows within the bound");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let seen_after = edit_at.elapsed();

    eprintln!(
        "cluster figures: {shoppers} orders placed once ({ordered} units held), {notifications} notifications \
         delivered {} times ({again} sent again after the kill), burst {:.1} s, replica 1 killed {:.1} s in and ready again after {:.1} s, \
         {} requests retried over a failover gap of {:.2} s, expiry job runs {runs} in {since_start:.1} s (replica 1 since its restart {r1_runs}, replica 2 {r2_runs}), \
         edit seen on the other replica after {:.2} s, search engine {}",
        delivered.len(),
        burst_took.as_secs_f64(),
        (killed_at - started).as_secs_f64(),
        back_after.as_secs_f64(),
        failures.len(),
        gap.as_secs_f64(),
        seen_after.as_secs_f64(),
        if meili.is_some() { "Meilisearch" } else { "tantivy (one index per replica)" },
    );
}
