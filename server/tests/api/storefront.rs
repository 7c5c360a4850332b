//! The storefront as a phone meets it: the header's cart count is a small per-visitor picture, so
//! the catalogue pages around it stay the same for everyone and the page cache keeps serving them;
//! browsing lists what carries a current badge first.

use crate::shopper::{Shopper, variant_with_stock};
use crate::support::spawn;

async fn count(s: &Shopper<'_>) -> (u16, reqwest::header::HeaderMap, String) {
    let mut req = s.app.http.get(format!("{}/cart/count.svg", s.app.base));
    if let Some(c) = &s.cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

#[tokio::test]
async fn the_cart_count_is_drawn_per_visitor_and_pages_stay_shared() {
    let app = spawn().await;
    let variant = variant_with_stock(&app, 10).await;
    let stranger = Shopper::new(&app);
    let (status, headers, svg) = count(&stranger).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert_eq!(headers["cache-control"], "private, no-store", "never kept for another visitor");
    assert!(svg.starts_with("<svg") && !svg.contains("<text"), "an empty cart draws nothing: {svg}");

    let mut buyer = Shopper::new(&app);
    buyer.add_variant(variant, 2).await;
    buyer.add_variant(variant, 1).await;
    let (_, headers, svg) = count(&buyer).await;
    assert!(svg.contains(">3</text>"), "units in the cart: {svg}");
    assert_eq!(headers["cache-control"], "private, no-store");

    // A forged or stale cookie counts as no cart; nothing else in the picture can be chosen.
    let forged = Shopper { app: &app, cookie: Some("cart=<script>".into()) };
    assert!(!count(&forged).await.2.contains("<text"));
    assert!(server::shop::count_svg(250).contains(">99+</text>"));

    // The pages that show the count render the same for both visitors, so one cached copy serves
    // all. Each visitor asks for an address nobody asked for before, so both are rendered afresh.
    for path in ["/", "/products", "/products/nuoc-mam-ca-den"] {
        let (_, a) = stranger.get(&format!("{path}?ref=visitor-a")).await;
        let (_, b) = buyer.get(&format!("{path}?ref=visitor-b")).await;
        assert_eq!(a.replace("visitor-a", "visitor-b"), b, "{path} differs between visitors");
        assert!(a.contains("src=\"/cart/count.svg\""), "{path} loads the count");
    }
}

/// Browsing without words lists the products whose badge shows today first, on every page size,
/// and every product exactly once.
#[tokio::test]
async fn browsing_lists_current_certificates_before_lapsed_ones() {
    let app = spawn().await;
    let shows = |item: &serde_json::Value| matches!(item["cert"]["status"].as_str(), Some("Valid" | "Expiring"));
    for (query, per_page) in [("", 7), ("", 60), ("sort=stars", 10), ("group=food", 4)] {
        let mut items = Vec::new();
        for page in 1.. {
            let (status, body) = app.json(&format!("/api/v1/products?{query}&per_page={per_page}&page={page}")).await;
            assert_eq!(status, 200, "{body}");
            let got = body["items"].as_array().unwrap().clone();
            let done = got.len() < per_page;
            items.extend(got);
            if done {
                break;
            }
        }
        let all = app.all_items(query).await;
        assert_eq!(items.len(), all.len(), "{query} by {per_page}: every product once");
        let ids: std::collections::BTreeSet<_> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.len(), items.len(), "{query} by {per_page}: no product twice");
        let first_lapsed = items.iter().position(|i| !shows(i)).unwrap_or(items.len());
        assert!(first_lapsed > 0, "{query}: some current certificates in the seed");
        assert!(
            items[first_lapsed..].iter().all(|i| !shows(i)),
            "{query} by {per_page}: a current badge after a lapsed one"
        );
    }
}
