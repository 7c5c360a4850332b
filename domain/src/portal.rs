//! What the producer portal's pages show, as plain data the server builds and the pages render.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalProduct {
    pub id: i64,
    pub slug: String,
    pub name_vi: String,
    pub listed: bool,
    pub variants: usize,
    pub photos: usize,
    /// Units that can be sold online now, all variants together.
    pub available_online: i64,
    /// Stars of the valid certificate, if any.
    pub stars: Option<u8>,
    /// Each size with its price and what can be sold online: edited in place on the portal's home.
    pub sizes: Vec<PortalSize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSize {
    pub id: i64,
    pub sku: String,
    pub barcode: String,
    pub size_vi: String,
    pub size_en: String,
    pub price_vnd: i64,
    pub active: bool,
    pub available_online: i64,
    /// Units on the online warehouse's shelf (what a count records).
    pub on_hand_online: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LowStock {
    pub product_id: i64,
    pub name_vi: String,
    pub sku: String,
    pub available: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiring {
    pub number: String,
    pub product: String,
    /// The certificate's last valid day (inclusive).
    pub last_valid_on: chrono::NaiveDate,
    pub days_left: i64,
}

/// The portal's home: what needs doing first, then the products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalHome {
    pub producer_id: i64,
    /// The online warehouse, where the home's stock counts are recorded.
    pub online_location: Option<i64>,
    pub producer_name: String,
    pub orders_to_pack: usize,
    pub low_stock: Vec<LowStock>,
    pub expiring: Vec<Expiring>,
    pub products: Vec<PortalProduct>,
}

/// Online stock at or below this many units is flagged on the portal's home.
pub const LOW_STOCK: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationStock {
    pub location_id: i64,
    pub location: String,
    pub on_hand: i64,
    pub reserved: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditVariant {
    pub id: i64,
    pub sku: String,
    pub barcode: String,
    pub size_vi: String,
    pub size_en: String,
    pub price_vnd: i64,
    pub active: bool,
    pub stock: Vec<LocationStock>,
    /// The size's batches, newest first: (id, "code · NSX dd/mm/yyyy"), for stock received by batch.
    #[serde(default)]
    pub batches: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub id: i64,
    pub slug: String,
    pub listed: bool,
    pub form: crate::listing_edit::ProductForm,
    pub variants: Vec<EditVariant>,
    /// Where stock may be recorded: (id, name).
    pub locations: Vec<(i64, String)>,
    pub photos: Vec<crate::listing::PhotoView>,
    /// Photos uploaded and still being made.
    pub photos_waiting: usize,
    /// Why photos uploaded in the last day could not be made.
    pub photo_failures: Vec<String>,
}

/// One of a producer's order lines waiting for it to pack or ship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentLine {
    pub name_vi: String,
    pub sku: String,
    pub quantity: i32,
    /// The size, when the line is one (not a combo): the packer may name the batch it packs.
    #[serde(default)]
    pub variant_id: Option<i64>,
    /// Batches that may be packed, first-expiring first: (id, "code · HSD dd/mm/yyyy").
    #[serde(default)]
    pub batches: Vec<(i64, String)>,
    /// The batch already named for it.
    #[serde(default)]
    pub batch_id: Option<i64>,
}

/// An order as one producer fulfils it: only its own lines, and the delivery address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentView {
    pub number: String,
    pub placed: String,
    pub order_status: String,
    /// `to_pack`, `packed` or `shipped`.
    pub status: String,
    pub tracking: Option<String>,
    pub ship_to: String,
    pub recipient: String,
    pub phone: String,
    pub address: String,
    pub lines: Vec<FulfilmentLine>,
}

/// A problem with one line of an uploaded file (1-based, the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    pub line: usize,
    pub message_vi: String,
    pub message_en: String,
}

/// A product import as its progress page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub total: i64,
    pub done: i64,
    pub report: Vec<LineError>,
}

/// A combo as the portal lists and edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComboRow {
    pub id: i64,
    pub slug: String,
    pub name_vi: String,
    pub curated: bool,
    pub price_vnd: i64,
    pub available: i64,
    pub active: bool,
    pub form: crate::listing_edit::ComboForm,
    pub has_photo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub district: String,
    pub province: String,
    pub commune: String,
    pub contact_name: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub role: String,
    pub producer_id: Option<i64>,
    pub showroom_id: Option<i64>,
    pub disabled: bool,
    #[serde(default)]
    pub commune: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: i64,
    pub name: String,
    pub code_expires: Option<String>,
    pub paired_at: Option<String>,
    pub revoked_at: Option<String>,
    /// Its last pull or push (dd/mm/yyyy hh:mm, Vietnam time).
    pub last_sync: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowroomRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
    pub devices: Vec<DeviceRow>,
    /// Sales and refunds its devices have sent, each counted once.
    pub sales_received: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub key: String,
    pub before: String,
    pub after: String,
}

/// What the office pages list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeData {
    pub producers: Vec<ProducerRow>,
    pub users: Vec<UserRow>,
    pub showrooms: Vec<ShowroomRow>,
    /// The marketplace's public address, which a till types to pair.
    pub market_url: String,
}

/// A modern channel a producer declared, with the office's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRow {
    pub id: i64,
    pub producer: String,
    pub kind: String,
    pub name: String,
    pub evidence: String,
    pub from: String,
    pub until: Option<String>,
    /// pending | verified | rejected
    pub status: String,
    pub note: Option<String>,
}

/// A size the combo picker offers: found by name, SKU or barcode, with its photo and stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickItem {
    pub sku: String,
    pub barcode: String,
    pub name_vi: String,
    pub size_vi: String,
    pub price_vnd: i64,
    pub available_online: i64,
    /// The smallest derivative of the product's first photo (a file under /media/).
    pub thumb: Option<String>,
}
