//! Real processes for the till's end-to-end tests: the marketplace binary (one, or several
//! replicas on one database) and `shop-pos` binaries, each on its own port and data directory, and
//! what the two sides stored, read straight from their databases.

use std::collections::{BTreeMap, HashMap};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, Statement};

/// A free port below Linux's ephemeral range (32768+). A port the system hands out for "any port"
/// can, while its process is down, become the source port of an outgoing connection to itself: the
/// TCP simultaneous open connects it to itself and a request waits for an answer that never comes.
pub fn free_port() -> u16 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let start = (std::process::id() as u64 * 7919 + NEXT.fetch_add(1, Ordering::SeqCst) * 131) % 12_000;
    (0..12_000)
        .map(|i| 20_000 + ((start + i * 131) % 12_000) as u16)
        .find(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port between 20000 and 32000")
}

pub fn server_bin() -> std::path::PathBuf {
    // Tests run from target/<profile>/deps; the marketplace binary sits one level up.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("server");
    assert!(bin.exists(), "build the marketplace first: cargo build -p server ({})", bin.display());
    bin
}

pub async fn wait_http(url: &str, secs: u64) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
    for _ in 0..secs * 10 {
        if http.get(url).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer in {secs} s");
}

/// Each process's errors, appended across restarts, kept beside its data for a failed run.
pub fn log_file(dir: &std::path::Path, name: &str) -> Stdio {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::OpenOptions::new().create(true).append(true).open(dir.join(name)).unwrap().into()
}

pub struct Market {
    pub port: u16,
    pub dir: std::path::PathBuf,
    pub db_url: String,
    pub child: Option<Child>,
}

impl Market {
    pub fn new(port: u16, dir: std::path::PathBuf, db_url: &str) -> Market {
        Market { port, dir, db_url: db_url.to_string(), child: None }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub async fn start(&mut self) {
        let child = Command::new(server_bin())
            .env("BIND_ADDR", format!("127.0.0.1:{}", self.port))
            .env("DATA_DIR", &self.dir)
            .env("DATABASE_URL", &self.db_url)
            .env("VIETQR_BANK_BIN", "970436")
            .env("VIETQR_ACCOUNT", "0071000123456")
            .env("VIETQR_ACCOUNT_NAME", "HTX OCOP BINH THUAN")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log_file(&self.dir, "market.log"))
            .spawn()
            .unwrap();
        self.child = Some(child);
        wait_http(&format!("http://127.0.0.1:{}/sync/v1/openapi.json", self.port), 120).await;
    }

    /// Until `/readyz` says the database answers: what a balancer waits for before sending traffic.
    pub async fn wait_ready(&self) {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().unwrap();
        for _ in 0..600 {
            if let Ok(r) = http.get(format!("{}/readyz", self.base())).send().await
                && r.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} never became ready", self.base());
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, as systemd stops a unit, and wait for the process to finish what it had started.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("a running marketplace");
        let sent = Command::new("kill").args(["-TERM", &c.id().to_string()]).status().unwrap();
        assert!(sent.success());
        c.wait().unwrap()
    }
}

impl Drop for Market {
    fn drop(&mut self) {
        self.kill();
    }
}

pub struct Till {
    pub port: u16,
    pub dir: std::path::PathBuf,
    /// The marketplace address the till is paired with.
    pub proxy: String,
    pub child: Option<Child>,
    http: reqwest::Client,
    cookie: String,
    /// The manager who approves refunds (signed in with the same PIN).
    manager_id: String,
}

impl Drop for Till {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Till {
    /// A till that will be paired with the marketplace at `server_url`.
    pub fn new(port: u16, dir: std::path::PathBuf, server_url: &str) -> Till {
        Till {
            port,
            dir,
            proxy: server_url.to_string(),
            child: None,
            // A till that stops answering fails the run with its request named, never hangs it.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            cookie: String::new(),
            manager_id: String::new(),
        }
    }

    pub async fn start(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_shop-pos"))
            .env("POS_ADDR", format!("127.0.0.1:{}", self.port))
            .env("POS_DATA_DIR", &self.dir)
            .env("POS_SYNC_SECONDS", "0.3")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(log_file(&self.dir, "till.log"))
            .spawn()
            .unwrap();
        self.child = Some(child);
        wait_http(&format!("http://127.0.0.1:{}/status.json", self.port), 30).await;
    }
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
        let res = self
            .http
            .post(format!("http://127.0.0.1:{}{path}", self.port))
            .header("cookie", &self.cookie)
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap();
        if let Some(c) = res.headers().get("set-cookie").and_then(|v| v.to_str().ok())
            && c.starts_with("pos_sid=")
        {
            self.cookie = c.split(';').next().unwrap().to_string();
        }
        let status = res.status().as_u16();
        let loc = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (status, loc, res.text().await.unwrap())
    }
    /// A page as the signed-in cashier sees it.
    pub async fn page(&self, path: &str) -> String {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        self.http.get(url).header("cookie", &self.cookie).send().await.unwrap().text().await.unwrap()
    }

