//! Carbon labels (碳标识): a signed statement about one certified footprint, a compact
//! QR payload anyone can verify offline, and the label drawn as SVG and PNG in
//! 简体中文, 繁體中文 and English.
//!
//! - A [`LabelStatement`] is language-independent data: product, value per declared
//!   unit, boundary, PCR, databases, grade and benchmark version, certificate,
//!   certification body, validity (Unix seconds, like [`crate::keys`]) and log index.
//!   It is signed as a [`SignedStatement`] with [`sign_label`] (which calls
//!   [`keys::sign_serializable`]); the payload is the statement's JSON.
//! - The QR code carries `<base>/verify/<label-id>?z=ZJ1.<statement>.<sig>.<key-id>`
//!   ([`encode_qr_payload`]): a phone opens the registry's page, and a verifier
//!   rebuilds the signed statement from the `ZJ1` part alone and checks it against the
//!   published keys ([`verify_offline`]). The format is specified byte by byte in
//!   `docs/labels.md`.
//! - The current status of the certificate (withdrawn, suspended, …) is online
//!   knowledge: the server or CLI fetches it and [`apply_status`] turns it into a
//!   [`LabelVerdict`].
//! - [`render_svg`] draws the label; [`render_png`] rasterises it with fonts loaded
//!   explicitly ([`LabelFonts`]), refusing to draw a character no font has rather than
//!   printing an empty box.
//!
//! Invariant: nothing here does network I/O; the only file access is reading fonts.

mod number;
mod payload;
mod png;
mod scan;
mod strings;
mod svg;

pub use number::format_value;
pub use payload::{
    CertificateStatusInfo, DecodedLabel, LabelVerdict, PAYLOAD_PREFIX, REGISTRY_KEY_OWNER,
    VerifiedLabel, apply_status, decode_qr_payload, encode_qr_payload, verify_offline, verify_url,
};
pub use png::{LabelFonts, render_png, render_png_with};
pub use scan::{QrScan, read_qr_codes_png, read_qr_codes_svg, scan_png, scan_svg};
pub use strings::Lang;
pub use svg::{LabelSize, qr_version, render_svg};

use serde::{Deserialize, Serialize};
use zuji_model::product::SystemBoundary;

use crate::certification::PcrRef;
use crate::keys::{
    self, KeyError, KeyId, SignedStatement, SigningKeyPair, UnixSeconds, VerifyError,
};

/// Largest integer canonical JSON writes exactly (2^53); a time or log index beyond it
/// could not be signed (see [`crate::canonical`]).
const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Longest label id: it is a path segment of the verification URL and sits in the QR.
const MAX_LABEL_ID_LEN: usize = 64;

/// What a carbon label states. Language-independent: the renderer translates the
/// captions, never the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelStatement {
    /// The registry's id of this label; `[A-Za-z0-9._-]`, at most 64 characters,
    /// because it is the last path segment of the verification URL.
    pub label_id: String,
    pub product: LabelProduct,
    /// The certified footprint, in [`unit`](Self::unit) per declared unit.
    pub value: f64,
    /// The unit of `value`, e.g. `kg CO2e`; the label shows `kg CO2e / 1 kWh`.
    pub unit: String,
    /// The declared (or functional) unit, e.g. `1 kWh`.
    pub declared_unit: String,
    pub boundary: SystemBoundary,
    pub pcr: PcrRef,
    /// Background databases and their versions, e.g. `ecoinvent 3.10`.
    pub databases: Vec<String>,
    /// `None` where the PCR has no benchmark yet (the national label shows no grade).
    pub grade: Option<LabelGrade>,
    pub certificate_id: String,
    pub certification_body: CertificationBodyRef,
    /// Unix seconds (UTC), inclusive.
    pub valid_from: UnixSeconds,
    /// Unix seconds (UTC), exclusive: the label is valid while `now < valid_until`.
    pub valid_until: UnixSeconds,
    /// Index of this label's `label_issued` entry in the transparency log, when known
    /// at signing time.
    pub log_index: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelProduct {
    pub name: String,
    /// The holder's or registry's product id.
    pub id: String,
    /// GS1 GTIN-8/12/13/14, digits only, with a correct check digit.
    pub gtin: Option<String>,
}

