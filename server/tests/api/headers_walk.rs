//! Every response carries the security headers: the pages a visitor, a shopper, a producer and the
//! office can reach (found by following every link from the home page and their own start pages),
//! and the answers no link leads to — errors of every kind, uploads, media, assets, the APIs.

use std::collections::{BTreeSet, HashMap, VecDeque};

use reqwest::header::HeaderMap;

use crate::shopper::{Shopper, signed_in};
use crate::support::{TestApp, spawn};

/// Paths whose pages are about one person; a page shown to a signed-in person is one too.
fn personal(path: &str) -> bool {
    ["/account", "/portal", "/office", "/orders", "/checkout", "/cart"].iter().any(|p| {
        path == *p
            || path.starts_with(&format!("{p}/"))
            || path.starts_with(&format!("{p}?"))
            || path.starts_with(&format!("{p}."))
    })
}

fn check(what: &str, h: &HeaderMap, signed_in: bool, path: &str, problems: &mut Vec<String>) {
    let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    problems.extend(security::probe::missing_headers(what, h));
    if !get("strict-transport-security").starts_with("max-age=") {
        problems.push(format!("{what}: no HSTS behind https"));
    }
    let cache = get("cache-control");
    if cache.is_empty() {
        problems.push(format!("{what}: no Cache-Control"));
    }
    let shared_file = path.starts_with("/assets/") || path.starts_with("/media/");
    if (signed_in || personal(path)) && !shared_file && !cache.contains("no-store") {
        problems.push(format!("{what}: a personal answer may be stored: {cache:?}"));
    }
}

/// Follows every local link from `start` (GET only), at most a few pages per path shape.
async fn walk(who: &str, client: &Shopper<'_>, starts: &[&str], problems: &mut Vec<String>) -> usize {
    let mut queue: VecDeque<String> = starts.iter().map(|s| s.to_string()).collect();
    let mut seen = BTreeSet::new();
    let mut per_shape: HashMap<String, usize> = HashMap::new();
    let mut fetched = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || fetched >= 250 {
            continue;
        }
        // Pages differing only in their query (filters, pages) or an id are the same page for headers.
        let shape: String = path
            .split('?')
            .next()
            .unwrap()
            .split('/')
            .map(|s| if s.chars().any(|c| c.is_ascii_digit()) { "#" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let n = per_shape.entry(shape).or_default();
        *n += 1;
        if *n > 3 {
            continue;
        }
        let mut req = client.app.http.get(format!("{}{path}", client.app.base));
        if let Some(c) = &client.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        fetched += 1;
        let status = res.status().as_u16();
        if status >= 500 {
            problems.push(format!("{who} {path}: {status}"));
        }
        check(
            &format!("{who} {path} ({status})"),
            res.headers(),
            client.cookie.as_deref().is_some_and(|c| c.contains("sid=")),
            &path,
            problems,
        );
        let html = res.headers().get("content-type").is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/html"));
        if html {
            let body = res.text().await.unwrap();
            for target in security::probe::local_targets(&body) {
                // Sign-out and other actions are posts; the language switch leaves a cookie behind.
                if !target.starts_with("/lang/") && !seen.contains(&target) {
                    queue.push_back(target);
                }
            }
        }
    }
    fetched
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, HeaderMap) {
    let mut req = app.http.request(method, format!("{}{path}", app.base)).body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.headers().clone())
}

#[tokio::test]
async fn every_page_and_every_answer_carries_the_security_headers() {
    let app = spawn().await;
    let mut problems = Vec::new();
    let anon = Shopper::new(&app);
    let mut pages = walk("anonymous", &anon, &["/", "/account/sign-in", "/orders", "/cart"], &mut problems).await;
    for login in ["khach@ocop.local", "chuthe@ocop.local", "vanphong@ocop.local"] {
        let (client, _) = signed_in(&app, login).await;
        pages += walk(login, &client, &["/", "/account", "/portal", "/office"], &mut problems).await;
    }
    assert!(pages > 120, "pages walked: {pages}");

    // Answers no link leads to.
    let (member, csrf) = signed_in(&app, "chuthe@ocop.local").await;
    let cookie = member.cookie.clone().unwrap();
    let form = ("content-type", "application/x-www-form-urlencoded");
    let same = ("sec-fetch-site", "same-origin");
    use reqwest::Method;
    // (what, method, path, headers, body, expected status)
    type Request<'a> = (&'a str, Method, String, Vec<(&'a str, &'a str)>, Vec<u8>, u16);
    let others: Vec<Request> = vec![
        ("not found page", Method::GET, "/no/such/page".into(), vec![], vec![], 404),
        ("API 404", Method::GET, "/api/v1/products/khong-co".into(), vec![], vec![], 404),
        ("API 400", Method::GET, "/api/v1/products?stars=9".into(), vec![], vec![], 400),
        ("wrong method", Method::PUT, "/products".into(), vec![], vec![], 405),
        ("cross-site post", Method::POST, "/cart/add".into(), vec![form, ("sec-fetch-site", "cross-site")], b"variant=1".to_vec(), 403),
        ("too large form", Method::POST, "/account/sign-in".into(), vec![form, same], vec![b'a'; 100 * 1024], 413),
        ("past the body limit", Method::POST, "/checkout".into(), vec![form, same], vec![b'a'; 2 * 1024 * 1024], 413),
        ("media missing", Method::GET, "/media/0000.webp".into(), vec![], vec![], 404),
        ("stylesheet", Method::GET, app::style_href().into(), vec![], vec![], 200),
        ("icon", Method::GET, "/assets/favicon.svg".into(), vec![], vec![], 200),
        ("health", Method::GET, "/healthz".into(), vec![], vec![], 200),
        ("OpenAPI", Method::GET, "/sync/v1/openapi.json".into(), vec![], vec![], 200),
        ("sync without token", Method::GET, "/sync/v1/catalog".into(), vec![], vec![], 401),
        ("pairing refused", Method::POST, "/sync/v1/pair".into(), vec![("content-type", "application/json")], br#"{"code":"AAAAA-AAAAA"}"#.to_vec(), 401),
        ("office API refused", Method::POST, "/office/api/expire-unpaid".into(), vec![("authorization", "Bearer nope")], vec![], 401),
        ("webhook unsigned", Method::POST, "/webhooks/stripe".into(), vec![], b"{}".to_vec(), 400),
        ("language switch", Method::GET, "/lang/en?next=/products".into(), vec![], vec![], 303),
        ("upload refused", Method::POST, "/portal/products/1/photos".into(), vec![("content-type", "multipart/form-data; boundary=x"), same, ("cookie", cookie.as_str())], format!("--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--x\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\nnot a photo\r\n--x--\r\n").into_bytes(), 422),
        ("upload anonymous", Method::POST, "/portal/import".into(), vec![("content-type", "multipart/form-data; boundary=x"), same], b"--x--\r\n".to_vec(), 403),
        ("export", Method::GET, "/portal/products.csv".into(), vec![("cookie", cookie.as_str())], vec![], 200),
    ];
    for (what, method, path, headers, body, want) in others {
        let (status, h) = send(&app, method, &path, &headers, body).await;
        // The upload refusal may be 403 when the product is another producer's: the headers matter here.
        assert!(status == want || (what == "upload refused" && status == 403), "{what} {path}: {status}");
        let signed = headers.iter().any(|(k, _)| *k == "cookie");
        check(&format!("{what} {path} ({status})"), &h, signed, &path, &mut problems);
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
