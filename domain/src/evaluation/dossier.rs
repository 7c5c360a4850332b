//! A dossier ("hồ sơ") through the programme's steps. Since Decision 1489/QĐ-TTg (6 July 2025) there
//! is no district level: the producer (or the commune on its behalf) files at the commune, the
//! commune's People's Committee checks it and proposes it to the province (or returns it with its
//! reasons), the province accepts it, its council scores it, the secretary closes the scoring, the
//! office ranks the round, and the province's decision certifies three and four stars (five are
//! proposed to the Ministry). Every step is dated and audited by the store; here are the rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cert_record::CertKind;
use crate::ocop::{OcopGroup, Stars};

/// Why a dossier is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DossierKind {
    /// A product with no valid certificate.
    New,
    /// A certified product before its certificate runs out ("đánh giá lại"): may end higher, the
    /// same or lower.
    Reevaluation,
    /// A certified product asking for more stars ("nâng hạng"), at any time.
    Upgrade,
}

impl DossierKind {
    pub const ALL: [DossierKind; 3] = [DossierKind::New, DossierKind::Reevaluation, DossierKind::Upgrade];

    pub fn code(self) -> &'static str {
        match self {
            DossierKind::New => "new",
            DossierKind::Reevaluation => "reevaluation",
            DossierKind::Upgrade => "upgrade",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            DossierKind::New => ("Đánh giá mới", "New evaluation"),
            DossierKind::Reevaluation => ("Đánh giá lại khi hết hạn", "Re-evaluation at expiry"),
            DossierKind::Upgrade => ("Nâng hạng", "Upgrade"),
        }
    }
}

/// Months before a certificate's last day from which the producer is asked to file a re-evaluation.
pub const REEVALUATION_WINDOW_MONTHS: u32 = 6;

/// The day from which a certificate ending on `last_valid` calls for a re-evaluation.
pub fn reevaluation_due_from(last_valid: NaiveDate) -> NaiveDate {
    last_valid.checked_sub_months(chrono::Months::new(REEVALUATION_WINDOW_MONTHS)).unwrap_or(NaiveDate::MIN)
}

/// The kinds of dossier a product may open today, from the certificate it holds (stars and last
/// valid day), if any.
pub fn kinds_open(held: Option<(Stars, NaiveDate)>, today: NaiveDate) -> Vec<DossierKind> {
    match held {
        None => vec![DossierKind::New],
        Some((_, last)) if last < today => vec![DossierKind::New],
        Some((stars, last)) => {
            let mut kinds = Vec::new();
            if today >= reevaluation_due_from(last) {
                kinds.push(DossierKind::Reevaluation);
            }
            if stars.get() < 5 {
                kinds.push(DossierKind::Upgrade);
            }
            kinds
        }
    }
}

