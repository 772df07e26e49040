/*
 * What the two backends share: a query interface of positional parameters
 * and row cursors, so that the SQL of each entity (store_units.c,
 * store_users.c, store_audit.c, store_tasks.c, store_dossiers.c,
 * store_calendar.c, store_attempts.c) is written once for both. SQL text uses
 * '?' placeholders; the PostgreSQL backend rewrites them to $n. Private to
 * src/store/.
 */
#ifndef RF_STORE_INT_H
#define RF_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../common/buf.h"
#include "store.h"

enum rf_param_type { RF_P_NULL, RF_P_INT, RF_P_TEXT };

struct rf_param {
    enum rf_param_type type;
    int64_t i;
    const char *s;
};

static inline struct rf_param p_int(int64_t v)
{
    return (struct rf_param){RF_P_INT, v, NULL};
}

static inline struct rf_param p_text(const char *v)
{
    return (struct rf_param){v ? RF_P_TEXT : RF_P_NULL, 0, v};
}

/* text that is NULL when empty */
static inline struct rf_param p_opt_text(const char *v)
{
    return (struct rf_param){v && *v ? RF_P_TEXT : RF_P_NULL, 0, v};
}

/* integer that is NULL when zero */
static inline struct rf_param p_opt_int(int64_t v)
{
    return (struct rf_param){v ? RF_P_INT : RF_P_NULL, v, NULL};
}

#define P_INT(v) p_int((int64_t)(v))
#define P_TEXT(v) p_text(v)
#define P_OPT_TEXT(v) p_opt_text(v)
#define P_OPT_INT(v) p_opt_int((int64_t)(v))

struct rf_rows;

struct rf_backend {
    const char *name;
    /* run a script of several statements without parameters */
    int (*exec_script)(struct rf_store *s, const char *sql);
    /* start a statement; rows come through step() */
    int (*query)(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                 struct rf_rows **out);
    /* 1 with a row, 0 at the end, or a negative rf_err */
    int (*step)(struct rf_rows *r);
    const char *(*col_text)(struct rf_rows *r, int col); /* "" for NULL */
    int64_t (*col_int)(struct rf_rows *r, int col);      /* 0 for NULL */
    int (*col_null)(struct rf_rows *r, int col);
    void (*done)(struct rf_rows *r);
    int (*begin)(struct rf_store *s);
    /* 1 while the connection is in a transaction, even a failed one */
    int (*tx_open)(struct rf_store *s);
    void (*close)(struct rf_store *s);
    int (*backup)(struct rf_store *s, const char *path, struct rf_error *err);
    /* into an empty database, checked by rf_store_restore */
    int (*restore)(struct rf_store *s, const char *path, struct rf_error *err);
    /* the number of tables the database holds: 0 when empty */
    const char *count_tables;
    /* commits written now, flushed by flush() (from any thread); NULL where unsupported */
    int (*flush_later)(struct rf_store *s);
    int (*flush)(struct rf_store *s);
    /* times the connection or the flush's was made again after a loss; NULL where never */
    unsigned (*reconnections)(struct rf_store *s);
    /* transactions lock the rows they write, not the whole database (PostgreSQL) */
    int row_locks;
    /* taken and given back around the migrations, so that processes starting together on
     * one database apply each once; NULL where a transaction already serialises them */
    const char *schema_lock, *schema_unlock;
    /* refreshes the planner's statistics after a bulk load; NULL where the planner keeps none
     * unless asked (SQLite plans from its indexes alone) */
    const char *analyze;
    /* replaces "{{id}}" in migrations: an auto-numbered primary key */
    const char *id_column;
    /*
     * Deferred writes (rf_store_defer_begin): 'send' starts a statement whose
     * rows nobody reads, without waiting for its answer; 'expect' makes a
     * statement that writes fewer rows than that a failure (RF_ENOTFOUND),
     * found with the answer. Any failure is kept and given by 'defer_end', which waits for
     * every answer; the transaction is then aborted. NULL where each
     * statement is answered at once anyway (SQLite: no round trips).
     */
    int (*defer_begin)(struct rf_store *s);
    int (*send)(struct rf_store *s, const char *sql, const struct rf_param *p, int n, int expect);
    int (*defer_end)(struct rf_store *s);
    /* what was sent goes out now, no answer read; a failure is kept for 'defer_end' */
    void (*defer_push)(struct rf_store *s);
    /* a deferred write failed: nothing more of the transaction runs */
    int (*defer_failed)(struct rf_store *s);
    /* the connection is known lost; NULL where it cannot be */
    int (*lost)(struct rf_store *s);
    /* news of changes (rf_store_listen); NULL where there is none */
    int (*listen)(struct rf_store *s);
    int (*news_socket)(struct rf_store *s);
    int (*news)(struct rf_store *s, rf_news_fn fn, void *ctx);
    /* a statement giving 'n' (the second parameter) new ids of table '?' in order; NULL where
     * ids are taken by the insert itself */
    const char *ids_ahead;
};

