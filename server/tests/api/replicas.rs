//! Several replicas on one database: each notification sent once, each job run once per period,
//! an edit through one replica reaching the other's cached pages within the sync interval, and the
//! operator's endpoints (readiness, metrics, request ids).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::json;
use server::jobs::{Job, Mailer};

use crate::shopper::{scalar, scalar_text};
use crate::support::{TestApp, spawn};

async fn queue_notifications(app: &TestApp, n: usize) {
    for i in 0..n {
        store::entity::notification::ActiveModel {
            recipient: Set(format!("khach{i}@example.vn")),
            subject: Set(format!("Đơn hàng số {i}")),
            body: Set("Cảm ơn bạn / Thank you".into()),
            status: Set("pending".into()),
            attempts: Set(0),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.state.store.db)
        .await
        .unwrap();
    }
}

/// The messages a directory mailer wrote, by file name (`{id}.eml`).
fn sent_files(dir: &std::path::Path) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return HashSet::new() };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect()
}

async fn drain(app: &TestApp, mailer: &Mailer) -> usize {
    let mut sent = 0;
    loop {
        let n = server::jobs::deliver_outbox(&app.state.store, mailer).await.unwrap();
        if n == 0 {
            return sent;
        }
        sent += n;
    }
}

#[tokio::test]
async fn two_replicas_send_each_notification_once_even_when_one_dies_holding_some() {
    let a = spawn().await;
    let b = a.replica().await;
    queue_notifications(&a, 230).await;
    let (dir_a, dir_b) = (a.dir.join("sent"), b.dir.join("sent"));
    let (mail_a, mail_b) = (Mailer::Dir(dir_a.clone()), Mailer::Dir(dir_b.clone()));
    let (sent_a, sent_b) = tokio::join!(drain(&a, &mail_a), drain(&b, &mail_b));
    let (files_a, files_b) = (sent_files(&dir_a), sent_files(&dir_b));
    assert_eq!(sent_a + sent_b, 230, "every message sent ({sent_a} + {sent_b})");
    assert_eq!(files_a.len() + files_b.len(), 230);
    assert!(files_a.is_disjoint(&files_b), "no message sent by both replicas");
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM notifications WHERE status = 'sent'").await, 230);

    // A replica claims messages and dies before sending: the other leaves them while the claim
    // holds, and sends them once it has lapsed.
    queue_notifications(&a, 5).await;
    let taken = store::outbox::claim(&a.state.store, 100, chrono::Utc::now()).await.unwrap();
    assert_eq!(taken.len(), 5);
    assert_eq!(drain(&b, &mail_b).await, 0, "claimed messages are not taken by another replica");
    a.state
        .store
        .db
        .execute_unprepared(
            "UPDATE notifications SET claimed_until = '2000-01-01 00:00:00+00:00' WHERE status = 'pending'",
        )
        .await
        .unwrap();
    assert_eq!(drain(&b, &mail_b).await, 5, "a lapsed claim is taken over");
    assert_eq!(sent_files(&dir_a).len() + sent_files(&dir_b).len(), 235);
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM notifications WHERE status <> 'sent'").await, 0);
}

