//! The till keeps selling through the marketplace's rolling restart. Two marketplace replicas on
//! one PostgreSQL database behind HAProxy (`deploy/haproxy.cfg`), a till paired through the
//! balancer. Each replica in turn is stopped with SIGTERM, as systemd stops a unit, and started
//! again while the till rings up sales and a price is changed: every sale completes at the counter,
//! reaches the marketplace once with its payments and stock, the till's backlog drains, and the
//! new price reaches the till while a replica is down. Needs `TEST_DATABASE_URL` and `haproxy`;
//! `REQUIRE_CLUSTER=1` (CI) makes a missing `haproxy` a failure.

mod support;
// Real processes, for the tests that start them (the benchmarks include `support` but not these).
#[path = "support/procs.rs"]
#[allow(dead_code)]
mod procs;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use procs::*;
use sea_orm::ConnectionTrait;
use support::temp_dir;

/// The price the till holds for a SKU, read from its own database.
async fn till_price(dir: &std::path::Path, sku: &str) -> Option<i64> {
    use sea_orm::Database;
    let db = Database::connect(format!("sqlite://{}?mode=ro", dir.join("pos.db").display())).await.ok()?;
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Sqlite,
            "SELECT price FROM items WHERE sku = ?",
            [sku.into()],
        ))
        .await
        .ok()??;
    let price = row.try_get::<i64>("", "price").ok();
    db.close().await.ok();
    price
}

