/*
 * The task book: source documents and the tasks they assign, progress, completion
 * and extensions, the committee's figures, reminders, report and imports.
 */
#ifndef RF_APP_TASKS_H
#define RF_APP_TASKS_H

#include "app.h"

/* ---- documents.c ---- */

struct rf_document_input {
    const char *number;
    const char *issuer;
    const char *issued_on;
    const char *title;
    const char *assigning_body;
};

/* A document as JSON. */
void rf_app_document_json(const struct rf_document *d, struct rf_buf *out);
/*
 * Register a source document (the secretariat): every fault of the input
 * named in 'err' (RF_EINVAL), RF_ECONFLICT for a number the issuer used
 * already; 'out' gets it as written.
 */
int rf_app_document_create(struct rf_app *app, const struct rf_actor *actor,
                           const struct rf_document_input *in, struct rf_document *out,
                           struct rf_error *err) RF_MUST_CHECK;
/* Document 'id' into 'out'; RF_ENOTFOUND when there is none. */
int rf_app_document_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                        struct rf_document *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * The documents whose number or title holds 'text' (NULL: all), by id after
 * 'after_id', at most 'limit', each through 'fn'.
 */
int rf_app_documents_list(struct rf_app *app, const struct rf_actor *actor, const char *text,
                          int64_t after_id, int limit, rf_document_fn fn, void *ctx,
                          struct rf_error *err) RF_MUST_CHECK;

/* ---- tasks.c ---- */

/* A task to create, or the fields of one to change (NULL or 0: absent). */
struct rf_task_input {
    int64_t document_id;
    const char *document_number; /* instead of document_id (imports) */
    const char *ref;
    const char *title;
    const char *assigning_body; /* default: the document's */
    int64_t lead_unit_id;
    const char *lead_unit_code; /* instead of lead_unit_id (imports) */
    const int64_t *coordinating;
    int ncoordinating;
    const char *coordinating_codes; /* instead: codes joined by '|' (imports) */
    const char *field;
    const char *assigned_on; /* default: the document's date */
    const char *deadline;    /* NULL or "": a standing task */
};

struct rf_task_list_query {
    const char *date;   /* the day statuses are judged on; NULL: today */
    const char *status; /* only tasks in these statuses on 'date', joined by ',' */
    int due;            /* only tasks already due on 'date' (deadline then passed or today) */
    int64_t document_id;
    int64_t lead_unit_id;
    const char *field;
    const char *assigning_body; /* joined by ',' */
    const char *assigned_from, *assigned_to;
    const char *deadline_from, *deadline_to;
    const char *text;
    int64_t after_id;
    int limit;
};

/* A task as a list shows it: its status on the query's date. */
typedef int (*rf_task_row_fn)(void *ctx, const struct rf_task *t, const char *status);

/* A task as JSON, with its status when given. */
void rf_app_task_json(const struct rf_task *t, const char *status, struct rf_buf *out);

/*
 * Create the 'n' tasks of 'in' in one transaction, each with its audit
 * record: all or none. Errors name the field as "tasks[i].field" when n > 1.
 * 'ids' (may be NULL) gets the new ids.
 */
int rf_app_tasks_create(struct rf_app *app, const struct rf_actor *actor,
                        const struct rf_task_input *in, int n, int64_t *ids,
                        struct rf_error *err) RF_MUST_CHECK;
/*
 * The same in two halves, so that a server answers other requests while the
 * tasks wait for the disk, as a receipt does (rf_app_dossier_receive_begin):
 * begin checks them and queues them ('*out' set, RF_OK) or fails with nothing
 * queued; 'ready(arg)' is then called exactly once, from another thread or
 * before begin returns (NULL: end waits). 'in' is read by begin alone; 'ids'
 * (may be NULL) lives until the end.
 */
struct rf_task_creation;
int rf_app_task_create_begin(struct rf_app *app, const struct rf_actor *actor,
                             const struct rf_task_input *in, int n, int64_t *ids,
                             void (*ready)(void *), void *arg, struct rf_task_creation **out,
                             struct rf_error *err) RF_MUST_CHECK;
/*
 * The result of tasks begun, once 'ready' was called: RF_OK with the first
 * task's page in 'out' (may be NULL) as rf_app_task_get() writes it for today,
 * or the change's error in 'err'; frees 'x'.
 */
