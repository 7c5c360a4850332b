//! Stock received or counted at a showroom, as POS devices send it: keyed by the device's UUID so an
//! event sent twice moves stock once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PosStockEvents {
    Table,
    Id,
    DeviceId,
    LocationId,
    VariantId,
    Kind,
    Qty,
    Delta,
    At,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PosStockEvents::Table)
                .col(ColumnDef::new(PosStockEvents::Id).string_len(36).not_null().primary_key())
                .col(ColumnDef::new(PosStockEvents::DeviceId).big_integer().not_null())
                .col(ColumnDef::new(PosStockEvents::LocationId).big_integer().not_null())
                .col(ColumnDef::new(PosStockEvents::VariantId).big_integer().not_null())
                .col(ColumnDef::new(PosStockEvents::Kind).string_len(10).not_null())
                .col(ColumnDef::new(PosStockEvents::Qty).big_integer().not_null())
                // What the event changed at the showroom (a count's difference from the level).
                .col(ColumnDef::new(PosStockEvents::Delta).big_integer().not_null())
                .col(ColumnDef::new(PosStockEvents::At).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(PosStockEvents::ReceivedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PosStockEvents::Table).to_owned()).await
    }
}
