//! Two Zuji instances on loopback, over HTTPS, exchange a footprint end to end:
//! B asks A for the footprint of a steel product, A's user computes, publishes and
//! fulfils, A's worker calls B back, B stores the footprint, links it into its bracket
//! model in place of the background crude-steel dataset, and B's footprint changes by
//! the amount worked out by hand below.

use serde_json::json;
use std::net::SocketAddr;
use zuji_server::pact::supplier::{LinkRequest, link};
use zuji_server::pact::workspace::{PublishRequest, publish_footprint};
use zuji_server::{AppState, ServerConfig, app, bootstrap, tls, worker};
use zuji_store::{NewModelVersion, NewPactPartner, OrgKind, PactAnswer, Scope, Store, Viewer};

const BRACKET: &str = include_str!("../../../examples/steel-bracket-worked-example.toml");
const COIL: &str = include_str!("../../../examples/hot-rolled-steel-coil.toml");
/// zuji-default `material/steel/crude/global/2023/worldsteel`: 1.92 kg CO2 per kg crude
/// steel (docs/product-model.md, worked example, item "steel 1.92").
const WORLDSTEEL_CRUDE: f64 = 1.92;
const CRUDE_DATASET: &str = "zuji-default/material/steel/crude/global/2023/worldsteel";
const COIL_GTIN: &str = "6901234567892";

fn acting(org_id: i64) -> Viewer {
    Viewer::Member {
        org_id,
        org_kind: OrgKind::Enterprise,
        user_id: None,
        scopes: vec![Scope::Read, Scope::Write, Scope::Admin],
    }
}

async fn drain(store: &Store) {
    while worker::run_next(store, "test-worker").await.unwrap() {}
}

/// Serves `store` over HTTPS on an ephemeral loopback port; returns its base URL.
async fn serve_https(store: &Store, files: &tls::TlsFiles) -> String {
    let acceptor = tls::acceptor(files).unwrap();
    let listener = tls::TlsListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)), acceptor)
        .await
        .unwrap();
    let port = axum::serve::Listener::local_addr(&listener)
        .unwrap()
        .0
        .port();
    let base = format!("https://127.0.0.1:{port}");
    let config = ServerConfig {
        rate_limit_per_second: 100_000,
        public_url: Some(base.clone()),
        tls: Some(files.clone()),
        ..Default::default()
    };
    let router = app(AppState::new(store.clone(), &config), &config)
        .layer(axum::middleware::from_fn(tls::peer_as_socket_addr));
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<tls::PeerAddr>(),
        )
        .await
    });
    base
}

