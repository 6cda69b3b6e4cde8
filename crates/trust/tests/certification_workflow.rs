//! The certification workflow told as stories: a clean certification, a footprint that
//! does not reproduce, a correction with a new model version, a certificate through
//! surveillance to expiry, re-certification, and the refusals along the way.

mod certification_support;

use certification_support::*;
use zuji_trust::certification::ApplicationRequest;
use zuji_trust::certification::{
    Application, ApplicationAction, ApplicationStatus as A, ApprovalBlocker, Certificate,
    CertificateAction, CertificateStatus as C, CertificationError, CertificationRules, Date,
    FindingSeverity, FindingStatus, FootprintVerification, RecertificationReason,
    SupportingDocument, SurveillanceOutcome, Timestamp, approve_recertification,
};

#[test]
fn a_clean_certification_end_to_end() {
    let mut app = applied();
    assert_eq!(app.status(), A::Submitted);
    assert_eq!(app.enterprise_org_id(), "ent-1");
    step(
        &mut app,
        ApplicationAction::StartDocumentReview,
        &body(),
        day(1),
    );
    step(
        &mut app,
        ApplicationAction::CompleteDocumentReview {
            note: "complete".into(),
        },
        &body(),
        day(2),
    );
    step(
        &mut app,
        ApplicationAction::RecordOnSiteVisit {
            date: Date::new(2026, 1, 8).unwrap(),
            site: "Huizhou plant".into(),
            auditor: "dan".into(),
            notes: "electricity meters match the model".into(),
        },
        &body(),
        day(3),
    );
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            // Upper case is the same fingerprint.
            recomputed_fingerprint: fp(1).to_uppercase(),
        },
        &body(),
        day(4),
    );
    assert!(matches!(
        app.verification(),
        FootprintVerification::Verified { fingerprint, .. } if *fingerprint == fp(1)
    ));
    let cert = app
        .act(approve("C-1"), &body(), day(5))
        .unwrap()
        .expect("approval issues a certificate");

    assert_eq!(app.status(), A::Approved);
    assert_eq!(app.certificate_id(), Some("C-1"));
    assert_eq!(cert.id(), "C-1");
    assert_eq!(cert.application_id(), "A-1");
    assert_eq!(cert.holder_org_id(), "ent-1");
    assert_eq!(cert.certification_body_org_id(), "cb-1");
    assert_eq!(cert.scope().product_id, "prod-battery-1");
    assert_eq!(cert.scope().model_version_id, "mv-1");
    assert_eq!(cert.scope().footprint_fingerprint, fp(1));
    assert_eq!(cert.scope().pcr.id, "zuji:pcr:lithium-battery");
    assert_eq!(cert.issued_at(), day(5));
    // Two calendar years: 2026-01-10 to 2028-01-10 (2027 is not a leap year, 2028's
    // 29 February comes after), i.e. 365 + 365 days.
    assert_eq!(cert.valid_until(), day(5 + 730));
    assert_eq!(cert.valid_until().to_string(), "2028-01-10T00:00:00Z");

    // The whole story is in the history, in order.
    let steps: Vec<(&str, Option<A>, A, &str)> = app
        .history()
        .iter()
        .map(|e| (e.action.as_str(), e.from, e.to, e.actor.user_id.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("apply", None, A::Submitted, "alice"),
            (
                "start_document_review",
                Some(A::Submitted),
                A::UnderReview,
                "bob"
            ),
            (
                "complete_document_review",
                Some(A::UnderReview),
                A::UnderReview,
                "bob"
            ),
            (
                "record_on_site_visit",
                Some(A::UnderReview),
                A::UnderReview,
                "bob"
            ),
            (
                "verify_footprint",
                Some(A::UnderReview),
                A::UnderReview,
                "bob"
            ),
            ("approve", Some(A::UnderReview), A::Approved, "bob"),
        ]
    );
    assert_eq!(
        app.history()[3].reason,
        "on-site visit on 2026-01-08 at Huizhou plant by dan"
    );
    assert_eq!(
        app.history()[5].reason,
        "approved; certificate C-1 issued, valid until 2028-01-10T00:00:00Z"
    );
    assert!(
        app.history()
            .iter()
            .enumerate()
            .all(|(i, e)| e.seq == i as u64)
    );
    assert_eq!(cert.history().len(), 1);
    assert_eq!(cert.history()[0].from, None);
    assert_eq!(cert.history()[0].to, C::Valid);
}

