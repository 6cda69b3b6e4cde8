//! The registry desk's benchmark licence and geography and its paged lists, walked
//! through the web routes as a browser would (forms posted as
//! `application/x-www-form-urlencoded`), on both backends:
//!
//! - a policy benchmark published through the desk's form with licence `CC BY 4.0` and
//!   geography `CN-GD`: the desk, the API and the public category page show source,
//!   year, geography and licence, each on its own (no "source · licence" text);
//! - refused input (no licence; the geography `Guangdong`) answers 422 with the message
//!   naming the field in the page's language, keeps what was typed and stores nothing;
//! - the benchmark history, the transparency log and the organisations come in pages of
//!   20, newest first, with links that keep the other parameters and "page N of M".

mod common;

use axum::http::StatusCode;
use common::web::{get, post_form, testid, testid_after, unescape};
use common::{Api, login, user};
use serde_json::json;
use zuji_store::{OrgKind, Role, Viewer};

const STEEL: &str = "zuji:pcr:steel-hot-rolled-coil:draft";
/// `STEEL` as `form_urlencoded` writes it in a link.
const STEEL_ENCODED: &str = "zuji%3Apcr%3Asteel-hot-rolled-coil%3Adraft";
const SOURCE: &str = "Guangdong notice on steel carbon footprint values (2025)";
const POLICY: &str = "/desk/registry/benchmarks/policy";

/// The values of attribute `attr` on every element carrying `data-testid="{id}"`.
fn testid_attrs(body: &str, id: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    let mark = format!("data-testid=\"{id}\"");
    while let Some(i) = body[from..].find(&mark) {
        let at = from + i;
        let open = body[..at].rfind('<').unwrap();
        let close = at + body[at..].find('>').unwrap();
        let tag = &body[open..close];
        let key = format!(" {attr}=\"");
        if let Some(v) = tag.find(&key) {
            let v = v + key.len();
            let end = tag[v..].find('"').unwrap();
            out.push(tag[v..v + end].to_string());
        }
        from = close;
    }
    out
}

/// Where the card of PCR `id` begins on the benchmarks page.
fn pcr_card(body: &str, id: &str) -> usize {
    body.find(&format!("data-pcr=\"{id}\""))
        .unwrap_or_else(|| panic!("no card for {id}"))
}

/// The `href` of the link with `rel="{rel}"`, unescaped.
fn rel_link(body: &str, rel: &str) -> Option<String> {
    let at = body.find(&format!("rel=\"{rel}\""))?;
    let open = body[..at].rfind("href=\"")? + 6;
    let end = body[open..].find('"')?;
    Some(unescape(&body[open..open + end]))
}

fn policy_fields<'a>(
    period: &'a str,
    licence: &'a str,
    geography: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("pcr_id", STEEL),
        ("period", period),
        ("default", "2400"),
        ("average", "2100"),
        ("advanced", "1900.5"),
        ("source", SOURCE),
        ("licence", licence),
        ("geography", geography),
    ]
}

/// A signed-in registry operator on a fresh store with the bundled PCRs.
async fn registry(s: &zuji_store::Store) -> (Api, String) {
    s.ensure_bundled_pcrs().await.unwrap();
    user(
        s,
        "GBA Registry",
        OrgKind::Registry,
        "r@registry.cn",
        Role::Admin,
    )
    .await;
    let api = Api::new(s);
    let token = login(&api, "r@registry.cn").await;
    (api, token)
}

