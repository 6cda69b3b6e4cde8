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
mod landing;
pub mod openapi;
mod ops;
mod public_cache;
mod routes;
mod upload;
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
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 512 << 20,
            rate_limit_per_second: 200,
            workers: 1,
            public_cache_ttl: std::time::Duration::from_secs(1),
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
}

impl AppState {
    pub fn new(store: Store, config: &ServerConfig) -> AppState {
        AppState {
            store,
            metrics: Arc::new(ops::Metrics::default()),
            limiter: Arc::new(ops::RateLimiter::new(config.rate_limit_per_second)),
            public_cache: Arc::new(public_cache::PublicCache::new(config.public_cache_ttl)),
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
        .merge(ops::router())
        .route("/", axum::routing::get(landing::index))
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
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(address = %config.listen, "listening");
    // The peer address keys the rate limit of requests without a token.
    axum::serve(
        listener,
        app(state, &config).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    let _ = stop_tx.send(true);
    for h in worker_handles {
        let _ = h.await;
    }
    store.close().await;
    Ok(())
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
