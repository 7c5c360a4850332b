use sea_orm::entity::prelude::*;

/// Money received (or claimed) for an order. `external_ref` is unique: the same webhook, statement
/// line or manual confirmation recorded twice is one payment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// None for a statement line that matched no order.
    pub order_id: Option<i64>,
    pub method: String,
    pub source: String,
    pub external_ref: String,
    pub amount: i64,
    /// `applied`, `underpaid`, `overpaid`, `late` or `unmatched`: all but `applied` wait for the office.
    pub outcome: String,
    pub detail: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
