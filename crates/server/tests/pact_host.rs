//! The PACT host on both backends, reproducing the substance of the official
//! conformance tool's v3 and v2.3 cases (auth, list, get, pagination, filters, errors,
//! events, HTTPS only) so that CI guards them without the tool. Expected values come
//! from the PACT Technical Specifications (v3.0.4, v2.3.3 OpenAPI) and the tool's test
//! cases (`src/test-cases/v3-test-cases.ts`), not from this code.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;
use zuji_server::pact::workspace::{PublishRequest, publish_footprint};
use zuji_server::{AppState, ServerConfig, app, bootstrap, worker};
use zuji_store::{JobKind, NewModelVersion, OrgKind, PactCaller, Scope, Store, Viewer};

const BRACKET: &str = include_str!("../../../examples/steel-bracket-worked-example.toml");

struct Host {
    router: axum::Router,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
    raw: Vec<u8>,
}

impl Host {
    fn new(store: &Store, https: bool) -> Host {
        let mut config = ServerConfig {
            rate_limit_per_second: 100_000,
            public_url: Some("https://pact.zuji.test".into()),
            ..Default::default()
        };
        if https {
            // Only the flag matters here: links say https.
            config.tls = Some(zuji_server::tls::TlsFiles {
                cert: "unused".into(),
                key: "unused".into(),
            });
        }
        Host {
            router: app(AppState::new(store.clone(), &config), &config),
        }
    }

