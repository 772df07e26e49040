/*
 * The life of a one-stop dossier (ho so mot cua): which action may move it
 * from which state, and who may take it; whether a finished dossier was
 * early, on time or late; the rates of the service center's report; and the
 * dossier's code. Pure: the caller supplies the times and the calendar.
 *
 * Sources: Decree 61/2018/ND-CP as amended by Decree 107/2021/ND-CP (and,
 * from 1 July 2025, Decree 118/2025/ND-CP); Circular 01/2018/TT-VPCP (the
 * forms 01 to 06); Decision 766/QD-TTg (the progress indicators).
 */
#ifndef RF_DOSSIER_H
#define RF_DOSSIER_H

#include <stdint.h>

#include "worktime.h"

enum rf_dossier_state {
    RF_DS_NEW,        /* at the desk, not yet received */
    RF_DS_INCOMPLETE, /* returned for completion with a guidance slip (Form 02): never received */
    RF_DS_REFUSED,    /* refused with a reason (Form 03): finished */
    RF_DS_PROCESSING, /* received complete (Form 01): at a step of the process, the clock running */
    RF_DS_SUPPLEMENT, /* papers asked of the citizen: the clock paused */
    RF_DS_READY,      /* the result waits at the desk */
    RF_DS_NOTIFIED,   /* the citizen was told the result is ready, not yet collected */
    RF_DS_RETURNED,   /* the result handed over: finished */
    RF_DS_WITHDRAWN,  /* withdrawn at the citizen's request: finished */
    RF_DS_STOPPED,    /* processing stopped: finished */
    RF_DS_COUNT
};

enum rf_dossier_action {
    RF_DA_RECEIVE,   /* the desk takes a complete dossier in: the clock starts */
    RF_DA_GUIDE,     /* the desk returns an incomplete one for completion (Form 02) */
    RF_DA_REFUSE,    /* refused (Form 03): at the desk, or by the step that holds it */
    RF_DA_HAND_OVER, /* the step's holder passes it on, or to the desk after the last step */
    RF_DA_ASK,       /* the step's holder asks the citizen for papers: the clock stops */
    RF_DA_SUPPLIED,  /* the desk takes the papers in: the clock runs again at the same step */
    RF_DA_APOLOGISE, /* the step's holder apologises with a new appointment (Form 04) */
    RF_DA_NOTIFY,    /* the desk tells the citizen the result is ready */
    RF_DA_RETURN,    /* the desk hands the result over */
    RF_DA_WITHDRAW,  /* the desk records the citizen's withdrawal */
    RF_DA_STOP,      /* the step's holder stops the processing */
    RF_DA_COUNT
};

/* Who may take an action: the desk that received the dossier, the holder of its current step. */
#define RF_DWHO_DESK 1u
#define RF_DWHO_STEP 2u

struct rf_dossier_move {
    enum rf_dossier_state to;
    unsigned who;     /* RF_DWHO_* bits */
    int needs_reason; /* a written reason is required */
    int next_step;    /* the step after the move: -1 none, else its index */
};

/*
 * The API's names of states and actions ("processing", "hand_over"), and
 * back: a name is static text, "?" for a value out of range; a parse is
 * RF_OK with '*out', or RF_EINVAL for an unknown name ('*out' unchanged).
 */
const char *rf_dossier_state_name(enum rf_dossier_state s);
int rf_dossier_state_parse(const char *name, enum rf_dossier_state *out) RF_MUST_CHECK;
const char *rf_dossier_action_name(enum rf_dossier_action a);
int rf_dossier_action_parse(const char *name, enum rf_dossier_action *out) RF_MUST_CHECK;

/* Whether the dossier is finished (refused, returned, withdrawn, stopped) or never received. */
int rf_dossier_closed(enum rf_dossier_state s);
/*
 * Whether a dossier's state agrees with where it is: at a step (0 or more)
 * held by a unit while processed or waiting for papers; back at its desk,
 * past the steps, while its result waits; with nobody once finished.
 */
int rf_dossier_holder_consistent(enum rf_dossier_state s, int step, int64_t step_unit,
                                 int64_t desk_unit);

/*
 * The move of action 'a' on a dossier in state 's' at step 'step' of a
 * process of 'nsteps' steps (0-based). RF_EINVAL when the action is not
 * allowed in that state (a refused dossier cannot be handed over, say).
 */
