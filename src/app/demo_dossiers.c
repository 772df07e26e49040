/*
 * The demo's year of one-stop dossiers: from 1 July 2025 to 30 June 2026
 * (the two-level province), deterministic for a given count. Each dossier is
 * simulated through its procedure's steps on the working calendar: steps
 * taking 20% to 130% of their allowance, papers asked of one dossier in
 * twelve, refusals, withdrawals and stops now and then, apologies for most
 * of those that run late, results collected some days later. Those still
 * unfinished at the end of the year stay open. The rows are written as the
 * dossiers' own moves would write them (dossier, timeline, pauses, code
 * sequences, counters), a batch of dossiers per transaction with its audit
 * record; then the counters, summed in memory.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/mem.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 250
#define MAX_DESKS 128
#define MAX_PROCS 64
#define MAX_EVENTS 24
#define COUNT_SLOTS (1u << 12) /* to start with: the table doubles at 70% full */

struct gen_proc {
    struct rf_procedure *p;
    int64_t step_unit[RF_PROC_MAX_STEPS]; /* 0: the desk */
    int weight;
};

/* A counter in memory: a unit, a procedure, a span (>= 0: days since 1970; < 0: -(months)) */
struct gen_counter {
    int64_t unit;
    int proc, span, metric, used;
    int64_t n;
};

struct gen {
    struct rf_app *app;
    const struct rf_worktime *w;
    struct rf_actor system;
    uint64_t rng;
    int64_t provincial_desk; /* the public-service center */
    int64_t desks[MAX_DESKS];
    char desk_codes[MAX_DESKS + 1][RF_UNIT_CODE_MAX + 1];
    int64_t chains[MAX_DESKS + 1][8]; /* each desk and the units above it; the last: S20's */
    int nchain[MAX_DESKS + 1];
    int ndesks;
    struct gen_proc procs[MAX_PROCS];
    int nprocs, total_weight;
    int64_t first, last; /* local minutes of the year */
    struct gen_counter *counts;
    uint32_t slots, used; /* of counts */
    int64_t done, open;
};

static uint64_t next(struct gen *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng;
}

static int below(struct gen *g, int n)
{
    return (int)(next(g) % (uint64_t)n);
}

static uint32_t slot_of(const struct gen *g, int64_t unit, int proc, int span, int metric)
{
    uint64_t h = ((uint64_t)unit * 1000003u + (uint64_t)proc * 8191u +
                  (uint64_t)(int64_t)span * 131u + (uint64_t)metric) *
                 0x9E3779B97F4A7C15ULL;

    return (uint32_t)(h >> 32) & (g->slots - 1);
}

/* Twice the slots, every counter moved to its place among them. */
static void grow(struct gen *g)
{
    struct gen_counter *old = g->counts;
    uint32_t n = g->slots;

    g->slots = 2 * n;
    g->counts = rf_xcalloc(g->slots, sizeof(*g->counts));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k;
        if (!old[i].used)
            continue;
        for (k = slot_of(g, old[i].unit, old[i].proc, old[i].span, old[i].metric);
             g->counts[k].used; k = (k + 1) & (g->slots - 1))
            ;
        g->counts[k] = old[i];
    }
    free(old);
}

static void add(struct gen *g, int64_t unit, int proc, int span, int metric, int64_t n)
{
    if ((uint64_t)g->used * 10 >= (uint64_t)g->slots * 7)
        grow(g);
    for (uint32_t i = slot_of(g, unit, proc, span, metric);; i = (i + 1) & (g->slots - 1)) {
        struct gen_counter *c = &g->counts[i];
        if (!c->used) {
            *c = (struct gen_counter){unit, proc, span, metric, 1, n};
            g->used++;
            return;
        }
        if (c->unit == unit && c->proc == proc && c->span == span && c->metric == metric) {
            c->n += n;
            return;
        }
    }
}

/*
 * Count what fact 'f' moves at 'at_local' for desk 'desk_i' (-1: the
 * provincial one), by the table the moves count with (rf_dossier_effects).
 */
