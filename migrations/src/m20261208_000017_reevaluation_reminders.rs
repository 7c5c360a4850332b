//! The re-evaluation reminder: the day the producer was told its certificate enters the six months
//! before its end, so each certificate prompts once, whichever replica runs the calendar.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificates {
    Table,
    ReevaluationRemindedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .add_column(ColumnDef::new(Certificates::ReevaluationRemindedOn).date())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Certificates::Table).drop_column(Certificates::ReevaluationRemindedOn).to_owned(),
        )
        .await
    }
}
