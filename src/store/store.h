/*
 * The storage interface: one connection to SQLite or PostgreSQL behind the
 * same functions. Callers see rows as plain structs; SQL text, sqlite3_stmt
 * and PGresult stay inside src/store/. A struct rf_store is used by one
 * thread at a time.
 *
 * Every write function here runs inside the caller's transaction
 * (rf_store_begin .. rf_store_commit): the application layer groups a change
 * and its audit record into one.
 *
 * Reads of many rows call a function of the caller's (the rf_*_fn types)
 * once for each, in order, with the caller's 'ctx'. It returns 0 to go on;
 * 1 to stop early, which is not an error: the read returns RF_OK (a page is
 * full); or a negative rf_err to stop, which the read returns. Any other
 * return is a mistake; it stops as 1 does. A read that fails itself returns
 * its own rf_err, whatever the function was given before. What the function
 * is given is valid during the call only.
 */
#ifndef RF_STORE_H
#define RF_STORE_H

#include <stdint.h>

#include "../common/err.h"
#include "../core/account.h"
#include "../core/audit.h"
#include "../core/unit.h"
#include "../core/dossier.h"
#include "../core/worktime.h"

struct rf_store;

#define RF_DATE_LEN 11    /* "YYYY-MM-DD" and a NUL; "" when open-ended */
#define RF_NAME_BYTES 801 /* 200 code points of UTF-8 and a NUL */

/* ---- connections, transactions and migrations (store.c) ---- */

/*
 * Open a connection to 'url': "sqlite:PATH" or "postgresql://..." (also
 * "postgres://"). SQLite runs in WAL mode with foreign keys on,
 * synchronous=FULL and a busy timeout. Returns RF_OK and '*out', or RF_EINVAL
 * for an unknown scheme, RF_ESTORE when the database cannot be opened.
 */
int rf_store_open(const char *url, struct rf_store **out, struct rf_error *err) RF_MUST_CHECK;
/* Close and set '*s' to NULL; accepts NULL and a NULL '*s'. */
void rf_store_close(struct rf_store **s);
/* "sqlite" or "postgresql". */
const char *rf_store_backend(const struct rf_store *s);

/*
 * Apply every migration not yet applied, each in its own transaction, in
 * order. '*applied' gets how many ran (may be NULL). Processes migrating one
 * database at once apply each migration once, in turn.
 */
int rf_store_migrate(struct rf_store *s, int *applied, struct rf_error *err) RF_MUST_CHECK;
/* Highest applied migration of a database migrated before (RF_ESTORE otherwise). */
int rf_store_schema_version(struct rf_store *s, int *version) RF_MUST_CHECK;

/* A write transaction (BEGIN IMMEDIATE on SQLite). */
int rf_store_begin(struct rf_store *s) RF_MUST_CHECK;
/*
 * A write transaction for changes of province 'province_id' that append to
 * its audit chain, as the writer runs them, several to a transaction. Where
 * transactions lock rows (PostgreSQL) it first locks the province's audit
 * head: two such transactions of the province then wait for each other
 * there, holding nothing else yet, instead of each holding a row the other
 * needs next (a desk's sequence, a counter) and both waiting until the
 * database refuses one. Another province's writers are not held up (0 locks
 * nothing: a province not made yet). Elsewhere as rf_store_begin.
 */
int rf_store_begin_changes(struct rf_store *s, int64_t province_id) RF_MUST_CHECK;
/*
 * Commit the open transaction. RF_ESTORE when the commit fails, and the
 * transaction is then rolled back: none is open on return either way.
 */
int rf_store_commit(struct rf_store *s) RF_MUST_CHECK;
/* Roll back if a transaction is open; safe to call when none is. */
void rf_store_rollback(struct rf_store *s);

/* A savepoint named 'name' inside the open transaction; undo rolls back to it. */
int rf_store_savepoint(struct rf_store *s, const char *name) RF_MUST_CHECK;
void rf_store_savepoint_undo(struct rf_store *s, const char *name);
int rf_store_savepoint_release(struct rf_store *s, const char *name) RF_MUST_CHECK;

/*
 * The innermost savepoint left to the commit that comes next, which releases
 * it with the rest: forgotten here at no round trip. Only with a commit (or a
 * rollback) following at once.
 */
void rf_store_savepoint_leave(struct rf_store *s);

/*
 * Release savepoint 'name' and open it again at once, as one round trip where
 * each statement costs one: what one change of a batch kept, the next starts.
 */
int rf_store_savepoint_renew(struct rf_store *s, const char *name) RF_MUST_CHECK;

/*
 * Deferred writes, for a connection whose every statement is a round trip
 * (PostgreSQL). Inside the open transaction, from rf_store_defer_begin() on,
 * a write whose answer nobody reads is sent without waiting for it (libpq's
 * pipeline mode); a read waits for the answers before its own; ids are taken
 * ahead (rf_store_ids_ahead) and a desk's sequence moves in memory, written
 * once at the end. The first failure among the deferred writes is kept: no
 * later statement of the transaction runs, and rf_store_defer_end() (which
 * waits for every answer) or the commit gives it; the transaction can then
 * only be rolled back. So what runs deferred is a change that reads before
 * it writes, and whose writes fail only where its reads did not foresee it
 * (a race, a full disk): the caller then undoes the whole transaction and
 * runs its changes again one at a time, undeferred. A savepoint opened
 * before rf_store_defer_begin() may be undone after its end; none is opened
 * or released while deferring.
 */
/* Whether 's' defers writes at all (not SQLite, whose statements cost no round trip). */
int rf_store_can_defer(const struct rf_store *s);
/* Begin deferring: RF_OK, or RF_EINVAL where writes are not deferred or outside a transaction. */
int rf_store_defer_begin(struct rf_store *s) RF_MUST_CHECK;
/*
 * Write the audit head and the desks' sequences, wait for every answer and
 * stop deferring: RF_OK, or the first failure of the deferred writes (the
 * transaction then only rolls back, or back to a savepoint opened before).
 * RF_OK when not deferring.
 */
