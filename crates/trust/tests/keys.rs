//! Keys and signed statements: round trips, tampering, rotation, revocation and
//! encryption at rest.

use serde_json::json;
use zuji_trust::keys::{
    EncryptedSigningKey, KeyError, KeyId, KeyRing, KeyStatus, SigningKeyPair, VerifyError, sign,
    sign_serializable, verify,
};

const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn registry_key() -> SigningKeyPair {
    SigningKeyPair::from_secret_bytes("zuji-registry", &[7u8; 32])
}

fn ring_with(pair: &SigningKeyPair, from: i64) -> KeyRing {
    KeyRing::from_keys(vec![pair.publish(from)]).unwrap()
}

fn certificate() -> serde_json::Value {
    json!({
        "certificate_id": "CERT-2026-0001",
        "product": "LFP battery pack",
        "footprint_kg_co2e_per_kwh": 71.5,
        "valid_until": "2028-01-01",
    })
}

#[test]
fn sign_and_verify_round_trip() {
    let pair = SigningKeyPair::generate("cb-001").unwrap();
    let keys = ring_with(&pair, T0);
    let signed = sign(&pair, &certificate(), T0 + 10).unwrap();
    assert_eq!(signed.alg, "Ed25519");
    assert_eq!(&signed.key_id, pair.key_id());
    verify(&keys, &signed).unwrap();
    // Survives a JSON round trip with keys in another order.
    let text = serde_json::to_string(&signed).unwrap();
    let back = serde_json::from_str(&text).unwrap();
    verify(&keys, &back).unwrap();
    // Signed bytes are the canonical JSON of {alg, key_id, payload, signed_at}.
    let expected = format!(
        r#"{{"alg":"Ed25519","key_id":"{}","payload":{{"certificate_id":"CERT-2026-0001","footprint_kg_co2e_per_kwh":71.5,"product":"LFP battery pack","valid_until":"2028-01-01"}},"signed_at":{}}}"#,
        pair.key_id(),
        T0 + 10
    );
    assert_eq!(signed.signed_bytes().unwrap(), expected.into_bytes());
}

#[test]
fn one_changed_digit_in_the_payload_is_a_mismatch() {
    let pair = registry_key();
    let keys = ring_with(&pair, T0);
    let mut signed = sign(&pair, &certificate(), T0 + 10).unwrap();
    signed.payload["footprint_kg_co2e_per_kwh"] = json!(71.6);
    let err = verify(&keys, &signed).unwrap_err();
    assert_eq!(
        err,
        VerifyError::SignatureMismatch {
            key_id: pair.key_id().clone()
        }
    );
    assert!(err.to_string().contains("does not match"), "{err}");
    assert!(err.to_string().contains(pair.key_id().as_str()), "{err}");
}

#[test]
fn a_different_key_fails() {
    let published = registry_key();
    let impostor = SigningKeyPair::from_secret_bytes("zuji-registry", &[8u8; 32]);
    let keys = ring_with(&published, T0);
    // Signed by an unpublished key: unknown key id.
    let signed = sign(&impostor, &certificate(), T0 + 10).unwrap();
    let err = verify(&keys, &signed).unwrap_err();
    assert_eq!(
        err,
        VerifyError::UnknownKey {
            key_id: impostor.key_id().clone()
        }
    );
    assert!(err.to_string().contains("no such key"), "{err}");
    // Signed by the impostor but claiming the published key's id: mismatch.
    let mut forged = signed.clone();
    forged.key_id = published.key_id().clone();
    assert_eq!(
        verify(&keys, &forged),
        Err(VerifyError::SignatureMismatch {
            key_id: published.key_id().clone()
        })
    );
}

#[test]
fn wrong_algorithm_is_named() {
    let pair = registry_key();
    let keys = ring_with(&pair, T0);
    let mut signed = sign(&pair, &certificate(), T0 + 10).unwrap();
    signed.alg = "ES256".into();
    let err = verify(&keys, &signed).unwrap_err();
    assert_eq!(
        err,
        VerifyError::WrongAlgorithm {
            key_id: pair.key_id().clone(),
            found: "ES256".into()
        }
    );
    assert!(err.to_string().contains("ES256"), "{err}");
}

#[test]
fn malformed_signature_is_named() {
    let pair = registry_key();
    let keys = ring_with(&pair, T0);
    let mut signed = sign(&pair, &certificate(), T0 + 10).unwrap();
    signed.sig = "not*base64".into();
    assert!(matches!(
        verify(&keys, &signed),
        Err(VerifyError::MalformedSignature { .. })
    ));
}