int rf_app_task_create_end(struct rf_task_creation *x, struct rf_buf *out,
                           struct rf_error *err) RF_MUST_CHECK;
/*
 * The tasks of the actor's scope matching 'q', by id, each through 'fn' with
 * its status on the query's date; every bad filter named in 'err'.
 */
int rf_app_tasks_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_task_list_query *q, rf_task_row_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;
/* A task as JSON with its status on 'date', deadline history, coordinating units, reports. */
int rf_app_task_get(struct rf_app *app, const struct rf_actor *actor, int64_t id, const char *date,
                    struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
/* Change title, field or lead unit (the secretariat). */
int rf_app_task_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_task_input *in, struct rf_error *err) RF_MUST_CHECK;
/* A progress report by the actor's unit (lead or coordinating). */
int rf_app_task_report(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const char *reported_on, int percent, const char *note,
                       struct rf_error *err) RF_MUST_CHECK;
/* Mark the task completed on 'completed_on' (the lead unit or the secretariat). */
int rf_app_task_complete(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                         const char *completed_on, struct rf_error *err) RF_MUST_CHECK;
/*
 * Extend (or remove, with "" or NULL) the deadline, with a reason (the
 * assigner's word), as decided on 'decided_on' (NULL or "": today; else not
 * after today nor before the deadline's last change).
 */
int rf_app_task_extend(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const char *deadline, const char *reason, const char *decided_on,
                       struct rf_error *err) RF_MUST_CHECK;

/* ---- task_figures.c ---- */

/*
 * The committee's figures as JSON: tasks assigned within 'period' (core
 * period syntax), their statuses on 'as_of' (NULL: the period's last day, or
 * today if earlier), in all and by assigning body, field and lead unit
 * rolled up to the units directly under 'unit_id' (0: the actor's scope) in
 * the tree in force on 'as_of'. 'bodies' (NULL: all) keeps only tasks of
 * these assigning bodies, joined by ',': "government,prime_minister" gives
 * what the Government assigned.
 */
int rf_app_task_stats(struct rf_app *app, const struct rf_actor *actor, const char *period,
                      const char *as_of, int64_t unit_id, const char *bodies, struct rf_buf *out,
                      struct rf_error *err) RF_MUST_CHECK;

/*
 * Reminders on 'date' (NULL: today): the tasks not completed whose deadline
 * has passed (overdue) or falls within 'within' working days, in the actor's
 * scope (or led under 'unit_id'), through 'fn' grouped by lead unit (by
 * code), overdue first, then by deadline. Working days are those of the
 * legal calendar (calendar.c). '*due_by' gets the last day counted.
 */
typedef int (*rf_reminder_fn)(void *ctx, const struct rf_unit *lead, const struct rf_task *t,
                              int overdue);
int rf_app_task_reminders(struct rf_app *app, const struct rf_actor *actor, const char *date,
                          int within, int64_t unit_id, char due_by[RF_DATE_LEN], rf_reminder_fn fn,
                          void *ctx, struct rf_error *err) RF_MUST_CHECK;

/* ---- reports.c ---- */

/*
 * The tasks section of the steering committee's report for 'period' as of
 * 'as_of' (NULL: its end or today), for the units under 'unit_id' (0: the
 * actor's scope), in 'format' "text" or "json" (appended to 'out') or "xlsx"
 * (written to 'path', one sheet per breakdown).
 */
int rf_app_report(struct rf_app *app, const struct rf_actor *actor, const char *period,
                  const char *as_of, int64_t unit_id, const char *format, const char *path,
                  struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;

/* ---- task_imports.c ---- */

/*
 * Imports from CSV, each in one transaction (all rows or none), with an
 * audit record per row; '*count' gets the rows read. Headers:
 *   documents: number,issuer,issued_on,title,assigning_body
 *   tasks:     ref,document,title,assigning_body,lead_unit,coordinating_units,field,
 *              assigned_on,deadline,completed_on,extended_on,extended_deadline,
 *              extension_reason  (units by code, coordinating codes joined by '|')
 *   progress:  ref,reported_on,percent,note,unit
 */
int rf_app_documents_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                            int *count, struct rf_error *err) RF_MUST_CHECK;
int rf_app_tasks_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                        int *count, struct rf_error *err) RF_MUST_CHECK;
int rf_app_progress_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                           int *count, struct rf_error *err) RF_MUST_CHECK;

#endif
