/*
 * The plumbing every entity file of the store shares, written once for both
 * backends: opening a connection and choosing its backend, statements and
 * their rows (rf_sq_*, with the fault injection of tests), transactions and
 * savepoints, and the migrations compiled into the binary. Statements are
 * string constants with '?' placeholders; input never enters SQL text.
 */
#include "store_int.h"
#include "../common/buf.h"
#include "../common/log.h"
#include "../common/mem.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- plumbing ---- */

/*
 * Fault injection for tests: the statements left to run before every one
 * fails (-1: off), counted across every connection and thread, so that the
 * writer's statements count as the caller's do; and the statements started
 * while it is on, in order (each SQL text is a constant of this folder).
 */
static _Atomic int faults_countdown = -1;
static _Atomic int traced;
static const char *trace[RF_FAULT_TRACE];

void rf_store_faults_after(int n)
{
    faults_countdown = -1;
    traced = 0;
    faults_countdown = n;
}

int rf_store_faults_trace(const char **out, int max)
{
    int n = traced;

    for (int i = 0; i < n && i < max && i < RF_FAULT_TRACE; i++)
        out[i] = trace[i];
    return n;
}

/* Whether the injected fault fails statement 'sql' of 's', now about to run. */
static int fault(struct rf_store *s, const char *sql)
{
    int left = faults_countdown, at;

    if (left < 0)
        return 0;
    at = atomic_fetch_add(&traced, 1);
    if (at < RF_FAULT_TRACE)
        trace[at] = sql;
    while (left > 0 && !atomic_compare_exchange_weak(&faults_countdown, &left, left - 1))
        ;
    if (left != 0)
        return 0;
    snprintf(s->errmsg, sizeof(s->errmsg), "injected fault");
    return 1;
}

static int gathered_send(struct rf_store *s);

/* Every statement goes through here, so that tests can make the Nth one fail. */
int rf_sq_query(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                struct rf_rows **out)
{
    int rc;

    if (fault(s, sql))
        return RF_ESTORE;
    if (s->deferring && (rc = gathered_send(s)) != RF_OK)
        return rc;
    return s->be->query(s, sql, p, n, out);
}

int rf_sq_each(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
               rf_sq_row_fn row, void *ctx)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, p, n, &r);

    if (rc != RF_OK)
        return rc;
    /* step() gives 1 for a row; 'row' gives 1 for a stop: the two meet only here */
    while ((rc = s->be->step(r)) == 1)
        if ((rc = row(s, r, ctx)) != 0)
            break;
    s->be->done(r);
    return rc > 0 ? RF_OK : rc;
}

static int ignore_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    (void)s;
    (void)r;
    (void)ctx;
    return 0;
}

/* A kind's rows gone, its columns' memory kept for the next. */
static void gathered_clear(struct rf_gathered *g)
{
    for (int i = 0; i < g->ncols; i++)
        rf_buf_reset(&g->col[i]);
    g->n = 0;
}

/* The gathered rows of each kind as one statement each, sent in the order of their kinds. */
static int gathered_send(struct rf_store *s)
{
    int rc = RF_OK;

    for (int k = 0; k < RF_GATHER_KINDS; k++) {
        struct rf_gathered *g = &s->gathered[k];
        struct rf_param p[RF_GATHER_COLS];
        int sent;

        if (g->n == 0)
            continue;
        for (int i = 0; i < g->ncols; i++) {
            rf_buf_addc(&g->col[i], '}');
            p[i] = P_TEXT(rf_buf_str(&g->col[i]));
        }
        sent = s->be->send(s, g->sql, p, g->ncols, g->n);
        if (rc == RF_OK)
            rc = sent;
        gathered_clear(g);
    }
    return rc;
}

/* The gathered rows forgotten, unsent (the deferred writes are undone). */
static void gathered_drop(struct rf_store *s)
{
    for (int k = 0; k < RF_GATHER_KINDS; k++)
        gathered_clear(&s->gathered[k]);
}

