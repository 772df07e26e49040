/*
 * The steering committee's figures and the focal points' reminders, computed
 * from the tasks with the rules of core/task.c, never stored: counts by
 * status and the two completion rates for a period as of a date, in all, by
 * assigning body, by field and by lead unit rolled up the tree in force; and
 * the overdue tasks and those due within N working days, by lead unit.
 */
#include "app_int.h"
#include "../common/mem.h"
#include "../core/period.h"
#include "../core/task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit_node {
    int64_t id, parent_id;
    int depth;
    char code[RF_UNIT_CODE_MAX + 1];
    char name[RF_NAME_BYTES];
};

struct bucket {
    int64_t unit_id;
    const char *code, *name;
    int owned; /* code and name are copies to free */
    struct rf_task_tally tally;
};

struct stats {
    struct rf_date on;
    unsigned bodies;         /* bit i: rf_task_bodies[i] is counted; 0: all */
    struct unit_node *nodes; /* the tree under the root on 'on', in id order */
    size_t nnodes, cap;
    struct rf_task_tally total;
    struct rf_task_tally by_body[16];
    struct rf_task_tally by_field[16];
    struct bucket *buckets;
    size_t nbuckets, bcap;
};

static int keep_node(void *ctx, const struct rf_unit *u)
{
    struct stats *st = ctx;
    struct unit_node *n;

    if (st->nnodes == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 256;
        st->nodes = rf_xrealloc(st->nodes, st->cap * sizeof(*st->nodes));
    }
    n = &st->nodes[st->nnodes++];
    n->id = u->id;
    n->parent_id = u->parent_id;
    n->depth = u->depth;
    snprintf(n->code, sizeof(n->code), "%s", u->code);
    snprintf(n->name, sizeof(n->name), "%s", u->name);
    return 0;
}

