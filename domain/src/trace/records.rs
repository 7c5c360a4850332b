//! What the traceability pages read: a producer's batches, a batch's public trace, recalls with
//! their reach. Shared by the store that fills them and the pages that show them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::recall::{Reach, RecallStatus};
use crate::listing::{CertView, ProducerView};

/// One input one step back: what went in, where it came from (a farm, a boat, a member), when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub material: String,
    pub origin: String,
    pub supplier: Option<String>,
    pub received_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityTest {
    pub name: String,
    pub result: String,
    pub lab: Option<String>,
    pub tested_on: Option<NaiveDate>,
    pub passed: bool,
}

/// A batch in the producer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRow {
    pub id: i64,
    pub code: String,
    pub product_name: String,
    pub size_vi: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    /// Units of it the ledger holds anywhere.
    pub on_hand: i64,
    pub recall: Option<RecallStatus>,
    /// The Digital Link path (`/01/{GTIN-14}/10/{batch}`).
    pub link: String,
}

/// A recall as the trace page and the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallNote {
    pub id: i64,
    pub reason: String,
    pub status: RecallStatus,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A batch's public trace: nothing about people beyond what the producer wrote for the public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceView {
    pub id: i64,
    pub code: String,
    pub gtin: String,
    pub link: String,
    pub product_slug: String,
    pub product_name_vi: String,
    pub product_name_en: String,
    pub size_vi: String,
    pub size_en: String,
    pub photo: Option<String>,
    pub producer: Option<ProducerView>,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    pub inputs: Vec<Input>,
    pub tests: Vec<QualityTest>,
    /// The certificate as it stood on the production date, and as it stands today.
    pub cert_at_production: Option<CertView>,
    pub cert_today: Option<CertView>,
    pub recall: Option<RecallNote>,
    /// Papers the producer published with the batch (photos of its inputs, test reports).
    #[serde(default)]
    pub documents: Vec<BatchDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchDocument {
    pub id: i64,
    pub title: String,
    pub content_type: String,
}

impl BatchDocument {
    pub fn is_photo(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallRow {
    pub note: RecallNote,
    pub batch_id: i64,
    pub code: String,
    pub product_name: String,
    pub size_vi: String,
    pub producer_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub note: Option<String>,
}

impl RecallEvent {
    pub fn label(&self) -> (&'static str, &'static str) {
        match self.action.as_str() {
            "opened" => ("Mở thu hồi, chặn bán trực tuyến", "Recall opened, online sale blocked"),
            "notified" => ("Đã gửi thông báo cho người mua", "Shoppers notified"),
            "withdrawn" => ("Đã rút hàng khỏi kệ", "Stock withdrawn from the shelf"),
            "closed" => ("Kết thúc thu hồi", "Recall closed"),
            _ => ("Cập nhật", "Update"),
        }
    }
}

/// Stock of the batch at one location, for the recall's withdrawal list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    pub location_id: i64,
    pub name: String,
    pub qty: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallView {
    pub row: RecallRow,
    pub reach: Reach,
    pub shelves: Vec<Shelf>,
    pub notified_at: Option<DateTime<Utc>>,
    pub closed_note: Option<String>,
    pub events: Vec<RecallEvent>,
}
