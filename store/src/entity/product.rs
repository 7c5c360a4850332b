use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub producer_id: Option<i64>,
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub ocop_group: String,
    pub category: String,
    pub tags: String,
    /// `active` is listed; `hidden` is kept but not shown.
    pub status: String,
    pub sample_values: bool,
    pub source_url: Option<String>,
    /// Decree 117 kind set by hand (`goods`, `service`, `transport`); None follows the OCOP group.
    pub tax_kind: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
