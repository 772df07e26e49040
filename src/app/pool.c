/*
 * The pool of store connections the server's threads share: kept open as
 * they are used, at most pool_max lent at once, except that a thread that
 * holds one may take another for a nested read without waiting, so no
 * thread waits on itself, and the writer never waits.
 */
#include "app_int.h"
#include "../common/log.h"

#include <pthread.h>
#include <stdlib.h>

/* The connections the calling thread holds: one that holds any takes another (a nested read)
   without waiting, so no thread waits on itself. */
static __thread int held;

void rf_app_pool_exempt(void)
{
    held = 1;
}

struct rf_store *rf_app_store_get(struct rf_app *app)
{
    struct rf_store *s = NULL;
    struct rf_error err;

    pthread_mutex_lock(&app->lock);
    while (app->pool_len == 0 && app->open >= app->pool_max && held == 0)
        pthread_cond_wait(&app->pool_ready, &app->lock);
    if (app->pool_len > 0)
        s = app->pool[--app->pool_len];
    else
        app->open++;
    pthread_mutex_unlock(&app->lock);
    if (!s) {
        rf_error_init(&err);
        if (rf_store_open(app->db_url, &s, &err) != RF_OK) {
            rf_log_error("cannot open a database connection: %s", err.item[0].message);
            pthread_mutex_lock(&app->lock);
            app->open--;
            pthread_cond_signal(&app->pool_ready);
            pthread_mutex_unlock(&app->lock);
            return NULL;
        }
        rf_store_set_audit_key(s, app->audit_key);
    }
    held++;
    return s;
}

void rf_app_store_put(struct rf_app *app, struct rf_store *s)
{
    if (!s)
        return;
    held--;
    rf_store_rollback(s);
    pthread_mutex_lock(&app->lock);
    if (app->pool_len < app->pool_max) {
        app->pool[app->pool_len++] = s;
        s = NULL;
    } else {
        app->open--; /* one opened beyond the bound by a nested read */
    }
    pthread_cond_signal(&app->pool_ready);
    pthread_mutex_unlock(&app->lock);
    rf_store_close(&s);
}

void rf_app_pool_lend(struct rf_app *app)
{
    pthread_mutex_lock(&app->lock);
    app->open++;
    pthread_mutex_unlock(&app->lock);
    held++;
}

void rf_app_pool_unlend(struct rf_app *app)
{
    pthread_mutex_lock(&app->lock);
    app->open--;
    pthread_mutex_unlock(&app->lock);
    held--;
}

void rf_app_pool_close(struct rf_app *app)
{
    for (int i = 0; i < app->pool_len; i++)
        rf_store_close(&app->pool[i]);
    app->pool_len = 0;
    free(app->pool);
    app->pool = NULL;
}

int rf_app_store_take(struct rf_app *app, struct rf_store **s, struct rf_error *err)
{
    *s = rf_app_store_get(app);
    return *s ? RF_OK
              : rf_error_set(err, RF_ESTORE, NULL, "unavailable", "the database is unavailable");
}