int rf_store_defer_end(struct rf_store *s) RF_MUST_CHECK;
/*
 * Send what is deferred so far (the gathered rows too) on its way, reading
 * no answer, so that the server works on it while the caller waits for
 * something else. A failure in sending is kept, as any deferred write's, and
 * given by rf_store_defer_end(); nothing when not deferring.
 */
void rf_store_defer_push(struct rf_store *s);
/* Writes deferred so far on 's', or kept in memory to write later: a change that wrote moves it. */
unsigned rf_store_deferred(const struct rf_store *s);
/* A deferred write of the open transaction is known to have failed: nothing more of it runs. */
int rf_store_defer_failed(struct rf_store *s);
/* Whether 's''s connection is known lost: what it was sending may or may not have been done. */
int rf_store_lost(struct rf_store *s);

/*
 * News of what any process changed (PostgreSQL: LISTEN/NOTIFY), for the
 * copies a process keeps in memory. The database's own triggers (migrations
 * 0011 and 0012) send, as each transaction commits, one line per changed row
 * that a kept copy may hold (a notification may carry several): "session ID" (ended, used or gone),
 * "user ID", "province ID" (its counters moved), "dossier CODE", "attempt
 * KIND KEY", and "all" when a table was emptied whole.
 *
 * rf_store_listen() makes 's' a listener: RF_OK, or RF_EINVAL where the
 * backend sends none (SQLite, which one process serves).
 */
int rf_store_listen(struct rf_store *s) RF_MUST_CHECK;
/* The listener's socket, to wait on for news; -1 when it has none. */
int rf_store_news_socket(struct rf_store *s);
typedef void (*rf_news_fn)(void *ctx, const char *line);
/*
 * Give each line received so far to 'fn', without waiting for more: RF_OK,
 * or RF_ESTORE when the connection is lost (news since may never come).
 */
int rf_store_news(struct rf_store *s, rf_news_fn fn, void *ctx) RF_MUST_CHECK;
/*
 * Inserts on 's' take their ids from blocks taken ahead of the tables'
 * sequences (PostgreSQL; nothing elsewhere), so that an insert needs no
 * answer. The ids of one connection rise; those of several connections
 * (processes) interleave, a block at a time, and an id not used before the
 * connection closes is never used.
 */
void rf_store_ids_ahead(struct rf_store *s);

/*
 * Commits on 's' that reach the disk afterwards, many at once (SQLite in WAL
 * mode, where the log is flushed apart; PostgreSQL, where a synchronous
 * commit on a second connection flushes the server's log, and waits for the
 * synchronous standby, for every commit before it; RF_EINVAL elsewhere).
 * After rf_store_flush_later() a commit on 's' is written to the log but not
 * waited for; rf_store_flush(), called from another thread while 's' goes on
 * with the next change, returns RF_OK once every commit made before the call
 * is on disk, provided neither connection was made again since
 * rf_store_reconnections(s) answered 'reconnections' (read before those
 * commits): RF_ESTORE otherwise, as when the flush fails. Readers may see a
 * change before it is flushed: whoever waits for "done" must wait for the
 * flush.
 */
int rf_store_flush_later(struct rf_store *s) RF_MUST_CHECK;
int rf_store_flush(struct rf_store *s, unsigned reconnections) RF_MUST_CHECK;

/*
 * How many times a lost connection of 's' (PostgreSQL: its own or the flush's)
 * was made again: it may then have reached another server. Always 0 on SQLite.
 * Safe to call from any thread.
 */
unsigned rf_store_reconnections(struct rf_store *s);

/*
 * After a bulk load: the planner's statistics made anew (PostgreSQL, whose
 * plans chosen for a table of a hundred rows would scan one of a million;
 * nothing on SQLite). RF_OK, or the store's error.
 */
int rf_store_analyze(struct rf_store *s) RF_MUST_CHECK;

/*
 * Copy the database to 'path' while it stays in use, as one consistent
 * snapshot: on SQLite a database file (the online backup), on PostgreSQL an
 * archive of pg_dump's custom format. RF_EIO naming "path" when it cannot be
 * written (pg_dump's own message goes to standard error).
 */
int rf_store_backup(struct rf_store *s, const char *path, struct rf_error *err) RF_MUST_CHECK;
/*
 * Restore a copy made by rf_store_backup into the database 's' is open on,
 * all of it or nothing. The database must be empty (no schema yet):
 * RF_ECONFLICT naming "db" otherwise, and nothing is written. RF_EIO naming
 * "path" when the copy cannot be read or restored.
 */
int rf_store_restore(struct rf_store *s, const char *path, struct rf_error *err) RF_MUST_CHECK;

/*
 * Fault injection for tests (SQLite's faultsim): after 'n' more statements
 * every statement of every connection fails with RF_ESTORE; 'n' < 0 turns it
 * off. Process-wide, so that it reaches every thread's connections, the
 * writer's among them. A transaction's own statements count as statements
 * (begin, commit, a savepoint and its release); undoing one (rollback, a
 * savepoint's undo) never fails, being how a failure is cleaned up.
 */
void rf_store_faults_after(int n);
#define RF_FAULT_TRACE 256
/*
 * The statements started since rf_store_faults_after(n) with 'n' >= 0, run or
 * failed, in order: how many, and the SQL text of the first 'max' (at most
 * RF_FAULT_TRACE) into 'out', constants that stay valid. A transaction's own
 * are "BEGIN", "COMMIT", "SAVEPOINT ..." and "RELEASE SAVEPOINT ...". Read it
 * once the statements have run.
 */
int rf_store_faults_trace(const char **out, int max);

/* ---- provinces: the tenant of every row (store_units.c) ---- */

struct rf_province {
    int64_t id;
    char code[RF_UNIT_CODE_MAX + 1];
    char name[RF_NAME_BYTES];
    int64_t units_version; /* bumped by every unit change, for response caches */
};

