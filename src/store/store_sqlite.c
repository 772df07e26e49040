/*
 * SQLite backend: one connection in WAL mode with foreign keys on,
 * synchronous=FULL (a commit survives power loss) and a busy timeout, and a
 * small cache of prepared statements keyed by their SQL text's address,
 * since every statement is a string constant.
 */
#include "store_int.h"
#include "../common/log.h"
#include "../common/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STMT_CACHE 64

struct sqlite_conn {
    sqlite3 *db;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
        int busy; /* a cursor is open on it */
    } cache[STMT_CACHE];
    int next_slot;
    char *wal_path; /* after flush_later: the log file, flushed through wal_fd */
    int wal_fd;
};

struct rf_rows {
    struct rf_store *store;
    sqlite3_stmt *stmt;
    int slot; /* cache slot, or -1 for a statement of its own */
};

/* The rf_err of SQLite's extended result code 'ext' of a failure. */
static int sq_err(int ext)
{
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ||
        ext == SQLITE_CONSTRAINT_FOREIGNKEY || ext == SQLITE_CONSTRAINT_TRIGGER)
        return RF_ECONFLICT;
    return (ext & 0xff) == SQLITE_FULL ? RF_EFULL : RF_ESTORE;
}

static int fail(struct rf_store *s, sqlite3 *db)
{
    int rc = sq_err(sqlite3_extended_errcode(db));

    snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(db));
    if (rc != RF_ECONFLICT)
        rf_log_error("sqlite: %s", s->errmsg);
    return rc;
}

static pthread_once_t configured = PTHREAD_ONCE_INIT;

static void configure(void)
{
    /* no count of the memory in use: it takes one lock, shared by every thread, on each of
       SQLite's allocations; each connection's page cache is bounded instead (below) */
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        rf_log_warn("sqlite: memory statistics could not be turned off");
}

int rf_sqlite_open(struct rf_store *s, const char *path, struct rf_error *err)
{
    struct sqlite_conn *c = rf_xcalloc(1, sizeof(*c));
    /* the busy timeout first: journal_mode takes a lock that another connection may hold */
    const char *setup = "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL;"
                        " PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                        /* a change's savepoint journal in memory: the writer's batches of
                           requests wrote it to a temporary file each time */
                        " PRAGMA temp_store=MEMORY;"
                        /* 2 MiB of pages: a server keeps four connections per core, and
                           the operating system caches the file for all of them */
                        " PRAGMA cache_size=-2048;";
    char *msg = NULL;

    pthread_once(&configured, configure);
    if (sqlite3_open_v2(path, &c->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rf_error_set(err, RF_ESTORE, "db", "open", "cannot open %s: %s", path,
                     c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sqlite3_close(c->db);
        free(c);
        return RF_ESTORE;
    }
    if (sqlite3_exec(c->db, setup, NULL, NULL, &msg) != SQLITE_OK) {
        rf_error_set(err, RF_ESTORE, "db", "open", "cannot set up %s: %s", path,
                     msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close(c->db);
        free(c);
        return RF_ESTORE;
    }
    c->wal_fd = -1;
    s->conn = c;
    s->be = &rf_backend_sqlite;
    return RF_OK;
}

static void sq_close(struct rf_store *s)
{
    struct sqlite_conn *c = s->conn;

    if (!c)
        return;
    for (int i = 0; i < STMT_CACHE; i++)
        sqlite3_finalize(c->cache[i].stmt);
    sqlite3_close(c->db);
    if (c->wal_fd >= 0)
        close(c->wal_fd);
    free(c->wal_path);
    free(c);
    s->conn = NULL;
}

static int sq_exec_script(struct rf_store *s, const char *sql)
{
    struct sqlite_conn *c = s->conn;
    char *msg = NULL;

    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->errmsg, sizeof(s->errmsg), "%s", msg ? msg : "unknown error");
        sqlite3_free(msg);
        return sq_err(sqlite3_extended_errcode(c->db));
    }
    return RF_OK;
}

/*
 * The prepared statement for 'sql': from the cache when there and not in use
 * by an open cursor, else freshly prepared and cached in a free slot (or not
 * cached at all when every slot is busy).
 */
static sqlite3_stmt *lookup(struct sqlite_conn *c, const char *sql, int *slot_out)
{
    sqlite3_stmt *stmt = NULL;
    int slot = -1;

    *slot_out = -1;
    for (int i = 0; i < STMT_CACHE; i++) {
        if (c->cache[i].sql == sql && !c->cache[i].busy) {
            c->cache[i].busy = 1;
            *slot_out = i;
            return c->cache[i].stmt;
        }
    }
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        return NULL;
    for (int i = 0; i < STMT_CACHE && slot < 0; i++) {
        int at = (c->next_slot + i) % STMT_CACHE;
        if (!c->cache[at].busy)
            slot = at;
    }
    if (slot < 0)
        return stmt;
    c->next_slot = (slot + 1) % STMT_CACHE;
    sqlite3_finalize(c->cache[slot].stmt);
    c->cache[slot].sql = sql;
    c->cache[slot].stmt = stmt;
    c->cache[slot].busy = 1;
    *slot_out = slot;
    return stmt;
}

static void sq_done(struct rf_rows *r)
{
    struct sqlite_conn *c;

    if (!r)
        return;
    c = r->store->conn;
    if (r->slot < 0) {
        sqlite3_finalize(r->stmt);
    } else {
        sqlite3_reset(r->stmt);
        sqlite3_clear_bindings(r->stmt);
        c->cache[r->slot].busy = 0;
    }
    free(r);
}

static int sq_query(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                    struct rf_rows **out)
{
    struct sqlite_conn *c = s->conn;
    struct rf_rows *r;
    sqlite3_stmt *stmt;
    int slot, rc = SQLITE_OK;

    stmt = lookup(c, sql, &slot);
    if (!stmt)
        return fail(s, c->db);
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        switch (p[i].type) {
        case RF_P_NULL:
            rc = sqlite3_bind_null(stmt, i + 1);
            break;
        case RF_P_INT:
            rc = sqlite3_bind_int64(stmt, i + 1, p[i].i);
            break;
        case RF_P_TEXT:
            rc = sqlite3_bind_text(stmt, i + 1, p[i].s, -1, SQLITE_STATIC);
            break;
        }
    }
    r = rf_xmalloc(sizeof(*r));
    r->store = s;
    r->stmt = stmt;
    r->slot = slot;
    if (rc != SQLITE_OK) {
        rc = fail(s, c->db);
        sq_done(r);
        return rc;
    }
    *out = r;
    return RF_OK;
}

