//! The trust layer's persistence on both backends: PCRs and the adopted-standards list,
//! the certification workflow with its visibility rules, signing keys, the transparency
//! log (verified end to end, and tampered with through SQL), benchmarks, labels and the
//! ranking of certified products.
//!
//! The applications certify real footprints: the cast's product is the bundled example
//! `examples/lfp-battery-pack.toml`, stored as the server stores an uploaded model and
//! computed the way the worker computes it (a footprint job claimed and completed with
//! the engine's result). There is no worker in these tests, so they play it: they claim
//! the verification jobs a certification body requests and complete them with a
//! recomputed fingerprint.

mod common;

use serde_json::json;
use std::sync::OnceLock;
use zuji_calc::footprint::FootprintOptions;
use zuji_model::gwp::GwpTable;
use zuji_model::lci::LciDatabase;
use zuji_model::product::{Amount, ProductModel};
use zuji_store::testing::TEST_SIGNING_PASSPHRASE;
use zuji_store::*;
use zuji_trust::benchmark;
use zuji_trust::certification::{
    ApplicationAction, ApplicationStatus, ApprovalBlocker, CertificateAction, CertificateStatus,
    FindingSeverity, FindingStatus, FootprintVerification,
};
use zuji_trust::label::{LabelGrade, encode_qr_payload, verify_offline};
use zuji_trust::log::{
    EntryKind, LogError, Suspect, verify_consistency, verify_inclusion, verify_log_copy,
};
use zuji_trust::pcr::{AdoptionStatus, ListChange};

const PCR_ID: &str = "zuji:pcr:battery-pack:draft";
const PCR_VERSION: &str = "0.1.0";
const APPAREL_PCR_ID: &str = "zuji:pcr:apparel:draft";
/// A fingerprint no footprint here has: a verifier's recomputation that disagrees.
const OTHER_FINGERPRINT: &str = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
/// A GTIN-13 with a correct check digit (4·1+0·3+0·1+6·3+3·1+8·3+1·1+3·3+3·1+3·3+9·1+3·3 = 89 → 1).
const GTIN: &str = "4006381333931";
const REGISTRY_URL: &str = "https://registry.example.org";
/// What the worker computes with: the options the server sends for a footprint.
fn footprint_options() -> serde_json::Value {
    json!({"gwp": "ar6", "monte_carlo": 0, "seed": 42})
}

async fn org(s: &Store, name: &str, kind: OrgKind) -> Organisation {
    s.create_org(&Viewer::System, name, kind)
        .await
        .expect("org")
}

async fn member(s: &Store, org: &Organisation, email: &str, role: Role) -> Viewer {
    s.create_user(
        &Viewer::System,
        email,
        org.id,
        role,
        "a long enough password",
    )
    .await
    .expect("user");
    let token = s
        .login(email, "a long enough password")
        .await
        .expect("login");
    s.authenticate(&token.token).await.expect("session")
}

/// The bundled database and GWP table, loaded once per test process.
fn engine() -> &'static (LciDatabase, GwpTable) {
    static ENGINE: OnceLock<(LciDatabase, GwpTable)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        (
            zuji_formats::default_db::default_database().expect("bundled database"),
            zuji_formats::default_db::gwp_table("ar6").expect("AR6 table"),
        )
    })
}

/// A bundled example model (`examples/NAME.toml`).
fn example(name: &str) -> ProductModel {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(format!("{name}.toml"));
    zuji_formats::product_model::read_product_model(&path)
        .expect("example model")
        .model
}

/// The LFP pack with its cell plant's grid electricity scaled by `factor`.
fn lfp_with_electricity(factor: f64) -> ProductModel {
    let mut model = example("lfp-battery-pack");
    let mut changed = 0;
    for input in model.processes.iter_mut().flat_map(|p| p.inputs.iter_mut()) {
        if input.dataset.as_deref() == Some("electricity/cn/national/2023/footprint") {
            input.amount = Amount::Formula(format!("cell_plant_kwh * {factor}"));
            changed += 1;
        }
    }
    assert_eq!(changed, 1, "the example has one grid electricity input");
    model
}

/// A model version as the server stores an uploaded TOML model.
fn upload(model: &ProductModel, note: &str) -> NewModelVersion {
    NewModelVersion {
        model_json: zuji_formats::product_model::to_json(model),
        source_format: "toml".into(),
        note: note.into(),
    }
}

/// A stored footprint.
#[derive(Debug, Clone)]
struct Computed {
    id: i64,
    fingerprint: String,
    total: f64,
}

/// Computes and stores the footprint of a model version as the worker does: the owner
/// queues the job, the "worker" claims it, computes the stored model with the bundled
/// database and completes the job with the result.
async fn compute_footprint(
    s: &Store,
    owner: &Viewer,
    product: &Product,
    version: &ModelVersion,
) -> Computed {
    let job = s
        .start_footprint(
            owner,
            product.id,
            Some(version.version),
            footprint_options(),
        )
        .await
        .expect("footprint queued");
    let claimed = s
        .claim_job("test-worker", LEASE_MS)
        .await
        .expect("claim")
        .expect("the footprint job is queued");
    assert_eq!((claimed.id, claimed.kind), (job.id, JobKind::Footprint));
    let version_id = claimed.payload["model_version_id"]
        .as_i64()
        .expect("model_version_id");
    assert_eq!(version_id, version.id);
    let stored = s
        .model_version_by_id(&Viewer::System, version_id)
        .await
        .expect("model version");
    let model: ProductModel =
        serde_json::from_str(&stored.model_json).expect("the stored model parses");
    let (db, gwp) = engine();
    let result = zuji_calc::footprint::compute_footprint(
        &model,
        std::slice::from_ref(db),
        gwp,
        &FootprintOptions::default(),
        None,
    )
    .expect("the example computes");
    let new = NewFootprint {
        product_id: product.id,
        model_version_id: version_id,
        method: result.method.name.clone(),
        total: result.total,
        fingerprint: result.fingerprint.sha256.clone(),
        result_json: serde_json::to_string(&result).expect("result JSON"),
        options_json: claimed.payload["options"].to_string(),
        database_version_ids: vec![],
    };
    let id = s
        .complete_footprint_job(&claimed, &new)
        .await
        .expect("footprint stored");
    Computed {
        id,
        fingerprint: new.fingerprint,
        total: new.total,
    }
}

/// The cast: an enterprise with a product (the LFP pack, computed), the certification
/// body it applies to, another certification body, and the registry operator.
struct Cast {
    enterprise: Viewer,
    body: Viewer,
    other_body: Viewer,
    registry: Viewer,
    body_org: Organisation,
    enterprise_org: Organisation,
    registry_org: Organisation,
    product: Product,
    version: ModelVersion,
    footprint: Computed,
}

async fn cast(s: &Store) -> Cast {
    let enterprise_org = org(s, "Ningde Cells", OrgKind::Enterprise).await;
    let body_org = org(s, "Beijing Certification Centre", OrgKind::Certifier).await;
    let other_org = org(s, "Other Certifier", OrgKind::Certifier).await;
    let registry_org = org(s, "Registry", OrgKind::Registry).await;
    let enterprise = member(s, &enterprise_org, "e@cells.example", Role::Editor).await;
    let body = member(s, &body_org, "b@cert.example", Role::Editor).await;
    let other_body = member(s, &other_org, "o@other.example", Role::Editor).await;
    let registry = member(s, &registry_org, "r@registry.example", Role::Admin).await;
    let (product, version) = s
        .create_product(
            &enterprise,
            "LFP pack 280 Ah",
            "battery-pack",
            Some(GTIN),
            upload(&example("lfp-battery-pack"), ""),
        )
        .await
        .expect("product");
    assert_eq!(s.ensure_bundled_pcrs().await.expect("PCRs"), 5);
    // Under the store's signing passphrase, so the store can sign tree heads with it.
    s.ensure_signing_key(registry_org.id, TEST_SIGNING_PASSPHRASE)
        .await
        .expect("registry key");
    let footprint = compute_footprint(s, &enterprise, &product, &version).await;
    Cast {
        enterprise,
        body,
        other_body,
        registry,
        body_org,
        enterprise_org,
        registry_org,
        product,
        version,
        footprint,
    }
}

/// An application for the cast's footprint.
fn input(c: &Cast) -> ApplicationInput {
    input_for(c, &c.footprint)
}

fn input_for(c: &Cast, footprint: &Computed) -> ApplicationInput {
    ApplicationInput {
        footprint_id: footprint.id,
        certification_body_org_id: c.body_org.id,
        pcr_id: PCR_ID.into(),
        pcr_version: Some(PCR_VERSION.into()),
        documents: vec![],
        previous_certificate_id: None,
    }
}

