//! A shopper with a cookie of their own, driving the storefront's forms over HTTP like a browser
//! without JavaScript would.

use sea_orm::{ConnectionTrait, Statement};

use crate::support::TestApp;

pub struct Shopper<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

pub struct Posted {
    pub status: u16,
    pub location: String,
    pub body: String,
}

/// The value of a hidden form field in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

impl<'a> Shopper<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Shopper { app, cookie: None }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let mut req = self.app.http.get(format!("{}{path}", self.app.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// The status and the body's bytes (downloads).
    pub async fn raw_get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut req = self.app.http.get(format!("{}{path}", self.app.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Posted {
        let mut req = self
            .app
            .http
            .post(format!("{}{path}", self.app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(serde_urlencoded::to_string(form).unwrap());
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        if let Some(set) = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()) {
            assert!(
                set.contains("HttpOnly") && (set.contains("SameSite=Lax") || set.contains("SameSite=Strict")),
                "cookie flags: {set}"
            );
            let pair = set.split(';').next().unwrap().to_string();
            // Only one cookie is followed per shopper in these tests; an emptied one is dropped.
            self.cookie = if pair.ends_with('=') { None } else { Some(pair) };
        }
        let status = res.status().as_u16();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        Posted { status, location, body: res.text().await.unwrap() }
    }

    pub async fn add_variant(&mut self, variant_id: i64, qty: u32) -> Posted {
        self.post("/cart/add", &[("variant", &variant_id.to_string()), ("qty", &qty.to_string())]).await
    }

    /// The checkout form's one-time token and CSRF token.
    pub async fn checkout_tokens(&self) -> (String, String) {
        let (status, html) = self.get("/checkout").await;
        assert_eq!(status, 200);
        (hidden(&html, "token"), hidden(&html, "csrf"))
    }

    pub async fn checkout_with(&mut self, token: &str, csrf: &str, payment: &str, phone: &str) -> Posted {
        self.post(
            "/checkout",
            &[
                ("token", token),
                ("csrf", csrf),
                ("name", "Nguyễn Thị Hoà"),
                ("phone", phone),
                ("email", "hoa@example.vn"),
                ("province", "ho-chi-minh"),
                ("commune", "Phường Sài Gòn"),
                ("street", "12 Lê Lợi"),
                ("note", "Giao giờ hành chính"),
                ("payment", payment),
            ],
        )
        .await
    }

    pub async fn checkout(&mut self, payment: &str) -> Posted {
        let (token, csrf) = self.checkout_tokens().await;
        self.checkout_with(&token, &csrf, payment, "0912 345 678").await
    }
}

/// A demo account signed in, with its session's CSRF token (read off the account page).
pub async fn signed_in<'a>(app: &'a TestApp, login: &str) -> (Shopper<'a>, String) {
    let mut s = Shopper::new(app);
    let r = s.post("/account/sign-in", &[("login", login), ("password", store::accounts::DEMO_PASSWORD)]).await;
    assert_eq!(r.status, 303, "{login} signs in");
    let (_, page) = s.get("/account").await;
    let csrf = hidden(&page, "csrf");
    (s, csrf)
}

pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let db = &app.state.store.db;
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

pub async fn scalar_text(app: &TestApp, sql: &str) -> String {
    let db = &app.state.store.db;
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

/// A variant sold online, with its stock set to `units` (nothing reserved).
pub async fn variant_with_stock(app: &TestApp, units: i64) -> i64 {
    let variant = scalar(
        app,
        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
         WHERE p.status = 'active' AND v.active ORDER BY v.id LIMIT 1",
    )
    .await;
    set_stock(app, variant, units).await;
    variant
}

pub async fn set_stock(app: &TestApp, variant: i64, units: i64) {
    let db = &app.state.store.db;
    db.execute_unprepared(&format!(
        "UPDATE stock_levels SET on_hand = {units}, reserved = 0 WHERE variant_id = {variant} \
         AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')"
    ))
    .await
    .unwrap();
}

pub async fn stock(app: &TestApp, variant: i64) -> (i64, i64) {
    let on_hand = scalar(app, &format!("SELECT on_hand FROM stock_levels WHERE variant_id = {variant} AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')")).await;
    let reserved = scalar(app, &format!("SELECT reserved FROM stock_levels WHERE variant_id = {variant} AND location_id = (SELECT id FROM locations WHERE code = 'ONLINE')")).await;
    (on_hand, reserved)
}

pub fn order_number_of(location: &str) -> String {
    location.strip_prefix("/orders/").unwrap().split('?').next().unwrap().to_string()
}