static void tally(struct gen *g, int desk_i, int proc, int64_t at_local,
                  const struct rf_dossier_fact *f)
{
    int day = (int)(at_local / RF_MINUTES_PER_DAY), c = desk_i < 0 ? g->ndesks : desk_i;
    struct rf_date d = rf_date_from_days(day);
    int month = -(d.year * 12 + d.month);
    struct rf_dossier_effect e[RF_DOSSIER_MAX_EFFECTS];
    int n = rf_dossier_effects(f, e);

    for (int k = 0; k < n; k++)
        for (int i = 0; i < g->nchain[c]; i++) {
            add(g, g->chains[c][i], proc, day, (int)e[k].metric, e[k].delta);
            add(g, g->chains[c][i], proc, month, (int)e[k].metric, e[k].delta);
        }
}

/* The fact of 'action' taking dossier 'd' from 'from' to 'to'. */
static struct rf_dossier_fact fact(const struct rf_dossier *d, enum rf_dossier_action action,
                                   enum rf_dossier_state from, enum rf_dossier_state to)
{
    struct rf_dossier_fact f = {action, from, to, strcmp(d->channel, "online") == 0, RF_EARLY, -1};
    return f;
}

/* ---- the simulation of one dossier ---- */

struct sim {
    struct rf_dossier d;
    struct rf_dossier_event e[MAX_EVENTS];
    int ne;
    struct rf_pause pauses[2]; /* local */
    int npauses;
    int proc;
};

static void event(struct gen *g, struct sim *s, int64_t at, const char *action,
                  enum rf_dossier_state from, enum rf_dossier_state to, int step, int64_t from_unit,
                  int64_t to_unit, const char *reason)
{
    struct rf_dossier_event *e = &s->e[s->ne++];

    memset(e, 0, sizeof(*e));
    e->at = rf_worktime_epoch(at);
    snprintf(e->action, sizeof(e->action), "%s", action);
    snprintf(e->from_state, sizeof(e->from_state), "%s", rf_dossier_state_name(from));
    snprintf(e->to_state, sizeof(e->to_state), "%s", rf_dossier_state_name(to));
    e->step = step;
    e->from_unit_id = from_unit;
    e->to_unit_id = to_unit;
    snprintf(e->reason, sizeof(e->reason), "%s", reason);
    (void)g;
}

/* The last event, a hand-over, with its step's own due time from 'began' (local), as moves do. */
static void step_due(struct gen *g, struct sim *s, int64_t began, int64_t minutes)
{
    struct rf_dossier_event *e = &s->e[s->ne - 1];
    struct rf_allowance a = {0, minutes};
    int64_t due;

    if (minutes > 0 && rf_worktime_due(g->w, began, &a, -1, s->pauses, s->npauses, &due) == RF_OK) {
        e->step_due_at = rf_worktime_epoch(due);
        e->step_late = e->at > e->step_due_at;
    }
}

/* 'minutes' of working time after 'at' (local), or -1 beyond the calendar */
static int64_t after(struct gen *g, int64_t at, int64_t minutes)
{
    struct rf_allowance a = {0, minutes > 0 ? minutes : 1};
    int64_t t;

    return rf_worktime_due(g->w, at, &a, -1, NULL, 0, &t) == RF_OK ? t : -1;
}

static int64_t unit_of(const struct gen_proc *gp, int step, int64_t desk)
{
    return gp->step_unit[step] ? gp->step_unit[step] : desk;
}

/* One dossier's simulation: what its stages share. */
struct run {
    struct gen *g;
    struct sim *s;
    const struct gen_proc *gp;
    int desk_i;         /* -1: the provincial desk */
    int64_t desk;       /* its unit */
    int64_t at, due, t; /* received, due, and where the simulation stands (local minutes) */
};

