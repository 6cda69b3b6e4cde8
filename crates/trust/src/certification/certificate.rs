//! The certificate: issued on approval, valid for a period, under surveillance, and
//! ended by withdrawal, expiry or supersession.

use super::application::Application;
use super::{
    Actor, CertificationError, HistoryEntry, OrgKind, PcrRef, Timestamp, check_history,
    require_acting_role, require_in_order, require_text,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a certificate certifies: exactly this product, model version, footprint and PCR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateScope {
    pub product_id: String,
    pub model_version_id: String,
    /// Lowercase hex SHA-256, as verified by the body's recomputation.
    pub footprint_fingerprint: String,
    pub pcr: PcrRef,
}

/// A certificate's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    /// Temporarily not in force; may be reinstated before expiry.
    Suspended,
    /// Final: taken away.
    Withdrawn,
    /// Final: the validity period ended.
    Expired,
    /// Final: replaced by a re-certification. Kept apart from withdrawal because it says
    /// nothing against the holder, and a label verifier can point to the successor.
    Superseded,
}

impl CertificateStatus {
    pub const ALL: [CertificateStatus; 5] = [
        CertificateStatus::Valid,
        CertificateStatus::Suspended,
        CertificateStatus::Withdrawn,
        CertificateStatus::Expired,
        CertificateStatus::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Suspended => "suspended",
            CertificateStatus::Withdrawn => "withdrawn",
            CertificateStatus::Expired => "expired",
            CertificateStatus::Superseded => "superseded",
        }
    }

    /// Valid or suspended: not yet ended.
    pub fn is_in_force(self) -> bool {
        matches!(
            self,
            CertificateStatus::Valid | CertificateStatus::Suspended
        )
    }

    pub fn is_final(self) -> bool {
        !self.is_in_force()
    }
}

impl fmt::Display for CertificateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of a surveillance visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SurveillanceOutcome {
    Satisfactory,
    /// The body decides separately whether to suspend; the outcome is the evidence.
    Nonconformity {
        description: String,
    },
}

/// A scheduled (or unscheduled, recorded) surveillance visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveillanceVisit {
    /// `S-1`, `S-2`, … in the order scheduled.
    pub id: String,
    pub due_by: Timestamp,
    pub performed_at: Option<Timestamp>,
    pub auditor: Option<String>,
    pub outcome: Option<SurveillanceOutcome>,
    pub notes: String,
}

/// Why a certificate does not cover a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RecertificationReason {
    ModelVersionChanged { certified: String, given: String },
    FingerprintChanged { certified: String, given: String },
}

impl RecertificationReason {
    pub fn code(&self) -> &'static str {
        match self {
            RecertificationReason::ModelVersionChanged { .. } => "model_version_changed",
            RecertificationReason::FingerprintChanged { .. } => "fingerprint_changed",
        }
    }
}

impl fmt::Display for RecertificationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecertificationReason::ModelVersionChanged { certified, given } => write!(
                f,
                "model version {given} is not the certified {certified}; it requires re-certification"
            ),
            RecertificationReason::FingerprintChanged { certified, given } => write!(
                f,
                "footprint {given} is not the certified {certified}; it requires re-certification"
            ),
        }
    }
}

/// What the body (and, for some, the registry) does to a certificate. Serialised with an
/// `action` tag. Supersession is not here: it happens only through
/// [`approve_recertification`](super::approve_recertification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CertificateAction {
    /// Body: add a surveillance visit due by `due_by` (e.g. after a nonconformity).
    ScheduleSurveillance { due_by: Timestamp },
    /// Body: record a visit; it fulfils the earliest open scheduled one, or is added as
    /// unscheduled when none is open.
    RecordSurveillance {
        auditor: String,
        outcome: SurveillanceOutcome,
        #[serde(default)]
        notes: String,
        /// When the visit took place, if before it is recorded (an auditor records a visit
        /// after returning); not before the certificate was issued nor after recording.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        performed_at: Option<Timestamp>,
    },
    /// Body or registry.
    Suspend { reason: String },
    /// The party that suspended (body or registry), before expiry.
    Reinstate { reason: String },
    /// Body or registry; final.
    Withdraw { reason: String },
    /// Body or registry: record that the validity period has ended.
    Expire,
}

