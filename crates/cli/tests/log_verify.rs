//! `zuji log verify --dir`: a saved copy of the transparency log verifies; the same
//! copy with one entry changed, or with a head signed by a key that is not the
//! registry's, is refused with a message that names the failing head.

use std::process::Command;
use zuji_trust::keys::{KeyRing, SigningKeyPair};
use zuji_trust::log::{EntryKind, TransparencyLog};

fn write_copy(
    dir: &std::path::Path,
    log: &TransparencyLog,
    heads: &[zuji_trust::log::SignedTreeHead],
    keys: &KeyRing,
) {
    std::fs::write(
        dir.join("entries.json"),
        serde_json::to_string(log.entries()).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("heads.json"),
        serde_json::to_string(heads).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("keys.json"), serde_json::to_string(keys).unwrap()).unwrap();
}

fn verify(dir: &std::path::Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zuji"))
        .args(["log", "verify", "--dir"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_saved_log_copy_verifies_and_a_tampered_one_does_not() {
    let registry = SigningKeyPair::generate(zuji_store::REGISTRY_KEY_OWNER).unwrap();
    let body = SigningKeyPair::generate("42").unwrap();
    let mut keys = KeyRing::default();
    keys.add(registry.publish(1_700_000_000)).unwrap();
    keys.add(body.publish(1_700_000_000)).unwrap();
    let mut log = TransparencyLog::new();
    for i in 0..5 {
        log.append(
            EntryKind::CertificateIssued,
            format!("CERT-00000{i}"),
            1_700_000_100 + i,
            serde_json::json!({"product": i}),
        )
        .unwrap();
    }
    let heads = vec![
        log.sth_at_size(&registry, 3, 1_700_000_200).unwrap(),
        log.sth(&registry, 1_700_000_300).unwrap(),
    ];
    let dir = tempfile::tempdir().unwrap();
    write_copy(dir.path(), &log, &heads, &keys);
    let (ok, text) = verify(dir.path());
    assert!(ok, "{text}");
    assert!(
        text.contains("log verified: 5 entries, 2 signed tree heads"),
        "{text}"
    );

    // One entry's subject changed: the head of size 5 no longer matches.
    let mut entries: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("entries.json")).unwrap())
            .unwrap();
    entries[4]["subject"] = serde_json::json!("CERT-999999");
    std::fs::write(dir.path().join("entries.json"), entries.to_string()).unwrap();
    let (ok, text) = verify(dir.path());
    assert!(!ok);
    assert!(
        text.contains("does not verify") && text.contains("size 5"),
        "{text}"
    );

    // A head signed by the certification body's key, not the registry's, is refused.
    let forged = vec![log.sth(&body, 1_700_000_300).unwrap()];
    write_copy(dir.path(), &log, &forged, &keys);
    let (ok, text) = verify(dir.path());
    assert!(!ok, "{text}");
    assert!(text.contains("does not verify"), "{text}");
}
