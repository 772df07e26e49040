/*
 * Unit tests of src/core/worktime: due times in working days and working
 * hours on the announced calendars of 2025 and 2026, receipt outside working
 * hours, cut-offs, pauses across holidays, the time between two instants,
 * and two properties checked on random inputs against a walk minute by
 * minute.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/worktime.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct rf_calendar_day day_of(const char *date, enum rf_day_kind kind, const char *name)
{
    struct rf_calendar_day d;

    memset(&d, 0, sizeof(d));
    assert_int_equal(rf_date_parse(date, &d.date), RF_OK);
    d.kind = kind;
    snprintf(d.name, sizeof(d.name), "%s", name);
    return d;
}

/*
 * The announced calendars, as the product's issue quotes them:
 * 2025, Official Letter 8726/VPCP-KGVX: Tết off 25/01 to 02/02; Hùng Kings
 * Mon 07/04; Fri 02/05 swapped with Sat 26/04, so 30/04 to 04/05 off;
 * National Day 30/08 to 02/09.
 * 2026, Official Letter 9859/VPCP-KGVX and Notice 9441/TB-BNV: Tết off 14/02
 * to 22/02; Hùng Kings Sun 26/04 made up on Mon 27/04; National Day 01/09 to
 * 02/09 with Mon 31/08 off and Sat 22/08 worked.
 * New Year's day (1/1) is the Labour Code's, art. 112(1)(a); for 2026, Official
 * Letter 12729/VPCP-KGVX (25/12/2025) also gave Fri 02/01 off for Sat 10/01.
 */
static struct rf_worktime *announced(void)
{
    static const struct {
        const char *date;
        enum rf_day_kind kind;
    } days[] = {
        {"2025-01-01", RF_DAY_HOLIDAY},  {"2025-01-27", RF_DAY_HOLIDAY},
        {"2025-01-28", RF_DAY_HOLIDAY},  {"2025-01-29", RF_DAY_HOLIDAY},
        {"2025-01-30", RF_DAY_HOLIDAY},  {"2025-01-31", RF_DAY_HOLIDAY},
        {"2025-04-07", RF_DAY_HOLIDAY},  {"2025-04-26", RF_DAY_MAKEUP},
        {"2025-04-30", RF_DAY_HOLIDAY},  {"2025-05-01", RF_DAY_HOLIDAY},
        {"2025-05-02", RF_DAY_SWAP_OFF}, {"2025-09-01", RF_DAY_HOLIDAY},
        {"2025-09-02", RF_DAY_HOLIDAY},  {"2026-01-01", RF_DAY_HOLIDAY},
        {"2026-01-02", RF_DAY_SWAP_OFF}, {"2026-01-10", RF_DAY_MAKEUP},
        {"2026-02-16", RF_DAY_HOLIDAY},  {"2026-02-17", RF_DAY_HOLIDAY},
        {"2026-02-18", RF_DAY_HOLIDAY},  {"2026-02-19", RF_DAY_HOLIDAY},
        {"2026-02-20", RF_DAY_HOLIDAY},  {"2026-04-27", RF_DAY_COMPENSATION},
        {"2026-04-30", RF_DAY_HOLIDAY},  {"2026-05-01", RF_DAY_HOLIDAY},
        {"2026-08-22", RF_DAY_MAKEUP},   {"2026-08-31", RF_DAY_SWAP_OFF},
        {"2026-09-01", RF_DAY_HOLIDAY},  {"2026-09-02", RF_DAY_HOLIDAY},
    };
    struct rf_calendar_day list[COUNT(days)];
    struct rf_hours hours;
    struct rf_worktime *w;

    for (size_t i = 0; i < COUNT(days); i++)
        list[i] = day_of(days[i].date, days[i].kind, "x");
    rf_hours_default(&hours, (struct rf_date){2025, 1, 1});
    assert_int_equal(rf_worktime_build(2025, 2026, list, (int)COUNT(days), &hours, 1, &w), RF_OK);
    return w;
}

