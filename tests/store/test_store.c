/*
 * The storage conformance suite: every test runs against a fresh database of
 * the backend named by argv[1], "sqlite" (a new file) or "postgresql" (a new
 * schema on the server at $RF_TEST_PG_URL). Also the application's
 * all-or-nothing guarantee under injected storage faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/app/app.h"
#include "../../src/store/store.h"

static const char *backend;
static char db_url[512];
static int db_counter;

/* A fresh, empty database for one test: its URL goes to db_url. */
static void fresh_db(void)
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

static int setup(void **state)
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

static int teardown(void **state)
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

/* ---- helpers ---- */

static int64_t province(struct rf_store *s, const char *code)
{
    struct rf_province p;

    memset(&p, 0, sizeof(p));
    snprintf(p.code, sizeof(p.code), "%s", code);
    snprintf(p.name, sizeof(p.name), "Tỉnh %s", code);
    assert_int_equal(rf_store_province_insert(s, &p), RF_OK);
    return p.id;
}

static int64_t unit(struct rf_store *s, int64_t prov, const char *code, const char *name,
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

struct seen {
    int64_t id[64];
    int depth[64];
    int64_t parent[64];
    int n;
};

static int collect(void *ctx, const struct rf_unit *u)
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

static struct seen list(struct rf_store *s, int64_t prov, int64_t root, const char *date,
                        const char *text, int skip_root, int max_depth)
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

/* A small province: P > district D (until 2025-07-01) > communes C1, C2;
 * P > department S; from 2025-07-01 C1 sits under P, C2 merged into new N. */
struct tree {
    int64_t prov, p, d, c1, c2, s, n;
};

static struct tree small_tree(struct rf_store *s)
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

/* ---- tests ---- */

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

static void test_province_code_unique(void **state)
{
    struct rf_store *s = *state;
    struct rf_province p, got;

    province(s, "42");
    memset(&p, 0, sizeof(p));
    snprintf(p.code, sizeof(p.code), "42");
    snprintf(p.name, sizeof(p.name), "again");
    assert_int_equal(rf_store_province_insert(s, &p), RF_ECONFLICT);
    assert_int_equal(rf_store_province_get(s, NULL, &got), RF_OK);
    assert_string_equal(got.code, "42");
    assert_int_equal(rf_store_province_get(s, "99", &got), RF_ENOTFOUND);
}

static void test_unit_code_unique_within_province(void **state)
{
    struct rf_store *s = *state;
    int64_t a = province(s, "42"), b = province(s, "40");
    struct rf_unit u;

    unit(s, a, "42", "Tỉnh Hà Tĩnh", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    unit(s, b, "42", "another province may reuse a code", RF_UNIT_DEPARTMENT, 0, "2020-01-01",
         NULL);
    memset(&u, 0, sizeof(u));
    u.province_id = a;
    snprintf(u.code, sizeof(u.code), "42");
    snprintf(u.name, sizeof(u.name), "duplicate");
    snprintf(u.valid_from, sizeof(u.valid_from), "2020-01-01");
    assert_int_equal(rf_store_unit_insert(s, &u), RF_ECONFLICT);
}

static void test_subtree_follows_the_date(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct seen then = list(s, t.prov, t.p, "2023-06-30", NULL, 0, 0);
    struct seen now = list(s, t.prov, t.p, "2026-01-01", NULL, 0, 0);
    struct rf_unit u;

    /* 2023: P, D, C1, C2, S (N not yet) */
    assert_int_equal(then.n, 5);
    /* 2026: P, C1 (now under P), S, N */
    assert_int_equal(now.n, 4);
    for (int i = 0; i < now.n; i++) {
        assert_true(now.id[i] != t.d && now.id[i] != t.c2);
        if (now.id[i] == t.c1) {
            assert_int_equal(now.depth[i], 1);
            assert_int_equal(now.parent[i], t.p);
        }
    }
    for (int i = 0; i < then.n; i++)
        if (then.id[i] == t.c1) {
            assert_int_equal(then.depth[i], 2);
            assert_int_equal(then.parent[i], t.d);
        }
    /* the district's own subtree in 2023, and nothing of it in 2026 */
    assert_int_equal(list(s, t.prov, t.d, "2023-06-30", NULL, 0, 0).n, 3);
    assert_int_equal(list(s, t.prov, t.d, "2026-01-01", NULL, 0, 0).n, 0);
    /* children only */
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", NULL, 1, 1).n, 2);
    /* the day before and the day of the change */
    assert_int_equal(rf_store_unit_get(s, t.prov, t.c1, "2025-06-30", &u), RF_OK);
    assert_int_equal(u.parent_id, t.d);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.c1, "2025-07-01", &u), RF_OK);
    assert_int_equal(u.parent_id, t.p);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.p, "2023-06-30", &u), RF_OK);
    assert_int_equal(u.children, 2);
}

static void test_search_folds_diacritics(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);

    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "ha tinh", 0, 0).n, 2);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "tran phu", 0, 0).n, 1);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "noi vu", 0, 0).n, 1);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "1807", 0, 0).n, 2); /* codes */
    /* LIKE's own characters are literal */
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "%", 0, 0).n, 0);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "_", 0, 0).n, 0);
}

static void test_paging_by_cursor(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_unit_query q;
    struct seen a, b;

    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.root_id = t.p;
    q.date = "2023-06-30";
    q.limit = 3;
    memset(&a, 0, sizeof(a));
    assert_int_equal(rf_store_units_list(s, &q, collect, &a), RF_OK);
    assert_int_equal(a.n, 3);
    q.after_id = a.id[2];
    memset(&b, 0, sizeof(b));
    assert_int_equal(rf_store_units_list(s, &q, collect, &b), RF_OK);
    assert_int_equal(b.n, 2);
    assert_true(b.id[0] > a.id[2]);
}

