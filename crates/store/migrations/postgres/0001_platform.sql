-- Zuji platform schema (PostgreSQL). Times are Unix milliseconds; JSON is stored as text.
CREATE TABLE organisations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'certifier', 'registry')),
    created_at BIGINT NOT NULL
);
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE api_clients (
    id BIGSERIAL PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    pact BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('session', 'access')),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT REFERENCES users(id),
    client_id BIGINT REFERENCES api_clients(id),
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE TABLE products (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    gtin TEXT,
    disclosed BIGINT NOT NULL DEFAULT 0,
    latest_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX products_org ON products(org_id, id);
CREATE INDEX products_disclosed ON products(disclosed, id);
CREATE TABLE model_versions (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products(id),
    version BIGINT NOT NULL,
    model_json TEXT NOT NULL,
    source_format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (product_id, version)
);
CREATE TABLE grants (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products(id),
    grantee_org_id BIGINT NOT NULL REFERENCES organisations(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('certification', 'pact')),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX grants_grantee ON grants(grantee_org_id, product_id);
CREATE TABLE databases (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE database_versions (
    id BIGSERIAL PRIMARY KEY,
    database_id BIGINT NOT NULL REFERENCES databases(id),
    db_key TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    activities BIGINT NOT NULL,
    flows BIGINT NOT NULL,
    methods BIGINT NOT NULL,
    source_format TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    imported_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (database_id, version)
);
CREATE TABLE activities (
    database_version_id BIGINT NOT NULL REFERENCES database_versions(id),
    position BIGINT NOT NULL,
    activity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    reference_product TEXT NOT NULL,
    geography TEXT NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (database_version_id, position)
);
CREATE INDEX activities_id ON activities(database_version_id, activity_id);
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    org_id BIGINT REFERENCES organisations(id),
    payload TEXT NOT NULL,
    -- An uploaded file the job reads (an import package), kept with the job so any
    -- worker on any machine can run it.
    input BYTEA,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 3,
    progress DOUBLE PRECISION NOT NULL DEFAULT 0,
    locked_by TEXT,
    locked_until BIGINT,
    run_after BIGINT NOT NULL,
    last_error TEXT,
    result TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_claim ON jobs(status, run_after, id);
CREATE TABLE footprints (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products(id),
    model_version_id BIGINT NOT NULL REFERENCES model_versions(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    job_id BIGINT REFERENCES jobs(id),
    method TEXT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    fingerprint TEXT NOT NULL,
    result_json TEXT NOT NULL,
    options_json TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX footprints_product ON footprints(product_id, id);
CREATE UNIQUE INDEX footprints_job ON footprints(job_id);
CREATE TABLE footprint_databases (
    footprint_id BIGINT NOT NULL REFERENCES footprints(id),
    database_version_id BIGINT NOT NULL REFERENCES database_versions(id),
    PRIMARY KEY (footprint_id, database_version_id)
);
CREATE INDEX footprint_databases_version ON footprint_databases(database_version_id);
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_org_id BIGINT,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_org ON audit_log(actor_org_id, id);
