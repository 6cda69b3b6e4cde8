//! Catalog keys of the values the workspace shows by name: stages, origins, statuses,
//! boundaries… Each function maps an enum (or a stored code) to a literal key; the unit
//! test below checks that every key it can return is in the catalog.

use zuji_model::gas::Origin;
use zuji_model::product::{RecyclingApproach, SystemBoundary, UnitKind};
use zuji_model::stage::LifeCycleStage;
use zuji_store::JobStatus;
use zuji_trust::certification::{
    ApplicationStatus, CertificateStatus, FindingSeverity, FindingStatus,
};

pub fn stage(s: LifeCycleStage) -> &'static str {
    match s {
        LifeCycleStage::RawMaterialAcquisition => "ws.stage.raw_material_acquisition",
        LifeCycleStage::Production => "ws.stage.production",
        LifeCycleStage::Distribution => "ws.stage.distribution",
        LifeCycleStage::Use => "ws.stage.use",
        LifeCycleStage::EndOfLife => "ws.stage.end_of_life",
    }
}

pub fn origin(o: Origin) -> &'static str {
    match o {
        Origin::Fossil => "ws.origin.fossil",
        Origin::Biogenic => "ws.origin.biogenic",
        Origin::BiogenicRemoval => "ws.origin.biogenic_removal",
        Origin::LandUseChange => "ws.origin.land_use_change",
        Origin::Unspecified => "ws.origin.unspecified",
    }
}

pub fn boundary(b: SystemBoundary) -> &'static str {
    match b {
        SystemBoundary::CradleToGate => "ws.boundary.cradle_to_gate",
        SystemBoundary::CradleToGrave => "ws.boundary.cradle_to_grave",
        SystemBoundary::GateToGate => "ws.boundary.gate_to_gate",
        SystemBoundary::GateToGrave => "ws.boundary.gate_to_grave",
    }
}

pub fn unit_kind(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Declared => "ws.unit_kind.declared",
        UnitKind::Functional => "ws.unit_kind.functional",
    }
}

pub fn recycling(r: RecyclingApproach) -> &'static str {
    match r {
        RecyclingApproach::CutOff => "ws.recycling.cut_off",
        RecyclingApproach::AvoidedBurden => "ws.recycling.avoided_burden",
    }
}

pub fn application_status(s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Submitted => "ws.app_status.submitted",
        ApplicationStatus::UnderReview => "ws.app_status.under_review",
        ApplicationStatus::CorrectionsRequested => "ws.app_status.corrections_requested",
        ApplicationStatus::Approved => "ws.app_status.approved",
        ApplicationStatus::Rejected => "ws.app_status.rejected",
        ApplicationStatus::Withdrawn => "ws.app_status.withdrawn",
    }
}

/// The badge colour of an application status.
pub fn application_badge(s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Approved => "good",
        ApplicationStatus::Rejected | ApplicationStatus::Withdrawn => "bad",
        _ => "warn",
    }
}

pub fn certificate_status(s: CertificateStatus) -> &'static str {
    match s {
        CertificateStatus::Valid => "ws.cert_status.valid",
        CertificateStatus::Suspended => "ws.cert_status.suspended",
        CertificateStatus::Withdrawn => "ws.cert_status.withdrawn",
        CertificateStatus::Expired => "ws.cert_status.expired",
        CertificateStatus::Superseded => "ws.cert_status.superseded",
    }
}

pub fn certificate_badge(s: CertificateStatus) -> &'static str {
    match s {
        CertificateStatus::Valid => "good",
        CertificateStatus::Suspended => "warn",
        _ => "bad",
    }
}

pub fn job_status(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Queued => "ws.job.queued",
        JobStatus::Running => "ws.job.running",
        JobStatus::Succeeded => "ws.job.succeeded",
        JobStatus::Failed => "ws.job.failed",
    }
}

/// A partner's request to us: `open`, `fulfilled`, `rejected`.
pub fn pact_request_status(s: &str) -> &'static str {
    match s {
        "open" => "ws.pact.status.open",
        "fulfilled" => "ws.pact.status.fulfilled",
        "rejected" => "ws.pact.status.rejected",
        _ => "ws.pact.status.other",
    }
}

/// A request we sent: `pending`, `sent`, `fulfilled`, `rejected`.
pub fn outbound_status(s: &str) -> &'static str {
    match s {
        "pending" => "ws.pact.status.pending",
        "sent" => "ws.pact.status.sent",
        "fulfilled" => "ws.pact.status.fulfilled",
        "rejected" => "ws.pact.status.rejected",
        _ => "ws.pact.status.other",
    }
}

/// A PACT footprint's lifecycle status: `Active`, `Deprecated`.
pub fn pact_footprint_status(s: &str) -> &'static str {
    match s {
        "Active" => "ws.pact.pf.active",
        "Deprecated" => "ws.pact.pf.deprecated",
        _ => "ws.pact.status.other",
    }
}

/// The data-quality level the engine names (`excellent` … `poor`).
pub fn quality_level(level: &str) -> &'static str {
    match level {
        "excellent" => "ws.dq.excellent",
        "very good" => "ws.dq.very_good",
        "good" => "ws.dq.good",
        "fair" => "ws.dq.fair",
        "poor" => "ws.dq.poor",
        _ => "common.not_reported",
    }
}