#[test]
fn a_footprint_that_does_not_reproduce_cannot_be_approved() {
    let mut app = applied();
    step(
        &mut app,
        ApplicationAction::StartDocumentReview,
        &body(),
        day(1),
    );
    step(
        &mut app,
        ApplicationAction::CompleteDocumentReview {
            note: String::new(),
        },
        &body(),
        day(1),
    );
    // The verifier's recomputation gives another fingerprint: recorded, not refused.
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(7),
        },
        &body(),
        day(2),
    );
    assert_eq!(app.status(), A::UnderReview);
    let finding = &app.findings()[0];
    assert_eq!(
        (
            finding.id.as_str(),
            finding.severity,
            finding.status,
            finding.clause.as_str()
        ),
        (
            "F-1",
            FindingSeverity::Major,
            FindingStatus::Open,
            "footprint-verification"
        )
    );
    assert!(
        matches!(app.verification(), FootprintVerification::Mismatch { finding_id, .. } if finding_id == "F-1")
    );

    let before = app.clone();
    let err = app.act(approve("C-1"), &body(), day(3)).unwrap_err();
    assert_eq!(err.code(), "certification_approval_blocked");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot approve application A-1: major findings are open: F-1; the recomputed fingerprint {} differs from the applied {}",
            fp(7),
            fp(1)
        )
    );
    let CertificationError::ApprovalBlocked { blockers, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        blockers
            .iter()
            .map(ApprovalBlocker::code)
            .collect::<Vec<_>>(),
        ["open_major_findings", "footprint_mismatch"]
    );
    assert_eq!(app, before);

    // A second recomputation that agrees verifies the footprint, but the mismatch
    // finding stays open until the body closes it with its reason.
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(1),
        },
        &body(),
        day(4),
    );
    let err = app.act(approve("C-1"), &body(), day(4)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot approve application A-1: major findings are open: F-1"
    );
    step(
        &mut app,
        ApplicationAction::CloseFinding {
            finding_id: "F-1".into(),
            resolution: "the first run used a stale database version".into(),
        },
        &body(),
        day(5),
    );
    let cert = app.act(approve("C-1"), &body(), day(5)).unwrap().unwrap();
    assert_eq!(cert.scope().footprint_fingerprint, fp(1));
}