static void gathered_free(struct rf_store *s)
{
    for (int k = 0; k < RF_GATHER_KINDS; k++)
        for (int i = 0; i < RF_GATHER_COLS; i++)
            rf_buf_cleanup(&s->gathered[k].col[i]);
}

/* A value into an array's text: {1,NULL,"text with \" and \\ escaped"} */
static void array_add(struct rf_buf *b, const struct rf_param *p)
{
    const char *run, *c;

    rf_buf_addc(b, b->len ? ',' : '{');
    switch (p->type) {
    case RF_P_NULL:
        rf_buf_adds(b, "NULL");
        return;
    case RF_P_INT:
        rf_buf_addi(b, p->i);
        return;
    case RF_P_TEXT:
        break;
    }
    rf_buf_addc(b, '"');
    for (run = c = p->s; *c; c++)
        if (*c == '"' || *c == '\\') {
            rf_buf_add(b, run, (size_t)(c - run));
            rf_buf_addc(b, '\\');
            run = c;
        }
    rf_buf_add(b, run, (size_t)(c - run));
    rf_buf_addc(b, '"');
}

int rf_sq_gathering(const struct rf_store *s)
{
    return s->deferring;
}

int rf_sq_gather(struct rf_store *s, int kind, const char *sql, const struct rf_param *p, int n)
{
    struct rf_gathered *g = &s->gathered[kind];

    if (!s->deferring || n > RF_GATHER_COLS || (g->n > 0 && g->sql != sql))
        return RF_ESTORE;
    if (fault(s, sql))
        return RF_ESTORE;
    g->sql = sql;
    g->ncols = n;
    for (int i = 0; i < n; i++)
        array_add(&g->col[i], &p[i]);
    g->n++;
    s->deferred++;
    return g->n == RF_GATHER_ROWS ? gathered_send(s) : RF_OK;
}

/*
 * A deferred write, sent without waiting (every statement passes fault()
 * first), after the rows gathered so far.
 */
static int sq_send(struct rf_store *s, const char *sql, const struct rf_param *p, int n, int expect)
{
    int rc;

    if (fault(s, sql))
        return RF_ESTORE;
    if ((rc = gathered_send(s)) != RF_OK)
        return rc;
    s->deferred++;
    return s->be->send(s, sql, p, n, expect);
}

/* Run a statement that returns no rows we need. */
int rf_sq_run(struct rf_store *s, const char *sql, const struct rf_param *p, int n)
{
    if (s->deferring)
        return sq_send(s, sql, p, n, 0);
    return rf_sq_each(s, sql, p, n, ignore_row, NULL);
}

int rf_sq_write_one(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                    int64_t *first)
{
    int64_t v = 0;
    int rc;

    if (first)
        *first = 0;
    if (s->deferring)
        return sq_send(s, sql, p, n, 1);
    rc = rf_sq_one_int(s, sql, p, n, &v);
    if (rc == RF_OK && first)
        *first = v;
    return rc;
}

static const char *const id_tables[RF_IDS_TABLES] = {"dossiers", "tasks"};

static int keep_id(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    struct rf_ids *ids = ctx;

    if (ids->n < RF_IDS_BLOCK)
        ids->id[ids->n++] = s->be->col_int(r, 0);
    return 0;
}

int rf_sq_next_id(struct rf_store *s, int table, int64_t *id)
{
    struct rf_ids *ids = &s->ids[table];

    if (!s->ids_ahead)
        return RF_ENOTFOUND;
    if (ids->next == ids->n) {
        struct rf_ids fresh = {.block = ids->block + 1};
        int rc = rf_sq_each(s, s->be->ids_ahead,
                            PARAMS(P_TEXT(id_tables[table]), P_INT(RF_IDS_BLOCK)), keep_id, &fresh);
        if (rc == RF_OK && fresh.n == 0)
            rc = RF_ESTORE;
        if (rc != RF_OK)
            return rc;
        *ids = fresh;
    }
    *id = ids->id[ids->next++];
    s->deferred++;
    return RF_OK;
}

