/*
 * The storage conformance suite: every test runs against a fresh database of
 * the backend named by argv[1], "sqlite" (a new file) or "postgresql" (a new
 * schema on the server at $RF_TEST_PG_URL). This file holds the tests of the
 * plumbing (store.c: connections, migrations, transactions, the reader of
 * rows, flushing apart) and runs every file's tests; each entity's are in
 * test_<entity>.c, the application under injected faults in test_faults.c.
 */
#include "rig.h"
#include <libpq-fe.h>

#include <pthread.h>
#include <sqlite3.h>
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
    int rc;
};

static void *flush_apart(void *arg)
{
    struct flush_arg *f = arg;
    f->rc = rf_store_flush(f->s);
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
        PQexec(pg, "SELECT pid FROM pg_stat_activity"
                   " WHERE query = 'SELECT txid_current()' AND datname = current_database()");
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
 * PostgreSQL: the flusher's connection was ended).
 */
static void test_flush_later(void **state)
{
    struct rf_store *s = *state, *other = NULL;
    struct flush_arg f = {s, -1};
    struct rf_error err;
    struct rf_province p;
    char wal[600], pid[16];
    pthread_t t;

    assert_int_equal(rf_store_flush(s), RF_EINVAL); /* nothing to flush apart yet */
    assert_int_equal(rf_store_flush_later(s), RF_OK);
    assert_int_equal(rf_store_flush_later(s), RF_OK); /* once is enough */
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
    assert_int_equal(rf_store_flush(s), RF_ESTORE);
    if (strcmp(backend, "sqlite") != 0)
        assert_int_equal(rf_store_flush(s), RF_OK); /* and the next flush connects again */
}

/*
 * A connection the server ended (a restart, a failover) is made again before
 * its next transaction or read, with its statements prepared anew.
 */
static void test_lost_connection_comes_back(void **state)
{
    struct rf_store *s = *state;
    struct rf_province p;
    PGconn *pg;

    if (strcmp(backend, "sqlite") == 0)
        skip();
    assert_int_equal(rf_store_begin(s), RF_OK);
    province(s, "42");
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_OK); /* its statement prepared */
    pg = PQconnectdb(getenv("RF_TEST_PG_URL"));
    PQclear(PQexec(pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
    PQfinish(pg);
    assert_int_equal(rf_store_province_get(s, "42", &p), RF_OK);
    assert_int_equal(rf_store_begin(s), RF_OK);
    assert_int_equal(rf_store_commit(s), RF_OK);
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
        cmocka_unit_test_setup_teardown(test_open_rejects_unknown_scheme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_insert_takes_no_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_callbacks_go_on_stop_or_fail, setup, teardown),
        cmocka_unit_test(test_open_waits_for_a_lock),
        cmocka_unit_test_setup_teardown(test_flush_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lost_connection_comes_back, setup, teardown),
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
    return failed ? 1 : 0;
}
