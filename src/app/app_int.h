/*
 * What the application's modules share and nobody else sees.
 */
#ifndef RF_APP_INT_H
#define RF_APP_INT_H

#include <pthread.h>

#include "app.h"
#include "../common/names.h"
#include "../core/account.h"

#define RF_APP_KEPT_PROCEDURES 256
#define RF_APP_KEPT_DESKS 64
#define RF_APP_KEPT_DOCUMENTS 32
#define RF_APP_KEPT_IN_FORCE 256

/* A desk's unit code and the units above it on a day, while the units' version stands. */
/* Which version of a procedure is in force on a day, while the province's procedures_version
 * stands. */
struct rf_app_in_force {
    int64_t province_id, version, id; /* id 0: none in force */
    char code[RF_PROC_CODE_MAX + 1];
    char day[RF_DATE_LEN];
};

/* A unit as it stood on a day, with the units above it, while units_version stands. */
struct rf_app_kept_unit {
    int64_t province_id, unit, version;
    char day[RF_DATE_LEN];
    char code[RF_UNIT_CODE_MAX + 1];
    char valid_from[RF_DATE_LEN], valid_to[RF_DATE_LEN];
    int64_t chain[16]; /* the unit first, then each above it */
    int n;             /* 16: maybe more above, not kept */
};

/* A unit's id by its code, kept while the units' version stands (rf_app_unit_id_kept). */
struct rf_app_kept_code {
    int64_t province_id, version, id;
    char code[RF_UNIT_CODE_MAX + 1];
};

struct rf_app {
    char *db_url;
    const char *backend;  /* "sqlite" or "postgresql", as the store says */
    pthread_mutex_t lock; /* guards the pool */
    struct rf_store **pool;
    int pool_len, pool_max; /* idle connections kept; at most pool_max open but nested */
    int open;               /* connections open: idle or lent */
    pthread_cond_t pool_ready;
    int has_province;
    struct rf_province province;
    char asked[RF_UNIT_CODE_MAX + 1]; /* the province named at opening, "" for the first */
    int64_t root_unit_id;
    unsigned char audit_key[RF_AUDIT_KEY_BYTES]; /* MACs the audit chain (keys.c) */
    int token_days;                              /* a bearer token's life when none is asked */
    /* the writer (writer.c) */
    pthread_mutex_t wlock;
    pthread_cond_t wready;
    struct rf_write_job *wqueue, *wtail;
    struct rf_store *wstore;
    pthread_t wthread;
    int wrunning, wstop;
    /* the flusher: committed changes waiting for the log's flush, then for their answer */
    pthread_cond_t fready;
    struct rf_write_job *fqueue, *ftail;
    pthread_t fthread;
    int frunning, fstop, fbusy;         /* fbusy: a flush under way */
    struct rf_write_counts *wcounts;    /* the batch's counter deltas, the writer's own */
    struct rf_write_counts *wcounts_at; /* as they stood when deferred writes began */
    int wdefers;                        /* the writer's store defers writes */
    /* the procedure versions read (procedures.c): a version never changes once written */
    pthread_mutex_t kept_lock;
    struct {
        int64_t id;
        struct rf_procedure *p;
    } kept[RF_APP_KEPT_PROCEDURES];
    int nkept;
    struct rf_app_in_force in_force[RF_APP_KEPT_IN_FORCE]; /* under kept_lock */
    /* the desks of recent receipts (dossiers.c), each while the units' version stands */
    pthread_mutex_t desks_lock;
    struct rf_app_kept_unit desks[RF_APP_KEPT_DESKS]; /* units of recent receipts and tasks */
    struct rf_app_kept_code codes[RF_APP_KEPT_DESKS]; /* the units the procedures' steps name */
    /* the documents of recent tasks (documents.c): never changed once registered */
    pthread_mutex_t docs_lock;
    struct rf_document docs[RF_APP_KEPT_DOCUMENTS];
    /* the working-time tables (calendar.c) */
    pthread_mutex_t wt_lock;
    struct rf_worktime_ref *wt;
    /* news of other processes' changes (news.c), and the copies it keeps current */
    struct rf_app_news *news;
    struct rf_app_kept_sessions *ksessions; /* auth.c */
    struct rf_app_kept_lookups *klookups;   /* dossier_reads.c */
};

/* ---- news of what other processes changed (news.c) ---- */

