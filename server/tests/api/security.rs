//! The holes an outside test found (issue 12), each tried again the way it was found: parallel
//! guesses, hostile redirect targets, other sources, bodies sent before signing in, stale sessions
//! and reset links, oversized forms, forged images, files left readable.

use std::net::IpAddr;
use std::time::Duration;

use serde_json::json;

use crate::shopper::{Shopper, scalar, signed_in};
use crate::support::{TestApp, spawn};

/// A client whose requests come from `source` (any 127.x address reaches the loopback).
pub(crate) fn client_from(source: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(source.parse::<IpAddr>().unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn sign_in_status(app: &TestApp, login: &str, password: &str) -> u16 {
    sign_in_from(&app.http, app, login, password).await
}

async fn sign_in_from(http: &reqwest::Client, app: &TestApp, login: &str, password: &str) -> u16 {
    http.post(format!("{}/account/sign-in", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(serde_urlencoded::to_string([("login", login), ("password", password)]).unwrap())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_get_five_checks_and_the_right_one_is_then_refused() {
    let app = spawn().await;
    // From forty addresses at once (from one, most would wait for the source's own slots).
    let clients: Vec<_> = (0..40).map(|i| client_from(&format!("127.0.1.{}", i + 1))).collect();
    let tries: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(i, c)| {
            sign_in_from(c, &app, "khach@ocop.local", if i % 2 == 0 { "sai-mat-khau-1" } else { "sai-mat-khau-2" })
        })
        .collect();
    let statuses = futures_join(tries).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 35), "five checked, the rest refused unchecked: {statuses:?}");
    assert_eq!(sign_in_status(&app, "khach@ocop.local", store::accounts::DEMO_PASSWORD).await, 429, "still locked");
    assert_eq!(sign_in_status(&app, "chuthe@ocop.local", store::accounts::DEMO_PASSWORD).await, 303, "others are not");

    // Order lookups by phone are guessed the same way.
    let number = "OCOP-2026-000001";
    let lookups: Vec<_> = (0..20)
        .map(|i| {
            let app = &app;
            async move {
                app.http
                    .post(format!("{}/orders/find", app.base))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("sec-fetch-site", "same-origin")
                    .body(format!("number={number}&phone=09123450{i:02}"))
                    .send()
                    .await
                    .unwrap()
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string())
                    .unwrap_or_default()
            }
        })
        .collect();
    let answers = futures_join(lookups).await;
    assert_eq!(answers.iter().filter(|l| !l.contains("throttled")).count(), 5, "{answers:?}");
}

async fn futures_join<F: std::future::Future>(fs: Vec<F>) -> Vec<F::Output> {
    futures_util::future::join_all(fs).await
}

#[tokio::test]
async fn one_source_gets_two_password_checks_at_a_time_and_others_go_on() {
    let app = spawn().await;
    let logins = ["khach@ocop.local", "chuthe@ocop.local", "nhanvien@ocop.local", "vanphong@ocop.local"];
    let from_one = client_from("127.0.0.2");
    let tries: Vec<_> = (0..8).map(|i| sign_in_from(&from_one, &app, logins[i % 4], "sai-mat-khau-day")).collect();
    let statuses = futures_join(tries).await;
    assert!(statuses.iter().filter(|s| **s == 401).count() >= 2, "{statuses:?}");
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 1, "the rest wait: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 401 || **s == 429).count(), 8, "{statuses:?}");
    // Someone elsewhere signs in meanwhile, and the source's own turn comes back once it is done.
    assert_eq!(
        sign_in_from(&client_from("127.0.0.3"), &app, "khach@ocop.local", store::accounts::DEMO_PASSWORD).await,
        303
    );
    assert_eq!(sign_in_from(&from_one, &app, "chuthe@ocop.local", store::accounts::DEMO_PASSWORD).await, 303);
}

#[tokio::test]
async fn the_language_switch_only_ever_goes_back_to_a_page_of_this_site() {
    let app = spawn().await;
    let base = url::Url::parse(&app.base).unwrap();
    for next in [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%0d%0aSet-Cookie:%20sid=x",
        "//evil.example/",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/%E3%80%80/evil.example",
        "/%EF%BC%8Fevil.example",
        "/products?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm",
    ] {
        let res = app.http.get(format!("{}/lang/en?next={next}", app.base)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 303, "{next}: a redirect, never an error");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let target = base.join(&location).unwrap();
        assert_eq!(target.origin(), base.origin(), "{next} → {location:?} leaves the site");
        assert!(location.chars().all(|c| c.is_ascii_graphic()), "{next} → {location:?}");
        let cookie = res.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.contains("Secure"), "behind https the language cookie is Secure: {cookie}");
    }
    let res = app.http.get(format!("{}/lang/en?next=/products?q=x", app.base)).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/products?q=x", "a local page is kept");
}

