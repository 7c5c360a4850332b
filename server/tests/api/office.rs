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
    assert_eq!(empty.status, 400, "a reason is required");
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
