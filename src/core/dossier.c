/*
 * The one-stop dossier's state machine, timeliness, rates and code.
 *
 *   Decree 61/2018/ND-CP, art. 19 (as amended by Decree 107/2021/ND-CP): the
 *   desk checks a dossier; a complete one is received with a receipt and
 *   appointment slip (Form 01); an incomplete one is returned with guidance
 *   for completing it (Form 02); one outside the agency's remit, or refused
 *   under the law, gets a refusal with its reason (Form 03).
 *   Art. 20: the dossier moves through the steps of the internal process,
 *   each hand-over recorded on the tracking slip (Form 05).
 *   Art. 20(3)(c), (d): the step that finds papers missing asks the citizen
 *   for them through the desk, and the time until they come does not count;
 *   a dossier that will be late gets an apology with a new appointment
 *   (Form 04) sent no later than one working day before its due time.
 *   Art. 21: the desk returns the result (and keeps the log book, Form 06).
 *   Circular 01/2018/TT-VPCP, art. 12: a finished dossier is early when its
 *   result comes before the due day, on time on the due day, late after it.
 */
#include "dossier.h"

#include <stdio.h>
#include <string.h>

static const char *const state_names[RF_DS_COUNT] = {
    "new",   "incomplete", "refused",  "processing", "supplement",
    "ready", "notified",   "returned", "withdrawn",  "stopped",
};

static const char *const action_names[RF_DA_COUNT] = {
    "receive",   "guide",  "refuse", "hand_over", "ask",  "supplied",
    "apologise", "notify", "return", "withdraw",  "stop",
};

