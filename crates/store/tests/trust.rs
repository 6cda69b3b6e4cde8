//! The trust layer's persistence on both backends: PCRs and the adopted-standards list,
//! the certification workflow with its visibility rules, signing keys, the transparency
//! log (verified end to end, and tampered with through SQL) and benchmarks.

mod common;

use zuji_store::*;
use zuji_trust::benchmark;
use zuji_trust::certification::{
    ApplicationAction, ApplicationRequest, ApplicationStatus, CertificateAction, CertificateStatus,
    PcrRef,
};
use zuji_trust::log::{
    EntryKind, LogError, Suspect, verify_consistency, verify_inclusion, verify_log_copy,
};
use zuji_trust::pcr::{AdoptionStatus, ListChange};

const PCR_ID: &str = "zuji:pcr:battery-pack:draft";
const PCR_VERSION: &str = "0.1.0";
const REGISTRY_PASS: &str = "registry key passphrase";
const FINGERPRINT: &str = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

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

/// The cast: an enterprise with a product, the certification body it applies to,
/// another certification body, and the registry operator.
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
            None,
            NewModelVersion {
                model_json: "{\"product\":{\"name\":\"LFP pack\"}}".into(),
                source_format: "json".into(),
                note: String::new(),
            },
        )
        .await
        .expect("product");
    assert_eq!(s.ensure_bundled_pcrs().await.expect("PCRs"), 5);
    s.ensure_signing_key(registry_org.id, REGISTRY_PASS)
        .await
        .expect("registry key");
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
    }
}

fn request(c: &Cast) -> ApplicationRequest {
    request_for(c, &c.product, &c.version)
}

fn request_for(c: &Cast, product: &Product, version: &ModelVersion) -> ApplicationRequest {
    ApplicationRequest {
        product_id: product.id.to_string(),
        model_version_id: version.id.to_string(),
        footprint_fingerprint: FINGERPRINT.into(),
        pcr: PcrRef {
            id: PCR_ID.into(),
            version: PCR_VERSION.into(),
        },
        documents: vec![],
        certification_body_org_id: c.body_org.id.to_string(),
        previous_certificate_id: None,
        pcr_missed_mandatory: vec![],
    }
}

/// Applies, reviews, verifies and approves: returns the certificate id. The log then
/// holds one entry (index 0, `certificate_issued`).
async fn certify(s: &Store, c: &Cast) -> String {
    certify_product(s, c, &c.product, &c.version).await
}

