//! The OCOP evaluation through the store, on SQLite or PostgreSQL: a producer's member files a
//! dossier with its documents, the commune proposes it, the office takes the samples and accepts
//! it, two council members score it on the round's sheet, the secretary closes the scoring, the
//! office ranks the round and records the province's decision, which issues the certificate. Every
//! refusal on the way is checked: steps by the wrong person or out of order, a member scoring twice
//! or reading others' sheets early, a producer changing a submitted dossier, someone else's dossier.

use domain::account::{Account, Role};
use domain::evaluation::dossier::Step;
use domain::evaluation::{Choices, DocKind, DossierStatus, Sheet};
use sea_orm::{ConnectionTrait, Statement};
use store::evaluation::{decision, dossiers, rounds, scores, sheets};
use store::listings::Refusal;

use crate::support::{TestApp, spawn};

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let db = &app.state.store.db;
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

pub(crate) async fn exec(app: &TestApp, sql: &str) {
    app.state.store.db.execute_unprepared(sql).await.unwrap();
}

pub(crate) async fn account(app: &TestApp, login: &str) -> Account {
    let db = &app.state.store.db;
    let r = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id, name, role, producer_id FROM users WHERE email = '{login}'"),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{login} is seeded"));
    Account {
        id: r.try_get("", "id").unwrap(),
        name: r.try_get("", "name").unwrap(),
        email: Some(login.into()),
        phone: None,
        role: Role::parse(&r.try_get::<String>("", "role").unwrap()).unwrap(),
        producer_id: r.try_get("", "producer_id").unwrap(),
        showroom_id: None,
    }
}

/// Answers adding up to `total` on the sheet: best options, then lower ones on criteria that are
/// not mandatory until the total is reached.
fn answers(sheet: &Sheet, total: u32) -> Choices {
    let mut out = Choices::new();
    let mut over = 100 - total;
    for (_, c) in sheet.criteria() {
        let best = c.max_points();
        let pick = if c.mandatory_from.is_none() {
            c.options.iter().filter(|o| best - o.points <= over).min_by_key(|o| o.points).unwrap()
        } else {
            c.options.iter().max_by_key(|o| o.points).unwrap()
        };
        over -= best - pick.points;
        out.insert(c.code.clone(), pick.code.clone());
    }
    assert_eq!(over, 0);
    out
}