static const struct unit_node *node(const struct stats *st, int64_t id)
{
    size_t lo = 0, hi = st->nnodes;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st->nodes[mid].id == id)
            return &st->nodes[mid];
        if (st->nodes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The bucket of the unit directly under the root that holds 'lead' on the day. */
static struct bucket *bucket_of(struct stats *st, const struct rf_task *t)
{
    const struct unit_node *n = node(st, t->lead_unit_id);
    int64_t id = t->lead_unit_id;
    const char *code = t->lead_unit_code, *name = t->lead_unit_code;

    for (int hops = 0; n && n->depth > 1 && hops < 16; hops++)
        n = node(st, n->parent_id);
    if (n) {
        id = n->id;
        code = n->code;
        name = n->name;
    }
    for (size_t i = 0; i < st->nbuckets; i++)
        if (st->buckets[i].unit_id == id)
            return &st->buckets[i];
    if (st->nbuckets == st->bcap) {
        st->bcap = st->bcap ? st->bcap * 2 : 64;
        st->buckets = rf_xrealloc(st->buckets, st->bcap * sizeof(*st->buckets));
    }
    st->buckets[st->nbuckets].unit_id = id;
    st->buckets[st->nbuckets].code = n ? code : NULL; /* set below for units off the tree */
    st->buckets[st->nbuckets].name = n ? name : NULL;
    st->buckets[st->nbuckets].owned = 0;
    rf_task_tally_init(&st->buckets[st->nbuckets].tally);
    return &st->buckets[st->nbuckets++];
}

static int count_task(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl, int n)
{
    struct stats *st = ctx;
    struct rf_deadline_change changes[RF_APP_MAX_DEADLINES];
    struct rf_task_facts f;
    struct bucket *b;
    int i;

    if (rf_app_task_facts(t, dl, n, changes, &f) != RF_OK)
        return 0;
    i = rf_names_index(rf_task_bodies, t->assigning_body);
    if (st->bodies && (i < 0 || !(st->bodies & (1u << i))))
        return 0;
    rf_task_tally_add(&st->total, &f, st->on);
    if (i >= 0 && i < 16)
        rf_task_tally_add(&st->by_body[i], &f, st->on);
    if ((i = rf_names_index(rf_task_fields, t->field)) >= 0 && i < 16)
        rf_task_tally_add(&st->by_field[i], &f, st->on);
    b = bucket_of(st, t);
    if (!b->code) {
        /* a lead unit off the day's tree (ended before it) stands for itself */
        b->code = rf_xstrdup(t->lead_unit_code);
        b->name = rf_xstrdup(t->lead_unit_code);
        b->owned = 1;
    }
    rf_task_tally_add(&b->tally, &f, st->on);
    return 0;
}

static void tally_json(const struct rf_task_tally *t, struct rf_buf *out)
{
    char rate[16];

    rf_buf_adds(out, "\"assigned\":");
    rf_buf_addi(out, t->assigned);
    for (int s = 0; s < RF_TASK_STATUS_COUNT; s++) {
        rf_buf_adds(out, ",\"");
        rf_buf_adds(out, rf_task_status_name((enum rf_task_status)s));
        rf_buf_adds(out, "\":");
        rf_buf_addi(out, t->by_status[s]);
    }
    rf_buf_adds(out, ",\"completed\":");
    rf_buf_addi(out, t->completed);
    rf_rate_format(rf_rate_bp(t->completed, t->assigned), rate);
    rf_buf_adds(out, ",\"completion_rate\":");
    rf_buf_add_json_str(out, rate);
    rf_buf_adds(out, ",\"due\":");
    rf_buf_addi(out, t->due);
    rf_buf_adds(out, ",\"completed_due\":");
    rf_buf_addi(out, t->completed_due);
    rf_rate_format(rf_rate_bp(t->completed_due, t->due), rate);
    rf_buf_adds(out, ",\"due_completion_rate\":");
    rf_buf_add_json_str(out, rate);
}

static void named_tallies(const char *const *names, const struct rf_task_tally *tallies,
                          struct rf_buf *out)
{
    int first = 1;

    rf_buf_addc(out, '[');
    for (int i = 0; i < 16 && names[i]; i++) {
        if (tallies[i].assigned == 0)
            continue;
        rf_buf_adds(out, first ? "{\"key\":" : ",{\"key\":");
        rf_buf_add_json_str(out, names[i]);
        rf_buf_addc(out, ',');
        tally_json(&tallies[i], out);
        rf_buf_addc(out, '}');
        first = 0;
    }
    rf_buf_addc(out, ']');
}

/* The figures gathered in 'st' for 'period' as of 'on', of the units under 'root', as JSON. */
static void stats_json(const struct stats *st, const struct rf_period *period, const char *from,
                       const char *to, const char *on, int64_t root, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"period\":");
    rf_buf_add_json_str(out, period->text);
    rf_buf_adds(out, ",\"from\":");
    rf_buf_add_json_str(out, from);
    rf_buf_adds(out, ",\"to\":");
    rf_buf_add_json_str(out, to);
    rf_buf_adds(out, ",\"as_of\":");
    rf_buf_add_json_str(out, on);
    rf_buf_adds(out, ",\"unit_id\":");
    rf_buf_addi(out, root);
    rf_buf_adds(out, ",\"total\":{");
    tally_json(&st->total, out);
    rf_buf_adds(out, "},\"by_assigning_body\":");
    named_tallies(rf_task_bodies, st->by_body, out);
    rf_buf_adds(out, ",\"by_field\":");
    named_tallies(rf_task_fields, st->by_field, out);
    rf_buf_adds(out, ",\"by_lead_unit\":[");
    for (size_t i = 0; i < st->nbuckets; i++) {
        const struct bucket *b = &st->buckets[i];
        rf_buf_adds(out, i ? ",{\"unit_id\":" : "{\"unit_id\":");
        rf_buf_addi(out, b->unit_id);
        rf_buf_adds(out, ",\"code\":");
        rf_buf_add_json_str(out, b->code);
        rf_buf_adds(out, ",\"name\":");
        rf_buf_add_json_str(out, b->name);
        rf_buf_addc(out, ',');
        tally_json(&b->tally, out);
        rf_buf_addc(out, '}');
    }
    rf_buf_adds(out, "]}");
}

