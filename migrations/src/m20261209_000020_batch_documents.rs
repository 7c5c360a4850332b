//! A batch's published papers: photos of its inputs (the catch, the farm) and PDFs (a test report,
//! a purchase receipt), checked at intake like a dossier's and shown on the public trace page.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Batches {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BatchDocuments {
    Table,
    Id,
    BatchId,
    Title,
    FileName,
    MediaKey,
    ContentType,
    Bytes,
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
                .table(BatchDocuments::Table)
                .col(ColumnDef::new(BatchDocuments::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(BatchDocuments::BatchId).big_integer().not_null())
                .col(ColumnDef::new(BatchDocuments::Title).string_len(200).not_null())
                .col(ColumnDef::new(BatchDocuments::FileName).string_len(255).not_null())
                .col(ColumnDef::new(BatchDocuments::MediaKey).string_len(255).not_null())
                .col(ColumnDef::new(BatchDocuments::ContentType).string_len(64).not_null())
                .col(ColumnDef::new(BatchDocuments::Bytes).big_integer().not_null())
                .col(ColumnDef::new(BatchDocuments::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(BatchDocuments::Table, BatchDocuments::BatchId)
                        .to(Batches::Table, Batches::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_batch_documents_batch")
                .table(BatchDocuments::Table)
                .col(BatchDocuments::BatchId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(BatchDocuments::Table).to_owned()).await
    }
}
