/*
 * Durable writes, committed together. With synchronous=FULL each SQLite
 * commit waits for the disk, so one commit per request caps writes at the
 * disk's flush rate. Here concurrent changes queue for one writer thread,
 * which runs every waiting change in one transaction, each inside its own
 * savepoint (a change that fails is undone alone), and commits them. The
 * commit does not wait for the disk: a second thread, the flusher, flushes
 * the log for every batch committed since its last flush at once and only
 * then answers their changes, while the writer goes on with the next batch.
 * Nobody hears "done" before their change is on disk. PostgreSQL goes the
 * same way: a batch there is one transaction, committed without waiting, and
 * the flusher's synchronous commit on its own connection waits for the
 * server's log (rf_store_flush_later). Each statement there is a round trip,
 * so changes marked deferrable (a receipt, new tasks) run in stretches whose
 * writes are sent without waiting for their answers (struct stretch below).
 * Where the writer cannot start, a change runs in a transaction of its own
 * on the caller's connection.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/mem.h"

#include <assert.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_MAX 256
#define COUNTS_MAX 1024 /* distinct counters in a batch: more are written at once */

/*
 * Counter deltas: those of the running change ('pending', from 'first') and
 * those of the batch's changes that succeeded (before 'first'), summed by key.
 * A batch of receipts at one desk adds to the same few counters: one upsert
 * each per batch instead of one per receipt.
 */
struct write_count {
    int64_t province_id, unit_id;
    char span[RF_DATE_LEN], field[32], level[16], metric[24];
    int64_t n;
};

struct rf_write_counts {
    struct write_count c[COUNTS_MAX];
    int n, first;
};

static int same_key(const struct write_count *c, const struct rf_dossier_count_key *k)
{
    return c->unit_id == k->unit_id && c->province_id == k->province_id &&
           strcmp(c->metric, k->metric) == 0 && strcmp(c->span, k->span) == 0 &&
           strcmp(c->field, k->field) == 0 && strcmp(c->level, k->level) == 0;
}

int rf_app_count_add(struct rf_app *app, struct rf_store *s, const struct rf_dossier_count_key *k,
                     int64_t delta)
{
    struct rf_write_counts *w = app->wcounts;
    struct write_count *c;

    if (!w || s != app->wstore || strlen(k->span) >= sizeof(c->span) ||
        strlen(k->field) >= sizeof(c->field) || strlen(k->level) >= sizeof(c->level) ||
        strlen(k->metric) >= sizeof(c->metric) || w->n == COUNTS_MAX)
        return rf_store_dossier_count_add(s, k, delta);
    for (int i = w->first; i < w->n; i++)
        if (same_key(&w->c[i], k)) {
            w->c[i].n += delta;
            return RF_OK;
        }
    c = &w->c[w->n++];
    c->province_id = k->province_id;
    c->unit_id = k->unit_id;
    snprintf(c->span, sizeof(c->span), "%s", k->span);
    snprintf(c->field, sizeof(c->field), "%s", k->field);
    snprintf(c->level, sizeof(c->level), "%s", k->level);
    snprintf(c->metric, sizeof(c->metric), "%s", k->metric);
    c->n = delta;
    return RF_OK;
}

/* The running change succeeded: its deltas join the batch's. */
static void counts_keep(struct rf_write_counts *w)
{
    int n = w->first;

    for (int i = w->first; i < w->n; i++) {
        struct rf_dossier_count_key k = {w->c[i].province_id, w->c[i].unit_id, w->c[i].span,
                                         w->c[i].field,       w->c[i].level,   w->c[i].metric};
        int j;
        for (j = 0; j < w->first && !same_key(&w->c[j], &k); j++)
            ;
        if (j < w->first)
            w->c[j].n += w->c[i].n;
        else
            w->c[n++] = w->c[i];
    }
    w->n = w->first = n;
}

/* The batch's deltas into the counters, before its commit. */
static int counts_write(struct rf_store *s, struct rf_write_counts *w)
{
    int rc = RF_OK;

    for (int i = 0; rc == RF_OK && i < w->n; i++) {
        struct rf_dossier_count_key k = {w->c[i].province_id, w->c[i].unit_id, w->c[i].span,
                                         w->c[i].field,       w->c[i].level,   w->c[i].metric};
        if (w->c[i].n)
            rc = rf_store_dossier_count_add(s, &k, w->c[i].n);
    }
    w->n = w->first = 0;
    return rc;
}

