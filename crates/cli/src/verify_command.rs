//! `zuji verify`: check a carbon label (碳标识) — a PNG or SVG of the label, the text of
//! its QR code, or the bare `ZJ1.…` payload — offline against the published keys
//! (signature, signer, dates), then online against the registry: the certificate's
//! current status and the label's entry in the transparency log (docs/labels.md,
//! "zuji verify").
//!
//! The QR code is read from the pixels by `zuji_trust::label::scan_png` / `scan_svg`
//! (rqrr; an SVG is rasterised without fonts at a whole multiple of its width, so it
//! verifies on a machine without CJK fonts).

use anyhow::{Context, anyhow, bail};
use clap::Args;
use serde::Serialize;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use zuji_trust::keys::{KeyRing, UnixSeconds, VerifyError};
use zuji_trust::label::{
    self, CertificateStatusInfo, LabelError, LabelStatement, LabelVerdict, REGISTRY_KEY_OWNER,
    VerifiedLabel,
};
use zuji_trust::log::{
    EntryKind, InclusionProof, LogEntry, SignedTreeHead, verify_head, verify_inclusion,
};

use crate::log_command;

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The label: a PNG image, an SVG file, a text file holding its QR text, or (if no
    /// such file exists) the QR text itself (`https://…/verify/<id>?z=ZJ1.…`) or the bare
    /// `ZJ1.…` payload. `-` reads the text from stdin.
    #[arg(value_name = "INPUT")]
    pub input: String,
    /// The published key ring (JSON, as served at `<registry>/keys`). Without it the
    /// keys are fetched from the registry.
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// The registry's base URL, e.g. https://registry.example.org (default: the one in
    /// the QR code's verification URL, which is not signed).
    #[arg(long, value_name = "REGISTRY_BASE_URL")]
    pub url: Option<String>,
    /// Check the signature and dates only, without the network: no certificate status,
    /// no log inclusion. Needs --keys.
    #[arg(long)]
    pub offline: bool,
    /// Check as of this instant (RFC 3339, e.g. 2027-06-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Print one JSON object (stdout) instead of text, also when verification fails.
    #[arg(long)]
    pub json: bool,
}

/// Everything checked, printed as text or (`--json`) as this object.
#[derive(Debug, Default, Serialize)]
struct Report {
    /// True when every check passed; the exit status is 0 exactly then.
    ok: bool,
    /// The first failure, as printed on stderr.
    error: Option<String>,
    /// Every failure of the online checks (the first is `error`).
    failures: Vec<String>,
    warnings: Vec<String>,
    /// `png`, `svg`, `text file`, `stdin` or `argument`.
    input_kind: &'static str,
    input_path: Option<String>,
    /// The text read from the QR code (or given).
    qr_text: Option<String>,
    /// Unix seconds: `--at`, or the time of the check.
    checked_at: UnixSeconds,
    /// The label as signed (times in Unix seconds, `valid_until` exclusive).
    label: Option<LabelStatement>,
    signed_at: Option<UnixSeconds>,
    key_id: Option<String>,
    /// Owner of the signing key: the registry or the certification body.
    signer: Option<String>,
    /// `valid` once the signature, signer and dates verified.
    signature: Option<&'static str>,
    /// Where the keys came from: the file, or `<registry>/keys`.
    keys_source: Option<String>,
    /// The registry asked online (`--url`, else from the QR code).
    registry: Option<String>,
    /// True when `registry` was taken from the QR code rather than `--url`.
    registry_from_qr: bool,
    /// Whether the online checks ran; if not, `online_skipped` says why.
    online: bool,
    online_skipped: Option<String>,
    certificate: Option<StatusReport>,
    log: Option<LogReport>,
}

#[derive(Debug, Serialize)]
struct StatusReport {
    certificate_id: String,
    /// As the registry reports it: valid, suspended, withdrawn, expired, superseded.
    status: String,
    /// The label's verdict (`apply_status`): valid, revoked, suspended, expired, superseded.
    verdict: &'static str,
    reason: Option<String>,
}

