//! The trust layer's REST API end to end on both backends: PCRs and the adopted-standards
//! list, a certification application walked through its review as far as the API takes
//! it without the verification job, who may see and do what, and benchmark publication.
//! Expected values follow docs/certification.md and docs/pcr.md, not the code.
//!
//! The PCR: no bundled PCR covers the steel bracket worked example (category
//! `metal-part`, declared unit one piece, a delivery step in the distribution stage), and
//! the store runs the PCR conformance check itself when an enterprise applies, so the
//! bracket is refused against the closest rule (hot-rolled steel coil, whose missed
//! items the test names). The workflow is walked with the hot-rolled steel coil example
//! (`examples/hot-rolled-steel-coil.toml`), the product that rule was written for.

mod common;

use axum::http::StatusCode;
use common::{Api, computed_footprint, login, message, user};
use serde_json::{Value, json};
use zuji_server::bootstrap;
use zuji_store::{OrgKind, Role};

const BRACKET: &str = include_str!("../../../examples/steel-bracket-worked-example.toml");
const COIL: &str = include_str!("../../../examples/hot-rolled-steel-coil.toml");
const STEEL_PCR: &str = "zuji:pcr:steel-hot-rolled-coil:draft";

#[tokio::test]
async fn applications_walk_their_review_and_refuse_what_the_rules_refuse() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        let name = t.name;
        bootstrap::ensure_default_database(s).await.unwrap();
        s.ensure_bundled_pcrs().await.unwrap();
        user(
            s,
            "Steel Works",
            OrgKind::Enterprise,
            "e@steel.cn",
            Role::Editor,
        )
        .await;
        user(
            s,
            "Other Co",
            OrgKind::Enterprise,
            "o@other.cn",
            Role::Admin,
        )
        .await;
        let body_org = user(
            s,
            "GBA Certification Centre",
            OrgKind::Certifier,
            "c@cert.cn",
            Role::Editor,
        )
        .await;
        let api = Api::new(s);
        let ent = login(&api, "e@steel.cn").await;
        let other = login(&api, "o@other.cn").await;
        let cert = login(&api, "c@cert.cn").await;
        let (ent, other, cert) = (
            Some(ent.as_str()),
            Some(other.as_str()),
            Some(cert.as_str()),
        );

        // PCRs are public: the five bundled drafts, without their TOML in the list.
        let (status, pcrs) = api.get("/pcrs", None).await;
        assert_eq!(status, StatusCode::OK, "{name}: {pcrs}");
        let pcrs = pcrs.as_array().unwrap();
        assert_eq!(pcrs.len(), 5, "{name}");
        assert!(pcrs.iter().all(|p| p.get("source_toml").is_none()));
        assert!(pcrs.iter().all(|p| p["pcr"]["status"] == "draft"));
        let steel = pcrs
            .iter()
            .find(|p| p["pcr"]["id"] == STEEL_PCR)
            .expect("the steel PCR is listed");
        assert_eq!(steel["pcr"]["category"]["id"], "steel-hot-rolled");
        assert_eq!(
            steel["pcr"]["title"]["en"],
            "Product category rule: hot-rolled steel coil (draft)"
        );
        let (_, drafts) = api.get("/pcrs?status=draft", None).await;
        assert_eq!(drafts.as_array().unwrap().len(), 5);
        let (_, published) = api.get("/pcrs?status=published", None).await;
        assert_eq!(published, json!([]));
        let (_, battery) = api.get("/pcrs?category=battery-pack", None).await;
        assert_eq!(battery[0]["pcr"]["id"], "zuji:pcr:battery-pack:draft");
        let (status, err) = api.get("/pcrs?status=final", None).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status")),
            "{err}"
        );
        let (status, one) = api.get(&format!("/pcrs/{STEEL_PCR}"), None).await;
        assert_eq!(status, StatusCode::OK, "{one}");
        assert_eq!(one["pcr"]["version"], "0.1.0");
        assert!(
            one["source_toml"]
                .as_str()
                .unwrap()
                .contains(&format!("id = \"{STEEL_PCR}\"")),
            "{one}"
        );
        let (status, _) = api
            .get(&format!("/pcrs/{STEEL_PCR}?version=0.1.0"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, err) = api
            .get(&format!("/pcrs/{STEEL_PCR}?version=9.9.9"), None)
            .await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );

        // The bracket is refused: no PCR covers it, and the steel one misses its category,
        // its declared unit and the distribution stage a cradle-to-gate study must not
        // have (docs/pcr.md, the conformance check).
        let bracket = computed_footprint(&api, s, ent.unwrap(), BRACKET).await;
        let (status, err) = api
            .post(
                "/certification/applications",
                ent,
                json!({"footprint_id": bracket, "certification_body_org_id": body_org, "pcr_id": STEEL_PCR, "documents": []}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {err}");
        for missed in ["category", "declared-unit", "outside-boundary:distribution"] {
            assert!(message(&err).contains(missed), "{name}: {missed} in {err}");
        }

        // The coil conforms: the application is made, submitted, the first id.
        let coil = computed_footprint(&api, s, ent.unwrap(), COIL).await;
        let (_, footprint) = api.get(&format!("/footprints/{coil}"), ent).await;
        let apply = json!({
            "footprint_id": coil,
            "certification_body_org_id": body_org,
            "pcr_id": STEEL_PCR,
            "pcr_version": "0.1.0",
            "documents": [{"name": "study-report.pdf", "sha256": "ab".repeat(32)}],
        });
        // Fingerprints are the store's to fill, never the client's.
        let mut with_fingerprint = apply.clone();
        with_fingerprint["footprint_fingerprint"] = json!("00".repeat(32));
        let (status, _) = api
            .post("/certification/applications", ent, with_fingerprint)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Only an enterprise applies, and only for its own footprint.
        let (status, err) = api
            .post("/certification/applications", cert, apply.clone())
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
        let (status, _) = api
            .post("/certification/applications", other, apply.clone())
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, app) = api
            .post("/certification/applications", ent, apply.clone())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {app}");
        assert_eq!(app["id"], "APP-000001", "a refused application takes no id");
        assert_eq!(app["status"], "submitted");
        assert_eq!(app["product_id"], footprint["product_id"]);
        assert_eq!(app["model_version_id"], footprint["model_version_id"]);
        assert_eq!(app["certification_body_org_id"], body_org);
        assert_eq!(app["revision"], 1);
        let uri = "/certification/applications/APP-000001";
        let act = format!("{uri}/actions");

        // Who sees it: the two parties; another enterprise is not told it exists; the
        // public must sign in (while PCRs stay public).
        let (status, seen) = api.get(uri, cert).await;
        assert_eq!(
            (status, seen["id"].as_str()),
            (StatusCode::OK, Some("APP-000001"))
        );
        let (status, err) = api.get(uri, other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
        let (status, err) = api.get(uri, None).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
        );
        assert_eq!(api.get("/pcrs", None).await.0, StatusCode::OK);
        let (_, mine) = api.get("/certification/applications", ent).await;
        assert_eq!(mine["total"], 1);
        assert_eq!(mine["items"][0]["id"], "APP-000001");
        let (_, theirs) = api.get("/certification/applications", other).await;
        assert_eq!(theirs["total"], 0);
        let (_, submitted) = api
            .get("/certification/applications?status=submitted", cert)
            .await;
        assert_eq!(submitted["total"], 1);
        let (_, approved) = api
            .get("/certification/applications?status=approved", cert)
            .await;
        assert_eq!(approved["total"], 0);
        let (status, err) = api
            .get("/certification/applications?status=pending", ent)
            .await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
        );
        let (status, _) = api.get("/certification/applications", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // Approving a submitted application: the review has not started.
        let (status, err) = api.post(&act, cert, json!({"action": "approve"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(message(&err).contains("submitted"), "{err}");
        assert!(
            message(&err).contains("document review has not started"),
            "{err}"
        );
        // Withdrawing is the enterprise's: the body is refused with the reason.
        let (status, err) = api
            .post(&act, cert, json!({"action": "withdraw", "reason": "no"}))
            .await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{err}"
        );
        assert!(message(&err).contains("applying enterprise"), "{err}");
        // Reviewing is the body's: the enterprise is refused.
        let (status, err) = api
            .post(&act, ent, json!({"action": "start_document_review"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
        assert!(message(&err).contains("certification body"), "{err}");
        // A body that is not a known action names the problem.
        let (status, err) = api.post(&act, cert, json!({"action": "fast_track"})).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("action")),
            "{err}"
        );
        let (status, _) = api
            .post(&act, other, json!({"action": "start_document_review"}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The review.
        let (status, out) = api
            .post(&act, cert, json!({"action": "start_document_review"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        assert_eq!(out["application"]["status"], "under_review");
        assert_eq!(out["certificate"], Value::Null);
        assert_eq!(out["log_index"], Value::Null);
        let (status, err) = api
            .post(&act, cert, json!({"action": "start_document_review"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            message(&err).contains("review has already started"),
            "{err}"
        );
        let (status, out) = api
            .post(
                &act,
                cert,
                json!({"action": "complete_document_review", "note": "study report reviewed"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        assert_eq!(out["application"]["status"], "under_review");
        let (status, out) = api
            .post(
                &act,
                cert,
                json!({"action": "record_finding", "severity": "major", "clause": "6.3.5", "text": "slab yield not evidenced"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        let findings = &out["application"]["application"]["findings"];
        assert_eq!(findings[0]["id"], "F-1");
        assert_eq!(findings[0]["status"], "open");
        // An open major finding blocks approval, as does the unverified footprint.
        let (status, err) = api.post(&act, cert, json!({"action": "approve"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(message(&err).contains("F-1"), "{err}");
        let (status, err) = api
            .post(
                &act,
                cert,
                json!({"action": "close_finding", "finding_id": "F-9", "resolution": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message(&err).contains("F-9"), "{err}");
        let (status, out) = api
            .post(
                &act,
                cert,
                json!({"action": "close_finding", "finding_id": "F-1", "resolution": "mill yield records supplied"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        assert_eq!(
            out["application"]["application"]["findings"][0]["status"],
            "closed"
        );
        assert_eq!(out["application"]["status"], "under_review");
        // The verifier's recomputation is the platform's job, not a client's claim.
        let fingerprint = footprint["fingerprint"].as_str().unwrap();
        let (status, _) = api
            .post(
                &act,
                cert,
                json!({"action": "verify_footprint", "recomputed_fingerprint": fingerprint}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Review done, finding closed: only the unverified footprint blocks approval.
        let (status, err) = api.post(&act, cert, json!({"action": "approve"})).await;
        assert_eq!(
            (status, err["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")),
            "{err}"
        );
        assert!(
            message(&err).contains("footprint has not been verified"),
            "{name}: {err}"
        );
        assert!(!message(&err).contains("document review"), "{err}");
        assert!(!message(&err).contains("major findings"), "{err}");
        let (_, now) = api.get(uri, ent).await;
        assert_eq!(now["status"], "under_review");
        // start, complete review, finding, close: four writes after applying.
        assert_eq!(now["revision"], 5, "{now}");
        let history: Vec<&str> = now["application"]["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            history,
            [
                "apply",
                "start_document_review",
                "complete_document_review",
                "record_finding",
                "close_finding"
            ]
        );

        // No certificate was issued; certificates are public to read.
        let (status, certs) = api.get("/certificates", None).await;
        assert_eq!((status, certs["total"].as_u64()), (StatusCode::OK, Some(0)));
        let (status, _) = api.get("/certificates/CERT-000001", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = api.get("/certificates/CERT-000001/status", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, err) = api.get("/certificates?status=revoked", None).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
        );
        let (status, _) = api
            .post(
                "/certificates/CERT-000001/actions",
                None,
                json!({"action": "expire"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = api
            .post(
                "/certificates/CERT-000001/actions",
                cert,
                json!({"action": "expire"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The enterprise withdraws: final.
        let (status, out) = api
            .post(
                &act,
                ent,
                json!({"action": "withdraw", "reason": "re-applying after the mill audit"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{out}");
        assert_eq!(out["application"]["status"], "withdrawn");
        let (status, err) = api
            .post(&act, cert, json!({"action": "reject", "reason": "late"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message(&err).contains("withdrawal is final"), "{err}");
    }
}

#[tokio::test]
async fn the_registry_publishes_benchmarks_and_the_adopted_standards_list() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        let name = t.name;
        s.ensure_bundled_pcrs().await.unwrap();
        user(
            s,
            "Registry",
            OrgKind::Registry,
            "r@registry.cn",
            Role::Editor,
        )
        .await;
        user(
            s,
            "Steel Works",
            OrgKind::Enterprise,
            "e@steel.cn",
            Role::Admin,
        )
        .await;
        let api = Api::new(s);
        let reg = login(&api, "r@registry.cn").await;
        let ent = login(&api, "e@steel.cn").await;
        let (reg, ent) = (Some(reg.as_str()), Some(ent.as_str()));

        // The list: the bundled version 1 with its three standards.
        let (status, list) = api.get("/adopted-standards", None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["version"], 1);
        let codes: Vec<&str> = list["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["GB/T 24067-2024", "ISO 14067:2018", "T/GDCPA 013—2023"]
        );
        let change = json!({
            "published": "2026-12-01",
            "changes": [{
                "change": "adopt",
                "code": "GB/T 32150-2015",
                "title": {"zh-Hans": "工业企业温室气体排放核算和报告通则", "zh-Hant": "工業企業溫室氣體排放核算和報告通則", "en": "General guideline of greenhouse gas emissions accounting and reporting for industrial enterprises"},
                "issuer": "SAC",
                "status": "adopted",
                "adopted_on": "2026-12-01",
                "source": "test"
            }]
        });
        let (status, _) = api.post("/adopted-standards", ent, change.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api.post("/adopted-standards", None, change.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, v2) = api.post("/adopted-standards", reg, change.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {v2}");
        assert_eq!(
            (v2["version"].as_u64(), v2["published"].as_str()),
            (Some(2), Some("2026-12-01"))
        );
        assert_eq!(v2["entry"].as_array().unwrap().len(), 4);
        // Adopting the same code again is refused, naming it.
        let again = json!({"published": "2026-12-02", "changes": change["changes"]});
        let (status, err) = api.post("/adopted-standards", reg, again).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(message(&err).contains("GB/T 32150-2015"), "{err}");
        let (_, current) = api.get("/adopted-standards", None).await;
        assert_eq!(current["version"], 2);
        let (_, versions) = api.get("/adopted-standards/versions", None).await;
        let versions: Vec<u64> = versions
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_u64().unwrap())
            .collect();
        assert_eq!(versions, [1, 2]);

        // Benchmarks: none yet.
        let latest = format!("/pcrs/{STEEL_PCR}/benchmarks/latest");
        assert_eq!(api.get(&latest, None).await.0, StatusCode::NOT_FOUND);
        let (status, all) = api
            .get(&format!("/pcrs/{STEEL_PCR}/benchmarks"), None)
            .await;
        assert_eq!((status, all), (StatusCode::OK, json!([])));
        assert_eq!(
            api.get("/pcrs/zuji:pcr:no-such-rule/benchmarks", None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        // The docs/pcr.md sample: 35 … 61 gives default P90 = 55.6, average (mean) 45,
        // advanced P20 = 37.8 under the steel PCR's statistics.
        let pcr = s.get_pcr(STEEL_PCR, None).await.unwrap().pcr;
        let sample = [35.0, 37.0, 38.0, 40.0, 42.0, 45.0, 47.0, 50.0, 55.0, 61.0];
        let v1 = zuji_trust::benchmark::compute(&pcr, "2025", 1, &sample, "2026-11-21").unwrap();
        let body1 = serde_json::to_value(&v1).unwrap();
        let (status, _) = api.post("/benchmarks", ent, body1.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api.post("/benchmarks", None, body1.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, first) = api.post("/benchmarks", reg, body1.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {first}");
        assert_eq!(first["benchmark"]["version"], 1);
        let (status, public) = api.get(&format!("{latest}?period=2025"), None).await;
        assert_eq!(status, StatusCode::OK, "{public}");
        let values = &public["benchmark"]["values"];
        for (level, expected) in [("default", 55.6), ("average", 45.0), ("advanced", 37.8)] {
            let got = values[level].as_f64().unwrap();
            assert!((got - expected).abs() < 1e-9, "{level}: {got}");
        }
        assert_eq!(public["benchmark"]["version"], 1);
        assert_eq!(public["log_index"], first["log_index"]);
        // Publishing version 1 again is an edit, which is refused; the correction is
        // version 2.
        let (status, err) = api.post("/benchmarks", reg, body1.clone()).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("version")),
            "{err}"
        );
        let corrected = [35.0, 37.0, 38.0, 40.0, 42.0, 45.0, 47.0, 50.0, 55.0, 71.0];
        let v2 = zuji_trust::benchmark::compute(&pcr, "2025", 2, &corrected, "2026-11-28").unwrap();
        let (status, second) = api
            .post("/benchmarks", reg, serde_json::to_value(&v2).unwrap())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{second}");
        assert_eq!(second["benchmark"]["version"], 2);
        assert!(second["log_index"].as_u64() > first["log_index"].as_u64());
        let (_, public) = api.get(&format!("{latest}?period=2025"), None).await;
        assert_eq!(public["benchmark"]["version"], 2);
        // mean of the corrected sample: 46.
        assert!((public["benchmark"]["values"]["average"].as_f64().unwrap() - 46.0).abs() < 1e-9);
        let (_, latest_any) = api.get(&latest, None).await;
        assert_eq!(latest_any["benchmark"]["version"], 2);
        let (status, _) = api.get(&format!("{latest}?period=2024"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, all) = api
            .get(&format!("/pcrs/{STEEL_PCR}/benchmarks"), None)
            .await;
        let versions: Vec<u64> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["benchmark"]["version"].as_u64().unwrap())
            .collect();
        assert_eq!(versions, [1, 2]);
        // A benchmark whose values are out of order is refused.
        let mut bad = body1.clone();
        bad["version"] = json!(3);
        bad["values"]["advanced"] = json!(60.0);
        let (status, _) = api.post("/benchmarks", reg, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
