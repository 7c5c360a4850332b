//! What people read of the evaluation: a dossier with its documents, history and result, the
//! lists each role works from, rounds and their councils, members' sheets, loaded criteria sheets
//! and the re-evaluation calendar. Plain records, shared by the store that fills them and the pages
//! that show them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Choices, DocKind, DossierKind, DossierStatus};

/// Notes per criterion: what the member saw.
pub type Notes = BTreeMap<String, String>;

/// The registration form's fields (the parts of the form the rules ask for that are not documents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Fields {
    /// The product's name as registered for evaluation.
    pub registered_name: String,
    /// Yearly output, as the producer states it (e.g. "12.000 chai 500 ml").
    pub annual_output: String,
    pub main_markets: String,
    pub raw_materials: String,
    pub story: String,
}

/// The council's result as stored with the dossier when the scoring closes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResult {
    pub members: usize,
    pub totals: Vec<u32>,
    pub mean_centi: i64,
    pub parts_centi: [i64; 3],
    pub band: u8,
    pub stars: Option<u8>,
    /// `disqualified`, `not_ranked`, `ranked` or `proposed_five`.
    pub outcome: String,
    pub unmet: Vec<String>,
    pub disqualified: Vec<String>,
    pub spread: u32,
    pub needs_discussion: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    pub kind: DocKind,
    pub file_name: String,
    pub media_key: String,
    pub content_type: String,
    pub bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub step: String,
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    pub actor_name: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierView {
    pub id: i64,
    pub round_id: i64,
    pub round_label: String,
    pub product_id: i64,
    pub product_name: String,
    pub producer_id: i64,
    pub producer_name: String,
    pub kind: DossierKind,
    pub status: DossierStatus,
    pub fields: Fields,
    pub samples_received_on: Option<NaiveDate>,
    pub samples_note: Option<String>,
    pub documents: Vec<Document>,
    pub events: Vec<Event>,
    /// Required documents not attached yet.
    pub missing: Vec<DocKind>,
    pub result: Option<StoredResult>,
    pub certificate_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub id: i64,
    pub round_id: i64,
    pub product_name: String,
    pub producer_name: String,
    pub kind: DossierKind,
    pub status: DossierStatus,
    pub score_centi: Option<i64>,
    pub stars: Option<i32>,
    pub updated_at: DateTime<Utc>,
    /// A council member's own sheet for it is submitted.
    pub scored_by_me: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundStatus {
    /// Taking dossiers and scoring.
    Open,
    /// The province's decision is recorded.
    Decided,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub id: i64,
    pub label: String,
    pub year: i32,
    pub deadline: NaiveDate,
    pub sheet_id: i64,
    pub status: RoundStatus,
    pub decision_number: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub ministry_decision_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub name: String,
    pub secretary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberScore {
    pub member_id: i64,
    pub member_name: String,
    pub choices: Choices,
    pub notes: Notes,
    pub total: Option<u32>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    pub id: i64,
    pub code: String,
    pub version: String,
    pub title_vi: String,
    pub title_en: String,
    pub sample: bool,
    /// The product group it scores (`OcopGroup::code`).
    #[serde(default)]
    pub group_code: String,
    pub loaded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub product_id: i64,
    pub product_name: String,
    pub producer_name: Option<String>,
    pub certificate_number: String,
    pub stars: i32,
    pub last_valid_on: NaiveDate,
    /// The re-evaluation dossier opened since the window began, if any.
    pub dossier: Option<(i64, DossierStatus)>,
}

/// A line of the round's results sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub dossier_id: i64,
    pub product_name: String,
    pub producer_name: String,
    pub area: Option<String>,
    pub kind: DossierKind,
    pub status: DossierStatus,
    pub result: Option<StoredResult>,
    pub certificate_number: Option<String>,
}