/* 'f' counted at 'when', and 'action' from 'from' to 'to' on the timeline. */
static void happen(struct run *r, int64_t when, enum rf_dossier_action action,
                   enum rf_dossier_state from, enum rf_dossier_state to, int step,
                   int64_t from_unit, int64_t to_unit, const char *reason)
{
    struct rf_dossier_fact f = fact(&r->s->d, action, from, to);

    event(r->g, r->s, when, rf_dossier_action_name(action), from, to, step, from_unit, to_unit,
          reason);
    tally(r->g, r->desk_i, r->s->proc, when, &f);
}

/* At the desk: returned for completion (Form 02) or refused (Form 03), never received. */
static void at_desk(struct run *r, int guided)
{
    struct rf_dossier *d = &r->s->d;

    d->state = guided ? RF_DS_INCOMPLETE : RF_DS_REFUSED;
    d->step = -1;
    d->finished_at = d->received_at;
    happen(r, r->at, guided ? RF_DA_GUIDE : RF_DA_REFUSE, RF_DS_NEW, d->state, -1, 0, 0,
           guided ? "Bổ sung bản sao giấy khai sinh" : "Không thuộc thẩm quyền giải quyết");
}

enum { ASKED, ASK_BEYOND, ASK_WAITING, ASK_OFF_CALENDAR };

/*
 * Papers asked at 'step': the clock stops for one to seven days, then runs
 * again with the due time moved. ASKED, or ASK_BEYOND (asked after the
 * year), ASK_WAITING (still waiting at its end), ASK_OFF_CALENDAR.
 */
static int ask_papers(struct run *r, int step, int64_t took)
{
    struct gen *g = r->g;
    struct sim *s = r->s;
    struct rf_dossier *d = &s->d;
    struct rf_allowance a = {r->gp->p->days, r->gp->p->minutes};
    int64_t asked = after(g, r->t, took / 2), back;

    if (asked < 0 || asked > g->last)
        return ASK_BEYOND;
    happen(r, asked, RF_DA_ASK, RF_DS_PROCESSING, RF_DS_SUPPLEMENT, step, d->step_unit_id, 0,
           "Bổ sung giấy tờ còn thiếu");
    back = asked + (1 + below(g, 7)) * RF_MINUTES_PER_DAY;
    s->pauses[s->npauses].from = asked;
    s->pauses[s->npauses++].to = back > g->last ? g->last : back;
    if (back > g->last) {
        d->state = RF_DS_SUPPLEMENT;
        d->step = step;
        return ASK_WAITING;
    }
    event(g, s, back, "supplied", RF_DS_SUPPLEMENT, RF_DS_PROCESSING, step, 0, d->step_unit_id, "");
    if (rf_worktime_due(g->w, r->at, &a, -1, s->pauses, s->npauses, &r->due) != RF_OK)
        return ASK_OFF_CALENDAR;
    r->t = back;
    return ASKED;
}

/* Refused (2%), withdrawn (1%) or stopped (0.5%) at 'step': 0 when it ended, -1 beyond the year. */
static int end_early(struct run *r, int step, int64_t took, int roll)
{
    struct rf_dossier *d = &r->s->d;
    int64_t when = after(r->g, r->t, took / 2);
    enum rf_dossier_action action = roll < 20   ? RF_DA_REFUSE
                                    : roll < 30 ? RF_DA_WITHDRAW
                                                : RF_DA_STOP;
    enum rf_dossier_state to = roll < 20   ? RF_DS_REFUSED
                               : roll < 30 ? RF_DS_WITHDRAWN
                                           : RF_DS_STOPPED;

    if (when < 0 || when > r->g->last)
        return -1;
    happen(r, when, action, RF_DS_PROCESSING, to, step, d->step_unit_id, 0,
           roll < 20 ? "Không đủ điều kiện theo quy định" : "Theo đề nghị của công dân");
    d->state = to;
    d->step = -1;
    d->step_unit_id = 0;
    d->finished_at = rf_worktime_epoch(when);
    d->due_at = d->appointment_at = rf_worktime_epoch(r->due);
    return 0;
}

/* The result at 'done' after the last step: judged against the due time; most late ones apologised
 * for. */
