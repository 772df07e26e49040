/*
 * The Labour Code's holidays as a default proposal for a year, and the check
 * of an announced year. Sources:
 *   Labour Code 2019 (Law 45/2019/QH14), art. 112(1): New Year (1 day, 1/1),
 *   Tết (5 days), Victory Day (1 day, 30/4), Labour Day (1 day, 1/5), National
 *   Day (2 days, 2/9 and one day before or after it), Hùng Kings' death
 *   anniversary (1 day, 10/3 lunar); art. 112(3): the Prime Minister decides
 *   the days of Tết and the day next to National Day;
 *   art. 111(3): a holiday that falls on a weekly rest day is made up on the
 *   next working day (and so is one that falls on another holiday, as
 *   Hùng Kings' day can on 30 April);
 *   Decree 145/2020/ND-CP and the weekly rest of civil servants on Saturday
 *   and Sunday (Decision 188/1999/QD-TTg).
 */
#include "calendar.h"

#include "lunar.h"
#include "text.h"
#include "../common/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[RF_DAY_KINDS] = {"holiday", "compensation", "swap_off",
                                                     "makeup"};

const char *rf_day_kind_name(enum rf_day_kind kind)
{
    return kind >= 0 && kind < RF_DAY_KINDS ? kind_names[kind] : "?";
}

