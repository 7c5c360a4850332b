//! The OCOP evaluation through its pages and forms, over HTTP against the real router, on SQLite or
//! PostgreSQL: every person uses the forms their pages show (the office, the producer's member,
//! the commune officer, two council members), and every refusal a person could meet on the way is
//! a page or message they can read: another producer's dossier, a submitted dossier edited, a file
//! that is not a document, a document bomb, a member scoring twice or reading the others early, a
//! close by someone who is not the secretary. The store-level rules are `evaluation.rs`'s.

use domain::evaluation::Sheet;

use crate::shopper::{Posted, Shopper, scalar, signed_in};
use crate::support::{TestApp, spawn};

/// A whole one-page PDF with a text stream (compressed when `packed` holds the inflated bytes).
pub(crate) fn pdf(title: &str, packed: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
         3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n"
        .to_vec();
    match packed {
        Some(bytes) => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            std::io::Write::write_all(&mut e, &bytes).unwrap();
            let z = e.finish().unwrap();
            out.extend_from_slice(
                format!("4 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n", z.len()).as_bytes(),
            );
            out.extend_from_slice(&z);
        }
        None => {
            let text = format!("BT /F1 14 Tf 72 720 Td ({title}) Tj ET");
            out.extend_from_slice(format!("4 0 obj << /Length {} >>\nstream\n{text}", text.len()).as_bytes());
        }
    }
    out.extend_from_slice(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    out
}

/// Posts a file with the dossier's upload form, as a browser does.
async fn upload(s: &Shopper<'_>, dossier: i64, csrf: &str, kind: &str, name: &str, bytes: Vec<u8>) -> Posted {
    let path = format!("/dossiers/{dossier}/documents");
    send_file(s, &path, &[("csrf", csrf), ("kind", kind)], ("file", name), bytes).await
}