/*
 * Insert 'p' (id set; its units version starts at 0) and the head of its
 * audit chain: seq 0 and the genesis hash. RF_ECONFLICT when the code is taken.
 */
int rf_store_province_insert(struct rf_store *s, struct rf_province *p) RF_MUST_CHECK;
/* The province with 'code', or the first one when 'code' is NULL. RF_ENOTFOUND if none. */
int rf_store_province_get(struct rf_store *s, const char *code,
                          struct rf_province *out) RF_MUST_CHECK;
/* The province's units version into '*out'. RF_ENOTFOUND if there is no such province. */
int rf_store_units_version(struct rf_store *s, int64_t province_id, int64_t *out) RF_MUST_CHECK;
/*
 * The counters of a province that move, in the same transaction, with every
 * change of what a process keeps in memory: its tree of units, its calendar
 * and working hours, its procedures. Read together with a session
 * (rf_store_session_find), so that a request reads them all at once.
 */
struct rf_versions {
    int64_t units, calendar, procedures;
    int known; /* 0: not read */
};

/* ---- units (store_units.c) ---- */

struct rf_unit {
    int64_t id;
    int64_t province_id;
    char code[RF_UNIT_CODE_MAX + 1];
    char name[RF_NAME_BYTES];
    enum rf_unit_kind kind;
    char valid_from[RF_DATE_LEN];
    char valid_to[RF_DATE_LEN]; /* exclusive end; "" while in force */
    int64_t parent_id;          /* parent on the query's date; 0 for none */
    int64_t successor_id;       /* who takes over its work when it ends; 0 for none */
    int generated;              /* 1 when name or code is generated demo data */
    int depth;                  /* below the root of a subtree query */
    int64_t children;           /* children on the query's date */
    int64_t created_at, updated_at;
};

/* One period of a unit's place in the tree. */
struct rf_unit_link {
    int64_t parent_id;
    char parent_code[RF_UNIT_CODE_MAX + 1];
    char valid_from[RF_DATE_LEN];
    char valid_to[RF_DATE_LEN];
};

/* What a unit list asks for. Zero/NULL members do not filter. */
struct rf_unit_query {
    int64_t province_id;
    int64_t root_id;       /* required: the subtree searched (the caller's scope) */
    const char *date;      /* required: the tree in force on this date */
    int skip_root;         /* leave the root itself out */
    int max_depth;         /* levels below the root; 0 for all */
    const char *text_fold; /* folded text that code or name must contain */
    const char *kind;      /* only this kind */
    int64_t after_id;      /* cursor: ids greater than this */
    int limit;             /* at most this many; 0 for no limit */
};

typedef int (*rf_unit_fn)(void *ctx, const struct rf_unit *u);
typedef int (*rf_unit_link_fn)(void *ctx, const struct rf_unit_link *l);

/*
 * Insert 'u' (id is set) and, when u->parent_id is set, its link to that
 * parent over the unit's whole validity. RF_ECONFLICT when the code is taken,
 * found before anything is inserted: a refused unit takes no id on either backend;
 * RF_ENOTFOUND when the parent is not a unit of u->province_id.
 */
int rf_store_unit_insert(struct rf_store *s, struct rf_unit *u) RF_MUST_CHECK;
/*
 * Update name, kind, validity, successor and generated flag of unit u->id.
 * Its periods in the tree are clipped to the new validity.
 */
int rf_store_unit_update(struct rf_store *s, const struct rf_unit *u) RF_MUST_CHECK;
/* The unit 'id' with its parent on 'date'. RF_ENOTFOUND if absent. */
int rf_store_unit_get(struct rf_store *s, int64_t province_id, int64_t id, const char *date,
                      struct rf_unit *out) RF_MUST_CHECK;
/* The unit with 'code' in the province, as rf_store_unit_get(). */
int rf_store_unit_get_by_code(struct rf_store *s, int64_t province_id, const char *code,
                              const char *date, struct rf_unit *out) RF_MUST_CHECK;
/*
 * Place unit 'id' under 'parent_id' from 'from' on, until its current
 * period there ends: the period covering 'from' is split. RF_ENOTFOUND,
 * and nothing moves, unless both are units of the province.
 */
int rf_store_unit_move(struct rf_store *s, int64_t province_id, int64_t id, int64_t parent_id,
                       const char *from) RF_MUST_CHECK;
/* Call 'fn' for each period of unit 'id' of the province in the tree, oldest first. */
int rf_store_unit_links(struct rf_store *s, int64_t province_id, int64_t id, rf_unit_link_fn fn,
                        void *ctx) RF_MUST_CHECK;
/*
 * Call 'fn' for each unit matching 'q' in id order, with parent_id, depth
 * and children as on q->date; 'fn' goes on or stops as above.
 */
int rf_store_units_list(struct rf_store *s, const struct rf_unit_query *q, rf_unit_fn fn,
                        void *ctx) RF_MUST_CHECK;
/*
 * Whether the province's unit 'id' is 'root_id' or below it on 'date'
 * through the province's links: '*yes' is 1 or 0 (0 for another province's).
 */
int rf_store_unit_within(struct rf_store *s, int64_t province_id, int64_t root_id, int64_t id,
                         const char *date, int *yes) RF_MUST_CHECK;
/*
 * Whether the province's unit 'id' is 'root_id' or was below it on any date
 * through the province's links: '*yes' is 1 or 0 (0 for another province's).
 */
int rf_store_unit_within_ever(struct rf_store *s, int64_t province_id, int64_t root_id, int64_t id,
                              int *yes) RF_MUST_CHECK;
/* Units of the province under 'id' on any date on or after 'date', into '*count'. */
int rf_store_unit_children_after(struct rf_store *s, int64_t province_id, int64_t id,
                                 const char *date, int64_t *count) RF_MUST_CHECK;

/* ---- users (store_users.c) ---- */

#define RF_PASSWORD_HASH_MAX 128

