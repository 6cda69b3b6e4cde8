//! The HTTP harness the server's integration tests share: the whole application in
//! process (no socket), signed-in callers, and the job queue driven by hand.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;
use zuji_server::{AppState, ServerConfig, app, bootstrap, worker};
use zuji_store::{OrgKind, Role, Store, Viewer};

pub const PASSWORD: &str = "a long enough password";

pub struct Api {
    pub router: axum::Router,
}

/// A response: status, headers' content type, and the body as bytes.
pub struct Raw {
    pub status: StatusCode,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Api {
    pub fn new(store: &Store) -> Api {
        Api::with_config(
            store,
            ServerConfig {
                rate_limit_per_second: 100_000,
                // Tests read again right after writing; the one-second public cache has
                // its own test (api.rs).
                public_cache_ttl: std::time::Duration::ZERO,
                ..Default::default()
            },
        )
    }

    pub fn with_config(store: &Store, config: ServerConfig) -> Api {
        Api {
            router: app(AppState::new(store.clone(), &config), &config),
        }
    }

    /// Any request; `uri` is absolute (`/api/v1/…`, `/verify/…`).
    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Raw {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if !body.is_empty() {
            req = req.header("content-type", content_type);
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec();
        Raw {
            status,
            content_type,
            bytes,
        }
    }

    /// A request under `/api/v1`, the answer read as JSON (`Null` when it is not).
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let r = self
            .raw(method, &format!("/api/v1{uri}"), token, content_type, body)
            .await;
        (
            r.status,
            serde_json::from_slice(&r.bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn json(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        self.call(method, uri, token, "application/json", bytes)
            .await
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.json(Method::GET, uri, token, Value::Null).await
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.json(Method::POST, uri, token, body).await
    }
}

pub async fn login(api: &Api, email: &str) -> String {
    let (status, body) = api
        .post(
            "/auth/login",
            None,
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

/// A user of organisation `org` (made if missing); returns the organisation's id.
pub async fn user(store: &Store, org: &str, kind: OrgKind, email: &str, role: Role) -> i64 {
    let (id, _) = bootstrap::ensure_org(store, org, kind).await.unwrap();
    store
        .create_user(&Viewer::System, email, id, role, PASSWORD)
        .await
        .unwrap();
    id
}

/// Runs every queued job.
pub async fn drain(store: &Store) {
    while worker::run_next(store, "test-worker").await.unwrap() {}
}

/// Uploads a TOML model as a new product, computes it, and returns the footprint id.
pub async fn computed_footprint(api: &Api, store: &Store, token: &str, model: &str) -> i64 {
    let (status, created) = api
        .call(
            Method::POST,
            "/products",
            Some(token),
            "application/toml",
            model.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let pid = created["product"]["id"].as_i64().unwrap();
    let (status, job) = api
        .post(
            &format!("/products/{pid}/footprints"),
            Some(token),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    drain(store).await;
    let (_, job) = api.get(&format!("/jobs/{}", job["id"]), Some(token)).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    job["result"]["footprint_id"].as_i64().unwrap()
}

/// The `message` of an error body.
pub fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}