/* What a line of news makes a copy forget. */
enum { RF_FORGET_ALL, RF_FORGET_SESSION, RF_FORGET_USER, RF_FORGET_DOSSIER, RF_FORGET_ATTEMPT };

/* Make ready for news (rf_app_open, once the backend is known); nothing is read yet. */
void rf_app_news_start(struct rf_app *app);
/*
 * Read the news come so far, before a copy answers: 1 when copies may
 * answer (a listener stands, and every copy it spoke of is forgotten), 0
 * when the database must be read. The first call starts the listener.
 */
int rf_app_news_check(struct rf_app *app);
/* Stop listening, and free what news needs (rf_app_close). */
void rf_app_news_stop(struct rf_app *app);
/*
 * Forget kept sessions: all of them, session 'id', or user 'id''s; each call
 * also refuses to keep what a read begun before it found (rf_app_authenticate).
 */
void rf_app_sessions_forget(struct rf_app *app, int what, int64_t id);
/* Forget kept lookups: all of them, dossier 'key' (its code), or address 'key''s counter. */
void rf_app_lookups_forget(struct rf_app *app, int what, const char *key);
/* Make ready the kept sessions and lookups (rf_app_news_start), and free them (rf_app_close). */
void rf_app_sessions_init(struct rf_app *app);
void rf_app_lookups_init(struct rf_app *app);
void rf_app_sessions_free(struct rf_app *app);
void rf_app_lookups_free(struct rf_app *app);

/* ---- the secrets kept outside the database (keys.c) ---- */

/*
 * The audit key in 'dir'/audit.key into 'key'; when missing and 'create',
 * a new random one is made there ('*created' 1). RF_ENOTFOUND when missing
 * otherwise; RF_EINVAL or RF_EIO with the path in 'err'.
 */
int rf_app_audit_key_load(const char *dir, unsigned char key[RF_AUDIT_KEY_BYTES], int create,
                          int *created, struct rf_error *err) RF_MUST_CHECK;
/*
 * The checkpoint signing pair in 'dir' (anchor.key, anchor.pub): with
 * 'secret' NULL only the public key is read; else both, made when missing
 * and 'create'.
 */
int rf_app_anchor_keys_load(const char *dir, unsigned char *secret, unsigned char *public,
                            int create, int *created, struct rf_error *err) RF_MUST_CHECK;

/* ---- the connections, the scope and the audit record, for the use cases alone ---- */

/* A store connection from the pool (NULL when none can be opened, logged). */
struct rf_store *rf_app_store_get(struct rf_app *app);
/* Give connection 's' back (NULL: nothing), its open transaction rolled back. */
void rf_app_store_put(struct rf_app *app, struct rf_store *s);
/*
 * RF_OK when unit 'unit_id' is within the actor's scope on 'date', else
 * RF_ENOTFOUND (outside the scope answers exactly as absent).
 */
int rf_app_scope_check(struct rf_store *s, const struct rf_actor *actor, int64_t unit_id,
                       const char *date, struct rf_error *err) RF_MUST_CHECK;
/*
 * Append an audit record for 'actor' inside the caller's transaction.
 * 'before' and 'after' are JSON text or NULL.
 */
int rf_app_audit(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                 const char *action, const char *entity, int64_t entity_id, const char *before,
                 const char *after) RF_MUST_CHECK;

/* ---- audit records (audit.c) ---- */

/*
 * An audit record's body: the JSON object json_pack builds from 'fmt' and
 * the values after it ("{s:s,s:i}", "code", code, "version", 3), as compact
 * text, every string escaped (caller frees). Aborts on a format that does
 * not fit its values, or text not in UTF-8, which the use cases validate.
 */
char *rf_app_audit_json(const char *fmt, ...);

/* ---- failed attempts (attempts.c) ---- */

/*
 * Seconds '*wait' until ('kind', 'key') may try again under 'limit' failures
 * per window (core/account.h), 0 when it may now; read from the database.
 */
int rf_app_attempts_wait(struct rf_store *s, int64_t province_id, const char *kind, const char *key,
                         int limit, int64_t now, int64_t *wait) RF_MUST_CHECK;
/* Count one failure of ('kind', 'key') at 'now', as part of the change running on 's'. */
int rf_app_attempts_fail(struct rf_store *s, int64_t province_id, const char *kind, const char *key,
                         int64_t now) RF_MUST_CHECK;