static int count_link(void *ctx, const struct rf_unit_link *l)
{
    (void)l;
    (*(int *)ctx)++;
    return 0;
}

static void test_move_splits_periods(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int links = 0, within = 0;

    assert_int_equal(rf_store_unit_links(s, t.c1, count_link, &links), RF_OK);
    assert_int_equal(links, 2);
    assert_int_equal(rf_store_unit_within(s, t.d, t.c1, "2024-01-01", &within), RF_OK);
    assert_true(within);
    assert_int_equal(rf_store_unit_within(s, t.d, t.c1, "2025-07-01", &within), RF_OK);
    assert_false(within);
    assert_int_equal(rf_store_unit_within(s, t.p, t.c1, "2025-07-01", &within), RF_OK);
    assert_true(within);
    assert_int_equal(rf_store_unit_within(s, t.s, t.c1, "2024-01-01", &within), RF_OK);
    assert_false(within);
    /* on any date: C1 was under D, never under S */
    assert_int_equal(rf_store_unit_within_ever(s, t.d, t.c1, &within), RF_OK);
    assert_true(within);
    assert_int_equal(rf_store_unit_within_ever(s, t.s, t.c1, &within), RF_OK);
    assert_false(within);
    /* moving on the first day of a period replaces its parent, adds no period */
    assert_int_equal(rf_store_unit_move(s, t.prov, t.c1, t.s, "2025-07-01"), RF_OK);
    links = 0;
    assert_int_equal(rf_store_unit_links(s, t.c1, count_link, &links), RF_OK);
    assert_int_equal(links, 2);
}

static void test_ending_clips_periods(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_unit u;
    int64_t later = 0, version_before = 0, version_after = 0;

    assert_int_equal(rf_store_units_version(s, t.prov, &version_before), RF_OK);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.s, "2024-01-01", &u), RF_OK);
    snprintf(u.valid_to, sizeof(u.valid_to), "2024-01-01");
    assert_int_equal(rf_store_unit_update(s, &u), RF_OK);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.s, "2024-01-01", &u), RF_OK);
    assert_int_equal(u.parent_id, 0);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.s, "2023-12-31", &u), RF_OK);
    assert_int_equal(u.parent_id, t.p);
    assert_int_equal(rf_store_unit_children_after(s, t.d, "2025-07-01", &later), RF_OK);
    assert_int_equal(later, 0);
    assert_int_equal(rf_store_unit_children_after(s, t.d, "2025-06-30", &later), RF_OK);
    assert_int_equal(later, 2);
    assert_int_equal(rf_store_units_version(s, t.prov, &version_after), RF_OK);
    assert_true(version_after > version_before);
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

static int64_t user(struct rf_store *s, int64_t prov, int64_t unit_id, const char *name,
                    unsigned roles)
{
    struct rf_user u;

    memset(&u, 0, sizeof(u));
    u.province_id = prov;
    u.unit_id = unit_id;
    snprintf(u.username, sizeof(u.username), "%s", name);
    snprintf(u.full_name, sizeof(u.full_name), "Nguyễn Văn %s", name);
    u.roles = roles;
    snprintf(u.password_hash, sizeof(u.password_hash), "$argon2id$not-a-real-hash");
    assert_int_equal(rf_store_user_insert(s, &u), RF_OK);
    return u.id;
}

static int count_user(void *ctx, const struct rf_user *u)
{
    (void)u;
    (*(int *)ctx)++;
    return 0;
}

static void test_users(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_user u, dup;
    struct rf_user_query q;
    int n = 0;
    int64_t id = user(s, t.prov, t.c1, "focal.c1", RF_ROLE_FOCAL);

    user(s, t.prov, t.s, "focal.s", RF_ROLE_FOCAL);
    assert_int_equal(rf_store_user_get_by_name(s, "focal.c1", &u), RF_OK);
    assert_int_equal(u.id, id);
    assert_string_equal(u.unit_code, "18070");
    assert_int_equal(u.roles, RF_ROLE_FOCAL);
    assert_int_equal(rf_store_user_get_by_name(s, "nobody", &u), RF_ENOTFOUND);
    memset(&dup, 0, sizeof(dup));
    dup.province_id = t.prov;
    dup.unit_id = t.s;
    snprintf(dup.username, sizeof(dup.username), "focal.c1");
    snprintf(dup.full_name, sizeof(dup.full_name), "x");
    assert_int_equal(rf_store_user_insert(s, &dup), RF_ECONFLICT);

    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.root_id = t.d;
    assert_int_equal(rf_store_users_list(s, &q, count_user, &n), RF_OK);
    assert_int_equal(n, 1); /* only the district's ward */
    q.all_units = 1;
    n = 0;
    assert_int_equal(rf_store_users_list(s, &q, count_user, &n), RF_OK);
    assert_int_equal(n, 2);
    q.text_fold = "nguyen van focal.s";
    n = 0;
    assert_int_equal(rf_store_users_list(s, &q, count_user, &n), RF_OK);
    assert_int_equal(n, 1);

    u.disabled = 1;
    u.roles = RF_ROLE_FOCAL | RF_ROLE_CLERK;
    assert_int_equal(rf_store_user_update(s, &u), RF_OK);
    assert_int_equal(rf_store_user_get(s, t.prov, id, &u), RF_OK);
    assert_int_equal(u.disabled, 1);
    assert_int_equal(u.roles, RF_ROLE_FOCAL | RF_ROLE_CLERK);
}

