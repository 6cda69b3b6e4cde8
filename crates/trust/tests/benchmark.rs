//! Benchmarks and grades on a fixed set of footprints, statistics worked by hand.

use serde_json::{Value, json};
use zuji_trust::benchmark::{
    BenchmarkError, BenchmarkValues, BenchmarkVersion, check_geography, compute, describe,
    from_policy, grade, percentile,
};
use zuji_trust::canonical::{to_canonical_json, to_canonical_json_of};
use zuji_trust::log::{EntryKind, LogEntry};
use zuji_trust::pcr::{BUNDLED_PCR_FILES, Pcr, Statistic, bundled_pcr};

/// The bundled battery-pack PCR: min sample 10, default P90, average mean, advanced P20;
/// bands A ≤ advanced, B ≤ average, C ≤ default, D ≤ 1.2 × default, E above.
fn battery() -> Pcr {
    bundled_pcr("zuji:pcr:battery-pack:draft").unwrap().unwrap()
}

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

/// Ten certified footprints, kg CO2e per kWh (a test fixture, not data).
const SAMPLE: [f64; 10] = [42.0, 35.0, 50.0, 38.0, 61.0, 45.0, 40.0, 55.0, 47.0, 37.0];

// By hand. Sorted: x0..x9 = 35, 37, 38, 40, 42, 45, 47, 50, 55, 61.
// Sum = 450, mean = 45.
// R type 7, h = (n − 1)·p = 9p:
//   P90: h = 8.1 → x8 + 0.1·(x9 − x8) = 55 + 0.1·6 = 55.6   (default)
//   P20: h = 1.8 → x1 + 0.8·(x2 − x1) = 37 + 0.8·1 = 37.8   (advanced)
//   P50: h = 4.5 → x4 + 0.5·(x5 − x4) = 42 + 0.5·3 = 43.5   (median)
// Deviations from 45: −10, −8, −7, −5, −3, 0, 2, 5, 10, 16; squares sum to
//   100 + 64 + 49 + 25 + 9 + 0 + 4 + 25 + 100 + 256 = 632; variance = 632 / 9.
// Bands: A ≤ 37.8, B ≤ 45, C ≤ 55.6, D ≤ 1.2 · 55.6 = 66.72, E above.
const TOL: f64 = 1e-9;

fn sample_benchmark() -> BenchmarkVersion {
    compute(&battery(), "2025", 1, &SAMPLE, "2026-01-15").unwrap()
}

#[test]
fn statistics_of_the_fixed_sample() {
    let b = sample_benchmark();
    assert!(
        (b.values.default - 55.6).abs() < TOL,
        "{}",
        b.values.default
    );
    assert!(
        (b.values.average - 45.0).abs() < TOL,
        "{}",
        b.values.average
    );
    assert!(
        (b.values.advanced - 37.8).abs() < TOL,
        "{}",
        b.values.advanced
    );
    let s = b.statistics.unwrap();
    assert_eq!(s.n, 10);
    assert_eq!(b.sample_size, Some(10));
    assert_eq!((s.min, s.max), (35.0, 61.0));
    assert!((s.median - 43.5).abs() < TOL);
    assert!((s.std_dev - (632.0_f64 / 9.0).sqrt()).abs() < TOL);
    assert_eq!(b.unit, "1 kWh");
    assert_eq!(b.pcr_id, "zuji:pcr:battery-pack:draft");
    assert_eq!(b.pcr_version, "0.1.0");
}

#[test]
fn percentile_type_7_at_the_ends_and_between() {
    let sorted = [35.0, 37.0, 38.0, 40.0, 42.0, 45.0, 47.0, 50.0, 55.0, 61.0];
    assert_eq!(percentile(&sorted, 0.0), Some(35.0));
    assert_eq!(percentile(&sorted, 100.0), Some(61.0));
    // P25: h = 2.25 → 38 + 0.25·2 = 38.5
    assert!((percentile(&sorted, 25.0).unwrap() - 38.5).abs() < TOL);
    assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
    assert_eq!(percentile(&[], 50.0), None);
    assert_eq!(percentile(&sorted, 101.0), None);
    assert!(describe(&[1.0]).is_none());
    assert_eq!(
        zuji_trust::benchmark::statistic(&sorted, Statistic::Median),
        percentile(&sorted, 50.0)
    );
}

