//! The office revokes a certificate: only the office may, a reason is required, the badge goes from
//! pages and search at once, and the audit log says who did it, before and after.

use crate::shopper::{Shopper, hidden, scalar};
use crate::support::spawn;

#[tokio::test]
async fn the_office_revokes_a_certificate_and_the_badge_is_gone_with_an_audit_entry() {
    let app = spawn().await;
    let number = "BTH-2025-001";
    let slug: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use store::entity::{certificate, product};
        let c = certificate::Entity::find()
            .filter(certificate::Column::Number.eq(number))
            .one(&app.state.store.db)
            .await
            .unwrap()
            .unwrap();
        product::Entity::find_by_id(c.product_id).one(&app.state.store.db).await.unwrap().unwrap().slug
    };
    let (_, before) = app.get(&format!("/products/{slug}")).await;
    assert!(before.contains("class=\"badge ok"), "a star badge before");
    let valid_before = app.all_items("valid=1").await.len();

    // A producer member cannot, even with a token of its own session.
    let mut member = Shopper::new(&app);
    member
        .post("/account/sign-in", &[("login", "chuthe@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
        .await;
    let (status, _) = member.get("/office/certificates").await;
    assert_eq!(status, 403);
    let (_, account) = member.get("/account").await;
    let member_csrf = hidden(&account, "csrf");
    let r = member
        .post(&format!("/office/certificates/{number}/revoke"), &[("csrf", &member_csrf), ("reason", "không đạt")])
        .await;
    assert_eq!(r.status, 403);

    let mut office = Shopper::new(&app);
    office
        .post("/account/sign-in", &[("login", "vanphong@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
        .await;
    let (status, list) = office.get("/office/certificates").await;
    assert_eq!(status, 200);
    let csrf = hidden(&list, "csrf");
    let empty =
        office.post(&format!("/office/certificates/{number}/revoke"), &[("csrf", &csrf), ("reason", " ")]).await;
    assert_eq!(empty.status, 422, "a reason is required");
    assert!(empty.body.contains("id=\"reason-error\"") && empty.body.contains("Cần ghi lý do"), "beside its field");
    let reason = "Không đạt tiêu chí bắt buộc khi đánh giá lại";
    let done =
        office.post(&format!("/office/certificates/{number}/revoke"), &[("csrf", &csrf), ("reason", reason)]).await;
    assert_eq!((done.status, done.location.as_str()), (303, "/office/certificates?notice=revoked"));

    let (_, after) = app.get(&format!("/products/{slug}")).await;
    assert!(after.contains("Đã thu hồi") && after.contains(reason), "the product page shows the revocation");
    assert!(!after.contains("class=\"badge ok"), "no star badge after");
    assert_eq!(app.all_items("valid=1").await.len(), valid_before - 1, "search no longer lists it as certified");
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE entity_key = '{number}' AND action = 'revoke' AND actor_name = 'Văn phòng OCOP mẫu' AND before LIKE '%null%' AND after LIKE '%đánh giá lại%'")).await, 1);
    let again =
        office.post(&format!("/office/certificates/{number}/revoke"), &[("csrf", &csrf), ("reason", reason)]).await;
    assert_eq!(again.status, 409, "revoked once");
}

#[tokio::test]
async fn the_office_records_upgrades_and_the_badge_follows_the_calendar() {
    let app = spawn().await;
    let today = app.state.store.today();
    store::certificates::follow_the_calendar(&app.state.store).await.unwrap();
    let (mut member, mcsrf) = crate::shopper::signed_in(&app, "chuthe@ocop.local").await;
    let created = member
        .post(
            "/portal/products/new",
            &[
                ("csrf", &mcsrf),
                ("name_vi", "Hạt điều rang muối Đức Linh"),
                ("name_en", "Salted roasted cashews, Đức Linh"),
                ("group", "food"),
                ("category", "Hạt điều"),
                ("sku", "HDL-250"),
                ("size_vi", "Hũ 250 g"),
                ("price", "120000"),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let id: i64 = created.location.trim_start_matches("/portal/products/").split('?').next().unwrap().parse().unwrap();
    let listed = |items: Vec<serde_json::Value>| items.iter().any(|i| i["id"] == id);
    assert!(listed(app.all_items("q=hat%20dieu%20duc%20linh").await), "listed without a badge");
    assert!(!listed(app.all_items("valid=1").await), "no certificate yet");

    let (mut office, csrf) = crate::shopper::signed_in(&app, "vanphong@ocop.local").await;
    let day = |d: i64| (today - chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
    let pid = id.to_string();
    let record = |kind: &'static str, number: &'static str, stars: &'static str, decided: String| {
        vec![
            ("csrf", csrf.clone()),
            ("product_id", pid.clone()),
            ("kind", kind.to_string()),
            ("number", number.to_string()),
            ("stars", stars.to_string()),
            ("score", String::new()),
            ("decided_on", decided),
        ]
    };
    let post = async |o: &mut Shopper<'_>, f: Vec<(&str, String)>| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        o.post("/office/certificates", &f).await
    };
    // A producer member may not record stars for itself.
    let r = post(
        &mut member,
        record("new", "QĐ-TEST-01", "5", day(30))
            .into_iter()
            .map(|(k, v)| if k == "csrf" { (k, mcsrf.clone()) } else { (k, v) })
            .collect(),
    )
    .await;
    assert_eq!(r.status, 403);
    let r = post(&mut office, record("new", "QĐ-TEST-01", "4", day(30))).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(listed(app.all_items("valid=1&stars=4").await), "badge in search at once");
    let r = post(&mut office, record("new", "QĐ-TEST-02", "4", day(20))).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("chọn cấp lại hoặc nâng hạng"), "a second new certificate is refused");
    let r = post(&mut office, record("upgrade", "QĐ-TEST-01", "5", day(10))).await;
    assert!(r.status == 422 && r.body.contains("Số giấy chứng nhận này đã có"), "numbers are unique");
    let r = post(&mut office, record("upgrade", "QĐ-TEST-03", "5", day(10))).await;
    assert_eq!(r.status, 303);
    assert!(listed(app.all_items("valid=1&stars=5").await), "upgraded to 5 stars");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'certificate' AND entity_key LIKE 'QĐ-TEST-%' AND action IN ('new', 'upgrade')").await,
        2
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM certificates WHERE number = 'QĐ-TEST-03' AND kind = 'upgrade'").await,
        1
    );

    // The upgrade is valid through the same day 36 months on, and that day still shows the badge...
    let last = domain::certificate::last_valid_day(today - chrono::Duration::days(10));
    app.state.store.set_today(last);
    store::certificates::follow_the_calendar(&app.state.store).await.unwrap();
    assert!(listed(app.all_items("valid=1").await), "valid on its last valid day");
    // ...then the day turns: the job takes the badge off search and pages.
    app.state.store.set_today(last + chrono::Duration::days(1));
    assert!(store::certificates::follow_the_calendar(&app.state.store).await.unwrap() >= 1);
    assert!(!listed(app.all_items("valid=1").await), "expired: not certified in search");
    let slug: String = {
        use sea_orm::EntityTrait;
        store::entity::product::Entity::find_by_id(id).one(&app.state.store.db).await.unwrap().unwrap().slug
    };
    let (_, page) = app.get(&format!("/products/{slug}")).await;
    assert!(!page.contains("class=\"badge ok") && page.contains("QĐ-TEST-03"), "no badge on the page, the record kept");
    assert_eq!(store::certificates::follow_the_calendar(&app.state.store).await.unwrap(), 0, "once per day");
}

#[tokio::test]
async fn the_office_keeps_producers_roles_showrooms_and_devices_and_every_change_is_in_the_audit_log() {
    let app = spawn().await;
    let (mut office, csrf) = crate::shopper::signed_in(&app, "vanphong@ocop.local").await;

    // A producer with its contacts; a bad phone comes back beside its field with what was typed.
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("name", "HTX Thanh long Hàm Thuận Nam"),
        ("kind", "htx"),
        ("district", "Hàm Thuận Nam"),
        ("province", "Lâm Đồng"),
        ("commune", "Xã Hàm Thuận Nam"),
        ("contact_name", "Trần Văn Hùng"),
        ("phone", "0912"),
        ("email", "htx@example.vn"),
    ];
    let r = office.post("/office/producers", &fields).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Số điện thoại không hợp lệ") && r.body.contains("value=\"Trần Văn Hùng\""));
    fields.retain(|(k, _)| *k != "phone");
    fields.push(("phone", "0912 345 678"));
    assert_eq!(office.post("/office/producers", &fields).await.status, 303);
    let id =
        scalar(&app, "SELECT id FROM producers WHERE name = 'HTX Thanh long Hàm Thuận Nam' AND phone = '0912345678'")
            .await;
    let (_, list) = office.get("/office/producers").await;
    assert!(list.contains("HTX Thanh long Hàm Thuận Nam") && list.contains("Trần Văn Hùng"));

    // A shopper becomes this producer's member: signed out everywhere, then signs in to the portal.
    let (shopper, _) = crate::shopper::signed_in(&app, "khach@ocop.local").await;
    let user = scalar(&app, "SELECT id FROM users WHERE email = 'khach@ocop.local'").await;
    let idtxt = id.to_string();
    let r = office.post(&format!("/office/users/{user}/role"), &[("csrf", &csrf), ("role", "producer")]).await;
    assert_eq!(r.status, 422, "a member needs a producer");
    let r = office
        .post(&format!("/office/users/{user}/role"), &[("csrf", &csrf), ("role", "producer"), ("producer_id", &idtxt)])
        .await;
    assert_eq!(r.status, 303);
    assert!(shopper.get("/account").await.1.contains("/account/sign-in"), "the old session ended");
    let (member, _) = crate::shopper::signed_in(&app, "khach@ocop.local").await;
    assert!(member.get("/portal").await.1.contains("HTX Thanh long Hàm Thuận Nam"));
    // The office cannot lock itself out.
    let me = scalar(&app, "SELECT id FROM users WHERE email = 'vanphong@ocop.local'").await;
    let r = office.post(&format!("/office/users/{me}/role"), &[("csrf", &csrf), ("role", "shopper")]).await;
    assert_eq!(r.status, 422);

    // A showroom and a POS device: the pairing code is shown once and kept only as a hash.
    let r = office
        .post(
            "/office/showrooms",
            &[("csrf", &csrf), ("code", "sr-muine"), ("name", "Điểm bán Mũi Né"), ("address", "Mũi Né")],
        )
        .await;
    assert_eq!(r.status, 303);
    let showroom = scalar(&app, "SELECT id FROM locations WHERE code = 'SR-MUINE' AND kind = 'showroom'").await;
    let r = office.post(&format!("/office/showrooms/{showroom}/devices"), &[("csrf", &csrf), ("name", "Quầy 1")]).await;
    assert_eq!(r.status, 200);
    let code = r
        .body
        .split("id=\"pairing-code\"")
        .nth(1)
        .expect("code shown")
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 11, "XXXXX-XXXXX: {code}");
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM pos_devices WHERE code_hash = '{}'", sha256(&code))).await,
        1
    );
    let (_, page) = office.get("/office/showrooms").await;
    assert!(!page.contains(&code), "not shown again");
    let device = scalar(&app, "SELECT id FROM pos_devices WHERE name = 'Quầy 1'").await;
    assert_eq!(office.post(&format!("/office/devices/{device}/revoke"), &[("csrf", &csrf)]).await.status, 303);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM pos_devices WHERE id = {device} AND revoked_at IS NOT NULL AND code_hash IS NULL"
            )
        )
        .await,
        1
    );

    // Every change, with who did it.
    let (_, audit) = office.get("/office/audit").await;
    // Every change, as a sentence naming who did it.
    for sentence in [
        "Văn phòng OCOP mẫu tạo chủ thể số",
        "Văn phòng OCOP mẫu đổi vai trò của tài khoản",
        "Văn phòng OCOP mẫu thêm máy bán hàng cho điểm bán",
        "Văn phòng OCOP mẫu thu hồi máy bán hàng số",
    ] {
        assert!(audit.contains(sentence), "{sentence} in the audit log");
    }
    assert!(!audit.contains("add_device") && !audit.contains("{&quot;"), "no raw codes or JSON");
    let (_, only_users) = office.get("/office/audit?f=user").await;
    assert!(only_users.contains("đổi vai trò") && !only_users.contains("thêm máy bán hàng"));
    assert_eq!(member.get("/office/audit").await.0, 403);
}

