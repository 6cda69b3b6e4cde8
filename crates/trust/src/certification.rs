//! The certification workflow as an explicit, pure state machine (issue 6, deliverable 3).
//!
//! Two records, each with its own states and an append-only history:
//!
//! - [`Application`]: an enterprise applies to a certification body for a product, a
//!   model version, its computed footprint fingerprint and the PCR it follows; the body
//!   reviews documents, records findings, asks for corrections, records the on-site
//!   visit, recomputes the footprint and decides. Approval issues a [`Certificate`].
//! - [`Certificate`]: valid for two years by default (the CNCA general rules for product
//!   carbon footprint label certification), under surveillance, and can be suspended,
//!   reinstated, withdrawn, expire, or be superseded by a re-certification.
//!
//! Nothing here reads a clock, a file or the network: every action is given the
//! [`Timestamp`] it happens at and the [`Actor`] doing it, and either returns the new
//! state (recording who, when, why, from and to) or a [`CertificationError`] naming the
//! current state, the attempted action and why. A refused action changes nothing.
//! `docs/certification.md` has the tables.

mod application;
mod certificate;
mod time;

pub use application::{
    Application, ApplicationAction, ApplicationRequest, ApplicationStatus, ApprovalBlocker,
    Finding, FindingSeverity, FindingStatus, FootprintVerification, OnSiteVisit,
    approve_recertification,
};
pub use certificate::{
    Certificate, CertificateAction, CertificateScope, CertificateStatus, RecertificationReason,
    SurveillanceOutcome, SurveillanceVisit,
};
pub use time::{Date, DateParseError, Timestamp};

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of organisation an actor acts for (mirrors the store's `OrgKind`; repeated
/// here so the trust crate depends on the model only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Enterprise,
    Certifier,
    Registry,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Enterprise => "enterprise",
            OrgKind::Certifier => "certifier",
            OrgKind::Registry => "registry",
        }
    }
}

/// The actor's role inside its organisation (mirrors the store's `Role`). Viewers read;
/// only editors and admins may move a workflow on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Viewer,
    Editor,
    Admin,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Viewer => "viewer",
            MemberRole::Editor => "editor",
            MemberRole::Admin => "admin",
        }
    }
}

/// Who performs an action: recorded in every history entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub org_id: String,
    pub org_kind: OrgKind,
    pub user_id: String,
    pub role: MemberRole,
}

impl Actor {
    pub fn new(
        org_id: impl Into<String>,
        org_kind: OrgKind,
        user_id: impl Into<String>,
        role: MemberRole,
    ) -> Actor {
        Actor {
            org_id: org_id.into(),
            org_kind,
            user_id: user_id.into(),
            role,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "user {} of {} {} ({})",
            self.user_id,
            self.org_kind.as_str(),
            self.org_id,
            self.role.as_str()
        )
    }
}

/// A product category rule, by id and version (the PCR types live in `pcr`; this module
/// only needs to name one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PcrRef {
    pub id: String,
    pub version: String,
}

/// A supporting document: its name and the SHA-256 of its content (the store keeps the
/// bytes; the workflow pins exactly which bytes were reviewed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SupportingDocument {
    pub name: String,
    pub sha256: String,
}

/// Defaults the workflow applies; fixed into an application when it is made, so a later
/// change of policy does not change the rules of a running application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificationRules {
    /// Validity of a certificate from its issue. Default 2: the CNCA general rules for
    /// product carbon footprint label certification (《产品碳足迹标识认证通用实施规则(试行)》,
    /// 17 March 2025) give certificates two years, kept valid through surveillance.
    pub validity_years: u32,
    /// Months between scheduled surveillance visits. Default 12 (at least one a year):
    /// Zuji's default; the general rules require post-certification surveillance but the
    /// frequency was not verified in a stored source.
    pub surveillance_interval_months: u32,
    /// Whether approval needs a recorded on-site visit. Default false: the issue lists
    /// the approval conditions without it; a body following the CNCA process (which has
    /// an on-site inspection step) turns it on.
    pub require_on_site_visit: bool,
}

impl Default for CertificationRules {
    fn default() -> CertificationRules {
        CertificationRules {
            validity_years: 2,
            surveillance_interval_months: 12,
            require_on_site_visit: false,
        }
    }
}

/// One entry of an append-only history: who moved the record from which state to which,
/// when, by what action and why. `from` is `None` only for the entry that created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry<S> {
    /// 0 for the creating entry, then +1 each entry.
    pub seq: u64,
    pub at: Timestamp,
    pub actor: Actor,
    /// The action's machine code, e.g. `verify_footprint`, `suspend`.
    pub action: String,
    pub reason: String,
    pub from: Option<S>,
    pub to: S,
}

