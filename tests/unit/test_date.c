/*
 * Unit tests of src/core/date: parsing and writing civil dates, day counts,
 * and the civil date of an instant in the province's zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/core/date.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *text;
    int ok; /* 1 when it must parse, then it must format back to 'text' */
    int year, month, day;
} parse_cases[] = {
    {"2025-07-01", 1, 2025, 7, 1},    /* ISO 8601 calendar date, extended format */
    {"2024-02-29", 1, 2024, 2, 29},   /* Gregorian: a year divisible by 4 is leap */
    {"2023-02-29", 0, 0, 0, 0},       /* Gregorian: 2023 is a common year */
    {"1900-02-29", 0, 0, 0, 0},       /* Gregorian: centuries are common unless divisible by 400 */
    {"2000-02-29", 1, 2000, 2, 29},   /* Gregorian: 2000 is divisible by 400, so leap */
    {"2025-04-31", 0, 0, 0, 0},       /* April has 30 days */
    {"2025-12-31", 1, 2025, 12, 31},  /* December has 31 days */
    {"2025-13-01", 0, 0, 0, 0},       /* ISO 8601: months are 01..12 */
    {"2025-00-10", 0, 0, 0, 0},       /* ISO 8601: there is no month 00 */
    {"2025-01-00", 0, 0, 0, 0},       /* ISO 8601: there is no day 00 */
    {"1900-01-01", 1, 1900, 1, 1},    /* RF_DATE_MIN_YEAR is inside the range */
    {"1899-12-31", 0, 0, 0, 0},       /* date.h: years below RF_DATE_MIN_YEAR are refused */
    {"2199-12-31", 1, 2199, 12, 31},  /* RF_DATE_MAX_YEAR is inside the range */
    {"2200-01-01", 0, 0, 0, 0},       /* date.h: years above RF_DATE_MAX_YEAR are refused */
    {"2025-7-1", 0, 0, 0, 0},         /* date.h: exactly YYYY-MM-DD, two-digit month and day */
    {"2025/07/01", 0, 0, 0, 0},       /* ISO 8601 separator is '-' */
    {"20250701", 0, 0, 0, 0},         /* basic format is not accepted, only extended */
    {"2025-07-01T00:00", 0, 0, 0, 0}, /* a date, not a date-time */
    {" 2025-07-01", 0, 0, 0, 0},      /* no surrounding space: input is exact */
    {"2025-07-0a", 0, 0, 0, 0},       /* digits only */
    {"+025-07-01", 0, 0, 0, 0},       /* no sign: years are four digits */
    {"", 0, 0, 0, 0},                 /* empty input is no date */
    {NULL, 0, 0, 0, 0},               /* a missing value is no date */
};

static void test_parse_and_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(parse_cases); i++) {
        struct rf_date d = {-1, -1, -1};
        char out[11];
        int rc = rf_date_parse(parse_cases[i].text, &d);

        print_message("case %zu: %s\n", i, parse_cases[i].text ? parse_cases[i].text : "NULL");
        if (!parse_cases[i].ok) {
            assert_int_equal(rc, RF_EINVAL);
            continue;
        }
        assert_int_equal(rc, RF_OK);
        assert_int_equal(d.year, parse_cases[i].year);
        assert_int_equal(d.month, parse_cases[i].month);
        assert_int_equal(d.day, parse_cases[i].day);
        rf_date_format(d, out);
        assert_string_equal(out, parse_cases[i].text);
    }
}

static const struct {
    int year, month, days;
} month_cases[] = {
    {2024, 2, 29},  /* leap February */
    {2100, 2, 28},  /* 2100 is a century not divisible by 400: common */
    {2000, 2, 29},  /* divisible by 400: leap */
    {2025, 4, 30},  /* April, June, September, November have 30 */
    {2025, 12, 31}, /* December has 31 */
    {2025, 13, 0},  /* not a month: 0 so that every day check fails */
    {2025, 0, 0},   /* not a month */
};

static void test_days_in_month(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(month_cases); i++) {
        print_message("case %zu: %d-%d\n", i, month_cases[i].year, month_cases[i].month);
        assert_int_equal(rf_date_days_in_month(month_cases[i].year, month_cases[i].month),
                         month_cases[i].days);
    }
}

static const struct {
    struct rf_date date;
    int64_t days;
} day_cases[] = {
    {{1970, 1, 1}, 0},       /* the Unix epoch is day 0 */
    {{1969, 12, 31}, -1},    /* date.h: negative before the epoch */
    {{2000, 3, 1}, 11017},   /* the day after a 400-year leap day (Python datetime) */
    {{2024, 2, 29}, 19782},  /* a leap day (Python datetime) */
    {{2025, 7, 1}, 20270},   /* first day of two-level government (Python datetime) */
    {{1900, 1, 1}, -25567},  /* RF_DATE_MIN_YEAR (Python datetime) */
    {{2199, 12, 31}, 84005}, /* RF_DATE_MAX_YEAR (Python datetime) */
};

