/*
 * Reading dossiers: one dossier with its timeline, the lists behind every
 * figure, a unit's worklist by due time, and the citizen's public lookup by
 * code with the slip's secret or the applicant's phone (misses counted per
 * address). Every read follows the one scope rule of rf_app_dossier_in_scope.
 */
#include "app_int.h"
#include "../common/hash.h"
#include "../common/mem.h"
#include "../core/period.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUPS_PER_WINDOW 60 /* failed public lookups per address in a sign-in window */

static int secret_matches(const char *secret, const char *hash)
{
    unsigned char h[32];
    char hex[65];

    crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return sodium_memcmp(hex, hash, 64) == 0;
}

/* The dossier 'code' if the actor may see it (rf_app_dossier_in_scope), else 404. */
static int load_visible(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                        const char *code, struct rf_dossier *d, const struct rf_procedure **p,
                        struct rf_procedure **spare)
{
    int rc = rf_store_dossier_by_code(s, actor->province_id, code, d);

    if (rc == RF_OK)
        rc = rf_app_dossier_in_scope(s, actor, d);
    if (rc == RF_OK)
        rc = rf_app_procedure_of(app, s, d->province_id, d->procedure_id, p, spare);
    return rc;
}

static int event_json(void *ctx, const struct rf_dossier_event *e)
{
    struct rf_buf *out = ctx;

    if (out->data[out->len - 1] != '[')
        rf_buf_addc(out, ',');
    rf_buf_adds(out, "{\"action\":");
    rf_buf_add_json_str(out, e->action);
    rf_app_json_instant(out, "at", e->at);
    rf_buf_adds(out, ",\"from_state\":");
    rf_buf_add_json_str(out, e->from_state);
    rf_buf_adds(out, ",\"to_state\":");
    rf_buf_add_json_str(out, e->to_state);
    rf_buf_adds(out, ",\"step\":");
    rf_buf_addi(out, e->step);
    rf_buf_adds(out, ",\"from_unit_id\":");
    rf_buf_addi(out, e->from_unit_id);
    rf_buf_adds(out, ",\"to_unit_id\":");
    rf_buf_addi(out, e->to_unit_id);
    rf_buf_adds(out, ",\"actor_id\":");
    rf_buf_addi(out, e->actor_id);
    rf_buf_adds(out, ",\"reason\":");
    rf_buf_add_json_str(out, e->reason);
    rf_app_json_instant(out, "step_due_at", e->step_due_at);
    rf_app_json_local_time(out, "step_due_local", e->step_due_at);
    rf_buf_adds(out, ",\"step_late\":");
    rf_buf_adds(out, !e->step_due_at ? "null" : e->step_late ? "true" : "false");
    rf_buf_adds(out, ",\"step_timeliness\":"); /* as a dossier's result is judged */
    if (e->step_due_at)
        rf_buf_add_json_str(out, rf_timeliness_name(rf_dossier_timeliness(
                                     rf_worktime_local(e->step_due_at), rf_worktime_local(e->at))));
    else
        rf_buf_adds(out, "null");
    rf_buf_addc(out, '}');
    return 0;
}

