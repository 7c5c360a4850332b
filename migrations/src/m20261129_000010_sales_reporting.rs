//! What the programme dashboard and settlement statements read at national scale (a million sales
//! lines). A showroom line carries its showroom, whether it is a refund and `counted_at`, the instant
//! that decides its reporting period (a sale's own time; for a refund, the time of the sale it
//! refunds), so participation is one pass over the lines instead of two joins on text ids per line
//! (see bench/out/dashboard.md). A producer's lines are found by its id, and the combos holding its
//! goods by their parts. Plain indexes on the order and sale times, or on producer ids alone, were
//! tried and left out of the showroom lines: over a half-year or a year SQLite walked them row by
//! row, several times slower than reading the table through.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, its definition): the same SQL on SQLite and PostgreSQL. Participation reads every line of
/// a period by producer and showroom straight from the reporting index (no row lookups); the combo
/// indexes hold only combo lines, so they never tempt a planner away from a plain scan.
const INDEXES: [(&str, &str); 6] = [
    ("ix_pos_sales_reporting", "pos_sales (location_id, counted_at, kind, total)"),
    ("ix_order_lines_producer", "order_lines (producer_id)"),
    ("ix_pos_sale_lines_reporting", "pos_sale_lines (producer_id, counted_at, location_id, refund, qty, combo_id)"),
    ("ix_order_lines_combo", "order_lines (combo_id) WHERE combo_id IS NOT NULL"),
    ("ix_pos_sale_lines_combo", "pos_sale_lines (combo_id) WHERE combo_id IS NOT NULL"),
    ("ix_combo_items_variant", "combo_items (variant_id)"),
];

#[derive(DeriveIden)]
enum PosSales {
    Table,
    CountedAt,
}

#[derive(DeriveIden)]
enum PosSaleLines {
    Table,
    LocationId,
    CountedAt,
    Refund,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table(PosSales::Table)
                .add_column(ColumnDef::new(PosSales::CountedAt).timestamp_with_time_zone())
                .to_owned(),
        )
        .await?;
        for col in [
            ColumnDef::new(PosSaleLines::LocationId).big_integer().to_owned(),
            ColumnDef::new(PosSaleLines::CountedAt).timestamp_with_time_zone().to_owned(),
            ColumnDef::new(PosSaleLines::Refund).boolean().not_null().default(false).to_owned(),
        ] {
            m.alter_table(Table::alter().table(PosSaleLines::Table).add_column(col).to_owned()).await?;
        }
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE pos_sales SET counted_at = COALESCE((SELECT o.sold_at FROM pos_sales o WHERE o.id = pos_sales.refund_of), sold_at)",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE pos_sale_lines SET \
             location_id = (SELECT s.location_id FROM pos_sales s WHERE s.id = pos_sale_lines.sale_id), \
             counted_at = (SELECT s.counted_at FROM pos_sales s WHERE s.id = pos_sale_lines.sale_id), \
             refund = (SELECT s.kind = 'refund' FROM pos_sales s WHERE s.id = pos_sale_lines.sale_id)",
        )
        .await?;
        for (name, def) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON {def}")).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            m.get_connection().execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        for col in [PosSaleLines::LocationId, PosSaleLines::CountedAt, PosSaleLines::Refund] {
            m.alter_table(Table::alter().table(PosSaleLines::Table).drop_column(col).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(PosSales::Table).drop_column(PosSales::CountedAt).to_owned()).await
    }
}