static int parse(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *rf_dossier_state_name(enum rf_dossier_state s)
{
    return s >= 0 && s < RF_DS_COUNT ? state_names[s] : "?";
}

int rf_dossier_state_parse(const char *name, enum rf_dossier_state *out)
{
    int i = parse(state_names, RF_DS_COUNT, name);

    if (i < 0)
        return RF_EINVAL;
    *out = (enum rf_dossier_state)i;
    return RF_OK;
}

const char *rf_dossier_action_name(enum rf_dossier_action a)
{
    return a >= 0 && a < RF_DA_COUNT ? action_names[a] : "?";
}

int rf_dossier_action_parse(const char *name, enum rf_dossier_action *out)
{
    int i = parse(action_names, RF_DA_COUNT, name);

    if (i < 0)
        return RF_EINVAL;
    *out = (enum rf_dossier_action)i;
    return RF_OK;
}

int rf_dossier_closed(enum rf_dossier_state s)
{
    return s == RF_DS_INCOMPLETE || s == RF_DS_REFUSED || s == RF_DS_RETURNED ||
           s == RF_DS_WITHDRAWN || s == RF_DS_STOPPED;
}

/* One allowed move: from a state by an action, to a state, by whom, with a reason or not. */
static const struct rule {
    enum rf_dossier_state from;
    enum rf_dossier_action action;
    enum rf_dossier_state to; /* RF_DS_PROCESSING after the last step: RF_DS_READY */
    unsigned who;
    int needs_reason;
} rules[] = {
    /* art. 19: at the desk */
    {RF_DS_NEW, RF_DA_RECEIVE, RF_DS_PROCESSING, RF_DWHO_DESK, 0},
    {RF_DS_NEW, RF_DA_GUIDE, RF_DS_INCOMPLETE, RF_DWHO_DESK, 1},
    {RF_DS_NEW, RF_DA_REFUSE, RF_DS_REFUSED, RF_DWHO_DESK, 1},
    /* art. 20: through the steps */
    {RF_DS_PROCESSING, RF_DA_HAND_OVER, RF_DS_PROCESSING, RF_DWHO_STEP, 0},
    {RF_DS_PROCESSING, RF_DA_ASK, RF_DS_SUPPLEMENT, RF_DWHO_STEP, 1},
    {RF_DS_PROCESSING, RF_DA_APOLOGISE, RF_DS_PROCESSING, RF_DWHO_STEP, 1},
    {RF_DS_PROCESSING, RF_DA_REFUSE, RF_DS_REFUSED, RF_DWHO_STEP, 1},
    {RF_DS_PROCESSING, RF_DA_STOP, RF_DS_STOPPED, RF_DWHO_STEP, 1},
    {RF_DS_PROCESSING, RF_DA_WITHDRAW, RF_DS_WITHDRAWN, RF_DWHO_DESK, 0},
    /* art. 20(3)(c): waiting for the citizen's papers */
    {RF_DS_SUPPLEMENT, RF_DA_SUPPLIED, RF_DS_PROCESSING, RF_DWHO_DESK, 0},
    {RF_DS_SUPPLEMENT, RF_DA_REFUSE, RF_DS_REFUSED, RF_DWHO_STEP, 1},
    {RF_DS_SUPPLEMENT, RF_DA_STOP, RF_DS_STOPPED, RF_DWHO_STEP, 1},
    {RF_DS_SUPPLEMENT, RF_DA_WITHDRAW, RF_DS_WITHDRAWN, RF_DWHO_DESK, 0},
    /* art. 21: the result at the desk */
    {RF_DS_READY, RF_DA_NOTIFY, RF_DS_NOTIFIED, RF_DWHO_DESK, 0},
    {RF_DS_READY, RF_DA_RETURN, RF_DS_RETURNED, RF_DWHO_DESK, 0},
    {RF_DS_NOTIFIED, RF_DA_RETURN, RF_DS_RETURNED, RF_DWHO_DESK, 0},
};

int rf_dossier_next(enum rf_dossier_state s, int step, int nsteps, enum rf_dossier_action a,
                    struct rf_dossier_move *out)
{
    if (nsteps < 1 ||
        (s == RF_DS_PROCESSING || s == RF_DS_SUPPLEMENT ? step < 0 || step >= nsteps : step != -1))
        return RF_EINVAL;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        const struct rule *r = &rules[i];
        if (r->from != s || r->action != a)
            continue;
        out->to = r->to;
        out->who = r->who;
        out->needs_reason = r->needs_reason;
        out->next_step = r->to == RF_DS_PROCESSING || r->to == RF_DS_SUPPLEMENT ? step : -1;
        if (a == RF_DA_RECEIVE)
            out->next_step = 0;
        if (a == RF_DA_HAND_OVER) {
            out->next_step = step + 1 < nsteps ? step + 1 : -1;
            if (out->next_step < 0)
                out->to = RF_DS_READY; /* after the last step the result goes to the desk */
        }
        return RF_OK;
    }
    return RF_EINVAL;
}

static const char *const timeliness_names[] = {"early", "on_time", "late"};

const char *rf_timeliness_name(enum rf_timeliness t)
{
    return t >= RF_EARLY && t <= RF_LATE ? timeliness_names[t] : "?";
}

static int64_t day_of(int64_t local)
{
    return local >= 0 ? local / RF_MINUTES_PER_DAY
                      : -((-local + RF_MINUTES_PER_DAY - 1) / RF_MINUTES_PER_DAY);
}

enum rf_timeliness rf_dossier_timeliness(int64_t due, int64_t result)
{
    if (result > due)
        return RF_LATE;
    return day_of(result) < day_of(due) ? RF_EARLY : RF_ON_TIME;
}

int rf_dossier_apology_in_time(const struct rf_worktime *w, int64_t now, int64_t due, int *in_time)
{
    int64_t left;

    if (rf_worktime_between(w, now, due, NULL, 0, &left) != RF_OK)
        return RF_EINVAL;
    *in_time = left >= RF_WORKDAY_MINUTES;
    return RF_OK;
}

