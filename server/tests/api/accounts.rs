//! Sign-up, sign-in, throttling and sessions over HTTP.

use crate::shopper::{Shopper, hidden, scalar};
use crate::support::spawn;

#[tokio::test]
async fn a_shopper_signs_up_is_signed_in_and_a_taken_login_is_refused_with_the_form_kept() {
    let app = spawn().await;
    let mut s = Shopper::new(&app);
    let r = s
        .post(
            "/account/sign-up",
            &[("name", "Lê Thị Thu"), ("login", "Thu@Example.vn"), ("password", "nuoc-mam-ngon-nhat")],
        )
        .await;
    assert_eq!((r.status, r.location.as_str()), (303, "/account?notice=welcome"));
    let sid = s.cookie.clone().unwrap();
    assert!(sid.starts_with("sid="));
    let (status, page) = s.get("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("Lê Thị Thu") && page.contains("thu@example.vn") && page.contains("Khách hàng"), "{page}");
    let hash: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        store::entity::user::Entity::find()
            .filter(store::entity::user::Column::Email.eq("thu@example.vn"))
            .one(&app.state.store.db)
            .await
            .unwrap()
            .unwrap()
            .password_hash
    };
    assert!(hash.starts_with("$argon2id$"), "argon2id PHC hash, not the password");

    let mut other = Shopper::new(&app);
    let taken =
        other.post("/account/sign-up", &[("name", "Người Khác"), ("login", "thu@example.vn"), ("password", "x")]).await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("đã có tài khoản"), "login taken");
    assert!(taken.body.contains("ít nhất 10 ký tự"), "password too short, reported at the same time");
    assert!(taken.body.contains("value=\"Người Khác\""), "typed name kept");
    assert!(!taken.body.contains("value=\"x\""), "the password is never echoed");
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_throttled_after_five() {
    let app = spawn().await;
    let mut s = Shopper::new(&app);
    let unknown = s.post("/account/sign-in", &[("login", "nobody@ocop.local"), ("password", "whatever-123")]).await;
    let wrong = s.post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", "wrong-password")]).await;
    assert_eq!((unknown.status, wrong.status), (401, 401));
    assert!(wrong.body.contains("Sai email/số điện thoại hoặc mật khẩu"));
    assert!(wrong.body.contains("value=\"khach@ocop.local\""), "login kept");
    for _ in 0..4 {
        s.post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", "wrong-password")]).await;
    }
    let right = s
        .post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
        .await;
    assert_eq!(right.status, 429, "five failures lock the account for a while, even with the right password");
    assert!(right.body.contains("thử lại sau 15 phút"));
    assert!(s.cookie.is_none());
    // Another account is not affected.
    let admin = s
        .post("/account/sign-in", &[("login", "vanphong@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
        .await;
    assert_eq!((admin.status, admin.location.as_str()), (303, "/office"), "office staff land in the office");
    let (_, page) = s.get("/account").await;
    assert!(page.contains("Văn phòng OCOP"), "the demo office account has the admin role");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_and_needs_the_token() {
    let app = spawn().await;
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM users").await,
        7,
        "the demo accounts: one per role, two council members"
    );
    let mut phone = Shopper::new(&app);
    let mut laptop = Shopper::new(&app);
    for s in [&mut phone, &mut laptop] {
        let r = s
            .post("/account/sign-in", &[("login", "chuthe@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
            .await;
        assert_eq!(r.status, 303);
    }
    let set = laptop.cookie.clone().unwrap();
    let (_, page) = laptop.get("/account").await;
    let csrf = hidden(&page, "csrf");
    let forged = laptop.post("/account/sign-out-everywhere", &[("csrf", "deadbeef")]).await;
    assert_eq!(forged.status, 403);
    let r = laptop.post("/account/sign-out-everywhere", &[("csrf", &csrf)]).await;
    assert_eq!(r.location, "/account/sign-in?notice=everywhere");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
    let (_, page) = phone.get("/account").await;
    assert!(!page.contains("account-name"), "the other device is signed out too");
    let old = Shopper { app: &app, cookie: Some(set) };
    let (_, page) = old.get("/account").await;
    assert!(!page.contains("account-name"), "the old cookie no longer works");
}

#[tokio::test]
async fn a_password_is_reset_through_the_outbox_once() {
    let app = spawn().await;
    let mut s = Shopper::new(&app);
    s.post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)]).await;
    assert!(s.cookie.is_some());
    let mut anon = Shopper::new(&app);
    let r = anon.post("/account/reset", &[("login", "KHACH@ocop.local")]).await;
    assert_eq!(r.location, "/account/reset?notice=sent");
    let unknown = anon.post("/account/reset", &[("login", "nobody@ocop.local")]).await;
    assert_eq!(unknown.location, r.location, "the answer does not reveal which accounts exist");
    let body: String = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let n = store::entity::notification::Entity::find()
            .filter(store::entity::notification::Column::Recipient.eq("khach@ocop.local"))
            .all(&app.state.store.db)
            .await
            .unwrap();
        assert_eq!(n.len(), 1);
        n[0].body.clone()
    };
    let link = body.split_whitespace().find(|w| w.contains("/account/reset/")).unwrap();
    let path = link.split("ocop.example.vn").nth(1).unwrap().to_string();
    let short = anon.post(&path, &[("password", "short")]).await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("ít nhất 10 ký tự"));
    let ok = anon.post(&path, &[("password", "mat-khau-moi-2026")]).await;
    assert_eq!(ok.location, "/account/sign-in?notice=reset");
    let again = anon.post(&path, &[("password", "mat-khau-khac-2026")]).await;
    assert!(again.body.contains("hết hạn hoặc đã dùng"), "a link works once");
    let (_, page) = s.get("/account").await;
    assert!(!page.contains("account-name"), "resetting ends existing sessions");
    let old = anon
        .post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", store::accounts::DEMO_PASSWORD)])
        .await;
    assert_eq!(old.status, 401);
    let new = anon.post("/account/sign-in", &[("login", "khach@ocop.local"), ("password", "mat-khau-moi-2026")]).await;
    assert_eq!(new.status, 303);
}
