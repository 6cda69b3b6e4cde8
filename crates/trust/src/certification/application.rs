//! The application: from an enterprise's request to the certification body's decision.

use super::certificate::{Certificate, CertificateScope};
use super::{
    Actor, CertificationError, CertificationRules, Date, HistoryEntry, OrgKind, PcrRef,
    SupportingDocument, Timestamp, check_history, normalise_sha256, require_acting_role,
    require_in_order, require_text,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an enterprise submits when it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRequest {
    pub product_id: String,
    pub model_version_id: String,
    /// The SHA-256 fingerprint of the footprint computed from that model version.
    pub footprint_fingerprint: String,
    pub pcr: PcrRef,
    pub documents: Vec<SupportingDocument>,
    /// The certification body applied to.
    pub certification_body_org_id: String,
    /// Set for a re-certification: the certificate the new one will supersede.
    #[serde(default)]
    pub previous_certificate_id: Option<String>,
    /// Mandatory PCR items the conformance check reports missed for this model version;
    /// certification cannot start unless it is empty.
    #[serde(default)]
    pub pcr_missed_mandatory: Vec<String>,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Applied; the body has not started document review.
    Submitted,
    /// The body is reviewing: documents, findings, on-site visit, footprint verification.
    UnderReview,
    /// Returned to the enterprise until it responds.
    CorrectionsRequested,
    /// Final: a certificate was issued.
    Approved,
    /// Final: refused with a reason.
    Rejected,
    /// Final: the enterprise withdrew it before a decision.
    Withdrawn,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 6] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::CorrectionsRequested,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
        ApplicationStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::CorrectionsRequested => "corrections_requested",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    /// Completes "it is …" in messages.
    fn describe(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::UnderReview => "under review",
            ApplicationStatus::CorrectionsRequested => "awaiting the enterprise's corrections",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Approved
                | ApplicationStatus::Rejected
                | ApplicationStatus::Withdrawn
        )
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// Blocks approval while open.
    Major,
    Minor,
    Observation,
}

impl FindingSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingSeverity::Major => "major",
            FindingSeverity::Minor => "minor",
            FindingSeverity::Observation => "observation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    Open,
    Closed,
}

/// A review finding against a clause of the PCR or standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// `F-1`, `F-2`, … in the order raised.
    pub id: String,
    pub severity: FindingSeverity,
    pub clause: String,
    pub text: String,
    pub status: FindingStatus,
    pub raised_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub resolution: Option<String>,
}

/// The record of an on-site visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSiteVisit {
    pub date: Date,
    pub site: String,
    pub auditor: String,
    pub notes: String,
    pub recorded_at: Timestamp,
}

/// The outcome of the verifier's recomputation of the footprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FootprintVerification {
    /// Not yet recomputed, or the applied model/footprint changed since.
    NotVerified,
    /// The recomputation gave the applied fingerprint.
    Verified { fingerprint: String, at: Timestamp },
    /// The recomputation gave another fingerprint; a major finding was raised.
    Mismatch {
        applied: String,
        recomputed: String,
        at: Timestamp,
        finding_id: String,
    },
}

/// One unmet condition for approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "blocker", rename_all = "snake_case")]
pub enum ApprovalBlocker {
    DocumentReviewNotDone,
    OpenMajorFindings {
        finding_ids: Vec<String>,
    },
    FootprintNotVerified,
    FootprintMismatch {
        applied: String,
        recomputed: String,
    },
    ConformanceBlocking {
        missed: Vec<String>,
    },
    OnSiteVisitMissing,
    /// A re-certification must be approved with [`approve_recertification`] so the
    /// previous certificate is superseded in the same step.
    RecertificationNeedsPreviousCertificate {
        previous_certificate_id: String,
    },
}

