/*
 * The service center's figures of dossiers (Decision 766/QĐ-TTg's one-stop
 * indicators): received, resolved early, on time and late, and the rest, by
 * unit, field or level over a period, from the counters the moves keep.
 */
#include "app_int.h"
#include "../common/mem.h"
#include "../core/period.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    int i = rf_names_index(rf_dossier_metric_names, metric), g;

    if (i < 0)
        return 0;
    /* only "open" moves down (at a result or an end), and then on another day than it rose */
    assert(n >= 0 || i == RF_M_OPEN);
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
        rf_buf_adds(out, rf_dossier_metric_names[i]);
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

/*
 * The dossiers in process now, under 'unit' (0: the province) as the actor
 * sees them: within their due time (every open one, the counters' "open"
 * over all months, but the overdue and the waiting), overdue, and waiting
 * for papers.
 */
static int now_counts(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                      int64_t unit, int64_t *within, int64_t *overdue, int64_t *waiting)
{
    struct tallies *all;
    int rc = rf_store_dossiers_behind(s, actor->province_id, unit,
                                      unit && !rf_access_province_wide(actor->roles) &&
                                              unit != actor->scope_unit_id
                                          ? actor->scope_unit_id
                                          : 0,
                                      rf_app_now(app), overdue, waiting);

    if (rc != RF_OK)
        return rc;
    all = rf_xcalloc(1, sizeof(*all));
    rc = rf_store_dossier_counts(s, actor->province_id, unit ? unit : app->root_unit_id, "0000-00",
                                 "9999-99", add_count, all);
    assert(rc != RF_OK || all->all.v[RF_M_OPEN] >= 0); /* every "open" left as often as entered */
    *within = all->all.v[RF_M_OPEN] - *overdue - *waiting;
    if (*within < 0)
        *within = 0;
    free(all);
    return rc;
}

/* The rows of a figure by field or by level: each key of either tally, in the order first met. */
static void group_rows_json(struct tallies *t, struct rf_buf *out)
{
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
    if ((byi = rf_names_index(bys, by ? by : "")) < 0)
        return rf_error_set(err, RF_EINVAL, "by", "enum", "field, level or unit");
    rf_date_format(pd.from, from);
    rf_date_format(pd.to, to);
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    if (!unit && !rf_access_province_wide(actor->roles))
        unit = actor->scope_unit_id;
    if (unit && rf_app_scope_check(s, actor, unit, to, err) != RF_OK) {
        rf_app_store_put(app, s);
        return rf_error_code(err, RF_ENOTFOUND);
    }
    t = rf_xcalloc(2, sizeof(*t));
    t[0].by = t[1].by = byi < 3 ? byi : 0;
    rc = period_counts(s, actor->province_id, unit ? unit : app->root_unit_id, pd.from, pd.to,
                       &t[0]);
    if (rc == RF_OK)
        rc = before_counts(s, actor->province_id, unit ? unit : app->root_unit_id, pd.from, &t[1]);
    if (rc == RF_OK)
        rc = now_counts(app, s, actor, unit, &within, &overdue, &waiting);
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
            group_rows_json(t, out);
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