    pub async fn status(&self) -> serde_json::Value {
        let url = format!("http://127.0.0.1:{}/status.json", self.port);
        self.http.get(url).send().await.unwrap().json().await.unwrap()
    }
    pub async fn set_up(&mut self, code: &str) {
        let proxy = self.proxy.clone();
        let (s, loc, body) = self
            .post(
                "/setup",
                &[
                    ("mode", "pair"),
                    ("manager_name", "Quản lý"),
                    ("manager_pin", "2468"),
                    ("server_url", &proxy),
                    ("code", code),
                ],
            )
            .await;
        assert_eq!((s, loc.as_str()), (303, "/signin"), "pairing: {body}");
        let page =
            self.http.get(format!("http://127.0.0.1:{}/signin", self.port)).send().await.unwrap().text().await.unwrap();
        let id = page.split("<option value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let (s, _, body) = self.post("/signin", &[("staff_id", &id), ("pin", "2468")]).await;
        assert_eq!(s, 303, "{body}");
        self.manager_id = id;
        self.post("/shift/open", &[("float", "1000000")]).await;
    }

    /// One unit of the first line of a sale that still has units to give back, reviewed and approved
    /// by the manager; false when nothing of the sale is left to refund.
    pub async fn refund_one(&mut self, no: &str) -> bool {
        let page = self
            .http
            .get(format!("http://127.0.0.1:{}/refund?no={no}", self.port))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Lines with nothing left are shown disabled.
        let Some(line) = page
            .split("name=\"qty_")
            .skip(1)
            .find(|s| !s.split('>').next().unwrap().contains("disabled"))
            .map(|s| s.split('"').next().unwrap().to_string())
        else {
            return false;
        };
        let qty = format!("qty_{line}");
        let (s, _, review) = self.post("/refund", &[("receipt_no", no), (&qty, "1"), ("method", "cash")]).await;
        assert_eq!(s, 200, "{review}");
        let id = review.split("name=\"refund_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let manager = self.manager_id.clone();
        let form = [
            ("receipt_no", no),
            (qty.as_str(), "1"),
            ("method", "cash"),
            ("refund_id", &id),
            ("manager_id", &manager),
            ("pin", "2468"),
        ];
        let (s, loc, body) = self.post("/refund", &form).await;
        assert_eq!(s, 303, "{body}");
        // Confirming again (a double press) is the same refund.
        let (s, again, _) = self.post("/refund", &form).await;
        assert_eq!((s, again), (303, loc));
        true
    }
}

/// A fresh database: a SQLite file in `dir`, or with `TEST_DATABASE_URL` a PostgreSQL database
/// named for the test (`tag`) and this process.
pub async fn database_url(dir: &std::path::Path, tag: &str) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        None => format!("sqlite://{}?mode=rwc", dir.join("ocop.db").display()),
        Some(admin_url) => {
            let name = format!("ocop_{tag}{}", std::process::id());
            let admin = Database::connect(&admin_url).await.unwrap();
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0)
        }
    }
}

/// Drops the database `database_url` made on PostgreSQL; nothing on SQLite (the file goes with its directory).
pub async fn drop_database(db_url: &str) {
    if let Some(admin) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        let admin = Database::connect(&admin).await.unwrap();
        let name = db_url.rsplit('/').next().unwrap();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Facts {
    total: i64,
    payments: Vec<(String, i64, bool)>,
    /// SKU → units, negative for sales.
    units: BTreeMap<String, i64>,
}

pub async fn till_sales(dir: &std::path::Path) -> HashMap<String, Facts> {
    let db = Database::connect(format!("sqlite://{}?mode=ro", dir.join("pos.db").display())).await.unwrap();
    let parts: HashMap<String, Vec<(String, i64)>> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT sku, parts FROM items WHERE parts IS NOT NULL",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let p: String = r.try_get("", "parts").unwrap();
            let list = p
                .split_whitespace()
                .map(|x| {
                    let (sku, n) = x.rsplit_once('*').unwrap();
                    (sku.to_string(), n.parse().unwrap())
                })
                .collect();
            (r.try_get("", "sku").unwrap(), list)
        })
        .collect();
    let rows =
        db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT payload FROM sales")).await.unwrap();
    let mut out = HashMap::new();
    for r in rows {
        let s: domain::sale::Sale = serde_json::from_str(&r.try_get::<String>("", "payload").unwrap()).unwrap();
        let sign = if s.kind == domain::sale::SaleKind::Refund { 1 } else { -1 };
        let mut f = Facts { total: s.total, ..Default::default() };
        let mut p: Vec<_> = s.payments.iter().map(|p| (p.method.code().to_string(), p.amount, p.confirmed)).collect();
        p.sort();
        f.payments = p;
        for l in &s.lines {
            match parts.get(&l.sku) {
                Some(list) => {
                    for (sku, n) in list {
                        *f.units.entry(sku.clone()).or_default() += sign * n * l.qty as i64;
                    }
                }
                None => *f.units.entry(l.sku.clone()).or_default() += sign * l.qty as i64,
            }
        }
        out.insert(s.id, f);
    }
    db.close().await.unwrap();
    out
}

