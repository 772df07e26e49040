/*
 * The working calendar of the province: each year's days off and make-up
 * days, the working hours, and the working-time tables built from them.
 *
 * A year's calendar is, in order of precedence: the announcement an admin
 * recorded for it; the announcement shipped with Reform (the Government's
 * official letters, data/calendar/announcements.csv, sources in
 * data/calendar/SOURCES.md); or the Labour Code's default proposal
 * (rf_calendar_proposal). Recording a year reports which dates change from
 * working to off or back, so that nobody moves a deadline unawares.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/mem.h"
#include "../core/lunar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char rf_calendar_announcements_csv[];

/* ---- the shipped announcements, read once ---- */

#define SHIPPED_YEARS 16

static struct shipped_year {
    int year;
    struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];
    int n;
} shipped[SHIPPED_YEARS];
static int nshipped;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static void read_shipped(void)
{
    struct rf_calendar_day *days = rf_xcalloc(SHIPPED_YEARS * RF_CALENDAR_MAX_DAYS, sizeof(*days));
    const char *why;
    int n = 0, bad_line;

    /* tests/unit/test_calendar.c holds the file to its shape: a bad line ends it here, said */
    if (rf_calendar_csv_read(rf_calendar_announcements_csv, days,
                             SHIPPED_YEARS * RF_CALENDAR_MAX_DAYS, &n, &bad_line, &why) != RF_OK)
        rf_log_error("the shipped calendar, line %d: %s", bad_line, why);
    for (int k = 0; k < n; k++) {
        struct shipped_year *y = NULL;
        for (int i = 0; i < nshipped; i++)
            if (shipped[i].year == days[k].date.year)
                y = &shipped[i];
        if (!y && nshipped < SHIPPED_YEARS) {
            y = &shipped[nshipped++];
            y->year = days[k].date.year;
        }
        if (y && y->n < RF_CALENDAR_MAX_DAYS)
            y->days[y->n++] = days[k];
    }
    free(days);
}

static const struct shipped_year *shipped_year(int year)
{
    pthread_once(&shipped_once, read_shipped);
    for (int i = 0; i < nshipped; i++)
        if (shipped[i].year == year)
            return &shipped[i];
    return NULL;
}

/* ---- a year ---- */

static int keep_day(void *ctx, const struct rf_calendar_day *d)
{
    struct rf_calendar_year *y = ctx;

    if (y->n < RF_CALENDAR_MAX_DAYS)
        y->days[y->n++] = *d;
    return 0;
}

static int year_of(struct rf_store *s, int64_t province_id, int year, struct rf_calendar_year *out)
{
    struct rf_calendar_year_record rec;
    const struct shipped_year *sh;
    int rc;

    memset(out, 0, sizeof(*out));
    out->year = year;
    rc = rf_store_calendar_year_get(s, province_id, year, &rec);
    if (rc == RF_OK) {
        out->basis = RF_CALENDAR_RECORDED;
        snprintf(out->source, sizeof(out->source), "%s", rec.source);
        out->recorded_by = rec.recorded_by;
        out->recorded_at = rec.recorded_at;
        return rf_store_calendar_days(s, province_id, year, year, keep_day, out);
    }
    if (rc != RF_ENOTFOUND)
        return rc;
    if ((sh = shipped_year(year)) != NULL) {
        out->basis = RF_CALENDAR_SHIPPED;
        memcpy(out->days, sh->days, sizeof(sh->days[0]) * (size_t)sh->n);
        out->n = sh->n;
        return RF_OK;
    }
    out->basis = RF_CALENDAR_PROPOSAL;
    out->n = rf_calendar_proposal(year, out->days);
    return out->n < 0 ? RF_EINVAL : RF_OK;
}

static int check_year(int year, struct rf_error *err)
{
    if (year <= RF_DATE_MIN_YEAR || year > RF_DATE_MAX_YEAR)
        return rf_error_set(err, RF_EINVAL, "year", "range", "a year from %d to %d",
                            RF_DATE_MIN_YEAR + 1, RF_DATE_MAX_YEAR);
    return RF_OK;
}

int rf_app_calendar_year(struct rf_app *app, int year, struct rf_calendar_year *out,
                         struct rf_error *err)
{
    struct rf_store *s;
    int rc;

