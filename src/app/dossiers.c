/*
 * One-stop dossiers: the catalogue of procedures and the life of a dossier
 * from the desk to the citizen, every move checked against the state machine
 * of core/dossier.c, made by the unit that holds the dossier, with its
 * timeline, its audit record and the service center's counters in the same
 * transaction. Due times are counted on the working calendar (calendar.c).
 *
 * Counters ("metric" of a desk, field and level on a day): received and
 * received_online on the day of receipt; early, on_time, late and
 * process_minutes (working minutes from receipt to result, less pauses) on
 * the day of the result; supplement, apology, refused, withdrawn, stopped on
 * the day it happened. A report sums them over the period.
 */
#include "app_int.h"
#include "../common/csv.h"
#include "../common/mem.h"
#include "../core/period.h"
#include "../core/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKUPS_PER_WINDOW 60 /* failed public lookups per address in a sign-in window */

static const char *const fields[] = {
    "civil_status",  "certification", "land",      "construction", "business", "justice",
    "labour_social", "transport",     "education", "health",       "other",    NULL};
static const char *const levels[] = {"province", "district", "commune", NULL};
static const char *const onlines[] = {"full", "partial", "none", NULL};
static const char *const channels[] = {"desk", "online", "post", NULL};

/* ---- the catalogue ---- */

/* "0.25d" or "2h" as working minutes; -1 when malformed or not whole minutes. */
static int allowance_minutes(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    double m;

    if (end == s || v <= 0 || (strcmp(end, "d") != 0 && strcmp(end, "h") != 0))
        return -1;
    m = v * (*end == 'd' ? RF_WORKDAY_MINUTES : 60);
    if (m > 1e7 || m - (double)(int)(m + 0.5) > 1e-6 || (double)(int)(m + 0.5) - m > 1e-6)
        return -1;
    return (int)(m + 0.5);
}

enum {
    C_CODE,
    C_FROM,
    C_NAME,
    C_FIELD,
    C_LEVEL,
    C_DAYS,
    C_HOURS,
    C_FEE,
    C_ONLINE,
    C_PAPERS,
    C_STEPS,
    C_SOURCE,
    C_COUNT
};

static const char *const columns[] = {"code",   "version_from", "name",  "field",
                                      "level",  "days",         "hours", "fee",
                                      "online", "papers",       "steps", "source"};

/* Text of the catalogue, shown, and searched by its folded form: UTF-8 without controls. */
static int is_text(const char *s)
{
    char *nfc = NULL;
    int ok = rf_text_nfc(s, &nfc) == RF_OK;

    free(nfc);
    return ok;
}

/* One CSV row into 'p'; errors name "line N: column". */
static int procedure_row(char **f, int line, struct rf_procedure *p, struct rf_error *err)
{
    char where[64], *end;
    struct rf_date d;
    int total, sum = 0;

#define BAD(col, ...)                                                                              \
    do {                                                                                           \
        snprintf(where, sizeof(where), "line %d: %s", line, columns[col]);                         \
        return rf_error_set(err, RF_EINVAL, where, "invalid", __VA_ARGS__);                        \
    } while (0)
    if (!f[C_CODE][0] || strlen(f[C_CODE]) > RF_PROC_CODE_MAX)
        BAD(C_CODE, "a national code of 1 to %d characters", RF_PROC_CODE_MAX);
    snprintf(p->code, sizeof(p->code), "%s", f[C_CODE]);
    if (rf_date_parse(f[C_FROM], &d) != RF_OK)
        BAD(C_FROM, "a date YYYY-MM-DD");
    rf_date_format(d, p->version_from);
    if (!f[C_NAME][0] || strlen(f[C_NAME]) >= sizeof(p->name))
        BAD(C_NAME, "a name of 1 to %zu bytes", sizeof(p->name) - 1);
    /* the store folds the name for search, which text that is not UTF-8 fails (fuzz_csv) */
    if (!is_text(f[C_NAME]))
        BAD(C_NAME, "UTF-8 text without control characters");
    snprintf(p->name, sizeof(p->name), "%s", f[C_NAME]);
    if (rf_app_index_of(fields, f[C_FIELD]) < 0)
        BAD(C_FIELD, "one of civil_status, certification, land, construction, business, justice,"
                     " labour_social, transport, education, health, other");
    snprintf(p->field, sizeof(p->field), "%s", f[C_FIELD]);
    if (rf_app_index_of(levels, f[C_LEVEL]) < 0)
        BAD(C_LEVEL, "province, district or commune");
    snprintf(p->level, sizeof(p->level), "%s", f[C_LEVEL]);
    if (!f[C_DAYS][0] == !f[C_HOURS][0])
        BAD(C_DAYS, "either days or hours");
    if (f[C_DAYS][0]) {
        long whole = strtol(f[C_DAYS], &end, 10);
        if (!*end && whole > 0 && whole <= 3650) {
            p->days = (int)whole; /* whole days: the day rule */
            total = p->days * RF_WORKDAY_MINUTES;
        } else {
            char days[40];
            snprintf(days, sizeof(days), "%sd", f[C_DAYS]);
            if ((total = allowance_minutes(days)) <= 0)
                BAD(C_DAYS, "working days, like 3 or 0.5");
            p->minutes = total;
        }
    } else {
        char hours[40];
        snprintf(hours, sizeof(hours), "%sh", f[C_HOURS]);
        if ((total = allowance_minutes(hours)) <= 0)
            BAD(C_HOURS, "working hours, like 4");
        p->minutes = total;
    }
    p->fee = strtoll(f[C_FEE], &end, 10);
    if (!f[C_FEE][0] || *end || p->fee < 0)
        BAD(C_FEE, "a fee in VND, 0 for none");
    if (rf_app_index_of(onlines, f[C_ONLINE]) < 0)
        BAD(C_ONLINE, "full, partial or none");
    snprintf(p->online, sizeof(p->online), "%s", f[C_ONLINE]);
    if (strlen(f[C_PAPERS]) >= sizeof(p->papers) || !is_text(f[C_PAPERS]))
        BAD(C_PAPERS, "at most %zu bytes of UTF-8 text without control characters",
            sizeof(p->papers) - 1);
    snprintf(p->papers, sizeof(p->papers), "%s", f[C_PAPERS]);
    if (strlen(f[C_SOURCE]) >= sizeof(p->source) || !is_text(f[C_SOURCE]))
        BAD(C_SOURCE, "at most %zu bytes of UTF-8 text without control characters",
            sizeof(p->source) - 1);
    snprintf(p->source, sizeof(p->source), "%s", f[C_SOURCE]);
    /* steps: "name|unit|allowance;..." adding up to the total (Decree 61/2018, art. 31) */
    for (char *step = f[C_STEPS]; step && *step;) {
        char *next = strchr(step, ';'), *unit, *allow;
        struct rf_procedure_step *st;
        if (next)
            *next++ = '\0';
        unit = strchr(step, '|');
        allow = unit ? strchr(unit + 1, '|') : NULL;
        if (!unit || !allow || p->nsteps == RF_PROC_MAX_STEPS)
            BAD(C_STEPS, "steps are name|unit|allowance separated by ';', at most %d",
                RF_PROC_MAX_STEPS);
        *unit++ = '\0';
        *allow++ = '\0';
        st = &p->steps[p->nsteps++];
        if (strlen(step) >= sizeof(st->name) || strlen(unit) >= sizeof(st->unit_ref) ||
            !is_text(step) || !is_text(unit))
            BAD(C_STEPS, "step %d: a name and a unit of UTF-8 text without control characters",
                p->nsteps);
        snprintf(st->name, sizeof(st->name), "%s", step);
        snprintf(st->unit_ref, sizeof(st->unit_ref), "%s", unit);
        if (!st->name[0] || !st->unit_ref[0] || (st->minutes = allowance_minutes(allow)) <= 0)
            BAD(C_STEPS, "step %d: a name, a unit and an allowance like 0.25d or 2h", p->nsteps);
        sum += st->minutes;
        step = next;
    }
    if (p->nsteps == 0 || sum != total)
        BAD(C_STEPS, "the steps' allowances add up to %d working minutes, the total is %d", sum,
            total);
#undef BAD
    return RF_OK;
}

