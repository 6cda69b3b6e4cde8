//! Zuji's HTTP platform: the REST API under `/api/v1` (OpenAPI document at
//! `/api/v1/openapi.json`), background job workers, health, readiness and metrics.
//!
//! Handlers parse requests and shape responses; every read and write, and every
//! tenancy decision, goes through `zuji_store::Store`. The engine runs in workers,
//! never in a request.

pub mod bootstrap;
pub mod caller;
mod diff;
pub mod error;
mod label_check;
pub mod openapi;
mod ops;
pub mod pact;
mod public_cache;
mod routes;
pub mod study_report;
pub mod tls;
mod transparency;
mod upload;
mod verify_page;
pub mod web;
pub mod worker;

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use zuji_store::Store;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Largest request body accepted, in bytes (uploads of database packages).
    pub max_body_bytes: usize,
    /// Requests per second allowed per client (token or address), with bursts of
    /// twice that.
    pub rate_limit_per_second: u32,
    /// In-process job workers (0 when separate `zuji worker` processes run the queue).
    pub workers: usize,
    /// How long a public (credential-free) `GET` answer is served from memory; zero
    /// turns the cache off.
    pub public_cache_ttl: std::time::Duration,
    /// The address partners reach this server at (`https://pact.example.com`).
    pub public_url: Option<String>,
    /// Serve HTTPS with this certificate; PACT endpoints are then refused over any
    /// plain-HTTP listener.
    pub tls: Option<tls::TlsFiles>,
    /// A plain-HTTP listener beside the HTTPS one (for the web behind a proxy); PACT
    /// endpoints answer 403 there.
    pub plain_listen: Option<SocketAddr>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 512 << 20,
            rate_limit_per_second: 200,
            workers: 1,
            public_cache_ttl: std::time::Duration::from_secs(1),
            public_url: None,
            tls: None,
            plain_listen: None,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub metrics: Arc<ops::Metrics>,
    limiter: Arc<ops::RateLimiter>,
    public_cache: Arc<public_cache::PublicCache>,
    pub pact: Arc<pact::PactHostConfig>,
}

impl AppState {
    pub fn new(store: Store, config: &ServerConfig) -> AppState {
        AppState {
            store,
            metrics: Arc::new(ops::Metrics::default()),
            limiter: Arc::new(ops::RateLimiter::new(config.rate_limit_per_second)),
            public_cache: Arc::new(public_cache::PublicCache::new(config.public_cache_ttl)),
            pact: Arc::new(pact::PactHostConfig {
                public_url: config
                    .public_url
                    .as_ref()
                    .map(|u| u.trim_end_matches('/').to_string()),
                https: config.tls.is_some(),
            }),
        }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState, config: &ServerConfig) -> Router {
    let api = routes::api_router()
        .layer(axum::extract::DefaultBodyLimit::max(config.max_body_bytes))
        .layer(axum::middleware::from_fn(ops::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.public_cache.clone(),
            public_cache::serve_cached,
        ));
    Router::new()
        .nest("/api/v1", api)
        .merge(pact::router())
        .merge(transparency::router())
        .merge(ops::router())
        .merge(web::router())
        .route(
            "/verify/{label_id}",
            axum::routing::get(verify_page::verify),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::track,
        ))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight and stops the
/// workers once their current job is done.
pub async fn serve(store: Store, config: ServerConfig) -> std::io::Result<()> {
    let state = AppState::new(store.clone(), &config);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut worker_handles = Vec::new();
    for i in 0..config.workers {
        let store = store.clone();
        let stop = stop_rx.clone();
        let metrics = state.metrics.clone();
        worker_handles.push(tokio::spawn(async move {
            worker::run(store, worker::worker_name(i), stop, Some(metrics)).await
        }));
    }
    let heads = tokio::spawn(sign_tree_heads(store.clone(), stop_rx.clone()));
    let app = app(state, &config);
    match &config.tls {
        None => {
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            tracing::info!(address = %config.listen, "listening (HTTP)");
            // The peer address keys the rate limit of requests without a token.
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        }
        Some(files) => {
            let acceptor = tls::acceptor(files)?;
            let listener = tls::TlsListener::bind(config.listen, acceptor).await?;
            tracing::info!(address = %config.listen, "listening (HTTPS)");
            let plain = match config.plain_listen {
                Some(addr) => {
                    let l = tokio::net::TcpListener::bind(addr).await?;
                    tracing::info!(address = %addr, "listening (HTTP, PACT refused)");
                    let app = app
                        .clone()
                        .layer(axum::middleware::from_fn(tls::refuse_pact_over_http));
                    Some(tokio::spawn(async move {
                        axum::serve(l, app.into_make_service_with_connect_info::<SocketAddr>())
                            .with_graceful_shutdown(shutdown_signal())
                            .await
                    }))
                }
                None => None,
            };
            let app = app.layer(axum::middleware::from_fn(tls::peer_as_socket_addr));
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<tls::PeerAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await?;
            if let Some(p) = plain {
                let _ = p.await;
            }
        }
    }
    let _ = stop_tx.send(true);
    for h in worker_handles {
        let _ = h.await;
    }
    let _ = heads.await;
    store.close().await;
    Ok(())
}

/// How often the registry signs a new tree head when the log has grown (RFC 9162's
/// maximum merge delay, kept short: entries are appended in the same transaction as the
/// records they log, so only the signature lags).
const TREE_HEAD_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// Signs a tree head whenever the log has grown, until `stop`.
async fn sign_tree_heads(store: Store, mut stop: tokio::sync::watch::Receiver<bool>) {
    // A problem (no registry, no passphrase) is told once, not every tick.
    let mut last_problem = None;
    loop {
        match store.publish_tree_head_if_grown().await {
            Ok(Some(h)) => {
                tracing::info!(tree_size = h.tree_size, "signed a tree head");
                last_problem = None;
            }
            Ok(None) => {}
            Err(e) => {
                let problem = e.to_string();
                if last_problem.as_ref() != Some(&problem) {
                    tracing::warn!(error = %problem, "the transparency log's tree head is not being signed");
                    last_problem = Some(problem);
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(TREE_HEAD_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
