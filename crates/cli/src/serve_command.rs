//! `zuji serve` (the platform) and `zuji worker` (a job worker process).

use crate::platform::{ConfigFile, StoreArgs, init_logging, runtime};
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use zuji_server::ServerConfig;
use zuji_server::bootstrap;
use zuji_store::{OrgKind, PageRequest, Viewer};

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Also create demo organisations and logins, with the examples computed and disclosed.
    #[arg(long)]
    pub demo: bool,
    /// In-process job workers (0 when `zuji worker` processes run the queue).
    #[arg(long)]
    pub workers: Option<usize>,
    /// A config file (TOML: listen, database, workers, rate_limit_per_second,
    /// max_body_megabytes, public_cache_ms, public_url, tls_cert, tls_key, http_listen).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The address partners reach this server at (PACT token endpoint, event source).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Serve HTTPS with this PEM certificate chain (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve HTTPS with a self-signed certificate for localhost made in the data
    /// directory (development and tests; partners must trust it explicitly).
    #[arg(long, conflicts_with = "tls_cert")]
    pub tls_self_signed: bool,
    /// With TLS, also listen for plain HTTP here (PACT endpoints refused on it).
    #[arg(long, value_name = "ADDR")]
    pub http_listen: Option<SocketAddr>,
}

pub fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    init_logging();
    let file = match &args.config {
        Some(p) => ConfigFile::read(p)?,
        None => ConfigFile::default(),
    };
    let mut store_args = args.store.clone();
    if store_args.database.is_none() {
        store_args.database = file.database.clone();
    }
    let mut config = ServerConfig::default();
    if let Some(l) = &file.listen {
        config.listen = l
            .parse()
            .with_context(|| format!("listen = '{l}' is not an address like 127.0.0.1:8080"))?;
    }
    if let Some(l) = args.listen {
        config.listen = l;
    }
    config.workers = args.workers.or(file.workers).unwrap_or(config.workers);
    if let Some(r) = file.rate_limit_per_second {
        config.rate_limit_per_second = r;
    }
    if let Some(ms) = file.public_cache_ms {
        config.public_cache_ttl = std::time::Duration::from_millis(ms);
    }
    if let Some(m) = file.max_body_megabytes {
        config.max_body_bytes = m << 20;
    }
    config.public_url = args.public_url.clone().or(file.public_url.clone());
    config.tls = match (&args.tls_cert, &args.tls_key, &file.tls_cert, &file.tls_key) {
        (Some(cert), Some(key), _, _) | (None, None, Some(cert), Some(key)) => {
            Some(zuji_server::tls::TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            })
        }
        (None, None, Some(_), None) | (None, None, None, Some(_)) => {
            anyhow::bail!("the config file needs both tls_cert and tls_key")
        }
        _ if args.tls_self_signed => {
            let files = zuji_server::tls::self_signed(&store_args.data_dir, &[])
                .context("making the self-signed certificate")?;
            println!(
                "HTTPS certificate (self-signed, trust it explicitly): {}",
                files.cert.display()
            );
            Some(files)
        }
        _ => None,
    };
    config.plain_listen = match (args.http_listen, &file.http_listen) {
        (Some(a), _) => Some(a),
        (None, Some(a)) => Some(
            a.parse()
                .with_context(|| format!("http_listen = '{a}' is not an address"))?,
        ),
        _ => None,
    };
    if config.plain_listen.is_some() && config.tls.is_none() {
        anyhow::bail!(
            "--http-listen is for a plain listener beside HTTPS; give --tls-cert/--tls-key or --tls-self-signed"
        );
    }
    runtime()?.block_on(async move {
        let store = store_args.open().await?;
        if bootstrap::ensure_default_database(&store).await? {
            tracing::info!("stored the bundled default database");
        }
        let (examples, created) =
            bootstrap::ensure_org(&store, bootstrap::EXAMPLES_ORG, OrgKind::Enterprise).await?;
        if created {
            bootstrap::load_examples(&store, examples).await?;
        }
        let added = store
            .ensure_bundled_pcrs()
            .await
            .context("loading the bundled product category rules")?;
        if added > 0 {
            tracing::info!(added, "stored the bundled product category rules");
        }
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let url = format!("{scheme}://{}", config.listen);
        if args.demo {
            let logins = bootstrap::create_demo(&store).await?;
            println!("Demo logins (passwords are new at each start with --demo):");
            for l in &logins {
                println!("  {:<40} {}  {}", l.org, l.email, l.password);
            }
        } else if store
            .list_orgs(&Viewer::System, None, PageRequest::new(0, 2))
            .await?
            .total
            <= 1
        {
            println!("No accounts yet. Create an organisation and a user:");
            println!("  zuji admin create-org \"My Company\" --kind enterprise");
            println!("  zuji admin create-user me@example.com --org \"My Company\" --role admin");
            println!("or start with --demo for demo logins.");
        }
        // The registry's key signs tree heads; a wrong passphrase is found here, at start.
        match store.ensure_registry_signing_key().await {
            Ok(Some(key)) => {
                tracing::info!(key = key.key_id.as_str(), "registry signing key ready")
            }
            Ok(None) => {}
            Err(zuji_store::StoreError::Invalid { field, problem }) if field == "signing" => {
                tracing::warn!("{problem}")
            }
            Err(e) => return Err(e).context("the registry's signing key"),
        }
        println!("Zuji is running at {url}  (API: {url}/api/v1/openapi.json)");
        zuji_server::serve(store, config).await.context("serving")?;
        anyhow::Ok(())
    })
}

#[derive(Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Parallel workers in this process.
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
}

pub fn worker(args: &WorkerArgs) -> anyhow::Result<()> {
    init_logging();
    runtime()?.block_on(async move {
        let store = args.store.open().await?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut handles = Vec::new();
        for i in 0..args.concurrency.max(1) {
            let (store, stop) = (store.clone(), stop_rx.clone());
            handles.push(tokio::spawn(zuji_server::worker::run(
                store,
                zuji_server::worker::worker_name(i),
                stop,
                None,
            )));
        }
        zuji_server::shutdown_signal().await;
        let _ = stop_tx.send(true);
        for h in handles {
            let _ = h.await;
        }
        anyhow::Ok(())
    })
}
