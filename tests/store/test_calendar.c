/*
 * The working calendar (store_calendar.c): recorded years, their days and
 * the working hours, each write moving the calendar's version.
 */
#include "rig.h"

#include <stdio.h>
#include <string.h>

struct calendar_seen {
    struct rf_calendar_day days[8];
    struct rf_calendar_year_record years[4];
    struct rf_hours hours[4];
    int ndays, nyears, nhours;
};

static int calendar_day_seen(void *ctx, const struct rf_calendar_day *d)
{
    struct calendar_seen *c = ctx;

    if (c->ndays < 8)
        c->days[c->ndays++] = *d;
    return 0;
}

static int calendar_year_seen(void *ctx, const struct rf_calendar_year_record *y)
{
    struct calendar_seen *c = ctx;

    if (c->nyears < 4)
        c->years[c->nyears++] = *y;
    return 0;
}

static int hours_seen(void *ctx, const struct rf_hours *h, int64_t by, int64_t at)
{
    struct calendar_seen *c = ctx;

    (void)by;
    assert_int_equal(at, 1700000000);
    if (c->nhours < 4)
        c->hours[c->nhours++] = *h;
    return 0;
}

/* A recorded year replaces the one before whole; every change moves the version. */
static void test_calendar(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42"), v0, v1, v2;
    struct rf_calendar_day days[3] = {
        {{2026, 8, 31}, RF_DAY_SWAP_OFF, "Nghỉ hoán đổi", "Công văn 9859/VPCP-KGVX"},
        {{2026, 8, 22}, RF_DAY_MAKEUP, "Làm bù cho ngày 31/08/2026", "Công văn 9859/VPCP-KGVX"},
        {{2026, 9, 1}, RF_DAY_HOLIDAY, "Quốc khánh", "Bộ luật Lao động 2019, Điều 112"},
    };
    struct rf_calendar_year_record y = {2026, "Công văn 9859/VPCP-KGVX", 0, 1700000000}, got;
    struct calendar_seen seen;
    struct rf_hours h;

    assert_int_equal(rf_store_calendar_version(s, prov, &v0), RF_OK);
    assert_int_equal(rf_store_calendar_year_get(s, prov, 2026, &got), RF_ENOTFOUND);
    assert_int_equal(rf_store_calendar_year_put(s, prov, &y, days, 3), RF_OK);
    assert_int_equal(rf_store_calendar_version(s, prov, &v1), RF_OK);
    assert_true(v1 > v0);
    assert_int_equal(rf_store_calendar_year_get(s, prov, 2026, &got), RF_OK);
    assert_string_equal(got.source, y.source);
    assert_int_equal(got.recorded_at, 1700000000);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_calendar_days(s, prov, 2026, 2026, calendar_day_seen, &seen), RF_OK);
    assert_int_equal(seen.ndays, 3);
    /* by date, kind and text kept */
    assert_int_equal(seen.days[0].date.day, 22);
    assert_int_equal(seen.days[0].kind, RF_DAY_MAKEUP);
    assert_string_equal(seen.days[0].name, "Làm bù cho ngày 31/08/2026");
    assert_int_equal(seen.days[2].kind, RF_DAY_HOLIDAY);
    assert_string_equal(seen.days[2].source, "Bộ luật Lao động 2019, Điều 112");
    /* recorded again with one day: the year is replaced, not merged */
    assert_int_equal(rf_store_calendar_year_put(s, prov, &y, days + 2, 1), RF_OK);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_calendar_days(s, prov, 2025, 2027, calendar_day_seen, &seen), RF_OK);
    assert_int_equal(seen.ndays, 1);
    y.year = 2027;
    assert_int_equal(rf_store_calendar_year_put(s, prov, &y, NULL, 0), RF_OK);
    assert_int_equal(rf_store_calendar_years(s, prov, 2000, 2100, calendar_year_seen, &seen),
                     RF_OK);
    assert_int_equal(seen.nyears, 2);
    assert_int_equal(seen.years[0].year, 2026);
    assert_int_equal(seen.years[1].year, 2027);
    /* working hours by the day they start; the same day again replaces them */
    rf_hours_default(&h, (struct rf_date){2027, 1, 1});
    assert_int_equal(rf_store_working_hours_put(s, prov, &h, 0, 1700000000), RF_OK);
    assert_int_equal(rf_hours_parse("07:30-11:30,13:00-16:30", &h), RF_OK);
    assert_int_equal(rf_store_working_hours_put(s, prov, &h, 0, 1700000000), RF_OK);
    h.from = (struct rf_date){2026, 1, 1};
    assert_int_equal(rf_store_working_hours_put(s, prov, &h, 0, 1700000000), RF_OK);
    assert_int_equal(rf_store_working_hours(s, prov, hours_seen, &seen), RF_OK);
    assert_int_equal(seen.nhours, 2);
    assert_int_equal(seen.hours[0].from.year, 2026);
    assert_int_equal(seen.hours[1].start[0], 7 * 60 + 30);
    assert_int_equal(rf_store_calendar_version(s, prov, &v2), RF_OK);
    assert_int_equal(v2, v1 + 5);
}

int run_calendar_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_calendar, setup, teardown),
    };

    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
