//! Traceability: production batches, their GS1 identities and public trace, which batch each sale
//! took, and recalls.

pub mod batches;
pub mod links;
pub mod public;
pub mod recalls;
pub(crate) mod takes;