static void result(struct run *r, int step, int64_t done, int64_t began)
{
    struct gen *g = r->g;
    struct sim *s = r->s;
    struct rf_dossier *d = &s->d;
    enum rf_timeliness tl = rf_dossier_timeliness(r->due, done);
    struct rf_dossier_fact f;
    int64_t worked = 0;

    if (tl == RF_LATE && below(g, 10) < 7) {
        int64_t sorry = r->due - 2 * RF_WORKDAY_MINUTES / 3;
        int in_time = 0;
        for (int k = 0;
             k < 3 &&
             (rf_dossier_apology_in_time(g->w, sorry, r->due, &in_time) != RF_OK || !in_time);
             k++)
            sorry -= RF_MINUTES_PER_DAY;
        if (in_time && sorry > r->at) {
            happen(r, sorry, RF_DA_APOLOGISE, RF_DS_PROCESSING, RF_DS_PROCESSING, step,
                   d->step_unit_id, 0, "Cần thêm thời gian thẩm định");
            d->apologies = 1;
            d->appointment_at = rf_worktime_epoch(done + RF_MINUTES_PER_DAY);
        }
    }
    event(g, s, done, "hand_over", RF_DS_PROCESSING, RF_DS_READY, step, d->step_unit_id, r->desk,
          "");
    step_due(g, s, began, r->gp->p->steps[step].minutes);
    d->state = RF_DS_READY;
    d->step = -1;
    d->step_unit_id = r->desk;
    d->result_at = rf_worktime_epoch(done);
    snprintf(d->timeliness, sizeof(d->timeliness), "%s", rf_timeliness_name(tl));
    f = fact(d, RF_DA_HAND_OVER, RF_DS_PROCESSING, RF_DS_READY);
    f.timeliness = tl;
    if (rf_worktime_between(g->w, r->at, done, s->pauses, s->npauses, &worked) == RF_OK)
        f.worked = worked;
    tally(g, r->desk_i, s->proc, done, &f);
}

/* The result collected one to ten working days later; one in twenty only told, or left. */
static void collect(struct run *r)
{
    struct gen *g = r->g;
    struct rf_dossier *d = &r->s->d;
    int64_t back = after(g, r->t, (1 + below(g, 10)) * RF_WORKDAY_MINUTES);

    if (below(g, 20) == 0 || back < 0 || back > g->last) {
        int64_t told = after(g, r->t, 60);
        if (told > 0 && told <= g->last) {
            event(g, r->s, told, "notify", RF_DS_READY, RF_DS_NOTIFIED, -1, 0, 0, "");
            d->state = RF_DS_NOTIFIED;
        }
        return;
    }
    happen(r, back, RF_DA_RETURN, RF_DS_READY, RF_DS_RETURNED, -1, 0, 0, "");
    d->state = RF_DS_RETURNED;
    d->step_unit_id = 0;
    d->finished_at = rf_worktime_epoch(back);
}

/* Its due time and the appointment given (the due time, unless an apology moved it). */
static void set_due(struct run *r)
{
    struct rf_dossier *d = &r->s->d;

    d->due_at = rf_worktime_epoch(r->due);
    if (!d->appointment_at)
        d->appointment_at = d->due_at;
}

/*
 * Simulate dossier 's' received at 'at' (local) at desk 'desk_i': at the
 * desk, or through its procedure's steps, with papers asked, an early end,
 * the result and its collection as they fall; those unfinished at the end of
 * the year stay open. Returns 0, or -1 to skip it (off the calendar).
 */
