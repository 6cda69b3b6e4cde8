-- Carbon labels and certificate signatures (issue 6).
--
-- certificates.signed_json  the certificate as issued (id, holder, body, scope, dates),
--                           signed canonical JSON by the certification body's key.
-- labels                    issued carbon labels: the registry-signed label statement,
--                           its log index, and indexed columns for the open-data queries
--                           (PCR, grade rank, value, GTIN); the certificate's status is
--                           read from `certificates`, never copied here.
ALTER TABLE certificates ADD COLUMN signed_json TEXT;
INSERT INTO trust_counters (name, value) VALUES ('label', 0);
CREATE TABLE labels (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    certificate_id TEXT NOT NULL REFERENCES certificates(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    gtin TEXT,
    pcr_id TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    grade TEXT,
    grade_rank BIGINT,
    valid_from BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    log_index BIGINT NOT NULL,
    issued_by_org BIGINT,
    signed_json TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX labels_certificate ON labels(certificate_id, seq);
CREATE INDEX labels_pcr ON labels(pcr_id, value);
CREATE INDEX labels_gtin ON labels(gtin, seq);