    if (check_year(year, err) != RF_OK)
        return RF_EINVAL;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = year_of(s, app->province.id, year, out);
    rf_app_store_put(app, s);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* ---- working hours ---- */

#define MAX_HOURS 32

struct hours_list {
    struct rf_hours h[MAX_HOURS];
    int n;
};

static int keep_hours(void *ctx, const struct rf_hours *h, int64_t by, int64_t at)
{
    struct hours_list *l = ctx;

    (void)by;
    (void)at;
    if (l->n < MAX_HOURS)
        l->h[l->n++] = *h;
    return 0;
}

/* The recorded hours, or the default (07:00-11:30, 13:30-17:00) from the first day. */
static int hours_of(struct rf_store *s, int64_t province_id, struct hours_list *l)
{
    int rc;

    l->n = 0;
    rc = rf_store_working_hours(s, province_id, keep_hours, l);
    if (rc == RF_OK &&
        (l->n == 0 || rf_date_cmp(l->h[0].from, (struct rf_date){RF_DATE_MIN_YEAR, 1, 1}) > 0)) {
        /* before the first recorded hours, the default applies */
        if (l->n == MAX_HOURS)
            l->n--;
        memmove(&l->h[1], &l->h[0], sizeof(l->h[0]) * (size_t)l->n);
        rf_hours_default(&l->h[0], (struct rf_date){RF_DATE_MIN_YEAR, 1, 1});
        l->n++;
    }
    return rc;
}

/* ---- the working-time tables ---- */

struct rf_worktime_ref {
    struct rf_worktime *w;
    int64_t version;
    int refs;  /* holders, the app's own reference included while current */
    int stale; /* replaced: freed when the last holder puts it back */
    struct rf_worktime_ref *next;
};

struct build_ctx {
    struct rf_calendar_day *days;
    int n, cap;
    unsigned char recorded[RF_CALENDAR_LAST_YEAR - RF_CALENDAR_FIRST_YEAR + 1];
};

static void add_days(struct build_ctx *b, const struct rf_calendar_day *d, int n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->days = rf_xrealloc(b->days, sizeof(*b->days) * (size_t)b->cap);
    }
    memcpy(b->days + b->n, d, sizeof(*d) * (size_t)n);
    b->n += n;
}

static int note_recorded(void *ctx, const struct rf_calendar_year_record *y)
{
    struct build_ctx *b = ctx;

    b->recorded[y->year - RF_CALENDAR_FIRST_YEAR] = 1;
    return 0;
}

static int add_recorded_day(void *ctx, const struct rf_calendar_day *d)
{
    add_days(ctx, d, 1);
    return 0;
}

static int build(struct rf_store *s, int64_t province_id, struct rf_worktime **out)
{
    struct build_ctx b;
    struct hours_list *hours = rf_xcalloc(1, sizeof(*hours));
    int rc;

    memset(&b, 0, sizeof(b));
    rc = rf_store_calendar_years(s, province_id, RF_CALENDAR_FIRST_YEAR, RF_CALENDAR_LAST_YEAR,
                                 note_recorded, &b);
    if (rc == RF_OK)
        rc = rf_store_calendar_days(s, province_id, RF_CALENDAR_FIRST_YEAR, RF_CALENDAR_LAST_YEAR,
                                    add_recorded_day, &b);
    for (int year = RF_CALENDAR_FIRST_YEAR; rc == RF_OK && year <= RF_CALENDAR_LAST_YEAR; year++) {
        const struct shipped_year *sh;
        struct rf_calendar_day proposal[RF_CALENDAR_MAX_DAYS];
        int n;
        if (b.recorded[year - RF_CALENDAR_FIRST_YEAR])
            continue;
        if ((sh = shipped_year(year)) != NULL) {
            add_days(&b, sh->days, sh->n);
            continue;
        }
        n = rf_calendar_proposal(year, proposal);
        if (n < 0)
            rc = RF_EINVAL;
        else
            add_days(&b, proposal, n);
    }
    if (rc == RF_OK)
        rc = hours_of(s, province_id, hours);
    if (rc == RF_OK)
        rc = rf_worktime_build(RF_CALENDAR_FIRST_YEAR, RF_CALENDAR_LAST_YEAR, b.days, b.n, hours->h,
                               hours->n, out);
    free(b.days);
    free(hours);
    return rc;
}

