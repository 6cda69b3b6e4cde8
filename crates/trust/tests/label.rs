//! Carbon labels end to end: issue, draw, read the QR code back from the PNG's pixels,
//! verify offline; and every way a forged or stale label must fail, with its reason.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use std::path::PathBuf;
use zuji_model::product::SystemBoundary;
use zuji_trust::certification::PcrRef;
use zuji_trust::keys::{KeyRing, SignedStatement, SigningKeyPair, VerifyError};
use zuji_trust::label::{
    CertificateStatusInfo, CertificationBodyRef, LabelError, LabelFonts, LabelGrade, LabelProduct,
    LabelSize, LabelStatement, LabelVerdict, Lang, apply_status, decode_qr_payload,
    encode_qr_payload, qr_version, render_png, render_png_with, render_svg, sign_label,
    verify_offline,
};

/// 2026-01-01T00:00:00Z.
const JAN_2026: i64 = 1_767_225_600;
/// 2028-01-01T00:00:00Z: two years (730 days) later.
const JAN_2028: i64 = JAN_2026 + 730 * 86_400;
const SIGNED_AT: i64 = JAN_2026 + 3_600;
/// Mid-2026: inside the label's validity.
const NOW: i64 = JAN_2026 + 180 * 86_400;
const REGISTRY: &str = "https://registry.zuji.example";

fn registry_key() -> SigningKeyPair {
    SigningKeyPair::from_secret_bytes("zuji-registry", &[0x11; 32])
}

fn body_key() -> SigningKeyPair {
    SigningKeyPair::from_secret_bytes("cb-zhcc", &[0x22; 32])
}

/// A stranger's key: never published.
fn stranger_key() -> SigningKeyPair {
    SigningKeyPair::from_secret_bytes("zuji-registry", &[0x33; 32])
}

fn ring() -> KeyRing {
    KeyRing::from_keys(vec![
        registry_key().publish(JAN_2026 - 86_400),
        body_key().publish(JAN_2026 - 86_400),
    ])
    .unwrap()
}

fn statement() -> LabelStatement {
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
        valid_from: JAN_2026,
        valid_until: JAN_2028,
        log_index: Some(42),
    }
}

fn issued() -> (LabelStatement, SignedStatement, String) {
    let statement = statement();
    let signed = sign_label(&registry_key(), &statement, SIGNED_AT).unwrap();
    let qr = encode_qr_payload(&signed, REGISTRY).unwrap();
    (statement, signed, qr)
}