#[derive(Debug, Serialize)]
struct LogReport {
    index: Option<u64>,
    /// `included`, `not_yet_covered` (no signed tree head covers the index yet) or
    /// `no_log_index` (the label names no entry).
    result: &'static str,
    tree_size: Option<u64>,
    root_hash: Option<String>,
    head_timestamp: Option<UnixSeconds>,
}

pub fn run(args: &VerifyArgs) -> anyhow::Result<()> {
    let mut report = Report::default();
    let result = check(args, &mut report);
    let result = result.and_then(|()| match report.failures.first() {
        Some(first) => Err(anyhow!("{first}")),
        None => Ok(()),
    });
    report.ok = result.is_ok();
    report.error = result.as_ref().err().map(|e| format!("{e:#}"));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    result
}

/// The label's text from the input, and what kind of input it was.
struct Input {
    text: String,
    kind: &'static str,
    path: Option<String>,
}

fn check(args: &VerifyArgs, report: &mut Report) -> anyhow::Result<()> {
    let now = match &args.at {
        Some(at) => parse_at(at)?,
        None => now(),
    };
    report.checked_at = now;
    let input = read_input(&args.input)?;
    report.input_kind = input.kind;
    report.input_path = input.path.clone();
    report.qr_text = Some(input.text.clone());

    // Decode first (nothing is trusted yet) to learn the registry from the URL.
    let decoded = label::decode_qr_payload(&input.text).map_err(|e| not_a_label(&input, &e))?;
    let base = match &args.url {
        Some(url) => Some(url.trim_end_matches('/').to_string()),
        None => decoded.verify_url.as_deref().and_then(base_of),
    };
    report.registry = base.clone();
    report.registry_from_qr = args.url.is_none() && base.is_some();

    let mut http: Option<Http> = None;
    let keys = match &args.keys {
        Some(path) => {
            report.keys_source = Some(path.display().to_string());
            read_keys(path)?
        }
        None if args.offline => bail!(
            "--offline needs the published keys: pass --keys FILE (the JSON served at <registry>/keys)"
        ),
        None => {
            let Some(base) = &base else {
                bail!(
                    "no registry to fetch the published keys from (the input is a bare {} payload): pass --keys FILE or --url REGISTRY_BASE_URL",
                    label::PAYLOAD_PREFIX
                );
            };
            let http = http.insert(Http::new()?);
            let url = format!("{base}/keys");
            report.keys_source = Some(url.clone());
            if report.registry_from_qr {
                report.warnings.push(format!(
                    "the keys were fetched from {base}, the host named in the QR code, which is not signed: pass --url or --keys to check against a registry you trust"
                ));
            }
            let body = http.rt.block_on(log_command::get(&http.client, &url))?;
            serde_json::from_value(body)
                .with_context(|| format!("GET {url}: the published keys are not a key ring"))?
        }
    };

    let keys_source = report.keys_source.clone().unwrap_or_default();
    let verified = label::verify_offline(&input.text, &keys, now)
        .map_err(|e| offline_failure(&input, &keys_source, &e))?;
    report.label = Some(verified.statement.clone());
    report.signed_at = Some(verified.signed.signed_at);
    report.key_id = Some(verified.signed.key_id.as_str().to_string());
    report.signer = Some(verified.signer.clone());
    report.signature = Some("valid");

    if args.offline {
        report.online_skipped = Some("--offline".to_string());
        return Ok(());
    }
    let Some(base) = base else {
        report.online_skipped =
            Some("no registry URL (the input is a bare payload): pass --url".to_string());
        return Ok(());
    };
    if report.registry_from_qr && args.keys.is_some() {
        report.warnings.push(format!(
            "the certificate status and log come from {base}, the host named in the QR code, which is not signed: pass --url to ask a registry you trust"
        ));
    }
    let http = match http {
        Some(h) => h,
        None => Http::new()?,
    };
    report.online = true;
    let online = http
        .rt
        .block_on(check_online(&http.client, &base, &verified, &keys));
    report.certificate = online.certificate;
    report.log = online.log;
    report.warnings.extend(online.warnings);
    report.failures.extend(online.failures);
    Ok(())
}