fn sha256(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

/// The office invites a producer's new member by email: the account exists at once with the role,
/// the invitation goes through the outbox with a link, the link sets a password once, and the person
/// then signs in and lands in the portal. A second invitation to the same email is refused by field.
#[tokio::test]
async fn an_invited_member_sets_a_password_from_the_outbox_and_lands_in_the_portal() {
    let app = spawn().await;
    let (mut office, csrf) = crate::shopper::signed_in(&app, "vanphong@ocop.local").await;
    let producer = scalar(&app, "SELECT MIN(id) FROM producers").await.to_string();
    let invite = [
        ("csrf", csrf.as_str()),
        ("name", "Trần Thị Lan"),
        ("email", "Lan.Tran@Example.vn"),
        ("role", "producer"),
        ("producer_id", producer.as_str()),
    ];
    let r = office.post("/office/users/invite", &invite).await;
    assert_eq!(r.status, 303);
    assert!(r.location.starts_with("/office/users?notice=invited"), "{}", r.location);
    let (_, list) = office.get("/office/users?q=lan+tran").await;
    assert!(list.contains("Trần Thị Lan") && list.contains("lan.tran@example.vn"), "searchable by name and email");
    let again = office.post("/office/users/invite", &invite).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("đã có tài khoản"), "one account per email");
    let missing = office
        .post("/office/users/invite", &[("csrf", &csrf), ("name", "X"), ("email", "x"), ("role", "producer")])
        .await;
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("Nhập một địa chỉ email") && missing.body.contains("cần chọn chủ thể"));

    let body: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let n = store::entity::notification::Entity::find()
            .filter(store::entity::notification::Column::Recipient.eq("lan.tran@example.vn"))
            .all(&app.state.store.db)
            .await
            .unwrap();
        assert_eq!(n.len(), 1, "one invitation");
        n[0].body.clone()
    };
    assert!(body.contains("Trần Thị Lan") && body.contains("7 ngày"));
    let link = body.split_whitespace().find(|w| w.contains("/account/reset/")).unwrap();
    let path = link.split("ocop.example.vn").nth(1).unwrap().to_string();
    let mut lan = Shopper::new(&app);
    let failed =
        lan.post("/account/sign-in", &[("login", "lan.tran@example.vn"), ("password", "mat-khau-cua-lan")]).await;
    assert_ne!(failed.location, "/portal", "no password works before the invitation is used");
    assert_eq!(lan.post(&path, &[("password", "mat-khau-cua-lan")]).await.location, "/account/sign-in?notice=reset");
    let signed =
        lan.post("/account/sign-in", &[("login", "lan.tran@example.vn"), ("password", "mat-khau-cua-lan")]).await;
    assert_eq!((signed.status, signed.location.as_str()), (303, "/portal"), "a producer member lands in the portal");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'invite' AND entity_key = 'lan.tran@example.vn'")
            .await,
        1
    );
}

