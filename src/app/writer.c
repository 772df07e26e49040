/*
 * Durable writes, committed together. With synchronous=FULL each SQLite
 * commit waits for the disk, so one commit per request caps writes at the
 * disk's flush rate. Here concurrent changes queue for one writer thread,
 * which runs every waiting change in one transaction, each inside its own
 * savepoint (a change that fails is undone alone), and commits them with a
 * single flush before it answers any of them: nobody hears "done" before
 * their change is on disk. PostgreSQL runs each change in its own
 * transaction on the caller's connection: the server does its own group
 * commit.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/mem.h"

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
    sem_t done; /* posted by the writer when the change is on disk or undone */
    struct rf_write_job *next;
};

static void *writer_main(void *arg)
{
    struct rf_app *app = arg;
    struct rf_write_job *batch[BATCH_MAX];

    pthread_setname_np(pthread_self(), "reform-writer"); /* as top and perf show it */
    rf_app_pool_exempt(); /* the threads that wait for a connection may be waiting on it */

    for (;;) {
        int n = 0, rc;

        pthread_mutex_lock(&app->wlock);
        while (!app->wqueue && !app->wstop)
            pthread_cond_wait(&app->wready, &app->wlock);
        if (!app->wqueue && app->wstop) {
            pthread_mutex_unlock(&app->wlock);
            break;
        }
        while (app->wqueue && n < BATCH_MAX) {
            batch[n++] = app->wqueue;
            app->wqueue = app->wqueue->next;
        }
        if (!app->wqueue)
            app->wtail = NULL;
        pthread_mutex_unlock(&app->wlock);

        rc = rf_store_begin(app->wstore);
        for (int i = 0; i < n; i++) {
            struct rf_write_job *j = batch[i];
            if (rc != RF_OK) {
                j->rc = rf_app_store_error(rc, j->err);
                continue;
            }
            if (rf_store_savepoint(app->wstore, "change") != RF_OK) {
                j->rc = rf_app_store_error(RF_ESTORE, j->err);
                continue;
            }
            j->rc = j->fn(app->wstore, j->ctx, j->err);
            if (j->rc == RF_OK && rf_store_savepoint_release(app->wstore, "change") != RF_OK)
                j->rc = rf_app_store_error(RF_ESTORE, j->err);
            if (j->rc != RF_OK) {
                rf_store_savepoint_undo(app->wstore, "change");
                app->wcounts->n = app->wcounts->first; /* its deltas go with it */
            } else {
                counts_keep(app->wcounts);
            }
        }
        if (rc == RF_OK && (rc = counts_write(app->wstore, app->wcounts)) != RF_OK)
            rf_store_rollback(app->wstore);
        else if (rc == RF_OK)
            rc = rf_store_commit(app->wstore);
        app->wcounts->n = app->wcounts->first = 0;
        if (rc != RF_OK) {
            rf_log_error("a batch of %d changes failed to commit", n);
            for (int i = 0; i < n; i++)
                if (batch[i]->rc == RF_OK)
                    batch[i]->rc = rf_app_store_error(RF_ESTORE, batch[i]->err);
        }
        /* each waiter wakes alone: the threads whose changes are not in this batch sleep on */
        for (int i = 0; i < n; i++)
            sem_post(&batch[i]->done);
    }
    return NULL;
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
        if (rc == RF_OK && !app->wcounts)
            app->wcounts = rf_xcalloc(1, sizeof(*app->wcounts));
        if (rc == RF_OK && pthread_create(&app->wthread, NULL, writer_main, app) != 0) {
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
    rf_store_close(&app->wstore);
    free(app->wcounts);
    app->wcounts = NULL;
    app->wrunning = 0;
}

int rf_app_write(struct rf_app *app, rf_write_fn fn, void *ctx, struct rf_error *err)
{
    struct rf_write_job *job;
    struct rf_store *s;
    int rc;

    if (strncmp(app->db_url, "sqlite:", 7) == 0 && writer_start(app) == RF_OK) {
        /* the queue holds it until the writer marks it done; then it is ours to free */
        job = rf_xcalloc(1, sizeof(*job));
        job->fn = fn;
        job->ctx = ctx;
        job->err = err;
        sem_init(&job->done, 0, 0);
        pthread_mutex_lock(&app->wlock);
        if (app->wtail)
            app->wtail->next = job;
        else
            app->wqueue = job;
        app->wtail = job;
        pthread_cond_signal(&app->wready);
        pthread_mutex_unlock(&app->wlock);
        while (sem_wait(&job->done) != 0) /* EINTR */
            ;
        rc = job->rc;
        sem_destroy(&job->done);
        free(job);
        return rc;
    }
    RF_APP_STORE(app, s, err);
    rc = rf_store_begin(s);
    if (rc != RF_OK)
        rc = rf_app_store_error(rc, err);
    else if ((rc = fn(s, ctx, err)) == RF_OK && (rc = rf_store_commit(s)) != RF_OK)
        rc = rf_app_store_error(rc, err);
    rf_app_store_put(app, s); /* rolls back what failed */
    return rc;
}
