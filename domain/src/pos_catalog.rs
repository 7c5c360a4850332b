//! What a showroom POS pulls from the marketplace (`GET /sync/v1/catalog`): sizes with prices and the
//! showroom's stock, gift combos, and the account VietQR transfers go to. Shared so the server and
//! the till read one shape.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogItem {
    pub sku: String,
    pub barcode: Option<String>,
    pub name_vi: String,
    pub name_en: String,
    pub size_vi: String,
    pub price_vnd: i64,
    pub on_sale: bool,
    /// Units at this device's showroom.
    pub stock: i64,
    /// The product's first photo, small, as a path on the marketplace (`/media/…`); tills from
    /// before photos ignore it, and a marketplace from before sends none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// The size's production batches the till may meet: with what the ledger holds of each at this
    /// showroom, and whether it is recalled. Sent whole whenever the size is in a pull, so a recall
    /// reaches the till at its next pull; tills from before batches ignore it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<CatalogBatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogBatch {
    pub code: String,
    pub produced_on: chrono::NaiveDate,
    #[serde(default)]
    pub expires_on: Option<chrono::NaiveDate>,
    /// Units of it at this showroom, by the marketplace's ledger.
    #[serde(default)]
    pub on_hand: i64,
    #[serde(default)]
    pub recalled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_reason: Option<String>,
}

/// A gift combo, sold at the till under its slug as the line's SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogCombo {
    pub slug: String,
    pub name_vi: String,
    pub name_en: String,
    pub price_vnd: i64,
    pub on_sale: bool,
    /// Component SKUs and how many of each one combo holds.
    pub parts: Vec<(String, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankAccount {
    pub bank_bin: String,
    pub bank_name: String,
    pub account: String,
    pub account_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogDelta {
    /// Sizes of the products changed since the cursor (all of them on the first pull).
    pub items: Vec<CatalogItem>,
    /// Every combo, each pull.
    #[serde(default)]
    pub combos: Vec<CatalogCombo>,
    /// Pass back as `since` for the next pull.
    pub cursor: String,
    pub showroom_code: String,
    #[serde(default)]
    pub showroom_name: String,
    #[serde(default)]
    pub showroom_address: String,
    /// Where VietQR transfers go; None when the marketplace takes none.
    #[serde(default)]
    pub bank: Option<BankAccount>,
}
