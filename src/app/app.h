/*
 * The application layer: use cases over the store, each deciding who may do
 * it (roles and unit scope, in access.c), validating input, and writing the
 * change and its audit record in one transaction. HTTP and CLI call only
 * these functions.
 */
#ifndef RF_APP_H
#define RF_APP_H

#include <stdint.h>

#include "../common/buf.h"
#include "../common/err.h"
#include "../core/access.h"
#include "../store/store.h"

struct rf_app;

#define RF_DEFAULT_KEYS "var/keys"

struct rf_app_config {
    const char *db_url;        /* "sqlite:PATH" or "postgresql://..." */
    int pool_size;             /* connections kept open; one per server thread */
    const char *province_code; /* NULL: the database's first province */
    const char *keys_dir;      /* the secrets kept outside the database; NULL: RF_DEFAULT_KEYS */
};

/* Who is acting: a signed-in user, or the system (CLI commands run by the operator). */
struct rf_actor {
    int64_t user_id; /* 0 for the system */
    int64_t province_id;
    int64_t unit_id;
    int64_t scope_unit_id; /* root of what they may see: their unit or the province */
    int64_t session_id;
    unsigned roles;
    int via_cookie; /* needs the CSRF token on changes */
    char username[65];
    char csrf[65];
};

/*
 * Open the database, migrate it if it is empty or behind, and find the
 * province. With 'allow_empty', a database without a province opens too
 * (for imports and the demo loader). Returns RF_OK and '*out'.
 */
int rf_app_open(const struct rf_app_config *cfg, int allow_empty, struct rf_app **out,
                struct rf_error *err) RF_MUST_CHECK;
void rf_app_close(struct rf_app **app);

/* Seconds since the epoch; the only clock the application reads. */
int64_t rf_app_now(const struct rf_app *app);
/* Today's date in the province's zone as "YYYY-MM-DD". */
void rf_app_today(const struct rf_app *app, char out[RF_DATE_LEN]);
/* The province served, or NULL when the database has none yet. */
const struct rf_province *rf_app_province(const struct rf_app *app);
int64_t rf_app_root_unit(const struct rf_app *app);
const char *rf_app_backend(const struct rf_app *app);

/*
 * The province's data version: the sequence number of its latest audit
 * record. Every change is audited in its own transaction, so the version
 * moves with every change of any kind, in this process or another.
 */
int rf_app_data_version(struct rf_app *app, int64_t *out) RF_MUST_CHECK;
/* The province's units_version: it changes with every change to the tree. */
int rf_app_units_version(struct rf_app *app, int64_t *out) RF_MUST_CHECK;
/*
 * Whether the database answers, for health checks: RF_OK with its schema
 * version in '*schema', else RF_ESTORE with '*schema' 0. No actor, no audit.
 */
int rf_app_health(struct rf_app *app, int *schema) RF_MUST_CHECK;

/* A store connection from the pool, returned by rf_app_store_put(). */
struct rf_store *rf_app_store_get(struct rf_app *app);
void rf_app_store_put(struct rf_app *app, struct rf_store *s);

/* The system actor, for CLI commands: province-wide, every role. */
void rf_app_system_actor(const struct rf_app *app, struct rf_actor *out);

/* ---- access.c ---- */

/* RF_OK when 'actor' has a role allowing 'action', else RF_EFORBIDDEN. */
int rf_app_allow(const struct rf_actor *actor, enum rf_action action,
                 struct rf_error *err) RF_MUST_CHECK;
/*
 * RF_OK when unit 'unit_id' is within the actor's scope on 'date', else
 * RF_ENOTFOUND (outside the scope answers exactly as absent).
 */
int rf_app_scope_check(struct rf_store *s, const struct rf_actor *actor, int64_t unit_id,
                       const char *date, struct rf_error *err) RF_MUST_CHECK;

/* ---- audit.c ---- */

/*
 * Append an audit record for 'actor' inside the caller's transaction.
 * 'before' and 'after' are JSON text or NULL.
 */
int rf_app_audit(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                 const char *action, const char *entity, int64_t entity_id, const char *before,
                 const char *after) RF_MUST_CHECK;

