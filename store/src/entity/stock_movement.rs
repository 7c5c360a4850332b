use sea_orm::entity::prelude::*;

/// Append-only: stock is never edited, only moved, so every level can be explained.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub variant_id: i64,
    pub qty_delta: i64,
    pub reason: String,
    pub reference: Option<String>,
    /// The production batch moved, when known.
    pub batch_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