struct import_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    const char *csv;
    int count;
};

static int write_procedures(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct import_job *job = ctx;
    struct rf_procedure *p = rf_xmalloc(sizeof(*p));
    struct rf_csv c;
    int rc = RF_OK, got;

    rf_csv_init(&c, job->csv);
    got = rf_csv_next(&c);
    if (got != 1 || c.nfields != C_COUNT || strcmp(c.field[0], "code") != 0)
        rc = rf_error_set(err, RF_EINVAL, "line 1", "header",
                          "the first line is code,version_from,name,field,level,days,hours,fee,"
                          "online,papers,steps,source");
    while (rc == RF_OK && (got = rf_csv_next(&c)) == 1) {
        char where[32], body[160];
        memset(p, 0, sizeof(*p));
        if (c.nfields != C_COUNT) {
            snprintf(where, sizeof(where), "line %d", c.line);
            rc = rf_error_set(err, RF_EINVAL, where, "columns", "%d columns, %d expected",
                              c.nfields, C_COUNT);
            break;
        }
        if ((rc = procedure_row(c.field, c.line, p, err)) != RF_OK)
            break;
        p->province_id = job->app->province.id;
        p->created_at = rf_app_now(job->app);
        rc = rf_store_procedure_insert(s, p);
        if (rc == RF_ECONFLICT) {
            snprintf(where, sizeof(where), "line %d: code", c.line);
            rc = rf_error_set(err, RF_ECONFLICT, where, "taken",
                              "procedure %s has a version from %s already", p->code,
                              p->version_from);
            break;
        }
        snprintf(body, sizeof(body), "{\"code\":\"%s\",\"version_from\":\"%s\"}", p->code,
                 p->version_from);
        if (rc == RF_OK)
            rc = rf_app_audit(job->app, s, job->actor, "import", "procedure", p->id, NULL, body);
        if (rc != RF_OK) {
            rc = rf_app_store_error(rc, err);
            break;
        }
        job->count++;
    }
    if (rc == RF_OK && got < 0)
        rc = rf_error_set(err, RF_EINVAL, "csv", "malformed", "line %d: malformed CSV", c.line);
    rf_csv_cleanup(&c);
    free(p);
    return rc;
}

int rf_app_procedures_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                             int *count, struct rf_error *err)
{
    struct import_job job = {app, actor, csv, 0};
    int rc = rf_app_allow(actor, RF_ACT_PROCEDURE_WRITE, err);

    if (rc == RF_OK)
        rc = rf_app_write(app, write_procedures, &job, err);
    if (count)
        *count = rc == RF_OK ? job.count : 0;
    return rc;
}

static void procedure_json(const struct rf_procedure *p, int with_steps, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, p->id);
    rf_buf_adds(out, ",\"code\":");
    rf_buf_add_json_str(out, p->code);
    rf_buf_adds(out, ",\"version_from\":");
    rf_buf_add_json_str(out, p->version_from);
    rf_buf_adds(out, ",\"name\":");
    rf_buf_add_json_str(out, p->name);
    rf_buf_adds(out, ",\"field\":");
    rf_buf_add_json_str(out, p->field);
    rf_buf_adds(out, ",\"level\":");
    rf_buf_add_json_str(out, p->level);
    rf_buf_adds(out, ",\"days\":");
    rf_buf_addi(out, p->days);
    rf_buf_adds(out, ",\"minutes\":");
    rf_buf_addi(out, p->minutes);
    rf_buf_adds(out, ",\"fee\":");
    rf_buf_addi(out, p->fee);
    rf_buf_adds(out, ",\"online\":");
    rf_buf_add_json_str(out, p->online);
    rf_buf_adds(out, ",\"papers\":");
    rf_buf_add_json_str(out, p->papers);
    rf_buf_adds(out, ",\"source\":");
    rf_buf_add_json_str(out, p->source);
    if (with_steps) {
        rf_buf_adds(out, ",\"steps\":[");
        for (int i = 0; i < p->nsteps; i++) {
            if (i)
                rf_buf_addc(out, ',');
            rf_buf_adds(out, "{\"name\":");
            rf_buf_add_json_str(out, p->steps[i].name);
            rf_buf_adds(out, ",\"unit\":");
            rf_buf_add_json_str(out, p->steps[i].unit_ref);
            rf_buf_adds(out, ",\"minutes\":");
            rf_buf_addi(out, p->steps[i].minutes);
            rf_buf_addc(out, '}');
        }
        rf_buf_addc(out, ']');
    }
    rf_buf_addc(out, '}');
}