struct rf_write_job {
    rf_write_fn fn;
    void *ctx;
    struct rf_error *err;
    int rc;
    int deferrable; /* RF_WRITE_DEFERRABLE */
    sem_t done;     /* posted when the change is on disk or undone, unless 'ready' is called */
    void (*ready)(void *);
    void *ready_arg;
    unsigned reconnections; /* of the writer's store before its batch began (rf_store_flush) */
    struct rf_write_job *next;
};

/* The change is on disk or undone: its owner hears it (and may free it at once). */
static void job_done(struct rf_write_job *j)
{
    if (j->ready)
        j->ready(j->ready_arg);
    else
        sem_post(&j->done);
}

/*
 * Run jobs[from..to) one at a time inside the open transaction, each inside
 * its own savepoint (a change that fails is undone alone); 'rc' is the
 * transaction's state before them. RF_OK while the transaction stands.
 */
static int run_careful(struct rf_app *app, struct rf_write_job **jobs, int from, int to, int rc)
{
    int kept = 0; /* the last change's savepoint, released as the next one opens */

    for (int i = from; i < to; i++) {
        struct rf_write_job *j = jobs[i];
        if (rc != RF_OK) {
            j->rc = rf_app_store_error(rc, j->err);
            continue;
        }
        if ((kept ? rf_store_savepoint_renew(app->wstore, "change")
                  : rf_store_savepoint(app->wstore, "change")) != RF_OK) {
            /* a savepoint that cannot be released or made leaves the transaction in doubt */
            rc = RF_ESTORE;
            j->rc = rf_app_store_error(rc, j->err);
            continue;
        }
        kept = 0;
        j->rc = j->fn(app->wstore, j->ctx, j->err);
        if (j->rc != RF_OK) {
            rf_store_savepoint_undo(app->wstore, "change");
            app->wcounts->n = app->wcounts->first; /* its deltas go with it */
        } else {
            counts_keep(app->wcounts);
            kept = 1;
        }
    }
    if (rc == RF_OK && kept && rf_store_savepoint_release(app->wstore, "change") != RF_OK)
        rc = RF_ESTORE;
    return rc;
}

/*
 * Deferrable changes in a row make a stretch (PostgreSQL): inside savepoint
 * "stretch", their writes are sent without waiting for answers, so that a
 * receipt costs no round trip of its own; the answers are read when the
 * stretch ends. A deferred write that fails (a race the change's reads did
 * not see, a full disk) fails the stretch: it is undone and its changes run
 * again one at a time, each in a savepoint, as on SQLite.
 */
struct stretch {
    int on;
    int from; /* its first job in the batch */
};

static void counts_copy(struct rf_write_counts *to, const struct rf_write_counts *from)
{
    memcpy(to->c, from->c, (size_t)from->n * sizeof(from->c[0]));
    to->n = from->n;
    to->first = from->first;
}

static int stretch_open(struct rf_app *app, struct stretch *st, int at)
{
    int rc = rf_store_savepoint(app->wstore, "stretch");

    if (rc == RF_OK && (rc = rf_store_defer_begin(app->wstore)) != RF_OK)
        rf_store_savepoint_undo(app->wstore, "stretch");
    if (rc != RF_OK)
        return rc;
    counts_copy(app->wcounts_at, app->wcounts); /* the counters as they stood, to go back to */
    st->on = 1;
    st->from = at;
    return RF_OK;
}

/*
 * End the stretch of jobs[st->from..to), every answer read; RF_OK while the
 * transaction stands. 'last': the batch's commit comes next, and releases the
 * stretch's savepoint with the rest, a round trip fewer.
 */
static int stretch_close(struct rf_app *app, struct rf_write_job **jobs, struct stretch *st, int to,
                         int last)
{
    int rc = rf_store_defer_end(app->wstore);

    st->on = 0;
    if (rc == RF_OK && last) {
        rf_store_savepoint_leave(app->wstore);
        return RF_OK;
    }
    if (rc == RF_OK)
        return rf_store_savepoint_release(app->wstore, "stretch") == RF_OK ? RF_OK : RF_ESTORE;
    if (rf_store_lost(app->wstore))
        return rc; /* what was sent may have been done: nothing is run again */
    rf_log_info("deferred writes failed (%s): %d changes run again one at a time", rf_err_str(rc),
                to - st->from);
    rf_store_savepoint_undo(app->wstore, "stretch");
    counts_copy(app->wcounts, app->wcounts_at);
    for (int i = st->from; i < to; i++) {
        rf_error_init(jobs[i]->err);
        jobs[i]->rc = RF_OK;
    }
    return run_careful(app, jobs, st->from, to, RF_OK);
}

