//! The till on its own (demo mode): selling by barcode, name and combo, a manager's discount, cash
//! and change, receipts as HTML and ESC/POS, refunds, stock, closing the shift, and what survives a
//! restart.

mod support;

use support::{Pos, receipt_text, start_pos, temp_dir, text_of};

fn barcode(i: usize) -> String {
    domain::seed_catalogue::barcode(i)
}

#[tokio::test]
async fn a_shift_of_sales_refunds_and_a_count_adds_up_to_the_drawer() {
    let dir = temp_dir("till");
    let printer = dir.0.join("printer.bin");
    let pos = start_pos(&dir.0, Some(printer.clone())).await;
    assert_eq!(pos.get("/sell").await.location, "/setup", "a new till asks to be set up");
    let r = pos.post("/setup", &[("mode", "demo"), ("manager_name", "Hoà"), ("manager_pin", "12")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("PIN gồm 4–8 chữ số"), "{}", r.body);
    pos.demo_open().await;

    // The manager adds a staff member (who signs in later).
    let r = pos.post("/staff", &[("name", "Trần Văn Bình"), ("pin", "1357")]).await;
    assert!(r.body.contains("Đã thêm Trần Văn Bình"), "{}", r.body);

    // Scanning: a barcode adds one, twice makes two; a combo by its code; a name without diacritics searches.
    let rong_nho = barcode(0); // Rong nho tươi, 95.000 ₫
    assert_eq!(pos.scan(&rong_nho).await.location, "/sell");
    assert_eq!(pos.scan(&rong_nho).await.location, "/sell");
    let found = pos.scan("muc mot nang").await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains("Mực một nắng"), "found with its diacritics shown");
    assert_eq!(pos.scan("không-có-mã-này").await.status, 422);
    pos.scan("qua-bien-phan-thiet").await;
    let sell = pos.get("/sell").await.body;
    assert_eq!(text_of(&sell, "total"), "810.000 ₫", "2 × 95.000 + 620.000");

    // A discount needs a manager's PIN.
    let hoa = pos.staff_id("Nguyễn Thị Hoà").await;
    let r = pos.post("/sell/discount", &[("amount", "10.000"), ("manager_id", &hoa), ("pin", "0000")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Sai PIN"));
    pos.post("/sell/discount", &[("amount", "10.000"), ("manager_id", &hoa), ("pin", "2468")]).await;
    assert_eq!(text_of(&pos.get("/sell").await.body, "total"), "800.000 ₫");

    // A payment from a page that showed another total (a second tab changed the sale) is refused.
    let r = pos.post("/sell/pay", &[("method", "cash"), ("tendered", ""), ("expect_total", "810000")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Đơn đã thay đổi (nay là 800.000 ₫)"), "{}", r.body);
    // Too little cash is refused and nothing is sold; enough gives change on the receipt.
    let r = pos.post("/sell/pay", &[("method", "cash"), ("tendered", "500.000")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Khách đưa thiếu 300.000 ₫"), "{}", r.body);
    let first = pos.pay_cash("1.000.000").await;
    assert_eq!(first, "DEMO-000001");
    let receipt = receipt_text(&pos.get(&format!("/receipts/{first}")).await.body);
    for want in ["Rong nho tươi – Hộp 500 g", "Quà biển Phan Thiết", "-10.000 ₫", "800.000 ₫", "Tiền thối / Change"]
    {
        assert!(receipt.contains(want), "{want} in\n{receipt}");
    }
    assert!(receipt.lines().any(|l| l.starts_with("Tiền thối / Change") && l.ends_with("200.000 ₫")));
    assert!(receipt.lines().all(|l| l.chars().count() <= 48));
    // The configured printer got the receipt as ESC/POS, with the cut and the drawer kick.
    // Printed beside the sale, so the next one never waits for the printer.
    for _ in 0..100 {
        if std::fs::metadata(&printer).is_ok_and(|m| m.len() > 0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let printed = std::fs::read(&printer).unwrap();
    assert_eq!(&printed[..2], b"\x1b@");
    assert!(printed.windows(3).any(|w| w == b"\x1dV\x42"), "cut");
    assert!(printed.windows(3).any(|w| w == b"\x1bp\x00"), "drawer opened for cash");
    let (w, h, _) = shop_pos::escpos::decode_raster(&pos.bytes(&format!("/receipts/{first}/escpos")).await).unwrap();
    assert_eq!(w, 576);
    assert!(h >= 20 * 30, "a line per receipt line ({h} dots)");
    // The page shows (and prints) that same raster as an image.
    let png = image::load_from_memory(&pos.bytes(&format!("/receipts/{first}/image")).await).unwrap();
    assert_eq!((png.width() as usize, png.height() as usize), (w, h));

    // Stock on the till's shelf: 40 sample units, 2 sold, 1 more in the combo (rong nho muối is in the combo).
    let stock = pos.get("/stock?q=rong+nho+tuoi").await.body;
    assert!(stock.contains("<td class=\"n\">38</td>"), "{stock}");

    // A second staff member sells; cash part and a refund of one unit of the first sale.
    pos.post("/signout", &[]).await;
    assert_eq!(pos.get("/sell").await.location, "/signin");
    pos.sign_in("Trần Văn Bình", "1357").await;
    pos.scan(&barcode(1)).await; // Rong nho muối 65.000
    let second = pos.pay_cash("").await;
    assert_eq!(second, "DEMO-000002");
    // A refund of one unit of the first sale, found by its last digits, reviewed, approved by the manager.
    let lines = pos.refund_lines("1").await;
    assert_eq!(lines.len(), 2, "found by its last digit (the only sale ending in 1)");
    let (review, id) = pos.review_refund(&first, &[(&lines[0], "1"), (&lines[1], "0")], "cash").await;
    // 95.000 back, less its share of the 10.000 discount (95/810 of it, rounded down: 1.172).
    assert_eq!(text_of(&review.body, "give-back"), "93.828 ₫", "{}", review.body);
    let id = id.expect("the review carries the refund's id");
    let r = pos.confirm_refund(&first, &[(&lines[0], "1")], "cash", &id, None).await;
    assert_eq!(r.status, 422, "no PIN, no refund");
    let binh = pos.staff_id("Trần Văn Bình").await;
    let r = pos.confirm_refund(&first, &[(&lines[0], "1")], "cash", &id, Some((&binh, "1357"))).await;
    assert!(r.body.contains("Chỉ quản lý mới duyệt hoàn tiền"), "staff cannot approve their own refund");
    let r = pos.confirm_refund(&first, &[(&lines[0], "1")], "cash", &id, Some((&hoa, "2468"))).await;
    assert_eq!(r.location, "/receipts/DEMO-000003", "{}", r.body);
    let twice = pos.confirm_refund(&first, &[(&lines[0], "1")], "cash", &id, Some((&hoa, "2468"))).await;
    assert_eq!(twice.location, "/receipts/DEMO-000003", "confirming twice refunds once");
    let slip = receipt_text(&pos.get("/receipts/DEMO-000003").await.body);
    assert!(slip.contains("PHIẾU HOÀN TIỀN / REFUND"));
    assert!(slip.lines().any(|l| l.starts_with("TỔNG CỘNG") && l.ends_with("93.828 ₫")), "{slip}");
    // The first line had 2 units: one more can come back, not two.
    let (more, _) = pos.review_refund(&first, &[(&lines[0], "2")], "cash").await;
    assert_eq!(more.status, 422);
    assert!(more.body.contains("chỉ còn 1 để hoàn"), "{}", text_of(&more.body, "error"));

    // Received 10, then a count of 45 sets the shelf.
    let sku = "BT0001-01";
    pos.post("/stock", &[("sku", sku), ("kind", "received"), ("qty", "10")]).await;
    let s = pos.get("/stock?q=rong+nho+tuoi").await.body;
    assert!(s.contains("<td class=\"n\">49</td>"), "38 + 1 back + 10: {s}");
    pos.post("/stock", &[("sku", sku), ("kind", "counted"), ("qty", "45")]).await;
    let s = pos.get("/stock?q=rong+nho+tuoi").await.body;
    assert!(s.contains("<td class=\"n\">45</td>"), "{s}");
    assert_eq!(pos.post("/stock", &[("sku", sku), ("kind", "received"), ("qty", "-3")]).await.status, 422);

    // Closing: float 1.000.000 + cash 800.000 + 65.000 − 93.828 refunded = 1.771.172 expected.
    pos.scan(&barcode(1)).await;
    let close = pos.get("/shift/close").await.body;
    assert!(close.contains("Đơn đang bán chưa thu tiền: 1 món, 65.000 ₫"), "an open cart is named: {close}");
    let r = pos.post("/shift/close", &[("n500000", "3")]).await;
    assert_eq!(r.status, 422, "a shift does not close over an open sale unless told to");
    assert!(r.body.contains("Còn đơn đang bán"));
    let close = pos.get("/shift/close").await.body;
    assert!(close.contains("1.771.172 ₫"), "{close}");
    assert!(close.contains("giao dịch chưa đồng bộ"), "a demo till never syncs: it says what it keeps");
    let r = pos
        .post(
            "/shift/close",
            &[
                ("n500000", "3"),
                ("n200000", "1"),
                ("n50000", "1"),
                ("n20000", "1"),
                ("n1000", "1"),
                ("discard_cart", "1"),
            ],
        )
        .await;
    let report = pos.get(&r.location).await.body;
    assert!(report.contains("Đếm được / Counted: 1.771.000 ₫"), "{report}");
    assert_eq!(text_of(&report, "difference"), "Thiếu / Short 172 ₫");
    assert_eq!(
        pos.get("/sell").await.location,
        "/shift/open",
        "the shift is closed: the next one starts with its float"
    );
    pos.post("/shift/open", &[("float", "500.000")]).await;
    assert_eq!(text_of(&pos.get("/sell").await.body, "total"), "0 ₫", "the cancelled sale did not carry over");
}

#[tokio::test]
async fn nothing_is_lost_across_a_restart_and_posts_from_other_sites_are_refused() {
    let dir = temp_dir("till-restart");
    {
        let pos = start_pos(&dir.0, None).await;
        pos.demo_open().await;
        pos.scan(&barcode(2)).await;
        let no = pos.pay_cash("").await;
        let file = dir.0.join("prints").join(format!("{no}.bin"));
        for _ in 0..100 {
            if file.exists() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(file.exists(), "no printer: the receipt is written to its file as the sale is made");
        assert!(
            pos.get(&format!("/sell?done={no}")).await.body.contains("Biên lai đã in ra tệp"),
            "and the screen says so"
        );
        std::fs::remove_file(&file).unwrap();
        let r = pos.post(&format!("/receipts/{no}/print"), &[]).await;
        assert!(r.body.contains("Đã gửi tới máy in"));
        assert!(file.exists());
        pos.scan(&barcode(3)).await; // left in the cart
        // A page on another site posting to the till.
        let c = reqwest::Client::new();
        let r =
            c.post(format!("{}/sell/clear", pos.base)).header("origin", "https://evil.example").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403);
        // A page on a domain rebound to 127.0.0.1 reads nothing.
        let r = c.get(format!("{}/status.json", pos.base)).header("host", "evil.example").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403);
    }
    // The same data directory, a new process.
    let pos = start_pos(&dir.0, None).await;
    pos.sign_in("Nguyễn Thị Hoà", "2468").await;
    let sell = pos.get("/sell").await;
    assert_eq!(sell.status, 200, "the shift is still open: {}", sell.location);
    assert!(sell.body.contains("BT0004-01"), "the cart survived");
    assert_eq!(pos.get("/receipts/DEMO-000001").await.status, 200);
    assert_eq!(pos.status().await["unsynced"], 1);
    // Five wrong PINs lock the PIN, even the right one, for a while.
    pos.post("/signout", &[]).await;
    let id = pos.staff_id("Nguyễn Thị Hoà").await;
    for _ in 0..5 {
        assert_eq!(pos.post("/signin", &[("staff_id", &id), ("pin", "9999")]).await.status, 422);
    }
    let r = pos.post("/signin", &[("staff_id", &id), ("pin", "2468")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("5 phút"));
}

#[allow(dead_code)]
fn _uses(_: Pos) {}