struct Http {
    rt: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Http {
    fn new() -> anyhow::Result<Http> {
        Ok(Http {
            rt: crate::platform::runtime()?,
            client: log_command::http_client()?,
        })
    }
}

fn now() -> UnixSeconds {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn parse_at(at: &str) -> anyhow::Result<UnixSeconds> {
    zuji_server::pact::time::parse_rfc3339(at.trim())
        .map(|s| s.floor() as i64)
        .ok_or_else(|| {
            anyhow!("--at {at:?}: expected an RFC 3339 date-time, e.g. 2027-06-01T00:00:00Z")
        })
}

fn rfc3339(secs: UnixSeconds) -> String {
    zuji_server::pact::time::format_rfc3339_ms(secs.saturating_mul(1000))
}

/// The registry's base URL: everything before `/verify/<label-id>`.
fn base_of(verify_url: &str) -> Option<String> {
    verify_url
        .rsplit_once("/verify/")
        .map(|(base, _)| base.to_string())
}

fn read_keys(path: &Path) -> anyhow::Result<KeyRing> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}: not a key ring (the JSON served at <registry>/keys): {e}",
            path.display()
        )
    })
}

// ---------------------------------------------------------------------------------
// Input: a PNG, an SVG, a text file, stdin or the argument itself.

fn read_input(arg: &str) -> anyhow::Result<Input> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the label's QR text from stdin")?;
        return Ok(Input {
            text: text.trim().to_string(),
            kind: "stdin",
            path: None,
        });
    }
    let path = Path::new(arg);
    if path.is_file() {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
        let (text, kind) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            (
                qr_in_png(&bytes).map_err(|e| anyhow!("{name}: {e}"))?,
                "png",
            )
        } else if looks_like_svg(&bytes) {
            (
                qr_in_svg(&bytes).map_err(|e| anyhow!("{name}: {e}"))?,
                "svg",
            )
        } else {
            let text = String::from_utf8(bytes).map_err(|_| {
                anyhow!(
                    "{name}: not a PNG image, an SVG file or a text file holding a label's QR text"
                )
            })?;
            (text.trim().to_string(), "text file")
        };
        return Ok(Input {
            text,
            kind,
            path: Some(name),
        });
    }
    if !arg.contains(label::PAYLOAD_PREFIX) {
        bail!(
            "{arg}: no such file, and not a label's QR text (a verification URL …/verify/<id>?z={p}.… or a bare {p}.… payload)",
            p = label::PAYLOAD_PREFIX
        );
    }
    Ok(Input {
        text: arg.trim().to_string(),
        kind: "argument",
        path: None,
    })
}

/// An SVG document (or gzip, as `.svgz`), judged by its first bytes.
fn looks_like_svg(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') && head.contains("<svg")
}

fn qr_in_png(bytes: &[u8]) -> Result<String, String> {
    one_label(label::scan_png(bytes).map_err(|e| e.to_string())?)
}

fn qr_in_svg(bytes: &[u8]) -> Result<String, String> {
    one_label(label::scan_svg(bytes).map_err(|e| e.to_string())?)
}

/// The one label among the codes an image holds.
fn one_label(scan: label::QrScan) -> Result<String, String> {
    let labels: Vec<&String> = scan
        .codes
        .iter()
        .filter(|c| c.contains(label::PAYLOAD_PREFIX))
        .collect();
    match (labels.as_slice(), scan.codes.as_slice()) {
        ([one], _) => Ok((*one).clone()),
        ([], [one]) => Ok(one.clone()),
        ([], []) if scan.grids > 0 => Err(format!(
            "found {} QR code(s) but could not read any (too small, blurred or damaged?)",
            scan.grids
        )),
        ([], []) => Err("no readable QR code in the image".to_string()),
        ([], many) => Err(format!(
            "{} QR codes and none is a Zuji label ({}.…)",
            many.len(),
            label::PAYLOAD_PREFIX
        )),
        (many, _) => Err(format!(
            "{} different label QR codes in one image; give one label at a time",
            many.len()
        )),
    }
}

// ---------------------------------------------------------------------------------
// Offline failures, one line each.

fn not_a_label(input: &Input, e: &LabelError) -> anyhow::Error {
    match &input.path {
        Some(path) => anyhow!("{path}: the QR code does not hold a valid Zuji label: {e}"),
        None => anyhow!("not a valid Zuji label: {e}"),
    }
}

