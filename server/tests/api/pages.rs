use crate::support::spawn;

#[tokio::test]
async fn home_shows_featured_products_combos_and_groups() {
    let app = spawn().await;
    let res = app.http.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\""));
    assert!(html.contains("Sản phẩm nổi bật"));
    assert!(html.contains("Quà biển Phan Thiết"), "gift combos are on the home page");
    assert!(html.contains("/products?group=drinks"));
    assert!(html.contains("Đức Linh"));
    // The stylesheet URL changes with its content, so it can be cached for a year.
    let href = html.split("href=\"/assets/style.css?v=").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let css = app.http.get(format!("{}/assets/style.css?v={href}", app.base)).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(css.text().await.unwrap().contains(".cert-panel"));
    // Leptos leaves a tiny inline bootstrap; what matters is that no script or wasm file is loaded.
    assert!(
        !html.contains("<script src") && !html.contains(".wasm") && !html.contains("__RESOLVED_RESOURCES[0]"),
        "pages need no JavaScript"
    );
}

#[tokio::test]
async fn product_page_shows_prices_certificate_and_qr() {
    let app = spawn().await;
    // Yến sào Minh Huyền: 3★, certified in 2025, still valid on 2026-11-28.
    let (status, html) = app.get("/products/yen-sao-minh-huyen").await;
    assert_eq!(status, 200);
    assert!(html.contains("Yến sào Minh Huyền"));
    assert!(html.contains("1.400.000 ₫"), "price in VND");
    assert!(html.contains("Còn hiệu lực"));
    assert!(html.contains("Hộ kinh doanh Minh Huyền"));
    assert!(html.contains("/verify/BTH-2025-"));
    assert!(html.contains("<svg") && html.contains("Quét để kiểm tra"), "QR code to the certificate check");
    assert!(html.contains("dữ liệu mẫu"), "sample values are labelled");
}

#[tokio::test]
async fn expired_certificates_are_never_shown_as_current() {
    let app = spawn().await;
    // Rong nho tươi: 5★ in 2021; lapsed by 2025 at the latest.
    let (status, html) = app.get("/products/rong-nho-tuoi").await;
    assert_eq!(status, 200);
    assert!(html.contains("Hết hiệu lực"));
    assert!(!html.contains("badge ok"), "no bright star badge for an expired certificate");
    // 2023 certificates lapse some day in 2026: the page says validity must be confirmed.
    let (_, html) = app.get("/products/com-chay-rong-bien").await;
    assert!(html.contains("Cần xác minh hiệu lực"), "{}", &html[..200.min(html.len())]);
}

#[tokio::test]
async fn certificate_check_page_by_number() {
    let app = spawn().await;
    let (status, html) = app.get("/verify/BTH-2025-001").await;
    assert_eq!(status, 200);
    assert!(html.contains("Còn hiệu lực"));
    let (status, html) = app.get("/verify/BTH-2021-001").await;
    assert_eq!(status, 200);
    assert!(html.contains("Hết hiệu lực"));
    let (status, html) = app.get("/verify/GIA-MAO-123").await;
    assert_eq!(status, 404);
    assert!(html.contains("Không tìm thấy giấy chứng nhận") && html.contains("Certificate not found"));
}

#[tokio::test]
async fn unknown_pages_get_the_bilingual_404() {
    let app = spawn().await;
    for path in ["/products/khong-co-san-pham-nay", "/producers/khong-co", "/combos/khong-co", "/khong/co/trang/nay"] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Không tìm thấy trang") && html.contains("Page not found"), "{path}");
    }
}

#[tokio::test]
async fn bad_catalogue_filters_render_a_400_page() {
    let app = spawn().await;
    let (status, html) = app.get("/products?stars=9").await;
    assert_eq!(status, 400);
    assert!(html.contains("Bộ lọc không hợp lệ"));
    assert!(html.contains("must be between 1 and 5"));
    let (status, _) = app.get(&format!("/products?q={}", "x".repeat(5000))).await;
    assert_eq!(status, 400);
    let (status, _) = app.get("/products?q=%FF%FE").await;
    assert!(status == 200 || status == 400, "invalid UTF-8 is handled, got {status}");
}

