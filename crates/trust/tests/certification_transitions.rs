//! Every action from every state, for applications and certificates, with the outcome
//! written out by hand: the new state, or the exact refusal message.

mod certification_support;

use certification_support::*;
use zuji_trust::certification::{
    Actor, Application, ApplicationAction, ApplicationStatus as A, Certificate, CertificateAction,
    CertificateStatus as C, CertificationError, Date, FindingSeverity, SurveillanceOutcome,
    Timestamp, approve_recertification,
};

#[derive(Debug)]
enum Expect<S> {
    To(S),
    Refused(&'static str),
}
use Expect::{Refused, To};

/// The eleven application actions, each with valid input, in the table's column order.
fn application_action(name: &str) -> (ApplicationAction, Actor) {
    let action = match name {
        "start_document_review" => ApplicationAction::StartDocumentReview,
        "complete_document_review" => ApplicationAction::CompleteDocumentReview {
            note: "all documents present".into(),
        },
        "record_finding" => ApplicationAction::RecordFinding {
            severity: FindingSeverity::Observation,
            clause: "7.2".into(),
            text: "consider metering the drying oven".into(),
        },
        "close_finding" => ApplicationAction::CloseFinding {
            finding_id: "F-1".into(),
            resolution: "supplier delivery notes provided".into(),
        },
        "request_corrections" => ApplicationAction::RequestCorrections {
            reason: "add the supplier delivery notes".into(),
        },
        "respond_to_corrections" => ApplicationAction::RespondToCorrections {
            model_version_id: None,
            footprint_fingerprint: None,
            documents: vec![],
            note: "see the explanation in the cover letter".into(),
        },
        "record_on_site_visit" => ApplicationAction::RecordOnSiteVisit {
            date: Date::new(2026, 1, 5).unwrap(),
            site: "Huizhou plant".into(),
            auditor: "dan".into(),
            notes: "meters calibrated".into(),
        },
        "verify_footprint" => ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: fp(1),
        },
        "approve" => approve("C-9"),
        "reject" => ApplicationAction::Reject {
            reason: "out of scope".into(),
        },
        "withdraw" => ApplicationAction::Withdraw {
            reason: "no longer needed".into(),
        },
        other => panic!("no action {other}"),
    };
    let actor = match name {
        "respond_to_corrections" | "withdraw" => enterprise(),
        _ => body(),
    };
    (action, actor)
}

fn application_in(state: A) -> Application {
    match state {
        A::Submitted => applied(),
        A::UnderReview => under_review_ready(),
        A::CorrectionsRequested => corrections_requested(),
        A::Approved => approved().0,
        A::Rejected => rejected(),
        A::Withdrawn => withdrawn(),
    }
}

