//! A till on a real port over its own SQLite file, driven over HTTP like a browser (cookie kept by
//! hand), and when needed a real marketplace router to pair with.
#![allow(dead_code)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use shop_pos::config::PosConfig;

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir(tag: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!(
        "ocop-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

pub struct Pos {
    pub base: String,
    pub state: shop_pos::routes::PosState,
    http: reqwest::Client,
    cookie: Mutex<String>,
}

pub struct Reply {
    pub status: u16,
    pub location: String,
    pub body: String,
}

pub async fn start_pos(dir: &std::path::Path, printer: Option<std::path::PathBuf>) -> Pos {
    start_pos_with(dir, printer, 0).await
}

/// A till whose refunds need a manager's PIN only above `refund_pin_above` đồng.
pub async fn start_pos_with(dir: &std::path::Path, printer: Option<std::path::PathBuf>, refund_pin_above: i64) -> Pos {
    let config = PosConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        printer,
        server_url: None,
        sync_every: Duration::from_millis(200),
        refund_pin_above,
    };
    let (router, state) = shop_pos::open(config).await.expect("till opens");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    Pos { base, state, http, cookie: Mutex::new(String::new()) }
}

impl Pos {
    async fn reply(&self, res: reqwest::Response) -> Reply {
        for c in res.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()) {
            let pair = c.split(';').next().unwrap().to_string();
            let name = pair.split('=').next().unwrap().to_string();
            let mut jar = self.cookie.lock().unwrap();
            let mut kept: Vec<String> = jar
                .split("; ")
                .filter(|p| !p.is_empty() && !p.starts_with(&format!("{name}=")))
                .map(String::from)
                .collect();
            kept.push(pair);
            *jar = kept.join("; ");
        }
        let status = res.status().as_u16();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        Reply { status, location, body: res.text().await.unwrap() }
    }

    pub async fn get(&self, path: &str) -> Reply {
        let c = self.cookie.lock().unwrap().clone();
        let res = self.http.get(format!("{}{path}", self.base)).header("cookie", c).send().await.unwrap();
        self.reply(res).await
    }

    pub async fn bytes(&self, path: &str) -> Vec<u8> {
        let c = self.cookie.lock().unwrap().clone();
        let res = self.http.get(format!("{}{path}", self.base)).header("cookie", c).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        res.bytes().await.unwrap().to_vec()
    }

    /// A form post as the till's own page sends it.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let c = self.cookie.lock().unwrap().clone();
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", c)
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap();
        self.reply(res).await
    }

    /// The cookies the till has set, as a `Cookie` header.
    pub fn cookie(&self) -> String {
        self.cookie.lock().unwrap().clone()
    }

    pub async fn status(&self) -> serde_json::Value {
        self.http.get(format!("{}/status.json", self.base)).send().await.unwrap().json().await.unwrap()
    }

    /// Demo till, manager signed in, shift open with a float of 1.000.000 ₫.
    pub async fn demo_open(&self) {
        let r =
            self.post("/setup", &[("mode", "demo"), ("manager_name", "Nguyễn Thị Hoà"), ("manager_pin", "2468")]).await;
        assert_eq!((r.status, r.location.as_str()), (303, "/signin"), "{}", r.body);
        self.sign_in("Nguyễn Thị Hoà", "2468").await;
        let r = self.post("/shift/open", &[("float", "1.000.000")]).await;
        assert_eq!(r.location, "/sell");
    }

    pub async fn staff_id(&self, name: &str) -> String {
        let page = self.get("/signin").await.body;
        // The name as the page writes it: text escaped.
        let shown = name.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let at = page.find(&format!(">{shown}<")).unwrap_or_else(|| panic!("{name} on the sign-in page"));
        let before = &page[..at];
        before.rsplit("value=\"").next().unwrap().split('"').next().unwrap().to_string()
    }

    pub async fn sign_in(&self, name: &str, pin: &str) {
        let id = self.staff_id(name).await;
        let r = self.post("/signin", &[("staff_id", &id), ("pin", pin)]).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }

    pub async fn scan(&self, code: &str) -> Reply {
        self.post("/sell/scan", &[("code", code)]).await
    }

    /// Sells what is in the cart for cash; the receipt number.
    pub async fn pay_cash(&self, tendered: &str) -> String {
        let r = self.post("/sell/pay", &[("method", "cash"), ("tendered", tendered)]).await;
        assert_eq!(r.status, 303, "{}", r.body);
        receipt_of(&r.location)
    }

    /// The line ids of a sale on its refund form, in order.
    pub async fn refund_lines(&self, receipt_no: &str) -> Vec<String> {
        let page = self.get(&format!("/refund?no={receipt_no}")).await.body;
        page.split("name=\"qty_").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
    }

    /// Asks for a refund (`qty` per line id) and reads the review: its page and the refund id it made.
    pub async fn review_refund(&self, receipt_no: &str, qty: &[(&str, &str)], method: &str) -> (Reply, Option<String>) {
        let fields: Vec<(String, String)> = qty.iter().map(|(l, n)| (format!("qty_{l}"), n.to_string())).collect();
        let mut form: Vec<(&str, &str)> = vec![("receipt_no", receipt_no), ("method", method)];
        form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let r = self.post("/refund", &form).await;
        let id = r.body.split("name=\"refund_id\" value=\"").nth(1).map(|s| s.split('"').next().unwrap().to_string());
        (r, id)
    }

    /// Confirms a reviewed refund, with a manager's PIN when `manager` is given.
    pub async fn confirm_refund(
        &self,
        receipt_no: &str,
        qty: &[(&str, &str)],
        method: &str,
        refund_id: &str,
        manager: Option<(&str, &str)>,
    ) -> Reply {
        let fields: Vec<(String, String)> = qty.iter().map(|(l, n)| (format!("qty_{l}"), n.to_string())).collect();
        let mut form: Vec<(&str, &str)> =
            vec![("receipt_no", receipt_no), ("method", method), ("refund_id", refund_id)];
        form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if let Some((id, pin)) = manager {
            form.push(("manager_id", id));
            form.push(("pin", pin));
        }
        self.post("/refund", &form).await
    }
}

