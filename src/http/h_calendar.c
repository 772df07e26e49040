/*
 * The working calendar over HTTP: a year's days off and make-up days and the
 * due time of an allowance, both public; the admin records a year's
 * announcement and the working hours.
 */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum MHD_Result rf_h_calendar_year(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_calendar_json(r->app, (int)(r->params[0] > 9999 ? 0 : r->params[0]), &b, &err) !=
        RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

/*
 * Read one day of an announcement (an object of known members) into 'out', a
 * struct rf_calendar_day; its faults go to 'err' named by the bare member
 * ("date"), once each: a wrong JSON type (answered 400) is not also reported
 * as a missing or malformed value (422).
 */
static void read_day(json_t *item, void *out, struct rf_error *err)
{
    struct rf_calendar_day *d = out;
    const char *text;
    int before;

    before = err->n;
    text = rf_json_str(item, "date", err);
    if (err->n == before && (!text || rf_date_parse(text, &d->date) != RF_OK))
        rf_error_set(err, RF_EINVAL, "date", "date", "a date YYYY-MM-DD");
    before = err->n;
    text = rf_json_str(item, "kind", err);
    if (err->n == before && (!text || rf_day_kind_parse(text, &d->kind) != RF_OK))
        rf_error_set(err, RF_EINVAL, "kind", "enum",
                     "one of holiday, compensation, swap_off, makeup");
    before = err->n;
    text = rf_json_str(item, "name", err);
    if (err->n == before && (!text || !*text || strlen(text) >= sizeof(d->name)))
        rf_error_set(err, RF_EINVAL, "name", "required", "a name of 1 to %zu bytes",
                     sizeof(d->name) - 1);
    else if (err->n == before)
        snprintf(d->name, sizeof(d->name), "%s", text);
    before = err->n;
    text = rf_json_str(item, "source", err);
    if (err->n == before && (!text || !*text || strlen(text) >= sizeof(d->source)))
        rf_error_set(err, RF_EINVAL, "source", "required", "a source of 1 to %zu bytes",
                     sizeof(d->source) - 1);
    else if (err->n == before)
        snprintf(d->source, sizeof(d->source), "%s", text);
}

static const char *const day_fields[] = {"date", "kind", "name", "source", NULL};
static const struct rf_json_objects announced_days = {
    "days", "day", day_fields, RF_CALENDAR_MAX_DAYS, sizeof(struct rf_calendar_day), read_day,
};

/* PUT /calendar/{year} {"source": "...", "days": [{"date","kind","name","source"}...]} */
enum MHD_Result rf_h_calendar_record(struct rf_req *r)
{
    static const char *const allowed[] = {"source", "days", NULL};
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    json_t *body;
    const char *source;
    void *days;
    size_t n;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    source = rf_json_str(body, "source", &err);
    /* the days' faults are answered together with the source's */
    if (rf_json_objects(r, body, &announced_days, &days, &n, &err) != RF_OK || err.n)
        return rf_reply_body_error(r, &err);
    if (rf_app_calendar_record(r->app, &r->actor, (int)(r->params[0] > 9999 ? 0 : r->params[0]),
                               source, days, (int)n, &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

/* POST /calendar/hours {"from": "YYYY-MM-DD", "periods": "07:00-11:30,13:30-17:00"} */
enum MHD_Result rf_h_calendar_hours(struct rf_req *r)
{
    static const char *const allowed[] = {"from", "periods", NULL};
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    json_t *body;
    const char *from, *periods;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    from = rf_json_str(body, "from", &err);
    periods = rf_json_str(body, "periods", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_working_hours_set(r->app, &r->actor, from, periods, &b, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_CREATED, &b);
}

/* GET /calendar/due?from=YYYY-MM-DD HH:MM&days=N|hours=N[&cutoff=HH:MM] */
enum MHD_Result rf_h_calendar_due(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    const char *from = rf_query(r, "from"), *days = rf_query(r, "days"),
               *hours = rf_query(r, "hours"), *cutoff = rf_query(r, "cutoff");
    char due[17];

    rf_error_init(&err);
    if (rf_app_calendar_due(r->app, from, days, hours, cutoff, due, &err) != RF_OK)
        return rf_reply_read_error(r, &err);
    rf_buf_adds(&b, "{\"from\":");
    rf_buf_add_json_str(&b, from);
    if (days && *days) {
        /* as a number: the digits were checked, leading zeros are dropped */
        char *end;
        long whole = strtol(days, &end, 10);
        rf_buf_adds(&b, ",\"days\":");
        rf_buf_addi(&b, whole);
        if (*end == '.') {
            size_t n = strlen(end);
            while (n > 1 && end[n - 1] == '0')
                n--;
            if (n > 1)
                rf_buf_add(&b, end, n);
        }
    } else {
        rf_buf_adds(&b, ",\"hours\":");
        rf_buf_add_json_str(&b, hours);
    }
    rf_buf_adds(&b, ",\"cutoff\":");
    if (cutoff && *cutoff)
        rf_buf_add_json_str(&b, cutoff);
    else
        rf_buf_adds(&b, "null");
    rf_buf_adds(&b, ",\"due\":");
    rf_buf_add_json_str(&b, due);
    rf_buf_addc(&b, '}');
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}
