//! The public registry's reads (`zuji_store::registry`) on both backends: which
//! products are listed (each once, with its newest label in date on a certificate in
//! force), the search's filters, orders and pages, the ranking and distribution of a
//! category (valid certificates only, the same order as the open-data ranking), a
//! certificate's public history, what a product page may show, and the bulk fixtures
//! of `zuji_store::testing_bulk` (rows that list, verify and prove like real ones).
//!
//! The products are the bundled LFP pack and a variant whose cell plant draws half the
//! grid electricity, computed with the engine as the worker computes them and certified
//! through the whole workflow (the test plays the worker for the verification job). The
//! benchmark is the one of `tests/trust.rs`: the sample 50, 60, …, 140 gives advanced
//! (P20) 68, average 95 and default (P90) 131; the pack (≈ 78.75) is then grade B and the
//! greener pack (≈ 60.7) grade A.

mod common;

use serde_json::json;
use std::sync::OnceLock;
use zuji_calc::footprint::FootprintOptions;
use zuji_model::LifeCycleStage;
use zuji_model::gwp::GwpTable;
use zuji_model::lci::LciDatabase;
use zuji_model::product::{Amount, ProductModel};
use zuji_store::registry::{CertificateEventKind, RegistryFilter, RegistrySort};
use zuji_store::testing::TEST_SIGNING_PASSPHRASE;
use zuji_store::testing_bulk::{CertifiedCopy, gtin13, insert_certified_copies, insert_products};
use zuji_store::*;
use zuji_trust::benchmark;
use zuji_trust::certification::{ApplicationAction, CertificateAction, CertificateStatus};
use zuji_trust::label::{encode_qr_payload, verify_offline};
use zuji_trust::log::verify_inclusion;

const PCR_ID: &str = "zuji:pcr:battery-pack:draft";
const APPAREL_PCR_ID: &str = "zuji:pcr:apparel:draft";
/// A GTIN-13 with a correct check digit (4·1+0·3+0·1+6·3+3·1+8·3+1·1+3·3+3·1+3·3+9·1+3·3 = 89 → 1).
const GTIN: &str = "4006381333931";
const PACK: &str = "LFP pack 280 Ah";
const GREENER: &str = "LFP pack 280 Ah, green-power line";

fn engine() -> &'static (LciDatabase, GwpTable) {
    static ENGINE: OnceLock<(LciDatabase, GwpTable)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        (
            zuji_formats::default_db::default_database().expect("bundled database"),
            zuji_formats::default_db::gwp_table("ar6").expect("AR6 table"),
        )
    })
}

fn lfp(electricity_factor: f64) -> ProductModel {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/lfp-battery-pack.toml");
    let mut model = zuji_formats::product_model::read_product_model(&path)
        .expect("example model")
        .model;
    if electricity_factor != 1.0 {
        for input in model.processes.iter_mut().flat_map(|p| p.inputs.iter_mut()) {
            if input.dataset.as_deref() == Some("electricity/cn/national/2023/footprint") {
                input.amount = Amount::Formula(format!("cell_plant_kwh * {electricity_factor}"));
            }
        }
    }
    model
}

struct Cast {
    enterprise: Viewer,
    body: Viewer,
    registry: Viewer,
    enterprise_org: Organisation,
    body_org: Organisation,
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
    .unwrap();
    let token = s.login(email, "a long enough password").await.unwrap();
    s.authenticate(&token.token).await.unwrap()
}

async fn cast(s: &Store) -> Cast {
    let enterprise_org = s
        .create_org(&Viewer::System, "Ningde Cells", OrgKind::Enterprise)
        .await
        .unwrap();
    let body_org = s
        .create_org(
            &Viewer::System,
            "Beijing Certification Centre",
            OrgKind::Certifier,
        )
        .await
        .unwrap();
    let registry_org = s
        .create_org(&Viewer::System, "Registry", OrgKind::Registry)
        .await
        .unwrap();
    s.ensure_bundled_pcrs().await.unwrap();
    s.ensure_signing_key(registry_org.id, TEST_SIGNING_PASSPHRASE)
        .await
        .unwrap();
    Cast {
        enterprise: member(s, &enterprise_org, "e@cells.example", Role::Editor).await,
        body: member(s, &body_org, "b@cert.example", Role::Editor).await,
        registry: member(s, &registry_org, "r@registry.example", Role::Admin).await,
        enterprise_org,
        body_org,
    }
}

