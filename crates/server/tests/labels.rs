//! Carbon labels end to end over HTTP, on both backends: an enterprise computes and
//! applies, the certification body reviews, has the platform recompute the footprint
//! (same fingerprint), approves and issues a label; the label's PNG is scanned back to
//! its QR text, which verifies offline against the published keys, online as valid and
//! included in the log, and on the `/verify` page; a forged code is named; after the
//! certificate's withdrawal every check says revoked. A model edited behind the
//! platform's back after certification is caught by the recomputation.

mod common;

use axum::http::{Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Api, Certifying, act, certified, computed_footprint, labelled, login, message, user};
use serde_json::{Value, json};
use zuji_server::{ServerConfig, bootstrap};
use zuji_store::{OrgKind, Role, Store};
use zuji_trust::keys::{self, KeyRing, SignedStatement};
use zuji_trust::label::{read_qr_codes_png, read_qr_codes_svg, verify_offline};

const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");
const PCR: &str = "zuji:pcr:battery-pack:draft";
const REGISTRY_URL: &str = "https://registry.example.org";
/// GS1 GTIN-13 with its check digit worked by hand: 6·1+9·3+0·1+1·3+2·1+3·3+4·1+5·3+6·1+7·3+8·1+9·3
/// = 128, so the check digit is (10 − 8) mod 10 = 2.
const GTIN: &str = "6901234567892";

/// The LFP example with a GTIN, as an exporter would upload it.
fn lfp_with_gtin() -> String {
    LFP.replacen(
        "category = \"battery-pack\"",
        &format!("category = \"battery-pack\"\ngtin = \"{GTIN}\""),
        1,
    )
}

struct Parties {
    api: Api,
    enterprise: String,
    body: String,
    body_org: i64,
}

async fn parties(s: &Store) -> Parties {
    bootstrap::ensure_default_database(s).await.unwrap();
    s.ensure_bundled_pcrs().await.unwrap();
    user(
        s,
        "Dongguan Cells",
        OrgKind::Enterprise,
        "e@cells.cn",
        Role::Editor,
    )
    .await;
    let body_org = user(
        s,
        "HK Certification",
        OrgKind::Certifier,
        "b@cert.hk",
        Role::Editor,
    )
    .await;
    // The registry operator exists: its key signs the log's tree heads.
    user(
        s,
        "GBA Registry",
        OrgKind::Registry,
        "r@registry.cn",
        Role::Admin,
    )
    .await;
    let api = Api::with_config(
        s,
        ServerConfig {
            rate_limit_per_second: 100_000,
            public_url: Some(REGISTRY_URL.into()),
            // Public answers are otherwise cached for a second; this test changes status
            // and reads again at once.
            public_cache_ttl: std::time::Duration::ZERO,
            ..Default::default()
        },
    );
    let enterprise = login(&api, "e@cells.cn").await;
    let body = login(&api, "b@cert.hk").await;
    Parties {
        api,
        enterprise,
        body,
        body_org,
    }
}

impl Parties {
    fn certifying(&self) -> Certifying<'_> {
        Certifying {
            api: &self.api,
            enterprise: &self.enterprise,
            body: &self.body,
            body_org: self.body_org,
        }
    }
}

/// Applies with `footprint`, reviews, verifies by recomputation (the shared walk of
/// `common::reviewed`); returns the application.
async fn reviewed(s: &Store, p: &Parties, footprint: i64, previous: Option<&str>) -> String {
    common::reviewed(s, &p.certifying(), footprint, PCR, previous).await
}

async fn keys(api: &Api) -> KeyRing {
    let r = api.raw(Method::GET, "/keys", None, "", Vec::new()).await;
    assert_eq!(r.status, StatusCode::OK);
    serde_json::from_slice(&r.bytes).unwrap()
}

