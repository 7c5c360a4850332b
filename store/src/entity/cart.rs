use sea_orm::entity::prelude::*;

/// A shopper's cart, found by the random id in their `cart` cookie: no account needed, and it
/// survives restarts because it lives here, not in memory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "carts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The one-time token the current checkout form carries.
    pub checkout_token: Option<String>,
    /// The checkout form as last typed (JSON), so a refused form comes back filled in.
    pub draft: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
