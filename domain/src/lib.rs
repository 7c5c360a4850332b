//! Pure rules of OCOP Market, shared by the marketplace and the showroom POS.
//! Nothing here does I/O or knows about time zones of servers: callers pass "today" in.

pub mod account;
pub mod address;
pub mod audit_text;
pub mod barcode;
pub mod cart;
pub mod category;
pub mod cert_record;
pub mod certificate;
pub mod evaluation;
pub mod gateways;
pub mod listing;
pub mod listing_edit;
pub mod money;
pub mod ocop;
pub mod order;
pub mod order_tracking;
pub mod origin;
pub mod participation;
pub mod portal;
pub mod pos_catalog;
pub mod receipt;
pub mod refund;
pub mod registry;
pub mod report;
pub mod sale;
pub mod seed_catalogue;
pub mod settlement;
pub mod shift;
pub mod shopper_query;
pub mod spreadsheet;
pub mod targets;
pub mod tax;
pub mod text;
pub mod trace;
pub mod vietqr;
pub mod workspace;

pub use certificate::{CertStatus, Certificate, DatePrecision};
pub use money::Vnd;
pub use ocop::{CertLevel, OcopGroup, ProducerKind, Stars};
