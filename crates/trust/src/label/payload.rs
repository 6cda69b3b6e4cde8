//! The QR payload (format `ZJ1`, specified in `docs/labels.md`) and offline
//! verification.
//!
//! The signed payload is the full [`LabelStatement`] JSON. The QR carries it as a
//! positional JSON array instead (no member names: about half the bytes), and the
//! verifier maps the array back to the statement, rebuilds the signed statement and
//! checks the signature over it with [`keys::verify`]. The mapping is lossless, and
//! [`encode_qr_payload`] refuses a signed statement it would not reproduce exactly, so
//! whatever verifies from the QR is exactly what was signed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use zuji_model::product::SystemBoundary;

use super::{
    CertificationBodyRef, LabelError, LabelGrade, LabelProduct, LabelStatement, is_label_id_byte,
};
use crate::canonical::{to_canonical_bytes, to_canonical_json};
use crate::certification::PcrRef;
use crate::keys::{self, ALGORITHM, KeyId, KeyRing, SignedStatement, UnixSeconds};

/// Format tag and version of the compact payload.
pub const PAYLOAD_PREFIX: &str = "ZJ1";

/// The key owner that signs labels for the registry (the transparency log's operator).
pub const REGISTRY_KEY_OWNER: &str = "zuji-registry";

/// The query parameter of the verification URL that carries the payload.
const QUERY: &str = "?z=";

/// Longest input the decoder looks at: a QR code holds at most 2,953 bytes, so
/// anything longer is not from a label and is refused before any work.
const MAX_INPUT_LEN: usize = 4096;

/// Number of elements of the `ZJ1` array.
const ELEMENTS: usize = 15;

/// A decoded (not yet verified) QR payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedLabel {
    /// The signed statement rebuilt from the payload: what the signature must cover.
    pub signed: SignedStatement,
    pub statement: LabelStatement,
    /// The verification URL (`<base>/verify/<label-id>`, without the query), when the
    /// input was the full QR text rather than the bare `ZJ1` payload.
    pub verify_url: Option<String>,
}

/// A label whose signature verified offline and whose dates cover `checked_at`.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedLabel {
    pub statement: LabelStatement,
    pub signed: SignedStatement,
    /// Owner of the key that signed: the registry or the certification body.
    pub signer: String,
    pub verify_url: Option<String>,
    pub checked_at: UnixSeconds,
}

/// The certificate's current status as the registry reports it (online knowledge the
/// offline check cannot have). `status` is a
/// [`crate::certification::CertificateStatus`] spelling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateStatusInfo {
    pub status: String,
    pub reason: Option<String>,
}

/// What a verifier tells the person holding the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum LabelVerdict {
    /// Authentic, in date, and the certificate is in force.
    Valid,
    /// The certificate was withdrawn: the label must no longer be used.
    Revoked { reason: Option<String> },
    /// The certificate is suspended; it may be reinstated.
    Suspended { reason: Option<String> },
    /// The certificate's validity ended.
    Expired,
    /// Replaced by a re-certification: says nothing against the holder, but this label
    /// is out of date.
    Superseded { reason: Option<String> },
}

/// The verification URL of a label: `<base>/verify/<label-id>`, with trailing slashes
/// of `registry_base_url` dropped (e.g. `https://registry.example.org`).
pub fn verify_url(registry_base_url: &str, label_id: &str) -> String {
    format!(
        "{}/verify/{label_id}",
        registry_base_url.trim_end_matches('/')
    )
}

/// The text of the label's QR code:
/// `<registry_base_url>/verify/<label-id>?z=ZJ1.<statement>.<sig>.<key-id>`.
pub fn encode_qr_payload(
    signed: &SignedStatement,
    registry_base_url: &str,
) -> Result<String, LabelError> {
    let base = registry_base_url.trim_end_matches('/');
    let host_and_path = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .unwrap_or_default();
    if host_and_path.is_empty() || host_and_path.starts_with('/') || base.contains(['?', '#', ' '])
    {
        return Err(LabelError::InvalidBaseUrl(registry_base_url.to_string()));
    }
    let (statement, compact) = compact_payload(signed)?;
    Ok(format!(
        "{}{QUERY}{compact}",
        verify_url(base, &statement.label_id)
    ))
}

