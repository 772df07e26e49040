/*
 * Procedures and dossiers (store_dossiers.c): versions by date, code
 * sequences, optimistic updates, the timeline, the counters, and the one
 * scope rule: a dossier belongs to the units above its desk on the day it
 * was received.
 */
#include "rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#define CODES_BYTES 128

static int procedure_seen(void *ctx, const struct rf_procedure *p)
{
    char *codes = ctx;
    size_t used = strlen(codes);

    snprintf(codes + used, CODES_BYTES - used, "%s%s", p->code,
             p->version_from[0] == '2' && strcmp(p->version_from, "2025-07-01") == 0 ? "+" : " ");
    return 0;
}

static int count_dossier(void *ctx, const struct rf_dossier *d)
{
    (void)d;
    ++*(int64_t *)ctx;
    return 0;
}

/* Birth registration at the commune, in force from 'from' with 'days' working days, into 'p'. */
static void birth_registration(const struct tree *t, const char *from, int days,
                               struct rf_procedure *p)
{
    memset(p, 0, sizeof(*p));
    p->province_id = t->prov;
    snprintf(p->code, sizeof(p->code), "1.001193");
    snprintf(p->version_from, sizeof(p->version_from), "%s", from);
    snprintf(p->name, sizeof(p->name), "Đăng ký khai sinh");
    snprintf(p->field, sizeof(p->field), "civil_status");
    snprintf(p->level, sizeof(p->level), "commune");
    p->days = days;
    snprintf(p->online, sizeof(p->online), "full");
    p->nsteps = 2;
    snprintf(p->steps[0].name, sizeof(p->steps[0].name), "Tiếp nhận");
    snprintf(p->steps[0].unit_ref, sizeof(p->steps[0].unit_ref), "desk");
    p->steps[0].minutes = 120;
    snprintf(p->steps[1].name, sizeof(p->steps[1].name), "Ký");
    snprintf(p->steps[1].unit_ref, sizeof(p->steps[1].unit_ref), "commune");
    p->steps[1].minutes = 360;
}

/* The first version of birth registration, stored; its id. */
static int64_t procedure(struct rf_store *s, const struct tree *t)
{
    struct rf_procedure *p = calloc(1, sizeof(*p));
    int64_t id;

    birth_registration(t, "2023-01-01", 1, p);
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    id = p->id;
    free(p);
    return id;
}

/* A dossier of 'procedure' received at C1's desk on 13 February 2026, into 'd'. */
static void received_at_c1(const struct tree *t, int64_t procedure, struct rf_dossier *d)
{
    memset(d, 0, sizeof(*d));
    d->province_id = t->prov;
    snprintf(d->code, sizeof(d->code), "18070-260213-0001");
    d->procedure_id = procedure;
    d->desk_unit_id = t->c1;
    snprintf(d->channel, sizeof(d->channel), "desk");
    snprintf(d->applicant_name, sizeof(d->applicant_name), "Nguyễn Văn An");
    snprintf(d->applicant_phone, sizeof(d->applicant_phone), "0912345678");
    d->state = RF_DS_PROCESSING;
    d->step_unit_id = t->c1;
    d->received_at = 1770948000;
    d->due_at = d->appointment_at = 1771840800;
    snprintf(d->lookup_hash, sizeof(d->lookup_hash), "%064d", 0);
    d->version = 1;
}

struct pauses_seen {
    int n;
    int64_t from[4], to[4];
};

static int keep_pause(void *ctx, int64_t from, int64_t to)
{
    struct pauses_seen *x = ctx;

    if (x->n < 4) {
        x->from[x->n] = from;
        x->to[x->n] = to;
        x->n++;
    }
    return 0;
}

