//! Organisations, users, API clients and the tokens they sign in with.

use crate::audit::record;
use crate::secret::{hash_password, random_hex, sha256_hex, verify_password};
use crate::{OrgKind, Page, PageRequest, Role, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::json;

/// How long a web session lasts.
pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;
/// How long an access token issued to an API client lasts.
pub const ACCESS_TOKEN_TTL_MS: i64 = 3600 * 1000;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub org_id: i64,
    pub role: Role,
    pub created_at: i64,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ApiClient {
    pub id: i64,
    pub client_id: String,
    pub org_id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub pact: bool,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// A new API client; the secret exists only here and is never stored in clear.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedClient {
    pub client: ApiClient,
    pub secret: String,
}

/// A new bearer token; shown once, stored as its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: i64,
    pub scopes: Vec<Scope>,
}

type OrgRow = (i64, String, String, i64);
type UserRow = (i64, String, i64, String, i64, i64);
/// org, user, scopes, expires_at, revoked_at, org kind, disabled flags.
type TokenRow = (i64, Option<i64>, String, i64, Option<i64>, String, i64);
type ClientRow = (i64, String, i64, String, String, i64, i64, Option<i64>);

fn org_from(r: OrgRow) -> Result<Organisation, StoreError> {
    Ok(Organisation {
        id: r.0,
        name: r.1,
        kind: OrgKind::parse(&r.2)?,
        created_at: r.3,
    })
}

fn user_from(r: UserRow) -> Result<User, StoreError> {
    Ok(User {
        id: r.0,
        email: r.1,
        org_id: r.2,
        role: Role::parse(&r.3)?,
        created_at: r.4,
        disabled: r.5 != 0,
    })
}

fn client_from(r: ClientRow) -> ApiClient {
    ApiClient {
        id: r.0,
        client_id: r.1,
        org_id: r.2,
        name: r.3,
        scopes: Scope::split(&r.4),
        pact: r.5 != 0,
        created_at: r.6,
        revoked_at: r.7,
    }
}

const USER_COLS: &str = "id, email, org_id, role, created_at, disabled";
const CLIENT_COLS: &str = "id, client_id, org_id, name, scopes, pact, created_at, revoked_at";

