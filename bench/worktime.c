/*
 * Due-time computations per second on one core, for random receipts over
 * 2000-2100 on the Labour Code's calendar with the default working hours:
 * half of them in working days (1 to 30), half in working minutes (1 to 80
 * hours), one in ten with a 15:00 cut-off. Beside it, in the same run and on
 * the same inputs, the reference a calendar without running counts would
 * use: a walk from day to day. Both must give the same due times (their
 * checksums are compared).
 *
 *   build/bench_worktime [N] [ROUNDS]     (defaults 2,000,000 and 5)
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/core/worktime.h"

#define FIRST 2000
#define LAST 2100

struct input {
    int64_t at;
    struct rf_allowance a;
    int cutoff;
};

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the reference: day by day ---- */

static const int start[2] = {7 * 60, 13 * 60 + 30}, end[2] = {11 * 60 + 30, 17 * 60};

static int working(const struct rf_worktime *w, int64_t day)
{
    return rf_worktime_is_working(w, rf_date_from_days(day)) == 1;
}

static int64_t walk(const struct rf_worktime *w, const struct input *in)
{
    int64_t day = in->at / RF_MINUTES_PER_DAY;
    int m = (int)(in->at % RF_MINUTES_PER_DAY);

    if (!working(w, day) || (in->cutoff >= 0 && m >= in->cutoff) ||
        (in->a.days > 0 && m >= end[1])) {
        do
            day++;
        while (!working(w, day));
        m = 0;
    }
    if (in->a.days > 0) {
        for (int n = in->a.days; n > 0;) {
            day++;
            n -= working(w, day);
        }
        return day * RF_MINUTES_PER_DAY + end[1];
    }
    for (int64_t left = in->a.minutes;; m = 0) {
        while (!working(w, day))
            day++;
        for (int i = 0; i < 2; i++) {
            int from = m > start[i] ? m : start[i];
            if (from >= end[i])
                continue;
            if (left <= end[i] - from)
                return day * RF_MINUTES_PER_DAY + from + left;
            left -= end[i] - from;
        }
        day++;
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The count in 'text' (decimal, nothing after it, within int), or -1 when it is none. */
static int count_of(const char *text)
{
    char *rest;
    long v;

    errno = 0;
    v = strtol(text, &rest, 10);
    if (errno || rest == text || *rest || v < INT_MIN || v > INT_MAX)
        return -1;
    return (int)v;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? count_of(argv[1]) : 2000000, rounds = argc > 2 ? count_of(argv[2]) : 5;
    struct rf_calendar_day *days = calloc((LAST - FIRST + 1) * RF_CALENDAR_MAX_DAYS, sizeof(*days));
    struct input *in = calloc((size_t)n, sizeof(*in));
    double fast[16], slow[16], t;
    struct rf_worktime *w;
    struct rf_hours hours;
    int64_t span, first, ndays = 0, due;
    uint64_t sum_fast = 0, sum_slow = 0;

    if (n < 1 || rounds < 1 || rounds > 16 || !days || !in) {
        fprintf(stderr, "usage: bench_worktime [N >= 1] [ROUNDS 1..16]\n");
        return 2;
    }
    t = now();
    for (int y = FIRST; y <= LAST; y++) {
        int k = rf_calendar_proposal(y, days + ndays);
        if (k < 0)
            return 1;
        ndays += k;
    }
    rf_hours_default(&hours, (struct rf_date){FIRST, 1, 1});
    if (rf_worktime_build(FIRST, LAST, days, (int)ndays, &hours, 1, &w) != RF_OK)
        return 1;
    printf("built the tables for %d-%d (%lld days off or worked from %d proposals) in %.1f ms\n",
           FIRST, LAST, (long long)ndays, LAST - FIRST + 1, (now() - t) * 1e3);

    /* receipts up to the middle of 2099, so that every due time falls within the span */
    first = rf_date_to_days((struct rf_date){FIRST, 1, 1}) * RF_MINUTES_PER_DAY;
    span = rf_date_to_days((struct rf_date){LAST - 1, 7, 1}) * RF_MINUTES_PER_DAY - first;
    for (int i = 0; i < n; i++) {
        in[i].at = first + (int64_t)(next() % (uint64_t)span);
        if (next() % 2)
            in[i].a.days = 1 + (int)(next() % 30);
        else
            in[i].a.minutes = 1 + (int64_t)(next() % 4800);
        in[i].cutoff = next() % 10 == 0 ? 15 * 60 : -1;
    }

    for (int r = 0; r < rounds; r++) {
        uint64_t sum = 0;
        t = now();
        for (int i = 0; i < n; i++) {
            if (rf_worktime_due(w, in[i].at, &in[i].a, in[i].cutoff, NULL, 0, &due) != RF_OK)
                return 1;
            sum += (uint64_t)due;
        }
        fast[r] = n / (now() - t);
        sum_fast = sum;
        sum = 0;
        t = now();
        for (int i = 0; i < n; i++)
            sum += (uint64_t)walk(w, &in[i]);
        slow[r] = n / (now() - t);
        sum_slow = sum;
        printf("round %d: precomputed %.2f M/s, day by day %.2f M/s\n", r + 1, fast[r] / 1e6,
               slow[r] / 1e6);
    }
    if (sum_fast != sum_slow) {
        fprintf(stderr, "the two disagree: checksums %llu and %llu\n", (unsigned long long)sum_fast,
                (unsigned long long)sum_slow);
        return 1;
    }
    qsort(fast, (size_t)rounds, sizeof(double), cmp);
    qsort(slow, (size_t)rounds, sizeof(double), cmp);
    printf("medians over %d rounds of %d: precomputed %.2f M/s, day by day %.2f M/s: %.1fx;"
           " same due times (checksum %llu)\n",
           rounds, n, fast[rounds / 2] / 1e6, slow[rounds / 2] / 1e6,
           fast[rounds / 2] / slow[rounds / 2], (unsigned long long)sum_fast);
    printf("target: 5 M/s on one core: %s\n", fast[rounds / 2] >= 5e6 ? "met" : "NOT met");
    rf_worktime_free(w);
    free(days);
    free(in);
    return 0;
}
