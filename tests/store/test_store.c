/*
 * The storage conformance suite: every test runs against a fresh database of
 * the backend named by argv[1], "sqlite" (a new file) or "postgresql" (a new
 * schema on the server at $RF_TEST_PG_URL). This file holds the tests of the
 * plumbing (store.c: connections, migrations, transactions, the reader of
 * rows, flushing apart) and runs every file's tests; each entity's are in
 * test_<entity>.c, the application under injected faults in test_faults.c.
 */
#include "rig.h"
#include "../../src/app/app_int.h"
#include <libpq-fe.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_migrate_is_idempotent(void **state)
{
    struct rf_store *s = *state;
    struct rf_error err;
    int applied = -1, version = 0;

    rf_error_init(&err);
    assert_int_equal(rf_store_migrate(s, &applied, &err), RF_OK);
    assert_int_equal(applied, 0); /* setup applied them all */
    assert_int_equal(rf_store_schema_version(s, &version), RF_OK);
    assert_true(version >= 1);
    assert_string_equal(rf_store_backend(s), backend);
}

/* Several processes starting on one new database at once: each migration once, none fails. */
struct migrate_arg {
    struct rf_store *s;
    int rc, applied;
};

static void *migrate_one(void *p)
{
    struct migrate_arg *m = p;
    struct rf_error err;

    rf_error_init(&err);
    m->rc = rf_store_migrate(m->s, &m->applied, &err);
    return NULL;
}

