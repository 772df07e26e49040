/*
 * The storage interface written once for both backends: connection set-up,
 * migrations, transactions, and the SQL of every entity. Statements are
 * string constants with '?' placeholders; input never enters SQL text.
 * Unit writes bump the province's units_version so that caches of the tree
 * know when to drop.
 */
#include "store_int.h"
#include "../common/buf.h"
#include "../common/log.h"
#include "../common/mem.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- plumbing ---- */

static _Atomic int faults_countdown = -1;

void rf_store_faults_after(int n)
{
    faults_countdown = n;
}

/* Every statement goes through here, so that tests can make the Nth one fail. */
int rf_sq_query(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                struct rf_rows **out)
{
    if (faults_countdown >= 0 && faults_countdown-- == 0) {
        faults_countdown = 0;
        snprintf(s->errmsg, sizeof(s->errmsg), "injected fault");
        return RF_ESTORE;
    }
    return s->be->query(s, sql, p, n, out);
}

/* Run a statement that returns no rows we need. */
int rf_sq_run(struct rf_store *s, const char *sql, const struct rf_param *p, int n)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, p, n, &r);

    if (rc != RF_OK)
        return rc;
    while ((rc = s->be->step(r)) == 1)
        ;
    s->be->done(r);
    return rc;
}

/* The first column of the first row as an integer; RF_ENOTFOUND without rows. */
int rf_sq_one_int(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                  int64_t *out)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, p, n, &r);

    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        *out = s->be->col_int(r, 0);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

void rf_sq_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

int rf_store_open(const char *url, struct rf_store **out, struct rf_error *err)
{
    struct rf_store *s;
    int rc;

    if (!url || !*url)
        return rf_error_set(err, RF_EINVAL, "db", "required", "a database url is required");
    s = rf_xcalloc(1, sizeof(*s));
    if (strncmp(url, "sqlite:", 7) == 0 && url[7]) {
        rc = rf_sqlite_open(s, url + 7, err);
    } else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        rc = rf_pg_open(s, url, err);
    } else {
        rc = rf_error_set(err, RF_EINVAL, "db", "scheme",
                          "unknown database url '%s': use sqlite:PATH or postgresql://...", url);
    }
    if (rc != RF_OK) {
        free(s);
        return rc;
    }
    *out = s;
    return RF_OK;
}

void rf_store_close(struct rf_store **sp)
{
    struct rf_store *s;

    if (!sp || !*sp)
        return;
    s = *sp;
    rf_store_rollback(s);
    s->be->close(s);
    free(s);
    *sp = NULL;
}

const char *rf_store_backend(const struct rf_store *s)
{
    return s->be->name;
}

int rf_store_begin(struct rf_store *s)
{
    int rc = s->be->begin(s);

    if (rc == RF_OK)
        s->in_tx = 1;
    return rc;
}

int rf_store_commit(struct rf_store *s)
{
    int rc = s->be->exec_script(s, "COMMIT");

    if (rc != RF_OK)
        rf_store_rollback(s);
    s->in_tx = 0;
    return rc;
}

int rf_store_flush_later(struct rf_store *s)
{
    return s->be->flush_later ? s->be->flush_later(s) : RF_EINVAL;
}

int rf_store_flush(struct rf_store *s)
{
    return s->be->flush ? s->be->flush(s) : RF_EINVAL;
}

void rf_store_rollback(struct rf_store *s)
{
    if (!s->in_tx)
        return;
    if (s->be->exec_script(s, "ROLLBACK") != RF_OK)
        rf_log_error("rollback failed: %s", s->errmsg);
    s->in_tx = 0;
}

enum { SP_OPEN, SP_RELEASE, SP_UNDO };

/*
 * Savepoint names are identifiers of our own code, never input. The writer's
 * "change", one per request, opens and is released by statements SQLite
 * prepares once; undoing takes the plain way, as the rare path it is.
 */
static int savepoint_sql(struct rf_store *s, int verb, const char *name)
{
    static const char *const verbs[] = {"SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"};
    static const char *const change[] = {"SAVEPOINT change", "RELEASE SAVEPOINT change"};
    char sql[96];

    if (verb != SP_UNDO && s->be == &rf_backend_sqlite && strcmp(name, "change") == 0)
        return rf_sq_run(s, change[verb], NULL, 0);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return RF_EINVAL;
    snprintf(sql, sizeof(sql), "%s %s", verbs[verb], name);
    return s->be->exec_script(s, sql);
}

int rf_store_savepoint(struct rf_store *s, const char *name)
{
    return savepoint_sql(s, SP_OPEN, name);
}

void rf_store_savepoint_undo(struct rf_store *s, const char *name)
{
    char sql[96];

    if (savepoint_sql(s, SP_UNDO, name) == RF_OK) {
        snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT %s", name); /* checked by the undo */
        (void)!s->be->exec_script(s, sql);
    }
}

