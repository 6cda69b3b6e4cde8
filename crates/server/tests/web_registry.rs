//! The public registry's pages end to end, on both backends and in all three languages.
//!
//! An enterprise certifies three products for real over the API (the shortest walk of
//! `tests/labels.rs`): two LFP battery packs (the bundled example, and a variant with
//! 10 % more cells per kWh) and the hot-rolled steel coil. Before the labels are issued
//! the registry publishes a battery benchmark computed from a sample built by hand from
//! the first pack's total t: 0.80 t, 0.85 t, …, 1.25 t. By the battery PCR's rule
//! (docs/pcr.md: default = P90, average = mean, advanced = P20, R type 7):
//!   advanced = s₁ + 0.8·(s₂ − s₁) = 0.85 t + 0.8 · 0.05 t = 0.89 t   (h = 9 · 0.2 = 1.8)
//!   average  = t · (0.80 + 0.05 · 4.5)                     = 1.025 t
//!   default  = s₈ + 0.1·(s₉ − s₈) = 1.20 t + 0.1 · 0.05 t = 1.205 t  (h = 9 · 0.9 = 8.1)
//! so the first pack (value t) is above the advanced value and at most the average:
//! grade B (A ≤ advanced, B ≤ average, C ≤ default, D ≤ 1.2 × default, E above).
//!
//! Every page is then read as the public would and checked for what it shows (values
//! formatted from the stored footprint totals, grades, statuses in the page's language,
//! label ids, benchmark markers), for raw catalog keys, and — on 繁體中文 pages — for
//! 简体中文 catalog phrases.

mod common;

use axum::http::{Method, StatusCode};
use common::{Api, Certifying, certified, computed_footprint, labelled, login, user};
use serde_json::{Value, json};
use std::collections::HashMap;
use zuji_server::{ServerConfig, bootstrap};
use zuji_store::{OrgKind, Role, Store};

const LFP: &str = include_str!("../../../examples/lfp-battery-pack.toml");
const COIL: &str = include_str!("../../../examples/hot-rolled-steel-coil.toml");
const PCR: &str = "zuji:pcr:battery-pack:draft";
const STEEL_PCR: &str = "zuji:pcr:steel-hot-rolled-coil:draft";
/// GS1 GTIN-13 worked by hand: 6·1+9·3+0·1+1·3+2·1+3·3+4·1+5·3+6·1+7·3+8·1+9·3 = 128,
/// check digit (10 − 8) mod 10 = 2.
const GTIN: &str = "6901234567892";
/// The same number with a wrong last digit.
const WRONG_GTIN: &str = "6901234567891";
const LANGS: [&str; 3] = ["zh-Hans", "zh-Hant", "en"];

/// The LFP example with a GTIN.
fn lfp_with_gtin() -> String {
    LFP.replacen(
        "category = \"battery-pack\"",
        &format!("category = \"battery-pack\"\ngtin = \"{GTIN}\""),
        1,
    )
}

