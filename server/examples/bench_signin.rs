//! Sign-in storm: 200 clients sending wrong passwords as fast as they are answered, against the
//! release server binary (SQLite), while one honest person signs in every 250 ms. Reports the
//! server's resident memory before, at its peak and a minute after, and the honest sign-in's
//! latency next to the same sign-in measured on the idle server in the same run (the baseline).
//!
//! Two storms: from one machine (200 connections, one address) and from 200 addresses (a botnet).
//! Every storm account is real, so each one's first five wrong passwords are really checked
//! (Argon2id, 19 MiB each) before its lockout answers without hashing.
//!
//! `bench_signin <server binary> <data dir> [seconds per storm]`

use std::net::IpAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CLIENTS: usize = 200;
const PASSWORD: &str = "mat-khau-dung-2026";

fn rss_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn client(from: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(60));
    if let Some(a) = from {
        b = b.local_address(a.parse::<IpAddr>().unwrap());
    }
    b.build().unwrap()
}

async fn sign_in(http: &reqwest::Client, base: &str, login: &str, password: &str) -> u16 {
    sign_in_with(http, base, login, password, "").await.0
}

/// A sign-in sending `cookie`; the status and the device cookie set, if any.
async fn sign_in_with(http: &reqwest::Client, base: &str, login: &str, password: &str, cookie: &str) -> (u16, String) {
    let res = http
        .post(format!("{base}/account/sign-in"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(format!("login={}&password={password}", login.replace('@', "%40")))
        .send()
        .await;
    match res {
        Ok(r) => {
            let s = r.status().as_u16();
            let device = r
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with("dev="))
                .map(|c| c.split(';').next().unwrap().to_string())
                .unwrap_or_default();
            let _ = r.bytes().await;
            (s, device)
        }
        Err(_) => (0, String::new()),
    }
}

struct Honest {
    latencies: Vec<Duration>,
    statuses: Vec<u16>,
}

/// The honest person signs in every 250 ms until `until`, from the browser they signed in with
/// before (its device cookie).
async fn honest(base: String, until: Instant, device: String, from: &'static str) -> Honest {
    let http = client(Some(from));
    let mut h = Honest { latencies: Vec::new(), statuses: Vec::new() };
    while Instant::now() < until {
        let t = Instant::now();
        let s = sign_in_with(&http, &base, "honest@bench.vn", PASSWORD, &device).await.0;
        h.latencies.push(t.elapsed());
        h.statuses.push(s);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    h.latencies.sort();
    h
}

fn count(statuses: &[u16], s: u16) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

async fn storm(base: &str, pid: u32, accounts: &str, distinct_sources: bool, secs: u64, device: &str) -> String {
    let until = Instant::now() + Duration::from_secs(secs);
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        while Instant::now() < until + Duration::from_secs(1) {
            peak = peak.max(rss_kib(pid, "VmRSS:"));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        peak
    });
    let known = tokio::spawn(honest(base.to_string(), until, device.to_string(), "127.0.9.9"));
    // The same person on a browser they never signed in from.
    let new = tokio::spawn(honest(base.to_string(), until, String::new(), "127.0.9.10"));
    let one = client(None);
    let mut workers = Vec::new();
    for i in 0..CLIENTS {
        let http = if distinct_sources {
            client(Some(&format!("127.0.{}.{}", 10 + i / 250, 1 + i % 250)))
        } else {
            one.clone()
        };
        let (base, login) = (base.to_string(), format!("{accounts}{i}@bench.vn"));
        workers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            while Instant::now() < until {
                statuses.push(sign_in(&http, &base, &login, "sai-mat-khau-day").await);
            }
            statuses
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let (known, new) = (known.await.unwrap(), new.await.unwrap());
    let peak = sampler.await.unwrap();
    let honest = |h: &Honest| {
        format!(
            "{} of {} signed in, p50 {:.1} ms, p99 {:.1} ms{}",
            count(&h.statuses, 303),
            h.statuses.len(),
            percentile(&h.latencies, 0.5),
            percentile(&h.latencies, 0.99),
            match h.statuses.len() - count(&h.statuses, 303) {
                0 => String::new(),
                n => format!(", {n} told to retry ({} busy)", count(&h.statuses, 503)),
            }
        )
    };
    format!(
        "| {} | {} | {} checked (401), {} refused unchecked (429: lockout or per-source), {} busy (503), {} failed | {:.0} MiB | {} | {} |",
        if distinct_sources { "200 addresses" } else { "one address" },
        all.len(),
        count(&all, 401),
        count(&all, 429),
        count(&all, 503),
        count(&all, 0),
        mib(peak),
        honest(&known),
        honest(&new),
    )
}

fn spawn(bin: &str, dir: &std::path::Path, port: u16, metrics: u16) -> Child {
    Command::new(bin)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("METRICS_ADDR", format!("127.0.0.1:{metrics}"))
        .env("DATA_DIR", dir)
        .env("DATABASE_URL", "")
        .env("RUST_LOG", "warn")
        .env("JOBS_SECS", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server binary")
}

/// jemalloc's figures from `/metrics`, in MiB: live, in used pages, resident.
async fn allocator(metrics: &str) -> (f64, f64, f64) {
    let text = reqwest::get(format!("{metrics}/metrics")).await.unwrap().text().await.unwrap();
    let read = |what: &str| {
        let key = format!("allocator_bytes{{figure=\"{what}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&key))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map_or(f64::NAN, |b| b / 1048576.0)
    };
    (read("allocated"), read("active"), read("resident"))
}

async fn wait_up(base: &str) {
    for _ in 0..600 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bin = args.first().expect("server binary").clone();
    let dir = std::path::PathBuf::from(args.get(1).expect("data dir"));
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(30);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    // The accounts: made once through the store (migrated and seeded), then the server starts on them.
    {
        let store = store::Store::open(&store::StoreConfig {
            database_url: format!("sqlite://{}?mode=rwc", dir.join("ocop.db").display()),
            search_dir: dir.join("search"),
            meili_url: None,
            meili_key: None,
            meili_index: "products".into(),
            today_override: None,
            seed: true,
            commerce: Default::default(),
        })
        .await
        .unwrap();
        let hash = store::accounts::hash_password(PASSWORD).await.unwrap();
        let mut logins = vec!["honest@bench.vn".to_string()];
        for prefix in ["one", "many"] {
            logins.extend((0..CLIENTS).map(|i| format!("{prefix}{i}@bench.vn")));
        }
        use sea_orm::ConnectionTrait;
        for login in logins {
            store
                .db
                .execute_raw(store::sql::stmt(
                    store.db.get_database_backend(),
                    "INSERT INTO users (email, name, password_hash, role, disabled, created_at, updated_at) VALUES (?, ?, ?, 'shopper', false, ?, ?)",
                    vec![login.clone().into(), "Khách thử tải".into(), hash.clone().into(), chrono::Utc::now().into(), chrono::Utc::now().into()],
                ))
                .await
                .unwrap();
        }
    }

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let metrics = format!("http://127.0.0.1:{metrics_port}");
    let mut child = spawn(&bin, &dir, port, metrics_port);
    wait_up(&base).await;
    let pid = child.id();
    // Warm: pages rendered, one sign-in, then a rest.
    let warm = client(Some("127.0.9.9"));
    for path in ["/", "/products", "/account/sign-in"] {
        let _ = warm.get(format!("{base}{path}")).send().await.unwrap().bytes().await;
    }
    let (status, device) = sign_in_with(&warm, &base, "honest@bench.vn", PASSWORD, "").await;
    assert_eq!((status, device.starts_with("dev=")), (303, true), "signed in, the browser remembered");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let start = rss_kib(pid, "VmRSS:");
    let start_split = (rss_kib(pid, "RssAnon:"), rss_kib(pid, "RssFile:"));
    let start_alloc = allocator(&metrics).await;
    // Baseline: the same honest sign-in on the idle server.
    let mut idle = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        assert_eq!(sign_in_with(&warm, &base, "honest@bench.vn", PASSWORD, &device).await.0, 303);
        idle.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    idle.sort();

    println!("# Sign-in storm\n");
    println!(
        "Release server on SQLite, {} cores; {CLIENTS} clients each sending wrong passwords for an account of its own for {secs} s, \
         one honest person signing in every 250 ms from another address, from the browser they signed in with before. \
         Resident memory read from /proc.\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
    );
    println!(
        "Idle baseline (same run): honest sign-in p50 {:.1} ms, p99 {:.1} ms. Server memory after warm-up: {:.0} MiB.\n",
        percentile(&idle, 0.5),
        percentile(&idle, 0.99),
        mib(start)
    );
    println!("| storm from | sign-ins sent | answers | peak RSS | honest, known browser | honest, new browser |");
    println!("|---|---|---|---|---|---|");
    println!("{}", storm(&base, pid, "one", false, secs, &device).await);
    println!("{}", storm(&base, pid, "many", true, secs, &device).await);
    tokio::time::sleep(Duration::from_secs(60)).await;
    let after = rss_kib(pid, "VmRSS:");
    let after_split = (rss_kib(pid, "RssAnon:"), rss_kib(pid, "RssFile:"));
    let after_alloc = allocator(&metrics).await;
    let hwm = rss_kib(pid, "VmHWM:");
    println!(
        "\nMemory: {:.0} MiB after warm-up, peak {:.0} MiB (VmHWM), {:.0} MiB a minute after the storms ({:+.0}% of the start).",
        mib(start),
        mib(hwm),
        mib(after),
        (after as f64 / start as f64 - 1.0) * 100.0
    );
    // Heap against mapped files (the binary's code among them: the storm runs paths the warm-up does not).
    println!(
        "Of which heap {:.0} → {:.0} MiB, mapped files {:.0} → {:.0} MiB.",
        mib(start_split.0),
        mib(after_split.0),
        mib(start_split.1),
        mib(after_split.1)
    );
    // The heap told apart: what the program still holds, against what the allocator keeps.
    println!(
        "jemalloc: live {:.1} → {:.1} MiB, in used pages {:.1} → {:.1} MiB, resident {:.1} → {:.1} MiB.",
        start_alloc.0, after_alloc.0, start_alloc.1, after_alloc.1, start_alloc.2, after_alloc.2
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
