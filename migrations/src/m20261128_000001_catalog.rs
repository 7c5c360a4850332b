use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Producers {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    DistrictPre2025,
    Province,
    Commune,
    StoryVi,
    StoryEn,
    SampleValues,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Slug,
    ProducerId,
    NameVi,
    NameEn,
    DescriptionVi,
    DescriptionEn,
    OcopGroup,
    Category,
    Tags,
    Status,
    SampleValues,
    SourceUrl,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
    ProductId,
    Sku,
    Barcode,
    SizeVi,
    SizeEn,
    PriceVnd,
    Active,
    Position,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    ProductId,
    Number,
    NumberIsSample,
    Stars,
    Score,
    Level,
    DecidedOn,
    DatePrecision,
    ExpiresOn,
    RevokedOn,
    RevokeReason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ProducerId,
    Address,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    LocationId,
    VariantId,
    QtyDelta,
    Reason,
    Reference,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StockLevels {
    Table,
    LocationId,
    VariantId,
    OnHand,
    Reserved,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Combos {
    Table,
    Id,
    Slug,
    NameVi,
    NameEn,
    StoryVi,
    StoryEn,
    PriceVnd,
    Active,
    SampleValues,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ComboItems {
    Table,
    Id,
    ComboId,
    VariantId,
    Qty,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // SQLite DDL is transactional: a failed migration leaves nothing half-made.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Producers::Table)
                .col(ColumnDef::new(Producers::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Producers::Slug).string_len(160).not_null().unique_key())
                .col(ColumnDef::new(Producers::Name).string_len(300).not_null())
                .col(ColumnDef::new(Producers::Kind).string_len(8))
                .col(ColumnDef::new(Producers::DistrictPre2025).string_len(120))
                .col(ColumnDef::new(Producers::Province).string_len(120).not_null())
                .col(ColumnDef::new(Producers::Commune).string_len(120))
                .col(ColumnDef::new(Producers::StoryVi).text())
                .col(ColumnDef::new(Producers::StoryEn).text())
                .col(ColumnDef::new(Producers::SampleValues).boolean().not_null().default(false))
                .col(ColumnDef::new(Producers::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Producers::UpdatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Products::Table)
                .col(ColumnDef::new(Products::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Products::Slug).string_len(200).not_null().unique_key())
                .col(ColumnDef::new(Products::ProducerId).big_integer())
                .col(ColumnDef::new(Products::NameVi).string_len(300).not_null())
                .col(ColumnDef::new(Products::NameEn).string_len(300).not_null())
                .col(ColumnDef::new(Products::DescriptionVi).text().not_null())
                .col(ColumnDef::new(Products::DescriptionEn).text().not_null())
                .col(ColumnDef::new(Products::OcopGroup).string_len(16).not_null())
                .col(ColumnDef::new(Products::Category).string_len(120).not_null())
                .col(ColumnDef::new(Products::Tags).text().not_null())
                .col(ColumnDef::new(Products::Status).string_len(16).not_null())
                .col(ColumnDef::new(Products::SampleValues).boolean().not_null().default(false))
                .col(ColumnDef::new(Products::SourceUrl).text())
                .col(ColumnDef::new(Products::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Products::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Products::Table, Products::ProducerId)
                        .to(Producers::Table, Producers::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_products_producer").table(Products::Table).col(Products::ProducerId).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_products_updated").table(Products::Table).col(Products::UpdatedAt).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Variants::Table)
                .col(ColumnDef::new(Variants::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Variants::ProductId).big_integer().not_null())
                .col(ColumnDef::new(Variants::Sku).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Variants::Barcode).string_len(13).unique_key())
                .col(ColumnDef::new(Variants::SizeVi).string_len(120).not_null())
                .col(ColumnDef::new(Variants::SizeEn).string_len(120).not_null())
                .col(ColumnDef::new(Variants::PriceVnd).big_integer().not_null())
                .col(ColumnDef::new(Variants::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Variants::Position).integer().not_null().default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(Variants::Table, Variants::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .check(Expr::col(Variants::PriceVnd).gte(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_variants_product").table(Variants::Table).col(Variants::ProductId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Certificates::Table)
                .col(ColumnDef::new(Certificates::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Certificates::ProductId).big_integer().not_null())
                .col(ColumnDef::new(Certificates::Number).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Certificates::NumberIsSample).boolean().not_null().default(false))
                .col(ColumnDef::new(Certificates::Stars).integer().not_null())
                .col(ColumnDef::new(Certificates::Score).integer())
                .col(ColumnDef::new(Certificates::Level).string_len(16))
                .col(ColumnDef::new(Certificates::DecidedOn).date())
                .col(ColumnDef::new(Certificates::DatePrecision).string_len(8).not_null())
                .col(ColumnDef::new(Certificates::ExpiresOn).date())
                .col(ColumnDef::new(Certificates::RevokedOn).date())
                .col(ColumnDef::new(Certificates::RevokeReason).text())
                .col(ColumnDef::new(Certificates::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Certificates::Table, Certificates::ProductId)
                        .to(Products::Table, Products::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .check(Expr::col(Certificates::Stars).between(1, 5))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_certificates_product")
                .table(Certificates::Table)
                .col(Certificates::ProductId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_certificates_expiry")
                .table(Certificates::Table)
                .col(Certificates::ExpiresOn)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Locations::Table)
                .col(ColumnDef::new(Locations::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Locations::Code).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Locations::Name).string_len(200).not_null())
                .col(ColumnDef::new(Locations::Kind).string_len(24).not_null())
                .col(ColumnDef::new(Locations::ProducerId).big_integer())
                .col(ColumnDef::new(Locations::Address).text())
                .col(ColumnDef::new(Locations::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Locations::Table, Locations::ProducerId)
                        .to(Producers::Table, Producers::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StockMovements::Table)
                .col(ColumnDef::new(StockMovements::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(StockMovements::LocationId).big_integer().not_null())
                .col(ColumnDef::new(StockMovements::VariantId).big_integer().not_null())
                .col(ColumnDef::new(StockMovements::QtyDelta).big_integer().not_null())
                .col(ColumnDef::new(StockMovements::Reason).string_len(32).not_null())
                .col(ColumnDef::new(StockMovements::Reference).string_len(120))
                .col(ColumnDef::new(StockMovements::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(StockMovements::Table, StockMovements::LocationId)
                        .to(Locations::Table, Locations::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StockMovements::Table, StockMovements::VariantId)
                        .to(Variants::Table, Variants::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_stock_movements_loc_variant")
                .table(StockMovements::Table)
                .col(StockMovements::LocationId)
                .col(StockMovements::VariantId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StockLevels::Table)
                .col(ColumnDef::new(StockLevels::LocationId).big_integer().not_null())
                .col(ColumnDef::new(StockLevels::VariantId).big_integer().not_null())
                .col(ColumnDef::new(StockLevels::OnHand).big_integer().not_null().default(0))
                .col(ColumnDef::new(StockLevels::Reserved).big_integer().not_null().default(0))
                .col(ColumnDef::new(StockLevels::UpdatedAt).timestamp_with_time_zone().not_null())
                .primary_key(Index::create().col(StockLevels::LocationId).col(StockLevels::VariantId))
                .foreign_key(
                    ForeignKey::create()
                        .from(StockLevels::Table, StockLevels::LocationId)
                        .to(Locations::Table, Locations::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StockLevels::Table, StockLevels::VariantId)
                        .to(Variants::Table, Variants::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Combos::Table)
                .col(ColumnDef::new(Combos::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Combos::Slug).string_len(200).not_null().unique_key())
                .col(ColumnDef::new(Combos::NameVi).string_len(300).not_null())
                .col(ColumnDef::new(Combos::NameEn).string_len(300).not_null())
                .col(ColumnDef::new(Combos::StoryVi).text().not_null())
                .col(ColumnDef::new(Combos::StoryEn).text().not_null())
                .col(ColumnDef::new(Combos::PriceVnd).big_integer().not_null())
                .col(ColumnDef::new(Combos::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(Combos::SampleValues).boolean().not_null().default(false))
                .col(ColumnDef::new(Combos::CreatedAt).timestamp_with_time_zone().not_null())
                .check(Expr::col(Combos::PriceVnd).gte(0))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ComboItems::Table)
                .col(ColumnDef::new(ComboItems::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(ComboItems::ComboId).big_integer().not_null())
                .col(ColumnDef::new(ComboItems::VariantId).big_integer().not_null())
                .col(ColumnDef::new(ComboItems::Qty).integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ComboItems::Table, ComboItems::ComboId)
                        .to(Combos::Table, Combos::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ComboItems::Table, ComboItems::VariantId)
                        .to(Variants::Table, Variants::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .check(Expr::col(ComboItems::Qty).gt(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_combo_items_combo").table(ComboItems::Table).col(ComboItems::ComboId).to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ComboItems::Table.into_iden(),
            Combos::Table.into_iden(),
            StockLevels::Table.into_iden(),
            StockMovements::Table.into_iden(),
            Locations::Table.into_iden(),
            Certificates::Table.into_iden(),
            Variants::Table.into_iden(),
            Products::Table.into_iden(),
            Producers::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
