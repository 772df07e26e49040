/*
 * Fuzz harness: periods and dates, the text of reports' URLs, query filters,
 * request bodies and CSV imports. The input, as a string, goes to every
 * parser of src/core that reads it: reporting periods (rf_period_parse), civil
 * dates (rf_date_parse), lunar dates (rf_lunar_parse), local times
 * (rf_worktime_parse), clock times (rf_worktime_clock) and working hours
 * (rf_hours_parse). Each takes one exact shape, so one string reaches at
 * most a few of them, and the fuzzer learns each shape from the seeds.
 *
 * Besides the sanitizers, what a parser accepts must hold together: its
 * canonical spelling reads back the same (DESIGN.md: a period is named in one
 * way), a period runs from its first day to its last and contains both, a
 * date survives the day count and back, a lunar date that exists converts to
 * a solar day and back to itself, working hours pass their own check.
 */
#include "core/date.h"
#include "core/lunar.h"
#include "core/period.h"
#include "core/worktime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 64 /* longer than any of these shapes: the rest only costs time */

static void fail(const char *what, const char *text)
{
    fprintf(stderr, "\n==== finding: %s: '%s'\n", what, text);
    abort();
}

static int real_date(struct rf_date d)
{
    return d.year >= RF_DATE_MIN_YEAR && d.year <= RF_DATE_MAX_YEAR && d.month >= 1 &&
           d.month <= 12 && d.day >= 1 && d.day <= rf_date_days_in_month(d.year, d.month);
}

static void check_period(const char *text)
{
    struct rf_period p, again;
    struct rf_date after;

    if (rf_period_parse(text, &p) != RF_OK)
        return;
    if (strcmp(p.text, text) != 0)
        fail("a period's canonical spelling differs from the text it was read from", text);
    if (!real_date(p.from) || !real_date(p.to) || rf_date_cmp(p.from, p.to) > 0)
        fail("a period whose days are not real or run backwards", text);
    if (!rf_period_contains(&p, p.from) || !rf_period_contains(&p, p.to))
        fail("a period that does not contain its own first and last days", text);
    after = rf_date_from_days(rf_date_to_days(p.to) + 1);
    if (rf_period_contains(&p, after))
        fail("a period that contains the day after its last", text);
    if (rf_period_parse(p.text, &again) != RF_OK || memcmp(&again, &p, sizeof(p)) != 0)
        fail("a period's canonical spelling reads back differently", text);
    if (p.kind == RF_PERIOD_YEAR || p.kind == RF_PERIOD_QUARTER || p.kind == RF_PERIOD_HALF ||
        p.kind == RF_PERIOD_NINE_MONTHS || p.kind == RF_PERIOD_MONTH) {
        /* periods within a year start on the first of a month and end on a month's last day */
        if (p.from.year != p.to.year || p.from.day != 1 ||
            p.to.day != rf_date_days_in_month(p.to.year, p.to.month))
            fail("a period of whole months that is not", text);
    }
}

static void check_date(const char *text)
{
    struct rf_date d, back;
    char out[11];
    int weekday;

    if (rf_date_parse(text, &d) != RF_OK)
        return;
    if (!real_date(d))
        fail("a date accepted that does not exist", text);
    rf_date_format(d, out);
    if (strcmp(out, text) != 0)
        fail("a date that is not written back as read", text);
    back = rf_date_from_days(rf_date_to_days(d));
    if (rf_date_cmp(back, d) != 0)
        fail("a date that does not survive the day count and back", text);
    weekday = rf_date_weekday(d);
    if (weekday < 1 || weekday > 7)
        fail("a weekday outside Monday to Sunday", text);
}

static void check_lunar(const char *text)
{
    struct rf_lunar_date l, back;
    struct rf_date solar;
    char out[RF_LUNAR_LEN];

    if (rf_lunar_parse(text, &l) != RF_OK)
        return;
    rf_lunar_format(l, out);
    if (strcmp(out, text) != 0)
        fail("a lunar date that is not written back as read", text);
    if (rf_lunar_to_solar(l, &solar) != RF_OK)
        return; /* no such day: a leap month the year lacks, day 30 of a short month */
    if (!real_date(solar))
        fail("a lunar date converted to a solar day that does not exist", text);
    if (rf_lunar_from_solar(solar, &back) != RF_OK || back.year != l.year ||
        back.month != l.month || back.day != l.day || back.leap != l.leap)
        fail("a lunar date that does not survive the solar day and back", text);
}

static void check_times(const char *text)
{
    struct rf_hours h, again;
    char hours[RF_HOURS_TEXT], local[17];
    int64_t minutes, back;
    int clock;

    if (rf_worktime_parse(text, &minutes) == RF_OK) {
        rf_worktime_format(minutes, local);
        if (strcmp(local, text) != 0)
            fail("a local time that is not written back as read", text);
        if (rf_worktime_parse(local, &back) != RF_OK || back != minutes)
            fail("a local time that reads back differently", text);
    }
    if (strlen(text) >= 5) {
        clock = rf_worktime_clock(text);
        if (clock < -1 || clock > 24 * 60)
            fail("a clock time outside the day", text);
    }
    memset(&h, 0, sizeof(h));
    if (rf_hours_parse(text, &h) == RF_OK) {
        if (h.n < 1 || h.n > RF_MAX_SESSIONS || rf_hours_check(&h) != RF_OK)
            fail("working hours accepted that fail their own check", text);
        rf_hours_format(&h, hours);
        memset(&again, 0, sizeof(again));
        if (rf_hours_parse(hours, &again) != RF_OK || again.n != h.n ||
            memcmp(again.start, h.start, sizeof(h.start)) != 0 ||
            memcmp(again.end, h.end, sizeof(h.end)) != 0)
            fail("working hours that read back differently", text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[MAX_TEXT + 1];

    if (size > MAX_TEXT)
        return -1; /* not added to the corpus */
    memcpy(text, data, size);
    text[size] = '\0';
    check_period(text);
    check_date(text);
    check_lunar(text);
    check_times(text);
    return 0;
}