#[tokio::test]
async fn wrong_pairing_codes_from_one_source_never_block_another() {
    let app = spawn().await;
    let (mut office, csrf) = signed_in(&app, "vanphong@ocop.local").await;
    office.post("/office/showrooms", &[("csrf", &csrf), ("code", "SR-A"), ("name", "Điểm bán A")]).await;
    let id = scalar(&app, "SELECT id FROM locations WHERE code = 'SR-A'").await;
    let r = office.post(&format!("/office/showrooms/{id}/devices"), &[("csrf", &csrf), ("name", "Quầy 1")]).await;
    let code =
        r.body.split("id=\"pairing-code\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap();
    let pair = |client: reqwest::Client, code: String| {
        let url = format!("{}/sync/v1/pair", app.base);
        async move {
            let res = client.post(url).json(&json!({ "code": code })).send().await.unwrap();
            res.status().as_u16()
        }
    };
    let attacker = client_from("127.0.0.2");
    let mut statuses = Vec::new();
    for i in 0..30 {
        statuses.push(pair(attacker.clone(), format!("AAAAA-{i:05}")).await);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 10, "ten guesses per source: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 20);
    assert_eq!(pair(attacker.clone(), code.to_string()).await, 429, "the guessing source stays blocked");
    // The same wrong code over and over, from many places: limited per code.
    let mut same = Vec::new();
    for n in 3..10 {
        same.push(pair(client_from(&format!("127.0.0.{n}")), "BBBBB-BBBBB".into()).await);
    }
    assert_eq!(same, [401, 401, 401, 401, 401, 429, 429]);
    // The showroom's own till, elsewhere, pairs at once.
    assert_eq!(pair(client_from("127.0.0.20"), code.to_string()).await, 200);
}

/// Sends only the head of a request announcing a large body, and waits for an answer: a server
/// that reads the body first never answers (nothing more is sent).
async fn answer_before_body(app: &TestApp, path: &str, length: usize, headers: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nSec-Fetch-Site: same-origin\r\nContent-Length: {length}\r\n{headers}\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&vec![b'a'; 1024]).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
        .await
        .unwrap_or_else(|_| panic!("{path}: no answer while the body was still coming"))
        .unwrap();
    String::from_utf8_lossy(&buf[..n]).to_string()
}

/// Sends a multipart body in chunks (no declared length) and returns the whole answer.
async fn chunked(app: &TestApp, path: &str, cookie: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nSec-Fetch-Site: same-origin\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    for part in body.chunks(64 * 1024) {
        if s.write_all(format!("{:x}\r\n", part.len()).as_bytes()).await.is_err()
            || s.write_all(part).await.is_err()
            || s.write_all(b"\r\n").await.is_err()
        {
            break; // the server answered and closed before the end: fine
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).to_string()
}

#[tokio::test]
async fn large_bodies_are_refused_before_being_read_unless_the_sender_may_send_them() {
    let app = spawn().await;
    let multipart = "Content-Type: multipart/form-data; boundary=x\r\n";
    for path in ["/portal/import", "/portal/products/1/photos", "/portal/combos/1/photo"] {
        let head = answer_before_body(&app, path, 14 * 1024 * 1024, multipart).await;
        assert!(head.starts_with("HTTP/1.1 403"), "{path} anonymous: {head}");
    }
    let json = "Content-Type: application/json\r\n";
    let head = answer_before_body(&app, "/sync/v1/sales", 900 * 1024, json).await;
    assert!(head.starts_with("HTTP/1.1 401"), "sync without a device token: {head}");
    let head = answer_before_body(&app, "/office/api/statements", 900 * 1024, "Authorization: Bearer nope\r\n").await;
    assert!(head.starts_with("HTTP/1.1 401"), "office API with a wrong token: {head}");
    let form = "Content-Type: application/x-www-form-urlencoded\r\n";
    for path in ["/office/producers", "/portal/products/new", "/office/certificates"] {
        let head = answer_before_body(&app, path, 500 * 1024, form).await;
        assert!(head.starts_with("HTTP/1.1 403"), "{path} anonymous: {head}");
    }
    // A shopper's account may not send uploads at all: refused before the body, like no account.
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    let cookie = format!("Cookie: {}\r\n", shopper.cookie.clone().unwrap());
    for path in ["/portal/import", "/portal/products/1/photos", "/office/producers"] {
        let head = answer_before_body(&app, path, 14 * 1024 * 1024, &format!("{multipart}{cookie}")).await;
        assert!(head.starts_with("HTTP/1.1 403"), "{path} as a shopper: {head}");
    }
    // Signed in, a declared length past the route's limit is refused at once, in words.
    let (member, _) = signed_in(&app, "chuthe@ocop.local").await;
    let cookie = format!("Cookie: {}\r\n", member.cookie.clone().unwrap());
    let head = answer_before_body(&app, "/portal/import", 40 * 1024 * 1024, &format!("{multipart}{cookie}")).await;
    assert!(head.starts_with("HTTP/1.1 413") && head.contains("quá lớn"), "{head}");
    // The same file sent without a declared length (chunked) stops at the import's own limit.
    let (member, mcsrf) = signed_in(&app, "chuthe@ocop.local").await;
    let mut body = format!(
        "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{mcsrf}\r\n--x\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"san-pham.csv\"\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'a', 6 * 1024 * 1024));
    body.extend_from_slice(b"\r\n--x--\r\n");
    let head = chunked(&app, "/portal/import", &member.cookie.clone().unwrap(), &body).await;
    assert!(head.starts_with("HTTP/1.1 422") && head.contains("Tệp lớn quá 5 MB"), "{}", &head[..head.len().min(300)]);
    // Forms anyone may send: a form over 64 KB is "too large" (413), not "expired" (403).
    for size in [100 * 1024, 900 * 1024, 3 * 1024 * 1024] {
        let head = answer_before_body(&app, "/account/sign-in", size, form).await;
        assert!(head.starts_with("HTTP/1.1 413"), "{size} bytes: {head}");
    }
    let mut s = Shopper::new(&app);
    let big = "x".repeat(200 * 1024);
    let r = s.post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", &big)]).await;
    assert_eq!(r.status, 413, "a whole over-sized form sent: {}", r.body);
    assert!(r.body.contains("too large"));
}

#[tokio::test]
async fn sign_ups_per_source_are_limited_so_taken_logins_cannot_be_listed() {
    let app = spawn().await;
    let prober = client_from("127.0.0.2");
    let mut statuses = Vec::new();
    for i in 0..25 {
        let login = if i % 2 == 0 { "khach@ocop.local".to_string() } else { format!("moi{i}@example.vn") };
        let res = prober
            .post(format!("{}/account/sign-up", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(serde_urlencoded::to_string([("name", "Người thử"), ("login", &login), ("password", "x")]).unwrap())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        if status == 429 {
            assert!(body.contains("Quá nhiều lần đăng ký từ mạng của bạn"), "{body}");
            assert!(!body.contains("đã có tài khoản"), "a refused probe learns nothing");
        }
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 20, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 5);
    // Someone else signs up meanwhile.
    let mut other = Shopper::new(&app);
    let r = other
        .post(
            "/account/sign-up",
            &[("name", "Lê Thu"), ("login", "thu@example.vn"), ("password", "nuoc-mam-ngon-nhat")],
        )
        .await;
    assert_eq!(r.status, 303);
}

#[tokio::test]
async fn a_reset_ends_every_other_link_sent_to_the_account() {
    let app = spawn().await;
    let mut anon = Shopper::new(&app);
    for _ in 0..3 {
        anon.post("/account/reset", &[("login", "khach@ocop.local")]).await;
    }
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let links: Vec<String> = store::entity::notification::Entity::find()
        .filter(store::entity::notification::Column::Recipient.eq("khach@ocop.local"))
        .all(&app.state.store.db)
        .await
        .unwrap()
        .iter()
        .map(|n| {
            let link = n.body.split_whitespace().find(|w| w.contains("/account/reset/")).unwrap();
            link.split("ocop.example.vn").nth(1).unwrap().to_string()
        })
        .collect();
    assert_eq!(links.len(), 3);
    let ok = anon.post(&links[1], &[("password", "mat-khau-moi-2026")]).await;
    assert_eq!(ok.location, "/account/sign-in?notice=reset");
    for other in [&links[0], &links[2]] {
        let r = anon.post(other, &[("password", "mat-khau-cua-ke-gian")]).await;
        assert_eq!(r.status, 422, "an older or newer link no longer works");
        assert!(r.body.contains("hết hạn hoặc đã dùng"));
    }
    assert_eq!(sign_in_status(&app, "khach@ocop.local", "mat-khau-moi-2026").await, 303);
}

async fn exec(app: &TestApp, sql: &str) {
    use sea_orm::ConnectionTrait;
    app.state.store.db.execute_unprepared(sql).await.unwrap();
}

fn ago(days: i64, minutes: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days) - chrono::Duration::minutes(minutes))
        .format("%Y-%m-%dT%H:%M:%S%.9f+00:00")
        .to_string()
}

#[tokio::test]
async fn sessions_end_when_idle_or_past_their_cap_and_use_keeps_them_alive() {
    let app = spawn().await;
    let signed = |s: &str| s.contains("account-name");
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let user = |login: &str| format!("(SELECT id FROM users WHERE email = '{login}')");
    // Used 29 days ago: a shopper is still signed in, and the use is recorded.
    exec(
        &app,
        &format!("UPDATE sessions SET last_seen_at = '{}' WHERE user_id = {}", ago(29, 0), user("khach@ocop.local")),
    )
    .await;
    assert!(signed(&shopper.get("/account").await.1));
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM sessions WHERE user_id = {} AND last_seen_at > '{}'",
                user("khach@ocop.local"),
                ago(0, 5)
            )
        )
        .await,
        1,
        "the visit moved last_seen_at to now"
    );
    // 31 idle days end it.
    exec(
        &app,
        &format!("UPDATE sessions SET last_seen_at = '{}' WHERE user_id = {}", ago(31, 0), user("khach@ocop.local")),
    )
    .await;
    assert!(!signed(&shopper.get("/account").await.1), "30 days without use");
    // The office's session: 4 idle days end it; so does its cap even when used every day.
    exec(
        &app,
        &format!("UPDATE sessions SET last_seen_at = '{}' WHERE user_id = {}", ago(4, 0), user("vanphong@ocop.local")),
    )
    .await;
    assert!(!signed(&office.get("/account").await.1), "back office: 3 idle days");
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    exec(
        &app,
        &format!(
            "UPDATE sessions SET created_at = '{}', expires_at = '{}' WHERE user_id = {}",
            ago(31, 0),
            ago(-1, 0),
            user("vanphong@ocop.local")
        ),
    )
    .await;
    assert!(!signed(&office.get("/account").await.1), "back office: 30 days at most, whatever the use");
}

