/*
 * News of what any process changed, for the copies this process keeps in
 * memory: the sessions of signed-in callers (auth.c) and the dossiers of
 * the citizens' lookups (dossier_reads.c). On PostgreSQL the database's
 * triggers announce each changed row as its transaction commits
 * (rf_store_listen); a thread of ours reads the news as it comes, and every
 * request that would answer from a copy first reads what has come since, so
 * that a change committed before the request's news was read is never
 * answered from a copy made before it.
 *
 * A copy may answer only while the listener stands: while there is none (a
 * connection lost, SQLite, which one process serves and reads for nothing),
 * every copy is forgotten and requests read the database.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/mem.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NEWS_WAIT_MS 200  /* the thread's wait for news, and for being stopped */
#define NEWS_RETRY_SECS 1 /* between attempts at a lost listener */

struct rf_app_news {
    pthread_mutex_t lock; /* held while news is read and given out */
    struct rf_store *s;   /* the listener; NULL while there is none */
    time_t retry_at;      /* when to try for a listener again */
    int none;             /* the backend has no news (SQLite): never tried again */
    pthread_t thread;
    int running, stop;
};

/* Every copy forgotten: nothing kept may answer for what the news may have said. */
static void forget_all(struct rf_app *app)
{
    rf_app_sessions_forget(app, RF_FORGET_ALL, 0);
    rf_app_lookups_forget(app, RF_FORGET_ALL, NULL);
    rf_app_documents_forget(app);
}

/* One line of news to the copies it concerns. */
static void news_line(void *ctx, const char *line)
{
    struct rf_app *app = ctx;
    const char *arg = strchr(line, ' ');
    int64_t id = arg ? strtoll(arg + 1, NULL, 10) : 0;

    if (!arg) {
        forget_all(app);
    } else if (strncmp(line, "session ", 8) == 0) {
        rf_app_sessions_forget(app, RF_FORGET_SESSION, id);
    } else if (strncmp(line, "user ", 5) == 0) {
        rf_app_sessions_forget(app, RF_FORGET_USER, id);
    } else if (strncmp(line, "province ", 9) == 0) {
        forget_all(app); /* its counters moved: the sessions carry them, a lookup names a unit */
    } else if (strncmp(line, "dossier ", 8) == 0) {
        rf_app_lookups_forget(app, RF_FORGET_DOSSIER, arg + 1);
    } else if (strncmp(line, "attempt ", 8) == 0) {
        const char *key = strchr(arg + 1, ' ');
        rf_app_lookups_forget(app, RF_FORGET_ATTEMPT, key ? key + 1 : "");
    } else { /* news of a kind this build does not know */
        forget_all(app);
    }
}

/* The listener lost (or never made): every copy goes, as news may have been missed. */
static void news_lost(struct rf_app *app, struct rf_app_news *n)
{
    if (n->s)
        rf_log_error("the news of other processes' changes stopped: copies kept in memory are"
                     " forgotten, and requests read the database until it is back");
    rf_store_close(&n->s);
    forget_all(app);
    n->retry_at = time(NULL) + NEWS_RETRY_SECS;
}

/* Read the news come so far, making the listener first where it is missing; under n->lock. */
static void news_read(struct rf_app *app, struct rf_app_news *n)
{
    if (!n->s && !n->none && time(NULL) >= n->retry_at) {
        struct rf_error err;
        int rc;

        rf_error_init(&err);
        rc = rf_store_open(app->db_url, &n->s, &err);
        if (rc == RF_OK && (rc = rf_store_listen(n->s)) == RF_EINVAL)
            n->none = 1;
        if (rc != RF_OK) {
            rf_store_close(&n->s);
            n->retry_at = time(NULL) + NEWS_RETRY_SECS;
            return;
        }
        forget_all(app); /* listening from now on: what was kept before may have missed news */
    }
    if (n->s && rf_store_news(n->s, news_line, app) != RF_OK)
        news_lost(app, n);
}

static void *news_main(void *arg)
{
    struct rf_app *app = arg;
    struct rf_app_news *n = app->news;

    for (;;) {
        struct pollfd p = {-1, POLLIN, 0};

        pthread_mutex_lock(&n->lock);
        if (n->stop || n->none) {
            pthread_mutex_unlock(&n->lock);
            break;
        }
        news_read(app, n);
        p.fd = n->s ? rf_store_news_socket(n->s) : -1;
        pthread_mutex_unlock(&n->lock);
        (void)poll(&p, p.fd >= 0 ? 1 : 0, NEWS_WAIT_MS);
    }
    return NULL;
}

void rf_app_news_start(struct rf_app *app)
{
    app->news = rf_xcalloc(1, sizeof(*app->news));
    pthread_mutex_init(&app->news->lock, NULL);
    /* SQLite: one process serves the file, and its reads cost no round trip */
    app->news->none = strcmp(app->backend, "postgresql") != 0;
    rf_app_sessions_init(app);
    rf_app_lookups_init(app);
}

int rf_app_news_check(struct rf_app *app)
{
    struct rf_app_news *n = app->news;
    int live;

    if (!n)
        return 0;
    pthread_mutex_lock(&n->lock);
    if (!n->running && !n->none && !n->stop) {
        n->running = pthread_create(&n->thread, NULL, news_main, app) == 0;
        if (!n->running)
            n->none = 1;
    }
    news_read(app, n);
    live = n->s != NULL;
    pthread_mutex_unlock(&n->lock);
    return live;
}

void rf_app_news_stop(struct rf_app *app)
{
    struct rf_app_news *n = app->news;

    if (!n)
        return;
    pthread_mutex_lock(&n->lock);
    n->stop = 1;
    pthread_mutex_unlock(&n->lock);
    if (n->running)
        pthread_join(n->thread, NULL);
    rf_store_close(&n->s);
    pthread_mutex_destroy(&n->lock);
    free(n);
    app->news = NULL;
}
