/*
 * Working time, precomputed. For each day of the span the build keeps which
 * working hours apply (none on a day off) and two running counts: the working
 * days and the working minutes before it. W(t), the working minutes before an
 * instant, is then one lookup plus the day's periods; the instant at which W
 * reaches a value is a binary search over the days; the Nth working day after
 * a day is one lookup in the list of working days.
 *
 * The rules of counting:
 *   Civil Code 2015, art. 147(1): when a period is counted in days, it starts
 *   on the day after the event (the day of receipt is not counted); art. 148:
 *   it ends at the end of its last day, and a period that ends on a day off
 *   ends on the next working day (a count in working days never ends on one).
 *   Decree 61/2018/ND-CP, art. 19 (as amended by Decree 107/2021/ND-CP) and
 *   Decree 45/2020/ND-CP, art. 14: a dossier received after working hours or
 *   on a day off is taken as received at the start of the next working
 *   period; a procedure may set a later cut-off in the day.
 *   Periods of waiting (for the citizen's additional papers, for financial
 *   obligations) are not counted: the caller gives them as pauses.
 */
#include "worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HOURS 64  /* periods of working hours in one build */
#define MAX_PAUSES 64 /* pauses in one question */

struct rf_worktime {
    int first_year, last_year;
    int64_t base; /* days since 1970-01-01 of 1 January of the first year */
    int ndays;
    uint8_t *sched;   /* per day: 0 off, else 1 + the index of its hours */
    int32_t *wdays;   /* [ndays + 1]: working days before each day */
    int32_t *wmin;    /* [ndays + 1]: working minutes before each day */
    int32_t *nth;     /* [working days]: the day of each working day, in order */
    int32_t nworking; /* working days in the span */
    struct rf_hours hours[MAX_HOURS];
    int nhours;
};

void rf_hours_default(struct rf_hours *h, struct rf_date from)
{
    memset(h, 0, sizeof(*h));
    h->from = from;
    h->n = 2;
    h->start[0] = 7 * 60;
    h->end[0] = 11 * 60 + 30;
    h->start[1] = 13 * 60 + 30;
    h->end[1] = 17 * 60;
}

int rf_hours_check(const struct rf_hours *h)
{
    if (h->n < 1 || h->n > RF_MAX_SESSIONS)
        return RF_EINVAL;
    for (int i = 0; i < h->n; i++) {
        if (h->start[i] < 0 || h->end[i] > RF_MINUTES_PER_DAY || h->start[i] >= h->end[i])
            return RF_EINVAL;
        if (i > 0 && h->start[i] < h->end[i - 1])
            return RF_EINVAL;
    }
    return RF_OK;
}

int rf_worktime_clock(const char *p)
{
    int hh, mm;

    for (int i = 0; i < 5; i++)
        if (i == 2 ? p[i] != ':' : (p[i] < '0' || p[i] > '9'))
            return -1;
    hh = (p[0] - '0') * 10 + (p[1] - '0');
    mm = (p[3] - '0') * 10 + (p[4] - '0');
    if (mm > 59 || hh > 24 || (hh == 24 && mm > 0))
        return -1;
    return hh * 60 + mm;
}

int rf_hours_parse(const char *text, struct rf_hours *h)
{
    const char *p = text;

    h->n = 0;
    while (p && *p) {
        if (h->n == RF_MAX_SESSIONS || strlen(p) < 11 || p[5] != '-')
            return RF_EINVAL;
        h->start[h->n] = rf_worktime_clock(p);
        h->end[h->n] = rf_worktime_clock(p + 6);
        if (h->start[h->n] < 0 || h->end[h->n] < 0)
            return RF_EINVAL;
        h->n++;
        p += 11;
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            return RF_EINVAL;
    }
    return rf_hours_check(h);
}

