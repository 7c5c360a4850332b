use domain::OcopGroup;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use store::entity::product;
use store::seed::source_rows;

use crate::support::{backend, spawn, store_config, temp_dir};

fn names(items: &[serde_json::Value]) -> Vec<String> {
    items.iter().map(|i| i["name_vi"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_whole_real_catalogue_is_listed() {
    let app = spawn().await;
    let rows = source_rows().unwrap();
    let items = app.all_items("").await;
    assert_eq!(items.len(), rows.len(), "backend {}", backend());
    let mut listed = names(&items);
    listed.sort();
    let mut expected: Vec<String> = rows.iter().map(|r| r.name_vi.clone()).collect();
    expected.sort();
    assert_eq!(listed, expected);
    // Producers exactly as the sources name them, and none where the source has none.
    for r in &rows {
        let item = items.iter().find(|i| i["name_vi"] == r.name_vi.as_str()).unwrap();
        assert_eq!(item["producer_name"].as_str(), r.producer.as_deref(), "{}", r.name_vi);
        assert_eq!(item["district"].as_str(), if r.producer.is_some() { r.district.as_deref() } else { None });
    }
}

#[tokio::test]
async fn filters_narrow_the_catalogue() {
    let app = spawn().await;
    let rows = source_rows().unwrap();

    let drinks = app.all_items("group=drinks").await;
    let expected = rows.iter().filter(|r| OcopGroup::for_category(&r.category) == OcopGroup::Drinks).count();
    assert_eq!(drinks.len(), expected);
    assert!(drinks.iter().all(|i| i["group"] == "Drinks"));

    let four_up = app.all_items("stars=4").await;
    let expected = rows.iter().filter(|r| r.stars.is_some_and(|s| s >= 4)).count();
    assert_eq!(four_up.len(), expected);
    assert!(four_up.iter().all(|i| i["cert"]["stars"].as_u64().unwrap() >= 4));

    // On 2026-11-28 only certificates decided in 2024 or 2025 are certainly still valid.
    let valid = app.all_items("valid=1").await;
    let expected = rows.iter().filter(|r| r.stars.is_some() && r.year.is_some_and(|y| y >= 2024)).count();
    assert_eq!(valid.len(), expected);
    for i in &valid {
        let status = i["cert"]["status"].as_str().unwrap();
        assert!(status == "Valid" || status == "Expiring", "{status}");
    }

    let duc_linh = app.all_items("district=%C4%90%E1%BB%A9c+Linh").await;
    let expected = rows.iter().filter(|r| r.producer.is_some() && r.district.as_deref() == Some("Đức Linh")).count();
    assert_eq!(duc_linh.len(), expected);

    let htx = app.all_items("kind=HTX").await;
    let expected = rows.iter().filter(|r| r.producer_kind.as_deref() == Some("HTX")).count();
    assert_eq!(htx.len(), expected);

    let cheap = app.all_items("max_price=50000&sort=price_asc").await;
    assert!(!cheap.is_empty());
    let prices: Vec<i64> = cheap.iter().map(|i| i["min_price"].as_i64().unwrap()).collect();
    assert!(prices.iter().all(|p| *p <= 50_000));
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "sorted by price: {prices:?}");

    let category = app.all_items("category=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm").await;
    assert_eq!(category.len(), rows.iter().filter(|r| r.category == "nước mắm").count());
}

#[tokio::test]
async fn pages_split_the_catalogue_without_overlap() {
    let app = spawn().await;
    let (_, p1) = app.json("/api/v1/products?per_page=10&sort=price_desc").await;
    let (_, p7) = app.json("/api/v1/products?per_page=10&sort=price_desc&page=7").await;
    assert_eq!(p1["total"], 63);
    assert_eq!(p1["items"].as_array().unwrap().len(), 10);
    assert_eq!(p7["items"].as_array().unwrap().len(), 3);
    let (_, p2) = app.json("/api/v1/products?per_page=10&sort=price_desc&page=2").await;
    let first: Vec<_> = p1["items"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect();
    assert!(p2["items"].as_array().unwrap().iter().all(|i| !first.contains(&i["id"])));
    let (_, beyond) = app.json("/api/v1/products?page=40").await;
    assert_eq!(beyond["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn bad_filters_get_a_readable_400() {
    let app = spawn().await;
    for (query, param) in [
        ("stars=9", "stars"),
        ("page=0", "page"),
        ("page=1000000", "page"),
        ("per_page=5000", "per_page"),
        ("sort=random", "sort"),
        ("group=cars", "group"),
        ("min_price=abc", "min_price"),
        ("valid=maybe", "valid"),
    ] {
        let (status, body) = app.json(&format!("/api/v1/products?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["param"], param, "{query}");
        assert!(!body["message_vi"].as_str().unwrap().is_empty());
        assert!(!body["message_en"].as_str().unwrap().is_empty());
    }
    let long = "a".repeat(201);
    let (status, body) = app.json(&format!("/api/v1/products?q={long}")).await;
    assert_eq!(status, 400);
    assert!(body["message_en"].as_str().unwrap().contains("200"));
    let (status, _) = app.json("/api/v1/products/khong-ton-tai").await;
    assert_eq!(status, 404);
    // Price bounds typed the wrong way round are read in order, not refused.
    let (status, body) = app.json("/api/v1/products?min_price=200000&max_price=50000&per_page=60").await;
    assert_eq!(status, 200, "{body}");
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| (50_000..=200_000).contains(&i["min_price"].as_i64().unwrap())), "{body}");
}

#[tokio::test]
async fn the_search_index_follows_catalogue_changes() {
    let app = spawn().await;
    // Before the edit no product holds both words: other pitaya wines stand in, said to be partial.
    let (_, before) = app.json("/api/v1/products?q=pitaya+brut").await;
    assert_eq!(before["partial"], true);
    assert!(before["items"].as_array().unwrap().iter().all(|i| i["slug"] != "ruou-vang-thanh-long-ham-duc"));
    // Listed once, so its card is cached: the edit must replace the cached card too.
    let (_, listed) = app.json("/api/v1/products?q=ruou+vang+ham+duc").await;
    assert_eq!(listed["items"][0]["name_en"], "Hàm Đức dragon fruit wine");

    let synced =
        app.edit_product("ruou-vang-thanh-long-ham-duc", |p| p.name_en = Set("Hàm Đức pitaya brut".into())).await;
    assert_eq!(synced, 1);
    let (_, after) = app.json("/api/v1/products?q=pitaya+brut").await;
    assert_eq!((after["total"].as_u64(), after["partial"].as_bool()), (Some(1), Some(false)));
    assert_eq!(after["items"][0]["slug"], "ruou-vang-thanh-long-ham-duc");
    assert_eq!(after["items"][0]["name_en"], "Hàm Đức pitaya brut");

    // Hiding a product takes it out of search.
    app.edit_product("ruou-vang-thanh-long-ham-duc", |p| p.status = Set("hidden".into())).await;
    let (_, hidden) = app.json("/api/v1/products?q=pitaya+brut").await;
    assert_eq!(hidden["partial"], true);
    assert!(hidden["items"].as_array().unwrap().iter().all(|i| i["slug"] != "ruou-vang-thanh-long-ham-duc"));
    let (status, _) = app.get("/products/ruou-vang-thanh-long-ham-duc").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_restart_catches_up_on_edits_made_while_the_server_was_down() {
    let dir = temp_dir();
    let config = store_config(&dir.0).await;
    let first = store::Store::open(&config).await.unwrap();
    let db = first.db.clone();
    drop(first);

    // Edited while no server runs (an import script, another replica before the index was shared).
    let p = product::Entity::find().filter(product::Column::Slug.eq("nho-hong-nhat")).one(&db).await.unwrap().unwrap();
    let mut edit: product::ActiveModel = p.into();
    edit.name_en = Set("Hồng Nhật table grapes muscat".into());
    edit.updated_at = Set(chrono::Utc::now() + chrono::Duration::seconds(1));
    edit.update(&db).await.unwrap();

    let again = store::Store::open(&store::StoreConfig { seed: true, ..config }).await.unwrap();
    let q = domain::listing::CatalogQuery { q: "muscat".into(), ..Default::default() };
    let page = again.catalog_page(&q).await.unwrap();
    assert_eq!(page.items.first().map(|c| c.slug.as_str()), Some("nho-hong-nhat"));
    assert_eq!(page.total, 1);
}

/// Restarted soon after an import, the server does not send the whole import to the index again:
/// the look-back window's stamps are kept with the index.
#[tokio::test]
async fn a_restart_soon_after_an_import_sends_only_what_changed() {
    let dir = temp_dir();
    let config = store_config(&dir.0).await;
    let first = store::Store::open(&config).await.unwrap();
    let db = first.db.clone();
    let import = chrono::Utc::now() + chrono::Duration::seconds(1);
    crate::support::stamp_every_product(&db, import).await;
    let imported = first.sync_index().await.unwrap();
    assert!(imported.sent >= 60, "the import is indexed: {imported:?}");
    drop(first);

    let again = store::Store::open(&config).await.unwrap();
    // What starting does, once more: the import is read (it is inside the window) and passed over.
    let restart = again.rebuild_index_if_stale().await.unwrap();
    assert_eq!(restart, store::Synced { read: imported.sent, sent: 0 });
    // An edit since is sent, alone.
    let p = product::Entity::find().filter(product::Column::Slug.eq("nho-hong-nhat")).one(&db).await.unwrap().unwrap();
    let mut edit: product::ActiveModel = p.into();
    edit.name_en = Set("Hồng Nhật table grapes muscat".into());
    edit.updated_at = Set(import + chrono::Duration::seconds(1));
    edit.update(&db).await.unwrap();
    assert_eq!(again.rebuild_index_if_stale().await.unwrap().sent, 1);
    let q = domain::listing::CatalogQuery { q: "muscat".into(), ..Default::default() };
    assert_eq!(again.catalog_page(&q).await.unwrap().items.first().map(|c| c.slug.as_str()), Some("nho-hong-nhat"));
}