struct rf_user {
    int64_t id;
    int64_t province_id;
    int64_t unit_id;
    char unit_code[RF_UNIT_CODE_MAX + 1]; /* filled by reads */
    char username[65];
    char full_name[RF_NAME_BYTES];
    unsigned roles;
    int disabled;
    char password_hash[RF_PASSWORD_HASH_MAX];
    int64_t password_changed_at;
    int64_t created_at, updated_at;
};

struct rf_user_query {
    int64_t province_id;
    int64_t root_id; /* only users of units in this subtree on 'date'... */
    const char *date;
    int all_units;         /* ...or, when set, users of every unit of the province */
    int64_t unit_id;       /* only users of this unit */
    const char *text_fold; /* username or folded full name contains */
    int64_t after_id;
    int limit;
};

typedef int (*rf_user_fn)(void *ctx, const struct rf_user *u);

/* Insert 'u' (id set). RF_ECONFLICT when the user name is taken (found first: no id taken). */
int rf_store_user_insert(struct rf_store *s, struct rf_user *u) RF_MUST_CHECK;
/* Update full name, unit, roles, disabled and password of user u->id. */
int rf_store_user_update(struct rf_store *s, const struct rf_user *u) RF_MUST_CHECK;
/* The user 'id' of the province, with its unit's code. RF_ENOTFOUND if absent. */
int rf_store_user_get(struct rf_store *s, int64_t province_id, int64_t id,
                      struct rf_user *out) RF_MUST_CHECK;
/*
 * The user of the province signing in as 'username', as rf_store_user_get():
 * a user of another province is none (sign-in names are unique per
 * deployment, but a province's process signs in only its own users).
 */
int rf_store_user_get_by_name(struct rf_store *s, int64_t province_id, const char *username,
                              struct rf_user *out) RF_MUST_CHECK;
int rf_store_users_list(struct rf_store *s, const struct rf_user_query *q, rf_user_fn fn,
                        void *ctx) RF_MUST_CHECK;

/* ---- sessions and tokens (store_users.c) ---- */

enum rf_session_kind { RF_SESSION_COOKIE = 1, RF_SESSION_BEARER = 2 };

struct rf_session {
    int64_t id;
    int64_t province_id;
    int64_t user_id;
    enum rf_session_kind kind;
    char token_hash[65]; /* hex BLAKE2b of the secret token: the token is never stored */
    char csrf[65];
    char label[RF_NAME_BYTES]; /* what a bearer token is for */
    int64_t created_at, last_seen_at;
    int64_t expires_at;          /* bearer tokens: 0 for none */
    int64_t ended_at;            /* 0 while alive */
    struct rf_versions versions; /* the province's, as the session was read */
};

/*
 * Insert 'sess' as a live session (id set; ended_at is not read, and an
 * expires_at of 0 is stored as none). RF_ECONFLICT when the token hash is taken.
 */
int rf_store_session_insert(struct rf_store *s, struct rf_session *sess) RF_MUST_CHECK;
/*
 * The live or ended session of the province whose token hashes to
 * 'token_hash', with its user; RF_ENOTFOUND for another province's.
 */
int rf_store_session_find(struct rf_store *s, int64_t province_id, const char *token_hash,
                          struct rf_session *out, struct rf_user *user) RF_MUST_CHECK;
/*
 * Set session 'id''s last_seen_at to 'now', ended or not; RF_OK also when the
 * province has none.
 */
int rf_store_session_touch(struct rf_store *s, int64_t province_id, int64_t id,
                           int64_t now) RF_MUST_CHECK;
/*
 * End session 'id' of the province at 'now' if it is live; an ended or absent
 * one is left alone, RF_OK.
 */
int rf_store_session_end(struct rf_store *s, int64_t province_id, int64_t id,
                         int64_t now) RF_MUST_CHECK;
/* End every live session of the province's user 'user_id' of the kinds in 'kinds' (a mask). */
int rf_store_sessions_end_user(struct rf_store *s, int64_t province_id, int64_t user_id,
                               unsigned kinds, int64_t now) RF_MUST_CHECK;

/* ---- failed attempts (store_attempts.c) ---- */

/* What a counter of failed attempts counts (the kind column). */
#define RF_ATTEMPT_ACCOUNT "account" /* sign-ins and password changes, per user name */
#define RF_ATTEMPT_ADDRESS "address" /* sign-ins, per client address */
#define RF_ATTEMPT_LOOKUP "lookup"   /* public dossier lookups that missed, per client address */

/* The failures counted for ('kind', 'key'); zeros when there are none. */
int rf_store_attempts_get(struct rf_store *s, int64_t province_id, const char *kind,
                          const char *key, struct rf_attempts *out) RF_MUST_CHECK;
/*
 * Count one failure at 'now' for ('kind', 'key'): a counter whose window of
 * 'window' seconds ended starts a new one. The province's counters whose
 * window ended are removed on the way, so it holds only live ones (another
 * province's are its own to remove).
 */
int rf_store_attempts_fail(struct rf_store *s, int64_t province_id, const char *kind,
                           const char *key, int64_t now, int64_t window) RF_MUST_CHECK;
/* Forget the failures for ('kind', 'key'). */
int rf_store_attempts_clear(struct rf_store *s, int64_t province_id, const char *kind,
                            const char *key) RF_MUST_CHECK;

/* ---- audit (store_audit.c) ---- */

/*
 * The key this connection's audit records are MACed with (RF_AUDIT_KEY_BYTES,
 * copied), or NULL for none: records then carry the unkeyed hash.
 */
void rf_store_set_audit_key(struct rf_store *s, const unsigned char *key);
/*
 * Append 'r' to its province's chain: sets r->seq and r->prev_hash from the
 * chain's head and stores the record with its MAC (see
 * rf_store_set_audit_key). RF_ECONFLICT, writing nothing, when the chain is
 * keyed with another key than this connection's.
 */
int rf_store_audit_append(struct rf_store *s, struct rf_audit_record *r) RF_MUST_CHECK;
/* The id of the key a province's chain is MACed with ("" when never keyed) into 'out'. */
int rf_store_audit_key_id(struct rf_store *s, int64_t province_id,
                          char out[RF_AUDIT_KEY_ID_HEX]) RF_MUST_CHECK;

