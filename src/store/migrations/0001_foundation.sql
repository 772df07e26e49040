-- Foundation: provinces (the tenant key), the unit tree over time, users,
-- sessions and tokens, and the audit chain. "{{id}}" is the backend's
-- auto-numbered primary key. Instants are seconds since the epoch (UTC);
-- dates are 'YYYY-MM-DD' text, which sorts as dates; a NULL valid_to means
-- "still in force".

CREATE TABLE provinces (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    units_version BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE units (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    kind TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    successor_id BIGINT REFERENCES units(id),
    generated INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (province_id, code),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- A unit's place in the tree over time: periods never overlap for one unit.
CREATE TABLE unit_links (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    parent_id BIGINT NOT NULL REFERENCES units(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    UNIQUE (unit_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (unit_id <> parent_id)
);
CREATE INDEX unit_links_parent ON unit_links (parent_id, valid_from);

CREATE TABLE users (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    full_name_fold TEXT NOT NULL,
    roles INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

-- Browser sessions (kind 1) and integration bearer tokens (kind 2). Only a
-- hash of the secret is stored.
CREATE TABLE sessions (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind INTEGER NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    csrf TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT,
    ended_at BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit chain of each province: seq counts 1, 2, 3... without gaps and
-- each hash covers the record and the hash before it.
CREATE TABLE audit (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_id BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (province_id, seq)
);
CREATE INDEX audit_entity ON audit (province_id, entity, entity_id);

-- The head of each chain; updating it serialises writers of one province.
CREATE TABLE audit_head (
    province_id BIGINT PRIMARY KEY REFERENCES provinces(id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
