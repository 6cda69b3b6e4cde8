//! `zuji verify`: a label issued with the trust library — as PNG, SVG, QR text and bare
//! payload — verifies offline through the real binary; an altered value, a foreign key,
//! an unentitled signer and an expired date each fail with their reason. Online, against
//! a stand-in registry serving canned answers: a valid certificate with the label's log
//! entry included, a withdrawn certificate, an entry not yet covered by a tree head, and
//! a log entry about another label.
//!
//! The PNG labels need a CJK font (Debian: fonts-noto-cjk).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use zuji_model::product::SystemBoundary;
use zuji_trust::certification::PcrRef;
use zuji_trust::keys::{KeyRing, SignedStatement, SigningKeyPair};
use zuji_trust::label::{
    CertificationBodyRef, LabelGrade, LabelProduct, LabelSize, LabelStatement, Lang,
    REGISTRY_KEY_OWNER, encode_qr_payload, render_png, render_svg, sign_label,
};
use zuji_trust::log::{EntryKind, TransparencyLog};

const BASE: &str = "https://registry.example.org";
const DAY: i64 = 86_400;

/// Midnight UTC 30 days ago: the label is in force now, whenever the test runs.
fn valid_from() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    now - now % DAY - 30 * DAY
}

fn rfc3339(secs: i64) -> String {
    zuji_server::pact::time::format_rfc3339_ms(secs * 1000)
}

fn registry_key() -> SigningKeyPair {
    SigningKeyPair::from_secret_bytes(REGISTRY_KEY_OWNER, &[0x11; 32])
}

fn statement(log_index: Option<u64>) -> LabelStatement {
    let from = valid_from();
    LabelStatement {
        label_id: "LBL-2026-000123".to_string(),
        product: LabelProduct {
            name: "单晶硅光伏组件 ZJ-550M".to_string(),
            id: "PRD-PV-0042".to_string(),
            gtin: Some("06901234567892".to_string()),
        },
        value: 0.0456,
        unit: "kg CO2e".to_string(),
        declared_unit: "1 kWh".to_string(),
        boundary: SystemBoundary::CradleToGate,
        pcr: PcrRef {
            id: "ZJ-PCR-PV".to_string(),
            version: "1.0".to_string(),
        },
        databases: vec!["ecoinvent 3.10".to_string(), "CPCD 2025".to_string()],
        grade: Some(LabelGrade {
            grade: "B".to_string(),
            benchmark_period: "2025".to_string(),
            benchmark_version: 1,
        }),
        certificate_id: "CN-CFP-2026-000042".to_string(),
        certification_body: CertificationBodyRef {
            name: "中环认证中心".to_string(),
            org_id: "cb-zhcc".to_string(),
        },
        valid_from: from,
        valid_until: from + 730 * DAY,
        log_index,
    }
}

/// The registry's key ring: its own key and the certification body's.
fn ring() -> KeyRing {
    let published = valid_from() - DAY;
    KeyRing::from_keys(vec![
        registry_key().publish(published),
        SigningKeyPair::from_secret_bytes("cb-zhcc", &[0x22; 32]).publish(published),
    ])
    .unwrap()
}

fn issue(key: &SigningKeyPair, log_index: Option<u64>) -> (SignedStatement, String) {
    let signed = sign_label(key, &statement(log_index), valid_from() + 3_600).unwrap();
    let qr = encode_qr_payload(&signed, BASE).unwrap();
    (signed, qr)
}

