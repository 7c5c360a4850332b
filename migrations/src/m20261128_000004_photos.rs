//! Product photos: the derivatives' content-addressed file names, in display order.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProductPhotos {
    Table,
    Id,
    ProductId,
    Position,
    Small,
    Medium,
    Large,
    Width,
    Height,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Products {
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
                .table(ProductPhotos::Table)
                .col(ColumnDef::new(ProductPhotos::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ProductPhotos::ProductId).big_integer().not_null())
                .col(ColumnDef::new(ProductPhotos::Position).integer().not_null())
                .col(ColumnDef::new(ProductPhotos::Small).string_len(80).not_null())
                .col(ColumnDef::new(ProductPhotos::Medium).string_len(80))
                .col(ColumnDef::new(ProductPhotos::Large).string_len(80))
                .col(ColumnDef::new(ProductPhotos::Width).integer().not_null())
                .col(ColumnDef::new(ProductPhotos::Height).integer().not_null())
                .col(ColumnDef::new(ProductPhotos::UploadedBy).big_integer())
                .col(ColumnDef::new(ProductPhotos::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ProductPhotos::Table, ProductPhotos::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_product_photos_product")
                .table(ProductPhotos::Table)
                .col(ProductPhotos::ProductId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProductPhotos::Table).to_owned()).await
    }
}