#[test]
fn a_correction_with_a_new_model_version_must_be_verified_again() {
    let mut app = corrections_requested();
    // A new model version without its fingerprint is refused.
    let err = app
        .act(
            ApplicationAction::RespondToCorrections {
                model_version_id: Some("mv-2".into()),
                footprint_fingerprint: None,
                documents: vec![],
                note: "remodelled transport".into(),
            },
            &enterprise(),
            day(3),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid footprint_fingerprint: a new model version needs the fingerprint of its footprint"
    );
    assert_eq!(err.code(), "certification_invalid");

    step(
        &mut app,
        ApplicationAction::RespondToCorrections {
            model_version_id: Some("mv-2".into()),
            footprint_fingerprint: Some(fp(2)),
            documents: vec![SupportingDocument {
                name: "delivery-notes.pdf".into(),
                sha256: fp(0xd0),
            }],
            note: "remodelled transport with delivery notes".into(),
        },
        &enterprise(),
        day(3),
    );
    assert_eq!(app.status(), A::UnderReview);
    assert_eq!(app.model_version_id(), "mv-2");
    assert_eq!(app.footprint_fingerprint(), fp(2));
    assert_eq!(app.documents().len(), 2);
    assert_eq!(app.verification(), &FootprintVerification::NotVerified);
    assert!(!app.document_review_done());
    assert_eq!(
        app.history().last().unwrap().reason,
        format!(
            "remodelled transport with delivery notes; model version mv-2 replaces mv-1; footprint {} replaces {}; the footprint must be verified again; documents submitted: delivery-notes.pdf",
            fp(2),
            fp(1)
        )
    );

    let err = app.act(approve("C-1"), &body(), day(4)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot approve application A-1: document review is not done; the footprint has not been verified by recomputation"
    );
    // The old fingerprint no longer verifies.
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(1),
        },
        &body(),
        day(4),
    );
    assert!(matches!(
        app.verification(),
        FootprintVerification::Mismatch { .. }
    ));
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(2),
        },
        &body(),
        day(5),
    );
    step(
        &mut app,
        ApplicationAction::CloseFinding {
            finding_id: "F-2".into(),
            resolution: "verified against the stale model by mistake".into(),
        },
        &body(),
        day(5),
    );
    step(
        &mut app,
        ApplicationAction::CompleteDocumentReview {
            note: String::new(),
        },
        &body(),
        day(5),
    );
    let cert = app.act(approve("C-1"), &body(), day(6)).unwrap().unwrap();
    assert_eq!(cert.scope().model_version_id, "mv-2");
    assert_eq!(cert.scope().footprint_fingerprint, fp(2));
}

#[test]
fn conformance_blocks_application_and_approval() {
    let mut req = request();
    req.pcr_missed_mandatory = vec!["stage:end-of-life".into(), "primary:electricity".into()];
    let err = Application::apply("A-1", req, CertificationRules::default(), &enterprise(), T0)
        .unwrap_err();
    assert_eq!(err.code(), "certification_conformance_blocking");
    assert_eq!(
        err.to_string(),
        "cannot apply for certification of product prod-battery-1: the PCR conformance check misses mandatory items: stage:end-of-life, primary:electricity"
    );

    let mut app = under_review_ready();
    let err = app
        .act(
            ApplicationAction::Approve {
                certificate_id: "C-1".into(),
                pcr_missed_mandatory: vec!["boundary".into()],
            },
            &body(),
            day(1),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot approve application A-1: the PCR conformance check misses mandatory items: boundary"
    );
}

#[test]
fn the_on_site_visit_rule() {
    let rules = CertificationRules {
        require_on_site_visit: true,
        ..CertificationRules::default()
    };
    let mut app = Application::apply("A-1", request(), rules, &enterprise(), T0).unwrap();
    step(
        &mut app,
        ApplicationAction::StartDocumentReview,
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
    assert_eq!(
        app.approval_blockers(&[]),
        vec![ApprovalBlocker::OnSiteVisitMissing]
    );
    step(
        &mut app,
        ApplicationAction::RecordOnSiteVisit {
            date: Date::new(2026, 1, 5).unwrap(),
            site: "plant".into(),
            auditor: "dan".into(),
            notes: String::new(),
        },
        &body(),
        T0,
    );
    assert!(app.approval_blockers(&[]).is_empty());
}

#[test]
fn validity_expiry_and_history_queries() {
    let mut cert = valid_certificate();
    let end = cert.valid_until();
    assert_eq!(end, T0_PLUS_2Y);
    assert_eq!(cert.status_at(Timestamp(end.0 - 1)), C::Valid);
    // Expired at the end instant itself, with nobody having recorded it.
    assert_eq!(cert.status_at(end), C::Expired);
    assert_eq!(cert.recorded_status(), C::Valid);
    assert_eq!(cert.status_as_of(Timestamp(T0.0 - 1)), None);
    assert_eq!(cert.status_as_of(T0), Some(C::Valid));

    cert.act(
        CertificateAction::Suspend {
            reason: "nonconformity".into(),
        },
        &body(),
        day(100),
    )
    .unwrap();
    cert.act(
        CertificateAction::Reinstate {
            reason: "corrected".into(),
        },
        &body(),
        day(130),
    )
    .unwrap();
    // What it was on a given day, from the history.
    assert_eq!(cert.status_as_of(day(99)), Some(C::Valid));
    assert_eq!(cert.status_as_of(day(100)), Some(C::Suspended));
    assert_eq!(cert.status_as_of(day(129)), Some(C::Suspended));
    assert_eq!(cert.status_as_of(day(130)), Some(C::Valid));
    assert_eq!(cert.status_as_of(end), Some(C::Expired));

    // Reinstating after the end is refused even though no one recorded the expiry.
    let mut suspended = suspended_certificate();
    let err = suspended
        .act(
            CertificateAction::Reinstate {
                reason: "late".into(),
            },
            &body(),
            end,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot reinstate certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)"
    );

    cert.act(CertificateAction::Expire, &registry(), end)
        .unwrap();
    assert_eq!(cert.recorded_status(), C::Expired);
    assert_eq!(
        cert.history().last().unwrap().reason,
        "the validity period ended at 2028-01-05T00:00:00Z"
    );
}