#[tokio::test]
async fn catalogue_page_filters_and_keeps_them_in_links() {
    let app = spawn().await;
    let (status, html) = app.get("/products?q=thanh+long&group=drinks&per_page=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("Rượu"), "drinks with dragon fruit are listed");
    assert!(html.contains("rel=\"next\""));
    assert!(html.contains("q=thanh+long&amp;group=drinks&amp;page=2&amp;per_page=2"), "next page keeps the filters");
}

#[tokio::test]
async fn language_switch_persists_in_a_cookie() {
    let app = spawn().await;
    let res = app.http.get(format!("{}/lang/en?next=/products%3Fq%3Dnuoc", app.base)).send().await.unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/products?q=nuoc");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=en") && cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"));
    let html = app
        .http
        .get(format!("{}/products/yen-sao-minh-huyen", app.base))
        .header("cookie", "lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Minh Huyền bird"), "English name");
    assert!(html.contains("Valid"));
    // The switch only goes back to pages of this site.
    let res = app.http.get(format!("{}/lang/en?next=//evil.example", app.base)).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/");
}

#[tokio::test]
async fn producer_and_combo_pages() {
    let app = spawn().await;
    let (status, html) = app.get("/producers/htx-thanh-long-sach-hoa-le").await;
    assert_eq!(status, 200);
    assert!(html.contains("HTX thanh long sạch Hòa Lệ"));
    assert!(html.contains("Hàm Thuận Bắc"));
    assert!(html.contains("Lâm Đồng"), "current province beside the historical district");
    assert!(html.contains("Rượu vang thanh long Hòa Lệ"));
    let (status, html) = app.get("/combos/qua-bien-phan-thiet").await;
    assert_eq!(status, 200);
    assert!(html.contains("Mực một nắng") && html.contains("620.000 ₫"));
}

#[tokio::test]
async fn cached_pages_change_when_the_catalogue_does() {
    use sea_orm::Set;
    let app = spawn().await;
    let (_, first) = app.get("/products/tuong-ot-hoa-sen").await;
    let (_, again) = app.get("/products/tuong-ot-hoa-sen").await;
    assert!(first.contains("Tương ớt Hoa Sen"));
    assert_eq!(first, again, "the same page is served again while nothing changed");
    let (_, listing) = app.get("/products?q=tuong+ot").await;
    assert!(listing.contains("Tương ớt Hoa Sen"));

    app.edit_product("tuong-ot-hoa-sen", |p| p.name_vi = Set("Tương ớt Hoa Sen cay nồng".into())).await;
    let (_, page) = app.get("/products/tuong-ot-hoa-sen").await;
    assert!(page.contains("Tương ớt Hoa Sen cay nồng"), "the product page shows the edit");
    let (_, listing) = app.get("/products?q=tuong+ot").await;
    assert!(listing.contains("Tương ớt Hoa Sen cay nồng"), "the listing shows the edit");
}

#[tokio::test]
async fn a_revoked_certificate_loses_its_badge_everywhere() {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    use store::entity::{certificate, product};
    let app = spawn().await;
    let store = &app.state.store;
    let cert = certificate::Entity::find()
        .filter(certificate::Column::Number.eq("BTH-2025-001"))
        .one(&store.db)
        .await
        .unwrap()
        .unwrap();
    let p = product::Entity::find_by_id(cert.product_id).one(&store.db).await.unwrap().unwrap();
    let (_, before) = app.get(&format!("/products/{}", p.slug)).await;
    assert!(before.contains("Còn hiệu lực"));
    let valid_before = app.all_items("valid=1").await.len();

    let mut revoke: certificate::ActiveModel = cert.into();
    revoke.revoked_on = Set(Some(crate::support::today().pred_opt().unwrap()));
    revoke.revoke_reason = Set(Some("Không đạt tiêu chí bắt buộc khi đánh giá lại".into()));
    revoke.update(&store.db).await.unwrap();
    let slug = p.slug.clone();
    // A certificate change counts as a change of its product.
    app.edit_product(&slug, |_| {}).await;
    let (_, page) = app.get(&format!("/products/{slug}")).await;
    assert!(page.contains("Đã thu hồi"));
    assert!(page.contains("Không đạt tiêu chí bắt buộc"), "the reason is shown");
    assert!(!page.contains("badge ok"));
    let (_, verify) = app.get("/verify/BTH-2025-001").await;
    assert!(verify.contains("Đã thu hồi"));
    let valid_after = app.all_items("valid=1").await;
    assert_eq!(valid_after.len(), valid_before - 1);
    assert!(valid_after.iter().all(|i| i["slug"] != slug.as_str()));
}
