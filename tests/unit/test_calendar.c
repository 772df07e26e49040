/*
 * Unit tests of src/core/calendar: the Labour Code's default proposal for a
 * year, the check of an announced year, and the announcements shipped in
 * data/calendar/announcements.csv (each year consistent, and holding the days
 * the Government announced), and the reader of announcements written as CSV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/common/csv.h"
#include "../../src/core/calendar.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void format_days(const struct rf_calendar_day *d, int n, char *out, size_t size)
{
    size_t at = 0;

    out[0] = '\0';
    for (int i = 0; i < n && at + 32 < size; i++) {
        char day[11];
        rf_date_format(d[i].date, day);
        at += (size_t)snprintf(out + at, size - at, "%s%s %s", i ? "," : "", day,
                               rf_day_kind_name(d[i].kind));
    }
}

/*
 * Where the Labour Code alone decides, the proposal is the calendar that was
 * announced (data/calendar/SOURCES.md): 2023's Hùng Kings day on Saturday
 * 29/4 and 30/4 on Sunday made up on 2/5 and 3/5 (press reports of the 2023
 * calendar), 2/9/2023 on Saturday with 1/9 made up on Monday 4/9 (Official
 * Letter 8056/VPCP-KGVX); 2024's 2/9 on Monday with 3/9 (8662/VPCP-KGVX);
 * 2026's Tết 16/2-20/2 and Hùng Kings on Sunday 26/4 made up on Monday 27/4
 * (9859/VPCP-KGVX, 9441/TB-BNV).
 */
static const struct {
    int year;
    const char *days;
} proposals[] = {
    {2023, "2023-01-02 compensation,2023-01-23 holiday,2023-01-24 holiday,2023-01-25 holiday,"
           "2023-01-26 compensation,2023-01-27 compensation,2023-05-01 holiday,"
           "2023-05-02 compensation,2023-05-03 compensation,2023-09-01 holiday,"
           "2023-09-04 compensation"},
    {2024, "2024-01-01 holiday,2024-02-09 holiday,2024-02-12 holiday,2024-02-13 holiday,"
           "2024-02-14 compensation,2024-02-15 compensation,2024-04-18 holiday,"
           "2024-04-30 holiday,2024-05-01 holiday,2024-09-02 holiday,2024-09-03 holiday"},
    {2026, "2026-01-01 holiday,2026-02-16 holiday,2026-02-17 holiday,2026-02-18 holiday,"
           "2026-02-19 holiday,2026-02-20 holiday,2026-04-27 compensation,2026-04-30 holiday,"
           "2026-05-01 holiday,2026-09-01 holiday,2026-09-02 holiday"},
};

static void test_proposal(void **state)
{
    struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];
    char got[2048];

    (void)state;
    for (size_t i = 0; i < COUNT(proposals); i++) {
        int n = rf_calendar_proposal(proposals[i].year, days);
        assert_true(n > 0);
        format_days(days, n, got, sizeof(got));
        if (strcmp(got, proposals[i].days) != 0)
            fail_msg("proposal %d:\n  %s\nexpected\n  %s", proposals[i].year, got,
                     proposals[i].days);
    }
    assert_int_equal(rf_calendar_proposal(1900, days), RF_EINVAL);
    assert_int_equal(rf_calendar_proposal(2200, days), RF_EINVAL);
}

/* Every year: 11 statutory days off, each a weekday with a name and the article it comes from. */
static void test_proposal_every_year(void **state)
{
    struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];

    (void)state;
    for (int year = 1901; year <= 2199; year++) {
        int n = rf_calendar_proposal(year, days), bad = -1;
        const char *why = NULL;
        if (n != 11)
            fail_msg("%d: %d days off", year, n);
        if (rf_calendar_check(year, days, n, &bad, &why) != RF_OK)
            fail_msg("%d: day %d: %s", year, bad, why);
        for (int i = 1; i < n; i++)
            assert_true(rf_date_cmp(days[i - 1].date, days[i].date) < 0);
    }
}

