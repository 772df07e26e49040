-- PostgreSQL only, as 0011. A move of dossiers (each a row of one UPDATE, many at once from the
-- writer) sent its line by a trigger for each row, the row made into JSON to name its code;
-- now one trigger for the statement sends the codes of all its rows, a line each, up to 200
-- lines a notification (a notification holds 8,000 bytes), which rf_store_news splits.
DROP TRIGGER dossiers_news ON dossiers;

CREATE FUNCTION reform_news_dossiers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lines text;
BEGIN
    FOR lines IN
        SELECT string_agg('dossier ' || code, E'\n')
        FROM (SELECT code, (row_number() OVER () - 1) / 200 AS part FROM old_rows) o
        GROUP BY part
    LOOP
        PERFORM pg_notify('reform_news', lines);
    END LOOP;
    RETURN NULL;
END $$;

-- "dossier CODE": a dossier moved, changed or went (a new one changes no copy)
CREATE TRIGGER dossiers_news_changed AFTER UPDATE ON dossiers REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reform_news_dossiers();
CREATE TRIGGER dossiers_news_gone AFTER DELETE ON dossiers REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reform_news_dossiers();