async fn certify_product(s: &Store, c: &Cast, product: &Product, version: &ModelVersion) -> String {
    let app = s
        .apply_for_certification(&c.enterprise, request_for(c, product, version))
        .await
        .expect("apply");
    let steps = [
        ApplicationAction::StartDocumentReview,
        ApplicationAction::CompleteDocumentReview {
            note: "bill of materials and energy records reviewed".into(),
        },
        ApplicationAction::VerifyFootprint {
            recomputed_fingerprint: FINGERPRINT.to_uppercase(),
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
    let out = s
        .act_on_application(
            &c.body,
            &app.id,
            ApplicationAction::Approve {
                certificate_id: "ignored: the store mints it".into(),
                pcr_missed_mandatory: vec![],
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
        assert_eq!(cert.scope.footprint_fingerprint, FINGERPRINT);
        // Two years (730 or 731 days) from issue, in milliseconds.
        let days = (cert.valid_until - cert.issued_at) / 86_400_000;
        assert!(days == 730 || days == 731, "{name}: {days} days");
        assert_eq!(cert.issued_at % 1000, 0, "whole seconds");

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

        // Surveillance on a withdrawn certificate is illegal; nothing changes.
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

        // Every action is audited with the write.
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
    }
}

#[tokio::test]
async fn applications_are_refused_and_hidden_as_they_should_be() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let first = s
            .apply_for_certification(&c.enterprise, request(&c))
            .await
            .unwrap();
        assert_eq!(first.id, "APP-000001", "{name}");
        assert_eq!(first.status, ApplicationStatus::Submitted);

        // Refused applications: none takes an id.
        let mut r = request(&c);
        r.pcr_missed_mandatory = vec!["primary data: cell-production-electricity".into()];
        let err = s
            .apply_for_certification(&c.enterprise, r)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, problem } if field == "action" && problem.contains("cell-production-electricity")),
            "{name}: {err:?}"
        );
        let mut r = request(&c);
        r.certification_body_org_id = c.enterprise_org.id.to_string();
        assert!(matches!(
            s.apply_for_certification(&c.enterprise, r).await,
            Err(StoreError::Invalid { field, .. }) if field == "certification_body_org_id"
        ));
        let mut r = request(&c);
        r.pcr.version = "9.9.9".into();
        assert!(matches!(
            s.apply_for_certification(&c.enterprise, r).await,
            Err(StoreError::Invalid { field, .. }) if field == "pcr"
        ));
        let mut r = request(&c);
        r.model_version_id = "not a number".into();
        assert!(matches!(
            s.apply_for_certification(&c.enterprise, r).await,
            Err(StoreError::Invalid { field, .. }) if field == "model_version_id"
        ));
        assert!(matches!(
            s.apply_for_certification(&c.body, request(&c)).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.apply_for_certification(&Viewer::Anonymous, request(&c))
                .await,
            Err(StoreError::Unauthenticated)
        ));
        let second = s
            .apply_for_certification(&c.enterprise, request(&c))
            .await
            .unwrap();
        assert_eq!(
            second.id, "APP-000002",
            "{name}: refused applications took no id"
        );

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
            matches!(&err, StoreError::Invalid { field, problem } if field == "action" && problem.contains("document review has not started")),
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
            (&c.enterprise, 2),
            (&c.body, 2),
            (&c.registry, 2),
            (&c.other_body, 0),
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
            .ensure_signing_key(c.registry_org.id, REGISTRY_PASS)
            .await
            .unwrap();
        assert_eq!(registry_key.owner, REGISTRY_KEY_OWNER);
        assert!(matches!(
            s.ensure_signing_key(c.registry_org.id, "wrong passphrase").await,
            Err(StoreError::Invalid { field, .. }) if field == "passphrase"
        ));
        let body_key = s
            .ensure_signing_key(c.body_org.id, "body pass")
            .await
            .unwrap();
        assert_eq!(body_key.owner, c.body_org.id.to_string());
        assert!(matches!(
            s.rotate_signing_key(&c.enterprise, c.body_org.id, "body pass")
                .await,
            Err(StoreError::NotFound { .. })
        ));
        assert!(matches!(
            s.rotate_signing_key(&c.body, c.body_org.id, "body pass")
                .await,
            Err(StoreError::Forbidden(_))
        ));
        let rotated = s
            .rotate_signing_key(&c.registry, c.body_org.id, "new body pass")
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
        assert_eq!(
            s.ensure_signing_key(c.body_org.id, "new body pass")
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
    let sqlite = Store::open(&sqlite_url).await.expect("SQLite store");
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
    let pg = Store::open(&pg_url).await.expect("PostgreSQL store");
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
        let head1 = s.publish_tree_head(REGISTRY_PASS).await.unwrap();
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
        let head4 = s.publish_tree_head(REGISTRY_PASS).await.unwrap();
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
        let head5 = s.publish_tree_head(REGISTRY_PASS).await.unwrap();
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
                    NewModelVersion {
                        model_json: "{\"product\":{\"name\":\"pack\"}}".into(),
                        source_format: "json".into(),
                        note: String::new(),
                    },
                )
                .await
                .unwrap();
            certificates.push(certify_product(s, &c, &product, &version).await);
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
        let head = s.publish_tree_head(REGISTRY_PASS).await.unwrap();
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
        let mut r = request(&c);
        r.previous_certificate_id = Some(first.clone());
        let app = s.apply_for_certification(&c.enterprise, r).await.unwrap();
        for step in [
            ApplicationAction::StartDocumentReview,
            ApplicationAction::CompleteDocumentReview {
                note: String::new(),
            },
            ApplicationAction::VerifyFootprint {
                recomputed_fingerprint: FINGERPRINT.into(),
            },
        ] {
            s.act_on_application(&c.body, &app.id, step).await.unwrap();
        }
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
        let full = second.certificate.expect("the body sees the record");
        assert_eq!(full.supersedes(), Some(first.as_str()));
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
