/*
 * The legal working calendar of a year: which days are worked. Civil servants
 * work Monday to Friday; the Labour Code's public holidays are off; a holiday
 * on a weekly rest day is compensated; each year the Government announces the
 * days off for Tết and National Day and any swaps of a weekday off for a
 * Saturday worked. A year's calendar is the list of its exceptions to the
 * Monday-to-Friday week: the Labour Code's rules give a default proposal
 * (rf_calendar_proposal), and an announcement recorded by an admin replaces
 * it. Pure: no I/O.
 */
#ifndef RF_CALENDAR_H
#define RF_CALENDAR_H

#include "date.h"

/* What an exception to the Monday-to-Friday week is. */
enum rf_day_kind {
    RF_DAY_HOLIDAY,      /* a public holiday on a weekday (Labour Code 2019, art. 112) */
    RF_DAY_COMPENSATION, /* a weekday off for a holiday on a weekly rest day (art. 111(3)) */
    RF_DAY_SWAP_OFF,     /* a weekday off, swapped for a rest day worked */
    RF_DAY_MAKEUP,       /* a rest day worked in exchange */
    RF_DAY_KINDS
};

#define RF_DAY_NAME_BYTES 128
#define RF_DAY_SOURCE_BYTES 1024
#define RF_CALENDAR_MAX_DAYS 64 /* exceptions in one year */

struct rf_calendar_day {
    struct rf_date date;
    enum rf_day_kind kind;
    char name[RF_DAY_NAME_BYTES];     /* in Vietnamese: "Tết Nguyên đán" */
    char source[RF_DAY_SOURCE_BYTES]; /* the law or announcement it comes from */
};

/*
 * The API names of the kinds ("holiday", "compensation", "swap_off",
 * "makeup"), and back: a name is static text, "?" for a value out of range; a
 * parse is RF_OK with '*out', or RF_EINVAL for an unknown name or NULL.
 */
const char *rf_day_kind_name(enum rf_day_kind kind);
int rf_day_kind_parse(const char *name, enum rf_day_kind *out) RF_MUST_CHECK;

/*
 * The Labour Code's default for 'year' (1901..2199), written to 'out' in date
 * order: New Year 1/1; five days of Tết, the last day of the old lunar year
 * and the first four of the new; Hùng Kings day 10/3 lunar; 30/4; 1/5; 2/9
 * with the day before it, or the day after when the day before is a rest day;
 * each of these on a Saturday or Sunday, or on the day of another, made up
 * on the next working day.
 * Returns the number of days, or RF_EINVAL for a year out of range.
 */
int rf_calendar_proposal(int year, struct rf_calendar_day out[RF_CALENDAR_MAX_DAYS]);

/*
 * Whether an announcement's days are consistent: each in 'year', at most one
 * per date, weekdays for the kinds that give a day off and Saturdays or
 * Sundays for make-up days, each with a name and a source in UTF-8 without
 * control characters. RF_OK, or
 * RF_EINVAL with the index of the first
 * bad day in '*bad' and the reason in 'why' (a static string).
 */
int rf_calendar_check(int year, const struct rf_calendar_day *days, int n, int *bad,
                      const char **why) RF_MUST_CHECK;

/*
 * Read the days of announcements written as CSV, the shape of
 * data/calendar/announcements.csv and of `reform calendar record`: the header
 * date,kind,name,source, then a day a line: a date YYYY-MM-DD, a kind as
 * rf_day_kind_parse() reads it, a name of 1 to RF_DAY_NAME_BYTES - 1 bytes
 * and a source of 1 to RF_DAY_SOURCE_BYTES - 1 bytes, both kept whole. Blank
 * lines are skipped. At most 'max' days go to 'days', '*n' of them.
 * Returns RF_OK, or RF_EINVAL with the line of the first problem in
 * '*bad_line' and the reason in 'why' (a static string); the days before that
 * line are in 'days' then. Whether the days make a consistent year is
 * rf_calendar_check()'s question.
 */
int rf_calendar_csv_read(const char *csv, struct rf_calendar_day *days, int max, int *n,
                         int *bad_line, const char **why) RF_MUST_CHECK;

#endif
