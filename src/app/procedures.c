/*
 * The catalogue of administrative procedures (thủ tục hành chính) a one-stop
 * desk receives: imported from CSV as dated versions, listed and read, and
 * each version kept in memory once read, since a version never changes once
 * written. Allowances are working days or hours (Decree 61/2018, art. 19).
 */
#include "app_int.h"
#include "../common/csv.h"
#include "../common/mem.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rf_app_procedure_fields[] = {
    "civil_status",  "certification", "land",      "construction", "business", "justice",
    "labour_social", "transport",     "education", "health",       "other",    NULL};
const char *const rf_app_procedure_levels[] = {"province", "district", "commune", NULL};
static const char *const onlines[] = {"full", "partial", "none", NULL};

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
    if (rf_names_index(rf_app_procedure_fields, f[C_FIELD]) < 0)
        BAD(C_FIELD, "one of civil_status, certification, land, construction, business, justice,"
                     " labour_social, transport, education, health, other");
    snprintf(p->field, sizeof(p->field), "%s", f[C_FIELD]);
    if (rf_names_index(rf_app_procedure_levels, f[C_LEVEL]) < 0)
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
    if (rf_names_index(onlines, f[C_ONLINE]) < 0)
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

static int add_procedure(void *ctx, const struct rf_procedure *p)
{
    struct rf_page *pg = ctx;

    if (rf_page_next(pg, p->id))
        return 1;
    procedure_json(p, 0, &pg->items);
    return 0;
}

int rf_app_procedures_json(struct rf_app *app, const struct rf_actor *actor, const char *date,
                           const char *text, const char *field, const char *level, int64_t after_id,
                           struct rf_page *page, struct rf_error *err)
{
    struct rf_procedure_query q;
    char day[RF_DATE_LEN];
    char *fold = NULL;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_DOSSIER_READ, err);
    if (rc != RF_OK)
        return rc;
    if (date && *date)
        rf_date_check(date, "date", 1, day, err);
    else
        rf_app_today(app, day);
    if (field && rf_names_index(rf_app_procedure_fields, field) < 0)
        rf_error_set(err, RF_EINVAL, "field", "enum", "unknown field '%s'", field);
    if (level && rf_names_index(rf_app_procedure_levels, level) < 0)
        rf_error_set(err, RF_EINVAL, "level", "enum", "province, district or commune");
    if (text && rf_text_fold(text, &fold) != RF_OK)
        rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    if (err->n) {
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
    q.limit = page->limit + 1; /* one past the page: a next one */
    s = rf_app_store_get(app);
    rc = s ? rf_store_procedures_list(s, &q, add_procedure, page) : RF_ESTORE;
    rf_app_store_put(app, s);
    free(fold);
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
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    p = rf_xmalloc(sizeof(*p));
    rc = rf_store_procedure_get(s, actor->province_id, id, p);
    rf_app_store_put(app, s);
    if (rc == RF_OK)
        procedure_json(p, 1, out);
    free(p);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* ---- the versions of procedures, kept in memory: a version never changes once written ---- */

/*
 * Procedure version 'id' into '*out': the copy kept in memory (shared, never
 * changed or freed), else read into '*spare' (allocated here when needed,
 * freed by the caller) and kept from then on while there is room.
 */
int rf_app_procedure_kept(struct rf_app *app, int64_t province_id, int64_t id,
                          const struct rf_procedure **out)
{
    pthread_mutex_lock(&app->kept_lock);
    for (int i = 0; i < app->nkept; i++)
        if (app->kept[i].id == id && app->kept[i].p->province_id == province_id) {
            *out = app->kept[i].p;
            pthread_mutex_unlock(&app->kept_lock);
            return RF_OK;
        }
    pthread_mutex_unlock(&app->kept_lock);
    return RF_ENOTFOUND;
}

int rf_app_procedure_of(struct rf_app *app, struct rf_store *s, int64_t province_id, int64_t id,
                        const struct rf_procedure **out, struct rf_procedure **spare)
{
    int rc;

    if (rf_app_procedure_kept(app, province_id, id, out) == RF_OK)
        return RF_OK;
    if (!*spare)
        *spare = rf_xmalloc(sizeof(**spare));
    rc = rf_store_procedure_get(s, province_id, id, *spare);
    if (rc != RF_OK)
        return rc;
    *out = *spare;
    pthread_mutex_lock(&app->kept_lock);
    for (int i = 0; i < app->nkept; i++) /* kept meanwhile by another thread */
        if (app->kept[i].id == id && app->kept[i].p->province_id == province_id)
            *out = app->kept[i].p;
    if (*out == *spare && app->nkept < RF_APP_KEPT_PROCEDURES) {
        app->kept[app->nkept].p = *spare;
        app->kept[app->nkept++].id = id;
        *spare = NULL; /* the kept copy now */
    }
    pthread_mutex_unlock(&app->kept_lock);
    return RF_OK;
}

static unsigned in_force_slot(int64_t province_id, const char *code, const char *day)
{
    uint32_t h = 2166136261u ^ (uint32_t)province_id; /* FNV-1a */

    for (const char *p = code; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (const char *p = day; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h % RF_APP_KEPT_IN_FORCE;
}

int rf_app_procedure_in_force(struct rf_app *app, struct rf_store *s, int64_t province_id,
                              const char *code, const char *day, const struct rf_versions *v,
                              int64_t *id)
{
    struct rf_app_in_force *k = &app->in_force[in_force_slot(province_id, code, day)];
    int rc;

    if (!v || !v->known || strlen(code) >= sizeof(k->code) || strlen(day) >= sizeof(k->day))
        return rf_store_procedure_in_force(s, province_id, code, day, id);
    pthread_mutex_lock(&app->kept_lock);
    if (k->province_id == province_id && k->version == v->procedures &&
        strcmp(k->code, code) == 0 && strcmp(k->day, day) == 0) {
        *id = k->id;
        pthread_mutex_unlock(&app->kept_lock);
        return *id ? RF_OK : RF_ENOTFOUND;
    }
    pthread_mutex_unlock(&app->kept_lock);
    *id = 0;
    rc = rf_store_procedure_in_force(s, province_id, code, day, id);
    if (rc != RF_OK && rc != RF_ENOTFOUND)
        return rc;
    pthread_mutex_lock(&app->kept_lock);
    k->province_id = province_id;
    k->version = v->procedures;
    k->id = rc == RF_OK ? *id : 0;
    snprintf(k->code, sizeof(k->code), "%s", code);
    snprintf(k->day, sizeof(k->day), "%s", day);
    pthread_mutex_unlock(&app->kept_lock);
    return rc;
}

void rf_app_procedures_forget(struct rf_app *app)
{
    for (int i = 0; i < app->nkept; i++)
        free(app->kept[i].p);
    app->nkept = 0;
}
