use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    #[error("migrating the database: {0}")]
    Migrate(String),
    /// The thing does not exist, or the viewer may not know it exists.
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: String },
    /// The viewer is known but may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
    #[error("{what} '{value}' already exists")]
    Conflict { what: &'static str, value: String },
    #[error("authentication failed")]
    Unauthenticated,
    /// A write lost a race it must not win (a job lease taken over by another worker).
    #[error("stale: {0}")]
    Stale(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub fn not_found(kind: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound {
            kind,
            id: id.to_string(),
        }
    }

    pub fn invalid(field: &str, problem: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// Maps a unique-constraint violation to [`StoreError::Conflict`].
    pub(crate) fn conflict_or(e: sqlx::Error, what: &'static str, value: &str) -> StoreError {
        if let sqlx::Error::Database(d) = &e
            && d.is_unique_violation()
        {
            return StoreError::Conflict {
                what,
                value: value.to_string(),
            };
        }
        StoreError::Database(e)
    }
}
