/*
 * Unit tests of src/core/period: the reporting periods of DESIGN.md
 * ("Periods"), their strict canonical spelling, the days each covers, and
 * whether a day falls within one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/core/period.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *text;
    int ok; /* 1 when it must parse, then its canonical text is 'text' */
    enum rf_period_kind kind;
    const char *from, *to; /* first and last day, both included */
} parse_cases[] = {
    /* DESIGN.md "Periods": YYYY is the calendar year */
    {"2023", 1, RF_PERIOD_YEAR, "2023-01-01", "2023-12-31"},
    /* DESIGN.md "Periods": YYYY-Qn, calendar quarters of three months */
    {"2023-Q1", 1, RF_PERIOD_QUARTER, "2023-01-01", "2023-03-31"},
    {"2023-Q2", 1, RF_PERIOD_QUARTER, "2023-04-01", "2023-06-30"},
    {"2023-Q3", 1, RF_PERIOD_QUARTER, "2023-07-01", "2023-09-30"},
    {"2023-Q4", 1, RF_PERIOD_QUARTER, "2023-10-01", "2023-12-31"},
    /* DESIGN.md "Periods": YYYY-H1 and YYYY-H2, halves of six months */
    {"2023-H1", 1, RF_PERIOD_HALF, "2023-01-01", "2023-06-30"},
    {"2023-H2", 1, RF_PERIOD_HALF, "2023-07-01", "2023-12-31"},
    /* DESIGN.md "Periods": YYYY-9M is January to September, year to date */
    {"2023-9M", 1, RF_PERIOD_NINE_MONTHS, "2023-01-01", "2023-09-30"},
    /* DESIGN.md "Periods": YYYY-MM, one month */
    {"2023-09", 1, RF_PERIOD_MONTH, "2023-09-01", "2023-09-30"},
    {"2023-01", 1, RF_PERIOD_MONTH, "2023-01-01", "2023-01-31"},
    {"2023-12", 1, RF_PERIOD_MONTH, "2023-12-01", "2023-12-31"},
    {"2024-02", 1, RF_PERIOD_MONTH, "2024-02-01", "2024-02-29"},   /* Gregorian: 2024 is leap */
    {"2023-02", 1, RF_PERIOD_MONTH, "2023-02-01", "2023-02-28"},   /* Gregorian: 2023 is common */
    {"2100-02", 1, RF_PERIOD_MONTH, "2100-02-01", "2100-02-28"},   /* Gregorian: 2100 is common */
    {"2000-02", 1, RF_PERIOD_MONTH, "2000-02-01", "2000-02-29"},   /* Gregorian: 2000 is leap */
    {"2024-Q1", 1, RF_PERIOD_QUARTER, "2024-01-01", "2024-03-31"}, /* Q1 spans a leap Feb */
    /* DESIGN.md "Periods": YYYY-MM-DD..YYYY-MM-DD, both ends included */
    {"2023-01-01..2023-03-31", 1, RF_PERIOD_RANGE, "2023-01-01", "2023-03-31"},
    {"2023-05-01..2023-05-01", 1, RF_PERIOD_RANGE, "2023-05-01", "2023-05-01"}, /* one day */
    {"2022-12-15..2023-01-15", 1, RF_PERIOD_RANGE, "2022-12-15", "2023-01-15"}, /* spans years */
    {"2024-02-29..2024-03-01", 1, RF_PERIOD_RANGE, "2024-02-29", "2024-03-01"}, /* leap day */
    /* date.h: years within [RF_DATE_MIN_YEAR, RF_DATE_MAX_YEAR] */
    {"1900", 1, RF_PERIOD_YEAR, "1900-01-01", "1900-12-31"},
    {"2199-Q4", 1, RF_PERIOD_QUARTER, "2199-10-01", "2199-12-31"},
    {"1899", 0, 0, NULL, NULL},
    {"2200-01", 0, 0, NULL, NULL},
    {"1899-12-31..1900-01-01", 0, 0, NULL, NULL},
    /* period.h: a quarter outside 1..4 */
    {"2023-Q0", 0, 0, NULL, NULL},
    {"2023-Q5", 0, 0, NULL, NULL},
    /* DESIGN.md "Periods": only H1 and H2 */
    {"2023-H0", 0, 0, NULL, NULL},
    {"2023-H3", 0, 0, NULL, NULL},
    /* DESIGN.md "Periods": 9M is the only cumulative spelling */
    {"2023-6M", 0, 0, NULL, NULL},
    /* ISO 8601: months are 01..12 */
    {"2023-13", 0, 0, NULL, NULL},
    {"2023-00", 0, 0, NULL, NULL},
    /* strict spelling: four-digit years, two-digit months */
    {"23", 0, 0, NULL, NULL},
    {"023", 0, 0, NULL, NULL},
    {"2023-1", 0, 0, NULL, NULL},
    {"+023", 0, 0, NULL, NULL},
    /* strict spelling: Q, H and M are uppercase, one spelling per period */
    {"2023-q1", 0, 0, NULL, NULL},
    {"2023-h2", 0, 0, NULL, NULL},
    {"2023-9m", 0, 0, NULL, NULL},
    {"2023Q1", 0, 0, NULL, NULL},
    {"2023/09", 0, 0, NULL, NULL},
    /* strict spelling: no spaces anywhere */
    {" 2023", 0, 0, NULL, NULL},
    {"2023 ", 0, 0, NULL, NULL},
    {"2023- Q1", 0, 0, NULL, NULL},
    {"2023-01-01 .. 2023-03-31", 0, 0, NULL, NULL},
    /* strict spelling: nothing trailing */
    {"2023-Q1x", 0, 0, NULL, NULL},
    {"2023-09-", 0, 0, NULL, NULL},
    {"2023-01-01..2023-03-31x", 0, 0, NULL, NULL},
    {"2023-01-01..", 0, 0, NULL, NULL},
    /* period.h: a range whose end comes before its start */
    {"2023-03-31..2023-01-01", 0, 0, NULL, NULL},
    {"2023-05-02..2023-05-01", 0, 0, NULL, NULL},
    /* a range of real dates only (date.h) */
    {"2023-02-29..2023-03-31", 0, 0, NULL, NULL},
    {"2023-01-01..2023-04-31", 0, 0, NULL, NULL},
    {"2023-1-1..2023-03-31xx", 0, 0, NULL, NULL},
    /* the range separator is exactly two dots */
    {"2023-01-01.2023-03-31", 0, 0, NULL, NULL},
    {"2023-01-01--2023-03-31", 0, 0, NULL, NULL},
    /* a single date is no period in DESIGN.md; a range of one day is */
    {"2023-05-01", 0, 0, NULL, NULL},
    {"", 0, 0, NULL, NULL},   /* empty is no period */
    {NULL, 0, 0, NULL, NULL}, /* missing is no period */
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(parse_cases); i++) {
        struct rf_period p;
        struct rf_date from, to;
        int rc = rf_period_parse(parse_cases[i].text, &p);

        print_message("case %zu: %s\n", i, parse_cases[i].text ? parse_cases[i].text : "NULL");
        if (!parse_cases[i].ok) {
            assert_int_equal(rc, RF_EINVAL);
            continue;
        }
        assert_int_equal(rc, RF_OK);
        assert_int_equal(p.kind, parse_cases[i].kind);
        assert_string_equal(p.text, parse_cases[i].text);
        assert_int_equal(rf_date_parse(parse_cases[i].from, &from), RF_OK);
        assert_int_equal(rf_date_parse(parse_cases[i].to, &to), RF_OK);
        assert_int_equal(rf_date_cmp(p.from, from), 0);
        assert_int_equal(rf_date_cmp(p.to, to), 0);
    }
}