static void release(struct rf_app *app, struct rf_worktime_ref *r)
{
    /* with app->wt_lock held */
    if (--r->refs == 0 && r->stale) {
        struct rf_worktime_ref **p = &app->wt;
        while (*p && *p != r)
            p = &(*p)->next;
        if (*p)
            *p = r->next;
        rf_worktime_free(r->w);
        free(r);
    }
}

const struct rf_worktime *rf_app_worktime_get(struct rf_app *app, struct rf_error *err)
{
    return rf_app_worktime_at(app, NULL, err);
}

const struct rf_worktime *rf_app_worktime_at(struct rf_app *app, const struct rf_versions *v,
                                             struct rf_error *err)
{
    struct rf_worktime_ref *r;
    struct rf_worktime *w = NULL;
    struct rf_store *s = NULL;
    int64_t version = 0;
    int rc = RF_OK;

    if (v && v->known) {
        version = v->calendar;
    } else if ((s = rf_app_store_get(app)) != NULL) {
        rc = rf_store_calendar_version(s, app->province.id, &version);
        if (rc == RF_ENOTFOUND) /* a database without a province yet: nothing recorded */
            rc = RF_OK;
    } else {
        rf_error_set(err, RF_ESTORE, NULL, "unavailable", "the database is unavailable");
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&app->wt_lock);
        r = app->wt; /* the current tables come first; stale ones follow until released */
        if (rc == RF_OK && r && !r->stale && r->version == version) {
            r->refs++;
            pthread_mutex_unlock(&app->wt_lock);
            rf_app_store_put(app, s);
            return r->w;
        }
        if (s || rc != RF_OK)
            break;
        /* to build them: a connection, never waited for under the lock */
        pthread_mutex_unlock(&app->wt_lock);
        if (!(s = rf_app_store_get(app))) {
            rf_error_set(err, RF_ESTORE, NULL, "unavailable", "the database is unavailable");
            return NULL;
        }
    }
    if (rc == RF_OK)
        rc = build(s, app->province.id, &w);
    rf_app_store_put(app, s);
    if (rc != RF_OK) {
        pthread_mutex_unlock(&app->wt_lock);
        rf_app_store_error(rc, err);
        return NULL;
    }
    if (app->wt && !app->wt->stale) {
        app->wt->stale = 1;
        release(app, app->wt); /* the app's own reference */
    }
    r = rf_xcalloc(1, sizeof(*r));
    r->w = w;
    r->version = version;
    r->refs = 2; /* the app's and the caller's */
    r->next = app->wt;
    app->wt = r;
    pthread_mutex_unlock(&app->wt_lock);
    return w;
}

void rf_app_worktime_put(struct rf_app *app, const struct rf_worktime *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&app->wt_lock);
    for (struct rf_worktime_ref *r = app->wt; r; r = r->next)
        if (r->w == w) {
            release(app, r);
            break;
        }
    pthread_mutex_unlock(&app->wt_lock);
}

void rf_app_worktime_drop(struct rf_app *app)
{
    pthread_mutex_lock(&app->wt_lock);
    while (app->wt) {
        struct rf_worktime_ref *r = app->wt;
        app->wt = r->next;
        rf_worktime_free(r->w);
        free(r);
    }
    pthread_mutex_unlock(&app->wt_lock);
}

/* ---- JSON ---- */

static const char *basis_name(enum rf_calendar_basis b)
{
    switch (b) {
    case RF_CALENDAR_RECORDED:
        return "recorded";
    case RF_CALENDAR_SHIPPED:
        return "shipped";
    default:
        return "proposal";
    }
}

static int rest_day(struct rf_date d)
{
    return rf_date_weekday(d) >= 6;
}

/* Whether 'd' is worked in the year 'y' (a day of that year). */
static int worked(const struct rf_calendar_year *y, struct rf_date d)
{
    for (int i = 0; i < y->n; i++)
        if (rf_date_cmp(y->days[i].date, d) == 0)
            return y->days[i].kind == RF_DAY_MAKEUP;
    return !rest_day(d);
}

