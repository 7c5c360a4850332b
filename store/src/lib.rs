//! Storage and search for the marketplace: the database schema's entities, the real-catalogue seed,
//! the read queries behind the storefront, and the search engines behind one trait.
//!
//! This crate sits apart from `server` because the Leptos pages in `app` need it for their server
//! functions, and `app` cannot depend on the binary that embeds it.

pub mod accounts;
pub mod admin;
pub mod cart;
pub mod catalog;
pub mod certificates;
pub mod channels;
pub mod combos;
pub mod dashboard;
pub mod db;
pub mod entity;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod fulfilment;
pub mod gateways;
pub mod imports;
pub mod invitations;
pub mod leases;
pub mod limits;
pub mod listings;
pub mod office;
pub mod orders;
pub mod outbox;
pub mod payments;
pub mod photos;
pub mod portal;
pub mod registry;
pub mod search;
pub mod seed;
pub mod settlement;
pub mod sql;
pub mod statement;
mod store;
pub mod sync;
pub mod synthetic;
pub mod tax;
pub mod trace;
pub mod workspace;

pub use error::StoreError;
pub use store::{Commerce, DEFAULT_COMMISSION_BPS, Store, StoreConfig, Synced, VietQrAccount, vietnam};