int rf_app_task_stats(struct rf_app *app, const struct rf_actor *actor, const char *period_in,
                      const char *as_of, int64_t unit_id, const char *bodies, struct rf_buf *out,
                      struct rf_error *err)
{
    unsigned body_bits = 0;
    struct rf_period period;
    struct rf_unit_query uq;
    struct rf_task_query tq;
    struct stats *st;
    struct rf_store *s;
    char on[RF_DATE_LEN], today[RF_DATE_LEN], from[RF_DATE_LEN], to[RF_DATE_LEN];
    int64_t root = unit_id ? unit_id : actor->scope_unit_id;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);
    if (rc != RF_OK)
        return rc;
    if (!period_in || !*period_in)
        return rf_error_set(err, RF_EINVAL, "period", "required",
                            "a period is required: YYYY, YYYY-Qn, YYYY-H1, YYYY-H2, YYYY-9M, "
                            "YYYY-MM or YYYY-MM-DD..YYYY-MM-DD");
    if (rf_period_parse(period_in, &period) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "period", "format",
                            "a period is YYYY, YYYY-Qn, YYYY-H1, YYYY-H2, YYYY-9M, YYYY-MM or "
                            "YYYY-MM-DD..YYYY-MM-DD");
    if (rf_names_bits(bodies, rf_app_body_index, "assigning_body", &body_bits, err) != RF_OK)
        return RF_EINVAL;
    rf_date_format(period.from, from);
    rf_date_format(period.to, to);
    rf_app_today(app, today);
    if (as_of && *as_of) {
        if (rf_date_check(as_of, "as_of", 1, on, err) != RF_OK)
            return RF_EINVAL;
    } else {
        snprintf(on, sizeof(on), "%s", strcmp(to, today) < 0 ? to : today);
    }
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = rf_app_scope_check(s, actor, root, on, err);
    if (rc != RF_OK) {
        rf_app_store_put(app, s);
        return rc;
    }
    st = rf_xcalloc(1, sizeof(*st));
    st->bodies = body_bits;
    if (rf_date_parse(on, &st->on) != RF_OK)
        st->on = period.to;
    rf_task_tally_init(&st->total);
    for (int i = 0; i < 16; i++) {
        rf_task_tally_init(&st->by_body[i]);
        rf_task_tally_init(&st->by_field[i]);
    }
    memset(&uq, 0, sizeof(uq));
    uq.province_id = actor->province_id;
    uq.root_id = root;
    uq.date = on;
    rc = rf_store_units_list(s, &uq, keep_node, st);
    /* a unit's figures are those of the tasks its units lead, not those they coordinate */
    memset(&tq, 0, sizeof(tq));
    tq.province_id = actor->province_id;
    tq.all_units = 1;
    tq.lead_unit_id = root == rf_app_root_unit(app) ? 0 : root;
    tq.assigned_from = from;
    tq.assigned_to = to;
    if (rc == RF_OK)
        rc = rf_store_tasks_list(s, &tq, count_task, st);
    rf_app_store_put(app, s);
    if (rc == RF_OK)
        stats_json(st, &period, from, to, on, root, out);
    else
        rc = rf_app_store_error(rc, err);
    for (size_t i = 0; i < st->nbuckets; i++) {
        if (st->buckets[i].owned) {
            free((char *)st->buckets[i].code);
            free((char *)st->buckets[i].name);
        }
    }
    free(st->buckets);
    free(st->nodes);
    free(st);
    return rc;
}

/* ---- reminders ---- */

struct reminder {
    struct rf_task t;
    int overdue;
};

struct reminders {
    struct rf_date on, due_by;
    struct reminder *rows;
    size_t n, cap;
};

