//! Decree 117 withholding on the settlement statement, over HTTP on SQLite or PostgreSQL: a household
//! producer's online sales are withheld VAT and PIT by their kind, a refunded order is offset, a
//! business declares its own, and the office's change of status is dated and audited.

use domain::order::OrderStatus;

use crate::shopper::{Shopper, order_number_of, scalar, scalar_text, set_stock, signed_in};
use crate::support::{TestApp, spawn};

/// The text of the element with `id` (the first number in it, as shown: `1.900 ₫`).
fn cell(page: &str, id: &str) -> String {
    let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    page[at..].split('>').nth(1).unwrap().split('<').next().unwrap().trim().to_string()
}

/// A household producer and a company, each with a goods size in stock (`units`); the household's
/// size and its price.
async fn two_sellers(app: &TestApp, units: i64) -> (i64, i64, i64, i64, i64) {
    let household = scalar(app, "SELECT MIN(id) FROM producers WHERE kind = 'HKD'").await;
    let company = scalar(app, "SELECT MIN(id) FROM producers WHERE kind = 'DN'").await;
    let variant = |p: i64| {
        format!(
            "SELECT MIN(v.id) FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.producer_id = {p} AND p.status = 'active' AND v.active AND p.ocop_group <> 'tourism'"
        )
    };
    let (hv, cv) = (scalar(app, &variant(household)).await, scalar(app, &variant(company)).await);
    let price = scalar(app, &format!("SELECT price_vnd FROM variants WHERE id = {hv}")).await;
    set_stock(app, hv, units).await;
    set_stock(app, cv, units).await;
    (household, company, hv, cv, price)
}

/// A shopper's cash-on-delivery order of `n` units; its number.
async fn buy(app: &TestApp, variant: i64, n: u32) -> String {
    let mut s = Shopper::new(app);
    assert_eq!(s.add_variant(variant, n).await.status, 303);
    order_number_of(&s.checkout("cod").await.location)
}