/*
 * A change: runs inside a transaction on 's' and returns RF_OK, or an
 * error with its details in 'err' (then everything it wrote is undone). It
 * neither begins nor commits.
 */
typedef int (*rf_write_fn)(struct rf_store *s, void *ctx, struct rf_error *err);

/*
 * Run 'fn' durably, together with the changes of concurrent requests in one
 * transaction committed with one flush of the log. Returns when the change is
 * on disk or undone.
 */
int rf_app_write(struct rf_app *app, rf_write_fn fn, void *ctx, struct rf_error *err);
/*
 * The same for a change that may run with its writes deferred (PostgreSQL:
 * sent without waiting for their answers, rf_store_defer_begin): it reads
 * everything it checks before its first write, so that it fails, when it
 * fails, before writing; and it may run twice, its first run undone (when
 * a deferred write of its batch fails), so that it keeps nothing of a run
 * but what a second run sets again.
 */
int rf_app_write_deferrable(struct rf_app *app, rf_write_fn fn, void *ctx, struct rf_error *err);

/*
 * The same in two halves, for a caller that does other work meanwhile:
 * rf_app_write_begin queues the change and returns at once; 'ready(arg)' is
 * called exactly once, from another thread or from this one before the
 * return, when the change is on disk or undone; rf_app_write_end then gives
 * its result and frees what begin took ('ready' NULL: end waits for the
 * change). 'ctx' and 'err' live until then.
 */
#define RF_WRITE_DEFERRABLE 1 /* flags: as rf_app_write_deferrable */
struct rf_write_job *rf_app_write_begin(struct rf_app *app, rf_write_fn fn, void *ctx,
                                        unsigned flags, struct rf_error *err, void (*ready)(void *),
                                        void *arg);
/* The result of a change begun (RF_OK, or its error, details in the 'err' given to begin). */
int rf_app_write_end(struct rf_write_job *job);

/* ---- the pool of connections (pool.c) ---- */

/* The calling thread never waits for a connection (the writer: others wait on it). */
void rf_app_pool_exempt(void);
/* Count a connection opened by rf_app_open as lent to this thread, or no longer. */
void rf_app_pool_lend(struct rf_app *app);
/* The same, given back without going to the pool (rf_app_open's failure). */
void rf_app_pool_unlend(struct rf_app *app);
/* Close the idle connections at the end (rf_app_close). */
void rf_app_pool_close(struct rf_app *app);
/* Stop the writer thread after the queued changes. */
void rf_app_writer_stop(struct rf_app *app);
/*
 * Add 'delta' to the counter 'k' as part of the change running on 's'. In the
 * writer's batch the deltas of its changes are summed and written once before
 * the commit (a change undone takes its deltas with it); elsewhere at once.
 */
int rf_app_count_add(struct rf_app *app, struct rf_store *s, const struct rf_dossier_count_key *k,
                     int64_t delta) RF_MUST_CHECK;

/* Read the province ('code' or the first) and its root unit into 'app'. */
int rf_app_reload_province(struct rf_app *app, struct rf_store *s, const char *code);

/*
 * A connection into '*s': RF_OK, or RF_ESTORE with "the database is
 * unavailable" in 'err' when none can be had.
 */
int rf_app_store_take(struct rf_app *app, struct rf_store **s, struct rf_error *err) RF_MUST_CHECK;

/* ---- reading units as of a date (units.c) ---- */

/*
 * The date on which to judge whether unit 'unit_id' (a user's) is in an
 * actor's scope: today, or the unit's last day when it has ended.
 */
void rf_app_unit_scope_date(struct rf_app *app, struct rf_store *s, int64_t province_id,
                            int64_t unit_id, char date[RF_DATE_LEN]);
/* Whether unit 'u' is in force on 'date' (valid_from <= date < valid_to). */
int rf_app_unit_in_force(const struct rf_unit *u, const char *date);
/* The same of the dates alone (a kept unit's): 'to' "" for none. */
int rf_app_dates_in_force(const char *from, const char *to, const char *date);
/* When 'u' ended on or before 'date', set 'date' to its last day in force. */
void rf_app_unit_last_day_if_ended(const struct rf_unit *u, char date[RF_DATE_LEN]);

/* ---- what the unit files share (units.c, unit_imports.c) ---- */