/* A stored audit record: the strings are valid during the callback only. */
struct rf_audit_row {
    struct rf_audit_record rec;
    char hash[RF_AUDIT_HASH_HEX];
};

struct rf_audit_query {
    int64_t province_id; /* 0: every province, ordered by province then seq */
    const char *entity;
    const char *entity_id;
    int64_t actor_id;
    int64_t after_seq;
    int limit;
};

typedef int (*rf_audit_fn)(void *ctx, const struct rf_audit_row *row);

/*
 * Call 'fn' for each record matching 'q' (zero or NULL members do not filter;
 * after_seq holds in every province), by province then seq, at most q->limit
 * (0: no limit); 'fn' goes on or stops as above.
 */
int rf_store_audit_list(struct rf_store *s, const struct rf_audit_query *q, rf_audit_fn fn,
                        void *ctx) RF_MUST_CHECK;
/* The head of a province's chain: last seq and its hash. */
int rf_store_audit_head(struct rf_store *s, int64_t province_id, int64_t *seq,
                        char hash[RF_AUDIT_HASH_HEX]) RF_MUST_CHECK;

/* ---- documents and tasks (store_tasks.c) ---- */

#define RF_DOC_NUMBER_MAX 64
#define RF_TITLE_BYTES 4001 /* 1000 code points of UTF-8 and a NUL */
#define RF_WORD_MAX 24      /* enum names: "digital_government" */

/* A source document: a resolution, plan or conclusion that assigns tasks. */
struct rf_document {
    int64_t id;
    int64_t province_id;
    char number[RF_DOC_NUMBER_MAX + 1]; /* number and symbol: "01/NQ-CP" */
    char issuer[RF_NAME_BYTES];
    char issued_on[RF_DATE_LEN];
    char title[RF_TITLE_BYTES];
    char assigning_body[RF_WORD_MAX];
    int64_t tasks; /* filled by reads */
    int64_t created_at, updated_at;
};

struct rf_task {
    int64_t id;
    int64_t province_id;
    int64_t document_id;
    char document_number[RF_DOC_NUMBER_MAX + 1]; /* filled by reads */
    char ref[RF_UNIT_CODE_MAX + 1];              /* optional reference, "" for none */
    char title[RF_TITLE_BYTES];
    char assigning_body[RF_WORD_MAX];
    int64_t lead_unit_id;
    char lead_unit_code[RF_UNIT_CODE_MAX + 1]; /* filled by reads */
    char field[RF_WORD_MAX];
    char assigned_on[RF_DATE_LEN];
    char deadline[RF_DATE_LEN];     /* the latest deadline set, "" for none */
    char completed_on[RF_DATE_LEN]; /* "" while not completed */
    int percent;                    /* of the lead unit's latest report, filled by reads */
    int64_t created_at, updated_at;
};

/* One deadline set on a day: at assignment, then each extension. */
struct rf_task_deadline {
    char set_on[RF_DATE_LEN];
    char deadline[RF_DATE_LEN]; /* "" for none */
    char reason[RF_TITLE_BYTES];
    int64_t set_by;
};

struct rf_task_report {
    int64_t id;
    int64_t task_id;
    int64_t unit_id;
    char unit_code[RF_UNIT_CODE_MAX + 1];
    char reported_on[RF_DATE_LEN];
    int percent;
    char note[RF_TITLE_BYTES];
    int64_t author_id;
    int64_t created_at;
};

/* What a task list asks for; zero or NULL members do not filter. */
struct rf_task_query {
    int64_t province_id;
    int64_t scope_root_id; /* tasks led or coordinated by units that are or were under it */
    int all_units;         /* ...or, when set, every task of the province */
    int64_t document_id;
    int64_t lead_unit_id; /* led by this unit or a unit that is or was under it */
    const char *field;
    const char *assigning_body; /* known names joined by ',' */
    const char *assigned_from;  /* assigned_on within [from, to] */
    const char *assigned_to;
    const char *deadline_from; /* latest deadline within [from, to] */
    const char *deadline_to;
    const char *text_fold;
    int64_t after_id;
    int limit;
};

/* A task with its deadline history, oldest first; valid during the callback. */
typedef int (*rf_task_fn)(void *ctx, const struct rf_task *t,
                          const struct rf_task_deadline *deadlines, int ndeadlines);
typedef int (*rf_document_fn)(void *ctx, const struct rf_document *d);
typedef int (*rf_task_report_fn)(void *ctx, const struct rf_task_report *r);
typedef int (*rf_id_fn)(void *ctx, int64_t id, const char *code);

/*
 * Insert 'd' (id set). RF_ECONFLICT when the number is taken in the province,
 * found before the insert (no id taken).
 */
int rf_store_document_insert(struct rf_store *s, struct rf_document *d) RF_MUST_CHECK;
/* The document 'id' with its tasks counted in out->tasks. RF_ENOTFOUND if absent. */
int rf_store_document_get(struct rf_store *s, int64_t province_id, int64_t id,
                          struct rf_document *out) RF_MUST_CHECK;
/* The document with 'number', as rf_store_document_get(). */
int rf_store_document_get_by_number(struct rf_store *s, int64_t province_id, const char *number,
                                    struct rf_document *out) RF_MUST_CHECK;
/*
 * The document with 'number' (when not NULL) or 'id', without counting its
 * tasks (d->tasks is -1): for lookups on the way to a write.
 */
int rf_store_document_find(struct rf_store *s, int64_t province_id, int64_t id, const char *number,
                           struct rf_document *out) RF_MUST_CHECK;
/* Documents in id order, their titles or numbers containing 'text_fold' (NULL: all). */
int rf_store_documents_list(struct rf_store *s, int64_t province_id, const char *text_fold,
                            int64_t after_id, int limit, rf_document_fn fn,
                            void *ctx) RF_MUST_CHECK;

