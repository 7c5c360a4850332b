//! One schema for SQLite and PostgreSQL. Portable types only: money i64, integers i32/i64 to match
//! Postgres widths, timestamps set by the application, enums stored as short strings.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_catalog;
mod m20261128_000002_orders;
mod m20261128_000003_accounts;
mod m20261128_000004_photos;
mod m20261128_000005_audit;
mod m20261128_000006_portal;
mod m20261128_000007_pos_sales;
mod m20261128_000008_pos_stock;
mod m20261128_000009_reported_channels;
mod m20261129_000010_sales_reporting;
mod m20261201_000011_import_lease;
mod m20261201_000012_order_aftercare;
mod m20261202_000013_partial_refunds;
mod m20261203_000014_office_workspace;
mod m20261207_000015_replicas;
mod m20261207_000016_evaluation;
mod m20261208_000017_reevaluation_reminders;
mod m20261208_000018_round_sheets;
mod m20261209_000019_batches;
mod m20261209_000020_batch_documents;
mod m20261210_000021_tax_status;
mod m20261211_000022_gateway_attempts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_catalog::Migration),
            Box::new(m20261128_000002_orders::Migration),
            Box::new(m20261128_000003_accounts::Migration),
            Box::new(m20261128_000004_photos::Migration),
            Box::new(m20261128_000005_audit::Migration),
            Box::new(m20261128_000006_portal::Migration),
            Box::new(m20261128_000007_pos_sales::Migration),
            Box::new(m20261128_000008_pos_stock::Migration),
            Box::new(m20261128_000009_reported_channels::Migration),
            Box::new(m20261129_000010_sales_reporting::Migration),
            Box::new(m20261201_000011_import_lease::Migration),
            Box::new(m20261201_000012_order_aftercare::Migration),
            Box::new(m20261202_000013_partial_refunds::Migration),
            Box::new(m20261203_000014_office_workspace::Migration),
            Box::new(m20261207_000015_replicas::Migration),
            Box::new(m20261207_000016_evaluation::Migration),
            Box::new(m20261208_000017_reevaluation_reminders::Migration),
            Box::new(m20261208_000018_round_sheets::Migration),
            Box::new(m20261209_000019_batches::Migration),
            Box::new(m20261209_000020_batch_documents::Migration),
            Box::new(m20261210_000021_tax_status::Migration),
            Box::new(m20261211_000022_gateway_attempts::Migration),
        ]
    }
}
