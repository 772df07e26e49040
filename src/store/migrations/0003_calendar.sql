-- The legal working calendar: the announcements an admin records for a year
-- (its days off on weekdays and its rest days worked, each with its source),
-- and the working hours in force from a date. A year without a recorded
-- announcement follows the announcement shipped with Reform, or else the
-- Labour Code's default proposal. calendar_version moves with every change,
-- for the working-time tables built from these rows.

ALTER TABLE provinces ADD COLUMN calendar_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE calendar_years (
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    year INTEGER NOT NULL,
    source TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (province_id, year)
);

CREATE TABLE calendar_days (
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    day TEXT NOT NULL,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (province_id, day)
);
CREATE INDEX calendar_days_year ON calendar_days (province_id, year);

CREATE TABLE working_hours (
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    valid_from TEXT NOT NULL,
    periods TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (province_id, valid_from)
);
