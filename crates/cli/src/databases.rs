//! Which background databases a command uses: the bundled default plus any `--db` folders.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use zuji_model::lci::LciDatabase;

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// A background database: the name of one imported into the data directory, or a
    /// folder in the tabular LCI layout; repeatable.
    #[arg(long = "db", value_name = "NAME|FOLDER", global = true)]
    pub dbs: Vec<PathBuf>,
    /// The data directory shared with the platform.
    #[arg(long, value_name = "DIR", default_value = crate::data_dir::DEFAULT, global = true)]
    pub data_dir: PathBuf,
    /// Do not load the bundled default database (zuji-default).
    #[arg(long, global = true)]
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
        let data = crate::data_dir::DataDir::new(&self.data_dir);
        for given in &self.dbs {
            // A bare name that is not a folder here means a database in the data directory.
            let dir = match given.to_str() {
                Some(name) if !given.exists() && !name.contains(['/', '\\']) => {
                    data.database_path(name)?
                }
                _ => given.clone(),
            };
            if !dir.join("activities.csv").exists() {
                anyhow::bail!(
                    "no database '{}': not a tabular folder, and not imported into {} (see `zuji db list`)",
                    given.display(),
                    self.data_dir.display()
                );
            }
            let db = zuji_formats::tabular::read_tabular(&dir)
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