/// The certificate a decision issues, against the one the product holds on the decision day and
/// whether it was ever certified before: more stars than it holds is an upgrade; a product certified
/// before (its certificate valid, lapsed, or rated lower now) is re-evaluated; only a product never
/// certified is new, so the programme's new-product target counts products, not ratings.
pub fn certificate_kind(held: Option<Stars>, certified_before: bool, stars: Stars) -> CertKind {
    match held {
        Some(h) if stars > h => CertKind::Upgrade,
        Some(_) => CertKind::Renewal,
        None if certified_before => CertKind::Renewal,
        None => CertKind::New,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DossierStatus {
    Draft,
    Submitted,
    /// Back with the producer, with the commune's or the province's reasons.
    Returned,
    /// Proposed by the commune to the province.
    Proposed,
    /// Accepted by the province: the council may score.
    Accepted,
    /// Scoring closed by the secretary; the result is computed.
    Scored,
    /// On the round's results sheet, awaiting the province's decision.
    Ranked,
    Certified,
    NotRanked,
}

impl DossierStatus {
    pub const ALL: [DossierStatus; 9] = [
        DossierStatus::Draft,
        DossierStatus::Submitted,
        DossierStatus::Returned,
        DossierStatus::Proposed,
        DossierStatus::Accepted,
        DossierStatus::Scored,
        DossierStatus::Ranked,
        DossierStatus::Certified,
        DossierStatus::NotRanked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DossierStatus::Draft => "draft",
            DossierStatus::Submitted => "submitted",
            DossierStatus::Returned => "returned",
            DossierStatus::Proposed => "proposed",
            DossierStatus::Accepted => "accepted",
            DossierStatus::Scored => "scored",
            DossierStatus::Ranked => "ranked",
            DossierStatus::Certified => "certified",
            DossierStatus::NotRanked => "not_ranked",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            DossierStatus::Draft => ("Đang soạn", "Draft"),
            DossierStatus::Submitted => ("Đã nộp, chờ xã xem xét", "Submitted, with the commune"),
            DossierStatus::Returned => ("Trả lại để bổ sung", "Returned for changes"),
            DossierStatus::Proposed => ("Xã đã đề nghị, chờ tỉnh tiếp nhận", "Proposed by the commune"),
            DossierStatus::Accepted => ("Tỉnh đã tiếp nhận, đang chấm điểm", "Accepted, being scored"),
            DossierStatus::Scored => ("Đã chấm điểm", "Scored"),
            DossierStatus::Ranked => ("Đã phân hạng, chờ quyết định", "Ranked, awaiting the decision"),
            DossierStatus::Certified => ("Đã công nhận", "Certified"),
            DossierStatus::NotRanked => ("Không đạt hạng", "Not ranked"),
        }
    }

    /// What the producer is asked to do, or waits for.
    pub fn for_producer(self) -> (&'static str, &'static str) {
        match self {
            DossierStatus::Draft => (
                "Điền đủ thông tin, đính kèm giấy tờ bắt buộc rồi nộp.",
                "Complete the form, attach the required documents and submit.",
            ),
            DossierStatus::Returned => {
                ("Sửa theo lý do được nêu rồi nộp lại.", "Make the changes asked for and submit again.")
            }
            DossierStatus::Submitted => {
                ("Chờ UBND xã kiểm tra và đề nghị lên tỉnh.", "Waiting for the commune to check and propose it.")
            }
            DossierStatus::Proposed => (
                "Chờ tỉnh tiếp nhận; gửi mẫu sản phẩm nếu được yêu cầu.",
                "Waiting for the province; send product samples if asked.",
            ),
            DossierStatus::Accepted => ("Hội đồng đang chấm điểm.", "The council is scoring."),
            DossierStatus::Scored | DossierStatus::Ranked => {
                ("Chờ quyết định công nhận của UBND tỉnh.", "Waiting for the province's decision.")
            }
            DossierStatus::Certified => ("Sản phẩm đã được công nhận OCOP.", "The product is OCOP-certified."),
            DossierStatus::NotRanked => {
                ("Sản phẩm chưa đạt hạng; có thể nộp lại ở kỳ sau.", "Not ranked; you may file again in a later round.")
            }
        }
    }

    /// The producer (or the commune on its behalf) may change the form and documents.
    pub fn editable(self) -> bool {
        matches!(self, DossierStatus::Draft | DossierStatus::Returned)
    }

    pub fn is_closed(self) -> bool {
        matches!(self, DossierStatus::Certified | DossierStatus::NotRanked)
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A member of the producer, or the commune filing on its behalf.
    Filer,
    Commune,
    Office,
    /// The council's secretary.
    Secretary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    /// The commune sends it back with reasons.
    CommuneReturn,
    Propose,
    /// The province sends it back with reasons.
    ProvinceReturn,
    Accept,
    CloseScoring,
    Rank,
    /// The province's decision: certified, or not ranked.
    Decide {
        certified: bool,
    },
}

impl Step {
    pub fn actor(self) -> Actor {
        match self {
            Step::Submit => Actor::Filer,
            Step::CommuneReturn | Step::Propose => Actor::Commune,
            Step::ProvinceReturn | Step::Accept | Step::Rank | Step::Decide { .. } => Actor::Office,
            Step::CloseScoring => Actor::Secretary,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::CommuneReturn => "commune_return",
            Step::Propose => "propose",
            Step::ProvinceReturn => "province_return",
            Step::Accept => "accept",
            Step::CloseScoring => "close_scoring",
            Step::Rank => "rank",
            Step::Decide { certified: true } => "certify",
            Step::Decide { certified: false } => "not_ranked",
        }
    }

    /// The steps a person takes from a dossier's page (ranking and the decision are the round's).
    pub const ON_PAGE: [Step; 6] =
        [Step::Submit, Step::CommuneReturn, Step::Propose, Step::ProvinceReturn, Step::Accept, Step::CloseScoring];

    /// A step posted from a dossier's page, by its code.
    pub fn parse(code: &str) -> Option<Step> {
        Step::ON_PAGE.into_iter().find(|s| s.code() == code)
    }

    /// What the step's button says.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Step::Submit => ("Nộp hồ sơ", "Submit the dossier"),
            Step::CommuneReturn => ("Trả lại cho chủ thể", "Return to the producer"),
            Step::Propose => ("Đề nghị lên tỉnh", "Propose to the province"),
            Step::ProvinceReturn => ("Trả lại để bổ sung", "Return for changes"),
            Step::Accept => ("Tiếp nhận hồ sơ", "Accept the dossier"),
            Step::CloseScoring => ("Kết thúc chấm điểm", "Close the scoring"),
            Step::Rank => ("Phân hạng", "Rank"),
            Step::Decide { .. } => ("Ghi quyết định", "Record the decision"),
        }
    }

    /// Whether the step can follow a dossier in `from` (its other conditions aside).
    pub fn follows(self, from: DossierStatus) -> bool {
        next(from, self, &Facts::lenient()).is_ok()
    }

    /// Steps that send a dossier back need the reasons written down.
    pub fn needs_reason(self) -> bool {
        matches!(self, Step::CommuneReturn | Step::ProvinceReturn)
    }
}