#[tokio::test]
async fn each_job_runs_once_per_period_whichever_replica_gets_there_and_a_dead_holder_lapses() {
    let a = spawn().await;
    let b = a.replica().await;
    let every = Duration::from_secs(3600);
    let (ran_a, ran_b) =
        tokio::join!(server::jobs::run_due(&a.state.store, every), server::jobs::run_due(&b.state.store, every));
    let mut all: Vec<Job> = ran_a.iter().chain(&ran_b).copied().collect();
    all.sort_by_key(|j| j.name());
    let mut expected = Job::ALL.to_vec();
    expected.sort_by_key(|j| j.name());
    assert_eq!(all, expected, "each job once between the two (a ran {ran_a:?}, b ran {ran_b:?})");
    // Not due again within the period, on either replica.
    assert!(server::jobs::run_due(&a.state.store, every).await.is_empty());
    assert!(server::jobs::run_due(&b.state.store, every).await.is_empty());
    let records = store::leases::all(&a.state.store.db).await.unwrap();
    assert_eq!(records.len(), Job::ALL.len());
    assert!(records.iter().all(|r| r.runs == 1 && r.finished_at.is_some() && r.lag(chrono::Utc::now()).is_zero()));

    // A replica took the expiry job and was killed: nobody runs it while its lease holds, the
    // metrics show it late, and another replica runs it when the lease has lapsed.
    let db = &a.state.store.db;
    let now = chrono::Utc::now();
    let sql = |lease: chrono::DateTime<chrono::Utc>| {
        store::sql::stmt(
            db.get_database_backend(),
            "UPDATE job_leases SET holder = 'dead-replica', lease_until = ?, next_run_at = ? WHERE name = 'expire_unpaid'",
            vec![lease.into(), (now - chrono::Duration::minutes(3)).into()],
        )
    };
    db.execute_raw(sql(now + chrono::Duration::minutes(2))).await.unwrap();
    assert!(server::jobs::run_due(&b.state.store, every).await.is_empty(), "a held lease is respected");
    let late = store::leases::all(db).await.unwrap().into_iter().find(|r| r.name == "expire_unpaid").unwrap();
    assert!(late.lag(chrono::Utc::now()) >= chrono::Duration::minutes(3), "lag shows the late job");
    db.execute_raw(sql(now - chrono::Duration::seconds(1))).await.unwrap();
    assert_eq!(server::jobs::run_due(&b.state.store, every).await, vec![Job::ExpireUnpaid]);
    let record = store::leases::all(db).await.unwrap().into_iter().find(|r| r.name == "expire_unpaid").unwrap();
    assert_eq!(record.runs, 2);
    assert_eq!(record.holder.as_deref(), Some(store::leases::holder()));
}

async fn page_shows(app: &TestApp, path: &str, text: &str) -> bool {
    let (status, html) = app.get(path).await;
    assert_eq!(status, 200, "{path}");
    html.contains(text)
}