static int64_t local(const char *s)
{
    int64_t t;

    assert_int_equal(rf_worktime_parse(s, &t), RF_OK);
    return t;
}

static const struct {
    const char *received;
    int days;
    int64_t minutes;
    int cutoff; /* minute of the day, -1 for none */
    const char *due;
} due_cases[] = {
    /* deadlines in days on the 2026 calendar (Civil Code arts. 147-148) */
    {"2026-02-13 09:00", 3, 0, -1, "2026-02-25 17:00"}, /* Fri before Tết: Mon 23, Tue 24, Wed 25 */
    {"2026-02-12 09:00", 5, 0, -1, "2026-02-26 17:00"}, /* Thu: Fri 13, then 23..26 */
    {"2026-04-24 09:00", 1, 0, -1, "2026-04-28 17:00"}, /* Mon 27 makes up Hùng Kings */
    {"2026-08-21 09:00", 1, 0, -1, "2026-08-22 17:00"}, /* Sat 22 is worked */
    {"2026-08-28 09:00", 2, 0, -1, "2026-09-04 17:00"}, /* Mon 31 swapped off, 1-2/9 off */
    {"2026-04-29 09:00", 3, 0, -1, "2026-05-06 17:00"}, /* 30/4, 1/5 off, then the weekend */
    /* the day of receipt is not counted, however early */
    {"2026-03-02 07:00", 1, 0, -1, "2026-03-03 17:00"},
    {"2026-03-02 16:59", 1, 0, -1, "2026-03-03 17:00"},
    /* received after hours, on a rest day or a holiday: from the next working period */
    {"2026-03-02 17:00", 1, 0, -1, "2026-03-04 17:00"},
    {"2026-02-14 10:00", 1, 0, -1, "2026-02-24 17:00"}, /* Sat in Tết: received Mon 23 */
    {"2026-02-13 17:30", 1, 0, -1, "2026-02-24 17:00"},
    {"2026-08-22 10:00", 1, 0, -1, "2026-08-24 17:00"}, /* the worked Saturday counts */
    /* a same-day cut-off (15:00): received after it counts from the next working day */
    {"2026-02-13 14:59", 1, 0, 15 * 60, "2026-02-23 17:00"},
    {"2026-02-13 15:00", 1, 0, 15 * 60, "2026-02-24 17:00"},
    /* across the year: 1 and 2 January 2026 are off, Saturday 10 January is worked */
    {"2025-12-31 10:00", 1, 0, -1, "2026-01-05 17:00"},
    {"2025-12-31 10:00", 2, 0, -1, "2026-01-06 17:00"},
    {"2026-01-09 10:00", 1, 0, -1, "2026-01-10 17:00"},
    /* 2025: Tết from 25/01, the Saturday 26/04 worked for Friday 02/05 */
    {"2025-01-24 09:00", 1, 0, -1, "2025-02-03 17:00"},
    {"2025-04-25 09:00", 1, 0, -1, "2025-04-26 17:00"},
    {"2025-04-29 09:00", 1, 0, -1, "2025-05-05 17:00"},
    /* working hours from the instant of receipt (07:00-11:30, 13:30-17:00) */
    {"2026-02-13 10:00", 0, 480, -1, "2026-02-23 10:00"},     /* 5 h on Fri, 3 h after Tết */
    {"2026-03-02 11:00", 0, 30, -1, "2026-03-02 11:30"},      /* ends with the morning */
    {"2026-03-02 11:00", 0, 31, -1, "2026-03-02 13:31"},      /* the lunch break is skipped */
    {"2026-03-02 12:00", 0, 60, -1, "2026-03-02 14:30"},      /* received at lunch */
    {"2026-03-02 06:00", 0, 60, -1, "2026-03-02 08:00"},      /* received before opening */
    {"2026-04-30 09:00", 0, 120, -1, "2026-05-04 09:00"},     /* 0.25 day, on a holiday */
    {"2026-08-21 16:00", 0, 120, -1, "2026-08-22 08:00"},     /* into the worked Saturday */
    {"2026-03-02 15:30", 0, 60, 15 * 60, "2026-03-03 08:00"}, /* after the cut-off */
    {"2026-03-02 16:30", 0, 30, -1, "2026-03-02 17:00"},
    /* half a day (the specialist's step of Ha Tinh's 3-day process) from Friday 14:00 */
    {"2026-03-06 14:00", 0, 240, -1, "2026-03-09 08:00"},
};

