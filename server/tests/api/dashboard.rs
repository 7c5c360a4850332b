//! The programme dashboard over real HTTP: the office sees participation for a period, the figure
//! moves when a producer not yet selling sells at a showroom, a refund of that sale takes it back,
//! and nobody else sees it.

use crate::shopper::{Shopper, scalar, signed_in};
use crate::support::spawn;
use crate::sync::{paired, post_json, sale};

fn text_of(body: &str, id: &str) -> String {
    let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    body[at..].split_once('>').unwrap().1.split('<').next().unwrap().to_string()
}

/// The text of the `n`-th cell of the row with this id, tags inside it left out.
fn cell(page: &str, id: &str, n: usize) -> String {
    let row =
        page.split(&format!("id=\"{id}\"")).nth(1).unwrap_or_else(|| panic!("no #{id}")).split("</tr>").next().unwrap();
    let inner = row.split("<td").nth(n + 1).unwrap().split_once('>').unwrap().1.split("</td>").next().unwrap();
    inner
        .split('<')
        .enumerate()
        .map(|(i, part)| if i == 0 { part } else { part.split_once('>').map_or("", |p| p.1) })
        .collect()
}

/// "3 / 40 chủ thể …" → (3, 40)
fn counts(page: &str) -> (i64, i64) {
    let t = text_of(page, "participation-count");
    let (a, rest) = t.split_once(" / ").unwrap();
    (a.trim().parse().unwrap(), rest.split_whitespace().next().unwrap().parse().unwrap())
}

#[tokio::test]
async fn participation_moves_with_a_showroom_sale_and_back_with_its_refund() {
    let app = spawn().await;
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let (status, page) = office.get("/office/dashboard?period=2026-H2").await;
    assert_eq!(status, 200);
    assert!(!page.contains("<template"), "rendered whole, readable without JavaScript");
    let (selling, producers) = counts(&page);
    assert!(producers > 10, "seeded producers certified in 2026-H2: {producers}");
    // Worked out from the seed: no sale has been made yet, so nobody sells and everyone is on the to-do list.
    assert_eq!(selling, 0);
    assert_eq!(
        page.matches("<li>").count() as i64
            - page.split("id=\"not-yet\"").next().unwrap().matches("<li>").count() as i64,
        producers
    );

    // A producer on the to-do list sells one unit at a showroom.
    let first = page.split("id=\"not-yet\"").nth(1).unwrap().split("<li>").nth(1).unwrap();
    let name = first.split(" · ").next().unwrap().to_string();
    let sku: String = {
        use sea_orm::{ConnectionTrait, Statement};
        let db = &app.state.store.db;
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
                    "SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id JOIN producers r ON r.id = p.producer_id WHERE r.name = $1 ORDER BY v.id LIMIT 1"
                } else {
                    "SELECT v.sku FROM variants v JOIN products p ON p.id = v.product_id JOIN producers r ON r.id = p.producer_id WHERE r.name = ? ORDER BY v.id LIMIT 1"
                },
                [name.clone().into()],
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "sku").unwrap()
    };
    let (showroom, token) = paired(&app, "SR-MUINE").await;
    let s = sale(&sku, 1, 95_000);
    let push = serde_json::json!({"showroom_code": showroom, "sales": [s.clone()]});
    assert_eq!(post_json(&app, "/sync/v1/sales", Some(&token), push.to_string().into_bytes()).await.0, 200);
    let page = office.get("/office/dashboard?period=2026-H2").await.1;
    assert_eq!(counts(&page), (1, producers));
    assert!(!page.split("id=\"not-yet\"").nth(1).unwrap().contains(&format!("<li>{name}")), "off the to-do list");
    assert!(page.contains("Điểm bán SR-MUINE"), "the showroom as a channel");
    assert_eq!(cell(&page, "target-showrooms", 1), "1", "one showroom sold in the period");
    assert_eq!(cell(&page, "target-showrooms", 3), "Chưa đạt", "of the plan's 4");
    assert!(page.contains("95.000 ₫"), "the showroom's sales value");
    for chart in ["chart-participation", "chart-by-kind", "chart-by-stars", "chart-showroom-sales"] {
        let at = page.find(&format!("id=\"{chart}\"")).unwrap_or_else(|| panic!("no {chart}"));
        assert!(
            page[at..].split("</figure>").next().unwrap().contains("<svg"),
            "{chart} is an SVG drawn on the server"
        );
    }
    // Another period does not see it.
    assert_eq!(counts(&office.get("/office/dashboard?period=2026-H1").await.1).0, 0);

    // The sale is refunded: net nothing sold, the figure goes back.
    let mut refund = sale(&sku, 1, 95_000);
    refund["kind"] = "refund".into();
    refund["refund_of"] = s["id"].clone();
    let push = serde_json::json!({"showroom_code": showroom, "sales": [refund]});
    assert_eq!(post_json(&app, "/sync/v1/sales", Some(&token), push.to_string().into_bytes()).await.0, 200);
    assert_eq!(counts(&office.get("/office/dashboard?period=2026-H2").await.1), (0, producers));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM pos_sales").await, 2);

    // A period that cannot be read is a 400 with the formats; nobody but the office gets in.
    let (status, page) = office.get("/office/dashboard?period=last+year").await;
    assert_eq!(status, 400);
    assert!(text_of(&page, "period-error").contains("2026-H2") && text_of(&page, "period-error").contains("2026-Q4"));
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(shopper.get("/office/dashboard").await.0, 403);
    assert_eq!(Shopper::new(&app).get("/office/dashboard").await.0, 403);
}

