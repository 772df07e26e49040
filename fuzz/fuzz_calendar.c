/*
 * Fuzz harness: the calendar announcement format, the CSV of
 * data/calendar/announcements.csv and of `reform calendar record YEAR FILE`
 * (a file an admin receives from the Government's letters, so outside
 * input). The input is the file: rf_calendar_csv_read() reads it as both do,
 * rf_calendar_check() judges the year as rf_app_calendar_record() does, and a
 * year that passes is built into working-time tables as the application
 * builds them (rf_worktime_build), one year at a time here.
 *
 * What must hold: the days read are real dates of known kinds, with their
 * name and source whole; a year that passes its check has them in UTF-8
 * without control characters (they are shown on the calendar page and in
 * JSON), and is worked exactly on the days it says: Monday to Friday, less
 * its days off, plus its make-up days.
 */
#include "core/calendar.h"
#include "core/text.h"
#include "core/worktime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE 8192 /* a year announced in 2026 takes 6 KB */

static void fail(const char *what, int i, const struct rf_calendar_day *d)
{
    char date[11];

    rf_date_format(d->date, date);
    fprintf(stderr, "\n==== finding: %s: day %d, %s %s '%s' '%s'\n", what, i, date,
            rf_day_kind_name(d->kind), d->name, d->source);
    abort();
}

static int utf8(const char *s)
{
    char *nfc = NULL;
    int ok = rf_text_nfc(s, &nfc) == RF_OK;

    free(nfc);
    return ok;
}

static void check_days(const struct rf_calendar_day *days, int n)
{
    for (int i = 0; i < n; i++) {
        const struct rf_calendar_day *d = &days[i];
        if (d->date.month < 1 || d->date.month > 12 || d->date.day < 1 ||
            d->date.day > rf_date_days_in_month(d->date.year, d->date.month))
            fail("a day read that does not exist", i, d);
        if (d->kind < 0 || d->kind >= RF_DAY_KINDS)
            fail("a day read of no known kind", i, d);
        if (!d->name[0] || strnlen(d->name, RF_DAY_NAME_BYTES) == RF_DAY_NAME_BYTES ||
            !d->source[0] || strnlen(d->source, RF_DAY_SOURCE_BYTES) == RF_DAY_SOURCE_BYTES)
            fail("a day read without its name and source whole", i, d);
    }
}

/* A year that passed its check, built as the application builds it: worked as it says. */
static void check_year(int year, const struct rf_calendar_day *days, int n)
{
    struct rf_worktime *w;
    struct rf_hours hours;
    int64_t first = rf_date_to_days((struct rf_date){year, 1, 1});
    int64_t last = rf_date_to_days((struct rf_date){year, 12, 31});
    int listed[366]; /* the day listed for each day of the year, or -1 */

    for (int i = 0; i < n; i++)
        if (!utf8(days[i].name) || !utf8(days[i].source))
            fail("a year passed with a name or source that is not UTF-8 text", i, &days[i]);
    rf_hours_default(&hours, (struct rf_date){RF_DATE_MIN_YEAR, 1, 1});
    if (rf_worktime_build(year, year, days, n, &hours, 1, &w) != RF_OK)
        fail("a year that passed its check cannot be built", 0, &days[0]);
    for (int64_t k = first; k <= last; k++)
        listed[k - first] = -1;
    for (int i = 0; i < n; i++)
        listed[rf_date_to_days(days[i].date) - first] = i;
    for (int64_t k = first; k <= last; k++) {
        struct rf_date d = rf_date_from_days(k);
        int i = listed[k - first];
        int expect = i >= 0 ? days[i].kind == RF_DAY_MAKEUP : rf_date_weekday(d) <= 5;
        if (rf_worktime_is_working(w, d) != expect)
            fail(expect ? "a working day built as a day off" : "a day off built as a working day",
                 i, i >= 0 ? &days[i] : &(struct rf_calendar_day){.date = d});
    }
    rf_worktime_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];
    const char *why = NULL;
    char *text;
    int n = -1, bad_line = 0, bad = -1, rc;

    if (size > MAX_FILE)
        return -1;
    text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    rc = rf_calendar_csv_read(text, days, RF_CALENDAR_MAX_DAYS, &n, &bad_line, &why);
    free(text);
    if (n < 0 || n > RF_CALENDAR_MAX_DAYS || (rc != RF_OK && (!why || bad_line < 1)))
        fail("the reader's count or its reason is wrong", n, &days[0]);
    check_days(days, n);
    if (rc != RF_OK || n == 0)
        return 0;
    if (rf_calendar_check(days[0].date.year, days, n, &bad, &why) == RF_OK)
        check_year(days[0].date.year, days, n);
    else if (bad < 0 || bad >= n || !why)
        fail("the check names no day or no reason", bad, &days[0]);
    return 0;
}