impl ApprovalBlocker {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ApprovalBlocker::DocumentReviewNotDone => "document_review_not_done",
            ApprovalBlocker::OpenMajorFindings { .. } => "open_major_findings",
            ApprovalBlocker::FootprintNotVerified => "footprint_not_verified",
            ApprovalBlocker::FootprintMismatch { .. } => "footprint_mismatch",
            ApprovalBlocker::ConformanceBlocking { .. } => "conformance_blocking",
            ApprovalBlocker::OnSiteVisitMissing => "on_site_visit_missing",
            ApprovalBlocker::RecertificationNeedsPreviousCertificate { .. } => {
                "recertification_needs_previous_certificate"
            }
        }
    }
}

impl fmt::Display for ApprovalBlocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApprovalBlocker::DocumentReviewNotDone => f.write_str("document review is not done"),
            ApprovalBlocker::OpenMajorFindings { finding_ids } => {
                write!(f, "major findings are open: {}", finding_ids.join(", "))
            }
            ApprovalBlocker::FootprintNotVerified => {
                f.write_str("the footprint has not been verified by recomputation")
            }
            ApprovalBlocker::FootprintMismatch {
                applied,
                recomputed,
            } => write!(
                f,
                "the recomputed fingerprint {recomputed} differs from the applied {applied}"
            ),
            ApprovalBlocker::ConformanceBlocking { missed } => write!(
                f,
                "the PCR conformance check misses mandatory items: {}",
                missed.join(", ")
            ),
            ApprovalBlocker::OnSiteVisitMissing => f.write_str("no on-site visit is recorded"),
            ApprovalBlocker::RecertificationNeedsPreviousCertificate {
                previous_certificate_id,
            } => write!(
                f,
                "it re-certifies {previous_certificate_id}, which must be superseded in the same step"
            ),
        }
    }
}

/// What the parties do to an application. Serialised with an `action` tag, so an API
/// body can be deserialised straight into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ApplicationAction {
    /// Body: accept the application and begin reviewing its documents.
    StartDocumentReview,
    /// Body: the documents (as they now stand) have been reviewed.
    CompleteDocumentReview {
        #[serde(default)]
        note: String,
    },
    /// Body.
    RecordFinding {
        severity: FindingSeverity,
        clause: String,
        text: String,
    },
    /// Body.
    CloseFinding {
        finding_id: String,
        resolution: String,
    },
    /// Body: return the application to the enterprise.
    RequestCorrections { reason: String },
    /// Enterprise: answer a request for corrections, with a corrected model version and
    /// its fingerprint, corrected documents, or only an explanation.
    RespondToCorrections {
        #[serde(default)]
        model_version_id: Option<String>,
        #[serde(default)]
        footprint_fingerprint: Option<String>,
        #[serde(default)]
        documents: Vec<SupportingDocument>,
        note: String,
    },
    /// Body.
    RecordOnSiteVisit {
        date: Date,
        site: String,
        auditor: String,
        notes: String,
    },
    /// Body: the fingerprint of the verifier's own recomputation.
    VerifyFootprint { recomputed_fingerprint: String },
    /// Body: approve and issue certificate `certificate_id` (the store mints the id).
    /// `pcr_missed_mandatory` is the conformance check as it stands at decision time.
    Approve {
        #[serde(default)]
        certificate_id: String,
        #[serde(default)]
        pcr_missed_mandatory: Vec<String>,
    },
    /// Body.
    Reject { reason: String },
    /// Enterprise: withdraw before a decision.
    Withdraw { reason: String },
}

/// Which party an action belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Party {
    Enterprise,
    Body,
}

