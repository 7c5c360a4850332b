//! The showroom sync API: pairing, token scope, sales stored exactly once with their stock
//! movements, and readable refusals of malformed, oversized and wrong-showroom pushes.

use serde_json::{Value, json};

use crate::shopper::{scalar, scalar_text, signed_in};
use crate::support::{TestApp, spawn};

/// The office adds a showroom and a device; returns the showroom code and the one-time pairing code.
async fn device_code(app: &TestApp, showroom: &str) -> (String, String) {
    let (mut office, csrf) = signed_in(app, "vanphong@ocop.local").await;
    office
        .post("/office/showrooms", &[("csrf", &csrf), ("code", showroom), ("name", &format!("Điểm bán {showroom}"))])
        .await;
    let id = scalar(app, &format!("SELECT id FROM locations WHERE code = '{showroom}'")).await;
    let r = office.post(&format!("/office/showrooms/{id}/devices"), &[("csrf", &csrf), ("name", "Quầy 1")]).await;
    // Rendered whole: a streamed page keeps its content in a <template> that only JavaScript shows.
    assert!(!r.body.contains("<template"), "the code is readable without JavaScript");
    let code =
        r.body.split("id=\"pairing-code\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap();
    (showroom.to_string(), code.to_string())
}

pub(crate) async fn post_json(app: &TestApp, path: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut req = app.http.post(format!("{}{path}", app.base)).header("content-type", "application/json").body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub(crate) async fn paired(app: &TestApp, showroom: &str) -> (String, String) {
    let (code_of_showroom, code) = device_code(app, showroom).await;
    let (status, body) = post_json(app, "/sync/v1/pair", None, json!({"code": code}).to_string().into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["showroom_code"], code_of_showroom);
    (code_of_showroom, body["token"].as_str().unwrap().to_string())
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn sale(sku: &str, qty: i64, price: i64) -> Value {
    json!({
        "id": uuid(), "kind": "sale", "receipt_no": "MN1-000001", "shift_id": uuid(),
        "sold_at": "2026-11-28T03:15:00Z",
        "lines": [{"id": uuid(), "sku": sku, "qty": qty, "unit_price": price, "line_total": qty * price}],
        "discount": 0, "total": qty * price,
        "payments": [{"id": uuid(), "method": "cash", "amount": qty * price, "confirmed": true}]
    })
}

#[tokio::test]
async fn a_device_pairs_once_and_acts_only_for_its_showroom() {
    let app = spawn().await;
    let (_, code) = device_code(&app, "SR-MUINE").await;
    let (status, body) = post_json(&app, "/sync/v1/pair", None, br#"{"code": "AAAAA-AAAAA"}"#.to_vec()).await;
    assert_eq!(status, 401);
    assert!(body["message_en"].as_str().unwrap().contains("pairing code is wrong"));
    let (status, body) =
        post_json(&app, "/sync/v1/pair", None, json!({"code": code.to_lowercase()}).to_string().into_bytes()).await;
    assert_eq!(status, 200, "codes are read case-blind: {body}");
    let token = body["token"].as_str().unwrap().to_string();
    let (status, _) = post_json(&app, "/sync/v1/pair", None, json!({"code": code}).to_string().into_bytes()).await;
    assert_eq!(status, 401, "a code pairs once");

    // The catalogue, with this showroom's stock; then only what changed since the cursor.
    let res = app.http.get(format!("{}/sync/v1/catalog", app.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let cat: Value = res.json().await.unwrap();
    assert_eq!(cat["showroom_code"], "SR-MUINE");
    let items = cat["items"].as_array().unwrap();
    assert!(items.len() > 50 && items.iter().all(|i| i["stock"] == 0), "all sizes, nothing in a new showroom yet");
    let cursor = cat["cursor"].as_str().unwrap().to_string();
    let res = app
        .http
        .get(format!("{}/sync/v1/catalog", app.base))
        .query(&[("since", &cursor)])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["items"].as_array().unwrap().len(), 0, "nothing changed since");
    let res =
        app.http.get(format!("{}/sync/v1/catalog?since=yesterday", app.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(app.http.get(format!("{}/sync/v1/catalog", app.base)).send().await.unwrap().status().as_u16(), 401);

    // A second showroom's device: its token cannot post for the first showroom.
    let (other_code, other_token) = paired(&app, "SR-PHANTHIET").await;
    let sku = items[0]["sku"].as_str().unwrap();
    let push = json!({"showroom_code": "SR-MUINE", "sales": [sale(sku, 1, 95_000)]}).to_string().into_bytes();
    let (status, body) = post_json(&app, "/sync/v1/sales", Some(&other_token), push).await;
    assert_eq!(status, 403);
    assert!(body["message_en"].as_str().unwrap().contains("its own showroom"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 0);
    let push = json!({"showroom_code": other_code, "sales": [sale(sku, 1, 95_000)]}).to_string().into_bytes();
    assert_eq!(post_json(&app, "/sync/v1/sales", Some(&other_token), push).await.0, 200);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM pos_sales s JOIN locations l ON l.id = s.location_id WHERE l.code = 'SR-PHANTHIET'"
        )
        .await,
        1
    );

    // The office revokes the device: its token stops working.
    let device = scalar(
        &app,
        "SELECT id FROM pos_devices WHERE location_id = (SELECT id FROM locations WHERE code = 'SR-MUINE')",
    )
    .await;
    let (mut office, csrf) = signed_in(&app, "vanphong@ocop.local").await;
    office.post(&format!("/office/devices/{device}/revoke"), &[("csrf", &csrf)]).await;
    let res = app.http.get(format!("{}/sync/v1/catalog", app.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
}

#[tokio::test]
async fn every_sale_is_stored_once_with_its_stock_movements_whatever_the_retries() {
    let app = spawn().await;
    let (showroom, token) = paired(&app, "SR-MUINE").await;
    let sku: String = {
        use sea_orm::EntityTrait;
        store::entity::variant::Entity::find().one(&app.state.store.db).await.unwrap().unwrap().sku
    };
    let variant = scalar(&app, &format!("SELECT id FROM variants WHERE sku = '{sku}'")).await;
    let first = sale(&sku, 2, 95_000);
    let second = sale(&sku, 1, 95_000);
    let body = |sales: Vec<&Value>| json!({"showroom_code": showroom, "sales": sales}).to_string().into_bytes();

    let (status, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&first])).await;
    assert_eq!(status, 200);
    assert_eq!(r["results"][0]["outcome"], "accepted");
    // A lost acknowledgement: the device pushes it again, with the next sale, several times at once.
    let handles: Vec<_> = (0..5)
        .map(|_| {
            let (http, url, token, body) =
                (app.http.clone(), format!("{}/sync/v1/sales", app.base), token.clone(), body(vec![&first, &second]));
            tokio::spawn(async move {
                let res = http
                    .post(url)
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut results = Vec::new();
    for h in handles {
        results.push(h.await.unwrap());
    }
    let accepted_second = results.iter().filter(|(_, r)| r["results"][1]["outcome"] == "accepted").count();
    assert_eq!(accepted_second, 1, "the second sale stored by exactly one push");
    assert!(results.iter().all(|(s, r)| *s == 200 && r["results"][0]["outcome"] == "duplicate"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 2);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sale_lines").await, 2);
    assert_eq!(scalar(&app, "SELECT CAST(SUM(amount) AS BIGINT) FROM pos_payments").await, 285_000);
    // Stock at the showroom: it had none, so it is now -3, flagged for a stock-take, never refused.
    let loc = scalar(&app, &format!("SELECT id FROM locations WHERE code = '{showroom}'")).await;
    assert_eq!(
        scalar(&app, &format!("SELECT on_hand FROM stock_levels WHERE location_id = {loc} AND variant_id = {variant}"))
            .await,
        -3
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM stock_movements WHERE location_id = {loc} AND reason = 'showroom_sale'")
        )
        .await,
        2
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales WHERE flagged").await, 2);

    // Refunds: of an unknown sale, refused; of the first sale (2 units) in two parts, each once, stock
    // coming back each time; a third part, more than was sold, refused.
    let refund = |of: &Value, qty: i64| {
        let mut r = sale(&sku, qty, 95_000);
        r["kind"] = json!("refund");
        r["refund_of"] = of["id"].clone();
        r
    };
    let level = || async {
        scalar(&app, &format!("SELECT on_hand FROM stock_levels WHERE location_id = {loc} AND variant_id = {variant}"))
            .await
    };
    let stranger = json!({"id": uuid()});
    let (_, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&refund(&stranger, 1)])).await;
    assert_eq!(r["results"][0]["outcome"], "rejected");
    let part = refund(&first, 1);
    let (_, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&part])).await;
    assert_eq!(r["results"][0]["outcome"], "accepted");
    assert_eq!(level().await, -2);
    let (_, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&part, &refund(&first, 1)])).await;
    assert_eq!(
        (r["results"][0]["outcome"].as_str(), r["results"][1]["outcome"].as_str()),
        (Some("duplicate"), Some("accepted"))
    );
    assert_eq!(level().await, -1);
    let (_, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&refund(&first, 1)])).await;
    assert_eq!(r["results"][0]["outcome"], "rejected");
    assert!(r["results"][0]["message_en"].as_str().unwrap().contains("only 0 left to refund"), "{r}");
    // Two tills' worth of refunds of the last unit of a sale, pushed at once: one is stored.
    let lone = sale(&sku, 1, 95_000);
    post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&lone])).await;
    let (a, b) = (refund(&lone, 1), refund(&lone, 1));
    let ((_, ra), (_, rb)) = tokio::join!(
        post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&a])),
        post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&b]))
    );
    let stored = [&ra, &rb].iter().filter(|r| r["results"][0]["outcome"] == "accepted").count();
    assert_eq!(stored, 1, "one refund of the last unit, not two: {ra} {rb}");
    // A sale reusing another sale's line id is refused alone; the next sale in the push is stored.
    let mut reused = sale(&sku, 1, 95_000);
    reused["lines"][0]["id"] = first["lines"][0]["id"].clone();
    let fine = sale(&sku, 1, 95_000);
    let (status, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&reused, &fine])).await;
    assert_eq!(status, 200);
    assert_eq!(
        (r["results"][0]["outcome"].as_str(), r["results"][1]["outcome"].as_str()),
        (Some("rejected"), Some("accepted"))
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 7);

    // Readable refusals: bad arithmetic is rejected per sale and kept off the books.
    let mut wrong = sale(&sku, 1, 95_000);
    wrong["total"] = json!(1);
    let (status, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&wrong])).await;
    assert_eq!(status, 200);
    assert_eq!(r["results"][0]["outcome"], "rejected");
    assert!(r["results"][0]["message_en"].as_str().unwrap().contains("total"));
    let unknown = sale("NO-SUCH-SKU", 1, 1_000);
    let (_, r) = post_json(&app, "/sync/v1/sales", Some(&token), body(vec![&unknown])).await;
    assert!(r["results"][0]["message_vi"].as_str().unwrap().contains("NO-SUCH-SKU"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 7);
    // Malformed, unknown fields, too many sales, too many bytes.
    let (status, r) = post_json(&app, "/sync/v1/sales", Some(&token), b"{\"sales\": [".to_vec()).await;
    assert_eq!(status, 400);
    assert!(r["message_en"].as_str().unwrap().contains("not valid"));
    let (status, _) = post_json(
        &app,
        "/sync/v1/sales",
        Some(&token),
        json!({"showroom_code": showroom, "sales": [], "extra": 1}).to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 400);
    let many: Vec<Value> = (0..201).map(|_| sale(&sku, 1, 95_000)).collect();
    let (status, _) = post_json(
        &app,
        "/sync/v1/sales",
        Some(&token),
        json!({"showroom_code": showroom, "sales": many}).to_string().into_bytes(),
    )
    .await;
    // Past the documented 200 per list: a refused body (400), like any other that breaks the schema.
    assert_eq!(status, 400);
    let (status, _) = post_json(&app, "/sync/v1/sales", Some(&token), vec![b' '; 2 * 1024 * 1024]).await;
    assert_eq!(status, 413);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 7);
    // The API describes itself.
    let (status, spec) = app.json("/sync/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["paths"]["/sync/v1/sales"]["post"].is_object());
}