struct Balancer(std::process::Child);
impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_till_keeps_selling_and_syncing_through_a_rolling_restart() {
    if std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()).is_none() {
        eprintln!("skipped: replicas share a PostgreSQL database (TEST_DATABASE_URL)");
        return;
    }
    if Command::new("haproxy").arg("-v").stdout(Stdio::null()).status().is_err() {
        assert!(std::env::var("REQUIRE_CLUSTER").is_err(), "REQUIRE_CLUSTER: haproxy is needed");
        eprintln!("skipped: haproxy is needed");
        return;
    }
    let dir = temp_dir("rolling");
    let _logs = LogsOnFailure(dir.0.clone());
    let db_url = database_url(&dir.0, "rolling").await;
    let mut replicas =
        [Market::new(free_port(), dir.0.join("r1"), &db_url), Market::new(free_port(), dir.0.join("r2"), &db_url)];
    for r in replicas.iter_mut() {
        r.start().await;
        r.wait_ready().await;
    }
    let lb_port = free_port();
    let _lb = Balancer(
        Command::new("haproxy")
            .args(["-db", "-f", concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/haproxy.cfg")])
            .env("OCOP_LISTEN", format!("127.0.0.1:{lb_port}"))
            .env("OCOP_REPLICA1", format!("127.0.0.1:{}", replicas[0].port))
            .env("OCOP_REPLICA2", format!("127.0.0.1:{}", replicas[1].port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("haproxy starts"),
    );
    let lb = format!("http://127.0.0.1:{lb_port}");
    let ready = Market::new(lb_port, dir.0.join("lb"), &db_url);
    ready.wait_ready().await;

    let office = support::office_store(&db_url, &dir.0).await;
    let code = support::office_pairing_codes(&office, "SR-ROLL", "Điểm bán Mũi Né", 1).await.remove(0);
    let till_dir = dir.0.join("till");
    let mut till = Till::new(free_port(), till_dir.clone(), &lb);
    till.start().await;
    till.set_up(&code).await;

    // The roll: each replica stopped, down for a moment (the till's pushes and pulls go to the other
    // one), started, and back in the balancer before the next one goes. While the second is down,
    // the price of the first catalogue item changes.
    let rolled = AtomicBool::new(false);
    let roll = async {
        let started = Instant::now();
        let mut stops = Vec::new();
        for (i, r) in replicas.iter_mut().enumerate() {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let t = Instant::now();
            let status = r.stop();
            assert!(status.success(), "replica {} stopped on SIGTERM with {status}", i + 1);
            stops.push(t.elapsed());
            if i == 1 {
                office
                    .db
                    .execute_unprepared(
                        "UPDATE variants SET price_vnd = 99000 WHERE sku = 'BT0001-01'; \
                         UPDATE products SET updated_at = NOW() + INTERVAL '1 second' \
                         WHERE id = (SELECT product_id FROM variants WHERE sku = 'BT0001-01')",
                    )
                    .await
                    .unwrap();
                // The till pulls it through the replica still running.
                let mut pulled = false;
                for _ in 0..150 {
                    if till_price(&till_dir, "BT0001-01").await == Some(99_000) {
                        pulled = true;
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                assert!(pulled, "the price changed while replica 2 was down never reached the till");
            } else {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            r.start().await;
            r.wait_ready().await;
            // Two health checks 500 ms apart put it back in rotation.
            tokio::time::sleep(Duration::from_millis(1500)).await;
        }
        rolled.store(true, Ordering::SeqCst);
        (started.elapsed(), stops)
    };

    // The counter: a sale every ~150 ms until the roll is over and a little after.
    let sell = async {
        let mut receipts = Vec::new();
        let (mut most_behind, mut offline_seen) = (0i64, 0);
        let mut after = None::<Instant>;
        loop {
            let n = receipts.len();
            let code = domain::seed_catalogue::barcode(1 + n % 40);
            let (s, _, body) = till.post("/sell/scan", &[("code", &code)]).await;
            assert_eq!(s, 303, "scan {code}: {body}");
            let (s, loc, body) = if n % 3 == 0 {
                till.post(
                    "/sell/pay",
                    &[("method", "confirm"), ("transfer", "10000"), ("tendered", ""), ("confirmed", "1")],
                )
                .await
            } else {
                till.post("/sell/pay", &[("method", "cash"), ("tendered", "")]).await
            };
            assert_eq!(s, 303, "sale {n} during the roll: {body}");
            receipts.push(loc);
            let st = till.status().await;
            let unsynced = st["unsynced"].as_i64().unwrap();
            most_behind = most_behind.max(unsynced);
            if st["online"] != true {
                offline_seen += 1;
            }
            if rolled.load(Ordering::SeqCst) {
                let a = *after.get_or_insert_with(Instant::now);
                if a.elapsed() > Duration::from_secs(2) {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        (receipts.len(), most_behind, offline_seen)
    };
    let ((roll_took, stops), (sold, most_behind, offline_seen)) = tokio::join!(roll, sell);

    // The backlog drains through the restarted replicas, nothing refused.
    let mut waited = 0;
    let status = loop {
        let s = till.status().await;
        if s["unsynced"] == 0 {
            break s;
        }
        waited += 1;
        assert!(waited < 300, "the till never caught up after the roll: {s}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status["rejected"], 0, "no sale refused: {status}");
    assert_eq!(status["online"], true, "{status}");

    // What the cashier sees: the new price on the till's screen.
    assert!(till.page("/sell?q=rong+nho+tuoi").await.contains("99.000 ₫"), "the new price on the till's screen");

    tokio::time::sleep(Duration::from_secs(1)).await;
    till.kill();
    for r in replicas.iter_mut() {
        r.kill();
    }
    let expected = till_sales(&till.dir).await;
    let (got, movements) = market_sales(&db_url).await;
    println!(
        "rolling restart: {sold} sales rung up over {:.1} s of roll; replicas stopped in {:?}; \
         at most {most_behind} sales waiting at the till after a sale, the till offline in {offline_seen} of its readings; \
         marketplace holds {} sales with {movements} stock movements",
        roll_took.as_secs_f64(),
        stops,
        got.len(),
    );
    // Stopped gracefully and taken out of rotation by the balancer, a replica going away is never a
    // failed push: the till never shows the cashier it is offline.
    assert_eq!(offline_seen, 0, "the till saw itself offline during the roll");
    assert_eq!(expected.len(), sold, "every sale stored at the till");
    assert_eq!(got.len(), sold, "every sale on the marketplace, once");
    for (id, want) in &expected {
        assert_eq!(got.get(id), Some(want), "sale {id} on the marketplace as the till rang it up");
    }
    drop(office);
    drop_database(&db_url).await;
}