void rf_sq_id_back(struct rf_store *s, int table)
{
    if (s->ids[table].next > 0)
        s->ids[table].next--;
}

/* Where each table's ids stand, to go back to when what took them is undone. */
static void ids_mark(const struct rf_store *s, struct rf_ids_mark marks[RF_IDS_TABLES])
{
    for (int t = 0; t < RF_IDS_TABLES; t++)
        marks[t] = (struct rf_ids_mark){s->ids[t].next, s->ids[t].block};
}

/* An id given out since 'marks' is given again, unless its block was used up since (a gap). */
static void ids_back_to(struct rf_store *s, const struct rf_ids_mark marks[RF_IDS_TABLES])
{
    for (int t = 0; t < RF_IDS_TABLES; t++)
        if (marks[t].block == s->ids[t].block)
            s->ids[t].next = marks[t].next;
}

void rf_store_ids_ahead(struct rf_store *s)
{
    s->ids_ahead = s->be->ids_ahead != NULL;
}

int rf_store_defer_begin(struct rf_store *s)
{
    int rc;

    if (!s->be->defer_begin || !s->in_tx)
        return RF_EINVAL;
    if (s->deferring)
        return RF_OK;
    rc = s->be->defer_begin(s);
    s->deferring = rc == RF_OK;
    return rc;
}

int rf_store_can_defer(const struct rf_store *s)
{
    return s->be->defer_begin != NULL;
}

/* The head and the desks' sequences are written with the last deferred writes. */
int rf_store_defer_end(struct rf_store *s)
{
    int rc, end;

    if (!s->deferring)
        return RF_OK;
    rc = gathered_send(s);
    if (rc == RF_OK)
        rc = rf_sq_audit_head_write(s);
    if (rc == RF_OK)
        rc = rf_sq_seqs_write(s);
    end = s->be->defer_end(s);
    s->deferring = 0;
    return rc != RF_OK ? rc : end;
}

void rf_store_defer_push(struct rf_store *s)
{
    if (s->deferring && gathered_send(s) == RF_OK)
        s->be->defer_push(s);
}

unsigned rf_store_deferred(const struct rf_store *s)
{
    return s->deferred;
}

int rf_store_defer_failed(struct rf_store *s)
{
    return s->deferring && s->be->defer_failed(s);
}

int rf_store_lost(struct rf_store *s)
{
    return s->be->lost ? s->be->lost(s) : 0;
}

int rf_store_listen(struct rf_store *s)
{
    return s->be->listen ? s->be->listen(s) : RF_EINVAL;
}

int rf_store_news_socket(struct rf_store *s)
{
    return s->be->news_socket ? s->be->news_socket(s) : -1;
}

int rf_store_news(struct rf_store *s, rf_news_fn fn, void *ctx)
{
    return s->be->news ? s->be->news(s, fn, ctx) : RF_EINVAL;
}

int rf_sq_first(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                rf_sq_row_fn row, void *ctx)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, p, n, &r);

    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        rc = row(s, r, ctx);
        if (rc > 0)
            rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

static int first_int(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    *(int64_t *)ctx = s->be->col_int(r, 0);
    return 0;
}

int rf_sq_one_int(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                  int64_t *out)
{
    return rf_sq_first(s, sql, p, n, first_int, out);
}

int rf_sq_exists(struct rf_store *s, const char *sql, const struct rf_param *p, int n, int *found)
{
    int64_t first;
    int rc = rf_sq_one_int(s, sql, p, n, &first);

    *found = rc == RF_OK;
    return rc == RF_ENOTFOUND ? RF_OK : rc;
}

void rf_sq_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
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
    gathered_free(s);
    free(s);
    *sp = NULL;
}

const char *rf_store_backend(const struct rf_store *s)
{
    return s->be->name;
}