/// A directory outside `target` for the images a person may want to look at.
fn output_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("zuji-label-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads every QR code in a PNG from its pixels (composited on white, as printed).
fn read_qr_codes(png: &[u8]) -> Vec<String> {
    zuji_trust::label::read_qr_codes_png(png).unwrap()
}

fn tamper_value(qr: &str, from: &str, to: &str) -> String {
    let (url, payload) = qr.split_once("?z=").unwrap();
    let parts: Vec<&str> = payload.split('.').collect();
    let json = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert!(json.contains(from), "{json}");
    let forged = URL_SAFE_NO_PAD.encode(json.replacen(from, to, 1));
    format!("{url}?z={}.{forged}.{}.{}", parts[0], parts[2], parts[3])
}

#[test]
fn issue_render_read_pixels_and_verify_offline_in_every_language() {
    let (statement, signed, qr) = issued();
    let dir = output_dir();
    for lang in Lang::ALL {
        for size in [LabelSize::Large, LabelSize::Medium, LabelSize::Small] {
            let svg = render_svg(&statement, lang, &qr, size).unwrap();
            let png = render_png(&svg, size.width_px()).unwrap();
            if size != LabelSize::Medium {
                let path = dir.join(format!("label-{}-{}.png", lang.tag(), size.width_px()));
                std::fs::write(&path, &png).unwrap();
                std::fs::write(path.with_extension("svg"), &svg).unwrap();
            }
            let codes = read_qr_codes(&png);
            assert_eq!(codes, vec![qr.clone()], "{lang:?} {size:?}");
            let verified = verify_offline(&codes[0], &ring(), NOW).unwrap();
            assert_eq!(verified.statement, statement);
            assert_eq!(verified.signed, signed);
            assert_eq!(verified.signer, "zuji-registry");
            assert_eq!(
                verified.verify_url.as_deref(),
                Some("https://registry.zuji.example/verify/LBL-2026-000123")
            );
        }
    }
}

#[test]
fn the_packaging_label_renders_in_every_language() {
    let (statement, _, qr) = issued();
    for lang in Lang::ALL {
        let svg = render_svg(&statement, lang, &qr, LabelSize::Small).unwrap();
        let png = render_png(&svg, 200).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        // At 800 px the compact layout's QR code is large enough to read back.
        let png = render_png(&svg, 800).unwrap();
        assert_eq!(read_qr_codes(&png), vec![qr.clone()], "{lang:?}");
    }
}

#[test]
fn the_payload_fits_a_qr_code_comfortably() {
    let (_, _, qr) = issued();
    assert!(qr.len() < 600, "{} bytes: {qr}", qr.len());
    assert!(qr.starts_with("https://registry.zuji.example/verify/LBL-2026-000123?z=ZJ1."));
    let version = qr_version(&qr).unwrap();
    assert!(version <= 20, "version {version}");
}

#[test]
fn the_svg_shows_title_value_unit_and_grade_in_each_language() {
    let (statement, _, qr) = issued();
    for (lang, title) in [
        (Lang::ZhHans, "碳足迹标识"),
        (Lang::ZhHant, "碳足跡標識"),
        (Lang::En, "Carbon Footprint Label"),
    ] {
        for size in [LabelSize::Small, LabelSize::Medium] {
            let svg = render_svg(&statement, lang, &qr, size).unwrap();
            assert!(svg.contains(title), "{lang:?}");
            assert!(svg.contains(">0.0456</text>"), "{lang:?}");
            assert!(svg.contains(">B</text>"), "{lang:?}");
            assert!(svg.contains(r#"kg CO<tspan baseline-shift="sub" font-size="70%">2</tspan>e"#));
            assert!(svg.contains("CN-CFP-2026-000042"), "{lang:?}");
            assert!(svg.contains(&format!("xml:lang=\"{}\"", lang.tag())));
        }
        let full = render_svg(&statement, lang, &qr, LabelSize::Large).unwrap();
        assert!(full.contains("ZJ-PCR-PV v1.0"));
        // valid_until is exclusive: the last valid day is 2027-12-31.
        assert!(full.contains("2026-01-01") && full.contains("2027-12-31"));
        assert!(full.contains("https://registry.zuji.example/verify/LBL-2026-000123"));
    }
    let en = render_svg(&statement, Lang::En, &qr, LabelSize::Large).unwrap();
    assert!(en.contains(r#"CO<tspan baseline-shift="sub" font-size="70%">2</tspan>e per 1 kWh"#));
    assert!(en.contains("cradle to gate"));
    let zh = render_svg(&statement, Lang::ZhHans, &qr, LabelSize::Large).unwrap();
    assert!(zh.contains("从摇篮到大门"));
}

#[test]
fn a_changed_digit_fails_with_signature_mismatch() {
    let (_, signed, qr) = issued();
    let forged = tamper_value(&qr, "0.0456", "0.0356");
    // The forgery is well-formed: it decodes to the changed value ...
    let decoded = decode_qr_payload(&forged).unwrap();
    assert_eq!(decoded.statement.value, 0.0356);
    // ... and the signature no longer matches it.
    match verify_offline(&forged, &ring(), NOW) {
        Err(LabelError::Signature {
            label_id,
            source: VerifyError::SignatureMismatch { key_id },
        }) => {
            assert_eq!(label_id, "LBL-2026-000123");
            assert_eq!(&key_id, registry_key().key_id());
        }
        other => panic!("expected a signature mismatch, got {other:?}"),
    }
    // So does a better grade, and an extended validity.
    let forged = tamper_value(&qr, "[\"B\"", "[\"A\"");
    assert!(matches!(
        verify_offline(&forged, &ring(), NOW),
        Err(LabelError::Signature {
            source: VerifyError::SignatureMismatch { .. },
            ..
        })
    ));
    let forged = tamper_value(&qr, &JAN_2028.to_string(), &(JAN_2028 + 86_400).to_string());
    assert!(matches!(
        verify_offline(&forged, &ring(), NOW),
        Err(LabelError::Signature {
            source: VerifyError::SignatureMismatch { .. },
            ..
        })
    ));
    // Flipping one character of the signature itself.
    let sig_start = qr.find(&signed.sig).unwrap();
    let mut bytes = qr.clone().into_bytes();
    bytes[sig_start + 10] = if bytes[sig_start + 10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let forged = String::from_utf8(bytes).unwrap();
    let err = verify_offline(&forged, &ring(), NOW).unwrap_err();
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[test]
fn a_label_signed_with_an_unpublished_key_fails_as_unknown_key() {
    let signed = sign_label(&stranger_key(), &statement(), SIGNED_AT).unwrap();
    let qr = encode_qr_payload(&signed, REGISTRY).unwrap();
    match verify_offline(&qr, &ring(), NOW) {
        Err(LabelError::Signature {
            source: VerifyError::UnknownKey { key_id },
            ..
        }) => assert_eq!(&key_id, stranger_key().key_id()),
        other => panic!("expected unknown key, got {other:?}"),
    }
    // Swapping in a published key id does not help: the signature is the stranger's.
    let swapped = qr.replace(
        stranger_key().key_id().as_str(),
        registry_key().key_id().as_str(),
    );
    assert!(matches!(
        verify_offline(&swapped, &ring(), NOW),
        Err(LabelError::Signature {
            source: VerifyError::SignatureMismatch { .. },
            ..
        })
    ));
}

#[test]
fn a_key_not_valid_at_signing_time_fails() {
    // The registry's key published only from 2027: a label "signed" in 2026 is refused.
    let late = KeyRing::from_keys(vec![registry_key().publish(JAN_2026 + 365 * 86_400)]).unwrap();
    let (_, _, qr) = issued();
    assert!(matches!(
        verify_offline(&qr, &late, NOW),
        Err(LabelError::Signature {
            source: VerifyError::KeyNotValidAt {
                signed_at: SIGNED_AT,
                ..
            },
            ..
        })
    ));
    // A revoked (compromised) key verifies nothing.
    let mut revoked = ring();
    revoked.revoke(registry_key().key_id(), NOW).unwrap();
    assert!(matches!(
        verify_offline(&qr, &revoked, NOW),
        Err(LabelError::Signature {
            source: VerifyError::KeyRevoked { .. },
            ..
        })
    ));
    // A rotated-out key still verifies what it signed while it was current.
    let mut rotated = ring();
    let next = SigningKeyPair::from_secret_bytes("zuji-registry", &[0x44; 32]);
    rotated.rotate(next.publish(0), NOW - 86_400).unwrap();
    assert!(verify_offline(&qr, &rotated, NOW).is_ok());
}

#[test]
fn an_expired_label_fails_at_a_later_now() {
    let (_, _, qr) = issued();
    assert!(verify_offline(&qr, &ring(), JAN_2028 - 1).is_ok());
    match verify_offline(&qr, &ring(), JAN_2028) {
        Err(LabelError::Expired {
            label_id,
            valid_until,
            now,
        }) => {
            assert_eq!(label_id, "LBL-2026-000123");
            assert_eq!(valid_until, JAN_2028);
            assert_eq!(now, JAN_2028);
        }
        other => panic!("expected expired, got {other:?}"),
    }
    assert!(matches!(
        verify_offline(&qr, &ring(), JAN_2026 - 1),
        Err(LabelError::NotYetValid { .. })
    ));
}

#[test]
fn only_the_registry_or_the_named_certification_body_may_sign() {
    let statement = statement();
    // The certification body named on the label may sign it.
    let by_body = sign_label(&body_key(), &statement, SIGNED_AT).unwrap();
    let qr = encode_qr_payload(&by_body, REGISTRY).unwrap();
    assert_eq!(verify_offline(&qr, &ring(), NOW).unwrap().signer, "cb-zhcc");
    // Another (published) body may not put its name to this one's certificate.
    let other = SigningKeyPair::from_secret_bytes("cb-other", &[0x55; 32]);
    let mut keys = ring();
    keys.add(other.publish(JAN_2026 - 86_400)).unwrap();
    let qr = encode_qr_payload(
        &sign_label(&other, &statement, SIGNED_AT).unwrap(),
        REGISTRY,
    )
    .unwrap();
    match verify_offline(&qr, &keys, NOW) {
        Err(LabelError::WrongSigner {
            owner,
            certification_body,
            ..
        }) => {
            assert_eq!(owner, "cb-other");
            assert_eq!(certification_body, "cb-zhcc");
        }
        other => panic!("expected wrong signer, got {other:?}"),
    }
}

#[test]
fn the_url_must_name_the_signed_label() {
    let (_, _, qr) = issued();
    let moved = qr.replacen("/verify/LBL-2026-000123", "/verify/LBL-2026-000999", 1);
    assert!(matches!(
        verify_offline(&moved, &ring(), NOW),
        Err(LabelError::UrlMismatch { .. })
    ));
    // The bare payload verifies on its own (e.g. `zuji verify ZJ1.…`).
    let bare = qr.split_once("?z=").unwrap().1;
    let verified = verify_offline(bare, &ring(), NOW).unwrap();
    assert_eq!(verified.verify_url, None);
    assert_eq!(verified.statement, statement());
}

#[test]
fn online_status_turns_into_a_verdict() {
    let (_, _, qr) = issued();
    let verified = verify_offline(&qr, &ring(), NOW).unwrap();
    let status = |status: &str, reason: Option<&str>| CertificateStatusInfo {
        status: status.to_string(),
        reason: reason.map(str::to_string),
    };
    assert_eq!(
        apply_status(
            &verified,
            &status("withdrawn", Some("false label: value understated"))
        ),
        Ok(LabelVerdict::Revoked {
            reason: Some("false label: value understated".to_string())
        })
    );
    assert_eq!(
        apply_status(&verified, &status("valid", None)),
        Ok(LabelVerdict::Valid)
    );
    assert_eq!(
        apply_status(
            &verified,
            &status("suspended", Some("surveillance overdue"))
        ),
        Ok(LabelVerdict::Suspended {
            reason: Some("surveillance overdue".to_string())
        })
    );
    assert_eq!(
        apply_status(&verified, &status("expired", None)),
        Ok(LabelVerdict::Expired)
    );
    assert_eq!(
        apply_status(&verified, &status("superseded", Some("CN-CFP-2027-000007"))),
        Ok(LabelVerdict::Superseded {
            reason: Some("CN-CFP-2027-000007".to_string())
        })
    );
    assert_eq!(
        apply_status(&verified, &status("gone", None)),
        Err(LabelError::UnknownCertificateStatus("gone".to_string()))
    );
    // The verdict as the server's JSON.
    let json = serde_json::to_string(&LabelVerdict::Revoked {
        reason: Some("x".to_string()),
    })
    .unwrap();
    assert_eq!(json, r#"{"verdict":"revoked","reason":"x"}"#);
}

#[test]
fn malformed_payloads_say_what_is_wrong() {
    let (_, _, qr) = issued();
    let bare = qr.split_once("?z=").unwrap().1.to_string();
    for (input, expected) in [
        ("", "empty"),
        ("hello", "4 dot-separated parts"),
        ("https://registry.zuji.example/verify/LBL-1", "no ?z="),
        ("ZJ1.abc", "4 dot-separated parts"),
        ("ZJ2.a.b.c", "format tag"),
        (&bare.replacen("ZJ1.", "ZJ1.!", 1), "base64url"),
        (&format!("{bare}x"), "key id"),
    ] {
        match decode_qr_payload(input) {
            Err(LabelError::MalformedPayload(reason)) => {
                assert!(reason.contains(expected), "{input:?}: {reason}")
            }
            other => panic!("{input:?}: expected malformed, got {other:?}"),
        }
    }
    // Valid base64url, but not JSON / not the array.
    let parts: Vec<&str> = bare.split('.').collect();
    for (body, expected) in [
        ("bm90IGpzb24", "not JSON"),
        (&URL_SAFE_NO_PAD.encode("[1,2]") as &str, "15 elements"),
        (&URL_SAFE_NO_PAD.encode("{\"a\":1}"), "15 elements"),
        (&URL_SAFE_NO_PAD.encode("[ 1]"), "canonical"),
    ] {
        let input = format!("ZJ1.{body}.{}.{}", parts[2], parts[3]);
        let err = decode_qr_payload(&input).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn a_statement_the_format_cannot_carry_is_refused_at_signing() {
    let mut bad = statement();
    bad.product.gtin = Some("06901234567891".to_string());
    let err = sign_label(&registry_key(), &bad, SIGNED_AT).unwrap_err();
    assert!(err.to_string().contains("check digit"), "{err}");
    let mut bad = statement();
    bad.label_id = "LBL 1/2".to_string();
    assert!(matches!(
        sign_label(&registry_key(), &bad, SIGNED_AT),
        Err(LabelError::InvalidStatement {
            field: "label_id",
            ..
        })
    ));
    let mut bad = statement();
    bad.valid_until = bad.valid_from;
    assert!(sign_label(&registry_key(), &bad, SIGNED_AT).is_err());
    let signed = sign_label(&registry_key(), &statement(), SIGNED_AT).unwrap();
    for base in [
        "registry.zuji.example",
        "https://",
        "https:///x",
        "https://h/?q=1",
    ] {
        assert!(
            matches!(
                encode_qr_payload(&signed, base),
                Err(LabelError::InvalidBaseUrl(_))
            ),
            "{base}"
        );
    }
    assert!(encode_qr_payload(&signed, "http://localhost:8080/zuji").is_ok());
    // A signed statement with an extra member would not survive the QR round trip.
    let mut payload = serde_json::to_value(statement()).unwrap();
    payload["note"] = serde_json::json!("extra");
    let signed = zuji_trust::keys::sign(&registry_key(), &payload, SIGNED_AT).unwrap();
    assert!(matches!(
        encode_qr_payload(&signed, REGISTRY),
        Err(LabelError::NotALabel(_))
    ));
}

#[test]
fn a_label_without_grade_or_gtin_round_trips() {
    let mut statement = statement();
    statement.grade = None;
    statement.product.gtin = None;
    statement.log_index = None;
    statement.value = 1234.5;
    let signed = sign_label(&registry_key(), &statement, SIGNED_AT).unwrap();
    let qr = encode_qr_payload(&signed, "https://registry.zuji.example/").unwrap();
    let verified = verify_offline(&qr, &ring(), NOW).unwrap();
    assert_eq!(verified.statement, statement);
    let svg = render_svg(&statement, Lang::En, &qr, LabelSize::Medium).unwrap();
    assert!(svg.contains(">1,230</text>"));
    let svg = render_svg(&statement, Lang::ZhHans, &qr, LabelSize::Medium).unwrap();
    assert!(svg.contains(">1\u{2009}230</text>"));
    render_png(&svg, 400).unwrap();
}

#[test]
fn text_no_loaded_font_can_draw_is_an_error_not_empty_boxes() {
    let dejavu = PathBuf::from("/usr/share/fonts/truetype/dejavu");
    if !dejavu.is_dir() {
        return; // The check needs a Latin-only font directory; Debian's DejaVu is one.
    }
    let latin_only = LabelFonts::from_dirs(&[dejavu]).unwrap();
    let (statement, _, qr) = issued();
    let svg = render_svg(&statement, Lang::ZhHans, &qr, LabelSize::Medium).unwrap();
    match render_png_with(&svg, 400, &latin_only) {
        Err(LabelError::MissingGlyphs { chars }) => assert!(chars.contains('碳'), "{chars}"),
        other => panic!("expected missing glyphs, got {:?}", other.map(|p| p.len())),
    }
    assert!(matches!(
        LabelFonts::from_dirs(&[std::env::temp_dir().join("zuji-no-such-font-dir")]),
        Err(LabelError::Fonts(_))
    ));
}

proptest! {
    #[test]
    fn random_text_never_panics_the_decoder(text in ".{0,700}") {
        let _ = decode_qr_payload(&text);
        let _ = decode_qr_payload(&format!("ZJ1.{text}"));
        let _ = decode_qr_payload(&format!("https://h/verify/x?z=ZJ1.{text}"));
    }

    #[test]
    fn any_changed_character_fails_verification(index in 0usize..600, c in "[ -~]") {
        let (_, _, qr) = issued();
        let index = index % qr.len();
        let mut forged = qr.clone();
        forged.replace_range(index..=index, &c);
        prop_assume!(forged != qr);
        // The URL's host is not signed (any registry mirror may serve the page), so a
        // changed host may still verify; everything else must not.
        let host = "https://registry.zuji.example".len();
        if index >= host {
            prop_assert!(verify_offline(&forged, &ring(), NOW).is_err(), "{}", forged);
        }
    }
}