/* One day as JSON, with its lunar date when 'lunar' (for people; the audit keeps it out). */
static void day_json(const struct rf_calendar_day *d, int lunar, struct rf_buf *out)
{
    struct rf_lunar_date l;
    char date[11], text[RF_LUNAR_LEN];

    rf_date_format(d->date, date);
    rf_buf_adds(out, "{\"date\":\"");
    rf_buf_adds(out, date);
    rf_buf_addc(out, '"');
    if (lunar) {
        rf_buf_adds(out, ",\"lunar\":");
        if (rf_lunar_from_solar(d->date, &l) == RF_OK) {
            rf_lunar_format(l, text);
            rf_buf_add_json_str(out, text);
        } else {
            rf_buf_adds(out, "null");
        }
    }
    rf_buf_adds(out, ",\"kind\":\"");
    rf_buf_adds(out, rf_day_kind_name(d->kind));
    rf_buf_adds(out, "\",\"name\":");
    rf_buf_add_json_str(out, d->name);
    rf_buf_adds(out, ",\"source\":");
    rf_buf_add_json_str(out, d->source);
    rf_buf_addc(out, '}');
}

static void year_json(const struct rf_calendar_year *y, const struct hours_list *hours,
                      struct rf_buf *out)
{
    int64_t first = rf_date_to_days((struct rf_date){y->year, 1, 1}),
            last = rf_date_to_days((struct rf_date){y->year, 12, 31});
    int working = 0;

    for (int64_t d = first; d <= last; d++)
        working += worked(y, rf_date_from_days(d));
    rf_buf_adds(out, "{\"year\":");
    rf_buf_addi(out, y->year);
    rf_buf_adds(out, ",\"basis\":\"");
    rf_buf_adds(out, basis_name(y->basis));
    rf_buf_adds(out, "\",\"source\":");
    if (y->basis == RF_CALENDAR_RECORDED)
        rf_buf_add_json_str(out, y->source);
    else
        rf_buf_adds(out, "null");
    rf_buf_adds(out, ",\"recorded_at\":");
    if (y->basis == RF_CALENDAR_RECORDED) {
        char at[21];
        rf_instant_format(y->recorded_at, at);
        rf_buf_add_json_str(out, at);
    } else {
        rf_buf_adds(out, "null");
    }
    rf_buf_adds(out, ",\"working_days\":");
    rf_buf_addi(out, working);
    rf_buf_adds(out, ",\"days\":[");
    for (int i = 0; i < y->n; i++) {
        if (i)
            rf_buf_addc(out, ',');
        day_json(&y->days[i], 1, out);
    }
    rf_buf_adds(out, "],\"hours\":[");
    for (int i = 0; i < hours->n; i++) {
        char from[11], periods[RF_HOURS_TEXT];
        rf_date_format(hours->h[i].from, from);
        rf_hours_format(&hours->h[i], periods);
        if (i)
            rf_buf_addc(out, ',');
        rf_buf_adds(out, "{\"from\":");
        rf_buf_add_json_str(out, from);
        rf_buf_adds(out, ",\"periods\":");
        rf_buf_add_json_str(out, periods);
        rf_buf_addc(out, '}');
    }
    rf_buf_adds(out, "]}");
}