#[tokio::test]
async fn a_policy_benchmark_carries_its_licence_and_geography() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let (api, reg) = registry(s).await;
        let reg = reg.as_str();

        // No licence: refused, naming the field, in each language.
        for (lang, message) in [
            ("en", "Please fill in “Licence (e.g. CC BY 4.0)”."),
            ("zh-Hans", "请填写“许可（如 CC BY 4.0）”。"),
            ("zh-Hant", "請填寫「許可（如 CC BY 4.0）」。"),
        ] {
            let r = post_form(
                &api,
                &format!("{POLICY}?lang={lang}"),
                reg,
                &policy_fields("2025", " ", "CN-GD"),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name} {lang}");
            assert_eq!(
                testid(&r.body, "desk-notice").as_deref(),
                Some(message),
                "{name}"
            );
        }
        // A geography that is not an ISO 3166 code: refused, naming the field and value.
        for (lang, message) in [
            (
                "en",
                "“Geography”: “Guangdong” is not an ISO 3166 code: two capital letters, optionally a hyphen and a subdivision, such as CN or CN-GD.",
            ),
            (
                "zh-Hans",
                "“地域”：“Guangdong”不是 ISO 3166 代码，应为两个大写字母，可加连字符和地区代码，如 CN 或 CN-GD。",
            ),
        ] {
            let r = post_form(
                &api,
                &format!("{POLICY}?lang={lang}"),
                reg,
                &policy_fields("2025", "CC BY 4.0", "Guangdong"),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name} {lang}");
            assert_eq!(
                testid(&r.body, "desk-notice").as_deref(),
                Some(message),
                "{name}"
            );
            // What was typed is kept in the form.
            assert!(r.body.contains("value=\"Guangdong\""), "{name}");
            assert!(r.body.contains("value=\"CC BY 4.0\""), "{name}");
        }
        // Nothing was stored or logged.
        let (_, none) = api.get(&format!("/pcrs/{STEEL}/benchmarks"), None).await;
        assert_eq!(none, json!([]), "{name}");
        assert_eq!(s.log_size().await.unwrap(), 0, "{name}");

        let r = post_form(
            &api,
            POLICY,
            reg,
            &policy_fields("2025", "CC BY 4.0", "CN-GD"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
        assert_eq!(
            r.location.as_deref(),
            Some("/desk/registry/benchmarks?done=policy")
        );

        // Stored as separate fields: the source is the source alone.
        let (_, latest) = api
            .get(&format!("/pcrs/{STEEL}/benchmarks/latest"), None)
            .await;
        assert_eq!(latest["benchmark"]["source"], SOURCE, "{name}");
        assert_eq!(latest["benchmark"]["licence"], "CC BY 4.0", "{name}");
        assert_eq!(latest["benchmark"]["geography"], "CN-GD", "{name}");
        assert_eq!(latest["benchmark"]["period"], "2025", "{name}");

        // The desk: the current benchmark and the history row.
        let desk = get(&api, "/desk/registry/benchmarks?lang=en", Some(reg)).await;
        assert_eq!(desk.status, StatusCode::OK, "{name}");
        let card = pcr_card(&desk.body, STEEL);
        for (id, want) in [
            ("benchmark-source", SOURCE),
            ("benchmark-year", "2025"),
            ("benchmark-geography", "CN-GD"),
            ("benchmark-licence", "CC BY 4.0"),
        ] {
            assert_eq!(
                testid_after(&desk.body, card, id).as_deref(),
                Some(want),
                "{name} {id}"
            );
        }
        assert!(
            !desk.body.contains(" · CC BY 4.0"),
            "{name}: licence glued to the source"
        );
        assert_eq!(
            testid(&desk.body, "history-geography").as_deref(),
            Some("CN-GD")
        );
        assert_eq!(
            testid(&desk.body, "history-licence").as_deref(),
            Some("CC BY 4.0")
        );
        // One publication in the history.
        assert_eq!(
            testid_attrs(&desk.body, "history-row", "data-version"),
            vec!["1"]
        );

        // The public category page cites all four, in each language.
        for (lang, want) in [
            (
                "en",
                format!("Source: {SOURCE} · Year: 2025 · Geography: CN-GD · Licence: CC BY 4.0"),
            ),
            (
                "zh-Hans",
                format!("来源：{SOURCE} · 年份：2025 · 地域：CN-GD · 许可：CC BY 4.0"),
            ),
            (
                "zh-Hant",
                format!("來源：{SOURCE} · 年份：2025 · 地域：CN-GD · 許可：CC BY 4.0"),
            ),
        ] {
            let page = get(
                &api,
                &format!("/registry/categories/{STEEL}?lang={lang}"),
                None,
            )
            .await;
            assert_eq!(page.status, StatusCode::OK, "{name} {lang}");
            assert_eq!(
                testid(&page.body, "benchmark-citation").as_deref(),
                Some(want.as_str()),
                "{name} {lang}"
            );
        }
    }
}

/// A computed benchmark states no licence (the project states none for the registry's
/// data) and no geography: "not stated". Published through the store with a hand-made
/// sample, as the desk's computed form needs ten certified footprints.
#[tokio::test]
async fn a_benchmark_without_licence_says_not_stated() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let (api, reg) = registry(s).await;
        let pcr = s
            .get_pcr("zuji:pcr:battery-pack:draft", None)
            .await
            .unwrap()
            .pcr;
        let sample = [42.0, 35.0, 50.0, 38.0, 61.0, 45.0, 40.0, 55.0, 47.0, 37.0];
        let b = zuji_trust::benchmark::compute(&pcr, "2024", 1, &sample, "2026-11-21").unwrap();
        s.publish_benchmark(&Viewer::System, b).await.unwrap();
        let desk = get(&api, "/desk/registry/benchmarks?lang=zh-Hans", Some(&reg)).await;
        let card = pcr_card(&desk.body, "zuji:pcr:battery-pack:draft");
        assert_eq!(
            testid_after(&desk.body, card, "benchmark-licence").as_deref(),
            Some("未说明")
        );
        assert_eq!(
            testid_after(&desk.body, card, "benchmark-geography").as_deref(),
            Some("未说明")
        );
        let page = get(
            &api,
            "/registry/categories/zuji:pcr:battery-pack:draft?lang=en",
            None,
        )
        .await;
        let citation = testid(&page.body, "benchmark-citation").unwrap();
        assert!(
            citation.ends_with("· Year: 2024 · Geography: not stated · Licence: not stated"),
            "{name}: {citation}"
        );
    }
}

