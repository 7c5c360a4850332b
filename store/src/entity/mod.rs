//! sea-orm entities, one per table of `migrations`. Enums are stored as short strings and parsed by `domain`.

pub mod certificate;
pub mod combo;
pub mod combo_item;
pub mod location;
pub mod producer;
pub mod product;
pub mod stock_level;
pub mod stock_movement;
pub mod variant;
