-- What a process keeps in memory of a province (its tree, its calendar, which version of each
-- procedure is in force) is kept while the province's counter for it stands, and every change
-- moves the counter in the same transaction. Procedures get theirs: a receipt then finds the
-- procedure in force from memory, and the three counters come with the session's own read.
ALTER TABLE provinces ADD COLUMN procedures_version BIGINT NOT NULL DEFAULT 0;
