//! A round scores each product group on its own criteria sheet: one sheet per group per round,
//! kept for the round whatever is loaded later. Rounds opened before keep their one sheet, for its
//! group.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RoundSheets {
    Table,
    RoundId,
    GroupCode,
    SheetId,
}

#[derive(DeriveIden)]
enum EvaluationRounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EvaluationSheets {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoundSheets::Table)
                .col(ColumnDef::new(RoundSheets::RoundId).big_integer().not_null())
                .col(ColumnDef::new(RoundSheets::GroupCode).string_len(16).not_null())
                .col(ColumnDef::new(RoundSheets::SheetId).big_integer().not_null())
                .primary_key(Index::create().col(RoundSheets::RoundId).col(RoundSheets::GroupCode))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoundSheets::Table, RoundSheets::RoundId)
                        .to(EvaluationRounds::Table, EvaluationRounds::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoundSheets::Table, RoundSheets::SheetId)
                        .to(EvaluationSheets::Table, EvaluationSheets::Id),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO round_sheets (round_id, group_code, sheet_id) \
                 SELECT r.id, s.group_code, r.sheet_id FROM evaluation_rounds r JOIN evaluation_sheets s ON s.id = r.sheet_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RoundSheets::Table).to_owned()).await
    }
}