int rf_app_calendar_json(struct rf_app *app, int year, struct rf_buf *out, struct rf_error *err)
{
    struct rf_calendar_year *y;
    struct hours_list *hours;
    struct rf_store *s;
    int rc;

    if (check_year(year, err) != RF_OK)
        return RF_EINVAL;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    y = rf_xmalloc(sizeof(*y));
    hours = rf_xmalloc(sizeof(*hours));
    rc = year_of(s, app->province.id, year, y);
    if (rc == RF_OK)
        rc = hours_of(s, app->province.id, hours);
    rf_app_store_put(app, s);
    if (rc == RF_OK)
        year_json(y, hours, out);
    free(y);
    free(hours);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* ---- the dossiers a change would move ---- */

#define AFFECTED_LISTED 200

struct affected {
    struct rf_store *s;
    int64_t province_id;
    const struct rf_worktime *w;
    struct rf_buf *out;
    int count;
};

static int check_due(void *ctx, const struct rf_dossier_due *d)
{
    struct affected *a = ctx;
    struct rf_allowance allow = {d->days, d->minutes};
    struct rf_app_pauses ps;
    int64_t due;
    char was[17], now[17];

    ps.n = 0;
    if (d->pauses &&
        rf_store_dossier_pauses(a->s, a->province_id, d->id, rf_app_keep_pause, &ps) != RF_OK)
        return RF_ESTORE;
    if (rf_worktime_due(a->w, rf_worktime_local(d->received_at), &allow, -1, ps.p, ps.n, &due) !=
            RF_OK ||
        rf_worktime_epoch(due) == d->due_at)
        return 0;
    if (a->count++ < AFFECTED_LISTED) {
        rf_worktime_format(rf_worktime_local(d->due_at), was);
        rf_worktime_format(due, now);
        if (a->count > 1)
            rf_buf_addc(a->out, ',');
        rf_buf_adds(a->out, "{\"code\":");
        rf_buf_add_json_str(a->out, d->code);
        rf_buf_adds(a->out, ",\"due_local\":");
        rf_buf_add_json_str(a->out, was);
        rf_buf_adds(a->out, ",\"would_be\":");
        rf_buf_add_json_str(a->out, now);
        rf_buf_addc(a->out, '}');
    }
    return 0;
}

/*
 * Append "affected_dossiers": the unfinished dossiers whose due time, counted
 * again on the calendar as it now stands, differs from the one given to the
 * citizen. Their due times are not moved: an officer decides, with an apology
 * and a new appointment where one is late.
 */
static int affected_json(struct rf_app *app, struct rf_buf *out, struct rf_error *err)
{
    struct affected a;
    struct rf_buf items = RF_BUF_INIT;
    int rc;

    memset(&a, 0, sizeof(a));
    a.w = rf_app_worktime_get(app, err);
    if (!a.w)
        return rf_error_code(err, RF_ESTORE);
    a.s = rf_app_store_get(app);
    a.province_id = app->province.id;
    a.out = &items;
    rc = a.s ? rf_store_dossiers_unfinished(a.s, app->province.id, check_due, &a) : RF_ESTORE;
    rf_app_store_put(app, a.s);
    rf_app_worktime_put(app, a.w);
    if (rc != RF_OK) {
        rf_buf_cleanup(&items);
        return rf_app_store_error(rc, err);
    }
    rf_buf_adds(out, ",\"affected_dossiers\":{\"count\":");
    rf_buf_addi(out, a.count);
    rf_buf_adds(out, ",\"items\":[");
    if (items.len)
        rf_buf_add(out, rf_buf_str(&items), items.len);
    rf_buf_adds(out, "]}");
    rf_buf_cleanup(&items);
    return RF_OK;
}

/* ---- recording ---- */

struct record_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    struct rf_calendar_year_record rec;
    const struct rf_calendar_day *days;
    int n;
    struct rf_calendar_year *before, *after;
    struct hours_list *hours; /* for the answer, read with the change (NULL: none) */
};

static void days_json(const struct rf_calendar_year *y, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"basis\":\"");
    rf_buf_adds(out, basis_name(y->basis));
    rf_buf_adds(out, "\",\"days\":[");
    for (int i = 0; i < y->n; i++) {
        if (i)
            rf_buf_addc(out, ',');
        day_json(&y->days[i], 0, out);
    }
    rf_buf_adds(out, "]}");
}