fn bare(qr: &str) -> &str {
    qr.split_once("?z=").unwrap().1
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        let files = Files {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(files.keys(), serde_json::to_string(&ring()).unwrap()).unwrap();
        files
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn keys(&self) -> PathBuf {
        self.path("keys.json")
    }
}

fn zuji(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zuji"))
        .arg("verify")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn assert_verified(ok: bool, stdout: &str, stderr: &str) {
    assert!(ok, "stdout:\n{stdout}\nstderr:\n{stderr}");
    for expected in [
        "label LBL-2026-000123\n",
        "0.0456 kg CO2e per 1 kWh",
        "单晶硅光伏组件 ZJ-550M",
        "B (benchmark 2025 version 1)",
        "ZJ-PCR-PV version 1.0",
        "CN-CFP-2026-000042",
        "中环认证中心 (cb-zhcc)",
        &format!(
            "signature: valid (key {} of zuji-registry)",
            registry_key().key_id()
        ),
        "online checks: skipped (--offline)",
        "label LBL-2026-000123: verified",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in\n{stdout}");
    }
}

#[test]
fn png_label_verifies_offline() {
    let files = Files::new();
    let (_, qr) = issue(&registry_key(), Some(42));
    let svg = render_svg(&statement(Some(42)), Lang::ZhHans, &qr, LabelSize::Large).unwrap();
    let png = files.path("label.png");
    std::fs::write(&png, render_png(&svg, 800).unwrap()).unwrap();
    let (ok, out, err) = zuji(&[p(&png), "--keys", p(&files.keys()), "--offline"], None);
    assert_verified(ok, &out, &err);
    assert!(out.contains("log index          42"), "{out}");
}

#[test]
fn svg_labels_verify_offline_at_every_size() {
    let files = Files::new();
    let (_, qr) = issue(&registry_key(), Some(42));
    for (lang, size) in [
        (Lang::ZhHant, LabelSize::Large),
        (Lang::En, LabelSize::Medium),
        (Lang::ZhHans, LabelSize::Small),
    ] {
        let svg = render_svg(&statement(Some(42)), lang, &qr, size).unwrap();
        let path = files.path(&format!("label-{}.svg", size.width_px()));
        std::fs::write(&path, svg).unwrap();
        let (ok, out, err) = zuji(&[p(&path), "--keys", p(&files.keys()), "--offline"], None);
        assert_verified(ok, &out, &err);
    }
}

#[test]
fn qr_text_and_bare_payload_verify_as_argument_and_from_stdin() {
    let files = Files::new();
    let (_, qr) = issue(&registry_key(), Some(42));
    let keys = files.keys();
    for args in [
        vec![qr.as_str(), "--keys", p(&keys), "--offline"],
        vec![bare(&qr), "--keys", p(&keys), "--offline"],
    ] {
        let (ok, out, err) = zuji(&args, None);
        assert_verified(ok, &out, &err);
    }
    let (ok, out, err) = zuji(
        &["-", "--keys", p(&keys), "--offline"],
        Some(&format!("{qr}\n")),
    );
    assert_verified(ok, &out, &err);
    // A bare payload names no registry: the online checks are skipped, not failed.
    let (ok, out, err) = zuji(&[bare(&qr), "--keys", p(&keys)], None);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("online checks: skipped (no registry URL"),
        "{out}"
    );
}

#[test]
fn one_digit_of_the_value_changed_fails_on_the_signature() {
    let files = Files::new();
    let (_, qr) = issue(&registry_key(), Some(42));
    let (url, payload) = qr.split_once("?z=").unwrap();
    let parts: Vec<&str> = payload.split('.').collect();
    let json = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert!(json.contains(",0.0456,"), "{json}");
    let altered = URL_SAFE_NO_PAD.encode(json.replacen(",0.0456,", ",0.0356,", 1));
    let forged = format!("{url}?z={}.{altered}.{}.{}", parts[0], parts[2], parts[3]);
    let (ok, out, err) = zuji(&[&forged, "--keys", p(&files.keys()), "--offline"], None);
    assert!(!ok, "{out}");
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: label LBL-2026-000123: signature by key")
            && first.contains("does not match the signed content"),
        "{err}"
    );
    assert!(
        !out.contains("0.0356"),
        "nothing unverified is printed: {out}"
    );
}

#[test]
fn a_foreign_key_or_an_unentitled_signer_is_named() {
    let files = Files::new();
    // Not published: a forger's key that claims to be the registry's.
    let forger = SigningKeyPair::from_secret_bytes(REGISTRY_KEY_OWNER, &[0x33; 32]);
    let (_, qr) = issue(&forger, Some(42));
    let (ok, _, err) = zuji(&[&qr, "--keys", p(&files.keys()), "--offline"], None);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "label LBL-2026-000123: signature by key {}: no such key is published (keys: {})",
            forger.key_id(),
            p(&files.keys())
        )),
        "{err}"
    );
    // Published, but owned by another certification body than the one on the label.
    let other_body = SigningKeyPair::from_secret_bytes("cb-other", &[0x44; 32]);
    let mut keys = ring();
    keys.add(other_body.publish(valid_from() - DAY)).unwrap();
    std::fs::write(files.keys(), serde_json::to_string(&keys).unwrap()).unwrap();
    let (_, qr) = issue(&other_body, Some(42));
    let (ok, _, err) = zuji(&[&qr, "--keys", p(&files.keys()), "--offline"], None);
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "label LBL-2026-000123: signed by key {} of cb-other, which is neither the registry",
            other_body.key_id()
        )),
        "{err}"
    );
}

