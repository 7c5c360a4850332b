use sea_orm::entity::prelude::*;

/// The stock an order holds, per location and variant (combos expanded into their components):
/// what cancellation releases and shipping consumes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_stock")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub location_id: i64,
    pub variant_id: i64,
    pub quantity: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