int rf_store_begin(struct rf_store *s)
{
    int rc = fault(s, "BEGIN") ? RF_ESTORE : s->be->begin(s);

    if (rc == RF_OK)
        s->in_tx = 1;
    memset(&s->head, 0, sizeof(s->head));
    s->savepoints = 0;
    s->nseqs = 0;
    ids_mark(s, s->ids_begun);
    return rc;
}

/* Deferring, the deferred writes end first, and give their first failure. */
int rf_store_commit(struct rf_store *s)
{
    int rc = rf_store_defer_end(s);

    if (rc == RF_OK)
        rc = rf_sq_audit_head_write(s);
    if (rc == RF_OK)
        rc = fault(s, "COMMIT") ? RF_ESTORE : s->be->exec_script(s, "COMMIT");
    if (rc != RF_OK)
        rf_store_rollback(s);
    s->in_tx = 0;
    memset(&s->head, 0, sizeof(s->head));
    return rc;
}

int rf_store_flush_later(struct rf_store *s)
{
    return s->be->flush_later ? s->be->flush_later(s) : RF_EINVAL;
}

unsigned rf_store_reconnections(struct rf_store *s)
{
    return s->be->reconnections ? s->be->reconnections(s) : 0;
}

/*
 * A connection made again may have reached another server than the one the
 * commits went to (a standby promoted, the same server restarted without the
 * commits it had not flushed), and a flush there proves nothing of them: the
 * count is read after the flush, so that one made again during it counts too.
 */
int rf_store_flush(struct rf_store *s, unsigned reconnections)
{
    int rc = s->be->flush ? s->be->flush(s) : RF_EINVAL;

    if (rc == RF_OK && rf_store_reconnections(s) != reconnections) {
        rf_log_error("the log's flush cannot vouch for commits made before a connection was made"
                     " again");
        rc = RF_ESTORE;
    }
    return rc;
}

/* Never failed by the injected fault: rolling back is how a failure is undone. */
void rf_store_rollback(struct rf_store *s)
{
    if (!s->in_tx)
        return;
    if (s->deferring) { /* what is still to be answered is of no interest now */
        gathered_drop(s);
        (void)s->be->defer_end(s);
        s->deferring = 0;
    }
    s->nseqs = 0;
    ids_back_to(s, s->ids_begun);
    /* a commit that failed for want of disk was rolled back by SQLite itself */
    if (s->be->tx_open(s) && s->be->exec_script(s, "ROLLBACK") != RF_OK)
        rf_log_error("rollback failed: %s", s->errmsg);
    s->in_tx = 0;
    memset(&s->head, 0, sizeof(s->head));
    s->savepoints = 0;
}

enum { SP_OPEN, SP_RELEASE, SP_UNDO };

/* A savepoint's name goes into SQL as it is: lower-case letters and '_' only. */
static int savepoint_name_ok(const char *name)
{
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            return 0;
    return 1;
}

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
    if (!savepoint_name_ok(name) || s->deferring)
        return RF_EINVAL;
    if (verb != SP_UNDO && fault(s, verbs[verb]))
        return RF_ESTORE;
    snprintf(sql, sizeof(sql), "%s %s", verbs[verb], name);
    return s->be->exec_script(s, sql);
}

/* The audit head goes back with what a savepoint undoes. */
int rf_store_savepoint(struct rf_store *s, const char *name)
{
    int rc;

    if (s->savepoints == RF_SAVEPOINTS_MAX)
        return RF_EINVAL;
    rc = savepoint_sql(s, SP_OPEN, name);
    if (rc == RF_OK) {
        ids_mark(s, s->ids_at[s->savepoints]);
        s->head_at[s->savepoints++] = s->head;
    }
    return rc;
}

