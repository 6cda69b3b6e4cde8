//! Zuji's engine: from a product model and background databases to a footprint.
//!
//! [`system`] joins a product model to its background data as sparse matrices (A, B,
//! c); [`sparse`] factorises A once (LU of Aᵀ) and solves for any demand; [`footprint`]
//! reports the total and its breakdowns; [`tree`] the contribution tree; [`montecarlo`]
//! and [`sensitivity`] the uncertainty; [`fingerprint`] the reproducibility stamp.
//! [`lci`] computes whole databases in the tabular LCI layout. The engine does no I/O
//! and knows nothing of files or HTTP. Same inputs, same bits.

pub mod error;
pub mod fingerprint;
pub mod footprint;
pub mod lci;
pub mod montecarlo;
pub mod rng;
pub mod sensitivity;
pub mod sparse;
pub mod system;
pub mod tree;

pub use error::CalcError;
pub use footprint::{FootprintOptions, FootprintResult, MonteCarloOptions, compute_footprint};
