//! WBCSD PACT exchange: Zuji as a host partners pull footprints from (v3.0 and v2.3),
//! and as a client that pulls suppliers' footprints into its product models.
//!
//! - [`host`]: the PACT API at the server's root (`/auth/token`, `/3/…`, `/2/…`).
//! - [`filter`]: the v3 list filters; [`events`]: the CloudEvents partners post.
//! - [`workspace`]: the owner's side in `/api/v1/pact/…`.
//! - [`client`], [`jobs`], [`supplier`]: calls to partners, run as retried jobs, and
//!   what is done with what they return.

pub mod client;
pub mod events;
pub mod filter;
pub mod host;
pub mod jobs;
pub mod supplier;
pub mod time;
pub mod workspace;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// How the PACT host presents itself.
#[derive(Debug, Clone, Default)]
pub struct PactHostConfig {
    /// The address partners reach this server at (`https://pact.example.com`); the
    /// OpenID configuration names its token endpoint under it, and events this host
    /// sends name it as their `source`.
    pub public_url: Option<String>,
    /// Whether this server is reached over HTTPS (links it builds say `https`).
    pub https: bool,
}

/// The PACT host endpoints.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(host::token))
        .route(
            "/.well-known/openid-configuration",
            get(host::openid_configuration),
        )
        .route("/.well-known/jwks.json", get(host::jwks))
        .route("/3/footprints", get(host::list_v3))
        .route("/3/footprints/{id}", get(host::get_v3))
        .route("/3/events", post(host::events_v3))
        .route("/2/footprints", get(host::list_v2))
        .route("/2/footprints/{id}", get(host::get_v2))
        .route("/2/events", post(host::events_v2))
}

/// Whether a path belongs to the PACT host (refused over plain HTTP when TLS is on).
pub fn is_pact_path(path: &str) -> bool {
    path == "/auth/token"
        || path.starts_with("/.well-known/")
        || path.starts_with("/3/")
        || path == "/3"
        || path.starts_with("/2/")
        || path == "/2"
}
