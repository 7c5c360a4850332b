//! Till benchmark (run by `bench/pos.sh` against release binaries): sale commit latency at the till
//! next to a status read in the same run, the time to push 10,000 sales queued while the
//! marketplace was down, and the till's memory.
//!
//! Usage: bench_pos <server-bin> <shop-pos-bin> <work-dir> [offline-sales]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/support/mod.rs"]
mod support;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_http(http: &reqwest::Client, url: &str) {
    for _ in 0..1200 {
        if http.get(url).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer");
}

fn start_server(bin: &str, dir: &std::path::Path, port: u16) -> Child {
    Command::new(bin)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

struct Till {
    base: String,
    http: reqwest::Client,
    cookie: String,
}

impl Till {
    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
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
        let s = res.status().as_u16();
        let loc = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (s, loc)
    }

    /// One sale of one or two items for cash; the time of the commit (the pay request).
    async fn sale(&mut self, n: usize) -> f64 {
        for k in 0..=(n % 2) {
            let code = domain::seed_catalogue::barcode((n + k * 7) % 63);
            assert_eq!(self.post("/sell/scan", &[("code", &code)]).await.0, 303);
        }
        let t = Instant::now();
        let (s, _) = self.post("/sell/pay", &[("method", "cash"), ("tendered", "")]).await;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(s, 303);
        ms
    }

    async fn status(&self) -> serde_json::Value {
        self.http.get(format!("{}/status.json", self.base)).send().await.unwrap().json().await.unwrap()
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (server_bin, pos_bin, work) = (&args[1], &args[2], std::path::PathBuf::from(&args[3]));
    let offline: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sport = free_port();
    let market_dir = work.join("market");
    let mut server = start_server(server_bin, &market_dir, sport);
    wait_http(&http, &format!("http://127.0.0.1:{sport}/sync/v1/openapi.json")).await;

    let office =
        support::office_store(&format!("sqlite://{}?mode=rwc", market_dir.join("ocop.db").display()), &work).await;
    let code = support::office_pairing_codes(&office, "SR-BENCH", "Điểm bán", 1).await.remove(0);
    drop(office);

    let pport = free_port();
    let mut pos = Command::new(pos_bin)
        .env("POS_ADDR", format!("127.0.0.1:{pport}"))
        .env("POS_DATA_DIR", work.join("pos"))
        .env("POS_SYNC_SECONDS", "1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut till = Till { base: format!("http://127.0.0.1:{pport}"), http: http.clone(), cookie: String::new() };
    wait_http(&http, &format!("{}/status.json", till.base)).await;
    let server_url = format!("http://127.0.0.1:{sport}");
    let (s, _) = till
        .post(
            "/setup",
            &[
                ("mode", "pair"),
                ("manager_name", "Quản lý"),
                ("manager_pin", "2468"),
                ("server_url", &server_url),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(s, 303, "paired");
    assert_eq!(till.post("/signin", &[("staff_id", "1"), ("pin", "2468")]).await.0, 303);
    till.post("/shift/open", &[("float", "1000000")]).await;
    let rss_idle = rss_kb(pos.id(), "VmRSS:");

    // Baseline: reading the till's status (a few small queries, no write), same process, same run.
    let mut base = Vec::new();
    for _ in 0..2000 {
        let t = Instant::now();
        till.status().await;
        base.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let mut online = Vec::new();
    for n in 0..1000 {
        online.push(till.sale(n).await);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let started = Instant::now();
    let mut offline_ms = Vec::new();
    for n in 0..offline {
        offline_ms.push(till.sale(n).await);
    }
    let ring_up = started.elapsed().as_secs_f64();
    let queued = till.status().await["unsynced"].as_i64().unwrap();
    let rss_queued = rss_kb(pos.id(), "VmRSS:");

    let mut server = start_server(server_bin, &market_dir, sport);
    let back = Instant::now();
    // When the first entry of the queue got through: before it, the till was waiting out its backoff
    // (up to ten sync intervals) and the marketplace starting.
    let mut first_through = None;
    loop {
        let left = till.status().await["unsynced"].as_i64().unwrap_or(queued);
        if first_through.is_none() && left < queued {
            first_through = Some(back.elapsed().as_secs_f64());
        }
        if left == 0 {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(1800), "never caught up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let push = back.elapsed().as_secs_f64();
    let reconnect = first_through.unwrap_or(push);
    let hwm = rss_kb(pos.id(), "VmHWM:");
    let (b50, b99) = (pct(&mut base, 0.5), pct(&mut base, 0.99));
    let (o50, o99) = (pct(&mut online, 0.5), pct(&mut online, 0.99));
    let (f50, f99) = (pct(&mut offline_ms, 0.5), pct(&mut offline_ms, 0.99));
    println!("| measure | p50 | p99 |");
    println!("|---|---|---|");
    println!("| baseline: status read (2000) | {b50:.2} ms | {b99:.2} ms |");
    println!("| sale commit, online (1000) | {o50:.2} ms ({:.1}×) | {o99:.2} ms ({:.1}×) |", o50 / b50, o99 / b99);
    println!(
        "| sale commit, marketplace down ({offline}) | {f50:.2} ms ({:.1}×) | {f99:.2} ms ({:.1}×) |",
        f50 / b50,
        f99 / b99
    );
    println!();
    println!("- {offline} sales rung up offline in {ring_up:.1} s; {queued} entries queued");
    println!(
        "- pushing the queue once the marketplace was back (including its start-up): {push:.1} s, {:.0} sales/s",
        queued as f64 / push
    );
    println!(
        "- of which reconnecting (marketplace start-up, till backoff) {reconnect:.1} s, and sending from the first \
         push answered to the last {:.1} s ({:.0} sales/s)",
        push - reconnect,
        queued as f64 / (push - reconnect).max(0.001)
    );
    println!(
        "- till memory: {} MB resident after setup, {} MB with {queued} queued, peak {} MB",
        rss_idle / 1024,
        rss_queued / 1024,
        hwm / 1024
    );
    let _ = pos.kill();
    let _ = pos.wait();
    let _ = server.kill();
    let _ = server.wait();
}