struct rf_audit_filter {
    const char *entity;
    const char *entity_id;
    int64_t after_seq;
    int limit;
};

/* Audit records of the actor's province; admins and the secretariat only. */
int rf_app_audit_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_audit_filter *f, rf_audit_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;

/* What rf_app_audit_verify found. */
#define RF_AUDIT_MAX_PROBLEMS 100
struct rf_audit_problem {
    int64_t province;
    int64_t seq;    /* the record, or 0 for the chain as a whole */
    char text[256]; /* "record 17 does not match its hash (altered)", ... */
};
struct rf_audit_report {
    int64_t records; /* records checked */
    int64_t provinces;
    int64_t unkeyed;  /* records written before the chain was keyed (plain hashes) */
    int64_t anchors;  /* checkpoints checked against the chains */
    int ok;           /* 1 when every chain holds */
    int64_t problems; /* found; the first RF_AUDIT_MAX_PROBLEMS are in 'problem' */
    struct rf_audit_problem problem[RF_AUDIT_MAX_PROBLEMS];
};

/* What to check the chains against besides themselves. */
struct rf_audit_checkpoints {
    const char *text;     /* checkpoint lines (rf_anchor_format), NULL for none */
    const char *keys_dir; /* its signer's public key is keys_dir/anchor.pub; NULL: the default */
};

/*
 * Check every province's chain from its first record to its head, each
 * record's MAC under the app's audit key, and every checkpoint in 'cp' (may
 * be NULL): each problem found is reported, not only the first. RF_ENOTFOUND
 * when checkpoints are given without their signer's public key.
 */
int rf_app_audit_verify(struct rf_app *app, const struct rf_audit_checkpoints *cp,
                        struct rf_audit_report *report, struct rf_error *err) RF_MUST_CHECK;

/*
 * A checkpoint of the head of the app's province's chain, signed with the
 * key pair in 'keys_dir' (made there on first use, '*created' 1), as the
 * line to keep ('line', RF_ANCHOR_LINE_MAX bytes).
 */
int rf_app_audit_anchor(struct rf_app *app, const char *keys_dir, struct rf_anchor *out, char *line,
                        int *created, struct rf_error *err) RF_MUST_CHECK;

/* ---- auth.c ---- */

#define RF_TOKEN_LEN 44 /* 32 random bytes in unpadded base64url, and a NUL */
#define RF_TOKEN_MAX_DAYS 3660
#define RF_TOKEN_DEFAULT_DAYS 90

/* The life of a bearer token issued without one, 1 to RF_TOKEN_MAX_DAYS days. */
void rf_app_set_token_days(struct rf_app *app, int days);

/*
 * Sign 'username' in from 'address'. On success '*actor' is filled and
 * 'token' holds the new session secret (set it as the cookie). RF_EAUTH for
 * bad credentials or a disabled account (counted against the account and
 * the address, and audited with the name tried and the address); RF_ELIMIT
 * with '*retry_after' seconds when too many attempts failed for the account
 * or the address, in this process or another sharing the database.
 */
int rf_app_signin(struct rf_app *app, const char *username, const char *password,
                  const char *address, struct rf_actor *actor, char token[RF_TOKEN_LEN],
                  int64_t *retry_after, struct rf_error *err) RF_MUST_CHECK;
/*
 * The actor of a session cookie or bearer token secret. RF_EAUTH when it is
 * unknown, ended, expired or its user is disabled.
 */
int rf_app_authenticate(struct rf_app *app, const char *token, enum rf_session_kind kind,
                        struct rf_actor *actor) RF_MUST_CHECK;
int rf_app_signout(struct rf_app *app, const struct rf_actor *actor) RF_MUST_CHECK;
/*
 * Change the actor's own password; every session of theirs ends. A wrong
 * 'current' password counts as a failed sign-in of the account and of
 * 'address' (audited); over the limits, RF_ELIMIT with '*retry_after'.
 */
