//! `shop-pos`: the showroom till. It sells from its own SQLite file whether or not the network is up
//! and feeds every sale to the marketplace exactly once through an outbox (see `sync`).

pub mod batches;
pub mod catalog;
pub mod config;
pub mod db;
mod error;
pub mod escpos;
pub mod migrations;
pub mod pages;
pub mod receipts;
pub mod routes;
pub mod staff;
pub mod sync;
pub mod till;

pub use error::PosError;

use config::PosConfig;

/// Opens the till's database and starts the sync task; the router serves its pages.
pub async fn open(config: PosConfig) -> Result<(axum::Router, routes::PosState), PosError> {
    let db = db::open(&config.data_dir).await?;
    let link = sync::Link::default();
    link.spawn(db.clone(), config.sync_every, config.data_dir.join("photos"));
    let state = routes::PosState::new(db, config, link);
    Ok((routes::router(state.clone()), state))
}