/*
 * The audit chain's head of one province as the open transaction has moved
 * it: read (and, where rows are locked, locked) at the transaction's first
 * record, advanced in memory by each record, written once before the commit.
 */
struct rf_audit_head {
    int64_t province_id; /* 0: none read yet */
    int64_t seq;
    char hash[RF_AUDIT_HASH_HEX];
    int dirty; /* records appended since it was read or written */
};

#define RF_SAVEPOINTS_MAX 4

/*
 * Ids taken ahead from a table's sequence (PostgreSQL, rf_store_ids_ahead):
 * an insert then needs no answer, and its change can go on without waiting.
 * An id given back (its insert undone) is given again next.
 */
enum { RF_IDS_DOSSIERS, RF_IDS_TASKS, RF_IDS_TABLES };
#define RF_IDS_BLOCK 64

struct rf_ids {
    int64_t id[RF_IDS_BLOCK];
    int next, n;
    unsigned block; /* blocks taken: a mark from an earlier block cannot be gone back to */
};

struct rf_ids_mark {
    int next;
    unsigned block;
};

/*
 * A desk's sequence of the day as a transaction with deferred writes moves
 * it: read (and locked) by its first receipt, moved in memory by the others,
 * written once before the commit.
 */
#define RF_SEQS_KEPT 32

struct rf_seq_kept {
    int64_t province_id, desk_unit_id, last;
    char day[RF_DATE_LEN];
    int dirty;
};

/*
 * Rows gathered while writes are deferred, for one statement a table
 * (rf_sq_gather): each column's values so far as an array's text. The kinds
 * are sent in this order, a table before the tables whose rows point to it.
 */
enum {
    RF_GATHER_DOSSIERS,
    RF_GATHER_MOVES,
    RF_GATHER_EVENTS,
    RF_GATHER_TASKS,
    RF_GATHER_DEADLINES,
    RF_GATHER_AUDIT,
    RF_GATHER_KINDS
};
#define RF_GATHER_ROWS 256 /* rows of a kind sent at once */
#define RF_GATHER_COLS 24

struct rf_gathered {
    const char *sql;
    int ncols, n;
    struct rf_buf col[RF_GATHER_COLS];
};

struct rf_store {
    const struct rf_backend *be;
    void *conn;
    int in_tx;
    struct rf_audit_head head;
    struct rf_audit_head head_at[RF_SAVEPOINTS_MAX]; /* as each open savepoint found it */
    int savepoints;
    int deferring;     /* between rf_store_defer_begin and its end */
    unsigned deferred; /* writes deferred or kept in memory (rf_store_deferred) */
    int ids_ahead;
    struct rf_ids ids[RF_IDS_TABLES];
    struct rf_ids_mark ids_begun[RF_IDS_TABLES]; /* as the transaction found them */
    struct rf_ids_mark ids_at[RF_SAVEPOINTS_MAX][RF_IDS_TABLES];
    struct rf_seq_kept seqs[RF_SEQS_KEPT];
    int nseqs;
    struct rf_gathered gathered[RF_GATHER_KINDS];
    char errmsg[256]; /* the backend's last message, for logs */
    int audit_keyed;  /* audit records get the MAC under audit_key */
    unsigned char audit_key[RF_AUDIT_KEY_BYTES];
    char audit_key_id[RF_AUDIT_KEY_ID_HEX];
};

extern const struct rf_backend rf_backend_sqlite;
extern const struct rf_backend rf_backend_pg;

/*
 * Open the SQLite file 'path' (created when missing) as 's''s connection, with
 * the settings of rf_store_open(): sets s->conn and s->be, whose close() frees
 * the connection. RF_ESTORE, with 'err' set and 's' untouched, when the file
 * cannot be opened or set up.
 */
int rf_sqlite_open(struct rf_store *s, const char *path, struct rf_error *err);
/*
 * Connect to PostgreSQL with libpq's 'conninfo' as 's''s connection, in UTC
 * and with notices below warnings silenced (a failure of these settings is not
 * reported): sets s->conn and s->be, whose close() frees the connection.
 * RF_ESTORE, with 'err' set and 's' untouched, when the connection fails.
 */
int rf_pg_open(struct rf_store *s, const char *conninfo, struct rf_error *err);

/*
 * Write the transaction's audit head, when records moved it (store_audit.c);
 * rf_store_commit calls it before committing.
 */
int rf_sq_audit_head_write(struct rf_store *s);
/* Write the desks' sequences kept in memory and forget them (store_dossiers.c). */
int rf_sq_seqs_write(struct rf_store *s);