    async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let raw = axum::body::to_bytes(resp.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
            raw,
        }
    }

    async fn get(&self, uri: &str, token: &str) -> Reply {
        self.send(
            Request::builder()
                .uri(uri)
                .header("host", "pact.example.com:8443")
                .header("authorization", format!("Bearer {token}"))
                // The conformance tool sends this even on GETs.
                .header("content-type", "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn token(&self, id: &str, secret: &str) -> Reply {
        let basic = base64(&format!("{id}:{secret}"));
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri("/auth/token")
                .header("authorization", format!("Basic {basic}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("grant_type=client_credentials"))
                .unwrap(),
        )
        .await
    }

    async fn event(&self, path: &str, token: &str, event: &Value) -> Reply {
        self.send(
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header("authorization", format!("Bearer {token}"))
                .header(
                    "content-type",
                    "application/cloudevents+json; charset=UTF-8",
                )
                .body(Body::from(event.to_string()))
                .unwrap(),
        )
        .await
    }
}

fn base64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

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

/// A computed footprint of a new product of `org` (the bracket, named `name`).
async fn computed(store: &Store, org: i64, name: &str) -> i64 {
    computed_model(
        store,
        org,
        name,
        &BRACKET.replace("Steel bracket (worked example)", name),
        "metal-part",
    )
    .await
}

async fn computed_model(store: &Store, org: i64, name: &str, model: &str, category: &str) -> i64 {
    let v = acting(org);
    let loaded = zuji_formats::product_model::parse_product_model(
        model,
        zuji_formats::product_model::ModelFormat::Toml,
        "bracket.toml",
    )
    .unwrap();
    let (product, _) = store
        .create_product(
            &v,
            name,
            category,
            None,
            NewModelVersion {
                model_json: zuji_formats::product_model::to_json(&loaded.model),
                source_format: "toml".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
    let job = store
        .start_footprint(&v, product.id, None, json!({"gwp": "ar6"}))
        .await
        .unwrap();
    drain(store).await;
    let job = store.get_job(&v, job.id).await.unwrap();
    job.result.unwrap()["footprint_id"].as_i64().unwrap()
}

fn publish_request(footprint_id: i64, product_urn: &str) -> PublishRequest {
    PublishRequest {
        footprint_id,
        company_ids: vec!["urn:uuid:0f9f7a1c-57c3-4c1e-9b2f-3a0e5b0c1d2e".into()],
        product_ids: vec![product_urn.into()],
        fossil_carbon_content: 0.0,
        biogenic_carbon_content: Some(0.0),
        product_mass_per_declared_unit: Some(0.8),
        exempted_emissions_percent: 0.0,
        exempted_emissions_description: "test publication".into(),
        packaging_emissions_included: Some(false),
        product_category_cpc: Some("42999".into()),
        ..Default::default()
    }
}

struct Fixture {
    host: Host,
    owner: i64,
    /// Token of partner P1 (sees everything shared with all, and one private share).
    p1: String,
    p1_id: i64,
    /// Token of partner P2 (sees only what is shared with all).
    p2: String,
    p1_secret: (String, String),
    shared_all: [String; 2],
    private_p1: String,
    other_tenant: String,
}

async fn fixture(store: &Store) -> Fixture {
    bootstrap::ensure_default_database(store).await.unwrap();
    let (owner, _) = bootstrap::ensure_org(store, "Owner Steel", OrgKind::Enterprise)
        .await
        .unwrap();
    let (other, _) = bootstrap::ensure_org(store, "Other Tenant", OrgKind::Enterprise)
        .await
        .unwrap();
    let v = acting(owner);
    let c1 = store
        .create_api_client(&v, owner, "partner one", &[Scope::Pact], true)
        .await
        .unwrap();
    let c2 = store
        .create_api_client(&v, owner, "partner two", &[Scope::Pact], true)
        .await
        .unwrap();
    let mut shared_all = Vec::new();
    for (i, urn) in ["urn:gtin:4006381333931", "urn:gtin:4006381333948"]
        .iter()
        .enumerate()
    {
        let fp = computed(store, owner, &format!("Bracket {i}")).await;
        let mut r = publish_request(fp, urn);
        r.shared_with_all = true;
        if i == 1 {
            r.product_classifications = vec!["urn:pact:productclassification:un-cpc:42999".into()];
        }
        shared_all.push(
            publish_footprint(store, &v, &r)
                .await
                .unwrap()
                .footprint
                .pf_id,
        );
    }
    let fp = computed(store, owner, "Bracket private").await;
    let mut r = publish_request(fp, "urn:gtin:4006381333955");
    r.share_with = vec![c1.client.id];
    let private_p1 = publish_footprint(store, &v, &r)
        .await
        .unwrap()
        .footprint
        .pf_id;
    let fp = computed(store, other, "Other bracket").await;
    let mut r = publish_request(fp, "urn:gtin:4006381333962");
    r.shared_with_all = true;
    let other_tenant = publish_footprint(store, &acting(other), &r)
        .await
        .unwrap()
        .footprint
        .pf_id;
    let host = Host::new(store, true);
    let t1 = host.token(&c1.client.client_id, &c1.secret).await;
    assert_eq!(t1.status, StatusCode::OK, "{:?}", t1.body);
    let t2 = host.token(&c2.client.client_id, &c2.secret).await;
    Fixture {
        host,
        owner,
        p1: t1.body["access_token"].as_str().unwrap().into(),
        p1_id: c1.client.id,
        p2: t2.body["access_token"].as_str().unwrap().into(),
        p1_secret: (c1.client.client_id, c1.secret),
        shared_all: [shared_all[0].clone(), shared_all[1].clone()],
        private_p1,
        other_tenant,
    }
}

fn ids(r: &Reply) -> Vec<String> {
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data list: {:?}", r.body))
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn auth_list_get_and_access_control() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        let f = fixture(s).await;
        let h = &f.host;

        // Token endpoint (tests 1, 2): a token for good credentials; 401 invalid_client
        // for bad ones; a client without the PACT flag is not a PACT client.
        let ok = h.token(&f.p1_secret.0, &f.p1_secret.1).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.body["token_type"], "Bearer");
        assert!(ok.body["expires_in"].as_i64().unwrap() > 3000);
        let bad = h.token(&f.p1_secret.0, "wrong-secret").await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert_eq!(bad.body["error"], "invalid_client");
        let plain = s
            .create_api_client(&acting(f.owner), f.owner, "not pact", &[Scope::Read], false)
            .await
            .unwrap();
        let refused = h.token(&plain.client.client_id, &plain.secret).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(refused.body["error"], "unauthorized_client");

        // OpenID configuration names the token endpoint under the public address.
        let oidc = h.get("/.well-known/openid-configuration", "").await;
        assert_eq!(
            oidc.body["token_endpoint"],
            "https://pact.zuji.test/auth/token"
        );

        // List (test 4): P1 sees the two shared with all and its private one; P2 only
        // the two; nobody sees the other tenant's.
        let l1 = h.get("/3/footprints", &f.p1).await;
        assert_eq!(l1.status, StatusCode::OK);
        let mut got = ids(&l1);
        got.sort();
        let mut want = vec![
            f.shared_all[0].clone(),
            f.shared_all[1].clone(),
            f.private_p1.clone(),
        ];
        want.sort();
        assert_eq!(got, want);
        let l2 = h.get("/3/footprints", &f.p2).await;
        assert_eq!(ids(&l2), f.shared_all.to_vec());
        assert!(!ids(&l1).contains(&f.other_tenant));
        // Every item is a v3 ProductFootprint with decimals as strings.
        let first = &l1.body["data"][0];
        assert_eq!(first["specVersion"], "3.0.0");
        assert!(first["pcf"]["pcfExcludingBiogenicUptake"].is_string());
        assert_eq!(first["pcf"]["declaredUnitOfMeasurement"], "piece");

        // Get (tests 3, 8): 200 for a visible one; 404 NotFound for an unknown id or
        // another tenant's; 403 AccessDenied for one not shared with this partner.
        let g = h
            .get(&format!("/3/footprints/{}", f.private_p1), &f.p1)
            .await;
        assert_eq!(g.status, StatusCode::OK);
        assert_eq!(g.body["data"]["id"], f.private_p1);
        let nf = h
            .get("/3/footprints/00000000-0000-0000-0000-000000000000", &f.p1)
            .await;
        assert_eq!(nf.status, StatusCode::NOT_FOUND);
        assert_eq!(nf.body["code"], "NotFound");
        assert_eq!(
            nf.headers["content-type"].to_str().unwrap(),
            "application/json"
        );
        let other = h
            .get(&format!("/3/footprints/{}", f.other_tenant), &f.p1)
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        let denied = h
            .get(&format!("/3/footprints/{}", f.private_p1), &f.p2)
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert_eq!(denied.body["code"], "AccessDenied");

        // v2.3 (tests 3, 4, 8 of the v2 suite): the same footprints, v2 documents,
        // NoSuchFootprint for an unknown id.
        let v2 = h.get("/2/footprints", &f.p2).await;
        assert_eq!(ids(&v2), f.shared_all.to_vec());
        assert_eq!(v2.body["data"][0]["specVersion"], "2.3.0");
        let nf2 = h
            .get("/2/footprints/00000000-0000-0000-0000-000000000000", &f.p1)
            .await;
        assert_eq!(nf2.body["code"], "NoSuchFootprint");

        // Invalid tokens (tests 6, 7, 16): 401 with code BadRequest; expired: TokenExpired.
        let inv = h.get("/3/footprints", "very-invalid-access-token").await;
        assert_eq!(inv.status, StatusCode::UNAUTHORIZED);
        assert_eq!(inv.body["code"], "BadRequest");
        assert!(inv.body.get("data").is_none());
        let none = h
            .send(
                Request::builder()
                    .uri("/2/footprints")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        zuji_store::testing::expire_all_tokens(s).await.unwrap();
        let exp = h.get("/3/footprints", &f.p1).await;
        assert_eq!(exp.status, StatusCode::UNAUTHORIZED);
        assert_eq!(exp.body["code"], "TokenExpired");
    }
}

#[tokio::test]
async fn pagination_filters_and_deprecation() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        let f = fixture(s).await;
        let h = &f.host;

        // Pagination (test 5): limit=1 gives one item and an absolute next link on the
        // request's host; following the links walks the list exactly once.
        let mut seen = Vec::new();
        let mut uri = "/3/footprints?limit=1".to_string();
        loop {
            let page = h.get(&uri, &f.p1).await;
            assert_eq!(page.status, StatusCode::OK, "{uri}");
            assert!(ids(&page).len() <= 1);
            seen.extend(ids(&page));
            let Some(link) = page.headers.get("link") else {
                break;
            };
            let link = link.to_str().unwrap();
            let target = link
                .strip_prefix("<https://pact.example.com:8443")
                .and_then(|l| l.strip_suffix(">; rel=\"next\""))
                .unwrap_or_else(|| panic!("not an absolute next link on the request host: {link}"));
            uri = target.to_string();
        }
        assert_eq!(seen.len(), 3);
        let all = ids(&h.get("/3/footprints", &f.p1).await);
        assert_eq!(seen, all);

        // Filters (tests 20–39).
        let count = |r: Reply| {
            assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
            ids(&r).len()
        };
        assert_eq!(
            count(
                h.get("/3/footprints?productId=urn:gtin:4006381333931", &f.p1)
                    .await
            ),
            1
        );
        assert_eq!(count(h.get("/3/footprints?productId=URN:GTIN:4006381333931&productId=urn:gtin:4006381333955", &f.p1).await), 2);
        assert_eq!(count(h.get("/3/footprints?companyId=urn:uuid:0f9f7a1c-57c3-4c1e-9b2f-3a0e5b0c1d2e&companyId=x1&companyId=x2", &f.p1).await), 3);
        assert_eq!(count(h.get("/3/footprints?geography=CN", &f.p1).await), 3);
        assert_eq!(count(h.get("/3/footprints?geography=", &f.p1).await), 3);
        assert_eq!(count(h.get("/3/footprints?geography=XX", &f.p1).await), 0);
        // The explicit classification on one; the CPC-derived one on every footprint.
        assert_eq!(
            count(
                h.get(
                    "/3/footprints?classification=urn:pact:productclassification:un-cpc:42999",
                    &f.p1
                )
                .await
            ),
            3
        );
        assert_eq!(
            count(
                h.get(
                    "/3/footprints?classification=urn:bogus:classification:x",
                    &f.p1
                )
                .await
            ),
            0
        );
        // Reference period 2025: validity 2026-01-01 to 2029-01-01.
        assert_eq!(
            count(
                h.get("/3/footprints?validOn=2026-01-01T00:00:00Z", &f.p1)
                    .await
            ),
            3
        );
        assert_eq!(
            count(
                h.get("/3/footprints?validOn=1900-01-01T00:00:00Z", &f.p1)
                    .await
            ),
            0
        );
        assert_eq!(
            count(
                h.get("/3/footprints?validAfter=2025-12-31T00:00:00.000Z", &f.p1)
                    .await
            ),
            3
        );
        assert_eq!(
            count(
                h.get("/3/footprints?validAfter=2099-12-31T23:59:59Z", &f.p1)
                    .await
            ),
            0
        );
        assert_eq!(
            count(
                h.get("/3/footprints?validBefore=2029-01-02T00:00:00.000Z", &f.p1)
                    .await
            ),
            3
        );
        assert_eq!(
            count(
                h.get("/3/footprints?validBefore=1900-01-01T00:00:00Z", &f.p1)
                    .await
            ),
            0
        );
        assert_eq!(count(h.get("/3/footprints?status=Active", &f.p1).await), 3);
        assert_eq!(
            count(h.get("/3/footprints?status=BogusStatusValue", &f.p1).await),
            0
        );
        assert_eq!(
            count(
                h.get(
                    "/3/footprints?status=Active&productId=urn:gtin:4006381333931",
                    &f.p1
                )
                .await
            ),
            1
        );
        assert_eq!(
            count(
                h.get(
                    "/3/footprints?companyId=urn:bogus:company:1&productId=urn:gtin:4006381333931",
                    &f.p1
                )
                .await
            ),
            0
        );
        let bad = h.get("/3/footprints?validOn=yesterday", &f.p1).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.body["code"], "BadRequest");

        // A new publication of the same product deprecates the old one, which is still
        // listed and served by id, with status Deprecated.
        let product = s
            .list_pact_footprints(&acting(f.owner))
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.pf_id == f.shared_all[0])
            .unwrap();
        let mut r = publish_request(product.footprint_id, "urn:gtin:4006381333931");
        r.shared_with_all = true;
        let newer = publish_footprint(s, &acting(f.owner), &r)
            .await
            .unwrap()
            .footprint
            .pf_id;
        let old = h
            .get(&format!("/3/footprints/{}", f.shared_all[0]), &f.p2)
            .await;
        assert_eq!(old.body["data"]["status"], "Deprecated");
        assert_eq!(
            count(h.get("/3/footprints?status=Deprecated", &f.p2).await),
            1
        );
        assert_eq!(count(h.get("/3/footprints", &f.p2).await), 3);
        let new = h.get(&format!("/3/footprints/{newer}"), &f.p2).await;
        assert_eq!(new.body["data"]["status"], "Active");
    }
}