impl ApplicationAction {
    /// The action's machine code (recorded in history entries).
    pub fn code(&self) -> &'static str {
        match self {
            ApplicationAction::StartDocumentReview => "start_document_review",
            ApplicationAction::CompleteDocumentReview { .. } => "complete_document_review",
            ApplicationAction::RecordFinding { .. } => "record_finding",
            ApplicationAction::CloseFinding { .. } => "close_finding",
            ApplicationAction::RequestCorrections { .. } => "request_corrections",
            ApplicationAction::RespondToCorrections { .. } => "respond_to_corrections",
            ApplicationAction::RecordOnSiteVisit { .. } => "record_on_site_visit",
            ApplicationAction::VerifyFootprint { .. } => "verify_footprint",
            ApplicationAction::Approve { .. } => "approve",
            ApplicationAction::Reject { .. } => "reject",
            ApplicationAction::Withdraw { .. } => "withdraw",
        }
    }

    fn text(&self) -> &'static str {
        match self {
            ApplicationAction::StartDocumentReview => "start document review of",
            ApplicationAction::CompleteDocumentReview { .. } => "complete document review of",
            ApplicationAction::RecordFinding { .. } => "record a finding on",
            ApplicationAction::CloseFinding { .. } => "close a finding on",
            ApplicationAction::RequestCorrections { .. } => "request corrections to",
            ApplicationAction::RespondToCorrections { .. } => "respond to corrections on",
            ApplicationAction::RecordOnSiteVisit { .. } => "record an on-site visit for",
            ApplicationAction::VerifyFootprint { .. } => "verify the footprint of",
            ApplicationAction::Approve { .. } => "approve",
            ApplicationAction::Reject { .. } => "reject",
            ApplicationAction::Withdraw { .. } => "withdraw",
        }
    }

    fn party(&self) -> Party {
        match self {
            ApplicationAction::RespondToCorrections { .. } | ApplicationAction::Withdraw { .. } => {
                Party::Enterprise
            }
            _ => Party::Body,
        }
    }

    /// `Err(why)` when the action cannot be taken from `state`.
    fn allowed_from(&self, state: ApplicationStatus, app: &Application) -> Result<(), String> {
        use ApplicationStatus as S;
        let open = match state {
            S::Approved => {
                return Err(format!(
                    "the decision is final; certificate {} was issued",
                    app.certificate_id.as_deref().unwrap_or("?")
                ));
            }
            S::Rejected => return Err("the decision is final".to_string()),
            S::Withdrawn => return Err("the enterprise withdrew it; withdrawal is final".into()),
            open => open,
        };
        let ok = match self {
            ApplicationAction::StartDocumentReview => open == S::Submitted,
            ApplicationAction::RespondToCorrections { .. } => open == S::CorrectionsRequested,
            ApplicationAction::Reject { .. } | ApplicationAction::Withdraw { .. } => true,
            _ => open == S::UnderReview,
        };
        if ok {
            return Ok(());
        }
        Err(match (self, state) {
            (ApplicationAction::StartDocumentReview, _) => "review has already started",
            (ApplicationAction::RespondToCorrections { .. }, _) => "no corrections are requested",
            (_, S::Submitted) => "document review has not started",
            _ => "the body acts again once the enterprise responds",
        }
        .to_string())
    }
}

/// An application for certification, with everything recorded during its review.
/// Fields are private so that only the state machine changes it; read it through the
/// accessors, persist it with serde.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    id: String,
    enterprise_org_id: String,
    certification_body_org_id: String,
    product_id: String,
    model_version_id: String,
    footprint_fingerprint: String,
    pcr: PcrRef,
    documents: Vec<SupportingDocument>,
    previous_certificate_id: Option<String>,
    rules: CertificationRules,
    status: ApplicationStatus,
    document_review_done: bool,
    findings: Vec<Finding>,
    on_site_visits: Vec<OnSiteVisit>,
    verification: FootprintVerification,
    certificate_id: Option<String>,
    decision_reason: Option<String>,
    history: Vec<HistoryEntry<ApplicationStatus>>,
}