static void test_due(void **state)
{
    struct rf_worktime *w = announced();

    (void)state;
    for (size_t i = 0; i < COUNT(due_cases); i++) {
        struct rf_allowance a = {due_cases[i].days, due_cases[i].minutes};
        char got[17];
        int64_t due;
        assert_int_equal(rf_worktime_due(w, local(due_cases[i].received), &a, due_cases[i].cutoff,
                                         NULL, 0, &due),
                         RF_OK);
        rf_worktime_format(due, got);
        if (strcmp(got, due_cases[i].due) != 0)
            fail_msg("case %zu: from %s, %d days or %lld minutes: %s, expected %s", i,
                     due_cases[i].received, due_cases[i].days, (long long)due_cases[i].minutes, got,
                     due_cases[i].due);
    }
    rf_worktime_free(w);
}

/* Working hours of a day (07:00-11:30, 13:30-17:00): a due time ends a working minute. */
static const struct {
    const char *at;
    int in;
} in_hours_cases[] = {
    {"2026-03-02 07:00", 0}, /* the opening instant completes no working minute */
    {"2026-03-02 07:01", 1},
    {"2026-03-02 11:30", 1}, /* the end of the morning: a due time may fall on it */
    {"2026-03-02 11:31", 0}, /* the lunch break */
    {"2026-03-02 13:30", 0},
    {"2026-03-02 13:31", 1},
    {"2026-03-02 17:00", 1}, /* the end of the day: where day allowances fall due */
    {"2026-03-02 17:01", 0},
    {"2026-03-01 10:00", 0}, /* a Sunday */
    {"2026-02-17 10:00", 0}, /* Tết */
    {"2026-08-22 10:00", 1}, /* the Saturday worked in 2026 */
};

static void test_in_hours(void **state)
{
    struct rf_worktime *w = announced();

    (void)state;
    for (size_t i = 0; i < COUNT(in_hours_cases); i++) {
        print_message("case %zu: %s\n", i, in_hours_cases[i].at);
        assert_int_equal(rf_worktime_in_hours(w, local(in_hours_cases[i].at)),
                         in_hours_cases[i].in);
    }
    assert_int_equal(rf_worktime_in_hours(w, local("1990-01-02 10:00")), RF_EINVAL);
    /* every due time computed is in working hours */
    for (size_t i = 0; i < COUNT(due_cases); i++) {
        struct rf_allowance a = {due_cases[i].days, due_cases[i].minutes};
        int64_t due;
        assert_int_equal(rf_worktime_due(w, local(due_cases[i].received), &a, due_cases[i].cutoff,
                                         NULL, 0, &due),
                         RF_OK);
        assert_int_equal(rf_worktime_in_hours(w, due), 1);
    }
    rf_worktime_free(w);
}