/* A procedure's versions by the day they take effect, each with its steps. */
static void test_procedure_versions(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_procedure *p = calloc(1, sizeof(*p)), *got = calloc(1, sizeof(*got));
    struct rf_procedure_query q;
    char codes[CODES_BYTES] = "";
    int64_t id;

    birth_registration(&t, "2023-01-01", 1, p);
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    assert_int_equal(rf_store_procedure_insert(s, p), RF_ECONFLICT);
    birth_registration(&t, "2025-07-01", 2, p);
    assert_int_equal(rf_store_procedure_insert(s, p), RF_OK);
    /* the version in force on a day */
    assert_int_equal(rf_store_procedure_in_force(s, t.prov, "1.001193", "2025-06-30", &id), RF_OK);
    assert_int_equal(rf_store_procedure_get(s, t.prov, id, got), RF_OK);
    assert_int_equal(got->days, 1);
    assert_int_equal(got->nsteps, 2);
    assert_string_equal(got->steps[1].unit_ref, "commune");
    assert_int_equal(rf_store_procedure_in_force(s, t.prov, "1.001193", "2025-07-01", &id), RF_OK);
    assert_int_equal(rf_store_procedure_get(s, t.prov, id, got), RF_OK);
    assert_int_equal(got->days, 2);
    assert_int_equal(rf_store_procedure_in_force(s, t.prov, "1.001193", "2022-12-31", &id),
                     RF_ENOTFOUND);
    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.date = "2026-01-01";
    q.text_fold = "khai sinh";
    assert_int_equal(rf_store_procedures_list(s, &q, procedure_seen, codes), RF_OK);
    assert_string_equal(codes, "1.001193+"); /* one version in force, the later */
    free(p);
    free(got);
}

/* Code sequences per desk and day, the public lookup, optimistic updates, pauses. */
static void test_dossier_codes_lookup_and_versions(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_dossier d, e;
    struct rf_dossier_event ev;
    struct rf_attempts misses;
    char office[RF_NAME_BYTES];
    int64_t seq;

    /* a sequence per desk and day */
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 2);
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.c1, "2026-02-14", &seq), RF_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.s, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    /* a dossier, changed only at the version read */
    received_at_c1(&t, procedure(s, &t), &d);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_ECONFLICT); /* codes are unique */
    /* what a dossier points to is the province's, or nothing is written */
    e = d;
    snprintf(e.code, sizeof(e.code), "18070-260213-0009");
    e.province_id = province(s, "Q2");
    assert_int_equal(rf_store_dossier_insert(s, &e), RF_ECONFLICT);
    e = d;
    snprintf(e.code, sizeof(e.code), "18070-260213-0009");
    e.step_unit_id = t.n + 1000;
    assert_int_equal(rf_store_dossier_insert(s, &e), RF_ECONFLICT);
    e.step_unit_id = 0; /* none: in no unit's hands */
    e.procedure_id = d.procedure_id + 1000;
    assert_int_equal(rf_store_dossier_insert(s, &e), RF_ECONFLICT);
    memset(&ev, 0, sizeof(ev));
    ev.dossier_id = d.id;
    snprintf(ev.action, sizeof(ev.action), "receive");
    ev.actor_id = 999999; /* nobody */
    assert_int_equal(rf_store_dossier_event_add(s, t.prov, &ev), RF_ENOTFOUND);
    assert_int_equal(rf_store_dossier_event_add(s, e.province_id, &ev), RF_ENOTFOUND);
    assert_int_equal(rf_store_dossier_by_code(s, t.prov, "18070-260213-0001", &e), RF_OK);
    assert_int_equal(e.id, d.id);
    assert_int_equal(e.state, RF_DS_PROCESSING);
    /* the public lookup's one read: the address's misses whether or not the code is there */
    assert_int_equal(
        rf_store_dossier_lookup(s, t.prov, "10.0.0.1", "18070-260213-0001", &misses, &e, office),
        RF_OK);
    assert_int_equal(e.id, d.id);
    assert_int_equal(misses.failures, 0);
    assert_int_equal(
        rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_LOOKUP, "10.0.0.1", 1770948000, 900), RF_OK);
    assert_int_equal(
        rf_store_dossier_lookup(s, t.prov, "10.0.0.1", "18070-260213-9999", &misses, &e, office),
        RF_ENOTFOUND);
    assert_int_equal(misses.failures, 1);
    assert_int_equal(misses.window_start, 1770948000);
    assert_int_equal(
        rf_store_dossier_lookup(s, t.prov, "10.0.0.2", "18070-260213-0001", &misses, &e, office),
        RF_OK);
    assert_int_equal(misses.failures, 0); /* another address */
    e.state = RF_DS_SUPPLEMENT;
    assert_int_equal(rf_store_dossier_update(s, &e, 1), RF_OK);
    assert_int_equal(e.version, 2);
    d.state = RF_DS_STOPPED;
    assert_int_equal(rf_store_dossier_update(s, &d, 1), RF_ECONFLICT); /* acted on meanwhile */
    assert_int_equal(rf_store_dossier_get(s, t.prov, d.id, &e), RF_OK);
    assert_int_equal(e.state, RF_DS_SUPPLEMENT);
    /* two pauses in one second */
    assert_int_equal(rf_store_dossier_pause_open(s, t.prov, d.id, 1771000000), RF_OK);
    assert_int_equal(rf_store_dossier_pause_close(s, t.prov, d.id, 1771000000), RF_OK);
    assert_int_equal(rf_store_dossier_pause_open(s, t.prov, d.id, 1771000000), RF_OK);
    assert_int_equal(rf_store_dossier_pause_close(s, t.prov, d.id, 1771000100), RF_OK);
    assert_int_equal(rf_store_dossier_pause_close(s, t.prov, d.id, 1771000200), RF_ENOTFOUND);
    /* what a move reads, at once: the dossier, its step's beginning, its pauses in order */
    ev.actor_id = 0;
    ev.at = 1770948000;
    assert_int_equal(rf_store_dossier_event_add(s, t.prov, &ev), RF_OK);
    assert_int_equal(rf_store_dossier_pause_open(s, t.prov, d.id, 1771000300), RF_OK);
    {
        struct pauses_seen seen = {0};
        int64_t began = -1;
        assert_int_equal(
            rf_store_dossier_for_move(s, t.prov, d.code, &e, &began, keep_pause, &seen), RF_OK);
        assert_int_equal(e.id, d.id);
        assert_int_equal(e.version, 2);
        assert_int_equal(began, 1770948000);
        assert_int_equal(seen.n, 3);
        assert_int_equal(seen.from[0], 1771000000);
        assert_int_equal(seen.to[1], 1771000100);
        assert_int_equal(seen.from[2], 1771000300);
        assert_int_equal(seen.to[2], 0); /* still open */
        seen.n = 0;
        assert_int_equal(
            rf_store_dossier_for_move(s, t.prov + 1000, d.code, &e, &began, keep_pause, &seen),
            RF_ENOTFOUND); /* not in another province */
        assert_int_equal(rf_store_dossier_for_move(s, t.prov, "18070-260213-9999", &e, &began,
                                                   keep_pause, &seen),
                         RF_ENOTFOUND);
        assert_int_equal(seen.n, 0);
        assert_int_equal(began, 0);
    }
}