static void test_check(void **state)
{
    static const struct {
        const char *date;
        const char *kind;
        const char *name, *source;
        const char *why; /* NULL: accepted */
    } cases[] = {
        {"2026-08-22", "makeup", "Làm bù", "9859/VPCP-KGVX", NULL},
        {"2026-08-31", "swap_off", "Nghỉ hoán đổi", "9859/VPCP-KGVX", NULL},
        {"2026-08-24", "makeup", "Làm bù", "x", "a make-up working day is a Saturday or a Sunday"},
        {"2026-04-26", "holiday", "Giỗ Tổ", "x",
         "a day off listed here is a weekday: Saturdays and Sundays are off already"},
        {"2025-12-31", "holiday", "x", "x", "the day is not in the year"},
        {"2026-09-01", "holiday", "", "x", "the day needs a name"},
        {"2026-09-01", "holiday", "Quốc khánh", "", "the day needs its source"},
        /* a name or source that is not UTF-8 (a file in a legacy code page, a name cut short)
           or holds a control character would be shown as it is: found by fuzz_calendar */
        {"2026-09-01", "holiday",
         "Qu\xe1"
         "c kh\xe1"
         "nh",
         "x", "a day's name and source are UTF-8 text without control characters"},
        {"2026-09-01", "holiday", "Quốc khánh", "9859/VPCP-KGVX \xe1\xbb",
         "a day's name and source are UTF-8 text without control characters"},
        {"2026-09-01", "holiday", "Quốc\tkhánh", "x",
         "a day's name and source are UTF-8 text without control characters"},
        {"2026-09-01", "holiday", "Quốc khánh", "9859/VPCP-KGVX\n",
         "a day's name and source are UTF-8 text without control characters"},
    };
    struct rf_calendar_day d[2];
    const char *why;
    int bad;

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        memset(d, 0, sizeof(d));
        assert_int_equal(rf_date_parse(cases[i].date, &d[0].date), RF_OK);
        assert_int_equal(rf_day_kind_parse(cases[i].kind, &d[0].kind), RF_OK);
        snprintf(d[0].name, sizeof(d[0].name), "%s", cases[i].name);
        snprintf(d[0].source, sizeof(d[0].source), "%s", cases[i].source);
        why = NULL;
        if (!cases[i].why) {
            assert_int_equal(rf_calendar_check(2026, d, 1, &bad, &why), RF_OK);
        } else {
            assert_int_equal(rf_calendar_check(2026, d, 1, &bad, &why), RF_EINVAL);
            assert_int_equal(bad, 0);
            assert_string_equal(why, cases[i].why);
        }
    }
    /* the same date twice */
    d[1] = d[0] = (struct rf_calendar_day){{2026, 9, 1}, RF_DAY_HOLIDAY, "Quốc khánh", "x"};
    assert_int_equal(rf_calendar_check(2026, d, 2, &bad, &why), RF_EINVAL);
    assert_int_equal(bad, 1);
    assert_int_equal(rf_day_kind_parse("weekend", &d[0].kind), RF_EINVAL);
    assert_string_equal(rf_day_kind_name(RF_DAY_SWAP_OFF), "swap_off");
}

/* data/calendar/announcements.csv, from this file's own path */
static char *read_shipped(void)
{
    char path[512];
    const char *cut = strstr(__FILE__, "tests/unit/");
    FILE *f;
    char *text;
    long len;

    assert_non_null(cut);
    snprintf(path, sizeof(path), "%.*sdata/calendar/announcements.csv", (int)(cut - __FILE__),
             __FILE__);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc(1, (size_t)len + 1);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return text;
}

/*
 * The shipped years pass the check, give eleven statutory days off (holidays
 * and compensation), one make-up day per swap, and hold the days the
 * product's issue quotes from Official Letters 8726/VPCP-KGVX (2025) and
 * 9859/VPCP-KGVX with Notice 9441/TB-BNV (2026).
 */