fn sale_at(sku: &str, qty: i64, at: &str) -> Value {
    let mut s = sale(sku, qty, 10_000);
    s["sold_at"] = json!(at);
    s
}

fn count_at(sku: &str, qty: i64, at: &str) -> Value {
    json!({"id": uuid(), "sku": sku, "kind": "counted", "qty": qty, "at": at})
}

/// Two tills of one showroom: a shelf count and sales reach the marketplace in another order than
/// they happened; the showroom's level is what the shelf holds either way, and the ledger adds up.
#[tokio::test]
async fn a_shelf_count_holds_whatever_order_the_tills_sales_arrive_in() {
    let app = spawn().await;
    let (showroom, till_a) = paired(&app, "SR-MUINE").await;
    let (mut office, csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let loc = scalar(&app, "SELECT id FROM locations WHERE code = 'SR-MUINE'").await;
    let r = office.post(&format!("/office/showrooms/{loc}/devices"), &[("csrf", &csrf), ("name", "Quầy 2")]).await;
    let code =
        r.body.split("id=\"pairing-code\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap();
    let (_, body) = post_json(&app, "/sync/v1/pair", None, json!({"code": code}).to_string().into_bytes()).await;
    let till_b = body["token"].as_str().unwrap().to_string();
    let sku = "BT0001-01";
    let variant = scalar(&app, "SELECT id FROM variants WHERE sku = 'BT0001-01'").await;
    let level = async || {
        scalar(&app, &format!("SELECT on_hand FROM stock_levels WHERE location_id = {loc} AND variant_id = {variant}"))
            .await
    };
    let push = |token: &str, body: Value| {
        let token = token.to_string();
        let app = &app;
        async move { post_json(app, "/sync/v1/sales", Some(&token), body.to_string().into_bytes()).await }
    };
    // 10:00 till B sells 1 (arrives late); 10:05 till A counts 10 (offline, arrives late);
    // 10:10 till B sells 2 (arrives first).
    let (s, _) =
        push(&till_b, json!({"showroom_code": showroom, "sales": [sale_at(sku, 2, "2026-11-28T03:10:00Z")]})).await;
    assert_eq!(s, 200);
    assert_eq!(level().await, -2);
    let (s, b) =
        push(&till_a, json!({"showroom_code": showroom, "stock": [count_at(sku, 10, "2026-11-28T03:05:00Z")]})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["stock_results"][0]["outcome"], "accepted");
    assert_eq!(level().await, 8, "counted 10, then 2 sold after the count");
    let (s, _) =
        push(&till_b, json!({"showroom_code": showroom, "sales": [sale_at(sku, 1, "2026-11-28T03:00:00Z")]})).await;
    assert_eq!(s, 200);
    assert_eq!(level().await, 8, "sold before the count: the count already saw it gone");
    let ledger = scalar(
        &app,
        &format!(
            "SELECT CAST(COALESCE(SUM(qty_delta), 0) AS BIGINT) FROM stock_movements WHERE location_id = {loc} AND variant_id = {variant}"
        ),
    )
    .await;
    assert_eq!(ledger, 8, "the ledger adds up to the level");
    // A received delivery adds, and a stock event sent again changes nothing.
    let delivery = json!({"id": uuid(), "sku": sku, "kind": "received", "qty": 5, "at": "2026-11-28T04:00:00Z"});
    for _ in 0..2 {
        push(&till_a, json!({"showroom_code": showroom, "stock": [delivery.clone()]})).await;
    }
    assert_eq!(level().await, 13);
    // Combos are counted by their parts; bad quantities are refused with a reason.
    let (_, b) = push(
        &till_a,
        json!({"showroom_code": showroom, "stock": [count_at("qua-bien-phan-thiet", 1, "2026-11-28T04:00:00Z"),
            {"id": uuid(), "sku": sku, "kind": "received", "qty": 0, "at": "2026-11-28T04:00:00Z"}]}),
    )
    .await;
    assert_eq!(b["stock_results"][0]["outcome"], "rejected");
    assert!(b["stock_results"][0]["message_en"].as_str().unwrap().contains("combos are counted by their parts"));
    assert_eq!(b["stock_results"][1]["outcome"], "rejected");
}

#[tokio::test]
async fn both_apis_are_described_by_generated_openapi_3_1_documents_and_keep_to_them() {
    let app = spawn().await;
    let (status, sync) = app.json("/sync/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(sync["openapi"], "3.1.0");
    for path in ["/sync/v1/pair", "/sync/v1/catalog", "/sync/v1/sales"] {
        assert!(sync["paths"][path].is_object(), "{path} described");
    }
    // A combo's parts are [sku, qty] pairs: a 3.1 tuple, `prefixItems`, not the old array form.
    let parts = &sync["components"]["schemas"]["CatalogCombo"]["properties"]["parts"]["items"];
    assert_eq!(parts["prefixItems"][0]["type"], "string", "{parts}");
    assert!(parts["prefixItems"][1]["type"].to_string().contains("integer"), "{parts}");
    assert!(sync["components"]["securitySchemes"]["device"].is_object());
    let (status, shop) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(shop["openapi"], "3.1.0");
    let params: Vec<&str> = shop["paths"]["/api/v1/products"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["q", "group", "stars", "valid", "kind", "min_price", "sort", "page", "per_page"] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }

    // A repeated parameter gets the documented JSON error, not plain text.
    let (_, token) = paired(&app, "SR-DOCS").await;
    let res = app
        .http
        .get(format!("{}/sync/v1/catalog?since=2026-11-28T00:00:00Z&since=2026-11-29T00:00:00Z", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    assert!(body["message_en"].as_str().unwrap().contains("since"), "{body}");

    // A whole number written 72.0 is the integer the schema allows.
    let sku = scalar_text(&app, "SELECT sku FROM variants ORDER BY id LIMIT 1").await;
    let mut sale = sale(&sku, 2, 95_000);
    sale["lines"][0]["qty"] = json!(2.0);
    sale["total"] = json!(190_000.0);
    let body = json!({"showroom_code": "SR-DOCS", "sales": [sale]}).to_string().into_bytes();
    let (status, answer) = post_json(&app, "/sync/v1/sales", Some(&token), body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["results"][0]["outcome"], "accepted", "{answer}");
    // A fraction is still refused, with what was wrong.
    let mut half = crate::sync::sale(&sku, 1, 95_000);
    half["lines"][0]["qty"] = json!(1.5);
    let body = json!({"showroom_code": "SR-DOCS", "sales": [half]}).to_string().into_bytes();
    let (status, answer) = post_json(&app, "/sync/v1/sales", Some(&token), body).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["message_en"].as_str().unwrap().contains("not valid"));
}
