//! Decree 117 withholding: a producer's tax status (none stored: taken from its kind) and tax code,
//! each change of status dated, with its reason and who made it; a product's tax kind (none stored:
//! taken from its OCOP group).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Producers {
    Table,
    Id,
    TaxStatus,
    TaxCode,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    TaxKind,
}

#[derive(DeriveIden)]
enum ProducerTaxChanges {
    Table,
    Id,
    ProducerId,
    FromOn,
    Status,
    Reason,
    ActorId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Producers::Table)
                .add_column(ColumnDef::new(Producers::TaxStatus).string_len(24))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Producers::Table)
                .add_column(ColumnDef::new(Producers::TaxCode).string_len(20))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Products::Table)
                .add_column(ColumnDef::new(Products::TaxKind).string_len(16))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ProducerTaxChanges::Table)
                .col(ColumnDef::new(ProducerTaxChanges::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ProducerTaxChanges::ProducerId).big_integer().not_null())
                .col(ColumnDef::new(ProducerTaxChanges::FromOn).date().not_null())
                .col(ColumnDef::new(ProducerTaxChanges::Status).string_len(24).not_null())
                .col(ColumnDef::new(ProducerTaxChanges::Reason).text().not_null())
                .col(ColumnDef::new(ProducerTaxChanges::ActorId).big_integer())
                .col(ColumnDef::new(ProducerTaxChanges::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ProducerTaxChanges::Table, ProducerTaxChanges::ProducerId)
                        .to(Producers::Table, Producers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_producer_tax_changes_producer")
                .table(ProducerTaxChanges::Table)
                .col(ProducerTaxChanges::ProducerId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProducerTaxChanges::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Products::Table).drop_column(Products::TaxKind).to_owned()).await?;
        m.alter_table(Table::alter().table(Producers::Table).drop_column(Producers::TaxCode).to_owned()).await?;
        m.alter_table(Table::alter().table(Producers::Table).drop_column(Producers::TaxStatus).to_owned()).await
    }
}
