/*
 * Unit tests of src/core/dossier: every action in every state, allowed or
 * not, and by whom (Decree 61/2018/ND-CP arts. 19-21 as amended by Decree
 * 107/2021/ND-CP); timeliness on the 2026 calendar (Circular 01/2018/TT-VPCP,
 * art. 12); the apology's deadline; the report's rates; the dossier code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/core/dossier.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define D RF_DWHO_DESK
#define S RF_DWHO_STEP

/* Every allowed move; whatever is not listed here must be refused. */
static const struct {
    enum rf_dossier_state from;
    int step; /* of a 3-step process; -1 when the dossier is at no step */
    enum rf_dossier_action action;
    enum rf_dossier_state to;
    int next_step;
    unsigned who;
    int reason;
} allowed[] = {
    /* art. 19(1): a complete dossier is received (Form 01), the first step takes it */
    {RF_DS_NEW, -1, RF_DA_RECEIVE, RF_DS_PROCESSING, 0, D, 0},
    /* art. 19(1)(b): an incomplete one is returned with what to complete (Form 02) */
    {RF_DS_NEW, -1, RF_DA_GUIDE, RF_DS_INCOMPLETE, -1, D, 1},
    /* art. 19(1)(c): refused with its reason (Form 03) */
    {RF_DS_NEW, -1, RF_DA_REFUSE, RF_DS_REFUSED, -1, D, 1},
    /* art. 20(2): each step hands over to the next, the last to the desk */
    {RF_DS_PROCESSING, 0, RF_DA_HAND_OVER, RF_DS_PROCESSING, 1, S, 0},
    {RF_DS_PROCESSING, 1, RF_DA_HAND_OVER, RF_DS_PROCESSING, 2, S, 0},
    {RF_DS_PROCESSING, 2, RF_DA_HAND_OVER, RF_DS_READY, -1, S, 0},
    /* art. 20(3)(c): papers asked of the citizen stop the clock at that step */
    {RF_DS_PROCESSING, 1, RF_DA_ASK, RF_DS_SUPPLEMENT, 1, S, 1},
    {RF_DS_SUPPLEMENT, 1, RF_DA_SUPPLIED, RF_DS_PROCESSING, 1, D, 0},
    /* art. 20(3)(d): an apology with a new appointment (Form 04) changes no state */
    {RF_DS_PROCESSING, 2, RF_DA_APOLOGISE, RF_DS_PROCESSING, 2, S, 1},
    /* art. 20(3)(b): the step that finds it outside the law refuses, with the reason */
    {RF_DS_PROCESSING, 1, RF_DA_REFUSE, RF_DS_REFUSED, -1, S, 1},
    {RF_DS_SUPPLEMENT, 1, RF_DA_REFUSE, RF_DS_REFUSED, -1, S, 1},
    /* stopped (the citizen did not supply the papers, a court's decision...), with the reason */
    {RF_DS_PROCESSING, 0, RF_DA_STOP, RF_DS_STOPPED, -1, S, 1},
    {RF_DS_SUPPLEMENT, 0, RF_DA_STOP, RF_DS_STOPPED, -1, S, 1},
    /* art. 22: the citizen may withdraw an unfinished dossier at the desk */
    {RF_DS_PROCESSING, 2, RF_DA_WITHDRAW, RF_DS_WITHDRAWN, -1, D, 0},
    {RF_DS_SUPPLEMENT, 2, RF_DA_WITHDRAW, RF_DS_WITHDRAWN, -1, D, 0},
    /* art. 21: the desk tells the citizen and hands the result over */
    {RF_DS_READY, -1, RF_DA_NOTIFY, RF_DS_NOTIFIED, -1, D, 0},
    {RF_DS_READY, -1, RF_DA_RETURN, RF_DS_RETURNED, -1, D, 0},
    {RF_DS_NOTIFIED, -1, RF_DA_RETURN, RF_DS_RETURNED, -1, D, 0},
};

