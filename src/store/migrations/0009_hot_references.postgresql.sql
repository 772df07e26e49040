-- PostgreSQL only (the runner records it on SQLite without running it). A foreign key is checked
-- by a trigger for every row, which locks the row it points to: every receipt locked its
-- province, procedure, desk and clerk again, and the checks took a third of the writer's time
-- on the server. The rows these keys point to are never deleted (provinces, units, procedures,
-- users, dossiers), and each insert below checks, in its own statement, that what it points to
-- exists in its province (rf_store_dossier_insert, rf_store_dossier_event_add), or writes only
-- after reading it (an audit record follows its province's head), so the keys add nothing but
-- their cost. SQLite, whose checks cost no round trip and no lock, keeps them.
ALTER TABLE dossiers DROP CONSTRAINT IF EXISTS dossiers_province_id_fkey;
ALTER TABLE dossiers DROP CONSTRAINT IF EXISTS dossiers_procedure_id_fkey;
ALTER TABLE dossiers DROP CONSTRAINT IF EXISTS dossiers_desk_unit_id_fkey;
ALTER TABLE dossiers DROP CONSTRAINT IF EXISTS dossiers_step_unit_id_fkey;
ALTER TABLE dossier_events DROP CONSTRAINT IF EXISTS dossier_events_dossier_id_fkey;
ALTER TABLE dossier_events DROP CONSTRAINT IF EXISTS dossier_events_actor_id_fkey;
ALTER TABLE audit DROP CONSTRAINT IF EXISTS audit_province_id_fkey;