#[test]
fn surveillance_schedule_outcomes_and_overdue_visits() {
    let mut cert = valid_certificate();
    // Two years of validity, a visit every twelve months: one visit, due a year on;
    // the second year ends in expiry or re-certification.
    let schedule: Vec<(String, String)> = cert
        .surveillance()
        .iter()
        .map(|v| (v.id.clone(), v.due_by.to_string()))
        .collect();
    assert_eq!(
        schedule,
        vec![("S-1".to_string(), "2027-01-05T00:00:00Z".to_string())]
    );
    let due = cert.surveillance()[0].due_by;
    assert!(cert.overdue_surveillance(due).is_empty());
    assert_eq!(cert.overdue_surveillance(Timestamp(due.0 + 1)).len(), 1);

    cert.act(
        CertificateAction::RecordSurveillance {
            auditor: "dan".into(),
            outcome: SurveillanceOutcome::Nonconformity {
                description: "the grid factor was replaced without notice".into(),
            },
            notes: String::new(),
            performed_at: None,
        },
        &body(),
        Timestamp(due.0 + 86_400),
    )
    .unwrap();
    assert!(
        cert.overdue_surveillance(Timestamp(due.0 + 2 * 86_400))
            .is_empty()
    );
    assert_eq!(
        cert.history().last().unwrap().reason,
        "surveillance S-1 by dan: nonconformity: the grid factor was replaced without notice"
    );
    // A nonconformity is evidence; suspension is the body's separate decision.
    assert_eq!(cert.recorded_status(), C::Valid);
    cert.act(
        CertificateAction::Suspend {
            reason: "surveillance S-1 nonconformity".into(),
        },
        &body(),
        Timestamp(due.0 + 86_400),
    )
    .unwrap();
    cert.act(
        CertificateAction::ScheduleSurveillance {
            due_by: Timestamp(due.0 + 60 * 86_400),
        },
        &body(),
        Timestamp(due.0 + 86_400),
    )
    .unwrap();
    cert.act(
        CertificateAction::RecordSurveillance {
            auditor: "dan".into(),
            outcome: SurveillanceOutcome::Satisfactory,
            notes: "grid factor restored".into(),
            performed_at: None,
        },
        &body(),
        Timestamp(due.0 + 30 * 86_400),
    )
    .unwrap();
    assert_eq!(cert.surveillance()[1].id, "S-2");
    assert_eq!(
        cert.surveillance()[1].outcome,
        Some(SurveillanceOutcome::Satisfactory)
    );
    // A visit cannot be scheduled past the end of validity.
    let err = cert
        .act(
            CertificateAction::ScheduleSurveillance { due_by: T0_PLUS_2Y },
            &body(),
            Timestamp(due.0 + 30 * 86_400),
        )
        .unwrap_err();
    assert_eq!(err.code(), "certification_invalid");
}

