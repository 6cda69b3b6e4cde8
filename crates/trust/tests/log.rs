//! The transparency log end to end: entries, signed heads, proofs, and the
//! tampering a verifier must catch and name (a flipped bit, swapped entries, a
//! forked head, a head signed by an unknown key).

use serde_json::json;
use sha2::{Digest, Sha256};
use zuji_trust::keys::{KeyRing, SigningKeyPair, VerifyError};
use zuji_trust::log::{
    EntryKind, HeadRef, LogEntry, LogError, SignedTreeHead, Suspect, TransparencyLog,
    sign_tree_head, verify_consistency, verify_head, verify_inclusion, verify_log_copy,
};

const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn registry() -> SigningKeyPair {
    SigningKeyPair::from_secret_bytes("zuji-registry", &[42u8; 32])
}

fn keys() -> KeyRing {
    KeyRing::from_keys(vec![registry().publish(T0)]).unwrap()
}

/// Ten entries of every kind.
fn sample_log() -> TransparencyLog {
    let kinds = [
        EntryKind::CertificateIssued,
        EntryKind::LabelIssued,
        EntryKind::BenchmarkPublished,
        EntryKind::CertificateSuspended,
        EntryKind::CertificateReinstated,
        EntryKind::CertificateIssued,
        EntryKind::LabelIssued,
        EntryKind::CertificateWithdrawn,
        EntryKind::CertificateExpired,
        EntryKind::CertificateIssued,
    ];
    let mut log = TransparencyLog::new();
    for (i, kind) in kinds.into_iter().enumerate() {
        log.append(
            kind,
            format!("CERT-2026-{i:04}"),
            T0 + 60 * i as i64,
            json!({"footprint": 70.5 + i as f64, "note": format!("entry {i}")}),
        )
        .unwrap();
    }
    log
}

/// Heads at sizes 3, 6 and 10, as a log would publish them over time.
fn sample_heads(log: &TransparencyLog) -> Vec<SignedTreeHead> {
    let key = registry();
    [3, 6, 10]
        .iter()
        .map(|&size| {
            log.sth_at_size(&key, size, T0 + 1000 + size as i64)
                .unwrap()
        })
        .collect()
}

#[test]
fn entry_leaf_is_its_canonical_json_and_the_root_follows() {
    let mut log = TransparencyLog::new();
    let entry = log
        .append(
            EntryKind::CertificateIssued,
            "CERT-1",
            1_700_000_000,
            json!({"b": 1, "a": "x"}),
        )
        .unwrap()
        .clone();
    let leaf = r#"{"body":{"a":"x","b":1},"index":0,"kind":"certificate_issued","subject":"CERT-1","timestamp":1700000000}"#;
    assert_eq!(entry.leaf_data().unwrap(), leaf.as_bytes());
    // One-leaf tree: root = SHA-256(0x00 || leaf).
    let mut d = Sha256::new();
    d.update([0u8]);
    d.update(leaf.as_bytes());
    let root: [u8; 32] = d.finalize().into();
    assert_eq!(log.root(1).unwrap(), root);

    let head = log.sth(&registry(), 1_700_000_100).unwrap();
    assert_eq!(head.root_hash, hex::encode(root));
    let signed = format!(
        r#"{{"root_hash":"{}","timestamp":1700000100,"tree_size":1}}"#,
        hex::encode(root)
    );
    assert_eq!(head.signed_bytes().unwrap(), signed.into_bytes());
    // Entry JSON shape.
    assert_eq!(
        serde_json::to_value(&entry).unwrap(),
        json!({"index": 0, "kind": "certificate_issued", "subject": "CERT-1",
               "timestamp": 1_700_000_000, "body": {"a": "x", "b": 1}})
    );
}