static const struct {
    const char *period;
    const char *day;
    int inside;
} contains_cases[] = {
    {"2023-Q3", "2023-07-01", 1}, /* period.h: the first day is included */
    {"2023-Q3", "2023-09-30", 1}, /* period.h: the last day is included */
    {"2023-Q3", "2023-06-30", 0}, /* the day before the first is outside */
    {"2023-Q3", "2023-10-01", 0}, /* the day after the last is outside */
    {"2023-Q3", "2022-08-15", 0}, /* the same quarter of another year is outside */
    {"2024-02", "2024-02-29", 1}, /* Gregorian: the leap day belongs to February 2024 */
    {"2023-9M", "2023-09-30", 1}, /* DESIGN.md: 9M runs to the end of September */
    {"2023-9M", "2023-10-01", 0}, /* DESIGN.md: and no further */
    {"2023-H1", "2023-01-01", 1}, /* H1 starts with the year */
    {"2023-H1", "2023-07-01", 0}, /* H2 starts on 1 July */
    {"2023", "2023-12-31", 1},    /* a year ends on 31 December */
    {"2023", "2024-01-01", 0},    /* and not a day later */
    {"2023-05-01..2023-05-01", "2023-05-01", 1}, /* a one-day range holds its day */
    {"2023-05-01..2023-05-01", "2023-05-02", 0}, /* and only that day */
    {"2023-05-01..2023-05-01", "2023-04-30", 0}, /* and only that day */
};

static void test_contains(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(contains_cases); i++) {
        struct rf_period p;
        struct rf_date d;

        print_message("case %zu: %s in %s\n", i, contains_cases[i].day, contains_cases[i].period);
        assert_int_equal(rf_period_parse(contains_cases[i].period, &p), RF_OK);
        assert_int_equal(rf_date_parse(contains_cases[i].day, &d), RF_OK);
        assert_int_equal(rf_period_contains(&p, d), contains_cases[i].inside);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_contains),
    };

    return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