#[test]
fn a_visit_is_recorded_on_the_day_it_took_place() {
    let mut cert = valid_certificate();
    let due = cert.surveillance()[0].due_by; // 2027-01-05
    let recorded = Timestamp(due.0 + 10 * 86_400);
    let record = |performed_at| CertificateAction::RecordSurveillance {
        auditor: "dan".into(),
        outcome: SurveillanceOutcome::Satisfactory,
        notes: String::new(),
        performed_at: Some(performed_at),
    };
    // After recording, or before the certificate was issued: refused, nothing changes.
    let before = cert.clone();
    let err = cert
        .act(record(Timestamp(recorded.0 + 1)), &body(), recorded)
        .unwrap_err();
    assert!(err.to_string().contains("performed_at"), "{err}");
    let err = cert
        .act(record(Timestamp(0)), &body(), recorded)
        .unwrap_err();
    assert!(err.to_string().contains("performed_at"), "{err}");
    assert_eq!(cert, before);
    // Performed on the due day, recorded ten days later: the visit carries the due day,
    // so it was not overdue.
    cert.act(record(due), &body(), recorded).unwrap();
    assert_eq!(cert.surveillance()[0].performed_at, Some(due));
    assert_eq!(
        cert.surveillance()[0].performed_at.unwrap().to_string(),
        "2027-01-05T00:00:00Z"
    );
    assert!(cert.overdue_surveillance(recorded).is_empty());
}

#[test]
fn a_changed_model_is_not_covered() {
    let cert = valid_certificate();
    assert!(cert.covers("mv-1", &fp(1)));
    assert!(cert.covers("mv-1", &fp(1).to_uppercase()));
    assert!(!cert.covers("mv-2", &fp(1)));
    assert_eq!(
        cert.requires_recertification("mv-2", &fp(2)),
        Some(RecertificationReason::ModelVersionChanged {
            certified: "mv-1".into(),
            given: "mv-2".into()
        })
    );
    let reason = cert.requires_recertification("mv-1", &fp(3)).unwrap();
    assert_eq!(reason.code(), "fingerprint_changed");
    assert_eq!(
        reason.to_string(),
        format!(
            "footprint {} is not the certified {}; it requires re-certification",
            fp(3),
            fp(1)
        )
    );
}

#[test]
fn recertification_issues_a_new_certificate_and_supersedes_the_old() {
    let mut previous = valid_certificate();
    let mut app = recertification_ready(&previous, day(200));
    assert_eq!(app.previous_certificate_id(), Some("C-1"));
    // A plain approval would leave the old certificate in force: refused.
    let err = app.act(approve("C-2"), &body(), day(200)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot approve application A-2: it re-certifies C-1, which must be superseded in the same step"
    );
    let new =
        approve_recertification(&mut app, &mut previous, "C-2", vec![], &body(), day(200)).unwrap();
    assert_eq!(new.supersedes(), Some("C-1"));
    assert_eq!(new.scope().model_version_id, "mv-2");
    assert_eq!(previous.status_at(day(200)), C::Superseded);
    assert_eq!(previous.superseded_by(), Some("C-2"));
    assert_eq!(
        previous.history().last().unwrap().reason,
        "superseded by re-certification C-2"
    );
    // Superseded is final and says so.
    let err = previous
        .act(
            CertificateAction::Withdraw { reason: "x".into() },
            &body(),
            day(201),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot withdraw certificate C-1: it is superseded (it was superseded by C-2; supersession is final)"
    );

    // The wrong previous certificate is refused and nothing changes.
    let mut other = valid_certificate();
    let mut app = recertification_ready(&other, day(200));
    let mut unrelated: Certificate = {
        let mut req = request();
        req.product_id = "prod-other".into();
        let mut a = Application::apply("A-9", req, Default::default(), &enterprise(), T0).unwrap();
        step(&mut a, ApplicationAction::StartDocumentReview, &body(), T0);
        step(
            &mut a,
            ApplicationAction::CompleteDocumentReview {
                note: String::new(),
            },
            &body(),
            T0,
        );
        step(
            &mut a,
            ApplicationAction::VerifyFootprint {
                recomputed_fingerprint: fp(1),
            },
            &body(),
            T0,
        );
        a.act(approve("C-1"), &body(), T0).unwrap().unwrap()
    };
    let before = unrelated.clone();
    let err = approve_recertification(&mut app, &mut unrelated, "C-2", vec![], &body(), day(200))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "application A-2 cannot supersede certificate C-1: it certifies product prod-other, not prod-battery-1"
    );
    assert_eq!(unrelated, before);
    assert_eq!(app.status(), A::UnderReview);
    // ... and a blocked approval supersedes nothing.
    let err = approve_recertification(
        &mut app,
        &mut other,
        "C-2",
        vec!["boundary".into()],
        &body(),
        day(200),
    )
    .unwrap_err();
    assert_eq!(err.code(), "certification_approval_blocked");
    assert_eq!(other.recorded_status(), C::Valid);
}

