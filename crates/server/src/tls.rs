//! HTTPS: rustls (ring provider) behind axum's listener interface, a self-signed
//! certificate for development and tests, and the rule that PACT endpoints are never
//! answered over plain HTTP (PACT v3 requires HTTPS; the conformance tests 9–11 and 17
//! check that a plain request gets no data).

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A certificate chain and its private key, PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn io_err(what: impl std::fmt::Display) -> io::Error {
    io::Error::other(what.to_string())
}

/// Makes (once) a self-signed certificate for `localhost`, `127.0.0.1` and `::1` in
/// `dir` (`tls/cert.pem`, `tls/key.pem`), for development and tests only: partners
/// must be told to trust it explicitly (`NODE_EXTRA_CA_CERTS`, `ZUJI_EXTRA_CA_CERTS`).
pub fn self_signed(dir: &Path, extra_names: &[String]) -> io::Result<TlsFiles> {
    let tls_dir = dir.join("tls");
    let files = TlsFiles {
        cert: tls_dir.join("cert.pem"),
        key: tls_dir.join("key.pem"),
    };
    if files.cert.exists() && files.key.exists() {
        return Ok(files);
    }
    std::fs::create_dir_all(&tls_dir)?;
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    names.extend(extra_names.iter().cloned());
    let cert = rcgen::generate_simple_self_signed(names)
        .map_err(|e| io_err(format!("making a self-signed certificate: {e}")))?;
    std::fs::write(&files.cert, cert.cert.pem())?;
    write_private(&files.key, cert.signing_key.serialize_pem().as_bytes())?;
    Ok(files)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::write(path, bytes)
}

/// A TLS acceptor for the files, with HTTP/1.1 offered by ALPN.
pub fn acceptor(files: &TlsFiles) -> io::Result<TlsAcceptor> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| io_err(format!("{}: {e}", files.cert.display())))?
        .collect::<Result<_, _>>()
        .map_err(|e| io_err(format!("{}: {e}", files.cert.display())))?;
    if certs.is_empty() {
        return Err(io_err(format!(
            "{}: no certificate in the file",
            files.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| io_err(format!("{}: {e}", files.key.display())))?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(io_err)?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| {
        io_err(format!(
            "{} and {}: {e}",
            files.cert.display(),
            files.key.display()
        ))
    })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Accepts TCP connections and completes TLS handshakes off the accept loop (a slow or
/// plain-HTTP client cannot hold up others); axum serves the finished streams.
pub struct TlsListener {
    ready: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, PeerAddr)>,
    local: SocketAddr,
}

/// The peer of a TLS connection. (axum gives `ConnectInfo<SocketAddr>` only for its own
/// listeners; [`peer_as_socket_addr`] passes this on as that, for the rate limit.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, TlsListener>>
    for PeerAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, TlsListener>) -> Self {
        *stream.remote_addr()
    }
}

/// Makes the TLS peer address available as `ConnectInfo<SocketAddr>`.
pub async fn peer_as_socket_addr(mut req: Request, next: Next) -> Response {
    if let Some(axum::extract::ConnectInfo(PeerAddr(a))) = req
        .extensions()
        .get::<axum::extract::ConnectInfo<PeerAddr>>()
        .copied()
    {
        req.extensions_mut().insert(axum::extract::ConnectInfo(a));
    }
    next.run(req).await
}

impl TlsListener {
    pub async fn bind(addr: SocketAddr, acceptor: TlsAcceptor) -> io::Result<TlsListener> {
        let tcp = TcpListener::bind(addr).await?;
        let local = tcp.local_addr()?;
        let (tx, ready) = tokio::sync::mpsc::channel(128);
        tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, as axum does.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                if tx.is_closed() {
                    return;
                }
                let (acceptor, ready) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream))
                        .await
                    {
                        Ok(Ok(tls)) => {
                            let _ = ready.send((tls, PeerAddr(peer))).await;
                        }
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake refused"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = PeerAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(c) => c,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(PeerAddr(self.local))
    }
}

/// On a plain-HTTP listener of a server that has TLS: PACT endpoints answer 403 with
/// no data (never a redirect, which a client would follow with its credentials).
pub async fn refuse_pact_over_http(req: Request, next: Next) -> Response {
    if crate::pact::is_pact_path(req.uri().path()) {
        return (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({
                "code": "AccessDenied",
                "message": "PACT endpoints are served over HTTPS only"
            })),
        )
            .into_response();
    }
    next.run(req).await
}