#[tokio::test]
async fn a_household_producers_online_sales_are_withheld_and_a_refund_offsets_them() {
    let app = spawn().await;
    let (mut office, office_csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let (household, company, hv, cv, price) = two_sellers(&app, 10).await;
    let kept = buy(&app, hv, 2).await;
    let refunded = buy(&app, hv, 1).await;
    buy(&app, cv, 1).await;
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

/// The monthly declaration: a row per withheld seller with its statement's figures, totals that add
/// up with what others declare themselves to the dashboard's online sales of the month, to the đồng,
/// a refund given a month later offset in that month (the earlier month unchanged), a product's tax
/// kind set on its form, and the CSV and XLSX files carrying the page's figures.
#[tokio::test]
async fn the_monthly_declaration_agrees_with_the_statements_and_the_dashboard() {
    let app = spawn().await;
    let (mut office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let (household, company, hv, cv, price) = two_sellers(&app, 20).await;
    let move_to = |number: String, to: Vec<OrderStatus>| {
        let app = &app;
        async move {
            let id = scalar(app, &format!("SELECT id FROM orders WHERE number = '{number}'")).await;
            for s in to {
                store::orders::transition(&app.state.store, id, s, "văn phòng", None).await.unwrap().unwrap();
            }
        }
    };
    let delivered = || vec![OrderStatus::Packed, OrderStatus::Shipped, OrderStatus::Delivered];

    // Last month: an order of 3 that comes back this month. (Placed "last month" by moving its clock.)
    let old = buy(&app, hv, 3).await;
    move_to(old.clone(), delivered()).await;
    let shift = if app.state.store.is_sqlite() {
        "datetime(created_at, '-35 days')"
    } else {
        "created_at - INTERVAL '35 days'"
    };
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.state.store.db,
        &format!("UPDATE orders SET created_at = {shift} WHERE number = '{old}'"),
    )
    .await
    .unwrap();
    let now = chrono::Utc::now().with_timezone(&store::vietnam()).date_naive();
    let this = domain::tax::Period::of(now);
    let placed: chrono::DateTime<chrono::Utc> = {
        use sea_orm::EntityTrait;
        use sea_orm::{ColumnTrait, QueryFilter};
        store::entity::order::Entity::find()
            .filter(store::entity::order::Column::Number.eq(old.clone()))
            .one(&app.state.store.db)
            .await
            .unwrap()
            .unwrap()
            .created_at
    };
    let before = domain::tax::Period::of(placed.with_timezone(&store::vietnam()).date_naive());
    assert!(before < this);
    let last_month = store::tax::declaration(&app.state.store.db, before).await.unwrap();
    let row = |d: &domain::tax::declaration::Declaration, p: i64| d.rows.iter().find(|r| r.producer_id == p).cloned();
    let goods_before = row(&last_month, household).unwrap().totals.gross();
    assert!(goods_before >= 3 * price);

    // This month: the household sells 2 and 1 (one product now set to transport on its form), the
    // company 1, and last month's order comes back.
    buy(&app, hv, 2).await;
    let product = scalar(&app, &format!("SELECT product_id FROM variants WHERE id = {hv}")).await;
    let text = |col: &str| {
        let app = &app;
        let col = col.to_string();
        async move { scalar_text(app, &format!("SELECT {col} FROM products WHERE id = {product}")).await }
    };
    let (name_vi, name_en, group, category) =
        (text("name_vi").await, text("name_en").await, text("ocop_group").await, text("category").await);
    let (_, form) = office.get(&format!("/portal/products/{product}")).await;
    assert!(form.contains("name=\"tax_kind\""), "the product form offers the tax kind");
    let csrf = crate::shopper::hidden(&form, "csrf");
    for (kind, expected) in [("freight", 422), ("transport", 303)] {
        let fields = [
            ("csrf", csrf.as_str()),
            ("name_vi", name_vi.as_str()),
            ("name_en", name_en.as_str()),
            ("group", group.as_str()),
            ("category", category.as_str()),
            ("status", "active"),
            ("tax_kind", kind),
        ];
        let r = office.post(&format!("/portal/products/{product}"), &fields).await;
        assert_eq!(r.status, expected, "{kind}: {}", r.body);
        if expected == 422 {
            assert!(r.body.contains("Loại doanh thu là hàng hoá, dịch vụ hoặc vận tải"), "refused beside its field");
        }
    }
    assert_eq!(text("tax_kind").await, "transport");
    buy(&app, hv, 1).await;
    buy(&app, cv, 1).await;
    // A gift box of the household's product and the company's, its price split by list price: the
    // household's share is withheld at its product's rate, the company's is not.
    let cprice = scalar(&app, &format!("SELECT price_vnd FROM variants WHERE id = {cv}")).await;
    let sku = |v: i64| {
        let app = &app;
        async move { scalar_text(app, &format!("SELECT sku FROM variants WHERE id = {v}")).await }
    };
    let office_account = crate::evaluation::account(&app, "vanphong@ocop.local").await;
    let box_price = price + cprice - 7_001;
    let combo = store::combos::save(
        &app.state.store,
        &office_account,
        None,
        &domain::listing_edit::ComboInput {
            name_vi: "Hộp quà thử thuế".into(),
            name_en: "Tax test box".into(),
            story_vi: String::new(),
            story_en: String::new(),
            price_vnd: box_price,
            active: true,
            components: vec![(sku(hv).await, 1), (sku(cv).await, 1)],
        },
    )
    .await
    .unwrap()
    .unwrap();
    let slug = scalar_text(&app, &format!("SELECT slug FROM combos WHERE id = {combo}")).await;
    let mut gift = Shopper::new(&app);
    assert_eq!(gift.post("/cart/add", &[("combo", &slug), ("qty", "1")]).await.location, "/cart?notice=added");
    gift.checkout("cod").await;
    let share = domain::settlement::allocate(box_price, &[price, cprice])[0];
    move_to(old.clone(), vec![OrderStatus::Refunded]).await;
    let month = this.code();

    let now_dec = store::tax::declaration(&app.state.store.db, this).await.unwrap();
    let h = row(&now_dec, household).expect("the household is declared");
    assert!(row(&now_dec, company).is_none(), "a business declares its own");
    assert_eq!(
        h.totals.by_kind.get(&domain::tax::TaxKind::Transport).map(|k| k.gross),
        Some(3 * price + share),
        "the product now a transport service, its box share with it"
    );
    assert_eq!(h.totals.returned(), 3 * price, "last month's order offset this month");
    // Last month's declaration is not changed by this month's refund.
    assert_eq!(
        row(&store::tax::declaration(&app.state.store.db, before).await.unwrap(), household).unwrap().totals.gross(),
        goods_before
    );

    // The page: the dashboard's online sales of the month, the withheld net and what others declare
    // agree to the đồng.
    let (status, page) = office.get(&format!("/office/withholding?month={month}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Khớp đến từng đồng."), "{}", page.split("id=\"reconcile\"").nth(1).unwrap_or(""));
    let money = |n: i64| app::format::vnd(n);
    assert_eq!(cell(&page, "dashboard-online"), money(now_dec.net_online()));
    let (_, dash) = office.get(&format!("/office/dashboard?period={month}")).await;
    assert_eq!(cell(&dash, "online-sales-value"), money(now_dec.net_online()), "the dashboard shows the same");
    // Each withheld seller's row is its statement's.
    let (_, statement) = office.get(&format!("/office/producers/{household}/statement?period={month}")).await;
    assert_eq!(cell(&statement, "withheld-vat"), money(h.totals.vat()));
    assert_eq!(cell(&statement, "withheld-pit"), money(h.totals.pit()));
    assert_eq!(cell(&page, "declaration-vat"), money(now_dec.total().vat()));

    // The files.
    let (code, csv_body) = office.raw_get(&format!("/office/withholding/export/withholding.csv?month={month}")).await;
    assert_eq!(code, 200);
    let mut reader = csv::Reader::from_reader(&csv_body[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), now_dec.rows.len() + 1, "a row per seller and the total");
    let total = records.last().unwrap();
    assert_eq!(total[10].parse::<i64>().unwrap(), now_dec.total().vat());
    assert_eq!(total[11].parse::<i64>().unwrap(), now_dec.total().pit());
    assert!(records.iter().any(|r| r[2] == *h.name && r[6].parse::<i64>().unwrap() == 3 * price + share));
    let (code, xlsx) = office.raw_get(&format!("/office/withholding/export/withholding.xlsx?month={month}")).await;
    assert_eq!(code, 200);
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("withholding").unwrap();
    let last = sheet.rows().count() - 1;
    assert_eq!(sheet.get_value((last as u32, 10)), Some(&Data::Float(now_dec.total().vat() as f64)));
    assert_eq!(office.raw_get("/office/withholding/export/withholding.csv?month=13-2026").await.0, 400);
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(shopper.raw_get(&format!("/office/withholding/export/withholding.csv?month={month}")).await.0, 403);
    assert_eq!(shopper.get("/office/withholding").await.0, 403);
}
