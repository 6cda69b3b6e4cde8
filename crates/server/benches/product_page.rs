//! The public registry's speed and weight with 100,000 products stored (issue 7: the
//! product page under 200 KB transferred and 300 ms of server time).
//!
//! The fixture is a SQLite store in a temporary file:
//! - the LFP battery pack example certified for real — computed by the worker, applied
//!   for, reviewed, recomputed by the certification body's job, approved and labelled,
//!   graded against a published battery benchmark;
//! - 100,000 products of one enterprise across the five bundled categories
//!   (`zuji_store::testing_bulk::insert_products`);
//! - 3,000 of them certified and labelled as copies of the real one
//!   (`insert_certified_copies`: certificate, signed label and both log entries each),
//!   1,000 battery packs graded by the benchmark and 500 in each other category;
//! - a signed tree head over the whole log (6,000-odd entries), so the product page's
//!   label verification proves inclusion against it.
//!
//! It then asks the application (the real router, in process, through `tower`'s
//! `oneshot`) for the real product's page, the search page and the category page, and
//! prints the median server time of 50 requests of each and the bytes a first visit to
//! the product page transfers (HTML, stylesheet, script and the label's SVG; the server
//! does not compress). Criterion then measures the same requests.
//!
//! Run: `cargo bench -p zuji-server --bench product_page`.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, Instant};
use tower::ServiceExt;
use zuji_server::{AppState, ServerConfig, app, bootstrap, worker};
use zuji_store::testing_bulk::{CertifiedCopy, insert_certified_copies, insert_products};
use zuji_store::{ApplicationInput, NewModelVersion, OrgKind, Role, Store, Viewer};
use zuji_trust::certification::{ApplicationAction, PcrRef};
use zuji_trust::label::LabelGrade;

const PRODUCTS: usize = 100_000;
const BATTERY_COPIES: usize = 1_000;
const OTHER_COPIES: usize = 500;
const PASSPHRASE: &str = "the benchmark store signs with this passphrase";
const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");
const BATTERY_PCR: &str = "zuji:pcr:battery-pack:draft";

struct Fixture {
    router: axum::Router,
    product_uri: String,
    label_svg_uri: String,
    search_uri: String,
    category_uri: String,
    _dir: tempfile::TempDir,
}

async fn member(store: &Store, org: &str, kind: OrgKind, email: &str) -> Viewer {
    let (id, _) = bootstrap::ensure_org(store, org, kind).await.unwrap();
    store
        .create_user(
            &Viewer::System,
            email,
            id,
            Role::Admin,
            "a long enough password",
        )
        .await
        .unwrap();
    let token = store.login(email, "a long enough password").await.unwrap();
    store.authenticate(&token.token).await.unwrap()
}

async fn run_jobs(store: &Store) {
    while worker::run_next(store, "bench-worker").await.unwrap() {}
}