int rf_app_dossier_json(struct rf_app *app, const struct rf_actor *actor, const char *code,
                        struct rf_buf *out, struct rf_error *err)
{
    struct rf_dossier d;
    const struct rf_procedure *p = NULL;
    struct rf_procedure *spare = NULL;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = load_visible(app, s, actor, code, &d, &p, &spare);
    if (rc == RF_OK) {
        int64_t step_due = 0;
        rf_app_dossier_write_json(&d, p, 1, out);
        out->len--;
        /* the current step's own due time, as its hand-over will record it (Form 05) */
        if (d.state == RF_DS_PROCESSING && d.step >= 0 && d.step < p->nsteps)
            rc = rf_app_dossier_step_due(app, s, &d, p, &step_due);
        rf_app_json_instant(out, "step_due_at", step_due);
        rf_app_json_local_time(out, "step_due_local", step_due);
        rf_buf_adds(out, ",\"events\":[");
        rc = rf_store_dossier_events(s, d.province_id, d.id, event_json, out);
        rf_buf_adds(out, "]}");
    }
    rf_app_store_put(app, s);
    free(spare);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/*
 * The citizens' lookups kept in memory, where news of other processes'
 * changes comes (news.c): a dossier found, under its code, until news of it;
 * an address's failed lookups, until news of its counter. A lookup is
 * answered from memory when both are kept, and reads the database otherwise.
 */
#define KEPT_LOOKUPS 4096
#define KEPT_ADDRESSES 256

struct kept_lookup {
    struct rf_dossier d; /* d.code "" for a free slot */
    char office[RF_NAME_BYTES];
};

struct kept_address {
    char key[64]; /* "" for a free slot */
    struct rf_attempts misses;
};

struct rf_app_kept_lookups {
    pthread_mutex_t lock;
    unsigned gen; /* moved by every forgetting: a read begun before it keeps nothing */
    struct kept_lookup k[KEPT_LOOKUPS];
    struct kept_address a[KEPT_ADDRESSES];
};

void rf_app_lookups_init(struct rf_app *app)
{
    app->klookups = rf_xcalloc(1, sizeof(*app->klookups));
    pthread_mutex_init(&app->klookups->lock, NULL);
}

void rf_app_lookups_free(struct rf_app *app)
{
    if (!app->klookups)
        return;
    pthread_mutex_destroy(&app->klookups->lock);
    free(app->klookups);
    app->klookups = NULL;
}

static unsigned text_slot(const char *text, unsigned n)
{
    return (unsigned)(rf_hash_text(text) % n);
}

void rf_app_lookups_forget(struct rf_app *app, int what, const char *key)
{
    struct rf_app_kept_lookups *kl = app->klookups;

    if (!kl)
        return;
    pthread_mutex_lock(&kl->lock);
    kl->gen++;
    if (what != RF_FORGET_ALL && !key) {
        what = RF_FORGET_ALL; /* nothing named: nothing kept may answer */
    } else if (what == RF_FORGET_DOSSIER) {
        struct kept_lookup *k = &kl->k[text_slot(key, KEPT_LOOKUPS)];
        if (strcmp(k->d.code, key) == 0)
            k->d.code[0] = '\0';
    } else if (what == RF_FORGET_ATTEMPT) {
        struct kept_address *a = &kl->a[text_slot(key, KEPT_ADDRESSES)];
        if (strcmp(a->key, key) == 0)
            a->key[0] = '\0';
    }
    if (what == RF_FORGET_ALL) {
        for (int i = 0; i < KEPT_LOOKUPS; i++)
            kl->k[i].d.code[0] = '\0';
        for (int i = 0; i < KEPT_ADDRESSES; i++)
            kl->a[i].key[0] = '\0';
    }
    pthread_mutex_unlock(&kl->lock);
}

/* The kept dossier of 'code' and the address's failures: RF_OK, else RF_ENOTFOUND and '*gen'. */
static int lookup_kept(struct rf_app *app, const char *code, const char *address,
                       struct rf_dossier *d, char office[RF_NAME_BYTES], struct rf_attempts *misses,
                       unsigned *gen)
{
    struct rf_app_kept_lookups *kl = app->klookups;
    const struct kept_lookup *k = &kl->k[text_slot(code, KEPT_LOOKUPS)];
    const struct kept_address *a = &kl->a[text_slot(address, KEPT_ADDRESSES)];
    int rc = RF_ENOTFOUND;

    pthread_mutex_lock(&kl->lock);
    if (*code && strcmp(k->d.code, code) == 0 && *address && strcmp(a->key, address) == 0) {
        *d = k->d;
        memcpy(office, k->office, RF_NAME_BYTES);
        *misses = a->misses;
        rc = RF_OK;
    }
    *gen = kl->gen;
    pthread_mutex_unlock(&kl->lock);
    return rc;
}

/* Keep what the database said, unless news came since the read began. */
static void lookup_keep(struct rf_app *app, unsigned gen, const char *address,
                        const struct rf_dossier *d, const char office[RF_NAME_BYTES],
                        const struct rf_attempts *misses)
{
    struct rf_app_kept_lookups *kl = app->klookups;
    struct kept_lookup *k = &kl->k[text_slot(d->code, KEPT_LOOKUPS)];
    struct kept_address *a = &kl->a[text_slot(address, KEPT_ADDRESSES)];

    if (!*address || strlen(address) >= sizeof(a->key))
        return;
    pthread_mutex_lock(&kl->lock);
    if (kl->gen == gen) {
        k->d = *d;
        memcpy(k->office, office, RF_NAME_BYTES);
        snprintf(a->key, sizeof(a->key), "%s", address);
        a->misses = *misses;
    }
    pthread_mutex_unlock(&kl->lock);
}

/* A public lookup that missed, counted against its address. */
struct lookup_miss {
    int64_t province_id;
    const char *address;
    int64_t now;
};

static int write_lookup_miss(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct lookup_miss *job = ctx;
    int rc = rf_app_attempts_fail(s, job->province_id, RF_ATTEMPT_LOOKUP, job->address, job->now);

    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_dossier_lookup(struct rf_app *app, const char *code, const char *secret,
                          const char *phone, const char *address, struct rf_buf *out,
                          int *retry_after, struct rf_error *err)
{
    struct rf_dossier d;
    const struct rf_procedure *p = NULL;
    struct rf_procedure *spare = NULL;
    struct rf_store *s;
    char office[RF_NAME_BYTES];
    int64_t now = rf_app_now(app), wait;
    struct rf_attempts misses;
    unsigned gen = 0;
    int rc, kept;

    *retry_after = 0;
    if ((!secret || !*secret) == (!phone || !*phone))
        return rf_error_set(err, RF_EINVAL, "secret", "required",
                            "give the secret on the slip or the applicant's phone number");
    /* answered from memory, no connection is taken: none waits for one */
    s = NULL;
    kept = app->klookups && address && rf_app_news_check(app);
    if (!kept || lookup_kept(app, code ? code : "", address, &d, office, &misses, &gen) != RF_OK) {
        if (rf_app_store_take(app, &s, err) != RF_OK)
            return RF_ESTORE;
        rc = rf_store_dossier_lookup(s, app->province.id, address, code ? code : "", &misses, &d,
                                     office);
        if (rc == RF_OK && kept)
            lookup_keep(app, gen, address, &d, office, &misses);
    } else {
        rc = RF_OK;
    }
    wait =
        rc == RF_OK || rc == RF_ENOTFOUND ? rf_attempts_wait(&misses, LOOKUPS_PER_WINDOW, now) : 0;
    if (wait) { /* an address that guessed too often learns nothing more, right or wrong */
        if (s)
            rf_app_store_put(app, s);
        *retry_after = (int)wait;
        return rf_error_set(err, RF_ELIMIT, NULL, "too_many", "too many lookups: try again later");
    }
    if (rc == RF_OK) {
        char digits[RF_PHONE_MAX + 1];
        int ok = secret && *secret ? secret_matches(secret, d.lookup_hash)
                                   : rf_app_phone_digits(phone, digits) == RF_OK &&
                                         strcmp(digits, d.applicant_phone) == 0;
        rc = ok ? rf_app_procedure_kept(app, d.province_id, d.procedure_id, &p) : RF_ENOTFOUND;
        if (ok && rc != RF_OK) { /* not kept: read, on a connection taken now if none was */
            if (!s && rf_app_store_take(app, &s, err) != RF_OK)
                return RF_ESTORE;
            rc = rf_app_procedure_of(app, s, d.province_id, d.procedure_id, &p, &spare);
        }
    }
    if (rc == RF_OK) {
        rf_app_dossier_write_json(&d, p, 0, out); /* never the applicant's data */
        out->len--;
        rf_buf_adds(out, ",\"office\":");
        if (office[0])
            rf_buf_add_json_str(out, office);
        else
            rf_buf_adds(out, "null");
        rf_buf_addc(out, '}');
    }
    if (s)
        rf_app_store_put(app, s);
    free(spare);
    if (rc == RF_ENOTFOUND) {
        /* a miss counts against the address: guessing codes, secrets or phones stops soon;
           a citizen who holds the slip and looks again and again is never held back */
        struct lookup_miss job = {app->province.id, address, now};
        rc = rf_app_write(app, write_lookup_miss, &job, err);
        /* this process's next lookup counts it, before the news of it comes back */
        if (address)
            rf_app_lookups_forget(app, RF_FORGET_ATTEMPT, address);
        if (rc != RF_OK)
            return rc;
        return rf_error_set(err, RF_ENOTFOUND, NULL, "not_found",
                            "no dossier with this code and secret or phone");
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

struct held {
    struct rf_page *page;
    int64_t now;
    const struct rf_worktime *w;
};

static int add_held(void *ctx, const struct rf_dossier *d)
{
    struct held *h = ctx;

    struct rf_buf *items = &h->page->items;

    if (rf_page_next(h->page, d->id))
        return 1;
    rf_buf_adds(items, "{\"code\":");
    rf_buf_add_json_str(items, d->code);
    rf_buf_adds(items, ",\"state\":");
    rf_buf_add_json_str(items, rf_dossier_state_name(d->state));
    rf_buf_adds(items, ",\"step\":");
    rf_buf_addi(items, d->step);
    rf_app_json_instant(items, "due_at", d->due_at);
    rf_app_json_local_time(items, "due_local", d->due_at);
    rf_buf_adds(items, ",\"overdue\":");
    rf_buf_adds(items, d->state == RF_DS_PROCESSING && d->due_at < h->now ? "true" : "false");
    rf_buf_adds(items, ",\"working_minutes_left\":");
    {
        /* working time from now to the due time, negative past it; none while paused */
        int64_t now = rf_worktime_local(h->now), due = rf_worktime_local(d->due_at), left = 0;
        if (d->state != RF_DS_PROCESSING || !d->due_at ||
            rf_worktime_between(h->w, now < due ? now : due, now < due ? due : now, NULL, 0,
                                &left) != RF_OK)
            rf_buf_adds(items, "null");
        else
            rf_buf_addi(items, now < due ? left : -left);
    }
    rf_buf_adds(items, ",\"version\":");
    rf_buf_addi(items, d->version);
    rf_buf_addc(items, '}');
    return 0;
}

int rf_app_worklist_json(struct rf_app *app, const struct rf_actor *actor, struct rf_page *page,
                         struct rf_error *err)
{
    struct held h = {page, rf_app_now(app), NULL};
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    h.w = rf_app_worktime_at(app, &actor->versions, err);
    if (!h.w)
        return rf_error_code(err, RF_ESTORE);
    s = rf_app_store_get(app);
    if (!s) {
        rf_app_worktime_put(app, h.w);
        return rf_app_store_error(RF_ESTORE, err);
    }
    /* by due time: the overdue ones, due earliest, come first */
    rc = rf_store_dossiers_held(s, actor->province_id, actor->unit_id, page->limit, add_held, &h);
    rf_app_store_put(app, s);
    rf_app_worktime_put(app, h.w);
    page->more = 0; /* one page, the most urgent: no cursor */
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

static int add_listed(void *ctx, const struct rf_dossier *d)
{
    struct rf_page *l = ctx;

    if (rf_page_next(l, d->id))
        return 1;
    rf_buf_adds(&l->items, "{\"code\":");
    rf_buf_add_json_str(&l->items, d->code);
    rf_buf_adds(&l->items, ",\"state\":");
    rf_buf_add_json_str(&l->items, rf_dossier_state_name(d->state));
    rf_buf_adds(&l->items, ",\"procedure_id\":");
    rf_buf_addi(&l->items, d->procedure_id);
    rf_buf_adds(&l->items, ",\"desk_unit_id\":");
    rf_buf_addi(&l->items, d->desk_unit_id);
    rf_app_json_instant(&l->items, "received_at", d->received_at);
    rf_app_json_instant(&l->items, "due_at", d->due_at);
    rf_app_json_local_time(&l->items, "due_local", d->due_at);
    rf_app_json_local_time(&l->items, "appointment_local", d->appointment_at);
    rf_app_json_instant(&l->items, "result_at", d->result_at);
    rf_app_json_instant(&l->items, "finished_at", d->finished_at);
    rf_buf_adds(&l->items, ",\"timeliness\":");
    if (d->timeliness[0])
        rf_buf_add_json_str(&l->items, d->timeliness);
    else
        rf_buf_adds(&l->items, "null");
    rf_buf_adds(&l->items, ",\"apologies\":");
    rf_buf_addi(&l->items, d->apologies);
    rf_buf_adds(&l->items, ",\"channel\":");
    rf_buf_add_json_str(&l->items, d->channel);
    rf_buf_adds(&l->items, ",\"applicant\":{\"name\":");
    rf_buf_add_json_str(&l->items, d->applicant_name);
    rf_buf_adds(&l->items, ",\"phone\":");
    rf_buf_add_json_str(&l->items, d->applicant_phone);
    rf_buf_adds(&l->items, ",\"address\":");
    rf_buf_add_json_str(&l->items, d->applicant_address);
    rf_buf_adds(&l->items, "}}");
    return 0;
}

/* A period of local days as UTC seconds [from, to); RF_EINVAL naming 'field'. */
static int period_span(const char *text, const char *field, int64_t *from, int64_t *to,
                       struct rf_error *err)
{
    struct rf_period pd;

    if (rf_period_parse(text, &pd) != RF_OK)
        return rf_error_set(err, RF_EINVAL, field, "format",
                            "a period: YYYY, YYYY-Qn, YYYY-H1, YYYY-9M, YYYY-MM or a range");
    *from = rf_worktime_epoch(rf_date_to_days(pd.from) * RF_MINUTES_PER_DAY);
    *to = rf_worktime_epoch((rf_date_to_days(pd.to) + 1) * RF_MINUTES_PER_DAY);
    return RF_OK;
}

/* Each name of the comma list 'list' one of 'names'; RF_EINVAL naming 'field'. */
static int check_names(const char *list, const char *const *names, int n, const char *field,
                       struct rf_error *err)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (int i = 0; i < n; i++)
            found |= strlen(names[i]) == len && strncmp(names[i], p, len) == 0;
        if (!found)
            return rf_error_set(err, RF_EINVAL, field, "enum", "unknown %s '%.*s'", field, (int)len,
                                p);
        p += len + (p[len] == ',');
    }
    return RF_OK;
}

int rf_app_dossiers_json(struct rf_app *app, const struct rf_actor *actor,
                         const struct rf_dossier_filter *f, int64_t after_id, struct rf_page *page,
                         struct rf_error *err)
{
    static const char *const state_list[] = {"processing", "supplement", "ready",
                                             "notified",   "returned",   "refused",
                                             "withdrawn",  "stopped",    "incomplete"};
    static const char *const timeliness_list[] = {"early", "on_time", "late"};
    struct rf_dossier_query q;
    struct rf_store *s;
    char today[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    memset(&q, 0, sizeof(q));
    if (f->received)
        period_span(f->received, "received", &q.received_from, &q.received_to, err);
    if (f->result)
        period_span(f->result, "result", &q.result_from, &q.result_to, err);
    if (f->ended)
        period_span(f->ended, "ended", &q.ended_from, &q.ended_to, err);
    if (f->taken)
        period_span(f->taken, "taken", &q.taken_from, &q.taken_to, err);
    if (f->asked && f->apologised)
        rf_error_set(err, RF_EINVAL, "apologised", "conflict", "one of asked and apologised");
    else if (f->asked || f->apologised) {
        q.event = f->asked ? "ask" : "apologise";
        period_span(f->asked ? f->asked : f->apologised, f->asked ? "asked" : "apologised",
                    &q.event_from, &q.event_to, err);
    }
    if (f->state)
        check_names(f->state, state_list, 9, "state", err);
    if (f->timeliness)
        check_names(f->timeliness, timeliness_list, 3, "timeliness", err);
    if (f->field && rf_names_index(rf_app_procedure_fields, f->field) < 0)
        rf_error_set(err, RF_EINVAL, "field", "enum", "unknown field '%s'", f->field);
    if (f->level && rf_names_index(rf_app_procedure_levels, f->level) < 0)
        rf_error_set(err, RF_EINVAL, "level", "enum", "province, district or commune");
    if (err->n)
        return RF_EINVAL;
    q.province_id = actor->province_id;
    /* the one scope rule, as the detail reads it: desks under the unit and the caller's scope on
       the day each dossier was received */
    if (!rf_access_province_wide(actor->roles)) {
        q.root = f->unit ? f->unit : actor->scope_unit_id;
        q.scope = f->unit && f->unit != actor->scope_unit_id ? actor->scope_unit_id : 0;
    } else {
        q.root = f->unit;
    }
    q.states = f->state;
    q.timeliness = f->timeliness;
    q.field = f->field;
    q.level = f->level;
    q.due_mode = f->overdue > 0 ? 1 : f->overdue == 0 ? -1 : 0;
    q.overdue_at = rf_app_now(app);
    q.after_id = after_id;
    q.limit = page->limit + 1; /* one past the page: a next one */
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rf_app_today(app, today);
    if (f->unit && rf_app_scope_check(s, actor, f->unit, today, err) != RF_OK) {
        rf_app_store_put(app, s);
        return rf_error_code(err, RF_ENOTFOUND);
    }
    rc = rf_store_dossiers_list(s, &q, add_listed, page);
    rf_app_store_put(app, s);
    return rc < 0 ? rf_app_store_error(rc, err) : RF_OK;
}
