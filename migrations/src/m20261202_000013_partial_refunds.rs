//! A showroom sale may be refunded in parts, once per refund: the one-refund-per-sale index gives
//! way to a plain one (the sync path checks what is left of the sale instead).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PosSales {
    Table,
    RefundOf,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ux_pos_sales_refund_of").table(PosSales::Table).to_owned()).await?;
        m.create_index(
            Index::create().name("pos_sales_refund_of").table(PosSales::Table).col(PosSales::RefundOf).to_owned(),
        )
        .await
    }
}
