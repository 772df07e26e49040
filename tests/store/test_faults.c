/*
 * The application's all-or-nothing guarantee under injected storage faults
 * (rf_store_faults_after): for each use case below, its first statement
 * fails, then its second, and so on until the use case succeeds. Every
 * failure must answer with an rf_err and its details, and leave the database
 * exactly as it was: every row of every table, read apart from the store by
 * a connection of the test's own. On SQLite the changes run on the writer's
 * thread and connection; the faults reach its statements too, its begin and
 * commit included, which each use case must have met. RF_TEST_FAULTS_VERBOSE
 * set in the environment lists each statement failed and the answer to it.
 */
#include "rig.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/common/buf.h"
#include "../../src/common/mem.h"

/* ---- every row of every table, read apart from the store ---- */

struct reader {
    sqlite3 *db;
    PGconn *pg;
};

static void reader_open(struct reader *r)
{
    memset(r, 0, sizeof(*r));
    if (strcmp(backend, "sqlite") == 0) {
        assert_int_equal(sqlite3_open_v2(db_url + 7, &r->db, SQLITE_OPEN_READONLY, NULL),
                         SQLITE_OK);
        return;
    }
    r->pg = PQconnectdb(db_url);
    assert_int_equal(PQstatus(r->pg), CONNECTION_OK);
}

static void reader_close(struct reader *r)
{
    sqlite3_close(r->db);
    PQfinish(r->pg);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A table's rows, each its values as text ("\N" for NULL, \x1f between them), sorted. */
struct table {
    char **row;
    int n, cap;
};

static void table_add(struct table *t, struct rf_buf *row)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->row = rf_xrealloc(t->row, (size_t)t->cap * sizeof(*t->row));
    }
    t->row[t->n++] = rf_buf_detach(row, NULL);
}

static void table_out(struct table *t, const char *name, struct rf_buf *out)
{
    if (t->n)
        qsort(t->row, (size_t)t->n, sizeof(*t->row), by_text);
    rf_buf_addf(out, "== %s\n", name);
    for (int i = 0; i < t->n; i++) {
        rf_buf_adds(out, t->row[i]);
        rf_buf_addc(out, '\n');
        free(t->row[i]);
    }
    free(t->row);
    memset(t, 0, sizeof(*t));
}

/* The statement reading a whole table: its name comes from the catalog, never from input. */
static void select_all(const char *name, char sql[128])
{
    assert_null(strchr(name, '"'));
    snprintf(sql, 128, "SELECT * FROM \"%s\"", name);
}

static void sqlite_tables(sqlite3 *db, struct rf_buf *out)
{
    sqlite3_stmt *tables, *rows;
    struct table t = {0};
    char sql[128];

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " ORDER BY name",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        int rc;
        select_all(name, sql);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
        while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
            struct rf_buf row = RF_BUF_INIT;
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const unsigned char *v = sqlite3_column_text(rows, c);
                if (c)
                    rf_buf_addc(&row, '\x1f');
                rf_buf_adds(&row,
                            sqlite3_column_type(rows, c) == SQLITE_NULL ? "\\N" : (const char *)v);
            }
            table_add(&t, &row);
        }
        assert_int_equal(rc, SQLITE_DONE);
        sqlite3_finalize(rows);
        table_out(&t, name, out);
    }
    sqlite3_finalize(tables);
}

static void pg_tables(PGconn *pg, struct rf_buf *out)
{
    PGresult *tables = PQexec(pg, "SELECT table_name FROM information_schema.tables"
                                  " WHERE table_schema = current_schema()"
                                  " AND table_type = 'BASE TABLE' ORDER BY table_name");
    struct table t = {0};
    char sql[128];

    assert_int_equal(PQresultStatus(tables), PGRES_TUPLES_OK);
    assert_true(PQntuples(tables) > 10);
    for (int i = 0; i < PQntuples(tables); i++) {
        const char *name = PQgetvalue(tables, i, 0);
        PGresult *rows;
        select_all(name, sql);
        rows = PQexec(pg, sql);
        assert_int_equal(PQresultStatus(rows), PGRES_TUPLES_OK);
        for (int j = 0; j < PQntuples(rows); j++) {
            struct rf_buf row = RF_BUF_INIT;
            for (int c = 0; c < PQnfields(rows); c++) {
                if (c)
                    rf_buf_addc(&row, '\x1f');
                rf_buf_adds(&row, PQgetisnull(rows, j, c) ? "\\N" : PQgetvalue(rows, j, c));
            }
            table_add(&t, &row);
        }
        PQclear(rows);
        table_out(&t, name, out);
    }
    PQclear(tables);
}