#[test]
fn after_valid_until_the_label_is_expired() {
    let files = Files::new();
    let (_, qr) = issue(&registry_key(), Some(42));
    let until = statement(None).valid_until;
    let (ok, _, err) = zuji(
        &[
            &qr,
            "--keys",
            p(&files.keys()),
            "--offline",
            "--at",
            &rfc3339(until),
        ],
        None,
    );
    assert!(!ok);
    assert!(
        err.starts_with(&format!(
            "error: label LBL-2026-000123: expired: valid until {} (exclusive), checked at {}",
            rfc3339(until),
            rfc3339(until)
        )),
        "{err}"
    );
    // One second earlier it is still in force.
    let (ok, out, err) = zuji(
        &[
            &qr,
            "--keys",
            p(&files.keys()),
            "--offline",
            "--at",
            &rfc3339(until - 1),
        ],
        None,
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = zuji(&[&qr, "--keys", p(&files.keys()), "--at", "tomorrow"], None);
    assert!(!ok);
    assert!(
        err.contains("--at \"tomorrow\": expected an RFC 3339"),
        "{err}"
    );
}

#[test]
fn missing_keys_files_and_images_without_a_code_are_explained() {
    let files = Files::new();
    let (_, qr) = issue(&registry_key(), Some(42));
    let (ok, _, err) = zuji(&[bare(&qr)], None);
    assert!(!ok);
    assert!(
        err.contains("pass --keys FILE or --url REGISTRY_BASE_URL"),
        "{err}"
    );
    let (ok, _, err) = zuji(&[&qr, "--offline"], None);
    assert!(!ok);
    assert!(
        err.contains("--offline needs the published keys: pass --keys FILE"),
        "{err}"
    );

    let missing = files.path("nosuch.png");
    let (ok, _, err) = zuji(&[p(&missing), "--keys", p(&files.keys())], None);
    assert!(!ok);
    assert!(err.contains("nosuch.png: no such file"), "{err}");

    let blank = files.path("blank.png");
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#fff"/></svg>"##;
    std::fs::write(&blank, render_png(svg, 300).unwrap()).unwrap();
    let (ok, _, err) = zuji(&[p(&blank), "--keys", p(&files.keys())], None);
    assert!(!ok);
    assert!(
        err.contains(&format!("{}: no readable QR code in the image", p(&blank))),
        "{err}"
    );
}

#[test]
fn json_output_for_programs() {
    let files = Files::new();
    let (signed, qr) = issue(&registry_key(), Some(42));
    let (ok, out, err) = zuji(
        &[&qr, "--keys", p(&files.keys()), "--offline", "--json"],
        None,
    );
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["signature"], "valid");
    assert_eq!(v["signer"], REGISTRY_KEY_OWNER);
    assert_eq!(v["key_id"], signed.key_id.as_str());
    assert_eq!(
        v["label"],
        serde_json::to_value(statement(Some(42))).unwrap()
    );
    assert_eq!(v["online"], false);
    assert_eq!(v["online_skipped"], "--offline");

    let at = rfc3339(statement(None).valid_until + DAY);
    let (ok, out, _) = zuji(
        &[
            &qr,
            "--keys",
            p(&files.keys()),
            "--offline",
            "--json",
            "--at",
            &at,
        ],
        None,
    );
    assert!(!ok);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["error"].as_str().unwrap().contains("expired"), "{v}");
    assert_eq!(v["label"], Value::Null);
}

// ---------------------------------------------------------------------------------
// Online, against a stand-in registry.

type Routes = Arc<Mutex<HashMap<String, (u16, Value)>>>;

/// Serves `routes` (path with query → status and JSON) on 127.0.0.1; 404 otherwise.
fn serve(routes: Routes) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let request = String::from_utf8_lossy(&request);
            let target = request.split(' ').nth(1).unwrap_or("/").to_string();
            let (status, body) = routes.lock().unwrap().get(&target).cloned().unwrap_or((
                404,
                json!({"code": "not_found", "message": format!("no route {target}")}),
            ));
            let body = body.to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

/// A log whose entry 2 is the label's `label_issued` entry, 4 entries in all.
fn log_with_label(signed: &SignedStatement, subject: &str) -> TransparencyLog {
    let mut log = TransparencyLog::new();
    let t = valid_from();
    log.append(
        EntryKind::CertificateIssued,
        "CN-CFP-2026-000041",
        t,
        json!({"n": 0}),
    )
    .unwrap();
    log.append(
        EntryKind::CertificateIssued,
        "CN-CFP-2026-000042",
        t,
        json!({"n": 1}),
    )
    .unwrap();
    log.append(
        EntryKind::LabelIssued,
        subject,
        t + 3_600,
        json!({"certificate_id": "CN-CFP-2026-000042", "signature": signed.sig, "key_id": signed.key_id}),
    )
    .unwrap();
    log.append(
        EntryKind::CertificateIssued,
        "CN-CFP-2026-000043",
        t + 7_200,
        json!({"n": 3}),
    )
    .unwrap();
    log
}

