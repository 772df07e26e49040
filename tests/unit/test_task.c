/*
 * Unit tests of src/core/task: the deadline in force on a date, the status of
 * a reform task on a date (task.h, DESIGN.md capability 1), whether it was
 * due, the tally by status, and completion rates in basis points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/core/task.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_CHANGES 3

/* One deadline change in a row: 'deadline' NULL makes the task a standing one. */
struct change_row {
    const char *set_on, *deadline;
};

/* A task as rows write it; 'completed_on' NULL while not completed. */
struct task_row {
    const char *assigned_on, *completed_on;
    struct change_row changes[MAX_CHANGES]; /* oldest first, ends at the first NULL set_on */
};

/* A task's facts built from a row, with the storage its pointers need. */
struct task_built {
    struct rf_task_facts facts;
    struct rf_deadline_change changes[MAX_CHANGES];
};

static struct rf_date date_of(const char *text)
{
    struct rf_date d = {0, 0, 0};

    assert_int_equal(rf_date_parse(text, &d), RF_OK);
    return d;
}

static void build(const struct task_row *row, struct task_built *b)
{
    int n = 0;

    memset(b, 0, sizeof(*b));
    b->facts.assigned_on = date_of(row->assigned_on);
    if (row->completed_on) {
        b->facts.completed = 1;
        b->facts.completed_on = date_of(row->completed_on);
    }
    for (; n < MAX_CHANGES && row->changes[n].set_on; n++) {
        b->changes[n].set_on = date_of(row->changes[n].set_on);
        b->changes[n].has_deadline = row->changes[n].deadline != NULL;
        if (row->changes[n].deadline)
            b->changes[n].deadline = date_of(row->changes[n].deadline);
    }
    b->facts.deadlines = b->changes;
    b->facts.ndeadlines = n;
}

/* Assigned on 10 January with a deadline of 31 March, and the variations the rows need. */
#define ASSIGNED "2023-01-10"
#define GIVEN                                                                                      \
    {                                                                                              \
        ASSIGNED, "2023-03-31"                                                                     \
    }
#define STANDING                                                                                   \
    {                                                                                              \
        ASSIGNED, NULL                                                                             \
    }

static const struct {
    struct task_row task;
    const char *on;
    int has_deadline;
    const char *deadline;
} deadline_cases[] = {
    /* task.h: the deadline given at assignment is in force from the assignment day */
    {{ASSIGNED, NULL, {GIVEN}}, ASSIGNED, 1, "2023-03-31"},
    /* task.h: and stays in force while nothing changes it, past the deadline too */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-06-01", 1, "2023-03-31"},
    /* task.h: the last change set on or before the date: the day before an extension */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-15", "2023-04-30"}}}, "2023-03-14", 1, "2023-03-31"},
    /* task.h: an extension is in force from the day it is set */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-15", "2023-04-30"}}}, "2023-03-15", 1, "2023-04-30"},
    /* task.h: the latest of several changes wins */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-15", "2023-04-30"}, {"2023-04-20", "2023-05-31"}}},
     "2023-04-25",
     1,
     "2023-05-31"},
    /* task.h: has_deadline = 0 in a later change removes the deadline */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-15", NULL}}}, "2023-03-15", 0, NULL},
    /* task.h: a standing task has no deadline */
    {{ASSIGNED, NULL, {STANDING}}, "2023-02-01", 0, NULL},
    /* a standing task given a deadline later has it from then on */
    {{ASSIGNED, NULL, {STANDING, {"2023-02-01", "2023-03-31"}}}, "2023-02-01", 1, "2023-03-31"},
    /* before any change is set (before assignment) the first change stands */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-15", "2023-04-30"}}}, "2023-01-01", 1, "2023-03-31"},
};

static void test_deadline_on(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(deadline_cases); i++) {
        struct task_built b;
        struct rf_date deadline = {0, 0, 0};
        int has;

        print_message("case %zu: on %s\n", i, deadline_cases[i].on);
        build(&deadline_cases[i].task, &b);
        has = rf_task_deadline_on(&b.facts, date_of(deadline_cases[i].on), &deadline);
        assert_int_equal(has, deadline_cases[i].has_deadline);
        if (has)
            assert_int_equal(rf_date_cmp(deadline, date_of(deadline_cases[i].deadline)), 0);
    }
}