/*
 * Run jobs[from..to) inside the batch's transaction, opened by the first
 * ('begun': open already); RF_OK while it stands. Deferrable changes run in
 * a stretch, the others each in a savepoint.
 */
static int run_jobs(struct rf_app *app, struct rf_write_job **jobs, int from, int to, int begun,
                    struct stretch *st)
{
    int rc = begun ? RF_OK : rf_store_begin_changes(app->wstore, app->province.id);

    for (int i = from; i < to;) {
        struct rf_write_job *j = jobs[i];
        unsigned before;
        int k;

        if (rc == RF_OK && j->deferrable && app->wdefers) {
            if (st->on || stretch_open(app, st, i) == RF_OK) { /* else it runs on its own */
                before = rf_store_deferred(app->wstore);
                j->rc = j->fn(app->wstore, j->ctx, j->err);
                if (j->rc == RF_OK) {
                    counts_keep(app->wcounts);
                } else if (rf_store_deferred(app->wstore) == before &&
                           !rf_store_defer_failed(app->wstore)) {
                    app->wcounts->n = app->wcounts->first; /* it failed before writing */
                } else {
                    rc = stretch_close(app, jobs, st, i + 1, 0); /* it is run again */
                }
                i++;
                continue;
            }
        }
        /* the changes up to the next deferrable one, each in a savepoint */
        for (k = i + 1; k < to && !(jobs[k]->deferrable && app->wdefers); k++)
            ;
        if (rc == RF_OK && st->on)
            rc = stretch_close(app, jobs, st, i, 0);
        rc = run_careful(app, jobs, i, k, rc);
        i = k;
    }
    return rc;
}

/*
 * The batch's counters and commit; then its changes wait for the flusher,
 * or, where the log is flushed by the commit itself, are answered now.
 * 'reconnections' is the store's count before the batch began.
 */
static void commit_batch(struct rf_app *app, struct rf_write_job **batch, int n, int rc,
                         unsigned reconnections, struct stretch *st)
{
    int flushed_apart, ok = 0;

    /* the counters go with the stretch's last writes, or, where it fails, after its changes
       have run again */
    if (rc == RF_OK && st->on && (rc = counts_write(app->wstore, app->wcounts)) == RF_OK)
        rc = stretch_close(app, batch, st, n, 1);
    if (rc == RF_OK && (rc = counts_write(app->wstore, app->wcounts)) != RF_OK)
        rf_store_rollback(app->wstore);
    else if (rc == RF_OK)
        rc = rf_store_commit(app->wstore);
    else
        rf_store_rollback(app->wstore);
    st->on = 0;
    app->wcounts->n = app->wcounts->first = 0;
    if (rc != RF_OK) {
        rf_log_error("a batch of %d changes failed to commit%s", n,
                     rc == RF_EFULL ? ": the database's disk is full" : "");
        for (int i = 0; i < n; i++)
            if (batch[i]->rc == RF_OK)
                batch[i]->rc = rf_app_store_error(rc == RF_EFULL ? rc : RF_ESTORE, batch[i]->err);
    }
    /* the failed need no flush: answered now, the others kept at the front */
    for (int i = 0; i < n; i++) {
        batch[i]->reconnections = reconnections;
        if (batch[i]->rc == RF_OK)
            batch[ok++] = batch[i];
        else
            job_done(batch[i]);
    }
    pthread_mutex_lock(&app->wlock);
    flushed_apart = app->frunning;
    for (int i = 0; i < ok && flushed_apart; i++) {
        batch[i]->next = NULL;
        if (app->ftail)
            app->ftail->next = batch[i];
        else
            app->fqueue = batch[i];
        app->ftail = batch[i];
    }
    if (app->fqueue) {
        app->fbusy = 1;
        pthread_cond_signal(&app->fready);
    }
    pthread_mutex_unlock(&app->wlock);
    /* each waiter wakes alone, the others sleep on */
    for (int i = 0; i < ok && !flushed_apart; i++)
        job_done(batch[i]);
}