static void test_sessions(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int64_t uid = user(s, t.prov, t.s, "someone", RF_ROLE_LEADER);
    struct rf_session x, got;
    struct rf_user u;

    memset(&x, 0, sizeof(x));
    x.province_id = t.prov;
    x.user_id = uid;
    x.kind = RF_SESSION_COOKIE;
    snprintf(x.token_hash, sizeof(x.token_hash), "%064d", 7);
    snprintf(x.csrf, sizeof(x.csrf), "csrf");
    x.created_at = x.last_seen_at = 1000;
    assert_int_equal(rf_store_session_insert(s, &x), RF_OK);
    assert_int_equal(rf_store_session_find(s, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.user_id, uid);
    assert_int_equal(got.ended_at, 0);
    assert_string_equal(u.username, "someone");
    assert_int_equal(rf_store_session_touch(s, x.id, 2000), RF_OK);
    assert_int_equal(rf_store_session_find(s, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.last_seen_at, 2000);
    assert_int_equal(rf_store_sessions_end_user(s, uid, RF_SESSION_BEARER, 3000), RF_OK);
    assert_int_equal(rf_store_session_find(s, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.ended_at, 0); /* only bearer tokens ended */
    assert_int_equal(rf_store_sessions_end_user(s, uid, RF_SESSION_COOKIE, 3000), RF_OK);
    assert_int_equal(rf_store_session_find(s, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.ended_at, 3000);
    assert_int_equal(rf_store_session_find(s, "nope", &got, &u), RF_ENOTFOUND);
}

struct chain {
    int n;
    char prev[RF_AUDIT_HASH_HEX];
    int broken;
};

static int walk(void *ctx, const struct rf_audit_row *row)
{
    struct chain *c = ctx;
    char hash[RF_AUDIT_HASH_HEX];

    c->n++;
    if (row->rec.seq != c->n || strcmp(row->rec.prev_hash, c->prev) != 0)
        c->broken = 1;
    rf_audit_hash(&row->rec, NULL, hash);
    if (strcmp(hash, row->hash) != 0)
        c->broken = 1;
    snprintf(c->prev, sizeof(c->prev), "%s", row->hash);
    return 0;
}

static void audit(struct rf_store *s, int64_t prov, const char *action, const char *after)
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

/* Attempt counters: counted per kind and key, a window that ended starts anew, old ones go. */
static void test_attempts(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_attempts a;

    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", 1000 + i, 900),
                         RF_OK);
    assert_int_equal(rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_ADDRESS, "x", 1000, 900), RF_OK);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 3);
    assert_int_equal(a.window_start, 1000); /* the window starts at the first failure */
    /* the same key of another kind, and another key, count apart */
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ADDRESS, "x", &a), RF_OK);
    assert_int_equal(a.failures, 1);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "y", &a), RF_OK);
    assert_int_equal(a.failures, 0);
    /* a failure after the window ends starts a new one; the ended address counter is removed */
    assert_int_equal(rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", 1900, 900), RF_OK);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 1);
    assert_int_equal(a.window_start, 1900);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ADDRESS, "x", &a), RF_OK);
    assert_int_equal(a.failures, 0);
    /* cleared on a good sign-in */
    assert_int_equal(rf_store_attempts_clear(s, t.prov, RF_ATTEMPT_ACCOUNT, "x"), RF_OK);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 0);
}

static void test_audit_chain(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42"), seq = 0;
    struct rf_audit_query q;
    struct chain c;
    char head[RF_AUDIT_HASH_HEX];

    audit(s, prov, "create", "{\"name\":\"Sở Nội vụ\"}");
    audit(s, prov, "update", NULL);
    /* a rolled-back change leaves no record and the head where it was */
    assert_int_equal(rf_store_begin(s), RF_OK);
    audit(s, prov, "update", "{}");
    rf_store_rollback(s);
    audit(s, prov, "delete", NULL);

    memset(&q, 0, sizeof(q));
    q.province_id = prov;
    memset(&c, 0, sizeof(c));
    snprintf(c.prev, sizeof(c.prev), "%s", RF_AUDIT_GENESIS);
    assert_int_equal(rf_store_audit_list(s, &q, walk, &c), RF_OK);
    assert_int_equal(c.n, 3);
    assert_false(c.broken);
    assert_int_equal(rf_store_audit_head(s, prov, &seq, head), RF_OK);
    assert_int_equal(seq, 3);
    assert_string_equal(head, c.prev);
    /* filters */
    q.entity = "task";
    memset(&c, 0, sizeof(c));
    assert_int_equal(rf_store_audit_list(s, &q, walk, &c), RF_OK);
    assert_int_equal(c.n, 0);
}