#[test]
fn an_honest_log_verifies_end_to_end() {
    let log = sample_log();
    let heads = sample_heads(&log);
    let verified = verify_log_copy(log.entries(), &heads, &keys()).unwrap();
    assert_eq!(verified.entries, 10);
    assert_eq!(verified.heads_checked, 3);
    assert_eq!(verified.latest_head.as_ref(), heads.last());

    // Remote client: every entry's inclusion in every head that covers it.
    for head in &heads {
        verify_head(head, &keys()).unwrap();
        for entry in log.entries_range(0, head.tree_size) {
            let proof = log.inclusion_proof(entry.index, head.tree_size).unwrap();
            verify_inclusion(entry, &proof, head).unwrap();
        }
    }
    // And consistency between every pair of heads.
    for (i, older) in heads.iter().enumerate() {
        for newer in &heads[i..] {
            let proof = log
                .consistency_proof(older.tree_size, newer.tree_size)
                .unwrap();
            verify_consistency(older, newer, &proof).unwrap();
        }
    }
    // Rebuilding from stored entries gives the same roots.
    let rebuilt = TransparencyLog::from_entries(log.entries().to_vec()).unwrap();
    assert_eq!(rebuilt.root(10).unwrap(), log.root(10).unwrap());
}

#[test]
fn a_flipped_bit_in_an_entry_body_names_the_first_bad_head() {
    let log = sample_log();
    let heads = sample_heads(&log);
    let mut entries = log.entries().to_vec();
    // 74.5 -> 74.25 in entry 4's body: one changed value.
    entries[4].body["footprint"] = json!(74.25);
    let err = verify_log_copy(&entries, &heads, &keys()).unwrap_err();
    assert_eq!(
        err,
        LogError::HeadRootMismatch {
            head: HeadRef::of(&heads[1]),
            suspect: Suspect::Range { from: 3, to: 6 },
        }
    );
    let message = err.to_string();
    assert!(message.contains("tree head of size 6"), "{message}");
    assert!(message.contains("from 3 to 5"), "{message}");

    // With a head at every size the entry itself is named.
    let key = registry();
    let every: Vec<SignedTreeHead> = (1..=10)
        .map(|size| {
            log.sth_at_size(&key, size, T0 + 2000 + size as i64)
                .unwrap()
        })
        .collect();
    let err = verify_log_copy(&entries, &every, &keys()).unwrap_err();
    assert_eq!(
        err,
        LogError::HeadRootMismatch {
            head: HeadRef::of(&every[4]),
            suspect: Suspect::Entry(4),
        }
    );
    assert!(err.to_string().contains("entry 4 was altered"), "{err}");

    // A single flipped bit in a string of the body, checked by a remote client.
    let mut flipped = log.entries()[7].clone();
    let note = flipped.body["note"].as_str().unwrap().to_string();
    let mut bytes = note.into_bytes();
    bytes[0] ^= 0x01; // 'e' -> 'd'
    flipped.body["note"] = json!(String::from_utf8(bytes).unwrap());
    let head = &heads[2];
    let proof = log.inclusion_proof(7, head.tree_size).unwrap();
    let err = verify_inclusion(&flipped, &proof, head).unwrap_err();
    assert!(
        matches!(&err, LogError::NotIncluded { index: 7, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("entry 7"), "{err}");
}

#[test]
fn swapped_entries_are_named_by_position_and_index() {
    let log = sample_log();
    let heads = sample_heads(&log);
    let mut entries = log.entries().to_vec();
    entries.swap(3, 5);
    let err = verify_log_copy(&entries, &heads, &keys()).unwrap_err();
    assert_eq!(
        err,
        LogError::EntryOutOfOrder {
            position: 3,
            index: 5
        }
    );
    assert_eq!(err.to_string(), "log copy: entry at position 3 has index 5");

    // Swapped and renumbered to hide it: the roots give it away.
    entries[3].index = 3;
    entries[5].index = 5;
    let err = verify_log_copy(&entries, &heads, &keys()).unwrap_err();
    assert!(
        matches!(&err, LogError::HeadRootMismatch { head, .. } if head.tree_size == 6),
        "{err}"
    );
}

#[test]
fn a_forked_head_names_both_heads() {
    let log = sample_log();
    let mut heads = sample_heads(&log);
    // The operator signs a second, different root for size 6.
    let fork = sign_tree_head(&registry(), 6, T0 + 5000, hex::encode([0xab; 32])).unwrap();
    heads.push(fork.clone());
    let err = verify_log_copy(log.entries(), &heads, &keys()).unwrap_err();
    assert_eq!(
        err,
        LogError::ForkedHeads {
            first: HeadRef::of(&heads[1]),
            second: HeadRef::of(&fork),
        }
    );
    let message = err.to_string();
    assert!(message.contains(&heads[1].root_hash), "{message}");
    assert!(message.contains(&fork.root_hash), "{message}");

    // A remote client holding the fork and the honest size-10 head: the
    // consistency proof the log serves does not link them.
    let proof = log.consistency_proof(6, 10).unwrap();
    let err = verify_consistency(&fork, &heads[2], &proof).unwrap_err();
    assert!(
        matches!(&err, LogError::InconsistentHeads { older, newer, .. }
            if *older == HeadRef::of(&fork) && *newer == HeadRef::of(&heads[2])),
        "{err}"
    );
    assert!(err.to_string().contains("size 6"), "{err}");
    assert!(err.to_string().contains("size 10"), "{err}");
    // Two heads of one size, different roots, directly.
    let err =
        verify_consistency(&heads[1], &fork, &log.consistency_proof(6, 6).unwrap()).unwrap_err();
    assert!(matches!(err, LogError::ForkedHeads { .. }), "{err}");
}

#[test]
fn a_head_signed_by_an_unknown_key_is_refused() {
    let log = sample_log();
    let mut heads = sample_heads(&log);
    let stranger = SigningKeyPair::from_secret_bytes("someone-else", &[1u8; 32]);
    let foreign = log.sth_at_size(&stranger, 8, T0 + 3000).unwrap();
    heads.push(foreign.clone());
    let err = verify_log_copy(log.entries(), &heads, &keys()).unwrap_err();
    assert_eq!(
        err,
        LogError::HeadSignature {
            head: HeadRef::of(&foreign),
            source: VerifyError::UnknownKey {
                key_id: stranger.key_id().clone()
            },
        }
    );
    let message = err.to_string();
    assert!(message.contains("tree head of size 8"), "{message}");
    assert!(message.contains(stranger.key_id().as_str()), "{message}");
}

#[test]
fn a_head_signed_by_a_certification_body_is_refused_when_checking_against_the_operator() {
    let log = sample_log();
    let body = SigningKeyPair::from_secret_bytes("cb-001", &[5u8; 32]);
    let mut all = keys();
    all.add(body.publish(T0)).unwrap();
    let head = log.sth_at_size(&body, 10, T0 + 3000).unwrap();
    // Published, so the whole ring accepts it; the operator's ring does not.
    verify_head(&head, &all).unwrap();
    let err = verify_log_copy(log.entries(), &[head], &all.owned_by("zuji-registry")).unwrap_err();
    assert!(
        matches!(
            &err,
            LogError::HeadSignature {
                source: VerifyError::UnknownKey { .. },
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn an_altered_head_fails_its_signature() {
    let log = sample_log();
    let mut heads = sample_heads(&log);
    heads[0].tree_size = 4;
    let err = verify_log_copy(log.entries(), &heads, &keys()).unwrap_err();
    assert!(
        matches!(
            &err,
            LogError::HeadSignature {
                source: VerifyError::SignatureMismatch { .. },
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_truncated_copy_is_named() {
    let log = sample_log();
    let heads = sample_heads(&log);
    let err = verify_log_copy(&log.entries()[..8], &heads, &keys()).unwrap_err();
    assert_eq!(
        err,
        LogError::HeadBeyondLog {
            head: HeadRef::of(&heads[2]),
            entries: 8
        }
    );
}

#[test]
fn appending_out_of_order_is_refused() {
    let mut log = sample_log();
    let entry = LogEntry {
        index: 12,
        kind: EntryKind::LabelIssued,
        subject: "LABEL-1".into(),
        timestamp: T0,
        body: json!({}),
    };
    assert_eq!(
        log.push(entry),
        Err(LogError::AppendOutOfOrder {
            index: 12,
            next: 10
        })
    );
    assert_eq!(log.len(), 10);
}

#[test]
fn proof_json_shapes() {
    let log = sample_log();
    let proof = log.inclusion_proof(2, 10).unwrap();
    let value = serde_json::to_value(&proof).unwrap();
    assert_eq!(value["leaf_index"], 2);
    assert_eq!(value["tree_size"], 10);
    // Index 2 of 10: siblings leaf 3, node(0,1), node(4..8), leaf-pair (8,9).
    assert_eq!(value["hashes"].as_array().unwrap().len(), 4);
    let consistency = log.consistency_proof(3, 10).unwrap();
    let value = serde_json::to_value(&consistency).unwrap();
    assert_eq!(value["first"], 3);
    assert_eq!(value["second"], 10);
}
