use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: String,
    /// Argon2id in PHC string form (algorithm, parameters and salt travel with the hash).
    pub password_hash: String,
    pub role: String,
    pub producer_id: Option<i64>,
    pub showroom_id: Option<i64>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