/* ---- plumbing shared by the entity files (store.c) ---- */

#define NPARAMS(...) ((int)(sizeof((struct rf_param[]){__VA_ARGS__}) / sizeof(struct rf_param)))
#define PARAMS(...) (struct rf_param[]){__VA_ARGS__}, NPARAMS(__VA_ARGS__)
/* a row of table alias 't' in force on the date passed twice */
#define IN_FORCE(t) t ".valid_from <= ? AND (" t ".valid_to IS NULL OR " t ".valid_to > ?)"
#define COPY(dst, src) rf_sq_copy((dst), sizeof(dst), (src))
#define NO_LIMIT 1000000000

/* Start a statement (every one passes here, for fault injection). */
int rf_sq_query(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                struct rf_rows **out);
/* Run a statement, ignoring its rows; deferred while writes are (rf_store_defer_begin). */
int rf_sq_run(struct rf_store *s, const char *sql, const struct rf_param *p, int n);
/*
 * Run a write that gives a row when it finds what it writes to (RETURNING):
 * RF_ENOTFOUND without one, else RF_OK with the row's first column in
 * '*first' (may be NULL). Deferred while writes are: '*first' is then 0, and
 * a missing row fails the deferred writes as a whole.
 */
int rf_sq_write_one(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                    int64_t *first);
/*
 * A row of kind RF_GATHER_* for a statement that writes many: while writes
 * are deferred (PostgreSQL alone), the rows of each kind are kept, each
 * parameter a column, and 'sql' runs once with each column as an array
 * (CAST(? AS BIGINT[]), unnest) before any other statement, and when the
 * deferred writes end; it must write every row it is given, or the deferred
 * writes fail (RF_ENOTFOUND), as a single row's write_one would.
 */
int rf_sq_gather(struct rf_store *s, int kind, const char *sql, const struct rf_param *p, int n);
/* Whether a write now would be gathered: writes are deferred. */
int rf_sq_gathering(const struct rf_store *s);
/*
 * The next id of table RF_IDS_* for an insert to give: RF_OK with '*id',
 * RF_ENOTFOUND where ids are not taken ahead (the insert takes its own).
 */
int rf_sq_next_id(struct rf_store *s, int table, int64_t *id);
/* Give back the id rf_sq_next_id gave last, whose insert wrote nothing. */
void rf_sq_id_back(struct rf_store *s, int table);
/*
 * What rf_sq_each() gives each row to, with its 'ctx': it reads the row's
 * columns through s->be and returns 0 to go on, 1 to stop early (a page is
 * full: not an error), or a negative rf_err to stop with that error.
 */
typedef int (*rf_sq_row_fn)(struct rf_store *s, struct rf_rows *r, void *ctx);
/*
 * Run a statement and give its rows, in order, to 'row'. Returns RF_OK when
 * the rows ran out or 'row' stopped early (any positive return stops as 1
 * does), the negative rf_err 'row' stopped with, or the statement's own
 * failure. The statement is done on return: what its parameters point to may
 * then be freed. The rule of store.h's row callbacks, in one place.
 */
int rf_sq_each(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
               rf_sq_row_fn row, void *ctx);
/*
 * Run a statement and give its first row to 'row' (its positive return is
 * RF_OK, its negative one the result). RF_ENOTFOUND without rows; the
 * statement is done on return.
 */
int rf_sq_first(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                rf_sq_row_fn row, void *ctx);
/* The first column of the first row; RF_ENOTFOUND without rows. */
int rf_sq_one_int(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                  int64_t *out);
/*
 * Whether the statement gives a row: RF_OK with '*found' 1 or 0. An insert
 * asks it of its unique key first and answers RF_ECONFLICT without
 * inserting: on PostgreSQL an insert that fails still takes its id from the
 * sequence, so a refused request would move the next id there but not on
 * SQLite (whose next id is the largest plus one), and the same history would
 * give the two backends different ids.
 */
int rf_sq_exists(struct rf_store *s, const char *sql, const struct rf_param *p, int n, int *found);
/* Copy 'src' (NULL: "") into 'dst' of 'size' bytes, cut to fit; COPY() passes sizeof(dst). */
void rf_sq_copy(char *dst, size_t size, const char *src);
/* LIKE pattern "%text%" with LIKE's own characters escaped, or NULL; caller frees. */
char *rf_sq_like_pattern(const char *text);

/*
 * A recursive CTE 'name': the units that are or were under the unit bound as (province, id),
 * through the links of that province alone (each row carries it, so no other is bound).
 */
