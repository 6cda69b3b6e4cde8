-- PACT exchange (issue 5). Host side: footprints an organisation publishes to its PACT
-- partners, who may see which, and the requests partners sent. Client side: the
-- partners an organisation pulls from, and the supplier footprints it fetched.

-- A relationship with one PACT partner, both directions: the credentials the partner
-- issued to us (to fetch from it and to call back its events endpoint) and the API
-- client we issued to it (to recognise its requests and events).
CREATE TABLE pact_partners (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    base_url TEXT NOT NULL,
    remote_client_id TEXT,
    remote_client_secret TEXT,
    inbound_api_client_id BIGINT REFERENCES api_clients(id),
    spec_version TEXT NOT NULL CHECK (spec_version IN ('3', '2')),
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE pact_footprints (
    id BIGSERIAL PRIMARY KEY,
    pf_id TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    footprint_id BIGINT NOT NULL REFERENCES footprints(id),
    status TEXT NOT NULL CHECK (status IN ('Active', 'Deprecated')),
    status_comment TEXT,
    shared_with_all BIGINT NOT NULL DEFAULT 0,
    v3_json TEXT NOT NULL,
    v2_json TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX pact_footprints_org ON pact_footprints(org_id, id);
CREATE INDEX pact_footprints_product ON pact_footprints(product_id, id);
CREATE TABLE pact_shares (
    pact_footprint_id BIGINT NOT NULL REFERENCES pact_footprints(id),
    api_client_id BIGINT NOT NULL REFERENCES api_clients(id),
    PRIMARY KEY (pact_footprint_id, api_client_id)
);
CREATE TABLE pact_requests (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    api_client_id BIGINT NOT NULL REFERENCES api_clients(id),
    event_id TEXT NOT NULL,
    source TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    criteria_json TEXT NOT NULL,
    comment TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'fulfilled', 'rejected')),
    answer_json TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (api_client_id, event_id)
);
CREATE INDEX pact_requests_org ON pact_requests(org_id, id);
-- Requests we sent to partners (client side), answered by their fulfilled/rejected events.
CREATE TABLE pact_outbound_requests (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES pact_partners(id),
    event_id TEXT NOT NULL UNIQUE,
    criteria_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'fulfilled', 'rejected')),
    answer_json TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE supplier_footprints (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    partner_id BIGINT NOT NULL REFERENCES pact_partners(id),
    pf_id TEXT NOT NULL,
    status TEXT NOT NULL,
    product_ids TEXT NOT NULL,
    json TEXT NOT NULL,
    -- The footprint this one replaces (from precedingPfIds), when known.
    replaces_pf_id TEXT,
    fetched_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, partner_id, pf_id)
);
