//! Property tests: random sequences of actions, by random actors at random times, never
//! leave a certificate valid at or after its end or after withdrawal, never rewrite
//! history, and never issue a certificate without a verified fingerprint.

mod certification_support;

use certification_support::*;
use proptest::prelude::*;
use zuji_trust::certification::{
    Actor, Application, ApplicationAction, Certificate, CertificateAction, CertificateStatus as C,
    Date, FindingSeverity, FindingStatus, FootprintVerification, SupportingDocument,
    SurveillanceOutcome, Timestamp, approve_recertification,
};

const DAY: i64 = 86_400;

/// When the next action happens.
#[derive(Debug, Clone)]
enum When {
    /// Seconds after the previous action (negative: before it, which must be refused).
    After(i64),
    /// Right at the end of validity, give or take a second.
    AroundEnd(i64),
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        4 => (-2 * DAY..400 * DAY).prop_map(When::After),
        1 => (-1i64..=1).prop_map(When::AroundEnd),
    ]
}

fn actor(i: u8) -> Actor {
    match i % 6 {
        0 | 1 => body(),
        2 => registry(),
        3 => enterprise(),
        4 => other_body(),
        _ => body_viewer(),
    }
}

#[derive(Debug, Clone)]
enum CertOp {
    Schedule(i64),
    Record(bool),
    Suspend,
    Reinstate,
    Withdraw,
    Expire,
    Recertify,
}

fn cert_op() -> impl Strategy<Value = CertOp> {
    prop_oneof![
        (0..500 * DAY).prop_map(CertOp::Schedule),
        any::<bool>().prop_map(CertOp::Record),
        Just(CertOp::Suspend),
        Just(CertOp::Reinstate),
        Just(CertOp::Withdraw),
        Just(CertOp::Expire),
        Just(CertOp::Recertify),
    ]
}

