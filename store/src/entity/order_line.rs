use sea_orm::entity::prelude::*;

/// What was bought at what price: names and prices are copied so later edits never change an order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub variant_id: Option<i64>,
    pub combo_id: Option<i64>,
    /// None for a combo whose components come from several producers.
    pub producer_id: Option<i64>,
    pub name_vi: String,
    pub name_en: String,
    pub sku: Option<String>,
    pub unit_price: i64,
    pub quantity: i32,
    pub line_total: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
