//! Traceability: production batches, which batch each sale took, and recalls.

pub mod batches;
pub mod recalls;
pub(crate) mod takes;
