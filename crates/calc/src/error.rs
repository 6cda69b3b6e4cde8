//! Why a footprint could not be computed.

use crate::sparse::SolveError;
use zuji_model::validate::ModelError;

#[derive(Debug, thiserror::Error)]
pub enum CalcError {
    /// The model itself is wrong; each error names its field.
    #[error("the product model has {} problem(s):\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Model(Vec<ModelError>),
    /// An input links to a dataset no loaded database has, or to one several have.
    #[error("{0}")]
    Link(ModelError),
    /// The system of equations has no unique solution; names the processes involved.
    #[error("the product system cannot be solved: {message}")]
    Singular {
        message: String,
        processes: Vec<String>,
    },
    #[error("method '{method}': {message}")]
    Method { method: String, message: String },
    #[error("Monte Carlo iteration {iteration}: {message}")]
    MonteCarlo { iteration: usize, message: String },
    #[error(transparent)]
    Solve(#[from] SolveError),
}