static void test_large_subtree(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42");
    int64_t root, district = 0;
    char code[32];
    struct seen all;

    assert_int_equal(rf_store_begin(s), RF_OK);
    root = unit(s, prov, "42", "Tỉnh", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    for (int i = 0; i < 20000; i++) {
        if (i % 200 == 0) {
            snprintf(code, sizeof(code), "D%d", i);
            district = unit(s, prov, code, "Huyện", RF_UNIT_DISTRICT, root, "2020-01-01", NULL);
            continue;
        }
        snprintf(code, sizeof(code), "C%d", i);
        unit(s, prov, code, "Xã", RF_UNIT_COMMUNE, district, "2020-01-01", NULL);
    }
    assert_int_equal(rf_store_commit(s), RF_OK);
    all = list(s, prov, root, "2023-01-01", NULL, 0, 0);
    assert_int_equal(all.n, 20001);
    assert_int_equal(list(s, prov, root, "2023-01-01", NULL, 1, 1).n, 100);
}

/* ---- documents and tasks ---- */

struct task_seen {
    int n;
    int64_t id[16];
    int deadlines[16];
    char last_deadline[16][RF_DATE_LEN];
};

static int collect_task(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl,
                        int n)
{
    struct task_seen *seen = ctx;

    if (seen->n < 16) {
        seen->id[seen->n] = t->id;
        seen->deadlines[seen->n] = n;
        snprintf(seen->last_deadline[seen->n], RF_DATE_LEN, "%s", n ? dl[n - 1].deadline : "");
    }
    seen->n++;
    return 0;
}

static int64_t task(struct rf_store *s, struct tree *t, int64_t doc, const char *title,
                    int64_t lead, const char *field, const char *deadline, int64_t coordinating)
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
    assert_int_equal(rf_store_task_insert(s, &x, &coordinating, coordinating ? 1 : 0, 1), RF_OK);
    return x.id;
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

static void test_tasks(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_document d, got;
    struct rf_task_query q;
    struct task_seen seen;
    struct rf_task_deadline ext;
    int64_t a, b, c;

    memset(&d, 0, sizeof(d));
    d.province_id = t.prov;
    snprintf(d.number, sizeof(d.number), "01/NQ-CP");
    snprintf(d.issuer, sizeof(d.issuer), "Chính phủ");
    snprintf(d.issued_on, sizeof(d.issued_on), "2023-01-06");
    snprintf(d.title, sizeof(d.title), "Nghị quyết về nhiệm vụ, giải pháp chủ yếu năm 2023");
    snprintf(d.assigning_body, sizeof(d.assigning_body), "government");
    assert_int_equal(rf_store_document_insert(s, &d), RF_OK);
    assert_int_equal(rf_store_document_insert(s, &d), RF_ECONFLICT);

    a = task(s, &t, d.id, "Số hóa hồ sơ", t.c1, "digital_government", "2023-12-31", t.s);
    b = task(s, &t, d.id, "Rà soát thủ tục", t.s, "procedures", NULL, 0);
    c = task(s, &t, d.id, "Sắp xếp bộ máy", t.c2, "apparatus", "2023-06-30", 0);
    assert_int_equal(rf_store_document_get_by_number(s, t.prov, "01/NQ-CP", &got), RF_OK);
    assert_int_equal(got.tasks, 3);

    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.all_units = 1;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.deadlines[1], 1);
    assert_string_equal(seen.last_deadline[1], ""); /* a standing task */

    /* the district's scope: its two wards' tasks; the department coordinates a */
    q.all_units = 0;
    q.scope_root_id = t.d;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2);
    q.scope_root_id = t.s;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2); /* leads b, coordinates a */

    /* filters */
    q.all_units = 1;
    q.lead_unit_id = t.d;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2);
    q.lead_unit_id = 0;
    q.field = "procedures";
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.id[0], b);
    q.field = NULL;
    q.text_fold = "so hoa";
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    q.text_fold = NULL;
    q.limit = 2;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2);
    q.after_id = seen.id[1];
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.id[0], c);

    /* an extension joins the history and becomes the latest deadline */
    memset(&ext, 0, sizeof(ext));
    snprintf(ext.set_on, sizeof(ext.set_on), "2023-06-01");
    snprintf(ext.deadline, sizeof(ext.deadline), "2023-09-30");
    snprintf(ext.reason, sizeof(ext.reason), "chờ hướng dẫn của Bộ");
    ext.set_by = 1;
    assert_int_equal(rf_store_task_deadline_add(s, c, &ext, 100), RF_OK);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_task_get(s, t.prov, c, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.deadlines[0], 2);
    assert_string_equal(seen.last_deadline[0], "2023-09-30");
    assert_int_equal(rf_store_task_get(s, t.prov, 999999, collect_task, &seen), RF_ENOTFOUND);
    (void)a;
}

/* ---- the application under storage faults: every failure leaves nothing half-written ---- */

struct calendar_seen {
    struct rf_calendar_day days[8];
    struct rf_calendar_year_record years[4];
    struct rf_hours hours[4];
    int ndays, nyears, nhours;
};

static int calendar_day_seen(void *ctx, const struct rf_calendar_day *d)
{
    struct calendar_seen *c = ctx;

    if (c->ndays < 8)
        c->days[c->ndays++] = *d;
    return 0;
}

static int calendar_year_seen(void *ctx, const struct rf_calendar_year_record *y)
{
    struct calendar_seen *c = ctx;

    if (c->nyears < 4)
        c->years[c->nyears++] = *y;
    return 0;
}

static int hours_seen(void *ctx, const struct rf_hours *h, int64_t by, int64_t at)
{
    struct calendar_seen *c = ctx;

    (void)by;
    assert_int_equal(at, 1700000000);
    if (c->nhours < 4)
        c->hours[c->nhours++] = *h;
    return 0;
}

