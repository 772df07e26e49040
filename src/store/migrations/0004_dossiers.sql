-- One-stop dossiers: the catalogue of procedures, versioned by the day each
-- version takes effect, with their internal process; the dossiers received
-- at the desks, each with the version in force on its day of receipt, its
-- timeline and its pauses; a daily sequence per desk for the codes; and the
-- service center's counters, kept in the same transaction as every change so
-- that a report over millions of dossiers reads a few thousand rows.

CREATE TABLE procedures (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    code TEXT NOT NULL,
    version_from TEXT NOT NULL,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    field TEXT NOT NULL,
    level TEXT NOT NULL,
    days INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    fee BIGINT NOT NULL,
    online TEXT NOT NULL,
    papers TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (province_id, code, version_from)
);

CREATE TABLE procedure_steps (
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit_ref TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    PRIMARY KEY (procedure_id, seq)
);

CREATE TABLE dossiers (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    code TEXT NOT NULL UNIQUE,
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    desk_unit_id BIGINT NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    applicant_address TEXT NOT NULL,
    state TEXT NOT NULL,
    step INTEGER NOT NULL,
    step_unit_id BIGINT REFERENCES units(id),
    received_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    appointment_at BIGINT NOT NULL,
    result_at BIGINT,
    finished_at BIGINT,
    timeliness TEXT,
    apologies INTEGER NOT NULL,
    lookup_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dossiers_step ON dossiers (province_id, step_unit_id, state, due_at);
CREATE INDEX dossiers_state ON dossiers (province_id, state, due_at);
CREATE INDEX dossiers_desk ON dossiers (desk_unit_id, received_at);

CREATE TABLE dossier_events (
    id {{id}},
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    at BIGINT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    step INTEGER NOT NULL,
    from_unit_id BIGINT,
    to_unit_id BIGINT,
    actor_id BIGINT REFERENCES users(id),
    reason TEXT NOT NULL,
    step_due_at BIGINT,
    step_late INTEGER NOT NULL
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, id);

CREATE TABLE dossier_pauses (
    id {{id}},
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    from_at BIGINT NOT NULL,
    to_at BIGINT
);
CREATE INDEX dossier_pauses_dossier ON dossier_pauses (dossier_id, id);

CREATE TABLE dossier_sequences (
    desk_unit_id BIGINT NOT NULL REFERENCES units(id),
    day TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (desk_unit_id, day)
);

-- a metric of the dossiers received at the desks under 'unit_id' (the desk
-- itself and each unit above it on the day), in one 'span': a month
-- (YYYY-MM) or a day (YYYY-MM-DD). A period reads its whole months and the
-- days at its ends for one unit: a year is a few thousand rows whatever the
-- number of dossiers.
CREATE TABLE dossier_counts (
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    span TEXT NOT NULL,
    field TEXT NOT NULL,
    level TEXT NOT NULL,
    metric TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (province_id, unit_id, span, field, level, metric)
);