/*
 * Deferred writes (PostgreSQL; SQLite answers each statement at once, and the
 * same steps run undeferred there with the same results): a desk's numbers
 * counted in memory and written at the end, ids taken ahead and given again
 * when what took them is undone, and a write that fails found later, failing
 * the deferred writes as a whole.
 */
static void test_deferred_writes(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int64_t proc = procedure(s, &t), seq, id1, id2, id3;
    int deferred = rf_store_can_defer(s);
    struct rf_dossier d, d2, e;
    struct rf_dossier_event ev;
    char sql[160];

    rf_store_ids_ahead(s);
    received_at_c1(&t, proc, &d);
    d2 = d;
    snprintf(d2.code, sizeof(d2.code), "18070-260213-0002");
    memset(&ev, 0, sizeof(ev));
    ev.at = d.received_at;
    snprintf(ev.action, sizeof(ev.action), "receive");
    snprintf(ev.from_state, sizeof(ev.from_state), "new");
    snprintf(ev.to_state, sizeof(ev.to_state), "processing");

    /* a stretch that stands */
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.c1, "2026-02-13", &seq), RF_OK);
        assert_int_equal(seq, i);
    }
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.s, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
    id1 = d.id;
    assert_true(id1 > 0);
    ev.dossier_id = id1;
    assert_int_equal(rf_store_dossier_event_add(s, t.prov, &ev), RF_OK);
    assert_int_equal(rf_store_deferred(s) > 0, deferred);
    rf_store_defer_push(s); /* on its way: nothing read, nothing lost */
    assert_false(rf_store_defer_failed(s));
    assert_int_equal(rf_store_defer_end(s), RF_OK);
    assert_int_equal(rf_store_savepoint_release(s, "stretch"), RF_OK);

    /* a stretch that fails is undone whole; its number and its id are given again */
    stretch_open(s, deferred);
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 4);
    assert_int_equal(rf_store_dossier_insert(s, &d2), RF_OK);
    id2 = d2.id;
    assert_true(id2 > id1);
    ev.dossier_id = id2 + 1000; /* no such dossier: refused, now or at the end */
    assert_int_equal(rf_store_dossier_event_add(s, t.prov, &ev), deferred ? RF_OK : RF_ENOTFOUND);
    rf_store_defer_push(s); /* sent, its answer unread: the failure is not known yet */
    assert_false(rf_store_defer_failed(s));
    if (deferred) { /* a read waits for the answers before its own: the failure is known */
        assert_int_equal(rf_store_dossier_by_code(s, t.prov, d.code, &e), RF_ENOTFOUND);
        assert_true(rf_store_defer_failed(s));
    }
    assert_int_equal(rf_store_defer_end(s), deferred ? RF_ENOTFOUND : RF_OK);
    rf_store_savepoint_undo(s, "stretch");
    assert_int_equal(rf_store_dossier_next_seq(s, t.prov, t.c1, "2026-02-13", &seq), RF_OK);
    assert_int_equal(seq, 4);
    assert_int_equal(rf_store_dossier_insert(s, &d2), RF_OK);
    assert_int_equal(d2.id, id2);
    assert_int_equal(rf_store_commit(s), RF_OK);

    /* what stood is written, the desk's last number among it */
    snprintf(sql, sizeof(sql),
             "SELECT last FROM dossier_sequences WHERE desk_unit_id = %lld AND day = '2026-02-13'",
             (long long)t.c1);
    assert_int_equal(raw_sql(sql), 4);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = %lld",
             (long long)id1);
    assert_int_equal(raw_sql(sql), 1);
    assert_int_equal(raw_sql("SELECT COUNT(*) FROM dossier_events"), 1);
    assert_int_equal(rf_store_dossier_by_code(s, t.prov, d2.code, &e), RF_OK);
    assert_int_equal(e.id, id2);

    /* an id taken by a transaction rolled back is given again */
    snprintf(d.code, sizeof(d.code), "18070-260213-0003");
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
    id3 = d.id;
    rf_store_rollback(s);
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
    assert_int_equal(d.id, id3);
    assert_int_equal(rf_store_commit(s), RF_OK);
}