/// A multipart form with `fields` and one file.
pub(crate) async fn send_file(
    s: &Shopper<'_>,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, &str),
    bytes: Vec<u8>,
) -> Posted {
    let boundary = "----ocopdossier";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n",
            file.0, file.1
        )
        .as_bytes(),
    );
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = s
        .app
        .http
        .post(format!("{}{path}", s.app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("sec-fetch-site", "same-origin")
        .body(body);
    if let Some(c) = &s.cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    Posted { status, location, body: res.text().await.unwrap() }
}

fn id_in(location: &str, prefix: &str) -> i64 {
    location.trim_start_matches(prefix).split(['?', '#', '/']).next().unwrap().parse().unwrap()
}

/// A member's sheet as the scoring form posts it: the best option everywhere, less `drop` points
/// taken off criteria that are not mandatory.
fn sheet_form(sheet: &Sheet, csrf: &str, drop: u32, submit: bool) -> Vec<(String, String)> {
    let mut left = drop;
    let mut out = vec![("csrf".to_string(), csrf.to_string())];
    for (_, c) in sheet.criteria() {
        let best = c.max_points();
        let pick = if c.mandatory_from.is_none() {
            c.options.iter().filter(|o| best - o.points <= left).min_by_key(|o| o.points).unwrap()
        } else {
            c.options.iter().max_by_key(|o| o.points).unwrap()
        };
        left -= best - pick.points;
        out.push((format!("c_{}", c.code), pick.code.clone()));
        out.push((format!("n_{}", c.code), format!("Ghi chú {}", c.code)));
    }
    assert_eq!(left, 0);
    out.push(("submit".into(), if submit { "1" } else { "0" }.into()));
    out
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    scalar(app, sql).await
}

#[tokio::test]
async fn the_evaluation_runs_on_its_forms_and_every_refusal_reads_as_a_message() {
    let app = spawn().await;
    let (mut office, office_csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let (mut member, member_csrf) = signed_in(&app, "chuthe@ocop.local").await;
    let (mut commune, commune_csrf) = signed_in(&app, "xa@ocop.local").await;
    let (mut m1, m1_csrf) = signed_in(&app, "hoidong1@ocop.local").await;
    let (mut m2, m2_csrf) = signed_in(&app, "hoidong2@ocop.local").await;
    let owner = scalar(&app, "SELECT producer_id FROM users WHERE email = 'chuthe@ocop.local'").await;
    let other = scalar(&app, &format!("SELECT MIN(id) FROM producers WHERE id <> {owner}")).await;
    crate::listings::other_member(&app, other, "khac@ocop.local").await;
    let (mut stranger, stranger_csrf) = signed_in(&app, "khac@ocop.local").await;
    let product = scalar(&app, &format!("SELECT MIN(id) FROM products WHERE producer_id = {owner}")).await;
    let sheet_id = scalar(&app, "SELECT MIN(id) FROM evaluation_sheets").await;

    // The office loads a new version of the sheet from a file and sees it listed; a broken file is
    // refused with its reason.
    let v2 = domain::evaluation::sheet::SAMPLE_PROCESSED_FOOD
        .replace("\"version\": \"2026.1-mau\"", "\"version\": \"2027.1-mau\"");
    let r =
        send_file(&office, "/office/sheets", &[("csrf", &office_csrf)], ("sheet", "phieu.json"), v2.into_bytes()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let broken = domain::evaluation::sheet::SAMPLE_PROCESSED_FOOD.replace("\"points\": 5", "\"points\": 50");
    let r =
        send_file(&office, "/office/sheets", &[("csrf", &office_csrf)], ("sheet", "hong.json"), broken.into_bytes())
            .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("field-error"), "the reason is on the page");
    let (_, page) = office.get("/office/rounds").await;
    assert!(page.contains("2027.1-mau") && page.contains("2026.1-mau"), "both versions are listed");

    // The office opens a round and seats its council; a wrong deadline is refused on the page.
    let (status, page) = office.get("/office/rounds").await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"open-round\""));
    let sheet_s = sheet_id.to_string();
    let mut round_form = vec![
        ("csrf", office_csrf.as_str()),
        ("label", "Đợt 1 năm 2027"),
        ("year", "2027"),
        ("deadline", "2020-01-01"),
        ("sheet_id", sheet_s.as_str()),
    ];
    let r = office.post("/office/rounds", &round_form).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hạn nộp hồ sơ phải là một ngày từ hôm nay trở đi"), "the reason is on the page");
    assert!(r.body.contains("Đợt 1 năm 2027"), "what was typed is kept");
    round_form[3] = ("deadline", "2027-03-31");
    let r = office.post("/office/rounds", &round_form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let round = id_in(&r.location, "/office/rounds/");
    let (u1, u2) = (
        scalar(&app, "SELECT id FROM users WHERE email = 'hoidong1@ocop.local'").await.to_string(),
        scalar(&app, "SELECT id FROM users WHERE email = 'hoidong2@ocop.local'").await.to_string(),
    );
    let seat = format!("/office/rounds/{round}/members");
    assert_eq!(office.post(&seat, &[("csrf", &office_csrf), ("user_id", &u1), ("secretary", "1")]).await.status, 303);
    assert_eq!(office.post(&seat, &[("csrf", &office_csrf), ("user_id", &u2)]).await.status, 303);

    // A round scores each product group on its own sheet: a drinks product waits for a drinks sheet.
    let second = scalar(&app, &format!("SELECT MAX(id) FROM products WHERE producer_id = {owner}")).await;
    crate::evaluation::exec(&app, &format!("UPDATE products SET ocop_group = 'drinks' WHERE id = {second}")).await;
    let (sec, rd) = (second.to_string(), round.to_string());
    let drinks_start =
        [("csrf", member_csrf.as_str()), ("product_id", sec.as_str()), ("round_id", rd.as_str()), ("kind", "new")];
    let r = member.post("/dossiers", &drinks_start).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("chưa có phiếu đánh giá cho nhóm “Đồ uống”"), "{}", r.body);
    let drinks = domain::evaluation::sheet::SAMPLE_PROCESSED_FOOD
        .replace("\"group\": \"Food\"", "\"group\": \"Drinks\"")
        .replace("\"code\": \"148-3-mau\"", "\"code\": \"148-2-mau\"");
    let r =
        send_file(&office, "/office/sheets", &[("csrf", &office_csrf)], ("sheet", "do-uong.json"), drinks.into_bytes())
            .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let drinks_id = scalar(&app, "SELECT id FROM evaluation_sheets WHERE group_code = 'drinks'").await.to_string();
    let add = format!("/office/rounds/{round}/sheets");
    assert_eq!(office.post(&add, &[("csrf", &office_csrf), ("sheet_id", &drinks_id)]).await.status, 303);
    let r = office.post(&add, &[("csrf", &office_csrf), ("sheet_id", &drinks_id)]).await;
    assert_eq!(r.status, 422, "one sheet per group per round");
    let (_, page) = office.get(&format!("/office/rounds/{round}")).await;
    assert!(page.contains("148-2-mau") && page.contains("Đồ uống"), "the round lists its sheets by group");
    assert_eq!(member.post("/dossiers", &drinks_start).await.status, 303, "now it can be filed");

    // The producer's member starts a dossier for its product whose certificate has lapsed.
    let (status, page) = member.get("/portal/dossiers").await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"start-form\"") && page.contains("Đợt 1 năm 2027"));
    let p = product.to_string();
    let start =
        [("csrf", member_csrf.as_str()), ("product_id", p.as_str()), ("round_id", rd.as_str()), ("kind", "upgrade")];
    let r = member.post("/dossiers", &start).await;
    assert_eq!(r.status, 422, "an upgrade needs a valid certificate");
    let start =
        [("csrf", member_csrf.as_str()), ("product_id", p.as_str()), ("round_id", rd.as_str()), ("kind", "new")];
    assert_eq!(stranger.post("/dossiers", &[start[1], start[2], start[3], ("csrf", &stranger_csrf)]).await.status, 403);
    let r = member.post("/dossiers", &start).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_in(&r.location, "/portal/dossiers/");
    let path = format!("/portal/dossiers/{id}");

    // The form's fields, with markup typed into them: shown as text, in the textarea too.
    let fields = [
        ("csrf", member_csrf.as_str()),
        ("registered_name", "Rong nho tươi Phan Thiết"),
        ("annual_output", "8.000 hộp"),
        ("raw_materials", "Rong nho nuôi ven biển"),
        ("story", "</textarea><script>alert(1)</script>"),
    ];
    assert_eq!(member.post(&format!("/dossiers/{id}"), &fields).await.status, 303);
    let (_, page) = member.get(&path).await;
    assert!(!page.contains("<script>alert(1)"), "typed markup never runs");
    assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;"), "it is kept, escaped, in its field");

    // Someone else's dossier does not exist for them, whatever they try.
    assert_eq!(stranger.get(&path).await.0, 404);
    assert_eq!(stranger.post(&format!("/dossiers/{id}"), &[fields[1], ("csrf", &stranger_csrf)]).await.status, 404);
    assert_eq!(upload(&stranger, id, &stranger_csrf, "label", "a.pdf", pdf("x", None)).await.status, 404);

    // Papers: a bomb, a page of HTML and a truncated PDF are refused with a reason; nothing is kept.
    let bomb = pdf("", Some(vec![0u8; 64 * 1024 * 1024]));
    assert!(bomb.len() < 200 * 1024, "a bomb is small: {} bytes", bomb.len());
    let r = upload(&member, id, &member_csrf, "label", "nhan.pdf", bomb).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("giải nén ra quá lớn"), "the reason beside the file field: {}", r.body);
    let r = upload(&member, id, &member_csrf, "label", "nhan.html", b"<html><script>alert(1)</script>".to_vec()).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Chỉ nhận tệp PDF hoặc ảnh"));
    let whole = pdf("Nhãn", None);
    let r = upload(&member, id, &member_csrf, "label", "nhan.pdf", whole[..whole.len() - 10].to_vec()).await;
    assert_eq!(r.status, 422);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM dossier_documents WHERE dossier_id = {id}")).await, 0);

    // Submitting without them names what is missing; then the papers go in and it is submitted.
    let step = format!("/dossiers/{id}/step");
    let r = member.post(&step, &[("csrf", &member_csrf), ("step", "submit")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Giấy đăng ký kinh doanh"));
    for kind in
        ["business_registration", "quality_declaration", "food_safety_test", "food_safety_establishment", "label"]
    {
        let r = upload(&member, id, &member_csrf, kind, &format!("{kind}.pdf"), pdf(kind, None)).await;
        assert_eq!(r.status, 303, "{kind}: {}", r.body);
    }
    let doc = scalar(&app, &format!("SELECT MIN(id) FROM dossier_documents WHERE dossier_id = {id}")).await;
    let doc_path = format!("/dossiers/{id}/documents/{doc}");
    let res = app
        .http
        .get(format!("{}{doc_path}", app.base))
        .header("cookie", commune.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "the commune reads the papers");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(stranger.get(&doc_path).await.0, 404, "not another producer's member");
    // Another commune's officer sees neither the dossier nor its papers, nor can act on it.
    crate::evaluation::exec(
        &app,
        "UPDATE users SET role = 'commune', commune = 'Phường Mũi Né' WHERE email = 'khach@ocop.local'",
    )
    .await;
    let (mut elsewhere, elsewhere_csrf) = signed_in(&app, "khach@ocop.local").await;
    assert_eq!(elsewhere.get(&format!("/office/dossiers/{id}")).await.0, 404);
    assert_eq!(elsewhere.get(&doc_path).await.0, 404);
    assert!(!elsewhere.get("/office/dossiers").await.1.contains(&format!("/office/dossiers/{id}")));
    let r = elsewhere.post(&format!("/dossiers/{id}/step"), &[("csrf", &elsewhere_csrf), ("step", "propose")]).await;
    assert!(matches!(r.status, 403 | 404), "{}", r.status);
    assert_eq!(Shopper::new(&app).get(&doc_path).await.0, 403, "not the signed-out");
    assert_eq!(member.post(&step, &[("csrf", &member_csrf), ("step", "submit")]).await.status, 303);
    let r = member.post(&format!("/dossiers/{id}"), &fields).await;
    assert_eq!(r.status, 422, "a submitted dossier is out of the producer's hands");
    let r = upload(&member, id, &member_csrf, "other", "them.pdf", pdf("x", None)).await;
    assert_eq!(r.status, 422);

    // The commune: a return needs reasons; then it proposes. The producer cannot propose.
    assert_eq!(member.post(&step, &[("csrf", &member_csrf), ("step", "propose")]).await.status, 403);
    let r = commune.post(&step, &[("csrf", &commune_csrf), ("step", "commune_return"), ("reason", "  ")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("lý do"));
    let (_, list) = commune.get("/office/dossiers").await;
    let link = format!("/office/dossiers/{id}\"");
    assert!(list.contains(&link), "the commune's own producer's dossier is listed");
    assert!(commune.get("/office/dossiers?f=waiting").await.1.contains(&link), "it waits for the commune");
    assert!(!commune.get("/office/dossiers?f=closed").await.1.contains(&link));
    assert!(commune.get("/office/dossiers?q=rong%20nho").await.1.contains(&link), "found by its name");
    assert!(!commune.get("/office/dossiers?q=c%C3%A0%20ph%C3%AA").await.1.contains(&link));
    assert_eq!(commune.post(&step, &[("csrf", &commune_csrf), ("step", "propose")]).await.status, 303);

    // The council sees nothing before the province accepts it; accepting needs the samples.
    assert_eq!(m1.get(&format!("/office/dossiers/{id}/score")).await.0, 404);
    let r = office.post(&step, &[("csrf", &office_csrf), ("step", "accept")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("mẫu sản phẩm"));
    let samples = format!("/dossiers/{id}/samples");
    let r = office.post(&samples, &[("csrf", &office_csrf), ("received_on", "2026-11-20"), ("note", "3 hộp")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(office.post(&step, &[("csrf", &office_csrf), ("step", "accept")]).await.status, 303);

    // m1 submits; m2, still drafting, sees no one else's sheet; m1 cannot submit twice.
    let sheet = store::evaluation::sheets::get(&app.state.store.db, sheet_id).await.unwrap().unwrap();
    let score = format!("/dossiers/{id}/score");
    let draft = sheet_form(&sheet, &m2_csrf, 40, false);
    assert_eq!(m2.post(&score, &pairs(&draft)).await.status, 303);
    let r = m1.post(&score, &pairs(&sheet_form(&sheet, &m1_csrf, 18, true))).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = m1.post(&score, &pairs(&sheet_form(&sheet, &m1_csrf, 0, true))).await;
    assert_eq!(r.status, 422, "a member submits once");
    let (status, page) = m2.get(&format!("/office/dossiers/{id}/score")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("id=\"members-scores\"") && !page.contains(">82<"), "no one else's sheet before one's own");
    assert!(page.contains("Ghi chú A1"), "the draft's notes come back");
    let r = m2.post(&score, &pairs(&sheet_form(&sheet, &m2_csrf, 43, true))).await;
    assert_eq!(r.status, 303);
    let (_, page) = m2.get(&format!("/office/dossiers/{id}/score")).await;
    assert!(page.contains("id=\"members-scores\"") && page.contains(">82<") && page.contains(">57<"));

    // Only the secretary closes: 82 and 57 make 69,5, three stars.
    let r = m2.post(&step, &[("csrf", &m2_csrf), ("step", "close_scoring")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(m1.post(&step, &[("csrf", &m1_csrf), ("step", "close_scoring")]).await.status, 303);
    let (_, page) = m1.get(&format!("/office/dossiers/{id}")).await;
    assert!(page.contains("69,5"), "the mean in Vietnamese form");
    assert!(page.contains("id=\"member-totals\""), "the council reads each member's total");
    let (_, page) = member.get(&path).await;
    assert!(
        page.contains("69,5") && !page.contains("id=\"member-totals\""),
        "the producer reads the result, not who gave what"
    );

    // The office ranks, reads the results sheet and decides: the certificate is public at once.
    let rank = format!("/office/rounds/{round}/rank");
    assert_eq!(member.post(&rank, &[("csrf", &member_csrf)]).await.status, 403);
    assert_eq!(office.post(&rank, &[("csrf", &office_csrf)]).await.status, 303);
    let (status, csv) = office.get(&format!("/office/rounds/{round}/results.csv")).await;
    assert_eq!(status, 200);
    assert!(csv.contains("phan_a") && csv.contains("69,50"), "{csv}");
    assert_eq!(member.get(&format!("/office/rounds/{round}/results.csv")).await.0, 403);
    let (status, print) = office.get(&format!("/office/rounds/{round}/print")).await;
    assert_eq!(status, 200);
    assert!(print.contains("Bảng tổng hợp kết quả") && print.contains("Rong nho") && print.contains("69,5"));
    let res = app
        .http
        .get(format!("{}/office/rounds/{round}/results.xlsx", app.base))
        .header("cookie", office.cookie.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"), "an XLSX workbook");
    let decide = format!("/office/rounds/{round}/decision");
    let r =
        office.post(&decide, &[("csrf", &office_csrf), ("number", "1358/QĐ-UBND"), ("decided_on", "2099-01-01")]).await;
    assert_eq!(r.status, 422, "a decision is not dated in the future");
    let r =
        office.post(&decide, &[("csrf", &office_csrf), ("number", "1358/QĐ-UBND"), ("decided_on", "2026-11-26")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (status, page) = Shopper::new(&app).get(&format!("/verify/{}", app::format::encode("1358/QĐ-UBND-001"))).await;
    assert_eq!(status, 200);
    assert!(page.contains("★★★<") && page.contains("26/11/2026") && page.contains("Còn hiệu lực"), "{page}");
    let (status, page) = Shopper::new(&app).get("/ocop?year=2026&stars=3").await;
    assert_eq!(status, 200);
    assert!(page.contains("1358/QĐ-UBND-001"));
    let (status, page) = Shopper::new(&app).get("/ocop?stars=9").await;
    assert_eq!(status, 400, "a wrong filter is a readable 400");
    assert!(page.contains("stars"));
    let (_, page) = member.get(&path).await;
    assert!(page.contains("/verify/1358/QĐ-UBND-001") || page.contains("1358/QĐ-UBND-001"));
    // Every step is dated, and the producer was told of each that concerns it.
    assert!(count(&app, &format!("SELECT COUNT(*) FROM dossier_events WHERE dossier_id = {id}")).await >= 8);
}

/// The workspaces of the new roles: what each one's navigation offers and what its pages refuse.
#[tokio::test]
async fn commune_officers_and_council_members_work_at_their_dossiers_only() {
    let app = spawn().await;
    for (login, nav) in [("xa@ocop.local", "Hồ sơ OCOP của xã"), ("hoidong1@ocop.local", "Hồ sơ cần chấm")]
    {
        let (s, _) = signed_in(&app, login).await;
        let (status, page) = s.get("/office/dossiers").await;
        assert_eq!(status, 200, "{login}");
        assert!(page.contains(nav), "{login}'s navigation");
        assert!(!page.contains("href=\"/office/users\""), "{login} has no office links");
        for office_page in ["/office", "/office/rounds", "/office/users", "/office/dashboard"] {
            assert_eq!(s.get(office_page).await.0, 403, "{login} at {office_page}");
        }
    }
    for login in ["khach@ocop.local", "nhanvien@ocop.local"] {
        let (s, _) = signed_in(&app, login).await;
        assert_eq!(s.get("/office/dossiers").await.0, 403, "{login}");
    }
    // The office gives an account the commune officer's role only with its commune.
    let (mut office, csrf) = signed_in(&app, "vanphong@ocop.local").await;
    let user = scalar(&app, "SELECT id FROM users WHERE email = 'khach@ocop.local'").await;
    let path = format!("/office/users/{user}/role");
    let r = office.post(&path, &[("csrf", &csrf), ("role", "commune"), ("commune", " ")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cán bộ xã cần ghi tên xã"));
    let r = office.post(&path, &[("csrf", &csrf), ("role", "commune"), ("commune", "Phường Mũi Né")]).await;
    assert_eq!(r.status, 303);
    let (_, page) = office.get(&format!("/office/users?edit={user}")).await;
    assert!(page.contains("Phường Mũi Né"));
}
