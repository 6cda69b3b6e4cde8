//! The trust layer's persistence (issue 6): product category rules and the
//! adopted-standards list, certification applications and certificates, signing keys,
//! the transparency log and benchmarks. The rules themselves live in `zuji-trust`; this
//! module stores its records and enforces who may read and write them.
//!
//! - [`pcrs`](Store::list_pcrs): PCRs loaded from the bundled files; public.
//! - certification: applications (the enterprise, the body applied to and the registry
//!   see them; never the public) and certificates (the public sees their status and
//!   scope). Every state change runs the trust crate's state machine and is written back
//!   in one transaction guarded by the row's `revision`, with its audit entry and, for a
//!   certificate's issue, suspension, reinstatement, withdrawal or expiry, its
//!   transparency-log entry.
//! - keys: Ed25519 keys per organisation, the secret encrypted at rest with a passphrase
//!   the caller holds (the server's configuration); published keys are public.
//! - the log: appended only inside the store's own transactions; the registry signs
//!   tree heads over the stored leaf hashes.
//!
//! Times: the store's columns and its public API count Unix milliseconds, like the rest
//! of the store; the trust crate's records (and so the JSON stored for them, log entries
//! and tree heads) count Unix seconds. The conversion happens here: `ms / 1000` going in
//! (rounded down), `s * 1000` coming out.
//!
//! [`Store`]: crate::Store

mod benchmarks;
mod certification;
// certification desk: surveillance & paging
mod desk;
mod evidence;
mod keys;
mod labels;
mod log;
mod pcrs;

pub use benchmarks::StoredBenchmark;
pub use certification::{
    ApplicationFilter, ApplicationInput, ApplicationOutcome, CertificateFilter, CertificateOutcome,
    StoredApplication, StoredCertificate, certificate_statement,
};
pub use keys::REGISTRY_KEY_OWNER;
pub use labels::{RankedProduct, StoredLabel};
pub use log::LOG_ENTRIES_MAX;
pub use pcrs::StoredPcr;

use crate::{OrgKind, Scope, StoreError, Viewer};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Any, Transaction};
use zuji_trust::certification::{Actor, CertificationError, MemberRole, OrgKind as TrustOrgKind};

/// Unix milliseconds to the trust crate's Unix seconds (rounded down).
pub(crate) fn ms_to_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

/// The trust crate's Unix seconds to the store's milliseconds.
pub(crate) fn seconds_to_ms(s: i64) -> i64 {
    s.saturating_mul(1000)
}

/// The current time in the trust crate's Unix seconds.
pub(crate) fn now_seconds() -> i64 {
    ms_to_seconds(crate::now_ms())
}

/// The actor a viewer is in the certification workflow: its organisation and kind, the
/// user (or `api-client` for a program), and a role derived from its scopes (admin scope:
/// admin, write: editor, otherwise viewer, who may read but not act). The platform
/// itself (command line, background jobs) acts as the registry operator.
pub(crate) fn actor_of(viewer: &Viewer) -> Result<Actor, StoreError> {
    match viewer {
        Viewer::Anonymous => Err(StoreError::Unauthenticated),
        Viewer::System => Ok(Actor::new(
            "system",
            TrustOrgKind::Registry,
            "system",
            MemberRole::Admin,
        )),
        Viewer::Member {
            org_id,
            org_kind,
            user_id,
            scopes,
        } => {
            let role = if scopes.contains(&Scope::Admin) {
                MemberRole::Admin
            } else if scopes.contains(&Scope::Write) {
                MemberRole::Editor
            } else {
                MemberRole::Viewer
            };
            let kind = match org_kind {
                OrgKind::Enterprise => TrustOrgKind::Enterprise,
                OrgKind::Certifier => TrustOrgKind::Certifier,
                OrgKind::Registry => TrustOrgKind::Registry,
            };
            let user = user_id.map_or_else(|| "api-client".to_string(), |u| u.to_string());
            Ok(Actor::new(org_id.to_string(), kind, user, role))
        }
    }
}

