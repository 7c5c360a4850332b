use sea_orm::entity::prelude::*;

/// A variant or a gift combo in a cart (exactly one of the two ids is set).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cart_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub cart_id: String,
    pub variant_id: Option<i64>,
    pub combo_id: Option<i64>,
    pub quantity: i32,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
