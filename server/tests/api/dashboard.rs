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

/// The text of the `n`-th cell of the row with this id.
fn cell(page: &str, id: &str, n: usize) -> String {
    let row =
        page.split(&format!("id=\"{id}\"")).nth(1).unwrap_or_else(|| panic!("no #{id}")).split("</tr>").next().unwrap();
    row.split("<td").nth(n + 1).unwrap().split_once('>').unwrap().1.split('<').next().unwrap().to_string()
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
    assert!(text_of(&page, "period-error").contains("2026-H1"));
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
                 expires_on, kind, created_at) VALUES ({product}, 'QĐ-TEST-CH', FALSE, 4, 'province', '2026-01-15', 'day', \
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
    let expected = format!("{:.1}%", 100.0 * coops as f64 / producers as f64);
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