#[tokio::test]
async fn the_desk_lists_come_in_pages() {
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let (api, reg) = registry(s).await;
        let reg = reg.as_str();
        // 22 versions of the steel benchmark: versions 22 … 3 on page 1, 2 and 1 on page 2.
        for _ in 0..22 {
            let r = post_form(&api, POLICY, reg, &policy_fields("2025", "CC BY 4.0", "CN")).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
        }
        let first = get(&api, "/desk/registry/benchmarks?lang=en", Some(reg)).await;
        let versions: Vec<String> = (3..=22).rev().map(|v| v.to_string()).collect();
        assert_eq!(
            testid_attrs(&first.body, "history-row", "data-version"),
            versions,
            "{name}"
        );
        assert_eq!(
            testid(&first.body, "pager-position").as_deref(),
            Some("Page 1 of 2")
        );
        assert_eq!(rel_link(&first.body, "prev"), None, "{name}");
        assert_eq!(
            rel_link(&first.body, "next").as_deref(),
            Some("/desk/registry/benchmarks?page=2")
        );

        // Filtered to the steel PCR, page 2: the filter is kept in the links.
        let second = get(
            &api,
            &format!("/desk/registry/benchmarks?pcr={STEEL_ENCODED}&page=2&lang=zh-Hant"),
            Some(reg),
        )
        .await;
        assert_eq!(second.status, StatusCode::OK, "{name}");
        assert_eq!(
            testid_attrs(&second.body, "history-row", "data-version"),
            vec!["2", "1"]
        );
        assert_eq!(
            testid(&second.body, "pager-position").as_deref(),
            Some("第 2 頁，共 2 頁")
        );
        assert_eq!(
            rel_link(&second.body, "prev"),
            Some(format!(
                "/desk/registry/benchmarks?pcr={STEEL_ENCODED}&page=1"
            ))
        );
        assert_eq!(rel_link(&second.body, "next"), None, "{name}");
        assert_eq!(
            testid(&second.body, "history-total").as_deref(),
            Some("共 22 個版本")
        );

        // Another PCR's history is empty and has no pager.
        let other = get(
            &api,
            "/desk/registry/benchmarks?pcr=zuji%3Apcr%3Aapparel%3Adraft&lang=en",
            Some(reg),
        )
        .await;
        assert!(testid_attrs(&other.body, "history-row", "data-version").is_empty());
        assert_eq!(testid(&other.body, "pager-position"), None, "{name}");

        // A page that is not a whole number from 1.
        let bad = get(&api, "/desk/registry/benchmarks?page=0&lang=en", Some(reg)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            unescape(&bad.body)
                .contains("The page ‘0’ is not valid: it must be a whole number from 1."),
            "{name}: {}",
            bad.body
        );

        // The log holds the 22 publications (indexes 0–21): page 2 lists 1 and 0.
        let log = get(&api, "/desk/registry/log?page=2&lang=en", Some(reg)).await;
        assert_eq!(log.status, StatusCode::OK, "{name}");
        assert_eq!(
            testid_attrs(&log.body, "log-row", "data-index"),
            vec!["1", "0"]
        );
        assert_eq!(
            testid(&log.body, "pager-position").as_deref(),
            Some("Page 2 of 2")
        );
        assert_eq!(
            rel_link(&log.body, "prev").as_deref(),
            Some("/desk/registry/log?page=1")
        );
        assert!(
            unescape(&log.body).contains("/log/entries?start=0&end=2"),
            "{name}"
        );

        // 21 enterprises and the registry, by kind then name: Org 01 … Org 20 on page 1,
        // Org 21 and GBA Registry on page 2.
        for i in 1..=21 {
            s.create_org(&Viewer::System, &format!("Org {i:02}"), OrgKind::Enterprise)
                .await
                .unwrap();
        }
        let orgs = get(
            &api,
            "/desk/registry/organisations?page=2&lang=zh-Hans",
            Some(reg),
        )
        .await;
        assert_eq!(orgs.status, StatusCode::OK, "{name}");
        assert_eq!(
            testid_attrs(&orgs.body, "org-row", "data-name"),
            vec!["Org 21", "GBA Registry"]
        );
        assert_eq!(
            testid(&orgs.body, "pager-position").as_deref(),
            Some("第 2 页，共 2 页")
        );
        assert_eq!(
            testid(&orgs.body, "orgs-total").as_deref(),
            Some("共 22 个组织")
        );
        let orgs1 = get(&api, "/desk/registry/organisations?lang=en", Some(reg)).await;
        let names = testid_attrs(&orgs1.body, "org-row", "data-name");
        let want: Vec<String> = (1..=20).map(|i| format!("Org {i:02}")).collect();
        assert_eq!(names, want, "{name}");
    }
}
