//! Signing keys: one active Ed25519 key per organisation (the registry signs the log and
//! labels, a certification body its certificates), the secret encrypted at rest with a
//! passphrase the caller holds; every key ever published stays in the table with its
//! validity, so old signatures keep verifying.

use super::{ms_to_seconds, now_seconds, seconds_to_ms, stored_json, to_json};
use crate::audit::record;
use crate::{OrgKind, Organisation, Scope, Store, StoreError, Viewer, now_ms};
use serde_json::json;
use zuji_trust::keys::{
    EncryptedSigningKey, KeyError, KeyId, KeyRing, KeyStatus, PublishedKey, SigningKeyPair,
};

/// The `owner` of the registry operator's keys, the one tree heads are verified against
/// (`KeyRing::owned_by(REGISTRY_KEY_OWNER)`, `docs/transparency-log.md`). Other
/// organisations' keys are owned by their id in decimal, the id certificates name.
pub const REGISTRY_KEY_OWNER: &str = "zuji-registry";

fn owner_of(org: &Organisation) -> String {
    match org.kind {
        OrgKind::Registry => REGISTRY_KEY_OWNER.to_string(),
        _ => org.id.to_string(),
    }
}

/// key_id, owner, public_key, status, valid_from (ms), valid_until (ms).
type KeyRow = (String, String, String, String, i64, Option<i64>);
const KEY_COLS: &str = "key_id, owner, public_key, status, valid_from, valid_until";
/// A [`KeyRow`] followed by the encrypted secret.
type SecretKeyRow = (String, String, String, String, i64, Option<i64>, String);

fn published_from(row: KeyRow) -> Result<PublishedKey, StoreError> {
    let (key_id, owner, public_key, status, valid_from, valid_until) = row;
    let status = match status.as_str() {
        "active" => KeyStatus::Active,
        "retired" => KeyStatus::Retired,
        "revoked" => KeyStatus::Revoked,
        other => {
            return Err(StoreError::Invalid {
                field: format!("signing_keys[{key_id}].status"),
                problem: format!("'{other}' is not a key status"),
            });
        }
    };
    Ok(PublishedKey {
        key_id: KeyId::new(key_id),
        owner,
        algorithm: zuji_trust::keys::ALGORITHM.to_string(),
        public_key,
        valid_from: ms_to_seconds(valid_from),
        valid_until: valid_until.map(ms_to_seconds),
        status,
    })
}

fn key_error(field: &str, e: KeyError) -> StoreError {
    StoreError::Invalid {
        field: field.to_string(),
        problem: e.to_string(),
    }
}

fn check_passphrase(passphrase: &str) -> Result<(), StoreError> {
    if passphrase.is_empty() {
        return Err(StoreError::invalid(
            "passphrase",
            "the signing-key passphrase must not be empty",
        ));
    }
    Ok(())
}

impl Store {
    /// The organisation's active signing key, generated and stored (encrypted with
    /// `passphrase`) if it has none. An existing key is decrypted with `passphrase` to
    /// check it, so a wrong passphrase in the configuration fails here, at start-up.
    /// For the platform itself (server start, command line): no viewer.
    pub async fn ensure_signing_key(
        &self,
        org_id: i64,
        passphrase: &str,
    ) -> Result<PublishedKey, StoreError> {
        Ok(self.ensure_signing_pair(org_id, passphrase).await?.0)
    }

    /// The organisation's active key pair under the configured signing passphrase,
    /// created if it has none: what the store signs certificates and labels with.
    pub(crate) async fn signing_pair_of_org(
        &self,
        org_id: i64,
    ) -> Result<SigningKeyPair, StoreError> {
        let passphrase = self.signing_passphrase()?.to_string();
        Ok(self.ensure_signing_pair(org_id, &passphrase).await?.1)
    }

    async fn ensure_signing_pair(
        &self,
        org_id: i64,
        passphrase: &str,
    ) -> Result<(PublishedKey, SigningKeyPair), StoreError> {
        check_passphrase(passphrase)?;
        let org = self.org_by_id(org_id).await?;
        if let Some(found) = self.active_key_of_org(org_id, passphrase).await? {
            return Ok(found);
        }
        let pair = SigningKeyPair::generate(owner_of(&org)).map_err(|e| key_error("key", e))?;
        let published = pair.publish(now_seconds());
        let encrypted = encrypted_json(&pair, passphrase)?;
        let mut tx = self.pool.begin().await?;
        let inserted = insert_key(&mut tx, org_id, &published, &encrypted).await;
        match inserted {
            Ok(()) => {}
            // Another process created the key first: use that one.
            Err(StoreError::Conflict { .. }) => {
                drop(tx);
                return self
                    .active_key_of_org(org_id, passphrase)
                    .await?
                    .ok_or_else(|| {
                        StoreError::not_found("active signing key of organisation", org_id)
                    });
            }
            Err(e) => return Err(e),
        }
        record(
            &mut tx,
            &Viewer::System,
            "signing_key.create",
            "signing_key",
            published.key_id.as_str(),
            json!({"org_id": org_id, "owner": published.owner}),
        )
        .await?;
        tx.commit().await?;
        Ok((published, pair))
    }

    /// Makes sure the registry operator has an active key under the configured signing
    /// passphrase (it signs tree heads), creating it on first start; `None` when no
    /// registry organisation exists yet. Fails when the configured passphrase does not
    /// open the stored key, so a wrong configuration is found at start-up.
    pub async fn ensure_registry_signing_key(&self) -> Result<Option<PublishedKey>, StoreError> {
        let registry: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM organisations WHERE kind = 'registry' ORDER BY id LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(org_id) = registry else {
            return Ok(None);
        };
        let passphrase = self.signing_passphrase()?.to_string();
        Ok(Some(self.ensure_signing_pair(org_id, &passphrase).await?.0))
    }