/* A page of a list being written: the store is asked for one row past it. */
struct page {
    struct rf_buf *items;
    int n, limit, more;
    int64_t last;
};

/* Room for the item 'id': 1 (stop) when the page is full, else 0 after the separator. */
static int page_next(struct page *pg, int64_t id)
{
    if (pg->n == pg->limit) {
        pg->more = 1; /* a row past the page: there is a next one */
        return 1;
    }
    if (pg->n++)
        rf_buf_addc(pg->items, ',');
    pg->last = id;
    return 0;
}

static int add_procedure(void *ctx, const struct rf_procedure *p)
{
    struct page *pg = ctx;

    if (page_next(pg, p->id))
        return 1;
    procedure_json(p, 0, pg->items);
    return 0;
}

int rf_app_procedures_json(struct rf_app *app, const struct rf_actor *actor, const char *date,
                           const char *text, const char *field, const char *level, int64_t after_id,
                           int limit, struct rf_buf *items, int *n, int64_t *last_id,
                           struct rf_error *err)
{
    struct rf_procedure_query q;
    struct page pg = {items, 0, limit, 0, 0};
    char day[RF_DATE_LEN];
    char *fold = NULL;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    if (date && *date)
        (void)!rf_app_check_date(date, "date", 1, day, err);
    else
        rf_app_today(app, day);
    if (field && rf_app_index_of(fields, field) < 0)
        rf_error_set(err, RF_EINVAL, "field", "enum", "unknown field '%s'", field);
    if (level && rf_app_index_of(levels, level) < 0)
        rf_error_set(err, RF_EINVAL, "level", "enum", "province, district or commune");
    if (text && rf_text_fold(text, &fold) != RF_OK)
        rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    if (err && err->n) {
        free(fold);
        return RF_EINVAL;
    }
    memset(&q, 0, sizeof(q));
    q.province_id = actor->province_id;
    q.date = day;
    q.text_fold = fold;
    q.field = field;
    q.level = level;
    q.after_id = after_id;
    q.limit = limit + 1;
    s = rf_app_store_get(app);
    rc = s ? rf_store_procedures_list(s, &q, add_procedure, &pg) : RF_ESTORE;
    rf_app_store_put(app, s);
    free(fold);
    *n = pg.n;
    *last_id = pg.more && rc >= 0 ? pg.last : 0;
    return rc < 0 ? rf_app_store_error(rc, err) : RF_OK;
}

int rf_app_procedure_json(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                          struct rf_buf *out, struct rf_error *err)
{
    struct rf_procedure *p;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    p = rf_xmalloc(sizeof(*p));
    rc = rf_store_procedure_get(s, actor->province_id, id, p);
    rf_app_store_put(app, s);
    if (rc == RF_OK)
        procedure_json(p, 1, out);
    free(p);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* ---- the versions of procedures, kept in memory: a version never changes once written ---- */

#define KEPT_PROCEDURES 256

static struct {
    int64_t id;
    struct rf_procedure *p;
} kept[KEPT_PROCEDURES];
static int nkept;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Procedure version 'id' into '*out': the copy kept in memory (shared, never
 * changed or freed), else read into '*spare' (allocated here when needed,
 * freed by the caller) and kept from then on while there is room.
 */
static int procedure_of(struct rf_store *s, int64_t province_id, int64_t id,
                        const struct rf_procedure **out, struct rf_procedure **spare)
{
    int rc;

    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < nkept; i++)
        if (kept[i].id == id && kept[i].p->province_id == province_id) {
            *out = kept[i].p;
            pthread_mutex_unlock(&kept_lock);
            return RF_OK;
        }
    pthread_mutex_unlock(&kept_lock);
    if (!*spare)
        *spare = rf_xmalloc(sizeof(**spare));
    rc = rf_store_procedure_get(s, province_id, id, *spare);
    if (rc != RF_OK)
        return rc;
    *out = *spare;
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < nkept; i++) /* kept meanwhile by another thread */
        if (kept[i].id == id && kept[i].p->province_id == province_id)
            *out = kept[i].p;
    if (*out == *spare && nkept < KEPT_PROCEDURES) {
        kept[nkept].p = *spare;
        kept[nkept++].id = id;
        *spare = NULL; /* the kept copy now */
    }
    pthread_mutex_unlock(&kept_lock);
    return RF_OK;
}

/* ---- shared by the moves ---- */