int rf_app_password_change(struct rf_app *app, const struct rf_actor *actor, const char *current,
                           const char *next, const char *address, int64_t *retry_after,
                           struct rf_error *err) RF_MUST_CHECK;
/* Issue a bearer token for user 'user_id' (admins). */
int rf_app_token_issue(struct rf_app *app, const struct rf_actor *actor, int64_t user_id,
                       const char *label, int expires_in_days, char token[RF_TOKEN_LEN],
                       struct rf_session *out, struct rf_error *err) RF_MUST_CHECK;
/* argon2id hash of 'password' (at least 19 MiB, 2 passes) into 'out'. */
int rf_app_password_hash(const char *password, char out[RF_PASSWORD_HASH_MAX]) RF_MUST_CHECK;
/* The "me" JSON of a signed-in actor. */
int rf_app_me_json(struct rf_app *app, const struct rf_actor *actor,
                   struct rf_buf *out) RF_MUST_CHECK;

/* ---- units.c ---- */

/* Input of a unit create or change: NULL or zero members are absent. */
struct rf_unit_input {
    const char *code;
    const char *name;
    const char *kind;
    int64_t parent_id;
    const char *valid_from;
    const char *valid_to;
    int generated; /* -1 absent */
};

struct rf_unit_list_query {
    const char *date; /* NULL: today */
    int64_t root_id;  /* 0: the actor's scope */
    int64_t parent_id;
    int depth; /* 0: all levels */
    const char *text;
    const char *kind;
    int64_t after_id;
    int limit;
};

/* JSON of a unit, as the API and the audit show it. */
void rf_app_unit_json(const struct rf_unit *u, struct rf_buf *out);

int rf_app_units_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_unit_list_query *q, rf_unit_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;
/*
 * RF_OK when unit 'id' is in force on 'date' (NULL: today) and within the
 * actor's scope then; RF_ENOTFOUND otherwise, RF_EINVAL for a bad date.
 */
int rf_app_unit_visible(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                        const char *date, struct rf_error *err) RF_MUST_CHECK;
/*
 * The unit with code 'code' into '*out', read as of 'date' (NULL: today), or
 * as of its last day when it ended before or its first when it began after,
 * as rf_app_unit_get() reads a unit: a code names one unit for good.
 * RF_ENOTFOUND when no unit has the code or it is outside the actor's scope
 * on that day (alike), RF_EINVAL naming "code" or "date", RF_EFORBIDDEN
 * without a role that reads units.
 */
int rf_app_unit_by_code(struct rf_app *app, const struct rf_actor *actor, const char *code,
                        const char *date, struct rf_unit *out, struct rf_error *err) RF_MUST_CHECK;
/* A unit with its periods in the tree appended as "links" to its JSON in 'out'. */
int rf_app_unit_get(struct rf_app *app, const struct rf_actor *actor, int64_t id, const char *date,
                    struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
int rf_app_unit_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_unit_input *in, struct rf_unit *out,
                       struct rf_error *err) RF_MUST_CHECK;
int rf_app_unit_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_unit_input *in, struct rf_unit *out,
                       struct rf_error *err) RF_MUST_CHECK;
int rf_app_unit_move(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                     int64_t parent_id, const char *from, struct rf_unit *out,
                     struct rf_error *err) RF_MUST_CHECK;
/* End unit 'id' on 'date'; its units still below it move to 'successor_id'. */
int rf_app_unit_end(struct rf_app *app, const struct rf_actor *actor, int64_t id, const char *date,
                    int64_t successor_id, struct rf_unit *out, struct rf_error *err) RF_MUST_CHECK;

/*
 * Import units from CSV text (header
 * code,name,kind,parent_code,valid_from,valid_to,successor_code,generated) in
 * one transaction: all rows or none. A code seen again adds a period under
 * another parent. Creates the province from its row when the database has
 * none. '*count' gets the rows read.
 */
int rf_app_units_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                        int *count, struct rf_error *err) RF_MUST_CHECK;
/* ---- users.c ---- */