/// The LFP example with 1.10 kWh of cells per kWh of pack, and its own name.
fn lfp_long_range() -> String {
    let text = LFP
        .replacen(
            "{ process = \"cell-production\", amount = 1,",
            "{ process = \"cell-production\", amount = 1.10,",
            1,
        )
        .replacen(
            "name = { zh = \"磷酸铁锂动力电池包\", en = \"LFP battery pack\" }",
            "name = { zh = \"磷酸铁锂动力电池包长续航版\", en = \"LFP battery pack long range\" }",
            1,
        );
    assert_ne!(text.matches("1.10").count(), 0);
    assert!(text.contains("长续航版"));
    text
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
    let api = Api::with_config(
        s,
        ServerConfig {
            rate_limit_per_second: 100_000,
            public_url: Some("https://registry.example.org".into()),
            public_cache_ttl: std::time::Duration::ZERO,
            ..Default::default()
        },
    );
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

/// A certified product: its id, name, certified total and certificate.
struct Certified {
    product_id: i64,
    name: String,
    total: f64,
    certificate: String,
}

/// Uploads and computes `model`, applies under `pcr`, has it reviewed, recomputed and
/// approved: the walk of tests/labels.rs (`common::certified`).
async fn certify(s: &Store, p: &Parties, model: &str, pcr: &str) -> Certified {
    let api = &p.api;
    let fid = computed_footprint(api, s, &p.enterprise, model).await;
    let (_, footprint) = api
        .get(&format!("/footprints/{fid}"), Some(&p.enterprise))
        .await;
    let product_id = footprint["product_id"].as_i64().unwrap();
    let (_, product) = api
        .get(&format!("/products/{product_id}"), Some(&p.enterprise))
        .await;
    let (_, out) = certified(s, &p.certifying(), fid, pcr).await;
    Certified {
        product_id,
        name: product["name"].as_str().unwrap().to_string(),
        total: footprint["total"].as_f64().unwrap(),
        certificate: out["certificate"]["id"].as_str().unwrap().to_string(),
    }
}

async fn issue_label(p: &Parties, certificate: &str) -> String {
    let issued = labelled(&p.certifying(), certificate).await;
    issued["label"]["id"].as_str().unwrap().to_string()
}

/// A page as the public sees it: status and HTML.
async fn page(api: &Api, uri: &str) -> (StatusCode, String) {
    let r = api.raw(Method::GET, uri, None, "", Vec::new()).await;
    (r.status, String::from_utf8(r.bytes).unwrap())
}

/// `uri` with `lang=` added.
fn in_lang(uri: &str, lang: &str) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}lang={lang}")
}

/// Three significant digits the way the pages write numbers (grouped thousands, a
/// point for decimals), worked out here for the magnitudes the test meets.
fn sig3(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{:.*}", decimals, a);
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The text of the element carrying `data-testid="id"` (its first occurrence), tags
/// inside removed.
fn testid_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{id}\""))?;
    let open_end = at + html[at..].find('>')? + 1;
    let tag_start = html[..at].rfind('<')?;
    let tag: String = html[tag_start + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    // The matching end tag, counting elements of the same name nested inside.
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 1;
    let mut i = open_end;
    while depth > 0 {
        let next_close = html[i..].find(&close)? + i;
        match html[i..next_close].find(&open) {
            Some(o) => {
                depth += 1;
                i += o + open.len();
            }
            None => {
                depth -= 1;
                if depth == 0 {
                    return Some(strip_tags(&html[open_end..next_close]).trim().to_string());
                }
                i = next_close + close.len();
            }
        }
    }
    None
}

/// An attribute of the element carrying `data-testid="id"`.
fn testid_attr(html: &str, id: &str, attr: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{id}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let key = format!("{attr}=\"");
    let v = tag.find(&key)? + key.len();
    Some(tag[v..v + tag[v..].find('"')?].to_string())
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The catalog: every phrase of `locales/*.toml` by key.
fn catalog() -> HashMap<String, HashMap<String, String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut all = HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let phrases: HashMap<String, HashMap<String, String>> = toml::from_str(&text).unwrap();
            all.extend(phrases);
        }
    }
    all
}

/// A phrase of the catalog in one language.
fn phrase(catalog: &HashMap<String, HashMap<String, String>>, key: &str, lang: &str) -> String {
    catalog[key][lang].clone()
}