fn offline_failure(input: &Input, keys_source: &str, e: &LabelError) -> anyhow::Error {
    match e {
        LabelError::Expired {
            label_id,
            valid_until,
            now,
        } => anyhow!(
            "label {label_id}: expired: valid until {} (exclusive), checked at {}",
            rfc3339(*valid_until),
            rfc3339(*now)
        ),
        LabelError::NotYetValid {
            label_id,
            valid_from,
            now,
        } => anyhow!(
            "label {label_id}: not valid yet: valid from {}, checked at {}",
            rfc3339(*valid_from),
            rfc3339(*now)
        ),
        LabelError::Signature {
            source: VerifyError::UnknownKey { .. },
            ..
        } => anyhow!("{e} (keys: {keys_source})"),
        LabelError::MalformedPayload(_) | LabelError::UrlMismatch { .. } => not_a_label(input, e),
        _ => anyhow!("{e}"),
    }
}

// ---------------------------------------------------------------------------------
// Online: the certificate's status and the label's log entry.

#[derive(Debug, Default)]
struct Online {
    certificate: Option<StatusReport>,
    log: Option<LogReport>,
    failures: Vec<String>,
    warnings: Vec<String>,
}

/// Asks the registry at `base` (e.g. `http://127.0.0.1:8080`) about an offline-verified
/// label: the certificate's current status, and the label's `label_issued` entry in the
/// transparency log under a tree head signed by the registry's keys in `keys`.
async fn check_online(
    client: &reqwest::Client,
    base: &str,
    verified: &VerifiedLabel,
    keys: &KeyRing,
) -> Online {
    let mut online = Online::default();
    let statement = &verified.statement;
    match certificate_status(client, base, &statement.certificate_id).await {
        Ok(info) => match label::apply_status(verified, &info) {
            Ok(verdict) => {
                if let Some(failure) = verdict_failure(statement, &verdict) {
                    online.failures.push(failure);
                }
                let (name, reason) = verdict_parts(&verdict);
                online.certificate = Some(StatusReport {
                    certificate_id: statement.certificate_id.clone(),
                    status: info.status.clone(),
                    verdict: name,
                    reason,
                });
            }
            Err(e) => online.failures.push(format!(
                "label {}: certificate {}: {e}",
                statement.label_id, statement.certificate_id
            )),
        },
        Err(e) => online.failures.push(format!(
            "label {}: the status of certificate {} could not be fetched: {e:#}",
            statement.label_id, statement.certificate_id
        )),
    }
    match check_log(client, base, verified, keys).await {
        Ok(report) => {
            if report.result == "not_yet_covered" {
                online.warnings.push(format!(
                    "log entry {} is not yet covered by a signed tree head{}",
                    report.index.unwrap_or_default(),
                    report
                        .tree_size
                        .map(|n| format!(" (the latest covers {n} entries)"))
                        .unwrap_or_else(|| " (none is published yet)".to_string())
                ));
            }
            online.log = Some(report);
        }
        Err(e) => online
            .failures
            .push(format!("label {}: {e:#}", statement.label_id)),
    }
    online
}

/// GET a JSON body; `None` for 404 Not Found.
async fn get_optional(client: &reqwest::Client, url: &str) -> anyhow::Result<Option<Value>> {
    let resp = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    if status == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    let text = resp
        .text()
        .await
        .with_context(|| format!("GET {url}: reading the body"))?;
    if !status.is_success() {
        bail!(
            "GET {url}: {status}: {}",
            text.chars().take(300).collect::<String>()
        );
    }
    serde_json::from_str(&text)
        .map(Some)
        .with_context(|| format!("GET {url}: not JSON"))
}

async fn certificate_status(
    client: &reqwest::Client,
    base: &str,
    certificate_id: &str,
) -> anyhow::Result<CertificateStatusInfo> {
    let url = format!(
        "{base}/api/v1/certificates/{}",
        encode_path_segment(certificate_id)
    );
    let body = get_optional(client, &url)
        .await?
        .ok_or_else(|| anyhow!("the registry does not know it (GET {url}: 404 Not Found)"))?;
    status_from_body(&body).map_err(|e| anyhow!("GET {url}: {e}"))
}

