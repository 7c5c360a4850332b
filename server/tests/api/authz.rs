//! The authorisation matrix: every state-changing form route against every role — nobody, a
//! shopper, the product's producer, another producer, showroom staff and the office — with the ids
//! of the first producer's records in the URL or form. Then each route once more with a forged CSRF
//! token and once from another site, for a role that would otherwise be allowed.

use crate::shopper::{Shopper, scalar, signed_in};
use crate::support::{TestApp, spawn};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Nobody,
    Shopper,
    Owner,
    OtherProducer,
    Staff,
    Office,
    /// The commune officer of the owner's commune.
    Commune,
    /// A member of the evaluation round's council (its secretary).
    Council,
}

use Who::*;

enum Body {
    Form(Vec<(String, String)>),
    /// A multipart upload: (file field, bytes).
    File(&'static str, Vec<u8>),
}

struct Route {
    path: String,
    body: Body,
    allowed: &'static [Who],
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 4, 90]));
    let mut buf = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut buf, image::ImageFormat::Png).unwrap();
    buf.into_inner()
}

fn form(pairs: &[(&str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

async fn send(app: &TestApp, cookie: Option<&str>, csrf: &str, route: &Route, site: &str) -> u16 {
    let url = format!("{}{}", app.base, route.path);
    let mut req = app.http.post(url).header("sec-fetch-site", site);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req = match &route.body {
        Body::Form(pairs) => {
            let mut pairs = pairs.clone();
            pairs.push(("csrf".into(), csrf.into()));
            req.header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&pairs).unwrap())
        }
        Body::File(field, bytes) => {
            let boundary = "----ocopauthz";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
                 Content-Disposition: form-data; name=\"{field}\"; filename=\"f\"\r\n\r\n"
            )
            .into_bytes();
            body.extend_from_slice(bytes);
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            req.header("content-type", format!("multipart/form-data; boundary={boundary}")).body(body)
        }
    };
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_state_changing_route_checks_who_is_asking() {
    let app = spawn().await;
    let owner = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let other = scalar(&app, &format!("SELECT id FROM producers WHERE id <> {owner} ORDER BY id LIMIT 1")).await;
    crate::listings::other_member(&app, other, "khac@ocop.local").await;
    let product =
        scalar(&app, &format!("SELECT id FROM products WHERE producer_id = {owner} ORDER BY id LIMIT 1")).await;
    let variant =
        scalar(&app, &format!("SELECT id FROM variants WHERE product_id = {product} ORDER BY id LIMIT 1")).await;
    let sku: String = {
        use sea_orm::EntityTrait;
        store::entity::variant::Entity::find_by_id(variant).one(&app.state.store.db).await.unwrap().unwrap().sku
    };
    let online = scalar(&app, "SELECT id FROM locations WHERE code = 'ONLINE'").await;
    let user = scalar(&app, "SELECT id FROM users WHERE email = 'khach@ocop.local'").await;
    let cert: String = {
        use sea_orm::EntityTrait;
        store::entity::certificate::Entity::find().one(&app.state.store.db).await.unwrap().unwrap().number
    };

    let mut sessions = Vec::new();
    for (who, login) in [
        (Shopper, "khach@ocop.local"),
        (Owner, "chuthe@ocop.local"),
        (OtherProducer, "khac@ocop.local"),
        (Staff, "nhanvien@ocop.local"),
        (Office, "vanphong@ocop.local"),
        (Commune, "xa@ocop.local"),
        (Council, "hoidong1@ocop.local"),
    ] {
        let (s, csrf) = signed_in(&app, login).await;
        sessions.push((who, s.cookie.clone(), csrf));
    }
    let session = |who: Who| sessions.iter().find(|(w, _, _)| *w == who).cloned();

    // Records the routes act on: a combo of the owner's and an order holding its product.
    crate::shopper::set_stock(&app, variant, 10).await;
    let (owner_cookie, owner_csrf) = session(Owner).map(|(_, c, t)| (c, t)).unwrap();
    let mut owner_s = Shopper { app: &app, cookie: owner_cookie.clone() };
    let combo_fields = [
        ("name_vi", "Hộp quà thử"),
        ("name_en", "Test box"),
        ("story_vi", "Một hộp quà để thử quyền."),
        ("price", "100000"),
        ("active", "on"),
        ("sku_1", sku.as_str()),
        ("qty_1", "1"),
    ];
    let mut with_csrf = combo_fields.to_vec();
    with_csrf.push(("csrf", owner_csrf.as_str()));
    let r = owner_s.post("/portal/combos", &with_csrf).await;
    assert_eq!(r.status, 303);
    let combo: i64 = r.location.trim_start_matches("/portal/combos/").split('?').next().unwrap().parse().unwrap();
    let mut buyer = Shopper::new(&app);
    buyer.add_variant(variant, 1).await;
    let number = crate::shopper::order_number_of(&buyer.checkout("cod").await.location);
    let device = {
        let office = session(Office).unwrap();
        let mut s = Shopper { app: &app, cookie: office.1.clone() };
        s.post("/office/showrooms", &[("csrf", &office.2), ("code", "SR-TEST"), ("name", "Điểm bán thử")]).await;
        let showroom = scalar(&app, "SELECT id FROM locations WHERE code = 'SR-TEST'").await;
        s.post(&format!("/office/showrooms/{showroom}/devices"), &[("csrf", &office.2), ("name", "Máy 1")]).await;
        (showroom, scalar(&app, "SELECT MAX(id) FROM pos_devices").await)
    };
    let channel_fields = [
        ("kind", "supermarket"),
        ("name", "Co.opmart Phan Thiết"),
        ("evidence", "Hợp đồng cung ứng 12/2026"),
        ("from", "2026-03-01"),
    ];
    let channel = {
        let owner = session(Owner).unwrap();
        let mut s = Shopper { app: &app, cookie: owner.1.clone() };
        let mut f = channel_fields.to_vec();
        f.push(("csrf", owner.2.as_str()));
        assert_eq!(s.post("/portal/channels", &f).await.status, 303);
        scalar(&app, "SELECT MAX(id) FROM reported_channels").await
    };

    // The evaluation: an open round with its council, a draft dossier of the owner's first product
    // with a document, and a second product (its certificate lapsed too) to start one for.
    let (round, dossier, doc, second) = {
        use store::evaluation::{dossiers, rounds, sheets};
        let store = &app.state.store;
        let office = crate::evaluation::account(&app, "vanphong@ocop.local").await;
        let member = crate::evaluation::account(&app, "chuthe@ocop.local").await;
        let council = crate::evaluation::account(&app, "hoidong1@ocop.local").await;
        let sheet = sheets::list(&store.db).await.unwrap()[0].id.to_string();
        let form = rounds::RoundForm {
            label: "Đợt phân quyền".into(),
            year: "2027".into(),
            deadline: "2027-03-31".into(),
            sheet_id: sheet,
        };
        let round = rounds::open(store, &office, &form).await.unwrap().unwrap();
        rounds::seat(store, &office, round, council.id, true).await.unwrap().unwrap();
        let start =
            dossiers::StartForm { product_id: product.to_string(), round_id: round.to_string(), kind: "new".into() };
        let dossier = dossiers::start(store, &member, &start).await.unwrap().unwrap();
        let doc = dossiers::NewDocument {
            kind: domain::evaluation::DocKind::Label,
            file_name: "nhan.pdf".into(),
            media_key: "dossiers/authz.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: 100,
        };
        let doc = dossiers::attach(store, &member, dossier, &doc).await.unwrap().unwrap();
        let second = scalar(&app, &format!("SELECT MAX(id) FROM products WHERE producer_id = {owner}")).await;
        assert_ne!(second, product, "the demo producer has two products");
        (round, dossier, doc, second)
    };
    // Traceability: a batch of the owner's size, and another under a recall the office opened.
    let (batch, recall) = {
        use store::trace::{batches, recalls};
        let store = &app.state.store;
        let office = crate::evaluation::account(&app, "vanphong@ocop.local").await;
        let member = crate::evaluation::account(&app, "chuthe@ocop.local").await;
        let form = |code: &str| batches::BatchForm {
            variant_id: variant.to_string(),
            code: code.into(),
            produced_on: "2026-11-01".into(),
            quantity: "10".into(),
            inputs: vec![batches::InputForm {
                material: "Cá cơm".into(),
                origin: "Phú Quý".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let batch = batches::record(store, &member, &form("AUTHZ-B1")).await.unwrap().unwrap();
        let other = batches::record(store, &member, &form("AUTHZ-B2")).await.unwrap().unwrap();
        let recall = recalls::open(store, &office, other, "Thử phân quyền", "http://x").await.unwrap().unwrap();
        (batch, recall)
    };
    let sheet_json =
        domain::evaluation::sheet::SAMPLE_PROCESSED_FOOD.replace("\"version\": \"", "\"version\": \"authz-");

    let producer_side: &[Who] = &[Owner, Office];
    let owner_only: &[Who] = &[Owner];
    let office_only: &[Who] = &[Office];
    let any_producer: &[Who] = &[Owner, OtherProducer];
    let (p, v, o, ow) = (product.to_string(), variant.to_string(), online.to_string(), owner.to_string());
    let csv = format!("{}\n", domain::listing_edit::CSV_COLUMNS.join(","))
        + "authz-thu-quyen,Thử quyền,Authz test,food,Thử,,,active,AUTHZ-1,,Gói,Pack,1000,1\n";
    let routes = vec![
        Route {
            path: "/portal/products/new".into(),
            body: form(&[
                ("producer_id", &ow),
                ("name_vi", "Sản phẩm thử"),
                ("name_en", "Test"),
                ("group", "food"),
                ("category", "Thử"),
                ("sku", ""),
                ("size_vi", "Gói"),
                ("price", "1000"),
            ]),
            allowed: producer_side,
        },
        Route { path: format!("/portal/products/{p}"), body: form(&[("name_vi", "x")]), allowed: producer_side },
        Route { path: format!("/portal/products/{p}/variants"), body: form(&[("sku", "")]), allowed: producer_side },
        Route {
            path: format!("/portal/products/{p}/variants/{v}"),
            body: form(&[("sku", "")]),
            allowed: producer_side,
        },
        Route {
            path: format!("/portal/products/{p}/stock"),
            body: form(&[("variant_id", &v), ("location_id", &o), ("reason", "received"), ("qty", "1")]),
            allowed: producer_side,
        },
        Route {
            path: format!("/portal/products/{p}/photos"),
            body: Body::File("photo", png()),
            allowed: producer_side,
        },
        Route { path: "/portal/import".into(), body: Body::File("file", csv.into_bytes()), allowed: any_producer },
        Route { path: "/portal/combos".into(), body: form(&combo_fields), allowed: &[Owner, OtherProducer, Office] },
        Route { path: format!("/portal/combos/{combo}"), body: form(&combo_fields), allowed: producer_side },
        Route {
            path: format!("/portal/combos/{combo}/photo"),
            body: Body::File("photo", png()),
            allowed: producer_side,
        },
        Route { path: format!("/portal/orders/{number}/pack"), body: form(&[]), allowed: owner_only },
        Route {
            path: format!("/portal/orders/{number}/ship"),
            body: form(&[("tracking", "GHN-123456")]),
            allowed: owner_only,
        },
        Route {
            path: "/office/certificates".into(),
            body: form(&[
                ("product_id", &p),
                ("kind", "upgrade"),
                ("number", "QĐ-AUTHZ"),
                ("stars", "5"),
                ("decided_on", "2026-11-01"),
            ]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/certificates/{cert}/revoke"),
            body: form(&[("reason", "Kiểm tra phân quyền")]),
            allowed: office_only,
        },
        Route {
            path: "/office/producers".into(),
            body: form(&[("name", "HTX thử"), ("kind", "htx"), ("province", "Lâm Đồng")]),
            allowed: office_only,
        },
        Route { path: format!("/office/producers/{owner}"), body: form(&[("name", "")]), allowed: office_only },
        Route {
            path: format!("/office/producers/{owner}/tax"),
            body: form(&[("status", "household"), ("tax_code", "0312345678"), ("reason", "Thử phân quyền")]),
            allowed: office_only,
        },
        Route { path: format!("/office/users/{user}/role"), body: form(&[("role", "shopper")]), allowed: office_only },
        Route {
            path: "/office/users/invite".into(),
            body: form(&[("name", "Người được mời"), ("email", "moi@ocop.local"), ("role", "shopper")]),
            allowed: office_only,
        },
        Route {
            path: "/office/showrooms".into(),
            body: form(&[("code", "SR-AUTHZ"), ("name", "Điểm bán phân quyền")]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/showrooms/{}/devices", device.0),
            body: form(&[("name", "Máy 2")]),
            allowed: office_only,
        },
        Route { path: format!("/office/devices/{}/revoke", device.1), body: form(&[]), allowed: office_only },
        Route { path: "/portal/channels".into(), body: form(&channel_fields), allowed: any_producer },
        Route {
            path: format!("/office/channels/{channel}/review"),
            body: form(&[("verdict", "verify")]),
            allowed: office_only,
        },
        Route {
            path: "/dossiers".into(),
            body: form(&[("product_id", &second.to_string()), ("round_id", &round.to_string()), ("kind", "new")]),
            allowed: &[Owner, Commune],
        },
        Route {
            path: format!("/dossiers/{dossier}"),
            body: form(&[("registered_name", "Rong nho tươi"), ("story", "Thử quyền")]),
            allowed: &[Owner, Commune],
        },
        Route {
            path: format!("/dossiers/{dossier}/documents"),
            body: Body::File("file", b"%PDF-1.4\n%%EOF\n".to_vec()),
            allowed: &[Owner, Commune],
        },
        Route {
            path: format!("/dossiers/{dossier}/documents/{doc}/remove"),
            body: form(&[]),
            allowed: &[Owner, Commune],
        },
        Route {
            path: format!("/dossiers/{dossier}/step"),
            body: form(&[("step", "submit")]),
            allowed: &[Owner, Commune],
        },
        Route {
            path: format!("/dossiers/{dossier}/samples"),
            body: form(&[("received_on", "2026-11-20"), ("note", "3 hộp")]),
            allowed: office_only,
        },
        Route { path: format!("/dossiers/{dossier}/score"), body: form(&[("submit", "0")]), allowed: &[Council] },
        Route {
            path: "/office/rounds".into(),
            body: form(&[("label", "Đợt thử"), ("year", "2027"), ("deadline", "2027-06-30"), ("sheet_id", "1")]),
            allowed: office_only,
        },
        Route {
            path: "/office/sheets".into(),
            body: Body::File("sheet", sheet_json.into_bytes()),
            allowed: office_only,
        },
        Route {
            path: format!("/office/rounds/{round}/members"),
            body: form(&[("user_id", "1")]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/rounds/{round}/sheets"),
            body: form(&[("sheet_id", "1")]),
            allowed: office_only,
        },
        Route { path: format!("/office/rounds/{round}/rank"), body: form(&[]), allowed: office_only },
        Route {
            path: "/portal/batches".into(),
            body: form(&[
                ("variant_id", &v),
                ("code", "AUTHZ-B3"),
                ("produced_on", "2026-11-02"),
                ("quantity", "5"),
                ("input_material_0", "Muối"),
                ("input_origin_0", "Cà Ná"),
            ]),
            allowed: producer_side,
        },
        Route {
            path: format!("/portal/batches/{batch}/recall"),
            body: form(&[("reason", "Thử quyền thu hồi")]),
            allowed: producer_side,
        },
        Route {
            path: "/office/recalls".into(),
            body: form(&[("batch_id", &batch.to_string()), ("reason", "Thử quyền thu hồi")]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/recalls/{recall}/withdraw"),
            body: form(&[("location_id", &o)]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/recalls/{recall}/close"),
            body: form(&[("note", "Đã xử lý xong")]),
            allowed: office_only,
        },
        // No VNPay or MoMo payment to refund: the office is answered 422, everyone else refused.
        Route {
            path: "/office/orders/OCOP-2026-000001/refund".into(),
            body: form(&[("reason", "Thử quyền hoàn tiền")]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/rounds/{round}/decision"),
            body: form(&[("number", "1/QĐ-AUTHZ"), ("decided_on", "2026-11-20")]),
            allowed: office_only,
        },
        Route {
            path: format!("/office/rounds/{round}/ministry"),
            body: form(&[("number", "2/QĐ-BNN"), ("decided_on", "2026-11-20")]),
            allowed: office_only,
        },
    ];

    let mut failures = Vec::new();
    for route in &routes {
        // The denied first: an allowed request may change what the next one finds.
        for who in [Nobody, Shopper, Owner, OtherProducer, Staff, Office, Commune, Council] {
            let allowed = route.allowed.contains(&who);
            let (cookie, csrf) = match session(who) {
                Some((_, c, t)) => (c, t),
                None => (None, "0".repeat(32)),
            };
            if allowed {
                // Before the real request: a forged token and another site's post are refused.
                let forged = send(&app, cookie.as_deref(), "00ff00ff", route, "same-origin").await;
                let cross = send(&app, cookie.as_deref(), &csrf, route, "cross-site").await;
                if forged != 403 || cross != 403 {
                    failures.push(format!("{} {who:?}: forged token {forged}, cross-site {cross}", route.path));
                }
                continue;
            }
            let status = send(&app, cookie.as_deref(), &csrf, route, "same-origin").await;
            if !matches!(status, 403 | 404) {
                failures.push(format!("{} {who:?}: {status}, expected 403/404", route.path));
            }
        }
        for who in route.allowed {
            let (_, cookie, csrf) = session(*who).unwrap();
            let status = send(&app, cookie.as_deref(), &csrf, route, "same-origin").await;
            if matches!(status, 401 | 403 | 404) || status >= 500 {
                failures.push(format!("{} {who:?}: {status}, expected to be let through", route.path));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation matrix:\n{}", failures.join("\n"));
    // Denied requests left the owner's records as they were: the only stock movement is the allowed one.
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM stock_movements WHERE variant_id = {variant} AND reason = 'received'")
        )
        .await,
        2
    );
}

/// Every office page, its home included, is the office's alone: everyone else gets a 403 page, and
/// the portal's pages are not the office's to browse as a producer either.
#[tokio::test]
async fn every_office_page_answers_403_to_everyone_but_the_office() {
    let app = spawn().await;
    let cert = scalar(&app, "SELECT MIN(id) FROM certificates").await;
    let number: String = {
        use sea_orm::EntityTrait;
        store::entity::certificate::Entity::find_by_id(cert).one(&app.state.store.db).await.unwrap().unwrap().number
    };
    let producer = scalar(&app, "SELECT MIN(id) FROM producers").await;
    let pages = [
        "/office".to_string(),
        "/office/certificates".into(),
        format!("/office/certificates/{}/revoke", app::format::encode(&number)),
        "/office/producers".into(),
        format!("/office/producers/{producer}/statement"),
        "/office/users".into(),
        "/office/showrooms".into(),
        "/office/audit".into(),
        "/office/dashboard".into(),
        "/office/channels".into(),
        "/office/report".into(),
        "/office/rounds".into(),
        "/office/dossiers".into(),
        "/office/recalls".into(),
        "/office/orders".into(),
    ];
    let mut failures = Vec::new();
    for login in [
        None,
        Some("khach@ocop.local"),
        Some("chuthe@ocop.local"),
        Some("nhanvien@ocop.local"),
        Some("vanphong@ocop.local"),
    ] {
        let who = match login {
            Some(l) => signed_in(&app, l).await.0,
            None => Shopper::new(&app),
        };
        for page in &pages {
            let (status, body) = who.get(page).await;
            let office = login == Some("vanphong@ocop.local");
            if office && status != 200 {
                failures.push(format!("{page} for the office: {status}"));
            }
            if !office
                && (status != 403
                    || !body.contains("Trang dành cho văn phòng OCOP") && !body.contains("không xem được"))
            {
                failures.push(format!("{page} for {login:?}: {status}"));
            }
        }
    }
    assert!(failures.is_empty(), "office pages:\n{}", failures.join("\n"));
}
