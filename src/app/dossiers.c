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
 * Add 'delta' to 'metric' on 'day' and in its month, for each unit of
 * 'chain' (the dossier's desk and the units above it on the day it was
 * received): a report then reads one unit's rows.
 */
static int count_chain(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
                       const struct rf_procedure *p, const int64_t *chain, int n, const char *day,
                       const char *metric, int64_t delta)
{
    char month[8];
    int rc = RF_OK;

    snprintf(month, sizeof(month), "%.7s", day);
    for (int i = 0; rc == RF_OK && i < n; i++) {
        struct rf_dossier_count_key k = {d->province_id, chain[i], day, p->field, p->level, metric};
        rc = rf_app_count_add(app, s, &k, delta);
        k.span = month;
        if (rc == RF_OK)
            rc = rf_app_count_add(app, s, &k, delta);
    }
    return rc;
}

static int count(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
                 const struct rf_procedure *p, int64_t at, const char *metric, int64_t delta)
{
    char day[RF_DATE_LEN], received[RF_DATE_LEN];
    int64_t chain[16];
    int n = 0, rc;

    rf_app_dossier_day(at, day);
    /* the units above the desk on the day it was received, as the scope rule reads a dossier
       (rf_app_dossier_in_scope): a figure counts what the list behind it shows, whichever day it is
       counted on, and a dossier's "open" leaves the units it entered */
    rf_app_dossier_day(d->received_at, received);
    rc = rf_store_unit_chain(s, d->desk_unit_id, received, chain, 16, &n);
    return rc == RF_OK ? count_chain(app, s, d, p, chain, n, day, metric, delta) : rc;
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

/* The unit holding step 'i' of 'p' for a dossier received at 'desk' on 'date'. */
static int step_unit(struct rf_store *s, int64_t province_id, const struct rf_procedure *p, int i,
                     int64_t desk, const char *date, int64_t *out)
{
    const char *ref = p->steps[i].unit_ref;
    struct rf_unit u;
    int rc;

    if (strcmp(ref, "desk") == 0 || strcmp(ref, "district") == 0 || strcmp(ref, "commune") == 0) {
        *out = desk; /* the unit that received it */
        return RF_OK;
    }
    rc = rf_store_unit_get_by_code(s, province_id, ref, date, &u);
    if (rc == RF_OK)
        *out = u.id;
    return rc;
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

/*
 * A desk's unit code and the units above it on a day, kept in memory while
 * the province's units_version (moved by every change of the tree, from any
 * process) stands: a receipt then reads one number instead of the tree.
 */
#define KEPT_DESKS 64

static struct kept_desk {
    int64_t province_id, unit, version;
    char day[RF_DATE_LEN];
    char code[RF_UNIT_CODE_MAX + 1];
    int64_t chain[16];
    int n;
} desks[KEPT_DESKS];
static pthread_mutex_t desks_lock = PTHREAD_MUTEX_INITIALIZER;

static int desk_of(struct rf_store *s, int64_t province_id, int64_t unit, const char *day,
                   char code[RF_UNIT_CODE_MAX + 1], int64_t chain[16], int *n)
{
    struct kept_desk *k = &desks[(uint64_t)unit % KEPT_DESKS], fresh;
    struct rf_unit u;
    int64_t version;
    int rc = rf_store_units_version(s, province_id, &version);

    if (rc != RF_OK)
        return rc;
    pthread_mutex_lock(&desks_lock);
    if (k->unit == unit && k->province_id == province_id && k->version == version &&
        strcmp(k->day, day) == 0) {
        memcpy(code, k->code, sizeof(k->code));
        memcpy(chain, k->chain, sizeof(k->chain));
        *n = k->n;
        pthread_mutex_unlock(&desks_lock);
        return RF_OK;
    }
    pthread_mutex_unlock(&desks_lock);
    memset(&fresh, 0, sizeof(fresh));
    rc = rf_store_unit_get(s, province_id, unit, day, &u);
    if (rc == RF_OK)
        rc = rf_store_unit_chain(s, unit, day, fresh.chain, 16, &fresh.n);
    if (rc != RF_OK)
        return rc;
    fresh.province_id = province_id;
    fresh.unit = unit;
    fresh.version = version;
    snprintf(fresh.day, sizeof(fresh.day), "%s", day);
    snprintf(fresh.code, sizeof(fresh.code), "%s", u.code);
    memcpy(code, fresh.code, sizeof(fresh.code));
    memcpy(chain, fresh.chain, sizeof(fresh.chain));
    *n = fresh.n;
    pthread_mutex_lock(&desks_lock);
    *k = fresh;
    pthread_mutex_unlock(&desks_lock);
    return RF_OK;
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
    int64_t seq;
    char body[160];
    int rc;

    rc = rf_store_dossier_next_seq(s, d->desk_unit_id, job->day, &seq);
    if (rc == RF_OK) {
        struct rf_date day;
        (void)!rf_date_parse(job->day, &day);
        if (rf_dossier_code(job->desk_code, day, seq, d->code) != RF_OK)
            return rf_error_set(err, RF_EINVAL, "desk", "code",
                                "the desk's unit code %s cannot make a dossier code",
                                job->desk_code);
        rc = rf_store_dossier_insert(s, d);
    }
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
        rc = rf_store_dossier_event_add(s, &e);
    if (job->outcome != RF_DA_RECEIVE) { /* never received: only its own figure */
        if (rc == RF_OK)
            rc = count_chain(job->app, s, d, job->p, job->chain, job->nchain, job->day,
                             job->outcome == RF_DA_GUIDE ? "guided" : "refused", 1);
    } else {
        if (rc == RF_OK)
            rc = count_chain(job->app, s, d, job->p, job->chain, job->nchain, job->day, "received",
                             1);
        if (rc == RF_OK)
            rc = count_chain(job->app, s, d, job->p, job->chain, job->nchain, job->day, "open", 1);
        if (rc == RF_OK && strcmp(d->channel, "online") == 0)
            rc = count_chain(job->app, s, d, job->p, job->chain, job->nchain, job->day,
                             "received_online", 1);
    }
    snprintf(body, sizeof(body), "{\"code\":\"%s\",\"procedure\":\"%s\"}", d->code, job->p->code);
    if (rc == RF_OK)
        rc = rf_app_audit(job->app, s, job->actor, e.action, "dossier", d->id, NULL, body);
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

int rf_app_dossier_receive_begin(struct rf_app *app, const struct rf_actor *actor,
                                 const struct rf_dossier_input *in, void (*ready)(void *),
                                 void *arg, struct rf_receipt **out, struct rf_error *err)
{
    struct rf_receipt *x;
    const struct rf_procedure *p = NULL;
    struct rf_procedure *spare = NULL;
    struct rf_dossier *d;
    const struct rf_worktime *w;
    struct rf_allowance a;
    struct rf_dossier_move m;
    struct rf_store *s;
    char *name = NULL, *address = NULL;
    int64_t due;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_DESK, err);
    if (rc != RF_OK)
        return rc;
    x = rf_xcalloc(1, sizeof(*x));
    d = rf_xcalloc(1, sizeof(*d));
    d->province_id = actor->province_id;
    d->desk_unit_id = actor->unit_id;
    d->received_at = rf_app_now(app);
    rf_app_dossier_day(d->received_at, x->job.day);
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
    snprintf(d->channel, sizeof(d->channel), "%s",
             in->channel && *in->channel ? in->channel : "desk");
    if (rf_names_index(channels, d->channel) < 0)
        rf_error_set(err, RF_EINVAL, "channel", "enum", "desk, online or post");
    /* what the desk may do with a new dossier is the state machine's (receive, guide, refuse) */
    x->job.outcome = RF_DA_RECEIVE;
    if ((in->outcome && *in->outcome &&
         rf_dossier_action_parse(in->outcome, &x->job.outcome) != RF_OK) ||
        rf_dossier_next(RF_DS_NEW, -1, 1, x->job.outcome, &m) != RF_OK)
        rf_error_set(err, RF_EINVAL, "outcome", "enum", "receive, guide or refuse");
    else if (m.needs_reason && (!in->reason || !*in->reason))
        rf_error_set(err, RF_EINVAL, "reason", "required",
                     x->job.outcome == RF_DA_GUIDE
                         ? "the papers to add or complete, for the guidance slip (Form 02)"
                         : "the reason for the refusal (Form 03)");
    if (in->reason && strlen(in->reason) >= RF_TITLE_BYTES)
        rf_error_set(err, RF_EINVAL, "reason", "too_long", "at most %d bytes", RF_TITLE_BYTES - 1);
    else if (in->reason)
        x->job.reason = memcpy(x->reason, in->reason, strlen(in->reason) + 1);
    s = rf_app_store_get(app);
    rc = s ? RF_OK : RF_ESTORE;
    if (rc == RF_OK) {
        /* the version in force today, then the version itself from memory */
        int64_t id = 0;
        int found = in->procedure_code &&
                    rf_store_procedure_in_force(s, actor->province_id, in->procedure_code,
                                                x->job.day, &id) == RF_OK;
        if (!found)
            rf_error_set(err, RF_EINVAL, "procedure_code", "not_found",
                         "no procedure with this code in force today");
        else
            rc = rf_app_procedure_of(s, actor->province_id, id, &p, &spare);
    }
    if (rc == RF_OK && !(err && err->n) && x->job.outcome == RF_DA_RECEIVE &&
        step_unit(s, actor->province_id, p, 0, d->desk_unit_id, x->job.day, &d->step_unit_id) !=
            RF_OK)
        rf_error_set(err, RF_EINVAL, "procedure_code", "process",
                     "the procedure's first step names a unit not in force today");
    if (rc == RF_OK && !(err && err->n))
        rc = desk_of(s, actor->province_id, d->desk_unit_id, x->job.day, x->job.desk_code,
                     x->job.chain, &x->job.nchain);
    rf_app_store_put(app, s);
    free(name);
    free(address);
    if (rc != RF_OK || (err && err->n)) {
        free(spare);
        free(d);
        free(x);
        return rc != RF_OK ? rf_app_store_error(rc, err) : RF_EINVAL;
    }
    d->procedure_id = p->id;
    d->version = 1;
    d->created_at = d->updated_at = d->received_at;
    d->state = m.to;
    d->step = m.next_step;
    if (x->job.outcome == RF_DA_RECEIVE) {
        /* the due time on the working calendar (Decree 61/2018, art. 19(1)(a)) */
        a.days = p->days;
        a.minutes = p->minutes;
        w = rf_app_worktime_get(app, err);
        rc = w ? rf_worktime_due(w, rf_worktime_local(d->received_at), &a, -1, NULL, 0, &due)
               : RF_ESTORE;
        rf_app_worktime_put(app, w);
        if (rc != RF_OK) {
            free(spare);
            free(d);
            free(x);
            return w ? rf_error_set(err, RF_EINVAL, "procedure_code", "calendar",
                                    "the due time falls outside the working calendar")
                     : err->code;
        }
        d->due_at = d->appointment_at = rf_worktime_epoch(due);
    } else {
        /* returned for completion or refused at the desk (art. 19(1)(b)-(c)): recorded for
           the log book, with no clock; its secret is never shown, there being nothing to follow */
        d->finished_at = d->received_at;
    }
    secret_new(x->secret, d->lookup_hash);
    x->actor = *actor;
    x->spare = spare;
    x->job.app = app;
    x->job.actor = &x->actor;
    x->job.p = p;
    x->job.d = d;
    rf_error_init(&x->err);
    x->write = rf_app_write_begin(app, write_receipt, &x->job, &x->err, ready, arg);
    *out = x;
    return RF_OK;
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
static int step_due(struct rf_store *s, const struct rf_worktime *w, const struct rf_app_pauses *ps,
                    const struct rf_dossier *d, const struct rf_procedure *p, int64_t *out)
{
    struct rf_allowance a = {0, p->steps[d->step].minutes};
    int64_t began = 0, due;
    int rc = rf_store_dossier_step_began(s, d->id, &began);

    *out = 0;
    if (rc == RF_OK && began && a.minutes > 0 &&
        rf_worktime_due(w, rf_worktime_local(began), &a, -1, ps->p, ps->n, &due) == RF_OK)
        *out = rf_worktime_epoch(due);
    return rc;
}

/* The same, with the calendar and the dossier's pauses read here. */
int rf_app_dossier_step_due(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
                            const struct rf_procedure *p, int64_t *out)
{
    struct rf_app_pauses *ps;
    const struct rf_worktime *w = rf_app_worktime_get(app, NULL);
    int rc;

    *out = 0;
    if (!w)
        return RF_OK; /* no calendar: no step due time, the rest stands */
    ps = rf_xcalloc(1, sizeof(*ps));
    rc = rf_store_dossier_pauses(s, d->id, rf_app_keep_pause, ps);
    if (rc == RF_OK)
        rc = step_due(s, w, ps, d, p, out);
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
};

/* Whether the actor is where the move must be made: at the desk, or at the unit of the step. */
static int holds(const struct rf_actor *actor, const struct rf_dossier *d, unsigned who)
{
    if (who & RF_DWHO_DESK && rf_app_allow(actor, RF_ACT_DOSSIER_DESK, NULL) == RF_OK &&
        actor->unit_id == d->desk_unit_id)
        return 1;
    return who & RF_DWHO_STEP && rf_app_allow(actor, RF_ACT_DOSSIER_STEP, NULL) == RF_OK &&
           actor->unit_id == d->step_unit_id;
}

static int write_move(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct act_job *job = ctx;
    struct rf_dossier *d = job->d;
    const struct rf_procedure *p = NULL;
    struct rf_dossier_move m;
    struct rf_dossier_event e;
    const struct rf_worktime *w = NULL;
    struct rf_app_pauses *ps = NULL;
    int64_t now = rf_app_now(job->app);
    char day[RF_DATE_LEN], body[200];
    int rc;

    /* read inside the transaction: the version decides who acted first. A dossier outside the
       scope answers as one that does not exist, before anything about it (its version, state or
       holder) or about the request could tell otherwise */
    rc = rf_store_dossier_by_code(s, job->code, d);
    if (rc == RF_OK)
        rc = rf_app_dossier_in_scope(s, job->actor, d);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (job->bad.n) {
        if (err)
            *err = job->bad;
        return job->bad.code;
    }
    rc = rf_app_procedure_of(s, d->province_id, d->procedure_id, &job->p, &job->spare);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    p = job->p;
    if (d->version != job->version)
        return rf_error_set(err, RF_ECONFLICT, "version", "stale",
                            "the dossier changed since version %d: it is at version %d now",
                            job->version, d->version);
    if (rf_dossier_next(d->state, d->step, p->nsteps, job->action, &m) != RF_OK)
        return rf_error_set(err, RF_ECONFLICT, "action", "state", "a dossier %s cannot be %s",
                            rf_dossier_state_name(d->state), rf_dossier_action_name(job->action));
    if (!holds(job->actor, d, m.who))
        return rf_error_set(err, RF_EFORBIDDEN, "action", "holder",
                            m.who == RF_DWHO_DESK
                                ? "only the desk that received it may do this"
                                : "only the unit that holds its step may do this");
    if (m.needs_reason && (!job->reason || !*job->reason))
        return rf_error_set(err, RF_EINVAL, "reason", "required", "this needs a written reason");
    rf_app_dossier_day(now, day);
    memset(&e, 0, sizeof(e));
    e.dossier_id = d->id;
    e.at = now;
    snprintf(e.action, sizeof(e.action), "%s", rf_dossier_action_name(job->action));
    snprintf(e.from_state, sizeof(e.from_state), "%s", rf_dossier_state_name(d->state));
    snprintf(e.to_state, sizeof(e.to_state), "%s", rf_dossier_state_name(m.to));
    e.step = d->step;
    e.from_unit_id = d->step_unit_id;
    e.actor_id = job->actor->user_id;
    snprintf(e.reason, sizeof(e.reason), "%s", job->reason ? job->reason : "");

    w = rf_app_worktime_get(job->app, err);
    if (!w)
        return err && err->n ? err->code : RF_ESTORE;
    ps = rf_xcalloc(1, sizeof(*ps));
    rc = rf_store_dossier_pauses(s, d->id, rf_app_keep_pause, ps);
    if (rc == RF_OK && job->action == RF_DA_APOLOGISE) {
        int in_time = 0;
        if (rf_dossier_apology_in_time(w, rf_worktime_local(now), rf_worktime_local(d->due_at),
                                       &in_time) != RF_OK ||
            !in_time)
            rc = rf_error_set(err, RF_ECONFLICT, "action", "too_late",
                              "an apology comes no later than one working day before the due "
                              "time");
        else if (job->appointment <= d->appointment_at)
            rc = rf_error_set(err, RF_EINVAL, "appointment", "required",
                              "the new appointment comes after the one given");
        else {
            d->appointment_at = job->appointment;
            d->apologies++;
            rc = count(job->app, s, d, p, now, "apology", 1);
        }
    }
    if (rc == RF_OK && job->action == RF_DA_ASK) {
        rc = rf_store_dossier_pause_open(s, d->id, now);
        if (rc == RF_OK)
            rc = count(job->app, s, d, p, now, "supplement", 1);
    }
    if (rc == RF_OK && job->action == RF_DA_SUPPLIED) {
        /* the time waited does not count: the due time moves by the working time paused */
        struct rf_allowance a = {p->days, p->minutes};
        int64_t due;
        rc = rf_store_dossier_pause_close(s, d->id, now);
        if (rc == RF_OK && ps->n > 0)
            ps->p[ps->n - 1].to = rf_worktime_local(now);
        if (rc == RF_OK && rf_worktime_due(w, rf_worktime_local(d->received_at), &a, -1, ps->p,
                                           ps->n, &due) == RF_OK) {
            int64_t moved = rf_worktime_epoch(due) - d->due_at;
            d->due_at = rf_worktime_epoch(due);
            d->appointment_at += moved;
        }
    }
    if (rc == RF_OK && job->action == RF_DA_HAND_OVER && d->step >= 0 && d->step < p->nsteps) {
        rc = step_due(s, w, ps, d, p, &e.step_due_at);
        e.step_late = e.step_due_at && now > e.step_due_at;
    }
    if (rc == RF_OK && job->action == RF_DA_HAND_OVER) {
        if (m.next_step >= 0) {
            rc = step_unit(s, d->province_id, p, m.next_step, d->desk_unit_id, day,
                           &d->step_unit_id);
            if (rc != RF_OK)
                rc = rf_error_set(err, RF_ECONFLICT, "action", "process",
                                  "the next step names a unit not in force today");
        } else {
            /* the result: judged against the due time (Circular 01/2018, art. 12) */
            enum rf_timeliness t =
                rf_dossier_timeliness(rf_worktime_local(d->due_at), rf_worktime_local(now));
            int64_t worked = 0;
            d->result_at = now;
            d->step_unit_id = d->desk_unit_id;
            snprintf(d->timeliness, sizeof(d->timeliness), "%s", rf_timeliness_name(t));
            rc = count(job->app, s, d, p, now, d->timeliness, 1);
            if (rc == RF_OK)
                rc = count(job->app, s, d, p, now, "open", -1);
            if (rc == RF_OK &&
                rf_worktime_between(w, rf_worktime_local(d->received_at), rf_worktime_local(now),
                                    ps->p, ps->n, &worked) == RF_OK)
                rc = count(job->app, s, d, p, now, "process_minutes", worked);
        }
        e.to_unit_id = d->step_unit_id;
    }
    if (rc == RF_OK && (job->action == RF_DA_REFUSE || job->action == RF_DA_WITHDRAW ||
                        job->action == RF_DA_STOP)) {
        static const char *const metric[] = {
            [RF_DA_REFUSE] = "refused", [RF_DA_WITHDRAW] = "withdrawn", [RF_DA_STOP] = "stopped"};
        if (d->state == RF_DS_SUPPLEMENT)
            rc = rf_store_dossier_pause_close(s, d->id, now);
        d->finished_at = now;
        d->step_unit_id = 0;
        if (rc == RF_OK)
            rc = count(job->app, s, d, p, now, metric[job->action], 1);
        if (rc == RF_OK)
            rc = count(job->app, s, d, p, now, "open", -1);
    }
    if (rc == RF_OK && job->action == RF_DA_RETURN) {
        d->finished_at = now;
        rc = count(job->app, s, d, p, now, "returned", 1);
    }
    rf_app_worktime_put(job->app, w);
    free(ps);
    if (rc != RF_OK)
        return err && err->n ? err->code : rf_app_store_error(rc, err);
    d->state = m.to;
    d->step = m.next_step;
    if (d->state != RF_DS_PROCESSING && d->state != RF_DS_SUPPLEMENT && d->state != RF_DS_READY &&
        d->state != RF_DS_NOTIFIED)
        d->step_unit_id = 0;
    d->updated_at = now;
    rc = rf_store_dossier_update(s, d, job->version);
    if (rc == RF_ECONFLICT)
        return rf_error_set(err, RF_ECONFLICT, "version", "stale",
                            "somebody acted on the dossier at the same moment");
    if (rc == RF_OK)
        rc = rf_store_dossier_event_add(s, &e);
    snprintf(body, sizeof(body), "{\"action\":\"%s\",\"state\":\"%s\",\"version\":%d}", e.action,
             e.to_state, d->version);
    if (rc == RF_OK)
        rc = rf_app_audit(job->app, s, job->actor, e.action, "dossier", d->id, NULL, body);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_dossier_act(struct rf_app *app, const struct rf_actor *actor, const char *code,
                       const char *action, int version, const char *reason, const char *appointment,
                       struct rf_buf *out, struct rf_error *err)
{
    struct act_job job;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    memset(&job, 0, sizeof(job));
    /* checked now, told by write_move once the dossier is known to be in scope */
    if (!action || rf_dossier_action_parse(action, &job.action) != RF_OK)
        rf_error_set(&job.bad, RF_EINVAL, "action", "enum",
                     "one of receive, guide, refuse, hand_over, ask, supplied, apologise, "
                     "notify, return, withdraw, stop");
    else if (job.action == RF_DA_RECEIVE || job.action == RF_DA_GUIDE)
        rf_error_set(&job.bad, RF_EINVAL, "action", "enum",
                     "a dossier is received with POST /api/v1/dossiers");
    if (version < 1)
        rf_error_set(&job.bad, RF_EINVAL, "version", "required",
                     "the version of the dossier as you saw it");
    if (appointment && *appointment) {
        int64_t local;
        if (rf_worktime_parse(appointment, &local) != RF_OK)
            rf_error_set(&job.bad, RF_EINVAL, "appointment", "format",
                         "a local time YYYY-MM-DD HH:MM");
        else
            job.appointment = rf_worktime_epoch(local);
    }
    if (reason && strlen(reason) >= RF_TITLE_BYTES)
        rf_error_set(&job.bad, RF_EINVAL, "reason", "too_long", "at most %d bytes",
                     RF_TITLE_BYTES - 1);
    job.app = app;
    job.actor = actor;
    job.code = code;
    job.version = version;
    job.reason = reason;
    job.d = rf_xcalloc(1, sizeof(*job.d));
    rc = rf_app_write(app, write_move, &job, err);
    if (rc == RF_OK && out)
        rf_app_dossier_write_json(job.d, job.p, 1, out);
    free(job.d);
    free(job.spare);
    return rc;
}
