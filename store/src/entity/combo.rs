use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "combos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub name_vi: String,
    pub name_en: String,
    pub story_vi: String,
    pub story_en: String,
    pub price_vnd: i64,
    pub active: bool,
    pub sample_values: bool,
    /// None for the office's curated combos, which may mix producers.
    pub producer_id: Option<i64>,
    /// The photo's derivative names, smallest first, space-separated.
    pub photo: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