/// The bare `ZJ1.…` payload of a signed label, and the statement it carries.
pub(super) fn compact_payload(
    signed: &SignedStatement,
) -> Result<(LabelStatement, String), LabelError> {
    if signed.alg != ALGORITHM {
        return Err(LabelError::NotALabel(format!(
            "algorithm {:?}; ZJ1 carries Ed25519 signatures only",
            signed.alg
        )));
    }
    let statement: LabelStatement = signed
        .payload_as()
        .map_err(|e| LabelError::NotALabel(format!("the payload is not a label statement: {e}")))?;
    statement.check()?;
    // The verifier checks the signature over what it rebuilds from the array, so the
    // array must rebuild the payload exactly (no dropped members, same spelling of every value).
    let rebuilt =
        serde_json::to_value(&statement).map_err(|e| LabelError::NotALabel(e.to_string()))?;
    let same = to_canonical_bytes(&rebuilt).ok() == to_canonical_bytes(&signed.payload).ok();
    if !same {
        return Err(LabelError::NotALabel(
            "the payload has members or spellings a label statement does not reproduce".to_string(),
        ));
    }
    if !is_key_id(signed.key_id.as_str()) {
        return Err(LabelError::NotALabel(format!(
            "key id {:?} is not 32 lowercase hex digits",
            signed.key_id.as_str()
        )));
    }
    let array = to_array(&statement, signed.signed_at);
    let json = to_canonical_json(&array)
        .map_err(|e| LabelError::NotALabel(format!("statement has no canonical form: {e}")))?;
    Ok((
        statement,
        format!(
            "{PAYLOAD_PREFIX}.{}.{}.{}",
            URL_SAFE_NO_PAD.encode(json.as_bytes()),
            signed.sig,
            signed.key_id
        ),
    ))
}

/// Reads the text of a label's QR code (the full URL) or a bare `ZJ1.…` payload.
/// Never panics; anything that is not exactly the format is an error saying where.
pub fn decode_qr_payload(text: &str) -> Result<DecodedLabel, LabelError> {
    let text = text.trim();
    if text.len() > MAX_INPUT_LEN {
        return Err(malformed(format!(
            "{} bytes; a QR payload has at most {MAX_INPUT_LEN}",
            text.len()
        )));
    }
    if text.is_empty() {
        return Err(malformed("empty input".to_string()));
    }
    let (url, payload) = if text.contains("://") {
        let (url, payload) = text
            .split_once(QUERY)
            .ok_or_else(|| malformed(format!("URL has no {QUERY}{PAYLOAD_PREFIX}… query")))?;
        (Some(url), payload)
    } else {
        (None, text)
    };
    let mut parts = payload.split('.');
    let (Some(tag), Some(body), Some(sig), Some(key_id), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(malformed(format!(
            "expected 4 dot-separated parts ({PAYLOAD_PREFIX}.statement.signature.key-id)"
        )));
    };
    if tag != PAYLOAD_PREFIX {
        return Err(malformed(format!(
            "format tag {tag:?}, expected {PAYLOAD_PREFIX:?}"
        )));
    }
    if !is_key_id(key_id) {
        return Err(malformed(
            "key id is not 32 lowercase hex digits".to_string(),
        ));
    }
    if sig.len() != 86 || !sig.bytes().all(is_base64url_byte) {
        return Err(malformed(
            "signature is not 86 base64url characters (64 bytes)".to_string(),
        ));
    }
    let json = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|e| malformed(format!("statement is not base64url without padding: {e}")))?;
    let array: Value = serde_json::from_slice(&json)
        .map_err(|e| malformed(format!("statement is not JSON: {e}")))?;
    // One spelling only: the same label always gives the same QR code.
    if to_canonical_bytes(&array).ok().as_deref() != Some(json.as_slice()) {
        return Err(malformed(
            "statement JSON is not in RFC 8785 canonical form".to_string(),
        ));
    }
    let (statement, signed_at) = from_array(&array)?;
    statement.check().map_err(|e| malformed(e.to_string()))?;
    let payload = serde_json::to_value(&statement).map_err(|e| malformed(e.to_string()))?;
    let verify_url = match url {
        None => None,
        Some(url) => Some(check_url(url, &statement.label_id)?),
    };
    Ok(DecodedLabel {
        signed: SignedStatement {
            payload,
            key_id: KeyId::new(key_id),
            alg: ALGORITHM.to_string(),
            signed_at,
            sig: sig.to_string(),
        },
        statement,
        verify_url,
    })
}

