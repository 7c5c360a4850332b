//! After an order: the shopper's account it was placed from (for "My orders"), and the courier a
//! producer shipped with (for a tracking link). Both optional: guests order, and a producer may
//! ship with a courier we do not list.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Fulfilments {
    Table,
    Carrier,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds them one at a time.
        m.alter_table(
            Table::alter().table(Orders::Table).add_column(ColumnDef::new(Orders::UserId).big_integer()).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Fulfilments::Table)
                .add_column(ColumnDef::new(Fulfilments::Carrier).string_len(20))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("orders_by_user")
                .table(Orders::Table)
                .col(Orders::UserId)
                .col(Orders::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("orders_by_user").table(Orders::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Fulfilments::Table).drop_column(Fulfilments::Carrier).to_owned()).await?;
        m.alter_table(Table::alter().table(Orders::Table).drop_column(Orders::UserId).to_owned()).await
    }
}
