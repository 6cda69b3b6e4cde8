//! A benchmark's licence and geography: the shape of an ISO 3166 code, the check of a
//! benchmark that states them, and versions published before they were recorded, which
//! still parse and hash in the transparency log exactly as they were logged.

use serde_json::{Value, json};
use zuji_trust::benchmark::{BenchmarkValues, BenchmarkVersion, check_geography, from_policy};
use zuji_trust::canonical::{to_canonical_json, to_canonical_json_of};
use zuji_trust::log::{EntryKind, LogEntry};
use zuji_trust::pcr::{BUNDLED_PCR_FILES, Pcr};

/// The battery-pack PCR with a policy benchmark (bands A ≤ advanced, B ≤ average,
/// C ≤ default, D ≤ 1.2 × default, E above).
fn policy_pcr() -> Pcr {
    let text = BUNDLED_PCR_FILES
        .iter()
        .find(|(n, _)| *n == "battery-pack.toml")
        .unwrap()
        .1;
    let start = text.find("[benchmark]").unwrap();
    let end = text.find("[grades]").unwrap();
    let text = format!(
        "{}[benchmark]\nmethod = \"policy\"\nsource = \"test policy\"\n\n{}",
        &text[..start],
        &text[end..]
    );
    Pcr::from_toml(&text, "policy.toml").unwrap()
}

fn policy_benchmark() -> BenchmarkVersion {
    from_policy(
        &policy_pcr(),
        "2025",
        1,
        BenchmarkValues {
            default: 60.0,
            average: 45.5,
            advanced: 38.0,
        },
        "Provincial notice 2025-7",
        "2026-01-15",
    )
    .unwrap()
}

#[test]
fn geography_codes_have_the_iso_3166_shape() {
    for good in ["CN", "HK", "CN-GD", "CN-11", "GB-ENG", "FR-75C"] {
        assert_eq!(check_geography(good), Ok(()), "{good}");
    }
    for bad in [
        "Guangdong",
        "cn",
        "CHN",
        "C",
        "",
        "CN-",
        "CN-GDXX",
        "CN GD",
        "cn-gd",
        "CN-Gd",
        "-GD",
        "CN-GD-1",
    ] {
        let e = check_geography(bad).unwrap_err();
        assert_eq!(
            e,
            format!("geography '{bad}' is not an ISO 3166 code such as CN or CN-GD"),
            "{bad}"
        );
    }
}

#[test]
fn a_benchmark_checks_its_geography_and_licence() {
    let pcr = policy_pcr();
    let mut b = policy_benchmark();
    assert_eq!((b.licence.as_deref(), b.geography.as_deref()), (None, None));
    b.licence = Some("CC BY 4.0".into());
    b.geography = Some("CN-GD".into());
    assert_eq!(b.check(&pcr), Ok(()));

    let mut bad = b.clone();
    bad.geography = Some("Guangdong".into());
    assert_eq!(
        bad.check(&pcr),
        Err("geography 'Guangdong' is not an ISO 3166 code such as CN or CN-GD".into())
    );
    let mut blank = b.clone();
    blank.licence = Some("  ".into());
    assert_eq!(
        blank.check(&pcr),
        Err("the licence, when given, must not be empty".into())
    );
}

#[test]
fn licence_and_geography_round_trip_through_json() {
    let mut b = policy_benchmark();
    b.licence = Some("CC BY 4.0".into());
    b.geography = Some("CN-GD".into());
    let v = serde_json::to_value(&b).unwrap();
    assert_eq!(v["licence"], json!("CC BY 4.0"));
    assert_eq!(v["geography"], json!("CN-GD"));
    let back: BenchmarkVersion = serde_json::from_value(v).unwrap();
    assert_eq!(back, b);
    // Not stated: the keys are left out, not written as null.
    let v = serde_json::to_value(policy_benchmark()).unwrap();
    assert!(
        v.get("licence").is_none() && v.get("geography").is_none(),
        "{v}"
    );
}

/// A benchmark as a version before licence and geography were recorded wrote it (the
/// text of a `benchmark_published` log entry's body).
const LOGGED_BEFORE: &str = r#"{"pcr_id":"zuji:pcr:battery-pack:draft","pcr_version":"0.1.0","period":"2025","version":1,"unit":"1 kWh","values":{"default":60.0,"average":45.5,"advanced":38.0},"method":{"method":"policy","source":"test policy"},"sample_size":null,"statistics":null,"source":"Provincial notice 2025-7","published_at":"2026-01-15"}"#;

#[test]
fn versions_logged_before_still_parse_and_hash_the_same() {
    let logged: Value = serde_json::from_str(LOGGED_BEFORE).unwrap();
    let parsed: BenchmarkVersion = serde_json::from_value(logged.clone()).unwrap();
    assert_eq!(parsed.licence, None);
    assert_eq!(parsed.geography, None);
    assert_eq!(parsed.source, "Provincial notice 2025-7");
    // Written again, it is the same canonical JSON, so the log leaf is the same.
    assert_eq!(
        to_canonical_json_of(&parsed).unwrap(),
        to_canonical_json(&logged).unwrap()
    );
    let entry = |body: Value| LogEntry {
        index: 4,
        kind: EntryKind::BenchmarkPublished,
        subject: "zuji:pcr:battery-pack:draft/2025/v1".into(),
        timestamp: 1_768_435_200,
        body,
    };
    let rewritten = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        entry(rewritten).leaf_hash().unwrap(),
        entry(logged).leaf_hash().unwrap()
    );
}