/// `{"status": …, "status_reason": …}` (GET /api/v1/certificates/{id}): the status now
/// and, when it is not in force, the reason given for the change.
fn status_from_body(body: &Value) -> Result<CertificateStatusInfo, String> {
    let status = body["status"]
        .as_str()
        .ok_or("the answer has no \"status\"")?
        .to_string();
    let reason = body["status_reason"]
        .as_str()
        .filter(|r| !r.trim().is_empty())
        .map(str::to_string);
    Ok(CertificateStatusInfo { status, reason })
}

fn verdict_parts(verdict: &LabelVerdict) -> (&'static str, Option<String>) {
    match verdict {
        LabelVerdict::Valid => ("valid", None),
        LabelVerdict::Revoked { reason } => ("revoked", reason.clone()),
        LabelVerdict::Suspended { reason } => ("suspended", reason.clone()),
        LabelVerdict::Expired => ("expired", None),
        LabelVerdict::Superseded { reason } => ("superseded", reason.clone()),
    }
}

/// The one-line failure for any verdict but `valid`.
fn verdict_failure(statement: &LabelStatement, verdict: &LabelVerdict) -> Option<String> {
    let (what, reason) = match verdict {
        LabelVerdict::Valid => return None,
        LabelVerdict::Revoked { reason } => ("was withdrawn (the label is revoked)", reason),
        LabelVerdict::Suspended { reason } => ("is suspended", reason),
        LabelVerdict::Expired => ("has expired", &None),
        LabelVerdict::Superseded { reason } => ("was superseded", reason),
    };
    let reason = reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    Some(format!(
        "label {}: certificate {} {what}{reason}",
        statement.label_id, statement.certificate_id
    ))
}

async fn check_log(
    client: &reqwest::Client,
    base: &str,
    verified: &VerifiedLabel,
    keys: &KeyRing,
) -> anyhow::Result<LogReport> {
    let Some(index) = verified.statement.log_index else {
        return Ok(LogReport {
            index: None,
            result: "no_log_index",
            tree_size: None,
            root_hash: None,
            head_timestamp: None,
        });
    };
    let sth_url = format!("{base}/log/sth");
    let Some(head) = get_optional(client, &sth_url).await? else {
        return Ok(LogReport {
            index: Some(index),
            result: "not_yet_covered",
            tree_size: None,
            root_hash: None,
            head_timestamp: None,
        });
    };
    let head: SignedTreeHead = serde_json::from_value(head)
        .with_context(|| format!("GET {sth_url}: not a signed tree head"))?;
    // Only the registry signs tree heads (as `zuji log verify`).
    verify_head(&head, &keys.owned_by(REGISTRY_KEY_OWNER))
        .map_err(|e| anyhow!("the registry's latest signed tree head does not verify: {e}"))?;
    let mut report = LogReport {
        index: Some(index),
        result: "not_yet_covered",
        tree_size: Some(head.tree_size),
        root_hash: Some(head.root_hash.clone()),
        head_timestamp: Some(head.timestamp),
    };
    if head.tree_size <= index {
        return Ok(report);
    }
    let entries_url = format!("{base}/log/entries?start={index}&end={}", index + 1);
    let page = log_command::get(client, &entries_url).await?;
    let entries: Vec<LogEntry> = serde_json::from_value(page["entries"].clone())
        .with_context(|| format!("GET {entries_url}: the entries are not readable"))?;
    let entry = entries
        .into_iter()
        .find(|e| e.index == index)
        .ok_or_else(|| {
            anyhow!(
                "transparency log entry {index}: not served by the registry, though its signed tree head covers {} entries",
                head.tree_size
            )
        })?;
    let proof_url = format!(
        "{base}/log/proof/inclusion?index={index}&size={}",
        head.tree_size
    );
    let proof: InclusionProof = serde_json::from_value(log_command::get(client, &proof_url).await?)
        .with_context(|| format!("GET {proof_url}: not an inclusion proof"))?;
    check_log_entry(verified, &entry, &proof, &head).map_err(|e| anyhow!("{e}"))?;
    report.result = "included";
    Ok(report)
}