#[tokio::test]
async fn an_edit_through_one_replica_reaches_the_others_cached_pages_within_the_sync_interval() {
    let a = spawn().await;
    let b = a.replica().await;
    let slugs: Vec<String> = {
        let rows = a
            .state
            .store
            .db
            .query_all_raw(store::sql::stmt(
                a.state.store.db.get_database_backend(),
                "SELECT slug FROM products WHERE status = 'active' ORDER BY id LIMIT 2",
                vec![],
            ))
            .await
            .unwrap();
        rows.iter().map(|r| r.try_get::<String>("", "slug").unwrap()).collect()
    };
    let (first, second) = (format!("/products/{}", slugs[0]), format!("/products/{}", slugs[1]));
    // B has both pages and the listing in its cache.
    for path in [&first, &second, &"/products".to_string()] {
        b.get(path).await;
    }
    // B syncs as its background task does (every SEARCH_SYNC_SECS, here each 300 ms).
    server::router::spawn_index_sync(b.state.store.clone(), Duration::from_millis(300));
    let edited = "Tên sửa qua bản sao A";
    a.edit_product(&slugs[0], |p| p.name_vi = Set(edited.into())).await;
    assert!(page_shows(&a, &first, edited).await, "the replica that edited shows it at once");
    let clock = Instant::now();
    while !page_shows(&b, &first, edited).await {
        assert!(clock.elapsed() < Duration::from_secs(5), "the other replica's cached page follows within the bound");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, found) = b.json("/api/v1/products?q=s%E1%BB%ADa+qua+b%E1%BA%A3n+sao").await;
    assert!(found.to_string().contains(edited), "and its search index: {found}");

    // An edit whose transaction committed late, stamped before what B has already indexed: B's
    // look-back still finds it.
    let late = "Tên cam kết muộn Zyxwv";
    let stamp = chrono::Utc::now() - chrono::Duration::seconds(30);
    let db = &a.state.store.db;
    db.execute_raw(store::sql::stmt(
        db.get_database_backend(),
        "UPDATE products SET name_vi = ?, updated_at = ? WHERE slug = ?",
        vec![late.into(), stamp.into(), slugs[1].clone().into()],
    ))
    .await
    .unwrap();
    let clock = Instant::now();
    while !page_shows(&b, &second, late).await {
        assert!(clock.elapsed() < Duration::from_secs(5), "a late commit reaches the other replica too");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Its search too, once it has read the new word into its vocabulary (built beside the search).
    let clock = Instant::now();
    loop {
        let (_, found) = b.json("/api/v1/products?q=zyxwv").await;
        if found.to_string().contains(late) {
            break;
        }
        assert!(clock.elapsed() < Duration::from_secs(5), "and its search index: {found}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sessions_and_csrf_made_on_one_replica_hold_on_the_other() {
    let a = spawn().await;
    let b = a.replica().await;
    let (on_a, csrf) = crate::shopper::signed_in(&a, "khach@ocop.local").await;
    // The same cookie and token, sent to the other replica.
    let mut on_b = crate::shopper::Shopper::new(&b);
    on_b.cookie = on_a.cookie.clone();
    let (status, page) = on_b.get("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("khach@ocop.local"), "signed in on B");
    let r = on_b.post("/account/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, 303, "B accepts A's CSRF token: {}", r.body);
    let (_, after) = on_a.get("/account").await;
    assert!(!after.contains("khach@ocop.local"), "signed out on A too: the session lives in the database");
}

#[tokio::test]
async fn readiness_metrics_and_request_ids() {
    let app = spawn().await;
    let (status, ready) = app.json("/readyz").await;
    assert_eq!((status, &ready), (200, &json!({"ready": true})));

    // Request ids: made when the balancer sends none, kept when it does.
    let res = app.http.get(format!("{}/products", app.base)).send().await.unwrap();
    let made = res.headers().get("x-request-id").expect("a request id").to_str().unwrap().to_string();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    let res = app.http.get(format!("{}/healthz", app.base)).header("x-request-id", "lb-42").send().await.unwrap();
    assert_eq!(res.headers().get("x-request-id").unwrap(), "lb-42");

    // Metrics on their own listener, never on the public port.
    let (status, _) = app.get("/metrics").await;
    assert_eq!(status, 404, "the public port does not show metrics");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, server::metrics::router(app.state.clone())).into_future());
    queue_notifications(&app, 3).await;
    server::jobs::run_due(&app.state.store, Duration::from_secs(3600)).await;
    let slug = scalar_text(&app, "SELECT slug FROM products WHERE status = 'active' ORDER BY id LIMIT 1").await;
    app.get(&format!("/products/{slug}")).await;
    app.get("/khong-co-trang-nay").await;
    let text = app.http.get(format!("{metrics_base}/metrics")).send().await.unwrap().text().await.unwrap();
    let has = |needle: &str| text.lines().any(|l| l.contains(needle));
    assert!(has("http_requests_total{route=\"/products/{slug}\",method=\"GET\",status=\"200\"}"), "{text}");
    assert!(has("http_request_duration_seconds_bucket{route=\"/products/{slug}\""), "latency histogram");
    assert!(has("status=\"404\""), "refused and unknown paths are counted too");
    assert!(text.lines().any(|l| l == "outbox_backlog 3"), "the outbox backlog: {text}");
    assert!(has("job_lag_seconds{job=\"expire_unpaid\"} 0"), "each job's lag");
    assert!(has("job_runs_total{job=\"certificate_calendar\"}"), "runs per job");

    // A till's push is counted per showroom with the backlog it reports.
    let (showroom, token) = crate::sync::paired(&app, "SR-METRICS").await;
    let sku = scalar_text(&app, "SELECT sku FROM variants ORDER BY id LIMIT 1").await;
    let body = json!({"showroom_code": showroom, "sales": [crate::sync::sale(&sku, 1, 95_000)]});
    let res = app
        .http
        .post(format!("{}/sync/v1/sales", app.base))
        .bearer_auth(&token)
        .header(domain::sale::BACKLOG_HEADER, "41")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = app.http.get(format!("{metrics_base}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("sync_pushes_total{showroom=\"SR-METRICS\"} 1"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("till_backlog_sales{showroom=\"SR-METRICS\"") && l.ends_with(" 40")));

    // A replica asked to stop says it is not ready, so the balancer sends it nothing new.
    app.state.draining.start();
    let (status, body) = app.json("/readyz").await;
    assert_eq!(status, 503);
    assert_eq!(body["message_en"], "The server is shutting down.");
}

#[tokio::test]
async fn a_photo_uploaded_through_one_replica_is_made_and_served_by_the_other_from_the_bucket() {
    let Some(s3) = crate::support::s3_server().await else { return };
    let a = crate::support::spawn_configured(None, None, |c| c.media_s3 = Some(s3.config())).await;
    let b = a.replica().await;
    let producer = scalar(&a, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let own = scalar(&a, &format!("SELECT id FROM products WHERE producer_id = {producer} ORDER BY id LIMIT 1")).await;
    let (member, csrf) = crate::shopper::signed_in(&a, "chuthe@ocop.local").await;
    let (status, _, _) =
        crate::portal::upload(&a, member.cookie.as_deref(), own, &csrf, &crate::portal::png(900, 600), "anh.png").await;
    assert_eq!(status, 303);
    assert_eq!(crate::portal::photos_made(&a, own, 1).await, 1);
    // Served by B, which never saw the upload, from the shared bucket.
    let slug = scalar_text(&a, &format!("SELECT slug FROM products WHERE id = {own}")).await;
    let (_, page) = b.get(&format!("/products/{slug}")).await;
    let src = page.split("src=\"/media/").nth(1).expect("the photo on B's page").split('"').next().unwrap().to_string();
    let res = b.http.get(format!("{}/media/{src}", b.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"RIFF", "a WebP file");
    let keys = s3.keys().await;
    assert!(keys.contains(&src), "the derivative is in the bucket: {keys:?}");
    assert!(keys.iter().all(|k| !k.starts_with("incoming/")), "the original is removed once made: {keys:?}");
    assert!(
        !a.dir.join("media").join(&src).exists() && !b.dir.join("media").join(&src).exists(),
        "nothing on local disks"
    );
    let (status, _) = b.get(&format!("/media/{}", "0".repeat(64) + ".webp")).await;
    assert_eq!(status, 404, "an unknown name is not found, not an error");
}

#[tokio::test]
async fn a_message_the_mail_server_refuses_waits_before_it_is_tried_again() {
    let app = spawn().await;
    queue_notifications(&app, 1).await;
    // Nothing listens on port 9: every attempt fails at once.
    let down = Mailer::new(Some("smtp://127.0.0.1:9"), "OCOP Market <no-reply@localhost>", app.dir.clone()).unwrap();
    assert_eq!(server::jobs::deliver_outbox(&app.state.store, &down).await.unwrap(), 0);
    assert_eq!(
        scalar(&app, "SELECT CAST(attempts AS BIGINT) FROM notifications").await,
        1,
        "one attempt, not a hundred in a loop"
    );
    assert_eq!(server::jobs::deliver_outbox(&app.state.store, &down).await.unwrap(), 0);
    assert_eq!(
        scalar(&app, "SELECT CAST(attempts AS BIGINT) FROM notifications").await,
        1,
        "held back before the next try"
    );
    // Once its wait is over it goes out, here through a working mailer.
    app.state
        .store
        .db
        .execute_unprepared("UPDATE notifications SET claimed_until = '2000-01-01 00:00:00+00:00'")
        .await
        .unwrap();
    let dir = Mailer::Dir(app.dir.join("sent"));
    assert_eq!(server::jobs::deliver_outbox(&app.state.store, &dir).await.unwrap(), 1);
    assert_eq!(scalar_text(&app, "SELECT status FROM notifications").await, "sent");
}

/// A catalogue left alone after an import is not read again: the sync's look-back starts from
/// when the last sync began, not from the newest edit (all of an import's rows are stamped within
/// moments of the newest, so they stayed inside the window and were re-read every few seconds).
#[tokio::test]
async fn an_idle_catalogue_is_not_read_again_after_an_import() {
    let a = spawn().await;
    let db = &a.state.store.db;
    let listed = scalar(&a, "SELECT COUNT(*) FROM products WHERE status = 'active'").await;
    crate::support::stamp_every_product(db, chrono::Utc::now() - chrono::Duration::minutes(10)).await;
    // A replica starting now builds its index from the whole catalogue...
    let b = a.replica().await;
    let (_, found) = b.json("/api/v1/products?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm").await;
    assert!(found.to_string().contains("Nước mắm"), "the replica's index holds the catalogue: {found}");
    // ...and its next syncs, with nothing edited, read no product at all.
    for _ in 0..2 {
        let idle = b.state.store.sync_index().await.unwrap();
        assert_eq!(idle, store::Synced { read: 0, sent: 0 }, "{listed} listed products");
    }
    // An edit committed late, stamped 30 s ago, is still inside the window, alone.
    let slug = scalar_text(&a, "SELECT slug FROM products WHERE status = 'active' ORDER BY id LIMIT 1").await;
    db.execute_raw(store::sql::stmt(
        db.get_database_backend(),
        "UPDATE products SET name_vi = ?, updated_at = ? WHERE slug = ?",
        vec!["Sửa muộn Qwzx".into(), (chrono::Utc::now() - chrono::Duration::seconds(30)).into(), slug.into()],
    ))
    .await
    .unwrap();
    assert_eq!(b.state.store.sync_index().await.unwrap(), store::Synced { read: 1, sent: 1 });
    assert_eq!(b.state.store.sync_index().await.unwrap().sent, 0, "sent once");
}
