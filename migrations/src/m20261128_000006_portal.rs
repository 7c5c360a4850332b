//! What the producer portal and the office pages keep: producer contacts, who made a combo and its
//! photo, how a certificate came about, per-producer fulfilment of an order, POS devices and their
//! pairing codes, product imports, and small job marks (the certificate expiry job's last day).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Producers {
    Table,
    ContactName,
    Phone,
    Email,
}

#[derive(DeriveIden)]
enum Combos {
    Table,
    ProducerId,
    Photo,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Kind,
}

#[derive(DeriveIden)]
enum Fulfilments {
    Table,
    OrderId,
    ProducerId,
    Status,
    Tracking,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PosDevices {
    Table,
    Id,
    LocationId,
    Name,
    CodeHash,
    CodeExpiresAt,
    TokenHash,
    PairedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Imports {
    Table,
    Id,
    ProducerId,
    UserId,
    Status,
    TotalRows,
    DoneRows,
    Report,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum PhotoJobs {
    Table,
    Id,
    Target,
    TargetId,
    UserId,
    File,
    Status,
    Message,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum JobMarks {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for col in [Producers::ContactName, Producers::Phone, Producers::Email] {
            m.alter_table(
                Table::alter().table(Producers::Table).add_column(ColumnDef::new(col).string_len(254)).to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter().table(Combos::Table).add_column(ColumnDef::new(Combos::ProducerId).big_integer()).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Combos::Table).add_column(ColumnDef::new(Combos::Photo).text()).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Certificates::Table)
                .add_column(ColumnDef::new(Certificates::Kind).string_len(16).not_null().default("new"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Fulfilments::Table)
                .col(ColumnDef::new(Fulfilments::OrderId).big_integer().not_null())
                .col(ColumnDef::new(Fulfilments::ProducerId).big_integer().not_null())
                .col(ColumnDef::new(Fulfilments::Status).string_len(16).not_null())
                .col(ColumnDef::new(Fulfilments::Tracking).string_len(64))
                .col(ColumnDef::new(Fulfilments::UpdatedBy).big_integer())
                .col(ColumnDef::new(Fulfilments::UpdatedAt).timestamp_with_time_zone().not_null())
                .primary_key(Index::create().col(Fulfilments::OrderId).col(Fulfilments::ProducerId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PosDevices::Table)
                .col(ColumnDef::new(PosDevices::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(PosDevices::LocationId).big_integer().not_null())
                .col(ColumnDef::new(PosDevices::Name).string_len(120).not_null())
                .col(ColumnDef::new(PosDevices::CodeHash).string_len(64))
                .col(ColumnDef::new(PosDevices::CodeExpiresAt).timestamp_with_time_zone())
                .col(ColumnDef::new(PosDevices::TokenHash).string_len(64).unique_key())
                .col(ColumnDef::new(PosDevices::PairedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(PosDevices::RevokedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(PosDevices::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Imports::Table)
                .col(ColumnDef::new(Imports::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Imports::ProducerId).big_integer().not_null())
                .col(ColumnDef::new(Imports::UserId).big_integer().not_null())
                .col(ColumnDef::new(Imports::Status).string_len(16).not_null())
                .col(ColumnDef::new(Imports::TotalRows).integer().not_null())
                .col(ColumnDef::new(Imports::DoneRows).integer().not_null())
                .col(ColumnDef::new(Imports::Report).text())
                .col(ColumnDef::new(Imports::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(Imports::FinishedAt).timestamp_with_time_zone())
                .to_owned(),
        )
        .await?;

        // Uploaded originals wait here for the photo worker: decoding and encoding stay off requests.
        m.create_table(
            Table::create()
                .table(PhotoJobs::Table)
                .col(ColumnDef::new(PhotoJobs::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(PhotoJobs::Target).string_len(16).not_null())
                .col(ColumnDef::new(PhotoJobs::TargetId).big_integer().not_null())
                .col(ColumnDef::new(PhotoJobs::UserId).big_integer().not_null())
                .col(ColumnDef::new(PhotoJobs::File).string_len(64).not_null())
                .col(ColumnDef::new(PhotoJobs::Status).string_len(16).not_null())
                .col(ColumnDef::new(PhotoJobs::Message).text())
                .col(ColumnDef::new(PhotoJobs::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(PhotoJobs::StartedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(PhotoJobs::FinishedAt).timestamp_with_time_zone())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_photo_jobs_status").table(PhotoJobs::Table).col(PhotoJobs::Status).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(JobMarks::Table)
                .col(ColumnDef::new(JobMarks::Name).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(JobMarks::Value).string_len(200).not_null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            JobMarks::Table.into_iden(),
            Imports::Table.into_iden(),
            PosDevices::Table.into_iden(),
            Fulfilments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
