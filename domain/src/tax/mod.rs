//! Tax the marketplace withholds for its sellers (Decree 117/2025/NĐ-CP, in force 1 July 2025): on
//! each successful online sale of a household business or individual, VAT and personal income tax
//! on the gross revenue, at a rate by the kind of what was sold, declared monthly, with returns
//! offset. Rates live in one dated table (`RATES`): a change of law is a new row.

pub mod declaration;
pub mod withholding;

pub use withholding::{Period, PeriodTotals, Sale, StatusHistory, TaxKind, TaxStatus, Withholding, rate_on, withhold};