    /// Replaces the organisation's active key with a new one, encrypted with the
    /// platform's signing passphrase (so the platform can keep signing with it): the old
    /// key is retired with `valid_until` = now and keeps verifying what it signed before.
    /// An administrator of the organisation, a registry administrator or the system.
    pub async fn rotate_signing_key(
        &self,
        viewer: &Viewer,
        org_id: i64,
    ) -> Result<PublishedKey, StoreError> {
        match viewer {
            Viewer::System => {}
            Viewer::Anonymous => return Err(StoreError::Unauthenticated),
            Viewer::Member {
                org_kind: OrgKind::Registry,
                ..
            } => viewer.require(Scope::Admin)?,
            v if v.org_id() == Some(org_id) => v.require(Scope::Admin)?,
            _ => return Err(StoreError::not_found("organisation", org_id)),
        }
        let passphrase = self.signing_passphrase()?.to_string();
        let passphrase = passphrase.as_str();
        check_passphrase(passphrase)?;
        let org = self.org_by_id(org_id).await?;
        let pair = SigningKeyPair::generate(owner_of(&org)).map_err(|e| key_error("key", e))?;
        let now_s = now_seconds();
        let published = pair.publish(now_s);
        let encrypted = encrypted_json(&pair, passphrase)?;
        let mut tx = self.pool.begin().await?;
        let retired: Vec<String> = sqlx::query_scalar(
            "UPDATE signing_keys SET status = 'retired', valid_until = $1
             WHERE org_id = $2 AND status = 'active' RETURNING key_id",
        )
        .bind(seconds_to_ms(now_s))
        .bind(org_id)
        .fetch_all(&mut *tx)
        .await?;
        insert_key(&mut tx, org_id, &published, &encrypted).await?;
        record(
            &mut tx,
            viewer,
            "signing_key.rotate",
            "signing_key",
            published.key_id.as_str(),
            json!({"org_id": org_id, "owner": published.owner, "retired": retired}),
        )
        .await?;
        tx.commit().await?;
        Ok(published)
    }

    /// Every key ever published, in the order created: what verifiers of certificates,
    /// labels and tree heads need. Public.
    pub async fn published_keys(&self) -> Result<KeyRing, StoreError> {
        let rows: Vec<KeyRow> =
            sqlx::query_as(sql!("SELECT {KEY_COLS} FROM signing_keys ORDER BY id"))
                .fetch_all(&self.pool)
                .await?;
        let keys = rows
            .into_iter()
            .map(published_from)
            .collect::<Result<Vec<_>, _>>()?;
        KeyRing::from_keys(keys).map_err(|e| key_error("signing_keys", e))
    }

    /// The organisation's active key, published and decrypted, if it has one.
    async fn active_key_of_org(
        &self,
        org_id: i64,
        passphrase: &str,
    ) -> Result<Option<(PublishedKey, SigningKeyPair)>, StoreError> {
        let row: Option<SecretKeyRow> = sqlx::query_as(sql!(
            "SELECT {KEY_COLS}, encrypted_json FROM signing_keys
                 WHERE org_id = $1 AND status = 'active' ORDER BY id DESC LIMIT 1"
        ))
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((key_id, owner, public_key, status, from, until, encrypted)) = row else {
            return Ok(None);
        };
        let pair = decrypt(&key_id, &encrypted, passphrase)?;
        let published = published_from((key_id, owner, public_key, status, from, until))?;
        Ok(Some((published, pair)))
    }

    /// The active key of a key owner (e.g. [`REGISTRY_KEY_OWNER`]), decrypted.
    pub(crate) async fn active_key_of_owner(
        &self,
        owner: &str,
        passphrase: &str,
    ) -> Result<SigningKeyPair, StoreError> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT key_id, encrypted_json FROM signing_keys
             WHERE owner = $1 AND status = 'active' ORDER BY id DESC LIMIT 1",
        )
        .bind(owner)
        .fetch_optional(&self.pool)
        .await?;
        let Some((key_id, encrypted)) = row else {
            return Err(StoreError::Invalid {
                field: "signing key".into(),
                problem: format!(
                    "{owner} has no active signing key; create one with ensure_signing_key"
                ),
            });
        };
        decrypt(&key_id, &encrypted, passphrase)
    }
}

fn decrypt(key_id: &str, encrypted: &str, passphrase: &str) -> Result<SigningKeyPair, StoreError> {
    let file: EncryptedSigningKey =
        stored_json(encrypted, &format!("signing_keys[{key_id}].encrypted_json"))?;
    file.decrypt(passphrase)
        .map_err(|e| key_error("passphrase", e))
}

/// The secret of `pair` encrypted with `passphrase`, as stored (Argon2id takes a
/// moment: done before any transaction starts).
fn encrypted_json(pair: &SigningKeyPair, passphrase: &str) -> Result<String, StoreError> {
    let encrypted = pair
        .encrypt(passphrase)
        .map_err(|e| key_error("passphrase", e))?;
    to_json(&encrypted, "encrypted signing key")
}

async fn insert_key(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org_id: i64,
    published: &PublishedKey,
    encrypted_json: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO signing_keys (key_id, org_id, owner, public_key, encrypted_json, status, valid_from, valid_until, created_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6, NULL, $7)",
    )
    .bind(published.key_id.as_str())
    .bind(org_id)
    .bind(&published.owner)
    .bind(&published.public_key)
    .bind(encrypted_json)
    .bind(seconds_to_ms(published.valid_from))
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::conflict_or(e, "active signing key of organisation", &org_id.to_string()))?;
    Ok(())
}
