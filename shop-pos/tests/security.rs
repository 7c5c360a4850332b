//! The till's share of issue 12: PINs guessed in parallel and across restarts, every answer with
//! its security headers, and names typed at the till shown as text on every screen.

mod support;

use support::{Pos, start_pos, temp_dir};

#[tokio::test]
async fn parallel_wrong_pins_get_five_checks_and_the_lock_survives_a_restart() {
    let dir = temp_dir("pins");
    let pos = start_pos(&dir.0, None).await;
    let r = pos.post("/setup", &[("mode", "demo"), ("manager_name", "Nguyễn Thị Hoà"), ("manager_pin", "2468")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = pos.staff_id("Nguyễn Thị Hoà").await;
    let guesses: Vec<_> = (0..24)
        .map(|i| {
            let pin = format!("{:04}", 1000 + i);
            let (pos, id) = (&pos, id.clone());
            async move { pos.post("/signin", &[("staff_id", id.as_str()), ("pin", pin.as_str())]).await }
        })
        .collect();
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers.iter().filter(|r| r.body.contains("Sai PIN. / Wrong PIN.")).count();
    let locked = answers.iter().filter(|r| r.body.contains("Sai PIN quá 5 lần")).count();
    assert_eq!((checked, locked), (5, 19), "{:?}", answers.iter().map(|r| r.status).collect::<Vec<_>>());
    let right = pos.post("/signin", &[("staff_id", id.as_str()), ("pin", "2468")]).await;
    assert!(right.body.contains("Sai PIN quá 5 lần"), "the right PIN waits too");
    // The till restarts (a reboot, a crash): the lock is in its database, not in its memory.
    drop(pos);
    let again = start_pos(&dir.0, None).await;
    let right = again.post("/signin", &[("staff_id", id.as_str()), ("pin", "2468")]).await;
    assert!(right.body.contains("Sai PIN quá 5 lần"), "still locked after the restart: {}", right.body);
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

async fn raw(
    pos: &Pos,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = client.request(method, format!("{}{path}", pos.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let (status, h) = (res.status().as_u16(), res.headers().clone());
    (status, h, res.text().await.unwrap())
}

#[tokio::test]
async fn every_till_answer_has_its_headers_and_typed_names_stay_text() {
    let dir = temp_dir("till-headers");
    let pos = start_pos(&dir.0, None).await;
    let hostile = security::probe::PAYLOADS;
    // The manager's and the staff's names are typed at the till.
    let r = pos.post("/setup", &[("mode", "demo"), ("manager_name", hostile[0]), ("manager_pin", "2468")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    pos.sign_in(hostile[0], "2468").await;
    for (i, name) in hostile.iter().enumerate().skip(1).take(6) {
        let pin = format!("{:04}", 1111 + i);
        let r = pos.post("/staff", &[("name", name), ("pin", &pin)]).await;
        assert!(r.status < 500, "{name}: {}", r.status);
    }
    pos.post("/shift/open", &[("float", "500.000")]).await;
    pos.scan(&domain::seed_catalogue::barcode(0)).await;
    let receipt = pos.pay_cash("100.000").await;
    let mut problems = Vec::new();
    let pages = [
        "/signin".to_string(),
        "/sell".into(),
        "/refund".into(),
        "/stock".into(),
        "/staff".into(),
        "/shift/close".into(),
        format!("/receipts/{receipt}"),
        "/no-such-screen".into(),
    ];
    for path in &pages {
        let r = pos.get(path).await;
        assert!(r.status < 500, "{path}: {}", r.status);
        problems.extend(security::probe::intruders(path, &r.body, "127.0.0.1"));
    }
    // Headers on pages, files, JSON, refusals and errors alike.
    let cookie = pos.cookie();
    let answers = [
        ("GET", "/sell", vec![("cookie", cookie.as_str())]),
        ("GET", "/signin", vec![]),
        ("GET", "/status.json", vec![]),
        ("GET", &format!("/receipts/{receipt}/image"), vec![("cookie", cookie.as_str())]),
        ("GET", &format!("/receipts/{receipt}/escpos"), vec![("cookie", cookie.as_str())]),
        ("GET", "/assets/pos.css", vec![]),
        ("GET", "/no-such-screen", vec![]),
        ("POST", "/sell/scan", vec![("cookie", cookie.as_str()), ("origin", "http://evil.example")]),
        ("GET", "/sell", vec![("host", "evil.example")]),
        ("PUT", "/sell", vec![]),
    ];
    for (method, path, headers) in answers.iter() {
        let (status, h, _) = raw(&pos, method.parse().unwrap(), path, headers).await;
        problems.extend(security::probe::missing_headers(&format!("{method} {path} ({status})"), &h));
        // Everything at a till is the showroom's own: never kept by a shared cache (a receipt's
        // image may be kept by the till's own browser for a while).
        let cache = header(&h, "cache-control");
        let want = if *path == "/assets/pos.css" { "immutable" } else { "private" };
        if !cache.contains(want) {
            problems.push(format!("{method} {path} ({status}): Cache-Control {cache:?}"));
        }
    }
    let css = pos.get("/assets/pos.css").await;
    assert!(css.body.contains(".receipt-image"), "the stylesheet is served");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
