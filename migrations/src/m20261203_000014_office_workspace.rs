//! The office's workspace: a certificate's validity stated one way, and the tills' last contact.
//!
//! Validity is its last valid day, inclusive. The stored dates do not change (decision date +
//! 36 months is that day under the Civil Code's counting, see `domain::certificate`); the column is
//! renamed so that nobody reads it as the first day lapsed. Each till's last sync is kept so the
//! office home can name the showrooms that have gone quiet.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificates {
    Table,
    ExpiresOn,
    LastValidOn,
}

#[derive(DeriveIden)]
enum PosDevices {
    Table,
    LastSyncAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .rename_column(Certificates::ExpiresOn, Certificates::LastValidOn)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(PosDevices::Table)
                .add_column(ColumnDef::new(PosDevices::LastSyncAt).timestamp_with_time_zone())
                .to_owned(),
        )
        .await
    }
}