/*
 * Insert 't' (id set) with its first deadline (t->deadline, set on
 * t->assigned_on by 'set_by') and its coordinating units. RF_ECONFLICT when
 * its ref is taken, found before anything is inserted (no id taken), or when
 * its document or lead unit is not the province's.
 */
int rf_store_task_insert(struct rf_store *s, struct rf_task *t, const int64_t *coordinating,
                         int ncoordinating, int64_t set_by) RF_MUST_CHECK;
/* Whether the reference 'ref' (NULL or "": none) is taken in the province: '*taken' 1 or 0. */
int rf_store_task_ref_taken(struct rf_store *s, int64_t province_id, const char *ref,
                            int *taken) RF_MUST_CHECK;
/* Update title, field, lead unit and completion of task t->id; RF_ENOTFOUND when the province
 * has no such task or no such lead unit. */
int rf_store_task_update(struct rf_store *s, const struct rf_task *t) RF_MUST_CHECK;
/* The task 'id' with its deadline history, through 'fn'. RF_ENOTFOUND if absent. */
int rf_store_task_get(struct rf_store *s, int64_t province_id, int64_t id, rf_task_fn fn,
                      void *ctx) RF_MUST_CHECK;
/* The task with reference 'ref', as rf_store_task_get(). */
int rf_store_task_get_by_ref(struct rf_store *s, int64_t province_id, const char *ref,
                             rf_task_fn fn, void *ctx) RF_MUST_CHECK;
/* Tasks matching 'q' in id order, each with its deadline history. */
int rf_store_tasks_list(struct rf_store *s, const struct rf_task_query *q, rf_task_fn fn,
                        void *ctx) RF_MUST_CHECK;
/*
 * Record a deadline set on 'd->set_on' (an extension) and make it the latest
 * of the province's task 'task_id'. RF_ENOTFOUND, writing nothing, when the
 * province has no such task.
 */
int rf_store_task_deadline_add(struct rf_store *s, int64_t province_id, int64_t task_id,
                               const struct rf_task_deadline *d, int64_t now) RF_MUST_CHECK;
/* The coordinating units of the province's task 'task_id': id and code (none for another's). */
int rf_store_task_units(struct rf_store *s, int64_t province_id, int64_t task_id, rf_id_fn fn,
                        void *ctx) RF_MUST_CHECK;
/*
 * Insert report 'r' of unit r->unit_id on task r->task_id, both of the
 * province (id set; the unit code is not read). RF_ENOTFOUND, writing
 * nothing, when either is not the province's; RF_ESTORE for a percent
 * outside 0..100.
 */
int rf_store_task_report_add(struct rf_store *s, int64_t province_id,
                             struct rf_task_report *r) RF_MUST_CHECK;
/* Reports of the province's task 'task_id', oldest first (none for another's). */
int rf_store_task_reports(struct rf_store *s, int64_t province_id, int64_t task_id,
                          rf_task_report_fn fn, void *ctx) RF_MUST_CHECK;

/* ---- the working calendar (store_calendar.c) ---- */

/* A year whose announcement an admin recorded. */
struct rf_calendar_year_record {
    int year;
    char source[RF_DAY_SOURCE_BYTES]; /* the announcement's reference */
    int64_t recorded_by, recorded_at;
};

/* Moves with every change of the province's calendar or working hours. */
int rf_store_calendar_version(struct rf_store *s, int64_t province_id, int64_t *out) RF_MUST_CHECK;
/* The recorded year, RF_ENOTFOUND when none was recorded. */
int rf_store_calendar_year_get(struct rf_store *s, int64_t province_id, int year,
                               struct rf_calendar_year_record *out) RF_MUST_CHECK;
typedef int (*rf_calendar_year_fn)(void *ctx, const struct rf_calendar_year_record *y);
/* The recorded years from 'first' to 'last', in order. */
int rf_store_calendar_years(struct rf_store *s, int64_t province_id, int first, int last,
                            rf_calendar_year_fn fn, void *ctx) RF_MUST_CHECK;
typedef int (*rf_calendar_day_fn)(void *ctx, const struct rf_calendar_day *d);
/* The days of the recorded years from 'first' to 'last', by date. */
int rf_store_calendar_days(struct rf_store *s, int64_t province_id, int first, int last,
                           rf_calendar_day_fn fn, void *ctx) RF_MUST_CHECK;
/* Record a year's announcement, replacing the one before; moves the version. */
int rf_store_calendar_year_put(struct rf_store *s, int64_t province_id,
                               const struct rf_calendar_year_record *y,
                               const struct rf_calendar_day *days, int n) RF_MUST_CHECK;
typedef int (*rf_hours_fn)(void *ctx, const struct rf_hours *h, int64_t recorded_by,
                           int64_t recorded_at);
/* The working hours recorded, by the day they start. */
int rf_store_working_hours(struct rf_store *s, int64_t province_id, rf_hours_fn fn,
                           void *ctx) RF_MUST_CHECK;
/* Record the hours in force from h->from (replacing any from the same day); moves the version. */
int rf_store_working_hours_put(struct rf_store *s, int64_t province_id, const struct rf_hours *h,
                               int64_t recorded_by, int64_t recorded_at) RF_MUST_CHECK;

/* ---- procedures and dossiers (store_dossiers.c) ---- */

#define RF_PROC_CODE_MAX 32
#define RF_PROC_MAX_STEPS 16
#define RF_PAPERS_BYTES 4001
#define RF_PHONE_MAX 20

struct rf_procedure_step {
    char name[RF_NAME_BYTES];
    char unit_ref[RF_UNIT_CODE_MAX + 1]; /* "desk", "district", "commune" or a unit code */
    int minutes;                         /* working minutes allowed to the step */
};

