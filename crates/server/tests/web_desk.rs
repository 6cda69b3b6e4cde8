//! The certification body's and the registry operator's desks walked through their web
//! routes, as a browser would (forms posted as `application/x-www-form-urlencoded`),
//! on both backends:
//!
//! - certification body: the LFP battery pack applied for by an enterprise (over the
//!   API, as `tests/labels.rs` does) is started, reviewed, recomputed (a job: the page
//!   refreshes while it runs, then says the fingerprint matches, showing both
//!   fingerprints, which equal the one the enterprise's footprint has), approved —
//!   certificate `CERT-000001`, in force, its status phrase checked in each language —
//!   and labelled (`LBL-000001`, linked to `/verify/LBL-000001`); refusals (an empty
//!   field, an approval before the conditions are met, a suspension without a reason)
//!   are shown with their message and change nothing; suspension and reinstatement
//!   with reasons;
//! - registry operator: a computed benchmark refused below the PCR's minimum sample,
//!   then published once ten packs are certified, showing the R type-7 percentiles and
//!   the mean of the certified totals computed here; policy values published through
//!   the form and shown; statistics, database versions and their impact (a newer
//!   version makes the ten footprints stale; recalculation queues them), the
//!   adopted-standards list published from TOML, organisations and keys, and the log's
//!   size counted from what the test did;
//! - who may enter: the public is sent to sign in; other kinds of organisation get 403;
//! - every desk page in the three languages without a catalog key shown raw.

mod common;

use axum::http::{Method, StatusCode};
use common::web::{get, post_form, post_ok, testid, testid_after, testid_attr};
use common::{Api, Certifying, certified, computed_footprint, drain, labelled, login, user};
use serde_json::{Value, json};
use zuji_server::bootstrap;
use zuji_server::web::i18n::parse_catalog;
use zuji_store::{NewDatabaseVersion, OrgKind, Role, Store, Viewer};

const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");
const PCR: &str = "zuji:pcr:battery-pack:draft";
const STEEL_PCR: &str = "zuji:pcr:steel-hot-rolled-coil:draft";
const LANGS: [&str; 3] = ["zh-Hans", "zh-Hant", "en"];

/// Where the card of PCR `id` begins on the benchmarks page.
fn pcr_card(body: &str, id: &str) -> usize {
    body.find(&format!("data-pcr=\"{id}\""))
        .unwrap_or_else(|| panic!("no card for {id}"))
}

/// No catalog key shown raw; on a Chinese page, no English phrase of the desk catalog.
fn assert_translated(body: &str, lang: &str, what: &str) {
    let catalog = parse_catalog().expect("catalog");
    for (key, phrase) in &catalog {
        assert!(
            !body.contains(&format!(">{key}<")) && !body.contains(&format!(" {key} ")),
            "{what}: raw catalog key {key}"
        );
        if lang != "en"
            && key.starts_with("desk.")
            && phrase.en.chars().count() > 12
            && !phrase.en.contains('{')
            && phrase.zh_hans != phrase.en
        {
            assert!(
                !body.contains(&format!(">{}<", phrase.en)),
                "{what}: English phrase of {key} on a {lang} page"
            );
        }
    }
    // A `desk.` key missing from the catalog would be shown as itself.
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(i) = body[from..].find("desk.") {
        let at = from + i;
        let before = if at == 0 { b' ' } else { bytes[at - 1] };
        let after = bytes.get(at + 5).copied().unwrap_or(b' ');
        assert!(
            before.is_ascii_alphanumeric()
                || matches!(before, b'.' | b'/' | b'-' | b'_')
                || !after.is_ascii_lowercase(),
            "{what}: raw key near {:?}",
            &body[at..body.len().min(at + 40)]
        );
        from = at + 5;
    }
}

/// A page in each language: 200, in that language, translated.
async fn check_languages(api: &Api, path: &str, token: &str) {
    for lang in LANGS {
        let sep = if path.contains('?') { '&' } else { '?' };
        let p = get(api, &format!("{path}{sep}lang={lang}"), Some(token)).await;
        assert_eq!(p.status, StatusCode::OK, "{path} in {lang}: {}", p.body);
        assert!(
            p.body.contains(&format!("<html lang=\"{lang}\"")),
            "{path} in {lang}"
        );
        assert_translated(&p.body, lang, &format!("{path} ({lang})"));
    }
}

struct Parties {
    api: Api,
    enterprise: String,
    body: String,
    registry: String,
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
    user(
        s,
        "GBA Registry",
        OrgKind::Registry,
        "r@registry.cn",
        Role::Admin,
    )
    .await;
    let api = Api::new(s);
    let enterprise = login(&api, "e@cells.cn").await;
    let body = login(&api, "b@cert.hk").await;
    let registry = login(&api, "r@registry.cn").await;
    Parties {
        api,
        enterprise,
        body,
        registry,
        body_org,
    }
}