#[tokio::test]
async fn files_holding_accounts_and_keys_are_readable_by_the_server_alone() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn().await;
    for file in ["secret.key", "ocop.db"] {
        let path = app.dir.join(file);
        if file == "ocop.db" && crate::support::backend() == "postgres" {
            continue;
        }
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}: {mode:o}");
    }
}

#[tokio::test]
async fn a_cut_jpeg_with_an_end_marker_pasted_on_is_refused_at_upload() {
    let app = spawn().await;
    let (member, csrf) = signed_in(&app, "chuthe@ocop.local").await;
    let product = scalar(&app, "SELECT MIN(id) FROM products WHERE producer_id = (SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local')").await;
    let img = image::RgbImage::from_fn(7000, 7000, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    let mut cut = jpeg.into_inner()[..2048].to_vec();
    cut.extend_from_slice(&[0xFF, 0xD9]);
    let (status, _, body) =
        crate::listings::post_file(&member, &format!("/portal/products/{product}/photos"), &csrf, "photo", &cut).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("hỏng hoặc không đầy đủ"), "{body}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM photo_jobs").await, 0, "nothing queued for decoding");
}

#[tokio::test]
async fn an_import_whose_lease_ran_out_is_reported_interrupted_and_wrote_nothing() {
    let app = spawn().await;
    let (member, _) = signed_in(&app, "chuthe@ocop.local").await;
    let producer = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let user = scalar(&app, "SELECT id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let running = |started: String, lease_until: String| {
        format!(
            "INSERT INTO imports (producer_id, user_id, status, total_rows, done_rows, created_at, lease_until) \
             VALUES ({producer}, {user}, 'running', 40, 0, '{started}', '{lease_until}')"
        )
    };
    // What a process killed mid-import leaves: a running import, its rows never committed.
    exec(&app, &running(ago(0, 20), ago(0, 10))).await;
    // And one still within its lease, as another replica's running import would be.
    exec(&app, &running(ago(0, 1), ago(0, -9))).await;
    assert_eq!(store::imports::reap(&app.state.store, false).await.unwrap(), 1);
    let lost = scalar(&app, "SELECT MIN(id) FROM imports").await;
    let (status, page) = member.get(&format!("/portal/imports/{lost}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Việc nhập bị gián đoạn") && !page.contains("Dòng 0"), "{page}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM imports WHERE status = 'running'").await, 1, "the live one runs on");
}