/* One version of a procedure, in force from 'version_from'. */
struct rf_procedure {
    int64_t id;
    int64_t province_id;
    char code[RF_PROC_CODE_MAX + 1]; /* the national code: "1.001193" */
    char version_from[RF_DATE_LEN];
    char name[RF_TITLE_BYTES];
    char field[RF_WORD_MAX];
    char level[RF_WORD_MAX];      /* province, district, commune */
    int days;                     /* whole working days (the day rule), or 0 */
    int minutes;                  /* else working minutes from the instant of receipt */
    int64_t fee;                  /* VND */
    char online[RF_WORD_MAX];     /* full, partial, none (Decree 42/2022) */
    char papers[RF_PAPERS_BYTES]; /* the required papers, " | " between them */
    char source[RF_NAME_BYTES];
    struct rf_procedure_step steps[RF_PROC_MAX_STEPS];
    int nsteps;
    int64_t created_at;
};

/* Insert a version with its steps; RF_ECONFLICT when the code has a version from that day. */
int rf_store_procedure_insert(struct rf_store *s, struct rf_procedure *p) RF_MUST_CHECK;
/* The version 'id' with its steps in order. RF_ENOTFOUND if absent. */
int rf_store_procedure_get(struct rf_store *s, int64_t province_id, int64_t id,
                           struct rf_procedure *out) RF_MUST_CHECK;
/* The id of the version of 'code' in force on 'date'; RF_ENOTFOUND when none. */
int rf_store_procedure_in_force(struct rf_store *s, int64_t province_id, const char *code,
                                const char *date, int64_t *id) RF_MUST_CHECK;
struct rf_procedure_query {
    int64_t province_id;
    const char *date;      /* the versions in force on this day */
    const char *text_fold; /* in the code or the folded name, or NULL */
    const char *field;     /* or NULL */
    const char *level;     /* or NULL */
    int64_t after_id;
    int limit;
};
typedef int (*rf_procedure_fn)(void *ctx, const struct rf_procedure *p);
/* The procedures (without their steps) by id. */
int rf_store_procedures_list(struct rf_store *s, const struct rf_procedure_query *q,
                             rf_procedure_fn fn, void *ctx) RF_MUST_CHECK;

struct rf_dossier {
    int64_t id;
    int64_t province_id;
    char code[RF_DOSSIER_CODE_MAX];
    int64_t procedure_id;
    int64_t desk_unit_id;
    char channel[RF_WORD_MAX]; /* desk, online, post */
    char applicant_name[RF_NAME_BYTES];
    char applicant_phone[RF_PHONE_MAX + 1];
    char applicant_address[RF_NAME_BYTES];
    enum rf_dossier_state state;
    int step;             /* -1 at none */
    int64_t step_unit_id; /* the unit holding the current step, 0 at none */
    int64_t received_at, due_at,
        appointment_at;             /* UTC seconds; the appointment moves with apologies */
    int64_t result_at, finished_at; /* 0 until then */
    char timeliness[RF_WORD_MAX];   /* early, on_time, late, or "" */
    int apologies;
    char lookup_hash[65]; /* of the slip's lookup secret */
    int version;          /* moves with every change: two officers cannot both act */
    int64_t created_at, updated_at;
};

/*
 * The next number of the sequence on 'day' (from 1) of the province's desk
 * 'desk_unit_id'. RF_ENOTFOUND, counting nothing, for another province's.
 * Deferring (rf_store_defer_begin), a desk's first number of the transaction
 * is read from the table and locks its row; the next are counted in memory
 * and written before the commit.
 */
int rf_store_dossier_next_seq(struct rf_store *s, int64_t province_id, int64_t desk_unit_id,
                              const char *day, int64_t *seq) RF_MUST_CHECK;
/*
 * Insert 'd' as it stands, its version included (id set). RF_ECONFLICT when
 * the code is taken, writing nothing and leaving the transaction usable (a
 * code is one across the database: another province's desk of the same unit
 * code may hold it), or when its procedure or a unit is not the province's.
 */
int rf_store_dossier_insert(struct rf_store *s, struct rf_dossier *d) RF_MUST_CHECK;
/*
 * The dossier 'id' of the province. RF_ENOTFOUND if absent, RF_ESTORE when
 * the row's state is none that this module writes (a damaged row).
 */
int rf_store_dossier_get(struct rf_store *s, int64_t province_id, int64_t id,
                         struct rf_dossier *out) RF_MUST_CHECK;
/* The dossier with 'code' in the province, as rf_store_dossier_get(). */
int rf_store_dossier_by_code(struct rf_store *s, int64_t province_id, const char *code,
                             struct rf_dossier *out) RF_MUST_CHECK;
/*
 * The public lookup's one read: the failed lookups counted for 'address'
 * (RF_ATTEMPT_LOOKUP; zeros when none) into '*misses', and the province's
 * dossier 'code' with the name of the unit that holds its step ("" for
 * none). RF_ENOTFOUND, with '*misses' filled, when the province has no such
 * dossier.
 */
int rf_store_dossier_lookup(struct rf_store *s, int64_t province_id, const char *address,
                            const char *code, struct rf_attempts *misses, struct rf_dossier *out,
                            char office[RF_NAME_BYTES]) RF_MUST_CHECK;
/*
 * Write 'd' when the row of d->id in d->province_id is still at 'version'
 * (then d->version moves on), else RF_ECONFLICT; deferred, RF_OK at once, a
 * version moved meanwhile failing the deferred writes.
 */
int rf_store_dossier_update(struct rf_store *s, struct rf_dossier *d, int version) RF_MUST_CHECK;

struct rf_dossier_event {
    int64_t id, dossier_id, at;
    char action[RF_WORD_MAX];
    char from_state[RF_WORD_MAX], to_state[RF_WORD_MAX];
    int step;
    int64_t from_unit_id, to_unit_id, actor_id;
    char reason[RF_TITLE_BYTES];
    int64_t step_due_at; /* the step's own due time, 0 for none */
    int step_late;       /* the step was handed over after it */
};
/*
 * Append 'e' to the timeline of the province's dossier e->dossier_id (id
 * set; 0 when deferred); a zero unit, actor or step_due_at is stored as
 * none. RF_ENOTFOUND, writing nothing, when the province has no such dossier
 * or there is no such actor. The functions below on a dossier's timeline and
 * pauses reach them through the dossier, and find none of another province's.
 */