static const struct {
    struct task_row task;
    const char *on;
    enum rf_task_status status;
} status_cases[] = {
    /* task.h: a task assigned after the date asked about is not assigned yet */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-01-09", RF_TASK_NOT_ASSIGNED},
    /* task.h: not done, deadline not passed: in progress from the assignment day */
    {{ASSIGNED, NULL, {GIVEN}}, ASSIGNED, RF_TASK_IN_PROGRESS},
    /* task.h: the deadline day itself is still within the deadline */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-03-31", RF_TASK_IN_PROGRESS},
    /* task.h: not done, deadline passed: overdue the day after */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-04-01", RF_TASK_OVERDUE},
    /* task.h: a task completed on its deadline day is on time */
    {{ASSIGNED, "2023-03-31", {GIVEN}}, "2023-04-15", RF_TASK_DONE_ON_TIME},
    /* task.h: completed the day after its deadline is late */
    {{ASSIGNED, "2023-04-01", {GIVEN}}, "2023-04-15", RF_TASK_DONE_LATE},
    /* task.h: completion counts from its own day: late on the completion day */
    {{ASSIGNED, "2023-04-01", {GIVEN}}, "2023-04-01", RF_TASK_DONE_LATE},
    /* a completion after the date asked about is not known yet: overdue the day before */
    {{ASSIGNED, "2023-04-10", {GIVEN}}, "2023-04-09", RF_TASK_OVERDUE},
    /* and in progress before the deadline */
    {{ASSIGNED, "2023-03-20", {GIVEN}}, "2023-03-19", RF_TASK_IN_PROGRESS},
    /* completed early: on time on its completion day */
    {{ASSIGNED, "2023-03-20", {GIVEN}}, "2023-03-20", RF_TASK_DONE_ON_TIME},
    /* completed on the assignment day: on time, and still on time years later */
    {{ASSIGNED, ASSIGNED, {GIVEN}}, "2030-01-01", RF_TASK_DONE_ON_TIME},
    /* task.h: an extension set before completion counts: completed within it is on time */
    {{ASSIGNED, "2023-04-20", {GIVEN, {"2023-03-25", "2023-04-30"}}},
     "2023-05-01",
     RF_TASK_DONE_ON_TIME},
    /* task.h: an extension set on the completion day is in force that day: on time */
    {{ASSIGNED, "2023-04-05", {GIVEN, {"2023-04-05", "2023-04-30"}}},
     "2023-05-01",
     RF_TASK_DONE_ON_TIME},
    /* task.h: a later extension does not excuse it: set after completion, still late */
    {{ASSIGNED, "2023-04-05", {GIVEN, {"2023-04-10", "2023-04-30"}}},
     "2023-05-01",
     RF_TASK_DONE_LATE},
    /* an extension set before completion but missed as well: late against the extension */
    {{ASSIGNED, "2023-05-02", {GIVEN, {"2023-03-25", "2023-04-30"}}},
     "2023-05-02",
     RF_TASK_DONE_LATE},
    /* task.h: an extension granted after the deadline passed: overdue until it is set */
    {{ASSIGNED, NULL, {GIVEN, {"2023-04-10", "2023-04-30"}}}, "2023-04-09", RF_TASK_OVERDUE},
    /* task.h: and in progress from the day it is set */
    {{ASSIGNED, NULL, {GIVEN, {"2023-04-10", "2023-04-30"}}}, "2023-04-10", RF_TASK_IN_PROGRESS},
    /* task.h: and overdue again once the extension has passed */
    {{ASSIGNED, NULL, {GIVEN, {"2023-04-10", "2023-04-30"}}}, "2023-05-01", RF_TASK_OVERDUE},
    /* a deadline brought forward is in force from the day it is set */
    {{ASSIGNED, NULL, {GIVEN, {"2023-02-01", "2023-02-15"}}}, "2023-02-16", RF_TASK_OVERDUE},
    /* task.h: a standing task without a deadline, not done */
    {{ASSIGNED, NULL, {STANDING}}, "2023-06-01", RF_TASK_NO_DEADLINE},
    /* task.h: a completed task without a deadline is done on time */
    {{ASSIGNED, "2023-06-01", {STANDING}}, "2023-06-01", RF_TASK_DONE_ON_TIME},
    /* task.h: a standing task is also not assigned before its assignment */
    {{ASSIGNED, NULL, {STANDING}}, "2023-01-09", RF_TASK_NOT_ASSIGNED},
    /* task.h: a deadline removed by a later change: no deadline, not overdue */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-01", NULL}}}, "2023-04-15", RF_TASK_NO_DEADLINE},
    /* task.h: before the removal the deadline still applies */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-01", NULL}}}, "2023-02-01", RF_TASK_IN_PROGRESS},
    /* task.h: no deadline in force on the completion day: on time though past the old one */
    {{ASSIGNED, "2023-04-15", {GIVEN, {"2023-03-01", NULL}}}, "2023-05-01", RF_TASK_DONE_ON_TIME},
    /* task.h: a deadline removed only after a late completion does not excuse it */
    {{ASSIGNED, "2023-04-15", {GIVEN, {"2023-04-20", NULL}}}, "2023-05-01", RF_TASK_DONE_LATE},
    /* a standing task later given a deadline: no deadline before it is set */
    {{ASSIGNED, NULL, {STANDING, {"2023-02-01", "2023-03-31"}}}, "2023-01-20", RF_TASK_NO_DEADLINE},
    /* and overdue after that deadline */
    {{ASSIGNED, NULL, {STANDING, {"2023-02-01", "2023-03-31"}}}, "2023-04-01", RF_TASK_OVERDUE},
};

