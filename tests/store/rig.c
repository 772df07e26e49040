/*
 * The store suite's rig: the backend under test, a fresh database for each
 * test (a new SQLite file, or a new schema on the PostgreSQL server at
 * $RF_TEST_PG_URL), and builders of the rows most tests start from.
 */
#include "rig.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *backend;
char db_url[512];
static int db_counter;

/* A fresh, empty database for one test: its URL goes to db_url. */
void fresh_db(void)
{
    db_counter++;
    if (strcmp(backend, "sqlite") == 0) {
        char path[256];
        snprintf(path, sizeof(path), "/tmp/rf-store-test-%d-%d.db", (int)getpid(), db_counter);
        unlink(path);
        snprintf(db_url, sizeof(db_url), "sqlite:%s", path);
        return;
    }
    const char *base = getenv("RF_TEST_PG_URL");
    char sql[256];
    PGconn *pg;
    PGresult *res;

    assert_non_null(base);
    pg = PQconnectdb(base);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    snprintf(sql, sizeof(sql),
             "SET client_min_messages = warning; DROP SCHEMA IF EXISTS t%d_%d CASCADE;"
             " CREATE SCHEMA t%d_%d",
             (int)getpid(), db_counter, (int)getpid(), db_counter);
    res = PQexec(pg, sql);
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(pg);
    snprintf(db_url, sizeof(db_url), "%s%soptions=-csearch_path%%3Dt%d_%d", base,
             strchr(base, '?') ? "&" : "?", (int)getpid(), db_counter);
}

int setup(void **state)
{
    struct rf_store *s = NULL;
    struct rf_error err;

    fresh_db();
    rf_error_init(&err);
    assert_int_equal(rf_store_open(db_url, &s, &err), RF_OK);
    assert_int_equal(rf_store_migrate(s, NULL, &err), RF_OK);
    *state = s;
    return 0;
}

int teardown(void **state)
{
    struct rf_store *s = *state;

    rf_store_close(&s);
    if (strcmp(backend, "sqlite") == 0) {
        char path[600];
        snprintf(path, sizeof(path), "%s", db_url + 7);
        unlink(path);
        strncat(path, "-wal", sizeof(path) - strlen(path) - 1);
        unlink(path);
    }
    return 0;
}

static int first_number(void *ctx, int ncols, char **values, char **names)
{
    (void)names;
    if (ncols > 0 && values[0] && *(int64_t *)ctx == 0)
        *(int64_t *)ctx = strtoll(values[0], NULL, 10);
    return 0;
}

int64_t raw_sql(const char *sql)
{
    int64_t n = 0;

    if (strcmp(backend, "sqlite") == 0) {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(db_url + strlen("sqlite:"), &db), SQLITE_OK);
        sqlite3_busy_timeout(db, 10000);
        assert_int_equal(sqlite3_exec(db, sql, first_number, &n, NULL), SQLITE_OK);
        sqlite3_close(db);
    } else {
        PGconn *pg = PQconnectdb(db_url);
        PGresult *res;
        assert_int_equal(PQstatus(pg), CONNECTION_OK);
        res = PQexec(pg, sql);
        assert_true(PQresultStatus(res) == PGRES_TUPLES_OK ||
                    PQresultStatus(res) == PGRES_COMMAND_OK);
        if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) > 0 &&
            !PQgetisnull(res, 0, 0))
            n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        PQclear(res);
        PQfinish(pg);
    }
    return n;
}

int64_t province(struct rf_store *s, const char *code)
{
    struct rf_province p;

    memset(&p, 0, sizeof(p));
    snprintf(p.code, sizeof(p.code), "%s", code);
    snprintf(p.name, sizeof(p.name), "Tỉnh %s", code);
    assert_int_equal(rf_store_province_insert(s, &p), RF_OK);
    return p.id;
}

int64_t unit(struct rf_store *s, int64_t prov, const char *code, const char *name,
             enum rf_unit_kind kind, int64_t parent, const char *from, const char *to)
{
    struct rf_unit u;