/// Verifies a label's QR text (or bare payload) offline at `now`: well-formed, signed
/// by a published key valid at the signing time, the signer entitled to sign it (the
/// registry or the certification body on the label), and in date.
pub fn verify_offline(
    text: &str,
    keys: &KeyRing,
    now: UnixSeconds,
) -> Result<VerifiedLabel, LabelError> {
    let decoded = decode_qr_payload(text)?;
    let label_id = decoded.statement.label_id.clone();
    keys::verify(keys, &decoded.signed).map_err(|source| LabelError::Signature {
        label_id: label_id.clone(),
        source,
    })?;
    // verify() found the key, so it is in the ring.
    let owner = keys
        .get(&decoded.signed.key_id)
        .map(|k| k.owner.clone())
        .unwrap_or_default();
    let body = &decoded.statement.certification_body.org_id;
    if owner != REGISTRY_KEY_OWNER && &owner != body {
        return Err(LabelError::WrongSigner {
            label_id,
            key_id: decoded.signed.key_id.clone(),
            owner,
            certification_body: body.clone(),
        });
    }
    decoded.statement.check_validity(now)?;
    Ok(VerifiedLabel {
        statement: decoded.statement,
        signed: decoded.signed,
        signer: owner,
        verify_url: decoded.verify_url,
        checked_at: now,
    })
}

/// Combines an offline-verified label with the certificate's current status.
pub fn apply_status(
    verified: &VerifiedLabel,
    status: &CertificateStatusInfo,
) -> Result<LabelVerdict, LabelError> {
    let reason = status.reason.clone();
    let verdict = match status.status.trim().to_ascii_lowercase().as_str() {
        "valid" => {
            // The certificate may be in force while this label's own dates are not.
            match verified.statement.check_validity(verified.checked_at) {
                Ok(()) => LabelVerdict::Valid,
                Err(_) => LabelVerdict::Expired,
            }
        }
        "suspended" => LabelVerdict::Suspended { reason },
        "withdrawn" | "revoked" => LabelVerdict::Revoked { reason },
        "expired" => LabelVerdict::Expired,
        "superseded" => LabelVerdict::Superseded { reason },
        _ => return Err(LabelError::UnknownCertificateStatus(status.status.clone())),
    };
    Ok(verdict)
}

fn malformed(reason: String) -> LabelError {
    LabelError::MalformedPayload(reason)
}

fn is_key_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_base64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The URL part must be `http(s)://…/verify/<label-id>` for the label it carries: a
/// genuine payload behind another label's URL would send the phone to the wrong page.
fn check_url(url: &str, label_id: &str) -> Result<String, LabelError> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Err(malformed(
            "URL does not start with https:// or http://".to_string(),
        ));
    };
    let Some((host_and_path, url_label_id)) = rest.rsplit_once("/verify/") else {
        return Err(malformed("URL has no /verify/<label-id> path".to_string()));
    };
    if host_and_path.is_empty() || url.contains(['#', ' ']) {
        return Err(malformed(
            "URL has no host, or a fragment or space".to_string(),
        ));
    }
    if !url_label_id.bytes().all(is_label_id_byte) || url_label_id.is_empty() {
        return Err(malformed(format!(
            "URL label id {url_label_id:?} is not a label id"
        )));
    }
    if url_label_id != label_id {
        return Err(LabelError::UrlMismatch {
            label_id: label_id.to_string(),
            url_label_id: url_label_id.to_string(),
        });
    }
    Ok(url.to_string())
}

/// The `ZJ1` array; positions are the format (docs/labels.md).
fn to_array(s: &LabelStatement, signed_at: UnixSeconds) -> Value {
    json!([
        s.label_id,
        signed_at,
        [s.product.name, s.product.id, s.product.gtin],
        s.value,
        s.unit,
        s.declared_unit,
        s.boundary.as_str(),
        [s.pcr.id, s.pcr.version],
        s.databases,
        s.grade
            .as_ref()
            .map(|g| json!([g.grade, g.benchmark_period, g.benchmark_version])),
        s.certificate_id,
        [s.certification_body.name, s.certification_body.org_id],
        s.valid_from,
        s.valid_until,
        s.log_index,
    ])
}