/// What a dated line of a dossier's history says was done, by the step code it was recorded with
/// (`Step::code`, and `start`, `samples`, `ministry_five`).
pub fn event_label(step: &str) -> Option<(&'static str, &'static str)> {
    Some(match step {
        "start" => ("Lập hồ sơ", "Dossier started"),
        "submit" => ("Nộp hồ sơ", "Submitted"),
        "commune_return" => ("Xã trả lại để bổ sung", "Returned by the commune"),
        "propose" => ("Xã đề nghị lên tỉnh", "Proposed by the commune"),
        "province_return" => ("Tỉnh trả lại để bổ sung", "Returned by the province"),
        "samples" => ("Nhận mẫu sản phẩm", "Samples received"),
        "accept" => ("Tỉnh tiếp nhận hồ sơ", "Accepted by the province"),
        "close_scoring" => ("Kết thúc chấm điểm", "Scoring closed"),
        "rank" => ("Đưa vào bảng kết quả", "Put on the results sheet"),
        "certify" => ("Quyết định công nhận", "Certified by decision"),
        "not_ranked" => ("Không đạt hạng", "Not ranked"),
        "ministry_five" => ("Bộ công nhận 5 sao", "Five stars by the Ministry"),
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("hồ sơ đang ở bước “{}”, không thể {step} / the dossier is {}, it cannot {step}", .from.label().0, .from.label().1)]
    WrongStep { from: DossierStatus, step: &'static str },
    #[error("cần ghi rõ lý do trả lại / the reasons for returning it are required")]
    ReasonRequired,
    #[error("thiếu giấy tờ bắt buộc: {} / required documents missing: {}", .0.iter().map(|d| d.label().0).collect::<Vec<_>>().join(", "), .0.iter().map(|d| d.label().1).collect::<Vec<_>>().join(", "))]
    MissingDocuments(Vec<DocKind>),
    #[error("chưa ghi nhận mẫu sản phẩm / the product samples have not been recorded as received")]
    NoSamples,
    #[error(
        "cần ít nhất {MIN_SCORERS} phiếu chấm, mới có {0} / at least {MIN_SCORERS} members' sheets are needed, there are {0}"
    )]
    TooFewScorers(usize),
}

/// Members' sheets needed before the secretary may close the scoring.
pub const MIN_SCORERS: usize = 2;

/// The facts a step is checked against besides the status.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub reason: String,
    pub missing_documents: Vec<DocKind>,
    pub samples_received: Option<NaiveDate>,
    pub sheets_submitted: usize,
}

impl Facts {
    /// Facts that meet every condition, to ask only whether a step follows a status.
    fn lenient() -> Facts {
        Facts {
            reason: "-".into(),
            missing_documents: Vec::new(),
            samples_received: Some(NaiveDate::MIN),
            sheets_submitted: MIN_SCORERS,
        }
    }
}