static void day_of(int64_t epoch, char out[RF_DATE_LEN])
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

    day_of(at, day);
    /* the units above the desk on the day it was received, as the scope rule reads a dossier
       (dossier_in_scope): a figure counts what the list behind it shows, whichever day it is
       counted on, and a dossier's "open" leaves the units it entered */
    day_of(d->received_at, received);
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
static int dossier_in_scope(struct rf_store *s, const struct rf_actor *actor,
                            const struct rf_dossier *d)
{
    char received[RF_DATE_LEN];
    int rc;

    if (d->province_id != actor->province_id)
        return RF_ENOTFOUND;
    if (rf_access_province_wide(actor->roles))
        return RF_OK;
    day_of(d->received_at, received);
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

static int secret_matches(const char *secret, const char *hash)
{
    unsigned char h[32];
    char hex[65];

    crypto_generichash(h, sizeof(h), (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return sodium_memcmp(hex, hash, 64) == 0;
}

static void instant(struct rf_buf *out, const char *key, int64_t t)
{
    rf_buf_adds(out, ",\"");
    rf_buf_adds(out, key);
    rf_buf_adds(out, "\":");
    if (t) {
        char at[21];
        rf_instant_format(t, at);
        rf_buf_add_json_str(out, at);
    } else {
        rf_buf_adds(out, "null");
    }
}

static void local_time(struct rf_buf *out, const char *key, int64_t t)
{
    char text[17];

    rf_buf_adds(out, ",\"");
    rf_buf_adds(out, key);
    rf_buf_adds(out, "\":");
    if (!t) { /* a dossier never received has no due time */
        rf_buf_adds(out, "null");
        return;
    }
    rf_worktime_format(rf_worktime_local(t), text);
    rf_buf_add_json_str(out, text);
}

/* The dossier as its officers see it; with 'personal' the applicant's data too. */
static void dossier_json(const struct rf_dossier *d, const struct rf_procedure *p, int personal,
                         struct rf_buf *out)
{
    rf_buf_adds(out, "{\"code\":");
    rf_buf_add_json_str(out, d->code);
    rf_buf_adds(out, ",\"procedure\":{\"id\":");
    rf_buf_addi(out, p->id);
    rf_buf_adds(out, ",\"code\":");
    rf_buf_add_json_str(out, p->code);
    rf_buf_adds(out, ",\"name\":");
    rf_buf_add_json_str(out, p->name);
    rf_buf_adds(out, ",\"field\":");
    rf_buf_add_json_str(out, p->field);
    rf_buf_adds(out, ",\"level\":");
    rf_buf_add_json_str(out, p->level);
    rf_buf_adds(out, "},\"state\":");
    rf_buf_add_json_str(out, rf_dossier_state_name(d->state));
    rf_buf_adds(out, ",\"step\":");
    if (d->step >= 0 && d->step < p->nsteps) {
        rf_buf_adds(out, "{\"index\":");
        rf_buf_addi(out, d->step);
        rf_buf_adds(out, ",\"name\":");
        rf_buf_add_json_str(out, p->steps[d->step].name);
        rf_buf_adds(out, ",\"unit_id\":");
        rf_buf_addi(out, d->step_unit_id);
        rf_buf_addc(out, '}');
    } else {
        rf_buf_adds(out, "null");
    }
    instant(out, "received_at", d->received_at);
    instant(out, "due_at", d->due_at);
    local_time(out, "due_local", d->due_at);
    instant(out, "appointment_at", d->appointment_at);
    local_time(out, "appointment_local", d->appointment_at);
    instant(out, "result_at", d->result_at);
    instant(out, "finished_at", d->finished_at);
    rf_buf_adds(out, ",\"timeliness\":");
    if (d->timeliness[0])
        rf_buf_add_json_str(out, d->timeliness);
    else
        rf_buf_adds(out, "null");
    rf_buf_adds(out, ",\"apologies\":");
    rf_buf_addi(out, d->apologies);
    if (personal) {
        rf_buf_adds(out, ",\"desk_unit_id\":");
        rf_buf_addi(out, d->desk_unit_id);
        rf_buf_adds(out, ",\"channel\":");
        rf_buf_add_json_str(out, d->channel);
        rf_buf_adds(out, ",\"applicant\":{\"name\":");
        rf_buf_add_json_str(out, d->applicant_name);
        rf_buf_adds(out, ",\"phone\":");
        rf_buf_add_json_str(out, d->applicant_phone);
        rf_buf_adds(out, ",\"address\":");
        rf_buf_add_json_str(out, d->applicant_address);
        rf_buf_adds(out, "},\"version\":");
        rf_buf_addi(out, d->version);
    }
    rf_buf_addc(out, '}');
}

/* A phone number as its digits, '+' kept; RF_EINVAL unless 8 to 15 digits. */
static int phone_digits(const char *in, char out[RF_PHONE_MAX + 1])
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
    day_of(d->received_at, x->job.day);
    if (!in->applicant_name || !*in->applicant_name ||
        rf_text_nfc(in->applicant_name, &name) != RF_OK ||
        strlen(name) >= sizeof(d->applicant_name))
        rf_error_set(err, RF_EINVAL, "applicant_name", "required",
                     "the applicant's name, 1 to 200 characters");
    else
        snprintf(d->applicant_name, sizeof(d->applicant_name), "%s", name);
    if (!in->applicant_phone || phone_digits(in->applicant_phone, d->applicant_phone) != RF_OK)
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
    if (rf_app_index_of(channels, d->channel) < 0)
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
            rc = procedure_of(s, actor->province_id, id, &p, &spare);
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
        dossier_json(x->job.d, x->job.p, 1, out);
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
static int step_due_of(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
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
        rc = dossier_in_scope(s, job->actor, d);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (job->bad.n) {
        if (err)
            *err = job->bad;
        return job->bad.code;
    }
    rc = procedure_of(s, d->province_id, d->procedure_id, &job->p, &job->spare);
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
    day_of(now, day);
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
        dossier_json(job.d, job.p, 1, out);
    free(job.d);
    free(job.spare);
    return rc;
}

/* ---- reading ---- */

/* The dossier 'code' if the actor may see it (dossier_in_scope), else 404. */
static int load_visible(struct rf_store *s, const struct rf_actor *actor, const char *code,
                        struct rf_dossier *d, const struct rf_procedure **p,
                        struct rf_procedure **spare)
{
    int rc = rf_store_dossier_by_code(s, code, d);

    if (rc == RF_OK)
        rc = dossier_in_scope(s, actor, d);
    if (rc == RF_OK)
        rc = procedure_of(s, d->province_id, d->procedure_id, p, spare);
    return rc;
}

static int event_json(void *ctx, const struct rf_dossier_event *e)
{
    struct rf_buf *out = ctx;

    if (out->data[out->len - 1] != '[')
        rf_buf_addc(out, ',');
    rf_buf_adds(out, "{\"action\":");
    rf_buf_add_json_str(out, e->action);
    instant(out, "at", e->at);
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
    instant(out, "step_due_at", e->step_due_at);
    local_time(out, "step_due_local", e->step_due_at);
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
    RF_APP_STORE(app, s, err);
    rc = load_visible(s, actor, code, &d, &p, &spare);
    if (rc == RF_OK) {
        int64_t step_due = 0;
        dossier_json(&d, p, 1, out);
        out->len--;
        /* the current step's own due time, as its hand-over will record it (Form 05) */
        if (d.state == RF_DS_PROCESSING && d.step >= 0 && d.step < p->nsteps)
            rc = step_due_of(app, s, &d, p, &step_due);
        instant(out, "step_due_at", step_due);
        local_time(out, "step_due_local", step_due);
        rf_buf_adds(out, ",\"events\":[");
        rc = rf_store_dossier_events(s, d.id, event_json, out);
        rf_buf_adds(out, "]}");
    }
    rf_app_store_put(app, s);
    free(spare);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
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
    int rc;

    *retry_after = 0;
    if ((!secret || !*secret) == (!phone || !*phone))
        return rf_error_set(err, RF_EINVAL, "secret", "required",
                            "give the secret on the slip or the applicant's phone number");
    RF_APP_STORE(app, s, err);
    rc = rf_store_dossier_lookup(s, app->province.id, address, code ? code : "", &misses, &d,
                                 office);
    wait =
        rc == RF_OK || rc == RF_ENOTFOUND ? rf_attempts_wait(&misses, LOOKUPS_PER_WINDOW, now) : 0;
    if (wait) { /* an address that guessed too often learns nothing more, right or wrong */
        rf_app_store_put(app, s);
        *retry_after = (int)wait;
        return rf_error_set(err, RF_ELIMIT, NULL, "too_many", "too many lookups: try again later");
    }
    if (rc == RF_OK) {
        char digits[RF_PHONE_MAX + 1];
        int ok = secret && *secret ? secret_matches(secret, d.lookup_hash)
                                   : phone_digits(phone, digits) == RF_OK &&
                                         strcmp(digits, d.applicant_phone) == 0;
        rc = ok ? procedure_of(s, d.province_id, d.procedure_id, &p, &spare) : RF_ENOTFOUND;
    }
    if (rc == RF_OK) {
        dossier_json(&d, p, 0, out); /* never the applicant's data */
        out->len--;
        rf_buf_adds(out, ",\"office\":");
        if (office[0])
            rf_buf_add_json_str(out, office);
        else
            rf_buf_adds(out, "null");
        rf_buf_addc(out, '}');
    }
    rf_app_store_put(app, s);
    free(spare);
    if (rc == RF_ENOTFOUND) {
        /* a miss counts against the address: guessing codes, secrets or phones stops soon;
           a citizen who holds the slip and looks again and again is never held back */
        struct lookup_miss job = {app->province.id, address, now};
        rc = rf_app_write(app, write_lookup_miss, &job, err);
        if (rc != RF_OK)
            return rc;
        return rf_error_set(err, RF_ENOTFOUND, NULL, "not_found",
                            "no dossier with this code and secret or phone");
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

struct held {
    struct rf_buf *items;
    int n;
    int64_t now;
    const struct rf_worktime *w;
};

static int add_held(void *ctx, const struct rf_dossier *d)
{
    struct held *h = ctx;

    if (h->n++)
        rf_buf_addc(h->items, ',');
    rf_buf_adds(h->items, "{\"code\":");
    rf_buf_add_json_str(h->items, d->code);
    rf_buf_adds(h->items, ",\"state\":");
    rf_buf_add_json_str(h->items, rf_dossier_state_name(d->state));
    rf_buf_adds(h->items, ",\"step\":");
    rf_buf_addi(h->items, d->step);
    instant(h->items, "due_at", d->due_at);
    local_time(h->items, "due_local", d->due_at);
    rf_buf_adds(h->items, ",\"overdue\":");
    rf_buf_adds(h->items, d->state == RF_DS_PROCESSING && d->due_at < h->now ? "true" : "false");
    rf_buf_adds(h->items, ",\"working_minutes_left\":");
    {
        /* working time from now to the due time, negative past it; none while paused */
        int64_t now = rf_worktime_local(h->now), due = rf_worktime_local(d->due_at), left = 0;
        if (d->state != RF_DS_PROCESSING || !d->due_at ||
            rf_worktime_between(h->w, now < due ? now : due, now < due ? due : now, NULL, 0,
                                &left) != RF_OK)
            rf_buf_adds(h->items, "null");
        else
            rf_buf_addi(h->items, now < due ? left : -left);
    }
    rf_buf_adds(h->items, ",\"version\":");
    rf_buf_addi(h->items, d->version);
    rf_buf_addc(h->items, '}');
    return 0;
}

int rf_app_worklist_json(struct rf_app *app, const struct rf_actor *actor, int64_t after_id,
                         int limit, struct rf_buf *items, int *n, int64_t *last_id,
                         struct rf_error *err)
{
    struct held h = {items, 0, rf_app_now(app), NULL};
    struct rf_store *s;
    int rc;

    (void)after_id;
    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    h.w = rf_app_worktime_get(app, err);
    if (!h.w)
        return err && err->n ? err->code : RF_ESTORE;
    s = rf_app_store_get(app);
    if (!s) {
        rf_app_worktime_put(app, h.w);
        return rf_app_store_error(RF_ESTORE, err);
    }
    /* by due time: the overdue ones, due earliest, come first */
    rc = rf_store_dossiers_held(s, actor->province_id, actor->unit_id, limit, add_held, &h);
    rf_app_store_put(app, s);
    rf_app_worktime_put(app, h.w);
    *n = h.n;
    *last_id = 0;
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

static int add_listed(void *ctx, const struct rf_dossier *d)
{
    struct page *l = ctx;

    if (page_next(l, d->id))
        return 1;
    rf_buf_adds(l->items, "{\"code\":");
    rf_buf_add_json_str(l->items, d->code);
    rf_buf_adds(l->items, ",\"state\":");
    rf_buf_add_json_str(l->items, rf_dossier_state_name(d->state));
    rf_buf_adds(l->items, ",\"procedure_id\":");
    rf_buf_addi(l->items, d->procedure_id);
    rf_buf_adds(l->items, ",\"desk_unit_id\":");
    rf_buf_addi(l->items, d->desk_unit_id);
    instant(l->items, "received_at", d->received_at);
    instant(l->items, "due_at", d->due_at);
    local_time(l->items, "due_local", d->due_at);
    local_time(l->items, "appointment_local", d->appointment_at);
    instant(l->items, "result_at", d->result_at);
    instant(l->items, "finished_at", d->finished_at);
    rf_buf_adds(l->items, ",\"timeliness\":");
    if (d->timeliness[0])
        rf_buf_add_json_str(l->items, d->timeliness);
    else
        rf_buf_adds(l->items, "null");
    rf_buf_adds(l->items, ",\"apologies\":");
    rf_buf_addi(l->items, d->apologies);
    rf_buf_adds(l->items, ",\"channel\":");
    rf_buf_add_json_str(l->items, d->channel);
    rf_buf_adds(l->items, ",\"applicant\":{\"name\":");
    rf_buf_add_json_str(l->items, d->applicant_name);
    rf_buf_adds(l->items, ",\"phone\":");
    rf_buf_add_json_str(l->items, d->applicant_phone);
    rf_buf_adds(l->items, ",\"address\":");
    rf_buf_add_json_str(l->items, d->applicant_address);
    rf_buf_adds(l->items, "}}");
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
                         const struct rf_dossier_filter *f, int64_t after_id, int limit,
                         struct rf_buf *items, int *n, int64_t *last_id, struct rf_error *err)
{
    static const char *const state_list[] = {"processing", "supplement", "ready",
                                             "notified",   "returned",   "refused",
                                             "withdrawn",  "stopped",    "incomplete"};
    static const char *const timeliness_list[] = {"early", "on_time", "late"};
    struct rf_dossier_query q;
    struct page l = {items, 0, limit, 0, 0};
    struct rf_store *s;
    char today[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    memset(&q, 0, sizeof(q));
    if (f->received)
        (void)!period_span(f->received, "received", &q.received_from, &q.received_to, err);
    if (f->result)
        (void)!period_span(f->result, "result", &q.result_from, &q.result_to, err);
    if (f->ended)
        (void)!period_span(f->ended, "ended", &q.ended_from, &q.ended_to, err);
    if (f->taken)
        (void)!period_span(f->taken, "taken", &q.taken_from, &q.taken_to, err);
    if (f->asked && f->apologised)
        rf_error_set(err, RF_EINVAL, "apologised", "conflict", "one of asked and apologised");
    else if (f->asked || f->apologised) {
        q.event = f->asked ? "ask" : "apologise";
        (void)!period_span(f->asked ? f->asked : f->apologised, f->asked ? "asked" : "apologised",
                           &q.event_from, &q.event_to, err);
    }
    if (f->state)
        (void)!check_names(f->state, state_list, 9, "state", err);
    if (f->timeliness)
        (void)!check_names(f->timeliness, timeliness_list, 3, "timeliness", err);
    if (f->field && rf_app_index_of(fields, f->field) < 0)
        rf_error_set(err, RF_EINVAL, "field", "enum", "unknown field '%s'", f->field);
    if (f->level && rf_app_index_of(levels, f->level) < 0)
        rf_error_set(err, RF_EINVAL, "level", "enum", "province, district or commune");
    if (err && err->n)
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
    q.limit = limit + 1;
    RF_APP_STORE(app, s, err);
    rf_app_today(app, today);
    if (f->unit && rf_app_scope_check(s, actor, f->unit, today, err) != RF_OK) {
        rf_app_store_put(app, s);
        return err && err->n ? err->code : RF_ENOTFOUND;
    }
    rc = rf_store_dossiers_list(s, &q, add_listed, &l);
    rf_app_store_put(app, s);
    *n = l.n;
    *last_id = l.more && rc >= 0 ? l.last : 0;
    return rc < 0 ? rf_app_store_error(rc, err) : RF_OK;
}

/* ---- the service center's figures ---- */

const char *const rf_app_dossier_metrics[RF_M_COUNT + 1] = {
    "received",        "received_online", "early",   "on_time",  "late",
    "process_minutes", "supplement",      "apology", "refused",  "withdrawn",
    "stopped",         "guided",          "open",    "returned", NULL};

struct tally {
    int64_t v[RF_M_COUNT];
};

#define GROUPS 64
/* The counters summed, in all and by field or by level ('by': 1 or 2; 0 neither). */
struct tallies {
    int by;
    struct tally all;
    char key[GROUPS][24];
    struct tally group[GROUPS];
    int n;
};

static int add_count(void *ctx, const char *field, const char *level, const char *metric, int64_t n)
{
    struct tallies *t = ctx;
    const char *key = t->by == 1 ? field : level;
    int i = rf_app_index_of(rf_app_dossier_metrics, metric), g;

    if (i < 0)
        return 0;
    t->all.v[i] += n;
    if (!t->by)
        return 0;
    for (g = 0; g < t->n && strcmp(t->key[g], key) != 0; g++)
        ;
    if (g == t->n) {
        if (t->n == GROUPS)
            return 0;
        snprintf(t->key[t->n++], sizeof(t->key[0]), "%s", key);
    }
    t->group[g].v[i] += n;
    return 0;
}

/*
 * The counters of 'unit' from 'from' to 'to': the whole months from the
 * month rows, the days at either end from the day rows.
 */
static int period_counts(struct rf_store *s, int64_t province_id, int64_t unit, struct rf_date from,
                         struct rf_date to, struct tallies *t)
{
    struct rf_date first_full = from, last_full = to;
    char a[RF_DATE_LEN], b[RF_DATE_LEN];
    int rc = RF_OK;

    /* the first whole month starts on the 1st at or after 'from'; the last ends at 'to' or before
     */
    if (from.day != 1)
        first_full = from.month == 12 ? (struct rf_date){from.year + 1, 1, 1}
                                      : (struct rf_date){from.year, from.month + 1, 1};
    if (to.day != rf_date_days_in_month(to.year, to.month))
        last_full = to.month == 1 ? (struct rf_date){to.year - 1, 12, 31}
                                  : (struct rf_date){to.year, to.month - 1,
                                                     rf_date_days_in_month(to.year, to.month - 1)};
    if (rf_date_cmp(first_full, last_full) > 0) { /* no whole month: days only */
        rf_date_format(from, a);
        rf_date_format(to, b);
        return rf_store_dossier_counts(s, province_id, unit, a, b, add_count, t);
    }
    if (rf_date_cmp(from, first_full) < 0) {
        struct rf_date end = rf_date_from_days(rf_date_to_days(first_full) - 1);
        rf_date_format(from, a);
        rf_date_format(end, b);
        rc = rf_store_dossier_counts(s, province_id, unit, a, b, add_count, t);
    }
    if (rc == RF_OK) {
        snprintf(a, sizeof(a), "%04d-%02d", first_full.year % 10000, first_full.month % 100);
        snprintf(b, sizeof(b), "%04d-%02d", last_full.year % 10000, last_full.month % 100);
        rc = rf_store_dossier_counts(s, province_id, unit, a, b, add_count, t);
    }
    if (rc == RF_OK && rf_date_cmp(last_full, to) < 0) {
        struct rf_date start = rf_date_from_days(rf_date_to_days(last_full) + 1);
        rf_date_format(start, a);
        rf_date_format(to, b);
        rc = rf_store_dossier_counts(s, province_id, unit, a, b, add_count, t);
    }
    return rc;
}

/* The counters of 'unit' before 'from': their "open" is what 'from' carries over. */
static int before_counts(struct rf_store *s, int64_t province_id, int64_t unit, struct rf_date from,
                         struct tallies *t)
{
    char a[RF_DATE_LEN], b[RF_DATE_LEN];
    int rc;

    snprintf(b, sizeof(b), "%04d-%02d", (from.month == 1 ? from.year - 1 : from.year) % 10000,
             (from.month == 1 ? 12 : from.month - 1) % 100);
    rc = rf_store_dossier_counts(s, province_id, unit, "0000-00", b, add_count, t);
    if (rc == RF_OK && from.day > 1) {
        struct rf_date first = {from.year, from.month, 1};
        rf_date_format(first, a);
        rf_date_format(rf_date_from_days(rf_date_to_days(from) - 1), b);
        rc = rf_store_dossier_counts(s, province_id, unit, a, b, add_count, t);
    }
    return rc;
}

static void rate_json(struct rf_buf *out, const char *key, int64_t num, int64_t den)
{
    int tenths = rf_rate_tenths(num, den);
    char rate[24];

    snprintf(rate, sizeof(rate), "\"%d.%d\"", tenths / 10, tenths % 10);
    rf_buf_adds(out, ",\"");
    rf_buf_adds(out, key);
    rf_buf_adds(out, "\":");
    rf_buf_adds(out, rate);
}

/* The figures of a period from its counters 't' and those before it 'b', as members. */
static void figures_json(const struct tally *t, const struct tally *b, struct rf_buf *out)
{
    int64_t processed = t->v[RF_M_EARLY] + t->v[RF_M_ON_TIME] + t->v[RF_M_LATE];

    rf_buf_adds(out, ",\"carried_over\":");
    rf_buf_addi(out, b->v[RF_M_OPEN]);
    for (int i = 0; i < RF_M_COUNT; i++) {
        if (i == RF_M_MINUTES || i == RF_M_OPEN)
            continue;
        rf_buf_adds(out, ",\"");
        rf_buf_adds(out, rf_app_dossier_metrics[i]);
        rf_buf_adds(out, "\":");
        rf_buf_addi(out, t->v[i]);
    }
    rf_buf_adds(out, ",\"processed\":");
    rf_buf_addi(out, processed);
    rate_json(out, "early_rate", t->v[RF_M_EARLY], processed);
    rate_json(out, "on_time_rate", t->v[RF_M_ON_TIME], processed);
    rate_json(out, "late_rate", t->v[RF_M_LATE], processed);
    {
        /* tenths of a working day, half up */
        int64_t tenths =
            processed ? (t->v[RF_M_MINUTES] * 20 / RF_WORKDAY_MINUTES / processed + 1) / 2 : 0;
        char avg[48];
        snprintf(avg, sizeof(avg), ",\"average_working_days\":\"%lld.%lld\"",
                 (long long)(tenths / 10), (long long)(tenths % 10));
        rf_buf_adds(out, avg);
    }
    rate_json(out, "online_share", t->v[RF_M_ONLINE], t->v[RF_M_RECEIVED]);
}

/* Whether a tally counts anything at all. */
static int any(const struct tally *t, const struct tally *b)
{
    for (int i = 0; i < RF_M_COUNT; i++)
        if (t->v[i] || b->v[i])
            return 1;
    return 0;
}

struct unit_row {
    int64_t id;
    char code[RF_UNIT_CODE_MAX + 1];
    char name[RF_NAME_BYTES];
};

struct unit_rows {
    struct unit_row *u;
    int n, cap;
};

static int keep_unit_row(void *ctx, const struct rf_unit *u)
{
    struct unit_rows *r = ctx;

    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 32;
        r->u = rf_xrealloc(r->u, sizeof(*r->u) * (size_t)r->cap);
    }
    r->u[r->n].id = u->id;
    snprintf(r->u[r->n].code, sizeof(r->u[0].code), "%s", u->code);
    snprintf(r->u[r->n].name, sizeof(r->u[0].name), "%s", u->name);
    r->n++;
    return 0;
}

/* The rows by each unit directly under 'unit' on 'to' with anything counted. */
static int unit_rows_json(struct rf_store *s, int64_t province_id, int64_t unit,
                          struct rf_period *pd, const char *to, struct rf_buf *out)
{
    struct rf_unit_query q;
    struct unit_rows r = {0};
    struct tallies *t = rf_xcalloc(2, sizeof(*t));
    int rc, first = 1;

    memset(&q, 0, sizeof(q));
    q.province_id = province_id;
    q.root_id = unit;
    q.date = to;
    q.skip_root = 1;
    q.max_depth = 1;
    rc = rf_store_units_list(s, &q, keep_unit_row, &r);
    for (int i = 0; rc == RF_OK && i < r.n; i++) {
        memset(t, 0, 2 * sizeof(*t));
        rc = period_counts(s, province_id, r.u[i].id, pd->from, pd->to, &t[0]);
        if (rc == RF_OK)
            rc = before_counts(s, province_id, r.u[i].id, pd->from, &t[1]);
        if (rc != RF_OK || !any(&t[0].all, &t[1].all))
            continue;
        rf_buf_adds(out, first ? "{\"key\":" : ",{\"key\":");
        first = 0;
        rf_buf_add_json_str(out, r.u[i].code);
        rf_buf_adds(out, ",\"unit_id\":");
        rf_buf_addi(out, r.u[i].id);
        rf_buf_adds(out, ",\"name\":");
        rf_buf_add_json_str(out, r.u[i].name);
        figures_json(&t[0].all, &t[1].all, out);
        rf_buf_addc(out, '}');
    }
    free(r.u);
    free(t);
    return rc;
}

int rf_app_dossier_stats_json(struct rf_app *app, const struct rf_actor *actor, const char *period,
                              int64_t unit, const char *by, struct rf_buf *out,
                              struct rf_error *err)
{
    static const char *const bys[] = {"", "field", "level", "unit", NULL};
    struct rf_period pd;
    struct tallies *t;
    struct rf_store *s;
    char from[RF_DATE_LEN], to[RF_DATE_LEN];
    int64_t within = 0, overdue = 0, waiting = 0;
    int rc, byi;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    if (!period || rf_period_parse(period, &pd) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "period", "format",
                            "a period: YYYY, YYYY-Qn, YYYY-H1, YYYY-9M, YYYY-MM or a range");
    if ((byi = rf_app_index_of(bys, by ? by : "")) < 0)
        return rf_error_set(err, RF_EINVAL, "by", "enum", "field, level or unit");
    rf_date_format(pd.from, from);
    rf_date_format(pd.to, to);
    RF_APP_STORE(app, s, err);
    if (!unit && !rf_access_province_wide(actor->roles))
        unit = actor->scope_unit_id;
    if (unit && rf_app_scope_check(s, actor, unit, to, err) != RF_OK) {
        rf_app_store_put(app, s);
        return err && err->n ? err->code : RF_ENOTFOUND;
    }
    t = rf_xcalloc(2, sizeof(*t));
    t[0].by = t[1].by = byi < 3 ? byi : 0;
    rc = period_counts(s, actor->province_id, unit ? unit : app->root_unit_id, pd.from, pd.to,
                       &t[0]);
    if (rc == RF_OK)
        rc = before_counts(s, actor->province_id, unit ? unit : app->root_unit_id, pd.from, &t[1]);
    if (rc == RF_OK)
        rc = rf_store_dossiers_behind(s, actor->province_id, unit,
                                      unit && !rf_access_province_wide(actor->roles) &&
                                              unit != actor->scope_unit_id
                                          ? actor->scope_unit_id
                                          : 0,
                                      rf_app_now(app), &overdue, &waiting);
    if (rc == RF_OK) {
        /* those in process within their due time: all open ones (the counters' "open" over
           every month, this one included) but the overdue and the waiting */
        struct tallies *all = rf_xcalloc(1, sizeof(*all));
        rc = rf_store_dossier_counts(s, actor->province_id, unit ? unit : app->root_unit_id,
                                     "0000-00", "9999-99", add_count, all);
        within = all->all.v[RF_M_OPEN] - overdue - waiting;
        if (within < 0)
            within = 0;
        free(all);
    }
    if (rc == RF_OK) {
        rf_buf_adds(out, "{\"period\":");
        rf_buf_add_json_str(out, period);
        rf_buf_adds(out, ",\"from\":");
        rf_buf_add_json_str(out, from);
        rf_buf_adds(out, ",\"to\":");
        rf_buf_add_json_str(out, to);
        rf_buf_adds(out, ",\"unit_id\":");
        rf_buf_addi(out, unit);
        figures_json(&t[0].all, &t[1].all, out);
        rf_buf_adds(out, ",\"now\":{\"within_due\":");
        rf_buf_addi(out, within);
        rf_buf_adds(out, ",\"overdue\":");
        rf_buf_addi(out, overdue);
        rf_buf_adds(out, ",\"waiting_for_papers\":");
        rf_buf_addi(out, waiting);
        rf_buf_addc(out, '}');
    }
    if (rc == RF_OK && byi) {
        rf_buf_adds(out, ",\"by\":");
        rf_buf_add_json_str(out, bys[byi]);
        rf_buf_adds(out, ",\"rows\":[");
        if (byi == 3) {
            rc = unit_rows_json(s, actor->province_id, unit ? unit : app->root_unit_id, &pd, to,
                                out);
        } else {
            /* the keys of either tally, in the order first met (the store sorts them) */
            struct tally zero = {0};
            for (int g = 0; g < t[1].n; g++) {
                int k;
                for (k = 0; k < t[0].n && strcmp(t[0].key[k], t[1].key[g]) != 0; k++)
                    ;
                if (k == t[0].n && t[0].n < GROUPS)
                    memcpy(t[0].key[t[0].n++], t[1].key[g], sizeof(t[0].key[0]));
            }
            for (int k = 0; k < t[0].n; k++) {
                const struct tally *b = &zero;
                for (int g = 0; g < t[1].n; g++)
                    if (strcmp(t[1].key[g], t[0].key[k]) == 0)
                        b = &t[1].group[g];
                if (!any(&t[0].group[k], b))
                    continue;
                rf_buf_adds(out, out->data[out->len - 1] == '[' ? "{\"key\":" : ",{\"key\":");
                rf_buf_add_json_str(out, t[0].key[k]);
                figures_json(&t[0].group[k], b, out);
                rf_buf_addc(out, '}');
            }
        }
        rf_buf_addc(out, ']');
    }
    rf_app_store_put(app, s);
    free(t);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    rf_buf_addc(out, '}');
    return RF_OK;
}