/* What a gathered write's arrays carry comes back as it went in: quotes, backslashes, NULLs. */
struct event_seen {
    int n;
    struct rf_dossier_event e[4];
};

static int keep_event(void *ctx, const struct rf_dossier_event *e)
{
    struct event_seen *x = ctx;

    if (x->n < 4)
        x->e[x->n++] = *e;
    return 0;
}

struct audit_seen {
    int n;
    char before[4][64], after[4][64], hash[4][RF_AUDIT_HASH_HEX], prev[4][RF_AUDIT_HASH_HEX];
    int after_null[4];
};

static int keep_audit(void *ctx, const struct rf_audit_row *row)
{
    struct audit_seen *x = ctx;

    if (x->n < 4) {
        snprintf(x->before[x->n], 64, "%s", row->rec.before ? row->rec.before : "(null)");
        x->after_null[x->n] = row->rec.after == NULL;
        snprintf(x->hash[x->n], RF_AUDIT_HASH_HEX, "%s", row->hash);
        snprintf(x->prev[x->n], RF_AUDIT_HASH_HEX, "%s", row->rec.prev_hash);
        x->n++;
    }
    return 0;
}

/* The lines of news a listener was given, joined by spaces. */
static void news_seen(void *ctx, const char *line)
{
    char *seen = ctx;
    size_t len = strlen(seen);

    snprintf(seen + len, 512 - len, "%s%s", len ? " " : "", line);
}