/*
 * The writer runs changes as they come, all into one open transaction, and
 * commits it when the flusher is free (or the batch is full): while one flush
 * waits for the disk, the next batch fills with everything that arrives
 * meanwhile, and a commit's fixed cost (the log's pages written) is shared by
 * as many changes as possible, however fast they come.
 */
static void *writer_main(void *arg)
{
    struct rf_app *app = arg;
    struct rf_write_job *batch[BATCH_MAX];
    struct stretch st = {0, 0};
    int n = 0, rc = RF_OK;
    unsigned reconnections = 0;

    pthread_setname_np(pthread_self(), "reform-writer"); /* as top and perf show it */
    rf_app_pool_exempt(); /* the threads that wait for a connection may be waiting on it */

    for (;;) {
        int m = 0, commit, pushed = 0;

        pthread_mutex_lock(&app->wlock);
        for (;;) {
            commit = n > 0 && (!app->fbusy || n == BATCH_MAX || app->wstop);
            if (commit || (app->wqueue && n < BATCH_MAX) || (app->wstop && n == 0))
                break;
            if (st.on && !pushed) {
                /* waiting for the flusher: the server runs the stretch's writes meanwhile, so
                   that the commit finds them done (a failure among them is found at its end) */
                pthread_mutex_unlock(&app->wlock);
                rf_store_defer_push(app->wstore);
                pushed = 1;
                pthread_mutex_lock(&app->wlock);
                continue;
            }
            pthread_cond_wait(&app->wready, &app->wlock);
        }
        if (!commit && !app->wqueue) { /* stopped, nothing left */
            pthread_mutex_unlock(&app->wlock);
            break;
        }
        while (!commit && app->wqueue && n + m < BATCH_MAX) {
            batch[n + m++] = app->wqueue;
            app->wqueue = app->wqueue->next;
        }
        if (!app->wqueue)
            app->wtail = NULL;
        pthread_mutex_unlock(&app->wlock);

        if (commit) {
            commit_batch(app, batch, n, rc, reconnections, &st);
            n = 0;
            rc = RF_OK;
            continue;
        }
        /* read as the batch begins, before its connection is made again if it must be: the
           flush vouches for the batch only if neither of the store's connections was since */
        if (n == 0)
            reconnections = rf_store_reconnections(app->wstore);
        rc = run_jobs(app, batch, n, n + m, n > 0 && rc == RF_OK, &st);
        n += m;
    }
    return NULL;
}

/* One flush of the log for the batch committed last, then its answers; then the writer may commit.
 */
static void *flusher_main(void *arg)
{
    struct rf_app *app = arg;

    pthread_setname_np(pthread_self(), "reform-flusher");
    for (;;) {
        struct rf_write_job *list, *next;
        int rc;

        pthread_mutex_lock(&app->wlock);
        while (!app->fqueue && !app->fstop)
            pthread_cond_wait(&app->fready, &app->wlock);
        list = app->fqueue;
        app->fqueue = app->ftail = NULL;
        pthread_mutex_unlock(&app->wlock);
        if (!list)
            break;
        /* the first job's batch is the oldest, and began with the lowest count */
        rc = rf_store_flush(app->wstore, list->reconnections);
        if (rc != RF_OK)
            rf_log_error("the log's flush failed: changes committed but not known to be on disk");
        for (; list; list = next) {
            next = list->next; /* once posted, the job is its owner's to free */
            if (rc != RF_OK)
                list->rc = rf_app_store_error(RF_ESTORE, list->err);
            job_done(list);
        }
        pthread_mutex_lock(&app->wlock);
        app->fbusy = 0;
        pthread_cond_signal(&app->wready); /* the writer may commit what it has run meanwhile */
        pthread_mutex_unlock(&app->wlock);
    }
    return NULL;
}

/* Called with wlock held. */
static void flusher_stop(struct rf_app *app)
{
    if (!app->frunning)
        return;
    app->fstop = 1;
    pthread_cond_signal(&app->fready);
    pthread_mutex_unlock(&app->wlock);
    pthread_join(app->fthread, NULL);
    pthread_mutex_lock(&app->wlock);
    app->frunning = 0;
}

