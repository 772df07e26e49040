/*
 * Two provinces on one database: every function of the store that names a
 * record by its id, code or key finds, changes and counts nothing of another
 * province than the one it is given, whether the record is reached directly
 * (a unit, a session, a dossier by its code) or through its parent (a task's
 * reports, a dossier's timeline and pauses, a desk's sequence).
 */
#include "rig.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Province 44 beside small_tree's 42: 44 > district 437 > commune 18100, with codes of its own. */
struct other {
    int64_t prov, p, d, c, user, session, doc, task, procedure, dossier;
};

static int64_t add_user(struct rf_store *s, int64_t prov, int64_t unit_id, const char *name)
{
    struct rf_user u;

    memset(&u, 0, sizeof(u));
    u.province_id = prov;
    u.unit_id = unit_id;
    snprintf(u.username, sizeof(u.username), "%s", name);
    snprintf(u.full_name, sizeof(u.full_name), "Lê Thị %s", name);
    u.roles = RF_ROLE_ADMIN;
    snprintf(u.password_hash, sizeof(u.password_hash), "$argon2id$not-a-real-hash");
    assert_int_equal(rf_store_user_insert(s, &u), RF_OK);
    return u.id;
}

static void session_of(int64_t prov, int64_t user, const char *fill, struct rf_session *x)
{
    memset(x, 0, sizeof(*x));
    x->province_id = prov;
    x->user_id = user;
    x->kind = RF_SESSION_COOKIE;
    snprintf(x->token_hash, sizeof(x->token_hash), "%s%062d", fill, 0); /* 'fill' of 2 digits */
    snprintf(x->csrf, sizeof(x->csrf), "csrf");
    x->created_at = x->last_seen_at = 1000;
}

static struct other province_b(struct rf_store *s)
{
    struct other b;
    struct rf_session x;
    struct rf_document doc;
    struct rf_task t;
    struct rf_procedure *p = calloc(1, sizeof(*p));
    struct rf_dossier d;
    struct rf_task_report r;
    struct rf_dossier_event e;
    int64_t seq = 0;

