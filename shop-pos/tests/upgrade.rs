//! A till in a showroom keeps everything across an upgrade: a database written by the till as it was
//! released on 2026-12-01 (before its schema steps were numbered; `fixtures/till-2026-12-01.sql`, a
//! `.dump` of a demo till after two sales, a refund, a delivery and a scan left in the cart) is opened
//! by this build, upgraded, and sells, refunds and reports on from where it was.

mod support;

use support::{start_pos, temp_dir, text_of};

async fn load_fixture(dir: &std::path::Path) {
    let url = format!("sqlite://{}?mode=rwc", dir.join("pos.db").display());
    let db = sea_orm::Database::connect(url).await.unwrap();
    let dump = include_str!("fixtures/till-2026-12-01.sql");
    sea_orm::ConnectionTrait::execute_unprepared(&db, dump).await.expect("the dump loads");
    db.close().await.unwrap();
}

async fn count(state: &shop_pos::routes::PosState, sql: &str) -> i64 {
    let row =
        sea_orm::ConnectionTrait::query_one_raw(&state.db, shop_pos::db::stmt(sql, vec![])).await.unwrap().unwrap();
    row.try_get_by_index(0).unwrap()
}

#[tokio::test]
async fn a_till_from_the_first_release_upgrades_and_keeps_every_sale_and_outbox_entry() {
    let dir = temp_dir("till-upgrade");
    load_fixture(&dir.0).await;
    let pos = start_pos(&dir.0, None).await;

    // The steps: the first release's one (recorded as `db`) is renamed, not run again; the rest ran.
    let applied = shop_pos::migrations::applied(&pos.state.db).await.unwrap();
    let names: Vec<&str> = shop_pos::migrations::STEPS.iter().map(|s| s.name).collect();
    assert_eq!(applied, names, "every step recorded once, in order");
    assert_eq!(pos.status().await["schema"], shop_pos::migrations::latest());

    // Nothing lost: 2 sales and a refund, 4 outbox entries (3 sales, 1 delivery), none sent (demo).
    assert_eq!(count(&pos.state, "SELECT COUNT(*) FROM sales").await, 3);
    assert_eq!(count(&pos.state, "SELECT COUNT(*) FROM outbox").await, 4);
    assert_eq!(count(&pos.state, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND rejected IS NULL").await, 4);
    assert_eq!(count(&pos.state, "SELECT COUNT(*) FROM stock_events").await, 1);
    assert_eq!(pos.status().await["unsynced"], 4);

    // The manager's PIN still signs in, the shift is still open, the cart still holds its scan.
    pos.sign_in("Nguyễn Thị Hoà", "2468").await;
    let sell = pos.get("/sell").await;
    assert_eq!(sell.status, 200, "{}", sell.location);
    assert!(sell.body.contains("BT0004-01"), "the cart kept its line");
    for no in ["DEMO-000001", "DEMO-000002", "DEMO-000003"] {
        assert_eq!(pos.get(&format!("/receipts/{no}")).await.status, 200, "{no} still prints");
    }

    // The first sale (3 × BT0001-01 and 1 × BT0002-01) had one bottle refunded under the old rule;
    // the new rule lets the customer bring back the other two, one at a time, and no more.
    let form = pos.get("/refund?no=000001").await.body;
    let line = form.split("name=\"qty_").nth(1).unwrap().split('"').next().unwrap().to_string();
    let qty = format!("qty_{line}");
    let hoa = pos.staff_id("Nguyễn Thị Hoà").await;
    for _ in 0..2 {
        let review = pos.post("/refund", &[("receipt_no", "DEMO-000001"), (&qty, "1"), ("method", "cash")]).await;
        assert_eq!(review.status, 200, "{}", review.body);
        let id =
            review.body.split("name=\"refund_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let r = pos
            .post(
                "/refund",
                &[
                    ("receipt_no", "DEMO-000001"),
                    (&qty, "1"),
                    ("method", "cash"),
                    ("refund_id", &id),
                    ("manager_id", &hoa),
                    ("pin", "2468"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let more = pos.post("/refund", &[("receipt_no", "DEMO-000001"), (&qty, "1"), ("method", "cash")]).await;
    assert_eq!(more.status, 422);
    assert!(more.body.contains("chỉ còn 0"), "{}", text_of(&more.body, "error"));
    assert_eq!(count(&pos.state, "SELECT COUNT(*) FROM outbox").await, 6, "two more refunds queued, nothing dropped");
}
