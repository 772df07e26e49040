/*
 * Working time on the legal calendar: due times of allowances counted in
 * working days or in working hours, from a receipt, across holidays, swaps
 * and pauses, and the working time between two instants. Built once for a
 * span of years from the years' calendars and the working hours in force,
 * then each question is a few array lookups and a binary search: no walk
 * from day to day. Pure: no I/O; the caller owns the built value.
 *
 * Instants here are local: minutes since 1970-01-01 00:00 in the province's
 * zone (UTC+7, rf_worktime_local() converts).
 */
#ifndef RF_WORKTIME_H
#define RF_WORKTIME_H

#include <stdint.h>

#include "calendar.h"

#define RF_MAX_SESSIONS 4 /* working periods in a day */
#define RF_MINUTES_PER_DAY 1440
/* "a day" of a sub-day allowance (0.25, 0.5 day...): the 8-hour working day (Labour Code art. 105)
 */
#define RF_WORKDAY_MINUTES 480

/* The working periods of a day in force from 'from' until the next entry. */
struct rf_hours {
    struct rf_date from;
    int n;                      /* periods, 1..RF_MAX_SESSIONS */
    int start[RF_MAX_SESSIONS]; /* minute of the day a period starts */
    int end[RF_MAX_SESSIONS];   /* and ends; periods in order, not overlapping */
};

/* "HH:MM" at 'p' (the first five bytes) as minutes of the day, or -1; "24:00" ends the day. */
int rf_worktime_clock(const char *p);
/* The default: 07:00-11:30 and 13:30-17:00. */
void rf_hours_default(struct rf_hours *h, struct rf_date from);
/* RF_OK when the periods are in order, within the day and not empty. */
int rf_hours_check(const struct rf_hours *h) RF_MUST_CHECK;
/* Parse "07:00-11:30,13:30-17:00" into h's periods (h->from untouched); RF_EINVAL unless valid. */
int rf_hours_parse(const char *text, struct rf_hours *h) RF_MUST_CHECK;
#define RF_HOURS_TEXT (RF_MAX_SESSIONS * 12 + 1)
/* Write the periods as rf_hours_parse() reads them. */
void rf_hours_format(const struct rf_hours *h, char out[RF_HOURS_TEXT]);

struct rf_worktime;

/*
 * Build for the years first..last from their calendars ('days', any order;
 * each year's exceptions, rf_calendar_proposal() where none was announced)
 * and working hours ('hours', by their 'from' date; the first applies from
 * the start). RF_EINVAL for a bad span or input.
 */
int rf_worktime_build(int first_year, int last_year, const struct rf_calendar_day *days, int ndays,
                      const struct rf_hours *hours, int nhours,
                      struct rf_worktime **out) RF_MUST_CHECK;
void rf_worktime_free(struct rf_worktime *w);
int rf_worktime_first_year(const struct rf_worktime *w);
int rf_worktime_last_year(const struct rf_worktime *w);

/* The local instant of 'epoch' (seconds, UTC), and back. */
int64_t rf_worktime_local(int64_t epoch);
int64_t rf_worktime_epoch(int64_t local);

/* Parse "YYYY-MM-DD HH:MM" (local) into local minutes; RF_EINVAL when malformed. */
int rf_worktime_parse(const char *s, int64_t *out) RF_MUST_CHECK;
/* Write "YYYY-MM-DD HH:MM" and a NUL. */
void rf_worktime_format(int64_t local, char out[17]);

/* 1 when 'd' is a working day, 0 when not, RF_EINVAL outside the span. */
int rf_worktime_is_working(const struct rf_worktime *w, struct rf_date d);
/*
 * 1 when local instant 't' falls in working hours: after the start of a
 * working period of a working day and no later than its end (a due time
 * comes at the end of the minute it completes); 0 when not, RF_EINVAL
 * outside the span.
 */
int rf_worktime_in_hours(const struct rf_worktime *w, int64_t t);
/*
 * The 'n'th working day after 'd' into 'out' ('d' itself when n = 0).
 * RF_EINVAL when n < 0 or either day is outside the span.
 */
int rf_worktime_add_days(const struct rf_worktime *w, struct rf_date d, int n,
                         struct rf_date *out) RF_MUST_CHECK;

/* An allowance: whole working days, or working minutes (hours and fractions of a day). */
struct rf_allowance {
    int days;        /* > 0: working days */
    int64_t minutes; /* else: working minutes, > 0 */
};

/* An interval [from, to) that does not count (waiting for the citizen's papers, say). */
struct rf_pause {
    int64_t from, to;
};

/*
 * When an allowance received at 'at' falls due.
 * - Receipt outside working hours, or on a working day at or after the
 *   'cutoff' minute (-1: none), counts from the next working period.
 * - Days: the day of receipt is not counted; the due time is the end of the
 *   last working period of the Nth working day after it (Civil Code 2015,
 *   arts. 147-148).
 * - Minutes: counted from the instant of receipt through working periods
 *   only; the due time is the first instant the allowance is used up.
 * - Working time inside 'pauses' (any order, may overlap) after the receipt
 *   is not counted: the due time moves later by it.
 * RF_EINVAL for a bad allowance or a receipt or due time outside the span.
 */
int rf_worktime_due(const struct rf_worktime *w, int64_t at, const struct rf_allowance *a,
                    int cutoff, const struct rf_pause *pauses, int npauses,
                    int64_t *due) RF_MUST_CHECK;

/*
 * Working minutes from 'a' to 'b' (negative when b is before a), less the
 * working time inside 'pauses'. RF_EINVAL outside the span.
 */
int rf_worktime_between(const struct rf_worktime *w, int64_t a, int64_t b,
                        const struct rf_pause *pauses, int npauses, int64_t *minutes) RF_MUST_CHECK;

#endif