static void test_status_on(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(status_cases); i++) {
        struct task_built b;

        print_message("case %zu: on %s\n", i, status_cases[i].on);
        build(&status_cases[i].task, &b);
        assert_int_equal(rf_task_status_on(&b.facts, date_of(status_cases[i].on)),
                         status_cases[i].status);
    }
}

static const struct {
    struct task_row task;
    const char *on;
    int due;
} due_cases[] = {
    /* task.h: not due before its deadline */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-03-30", 0},
    /* task.h: due on the deadline day itself ("on or before 'on'") */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-03-31", 1},
    /* task.h: and after it */
    {{ASSIGNED, NULL, {GIVEN}}, "2023-04-01", 1},
    /* task.h: due regardless of completion: an early completion is still counted as due */
    {{ASSIGNED, "2023-02-01", {GIVEN}}, "2023-04-01", 1},
    /* task.h: a completed task not yet at its deadline is not due */
    {{ASSIGNED, "2023-02-01", {GIVEN}}, "2023-03-01", 0},
    /* task.h: a standing task is never due */
    {{ASSIGNED, NULL, {STANDING}}, "2030-01-01", 0},
    /* task.h: judged on the deadline in force that day: an extension postpones it */
    {{ASSIGNED, NULL, {GIVEN, {"2023-03-20", "2023-04-30"}}}, "2023-04-01", 0},
    /* task.h: a deadline removed by a later change makes it no longer due */
    {{ASSIGNED, NULL, {GIVEN, {"2023-04-10", NULL}}}, "2023-04-15", 0},
    /* task.h: while the removal is not yet set, it is due */
    {{ASSIGNED, NULL, {GIVEN, {"2023-04-10", NULL}}}, "2023-04-09", 1},
};

static void test_due_on(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(due_cases); i++) {
        struct task_built b;

        print_message("case %zu: on %s\n", i, due_cases[i].on);
        build(&due_cases[i].task, &b);
        assert_int_equal(rf_task_due_on(&b.facts, date_of(due_cases[i].on)), due_cases[i].due);
    }
}

static const struct {
    const char *name;
    int ok;
    enum rf_task_status status;
} name_cases[] = {
    {"done_on_time", 1, RF_TASK_DONE_ON_TIME}, /* task.h: API name of each status */
    {"done_late", 1, RF_TASK_DONE_LATE},       /* task.h */
    {"in_progress", 1, RF_TASK_IN_PROGRESS},   /* task.h */
    {"overdue", 1, RF_TASK_OVERDUE},           /* task.h */
    {"no_deadline", 1, RF_TASK_NO_DEADLINE},   /* task.h */
    {"Overdue", 0, 0},                         /* API names are lowercase and exact */
    {"overdue ", 0, 0},                        /* no surrounding space */
    {"done", 0, 0},                            /* no prefix matching */
    {"not_assigned", 0, 0},                    /* not assigned is no status a filter asks */
    {"qua_han", 0, 0},                         /* the Vietnamese term is not the API name */
    {"", 0, 0},                                /* empty is no status */
    {NULL, 0, 0},                              /* missing is no status */
};