/// The status a step leads to, or why it cannot be taken now.
pub fn next(from: DossierStatus, step: Step, facts: &Facts) -> Result<DossierStatus, FlowError> {
    use DossierStatus as S;
    let to = match (from, step) {
        (S::Draft | S::Returned, Step::Submit) => S::Submitted,
        (S::Submitted, Step::CommuneReturn) => S::Returned,
        (S::Submitted, Step::Propose) => S::Proposed,
        (S::Proposed, Step::ProvinceReturn) => S::Returned,
        (S::Proposed, Step::Accept) => S::Accepted,
        (S::Accepted, Step::CloseScoring) => S::Scored,
        (S::Scored, Step::Rank) => S::Ranked,
        (S::Ranked, Step::Decide { certified: true }) => S::Certified,
        (S::Ranked, Step::Decide { certified: false }) => S::NotRanked,
        _ => return Err(FlowError::WrongStep { from, step: step.code() }),
    };
    if step.needs_reason() && facts.reason.trim().is_empty() {
        return Err(FlowError::ReasonRequired);
    }
    if matches!(step, Step::Submit | Step::Propose) && !facts.missing_documents.is_empty() {
        return Err(FlowError::MissingDocuments(facts.missing_documents.clone()));
    }
    if step == Step::Accept && facts.samples_received.is_none() {
        return Err(FlowError::NoSamples);
    }
    if step == Step::CloseScoring && facts.sheets_submitted < MIN_SCORERS {
        return Err(FlowError::TooFewScorers(facts.sheets_submitted));
    }
    Ok(to)
}

/// The documents a dossier carries (Decision 148's dossier list, as provinces publish it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocKind {
    BusinessRegistration,
    QualityDeclaration,
    FoodSafetyTest,
    FoodSafetyEstablishment,
    Label,
    Traceability,
    Trademark,
    RawMaterialOrigin,
    ProductStory,
    Award,
    Other,
}

impl DocKind {
    pub const ALL: [DocKind; 11] = [
        DocKind::BusinessRegistration,
        DocKind::QualityDeclaration,
        DocKind::FoodSafetyTest,
        DocKind::FoodSafetyEstablishment,
        DocKind::Label,
        DocKind::Traceability,
        DocKind::Trademark,
        DocKind::RawMaterialOrigin,
        DocKind::ProductStory,
        DocKind::Award,
        DocKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocKind::BusinessRegistration => "business_registration",
            DocKind::QualityDeclaration => "quality_declaration",
            DocKind::FoodSafetyTest => "food_safety_test",
            DocKind::FoodSafetyEstablishment => "food_safety_establishment",
            DocKind::Label => "label",
            DocKind::Traceability => "traceability",
            DocKind::Trademark => "trademark",
            DocKind::RawMaterialOrigin => "raw_material_origin",
            DocKind::ProductStory => "product_story",
            DocKind::Award => "award",
            DocKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            DocKind::BusinessRegistration => ("Giấy đăng ký kinh doanh", "Business registration"),
            DocKind::QualityDeclaration => {
                ("Tự công bố sản phẩm / tiêu chuẩn chất lượng", "Self-declaration or quality standard")
            }
            DocKind::FoodSafetyTest => ("Phiếu kiểm nghiệm an toàn thực phẩm", "Food-safety test results"),
            DocKind::FoodSafetyEstablishment => {
                ("Giấy chứng nhận cơ sở đủ điều kiện ATTP", "Food-safety establishment certificate")
            }
            DocKind::Label => ("Nhãn sản phẩm", "Product label"),
            DocKind::Traceability => ("Mã vạch, truy xuất nguồn gốc", "Barcode and traceability evidence"),
            DocKind::Trademark => ("Nhãn hiệu, sở hữu trí tuệ", "Trademark"),
            DocKind::RawMaterialOrigin => ("Nguồn gốc nguyên liệu", "Raw-material origin"),
            DocKind::ProductStory => ("Câu chuyện sản phẩm", "Product story"),
            DocKind::Award => ("Giấy khen, giải thưởng", "Awards"),
            DocKind::Other => ("Giấy tờ khác", "Other documents"),
        }
    }

    /// Required before the dossier can be submitted: the papers whose absence disqualifies a
    /// dossier at the council (registration, self-declaration, label), and for what people eat or
    /// drink, the food-safety test results and establishment certificate.
    pub fn required(self, group: OcopGroup) -> bool {
        let eaten = matches!(group, OcopGroup::Food | OcopGroup::Drinks | OcopGroup::Herbal);
        match self {
            DocKind::BusinessRegistration | DocKind::QualityDeclaration | DocKind::Label => true,
            DocKind::FoodSafetyTest | DocKind::FoodSafetyEstablishment => eaten,
            _ => false,
        }
    }
}

