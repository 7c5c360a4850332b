//! sea-orm entities, one per table of `migrations`. Enums are stored as short strings and parsed by `domain`.

pub mod cart;
pub mod cart_item;
pub mod certificate;
pub mod combo;
pub mod combo_item;
pub mod location;
pub mod notification;
pub mod order;
pub mod order_event;
pub mod order_line;
pub mod order_stock;
pub mod payment;
pub mod producer;
pub mod product;
pub mod stock_level;
pub mod stock_movement;
pub mod user;
pub mod variant;
