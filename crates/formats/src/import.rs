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

/// Any importer's error, for callers that dispatch on a [`DatabaseFormat`].
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Tabular(#[from] crate::tabular::TabularError),
    #[error(transparent)]
    JsonLd(#[from] crate::jsonld::JsonLdError),
    #[error(transparent)]
    EcoSpold(#[from] crate::ecospold2::EcoSpoldError),
    #[error(transparent)]
    Ilcd(#[from] crate::ilcd::IlcdError),
}

/// Imports a file, archive or folder in `format`; `progress(done, total)` is called as
/// datasets are read, where the format streams them (EcoSpold).
pub fn import_database(
    path: &std::path::Path,
    format: crate::detect::DatabaseFormat,
    progress: &crate::ecospold2::Progress,
) -> Result<ImportReport, ImportError> {
    use crate::detect::DatabaseFormat as F;
    Ok(match format {
        F::Tabular => ImportReport {
            db: crate::tabular::read_tabular(path)?,
            warnings: Vec::new(),
        },
        F::JsonLd => crate::jsonld::import_jsonld(path)?,
        F::EcoSpold2 => crate::ecospold2::import_ecospold2_with_progress(path, progress)?,
        F::EcoSpold1 => crate::ecospold1::import_ecospold1_with_progress(path, progress)?,
        F::Ilcd => crate::ilcd::import_ilcd(path)?,
    })
}
