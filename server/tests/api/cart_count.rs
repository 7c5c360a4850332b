//! The header's cart count: a small per-visitor picture, so the catalogue pages around it stay the
//! same for everyone and the page cache keeps serving them.

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
