/*
 * One-stop dossiers: the procedures' catalogue, receipt and moves, reads and the
 * public lookup, and the service center's figures.
 */
#ifndef RF_APP_DOSSIERS_H
#define RF_APP_DOSSIERS_H

#include "app.h"

/* ---- procedures.c ---- */

/* The catalogue from CSV text (code,version_from,name,field,level,days,hours,fee,online,papers,
   steps,source), all rows or none; '*count' gets the rows. Errors name "line N: field". */
int rf_app_procedures_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                             int *count, struct rf_error *err) RF_MUST_CHECK;
/* The procedures in force on 'date' (NULL: today) matching 'text', 'field', 'level', as a page. */
int rf_app_procedures_json(struct rf_app *app, const struct rf_actor *actor, const char *date,
                           const char *text, const char *field, const char *level, int64_t after_id,
                           struct rf_page *page, struct rf_error *err) RF_MUST_CHECK;
/* Procedure version 'id' as JSON, with its steps; RF_ENOTFOUND when there is none. */
int rf_app_procedure_json(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                          struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;

/* ---- dossiers.c ---- */

struct rf_dossier_input {
    const char *procedure_code;
    const char *applicant_name, *applicant_phone, *applicant_address;
    const char *channel; /* desk (default), online, post */
    const char *outcome; /* receive (default), guide (Form 02), refuse (Form 03) */
    const char *reason;  /* what to add or complete (guide), why (refuse) */
};
/*
 * Take a dossier in at the actor's desk now. Received (complete): the version
 * of the procedure in force today, the due time on the working calendar, the
 * code and the slip's lookup secret; 'out' gets the dossier with "secret"
 * (shown once, for the slip's QR code). Guided (incomplete: returned for
 * completion) or refused: recorded with its code and reason for the desk's
 * log book, never received, no clock and no secret.
 *
 * In two halves, so that a server answers other requests while the receipt
 * waits for the disk: begin checks and queues it (RF_OK, '*out' set), or
 * fails with nothing queued; 'ready(arg)' is then called exactly once, from
 * another thread or before begin returns, and after it end gives the answer
 * and frees the receipt. With 'ready' NULL, end waits for the receipt itself.
 */
struct rf_receipt;
int rf_app_dossier_receive_begin(struct rf_app *app, const struct rf_actor *actor,
                                 const struct rf_dossier_input *in, void (*ready)(void *),
                                 void *arg, struct rf_receipt **out,
                                 struct rf_error *err) RF_MUST_CHECK;
/*
 * The end of a receipt begun: RF_OK with the dossier as JSON in 'out' (may
 * be NULL), or the change's error in 'err'; frees 'x'.
 */
int rf_app_dossier_receive_end(struct rf_receipt *x, struct rf_buf *out,
                               struct rf_error *err) RF_MUST_CHECK;
/*
 * Act on the dossier 'code' as it stands at 'version': hand over, ask for
 * papers, take them in, apologise with a new 'appointment' ("YYYY-MM-DD HH:MM"),
 * refuse, stop, withdraw, notify, return. RF_ENOTFOUND when there is no such
 * dossier or it is outside the actor's scope (as for the detail), before the
 * rest is judged: RF_EINVAL for a bad input, RF_ECONFLICT when the dossier
 * moved since 'version' or its state does not allow the action,
 * RF_EFORBIDDEN when the actor's unit does not hold it.
 */
int rf_app_dossier_act(struct rf_app *app, const struct rf_actor *actor, const char *code,
                       const char *action, int version, const char *reason, const char *appointment,
                       struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * The same in two halves, as a receipt's (rf_app_dossier_receive_begin): the
 * move is read and judged now, and queued for the writer with '*out' set
 * (RF_OK), or refused with nothing queued (the codes above, 'err' set);
 * 'ready(arg)' is then called once, from another thread, when it is written
 * or failed (NULL: rf_app_dossier_act_end waits for it).
 */
struct rf_move;
int rf_app_dossier_act_begin(struct rf_app *app, const struct rf_actor *actor, const char *code,
                             const char *action, int version, const char *reason,
                             const char *appointment, void (*ready)(void *), void *arg,
                             struct rf_move **out, struct rf_error *err) RF_MUST_CHECK;
/*
 * Wait for the move begun (unless its 'ready' was called already), free it,
 * and give its result: RF_OK with the dossier as it now stands in 'out', or
 * what rf_app_dossier_act would have, with 'err' set.
 */
int rf_app_dossier_act_end(struct rf_move *x, struct rf_buf *out,
                           struct rf_error *err) RF_MUST_CHECK;
/* ---- dossier_reads.c ---- */

/* The dossier with its timeline (the tracking slip), within the actor's scope. */
int rf_app_dossier_json(struct rf_app *app, const struct rf_actor *actor, const char *code,
                        struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * What a citizen may see of dossier 'code' with its slip's 'secret' or the
 * applicant's 'phone': the procedure, the state, the current step and office,
 * the due time; never personal data. RF_ENOTFOUND for a wrong code, secret or
 * phone alike; after 60 of those from one 'address' in a window, RF_ELIMIT.
 */
int rf_app_dossier_lookup(struct rf_app *app, const char *code, const char *secret,
                          const char *phone, const char *address, struct rf_buf *out,
                          int *retry_after, struct rf_error *err) RF_MUST_CHECK;
/* A list's filters as given (NULL: none); periods as in DESIGN.md, in local days. */
struct rf_dossier_filter {
    const char *received;   /* a period of receipt */
    const char *result;     /* a period of the result */
    const char *ended;      /* a period of the end: refused, withdrawn, stopped, returned... */
    const char *taken;      /* a period of intake at the desk, whatever came of it (the log book) */
    const char *asked;      /* a period in which papers were asked */
    const char *apologised; /* a period in which an apology was issued */
    const char *state;      /* "processing,supplement" */
    const char *timeliness;
    const char *field, *level;
    int overdue;  /* 1: processing past the due time now; 0: within it; -1: either */
    int64_t unit; /* desks under this unit; 0: the actor's scope */
};
/*
 * The dossiers of the actor's scope matching 'f', by id, as a page: what a
 * figure of the report counts (received in a period, early in a period...).
 */
int rf_app_dossiers_json(struct rf_app *app, const struct rf_actor *actor,
                         const struct rf_dossier_filter *f, int64_t after_id, struct rf_page *page,
                         struct rf_error *err) RF_MUST_CHECK;
/* The steps held by the actor's unit, overdue first, then by due time, as a page. */
int rf_app_worklist_json(struct rf_app *app, const struct rf_actor *actor, struct rf_page *page,
                         struct rf_error *err) RF_MUST_CHECK;
/* ---- dossier_figures.c ---- */

/*
 * The service center's figures for 'period' under 'unit' (0: the province);
 * with 'by' "field", "level" or "unit" (each unit directly under it, by the
 * desks below it) also "rows" of the same figures, one per key with any count.
 */
int rf_app_dossier_stats_json(struct rf_app *app, const struct rf_actor *actor, const char *period,
                              int64_t unit, const char *by, struct rf_buf *out,
                              struct rf_error *err) RF_MUST_CHECK;

#endif