/// The body asks for the verification and the test plays the worker: it claims the job
/// and completes it with `recomputed`. The job's payload says what to recompute.
async fn verify_by_job(
    s: &Store,
    body: &Viewer,
    app_id: &str,
    recomputed: &str,
) -> ApplicationOutcome {
    let job = s
        .request_footprint_verification(body, app_id)
        .await
        .expect("verification requested");
    assert_eq!(job.kind, JobKind::CertificationVerification);
    assert_eq!(job.status, JobStatus::Queued);
    let claimed = s
        .claim_job("test-verifier", LEASE_MS)
        .await
        .expect("claim")
        .expect("the verification job is queued");
    assert_eq!(claimed.id, job.id);
    assert_eq!(claimed.payload["application_id"], app_id);
    let out = s
        .complete_verification_job(&claimed, recomputed)
        .await
        .expect("verification recorded")
        .expect("the application has not moved on");
    let done = s
        .get_job(body, job.id)
        .await
        .expect("the body sees its job");
    assert_eq!(done.status, JobStatus::Succeeded);
    assert_eq!(
        done.result.as_ref().map(|r| r["application_id"].clone()),
        Some(json!(app_id))
    );
    out
}

/// Applies, reviews, verifies and approves: returns the certificate id. The log then
/// holds one more entry (`certificate_issued`).
async fn certify(s: &Store, c: &Cast) -> String {
    certify_footprint(s, c, &c.footprint).await
}

async fn certify_footprint(s: &Store, c: &Cast, footprint: &Computed) -> String {
    let app = s
        .apply_for_certification(&c.enterprise, input_for(c, footprint))
        .await
        .expect("apply");
    assert_eq!(
        app.application.footprint_fingerprint(),
        footprint.fingerprint
    );
    let steps = [
        ApplicationAction::StartDocumentReview,
        ApplicationAction::CompleteDocumentReview {
            note: "bill of materials and energy records reviewed".into(),
        },
    ];
    for (i, step) in steps.into_iter().enumerate() {
        let out = s
            .act_on_application(&c.body, &app.id, step)
            .await
            .expect("review step");
        assert_eq!(out.application.status, ApplicationStatus::UnderReview);
        assert_eq!(out.application.revision, 2 + i as i64);
        assert!(out.certificate.is_none() && out.log_index.is_none());
    }
    // The recomputation agrees (fingerprints compare case-insensitively).
    let out = verify_by_job(s, &c.body, &app.id, &footprint.fingerprint.to_uppercase()).await;
    assert_eq!(out.application.status, ApplicationStatus::UnderReview);
    assert_eq!(out.application.revision, 4);
    assert!(matches!(
        out.application.application.verification(),
        FootprintVerification::Verified { fingerprint, .. } if *fingerprint == footprint.fingerprint
    ));
    assert!(out.certificate.is_none() && out.log_index.is_none());
    let out = s
        .act_on_application(
            &c.body,
            &app.id,
            ApplicationAction::Approve {
                certificate_id: "ignored: the store mints it".into(),
                // Ignored too: the store runs the PCR check on the stored footprint.
                pcr_missed_mandatory: vec!["primary-data:made-up: the caller says so".into()],
            },
        )
        .await
        .expect("approve");
    assert_eq!(out.application.status, ApplicationStatus::Approved);
    assert_eq!(out.application.revision, 5);
    let cert = out.certificate.expect("a certificate is issued");
    assert_eq!(
        out.application.application.certificate_id(),
        Some(cert.id.as_str())
    );
    cert.id
}

fn is_invalid(err: &StoreError, wanted_field: &str, fragment: &str) -> bool {
    matches!(err, StoreError::Invalid { field, problem } if field == wanted_field && problem.contains(fragment))
}