impl CertificateAction {
    pub fn code(&self) -> &'static str {
        match self {
            CertificateAction::ScheduleSurveillance { .. } => "schedule_surveillance",
            CertificateAction::RecordSurveillance { .. } => "record_surveillance",
            CertificateAction::Suspend { .. } => "suspend",
            CertificateAction::Reinstate { .. } => "reinstate",
            CertificateAction::Withdraw { .. } => "withdraw",
            CertificateAction::Expire => "expire",
        }
    }

    fn text(&self) -> &'static str {
        match self {
            CertificateAction::ScheduleSurveillance { .. } => "schedule surveillance of",
            CertificateAction::RecordSurveillance { .. } => "record surveillance of",
            CertificateAction::Suspend { .. } => "suspend",
            CertificateAction::Reinstate { .. } => "reinstate",
            CertificateAction::Withdraw { .. } => "withdraw",
            CertificateAction::Expire => "expire",
        }
    }
}

/// An issued certificate with its surveillance record and append-only history. Fields
/// are private so only the state machine changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    id: String,
    application_id: String,
    holder_org_id: String,
    certification_body_org_id: String,
    scope: CertificateScope,
    issued_at: Timestamp,
    /// Exclusive: valid while `at < valid_until`.
    valid_until: Timestamp,
    /// The recorded status; [`Certificate::status_at`] also applies expiry.
    status: CertificateStatus,
    /// Who suspended it, while suspended: only that party may reinstate.
    suspended_by: Option<OrgKind>,
    supersedes: Option<String>,
    superseded_by: Option<String>,
    surveillance: Vec<SurveillanceVisit>,
    history: Vec<HistoryEntry<CertificateStatus>>,
}

