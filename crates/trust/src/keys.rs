//! Ed25519 keys of the registry and the certification bodies, and the statements
//! they sign.
//!
//! - A [`KeyId`] is the lowercase hex of the first 16 bytes of SHA-256 over the
//!   32-byte public key: short enough to print, long enough not to collide, and
//!   derivable by anyone holding the public key.
//! - A [`PublishedKey`] is what the registry publishes: owner, public key
//!   (base64url, no padding), validity window and status. A [`KeyRing`] is the
//!   published set; rotating an owner's key retires the previous one at the rotation
//!   time, so what it signed before still verifies. A revoked key (compromised)
//!   verifies nothing.
//! - Times are Unix seconds (UTC), the same everywhere in the trust layer: they sort
//!   and compare without parsing and canonicalise to one spelling.
//! - A [`SignedStatement`] signs the RFC 8785 canonical JSON of
//!   `{"alg", "key_id", "payload", "signed_at"}`, so the key, algorithm and signing
//!   time are covered by the signature as well as the payload.
//! - Secret keys at rest are an [`EncryptedSigningKey`]: Argon2id derives a 256-bit
//!   key from the passphrase and a random salt, ChaCha20-Poly1305 (RFC 8439)
//!   encrypts the 32 secret bytes with the key id and owner as associated data.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::canonical::{CanonicalError, to_canonical_bytes};

/// The only signature algorithm, as spelled in JSON.
pub const ALGORITHM: &str = "Ed25519";

/// Unix time in seconds, UTC.
pub type UnixSeconds = i64;

/// Format tag of an encrypted secret key file.
pub const ENCRYPTED_KEY_FORMAT: &str = "zuji-ed25519-secret-key/1";

/// Argon2id costs used when encrypting: the `argon2` crate's defaults (19 MiB,
/// 2 passes, 1 lane), the OWASP minimum for Argon2id.
const ARGON2_M_COST_KIB: u32 = 19 * 1024;
const ARGON2_T_COST: u32 = 2;
const ARGON2_P_COST: u32 = 1;
/// Upper bounds accepted when decrypting, so a hostile key file cannot make the
/// loader allocate gigabytes or spin for hours.
const ARGON2_MAX_M_COST_KIB: u32 = 1024 * 1024;
const ARGON2_MAX_T_COST: u32 = 64;
const ARGON2_MAX_P_COST: u32 = 16;

/// Key management problems (generation, encryption, rotation).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key generation: the operating system's random source failed: {0}")]
    Random(String),
    #[error("key file for {key_id}: wrong passphrase, or the file was altered")]
    WrongPassphrase { key_id: KeyId },
    #[error("key file: {field} is malformed: {reason}")]
    MalformedKeyFile { field: &'static str, reason: String },
    #[error(
        "key file for {key_id}: the decrypted secret belongs to key {actual}, not to the key the file names"
    )]
    KeyFileMismatch { key_id: KeyId, actual: KeyId },
    #[error("key derivation (Argon2id): {0}")]
    Kdf(String),
    #[error("encryption of the secret key for {key_id} failed")]
    Encrypt { key_id: KeyId },
    #[error("published key {key_id}: {reason}")]
    MalformedPublishedKey { key_id: KeyId, reason: String },
    #[error("key ring: key {0} is already published")]
    DuplicateKey(KeyId),
    #[error("key ring: no key {0}")]
    NoSuchKey(KeyId),
    #[error(
        "key ring: rotating to key {new} for owner {owner}, but that key belongs to {actual_owner}"
    )]
    RotationOwnerMismatch {
        new: KeyId,
        owner: String,
        actual_owner: String,
    },
    #[error("signing: {0}")]
    Canonical(#[from] CanonicalError),
}

/// Why a signed statement does not verify. Each names the key and the problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VerifyError {
    #[error("signature by key {key_id}: no such key is published")]
    UnknownKey { key_id: KeyId },
    #[error("signature by key {key_id}: algorithm {found:?} is not supported (only Ed25519)")]
    WrongAlgorithm { key_id: KeyId, found: String },
    #[error(
        "signature by key {key_id}: signed at {signed_at}, outside the key's validity ({valid_from} to {})",
        valid_until.map_or_else(|| "open".to_string(), |t| t.to_string())
    )]
    KeyNotValidAt {
        key_id: KeyId,
        signed_at: UnixSeconds,
        valid_from: UnixSeconds,
        valid_until: Option<UnixSeconds>,
    },
    #[error("signature by key {key_id}: the key is revoked and verifies nothing")]
    KeyRevoked { key_id: KeyId },
    #[error(
        "signature by key {key_id}: the signature does not match the signed content (the payload or its metadata was altered, or another key signed it)"
    )]
    SignatureMismatch { key_id: KeyId },
    #[error("signature by key {key_id}: the signature is not 64 bytes of base64url: {reason}")]
    MalformedSignature { key_id: KeyId, reason: String },
    #[error("signature by key {key_id}: the published public key is unusable: {reason}")]
    MalformedPublicKey { key_id: KeyId, reason: String },
    #[error("signature by key {key_id}: {source}")]
    Canonical {
        key_id: KeyId,
        source: CanonicalError,
    },
}

