//! The public transparency log over HTTP: a client that trusts nothing but the
//! published registry keys fetches entries, heads and proofs and verifies them with the
//! trust crate's RFC 9162 checks; a tampered copy fails.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;
use zuji_server::{AppState, ServerConfig, app};
use zuji_store::{OrgKind, Scope, Viewer};
use zuji_trust::keys::KeyRing;
use zuji_trust::log::{
    ConsistencyProof, InclusionProof, LogEntry, SignedTreeHead, verify_consistency,
    verify_inclusion, verify_log_copy,
};

const PASS: &str = "registry key passphrase for the test";

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let resp = router
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 16 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_log_is_public_and_verifies_end_to_end() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        let config = ServerConfig::default();
        let router = app(AppState::new(s.clone(), &config), &config);
        // Nothing published yet.
        assert_eq!(get(&router, "/log/sth").await.0, StatusCode::NOT_FOUND);

        s.ensure_bundled_pcrs().await.unwrap();
        let (registry, _) = zuji_server::bootstrap::ensure_org(s, "Registry", OrgKind::Registry)
            .await
            .unwrap();
        s.ensure_signing_key(registry, PASS).await.unwrap();
        let operator = Viewer::Member {
            org_id: registry,
            org_kind: OrgKind::Registry,
            user_id: None,
            scopes: vec![Scope::Read, Scope::Write, Scope::Admin],
        };
        let pcr = s
            .get_pcr("zuji:pcr:battery-pack:draft", None)
            .await
            .unwrap()
            .pcr;
        let values: Vec<f64> = (0..10).map(|i| 50.0 + i as f64).collect();
        // Three benchmark publications: three entries; heads at sizes 1 and 3.
        for (i, period) in ["2023", "2024", "2025"].iter().enumerate() {
            let b = zuji_trust::benchmark::compute(&pcr, period, 1, &values, "2026-11-21").unwrap();
            s.publish_benchmark(&operator, b).await.unwrap();
            if i != 1 {
                s.publish_tree_head(PASS).await.unwrap();
            }
        }

        let (status, keys) = get(&router, "/keys").await;
        assert_eq!(status, StatusCode::OK);
        let keys: KeyRing = serde_json::from_value(keys).unwrap();
        let registry_keys = keys.owned_by(zuji_store::REGISTRY_KEY_OWNER);
        let heads: Vec<SignedTreeHead> =
            serde_json::from_value(get(&router, "/log/sths").await.1["heads"].take()).unwrap();
        assert_eq!(
            heads.iter().map(|h| h.tree_size).collect::<Vec<_>>(),
            vec![1, 3]
        );
        let page = get(&router, "/log/entries?start=0&end=10").await.1;
        assert_eq!(page["size"], 3);
        let entries: Vec<LogEntry> = serde_json::from_value(page["entries"].clone()).unwrap();
        assert_eq!(entries.len(), 3);
        verify_log_copy(&entries, &heads, &registry_keys).expect("the served log verifies");

        // Proofs served for the latest head check out against it.
        let latest: SignedTreeHead =
            serde_json::from_value(get(&router, "/log/sth").await.1).unwrap();
        assert_eq!(latest.tree_size, 3);
        let proof: InclusionProof =
            serde_json::from_value(get(&router, "/log/proof/inclusion?index=1&size=3").await.1)
                .unwrap();
        verify_inclusion(&entries[1], &proof, &latest).expect("inclusion");
        let older: SignedTreeHead =
            serde_json::from_value(get(&router, "/log/sth/1").await.1).unwrap();
        let cproof: ConsistencyProof = serde_json::from_value(
            get(&router, "/log/proof/consistency?first=1&second=3")
                .await
                .1,
        )
        .unwrap();
        verify_consistency(&older, &latest, &cproof).expect("consistency");

        // A copy with one entry changed does not verify, and says which head fails.
        let mut tampered = entries.clone();
        tampered[2].subject.push('x');
        let err = verify_log_copy(&tampered, &heads, &registry_keys).unwrap_err();
        assert!(err.to_string().contains("3"), "{err}");
        // A proof request beyond the log is refused, not a server error.
        let (status, body) = get(&router, "/log/proof/inclusion?index=5&size=9").await;
        assert!(status.is_client_error(), "{status} {body}");
    }
}