/// A certificate's validity is stated one way: decided 20/11/2026, it is valid through 20/11/2029,
/// and the office list, the public check and the JSON API (`last_valid_day`) all say that day.
#[tokio::test]
async fn every_page_and_the_api_state_the_same_last_valid_day() {
    let app = spawn().await;
    let (mut office, csrf) = crate::shopper::signed_in(&app, "vanphong@ocop.local").await;
    let product = scalar(&app, "SELECT MIN(product_id) FROM certificates").await;
    let stars =
        scalar(&app, &format!("SELECT CAST(MAX(stars) AS BIGINT) FROM certificates WHERE product_id = {product}"))
            .await
            .to_string();
    let product = product.to_string();
    let r = office
        .post(
            "/office/certificates",
            &[
                ("csrf", &csrf),
                ("product_id", &product),
                ("kind", "renewal"),
                ("number", "QĐ-LAST-DAY"),
                ("stars", &stars),
                ("decided_on", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (_, list) = office.get("/office/certificates?q=QĐ-LAST-DAY").await;
    let row = list.split("id=\"cert-QĐ-LAST-DAY\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("20/11/2029") && !row.contains("19/11/2029") && !row.contains("21/11/2029"), "{row}");
    let (_, public) = app.get("/verify/Q%C4%90-LAST-DAY").await;
    assert!(public.contains("20/11/2029") && !public.contains("19/11/2029"));
    let (status, json) = app.get("/api/v1/certificates/Q%C4%90-LAST-DAY").await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["last_valid_day"], "2029-11-20");
    assert_eq!(v["last_valid_day_range"], serde_json::json!(["2029-11-20", "2029-11-20"]));
    assert!(v.get("valid_until").is_none(), "no field that reads as the day after");
}
