//! Photo upload in the producer portal: who may, what is accepted, and what the storefront shows.

use crate::shopper::{Shopper, scalar, signed_in};
use crate::support::{TestApp, spawn};

pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 200) as u8, (y % 200) as u8, 120]));
    let mut buf = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut buf, image::ImageFormat::Png).unwrap();
    buf.into_inner()
}

/// A multipart form post as a browser sends it (file named whatever the shopper's file was called).
pub(crate) async fn upload(
    app: &TestApp,
    cookie: Option<&str>,
    product: i64,
    csrf: &str,
    file: &[u8],
    filename: &str,
) -> (u16, String, String) {
    let boundary = "----ocopboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = app
        .http
        .post(format!("{}/portal/products/{product}/photos", app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, location, res.text().await.unwrap())
}

#[tokio::test]
async fn a_producer_adds_a_photo_to_its_own_product_and_only_its_own() {
    let app = spawn().await;
    let producer = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let own =
        scalar(&app, &format!("SELECT id FROM products WHERE producer_id = {producer} ORDER BY id LIMIT 1")).await;
    let other =
        scalar(&app, &format!("SELECT id FROM products WHERE producer_id <> {producer} ORDER BY id LIMIT 1")).await;
    let (member, csrf) = signed_in(&app, "chuthe@ocop.local").await;
    let cookie = member.cookie.clone();

    let (status, location, _) = upload(&app, cookie.as_deref(), own, &csrf, &png(1500, 1000), "ảnh sản phẩm.png").await;
    assert_eq!((status, location), (303, format!("/portal/products/{own}?notice=photo")));
    // Made off the request path: the worker records it a moment later.
    assert_eq!(photos_made(&app, own, 1).await, 1);

    // The product page now shows it, in three widths, served for a year.
    let slug: String = {
        use sea_orm::EntityTrait;
        store::entity::product::Entity::find_by_id(own).one(&app.state.store.db).await.unwrap().unwrap().slug
    };
    let (_, page) = Shopper::new(&app).get(&format!("/products/{slug}")).await;
    let src =
        page.split("src=\"/media/").nth(1).expect("gallery image on the page").split('"').next().unwrap().to_string();
    assert!(page.contains(" 320w") && page.contains(" 640w") && page.contains(" 1280w"), "srcset of three widths");
    let res = app.http.get(format!("{}/media/{src}", app.base)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/webp");
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));

    // Another producer's product, whatever id is put in the URL: refused, nothing recorded.
    let (status, _, _) = upload(&app, cookie.as_deref(), other, &csrf, &png(400, 300), "x.png").await;
    assert_eq!(status, 403);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM product_photos WHERE product_id = {other}")).await, 0);
    // A shopper, and nobody at all, may not upload either; nor may a forged token.
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(upload(&app, shopper.cookie.as_deref(), own, &csrf, &png(400, 300), "x.png").await.0, 403);
    assert_eq!(upload(&app, None, own, &csrf, &png(400, 300), "x.png").await.0, 403);
    assert_eq!(upload(&app, cookie.as_deref(), own, "00ff", &png(400, 300), "x.png").await.0, 403);

    // A document renamed .jpg is refused by its content, with a message people can read.
    let (status, _, body) = upload(&app, cookie.as_deref(), own, &csrf, b"%PDF-1.7 not a photo", "photo.jpg").await;
    assert_eq!(status, 422);
    assert!(body.contains("không phải ảnh") && body.contains("not a JPEG"), "{body}");
    // Past 15 MB: refused before it is read whole.
    let big = vec![0u8; 16 * 1024 * 1024];
    let (status, _, _) = upload(&app, cookie.as_deref(), own, &csrf, &big, "big.jpg").await;
    assert!(status == 413 || status == 400, "oversized upload refused: {status}");
    // Damaged inside, though whole and with a sound header: accepted for the worker, which cannot
    // decode it and says so on the product's page.
    // Here: the header claims 300 rows, the image data holds 30.
    let mut damaged = png(400, 30);
    damaged[20..24].copy_from_slice(&300u32.to_be_bytes());
    let crc = crc32(&damaged[12..29]);
    damaged[29..33].copy_from_slice(&crc.to_be_bytes());
    let (status, _, _) = upload(&app, cookie.as_deref(), own, &csrf, &damaged, "hỏng.png").await;
    assert_eq!(status, 303);
    let mut page = String::new();
    for _ in 0..50 {
        page = member.get(&format!("/portal/products/{own}")).await.1;
        if page.contains("Ảnh không xử lý được") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        page.contains("Ảnh không xử lý được: Ảnh bị hỏng"),
        "the failure is shown: {}",
        page.split("photo-count").nth(1).unwrap_or("")
    );
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM product_photos WHERE product_id = {own}")).await, 1);
    assert_eq!(std::fs::read_dir(app.dir.join("media/incoming")).unwrap().count(), 0, "originals cleaned up");
}

/// Waits (up to five seconds) for the photo worker to have made `want` photos of a product.
pub(crate) async fn photos_made(app: &TestApp, product: i64, want: i64) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM product_photos WHERE product_id = {product}");
    for _ in 0..50 {
        if scalar(app, &sql).await >= want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    scalar(app, &sql).await
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= *b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