impl Store {
    /// Creates an organisation: the system (command line) or a registry administrator.
    pub async fn create_org(
        &self,
        viewer: &Viewer,
        name: &str,
        kind: OrgKind,
    ) -> Result<Organisation, StoreError> {
        if !viewer.is_system() {
            viewer.require_kind(OrgKind::Registry)?;
            viewer.require(Scope::Admin)?;
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StoreError::invalid("name", "must be 1 to 200 characters"));
        }
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(kind.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "organisation", name))?;
        record(
            &mut tx,
            viewer,
            "org.create",
            "organisation",
            id,
            json!({"name": name, "kind": kind}),
        )
        .await?;
        tx.commit().await?;
        Ok(Organisation {
            id,
            name: name.to_string(),
            kind,
            created_at: now,
        })
    }

    pub async fn org_by_name(&self, name: &str) -> Result<Organisation, StoreError> {
        let row: Option<OrgRow> =
            sqlx::query_as("SELECT id, name, kind, created_at FROM organisations WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        org_from(row.ok_or_else(|| StoreError::not_found("organisation", name))?)
    }

    pub(crate) async fn org_by_id(&self, id: i64) -> Result<Organisation, StoreError> {
        let row: Option<OrgRow> =
            sqlx::query_as("SELECT id, name, kind, created_at FROM organisations WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        org_from(row.ok_or_else(|| StoreError::not_found("organisation", id))?)
    }

    /// One organisation: its members and the registry may see it, and every member of
    /// the platform may see certification bodies and registry operators (public
    /// institutions an enterprise grants access to).
    pub async fn get_org(&self, viewer: &Viewer, id: i64) -> Result<Organisation, StoreError> {
        viewer.require(Scope::Read)?;
        let org = self.org_by_id(id).await?;
        let visible = match viewer {
            Viewer::Member {
                org_kind: OrgKind::Registry,
                ..
            }
            | Viewer::System => true,
            v => v.org_id() == Some(id) || org.kind != OrgKind::Enterprise,
        };
        if !visible {
            return Err(StoreError::not_found("organisation", id));
        }
        Ok(org)
    }

    /// Organisations: the registry sees all; others see their own, and the
    /// certification bodies and registry operators.
    pub async fn list_orgs(
        &self,
        viewer: &Viewer,
        kind: Option<OrgKind>,
        page: PageRequest,
    ) -> Result<Page<Organisation>, StoreError> {
        viewer.require(Scope::Read)?;
        let only = match viewer {
            Viewer::Member {
                org_kind: OrgKind::Registry,
                ..
            }
            | Viewer::System => None,
            v => v.org_id(),
        };
        let kind = kind.map(|k| k.as_str());
        let where_sql =
            "WHERE ($1 IS NULL OR id = $1 OR kind <> 'enterprise') AND ($2 IS NULL OR kind = $2)";
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM organisations {where_sql}"))
            .bind(only)
            .bind(kind)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<OrgRow> = sqlx::query_as(sql!(
            "SELECT id, name, kind, created_at FROM organisations {where_sql} ORDER BY id LIMIT $3 OFFSET $4"
        ))
        .bind(only)
        .bind(kind)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(org_from).collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Creates a user: the system, an admin of the same organisation, or a registry admin.
    pub async fn create_user(
        &self,
        viewer: &Viewer,
        email: &str,
        org_id: i64,
        role: Role,
        password: &str,
    ) -> Result<User, StoreError> {
        self.require_org_admin(viewer, org_id).await?;
        let email = email.trim().to_lowercase();
        if !valid_email(&email) {
            return Err(StoreError::invalid(
                "email",
                format!("'{email}' is not an e-mail address"),
            ));
        }
        let hash = hash_password(password)?;
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, org_id, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&email)
        .bind(org_id)
        .bind(role.as_str())
        .bind(hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "user", &email))?;
        record(
            &mut tx,
            viewer,
            "user.create",
            "user",
            id,
            json!({"email": email, "org_id": org_id, "role": role}),
        )
        .await?;
        tx.commit().await?;
        Ok(User {
            id,
            email,
            org_id,
            role,
            created_at: now,
            disabled: false,
        })
    }

    /// Creates a user, or sets an existing user's password and role (the system only:
    /// demo accounts and operators' password resets).
    pub async fn upsert_user_password(
        &self,
        viewer: &Viewer,
        email: &str,
        org_id: i64,
        role: Role,
        password: &str,
    ) -> Result<(), StoreError> {
        if !viewer.is_system() {
            return Err(StoreError::Forbidden(
                "only the command line may reset passwords".into(),
            ));
        }
        let email = email.trim().to_lowercase();
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&self.pool)
            .await?;
        let Some(id) = exists else {
            return self
                .create_user(viewer, &email, org_id, role, password)
                .await
                .map(|_| ());
        };
        let hash = hash_password(password)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1, role = $2, org_id = $3, disabled = 0 WHERE id = $4")
            .bind(hash)
            .bind(role.as_str())
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            viewer,
            "user.reset_password",
            "user",
            id,
            json!({"email": email}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Users of an organisation: its admins and the registry see them.
    pub async fn list_users(
        &self,
        viewer: &Viewer,
        org_id: i64,
        page: PageRequest,
    ) -> Result<Page<User>, StoreError> {
        self.require_org_admin(viewer, org_id).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE org_id = $1")
            .bind(org_id)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<UserRow> = sqlx::query_as(sql!(
            "SELECT {USER_COLS} FROM users WHERE org_id = $1 ORDER BY id LIMIT $2 OFFSET $3"
        ))
        .bind(org_id)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(user_from).collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// The user behind a viewer, if a person is acting.
    pub async fn current_user(&self, viewer: &Viewer) -> Result<Option<User>, StoreError> {
        let Some(id) = viewer.user_id() else {
            return Ok(None);
        };
        let row: Option<UserRow> =
            sqlx::query_as(sql!("SELECT {USER_COLS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(user_from).transpose()
    }

    /// Checks a password and opens a session. A wrong e-mail and a wrong password give
    /// the same error, and both cost one Argon2 verification.
    pub async fn login(&self, email: &str, password: &str) -> Result<IssuedToken, StoreError> {
        let row: Option<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, org_id, role, password_hash, disabled FROM users WHERE email = $1",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        // Verifying against a real hash keeps the timing of unknown e-mails like that
        // of known ones.
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy =
            DUMMY.get_or_init(|| hash_password("timing-equaliser-only").unwrap_or_default());
        let (stored, ok_row) = match &row {
            Some(r) => (r.3.as_str(), r.4 == 0),
            None => (dummy.as_str(), false),
        };
        let verified = verify_password(password, stored);
        let Some((user_id, org_id, role, _, _)) = row.filter(|_| verified && ok_row) else {
            return Err(StoreError::Unauthenticated);
        };
        let scopes = Scope::of_role(Role::parse(&role)?);
        self.issue_token(
            "session",
            org_id,
            Some(user_id),
            None,
            &scopes,
            SESSION_TTL_MS,
        )
        .await
    }

    async fn issue_token(
        &self,
        kind: &str,
        org_id: i64,
        user_id: Option<i64>,
        client_row_id: Option<i64>,
        scopes: &[Scope],
        ttl_ms: i64,
    ) -> Result<IssuedToken, StoreError> {
        let prefix = if kind == "session" { "zs_" } else { "za_" };
        let token = format!("{prefix}{}", random_hex(32)?);
        let now = now_ms();
        let expires_at = now + ttl_ms;
        sqlx::query(
            "INSERT INTO tokens (token_hash, kind, org_id, user_id, client_id, scopes, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(sha256_hex(&token))
        .bind(kind)
        .bind(org_id)
        .bind(user_id)
        .bind(client_row_id)
        .bind(Scope::join(scopes))
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(IssuedToken {
            token,
            expires_at,
            scopes: scopes.to_vec(),
        })
    }

    /// The viewer a bearer token stands for. Unknown, expired and revoked tokens all
    /// fail with [`StoreError::Unauthenticated`]; an expired one says so.
    pub async fn authenticate(&self, token: &str) -> Result<Viewer, StoreError> {
        let row: Option<TokenRow> =
            sqlx::query_as(
                "SELECT t.org_id, t.user_id, t.scopes, t.expires_at, t.revoked_at, o.kind,
                        COALESCE((SELECT disabled FROM users u WHERE u.id = t.user_id), 0)
                          + COALESCE((SELECT CASE WHEN c.revoked_at IS NULL THEN 0 ELSE 1 END FROM api_clients c WHERE c.id = t.client_id), 0)
                 FROM tokens t JOIN organisations o ON o.id = t.org_id WHERE t.token_hash = $1",
            )
            .bind(sha256_hex(token))
            .fetch_optional(&self.pool)
            .await?;
        let Some((org_id, user_id, scopes, expires_at, revoked_at, kind, disabled)) = row else {
            return Err(StoreError::Unauthenticated);
        };
        if revoked_at.is_some() || disabled != 0 {
            return Err(StoreError::Unauthenticated);
        }
        if expires_at <= now_ms() {
            return Err(StoreError::Stale("the token has expired".into()));
        }
        Ok(Viewer::Member {
            org_id,
            org_kind: OrgKind::parse(&kind)?,
            user_id,
            scopes: Scope::split(&scopes),
        })
    }

    /// Ends a session or revokes an access token (only the bearer can name it).
    pub async fn revoke_token(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(sha256_hex(token))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Creates an API client for a program; its secret is returned once.
    pub async fn create_api_client(
        &self,
        viewer: &Viewer,
        org_id: i64,
        name: &str,
        scopes: &[Scope],
        pact: bool,
    ) -> Result<IssuedClient, StoreError> {
        self.require_org_admin(viewer, org_id).await?;
        if scopes.is_empty() {
            return Err(StoreError::invalid("scope", "give at least one scope"));
        }
        let client_id = format!("zc_{}", random_hex(12)?);
        let secret = random_hex(32)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_clients (client_id, org_id, name, secret_hash, scopes, pact, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&client_id)
        .bind(org_id)
        .bind(name)
        .bind(sha256_hex(&secret))
        .bind(Scope::join(scopes))
        .bind(pact as i64)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            viewer,
            "api_client.create",
            "api_client",
            &client_id,
            json!({"org_id": org_id, "scopes": scopes, "pact": pact}),
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedClient {
            client: ApiClient {
                id,
                client_id,
                org_id,
                name: name.to_string(),
                scopes: scopes.to_vec(),
                pact,
                created_at: now,
                revoked_at: None,
            },
            secret,
        })
    }

    /// The API clients of an organisation (never their secrets).
    pub async fn list_api_clients(
        &self,
        viewer: &Viewer,
        org_id: i64,
    ) -> Result<Vec<ApiClient>, StoreError> {
        self.require_org_admin(viewer, org_id).await?;
        let rows: Vec<ClientRow> = sqlx::query_as(sql!(
            "SELECT {CLIENT_COLS} FROM api_clients WHERE org_id = $1 ORDER BY id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(client_from).collect())
    }

    /// Revokes an API client and every token it holds.
    pub async fn revoke_api_client(
        &self,
        viewer: &Viewer,
        org_id: i64,
        client_id: &str,
    ) -> Result<(), StoreError> {
        let row: Option<ClientRow> = sqlx::query_as(sql!(
            "SELECT {CLIENT_COLS} FROM api_clients WHERE client_id = $1 AND org_id = $2"
        ))
        .bind(client_id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        let client =
            client_from(row.ok_or_else(|| StoreError::not_found("API client", client_id))?);
        self.require_org_admin(viewer, client.org_id).await?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE api_clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(client.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(client.id)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            viewer,
            "api_client.revoke",
            "api_client",
            client_id,
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// OAuth2 client credentials: an access token for a client's id and secret, with
    /// the client's scopes (or the requested subset of them).
    pub async fn client_credentials(
        &self,
        client_id: &str,
        secret: &str,
        requested: Option<&[Scope]>,
    ) -> Result<IssuedToken, StoreError> {
        let row: Option<(i64, i64, String, String, Option<i64>)> = sqlx::query_as(
            "SELECT id, org_id, secret_hash, scopes, revoked_at FROM api_clients WHERE client_id = $1",
        )
        .bind(client_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, org_id, hash, scopes, revoked)) = row else {
            return Err(StoreError::Unauthenticated);
        };
        if revoked.is_some() || !constant_time_eq(hash.as_bytes(), sha256_hex(secret).as_bytes()) {
            return Err(StoreError::Unauthenticated);
        }
        let granted = Scope::split(&scopes);
        let scopes = match requested {
            Some(req) => {
                if let Some(extra) = req.iter().find(|s| !granted.contains(s)) {
                    return Err(StoreError::Forbidden(format!(
                        "the client does not hold the scope '{}'",
                        extra.as_str()
                    )));
                }
                req.to_vec()
            }
            None => granted,
        };
        self.issue_token(
            "access",
            org_id,
            None,
            Some(id),
            &scopes,
            ACCESS_TOKEN_TTL_MS,
        )
        .await
    }

    async fn require_org_admin(&self, viewer: &Viewer, org_id: i64) -> Result<(), StoreError> {
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
        self.org_by_id(org_id).await.map(|_| ())
    }
}

/// A random password of 20 characters from an unambiguous alphabet (for demo accounts).
pub fn random_password() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 20];
    getrandom::fill(&mut buf)
        .map_err(|e| StoreError::invalid("random", format!("no system randomness: {e}")))?;
    Ok(buf
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