/// The receipt number a payment led to (`/sell?done=…`).
pub fn receipt_of(location: &str) -> String {
    location.strip_prefix("/sell?done=").unwrap_or_else(|| panic!("paid, back at the till: {location}")).to_string()
}

impl Pos {
    /// A refund reviewed and confirmed by the manager `name` with `pin`; the slip's number.
    pub async fn refund(&self, receipt_no: &str, qty: &[(&str, &str)], manager: (&str, &str)) -> String {
        let (review, id) = self.review_refund(receipt_no, qty, "cash").await;
        let id = id.unwrap_or_else(|| panic!("a review: {}", review.body));
        let manager_id = self.staff_id(manager.0).await;
        let r = self.confirm_refund(receipt_no, qty, "cash", &id, Some((&manager_id, manager.1))).await;
        assert_eq!(r.status, 303, "{}", r.body);
        r.location.strip_prefix("/receipts/").expect("the refund slip").to_string()
    }
}

/// The text of the element with this id (first text run).
pub fn text_of(body: &str, id: &str) -> String {
    let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {body}"));
    body[at..].split_once('>').unwrap().1.split('<').next().unwrap().to_string()
}

pub fn receipt_text(body: &str) -> String {
    let at = body.find("id=\"receipt\"").expect("receipt");
    body[at..].split_once('>').unwrap().1.split("</pre>").next().unwrap().to_string()
}

/// The office adds a showroom and its devices, as `/office/showrooms` does; the one-time pairing codes.
pub async fn office_pairing_codes(store: &store::Store, code: &str, name: &str, devices: usize) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    let db = &store.db;
    let office: i64 = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM users WHERE email = 'vanphong@ocop.local'",
        ))
        .await
        .unwrap()
        .expect("the seeded office account")
        .try_get_by_index(0)
        .unwrap();
    let actor = domain::account::Account {
        id: office,
        name: "Văn phòng".into(),
        email: None,
        phone: None,
        role: domain::account::Role::Admin,
        producer_id: None,
        showroom_id: None,
    };
    let form = store::admin::ShowroomForm { code: code.into(), name: name.into(), address: String::new() };
    let id = store::admin::create_showroom(store, &actor, &form).await.unwrap().unwrap();
    let mut codes = Vec::new();
    for n in 1..=devices {
        codes.push(store::admin::add_device(store, &actor, id, &format!("Quầy {n}")).await.unwrap().unwrap());
    }
    codes
}

/// A store handle on the marketplace's database, for what the office does in a test or benchmark.
pub async fn office_store(db_url: &str, dir: &std::path::Path) -> store::Store {
    store::Store::open(&store::StoreConfig {
        database_url: db_url.to_string(),
        search_dir: dir.join("office-search"),
        meili_url: None,
        meili_key: None,
        meili_index: "products".into(),
        today_override: None,
        seed: false,
        commerce: Default::default(),
    })
    .await
    .unwrap()
}