fn probes(cert: &Certificate, at: Timestamp) -> Vec<Timestamp> {
    let end = cert.valid_until().0;
    vec![
        at,
        Timestamp(end - 1),
        Timestamp(end),
        Timestamp(end + 1),
        Timestamp(at.0.max(end) + 3650 * DAY),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_certificate_is_valid_after_its_end_or_its_withdrawal(
        steps in prop::collection::vec((cert_op(), any::<u8>(), when()), 0..40)
    ) {
        let mut cert = valid_certificate();
        let mut now = cert.issued_at();
        let mut withdrawn_at: Option<Timestamp> = None;
        let mut n = 0;
        for (op, who, when) in steps {
            let at = match when {
                When::After(s) => Timestamp(now.0 + s),
                When::AroundEnd(s) => Timestamp(cert.valid_until().0 + s),
            };
            let actor = actor(who);
            let before = cert.clone();
            let result = match op {
                CertOp::Schedule(d) => cert.act(
                    CertificateAction::ScheduleSurveillance { due_by: Timestamp(at.0 + d) },
                    &actor,
                    at,
                ),
                CertOp::Record(ok) => cert.act(
                    CertificateAction::RecordSurveillance {
                        auditor: "dan".into(),
                        outcome: if ok {
                            SurveillanceOutcome::Satisfactory
                        } else {
                            SurveillanceOutcome::Nonconformity { description: "n".into() }
                        },
                        notes: String::new(),
                        performed_at: None,
                    },
                    &actor,
                    at,
                ),
                CertOp::Suspend => cert.act(CertificateAction::Suspend { reason: "s".into() }, &actor, at),
                CertOp::Reinstate => cert.act(CertificateAction::Reinstate { reason: "r".into() }, &actor, at),
                CertOp::Withdraw => cert.act(CertificateAction::Withdraw { reason: "w".into() }, &actor, at),
                CertOp::Expire => cert.act(CertificateAction::Expire, &actor, at),
                CertOp::Recertify => {
                    n += 1;
                    let mut request = request();
                    request.model_version_id = format!("mv-r{n}");
                    request.footprint_fingerprint = fp(100 + n);
                    request.previous_certificate_id = Some(cert.id().to_string());
                    Application::apply(format!("A-r{n}"), request, Default::default(), &enterprise(), at)
                        .and_then(|mut app| {
                            app.act(ApplicationAction::StartDocumentReview, &body(), at)?;
                            app.act(ApplicationAction::CompleteDocumentReview { note: String::new() }, &body(), at)?;
                            app.act(ApplicationAction::VerifyFootprint { recomputed_fingerprint: fp(100 + n) }, &body(), at)?;
                            approve_recertification(&mut app, &mut cert, format!("C-r{n}"), vec![], &actor, at)
                        })
                        .map(|_| ())
                }
            };
            match &result {
                Err(_) => prop_assert_eq!(&cert, &before, "a refused action changes nothing"),
                Ok(()) => {
                    // Append-only: exactly one entry added (or none when a
                    // re-certification left an ended certificate alone), the old ones intact.
                    let grown = cert.history().len() - before.history().len();
                    prop_assert!(grown <= 1);
                    prop_assert_eq!(&cert.history()[..before.history().len()], before.history());
                    if grown == 1 {
                        prop_assert_eq!(cert.history().last().unwrap().at, at);
                        prop_assert_eq!(cert.history().last().unwrap().from, Some(before.recorded_status()));
                    }
                    now = now.max(at);
                    if cert.recorded_status() == C::Withdrawn && withdrawn_at.is_none() {
                        withdrawn_at = Some(at);
                    }
                }
            }
            prop_assert!(at >= before.history().last().unwrap().at || result.is_err(),
                "an action dated before the last entry is refused");
            prop_assert!(cert.check_integrity().is_ok(), "{:?}", cert.check_integrity());
            let history = cert.history();
            prop_assert_eq!(history.last().unwrap().to, cert.recorded_status());
            for (i, entry) in history.iter().enumerate() {
                prop_assert_eq!(entry.seq, i as u64);
                if i > 0 {
                    prop_assert!(entry.at >= history[i - 1].at);
                    prop_assert_eq!(entry.from, Some(history[i - 1].to));
                }
            }
            for p in probes(&cert, at) {
                if p >= cert.valid_until() {
                    prop_assert_ne!(cert.status_at(p), C::Valid, "valid at {} ≥ {}", p, cert.valid_until());
                    prop_assert_ne!(cert.status_as_of(p), Some(C::Valid));
                }
                if let Some(w) = withdrawn_at {
                    prop_assert_eq!(cert.status_at(p), C::Withdrawn);
                    if p >= w {
                        prop_assert_eq!(cert.status_as_of(p), Some(C::Withdrawn));
                    }
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
enum AppOp {
    Start,
    CompleteReview,
    Finding(bool),
    Close(usize),
    RequestCorrections,
    /// New model version and fingerprint (by index), new documents, or a note only.
    Respond(Option<u32>, bool),
    Visit,
    Verify(u32),
    Approve(bool),
    Reject,
    Withdraw,
}

fn app_op() -> impl Strategy<Value = AppOp> {
    prop_oneof![
        1 => Just(AppOp::Start),
        2 => Just(AppOp::CompleteReview),
        1 => any::<bool>().prop_map(AppOp::Finding),
        2 => (0usize..4).prop_map(AppOp::Close),
        1 => Just(AppOp::RequestCorrections),
        1 => (prop::option::of(1u32..3), any::<bool>()).prop_map(|(m, d)| AppOp::Respond(m, d)),
        1 => Just(AppOp::Visit),
        3 => (1u32..3).prop_map(AppOp::Verify),
        4 => prop::bool::weighted(0.8).prop_map(AppOp::Approve),
        1 => Just(AppOp::Reject),
        1 => Just(AppOp::Withdraw),
    ]
}

fn app_action(op: AppOp) -> ApplicationAction {
    match op {
        AppOp::Start => ApplicationAction::StartDocumentReview,
        AppOp::CompleteReview => ApplicationAction::CompleteDocumentReview {
            note: String::new(),
        },
        AppOp::Finding(major) => ApplicationAction::RecordFinding {
            severity: if major {
                FindingSeverity::Major
            } else {
                FindingSeverity::Minor
            },
            clause: "6.3".into(),
            text: "t".into(),
        },
        AppOp::Close(i) => ApplicationAction::CloseFinding {
            finding_id: format!("F-{}", i + 1),
            resolution: "r".into(),
        },
        AppOp::RequestCorrections => ApplicationAction::RequestCorrections { reason: "c".into() },
        AppOp::Respond(model, docs) => ApplicationAction::RespondToCorrections {
            model_version_id: model.map(|m| format!("mv-{m}")),
            footprint_fingerprint: model.map(fp),
            documents: if docs {
                vec![SupportingDocument {
                    name: "fix.pdf".into(),
                    sha256: fp(0xf1),
                }]
            } else {
                vec![]
            },
            note: "n".into(),
        },
        AppOp::Visit => ApplicationAction::RecordOnSiteVisit {
            date: Date::new(2026, 2, 1).unwrap(),
            site: "plant".into(),
            auditor: "dan".into(),
            notes: String::new(),
        },
        AppOp::Verify(f) => ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(f),
        },
        AppOp::Approve(conforming) => ApplicationAction::Approve {
            certificate_id: "C-1".into(),
            pcr_missed_mandatory: if conforming {
                vec![]
            } else {
                vec!["boundary".into()]
            },
        },
        AppOp::Reject => ApplicationAction::Reject { reason: "r".into() },
        AppOp::Withdraw => ApplicationAction::Withdraw { reason: "w".into() },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_certificate_is_issued_without_a_verified_fingerprint(
        start in 0u8..3,
        steps in prop::collection::vec((app_op(), any::<u8>(), 0i64..10 * DAY), 0..40)
    ) {
        // Start from each open state so that runs reach a decision often.
        let mut app = match start {
            0 => applied(),
            1 => under_review_ready(),
            _ => corrections_requested(),
        };
        let mut now = T0;
        for (op, who, dt) in steps {
            now = Timestamp(now.0 + dt);
            // Mostly the right party, so that runs get somewhere.
            let actor = match (&op, who % 4) {
                (AppOp::Respond(..) | AppOp::Withdraw, 0..=2) => enterprise(),
                (_, 0..=2) => body(),
                (_, _) => actor(who),
            };
            let before = app.clone();
            let is_approve = matches!(op, AppOp::Approve(_));
            match app.act(app_action(op), &actor, now) {
                Err(_) => prop_assert_eq!(&app, &before),
                Ok(issued) => {
                    prop_assert_eq!(app.history().len(), before.history().len() + 1);
                    prop_assert_eq!(&app.history()[..before.history().len()], before.history());
                    prop_assert_eq!(issued.is_some(), is_approve);
                    if let Some(cert) = issued {
                        // The footprint certified is the one the verifier reproduced.
                        let verified = matches!(
                            before.verification(),
                            FootprintVerification::Verified { fingerprint, .. }
                                if fingerprint == before.footprint_fingerprint()
                        );
                        prop_assert!(verified, "issued without a verified fingerprint");
                        prop_assert_eq!(&cert.scope().footprint_fingerprint, before.footprint_fingerprint());
                        prop_assert_eq!(&cert.scope().model_version_id, before.model_version_id());
                        prop_assert!(before.document_review_done());
                        prop_assert!(!before.findings().iter().any(|f|
                            f.severity == FindingSeverity::Major && f.status == FindingStatus::Open));
                        prop_assert!(cert.covers(before.model_version_id(), before.footprint_fingerprint()));
                        prop_assert_eq!(cert.status_at(now), C::Valid);
                    }
                }
            }
            prop_assert!(app.check_integrity().is_ok(), "{:?}", app.check_integrity());
            prop_assert_eq!(app.history().last().unwrap().to, app.status());
            for (i, entry) in app.history().iter().enumerate() {
                prop_assert_eq!(entry.seq, i as u64);
                if i > 0 {
                    prop_assert_eq!(entry.from, Some(app.history()[i - 1].to));
                }
            }
        }
    }
}
