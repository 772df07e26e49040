-- Failed attempts counted in the database, so that every process sharing it
-- counts the same failures and no other key can push a counter out: kind
-- 'account' (sign-ins and password changes per user name), 'address'
-- (sign-ins per client address) and 'lookup' (public dossier lookups that
-- missed, per client address). A counter's window starts at its first
-- failure; counters whose window ended are removed as new failures come.
CREATE TABLE attempts (
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (province_id, kind, key)
);
CREATE INDEX attempts_window ON attempts (window_start);

-- What a change was made through: "session N" (a browser session) or "token N"
-- (a bearer token, which an admin may have issued for someone else); NULL for the
-- system and for records written before it was kept.
ALTER TABLE audit ADD COLUMN via TEXT;

-- The identifier of the key that MACs the audit chain (a hash of the key,
-- never the key): a process holding another key refuses to write. Empty for
-- a chain written before the chain was keyed.
ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