/// A product with its model computed as the worker computes it: (product, footprint id,
/// total).
async fn computed(
    s: &Store,
    c: &Cast,
    name: &str,
    gtin: Option<&str>,
    model: &ProductModel,
) -> (Product, i64, f64) {
    let (product, version) = s
        .create_product(
            &c.enterprise,
            name,
            "battery-pack",
            gtin,
            NewModelVersion {
                model_json: zuji_formats::product_model::to_json(model),
                source_format: "toml".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    s.start_footprint(
        &c.enterprise,
        product.id,
        Some(version.version),
        json!({"gwp": "ar6", "monte_carlo": 0, "seed": 42}),
    )
    .await
    .unwrap();
    let claimed = s.claim_job("test-worker", LEASE_MS).await.unwrap().unwrap();
    let (db, gwp) = engine();
    let result = zuji_calc::footprint::compute_footprint(
        model,
        std::slice::from_ref(db),
        gwp,
        &FootprintOptions::default(),
        None,
    )
    .unwrap();
    let new = NewFootprint {
        product_id: product.id,
        model_version_id: version.id,
        method: result.method.name.clone(),
        total: result.total,
        fingerprint: result.fingerprint.sha256.clone(),
        result_json: serde_json::to_string(&result).unwrap(),
        options_json: claimed.payload["options"].to_string(),
        database_version_ids: vec![],
    };
    let id = s.complete_footprint_job(&claimed, &new).await.unwrap();
    (product, id, new.total)
}

/// Applies, reviews, verifies (playing the worker) and approves: the certificate id.
async fn certify(s: &Store, c: &Cast, footprint_id: i64) -> String {
    let app = s
        .apply_for_certification(
            &c.enterprise,
            ApplicationInput {
                footprint_id,
                certification_body_org_id: c.body_org.id,
                pcr_id: PCR_ID.into(),
                pcr_version: None,
                documents: vec![],
                previous_certificate_id: None,
            },
        )
        .await
        .unwrap();
    for step in [
        ApplicationAction::StartDocumentReview,
        ApplicationAction::CompleteDocumentReview {
            note: "records reviewed".into(),
        },
    ] {
        s.act_on_application(&c.body, &app.id, step).await.unwrap();
    }
    s.request_footprint_verification(&c.body, &app.id)
        .await
        .unwrap();
    let claimed = s
        .claim_job("test-verifier", LEASE_MS)
        .await
        .unwrap()
        .unwrap();
    s.complete_verification_job(&claimed, app.application.footprint_fingerprint())
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
    out.certificate.unwrap().id
}

async fn publish_benchmark(s: &Store, c: &Cast) {
    let pcr = s.get_pcr(PCR_ID, None).await.unwrap().pcr;
    let values: Vec<f64> = (0..10).map(|i| 50.0 + 10.0 * i as f64).collect();
    let b = benchmark::compute(&pcr, "2025", 1, &values, "2026-11-21").unwrap();
    s.publish_benchmark(&c.registry, b).await.unwrap();
}

fn search(q: Option<&str>) -> RegistryFilter {
    RegistryFilter {
        q: q.map(str::to_string),
        ..RegistryFilter::default()
    }
}

fn ids(page: &Page<registry::RegistryEntry>) -> Vec<i64> {
    page.items.iter().map(|e| e.product_id).collect()
}

#[tokio::test]
async fn the_registry_lists_ranks_and_shows_certified_products() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let (pack, pack_fp, pack_total) = computed(s, &c, PACK, Some(GTIN), &lfp(1.0)).await;
        let (greener, greener_fp, greener_total) = computed(s, &c, GREENER, None, &lfp(0.5)).await;
        assert!(
            (68.0..=95.0).contains(&pack_total) && greener_total <= 68.0,
            "{name}: grades B and A expected: {pack_total} {greener_total}"
        );
        let pack_cert = certify(s, &c, pack_fp).await;
        let greener_cert = certify(s, &c, greener_fp).await;
        let all = PageRequest::default();

        // Certified, not labelled: not in the registry.
        assert_eq!(
            s.search_registry(&search(None), all).await.unwrap().total,
            0
        );
        assert!(matches!(
            s.registry_product(&Viewer::Anonymous, pack.id).await,
            Err(StoreError::NotFound { .. })
        ));
        publish_benchmark(s, &c).await;
        let first = s.issue_label(&c.body, &pack_cert).await.unwrap();
        let greener_label = s.issue_label(&c.body, &greener_cert).await.unwrap();
        // A second label on the same certificate: the product is listed once, with it.
        let newest = s.issue_label(&c.body, &pack_cert).await.unwrap();
        assert_eq!(
            (
                first.id.as_str(),
                greener_label.id.as_str(),
                newest.id.as_str()
            ),
            ("LBL-000001", "LBL-000002", "LBL-000003")
        );

        let found = s.search_registry(&search(None), all).await.unwrap();
        assert_eq!(found.total, 2, "{name}");
        assert_eq!(
            ids(&found),
            [pack.id, greener.id],
            "{name}: newest label first"
        );
        let e = &found.items[0];
        assert_eq!(e.label_id, "LBL-000003");
        assert_eq!(e.product_name, PACK);
        assert_eq!(e.org_name, "Ningde Cells");
        assert_eq!(e.org_id, c.enterprise_org.id);
        assert_eq!(e.category, "battery-pack");
        assert_eq!(e.pcr_id, PCR_ID);
        assert_eq!(e.certificate_id, pack_cert);
        assert_eq!(e.certificate_status, CertificateStatus::Valid);
        assert_eq!(e.value, pack_total, "{name}: the certified total");
        assert_eq!(
            (e.unit.as_str(), e.declared_unit.as_str()),
            ("kg CO2e", "1 kWh")
        );
        assert_eq!((e.grade.as_deref(), e.grade_rank), (Some("B"), Some(2)));
        assert_eq!(e.gtin.as_deref(), Some(GTIN));
        assert_eq!(found.items[1].grade.as_deref(), Some("A"));

        // Filters: name (any case), GTIN in the box or its own field, category,
        // enterprise, grade; wildcards are literal.
        let q = |text: &str| {
            let s = s.clone();
            let text = text.to_string();
            async move { ids(&s.search_registry(&search(Some(&text)), all).await.unwrap()) }
        };
        assert_eq!(q("lfp PACK 280").await, [pack.id, greener.id], "{name}");
        assert_eq!(q("GREEN-power").await, [greener.id], "{name}");
        assert_eq!(q(GTIN).await, [pack.id], "{name}");
        assert!(q("%").await.is_empty(), "{name}: % is not a wildcard");
        assert!(q("_").await.is_empty(), "{name}: _ is not a wildcard");
        assert!(q("nothing like it").await.is_empty());
        let with = |f: RegistryFilter| {
            let s = s.clone();
            async move { ids(&s.search_registry(&f, all).await.unwrap()) }
        };
        let f = RegistryFilter::default;
        assert_eq!(
            with(RegistryFilter {
                gtin: Some(GTIN.into()),
                ..f()
            })
            .await,
            [pack.id]
        );
        assert_eq!(
            with(RegistryFilter {
                pcr_id: Some(PCR_ID.into()),
                ..f()
            })
            .await
            .len(),
            2
        );
        assert!(
            with(RegistryFilter {
                pcr_id: Some(APPAREL_PCR_ID.into()),
                ..f()
            })
            .await
            .is_empty()
        );
        assert_eq!(
            with(RegistryFilter {
                org: Some("ningde".into()),
                ..f()
            })
            .await
            .len(),
            2
        );
        assert!(
            with(RegistryFilter {
                org: Some("Other".into()),
                ..f()
            })
            .await
            .is_empty()
        );
        assert_eq!(
            with(RegistryFilter {
                grade: Some("A".into()),
                ..f()
            })
            .await,
            [greener.id]
        );
        assert_eq!(
            with(RegistryFilter {
                sort: RegistrySort::Lowest,
                ..f()
            })
            .await,
            [greener.id, pack.id]
        );
        assert_eq!(
            with(RegistryFilter {
                sort: RegistrySort::Name,
                ..f()
            })
            .await,
            [pack.id, greener.id]
        );
        // Empty filters are no filters.
        assert_eq!(
            with(RegistryFilter {
                q: Some("  ".into()),
                org: Some(String::new()),
                ..f()
            })
            .await
            .len(),
            2
        );
        let second = s
            .search_registry(&search(None), PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!(
            (second.total, ids(&second)),
            (2, vec![greener.id]),
            "{name}"
        );
        assert_eq!(
            s.registry_category_counts().await.unwrap(),
            [(PCR_ID.to_string(), 2)],
            "{name}"
        );

        // The ranking: lowest first, the same order as the open-data ranking.
        let ranked = s.rank_registry(PCR_ID, all).await.unwrap();
        let got: Vec<(u64, i64, &str)> = ranked
            .items
            .iter()
            .map(|r| (r.rank, r.entry.product_id, r.entry.label_id.as_str()))
            .collect();
        assert_eq!(
            got,
            [(1, greener.id, "LBL-000002"), (2, pack.id, "LBL-000003")],
            "{name}"
        );
        let open = s.rank_certified_products(PCR_ID, None, all).await.unwrap();
        let open: Vec<(u64, i64, &str)> = open
            .items
            .iter()
            .map(|r| (r.rank, r.product_id, r.label_id.as_str()))
            .collect();
        assert_eq!(got, open, "{name}");
        let page2 = s
            .rank_registry(PCR_ID, PageRequest::new(1, 1))
            .await
            .unwrap();
        assert_eq!((page2.total, page2.items[0].rank), (2, 2));
        let dist = s.category_distribution(PCR_ID).await.unwrap();
        assert_eq!(dist.values, [greener_total, pack_total], "{name}");
        let grades: Vec<(Option<&str>, u64)> = dist
            .grades
            .iter()
            .map(|g| (g.grade.as_deref(), g.count))
            .collect();
        assert_eq!(grades, [(Some("A"), 1), (Some("B"), 1)]);
        let current = s.current_benchmark(PCR_ID).await.unwrap().unwrap();
        assert_eq!(current.benchmark.version, 1);
        assert!((current.benchmark.values.average - 95.0).abs() < 1e-9);
        assert!(s.current_benchmark(APPAREL_PCR_ID).await.unwrap().is_none());

        // The product page: the newest label, the benchmark that graded it, the PCR; the
        // stages only once disclosed (or for the owner).
        let shown = s
            .registry_product(&Viewer::Anonymous, pack.id)
            .await
            .unwrap();
        assert_eq!(shown.label.id, "LBL-000003");
        assert_eq!(shown.label_count, 2);
        assert_eq!(shown.org_name, "Ningde Cells");
        assert_eq!(shown.gtin.as_deref(), Some(GTIN));
        assert!(!shown.disclosed);
        assert_eq!(shown.certificate.id, pack_cert);
        assert!(
            shown.certificate.certificate.is_none(),
            "the public sees no whole record"
        );
        assert_eq!(shown.benchmark.as_ref().unwrap().benchmark.period, "2025");
        assert_eq!(shown.pcr.as_ref().unwrap().pcr.id, PCR_ID);
        assert_eq!(shown.stages, None, "{name}: not disclosed");
        let own = s.registry_product(&c.enterprise, pack.id).await.unwrap();
        assert!(
            own.certificate.certificate.is_some(),
            "the holder sees the record"
        );
        let stages = own.stages.expect("the owner sees its stages");
        let sum: f64 = stages.iter().map(|st| st.value).sum();
        assert!(
            (sum - pack_total).abs() < 1e-9 * pack_total,
            "{name}: stages sum to the total"
        );
        assert!(
            stages
                .iter()
                .any(|st| st.stage == LifeCycleStage::RawMaterialAcquisition)
        );
        s.set_disclosed(&c.enterprise, pack.id, true).await.unwrap();
        let shown = s
            .registry_product(&Viewer::Anonymous, pack.id)
            .await
            .unwrap();
        assert_eq!(shown.stages.map(|s| s.len()), Some(stages.len()), "{name}");
        assert_eq!(shown.history.len(), 1);
        assert_eq!(shown.history[0].kind, CertificateEventKind::Issued);
        assert_eq!(shown.history[0].reason, None);
        assert_eq!(shown.history[0].at, shown.certificate.issued_at, "{name}");
        assert!(matches!(
            s.registry_product(&Viewer::Anonymous, 999_999).await,
            Err(StoreError::NotFound { .. })
        ));

        // Suspended: listed with its status, out of the ranking and the distribution.
        let act = |action: CertificateAction| {
            let s = s.clone();
            let body = c.body.clone();
            let id = greener_cert.clone();
            async move { s.act_on_certificate(&body, &id, action).await.unwrap() }
        };
        act(CertificateAction::Suspend {
            reason: "metering gaps".into(),
        })
        .await;
        let found = s.search_registry(&search(None), all).await.unwrap();
        assert_eq!(found.total, 2, "{name}");
        assert_eq!(
            found.items[1].certificate_status,
            CertificateStatus::Suspended
        );
        assert_eq!(
            s.rank_registry(PCR_ID, all).await.unwrap().total,
            1,
            "{name}"
        );
        assert_eq!(
            s.rank_certified_products(PCR_ID, None, all)
                .await
                .unwrap()
                .total,
            1
        );
        assert_eq!(
            s.category_distribution(PCR_ID).await.unwrap().values,
            [pack_total]
        );
        act(CertificateAction::Reinstate {
            reason: "meters replaced".into(),
        })
        .await;
        assert_eq!(
            s.rank_registry(PCR_ID, all).await.unwrap().total,
            2,
            "{name}"
        );
        // Withdrawn: not listed at all; its page and history remain.
        act(CertificateAction::Withdraw {
            reason: "line closed".into(),
        })
        .await;
        let found = s.search_registry(&search(None), all).await.unwrap();
        assert_eq!(ids(&found), [pack.id], "{name}");
        assert_eq!(
            s.registry_category_counts().await.unwrap(),
            [(PCR_ID.to_string(), 1)]
        );
        let history = s.certificate_history(&greener_cert).await.unwrap();
        let got: Vec<(CertificateEventKind, Option<&str>)> = history
            .iter()
            .map(|e| (e.kind, e.reason.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (CertificateEventKind::Issued, None),
                (CertificateEventKind::Suspended, Some("metering gaps")),
                (CertificateEventKind::Reinstated, Some("meters replaced")),
                (CertificateEventKind::Withdrawn, Some("line closed")),
            ],
            "{name}"
        );
        assert!(history.windows(2).all(|w| w[0].log_index < w[1].log_index));
        let gone = s
            .registry_product(&Viewer::Anonymous, greener.id)
            .await
            .unwrap();
        assert_eq!(gone.certificate.status, CertificateStatus::Withdrawn);
        assert_eq!(gone.history.len(), 4);
    }
}

#[tokio::test]
async fn bulk_copies_list_rank_verify_and_prove_like_real_labels() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let c = cast(s).await;
        let (_, fp, total) = computed(s, &c, PACK, Some(GTIN), &lfp(1.0)).await;
        let cert = certify(s, &c, fp).await;
        let template = s.issue_label(&c.body, &cert).await.unwrap();

        let products = insert_products(
            s,
            c.enterprise_org.id,
            "Bulk pack",
            &["battery-pack", "apparel"],
            1_203,
            7,
        )
        .await
        .unwrap();
        assert_eq!(products.len(), 1_203, "{name}: more than two batches");
        assert!(products.windows(2).all(|w| w[0] < w[1]));
        let sample = s.get_product(&c.enterprise, products[2]).await.unwrap();
        assert_eq!(sample.name, "Bulk pack 2");
        assert_eq!(sample.category, "battery-pack");
        assert_eq!(sample.gtin, Some(gtin13(9)));
        assert_eq!(zuji_trust::label::check_gtin(&gtin13(9)), Ok(()));

        let before = s.log_size().await.unwrap();
        let copies: Vec<CertifiedCopy> = (0..20)
            .map(|i| CertifiedCopy {
                product_id: products[i],
                // 59.5, 59.0, …: below the template's ≈ 78.75 and falling.
                value: 60.0 - 0.5 * (i as f64 + 1.0),
                pcr: template.statement.pcr.clone(),
                declared_unit: None,
                grade: None,
            })
            .collect();
        let labels = insert_certified_copies(s, &template.id, &copies)
            .await
            .unwrap();
        assert_eq!(labels.first().map(String::as_str), Some("LBL-000002"));
        assert_eq!(labels.last().map(String::as_str), Some("LBL-000021"));
        assert_eq!(s.log_size().await.unwrap(), before + 40, "{name}");

        let all = PageRequest::default();
        let found = s
            .search_registry(&RegistryFilter::default(), all)
            .await
            .unwrap();
        assert_eq!(found.total, 21, "{name}");
        assert_eq!(found.items[0].label_id, "LBL-000021", "newest first");
        let ranked = s.rank_registry(PCR_ID, all).await.unwrap();
        assert_eq!(ranked.total, 21);
        assert_eq!(ranked.items[0].entry.product_id, products[19]);
        assert_eq!(ranked.items[0].entry.value, 50.0);
        assert_eq!(ranked.items[20].entry.value, total);
        let by_gtin = RegistryFilter {
            gtin: Some(gtin13(7 + 5)),
            ..RegistryFilter::default()
        };
        assert_eq!(
            ids(&s.search_registry(&by_gtin, all).await.unwrap()),
            [products[5]]
        );
        // The same ranking as the open-data one, which reads every certificate's record.
        let open = s.rank_certified_products(PCR_ID, None, all).await.unwrap();
        assert_eq!(
            open.items
                .iter()
                .map(|r| r.label_id.clone())
                .collect::<Vec<_>>(),
            ranked
                .items
                .iter()
                .map(|r| r.entry.label_id.clone())
                .collect::<Vec<_>>(),
            "{name}"
        );

        // A copy's label verifies offline and its log entry is proven under a new head.
        let copy = s.get_label("LBL-000011").await.unwrap();
        let qr = encode_qr_payload(&copy.signed, "https://registry.example.org").unwrap();
        let keys = s.published_keys().await.unwrap();
        let now = now_ms() / 1000;
        let verified = verify_offline(&qr, &keys, now).unwrap();
        assert_eq!(verified.statement.product.id, products[9].to_string());
        assert_eq!(verified.signer, c.body_org.id.to_string());
        let head = s.publish_tree_head(TEST_SIGNING_PASSPHRASE).await.unwrap();
        assert_eq!(head.tree_size, before + 40);
        let entry = s
            .log_entries(copy.log_index, copy.log_index + 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(entry.subject, "LBL-000011");
        let proof = s
            .inclusion_proof(copy.log_index, head.tree_size)
            .await
            .unwrap();
        verify_inclusion(&entry, &proof, &head).expect("the copy's entry is in the log");
        let cert_view = s
            .get_certificate(&Viewer::Anonymous, &copy.certificate_id)
            .await
            .unwrap();
        assert_eq!(cert_view.status, CertificateStatus::Valid);
        assert_eq!(cert_view.product_id, products[9]);
        let history = s.certificate_history(&copy.certificate_id).await.unwrap();
        assert_eq!(history.len(), 1, "{name}");
    }
}