static void test_migrate_at_once(void **state)
{
    struct migrate_arg m[4];
    pthread_t t[4];
    struct rf_store *alone = NULL;
    struct rf_error err;
    int all = 0, sum = 0;

    (void)state;
    rf_error_init(&err);
    fresh_db();
    assert_int_equal(rf_store_open(db_url, &alone, &err), RF_OK);
    assert_int_equal(rf_store_migrate(alone, &all, &err), RF_OK);
    teardown((void **)&alone);
    fresh_db();
    for (int i = 0; i < 4; i++) {
        m[i].s = NULL;
        m[i].applied = 0;
        assert_int_equal(rf_store_open(db_url, &m[i].s, &err), RF_OK);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, migrate_one, &m[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(m[i].rc, RF_OK);
        sum += m[i].applied;
    }
    assert_int_equal(sum, all);
    for (int i = 1; i < 4; i++)
        rf_store_close(&m[i].s);
    teardown((void **)&m[0].s);
}

/*
 * The writer runs the changes that wait together in one transaction, each in
 * a savepoint of its own: a change that fails, whether first, between others
 * or last, takes only its own rows with it.
 */
struct batch_job {
    struct rf_app *app;
    int i, slow;
    int rc;
    rf_write_fn fn;
    int deferrable;
};

static int batch_change(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct batch_job *j = ctx;
    char code[16];

    snprintf(code, sizeof(code), "B%02d", j->i);
    province(s, code);
    if (j->slow) /* the others queue meanwhile, and run together after it */
        usleep(200 * 1000);
    if (j->i % 3 == 0)
        return rf_error_set(err, RF_EINVAL, "test", "refused", "change %d fails", j->i);
    return RF_OK;
}

static void *batch_write(void *p)
{
    struct batch_job *j = p;
    struct rf_error err;

    rf_error_init(&err);
    j->rc = j->deferrable ? rf_app_write_deferrable(j->app, j->fn, j, &err)
                          : rf_app_write(j->app, j->fn, j, &err);
    return NULL;
}

/*
 * Ten changes 'fn' through one app's writer at once (the first slow, the
 * others queued behind it, with 'slow'): every third fails with 'fails' and
 * leaves no province "<prefix>NN"; the others leave theirs.
 */
static void writer_runs_ten(struct rf_store *s, rf_write_fn fn, int deferrable, int slow,
                            const char *prefix, int fails)
{
    struct rf_app_config cfg = {db_url, 4, NULL, NULL};
    struct rf_app *app = NULL;
    struct batch_job jobs[10];
    pthread_t t[10];
    struct rf_province p;
    struct rf_error err;
    char keys[] = "/tmp/reform-keys-XXXXXX", code[16], path[64];

    assert_non_null(mkdtemp(keys));
    cfg.keys_dir = keys;
    rf_error_init(&err);
    assert_int_equal(rf_app_open(&cfg, 1, &app, &err), RF_OK);
    for (int i = 0; i < 10; i++) {
        jobs[i] = (struct batch_job){app, i + 1, slow && i == 0, -1, fn, deferrable};
        assert_int_equal(pthread_create(&t[i], NULL, batch_write, &jobs[i]), 0);
        if (slow && i == 0)
            usleep(50 * 1000); /* the slow one first */
    }
    for (int i = 0; i < 10; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 10; i++) {
        snprintf(code, sizeof(code), "%s%02d", prefix, jobs[i].i);
        assert_int_equal(jobs[i].rc, jobs[i].i % 3 == 0 ? fails : RF_OK);
        assert_int_equal(rf_store_province_get(s, code, &p),
                         jobs[i].i % 3 == 0 ? RF_ENOTFOUND : RF_OK);
    }
    rf_app_close(&app);
    snprintf(path, sizeof(path), "%s/audit.key", keys);
    unlink(path);
    rmdir(keys);
}

static void test_writer_undoes_a_failed_change_alone(void **state)
{
    writer_runs_ten(*state, batch_change, 0, 1, "B", RF_EINVAL);
}

/*
 * Deferrable changes run with their writes deferred (PostgreSQL): a write
 * that fails is found only when the stretch ends, and the stretch is then
 * undone and run again one change at a time, so that again only the changes
 * that fail lose their rows.
 */
static int stretch_change(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct batch_job *j = ctx;
    struct rf_dossier_event ev;
    struct rf_province p;
    int rc;

    /* after a deferred write failed, the stretch's later statements fail too, till it ends */
    memset(&p, 0, sizeof(p));
    snprintf(p.code, sizeof(p.code), "D%02d", j->i);
    snprintf(p.name, sizeof(p.name), "Tỉnh %s", p.code);
    rc = rf_store_province_insert(s, &p);
    if (rc == RF_OK && j->i % 3 == 0) {
        memset(&ev, 0, sizeof(ev));
        ev.dossier_id = 999999; /* none: refused when the write is answered */
        snprintf(ev.action, sizeof(ev.action), "receive");
        rc = rf_store_dossier_event_add(s, p.id, &ev);
    }
    return rc == RF_OK ? RF_OK : rf_error_set(err, rc, "test", "refused", "change %d fails", j->i);
}

static void test_writer_runs_a_failed_stretch_again(void **state)
{
    writer_runs_ten(*state, stretch_change, 1, 0, "D", RF_ENOTFOUND);
}

static void test_open_rejects_unknown_scheme(void **state)
{
    struct rf_store *other = NULL;
    struct rf_error err;

    (void)state;
    rf_error_init(&err);
    assert_int_equal(rf_store_open("mysql://x", &other, &err), RF_EINVAL);
    assert_null(other);
    assert_string_equal(err.item[0].field, "db");
}

static void test_rollback_leaves_nothing(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42");
    struct rf_unit u;

    assert_int_equal(rf_store_begin(s), RF_OK);
    unit(s, prov, "X1", "temporary", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    rf_store_rollback(s);
    assert_int_equal(rf_store_unit_get_by_code(s, prov, "X1", "2021-01-01", &u), RF_ENOTFOUND);
}

/* A row callback that answers 'rc' at its 'at'th call (0: never) and 0 before. */
struct stop_at {
    int at, rc, calls;
};

static int stop_answer(struct stop_at *x)
{
    return ++x->calls == x->at ? x->rc : 0;
}

static int unit_stop(void *ctx, const struct rf_unit *u)
{
    (void)u;
    return stop_answer(ctx);
}

static int task_stop(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl, int n)
{
    (void)t;
    (void)dl;
    (void)n;
    return stop_answer(ctx);
}

static int audit_stop(void *ctx, const struct rf_audit_row *row)
{
    (void)row;
    return stop_answer(ctx);
}

/*
 * Every read of many rows keeps one rule for its callback: 0 goes on, 1 stops
 * early and the read answers RF_OK, a negative rf_err stops and is the answer;
 * at every row, the first and the last included (a task's last row group is
 * given after the rows ran out).
 */
static void test_row_callbacks_go_on_stop_or_fail(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_unit_query uq;
    struct rf_task_query tq;
    struct rf_audit_query aq;
    struct rf_document d;
    const int rcs[] = {1, RF_ECONFLICT, RF_ESTORE};

    memset(&uq, 0, sizeof(uq));
    uq.province_id = t.prov;
    uq.root_id = t.p;
    uq.date = "2023-06-30";
    memset(&d, 0, sizeof(d));
    d.province_id = t.prov;
    snprintf(d.number, sizeof(d.number), "01/NQ-CP");
    snprintf(d.issued_on, sizeof(d.issued_on), "2023-01-06");
    snprintf(d.title, sizeof(d.title), "Nghị quyết");
    snprintf(d.assigning_body, sizeof(d.assigning_body), "government");
    assert_int_equal(rf_store_document_insert(s, &d), RF_OK);
    task(s, &t, d.id, "Số hóa hồ sơ", t.c1, "digital_government", "2023-12-31", t.s);
    task(s, &t, d.id, "Rà soát thủ tục", t.s, "procedures", NULL, 0);
    task(s, &t, d.id, "Sắp xếp bộ máy", t.c2, "apparatus", "2023-06-30", 0);
    memset(&tq, 0, sizeof(tq));
    tq.province_id = t.prov;
    tq.all_units = 1;
    for (int i = 0; i < 3; i++)
        audit(s, t.prov, "create", "{}");
    memset(&aq, 0, sizeof(aq));
    aq.province_id = t.prov;

    for (int k = 0; k < 3; k++) {
        int want = rcs[k] == 1 ? RF_OK : rcs[k];
        for (int at = 1; at <= 5; at++) { /* the five units in force on the day */
            struct stop_at x = {at, rcs[k], 0};
            assert_int_equal(rf_store_units_list(s, &uq, unit_stop, &x), want);
            assert_int_equal(x.calls, at);
        }
        for (int at = 1; at <= 3; at++) {
            struct stop_at x = {at, rcs[k], 0}, y = {at, rcs[k], 0};
            assert_int_equal(rf_store_tasks_list(s, &tq, task_stop, &x), want);
            assert_int_equal(x.calls, at);
            assert_int_equal(rf_store_audit_list(s, &aq, audit_stop, &y), want);
            assert_int_equal(y.calls, at);
        }
    }
    { /* and without a stop, every row */
        struct stop_at x = {0, 0, 0}, y = {0, 0, 0}, z = {0, 0, 0};
        assert_int_equal(rf_store_units_list(s, &uq, unit_stop, &x), RF_OK);
        assert_int_equal(x.calls, 5);
        assert_int_equal(rf_store_tasks_list(s, &tq, task_stop, &y), RF_OK);
        assert_int_equal(y.calls, 3);
        assert_int_equal(rf_store_audit_list(s, &aq, audit_stop, &z), RF_OK);
        assert_int_equal(z.calls, 3);
    }
}

static void *commit_later(void *db)
{
    usleep(300000);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return NULL;
}

struct flush_arg {
    struct rf_store *s;
    unsigned reconnections; /* the store's count before the commits */
    int rc;
    _Atomic int done;
};

static void *flush_apart(void *arg)
{
    struct flush_arg *f = arg;
    f->rc = rf_store_flush(f->s, f->reconnections);
    atomic_store(&f->done, 1);
    return NULL;
}

/*
 * The PostgreSQL server's pid of the flusher's connection: the one whose last
 * statement was the flush's.
 */
static int flusher_pid(char pid[16])
{
    PGconn *pg = PQconnectdb(getenv("RF_TEST_PG_URL"));
    PGresult *res =
        PQexec(pg, "SELECT pid FROM pg_stat_activity WHERE query LIKE"
                   " 'SELECT pg_logical_emit_message(%' AND datname = current_database()");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

    if (ok)
        snprintf(pid, 16, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(pg);
    return ok;
}

static void end_backend(const char *pid)
{
    PGconn *pg = PQconnectdb(getenv("RF_TEST_PG_URL"));
    const char *values[1] = {pid};

    PQclear(
        PQexecParams(pg, "SELECT pg_terminate_backend($1::int)", 1, NULL, values, NULL, NULL, 0));
    PQfinish(pg);
}

/*
 * Commits flushed apart: from another thread, seen by another connection, and
 * never "flushed" when the flush cannot be made (SQLite: the log file is gone;
 * PostgreSQL: the flusher's connection was ended), nor by a flush on a
 * connection made again after them, which may have reached another server.
 */
static void test_flush_later(void **state)
{
    struct rf_store *s = *state, *other = NULL;
    struct flush_arg f = {s, 0, -1, 0};
    struct rf_error err;
    struct rf_province p;
    char wal[600], pid[16];
    pthread_t t;
    unsigned before;

    assert_int_equal(rf_store_flush(s, 0), RF_EINVAL); /* nothing to flush apart yet */
    assert_int_equal(rf_store_flush_later(s), RF_OK);
    assert_int_equal(rf_store_flush_later(s), RF_OK); /* once is enough */
    before = f.reconnections = rf_store_reconnections(s);
    assert_int_equal(rf_store_begin(s), RF_OK);
    province(s, "42");
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(pthread_create(&t, NULL, flush_apart, &f), 0);
    pthread_join(t, NULL);
    assert_int_equal(f.rc, RF_OK);
    rf_error_init(&err);
    assert_int_equal(rf_store_open(db_url, &other, &err), RF_OK);
    assert_int_equal(rf_store_province_get(other, "42", &p), RF_OK);
    rf_store_close(&other);
    if (strcmp(backend, "sqlite") == 0) {
        /* a log that is no longer the database's cannot make a commit durable */
        snprintf(wal, sizeof(wal), "%s-wal", db_url + 7);
        assert_int_equal(unlink(wal), 0);
    } else {
        assert_true(flusher_pid(pid));
        end_backend(pid);
    }
    assert_int_equal(rf_store_flush(s, before), RF_ESTORE);
    if (strcmp(backend, "sqlite") == 0)
        return;
    /* the next flush connects again, and cannot vouch for the commits made before */
    assert_int_equal(rf_store_flush(s, before), RF_ESTORE);
    assert_int_equal(rf_store_reconnections(s), before + 1);
    /* for those made after, it can */
    before = rf_store_reconnections(s);
    assert_int_equal(rf_store_begin(s), RF_OK);
    province(s, "43");
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_flush(s, before), RF_OK);
}

/*
 * What the tests of a synchronous standby ask the server itself, as its
 * superuser: its settings, who waits for the standby, a cancel.
 */
static PGconn *superuser(void)
{
    PGconn *pg = PQconnectdb(getenv("RF_TEST_PG_URL"));

    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    return pg;
}

/* The first value of 'sql' on 'pg' as an integer ("t": 1, "f": 0). */
static long ask(PGconn *pg, const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    long v = 0;

    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    if (PQntuples(res) > 0) {
        const char *text = PQgetvalue(res, 0, 0);
        v = strcmp(text, "t") == 0 ? 1 : strtol(text, NULL, 10);
    }
    PQclear(res);
    return v;
}

/* The pid of a connection to this database, other than 'probe''s, waiting for the standby; 0. */
static long waiter(PGconn *pg, PGconn *probe)
{
    char sql[256];

    snprintf(sql, sizeof(sql),
             "SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep'"
             " AND datname = current_database() AND pid <> %d",
             PQbackendPID(probe));
    return ask(pg, sql);
}

/* The connection 'probe' waits for the standby: a commit of its own is seen waiting. */
static void probe_waits(PGconn *pg, PGconn *probe)
{
    char sql[160];

    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND pid = %d",
             PQbackendPID(probe));
    for (;;) {
        PGresult *res;
        /* its own transaction: the commit waits for the standby when the setting is in force */
        assert_int_equal(
            PQsendQuery(probe, "SELECT pg_logical_emit_message(true, 'rf_test', 'probe')"), 1);
        for (;;) {
            assert_int_equal(PQconsumeInput(probe), 1);
            if (!PQisBusy(probe))
                break;
            if (ask(pg, sql) == 1)
                return;
            usleep(1000);
        }
        while ((res = PQgetResult(probe)) != NULL) /* not yet in force: again */
            PQclear(res);
    }
}

/* Whether the flush of 'f', started, was seen waiting for the standby before it returned. */
static long flush_waits(PGconn *pg, PGconn *probe, struct flush_arg *f)
{
    long pid;

    while ((pid = waiter(pg, probe)) == 0 && !atomic_load(&f->done))
        usleep(1000);
    return pid;
}

static pthread_t flushing;
static int flushing_started;

/* The server's setting back as it was, and a flush still waiting on it released and joined. */
static int teardown_standby(void **state)
{
    PGconn *pg;

    if (strcmp(backend, "sqlite") == 0)
        return teardown(state);
    pg = superuser();
    PQclear(PQexec(pg, "ALTER SYSTEM RESET synchronous_standby_names"));
    PQclear(PQexec(pg, "SELECT pg_reload_conf()"));
    PQfinish(pg);
    if (flushing_started)
        pthread_join(flushing, NULL);
    flushing_started = 0;
    return teardown(state);
}

/*
 * With a synchronous standby named, a flush returns once the standby has the
 * commits: here it never will (the standby named does not exist), so the flush
 * must be seen waiting. A wait cancelled (by an administrator, or
 * statement_timeout) commits without the standby: no flush. The setting taken
 * away, the wait ends.
 */
static void test_flush_waits_for_the_standby(void **state)
{
    struct rf_store *s = *state;
    struct flush_arg f = {s, 0, -1, 0};
    PGconn *pg, *probe;
    PGresult *res;
    char sql[96];
    long pid;

    if (strcmp(backend, "sqlite") == 0)
        skip();
    pg = superuser();
    /* a setting given on the server's command line cannot be changed here */
    if (ask(pg, "SELECT COUNT(*) FROM pg_settings WHERE name = 'synchronous_standby_names'"
                " AND source IN ('default', 'configuration file')") != 1) {
        PQfinish(pg);
        skip();
    }
    probe = superuser();
    assert_int_equal(rf_store_flush_later(s), RF_OK);
    f.reconnections = rf_store_reconnections(s);
    assert_int_equal(rf_store_begin(s), RF_OK);
    province(s, "42");
    assert_int_equal(rf_store_commit(s), RF_OK);
    PQclear(PQexec(pg, "ALTER SYSTEM SET synchronous_standby_names = 'rf_test_nobody'"));
    ask(pg, "SELECT 1 FROM (SELECT pg_reload_conf()) r");
    probe_waits(pg, probe);

    assert_int_equal(pthread_create(&flushing, NULL, flush_apart, &f), 0);
    flushing_started = 1;
    pid = flush_waits(pg, probe, &f);
    assert_true(pid > 0);
    snprintf(sql, sizeof(sql), "SELECT 1 FROM (SELECT pg_cancel_backend(%ld)) c", pid);
    ask(pg, sql);
    pthread_join(flushing, NULL);
    flushing_started = 0;
    assert_int_equal(f.rc, RF_ESTORE);

    atomic_store(&f.done, 0);
    assert_int_equal(pthread_create(&flushing, NULL, flush_apart, &f), 0);
    flushing_started = 1;
    assert_true(flush_waits(pg, probe, &f) > 0);
    PQclear(PQexec(pg, "ALTER SYSTEM RESET synchronous_standby_names"));
    ask(pg, "SELECT 1 FROM (SELECT pg_reload_conf()) r");
    pthread_join(flushing, NULL);
    flushing_started = 0;
    assert_int_equal(f.rc, RF_OK);
    while ((res = PQgetResult(probe)) != NULL)
        PQclear(res);
    PQfinish(probe);
    PQfinish(pg);
}

/* The server ends every other connection to the test's database. */
static void end_connections(void)
{
    PGconn *pg = PQconnectdb(getenv("RF_TEST_PG_URL"));

    PQclear(PQexec(pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    PQfinish(pg);
}

/*
 * A connection the server ended (a restart, a failover) is made again before
 * its next transaction or read, with its statements prepared anew. Lost
 * inside a transaction, every statement fails, those it had prepared too,
 * until the transaction is rolled back.
 */
static void test_lost_connection_comes_back(void **state)
{
    struct rf_store *s = *state;
    struct rf_province p;

    if (strcmp(backend, "sqlite") == 0)
        skip();
    assert_int_equal(rf_store_begin(s), RF_OK);
    province(s, "42");
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_OK); /* its statement prepared */
    end_connections();
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_OK);
    assert_int_equal(rf_store_begin(s), RF_OK);
    assert_int_equal(rf_store_commit(s), RF_OK);

    assert_int_equal(rf_store_begin(s), RF_OK);
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_OK);
    end_connections();
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_ESTORE); /* the loss found */
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_ESTORE); /* not even sent */
    rf_store_rollback(s);
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_OK);
}

