-- The organisation that asked for a job, besides the one it belongs to: a certification
-- body recomputing an enterprise's footprint follows its own job.
ALTER TABLE jobs ADD COLUMN requested_by_org BIGINT REFERENCES organisations(id);
CREATE INDEX jobs_requester ON jobs(requested_by_org, id);
