//! The enterprise workspace (`/app`) walked through its web routes, as the browser
//! would: an editor uploads the LFP battery-pack example as a new product, computes it
//! (a job; the job's page refreshes until the footprint is stored), reads the total,
//! and applies for certification with the product's PCR; the application page shows
//! "submitted" in all three languages. A malformed upload names its line and field and
//! creates nothing; a viewer is refused every change; another enterprise cannot see the
//! product; a reduction scenario and the comparison give the hand-computed difference;
//! every page is checked in the three languages for catalog keys shown raw.

mod common;

use axum::http::{Method, StatusCode};
use common::web::{Page, get, post_form, send, testid};
use common::{Api, drain, login, user};
use serde_json::Value;
use zuji_server::bootstrap;
use zuji_server::web::i18n::{format_number, parse_catalog, significant_decimals};
use zuji_store::{OrgKind, Role, Store};

const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");
const PCR: &str = "zuji:pcr:battery-pack:draft";
const LANGS: [&str; 3] = ["zh-Hans", "zh-Hant", "en"];

/// The LFP total worked by hand in `crates/cli/tests/examples.rs` from the example's
/// parameters and the zuji-default factors (the example file states 78.75):
/// cathode 1.998 kg × 12.66 = 25.29468; graphite 90.8 × 0.1836 = 16.67088;
/// electricity 90.8 × 0.3971 = 36.05668; road 5.8275 t·km × 0.12522 = 0.72971955.
const LFP_TOTAL: f64 = 25.29468 + 16.67088 + 36.05668 + 0.72971955;

const BOUNDARY: &str = "zuji-test-boundary-7d1c";

/// A multipart form: `(name, Some(file name), bytes)` for files, `None` for text.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, bytes) in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file {
            Some(f) => out.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => out.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

async fn post_multipart(api: &Api, uri: &str, token: &str, body: Vec<u8>) -> Page {
    send(
        api,
        Method::POST,
        uri,
        Some(token),
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        body,
    )
    .await
}

/// Every catalog key, and anything that looks like one of this area's keys, must not
/// appear on the page: a key shown raw is a missing translation.
fn assert_no_raw_keys(body: &str, what: &str) {
    let catalog = parse_catalog().expect("catalog");
    for key in catalog.keys() {
        assert!(
            !body.contains(&format!(">{key}<")) && !body.contains(&format!(" {key} ")),
            "{what}: raw catalog key {key}"
        );
    }
    // A `ws.` key missing from the catalog is shown as itself.
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(i) = body[from..].find("ws.") {
        let at = from + i;
        let before = if at == 0 { b' ' } else { bytes[at - 1] };
        let after = bytes.get(at + 3).copied().unwrap_or(b' ');
        assert!(
            before.is_ascii_alphanumeric()
                || matches!(before, b'.' | b'/' | b'-' | b'_')
                || !after.is_ascii_lowercase(),
            "{what}: raw key near {:?}",
            &body[at..body.len().min(at + 40)]
        );
        from = at + 3;
    }
}

/// A page in each language: 200, in that language, no raw keys.
async fn check_languages(api: &Api, path: &str, token: &str) {
    for lang in LANGS {
        let sep = if path.contains('?') { '&' } else { '?' };
        let p = get(api, &format!("{path}{sep}lang={lang}"), Some(token)).await;
        assert_eq!(p.status, StatusCode::OK, "{path} in {lang}: {}", p.body);
        assert!(
            p.body.contains(&format!("<html lang=\"{lang}\"")),
            "{path} in {lang}"
        );
        assert_no_raw_keys(&p.body, &format!("{path} ({lang})"));
    }
}

struct World {
    api: Api,
    editor: String,
    viewer: String,
    other: String,
    body_org: i64,
}