struct rf_user_input {
    const char *username;
    const char *full_name;
    int64_t unit_id;
    const char *unit_code; /* instead of unit_id (CLI, imports) */
    const char *roles;     /* "admin|leader" */
    const char *password;
    int disabled;     /* -1 absent */
    int demo_account; /* the demo's published sign-ins: the password policy does not apply */
};

struct rf_user_list_query {
    int64_t unit_id;
    const char *text;
    int64_t after_id;
    int limit;
};

void rf_app_user_json(const struct rf_user *u, struct rf_buf *out);
int rf_app_users_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_user_list_query *q, rf_user_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;
int rf_app_user_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                    struct rf_user *out, struct rf_error *err) RF_MUST_CHECK;
int rf_app_user_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_user_input *in, struct rf_user *out,
                       struct rf_error *err) RF_MUST_CHECK;
int rf_app_user_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_user_input *in, struct rf_user *out,
                       struct rf_error *err) RF_MUST_CHECK;

/* ---- tasks.c ---- */

struct rf_document_input {
    const char *number;
    const char *issuer;
    const char *issued_on;
    const char *title;
    const char *assigning_body;
};

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

void rf_app_document_json(const struct rf_document *d, struct rf_buf *out);
void rf_app_task_json(const struct rf_task *t, const char *status, struct rf_buf *out);

int rf_app_document_create(struct rf_app *app, const struct rf_actor *actor,
                           const struct rf_document_input *in, struct rf_document *out,
                           struct rf_error *err) RF_MUST_CHECK;
int rf_app_document_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                        struct rf_document *out, struct rf_error *err) RF_MUST_CHECK;
int rf_app_documents_list(struct rf_app *app, const struct rf_actor *actor, const char *text,
                          int64_t after_id, int limit, rf_document_fn fn, void *ctx,
                          struct rf_error *err) RF_MUST_CHECK;
/*
 * Create the 'n' tasks of 'in' in one transaction, each with its audit
 * record: all or none. Errors name the field as "tasks[i].field" when n > 1.
 * 'ids' (may be NULL) gets the new ids.
 */
int rf_app_tasks_create(struct rf_app *app, const struct rf_actor *actor,
                        const struct rf_task_input *in, int n, int64_t *ids,
                        struct rf_error *err) RF_MUST_CHECK;
/* Create one task; 'out' gets its page as rf_app_task_get() writes it for today. */
int rf_app_task_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_task_input *in, struct rf_buf *out,
                       struct rf_error *err) RF_MUST_CHECK;
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

/* ---- calendar.c: the working calendar ---- */

/* The years the working-time tables cover. */
#define RF_CALENDAR_FIRST_YEAR 2000
#define RF_CALENDAR_LAST_YEAR 2100

enum rf_calendar_basis {
    RF_CALENDAR_PROPOSAL, /* no announcement: the Labour Code's default */
    RF_CALENDAR_SHIPPED,  /* the announcement shipped with Reform (data/calendar) */
    RF_CALENDAR_RECORDED, /* an announcement recorded by an admin */
};

/* A year's calendar: its exceptions to the Monday-to-Friday week and where they come from. */
struct rf_calendar_year {
    int year;
    enum rf_calendar_basis basis;
    char source[RF_DAY_SOURCE_BYTES]; /* of a recorded year: the announcement's reference */
    int64_t recorded_by, recorded_at;
    struct rf_calendar_day days[RF_CALENDAR_MAX_DAYS];
    int n;
};

int rf_app_calendar_year(struct rf_app *app, int year, struct rf_calendar_year *out,
                         struct rf_error *err) RF_MUST_CHECK;
/* The year as JSON: its basis, days, working hours and count of working days. Public. */
int rf_app_calendar_json(struct rf_app *app, int year, struct rf_buf *out,
                         struct rf_error *err) RF_MUST_CHECK;
/*
 * Record the announcement of 'year' (admin): it replaces the shipped one or
 * the proposal. Errors name "days[i].field". 'out' gets the year as
 * rf_app_calendar_json() writes it with "changes": each date that turns
 * from working to off or back, and "affected_dossiers": the unfinished
 * dossiers whose due time counted again would differ (not moved: reported).
 */