async fn fixture() -> Fixture {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("zuji.sqlite").display());
    let store = Store::open(&url)
        .await
        .unwrap()
        .with_signing_passphrase(PASSPHRASE);
    bootstrap::ensure_default_database(&store).await.unwrap();
    store.ensure_bundled_pcrs().await.unwrap();
    let enterprise = member(&store, "Dongguan Cells", OrgKind::Enterprise, "e@cells.cn").await;
    let body = member(&store, "HK Certification", OrgKind::Certifier, "b@cert.hk").await;
    let registry = member(&store, "GBA Registry", OrgKind::Registry, "r@registry.cn").await;
    store.ensure_registry_signing_key().await.unwrap();

    // The real certification of the LFP example.
    let model = zuji_formats::product_model::parse_product_model(
        LFP,
        zuji_formats::product_model::ModelFormat::Toml,
        "lfp-battery-pack.toml",
    )
    .unwrap()
    .model;
    let (product, version) = store
        .create_product(
            &enterprise,
            "磷酸铁锂动力电池包 280Ah",
            "battery-pack",
            Some("6901234567892"),
            NewModelVersion {
                model_json: zuji_formats::product_model::to_json(&model),
                source_format: "toml".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    store
        .set_disclosed(&enterprise, product.id, true)
        .await
        .unwrap();
    store
        .start_footprint(
            &enterprise,
            product.id,
            Some(version.version),
            json!({"gwp": "ar6", "monte_carlo": 0, "seed": 42}),
        )
        .await
        .unwrap();
    run_jobs(&store).await;
    let footprint = store
        .list_footprints(&enterprise, product.id, Default::default())
        .await
        .unwrap()
        .items
        .remove(0);
    let application = store
        .apply_for_certification(
            &enterprise,
            ApplicationInput {
                footprint_id: footprint.id,
                certification_body_org_id: body.org_id().unwrap(),
                pcr_id: BATTERY_PCR.into(),
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
        store
            .act_on_application(&body, &application.id, step)
            .await
            .unwrap();
    }
    store
        .request_footprint_verification(&body, &application.id)
        .await
        .unwrap();
    run_jobs(&store).await;
    let approved = store
        .act_on_application(
            &body,
            &application.id,
            ApplicationAction::Approve {
                certificate_id: String::new(),
                pcr_missed_mandatory: vec![],
            },
        )
        .await
        .unwrap();
    let certificate = approved.certificate.unwrap().id;

    // The battery benchmark, from the values the battery copies will carry (spread
    // around the real pack's total), published before the labels so they are graded.
    let total = footprint.total;
    let battery_values: Vec<f64> = (0..BATTERY_COPIES)
        .map(|i| total * (0.6 + 0.8 * (i as f64 * 0.618_034).fract()))
        .collect();
    let pcrs = store.list_pcrs(None, None).await.unwrap();
    let battery = pcrs
        .iter()
        .find(|p| p.pcr.id == BATTERY_PCR)
        .unwrap()
        .pcr
        .clone();
    let bench =
        zuji_trust::benchmark::compute(&battery, "2024", 1, &battery_values, "2026-01-15").unwrap();
    store
        .publish_benchmark(&registry, bench.clone())
        .await
        .unwrap();
    let label = store.issue_label(&body, &certificate).await.unwrap();

    // 100,000 products; 3,000 of them certified as copies of the real one.
    let categories: Vec<&str> = pcrs.iter().map(|p| p.pcr.category.id.as_str()).collect();
    let ids = insert_products(
        &store,
        enterprise.org_id().unwrap(),
        "Product",
        &categories,
        PRODUCTS,
        1,
    )
    .await
    .unwrap();
    let mut copies = Vec::new();
    for (c, p) in pcrs.iter().enumerate() {
        let n = if p.pcr.id == BATTERY_PCR {
            BATTERY_COPIES
        } else {
            OTHER_COPIES
        };
        // Products of category c sit at positions c, c + 5, c + 10, …
        for k in 0..n {
            let value = if p.pcr.id == BATTERY_PCR {
                battery_values[k]
            } else {
                100.0 * (1.0 + (k as f64 * 0.618_034).fract())
            };
            let grade = (p.pcr.id == BATTERY_PCR).then(|| {
                let g = zuji_trust::benchmark::grade(value, &bench, &battery.grades).unwrap();
                (LabelGrade::from_grade(&g), g.rank as i64)
            });
            copies.push(CertifiedCopy {
                product_id: ids[c + categories.len() * k],
                value,
                pcr: PcrRef {
                    id: p.pcr.id.clone(),
                    version: p.pcr.version.clone(),
                },
                declared_unit: Some(format!(
                    "{} {}",
                    p.pcr.declared_unit.amount, p.pcr.declared_unit.unit
                )),
                grade,
            });
        }
    }
    insert_certified_copies(&store, &label.id, &copies)
        .await
        .unwrap();
    let head = store.publish_tree_head(PASSPHRASE).await.unwrap();
    eprintln!(
        "fixture: {} products, {} certified copies + 1 real, log of {} entries, built in {:.1} s",
        PRODUCTS + 1,
        copies.len(),
        head.tree_size,
        started.elapsed().as_secs_f64()
    );

    let config = ServerConfig {
        rate_limit_per_second: 1_000_000,
        ..Default::default()
    };
    let router = app(AppState::new(store, &config), &config);
    let encoded: String = form_urlencoded::byte_serialize(BATTERY_PCR.as_bytes()).collect();
    Fixture {
        router,
        product_uri: format!("/registry/products/{}?lang=zh-Hans", product.id),
        label_svg_uri: format!("/api/v1/labels/{}/label.svg?lang=zh-Hans", label.id),
        search_uri: "/registry?q=Product%2012&sort=lowest&lang=zh-Hans".to_string(),
        category_uri: format!("/registry/categories/{encoded}?lang=zh-Hans"),
        _dir: dir,
    }
}

/// One GET through the application: its status and body size.
async fn get(router: &axum::Router, uri: &str) -> (StatusCode, usize) {
    let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20)
        .await
        .unwrap();
    (status, bytes.len())
}

/// The median time of `n` requests, in milliseconds.
async fn median_ms(router: &axum::Router, uri: &str, n: usize) -> f64 {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let (status, _) = get(router, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times[n / 2]
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let f = rt.block_on(fixture());
    rt.block_on(async {
        let (status, html) = get(&f.router, &f.product_uri).await;
        assert_eq!(status, StatusCode::OK);
        let (_, css) = get(&f.router, "/static/zuji.css").await;
        let (_, js) = get(&f.router, "/static/zuji.js").await;
        let (status, svg) = get(&f.router, &f.label_svg_uri).await;
        assert_eq!(status, StatusCode::OK);
        let total = html + css + js + svg;
        eprintln!(
            "product page weight: HTML {html} B + CSS {css} B + JS {js} B + label SVG {svg} B = {total} B ({:.1} KB)",
            total as f64 / 1024.0
        );
        for (what, uri) in [
            ("product page", &f.product_uri),
            ("search page", &f.search_uri),
            ("category page", &f.category_uri),
            ("label SVG", &f.label_svg_uri),
        ] {
            let (_, size) = get(&f.router, uri).await;
            eprintln!(
                "{what}: median {:.1} ms of 50 requests, {size} B ({uri})",
                median_ms(&f.router, uri, 50).await
            );
        }
    });
    let mut group = c.benchmark_group("registry");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for (name, uri) in [
        ("product_page", f.product_uri.clone()),
        ("search_page", f.search_uri.clone()),
        ("category_page", f.category_uri.clone()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| rt.block_on(async { black_box(get(&f.router, &uri).await) }))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
