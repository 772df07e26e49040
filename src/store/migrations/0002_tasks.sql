-- Reform tasks: source documents (Government resolutions, provincial plans,
-- conference conclusions) give tasks with a lead unit, coordinating units,
-- a field and a deadline; units file progress reports. The deadline history
-- is kept: lateness is judged against the deadline in force when a task was
-- completed. Figures are computed from these rows, never stored.

CREATE TABLE documents (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    number TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    assigning_body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (province_id, number)
);

CREATE TABLE tasks (
    id {{id}},
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    ref TEXT,
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    assigning_body TEXT NOT NULL,
    lead_unit_id BIGINT NOT NULL REFERENCES units(id),
    field TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    deadline TEXT,
    completed_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (province_id, ref),
    CHECK (completed_on IS NULL OR completed_on >= assigned_on)
);
CREATE INDEX tasks_lead ON tasks (province_id, lead_unit_id, id);
CREATE INDEX tasks_document ON tasks (document_id);
CREATE INDEX tasks_assigned ON tasks (province_id, assigned_on);

-- Coordinating units of a task.
CREATE TABLE task_units (
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units (unit_id);

-- The deadline given at assignment and each extension by the assigner.
CREATE TABLE task_deadlines (
    id {{id}},
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    set_on TEXT NOT NULL,
    deadline TEXT,
    reason TEXT NOT NULL DEFAULT '',
    set_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX task_deadlines_task ON task_deadlines (task_id, set_on);

-- Progress reports of the lead unit and contributions of coordinating units.
CREATE TABLE task_reports (
    id {{id}},
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    reported_on TEXT NOT NULL,
    percent INTEGER NOT NULL,
    note TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (percent >= 0 AND percent <= 100)
);
CREATE INDEX task_reports_task ON task_reports (task_id, reported_on);