void rf_store_savepoint_undo(struct rf_store *s, const char *name)
{
    char sql[96];

    if (s->savepoints > 0) {
        s->head = s->head_at[--s->savepoints];
        ids_back_to(s, s->ids_at[s->savepoints]);
    }
    if (savepoint_sql(s, SP_UNDO, name) == RF_OK) {
        snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT %s", name);
        if (s->be->exec_script(s, sql) != RF_OK)
            rf_log_error("a savepoint rolled back to could not be released: %s", s->errmsg);
    }
}

int rf_store_savepoint_release(struct rf_store *s, const char *name)
{
    int rc = savepoint_sql(s, SP_RELEASE, name);

    if (rc == RF_OK && s->savepoints > 0)
        s->savepoints--;
    return rc;
}

void rf_store_savepoint_leave(struct rf_store *s)
{
    if (s->savepoints > 0)
        s->savepoints--;
}

int rf_store_savepoint_renew(struct rf_store *s, const char *name)
{
    char sql[160];
    int rc;

    if (s->deferring) /* no savepoint is released or opened while deferring */
        return RF_EINVAL;
    if (s->be == &rf_backend_sqlite) { /* no round trips: two prepared statements */
        rc = rf_store_savepoint_release(s, name);
        return rc == RF_OK ? rf_store_savepoint(s, name) : rc;
    }
    if (!savepoint_name_ok(name))
        return RF_EINVAL;
    if (fault(s, "RELEASE SAVEPOINT") || fault(s, "SAVEPOINT"))
        return RF_ESTORE;
    snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT %s; SAVEPOINT %s", name, name);
    rc = s->be->exec_script(s, sql);
    if (rc == RF_OK && s->savepoints > 0) { /* one released, one opened */
        s->head_at[s->savepoints - 1] = s->head;
        ids_mark(s, s->ids_at[s->savepoints - 1]);
    }
    return rc;
}

int rf_store_analyze(struct rf_store *s)
{
    return s->be->analyze ? s->be->exec_script(s, s->be->analyze) : RF_OK;
}

int rf_store_backup(struct rf_store *s, const char *path, struct rf_error *err)
{
    return s->be->backup(s, path, err);
}

int rf_store_restore(struct rf_store *s, const char *path, struct rf_error *err)
{
    int64_t tables = 0;

    if (rf_sq_one_int(s, s->be->count_tables, NULL, 0, &tables) != RF_OK)
        return rf_error_set(err, RF_ESTORE, "db", "unavailable", "cannot read the database: %s",
                            s->errmsg);
    if (tables > 0)
        return rf_error_set(err, RF_ECONFLICT, "db", "not_empty",
                            "the database holds %lld tables: restore into an empty one",
                            (long long)tables);
    return s->be->restore(s, path, err);
}

/* ---- migrations ---- */

int rf_store_schema_version(struct rf_store *s, int *version)
{
    int64_t v = 0;
    int rc =
        rf_sq_one_int(s, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v);

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

static int migrate_locked(struct rf_store *s, int *applied, struct rf_error *err)
{
    int version, count = 0, rc;

    rc = s->be->exec_script(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    if (rc == RF_OK)
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
        /* "NNNN_x.postgresql.sql" runs there alone, and is recorded everywhere */
        sql = strstr(m->name, ".postgresql.sql") && s->be != &rf_backend_pg
                  ? NULL
                  : expand(m->sql, s->be->id_column);
        rc = sql ? s->be->exec_script(s, sql) : RF_OK;
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

int rf_store_migrate(struct rf_store *s, int *applied, struct rf_error *err)
{
    int rc;

    if (s->be->schema_lock && s->be->exec_script(s, s->be->schema_lock) != RF_OK)
        return rf_error_set(err, RF_ESTORE, "db", "migrate", "cannot lock the schema: %s",
                            s->errmsg);
    rc = migrate_locked(s, applied, err);
    /* a lock not given back (a connection lost) went with the session */
    if (s->be->schema_lock)
        (void)s->be->exec_script(s, s->be->schema_unlock);
    return rc;
}
