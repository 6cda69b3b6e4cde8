//! The HTTP harness the server's integration tests share: the whole application in
//! process (no socket), signed-in callers, and the job queue driven by hand.

#![allow(dead_code)]

pub mod web;

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

/// Who takes part in a certification over the API: the enterprise applying, the
/// certification body reviewing (its token and organisation).
pub struct Certifying<'a> {
    pub api: &'a Api,
    pub enterprise: &'a str,
    pub body: &'a str,
    pub body_org: i64,
}

/// An action on an application over the API, which must succeed; its answer.
pub async fn act(api: &Api, token: &str, app: &str, action: Value) -> Value {
    let (status, out) = api
        .post(
            &format!("/certification/applications/{app}/actions"),
            Some(token),
            action,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    out
}

/// The certification walk up to the decision: the enterprise applies with `footprint`
/// under `pcr` (re-certifying `previous` if given) with one supporting document; the body
/// starts and completes the document review; the enterprise may not ask for the
/// recomputation, the body does and the job succeeds. Returns the application id.
pub async fn reviewed(
    store: &Store,
    c: &Certifying<'_>,
    footprint: i64,
    pcr: &str,
    previous: Option<&str>,
) -> String {
    let (status, app) = c
        .api
        .post(
            "/certification/applications",
            Some(c.enterprise),
            json!({
                "footprint_id": footprint,
                "certification_body_org_id": c.body_org,
                "pcr_id": pcr,
                "documents": [{"name": "bill of materials.xlsx", "sha256": "9f".repeat(32)}],
                "previous_certificate_id": previous,
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{app}");
    let id = app["id"].as_str().unwrap().to_string();
    act(
        c.api,
        c.body,
        &id,
        json!({"action": "start_document_review"}),
    )
    .await;
    act(
        c.api,
        c.body,
        &id,
        json!({"action": "complete_document_review", "note": "BOM and metering records reviewed"}),
    )
    .await;
    let url = format!("/certification/applications/{id}/verification");
    let (status, err) = c.api.post(&url, Some(c.enterprise), Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    let (status, job) = c.api.post(&url, Some(c.body), Value::Null).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(job["kind"], "certification_verification");
    drain(store).await;
    let (_, job) = c
        .api
        .get(&format!("/jobs/{}", job["id"]), Some(c.body))
        .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    id
}

/// The walk of [`reviewed`], then the approval: returns the application id and the
/// approval's answer (`{application, certificate, log_index}`).
pub async fn certified(
    store: &Store,
    c: &Certifying<'_>,
    footprint: i64,
    pcr: &str,
) -> (String, Value) {
    let app = reviewed(store, c, footprint, pcr, None).await;
    let out = act(
        c.api,
        c.body,
        &app,
        json!({"action": "approve", "certificate_id": ""}),
    )
    .await;
    assert_eq!(out["certificate"]["status"], "valid", "{out}");
    (app, out)
}

/// The body issues a label on `certificate` (201); the answer (`{label, qr_text, …}`).
pub async fn labelled(c: &Certifying<'_>, certificate: &str) -> Value {
    let (status, issued) = c
        .api
        .post(
            "/labels",
            Some(c.body),
            json!({"certificate_id": certificate}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    issued
}