/// The grade and the benchmark that gave it (the PCR is [`LabelStatement::pcr`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelGrade {
    /// The band's label, e.g. `A` or `1` ([`crate::benchmark::Grade::grade`]).
    pub grade: String,
    /// [`crate::benchmark::BenchmarkVersion::period`], e.g. `2025`.
    pub benchmark_period: String,
    /// [`crate::benchmark::BenchmarkVersion::version`].
    pub benchmark_version: u32,
}

impl LabelGrade {
    /// The grade a benchmark gave, as a label records it.
    pub fn from_grade(grade: &crate::benchmark::Grade) -> Self {
        Self {
            grade: grade.grade.clone(),
            benchmark_period: grade.period.clone(),
            benchmark_version: grade.benchmark_version,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificationBodyRef {
    pub name: String,
    /// The body's organisation id; also the owner of its signing keys.
    pub org_id: String,
}

/// Everything that can go wrong with a label. Each names the label or the part of the
/// payload at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LabelError {
    #[error("label statement: {field} {problem}")]
    InvalidStatement {
        field: &'static str,
        problem: String,
    },
    #[error("QR payload is malformed: {0}")]
    MalformedPayload(String),
    #[error("signed statement is not a label the QR format can carry exactly: {0}")]
    NotALabel(String),
    #[error(
        "registry base URL {0:?}: expected http(s)://host[/path], without query, fragment or spaces"
    )]
    InvalidBaseUrl(String),
    #[error("label {label_id}: {source}")]
    Signature {
        label_id: String,
        source: VerifyError,
    },
    #[error(
        "label {label_id}: signed by key {key_id} of {owner}, which is neither the registry ({REGISTRY_KEY_OWNER}) nor the certification body named on the label ({certification_body})"
    )]
    WrongSigner {
        label_id: String,
        key_id: KeyId,
        owner: String,
        certification_body: String,
    },
    #[error(
        "label {label_id}: the verification URL names label {url_label_id}, but the signed statement is for {label_id}"
    )]
    UrlMismatch {
        label_id: String,
        url_label_id: String,
    },
    #[error("label {label_id}: expired at {valid_until} (Unix seconds), checked at {now}")]
    Expired {
        label_id: String,
        valid_until: UnixSeconds,
        now: UnixSeconds,
    },
    #[error("label {label_id}: not valid before {valid_from} (Unix seconds), checked at {now}")]
    NotYetValid {
        label_id: String,
        valid_from: UnixSeconds,
        now: UnixSeconds,
    },
    #[error(
        "certificate status {0:?} is not one of valid, suspended, withdrawn (or revoked), expired, superseded"
    )]
    UnknownCertificateStatus(String),
    #[error("label signing: {0}")]
    Signing(String),
    #[error("QR code: {0}")]
    Qr(String),
    #[error("fonts: {0}")]
    Fonts(String),
    #[error("rendering: the SVG could not be read: {0}")]
    Svg(String),
    #[error(
        "rendering: no loaded font has a glyph for {chars:?}; install a CJK font (Debian: fonts-noto-cjk) or load one with LabelFonts"
    )]
    MissingGlyphs { chars: String },
    #[error("rendering: {0}")]
    Render(String),
}