static int simulate(struct gen *g, struct sim *s, int64_t at, int desk_i)
{
    const struct gen_proc *gp = &g->procs[s->proc];
    const struct rf_procedure *p = gp->p;
    struct rf_dossier *d = &s->d;
    struct rf_allowance a = {p->days, p->minutes};
    struct run r = {g,  s, gp, desk_i, desk_i < 0 ? g->provincial_desk : g->desks[desk_i],
                    at, 0, at};
    int roll = below(g, 1000), ask_at = below(g, 12) == 0 ? below(g, p->nsteps) : -1;
    int intake = below(g, 1000), step;
    int64_t start;

    if (rf_worktime_due(g->w, at, &a, -1, NULL, 0, &r.due) != RF_OK)
        return -1;
    memset(s->e, 0, sizeof(s->e));
    s->ne = s->npauses = 0;
    d->desk_unit_id = r.desk;
    d->procedure_id = p->id;
    d->received_at = rf_worktime_epoch(at);
    if (intake < 35) { /* 3% returned for completion, 0.5% refused */
        at_desk(&r, intake < 30);
        return 0;
    }
    d->state = RF_DS_PROCESSING;
    d->step = 0;
    d->step_unit_id = unit_of(gp, 0, r.desk);
    happen(&r, at, RF_DA_RECEIVE, RF_DS_NEW, RF_DS_PROCESSING, 0, 0, d->step_unit_id, "");
    /* the counter's "now" for a step starts when the receipt counts */
    start = after(g, at, 1) - 1;
    r.t = start > at ? start : at;
    for (step = 0; step < p->nsteps; step++) {
        int64_t took = p->steps[step].minutes * (20 + below(g, 111)) / 100, next_t, began = r.t;
        if (step == ask_at) {
            int asked = ask_papers(&r, step, took);
            if (asked == ASK_OFF_CALENDAR)
                return -1;
            if (asked == ASK_WAITING)
                break;
            if (asked == ASK_BEYOND)
                break;
        }
        if ((step == 0 && roll < 20) || (step == p->nsteps - 1 && roll >= 20 && roll < 30) ||
            (step == 1 && roll >= 30 && roll < 35)) {
            if (end_early(&r, step, took, roll) == 0)
                return 0;
            break;
        }
        next_t = after(g, r.t, took);
        if (next_t < 0 || next_t > g->last)
            break;
        if (step == p->nsteps - 1) {
            result(&r, step, next_t, began);
            r.t = next_t;
            break;
        }
        event(g, s, next_t, "hand_over", RF_DS_PROCESSING, RF_DS_PROCESSING, step, d->step_unit_id,
              unit_of(gp, step + 1, r.desk), "");
        step_due(g, s, began, p->steps[step].minutes);
        d->step = step + 1;
        d->step_unit_id = unit_of(gp, step + 1, r.desk);
        r.t = next_t;
    }
    set_due(&r);
    if (d->state == RF_DS_READY)
        collect(&r);
    else
        g->open++;
    return 0;
}

/* ---- writing ---- */

struct batch_job {
    struct gen *g;
    int from, n;      /* dossiers from..from+n-1 of the count */
    int64_t *at;      /* the receipts, in order */
    int *desk, *proc; /* each receipt's desk (-1: the provincial one) and procedure */
};