fn from_array(value: &Value) -> Result<(LabelStatement, UnixSeconds), LabelError> {
    let items = value
        .as_array()
        .filter(|a| a.len() == ELEMENTS)
        .ok_or_else(|| {
            malformed(format!(
                "statement is not a JSON array of {ELEMENTS} elements"
            ))
        })?;
    let product = tuple(&items[2], 3, "2 (product)")?;
    let pcr = tuple(&items[7], 2, "7 (pcr)")?;
    let body = tuple(&items[11], 2, "11 (certification body)")?;
    let grade = match &items[9] {
        Value::Null => None,
        v => {
            let g = tuple(v, 3, "9 (grade)")?;
            Some(LabelGrade {
                grade: string(&g[0], "9.0 (grade)")?,
                benchmark_period: string(&g[1], "9.1 (benchmark period)")?,
                benchmark_version: integer(&g[2], "9.2 (benchmark version)").and_then(|n| {
                    u32::try_from(n).map_err(|_| {
                        malformed("element 9.2 (benchmark version): out of range".into())
                    })
                })?,
            })
        }
    };
    let databases = items[8]
        .as_array()
        .ok_or_else(|| malformed("element 8 (databases): expected an array".to_string()))?
        .iter()
        .map(|d| string(d, "8 (databases)"))
        .collect::<Result<Vec<_>, _>>()?;
    let boundary = string(&items[6], "6 (boundary)")?;
    let boundary = boundary_from_str(&boundary).ok_or_else(|| {
        malformed(format!(
            "element 6 (boundary): {boundary:?} is not a system boundary"
        ))
    })?;
    let statement = LabelStatement {
        label_id: string(&items[0], "0 (label id)")?,
        product: LabelProduct {
            name: string(&product[0], "2.0 (product name)")?,
            id: string(&product[1], "2.1 (product id)")?,
            gtin: optional(&product[2], "2.2 (GTIN)", string)?,
        },
        value: items[3]
            .as_f64()
            .filter(|v| v.is_finite())
            .ok_or_else(|| malformed("element 3 (value): expected a number".to_string()))?,
        unit: string(&items[4], "4 (unit)")?,
        declared_unit: string(&items[5], "5 (declared unit)")?,
        boundary,
        pcr: PcrRef {
            id: string(&pcr[0], "7.0 (PCR id)")?,
            version: string(&pcr[1], "7.1 (PCR version)")?,
        },
        databases,
        grade,
        certificate_id: string(&items[10], "10 (certificate id)")?,
        certification_body: CertificationBodyRef {
            name: string(&body[0], "11.0 (body name)")?,
            org_id: string(&body[1], "11.1 (body org id)")?,
        },
        valid_from: integer(&items[12], "12 (valid from)")?,
        valid_until: integer(&items[13], "13 (valid until)")?,
        log_index: optional(&items[14], "14 (log index)", |v, what| {
            v.as_u64().ok_or_else(|| {
                malformed(format!("element {what}: expected a non-negative integer"))
            })
        })?,
    };
    let signed_at = integer(&items[1], "1 (signed at)")?;
    Ok((statement, signed_at))
}

fn tuple<'a>(v: &'a Value, n: usize, what: &str) -> Result<&'a [Value], LabelError> {
    v.as_array()
        .filter(|a| a.len() == n)
        .map(Vec::as_slice)
        .ok_or_else(|| malformed(format!("element {what}: expected an array of {n}")))
}

fn string(v: &Value, what: &str) -> Result<String, LabelError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| malformed(format!("element {what}: expected a string")))
}

fn integer(v: &Value, what: &str) -> Result<i64, LabelError> {
    v.as_i64()
        .ok_or_else(|| malformed(format!("element {what}: expected an integer")))
}

fn optional<T>(
    v: &Value,
    what: &str,
    read: impl Fn(&Value, &str) -> Result<T, LabelError>,
) -> Result<Option<T>, LabelError> {
    match v {
        Value::Null => Ok(None),
        v => read(v, what).map(Some),
    }
}

fn boundary_from_str(s: &str) -> Option<SystemBoundary> {
    [
        SystemBoundary::CradleToGate,
        SystemBoundary::CradleToGrave,
        SystemBoundary::GateToGate,
        SystemBoundary::GateToGrave,
    ]
    .into_iter()
    .find(|b| b.as_str() == s)
}