static int listed(enum rf_dossier_state s, enum rf_dossier_action a)
{
    for (size_t i = 0; i < COUNT(allowed); i++)
        if (allowed[i].from == s && allowed[i].action == a)
            return 1;
    return 0;
}

static void test_allowed(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(allowed); i++) {
        struct rf_dossier_move m;
        if (rf_dossier_next(allowed[i].from, allowed[i].step, 3, allowed[i].action, &m) != RF_OK)
            fail_msg("%s in %s is refused", rf_dossier_action_name(allowed[i].action),
                     rf_dossier_state_name(allowed[i].from));
        if (m.to != allowed[i].to || m.next_step != allowed[i].next_step ||
            m.who != allowed[i].who || m.needs_reason != allowed[i].reason)
            fail_msg("%s in %s at step %d: to %s step %d by %u reason %d",
                     rf_dossier_action_name(allowed[i].action),
                     rf_dossier_state_name(allowed[i].from), allowed[i].step,
                     rf_dossier_state_name(m.to), m.next_step, m.who, m.needs_reason);
    }
}

/* Every pair not listed is refused: a returned dossier cannot be handed over, and so on. */
static void test_forbidden(void **state)
{
    int refused = 0;

    (void)state;
    for (int s = 0; s < RF_DS_COUNT; s++)
        for (int a = 0; a < RF_DA_COUNT; a++) {
            struct rf_dossier_move m;
            int step = s == RF_DS_PROCESSING || s == RF_DS_SUPPLEMENT ? 0 : -1;
            int rc =
                rf_dossier_next((enum rf_dossier_state)s, step, 3, (enum rf_dossier_action)a, &m);
            if (listed((enum rf_dossier_state)s, (enum rf_dossier_action)a))
                continue;
            if (rc != RF_EINVAL)
                fail_msg("%s in %s is allowed", rf_dossier_action_name((enum rf_dossier_action)a),
                         rf_dossier_state_name((enum rf_dossier_state)s));
            refused++;
        }
    assert_int_equal(refused, RF_DS_COUNT * RF_DA_COUNT - (int)COUNT(allowed) + 2);
    /* a finished dossier takes no action at all */
    for (int s = 0; s < RF_DS_COUNT; s++) {
        if (!rf_dossier_closed((enum rf_dossier_state)s))
            continue;
        for (int a = 0; a < RF_DA_COUNT; a++) {
            struct rf_dossier_move m;
            assert_int_equal(
                rf_dossier_next((enum rf_dossier_state)s, -1, 3, (enum rf_dossier_action)a, &m),
                RF_EINVAL);
        }
    }
}

static void test_bad_steps(void **state)
{
    struct rf_dossier_move m;

    (void)state;
    assert_int_equal(rf_dossier_next(RF_DS_PROCESSING, 3, 3, RF_DA_HAND_OVER, &m), RF_EINVAL);
    assert_int_equal(rf_dossier_next(RF_DS_PROCESSING, -1, 3, RF_DA_HAND_OVER, &m), RF_EINVAL);
    assert_int_equal(rf_dossier_next(RF_DS_NEW, 0, 3, RF_DA_RECEIVE, &m), RF_EINVAL);
    assert_int_equal(rf_dossier_next(RF_DS_NEW, -1, 0, RF_DA_RECEIVE, &m), RF_EINVAL);
    /* a one-step process: the first hand-over is the last */
    assert_int_equal(rf_dossier_next(RF_DS_PROCESSING, 0, 1, RF_DA_HAND_OVER, &m), RF_OK);
    assert_int_equal(m.to, RF_DS_READY);
}

static void test_names(void **state)
{
    (void)state;
    for (int s = 0; s < RF_DS_COUNT; s++) {
        enum rf_dossier_state back;
        assert_int_equal(
            rf_dossier_state_parse(rf_dossier_state_name((enum rf_dossier_state)s), &back), RF_OK);
        assert_int_equal(back, s);
    }
    for (int a = 0; a < RF_DA_COUNT; a++) {
        enum rf_dossier_action back;
        assert_int_equal(
            rf_dossier_action_parse(rf_dossier_action_name((enum rf_dossier_action)a), &back),
            RF_OK);
        assert_int_equal(back, a);
    }
    {
        enum rf_dossier_action a;
        assert_int_equal(rf_dossier_action_parse("approve", &a), RF_EINVAL);
        assert_int_equal(rf_dossier_action_parse(NULL, &a), RF_EINVAL);
    }
}