#[tokio::test]
async fn full_certification_walk() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        assert_eq!(s.log_size().await.unwrap(), 0, "{name}");
        let cert_id = certify(s, &c).await;
        assert_eq!(cert_id, "CERT-000001", "{name}");
        assert_eq!(s.log_size().await.unwrap(), 1, "{name}");

        let cert = s.get_certificate(&c.enterprise, &cert_id).await.unwrap();
        assert_eq!(cert.status, CertificateStatus::Valid, "{name}");
        assert_eq!(cert.application_id.as_deref(), Some("APP-000001"), "{name}");
        assert_eq!(cert.product_id, c.product.id);
        assert_eq!(cert.model_version_id, c.version.id);
        assert_eq!(cert.enterprise_org_id, c.enterprise_org.id);
        assert_eq!(cert.certification_body_org_id, c.body_org.id);
        assert_eq!(cert.scope.footprint_fingerprint, c.footprint.fingerprint);
        assert_eq!(cert.scope.pcr.id, PCR_ID);
        assert_eq!(cert.scope.pcr.version, PCR_VERSION);
        // Two years (730 or 731 days) from issue, in milliseconds.
        let days = (cert.valid_until - cert.issued_at) / 86_400_000;
        assert!(days == 730 || days == 731, "{name}: {days} days");
        assert_eq!(cert.issued_at % 1000, 0, "whole seconds");

        // Signed as issued by the body's key, created on its first certificate; the
        // signature is public and verifies against the published keys.
        let signed = cert.signed.clone().expect("the certificate is signed");
        let record = cert
            .certificate
            .as_ref()
            .expect("the holder sees the record");
        assert_eq!(signed.payload, certificate_statement(record), "{name}");
        assert_eq!(signed.payload["certificate_id"], "CERT-000001");
        let ring = s.published_keys().await.unwrap();
        zuji_trust::keys::verify(&ring, &signed).expect("the certificate's signature verifies");
        let key = ring.get(&signed.key_id).expect("a published key");
        assert_eq!(
            key.owner,
            c.body_org.id.to_string(),
            "{name}: the body's key"
        );
        assert_eq!(
            ring.active_key(&c.body_org.id.to_string())
                .map(|k| &k.key_id),
            Some(&signed.key_id)
        );
        let mut forged = signed.clone();
        forged.payload["valid_until"] =
            json!(signed.payload["valid_until"].as_i64().unwrap() + 86_400);
        assert!(zuji_trust::keys::verify(&ring, &forged).is_err(), "{name}");
        let public = s
            .get_certificate(&Viewer::Anonymous, &cert_id)
            .await
            .unwrap();
        assert_eq!(
            public.signed,
            Some(signed),
            "{name}: the signature is public"
        );

        // Suspend, reinstate, withdraw: each one log entry, indexes 1, 2, 3.
        let walk = [
            (
                CertificateAction::Suspend {
                    reason: "surveillance found unrecorded diesel use".into(),
                },
                CertificateStatus::Suspended,
                1,
            ),
            (
                CertificateAction::Reinstate {
                    reason: "diesel use recorded and recomputed".into(),
                },
                CertificateStatus::Valid,
                2,
            ),
            (
                CertificateAction::Withdraw {
                    reason: "the plant closed".into(),
                },
                CertificateStatus::Withdrawn,
                3,
            ),
        ];
        for (revision, (action, status, index)) in walk.into_iter().enumerate() {
            let out = s
                .act_on_certificate(&c.body, &cert_id, action)
                .await
                .expect("certificate action");
            assert_eq!(out.certificate.status, status, "{name}");
            assert_eq!(out.certificate.revision, 2 + revision as i64, "{name}");
            assert_eq!(out.log_index, Some(index), "{name}");
        }
        assert_eq!(s.log_size().await.unwrap(), 4, "{name}");

        // Reinstating a withdrawn certificate is illegal; nothing changes.
        let before = s.get_certificate(&c.body, &cert_id).await.unwrap();
        let err = s
            .act_on_certificate(
                &c.body,
                &cert_id,
                CertificateAction::Reinstate {
                    reason: "changed our mind".into(),
                },
            )
            .await
            .unwrap_err();
        match &err {
            StoreError::Invalid { field, problem } => {
                assert_eq!(field, "action");
                assert!(problem.contains("withdrawal is final"), "{name}: {problem}");
            }
            other => panic!("{name}: {other:?}"),
        }
        let after = s.get_certificate(&c.body, &cert_id).await.unwrap();
        assert_eq!(before, after, "{name}");
        assert_eq!(after.revision, 4, "{name}");
        assert_eq!(s.log_size().await.unwrap(), 4, "{name}");

        // The public sees status and scope only.
        let public = s
            .get_certificate(&Viewer::Anonymous, &cert_id)
            .await
            .unwrap();
        assert_eq!(public.status, CertificateStatus::Withdrawn);
        assert_eq!(public.scope, after.scope);
        assert!(public.certificate.is_none() && public.application_id.is_none());
        let listed = s
            .list_certificates(
                &Viewer::Anonymous,
                &CertificateFilter::default(),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(listed.total, 1);
        assert_eq!(
            s.certificate_status_at(&cert_id, now_ms()).await.unwrap(),
            CertificateStatus::Withdrawn
        );
        assert!(matches!(
            s.certificate_status_at(&cert_id, after.issued_at - 1000)
                .await,
            Err(StoreError::Invalid { .. })
        ));
        assert!(matches!(
            s.get_certificate(&Viewer::Anonymous, "CERT-999999").await,
            Err(StoreError::NotFound { .. })
        ));

        // Every action is audited with the write; the verification as the body.
        let audit = s
            .audit_log(
                &Viewer::System,
                Some("certificate.withdraw"),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(audit.total, 1, "{name}");
        let audit = s
            .audit_log(
                &Viewer::System,
                Some("certificate.issue"),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(audit.items[0].target_id, cert_id, "{name}");
        let audit = s
            .audit_log(
                &Viewer::System,
                Some("certification.verify_footprint"),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(audit.total, 1, "{name}");
        assert_eq!(audit.items[0].target_id, "APP-000001", "{name}");
        assert_eq!(audit.items[0].actor_org_id, Some(c.body_org.id), "{name}");
    }
}

#[tokio::test]
async fn applications_are_refused_and_hidden_as_they_should_be() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let first = s
            .apply_for_certification(&c.enterprise, input(&c))
            .await
            .unwrap();
        assert_eq!(first.id, "APP-000001", "{name}");
        assert_eq!(first.status, ApplicationStatus::Submitted);
        // Product, model version and fingerprint come from the stored footprint.
        assert_eq!(first.product_id, c.product.id);
        assert_eq!(first.model_version_id, c.version.id);
        assert_eq!(
            first.application.footprint_fingerprint(),
            c.footprint.fingerprint
        );
        assert_eq!(first.application.pcr().version, PCR_VERSION);

        // Refused applications: none takes an id.
        // A model that misses a mandatory PCR item: the T-shirt flags no input primary,
        // and the apparel PCR requires the garment-production energy to be primary.
        let (shirt, shirt_version) = s
            .create_product(
                &c.enterprise,
                "Cotton T-shirt",
                "apparel",
                None,
                upload(&example("cotton-tshirt"), ""),
            )
            .await
            .unwrap();
        let shirt_footprint = compute_footprint(s, &c.enterprise, &shirt, &shirt_version).await;
        let mut r = input_for(&c, &shirt_footprint);
        r.pcr_id = APPAREL_PCR_ID.into();
        r.pcr_version = None;
        let err = s
            .apply_for_certification(&c.enterprise, r)
            .await
            .unwrap_err();
        assert!(
            is_invalid(&err, "action", "primary-data:garment-production-energy"),
            "{name}: {err:?}"
        );
        // An unknown footprint.
        let mut r = input(&c);
        r.footprint_id = 999_999;
        let err = s
            .apply_for_certification(&c.enterprise, r)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound { .. }),
            "{name}: {err:?}"
        );
        // Another enterprise's footprint: not seen while undisclosed; once disclosed
        // (summary only) or granted (whole), still not its to certify.
        let rival_org = org(s, "Rival Cells", OrgKind::Enterprise).await;
        let rival = member(s, &rival_org, "x@rival.example", Role::Editor).await;
        let err = s
            .apply_for_certification(&rival, input(&c))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::NotFound { .. }),
            "{name}: {err:?}"
        );
        s.set_disclosed(&c.enterprise, c.product.id, true)
            .await
            .unwrap();
        let err = s
            .apply_for_certification(&rival, input(&c))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Forbidden(_)), "{name}: {err:?}");
        s.grant_access(&c.enterprise, c.product.id, rival_org.id, "pact")
            .await
            .unwrap();
        let err = s
            .apply_for_certification(&rival, input(&c))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Forbidden(_)), "{name}: {err:?}");
        // Not a certification body.
        let mut r = input(&c);
        r.certification_body_org_id = c.enterprise_org.id;
        assert!(matches!(
            s.apply_for_certification(&c.enterprise, r).await,
            Err(StoreError::Invalid { field, .. }) if field == "certification_body_org_id"
        ));
        // An unknown PCR version, an unknown PCR.
        let mut r = input(&c);
        r.pcr_version = Some("9.9.9".into());
        let err = s
            .apply_for_certification(&c.enterprise, r)
            .await
            .unwrap_err();
        assert!(is_invalid(&err, "pcr_id", "9.9.9"), "{name}: {err:?}");
        let mut r = input(&c);
        r.pcr_id = "zuji:pcr:no-such-rule".into();
        r.pcr_version = None;
        assert!(matches!(
            s.apply_for_certification(&c.enterprise, r).await,
            Err(StoreError::Invalid { field, .. }) if field == "pcr_id"
        ));
        // A re-certification of a certificate that does not exist.
        let mut r = input(&c);
        r.previous_certificate_id = Some("CERT-999999".into());
        assert!(matches!(
            s.apply_for_certification(&c.enterprise, r).await,
            Err(StoreError::Invalid { field, .. }) if field == "previous_certificate_id"
        ));
        assert!(matches!(
            s.apply_for_certification(&c.body, input(&c)).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.apply_for_certification(&Viewer::Anonymous, input(&c))
                .await,
            Err(StoreError::Unauthenticated)
        ));
        let second = s
            .apply_for_certification(&c.enterprise, input(&c))
            .await
            .unwrap();
        assert_eq!(
            second.id, "APP-000002",
            "{name}: refused applications took no id"
        );
        // The PCR version defaults to the latest stored.
        let mut r = input(&c);
        r.pcr_version = None;
        let third = s.apply_for_certification(&c.enterprise, r).await.unwrap();
        assert_eq!(third.id, "APP-000003", "{name}");
        assert_eq!(third.application.pcr().version, PCR_VERSION);
        s.act_on_application(
            &c.enterprise,
            &third.id,
            ApplicationAction::Withdraw {
                reason: "applied twice".into(),
            },
        )
        .await
        .unwrap();

        // An illegal transition leaves the stored row as it was.
        let err = s
            .act_on_application(
                &c.body,
                &second.id,
                ApplicationAction::Approve {
                    certificate_id: String::new(),
                    pcr_missed_mandatory: vec![],
                },
            )
            .await
            .unwrap_err();
        assert!(
            is_invalid(&err, "action", "document review has not started"),
            "{name}: {err:?}"
        );
        assert_eq!(
            s.get_application(&c.body, &second.id).await.unwrap(),
            second
        );
        // The enterprise may not act for the body; the registry sees but may not act.
        assert!(matches!(
            s.act_on_application(
                &c.enterprise,
                &second.id,
                ApplicationAction::StartDocumentReview
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.act_on_application(
                &c.registry,
                &second.id,
                ApplicationAction::StartDocumentReview
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        assert_eq!(
            s.get_application(&c.registry, &second.id).await.unwrap(),
            second
        );
        // A certifier not named in the application neither sees nor acts on it.
        assert!(matches!(
            s.act_on_application(
                &c.other_body,
                &second.id,
                ApplicationAction::StartDocumentReview
            )
            .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.get_application(&c.other_body, &second.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(
            s.get_application(&c.body, &second.id).await.unwrap(),
            second
        );
        // The public reads no applications.
        assert!(matches!(
            s.get_application(&Viewer::Anonymous, &second.id).await,
            Err(StoreError::Unauthenticated)
        ));
        let all = ApplicationFilter::default();
        assert!(matches!(
            s.list_applications(&Viewer::Anonymous, &all, PageRequest::default())
                .await,
            Err(StoreError::Unauthenticated)
        ));
        for (viewer, total) in [
            (&c.enterprise, 3),
            (&c.body, 3),
            (&c.registry, 3),
            (&c.other_body, 0),
            (&rival, 0),
        ] {
            let page = s
                .list_applications(viewer, &all, PageRequest::default())
                .await
                .unwrap();
            assert_eq!(page.total, total, "{name}: {viewer:?}");
        }
        let submitted = ApplicationFilter {
            product_id: Some(c.product.id),
            status: Some(ApplicationStatus::Submitted),
        };
        let page = s
            .list_applications(&c.body, &submitted, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(
            page.items.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["APP-000001", "APP-000002"]
        );

        // The enterprise withdraws the first; a withdrawn application is final.
        let out = s
            .act_on_application(
                &c.enterprise,
                &first.id,
                ApplicationAction::Withdraw {
                    reason: "wrong body".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(out.application.status, ApplicationStatus::Withdrawn);
        assert!(matches!(
            s.act_on_application(&c.body, &first.id, ApplicationAction::StartDocumentReview)
                .await,
            Err(StoreError::Invalid { .. })
        ));
        assert_eq!(
            s.log_size().await.unwrap(),
            0,
            "{name}: applications are not logged"
        );
    }
}

#[tokio::test]
async fn the_pcr_check_runs_on_stored_footprints() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let report = s
            .pcr_check(&c.enterprise, c.footprint.id, PCR_ID, None)
            .await
            .unwrap();
        assert_eq!(
            report.pcr_version, PCR_VERSION,
            "{name}: the latest version"
        );
        assert!(report.blocking().is_empty(), "{name}: {report:?}");
        let (shirt, shirt_version) = s
            .create_product(
                &c.enterprise,
                "Cotton T-shirt",
                "apparel",
                None,
                upload(&example("cotton-tshirt"), ""),
            )
            .await
            .unwrap();
        let shirt_footprint = compute_footprint(s, &c.enterprise, &shirt, &shirt_version).await;
        let report = s
            .pcr_check(&c.enterprise, shirt_footprint.id, APPAREL_PCR_ID, None)
            .await
            .unwrap();
        let missed: Vec<&str> = report.blocking().iter().map(|i| i.key.as_str()).collect();
        assert_eq!(missed, ["primary-data:garment-production-energy"], "{name}");
        assert!(matches!(
            s.pcr_check(&c.enterprise, c.footprint.id, PCR_ID, Some("9.9.9"))
                .await,
            Err(StoreError::NotFound { .. })
        ));
        // Whoever may see the whole result: not the body before a grant, then yes; the
        // public not at all while undisclosed, and not from the summary once disclosed.
        assert!(matches!(
            s.pcr_check(&c.body, c.footprint.id, PCR_ID, None).await,
            Err(StoreError::NotFound { .. })
        ));
        s.grant_access(&c.enterprise, c.product.id, c.body_org.id, "certification")
            .await
            .unwrap();
        let granted = s
            .pcr_check(&c.body, c.footprint.id, PCR_ID, None)
            .await
            .unwrap();
        assert!(granted.blocking().is_empty(), "{name}");
        assert!(matches!(
            s.pcr_check(&Viewer::Anonymous, c.footprint.id, PCR_ID, None)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        s.set_disclosed(&c.enterprise, c.product.id, true)
            .await
            .unwrap();
        assert!(matches!(
            s.pcr_check(&Viewer::Anonymous, c.footprint.id, PCR_ID, None)
                .await,
            Err(StoreError::Forbidden(_))
        ));
    }
}

#[tokio::test]
async fn the_footprint_is_verified_by_a_recomputation_the_body_requests() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let app = s
            .apply_for_certification(&c.enterprise, input(&c))
            .await
            .unwrap();
        // Not before the review has started.
        let err = s
            .request_footprint_verification(&c.body, &app.id)
            .await
            .unwrap_err();
        assert!(is_invalid(&err, "status", "submitted"), "{name}: {err:?}");
        s.act_on_application(&c.body, &app.id, ApplicationAction::StartDocumentReview)
            .await
            .unwrap();

        // A fingerprint sent by a caller is refused, pointing at the request.
        let err = s
            .act_on_application(
                &c.body,
                &app.id,
                ApplicationAction::VerifyFootprint {
                    recomputed_fingerprint: c.footprint.fingerprint.clone(),
                },
            )
            .await
            .unwrap_err();
        assert!(
            is_invalid(&err, "action", "request it with")
                && err
                    .to_string()
                    .contains(&format!("{}/verification", app.id)),
            "{name}: {err:?}"
        );
        let stored = s.get_application(&c.body, &app.id).await.unwrap();
        assert_eq!(stored.revision, 2, "{name}: nothing recorded");
        assert_eq!(
            stored.application.verification(),
            &FootprintVerification::NotVerified
        );

        // Only the body named in the application asks for it.
        assert!(matches!(
            s.request_footprint_verification(&c.enterprise, &app.id)
                .await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.request_footprint_verification(&c.registry, &app.id).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.request_footprint_verification(&c.other_body, &app.id)
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.request_footprint_verification(&Viewer::Anonymous, &app.id)
                .await,
            Err(StoreError::Unauthenticated)
        ));
        assert!(matches!(
            s.request_footprint_verification(&c.body, "APP-999999")
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(
            s.claim_job("test-verifier", LEASE_MS).await.unwrap(),
            None,
            "{name}: refused requests queued nothing"
        );

        s.act_on_application(
            &c.body,
            &app.id,
            ApplicationAction::CompleteDocumentReview {
                note: String::new(),
            },
        )
        .await
        .unwrap();

        // The job carries what the footprint was computed with.
        let job = s
            .request_footprint_verification(&c.body, &app.id)
            .await
            .unwrap();
        assert_eq!(job.org_id, Some(c.body_org.id), "{name}");
        let claimed = s
            .claim_job("test-verifier", LEASE_MS)
            .await
            .unwrap()
            .expect("queued");
        assert_eq!(claimed.id, job.id);
        assert_eq!(claimed.kind, JobKind::CertificationVerification);
        assert_eq!(claimed.payload["model_version_id"], json!(c.version.id));
        assert_eq!(claimed.payload["database_version_ids"], json!([]));
        assert_eq!(claimed.payload["options"], footprint_options());
        assert_eq!(
            claimed.payload["claimed_fingerprint"],
            json!(c.footprint.fingerprint)
        );
        assert_eq!(claimed.payload["body_org_id"], json!(c.body_org.id));

        // A recomputation that disagrees: recorded as a mismatch with a major finding.
        let out = s
            .complete_verification_job(&claimed, OTHER_FINGERPRINT)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(out.application.status, ApplicationStatus::UnderReview);
        assert_eq!(out.application.revision, 4, "{name}");
        match out.application.application.verification() {
            FootprintVerification::Mismatch {
                applied,
                recomputed,
                finding_id,
                ..
            } => {
                assert_eq!(applied, &c.footprint.fingerprint);
                assert_eq!(recomputed, OTHER_FINGERPRINT);
                assert_eq!(finding_id, "F-1");
            }
            other => panic!("{name}: {other:?}"),
        }
        let finding = &out.application.application.findings()[0];
        assert_eq!(
            (finding.severity, finding.status),
            (FindingSeverity::Major, FindingStatus::Open)
        );
        assert_eq!(
            s.get_job(&c.body, job.id).await.unwrap().status,
            JobStatus::Succeeded
        );
        // The lease was released with the job: completing it again fails.
        assert!(matches!(
            s.complete_verification_job(&claimed, OTHER_FINGERPRINT)
                .await,
            Err(StoreError::Stale(_))
        ));

        // Approval is refused, naming the blockers.
        let approve = ApplicationAction::Approve {
            certificate_id: String::new(),
            pcr_missed_mandatory: vec![],
        };
        let err = s
            .act_on_application(&c.body, &app.id, approve.clone())
            .await
            .unwrap_err();
        assert!(
            is_invalid(&err, "action", "cannot approve")
                && err.to_string().contains(&format!(
                    "the recomputed fingerprint {OTHER_FINGERPRINT} differs from the applied {}",
                    c.footprint.fingerprint
                ))
                && err.to_string().contains("major findings are open: F-1"),
            "{name}: {err:?}"
        );
        let stored = s.get_application(&c.body, &app.id).await.unwrap();
        assert_eq!(stored.revision, 4, "{name}: the refusal changed nothing");
        let codes: Vec<&str> = stored
            .application
            .approval_blockers(&[])
            .iter()
            .map(ApprovalBlocker::code)
            .collect();
        assert_eq!(
            codes,
            ["open_major_findings", "footprint_mismatch"],
            "{name}"
        );
        assert_eq!(s.log_size().await.unwrap(), 0, "{name}");

        // A later recomputation that agrees, and the finding closed: approved.
        let out = verify_by_job(s, &c.body, &app.id, &c.footprint.fingerprint).await;
        assert_eq!(out.application.revision, 5, "{name}");
        let err = s
            .act_on_application(&c.body, &app.id, approve.clone())
            .await
            .unwrap_err();
        assert!(
            is_invalid(&err, "action", "major findings are open: F-1")
                && !err.to_string().contains("differs"),
            "{name}: {err:?}"
        );
        s.act_on_application(
            &c.body,
            &app.id,
            ApplicationAction::CloseFinding {
                finding_id: "F-1".into(),
                resolution: "the second recomputation agrees; the first used a stale cache".into(),
            },
        )
        .await
        .unwrap();
        let out = s
            .act_on_application(&c.body, &app.id, approve)
            .await
            .unwrap();
        assert_eq!(
            out.application.status,
            ApplicationStatus::Approved,
            "{name}"
        );
        assert_eq!(out.certificate.expect("issued").id, "CERT-000001");
        assert_eq!(out.log_index, Some(0), "{name}");
        // A decided application takes no more verification requests.
        assert!(matches!(
            s.request_footprint_verification(&c.body, &app.id).await,
            Err(StoreError::Invalid { field, .. }) if field == "status"
        ));
    }
}

#[tokio::test]
async fn a_corrected_model_version_brings_its_newest_footprint() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let app = s
            .apply_for_certification(&c.enterprise, input(&c))
            .await
            .unwrap();
        for step in [
            ApplicationAction::StartDocumentReview,
            ApplicationAction::CompleteDocumentReview {
                note: String::new(),
            },
        ] {
            s.act_on_application(&c.body, &app.id, step).await.unwrap();
        }
        verify_by_job(s, &c.body, &app.id, &c.footprint.fingerprint).await;
        // A second recomputation is under way when the application moves on.
        s.request_footprint_verification(&c.body, &app.id)
            .await
            .unwrap();
        let stale = s
            .claim_job("slow-verifier", LEASE_MS)
            .await
            .unwrap()
            .expect("queued");
        s.act_on_application(
            &c.body,
            &app.id,
            ApplicationAction::RequestCorrections {
                reason: "the cell plant's electricity is metered lower".into(),
            },
        )
        .await
        .unwrap();
        let corrected = s
            .add_model_version(
                &c.enterprise,
                c.product.id,
                upload(&lfp_with_electricity(0.9), "metered electricity"),
            )
            .await
            .unwrap();
        let respond = |fingerprint: Option<&str>| ApplicationAction::RespondToCorrections {
            model_version_id: Some(corrected.id.to_string()),
            footprint_fingerprint: fingerprint.map(str::to_string),
            documents: vec![],
            note: "metered values".into(),
        };
        // Not computed yet: refused.
        let err = s
            .act_on_application(&c.enterprise, &app.id, respond(None))
            .await
            .unwrap_err();
        assert!(
            is_invalid(&err, "model_version_id", "no computed footprint"),
            "{name}: {err:?}"
        );
        let footprint = compute_footprint(s, &c.enterprise, &c.product, &corrected).await;
        assert_ne!(footprint.fingerprint, c.footprint.fingerprint);
        // A fingerprint the version has no footprint with: refused.
        assert!(matches!(
            s.act_on_application(&c.enterprise, &app.id, respond(Some(OTHER_FINGERPRINT)))
                .await,
            Err(StoreError::Invalid { field, .. }) if field == "footprint_fingerprint"
        ));
        // A version of another product: refused.
        let other = ApplicationAction::RespondToCorrections {
            model_version_id: Some("999999".into()),
            footprint_fingerprint: None,
            documents: vec![],
            note: String::new(),
        };
        assert!(matches!(
            s.act_on_application(&c.enterprise, &app.id, other).await,
            Err(StoreError::Invalid { field, .. }) if field == "model_version_id"
        ));
        let stored = s.get_application(&c.enterprise, &app.id).await.unwrap();
        assert_eq!(stored.status, ApplicationStatus::CorrectionsRequested);

        // Named without a fingerprint: the version's newest computed footprint's.
        let out = s
            .act_on_application(&c.enterprise, &app.id, respond(None))
            .await
            .unwrap();
        let a = &out.application;
        assert_eq!(a.status, ApplicationStatus::UnderReview, "{name}");
        assert_eq!(a.model_version_id, corrected.id, "{name}");
        assert_eq!(a.application.model_version_id(), corrected.id.to_string());
        assert_eq!(a.application.footprint_fingerprint(), footprint.fingerprint);
        assert_eq!(
            a.application.verification(),
            &FootprintVerification::NotVerified,
            "{name}: a new footprint must be verified again"
        );
        // The stale recomputation (of version 1) finishes now: nothing is recorded, no
        // false mismatch, no finding; the job is done.
        assert!(
            s.complete_verification_job(&stale, &c.footprint.fingerprint)
                .await
                .unwrap()
                .is_none(),
            "{name}"
        );
        let after = s.get_application(&c.body, &app.id).await.unwrap();
        assert_eq!(after.revision, a.revision, "{name}");
        assert!(after.application.findings().is_empty(), "{name}");
        assert_eq!(
            s.get_job(&c.body, stale.id).await.unwrap().status,
            JobStatus::Succeeded
        );
        // The verification now recomputes the corrected version.
        let job = s
            .request_footprint_verification(&c.body, &app.id)
            .await
            .unwrap();
        let claimed = s
            .claim_job("test-verifier", LEASE_MS)
            .await
            .unwrap()
            .expect("queued");
        assert_eq!(claimed.id, job.id);
        assert_eq!(claimed.payload["model_version_id"], json!(corrected.id));
        assert_eq!(
            claimed.payload["claimed_fingerprint"],
            json!(footprint.fingerprint)
        );
        s.complete_verification_job(&claimed, &footprint.fingerprint)
            .await
            .unwrap();
        s.act_on_application(
            &c.body,
            &app.id,
            ApplicationAction::CompleteDocumentReview {
                note: String::new(),
            },
        )
        .await
        .unwrap();
        let out = s
            .act_on_application(
                &c.body,
                &app.id,
                ApplicationAction::Approve {
                    certificate_id: String::new(),
                    pcr_missed_mandatory: vec![],
                },
            )
            .await
            .unwrap();
        let cert = out.certificate.expect("issued");
        assert_eq!(cert.model_version_id, corrected.id, "{name}");
        assert_eq!(cert.scope.footprint_fingerprint, footprint.fingerprint);
    }
}

#[tokio::test]
async fn pcrs_adopted_standards_and_keys() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        assert_eq!(
            s.ensure_bundled_pcrs().await.unwrap(),
            0,
            "{name}: idempotent"
        );
        assert_eq!(s.list_pcrs(None, None).await.unwrap().len(), 5);
        let battery = s.list_pcrs(Some("battery-pack"), None).await.unwrap();
        assert_eq!(battery.len(), 1);
        assert_eq!(battery[0].pcr.id, PCR_ID);
        let pcr = s.get_pcr(PCR_ID, None).await.unwrap();
        assert_eq!(pcr, battery[0]);
        assert_eq!(
            pcr.pcr,
            zuji_trust::pcr::bundled_pcr(PCR_ID).unwrap().unwrap(),
            "{name}: the stored JSON reads back as the bundled rule"
        );
        assert!(matches!(
            s.get_pcr(PCR_ID, Some("9.9.9")).await,
            Err(StoreError::NotFound { .. })
        ));

        let v1 = s.adopted_standards().await.unwrap().expect("bundled list");
        assert_eq!(v1, zuji_trust::pcr::bundled_adopted_standards().unwrap());
        let code = v1
            .entries
            .iter()
            .find(|e| e.status == AdoptionStatus::Adopted)
            .expect("an adopted standard")
            .code
            .clone();
        let changes = [ListChange::Withdraw {
            code: code.clone(),
            on: "2026-11-21".into(),
        }];
        assert!(matches!(
            s.publish_adopted_standards(&c.enterprise, "2026-11-21", &changes)
                .await,
            Err(StoreError::Forbidden(_))
        ));
        let v2 = s
            .publish_adopted_standards(&c.registry, "2026-11-21", &changes)
            .await
            .unwrap();
        assert_eq!(v2.version, v1.version + 1);
        assert_eq!(v2.entry(&code).unwrap().status, AdoptionStatus::Withdrawn);
        assert!(matches!(
            s.publish_adopted_standards(&c.registry, "2026-11-21", &changes)
                .await,
            Err(StoreError::Invalid { field, .. }) if field == "changes"
        ));
        assert_eq!(s.adopted_standards().await.unwrap(), Some(v2.clone()));
        assert_eq!(s.adopted_standards_version(v1.version).await.unwrap(), v1);
        assert_eq!(s.adopted_standards_versions().await.unwrap(), vec![v1, v2]);

        // Keys: one per organisation, idempotent, checked against the passphrase.
        let registry_key = s
            .ensure_signing_key(c.registry_org.id, TEST_SIGNING_PASSPHRASE)
            .await
            .unwrap();
        assert_eq!(registry_key.owner, REGISTRY_KEY_OWNER);
        assert_eq!(
            s.ensure_registry_signing_key()
                .await
                .unwrap()
                .map(|k| k.key_id),
            Some(registry_key.key_id.clone()),
            "{name}: the registry's key under the store's passphrase"
        );
        assert!(matches!(
            s.ensure_signing_key(c.registry_org.id, "wrong passphrase").await,
            Err(StoreError::Invalid { field, .. }) if field == "passphrase"
        ));
        let body_key = s
            .ensure_signing_key(c.body_org.id, zuji_store::testing::TEST_SIGNING_PASSPHRASE)
            .await
            .unwrap();
        assert_eq!(body_key.owner, c.body_org.id.to_string());
        assert!(matches!(
            s.rotate_signing_key(&c.enterprise, c.body_org.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.rotate_signing_key(&c.body, c.body_org.id).await,
            Err(StoreError::Forbidden(_))
        ));
        let rotated = s
            .rotate_signing_key(&c.registry, c.body_org.id)
            .await
            .unwrap();
        assert_ne!(rotated.key_id, body_key.key_id);
        let ring = s.published_keys().await.unwrap();
        assert_eq!(ring.keys.len(), 3, "{name}");
        let old = ring.get(&body_key.key_id).unwrap();
        assert_eq!(old.status, zuji_trust::keys::KeyStatus::Retired);
        assert_eq!(old.valid_until, Some(rotated.valid_from));
        assert_eq!(
            ring.active_key(&c.body_org.id.to_string()).unwrap().key_id,
            rotated.key_id
        );
        // The rotated key is under the platform's passphrase, so the platform signs with it.
        assert_eq!(
            s.ensure_signing_key(c.body_org.id, zuji_store::testing::TEST_SIGNING_PASSPHRASE)
                .await
                .unwrap()
                .key_id,
            rotated.key_id
        );
    }
}

/// A store and the URL a second connection reaches the same database with.
struct Tamperable {
    store: Store,
    url: String,
    name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

async fn tamperable() -> Vec<Tamperable> {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite_url = format!("sqlite:{}", dir.path().join("zuji.sqlite").display());
    let sqlite = Store::open(&sqlite_url)
        .await
        .expect("SQLite store")
        .with_signing_passphrase(TEST_SIGNING_PASSPHRASE);
    // A schema named as the harness names them, so it is dropped with the others.
    let base = zuji_store::testing::postgres_url();
    let schema = format!(
        "zuji_test_{}_tamper{}",
        std::process::id(),
        now_ms() % 1_000_000_000
    );
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("PostgreSQL is reachable");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await
        .expect("schema");
    admin.close().await.ok();
    let sep = if base.contains('?') { '&' } else { '?' };
    let pg_url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let pg = Store::open(&pg_url)
        .await
        .expect("PostgreSQL store")
        .with_signing_passphrase(TEST_SIGNING_PASSPHRASE);
    vec![
        Tamperable {
            store: sqlite,
            url: sqlite_url,
            name: "sqlite",
            _dir: Some(dir),
        },
        Tamperable {
            store: pg,
            url: pg_url,
            name: "postgres",
            _dir: None,
        },
    ]
}

#[tokio::test]
async fn the_log_verifies_and_tampering_is_caught() {
    for t in tamperable().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let cert_id = certify(s, &c).await;
        let head1 = s.publish_tree_head(TEST_SIGNING_PASSPHRASE).await.unwrap();
        assert_eq!(head1.tree_size, 1, "{name}");
        for action in [
            CertificateAction::Suspend {
                reason: "nonconformity".into(),
            },
            CertificateAction::Reinstate {
                reason: "corrected".into(),
            },
        ] {
            s.act_on_certificate(&c.body, &cert_id, action)
                .await
                .unwrap();
        }
        // The registry withdraws.
        s.act_on_certificate(
            &c.registry,
            &cert_id,
            CertificateAction::Withdraw {
                reason: "false label found on the market".into(),
            },
        )
        .await
        .unwrap();
        let head4 = s.publish_tree_head(TEST_SIGNING_PASSPHRASE).await.unwrap();
        assert_eq!(head4.tree_size, 4, "{name}");

        // A benchmark: only the registry publishes, versions in sequence; log index 4.
        let pcr = s.get_pcr(PCR_ID, Some(PCR_VERSION)).await.unwrap().pcr;
        let values: Vec<f64> = (0..10).map(|i| 100.0 + 10.0 * i as f64).collect();
        let b1 = benchmark::compute(&pcr, "2025", 1, &values, "2026-11-21").unwrap();
        assert!(matches!(
            s.publish_benchmark(&c.enterprise, b1.clone()).await,
            Err(StoreError::Forbidden(_))
        ));
        let mut b3 = b1.clone();
        b3.version = 3;
        assert!(matches!(
            s.publish_benchmark(&c.registry, b3).await,
            Err(StoreError::Invalid { field, .. }) if field == "version"
        ));
        let published = s.publish_benchmark(&c.registry, b1.clone()).await.unwrap();
        assert_eq!(
            published.log_index, 4,
            "{name}: the refused ones logged nothing"
        );
        assert_eq!(
            s.latest_benchmark(PCR_ID, "2025").await.unwrap(),
            Some(published.clone())
        );
        assert_eq!(s.list_benchmarks(PCR_ID).await.unwrap(), vec![published]);
        assert_eq!(s.latest_benchmark(PCR_ID, "2024").await.unwrap(), None);
        let head5 = s.publish_tree_head(TEST_SIGNING_PASSPHRASE).await.unwrap();
        assert_eq!(head5.tree_size, 5);

        let entries = s.log_entries(0, 100).await.unwrap();
        let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EntryKind::CertificateIssued,
                EntryKind::CertificateSuspended,
                EntryKind::CertificateReinstated,
                EntryKind::CertificateWithdrawn,
                EntryKind::BenchmarkPublished,
            ],
            "{name}"
        );
        assert!(entries[..4].iter().all(|e| e.subject == cert_id));
        assert_eq!(entries[4].subject, format!("{PCR_ID}/2025/v1"));
        assert_eq!(s.log_entries(3, 4).await.unwrap(), entries[3..4].to_vec());
        let heads = s.tree_heads().await.unwrap();
        assert_eq!(heads, vec![head1.clone(), head4.clone(), head5.clone()]);
        assert_eq!(s.latest_tree_head().await.unwrap(), Some(head5.clone()));
        assert_eq!(s.tree_head_at(4).await.unwrap(), Some(head4.clone()));
        assert_eq!(s.tree_head_at(3).await.unwrap(), None);

        let keys = s
            .published_keys()
            .await
            .unwrap()
            .owned_by(REGISTRY_KEY_OWNER);
        let verified = verify_log_copy(&entries, &heads, &keys).expect("the stored log verifies");
        assert_eq!((verified.entries, verified.heads_checked), (5, 3), "{name}");
        let proof = s.inclusion_proof(2, 4).await.unwrap();
        verify_inclusion(&entries[2], &proof, &head4).expect("inclusion");
        let proof = s.consistency_proof(1, 5).await.unwrap();
        verify_consistency(&head1, &head5, &proof).expect("consistency");
        assert!(matches!(
            s.inclusion_proof(5, 5).await,
            Err(StoreError::Invalid { .. })
        ));
        assert!(matches!(
            s.consistency_proof(1, 6).await,
            Err(StoreError::Invalid { .. })
        ));

        // Tamper with entry 2's body behind the store's back.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&t.url)
            .await
            .expect("second connection");
        let mut body = entries[2].body.clone();
        body["reason"] = "nothing happened".into();
        sqlx::query("UPDATE log_entries SET body = $1 WHERE idx = $2")
            .bind(body.to_string())
            .bind(2_i64)
            .execute(&pool)
            .await
            .expect("tamper");
        pool.close().await;
        let tampered = s.log_entries(0, 100).await.unwrap();
        assert_eq!(tampered[2].body["reason"], "nothing happened");
        let err = verify_log_copy(&tampered, &heads, &keys).unwrap_err();
        match &err {
            LogError::HeadRootMismatch { head, suspect } => {
                assert_eq!(head.tree_size, 4, "{name}");
                assert_eq!(*suspect, Suspect::Range { from: 1, to: 4 }, "{name}");
            }
            other => panic!("{name}: {other}"),
        }
        assert!(err.to_string().contains("altered"), "{name}: {err}");
    }
}

#[tokio::test]
async fn concurrent_log_appends_get_distinct_indexes() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let mut certificates = vec![certify(s, &c).await];
        for i in 1..6 {
            let (product, version) = s
                .create_product(
                    &c.enterprise,
                    &format!("pack {i}"),
                    "battery-pack",
                    None,
                    upload(&example("lfp-battery-pack"), ""),
                )
                .await
                .unwrap();
            let footprint = compute_footprint(s, &c.enterprise, &product, &version).await;
            certificates.push(certify_footprint(s, &c, &footprint).await);
        }
        assert_eq!(s.log_size().await.unwrap(), 6, "{name}");
        // Six suspensions at once, each in its own transaction.
        let mut tasks = tokio::task::JoinSet::new();
        for id in certificates.clone() {
            let (store, body) = (s.clone(), c.body.clone());
            tasks.spawn(async move {
                store
                    .act_on_certificate(
                        &body,
                        &id,
                        CertificateAction::Suspend {
                            reason: "market surveillance".into(),
                        },
                    )
                    .await
            });
        }
        let mut indexes = Vec::new();
        while let Some(done) = tasks.join_next().await {
            let out = done.expect("task").expect("suspension");
            indexes.push(out.log_index.expect("logged"));
        }
        indexes.sort();
        assert_eq!(indexes, [6, 7, 8, 9, 10, 11], "{name}");
        assert_eq!(s.log_size().await.unwrap(), 12, "{name}");
        let head = s.publish_tree_head(TEST_SIGNING_PASSPHRASE).await.unwrap();
        assert_eq!(head.tree_size, 12);
        let entries = s.log_entries(0, 12).await.unwrap();
        let keys = s
            .published_keys()
            .await
            .unwrap()
            .owned_by(REGISTRY_KEY_OWNER);
        verify_log_copy(&entries, &[head], &keys).expect("verifies");
        let suspended: Vec<&str> = entries[6..].iter().map(|e| e.subject.as_str()).collect();
        for id in &certificates {
            assert!(suspended.contains(&id.as_str()), "{name}: {id}");
        }
    }
}

#[tokio::test]
async fn recertification_supersedes_the_previous_certificate() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let first = certify(s, &c).await;
        let mut r = input(&c);
        r.previous_certificate_id = Some(first.clone());
        let app = s.apply_for_certification(&c.enterprise, r).await.unwrap();
        for step in [
            ApplicationAction::StartDocumentReview,
            ApplicationAction::CompleteDocumentReview {
                note: String::new(),
            },
        ] {
            s.act_on_application(&c.body, &app.id, step).await.unwrap();
        }
        verify_by_job(s, &c.body, &app.id, &c.footprint.fingerprint).await;
        let out = s
            .act_on_application(
                &c.body,
                &app.id,
                ApplicationAction::Approve {
                    certificate_id: String::new(),
                    pcr_missed_mandatory: vec![],
                },
            )
            .await
            .unwrap();
        let second = out.certificate.expect("issued");
        assert_eq!(second.id, "CERT-000002", "{name}");
        assert_eq!(out.log_index, Some(1), "{name}");
        let signed = second.signed.clone().expect("signed");
        let full = second.certificate.expect("the body sees the record");
        assert_eq!(full.supersedes(), Some(first.as_str()));
        assert_eq!(signed.payload, certificate_statement(&full), "{name}");
        assert_eq!(signed.payload["supersedes"], first.as_str());
        zuji_trust::keys::verify(&s.published_keys().await.unwrap(), &signed)
            .expect("the re-certification's signature verifies");
        let previous = s.get_certificate(&c.enterprise, &first).await.unwrap();
        assert_eq!(previous.status, CertificateStatus::Superseded, "{name}");
        assert_eq!(previous.revision, 2, "{name}");
        assert_eq!(
            previous.certificate.unwrap().superseded_by(),
            Some("CERT-000002")
        );
        let entries = s.log_entries(0, 10).await.unwrap();
        assert_eq!(entries.len(), 2, "{name}");
        assert_eq!(entries[1].body["supersedes"], first.as_str());
    }
}

