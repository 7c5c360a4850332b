//! VNPay and MoMo: each try at paying an order through a gateway, under the reference the gateway
//! knows it by. Settling an attempt goes through `payments` (unique per external reference), so a
//! duplicated or late notification, or a query racing it, pays once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GatewayAttempts {
    Table,
    Id,
    OrderId,
    Gateway,
    Reference,
    Amount,
    Status,
    GatewayTxn,
    CreatedAt,
    SettledAt,
    CheckedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(GatewayAttempts::Table)
                .col(ColumnDef::new(GatewayAttempts::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(GatewayAttempts::OrderId).big_integer().not_null())
                .col(ColumnDef::new(GatewayAttempts::Gateway).string_len(16).not_null())
                .col(ColumnDef::new(GatewayAttempts::Reference).string_len(40).not_null().unique_key())
                .col(ColumnDef::new(GatewayAttempts::Amount).big_integer().not_null())
                .col(ColumnDef::new(GatewayAttempts::Status).string_len(16).not_null())
                .col(ColumnDef::new(GatewayAttempts::GatewayTxn).string_len(40))
                .col(ColumnDef::new(GatewayAttempts::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(GatewayAttempts::SettledAt).timestamp_with_time_zone())
                .col(ColumnDef::new(GatewayAttempts::CheckedAt).timestamp_with_time_zone())
                .foreign_key(
                    ForeignKey::create()
                        .from(GatewayAttempts::Table, GatewayAttempts::OrderId)
                        .to(Orders::Table, Orders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_gateway_attempts_order")
                .table(GatewayAttempts::Table)
                .col(GatewayAttempts::OrderId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_gateway_attempts_status")
                .table(GatewayAttempts::Table)
                .col(GatewayAttempts::Status)
                .col(GatewayAttempts::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(GatewayAttempts::Table).to_owned()).await
    }
}