/* the 2026 calendar as announced (9859/VPCP-KGVX, 9441/TB-BNV) */
static struct rf_worktime *calendar_2026(void)
{
    static const char *const off[] = {"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18",
                                      "2026-02-19", "2026-02-20", "2026-04-27", "2026-04-30",
                                      "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"};
    struct rf_calendar_day days[COUNT(off) + 1];
    struct rf_hours hours;
    struct rf_worktime *w;

    memset(days, 0, sizeof(days));
    for (size_t i = 0; i < COUNT(off); i++)
        assert_int_equal(rf_date_parse(off[i], &days[i].date), RF_OK);
    days[COUNT(off)].date = (struct rf_date){2026, 8, 22};
    days[COUNT(off)].kind = RF_DAY_MAKEUP;
    rf_hours_default(&hours, (struct rf_date){2026, 1, 1});
    assert_int_equal(rf_worktime_build(2026, 2026, days, (int)COUNT(days), &hours, 1, &w), RF_OK);
    return w;
}

static int64_t at(const char *s)
{
    int64_t t;

    assert_int_equal(rf_worktime_parse(s, &t), RF_OK);
    return t;
}

static void test_timeliness(void **state)
{
    /* received Fri 13/02/2026 for 3 working days: due Wed 25/02 17:00 (Decree 61/2018, art. 19;
       Civil Code arts. 147-148, across the Tết days off) */
    static const struct {
        const char *result;
        enum rf_timeliness expected;
    } cases[] = {
        {"2026-02-23 08:00", RF_EARLY},   {"2026-02-24 17:00", RF_EARLY},
        {"2026-02-25 07:00", RF_ON_TIME}, {"2026-02-25 17:00", RF_ON_TIME},
        {"2026-02-25 17:01", RF_LATE},    {"2026-02-26 08:00", RF_LATE},
    };
    struct rf_worktime *w = calendar_2026();
    struct rf_allowance three = {3, 0};
    int64_t due;

    (void)state;
    assert_int_equal(rf_worktime_due(w, at("2026-02-13 09:00"), &three, -1, NULL, 0, &due), RF_OK);
    assert_int_equal(due, at("2026-02-25 17:00"));
    for (size_t i = 0; i < COUNT(cases); i++)
        if (rf_dossier_timeliness(due, at(cases[i].result)) != cases[i].expected)
            fail_msg("a result at %s is %s", cases[i].result,
                     rf_timeliness_name(rf_dossier_timeliness(due, at(cases[i].result))));
    rf_worktime_free(w);
}

/* art. 20(3)(d): the apology no later than one working day before the due time */
static void test_apology(void **state)
{
    static const struct {
        const char *now, *due;
        int in_time;
    } cases[] = {
        {"2026-02-24 17:00", "2026-02-25 17:00", 1}, /* a whole working day before */
        {"2026-02-25 07:00", "2026-02-25 17:00", 1}, /* the same: the day's 8 hours remain */
        {"2026-02-25 07:01", "2026-02-25 17:00", 0},
        {"2026-02-13 16:00", "2026-02-23 17:00", 1}, /* over Tết: 1 h on Friday, 8 on Monday */
        {"2026-02-23 09:00", "2026-02-23 17:00", 0},
        {"2026-02-26 09:00", "2026-02-25 17:00", 0}, /* after the due time */
    };
    struct rf_worktime *w = calendar_2026();

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        int in_time = -1;
        assert_int_equal(
            rf_dossier_apology_in_time(w, at(cases[i].now), at(cases[i].due), &in_time), RF_OK);
        if (in_time != cases[i].in_time)
            fail_msg("an apology at %s for %s: %d", cases[i].now, cases[i].due, in_time);
    }
    rf_worktime_free(w);
}