/// The benchmark the label and ranking tests publish for the battery-pack PCR, from ten
/// certified footprints 50, 60, …, 140. By hand (R type 7): advanced = P20, h = 9 × 0.2
/// = 1.8, 60 + 0.8 × 10 = 68; average = mean = 95; default = P90, h = 8.1, 130 + 0.1 ×
/// 10 = 131. Bands: A ≤ 68 < B ≤ 95 < C ≤ 131 < D ≤ 157.2 < E.
async fn publish_battery_benchmark(s: &Store, c: &Cast) -> benchmark::BenchmarkVersion {
    let pcr = s.get_pcr(PCR_ID, Some(PCR_VERSION)).await.unwrap().pcr;
    let values: Vec<f64> = (0..10).map(|i| 50.0 + 10.0 * i as f64).collect();
    let b = benchmark::compute(&pcr, "2025", 1, &values, "2026-11-21").unwrap();
    assert!((b.values.advanced - 68.0).abs() < 1e-9, "{:?}", b.values);
    assert!((b.values.average - 95.0).abs() < 1e-9, "{:?}", b.values);
    assert!((b.values.default - 131.0).abs() < 1e-9, "{:?}", b.values);
    s.publish_benchmark(&c.registry, b.clone()).await.unwrap();
    b
}

