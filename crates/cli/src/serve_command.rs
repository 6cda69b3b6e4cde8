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
    /// A config file (TOML: listen, database, workers, rate_limit_per_second, max_body_megabytes).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
        let url = format!("http://{}", config.listen);
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