/// Required documents not among those attached.
pub fn missing_documents(group: OcopGroup, attached: &[DocKind]) -> Vec<DocKind> {
    DocKind::ALL.into_iter().filter(|k| k.required(group) && !attached.contains(k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn stars(n: i64) -> Stars {
        Stars::new(n).unwrap()
    }

    #[test]
    fn a_dossiers_page_offers_only_the_steps_that_follow_its_status() {
        use DossierStatus as S;
        let on = |s: S| Step::ON_PAGE.into_iter().filter(|st| st.follows(s)).collect::<Vec<_>>();
        assert_eq!(on(S::Draft), [Step::Submit]);
        assert_eq!(on(S::Returned), [Step::Submit]);
        assert_eq!(on(S::Submitted), [Step::CommuneReturn, Step::Propose]);
        assert_eq!(on(S::Proposed), [Step::ProvinceReturn, Step::Accept]);
        assert_eq!(on(S::Accepted), [Step::CloseScoring]);
        for s in [S::Scored, S::Ranked, S::Certified, S::NotRanked] {
            assert!(on(s).is_empty(), "{s:?}: the round's page ranks and decides");
        }
        for st in Step::ON_PAGE {
            assert_eq!(Step::parse(st.code()), Some(st));
        }
        assert_eq!(Step::parse("rank"), None, "not a dossier page's step");
        for st in [
            Step::Submit,
            Step::CommuneReturn,
            Step::Propose,
            Step::ProvinceReturn,
            Step::Accept,
            Step::CloseScoring,
            Step::Rank,
        ]
        .into_iter()
        .chain([Step::Decide { certified: true }, Step::Decide { certified: false }])
        {
            assert!(event_label(st.code()).is_some(), "{st:?} reads as a sentence in the history");
        }
        assert_eq!(Step::parse("certify"), None);
    }

    #[test]
    fn the_whole_flow_from_draft_to_certificate() {
        use DossierStatus as S;
        let ok = Facts { samples_received: Some(d("2026-03-02")), sheets_submitted: 2, ..Default::default() };
        let mut s = S::Draft;
        for (step, want) in [
            (Step::Submit, S::Submitted),
            (Step::Propose, S::Proposed),
            (Step::Accept, S::Accepted),
            (Step::CloseScoring, S::Scored),
            (Step::Rank, S::Ranked),
            (Step::Decide { certified: true }, S::Certified),
        ] {
            s = next(s, step, &ok).unwrap();
            assert_eq!(s, want);
        }
        assert!(s.is_closed());
        assert_eq!(next(S::Ranked, Step::Decide { certified: false }, &ok), Ok(S::NotRanked));
    }

    #[test]
    fn returns_need_reasons_and_go_back_to_the_producer() {
        use DossierStatus as S;
        let none = Facts::default();
        assert_eq!(next(S::Submitted, Step::CommuneReturn, &none), Err(FlowError::ReasonRequired));
        let why = Facts { reason: "Thiếu phiếu kiểm nghiệm".into(), ..Default::default() };
        assert_eq!(next(S::Submitted, Step::CommuneReturn, &why), Ok(S::Returned));
        assert_eq!(next(S::Proposed, Step::ProvinceReturn, &why), Ok(S::Returned));
        assert!(S::Returned.editable() && S::Draft.editable());
        assert_eq!(next(S::Returned, Step::Submit, &none), Ok(S::Submitted));
        for s in [S::Submitted, S::Proposed, S::Accepted, S::Scored, S::Ranked, S::Certified, S::NotRanked] {
            assert!(!s.editable(), "{s:?} is out of the producer's hands");
        }
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        use DossierStatus as S;
        let ok = Facts { samples_received: Some(d("2026-03-02")), sheets_submitted: 3, ..Default::default() };
        let err = next(S::Draft, Step::Accept, &ok).unwrap_err();
        assert_eq!(err, FlowError::WrongStep { from: S::Draft, step: "accept" });
        assert!(err.to_string().contains("Đang soạn") && err.to_string().contains("Draft"), "{err}");
        assert!(next(S::Submitted, Step::Submit, &ok).is_err(), "submitting twice");
        assert!(next(S::Certified, Step::Decide { certified: false }, &ok).is_err());
        assert!(next(S::Accepted, Step::Rank, &ok).is_err(), "ranking before the scoring is closed");
        assert!(next(S::Submitted, Step::Accept, &ok).is_err(), "the province before the commune");
    }

    #[test]
    fn submitting_needs_the_required_documents_and_accepting_needs_the_samples() {
        use DossierStatus as S;
        let missing = missing_documents(OcopGroup::Food, &[DocKind::BusinessRegistration, DocKind::Label]);
        assert_eq!(missing, [DocKind::QualityDeclaration, DocKind::FoodSafetyTest, DocKind::FoodSafetyEstablishment]);
        let f = Facts { missing_documents: missing, ..Default::default() };
        let err = next(S::Draft, Step::Submit, &f).unwrap_err();
        assert!(err.to_string().contains("Phiếu kiểm nghiệm"), "{err}");
        // Handicrafts are not eaten: no food-safety papers asked.
        assert!(
            missing_documents(
                OcopGroup::Handicrafts,
                &[DocKind::BusinessRegistration, DocKind::QualityDeclaration, DocKind::Label]
            )
            .is_empty()
        );
        assert_eq!(next(S::Proposed, Step::Accept, &Facts::default()), Err(FlowError::NoSamples));
        let one = Facts { sheets_submitted: 1, ..Default::default() };
        assert_eq!(next(S::Accepted, Step::CloseScoring, &one), Err(FlowError::TooFewScorers(1)));
    }

    #[test]
    fn re_evaluation_opens_six_months_before_the_last_day() {
        // Decided 20/11/2023, valid to 20/11/2026: re-evaluation from 20/05/2026.
        let last = crate::certificate::last_valid_day(d("2023-11-20"));
        assert_eq!(last, d("2026-11-20"));
        assert_eq!(reevaluation_due_from(last), d("2026-05-20"));
        assert_eq!(kinds_open(Some((stars(3), last)), d("2026-05-19")), [DossierKind::Upgrade]);
        assert_eq!(
            kinds_open(Some((stars(3), last)), d("2026-05-20")),
            [DossierKind::Reevaluation, DossierKind::Upgrade]
        );
        assert_eq!(kinds_open(Some((stars(5), last)), d("2026-06-01")), [DossierKind::Reevaluation]);
        assert_eq!(kinds_open(Some((stars(4), last)), d("2026-11-21")), [DossierKind::New], "lapsed");
        assert_eq!(kinds_open(None, d("2026-01-01")), [DossierKind::New]);
    }

    #[test]
    fn the_certificate_kind_follows_the_stars_held_on_the_decision_day() {
        assert_eq!(certificate_kind(None, false, stars(3)), CertKind::New);
        assert_eq!(certificate_kind(Some(stars(3)), true, stars(4)), CertKind::Upgrade);
        assert_eq!(certificate_kind(Some(stars(4)), true, stars(4)), CertKind::Renewal);
        // A re-evaluation that ends lower is still a re-evaluation, not a new product.
        assert_eq!(certificate_kind(Some(stars(4)), true, stars(3)), CertKind::Renewal);
        // A product whose certificate lapsed before the decision is re-certified, not new.
        assert_eq!(certificate_kind(None, true, stars(4)), CertKind::Renewal);
    }

    #[test]
    fn codes_round_trip() {
        for s in DossierStatus::ALL {
            assert_eq!(DossierStatus::parse(s.code()), Some(s));
        }
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.code()), Some(k));
        }
        for k in DossierKind::ALL {
            assert_eq!(DossierKind::parse(k.code()), Some(k));
        }
    }
}