/// A producer declares a supermarket with evidence: it waits, uncounted, until the office verifies
/// it; then the producer counts as selling through a modern channel. Others cannot review it.
#[tokio::test]
async fn a_reported_channel_counts_only_once_the_office_verified_it() {
    let app = spawn().await;
    // The demo member's producer holds a 4★ certificate decided on 15 January 2026.
    let producer = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let product = scalar(&app, &format!("SELECT MIN(id) FROM products WHERE producer_id = {producer}")).await;
    {
        use sea_orm::ConnectionTrait;
        app.state
            .store
            .db
            .execute_unprepared(&format!(
                "INSERT INTO certificates (product_id, number, number_is_sample, stars, level, decided_on, date_precision, \
                 last_valid_on, kind, created_at) VALUES ({product}, 'QĐ-TEST-CH', FALSE, 4, 'province', '2026-01-15', 'day', \
                 '2029-01-15', 'new', '2026-01-15 00:00:00+00:00')"
            ))
            .await
            .unwrap();
    }
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let before = counts(&office.get("/office/dashboard?period=2026-H2").await.1);

    let (mut member, csrf) = signed_in(&app, "chuthe@ocop.local").await;
    let bad = member
        .post(
            "/portal/channels",
            &[("csrf", &csrf), ("kind", "supermarket"), ("name", "Co.opmart Phan Thiết"), ("from", "2026-03-01")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Cần bằng chứng"), "the message beside the field");
    assert!(bad.body.contains("value=\"Co.opmart Phan Thiết\""), "what was typed is kept");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM reported_channels").await, 0);
    let ok = member
        .post(
            "/portal/channels",
            &[
                ("csrf", &csrf),
                ("kind", "supermarket"),
                ("name", "Co.opmart Phan Thiết"),
                ("evidence", "Hợp đồng cung ứng số 12/2026/HĐ-CO.OP"),
                ("from", "2026-03-01"),
            ],
        )
        .await;
    assert_eq!((ok.status, ok.location.as_str()), (303, "/portal/channels?notice=saved"));
    let (_, mine) = member.get("/portal/channels").await;
    assert!(mine.contains("Co.opmart Phan Thiết") && mine.contains("Chờ xác minh"));
    let id = scalar(&app, "SELECT id FROM reported_channels").await;

    // Awaiting verification: shown, not counted.
    let page = office.get("/office/dashboard?period=2026-H2").await.1;
    assert_eq!(counts(&page), before);
    assert!(text_of(&page, "participation-split").contains("chờ xác minh (chưa tính): 1"));

    // Only the office reviews; a rejection needs a reason; a review happens once.
    let r = member.post(&format!("/office/channels/{id}/review"), &[("csrf", &csrf), ("verdict", "verify")]).await;
    assert_eq!(r.status, 403);
    let (mut office, office_csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let r =
        office.post(&format!("/office/channels/{id}/review"), &[("csrf", &office_csrf), ("verdict", "reject")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Từ chối cần lý do"));
    let r = office
        .post(
            &format!("/office/channels/{id}/review"),
            &[("csrf", &office_csrf), ("verdict", "verify"), ("note", "Đã đối chiếu hợp đồng")],
        )
        .await;
    assert_eq!((r.status, r.location.as_str()), (303, "/office/channels?notice=saved"));
    let r =
        office.post(&format!("/office/channels/{id}/review"), &[("csrf", &office_csrf), ("verdict", "verify")]).await;
    assert_eq!(r.status, 404, "already reviewed");

    let page = office.get("/office/dashboard?period=2026-H2").await.1;
    assert_eq!(counts(&page), (before.0 + 1, before.1), "the producer now sells through a modern channel");
    assert!(page.contains("Siêu thị (tự khai, đã xác minh)"));
    assert!(text_of(&page, "participation-split").contains("chỉ qua kênh tự khai đã xác minh: 1"));
    // Selling there since March: January and February are as before (the producer was certified then).
    let early = office.get("/office/dashboard?period=2026-01-16..2026-02-28").await.1;
    assert_eq!(counts(&early).0, before.0, "a channel counts only from its start");
    // A shopper cannot declare.
    let (mut shopper, shopper_csrf) = signed_in(&app, "khach@ocop.local").await;
    let r = shopper
        .post(
            "/portal/channels",
            &[
                ("csrf", &shopper_csrf),
                ("kind", "ecommerce"),
                ("name", "Shopee"),
                ("evidence", "shopee.vn/x"),
                ("from", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// The exports carry the page's numbers: the summary and a breakdown as CSV, the whole report as an
/// XLSX workbook with a sheet per table; only the office gets them.
#[tokio::test]
async fn exports_hold_the_pages_numbers_and_only_the_office_gets_them() {
    let app = spawn().await;
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let page = office.get("/office/dashboard?period=2026-H2").await.1;
    let (selling, producers) = counts(&page);
    let get = async |path: &str| {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .header("cookie", office.cookie.clone().unwrap())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (status, kind, res.bytes().await.unwrap().to_vec())
    };

    let (status, kind, body) = get("/office/dashboard/export/summary.csv?period=2026-H2").await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark for spreadsheets");
    let mut csv = csv::Reader::from_reader(&body[3..]);
    let row = csv.records().next().unwrap().unwrap();
    assert_eq!(row.get(0).unwrap(), "6 tháng cuối năm 2026 / second half of 2026");
    assert_eq!(
        (row.get(1).unwrap().parse::<i64>().unwrap(), row.get(2).unwrap().parse::<i64>().unwrap()),
        (producers, selling)
    );

    // A breakdown: each row as on the page.
    let (_, _, body) = get("/office/dashboard/export/by-kind.csv?period=2026-H2").await;
    let mut csv = csv::Reader::from_reader(&body[3..]);
    let mut total = 0;
    for r in csv.records() {
        let r = r.unwrap();
        total += r.get(1).unwrap().parse::<i64>().unwrap();
    }
    assert_eq!(total, producers, "the kinds add up to the OCOP producers");
    let kinds_on_page =
        page.split("id=\"by-kind\"").nth(1).unwrap().split("</table>").next().unwrap().matches("<tr>").count() - 1;
    let (_, _, body) = get("/office/dashboard/export/by-kind.csv?period=2026-H2").await;
    assert_eq!(csv::Reader::from_reader(&body[3..]).records().count(), kinds_on_page);

    // The whole report as a workbook.
    let (status, kind, body) = get("/office/dashboard/export/report.xlsx?period=2026-H2").await;
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"));
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(body)).unwrap();
    assert_eq!(book.sheet_names().len(), domain::report::TABLES.len());
    let summary = book.worksheet_range("summary").unwrap();
    assert_eq!(summary.get_value((1, 1)), Some(&Data::Float(producers as f64)));
    assert_eq!(summary.get_value((1, 2)), Some(&Data::Float(selling as f64)));
    let targets = book.worksheet_range("targets").unwrap();
    assert!(targets.rows().any(|r| r.iter().any(|c| c.to_string().contains("hợp tác xã"))));

    // Refused: unknown table, unreadable period, anyone but the office.
    assert_eq!(get("/office/dashboard/export/nothing.csv").await.0, 404);
    assert_eq!(get("/office/dashboard/export/report.csv").await.0, 404, "CSV is one table at a time");
    assert_eq!(get("/office/dashboard/export/summary.csv?period=soon").await.0, 400);
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(shopper.get("/office/dashboard/export/summary.csv").await.0, 403);
}

/// The printable report: both languages on one page, the same figures as the dashboard, a print
/// stylesheet that drops the site's chrome; office only.
#[tokio::test]
async fn the_printable_report_is_bilingual_with_the_dashboards_figures() {
    let app = spawn().await;
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let (selling, producers) = counts(&office.get("/office/dashboard?period=2026-H2").await.1);
    let (status, page) = office.get("/office/report?period=2026-H2").await;
    assert_eq!(status, 200);
    assert_eq!(text_of(&page, "report-title-vi"), "Báo cáo 6 tháng chương trình OCOP — 6 tháng cuối năm 2026");
    assert_eq!(text_of(&page, "report-title-en"), "OCOP programme six-month report — second half of 2026");
    assert!(text_of(&page, "report-summary-vi").starts_with(&format!("{selling} trên {producers} chủ thể OCOP")));
    assert!(text_of(&page, "report-summary-en").starts_with(&format!("{selling} of {producers} OCOP producers")));
    assert!(page.contains("id=\"report-target-cooperatives\"") && page.contains("Cooperatives among OCOP producers"));
    // The cooperatives' share is the by-kind table's cooperatives over all OCOP producers.
    let dash = office.get("/office/dashboard?period=2026-H2").await.1;
    let kinds = dash.split("id=\"by-kind\"").nth(1).unwrap().split("</table>").next().unwrap();
    let coops: i64 = kinds
        .split("<tr>")
        .find(|r| r.contains("Hợp tác xã"))
        .map(|r| r.split("<td class=\"num\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap())
        .unwrap_or(0);
    assert!(coops > 0, "the seed has cooperatives");
    let expected = format!("{:.1}%", 100.0 * coops as f64 / producers as f64).replace('.', ",");
    assert_eq!(cell(&dash, "target-cooperatives", 1), expected);
    assert!(!page.contains("<template"), "whole, printable without JavaScript");
    let (_, annual) = office.get("/office/report?period=2026").await;
    assert!(text_of(&annual, "report-title-en").starts_with("OCOP programme annual report"));
    // The print stylesheet hides the header and footer and sets A4.
    let css = app::STYLE;
    let print = css.split("@media print").nth(1).expect("a print stylesheet");
    assert!(print.contains("header.top") && print.contains("size: A4"));
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(shopper.get("/office/report?period=2026-H2").await.0, 403);
}

/// A showroom sale (or refund) of several lines with a discount, at `sold_at`.
fn receipt(
    kind: &str,
    lines: &[(&str, i64, i64)],
    discount: i64,
    refund_of: Option<&serde_json::Value>,
) -> serde_json::Value {
    let id = || uuid::Uuid::new_v4().to_string();
    let gross: i64 = lines.iter().map(|(_, q, p)| q * p).sum();
    let total = gross - discount;
    let mut s = serde_json::json!({
        "id": id(), "kind": kind, "receipt_no": "MN1-000009", "shift_id": id(),
        "sold_at": "2026-11-28T03:15:00Z",
        "lines": lines.iter().map(|(sku, q, p)| serde_json::json!({"id": id(), "sku": sku, "qty": q, "unit_price": p, "line_total": q * p})).collect::<Vec<_>>(),
        "discount": discount, "total": total,
        "payments": [{"id": id(), "method": "cash", "amount": total, "confirmed": true}]
    });
    if let Some(of) = refund_of {
        s["refund_of"] = of.clone();
    }
    s
}

async fn push(app: &crate::support::TestApp, showroom: &str, token: &str, sales: Vec<serde_json::Value>) {
    let body = serde_json::json!({"showroom_code": showroom, "sales": sales});
    let (status, answer) = post_json(app, "/sync/v1/sales", Some(token), body.to_string().into_bytes()).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.to_string().contains("accepted"), "{answer}");
}

async fn sku_of(app: &crate::support::TestApp, variant: i64) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.state.store.db;
    let sql = format!("SELECT sku FROM variants WHERE id = {variant}");
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get("", "sku").unwrap()
}

/// Worked by hand, at the default 10% commission, for the demo member's producer A:
/// - online: 2 × 120 000 = 240 000 → commission 24 000, due 216 000;
/// - Mũi Né: A's 300 000 line and producer B's 100 000 line, 40 000 off → A's share 300/400 of 360 000
///   = 270 000 → 27 000, 243 000;
/// - Phan Thiết: 3 × 50 000 = 150 000 → 15 000, 135 000; one is refunded (50 000) on 2 January 2027.
///
/// 2026-H2: net 660 000, commission 66 000, due 594 000. 2027-H1: the refund alone, −50 000, −5 000,
/// −45 000 (a settled statement does not change). The office's dashboard counts that refund in its
/// sale's half-year: Phan Thiết's value for 2026-H2 is 100 000. B's statement: 90 000 at Mũi Né. The
/// CSV and XLSX carry the page's numbers; A cannot see B's, nor the office's pages.
#[tokio::test]
async fn a_producer_sees_its_own_settlement_statement_worked_by_hand() {
    use sea_orm::ConnectionTrait;
    let app = spawn().await;
    let a = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let b = scalar(&app, &format!("SELECT MIN(id) FROM producers WHERE id <> {a}")).await;
    let pick = |p: i64| {
        format!(
            "SELECT MIN(v.id) FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE p.producer_id = {p} AND p.status = 'active' AND v.active"
        )
    };
    let (va, vb) = (scalar(&app, &pick(a)).await, scalar(&app, &pick(b)).await);
    let (sku_a, sku_b) = (sku_of(&app, va).await, sku_of(&app, vb).await);
    let db = &app.state.store.db;
    db.execute_unprepared(&format!("UPDATE variants SET price_vnd = 120000 WHERE id = {va}")).await.unwrap();
    crate::shopper::set_stock(&app, va, 10).await;

    // Online: a shopper buys two, cash on delivery.
    let mut shopper = Shopper::new(&app);
    assert_eq!(shopper.add_variant(va, 2).await.status, 303);
    let placed = shopper.checkout("cod").await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    // Placed at 09:00 on 28 November 2026 in Vietnam, whatever the machine's clock says.
    let placed_at = chrono::DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z").unwrap().with_timezone(&chrono::Utc);
    db.execute_raw(store::sql::stmt(
        db.get_database_backend(),
        "UPDATE orders SET created_at = ?",
        vec![placed_at.into()],
    ))
    .await
    .unwrap();
    assert_eq!(
        scalar(&app, &format!("SELECT CAST(SUM(line_total) AS BIGINT) FROM order_lines WHERE variant_id = {va}")).await,
        240_000
    );

    // Two showrooms.
    let (muine, t1) = paired(&app, "SR-MUINE").await;
    push(&app, &muine, &t1, vec![receipt("sale", &[(&sku_a, 1, 300_000), (&sku_b, 1, 100_000)], 40_000, None)]).await;
    let (phanthiet, t2) = paired(&app, "SR-PHANTHIET").await;
    let sold = receipt("sale", &[(&sku_a, 3, 50_000)], 0, None);
    let mut refund = receipt("refund", &[(&sku_a, 1, 50_000)], 0, Some(&sold["id"]));
    refund["sold_at"] = "2027-01-02T03:00:00Z".into();
    push(&app, &phanthiet, &t2, vec![sold]).await;
    push(&app, &phanthiet, &t2, vec![refund]).await;

    let (member, _) = signed_in(&app, "chuthe@ocop.local").await;
    let (status, page) = member.get("/portal/sales?period=2026-H2").await;
    assert_eq!(status, 200);
    assert!(!page.contains("<template"), "readable without JavaScript");
    // Units, sales, refunds, net, commission; the amount due is in bold.
    let row = |id: &str| (1..=5).map(|n| cell(&page, id, n)).collect::<Vec<_>>();
    assert_eq!(cell(&page, "statement-0", 0), "Cửa hàng trực tuyến");
    assert_eq!(row("statement-0"), ["2", "240.000 ₫", "0 ₫", "240.000 ₫", "24.000 ₫"]);
    assert_eq!(cell(&page, "statement-1", 0), "Điểm bán SR-MUINE");
    assert_eq!(row("statement-1"), ["1", "270.000 ₫", "0 ₫", "270.000 ₫", "27.000 ₫"]);
    assert_eq!(cell(&page, "statement-2", 0), "Điểm bán SR-PHANTHIET");
    assert_eq!(row("statement-2"), ["3", "150.000 ₫", "0 ₫", "150.000 ₫", "15.000 ₫"]);
    let due = |id: &str| {
        let r = page.split(&format!("id=\"{id}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
        r.split("<strong>").nth(1).unwrap().split('<').next().unwrap().to_string()
    };
    assert_eq!(
        (due("statement-0"), due("statement-1"), due("statement-2")),
        ("216.000 ₫".into(), "243.000 ₫".into(), "135.000 ₫".into())
    );
    assert_eq!(row("statement-total"), ["6", "660.000 ₫", "0 ₫", "660.000 ₫", "66.000 ₫"]);
    assert_eq!(due("statement-total"), "594.000 ₫");
    assert!(text_of(&page, "statement-basis").contains("10%"));

    // The exports hold the page's numbers.
    let get = async |who: &Shopper<'_>, path: &str| {
        let mut req = app.http.get(format!("{}{path}", app.base));
        if let Some(c) = who.cookie.clone() {
            req = req.header("cookie", c);
        }
        let res = req.send().await.unwrap();
        (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
    };
    let (status, body) = get(&member, "/portal/sales/export/statement.csv?period=2026-H2").await;
    assert_eq!(status, 200);
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(&body[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 4, "three channels and the total");
    assert_eq!(rows[3], ["Tổng cộng / Total", "6", "660000", "0", "660000", "66000", "594000"]);
    assert_eq!(rows[1][0], "Điểm bán SR-MUINE / Showroom SR-MUINE");
    let (status, body) = get(&member, "/portal/sales/export/all.xlsx?period=2026-H2").await;
    assert_eq!(status, 200);
    use calamine::{Data, DataType, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(body)).unwrap();
    assert_eq!(book.sheet_names(), ["statement", "by-month"]);
    let sheet = book.worksheet_range("statement").unwrap();
    assert_eq!(sheet.get_value((4, 6)), Some(&Data::Float(594_000.0)));
    let months = book.worksheet_range("by-month").unwrap();
    let net: f64 = months.rows().skip(1).map(|r| r[2].get_float().unwrap()).sum();
    assert_eq!(net, 660_000.0, "the months add up to the net sales");
    // The refund, in the half-year it was given.
    let (_, body) = get(&member, "/portal/sales/export/statement.csv?period=2027-H1").await;
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(&body[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["Điểm bán SR-PHANTHIET / Showroom SR-PHANTHIET", "-1", "0", "50000", "-50000", "-5000", "-45000"],
            ["Tổng cộng / Total", "-1", "0", "50000", "-50000", "-5000", "-45000"]
        ]
    );
    // The office's dashboard counts it in its sale's half-year: one sale less one refund, 100 000.
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let dash = office.get("/office/dashboard?period=2026-H2").await.1;
    let showroom = dash.split("id=\"showroom-sales\"").nth(1).unwrap().split("</table>").next().unwrap();
    let row = showroom.split("<tr>").find(|r| r.contains("SR-PHANTHIET")).expect("Phan Thiết's row");
    assert!(row.contains(">0</td>") && row.contains("100.000 ₫"), "{row}");

    // B's statement is B's: only its 90 000 at Mũi Né, seen by the office; A cannot reach it.
    let (status, page_b) = office.get(&format!("/office/producers/{b}/statement?period=2026-H2")).await;
    assert_eq!(status, 200);
    assert_eq!(cell(&page_b, "statement-total", 4), "90.000 ₫");
    assert_eq!(member.get(&format!("/office/producers/{b}/statement?period=2026-H2")).await.0, 403);
    assert_eq!(get(&member, &format!("/office/producers/{b}/statement/export/all.xlsx")).await.0, 403);
    let (status, body) =
        get(&office, &format!("/office/producers/{b}/statement/export/statement.csv?period=2026-H2")).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8(body).unwrap().contains("90000"));
    // Asking the server function itself for B's statement: the office gets it, A gets nothing.
    let sfn = async |who: &Shopper<'_>| {
        let res = app
            .http
            .post(format!("{}/sfn/settlement", app.base))
            .header("cookie", who.cookie.clone().unwrap())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("period=2026-H2&producer={b}"))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    let (status, answer) = sfn(&office).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"net\":90000"), "{answer}");
    let (_, answer) = sfn(&member).await;
    assert!(!answer.contains("\"net\""), "a member gets no other producer's figures: {answer}");
    // Nobody, a shopper, a bad period, an unknown table.
    let nobody = Shopper::new(&app);
    assert_eq!(nobody.get("/portal/sales").await.0, 403);
    assert!(matches!(get(&nobody, "/portal/sales/export/statement.csv").await.0, 401 | 403));
    let (shopper, _) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(get(&shopper, "/portal/sales/export/statement.csv").await.0, 403);
    assert_eq!(member.get("/portal/sales?period=soon").await.0, 400);
    assert_eq!(get(&member, "/portal/sales/export/nothing.csv").await.0, 404);
    // Another period holds none of it.
    let (_, h1) = member.get("/portal/sales?period=2026-H1").await;
    assert!(h1.contains("id=\"statement-empty\""));
}

/// A producer whose goods sold only inside a gift combo sells through a modern channel too.
#[tokio::test]
async fn a_combo_sale_counts_for_every_producer_in_the_box() {
    let app = spawn().await;
    let (office, _) = signed_in(&app, "vanphong@ocop.local").await;
    let before = office.get("/office/dashboard?period=2026-H2").await.1;
    let (selling, producers) = counts(&before);
    assert_eq!(selling, 0);
    // The seed's combos hold goods of producers whose certificates are older; a certified producer on
    // the to-do list puts one of its products in the first box.
    let combo = domain::seed_catalogue::COMBOS[0].0;
    let to_do = |page: &str| page.split("id=\"not-yet\"").nth(1).unwrap().split("</ul>").next().unwrap().to_string();
    let first = to_do(&before).split("<li>").nth(1).unwrap().split(" · ").next().unwrap().to_string();
    let db = app.state.store.db.clone();
    let query = async |sql: String| {
        use sea_orm::{ConnectionTrait, Statement};
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect::<Vec<_>>()
    };
    let variant = query(format!(
        "SELECT CAST(MIN(v.id) AS TEXT) FROM variants v JOIN products p ON p.id = v.product_id \
         JOIN producers r ON r.id = p.producer_id WHERE r.name = '{first}'"
    ))
    .await[0]
        .clone();
    {
        use sea_orm::ConnectionTrait;
        let sql = format!(
            "INSERT INTO combo_items (combo_id, variant_id, qty) SELECT id, {variant}, 2 FROM combos WHERE slug = '{combo}'"
        );
        db.execute_unprepared(&sql).await.unwrap();
    }
    let names = query(format!(
        "SELECT DISTINCT r.name FROM combo_items ci JOIN combos c ON c.id = ci.combo_id \
         JOIN variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
         JOIN producers r ON r.id = p.producer_id WHERE c.slug = '{combo}'"
    ))
    .await;
    assert!(names.len() >= 2, "the box holds several producers' goods: {names:?}");
    let listed = names.iter().filter(|n| to_do(&before).contains(&format!("<li>{n} · "))).count() as i64;
    assert!(listed >= 1);
    let price = domain::seed_catalogue::COMBOS[0].5;
    let (showroom, token) = paired(&app, "SR-MUINE").await;
    push(&app, &showroom, &token, vec![receipt("sale", &[(combo, 1, price)], 0, None)]).await;
    let after = office.get("/office/dashboard?period=2026-H2").await.1;
    assert_eq!(counts(&after), (listed, producers), "every certified producer in the box now sells");
    assert!(names.iter().all(|n| !to_do(&after).contains(&format!("<li>{n} · "))), "off the to-do list");

    // Its statement: two units from the box, and its part of the box's price by list price —
    // price × (its price × 2) / (every part's price × quantity), give or take the last đồng.
    let weights = query(format!(
        "SELECT CAST(v.price_vnd * ci.qty AS TEXT) FROM combo_items ci JOIN combos c ON c.id = ci.combo_id \
         JOIN variants v ON v.id = ci.variant_id WHERE c.slug = '{combo}' ORDER BY CASE WHEN v.id = {variant} THEN 0 ELSE 1 END"
    ))
    .await;
    let weights: Vec<i64> = weights.iter().map(|w| w.parse().unwrap()).collect();
    let share = price * weights[0] / weights.iter().sum::<i64>();
    let producer = query(format!("SELECT CAST(id AS TEXT) FROM producers WHERE name = '{first}'")).await[0].clone();
    let (status, page) = office.get(&format!("/office/producers/{producer}/statement?period=2026-H2")).await;
    assert_eq!(status, 200);
    assert_eq!(cell(&page, "statement-0", 0), "Điểm bán SR-MUINE");
    assert_eq!(cell(&page, "statement-0", 1), "2", "two units in the box");
    let net: i64 =
        cell(&page, "statement-0", 4).chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap();
    assert!(net == share || net == share + 1, "its share of {price}: {net}, worked out {share}");
}
