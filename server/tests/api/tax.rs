//! Decree 117 withholding on the settlement statement, over HTTP on SQLite or PostgreSQL: a household
//! producer's online sales are withheld VAT and PIT by their kind, a refunded order is offset, a
//! business declares its own, and the office's change of status is dated and audited.

use domain::order::OrderStatus;

use crate::shopper::{Shopper, order_number_of, scalar, scalar_text, set_stock, signed_in};
use crate::support::spawn;

/// The text of the element with `id` (the first number in it, as shown: `1.900 ₫`).
fn cell(page: &str, id: &str) -> String {
    let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    page[at..].split('>').nth(1).unwrap().split('<').next().unwrap().trim().to_string()
}

#[tokio::test]
async fn a_household_producers_online_sales_are_withheld_and_a_refund_offsets_them() {
    let app = spawn().await;
    let (mut office, office_csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let household = scalar(&app, "SELECT MIN(id) FROM producers WHERE kind = 'HKD'").await;
    let company = scalar(&app, "SELECT MIN(id) FROM producers WHERE kind = 'DN'").await;
    let variant = |p: i64| {
        format!(
            "SELECT MIN(v.id) FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.producer_id = {p} AND p.status = 'active' AND v.active AND p.ocop_group <> 'tourism'"
        )
    };
    let (hv, cv) = (scalar(&app, &variant(household)).await, scalar(&app, &variant(company)).await);
    let price = scalar(&app, &format!("SELECT price_vnd FROM variants WHERE id = {hv}")).await;
    set_stock(&app, hv, 10).await;
    set_stock(&app, cv, 10).await;
    let buy = |v: i64, n: u32| {
        let app = &app;
        async move {
            let mut s = Shopper::new(app);
            assert_eq!(s.add_variant(v, n).await.status, 303);
            order_number_of(&s.checkout("cod").await.location)
        }
    };
    let kept = buy(hv, 2).await;
    let refunded = buy(hv, 1).await;
    buy(cv, 1).await;
    // The refunded order went out, was paid at the door and came back.
    let id = scalar(&app, &format!("SELECT id FROM orders WHERE number = '{refunded}'")).await;
    for to in [OrderStatus::Packed, OrderStatus::Shipped, OrderStatus::Delivered, OrderStatus::Refunded] {
        store::orders::transition(&app.state.store, id, to, "văn phòng", None).await.unwrap().unwrap();
    }
    assert!(!kept.is_empty());
    let period = chrono::Utc::now().with_timezone(&store::vietnam()).format("%Y-%m").to_string();

    // By hand: 3 units sold (goods: VAT 1%, PIT 0,5%), one refunded in the same month.
    let (status, page) = office.get(&format!("/office/producers/{household}/statement?period={period}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"withholding\""), "a household is withheld for");
    let gross = 3 * price;
    let net = 2 * price;
    let vat = (net * 100 + 5_000) / 10_000;
    let pit = (net * 50 + 5_000) / 10_000;
    let money = |n: i64| app::format::vnd(n);
    assert_eq!(cell(&page, "withheld-vat"), money(vat), "VAT on the {gross} sold less the {price} returned");
    assert_eq!(cell(&page, "withheld-pit"), money(pit));
    let due_row = page.split("id=\"statement-total\"").nth(1).unwrap();
    let due: i64 = due_row
        .split("<strong>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace(['.', ' ', '₫'], "")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(cell(&page, "paid"), money(due - vat - pit), "what is paid is what is due less the tax");

    // A business declares its own: nothing withheld, no section.
    let (_, page) = office.get(&format!("/office/producers/{company}/statement?period={period}")).await;
    assert!(!page.contains("id=\"withholding\""));

    // The office's form on the statement: a bad tax code comes back beside its field, kept as typed.
    assert!(page.contains("id=\"tax-form\""), "the office sets the status on the statement page");
    let tax_path = format!("/office/producers/{household}/tax");
    let r = office
        .post(&tax_path, &[("csrf", &office_csrf), ("status", "household"), ("tax_code", "12ab"), ("reason", "")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mã số thuế gồm 10 chữ số") && r.body.contains("value=\"12ab\""), "{}", r.body);
    let r = office
        .post(&tax_path, &[("csrf", &office_csrf), ("status", "household"), ("tax_code", "0311111111"), ("reason", "")])
        .await;
    assert_eq!(r.status, 303, "the same status needs no reason: {}", r.body);

    // The office records the household as declaring its own from today, with a reason: audited, and
    // a sale from now on is not withheld.
    let actor = crate::evaluation::account(&app, "vanphong@ocop.local").await;
    let member = crate::evaluation::account(&app, "chuthe@ocop.local").await;
    let refused = store::tax::set_status(
        &app.state.store,
        &actor,
        household,
        domain::tax::TaxStatus::DeclaresOwn,
        "123",
        "Đã đăng ký DN",
    )
    .await
    .unwrap();
    assert!(refused.is_err(), "a tax code has 10 digits");
    let refused =
        store::tax::set_status(&app.state.store, &actor, household, domain::tax::TaxStatus::DeclaresOwn, "", "")
            .await
            .unwrap();
    assert!(refused.is_err(), "a change needs a reason");
    assert!(
        store::tax::set_status(&app.state.store, &member, household, domain::tax::TaxStatus::DeclaresOwn, "", "vì sao")
            .await
            .unwrap()
            .is_err(),
        "the office's alone"
    );
    store::tax::set_status(
        &app.state.store,
        &actor,
        household,
        domain::tax::TaxStatus::DeclaresOwn,
        "0312345678",
        "Chuyển lên doanh nghiệp",
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'tax_status' AND entity_key = '{household}'")
        )
        .await,
        2,
        "the form's save and the change, each audited"
    );
    // The change counts from the marketplace's tomorrow: what was sold before stays withheld, what
    // is sold from then on is not. (Test servers may run on a pretend date: the orders carry the
    // clock's.)
    let from = app.state.store.today().succ_opt().unwrap();
    let stored = scalar_text(
        &app,
        &format!("SELECT CAST(from_on AS TEXT) FROM producer_tax_changes WHERE producer_id = {household}"),
    )
    .await;
    assert_eq!(stored, from.format("%Y-%m-%d").to_string());
    let w = store::tax::withholding(
        &app.state.store.db,
        household,
        &domain::participation::Period::parse(&period).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let sold_on = chrono::Utc::now().with_timezone(&store::vietnam()).date_naive();
    let expected = if sold_on < from { (vat, pit) } else { (0, 0) };
    assert_eq!((w.total.vat(), w.total.pit()), expected);
    if sold_on >= from {
        assert_eq!(w.total.not_withheld, 2 * price, "the sales count as not withheld instead");
    }
    assert_eq!(w.tax_code.as_deref(), Some("0312345678"));
}
