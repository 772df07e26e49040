/*
 * The SQL of the working calendar: the years whose announcement an admin
 * recorded, their days, and the working hours by the day they start. Every
 * write moves the province's calendar_version, which tells the working-time
 * tables built from these rows that they are stale.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

int rf_store_calendar_version(struct rf_store *s, int64_t province_id, int64_t *out)
{
    return rf_sq_one_int(s, "SELECT calendar_version FROM provinces WHERE id = ?",
                         PARAMS(P_INT(province_id)), out);
}

static int bump(struct rf_store *s, int64_t province_id)
{
    return rf_sq_run(s, "UPDATE provinces SET calendar_version = calendar_version + 1 WHERE id = ?",
                     PARAMS(P_INT(province_id)));
}

static int read_year(struct rf_store *s, struct rf_rows *r, void *out)
{
    struct rf_calendar_year_record *y = out;

    memset(y, 0, sizeof(*y));
    y->year = (int)s->be->col_int(r, 0);
    COPY(y->source, s->be->col_text(r, 1));
    y->recorded_by = s->be->col_int(r, 2);
    y->recorded_at = s->be->col_int(r, 3);
    return 0;
}

int rf_store_calendar_year_get(struct rf_store *s, int64_t province_id, int year,
                               struct rf_calendar_year_record *out)
{
    return rf_sq_first(s,
                       "SELECT year, source, recorded_by, recorded_at FROM calendar_years"
                       " WHERE province_id = ? AND year = ?",
                       PARAMS(P_INT(province_id), P_INT(year)), read_year, out);
}

struct year_rows {
    rf_calendar_year_fn fn;
    void *ctx;
};

static int year_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct year_rows *x = ctx;
    struct rf_calendar_year_record y;

    read_year(s, r, &y);
    return x->fn(x->ctx, &y);
}

int rf_store_calendar_years(struct rf_store *s, int64_t province_id, int first, int last,
                            rf_calendar_year_fn fn, void *ctx)
{
    struct year_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT year, source, recorded_by, recorded_at FROM calendar_years"
                      " WHERE province_id = ? AND year BETWEEN ? AND ? ORDER BY year",
                      PARAMS(P_INT(province_id), P_INT(first), P_INT(last)), year_row, &x);
}

struct day_rows {
    rf_calendar_day_fn fn;
    void *ctx;
};

static int day_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct day_rows *x = ctx;
    struct rf_calendar_day d;

    memset(&d, 0, sizeof(d));
    if (rf_date_parse(s->be->col_text(r, 0), &d.date) != RF_OK ||
        rf_day_kind_parse(s->be->col_text(r, 1), &d.kind) != RF_OK)
        return RF_ESTORE; /* written by this module only: a bad row is damage */
    COPY(d.name, s->be->col_text(r, 2));
    COPY(d.source, s->be->col_text(r, 3));
    return x->fn(x->ctx, &d);
}

int rf_store_calendar_days(struct rf_store *s, int64_t province_id, int first, int last,
                           rf_calendar_day_fn fn, void *ctx)
{
    struct day_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT day, kind, name, source FROM calendar_days"
                      " WHERE province_id = ? AND year BETWEEN ? AND ? ORDER BY day",
                      PARAMS(P_INT(province_id), P_INT(first), P_INT(last)), day_row, &x);
}

int rf_store_calendar_year_put(struct rf_store *s, int64_t province_id,
                               const struct rf_calendar_year_record *y,
                               const struct rf_calendar_day *days, int n)
{
    int rc;

    rc = rf_sq_run(s, "DELETE FROM calendar_days WHERE province_id = ? AND year = ?",
                   PARAMS(P_INT(province_id), P_INT(y->year)));
    if (rc == RF_OK)
        rc = rf_sq_run(s, "DELETE FROM calendar_years WHERE province_id = ? AND year = ?",
                       PARAMS(P_INT(province_id), P_INT(y->year)));
    if (rc == RF_OK)
        rc = rf_sq_run(s,
                       "INSERT INTO calendar_years (province_id, year, source, recorded_by,"
                       " recorded_at) VALUES (?, ?, ?, ?, ?)",
                       PARAMS(P_INT(province_id), P_INT(y->year), P_TEXT(y->source),
                              P_OPT_INT(y->recorded_by), P_INT(y->recorded_at)));
    for (int i = 0; rc == RF_OK && i < n; i++) {
        char day[11];
        rf_date_format(days[i].date, day);
        rc = rf_sq_run(s,
                       "INSERT INTO calendar_days (province_id, day, year, kind, name, source)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       PARAMS(P_INT(province_id), P_TEXT(day), P_INT(y->year),
                              P_TEXT(rf_day_kind_name(days[i].kind)), P_TEXT(days[i].name),
                              P_TEXT(days[i].source)));
    }
    return rc == RF_OK ? bump(s, province_id) : rc;
}

struct hours_rows {
    rf_hours_fn fn;
    void *ctx;
};

static int hours_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct hours_rows *x = ctx;
    struct rf_hours h;

    memset(&h, 0, sizeof(h));
    if (rf_date_parse(s->be->col_text(r, 0), &h.from) != RF_OK ||
        rf_hours_parse(s->be->col_text(r, 1), &h) != RF_OK)
        return RF_ESTORE;
    return x->fn(x->ctx, &h, s->be->col_int(r, 2), s->be->col_int(r, 3));
}

int rf_store_working_hours(struct rf_store *s, int64_t province_id, rf_hours_fn fn, void *ctx)
{
    struct hours_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT valid_from, periods, recorded_by, recorded_at FROM working_hours"
                      " WHERE province_id = ? ORDER BY valid_from",
                      PARAMS(P_INT(province_id)), hours_row, &x);
}

int rf_store_working_hours_put(struct rf_store *s, int64_t province_id, const struct rf_hours *h,
                               int64_t recorded_by, int64_t recorded_at)
{
    char from[11], periods[RF_HOURS_TEXT];
    int rc;

    rf_date_format(h->from, from);
    rf_hours_format(h, periods);
    rc = rf_sq_run(s, "DELETE FROM working_hours WHERE province_id = ? AND valid_from = ?",
                   PARAMS(P_INT(province_id), P_TEXT(from)));
    if (rc == RF_OK)
        rc = rf_sq_run(s,
                       "INSERT INTO working_hours (province_id, valid_from, periods, recorded_by,"
                       " recorded_at) VALUES (?, ?, ?, ?, ?)",
                       PARAMS(P_INT(province_id), P_TEXT(from), P_TEXT(periods),
                              P_OPT_INT(recorded_by), P_INT(recorded_at)));
    return rc == RF_OK ? bump(s, province_id) : rc;
}
