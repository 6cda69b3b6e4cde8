//! Operations: `/healthz` (the process is up), `/readyz` (the database answers),
//! Prometheus metrics at `/metrics`, per-request logs, and rate limiting per client.

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct RouteStats {
    count_by_status: HashMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    sum_seconds: f64,
    count: u64,
}

/// Request and job counters, rendered in the Prometheus text format.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<HashMap<(String, String), RouteStats>>,
    pub jobs_succeeded: AtomicU64,
    pub jobs_failed: AtomicU64,
    pub jobs_retried: AtomicU64,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let s = routes
            .entry((method.to_string(), route.to_string()))
            .or_default();
        *s.count_by_status.entry(status).or_default() += 1;
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                s.buckets[i] += 1;
            }
        }
        s.sum_seconds += seconds;
        s.count += 1;
    }

    fn render(&self, job_counts: &[(String, i64)]) -> String {
        let mut out = String::new();
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut keys: Vec<_> = routes.keys().cloned().collect();
        keys.sort();
        out.push_str("# HELP zuji_http_requests_total HTTP requests by method, route and status.\n# TYPE zuji_http_requests_total counter\n");
        for k in &keys {
            let s = &routes[k];
            let mut statuses: Vec<_> = s.count_by_status.iter().collect();
            statuses.sort();
            for (status, n) in statuses {
                let _ = writeln!(
                    out,
                    "zuji_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    k.0, k.1
                );
            }
        }
        out.push_str("# HELP zuji_http_request_duration_seconds Request latency.\n# TYPE zuji_http_request_duration_seconds histogram\n");
        for k in &keys {
            let s = &routes[k];
            let labels = format!("method=\"{}\",route=\"{}\"", k.0, k.1);
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "zuji_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "zuji_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "zuji_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_seconds
            );
            let _ = writeln!(
                out,
                "zuji_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        out.push_str("# HELP zuji_jobs Jobs in the queue by status (all processes).\n# TYPE zuji_jobs gauge\n");
        for (status, n) in job_counts {
            let _ = writeln!(out, "zuji_jobs{{status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP zuji_worker_jobs_total Jobs this process's workers finished.\n# TYPE zuji_worker_jobs_total counter\n");
        for (outcome, v) in [
            ("succeeded", &self.jobs_succeeded),
            ("failed", &self.jobs_failed),
            ("retried", &self.jobs_retried),
        ] {
            let _ = writeln!(
                out,
                "zuji_worker_jobs_total{{outcome=\"{outcome}\"}} {}",
                v.load(Ordering::Relaxed)
            );
        }
        out
    }
}

/// Token buckets per client: a bearer token's hash or the peer address.
pub struct RateLimiter {
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> RateLimiter {
        RateLimiter {
            per_second: per_second.max(1) as f64,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token; `Err(seconds)` says how long until the next one.
    fn take(&self, key: &str) -> Result<(), f64> {
        let burst = self.per_second * 2.0;
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Forget idle clients rather than grow without bound.
            map.retain(|_, (tokens, at)| *tokens < burst && now.duration_since(*at).as_secs() < 60);
        }
        let (tokens, at) = map.entry(key.to_string()).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - *tokens) / self.per_second)
        }
    }
}

pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let key = {
        let (parts, body) = req.into_parts();
        // The peer address first: keying by token alone would give every invented token
        // a fresh bucket.
        let key = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| format!("a:{}", c.0.ip()))
            .or_else(|| {
                crate::caller::bearer(&parts).map(|t| format!("t:{}", &t[..t.len().min(24)]))
            })
            .unwrap_or_else(|| "anonymous".into());
        (key, Request::from_parts(parts, body))
    };
    let (key, req) = key;
    match state.limiter.take(&key) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let mut r = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests; slow down",
            )
            .into_response();
            if let Ok(v) = axum::http::HeaderValue::from_str(&format!("{}", wait.ceil() as u64)) {
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            r
        }
    }
}

/// Logs each request and records its latency under its route template.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    let seconds = start.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    state.metrics.observe(&method, &route, status, seconds);
    tracing::info!(%method, %route, status, ms = seconds * 1000.0, "request");
    response
}

/// Gives every error the API's JSON body, including the plain-text rejections of the
/// framework (a malformed JSON body, a wrong content type, a bad path parameter).
pub async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 << 10)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&text).trim().to_string();
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        message
    };
    let mut out = ApiError::new(status, code, message).into_response();
    for (k, v) in parts.headers.iter() {
        if k != axum::http::header::CONTENT_TYPE && k != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database unavailable: {e}"),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let counts = state.store.job_counts().await.unwrap_or_default();
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(&counts),
    )
        .into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_refills_at_its_rate() {
        let l = RateLimiter::new(1);
        assert!(l.take("k").is_ok() && l.take("k").is_ok(), "burst of two");
        let wait = l.take("k").unwrap_err();
        assert!(wait > 0.9 && wait <= 1.0, "{wait}");
        assert!(l.take("other").is_ok(), "buckets are per client");
    }

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.observe("GET", "/x", 200, 0.003);
        m.observe("GET", "/x", 404, 0.3);
        let text = m.render(&[("queued".into(), 2)]);
        assert!(
            text.contains("zuji_http_requests_total{method=\"GET\",route=\"/x\",status=\"200\"} 1")
        );
        assert!(text.contains("le=\"0.005\"} 1\n"), "{text}");
        assert!(text.contains("le=\"1\"} 2\n"), "{text}");
        assert!(text.contains("zuji_jobs{status=\"queued\"} 2"));
    }
}