/* A recorded year replaces the one before whole; every change moves the version. */
static void test_calendar(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42"), v0, v1, v2;
    struct rf_calendar_day days[3] = {
        {{2026, 8, 31}, RF_DAY_SWAP_OFF, "Nghỉ hoán đổi", "Công văn 9859/VPCP-KGVX"},
        {{2026, 8, 22}, RF_DAY_MAKEUP, "Làm bù cho ngày 31/08/2026", "Công văn 9859/VPCP-KGVX"},
        {{2026, 9, 1}, RF_DAY_HOLIDAY, "Quốc khánh", "Bộ luật Lao động 2019, Điều 112"},
    };
    struct rf_calendar_year_record y = {2026, "Công văn 9859/VPCP-KGVX", 0, 1700000000}, got;
    struct calendar_seen seen;
    struct rf_hours h;

    assert_int_equal(rf_store_calendar_version(s, prov, &v0), RF_OK);
    assert_int_equal(rf_store_calendar_year_get(s, prov, 2026, &got), RF_ENOTFOUND);
    assert_int_equal(rf_store_calendar_year_put(s, prov, &y, days, 3), RF_OK);
    assert_int_equal(rf_store_calendar_version(s, prov, &v1), RF_OK);
    assert_true(v1 > v0);
    assert_int_equal(rf_store_calendar_year_get(s, prov, 2026, &got), RF_OK);
    assert_string_equal(got.source, y.source);
    assert_int_equal(got.recorded_at, 1700000000);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_calendar_days(s, prov, 2026, 2026, calendar_day_seen, &seen), RF_OK);
    assert_int_equal(seen.ndays, 3);
    /* by date, kind and text kept */
    assert_int_equal(seen.days[0].date.day, 22);
    assert_int_equal(seen.days[0].kind, RF_DAY_MAKEUP);
    assert_string_equal(seen.days[0].name, "Làm bù cho ngày 31/08/2026");
    assert_int_equal(seen.days[2].kind, RF_DAY_HOLIDAY);
    assert_string_equal(seen.days[2].source, "Bộ luật Lao động 2019, Điều 112");
    /* recorded again with one day: the year is replaced, not merged */
    assert_int_equal(rf_store_calendar_year_put(s, prov, &y, days + 2, 1), RF_OK);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_calendar_days(s, prov, 2025, 2027, calendar_day_seen, &seen), RF_OK);
    assert_int_equal(seen.ndays, 1);
    y.year = 2027;
    assert_int_equal(rf_store_calendar_year_put(s, prov, &y, NULL, 0), RF_OK);
    assert_int_equal(rf_store_calendar_years(s, prov, 2000, 2100, calendar_year_seen, &seen),
                     RF_OK);
    assert_int_equal(seen.nyears, 2);
    assert_int_equal(seen.years[0].year, 2026);
    assert_int_equal(seen.years[1].year, 2027);
    /* working hours by the day they start; the same day again replaces them */
    rf_hours_default(&h, (struct rf_date){2027, 1, 1});
    assert_int_equal(rf_store_working_hours_put(s, prov, &h, 0, 1700000000), RF_OK);
    assert_int_equal(rf_hours_parse("07:30-11:30,13:00-16:30", &h), RF_OK);
    assert_int_equal(rf_store_working_hours_put(s, prov, &h, 0, 1700000000), RF_OK);
    h.from = (struct rf_date){2026, 1, 1};
    assert_int_equal(rf_store_working_hours_put(s, prov, &h, 0, 1700000000), RF_OK);
    assert_int_equal(rf_store_working_hours(s, prov, hours_seen, &seen), RF_OK);
    assert_int_equal(seen.nhours, 2);
    assert_int_equal(seen.hours[0].from.year, 2026);
    assert_int_equal(seen.hours[1].start[0], 7 * 60 + 30);
    assert_int_equal(rf_store_calendar_version(s, prov, &v2), RF_OK);
    assert_int_equal(v2, v1 + 5);
}

static int count_metric(void *ctx, const char *field, const char *level, const char *metric,
                        int64_t n)
{
    int64_t *sum = ctx;

    (void)field;
    (void)level;
    if (strcmp(metric, "received") == 0)
        *sum += n;
    return 0;
}

static int procedure_seen(void *ctx, const struct rf_procedure *p)
{
    char *codes = ctx;

    strcat(codes, p->code);
    strcat(codes,
           p->version_from[0] == '2' && strcmp(p->version_from, "2025-07-01") == 0 ? "+" : " ");
    return 0;
}

/* Procedure versions by date, code sequences per desk and day, optimistic updates, counters. */
static int count_dossier(void *ctx, const struct rf_dossier *d)
{
    (void)d;
    ++*(int64_t *)ctx;
    return 0;
}

