//! The HTML of the hand-built report and certificate against golden files in
//! `tests/golden/`. After an intended change, regenerate them with
//! `UPDATE_GOLDEN=1 cargo test -p zuji-report --test html` and review the diff.

mod common;

use std::path::PathBuf;

use zuji_report::{Lang, certificate_html, render_html};

fn check_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the rendered HTML, first at line {}:\n  golden: {:?}\n  actual: {:?}\nrun with UPDATE_GOLDEN=1 to accept the change",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn study_report_html_matches_the_golden_files() {
    let report = common::report();
    check_golden(
        "study-report.zh-Hans.html",
        &render_html(&report, Lang::ZhHans),
    );
    check_golden(
        "study-report.zh-Hant.html",
        &render_html(&report, Lang::ZhHant),
    );
    check_golden("study-report.en.html", &render_html(&report, Lang::En));
}

#[test]
fn certificate_html_matches_the_golden_file() {
    check_golden(
        "certificate.zh-Hans.html",
        &certificate_html(&common::certificate(), Lang::ZhHans),
    );
}

#[test]
fn html_is_standalone_and_escapes_user_text() {
    let html = render_html(&common::report(), Lang::En);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for forbidden in ["<script", "<link", " src=", "url(", "@import"] {
        assert!(
            !html.contains(forbidden),
            "the page loads something: {forbidden}"
        );
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("size: A4"));
    // User strings with markup characters arrive as text.
    assert!(html.contains("Values &lt; 1% &amp; &quot;rounded&quot; shares"));
    assert!(html.contains("&lt;not a real product&gt; &amp; not for comparison"));
    assert!(!html.contains("<not a real product>"));
    // Three charts (stages, gases, contributors), inline, each with role and title.
    assert_eq!(html.matches("<svg ").count(), 3);
    assert_eq!(html.matches("role=\"img\"").count(), 3);
    // Not reported rather than invented: the cut-off share and iLUC are unknown.
    assert!(html.contains("<th scope=\"row\">Share cut off</th><td>not reported</td>"));
    assert!(
        html.contains(
            "<td>Indirect land-use change (iLUC)</td><td class=\"num\">not quantified</td>"
        )
    );
}