#[tokio::test]
async fn labels_are_issued_signed_logged_and_graded() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let cert_id = certify(s, &c).await;
        let cert = s.get_certificate(&c.body, &cert_id).await.unwrap();
        let stored_footprint = s
            .get_footprint(&c.enterprise, c.footprint.id)
            .await
            .unwrap();

        // Refused: the enterprise, a body that did not issue the certificate, the public,
        // an unknown certificate. None takes an id or a log entry.
        let before = s.log_size().await.unwrap();
        assert_eq!(before, 1, "{name}");
        assert!(matches!(
            s.issue_label(&c.enterprise, &cert_id).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.issue_label(&c.other_body, &cert_id).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.issue_label(&Viewer::Anonymous, &cert_id).await,
            Err(StoreError::Unauthenticated)
        ));
        assert!(matches!(
            s.issue_label(&c.body, "CERT-999999").await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(s.log_size().await.unwrap(), before, "{name}");

        // The body issues the first label.
        let label = s.issue_label(&c.body, &cert_id).await.unwrap();
        assert_eq!(label.id, "LBL-000001", "{name}: refused labels took no id");
        assert_eq!(label.log_index, before, "{name}");
        assert_eq!(s.log_size().await.unwrap(), before + 1, "{name}");
        assert_eq!(label.certificate_id, cert_id);
        assert_eq!(label.product_id, c.product.id);
        assert_eq!(label.issued_by_org, Some(c.body_org.id));
        let entry = &s
            .log_entries(label.log_index, label.log_index + 1)
            .await
            .unwrap()[0];
        assert_eq!(entry.kind, EntryKind::LabelIssued, "{name}");
        assert_eq!(entry.subject, "LBL-000001");
        assert_eq!(entry.body["signature"], json!(label.signed.sig));
        assert_eq!(entry.body["key_id"], json!(label.signed.key_id));
        assert_eq!(entry.body["certificate_id"], json!(cert_id));

        // What it states comes from the stored records.
        let st = &label.statement;
        assert_eq!(st.label_id, "LBL-000001");
        assert_eq!(st.value, stored_footprint.total, "{name}");
        assert!((st.value - c.footprint.total).abs() < 1e-9, "{name}");
        assert!((st.value - 78.75).abs() < 0.01, "{name}: {}", st.value);
        assert_eq!(st.unit, "kg CO2e");
        assert_eq!(st.declared_unit, "1 kWh");
        assert_eq!(st.pcr, cert.scope.pcr, "{name}");
        assert_eq!(st.certificate_id, cert_id);
        assert_eq!(st.certification_body.org_id, c.body_org.id.to_string());
        assert_eq!(st.certification_body.name, "Beijing Certification Centre");
        assert_eq!(st.product.name, c.product.name);
        assert_eq!(st.product.id, c.product.id.to_string());
        assert_eq!(st.product.gtin.as_deref(), Some(GTIN));
        assert_eq!(st.log_index, Some(label.log_index));
        assert_eq!(st.valid_until * 1000, cert.valid_until, "{name}");
        assert!(st.valid_from * 1000 >= cert.issued_at);
        assert_eq!(st.grade, None, "{name}: no benchmark is published");
        assert_eq!(
            label.signed.payload,
            serde_json::to_value(st).unwrap(),
            "{name}: the signed payload is the statement"
        );

        // Signed by the body's key; the QR code verifies offline.
        let keys = s.published_keys().await.unwrap();
        zuji_trust::keys::verify(&keys, &label.signed).expect("the label's signature verifies");
        assert_eq!(
            keys.get(&label.signed.key_id).unwrap().owner,
            c.body_org.id.to_string()
        );
        assert_eq!(
            Some(&label.signed.key_id),
            cert.signed.as_ref().map(|s| &s.key_id)
        );
        let qr = encode_qr_payload(&label.signed, REGISTRY_URL).unwrap();
        let now_s = now_ms() / 1000;
        let verified = verify_offline(&qr, &keys, now_s).expect("verifies offline");
        assert_eq!(verified.statement, label.statement, "{name}");
        assert_eq!(verified.signer, c.body_org.id.to_string());
        assert_eq!(
            verified.verify_url.as_deref(),
            Some("https://registry.example.org/verify/LBL-000001")
        );

        // Public reads.
        assert_eq!(s.get_label("LBL-000001").await.unwrap(), label, "{name}");
        assert!(matches!(
            s.get_label("LBL-999999").await,
            Err(StoreError::NotFound { .. })
        ));
        let audit = s
            .audit_log(&Viewer::System, Some("label.issue"), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(audit.total, 1, "{name}");
        assert_eq!(audit.items[0].target_id, "LBL-000001");

        // The registry may issue one too, signed by its own key.
        let by_registry = s.issue_label(&c.registry, &cert_id).await.unwrap();
        assert_eq!(by_registry.id, "LBL-000002", "{name}");
        assert_eq!(by_registry.log_index, before + 1);
        let keys = s.published_keys().await.unwrap();
        let qr = encode_qr_payload(&by_registry.signed, REGISTRY_URL).unwrap();
        let verified = verify_offline(&qr, &keys, now_s).expect("verifies offline");
        assert_eq!(verified.signer, REGISTRY_KEY_OWNER, "{name}");

        // Once the registry publishes a benchmark, a new label carries the grade it gives:
        // 68 < 78.75 ≤ 95, so B.
        let published = publish_battery_benchmark(s, &c).await;
        let pcr = s.get_pcr(PCR_ID, Some(PCR_VERSION)).await.unwrap().pcr;
        let expected = benchmark::grade(stored_footprint.total, &published, &pcr.grades).unwrap();
        assert_eq!(expected.grade, "B", "{name}");
        let graded = s.issue_label(&c.body, &cert_id).await.unwrap();
        assert_eq!(graded.id, "LBL-000003", "{name}");
        assert_eq!(
            graded.statement.grade,
            Some(LabelGrade {
                grade: "B".into(),
                benchmark_period: "2025".into(),
                benchmark_version: 1,
            }),
            "{name}"
        );
        assert_eq!(
            graded.statement.grade,
            Some(LabelGrade::from_grade(&expected))
        );
        // Issued labels keep what they were issued with.
        assert_eq!(
            s.get_label("LBL-000001").await.unwrap().statement.grade,
            None
        );
        let entry = &s
            .log_entries(graded.log_index, graded.log_index + 1)
            .await
            .unwrap()[0];
        assert_eq!(entry.body["grade"]["grade"], "B", "{name}");

        // Lists: newest first, by certificate, product or GTIN.
        let ids = |page: Page<StoredLabel>| {
            (
                page.total,
                page.items.into_iter().map(|l| l.id).collect::<Vec<_>>(),
            )
        };
        let all = [
            "LBL-000003".to_string(),
            "LBL-000002".into(),
            "LBL-000001".into(),
        ];
        assert_eq!(
            ids(s
                .list_labels(Some(&cert_id), None, None, PageRequest::default())
                .await
                .unwrap()),
            (3, all.to_vec()),
            "{name}"
        );
        assert_eq!(
            ids(s
                .list_labels(None, Some(c.product.id), None, PageRequest::default())
                .await
                .unwrap()),
            (3, all.to_vec())
        );
        assert_eq!(
            ids(s
                .list_labels(None, None, Some(GTIN), PageRequest::new(1, 1))
                .await
                .unwrap()),
            (3, vec!["LBL-000002".to_string()])
        );
        assert_eq!(
            s.list_labels(None, None, Some("96385074"), PageRequest::default())
                .await
                .unwrap()
                .total,
            0
        );

        // A suspended certificate gets no label.
        s.act_on_certificate(
            &c.body,
            &cert_id,
            CertificateAction::Suspend {
                reason: "market surveillance".into(),
            },
        )
        .await
        .unwrap();
        let size = s.log_size().await.unwrap();
        let err = s.issue_label(&c.body, &cert_id).await.unwrap_err();
        assert!(
            is_invalid(&err, "certificate_id", "suspended"),
            "{name}: {err:?}"
        );
        assert_eq!(s.log_size().await.unwrap(), size, "{name}");
        let labels = s
            .list_labels(Some(&cert_id), None, None, PageRequest::default())
            .await
            .unwrap();
        assert_eq!(labels.total, 3, "{name}");
    }
}

#[tokio::test]
async fn certified_products_are_ranked_lowest_footprint_first() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let first_cert = certify(s, &c).await;
        // A second pack whose cell plant draws half the grid electricity.
        let (greener, greener_version) = s
            .create_product(
                &c.enterprise,
                "LFP pack 280 Ah, green-power line",
                "battery-pack",
                None,
                upload(&lfp_with_electricity(0.5), "half the grid electricity"),
            )
            .await
            .unwrap();
        let greener_footprint =
            compute_footprint(s, &c.enterprise, &greener, &greener_version).await;
        // Half of 58.11 kWh × 0.6205 kg/kWh ≈ 18 kg less: about 60.7, below the
        // advanced value 68 of the benchmark published below.
        assert!(
            greener_footprint.total < 68.0 && c.footprint.total > 68.0,
            "{name}: {} vs {}",
            greener_footprint.total,
            c.footprint.total
        );
        let greener_cert = certify_footprint(s, &c, &greener_footprint).await;
        assert_eq!(greener_cert, "CERT-000002", "{name}");

        let rank = |max_grade: Option<i64>| {
            let s = s.clone();
            async move {
                s.rank_certified_products(PCR_ID, max_grade, PageRequest::default())
                    .await
                    .unwrap()
            }
        };
        // Certified but not labelled: nothing to rank.
        assert_eq!(rank(None).await.total, 0, "{name}");
        let first_label = s.issue_label(&c.body, &first_cert).await.unwrap();
        let greener_label = s.issue_label(&c.body, &greener_cert).await.unwrap();
        let ranked = rank(None).await;
        assert_eq!(ranked.total, 2, "{name}");
        let got: Vec<(u64, i64, &str, f64)> = ranked
            .items
            .iter()
            .map(|r| (r.rank, r.product_id, r.label_id.as_str(), r.value))
            .collect();
        assert_eq!(
            got,
            [
                (
                    1,
                    greener.id,
                    greener_label.id.as_str(),
                    greener_footprint.total
                ),
                (2, c.product.id, first_label.id.as_str(), c.footprint.total),
            ],
            "{name}"
        );
        let top = &ranked.items[0];
        assert_eq!(top.product_name, "LFP pack 280 Ah, green-power line");
        assert_eq!(top.certificate_id, greener_cert);
        assert_eq!(
            (top.unit.as_str(), top.declared_unit.as_str()),
            ("kg CO2e", "1 kWh")
        );
        assert_eq!(top.grade, None);
        assert_eq!(ranked.items[1].gtin.as_deref(), Some(GTIN));
        assert_eq!(
            s.rank_certified_products(APPAREL_PCR_ID, None, PageRequest::default())
                .await
                .unwrap()
                .total,
            0,
            "{name}: another category"
        );
        let second_page = s
            .rank_certified_products(PCR_ID, None, PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!(second_page.total, 2);
        assert_eq!(second_page.items.len(), 1);
        assert_eq!(second_page.items[0].rank, 2, "{name}");

        // Graded labels: the greener pack is A (≤ 68), the first B (68 < x ≤ 95).
        publish_battery_benchmark(s, &c).await;
        let first_graded = s.issue_label(&c.body, &first_cert).await.unwrap();
        let greener_graded = s.issue_label(&c.body, &greener_cert).await.unwrap();
        let ranked = rank(None).await;
        let got: Vec<(&str, Option<&str>)> = ranked
            .items
            .iter()
            .map(|r| (r.label_id.as_str(), r.grade.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (greener_graded.id.as_str(), Some("A")),
                (first_graded.id.as_str(), Some("B")),
            ],
            "{name}: each product's newest label"
        );
        assert_eq!(ranked.items[0].benchmark_period.as_deref(), Some("2025"));
        assert_eq!(ranked.items[0].benchmark_version, Some(1));
        let best = rank(Some(1)).await;
        assert_eq!(
            best.items.iter().map(|r| r.product_id).collect::<Vec<_>>(),
            [greener.id],
            "{name}: grade A only"
        );
        assert_eq!(rank(Some(2)).await.total, 2, "{name}");

        // Withdrawing a certificate drops its product at once.
        s.act_on_certificate(
            &c.body,
            &greener_cert,
            CertificateAction::Withdraw {
                reason: "the green-power contract ended".into(),
            },
        )
        .await
        .unwrap();
        let ranked = rank(None).await;
        assert_eq!(ranked.total, 1, "{name}");
        assert_eq!(
            (ranked.items[0].rank, ranked.items[0].product_id),
            (1, c.product.id),
            "{name}"
        );
        assert_eq!(rank(Some(1)).await.total, 0, "{name}");
        // So does a suspension.
        s.act_on_certificate(
            &c.registry,
            &first_cert,
            CertificateAction::Suspend {
                reason: "false claim found on the market".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(rank(None).await.total, 0, "{name}");
    }
}

#[tokio::test]
async fn tree_heads_are_signed_when_the_log_grows() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        assert_eq!(
            s.ensure_registry_signing_key().await.unwrap(),
            None,
            "{name}: no registry operator yet"
        );
        assert_eq!(s.publish_tree_head_if_grown().await.unwrap(), None);
        let c = cast(s).await;
        let key = s
            .ensure_registry_signing_key()
            .await
            .unwrap()
            .expect("the registry's key");
        assert_eq!(key.owner, REGISTRY_KEY_OWNER);
        assert_eq!(
            s.ensure_registry_signing_key().await.unwrap(),
            Some(key.clone()),
            "{name}: idempotent"
        );
        assert_eq!(
            s.publish_tree_head_if_grown().await.unwrap(),
            None,
            "{name}: the log is empty"
        );
        let cert_id = certify(s, &c).await;
        let head1 = s
            .publish_tree_head_if_grown()
            .await
            .unwrap()
            .expect("the log grew");
        assert_eq!(head1.tree_size, 1, "{name}");
        assert_eq!(head1.key_id, key.key_id);
        assert_eq!(
            s.publish_tree_head_if_grown().await.unwrap(),
            None,
            "{name}"
        );
        s.issue_label(&c.body, &cert_id).await.unwrap();
        s.act_on_certificate(
            &c.body,
            &cert_id,
            CertificateAction::Suspend {
                reason: "nonconformity".into(),
            },
        )
        .await
        .unwrap();
        let head3 = s
            .publish_tree_head_if_grown()
            .await
            .unwrap()
            .expect("the log grew");
        assert_eq!(head3.tree_size, 3, "{name}");
        assert_eq!(
            s.publish_tree_head_if_grown().await.unwrap(),
            None,
            "{name}"
        );
        let heads = s.tree_heads().await.unwrap();
        assert_eq!(heads, vec![head1.clone(), head3.clone()], "{name}");
        let entries = s.log_entries(0, 10).await.unwrap();
        let keys = s
            .published_keys()
            .await
            .unwrap()
            .owned_by(REGISTRY_KEY_OWNER);
        let verified = verify_log_copy(&entries, &heads, &keys).expect("the log verifies");
        assert_eq!((verified.entries, verified.heads_checked), (3, 2), "{name}");
        let proof = s.consistency_proof(1, 3).await.unwrap();
        verify_consistency(&head1, &head3, &proof).expect("consistency");
        let proof = s.inclusion_proof(1, 3).await.unwrap();
        verify_inclusion(&entries[1], &proof, &head3).expect("the label is in the log");
    }
}
