//! `zuji log verify`: check a copy of the public transparency log end to end — every
//! entry in order, every signed tree head's signature (registry keys only) and root,
//! and that the heads are consistent with each other — from a running registry
//! (`--url`) or a saved copy (`--dir`, as written by `zuji log fetch`).

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::Value;
use std::path::{Path, PathBuf};
use zuji_trust::keys::KeyRing;
use zuji_trust::log::{LogEntry, SignedTreeHead, verify_log_copy};

#[derive(Args, Debug)]
pub struct LogArgs {
    #[command(subcommand)]
    pub command: LogCommand,
}

#[derive(Subcommand, Debug)]
pub enum LogCommand {
    /// Verify a remote log (`--url https://registry.example`) or a saved copy (`--dir`).
    Verify {
        #[arg(long, conflicts_with = "dir", required_unless_present = "dir")]
        url: Option<String>,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Save a copy of a remote log (entries.json, heads.json, keys.json) to verify later.
    Fetch {
        #[arg(long)]
        url: String,
        #[arg(long)]
        out: PathBuf,
    },
}

struct LogCopy {
    entries: Vec<LogEntry>,
    heads: Vec<SignedTreeHead>,
    keys: KeyRing,
}

/// An HTTP client trusting the system's roots plus `ZUJI_EXTRA_CA_CERTS` (also used by
/// `zuji verify`).
pub(crate) fn http_client() -> anyhow::Result<reqwest::Client> {
    let tls = zuji_server::pact::client::tls_config().map_err(|e| anyhow::anyhow!("{e}"))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
        .context("HTTP client")
}

pub(crate) async fn get(client: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    let resp = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let body: Value = resp
        .json()
        .await
        .with_context(|| format!("GET {url}: not JSON"))?;
    if !status.is_success() {
        bail!("GET {url}: {status}: {body}");
    }
    Ok(body)
}

async fn fetch(url: &str) -> anyhow::Result<LogCopy> {
    let base = url.trim_end_matches('/');
    let client = http_client()?;
    let keys: KeyRing = serde_json::from_value(get(&client, &format!("{base}/keys")).await?)
        .context("the published keys are not a key ring")?;
    let heads: Vec<SignedTreeHead> =
        serde_json::from_value(get(&client, &format!("{base}/log/sths")).await?["heads"].take())
            .context("the tree heads are not readable")?;
    let mut entries: Vec<LogEntry> = Vec::new();
    loop {
        let start = entries.len();
        let page = get(
            &client,
            &format!("{base}/log/entries?start={start}&end={}", start + 1000),
        )
        .await?;
        let size = page["size"].as_u64().unwrap_or(0) as usize;
        let batch: Vec<LogEntry> = serde_json::from_value(page["entries"].clone())
            .context("the entries are not readable")?;
        if batch.is_empty() {
            if entries.len() < size {
                bail!(
                    "the log says it has {size} entries but served only {}",
                    entries.len()
                );
            }
            break;
        }
        entries.extend(batch);
        if entries.len() >= size {
            break;
        }
    }
    Ok(LogCopy {
        entries,
        heads,
        keys,
    })
}

fn read_json<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> anyhow::Result<T> {
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a log copy file", path.display()))
}

fn verify(copy: &LogCopy, source: &str) -> anyhow::Result<()> {
    // Only the registry signs tree heads.
    let registry = copy.keys.owned_by(zuji_store::REGISTRY_KEY_OWNER);
    // The error's own text already names its cause; no chain to repeat it.
    let verified = verify_log_copy(&copy.entries, &copy.heads, &registry)
        .map_err(|e| anyhow::anyhow!("the log at {source} does not verify: {e}"))?;
    println!(
        "log verified: {} entries, {} signed tree heads, all consistent ({source})",
        copy.entries.len(),
        copy.heads.len()
    );
    let _ = verified;
    if let Some(h) = copy.heads.last() {
        println!("latest head: size {} root {}", h.tree_size, h.root_hash);
    }
    Ok(())
}

pub fn run(args: &LogArgs) -> anyhow::Result<()> {
    match &args.command {
        LogCommand::Verify { url: Some(url), .. } => {
            let copy = crate::platform::runtime()?.block_on(fetch(url))?;
            verify(&copy, url)
        }
        LogCommand::Verify { dir: Some(dir), .. } => {
            let copy = LogCopy {
                entries: read_json(dir, "entries.json")?,
                heads: read_json(dir, "heads.json")?,
                keys: read_json(dir, "keys.json")?,
            };
            verify(&copy, &dir.display().to_string())
        }
        LogCommand::Verify { .. } => bail!("give --url or --dir"),
        LogCommand::Fetch { url, out } => {
            let copy = crate::platform::runtime()?.block_on(fetch(url))?;
            std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
            for (name, value) in [
                ("entries.json", serde_json::to_string_pretty(&copy.entries)?),
                ("heads.json", serde_json::to_string_pretty(&copy.heads)?),
                ("keys.json", serde_json::to_string_pretty(&copy.keys)?),
            ] {
                std::fs::write(out.join(name), value)
                    .with_context(|| format!("writing {}", out.join(name).display()))?;
            }
            println!(
                "saved {} entries and {} heads to {}",
                copy.entries.len(),
                copy.heads.len(),
                out.display()
            );
            Ok(())
        }
    }
}