/// The QR text with one digit of the stated value changed.
fn forge_value(qr: &str, value: f64) -> String {
    let (url, payload) = qr.split_once("?z=").unwrap();
    let parts: Vec<&str> = payload.split('.').collect();
    let json = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let shown = value.to_string();
    assert!(json.contains(&shown), "{json} should state {shown}");
    let first = shown.chars().next().unwrap();
    let other = if first == '9' { '8' } else { '9' };
    let forged = json.replacen(&shown, &shown.replacen(first, &other.to_string(), 1), 1);
    format!(
        "{url}?z={}.{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(forged),
        parts[2],
        parts[3]
    )
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_label_is_issued_scanned_verified_and_revoked() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;
        let fid = computed_footprint(api, s, &p.enterprise, &lfp_with_gtin()).await;
        let (_, footprint) = api
            .get(&format!("/footprints/{fid}"), Some(&p.enterprise))
            .await;
        let total = footprint["total"].as_f64().unwrap();
        let fingerprint = footprint["fingerprint"].as_str().unwrap().to_string();

        let app = reviewed(s, &p, fid, None).await;
        assert_eq!(app, "APP-000001", "{name}");
        let (_, a) = api
            .get(&format!("/certification/applications/{app}"), Some(&p.body))
            .await;
        let v = &a["application"]["verification"];
        assert_eq!(v["state"], "verified", "{name}: {a}");
        assert_eq!(v["fingerprint"], fingerprint.as_str(), "{name}");

        let out = act(
            api,
            &p.body,
            &app,
            json!({"action": "approve", "certificate_id": ""}),
        )
        .await;
        let cert = out["certificate"]["id"].as_str().unwrap().to_string();
        assert_eq!(cert, "CERT-000001", "{name}");
        // The certificate is signed by the body's key, over what was issued.
        let ring = keys(api).await;
        let signed: SignedStatement =
            serde_json::from_value(out["certificate"]["signed"].clone()).unwrap();
        keys::verify(&ring, &signed).unwrap();
        assert_eq!(
            ring.get(&signed.key_id).unwrap().owner,
            p.body_org.to_string()
        );
        assert_eq!(signed.payload["certificate_id"], "CERT-000001");
        assert_eq!(
            signed.payload["scope"]["footprint_fingerprint"],
            fingerprint.as_str()
        );

        // The enterprise may not issue its own label; the body does.
        let (status, err) = api
            .post(
                "/labels",
                Some(&p.enterprise),
                json!({"certificate_id": cert}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {err}");
        let (status, issued) = api
            .post("/labels", Some(&p.body), json!({"certificate_id": cert}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {issued}");
        let label = &issued["label"];
        assert_eq!(label["id"], "LBL-000001");
        assert_eq!(label["statement"]["value"].as_f64(), Some(total));
        assert_eq!(label["statement"]["pcr"]["id"], PCR);
        assert_eq!(label["statement"]["product"]["gtin"], GTIN);
        assert_eq!(label["statement"]["declared_unit"], "1 kWh");
        // No benchmark is published for the battery PCR: the label shows no grade.
        assert!(label["statement"]["grade"].is_null());
        let qr = issued["qr_text"].as_str().unwrap().to_string();
        assert!(
            qr.starts_with(&format!("{REGISTRY_URL}/verify/LBL-000001?z=ZJ1.")),
            "{qr}"
        );

        // Printed, scanned back from the pixels, verified offline with the published keys.
        for lang in ["zh-Hans", "zh-Hant", "en"] {
            let png = api
                .raw(
                    Method::GET,
                    &format!("/api/v1/labels/LBL-000001/label.png?lang={lang}"),
                    None,
                    "",
                    Vec::new(),
                )
                .await;
            assert_eq!(png.status, StatusCode::OK, "{name} {lang}");
            assert_eq!(png.content_type, "image/png");
            assert_eq!(read_qr_codes_png(&png.bytes).unwrap(), vec![qr.clone()]);
        }
        let svg = api
            .raw(
                Method::GET,
                "/api/v1/labels/LBL-000001/label.svg?lang=en&size=small",
                None,
                "",
                Vec::new(),
            )
            .await;
        assert!(svg.content_type.starts_with("image/svg+xml"));
        let svg = String::from_utf8(svg.bytes).unwrap();
        assert_eq!(read_qr_codes_svg(&svg).unwrap(), vec![qr.clone()]);
        let now = zuji_store::now_ms() / 1000;
        let offline = verify_offline(&qr, &ring, now).unwrap();
        assert_eq!(offline.statement.certificate_id, "CERT-000001");
        assert_eq!(offline.signer, p.body_org.to_string());
        let (status, _) = api.get("/labels/LBL-000001/label.png?lang=fr", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // Online: valid, the scanned code is this label, and the log proves it.
        let check_url = format!("/labels/LBL-000001/verification?z={}", encode(&qr));
        let (_, check) = api.get(&check_url, None).await;
        assert_eq!(check["verdict"], "valid", "{name}: {check}");
        assert_eq!(check["signature_valid"], true);
        assert_eq!(check["presented"]["matches"], true);
        assert_eq!(check["certificate_status"], "valid");
        assert_eq!(check["log"]["included"], true, "{name}: {check}");
        assert_eq!(check["log"]["index"], label["log_index"]);
        let page = api
            .raw(
                Method::GET,
                &format!("/verify/LBL-000001?lang=zh-Hans&z={}", encode(&qr)),
                None,
                "",
                Vec::new(),
            )
            .await;
        let html = String::from_utf8(page.bytes).unwrap();
        assert!(html.contains("data-verdict=\"valid\""), "{html}");
        assert!(html.contains("有效：标识真实，证书有效。"));
        assert!(html.contains("<html lang=\"zh-Hans\">"));

        // A forged code pointing at the genuine label's page is named.
        let forged = forge_value(&qr, total);
        let (_, check) = api
            .get(
                &format!("/labels/LBL-000001/verification?z={}", encode(&forged)),
                None,
            )
            .await;
        assert_eq!(check["verdict"], "invalid", "{name}: {check}");
        assert_eq!(check["presented"]["matches"], false);
        assert!(
            check["presented"]["problem"]
                .as_str()
                .unwrap()
                .contains("not authentic"),
            "{check}"
        );
        let page = api
            .raw(
                Method::GET,
                &format!("/verify/LBL-000001?lang=en&z={}", encode(&forged)),
                None,
                "",
                Vec::new(),
            )
            .await;
        let html = String::from_utf8(page.bytes).unwrap();
        assert!(html.contains("data-verdict=\"invalid\""));
        assert!(html.contains("The scanned code does not match the registered label"));
        let page = api
            .raw(
                Method::GET,
                "/verify/LBL-999999?lang=zh-Hant",
                None,
                "",
                Vec::new(),
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(
            String::from_utf8(page.bytes)
                .unwrap()
                .contains("登記處沒有這個編號的碳標識")
        );

        // Open data: ranked first in its category; found by GTIN, valid, but no points
        // without a benchmark grade.
        let (_, ranking) = api.get(&format!("/open/rankings/{PCR}"), None).await;
        assert_eq!(ranking["total"], 1, "{name}: {ranking}");
        assert_eq!(ranking["items"][0]["label_id"], "LBL-000001");
        assert_eq!(ranking["items"][0]["value"].as_f64(), Some(total));
        let (_, found) = api.get(&format!("/open/gtin/{GTIN}"), None).await;
        assert_eq!(found["label_id"], "LBL-000001", "{name}: {found}");
        assert_eq!(found["verdict"], "valid");
        assert_eq!(found["points_eligible"], false);
        assert!(message(&json!({"message": found["points_reason"]})).contains("no benchmark"));
        let (status, _) = api.get("/open/gtin/12345", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // A wrong check digit (…892 is right, see GTIN) is a typing error, not "not found".
        let (status, err) = api.get("/open/gtin/6901234567891", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(message(&err).contains("check digit"), "{err}");
        let (status, _) = api.get("/open/rankings/no-such-pcr", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Withdrawn: every check says so, with the reason; the ranking drops it.
        let (status, out) = api
            .post(
                &format!("/certificates/{cert}/actions"),
                Some(&p.body),
                json!({"action": "withdraw", "reason": "cell supplier changed without notice"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{name}: {out}");
        let (_, check) = api.get(&check_url, None).await;
        assert_eq!(check["verdict"], "revoked", "{name}: {check}");
        assert_eq!(check["certificate_status"], "withdrawn");
        assert_eq!(
            check["certificate_reason"],
            "cell supplier changed without notice"
        );
        let page = api
            .raw(
                Method::GET,
                "/verify/LBL-000001?lang=en",
                None,
                "",
                Vec::new(),
            )
            .await;
        let html = String::from_utf8(page.bytes).unwrap();
        assert!(html.contains("data-verdict=\"revoked\""));
        let (_, ranking) = api.get(&format!("/open/rankings/{PCR}"), None).await;
        assert_eq!(ranking["total"], 0, "{name}: {ranking}");
        let (_, found) = api.get(&format!("/open/gtin/{GTIN}"), None).await;
        assert_eq!(found["verdict"], "revoked");
        // No label on a withdrawn certificate.
        let (status, err) = api
            .post("/labels", Some(&p.body), json!({"certificate_id": cert}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(message(&err).contains("withdrawn"), "{err}");
    }
}

#[tokio::test]
async fn the_recomputation_reproduces_the_fingerprint_and_catches_an_edited_model() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;
        let fid = computed_footprint(api, s, &p.enterprise, LFP).await;
        let (_, footprint) = api
            .get(&format!("/footprints/{fid}"), Some(&p.enterprise))
            .await;
        let fingerprint = footprint["fingerprint"].as_str().unwrap().to_string();
        let app = reviewed(s, &p, fid, None).await;
        let out = act(
            api,
            &p.body,
            &app,
            json!({"action": "approve", "certificate_id": ""}),
        )
        .await;
        let cert = out["certificate"]["id"].as_str().unwrap().to_string();

        // A caller cannot claim a verification; only the platform's recomputation records it.
        let (status, err) = api
            .post(
                &format!("/certification/applications/{app}/actions"),
                Some(&p.body),
                json!({"action": "verify_footprint", "recomputed_fingerprint": fingerprint}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {err}");
        assert!(message(&err).contains("/verification"), "{err}");

        // Someone edits the certified model version in the database: 1.1 kWh of cells per
        // kWh of pack. Re-certification recomputes it and the fingerprint differs.
        let mv = footprint["model_version_id"].as_i64().unwrap();
        let (_, version) = api
            .get(
                &format!("/products/{}/versions/1", footprint["product_id"]),
                Some(&p.enterprise),
            )
            .await;
        let mut model: Value = version["model"].clone();
        if model.is_null() {
            model = serde_json::from_str(version["model_json"].as_str().unwrap()).unwrap();
        }
        let inputs = model["process"][0]["inputs"].as_array_mut().unwrap();
        let amount = inputs[0]["amount"].as_f64().unwrap();
        inputs[0]["amount"] = json!(amount * 1.1);
        zuji_store::testing::tamper_model_version(s, mv, &model.to_string())
            .await
            .unwrap();
        let again = reviewed(s, &p, fid, Some(&cert)).await;
        let (_, a) = api
            .get(
                &format!("/certification/applications/{again}"),
                Some(&p.body),
            )
            .await;
        let v = &a["application"]["verification"];
        assert_eq!(v["state"], "mismatch", "{name}: {a}");
        assert_eq!(v["applied"], fingerprint.as_str());
        assert_ne!(v["recomputed"], fingerprint.as_str());
        let (status, err) = api
            .post(
                &format!("/certification/applications/{again}/actions"),
                Some(&p.body),
                json!({"action": "approve", "certificate_id": ""}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {err}");
        assert!(
            message(&err).contains("differs from the applied"),
            "{name}: {err}"
        );
    }
}

/// The LFP example with `cells` kWh of cells per kWh of pack, and optionally a GTIN.
fn lfp_variant(cells: f64, gtin: Option<&str>) -> String {
    let text = LFP.replacen(
        "{ process = \"cell-production\", amount = 1,",
        &format!("{{ process = \"cell-production\", amount = {cells:.2},"),
        1,
    );
    assert_ne!(text, LFP);
    match gtin {
        Some(g) => text.replacen(
            "category = \"battery-pack\"",
            &format!("category = \"battery-pack\"\ngtin = \"{g}\""),
            1,
        ),
        None => text,
    }
}

/// R type-7 percentile of an ascending sample, written out for the test (h = (n−1)p).
fn type7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[(lo + 1).min(sorted.len() - 1)] - sorted[lo])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[tokio::test]
async fn the_registry_computes_a_benchmark_from_certified_footprints_and_labels_get_grades() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;
        let registry = login(api, "r@registry.cn").await;
        let compute = format!("/pcrs/{PCR}/benchmarks/computed");

        // Nothing certified yet: the PCR's minimum sample (10) is not met.
        let (status, err) = api
            .post(&compute, Some(&registry), json!({"period": "2024"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {err}");
        assert!(message(&err).contains("0 certified footprint(s)"), "{err}");

        // Ten packs whose cell use differs by 2 % steps, each certified; the first and the
        // last carry GTINs.
        let mut packs = Vec::new();
        for i in 0..10 {
            let gtin = match i {
                0 => Some("6901234567908"),
                9 => Some("6901234567915"),
                _ => None,
            };
            let model = lfp_variant(1.0 + 0.02 * i as f64, gtin);
            let fid = computed_footprint(api, s, &p.enterprise, &model).await;
            let (_, f) = api
                .get(&format!("/footprints/{fid}"), Some(&p.enterprise))
                .await;
            let (_, out) = certified(s, &p.certifying(), fid, PCR).await;
            packs.push((
                f["total"].as_f64().unwrap(),
                out["certificate"]["id"].as_str().unwrap().to_string(),
            ));
        }
        let mut totals: Vec<f64> = packs.iter().map(|(t, _)| *t).collect();
        totals.sort_by(f64::total_cmp);
        assert_eq!(totals[0], packs[0].0, "more cells, more CO2e");

        // Only the registry computes; the body may not.
        let (status, _) = api
            .post(&compute, Some(&p.body), json!({"period": "2024"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, published) = api
            .post(&compute, Some(&registry), json!({"period": "2024"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {published}");
        let b = &published["benchmark"];
        assert_eq!(b["version"], 1);
        assert_eq!(b["sample_size"], 10);
        // The battery PCR: default = 90th percentile, average = mean, advanced = 20th
        // percentile (R type 7).
        let mean = totals.iter().sum::<f64>() / 10.0;
        for (field, want) in [
            ("default", type7(&totals, 0.9)),
            ("average", mean),
            ("advanced", type7(&totals, 0.2)),
        ] {
            let got = b["values"][field].as_f64().unwrap();
            assert!(close(got, want), "{name} {field}: {got} vs {want}");
        }
        let advanced = type7(&totals, 0.2);
        let default = type7(&totals, 0.9);

        // The lowest pack is at or below the advanced value: grade A and points. The highest
        // is above the default value but within 1.2 × default: grade D, no points.
        assert!(totals[0] <= advanced && totals[9] > default && totals[9] <= 1.2 * default);
        for ((_, cert), grade) in [(&packs[0], "A"), (&packs[9], "D")] {
            let issued = labelled(&p.certifying(), cert).await;
            let g = &issued["label"]["statement"]["grade"];
            assert_eq!(g["grade"], grade, "{name}: {issued}");
            assert_eq!(g["benchmark_period"], "2024");
            assert_eq!(g["benchmark_version"], 1);
        }
        let (_, low) = api.get("/open/gtin/6901234567908", None).await;
        assert_eq!(low["grade"], "A", "{name}: {low}");
        assert_eq!(low["points_eligible"], true, "{name}: {low}");
        let (_, high) = api.get("/open/gtin/6901234567915", None).await;
        assert_eq!(high["grade"], "D");
        assert_eq!(high["points_eligible"], false);
        assert!(
            high["points_reason"]
                .as_str()
                .unwrap()
                .contains("above the advanced value"),
            "{high}"
        );
        // The ranking lists labelled products, lowest first; grade A only on request.
        let (_, ranking) = api.get(&format!("/open/rankings/{PCR}"), None).await;
        assert_eq!(ranking["total"], 2, "{name}: {ranking}");
        assert_eq!(ranking["items"][0]["grade"], "A");
        assert_eq!(ranking["items"][1]["grade"], "D");
        let (_, best) = api
            .get(&format!("/open/rankings/{PCR}?max_grade_rank=1"), None)
            .await;
        assert_eq!(best["total"], 1, "{name}: {best}");
        assert_eq!(best["items"][0]["gtin"], "6901234567908");
    }
}
