-- The registry desk's statistics and database overview (issue 7): facts read once from
-- immutable stored records, kept so the desk never parses every model again.
--
-- model_version_facts     per model version: `product.geography` and
--                         `product.reference_period` of its model JSON ('' when the
--                         model does not state them). Model versions are never edited,
--                         so a row, once written, stays true.
-- database_version_facts  per background database version: `source`, `licence` and
--                         `description` of the `database.toml` inside its stored package
--                         ('' when absent). Versions are never edited either.
--
-- Both are filled by the store when the registry desk first needs them; no foreign keys,
-- so they never stand in the way of the records they describe.
CREATE TABLE model_version_facts (
    model_version_id BIGINT PRIMARY KEY,
    geography TEXT NOT NULL,
    reference_period TEXT NOT NULL
);
CREATE TABLE database_version_facts (
    database_version_id BIGINT PRIMARY KEY,
    source TEXT NOT NULL,
    licence TEXT NOT NULL,
    description TEXT NOT NULL
);