static int keep_reminder(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl,
                         int n)
{
    struct reminders *r = ctx;
    struct rf_deadline_change changes[RF_APP_MAX_DEADLINES];
    struct rf_task_facts f;
    struct rf_date deadline;
    enum rf_task_status st;

    if (rf_app_task_facts(t, dl, n, changes, &f) != RF_OK)
        return 0;
    st = rf_task_status_on(&f, r->on);
    if (st != RF_TASK_OVERDUE && st != RF_TASK_IN_PROGRESS)
        return 0;
    if (!rf_task_deadline_on(&f, r->on, &deadline) || rf_date_cmp(deadline, r->due_by) > 0)
        return 0;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->rows = rf_xrealloc(r->rows, r->cap * sizeof(*r->rows));
    }
    r->rows[r->n].t = *t;
    rf_date_format(deadline, r->rows[r->n].t.deadline);
    r->rows[r->n].overdue = st == RF_TASK_OVERDUE;
    r->n++;
    return 0;
}

static int reminder_order(const void *a, const void *b)
{
    const struct reminder *x = a, *y = b;
    int c = strcmp(x->t.lead_unit_code, y->t.lead_unit_code);

    if (c)
        return c;
    if (x->overdue != y->overdue)
        return y->overdue - x->overdue;
    c = strcmp(x->t.deadline, y->t.deadline);
    if (c)
        return c;
    return x->t.id < y->t.id ? -1 : x->t.id > y->t.id;
}

int rf_app_task_reminders(struct rf_app *app, const struct rf_actor *actor, const char *date,
                          int within, int64_t unit_id, char due_by[RF_DATE_LEN], rf_reminder_fn fn,
                          void *ctx, struct rf_error *err)
{
    struct rf_task_query q;
    struct reminders r;
    struct rf_store *s;
    struct rf_unit lead;
    char on[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);
    if (rc != RF_OK)
        return rc;
    if (within < 0 || within > 366)
        return rf_error_set(err, RF_EINVAL, "within", "range", "'within' is 0 to 366 working days");
    if (date && *date) {
        if (rf_date_check(date, "date", 1, on, err) != RF_OK)
            return RF_EINVAL;
    } else {
        rf_app_today(app, on);
    }
    memset(&r, 0, sizeof(r));
    if (rf_date_parse(on, &r.on) != RF_OK)
        return RF_EINVAL;
    {
        /* "within N working days" on the province's legal calendar */
        const struct rf_worktime *w = rf_app_worktime_get(app, err);
        if (!w)
            return rf_error_code(err, RF_ESTORE);
        rc = rf_worktime_add_days(w, r.on, within, &r.due_by);
        rf_app_worktime_put(app, w);
        if (rc != RF_OK)
            return rf_error_set(err, RF_EINVAL, "date", "range",
                                "the working calendar covers %d to %d", RF_CALENDAR_FIRST_YEAR,
                                RF_CALENDAR_LAST_YEAR);
    }
    rf_date_format(r.due_by, due_by);
    memset(&q, 0, sizeof(q));
    q.province_id = actor->province_id;
    q.scope_root_id = actor->scope_unit_id;
    q.all_units = rf_access_province_wide(actor->roles);
    q.lead_unit_id = unit_id;
    q.deadline_to = due_by;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    if (unit_id)
        rc = rf_app_scope_check(s, actor, unit_id, on, err);
    if (rc == RF_OK && (rc = rf_store_tasks_list(s, &q, keep_reminder, &r)) != RF_OK)
        rc = rf_app_store_error(rc, err);
    if (rc == RF_OK && r.n > 1) /* no rows: no array at all */
        qsort(r.rows, r.n, sizeof(*r.rows), reminder_order);
    memset(&lead, 0, sizeof(lead));
    for (size_t i = 0; rc == RF_OK && i < r.n; i++) {
        if (lead.id != r.rows[i].t.lead_unit_id &&
            rf_store_unit_get(s, actor->province_id, r.rows[i].t.lead_unit_id, on, &lead) != RF_OK)
            lead.id = 0;
        rc = fn(ctx, &lead, &r.rows[i].t, r.rows[i].overdue);
        if (rc > 0) {
            rc = RF_OK;
            break;
        }
    }
    rf_app_store_put(app, s);
    free(r.rows);
    return rc;
}