async fn product(store: &Store, org: i64, toml: &str, gtin: Option<&str>) -> i64 {
    let loaded = zuji_formats::product_model::parse_product_model(
        toml,
        zuji_formats::product_model::ModelFormat::Toml,
        "model.toml",
    )
    .unwrap();
    let (p, _) = store
        .create_product(
            &acting(org),
            "product",
            "steel",
            gtin,
            NewModelVersion {
                model_json: zuji_formats::product_model::to_json(&loaded.model),
                source_format: "toml".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    p.id
}

/// Computes the latest model version; returns (footprint id, total).
async fn compute(store: &Store, org: i64, product: i64) -> (i64, f64) {
    let job = store
        .start_footprint(&acting(org), product, None, json!({"gwp": "ar6"}))
        .await
        .unwrap();
    drain(store).await;
    let job = store.get_job(&acting(org), job.id).await.unwrap();
    let id = job.result.unwrap()["footprint_id"].as_i64().unwrap();
    let fp = store.get_footprint(&acting(org), id).await.unwrap();
    (id, fp.total)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_exchange_a_footprint_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let files = tls::self_signed(dir.path(), &[]).unwrap();
    // Both instances trust the self-signed certificate explicitly, as an operator would
    // (this test binary has only this test, so nothing else reads the variable).
    unsafe { std::env::set_var("ZUJI_EXTRA_CA_CERTS", &files.cert) };

    let a = zuji_store::testing::sqlite().await;
    let b = zuji_store::testing::sqlite().await;
    for s in [&a.store, &b.store] {
        bootstrap::ensure_default_database(s).await.unwrap();
    }
    let (org_a, _) = bootstrap::ensure_org(&a.store, "Supplier A Steel", OrgKind::Enterprise)
        .await
        .unwrap();
    let (org_b, _) = bootstrap::ensure_org(&b.store, "Maker B Brackets", OrgKind::Enterprise)
        .await
        .unwrap();
    let url_a = serve_https(&a.store, &files).await;
    let url_b = serve_https(&b.store, &files).await;

    // Each issues the other a PACT client and registers the other as a partner.
    let for_b = a
        .store
        .create_api_client(&acting(org_a), org_a, "Maker B", &[Scope::Pact], true)
        .await
        .unwrap();
    let for_a = b
        .store
        .create_api_client(&acting(org_b), org_b, "Supplier A", &[Scope::Pact], true)
        .await
        .unwrap();
    a.store
        .add_pact_partner(
            &acting(org_a),
            &NewPactPartner {
                name: "Maker B".into(),
                base_url: url_b.clone(),
                remote_client_id: Some(for_a.client.client_id.clone()),
                remote_client_secret: Some(for_a.secret.clone()),
                inbound_client_id: Some(for_b.client.client_id.clone()),
                spec_version: "3".into(),
            },
        )
        .await
        .unwrap();
    let partner_a = b
        .store
        .add_pact_partner(
            &acting(org_b),
            &NewPactPartner {
                name: "Supplier A".into(),
                base_url: url_a.clone(),
                remote_client_id: Some(for_b.client.client_id.clone()),
                remote_client_secret: Some(for_b.secret.clone()),
                inbound_client_id: Some(for_a.client.client_id.clone()),
                spec_version: "3".into(),
            },
        )
        .await
        .unwrap();

    // A has the coil product (not yet computed or published); B has the bracket.
    let coil = product(&a.store, org_a, COIL, Some(COIL_GTIN)).await;
    let bracket = product(&b.store, org_b, BRACKET, None).await;
    let (_, before) = compute(&b.store, org_b, bracket).await;
    assert!(
        (before - 2.454438).abs() < 1e-4,
        "the worked example: {before}"
    );

    // B asks A (a PactSend job on B's worker, delivered over HTTPS).
    b.store
        .record_outbound_request(
            &acting(org_b),
            partner_a.id,
            "b-asks-a-1",
            &json!({"productId": [format!("urn:gtin:{COIL_GTIN}")], "comment": "2025 footprint please"}),
            &url_b,
        )
        .await
        .unwrap();
    drain(&b.store).await;
    let (_, _, _, status) = b.store.outbound_request("b-asks-a-1").await.unwrap();
    assert_eq!(status, "sent");

    // The request waits in A's workspace: A knows the product but has published nothing.
    let requests = a.store.list_pact_requests(&acting(org_a)).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, "open");
    assert_eq!(requests[0].event_id, "b-asks-a-1");

    // A's user computes, publishes for B, and fulfils.
    let (coil_fp, coil_total) = compute(&a.store, org_a, coil).await;
    let published = publish_footprint(
        &a.store,
        &acting(org_a),
        &PublishRequest {
            footprint_id: coil_fp,
            product_ids: vec![format!("urn:gtin:{COIL_GTIN}")],
            fossil_carbon_content: 0.0,
            exempted_emissions_percent: 0.0,
            share_with: vec![for_b.client.id],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    a.store
        .answer_pact_request(
            &acting(org_a),
            requests[0].id,
            &PactAnswer::Fulfil {
                pf_ids: vec![published.footprint.pf_id.clone()],
            },
            &url_a,
        )
        .await
        .unwrap();
    // A's worker calls B back over HTTPS with a token B issued to A.
    drain(&a.store).await;
    let (_, _, _, status) = b.store.outbound_request("b-asks-a-1").await.unwrap();
    assert_eq!(status, "fulfilled");
    let fetched = b
        .store
        .list_supplier_footprints(&acting(org_b))
        .await
        .unwrap();
    assert_eq!(fetched.len(), 1);
    assert_eq!(fetched[0].pf_id, published.footprint.pf_id);

    // B links it in place of the crude-steel dataset and recomputes.
    let v = link(
        &b.store,
        &acting(org_b),
        bracket,
        &LinkRequest {
            pf_id: published.footprint.pf_id.clone(),
            process: "sheet".into(),
            replaces_dataset: CRUDE_DATASET.into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(v.version, 2);
    let (_, after) = compute(&b.store, org_b, bracket).await;

    // By hand (docs/product-model.md, worked example): the bracket takes 1.0 kg of
    // sheet; the sheet process takes 1.0 kg crude steel per 0.95 kg of sheet with 0.95
    // of its burden allocated to sheet, so 1.0 kg of crude steel per bracket. Replacing
    // 1.92 kg CO2e/kg by A's coil footprint per kg (A's total is per 1 t) changes the
    // bracket by 1.0 × (coil_total / 1000 − 1.92).
    let expected = before + (coil_total / 1000.0 - WORLDSTEEL_CRUDE);
    assert!(
        (after - expected).abs() < 1e-9 * expected.abs().max(1.0),
        "after {after}, expected {expected} (before {before}, coil {coil_total} per t)"
    );
    assert!((after - before).abs() > 0.01, "the link changed nothing");

    // A publishes a newer coil footprint; once B fetches it, B's model is flagged.
    let (coil_fp2, _) = compute(&a.store, org_a, coil).await;
    let newer = publish_footprint(
        &a.store,
        &acting(org_a),
        &PublishRequest {
            footprint_id: coil_fp2,
            product_ids: vec![format!("urn:gtin:{COIL_GTIN}")],
            fossil_carbon_content: 0.0,
            exempted_emissions_percent: 0.0,
            share_with: vec![for_b.client.id],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    b.store
        .enqueue_pact_fetch(&acting(org_b), partner_a.id, &[])
        .await
        .unwrap();
    drain(&b.store).await;
    let affected = zuji_server::pact::supplier::affected_models(&b.store, &acting(org_b))
        .await
        .unwrap();
    assert_eq!(affected.len(), 1, "{affected:?}");
    assert_eq!(affected[0].product_id, bracket);
    assert_eq!(affected[0].reason, "replaced");
    assert_eq!(
        affected[0].pf_id,
        format!("urn:uuid:{}", published.footprint.pf_id)
    );
    assert_eq!(
        affected[0].replaced_by.as_deref(),
        Some(newer.footprint.pf_id.as_str())
    );
}
