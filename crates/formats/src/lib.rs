//! Reading and writing the world's files: product models (TOML/JSON), the tabular LCI
//! layout (CSV), and the bundled default database. Every reader returns an error that
//! names the file, the line or cell and the field; none panics, none imports half-way.

pub mod default_db;
pub mod product_model;
pub mod tabular;