/* The unit as its audit record keeps it, as JSON (caller frees). */
char *rf_app_unit_audit_json(const struct rf_unit *u);
/* A unit's name, normalised into '*name_out' (caller frees); RF_EINVAL naming "name". */
int rf_app_unit_check_name(const char *name, char **name_out, struct rf_error *err);
/* The kind rules of 'u' over its whole validity; RF_EINVAL naming the two fields given. */
int rf_app_unit_check_period(const struct rf_unit *u, const char *kind_field, const char *end_field,
                             struct rf_error *err);

/* Release the working-time tables at shutdown (calendar.c). */
void rf_app_worktime_drop(struct rf_app *app);

/* ---- rules the task modules share (tasks.c, documents.c, task_imports.c) ---- */

#define RF_APP_MAX_DEADLINES 64 /* changes of one task's deadline */

struct rf_task_facts;
struct rf_deadline_change;
/* The core's view of a task with deadline history 'dl'; 'changes' holds RF_APP_MAX_DEADLINES. */
int rf_app_task_facts(const struct rf_task *t, const struct rf_task_deadline *dl, int n,
                      struct rf_deadline_change *changes, struct rf_task_facts *f);
#define RF_APP_TITLE_MAX 1000 /* code points of a title or a note */

/* A task with its history, loaded for a use case. */
struct rf_app_task_loaded {
    struct rf_task t;
    struct rf_task_deadline dl[RF_APP_MAX_DEADLINES];
    int n;
};
/* An rf_store task callback keeping the task in a struct rf_app_task_loaded; returns 1 (stop). */
int rf_app_task_keep(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl, int n);

/* Up to 32 coordinating units of a task, with their codes for the answer. */
struct rf_app_coord_units {
    int64_t id[32];
    char code[32][RF_UNIT_CODE_MAX + 1];
    int n;
};
/*
 * Validate input 'i' of 'n' (fields named "tasks[i].x" when n > 1) into 't'
 * and its coordinating units 'cu'. RF_OK, or RF_EINVAL with every fault in
 * 'err', or the store's error.
 */
int rf_app_task_build(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                      const struct rf_task_input *in, int i, int n, struct rf_task *t,
                      struct rf_app_coord_units *cu, struct rf_error *err) RF_MUST_CHECK;
/* The task as its audit record keeps it, as JSON (caller frees). */
char *rf_app_task_audit_json(const struct rf_task *t);
/* A text of 1..'max' code points, in NFC, into '*out' (caller frees); RF_EINVAL naming 'field'. */
int rf_app_check_text(const char *text, const char *field, int max, char **out,
                      struct rf_error *err) RF_MUST_CHECK;
/* The index of an assigning body by name in rf_task_bodies, or -1. */
int rf_app_body_index(const char *name);

/* ---- the procedures' catalogue (procedures.c) ---- */

/* The fields of a procedure and the levels of government that handle one, NULL-terminated. */
extern const char *const rf_app_procedure_fields[];
extern const char *const rf_app_procedure_levels[];
/* Procedure version 'id' into '*out' when a copy is kept in memory: RF_OK, else RF_ENOTFOUND. */
int rf_app_procedure_kept(struct rf_app *app, int64_t province_id, int64_t id,
                          const struct rf_procedure **out) RF_MUST_CHECK;
/*
 * Procedure version 'id' into '*out': the copy kept in memory (shared, never
 * changed or freed), else read into '*spare' (allocated here when needed,
 * freed by the caller) and kept from then on while there is room. RF_OK or
 * the store's error (RF_ENOTFOUND).
 */
int rf_app_procedure_of(struct rf_app *app, struct rf_store *s, int64_t province_id, int64_t id,
                        const struct rf_procedure **out, struct rf_procedure **spare) RF_MUST_CHECK;
/*
 * The province's 'unit' on 'day' and the units above it into '*out', kept
 * in memory while the province's units_version stands ('v': the request's
 * counters; NULL or unknown: read from 's' now). RF_ENOTFOUND for a unit
 * the province never had.
 */
int rf_app_unit_kept(struct rf_app *app, struct rf_store *s, const struct rf_versions *v,
                     int64_t province_id, int64_t unit, const char *day,
                     struct rf_app_kept_unit *out) RF_MUST_CHECK;
/*
 * The province's document 'id', or the one numbered 'number' when that is
 * given, into '*out' (its 'tasks' -1, not counted): kept in memory once read, a
 * document being never changed nor deleted once registered (a task's insert
 * checks again that it is there). RF_ENOTFOUND when there is none.
 */
