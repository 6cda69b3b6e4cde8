//! `zuji template xlsx` and `zuji import`: the Excel route for enterprises.

use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use zuji_formats::product_model::{read_product_model, to_toml};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateKind {
    Xlsx,
}

#[derive(Args, Debug)]
pub struct TemplateArgs {
    pub kind: TemplateKind,
    /// Where to write the blank workbook.
    #[arg(long, default_value = "zuji-product-template.xlsx")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A filled workbook (.xlsx), or a model in JSON to turn into TOML.
    pub model: PathBuf,
    /// Where to write the product model (TOML); default: print it.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn template(args: &TemplateArgs) -> anyhow::Result<()> {
    match args.kind {
        TemplateKind::Xlsx => {
            let db = zuji_formats::default_db::default_database()
                .context("loading the bundled default database")?;
            zuji_formats::xlsx::write_template(&args.out, &db)?;
            println!("wrote the blank product workbook to {}", args.out.display());
        }
    }
    Ok(())
}

pub fn import(args: &ImportArgs) -> anyhow::Result<()> {
    let loaded = read_product_model(&args.model)?;
    let errors = zuji_model::validate::validate(&loaded.model);
    if !errors.is_empty() {
        return Err(crate::footprint_command::explain(
            &loaded,
            zuji_calc::CalcError::Model(errors),
        ));
    }
    let text = to_toml(&loaded.model).map_err(|e| anyhow!("{}: {e}", loaded.file))?;
    match &args.out {
        Some(out) => {
            std::fs::write(out, &text).with_context(|| format!("writing {}", out.display()))?;
            println!(
                "wrote {} ({} processes) to {}",
                loaded.file,
                loaded.model.processes.len(),
                out.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}