#[test]
fn order_of_footprints_does_not_matter() {
    let mut rev = SAMPLE;
    rev.reverse();
    let a = sample_benchmark();
    let b = compute(&battery(), "2025", 1, &rev, "2026-01-15").unwrap();
    assert_eq!(a.values, b.values);
}

#[test]
fn too_few_footprints_is_a_clear_error() {
    let err = compute(&battery(), "2025", 1, &SAMPLE[..9], "2026-01-15").unwrap_err();
    assert_eq!(
        err.to_string(),
        "benchmark of zuji:pcr:battery-pack:draft for 2025: 9 certified footprint(s), the PCR requires at least 10"
    );
}

#[test]
fn a_non_finite_footprint_is_named() {
    let mut s = SAMPLE.to_vec();
    s[3] = f64::NAN;
    let err = compute(&battery(), "2025", 1, &s, "2026-01-15").unwrap_err();
    assert!(
        matches!(err, BenchmarkError::BadFootprint { index: 3, .. }),
        "{err}"
    );
}

#[test]
fn values_out_of_order_are_refused() {
    // Eleven footprints, ten of 1 and one of 1000: mean = 1010 / 11 ≈ 91.8, but
    // P90: h = 10 · 0.9 = 9 → x9 = 1. The average would exceed the default.
    let mut s = vec![1.0; 10];
    s.push(1000.0);
    let msg = compute(&battery(), "2025", 1, &s, "2026-01-15")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("values out of order"), "{msg}");

    // All equal: bands A ≤ 50 and B ≤ 50 would coincide.
    let msg = compute(&battery(), "2025", 1, &[50.0; 10], "2026-01-15")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("band 'B' bound 50 does not exceed band 'A' bound 50"),
        "{msg}"
    );
}

#[test]
fn methods_must_match_the_pcr() {
    let values = BenchmarkValues {
        default: 60.0,
        average: 45.0,
        advanced: 38.0,
    };
    let e = from_policy(&battery(), "2025", 1, values, "x", "2026-01-15").unwrap_err();
    assert!(matches!(e, BenchmarkError::WrongMethod { .. }), "{e}");
    let e = compute(&policy_pcr(), "2025", 1, &SAMPLE, "2026-01-15").unwrap_err();
    assert!(matches!(e, BenchmarkError::WrongMethod { .. }), "{e}");
}

#[test]
fn bad_publication_metadata_is_refused() {
    let e = compute(&battery(), "2025", 1, &SAMPLE, "yesterday").unwrap_err();
    assert!(e.to_string().contains("published_at"), "{e}");
    let e = compute(&battery(), "2025", 0, &SAMPLE, "2026-01-15").unwrap_err();
    assert!(e.to_string().contains("versions start at 1"), "{e}");
    assert!(compute(&battery(), "2025", 2, &SAMPLE, "2026-01-15T08:00:00Z").is_ok());
}

fn policy_benchmark() -> BenchmarkVersion {
    // Exact values so that boundary ties are exact: A ≤ 38, B ≤ 45, C ≤ 60, D ≤ 1.2 · 60 = 72.
    from_policy(
        &policy_pcr(),
        "2025",
        3,
        BenchmarkValues {
            default: 60.0,
            average: 45.0,
            advanced: 38.0,
        },
        "test policy document",
        "2026-01-15",
    )
    .unwrap()
}

#[test]
fn grades_on_and_around_each_boundary_of_a_policy_benchmark() {
    let pcr = policy_pcr();
    let b = policy_benchmark();
    let g = |v: f64| grade(v, &b, &pcr.grades).unwrap().grade;
    // On a boundary the better grade wins.
    assert_eq!(g(38.0), "A");
    assert_eq!(g(38.000_001), "B");
    assert_eq!(g(37.999_999), "A");
    assert_eq!(g(45.0), "B");
    assert_eq!(g(45.000_001), "C");
    assert_eq!(g(60.0), "C");
    assert_eq!(g(60.000_001), "D");
    assert_eq!(g(72.0), "D");
    assert_eq!(g(72.000_001), "E");
    assert_eq!(g(1e9), "E");
    // A net-negative footprint is simply the best.
    assert_eq!(g(-5.0), "A");
    let full = grade(50.0, &b, &pcr.grades).unwrap();
    assert_eq!(full.rank, 3);
    assert_eq!(full.upper_bound, Some(60.0));
    assert_eq!(full.benchmark_version, 3);
    assert_eq!(full.period, "2025");
    assert_eq!(b.sample_size, None);
    assert_eq!(b.source, "test policy document");
}