/// A refusal of the state machine as a store error, its message kept whole: an actor
/// who may not act is forbidden; anything else is an invalid action (or an invalid
/// field of the request, named).
pub(crate) fn certification_error(e: CertificationError) -> StoreError {
    match &e {
        CertificationError::NotPermitted { .. } => StoreError::Forbidden(e.to_string()),
        CertificationError::Invalid { field, .. } => StoreError::Invalid {
            field: field.clone(),
            problem: e.to_string(),
        },
        _ => StoreError::Invalid {
            field: "action".into(),
            problem: e.to_string(),
        },
    }
}

/// Reads a JSON record stored by this module; `place` names the table, column and row.
pub(crate) fn stored_json<T: DeserializeOwned>(text: &str, place: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Invalid {
        field: place.to_string(),
        problem: format!("the stored JSON cannot be read: {e}"),
    })
}

/// Serialises a record for storage; `place` names what it is.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T, place: &str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid {
        field: place.to_string(),
        problem: format!("cannot be written as JSON: {e}"),
    })
}

/// A store row id given as text in a trust-crate record (`product_id`, …).
pub(crate) fn parse_id(field: &str, text: &str) -> Result<i64, StoreError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| StoreError::Invalid {
            field: field.to_string(),
            problem: format!("'{text}' is not the id of a stored row (a positive integer)"),
        })
}

/// The next value of a counter in `trust_counters`, inside the writing transaction (the
/// update takes the row's lock on PostgreSQL and the write lock on SQLite, so two
/// transactions never get the same value; a rolled-back transaction gives its value back).
pub(crate) async fn next_counter(
    tx: &mut Transaction<'_, Any>,
    name: &str,
) -> Result<i64, StoreError> {
    let value: Option<i64> = sqlx::query_scalar(
        "UPDATE trust_counters SET value = value + 1 WHERE name = $1 RETURNING value",
    )
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?;
    value.ok_or_else(|| StoreError::Invalid {
        field: "trust_counters".into(),
        problem: format!("the counter '{name}' is missing (migration 0004 seeds it)"),
    })
}

/// Lowercase hex.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0x0f) as usize] as char);
    }
    s
}

/// A 32-byte hash from 64 hex digits (either case); `None` otherwise.
pub(crate) fn hash_from_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 37 % 256) as u8);
        let text = to_hex(&bytes);
        assert_eq!(text.len(), 64);
        assert_eq!(hash_from_hex(&text), Some(bytes));
        assert_eq!(hash_from_hex(&text.to_uppercase()), Some(bytes));
        assert_eq!(hash_from_hex(&text[..62]), None);
        assert_eq!(hash_from_hex(&format!("{}zz", &text[..62])), None);
    }

    #[test]
    fn seconds_and_milliseconds() {
        assert_eq!(ms_to_seconds(1_767_225_600_999), 1_767_225_600);
        assert_eq!(ms_to_seconds(-1), -1);
        assert_eq!(seconds_to_ms(1_767_225_600), 1_767_225_600_000);
    }

    #[test]
    fn roles_follow_scopes() {
        let member = |scopes: Vec<Scope>| Viewer::Member {
            org_id: 7,
            org_kind: OrgKind::Certifier,
            user_id: None,
            scopes,
        };
        let a = actor_of(&member(vec![Scope::Read, Scope::Write, Scope::Admin])).unwrap();
        assert_eq!(
            (a.role, a.org_id.as_str(), a.user_id.as_str(), a.org_kind),
            (
                MemberRole::Admin,
                "7",
                "api-client",
                TrustOrgKind::Certifier
            )
        );
        let e = actor_of(&member(vec![Scope::Read, Scope::Write])).unwrap();
        assert_eq!(e.role, MemberRole::Editor);
        let v = actor_of(&member(vec![Scope::Read])).unwrap();
        assert_eq!(v.role, MemberRole::Viewer);
        assert!(matches!(
            actor_of(&Viewer::Anonymous),
            Err(StoreError::Unauthenticated)
        ));
    }
}