    memset(&b, 0, sizeof(b));
    b.prov = province(s, "44");
    b.p = unit(s, b.prov, "44", "Tỉnh Quảng Bình", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    b.d = unit(s, b.prov, "437", "Huyện Minh Hóa", RF_UNIT_DISTRICT, b.p, "2020-01-01", NULL);
    b.c = unit(s, b.prov, "18100", "Xã Hóa Hợp", RF_UNIT_COMMUNE, b.d, "2020-01-01", NULL);
    b.user = add_user(s, b.prov, b.p, "admin.44");
    session_of(b.prov, b.user, "44", &x);
    assert_int_equal(rf_store_session_insert(s, &x), RF_OK);
    b.session = x.id;

    memset(&doc, 0, sizeof(doc));
    doc.province_id = b.prov;
    snprintf(doc.number, sizeof(doc.number), "01/KH-UBND");
    snprintf(doc.issuer, sizeof(doc.issuer), "UBND tỉnh Quảng Bình");
    snprintf(doc.issued_on, sizeof(doc.issued_on), "2023-01-05");
    snprintf(doc.title, sizeof(doc.title), "Kế hoạch cải cách hành chính");
    snprintf(doc.assigning_body, sizeof(doc.assigning_body), "people_committee");
    assert_int_equal(rf_store_document_insert(s, &doc), RF_OK);
    b.doc = doc.id;
    memset(&t, 0, sizeof(t));
    t.province_id = b.prov;
    t.document_id = b.doc;
    snprintf(t.title, sizeof(t.title), "Số hóa hồ sơ");
    snprintf(t.assigning_body, sizeof(t.assigning_body), "people_committee");
    t.lead_unit_id = b.d;
    snprintf(t.field, sizeof(t.field), "procedures");
    snprintf(t.assigned_on, sizeof(t.assigned_on), "2023-01-10");
    snprintf(t.deadline, sizeof(t.deadline), "2023-06-30");
    assert_int_equal(rf_store_task_insert(s, &t, &b.c, 1, b.user), RF_OK);
    b.task = t.id;
    memset(&r, 0, sizeof(r));
    r.task_id = b.task;
    r.unit_id = b.d;
    snprintf(r.reported_on, sizeof(r.reported_on), "2023-03-01");
    r.percent = 40;
    snprintf(r.note, sizeof(r.note), "đang làm");
    assert_int_equal(rf_store_task_report_add(s, b.prov, &r), RF_OK);

    p->province_id = b.prov;
    snprintf(p->code, sizeof(p->code), "2.000001");
    snprintf(p->version_from, sizeof(p->version_from), "2023-01-01");
    snprintf(p->name, sizeof(p->name), "Chứng thực bản sao");
    snprintf(p->field, sizeof(p->field), "certification");
    snprintf(p->level, sizeof(p->level), "commune");
    p->days = 1;
    snprintf(p->online, sizeof(p->online), "partial");
    p->nsteps = 1;
    snprintf(p->steps[0].name, sizeof(p->steps[0].name), "Chứng thực");
    snprintf(p->steps[0].unit_ref, sizeof(p->steps[0].unit_ref), "desk");
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    b.procedure = p->id;
    free(p);

    assert_int_equal(rf_store_dossier_next_seq(s, b.prov, b.c, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    memset(&d, 0, sizeof(d));
    d.province_id = b.prov;
    snprintf(d.code, sizeof(d.code), "18100-260213-0001");
    d.procedure_id = b.procedure;
    d.desk_unit_id = b.c;
    snprintf(d.channel, sizeof(d.channel), "desk");
    snprintf(d.applicant_name, sizeof(d.applicant_name), "Hoàng Văn Bình");
    snprintf(d.applicant_phone, sizeof(d.applicant_phone), "0912000444");
    d.state = RF_DS_SUPPLEMENT;
    d.step_unit_id = b.c;
    d.received_at = 1770948000;
    d.due_at = d.appointment_at = 1771840800;
    snprintf(d.lookup_hash, sizeof(d.lookup_hash), "%064d", 4);
    d.version = 1;
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
    b.dossier = d.id;
    memset(&e, 0, sizeof(e));
    e.dossier_id = b.dossier;
    e.at = 1770948000;
    snprintf(e.action, sizeof(e.action), "receive");
    snprintf(e.from_state, sizeof(e.from_state), "none");
    snprintf(e.to_state, sizeof(e.to_state), "processing");
    assert_int_equal(rf_store_dossier_event_add(s, b.prov, &e), RF_OK);
    assert_int_equal(rf_store_dossier_pause_open(s, b.prov, b.dossier, 1771000000), RF_OK);
    return b;
}

static int bump(void *ctx)
{
    ++*(int *)ctx;
    return 0;
}

static int count_link(void *ctx, const struct rf_unit_link *l)
{
    (void)l;
    return bump(ctx);
}

static int count_id(void *ctx, int64_t id, const char *code)
{
    (void)id;
    (void)code;
    return bump(ctx);
}

static int count_report(void *ctx, const struct rf_task_report *r)
{
    (void)r;
    return bump(ctx);
}

static int count_event(void *ctx, const struct rf_dossier_event *e)
{
    (void)e;
    return bump(ctx);
}

static int count_pause(void *ctx, int64_t from, int64_t to)
{
    (void)from;
    (void)to;
    return bump(ctx);
}

static int keep_deadline(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl,
                         int n)
{
    (void)dl;
    snprintf((char *)ctx, RF_DATE_LEN, "%s", n ? t->deadline : "");
    return 1;
}

/* Sign-in names, sessions and tokens: a province's own only. */
static void test_users_and_sessions(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    struct rf_session x;
    struct rf_user u;

    add_user(s, a.prov, a.p, "admin.42");
    /* a user of 44 signing in where 42 is served is nobody */
    assert_int_equal(rf_store_user_get_by_name(s, a.prov, "admin.44", &u), RF_ENOTFOUND);
    assert_int_equal(rf_store_user_get_by_name(s, b.prov, "admin.44", &u), RF_OK);
    assert_int_equal(rf_store_user_get_by_name(s, b.prov, "admin.42", &u), RF_ENOTFOUND);
    /* 44's session is none in 42, and 42 can neither touch nor end it */
    session_of(b.prov, b.user, "44", &x);
    assert_int_equal(rf_store_session_find(s, a.prov, x.token_hash, &x, &u), RF_ENOTFOUND);
    assert_int_equal(rf_store_session_touch(s, a.prov, b.session, 5000), RF_OK);
    assert_int_equal(rf_store_session_end(s, a.prov, b.session, 5000), RF_OK);
    assert_int_equal(rf_store_sessions_end_user(s, a.prov, b.user, RF_SESSION_COOKIE, 5000), RF_OK);
    session_of(b.prov, b.user, "44", &x);
    assert_int_equal(rf_store_session_find(s, b.prov, x.token_hash, &x, &u), RF_OK);
    assert_int_equal(x.last_seen_at, 1000);
    assert_int_equal(x.ended_at, 0);
    assert_int_equal(u.id, b.user);
}

/* The tree: a unit of another province is no parent, no child and no ancestor. */
static void test_units(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    struct rf_unit u;
    char sql[256];
    int n = 0, yes = 0;
    int64_t count = 0, chain[8];

    /* no unit of 42 goes under a unit of 44, nor one of 44 under 42's */
    assert_int_equal(rf_store_begin(s), RF_OK);
    memset(&u, 0, sizeof(u));
    u.province_id = a.prov;
    snprintf(u.code, sizeof(u.code), "S99");
    snprintf(u.name, sizeof(u.name), "Sở Thử");
    u.kind = RF_UNIT_DEPARTMENT;
    u.parent_id = b.p;
    snprintf(u.valid_from, sizeof(u.valid_from), "2024-01-01");
    assert_int_equal(rf_store_unit_insert(s, &u), RF_ENOTFOUND);
    rf_store_rollback(s);
    assert_int_equal(rf_store_unit_move(s, a.prov, a.s, b.p, "2024-01-01"), RF_ENOTFOUND);
    assert_int_equal(rf_store_unit_move(s, a.prov, b.c, a.p, "2024-01-01"), RF_ENOTFOUND);
    assert_int_equal(rf_store_unit_links(s, b.prov, b.c, count_link, &n), RF_OK);
    assert_int_equal(n, 1); /* 44's commune stays where it was */
    n = 0;
    assert_int_equal(rf_store_unit_links(s, a.prov, b.c, count_link, &n), RF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rf_store_unit_children_after(s, a.prov, b.d, "2024-01-01", &count), RF_OK);
    assert_int_equal(count, 0);
    assert_int_equal(rf_store_unit_chain(s, a.prov, b.c, "2024-01-01", chain, 8, &n), RF_OK);
    assert_int_equal(n, 0);

    /* links the store never writes, placing 44's district under 42's department, one in the
       name of each province: 42's questions follow neither */
    for (int label = 0; label < 2; label++) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from)"
                 " VALUES (%lld, %lld, %lld, '2019-01-01')",
                 (long long)(label ? a.prov : b.prov), (long long)b.d, (long long)a.s);
        raw_sql(sql);
        assert_int_equal(rf_store_unit_within(s, a.prov, a.p, b.d, "2024-01-01", &yes), RF_OK);
        assert_false(yes);
        assert_int_equal(rf_store_unit_within(s, a.prov, a.p, b.c, "2024-01-01", &yes), RF_OK);
        assert_false(yes);
        assert_int_equal(rf_store_unit_within_ever(s, a.prov, a.s, b.d, &yes), RF_OK);
        assert_false(yes);
        {
            struct seen seen = list(s, a.prov, a.p, "2024-01-01", NULL, 0, 0);
            for (int i = 0; i < seen.n; i++) {
                assert_int_not_equal(seen.id[i], b.d);
                assert_int_not_equal(seen.id[i], b.c);
            }
        }
        raw_sql("DELETE FROM unit_links WHERE valid_from = '2019-01-01'");
    }
}

