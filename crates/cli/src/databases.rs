//! Which background databases a command uses: the bundled default plus any `--db` folders.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use zuji_model::lci::LciDatabase;

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// A background database in the tabular LCI layout (a folder); repeatable.
    #[arg(long = "db", value_name = "FOLDER")]
    pub dbs: Vec<PathBuf>,
    /// Do not load the bundled default database (zuji-default).
    #[arg(long)]
    pub no_default_db: bool,
}

impl DatabaseArgs {
    pub fn load(&self) -> anyhow::Result<Vec<LciDatabase>> {
        let mut out = Vec::new();
        if !self.no_default_db {
            out.push(
                zuji_formats::default_db::default_database()
                    .context("loading the bundled default database")?,
            );
        }
        for dir in &self.dbs {
            let db = zuji_formats::tabular::read_tabular(dir)
                .with_context(|| format!("loading the database in {}", dir.display()))?;
            if out.iter().any(|d: &LciDatabase| d.meta.id == db.meta.id) {
                anyhow::bail!(
                    "two databases have the id '{}' ({}); give one a different id in its database.toml",
                    db.meta.id,
                    dir.display()
                );
            }
            out.push(db);
        }
        Ok(out)
    }
}
