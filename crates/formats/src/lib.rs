//! Reading and writing the world's files: product models (TOML/JSON), the tabular LCI
//! layout (CSV), the bundled default database, and other tools' formats. Every reader
//! returns an error that names the file, the line or element and the field; none panics,
//! none imports half-way.

pub mod default_db;
pub mod detect;
pub mod ecospold1;
pub mod ecospold2;
pub mod epd;
pub mod ghg_flows;
pub mod ilcd;
pub mod import;
pub mod jsonld;
pub mod pact;
pub mod product_model;
pub mod tabular;
pub mod tidas;
pub mod xlsx;
pub(crate) mod xml_walk;