static int write_year(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct record_job *job = ctx;
    struct rf_buf before = RF_BUF_INIT, after = RF_BUF_INIT;
    int rc;

    /* the calendar as it stands inside this transaction, for the audit and the changes */
    rc = year_of(s, job->app->province.id, job->rec.year, job->before);
    if (rc == RF_OK)
        rc = rf_store_calendar_year_put(s, job->app->province.id, &job->rec, job->days, job->n);
    if (rc == RF_OK)
        rc = year_of(s, job->app->province.id, job->rec.year, job->after);
    /* read now: once the change is committed, nothing may fail its answer */
    if (rc == RF_OK && job->hours)
        rc = hours_of(s, job->app->province.id, job->hours);
    if (rc == RF_OK) {
        days_json(job->before, &before);
        days_json(job->after, &after);
        rc = rf_app_audit(job->app, s, job->actor, "record", "calendar", job->rec.year,
                          rf_buf_str(&before), rf_buf_str(&after));
    }
    rf_buf_cleanup(&before);
    rf_buf_cleanup(&after);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

static int check_text(const char *text, const char *field, size_t max, struct rf_error *err)
{
    size_t len = text ? strlen(text) : 0;

    if (!len)
        return rf_error_set(err, RF_EINVAL, field, "required", "'%s' is required", field);
    if (len >= max)
        return rf_error_set(err, RF_EINVAL, field, "too_long", "'%s' is at most %zu bytes", field,
                            max - 1);
    return RF_OK;
}

int rf_app_calendar_record(struct rf_app *app, const struct rf_actor *actor, int year,
                           const char *source, const struct rf_calendar_day *days, int n,
                           struct rf_buf *out, struct rf_error *err)
{
    struct record_job job;
    struct hours_list *hours = NULL;
    const char *why = NULL;
    int bad = -1, rc;

    rc = rf_app_allow(actor, RF_ACT_CALENDAR_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (check_year(year, err) != RF_OK)
        return RF_EINVAL;
    check_text(source, "source", RF_DAY_SOURCE_BYTES, err);
    if (n < 0 || n > RF_CALENDAR_MAX_DAYS)
        return rf_error_set(err, RF_EINVAL, "days", "count", "a year has at most %d days listed",
                            RF_CALENDAR_MAX_DAYS);
    if (rf_calendar_check(year, days, n, &bad, &why) != RF_OK) {
        char field[32];
        snprintf(field, sizeof(field), "days[%d]", bad);
        rf_error_set(err, RF_EINVAL, field, "invalid", "%s", why);
    }
    if (err->n)
        return RF_EINVAL;
    memset(&job, 0, sizeof(job));
    job.app = app;
    job.actor = actor;
    job.rec.year = year;
    snprintf(job.rec.source, sizeof(job.rec.source), "%s", source);
    job.rec.recorded_by = actor->user_id;
    job.rec.recorded_at = rf_app_now(app);
    job.days = days;
    job.n = n;
    job.before = rf_xmalloc(sizeof(*job.before));
    job.after = rf_xmalloc(sizeof(*job.after));
    if (out)
        job.hours = hours = rf_xmalloc(sizeof(*hours));
    rc = rf_app_write(app, write_year, &job, err);
    if (rc == RF_OK && out) {
        int64_t first = rf_date_to_days((struct rf_date){year, 1, 1}),
                last = rf_date_to_days((struct rf_date){year, 12, 31});
        int k = 0;
        year_json(job.after, hours, out);
        out->len--; /* reopen the object */
        rf_buf_adds(out, ",\"changes\":[");
        for (int64_t d = first; d <= last; d++) {
            struct rf_date day = rf_date_from_days(d);
            int was = worked(job.before, day), now = worked(job.after, day);
            char date[11];
            if (was == now)
                continue;
            rf_date_format(day, date);
            rf_buf_adds(out, k++ ? ",{\"date\":\"" : "{\"date\":\"");
            rf_buf_adds(out, date);
            rf_buf_adds(out, was ? "\",\"was\":\"working\",\"now\":\"off\"}"
                                 : "\",\"was\":\"off\",\"now\":\"working\"}");
        }
        rf_buf_addc(out, ']');
        if (affected_json(app, out, err) != RF_OK) { /* recorded all the same */
            rf_buf_adds(out, ",\"affected_dossiers\":null");
            rf_error_init(err);
        }
        rf_buf_addc(out, '}');
    }
    free(hours);
    free(job.before);
    free(job.after);
    return rc;
}

struct hours_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    struct rf_hours h;
};

static int write_hours(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct hours_job *job = ctx;
    char after[96], from[11], periods[RF_HOURS_TEXT];
    int rc;

    rf_date_format(job->h.from, from);
    rf_hours_format(&job->h, periods);
    snprintf(after, sizeof(after), "{\"from\":\"%s\",\"periods\":\"%s\"}", from, periods);
    rc = rf_store_working_hours_put(s, job->app->province.id, &job->h, job->actor->user_id,
                                    rf_app_now(job->app));
    if (rc == RF_OK)
        rc = rf_app_audit(job->app, s, job->actor, "record", "working_hours",
                          rf_date_to_days(job->h.from), NULL, after);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_working_hours_set(struct rf_app *app, const struct rf_actor *actor, const char *from,
                             const char *periods, struct rf_buf *out, struct rf_error *err)
{
    struct hours_job job;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_CALENDAR_WRITE, err);
    if (rc != RF_OK)
        return rc;
    memset(&job, 0, sizeof(job));
    job.app = app;
    job.actor = actor;
    if (!from || rf_date_parse(from, &job.h.from) != RF_OK)
        rf_error_set(err, RF_EINVAL, "from", "date", "'from' is a date YYYY-MM-DD");
    if (!periods || rf_hours_parse(periods, &job.h) != RF_OK)
        rf_error_set(err, RF_EINVAL, "periods", "format",
                     "periods are 1 to %d spans HH:MM-HH:MM in order, like "
                     "07:00-11:30,13:30-17:00",
                     RF_MAX_SESSIONS);
    if (err->n)
        return RF_EINVAL;
    rc = rf_app_write(app, write_hours, &job, err);
    if (rc == RF_OK && out) {
        char day[11], text[RF_HOURS_TEXT];
        rf_date_format(job.h.from, day);
        rf_hours_format(&job.h, text);
        rf_buf_adds(out, "{\"from\":");
        rf_buf_add_json_str(out, day);
        rf_buf_adds(out, ",\"periods\":");
        rf_buf_add_json_str(out, text);
        if (affected_json(app, out, err) != RF_OK) { /* recorded all the same */
            rf_buf_adds(out, ",\"affected_dossiers\":null");
            rf_error_init(err);
        }
        rf_buf_addc(out, '}');
    }
    return rc;
}

/* ---- due times ---- */

/* A decimal number of hours ("2", "0.25") as whole minutes; -1 when it is not one. */
static int64_t hours_minutes(const char *s)
{
    int64_t whole = 0, frac = 0, scale = 1;
    const char *p = s;

    if (!s || !*s)
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 100000)
            return -1;
    }
    if (p == s)
        return -1;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9' && scale < 10000; p++) {
            frac = frac * 10 + (*p - '0');
            scale *= 10;
        }
        if (scale == 1)
            return -1;
    }
    if (*p || (frac * 60) % scale != 0)
        return -1; /* not a number, or not a whole number of minutes */
    return whole * 60 + frac * 60 / scale;
}

