//! Who is asking, and what they may do. The store filters every read of tenant data by
//! a [`Viewer`]; handlers only pass it along.

use crate::StoreError;
use serde::{Deserialize, Serialize};

/// The kind of an organisation on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    /// Accounts for its products' footprints.
    Enterprise,
    /// A certification body: reviews and certifies footprints it is granted.
    Certifier,
    /// The registry operator (regulator): runs the platform, sees organisations and the
    /// audit log, publishes benchmarks.
    Registry,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Enterprise => "enterprise",
            OrgKind::Certifier => "certifier",
            OrgKind::Registry => "registry",
        }
    }

    pub fn parse(s: &str) -> Result<OrgKind, StoreError> {
        match s {
            "enterprise" => Ok(OrgKind::Enterprise),
            "certifier" => Ok(OrgKind::Certifier),
            "registry" => Ok(OrgKind::Registry),
            _ => Err(StoreError::invalid(
                "kind",
                format!("'{s}' is not an organisation kind (enterprise, certifier, registry)"),
            )),
        }
    }
}

/// A user's role within their organisation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads what the organisation may read.
    Viewer,
    /// Also creates products, model versions and calculations.
    Editor,
    /// Also manages the organisation's users and API clients.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role, StoreError> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(StoreError::invalid(
                "role",
                format!("'{s}' is not a role (admin, editor, viewer)"),
            )),
        }
    }
}

/// What a program's token may do. Sessions of users carry the scopes of their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Write,
    Admin,
    Pact,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Read, Scope::Write, Scope::Admin, Scope::Pact];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Admin => "admin",
            Scope::Pact => "pact",
        }
    }

    pub fn parse(s: &str) -> Result<Scope, StoreError> {
        Scope::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                StoreError::invalid(
                    "scope",
                    format!("'{s}' is not a scope (read, write, admin, pact)"),
                )
            })
    }

    pub(crate) fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(crate) fn split(text: &str) -> Vec<Scope> {
        text.split_whitespace()
            .filter_map(|s| Scope::parse(s).ok())
            .collect()
    }

    /// The scopes a user's session carries.
    pub fn of_role(role: Role) -> Vec<Scope> {
        match role {
            Role::Viewer => vec![Scope::Read],
            Role::Editor => vec![Scope::Read, Scope::Write],
            Role::Admin => vec![Scope::Read, Scope::Write, Scope::Admin],
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// The public: sees only what is disclosed.
    Anonymous,
    /// A signed-in user or an API client acting for an organisation.
    Member {
        org_id: i64,
        org_kind: OrgKind,
        /// The user, when a person (not a program) acts.
        user_id: Option<i64>,
        scopes: Vec<Scope>,
    },
    /// The platform itself (command line, background jobs): sees everything.
    System,
}

impl Viewer {
    pub fn org_id(&self) -> Option<i64> {
        match self {
            Viewer::Member { org_id, .. } => Some(*org_id),
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Viewer::Member { user_id, .. } => *user_id,
            _ => None,
        }
    }

    pub fn org_kind(&self) -> Option<OrgKind> {
        match self {
            Viewer::Member { org_kind, .. } => Some(*org_kind),
            _ => None,
        }
    }

    pub fn has(&self, scope: Scope) -> bool {
        match self {
            Viewer::System => true,
            Viewer::Anonymous => false,
            Viewer::Member { scopes, .. } => scopes.contains(&scope),
        }
    }

    /// Fails with [`StoreError::Forbidden`] unless the viewer holds `scope`;
    /// anonymous viewers get [`StoreError::Unauthenticated`].
    pub fn require(&self, scope: Scope) -> Result<(), StoreError> {
        match self {
            Viewer::Anonymous => Err(StoreError::Unauthenticated),
            v if v.has(scope) => Ok(()),
            _ => Err(StoreError::Forbidden(format!(
                "this needs the '{}' scope",
                scope.as_str()
            ))),
        }
    }

    /// Fails unless the viewer belongs to an organisation of `kind` (or is the system).
    pub fn require_kind(&self, kind: OrgKind) -> Result<(), StoreError> {
        match self {
            Viewer::System => Ok(()),
            Viewer::Anonymous => Err(StoreError::Unauthenticated),
            Viewer::Member { org_kind, .. } if *org_kind == kind => Ok(()),
            Viewer::Member { .. } => Err(StoreError::Forbidden(format!(
                "only a {} organisation may do this",
                kind.as_str()
            ))),
        }
    }

    /// The organisation a platform-wide list is narrowed to: none for the registry
    /// operator and the system (they see every organisation's rows), the viewer's own
    /// otherwise (`-1`, matching nothing, for the public).
    pub(crate) fn tenant_filter(&self) -> Option<i64> {
        match self {
            Viewer::System
            | Viewer::Member {
                org_kind: OrgKind::Registry,
                ..
            } => None,
            v => Some(v.org_id().unwrap_or(-1)),
        }
    }

    pub fn is_system(&self) -> bool {
        matches!(self, Viewer::System)
    }
}