#[test]
fn grades_around_each_boundary_of_the_computed_benchmark() {
    let pcr = battery();
    let b = sample_benchmark();
    let g = |v: f64| grade(v, &b, &pcr.grades).unwrap().grade;
    assert_eq!(g(37.79), "A");
    assert_eq!(g(37.81), "B");
    // The mean is exactly 450 / 10 = 45, so 45 sits on the B bound.
    assert_eq!(g(45.0), "B");
    assert_eq!(g(45.01), "C");
    assert_eq!(g(55.59), "C");
    assert_eq!(g(55.61), "D");
    assert_eq!(g(66.71), "D");
    assert_eq!(g(66.73), "E");
    assert_eq!(grade(70.0, &b, &pcr.grades).unwrap().rank, 5);
}

#[test]
fn grading_refuses_non_finite_values() {
    let pcr = policy_pcr();
    let b = policy_benchmark();
    let e = grade(f64::NAN, &b, &pcr.grades).unwrap_err().to_string();
    assert_eq!(
        e,
        "grading with benchmark zuji:pcr:battery-pack:draft 2025 v3: footprint NaN is not a finite number"
    );
    assert!(grade(f64::INFINITY, &b, &pcr.grades).is_err());
}

#[test]
fn policy_values_out_of_order_are_refused() {
    let e = from_policy(
        &policy_pcr(),
        "2025",
        1,
        BenchmarkValues {
            default: 40.0,
            average: 45.0,
            advanced: 38.0,
        },
        "test",
        "2026-01-15",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("advanced 38 ≤ average 45 ≤ default 40 must hold"),
        "{e}"
    );
}

#[test]
fn a_benchmark_round_trips_through_json() {
    let b = sample_benchmark();
    let json = serde_json::to_string(&b).unwrap();
    let back: BenchmarkVersion = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // A larger footprint never gets a better grade.
        #[test]
        fn grades_are_monotone(a in -100.0f64..200.0, b in -100.0f64..200.0) {
            let pcr = policy_pcr();
            let bm = policy_benchmark();
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let g_lo = grade(lo, &bm, &pcr.grades).unwrap().rank;
            let g_hi = grade(hi, &bm, &pcr.grades).unwrap().rank;
            prop_assert!(g_lo <= g_hi);
        }

        // A type-7 percentile lies between the sample's minimum and maximum and is
        // non-decreasing in p.
        #[test]
        fn percentiles_are_bounded_and_ordered(
            mut xs in proptest::collection::vec(-1e6f64..1e6, 1..40),
            p in 0.0f64..=100.0,
            q in 0.0f64..=100.0,
        ) {
            xs.sort_by(f64::total_cmp);
            let (p, q) = if p <= q { (p, q) } else { (q, p) };
            let vp = percentile(&xs, p).unwrap();
            let vq = percentile(&xs, q).unwrap();
            prop_assert!(xs[0] <= vp && vp <= xs[xs.len() - 1]);
            prop_assert!(vp <= vq + 1e-9 * vq.abs().max(1.0));
        }
    }
}

// A benchmark's licence and geography: the shape of an ISO 3166 code, the check of a
// benchmark that states them, and versions published before they were recorded, which
// still parse and hash in the transparency log exactly as they were logged.

fn provincial_benchmark() -> BenchmarkVersion {
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
    let mut b = provincial_benchmark();
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
    let mut b = provincial_benchmark();
    b.licence = Some("CC BY 4.0".into());
    b.geography = Some("CN-GD".into());
    let v = serde_json::to_value(&b).unwrap();
    assert_eq!(v["licence"], json!("CC BY 4.0"));
    assert_eq!(v["geography"], json!("CN-GD"));
    let back: BenchmarkVersion = serde_json::from_value(v).unwrap();
    assert_eq!(back, b);
    // Not stated: the keys are left out, not written as null.
    let v = serde_json::to_value(provincial_benchmark()).unwrap();
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
