//! A product import holds a lease while it runs: an import whose process died (a crash, a kill,
//! a deploy) is found by its lapsed lease and reported as interrupted, instead of showing
//! "running" for ever. Its rows were written in one transaction, so nothing of it was kept.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Imports {
    Table,
    LeaseUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Imports::Table)
                .add_column(ColumnDef::new(Imports::LeaseUntil).timestamp_with_time_zone())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Imports::Table).drop_column(Imports::LeaseUntil).to_owned()).await
    }
}
