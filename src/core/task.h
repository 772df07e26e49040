/*
 * Reform tasks (nhiem vu): the status of a task on a date and the completion
 * rates the steering committee reads. Pure: the caller passes the task's
 * dates and its deadline history.
 */
#ifndef RF_TASK_H
#define RF_TASK_H

#include <stdint.h>

#include "../common/err.h"
#include "date.h"

/* On any date a task is exactly one of these (or not yet assigned). */
enum rf_task_status {
    RF_TASK_DONE_ON_TIME,
    RF_TASK_DONE_LATE,
    RF_TASK_IN_PROGRESS, /* not done, deadline not passed */
    RF_TASK_OVERDUE,     /* not done, deadline passed */
    RF_TASK_NO_DEADLINE, /* not done, a standing task without a deadline */
    RF_TASK_STATUS_COUNT,
    RF_TASK_NOT_ASSIGNED = RF_TASK_STATUS_COUNT, /* assigned after the date asked about */
};

/*
 * A deadline set or changed on 'set_on': the first entry is the deadline
 * given at assignment (set_on = the assignment date); each later one is an
 * extension by the assigner. has_deadline = 0 makes it a standing task.
 */
struct rf_deadline_change {
    struct rf_date set_on;
    int has_deadline;
    struct rf_date deadline;
};

struct rf_task_facts {
    struct rf_date assigned_on;
    int completed; /* 1 when completed_on is set */
    struct rf_date completed_on;
    const struct rf_deadline_change *deadlines; /* oldest first, at least one */
    int ndeadlines;
};

/*
 * Assigning bodies (co quan giao nhiem vu): government, prime_minister,
 * ministry, party_committee, people_council, people_committee, chairman,
 * steering_committee. Reform fields, the directions of the master programme
 * of state administrative reform 2021-2030 (Resolution 76/NQ-CP): direction,
 * institutions, procedures, apparatus, civil_service, public_finance,
 * digital_government. Each returns 1 for a known name.
 */
int rf_task_body_known(const char *name);
int rf_task_field_known(const char *name);

/* The known names in order, NULL-terminated, for listing and messages. */
extern const char *const rf_task_bodies[];
extern const char *const rf_task_fields[];

/* API name of a status: "done_on_time", "done_late", "in_progress", "overdue", "no_deadline". */
const char *rf_task_status_name(enum rf_task_status s);
int rf_task_status_parse(const char *name, enum rf_task_status *out) RF_MUST_CHECK;

/*
 * The deadline in force on 'on': the last change set on or before it (before
 * the first change, the first applies). Returns 1 and '*out' when there is
 * one, 0 for none (a standing task).
 */
int rf_task_deadline_on(const struct rf_task_facts *t, struct rf_date on, struct rf_date *out);

/*
 * Status of 't' on 'on'. A task completed on its deadline day is on time;
 * lateness is judged against the deadline in force on the day it was
 * completed, so a later extension does not excuse it. A completed task
 * without a deadline is done on time.
 */
enum rf_task_status rf_task_status_on(const struct rf_task_facts *t, struct rf_date on);

/*
 * Whether 't' was already due on 'on': it had a deadline in force then, and
 * that deadline is on or before 'on'. The Government Office's rate divides
 * the completed among these by their count.
 */
int rf_task_due_on(const struct rf_task_facts *t, struct rf_date on);

/* Counts of tasks by status on one date, and the two completion rates. */
struct rf_task_tally {
    int64_t by_status[RF_TASK_STATUS_COUNT];
    int64_t assigned;      /* every task assigned by the date */
    int64_t completed;     /* done on time + done late */
    int64_t due;           /* already due on the date */
    int64_t completed_due; /* completed among those due */
};

/* Start 't' at zero in every count. */
void rf_task_tally_init(struct rf_task_tally *t);
/* Count 't' as it stands on 'on' (tasks not yet assigned are not counted). */
void rf_task_tally_add(struct rf_task_tally *tally, const struct rf_task_facts *t,
                       struct rf_date on);

/*
 * 'num' over 'den' in basis points (hundredths of a percent), rounded half
 * up: 39 of 133 is 2932 (29.32%). 0 when 'den' is 0.
 */
int64_t rf_rate_bp(int64_t num, int64_t den);
/* Write basis points as a percentage with two decimals: 2932 -> "29.32". */
void rf_rate_format(int64_t bp, char out[16]);

#endif