int rf_store_savepoint_release(struct rf_store *s, const char *name)
{
    return savepoint_sql(s, SP_RELEASE, name);
}

int rf_store_backup(struct rf_store *s, const char *path, struct rf_error *err)
{
    return s->be->backup(s, path, err);
}

/* ---- migrations ---- */

int rf_store_schema_version(struct rf_store *s, int *version)
{
    int64_t v = 0;
    int rc;

    rc = s->be->exec_script(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    if (rc != RF_OK)
        return rc;
    rc = rf_sq_one_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v);
    *version = (int)v;
    return rc;
}

static char *expand(const char *sql, const char *id_column)
{
    struct rf_buf b = RF_BUF_INIT;
    const char *p = sql, *hit;

    while ((hit = strstr(p, "{{id}}")) != NULL) {
        rf_buf_add(&b, p, (size_t)(hit - p));
        rf_buf_adds(&b, id_column);
        p = hit + 6;
    }
    rf_buf_adds(&b, p);
    return rf_buf_detach(&b, NULL);
}

int rf_store_migrate(struct rf_store *s, int *applied, struct rf_error *err)
{
    int version, count = 0, rc;

    rc = rf_store_schema_version(s, &version);
    if (rc != RF_OK)
        return rf_error_set(err, rc, "db", "migrate", "cannot read the schema version: %s",
                            s->errmsg);
    for (int i = 0; i < rf_migration_count; i++) {
        const struct rf_migration *m = &rf_migrations[i];
        char *sql;
        int64_t done = 0;

        if (m->version <= version)
            continue;
        rc = rf_store_begin(s);
        if (rc != RF_OK)
            goto fail;
        /* another process may have applied it since we looked */
        rc = rf_sq_one_int(s, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                           PARAMS(P_INT(m->version)), &done);
        if (rc != RF_OK)
            goto fail;
        if (done) {
            rf_store_rollback(s);
            continue;
        }
        sql = expand(m->sql, s->be->id_column);
        rc = s->be->exec_script(s, sql);
        free(sql);
        if (rc == RF_OK)
            rc = rf_sq_run(s, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                           PARAMS(P_INT(m->version), P_TEXT(m->name)));
        if (rc == RF_OK)
            rc = rf_store_commit(s);
        if (rc != RF_OK)
            goto fail;
        rf_log_info("migration %s applied", m->name);
        count++;
        continue;
    fail:
        rf_store_rollback(s);
        return rf_error_set(err, rc, "db", "migrate", "migration %s failed: %s", m->name,
                            s->errmsg);
    }
    if (applied)
        *applied = count;
    return RF_OK;
}

/* ---- provinces ---- */

int rf_store_province_insert(struct rf_store *s, struct rf_province *p)
{
    int rc;

    rc = rf_sq_one_int(s,
                       "INSERT INTO provinces (code, name, units_version, created_at)"
                       " VALUES (?, ?, 0, 0) RETURNING id",
                       PARAMS(P_TEXT(p->code), P_TEXT(p->name)), &p->id);
    if (rc != RF_OK)
        return rc;
    return rf_sq_run(s, "INSERT INTO audit_head (province_id, seq, hash) VALUES (?, 0, ?)",
                     PARAMS(P_INT(p->id), P_TEXT(RF_AUDIT_GENESIS)));
}