int rf_dossier_holder_consistent(enum rf_dossier_state s, int step, int64_t step_unit,
                                 int64_t desk_unit)
{
    switch (s) {
    case RF_DS_PROCESSING:
    case RF_DS_SUPPLEMENT:
        return step >= 0 && step_unit != 0;
    case RF_DS_READY:
    case RF_DS_NOTIFIED:
        return step == -1 && step_unit == desk_unit;
    case RF_DS_NEW:
    case RF_DS_COUNT:
        return 0;
    default: /* finished, or never received */
        return step == -1 && step_unit == 0;
    }
}

const char *const rf_dossier_metric_names[RF_M_COUNT + 1] = {
    "received",        "received_online", "early",   "on_time",  "late",
    "process_minutes", "supplement",      "apology", "refused",  "withdrawn",
    "stopped",         "guided",          "open",    "returned", NULL};

int rf_dossier_effects(const struct rf_dossier_fact *f,
                       struct rf_dossier_effect out[RF_DOSSIER_MAX_EFFECTS])
{
    static const enum rf_dossier_metric result[] = {
        [RF_EARLY] = RF_M_EARLY, [RF_ON_TIME] = RF_M_ON_TIME, [RF_LATE] = RF_M_LATE};
    int n = 0;

#define EFFECT(m, d) (out[n].metric = (m), out[n++].delta = (d))
    switch (f->action) {
    case RF_DA_RECEIVE:
        EFFECT(RF_M_RECEIVED, 1);
        EFFECT(RF_M_OPEN, 1);
        if (f->online)
            EFFECT(RF_M_ONLINE, 1);
        break;
    case RF_DA_GUIDE:
        EFFECT(RF_M_GUIDED, 1);
        break;
    case RF_DA_REFUSE:
    case RF_DA_WITHDRAW:
    case RF_DA_STOP:
        EFFECT(f->action == RF_DA_REFUSE     ? RF_M_REFUSED
               : f->action == RF_DA_WITHDRAW ? RF_M_WITHDRAWN
                                             : RF_M_STOPPED,
               1);
        if (f->from != RF_DS_NEW) /* refused at the desk: never open */
            EFFECT(RF_M_OPEN, -1);
        break;
    case RF_DA_HAND_OVER:
        if (f->to != RF_DS_READY) /* on to the next step */
            break;
        EFFECT(result[f->timeliness], 1);
        EFFECT(RF_M_OPEN, -1);
        if (f->worked >= 0)
            EFFECT(RF_M_MINUTES, f->worked);
        break;
    case RF_DA_ASK:
        EFFECT(RF_M_SUPPLEMENT, 1);
        break;
    case RF_DA_APOLOGISE:
        EFFECT(RF_M_APOLOGY, 1);
        break;
    case RF_DA_RETURN:
        EFFECT(RF_M_RETURNED, 1);
        break;
    case RF_DA_SUPPLIED:
    case RF_DA_NOTIFY:
    case RF_DA_COUNT:
        break;
    }
#undef EFFECT
    return n;
}

int rf_rate_tenths(int64_t num, int64_t den)
{
    if (den <= 0 || num <= 0)
        return 0;
    return (int)((num * 2000 + den) / (2 * den));
}

int rf_dossier_code(const char *unit_code, struct rf_date received, int64_t seq,
                    char out[RF_DOSSIER_CODE_MAX])
{
    size_t len = unit_code ? strlen(unit_code) : 0;

    if (len < 1 || len > 20 || seq < 1 || seq > 999999999)
        return RF_EINVAL;
    for (size_t i = 0; i < len; i++) {
        char c = unit_code[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-'))
            return RF_EINVAL; /* spelt out over the phone: capitals, digits, dots, dashes */
    }
    snprintf(out, RF_DOSSIER_CODE_MAX, "%s-%02d%02d%02d-%04lld", unit_code, received.year % 100,
             received.month % 100, received.day % 100, (long long)seq);
    return RF_OK;
}
