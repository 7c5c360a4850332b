//! Carts, orders and payments. Uniqueness constraints carry the exactly-once rules: one order per
//! checkout token, one payment per external reference, one handling per webhook event id.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Carts {
    Table,
    Id,
    CheckoutToken,
    Draft,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CartItems {
    Table,
    Id,
    CartId,
    VariantId,
    ComboId,
    Quantity,
    AddedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    AccessKey,
    CheckoutToken,
    Status,
    PaymentMethod,
    StockState,
    Name,
    Phone,
    Email,
    Province,
    Commune,
    Street,
    Note,
    Lang,
    Subtotal,
    DeliveryFee,
    Total,
    PaidAmount,
    StripeSessionId,
    ExpiresAt,
    PaidAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    VariantId,
    ComboId,
    ProducerId,
    NameVi,
    NameEn,
    Sku,
    UnitPrice,
    Quantity,
    LineTotal,
}

#[derive(DeriveIden)]
enum OrderStock {
    Table,
    Id,
    OrderId,
    LocationId,
    VariantId,
    Quantity,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    FromStatus,
    ToStatus,
    Actor,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderCounters {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    OrderId,
    Method,
    Source,
    ExternalRef,
    Amount,
    Outcome,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    EventId,
    Kind,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    OrderId,
    Recipient,
    Subject,
    Body,
    Status,
    Attempts,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Combos {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
}

fn id(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().auto_increment().primary_key().to_owned()
}

fn ts(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).timestamp_with_time_zone().not_null().to_owned()
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(if cascade { ForeignKeyAction::Cascade } else { ForeignKeyAction::Restrict })
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Carts::Table)
                .col(ColumnDef::new(Carts::Id).string_len(64).not_null().primary_key())
                .col(ColumnDef::new(Carts::CheckoutToken).string_len(64))
                .col(ColumnDef::new(Carts::Draft).text())
                .col(ts(Carts::CreatedAt))
                .col(ts(Carts::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CartItems::Table)
                .col(id(CartItems::Id))
                .col(ColumnDef::new(CartItems::CartId).string_len(64).not_null())
                .col(ColumnDef::new(CartItems::VariantId).big_integer())
                .col(ColumnDef::new(CartItems::ComboId).big_integer())
                .col(ColumnDef::new(CartItems::Quantity).integer().not_null())
                .col(ts(CartItems::AddedAt))
                .foreign_key(&mut fk((CartItems::Table, CartItems::CartId), (Carts::Table, Carts::Id), true))
                .foreign_key(&mut fk((CartItems::Table, CartItems::VariantId), (Variants::Table, Variants::Id), true))
                .foreign_key(&mut fk((CartItems::Table, CartItems::ComboId), (Combos::Table, Combos::Id), true))
                .check(Expr::col(CartItems::Quantity).gt(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_cart_items_cart").table(CartItems::Table).col(CartItems::CartId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Orders::Table)
                .col(id(Orders::Id))
                .col(ColumnDef::new(Orders::Number).string_len(32).not_null().unique_key())
                .col(ColumnDef::new(Orders::AccessKey).string_len(64).not_null())
                .col(ColumnDef::new(Orders::CheckoutToken).string_len(64).not_null().unique_key())
                .col(ColumnDef::new(Orders::Status).string_len(24).not_null())
                .col(ColumnDef::new(Orders::PaymentMethod).string_len(16).not_null())
                .col(ColumnDef::new(Orders::StockState).string_len(16).not_null())
                .col(ColumnDef::new(Orders::Name).string_len(200).not_null())
                .col(ColumnDef::new(Orders::Phone).string_len(16).not_null())
                .col(ColumnDef::new(Orders::Email).string_len(254))
                .col(ColumnDef::new(Orders::Province).string_len(32).not_null())
                .col(ColumnDef::new(Orders::Commune).string_len(200).not_null())
                .col(ColumnDef::new(Orders::Street).string_len(400).not_null())
                .col(ColumnDef::new(Orders::Note).text())
                .col(ColumnDef::new(Orders::Lang).string_len(4).not_null())
                .col(ColumnDef::new(Orders::Subtotal).big_integer().not_null())
                .col(ColumnDef::new(Orders::DeliveryFee).big_integer().not_null())
                .col(ColumnDef::new(Orders::Total).big_integer().not_null())
                .col(ColumnDef::new(Orders::PaidAmount).big_integer().not_null().default(0))
                .col(ColumnDef::new(Orders::StripeSessionId).string_len(255))
                .col(ColumnDef::new(Orders::ExpiresAt).timestamp_with_time_zone())
                .col(ColumnDef::new(Orders::PaidAt).timestamp_with_time_zone())
                .col(ts(Orders::CreatedAt))
                .col(ts(Orders::UpdatedAt))
                .check(Expr::col(Orders::Total).gte(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_orders_status_expires")
                .table(Orders::Table)
                .col(Orders::Status)
                .col(Orders::ExpiresAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderLines::Table)
                .col(id(OrderLines::Id))
                .col(ColumnDef::new(OrderLines::OrderId).big_integer().not_null())
                .col(ColumnDef::new(OrderLines::VariantId).big_integer())
                .col(ColumnDef::new(OrderLines::ComboId).big_integer())
                .col(ColumnDef::new(OrderLines::ProducerId).big_integer())
                .col(ColumnDef::new(OrderLines::NameVi).string_len(400).not_null())
                .col(ColumnDef::new(OrderLines::NameEn).string_len(400).not_null())
                .col(ColumnDef::new(OrderLines::Sku).string_len(64))
                .col(ColumnDef::new(OrderLines::UnitPrice).big_integer().not_null())
                .col(ColumnDef::new(OrderLines::Quantity).integer().not_null())
                .col(ColumnDef::new(OrderLines::LineTotal).big_integer().not_null())
                .foreign_key(&mut fk((OrderLines::Table, OrderLines::OrderId), (Orders::Table, Orders::Id), false))
                .check(Expr::col(OrderLines::Quantity).gt(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_order_lines_order").table(OrderLines::Table).col(OrderLines::OrderId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderStock::Table)
                .col(id(OrderStock::Id))
                .col(ColumnDef::new(OrderStock::OrderId).big_integer().not_null())
                .col(ColumnDef::new(OrderStock::LocationId).big_integer().not_null())
                .col(ColumnDef::new(OrderStock::VariantId).big_integer().not_null())
                .col(ColumnDef::new(OrderStock::Quantity).big_integer().not_null())
                .foreign_key(&mut fk((OrderStock::Table, OrderStock::OrderId), (Orders::Table, Orders::Id), false))
                .foreign_key(&mut fk(
                    (OrderStock::Table, OrderStock::LocationId),
                    (Locations::Table, Locations::Id),
                    false,
                ))
                .foreign_key(&mut fk(
                    (OrderStock::Table, OrderStock::VariantId),
                    (Variants::Table, Variants::Id),
                    false,
                ))
                .check(Expr::col(OrderStock::Quantity).gt(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_order_stock_order").table(OrderStock::Table).col(OrderStock::OrderId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderEvents::Table)
                .col(id(OrderEvents::Id))
                .col(ColumnDef::new(OrderEvents::OrderId).big_integer().not_null())
                .col(ColumnDef::new(OrderEvents::FromStatus).string_len(24))
                .col(ColumnDef::new(OrderEvents::ToStatus).string_len(24).not_null())
                .col(ColumnDef::new(OrderEvents::Actor).string_len(120).not_null())
                .col(ColumnDef::new(OrderEvents::Note).text())
                .col(ts(OrderEvents::CreatedAt))
                .foreign_key(&mut fk((OrderEvents::Table, OrderEvents::OrderId), (Orders::Table, Orders::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_order_events_order")
                .table(OrderEvents::Table)
                .col(OrderEvents::OrderId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OrderCounters::Table)
                .col(ColumnDef::new(OrderCounters::Year).integer().not_null().primary_key())
                .col(ColumnDef::new(OrderCounters::Last).big_integer().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Payments::Table)
                .col(id(Payments::Id))
                .col(ColumnDef::new(Payments::OrderId).big_integer())
                .col(ColumnDef::new(Payments::Method).string_len(16).not_null())
                .col(ColumnDef::new(Payments::Source).string_len(16).not_null())
                .col(ColumnDef::new(Payments::ExternalRef).string_len(200).not_null().unique_key())
                .col(ColumnDef::new(Payments::Amount).big_integer().not_null())
                .col(ColumnDef::new(Payments::Outcome).string_len(24).not_null())
                .col(ColumnDef::new(Payments::Detail).text())
                .col(ts(Payments::CreatedAt))
                .foreign_key(&mut fk((Payments::Table, Payments::OrderId), (Orders::Table, Orders::Id), false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_payments_order").table(Payments::Table).col(Payments::OrderId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebhookEvents::Table)
                .col(ColumnDef::new(WebhookEvents::EventId).string_len(255).not_null().primary_key())
                .col(ColumnDef::new(WebhookEvents::Kind).string_len(120).not_null())
                .col(ts(WebhookEvents::ReceivedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(id(Notifications::Id))
                .col(ColumnDef::new(Notifications::OrderId).big_integer())
                .col(ColumnDef::new(Notifications::Recipient).string_len(254).not_null())
                .col(ColumnDef::new(Notifications::Subject).string_len(400).not_null())
                .col(ColumnDef::new(Notifications::Body).text().not_null())
                .col(ColumnDef::new(Notifications::Status).string_len(16).not_null())
                .col(ColumnDef::new(Notifications::Attempts).integer().not_null().default(0))
                .col(ColumnDef::new(Notifications::LastError).text())
                .col(ts(Notifications::CreatedAt))
                .col(ColumnDef::new(Notifications::SentAt).timestamp_with_time_zone())
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::OrderId),
                    (Orders::Table, Orders::Id),
                    false,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_status")
                .table(Notifications::Table)
                .col(Notifications::Status)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Notifications::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            Payments::Table.into_iden(),
            OrderCounters::Table.into_iden(),
            OrderEvents::Table.into_iden(),
            OrderStock::Table.into_iden(),
            OrderLines::Table.into_iden(),
            Orders::Table.into_iden(),
            CartItems::Table.into_iden(),
            Carts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