#define EVER_UNDER(name)                                                                           \
    name "(id, province_id, depth) AS (SELECT u.id, u.province_id, 0 FROM units u"                 \
         " WHERE u.province_id = ? AND u.id = ?"                                                   \
         " UNION SELECT l.unit_id, l.province_id, " name ".depth + 1 FROM unit_links l JOIN " name \
         " ON l.province_id = " name ".province_id AND l.parent_id = " name ".id"                  \
         " WHERE " name ".depth < 16)"

/* A numeric constant of C written into SQL text. */
#define SQL_STR_(x) #x
#define SQL_STR(x) SQL_STR_(x)

/*
 * The days from 1970-01-01 to the date text 't' ('YYYY-MM-DD', years 1 to 9999) in integer
 * arithmetic that SQLite and PostgreSQL compute alike: core/date.c's rf_date_to_days, which for
 * years after 0 divides only numbers that are not negative, where truncation is the floor.
 */
#define SQL_YEAR(t) "CAST(substr(" t ", 1, 4) AS BIGINT)"
#define SQL_MONTH(t) "CAST(substr(" t ", 6, 2) AS BIGINT)"
#define SQL_DAY(t) "CAST(substr(" t ", 9, 2) AS BIGINT)"
/* years counted from March, so that a leap day ends its year */
#define SQL_MARCH_YEAR(t) "(" SQL_YEAR(t) " - CASE WHEN " SQL_MONTH(t) " <= 2 THEN 1 ELSE 0 END)"
#define SQL_YEARS_DAYS(y) "365 * " y " + " y " / 4 - " y " / 100 + " y " / 400"
#define SQL_MONTHS_DAYS(t) "(153 * ((" SQL_MONTH(t) " + 9) % 12) + 2) / 5"
#define SQL_DAYS(t)                                                                                \
    "(" SQL_YEARS_DAYS(SQL_MARCH_YEAR(t)) " + " SQL_MONTHS_DAYS(t) " + " SQL_DAY(t) " - 719469)"
/* The instant (UTC seconds) at which the province's day 't' begins. */
#define SQL_DAY_START(t) "(" SQL_DAYS(t) " * 86400 - " SQL_STR(RF_PROVINCE_UTC_OFFSET) ")"

/*
 * The one scope rule of the tree over time, as two CTEs: 'name'_days(id, from_day, to_day,
 * depth), the units under the unit bound as (province, id), one row for each path down to a unit,
 * with the days [from_day, to_day) on which every link of that path was in force (the unit itself:
 * always); and 'name'(id, from_at, to_at), the same days as UTC instants. A unit's periods in the
 * tree never overlap, so a unit is under the root at an instant through one row at most; the rows
 * are made once per statement (MATERIALIZED), not once for each record they judge. A record
 * belongs to the root when its unit is under it on the record's own day: an instant such as a
 * dossier's received_at falls in [from_at, to_at) of its unit's row (UNDER_AT, or a join that
 * reads each row's period as a range of an index on (unit, instant)). Only the province's own
 * links are followed (each row carries the province: no other is bound).
 */
#define UNDER_ON_DAYS(name)                                                                        \
    name "_days(id, province_id, from_day, to_day, depth) AS ("                                    \
         " SELECT u.id, u.province_id, CAST('0001-01-01' AS TEXT), CAST('9999-12-31' AS TEXT), 0"  \
         "  FROM units u WHERE u.province_id = ? AND u.id = ?"                                     \
         " UNION ALL"                                                                              \
         " SELECT l.unit_id, l.province_id,"                                                       \
         "  CASE WHEN l.valid_from > p.from_day THEN l.valid_from ELSE p.from_day END,"            \
         "  CASE WHEN l.valid_to < p.to_day THEN l.valid_to ELSE p.to_day END, p.depth + 1"        \
         "  FROM unit_links l JOIN " name "_days p"                                                \
         "  ON l.province_id = p.province_id AND l.parent_id = p.id"                               \
         "  WHERE p.depth < 16 AND l.valid_from < p.to_day"                                        \
         "  AND (l.valid_to IS NULL OR l.valid_to > p.from_day)), " name                           \
         "(id, from_at, to_at) AS MATERIALIZED (SELECT id, " SQL_DAY_START(                        \
             "from_day") ", " SQL_DAY_START("to_day") " FROM " name "_days)"
/* Whether unit 'unit' was under the root of UNDER_ON_DAYS 'name' at instant 'at' (SQL text). */
#define UNDER_AT(name, unit, at)                                                                   \
    "EXISTS (SELECT 1 FROM " name " x WHERE x.id = " unit " AND " at " >= x.from_at AND " at       \
    " < x.to_at)"

/* Migrations compiled into the binary (generated from migrations/ by the build). */
struct rf_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct rf_migration rf_migrations[];
extern const int rf_migration_count;

#endif
