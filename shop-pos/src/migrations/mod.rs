//! The till's schema as numbered steps, each run once in its own transaction and recorded in
//! `seaql_migrations`: a till in a showroom picks up a new step when it starts on a new version,
//! keeping every sale and outbox entry. A step is never edited once released; a change is a new one.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

/// One step: its recorded name (date and number, like the marketplace's) and its SQL.
pub struct Step {
    pub name: &'static str,
    pub sql: &'static str,
}

pub const STEPS: &[Step] = &[
    Step { name: "m20261101_000001_till", sql: include_str!("0001_till.sql") },
    Step { name: "m20261201_000002_pin_attempts", sql: include_str!("0002_pin_attempts.sql") },
    Step { name: "m20261202_000003_partial_refunds", sql: include_str!("0003_partial_refunds.sql") },
    Step { name: "m20261202_000004_item_photos", sql: include_str!("0004_item_photos.sql") },
    Step { name: "m20261209_000005_batches", sql: include_str!("0005_batches.sql") },
];

/// The newest step this build knows: what `status.json` reports as the till's schema.
pub fn latest() -> &'static str {
    STEPS.last().map(|s| s.name).unwrap_or_default()
}

struct Migration(&'static Step);

impl MigrationName for Migration {
    fn name(&self) -> &str {
        self.0.name
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // A power cut half-way through a table rebuild must leave the step undone, not half done.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(self.0.sql).await?;
        Ok(())
    }
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        STEPS.iter().map(|s| Box::new(Migration(s)) as Box<dyn MigrationTrait>).collect()
    }
}

/// Brings a till's database up to this build's schema. Tills from before the steps were numbered
/// recorded their first step under the name `db`: it is renamed first, so it is not run twice.
pub async fn upgrade(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    let recorded = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'",
        ))
        .await?
        .is_some();
    if recorded {
        db.execute_unprepared(&format!(
            "UPDATE seaql_migrations SET version = '{}' WHERE version = 'db'",
            STEPS[0].name
        ))
        .await?;
    }
    Migrator::up(db, None).await
}

/// The steps recorded as applied, oldest first.
pub async fn applied(db: &sea_orm::DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await?;
    rows.iter().map(|r| r.try_get::<String>("", "version")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn steps_are_numbered_in_order_and_never_share_a_name() {
        let names: Vec<&str> = super::STEPS.iter().map(|s| s.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "applied in name order, each once");
        for (i, n) in names.iter().enumerate() {
            assert!(n.ends_with(&format!("_{:06}", i + 1)) || n.contains(&format!("_{:06}_", i + 1)), "{n}");
        }
    }
}