static void test_gathered_rows(void **state)
{
    static const char *const names[] = {"Lê \"Bé\" Na", "C:\\thư mục\\, {a,b}", "NULL"};
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int64_t proc = procedure(s, &t);
    int deferred = rf_store_can_defer(s);
    struct rf_dossier d[3], got;
    struct rf_dossier_event ev;
    struct event_seen seen = {0};
    struct audit_seen audit = {0};
    struct rf_audit_query q = {.province_id = t.prov};

    rf_store_ids_ahead(s);
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    for (int i = 0; i < 3; i++) {
        struct rf_audit_record rec = {.province_id = t.prov,
                                      .at = 1770948000 + i,
                                      .actor = "clerk",
                                      .action = "create",
                                      .entity = "dossier",
                                      .entity_id = "x",
                                      .before = names[i],
                                      .after = i == 1 ? NULL : "{\"k\":\"v\\\\\"}"};
        received_at_c1(&t, proc, &d[i]);
        snprintf(d[i].code, sizeof(d[i].code), "18070-260213-%04d", i + 1);
        snprintf(d[i].applicant_name, sizeof(d[i].applicant_name), "%s", names[i]);
        if (i == 1) {
            d[i].step_unit_id = 0; /* NULL */
            snprintf(d[i].applicant_address, sizeof(d[i].applicant_address), "%s", "");
        } else {
            snprintf(d[i].applicant_address, sizeof(d[i].applicant_address), "Số 5, \"ngõ\" 3");
            snprintf(d[i].timeliness, sizeof(d[i].timeliness), "early");
        }
        assert_int_equal(rf_store_dossier_insert(s, &d[i]), RF_OK);
        memset(&ev, 0, sizeof(ev));
        ev.dossier_id = d[i].id;
        ev.at = d[i].received_at;
        snprintf(ev.action, sizeof(ev.action), "receive");
        snprintf(ev.from_state, sizeof(ev.from_state), "new");
        snprintf(ev.to_state, sizeof(ev.to_state), "processing");
        snprintf(ev.reason, sizeof(ev.reason), "%s", names[i]);
        ev.step_due_at = i == 1 ? 0 : 1771840800;
        assert_int_equal(rf_store_dossier_event_add(s, t.prov, &ev), RF_OK);
        assert_int_equal(rf_store_audit_append(s, &rec), RF_OK);
    }
    assert_int_equal(rf_store_defer_end(s), RF_OK);
    assert_int_equal(rf_store_savepoint_release(s, "stretch"), RF_OK);
    assert_int_equal(rf_store_commit(s), RF_OK);

    for (int i = 0; i < 3; i++) {
        assert_int_equal(rf_store_dossier_by_code(s, t.prov, d[i].code, &got), RF_OK);
        assert_int_equal(got.id, d[i].id);
        assert_string_equal(got.applicant_name, names[i]);
        assert_string_equal(got.applicant_address, d[i].applicant_address);
        assert_string_equal(got.timeliness, d[i].timeliness);
        assert_int_equal(got.step_unit_id, d[i].step_unit_id);
        assert_int_equal(got.due_at, d[i].due_at);
        seen.n = 0;
        assert_int_equal(rf_store_dossier_events(s, t.prov, d[i].id, keep_event, &seen), RF_OK);
        assert_int_equal(seen.n, 1);
        assert_string_equal(seen.e[0].reason, names[i]);
        assert_int_equal(seen.e[0].step_due_at, i == 1 ? 0 : 1771840800);
    }
    assert_int_equal(rf_store_audit_list(s, &q, keep_audit, &audit), RF_OK);
    assert_int_equal(audit.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(audit.before[i], names[i]);
        assert_int_equal(audit.after_null[i], i == 1);
        if (i > 0) /* the chain as the records were gathered */
            assert_string_equal(audit.prev[i], audit.hash[i - 1]);
    }

    /* a code taken fails the gathered statement, found by the end at the latest */
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    received_at_c1(&t, proc, &got);
    snprintf(got.code, sizeof(got.code), "18070-260213-0004");
    assert_int_equal(rf_store_dossier_insert(s, &got), RF_OK);
    snprintf(got.code, sizeof(got.code), "%s", d[2].code);
    assert_int_equal(rf_store_dossier_insert(s, &got), deferred ? RF_OK : RF_ECONFLICT);
    assert_int_equal(rf_store_defer_end(s), deferred ? RF_ECONFLICT : RF_OK);
    rf_store_savepoint_undo(s, "stretch");
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_dossier_by_code(s, t.prov, "18070-260213-0004", &got), RF_ENOTFOUND);

    /* moves at the version read: two of one dossier at one version fail together, deferred */
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    got = d[0];
    got.state = RF_DS_READY;
    assert_int_equal(rf_store_dossier_update(s, &got, d[0].version), RF_OK);
    assert_int_equal(got.version, d[0].version + 1);
    got = d[1];
    assert_int_equal(rf_store_dossier_update(s, &got, d[1].version), RF_OK);
    got = d[1];
    assert_int_equal(rf_store_dossier_update(s, &got, d[1].version),
                     deferred ? RF_OK : RF_ECONFLICT);
    assert_int_equal(rf_store_defer_end(s), deferred ? RF_ENOTFOUND : RF_OK);
    rf_store_savepoint_undo(s, "stretch");
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_dossier_by_code(s, t.prov, d[0].code, &got), RF_OK);
    assert_int_equal(got.version, d[0].version); /* undone with the rest */
    /* alone, each is written at its version */
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    got = d[0];
    got.state = RF_DS_READY;
    assert_int_equal(rf_store_dossier_update(s, &got, d[0].version), RF_OK);
    assert_int_equal(rf_store_defer_end(s), RF_OK);
    assert_int_equal(rf_store_savepoint_release(s, "stretch"), RF_OK);
    assert_int_equal(rf_store_commit(s), RF_OK);
    assert_int_equal(rf_store_dossier_by_code(s, t.prov, d[0].code, &got), RF_OK);
    assert_int_equal(got.version, d[0].version + 1);
    assert_int_equal(got.state, RF_DS_READY);

    /* moves gathered in one statement: a line of news for each dossier, in one notification */
    if (deferred) {
        struct rf_store *l = NULL;
        struct rf_error err;
        char news[512] = "", want[512];
        rf_error_init(&err);
        assert_int_equal(rf_store_open(db_url, &l, &err), RF_OK);
        assert_int_equal(rf_store_listen(l), RF_OK);
        assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
        stretch_open(s, deferred);
        for (int i = 1; i < 3; i++) {
            assert_int_equal(rf_store_dossier_by_code(s, t.prov, d[i].code, &got), RF_OK);
            assert_int_equal(rf_store_dossier_update(s, &got, got.version), RF_OK);
        }
        assert_int_equal(rf_store_defer_end(s), RF_OK);
        assert_int_equal(rf_store_savepoint_release(s, "stretch"), RF_OK);
        assert_int_equal(rf_store_commit(s), RF_OK);
        snprintf(want, sizeof(want), "dossier %s dossier %s", d[1].code, d[2].code);
        for (int tries = 0; tries < 100 && strlen(news) < strlen(want); tries++) {
            struct timespec pause = {0, 20 * 1000 * 1000};
            assert_int_equal(rf_store_news(l, news_seen, news), RF_OK);
            nanosleep(&pause, NULL);
        }
        assert_string_equal(news, want);
        rf_store_close(&l);
    }
}

