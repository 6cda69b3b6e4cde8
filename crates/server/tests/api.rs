//! The REST API end to end on both backends, and its authorisation matrix: every
//! endpoint × every role × own/other organisation, from one table that must cover every
//! operation of the OpenAPI document.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Api, PASSWORD, drain, login, user};
use serde_json::{Value, json};
use tower::ServiceExt;
use zuji_server::{AppState, ServerConfig, app, bootstrap};
use zuji_store::{OrgKind, Role, Viewer};

const BRACKET: &str = include_str!("../../../examples/steel-bracket-worked-example.toml");
const COIL: &str = include_str!("../../../examples/hot-rolled-steel-coil.toml");

#[tokio::test]
async fn products_versions_calculations_and_disclosure() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        bootstrap::ensure_default_database(s).await.unwrap();
        user(
            s,
            "Bracket Works",
            OrgKind::Enterprise,
            "a@bracket.cn",
            Role::Editor,
        )
        .await;
        let api = Api::new(s);
        let token = login(&api, "a@bracket.cn").await;
        let tok = Some(token.as_str());

        // A broken model is refused with its line, and nothing is stored.
        let (status, err) = api
            .call(
                Method::POST,
                "/products?format=toml",
                tok,
                "application/toml",
                b"[product\nname = 1".to_vec(),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["field"].as_str().unwrap().starts_with("line "), "{err}");
        let (_, list) = api.json(Method::GET, "/products", tok, Value::Null).await;
        assert_eq!(list["total"], 0);

        let (status, created) = api
            .call(
                Method::POST,
                "/products",
                tok,
                "application/toml",
                BRACKET.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let pid = created["product"]["id"].as_i64().unwrap();
        assert_eq!(created["version"]["version"], 1);

        // Calculate: the worked example of docs/product-model.md, 2.454438 kg CO2e by hand.
        let (status, job) = api
            .json(
                Method::POST,
                &format!("/products/{pid}/footprints"),
                tok,
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        assert_eq!(job["status"], "queued");
        drain(s).await;
        let (_, job) = api
            .json(
                Method::GET,
                &format!("/jobs/{}", job["id"]),
                tok,
                Value::Null,
            )
            .await;
        assert_eq!(job["status"], "succeeded", "{job}");
        let fid = job["result"]["footprint_id"].as_i64().unwrap();
        let (_, f) = api
            .json(Method::GET, &format!("/footprints/{fid}"), tok, Value::Null)
            .await;
        let total = f["total"].as_f64().unwrap();
        assert!((total - 2.454438).abs() < 1e-9, "{} total {total}", t.name);
        assert_eq!(f["result"]["total"].as_f64(), Some(total));
        assert_eq!(f["model_version"], 1);
        assert_eq!(
            f["database_version_ids"].as_array().unwrap().len(),
            1,
            "points at the database version it used"
        );
        let (status, tree) = api
            .json(
                Method::GET,
                &format!("/footprints/{fid}/tree"),
                tok,
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(tree.is_object());

        // A second version: 1.8 MJ of electricity becomes 3.6 MJ; the diff names it.
        let v2 = BRACKET.replacen(
            "amount = 1.8, unit = \"MJ\"",
            "amount = 3.6, unit = \"MJ\"",
            1,
        );
        assert_ne!(v2, BRACKET);
        let (status, _) = api
            .call(
                Method::POST,
                &format!("/products/{pid}/versions?note=more%20power"),
                tok,
                "application/toml",
                v2.into_bytes(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, d) = api
            .json(
                Method::GET,
                &format!("/products/{pid}/diff?from=1&to=2"),
                tok,
                Value::Null,
            )
            .await;
        let changes = d["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{d}");
        assert_eq!(
            (changes[0]["old"].as_f64(), changes[0]["new"].as_f64()),
            (Some(1.8), Some(3.6))
        );
        assert!(
            changes[0]["path"].as_str().unwrap().ends_with(".amount"),
            "{d}"
        );

        // The public sees nothing until disclosure, then only the summary.
        let (status, _) = api
            .json(
                Method::GET,
                &format!("/footprints/{fid}"),
                None,
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = api
            .json(
                Method::POST,
                &format!("/products/{pid}/disclosure"),
                tok,
                json!({"disclosed": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, public) = api
            .json(
                Method::GET,
                &format!("/footprints/{fid}"),
                None,
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(public["summary_only"], true);
        assert!(
            public["result"].get("items").is_none() && public["result"].get("by_process").is_none()
        );
        let (status, _) = api
            .json(
                Method::GET,
                &format!("/footprints/{fid}/tree"),
                None,
                Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A new version of the default database makes the footprint stale; recalculating
        // it stores a new footprint on the new version.
        let mut newer = zuji_formats::default_db::default_database().unwrap();
        newer.meta.version = "2099.1-test".into();
        let package = zuji_formats::tabular::write_tabular_zip(&newer).unwrap();
        user(
            s,
            "Registry",
            OrgKind::Registry,
            "r@registry.cn",
            Role::Editor,
        )
        .await;
        let registry = login(&api, "r@registry.cn").await;
        let (status, job) = api
            .call(
                Method::POST,
                "/databases/zuji-default/versions?format=tabular",
                Some(&registry),
                "application/zip",
                package,
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        drain(s).await;
        let (_, dbs) = api
            .json(
                Method::GET,
                "/databases?name=zuji-default",
                None,
                Value::Null,
            )
            .await;
        assert_eq!(dbs.as_array().unwrap().len(), 2, "{dbs}");
        let (_, stale) = api
            .json(Method::GET, "/footprints/stale", tok, Value::Null)
            .await;
        assert_eq!(stale.as_array().unwrap().len(), 1, "{stale}");
        let (status, jobs) = api
            .json(Method::POST, "/footprints/recalculate", tok, Value::Null)
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        assert_eq!(jobs.as_array().unwrap().len(), 1);
        drain(s).await;
        let (_, stale) = api
            .json(Method::GET, "/footprints/stale", tok, Value::Null)
            .await;
        assert_eq!(stale.as_array().unwrap().len(), 0, "{} {stale}", t.name);
        let (_, all) = api
            .json(
                Method::GET,
                &format!("/products/{pid}/footprints"),
                tok,
                Value::Null,
            )
            .await;
        assert_eq!(all["total"], 2);

        // A bad database name is refused at once, before any job.
        let (status, err) = api
            .call(
                Method::POST,
                "/databases/no%20spaces/versions?format=tabular",
                Some(&registry),
                "application/zip",
                b"PK".to_vec(),
            )
            .await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("name")),
            "{err}"
        );
        // A package that is not one fails with its reason, after its attempts.
        let (_, job) = api
            .call(
                Method::POST,
                "/databases/broken/versions?format=tabular",
                Some(&registry),
                "application/zip",
                b"not a zip".to_vec(),
            )
            .await;
        for _ in 0..3 {
            drain(s).await;
            tokio::time::sleep(std::time::Duration::from_millis(1100 * 3)).await;
        }
        drain(s).await;
        let (_, job) = api
            .json(
                Method::GET,
                &format!("/jobs/{}", job["id"]),
                Some(&registry),
                Value::Null,
            )
            .await;
        assert_eq!(job["status"], "failed", "{job}");
        assert!(job["last_error"].as_str().unwrap().contains("zip"), "{job}");
    }
}

#[tokio::test]
async fn client_credentials_tokens_and_error_bodies() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    let org = user(
        s,
        "ERP Co",
        OrgKind::Enterprise,
        "admin@erp.cn",
        Role::Admin,
    )
    .await;
    let issued = s
        .create_api_client(
            &Viewer::System,
            org,
            "erp",
            &[zuji_store::Scope::Read],
            false,
        )
        .await
        .unwrap();
    let api = Api::new(s);
    let basic = |id: &str, secret: &str| {
        let raw = format!("{id}:{secret}");
        // RFC 4648 base64, written out to keep the test free of the code under test.
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in raw.as_bytes().chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for i in 0..4 {
                out.push(if i <= chunk.len() {
                    T[(n >> (18 - 6 * i) & 63) as usize] as char
                } else {
                    '='
                });
            }
        }
        format!("Basic {out}")
    };
    let token_req = |auth: String| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/token")
            .header("authorization", auth)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("grant_type=client_credentials"))
            .unwrap()
    };
    let resp = api
        .router
        .clone()
        .oneshot(token_req(basic(&issued.client.client_id, "wrong")))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = serde_json::from_slice(
        &axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["code"], "invalid_client");
    let resp = api
        .router
        .clone()
        .oneshot(token_req(basic(&issued.client.client_id, &issued.secret)))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = serde_json::from_slice(
        &axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (body["token_type"].as_str(), body["scope"].as_str()),
        (Some("Bearer"), Some("read"))
    );
    let access = body["access_token"].as_str().unwrap();
    let (status, me) = api
        .json(Method::GET, "/me", Some(access), Value::Null)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["org"]["name"], "ERP Co");
    // Read-only: writing is forbidden, with the error body's shape.
    let (status, err) = api
        .call(
            Method::POST,
            "/products?format=toml",
            Some(access),
            "application/toml",
            BRACKET.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(err["code"], "forbidden");
    assert!(err["message"].as_str().unwrap().contains("write"));
    // A bad token is 401 with the body; unknown routes and bad ids are 404 / 400.
    let (status, err) = api
        .json(Method::GET, "/me", Some("zs_nope"), Value::Null)
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
    let (status, err) = api
        .json(Method::GET, "/products/not-a-number", None, Value::Null)
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    assert!(
        err["message"].as_str().unwrap().contains("product_id")
            || err["message"].as_str().unwrap().contains("parse"),
        "{err}"
    );
    let (status, err) = api
        .call(
            Method::POST,
            "/auth/login",
            None,
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(
        (status, err["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request")),
        "{err}"
    );
    let (status, err) = api
        .json(Method::GET, "/products?sort=password", None, Value::Null)
        .await;
    assert_eq!(
        (status, err["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("sort"))
    );
}

/// Models arrive as TOML, JSON or an xlsx workbook, and all three give the same model.
#[tokio::test]
async fn models_upload_as_toml_json_and_xlsx() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    user(s, "A", OrgKind::Enterprise, "a@a.cn", Role::Editor).await;
    let api = Api::new(s);
    let token = login(&api, "a@a.cn").await;
    let loaded = zuji_formats::product_model::parse_product_model(
        BRACKET,
        zuji_formats::product_model::ModelFormat::Toml,
        "b.toml",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("bracket.xlsx");
    zuji_formats::xlsx::write_model_xlsx(&xlsx, &loaded.model).unwrap();
    let uploads: [(&str, &str, Vec<u8>); 3] = [
        ("/products", "application/toml", BRACKET.as_bytes().to_vec()),
        (
            "/products",
            "application/json",
            zuji_formats::product_model::to_json(&loaded.model).into_bytes(),
        ),
        (
            "/products?format=xlsx",
            "application/octet-stream",
            std::fs::read(&xlsx).unwrap(),
        ),
    ];
    let mut stored = Vec::new();
    for (uri, ct, body) in uploads {
        let (status, created) = api.call(Method::POST, uri, Some(&token), ct, body).await;
        assert_eq!(status, StatusCode::CREATED, "{uri} {ct}: {created}");
        let model: Value =
            serde_json::from_str(created["version"]["model_json"].as_str().unwrap()).unwrap();
        stored.push((
            created["version"]["source_format"]
                .as_str()
                .unwrap()
                .to_string(),
            model,
        ));
    }
    assert_eq!(
        stored.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        ["toml", "json", "xlsx"]
    );
    assert_eq!(stored[0].1, stored[1].1);
    assert_eq!(
        stored[0].1, stored[2].1,
        "the workbook gives the TOML's model"
    );
    // A workbook with a wrong cell names it.
    let (status, err) = api
        .call(
            Method::POST,
            "/validate?format=xlsx",
            None,
            "application/octet-stream",
            b"PK\x03\x04 broken".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    // The landing page speaks the three languages.
    let resp = api
        .router
        .clone()
        .oneshot(Request::builder().uri("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let html = String::from_utf8(
        axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    for lang in ["lang=\"zh-Hans\"", "lang=\"zh-Hant\"", "lang=\"en\""] {
        assert!(html.contains(lang), "{lang}");
    }
}

/// Public reads are served from memory for a moment; signed-in reads never are.
#[tokio::test]
async fn public_reads_are_cached_briefly_and_signed_in_reads_never() {
    let t = zuji_store::testing::sqlite().await;
    let s = &t.store;
    user(s, "A", OrgKind::Enterprise, "a@a.cn", Role::Editor).await;
    let config = ServerConfig {
        public_cache_ttl: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let router = app(AppState::new(s.clone(), &config), &config);
    let get = |auth: Option<String>| {
        let mut r = Request::builder().uri("/api/v1/products");
        if let Some(t) = auth {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.body(Body::empty()).unwrap()
    };
    let cache_of = |r: &axum::response::Response| {
        r.headers()
            .get("x-cache")
            .map(|v| v.to_str().unwrap().to_string())
    };
    let first = router.clone().oneshot(get(None)).await.unwrap();
    assert_eq!(cache_of(&first).as_deref(), Some("miss"));
    let second = router.clone().oneshot(get(None)).await.unwrap();
    assert_eq!(cache_of(&second).as_deref(), Some("hit"));
    let body: Value = serde_json::from_slice(
        &axum::body::to_bytes(second.into_body(), 1 << 20)
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["total"], 0);
    let api = Api {
        router: router.clone(),
    };
    let token = login(&api, "a@a.cn").await;
    let signed_in = router.clone().oneshot(get(Some(token))).await.unwrap();
    assert_eq!(cache_of(&signed_in), None);
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    let later = router.clone().oneshot(get(None)).await.unwrap();
    assert_eq!(
        cache_of(&later).as_deref(),
        Some("miss"),
        "expired after its time to live"
    );
}

/// Expected status per caller, in the order of [`CALLERS`].
struct Case {
    method: Method,
    /// The OpenAPI path template; `{…}` are filled from the fixture.
    path: &'static str,
    query: &'static str,
    body: &'static str,
    expect: [u16; 6],
}

/// Enterprise A admin, enterprise A viewer, enterprise B admin (another tenant),
/// certification body admin (not granted), registry admin, the public.
const CALLERS: [&str; 6] = [
    "a-admin",
    "a-viewer",
    "b-admin",
    "certifier",
    "registry",
    "anonymous",
];

fn cases() -> Vec<Case> {
    use Method as M;
    let c = |method: Method, path, query, body, expect| Case {
        method,
        path,
        query,
        body,
        expect,
    };
    vec![
        c(
            M::POST,
            "/auth/login",
            "",
            "LOGIN",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::POST,
            "/auth/logout",
            "",
            "",
            [204, 204, 204, 204, 204, 204],
        ),
        c(
            M::POST,
            "/auth/token",
            "",
            "FORM",
            [401, 401, 401, 401, 401, 401],
        ),
        c(M::GET, "/me", "", "", [200, 200, 200, 200, 200, 401]),
        c(M::GET, "/orgs", "", "", [200, 200, 200, 200, 200, 401]),
        c(
            M::POST,
            "/orgs",
            "",
            r#"{"name":"New org CALLER","kind":"enterprise"}"#,
            [403, 403, 403, 403, 201, 401],
        ),
        c(
            M::GET,
            "/orgs/{org_id}",
            "",
            "",
            [200, 200, 404, 404, 200, 401],
        ),
        c(
            M::GET,
            "/orgs/{org_id}/users",
            "",
            "",
            [200, 403, 404, 404, 200, 401],
        ),
        c(
            M::POST,
            "/orgs/{org_id}/users",
            "",
            r#"{"email":"new-CALLER@a.cn","role":"viewer","password":"a long enough password"}"#,
            [201, 403, 404, 404, 201, 401],
        ),
        c(
            M::GET,
            "/orgs/{org_id}/api-clients",
            "",
            "",
            [200, 403, 404, 404, 200, 401],
        ),
        c(
            M::POST,
            "/orgs/{org_id}/api-clients",
            "",
            r#"{"name":"x","scopes":["read"]}"#,
            [201, 403, 404, 404, 201, 401],
        ),
        c(
            M::DELETE,
            "/orgs/{org_id}/api-clients/{client_id}",
            "",
            "",
            [204, 403, 404, 404, 204, 401],
        ),
        c(M::GET, "/audit", "", "", [200, 403, 200, 200, 200, 401]),
        c(
            M::POST,
            "/validate",
            "?format=toml",
            "MODEL",
            [200, 200, 200, 200, 200, 200],
        ),
        c(M::GET, "/products", "", "", [200, 200, 200, 200, 200, 200]),
        c(
            M::POST,
            "/products",
            "?format=toml",
            "MODEL",
            [201, 403, 201, 403, 403, 401],
        ),
        c(
            M::GET,
            "/products/{product_id}",
            "",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::POST,
            "/products/{product_id}/disclosure",
            "",
            r#"{"disclosed":false}"#,
            [200, 403, 404, 404, 404, 401],
        ),
        c(
            M::POST,
            "/products/{product_id}/grants",
            "",
            r#"{"org_id":ORG,"purpose":"pact"}"#,
            [204, 403, 404, 404, 404, 401],
        ),
        c(
            M::DELETE,
            "/products/{product_id}/grants/{org_id}",
            "",
            "",
            [204, 403, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/products/{product_id}/versions",
            "",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::POST,
            "/products/{product_id}/versions",
            "?format=toml",
            "MODEL",
            [201, 403, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/products/{product_id}/versions/{version}",
            "",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/products/{product_id}/diff",
            "?from=1&to=1",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::POST,
            "/products/{product_id}/footprints",
            "",
            "{}",
            [202, 403, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/products/{product_id}/footprints",
            "",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/footprints/stale",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::POST,
            "/footprints/recalculate",
            "",
            "",
            [202, 403, 202, 202, 202, 401],
        ),
        c(
            M::GET,
            "/footprints/{footprint_id}",
            "",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/footprints/{footprint_id}/tree",
            "",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(M::GET, "/jobs", "", "", [200, 200, 200, 200, 200, 401]),
        c(
            M::GET,
            "/jobs/{job_id}",
            "",
            "",
            [200, 200, 404, 404, 200, 401],
        ),
        c(M::GET, "/databases", "", "", [200, 200, 200, 200, 200, 200]),
        c(
            M::GET,
            "/databases/activities",
            "?q=steel",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/databases/versions/{version_id}",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/databases/versions/{version_id}/activities/{activity_id}",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::POST,
            "/databases/{name}/versions",
            "?format=tabular",
            "ZIP",
            [403, 403, 403, 403, 202, 401],
        ),
        // PACT in the workspace: only the owner publishes its footprint (the registry
        // may read it but not publish it as its own).
        c(
            M::POST,
            "/pact/footprints",
            "",
            r#"{"footprint_id": FID, "product_ids": ["urn:gtin:4006381333931"], "fossil_carbon_content": 0, "exempted_emissions_percent": 0, "product_mass_per_declared_unit": 0.8}"#,
            [201, 403, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/pact/footprints",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::POST,
            "/pact/footprints/{pf_id}/sharing",
            "",
            r#"{"shared_with_all": true}"#,
            [404, 403, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/pact/requests",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::POST,
            "/pact/requests/{id}/fulfil",
            "",
            r#"{"pf_ids": ["x"]}"#,
            [404, 403, 404, 404, 404, 401],
        ),
        c(
            M::POST,
            "/pact/requests/{id}/reject",
            "",
            r#"{"message": "no such product"}"#,
            [404, 403, 404, 404, 404, 401],
        ),
        c(
            M::POST,
            "/pact/partners",
            "",
            r#"{"name": "partner of CALLER", "base_url": "https://pact.partner.example"}"#,
            [201, 403, 201, 201, 201, 401],
        ),
        c(
            M::GET,
            "/pact/partners",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::POST,
            "/pact/partners/{id}/fetch",
            "",
            "{}",
            [404, 404, 404, 404, 404, 401],
        ),
        c(
            M::POST,
            "/pact/partners/{id}/requests",
            "",
            r#"{"productId": ["urn:gtin:4006381333931"]}"#,
            [404, 403, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/pact/supplier-footprints",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::GET,
            "/pact/supplier-footprints/affected",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::POST,
            "/products/{product_id}/supplier-links",
            "",
            r#"{"pf_id": "3a6c14a7-4deb-498a-b5ea-16ce2535b576", "process": "bracket", "replaces_dataset": "electricity/cn/national/2023/footprint"}"#,
            [404, 404, 404, 404, 404, 401],
        ),
        // The trust layer. PCRs, the adopted-standards list and benchmarks are public to
        // read; only the registry publishes.
        c(M::GET, "/pcrs", "", "", [200, 200, 200, 200, 200, 200]),
        c(
            M::GET,
            "/pcrs/{pcr_id}",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/pcrs/{pcr_id}/benchmarks",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::POST,
            "/benchmarks",
            "",
            r#"{"pcr_id": "zuji:pcr:steel-hot-rolled-coil:draft", "pcr_version": "0.1.0", "period": "2025", "version": 1, "unit": "1 t", "values": {"default": 2400.0, "average": 2100.0, "advanced": 1900.0}, "method": {"method": "policy", "source": "matrix policy"}, "sample_size": null, "statistics": null, "source": "matrix policy", "published_at": "2026-11-21"}"#,
            [403, 403, 403, 403, 201, 401],
        ),
        // After the registry's publication above.
        c(
            M::GET,
            "/pcrs/{pcr_id}/benchmarks/latest",
            "?period=2025",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/adopted-standards",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/adopted-standards/versions",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::POST,
            "/adopted-standards",
            "",
            r#"{"published": "2026-12-01", "changes": [{"change": "adopt", "code": "MATRIX-1", "title": {"zh-Hans": "矩阵", "zh-Hant": "矩陣", "en": "Matrix"}, "issuer": "test", "status": "adopted", "adopted_on": "2026-12-01", "source": "test"}]}"#,
            [403, 403, 403, 403, 201, 401],
        ),
        // Certification: an enterprise applies for its own footprint; the application is
        // seen by the parties and the registry; the body reviews it.
        c(
            M::POST,
            "/certification/applications",
            "",
            r#"{"footprint_id": COIL_FOOTPRINT, "certification_body_org_id": CB_BODY, "pcr_id": "zuji:pcr:steel-hot-rolled-coil:draft"}"#,
            [201, 403, 404, 403, 403, 401],
        ),
        c(
            M::GET,
            "/certification/applications",
            "",
            "",
            [200, 200, 200, 200, 200, 401],
        ),
        c(
            M::GET,
            "/certification/applications/{id}",
            "",
            "",
            [200, 200, 404, 200, 200, 401],
        ),
        c(
            M::POST,
            "/certification/applications/{id}/actions",
            "",
            r#"{"action": "start_document_review"}"#,
            [403, 403, 404, 200, 403, 401],
        ),
        // Certificates are public to read; none is issued in this fixture.
        c(
            M::GET,
            "/certificates",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/certificates/{id}",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
        c(
            M::POST,
            "/certificates/{id}/actions",
            "",
            r#"{"action": "suspend", "reason": "matrix"}"#,
            [404, 404, 404, 404, 404, 401],
        ),
        c(
            M::GET,
            "/certificates/{id}/status",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
        // The body's recomputation of the application it is reviewing (started above).
        c(
            M::POST,
            "/certification/applications/{id}/verification",
            "",
            "",
            [403, 403, 404, 202, 403, 401],
        ),
        c(
            M::GET,
            "/footprints/{footprint_id}/pcr-check",
            "?pcr_id=zuji:pcr:steel-hot-rolled-coil:draft",
            "",
            [200, 200, 404, 404, 404, 404],
        ),
        c(
            M::POST,
            "/pcrs/{pcr_id}/benchmarks/computed",
            "",
            r#"{"period": "2025"}"#,
            [403, 403, 403, 403, 422, 401],
        ),
        // Labels: none is issued in this fixture (no certificate); reading is public.
        c(
            M::POST,
            "/labels",
            "",
            r#"{"certificate_id": "CERT-999999"}"#,
            [404, 403, 404, 404, 404, 401],
        ),
        c(M::GET, "/labels", "", "", [200, 200, 200, 200, 200, 200]),
        c(
            M::GET,
            "/labels/{label_id}",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/labels/{label_id}/verification",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/labels/{label_id}/label.svg",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/labels/{label_id}/label.png",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
        c(
            M::GET,
            "/open/rankings/{pcr_id}",
            "",
            "",
            [200, 200, 200, 200, 200, 200],
        ),
        c(
            M::GET,
            "/open/gtin/{gtin}",
            "",
            "",
            [404, 404, 404, 404, 404, 404],
        ),
    ]
}

#[tokio::test]
async fn authorisation_matrix_covers_every_operation() {
    // Every operation of the OpenAPI document is in the table, and nothing else.
    let doc =
        serde_json::to_value(<zuji_server::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let mut tabled: Vec<String> = cases()
        .iter()
        .map(|c| format!("{} {}", c.method, c.path))
        .collect();
    tabled.sort();
    assert_eq!(
        tabled, documented,
        "the authorisation table must list every documented operation"
    );

    for t in zuji_store::testing::both().await {
        let s = &t.store;
        bootstrap::ensure_default_database(s).await.unwrap();
        let a = user(s, "A", OrgKind::Enterprise, "a-admin@a.cn", Role::Admin).await;
        s.create_user(&Viewer::System, "a-viewer@a.cn", a, Role::Viewer, PASSWORD)
            .await
            .unwrap();
        user(s, "B", OrgKind::Enterprise, "b-admin@b.cn", Role::Admin).await;
        let cb = user(s, "CB", OrgKind::Certifier, "certifier@c.cn", Role::Admin).await;
        user(
            s,
            "Registry",
            OrgKind::Registry,
            "registry@r.cn",
            Role::Admin,
        )
        .await;
        let api = Api::new(s);
        let mut tokens = Vec::new();
        for who in CALLERS {
            tokens.push(match who {
                "anonymous" => None,
                w => Some(login(&api, &format!("{w}@{}.cn", &w[..1])).await),
            });
        }
        // The fixture: A's product with a computed footprint.
        let (_, created) = api
            .call(
                Method::POST,
                "/products",
                tokens[0].as_deref(),
                "application/toml",
                BRACKET.as_bytes().to_vec(),
            )
            .await;
        let pid = created["product"]["id"].as_i64().expect("product");
        let (_, job) = api
            .json(
                Method::POST,
                &format!("/products/{pid}/footprints"),
                tokens[0].as_deref(),
                json!({}),
            )
            .await;
        drain(s).await;
        let (_, job) = api
            .json(
                Method::GET,
                &format!("/jobs/{}", job["id"]),
                tokens[0].as_deref(),
                Value::Null,
            )
            .await;
        let fid = job["result"]["footprint_id"].as_i64().expect("footprint");
        // And A's application for certification of the hot-rolled coil (the bracket fits
        // no bundled PCR) to the certification body.
        s.ensure_bundled_pcrs().await.unwrap();
        let (_, coil) = api
            .call(
                Method::POST,
                "/products",
                tokens[0].as_deref(),
                "application/toml",
                COIL.as_bytes().to_vec(),
            )
            .await;
        let (_, coil_job) = api
            .json(
                Method::POST,
                &format!("/products/{}/footprints", coil["product"]["id"]),
                tokens[0].as_deref(),
                json!({}),
            )
            .await;
        drain(s).await;
        let (_, coil_job) = api
            .json(
                Method::GET,
                &format!("/jobs/{}", coil_job["id"]),
                tokens[0].as_deref(),
                Value::Null,
            )
            .await;
        let coil_fid = coil_job["result"]["footprint_id"]
            .as_i64()
            .expect("coil footprint");
        let (_, application) = api
            .json(
                Method::POST,
                "/certification/applications",
                tokens[0].as_deref(),
                json!({"footprint_id": coil_fid, "certification_body_org_id": cb, "pcr_id": "zuji:pcr:steel-hot-rolled-coil:draft"}),
            )
            .await;
        let app_id = application["id"].as_str().expect("application").to_string();
        let version_id = s.current_database_versions().await.unwrap()[0].id;
        let client = s
            .create_api_client(
                &Viewer::System,
                a,
                "to revoke",
                &[zuji_store::Scope::Read],
                false,
            )
            .await
            .unwrap();
        let package = zuji_formats::tabular::write_tabular_zip(
            &zuji_formats::default_db::default_database().unwrap(),
        )
        .unwrap();

        let mut failures = Vec::new();
        for case in cases() {
            for (i, who) in CALLERS.iter().enumerate() {
                let path = case
                    .path
                    .replace("{org_id}", &a.to_string())
                    .replace("{product_id}", &pid.to_string())
                    .replace("{version}", "1")
                    .replace("{footprint_id}", &fid.to_string())
                    .replace("{job_id}", &job["id"].to_string())
                    .replace("{version_id}", &version_id.to_string())
                    .replace(
                        "{activity_id}",
                        "electricity%2Fcn%2Fnational%2F2023%2Ffootprint",
                    )
                    .replace("{name}", "matrix-db")
                    .replace("{client_id}", &client.client.client_id)
                    .replace("{pf_id}", "00000000-0000-0000-0000-000000000000")
                    .replace("{pcr_id}", "zuji:pcr:steel-hot-rolled-coil:draft")
                    .replace(
                        "/certification/applications/{id}",
                        &format!("/certification/applications/{app_id}"),
                    )
                    .replace("{label_id}", "LBL-999999")
                    .replace("{gtin}", "6901234567892")
                    .replace("{id}", "999999");
                let uri = format!("{path}{}", case.query);
                let (ct, body): (&str, Vec<u8>) = match case.body {
                    "MODEL" => ("application/toml", BRACKET.as_bytes().to_vec()),
                    "ZIP" => ("application/zip", package.clone()),
                    "FORM" => (
                        "application/x-www-form-urlencoded",
                        b"grant_type=client_credentials".to_vec(),
                    ),
                    "LOGIN" => {
                        let email = if *who == "anonymous" {
                            "a-admin@a.cn".to_string()
                        } else {
                            format!("{who}@{}.cn", &who[..1])
                        };
                        (
                            "application/json",
                            json!({"email": email, "password": PASSWORD})
                                .to_string()
                                .into_bytes(),
                        )
                    }
                    "" => ("application/json", Vec::new()),
                    b => (
                        "application/json",
                        b.replace("COIL_FOOTPRINT", &coil_fid.to_string())
                            .replace("CB_BODY", &cb.to_string())
                            .replace("CALLER", who)
                            .replace("ORG", &a.to_string())
                            .replace("FID", &fid.to_string())
                            .into_bytes(),
                    ),
                };
                // Logging out ends the caller's session: use a fresh one.
                let token = if case.path == "/auth/logout" && *who != "anonymous" {
                    Some(login(&api, &format!("{who}@{}.cn", &who[..1])).await)
                } else {
                    tokens[i].clone()
                };
                let (status, body) = api
                    .call(case.method.clone(), &uri, token.as_deref(), ct, body)
                    .await;
                if status.as_u16() != case.expect[i] {
                    failures.push(format!(
                        "{} {} as {who}: expected {}, got {} {body}",
                        case.method,
                        case.path,
                        case.expect[i],
                        status.as_u16()
                    ));
                }
                if status.is_client_error() {
                    assert!(
                        body["code"].is_string() && body["message"].is_string(),
                        "error body of {} {}: {body}",
                        case.method,
                        case.path
                    );
                }
            }
        }
        assert!(failures.is_empty(), "{}:\n{}", t.name, failures.join("\n"));
    }
}