#[track_caller]
fn invalid_message(r: Result<impl std::fmt::Debug, Refusal>) -> String {
    match r {
        Err(Refusal::Invalid(e)) => format!("{} / {}", e[0].message_vi, e[0].message_en),
        other => panic!("expected a refusal with a reason, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dossier_goes_from_draft_to_certificate_and_every_wrong_step_is_refused() {
    let app = spawn().await;
    let store = &app.state.store;
    let office = account(&app, "vanphong@ocop.local").await;
    let member = account(&app, "chuthe@ocop.local").await;
    let officer = account(&app, "xa@ocop.local").await;
    let (m1, m2) = (account(&app, "hoidong1@ocop.local").await, account(&app, "hoidong2@ocop.local").await);
    let producer = member.producer_id.unwrap();
    // A product of the demo producer, its certificates taken away (it has never been evaluated),
    // and another producer's member.
    let product = scalar(&app, &format!("SELECT MIN(id) FROM products WHERE producer_id = {producer}")).await;
    store.db.execute_unprepared(&format!("DELETE FROM certificates WHERE product_id = {product}")).await.unwrap();
    let other_producer = scalar(&app, &format!("SELECT MIN(id) FROM producers WHERE id <> {producer}")).await;
    let stranger = store::accounts::create(
        &store.db,
        store::accounts::NewAccount {
            name: "Chủ thể khác",
            login: "khac@ocop.local",
            password: "mat-khau-rat-dai-2026",
            role: Role::Producer,
            producer_id: Some(other_producer),
            showroom_id: None,
        },
    )
    .await
    .unwrap()
    .unwrap();

    // The office opens a round on the shipped sample sheet and seats the council.
    let sheet_id = sheets::list(&store.db).await.unwrap()[0].id;
    let sheet = sheets::get(&store.db, sheet_id).await.unwrap().unwrap();
    assert!(sheet.sample);
    let form = rounds::RoundForm {
        label: "Đợt 1 năm 2027".into(),
        year: "2027".into(),
        deadline: "2027-03-31".into(),
        sheet_id: sheet_id.to_string(),
    };
    assert_eq!(rounds::open(store, &member, &form).await.unwrap(), Err(Refusal::Forbidden));
    let round = rounds::open(store, &office, &form).await.unwrap().unwrap();
    let refused = rounds::seat(store, &office, round, member.id, false).await.unwrap();
    assert!(invalid_message(refused).contains("council member role"), "only council accounts sit on a council");
    rounds::seat(store, &office, round, m1.id, true).await.unwrap().unwrap();
    rounds::seat(store, &office, round, m2.id, false).await.unwrap().unwrap();

    // The producer's member starts a dossier; another producer's member cannot, for this product.
    let start =
        dossiers::StartForm { product_id: product.to_string(), round_id: round.to_string(), kind: "new".into() };
    assert_eq!(dossiers::start(store, &stranger, &start).await.unwrap(), Err(Refusal::Forbidden));
    let upgrade = dossiers::StartForm { kind: "upgrade".into(), ..start.clone() };
    assert!(invalid_message(dossiers::start(store, &member, &upgrade).await.unwrap()).contains("certificate"));
    let id = dossiers::start(store, &member, &start).await.unwrap().unwrap();
    let again = dossiers::start(store, &member, &start).await.unwrap();
    assert!(invalid_message(again).contains("in progress"), "one dossier at a time per product");
    let fields = dossiers::Fields {
        registered_name: "Nước mắm nhĩ cá cơm 40 độ đạm".into(),
        annual_output: "12.000 chai 500 ml".into(),
        main_markets: "Phan Thiết, TP. Hồ Chí Minh".into(),
        raw_materials: "Cá cơm than đánh bắt ở vùng biển Phan Thiết".into(),
        story: "<script>alert(1)</script> Ba thế hệ làm nước mắm".into(),
    };
    dossiers::edit(store, &member, id, &fields).await.unwrap().unwrap();
    assert_eq!(
        dossiers::edit(store, &stranger, id, &fields).await.unwrap(),
        Err(Refusal::NotFound),
        "not theirs to see"
    );

    // Submitting without the required papers is refused, naming them.
    let why = invalid_message(dossiers::take(store, &member, id, Step::Submit, &Default::default()).await.unwrap());
    assert!(why.contains("Giấy đăng ký kinh doanh") && why.contains("Business registration"), "{why}");
    for kind in [
        DocKind::BusinessRegistration,
        DocKind::QualityDeclaration,
        DocKind::FoodSafetyTest,
        DocKind::FoodSafetyEstablishment,
        DocKind::Label,
    ] {
        let doc = dossiers::NewDocument {
            kind,
            file_name: format!("{}.pdf", kind.code()),
            media_key: format!("dossiers/{id}/{}.pdf", kind.code()),
            content_type: "application/pdf".into(),
            bytes: 1200,
        };
        dossiers::attach(store, &member, id, &doc).await.unwrap().unwrap();
    }
    // The commune cannot propose what was not submitted; the producer submits.
    assert!(dossiers::take(store, &officer, id, Step::Propose, &Default::default()).await.unwrap().is_err());
    let to = dossiers::take(store, &member, id, Step::Submit, &Default::default()).await.unwrap().unwrap();
    assert_eq!(to, DossierStatus::Submitted);
    let locked = dossiers::edit(store, &member, id, &fields).await.unwrap();
    assert!(invalid_message(locked).contains("submitted"), "a submitted dossier is out of the producer's hands");

    // The commune sends it back with its reasons, the producer submits again, the commune proposes.
    let no_reason = dossiers::take(store, &officer, id, Step::CommuneReturn, &Default::default()).await.unwrap();
    assert!(invalid_message(no_reason).contains("reasons"));
    let reason = dossiers::StepInput { reason: "Bổ sung ảnh nhãn mặt sau".into(), ..Default::default() };
    assert_eq!(
        dossiers::take(store, &officer, id, Step::CommuneReturn, &reason).await.unwrap().unwrap(),
        DossierStatus::Returned
    );
    dossiers::take(store, &member, id, Step::Submit, &Default::default()).await.unwrap().unwrap();
    assert_eq!(
        dossiers::take(store, &member, id, Step::Propose, &Default::default()).await.unwrap(),
        Err(Refusal::Forbidden)
    );
    dossiers::take(store, &officer, id, Step::Propose, &Default::default()).await.unwrap().unwrap();
    let listed = |list: Vec<dossiers::Summary>| list.iter().any(|d| d.id == id);
    assert!(listed(dossiers::list_for(&store.db, &officer).await.unwrap()), "the commune's own producer");
    assert!(!listed(dossiers::list_for(&store.db, &stranger).await.unwrap()), "not another producer's");

    // The council sees nothing before the province accepts it; accepting needs the samples.
    let early = scores::save(store, &m1, id, &answers(&sheet, 80), &Default::default(), true).await.unwrap();
    assert!(invalid_message(early).contains("not open for scoring"));
    assert!(
        invalid_message(dossiers::take(store, &office, id, Step::Accept, &Default::default()).await.unwrap())
            .contains("samples")
    );
    dossiers::record_samples(store, &office, id, "2026-11-20", "3 chai 500 ml").await.unwrap().unwrap();
    dossiers::take(store, &office, id, Step::Accept, &Default::default()).await.unwrap().unwrap();

    // Members score alone: m1 submits 82, cannot submit again, cannot see m2's draft; m2 cannot see
    // m1's sheet before submitting; one sheet is not enough to close.
    scores::save(store, &m2, id, &answers(&sheet, 57), &Default::default(), false).await.unwrap().unwrap();
    assert_eq!(scores::all_submitted(&store.db, &m2, id).await.unwrap(), Err(Refusal::Forbidden));
    let mut notes = scores::Notes::new();
    notes.insert("C3".into(), "Có bản tự công bố số 01/2026".into());
    scores::save(store, &m1, id, &answers(&sheet, 82), &notes, true).await.unwrap().unwrap();
    let twice = scores::save(store, &m1, id, &answers(&sheet, 90), &notes, true).await.unwrap();
    assert!(invalid_message(twice).contains("already submitted"));
    let seen = scores::all_submitted(&store.db, &m1, id).await.unwrap().unwrap();
    assert_eq!(seen.len(), 1, "m2's draft is not shown to m1");
    assert_eq!(seen[0].total, Some(82));
    assert_eq!(scores::all_submitted(&store.db, &member, id).await.unwrap(), Err(Refusal::NotFound));
    let early_close = dossiers::take(store, &m1, id, Step::CloseScoring, &Default::default()).await.unwrap();
    assert!(invalid_message(early_close).contains("at least 2"));
    // Only the secretary closes.
    scores::save(store, &m2, id, &answers(&sheet, 57), &Default::default(), true).await.unwrap().unwrap();
    assert_eq!(
        dossiers::take(store, &m2, id, Step::CloseScoring, &Default::default()).await.unwrap(),
        Err(Refusal::Forbidden)
    );
    dossiers::take(store, &m1, id, Step::CloseScoring, &Default::default()).await.unwrap().unwrap();
    let view = dossiers::view(&store.db, &member, id).await.unwrap().unwrap();
    let result = view.result.clone().unwrap();
    assert_eq!((result.totals.clone(), result.mean_centi), (vec![82, 57], 6950), "mean of 82 and 57 is 69,5");
    assert_eq!((result.stars, result.outcome.as_str()), (Some(3), "ranked"), "69,5 is three stars");
    assert!(result.needs_discussion, "25 points apart");

    // The office ranks the round and records the decision: the certificate is issued at once.
    assert_eq!(decision::rank_round(store, &member, round).await.unwrap(), Err(Refusal::Forbidden));
    assert_eq!(decision::rank_round(store, &office, round).await.unwrap(), Ok(1));
    let form = decision::DecisionForm { number: "2150/QĐ-UBND".into(), decided_on: "2026-11-25".into() };
    let decided = decision::record(store, &office, round, &form).await.unwrap().unwrap();
    assert_eq!(decided.certified, [(id, "2150/QĐ-UBND-001".to_string(), 3)]);
    let again = decision::record(store, &office, round, &form).await.unwrap();
    assert!(invalid_message(again).contains("decided already"));
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT CAST(stars AS BIGINT) FROM certificates WHERE product_id = {product} AND dossier_id = {id}"
            )
        )
        .await,
        3
    );
    let db = &store.db;
    let last: chrono::NaiveDate = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT last_valid_on FROM certificates WHERE dossier_id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "last_valid_on")
        .unwrap();
    assert_eq!(last.to_string(), "2029-11-25", "valid 36 months from the decision date");
    let view = dossiers::view(&store.db, &member, id).await.unwrap().unwrap();
    assert_eq!((view.status, view.certificate_number.as_deref()), (DossierStatus::Certified, Some("2150/QĐ-UBND-001")));
    let steps: Vec<&str> = view.events.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "start",
            "submit",
            "commune_return",
            "submit",
            "propose",
            "samples",
            "accept",
            "close_scoring",
            "rank",
            "certify"
        ]
    );
    assert_eq!(view.events[2].reason.as_deref(), Some("Bổ sung ảnh nhãn mặt sau"));
    // The producer heard about each step that concerns it, through the outbox.
    let told = scalar(&app, "SELECT COUNT(*) FROM notifications WHERE recipient = 'chuthe@ocop.local'").await;
    assert_eq!(told, 4, "returned, proposed, accepted, certified");

    // The public verify page and the registry show the new certificate at once.
    let number = "2150/QĐ-UBND-001";
    let encoded = number.replace('/', "%2F").replace('Đ', "%C4%90");
    let (status, html) = app.get(&format!("/verify/{encoded}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("25/11/2029"), "valid to the day 36 months on");
    let (status, json) = app.json("/api/v1/certificates?year=2026&stars=3").await;
    assert_eq!(status, 200);
    let items = json["items"].as_array().unwrap();
    let ours: Vec<_> = items.iter().filter(|e| e["certificate"]["number"] == number).collect();
    assert_eq!(ours.len(), 1, "{json}");
    assert_eq!(ours[0]["kind"], "new");
    assert_eq!(ours[0]["certificate"]["last_valid_day"], "2029-11-25");
    assert!(items.iter().all(
        |e| e["certificate"]["stars"] == 3 && e["certificate"]["decided_on"].as_str().unwrap().starts_with("2026")
    ));
    let (_, none) = app.json("/api/v1/certificates?year=2026&stars=5").await;
    assert!(none["items"].as_array().unwrap().iter().all(|e| e["certificate"]["number"] != number));
    let res = app.http.get(format!("{}/api/v1/certificates?year=2026&format=csv", app.base)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}certificate_number,"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with(number) && l.contains(",3,") && l.contains("2029-11-25")), "{csv}");
    let (status, bad) = app.json("/api/v1/certificates?stars=9").await;
    assert_eq!((status, bad["param"].as_str()), (400, Some("stars")), "{bad}");
}

async fn certify(app: &TestApp, product: i64, number: &str, decided: &str) {
    let db = &app.state.store.db;
    let day = chrono::NaiveDate::parse_from_str(decided, "%Y-%m-%d").unwrap();
    db.execute_raw(store::sql::stmt(
        db.get_database_backend(),
        "INSERT INTO certificates (product_id, number, number_is_sample, stars, score, level, decided_on, date_precision, \
         last_valid_on, kind, created_at) VALUES (?, ?, false, 4, 75, 'province', ?, 'day', ?, 'new', ?)",
        vec![
            product.into(),
            number.into(),
            day.into(),
            domain::certificate::last_valid_day(day).into(),
            chrono::Utc::now().into(),
        ],
    ))
    .await
    .unwrap();
}

#[tokio::test]
async fn certificates_ending_within_six_months_are_due_and_the_office_sees_who_has_not_filed() {
    let app = spawn().await;
    let store = &app.state.store;
    let member = account(&app, "chuthe@ocop.local").await;
    let office = account(&app, "vanphong@ocop.local").await;
    let producer = member.producer_id.unwrap();
    let first = scalar(&app, &format!("SELECT MIN(id) FROM products WHERE producer_id = {producer}")).await;
    let second = scalar(&app, &format!("SELECT MAX(id) FROM products WHERE producer_id = {producer}")).await;
    assert_ne!(first, second, "the demo producer has two products");
    store
        .db
        .execute_unprepared(&format!("DELETE FROM certificates WHERE product_id IN ({first}, {second})"))
        .await
        .unwrap();
    // Today is 28/11/2026: a certificate ending 15/01/2027 is due (from 15/07/2026), one ending
    // 01/09/2027 is not yet.
    certify(&app, first, "01/QĐ-UBND-2024", "2024-01-15").await;
    certify(&app, second, "02/QĐ-UBND-2024", "2024-09-01").await;
    let due = store::evaluation::calendar::due(&store.db, crate::support::today()).await.unwrap();
    let ours = due.iter().find(|d| d.product_id == first).expect("the certificate ending in January is due");
    assert_eq!((ours.last_valid_on.to_string(), ours.dossier), ("2027-01-15".to_string(), None), "not filed yet");
    assert!(due.iter().all(|d| d.product_id != second), "September is more than six months away");
    assert!(due.windows(2).all(|w| w[0].last_valid_on <= w[1].last_valid_on), "soonest first");

    // The calendar reminds the producer once, by email through the outbox, whoever runs it again.
    let reminders =
        "SELECT COUNT(*) FROM notifications WHERE recipient = 'chuthe@ocop.local' AND body LIKE '%01/QĐ-UBND-2024%'";
    assert_eq!(scalar(&app, reminders).await, 0);
    assert!(store::evaluation::calendar::remind(store).await.unwrap() >= 1);
    assert_eq!(scalar(&app, reminders).await, 1, "the member is told which certificate ends when");
    let body: String = {
        let db = &store.db;
        let r = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT body FROM notifications WHERE recipient = 'chuthe@ocop.local' AND body LIKE '%01/QĐ-UBND-2024%'",
            ))
            .await
            .unwrap()
            .unwrap();
        r.try_get_by_index(0).unwrap()
    };
    assert!(body.contains("15/01/2027") && body.contains("Đánh giá lại"), "{body}");
    assert_eq!(store::evaluation::calendar::remind(store).await.unwrap(), 0, "once per certificate");
    assert_eq!(scalar(&app, reminders).await, 1);

    // The producer opens the re-evaluation: the office sees it filed.
    let sheet_id = sheets::list(&store.db).await.unwrap()[0].id;
    let form = rounds::RoundForm {
        label: "Đợt 1 năm 2027".into(),
        year: "2027".into(),
        deadline: "2027-03-31".into(),
        sheet_id: sheet_id.to_string(),
    };
    let round = rounds::open(store, &office, &form).await.unwrap().unwrap();
    let start =
        dossiers::StartForm { product_id: first.to_string(), round_id: round.to_string(), kind: "reevaluation".into() };
    let early = dossiers::StartForm { product_id: second.to_string(), ..start.clone() };
    assert!(invalid_message(dossiers::start(store, &member, &early).await.unwrap()).contains("certificate"));
    let id = dossiers::start(store, &member, &start).await.unwrap().unwrap();
    let due = store::evaluation::calendar::due(&store.db, crate::support::today()).await.unwrap();
    let ours = due.iter().find(|d| d.product_id == first).unwrap();
    assert_eq!(ours.dossier, Some((id, DossierStatus::Draft)));
}