static void test_rates(void **state)
{
    /* the Thua Thien Hue portal: 257,141 processed, 124,907 early (48.6%), 102,770 on time
       (40.0%), 19,852 late (7.7%) */
    static const struct {
        int64_t num, den;
        int tenths;
    } cases[] = {
        {124907, 257141, 486},
        {102770, 257141, 400},
        {19852, 257141, 77},
        {1, 8, 125},
        {1, 16, 63}, /* 6.25: half up */
        {1, 3, 333},
        {2, 3, 667},
        {0, 5, 0},
        {5, 5, 1000},
        {3, 0, 0},
    };

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++)
        if (rf_rate_tenths(cases[i].num, cases[i].den) != cases[i].tenths)
            fail_msg("%lld of %lld: %d tenths", (long long)cases[i].num, (long long)cases[i].den,
                     rf_rate_tenths(cases[i].num, cases[i].den));
}

static void test_code(void **state)
{
    static const struct {
        const char *unit;
        struct rf_date day;
        int64_t seq;
        const char *code; /* NULL: refused */
    } cases[] = {
        {"18070", {2026, 2, 13}, 42, "18070-260213-0042"},
        {"S05", {2026, 2, 13}, 1, "S05-260213-0001"},
        {"H42.18070", {2030, 1, 2}, 12345, "H42.18070-300102-12345"},
        {"18073-2025", {2026, 2, 13}, 7, "18073-2025-260213-0007"}, /* a unit of 1 July 2025 */
        {"s05", {2026, 2, 13}, 1, NULL},
        {"S 05", {2026, 2, 13}, 1, NULL},
        {"", {2026, 2, 13}, 1, NULL},
        {"S05", {2026, 2, 13}, 0, NULL},
    };
    char out[RF_DOSSIER_CODE_MAX];

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        int rc = rf_dossier_code(cases[i].unit, cases[i].day, cases[i].seq, out);
        if (!cases[i].code) {
            assert_int_equal(rc, RF_EINVAL);
            continue;
        }
        assert_int_equal(rc, RF_OK);
        assert_string_equal(out, cases[i].code);
    }
}

/*
 * Which counters each move moves (the service center's figures of Decision
 * 766/QD-TTg): every action of the state machine from each state it may be
 * taken in, with what it must count, and nothing else.
 */
#define E(m, d)                                                                                    \
    {                                                                                              \
        RF_M_##m, d                                                                                \
    }
