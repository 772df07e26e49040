/*
 * One-stop dossiers: the life of a dossier from the desk to the citizen,
 * its receipt and every move, each checked against the state machine of
 * core/dossier.c, made by the unit that holds the dossier, with its
 * timeline, its audit record and the service center's counters in the same
 * transaction. Due times are counted on the working calendar (calendar.c);
 * the catalogue is procedures.c's, the reads dossier_reads.c's and the
 * figures dossier_figures.c's.
 *
 * Counters ("metric" of a desk, field and level on a day): received and
 * received_online on the day of receipt; early, on_time, late and
 * process_minutes (working minutes from receipt to result, less pauses) on
 * the day of the result; supplement, apology, refused, withdrawn, stopped on
 * the day it happened. A report sums them over the period.
 */
#include "app_int.h"
#include "../common/mem.h"
#include "../core/text.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const channels[] = {"desk", "online", "post", NULL};

/* ---- shared by the moves ---- */

void rf_app_dossier_day(int64_t epoch, char out[RF_DATE_LEN])
{
    rf_date_format(rf_date_of_instant(epoch, RF_PROVINCE_UTC_OFFSET), out);
}

/*
 * Count what fact 'f' moves (the table of core/dossier.c) on 'day' and in
 * its month, for each unit of 'chain' (the dossier's desk and the units
 * above it on the day it was received): a report then reads one unit's rows.
 */
static int count_fact(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
                      const struct rf_procedure *p, const int64_t *chain, int n, const char *day,
                      const struct rf_dossier_fact *f)
{
    struct rf_dossier_effect e[RF_DOSSIER_MAX_EFFECTS];
    int ne = rf_dossier_effects(f, e), rc = RF_OK;
    char month[8];

    snprintf(month, sizeof(month), "%.7s", day);
    for (int k = 0; rc == RF_OK && k < ne; k++)
        for (int i = 0; rc == RF_OK && i < n; i++) {
            struct rf_dossier_count_key key = {
                d->province_id, chain[i], day,
                p->field,       p->level, rf_dossier_metric_names[e[k].metric]};
            rc = rf_app_count_add(app, s, &key, e[k].delta);
            key.span = month;
            if (rc == RF_OK)
                rc = rf_app_count_add(app, s, &key, e[k].delta);
        }
    return rc;
}

/*
 * The one scope rule of a dossier: 'actor' sees 'd' when province-wide, or
 * when its desk, or the unit that holds its step, was within their scope on
 * the day it was received (rf_store_dossiers_list reads the desks the same
 * way, so a list never shows what this refuses). RF_ENOTFOUND otherwise,
 * which answers word for word as a code that does not exist.
 */
int rf_app_dossier_in_scope(struct rf_store *s, const struct rf_actor *actor,
                            const struct rf_dossier *d)
{
    char received[RF_DATE_LEN];
    int rc;

    if (d->province_id != actor->province_id)
        return RF_ENOTFOUND;
    if (rf_access_province_wide(actor->roles))
        return RF_OK;
    rf_app_dossier_day(d->received_at, received);
    rc = rf_app_scope_check(s, actor, d->desk_unit_id, received, NULL);
    if (rc == RF_ENOTFOUND && d->step_unit_id)
        rc = rf_app_scope_check(s, actor, d->step_unit_id, received, NULL);
    return rc;
}

/*
 * The unit holding step 'i' of 'p' for a dossier received at 'desk', on
 * 'date', as the units of the versions 'v' (the actor's) stand.
 */
static int step_unit(struct rf_app *app, struct rf_store *s, const struct rf_versions *v,
                     int64_t province_id, const struct rf_procedure *p, int i, int64_t desk,
                     const char *date, int64_t *out)
{
    const char *ref = p->steps[i].unit_ref;

    if (strcmp(ref, "desk") == 0 || strcmp(ref, "district") == 0 || strcmp(ref, "commune") == 0) {
        *out = desk; /* the unit that received it */
        return RF_OK;
    }
    return rf_app_unit_id_kept(app, s, v, province_id, ref, date, out);
}

static void secret_new(char out[33], char hash[65])
{
    unsigned char raw[15], h[32];

    /* 120 random bits, written in base64url: 20 characters for the slip's QR code */
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, 33, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_generichash(h, sizeof(h), (const unsigned char *)out, strlen(out), NULL, 0);
    sodium_bin2hex(hash, 65, h, sizeof(h));
}