int rf_day_kind_parse(const char *name, enum rf_day_kind *out)
{
    for (int i = 0; name && i < RF_DAY_KINDS; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (enum rf_day_kind)i;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}

static int rest_day(struct rf_date d)
{
    return rf_date_weekday(d) >= 6;
}

static struct rf_date plus(struct rf_date d, int days)
{
    return rf_date_from_days(rf_date_to_days(d) + days);
}

/* A statutory holiday, before compensation; on a rest day it is not a day off of its own. */
struct statutory {
    struct rf_date date;
    const char *name;
    int made_up; /* on a rest day, or on the day of another holiday */
};

#define ART_112 "Bộ luật Lao động 2019, Điều 112"
#define ART_111 "Bộ luật Lao động 2019, Điều 111 khoản 3"

static int add_statutory(struct statutory *h, int n, struct rf_date d, const char *name)
{
    h[n].date = d;
    h[n].name = name;
    return n + 1;
}

static int taken(const struct rf_calendar_day *out, int n, struct rf_date d)
{
    for (int i = 0; i < n; i++)
        if (rf_date_cmp(out[i].date, d) == 0)
            return 1;
    return 0;
}

static void put(struct rf_calendar_day *day, struct rf_date d, enum rf_day_kind kind,
                const char *name, const char *source)
{
    day->date = d;
    day->kind = kind;
    snprintf(day->name, sizeof(day->name), "%s", name);
    snprintf(day->source, sizeof(day->source), "%s", source);
}

int rf_calendar_proposal(int year, struct rf_calendar_day out[RF_CALENDAR_MAX_DAYS])
{
    struct statutory h[16];
    struct rf_lunar_date tet_l = {year, 1, 1, 0}, hung_l = {year, 3, 10, 0};
    struct rf_date tet, hung, national = {year, 9, 2}, before = {year, 9, 1};
    int nh = 0, n = 0;

    if (year <= RF_DATE_MIN_YEAR || year > RF_DATE_MAX_YEAR)
        return RF_EINVAL;
    if (rf_lunar_to_solar(tet_l, &tet) != RF_OK || rf_lunar_to_solar(hung_l, &hung) != RF_OK)
        return RF_EINVAL;
    /* art. 112(1)(a): 1 January */
    nh = add_statutory(h, nh, (struct rf_date){year, 1, 1}, "Tết Dương lịch");
    /* art. 112(1)(b): five days of Tết; the default is the old year's last day and four more */
    for (int i = -1; i < 4; i++)
        nh = add_statutory(h, nh, plus(tet, i), "Tết Nguyên đán");
    /* art. 112(1)(đ): 10 March of the lunar calendar */
    nh = add_statutory(h, nh, hung, "Giỗ Tổ Hùng Vương");
    /* art. 112(1)(c), (d): 30 April and 1 May */
    nh = add_statutory(h, nh, (struct rf_date){year, 4, 30}, "Ngày Chiến thắng");
    nh = add_statutory(h, nh, (struct rf_date){year, 5, 1}, "Ngày Quốc tế Lao động");
    /* art. 112(1)(e): 2 September and the day before it, or after it when that is a rest day */
    if (rest_day(before))
        before = (struct rf_date){year, 9, 3};
    if (rf_date_cmp(before, national) < 0) {
        nh = add_statutory(h, nh, before, "Quốc khánh");
        nh = add_statutory(h, nh, national, "Quốc khánh");
    } else {
        nh = add_statutory(h, nh, national, "Quốc khánh");
        nh = add_statutory(h, nh, before, "Quốc khánh");
    }

    /* the holidays on weekdays are days off of their own; two on one day leave one to make up */
    for (int i = 0; i < nh; i++) {
        h[i].made_up = rest_day(h[i].date) || taken(out, n, h[i].date);
        if (!h[i].made_up)
            put(&out[n++], h[i].date, RF_DAY_HOLIDAY, h[i].name, ART_112);
    }
    /* art. 111(3): each holiday on a rest day is made up on the next working day */
    for (int i = 0; i < nh; i++) {
        struct rf_date d = h[i].date;
        char name[RF_DAY_NAME_BYTES];
        if (!h[i].made_up)
            continue;
        do
            d = plus(d, 1);
        while (rest_day(d) || taken(out, n, d));
        if (d.year != year)
            continue; /* made up in the next year: that year's calendar says so */
        snprintf(name, sizeof(name), "Nghỉ bù %s", h[i].name);
        put(&out[n++], d, RF_DAY_COMPENSATION, name, ART_111);
    }
    /* in date order */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && rf_date_cmp(out[j - 1].date, out[j].date) > 0; j--) {
            struct rf_calendar_day t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

/* Text to show on the calendar page and in JSON: UTF-8, without control characters. */
static int text_ok(const char *s)
{
    char *nfc = NULL;
    int ok = rf_text_nfc(s, &nfc) == RF_OK;

    free(nfc);
    return ok;
}

int rf_calendar_check(int year, const struct rf_calendar_day *days, int n, int *bad,
                      const char **why)
{
    if (n < 0 || n > RF_CALENDAR_MAX_DAYS) {
        *bad = n < 0 ? 0 : RF_CALENDAR_MAX_DAYS;
        *why = "too many days in one year";
        return RF_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        const struct rf_calendar_day *d = &days[i];
        *bad = i;
        if (d->date.year != year) {
            *why = "the day is not in the year";
            return RF_EINVAL;
        }
        if (d->kind < 0 || d->kind >= RF_DAY_KINDS) {
            *why = "unknown kind of day";
            return RF_EINVAL;
        }
        if (d->kind == RF_DAY_MAKEUP && !rest_day(d->date)) {
            *why = "a make-up working day is a Saturday or a Sunday";
            return RF_EINVAL;
        }
        if (d->kind != RF_DAY_MAKEUP && rest_day(d->date)) {
            *why = "a day off listed here is a weekday: Saturdays and Sundays are off already";
            return RF_EINVAL;
        }
        if (!d->name[0]) {
            *why = "the day needs a name";
            return RF_EINVAL;
        }
        if (!d->source[0]) {
            *why = "the day needs its source";
            return RF_EINVAL;
        }
        if (!text_ok(d->name) || !text_ok(d->source)) {
            *why = "a day's name and source are UTF-8 text without control characters";
            return RF_EINVAL;
        }
        for (int j = 0; j < i; j++)
            if (rf_date_cmp(days[j].date, d->date) == 0) {
                *why = "the date is listed twice";
                return RF_EINVAL;
            }
    }
    return RF_OK;
}

int rf_calendar_csv_read(const char *csv, struct rf_calendar_day *days, int max, int *n,
                         int *bad_line, const char **why)
{
    struct rf_csv c;
    int rc;

    *n = 0;
    *bad_line = 1;
    rf_csv_init(&c, csv);
    rc = rf_csv_next(&c);
    if (rc != 1 || c.nfields != 4 || strcmp(c.field[0], "date") != 0 ||
        strcmp(c.field[1], "kind") != 0 || strcmp(c.field[2], "name") != 0 ||
        strcmp(c.field[3], "source") != 0) {
        *why = "the first line is date,kind,name,source";
        rc = RF_EINVAL;
        goto out;
    }
    while ((rc = rf_csv_next(&c)) == 1) {
        struct rf_calendar_day *d = &days[*n];
        *bad_line = c.line;
        if (c.nfields == 1 && !c.field[0][0])
            continue;
        if (*n == max) {
            *why = "more days than a year's announcement lists";
            break;
        }
        memset(d, 0, sizeof(*d));
        if (c.nfields != 4 || rf_date_parse(c.field[0], &d->date) != RF_OK ||
            rf_day_kind_parse(c.field[1], &d->kind) != RF_OK) {
            *why = "a line is a date YYYY-MM-DD, a kind (holiday, compensation, swap_off, "
                   "makeup), a name and a source";
            break;
        }
        /* kept whole: a name cut short would be another name, or not even UTF-8 */
        _Static_assert(RF_DAY_NAME_BYTES == 128 && RF_DAY_SOURCE_BYTES == 1024,
                       "the reasons below give the lengths");
        if (!c.field[2][0] || strlen(c.field[2]) >= sizeof(d->name)) {
            *why = "a day's name has 1 to 127 bytes";
            break;
        }
        if (!c.field[3][0] || strlen(c.field[3]) >= sizeof(d->source)) {
            *why = "a day's source has 1 to 1023 bytes";
            break;
        }
        memcpy(d->name, c.field[2], strlen(c.field[2]) + 1);
        memcpy(d->source, c.field[3], strlen(c.field[3]) + 1);
        (*n)++;
    }
    if (rc < 0) {
        *bad_line = c.next_line;
        *why = "malformed CSV: an unclosed quote, text after a closing quote or too many fields";
    }
    rc = rc == 0 ? RF_OK : RF_EINVAL;
out:
    rf_csv_cleanup(&c);
    return rc;
}