static const struct {
    enum rf_dossier_action action;
    enum rf_dossier_state from, to;
    int online;
    enum rf_timeliness timeliness;
    int64_t worked;
    int n;
    struct rf_dossier_effect want[RF_DOSSIER_MAX_EFFECTS];
} effect_cases[] = {
    /* received complete (Form 01): counted received and under way; online ones apart too */
    {RF_DA_RECEIVE, RF_DS_NEW, RF_DS_PROCESSING, 0, RF_EARLY, -1, 2, {E(RECEIVED, 1), E(OPEN, 1)}},
    {RF_DA_RECEIVE,
     RF_DS_NEW,
     RF_DS_PROCESSING,
     1,
     RF_EARLY,
     -1,
     3,
     {E(RECEIVED, 1), E(OPEN, 1), E(ONLINE, 1)}},
    /* returned for completion (Form 02) or refused at the desk (Form 03): never under way */
    {RF_DA_GUIDE, RF_DS_NEW, RF_DS_INCOMPLETE, 1, RF_EARLY, -1, 1, {E(GUIDED, 1)}},
    {RF_DA_REFUSE, RF_DS_NEW, RF_DS_REFUSED, 0, RF_EARLY, -1, 1, {E(REFUSED, 1)}},
    /* refused, withdrawn or stopped once received: no longer under way */
    {RF_DA_REFUSE,
     RF_DS_PROCESSING,
     RF_DS_REFUSED,
     0,
     RF_EARLY,
     -1,
     2,
     {E(REFUSED, 1), E(OPEN, -1)}},
    {RF_DA_REFUSE,
     RF_DS_SUPPLEMENT,
     RF_DS_REFUSED,
     0,
     RF_EARLY,
     -1,
     2,
     {E(REFUSED, 1), E(OPEN, -1)}},
    {RF_DA_WITHDRAW,
     RF_DS_PROCESSING,
     RF_DS_WITHDRAWN,
     0,
     RF_EARLY,
     -1,
     2,
     {E(WITHDRAWN, 1), E(OPEN, -1)}},
    {RF_DA_WITHDRAW,
     RF_DS_SUPPLEMENT,
     RF_DS_WITHDRAWN,
     0,
     RF_EARLY,
     -1,
     2,
     {E(WITHDRAWN, 1), E(OPEN, -1)}},
    {RF_DA_STOP, RF_DS_PROCESSING, RF_DS_STOPPED, 0, RF_EARLY, -1, 2, {E(STOPPED, 1), E(OPEN, -1)}},
    {RF_DA_STOP, RF_DS_SUPPLEMENT, RF_DS_STOPPED, 0, RF_EARLY, -1, 2, {E(STOPPED, 1), E(OPEN, -1)}},
    /* a hand-over between steps counts nothing; the last one is the result, judged by its time */
    {RF_DA_HAND_OVER, RF_DS_PROCESSING, RF_DS_PROCESSING, 0, RF_LATE, 90, 0, {{0, 0}}},
    {RF_DA_HAND_OVER,
     RF_DS_PROCESSING,
     RF_DS_READY,
     0,
     RF_EARLY,
     480,
     3,
     {E(EARLY, 1), E(OPEN, -1), E(MINUTES, 480)}},
    {RF_DA_HAND_OVER,
     RF_DS_PROCESSING,
     RF_DS_READY,
     0,
     RF_ON_TIME,
     0,
     3,
     {E(ON_TIME, 1), E(OPEN, -1), E(MINUTES, 0)}},
    {RF_DA_HAND_OVER,
     RF_DS_PROCESSING,
     RF_DS_READY,
     1,
     RF_LATE,
     -1,
     2, /* minutes unknown */
     {E(LATE, 1), E(OPEN, -1)}},
    /* papers asked, an apology (Form 04), the result handed over: each its own */
    {RF_DA_ASK, RF_DS_PROCESSING, RF_DS_SUPPLEMENT, 0, RF_EARLY, -1, 1, {E(SUPPLEMENT, 1)}},
    {RF_DA_APOLOGISE, RF_DS_PROCESSING, RF_DS_PROCESSING, 0, RF_EARLY, -1, 1, {E(APOLOGY, 1)}},
    {RF_DA_RETURN, RF_DS_READY, RF_DS_RETURNED, 0, RF_EARLY, -1, 1, {E(RETURNED, 1)}},
    {RF_DA_RETURN, RF_DS_NOTIFIED, RF_DS_RETURNED, 0, RF_EARLY, -1, 1, {E(RETURNED, 1)}},
    /* papers supplied (the clock runs again) and a notice count nothing */
    {RF_DA_SUPPLIED, RF_DS_SUPPLEMENT, RF_DS_PROCESSING, 0, RF_EARLY, -1, 0, {{0, 0}}},
    {RF_DA_NOTIFY, RF_DS_READY, RF_DS_NOTIFIED, 0, RF_EARLY, -1, 0, {{0, 0}}},
};
#undef E

static void test_effects(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(effect_cases); i++) {
        struct rf_dossier_fact f = {effect_cases[i].action,     effect_cases[i].from,
                                    effect_cases[i].to,         effect_cases[i].online,
                                    effect_cases[i].timeliness, effect_cases[i].worked};
        struct rf_dossier_effect got[RF_DOSSIER_MAX_EFFECTS];
        int n;
        print_message("case %zu\n", i);
        n = rf_dossier_effects(&f, got);
        assert_int_equal(n, effect_cases[i].n);
        for (int k = 0; k < n; k++) {
            assert_int_equal(got[k].metric, effect_cases[i].want[k].metric);
            assert_int_equal(got[k].delta, effect_cases[i].want[k].delta);
        }
    }
}