/* A task's deadlines, coordinating units and reports: reached through a task of the province. */
static void test_tasks(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    struct rf_task_deadline ext;
    struct rf_task_report r;
    char deadline[RF_DATE_LEN];
    int n = 0;

    assert_int_equal(rf_store_task_units(s, a.prov, b.task, count_id, &n), RF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rf_store_task_reports(s, a.prov, b.task, count_report, &n), RF_OK);
    assert_int_equal(n, 0);
    /* nothing is written on 44's task in 42's name */
    memset(&ext, 0, sizeof(ext));
    snprintf(ext.set_on, sizeof(ext.set_on), "2023-06-01");
    snprintf(ext.deadline, sizeof(ext.deadline), "2024-12-31");
    snprintf(ext.reason, sizeof(ext.reason), "gia hạn");
    assert_int_equal(rf_store_task_deadline_add(s, a.prov, b.task, &ext, 100), RF_ENOTFOUND);
    memset(&r, 0, sizeof(r));
    r.task_id = b.task;
    r.unit_id = b.d;
    snprintf(r.reported_on, sizeof(r.reported_on), "2023-04-01");
    r.percent = 90;
    snprintf(r.note, sizeof(r.note), "x");
    assert_int_equal(rf_store_task_report_add(s, a.prov, &r), RF_ENOTFOUND);
    r.unit_id = a.s; /* nor a report of 42's unit on 44's task, in either's name */
    assert_int_equal(rf_store_task_report_add(s, b.prov, &r), RF_ENOTFOUND);
    assert_int_equal(rf_store_task_get(s, b.prov, b.task, keep_deadline, deadline), RF_OK);
    assert_string_equal(deadline, "2023-06-30");
    assert_int_equal(rf_store_task_units(s, b.prov, b.task, count_id, &n), RF_OK);
    assert_int_equal(rf_store_task_reports(s, b.prov, b.task, count_report, &n), RF_OK);
    assert_int_equal(n, 2); /* its coordinating unit and its one report */
}