int rf_app_calendar_due(struct rf_app *app, const char *from, const char *days, const char *hours,
                        const char *cutoff, char due[17], struct rf_error *err)
{
    const struct rf_worktime *w;
    struct rf_allowance a = {0, 0};
    int64_t at = 0, when;
    int cut = -1, rc;

    if (!from || rf_worktime_parse(from, &at) != RF_OK)
        rf_error_set(err, RF_EINVAL, "from", "format", "'from' is a local time YYYY-MM-DD HH:MM");
    if ((days && *days) == (hours && *hours)) {
        rf_error_set(err, RF_EINVAL, "days", "required", "give either 'days' or 'hours'");
    } else if (days && *days && strchr(days, '.')) {
        /* a fraction of a day (a step's 0.25 or 1.5 days): 8 working hours a day, from the instant
         */
        int64_t m = hours_minutes(days); /* the same digits read as hours: a sixtieth of ours */
        a.minutes = m > 0 ? m * (RF_WORKDAY_MINUTES / 60) : -1;
        if (a.minutes <= 0)
            rf_error_set(err, RF_EINVAL, "days", "format",
                         "'days' is a whole number of days, or a fraction like 0.25 or 1.5 "
                         "making whole minutes of 8-hour days");
    } else if (days && *days) {
        char *end;
        long n = strtol(days, &end, 10);
        if (*end || end == days || n < 1 || n > 3650)
            rf_error_set(err, RF_EINVAL, "days", "range",
                         "'days' is a whole number from 1 to 3650");
        a.days = (int)n;
    } else {
        a.minutes = hours_minutes(hours);
        if (a.minutes <= 0)
            rf_error_set(err, RF_EINVAL, "hours", "format",
                         "'hours' is a positive number of hours making whole minutes, like 2 "
                         "or 0.25");
    }
    if (cutoff && *cutoff &&
        (strlen(cutoff) != 5 || (cut = rf_worktime_clock(cutoff)) < 0 || cut >= RF_MINUTES_PER_DAY))
        rf_error_set(err, RF_EINVAL, "cutoff", "format", "'cutoff' is a time HH:MM");
    if (err->n)
        return RF_EINVAL;
    w = rf_app_worktime_get(app, err);
    if (!w)
        return rf_error_code(err, RF_ESTORE);
    rc = rf_worktime_due(w, at, &a, cut, NULL, 0, &when);
    rf_app_worktime_put(app, w);
    if (rc != RF_OK)
        return rf_error_set(err, RF_EINVAL, "from", "range",
                            "the calendar covers %d to %d: the receipt and its due time must "
                            "fall within it",
                            RF_CALENDAR_FIRST_YEAR, RF_CALENDAR_LAST_YEAR);
    rf_worktime_format(when, due);
    return RF_OK;
}