#[tokio::test]
async fn events_are_validated_recorded_and_answered() {
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        let f = fixture(s).await;
        let h = &f.host;
        let created = |id: &str, product: &str| {
            json!({
                "specversion": "1.0", "id": id, "source": "https://webhook.example.com",
                "time": "2023-05-19T10:30:00Z",
                "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
                "data": {"productId": [product], "comment": "Please send PCF data for this year."}
            })
        };
        // Test 12: a request for a product the partner can already see: 200, empty
        // body, answered at once (fulfilled) with a callback job queued.
        let r = h
            .event(
                "/3/events",
                &f.p1,
                &created("run/12", "urn:gtin:4006381333931"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.raw.is_empty());
        // Test 14.A: an unknown product: 200, then rejected with NotFound.
        let r = h
            .event("/3/events", &f.p1, &created("run/14.A", "urn:pact:null"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        // A product the owner has but has not shared with P2: waits for a person.
        let r = h
            .event(
                "/3/events",
                &f.p2,
                &created("run/open", "urn:gtin:4006381333955"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let requests = s.list_pact_requests(&acting(f.owner)).await.unwrap();
        let by_event = |e: &str| requests.iter().find(|r| r.event_id == e).unwrap().clone();
        assert_eq!(by_event("run/12").status, "fulfilled");
        assert_eq!(
            by_event("run/12").answer.as_ref().unwrap()["pf_ids"],
            json!([f.shared_all[0]])
        );
        assert_eq!(by_event("run/14.A").status, "rejected");
        assert_eq!(
            by_event("run/14.A").answer.as_ref().unwrap()["code"],
            "NotFound"
        );
        assert_eq!(by_event("run/open").status, "open");
        // The same event again is recorded once.
        h.event(
            "/3/events",
            &f.p1,
            &created("run/12", "urn:gtin:4006381333931"),
        )
        .await;
        assert_eq!(
            s.list_pact_requests(&acting(f.owner)).await.unwrap().len(),
            3
        );
        // Two callback jobs, retried with back-off (no partner registered to call).
        let jobs = s
            .list_jobs(&Viewer::System, None, zuji_store::PageRequest::new(0, 100))
            .await
            .unwrap()
            .items;
        let callbacks: Vec<_> = jobs
            .iter()
            .filter(|j| j.kind == JobKind::PactCallback)
            .collect();
        assert_eq!(callbacks.len(), 2);
        assert_eq!(callbacks[0].max_attempts, 20);

        // Test 15: Published with a UUID: 200. Test 40 / v2 21: a non-UUID pfId: 400.
        let published = |id: &str| {
            json!({
                "type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3", "specversion": "1.0",
                "id": "e-15", "source": "https://webhook.example.com", "time": "2023-05-19T11:30:00Z",
                "data": {"pfIds": [id]}
            })
        };
        let ok = h
            .event(
                "/3/events",
                &f.p1,
                &published("3a6c14a7-4deb-498a-b5ea-16ce2535b576"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK);
        let bad = h
            .event("/3/events", &f.p1, &published("urn:gtin:4712345060507"))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.body["code"], "BadRequest");
        // Test 16: invalid token on events: 401 BadRequest (v2 requires that code).
        let inv = h
            .event(
                "/2/events",
                "invalid-token",
                &published("3a6c14a7-4deb-498a-b5ea-16ce2535b576"),
            )
            .await;
        assert_eq!(inv.status, StatusCode::UNAUTHORIZED);
        assert_eq!(inv.body["code"], "BadRequest");
        // A v3 type on the v2 endpoint is named as such.
        let wrong = h
            .event(
                "/2/events",
                &f.p1,
                &published("3a6c14a7-4deb-498a-b5ea-16ce2535b576"),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(
            wrong.body["message"]
                .as_str()
                .unwrap()
                .contains("other PACT version")
        );
        // v2 RequestCreated for an unknown product is rejected too.
        let v2 = json!({
            "specversion": "1.0", "id": "run2/14.A", "source": "https://webhook.example.com",
            "type": "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
            "data": {"pf": {"productIds": ["urn:pact:null"]}, "comment": "x"}
        });
        assert_eq!(
            h.event("/2/events", &f.p1, &v2).await.status,
            StatusCode::OK
        );
        let caller = PactCaller {
            org_id: f.owner,
            api_client_id: f.p1_id,
        };
        let r = s
            .record_pact_request(&caller, "run2/14.A", "x", "2", &json!({}), None)
            .await
            .unwrap();
        assert_eq!(r.status, "rejected");
        assert_eq!(r.spec_version, "2");
    }
}

#[tokio::test]
async fn pact_endpoints_are_refused_over_plain_http() {
    let t = zuji_store::testing::sqlite().await;
    let f = fixture(&t.store).await;
    let config = ServerConfig::default();
    let plain = app(AppState::new(t.store.clone(), &config), &config).layer(
        axum::middleware::from_fn(zuji_server::tls::refuse_pact_over_http),
    );
    for (method, uri) in [
        (Method::GET, "/3/footprints"),
        (Method::GET, "/2/footprints"),
        (Method::POST, "/auth/token"),
        (Method::POST, "/3/events"),
    ] {
        let resp = plain
            .clone()
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(uri)
                    .header("authorization", format!("Bearer {}", f.p1))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{uri}");
        let body: Value = serde_json::from_slice(
            &axum::body::to_bytes(resp.into_body(), 1 << 20)
                .await
                .unwrap(),
        )
        .unwrap();
        assert!(body.get("data").is_none() && body.get("access_token").is_none());
    }
    // The rest of the platform is still served there.
    let health = plain
        .oneshot(
            Request::builder()
                .uri("/healthz")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn certified_footprints_carry_their_verification() {
    use zuji_trust::certification::ApplicationAction;
    for t in zuji_store::testing::both().await {
        let s = &t.store;
        bootstrap::ensure_default_database(s).await.unwrap();
        s.ensure_bundled_pcrs().await.unwrap();
        let (owner, _) = bootstrap::ensure_org(s, "Certified Steel", OrgKind::Enterprise)
            .await
            .unwrap();
        let (body, _) = bootstrap::ensure_org(s, "GBA Certification Centre", OrgKind::Certifier)
            .await
            .unwrap();
        let certifier = Viewer::Member {
            org_id: body,
            org_kind: OrgKind::Certifier,
            user_id: None,
            scopes: vec![Scope::Read, Scope::Write],
        };
        // A product its PCR accepts: the hot-rolled coil under the steel PCR.
        let fp_id = computed_model(
            s,
            owner,
            "Certified coil",
            include_str!("../../../examples/hot-rolled-steel-coil.toml"),
            "steel-hot-rolled",
        )
        .await;
        let app = s
            .apply_for_certification(
                &acting(owner),
                zuji_store::ApplicationInput {
                    footprint_id: fp_id,
                    certification_body_org_id: body,
                    pcr_id: "zuji:pcr:steel-hot-rolled-coil:draft".into(),
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
            s.act_on_application(&certifier, &app.id, step)
                .await
                .unwrap();
        }
        s.request_footprint_verification(&certifier, &app.id)
            .await
            .unwrap();
        drain(s).await;
        s.act_on_application(
            &certifier,
            &app.id,
            ApplicationAction::Approve {
                certificate_id: String::new(),
                pcr_missed_mandatory: vec![],
            },
        )
        .await
        .unwrap();
        let published = publish_footprint(
            s,
            &acting(owner),
            &publish_request(fp_id, "urn:gtin:4006381333979"),
        )
        .await
        .unwrap()
        .footprint;
        let v = &published.v3["pcf"]["verification"];
        assert_eq!(v["coverage"], "product level");
        assert_eq!(v["providerName"], "GBA Certification Centre");
        assert!(
            v["comments"]
                .as_str()
                .unwrap()
                .starts_with("Certificate CERT-")
        );
        let a = &published.v2.as_ref().unwrap()["pcf"]["assurance"];
        assert_eq!(a["assurance"], true);
        assert_eq!(a["providerName"], "GBA Certification Centre");
        // An uncertified footprint claims no verification.
        let other = computed(s, owner, "Uncertified bracket").await;
        let plain = publish_footprint(
            s,
            &acting(owner),
            &publish_request(other, "urn:gtin:4006381333986"),
        )
        .await
        .unwrap()
        .footprint;
        assert!(plain.v3["pcf"].get("verification").is_none());
    }
}
