/*
 * Civil date arithmetic on the proleptic Gregorian calendar, using the
 * days-from-civil algorithm (era of 400 years = 146097 days).
 */
#include "date.h"

#include <string.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int rf_date_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    return days[month - 1] + (month == 2 && is_leap(year));
}

int rf_digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int rf_date_parse(const char *s, struct rf_date *out)
{
    struct rf_date d;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return RF_EINVAL;
    if (rf_digits(s, 4, &d.year) || rf_digits(s + 5, 2, &d.month) || rf_digits(s + 8, 2, &d.day))
        return RF_EINVAL;
    if (d.year < RF_DATE_MIN_YEAR || d.year > RF_DATE_MAX_YEAR)
        return RF_EINVAL;
    if (d.day < 1 || d.day > rf_date_days_in_month(d.year, d.month))
        return RF_EINVAL;
    *out = d;
    return RF_OK;
}

/* Write 'v' as 'n' digits with leading zeros. */
void rf_put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void rf_date_format(struct rf_date d, char out[11])
{
    rf_put_digits(out, (unsigned)d.year, 4);
    out[4] = '-';
    rf_put_digits(out + 5, (unsigned)d.month, 2);
    out[7] = '-';
    rf_put_digits(out + 8, (unsigned)d.day, 2);
    out[10] = '\0';
}

int64_t rf_date_to_days(struct rf_date d)
{
    int64_t y = d.year - (d.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

struct rf_date rf_date_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    struct rf_date d;

    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

int rf_date_cmp(struct rf_date a, struct rf_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

struct rf_date rf_date_of_instant(int64_t epoch, int utc_offset)
{
    return rf_date_from_days(floor_div(epoch + utc_offset, 86400));
}

void rf_instant_format(int64_t epoch, char out[21])
{
    int64_t days = floor_div(epoch, 86400);
    int64_t secs = epoch - days * 86400;
    struct rf_date d = rf_date_from_days(days);

    rf_date_format(d, out);
    out[10] = 'T';
    rf_put_digits(out + 11, (unsigned)(secs / 3600), 2);
    out[13] = ':';
    rf_put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
    out[16] = ':';
    rf_put_digits(out + 17, (unsigned)(secs % 60), 2);
    out[19] = 'Z';
    out[20] = '\0';
}

int rf_date_weekday(struct rf_date d)
{
    /* 1970-01-01 was a Thursday (4) */
    int64_t days = rf_date_to_days(d);
    int64_t w = ((days % 7) + 7 + 3) % 7; /* 0 Monday */

    return (int)w + 1;
}

int rf_date_check(const char *text, const char *field, int required, char out[11],
                  struct rf_error *err)
{
    struct rf_date d;

    out[0] = '\0';
    if (!text || !*text)
        return required ? rf_error_set(err, RF_EINVAL, field, "required", "'%s' is required", field)
                        : RF_OK;
    if (rf_date_parse(text, &d) != RF_OK)
        return rf_error_set(err, RF_EINVAL, field, "date", "'%s' is a date YYYY-MM-DD", field);
    rf_date_format(d, out);
    return RF_OK;
}
