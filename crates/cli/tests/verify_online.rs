//! `zuji verify` against a running registry: a label issued by the platform (certified
//! through the store, the footprint recomputed by a worker job), printed as PNG, verifies
//! online with the keys, status and log fetched from the address in its own QR code; once
//! the certificate is withdrawn the same label is refused with the reason.

use std::net::SocketAddr;
use std::process::Command;
use zuji_server::{AppState, ServerConfig, app, bootstrap, worker};
use zuji_store::{ApplicationInput, NewModelVersion, OrgKind, Scope, Store, Viewer};
use zuji_trust::certification::{ApplicationAction, CertificateAction};
use zuji_trust::label::{LabelSize, Lang, encode_qr_payload, render_png, render_svg};

const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");

fn member(org_id: i64, org_kind: OrgKind) -> Viewer {
    Viewer::Member {
        org_id,
        org_kind,
        user_id: None,
        scopes: vec![Scope::Read, Scope::Write],
    }
}

async fn drain(store: &Store) {
    while worker::run_next(store, "test-worker").await.unwrap() {}
}

/// Certifies the LFP example and issues its label; returns (label id, certificate id).
async fn labelled(
    s: &Store,
    enterprise: &Viewer,
    body: &Viewer,
    body_org: i64,
) -> (String, String) {
    let model = zuji_formats::product_model::parse_product_model(
        LFP,
        zuji_formats::product_model::ModelFormat::Toml,
        "lfp-battery-pack.toml",
    )
    .unwrap()
    .model;
    let (product, _) = s
        .create_product(
            enterprise,
            "LFP battery pack",
            "battery-pack",
            None,
            NewModelVersion {
                model_json: zuji_formats::product_model::to_json(&model),
                source_format: "toml".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    let job = s
        .start_footprint(
            enterprise,
            product.id,
            None,
            serde_json::json!({"gwp": "ar6"}),
        )
        .await
        .unwrap();
    drain(s).await;
    let footprint_id = s.get_job(enterprise, job.id).await.unwrap().result.unwrap()["footprint_id"]
        .as_i64()
        .unwrap();
    let app = s
        .apply_for_certification(
            enterprise,
            ApplicationInput {
                footprint_id,
                certification_body_org_id: body_org,
                pcr_id: "zuji:pcr:battery-pack:draft".into(),
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
        s.act_on_application(body, &app.id, step).await.unwrap();
    }
    s.request_footprint_verification(body, &app.id)
        .await
        .unwrap();
    drain(s).await;
    let out = s
        .act_on_application(
            body,
            &app.id,
            ApplicationAction::Approve {
                certificate_id: String::new(),
                pcr_missed_mandatory: vec![],
            },
        )
        .await
        .unwrap();
    let cert = out.certificate.unwrap().id;
    let label = s.issue_label(body, &cert).await.unwrap();
    s.publish_tree_head_if_grown().await.unwrap().unwrap();
    (label.id, cert)
}

fn verify(png: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zuji"))
        .arg("verify")
        .arg(png)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printed_label_verifies_against_the_running_registry_until_withdrawn() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    bootstrap::ensure_default_database(s).await.unwrap();
    s.ensure_bundled_pcrs().await.unwrap();
    let (e, _) = bootstrap::ensure_org(s, "Dongguan Cells", OrgKind::Enterprise)
        .await
        .unwrap();
    let (b, _) = bootstrap::ensure_org(s, "HK Certification", OrgKind::Certifier)
        .await
        .unwrap();
    bootstrap::ensure_org(s, "GBA Registry", OrgKind::Registry)
        .await
        .unwrap();
    let (enterprise, body) = (
        member(e, OrgKind::Enterprise),
        member(b, OrgKind::Certifier),
    );
    let (label_id, cert) = labelled(s, &enterprise, &body, b).await;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = ServerConfig {
        public_url: Some(base.clone()),
        public_cache_ttl: std::time::Duration::ZERO,
        ..Default::default()
    };
    let router = app(AppState::new(s.clone(), &config), &config);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });

    // The label as printed: its QR code points at this registry.
    let label = s.get_label(&label_id).await.unwrap();
    let qr = encode_qr_payload(&label.signed, &base).unwrap();
    let svg = render_svg(&label.statement, Lang::ZhHans, &qr, LabelSize::Medium).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("label.png");
    std::fs::write(&png, render_png(&svg, 800).unwrap()).unwrap();

    let path = png.clone();
    let (ok, stdout, stderr) = tokio::task::spawn_blocking(move || verify(&path))
        .await
        .unwrap();
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains(&label_id), "{stdout}");
    assert!(stdout.contains(&cert), "{stdout}");
    assert!(stdout.contains("78.75"), "{stdout}");

    s.act_on_certificate(
        &body,
        &cert,
        CertificateAction::Withdraw {
            reason: "cell supplier changed without notice".into(),
        },
    )
    .await
    .unwrap();
    let (ok, stdout, stderr) = tokio::task::spawn_blocking(move || verify(&png))
        .await
        .unwrap();
    assert!(!ok, "{stdout}\n{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.contains("withdrawn"), "{stderr}");
    assert!(
        first.contains("cell supplier changed without notice"),
        "{stderr}"
    );
}
