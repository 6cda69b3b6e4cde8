-- Trust layer (issue 6): product category rules, the adopted-standards list,
-- certification, signing keys, the transparency log and benchmarks.
--
-- Times in columns are Unix milliseconds like every other table; the trust crate's own
-- records (application, certificate, log entry, tree head, published key) count Unix
-- seconds, and the store converts at its boundary (seconds * 1000 in, / 1000 out, exact
-- because every such time starts as whole seconds).
--
-- pcrs                 product category rules: id + version, status, category, the TOML
--                      they were loaded from and the parsed rule as JSON (public).
-- adopted_standards    every published version of the registry's adopted-standards list.
-- trust_counters       counters minting application (APP-000001) and certificate
--                      (CERT-000001) ids inside the writing transaction.
-- cert_applications    applications for certification: the trust crate's Application as
--                      JSON plus indexed columns; `revision` guards concurrent writes.
-- certificates         issued certificates: the trust crate's Certificate as JSON plus
--                      indexed columns (status as recorded; expiry applies on reading).
-- signing_keys         Ed25519 keys per organisation: the secret encrypted with a
--                      passphrase the caller holds, and the published public key with its
--                      validity; at most one active key per organisation.
-- log_state            one row: the size of the transparency log. Every append updates it
--                      first, which serialises appends (a row lock on PostgreSQL).
-- log_entries          the append-only log: position, kind, subject, time, body JSON and
--                      the RFC 9162 leaf hash (hex) of the entry's canonical JSON.
-- tree_heads           signed tree heads published by the registry.
-- benchmarks           published benchmark versions per PCR and period, with the index of
--                      their `benchmark_published` log entry.
CREATE TABLE pcrs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pcr_id TEXT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    source_toml TEXT NOT NULL,
    pcr_json TEXT NOT NULL,
    loaded_at BIGINT NOT NULL,
    UNIQUE (pcr_id, version)
);
CREATE INDEX pcrs_category ON pcrs(category, seq);
CREATE TABLE adopted_standards (
    version BIGINT PRIMARY KEY,
    published TEXT NOT NULL,
    list_json TEXT NOT NULL,
    published_by_org BIGINT REFERENCES organisations(id),
    created_at BIGINT NOT NULL
);
CREATE TABLE trust_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO trust_counters (name, value) VALUES ('application', 0), ('certificate', 0);
CREATE TABLE cert_applications (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    product_id BIGINT NOT NULL REFERENCES products(id),
    model_version_id BIGINT NOT NULL REFERENCES model_versions(id),
    enterprise_org_id BIGINT NOT NULL REFERENCES organisations(id),
    body_org_id BIGINT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    revision BIGINT NOT NULL,
    application_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cert_applications_enterprise ON cert_applications(enterprise_org_id, seq);
CREATE INDEX cert_applications_body ON cert_applications(body_org_id, seq);
CREATE INDEX cert_applications_product ON cert_applications(product_id, seq);
CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    application_id TEXT NOT NULL REFERENCES cert_applications(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    model_version_id BIGINT NOT NULL REFERENCES model_versions(id),
    enterprise_org_id BIGINT NOT NULL REFERENCES organisations(id),
    body_org_id BIGINT NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    certificate_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX certificates_product ON certificates(product_id, seq);
CREATE INDEX certificates_enterprise ON certificates(enterprise_org_id, seq);
CREATE INDEX certificates_body ON certificates(body_org_id, seq);
CREATE TABLE signing_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_id TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    owner TEXT NOT NULL,
    public_key TEXT NOT NULL,
    encrypted_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
    valid_from BIGINT NOT NULL,
    valid_until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(org_id) WHERE status = 'active';
CREATE INDEX signing_keys_owner ON signing_keys(owner, id);
CREATE TABLE log_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO log_state (id, size) VALUES (1, 0);
CREATE TABLE log_entries (
    idx BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    logged_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    leaf_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX log_entries_subject ON log_entries(subject, idx);
CREATE TABLE tree_heads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tree_size BIGINT NOT NULL,
    signed_at BIGINT NOT NULL,
    root_hash TEXT NOT NULL,
    key_id TEXT NOT NULL REFERENCES signing_keys(key_id),
    signature TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX tree_heads_size ON tree_heads(tree_size, id);
CREATE TABLE benchmarks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pcr_id TEXT NOT NULL,
    pcr_version TEXT NOT NULL,
    period TEXT NOT NULL,
    version BIGINT NOT NULL,
    benchmark_json TEXT NOT NULL,
    log_index BIGINT NOT NULL REFERENCES log_entries(idx),
    published_by_org BIGINT REFERENCES organisations(id),
    created_at BIGINT NOT NULL,
    UNIQUE (pcr_id, period, version)
);