/* A dossier by its code, its timeline, pauses and desk's sequence: the province's own only. */
static void test_dossiers(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    struct rf_dossier d;
    struct rf_dossier_event e;
    struct rf_attempts misses;
    char office[RF_NAME_BYTES];
    int64_t seq = 0, began = -1;
    int n = 0;

    assert_int_equal(rf_store_dossier_by_code(s, a.prov, "18100-260213-0001", &d), RF_ENOTFOUND);
    /* the public lookup where 42 is served does not find 44's dossier */
    assert_int_equal(
        rf_store_dossier_lookup(s, a.prov, "10.0.0.9", "18100-260213-0001", &misses, &d, office),
        RF_ENOTFOUND);
    assert_int_equal(
        rf_store_dossier_lookup(s, b.prov, "10.0.0.9", "18100-260213-0001", &misses, &d, office),
        RF_OK);
    assert_int_equal(d.id, b.dossier);
    assert_string_equal(office, "Xã Hóa Hợp");
    /* nor is it moved, timed or paused in 42's name */
    d.province_id = a.prov;
    d.state = RF_DS_STOPPED;
    assert_int_equal(rf_store_dossier_update(s, &d, 1), RF_ECONFLICT);
    memset(&e, 0, sizeof(e));
    e.dossier_id = b.dossier;
    e.at = 1771000100;
    snprintf(e.action, sizeof(e.action), "stop");
    snprintf(e.from_state, sizeof(e.from_state), "supplement");
    snprintf(e.to_state, sizeof(e.to_state), "stopped");
    assert_int_equal(rf_store_dossier_event_add(s, a.prov, &e), RF_ENOTFOUND);
    assert_int_equal(rf_store_dossier_events(s, a.prov, b.dossier, count_event, &n), RF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rf_store_dossier_step_began(s, a.prov, b.dossier, &began), RF_OK);
    assert_int_equal(began, 0);
    assert_int_equal(rf_store_dossier_pause_close(s, a.prov, b.dossier, 1771000200), RF_ENOTFOUND);
    assert_int_equal(rf_store_dossier_pause_open(s, a.prov, b.dossier, 1771000300), RF_ENOTFOUND);
    assert_int_equal(rf_store_dossier_pauses(s, a.prov, b.dossier, count_pause, &n), RF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rf_store_dossier_next_seq(s, a.prov, b.c, "2026-02-13", &seq), RF_ENOTFOUND);
    /* 44's own, as they were */
    assert_int_equal(rf_store_dossier_get(s, b.prov, b.dossier, &d), RF_OK);
    assert_int_equal(d.state, RF_DS_SUPPLEMENT);
    assert_int_equal(d.version, 1);
    assert_int_equal(rf_store_dossier_events(s, b.prov, b.dossier, count_event, &n), RF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rf_store_dossier_step_began(s, b.prov, b.dossier, &began), RF_OK);
    assert_int_equal(began, 1770948000);
    n = 0;
    assert_int_equal(rf_store_dossier_pauses(s, b.prov, b.dossier, count_pause, &n), RF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rf_store_dossier_pause_close(s, b.prov, b.dossier, 1771000400), RF_OK);
    assert_int_equal(rf_store_dossier_next_seq(s, b.prov, b.c, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 2);
}

/*
 * A dossier code is one across the database: a code another province holds is
 * refused as taken, and the transaction goes on (the receipt takes the next
 * number, rf_app_dossier_insert_numbered).
 */
static void test_dossier_codes(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    struct rf_dossier d, got;
    int64_t seq = 0;

    assert_int_equal(rf_store_dossier_get(s, b.prov, b.dossier, &d), RF_OK);
    d.province_id = a.prov;
    d.desk_unit_id = d.step_unit_id = a.c1;
    d.procedure_id = b.procedure; /* not read: the code is what is refused */
    assert_int_equal(rf_store_begin(s), RF_OK);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_ECONFLICT);
    assert_int_equal(rf_store_dossier_next_seq(s, a.prov, a.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_dossier_by_code(s, a.prov, d.code, &got), RF_ENOTFOUND);
    assert_int_equal(rf_store_dossier_by_code(s, b.prov, d.code, &got), RF_OK);
    assert_int_equal(got.id, b.dossier);
}

/* Failed attempts: a province clears its own spent counters, never another's. */
static void test_attempts(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    struct rf_attempts got;

    assert_int_equal(rf_store_attempts_fail(s, b.prov, RF_ATTEMPT_ADDRESS, "10.0.0.1", 1000, 900),
                     RF_OK);
    /* long after 44's window ended, a failure in 42 */
    assert_int_equal(rf_store_attempts_fail(s, a.prov, RF_ATTEMPT_ADDRESS, "10.0.0.1", 9000, 900),
                     RF_OK);
    assert_int_equal(rf_store_attempts_get(s, b.prov, RF_ATTEMPT_ADDRESS, "10.0.0.1", &got), RF_OK);
    assert_int_equal(got.failures, 1);
    assert_int_equal(got.window_start, 1000);
    assert_int_equal(raw_sql("SELECT COUNT(*) FROM attempts"), 2);
    /* 44's next failure clears it as 44's own */
    assert_int_equal(rf_store_attempts_fail(s, b.prov, RF_ATTEMPT_ACCOUNT, "x", 9000, 900), RF_OK);
    assert_int_equal(raw_sql("SELECT COUNT(*) FROM attempts"), 2);
}

/*
 * A province's writers lock its own audit head, and hold up nobody else's:
 * where rows are locked (PostgreSQL), 44's head stays free while 42's
 * changes are under way. SQLite's write transaction locks the whole file.
 */
static void test_writers(void **state)
{
    struct rf_store *s = *state;
    struct tree a = small_tree(s);
    struct other b = province_b(s);
    char sql[128];
    PGconn *pg;
    PGresult *res;

    if (strcmp(backend, "postgresql") != 0) {
        skip();
        return;
    }
    assert_int_equal(rf_store_begin_changes(s, a.prov), RF_OK);
    pg = PQconnectdb(db_url);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    snprintf(sql, sizeof(sql),
             "SELECT seq FROM audit_head WHERE province_id = %lld FOR UPDATE NOWAIT",
             (long long)b.prov);
    res = PQexec(pg, sql);
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    PQclear(res);
    snprintf(sql, sizeof(sql),
             "SELECT seq FROM audit_head WHERE province_id = %lld FOR UPDATE NOWAIT",
             (long long)a.prov);
    res = PQexec(pg, sql);
    assert_int_equal(PQresultStatus(res), PGRES_FATAL_ERROR); /* 42's own: held */
    PQclear(res);
    PQfinish(pg);
    rf_store_rollback(s);
}

int run_provinces_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_users_and_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tasks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossier_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writers, setup, teardown),
    };

    return cmocka_run_group_tests_name("provinces", tests, NULL, NULL);
}
