//! The XSS corpus: every hostile string written through every input people fill in (products,
//! sizes, combos, producers, showrooms, reported channels and their review, certificate
//! revocations, account names, checkout, CSV import, the sync API), then every page that shows them
//! fetched in both languages and read as a browser reads it: no element, attribute or URL the app
//! did not write, and the text shown exactly as typed. Exports are checked for live formulas.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::shopper::{Shopper, scalar, set_stock, signed_in};
use crate::support::{TestApp, spawn};
use security::probe::{PAYLOADS, intruders, text_of, title};

const HOST: &str = "ocop.example.vn";

async fn text(app: &TestApp, sql: &str) -> String {
    let db = &app.state.store.db;
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

/// Pages fetched, and what was found in them.
struct Reader {
    pages: usize,
    found: Vec<String>,
}

impl Reader {
    fn read(&mut self, who: &str, path: &str, status: u16, html: &str) {
        assert!(status < 500, "{who} {path}: {status}");
        self.pages += 1;
        self.found.extend(intruders(&format!("{who} {path}"), html, HOST));
    }

    fn expect(&mut self, what: &str, held: bool) {
        if !held {
            self.found.push(format!("not so: {what}"));
        }
    }

    async fn get(&mut self, who: &str, client: &Shopper<'_>, path: &str) -> String {
        let (status, html) = client.get(path).await;
        self.read(who, path, status, &html);
        html
    }
}

fn owned<'a>(f: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn hostile_text_through_every_input_shows_as_text_on_every_page() {
    let app = spawn().await;
    let mut r = Reader { pages: 0, found: Vec::new() };
    let (mut office, ocsrf) = signed_in(&app, "vanphong@ocop.local").await;
    let (mut member, mcsrf) = signed_in(&app, "chuthe@ocop.local").await;
    let producer = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let anon = Shopper::new(&app);
    let mut english = Shopper::new(&app);
    english.cookie = Some("lang=en".into());

    // Products: one per payload, the payload in every free-text field and its size.
    let mut products = Vec::new();
    for (i, p) in PAYLOADS.iter().enumerate() {
        let sku = format!("HX-{i:02}");
        let f = [
            ("csrf", mcsrf.clone()),
            ("name_vi", format!("{p} {i}")),
            ("name_en", format!("{p} en{i}")),
            ("group", "food".into()),
            ("category", p.chars().take(60).collect()),
            ("description_vi", p.to_string()),
            ("description_en", p.to_string()),
            ("status", "active".into()),
            ("sku", sku.clone()),
            ("barcode", String::new()),
            ("size_vi", p.chars().take(90).collect()),
            ("size_en", p.chars().take(90).collect()),
            ("price", "99000".into()),
        ];
        let res = member.post("/portal/products/new", &owned(&f)).await;
        assert_eq!(res.status, 303, "product {i} saved: {}", res.body);
        let id: i64 = res.location.trim_start_matches("/portal/products/").split('?').next().unwrap().parse().unwrap();
        let slug = text(&app, &format!("SELECT slug FROM products WHERE id = {id}")).await;
        let variant = scalar(&app, &format!("SELECT id FROM variants WHERE sku = '{sku}'")).await;
        set_stock(&app, variant, 50).await;
        products.push((id, slug, sku, variant));
    }
    // The same product file exported and imported back, with one more product made by the import.
    let (status, csv) = member.get("/portal/products.csv").await;
    assert_eq!(status, 200);
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    for rec in rows.records() {
        for cell in rec.unwrap().iter() {
            assert!(!domain::spreadsheet::runs_as_formula(cell), "no cell a spreadsheet would run: {cell:?}");
        }
    }
    let mut extra = csv.clone();
    extra.push_str(&format!(
        "\nxss-import,\"{}\",\"{}\",food,Mực khô,\"{}\",desc,active,HX-IMP,,Túi 200 g,200 g bag,120000,1\n",
        PAYLOADS[0].replace('"', "\"\""),
        PAYLOADS[18].replace('"', "\"\""),
        PAYLOADS[17].replace('"', "\"\"")
    ));
    let (status, location, body) =
        crate::listings::post_file(&member, "/portal/import", &mcsrf, "file", extra.as_bytes()).await;
    assert_eq!(status, 303, "{body}");
    r.get("producer", &member, &location).await;
    for _ in 0..100 {
        if scalar(&app, "SELECT COUNT(*) FROM imports WHERE status = 'running'").await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(text(&app, "SELECT status FROM imports ORDER BY id DESC LIMIT 1").await, "done");
    assert_eq!(
        text(&app, "SELECT name_vi FROM products WHERE slug = 'xss-import'").await,
        PAYLOADS[0],
        "imported as typed"
    );
    let p0 = text(&app, &format!("SELECT name_en FROM products WHERE id = {}", products[18].0)).await;
    assert_eq!(p0, format!("{} en18", PAYLOADS[18]), "a formula-like name survives export and import unchanged");

    // Combos, producers, showrooms, channels: one each per payload.
    for (i, p) in PAYLOADS.iter().enumerate() {
        let f = [
            ("csrf", mcsrf.clone()),
            ("name_vi", format!("{p} combo {i}")),
            ("name_en", format!("{p} box {i}")),
            ("story_vi", p.to_string()),
            ("story_en", p.to_string()),
            ("price", "150000".into()),
            ("active", "on".into()),
            ("sku_1", products[i].2.clone()),
            ("qty_1", "1".into()),
        ];
        let res = member.post("/portal/combos", &owned(&f)).await;
        assert_eq!(res.status, 303, "combo {i}: {}", res.body);
        let f = [
            ("csrf", ocsrf.clone()),
            ("name", format!("{p} HTX {i}")),
            ("kind", "htx".into()),
            ("district", "Hàm Thuận Nam".into()),
            ("province", "Lâm Đồng".into()),
            ("commune", p.chars().take(90).collect()),
            ("contact_name", p.chars().take(90).collect()),
            ("phone", "0912 345 678".into()),
            ("email", format!("htx{i}@example.vn")),
        ];
        let res = office.post("/office/producers", &owned(&f)).await;
        assert_eq!(res.status, 303, "producer {i}: {}", res.body);
        let f = [
            ("csrf", ocsrf.clone()),
            ("code", format!("SR-HX{i}")),
            ("name", format!("{p} {i}").chars().take(100).collect()),
            ("address", p.to_string()),
        ];
        let res = office.post("/office/showrooms", &owned(&f)).await;
        assert_eq!(res.status, 303, "showroom {i}: {}", res.body);
        let f = [
            ("csrf", mcsrf.clone()),
            ("kind", "supermarket".into()),
            ("name", p.to_string()),
            ("evidence", p.to_string()),
            ("from", "2026-09-01".into()),
            ("until", String::new()),
        ];
        let res = member.post("/portal/channels", &owned(&f)).await;
        assert!(res.status == 303 || res.status == 422, "channel {i}: {}", res.status);
        r.read("producer", "/portal/channels (refused)", 200, &res.body);
    }
    let channel = scalar(&app, "SELECT MIN(id) FROM reported_channels").await;
    let res = office
        .post(
            &format!("/office/channels/{channel}/review"),
            &[("csrf", &ocsrf), ("verdict", "reject"), ("note", PAYLOADS[2])],
        )
        .await;
    assert!(res.status < 500);

    // A certificate for a hostile product, then revoked with a hostile reason.
    let (pid, pslug, _, _) = products[0].clone();
    let f = [
        ("csrf", ocsrf.clone()),
        ("product_id", pid.to_string()),
        ("kind", "new".into()),
        ("number", "HX-CERT-1".into()),
        ("stars", "4".into()),
        ("score", String::new()),
        ("decided_on", "2026-10-01".into()),
    ];
    assert_eq!(office.post("/office/certificates", &owned(&f)).await.status, 303);
    let number = text(&app, &format!("SELECT number FROM certificates WHERE product_id = {pid}")).await;
    let res = office
        .post(&format!("/office/certificates/{number}/revoke"), &[("csrf", &ocsrf), ("reason", PAYLOADS[9])])
        .await;
    assert_eq!(res.status, 303);

    // A shopper with a hostile name buys hostile products with hostile address fields.
    let mut buyer = Shopper::new(&app);
    let res = buyer
        .post(
            "/account/sign-up",
            &[("name", PAYLOADS[3]), ("login", "xss@example.vn"), ("password", "nuoc-mam-ngon-nhat")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    for (_, _, _, variant) in products.iter().take(4) {
        buyer.add_variant(*variant, 1).await;
    }
    let (token, csrf) = buyer.checkout_tokens().await;
    // Refused first (a bad phone): every field comes back, hostile text included.
    let mut f = vec![
        ("token", token.clone()),
        ("csrf", csrf.clone()),
        ("name", PAYLOADS[1].to_string()),
        ("phone", "12".to_string()),
        ("email", String::new()),
        ("province", "lam-dong".into()),
        ("commune", PAYLOADS[4].to_string()),
        ("street", PAYLOADS[10].to_string()),
        ("note", PAYLOADS[1].to_string()),
        ("payment", "cod".into()),
    ];
    let refused = buyer.post("/checkout", &owned(&f)).await;
    assert_eq!((refused.status, refused.location.as_str()), (303, "/checkout"));
    let again = r.get("shopper", &buyer, "/checkout").await;
    r.expect("/checkout note shown as typed", text_of(&again, "note").as_deref() == Some(PAYLOADS[1]));
    let (token, csrf) = buyer.checkout_tokens().await;
    f[0].1 = token;
    f[1].1 = csrf;
    f[3].1 = "0912345678".into();
    let placed = buyer.post("/checkout", &owned(&f)).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let order_page = placed.location.clone();

    // A paired till pushes a sale with a hostile receipt number for a hostile showroom.
    let sr = scalar(&app, "SELECT id FROM locations WHERE code = 'SR-HX0'").await;
    let dev = office.post(&format!("/office/showrooms/{sr}/devices"), &[("csrf", &ocsrf), ("name", PAYLOADS[7])]).await;
    r.read("office", "/office/showrooms (device added)", dev.status, &dev.body);
    let code =
        dev.body.split("id=\"pairing-code\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap();
    let (status, paired) =
        crate::sync::post_json(&app, "/sync/v1/pair", None, json!({"code": code}).to_string().into_bytes()).await;
    assert_eq!(status, 200, "{paired}");
    let mut sale = crate::sync::sale(&products[2].2, 1, 99000);
    sale["receipt_no"] = json!("\"><svg onload=xss(20)>");
    let push = json!({"showroom_code": "SR-HX0", "sales": [sale], "stock": []});
    let (status, _) = crate::sync::post_json(
        &app,
        "/sync/v1/sales",
        Some(paired["token"].as_str().unwrap()),
        push.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 200);

    // Now every page that shows any of it, in both languages where shoppers see it.
    let mut public: Vec<String> = vec![
        "/".into(),
        "/products".into(),
        "/products?q=xss".into(),
        format!("/products?q={}", urlencode(PAYLOADS[2])),
        format!("/products?q={}&category={}", urlencode(PAYLOADS[0]), urlencode(PAYLOADS[4])),
        format!("/products/{}", urlencode(PAYLOADS[0])),
        format!("/nothing-here/{}", urlencode(PAYLOADS[3])),
        format!("/verify/{number}"),
        format!("/verify/{}", urlencode(PAYLOADS[0])),
        order_page.clone(),
    ];
    for (_, slug, _, _) in &products {
        public.push(format!("/products/{slug}"));
    }
    for slug in all(&app, "SELECT slug FROM producers").await {
        public.push(format!("/producers/{slug}"));
    }
    for slug in all(&app, "SELECT slug FROM combos").await {
        public.push(format!("/combos/{slug}"));
    }
    for path in &public {
        r.get("anonymous", &anon, path).await;
        r.get("english", &english, path).await;
    }
    // The page title is the typed name, shown as text.
    for (i, (_, slug, _, _)) in products.iter().enumerate() {
        let (_, vi) = anon.get(&format!("/products/{slug}")).await;
        r.expect(&format!("title of {slug} as typed"), title(&vi).starts_with(&format!("{} {i}", PAYLOADS[i])));
        let (_, en) = english.get(&format!("/products/{slug}")).await;
        r.expect(
            &format!("English title of {slug} as typed"),
            title(&en).starts_with(&format!("{} en{i}", PAYLOADS[i])),
        );
    }
    // Cached pages are served again from memory: still clean.
    r.get("anonymous (cached)", &anon, &format!("/products/{pslug}")).await;

    for path in ["/account", "/cart", "/checkout", order_page.as_str()] {
        r.get("shopper", &buyer, path).await;
    }
    let mut portal: Vec<String> = vec![
        "/portal".into(),
        "/portal/orders".into(),
        "/portal/combos".into(),
        "/portal/channels".into(),
        "/portal/sales".into(),
        "/portal/import".into(),
        "/portal/products/new".into(),
    ];
    for (id, _, _, _) in &products {
        portal.push(format!("/portal/products/{id}"));
    }
    for id in all(&app, &format!("SELECT CAST(id AS TEXT) FROM combos WHERE producer_id = {producer}")).await {
        portal.push(format!("/portal/combos/{id}"));
    }
    for path in &portal {
        r.get("producer", &member, path).await;
        r.get("office", &office, path).await;
    }
    // A description holding `</textarea>` stays inside the editor's field, whole.
    let (_, editor) = office.get(&format!("/portal/products/{}", products[1].0)).await;
    r.expect("the editor's description as typed", text_of(&editor, "description_vi").as_deref() == Some(PAYLOADS[1]));
    let mut back_office: Vec<String> = vec![
        "/office".into(),
        "/office/producers".into(),
        "/office/users".into(),
        "/office/showrooms".into(),
        "/office/audit".into(),
        "/office/certificates".into(),
        "/office/channels".into(),
        "/office/dashboard".into(),
        "/office/report".into(),
    ];
    for id in all(&app, "SELECT CAST(id AS TEXT) FROM producers").await.into_iter().take(25) {
        back_office.push(format!("/office/producers/{id}/statement"));
    }
    for path in &back_office {
        r.get("office", &office, path).await;
    }
    // Every CSV the office can download: no cell a spreadsheet would evaluate.
    let (_, dashboard) = office.get("/office/dashboard").await;
    let exports: Vec<String> = security::probe::local_targets(&dashboard)
        .into_iter()
        .filter(|h| h.contains("/export/") && h.contains(".csv"))
        .collect();
    assert!(!exports.is_empty(), "the dashboard offers CSV exports");
    for path in exports {
        let (status, body) = office.get(&path).await;
        assert_eq!(status, 200, "{path}");
        let mut rows = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        for rec in rows.records() {
            for cell in rec.unwrap().iter() {
                assert!(!domain::spreadsheet::runs_as_formula(cell), "{path}: {cell:?}");
            }
        }
    }

    assert!(r.pages > 150, "pages read: {}", r.pages);
    assert!(r.found.is_empty(), "{} intrusions:\n{}", r.found.len(), r.found.join("\n"));
}

async fn all(app: &TestApp, sql: &str) -> Vec<String> {
    let db = &app.state.store.db;
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap().trim_start_matches('=').to_string()
}