int rf_app_calendar_record(struct rf_app *app, const struct rf_actor *actor, int year,
                           const char *source, const struct rf_calendar_day *days, int n,
                           struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * Record the working hours in force from 'from' ("07:00-11:30,13:30-17:00";
 * admin); 'out' gets them with "affected_dossiers" as for a year.
 */
int rf_app_working_hours_set(struct rf_app *app, const struct rf_actor *actor, const char *from,
                             const char *periods, struct rf_buf *out,
                             struct rf_error *err) RF_MUST_CHECK;
/*
 * The due time ("YYYY-MM-DD HH:MM") of 'days' whole working days or 'hours'
 * working hours ("2", "0.5"; whole minutes) from 'from', with an optional
 * same-day 'cutoff' ("HH:MM"). Errors name from, days, hours or cutoff.
 */
int rf_app_calendar_due(struct rf_app *app, const char *from, const char *days, const char *hours,
                        const char *cutoff, char due[17], struct rf_error *err) RF_MUST_CHECK;
/*
 * The province's working-time tables for RF_CALENDAR_FIRST_YEAR to
 * RF_CALENDAR_LAST_YEAR, built on first use and again after a change of the
 * calendar; hold them until rf_app_worktime_put().
 */
const struct rf_worktime *rf_app_worktime_get(struct rf_app *app, struct rf_error *err);
void rf_app_worktime_put(struct rf_app *app, const struct rf_worktime *w);

/* ---- dossiers.c: the procedure catalogue and one-stop dossiers ---- */

/* The catalogue from CSV text (code,version_from,name,field,level,days,hours,fee,online,papers,
   steps,source), all rows or none; '*count' gets the rows. Errors name "line N: field". */
int rf_app_procedures_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                             int *count, struct rf_error *err) RF_MUST_CHECK;
/* The procedures in force on 'date' (NULL: today) matching 'text', 'field', 'level', as a page. */
int rf_app_procedures_json(struct rf_app *app, const struct rf_actor *actor, const char *date,
                           const char *text, const char *field, const char *level, int64_t after_id,
                           int limit, struct rf_buf *items, int *n, int64_t *last_id,
                           struct rf_error *err) RF_MUST_CHECK;
int rf_app_procedure_json(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                          struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;

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
                         const struct rf_dossier_filter *f, int64_t after_id, int limit,
                         struct rf_buf *items, int *n, int64_t *last_id,
                         struct rf_error *err) RF_MUST_CHECK;
/* The steps held by the actor's unit, overdue first, then by due time, as a page. */
int rf_app_worklist_json(struct rf_app *app, const struct rf_actor *actor, int64_t after_id,
                         int limit, struct rf_buf *items, int *n, int64_t *last_id,
                         struct rf_error *err) RF_MUST_CHECK;
/*
 * The service center's figures for 'period' under 'unit' (0: the province);
 * with 'by' "field", "level" or "unit" (each unit directly under it, by the
 * desks below it) also "rows" of the same figures, one per key with any count.
 */
int rf_app_dossier_stats_json(struct rf_app *app, const struct rf_actor *actor, const char *period,
                              int64_t unit, const char *by, struct rf_buf *out,
                              struct rf_error *err) RF_MUST_CHECK;

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

/* ---- demo.c ---- */

/*
 * Load the demo province (Ha Tinh as in 2023, with the 1 July 2025
 * reorganisation as dated changes, and demo users) into an empty database.
 * RF_ECONFLICT when it already holds a province.
 */
int rf_app_demo_load(struct rf_app *app, struct rf_error *err) RF_MUST_CHECK;
/* The demo sign-ins as "username<TAB>password<TAB>roles<TAB>unit" lines. */
const char *rf_app_demo_users_csv(void);
/*
 * Generate 'count' demo dossiers over 1 July 2025 - 30 June 2026 on the demo
 * province (deterministic for a count), each simulated through its
 * procedure's steps, with their timelines and the counters. Logs progress.
 */
int rf_app_demo_dossiers(struct rf_app *app, int count, struct rf_error *err) RF_MUST_CHECK;

#endif
