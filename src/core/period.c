/*
 * Reporting periods (DESIGN.md, "Periods"): a year, a quarter, a half, the
 * nine months from January to September, a month, or an explicit range of
 * days. Parsing is strict (exact uppercase spelling, four-digit years in
 * [RF_DATE_MIN_YEAR, RF_DATE_MAX_YEAR], no spaces, nothing trailing), so the
 * text a period was parsed from is its canonical spelling, and a report
 * URL names one period in one way.
 */
#include "period.h"

#include <string.h>

#define RANGE_SEP ".."
#define RANGE_LEN 22 /* "YYYY-MM-DD..YYYY-MM-DD" */

/* Fill 'p' with months 'first'..'last' of 'year' (both included). */
static void set_months(struct rf_period *p, int year, int first, int last)
{
    p->from.year = year;
    p->from.month = first;
    p->from.day = 1;
    p->to.year = year;
    p->to.month = last;
    p->to.day = rf_date_days_in_month(year, last);
}

/* "YYYY-MM-DD..YYYY-MM-DD": both real dates, the end not before the start. */
static int parse_range(const char *s, struct rf_period *p)
{
    char first[11], last[11];

    if (strncmp(s + 10, RANGE_SEP, 2) != 0)
        return RF_EINVAL;
    memcpy(first, s, 10);
    first[10] = '\0';
    memcpy(last, s + 12, 10);
    last[10] = '\0';
    if (rf_date_parse(first, &p->from) != RF_OK || rf_date_parse(last, &p->to) != RF_OK)
        return RF_EINVAL;
    /* period.h: a range whose end comes before its start is refused; one day is a range */
    if (rf_date_cmp(p->to, p->from) < 0)
        return RF_EINVAL;
    p->kind = RF_PERIOD_RANGE;
    return RF_OK;
}

/* "YYYY-Qn", "YYYY-Hn", "YYYY-9M" or "YYYY-MM" once "YYYY-" has been read. */
static int parse_within_year(const char *s, int year, struct rf_period *p)
{
    int n;

    if (s[0] == 'Q' && s[1] >= '1' && s[1] <= '4') {
        /* quarters of the calendar year: Q1 January..March, Q4 October..December */
        n = s[1] - '0';
        p->kind = RF_PERIOD_QUARTER;
        set_months(p, year, 3 * n - 2, 3 * n);
        return RF_OK;
    }
    if (s[0] == 'H' && (s[1] == '1' || s[1] == '2')) {
        /* halves: H1 January..June, H2 July..December */
        n = s[1] - '0';
        p->kind = RF_PERIOD_HALF;
        set_months(p, year, 6 * n - 5, 6 * n);
        return RF_OK;
    }
    if (s[0] == '9' && s[1] == 'M') {
        /* DESIGN.md "Periods": 9M is January to September, a cumulative year to date */
        p->kind = RF_PERIOD_NINE_MONTHS;
        set_months(p, year, 1, 9);
        return RF_OK;
    }
    if (rf_digits(s, 2, &n) == 0 && n >= 1 && n <= 12) {
        p->kind = RF_PERIOD_MONTH;
        set_months(p, year, n, n);
        return RF_OK;
    }
    return RF_EINVAL;
}

int rf_period_parse(const char *s, struct rf_period *out)
{
    struct rf_period p = {0};
    size_t len = s ? strlen(s) : 0;
    int year;
    int rc;

    if (len == RANGE_LEN) {
        rc = parse_range(s, &p);
    } else if (len == 4 || len == 7) {
        /* date.h: four-digit years within [RF_DATE_MIN_YEAR, RF_DATE_MAX_YEAR] */
        if (rf_digits(s, 4, &year) != 0 || year < RF_DATE_MIN_YEAR || year > RF_DATE_MAX_YEAR)
            return RF_EINVAL;
        if (len == 4) {
            p.kind = RF_PERIOD_YEAR;
            set_months(&p, year, 1, 12);
            rc = RF_OK;
        } else {
            rc = s[4] == '-' ? parse_within_year(s + 5, year, &p) : RF_EINVAL;
        }
    } else {
        rc = RF_EINVAL;
    }
    if (rc != RF_OK)
        return rc;
    /* the accepted spelling is the only one, so the input is already canonical */
    memcpy(p.text, s, len + 1);
    *out = p;
    return RF_OK;
}

int rf_period_contains(const struct rf_period *p, struct rf_date d)
{
    return p && rf_date_cmp(d, p->from) >= 0 && rf_date_cmp(d, p->to) <= 0;
}