static const struct {
    const char *received;
    int days;
    int64_t minutes;
    const char *from[3], *to[3];
    const char *due;
} pause_cases[] = {
    /* 3 days from Wed 11/02/2026, due Mon 23/02; the citizen's papers awaited from Thu 12/02
       08:00 to Tue 24/02 08:00, across Tết: 420 + 480 + 480 + 60 minutes = 3 days more */
    {"2026-02-11 08:00", 3, 0, {"2026-02-12 08:00"}, {"2026-02-24 08:00"}, "2026-02-26 17:00"},
    /* a pause wholly within the days off changes nothing */
    {"2026-02-11 08:00", 3, 0, {"2026-02-14 08:00"}, {"2026-02-22 20:00"}, "2026-02-23 17:00"},
    /* a pause before the receipt changes nothing; one after the due time neither */
    {"2026-03-02 09:00",
     1,
     0,
     {"2026-02-27 08:00", "2026-03-04 08:00"},
     {"2026-03-02 09:00", "2026-03-05 08:00"},
     "2026-03-03 17:00"},
    /* two hours paused inside a four-hour allowance */
    {"2026-03-02 07:00", 0, 240, {"2026-03-02 08:00"}, {"2026-03-02 10:00"}, "2026-03-02 15:00"},
    /* overlapping pauses count once: 08:00-10:00 and 09:00-11:00 are three hours */
    {"2026-03-02 07:00",
     0,
     240,
     {"2026-03-02 08:00", "2026-03-02 09:00"},
     {"2026-03-02 10:00", "2026-03-02 11:00"},
     "2026-03-02 16:00"},
    /* a pause that the extension itself reaches is counted too */
    {"2026-03-02 07:00",
     0,
     60,
     {"2026-03-02 07:30", "2026-03-02 08:45"},
     {"2026-03-02 08:30", "2026-03-02 10:00"},
     "2026-03-02 10:15"},
    /* a pause that starts just as the allowance runs out does not move it */
    {"2026-03-02 07:00", 0, 60, {"2026-03-02 08:00"}, {"2026-03-02 09:00"}, "2026-03-02 08:00"},
};

static void test_pauses(void **state)
{
    struct rf_worktime *w = announced();

    (void)state;
    for (size_t i = 0; i < COUNT(pause_cases); i++) {
        struct rf_allowance a = {pause_cases[i].days, pause_cases[i].minutes};
        struct rf_pause p[3];
        int n = 0;
        char got[17];
        int64_t due;
        for (; n < 3 && pause_cases[i].from[n]; n++) {
            p[n].from = local(pause_cases[i].from[n]);
            p[n].to = local(pause_cases[i].to[n]);
        }
        assert_int_equal(rf_worktime_due(w, local(pause_cases[i].received), &a, -1, p, n, &due),
                         RF_OK);
        rf_worktime_format(due, got);
        if (strcmp(got, pause_cases[i].due) != 0)
            fail_msg("pause case %zu: %s, expected %s", i, got, pause_cases[i].due);
    }
    rf_worktime_free(w);
}

static void test_between(void **state)
{
    static const struct {
        const char *a, *b;
        int64_t minutes;
    } cases[] = {
        {"2026-02-13 10:00", "2026-02-23 10:00", 480}, /* across Tết */
        {"2026-02-23 10:00", "2026-02-13 10:00", -480},
        {"2026-03-02 11:00", "2026-03-02 14:00", 60},  /* 30 before lunch, 30 after */
        {"2026-03-07 08:00", "2026-03-08 18:00", 0},   /* a weekend */
        {"2026-08-22 00:00", "2026-08-23 00:00", 480}, /* the worked Saturday */
        {"2025-12-31 00:00", "2026-01-03 00:00", 480}, /* Wed; Thu 1/1 and Fri 2/1 off */
        {"2026-03-02 09:00", "2026-03-02 09:00", 0},
    };
    struct rf_worktime *w = announced();
    struct rf_pause p = {local("2026-03-02 11:00"), local("2026-03-02 13:45")};
    int64_t m;

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(rf_worktime_between(w, local(cases[i].a), local(cases[i].b), NULL, 0, &m),
                         RF_OK);
        if (m != cases[i].minutes)
            fail_msg("between %s and %s: %lld, expected %lld", cases[i].a, cases[i].b, (long long)m,
                     (long long)cases[i].minutes);
    }
    /* less a pause: 11:00-11:30 and 13:30-13:45 do not count */
    assert_int_equal(
        rf_worktime_between(w, local("2026-03-02 10:00"), local("2026-03-02 14:00"), &p, 1, &m),
        RF_OK);
    assert_int_equal(m, 60 + 15);
    rf_worktime_free(w);
}