void rf_hours_format(const struct rf_hours *h, char out[RF_HOURS_TEXT])
{
    size_t at = 0;

    out[0] = '\0';
    for (int i = 0; i < h->n && i < RF_MAX_SESSIONS; i++)
        at += (size_t)snprintf(out + at, RF_HOURS_TEXT - at, "%s%02d:%02d-%02d:%02d", i ? "," : "",
                               h->start[i] / 60 % 100, h->start[i] % 60, h->end[i] / 60 % 100,
                               h->end[i] % 60);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t rf_worktime_local(int64_t epoch)
{
    return floor_div(epoch + RF_PROVINCE_UTC_OFFSET, 60);
}

int64_t rf_worktime_epoch(int64_t local)
{
    return local * 60 - RF_PROVINCE_UTC_OFFSET;
}

int rf_worktime_parse(const char *s, int64_t *out)
{
    char day[11];
    struct rf_date d;
    int hh, mm;

    if (!s || strlen(s) != 16 || s[10] != ' ' || s[13] != ':')
        return RF_EINVAL;
    memcpy(day, s, 10);
    day[10] = '\0';
    if (rf_date_parse(day, &d) != RF_OK)
        return RF_EINVAL;
    for (int i = 11; i < 16; i++)
        if (i != 13 && (s[i] < '0' || s[i] > '9'))
            return RF_EINVAL;
    hh = (s[11] - '0') * 10 + (s[12] - '0');
    mm = (s[14] - '0') * 10 + (s[15] - '0');
    if (hh > 23 || mm > 59)
        return RF_EINVAL;
    *out = rf_date_to_days(d) * RF_MINUTES_PER_DAY + hh * 60 + mm;
    return RF_OK;
}

void rf_worktime_format(int64_t local, char out[17])
{
    int64_t days = floor_div(local, RF_MINUTES_PER_DAY);
    int m = (int)(local - days * RF_MINUTES_PER_DAY);
    char day[11];

    rf_date_format(rf_date_from_days(days), day);
    memcpy(out, day, 10);
    out[10] = ' ';
    out[11] = (char)('0' + m / 600);
    out[12] = (char)('0' + m / 60 % 10);
    out[13] = ':';
    out[14] = (char)('0' + m % 60 / 10);
    out[15] = (char)('0' + m % 10);
    out[16] = '\0';
}

void rf_worktime_free(struct rf_worktime *w)
{
    if (!w)
        return;
    free(w->sched);
    free(w->wdays);
    free(w->wmin);
    free(w->nth);
    free(w);
}

int rf_worktime_first_year(const struct rf_worktime *w)
{
    return w->first_year;
}

int rf_worktime_last_year(const struct rf_worktime *w)
{
    return w->last_year;
}

static int minutes_of(const struct rf_hours *h)
{
    int sum = 0;

    for (int i = 0; i < h->n; i++)
        sum += h->end[i] - h->start[i];
    return sum;
}

int rf_worktime_build(int first_year, int last_year, const struct rf_calendar_day *days, int ndays,
                      const struct rf_hours *hours, int nhours, struct rf_worktime **out)
{
    struct rf_worktime *w;
    int h = 0;

    *out = NULL;
    if (first_year < RF_DATE_MIN_YEAR || last_year > RF_DATE_MAX_YEAR || first_year > last_year ||
        nhours < 1 || nhours > MAX_HOURS || ndays < 0)
        return RF_EINVAL;
    w = calloc(1, sizeof(*w));
    if (!w)
        return RF_EINVAL;
    w->first_year = first_year;
    w->last_year = last_year;
    w->base = rf_date_to_days((struct rf_date){first_year, 1, 1});
    w->ndays = (int)(rf_date_to_days((struct rf_date){last_year + 1, 1, 1}) - w->base);
    /* the working hours, by the day they start */
    memcpy(w->hours, hours, sizeof(*hours) * (size_t)nhours);
    w->nhours = nhours;
    for (int i = 1; i < nhours; i++)
        for (int j = i; j > 0 && rf_date_cmp(w->hours[j - 1].from, w->hours[j].from) > 0; j--) {
            struct rf_hours t = w->hours[j];
            w->hours[j] = w->hours[j - 1];
            w->hours[j - 1] = t;
        }
    for (int i = 0; i < nhours; i++)
        if (rf_hours_check(&w->hours[i]) != RF_OK) {
            rf_worktime_free(w);
            return RF_EINVAL;
        }
    w->sched = calloc((size_t)w->ndays, 1);
    w->wdays = calloc((size_t)w->ndays + 1, sizeof(int32_t));
    w->wmin = calloc((size_t)w->ndays + 1, sizeof(int32_t));
    w->nth = calloc((size_t)w->ndays, sizeof(int32_t));
    if (!w->sched || !w->wdays || !w->wmin || !w->nth) {
        rf_worktime_free(w);
        return RF_EINVAL;
    }
    /* Monday to Friday, 1 January of the first year being day 0 */
    for (int i = 0; i < w->ndays; i++)
        w->sched[i] = rf_date_weekday(rf_date_from_days(w->base + i)) <= 5;
    /* then each year's exceptions */
    for (int i = 0; i < ndays; i++) {
        int64_t at = rf_date_to_days(days[i].date) - w->base;
        if (at >= 0 && at < w->ndays)
            w->sched[at] = days[i].kind == RF_DAY_MAKEUP;
    }
    /* the hours of each working day, the running counts and the list of working days */
    for (int i = 0; i < w->ndays; i++) {
        int64_t day = w->base + i;
        while (h + 1 < nhours && rf_date_to_days(w->hours[h + 1].from) <= day)
            h++;
        w->wdays[i + 1] = w->wdays[i];
        w->wmin[i + 1] = w->wmin[i];
        if (w->sched[i]) {
            w->sched[i] = (uint8_t)(1 + h);
            w->nth[w->nworking++] = i;
            w->wdays[i + 1]++;
            w->wmin[i + 1] += minutes_of(&w->hours[h]);
        }
    }
    *out = w;
    return RF_OK;
}

int rf_worktime_is_working(const struct rf_worktime *w, struct rf_date d)
{
    int64_t i = rf_date_to_days(d) - w->base;

    if (i < 0 || i >= w->ndays)
        return RF_EINVAL;
    return w->sched[i] != 0;
}

int rf_worktime_add_days(const struct rf_worktime *w, struct rf_date d, int n, struct rf_date *out)
{
    int64_t i = rf_date_to_days(d) - w->base, k;

    if (i < 0 || i >= w->ndays || n < 0)
        return RF_EINVAL;
    if (n == 0) {
        *out = d;
        return RF_OK;
    }
    k = w->wdays[i + 1] + n; /* the number of the working day wanted, from 1 */
    if (k > w->nworking)
        return RF_EINVAL;
    *out = rf_date_from_days(w->base + w->nth[k - 1]);
    return RF_OK;
}

/* Working minutes of day 'd' before minute 'm' of it. */
static int within(const struct rf_worktime *w, int64_t d, int m)
{
    const struct rf_hours *h;
    int sum = 0;

    if (!w->sched[d])
        return 0;
    h = &w->hours[w->sched[d] - 1];
    for (int i = 0; i < h->n && m > h->start[i]; i++)
        sum += (m < h->end[i] ? m : h->end[i]) - h->start[i];
    return sum;
}

int rf_worktime_in_hours(const struct rf_worktime *w, int64_t t)
{
    int64_t d = floor_div(t, RF_MINUTES_PER_DAY) - w->base;
    const struct rf_hours *h;
    int m;

    if (d < 0 || d >= w->ndays)
        return RF_EINVAL;
    if (!w->sched[d])
        return 0;
    h = &w->hours[w->sched[d] - 1];
    m = (int)(t - (w->base + d) * RF_MINUTES_PER_DAY);
    for (int i = 0; i < h->n; i++)
        if (m > h->start[i] && m <= h->end[i])
            return 1;
    return 0;
}

/* W(t): the working minutes of the span before local instant 't'. */
static int at_w(const struct rf_worktime *w, int64_t t, int64_t *out)
{
    int64_t d = floor_div(t, RF_MINUTES_PER_DAY) - w->base;
    int m;

    if (d < 0 || d > w->ndays)
        return RF_EINVAL;
    if (d == w->ndays) {
        if (t != (w->base + d) * RF_MINUTES_PER_DAY)
            return RF_EINVAL;
        *out = w->wmin[d];
        return RF_OK;
    }
    m = (int)(t - (w->base + d) * RF_MINUTES_PER_DAY);
    *out = w->wmin[d] + within(w, d, m);
    return RF_OK;
}

/* The first instant at which W reaches 'target'. */
static int instant_of(const struct rf_worktime *w, int64_t target, int64_t *out)
{
    const struct rf_hours *h;
    int lo = 0, hi = w->ndays - 1;
    int64_t r;

    if (target <= 0) {
        *out = w->base * RF_MINUTES_PER_DAY;
        return RF_OK;
    }
    if (target > w->wmin[w->ndays])
        return RF_EINVAL; /* beyond the last day of the span */
    while (lo < hi) {     /* the first day by whose end W reaches the target */
        int mid = lo + (hi - lo) / 2;
        if (w->wmin[mid + 1] >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    r = target - w->wmin[lo];
    h = &w->hours[w->sched[lo] - 1];
    for (int i = 0; i < h->n; i++) {
        int len = h->end[i] - h->start[i];
        if (r <= len) {
            *out = (w->base + lo) * RF_MINUTES_PER_DAY + h->start[i] + r;
            return RF_OK;
        }
        r -= len;
    }
    return RF_EINVAL; /* not reached: the day's minutes cover r */
}

/* Pauses sorted by start, the overlapping ones merged; the count, or RF_EINVAL. */
static int merge_pauses(const struct rf_pause *in, int n, struct rf_pause out[MAX_PAUSES])
{
    int m = 0;

    if (n < 0 || n > MAX_PAUSES)
        return RF_EINVAL;
    for (int i = 0; i < n; i++) {
        if (in[i].to < in[i].from)
            return RF_EINVAL;
        out[i] = in[i];
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && out[j - 1].from > out[j].from; j--) {
            struct rf_pause t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        if (m > 0 && out[i].from <= out[m - 1].to) {
            if (out[i].to > out[m - 1].to)
                out[m - 1].to = out[i].to;
        } else {
            out[m++] = out[i];
        }
    }
    return m;
}

int rf_worktime_due(const struct rf_worktime *w, int64_t at, const struct rf_allowance *a,
                    int cutoff, const struct rf_pause *pauses, int npauses, int64_t *due)
{
    struct rf_pause p[MAX_PAUSES];
    int64_t d = floor_div(at, RF_MINUTES_PER_DAY) - w->base, start, target;
    int m, np, counts_today;

    if (d < 0 || d >= w->ndays || (a->days <= 0 && a->minutes <= 0) || a->days < 0 ||
        cutoff >= RF_MINUTES_PER_DAY)
        return RF_EINVAL;
    np = merge_pauses(pauses, npauses, p);
    if (np < 0)
        return RF_EINVAL;
    m = (int)(at - (w->base + d) * RF_MINUTES_PER_DAY);
    counts_today = w->sched[d] && (cutoff < 0 || m < cutoff);
    if (a->days > 0) {
        const struct rf_hours *h;
        int64_t k, day;
        /* the day of receipt: today when received before its end (and the cut-off) */
        if (counts_today && m >= w->hours[w->sched[d] - 1].end[w->hours[w->sched[d] - 1].n - 1])
            counts_today = 0;
        k = counts_today ? w->wdays[d + 1] : w->wdays[d + 1] + 1; /* its number, from 1 */
        k += a->days;                                             /* the due day's */
        if (k > w->nworking)
            return RF_EINVAL;
        day = w->nth[k - 1];
        h = &w->hours[w->sched[day] - 1];
        *due = (w->base + day) * RF_MINUTES_PER_DAY + h->end[h->n - 1];
        if (!counts_today) /* the receipt counts from the next working day's first period */
            start = w->wmin[w->nth[k - 1 - a->days]];
        else if (at_w(w, at, &start) != RF_OK)
            return RF_EINVAL;
        target = w->wmin[day + 1];
    } else {
        if (counts_today) {
            if (at_w(w, at, &start) != RF_OK)
                return RF_EINVAL;
        } else {
            start = w->wmin[d + 1];
        }
        target = start + a->minutes;
        if (instant_of(w, target, due) != RF_OK)
            return RF_EINVAL;
    }
    /* pauses after the receipt move the due time by the working time inside them */
    for (int i = 0; i < np && p[i].from < *due; i++) {
        int64_t from, to;
        if (at_w(w, p[i].from < at ? at : p[i].from, &from) != RF_OK ||
            at_w(w, p[i].to, &to) != RF_OK)
            return RF_EINVAL;
        if (from < start)
            from = start;
        if (to <= from)
            continue;
        target += to - from;
        if (instant_of(w, target, due) != RF_OK)
            return RF_EINVAL;
    }
    return RF_OK;
}

int rf_worktime_between(const struct rf_worktime *w, int64_t a, int64_t b,
                        const struct rf_pause *pauses, int npauses, int64_t *minutes)
{
    struct rf_pause p[MAX_PAUSES];
    int64_t lo = a < b ? a : b, hi = a < b ? b : a, wa, wb, sum;
    int np = merge_pauses(pauses, npauses, p);

    if (np < 0 || at_w(w, lo, &wa) != RF_OK || at_w(w, hi, &wb) != RF_OK)
        return RF_EINVAL;
    sum = wb - wa;
    for (int i = 0; i < np; i++) {
        int64_t from = p[i].from < lo ? lo : p[i].from, to = p[i].to > hi ? hi : p[i].to, wf, wt;
        if (to <= from)
            continue;
        if (at_w(w, from, &wf) != RF_OK || at_w(w, to, &wt) != RF_OK)
            return RF_EINVAL;
        sum -= wt - wf;
    }
    *minutes = a <= b ? sum : -sum;
    return RF_OK;
}
