//! Opening the platform's store from the command line: `--database URL`, else the
//! SQLite file in the data directory (created and migrated on first use), and the
//! optional config file.

use anyhow::Context;
use clap::Args;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use zuji_store::Store;

#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// The data directory (the SQLite file lives here unless --database is given).
    #[arg(long, value_name = "DIR", default_value = crate::data_dir::DEFAULT, global = true)]
    pub data_dir: PathBuf,
    /// A database URL: postgres://USER@HOST/DB, or sqlite:PATH.
    #[arg(long, value_name = "URL", global = true)]
    pub database: Option<String>,
}

impl StoreArgs {
    pub fn url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating the data directory {}", self.data_dir.display()))?;
        Ok(format!(
            "sqlite:{}",
            self.data_dir.join("zuji.sqlite").display()
        ))
    }

    /// Connects and applies pending migrations.
    pub async fn open(&self) -> anyhow::Result<Store> {
        let url = self.url()?;
        Store::open(&url)
            .await
            .with_context(|| format!("opening the store at {}", redact(&url)))
    }
}

fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((head, tail)) if head.contains("://") && head.rsplit(':').count() > 2 => {
            let scheme_user = head.rsplit_once(':').map(|(a, _)| a).unwrap_or(head);
            format!("{scheme_user}:***@{tail}")
        }
        _ => url.to_string(),
    }
}

/// `zuji.toml`: settings besides the flags (flags win).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub listen: Option<String>,
    pub database: Option<String>,
    pub workers: Option<usize>,
    pub rate_limit_per_second: Option<u32>,
    pub max_body_megabytes: Option<usize>,
    /// Milliseconds a public read is served from memory (0: off).
    pub public_cache_ms: Option<u64>,
    /// The address partners reach this server at, e.g. `https://pact.example.com`.
    pub public_url: Option<String>,
    /// PEM certificate chain and key: serve HTTPS.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// A plain-HTTP listener beside HTTPS (PACT endpoints refused there).
    pub http_listen: Option<String>,
}

impl ConfigFile {
    pub fn read(path: &Path) -> anyhow::Result<ConfigFile> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{}: not a Zuji config file", path.display()))
    }
}

/// A runtime for the async store and server.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Structured logs on stderr: `RUST_LOG` filters, `ZUJI_LOG_FORMAT=json` for JSON lines.
pub fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("ZUJI_LOG_FORMAT").as_deref() == Ok("json") {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hides_passwords() {
        assert_eq!(
            super::redact("postgres://u:pw@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("sqlite:x.sqlite"), "sqlite:x.sqlite");
    }
}