/// The batch each line of a till's sales carried: (sale id, or the sale a refund refunds; SKU;
/// batch) → units taken (negative when given back).
pub async fn till_batches(dir: &std::path::Path) -> HashMap<(String, String, String), i64> {
    let db = Database::connect(format!("sqlite://{}?mode=ro", dir.join("pos.db").display())).await.unwrap();
    let rows =
        db.query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT payload FROM sales")).await.unwrap();
    let mut out = HashMap::new();
    for r in rows {
        let s: domain::sale::Sale = serde_json::from_str(&r.try_get::<String>("", "payload").unwrap()).unwrap();
        let (key, sign) = match &s.refund_of {
            Some(of) if s.kind == domain::sale::SaleKind::Refund => (of.clone(), -1),
            _ => (s.id.clone(), 1),
        };
        for l in &s.lines {
            if let Some(b) = &l.batch {
                *out.entry((key.clone(), l.sku.clone(), b.clone())).or_default() += sign * l.qty as i64;
            }
        }
    }
    db.close().await.unwrap();
    out
}

pub async fn market_sales(db_url: &str) -> (HashMap<String, Facts>, i64) {
    let db = Database::connect(db_url).await.unwrap();
    let b = db.get_database_backend();
    let q = |sql: &str| Statement::from_string(b, sql.to_string());
    let mut out: HashMap<String, Facts> = HashMap::new();
    for r in db.query_all_raw(q("SELECT id, total FROM pos_sales")).await.unwrap() {
        out.insert(
            r.try_get("", "id").unwrap(),
            Facts { total: r.try_get("", "total").unwrap(), ..Default::default() },
        );
    }
    for r in db.query_all_raw(q("SELECT sale_id, method, amount, confirmed FROM pos_payments")).await.unwrap() {
        let id: String = r.try_get("", "sale_id").unwrap();
        out.get_mut(&id).unwrap().payments.push((
            r.try_get("", "method").unwrap(),
            r.try_get("", "amount").unwrap(),
            r.try_get("", "confirmed").unwrap(),
        ));
    }
    for f in out.values_mut() {
        f.payments.sort();
    }
    let moves = db
        .query_all_raw(q(
            "SELECT m.reference, v.sku, m.qty_delta FROM stock_movements m JOIN variants v ON v.id = m.variant_id \
             WHERE m.reason IN ('showroom_sale', 'showroom_refund')",
        ))
        .await
        .unwrap();
    let n = moves.len() as i64;
    for r in moves {
        let id: String = r.try_get("", "reference").unwrap();
        let sku: String = r.try_get("", "sku").unwrap();
        *out.get_mut(&id).unwrap().units.entry(sku).or_default() += r.try_get::<i64>("", "qty_delta").unwrap();
    }
    db.close().await.unwrap();
    (out, n)
}

/// On a failed run, the end of every process's error log (one directory per process), before the directory goes.
pub struct LogsOnFailure(pub std::path::PathBuf);
impl Drop for LogsOnFailure {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let mut subs: Vec<_> = std::fs::read_dir(&self.0)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        subs.sort();
        for sub in subs {
            for name in ["market.log", "till.log"] {
                if let Ok(text) = std::fs::read_to_string(self.0.join(&sub).join(name)) {
                    let lines: Vec<_> = text.lines().collect();
                    eprintln!("--- {sub}/{name} (last 40 lines)");
                    for l in &lines[lines.len().saturating_sub(40)..] {
                        eprintln!("{l}");
                    }
                }
            }
        }
    }
}
