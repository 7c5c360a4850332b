//! Traceability: production batches of a size with their inputs one step back and quality tests;
//! the batch a stock movement moved; which batch each order and showroom sale took (`batch_takes`,
//! named or assumed first-expiring-first-out); recalls of a batch with their dated steps.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Producers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    BatchId,
}

#[derive(DeriveIden)]
enum Batches {
    Table,
    Id,
    ProducerId,
    ProductId,
    VariantId,
    Code,
    ProducedOn,
    ExpiresOn,
    Quantity,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BatchInputs {
    Table,
    Id,
    BatchId,
    Material,
    Origin,
    Supplier,
    ReceivedOn,
}

#[derive(DeriveIden)]
enum BatchTests {
    Table,
    Id,
    BatchId,
    Name,
    Result,
    Lab,
    TestedOn,
    Passed,
}

#[derive(DeriveIden)]
enum BatchTakes {
    Table,
    Id,
    BatchId,
    Channel,
    Reference,
    Receipt,
    LocationId,
    VariantId,
    Qty,
    Assumed,
    At,
}

#[derive(DeriveIden)]
enum Recalls {
    Table,
    Id,
    BatchId,
    Reason,
    Status,
    OpenedBy,
    OpenedAt,
    NotifiedAt,
    ClosedAt,
    ClosedNote,
}

#[derive(DeriveIden)]
enum RecallEvents {
    Table,
    Id,
    RecallId,
    At,
    Actor,
    Action,
    Note,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .to_owned()
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().auto_increment().primary_key().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Batches::Table)
                .col(id(Batches::Id))
                .col(ColumnDef::new(Batches::ProducerId).big_integer().not_null())
                .col(ColumnDef::new(Batches::ProductId).big_integer().not_null())
                .col(ColumnDef::new(Batches::VariantId).big_integer().not_null())
                .col(ColumnDef::new(Batches::Code).string_len(20).not_null())
                .col(ColumnDef::new(Batches::ProducedOn).date().not_null())
                .col(ColumnDef::new(Batches::ExpiresOn).date())
                .col(ColumnDef::new(Batches::Quantity).big_integer().not_null())
                .col(ColumnDef::new(Batches::Note).text())
                .col(ColumnDef::new(Batches::CreatedBy).big_integer())
                .col(ColumnDef::new(Batches::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk((Batches::Table, Batches::ProducerId), (Producers::Table, Producers::Id), false))
                .foreign_key(&mut fk((Batches::Table, Batches::VariantId), (Variants::Table, Variants::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_batches_variant_code")
                .table(Batches::Table)
                .col(Batches::VariantId)
                .col(Batches::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_batches_producer").table(Batches::Table).col(Batches::ProducerId).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BatchInputs::Table)
                .col(id(BatchInputs::Id))
                .col(ColumnDef::new(BatchInputs::BatchId).big_integer().not_null())
                .col(ColumnDef::new(BatchInputs::Material).string_len(200).not_null())
                .col(ColumnDef::new(BatchInputs::Origin).string_len(300).not_null())
                .col(ColumnDef::new(BatchInputs::Supplier).string_len(200))
                .col(ColumnDef::new(BatchInputs::ReceivedOn).date())
                .foreign_key(&mut fk((BatchInputs::Table, BatchInputs::BatchId), (Batches::Table, Batches::Id), true))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BatchTests::Table)
                .col(id(BatchTests::Id))
                .col(ColumnDef::new(BatchTests::BatchId).big_integer().not_null())
                .col(ColumnDef::new(BatchTests::Name).string_len(200).not_null())
                .col(ColumnDef::new(BatchTests::Result).string_len(300).not_null())
                .col(ColumnDef::new(BatchTests::Lab).string_len(200))
                .col(ColumnDef::new(BatchTests::TestedOn).date())
                .col(ColumnDef::new(BatchTests::Passed).boolean().not_null())
                .foreign_key(&mut fk((BatchTests::Table, BatchTests::BatchId), (Batches::Table, Batches::Id), true))
                .to_owned(),
        )
        .await?;
        for (name, table, col) in [
            ("ix_batch_inputs_batch", BatchInputs::Table.into_iden(), BatchInputs::BatchId.into_iden()),
            ("ix_batch_tests_batch", BatchTests::Table.into_iden(), BatchTests::BatchId.into_iden()),
        ] {
            m.create_index(Index::create().name(name).table(table).col(col).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(StockMovements::Table)
                .add_column(ColumnDef::new(StockMovements::BatchId).big_integer())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_stock_movements_batch")
                .table(StockMovements::Table)
                .col(StockMovements::BatchId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BatchTakes::Table)
                .col(id(BatchTakes::Id))
                .col(ColumnDef::new(BatchTakes::BatchId).big_integer().not_null())
                // 'online' (an order number) or 'showroom' (a sale's id, with its receipt number).
                .col(ColumnDef::new(BatchTakes::Channel).string_len(10).not_null())
                .col(ColumnDef::new(BatchTakes::Reference).string_len(64).not_null())
                .col(ColumnDef::new(BatchTakes::Receipt).string_len(64).not_null())
                .col(ColumnDef::new(BatchTakes::LocationId).big_integer().not_null())
                .col(ColumnDef::new(BatchTakes::VariantId).big_integer().not_null())
                // Negative for a refund or return of units taken before.
                .col(ColumnDef::new(BatchTakes::Qty).big_integer().not_null())
                .col(ColumnDef::new(BatchTakes::Assumed).boolean().not_null())
                .col(ColumnDef::new(BatchTakes::At).timestamp_with_time_zone().not_null())
                .foreign_key(&mut fk((BatchTakes::Table, BatchTakes::BatchId), (Batches::Table, Batches::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_batch_takes_batch").table(BatchTakes::Table).col(BatchTakes::BatchId).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_batch_takes_reference")
                .table(BatchTakes::Table)
                .col(BatchTakes::Reference)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Recalls::Table)
                .col(id(Recalls::Id))
                .col(ColumnDef::new(Recalls::BatchId).big_integer().not_null())
                .col(ColumnDef::new(Recalls::Reason).text().not_null())
                .col(ColumnDef::new(Recalls::Status).string_len(10).not_null())
                .col(ColumnDef::new(Recalls::OpenedBy).big_integer())
                .col(ColumnDef::new(Recalls::OpenedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Recalls::NotifiedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(Recalls::ClosedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(Recalls::ClosedNote).text())
                .foreign_key(&mut fk((Recalls::Table, Recalls::BatchId), (Batches::Table, Batches::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_recalls_batch").table(Recalls::Table).col(Recalls::BatchId).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(RecallEvents::Table)
                .col(id(RecallEvents::Id))
                .col(ColumnDef::new(RecallEvents::RecallId).big_integer().not_null())
                .col(ColumnDef::new(RecallEvents::At).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(RecallEvents::Actor).string_len(200).not_null())
                .col(ColumnDef::new(RecallEvents::Action).string_len(32).not_null())
                .col(ColumnDef::new(RecallEvents::Note).text())
                .foreign_key(&mut fk(
                    (RecallEvents::Table, RecallEvents::RecallId),
                    (Recalls::Table, Recalls::Id),
                    true,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_recall_events_recall")
                .table(RecallEvents::Table)
                .col(RecallEvents::RecallId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RecallEvents::Table.into_iden(),
            Recalls::Table.into_iden(),
            BatchTakes::Table.into_iden(),
            BatchTests::Table.into_iden(),
            BatchInputs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_stock_movements_batch").table(StockMovements::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(StockMovements::Table).drop_column(StockMovements::BatchId).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Batches::Table).to_owned()).await
    }
}
