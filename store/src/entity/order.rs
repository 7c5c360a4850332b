use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    /// Random: with the number, it is the order page's address for whoever placed it.
    pub access_key: String,
    pub checkout_token: String,
    pub status: String,
    pub payment_method: String,
    /// `reserved`, `released` or `consumed`: what became of the stock this order holds.
    pub stock_state: String,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub province: String,
    pub commune: String,
    pub street: String,
    pub note: Option<String>,
    pub lang: String,
    pub subtotal: i64,
    pub delivery_fee: i64,
    pub total: i64,
    pub paid_amount: i64,
    pub stripe_session_id: Option<String>,
    /// When an unpaid card or transfer order lets its reservation go.
    pub expires_at: Option<DateTimeUtc>,
    pub paid_at: Option<DateTimeUtc>,
    /// The shopper account it was placed from; none for a guest.
    pub user_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