/// A node of the contribution tree: `process`, `dataset`, `supplier`, `direct`, `rest`.
pub fn tree_kind(kind: &str) -> &'static str {
    match kind {
        "process" => "ws.tree.process",
        "dataset" => "ws.tree.dataset",
        "supplier" => "ws.tree.supplier",
        "direct" => "ws.tree.direct",
        "rest" => "ws.tree.rest",
        _ => "ws.tree.other",
    }
}

pub fn finding_severity(s: FindingSeverity) -> &'static str {
    match s {
        FindingSeverity::Major => "ws.finding.major",
        FindingSeverity::Minor => "ws.finding.minor",
        FindingSeverity::Observation => "ws.finding.observation",
    }
}

pub fn finding_status(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Open => "ws.finding.open",
        FindingStatus::Closed => "ws.finding.closed",
    }
}

/// An action recorded in an application's history, by its machine code.
pub fn history_action(code: &str) -> &'static str {
    match code {
        "apply" => "ws.action.apply",
        "start_document_review" => "ws.action.start_document_review",
        "complete_document_review" => "ws.action.complete_document_review",
        "record_finding" => "ws.action.record_finding",
        "close_finding" => "ws.action.close_finding",
        "request_corrections" => "ws.action.request_corrections",
        "respond_to_corrections" => "ws.action.respond_to_corrections",
        "record_on_site_visit" => "ws.action.record_on_site_visit",
        "verify_footprint" => "ws.action.verify_footprint",
        "approve" => "ws.action.approve",
        "reject" => "ws.action.reject",
        "withdraw" => "ws.action.withdraw",
        _ => "ws.action.other",
    }
}

/// An item of the PCR check: mandatory or advisory; met or missed.
pub fn pcr_severity(mandatory: bool) -> &'static str {
    if mandatory {
        "ws.pcr.mandatory"
    } else {
        "ws.pcr.advisory"
    }
}

pub fn pcr_outcome(met: bool) -> &'static str {
    if met { "ws.pcr.met" } else { "ws.pcr.missed" }
}

/// Kind of link of a model input.
pub fn input_link(kind: &str) -> &'static str {
    match kind {
        "process" => "ws.link.process",
        "dataset" => "ws.link.dataset",
        "supplier" => "ws.link.supplier",
        _ => "ws.link.invalid",
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Every key these functions can return.
    pub fn all_keys() -> Vec<&'static str> {
        let mut keys = Vec::new();
        keys.extend(LifeCycleStage::ALL.map(stage));
        keys.extend(Origin::ALL.map(origin));
        keys.extend(
            [
                SystemBoundary::CradleToGate,
                SystemBoundary::CradleToGrave,
                SystemBoundary::GateToGate,
                SystemBoundary::GateToGrave,
            ]
            .map(boundary),
        );
        keys.extend([UnitKind::Declared, UnitKind::Functional].map(unit_kind));
        keys.extend([RecyclingApproach::CutOff, RecyclingApproach::AvoidedBurden].map(recycling));
        keys.extend(ApplicationStatus::ALL.map(application_status));
        keys.extend(CertificateStatus::ALL.map(certificate_status));
        keys.extend(
            [
                JobStatus::Queued,
                JobStatus::Running,
                JobStatus::Succeeded,
                JobStatus::Failed,
            ]
            .map(job_status),
        );
        for s in ["open", "fulfilled", "rejected", "?"] {
            keys.push(pact_request_status(s));
        }
        for s in ["pending", "sent", "fulfilled", "rejected", "?"] {
            keys.push(outbound_status(s));
        }
        for s in ["Active", "Deprecated", "?"] {
            keys.push(pact_footprint_status(s));
        }
        for s in ["excellent", "very good", "good", "fair", "poor", "?"] {
            keys.push(quality_level(s));
        }
        for s in ["process", "dataset", "supplier", "direct", "rest", "?"] {
            keys.push(tree_kind(s));
            keys.push(input_link(s));
        }
        keys.extend(
            [
                FindingSeverity::Major,
                FindingSeverity::Minor,
                FindingSeverity::Observation,
            ]
            .map(finding_severity),
        );
        keys.extend([FindingStatus::Open, FindingStatus::Closed].map(finding_status));
        for c in [
            "apply",
            "start_document_review",
            "complete_document_review",
            "record_finding",
            "close_finding",
            "request_corrections",
            "respond_to_corrections",
            "record_on_site_visit",
            "verify_footprint",
            "approve",
            "reject",
            "withdraw",
            "?",
        ] {
            keys.push(history_action(c));
        }
        for b in [true, false] {
            keys.push(pcr_severity(b));
            keys.push(pcr_outcome(b));
        }
        keys
    }

    #[test]
    fn every_mapped_key_is_in_the_catalog() {
        let catalog = crate::web::i18n::parse_catalog().expect("catalog");
        let missing: Vec<&str> = all_keys()
            .into_iter()
            .filter(|k| !catalog.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "missing from locales/: {missing:?}");
    }
}