int rf_app_document_kept(struct rf_app *app, struct rf_store *s, int64_t province_id, int64_t id,
                         const char *number, struct rf_document *out) RF_MUST_CHECK;
/* Forget the documents kept (the news said all may have changed: a restore). */
void rf_app_documents_forget(struct rf_app *app);
/*
 * The id of the province's unit 'code' into '*id', kept in memory as
 * rf_app_unit_kept keeps a unit. RF_ENOTFOUND for a code the province never had.
 */
int rf_app_unit_id_kept(struct rf_app *app, struct rf_store *s, const struct rf_versions *v,
                        int64_t province_id, const char *code, const char *day,
                        int64_t *id) RF_MUST_CHECK;
/*
 * The id of the province's version of procedure 'code' in force on 'day'
 * into '*id': kept in memory while the counters 'v' (the request's) stand,
 * read from 's' otherwise. RF_ENOTFOUND when none is in force.
 */
int rf_app_procedure_in_force(struct rf_app *app, struct rf_store *s, int64_t province_id,
                              const char *code, const char *day, const struct rf_versions *v,
                              int64_t *id) RF_MUST_CHECK;
/* Free the versions kept in memory (rf_app_close). */
void rf_app_procedures_forget(struct rf_app *app);

/* ---- what the dossier files share (dossiers.c, dossier_json.c, dossier_reads.c) ---- */

/* The province's local day of instant 'epoch'. */
void rf_app_dossier_day(int64_t epoch, char out[RF_DATE_LEN]);
/*
 * The one scope rule of a dossier: 'actor' sees 'd' when province-wide, or
 * when its desk, or the unit that holds its step, was within their scope on
 * the day it was received (rf_store_dossiers_list reads the desks the same
 * way, so a list never shows what this refuses). RF_OK, or RF_ENOTFOUND,
 * which answers word for word as a code that does not exist.
 */
int rf_app_dossier_in_scope(struct rf_store *s, const struct rf_actor *actor,
                            const struct rf_dossier *d) RF_MUST_CHECK;
/*
 * Give dossier 'd' its code and insert it: the next number of its desk's
 * sequence on the day it was received, whose unit code is 'desk_code'; when
 * another province's desk of the same unit code holds that code already (a
 * code is one across the database), the number after it. RF_EINVAL when the
 * desk's code cannot make a dossier code; else as rf_store_dossier_insert.
 */
int rf_app_dossier_insert_numbered(struct rf_store *s, struct rf_dossier *d,
                                   const char *desk_code) RF_MUST_CHECK;
/* A phone number as its digits, '+' kept; RF_EINVAL unless 8 to 15 digits. */
int rf_app_phone_digits(const char *in, char out[RF_PHONE_MAX + 1]) RF_MUST_CHECK;
/*
 * The current step's own due time of 'd' (UTC, 0 when it has none) into
 * '*out', with the calendar and the dossier's pauses read here (Form 05).
 */
int rf_app_dossier_step_due(struct rf_app *app, struct rf_store *s, const struct rf_dossier *d,
                            const struct rf_procedure *p, int64_t *out) RF_MUST_CHECK;
/* The dossier as its officers see it, as a JSON object; with 'personal' the applicant's data. */
void rf_app_dossier_write_json(const struct rf_dossier *d, const struct rf_procedure *p,
                               int personal, struct rf_buf *out);
/* ,"key":"YYYY-MM-DDTHH:MM:SSZ" (null for 0) after the members before it. */
void rf_app_json_instant(struct rf_buf *out, const char *key, int64_t t);
/* ,"key":"YYYY-MM-DD HH:MM" in the province's time (null for 0). */
void rf_app_json_local_time(struct rf_buf *out, const char *key, int64_t t);

/* A dossier's pauses in local minutes, as rf_worktime_due() takes them (dossiers.c). */
#define RF_APP_MAX_PAUSES 64
struct rf_app_pauses {
    struct rf_pause p[RF_APP_MAX_PAUSES];
    int n;
};
/* An rf_pause_fn keeping each pause in a struct rf_app_pauses; an open one ends where it starts. */
int rf_app_keep_pause(void *ctx, int64_t from, int64_t to);

/* Map a store failure to an error the caller can show. */
int rf_app_store_error(int rc, struct rf_error *err);

/* The roles of a mask as a JSON array of names. */
void rf_app_roles_json(unsigned roles, struct rf_buf *out);

#endif