#[test]
fn history_only_moves_forward() {
    let mut cert = valid_certificate();
    cert.act(
        CertificateAction::Suspend { reason: "x".into() },
        &body(),
        day(10),
    )
    .unwrap();
    let err = cert
        .act(
            CertificateAction::Reinstate { reason: "y".into() },
            &body(),
            day(9),
        )
        .unwrap_err();
    assert_eq!(err.code(), "certification_out_of_order");
    assert_eq!(
        err.to_string(),
        "cannot reinstate certificate C-1 at 2026-01-14T00:00:00Z: its history already has an entry at 2026-01-15T00:00:00Z, and history only moves forward"
    );
}

#[test]
fn bad_input_is_refused_with_the_field() {
    type Edit = Box<dyn Fn(&mut ApplicationRequest)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|r| r.footprint_fingerprint = "abc".into()),
            "invalid footprint_fingerprint: 'abc' is not a SHA-256 in hex (64 hex digits)",
        ),
        (
            Box::new(|r| r.product_id = "  ".into()),
            "invalid product_id: must not be empty",
        ),
        (
            Box::new(|r| r.pcr.version = String::new()),
            "invalid pcr.version: must not be empty",
        ),
        (
            Box::new(|r| {
                let doc = r.documents[0].clone();
                r.documents.push(doc)
            }),
            "invalid documents[1].name: document 'bill-of-materials.xlsx' is listed twice",
        ),
        (
            Box::new(|r| r.documents[0].sha256 = "zz".into()),
            "invalid documents[0].sha256: 'zz' is not a SHA-256 in hex (64 hex digits)",
        ),
    ];
    for (edit, message) in cases {
        let mut req = request();
        edit(&mut req);
        let err =
            Application::apply("A-1", req, Default::default(), &enterprise(), T0).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert_eq!(err.code(), "certification_invalid");
    }

    let mut app = under_review_ready();
    let err = app
        .act(
            ApplicationAction::Reject { reason: " ".into() },
            &body(),
            day(1),
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "invalid reason: must not be empty");
    let err = app
        .act(
            ApplicationAction::CloseFinding {
                finding_id: "F-9".into(),
                resolution: "done".into(),
            },
            &body(),
            day(1),
        )
        .unwrap_err();
    assert_eq!(err.code(), "certification_unknown_finding");
    assert_eq!(err.to_string(), "application A-1 has no finding F-9");
}

