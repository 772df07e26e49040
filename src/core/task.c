/*
 * Reform tasks (nhiem vu, DESIGN.md capability 1): on any date a task is
 * exactly one of done on time, done late, in progress, overdue or without a
 * deadline. Lateness is judged against the deadline in force on the day the
 * task was completed, so an extension granted before completion counts and
 * one granted after does not. Also the two completion rates the steering
 * committee reads, in basis points computed with integers only (DESIGN.md,
 * "Known pitfalls": percentages as integers, formatted).
 */
#include "task.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[RF_TASK_STATUS_COUNT] = {
    "done_on_time", "done_late", "in_progress", "overdue", "no_deadline",
};

const char *rf_task_status_name(enum rf_task_status s)
{
    return (unsigned)s < RF_TASK_STATUS_COUNT ? status_names[s] : "unknown";
}

int rf_task_status_parse(const char *name, enum rf_task_status *out)
{
    for (int s = 0; s < RF_TASK_STATUS_COUNT; s++) {
        if (name && strcmp(name, status_names[s]) == 0) {
            *out = (enum rf_task_status)s;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}

/*
 * The change in force on 'on': the last one set on or before it. The first
 * change is set at assignment, so none set yet means a date before
 * assignment; the first change then stands. NULL when there is no history.
 */
static const struct rf_deadline_change *change_on(const struct rf_task_facts *t, struct rf_date on)
{
    const struct rf_deadline_change *in_force = NULL;

    if (!t->deadlines || t->ndeadlines <= 0)
        return NULL;
    for (int i = 0; i < t->ndeadlines; i++)
        if (rf_date_cmp(t->deadlines[i].set_on, on) <= 0)
            in_force = &t->deadlines[i];
    return in_force ? in_force : &t->deadlines[0];
}

int rf_task_deadline_on(const struct rf_task_facts *t, struct rf_date on, struct rf_date *out)
{
    const struct rf_deadline_change *c = change_on(t, on);

    if (!c || !c->has_deadline)
        return 0;
    if (out)
        *out = c->deadline;
    return 1;
}

enum rf_task_status rf_task_status_on(const struct rf_task_facts *t, struct rf_date on)
{
    struct rf_date deadline;

    if (rf_date_cmp(on, t->assigned_on) < 0)
        return RF_TASK_NOT_ASSIGNED;
    if (t->completed && rf_date_cmp(t->completed_on, on) <= 0) {
        /* judged against the deadline in force on the completion day, which itself is on time;
         * a task without a deadline then cannot be late */
        if (!rf_task_deadline_on(t, t->completed_on, &deadline) ||
            rf_date_cmp(t->completed_on, deadline) <= 0)
            return RF_TASK_DONE_ON_TIME;
        return RF_TASK_DONE_LATE;
    }
    if (!rf_task_deadline_on(t, on, &deadline))
        return RF_TASK_NO_DEADLINE;
    /* the deadline day itself is still within the deadline */
    return rf_date_cmp(on, deadline) <= 0 ? RF_TASK_IN_PROGRESS : RF_TASK_OVERDUE;
}

int rf_task_due_on(const struct rf_task_facts *t, struct rf_date on)
{
    struct rf_date deadline;

    return rf_task_deadline_on(t, on, &deadline) && rf_date_cmp(deadline, on) <= 0;
}

void rf_task_tally_init(struct rf_task_tally *t)
{
    *t = (struct rf_task_tally){0};
}

void rf_task_tally_add(struct rf_task_tally *tally, const struct rf_task_facts *t,
                       struct rf_date on)
{
    enum rf_task_status s = rf_task_status_on(t, on);
    int done = s == RF_TASK_DONE_ON_TIME || s == RF_TASK_DONE_LATE;

    if (s == RF_TASK_NOT_ASSIGNED)
        return;
    tally->by_status[s]++;
    tally->assigned++;
    tally->completed += done;
    /* the Government Office's rate: completed among the tasks already due */
    if (rf_task_due_on(t, on)) {
        tally->due++;
        tally->completed_due += done;
    }
}

#define BP_PER_UNIT 10000 /* basis points in 100% */

/*
 * round(r * BP_PER_UNIT / den), halves up, for 0 <= r < den. The product is
 * never formed: it is built bit by bit as a quotient and a remainder below
 * 'den', so no step overflows for any int64_t 'den'.
 */
static int64_t fraction_bp(int64_t r, int64_t den)
{
    int64_t q = 0, rem = 0; /* q * den + rem == r * (bits of BP_PER_UNIT read so far) */

    for (int bit = 13; bit >= 0; bit--) { /* BP_PER_UNIT < 2^14 */
        q *= 2;
        if (rem >= den - rem) {
            rem -= den - rem;
            q++;
        } else {
            rem += rem;
        }
        if ((BP_PER_UNIT >> bit) & 1) {
            if (rem >= den - r) {
                rem -= den - r;
                q++;
            } else {
                rem += r;
            }
        }
    }
    return rem >= den - rem ? q + 1 : q; /* a remainder of half or more rounds up */
}

int64_t rf_rate_bp(int64_t num, int64_t den)
{
    int64_t whole;

    if (den <= 0 || num <= 0)
        return 0;
    whole = num / den;
    if (whole > INT64_MAX / BP_PER_UNIT - 1)
        return INT64_MAX; /* a rate past 9e14 times over is no rate anyone reads */
    return whole * BP_PER_UNIT + fraction_bp(num % den, den);
}

void rf_rate_format(int64_t bp, char out[16])
{
    uint64_t magnitude = bp < 0 ? -(uint64_t)bp : (uint64_t)bp;
    char text[32]; /* room for any int64_t, then cut to the caller's 16 bytes */
    int len = snprintf(text, sizeof(text), "%s%" PRIu64 ".%02" PRIu64, bp < 0 ? "-" : "",
                       magnitude / 100, magnitude % 100);

    if (len < 0)
        len = 0;
    if (len > 15)
        len = 15;
    memcpy(out, text, (size_t)len);
    out[len] = '\0';
}

const char *const rf_task_bodies[] = {
    "government",      "prime_minister",     "ministry",
    "party_committee", "people_council",     "people_committee",
    "chairman",        "steering_committee", NULL,
};

/* Resolution 76/NQ-CP (2021), the six reform areas, with steering and direction first */
const char *const rf_task_fields[] = {
    "direction",     "institutions",   "procedures",         "apparatus",
    "civil_service", "public_finance", "digital_government", NULL,
};

static int known(const char *const *names, const char *name)
{
    for (; name && *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}

int rf_task_body_known(const char *name)
{
    return known(rf_task_bodies, name);
}

int rf_task_field_known(const char *name)
{
    return known(rf_task_fields, name);
}
