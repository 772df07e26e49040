/*
 * Reporting periods (DESIGN.md, "Periods"): YYYY, YYYY-Qn, YYYY-H1, YYYY-H2,
 * YYYY-9M (January to September, the year-to-date the steering committee
 * reviews at its third-quarter meeting), YYYY-MM and
 * YYYY-MM-DD..YYYY-MM-DD. Cumulative year-to-date periods are first-class.
 */
#ifndef RF_PERIOD_H
#define RF_PERIOD_H

#include "../common/err.h"
#include "date.h"

enum rf_period_kind {
    RF_PERIOD_YEAR,
    RF_PERIOD_QUARTER,
    RF_PERIOD_HALF,
    RF_PERIOD_NINE_MONTHS,
    RF_PERIOD_MONTH,
    RF_PERIOD_RANGE,
};

struct rf_period {
    enum rf_period_kind kind;
    struct rf_date from; /* first day */
    struct rf_date to;   /* last day, inclusive */
    char text[24];       /* canonical spelling: "2023-Q3", "2023-01-01..2023-03-31" */
};

/*
 * Parse 's' into '*out'. RF_EINVAL for anything else, including a range
 * whose end comes before its start or a quarter outside 1..4; '*out' is then
 * left as it was.
 */
int rf_period_parse(const char *s, struct rf_period *out) RF_MUST_CHECK;

/* Whether 'd' falls within 'p' (both ends included). */
int rf_period_contains(const struct rf_period *p, struct rf_date d);

#endif