static void test_days_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(day_cases); i++) {
        struct rf_date back = rf_date_from_days(day_cases[i].days);

        print_message("case %zu\n", i);
        assert_int_equal(rf_date_to_days(day_cases[i].date), day_cases[i].days);
        assert_int_equal(rf_date_cmp(back, day_cases[i].date), 0);
        /* consecutive days compare in order, across month and year ends */
        assert_int_equal(rf_date_cmp(rf_date_from_days(day_cases[i].days + 1), back), 1);
        assert_int_equal(rf_date_cmp(rf_date_from_days(day_cases[i].days - 1), back), -1);
    }
}

static const struct {
    int64_t epoch;
    int utc_offset;
    struct rf_date date;
    const char *instant;
} instant_cases[] = {
    /* the epoch itself */
    {0, 0, {1970, 1, 1}, "1970-01-01T00:00:00Z"},
    /* one second before the epoch: floor, not truncation, toward the past */
    {-1, 0, {1969, 12, 31}, "1969-12-31T23:59:59Z"},
    /* the same instant is already 1 January in Vietnam (UTC+7, Asia/Ho_Chi_Minh) */
    {-1, RF_PROVINCE_UTC_OFFSET, {1970, 1, 1}, "1969-12-31T23:59:59Z"},
    /* midnight 1 July 2025 in Vietnam is 17:00 UTC the day before */
    {1751302800, RF_PROVINCE_UTC_OFFSET, {2025, 7, 1}, "2025-06-30T17:00:00Z"},
    /* one second earlier is still 30 June in Vietnam */
    {1751302799, RF_PROVINCE_UTC_OFFSET, {2025, 6, 30}, "2025-06-30T16:59:59Z"},
    /* a leap day (Python calendar.timegm) */
    {951782400, 0, {2000, 2, 29}, "2000-02-29T00:00:00Z"},
    /* past 2038: instants are 64-bit */
    {4102444799, 0, {2099, 12, 31}, "2099-12-31T23:59:59Z"},
    /* RF_DATE_MIN_YEAR, far before the epoch */
    {-2208988800, 0, {1900, 1, 1}, "1900-01-01T00:00:00Z"},
};

static void test_instant(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(instant_cases); i++) {
        struct rf_date d = rf_date_of_instant(instant_cases[i].epoch, instant_cases[i].utc_offset);
        char out[21];

        print_message("case %zu: %s\n", i, instant_cases[i].instant);
        assert_int_equal(d.year, instant_cases[i].date.year);
        assert_int_equal(d.month, instant_cases[i].date.month);
        assert_int_equal(d.day, instant_cases[i].date.day);
        memset(out, 'x', sizeof(out));
        rf_instant_format(instant_cases[i].epoch, out);
        assert_string_equal(out, instant_cases[i].instant);
    }
}

static const struct {
    struct rf_date day;
    int weekday; /* ISO 8601: 1 Monday .. 7 Sunday */
} weekday_cases[] = {
    {{2023, 9, 29}, 5},  /* 29 September 2023 was a Friday */
    {{2023, 10, 1}, 7},  /* a Sunday */
    {{2023, 9, 30}, 6},  /* a Saturday */
    {{2023, 10, 2}, 1},  /* a Monday */
    {{2024, 2, 29}, 4},  /* the leap day of 2024, a Thursday */
    {{1970, 1, 1}, 4},   /* the epoch was a Thursday */
    {{1969, 12, 31}, 3}, /* before the epoch: a Wednesday */
    {{2026, 2, 17}, 2},  /* Tết 2026, a Tuesday */
};

static void test_weekdays(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(weekday_cases); i++) {
        print_message("case %zu\n", i);
        assert_int_equal(rf_date_weekday(weekday_cases[i].day), weekday_cases[i].weekday);
    }
}

/* An input date as the use cases take one: required or not, the field named when refused. */
static const struct {
    const char *text;
    int required;
    int rc;
    const char *out, *rule; /* the date written, or the rule named in the error */
} check_cases[] = {
    {"2025-07-01", 1, 0, "2025-07-01", NULL},
    {"2025-07-01", 0, 0, "2025-07-01", NULL},
    {NULL, 0, 0, "", NULL},                   /* absent and optional: no date */
    {"", 0, 0, "", NULL},                     /* empty and optional: no date */
    {NULL, 1, RF_EINVAL, "", "required"},     /* absent and required */
    {"", 1, RF_EINVAL, "", "required"},       /* empty and required */
    {"2025-02-30", 0, RF_EINVAL, "", "date"}, /* no such day, even when optional */
    {"01/07/2025", 1, RF_EINVAL, "", "date"}, /* only YYYY-MM-DD */
};

static void test_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(check_cases); i++) {
        struct rf_error err;
        char out[11] = "x";
        print_message("case %zu\n", i);
        rf_error_init(&err);
        assert_int_equal(
            rf_date_check(check_cases[i].text, "deadline", check_cases[i].required, out, &err),
            check_cases[i].rc);
        assert_string_equal(out, check_cases[i].out);
        if (check_cases[i].rule) {
            assert_int_equal(err.n, 1);
            assert_string_equal(err.item[0].field, "deadline");
            assert_string_equal(err.item[0].code, check_cases[i].rule);
        } else {
            assert_int_equal(err.n, 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format), cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_days_round_trip),  cmocka_unit_test(test_instant),
        cmocka_unit_test(test_weekdays),         cmocka_unit_test(test_check),
    };

    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
