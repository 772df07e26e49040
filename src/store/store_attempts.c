/*
 * Counters of failed attempts (sign-ins, password changes, public lookups),
 * kept in the database so that several server processes count together
 * and a counter lives until its window ends, whatever other keys arrive.
 */
#include "store_int.h"

#include <string.h>

int rf_store_attempts_get(struct rf_store *s, int64_t province_id, const char *kind,
                          const char *key, struct rf_attempts *out)
{
    struct rf_rows *r;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = rf_sq_query(s,
                     "SELECT window_start, failures FROM attempts"
                     " WHERE province_id = ? AND kind = ? AND key = ?",
                     PARAMS(P_INT(province_id), P_TEXT(kind), P_TEXT(key)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        out->window_start = s->be->col_int(r, 0);
        out->failures = (int)s->be->col_int(r, 1);
        rc = RF_OK;
    }
    s->be->done(r);
    return rc < 0 ? rc : RF_OK;
}

int rf_store_attempts_fail(struct rf_store *s, int64_t province_id, const char *kind,
                           const char *key, int64_t now, int64_t window)
{
    int rc;

    rc = rf_sq_run(s, "DELETE FROM attempts WHERE province_id = ? AND window_start <= ?",
                   PARAMS(P_INT(province_id), P_INT(now - window)));
    if (rc != RF_OK)
        return rc;
    /* one statement, so that two processes counting at once both count */
    return rf_sq_run(s,
                     "INSERT INTO attempts (province_id, kind, key, window_start, failures)"
                     " VALUES (?, ?, ?, ?, 1)"
                     " ON CONFLICT (province_id, kind, key) DO UPDATE SET"
                     " failures = CASE WHEN attempts.window_start <= ? THEN 1"
                     "  ELSE attempts.failures + 1 END,"
                     " window_start = CASE WHEN attempts.window_start <= ? THEN ?"
                     "  ELSE attempts.window_start END",
                     PARAMS(P_INT(province_id), P_TEXT(kind), P_TEXT(key), P_INT(now),
                            P_INT(now - window), P_INT(now - window), P_INT(now)));
}

int rf_store_attempts_clear(struct rf_store *s, int64_t province_id, const char *kind,
                            const char *key)
{
    return rf_sq_run(s, "DELETE FROM attempts WHERE province_id = ? AND kind = ? AND key = ?",
                     PARAMS(P_INT(province_id), P_TEXT(kind), P_TEXT(key)));
}