#[test]
fn every_application_action_from_every_state() {
    #[rustfmt::skip]
    let table: Vec<(A, &str, Expect<A>)> = vec![
        (A::Submitted, "start_document_review", To(A::UnderReview)),
        (A::Submitted, "complete_document_review", Refused("cannot complete document review of application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "record_finding", Refused("cannot record a finding on application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "close_finding", Refused("cannot close a finding on application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "request_corrections", Refused("cannot request corrections to application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "respond_to_corrections", Refused("cannot respond to corrections on application A-1: it is submitted (no corrections are requested)")),
        (A::Submitted, "record_on_site_visit", Refused("cannot record an on-site visit for application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "verify_footprint", Refused("cannot verify the footprint of application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "approve", Refused("cannot approve application A-1: it is submitted (document review has not started)")),
        (A::Submitted, "reject", To(A::Rejected)),
        (A::Submitted, "withdraw", To(A::Withdrawn)),

        (A::UnderReview, "start_document_review", Refused("cannot start document review of application A-1: it is under review (review has already started)")),
        (A::UnderReview, "complete_document_review", To(A::UnderReview)),
        (A::UnderReview, "record_finding", To(A::UnderReview)),
        (A::UnderReview, "close_finding", To(A::UnderReview)),
        (A::UnderReview, "request_corrections", To(A::CorrectionsRequested)),
        (A::UnderReview, "respond_to_corrections", Refused("cannot respond to corrections on application A-1: it is under review (no corrections are requested)")),
        (A::UnderReview, "record_on_site_visit", To(A::UnderReview)),
        (A::UnderReview, "verify_footprint", To(A::UnderReview)),
        (A::UnderReview, "approve", To(A::Approved)),
        (A::UnderReview, "reject", To(A::Rejected)),
        (A::UnderReview, "withdraw", To(A::Withdrawn)),

        (A::CorrectionsRequested, "start_document_review", Refused("cannot start document review of application A-1: it is awaiting the enterprise's corrections (review has already started)")),
        (A::CorrectionsRequested, "complete_document_review", Refused("cannot complete document review of application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "record_finding", Refused("cannot record a finding on application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "close_finding", Refused("cannot close a finding on application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "request_corrections", Refused("cannot request corrections to application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "respond_to_corrections", To(A::UnderReview)),
        (A::CorrectionsRequested, "record_on_site_visit", Refused("cannot record an on-site visit for application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "verify_footprint", Refused("cannot verify the footprint of application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "approve", Refused("cannot approve application A-1: it is awaiting the enterprise's corrections (the body acts again once the enterprise responds)")),
        (A::CorrectionsRequested, "reject", To(A::Rejected)),
        (A::CorrectionsRequested, "withdraw", To(A::Withdrawn)),

        (A::Approved, "start_document_review", Refused("cannot start document review of application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "complete_document_review", Refused("cannot complete document review of application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "record_finding", Refused("cannot record a finding on application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "close_finding", Refused("cannot close a finding on application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "request_corrections", Refused("cannot request corrections to application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "respond_to_corrections", Refused("cannot respond to corrections on application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "record_on_site_visit", Refused("cannot record an on-site visit for application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "verify_footprint", Refused("cannot verify the footprint of application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "approve", Refused("cannot approve application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "reject", Refused("cannot reject application A-1: it is approved (the decision is final; certificate C-1 was issued)")),
        (A::Approved, "withdraw", Refused("cannot withdraw application A-1: it is approved (the decision is final; certificate C-1 was issued)")),

        (A::Rejected, "start_document_review", Refused("cannot start document review of application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "complete_document_review", Refused("cannot complete document review of application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "record_finding", Refused("cannot record a finding on application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "close_finding", Refused("cannot close a finding on application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "request_corrections", Refused("cannot request corrections to application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "respond_to_corrections", Refused("cannot respond to corrections on application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "record_on_site_visit", Refused("cannot record an on-site visit for application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "verify_footprint", Refused("cannot verify the footprint of application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "approve", Refused("cannot approve application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "reject", Refused("cannot reject application A-1: it is rejected (the decision is final)")),
        (A::Rejected, "withdraw", Refused("cannot withdraw application A-1: it is rejected (the decision is final)")),

        (A::Withdrawn, "start_document_review", Refused("cannot start document review of application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "complete_document_review", Refused("cannot complete document review of application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "record_finding", Refused("cannot record a finding on application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "close_finding", Refused("cannot close a finding on application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "request_corrections", Refused("cannot request corrections to application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "respond_to_corrections", Refused("cannot respond to corrections on application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "record_on_site_visit", Refused("cannot record an on-site visit for application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "verify_footprint", Refused("cannot verify the footprint of application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "approve", Refused("cannot approve application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "reject", Refused("cannot reject application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
        (A::Withdrawn, "withdraw", Refused("cannot withdraw application A-1: it is withdrawn (the enterprise withdrew it; withdrawal is final)")),
    ];
    // The table is complete: every state × every action, once.
    assert_eq!(table.len(), A::ALL.len() * 11);
    for state in A::ALL {
        assert_eq!(
            table.iter().filter(|row| row.0 == state).count(),
            11,
            "{state}"
        );
    }

    for (state, name, expect) in table {
        let mut app = application_in(state);
        assert_eq!(app.status(), state, "fixture for {state}");
        let before = app.clone();
        let (action, actor) = application_action(name);
        let result = app.act(action, &actor, day(1));
        match expect {
            To(to) => {
                let issued = result.unwrap_or_else(|e| panic!("{state} + {name}: refused: {e}"));
                assert_eq!(app.status(), to, "{state} + {name}");
                assert_eq!(issued.is_some(), to == A::Approved, "{state} + {name}");
                let last = app.history().last().unwrap();
                assert_eq!(app.history().len(), before.history().len() + 1);
                assert_eq!(&app.history()[..before.history().len()], before.history());
                assert_eq!((last.from, last.to), (Some(state), to));
                assert_eq!(last.action, name);
                assert_eq!(last.actor, actor);
                assert_eq!(last.at, day(1));
            }
            Refused(message) => {
                let err = result.expect_err(&format!("{state} + {name} must be refused"));
                assert_eq!(err.to_string(), message, "{state} + {name}");
                assert_eq!(err.code(), "certification_illegal_transition");
                match err {
                    CertificationError::IllegalTransition {
                        state: s, action, ..
                    } => {
                        assert_eq!(s, state.as_str());
                        assert_eq!(action, name);
                    }
                    other => panic!("{other:?}"),
                }
                assert_eq!(app, before, "a refused action changes nothing");
            }
        }
    }
}

/// The states a certificate is tested in, with the instant the action is tried at.
#[derive(Debug, Clone, Copy)]
enum CertState {
    Valid,
    Suspended,
    Withdrawn,
    Expired,
    Superseded,
    /// Recorded valid, tried at the exact end of validity: expired without a record.
    ValidAtEnd,
    /// Recorded suspended, tried after the end of validity.
    SuspendedAfterEnd,
}

fn certificate_in(state: CertState) -> (Certificate, Timestamp) {
    let after_end = Timestamp(T0_PLUS_2Y.0 + 2 * 86_400);
    match state {
        CertState::Valid => (valid_certificate(), day(100)),
        CertState::Suspended => (suspended_certificate(), day(100)),
        CertState::Withdrawn => (withdrawn_certificate(), day(100)),
        CertState::Expired => (expired_certificate(), after_end),
        CertState::Superseded => (superseded_certificate(), day(100)),
        CertState::ValidAtEnd => (valid_certificate(), T0_PLUS_2Y),
        CertState::SuspendedAfterEnd => (suspended_certificate(), after_end),
    }
}

fn certificate_action(name: &str, at: Timestamp) -> CertificateAction {
    match name {
        "schedule_surveillance" => CertificateAction::ScheduleSurveillance {
            due_by: Timestamp(at.0 + 30 * 86_400),
        },
        "record_surveillance" => CertificateAction::RecordSurveillance {
            auditor: "dan".into(),
            outcome: SurveillanceOutcome::Satisfactory,
            notes: String::new(),
            performed_at: None,
        },
        "suspend" => CertificateAction::Suspend {
            reason: "the holder refused a surveillance visit".into(),
        },
        "reinstate" => CertificateAction::Reinstate {
            reason: "the nonconformity is corrected".into(),
        },
        "withdraw" => CertificateAction::Withdraw {
            reason: "the label overstated the reduction".into(),
        },
        "expire" => CertificateAction::Expire,
        other => panic!("no action {other}"),
    }
}

#[test]
fn every_certificate_action_from_every_state() {
    use CertState as S;
    #[rustfmt::skip]
    let table: Vec<(CertState, &str, Expect<C>)> = vec![
        (S::Valid, "schedule_surveillance", To(C::Valid)),
        (S::Valid, "record_surveillance", To(C::Valid)),
        (S::Valid, "suspend", To(C::Suspended)),
        (S::Valid, "reinstate", Refused("cannot reinstate certificate C-1: it is valid (only a suspended certificate can be reinstated)")),
        (S::Valid, "withdraw", To(C::Withdrawn)),
        (S::Valid, "expire", Refused("cannot expire certificate C-1: it is valid (its validity runs until 2028-01-05T00:00:00Z)")),

        (S::Suspended, "schedule_surveillance", To(C::Suspended)),
        (S::Suspended, "record_surveillance", To(C::Suspended)),
        (S::Suspended, "suspend", Refused("cannot suspend certificate C-1: it is suspended (it is already suspended)")),
        (S::Suspended, "reinstate", To(C::Valid)),
        (S::Suspended, "withdraw", To(C::Withdrawn)),
        (S::Suspended, "expire", Refused("cannot expire certificate C-1: it is suspended (its validity runs until 2028-01-05T00:00:00Z)")),

        (S::Withdrawn, "schedule_surveillance", Refused("cannot schedule surveillance of certificate C-1: it is withdrawn (withdrawal is final)")),
        (S::Withdrawn, "record_surveillance", Refused("cannot record surveillance of certificate C-1: it is withdrawn (withdrawal is final)")),
        (S::Withdrawn, "suspend", Refused("cannot suspend certificate C-1: it is withdrawn (withdrawal is final)")),
        (S::Withdrawn, "reinstate", Refused("cannot reinstate certificate C-1: it is withdrawn (withdrawal is final)")),
        (S::Withdrawn, "withdraw", Refused("cannot withdraw certificate C-1: it is withdrawn (withdrawal is final)")),
        (S::Withdrawn, "expire", Refused("cannot expire certificate C-1: it is withdrawn (withdrawal is final)")),

        (S::Expired, "schedule_surveillance", Refused("cannot schedule surveillance of certificate C-1: it is expired (it expired at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::Expired, "record_surveillance", Refused("cannot record surveillance of certificate C-1: it is expired (it expired at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::Expired, "suspend", Refused("cannot suspend certificate C-1: it is expired (it expired at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::Expired, "reinstate", Refused("cannot reinstate certificate C-1: it is expired (it expired at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::Expired, "withdraw", Refused("cannot withdraw certificate C-1: it is expired (it expired at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::Expired, "expire", Refused("cannot expire certificate C-1: it is expired (it expired at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),

        (S::Superseded, "schedule_surveillance", Refused("cannot schedule surveillance of certificate C-1: it is superseded (it was superseded by C-2; supersession is final)")),
        (S::Superseded, "record_surveillance", Refused("cannot record surveillance of certificate C-1: it is superseded (it was superseded by C-2; supersession is final)")),
        (S::Superseded, "suspend", Refused("cannot suspend certificate C-1: it is superseded (it was superseded by C-2; supersession is final)")),
        (S::Superseded, "reinstate", Refused("cannot reinstate certificate C-1: it is superseded (it was superseded by C-2; supersession is final)")),
        (S::Superseded, "withdraw", Refused("cannot withdraw certificate C-1: it is superseded (it was superseded by C-2; supersession is final)")),
        (S::Superseded, "expire", Refused("cannot expire certificate C-1: it is superseded (it was superseded by C-2; supersession is final)")),

        (S::ValidAtEnd, "schedule_surveillance", Refused("cannot schedule surveillance of certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::ValidAtEnd, "record_surveillance", Refused("cannot record surveillance of certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::ValidAtEnd, "suspend", Refused("cannot suspend certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::ValidAtEnd, "reinstate", Refused("cannot reinstate certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::ValidAtEnd, "withdraw", Refused("cannot withdraw certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::ValidAtEnd, "expire", To(C::Expired)),

        (S::SuspendedAfterEnd, "schedule_surveillance", Refused("cannot schedule surveillance of certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::SuspendedAfterEnd, "record_surveillance", Refused("cannot record surveillance of certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::SuspendedAfterEnd, "suspend", Refused("cannot suspend certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::SuspendedAfterEnd, "reinstate", Refused("cannot reinstate certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::SuspendedAfterEnd, "withdraw", Refused("cannot withdraw certificate C-1: it is expired (its validity ended at 2028-01-05T00:00:00Z; expiry is final, re-certify instead)")),
        (S::SuspendedAfterEnd, "expire", To(C::Expired)),
    ];
    assert_eq!(table.len(), 7 * 6);

    for (state, name, expect) in table {
        let (mut cert, at) = certificate_in(state);
        let before = cert.clone();
        let result = cert.act(certificate_action(name, at), &body(), at);
        match expect {
            To(to) => {
                result.unwrap_or_else(|e| panic!("{state:?} + {name}: refused: {e}"));
                assert_eq!(cert.recorded_status(), to, "{state:?} + {name}");
                assert_eq!(cert.status_at(at), to, "{state:?} + {name}");
                let last = cert.history().last().unwrap();
                assert_eq!(cert.history().len(), before.history().len() + 1);
                assert_eq!(&cert.history()[..before.history().len()], before.history());
                assert_eq!((last.from, last.to), (Some(before.recorded_status()), to));
                assert_eq!(last.action, name);
                assert_eq!(last.actor, body());
            }
            Refused(message) => {
                let err = result.expect_err(&format!("{state:?} + {name} must be refused"));
                assert_eq!(err.to_string(), message, "{state:?} + {name}");
                assert_eq!(err.code(), "certification_illegal_transition");
                assert_eq!(cert, before, "a refused action changes nothing");
            }
        }
    }
}

/// Supersession happens only through re-certification; what it does to the previous
/// certificate in each state.
#[test]
fn recertification_supersedes_only_a_certificate_in_force() {
    use CertState as S;
    #[rustfmt::skip]
    let table: Vec<(CertState, Result<C, &str>)> = vec![
        (S::Valid, Ok(C::Superseded)),
        (S::Suspended, Ok(C::Superseded)),
        // An ended certificate keeps its own end; the new one is still issued.
        (S::Withdrawn, Ok(C::Withdrawn)),
        (S::Expired, Ok(C::Expired)),
        (S::ValidAtEnd, Ok(C::Valid)),
        (S::SuspendedAfterEnd, Ok(C::Suspended)),
        (S::Superseded, Err("application A-2 cannot supersede certificate C-1: it was already superseded by C-2; re-certify that one")),
    ];
    for (state, expect) in table {
        let (mut previous, at) = certificate_in(state);
        let before = previous.clone();
        let mut app = recertification_ready(&previous, at);
        let app_before = app.clone();
        let result = approve_recertification(&mut app, &mut previous, "C-3", vec![], &body(), at);
        match expect {
            Ok(recorded) => {
                let issued = result.unwrap_or_else(|e| panic!("{state:?}: {e}"));
                assert_eq!(issued.supersedes(), Some("C-1"));
                assert_eq!(issued.status_at(at), C::Valid);
                assert_eq!(app.status(), A::Approved);
                assert_eq!(previous.recorded_status(), recorded, "{state:?}");
                if recorded == C::Superseded {
                    assert_eq!(previous.superseded_by(), Some("C-3"));
                    let last = previous.history().last().unwrap();
                    assert_eq!(
                        (last.from, last.to, last.action.as_str()),
                        (Some(before.recorded_status()), C::Superseded, "supersede")
                    );
                } else {
                    assert_eq!(previous, before, "{state:?}: left as it was");
                }
            }
            Err(message) => {
                let err = result.expect_err("must be refused");
                assert_eq!(err.to_string(), message);
                assert_eq!(err.code(), "certification_recertification_mismatch");
                assert_eq!(previous, before);
                assert_eq!(app, app_before);
            }
        }
    }
}

/// Only the right party acts: each action tried by every wrong actor.
#[test]
fn only_the_right_party_acts_on_an_application() {
    let body_actions = [
        "start_document_review",
        "complete_document_review",
        "record_finding",
        "close_finding",
        "request_corrections",
        "record_on_site_visit",
        "verify_footprint",
        "approve",
        "reject",
    ];
    for name in body_actions {
        for actor in [enterprise(), other_body(), registry()] {
            let mut app = under_review_ready();
            let before = app.clone();
            let err = app
                .act(application_action(name).0, &actor, day(1))
                .expect_err(name);
            assert_eq!(
                err.code(),
                "certification_not_permitted",
                "{name} by {actor}"
            );
            assert!(
                err.to_string()
                    .ends_with("only the certification body applied to, cb-1, may"),
                "{err}"
            );
            assert_eq!(app, before);
        }
        let mut app = under_review_ready();
        let err = app
            .act(application_action(name).0, &body_viewer(), day(1))
            .expect_err(name);
        assert_eq!(err.code(), "certification_not_permitted");
    }
    for name in ["respond_to_corrections", "withdraw"] {
        for actor in [body(), other_enterprise(), registry()] {
            let mut app = corrections_requested();
            let err = app
                .act(application_action(name).0, &actor, day(1))
                .expect_err(name);
            assert_eq!(
                err.code(),
                "certification_not_permitted",
                "{name} by {actor}"
            );
            assert!(
                err.to_string()
                    .ends_with("only the applying enterprise, ent-1, may"),
                "{err}"
            );
        }
    }

    // Written out in full once for each kind of refusal.
    let mut app = under_review_ready();
    assert_eq!(
        app.act(approve("C-1"), &enterprise(), day(1))
            .unwrap_err()
            .to_string(),
        "user alice of enterprise ent-1 (editor) may not approve application A-1: only the certification body applied to, cb-1, may"
    );
    assert_eq!(
        app.act(approve("C-1"), &body_viewer(), day(1))
            .unwrap_err()
            .to_string(),
        "user vic of certifier cb-1 (viewer) may not approve application A-1: viewers may read but not act; an editor or admin must"
    );
    // Only an enterprise applies.
    let err = Application::apply("A-5", request(), Default::default(), &body(), T0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "user bob of certifier cb-1 (editor) may not create application A-5: only an enterprise applies for certification of its product"
    );
}

#[test]
fn only_the_right_party_acts_on_a_certificate() {
    // (action, actors refused, actors allowed) on a valid certificate.
    #[rustfmt::skip]
    let table: Vec<(&str, Vec<Actor>, Vec<Actor>)> = vec![
        ("schedule_surveillance", vec![enterprise(), other_body(), registry(), body_viewer()], vec![body()]),
        ("record_surveillance", vec![enterprise(), other_body(), registry(), body_viewer()], vec![body()]),
        ("suspend", vec![enterprise(), other_body(), body_viewer()], vec![body(), registry()]),
        ("withdraw", vec![enterprise(), other_body(), body_viewer()], vec![body(), registry()]),
    ];
    for (name, refused, allowed) in table {
        for actor in refused {
            let mut cert = valid_certificate();
            let err = cert
                .act(certificate_action(name, day(5)), &actor, day(5))
                .expect_err(name);
            assert_eq!(
                err.code(),
                "certification_not_permitted",
                "{name} by {actor}"
            );
        }
        for actor in allowed {
            let mut cert = valid_certificate();
            cert.act(certificate_action(name, day(5)), &actor, day(5))
                .unwrap_or_else(|e| panic!("{name} by {actor}: {e}"));
        }
    }

    // Expiry may be recorded by the body or the registry, nobody else.
    for actor in [enterprise(), other_body()] {
        let mut cert = valid_certificate();
        let err = cert
            .act(CertificateAction::Expire, &actor, T0_PLUS_2Y)
            .unwrap_err();
        assert_eq!(err.code(), "certification_not_permitted");
    }

    // Whoever suspended is the one who reinstates.
    let mut cert = suspended_certificate(); // by the body
    let err = cert
        .act(
            certificate_action("reinstate", day(20)),
            &registry(),
            day(20),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "user rita of registry registry (admin) may not reinstate certificate C-1: only the issuing certification body, cb-1, which suspended it, may"
    );
    let mut cert = valid_certificate();
    cert.act(certificate_action("suspend", day(5)), &registry(), day(5))
        .unwrap();
    let err = cert
        .act(certificate_action("reinstate", day(20)), &body(), day(20))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "user bob of certifier cb-1 (editor) may not reinstate certificate C-1: the registry suspended it, so only the registry may"
    );
    cert.act(
        certificate_action("reinstate", day(20)),
        &registry(),
        day(20),
    )
    .unwrap();
    assert_eq!(cert.status_at(day(20)), C::Valid);
}
