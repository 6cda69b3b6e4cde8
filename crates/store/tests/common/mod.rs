//! The shared test stores (see `zuji_store::testing`).

#![allow(unused_imports)]
pub use zuji_store::testing::{both, postgres, sqlite};