int rf_store_province_get(struct rf_store *s, const char *code, struct rf_province *out)
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s,
                     "SELECT id, code, name, units_version FROM provinces"
                     " WHERE CAST(? AS TEXT) IS NULL OR code = ? ORDER BY id LIMIT 1",
                     PARAMS(P_TEXT(code), P_TEXT(code)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        out->id = s->be->col_int(r, 0);
        COPY(out->code, s->be->col_text(r, 1));
        COPY(out->name, s->be->col_text(r, 2));
        out->units_version = s->be->col_int(r, 3);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

int rf_store_units_version(struct rf_store *s, int64_t province_id, int64_t *out)
{
    return rf_sq_one_int(s, "SELECT units_version FROM provinces WHERE id = ?",
                         PARAMS(P_INT(province_id)), out);
}

static int bump_units(struct rf_store *s, int64_t province_id)
{
    return rf_sq_run(s, "UPDATE provinces SET units_version = units_version + 1 WHERE id = ?",
                     PARAMS(P_INT(province_id)));
}

/* ---- units ---- */

#define UNIT_COLS                                                                                  \
    "u.id, u.province_id, u.code, u.name, u.kind, u.valid_from, u.valid_to, u.successor_id,"       \
    " u.generated, u.created_at, u.updated_at"

/* parent, depth and children of a unit row, for queries with one date */
#define UNIT_PARENT_AT                                                                             \
    "COALESCE((SELECT l.parent_id FROM unit_links l WHERE l.unit_id = u.id AND " IN_FORCE(         \
        "l") "), 0)"
#define UNIT_CHILDREN_AT                                                                           \
    "(SELECT COUNT(*) FROM unit_links c WHERE c.parent_id = u.id AND " IN_FORCE("c") ")"

static void read_unit(struct rf_store *s, struct rf_rows *r, struct rf_unit *u)
{
    const struct rf_backend *be = s->be;

    memset(u, 0, sizeof(*u));
    u->id = be->col_int(r, 0);
    u->province_id = be->col_int(r, 1);
    COPY(u->code, be->col_text(r, 2));
    COPY(u->name, be->col_text(r, 3));
    if (rf_unit_kind_parse(be->col_text(r, 4), &u->kind) != RF_OK)
        u->kind = RF_UNIT_DEPARTMENT;
    COPY(u->valid_from, be->col_text(r, 5));
    COPY(u->valid_to, be->col_text(r, 6));
    u->successor_id = be->col_int(r, 7);
    u->generated = (int)be->col_int(r, 8);
    u->created_at = be->col_int(r, 9);
    u->updated_at = be->col_int(r, 10);
    u->parent_id = be->col_int(r, 11);
    u->depth = (int)be->col_int(r, 12);
    u->children = be->col_int(r, 13);
}

int rf_store_unit_insert(struct rf_store *s, struct rf_unit *u)
{
    char *fold = NULL;
    int rc;

    if (rf_text_fold(u->name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "INSERT INTO units (province_id, code, name, name_fold, kind, valid_from,"
                       " valid_to, successor_id, generated, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       PARAMS(P_INT(u->province_id), P_TEXT(u->code), P_TEXT(u->name), P_TEXT(fold),
                              P_TEXT(rf_unit_kind_name(u->kind)), P_TEXT(u->valid_from),
                              P_OPT_TEXT(u->valid_to), P_OPT_INT(u->successor_id),
                              P_INT(u->generated), P_INT(u->created_at), P_INT(u->updated_at)),
                       &u->id);
    free(fold);
    if (rc == RF_OK && u->parent_id)
        rc = rf_sq_run(
            s,
            "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from, valid_to)"
            " VALUES (?, ?, ?, ?, ?)",
            PARAMS(P_INT(u->province_id), P_INT(u->id), P_INT(u->parent_id), P_TEXT(u->valid_from),
                   P_OPT_TEXT(u->valid_to)));
    if (rc == RF_OK)
        rc = bump_units(s, u->province_id);
    return rc;
}

int rf_store_unit_update(struct rf_store *s, const struct rf_unit *u)
{
    char *fold = NULL;
    int64_t found = 0;
    int rc;

    if (rf_text_fold(u->name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "UPDATE units SET name = ?, name_fold = ?, kind = ?, valid_from = ?,"
                       " valid_to = ?, successor_id = ?, generated = ?, updated_at = ?"
                       " WHERE province_id = ? AND id = ? RETURNING id",
                       PARAMS(P_TEXT(u->name), P_TEXT(fold), P_TEXT(rf_unit_kind_name(u->kind)),
                              P_TEXT(u->valid_from), P_OPT_TEXT(u->valid_to),
                              P_OPT_INT(u->successor_id), P_INT(u->generated), P_INT(u->updated_at),
                              P_INT(u->province_id), P_INT(u->id)),
                       &found);
    free(fold);
    if (rc != RF_OK)
        return rc;
    /* clip the unit's periods in the tree to its validity */
    rc = rf_sq_run(s,
                   "DELETE FROM unit_links WHERE unit_id = ? AND valid_to IS NOT NULL"
                   " AND valid_to <= ?",
                   PARAMS(P_INT(u->id), P_TEXT(u->valid_from)));
    if (rc == RF_OK)
        rc = rf_sq_run(s,
                       "UPDATE unit_links SET valid_from = ? WHERE unit_id = ? AND valid_from < ?",
                       PARAMS(P_TEXT(u->valid_from), P_INT(u->id), P_TEXT(u->valid_from)));
    if (rc == RF_OK && u->valid_to[0]) {
        rc = rf_sq_run(s, "DELETE FROM unit_links WHERE unit_id = ? AND valid_from >= ?",
                       PARAMS(P_INT(u->id), P_TEXT(u->valid_to)));
        if (rc == RF_OK)
            rc = rf_sq_run(s,
                           "UPDATE unit_links SET valid_to = ? WHERE unit_id = ?"
                           " AND (valid_to IS NULL OR valid_to > ?)",
                           PARAMS(P_TEXT(u->valid_to), P_INT(u->id), P_TEXT(u->valid_to)));
    }
    if (rc == RF_OK)
        rc = bump_units(s, u->province_id);
    return rc;
}

static int unit_get(struct rf_store *s, const char *sql, const struct rf_param *key,
                    const char *date, struct rf_unit *out, int64_t province_id)
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(
        s, sql,
        PARAMS(P_TEXT(date), P_TEXT(date), P_TEXT(date), P_TEXT(date), P_INT(province_id), *key),
        &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        read_unit(s, r, out);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

int rf_store_unit_get(struct rf_store *s, int64_t province_id, int64_t id, const char *date,
                      struct rf_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS ", " UNIT_PARENT_AT ", 0, " UNIT_CHILDREN_AT
                              " FROM units u WHERE u.province_id = ? AND u.id = ?";
    struct rf_param key = P_INT(id);

    return unit_get(s, sql, &key, date, out, province_id);
}

int rf_store_unit_get_by_code(struct rf_store *s, int64_t province_id, const char *code,
                              const char *date, struct rf_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS ", " UNIT_PARENT_AT ", 0, " UNIT_CHILDREN_AT
                              " FROM units u WHERE u.province_id = ? AND u.code = ?";
    struct rf_param key = P_TEXT(code);

    return unit_get(s, sql, &key, date, out, province_id);
}

int rf_store_unit_move(struct rf_store *s, int64_t province_id, int64_t id, int64_t parent_id,
                       const char *from)
{
    struct rf_rows *r;
    int64_t link_id = 0;
    char link_from[RF_DATE_LEN] = "", link_to[RF_DATE_LEN] = "";
    int rc;

    rc = rf_sq_query(s,
                     "SELECT l.id, l.valid_from, l.valid_to FROM unit_links l"
                     " WHERE l.unit_id = ? AND " IN_FORCE("l"),
                     PARAMS(P_INT(id), P_TEXT(from), P_TEXT(from)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        link_id = s->be->col_int(r, 0);
        COPY(link_from, s->be->col_text(r, 1));
        COPY(link_to, s->be->col_text(r, 2));
        rc = RF_OK;
    }
    s->be->done(r);
    if (rc < 0)
        return rc;

    if (link_id && strcmp(link_from, from) == 0) {
        rc = rf_sq_run(s, "UPDATE unit_links SET parent_id = ? WHERE id = ?",
                       PARAMS(P_INT(parent_id), P_INT(link_id)));
    } else if (link_id) {
        rc = rf_sq_run(s, "UPDATE unit_links SET valid_to = ? WHERE id = ?",
                       PARAMS(P_TEXT(from), P_INT(link_id)));
        if (rc == RF_OK)
            rc = rf_sq_run(s,
                           "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from,"
                           " valid_to) VALUES (?, ?, ?, ?, ?)",
                           PARAMS(P_INT(province_id), P_INT(id), P_INT(parent_id), P_TEXT(from),
                                  P_OPT_TEXT(link_to)));
    } else {
        /* no parent on 'from': the new period runs to the next one or the unit's end */
        rc = rf_sq_run(
            s,
            "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from, valid_to)"
            " SELECT ?, u.id, ?, ?, COALESCE((SELECT MIN(n.valid_from) FROM unit_links n"
            "  WHERE n.unit_id = u.id AND n.valid_from > ?), u.valid_to)"
            " FROM units u WHERE u.id = ?",
            PARAMS(P_INT(province_id), P_INT(parent_id), P_TEXT(from), P_TEXT(from), P_INT(id)));
    }
    if (rc == RF_OK)
        rc = bump_units(s, province_id);
    return rc;
}

int rf_store_unit_links(struct rf_store *s, int64_t id, rf_unit_link_fn fn, void *ctx)
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s,
                     "SELECT l.parent_id, p.code, l.valid_from, l.valid_to FROM unit_links l"
                     " JOIN units p ON p.id = l.parent_id WHERE l.unit_id = ?"
                     " ORDER BY l.valid_from",
                     PARAMS(P_INT(id)), &r);
    if (rc != RF_OK)
        return rc;
    while ((rc = s->be->step(r)) == 1) {
        struct rf_unit_link l;
        l.parent_id = s->be->col_int(r, 0);
        COPY(l.parent_code, s->be->col_text(r, 1));
        COPY(l.valid_from, s->be->col_text(r, 2));
        COPY(l.valid_to, s->be->col_text(r, 3));
        rc = fn(ctx, &l);
        if (rc != 0)
            break;
    }
    s->be->done(r);
    return rc < 0 || rc > 1 ? rc : RF_OK;
}

/* LIKE pattern "%text%" with LIKE's own characters escaped; caller frees. */
char *rf_sq_like_pattern(const char *text)
{
    struct rf_buf b = RF_BUF_INIT;

    if (!text || !*text)
        return NULL;
    rf_buf_addc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            rf_buf_addc(&b, '\\');
        rf_buf_addc(&b, *p);
    }
    rf_buf_addc(&b, '%');
    return rf_buf_detach(&b, NULL);
}

#define MAX_DEPTH 16

int rf_store_units_list(struct rf_store *s, const struct rf_unit_query *q, rf_unit_fn fn, void *ctx)
{
    static const char sql[] =
        "WITH RECURSIVE sub(id, parent_id, depth) AS ("
        " SELECT u.id, CAST(0 AS BIGINT), 0 FROM units u"
        "  WHERE u.province_id = ? AND u.id = ? AND " IN_FORCE(
            "u") " UNION ALL"
                 " SELECT l.unit_id, l.parent_id, sub.depth + 1 FROM unit_links l"
                 "  JOIN sub ON l.parent_id = sub.id WHERE " IN_FORCE(
                     "l") " AND sub.depth < ?)"
                          " SELECT " UNIT_COLS ", CASE WHEN sub.depth = 0 THEN " UNIT_PARENT_AT
                          "  ELSE sub.parent_id END, sub.depth, " UNIT_CHILDREN_AT
                          " FROM sub JOIN units u ON u.id = sub.id"
                          " WHERE sub.depth >= ?"
                          "  AND (CAST(? AS TEXT) IS NULL OR u.name_fold LIKE ? ESCAPE '\\'"
                          "       OR lower(u.code) LIKE ? ESCAPE '\\')"
                          "  AND (CAST(? AS TEXT) IS NULL OR u.kind = ?)"
                          "  AND u.id > ?"
                          " ORDER BY u.id LIMIT ?";
    char *pattern = rf_sq_like_pattern(q->text_fold);
    const char *d = q->date;
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(
        s, sql,
        PARAMS(P_INT(q->province_id), P_INT(q->root_id), P_TEXT(d), P_TEXT(d), P_TEXT(d), P_TEXT(d),
               P_INT(q->max_depth > 0 ? q->max_depth : MAX_DEPTH), P_TEXT(d), P_TEXT(d), P_TEXT(d),
               P_TEXT(d), P_INT(q->skip_root ? 1 : 0), P_TEXT(pattern), P_TEXT(pattern),
               P_TEXT(pattern), P_OPT_TEXT(q->kind), P_OPT_TEXT(q->kind), P_INT(q->after_id),
               P_INT(q->limit > 0 ? q->limit : NO_LIMIT)),
        &r);
    if (rc != RF_OK)
        goto out;
    while ((rc = s->be->step(r)) == 1) {
        struct rf_unit u;
        read_unit(s, r, &u);
        rc = fn(ctx, &u);
        if (rc != 0)
            break;
    }
    s->be->done(r);
out:
    free(pattern);
    return rc == 1 ? RF_OK : rc;
}

int rf_store_unit_within(struct rf_store *s, int64_t root_id, int64_t id, const char *date,
                         int *yes)
{
    int64_t n = 0;
    int rc;

    rc = rf_sq_one_int(
        s,
        "WITH RECURSIVE anc(id, n) AS ("
        " SELECT CAST(? AS BIGINT), 0"
        " UNION ALL"
        " SELECT l.parent_id, anc.n + 1 FROM unit_links l JOIN anc ON l.unit_id = anc.id"
        "  WHERE " IN_FORCE("l") " AND anc.n < 16)"
                                 " SELECT COUNT(*) FROM anc WHERE anc.id = ?",
        PARAMS(P_INT(id), P_TEXT(date), P_TEXT(date), P_INT(root_id)), &n);
    *yes = rc == RF_OK && n > 0;
    return rc;
}

int rf_store_unit_within_ever(struct rf_store *s, int64_t root_id, int64_t id, int *yes)
{
    int64_t n = 0;
    int rc;

    rc = rf_sq_one_int(
        s,
        "WITH RECURSIVE anc(id, n) AS ("
        " SELECT CAST(? AS BIGINT), 0"
        " UNION"
        " SELECT l.parent_id, anc.n + 1 FROM unit_links l JOIN anc ON l.unit_id = anc.id"
        "  WHERE anc.n < 16)"
        " SELECT COUNT(*) FROM anc WHERE anc.id = ?",
        PARAMS(P_INT(id), P_INT(root_id)), &n);
    *yes = rc == RF_OK && n > 0;
    return rc;
}

int rf_store_unit_children_after(struct rf_store *s, int64_t id, const char *date, int64_t *count)
{
    return rf_sq_one_int(s,
                         "SELECT COUNT(*) FROM unit_links WHERE parent_id = ?"
                         " AND (valid_to IS NULL OR valid_to > ?)",
                         PARAMS(P_INT(id), P_TEXT(date)), count);
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
    "us.id, us.province_id, us.unit_id, un.code, us.username, us.full_name, us.roles,"             \
    " us.disabled, us.password_hash, us.password_changed_at, us.created_at, us.updated_at"

static void read_user(struct rf_store *s, struct rf_rows *r, int at, struct rf_user *u)
{
    const struct rf_backend *be = s->be;

    memset(u, 0, sizeof(*u));
    u->id = be->col_int(r, at + 0);
    u->province_id = be->col_int(r, at + 1);
    u->unit_id = be->col_int(r, at + 2);
    COPY(u->unit_code, be->col_text(r, at + 3));
    COPY(u->username, be->col_text(r, at + 4));
    COPY(u->full_name, be->col_text(r, at + 5));
    u->roles = (unsigned)be->col_int(r, at + 6);
    u->disabled = (int)be->col_int(r, at + 7);
    COPY(u->password_hash, be->col_text(r, at + 8));
    u->password_changed_at = be->col_int(r, at + 9);
    u->created_at = be->col_int(r, at + 10);
    u->updated_at = be->col_int(r, at + 11);
}

int rf_store_user_insert(struct rf_store *s, struct rf_user *u)
{
    char *fold = NULL;
    int rc;

    if (rf_text_fold(u->full_name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(
        s,
        "INSERT INTO users (province_id, unit_id, username, full_name, full_name_fold,"
        " roles, disabled, password_hash, password_changed_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        PARAMS(P_INT(u->province_id), P_INT(u->unit_id), P_TEXT(u->username), P_TEXT(u->full_name),
               P_TEXT(fold), P_INT(u->roles), P_INT(u->disabled), P_TEXT(u->password_hash),
               P_INT(u->password_changed_at), P_INT(u->created_at), P_INT(u->updated_at)),
        &u->id);
    free(fold);
    return rc;
}

int rf_store_user_update(struct rf_store *s, const struct rf_user *u)
{
    char *fold = NULL;
    int64_t found = 0;
    int rc;

    if (rf_text_fold(u->full_name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "UPDATE users SET unit_id = ?, full_name = ?, full_name_fold = ?, roles = ?,"
                       " disabled = ?, password_hash = ?, password_changed_at = ?, updated_at = ?"
                       " WHERE province_id = ? AND id = ? RETURNING id",
                       PARAMS(P_INT(u->unit_id), P_TEXT(u->full_name), P_TEXT(fold),
                              P_INT(u->roles), P_INT(u->disabled), P_TEXT(u->password_hash),
                              P_INT(u->password_changed_at), P_INT(u->updated_at),
                              P_INT(u->province_id), P_INT(u->id)),
                       &found);
    free(fold);
    return rc;
}

static int user_get(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                    struct rf_user *out)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, p, n, &r);

    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        read_user(s, r, 0, out);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

int rf_store_user_get(struct rf_store *s, int64_t province_id, int64_t id, struct rf_user *out)
{
    return user_get(s,
                    "SELECT " USER_COLS " FROM users us JOIN units un ON un.id = us.unit_id"
                    " WHERE us.province_id = ? AND us.id = ?",
                    PARAMS(P_INT(province_id), P_INT(id)), out);
}

int rf_store_user_get_by_name(struct rf_store *s, const char *username, struct rf_user *out)
{
    return user_get(s,
                    "SELECT " USER_COLS " FROM users us JOIN units un ON un.id = us.unit_id"
                    " WHERE us.username = ?",
                    PARAMS(P_TEXT(username)), out);
}

int rf_store_users_list(struct rf_store *s, const struct rf_user_query *q, rf_user_fn fn, void *ctx)
{
    static const char sql[] =
        "WITH RECURSIVE sub(id, depth) AS ("
        " SELECT u.id, 0 FROM units u WHERE u.province_id = ? AND u.id = ?"
        " UNION"
        " SELECT l.unit_id, sub.depth + 1 FROM unit_links l JOIN sub ON l.parent_id = sub.id"
        "  WHERE sub.depth < 16)"
        " SELECT " USER_COLS " FROM users us JOIN units un ON un.id = us.unit_id"
        " WHERE us.province_id = ?"
        "  AND (? = 1 OR us.unit_id IN (SELECT id FROM sub))"
        "  AND (CAST(? AS BIGINT) IS NULL OR us.unit_id = ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR us.full_name_fold LIKE ? ESCAPE '\\'"
        "       OR us.username LIKE ? ESCAPE '\\')"
        "  AND us.id > ?"
        " ORDER BY us.id LIMIT ?";
    char *pattern = rf_sq_like_pattern(q->text_fold);
    struct rf_rows *r;
    int rc;

    rc =
        rf_sq_query(s, sql,
                    PARAMS(P_INT(q->province_id), P_INT(q->root_id), P_INT(q->province_id),
                           P_INT(q->all_units ? 1 : 0), P_OPT_INT(q->unit_id),
                           P_OPT_INT(q->unit_id), P_TEXT(pattern), P_TEXT(pattern), P_TEXT(pattern),
                           P_INT(q->after_id), P_INT(q->limit > 0 ? q->limit : NO_LIMIT)),
                    &r);
    if (rc != RF_OK)
        goto out;
    while ((rc = s->be->step(r)) == 1) {
        struct rf_user u;
        read_user(s, r, 0, &u);
        rc = fn(ctx, &u);
        if (rc != 0)
            break;
    }
    s->be->done(r);
out:
    free(pattern);
    return rc == 1 ? RF_OK : rc;
}

/* ---- sessions ---- */

int rf_store_session_insert(struct rf_store *s, struct rf_session *x)
{
    return rf_sq_one_int(
        s,
        "INSERT INTO sessions (province_id, user_id, kind, token_hash, csrf, label,"
        " created_at, last_seen_at, expires_at, ended_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING id",
        PARAMS(P_INT(x->province_id), P_INT(x->user_id), P_INT(x->kind), P_TEXT(x->token_hash),
               P_TEXT(x->csrf), P_TEXT(x->label), P_INT(x->created_at), P_INT(x->last_seen_at),
               P_OPT_INT(x->expires_at)),
        &x->id);
}

int rf_store_session_find(struct rf_store *s, const char *token_hash, struct rf_session *out,
                          struct rf_user *user)
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s,
                     "SELECT x.id, x.province_id, x.user_id, x.kind, x.token_hash, x.csrf,"
                     " x.label, x.created_at, x.last_seen_at, x.expires_at, x.ended_at, " USER_COLS
                     " FROM sessions x JOIN users us ON us.id = x.user_id"
                     " JOIN units un ON un.id = us.unit_id WHERE x.token_hash = ?",
                     PARAMS(P_TEXT(token_hash)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        const struct rf_backend *be = s->be;
        memset(out, 0, sizeof(*out));
        out->id = be->col_int(r, 0);
        out->province_id = be->col_int(r, 1);
        out->user_id = be->col_int(r, 2);
        out->kind = (enum rf_session_kind)be->col_int(r, 3);
        COPY(out->token_hash, be->col_text(r, 4));
        COPY(out->csrf, be->col_text(r, 5));
        COPY(out->label, be->col_text(r, 6));
        out->created_at = be->col_int(r, 7);
        out->last_seen_at = be->col_int(r, 8);
        out->expires_at = be->col_int(r, 9);
        out->ended_at = be->col_int(r, 10);
        read_user(s, r, 11, user);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

int rf_store_session_touch(struct rf_store *s, int64_t id, int64_t now)
{
    return rf_sq_run(s, "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                     PARAMS(P_INT(now), P_INT(id)));
}

int rf_store_session_end(struct rf_store *s, int64_t id, int64_t now)
{
    return rf_sq_run(s, "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                     PARAMS(P_INT(now), P_INT(id)));
}

int rf_store_sessions_end_user(struct rf_store *s, int64_t user_id, unsigned kinds, int64_t now)
{
    int rc = RF_OK;

    if (kinds & RF_SESSION_COOKIE)
        rc = rf_sq_run(s,
                       "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND kind = 1"
                       " AND ended_at IS NULL",
                       PARAMS(P_INT(now), P_INT(user_id)));
    if (rc == RF_OK && (kinds & RF_SESSION_BEARER))
        rc = rf_sq_run(s,
                       "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND kind = 2"
                       " AND ended_at IS NULL",
                       PARAMS(P_INT(now), P_INT(user_id)));
    return rc;
}

/* ---- audit ---- */

int rf_store_audit_append(struct rf_store *s, struct rf_audit_record *rec)
{
    struct rf_rows *r;
    char hash[RF_AUDIT_HASH_HEX];
    char entity_id[24];
    int rc;

    /* taking the head's row lock serialises the province's writers (PostgreSQL) */
    rc = rf_sq_query(s,
                     "UPDATE audit_head SET seq = seq + 1 WHERE province_id = ?"
                     " RETURNING seq, hash, key_id",
                     PARAMS(P_INT(rec->province_id)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        const char *key_id = s->be->col_text(r, 2);
        rec->seq = s->be->col_int(r, 0);
        COPY(rec->prev_hash, s->be->col_text(r, 1));
        /* a process holding another key would fork the chain into two that verify apart */
        rc = s->audit_keyed && key_id[0] && strcmp(key_id, s->audit_key_id) != 0 ? RF_ECONFLICT
                                                                                 : RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    if (rc != RF_OK)
        return rc;
    (void)entity_id;
    rf_audit_hash(rec, s->audit_keyed ? s->audit_key : NULL, hash);
    rc = rf_sq_run(s,
                   "INSERT INTO audit (province_id, seq, at, actor_id, actor, action, entity,"
                   " entity_id, before_json, after_json, via, prev_hash, hash)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   PARAMS(P_INT(rec->province_id), P_INT(rec->seq), P_INT(rec->at),
                          P_INT(rec->actor_id), P_TEXT(rec->actor), P_TEXT(rec->action),
                          P_TEXT(rec->entity), P_TEXT(rec->entity_id), P_TEXT(rec->before),
                          P_TEXT(rec->after), P_TEXT(rec->via), P_TEXT(rec->prev_hash),
                          P_TEXT(hash)));
    if (rc == RF_OK && s->audit_keyed)
        rc = rf_sq_run(s, "UPDATE audit_head SET hash = ?, key_id = ? WHERE province_id = ?",
                       PARAMS(P_TEXT(hash), P_TEXT(s->audit_key_id), P_INT(rec->province_id)));
    else if (rc == RF_OK)
        rc = rf_sq_run(s, "UPDATE audit_head SET hash = ? WHERE province_id = ?",
                       PARAMS(P_TEXT(hash), P_INT(rec->province_id)));
    return rc;
}

void rf_store_set_audit_key(struct rf_store *s, const unsigned char *key)
{
    s->audit_keyed = key != NULL;
    if (key) {
        memcpy(s->audit_key, key, RF_AUDIT_KEY_BYTES);
        rf_audit_key_id(key, s->audit_key_id);
    } else {
        memset(s->audit_key, 0, sizeof(s->audit_key));
        s->audit_key_id[0] = '\0';
    }
}

int rf_store_audit_key_id(struct rf_store *s, int64_t province_id, char out[RF_AUDIT_KEY_ID_HEX])
{
    struct rf_rows *r;
    int rc;

    out[0] = '\0';
    rc = rf_sq_query(s, "SELECT key_id FROM audit_head WHERE province_id = ?",
                     PARAMS(P_INT(province_id)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1)
        snprintf(out, RF_AUDIT_KEY_ID_HEX, "%s", s->be->col_text(r, 0));
    s->be->done(r);
    return rc == 1 ? RF_OK : rc == 0 ? RF_ENOTFOUND : rc;
}

int rf_store_audit_list(struct rf_store *s, const struct rf_audit_query *q, rf_audit_fn fn,
                        void *ctx)
{
    static const char sql[] =
        "SELECT province_id, seq, at, actor_id, actor, action, entity, entity_id,"
        " before_json, after_json, prev_hash, hash, via FROM audit"
        " WHERE (? = 0 OR province_id = ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR entity = ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR entity_id = ?)"
        "  AND (CAST(? AS BIGINT) IS NULL OR actor_id = ?)"
        "  AND seq > ?"
        " ORDER BY province_id, seq LIMIT ?";
    struct rf_rows *r;
    int rc;

    rc =
        rf_sq_query(s, sql,
                    PARAMS(P_INT(q->province_id), P_INT(q->province_id), P_OPT_TEXT(q->entity),
                           P_OPT_TEXT(q->entity), P_OPT_TEXT(q->entity_id),
                           P_OPT_TEXT(q->entity_id), P_OPT_INT(q->actor_id), P_OPT_INT(q->actor_id),
                           P_INT(q->after_seq), P_INT(q->limit > 0 ? q->limit : NO_LIMIT)),
                    &r);
    if (rc != RF_OK)
        return rc;
    while ((rc = s->be->step(r)) == 1) {
        const struct rf_backend *be = s->be;
        struct rf_audit_row row;
        memset(&row, 0, sizeof(row));
        row.rec.province_id = be->col_int(r, 0);
        row.rec.seq = be->col_int(r, 1);
        row.rec.at = be->col_int(r, 2);
        row.rec.actor_id = be->col_int(r, 3);
        row.rec.actor = be->col_text(r, 4);
        row.rec.action = be->col_text(r, 5);
        row.rec.entity = be->col_text(r, 6);
        row.rec.entity_id = be->col_text(r, 7);
        row.rec.before = be->col_null(r, 8) ? NULL : be->col_text(r, 8);
        row.rec.after = be->col_null(r, 9) ? NULL : be->col_text(r, 9);
        COPY(row.rec.prev_hash, be->col_text(r, 10));
        COPY(row.hash, be->col_text(r, 11));
        row.rec.via = be->col_null(r, 12) ? NULL : be->col_text(r, 12);
        rc = fn(ctx, &row);
        if (rc != 0)
            break;
    }
    s->be->done(r);
    return rc == 1 ? RF_OK : rc;
}

int rf_store_audit_head(struct rf_store *s, int64_t province_id, int64_t *seq,
                        char hash[RF_AUDIT_HASH_HEX])
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s, "SELECT seq, hash FROM audit_head WHERE province_id = ?",
                     PARAMS(P_INT(province_id)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        *seq = s->be->col_int(r, 0);
        snprintf(hash, RF_AUDIT_HASH_HEX, "%s", s->be->col_text(r, 1));
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}