/// The enterprise applies with `footprint` over the API; returns the application id.
async fn apply(p: &Parties, footprint: i64) -> String {
    let (status, app) = p
        .api
        .post(
            "/certification/applications",
            Some(&p.enterprise),
            json!({
                "footprint_id": footprint,
                "certification_body_org_id": p.body_org,
                "pcr_id": PCR,
                "documents": [{"name": "bill of materials.xlsx", "sha256": "9f".repeat(32)}],
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{app}");
    app["id"].as_str().unwrap().to_string()
}

fn app_url(id: &str) -> String {
    format!("/desk/certification/applications/{id}")
}

#[tokio::test]
async fn a_certification_body_reviews_recomputes_approves_and_labels() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;
        let fid = computed_footprint(api, s, &p.enterprise, LFP).await;
        let (_, footprint) = api
            .get(&format!("/footprints/{fid}"), Some(&p.enterprise))
            .await;
        let fingerprint = footprint["fingerprint"].as_str().unwrap().to_string();
        let app = apply(&p, fid).await;
        assert_eq!(app, "APP-000001", "{name}");
        let url = app_url(&app);
        let actions = format!("{url}/actions");

        // Who may enter: the public signs in first; other kinds of organisation are refused.
        let public = get(api, "/desk/certification", None).await;
        assert_eq!(public.status, StatusCode::SEE_OTHER, "{name}");
        assert_eq!(
            public.location.as_deref(),
            Some("/login?next=%2Fdesk%2Fcertification")
        );
        for token in [&p.enterprise, &p.registry] {
            let r = get(api, "/desk/certification", Some(token)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
            let r = get(api, &url, Some(token)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
        }
        let r = post_form(
            api,
            &actions,
            &p.enterprise,
            &[("action", "start_document_review")],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");

        // The queue: the application waits, submitted, with its product and enterprise.
        let q = get(api, "/desk/certification?lang=en", Some(&p.body)).await;
        assert_eq!(q.status, StatusCode::OK, "{name}: {}", q.body);
        assert!(q.body.contains(&format!("href=\"{url}\">{app}<")), "{name}");
        assert!(q.body.contains("Dongguan Cells"));
        assert_eq!(
            testid_attr(&q.body, 0, "queue-status", "data-status").as_deref(),
            Some("submitted")
        );
        assert_eq!(
            testid(&q.body, "queue-status").as_deref(),
            Some("Submitted")
        );

        post_ok(
            api,
            &actions,
            &p.body,
            &[("action", "start_document_review")],
            &format!("{url}?done=start_document_review"),
        )
        .await;
        let page = get(api, &format!("{url}?lang=en"), Some(&p.body)).await;
        assert_eq!(page.status, StatusCode::OK, "{name}: {}", page.body);
        assert_eq!(
            testid_attr(&page.body, 0, "application-status", "data-status").as_deref(),
            Some("under_review"),
            "{name}"
        );
        assert_eq!(
            testid(&page.body, "application-status").as_deref(),
            Some("Under review")
        );
        // The footprint under review, as the enterprise's own API shows it.
        assert_eq!(
            testid(&page.body, "review-fingerprint"),
            Some(fingerprint.clone())
        );
        assert!(page.body.contains("bill of materials.xlsx"));
        assert!(
            page.body.contains("zuji-default"),
            "the database version used"
        );
        // The LFP example misses no mandatory item of its PCR (crates/store/src/trust/evidence.rs).
        assert_eq!(
            testid(&page.body, "pcr-check-summary")
                .map(|s| s.starts_with("No mandatory requirement is missed")),
            Some(true),
            "{name}"
        );
        assert_eq!(
            testid_attr(&page.body, 0, "fingerprint-verdict", "data-verdict").as_deref(),
            Some("not_verified")
        );

        // An empty clause is named and nothing is recorded.
        let r = post_form(
            api,
            &format!("{actions}?lang=en"),
            &p.body,
            &[
                ("action", "record_finding"),
                ("severity", "minor"),
                ("clause", " "),
                ("text", "x"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(
            testid(&r.body, "desk-notice").as_deref(),
            Some("Please fill in “Clause”.")
        );
        let (_, a) = api
            .get(&format!("/certification/applications/{app}"), Some(&p.body))
            .await;
        assert_eq!(a["application"]["findings"], json!([]), "{name}");
        // Approval before the document review and the recomputation: the store's refusal.
        let r = post_form(api, &actions, &p.body, &[("action", "approve")]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
        let notice = testid(&r.body, "desk-notice").unwrap();
        assert!(
            notice.contains("document review is not done"),
            "{name}: {notice}"
        );
        assert!(
            notice.contains("not been verified by recomputation"),
            "{notice}"
        );
        let (_, a) = api
            .get(&format!("/certification/applications/{app}"), Some(&p.body))
            .await;
        assert_eq!(a["status"], "under_review", "{name}");
        // A minor finding, raised and closed.
        post_ok(
            api,
            &actions,
            &p.body,
            &[
                ("action", "record_finding"),
                ("severity", "minor"),
                ("clause", "PCR 5.2"),
                ("text", "Metering records for March are scanned copies"),
            ],
            &format!("{url}?done=record_finding"),
        )
        .await;
        post_ok(
            api,
            &actions,
            &p.body,
            &[
                ("action", "close_finding"),
                ("finding_id", "F-1"),
                ("resolution", "Originals seen"),
            ],
            &format!("{url}?done=close_finding"),
        )
        .await;
        post_ok(
            api,
            &actions,
            &p.body,
            &[
                ("action", "complete_document_review"),
                ("note", "BOM and metering records reviewed"),
            ],
            &format!("{url}?done=complete_document_review"),
        )
        .await;

        // The recomputation: running (the page refreshes itself), then the verdict.
        post_ok(
            api,
            &format!("{url}/verification"),
            &p.body,
            &[],
            &format!("{url}?done=verification"),
        )
        .await;
        let page = get(api, &url, Some(&p.body)).await;
        assert_eq!(
            testid_attr(&page.body, 0, "fingerprint-verdict", "data-verdict").as_deref(),
            Some("running"),
            "{name}"
        );
        assert_eq!(
            testid_attr(&page.body, 0, "fingerprint-verdict", "data-refresh-seconds").as_deref(),
            Some("2")
        );
        drain(s).await;
        for (lang, verdict) in [
            ("zh-Hans", "指纹一致"),
            ("zh-Hant", "指紋一致"),
            ("en", "Fingerprint matches"),
        ] {
            let page = get(api, &format!("{url}?lang={lang}"), Some(&p.body)).await;
            assert_eq!(
                testid_attr(&page.body, 0, "fingerprint-verdict", "data-verdict").as_deref(),
                Some("match"),
                "{name} {lang}"
            );
            let at = page
                .body
                .find("data-testid=\"fingerprint-verdict\"")
                .unwrap();
            assert!(page.body[at..].contains(verdict), "{name} {lang}");
            assert!(
                !page.body.contains("data-refresh-seconds"),
                "{name}: no refresh once done"
            );
            assert_eq!(
                testid(&page.body, "fingerprint-applied"),
                Some(fingerprint.clone())
            );
            assert_eq!(
                testid(&page.body, "fingerprint-recomputed"),
                Some(fingerprint.clone())
            );
            assert!(
                page.body.contains("data-testid=\"approval-ready\""),
                "{name} {lang}"
            );
        }

        // The decision: approved, certificate issued and in force.
        post_ok(
            api,
            &actions,
            &p.body,
            &[("action", "approve")],
            &format!("{url}?done=approve"),
        )
        .await;
        for (lang, approved, valid) in [
            ("zh-Hans", "已批准", "有效"),
            ("zh-Hant", "已批准", "有效"),
            ("en", "Approved", "Valid"),
        ] {
            let page = get(api, &format!("{url}?lang={lang}"), Some(&p.body)).await;
            assert_eq!(
                testid(&page.body, "application-status").as_deref(),
                Some(approved),
                "{name} {lang}"
            );
            assert_eq!(
                testid(&page.body, "certificate-id").as_deref(),
                Some("CERT-000001")
            );
            assert_eq!(
                testid(&page.body, "certificate-status").as_deref(),
                Some(valid),
                "{lang}"
            );
            assert_eq!(
                testid_attr(&page.body, 0, "certificate-status", "data-status").as_deref(),
                Some("valid")
            );
            assert!(
                page.body
                    .contains("href=\"/registry/certificates/CERT-000001.pdf\"")
            );
        }
        let (_, cert) = api.get("/certificates/CERT-000001", None).await;
        assert_eq!(cert["status"], "valid", "{name}: {cert}");

        // The label: issued, its id linking to the public verification page.
        post_ok(
            api,
            &format!("{url}/label"),
            &p.body,
            &[],
            &format!("{url}?done=label"),
        )
        .await;
        let page = get(api, &url, Some(&p.body)).await;
        assert_eq!(
            testid(&page.body, "label-id").as_deref(),
            Some("LBL-000001"),
            "{name}"
        );
        assert!(page.body.contains("href=\"/verify/LBL-000001\""));
        let verify = get(api, "/verify/LBL-000001?lang=en", None).await;
        assert_eq!(verify.status, StatusCode::OK, "{name}");
        assert!(verify.body.contains("data-verdict=\"valid\""), "{name}");
        // The enterprise may not issue it through the desk.
        let r = post_form(api, &format!("{url}/label"), &p.enterprise, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Nothing left to do on a decided application.
        assert!(!page.body.contains("name=\"action\" value=\"approve\""));

        // Certificates: in force, surveillance S-1 due, the calendar lists it and the expiry.
        let certs_url = "/desk/certification/certificates";
        let c = get(api, &format!("{certs_url}?lang=en"), Some(&p.body)).await;
        assert_eq!(c.status, StatusCode::OK, "{name}: {}", c.body);
        assert!(c.body.contains("data-certificate=\"CERT-000001\""));
        assert_eq!(
            testid(&c.body, "certificate-status").as_deref(),
            Some("Valid")
        );
        assert!(c.body.contains("Surveillance S-1 due"), "{name}");
        assert!(c.body.contains("Certificate expires"), "{name}");
        // The issuing rules: two years' validity, a surveillance visit every twelve months
        // (zuji_trust::certification::CertificationRules::default) — S-1 only.
        assert!(!c.body.contains("Surveillance S-2 due"), "{name}");
        // A suspension needs a reason; with one it is recorded, then reinstated.
        let act = format!("{certs_url}/CERT-000001/actions");
        let r = post_form(
            api,
            &format!("{act}?lang=en"),
            &p.body,
            &[("action", "suspend"), ("reason", "  ")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(
            testid(&r.body, "desk-notice").as_deref(),
            Some("Please fill in “Reason”.")
        );
        let (_, cert) = api.get("/certificates/CERT-000001", None).await;
        assert_eq!(cert["status"], "valid", "{name}");
        post_ok(
            api,
            &act,
            &p.body,
            &[
                ("action", "suspend"),
                ("reason", "surveillance visit refused"),
            ],
            &format!("{certs_url}?done=suspend"),
        )
        .await;
        let (_, cert) = api.get("/certificates/CERT-000001", None).await;
        assert_eq!(cert["status"], "suspended", "{name}");
        assert_eq!(cert["status_reason"], "surveillance visit refused");
        for (lang, suspended) in [
            ("zh-Hans", "暂停"),
            ("zh-Hant", "暫停"),
            ("en", "Suspended"),
        ] {
            let c = get(api, &format!("{certs_url}?lang={lang}"), Some(&p.body)).await;
            assert_eq!(
                testid(&c.body, "certificate-status").as_deref(),
                Some(suspended),
                "{lang}"
            );
        }
        post_ok(
            api,
            &act,
            &p.body,
            &[("action", "reinstate"), ("reason", "visit completed")],
            &format!("{certs_url}?done=reinstate"),
        )
        .await;
        let (_, cert) = api.get("/certificates/CERT-000001", None).await;
        assert_eq!(cert["status"], "valid", "{name}");

        for path in ["/desk/certification", url.as_str(), certs_url] {
            check_languages(api, path, &p.body).await;
        }
    }
}

/// The LFP example with `cells` kWh of cells per kWh of pack (as tests/labels.rs).
fn lfp_variant(cells: f64) -> String {
    let text = LFP.replacen(
        "{ process = \"cell-production\", amount = 1,",
        &format!("{{ process = \"cell-production\", amount = {cells:.2},"),
        1,
    );
    assert_ne!(text, LFP);
    text
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

/// Certifies `footprint` over the API (the shared walk of `common::certified`: apply,
/// review, recompute, approve). Returns the certificate id.
async fn certify(s: &Store, p: &Parties, footprint: i64) -> String {
    let (_, out) = certified(s, &p.certifying(), footprint, PCR).await;
    out["certificate"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_registry_publishes_benchmarks_and_reads_its_desk() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;
        let reg = p.registry.as_str();

        let public = get(api, "/desk/registry/benchmarks", None).await;
        assert_eq!(public.status, StatusCode::SEE_OTHER, "{name}");
        assert_eq!(
            public.location.as_deref(),
            Some("/login?next=%2Fdesk%2Fregistry%2Fbenchmarks")
        );
        for token in [&p.enterprise, &p.body] {
            for path in [
                "/desk/registry",
                "/desk/registry/benchmarks",
                "/desk/registry/log",
            ] {
                let r = get(api, path, Some(token)).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{name} {path}");
            }
            let r = post_form(
                api,
                "/desk/registry/benchmarks/computed",
                token,
                &[("pcr_id", PCR), ("period", "2024")],
            )
            .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
        }

        // Nothing certified yet: refused with the store's message, nothing published.
        let computed = "/desk/registry/benchmarks/computed";
        let r = post_form(api, computed, reg, &[("pcr_id", PCR), ("period", "2024")]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.body
        );
        let notice = testid(&r.body, "desk-notice").unwrap();
        assert!(
            notice.contains("0 certified footprint(s)"),
            "{name}: {notice}"
        );
        assert!(notice.contains("at least 10"), "{notice}");
        let (_, none) = api.get(&format!("/pcrs/{PCR}/benchmarks"), None).await;
        assert_eq!(none, json!([]), "{name}");

        // Ten packs whose cell use differs by 2 % steps, each certified.
        let mut totals = Vec::new();
        let mut certificates = Vec::new();
        for i in 0..10 {
            let fid =
                computed_footprint(api, s, &p.enterprise, &lfp_variant(1.0 + 0.02 * i as f64))
                    .await;
            let (_, f) = api
                .get(&format!("/footprints/{fid}"), Some(&p.enterprise))
                .await;
            totals.push(f["total"].as_f64().unwrap());
            certificates.push(certify(s, &p, fid).await);
        }
        totals.sort_by(f64::total_cmp);
        assert_eq!(certificates[0], "CERT-000001", "{name}");
        assert_eq!(certificates[9], "CERT-000010", "{name}");
        check_desk_paging(api, &p.body, name).await;

        post_ok(
            api,
            computed,
            reg,
            &[("pcr_id", PCR), ("period", "2024")],
            "/desk/registry/benchmarks?done=computed",
        )
        .await;
        // The battery PCR: default = P90, average = mean, advanced = P20 (R type 7).
        let mean = totals.iter().sum::<f64>() / 10.0;
        let want = [
            ("benchmark-default", type7(&totals, 0.9)),
            ("benchmark-average", mean),
            ("benchmark-advanced", type7(&totals, 0.2)),
        ];
        for lang in LANGS {
            let page = get(
                api,
                &format!("/desk/registry/benchmarks?lang={lang}"),
                Some(reg),
            )
            .await;
            assert_eq!(page.status, StatusCode::OK, "{name}: {}", page.body);
            let card = pcr_card(&page.body, PCR);
            for (id, value) in want {
                let raw: f64 = testid_attr(&page.body, card, id, "data-value")
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(close(raw, value), "{name} {id}: {raw} vs {value}");
                // Shown with two decimals (the values are below 1,000: no grouping).
                assert_eq!(
                    testid_after(&page.body, card, id),
                    Some(format!("{value:.2}")),
                    "{name} {id}"
                );
            }
        }
        let (_, latest) = api
            .get(&format!("/pcrs/{PCR}/benchmarks/latest?period=2024"), None)
            .await;
        assert_eq!(latest["benchmark"]["sample_size"], 10, "{name}");

        // Policy values for the steel PCR, through the form.
        let policy = "/desk/registry/benchmarks/policy";
        let fields = |default: &'static str, average: &'static str, advanced: &'static str| {
            vec![
                ("pcr_id", STEEL_PCR),
                ("period", "2025"),
                ("default", default),
                ("average", average),
                ("advanced", advanced),
                (
                    "source",
                    "Provincial notice on steel carbon footprint values (2025)",
                ),
                ("licence", "CC BY 4.0"),
            ]
        };
        let r = post_form(
            api,
            &format!("{policy}?lang=en"),
            reg,
            &fields("24OO", "2100", "1900"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(
            testid(&r.body, "desk-notice").as_deref(),
            Some("“Default value” must be a number, not “24OO”.")
        );
        let r = post_form(api, policy, reg, &fields("1900", "2100", "2400")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            testid(&r.body, "desk-notice")
                .unwrap()
                .contains("values out of order"),
            "{name}"
        );
        // The refused values are kept in the form.
        assert!(r.body.contains("value=\"2400\""));
        let (_, none) = api
            .get(&format!("/pcrs/{STEEL_PCR}/benchmarks"), None)
            .await;
        assert_eq!(none, json!([]), "{name}");
        post_ok(
            api,
            policy,
            reg,
            &fields("2,400", "2100", "1900.5"),
            "/desk/registry/benchmarks?done=policy",
        )
        .await;
        let page = get(api, "/desk/registry/benchmarks?lang=en", Some(reg)).await;
        let card = pcr_card(&page.body, STEEL_PCR);
        for (id, raw, shown) in [
            ("benchmark-default", "2400", "2,400.00"),
            ("benchmark-average", "2100", "2,100.00"),
            ("benchmark-advanced", "1900.5", "1,900.50"),
        ] {
            assert_eq!(
                testid_attr(&page.body, card, id, "data-value").as_deref(),
                Some(raw),
                "{name} {id}"
            );
            assert_eq!(
                testid_after(&page.body, card, id).as_deref(),
                Some(shown),
                "{name} {id}"
            );
        }
        let (_, steel) = api
            .get(&format!("/pcrs/{STEEL_PCR}/benchmarks/latest"), None)
            .await;
        assert_eq!(steel["benchmark"]["period"], "2025", "{name}");
        assert_eq!(steel["benchmark"]["version"], 1);
        assert_eq!(steel["benchmark"]["method"]["method"], "policy");
        assert_eq!(
            steel["benchmark"]["source"],
            "Provincial notice on steel carbon footprint values (2025)"
        );
        assert_eq!(steel["benchmark"]["licence"], "CC BY 4.0");

        // One label on the lowest pack: grade A (at or below the advanced value).
        let lowest = certificates[0].clone();
        let (status, label) = api
            .post("/labels", Some(&p.body), json!({"certificate_id": lowest}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{label}");
        assert_eq!(label["label"]["statement"]["grade"]["grade"], "A", "{name}");

        // Statistics: ten products, ten certificates in force, one label graded A; the
        // category battery-pack; the region CN stated by the example.
        let st = get(api, "/desk/registry?lang=en", Some(reg)).await;
        assert_eq!(st.status, StatusCode::OK, "{name}: {}", st.body);
        assert_eq!(
            testid(&st.body, "stat-products").as_deref(),
            Some("10"),
            "{name}"
        );
        assert_eq!(testid(&st.body, "stat-certificates").as_deref(), Some("10"));
        assert_eq!(
            testid(&st.body, "stat-certificates-valid").as_deref(),
            Some("10")
        );
        assert_eq!(testid(&st.body, "stat-labels").as_deref(), Some("1"));
        assert!(st.body.contains("data-key=\"battery-pack\""), "{name}");
        assert!(st.body.contains("data-key=\"CN\""), "{name}");
        assert!(st.body.contains("class=\"grade grade-A\">A<"), "{name}");
        let q = get(api, "/desk/registry?by=quarter&lang=en", Some(reg)).await;
        assert_eq!(q.status, StatusCode::OK);
        assert!(
            q.body.contains("aria-current=\"page\">By quarter<"),
            "{name}"
        );

        // A newer version of the default database: the ten footprints would change.
        let mut newer = zuji_formats::default_db::default_database().unwrap();
        newer.meta.version = "2026.2-test".into();
        s.add_database_version(
            &Viewer::System,
            NewDatabaseVersion {
                name: "zuji-default",
                db: &newer,
                source_format: "tabular",
                warnings: vec![],
            },
            None,
        )
        .await
        .unwrap();
        let db = get(api, "/desk/registry/databases?lang=en", Some(reg)).await;
        assert_eq!(db.status, StatusCode::OK, "{name}: {}", db.body);
        assert_eq!(
            testid(&db.body, "stale-count").as_deref(),
            Some("10"),
            "{name}"
        );
        assert!(db.body.contains("2026.2-test"));
        // The bundled database's provenance, from its database.toml.
        assert!(
            db.body.contains("Built by data/build/build_default_db.py"),
            "{name}"
        );
        assert!(
            db.body.contains("The compilation (selection, structure"),
            "{name}"
        );
        post_ok(
            api,
            "/desk/registry/databases/recalculate",
            reg,
            &[],
            "/desk/registry/databases?done=recalculate&n=10",
        )
        .await;
        drain(s).await;
        let db = get(api, "/desk/registry/databases", Some(reg)).await;
        assert_eq!(
            testid(&db.body, "stale-count").as_deref(),
            Some("0"),
            "{name}"
        );

        // The adopted-standards list: a new version from TOML; a bad one is refused.
        let std_url = "/desk/registry/standards";
        let r = post_form(
            api,
            &format!("{std_url}?lang=en"),
            reg,
            &[("toml", "published = 2027-01-15\nchanges = [")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            testid(&r.body, "desk-notice")
                .unwrap()
                .starts_with("The TOML cannot be read")
        );
        let unknown = "published = \"2027-01-15\"\n[[changes]]\nchange = \"withdraw\"\ncode = \"NO-SUCH-1\"\non = \"2027-01-15\"\n";
        let r = post_form(api, std_url, reg, &[("toml", unknown)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            testid(&r.body, "desk-notice")
                .unwrap()
                .contains("cannot withdraw 'NO-SUCH-1'"),
            "{name}"
        );
        let adopt = "published = \"2027-01-15\"\n[[changes]]\nchange = \"adopt\"\ncode = \"T/TEST 001-2026\"\ntitle = { zh-Hans = \"测试标准\", zh-Hant = \"測試標準\", en = \"Test standard\" }\nissuer = \"Test association\"\nstatus = \"adopted\"\nadopted_on = \"2027-01-15\"\nsource = \"this test\"\n";
        post_ok(
            api,
            std_url,
            reg,
            &[("toml", adopt)],
            "/desk/registry/standards?done=standards",
        )
        .await;
        let sp = get(api, std_url, Some(reg)).await;
        assert_eq!(
            testid(&sp.body, "standards-version").as_deref(),
            Some("2"),
            "{name}"
        );
        assert!(sp.body.contains("T/TEST 001-2026"));

        // Organisations with their users; a new one created; the published keys.
        let orgs = "/desk/registry/organisations";
        let r = post_form(
            api,
            orgs,
            reg,
            &[("name", "Shenzhen Verification"), ("kind", "auditor")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        post_ok(
            api,
            orgs,
            reg,
            &[("name", "Shenzhen Verification"), ("kind", "certifier")],
            "/desk/registry/organisations?done=organisation",
        )
        .await;
        let op = get(api, &format!("{orgs}?lang=en"), Some(reg)).await;
        assert!(op.body.contains("<td>Shenzhen Verification</td><td>Certification body</td><td class=\"num\" data-testid=\"org-users\">0</td>"), "{name}: {}", op.body);
        assert!(op.body.contains("<td>HK Certification</td><td>Certification body</td><td class=\"num\" data-testid=\"org-users\">1</td>"), "{name}");
        let keys = api.raw(Method::GET, "/keys", None, "", Vec::new()).await;
        let ring: Value = serde_json::from_slice(&keys.bytes).unwrap();
        let ids: Vec<&str> = ring["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["key_id"].as_str().unwrap())
            .collect();
        assert!(!ids.is_empty(), "{name}");
        for id in ids {
            assert!(op.body.contains(id), "{name}: key {id}");
        }

        // The log: ten certificates issued, two benchmarks, one label.
        let lp = get(api, "/desk/registry/log?lang=en", Some(reg)).await;
        assert_eq!(
            testid_attr(&lp.body, 0, "log-size", "data-value").as_deref(),
            Some("13"),
            "{name}"
        );
        assert_eq!(testid(&lp.body, "log-size").as_deref(), Some("13"));
        assert!(lp.body.contains("Label issued"));
        assert!(lp.body.contains("href=\"/log/sth\""));

        for path in [
            "/desk/registry",
            "/desk/registry?by=quarter",
            "/desk/registry/benchmarks",
            "/desk/registry/databases",
            "/desk/registry/standards",
            "/desk/registry/organisations",
            "/desk/registry/log",
        ] {
            check_languages(api, path, reg).await;
        }
    }
}

/// The certification desk's lists a page at a time (askama writes `&` in a link as
/// `&#38;`), with the ten certifications of the
/// registry test (APP-000001…10, CERT-000001…10, approved in that order).
async fn check_desk_paging(api: &Api, body: &str, name: &str) {
    // Certificates, oldest first, four per page: page 3 holds the ninth and tenth.
    let c = get(
        api,
        "/desk/certification/certificates?page=3&per=4&lang=en",
        Some(body),
    )
    .await;
    assert_eq!(c.status, StatusCode::OK, "{name}: {}", c.body);
    let listed: Vec<&str> = c
        .body
        .match_indices("data-certificate=\"")
        .map(|(i, m)| &c.body[i + m.len()..i + m.len() + 11])
        .collect();
    assert_eq!(listed, ["CERT-000009", "CERT-000010"], "{name}");
    assert_eq!(
        testid(&c.body, "pager-position").as_deref(),
        Some("Page 3 of 3")
    );
    assert!(
        c.body.contains(
            "href=\"/desk/certification/certificates?per=4&#38;page=2\" rel=\"prev\">Previous page<"
        ),
        "{name}"
    );
    assert!(
        !c.body.contains("rel=\"next\""),
        "{name}: no page after the last"
    );
    // The calendar still covers all ten (each has its expiry).
    assert_eq!(c.body.matches("Certificate expires").count(), 10, "{name}");
    let c = get(
        api,
        "/desk/certification/certificates?page=2&per=4&lang=zh-Hans",
        Some(body),
    )
    .await;
    assert_eq!(
        testid(&c.body, "pager-position").as_deref(),
        Some("第 2 页，共 3 页")
    );
    assert!(c.body.contains("data-certificate=\"CERT-000005\""));
    assert!(c.body.contains("data-certificate=\"CERT-000008\""));
    assert!(!c.body.contains("data-certificate=\"CERT-000004\""));
    assert!(!c.body.contains("data-certificate=\"CERT-000009\""));
    assert!(c.body.contains(
        "href=\"/desk/certification/certificates?per=4&#38;page=3\" rel=\"next\">下一页<"
    ));

    // The queue: all ten decided, the most recent decision first; page 2 of three.
    let q = get(api, "/desk/certification?page=2&per=4&lang=en", Some(body)).await;
    assert_eq!(q.status, StatusCode::OK, "{name}: {}", q.body);
    let listed: Vec<&str> = q
        .body
        .match_indices("data-application=\"")
        .map(|(i, m)| &q.body[i + m.len()..i + m.len() + 10])
        .collect();
    assert_eq!(
        listed,
        ["APP-000006", "APP-000005", "APP-000004", "APP-000003"],
        "{name}"
    );
    // The group says how many it holds in all, not on this page.
    assert_eq!(testid(&q.body, "queue-group-count").as_deref(), Some("10"));
    assert_eq!(
        testid(&q.body, "pager-position").as_deref(),
        Some("Page 2 of 3")
    );
    assert!(
        q.body
            .contains("href=\"/desk/certification?per=4&#38;page=1\" rel=\"prev\"")
    );
    assert!(
        q.body
            .contains("href=\"/desk/certification?per=4&#38;page=3\" rel=\"next\"")
    );
    // Twenty-five per page by default: one page, no pager.
    let q = get(api, "/desk/certification?lang=en", Some(body)).await;
    assert_eq!(q.body.matches("data-application=\"").count(), 10, "{name}");
    assert!(!q.body.contains("data-testid=\"pager\""), "{name}");
    // A page that is not a number is named; the first page is shown.
    let q = get(api, "/desk/certification?page=two&lang=en", Some(body)).await;
    assert_eq!(q.status, StatusCode::OK, "{name}");
    assert_eq!(
        testid(&q.body, "desk-notice").as_deref(),
        Some("The page ‘two’ is not valid: it must be a whole number from 1.")
    );
    let c = get(
        api,
        "/desk/certification/certificates?per=0&lang=zh-Hant",
        Some(body),
    )
    .await;
    assert_eq!(
        testid(&c.body, "desk-notice").as_deref(),
        Some("每頁條數「0」無效：應為 1 到 100 的整數。")
    );
    for path in [
        "/desk/certification?page=2&per=4",
        "/desk/certification/certificates?page=2&per=4",
    ] {
        check_languages(api, path, body).await;
    }
}

/// English month abbreviations as the pages write dates (`21 Nov 2026`).
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as the pages write it in `lang`.
fn written(lang: &str, y: i32, m: u8, d: u8) -> String {
    if lang == "en" {
        format!("{d} {} {y}", MONTHS[usize::from(m) - 1])
    } else {
        format!("{y}年{m}月{d}日")
    }
}

/// The certificate's surveillance visits as the API shows them to the body.
async fn visits(p: &Parties, cert: &str) -> Vec<Value> {
    let (status, c) = p
        .api
        .get(&format!("/certificates/{cert}"), Some(&p.body))
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    c["certificate"]["surveillance"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_certification_body_schedules_and_records_surveillance() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;
        let fid = computed_footprint(api, s, &p.enterprise, LFP).await;
        let (_, out) = certified(s, &p.certifying(), fid, PCR).await;
        let cert = out["certificate"]["id"].as_str().unwrap().to_string();
        assert_eq!(cert, "CERT-000001", "{name}");
        let product_id = out["certificate"]["product_id"].as_i64().unwrap();
        labelled(&p.certifying(), &cert).await;
        user(
            s,
            "Macau Certification",
            OrgKind::Certifier,
            "m@cert.mo",
            Role::Editor,
        )
        .await;
        let other = login(api, "m@cert.mo").await;
        let url = format!("/desk/certification/certificates/{cert}");
        let form = format!("{url}/surveillance");

        // The dates: due on 1 January next year (after today, and before S-1, which the
        // issue scheduled twelve months on, so the visit recorded next is this one);
        // performed today (the certificate was issued today, so no earlier day is open).
        let now = zuji_store::now_ms() / 1000;
        let today = zuji_trust::certification::Timestamp(now).date();
        let year = today.year() + 1;
        let due = format!("{year}-01-01");

        // The list links to the certificate's page, which shows S-1 open.
        let c = get(api, "/desk/certification/certificates", Some(&p.body)).await;
        assert!(c.body.contains(&format!("href=\"{url}\"")), "{name}");
        let page = get(api, &format!("{url}?lang=en"), Some(&p.body)).await;
        assert_eq!(page.status, StatusCode::OK, "{name}: {}", page.body);
        assert!(page.body.contains("data-visit=\"S-1\""), "{name}");
        assert_eq!(
            testid_attr(&page.body, 0, "visit-outcome", "data-outcome").as_deref(),
            Some("open")
        );
        assert!(
            page.body
                .contains("<label for=\"due-by\">Due by (YYYY-MM-DD)</label>")
        );
        assert_eq!(visits(&p, &cert).await.len(), 1, "{name}");

        // Refused, named and nothing changed: a date in another format, no date, a date
        // past the validity, a visit that is not open, a nonconformity without findings.
        for (lang, fields, notice) in [
            (
                "en",
                vec![("action", "schedule_surveillance"), ("due_by", "01/01/2030")],
                "“Due by” must be a real date written YYYY-MM-DD (e.g. 2027-03-01), not “01/01/2030”.".to_string(),
            ),
            (
                "zh-Hans",
                vec![("action", "schedule_surveillance"), ("due_by", "2027-02-30")],
                "“截止日期”应为“年-月-日”格式的真实日期（例如 2027-03-01），而不是“2027-02-30”。".to_string(),
            ),
            (
                "zh-Hant",
                vec![("action", "schedule_surveillance"), ("due_by", " ")],
                "請填寫「截止日期」。".to_string(),
            ),
            (
                "en",
                vec![("action", "schedule_surveillance"), ("due_by", "2099-01-01")],
                format!(
                    "“Due by” must be before the certificate's validity ends ({}).",
                    written("en", today.year() + 2, today.month(), today.day())
                ),
            ),
            (
                "en",
                vec![
                    ("action", "record_surveillance"),
                    ("visit", "S-9"),
                    ("auditor", "Chan Tai Man"),
                    ("outcome", "satisfactory"),
                ],
                "“Visit”: this certificate has no open surveillance visit “S-9”.".to_string(),
            ),
            (
                "en",
                vec![
                    ("action", "record_surveillance"),
                    ("visit", "S-1"),
                    ("auditor", "Chan Tai Man"),
                    ("outcome", "nonconformity"),
                    ("findings", ""),
                ],
                "Please fill in “Findings”.".to_string(),
            ),
            (
                "en",
                vec![
                    ("action", "record_surveillance"),
                    ("visit", "S-1"),
                    ("auditor", "Chan Tai Man"),
                    ("outcome", "satisfactory"),
                    ("performed_on", "2020-01-01"),
                ],
                // Issued today: the visit can only have taken place today.
                format!(
                    "“Date performed” must be between the certificate's issue ({0}) and today ({0}).",
                    written("en", today.year(), today.month(), today.day())
                ),
            ),
        ] {
            let r = post_form(api, &format!("{form}?lang={lang}"), &p.body, &fields).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name} {fields:?}: {}",
                r.body
            );
            assert_eq!(
                testid(&r.body, "desk-notice").as_deref(),
                Some(notice.as_str()),
                "{name} {fields:?}"
            );
            assert_eq!(visits(&p, &cert).await.len(), 1, "{name} {fields:?}");
        }
        // Another certification body's user cannot see the certificate here, nor act.
        let r = get(api, &url, Some(&other)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{name}");
        let r = post_form(
            api,
            &form,
            &other,
            &[("action", "schedule_surveillance"), ("due_by", &due)],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{name}");
        let r = post_form(
            api,
            &form,
            &p.enterprise,
            &[("action", "schedule_surveillance"), ("due_by", &due)],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(visits(&p, &cert).await.len(), 1, "{name}");

        // Scheduled: S-2, due on the date entered.
        post_ok(
            api,
            &form,
            &p.body,
            &[("action", "schedule_surveillance"), ("due_by", &due)],
            &format!("{url}?done=schedule_surveillance"),
        )
        .await;
        let v = visits(&p, &cert).await;
        assert_eq!(v.len(), 2, "{name}");
        assert_eq!(v[1]["id"], "S-2");
        for lang in LANGS {
            let page = get(api, &format!("{url}?lang={lang}"), Some(&p.body)).await;
            let row = page.body.find("data-visit=\"S-2\"").unwrap();
            assert_eq!(
                testid_after(&page.body, row, "visit-due"),
                Some(written(lang, year, 1, 1)),
                "{name} {lang}"
            );
            assert_eq!(
                testid_after(&page.body, row, "visit-performed").as_deref(),
                Some("")
            );
            // The record form names the visit it fulfils.
            assert!(
                page.body.contains("<option value=\"S-2\">"),
                "{name} {lang}"
            );
        }
        let done = get(
            api,
            &format!("{url}?done=schedule_surveillance&lang=zh-Hans"),
            Some(&p.body),
        )
        .await;
        assert_eq!(
            testid(&done.body, "desk-notice").as_deref(),
            Some("监督审核已安排。")
        );

        // Recorded: performed today by the auditor entered, a nonconformity with findings.
        let findings = "Metering records for March are missing";
        post_ok(
            api,
            &form,
            &p.body,
            &[
                ("action", "record_surveillance"),
                ("visit", "S-2"),
                ("auditor", "Chan Tai Man"),
                ("outcome", "nonconformity"),
                ("findings", findings),
                ("performed_on", &today.to_string()),
            ],
            &format!("{url}?done=record_surveillance"),
        )
        .await;
        let v = visits(&p, &cert).await;
        assert_eq!(v[1]["auditor"], "Chan Tai Man", "{name}");
        assert_eq!(v[1]["outcome"]["outcome"], "nonconformity");
        assert_eq!(v[1]["outcome"]["description"], findings);
        assert!(v[0]["performed_at"].is_null(), "S-1 stays open");
        for (lang, outcome, public_outcome) in [
            ("zh-Hans", "不符合", format!("不符合：{findings}")),
            ("zh-Hant", "不符合", format!("不符合：{findings}")),
            ("en", "Nonconformity", format!("Nonconformity: {findings}")),
        ] {
            let today_text = written(lang, today.year(), today.month(), today.day());
            let due_text = written(lang, year, 1, 1);
            let page = get(api, &format!("{url}?lang={lang}"), Some(&p.body)).await;
            let row = page.body.find("data-visit=\"S-2\"").unwrap();
            assert_eq!(
                testid_after(&page.body, row, "visit-due"),
                Some(due_text.clone())
            );
            assert_eq!(
                testid_after(&page.body, row, "visit-performed"),
                Some(today_text.clone()),
                "{name} {lang}"
            );
            assert_eq!(
                testid_after(&page.body, row, "visit-auditor").as_deref(),
                Some("Chan Tai Man")
            );
            assert_eq!(
                testid_after(&page.body, row, "visit-outcome").as_deref(),
                Some(outcome)
            );
            assert_eq!(
                testid_after(&page.body, row, "visit-findings").as_deref(),
                Some(findings)
            );
            // The next record fulfils S-1.
            assert!(
                page.body.contains("<option value=\"S-1\">"),
                "{name} {lang}"
            );
            // The public product page, as the holder sees it, shows the visit.
            let public = get(
                api,
                &format!("/registry/products/{product_id}?lang={lang}"),
                Some(&p.enterprise),
            )
            .await;
            assert_eq!(public.status, StatusCode::OK, "{name} {lang}");
            assert!(
                public.body.contains(&format!(
                    "<tr><td>S-2</td><td>{due_text}</td><td>{today_text}</td><td>{public_outcome}</td></tr>"
                )),
                "{name} {lang}"
            );
        }

        // Withdrawn: surveillance is over; the form is refused and nothing changes.
        post_ok(
            api,
            &format!("/desk/certification/certificates/{cert}/actions"),
            &p.body,
            &[
                ("action", "withdraw"),
                ("reason", "nonconformity not corrected"),
            ],
            "/desk/certification/certificates?done=withdraw",
        )
        .await;
        let r = post_form(
            api,
            &format!("{form}?lang=en"),
            &p.body,
            &[("action", "schedule_surveillance"), ("due_by", &due)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(
            testid(&r.body, "desk-notice").as_deref(),
            Some(
                "This certificate is “Withdrawn”: surveillance can no longer be scheduled or recorded."
            )
        );
        assert!(
            !r.body.contains("name=\"due_by\""),
            "{name}: no form on a withdrawn certificate"
        );
        assert_eq!(visits(&p, &cert).await.len(), 2, "{name}");

        check_languages(api, &url, &p.body).await;
    }
}