static int write_batch(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct batch_job *job = ctx;
    struct gen *g = job->g;
    struct sim *sim = rf_xcalloc(1, sizeof(*sim));
    char body[128];
    int64_t first_id = 0;
    int rc = RF_OK;

    for (int i = 0; rc == RF_OK && i < job->n; i++) {
        int k = job->from + i;
        struct rf_dossier *d = &sim->d;
        char phone[16], secret[33];
        unsigned char raw[15], h[32];
        memset(d, 0, sizeof(*d));
        d->province_id = g->app->province.id;
        sim->proc = job->proc[k];
        {
            int r = (int)(next(g) % 100); /* four in ten online (Decision 766's direction) */
            snprintf(d->channel, sizeof(d->channel), "%s",
                     r < 42   ? "online"
                     : r < 47 ? "post"
                              : "desk");
        }
        snprintf(d->applicant_name, sizeof(d->applicant_name), "Công dân %06d", k + 1);
        snprintf(phone, sizeof(phone), "09%08d", (int)(next(g) % 100000000));
        snprintf(d->applicant_phone, sizeof(d->applicant_phone), "%s", phone);
        snprintf(d->applicant_address, sizeof(d->applicant_address), "Hà Tĩnh");
        if (simulate(g, sim, job->at[k], job->desk[k]) != 0)
            continue;
        assert(rf_dossier_holder_consistent(d->state, d->step, d->step_unit_id, d->desk_unit_id));
        /* a secret nobody holds: the demo's citizens look up by phone */
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(secret, sizeof(secret), raw, sizeof(raw),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
        sodium_bin2hex(d->lookup_hash, sizeof(d->lookup_hash), h, sizeof(h));
        d->version = sim->ne;
        d->created_at = d->received_at;
        d->updated_at = sim->e[sim->ne - 1].at;
        rc = rf_app_dossier_insert_numbered(
            s, d, g->desk_codes[job->desk[k] < 0 ? g->ndesks : job->desk[k]]);
        if (rc == RF_EINVAL) { /* a desk whose code makes no dossier code */
            rc = RF_OK;
            continue;
        }
        if (rc == RF_OK && !first_id)
            first_id = d->id;
        for (int e = 0; rc == RF_OK && e < sim->ne; e++) {
            sim->e[e].dossier_id = d->id;
            rc = rf_store_dossier_event_add(s, d->province_id, &sim->e[e]);
        }
        for (int p = 0; rc == RF_OK && p < sim->npauses; p++) {
            rc = rf_store_dossier_pause_open(s, d->province_id, d->id,
                                             rf_worktime_epoch(sim->pauses[p].from));
            if (rc == RF_OK && d->state != RF_DS_SUPPLEMENT)
                rc = rf_store_dossier_pause_close(s, d->province_id, d->id,
                                                  rf_worktime_epoch(sim->pauses[p].to));
        }
        g->done++;
    }
    snprintf(body, sizeof(body), "{\"generated\":%d,\"first_id\":%lld}", job->n,
             (long long)first_id);
    if (rc == RF_OK)
        rc = rf_app_audit(g->app, s, &g->system, "generate", "dossier", first_id, NULL, body);
    free(sim);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

struct count_row {
    int64_t unit;
    char span[RF_DATE_LEN];
    const char *field, *level, *metric;
    int64_t n;
};

/* the counters' primary key order: the rows then go into the table's B-tree in order */
static int row_order(const void *a, const void *b)
{
    const struct count_row *x = a, *y = b;
    int c;

    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if ((c = strcmp(x->span, y->span)) != 0)
        return c;
    if ((c = strcmp(x->field, y->field)) != 0)
        return c;
    if ((c = strcmp(x->level, y->level)) != 0)
        return c;
    return strcmp(x->metric, y->metric);
}

static int write_counts(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct gen *g = ctx;
    struct count_row *rows;
    size_t n = 0;
    char body[64];
    int rc = RF_OK;

    for (uint32_t i = 0; i < g->slots; i++)
        n += g->counts[i].used != 0;
    rows = rf_xmalloc(sizeof(*rows) * (n ? n : 1));
    n = 0;
    for (uint32_t i = 0; i < g->slots; i++) {
        const struct gen_counter *c = &g->counts[i];
        struct count_row *r = &rows[n];
        if (!c->used)
            continue;
        r->unit = c->unit;
        if (c->span >= 0) {
            rf_date_format(rf_date_from_days(c->span), r->span);
        } else {
            int m = -c->span - 1; /* year * 12 + month - 1 */
            snprintf(r->span, sizeof(r->span), "%04d-%02d", m / 12 % 10000, m % 12 + 1);
        }
        r->field = g->procs[c->proc].p->field;
        r->level = g->procs[c->proc].p->level;
        r->metric = rf_dossier_metric_names[c->metric];
        r->n = c->n;
        n++;
    }
    qsort(rows, n, sizeof(*rows), row_order);
    for (size_t i = 0; rc == RF_OK && i < n; i++) {
        /* one procedure's rows and another's of the same field and level add up */
        struct rf_dossier_count_key k = {g->app->province.id, rows[i].unit,  rows[i].span,
                                         rows[i].field,       rows[i].level, rows[i].metric};
        rc = rf_store_dossier_count_add(s, &k, rows[i].n);
    }
    snprintf(body, sizeof(body), "{\"counters\":%zu}", n);
    if (rc == RF_OK)
        rc = rf_app_audit(g->app, s, &g->system, "generate", "dossier_counts", (int64_t)n, NULL,
                          body);
    free(rows);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* ---- setting up ---- */

static int keep_desk(void *ctx, const struct rf_unit *u)
{
    struct gen *g = ctx;

    if ((u->kind == RF_UNIT_WARD || u->kind == RF_UNIT_COMMUNE || u->kind == RF_UNIT_TOWNSHIP) &&
        g->ndesks < MAX_DESKS) {
        g->desks[g->ndesks] = u->id;
        snprintf(g->desk_codes[g->ndesks], sizeof(g->desk_codes[0]), "%s", u->code);
        g->ndesks++;
    }
    return 0;
}

static int keep_proc(void *ctx, const struct rf_procedure *p)
{
    struct gen *g = ctx;

    if (g->nprocs < MAX_PROCS && strcmp(p->level, "district") != 0) {
        g->procs[g->nprocs].p = rf_xmalloc(sizeof(*p));
        memcpy(g->procs[g->nprocs].p, p, sizeof(*p));
        g->nprocs++;
    }
    return 0;
}

/* The procedures' steps and units; the weights of a realistic mix (civil status most). */
static int set_up(struct gen *g, struct rf_store *s, struct rf_error *err)
{
    static const char *const day = "2025-07-01";
    struct rf_unit_query uq;
    struct rf_procedure_query pq;
    struct rf_unit center;
    int rc;

    rc = rf_store_unit_get_by_code(s, g->app->province.id, "S20", day, &center);
    if (rc != RF_OK)
        return rf_error_set(err, RF_EINVAL, "db", "demo",
                            "the demo dossiers need the demo province (unit S20)");
    g->provincial_desk = center.id;
    memset(&uq, 0, sizeof(uq));
    uq.province_id = g->app->province.id;
    uq.root_id = g->app->root_unit_id;
    uq.date = day;
    rc = rf_store_units_list(s, &uq, keep_desk, g);
    snprintf(g->desk_codes[g->ndesks], sizeof(g->desk_codes[0]), "%s", center.code);
    memset(&pq, 0, sizeof(pq));
    pq.province_id = g->app->province.id;
    pq.date = day;
    for (int i = 0; rc == RF_OK && i <= g->ndesks; i++)
        rc = rf_store_unit_chain(s, g->app->province.id,
                                 i < g->ndesks ? g->desks[i] : g->provincial_desk, day,
                                 g->chains[i], 8, &g->nchain[i]);
    if (rc == RF_OK)
        rc = rf_store_procedures_list(s, &pq, keep_proc, g);
    for (int i = 0; rc == RF_OK && i < g->nprocs; i++) {
        struct gen_proc *gp = &g->procs[i];
        rc = rf_store_procedure_get(s, g->app->province.id, gp->p->id, gp->p);
        for (int k = 0; rc == RF_OK && k < gp->p->nsteps; k++) {
            const char *ref = gp->p->steps[k].unit_ref;
            struct rf_unit u;
            if (strcmp(ref, "desk") == 0 || strcmp(ref, "district") == 0 ||
                strcmp(ref, "commune") == 0)
                continue;
            if (rf_store_unit_get_by_code(s, g->app->province.id, ref, day, &u) == RF_OK)
                gp->step_unit[k] = u.id;
            else
                gp->weight = -1; /* a step at a unit gone by then: not received */
        }
        if (gp->weight == 0)
            gp->weight = strcmp(gp->p->field, "civil_status") == 0    ? 12
                         : strcmp(gp->p->field, "certification") == 0 ? 10
                         : strcmp(gp->p->field, "land") == 0          ? 6
                                                                      : 3;
        else
            gp->weight = 0;
        g->total_weight += gp->weight;
    }
    if (rc == RF_OK && (g->nprocs == 0 || g->ndesks == 0 || g->total_weight == 0))
        return rf_error_set(err, RF_EINVAL, "db", "demo",
                            "the demo dossiers need the demo procedures and communes");
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

static int cmp_at(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int rf_app_demo_dossiers(struct rf_app *app, int count, struct rf_error *err)
{
    struct gen *g;
    struct rf_store *s;
    int64_t *at;
    int *desk, *proc, rc;

    if (count < 1 || count > 50000000)
        return rf_error_set(err, RF_EINVAL, "count", "range", "1 to 50,000,000 dossiers");
    if (!app->has_province)
        return rf_error_set(err, RF_EINVAL, "db", "demo", "load the demo province first");
    g = rf_xcalloc(1, sizeof(*g));
    g->app = app;
    g->rng = 0x2025070120260630ULL ^ (uint64_t)count;
    rf_app_system_actor(app, &g->system);
    g->first = rf_date_to_days((struct rf_date){2025, 7, 1}) * RF_MINUTES_PER_DAY;
    g->last = rf_date_to_days((struct rf_date){2026, 7, 1}) * RF_MINUTES_PER_DAY - 1;
    s = rf_app_store_get(app);
    rc = s ? set_up(g, s, err) : rf_app_store_error(RF_ESTORE, err);
    rf_app_store_put(app, s);
    g->w = rc == RF_OK ? rf_app_worktime_get(app, err) : NULL;
    if (rc != RF_OK || !g->w) {
        for (int i = 0; i < g->nprocs; i++)
            free(g->procs[i].p);
        free(g);
        return rc != RF_OK ? rc : rf_error_code(err, RF_ESTORE);
    }
    g->slots = COUNT_SLOTS;
    g->counts = rf_xcalloc(g->slots, sizeof(*g->counts));
    /* receipts over the year in time order, in the day's opening hours */
    at = rf_xmalloc(sizeof(*at) * (size_t)count);
    desk = rf_xmalloc(sizeof(*desk) * (size_t)count);
    proc = rf_xmalloc(sizeof(*proc) * (size_t)count);
    for (int i = 0; i < count; i++) {
        int64_t day = (g->first / RF_MINUTES_PER_DAY) + below(g, 365);
        int64_t t = day * RF_MINUTES_PER_DAY + 7 * 60 + below(g, 10 * 60);
        at[i] = t;
    }
    qsort(at, (size_t)count, sizeof(*at), cmp_at);
    for (int i = 0; i < count; i++) {
        int pick = below(g, g->total_weight), j = 0;
        while (pick >= g->procs[j].weight) {
            pick -= g->procs[j].weight;
            j++;
        }
        proc[i] = j;
        desk[i] = strcmp(g->procs[j].p->level, "province") == 0 ? -1 : below(g, g->ndesks);
    }
    rc = RF_OK;
    for (int from = 0; rc == RF_OK && from < count; from += BATCH) {
        struct batch_job job = {g,  from, count - from < BATCH ? count - from : BATCH,
                                at, desk, proc};
        rc = rf_app_write(app, write_batch, &job, err);
        if (rc == RF_OK && (from / BATCH) % 400 == 399)
            rf_log_info("demo dossiers: %lld of %d written", (long long)g->done, count);
    }
    if (rc == RF_OK)
        rc = rf_app_write_deferrable(app, write_counts, g, err); /* a write each, no answer */
    if (rc == RF_OK)
        rf_log_info("demo dossiers: %lld written, %lld still open on 30 June 2026",
                    (long long)g->done, (long long)g->open);
    if (rc == RF_OK && (s = rf_app_store_get(app)) != NULL) {
        /* the planner sees the tables as they now are, not as the few rows they held */
        if (rf_store_analyze(s) != RF_OK)
            rf_log_error("demo dossiers: the planner's statistics were not made anew");
        rf_app_store_put(app, s);
    }
    rf_app_worktime_put(app, g->w);
    for (int i = 0; i < g->nprocs; i++)
        free(g->procs[i].p);
    free(g->counts);
    free(at);
    free(desk);
    free(proc);
    free(g);
    return rc;
}
