/*
 * PostgreSQL backend through libpq. Statements are the SQLite ones with '?'
 * rewritten to $1, $2...; each is prepared once per connection (named by its
 * cache slot) and run with text parameters. A result holds all its rows;
 * step() walks them.
 */
#include "store_int.h"
#include "../common/buf.h"
#include "../common/log.h"
#include "../common/mem.h"

#include <errno.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

#define STMT_CACHE 128
#define PENDING_MAX 256 /* answers left unread in a pipeline before they are read */
#define DEALLOCS_MAX 16

/* A statement sent in the pipeline whose answer is not read yet. */
struct pending {
    enum { PEND_WRITE, PEND_PREPARE } kind;
    int slot;      /* PEND_PREPARE: the cache's */
    unsigned name; /* PEND_PREPARE: the statement's */
    int expect;    /* PEND_WRITE: fewer rows written than this is a failure */
};

struct pg_conn {
    PGconn *pg;
    char *conninfo;          /* to open 'flush' */
    PGconn *flush;           /* after flush_later: the connection whose commits flush the log */
    char flush_warning[256]; /* the warning the last flush got, "" for none */
    _Atomic unsigned reconnections; /* of 'pg' and 'flush': each may have reached another server */
    struct {
        const char *sql; /* the caller's text; the key */
        unsigned name;   /* prepared as "rf<name>": never reused, as a failed prepare may linger */
    } cache[STMT_CACHE];
    int next_slot;
    unsigned names;
    unsigned dealloc[DEALLOCS_MAX]; /* names to deallocate out of the pipeline */
    int ndealloc;
    /* deferred writes: libpq's pipeline mode, and the answers still to read, in order */
    int pipeline;
    int failed; /* the first failure read there, RF_OK while none */
    struct pending pend[PENDING_MAX];
    int first, npend; /* 'first' moves only while they are read, and all of them are */
};

struct rf_rows {
    struct rf_store *store;
    PGresult *res;
    int row, nrows;
};

static int fail_res(struct rf_store *s, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    struct pg_conn *c = s->conn;

    snprintf(s->errmsg, sizeof(s->errmsg), "%s",
             res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
    s->errmsg[strcspn(s->errmsg, "\n")] = '\0';
    if (state && (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0))
        return RF_ECONFLICT;
    rf_log_error("postgresql: %s", s->errmsg);
    return state && strcmp(state, "53100") == 0 ? RF_EFULL : RF_ESTORE; /* disk_full */
}

int rf_pg_open(struct rf_store *s, const char *conninfo, struct rf_error *err)
{
    struct pg_conn *c = rf_xcalloc(1, sizeof(*c));
    PGresult *res;

    c->pg = PQconnectdb(conninfo);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(c->pg));
        msg[strcspn(msg, "\n")] = '\0';
        rf_error_set(err, RF_ESTORE, "db", "open", "cannot connect to postgresql: %s", msg);
        PQfinish(c->pg);
        free(c);
        return RF_ESTORE;
    }
    res = PQexec(c->pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    PQclear(res);
    c->conninfo = rf_xstrdup(conninfo);
    s->conn = c;
    s->be = &rf_backend_pg;
    return RF_OK;
}

static void pg_close(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    if (!c)
        return;
    PQfinish(c->pg);
    if (c->flush)
        PQfinish(c->flush);
    free(c->conninfo);
    free(c);
    s->conn = NULL;
}

/* '?' to $n, outside quoted strings and identifiers. */
static char *rewrite(const char *sql)
{
    struct rf_buf b = RF_BUF_INIT;
    char quote = 0;
    int n = 0;

    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            rf_buf_addc(&b, *p);
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            rf_buf_addc(&b, *p);
        } else if (*p == '?') {
            rf_buf_addf(&b, "$%d", ++n);
        } else {
            rf_buf_addc(&b, *p);
        }
    }
    return rf_buf_detach(&b, NULL);
}