/* A phone number as its digits, '+' kept; RF_EINVAL unless 8 to 15 digits. */
int rf_app_phone_digits(const char *in, char out[RF_PHONE_MAX + 1])
{
    size_t n = 0;

    for (const char *p = in; p && *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p == '+' && n == 0)) {
            if (n == RF_PHONE_MAX)
                return RF_EINVAL;
            out[n++] = *p;
        } else if (*p != ' ' && *p != '.' && *p != '-') {
            return RF_EINVAL;
        }
    }
    out[n] = '\0';
    return n >= 8 ? RF_OK : RF_EINVAL;
}

/* ---- receipt ---- */

/* A desk's unit code and the units above it on a day (rf_app_unit_kept). */
static int desk_of(struct rf_app *app, struct rf_store *s, const struct rf_versions *v,
                   int64_t province_id, int64_t unit, const char *day,
                   char code[RF_UNIT_CODE_MAX + 1], int64_t chain[16], int *n)
{
    struct rf_app_kept_unit k;
    int rc = rf_app_unit_kept(app, s, v, province_id, unit, day, &k);

    if (rc != RF_OK)
        return rc;
    memcpy(code, k.code, sizeof(k.code));
    memcpy(chain, k.chain, sizeof(k.chain));
    *n = k.n;
    return RF_OK;
}

/* numbers tried for one receipt, at most: each taken one is another province's dossier */
#define CODE_TRIES 10000

int rf_app_dossier_insert_numbered(struct rf_store *s, struct rf_dossier *d, const char *desk_code)
{
    struct rf_date day = rf_date_of_instant(d->received_at, RF_PROVINCE_UTC_OFFSET);
    char date[RF_DATE_LEN];
    int64_t seq;
    int rc = RF_ECONFLICT;

    rf_date_format(day, date);
    for (int tries = 0; rc == RF_ECONFLICT && tries < CODE_TRIES; tries++) {
        rc = rf_store_dossier_next_seq(s, d->province_id, d->desk_unit_id, date, &seq);
        if (rc == RF_OK && rf_dossier_code(desk_code, day, seq, d->code) != RF_OK)
            return RF_EINVAL;
        if (rc == RF_OK)
            rc = rf_store_dossier_insert(s, d);
    }
    return rc;
}

struct receive_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    const struct rf_procedure *p;
    struct rf_dossier *d;
    enum rf_dossier_action outcome; /* receive, guide or refuse */
    const char *reason;
    char day[RF_DATE_LEN];
    char desk_code[RF_UNIT_CODE_MAX + 1]; /* read before the change, like the chain: */
    int64_t chain[16];                    /* the writer does only what must be in it */
    int nchain;
};

