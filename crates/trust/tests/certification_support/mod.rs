//! Shared fixtures for the certification tests: the parties, fixed instants, and
//! applications and certificates brought to each state by legal actions.

#![allow(dead_code)] // each test binary uses a different subset

use zuji_trust::certification::{
    Actor, Application, ApplicationAction, ApplicationRequest, Certificate, CertificateAction,
    CertificationRules, FindingSeverity, MemberRole, OrgKind, PcrRef, SupportingDocument,
    Timestamp, approve_recertification,
};

/// A 64-hex-digit fingerprint distinct for each `n`.
pub fn fp(n: u32) -> String {
    format!("{n:064x}")
}

pub fn enterprise() -> Actor {
    Actor::new("ent-1", OrgKind::Enterprise, "alice", MemberRole::Editor)
}
pub fn other_enterprise() -> Actor {
    Actor::new("ent-2", OrgKind::Enterprise, "erin", MemberRole::Admin)
}
pub fn body() -> Actor {
    Actor::new("cb-1", OrgKind::Certifier, "bob", MemberRole::Editor)
}
pub fn other_body() -> Actor {
    Actor::new("cb-2", OrgKind::Certifier, "carol", MemberRole::Admin)
}
pub fn registry() -> Actor {
    Actor::new("registry", OrgKind::Registry, "rita", MemberRole::Admin)
}
pub fn body_viewer() -> Actor {
    Actor::new("cb-1", OrgKind::Certifier, "vic", MemberRole::Viewer)
}

/// 2026-01-05T00:00:00Z (2026-01-01 is day 20454 since the epoch).
pub const T0: Timestamp = Timestamp((20_454 + 4) * 86_400);

/// `T0` plus `days` days.
pub fn day(days: i64) -> Timestamp {
    Timestamp(T0.0 + days * 86_400)
}

/// 2028-01-05T00:00:00Z: two calendar years after `T0`, the validity end of a
/// certificate issued at `T0`.
pub const T0_PLUS_2Y: Timestamp = Timestamp((20_454 + 365 + 365 + 4) * 86_400);

pub fn request() -> ApplicationRequest {
    ApplicationRequest {
        product_id: "prod-battery-1".into(),
        model_version_id: "mv-1".into(),
        footprint_fingerprint: fp(1),
        pcr: PcrRef {
            id: "zuji:pcr:lithium-battery".into(),
            version: "2025-draft".into(),
        },
        documents: vec![SupportingDocument {
            name: "bill-of-materials.xlsx".into(),
            sha256: fp(0xb0),
        }],
        certification_body_org_id: "cb-1".into(),
        previous_certificate_id: None,
        pcr_missed_mandatory: vec![],
    }
}

pub fn applied() -> Application {
    Application::apply(
        "A-1",
        request(),
        CertificationRules::default(),
        &enterprise(),
        T0,
    )
    .expect("apply")
}

/// Runs `action` as `actor` at `at`, panicking with the message on refusal: fixtures
/// only take legal steps.
pub fn step(app: &mut Application, action: ApplicationAction, actor: &Actor, at: Timestamp) {
    if let Err(e) = app.act(action, actor, at) {
        panic!("fixture step refused: {e}");
    }
}

/// Under review, documents reviewed, footprint verified, one open *minor* finding F-1:
/// ready to approve.
pub fn under_review_ready() -> Application {
    let mut app = applied();
    step(
        &mut app,
        ApplicationAction::StartDocumentReview,
        &body(),
        T0,
    );
    step(
        &mut app,
        ApplicationAction::RecordFinding {
            severity: FindingSeverity::Minor,
            clause: "6.3.5".into(),
            text: "transport distances are estimated".into(),
        },
        &body(),
        T0,
    );
    step(
        &mut app,
        ApplicationAction::CompleteDocumentReview {
            note: String::new(),
        },
        &body(),
        T0,
    );
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(1),
        },
        &body(),
        T0,
    );
    app
}

pub fn corrections_requested() -> Application {
    let mut app = under_review_ready();
    step(
        &mut app,
        ApplicationAction::RequestCorrections {
            reason: "justify the transport distances".into(),
        },
        &body(),
        T0,
    );
    app
}

pub fn approve(certificate_id: &str) -> ApplicationAction {
    ApplicationAction::Approve {
        certificate_id: certificate_id.into(),
        pcr_missed_mandatory: vec![],
    }
}

/// Approved at `T0`, with certificate C-1.
pub fn approved() -> (Application, Certificate) {
    let mut app = under_review_ready();
    let cert = app
        .act(approve("C-1"), &body(), T0)
        .expect("approve")
        .expect("a certificate");
    (app, cert)
}

pub fn rejected() -> Application {
    let mut app = under_review_ready();
    step(
        &mut app,
        ApplicationAction::Reject {
            reason: "the boundary excludes the cell production".into(),
        },
        &body(),
        T0,
    );
    app
}

pub fn withdrawn() -> Application {
    let mut app = applied();
    step(
        &mut app,
        ApplicationAction::Withdraw {
            reason: "the product is discontinued".into(),
        },
        &enterprise(),
        T0,
    );
    app
}

/// Certificate C-1, issued at `T0`, valid until `T0_PLUS_2Y`.
pub fn valid_certificate() -> Certificate {
    approved().1
}

pub fn cert_act(cert: &mut Certificate, action: CertificateAction, actor: &Actor, at: Timestamp) {
    if let Err(e) = cert.act(action, actor, at) {
        panic!("fixture step refused: {e}");
    }
}

/// Suspended by the body on day 10.
pub fn suspended_certificate() -> Certificate {
    let mut cert = valid_certificate();
    cert_act(
        &mut cert,
        CertificateAction::Suspend {
            reason: "surveillance found a nonconformity".into(),
        },
        &body(),
        day(10),
    );
    cert
}

/// Withdrawn by the body on day 10.
pub fn withdrawn_certificate() -> Certificate {
    let mut cert = valid_certificate();
    cert_act(
        &mut cert,
        CertificateAction::Withdraw {
            reason: "the label was misused".into(),
        },
        &body(),
        day(10),
    );
    cert
}

/// Expiry recorded by the registry one day after the validity ended.
pub fn expired_certificate() -> Certificate {
    let mut cert = valid_certificate();
    cert_act(
        &mut cert,
        CertificateAction::Expire,
        &registry(),
        Timestamp(T0_PLUS_2Y.0 + 86_400),
    );
    cert
}

/// A re-certification application for `previous`, under review and ready, applied and
/// reviewed at `at`.
pub fn recertification_ready(previous: &Certificate, at: Timestamp) -> Application {
    let mut request = request();
    request.model_version_id = "mv-2".into();
    request.footprint_fingerprint = fp(2);
    request.previous_certificate_id = Some(previous.id().to_string());
    let mut app = Application::apply(
        "A-2",
        request,
        CertificationRules::default(),
        &enterprise(),
        at,
    )
    .expect("apply");
    step(
        &mut app,
        ApplicationAction::StartDocumentReview,
        &body(),
        at,
    );
    step(
        &mut app,
        ApplicationAction::CompleteDocumentReview {
            note: String::new(),
        },
        &body(),
        at,
    );
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(2),
        },
        &body(),
        at,
    );
    app
}

/// C-1 superseded by C-2 on day 20.
pub fn superseded_certificate() -> Certificate {
    let mut previous = valid_certificate();
    let mut app = recertification_ready(&previous, day(20));
    approve_recertification(&mut app, &mut previous, "C-2", vec![], &body(), day(20))
        .expect("re-certify");
    previous
}
