//! openLCA JSON-LD (olca-schema) packages: import into an [`LciDatabase`] and export one.
//!
//! A package is a zip (or an unpacked folder) of one JSON file per entity:
//! `unit_groups/`, `flow_properties/`, `flows/`, `processes/`, `lcia_methods/`,
//! `lcia_categories/`, `parameters/`, `locations/`. Both schema generations are read:
//! openLCA 1.x (`input`, `quantitativeReference`, categories as objects with a
//! `categoryPath`) and olca-schema 2 (`isInput`, `isQuantitativeReference`, categories as
//! `a/b/c` strings). Loose JSON files are recognised by their `@type`, so a folder holding
//! only `impact_method.json` and `impact_category.json` (as LCIA methods are often
//! distributed) imports too, and several sources can be read as one package with
//! [`import_jsonld_all`] — a process package plus a separately distributed method.
//!
//! How openLCA concepts land in Zuji (each choice a user must know is a
//! [`DatasetWarning`] on the dataset concerned):
//! - every amount is converted to its flow's reference unit (unit group factors and flow
//!   property factors), and so are uncertainty parameters and characterisation factors;
//! - a process becomes one activity per product (product outputs, waste-treatment
//!   inputs); a multi-output process is split with its allocation factors of the default
//!   method, or physically by amount when factors are missing (warned);
//! - technosphere inputs link to their `defaultProvider`, else to the one process in the
//!   package making that flow. An input that cannot be linked (no producer: the package
//!   is a fragment of a larger database; several producers: ambiguous) is **cut off**:
//!   dropped with a warning saying so. JSON-LD packages are routinely partial (the beef
//!   package links to providers in another database), so refusing them would make them
//!   unusable; the warning keeps the cut-off visible;
//! - an elementary flow's compartment is its category path (`air/unspecified`), rebuilt
//!   from `categories/` where openLCA 1.5 wrote only the leaf category;
//! - elementary flows are tagged with their greenhouse gas via [`crate::ghg_flows`];
//!   a resource (category path containing "resource") is written as a positive amount
//!   when it is an input, as Brightway does, so LCIA factors keep their sign;
//! - formulas (`amountFormula`, process and global parameters) are evaluated with Zuji's
//!   formula engine (names case-insensitive as in openLCA); where that fails the stored
//!   amount is kept and the failure is a warning;
//! - each LCIA category becomes a method named `"<method> / <category>"`.
//!
//! Not carried over (said so per dataset where the package has it): data quality
//! entries, causal allocation (physical or economic factors, else physical by amount,
//! are used instead), impact factor formulas, product systems. Amounts are parsed with
//! serde_json's `float_roundtrip`, so an export re-imports bit for bit.
//!
//! A product model (not only a database) is exported with
//! [`export_product_model_jsonld`]: see the `model` module for how its processes,
//! inputs, emissions and supplier footprints become olca objects.
//!
//! Errors (unreadable archive, bad JSON, an exchange pointing at a flow that is not in
//! the package, a unit its flow property cannot convert) stop the import and name the
//! file inside the package, the JSON path and the problem; nothing is returned half-made.

mod alloc;
mod json;
mod lcia;
mod model;
mod package;
mod read;
mod units;
mod write;

use crate::import::ImportReport;
use std::path::{Path, PathBuf};
use zuji_model::lci::LciDatabase;

pub use model::{
    SUPPLIER_FLOW_ID, export_product_model_entries, export_product_model_jsonld, model_activity_id,
    product_model_database,
};
pub use write::export_jsonld_entries;

/// Why a JSON-LD package could not be imported or exported.
#[derive(Debug, thiserror::Error)]
pub enum JsonLdError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The package is not a zip archive openLCA could have written.
    #[error("{package}: not a readable zip archive: {problem}")]
    Zip { package: String, problem: String },
    /// A file inside the package is not valid JSON.
    #[error("{file}: invalid JSON at line {line}, column {column}: {problem}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        problem: String,
    },
    /// A value in a known file and JSON path that cannot be used.
    #[error("{file}: {path}: {problem}")]
    Field {
        file: String,
        path: String,
        problem: String,
    },
    /// The assembled database is inconsistent (a repeated id).
    #[error("{package}: {problem}")]
    Database { package: String, problem: String },
    /// A product model that cannot be exported: invalid, or not linkable to the
    /// databases given.
    #[error("{model}: {problem}")]
    Model { model: String, problem: String },
}

/// Imports a JSON-LD package: a `.zip`, an unpacked folder, or a single loose `.json`.
pub fn import_jsonld(path: &Path) -> Result<ImportReport, JsonLdError> {
    import_jsonld_all(&[path])
}

/// Imports several sources as one package (e.g. a process package and a method
/// distributed as loose files). The database is named after the first source.
pub fn import_jsonld_all(paths: &[&Path]) -> Result<ImportReport, JsonLdError> {
    let mut pkg = package::Package::default();
    for p in paths {
        pkg.add_path(p)?;
    }
    let name = paths
        .first()
        .map(|p| package::stem(p))
        .unwrap_or_else(|| "jsonld".into());
    read::build(&pkg, &name)
}

/// Imports a zip package held in memory; `name` labels errors and the database.
pub fn import_jsonld_from_zip_bytes(bytes: &[u8], name: &str) -> Result<ImportReport, JsonLdError> {
    let mut pkg = package::Package::default();
    pkg.add_zip_bytes(bytes, name)?;
    read::build(&pkg, name)
}

/// Writes `db` as a JSON-LD zip package (olca-schema 2) to `out`. The file is written
/// next to `out` first and renamed, so a failed export leaves nothing behind.
pub fn export_jsonld(db: &LciDatabase, out: &Path) -> Result<(), JsonLdError> {
    write::export_zip(db, out)
}
