#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("search index: {0}")]
    Search(String),
    #[error("seed data: {0}")]
    Seed(String),
    /// Password hashing is at capacity (see `security::passwords`): nothing was done, try again.
    #[error("busy: password hashing is at capacity")]
    Busy,
    /// Stored data that breaks a rule it was checked against when written.
    #[error("stored data: {0}")]
    Invariant(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<tantivy::TantivyError> for StoreError {
    fn from(e: tantivy::TantivyError) -> Self {
        StoreError::Search(e.to_string())
    }
}