impl LabelStatement {
    /// Checks what the format and the renderer rely on; [`sign_label`] refuses a
    /// statement that fails.
    pub fn check(&self) -> Result<(), LabelError> {
        let invalid = |field: &'static str, problem: String| {
            Err(LabelError::InvalidStatement { field, problem })
        };
        if self.label_id.is_empty() || self.label_id.len() > MAX_LABEL_ID_LEN {
            return invalid(
                "label_id",
                format!("must have 1 to {MAX_LABEL_ID_LEN} characters"),
            );
        }
        if !self.label_id.bytes().all(is_label_id_byte) {
            return invalid(
                "label_id",
                format!(
                    "{:?} may only use A-Z, a-z, 0-9, '.', '_' and '-' (it is a URL path segment)",
                    self.label_id
                ),
            );
        }
        for (field, text) in [
            ("product.name", &self.product.name),
            ("product.id", &self.product.id),
            ("unit", &self.unit),
            ("declared_unit", &self.declared_unit),
            ("pcr.id", &self.pcr.id),
            ("pcr.version", &self.pcr.version),
            ("certificate_id", &self.certificate_id),
            ("certification_body.name", &self.certification_body.name),
            ("certification_body.org_id", &self.certification_body.org_id),
        ] {
            if text.trim().is_empty() {
                return invalid(field, "is empty".to_string());
            }
        }
        if let Some(gtin) = &self.product.gtin {
            check_gtin(gtin).map_err(|problem| LabelError::InvalidStatement {
                field: "product.gtin",
                problem,
            })?;
        }
        if !self.value.is_finite() {
            return invalid("value", format!("{} is not a finite number", self.value));
        }
        if let Some(grade) = &self.grade
            && grade.grade.trim().is_empty()
        {
            return invalid("grade.grade", "is empty".to_string());
        }
        if self.valid_until <= self.valid_from {
            return invalid(
                "valid_until",
                format!(
                    "{} is not after valid_from {}",
                    self.valid_until, self.valid_from
                ),
            );
        }
        // Canonical JSON refuses integers beyond ±2^53; catch them here, by name.
        for (field, t) in [
            ("valid_from", self.valid_from),
            ("valid_until", self.valid_until),
        ] {
            if t.unsigned_abs() > MAX_EXACT_INTEGER {
                return invalid(field, format!("{t} is beyond ±2^53"));
            }
        }
        if let Some(index) = self.log_index
            && index > MAX_EXACT_INTEGER
        {
            return invalid("log_index", format!("{index} is beyond 2^53"));
        }
        Ok(())
    }

    /// Is the label valid at `now` by its own dates (certificate status aside)?
    pub fn check_validity(&self, now: UnixSeconds) -> Result<(), LabelError> {
        if now < self.valid_from {
            return Err(LabelError::NotYetValid {
                label_id: self.label_id.clone(),
                valid_from: self.valid_from,
                now,
            });
        }
        if now >= self.valid_until {
            return Err(LabelError::Expired {
                label_id: self.label_id.clone(),
                valid_until: self.valid_until,
                now,
            });
        }
        Ok(())
    }
}

fn is_label_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// A GS1 GTIN-8/12/13/14: digits only, with a correct check digit (weights 3, 1, 3, …
/// from the rightmost data digit); the problem as a sentence otherwise.
pub fn check_gtin(gtin: &str) -> Result<(), String> {
    if !matches!(gtin.len(), 8 | 12 | 13 | 14) || !gtin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{gtin:?} is not 8, 12, 13 or 14 digits"));
    }
    let digits: Vec<u32> = gtin.bytes().map(|b| u32::from(b - b'0')).collect();
    let (data, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = data
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    let expected = (10 - sum % 10) % 10;
    if check[0] != expected {
        return Err(format!(
            "{gtin:?} has check digit {}, expected {expected}",
            check[0]
        ));
    }
    Ok(())
}

/// Signs a label statement with `pair` at `signed_at`, after checking it and that the
/// QR format will carry it exactly.
pub fn sign_label(
    pair: &SigningKeyPair,
    statement: &LabelStatement,
    signed_at: UnixSeconds,
) -> Result<SignedStatement, LabelError> {
    statement.check()?;
    let signed = keys::sign_serializable(pair, statement, signed_at)
        .map_err(|e: KeyError| LabelError::Signing(e.to_string()))?;
    // Fails only on a bug in the compact mapping; better here than on a printed label.
    payload::compact_payload(&signed)?;
    Ok(signed)
}
