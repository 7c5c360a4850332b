//! Modern channels outside the marketplace that a producer declares (a supermarket, another
//! e-commerce platform) with its evidence; they count towards participation only once the office
//! verified them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportedChannels {
    Table,
    Id,
    ProducerId,
    Kind,
    Name,
    Evidence,
    FromDate,
    UntilDate,
    Status,
    ReviewedBy,
    ReviewedAt,
    Note,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReportedChannels::Table)
                .col(ColumnDef::new(ReportedChannels::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ReportedChannels::ProducerId).big_integer().not_null())
                // supermarket | ecommerce
                .col(ColumnDef::new(ReportedChannels::Kind).string_len(16).not_null())
                .col(ColumnDef::new(ReportedChannels::Name).string_len(120).not_null())
                .col(ColumnDef::new(ReportedChannels::Evidence).string_len(500).not_null())
                .col(ColumnDef::new(ReportedChannels::FromDate).date().not_null())
                .col(ColumnDef::new(ReportedChannels::UntilDate).date())
                // pending | verified | rejected
                .col(ColumnDef::new(ReportedChannels::Status).string_len(10).not_null())
                .col(ColumnDef::new(ReportedChannels::ReviewedBy).big_integer())
                .col(ColumnDef::new(ReportedChannels::ReviewedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(ReportedChannels::Note).string_len(500))
                .col(ColumnDef::new(ReportedChannels::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_reported_channels_producer")
                .table(ReportedChannels::Table)
                .col(ReportedChannels::ProducerId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReportedChannels::Table).to_owned()).await
    }
}