async fn world(s: &Store) -> World {
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
    user(
        s,
        "Dongguan Cells",
        OrgKind::Enterprise,
        "v@cells.cn",
        Role::Viewer,
    )
    .await;
    user(
        s,
        "Ningbo Rival",
        OrgKind::Enterprise,
        "o@rival.cn",
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
    let api = Api::new(s);
    World {
        editor: login(&api, "e@cells.cn").await,
        viewer: login(&api, "v@cells.cn").await,
        other: login(&api, "o@rival.cn").await,
        api,
        body_org,
    }
}

/// `/app/products/7` → 7.
fn id_after(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|r| r.split(['/', '?']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}<id>"))
}

async fn product_count(api: &Api, token: &str) -> u64 {
    let (status, page) = api.get("/products", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["total"].as_u64().unwrap()
}

/// Uploads the LFP example as a new product; returns its id.
async fn upload_lfp(w: &World) -> i64 {
    let p = post_multipart(
        &w.api,
        "/app/products/new",
        &w.editor,
        multipart(&[
            ("file", Some("lfp-battery-pack.toml"), LFP.as_bytes()),
            ("toml", None, b""),
            ("note", None, "first upload".as_bytes()),
        ]),
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    id_after(p.location.as_deref().unwrap(), "/app/products/")
}

/// Computes a product's latest version through the compute button; returns the footprint.
async fn compute(s: &Store, w: &World, product: i64) -> i64 {
    let p = post_form(
        &w.api,
        &format!("/app/products/{product}/compute"),
        &w.editor,
        &[("version", ""), ("gwp", "ar6"), ("monte_carlo", "0")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let job_url = p.location.unwrap();
    assert!(job_url.starts_with("/app/jobs/"), "{job_url}");
    // Until a worker runs it, the job's page says so and refreshes itself.
    let running = get(&w.api, &job_url, Some(&w.editor)).await;
    assert_eq!(running.status, StatusCode::OK, "{}", running.body);
    assert!(running.body.contains("data-refresh-seconds=\"2\""));
    assert!(testid(&running.body, "footprint-status").is_some());
    check_languages(&w.api, &job_url, &w.editor).await;
    drain(s).await;
    let done = get(&w.api, &job_url, Some(&w.editor)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    id_after(done.location.as_deref().unwrap(), "/app/footprints/")
}

#[tokio::test]
async fn enterprise_uploads_computes_and_applies() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let w = world(s).await;
        let api = &w.api;

        // Signed in, an enterprise starts at an empty dashboard.
        let dash = get(api, "/app?lang=en", Some(&w.editor)).await;
        assert_eq!(dash.status, StatusCode::OK, "{name}: {}", dash.body);
        assert_eq!(testid(&dash.body, "product-count").as_deref(), Some("0"));

        let product = upload_lfp(&w).await;
        let page = get(
            api,
            &format!("/app/products/{product}?lang=en"),
            Some(&w.editor),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{name}: {}", page.body);
        assert_eq!(
            testid(&page.body, "product-name").as_deref(),
            Some("LFP battery pack")
        );

        let fid = compute(s, &w, product).await;
        let (status, stored) = api
            .get(&format!("/footprints/{fid}"), Some(&w.editor))
            .await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        let total = stored["total"].as_f64().unwrap();
        // The engine agrees with the hand calculation…
        assert!(
            (total - LFP_TOTAL).abs() < 1e-6 * LFP_TOTAL,
            "{name}: {total} vs {LFP_TOTAL}"
        );
        // …and the page shows the stored total as the page's formatter writes it: two
        // decimals at this size (3 significant digits would give one).
        let decimals = significant_decimals(total, 3).max(2);
        let shown = format_number(total, decimals);
        assert_eq!(shown, "78.75", "{name}");
        for lang in LANGS {
            let f = get(
                api,
                &format!("/app/footprints/{fid}?lang={lang}"),
                Some(&w.editor),
            )
            .await;
            assert_eq!(f.status, StatusCode::OK, "{name} {lang}: {}", f.body);
            assert_eq!(
                testid(&f.body, "footprint-total").as_deref(),
                Some("78.75"),
                "{lang}"
            );
            assert!(f.body.contains("/app/footprints/"), "report links");
            assert!(
                f.body
                    .contains(&format!("/app/footprints/{fid}/report.pdf"))
            );
        }
        // The study report states the goal and electricity treatment of the example's
        // [study] table and the licence the bundled database's package states.
        let report = get(
            api,
            &format!("/app/footprints/{fid}/report?lang=en"),
            Some(&w.editor),
        )
        .await;
        assert_eq!(report.status, StatusCode::OK, "{name}: {}", report.body);
        for stated in [
            "Practitioners, verifiers and registry operators evaluating the platform",
            "location-based (grid average)",
            "no contractual instruments (GEC/I-REC) are claimed",
            "is licensed MIT OR Apache-2.0",
        ] {
            assert!(
                report.body.contains(stated),
                "{name}: report lacks {stated:?}"
            );
        }
        // The dashboard lists it with its total.
        let dash = get(api, "/app?lang=en", Some(&w.editor)).await;
        assert_eq!(testid(&dash.body, "product-count").as_deref(), Some("1"));
        assert!(dash.body.contains("data-testid=\"product-link\""));
        assert!(
            dash.body
                .contains(&format!("href=\"/app/footprints/{fid}\">78.75<"))
        );

        // Apply to the certification body with the product's PCR.
        let form = get(
            api,
            &format!("/app/applications/new?footprint_id={fid}&lang=en"),
            Some(&w.editor),
        )
        .await;
        assert_eq!(form.status, StatusCode::OK, "{name}: {}", form.body);
        assert!(form.body.contains("HK Certification"));
        assert!(form.body.contains(&format!("value=\"{PCR}\" selected")));
        let body_org = w.body_org.to_string();
        let fid_text = fid.to_string();
        let applied = post_form(
            api,
            "/app/applications",
            &w.editor,
            &[
                ("footprint_id", &fid_text),
                ("certification_body_org_id", &body_org),
                ("pcr_id", PCR),
                ("documents", ""),
            ],
        )
        .await;
        assert_eq!(
            applied.status,
            StatusCode::SEE_OTHER,
            "{name}: {}",
            applied.body
        );
        let app_url = applied.location.unwrap();
        assert_eq!(app_url, "/app/applications/APP-000001", "{name}");
        for (lang, status) in [
            ("zh-Hans", "已提交"),
            ("zh-Hant", "已提交"),
            ("en", "Submitted"),
        ] {
            let a = get(api, &format!("{app_url}?lang={lang}"), Some(&w.editor)).await;
            assert_eq!(a.status, StatusCode::OK, "{name} {lang}: {}", a.body);
            assert_eq!(
                testid(&a.body, "application-status").as_deref(),
                Some(status),
                "{lang}"
            );
            assert!(a.body.contains("HK Certification"));
        }
        let (_, app) = api
            .get("/certification/applications/APP-000001", Some(&w.editor))
            .await;
        assert_eq!(app["status"], "submitted", "{name}");
        assert_eq!(
            app["application"]["footprint_fingerprint"],
            stored["fingerprint"]
        );

        // Every page of the journey, in the three languages, shows no raw key.
        for path in [
            "/app".to_string(),
            "/app/products/new".to_string(),
            format!("/app/products/{product}"),
            format!("/app/products/{product}/versions/1"),
            format!("/app/products/{product}/versions/1/edit"),
            format!("/app/footprints/{fid}"),
            format!("/app/products/{product}/scenarios?q=electricity"),
            format!("/app/applications/new?footprint_id={fid}"),
            "/app/applications".to_string(),
            app_url.clone(),
            "/app/suppliers".to_string(),
            "/app/disclosure".to_string(),
        ] {
            check_languages(api, &path, &w.editor).await;
        }
    }
}

#[tokio::test]
async fn a_malformed_upload_names_its_place_and_creates_nothing() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    let w = world(s).await;
    let api = &w.api;

    // A syntax error: the line of the broken table header.
    let broken = "[product\nname = 1\n";
    let p = post_multipart(
        api,
        "/app/products/new?lang=en",
        &w.editor,
        multipart(&[("toml", None, broken.as_bytes())]),
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(
        p.body.contains("data-testid=\"upload-error\""),
        "{}",
        p.body
    );
    assert!(p.body.contains("line 1"), "{}", p.body);
    for lang in LANGS {
        let p = post_multipart(
            api,
            &format!("/app/products/new?lang={lang}"),
            &w.editor,
            multipart(&[("toml", None, broken.as_bytes())]),
        )
        .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_no_raw_keys(&p.body, &format!("upload error ({lang})"));
    }
    // The pasted text comes back for correction.
    assert!(p.body.contains("[product\nname = 1"), "{}", p.body);

    // A model error: an input linked to a process that does not exist, on a known line.
    let bad = LFP.replacen("{ process = \"cell-production\"", "{ process = \"nope\"", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("process = \"nope\""))
        .unwrap()
        + 1;
    let p = post_multipart(
        api,
        "/app/products/new?lang=en",
        &w.editor,
        multipart(&[("file", Some("lfp.toml"), bad.as_bytes())]),
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    let err_at = p
        .body
        .find("data-testid=\"upload-error\"")
        .expect("error list");
    let errors = &p.body[err_at..];
    assert!(
        errors.contains(&format!("upload.toml:{line}: process[0].inputs[0].process")),
        "line {line}: {errors}"
    );
    assert!(
        errors.contains("no process has the id &#39;nope&#39;")
            || errors.contains("no process has the id 'nope'"),
        "{errors}"
    );

    // An unknown file type is named.
    let p = post_multipart(
        api,
        "/app/products/new?lang=en",
        &w.editor,
        multipart(&[("file", Some("model.docx"), b"PK\x03\x04")]),
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("model.docx"), "{}", p.body);

    assert_eq!(product_count(api, &w.editor).await, 0);
    let dash = get(api, "/app", Some(&w.editor)).await;
    assert_eq!(testid(&dash.body, "product-count").as_deref(), Some("0"));

    // Editing: broken TOML shows its line and saves nothing; the form saves a version.
    let product = upload_lfp(&w).await;
    let edit_url = format!("/app/products/{product}/versions/1/edit?lang=en");
    let p = post_form(
        api,
        &edit_url,
        &w.editor,
        &[
            ("mode", "toml"),
            ("toml", "[product]\nname = \n"),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("data-testid=\"upload-error\""));
    assert!(p.body.contains("line 2"), "{}", p.body);
    let (_, versions) = api
        .get(&format!("/products/{product}/versions"), Some(&w.editor))
        .await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    // The structured form: an amount that names an unknown parameter is refused with its
    // field path; a number is saved as version 2.
    let p = post_form(
        api,
        &edit_url,
        &w.editor,
        &[("mode", "form"), ("in.0.1.amount", "no_such_parameter * 2")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("process[0].inputs[1].amount"), "{}", p.body);
    let p = post_form(
        api,
        &edit_url,
        &w.editor,
        &[
            ("mode", "form"),
            ("in.0.1.amount", "2000"),
            ("note", "shorter road leg"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/app/products/{product}/versions/2").as_str())
    );
    let (_, v2) = api
        .get(&format!("/products/{product}/versions/2"), Some(&w.editor))
        .await;
    let m: Value = serde_json::from_str(v2["model_json"].as_str().unwrap()).unwrap();
    assert_eq!(m["process"][0]["inputs"][1]["amount"], 2000.0);
    assert_eq!(v2["note"], "shorter road leg");

    // Downloads and the blank workbook.
    let toml = get(
        api,
        &format!("/app/products/{product}/versions/1/model.toml"),
        Some(&w.editor),
    )
    .await;
    assert_eq!(toml.status, StatusCode::OK);
    assert!(toml.content_type.starts_with("application/toml"));
    let back: zuji_model::product::ProductModel = toml::from_str(&toml.body).unwrap();
    let original: zuji_model::product::ProductModel = toml::from_str(LFP).unwrap();
    assert_eq!(back, original);
    let xlsx = send(
        api,
        Method::GET,
        "/app/template.xlsx",
        Some(&w.editor),
        None,
        Vec::new(),
    )
    .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.content_type.contains("spreadsheetml"),
        "{}",
        xlsx.content_type
    );
}

#[tokio::test]
async fn viewers_read_and_other_organisations_see_nothing() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    let w = world(s).await;
    let api = &w.api;
    let product = upload_lfp(&w).await;
    let fid = compute(s, &w, product).await;

    // The viewer reads…
    for path in [
        "/app".to_string(),
        format!("/app/products/{product}"),
        format!("/app/footprints/{fid}"),
    ] {
        let p = get(api, &path, Some(&w.viewer)).await;
        assert_eq!(p.status, StatusCode::OK, "{path}: {}", p.body);
    }
    // …without the buttons that change anything, and every change is refused, in the
    // page's language.
    let p = get(api, &format!("/app/products/{product}"), Some(&w.viewer)).await;
    assert!(!p.body.contains("data-testid=\"compute\""));
    let refused = [
        post_multipart(
            api,
            "/app/products/new?lang=en",
            &w.viewer,
            multipart(&[("file", Some("lfp.toml"), LFP.as_bytes())]),
        )
        .await,
        post_form(
            api,
            &format!("/app/products/{product}/compute?lang=en"),
            &w.viewer,
            &[],
        )
        .await,
        post_form(
            api,
            "/app/applications?lang=en",
            &w.viewer,
            &[("footprint_id", &fid.to_string()), ("pcr_id", PCR)],
        )
        .await,
        post_form(
            api,
            &format!("/app/disclosure/{product}?lang=en"),
            &w.viewer,
            &[("disclosed", "true")],
        )
        .await,
        get(api, "/app/products/new?lang=en", Some(&w.viewer)).await,
    ];
    for p in refused {
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{}", p.body);
        assert!(
            p.body.contains("Only editors and administrators"),
            "{}",
            p.body
        );
    }
    let zh = post_form(
        api,
        &format!("/app/products/{product}/compute?lang=zh-Hans"),
        &w.viewer,
        &[],
    )
    .await;
    assert_eq!(zh.status, StatusCode::FORBIDDEN);
    assert!(zh.body.contains("只有编辑或管理员"), "{}", zh.body);
    assert_eq!(product_count(api, &w.editor).await, 1);

    // Another enterprise: not found, even once the product is disclosed.
    let disclosed = post_form(
        api,
        &format!("/app/disclosure/{product}"),
        &w.editor,
        &[("disclosed", "true")],
    )
    .await;
    assert_eq!(
        disclosed.status,
        StatusCode::SEE_OTHER,
        "{}",
        disclosed.body
    );
    for path in [
        format!("/app/products/{product}"),
        format!("/app/products/{product}/versions/1"),
        format!("/app/footprints/{fid}"),
        format!("/app/products/{product}/scenarios"),
    ] {
        let p = get(api, &path, Some(&w.other)).await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{path}: {}", p.body);
    }
    let p = post_form(
        api,
        &format!("/app/products/{product}/compute"),
        &w.other,
        &[],
    )
    .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);
    let other_dash = get(api, "/app?lang=en", Some(&w.other)).await;
    assert_eq!(
        testid(&other_dash.body, "product-count").as_deref(),
        Some("0")
    );

    // The public is sent to sign in; a certification body is refused.
    let anon = get(api, "/app/products/new", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anon.location.as_deref(),
        Some("/login?next=%2Fapp%2Fproducts%2Fnew")
    );
    let body = login(api, "b@cert.hk").await;
    let p = get(api, "/app", Some(&body)).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_greener_electricity_scenario_is_compared_side_by_side() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    let w = world(s).await;
    let api = &w.api;
    let product = upload_lfp(&w).await;
    compute(s, &w, product).await;

    // The cell plant's electricity (process[1].inputs[2]) switched from the CN 2023 to the
    // CN 2024 life-cycle factor, found by the search.
    let form = get(
        api,
        &format!(
            "/app/products/{product}/scenarios?q=national%2F2024%2Ffootprint&input=1.2&lang=en"
        ),
        Some(&w.editor),
    )
    .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body
            .contains("value=\"electricity/cn/national/2024/footprint\""),
        "{}",
        form.body
    );
    let p = post_form(
        api,
        &format!("/app/products/{product}/scenarios"),
        &w.editor,
        &[
            ("base", "1"),
            ("input", "1.2"),
            ("dataset_choice", "electricity/cn/national/2024/footprint"),
            ("dataset", ""),
            ("amount", ""),
            ("pcf", ""),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let compare_url = p.location.unwrap();
    assert_eq!(
        compare_url,
        format!("/app/products/{product}/compare?va=1&vb=2")
    );
    let waiting = get(api, &compare_url, Some(&w.editor)).await;
    assert_eq!(waiting.status, StatusCode::OK);
    assert!(
        waiting.body.contains("data-refresh-seconds=\"2\""),
        "{}",
        waiting.body
    );
    check_languages(api, &compare_url, &w.editor).await;
    drain(s).await;
    let page = get(api, &format!("{compare_url}&lang=en"), Some(&w.editor)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    // By hand: the plant uses 90.8 × 0.3971 / 0.6205 kWh; the 2024 factor is 0.5777
    // kg CO2e/kWh (zuji-default), so the total changes by kWh × (0.5777 − 0.6205).
    let kwh = 90.8 * 0.3971 / 0.6205;
    let expected_b = LFP_TOTAL - 36.05668 + kwh * 0.5777;
    let diff = expected_b - LFP_TOTAL;
    let (_, fps) = api
        .get(&format!("/products/{product}/footprints"), Some(&w.editor))
        .await;
    let newest = fps["items"][0]["total"].as_f64().unwrap();
    assert!(
        (newest - expected_b).abs() < 1e-6 * expected_b,
        "{newest} vs {expected_b}"
    );
    assert_eq!(testid(&page.body, "compare-a").as_deref(), Some("78.75"));
    assert_eq!(
        testid(&page.body, "compare-b").as_deref(),
        Some(format_number(expected_b, 2).as_str())
    );
    assert_eq!(
        testid(&page.body, "compare-diff").as_deref(),
        Some(format_number(diff, significant_decimals(diff, 3)).as_str())
    );
    assert!(
        page.body.contains(
            "electricity/cn/national/2023/footprint → electricity/cn/national/2024/footprint"
        ),
        "{}",
        page.body
    );
    check_languages(api, &compare_url, &w.editor).await;
    check_languages(api, &format!("/app/products/{product}"), &w.editor).await;
}

#[tokio::test]
async fn uncertainty_disclosure_and_a_partners_request() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    let w = world(s).await;
    let api = &w.api;
    let product = upload_lfp(&w).await;
    let fid = compute(s, &w, product).await;

    // Recompute with 200 Monte Carlo draws: a new footprint whose page shows them.
    let p = post_form(
        api,
        &format!("/app/footprints/{fid}/uncertainty"),
        &w.editor,
        &[("iterations", "200"), ("seed", "7")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let job = p.location.unwrap();
    drain(s).await;
    let done = get(api, &job, Some(&w.editor)).await;
    let mc_url = done.location.expect("footprint");
    let mc_id = id_after(&mc_url, "/app/footprints/");
    assert_ne!(mc_id, fid);
    let page = get(api, &format!("{mc_url}?lang=en"), Some(&w.editor)).await;
    let mc = testid(&page.body, "monte-carlo").map(|_| {
        let at = page.body.find("data-testid=\"monte-carlo\"").unwrap();
        page.body[at..at + 600].to_string()
    });
    let mc = mc.expect("a Monte Carlo summary");
    assert!(mc.contains("<dd>200 (Seed 7)</dd>"), "{mc}");
    let (_, stored) = api
        .get(&format!("/footprints/{mc_id}"), Some(&w.editor))
        .await;
    assert_eq!(stored["result"]["monte_carlo"]["iterations"], 200);
    // The deterministic total does not depend on the draws.
    assert_eq!(
        testid(&page.body, "footprint-total").as_deref(),
        Some("78.75")
    );
    // Too many draws are refused with the field named.
    let p = post_form(
        api,
        &format!("/app/footprints/{fid}/uncertainty?lang=en"),
        &w.editor,
        &[("iterations", "100001")],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("Monte Carlo iterations"), "{}", p.body);

    // Disclosure: the page's button discloses; the API agrees; the page says so.
    let p = post_form(
        api,
        &format!("/app/disclosure/{product}"),
        &w.editor,
        &[("disclosed", "true")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let (_, prod) = api.get(&format!("/products/{product}"), None).await;
    assert_eq!(prod["disclosed"], true, "{prod}");
    let page = get(api, "/app/disclosure?lang=en", Some(&w.editor)).await;
    assert_eq!(
        testid(&page.body, "disclosure-state").as_deref(),
        Some("Public")
    );
    let p = post_form(
        api,
        &format!("/app/disclosure/{product}"),
        &w.editor,
        &[("disclosed", "false")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let (status, _) = api.get(&format!("/products/{product}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A partner's PACT request: listed open, then rejected with a reason from the page.
    let org = s.org_by_name("Dongguan Cells").await.unwrap().id;
    let client = s
        .create_api_client(
            &zuji_store::Viewer::System,
            org,
            "buyer",
            &[zuji_store::Scope::Read],
            true,
        )
        .await
        .unwrap();
    let caller = zuji_store::PactCaller {
        org_id: org,
        api_client_id: client.client.id,
    };
    let criteria = serde_json::json!({"productId": ["urn:gtin:6901234567892"]});
    let request = s
        .record_pact_request(
            &caller,
            "evt-1",
            "https://buyer.example",
            "3",
            &criteria,
            Some("Q3 tender"),
        )
        .await
        .unwrap();
    let page = get(api, "/app/suppliers?lang=en", Some(&w.editor)).await;
    assert_eq!(
        testid(&page.body, "pact-request-status").as_deref(),
        Some("Open")
    );
    assert!(page.body.contains("urn:gtin:6901234567892"));
    let dash = get(api, "/app?lang=en", Some(&w.editor)).await;
    assert_eq!(
        testid(&dash.body, "open-pact-requests").as_deref(),
        Some("1")
    );
    let p = post_form(
        api,
        &format!("/app/suppliers/requests/{}/reject", request.id),
        &w.editor,
        &[("code", "NotFound"), ("message", "no such product")],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let page = get(api, "/app/suppliers?lang=zh-Hant", Some(&w.editor)).await;
    assert_eq!(
        testid(&page.body, "pact-request-status").as_deref(),
        Some("已拒絕")
    );
    let (_, requests) = api.get("/pact/requests", Some(&w.editor)).await;
    assert_eq!(requests[0]["status"], "rejected", "{requests}");
    assert_eq!(
        requests[0]["answer"]["message"], "no such product",
        "{requests}"
    );
}