/* The Nth working day after a day, as the task reminders count "due within N working days". */
static void test_add_days(void **state)
{
    static const struct {
        const char *from;
        int n;
        const char *to;
    } cases[] = {
        {"2026-02-13", 0, "2026-02-13"}, {"2026-02-13", 1, "2026-02-23"}, /* over Tết */
        {"2026-02-14", 1, "2026-02-23"}, {"2026-02-14", 2, "2026-02-24"}, /* from a rest day */
        {"2026-08-21", 1, "2026-08-22"}, {"2026-08-28", 1, "2026-09-03"}, /* the worked Saturday */
        {"2025-12-31", 1, "2026-01-05"},
    };
    struct rf_worktime *w = announced();
    struct rf_date d, out;
    char got[11];

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_int_equal(rf_date_parse(cases[i].from, &d), RF_OK);
        assert_int_equal(rf_worktime_add_days(w, d, cases[i].n, &out), RF_OK);
        rf_date_format(out, got);
        if (strcmp(got, cases[i].to) != 0)
            fail_msg("%d working days after %s: %s, expected %s", cases[i].n, cases[i].from, got,
                     cases[i].to);
    }
    assert_int_equal(rf_worktime_add_days(w, d, -1, &out), RF_EINVAL);
    assert_int_equal(rf_worktime_add_days(w, (struct rf_date){2026, 12, 30}, 5, &out), RF_EINVAL);
    rf_worktime_free(w);
}

static void test_bad_input(void **state)
{
    struct rf_worktime *w = announced(), *none;
    struct rf_allowance zero = {0, 0}, one = {1, 0}, far = {600, 0};
    struct rf_pause backwards = {local("2026-03-03 10:00"), local("2026-03-02 10:00")};
    struct rf_hours hours;
    int64_t t;

    (void)state;
    assert_int_equal(rf_worktime_due(w, local("2026-03-02 10:00"), &zero, -1, NULL, 0, &t),
                     RF_EINVAL);
    /* outside the span, or due beyond it */
    assert_int_equal(rf_worktime_due(w, local("2024-12-31 10:00"), &one, -1, NULL, 0, &t),
                     RF_EINVAL);
    assert_int_equal(rf_worktime_due(w, local("2026-03-02 10:00"), &far, -1, NULL, 0, &t),
                     RF_EINVAL);
    assert_int_equal(rf_worktime_due(w, local("2026-03-02 10:00"), &one, -1, &backwards, 1, &t),
                     RF_EINVAL);
    assert_int_equal(rf_worktime_is_working(w, (struct rf_date){2027, 1, 4}), RF_EINVAL);
    assert_int_equal(rf_worktime_is_working(w, (struct rf_date){2026, 8, 22}), 1);
    assert_int_equal(rf_worktime_is_working(w, (struct rf_date){2026, 8, 31}), 0);
    for (size_t i = 0; i < 6; i++) {
        static const char *const bad[] = {"2026-03-02 24:00", "2026-03-02 10:60",
                                          "2026-03-02T10:00", "2026-02-30 10:00",
                                          "2026-03-02 1:00",  ""};
        assert_int_equal(rf_worktime_parse(bad[i], &t), RF_EINVAL);
    }
    /* hours out of order, overlapping or empty are refused */
    rf_hours_default(&hours, (struct rf_date){2025, 1, 1});
    hours.start[1] = 11 * 60;
    assert_int_equal(rf_hours_check(&hours), RF_EINVAL);
    assert_int_equal(rf_worktime_build(2025, 2026, NULL, 0, &hours, 1, &none), RF_EINVAL);
    rf_hours_default(&hours, (struct rf_date){2025, 1, 1});
    hours.end[0] = hours.start[0];
    assert_int_equal(rf_hours_check(&hours), RF_EINVAL);
    rf_hours_default(&hours, (struct rf_date){2025, 1, 1});
    assert_int_equal(rf_worktime_build(2026, 2025, NULL, 0, &hours, 1, &none), RF_EINVAL);
    assert_int_equal(rf_worktime_build(1899, 2025, NULL, 0, &hours, 1, &none), RF_EINVAL);
    rf_worktime_free(w);
}