fn publish(routes: &Routes, log: &TransparencyLog, head_size: u64, status: &str, reason: &str) {
    let head = log
        .sth_at_size(&registry_key(), head_size, valid_from() + 10_000)
        .unwrap();
    let mut r = routes.lock().unwrap();
    r.clear();
    r.insert("/keys".into(), (200, serde_json::to_value(ring()).unwrap()));
    r.insert(
        "/log/sth".into(),
        (200, serde_json::to_value(&head).unwrap()),
    );
    r.insert(
        "/log/entries?start=2&end=3".into(),
        (
            200,
            json!({"size": log.len(), "entries": log.entries_range(2, 3)}),
        ),
    );
    if head_size > 2 {
        r.insert(
            format!("/log/proof/inclusion?index=2&size={head_size}"),
            (
                200,
                serde_json::to_value(log.inclusion_proof(2, head_size).unwrap()).unwrap(),
            ),
        );
    }
    r.insert(
        "/api/v1/certificates/CN-CFP-2026-000042".into(),
        (
            200,
            json!({
                "id": "CN-CFP-2026-000042",
                "status": status,
                // As the registry answers the public: the reason, not the record.
                "status_reason": if status == "valid" { Value::Null } else { json!(reason) },
                "certificate": null,
            }),
        ),
    );
}

#[test]
fn online_status_and_log_inclusion_against_a_registry() {
    let files = Files::new();
    let (signed, qr) = issue(&registry_key(), Some(2));
    let svg = render_svg(&statement(Some(2)), Lang::En, &qr, LabelSize::Medium).unwrap();
    let label = files.path("label.svg");
    std::fs::write(&label, svg).unwrap();
    let routes: Routes = Arc::default();
    let url = serve(routes.clone());
    let log = log_with_label(&signed, "LBL-2026-000123");

    // In force and logged: keys fetched from --url.
    publish(&routes, &log, 4, "valid", "");
    let (ok, out, err) = zuji(&[p(&label), "--url", &url], None);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("certificate status: valid (verdict: valid)"),
        "{out}"
    );
    assert!(
        out.contains("log inclusion: entry 2 is in the signed tree head of size 4"),
        "{out}"
    );
    assert!(out.contains("label LBL-2026-000123: verified"), "{out}");
    let (ok, out, _) = zuji(&[p(&label), "--url", &url, "--json"], None);
    assert!(ok);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["keys_source"], format!("{url}/keys"));
    assert_eq!(v["certificate"]["verdict"], "valid");
    assert_eq!(v["log"]["result"], "included");
    assert_eq!(v["log"]["tree_size"], 4);

    // Withdrawn: the verdict and the reason, first on stderr.
    publish(
        &routes,
        &log,
        4,
        "withdrawn",
        "the primary data were falsified",
    );
    let (ok, out, err) = zuji(
        &[p(&label), "--url", &url, "--keys", p(&files.keys())],
        None,
    );
    assert!(!ok, "{out}");
    assert_eq!(
        err.lines().next().unwrap_or_default(),
        "error: label LBL-2026-000123: certificate CN-CFP-2026-000042 was withdrawn (the label is revoked): the primary data were falsified"
    );

    // The newest head does not reach entry 2 yet: a warning, not a failure.
    publish(&routes, &log, 2, "valid", "");
    let (ok, out, err) = zuji(&[p(&label), "--url", &url], None);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains(
            "warning: log entry 2 is not yet covered by a signed tree head (the latest covers 2 entries)"
        ),
        "{out}"
    );

    // Entry 2 is about another label: named, with the index.
    let other = log_with_label(&signed, "LBL-2026-000999");
    publish(&routes, &other, 4, "valid", "");
    let (ok, out, err) = zuji(&[p(&label), "--url", &url], None);
    assert!(!ok, "{out}");
    assert!(
        err.starts_with(
            "error: label LBL-2026-000123: transparency log entry 2: is about LBL-2026-000999, not label LBL-2026-000123"
        ),
        "{err}"
    );

    // A head not signed by the registry's key.
    publish(&routes, &log, 4, "valid", "");
    let forged_head = log
        .sth(
            &SigningKeyPair::from_secret_bytes("cb-zhcc", &[0x22; 32]),
            valid_from() + 10_000,
        )
        .unwrap();
    routes.lock().unwrap().insert(
        "/log/sth".into(),
        (200, serde_json::to_value(&forged_head).unwrap()),
    );
    let (ok, _, err) = zuji(&[p(&label), "--url", &url], None);
    assert!(!ok);
    assert!(
        err.contains("the registry's latest signed tree head does not verify"),
        "{err}"
    );
}