/*
 * A connection opened while another holds the file's lock waits for it (the
 * busy timeout comes before any other setting) instead of failing with
 * "database is locked": under load a server opens connections while the
 * writer works.
 */
static void test_open_waits_for_a_lock(void **state)
{
    char path[64];
    sqlite3 *holder;
    struct rf_store *s = NULL;
    struct rf_error err;
    pthread_t t;

    (void)state;
    if (strcmp(backend, "sqlite") != 0)
        skip();
    snprintf(path, sizeof(path), "/tmp/rf-store-lock-%d.db", (int)getpid());
    unlink(path);
    assert_int_equal(sqlite3_open(path, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder,
                                  "PRAGMA journal_mode=DELETE; CREATE TABLE x (a);"
                                  " BEGIN EXCLUSIVE; INSERT INTO x VALUES (1);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(pthread_create(&t, NULL, commit_later, holder), 0);
    rf_error_init(&err);
    {
        char url[80];
        snprintf(url, sizeof(url), "sqlite:%s", path);
        assert_int_equal(rf_store_open(url, &s, &err), RF_OK);
    }
    pthread_join(t, NULL);
    rf_store_close(&s);
    sqlite3_close(holder);
    unlink(path);
}

/*
 * An insert refused for a taken key takes no id: the next row gets the id
 * after the last one on both backends. A PostgreSQL insert that fails still
 * takes its sequence's next value (SQLite's next id is the largest plus
 * one), so the same history would give the two backends different ids
 * (found by tests/api/history.test.mjs).
 */
static void test_refused_insert_takes_no_id(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_user a;
    struct rf_document d;
    struct rf_task k;
    int64_t first, doc;
    int taken = -1;

    /* a unit whose code is taken */
    first = unit(s, t.prov, "S03", "Sở Tư pháp", RF_UNIT_DEPARTMENT, t.p, "2020-01-01", NULL);
    {
        struct rf_unit u;
        memset(&u, 0, sizeof(u));
        u.province_id = t.prov;
        u.parent_id = t.p;
        u.kind = RF_UNIT_DEPARTMENT;
        snprintf(u.code, sizeof(u.code), "S03");
        snprintf(u.name, sizeof(u.name), "Trùng mã");
        snprintf(u.valid_from, sizeof(u.valid_from), "2020-01-01");
        assert_int_equal(rf_store_unit_insert(s, &u), RF_ECONFLICT);
    }
    assert_int_equal(
        unit(s, t.prov, "S04", "Sở Tài chính", RF_UNIT_DEPARTMENT, t.p, "2020-01-01", NULL),
        first + 1);

    /* a user whose name is taken */
    memset(&a, 0, sizeof(a));
    a.province_id = t.prov;
    a.unit_id = t.s;
    a.roles = RF_ROLE_FOCAL;
    snprintf(a.username, sizeof(a.username), "focal.s02");
    snprintf(a.full_name, sizeof(a.full_name), "Lê Văn Hùng");
    snprintf(a.password_hash, sizeof(a.password_hash), "$argon2id$not-a-real-hash");
    assert_int_equal(rf_store_user_insert(s, &a), RF_OK);
    first = a.id;
    assert_int_equal(rf_store_user_insert(s, &a), RF_ECONFLICT);
    snprintf(a.username, sizeof(a.username), "focal.s03");
    assert_int_equal(rf_store_user_insert(s, &a), RF_OK);
    assert_int_equal(a.id, first + 1);

    /* a document whose number is taken */
    memset(&d, 0, sizeof(d));
    d.province_id = t.prov;
    snprintf(d.number, sizeof(d.number), "01/NQ-CP");
    snprintf(d.issuer, sizeof(d.issuer), "Chính phủ");
    snprintf(d.issued_on, sizeof(d.issued_on), "2023-01-06");
    snprintf(d.title, sizeof(d.title), "Nghị quyết 01");
    snprintf(d.assigning_body, sizeof(d.assigning_body), "government");
    assert_int_equal(rf_store_document_insert(s, &d), RF_OK);
    doc = d.id;
    assert_int_equal(rf_store_document_insert(s, &d), RF_ECONFLICT);
    snprintf(d.number, sizeof(d.number), "02/NQ-CP");
    assert_int_equal(rf_store_document_insert(s, &d), RF_OK);
    assert_int_equal(d.id, doc + 1);

    /* a task whose reference is taken */
    memset(&k, 0, sizeof(k));
    k.province_id = t.prov;
    k.document_id = doc;
    k.lead_unit_id = t.s;
    snprintf(k.ref, sizeof(k.ref), "CP-2023-001");
    snprintf(k.title, sizeof(k.title), "Rà soát thủ tục");
    snprintf(k.assigning_body, sizeof(k.assigning_body), "government");
    snprintf(k.field, sizeof(k.field), "procedures");
    snprintf(k.assigned_on, sizeof(k.assigned_on), "2023-01-10");
    assert_int_equal(rf_store_task_insert(s, &k, NULL, 0, 1), RF_OK);
    first = k.id;
    assert_int_equal(rf_store_task_ref_taken(s, t.prov, "CP-2023-001", &taken), RF_OK);
    assert_int_equal(taken, 1);
    assert_int_equal(rf_store_task_insert(s, &k, NULL, 0, 1), RF_ECONFLICT);
    snprintf(k.ref, sizeof(k.ref), "CP-2023-002");
    assert_int_equal(rf_store_task_ref_taken(s, t.prov, "CP-2023-002", &taken), RF_OK);
    assert_int_equal(taken, 0);
    assert_int_equal(rf_store_task_ref_taken(s, t.prov, "", &taken), RF_OK);
    assert_int_equal(taken, 0);
    assert_int_equal(rf_store_task_insert(s, &k, NULL, 0, 1), RF_OK);
    assert_int_equal(k.id, first + 1);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_is_idempotent, setup, teardown),
        cmocka_unit_test(test_migrate_at_once),
        cmocka_unit_test_setup_teardown(test_writer_undoes_a_failed_change_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_runs_a_failed_stretch_again, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_rejects_unknown_scheme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_insert_takes_no_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_callbacks_go_on_stop_or_fail, setup, teardown),
        cmocka_unit_test(test_open_waits_for_a_lock),
        cmocka_unit_test_setup_teardown(test_flush_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_connection_comes_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_waits_for_the_standby, setup, teardown_standby),
    };
    int failed;

    if (argc != 2 || (strcmp(argv[1], "sqlite") != 0 && strcmp(argv[1], "postgresql") != 0)) {
        fprintf(stderr, "usage: test_store sqlite|postgresql\n");
        return 2;
    }
    backend = argv[1];
    if (strcmp(backend, "postgresql") == 0 && !getenv("RF_TEST_PG_URL")) {
        fprintf(stderr, "test_store: set RF_TEST_PG_URL to a PostgreSQL server for the "
                        "postgresql run (make test starts one)\n");
        return 1;
    }
    failed = cmocka_run_group_tests_name("plumbing", tests, NULL, NULL);
    failed += run_units_tests();
    failed += run_users_tests();
    failed += run_tasks_tests();
    failed += run_calendar_tests();
    failed += run_dossiers_tests();
    failed += run_faults_tests();
    failed += run_provinces_tests();
    return failed ? 1 : 0;
}