/* The service center's counters, and the units above a desk on a day that they go to. */
static void test_dossier_counters(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_dossier_count_key k = {t.prov,         t.c1,      "2026-02-13",
                                     "civil_status", "commune", "received"};
    int64_t sum = 0, chain[8];
    int nchain = 0;

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
    /* the units above a unit on a day: C1 under D until 2025-07-01, then under P */
    assert_int_equal(rf_store_unit_chain(s, t.prov, t.c1, "2024-06-30", chain, 8, &nchain), RF_OK);
    assert_int_equal(nchain, 3);
    assert_true(chain[0] == t.c1 && chain[1] == t.d && chain[2] == t.p);
    assert_int_equal(rf_store_unit_chain(s, t.prov, t.c1, "2025-07-01", chain, 8, &nchain), RF_OK);
    assert_int_equal(nchain, 2);
    assert_true(chain[0] == t.c1 && chain[1] == t.p);
}

/* The lists behind the figures: received (not turned away at the desk), ended, an event. */
static void test_dossier_lists_behind_figures(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_dossier d, e;
    struct rf_dossier_query lq;
    struct rf_dossier_event ev;
    int64_t n = 0;

    received_at_c1(&t, procedure(s, &t), &d);
    assert_int_equal(rf_store_dossier_insert(s, &d), RF_OK);
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
    assert_int_equal(rf_store_dossier_event_add(s, t.prov, &ev), RF_OK);
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
        assert_int_equal(rf_store_unit_within(s, t.prov, t.d, t.c1, "2025-06-30", &yes), RF_OK);
        assert_int_equal(yes, 1);
        assert_int_equal(rf_store_unit_within(s, t.prov, t.d, t.c1, "2025-07-01", &yes), RF_OK);
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

int run_dossiers_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_procedure_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossier_codes_lookup_and_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossier_counters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossier_lists_behind_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dossiers_belong_to_their_received_day, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_deferred_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gathered_rows, setup, teardown),
    };

    return cmocka_run_group_tests_name("dossiers", tests, NULL, NULL);
}