int rf_store_dossier_event_add(struct rf_store *s, int64_t province_id,
                               struct rf_dossier_event *e) RF_MUST_CHECK;
/* When the dossier's current step began: its receipt or the last hand-over, 0 for none. */
int rf_store_dossier_step_began(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                                int64_t *at) RF_MUST_CHECK;
typedef int (*rf_dossier_event_fn)(void *ctx, const struct rf_dossier_event *e);
/* The events of 'dossier_id' in the order they were added. */
int rf_store_dossier_events(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                            rf_dossier_event_fn fn, void *ctx) RF_MUST_CHECK;
/*
 * Pauses: one opens at 'at' and closes at a later 'at' (RF_ENOTFOUND when
 * none is open, or for another province's dossier); the list in order, 'to'
 * 0 while open.
 */
int rf_store_dossier_pause_open(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                                int64_t at) RF_MUST_CHECK;
int rf_store_dossier_pause_close(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                                 int64_t at) RF_MUST_CHECK;
typedef int (*rf_pause_fn)(void *ctx, int64_t from, int64_t to);
int rf_store_dossier_pauses(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                            rf_pause_fn fn, void *ctx) RF_MUST_CHECK;

/*
 * What a move reads, in one statement: the province's dossier 'code' into
 * 'out', when its current step began into '*step_began' (as
 * rf_store_dossier_step_began), and its pauses, in order, to 'fn'.
 * RF_ENOTFOUND when the province has no such dossier.
 */
int rf_store_dossier_for_move(struct rf_store *s, int64_t province_id, const char *code,
                              struct rf_dossier *out, int64_t *step_began, rf_pause_fn fn,
                              void *ctx) RF_MUST_CHECK;

typedef int (*rf_dossier_fn)(void *ctx, const struct rf_dossier *d);

/* What a list of dossiers asks for; zero or NULL members do not filter. */
struct rf_dossier_query {
    int64_t province_id;
    int64_t root;  /* desks under this unit on the day each dossier was received; 0: all */
    int64_t scope; /* and under this one too on that day (the caller's scope); 0: no more */
    int64_t received_from, received_to; /* UTC seconds, [from, to); received, not turned away */
    int64_t result_from, result_to;     /* the same for the result */
    int64_t ended_from, ended_to;       /* the same for the end (refused, withdrawn...) */
    int64_t taken_from, taken_to;       /* taken in at the desk, whatever came of it */
    const char *event;                  /* with an event of this action */
    int64_t event_from, event_to;       /* in this span */
    const char *states;                 /* "processing,supplement" */
    const char *timeliness;             /* "early,on_time" */
    const char *field, *level;
    int64_t overdue_at; /* processing with due_at before this (due_mode 1), */
    int due_mode;       /* or at or after it (-1); 0: either */
    int64_t after_id;
    int limit;
};
/* The dossiers matching 'q' by id. */
int rf_store_dossiers_list(struct rf_store *s, const struct rf_dossier_query *q, rf_dossier_fn fn,
                           void *ctx) RF_MUST_CHECK;
/* The unfinished dossiers whose current step 'unit' holds, by due time, at most 'limit'. */
int rf_store_dossiers_held(struct rf_store *s, int64_t province_id, int64_t unit, int limit,
                           rf_dossier_fn fn, void *ctx) RF_MUST_CHECK;
/*
 * Of the dossiers received at desks under 'root' (0: all) and under 'scope'
 * (0: no more) on the day each was received, as rf_store_dossiers_list
 * reads them: those processing past their due time at 'now', and those
 * waiting for papers.
 */
int rf_store_dossiers_behind(struct rf_store *s, int64_t province_id, int64_t root, int64_t scope,
                             int64_t now, int64_t *overdue, int64_t *waiting) RF_MUST_CHECK;

/* An unfinished dossier's due time and what it was computed from. */
struct rf_dossier_due {
    int64_t id;
    char code[RF_DOSSIER_CODE_MAX];
    int64_t received_at, due_at;
    int days, minutes; /* the procedure version's allowance */
    int pauses;        /* how many pauses it has had */
};
typedef int (*rf_dossier_due_fn)(void *ctx, const struct rf_dossier_due *d);
/* The unfinished dossiers of the province (processing or waiting for papers), by id. */
int rf_store_dossiers_unfinished(struct rf_store *s, int64_t province_id, rf_dossier_due_fn fn,
                                 void *ctx) RF_MUST_CHECK;

/*
 * A counter of the service center's report: 'metric' of the dossiers of
 * the desks under 'unit_id', one field and level, in one 'span' (a month
 * "YYYY-MM" or a day "YYYY-MM-DD").
 */
struct rf_dossier_count_key {
    int64_t province_id, unit_id;
    const char *span, *field, *level, *metric;
};
/*
 * Add 'delta' (negative to take away) to the counter of 'k', which starts at
 * 0; the span's length tells a month from a day. RF_ECONFLICT when the
 * province or the unit does not exist.
 */
int rf_store_dossier_count_add(struct rf_store *s, const struct rf_dossier_count_key *k,
                               int64_t delta) RF_MUST_CHECK;
typedef int (*rf_count_fn)(void *ctx, const char *field, const char *level, const char *metric,
                           int64_t n);
/*
 * The counters of 'unit' summed by field, level and metric over the spans
 * 'from'..'to' (both included, both months or both days).
 */
int rf_store_dossier_counts(struct rf_store *s, int64_t province_id, int64_t unit, const char *from,
                            const char *to, rf_count_fn fn, void *ctx) RF_MUST_CHECK;
/*
 * The province's 'unit' and the units above it on 'date', into
 * ids[0..*n-1], the unit first; none (*n 0) for another province's unit.
 */
int rf_store_unit_chain(struct rf_store *s, int64_t province_id, int64_t unit, const char *date,
                        int64_t *ids, int max, int *n) RF_MUST_CHECK;

#endif
