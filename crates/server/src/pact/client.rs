//! Zuji as a PACT client: get a token from a partner, list and fetch its footprints
//! (following `Link: rel="next"`), and post events to it.
//!
//! Certificates are checked against the system's roots plus any PEM files named in
//! `ZUJI_EXTRA_CA_CERTS` (colon-separated), so a partner with a private or self-signed
//! certificate can be trusted explicitly, never by turning verification off.

use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// A failed call to a partner, naming the URL and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum PartnerError {
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url} answered {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("{url}: {problem}")]
    Protocol { url: String, problem: String },
    #[error("TLS setup: {0}")]
    Tls(String),
}

/// Which PACT API a partner speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V3,
    V2,
}

impl ApiVersion {
    pub fn parse(s: &str) -> ApiVersion {
        if s == "2" {
            ApiVersion::V2
        } else {
            ApiVersion::V3
        }
    }
    pub fn prefix(self) -> &'static str {
        match self {
            ApiVersion::V3 => "/3",
            ApiVersion::V2 => "/2",
        }
    }
}

/// An HTTP client for PACT partners.
#[derive(Clone)]
pub struct PartnerClient {
    http: reqwest::Client,
}

/// TLS for outbound calls: system roots plus `ZUJI_EXTRA_CA_CERTS`.
pub fn tls_config() -> Result<rustls::ClientConfig, PartnerError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable system certificates are skipped; the partner's own may still be given.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Ok(paths) = std::env::var("ZUJI_EXTRA_CA_CERTS") {
        use rustls::pki_types::pem::PemObject;
        for path in paths.split(':').filter(|p| !p.is_empty()) {
            let certs = rustls::pki_types::CertificateDer::pem_file_iter(path)
                .map_err(|e| PartnerError::Tls(format!("ZUJI_EXTRA_CA_CERTS {path}: {e}")))?;
            for cert in certs {
                let cert = cert
                    .map_err(|e| PartnerError::Tls(format!("ZUJI_EXTRA_CA_CERTS {path}: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| PartnerError::Tls(format!("ZUJI_EXTRA_CA_CERTS {path}: {e}")))?;
            }
        }
    }
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| PartnerError::Tls(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth())
}

fn transport(url: &str, e: reqwest::Error) -> PartnerError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    PartnerError::Transport {
        url: url.to_string(),
        message,
    }
}

async fn check(url: &str, resp: reqwest::Response) -> Result<reqwest::Response, PartnerError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let body = resp.text().await.unwrap_or_default();
    Err(PartnerError::Status {
        url: url.to_string(),
        status: status.as_u16(),
        body: body.chars().take(500).collect(),
    })
}

/// `https://host:port` of a URL (scheme and authority), for same-origin checks.
pub fn origin(url: &str) -> Option<&str> {
    let rest_at = url.find("://")? + 3;
    let end = url[rest_at..]
        .find(['/', '?', '#'])
        .map(|i| rest_at + i)
        .unwrap_or(url.len());
    Some(&url[..end])
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        params
            .split(';')
            .any(|p| {
                let p = p.trim();
                p == "rel=\"next\"" || p == "rel=next"
            })
            .then(|| target.to_string())
    })
}

impl PartnerClient {
    /// One client per process: building it reads the system's certificates, which need
    /// not happen for every job (a failure is not kept, so a fixed setup is retried).
    pub fn shared() -> Result<PartnerClient, PartnerError> {
        static SHARED: std::sync::Mutex<Option<PartnerClient>> = std::sync::Mutex::new(None);
        let mut slot = SHARED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let client = PartnerClient::new()?;
        *slot = Some(client.clone());
        Ok(client)
    }

