//! The programme's own evaluation: dossiers filed and moved through their steps, criteria sheets as
//! data, council members' scores and the stars they lead to. Rules and the assumptions made where
//! the decisions are silent are in docs/ocop-evaluation-rules.md.

pub mod dossier;
pub mod records;
pub mod scoring;
pub mod sheet;

pub use dossier::{DocKind, DossierKind, DossierStatus, Step};
pub use scoring::{Choices, CouncilResult, Outcome, Score100, council_result};
pub use sheet::{PartCode, Sheet, SheetError};
