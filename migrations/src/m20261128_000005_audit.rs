//! The audit log: every change the office (and later producers) make, with who, when, before and after.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    ActorName,
    Action,
    Entity,
    EntityKey,
    Before,
    After,
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
                .table(AuditLog::Table)
                .col(ColumnDef::new(AuditLog::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(AuditLog::ActorId).big_integer())
                .col(ColumnDef::new(AuditLog::ActorName).string_len(200).not_null())
                .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::Entity).string_len(64).not_null())
                .col(ColumnDef::new(AuditLog::EntityKey).string_len(200).not_null())
                .col(ColumnDef::new(AuditLog::Before).text())
                .col(ColumnDef::new(AuditLog::After).text())
                .col(ColumnDef::new(AuditLog::CreatedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_entity")
                .table(AuditLog::Table)
                .col(AuditLog::Entity)
                .col(AuditLog::EntityKey)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await
    }
}