int rf_dossier_next(enum rf_dossier_state s, int step, int nsteps, enum rf_dossier_action a,
                    struct rf_dossier_move *out) RF_MUST_CHECK;

enum rf_timeliness { RF_EARLY, RF_ON_TIME, RF_LATE };

/*
 * A finished dossier with its result at 'result' against 'due' (local
 * minutes): early when the result came on a day before the due day, on time
 * on the due day by the due time, late after it. An apology does not change
 * it: the figures still count such a dossier late.
 */
enum rf_timeliness rf_dossier_timeliness(int64_t due, int64_t result);
const char *rf_timeliness_name(enum rf_timeliness t);

/*
 * Whether an apology at 'now' comes in time: no later than one working day
 * before the due time. RF_EINVAL outside the calendar's span.
 */
int rf_dossier_apology_in_time(const struct rf_worktime *w, int64_t now, int64_t due,
                               int *in_time) RF_MUST_CHECK;

/*
 * The service center's counters of a dossier (Decision 766/QD-TTg's
 * indicators), kept per desk and the units above it, per day and month, by
 * the names in rf_dossier_metric_names (NULL-terminated, in this order).
 */
enum rf_dossier_metric {
    RF_M_RECEIVED,   /* received complete */
    RF_M_ONLINE,     /* of those, received online ("received_online") */
    RF_M_EARLY,      /* results before the due day */
    RF_M_ON_TIME,    /* results on the due day by the due time */
    RF_M_LATE,       /* results after the due time */
    RF_M_MINUTES,    /* working minutes from receipt to result, pauses left out */
    RF_M_SUPPLEMENT, /* papers asked of the citizen */
    RF_M_APOLOGY,    /* apologies with a new appointment (Form 04) */
    RF_M_REFUSED,    /* refused, at the desk or later (Form 03) */
    RF_M_WITHDRAWN,  /* withdrawn at the citizen's request */
    RF_M_STOPPED,    /* processing stopped */
    RF_M_GUIDED,     /* returned for completion at the desk (Form 02) */
    RF_M_OPEN,       /* under way: +1 at receipt, -1 at the result or the end */
    RF_M_RETURNED,   /* results handed over */
    RF_M_COUNT
};
extern const char *const rf_dossier_metric_names[RF_M_COUNT + 1];

/* What happened to a dossier, as its counters need to know. */
struct rf_dossier_fact {
    enum rf_dossier_action action;
    enum rf_dossier_state from, to; /* the move's states (rf_dossier_next) */
    int online;                     /* received online */
    enum rf_timeliness timeliness;  /* of a result (a hand-over to the desk after the last step) */
    int64_t worked;                 /* working minutes to that result; < 0 when unknown */
};

#define RF_DOSSIER_MAX_EFFECTS 3

/* One counter moved by a fact: 'delta' of 'metric', on the day of the move. */
struct rf_dossier_effect {
    enum rf_dossier_metric metric;
    int64_t delta;
};

/*
 * The counters fact 'f' moves, into 'out' (at most RF_DOSSIER_MAX_EFFECTS);
 * returns how many. A receipt counts received, open and, online, its
 * channel; a result its timeliness, its working minutes, and leaves open;
 * a refusal, a withdrawal or a stop its own and, after receipt, leaves open;
 * papers asked, an apology, a guidance slip and a return each their own.
 * The rest (a hand-over between steps, papers supplied, a notice) none.
 */
int rf_dossier_effects(const struct rf_dossier_fact *f,
                       struct rf_dossier_effect out[RF_DOSSIER_MAX_EFFECTS]);

/* 'num' of 'den' in tenths of a percent, half up (124,907 of 257,141: 486, for 48.6%). */
int rf_rate_tenths(int64_t num, int64_t den);

#define RF_DOSSIER_CODE_MAX 48
/*
 * The code a person reads over the phone: the receiving unit's code, the
 * receipt date as YYMMDD and the unit's sequence of that day, 4 digits at
 * least: "18070-260213-0042". RF_EINVAL for a unit code unfit for it.
 */
int rf_dossier_code(const char *unit_code, struct rf_date received, int64_t seq,
                    char out[RF_DOSSIER_CODE_MAX]) RF_MUST_CHECK;

#endif