static void test_status_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(name_cases); i++) {
        enum rf_task_status s = RF_TASK_STATUS_COUNT;
        int rc = rf_task_status_parse(name_cases[i].name, &s);

        print_message("case %zu: %s\n", i, name_cases[i].name ? name_cases[i].name : "NULL");
        if (!name_cases[i].ok) {
            assert_int_equal(rc, RF_EINVAL);
            continue;
        }
        assert_int_equal(rc, RF_OK);
        assert_int_equal(s, name_cases[i].status);
        assert_string_equal(rf_task_status_name(s), name_cases[i].name);
    }
    /* a value outside the five has no API name to leak into a response */
    assert_string_equal(rf_task_status_name(RF_TASK_NOT_ASSIGNED), "unknown");
}

/* Every task below is counted on 30 June 2023. */
#define TALLY_ON "2023-06-30"

static const struct task_row tally_tasks[] = {
    {ASSIGNED, "2023-03-01", {GIVEN}}, /* done on time, due: completed among the due */
    {ASSIGNED, "2023-04-15", {GIVEN}}, /* done late, due: completed among the due */
    {ASSIGNED, "2023-06-01", {{ASSIGNED, "2023-12-31"}}}, /* done on time, not yet due */
    {ASSIGNED, NULL, {GIVEN}},                            /* overdue: due, not completed */
    {ASSIGNED, NULL, {{ASSIGNED, TALLY_ON}}},     /* in progress on its deadline day, yet due */
    {ASSIGNED, NULL, {{ASSIGNED, "2023-12-31"}}}, /* in progress, not due */
    {ASSIGNED, NULL, {STANDING}},                 /* no deadline: never due */
    {ASSIGNED, "2023-05-01", {STANDING}},         /* standing, done on time, never due */
    {"2023-07-01", NULL, {{"2023-07-01", "2023-08-31"}}}, /* not assigned yet: not counted */
};

static void test_tally(void **state)
{
    struct rf_task_tally tally;
    struct task_built b;
    struct rf_date on = date_of(TALLY_ON);

    (void)state;
    rf_task_tally_init(&tally);
    for (size_t i = 0; i < COUNT(tally_tasks); i++) {
        build(&tally_tasks[i], &b);
        rf_task_tally_add(&tally, &b.facts, on);
    }
    assert_int_equal(tally.by_status[RF_TASK_DONE_ON_TIME], 3);
    assert_int_equal(tally.by_status[RF_TASK_DONE_LATE], 1);
    assert_int_equal(tally.by_status[RF_TASK_IN_PROGRESS], 2);
    assert_int_equal(tally.by_status[RF_TASK_OVERDUE], 1);
    assert_int_equal(tally.by_status[RF_TASK_NO_DEADLINE], 1);
    assert_int_equal(tally.assigned, 8);      /* task.h: every task assigned by the date */
    assert_int_equal(tally.completed, 4);     /* task.h: done on time + done late */
    assert_int_equal(tally.due, 4);           /* task.h: already due on the date */
    assert_int_equal(tally.completed_due, 2); /* task.h: completed among those due */

    /* the example rate: 133 tasks, 39 completed on time and 94 in progress is 29.32% */
    {
        static const struct task_row done = {ASSIGNED, "2023-03-01", {{ASSIGNED, "2023-12-31"}}};
        static const struct task_row open = {ASSIGNED, NULL, {{ASSIGNED, "2023-12-31"}}};
        char text[16];

        rf_task_tally_init(&tally);
        for (int i = 0; i < 133; i++) {
            build(i < 39 ? &done : &open, &b);
            rf_task_tally_add(&tally, &b.facts, on);
        }
        assert_int_equal(tally.by_status[RF_TASK_DONE_ON_TIME], 39);
        assert_int_equal(tally.by_status[RF_TASK_IN_PROGRESS], 94);
        assert_int_equal(tally.assigned, 133);
        assert_int_equal(tally.completed, 39);
        assert_int_equal(tally.due, 0);
        assert_int_equal(rf_rate_bp(tally.completed, tally.assigned), 2932);
        rf_rate_format(rf_rate_bp(tally.completed, tally.assigned), text);
        assert_string_equal(text, "29.32");
    }
}

