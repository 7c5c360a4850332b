use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub number: String,
    pub number_is_sample: bool,
    pub stars: i32,
    pub score: Option<i32>,
    pub level: Option<String>,
    pub decided_on: Option<Date>,
    pub date_precision: String,
    pub last_valid_on: Option<Date>,
    pub revoked_on: Option<Date>,
    pub revoke_reason: Option<String>,
    /// `new`, `renewal` or `upgrade`: how the record came about, for the programme's yearly counts.
    pub kind: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
