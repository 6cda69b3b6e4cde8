//! What every importer returns: a whole database and the dataset-level warnings, so a
//! user sees each thing Zuji could not carry over instead of it being dropped silently.

use std::fmt;
use zuji_model::lci::LciDatabase;

/// A problem with one dataset that did not stop the import (an unsupported feature,
/// an allocation choice made, an uncharacterised flow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetWarning {
    /// The dataset's id (file name, UUID or activity id) as the source names it.
    pub dataset: String,
    pub message: String,
}

impl fmt::Display for DatasetWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.dataset, self.message)
    }
}

/// A database imported in full, with what was noticed on the way.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub db: LciDatabase,
    pub warnings: Vec<DatasetWarning>,
}