/// A key's identifier: hex of the first 16 bytes of SHA-256(public key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    pub fn of(public_key: &VerifyingKey) -> Self {
        let digest = Sha256::digest(public_key.as_bytes());
        Self(hex::encode(&digest[..16]))
    }

    /// Wraps an identifier read from elsewhere (not checked against any key).
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A secret signing key with its identity. `Debug` never prints the secret.
#[derive(Clone)]
pub struct SigningKeyPair {
    key_id: KeyId,
    owner: String,
    signing_key: SigningKey,
}

impl fmt::Debug for SigningKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyPair")
            .field("key_id", &self.key_id)
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

impl SigningKeyPair {
    /// A fresh key from the operating system's random source.
    pub fn generate(owner: impl Into<String>) -> Result<Self, KeyError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self::from_secret_bytes(owner, &secret))
    }

    /// The key whose 32-byte Ed25519 secret (RFC 8032 seed) is `secret`.
    pub fn from_secret_bytes(owner: impl Into<String>, secret: &[u8; 32]) -> Self {
        let signing_key = SigningKey::from_bytes(secret);
        Self {
            key_id: KeyId::of(&signing_key.verifying_key()),
            owner: owner.into(),
            signing_key,
        }
    }

    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing_key.verifying_key()
    }

    /// The public key, base64url without padding.
    pub fn public_key_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.verifying_key().as_bytes())
    }

    /// The published record for this key, active from `valid_from`.
    pub fn publish(&self, valid_from: UnixSeconds) -> PublishedKey {
        PublishedKey {
            key_id: self.key_id.clone(),
            owner: self.owner.clone(),
            algorithm: ALGORITHM.to_string(),
            public_key: self.public_key_base64(),
            valid_from,
            valid_until: None,
            status: KeyStatus::Active,
        }
    }

    /// Raw Ed25519 signature over `message`.
    pub fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.signing_key.sign(message).to_bytes()
    }

    /// Encrypts the secret under `passphrase` for storage at rest.
    pub fn encrypt(&self, passphrase: &str) -> Result<EncryptedSigningKey, KeyError> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut salt).map_err(|e| KeyError::Random(e.to_string()))?;
        getrandom::fill(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
        let kdf = KdfParams {
            algorithm: "argon2id".to_string(),
            m_cost_kib: ARGON2_M_COST_KIB,
            t_cost: ARGON2_T_COST,
            p_cost: ARGON2_P_COST,
            salt: URL_SAFE_NO_PAD.encode(salt),
        };
        let key = derive_key(passphrase, &kdf, &salt)?;
        let cipher = ChaCha20Poly1305::new(&key.into());
        let aad = associated_data(&self.key_id, &self.owner);
        let secret = self.signing_key.to_bytes();
        let ciphertext = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &secret,
                    aad: &aad,
                },
            )
            .map_err(|_| KeyError::Encrypt {
                key_id: self.key_id.clone(),
            })?;
        Ok(EncryptedSigningKey {
            format: ENCRYPTED_KEY_FORMAT.to_string(),
            key_id: self.key_id.clone(),
            owner: self.owner.clone(),
            kdf,
            cipher: "chacha20poly1305".to_string(),
            nonce: URL_SAFE_NO_PAD.encode(nonce),
            ciphertext: URL_SAFE_NO_PAD.encode(ciphertext),
        })
    }
}

/// Argon2id parameters stored with an encrypted key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Always `"argon2id"` (version 0x13).
    pub algorithm: String,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// 16 random bytes, base64url without padding.
    pub salt: String,
}

/// A secret key encrypted at rest (serialise it as JSON to a file or a row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedSigningKey {
    /// [`ENCRYPTED_KEY_FORMAT`].
    pub format: String,
    pub key_id: KeyId,
    pub owner: String,
    pub kdf: KdfParams,
    /// Always `"chacha20poly1305"` (RFC 8439).
    pub cipher: String,
    /// 12 random bytes, base64url without padding.
    pub nonce: String,
    /// 32 secret bytes followed by the 16-byte tag, base64url without padding.
    pub ciphertext: String,
}