#[test]
fn rotation_retires_the_old_key_which_still_verifies_its_past() {
    let old = registry_key();
    let new = SigningKeyPair::from_secret_bytes("zuji-registry", &[9u8; 32]);
    let mut keys = ring_with(&old, T0);
    let rotated_at = T0 + 1000;
    let before = sign(&old, &certificate(), T0 + 500).unwrap();
    keys.rotate(new.publish(rotated_at), rotated_at).unwrap();

    let old_record = keys.get(old.key_id()).unwrap();
    assert_eq!(old_record.status, KeyStatus::Retired);
    assert_eq!(old_record.valid_until, Some(rotated_at));
    assert_eq!(
        keys.active_key("zuji-registry").unwrap().key_id,
        *new.key_id()
    );

    // Signed during its validity: still verifies.
    verify(&keys, &before).unwrap();
    // Signed after retirement: refused, naming the window.
    let after = sign(&old, &certificate(), rotated_at + 1).unwrap();
    let err = verify(&keys, &after).unwrap_err();
    assert_eq!(
        err,
        VerifyError::KeyNotValidAt {
            key_id: old.key_id().clone(),
            signed_at: rotated_at + 1,
            valid_from: T0,
            valid_until: Some(rotated_at),
        }
    );
    assert!(
        err.to_string().contains("outside the key's validity"),
        "{err}"
    );
    // The new key verifies from the rotation on, not before.
    verify(&keys, &sign(&new, &certificate(), rotated_at).unwrap()).unwrap();
    assert!(matches!(
        verify(&keys, &sign(&new, &certificate(), rotated_at - 1).unwrap()),
        Err(VerifyError::KeyNotValidAt { .. })
    ));
    // Other owners' keys are untouched by the rotation.
    let cb = SigningKeyPair::from_secret_bytes("cb-001", &[10u8; 32]);
    keys.add(cb.publish(T0)).unwrap();
    let newest = SigningKeyPair::from_secret_bytes("zuji-registry", &[11u8; 32]);
    keys.rotate(newest.publish(T0 + 2000), T0 + 2000).unwrap();
    assert_eq!(keys.get(cb.key_id()).unwrap().status, KeyStatus::Active);
    assert_eq!(keys.get(new.key_id()).unwrap().valid_until, Some(T0 + 2000));
}

#[test]
fn revoked_key_verifies_nothing() {
    let pair = registry_key();
    let mut keys = ring_with(&pair, T0);
    let signed = sign(&pair, &certificate(), T0 + 10).unwrap();
    keys.revoke(pair.key_id(), T0 + 20).unwrap();
    let err = verify(&keys, &signed).unwrap_err();
    assert_eq!(
        err,
        VerifyError::KeyRevoked {
            key_id: pair.key_id().clone()
        }
    );
    assert!(err.to_string().contains("revoked"), "{err}");
    assert!(matches!(
        keys.revoke(&KeyId::new("0000"), T0),
        Err(KeyError::NoSuchKey(_))
    ));
}

#[test]
fn published_key_json_shape() {
    let pair = registry_key();
    let mut keys = ring_with(&pair, T0);
    keys.rotate(
        SigningKeyPair::from_secret_bytes("zuji-registry", &[9u8; 32]).publish(0),
        T0 + 5,
    )
    .unwrap();
    let value = serde_json::to_value(keys.get(pair.key_id()).unwrap()).unwrap();
    assert_eq!(
        value,
        json!({
            "key_id": pair.key_id().as_str(),
            "owner": "zuji-registry",
            "algorithm": "Ed25519",
            "public_key": pair.public_key_base64(),
            "valid_from": T0,
            "valid_until": T0 + 5,
            "status": "retired",
        })
    );
    // The key id is 16 bytes of hex.
    assert_eq!(pair.key_id().as_str().len(), 32);
    assert!(
        KeyRing::from_keys(vec![pair.publish(T0), pair.publish(T0)]).is_err(),
        "duplicate ids refused"
    );
}

#[test]
fn sign_serializable_equals_sign_of_the_value() {
    #[derive(serde::Serialize)]
    struct Label<'a> {
        value: f64,
        unit: &'a str,
        grade: &'a str,
    }
    let pair = registry_key();
    let label = Label {
        value: 12.25,
        unit: "kg CO2e/kWh",
        grade: "A",
    };
    let a = sign_serializable(&pair, &label, T0).unwrap();
    let b = sign(
        &pair,
        &json!({"grade": "A", "unit": "kg CO2e/kWh", "value": 12.25}),
        T0,
    )
    .unwrap();
    assert_eq!(a.sig, b.sig);
}

#[test]
fn encrypted_at_rest_round_trip_and_wrong_passphrase() {
    let pair = SigningKeyPair::generate("cb-001").unwrap();
    let file = pair.encrypt("correct horse battery staple").unwrap();
    // The file does not contain the secret in the clear.
    let text = serde_json::to_string_pretty(&file).unwrap();
    let back: EncryptedSigningKey = serde_json::from_str(&text).unwrap();
    assert_eq!(back.kdf.algorithm, "argon2id");
    assert_eq!(back.cipher, "chacha20poly1305");

    let decrypted = back.decrypt("correct horse battery staple").unwrap();
    assert_eq!(decrypted.key_id(), pair.key_id());
    assert_eq!(decrypted.owner(), "cb-001");
    assert_eq!(decrypted.sign_bytes(b"label"), pair.sign_bytes(b"label"));

    let err = back.decrypt("Correct horse battery staple").unwrap_err();
    assert!(
        matches!(&err, KeyError::WrongPassphrase { key_id } if key_id == pair.key_id()),
        "{err}"
    );
    assert!(err.to_string().contains("wrong passphrase"), "{err}");
    assert!(err.to_string().contains(pair.key_id().as_str()), "{err}");

    // Renaming the owner in the file breaks the authentication too.
    let mut renamed = back.clone();
    renamed.owner = "cb-002".into();
    assert!(matches!(
        renamed.decrypt("correct horse battery staple"),
        Err(KeyError::WrongPassphrase { .. })
    ));
    // Debug output never shows the secret.
    assert!(!format!("{decrypted:?}").contains("signing_key"));
}