#[test]
fn everything_round_trips_through_json() {
    let (app, mut cert) = approved();
    cert.act(
        CertificateAction::RecordSurveillance {
            auditor: "dan".into(),
            outcome: SurveillanceOutcome::Satisfactory,
            notes: String::new(),
            performed_at: None,
        },
        &body(),
        day(300),
    )
    .unwrap();
    let json = serde_json::to_string(&app).unwrap();
    assert_eq!(serde_json::from_str::<Application>(&json).unwrap(), app);
    let json = serde_json::to_string(&cert).unwrap();
    assert_eq!(serde_json::from_str::<Certificate>(&json).unwrap(), cert);

    // API bodies deserialise straight into actions.
    let action: CertificateAction =
        serde_json::from_str(r#"{"action":"suspend","reason":"label misuse"}"#).unwrap();
    assert_eq!(
        action,
        CertificateAction::Suspend {
            reason: "label misuse".into()
        }
    );
    let action: ApplicationAction = serde_json::from_str(
        r#"{"action":"record_on_site_visit","date":"2026-03-02","site":"plant","auditor":"dan","notes":""}"#,
    )
    .unwrap();
    assert_eq!(action.code(), "record_on_site_visit");
    assert!(
        serde_json::from_str::<ApplicationAction>(
            r#"{"action":"record_on_site_visit","date":"2026-02-30","site":"plant","auditor":"dan","notes":""}"#,
        )
        .is_err()
    );
    // Errors serialise with their kind for the API.
    let err = cert
        .act(CertificateAction::Expire, &body(), day(301))
        .unwrap_err();
    let value = serde_json::to_value(&err).unwrap();
    assert_eq!(value["kind"], "illegal_transition");
    assert_eq!(value["state"], "valid");
    assert_eq!(value["action"], "expire");
}

#[test]
fn a_tampered_record_fails_its_integrity_check() {
    let cert = suspended_certificate();
    assert_eq!(cert.check_integrity(), Ok(()));
    // Someone edits the stored JSON to make the certificate valid again without a
    // reinstatement in its history.
    let mut json = serde_json::to_value(&cert).unwrap();
    json["status"] = "valid".into();
    let tampered: Certificate = serde_json::from_value(json).unwrap();
    let err = tampered.check_integrity().unwrap_err();
    assert_eq!(err.code(), "certification_inconsistent_record");
    assert_eq!(
        err.to_string(),
        "certificate C-1 is inconsistent: its status is Valid but its history ends in Suspended"
    );
    // ... or deletes the suspension from the history.
    let mut json = serde_json::to_value(&cert).unwrap();
    json["history"].as_array_mut().unwrap().remove(1);
    json["status"] = "valid".into();
    let tampered: Certificate = serde_json::from_value(json).unwrap();
    assert_eq!(
        tampered.check_integrity(),
        Ok(()),
        "a truncated history still holds together"
    );
    let (app, _) = approved();
    let mut json = serde_json::to_value(&app).unwrap();
    json["history"].as_array_mut().unwrap().remove(2);
    let tampered: Application = serde_json::from_value(json).unwrap();
    assert_eq!(
        tampered.check_integrity().unwrap_err().to_string(),
        "application A-1 is inconsistent: history entry 2 is numbered 3"
    );
}

#[test]
fn an_instant_at_the_end_of_time_is_refused_not_a_panic() {
    let end_of_time = Timestamp(i64::MAX - 10);
    let mut app = Application::apply(
        "A-1",
        request(),
        CertificationRules::default(),
        &enterprise(),
        end_of_time,
    )
    .unwrap();
    step(
        &mut app,
        ApplicationAction::StartDocumentReview,
        &body(),
        end_of_time,
    );
    step(
        &mut app,
        ApplicationAction::CompleteDocumentReview {
            note: String::new(),
        },
        &body(),
        end_of_time,
    );
    step(
        &mut app,
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(1),
        },
        &body(),
        end_of_time,
    );
    let before = app.clone();
    let err = app.act(approve("C-1"), &body(), end_of_time).unwrap_err();
    assert_eq!(err.code(), "certification_invalid");
    assert_eq!(app, before);
}