/// Strings that are data, not the interface's words: the bundled PCRs' and the
/// adopted-standards list's texts (written in whichever script their authors used).
fn data_strings() -> Vec<String> {
    fn leaves(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
            Value::Object(o) => o.values().for_each(|x| leaves(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for pcr in zuji_trust::pcr::bundled_pcrs().unwrap() {
        leaves(&serde_json::to_value(&pcr).unwrap(), &mut out);
    }
    leaves(
        &serde_json::to_value(zuji_trust::pcr::bundled_adopted_standards().unwrap()).unwrap(),
        &mut out,
    );
    // Longest first, so a text is removed before any shorter text inside it.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// Text as the templates write it (askama escapes with numeric references).
fn html_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Problems with a page's words, once URLs and the data strings are taken out: a raw
/// catalog key shown (text matching `[a-z]+\.[a-z_]+\.[a-z_.]+`), and on a 繁體中文 page
/// a 简体中文 phrase of the catalog (one that differs from its 繁體 form and occurs in
/// no 繁體 phrase).
fn word_problems(
    html: &str,
    lang: &str,
    catalog: &HashMap<String, HashMap<String, String>>,
    data: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    // URLs: attribute values that are addresses, and absolute URLs in text.
    let mut text = html.to_string();
    for attr in ["href=\"", "src=\"", "action=\"", "xmlns=\""] {
        while let Some(i) = text.find(attr) {
            let start = i + attr.len();
            let end = start + text[start..].find('"').unwrap_or(0);
            text.replace_range(i..=end, "");
        }
    }
    for scheme in ["https://", "http://"] {
        while let Some(i) = text.find(scheme) {
            let end = i + text[i..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
                .unwrap_or(text.len() - i);
            text.replace_range(i..end, "");
        }
    }
    // Data (the rules' own texts, which cite web pages without a scheme) is not words.
    for d in data {
        text = text.replace(d.as_str(), "").replace(&html_escape(d), "");
    }
    let b = text.as_bytes();
    let lower = |c: u8| c.is_ascii_lowercase();
    let word = |c: u8| c.is_ascii_lowercase() || c == b'_';
    for start in 0..b.len() {
        if !lower(b[start]) || (start > 0 && lower(b[start - 1])) {
            continue;
        }
        let mut i = start;
        while i < b.len() && lower(b[i]) {
            i += 1;
        }
        if i >= b.len() || b[i] != b'.' {
            continue;
        }
        let mid = i + 1;
        let mut j = mid;
        while j < b.len() && word(b[j]) {
            j += 1;
        }
        if j == mid || j >= b.len() || b[j] != b'.' {
            continue;
        }
        if j + 1 < b.len() && (word(b[j + 1]) || b[j + 1] == b'.') {
            let end = (j + 20).min(b.len());
            problems.push(format!(
                "raw key? {:?}",
                String::from_utf8_lossy(&b[start..end])
            ));
        }
    }
    if lang == "zh-Hant" {
        let visible = text;
        let hant: Vec<&String> = catalog.values().map(|p| &p["zh-Hant"]).collect();
        for (key, p) in catalog {
            let hans = &p["zh-Hans"];
            // Placeholders split a phrase; check its fixed parts.
            for part in hans.split(['{', '}']).step_by(2) {
                let part = part.trim();
                if part.chars().count() < 2
                    || !part.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                    || hant.iter().any(|h| h.contains(part))
                {
                    continue;
                }
                if visible.contains(part) {
                    problems.push(format!("简体 phrase of {key} on a 繁體 page: {part:?}"));
                }
            }
        }
    }
    problems
}

#[tokio::test]
async fn the_public_registry_shows_certified_products_in_three_languages() {
    let catalog = catalog();
    let data = data_strings();
    for t in zuji_store::testing::both().await {
        let (s, name) = (&t.store, t.name);
        let p = parties(s).await;
        let api = &p.api;

        let first = certify(s, &p, &lfp_with_gtin(), PCR).await;
        let second = certify(s, &p, &lfp_long_range(), PCR).await;
        let coil = certify(s, &p, COIL, STEEL_PCR).await;
        let t1 = first.total;
        assert!(
            (10.0..100.0).contains(&t1),
            "{name}: the LFP pack is tens of kg CO2e per kWh: {t1}"
        );
        assert!(second.total > t1, "{name}: more cells, more CO2e");
        // The first pack's stages are disclosed; the second's are not.
        let (status, _) = api
            .post(
                &format!("/products/{}/disclosure", first.product_id),
                Some(&p.enterprise),
                json!({"disclosed": true}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        // The battery benchmark (see the module comment), published before the labels.
        let pcr = zuji_trust::pcr::bundled_pcr(PCR).unwrap().unwrap();
        let sample: Vec<f64> = (0..10).map(|i| t1 * (0.80 + 0.05 * i as f64)).collect();
        let bench = zuji_trust::benchmark::compute(&pcr, "2024", 1, &sample, "2026-01-15").unwrap();
        let (status, out) = api
            .post(
                "/benchmarks",
                Some(&p.registry),
                serde_json::to_value(&bench).unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {out}");
        let (advanced, average, default) = (0.89 * t1, 1.025 * t1, 1.205 * t1);
        for (got, want) in [
            (bench.values.advanced, advanced),
            (bench.values.average, average),
            (bench.values.default, default),
        ] {
            assert!((got - want).abs() < 1e-9 * want, "{name}: {got} vs {want}");
        }
        // The second pack's grade by the bands, worked from its own total.
        let t2 = second.total;
        let second_grade = if t2 <= advanced {
            "A"
        } else if t2 <= average {
            "B"
        } else if t2 <= default {
            "C"
        } else if t2 <= 1.2 * default {
            "D"
        } else {
            "E"
        };

        let l1 = issue_label(&p, &first.certificate).await;
        let l2 = issue_label(&p, &second.certificate).await;
        let l3 = issue_label(&p, &coil.certificate).await;
        assert_eq!(
            (l1.as_str(), l2.as_str(), l3.as_str()),
            ("LBL-000001", "LBL-000002", "LBL-000003")
        );

        let mut problems = Vec::new();
        let mut check = |uri: &str, lang: &str, html: &str| {
            for problem in word_problems(html, lang, &catalog, &data) {
                problems.push(format!("{name} {uri} [{lang}]: {problem}"));
            }
        };

        for lang in LANGS {
            let status_valid = phrase(&catalog, "registry.status.valid", lang);

            // Home: the categories with their counts, the newest products.
            let (status, html) = page(api, &in_lang("/", lang)).await;
            assert_eq!(status, StatusCode::OK, "{name} {lang}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")));
            let battery_title = match lang {
                "zh-Hans" => &pcr.title.zh_hans,
                "zh-Hant" => &pcr.title.zh_hant,
                _ => &pcr.title.en,
            };
            let at = html
                .find(&html_escape(battery_title))
                .expect("battery category listed");
            assert!(
                html[at..].find("data-count=\"2\"").is_some(),
                "{name} {lang}: two battery packs"
            );
            assert_eq!(
                count(&html, "data-testid=\"search-result\""),
                3,
                "{name} {lang}"
            );
            check("/", lang, &html);

            // Search: all three, by name, by GTIN, by grade.
            let (_, html) = page(api, &in_lang("/registry", lang)).await;
            assert_eq!(
                testid_attr(&html, "search-summary", "data-total").as_deref(),
                Some("3")
            );
            assert_eq!(count(&html, "data-testid=\"search-result\""), 3);
            assert_eq!(
                count(&html, &format!(">{status_valid}<")),
                3,
                "{name} {lang}"
            );
            check("/registry", lang, &html);
            let q = form_urlencoded::byte_serialize(first.name.as_bytes()).collect::<String>();
            let (_, html) = page(api, &in_lang(&format!("/registry?q={q}"), lang)).await;
            assert_eq!(
                count(&html, "data-testid=\"search-result\""),
                2,
                "{name} {lang}: {} is in both names",
                first.name
            );
            let q2 = form_urlencoded::byte_serialize(second.name.as_bytes()).collect::<String>();
            let (_, html) = page(api, &in_lang(&format!("/registry?q={q2}"), lang)).await;
            assert_eq!(count(&html, "data-testid=\"search-result\""), 1);
            assert!(html.contains(&format!("data-product-id=\"{}\"", second.product_id)));
            for uri in [
                format!("/registry?q={GTIN}"),
                format!("/registry?gtin={GTIN}"),
            ] {
                let (_, html) = page(api, &in_lang(&uri, lang)).await;
                assert_eq!(
                    count(&html, "data-testid=\"search-result\""),
                    1,
                    "{name} {lang} {uri}"
                );
                assert!(html.contains(&format!("data-product-id=\"{}\"", first.product_id)));
                assert!(html.contains(">LBL-000001<"));
            }
            for uri in [
                format!("/registry?q={WRONG_GTIN}"),
                format!("/registry?gtin={WRONG_GTIN}"),
            ] {
                let (status, html) = page(api, &in_lang(&uri, lang)).await;
                assert_eq!(status, StatusCode::OK);
                let problem =
                    testid_text(&html, "search-problem").expect("the check digit is named");
                let wanted = match lang {
                    "zh-Hans" => "校验位不正确：最后一位是 1，按 GS1 规则应为 2",
                    "zh-Hant" => "校驗位不正確：最後一位是 1，按 GS1 規則應為 2",
                    _ => {
                        "the check digit of barcode 6901234567891 is wrong: the last digit is 1, the GS1 rule gives 2"
                    }
                };
                assert!(problem.contains(wanted), "{name} {lang}: {problem}");
                assert_eq!(count(&html, "data-testid=\"search-result\""), 0);
                check(&uri, lang, &html);
            }
            let (_, html) = page(api, &in_lang("/registry?gtin=12345", lang)).await;
            assert!(
                testid_text(&html, "search-problem")
                    .unwrap()
                    .contains("12345")
            );
            let (_, html) = page(api, &in_lang("/registry?grade=B", lang)).await;
            let expected_b = if second_grade == "B" { 2 } else { 1 };
            assert_eq!(
                count(&html, "data-testid=\"search-result\""),
                expected_b,
                "{name} {lang}"
            );
            let (_, html) = page(
                api,
                &in_lang(
                    &format!("/registry?grade={second_grade}&category={PCR}"),
                    lang,
                ),
            )
            .await;
            assert!(html.contains(&format!("data-product-id=\"{}\"", second.product_id)));
            let (_, html) = page(
                api,
                &in_lang(&format!("/registry?category={STEEL_PCR}"), lang),
            )
            .await;
            assert_eq!(count(&html, "data-testid=\"search-result\""), 1);
            let (_, html) = page(api, &in_lang("/registry?org=dongguan", lang)).await;
            assert_eq!(
                count(&html, "data-testid=\"search-result\""),
                3,
                "enterprise names match in any case"
            );
            let (_, html) = page(api, &in_lang("/registry?org=nobody", lang)).await;
            assert_eq!(count(&html, "data-testid=\"search-result\""), 0);
            let (_, html) = page(api, &in_lang("/registry?sort=lowest&category=", lang)).await;
            let first_row = html
                .find(&format!("data-product-id=\"{}\"", first.product_id))
                .unwrap();
            let second_row = html
                .find(&format!("data-product-id=\"{}\"", second.product_id))
                .unwrap();
            assert!(first_row < second_row, "{name} {lang}: lowest first");
            let (_, html) = page(api, &in_lang("/registry?grade=Z", lang)).await;
            assert!(testid_text(&html, "search-problem").is_some());

            // The first pack's page.
            let uri = format!("/registry/products/{}", first.product_id);
            let (status, html) = page(api, &in_lang(&uri, lang)).await;
            assert_eq!(status, StatusCode::OK, "{name} {lang}: {html}");
            assert_eq!(
                testid_text(&html, "product-value").unwrap(),
                sig3(t1),
                "{name} {lang}"
            );
            assert_eq!(
                testid_text(&html, "product-unit").unwrap(),
                "kg CO2e / 1 kWh"
            );
            assert_eq!(testid_text(&html, "product-grade").unwrap(), "B");
            assert_eq!(
                testid_text(&html, "certificate-status").unwrap(),
                status_valid
            );
            assert_eq!(
                testid_text(&html, "certificate-id").unwrap(),
                first.certificate
            );
            assert_eq!(testid_text(&html, "label-id").unwrap(), "LBL-000001");
            assert_eq!(
                testid_attr(&html, "label-image", "src").unwrap(),
                format!("/api/v1/labels/LBL-000001/label.svg?lang={lang}")
            );
            assert!(!testid_attr(&html, "label-image", "alt").unwrap().is_empty());
            assert_eq!(
                testid_attr(&html, "label-verdict", "data-verdict").as_deref(),
                Some("valid")
            );
            assert_eq!(
                testid_text(&html, "label-verdict").unwrap(),
                phrase(&catalog, "registry.verdict.valid", lang)
            );
            assert!(html.contains(&format!("href=\"/verify/LBL-000001?lang={lang}\"")));
            for (id, v) in [
                ("benchmark-advanced", advanced),
                ("benchmark-average", average),
                ("benchmark-default", default),
            ] {
                let raw: f64 = testid_attr(&html, id, "data-value")
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((raw - v).abs() < 1e-9 * v, "{name} {lang} {id}");
                assert!(
                    testid_text(&html, id).unwrap().starts_with(&sig3(v)),
                    "{name} {lang} {id}"
                );
            }
            assert_eq!(
                testid_text(&html, "product-position")
                    .unwrap()
                    .split(" · ")
                    .next()
                    .unwrap(),
                phrase(&catalog, "registry.position.average", lang)
            );
            // Stages of the disclosed pack: raw materials and production, in words.
            let stages = testid_text(&html, "product-stages").expect("stages disclosed");
            for key in ["registry.stage.raw_material", "registry.stage.production"] {
                assert!(
                    stages.contains(&phrase(&catalog, key, lang)),
                    "{name} {lang}: {stages}"
                );
            }
            let history = testid_text(&html, "certificate-history").unwrap();
            assert!(history.contains(&phrase(&catalog, "registry.event.issued", lang)));
            check(&uri, lang, &html);

            // The second pack's stages are not disclosed.
            let uri2 = format!("/registry/products/{}", second.product_id);
            let (_, html) = page(api, &in_lang(&uri2, lang)).await;
            assert!(testid_text(&html, "product-stages").is_none());
            assert!(testid_text(&html, "product-stages-hidden").is_some());
            assert_eq!(testid_text(&html, "product-grade").unwrap(), second_grade);
            assert_eq!(testid_text(&html, "product-value").unwrap(), sig3(t2));
            check(&uri2, lang, &html);
            // The coil has no benchmark: not graded.
            let uri3 = format!("/registry/products/{}", coil.product_id);
            let (_, html) = page(api, &in_lang(&uri3, lang)).await;
            assert_eq!(
                testid_text(&html, "product-grade").unwrap(),
                phrase(&catalog, "registry.grade.none_short", lang)
            );
            assert_eq!(testid_text(&html, "product-unit").unwrap(), "kg CO2e / 1 t");
            check(&uri3, lang, &html);

            // The battery category: benchmark, histogram with the three markers, grades,
            // ranking lowest first.
            let uri = format!("/registry/categories/{PCR}");
            let (status, html) = page(api, &in_lang(&uri, lang)).await;
            assert_eq!(status, StatusCode::OK);
            for (id, key, v) in [
                (
                    "benchmark-advanced",
                    "registry.benchmark.advanced",
                    advanced,
                ),
                ("benchmark-average", "registry.benchmark.average", average),
                ("benchmark-default", "registry.benchmark.default", default),
            ] {
                assert_eq!(
                    testid_text(&html, id).unwrap(),
                    sig3(v),
                    "{name} {lang} {id}"
                );
                let marker = format!(">{} {}</text>", phrase(&catalog, key, lang), sig3(v));
                assert!(
                    html.contains(&marker),
                    "{name} {lang}: histogram marker {marker}"
                );
            }
            assert!(html.contains("data-testid=\"histogram\""));
            assert_eq!(
                testid_attr(&html, "ranking-summary", "data-total").as_deref(),
                Some("2")
            );
            let rows: Vec<usize> = [first.product_id, second.product_id]
                .iter()
                .map(|id| {
                    html.find(&format!(
                        "data-testid=\"ranking-row\" data-product-id=\"{id}\""
                    ))
                    .unwrap()
                })
                .collect();
            assert!(rows[0] < rows[1], "{name} {lang}: lowest first");
            assert!(html.contains("name=\"ids\""), "checkboxes to compare");
            assert!(html.contains("data-grade=\"B\">"));
            check(&uri, lang, &html);

            // Comparison: the two packs side by side; the coil refused.
            let uri = format!(
                "/registry/compare?ids={},{}",
                first.product_id, second.product_id
            );
            let (status, html) = page(api, &in_lang(&uri, lang)).await;
            assert_eq!(status, StatusCode::OK, "{name} {lang}: {html}");
            assert_eq!(count(&html, "data-testid=\"compare-value\""), 2);
            assert!(html.contains(&format!(">{}</td>", sig3(t1))));
            assert!(html.contains(&format!(">{}</td>", sig3(t2))));
            check(&uri, lang, &html);
            // The checkboxes' form sends ids=1&ids=2.
            let uri = format!(
                "/registry/compare?ids={}&ids={}",
                first.product_id, second.product_id
            );
            assert_eq!(page(api, &in_lang(&uri, lang)).await.0, StatusCode::OK);
            let uri = format!(
                "/registry/compare?ids={},{}",
                first.product_id, coil.product_id
            );
            let (status, html) = page(api, &in_lang(&uri, lang)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            let message = testid_text(&html, "error-message").unwrap();
            let refused = match lang {
                "zh-Hans" => "无法比较",
                "zh-Hant" => "無法比較",
                _ => "Cannot compare",
            };
            assert!(
                message.starts_with(refused) && message.contains(STEEL_PCR),
                "{name} {lang}: {message}"
            );
            check(&uri, lang, &html);
            for uri in [
                format!("/registry/compare?ids={}", first.product_id),
                "/registry/compare?ids=a,b".into(),
            ] {
                let (status, html) = page(api, &in_lang(&uri, lang)).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
                check(&uri, lang, &html);
            }

            // Unknown things are localized 404 pages.
            for uri in [
                "/registry/products/999999",
                "/registry/products/abc",
                "/registry/categories/zuji:pcr:none",
                "/registry/pcrs/zuji:pcr:none",
            ] {
                let (status, html) = page(api, &in_lang(uri, lang)).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{name} {lang} {uri}");
                assert!(html.contains(&format!("<html lang=\"{lang}\">")));
                assert!(testid_text(&html, "error-message").is_some(), "{uri}");
                check(uri, lang, &html);
            }
            let (_, html) = page(api, &in_lang("/registry/products/999999", lang)).await;
            let wanted = match lang {
                "zh-Hans" => "登记处没有编号为 999999 的获证产品",
                "zh-Hant" => "登記處沒有編號為 999999 的獲證產品",
                _ => "The registry has no certified product 999999",
            };
            assert!(
                testid_text(&html, "error-message")
                    .unwrap()
                    .contains(wanted)
            );

            // The other pages.
            for uri in [
                "/registry/categories",
                "/registry/policy",
                "/registry/open-data",
                &format!("/registry/pcrs/{PCR}"),
                &format!("/registry/pcrs/{STEEL_PCR}?version=0.1.0"),
            ] {
                let (status, html) = page(api, &in_lang(uri, lang)).await;
                assert_eq!(status, StatusCode::OK, "{name} {lang} {uri}");
                check(uri, lang, &html);
            }
        }

        // Policy: every adopted standard and every PCR, each PCR linked to its page.
        let (_, html) = page(api, "/registry/policy?lang=en").await;
        let list = zuji_trust::pcr::bundled_adopted_standards().unwrap();
        for e in &list.entries {
            assert!(html.contains(&html_escape(&e.code)), "{name}: {}", e.code);
        }
        for p in zuji_trust::pcr::bundled_pcrs().unwrap() {
            let encoded: String = form_urlencoded::byte_serialize(p.id.as_bytes()).collect();
            assert!(
                html.contains(&format!("/registry/pcrs/{encoded}?version={}", p.version)),
                "{name}: {}",
                p.id
            );
        }
        // A PCR's page: mandatory items, declared unit, stages, grading rule.
        let (_, html) = page(api, &format!("/registry/pcrs/{PCR}?lang=en")).await;
        assert!(html.contains("Cell and pack plant electricity"));
        assert!(html.contains("1 kWh (declared unit)"));
        assert!(html.contains("at most 1.2 × the Default value"), "{name}");
        assert!(html.contains("Raw material acquisition · Production"));

        // Open data: every example link answers.
        let (_, html) = page(api, "/registry/open-data?lang=en").await;
        let mut examples = 0;
        let mut rest = html.as_str();
        while let Some(i) = rest.find("<a href=\"") {
            rest = &rest[i + 9..];
            let link = &rest[..rest.find('"').unwrap()];
            let is_example = rest[..rest.find('>').unwrap()].contains("open-data-example");
            if is_example {
                examples += 1;
                let link = link.replace("&amp;", "&").replace("&#38;", "&");
                let r = api.raw(Method::GET, &link, None, "", Vec::new()).await;
                assert_eq!(r.status, StatusCode::OK, "{name}: {link}");
            }
        }
        assert!(examples >= 20, "{name}: {examples} examples");
        assert!(html.contains("/api/v1/open/gtin/6901234567892"));

        // Suspended: still listed, with its status; out of the ranking; the reason and
        // the event in the history.
        let (status, out) = api
            .post(
                &format!("/certificates/{}/actions", second.certificate),
                Some(&p.body),
                json!({"action": "suspend", "reason": "surveillance found metering gaps"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{name}: {out}");
        // Withdrawn: no longer listed; its page says so.
        let (status, out) = api
            .post(
                &format!("/certificates/{}/actions", coil.certificate),
                Some(&p.body),
                json!({"action": "withdraw", "reason": "scope no longer produced"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{name}: {out}");
        for lang in LANGS {
            let (_, html) = page(api, &in_lang("/registry", lang)).await;
            assert_eq!(
                count(&html, "data-testid=\"search-result\""),
                2,
                "{name} {lang}"
            );
            assert!(html.contains(&format!(
                ">{}<",
                phrase(&catalog, "registry.status.suspended", lang)
            )));
            assert!(!html.contains(&format!("data-product-id=\"{}\"", coil.product_id)));
            let (_, html) = page(api, &in_lang(&format!("/registry/categories/{PCR}"), lang)).await;
            assert_eq!(
                testid_attr(&html, "ranking-summary", "data-total").as_deref(),
                Some("1")
            );
            let (_, html) = page(
                api,
                &in_lang(&format!("/registry/products/{}", second.product_id), lang),
            )
            .await;
            assert_eq!(
                testid_text(&html, "certificate-status").unwrap(),
                phrase(&catalog, "registry.status.suspended", lang)
            );
            assert_eq!(
                testid_text(&html, "certificate-reason").unwrap(),
                "surveillance found metering gaps"
            );
            let history = testid_text(&html, "certificate-history").unwrap();
            assert!(history.contains(&phrase(&catalog, "registry.event.suspended", lang)));
            assert!(history.contains("surveillance found metering gaps"));
            assert_eq!(
                testid_attr(&html, "label-verdict", "data-verdict").as_deref(),
                Some("suspended")
            );
            let (status, html) = page(
                api,
                &in_lang(&format!("/registry/products/{}", coil.product_id), lang),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::OK,
                "a withdrawn product's page stays, saying so"
            );
            assert_eq!(
                testid_text(&html, "certificate-status").unwrap(),
                phrase(&catalog, "registry.status.withdrawn", lang)
            );
            assert_eq!(
                testid_attr(&html, "label-verdict", "data-verdict").as_deref(),
                Some("revoked")
            );
            check("/registry/products/{coil}", lang, &html);
        }

        // A product that was never certified is not in the registry.
        let (status, created) = api
            .call(
                Method::POST,
                "/products",
                Some(&p.enterprise),
                "application/toml",
                LFP.as_bytes().to_vec(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let uncertified = created["product"]["id"].as_i64().unwrap();
        let (status, _) = page(api, &format!("/registry/products/{uncertified}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