/// Does `entry` record this label's issue, and does `proof` place it in `head`'s tree?
/// (`head`'s signature is checked by the caller.) The error names the index and what
/// differs.
fn check_log_entry(
    verified: &VerifiedLabel,
    entry: &LogEntry,
    proof: &InclusionProof,
    head: &SignedTreeHead,
) -> Result<(), String> {
    let statement = &verified.statement;
    let index = statement.log_index.unwrap_or(entry.index);
    let at = format!("transparency log entry {index}");
    if entry.index != index {
        return Err(format!("{at}: the registry served entry {}", entry.index));
    }
    if entry.kind != EntryKind::LabelIssued {
        let kind = serde_json::to_value(entry.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| format!("{:?}", entry.kind));
        return Err(format!("{at}: records {kind}, not label_issued"));
    }
    if entry.subject != statement.label_id {
        return Err(format!(
            "{at}: is about {}, not label {}",
            entry.subject, statement.label_id
        ));
    }
    match entry.body["signature"].as_str() {
        None => return Err(format!("{at}: the entry's body has no \"signature\"")),
        Some(sig) if sig != verified.signed.sig => {
            return Err(format!(
                "{at}: the logged signature differs from the label's (the log records another signing of label {})",
                statement.label_id
            ));
        }
        Some(_) => {}
    }
    if let Some(key_id) = entry.body["key_id"].as_str()
        && key_id != verified.signed.key_id.as_str()
    {
        return Err(format!(
            "{at}: logged with key {key_id}, but the label is signed with key {}",
            verified.signed.key_id
        ));
    }
    verify_inclusion(entry, proof, head).map_err(|e| e.to_string())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_path_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Text output.

fn print_text(r: &Report) {
    let Some(s) = &r.label else {
        // Nothing verified: the error (stderr) says why.
        for w in &r.warnings {
            println!("warning: {w}");
        }
        return;
    };
    println!("label {}", s.label_id);
    let gtin = s
        .product
        .gtin
        .as_deref()
        .map(|g| format!(", GTIN {g}"))
        .unwrap_or_default();
    let field = |name: &str, value: String| println!("  {name:<19}{value}");
    field(
        "product",
        format!("{} (id {}{gtin})", s.product.name, s.product.id),
    );
    field(
        "value",
        format!("{} {} per {}", s.value, s.unit, s.declared_unit),
    );
    field("boundary", s.boundary.as_str().to_string());
    if let Some(g) = &s.grade {
        field(
            "grade",
            format!(
                "{} (benchmark {} version {})",
                g.grade, g.benchmark_period, g.benchmark_version
            ),
        );
    }
    field("PCR", format!("{} version {}", s.pcr.id, s.pcr.version));
    if !s.databases.is_empty() {
        field("databases", s.databases.join(", "));
    }
    field("certificate", s.certificate_id.clone());
    field(
        "certification body",
        format!(
            "{} ({})",
            s.certification_body.name, s.certification_body.org_id
        ),
    );
    field(
        "valid",
        format!(
            "{} to {} (exclusive)",
            rfc3339(s.valid_from),
            rfc3339(s.valid_until)
        ),
    );
    if let Some(i) = s.log_index {
        field("log index", i.to_string());
    }
    if let Some(at) = r.signed_at {
        field(
            "signed",
            format!("{} by {}", rfc3339(at), r.signer.as_deref().unwrap_or("?")),
        );
    }
    println!(
        "signature: valid (key {} of {})",
        r.key_id.as_deref().unwrap_or("?"),
        r.signer.as_deref().unwrap_or("?")
    );
    println!("dates: in force at {}", rfc3339(r.checked_at));
    if let Some(why) = &r.online_skipped {
        println!("online checks: skipped ({why})");
    }
    if let Some(c) = &r.certificate {
        let reason = c
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        println!(
            "certificate status: {} (verdict: {}{reason}) at {}",
            c.status,
            c.verdict,
            r.registry.as_deref().unwrap_or("?")
        );
    }
    if let Some(l) = &r.log {
        match (l.result, l.index, l.tree_size) {
            ("included", Some(i), Some(n)) => println!(
                "log inclusion: entry {i} is in the signed tree head of size {n} (root {}, signed {})",
                l.root_hash.as_deref().unwrap_or("?"),
                l.head_timestamp.map(rfc3339).unwrap_or_default()
            ),
            ("no_log_index", _, _) => println!("log inclusion: the label names no log entry"),
            (_, Some(i), _) => {
                println!("log inclusion: entry {i} is not yet covered by a signed tree head")
            }
            _ => {}
        }
    }
    for w in &r.warnings {
        println!("warning: {w}");
    }
    // The first failure is the error on stderr.
    for f in r.failures.iter().skip(1) {
        println!("also failed: {f}");
    }
    if r.ok {
        println!("label {}: verified", s.label_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use zuji_model::product::SystemBoundary;
    use zuji_trust::certification::PcrRef;
    use zuji_trust::keys::SigningKeyPair;
    use zuji_trust::label::{CertificationBodyRef, LabelProduct};
    use zuji_trust::log::TransparencyLog;

    const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    fn registry() -> SigningKeyPair {
        SigningKeyPair::from_secret_bytes(REGISTRY_KEY_OWNER, &[7; 32])
    }

    fn verified(log_index: Option<u64>) -> VerifiedLabel {
        let statement = LabelStatement {
            label_id: "LBL-000003".into(),
            product: LabelProduct {
                name: "铝合金门窗型材 6063-T5".into(),
                id: "PRD-AL-0007".into(),
                gtin: None,
            },
            value: 12.3,
            unit: "kg CO2e".into(),
            declared_unit: "1 kg".into(),
            boundary: SystemBoundary::CradleToGate,
            pcr: PcrRef {
                id: "ZJ-PCR-AL".into(),
                version: "1.0".into(),
            },
            databases: vec!["zuji-default 2026.1".into()],
            grade: None,
            certificate_id: "CERT-000003".into(),
            certification_body: CertificationBodyRef {
                name: "Example Certification".into(),
                org_id: "cb-1".into(),
            },
            valid_from: T0,
            valid_until: T0 + 365 * 86_400,
            log_index,
        };
        let signed = label::sign_label(&registry(), &statement, T0 + 60).unwrap();
        let qr = label::encode_qr_payload(&signed, "https://registry.example.org").unwrap();
        let mut ring = KeyRing::new();
        ring.add(registry().publish(T0 - 86_400)).unwrap();
        label::verify_offline(&qr, &ring, T0 + 86_400).unwrap()
    }

    /// A log of 6 entries whose entry 2 is `kind` about `subject` with `body`.
    fn log_with(kind: EntryKind, subject: &str, body: Value) -> TransparencyLog {
        let mut log = TransparencyLog::new();
        for i in 0..2 {
            log.append(
                EntryKind::CertificateIssued,
                format!("CERT-00000{i}"),
                T0 + i,
                json!({"n": i}),
            )
            .unwrap();
        }
        log.append(kind, subject, T0 + 60, body).unwrap();
        for i in 3..6 {
            log.append(
                EntryKind::CertificateIssued,
                format!("CERT-00000{i}"),
                T0 + 100 + i,
                json!({"n": i}),
            )
            .unwrap();
        }
        log
    }

    fn good_body(label: &VerifiedLabel) -> Value {
        json!({"signature": label.signed.sig, "key_id": label.signed.key_id})
    }

    fn check_entry_2(label: &VerifiedLabel, log: &TransparencyLog) -> Result<(), String> {
        let head = log.sth(&registry(), T0 + 3_600).unwrap();
        let entry = &log.entries()[2];
        let proof = log.inclusion_proof(2, head.tree_size).unwrap();
        check_log_entry(label, entry, &proof, &head)
    }

    #[test]
    fn the_labels_entry_is_included() {
        let label = verified(Some(2));
        let log = log_with(EntryKind::LabelIssued, "LBL-000003", good_body(&label));
        assert_eq!(check_entry_2(&label, &log), Ok(()));
    }

    #[test]
    fn another_kind_subject_signature_or_key_is_named() {
        let label = verified(Some(2));
        let cases = [
            (
                log_with(
                    EntryKind::CertificateIssued,
                    "LBL-000003",
                    good_body(&label),
                ),
                "transparency log entry 2: records certificate_issued, not label_issued",
            ),
            (
                log_with(EntryKind::LabelIssued, "LBL-000004", good_body(&label)),
                "transparency log entry 2: is about LBL-000004, not label LBL-000003",
            ),
            (
                log_with(
                    EntryKind::LabelIssued,
                    "LBL-000003",
                    json!({"signature": "A".repeat(86), "key_id": label.signed.key_id}),
                ),
                "transparency log entry 2: the logged signature differs",
            ),
            (
                log_with(
                    EntryKind::LabelIssued,
                    "LBL-000003",
                    json!({"signature": label.signed.sig, "key_id": "0".repeat(32)}),
                ),
                "transparency log entry 2: logged with key 00000000000000000000000000000000",
            ),
            (
                log_with(EntryKind::LabelIssued, "LBL-000003", json!({})),
                "transparency log entry 2: the entry's body has no \"signature\"",
            ),
        ];
        for (log, expected) in cases {
            let err = check_entry_2(&label, &log).unwrap_err();
            assert!(err.starts_with(expected), "{err}");
        }
    }

    #[test]
    fn an_entry_not_in_the_heads_tree_fails_inclusion() {
        let label = verified(Some(2));
        let log = log_with(EntryKind::LabelIssued, "LBL-000003", good_body(&label));
        let head = log.sth(&registry(), T0 + 3_600).unwrap();
        let proof = log.inclusion_proof(2, head.tree_size).unwrap();
        // The served entry differs from the logged one in its timestamp only.
        let mut entry = log.entries()[2].clone();
        entry.timestamp += 1;
        let err = check_log_entry(&label, &entry, &proof, &head).unwrap_err();
        assert!(
            err.starts_with("inclusion of entry 2 in tree head of size 6"),
            "{err}"
        );
        // A proof for another index.
        let other = log.inclusion_proof(3, head.tree_size).unwrap();
        let err = check_log_entry(&label, &log.entries()[2], &other, &head).unwrap_err();
        assert!(err.contains("the proof is for index 3"), "{err}");
        // The registry serving another entry than asked for.
        let err = check_log_entry(&label, &log.entries()[3], &proof, &head).unwrap_err();
        assert_eq!(err, "transparency log entry 2: the registry served entry 3");
    }

    #[test]
    fn status_and_reason_from_the_certificate_answer() {
        let body =
            json!({"status": "withdrawn", "status_reason": "data falsified", "certificate": null});
        assert_eq!(
            status_from_body(&body).unwrap(),
            CertificateStatusInfo {
                status: "withdrawn".into(),
                reason: Some("data falsified".into())
            }
        );
        // Expired by date: the registry gives no reason.
        let body = json!({"status": "expired", "status_reason": null});
        assert_eq!(status_from_body(&body).unwrap().reason, None);
        assert_eq!(
            status_from_body(&json!({"status": "valid"})).unwrap(),
            CertificateStatusInfo {
                status: "valid".into(),
                reason: None
            }
        );
        assert!(status_from_body(&json!({"id": "CERT-1"})).is_err());
    }

    #[test]
    fn verdicts_name_the_certificate_and_reason() {
        let label = verified(None);
        let failure = verdict_failure(
            &label.statement,
            &LabelVerdict::Revoked {
                reason: Some("data falsified".into()),
            },
        );
        assert_eq!(
            failure.as_deref(),
            Some(
                "label LBL-000003: certificate CERT-000003 was withdrawn (the label is revoked): data falsified"
            )
        );
        assert_eq!(
            verdict_failure(&label.statement, &LabelVerdict::Valid),
            None
        );
    }

    #[test]
    fn base_url_and_path_segments() {
        assert_eq!(
            base_of("https://r.example/zuji/verify/LBL-1").as_deref(),
            Some("https://r.example/zuji")
        );
        assert_eq!(encode_path_segment("CN-CFP 2026/1"), "CN-CFP%202026%2F1");
    }
}
