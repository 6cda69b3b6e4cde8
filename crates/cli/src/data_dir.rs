//! The data directory the command line shares with the platform (`--data-dir`,
//! default `./zuji-data`): imported background databases live in `databases/<name>/`
//! in the tabular layout until the store crate takes them over.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

pub const DEFAULT: &str = "zuji-data";

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: &Path) -> DataDir {
        DataDir {
            root: root.to_path_buf(),
        }
    }

    fn databases(&self) -> PathBuf {
        self.root.join("databases")
    }

    /// Where a database of this name lives (whether or not it exists yet).
    pub fn database_path(&self, name: &str) -> anyhow::Result<PathBuf> {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !name.starts_with('.');
        if !ok {
            bail!(
                "'{name}' is not a usable database name (letters, digits, '-', '_' and '.'; not starting with '.')"
            );
        }
        Ok(self.databases().join(name))
    }

    /// The names of the databases imported so far, sorted.
    pub fn database_names(&self) -> anyhow::Result<Vec<String>> {
        let dir = self.databases();
        if !dir.exists() {
            return Ok(Vec::new());
        }
        let mut names = Vec::new();
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let entry = entry?;
            if entry.path().join("activities.csv").exists() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Creates the directory tree on first use.
    pub fn ensure(&self) -> anyhow::Result<()> {
        std::fs::create_dir_all(self.databases())
            .with_context(|| format!("creating the data directory {}", self.root.display()))
    }
}