static const struct {
    int64_t num, den;
    int64_t bp;
    const char *text;
} rate_cases[] = {
    {39, 133, 2932, "29.32"},             /* task.h: 39 of 133 is 29.32% */
    {16051, 16274, 9863, "98.63"},        /* the Government Office's rate: 16051 of 16274 */
    {1, 8, 1250, "12.50"},                /* exact: 12.5% */
    {1, 3, 3333, "33.33"},                /* 33.333..% rounds down */
    {2, 3, 6667, "66.67"},                /* 66.666..% rounds up */
    {1, 80000, 0, "0.00"},                /* 0.00125% is under half a basis point: 0.00 */
    {1, 40000, 0, "0.00"},                /* 0.0025% is a quarter basis point: down */
    {3, 40000, 1, "0.01"},                /* 0.0075% is three quarters of one: up */
    {1, 20000, 1, "0.01"},                /* task.h: exactly half a basis point rounds half up */
    {0, 0, 0, "0.00"},                    /* task.h: 0 when 'den' is 0 */
    {5, 0, 0, "0.00"},                    /* task.h: 0 when 'den' is 0, whatever 'num' */
    {0, 133, 0, "0.00"},                  /* none completed */
    {133, 133, 10000, "100.00"},          /* all completed */
    {3, 2, 15000, "150.00"},              /* past 100% is reported as it is, not clamped */
    {1, 1000000000000, 0, "0.00"},        /* counts up to 10^12: a millionth of a bp */
    {50000000, 1000000000000, 1, "0.01"}, /* 10^12: exactly half a bp rounds up */
    {49999999, 1000000000000, 0, "0.00"}, /* 10^12: just under half rounds down */
    {999999999999, 1000000000000, 10000, "100.00"}, /* 10^12: 99.9999..% rounds to 100.00 */
    {333333333333, 1000000000000, 3333, "33.33"},   /* 10^12: no overflow in the product */
    {INT64_MAX - 1, INT64_MAX, 10000, "100.00"},    /* no overflow at the type's limit */
    {INT64_MAX / 2, INT64_MAX, 5000, "50.00"},      /* just under half of the limit: 50.00 */
    {-1, 3, 0, "0.00"},                             /* no negative counts: 0 */
    {1, -3, 0, "0.00"},                             /* no negative counts: 0 */
};

static void test_rate(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(rate_cases); i++) {
        char text[16];
        int64_t bp = rf_rate_bp(rate_cases[i].num, rate_cases[i].den);

        print_message("case %zu: %lld of %lld\n", i, (long long)rate_cases[i].num,
                      (long long)rate_cases[i].den);
        assert_int_equal(bp, rate_cases[i].bp);
        rf_rate_format(bp, text);
        assert_string_equal(text, rate_cases[i].text);
    }
}

static const struct {
    int64_t bp;
    const char *text;
} format_cases[] = {
    {0, "0.00"},                         /* task.h: two decimals always */
    {5, "0.05"},                         /* a leading zero in the hundredths */
    {99, "0.99"},                        /* under one percent */
    {100, "1.00"},                       /* one percent */
    {2932, "29.32"},                     /* task.h: 2932 -> "29.32" */
    {10000, "100.00"},                   /* 100% */
    {-5, "-0.05"},                       /* a negative difference of rates keeps its sign */
    {99999999999999, "999999999999.99"}, /* the widest that fits the 16 bytes */
};

static void test_rate_format(void **state)
{
    char text[16];

    (void)state;
    for (size_t i = 0; i < COUNT(format_cases); i++) {
        print_message("case %zu: %lld\n", i, (long long)format_cases[i].bp);
        rf_rate_format(format_cases[i].bp, text);
        assert_string_equal(text, format_cases[i].text);
    }
    /* wider values are cut, never written past the buffer */
    rf_rate_format(INT64_MIN, text);
    assert_true(strlen(text) == 15);
    rf_rate_format(INT64_MAX, text);
    assert_true(strlen(text) == 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_on), cmocka_unit_test(test_status_on),
        cmocka_unit_test(test_due_on),      cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_tally),       cmocka_unit_test(test_rate),
        cmocka_unit_test(test_rate_format),
    };

    return cmocka_run_group_tests_name("task", tests, NULL, NULL);
}