impl Certificate {
    /// Issues the certificate for an application whose approval has been checked.
    pub(super) fn issue(
        id: String,
        app: &Application,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Certificate, CertificationError> {
        require_text("certificate_id", &id)?;
        let rules = app.rules();
        let overflow = || CertificationError::Invalid {
            field: "at".into(),
            why: format!("{at} plus the validity period is out of range"),
        };
        let valid_until = at.add_years(rules.validity_years).ok_or_else(overflow)?;
        // One visit per interval after issue, each due before the validity ends; the end
        // of the last interval is re-certification's business.
        let mut surveillance = Vec::new();
        let mut k: u32 = 1;
        while let Some(due) = k
            .checked_mul(rules.surveillance_interval_months)
            .and_then(|months| at.add_months(months))
            .filter(|due| *due < valid_until)
        {
            surveillance.push(SurveillanceVisit {
                id: format!("S-{k}"),
                due_by: due,
                performed_at: None,
                auditor: None,
                outcome: None,
                notes: String::new(),
            });
            k += 1;
        }
        Ok(Certificate {
            history: vec![HistoryEntry {
                seq: 0,
                at,
                actor: actor.clone(),
                action: "issue".into(),
                reason: format!(
                    "issued on approval of application {}, valid until {valid_until}",
                    app.id()
                ),
                from: None,
                to: CertificateStatus::Valid,
            }],
            id,
            application_id: app.id().to_string(),
            holder_org_id: app.enterprise_org_id().to_string(),
            certification_body_org_id: app.certification_body_org_id().to_string(),
            scope: CertificateScope::of(app),
            issued_at: at,
            valid_until,
            status: CertificateStatus::Valid,
            suspended_by: None,
            supersedes: app.previous_certificate_id().map(str::to_string),
            superseded_by: None,
            surveillance,
        })
    }

    /// The status at `at`: the recorded status, except that a certificate still in force
    /// at or after `valid_until` is expired whether or not anyone recorded it.
    pub fn status_at(&self, at: Timestamp) -> CertificateStatus {
        expire_if_due(self.status, at, self.valid_until)
    }

    /// The status the history gives for an instant `at` in the past (or now): `None`
    /// before issue. Unlike [`status_at`](Self::status_at), later transitions are
    /// ignored, so this answers "was it valid on that day?".
    pub fn status_as_of(&self, at: Timestamp) -> Option<CertificateStatus> {
        let recorded = self.history.iter().rev().find(|e| e.at <= at)?.to;
        Some(expire_if_due(recorded, at, self.valid_until))
    }

    /// Whether this certificate's scope is exactly this model version and footprint.
    /// Scope only: combine with [`status_at`](Self::status_at) for "is it certified now".
    pub fn covers(&self, model_version_id: &str, footprint_fingerprint: &str) -> bool {
        self.requires_recertification(model_version_id, footprint_fingerprint)
            .is_none()
    }

    /// Why a model version / footprint is not covered (`None` if it is): a changed model
    /// needs re-certification.
    pub fn requires_recertification(
        &self,
        model_version_id: &str,
        footprint_fingerprint: &str,
    ) -> Option<RecertificationReason> {
        if model_version_id != self.scope.model_version_id {
            return Some(RecertificationReason::ModelVersionChanged {
                certified: self.scope.model_version_id.clone(),
                given: model_version_id.to_string(),
            });
        }
        if !footprint_fingerprint.eq_ignore_ascii_case(&self.scope.footprint_fingerprint) {
            return Some(RecertificationReason::FingerprintChanged {
                certified: self.scope.footprint_fingerprint.clone(),
                given: footprint_fingerprint.to_string(),
            });
        }
        None
    }

    /// Scheduled visits not performed and already past due at `at`, while the
    /// certificate is in force: the server flags them to the body.
    pub fn overdue_surveillance(&self, at: Timestamp) -> Vec<&SurveillanceVisit> {
        if !self.status_at(at).is_in_force() {
            return Vec::new();
        }
        self.surveillance
            .iter()
            .filter(|v| v.performed_at.is_none() && v.due_by < at)
            .collect()
    }

    /// Takes `action` by `actor` at `at`. On success the history gains one entry; on
    /// error nothing changes.
    pub fn act(
        &mut self,
        action: CertificateAction,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<(), CertificationError> {
        let subject = self.subject();
        let (code, text) = (action.code(), action.text());
        require_acting_role(actor, &subject, code, text)?;
        self.check_party(&action, actor)?;
        require_in_order(&self.history, at, &subject, code, text)?;
        self.check_state(&action, at)?;
        use CertificateStatus as S;
        let current = self.status;
        let (to, reason) = match action {
            CertificateAction::ScheduleSurveillance { due_by } => {
                if due_by < at || due_by >= self.valid_until {
                    return Err(CertificationError::Invalid {
                        field: "due_by".into(),
                        why: format!(
                            "{due_by} is not between now ({at}) and the end of validity ({})",
                            self.valid_until
                        ),
                    });
                }
                let id = format!("S-{}", self.surveillance.len() + 1);
                self.surveillance.push(SurveillanceVisit {
                    id: id.clone(),
                    due_by,
                    performed_at: None,
                    auditor: None,
                    outcome: None,
                    notes: String::new(),
                });
                (
                    current,
                    format!("surveillance {id} scheduled, due by {due_by}"),
                )
            }
            CertificateAction::RecordSurveillance {
                auditor,
                outcome,
                notes,
                performed_at,
            } => {
                require_text("auditor", &auditor)?;
                let performed_at = performed_at.unwrap_or(at);
                if performed_at > at || performed_at < self.issued_at {
                    return Err(CertificationError::Invalid {
                        field: "performed_at".into(),
                        why: format!(
                            "{performed_at} is not between the issue of the certificate ({}) and now ({at})",
                            self.issued_at
                        ),
                    });
                }
                if let SurveillanceOutcome::Nonconformity { description } = &outcome {
                    require_text("outcome.description", description)?;
                }
                let summary = match &outcome {
                    SurveillanceOutcome::Satisfactory => "satisfactory".to_string(),
                    SurveillanceOutcome::Nonconformity { description } => {
                        format!("nonconformity: {description}")
                    }
                };
                let open = self
                    .surveillance
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.performed_at.is_none())
                    .min_by_key(|(_, v)| v.due_by)
                    .map(|(i, _)| i);
                let index = match open {
                    Some(i) => i,
                    None => {
                        self.surveillance.push(SurveillanceVisit {
                            id: format!("S-{}", self.surveillance.len() + 1),
                            due_by: at,
                            performed_at: None,
                            auditor: None,
                            outcome: None,
                            notes: String::new(),
                        });
                        self.surveillance.len() - 1
                    }
                };
                let visit = &mut self.surveillance[index];
                visit.performed_at = Some(performed_at);
                visit.auditor = Some(auditor.clone());
                visit.outcome = Some(outcome);
                visit.notes = notes;
                (
                    current,
                    format!("surveillance {} by {auditor}: {summary}", visit.id),
                )
            }
            CertificateAction::Suspend { reason } => {
                require_text("reason", &reason)?;
                self.suspended_by = Some(actor.org_kind);
                (S::Suspended, reason)
            }
            CertificateAction::Reinstate { reason } => {
                require_text("reason", &reason)?;
                self.suspended_by = None;
                (S::Valid, reason)
            }
            CertificateAction::Withdraw { reason } => {
                require_text("reason", &reason)?;
                self.suspended_by = None;
                (S::Withdrawn, reason)
            }
            CertificateAction::Expire => {
                self.suspended_by = None;
                (
                    S::Expired,
                    format!("the validity period ended at {}", self.valid_until),
                )
            }
        };
        self.record(code, reason, to, actor, at);
        Ok(())
    }

    /// Marks this certificate superseded by `by` (checked by the caller,
    /// [`approve_recertification`](super::approve_recertification)).
    pub(super) fn supersede(
        &mut self,
        by: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<(), CertificationError> {
        let subject = self.subject();
        let (code, text) = ("supersede", "supersede");
        require_in_order(&self.history, at, &subject, code, text)?;
        let effective = self.status_at(at);
        if !effective.is_in_force() {
            return Err(self.illegal(code, text, effective, self.final_why(effective)));
        }
        self.suspended_by = None;
        self.superseded_by = Some(by.to_string());
        self.record(
            code,
            format!("superseded by re-certification {by}"),
            CertificateStatus::Superseded,
            actor,
            at,
        );
        Ok(())
    }

    fn check_party(
        &self,
        action: &CertificateAction,
        actor: &Actor,
    ) -> Result<(), CertificationError> {
        let is_body =
            actor.org_kind == OrgKind::Certifier && actor.org_id == self.certification_body_org_id;
        let is_registry = actor.org_kind == OrgKind::Registry;
        let body = &self.certification_body_org_id;
        let (ok, why) = match action {
            CertificateAction::ScheduleSurveillance { .. }
            | CertificateAction::RecordSurveillance { .. } => (
                is_body,
                format!("only the issuing certification body, {body}, runs surveillance"),
            ),
            CertificateAction::Reinstate { .. } => match self.suspended_by {
                Some(OrgKind::Registry) => (
                    is_registry,
                    "the registry suspended it, so only the registry may".to_string(),
                ),
                _ => (
                    is_body,
                    format!("only the issuing certification body, {body}, which suspended it, may"),
                ),
            },
            CertificateAction::Suspend { .. }
            | CertificateAction::Withdraw { .. }
            | CertificateAction::Expire => (
                is_body || is_registry,
                format!("only the issuing certification body, {body}, or the registry may"),
            ),
        };
        if ok {
            return Ok(());
        }
        Err(CertificationError::NotPermitted {
            subject: self.subject(),
            action: action.code(),
            action_text: action.text(),
            actor: Box::new(actor.clone()),
            why,
        })
    }

    fn check_state(
        &self,
        action: &CertificateAction,
        at: Timestamp,
    ) -> Result<(), CertificationError> {
        use CertificateStatus as S;
        let effective = self.status_at(at);
        let (code, text) = (action.code(), action.text());
        if let CertificateAction::Expire = action {
            return match (self.status, effective) {
                (_, S::Expired) if self.status.is_in_force() => Ok(()),
                (S::Valid | S::Suspended, _) => Err(self.illegal(
                    code,
                    text,
                    effective,
                    format!("its validity runs until {}", self.valid_until),
                )),
                _ => Err(self.illegal(code, text, effective, self.final_why(effective))),
            };
        }
        if effective.is_final() {
            return Err(self.illegal(code, text, effective, self.final_why(effective)));
        }
        match (action, effective) {
            (CertificateAction::Suspend { .. }, S::Suspended) => {
                Err(self.illegal(code, text, effective, "it is already suspended".into()))
            }
            (CertificateAction::Reinstate { .. }, S::Valid) => Err(self.illegal(
                code,
                text,
                effective,
                "only a suspended certificate can be reinstated".into(),
            )),
            _ => Ok(()),
        }
    }

    fn final_why(&self, effective: CertificateStatus) -> String {
        match effective {
            CertificateStatus::Withdrawn => "withdrawal is final".into(),
            CertificateStatus::Superseded => format!(
                "it was superseded by {}; supersession is final",
                self.superseded_by
                    .as_deref()
                    .unwrap_or("a re-certification")
            ),
            CertificateStatus::Expired if self.status.is_in_force() => format!(
                "its validity ended at {}; expiry is final, re-certify instead",
                self.valid_until
            ),
            CertificateStatus::Expired => format!(
                "it expired at {}; expiry is final, re-certify instead",
                self.valid_until
            ),
            CertificateStatus::Valid | CertificateStatus::Suspended => String::new(),
        }
    }

    fn illegal(
        &self,
        action: &'static str,
        action_text: &'static str,
        state: CertificateStatus,
        why: String,
    ) -> CertificationError {
        CertificationError::IllegalTransition {
            subject: self.subject(),
            action,
            action_text,
            state: state.as_str(),
            state_text: state.as_str(),
            why,
        }
    }

    fn record(
        &mut self,
        action: &str,
        reason: String,
        to: CertificateStatus,
        actor: &Actor,
        at: Timestamp,
    ) {
        let from = self.status;
        self.status = to;
        self.history.push(HistoryEntry {
            seq: self.history.len() as u64,
            at,
            actor: actor.clone(),
            action: action.into(),
            reason,
            from: Some(from),
            to,
        });
    }

    fn subject(&self) -> String {
        format!("certificate {}", self.id)
    }

    /// Checks a record read back from storage: its history holds together and ends in
    /// its recorded status, it was issued when its history says, and its validity ends
    /// after it starts. (Records made by this module always pass.)
    pub fn check_integrity(&self) -> Result<(), CertificationError> {
        let subject = self.subject();
        check_history(&self.history, self.status, &subject)?;
        let fail = |why: String| {
            Err(CertificationError::InconsistentRecord {
                subject: subject.clone(),
                why,
            })
        };
        if self.history[0].at != self.issued_at {
            return fail("its first history entry is not its issue".into());
        }
        if self.valid_until <= self.issued_at {
            return fail("its validity ends before it starts".into());
        }
        if (self.status == CertificateStatus::Superseded) != self.superseded_by.is_some() {
            return fail("its superseded status and successor disagree".into());
        }
        Ok(())
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn application_id(&self) -> &str {
        &self.application_id
    }
    pub fn holder_org_id(&self) -> &str {
        &self.holder_org_id
    }
    pub fn certification_body_org_id(&self) -> &str {
        &self.certification_body_org_id
    }
    pub fn scope(&self) -> &CertificateScope {
        &self.scope
    }
    pub fn issued_at(&self) -> Timestamp {
        self.issued_at
    }
    /// Exclusive end of validity.
    pub fn valid_until(&self) -> Timestamp {
        self.valid_until
    }
    /// The last recorded status (no expiry applied); see [`status_at`](Self::status_at).
    pub fn recorded_status(&self) -> CertificateStatus {
        self.status
    }
    pub fn suspended_by(&self) -> Option<OrgKind> {
        self.suspended_by
    }
    /// The certificate this one re-certifies.
    pub fn supersedes(&self) -> Option<&str> {
        self.supersedes.as_deref()
    }
    pub fn superseded_by(&self) -> Option<&str> {
        self.superseded_by.as_deref()
    }
    pub fn surveillance(&self) -> &[SurveillanceVisit] {
        &self.surveillance
    }
    pub fn history(&self) -> &[HistoryEntry<CertificateStatus>] {
        &self.history
    }
}

fn expire_if_due(
    status: CertificateStatus,
    at: Timestamp,
    valid_until: Timestamp,
) -> CertificateStatus {
    if status.is_in_force() && at >= valid_until {
        CertificateStatus::Expired
    } else {
        status
    }
}
