//! Several replicas on one database: background work claimed, not raced.
//!
//! Each periodic job has a row in `job_leases`: a replica runs it only after winning a conditional
//! update that takes the lease (until `lease_until`) and only when it is due (`next_run_at`), so a
//! job runs once per period whichever replica gets there first, and a replica killed mid-run
//! loses its claim when the lease lapses. Outbox rows are claimed the same way, one by one
//! (`claimed_until`), so two replicas never send the same message twice.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    LeaseUntil,
    NextRunAt,
    StartedAt,
    FinishedAt,
    Runs,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    ClaimedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(JobLeases::Table)
                .col(ColumnDef::new(JobLeases::Name).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(JobLeases::Holder).string_len(100))
                .col(ColumnDef::new(JobLeases::LeaseUntil).timestamp_with_time_zone())
                .col(ColumnDef::new(JobLeases::NextRunAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(JobLeases::StartedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(JobLeases::FinishedAt).timestamp_with_time_zone())
                .col(ColumnDef::new(JobLeases::Runs).big_integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Notifications::Table)
                .add_column(ColumnDef::new(Notifications::ClaimedUntil).timestamp_with_time_zone())
                .to_owned(),
        )
        .await
    }
}