static int write_receipt(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct receive_job *job = ctx;
    struct rf_dossier *d = job->d;
    struct rf_dossier_event e;
    int rc;

    rc = rf_app_dossier_insert_numbered(s, d, job->desk_code);
    if (rc == RF_EINVAL)
        return rf_error_set(err, RF_EINVAL, "desk", "code",
                            "the desk's unit code %s cannot make a dossier code", job->desk_code);
    memset(&e, 0, sizeof(e));
    e.dossier_id = d->id;
    e.at = d->received_at;
    e.step = d->step;
    snprintf(e.action, sizeof(e.action), "%s", rf_dossier_action_name(job->outcome));
    snprintf(e.from_state, sizeof(e.from_state), "new");
    snprintf(e.to_state, sizeof(e.to_state), "%s", rf_dossier_state_name(d->state));
    snprintf(e.reason, sizeof(e.reason), "%s", job->reason ? job->reason : "");
    e.to_unit_id = d->step_unit_id;
    e.actor_id = job->actor->user_id;
    if (rc == RF_OK)
        rc = rf_store_dossier_event_add(s, d->province_id, &e);
    if (rc == RF_OK) {
        struct rf_dossier_fact f = {
            job->outcome, RF_DS_NEW, d->state, strcmp(d->channel, "online") == 0, RF_EARLY, -1};
        rc = count_fact(job->app, s, d, job->p, job->chain, job->nchain, job->day, &f);
    }
    if (rc == RF_OK) {
        char *body = rf_app_audit_json("{s:s,s:s}", "code", d->code, "procedure", job->p->code);
        rc = rf_app_audit(job->app, s, job->actor, e.action, "dossier", d->id, NULL, body);
        free(body);
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* A receipt between its two halves: what the change and the answer need. */
struct rf_receipt {
    struct receive_job job;
    struct rf_actor actor;
    struct rf_procedure *spare;
    char secret[33];
    char reason[RF_TITLE_BYTES];
    struct rf_error err; /* the change's own, given to the caller at the end */
    struct rf_write_job *write;
};

/*
 * The applicant, the channel, the outcome and its reason of 'in' into 'd'
 * and 'x', and the outcome's move into 'm': every fault goes into 'err'.
 */
static void receipt_input(const struct rf_dossier_input *in, struct rf_receipt *x,
                          struct rf_dossier *d, struct rf_dossier_move *m, struct rf_error *err)
{
    char *name = NULL, *address = NULL;

    if (!in->applicant_name || !*in->applicant_name ||
        rf_text_nfc(in->applicant_name, &name) != RF_OK ||
        strlen(name) >= sizeof(d->applicant_name))
        rf_error_set(err, RF_EINVAL, "applicant_name", "required",
                     "the applicant's name, 1 to 200 characters");
    else
        snprintf(d->applicant_name, sizeof(d->applicant_name), "%s", name);
    if (!in->applicant_phone ||
        rf_app_phone_digits(in->applicant_phone, d->applicant_phone) != RF_OK)
        rf_error_set(err, RF_EINVAL, "applicant_phone", "format",
                     "a phone number of 8 to 15 digits");
    if (in->applicant_address && *in->applicant_address &&
        (rf_text_nfc(in->applicant_address, &address) != RF_OK ||
         strlen(address) >= sizeof(d->applicant_address)))
        rf_error_set(err, RF_EINVAL, "applicant_address", "text",
                     "an address of at most 200 characters");
    else if (address)
        snprintf(d->applicant_address, sizeof(d->applicant_address), "%s", address);
    free(name);
    free(address);
    snprintf(d->channel, sizeof(d->channel), "%s",
             in->channel && *in->channel ? in->channel : "desk");
    if (rf_names_index(channels, d->channel) < 0)
        rf_error_set(err, RF_EINVAL, "channel", "enum", "desk, online or post");
    /* what the desk may do with a new dossier is the state machine's (receive, guide, refuse) */
    x->job.outcome = RF_DA_RECEIVE;
    if ((in->outcome && *in->outcome &&
         rf_dossier_action_parse(in->outcome, &x->job.outcome) != RF_OK) ||
        rf_dossier_next(RF_DS_NEW, -1, 1, x->job.outcome, m) != RF_OK)
        rf_error_set(err, RF_EINVAL, "outcome", "enum", "receive, guide or refuse");
    else if (m->needs_reason && (!in->reason || !*in->reason))
        rf_error_set(err, RF_EINVAL, "reason", "required",
                     x->job.outcome == RF_DA_GUIDE
                         ? "the papers to add or complete, for the guidance slip (Form 02)"
                         : "the reason for the refusal (Form 03)");
    if (in->reason && strlen(in->reason) >= RF_TITLE_BYTES)
        rf_error_set(err, RF_EINVAL, "reason", "too_long", "at most %d bytes", RF_TITLE_BYTES - 1);
    else if (in->reason)
        x->job.reason = memcpy(x->reason, in->reason, strlen(in->reason) + 1);
}

/*
 * Where the dossier goes: the procedure's version in force today (kept in
 * memory), the unit of its first step, and the desk's code and the units
 * above it. A procedure unknown or unfit is a fault in 'err' beside those of
 * the input; RF_OK otherwise, or the store's error.
 */
static int receipt_where(struct rf_app *app, const struct rf_actor *actor, const char *code,
                         struct rf_receipt *x, struct rf_dossier *d, struct rf_error *err)
{
    struct rf_store *s = rf_app_store_get(app);
    int64_t id = 0;
    int rc;

    if (!s)
        return rf_app_store_error(RF_ESTORE, err);
    rc = code ? rf_app_procedure_in_force(app, s, actor->province_id, code, x->job.day,
                                          &actor->versions, &id)
              : RF_ENOTFOUND;
    if (rc == RF_ENOTFOUND) {
        rc = RF_OK; /* a fault of the input, told with the others */
        rf_error_set(err, RF_EINVAL, "procedure_code", "not_found",
                     "no procedure with this code in force today");
        goto out;
    }
    if (rc == RF_OK)
        rc = rf_app_procedure_of(app, s, actor->province_id, id, &x->job.p, &x->spare);
    if (rc != RF_OK || err->n)
        goto out;
    if (x->job.outcome == RF_DA_RECEIVE) {
        rc = step_unit(app, s, &actor->versions, actor->province_id, x->job.p, 0, d->desk_unit_id,
                       x->job.day, &d->step_unit_id);
        if (rc == RF_ENOTFOUND) {
            rc = RF_OK;
            rf_error_set(err, RF_EINVAL, "procedure_code", "process",
                         "the procedure's first step names a unit not in force today");
            goto out;
        }
        if (rc != RF_OK)
            goto out;
    }
    rc = desk_of(app, s, &actor->versions, actor->province_id, d->desk_unit_id, x->job.day,
                 x->job.desk_code, x->job.chain, &x->job.nchain);
out:
    rf_app_store_put(app, s);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* The due time of 'd', received whole, on the working calendar (Decree 61/2018, art. 19(1)(a)). */
static int receipt_due(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_procedure *p, struct rf_dossier *d, struct rf_error *err)
{
    struct rf_allowance a = {p->days, p->minutes};
    const struct rf_worktime *w = rf_app_worktime_at(app, &actor->versions, err);
    int64_t due;
    int rc;

    if (!w)
        return rf_error_code(err, RF_ESTORE);
    rc = rf_worktime_due(w, rf_worktime_local(d->received_at), &a, -1, NULL, 0, &due);
    assert(rc != RF_OK || rf_worktime_in_hours(w, due) == 1); /* a due time ends a working minute */
    rf_app_worktime_put(app, w);
    if (rc != RF_OK)
        return rf_error_set(err, RF_EINVAL, "procedure_code", "calendar",
                            "the due time falls outside the working calendar");
    d->due_at = d->appointment_at = rf_worktime_epoch(due);
    return RF_OK;
}

int rf_app_dossier_receive_begin(struct rf_app *app, const struct rf_actor *actor,
                                 const struct rf_dossier_input *in, void (*ready)(void *),
                                 void *arg, struct rf_receipt **out, struct rf_error *err)
{
    struct rf_receipt *x;
    struct rf_dossier *d;
    struct rf_dossier_move m;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_DESK, err);
    if (rc != RF_OK)
        return rc;
    x = rf_xcalloc(1, sizeof(*x));
    d = x->job.d = rf_xcalloc(1, sizeof(*d));
    d->province_id = actor->province_id;
    d->desk_unit_id = actor->unit_id;
    d->received_at = rf_app_now(app);
    rf_app_dossier_day(d->received_at, x->job.day);
    receipt_input(in, x, d, &m, err);
    rc = receipt_where(app, actor, in->procedure_code, x, d, err);
    if (rc == RF_OK && err->n)
        rc = RF_EINVAL;
    if (rc != RF_OK)
        goto out;
    d->procedure_id = x->job.p->id;
    d->version = 1;
    d->created_at = d->updated_at = d->received_at;
    d->state = m.to;
    d->step = m.next_step;
    if (x->job.outcome == RF_DA_RECEIVE)
        rc = receipt_due(app, actor, x->job.p, d, err);
    else /* returned for completion or refused at the desk (art. 19(1)(b)-(c)): recorded for the
            log book, with no clock; its secret is never shown, there being nothing to follow */
        d->finished_at = d->received_at;
    if (rc != RF_OK)
        goto out;
    assert(rf_dossier_holder_consistent(d->state, d->step, d->step_unit_id, d->desk_unit_id));
    secret_new(x->secret, d->lookup_hash);
    x->actor = *actor;
    x->job.app = app;
    x->job.actor = &x->actor;
    rf_error_init(&x->err);
    x->write =
        rf_app_write_begin(app, write_receipt, &x->job, RF_WRITE_DEFERRABLE, &x->err, ready, arg);
    *out = x;
    x = NULL;
out:
    if (x) {
        free(x->spare);
        free(x->job.d);
        free(x);
    }
    return rc;
}

int rf_app_dossier_receive_end(struct rf_receipt *x, struct rf_buf *out, struct rf_error *err)
{
    int rc = rf_app_write_end(x->write);

    if (rc != RF_OK && err)
        *err = x->err;
    if (rc == RF_OK && out) {
        rf_app_dossier_write_json(x->job.d, x->job.p, 1, out);
        if (x->job.outcome == RF_DA_RECEIVE) {
            out->len--; /* reopen: the secret goes on the slip, once */
            rf_buf_adds(out, ",\"secret\":");
            rf_buf_add_json_str(out, x->secret);
            rf_buf_addc(out, '}');
        }
    }
    sodium_memzero(x->secret, sizeof(x->secret));
    free(x->spare);
    free(x->job.d);
    free(x);
    return rc;
}

/* ---- moves ---- */

/*
 * The current step's own due time (UTC, 0 when it has none), for the tracking
 * slip (Form 05): its allowance from when it began, the time waited for
 * papers ('ps', local) not counted.
 */
static void step_due(const struct rf_worktime *w, const struct rf_app_pauses *ps,
                     const struct rf_dossier *d, const struct rf_procedure *p, int64_t began,
                     int64_t *out)
{
    struct rf_allowance a = {0, p->steps[d->step].minutes};
    int64_t due;

    *out = 0;
    if (began && a.minutes > 0 &&
        rf_worktime_due(w, rf_worktime_local(began), &a, -1, ps->p, ps->n, &due) == RF_OK)
        *out = rf_worktime_epoch(due);
}

/* The same, with the calendar and the dossier's pauses read here. */
int rf_app_dossier_step_due(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
                            const struct rf_procedure *p, int64_t *out)
{
    struct rf_app_pauses *ps;
    const struct rf_worktime *w = rf_app_worktime_get(app, NULL);
    int64_t began = 0;
    int rc;

    *out = 0;
    if (!w)
        return RF_OK; /* no calendar: no step due time, the rest stands */
    ps = rf_xcalloc(1, sizeof(*ps));
    rc = rf_store_dossier_pauses(s, d->province_id, d->id, rf_app_keep_pause, ps);
    if (rc == RF_OK)
        rc = rf_store_dossier_step_began(s, d->province_id, d->id, &began);
    if (rc == RF_OK)
        step_due(w, ps, d, p, began, out);
    rf_app_worktime_put(app, w);
    free(ps);
    return rc;
}

int rf_app_keep_pause(void *ctx, int64_t from, int64_t to)
{
    struct rf_app_pauses *ps = ctx;

    if (ps->n < RF_APP_MAX_PAUSES) {
        ps->p[ps->n].from = rf_worktime_local(from);
        ps->p[ps->n].to = to ? rf_worktime_local(to) : rf_worktime_local(from);
        ps->n++;
    }
    return 0;
}

struct act_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    const char *code;
    enum rf_dossier_action action;
    int version;
    const char *reason;
    int64_t appointment; /* UTC, for an apology */
    struct rf_dossier *d;
    const struct rf_procedure *p;
    struct rf_procedure *spare; /* for a version not kept in memory */
    struct rf_error bad;        /* the request's own faults, told only once the dossier is seen */
    /* the move as prepare_move made it ready, for write_move to write */
    struct rf_dossier_event e;
    struct rf_dossier_fact fact;  /* for the counters */
    int pause;                    /* the pause for papers opened or closed at 'now' */
    int64_t now;                  /* the move's time */
    char day[RF_DATE_LEN];        /* its day */
    struct rf_app_kept_unit desk; /* the desk and the units above it on the day received */
};

enum { PAUSE_NONE, PAUSE_OPEN, PAUSE_CLOSE };

/* Whether the actor is where the move must be made: at the desk, or at the unit of the step. */
static int holds(const struct rf_actor *actor, const struct rf_dossier *d, unsigned who)
{
    if (who & RF_DWHO_DESK && rf_access_allows(actor->roles, RF_ACT_DOSSIER_DESK) &&
        actor->unit_id == d->desk_unit_id)
        return 1;
    return who & RF_DWHO_STEP && rf_access_allows(actor->roles, RF_ACT_DOSSIER_STEP) &&
           actor->unit_id == d->step_unit_id;
}

/* One move being written: what the actions' own functions read and change. */
struct move {
    struct act_job *job;
    struct rf_store *s;
    struct rf_dossier *d;
    const struct rf_procedure *p;
    const struct rf_worktime *w;
    struct rf_app_pauses *ps; /* the dossier's pauses, local minutes */
    int64_t began;            /* when its current step began (UTC) */
    struct rf_dossier_move next;
    struct rf_dossier_event *e;
    struct rf_dossier_fact fact; /* for the counters */
    int64_t now;
    char day[RF_DATE_LEN];
};

/* An apology with a new appointment (Form 04): no later than a working day before the due time. */
static int apologise(struct move *mv, struct rf_error *err)
{
    struct rf_dossier *d = mv->d;
    int in_time = 0;

    if (rf_dossier_apology_in_time(mv->w, rf_worktime_local(mv->now), rf_worktime_local(d->due_at),
                                   &in_time) != RF_OK ||
        !in_time)
        return rf_error_set(err, RF_ECONFLICT, "action", "too_late",
                            "an apology comes no later than one working day before the due time");
    if (mv->job->appointment <= d->appointment_at)
        return rf_error_set(err, RF_EINVAL, "appointment", "required",
                            "the new appointment comes after the one given");
    d->appointment_at = mv->job->appointment;
    d->apologies++;
    return RF_OK;
}

/* Papers asked of the citizen: the clock stops. */
static int ask(struct move *mv, struct rf_error *err)
{
    (void)err;
    mv->job->pause = PAUSE_OPEN;
    return RF_OK;
}

/* The papers taken in: the due time moves by the working time the dossier waited. */
static int supplied(struct move *mv, struct rf_error *err)
{
    struct rf_dossier *d = mv->d;
    struct rf_allowance a = {mv->p->days, mv->p->minutes};
    int64_t due;

    (void)err;
    mv->job->pause = PAUSE_CLOSE;
    if (mv->ps->n > 0)
        mv->ps->p[mv->ps->n - 1].to = rf_worktime_local(mv->now);
    if (rf_worktime_due(mv->w, rf_worktime_local(d->received_at), &a, -1, mv->ps->p, mv->ps->n,
                        &due) == RF_OK) {
        int64_t moved = rf_worktime_epoch(due) - d->due_at;
        assert(rf_worktime_in_hours(mv->w, due) == 1);
        d->due_at = rf_worktime_epoch(due);
        d->appointment_at += moved;
    }
    return RF_OK;
}

/*
 * The step's holder passes the dossier on, with the step's own due time on
 * its event (Form 05); after the last step the result goes to the desk,
 * judged against the due time (Circular 01/2018, art. 12).
 */
static int hand_over(struct move *mv, struct rf_error *err)
{
    struct rf_dossier *d = mv->d;
    enum rf_timeliness t;
    int64_t worked = 0;
    int rc = RF_OK;

    if (d->step >= 0 && d->step < mv->p->nsteps) {
        step_due(mv->w, mv->ps, d, mv->p, mv->began, &mv->e->step_due_at);
        mv->e->step_late = mv->e->step_due_at && mv->now > mv->e->step_due_at;
    }
    if (mv->next.next_step >= 0) {
        rc = step_unit(mv->job->app, mv->s, &mv->job->actor->versions, d->province_id, mv->p,
                       mv->next.next_step, d->desk_unit_id, mv->day, &d->step_unit_id);
        if (rc == RF_ENOTFOUND)
            return rf_error_set(err, RF_ECONFLICT, "action", "process",
                                "the next step names a unit not in force today");
        if (rc != RF_OK)
            return rc;
        mv->e->to_unit_id = d->step_unit_id;
        return RF_OK;
    }
    t = rf_dossier_timeliness(rf_worktime_local(d->due_at), rf_worktime_local(mv->now));
    d->result_at = mv->now;
    d->step_unit_id = d->desk_unit_id;
    snprintf(d->timeliness, sizeof(d->timeliness), "%s", rf_timeliness_name(t));
    mv->fact.timeliness = t;
    mv->fact.worked =
        rf_worktime_between(mv->w, rf_worktime_local(d->received_at), rf_worktime_local(mv->now),
                            mv->ps->p, mv->ps->n, &worked) == RF_OK
            ? worked
            : -1;
    mv->e->to_unit_id = d->step_unit_id;
    return RF_OK;
}

/* Refused, withdrawn or stopped: finished, and a pause for papers ends with it. */
static int finish(struct move *mv, struct rf_error *err)
{
    struct rf_dossier *d = mv->d;

    (void)err;
    if (d->state == RF_DS_SUPPLEMENT)
        mv->job->pause = PAUSE_CLOSE;
    d->finished_at = mv->now;
    d->step_unit_id = 0;
    return RF_OK;
}

/* The result handed over at the desk: finished. */
static int return_result(struct move *mv, struct rf_error *err)
{
    (void)err;
    mv->d->finished_at = mv->now;
    return RF_OK;
}

/* What each action does beyond the state machine's move; NULL: nothing. */
static int (*const actions[RF_DA_COUNT])(struct move *, struct rf_error *) = {
    [RF_DA_APOLOGISE] = apologise, [RF_DA_ASK] = ask,
    [RF_DA_SUPPLIED] = supplied,   [RF_DA_HAND_OVER] = hand_over,
    [RF_DA_REFUSE] = finish,       [RF_DA_WITHDRAW] = finish,
    [RF_DA_STOP] = finish,         [RF_DA_RETURN] = return_result,
};

/*
 * Whether the move may be made: the dossier read before the move is written
 * (the version it is written at decides who acted first), in the actor's scope before
 * anything about it (its version, state or holder) or about the request
 * could tell otherwise, at the version the actor saw, allowed from its
 * state, and made by its holder. Fills mv->p and mv->next.
 */
static int may_move(struct move *mv, struct rf_error *err)
{
    struct act_job *job = mv->job;
    struct rf_dossier *d = mv->d;
    int rc = rf_store_dossier_for_move(mv->s, job->actor->province_id, job->code, d, &mv->began,
                                       rf_app_keep_pause, mv->ps);

    if (rc == RF_OK)
        rc = rf_app_dossier_in_scope(mv->s, job->actor, d);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (job->bad.n) {
        *err = job->bad;
        return job->bad.code;
    }
    rc =
        rf_app_procedure_of(job->app, mv->s, d->province_id, d->procedure_id, &job->p, &job->spare);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    mv->p = job->p;
    if (d->version != job->version)
        return rf_error_set(err, RF_ECONFLICT, "version", "stale",
                            "the dossier changed since version %d: it is at version %d now",
                            job->version, d->version);
    if (rf_dossier_next(d->state, d->step, mv->p->nsteps, job->action, &mv->next) != RF_OK)
        return rf_error_set(err, RF_ECONFLICT, "action", "state", "a dossier %s cannot be %s",
                            rf_dossier_state_name(d->state), rf_dossier_action_name(job->action));
    if (!holds(job->actor, d, mv->next.who))
        return rf_error_set(err, RF_EFORBIDDEN, "action", "holder",
                            mv->next.who == RF_DWHO_DESK
                                ? "only the desk that received it may do this"
                                : "only the unit that holds its step may do this");
    if (mv->next.needs_reason && (!job->reason || !*job->reason))
        return rf_error_set(err, RF_EINVAL, "reason", "required", "this needs a written reason");
    return RF_OK;
}

/*
 * Everything a move reads, and what it will write, made ready outside the
 * writer on connection 's': the dossier as the actor saw it (its version),
 * its pauses and step, the units it goes to and those its figures count for.
 * The writer then only writes (write_move), and the version it writes at
 * decides who acted first.
 */
static int prepare_move(struct act_job *job, struct rf_store *s, struct rf_error *err)
{
    struct rf_dossier *d = job->d;
    struct rf_dossier_event *e = &job->e;
    char received[RF_DATE_LEN];
    struct move mv;
    int rc;

    memset(&mv, 0, sizeof(mv));
    mv.job = job;
    mv.s = s;
    mv.d = d;
    mv.e = e;
    mv.now = job->now = rf_app_now(job->app);
    mv.ps = rf_xcalloc(1, sizeof(*mv.ps));
    rc = may_move(&mv, err);
    if (rc != RF_OK) {
        free(mv.ps);
        return rc;
    }
    rf_app_dossier_day(mv.now, mv.day);
    memcpy(job->day, mv.day, sizeof(job->day));
    memset(e, 0, sizeof(*e));
    e->dossier_id = d->id;
    e->at = mv.now;
    snprintf(e->action, sizeof(e->action), "%s", rf_dossier_action_name(job->action));
    snprintf(e->from_state, sizeof(e->from_state), "%s", rf_dossier_state_name(d->state));
    snprintf(e->to_state, sizeof(e->to_state), "%s", rf_dossier_state_name(mv.next.to));
    e->step = d->step;
    e->from_unit_id = d->step_unit_id;
    e->actor_id = job->actor->user_id;
    snprintf(e->reason, sizeof(e->reason), "%s", job->reason ? job->reason : "");
    mv.fact = (struct rf_dossier_fact){
        job->action, d->state, mv.next.to, strcmp(d->channel, "online") == 0, RF_EARLY, -1};

    mv.w = rf_app_worktime_at(job->app, &job->actor->versions, err);
    if (!mv.w) {
        free(mv.ps);
        return rf_error_code(err, RF_ESTORE);
    }
    if (actions[job->action])
        rc = actions[job->action](&mv, err);
    /* the figures count for the units above the desk on the day it was received, as the
       scope rule reads a dossier (rf_app_dossier_in_scope), so that a figure counts what the
       list behind it shows whichever day it is counted on */
    rf_app_dossier_day(d->received_at, received);
    if (rc == RF_OK)
        rc = rf_app_unit_kept(job->app, s, &job->actor->versions, d->province_id, d->desk_unit_id,
                              received, &job->desk);
    rf_app_worktime_put(job->app, mv.w);
    free(mv.ps);
    if (rc != RF_OK)
        return err->n ? err->code : rf_app_store_error(rc, err);
    job->fact = mv.fact;

    d->state = mv.next.to;
    d->step = mv.next.next_step;
    if (d->state != RF_DS_PROCESSING && d->state != RF_DS_SUPPLEMENT && d->state != RF_DS_READY &&
        d->state != RF_DS_NOTIFIED)
        d->step_unit_id = 0;
    d->updated_at = mv.now;
    assert(rf_dossier_holder_consistent(d->state, d->step, d->step_unit_id, d->desk_unit_id));
    return RF_OK;
}

/* The move prepare_move made ready, written: at the version read, or refused as stale. */
static int write_move(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct act_job *job = ctx;
    struct rf_dossier *d = job->d;
    char *body;
    int rc = rf_store_dossier_update(s, d, job->version);

    if (rc == RF_ECONFLICT)
        return rf_error_set(err, RF_ECONFLICT, "version", "stale",
                            "somebody acted on the dossier at the same moment");
    if (rc == RF_OK && job->pause == PAUSE_OPEN)
        rc = rf_store_dossier_pause_open(s, d->province_id, d->id, job->now);
    else if (rc == RF_OK && job->pause == PAUSE_CLOSE)
        rc = rf_store_dossier_pause_close(s, d->province_id, d->id, job->now);
    if (rc == RF_OK)
        rc = rf_store_dossier_event_add(s, d->province_id, &job->e);
    if (rc == RF_OK)
        rc = count_fact(job->app, s, d, job->p, job->desk.chain, job->desk.n, job->day, &job->fact);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    body = rf_app_audit_json("{s:s,s:s,s:i}", "action", job->e.action, "state", job->e.to_state,
                             "version", d->version);
    rc = rf_app_audit(job->app, s, job->actor, job->e.action, "dossier", d->id, NULL, body);
    free(body);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

struct rf_move {
    struct act_job job;
    struct rf_actor actor;
    struct rf_error err;
    struct rf_write_job *write;
};

static void move_free(struct rf_move *x)
{
    free(x->job.d);
    free(x->job.spare);
    free(x);
}

int rf_app_dossier_act_begin(struct rf_app *app, const struct rf_actor *actor, const char *code,
                             const char *action, int version, const char *reason,
                             const char *appointment, void (*ready)(void *), void *arg,
                             struct rf_move **out, struct rf_error *err)
{
    struct rf_move *x;
    struct act_job *job;
    struct rf_store *s;
    int rc;

    *out = NULL;
    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    x = rf_xcalloc(1, sizeof(*x));
    job = &x->job;
    /* checked now, told by may_move once the dossier is known to be in scope */
    if (!action || rf_dossier_action_parse(action, &job->action) != RF_OK)
        rf_error_set(&job->bad, RF_EINVAL, "action", "enum",
                     "one of receive, guide, refuse, hand_over, ask, supplied, apologise, "
                     "notify, return, withdraw, stop");
    else if (job->action == RF_DA_RECEIVE || job->action == RF_DA_GUIDE)
        rf_error_set(&job->bad, RF_EINVAL, "action", "enum",
                     "a dossier is received with POST /api/v1/dossiers");
    if (version < 1)
        rf_error_set(&job->bad, RF_EINVAL, "version", "required",
                     "the version of the dossier as you saw it");
    if (appointment && *appointment) {
        int64_t local;
        if (rf_worktime_parse(appointment, &local) != RF_OK)
            rf_error_set(&job->bad, RF_EINVAL, "appointment", "format",
                         "a local time YYYY-MM-DD HH:MM");
        else
            job->appointment = rf_worktime_epoch(local);
    }
    if (reason && strlen(reason) >= RF_TITLE_BYTES)
        rf_error_set(&job->bad, RF_EINVAL, "reason", "too_long", "at most %d bytes",
                     RF_TITLE_BYTES - 1);
    x->actor = *actor;
    job->app = app;
    job->actor = &x->actor;
    job->code = code; /* read by prepare_move alone, as is the reason */
    job->version = version;
    job->reason = reason;
    job->d = rf_xcalloc(1, sizeof(*job->d));
    rc = rf_app_store_take(app, &s, err);
    if (rc == RF_OK) {
        rc = prepare_move(job, s, err);
        rf_app_store_put(app, s);
    }
    job->code = job->reason = NULL;
    if (rc != RF_OK) {
        move_free(x);
        return rc;
    }
    rf_error_init(&x->err);
    x->write = rf_app_write_begin(app, write_move, job, RF_WRITE_DEFERRABLE, &x->err, ready, arg);
    *out = x;
    return RF_OK;
}

int rf_app_dossier_act_end(struct rf_move *x, struct rf_buf *out, struct rf_error *err)
{
    int rc = rf_app_write_end(x->write);

    if (rc != RF_OK && err)
        *err = x->err;
    if (rc == RF_OK && out)
        rf_app_dossier_write_json(x->job.d, x->job.p, 1, out);
    move_free(x);
    return rc;
}

int rf_app_dossier_act(struct rf_app *app, const struct rf_actor *actor, const char *code,
                       const char *action, int version, const char *reason, const char *appointment,
                       struct rf_buf *out, struct rf_error *err)
{
    struct rf_move *x;
    int rc = rf_app_dossier_act_begin(app, actor, code, action, version, reason, appointment, NULL,
                                      NULL, &x, err);

    return rc == RF_OK ? rf_app_dossier_act_end(x, out, err) : rc;
}