/* Working hours change on a date: from 1 June 2026, 07:30-11:30 and 13:00-16:30 (7.5 h). */
static void test_hours_by_date(void **state)
{
    struct rf_hours hours[2];
    struct rf_worktime *w;
    struct rf_allowance a = {0, 480}, one = {1, 0};
    char got[17];
    int64_t due;

    (void)state;
    rf_hours_default(&hours[1], (struct rf_date){2025, 1, 1});
    memset(&hours[0], 0, sizeof(hours[0]));
    hours[0].from = (struct rf_date){2026, 6, 1};
    hours[0].n = 2;
    hours[0].start[0] = 7 * 60 + 30;
    hours[0].end[0] = 11 * 60 + 30;
    hours[0].start[1] = 13 * 60;
    hours[0].end[1] = 16 * 60 + 30;
    assert_int_equal(rf_worktime_build(2025, 2026, NULL, 0, hours, 2, &w), RF_OK);
    /* Fri 29 May 15:00: 2 h that day, then 6 h of the new hours on Mon 1 June: 07:30-11:30
       and 13:00-15:00 */
    assert_int_equal(rf_worktime_due(w, local("2026-05-29 15:00"), &a, -1, NULL, 0, &due), RF_OK);
    rf_worktime_format(due, got);
    assert_string_equal(got, "2026-06-01 15:00");
    assert_int_equal(rf_worktime_due(w, local("2026-05-29 15:00"), &one, -1, NULL, 0, &due), RF_OK);
    rf_worktime_format(due, got);
    assert_string_equal(got, "2026-06-01 16:30");
    rf_worktime_free(w);
}

static void test_hours_text(void **state)
{
    static const struct {
        const char *text;
        int ok;
    } cases[] = {
        {"07:00-11:30,13:30-17:00", 1}, /* the default */
        {"07:30-11:30,13:00-16:30", 1},
        {"08:00-12:00", 1},
        {"00:00-24:00", 1},
        {"07:00-11:30,11:00-17:00", 0}, /* overlapping */
        {"13:30-17:00,07:00-11:30", 0}, /* out of order */
        {"07:00-07:00", 0},             /* empty */
        {"7:00-11:30", 0},
        {"07:00-11:30,", 0},
        {"07:00-11:30;13:30-17:00", 0},
        {"07:00-24:01", 0},
        {"07:00-08:00,08:00-09:00,09:00-10:00,10:00-11:00,11:00-12:00", 0}, /* five periods */
        {"", 0},
    };
    struct rf_hours h;
    char back[RF_HOURS_TEXT];

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        memset(&h, 0, sizeof(h));
        if ((rf_hours_parse(cases[i].text, &h) == RF_OK) != cases[i].ok)
            fail_msg("hours '%s' should %s", cases[i].text, cases[i].ok ? "parse" : "be refused");
        if (cases[i].ok) {
            rf_hours_format(&h, back);
            assert_string_equal(back, cases[i].text);
        }
    }
}