impl EncryptedSigningKey {
    /// Decrypts with `passphrase`; a wrong passphrase or an altered file is refused.
    pub fn decrypt(&self, passphrase: &str) -> Result<SigningKeyPair, KeyError> {
        if self.format != ENCRYPTED_KEY_FORMAT {
            return Err(malformed(
                "format",
                format!("expected {ENCRYPTED_KEY_FORMAT:?}, found {:?}", self.format),
            ));
        }
        if self.cipher != "chacha20poly1305" {
            return Err(malformed(
                "cipher",
                format!("expected \"chacha20poly1305\", found {:?}", self.cipher),
            ));
        }
        let salt = decode_b64("kdf.salt", &self.kdf.salt)?;
        let nonce: [u8; 12] = decode_b64("nonce", &self.nonce)?
            .try_into()
            .map_err(|_| malformed("nonce", "expected 12 bytes".to_string()))?;
        let ciphertext = decode_b64("ciphertext", &self.ciphertext)?;
        let key = derive_key(passphrase, &self.kdf, &salt)?;
        let cipher = ChaCha20Poly1305::new(&key.into());
        let aad = associated_data(&self.key_id, &self.owner);
        let secret = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| KeyError::WrongPassphrase {
                key_id: self.key_id.clone(),
            })?;
        let secret: [u8; 32] = secret
            .try_into()
            .map_err(|_| malformed("ciphertext", "expected 32 secret bytes".to_string()))?;
        let pair = SigningKeyPair::from_secret_bytes(self.owner.clone(), &secret);
        if pair.key_id != self.key_id {
            return Err(KeyError::KeyFileMismatch {
                key_id: self.key_id.clone(),
                actual: pair.key_id,
            });
        }
        Ok(pair)
    }
}

fn malformed(field: &'static str, reason: String) -> KeyError {
    KeyError::MalformedKeyFile { field, reason }
}

fn decode_b64(field: &'static str, text: &str) -> Result<Vec<u8>, KeyError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| malformed(field, format!("not base64url without padding: {e}")))
}

/// Binds the ciphertext to its key id and owner: swapping either in the file makes
/// decryption fail instead of yielding a key under a false name.
fn associated_data(key_id: &KeyId, owner: &str) -> Vec<u8> {
    format!("{ENCRYPTED_KEY_FORMAT}\n{key_id}\n{owner}").into_bytes()
}

fn derive_key(passphrase: &str, kdf: &KdfParams, salt: &[u8]) -> Result<[u8; 32], KeyError> {
    if kdf.algorithm != "argon2id" {
        return Err(malformed(
            "kdf.algorithm",
            format!("expected \"argon2id\", found {:?}", kdf.algorithm),
        ));
    }
    if kdf.m_cost_kib > ARGON2_MAX_M_COST_KIB
        || kdf.t_cost > ARGON2_MAX_T_COST
        || kdf.p_cost > ARGON2_MAX_P_COST
    {
        return Err(malformed(
            "kdf",
            format!(
                "costs m={} KiB, t={}, p={} exceed the accepted maximum (m={ARGON2_MAX_M_COST_KIB}, t={ARGON2_MAX_T_COST}, p={ARGON2_MAX_P_COST})",
                kdf.m_cost_kib, kdf.t_cost, kdf.p_cost
            ),
        ));
    }
    let params = argon2::Params::new(kdf.m_cost_kib, kdf.t_cost, kdf.p_cost, Some(32))
        .map_err(|e| KeyError::Kdf(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|e| KeyError::Kdf(e.to_string()))?;
    Ok(key)
}

/// Lifecycle of a published key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// Signs now.
    Active,
    /// Replaced by a newer key; verifies what it signed within its validity.
    Retired,
    /// Compromised or withdrawn; verifies nothing.
    Revoked,
}

/// A public key as the registry publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    pub key_id: KeyId,
    /// The organisation holding the secret (registry or certification body id).
    pub owner: String,
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// 32 bytes, base64url without padding.
    pub public_key: String,
    pub valid_from: UnixSeconds,
    /// Exclusive end; `None` while the key is current.
    pub valid_until: Option<UnixSeconds>,
    pub status: KeyStatus,
}