/// Why an action was refused. Every variant has a stable machine code ([`code`]) that
/// the server translates; the English message is for logs and the API's `message`.
///
/// [`code`]: CertificationError::code
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertificationError {
    /// The action is not allowed from the record's current state.
    #[error("cannot {action_text} {subject}: it is {state_text} ({why})")]
    IllegalTransition {
        /// `application A-1`, `certificate C-1`.
        subject: String,
        /// Machine code of the action, e.g. `reinstate`.
        action: &'static str,
        action_text: &'static str,
        /// Machine code of the state, e.g. `withdrawn`.
        state: &'static str,
        state_text: &'static str,
        why: String,
    },
    /// The actor is not the party that may take this action.
    #[error("{actor} may not {action_text} {subject}: {why}")]
    NotPermitted {
        subject: String,
        action: &'static str,
        action_text: &'static str,
        actor: Box<Actor>,
        why: String,
    },
    /// Approval was asked for while conditions are unmet; every unmet one is listed.
    #[error("cannot approve {subject}: {}", join_blockers(.blockers))]
    ApprovalBlocked {
        subject: String,
        blockers: Vec<ApprovalBlocker>,
    },
    /// Certification cannot start while the PCR conformance check misses mandatory items.
    #[error("cannot apply for certification of product {product_id}: the PCR conformance check misses mandatory items: {}", .missed.join(", "))]
    ConformanceBlocking {
        product_id: String,
        missed: Vec<String>,
    },
    /// An action is dated before the last entry of the record's history.
    #[error(
        "cannot {action_text} {subject} at {at}: its history already has an entry at {last}, and history only moves forward"
    )]
    OutOfOrder {
        subject: String,
        action: &'static str,
        action_text: &'static str,
        at: Timestamp,
        last: Timestamp,
    },
    /// A field of the request is empty or malformed.
    #[error("invalid {field}: {why}")]
    Invalid { field: String, why: String },
    /// A finding id that the application does not have.
    #[error("{subject} has no finding {finding_id}")]
    UnknownFinding { subject: String, finding_id: String },
    /// The certificate given to a re-certification is not the one the application
    /// references, or is for another product or holder.
    #[error("{subject} cannot supersede certificate {certificate_id}: {why}")]
    RecertificationMismatch {
        subject: String,
        certificate_id: String,
        why: String,
    },
    /// A record read back (e.g. from the store) whose history does not hold together.
    #[error("{subject} is inconsistent: {why}")]
    InconsistentRecord { subject: String, why: String },
}

impl CertificationError {
    /// A stable machine code for the server to map to a status and a translation.
    pub fn code(&self) -> &'static str {
        match self {
            CertificationError::IllegalTransition { .. } => "certification_illegal_transition",
            CertificationError::NotPermitted { .. } => "certification_not_permitted",
            CertificationError::ApprovalBlocked { .. } => "certification_approval_blocked",
            CertificationError::ConformanceBlocking { .. } => "certification_conformance_blocking",
            CertificationError::OutOfOrder { .. } => "certification_out_of_order",
            CertificationError::Invalid { .. } => "certification_invalid",
            CertificationError::UnknownFinding { .. } => "certification_unknown_finding",
            CertificationError::RecertificationMismatch { .. } => {
                "certification_recertification_mismatch"
            }
            CertificationError::InconsistentRecord { .. } => "certification_inconsistent_record",
        }
    }
}

fn join_blockers(blockers: &[ApprovalBlocker]) -> String {
    blockers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// `field` must have a non-blank value.
fn require_text(field: &str, value: &str) -> Result<(), CertificationError> {
    if value.trim().is_empty() {
        return Err(CertificationError::Invalid {
            field: field.to_string(),
            why: "must not be empty".to_string(),
        });
    }
    Ok(())
}

/// A SHA-256 in hex (64 digits, either case), returned lowercase so comparisons are
/// exact. Fingerprints are SHA-256 too (`zuji-calc`'s `Fingerprint::sha256`).
fn normalise_sha256(field: &str, value: &str) -> Result<String, CertificationError> {
    if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CertificationError::Invalid {
            field: field.to_string(),
            why: format!("'{value}' is not a SHA-256 in hex (64 hex digits)"),
        });
    }
    Ok(value.to_ascii_lowercase())
}

/// Refuses viewers: reading is not acting.
fn require_acting_role(
    actor: &Actor,
    subject: &str,
    action: &'static str,
    action_text: &'static str,
) -> Result<(), CertificationError> {
    if actor.role == MemberRole::Viewer {
        return Err(CertificationError::NotPermitted {
            subject: subject.to_string(),
            action,
            action_text,
            actor: Box::new(actor.clone()),
            why: "viewers may read but not act; an editor or admin must".to_string(),
        });
    }
    Ok(())
}

/// Refuses an action dated before the last history entry.
fn require_in_order<S>(
    history: &[HistoryEntry<S>],
    at: Timestamp,
    subject: &str,
    action: &'static str,
    action_text: &'static str,
) -> Result<(), CertificationError> {
    match history.last() {
        Some(last) if at < last.at => Err(CertificationError::OutOfOrder {
            subject: subject.to_string(),
            action,
            action_text,
            at,
            last: last.at,
        }),
        _ => Ok(()),
    }
}

/// The invariants of an append-only history: it starts with a creating entry, numbers
/// its entries 0, 1, 2, …, never goes back in time, each entry starts where the previous
/// one ended, and the last one ends in the record's current state.
fn check_history<S: Copy + PartialEq + fmt::Debug>(
    history: &[HistoryEntry<S>],
    status: S,
    subject: &str,
) -> Result<(), CertificationError> {
    let fail = |why: String| {
        Err(CertificationError::InconsistentRecord {
            subject: subject.to_string(),
            why,
        })
    };
    let Some(first) = history.first() else {
        return fail("its history is empty".into());
    };
    if first.from.is_some() {
        return fail("its first history entry does not create it".into());
    }
    for (i, entry) in history.iter().enumerate() {
        if entry.seq != i as u64 {
            return fail(format!("history entry {i} is numbered {}", entry.seq));
        }
        if i > 0 {
            let prev = &history[i - 1];
            if entry.at < prev.at {
                return fail(format!("history entry {i} is dated before entry {}", i - 1));
            }
            if entry.from != Some(prev.to) {
                return fail(format!(
                    "history entry {i} starts from {:?}, but entry {} ended in {:?}",
                    entry.from,
                    i - 1,
                    prev.to
                ));
            }
        }
    }
    let last = history[history.len() - 1].to;
    if last != status {
        return fail(format!(
            "its status is {status:?} but its history ends in {last:?}"
        ));
    }
    Ok(())
}