impl Application {
    /// An enterprise applies. `id` is minted by the store. Refused if the actor is not an
    /// enterprise editor/admin, a field is empty or malformed, or the PCR conformance
    /// check misses mandatory items.
    pub fn apply(
        id: impl Into<String>,
        request: ApplicationRequest,
        rules: CertificationRules,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Application, CertificationError> {
        let id = id.into();
        let subject = format!("application {id}");
        require_acting_role(actor, &subject, "apply", "create")?;
        if actor.org_kind != OrgKind::Enterprise {
            return Err(CertificationError::NotPermitted {
                subject,
                action: "apply",
                action_text: "create",
                actor: Box::new(actor.clone()),
                why: "only an enterprise applies for certification of its product".into(),
            });
        }
        require_text("id", &id)?;
        require_text("product_id", &request.product_id)?;
        require_text("model_version_id", &request.model_version_id)?;
        require_text("pcr.id", &request.pcr.id)?;
        require_text("pcr.version", &request.pcr.version)?;
        require_text(
            "certification_body_org_id",
            &request.certification_body_org_id,
        )?;
        if let Some(prev) = &request.previous_certificate_id {
            require_text("previous_certificate_id", prev)?;
        }
        let fingerprint =
            normalise_sha256("footprint_fingerprint", &request.footprint_fingerprint)?;
        let documents = check_documents(request.documents)?;
        if rules.validity_years == 0 {
            return Err(CertificationError::Invalid {
                field: "rules.validity_years".into(),
                why: "must be at least 1".into(),
            });
        }
        if rules.surveillance_interval_months == 0 {
            return Err(CertificationError::Invalid {
                field: "rules.surveillance_interval_months".into(),
                why: "must be at least 1".into(),
            });
        }
        if !request.pcr_missed_mandatory.is_empty() {
            return Err(CertificationError::ConformanceBlocking {
                product_id: request.product_id,
                missed: request.pcr_missed_mandatory,
            });
        }
        let reason = format!(
            "applied for certification of product {}, model version {} (footprint {}) under PCR {} {}{}",
            request.product_id,
            request.model_version_id,
            fingerprint,
            request.pcr.id,
            request.pcr.version,
            match &request.previous_certificate_id {
                Some(prev) => format!(", re-certifying {prev}"),
                None => String::new(),
            }
        );
        Ok(Application {
            id,
            enterprise_org_id: actor.org_id.clone(),
            certification_body_org_id: request.certification_body_org_id,
            product_id: request.product_id,
            model_version_id: request.model_version_id,
            footprint_fingerprint: fingerprint,
            pcr: request.pcr,
            documents,
            previous_certificate_id: request.previous_certificate_id,
            rules,
            status: ApplicationStatus::Submitted,
            document_review_done: false,
            findings: Vec::new(),
            on_site_visits: Vec::new(),
            verification: FootprintVerification::NotVerified,
            certificate_id: None,
            decision_reason: None,
            history: vec![HistoryEntry {
                seq: 0,
                at,
                actor: actor.clone(),
                action: "apply".into(),
                reason,
                from: None,
                to: ApplicationStatus::Submitted,
            }],
        })
    }

    /// Takes `action` by `actor` at `at`. On success the history gains one entry and, for
    /// an approval, the issued certificate is returned. On error nothing changes.
    pub fn act(
        &mut self,
        action: ApplicationAction,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Option<Certificate>, CertificationError> {
        if let ApplicationAction::Approve { .. } = &action
            && let Some(prev) = &self.previous_certificate_id
        {
            // Checked after the usual checks so that the usual errors win.
            self.check(&action, actor, at)?;
            return Err(CertificationError::ApprovalBlocked {
                subject: self.subject(),
                blockers: vec![ApprovalBlocker::RecertificationNeedsPreviousCertificate {
                    previous_certificate_id: prev.clone(),
                }],
            });
        }
        self.act_unchecked_recertification(action, actor, at)
    }

    /// The conditions approval would need, as they stand now (empty: approvable, given
    /// the conformance result passed in).
    pub fn approval_blockers(&self, pcr_missed_mandatory: &[String]) -> Vec<ApprovalBlocker> {
        let mut blockers = Vec::new();
        if !self.document_review_done {
            blockers.push(ApprovalBlocker::DocumentReviewNotDone);
        }
        let open_major: Vec<String> = self
            .findings
            .iter()
            .filter(|f| f.severity == FindingSeverity::Major && f.status == FindingStatus::Open)
            .map(|f| f.id.clone())
            .collect();
        if !open_major.is_empty() {
            blockers.push(ApprovalBlocker::OpenMajorFindings {
                finding_ids: open_major,
            });
        }
        match &self.verification {
            FootprintVerification::Verified { fingerprint, .. }
                if *fingerprint == self.footprint_fingerprint => {}
            FootprintVerification::Mismatch {
                applied,
                recomputed,
                ..
            } => blockers.push(ApprovalBlocker::FootprintMismatch {
                applied: applied.clone(),
                recomputed: recomputed.clone(),
            }),
            _ => blockers.push(ApprovalBlocker::FootprintNotVerified),
        }
        if !pcr_missed_mandatory.is_empty() {
            blockers.push(ApprovalBlocker::ConformanceBlocking {
                missed: pcr_missed_mandatory.to_vec(),
            });
        }
        if self.rules.require_on_site_visit && self.on_site_visits.is_empty() {
            blockers.push(ApprovalBlocker::OnSiteVisitMissing);
        }
        blockers
    }

    /// The checks every action goes through before its own: the actor's role and party,
    /// time order, and the state.
    fn check(
        &self,
        action: &ApplicationAction,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<(), CertificationError> {
        let subject = self.subject();
        require_acting_role(actor, &subject, action.code(), action.text())?;
        let (kind, org, who) = match action.party() {
            Party::Enterprise => (
                OrgKind::Enterprise,
                &self.enterprise_org_id,
                "the applying enterprise",
            ),
            Party::Body => (
                OrgKind::Certifier,
                &self.certification_body_org_id,
                "the certification body applied to",
            ),
        };
        if actor.org_kind != kind || actor.org_id != *org {
            return Err(CertificationError::NotPermitted {
                subject,
                action: action.code(),
                action_text: action.text(),
                actor: Box::new(actor.clone()),
                why: format!("only {who}, {org}, may"),
            });
        }
        require_in_order(&self.history, at, &subject, action.code(), action.text())?;
        action.allowed_from(self.status, self).map_err(|why| {
            CertificationError::IllegalTransition {
                subject,
                action: action.code(),
                action_text: action.text(),
                state: self.status.as_str(),
                state_text: self.status.describe(),
                why,
            }
        })
    }

    fn act_unchecked_recertification(
        &mut self,
        action: ApplicationAction,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Option<Certificate>, CertificationError> {
        self.check(&action, actor, at)?;
        let code = action.code();
        use ApplicationStatus as S;
        // Each arm validates fully before changing anything, so an error leaves `self` as
        // it was.
        let (to, reason, issued) = match action {
            ApplicationAction::StartDocumentReview => {
                (S::UnderReview, "document review started".to_string(), None)
            }
            ApplicationAction::CompleteDocumentReview { note } => {
                self.document_review_done = true;
                let reason = if note.trim().is_empty() {
                    "document review completed".to_string()
                } else {
                    format!("document review completed: {note}")
                };
                (S::UnderReview, reason, None)
            }
            ApplicationAction::RecordFinding {
                severity,
                clause,
                text,
            } => {
                require_text("clause", &clause)?;
                require_text("text", &text)?;
                let id = self.push_finding(severity, clause.clone(), text.clone(), at);
                let reason = format!(
                    "finding {id} ({}, clause {clause}): {text}",
                    severity.as_str()
                );
                (S::UnderReview, reason, None)
            }
            ApplicationAction::CloseFinding {
                finding_id,
                resolution,
            } => {
                require_text("resolution", &resolution)?;
                let subject = self.subject();
                let finding = self
                    .findings
                    .iter_mut()
                    .find(|f| f.id == finding_id)
                    .ok_or_else(|| CertificationError::UnknownFinding {
                        subject: subject.clone(),
                        finding_id: finding_id.clone(),
                    })?;
                if finding.status == FindingStatus::Closed {
                    return Err(CertificationError::Invalid {
                        field: "finding_id".into(),
                        why: format!("finding {finding_id} of {subject} is already closed"),
                    });
                }
                finding.status = FindingStatus::Closed;
                finding.closed_at = Some(at);
                finding.resolution = Some(resolution.clone());
                (
                    S::UnderReview,
                    format!("finding {finding_id} closed: {resolution}"),
                    None,
                )
            }
            ApplicationAction::RequestCorrections { reason } => {
                require_text("reason", &reason)?;
                (S::CorrectionsRequested, reason, None)
            }
            ApplicationAction::RespondToCorrections {
                model_version_id,
                footprint_fingerprint,
                documents,
                note,
            } => {
                require_text("note", &note)?;
                let reason =
                    self.respond(model_version_id, footprint_fingerprint, documents, &note)?;
                (S::UnderReview, reason, None)
            }
            ApplicationAction::RecordOnSiteVisit {
                date,
                site,
                auditor,
                notes,
            } => {
                require_text("site", &site)?;
                require_text("auditor", &auditor)?;
                let reason = format!("on-site visit on {date} at {site} by {auditor}");
                self.on_site_visits.push(OnSiteVisit {
                    date,
                    site,
                    auditor,
                    notes,
                    recorded_at: at,
                });
                (S::UnderReview, reason, None)
            }
            ApplicationAction::VerifyFootprint {
                recomputed_fingerprint,
            } => {
                let recomputed =
                    normalise_sha256("recomputed_fingerprint", &recomputed_fingerprint)?;
                let reason = if recomputed == self.footprint_fingerprint {
                    self.verification = FootprintVerification::Verified {
                        fingerprint: recomputed,
                        at,
                    };
                    "the recomputed fingerprint equals the applied one".to_string()
                } else {
                    let text = format!(
                        "the verifier's recomputation gives fingerprint {recomputed}, not the applied {}",
                        self.footprint_fingerprint
                    );
                    let id = self.push_finding(
                        FindingSeverity::Major,
                        "footprint-verification".into(),
                        text.clone(),
                        at,
                    );
                    self.verification = FootprintVerification::Mismatch {
                        applied: self.footprint_fingerprint.clone(),
                        recomputed,
                        at,
                        finding_id: id.clone(),
                    };
                    format!("fingerprint mismatch, finding {id} raised: {text}")
                };
                (S::UnderReview, reason, None)
            }
            ApplicationAction::Approve {
                certificate_id,
                pcr_missed_mandatory,
            } => {
                let blockers = self.approval_blockers(&pcr_missed_mandatory);
                if !blockers.is_empty() {
                    return Err(CertificationError::ApprovalBlocked {
                        subject: self.subject(),
                        blockers,
                    });
                }
                let certificate = Certificate::issue(certificate_id, self, actor, at)?;
                self.certificate_id = Some(certificate.id().to_string());
                let reason = format!(
                    "approved; certificate {} issued, valid until {}",
                    certificate.id(),
                    certificate.valid_until()
                );
                self.decision_reason = Some(reason.clone());
                (S::Approved, reason, Some(certificate))
            }
            ApplicationAction::Reject { reason } => {
                require_text("reason", &reason)?;
                self.decision_reason = Some(reason.clone());
                (S::Rejected, reason, None)
            }
            ApplicationAction::Withdraw { reason } => {
                require_text("reason", &reason)?;
                (S::Withdrawn, reason, None)
            }
        };
        self.record(code, reason, to, actor, at);
        Ok(issued)
    }

    /// Applies an enterprise's response; validates everything before changing anything.
    fn respond(
        &mut self,
        model_version_id: Option<String>,
        footprint_fingerprint: Option<String>,
        documents: Vec<SupportingDocument>,
        note: &str,
    ) -> Result<String, CertificationError> {
        if let Some(mv) = &model_version_id {
            require_text("model_version_id", mv)?;
        }
        let fingerprint = footprint_fingerprint
            .map(|fp| normalise_sha256("footprint_fingerprint", &fp))
            .transpose()?;
        let model_changed = model_version_id
            .as_ref()
            .is_some_and(|mv| *mv != self.model_version_id);
        // A new model version has a new footprint; without its fingerprint there is
        // nothing for the verifier to check.
        if model_changed && fingerprint.is_none() {
            return Err(CertificationError::Invalid {
                field: "footprint_fingerprint".into(),
                why: "a new model version needs the fingerprint of its footprint".into(),
            });
        }
        let documents = check_documents(documents)?;
        let fingerprint_changed = fingerprint
            .as_ref()
            .is_some_and(|fp| *fp != self.footprint_fingerprint);

        let mut parts = vec![note.to_string()];
        if let Some(mv) = model_version_id.filter(|_| model_changed) {
            parts.push(format!(
                "model version {} replaces {}",
                mv, self.model_version_id
            ));
            self.model_version_id = mv;
        }
        if let Some(fp) = fingerprint.filter(|_| fingerprint_changed) {
            parts.push(format!(
                "footprint {} replaces {}",
                fp, self.footprint_fingerprint
            ));
            self.footprint_fingerprint = fp;
        }
        if model_changed || fingerprint_changed {
            // The verifier must recompute what is now applied for.
            self.verification = FootprintVerification::NotVerified;
            parts.push("the footprint must be verified again".into());
        }
        if !documents.is_empty() {
            let names: Vec<&str> = documents.iter().map(|d| d.name.as_str()).collect();
            parts.push(format!("documents submitted: {}", names.join(", ")));
            for doc in documents {
                // A document of the same name is a corrected version: replace it.
                match self.documents.iter_mut().find(|d| d.name == doc.name) {
                    Some(existing) => *existing = doc,
                    None => self.documents.push(doc),
                }
            }
        }
        if model_changed || fingerprint_changed || parts.len() > 1 {
            // The dossier changed: its review must be completed again.
            self.document_review_done = false;
        }
        Ok(parts.join("; "))
    }

    fn push_finding(
        &mut self,
        severity: FindingSeverity,
        clause: String,
        text: String,
        at: Timestamp,
    ) -> String {
        let id = format!("F-{}", self.findings.len() + 1);
        self.findings.push(Finding {
            id: id.clone(),
            severity,
            clause,
            text,
            status: FindingStatus::Open,
            raised_at: at,
            closed_at: None,
            resolution: None,
        });
        id
    }

    fn record(
        &mut self,
        action: &str,
        reason: String,
        to: ApplicationStatus,
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
        format!("application {}", self.id)
    }

    /// Approves a re-certification; used by [`approve_recertification`].
    pub(super) fn approve_as_recertification(
        &mut self,
        certificate_id: String,
        pcr_missed_mandatory: Vec<String>,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Certificate, CertificationError> {
        let issued = self.act_unchecked_recertification(
            ApplicationAction::Approve {
                certificate_id,
                pcr_missed_mandatory,
            },
            actor,
            at,
        )?;
        // Approval always issues; the `None` arm is unreachable but must not panic.
        issued.ok_or_else(|| CertificationError::Invalid {
            field: "certificate_id".into(),
            why: "approval issued no certificate".into(),
        })
    }

    /// Checks a record read back from storage: its history holds together and ends in
    /// its status. (Records made by this module always pass.)
    pub fn check_integrity(&self) -> Result<(), CertificationError> {
        check_history(&self.history, self.status, &self.subject())
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn enterprise_org_id(&self) -> &str {
        &self.enterprise_org_id
    }
    pub fn certification_body_org_id(&self) -> &str {
        &self.certification_body_org_id
    }
    pub fn product_id(&self) -> &str {
        &self.product_id
    }
    /// The model version currently applied for (a correction may have replaced it).
    pub fn model_version_id(&self) -> &str {
        &self.model_version_id
    }
    /// The fingerprint currently applied for, lowercase hex.
    pub fn footprint_fingerprint(&self) -> &str {
        &self.footprint_fingerprint
    }
    pub fn pcr(&self) -> &PcrRef {
        &self.pcr
    }
    pub fn documents(&self) -> &[SupportingDocument] {
        &self.documents
    }
    pub fn previous_certificate_id(&self) -> Option<&str> {
        self.previous_certificate_id.as_deref()
    }
    pub fn rules(&self) -> &CertificationRules {
        &self.rules
    }
    pub fn status(&self) -> ApplicationStatus {
        self.status
    }
    pub fn document_review_done(&self) -> bool {
        self.document_review_done
    }
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
    pub fn on_site_visits(&self) -> &[OnSiteVisit] {
        &self.on_site_visits
    }
    pub fn verification(&self) -> &FootprintVerification {
        &self.verification
    }
    /// Set once approved.
    pub fn certificate_id(&self) -> Option<&str> {
        self.certificate_id.as_deref()
    }
    pub fn decision_reason(&self) -> Option<&str> {
        self.decision_reason.as_deref()
    }
    pub fn history(&self) -> &[HistoryEntry<ApplicationStatus>] {
        &self.history
    }
}

/// Approves a re-certification and supersedes the certificate it replaces, in one step:
/// either both happen or neither. The previous certificate is superseded if it is still
/// valid or suspended at `at`; one that has already expired or been withdrawn is left as
/// it is (its own end stands).
pub fn approve_recertification(
    application: &mut Application,
    previous: &mut Certificate,
    certificate_id: impl Into<String>,
    pcr_missed_mandatory: Vec<String>,
    actor: &Actor,
    at: Timestamp,
) -> Result<Certificate, CertificationError> {
    let subject = application.subject();
    let mismatch = |why: String| CertificationError::RecertificationMismatch {
        subject: subject.clone(),
        certificate_id: previous.id().to_string(),
        why,
    };
    match application.previous_certificate_id() {
        None => return Err(mismatch("the application is not a re-certification".into())),
        Some(prev) if prev != previous.id() => {
            return Err(mismatch(format!("the application re-certifies {prev}")));
        }
        Some(_) => {}
    }
    if previous.scope().product_id != application.product_id {
        return Err(mismatch(format!(
            "it certifies product {}, not {}",
            previous.scope().product_id,
            application.product_id
        )));
    }
    if previous.holder_org_id() != application.enterprise_org_id {
        return Err(mismatch(format!(
            "it is held by {}, not {}",
            previous.holder_org_id(),
            application.enterprise_org_id
        )));
    }
    if let Some(successor) = previous.superseded_by() {
        return Err(mismatch(format!(
            "it was already superseded by {successor}; re-certify that one"
        )));
    }
    // It reads the previous certificate's record as it stands, so it cannot predate it.
    require_in_order(
        previous.history(),
        at,
        &format!("certificate {}", previous.id()),
        "supersede",
        "supersede",
    )?;
    // Work on copies so a refusal of either half leaves both untouched.
    let mut app = application.clone();
    let issued =
        app.approve_as_recertification(certificate_id.into(), pcr_missed_mandatory, actor, at)?;
    let mut prev = previous.clone();
    if prev.status_at(at).is_in_force() {
        prev.supersede(issued.id(), actor, at)?;
    }
    *application = app;
    *previous = prev;
    Ok(issued)
}

fn check_documents(
    documents: Vec<SupportingDocument>,
) -> Result<Vec<SupportingDocument>, CertificationError> {
    let mut checked: Vec<SupportingDocument> = Vec::with_capacity(documents.len());
    for (i, doc) in documents.into_iter().enumerate() {
        require_text(&format!("documents[{i}].name"), &doc.name)?;
        let sha256 = normalise_sha256(&format!("documents[{i}].sha256"), &doc.sha256)?;
        if checked.iter().any(|d| d.name == doc.name) {
            return Err(CertificationError::Invalid {
                field: format!("documents[{i}].name"),
                why: format!("document '{}' is listed twice", doc.name),
            });
        }
        checked.push(SupportingDocument {
            name: doc.name,
            sha256,
        });
    }
    Ok(checked)
}

impl CertificateScope {
    pub(super) fn of(app: &Application) -> CertificateScope {
        CertificateScope {
            product_id: app.product_id.clone(),
            model_version_id: app.model_version_id.clone(),
            footprint_fingerprint: app.footprint_fingerprint.clone(),
            pcr: app.pcr.clone(),
        }
    }
}
