//! The PCR check's findings and a failed calculation, as the workspace shows them in
//! 简体中文, 繁體中文 and English: the LFP example cites the draft battery-pack PCR, so its
//! footprint page and study report carry the "draft" finding, written by hand below in
//! each language; a calculation with a method the engine does not know fails, and its
//! page gives a localized headline with the engine's English message below it.

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, computed_footprint, drain, login, user};
use zuji_store::{JobStatus, OrgKind, Role, Store};

const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");

async fn page(api: &Api, uri: &str, token: &str) -> String {
    let r = api.raw(Method::GET, uri, Some(token), "", Vec::new()).await;
    let body = String::from_utf8_lossy(&r.bytes).into_owned();
    assert_eq!(r.status, StatusCode::OK, "{uri}: {body}");
    body
}

async fn editor(s: &Store) -> (Api, String) {
    zuji_server::bootstrap::ensure_default_database(s)
        .await
        .unwrap();
    s.ensure_bundled_pcrs().await.unwrap();
    user(
        s,
        "Dongguan Cells",
        OrgKind::Enterprise,
        "e@cells.cn",
        Role::Editor,
    )
    .await;
    let api = Api::new(s);
    let token = login(&api, "e@cells.cn").await;
    (api, token)
}

/// The draft finding in each language (`locales/check.toml`, filled by hand).
const DRAFT: [(&str, &str); 3] = [
    (
        "zh-Hans",
        "PCR zuji:pcr:battery-pack:draft 0.1.0 是草案，登记管理机构尚未发布。",
    ),
    (
        "zh-Hant",
        "PCR zuji:pcr:battery-pack:draft 0.1.0 是草案，登記管理機構尚未發佈。",
    ),
    (
        "en",
        "PCR zuji:pcr:battery-pack:draft 0.1.0 is a draft, not yet published by the registry.",
    ),
];

#[tokio::test]
async fn pcr_findings_are_in_the_page_language() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let (api, token) = editor(s).await;
        let fid = computed_footprint(&api, s, &token, LFP).await;
        for (lang, draft) in DRAFT {
            let body = page(&api, &format!("/app/footprints/{fid}?lang={lang}"), &token).await;
            assert!(body.contains(draft), "{name} {lang}: no {draft:?}");
            // Localized findings are not marked as English.
            assert!(
                !body.contains("class=\"small\" lang=\"en\""),
                "{name} {lang}: a finding is marked English"
            );
            if lang != "en" {
                assert!(
                    !body.contains("not yet published by the registry"),
                    "{name} {lang}: the English detail is shown"
                );
            }
            let report = page(
                &api,
                &format!("/app/footprints/{fid}/report?lang={lang}"),
                &token,
            )
            .await;
            assert!(report.contains(draft), "{name} {lang} report: no {draft:?}");
        }
    }
}

#[tokio::test]
async fn a_failed_calculation_has_a_localized_headline_and_the_engine_detail() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let (api, token) = editor(s).await;
        let fid = computed_footprint(&api, s, &token, LFP).await;
        let viewer = s.authenticate(&token).await.unwrap();
        let product = s.get_footprint(&viewer, fid).await.unwrap().product_id;
        // The form and the API refuse an unknown method; the store does not, so the
        // engine is the one to fail, on each of the job's three attempts.
        let job = s
            .start_footprint(&viewer, product, None, serde_json::json!({ "gwp": "ar99" }))
            .await
            .unwrap();
        let mut status = JobStatus::Queued;
        for _ in 0..40 {
            drain(s).await;
            status = s.get_job(&viewer, job.id).await.unwrap().status;
            if status == JobStatus::Failed {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert_eq!(status, JobStatus::Failed, "{name}");
        for (lang, headline) in [
            ("zh-Hans", "计算未能完成，未保存任何结果。"),
            ("zh-Hant", "計算未能完成，未儲存任何結果。"),
            ("en", "The calculation could not finish; nothing was saved."),
        ] {
            let body = page(&api, &format!("/app/jobs/{}?lang={lang}", job.id), &token).await;
            assert!(body.contains(headline), "{name} {lang}: {body}");
            // The engine's own words, marked English, inside the details.
            assert!(
                body.contains("<p lang=\"en\">unknown method &#x27;ar99&#x27;")
                    || body.contains("<p lang=\"en\">unknown method &#39;ar99&#39;"),
                "{name} {lang}: {body}"
            );
        }
    }
}
