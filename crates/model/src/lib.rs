//! Zuji's vocabulary: the things a product carbon footprint is made of.
//!
//! Units and conversions, greenhouse gases and their origins, life-cycle stages,
//! uncertainty distributions, data-quality indicators, parameters with formulas,
//! product models, and whole life-cycle inventory databases. This crate does no I/O:
//! readers live in `zuji-formats`, the engine in `zuji-calc`. Validation lives here, so
//! a wrong model says which field is wrong and why, whatever file it came from.

pub mod formula;
pub mod gas;
pub mod gwp;
pub mod lci;
pub mod path;
pub mod product;
pub mod quality;
pub mod stage;
pub mod uncertainty;
pub mod units;
pub mod validate;

pub use gas::{Gas, Origin};
pub use lci::{
    Activity, CharacterisationMethod, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind,
    LciDatabase,
};
pub use path::FieldPath;
pub use quality::DataQuality;
pub use stage::LifeCycleStage;
pub use uncertainty::Uncertainty;
pub use units::{Dimension, Unit};
