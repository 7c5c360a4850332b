//! Refunds as staff meant them: one bottle of three gives back one bottle's price; a second partial
//! refund of the same sale works; more than was sold is refused; a manager's PIN is asked above the
//! configured amount; the receipt is found by its last digits or in the shift's list.

mod support;

use support::{start_pos_with, temp_dir, text_of};

fn barcode(i: usize) -> String {
    domain::seed_catalogue::barcode(i)
}

#[tokio::test]
async fn partial_refunds_give_back_what_staff_meant_and_never_more_than_was_sold() {
    let dir = temp_dir("refunds");
    // Refunds up to 100.000 ₫ without a manager; above, with one.
    let pos = start_pos_with(&dir.0, None, 100_000).await;
    pos.demo_open().await;
    for _ in 0..3 {
        pos.scan(&barcode(0)).await; // Rong nho tươi 95.000 ₫
    }
    pos.scan(&barcode(1)).await; // Rong nho muối 65.000 ₫
    let no = pos.pay_cash("").await; // 350.000 ₫
    for i in 2..13 {
        pos.scan(&barcode(i)).await;
        pos.pay_cash("").await;
    }

    // The shift's receipts are listed; "1" matches two receipts (…001 and …011), "01" only one.
    let list = pos.get("/refund").await.body;
    assert!(list.contains(&no) && list.contains("DEMO-000012"), "this shift's receipts are listed");
    let two = pos.get("/refund?no=1").await.body;
    assert!(two.contains("Nhiều biên lai khớp") && two.contains("DEMO-000011"), "several matches are offered");
    let lines = pos.refund_lines("0001").await;
    assert_eq!(lines.len(), 2);
    let form = pos.get("/refund?no=0001").await.body;
    assert!(form.matches("value=\"0\"").count() >= 2, "every quantity starts at 0");

    // Nothing chosen is refused; one bottle of three is one bottle's price, without a PIN (≤ 100.000).
    let (r, _) = pos.review_refund(&no, &[(&lines[0], "0")], "cash").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Chưa chọn gì để hoàn"));
    let (review, id) = pos.review_refund(&no, &[(&lines[0], "1")], "cash").await;
    assert_eq!(text_of(&review.body, "give-back"), "95.000 ₫");
    assert!(!review.body.contains("name=\"pin\""), "no PIN at or under the configured amount");
    let r = pos.confirm_refund(&no, &[(&lines[0], "1")], "cash", &id.unwrap(), None).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // A second partial refund of the same sale: the other two bottles and the salted seaweed, 255.000 ₫,
    // which is above the amount, so a manager approves it.
    let (review, id) = pos.review_refund(&no, &[(&lines[0], "2"), (&lines[1], "1")], "vietqr").await;
    assert_eq!(text_of(&review.body, "give-back"), "255.000 ₫");
    assert_eq!(text_of(&review.body, "give-back-how"), "bằng chuyển khoản / by transfer");
    assert!(review.body.contains("name=\"pin\""), "a manager's PIN above 100.000 ₫");
    let id = id.unwrap();
    let hoa = pos.staff_id("Nguyễn Thị Hoà").await;
    let wrong =
        pos.confirm_refund(&no, &[(&lines[0], "2"), (&lines[1], "1")], "vietqr", &id, Some((&hoa, "0000"))).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Sai PIN"));
    assert!(wrong.body.contains(&id), "a wrong PIN keeps the same refund to confirm");
    let r = pos.confirm_refund(&no, &[(&lines[0], "2"), (&lines[1], "1")], "vietqr", &id, Some((&hoa, "2468"))).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Everything has come back: any more is refused, and the list says what was refunded.
    let (r, _) = pos.review_refund(&no, &[(&lines[0], "1")], "cash").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Rong nho tươi"), "named by product: {}", text_of(&r.body, "error"));
    assert!(pos.get("/refund").await.body.contains("đã hoàn / refunded 350.000 ₫"));
    let close = pos.get("/shift/close").await.body;
    assert!(close.contains("Chi hoàn tiền mặt / Cash refunded</td><td class=\"n\">95.000 ₫"), "{close}");
}