/* Every move the state machine allows has its row above, so none counts by accident. */
static void test_effects_cover_the_moves(void **state)
{
    (void)state;
    for (int s = 0; s < RF_DS_COUNT; s++)
        for (int a = 0; a < RF_DA_COUNT; a++)
            for (int step = -1; step < 2; step++) { /* none, a step, the last of two */
                struct rf_dossier_move m;
                int found = 0;
                if (rf_dossier_next((enum rf_dossier_state)s, step, 2, (enum rf_dossier_action)a,
                                    &m) != 0)
                    continue;
                for (size_t i = 0; i < COUNT(effect_cases); i++)
                    found |= effect_cases[i].action == (enum rf_dossier_action)a &&
                             effect_cases[i].from == (enum rf_dossier_state)s &&
                             effect_cases[i].to == m.to;
                print_message(
                    "%s from %s to %s\n", rf_dossier_action_name((enum rf_dossier_action)a),
                    rf_dossier_state_name((enum rf_dossier_state)s), rf_dossier_state_name(m.to));
                assert_true(found);
            }
}

/* The names the counters are stored under, in the order of the enum. */
static void test_metric_names(void **state)
{
    (void)state;
    assert_string_equal(rf_dossier_metric_names[RF_M_RECEIVED], "received");
    assert_string_equal(rf_dossier_metric_names[RF_M_ONLINE], "received_online");
    assert_string_equal(rf_dossier_metric_names[RF_M_MINUTES], "process_minutes");
    assert_string_equal(rf_dossier_metric_names[RF_M_RETURNED], "returned");
    assert_null(rf_dossier_metric_names[RF_M_COUNT]);
}

/* Where a dossier is, by its state: the invariant the moves keep (asserted there). */
static void test_holder(void **state)
{
    (void)state;
    assert_true(rf_dossier_holder_consistent(RF_DS_PROCESSING, 0, 21, 21));
    assert_true(rf_dossier_holder_consistent(RF_DS_SUPPLEMENT, 2, 30, 21));
    assert_false(rf_dossier_holder_consistent(RF_DS_PROCESSING, -1, 21, 21)); /* at no step */
    assert_false(rf_dossier_holder_consistent(RF_DS_PROCESSING, 0, 0, 21));   /* held by none */
    assert_true(rf_dossier_holder_consistent(RF_DS_READY, -1, 21, 21));
    assert_false(rf_dossier_holder_consistent(RF_DS_READY, -1, 30, 21)); /* not at its desk */
    assert_true(rf_dossier_holder_consistent(RF_DS_NOTIFIED, -1, 21, 21));
    assert_true(rf_dossier_holder_consistent(RF_DS_RETURNED, -1, 0, 21));
    assert_false(rf_dossier_holder_consistent(RF_DS_RETURNED, -1, 21, 21)); /* still held */
    assert_true(rf_dossier_holder_consistent(RF_DS_INCOMPLETE, -1, 0, 21));
    assert_true(rf_dossier_holder_consistent(RF_DS_STOPPED, -1, 0, 21));
    assert_false(rf_dossier_holder_consistent(RF_DS_NEW, -1, 0, 21)); /* never stored */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed),      cmocka_unit_test(test_forbidden),
        cmocka_unit_test(test_bad_steps),    cmocka_unit_test(test_names),
        cmocka_unit_test(test_timeliness),   cmocka_unit_test(test_apology),
        cmocka_unit_test(test_rates),        cmocka_unit_test(test_code),
        cmocka_unit_test(test_effects),      cmocka_unit_test(test_effects_cover_the_moves),
        cmocka_unit_test(test_metric_names), cmocka_unit_test(test_holder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
