/*
 * The legal working calendar and the working hours (calendar.c).
 */
#ifndef RF_APP_CALENDAR_H
#define RF_APP_CALENDAR_H

#include "app.h"

/* The years the working-time tables cover. */
#define RF_CALENDAR_FIRST_YEAR 2000
#define RF_CALENDAR_LAST_YEAR 2100

enum rf_calendar_basis {
    RF_CALENDAR_PROPOSAL, /* no announcement: the Labour Code's default */
    RF_CALENDAR_SHIPPED,  /* the announcement shipped with Reform (data/calendar) */
    RF_CALENDAR_RECORDED, /* an announcement recorded by an admin */
};

/* A year's calendar: its exceptions to the Monday-to-Friday week and where they come from. */
struct rf_calendar_year {
    int year;
    enum rf_calendar_basis basis;
    char source[RF_DAY_SOURCE_BYTES]; /* of a recorded year: the announcement's reference */
    int64_t recorded_by, recorded_at;
    struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];
    int n;
};

/*
 * Year 'year' of the calendar into 'out': the announcement recorded, else
 * the one shipped, else the Labour Code's proposal, with its days off and
 * worked. RF_EINVAL for a year outside the tables' span.
 */
int rf_app_calendar_year(struct rf_app *app, int year, struct rf_calendar_year *out,
                         struct rf_error *err) RF_MUST_CHECK;
/* The year as JSON: its basis, days, working hours and count of working days. Public. */
int rf_app_calendar_json(struct rf_app *app, int year, struct rf_buf *out,
                         struct rf_error *err) RF_MUST_CHECK;
/*
 * Record the announcement of 'year' (admin): it replaces the shipped one or
 * the proposal. Errors name "days[i].field". 'out' gets the year as
 * rf_app_calendar_json() writes it with "changes": each date that turns
 * from working to off or back, and "affected_dossiers": the unfinished
 * dossiers whose due time counted again would differ (not moved: reported).
 */
int rf_app_calendar_record(struct rf_app *app, const struct rf_actor *actor, int year,
                           const char *source, const struct rf_calendar_day *days, int n,
                           struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * Record the working hours in force from 'from' ("07:00-11:30,13:30-17:00";
 * admin); 'out' gets them with "affected_dossiers" as for a year.
 */
int rf_app_working_hours_set(struct rf_app *app, const struct rf_actor *actor, const char *from,
                             const char *periods, struct rf_buf *out,
                             struct rf_error *err) RF_MUST_CHECK;
/*
 * The due time ("YYYY-MM-DD HH:MM") of 'days' whole working days or 'hours'
 * working hours ("2", "0.5"; whole minutes) from 'from', with an optional
 * same-day 'cutoff' ("HH:MM"). Errors name from, days, hours or cutoff.
 */
int rf_app_calendar_due(struct rf_app *app, const char *from, const char *days, const char *hours,
                        const char *cutoff, char due[17], struct rf_error *err) RF_MUST_CHECK;
/*
 * The province's working-time tables for RF_CALENDAR_FIRST_YEAR to
 * RF_CALENDAR_LAST_YEAR, built on first use and again after a change of the
 * calendar; hold them until rf_app_worktime_put().
 */
const struct rf_worktime *rf_app_worktime_get(struct rf_app *app, struct rf_error *err);
/* The same, current as of 'v' (the request's counters; NULL or unknown: read now). */
const struct rf_worktime *rf_app_worktime_at(struct rf_app *app, const struct rf_versions *v,
                                             struct rf_error *err);
void rf_app_worktime_put(struct rf_app *app, const struct rf_worktime *w);

#endif
