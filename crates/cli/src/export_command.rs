//! `zuji export MODEL --format jsonld --out FILE.zip`: a product model, joined to its
//! background databases, as an openLCA JSON-LD (olca-schema 2) package with a product
//! system (see `zuji_formats::jsonld` for what becomes what).

use crate::databases::DatabaseArgs;
use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use zuji_formats::jsonld::export_product_model_jsonld;
use zuji_formats::product_model::read_product_model;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// openLCA JSON-LD zip package (olca-schema 2).
    Jsonld,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The product model (.toml, .json or .xlsx).
    pub model: PathBuf,
    #[arg(long, value_enum, default_value = "jsonld")]
    pub format: ExportFormat,
    /// The package to write (FILE.zip).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub dbs: DatabaseArgs,
    /// GWP100 table written into the package as its LCIA method.
    #[arg(long, default_value = "ar6")]
    pub method: String,
}

pub fn run(a: &ExportArgs) -> anyhow::Result<()> {
    let loaded = read_product_model(&a.model)?;
    let dbs = a.dbs.load()?;
    let method = zuji_formats::default_db::gwp_table(&a.method).map_err(|e| anyhow!(e))?;
    let name = a
        .model
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    match a.format {
        ExportFormat::Jsonld => {
            export_product_model_jsonld(&loaded.model, &dbs, &method, &name, &a.out)
                .with_context(|| format!("{}: exporting to {}", loaded.file, a.out.display()))?
        }
    }
    println!(
        "wrote openLCA JSON-LD package of {} ({} processes in the model) to {}",
        loaded.file,
        loaded.model.processes.len(),
        a.out.display()
    );
    Ok(())
}