/// Signs in from `client` sending `cookie`; the status and the device cookie it was given.
async fn sign_in_remembered(
    app: &TestApp,
    client: &reqwest::Client,
    login: &str,
    password: &str,
    cookie: &str,
) -> (u16, String) {
    let res = client
        .post(format!("{}/account/sign-in", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .body(serde_urlencoded::to_string([("login", login), ("password", password)]).unwrap())
        .send()
        .await
        .unwrap();
    let device = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("dev="))
        .map(|c| {
            assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"), "{c}");
            c.split(';').next().unwrap().to_string()
        })
        .unwrap_or_default();
    (res.status().as_u16(), device)
}

#[tokio::test]
async fn guesses_from_elsewhere_do_not_lock_the_owner_out_of_a_browser_they_used_before() {
    let app = spawn().await;
    let owner = client_from("127.0.0.2");
    let (status, device) =
        sign_in_remembered(&app, &owner, "khach@ocop.local", store::accounts::DEMO_PASSWORD, "").await;
    assert_eq!(status, 303);
    assert!(device.starts_with("dev="), "the browser is remembered");
    // Someone else guesses until the account is locked for everyone else.
    let guesser = client_from("127.0.0.3");
    for _ in 0..6 {
        sign_in_from(&guesser, &app, "khach@ocop.local", "sai-mat-khau-day").await;
    }
    assert_eq!(
        sign_in_from(&client_from("127.0.0.4"), &app, "khach@ocop.local", store::accounts::DEMO_PASSWORD).await,
        429
    );
    // The owner, from the browser they used, still gets in; a forged or another account's cookie does not help.
    let (status, _) =
        sign_in_remembered(&app, &owner, "khach@ocop.local", store::accounts::DEMO_PASSWORD, &device).await;
    assert_eq!(status, 303, "the owner's browser is counted apart");
    let (status, _) = sign_in_remembered(
        &app,
        &guesser,
        "khach@ocop.local",
        store::accounts::DEMO_PASSWORD,
        "dev=00112233445566778899aabbccddeeff",
    )
    .await;
    assert_eq!(status, 429, "a made-up device cookie is no one's");
    let (_, office_device) =
        sign_in_remembered(&app, &guesser, "vanphong@ocop.local", store::accounts::DEMO_PASSWORD, "").await;
    let (status, _) =
        sign_in_remembered(&app, &guesser, "khach@ocop.local", store::accounts::DEMO_PASSWORD, &office_device).await;
    assert_eq!(status, 429, "a device cookie is for its own account only");
    // Wrong passwords from the owner's browser have a limit of their own.
    for _ in 0..5 {
        assert_eq!(sign_in_remembered(&app, &owner, "khach@ocop.local", "sai-roi-nhe", &device).await.0, 401);
    }
    assert_eq!(
        sign_in_remembered(&app, &owner, "khach@ocop.local", store::accounts::DEMO_PASSWORD, &device).await.0,
        429
    );
}