/*
 * A connection lost (the server restarted, an administrator ended it, a
 * standby took over) is made again before it is used outside a transaction:
 * the statements it had prepared and its settings went with the old session.
 * Inside a transaction the loss fails the transaction, which is undone.
 */
static int revive(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    if (PQstatus(c->pg) == CONNECTION_OK || s->in_tx)
        return RF_OK;
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK)
        return RF_ESTORE;
    rf_log_info("postgresql: connected again after the connection was lost");
    atomic_fetch_add(&c->reconnections, 1);
    memset(c->cache, 0, sizeof(c->cache));
    c->next_slot = 0;
    PQclear(PQexec(c->pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
    if (c->flush)
        PQclear(PQexec(c->pg, "SET synchronous_commit = off"));
    return RF_OK;
}

/* Outside a transaction, the connection was found lost by the statement that just failed. */
static int lost(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return !s->in_tx && PQstatus(c->pg) != CONNECTION_OK;
}

#define MAX_PARAMS 64 /* parameters of one statement */

/* A cache slot for 'sql': its own, or a free one, or the oldest, whose statement goes. */
static int slot_for(struct pg_conn *c, const char *sql, int *found)
{
    int slot;

    for (int i = 0; i < STMT_CACHE; i++)
        if (c->cache[i].sql == sql) {
            *found = 1;
            return i;
        }
    *found = 0;
    slot = c->next_slot;
    c->next_slot = (slot + 1) % STMT_CACHE;
    if (c->cache[slot].sql && c->ndealloc < DEALLOCS_MAX)
        c->dealloc[c->ndealloc++] = c->cache[slot].name; /* else it stays on the server */
    c->cache[slot].sql = NULL;
    return slot;
}

/* The name of the prepared statement for 'sql', preparing it on first use. */
static int prepared(struct rf_store *s, const char *sql, char name[16])
{
    struct pg_conn *c = s->conn;
    PGresult *res;
    char *text;
    int found, slot = slot_for(c, sql, &found);

    if (found) {
        snprintf(name, 16, "rf%u", c->cache[slot].name);
        return RF_OK;
    }
    while (c->ndealloc > 0) {
        char dealloc[48];
        snprintf(dealloc, sizeof(dealloc), "DEALLOCATE rf%u", c->dealloc[--c->ndealloc]);
        PQclear(PQexec(c->pg, dealloc));
    }
    snprintf(name, 16, "rf%u", ++c->names);
    text = rewrite(sql);
    res = PQprepare(c->pg, name, text, 0, NULL);
    free(text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int rc = fail_res(s, res);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    c->cache[slot].sql = sql;
    c->cache[slot].name = c->names;
    return RF_OK;
}

/* ---- the pipeline: deferred writes ---- */

static void pipe_fail(struct rf_store *s, int rc)
{
    struct pg_conn *c = s->conn;

    if (c->failed == RF_OK)
        c->failed = rc;
}

/*
 * Read the next answer in the pipeline (a statement's result, then the NULL
 * that ends it) and check it; with 'keep', hand the result over instead.
 */
static void pipe_read(struct rf_store *s, PGresult **keep)
{
    struct pg_conn *c = s->conn;
    struct pending p = c->pend[c->first];
    PGresult *res, *extra;
    ExecStatusType st;

    c->first++;
    if (--c->npend == 0)
        c->first = 0;
    res = PQgetResult(c->pg);
    st = PQresultStatus(res);
    if (!res) { /* the connection is gone: no other answer will come */
        pipe_fail(s, fail_res(s, NULL));
        c->npend = c->first = 0;
        return;
    }
    if (st == PGRES_PIPELINE_ABORTED) {
        /* not run, for a failure before it */
    } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pipe_fail(s, fail_res(s, res));
    } else if (p.kind == PEND_WRITE && p.expect > 0 &&
               strtol(PQcmdTuples(res), NULL, 10) < p.expect) {
        snprintf(s->errmsg, sizeof(s->errmsg), "a deferred write wrote %s of %d rows",
                 PQcmdTuples(res), p.expect);
        pipe_fail(s, RF_ENOTFOUND);
    }
    if (p.kind == PEND_PREPARE && st != PGRES_COMMAND_OK && c->cache[p.slot].name == p.name)
        c->cache[p.slot].sql = NULL; /* not prepared: next time again, under a new name */
    if (keep && st != PGRES_PIPELINE_ABORTED)
        *keep = res;
    else
        PQclear(res);
    while ((extra = PQgetResult(c->pg)) != NULL) /* the NULL after each statement's result */
        PQclear(extra);
}

/* Ask for every answer sent and read them all but the last 'leave'. */
static void pipe_drain(struct rf_store *s, int leave)
{
    struct pg_conn *c = s->conn;

    if (c->npend > 0 && (PQsendFlushRequest(c->pg) != 1 || PQflush(c->pg) != 0)) {
        pipe_fail(s, fail_res(s, NULL));
        c->npend = c->first = 0;
    }
    while (c->npend > leave)
        pipe_read(s, NULL);
}

static void pipe_push(struct pg_conn *c, int kind, int slot, unsigned name, int expect)
{
    c->pend[c->first + c->npend++] = (struct pending){kind, slot, name, expect};
}

/* Send 'sql' with 'values' in the pipeline, preparing it there first if it is new. */
static int pipe_send(struct rf_store *s, const char *sql, const char *const *values, int n,
                     int expect)
{
    struct pg_conn *c = s->conn;
    char name[16];
    int found, slot;

    if (c->npend + 2 > PENDING_MAX) /* a prepare and its statement */
        pipe_drain(s, 0);           /* so that neither side's buffers fill while the other waits */
    slot = slot_for(c, sql, &found);
    if (!found) {
        char *text = rewrite(sql);
        int sent;
        snprintf(name, sizeof(name), "rf%u", ++c->names);
        sent = PQsendPrepare(c->pg, name, text, 0, NULL);
        free(text);
        if (!sent) {
            pipe_fail(s, fail_res(s, NULL));
            return c->failed;
        }
        c->cache[slot].sql = sql;
        c->cache[slot].name = c->names;
        pipe_push(c, PEND_PREPARE, slot, c->names, 0);
    }
    snprintf(name, sizeof(name), "rf%u", c->cache[slot].name);
    if (!PQsendQueryPrepared(c->pg, name, n, values, NULL, NULL, 0)) {
        pipe_fail(s, fail_res(s, NULL));
        return c->failed;
    }
    pipe_push(c, PEND_WRITE, 0, 0, expect);
    return RF_OK;
}

/* Every answer read, the pipeline left: its first failure, or RF_OK. */
static int pipe_end(struct rf_store *s)
{
    struct pg_conn *c = s->conn;
    PGresult *res;
    int rc;

    if (PQpipelineSync(c->pg) != 1) {
        pipe_fail(s, fail_res(s, NULL));
        c->npend = c->first = 0;
    } else {
        while (c->npend > 0)
            pipe_read(s, NULL);
        res = PQgetResult(c->pg); /* the sync's own */
        if (PQresultStatus(res) != PGRES_PIPELINE_SYNC)
            pipe_fail(s, fail_res(s, res));
        PQclear(res);
    }
    if (!PQexitPipelineMode(c->pg))
        pipe_fail(s, fail_res(s, NULL));
    c->pipeline = 0;
    rc = c->failed;
    c->failed = RF_OK;
    return rc;
}

static int pg_defer_begin(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    if (!PQenterPipelineMode(c->pg))
        return fail_res(s, NULL);
    c->pipeline = 1;
    c->failed = RF_OK;
    c->first = c->npend = 0;
    return RF_OK;
}

static int pg_defer_end(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return c->pipeline ? pipe_end(s) : RF_OK;
}

static void pg_defer_push(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    if (c->failed == RF_OK && c->npend > 0 && PQflush(c->pg) != 0)
        pipe_fail(s, fail_res(s, NULL));
}

static int pg_defer_failed(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return c->pipeline && c->failed != RF_OK;
}

static int pg_lost(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return PQstatus(c->pg) != CONNECTION_OK;
}

/* ---- news: LISTEN/NOTIFY ---- */

#define NEWS_CHANNEL "reform_news" /* migration 0011's triggers send on it */

static int pg_listen(struct rf_store *s)
{
    struct pg_conn *c = s->conn;
    PGresult *res = PQexec(c->pg, "LISTEN " NEWS_CHANNEL);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? RF_OK : fail_res(s, res);

    PQclear(res);
    return rc;
}

static int pg_news_socket(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return PQsocket(c->pg);
}

static int pg_news(struct rf_store *s, rf_news_fn fn, void *ctx)
{
    struct pg_conn *c = s->conn;
    PGnotify *n;

    if (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK) {
        (void)fail_res(s, NULL); /* logged: the caller forgets what the news kept */
        return RF_ESTORE;
    }
    while ((n = PQnotifies(c->pg)) != NULL) {
        /* a notification holds one line or several (a statement's rows), each told alone */
        if (strcmp(n->relname, NEWS_CHANNEL) == 0)
            for (char *line = n->extra, *end; line; line = end ? end + 1 : NULL) {
                if ((end = strchr(line, '\n')) != NULL)
                    *end = '\0';
                fn(ctx, line);
            }
        PQfreemem(n);
    }
    return RF_OK;
}

static int pg_exec_script(struct rf_store *s, const char *sql)
{
    struct pg_conn *c = s->conn;
    PGresult *res = PQexec(c->pg, sql);
    int rc = RF_OK;

    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = fail_res(s, res);
    PQclear(res);
    return rc;
}

/* The parameters as libpq's text values; integers written into 'ints'. */
static void param_values(const struct rf_param *p, int n, const char *values[], char ints[][24])
{
    for (int i = 0; i < n; i++) {
        switch (p[i].type) {
        case RF_P_NULL:
            values[i] = NULL;
            break;
        case RF_P_INT:
            snprintf(ints[i], sizeof(ints[i]), "%lld", (long long)p[i].i);
            values[i] = ints[i];
            break;
        case RF_P_TEXT:
            values[i] = p[i].s;
            break;
        }
    }
}

/* A deferred write: sent, its answer read later (pipe_read). */
static int pg_send(struct rf_store *s, const char *sql, const struct rf_param *p, int n, int expect)
{
    struct pg_conn *c = s->conn;
    const char *values[MAX_PARAMS];
    char ints[MAX_PARAMS][24];

    if (n > MAX_PARAMS || !c->pipeline)
        return RF_ESTORE;
    if (c->failed != RF_OK)
        return c->failed; /* it would not run: the change stops here */
    param_values(p, n, values, ints);
    return pipe_send(s, sql, values, n, expect);
}

static struct rf_rows *rows_of(struct rf_store *s, PGresult *res)
{
    struct rf_rows *r = rf_xmalloc(sizeof(*r));

    r->store = s;
    r->res = res;
    r->row = -1;
    r->nrows = PQntuples(res);
    return r;
}

static int pg_query(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                    struct rf_rows **out)
{
    struct pg_conn *c = s->conn;
    const char *values[MAX_PARAMS];
    char ints[MAX_PARAMS][24];
    char name[16];
    PGresult *res = NULL;
    int rc;

    if (n > MAX_PARAMS) {
        rf_log_error("a statement of %d parameters, more than %d", n, MAX_PARAMS);
        return RF_ESTORE;
    }
    param_values(p, n, values, ints);
    if (c->pipeline) { /* a read among deferred writes: their answers first, then its own */
        if (c->failed == RF_OK && pipe_send(s, sql, values, n, 0) == RF_OK) {
            pipe_drain(s, 1);
            if (c->npend == 1)
                pipe_read(s, &res);
        }
        if (c->failed != RF_OK || !res) {
            PQclear(res);
            return c->failed != RF_OK ? c->failed : RF_ESTORE;
        }
        *out = rows_of(s, res);
        return RF_OK;
    }
    if (revive(s) != RF_OK)
        return RF_ESTORE;
    for (int attempt = 0;; attempt++) {
        rc = prepared(s, sql, name);
        if (rc == RF_OK) {
            res = PQexecPrepared(c->pg, name, n, values, NULL, NULL, 0);
            if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
                break;
            /* no result at all (NULL) when it could not be sent: on a connection known lost */
            rc = fail_res(s, res);
            PQclear(res);
        }
        /* a read outside a transaction, on a connection found lost, is asked again once; a
           write is not, for it may have been done before the answer was lost */
        if (attempt > 0 || !lost(s) || strncmp(sql, "SELECT ", 7) != 0 || revive(s) != RF_OK)
            return rc;
    }
    *out = rows_of(s, res);
    return RF_OK;
}

static int pg_step(struct rf_rows *r)
{
    if (r->row + 1 >= r->nrows)
        return 0;
    r->row++;
    return 1;
}

static const char *pg_col_text(struct rf_rows *r, int col)
{
    return PQgetvalue(r->res, r->row, col);
}

static int64_t pg_col_int(struct rf_rows *r, int col)
{
    const char *v = PQgetvalue(r->res, r->row, col);
    return v && *v ? strtoll(v, NULL, 10) : 0;
}

static int pg_col_null(struct rf_rows *r, int col)
{
    return PQgetisnull(r->res, r->row, col);
}

static void pg_done(struct rf_rows *r)
{
    if (!r)
        return;
    PQclear(r->res);
    free(r);
}

static int pg_tx_open(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return PQtransactionStatus(c->pg) != PQTRANS_IDLE;
}

static int pg_begin(struct rf_store *s)
{
    if (revive(s) != RF_OK)
        return RF_ESTORE;
    if (pg_exec_script(s, "BEGIN") == RF_OK)
        return RF_OK;
    /* nothing was begun: on a connection found lost, again */
    if (!lost(s) || revive(s) != RF_OK)
        return RF_ESTORE;
    return pg_exec_script(s, "BEGIN");
}

/*
 * Run a PostgreSQL client program with 'argv' (its own messages go to standard
 * error) and wait for it: 0 when it succeeded, else its exit status or -1.
 */
static int run_client(char *const argv[])
{
    pid_t pid;
    int status;

    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* pg_dump's custom format: one snapshot, compressed, restored by pg_restore. */
static int pg_backup(struct rf_store *s, const char *path, struct rf_error *err)
{
    struct pg_conn *c = s->conn;
    char *argv[] = {"pg_dump",    "--format=custom", "--no-owner", "--file",
                    (char *)path, "--dbname",        c->conninfo,  NULL};
    int status = run_client(argv);

    if (status != 0)
        return rf_error_set(err, RF_EIO, "path", "backup",
                            status < 0 ? "cannot run pg_dump to write %s"
                                       : "pg_dump could not write %s (see its message above)",
                            path);
    return RF_OK;
}

/* pg_restore in one transaction: a failure leaves the database as it was, empty. */
static int pg_restore(struct rf_store *s, const char *path, struct rf_error *err)
{
    struct pg_conn *c = s->conn;
    char *argv[] = {"pg_restore",      "--single-transaction",
                    "--exit-on-error", "--no-owner",
                    "--dbname",        c->conninfo,
                    (char *)path,      NULL};
    int status = run_client(argv);

    if (status != 0)
        return rf_error_set(err, RF_EIO, "path", "restore",
                            status < 0 ? "cannot run pg_restore to read %s"
                                       : "pg_restore could not restore %s (see its message above)",
                            path);
    return RF_OK;
}

/*
 * A warning during the flush is the server's word that its commit stopped
 * waiting for the standby (an administrator cancelled the wait, or
 * statement_timeout did): the commit is done here, perhaps not there.
 */
static void flush_notice(void *arg, const PGresult *res)
{
    struct pg_conn *c = arg;
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

    if (severity && strcmp(severity, "WARNING") == 0) {
        snprintf(c->flush_warning, sizeof(c->flush_warning), "%s", PQresultErrorMessage(res));
        c->flush_warning[strcspn(c->flush_warning, "\n")] = '\0';
    }
}

/*
 * The writer's batches commit without waiting for the log to reach the disk
 * (synchronous_commit off on this connection), and the flusher makes them
 * durable together: a transaction that commits synchronously on a second
 * connection waits until the log is flushed (and, with synchronous
 * replication, confirmed by the standby) up to its own commit record, which
 * lies after every batch committed before it, because the log is one
 * sequence. The same group commit as SQLite's, on the server's own log.
 */
static int pg_flush_later(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    if (c->flush)
        return RF_OK;
    c->flush = PQconnectdb(c->conninfo);
    if (PQstatus(c->flush) != CONNECTION_OK) {
        rf_log_error("postgresql: a connection to flush the log: %s", PQerrorMessage(c->flush));
        PQfinish(c->flush);
        c->flush = NULL;
        return RF_ESTORE;
    }
    if (pg_exec_script(s, "SET synchronous_commit = off") != RF_OK) {
        PQfinish(c->flush);
        c->flush = NULL;
        return RF_ESTORE;
    }
    PQsetNoticeReceiver(c->flush, flush_notice, c); /* kept by PQreset */
    return RF_OK;
}

/*
 * Called by the flusher while the writer goes on: it touches only the flush
 * connection. A commit waits for the disk and the standby only when its
 * transaction wrote to the log before its commit record; an id alone (as
 * txid_current() takes) does not, and such a commit is answered at once. A
 * transactional message in the log is the least such a write can be, and
 * needs neither a table nor a lock.
 */
static int pg_flush(struct rf_store *s)
{
    struct pg_conn *c = s->conn;
    PGresult *res;
    int rc = RF_OK;

    if (!c->flush)
        return RF_EINVAL; /* nothing is flushed apart */
    /* a connection lost before (the server restarted, an administrator ended it) comes back */
    if (PQstatus(c->flush) != CONNECTION_OK) {
        PQreset(c->flush);
        if (PQstatus(c->flush) == CONNECTION_OK)
            atomic_fetch_add(&c->reconnections, 1);
    }
    c->flush_warning[0] = '\0';
    res = PQexec(c->flush, "SELECT pg_logical_emit_message(true, 'reform', 'flush')");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rf_log_error("postgresql: the log's flush: %s", PQresultErrorMessage(res));
        rc = RF_ESTORE;
    } else if (c->flush_warning[0]) {
        rf_log_error("postgresql: the log's flush: %s", c->flush_warning);
        rc = RF_ESTORE;
    }
    PQclear(res);
    return rc;
}

static unsigned pg_reconnections(struct rf_store *s)
{
    struct pg_conn *c = s->conn;

    return atomic_load(&c->reconnections);
}

const struct rf_backend rf_backend_pg = {
    .name = "postgresql",
    .exec_script = pg_exec_script,
    .query = pg_query,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_null = pg_col_null,
    .done = pg_done,
    .begin = pg_begin,
    .tx_open = pg_tx_open,
    .close = pg_close,
    .backup = pg_backup,
    .restore = pg_restore,
    .count_tables = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    /* a session lock of the whole database (the key spells "reform"), gone with the session */
    .schema_lock = "SELECT pg_advisory_lock(125779054686829)",
    .schema_unlock = "SELECT pg_advisory_unlock(125779054686829)",
    .flush_later = pg_flush_later,
    .flush = pg_flush,
    .reconnections = pg_reconnections,
    .defer_begin = pg_defer_begin,
    .send = pg_send,
    .defer_end = pg_defer_end,
    .defer_failed = pg_defer_failed,
    .defer_push = pg_defer_push,
    .listen = pg_listen,
    .news_socket = pg_news_socket,
    .news = pg_news,
    .lost = pg_lost,
    .ids_ahead = "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)",
    .analyze = "ANALYZE",
    .row_locks = 1,
    .id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
};
