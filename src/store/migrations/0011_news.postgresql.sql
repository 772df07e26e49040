-- PostgreSQL only (the runner records it on SQLite without running it, where one process
-- serves the database). News of changes for the copies each `reform serve` process keeps in
-- memory (docs/architecture.md, "What a process keeps in memory"): as a transaction commits,
-- every process listening on channel reform_news gets one line per row it changed that a
-- copy may hold (rf_store_listen). The triggers send it, so that nothing that writes, the
-- command line or psql included, can change such a row unannounced.

-- One function sends every line: its first argument, then the row's columns named by the others
-- (the row as it was, or as it is when new); a statement's trigger sends the first alone.
CREATE FUNCTION reform_news() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    line text := TG_ARGV[0];
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        IF TG_OP = 'INSERT' THEN r := to_jsonb(NEW); ELSE r := to_jsonb(OLD); END IF;
        FOR i IN 1 .. TG_NARGS - 1 LOOP
            line := line || ' ' || (r ->> TG_ARGV[i]);
        END LOOP;
    END IF;
    PERFORM pg_notify('reform_news', line);
    RETURN NULL;
END $$;

-- "session ID": a session ended, used (its last use written, once a minute at most) or gone
CREATE TRIGGER sessions_news AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION reform_news('session', 'id');
-- "user ID": roles, unit, name, a disabled account, a password
CREATE TRIGGER users_news AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION reform_news('user', 'id');
-- "province ID": its counters moved (units, the calendar, procedures)
CREATE TRIGGER provinces_news AFTER UPDATE OR DELETE ON provinces
    FOR EACH ROW EXECUTE FUNCTION reform_news('province', 'id');
-- "dossier CODE": a dossier moved, changed or went (a new one changes no copy)
CREATE TRIGGER dossiers_news AFTER UPDATE OR DELETE ON dossiers
    FOR EACH ROW EXECUTE FUNCTION reform_news('dossier', 'code');
-- "attempt KIND KEY": a counter of failed attempts began, moved or went
CREATE TRIGGER attempts_news AFTER INSERT OR UPDATE OR DELETE ON attempts
    FOR EACH ROW EXECUTE FUNCTION reform_news('attempt', 'kind', 'key');
-- "all": a table emptied whole (a restore)
CREATE TRIGGER sessions_news_all AFTER TRUNCATE ON sessions EXECUTE FUNCTION reform_news('all');
CREATE TRIGGER users_news_all AFTER TRUNCATE ON users EXECUTE FUNCTION reform_news('all');
CREATE TRIGGER provinces_news_all AFTER TRUNCATE ON provinces EXECUTE FUNCTION reform_news('all');
CREATE TRIGGER dossiers_news_all AFTER TRUNCATE ON dossiers EXECUTE FUNCTION reform_news('all');
CREATE TRIGGER attempts_news_all AFTER TRUNCATE ON attempts EXECUTE FUNCTION reform_news('all');