static int sq_step(struct rf_rows *r)
{
    int rc = sqlite3_step(r->stmt);

    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return fail(r->store, sqlite3_db_handle(r->stmt));
}

static const char *sq_col_text(struct rf_rows *r, int col)
{
    const unsigned char *t = sqlite3_column_text(r->stmt, col);
    return t ? (const char *)t : "";
}

static int64_t sq_col_int(struct rf_rows *r, int col)
{
    return sqlite3_column_int64(r->stmt, col);
}

static int sq_col_null(struct rf_rows *r, int col)
{
    return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static int sq_begin(struct rf_store *s)
{
    return sq_exec_script(s, "BEGIN IMMEDIATE");
}

static int sq_tx_open(struct rf_store *s)
{
    struct sqlite_conn *c = s->conn;

    return !sqlite3_get_autocommit(c->db);
}

static int sq_backup(struct rf_store *s, const char *path, struct rf_error *err)
{
    struct sqlite_conn *c = s->conn;
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    int rc = RF_OK;

    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        rc = rf_error_set(err, RF_EIO, "path", "open", "cannot open %s: %s", path,
                          dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    b = sqlite3_backup_init(dst, "main", c->db, "main");
    if (!b) {
        rc = rf_error_set(err, RF_EIO, "path", "backup", "cannot back up to %s: %s", path,
                          sqlite3_errmsg(dst));
        goto out;
    }
    sqlite3_backup_step(b, -1);
    if (sqlite3_backup_finish(b) != SQLITE_OK)
        rc = rf_error_set(err, RF_EIO, "path", "backup", "backup to %s failed: %s", path,
                          sqlite3_errmsg(dst));
out:
    sqlite3_close(dst);
    return rc;
}

static int sq_restore(struct rf_store *s, const char *path, struct rf_error *err)
{
    struct sqlite_conn *c = s->conn;
    sqlite3 *src = NULL;
    sqlite3_backup *b;
    int rc = RF_OK;

    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_exec(src, "SELECT COUNT(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
        rc = rf_error_set(err, RF_EIO, "path", "open", "cannot read %s: %s", path,
                          src ? sqlite3_errmsg(src) : "out of memory");
        goto out;
    }
    b = sqlite3_backup_init(c->db, "main", src, "main");
    if (!b) {
        rc = rf_error_set(err, RF_EIO, "path", "restore", "cannot restore %s: %s", path,
                          sqlite3_errmsg(c->db));
        goto out;
    }
    sqlite3_backup_step(b, -1);
    if (sqlite3_backup_finish(b) != SQLITE_OK)
        rc = rf_error_set(err, RF_EIO, "path", "restore", "restoring %s failed: %s", path,
                          sqlite3_errmsg(c->db));
out:
    sqlite3_close(src);
    return rc;
}

/* Only the log file's descriptor is touched: the connection may be busy in another thread. */
static int sq_flush(struct rf_store *s)
{
    struct sqlite_conn *c = s->conn;
    struct stat open_file, named;

    if (!c->wal_path)
        return RF_EINVAL;
    /* the descriptor must still be the log's: were the log ever made anew, follow it */
    if (stat(c->wal_path, &named) != 0) {
        rf_log_error("sqlite: cannot find the log %s: %s", c->wal_path, strerror(errno));
        return RF_ESTORE;
    }
    if (c->wal_fd >= 0 && (fstat(c->wal_fd, &open_file) != 0 || open_file.st_ino != named.st_ino ||
                           open_file.st_dev != named.st_dev)) {
        close(c->wal_fd);
        c->wal_fd = -1;
    }
    if (c->wal_fd < 0 && (c->wal_fd = open(c->wal_path, O_RDONLY | O_CLOEXEC)) < 0) {
        rf_log_error("sqlite: cannot open the log %s: %s", c->wal_path, strerror(errno));
        return RF_ESTORE;
    }
    if (fdatasync(c->wal_fd) != 0) {
        rf_log_error("sqlite: cannot flush the log %s: %s", c->wal_path, strerror(errno));
        return RF_ESTORE;
    }
    return RF_OK;
}

/*
 * A commit in WAL mode appends the change to the log file; synchronous=FULL
 * then waits for the disk before COMMIT returns. With synchronous=NORMAL it
 * does not, and a flush of the log file from another thread makes every commit
 * appended before it durable: Linux flushes a file's data whichever descriptor
 * wrote it, and the log is only ever appended to or, after a checkpoint that
 * synced both files first, started over. Checkpoints still sync under NORMAL.
 */
static int sq_flush_later(struct rf_store *s)
{
    struct sqlite_conn *c = s->conn;
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(c->db, "main"));
    struct rf_rows *r;
    int wal_mode = 0;

    if (!wal || !*wal || c->wal_path)
        return c->wal_path ? RF_OK : RF_EINVAL;
    /* the log exists once the database has been read in WAL mode */
    if (sq_query(s, "PRAGMA journal_mode", NULL, 0, &r) != RF_OK)
        return RF_ESTORE;
    wal_mode = sq_step(r) == 1 && strcmp(sq_col_text(r, 0), "wal") == 0;
    sq_done(r);
    if (!wal_mode)
        return RF_EINVAL; /* a rollback journal: its commits must keep waiting */
    c->wal_path = rf_xstrdup(wal);
    if (sq_flush(s) != RF_OK || sq_exec_script(s, "PRAGMA synchronous=NORMAL") != RF_OK) {
        free(c->wal_path);
        c->wal_path = NULL;
        return RF_ESTORE;
    }
    return RF_OK;
}

const struct rf_backend rf_backend_sqlite = {
    .name = "sqlite",
    .exec_script = sq_exec_script,
    .query = sq_query,
    .step = sq_step,
    .col_text = sq_col_text,
    .col_int = sq_col_int,
    .col_null = sq_col_null,
    .done = sq_done,
    .begin = sq_begin,
    .tx_open = sq_tx_open,
    .close = sq_close,
    .backup = sq_backup,
    .restore = sq_restore,
    .count_tables = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
    .flush_later = sq_flush_later,
    .flush = sq_flush,
    .id_column = "INTEGER PRIMARY KEY",
};
