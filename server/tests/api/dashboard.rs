//! The programme dashboard over real HTTP: the office sees participation for a period, the figure
//! moves when a producer not yet selling sells at a showroom, a refund of that sale takes it back,
//! and nobody else sees it.

use crate::shopper::{Shopper, scalar, signed_in};
use crate::support::spawn;
use crate::sync::{paired, post_json, sale};

fn text_of(body: &str, id: &str) -> String {
    let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    body[at..].split_once('>').unwrap().1.split('<').next().unwrap().to_string()
}

/// "3 / 40 chủ thể …" → (3, 40)
fn counts(page: &str) -> (i64, i64) {
    let t = text_of(page, "participation-count");
    let (a, rest) = t.split_once(" / ").unwrap();
    (a.trim().parse().unwrap(), rest.split_whitespace().next().unwrap().parse().unwrap())
}

#[tokio::test]
async fn participation_moves_with_a_showroom_sale_and_back_with_its_refund() {
    let app = spawn().await;
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let (status, page) = office.get("/office/dashboard?period=2026-H2").await;
    assert_eq!(status, 200);
    assert!(!page.contains("<template"), "rendered whole, readable without JavaScript");
    let (selling, producers) = counts(&page);
    assert!(producers > 10, "seeded producers certified in 2026-H2: {producers}");
    // Worked out from the seed: no sale has been made yet, so nobody sells and everyone is on the to-do list.
    assert_eq!(selling, 0);
    assert_eq!(
        page.matches("<li>").count() as i64
            - page.split("id=\"not-yet\"").next().unwrap().matches("<li>").count() as i64,
        producers
    );

    // A producer on the to-do list sells one unit at a showroom.
    let first = page.split("id=\"not-yet\"").nth(1).unwrap().split("<li>").nth(1).unwrap();
    let name = first.split(" · ").next().unwrap().to_string();
    let sku: String = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = &app.state.store.db;
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
                    "SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id JOIN producers r ON r.id = p.producer_id WHERE r.name = $1 ORDER BY v.id LIMIT 1"
                } else {
                    "SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id JOIN producers r ON r.id = p.producer_id WHERE r.name = ? ORDER BY v.id LIMIT 1"
                },
                [name.clone().into()],
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "sku").unwrap()
    };
    let (showroom, token) = paired(&app, "SR-MUINE").await;
    let s = sale(&sku, 1, 95_000);
    let push = serde_json::json!({"showroom_code": showroom, "sales": [s.clone()]});
    assert_eq!(post_json(&app, "/sync/v1/sales", Some(&token), push.to_string().into_bytes()).await.0, 200);
    let page = office.get("/office/dashboard?period=2026-H2").await.1;
    assert_eq!(counts(&page), (1, producers));
    assert!(!page.split("id=\"not-yet\"").nth(1).unwrap().contains(&format!("<li>{name}")), "off the to-do list");
    assert!(page.contains("Điểm bán SR-MUINE"), "the showroom as a channel");
    // Another period does not see it.
    assert_eq!(counts(&office.get("/office/dashboard?period=2026-H1").await.1).0, 0);

    // The sale is refunded: net nothing sold, the figure goes back.
    let mut refund = sale(&sku, 1, 95_000);
    refund["kind"] = "refund".into();
    refund["refund_of"] = s["id"].clone();
    let push = serde_json::json!({"showroom_code": showroom, "sales": [refund]});
    assert_eq!(post_json(&app, "/sync/v1/sales", Some(&token), push.to_string().into_bytes()).await.0, 200);
    assert_eq!(counts(&office.get("/office/dashboard?period=2026-H2").await.1), (0, producers));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 2);

    // A period that cannot be read is a 400 with the formats; nobody but the office gets in.
    let (status, page) = office.get("/office/dashboard?period=last+year").await;
    assert_eq!(status, 400);
    assert!(text_of(&page, "period-error").contains("2026-H1"));
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(shopper.get("/office/dashboard").await.0, 403);
    assert_eq!(Shopper::new(&app).get("/office/dashboard").await.0, 403);
}
