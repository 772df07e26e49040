-- PostgreSQL only, as 0009: a new task's foreign keys (its province, document and lead unit)
-- were checked by a trigger each, locking the rows they point to, which are never deleted.
-- rf_store_task_insert checks in its own statement that the document and the lead unit are the
-- province's, and rf_store_task_update that the lead unit is. SQLite keeps its keys.
ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_province_id_fkey;
ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_document_id_fkey;
ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_lead_unit_id_fkey;