    pub fn new() -> Result<PartnerClient, PartnerError> {
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| PartnerError::Tls(e.to_string()))?;
        Ok(PartnerClient { http })
    }

    /// The partner's token endpoint: from its OpenID configuration when it publishes
    /// one on the same origin, else `{base}/auth/token` (PACT's default).
    async fn token_endpoint(&self, base: &str) -> String {
        let fallback = format!("{base}/auth/token");
        let url = format!("{base}/.well-known/openid-configuration");
        let Ok(resp) = self.http.get(&url).send().await else {
            return fallback;
        };
        if !resp.status().is_success() {
            return fallback;
        }
        let Ok(doc) = resp.json::<Value>().await else {
            return fallback;
        };
        match doc.get("token_endpoint").and_then(Value::as_str) {
            // Credentials go only to the partner's own origin.
            Some(t) if origin(t) == origin(base) => t.to_string(),
            _ => fallback,
        }
    }

    /// An access token from the partner (OAuth2 client credentials, HTTP Basic).
    pub async fn token(
        &self,
        base: &str,
        client_id: &str,
        secret: &str,
    ) -> Result<String, PartnerError> {
        let url = self.token_endpoint(base).await;
        let resp = self
            .http
            .post(&url)
            .basic_auth(client_id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| transport(&url, e))?;
        let body: Value = check(&url, resp)
            .await?
            .json()
            .await
            .map_err(|e| transport(&url, e))?;
        body.get("access_token")
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| PartnerError::Protocol {
                url,
                problem: "the token response has no access_token".into(),
            })
    }

    /// Every footprint the partner shares with us, following its pagination links.
    pub async fn list_footprints(
        &self,
        base: &str,
        token: &str,
        version: ApiVersion,
    ) -> Result<Vec<Value>, PartnerError> {
        let mut url = format!("{base}{}/footprints", version.prefix());
        let mut out = Vec::new();
        // A host that keeps answering with a next link would otherwise hold a worker.
        for _ in 0..10_000 {
            let resp = self
                .http
                .get(&url)
                .bearer_auth(token)
                .send()
                .await
                .map_err(|e| transport(&url, e))?;
            let resp = check(&url, resp).await?;
            let next = resp
                .headers()
                .get_all(reqwest::header::LINK)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(next_link);
            let body: Value = resp.json().await.map_err(|e| transport(&url, e))?;
            let Some(Value::Array(items)) = body.get("data") else {
                return Err(PartnerError::Protocol {
                    url,
                    problem: "the response has no 'data' list".into(),
                });
            };
            out.extend(items.iter().cloned());
            match next {
                Some(n) if origin(&n) == origin(base) => url = n,
                Some(n) => {
                    return Err(PartnerError::Protocol {
                        url,
                        problem: format!("its next link {n} leaves the partner's origin"),
                    });
                }
                None => return Ok(out),
            }
        }
        Err(PartnerError::Protocol {
            url,
            problem: "more than 10,000 pages".into(),
        })
    }

    /// One footprint by PACT id.
    pub async fn get_footprint(
        &self,
        base: &str,
        token: &str,
        version: ApiVersion,
        id: &str,
    ) -> Result<Value, PartnerError> {
        let url = format!("{base}{}/footprints/{id}", version.prefix());
        let resp = self
            .http
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| transport(&url, e))?;
        let body: Value = check(&url, resp)
            .await?
            .json()
            .await
            .map_err(|e| transport(&url, e))?;
        body.get("data")
            .cloned()
            .ok_or_else(|| PartnerError::Protocol {
                url,
                problem: "the response has no 'data'".into(),
            })
    }

    /// Posts a CloudEvent (structured mode) to a partner's events endpoint.
    pub async fn post_event(
        &self,
        url: &str,
        token: &str,
        event: &Value,
    ) -> Result<(), PartnerError> {
        let resp = self
            .http
            .post(url)
            .bearer_auth(token)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/cloudevents+json; charset=UTF-8",
            )
            .body(event.to_string())
            .send()
            .await
            .map_err(|e| transport(url, e))?;
        check(url, resp).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links() {
        let h = r#"<https://a.example/3/footprints?offset=1&limit=10>; rel="first", <https://a.example/3/footprints?offset=3&limit=10>; rel="next""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://a.example/3/footprints?offset=3&limit=10")
        );
        assert_eq!(next_link(r#"<https://a/x>; rel="prev""#), None);
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://a.example:8443/3/x?y"),
            Some("https://a.example:8443")
        );
        assert_eq!(
            origin("http://127.0.0.1:8004"),
            Some("http://127.0.0.1:8004")
        );
        assert_eq!(origin("no-scheme"), None);
    }
}
