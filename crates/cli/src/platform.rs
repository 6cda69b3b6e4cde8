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
    /// A file holding the passphrase the signing keys are encrypted with (the
    /// ZUJI_SIGNING_PASSPHRASE environment variable wins). Without either, the embedded
    /// SQLite store uses DATA_DIR/keys/signing-passphrase, made on first use.
    #[arg(long, value_name = "FILE", global = true)]
    pub signing_passphrase_file: Option<PathBuf>,
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

    /// Connects and applies pending migrations; the store signs with the configured
    /// passphrase ([`StoreArgs::signing_passphrase`]).
    pub async fn open(&self) -> anyhow::Result<Store> {
        let url = self.url()?;
        let store = Store::open(&url)
            .await
            .with_context(|| format!("opening the store at {}", redact(&url)))?;
        Ok(match self.signing_passphrase()? {
            Some(p) => store.with_signing_passphrase(&p),
            None => store,
        })
    }

    /// The signing-key passphrase: `ZUJI_SIGNING_PASSPHRASE`, else the file given, else
    /// for the embedded SQLite store `DATA_DIR/keys/signing-passphrase` (made with 32
    /// random bytes, readable by its owner only, the first time). A PostgreSQL
    /// deployment without one configured cannot sign, and says so when asked to.
    pub fn signing_passphrase(&self) -> anyhow::Result<Option<String>> {
        if let Ok(p) = std::env::var("ZUJI_SIGNING_PASSPHRASE")
            && !p.is_empty()
        {
            anyhow::ensure!(
                p.chars().count() >= 12,
                "ZUJI_SIGNING_PASSPHRASE: the signing passphrase must have at least 12 characters"
            );
            return Ok(Some(p));
        }
        let read = |path: &Path| -> anyhow::Result<String> {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("reading the signing passphrase from {}", path.display())
            })?;
            let p = text.trim_end_matches(['\n', '\r']).to_string();
            anyhow::ensure!(
                p.chars().count() >= 12,
                "{}: the signing passphrase must have at least 12 characters",
                path.display()
            );
            Ok(p)
        };
        if let Some(path) = &self.signing_passphrase_file {
            return read(path).map(Some);
        }
        let default = self.data_dir.join("keys").join("signing-passphrase");
        if default.exists() {
            return read(&default).map(Some);
        }
        if self.database.is_some() {
            return Ok(None);
        }
        let dir = self.data_dir.join("keys");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random bytes: {e}"))?;
        let passphrase: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_private(&default, &passphrase)?;
        tracing::info!(path = %default.display(), "made a signing passphrase for the embedded store");
        Ok(Some(passphrase))
    }
}

/// Writes a secret readable by its owner only.
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
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