/* A walk minute by minute: the reference the precomputed answers must equal. */
static int working_minute(const struct rf_worktime *w, int64_t t)
{
    int64_t day =
        t >= 0 ? t / RF_MINUTES_PER_DAY : -((-t + RF_MINUTES_PER_DAY - 1) / RF_MINUTES_PER_DAY);
    int m = (int)(t - day * RF_MINUTES_PER_DAY);

    if (rf_worktime_is_working(w, rf_date_from_days(day)) != 1)
        return 0;
    return (m >= 7 * 60 && m < 11 * 60 + 30) || (m >= 13 * 60 + 30 && m < 17 * 60);
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_random_against_walk(void **state)
{
    struct rf_worktime *w = announced();
    int64_t first = local("2025-01-01 00:00"), span = local("2026-10-01 00:00") - first;

    (void)state;
    for (int i = 0; i < 400; i++) {
        int64_t at = first + (int64_t)(next() % (uint64_t)span),
                minutes = 1 + (int64_t)(next() % 2400);
        struct rf_allowance a = {0, minutes};
        int64_t due, walked = at, left = minutes, back;
        /* minutes: walk until the allowance is used up */
        while (left > 0) {
            if (working_minute(w, walked))
                left--;
            walked++;
        }
        assert_int_equal(rf_worktime_due(w, at, &a, -1, NULL, 0, &due), RF_OK);
        if (due != walked)
            fail_msg("from %lld, %lld minutes: %lld, the walk says %lld", (long long)at,
                     (long long)minutes, (long long)due, (long long)walked);
        /* adding, then measuring, gives back the allowance */
        assert_int_equal(rf_worktime_between(w, at, due, NULL, 0, &back), RF_OK);
        assert_int_equal(back, minutes);
    }
    rf_worktime_free(w);
}

static void test_random_days_and_pauses(void **state)
{
    struct rf_worktime *w = announced();
    int64_t first = local("2025-01-01 00:00"), span = local("2026-10-01 00:00") - first;

    (void)state;
    for (int i = 0; i < 400; i++) {
        int64_t at = first + (int64_t)(next() % (uint64_t)span), due, back;
        struct rf_allowance days = {1 + (int)(next() % 15), 0};
        struct rf_allowance minutes = {0, 1 + (int64_t)(next() % 4000)};
        struct rf_pause p[2];
        struct rf_date rd = rf_date_from_days(at / RF_MINUTES_PER_DAY), dd;
        int m = (int)(at % RF_MINUTES_PER_DAY), counted = 0;
        /* days: the due day is the Nth working day after the day of receipt */
        assert_int_equal(rf_worktime_due(w, at, &days, -1, NULL, 0, &due), RF_OK);
        assert_int_equal(due % RF_MINUTES_PER_DAY, 17 * 60);
        dd = rf_date_from_days(due / RF_MINUTES_PER_DAY);
        assert_int_equal(rf_worktime_is_working(w, dd), 1);
        if (rf_worktime_is_working(w, rd) != 1 || m >= 17 * 60) /* received the next working day */
            do
                rd = rf_date_from_days(rf_date_to_days(rd) + 1);
            while (rf_worktime_is_working(w, rd) != 1);
        for (int64_t d = rf_date_to_days(rd) + 1; d <= rf_date_to_days(dd); d++)
            counted += rf_worktime_is_working(w, rf_date_from_days(d)) == 1;
        assert_int_equal(counted, days.days);
        /* minutes with two random pauses: measuring less the pauses gives back the allowance */
        for (int k = 0; k < 2; k++) {
            p[k].from = at - 600 + (int64_t)(next() % 8000);
            p[k].to = p[k].from + (int64_t)(next() % 3000);
        }
        assert_int_equal(rf_worktime_due(w, at, &minutes, -1, p, 2, &due), RF_OK);
        assert_int_equal(rf_worktime_between(w, at, due, p, 2, &back), RF_OK);
        assert_int_equal(back, minutes.minutes);
    }
    rf_worktime_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due),
        cmocka_unit_test(test_in_hours),
        cmocka_unit_test(test_pauses),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_hours_by_date),
        cmocka_unit_test(test_hours_text),
        cmocka_unit_test(test_random_against_walk),
        cmocka_unit_test(test_random_days_and_pauses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