static void test_dossiers(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_procedure *p = calloc(1, sizeof(*p)), *got = calloc(1, sizeof(*got));
    struct rf_procedure_query q;
    struct rf_dossier d, e;
    struct rf_dossier_count_key k = {t.prov,         t.c1,      "2026-02-13",
                                     "civil_status", "commune", "received"};
    char codes[128] = "";
    int64_t seq, sum = 0, chain[8];
    int nchain = 0;

    p->province_id = t.prov;
    snprintf(p->code, sizeof(p->code), "1.001193");
    snprintf(p->version_from, sizeof(p->version_from), "2023-01-01");
    snprintf(p->name, sizeof(p->name), "Đăng ký khai sinh");
    snprintf(p->field, sizeof(p->field), "civil_status");
    snprintf(p->level, sizeof(p->level), "commune");
    p->days = 1;
    snprintf(p->online, sizeof(p->online), "full");
    p->nsteps = 2;
    snprintf(p->steps[0].name, sizeof(p->steps[0].name), "Tiếp nhận");
    snprintf(p->steps[0].unit_ref, sizeof(p->steps[0].unit_ref), "desk");
    p->steps[0].minutes = 120;
    snprintf(p->steps[1].name, sizeof(p->steps[1].name), "Ký");
    snprintf(p->steps[1].unit_ref, sizeof(p->steps[1].unit_ref), "commune");
    p->steps[1].minutes = 360;
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    assert_int_equal(rf_store_procedure_insert(s, p), RF_ECONFLICT);
    snprintf(p->version_from, sizeof(p->version_from), "2025-07-01");
    p->days = 2;
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    /* the version in force on a day */
    assert_int_equal(rf_store_procedure_in_force(s, t.prov, "1.001193", "2025-06-30", &seq), RF_OK);
    assert_int_equal(rf_store_procedure_get(s, t.prov, seq, got), RF_OK);
    assert_int_equal(got->days, 1);
    assert_int_equal(got->nsteps, 2);
    assert_string_equal(got->steps[1].unit_ref, "commune");
    assert_int_equal(rf_store_procedure_in_force(s, t.prov, "1.001193", "2025-07-01", &seq), RF_OK);
    assert_int_equal(rf_store_procedure_get(s, t.prov, seq, got), RF_OK);
    assert_int_equal(got->days, 2);
    assert_int_equal(rf_store_procedure_in_force(s, t.prov, "1.001193", "2022-12-31", &seq),
                     RF_ENOTFOUND);
    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.date = "2026-01-01";
    q.text_fold = "khai sinh";
    assert_int_equal(rf_store_procedures_list(s, &q, procedure_seen, codes), RF_OK);
    assert_string_equal(codes, "1.001193+"); /* one version in force, the later */
    /* a sequence per desk and day */
    assert_int_equal(rf_store_dossier_next_seq(s, t.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(rf_store_dossier_next_seq(s, t.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 2);
    assert_int_equal(rf_store_dossier_next_seq(s, t.c1, "2026-02-14", &seq), RF_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(rf_store_dossier_next_seq(s, t.s, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    /* a dossier, changed only at the version read */
    memset(&d, 0, sizeof(d));
    d.province_id = t.prov;
    snprintf(d.code, sizeof(d.code), "18070-260213-0001");
    d.procedure_id = got->id;
    d.desk_unit_id = t.c1;
    snprintf(d.channel, sizeof(d.channel), "desk");
    snprintf(d.applicant_name, sizeof(d.applicant_name), "Nguyễn Văn An");
    snprintf(d.applicant_phone, sizeof(d.applicant_phone), "0912345678");
    d.state = RF_DS_PROCESSING;
    d.step_unit_id = t.c1;
    d.received_at = 1770948000;
    d.due_at = d.appointment_at = 1771840800;
    snprintf(d.lookup_hash, sizeof(d.lookup_hash), "%064d", 0);
    d.version = 1;
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_ECONFLICT); /* codes are unique */
    assert_int_equal(rf_store_dossier_by_code(s, "18070-260213-0001", &e), RF_OK);
    assert_int_equal(e.id, d.id);
    assert_int_equal(e.state, RF_DS_PROCESSING);
    {
        /* the public lookup's one read: the address's misses whether or not the code is there */
        struct rf_attempts misses;
        char office[RF_NAME_BYTES];
        assert_int_equal(rf_store_dossier_lookup(s, t.prov, "10.0.0.1", "18070-260213-0001",
                                                 &misses, &e, office),
                         RF_OK);
        assert_int_equal(e.id, d.id);
        assert_int_equal(misses.failures, 0);
        assert_int_equal(
            rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_LOOKUP, "10.0.0.1", 1770948000, 900),
            RF_OK);
        assert_int_equal(rf_store_dossier_lookup(s, t.prov, "10.0.0.1", "18070-260213-9999",
                                                 &misses, &e, office),
                         RF_ENOTFOUND);
        assert_int_equal(misses.failures, 1);
        assert_int_equal(misses.window_start, 1770948000);
        assert_int_equal(rf_store_dossier_lookup(s, t.prov, "10.0.0.2", "18070-260213-0001",
                                                 &misses, &e, office),
                         RF_OK);
        assert_int_equal(misses.failures, 0); /* another address */
    }
    e.state = RF_DS_SUPPLEMENT;
    assert_int_equal(rf_store_dossier_update(s, &e, 1), RF_OK);
    assert_int_equal(e.version, 2);
    d.state = RF_DS_STOPPED;
    assert_int_equal(rf_store_dossier_update(s, &d, 1), RF_ECONFLICT); /* acted on meanwhile */
    assert_int_equal(rf_store_dossier_get(s, t.prov, d.id, &e), RF_OK);
    assert_int_equal(e.state, RF_DS_SUPPLEMENT);
    /* two pauses in one second */
    assert_int_equal(rf_store_dossier_pause_open(s, d.id, 1771000000), RF_OK);
    assert_int_equal(rf_store_dossier_pause_close(s, d.id, 1771000000), RF_OK);
    assert_int_equal(rf_store_dossier_pause_open(s, d.id, 1771000000), RF_OK);
    assert_int_equal(rf_store_dossier_pause_close(s, d.id, 1771000100), RF_OK);
    assert_int_equal(rf_store_dossier_pause_close(s, d.id, 1771000200), RF_ENOTFOUND);
    /* counters add up per unit and span; a range reads spans of one length */
    assert_int_equal(rf_store_dossier_count_add(s, &k, 1), RF_OK);
    assert_int_equal(rf_store_dossier_count_add(s, &k, 2), RF_OK);
    k.span = "2026-02";
    assert_int_equal(rf_store_dossier_count_add(s, &k, 3), RF_OK);
    k.unit_id = t.s;
    k.span = "2026-02-13";
    assert_int_equal(rf_store_dossier_count_add(s, &k, 5), RF_OK);
    assert_int_equal(
        rf_store_dossier_counts(s, t.prov, t.c1, "2026-01-01", "2026-12-31", count_metric, &sum),
        RF_OK);
    assert_int_equal(sum, 3); /* the days, not the month */
    sum = 0;
    assert_int_equal(
        rf_store_dossier_counts(s, t.prov, t.c1, "2026-01", "2026-03", count_metric, &sum), RF_OK);
    assert_int_equal(sum, 3);
    sum = 0;
    assert_int_equal(
        rf_store_dossier_counts(s, t.prov, t.s, "2026-02-14", "2026-02-28", count_metric, &sum),
        RF_OK);
    assert_int_equal(sum, 0);
    /* the lists behind the figures: received (not turned away at the desk), ended, an event */
    {
        struct rf_dossier_query lq;
        struct rf_dossier_event ev;
        int64_t n = 0;
        memset(&e, 0, sizeof(e));
        e = d;
        snprintf(e.code, sizeof(e.code), "18070-260213-0002");
        e.state = RF_DS_INCOMPLETE; /* returned for completion: no due time */
        e.due_at = e.appointment_at = 0;
        e.finished_at = e.received_at;
        assert_int_equal(rf_store_dossier_insert(s, &e), RF_OK);
        memset(&ev, 0, sizeof(ev));
        ev.dossier_id = d.id;
        ev.at = 1771000000;
        snprintf(ev.action, sizeof(ev.action), "ask");
        snprintf(ev.from_state, sizeof(ev.from_state), "processing");
        snprintf(ev.to_state, sizeof(ev.to_state), "supplement");
        assert_int_equal(rf_store_dossier_event_add(s, &ev), RF_OK);
        memset(&lq, 0, sizeof(lq));
        lq.province_id = t.prov;
        lq.received_from = 1770000000;
        lq.received_to = 1780000000;
        assert_int_equal(rf_store_dossiers_list(s, &lq, count_dossier, &n), RF_OK);
        assert_int_equal(n, 1); /* the incomplete one was never received */
        memset(&lq, 0, sizeof(lq));
        lq.province_id = t.prov;
        lq.ended_from = 1770000000;
        lq.ended_to = 1780000000;
        n = 0;
        assert_int_equal(rf_store_dossiers_list(s, &lq, count_dossier, &n), RF_OK);
        assert_int_equal(n, 1); /* the incomplete one, ended at the desk */
        memset(&lq, 0, sizeof(lq));
        lq.province_id = t.prov;
        lq.event = "ask";
        lq.event_from = 1771000000;
        lq.event_to = 1771000001;
        n = 0;
        assert_int_equal(rf_store_dossiers_list(s, &lq, count_dossier, &n), RF_OK);
        assert_int_equal(n, 1);
        lq.event_from = 1771000001;
        lq.event_to = 1772000000;
        n = 0;
        assert_int_equal(rf_store_dossiers_list(s, &lq, count_dossier, &n), RF_OK);
        assert_int_equal(n, 0);
    }
    /* the units above a unit on a day: C1 under D until 2025-07-01, then under P */
    assert_int_equal(rf_store_unit_chain(s, t.c1, "2024-06-30", chain, 8, &nchain), RF_OK);
    assert_int_equal(nchain, 3);
    assert_true(chain[0] == t.c1 && chain[1] == t.d && chain[2] == t.p);
    assert_int_equal(rf_store_unit_chain(s, t.c1, "2025-07-01", chain, 8, &nchain), RF_OK);
    assert_int_equal(nchain, 2);
    assert_true(chain[0] == t.c1 && chain[1] == t.p);
    free(p);
    free(got);
}

/* The codes of the dossiers a list gives, in order, each followed by ' '. */
static int dossier_code_seen(void *ctx, const struct rf_dossier *d)
{
    char *codes = ctx;

    strncat(codes, d->code, 127 - strlen(codes));
    strncat(codes, " ", 127 - strlen(codes));
    return 0;
}

static const char *dossiers_under(struct rf_store *s, int64_t prov, int64_t root, int64_t scope,
                                  char codes[128])
{
    struct rf_dossier_query q;

    memset(&q, 0, sizeof(q));
    q.province_id = prov;
    q.root = root;
    q.scope = scope;
    codes[0] = '\0';
    assert_int_equal(rf_store_dossiers_list(s, &q, dossier_code_seen, codes), RF_OK);
    return codes;
}

static void dossier_at(struct rf_store *s, int64_t prov, int64_t procedure, const char *code,
                       int64_t desk, int64_t received_at, enum rf_dossier_state state,
                       int64_t due_at)
{
    struct rf_dossier d;

    memset(&d, 0, sizeof(d));
    d.province_id = prov;
    snprintf(d.code, sizeof(d.code), "%s", code);
    d.procedure_id = procedure;
    d.desk_unit_id = desk;
    snprintf(d.channel, sizeof(d.channel), "desk");
    snprintf(d.applicant_name, sizeof(d.applicant_name), "Nguyễn Văn An");
    snprintf(d.applicant_phone, sizeof(d.applicant_phone), "0912345678");
    d.state = state;
    d.step_unit_id = desk;
    d.received_at = received_at;
    d.due_at = d.appointment_at = due_at;
    snprintf(d.lookup_hash, sizeof(d.lookup_hash), "%064d", 0);
    d.version = 1;
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
}

/*
 * The one scope rule in the store: a dossier belongs to the units above its
 * desk on the day it was received (in the province's time, UTC+7). C1 sat
 * under D until 30 June 2025, then under P: D keeps C1's dossiers of that
 * day to its last second, and none from the first second of 1 July on, as
 * rf_store_unit_within answers for the received day.
 */
static void test_dossiers_belong_to_their_received_day(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_procedure *p = calloc(1, sizeof(*p));
    const int64_t last_second = 1751302799; /* 2025-06-30 23:59:59 at UTC+7 */
    const int64_t now = 1780000000;         /* 2026-05-28 */
    char codes[128];
    int64_t overdue = -1, waiting = -1;

    p->province_id = t.prov;
    snprintf(p->code, sizeof(p->code), "1.001193");
    snprintf(p->version_from, sizeof(p->version_from), "2020-01-01");
    snprintf(p->name, sizeof(p->name), "Đăng ký khai sinh");
    snprintf(p->field, sizeof(p->field), "civil_status");
    snprintf(p->level, sizeof(p->level), "commune");
    p->days = 1;
    snprintf(p->online, sizeof(p->online), "full");
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    dossier_at(s, t.prov, p->id, "A", t.c1, last_second, RF_DS_PROCESSING, now - 1);
    dossier_at(s, t.prov, p->id, "B", t.c1, last_second + 1, RF_DS_SUPPLEMENT, now + 1);
    dossier_at(s, t.prov, p->id, "C", t.d, 1740787200, RF_DS_PROCESSING, now + 1);   /* 2025-03 */
    dossier_at(s, t.prov, p->id, "D", t.c2, 1609459200, RF_DS_RETURNED, 1609545600); /* 2021 */
    dossier_at(s, t.prov, p->id, "E", t.s, 1767225600, RF_DS_PROCESSING, now - 1);   /* 2026 */
    dossier_at(s, t.prov, p->id, "F", t.n, 1767225600, RF_DS_SUPPLEMENT, now + 1);

    assert_string_equal(dossiers_under(s, t.prov, t.d, 0, codes), "A C D ");
    assert_string_equal(dossiers_under(s, t.prov, t.p, 0, codes), "A B C D E F ");
    assert_string_equal(dossiers_under(s, t.prov, t.c1, 0, codes), "A B ");
    assert_string_equal(dossiers_under(s, t.prov, t.n, 0, codes), "F ");
    assert_string_equal(dossiers_under(s, t.prov, 0, 0, codes), "A B C D E F ");
    /* a unit asked for by a caller whose scope it was under only for a while: the days of both */
    assert_string_equal(dossiers_under(s, t.prov, t.c1, t.d, codes), "A ");
    assert_string_equal(dossiers_under(s, t.prov, t.p, t.d, codes), "A C D ");
    assert_string_equal(dossiers_under(s, t.prov, t.s, t.d, codes), "");
    /* as the unit's place on the day, one dossier at a time, reads it */
    {
        int yes = -1;
        assert_int_equal(rf_store_unit_within(s, t.d, t.c1, "2025-06-30", &yes), RF_OK);
        assert_int_equal(yes, 1);
        assert_int_equal(rf_store_unit_within(s, t.d, t.c1, "2025-07-01", &yes), RF_OK);
        assert_int_equal(yes, 0);
    }
    /* the figures of now read the same dossiers */
    assert_int_equal(rf_store_dossiers_behind(s, t.prov, t.d, 0, now, &overdue, &waiting), RF_OK);
    assert_true(overdue == 1 && waiting == 0); /* A; not B, received on 1 July */
    assert_int_equal(rf_store_dossiers_behind(s, t.prov, t.c1, 0, now, &overdue, &waiting), RF_OK);
    assert_true(overdue == 1 && waiting == 1);
    assert_int_equal(rf_store_dossiers_behind(s, t.prov, t.c1, t.d, now, &overdue, &waiting),
                     RF_OK);
    assert_true(overdue == 1 && waiting == 0);
    assert_int_equal(rf_store_dossiers_behind(s, t.prov, 0, 0, now, &overdue, &waiting), RF_OK);
    assert_true(overdue == 2 && waiting == 2);
    free(p);
}

static void *commit_later(void *db)
{
    usleep(300000);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return NULL;
}

/*
 * A connection opened while another holds the file's lock waits for it (the
 * busy timeout comes before any other setting) instead of failing with
 * "database is locked": under load a server opens connections while the
 * writer works.
 */
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

/* Commits flushed apart: from another thread, and never "flushed" when the log is gone. */
static void test_flush_later(void **state)
{
    struct rf_store *s = *state, *other = NULL;
    struct flush_arg f = {s, -1};
    struct rf_error err;
    struct rf_province p;
    char wal[600];
    pthread_t t;

    if (strcmp(backend, "sqlite") != 0) {
        assert_int_equal(rf_store_flush_later(s), RF_EINVAL);
        assert_int_equal(rf_store_flush(s), RF_EINVAL);
        return;
    }
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
    /* a log that is no longer the database's cannot make a commit durable */
    snprintf(wal, sizeof(wal), "%s-wal", db_url + 7);
    assert_int_equal(unlink(wal), 0);
    assert_int_equal(rf_store_flush(s), RF_ESTORE);
}

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

static void test_faults_leave_nothing_half_written(void **state)
{
    struct rf_app_config cfg = {db_url, 2, NULL, NULL};
    struct rf_app *app = NULL;
    struct rf_actor sys;
    struct rf_error err;
    struct rf_audit_report report;
    const char *csv = "code,name,kind,parent_code,valid_from,valid_to,successor_code,generated\n"
                      "42,Tỉnh Hà Tĩnh,province,,2020-01-01,,,0\n"
                      "S02,Sở Nội vụ,department,42,2020-01-01,,,0\n";
    int failures = 0, n;
    (void)state;

    rf_error_init(&err);
    assert_int_equal(rf_app_open(&cfg, 1, &app, &err), RF_OK);
    rf_app_system_actor(app, &sys);
    assert_int_equal(rf_app_units_import(app, &sys, csv, &n, &err), RF_OK);
    rf_app_system_actor(app, &sys);

    for (int after = 0; after < 60; after++) {
        struct rf_unit_input in = {"S03", "Sở Tư pháp", "department", 0, "2020-01-01", NULL, 0};
        struct rf_unit u;
        struct rf_store *s;
        int rc, found;

        in.parent_id = rf_app_root_unit(app);
        rf_error_init(&err);
        rf_store_faults_after(after);
        rc = rf_app_unit_create(app, &sys, &in, &u, &err);
        rf_store_faults_after(-1);
        s = rf_app_store_get(app);
        found = rf_store_unit_get_by_code(s, sys.province_id, "S03", "2021-01-01", &u) == RF_OK;
        rf_app_store_put(app, s);
        if (rc == RF_OK) {
            assert_true(found);
            break;
        }
        failures++;
        assert_true(err.n > 0); /* a clean error */
        assert_false(found);    /* and nothing written */
        rf_error_init(&err);
        assert_int_equal(rf_app_audit_verify(app, NULL, &report, &err), RF_OK);
        assert_true(report.ok);
        assert_int_equal(report.records, 2); /* the two imported units only */
    }
    assert_true(failures > 3);
    rf_error_init(&err);
    assert_int_equal(rf_app_audit_verify(app, NULL, &report, &err), RF_OK);
    assert_true(report.ok);
    assert_int_equal(report.records, 3);
    rf_app_close(&app);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_rejects_unknown_scheme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_province_code_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_code_unique_within_province, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subtree_follows_the_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_folds_diacritics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_by_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_splits_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ending_clips_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_subtree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tasks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_row_callbacks_go_on_stop_or_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calendar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossiers_belong_to_their_received_day, setup,
                                        teardown),
        cmocka_unit_test(test_open_waits_for_a_lock),
        cmocka_unit_test_setup_teardown(test_flush_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults_leave_nothing_half_written, setup, teardown),
    };

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
    return cmocka_run_group_tests_name(backend, tests, NULL, NULL);
}