impl PublishedKey {
    /// The Ed25519 public key, checked against the key id it is published under.
    pub fn verifying_key(&self) -> Result<VerifyingKey, VerifyError> {
        let bad = |reason: String| VerifyError::MalformedPublicKey {
            key_id: self.key_id.clone(),
            reason,
        };
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(&self.public_key)
            .map_err(|e| bad(format!("not base64url without padding: {e}")))?
            .try_into()
            .map_err(|_| bad("expected 32 bytes".to_string()))?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|e| bad(format!("not an Ed25519 point: {e}")))?;
        if KeyId::of(&key) != self.key_id {
            return Err(bad(format!(
                "the public key hashes to {}, not to its published id",
                KeyId::of(&key)
            )));
        }
        Ok(key)
    }

    /// Is a signature made at `at` acceptable under this key?
    pub fn check_valid_at(&self, at: UnixSeconds) -> Result<(), VerifyError> {
        if self.status == KeyStatus::Revoked {
            return Err(VerifyError::KeyRevoked {
                key_id: self.key_id.clone(),
            });
        }
        let before_end = self.valid_until.is_none_or(|end| at < end);
        if at < self.valid_from || !before_end {
            return Err(VerifyError::KeyNotValidAt {
                key_id: self.key_id.clone(),
                signed_at: at,
                valid_from: self.valid_from,
                valid_until: self.valid_until,
            });
        }
        Ok(())
    }
}

/// The published key set: every key ever published, with its window and status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRing {
    pub keys: Vec<PublishedKey>,
}

impl KeyRing {
    pub fn new() -> Self {
        Self::default()
    }

    /// A ring from published records (e.g. fetched JSON); duplicate ids are refused.
    pub fn from_keys(keys: Vec<PublishedKey>) -> Result<Self, KeyError> {
        let mut ring = Self::new();
        for key in keys {
            ring.add(key)?;
        }
        Ok(ring)
    }

    pub fn add(&mut self, key: PublishedKey) -> Result<(), KeyError> {
        if self.get(&key.key_id).is_some() {
            return Err(KeyError::DuplicateKey(key.key_id));
        }
        self.keys.push(key);
        Ok(())
    }

    pub fn get(&self, key_id: &KeyId) -> Option<&PublishedKey> {
        self.keys.iter().find(|k| &k.key_id == key_id)
    }

    /// The keys of one owner only. Verify tree heads against the log operator's
    /// keys (`ring.owned_by("zuji-registry")`): a certification body's key is valid
    /// for its certificates, not for the log.
    pub fn owned_by(&self, owner: &str) -> KeyRing {
        KeyRing {
            keys: self
                .keys
                .iter()
                .filter(|k| k.owner == owner)
                .cloned()
                .collect(),
        }
    }

    /// The owner's current signing key, if any.
    pub fn active_key(&self, owner: &str) -> Option<&PublishedKey> {
        self.keys
            .iter()
            .rev()
            .find(|k| k.owner == owner && k.status == KeyStatus::Active)
    }

    /// Makes `new` the owner's active key from `at`: every other active key of the
    /// owner gets `valid_until = at` and status Retired.
    pub fn rotate(&mut self, mut new: PublishedKey, at: UnixSeconds) -> Result<(), KeyError> {
        if self.get(&new.key_id).is_some() {
            return Err(KeyError::DuplicateKey(new.key_id));
        }
        for key in &mut self.keys {
            if key.owner == new.owner && key.status == KeyStatus::Active {
                key.status = KeyStatus::Retired;
                key.valid_until = Some(key.valid_until.map_or(at, |end| end.min(at)));
            }
        }
        new.valid_from = at;
        new.status = KeyStatus::Active;
        self.keys.push(new);
        Ok(())
    }

    /// Marks a key revoked from `at` on; it then verifies nothing, before or after.
    pub fn revoke(&mut self, key_id: &KeyId, at: UnixSeconds) -> Result<(), KeyError> {
        let key = self
            .keys
            .iter_mut()
            .find(|k| &k.key_id == key_id)
            .ok_or_else(|| KeyError::NoSuchKey(key_id.clone()))?;
        key.status = KeyStatus::Revoked;
        key.valid_until = Some(key.valid_until.map_or(at, |end| end.min(at)));
        Ok(())
    }