/* Start the writer on first use (SQLite only); RF_OK when it runs. */
static int writer_start(struct rf_app *app)
{
    struct rf_error err;
    int rc = RF_OK;

    pthread_mutex_lock(&app->wlock);
    if (!app->wrunning) {
        rf_error_init(&err);
        rc = rf_store_open(app->db_url, &app->wstore, &err);
        if (rc == RF_OK)
            rf_store_set_audit_key(app->wstore, app->audit_key);
        if (rc == RF_OK && !app->wcounts) {
            app->wcounts = rf_xcalloc(1, sizeof(*app->wcounts));
            app->wcounts_at = rf_xcalloc(1, sizeof(*app->wcounts_at));
        }
        if (rc == RF_OK) { /* PostgreSQL: a receipt's writes need no answer on the way */
            app->wdefers = rf_store_can_defer(app->wstore);
            rf_store_ids_ahead(app->wstore);
        }
        /* where the log cannot be flushed apart, each batch's commit waits for the disk */
        app->fstop = 0;
        app->frunning = rc == RF_OK && rf_store_flush_later(app->wstore) == RF_OK &&
                        pthread_create(&app->fthread, NULL, flusher_main, app) == 0;
        if (rc == RF_OK && pthread_create(&app->wthread, NULL, writer_main, app) != 0) {
            flusher_stop(app);
            rf_store_close(&app->wstore);
            rc = RF_EIO;
        }
        app->wrunning = rc == RF_OK;
    }
    pthread_mutex_unlock(&app->wlock);
    return rc;
}

void rf_app_writer_stop(struct rf_app *app)
{
    if (!app->wrunning)
        return;
    pthread_mutex_lock(&app->wlock);
    app->wstop = 1;
    pthread_cond_signal(&app->wready);
    pthread_mutex_unlock(&app->wlock);
    pthread_join(app->wthread, NULL);
    pthread_mutex_lock(&app->wlock);
    flusher_stop(app); /* after the writer: it answers the writer's last batch */
    pthread_mutex_unlock(&app->wlock);
    rf_store_close(&app->wstore);
    free(app->wcounts);
    free(app->wcounts_at);
    app->wcounts = app->wcounts_at = NULL;
    app->wrunning = 0;
}

struct rf_write_job *rf_app_write_begin(struct rf_app *app, rf_write_fn fn, void *ctx,
                                        unsigned flags, struct rf_error *err, void (*ready)(void *),
                                        void *arg)
{
    /* the queue holds it until the writer marks it done; then it is ours to free */
    struct rf_write_job *job = rf_xcalloc(1, sizeof(*job));
    struct rf_store *s;

    assert(err != NULL); /* a change that fails says why */
    job->fn = fn;
    job->ctx = ctx;
    job->err = err;
    job->ready = ready;
    job->ready_arg = arg;
    job->deferrable = (flags & RF_WRITE_DEFERRABLE) != 0;
    sem_init(&job->done, 0, 0);
    if (writer_start(app) == RF_OK) {
        pthread_mutex_lock(&app->wlock);
        if (app->wtail)
            app->wtail->next = job;
        else
            app->wqueue = job;
        app->wtail = job;
        pthread_cond_signal(&app->wready);
        pthread_mutex_unlock(&app->wlock);
        return job;
    }
    /* no writer: here and now, in a transaction of its own */
    s = rf_app_store_get(app);
    if (!s)
        job->rc = rf_error_set(err, RF_ESTORE, NULL, "unavailable", "the database is unavailable");
    else if ((job->rc = rf_store_begin_changes(s, app->province.id)) != RF_OK)
        job->rc = rf_app_store_error(job->rc, err);
    else if ((job->rc = fn(s, ctx, err)) == RF_OK && (job->rc = rf_store_commit(s)) != RF_OK)
        job->rc = rf_app_store_error(job->rc, err);
    rf_app_store_put(app, s); /* rolls back what failed */
    job_done(job);
    return job;
}

int rf_app_write_end(struct rf_write_job *job)
{
    int rc;

    if (!job->ready)
        while (sem_wait(&job->done) != 0) /* EINTR */
            ;
    rc = job->rc;
    sem_destroy(&job->done);
    free(job);
    return rc;
}

int rf_app_write(struct rf_app *app, rf_write_fn fn, void *ctx, struct rf_error *err)
{
    return rf_app_write_end(rf_app_write_begin(app, fn, ctx, 0, err, NULL, NULL));
}

int rf_app_write_deferrable(struct rf_app *app, rf_write_fn fn, void *ctx, struct rf_error *err)
{
    return rf_app_write_end(rf_app_write_begin(app, fn, ctx, RF_WRITE_DEFERRABLE, err, NULL, NULL));
}
