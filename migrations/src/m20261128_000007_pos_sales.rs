//! Showroom sales as the POS devices send them: each sale, line and payment keeps the UUID made on
//! the device as its key, so a sale sent twice (a retry, a lost acknowledgement) is stored once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PosSales {
    Table,
    Id,
    DeviceId,
    LocationId,
    ReceiptNo,
    ShiftId,
    Kind,
    RefundOf,
    SoldAt,
    Discount,
    Total,
    Flagged,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum PosSaleLines {
    Table,
    Id,
    SaleId,
    VariantId,
    ComboId,
    ProducerId,
    Sku,
    Qty,
    UnitPrice,
    LineTotal,
}

#[derive(DeriveIden)]
enum PosPayments {
    Table,
    Id,
    SaleId,
    Method,
    Amount,
    Confirmed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PosSales::Table)
                .col(ColumnDef::new(PosSales::Id).string_len(36).not_null().primary_key())
                .col(ColumnDef::new(PosSales::DeviceId).big_integer().not_null())
                .col(ColumnDef::new(PosSales::LocationId).big_integer().not_null())
                .col(ColumnDef::new(PosSales::ReceiptNo).string_len(40).not_null())
                .col(ColumnDef::new(PosSales::ShiftId).string_len(36).not_null())
                .col(ColumnDef::new(PosSales::Kind).string_len(8).not_null())
                .col(ColumnDef::new(PosSales::RefundOf).string_len(36))
                .col(ColumnDef::new(PosSales::SoldAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(PosSales::Discount).big_integer().not_null())
                .col(ColumnDef::new(PosSales::Total).big_integer().not_null())
                .col(ColumnDef::new(PosSales::Flagged).boolean().not_null().default(false))
                .col(ColumnDef::new(PosSales::ReceivedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_pos_sales_location_sold")
                .table(PosSales::Table)
                .col(PosSales::LocationId)
                .col(PosSales::SoldAt)
                .to_owned(),
        )
        .await?;
        // One refund per sale: a second refund of the same sale is refused, however it arrives.
        m.create_index(
            Index::create()
                .name("ux_pos_sales_refund_of")
                .table(PosSales::Table)
                .col(PosSales::RefundOf)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PosSaleLines::Table)
                .col(ColumnDef::new(PosSaleLines::Id).string_len(36).not_null().primary_key())
                .col(ColumnDef::new(PosSaleLines::SaleId).string_len(36).not_null())
                .col(ColumnDef::new(PosSaleLines::VariantId).big_integer())
                .col(ColumnDef::new(PosSaleLines::ComboId).big_integer())
                .col(ColumnDef::new(PosSaleLines::ProducerId).big_integer())
                .col(ColumnDef::new(PosSaleLines::Sku).string_len(64).not_null())
                .col(ColumnDef::new(PosSaleLines::Qty).integer().not_null())
                .col(ColumnDef::new(PosSaleLines::UnitPrice).big_integer().not_null())
                .col(ColumnDef::new(PosSaleLines::LineTotal).big_integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(PosSaleLines::Table, PosSaleLines::SaleId)
                        .to(PosSales::Table, PosSales::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_pos_sale_lines_sale")
                .table(PosSaleLines::Table)
                .col(PosSaleLines::SaleId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PosPayments::Table)
                .col(ColumnDef::new(PosPayments::Id).string_len(36).not_null().primary_key())
                .col(ColumnDef::new(PosPayments::SaleId).string_len(36).not_null())
                .col(ColumnDef::new(PosPayments::Method).string_len(16).not_null())
                .col(ColumnDef::new(PosPayments::Amount).big_integer().not_null())
                .col(ColumnDef::new(PosPayments::Confirmed).boolean().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(PosPayments::Table, PosPayments::SaleId)
                        .to(PosSales::Table, PosSales::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [PosPayments::Table.into_iden(), PosSaleLines::Table.into_iden(), PosSales::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