    /// Verifies a raw signature over `message` made by `key_id` at `signed_at`.
    pub fn verify_bytes(
        &self,
        key_id: &KeyId,
        algorithm: &str,
        signed_at: UnixSeconds,
        message: &[u8],
        signature_b64: &str,
    ) -> Result<(), VerifyError> {
        if algorithm != ALGORITHM {
            return Err(VerifyError::WrongAlgorithm {
                key_id: key_id.clone(),
                found: algorithm.to_string(),
            });
        }
        let key = self.get(key_id).ok_or_else(|| VerifyError::UnknownKey {
            key_id: key_id.clone(),
        })?;
        if key.algorithm != ALGORITHM {
            return Err(VerifyError::WrongAlgorithm {
                key_id: key_id.clone(),
                found: key.algorithm.clone(),
            });
        }
        key.check_valid_at(signed_at)?;
        let public = key.verifying_key()?;
        let bad_sig = |reason: String| VerifyError::MalformedSignature {
            key_id: key_id.clone(),
            reason,
        };
        let bytes: [u8; 64] = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|e| bad_sig(e.to_string()))?
            .try_into()
            .map_err(|_| bad_sig("wrong length".to_string()))?;
        public
            .verify_strict(message, &Signature::from_bytes(&bytes))
            .map_err(|_| VerifyError::SignatureMismatch {
                key_id: key_id.clone(),
            })
    }
}

/// A signed JSON statement (certificate, label payload, …).
///
/// The signature covers the canonical JSON of `{"alg", "key_id", "payload",
/// "signed_at"}`; `sig` is the 64-byte Ed25519 signature in base64url without
/// padding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedStatement {
    pub payload: Value,
    pub key_id: KeyId,
    pub alg: String,
    pub signed_at: UnixSeconds,
    pub sig: String,
}

impl SignedStatement {
    /// The exact bytes the signature is over.
    pub fn signed_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        signing_input(&self.payload, &self.key_id, &self.alg, self.signed_at)
    }

    /// The payload read as `T`.
    pub fn payload_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.payload)
    }
}

fn signing_input(
    payload: &Value,
    key_id: &KeyId,
    alg: &str,
    signed_at: UnixSeconds,
) -> Result<Vec<u8>, CanonicalError> {
    to_canonical_bytes(&json!({
        "alg": alg,
        "key_id": key_id,
        "payload": payload,
        "signed_at": signed_at,
    }))
}

/// Signs `payload` with `pair` at time `signed_at`.
pub fn sign(
    pair: &SigningKeyPair,
    payload: &Value,
    signed_at: UnixSeconds,
) -> Result<SignedStatement, KeyError> {
    let message = signing_input(payload, &pair.key_id, ALGORITHM, signed_at)?;
    Ok(SignedStatement {
        payload: payload.clone(),
        key_id: pair.key_id.clone(),
        alg: ALGORITHM.to_string(),
        signed_at,
        sig: URL_SAFE_NO_PAD.encode(pair.sign_bytes(&message)),
    })
}

/// Signs any serialisable payload (a certificate, a label statement).
pub fn sign_serializable<T: Serialize + ?Sized>(
    pair: &SigningKeyPair,
    payload: &T,
    signed_at: UnixSeconds,
) -> Result<SignedStatement, KeyError> {
    let value = serde_json::to_value(payload).map_err(|e| CanonicalError::NotJson {
        reason: e.to_string(),
    })?;
    sign(pair, &value, signed_at)
}

/// Verifies `signed` against the published keys: known key, supported algorithm,
/// key valid (not revoked) at the signing time, signature over the canonical bytes.
pub fn verify(keys: &KeyRing, signed: &SignedStatement) -> Result<(), VerifyError> {
    let message = signed
        .signed_bytes()
        .map_err(|source| VerifyError::Canonical {
            key_id: signed.key_id.clone(),
            source,
        })?;
    keys.verify_bytes(
        &signed.key_id,
        &signed.alg,
        signed.signed_at,
        &message,
        &signed.sig,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex<const N: usize>(s: &str) -> [u8; N] {
        hex::decode(s).unwrap().try_into().unwrap()
    }

    /// RFC 8032 §7.1, TEST 1 (empty message).
    #[test]
    fn rfc8032_test_1() {
        let secret: [u8; 32] =
            unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let public: [u8; 32] =
            unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let signature: [u8; 64] = unhex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        let pair = SigningKeyPair::from_secret_bytes("rfc8032", &secret);
        assert_eq!(pair.verifying_key().to_bytes(), public);
        assert_eq!(pair.sign_bytes(b""), signature);
        // Key id: first 16 bytes of SHA-256(public key) in hex.
        let digest = Sha256::digest(public);
        assert_eq!(pair.key_id().as_str(), hex::encode(&digest[..16]));
        // Published form: base64url without padding of the 32 bytes.
        assert_eq!(
            pair.public_key_base64(),
            "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
        );
    }
}
