//! Zuji's trust layer (issue 6): what makes a certified footprint and its carbon label
//! believable. Depends on `zuji-model` only: the store persists these types and the
//! server exposes them; nothing here touches a database or the network.
//!
//! - [`pcr`]: product category rules and the registry's adopted-standards list.
//! - [`conformance`]: does a product model meet its PCR?
//! - [`certification`]: the certification state machine.
//! - [`benchmark`]: category benchmarks (default / average / advanced) and grades.
//! - [`canonical`], [`keys`]: canonical JSON and Ed25519 signatures.
//! - [`merkle`], [`log`]: the RFC 9162 transparency log.
//! - [`label`]: carbon labels: signed statement, offline-verifiable QR payload, SVG/PNG.

pub mod benchmark;
pub mod canonical;
pub mod certification;
pub mod conformance;
pub mod keys;
pub mod label;
pub mod log;
pub mod merkle;
pub mod pcr;