    memset(&u, 0, sizeof(u));
    u.province_id = prov;
    snprintf(u.code, sizeof(u.code), "%s", code);
    snprintf(u.name, sizeof(u.name), "%s", name);
    u.kind = kind;
    u.parent_id = parent;
    snprintf(u.valid_from, sizeof(u.valid_from), "%s", from);
    snprintf(u.valid_to, sizeof(u.valid_to), "%s", to ? to : "");
    assert_int_equal(rf_store_unit_insert(s, &u), RF_OK);
    assert_true(u.id > 0);
    return u.id;
}

int collect(void *ctx, const struct rf_unit *u)
{
    struct seen *seen = ctx;

    if (seen->n < 64) {
        seen->id[seen->n] = u->id;
        seen->depth[seen->n] = u->depth;
        seen->parent[seen->n] = u->parent_id;
    }
    seen->n++;
    return 0;
}

struct seen list(struct rf_store *s, int64_t prov, int64_t root, const char *date, const char *text,
                 int skip_root, int max_depth)
{
    struct rf_unit_query q;
    struct seen seen;

    memset(&q, 0, sizeof(q));
    memset(&seen, 0, sizeof(seen));
    q.province_id = prov;
    q.root_id = root;
    q.date = date;
    q.text_fold = text;
    q.skip_root = skip_root;
    q.max_depth = max_depth;
    assert_int_equal(rf_store_units_list(s, &q, collect, &seen), RF_OK);
    return seen;
}

struct tree small_tree(struct rf_store *s)
{
    struct tree t;

    t.prov = province(s, "42");
    t.p = unit(s, t.prov, "42", "Tỉnh Hà Tĩnh", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    t.d =
        unit(s, t.prov, "436", "Thành phố Hà Tĩnh", RF_UNIT_CITY, t.p, "2020-01-01", "2025-07-01");
    t.c1 = unit(s, t.prov, "18070", "Phường Trần Phú", RF_UNIT_WARD, t.d, "2020-01-01", NULL);
    t.c2 = unit(s, t.prov, "18073", "Phường Nam Hà", RF_UNIT_WARD, t.d, "2020-01-01", "2025-07-01");
    t.s = unit(s, t.prov, "S02", "Sở Nội vụ", RF_UNIT_DEPARTMENT, t.p, "2020-01-01", NULL);
    t.n = unit(s, t.prov, "N1", "Phường Thành Sen", RF_UNIT_WARD, t.p, "2025-07-01", NULL);
    assert_int_equal(rf_store_unit_move(s, t.prov, t.c1, t.p, "2025-07-01"), RF_OK);
    return t;
}

void audit(struct rf_store *s, int64_t prov, const char *action, const char *after)
{
    struct rf_audit_record r;

    memset(&r, 0, sizeof(r));
    r.province_id = prov;
    r.at = 1700000000;
    r.actor_id = 3;
    r.actor = "admin";
    r.action = action;
    r.entity = "unit";
    r.entity_id = "5";
    r.after = after;
    assert_int_equal(rf_store_audit_append(s, &r), RF_OK);
}

struct rf_task task_of(const struct tree *t, int64_t doc, const char *title, int64_t lead,
                       const char *field, const char *deadline)
{
    struct rf_task x;

    memset(&x, 0, sizeof(x));
    x.province_id = t->prov;
    x.document_id = doc;
    snprintf(x.title, sizeof(x.title), "%s", title);
    snprintf(x.assigning_body, sizeof(x.assigning_body), "government");
    x.lead_unit_id = lead;
    snprintf(x.field, sizeof(x.field), "%s", field);
    snprintf(x.assigned_on, sizeof(x.assigned_on), "2023-01-10");
    snprintf(x.deadline, sizeof(x.deadline), "%s", deadline ? deadline : "");
    return x;
}

int64_t task(struct rf_store *s, struct tree *t, int64_t doc, const char *title, int64_t lead,
             const char *field, const char *deadline, int64_t coordinating)
{
    struct rf_task x = task_of(t, doc, title, lead, field, deadline);

    assert_int_equal(rf_store_task_insert(s, &x, &coordinating, coordinating ? 1 : 0, 1), RF_OK);
    return x.id;
}

void stretch_open(struct rf_store *s, int deferred)
{
    assert_int_equal(rf_store_savepoint(s, "stretch"), RF_OK);
    assert_int_equal(rf_store_defer_begin(s), deferred ? RF_OK : RF_EINVAL);
}