static void test_shipped(void **state)
{
    static const char *const quoted[] = {
        "2025-01-27 holiday",      "2025-01-31 holiday",  "2025-04-07 holiday",
        "2025-04-26 makeup",       "2025-05-02 swap_off", "2025-09-01 holiday",
        "2025-09-02 holiday",      "2026-02-16 holiday",  "2026-02-20 holiday",
        "2026-04-27 compensation", "2026-08-22 makeup",   "2026-08-31 swap_off",
        "2026-09-01 holiday",      "2026-09-02 holiday",
    };
    struct rf_calendar_day days[4][RF_CALENDAR_MAX_DAYS];
    int n[4] = {0}, rc, found = 0;
    char *text = read_shipped();
    struct rf_csv c;

    (void)state;
    rf_csv_init(&c, text);
    assert_int_equal(rf_csv_next(&c), 1); /* the header */
    assert_string_equal(c.field[0], "date");
    while ((rc = rf_csv_next(&c)) == 1) {
        struct rf_calendar_day d;
        char key[64];
        int y;
        memset(&d, 0, sizeof(d));
        assert_int_equal(c.nfields, 4);
        /* names and sources are kept whole */
        assert_true(strlen(c.field[2]) < RF_DAY_NAME_BYTES);
        assert_true(strlen(c.field[3]) < RF_DAY_SOURCE_BYTES);
        assert_int_equal(rf_date_parse(c.field[0], &d.date), RF_OK);
        assert_int_equal(rf_day_kind_parse(c.field[1], &d.kind), RF_OK);
        snprintf(d.name, sizeof(d.name), "%s", c.field[2]);
        snprintf(d.source, sizeof(d.source), "%s", c.field[3]);
        y = d.date.year - 2023;
        assert_true(y >= 0 && y < 4);
        days[y][n[y]++] = d;
        snprintf(key, sizeof(key), "%s %s", c.field[0], c.field[1]);
        for (size_t i = 0; i < COUNT(quoted); i++)
            found += strcmp(key, quoted[i]) == 0;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(found, (int)COUNT(quoted));
    for (int y = 0; y < 4; y++) {
        int bad, statutory = 0, swaps = 0, makeups = 0;
        const char *why;
        if (rf_calendar_check(2023 + y, days[y], n[y], &bad, &why) != RF_OK)
            fail_msg("%d, day %d: %s", 2023 + y, bad, why);
        for (int i = 0; i < n[y]; i++) {
            statutory +=
                days[y][i].kind == RF_DAY_HOLIDAY || days[y][i].kind == RF_DAY_COMPENSATION;
            swaps += days[y][i].kind == RF_DAY_SWAP_OFF;
            makeups += days[y][i].kind == RF_DAY_MAKEUP;
        }
        assert_int_equal(statutory, 11);
        assert_int_equal(swaps, makeups);
    }
    rf_csv_cleanup(&c);
    free(text);
}

/*
 * The reader of announcements as CSV (the shipped file, `reform calendar
 * record`): a day a line, names and sources kept whole or the line refused.
 * A name cut at its 127th byte used to be recorded as cut, which can split a
 * Vietnamese letter and leave text that is not UTF-8.
 */
static void test_csv_read(void **state)
{
    char long_name[160], long_source[1100], whole_name[140], text[1400];
    static const struct {
        const char *csv; /* NULL: 'text' as built below */
        int max, rc, n, bad_line;
        const char *why; /* the start of the reason */
    } cases[] = {
        {"date,kind,name,source\n2031-03-03,swap_off,Nghỉ,Thử\n\n2031-03-08,makeup,Làm bù,Thử\n", 4,
         RF_OK, 2, 0, NULL},
        {"\xef\xbb\xbf"
         "date,kind,name,source\r\n2031-03-03,swap_off,Nghỉ,\"Thử, một\"\r\n",
         4, RF_OK, 1, 0, NULL},
        {"date,kind,name,source\n", 4, RF_OK, 0, 0, NULL},
        {"", 4, RF_EINVAL, 0, 1, "the first line"},
        {"date,kind,name\n2031-03-03,swap_off,Nghỉ\n", 4, RF_EINVAL, 0, 1, "the first line"},
        {"date,kind,name,source\n2031-03-03,swap_off,Nghỉ,Thử\n2031-03-08,weekend,Làm bù,Thử\n", 4,
         RF_EINVAL, 1, 3, "a line is"},
        {"date,kind,name,source\n2031-02-30,swap_off,Nghỉ,Thử\n", 4, RF_EINVAL, 0, 2, "a line is"},
        {"date,kind,name,source\n2031-03-03,swap_off,Nghỉ\n", 4, RF_EINVAL, 0, 2, "a line is"},
        {"date,kind,name,source\n2031-03-03,swap_off,,Thử\n", 4, RF_EINVAL, 0, 2, "a day's name"},
        {"date,kind,name,source\n2031-03-03,swap_off,Nghỉ,\n", 4, RF_EINVAL, 0, 2,
         "a day's source"},
        {"date,kind,name,source\n2031-03-03,swap_off,\"Nghỉ,Thử\n", 4, RF_EINVAL, 0, 3,
         "malformed"},
        {"date,kind,name,source\n2031-03-03,swap_off,N,T\n2031-03-08,makeup,L,T\n", 1, RF_EINVAL, 1,
         3, "more days"},
        {NULL, 4, RF_EINVAL, 0, 2, "a day's name"},
        {NULL, 4, RF_EINVAL, 0, 2, "a day's source"},
        {NULL, 4, RF_OK, 1, 0, NULL},
    };
    struct rf_calendar_day days[4];
    int built = 0;

    (void)state;
    /* a name of 43 three-byte letters (129 bytes), a source of 1024 bytes, a name of 126 bytes */
    for (int i = 0; i < 43; i++)
        memcpy(long_name + 3 * i, "ể", 3);
    long_name[129] = '\0';
    memcpy(whole_name, long_name, 126);
    whole_name[126] = '\0';
    memset(long_source, 's', 1024);
    long_source[1024] = '\0';
    for (size_t i = 0; i < COUNT(cases); i++) {
        const char *why = NULL;
        int n = -1, bad_line = -1, rc;
        if (cases[i].csv) {
            snprintf(text, sizeof(text), "%s", cases[i].csv);
        } else {
            const char *name = built == 0 ? long_name : built == 1 ? "Nghỉ" : whole_name;
            const char *source = built == 1 ? long_source : "Thử";
            snprintf(text, sizeof(text), "date,kind,name,source\n2031-03-03,swap_off,%s,%s\n", name,
                     source);
            built++;
        }
        rc = rf_calendar_csv_read(text, days, cases[i].max, &n, &bad_line, &why);
        if (rc != cases[i].rc || n != cases[i].n ||
            (rc != RF_OK && (bad_line != cases[i].bad_line || !why ||
                             strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)))
            fail_msg("case %zu: rc %d, %d days, line %d, '%s'", i, rc, n, bad_line, why ? why : "");
    }
    /* the last case: a name of 126 bytes, kept whole */
    assert_string_equal(days[0].name, whole_name);
    assert_string_equal(days[0].source, "Thử");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proposal), cmocka_unit_test(test_proposal_every_year),
        cmocka_unit_test(test_check),    cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_csv_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