/* Every row of every table of the database, as text; the caller frees. */
static char *snapshot(struct reader *r)
{
    struct rf_buf out = RF_BUF_INIT;

    if (r->db)
        sqlite_tables(r->db, &out);
    else
        pg_tables(r->pg, &out);
    return rf_buf_detach(&out, NULL);
}

/* Fails, naming the first line that differs, unless 'now' is 'before'. */
static void assert_unchanged(const char *before, const char *now, const char *what, int n,
                             const char *failed)
{
    const char *a = before, *b = now, *table = "?";
    int len;

    if (strcmp(before, now) == 0)
        return;
    while (*a && *a == *b) {
        if (strncmp(a, "== ", 3) == 0 && (a == before || a[-1] == '\n'))
            table = a + 3;
        a++;
        b++;
    }
    while (a > before && a[-1] != '\n')
        a--, b--;
    len = (int)strcspn(table, "\n");
    fail_msg("%s, statement %d (%s) failed: table %.*s changed: was \"%.*s\", now \"%.*s\"", what,
             n + 1, failed, len, table, (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

/* ---- the use cases ---- */

#define YEAR 2031 /* a calendar year no announcement was shipped for */

/* The application under test, and what its use cases pass on to one another. */
struct fixture {
    struct rf_app *app;
    struct rf_actor sys;
    struct reader reader;
    char keys[64];
    char code[RF_DOSSIER_CODE_MAX]; /* the dossier the moves act on */
    int version;                    /* as its last move left it */
    int64_t task_id;
};

/* A string member of the JSON object 'text' into 'out'; the integer member 'key' if 'out' NULL. */
static int64_t json_member(const char *text, const char *key, char *out, size_t size)
{
    json_t *root = json_loads(text, 0, NULL), *v;
    int64_t n = 0;

    assert_non_null(root);
    v = json_object_get(root, key);
    assert_non_null(v);
    if (out)
        snprintf(out, size, "%s", json_string_value(v));
    else
        n = json_integer_value(v);
    json_decref(root);
    return n;
}

static int unit_create(struct fixture *r, struct rf_error *err)
{
    struct rf_unit_input in = {"S03", "Sở Tư pháp", "department", 0, "2020-01-01", NULL, 0};
    struct rf_unit u;

    in.parent_id = rf_app_root_unit(r->app);
    return rf_app_unit_create(r->app, &r->sys, &in, &u, err);
}

static int receive(struct fixture *r, struct rf_error *err)
{
    struct rf_dossier_input in = {"T.001", "Nguyễn Văn An", "0912345678", "Hà Tĩnh", NULL, NULL,
                                  NULL};
    struct rf_receipt *x = NULL;
    struct rf_buf out = RF_BUF_INIT;
    int rc = rf_app_dossier_receive_begin(r->app, &r->sys, &in, NULL, NULL, &x, err);

    if (rc == RF_OK)
        rc = rf_app_dossier_receive_end(x, &out, err);
    if (rc == RF_OK) {
        json_member(rf_buf_str(&out), "code", r->code, sizeof(r->code));
        r->version = (int)json_member(rf_buf_str(&out), "version", NULL, 0);
    }
    rf_buf_cleanup(&out);
    return rc;
}

static int act(struct fixture *r, const char *action, struct rf_error *err)
{
    struct rf_buf out = RF_BUF_INIT;
    int rc =
        rf_app_dossier_act(r->app, &r->sys, r->code, action, r->version, NULL, NULL, &out, err);

    if (rc == RF_OK)
        r->version = (int)json_member(rf_buf_str(&out), "version", NULL, 0);
    rf_buf_cleanup(&out);
    return rc;
}

static int hand_over(struct fixture *r, struct rf_error *err)
{
    return act(r, "hand_over", err);
}

static int give_back(struct fixture *r, struct rf_error *err)
{
    return act(r, "return", err);
}

static int report(struct fixture *r, struct rf_error *err)
{
    char today[RF_DATE_LEN];

    rf_app_today(r->app, today);
    return rf_app_task_report(r->app, &r->sys, r->task_id, today, 100, "xong", err);
}

static int complete(struct fixture *r, struct rf_error *err)
{
    char today[RF_DATE_LEN];

    rf_app_today(r->app, today);
    return rf_app_task_complete(r->app, &r->sys, r->task_id, today, err);
}

static int record_year(struct fixture *r, struct rf_error *err)
{
    struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];
    struct rf_buf out = RF_BUF_INIT;
    int n = rf_calendar_proposal(YEAR, days), rc;

    assert_true(n > 5);
    rc =
        rf_app_calendar_record(r->app, &r->sys, YEAR, "Thông báo 01/TB-LĐTBXH", days, n, &out, err);
    rf_buf_cleanup(&out);
    return rc;
}

static int set_hours(struct fixture *r, struct rf_error *err)
{
    struct rf_buf out = RF_BUF_INIT;
    int rc = rf_app_working_hours_set(r->app, &r->sys, "2031-01-01", "07:00-11:30,13:30-17:00",
                                      &out, err);

    rf_buf_cleanup(&out);
    return rc;
}

/* The province, a procedure of two steps at the desk, and a document with a task of its own. */
static void fixture_open(struct fixture *r)
{
    struct rf_app_config cfg = {db_url, 2, NULL, r->keys};
    const char *units = "code,name,kind,parent_code,valid_from,valid_to,successor_code,generated\n"
                        "42,Tỉnh Hà Tĩnh,province,,2020-01-01,,,0\n"
                        "S02,Sở Nội vụ,department,42,2020-01-01,,,0\n";
    const char *procedures =
        "code,version_from,name,field,level,days,hours,fee,online,papers,steps,source\n"
        "T.001,2020-01-01,Thủ tục thử,justice,province,1,,0,none,Tờ khai,"
        "Tiếp nhận|desk|0.5d;Thẩm định|desk|0.5d,test\n";
    struct rf_document_input doc = {"01/KH-UBND", "Ủy ban nhân dân tỉnh", NULL, "Kế hoạch",
                                    "people_committee"};
    struct rf_task_input task = {0};
    struct rf_document d;
    struct rf_error err;
    char today[RF_DATE_LEN];
    int n;

    snprintf(r->keys, sizeof(r->keys), "/tmp/rf-store-keys-%d", (int)getpid());
    cfg.keys_dir = r->keys;
    rf_error_init(&err);
    assert_int_equal(rf_app_open(&cfg, 1, &r->app, &err), RF_OK);
    rf_app_system_actor(r->app, &r->sys);
    assert_int_equal(rf_app_units_import(r->app, &r->sys, units, &n, &err), RF_OK);
    rf_app_system_actor(r->app, &r->sys); /* of the province imported */
    assert_int_equal(rf_app_procedures_import(r->app, &r->sys, procedures, &n, &err), RF_OK);
    rf_app_today(r->app, today);
    doc.issued_on = today;
    assert_int_equal(rf_app_document_create(r->app, &r->sys, &doc, &d, &err), RF_OK);
    task.document_id = d.id;
    task.title = "Số hóa hồ sơ";
    task.lead_unit_id = r->sys.unit_id;
    task.field = "digital_government";
    task.deadline = "2099-12-31";
    assert_int_equal(rf_app_tasks_create(r->app, &r->sys, &task, 1, &r->task_id, &err), RF_OK);
}

static void fixture_close(struct fixture *r)
{
    char path[96];

    rf_app_close(&r->app);
    snprintf(path, sizeof(path), "%s/audit.key", r->keys);
    unlink(path);
    rmdir(r->keys);
}

struct fault_case {
    const char *name;
    int (*run)(struct fixture *r, struct rf_error *err);
    /* run once before, without faults, so that what the use case keeps in memory (procedure
       versions, desks, the working-time tables) is kept already, and every attempt under faults
       runs the same statements; NULL: none needed */
    int (*warm)(struct fixture *r, struct rf_error *err);
};

static int64_t audit_records(struct fixture *r)
{
    struct rf_audit_report report;
    struct rf_error err;

    rf_error_init(&err);
    assert_int_equal(rf_app_audit_verify(r->app, NULL, &report, &err), RF_OK);
    assert_true(report.ok);
    return report.records;
}

static int met(const char *const *trace, int n, const char *sql)
{
    for (int i = 0; i < n; i++)
        if (strncmp(trace[i], sql, strlen(sql)) == 0)
            return 1;
    return 0;
}

/*
 * Run 'c' with its first statement failing, then its second, ... until it
 * succeeds: each failure must be clean and leave every table as it was. Every
 * attempt must run the statements of the one that succeeds, in order, up to
 * the one that failed it, so that each of those statements failed in its
 * turn; among them the change's begin, audit record and commit. Returns how
 * many failed in turn.
 */
static int under_faults(struct fixture *r, const struct fault_case *c)
{
    const char *ran[RF_FAULT_TRACE], *failed[RF_FAULT_TRACE];
    char *before, *now;
    int64_t records;
    int n, nran = 0, rc = RF_ESTORE;
    struct rf_error err;

    rf_error_init(&err);
    if (c->warm)
        assert_int_equal(c->warm(r, &err), RF_OK);
    records = audit_records(r);
    before = snapshot(&r->reader);
    for (n = 0; n < RF_FAULT_TRACE; n++) {
        rf_error_init(&err);
        rf_store_faults_after(n);
        rc = c->run(r, &err);
        nran = rf_store_faults_trace(ran, RF_FAULT_TRACE);
        rf_store_faults_after(-1);
        if (rc == RF_OK)
            break;
        if (nran <= n)
            fail_msg("%s failed (%s) before its statement %d", c->name, rf_err_str(rc), n + 1);
        failed[n] = ran[n];
        for (int i = 0; i < n; i++)
            if (strcmp(ran[i], failed[i]) != 0)
                fail_msg("%s ran \"%.40s\" as statement %d, not \"%.40s\" as before", c->name,
                         ran[i], i + 1, failed[i]);
        if (rc >= 0 || err.n == 0)
            fail_msg("%s, statement %d (%.40s) failed: answered %d without details", c->name, n + 1,
                     ran[n], rc);
        if (getenv("RF_TEST_FAULTS_VERBOSE"))
            print_message("      %2d %-40.40s -> %s: %s\n", n + 1, ran[n], rf_err_str(rc),
                          err.item[0].message);
        now = snapshot(&r->reader);
        assert_unchanged(before, now, c->name, n, ran[n]);
        free(now);
        assert_int_equal(audit_records(r), records);
    }
    assert_int_equal(rc, RF_OK);
    assert_true(nran >= n && nran <= RF_FAULT_TRACE);
    for (int i = 0; i < n; i++) /* the one that succeeded ran the same statements */
        if (strcmp(ran[i], failed[i]) != 0)
            fail_msg("%s ran \"%.40s\" as statement %d, not \"%.40s\" as before", c->name, ran[i],
                     i + 1, failed[i]);
    assert_true(met(failed, n, "BEGIN") && met(failed, n, "COMMIT") &&
                met(failed, n, "INSERT INTO audit "));
    now = snapshot(&r->reader);
    assert_string_not_equal(before, now);
    free(now);
    free(before);
    assert_true(audit_records(r) > records);
    print_message("    %s (%s): each of its %d statements failed in turn, cleanly\n", c->name,
                  backend, n);
    if (nran > n) /* a read after the commit may fail without failing the change */
        print_message("      then it succeeded with its statement %d failed, after its commit: "
                      "%.40s\n",
                      n + 1, ran[n]);
    return n;
}

static void test_faults_leave_nothing_half_written(void **state)
{
    static const struct fault_case cases[] = {
        {"a unit created", unit_create, NULL},
        {"a dossier received", receive, receive},
        {"a dossier handed over to its next step", hand_over, NULL},
        {"a dossier's result handed to the desk after its last step", hand_over, NULL},
        {"a dossier's result returned to the applicant", give_back, NULL},
        {"a task's progress reported at 100%", report, NULL},
        {"a task completed", complete, NULL},
        {"a year's announced days recorded", record_year, NULL},
        {"working hours recorded", set_hours, NULL},
    };
    struct fixture r;
    struct rf_store *s;
    struct rf_dossier d;
    struct rf_error err;
    (void)state;

    memset(&r, 0, sizeof(r));
    fixture_open(&r);
    reader_open(&r.reader);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_true(under_faults(&r, &cases[i]) > 3);
    /* what the successes wrote, once each */
    rf_error_init(&err);
    assert_int_equal(rf_store_open(db_url, &s, &err), RF_OK);
    assert_int_equal(rf_store_dossier_by_code(s, r.sys.province_id, r.code, &d), RF_OK);
    assert_int_equal(d.state, RF_DS_RETURNED);
    assert_int_equal(d.version, 4);
    rf_store_close(&s);
    reader_close(&r.reader);
    fixture_close(&r);
}

int run_faults_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_faults_leave_nothing_half_written, setup, teardown),
    };

    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
