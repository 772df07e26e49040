/*
 * The application context: the configuration, the pool of store connections
 * the server's threads share, and the province served.
 */
#include "app.h"
#include "../common/log.h"
#include "../common/mem.h"
#include "../core/date.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "app_int.h"

/* The connections the calling thread holds: one that holds any takes another (a nested read)
   without waiting, so no thread waits on itself. */
static __thread int held;

/*
 * A process holding another audit key than the one the chain is written
 * with would make records that never verify: it does not start.
 */
static int key_matches(struct rf_app *app, struct rf_store *s, const char *dir,
                       struct rf_error *err)
{
    char stored[RF_AUDIT_KEY_ID_HEX], mine[RF_AUDIT_KEY_ID_HEX];
    int rc = rf_store_audit_key_id(s, app->province.id, stored);

    if (rc != RF_OK)
        return rf_error_set(err, rc, "db", "read", "cannot read the audit chain's head");
    rf_audit_key_id(app->audit_key, mine);
    if (stored[0] && strcmp(stored, mine) != 0)
        return rf_error_set(err, RF_ECONFLICT, "keys", "wrong_key",
                            "the audit key in %s/audit.key (id %s) is not the key this database's "
                            "audit chain is written with (id %s): restore that key",
                            dir, mine, stored);
    return RF_OK;
}

int rf_app_open(const struct rf_app_config *cfg, int allow_empty, struct rf_app **out,
                struct rf_error *err)
{
    struct rf_app *app;
    struct rf_store *s = NULL;
    int rc, created = 0;

    if (sodium_init() < 0)
        return rf_error_set(err, RF_EIO, NULL, "crypto", "cannot initialise libsodium");
    app = rf_xcalloc(1, sizeof(*app));
    app->db_url = rf_xstrdup(cfg->db_url);
    app->token_days = RF_TOKEN_DEFAULT_DAYS;
    /* kept open as they are used, so none is opened and closed per request; four per core
       at most, as many as the server has threads, each keeping its own page cache of the
       B-trees' upper pages */
    if (cfg->pool_size > 0) {
        app->pool_max = cfg->pool_size;
    } else {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        app->pool_max = cores > 1 ? 4 * (int)cores : 4;
    }
    app->pool = rf_xcalloc((size_t)app->pool_max, sizeof(*app->pool));
    pthread_mutex_init(&app->lock, NULL);
    pthread_mutex_init(&app->wlock, NULL);
    pthread_mutex_init(&app->wt_lock, NULL);
    pthread_cond_init(&app->wready, NULL);
    pthread_cond_init(&app->fready, NULL);
    pthread_cond_init(&app->pool_ready, NULL);

    rc = rf_app_audit_key_load(cfg->keys_dir ? cfg->keys_dir : RF_DEFAULT_KEYS, app->audit_key, 1,
                               &created, err);
    if (rc != RF_OK)
        goto fail;
    if (created)
        rf_log_info("made a new audit key in %s/audit.key: keep a copy apart from the database",
                    cfg->keys_dir ? cfg->keys_dir : RF_DEFAULT_KEYS);
    rc = rf_store_open(app->db_url, &s, err);
    if (rc != RF_OK)
        goto fail;
    rf_store_set_audit_key(s, app->audit_key);
    app->open = 1; /* as lent by rf_app_store_get(): it goes to the pool below */
    held++;
    rc = rf_store_migrate(s, NULL, err);
    if (rc != RF_OK)
        goto fail;
    rc = rf_app_reload_province(app, s, cfg->province_code);
    if (rc == RF_ENOTFOUND && allow_empty) {
        rc = RF_OK;
    } else if (rc == RF_ENOTFOUND) {
        rc = rf_error_set(err, RF_ENOTFOUND, "db", "empty",
                          cfg->province_code ? "the database holds no province '%s'"
                                             : "the database holds no province%s: load the demo "
                                               "(--demo) or import units first",
                          cfg->province_code ? cfg->province_code : "");
    } else if (rc != RF_OK) {
        rf_error_set(err, rc, "db", "read", "cannot read the province");
    }
    if (rc == RF_OK && app->has_province)
        rc = key_matches(app, s, cfg->keys_dir ? cfg->keys_dir : RF_DEFAULT_KEYS, err);
    if (rc != RF_OK)
        goto fail;
    rf_app_store_put(app, s);
    *out = app;
    return RF_OK;
fail:
    if (s)
        held--;
    rf_store_close(&s);
    rf_app_close(&app);
    return rc;
}

int rf_app_reload_province(struct rf_app *app, struct rf_store *s, const char *code)
{
    struct rf_unit root;
    char today[RF_DATE_LEN];
    int rc;

    rc = rf_store_province_get(s, code, &app->province);
    if (rc != RF_OK)
        return rc;
    rf_app_today(app, today);
    rc = rf_store_unit_get_by_code(s, app->province.id, app->province.code, today, &root);
    if (rc != RF_OK)
        return rc;
    app->root_unit_id = root.id;
    app->has_province = 1;
    return RF_OK;
}

void rf_app_close(struct rf_app **appp)
{
    struct rf_app *app;

    if (!appp || !*appp)
        return;
    app = *appp;
    rf_app_writer_stop(app);
    rf_app_worktime_drop(app);
    for (int i = 0; i < app->pool_len; i++)
        rf_store_close(&app->pool[i]);
    free(app->pool);
    free(app->db_url);
    pthread_mutex_destroy(&app->lock);
    pthread_mutex_destroy(&app->wlock);
    pthread_mutex_destroy(&app->wt_lock);
    pthread_cond_destroy(&app->wready);
    pthread_cond_destroy(&app->fready);
    pthread_cond_destroy(&app->pool_ready);
    free(app);
    *appp = NULL;
}

int64_t rf_app_now(const struct rf_app *app)
{
    (void)app;
    return (int64_t)time(NULL);
}

void rf_app_today(const struct rf_app *app, char out[RF_DATE_LEN])
{
    rf_date_format(rf_date_of_instant(rf_app_now(app), RF_PROVINCE_UTC_OFFSET), out);
}

const struct rf_province *rf_app_province(const struct rf_app *app)
{
    return app->has_province ? &app->province : NULL;
}

int64_t rf_app_root_unit(const struct rf_app *app)
{
    return app->root_unit_id;
}

const char *rf_app_backend(const struct rf_app *app)
{
    return strncmp(app->db_url, "sqlite:", 7) == 0 ? "sqlite" : "postgresql";
}

int rf_app_data_version(struct rf_app *app, int64_t *out)
{
    struct rf_store *s = rf_app_store_get(app);
    char hash[RF_AUDIT_HASH_HEX];
    int rc;

    if (!s)
        return RF_ESTORE;
    rc = rf_store_audit_head(s, app->province.id, out, hash);
    rf_app_store_put(app, s);
    return rc;
}

int rf_app_units_version(struct rf_app *app, int64_t *out)
{
    struct rf_store *s = rf_app_store_get(app);
    int rc;

    if (!s)
        return RF_ESTORE;
    rc = rf_store_units_version(s, app->province.id, out);
    rf_app_store_put(app, s);
    return rc;
}

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

void rf_app_system_actor(const struct rf_app *app, struct rf_actor *out)
{
    memset(out, 0, sizeof(*out));
    out->province_id = app->province.id;
    out->unit_id = app->root_unit_id;
    out->scope_unit_id = app->root_unit_id;
    out->roles = RF_ROLE_ALL;
    snprintf(out->username, sizeof(out->username), "system");
}

void rf_app_set_token_days(struct rf_app *app, int days)
{
    if (days >= 1 && days <= RF_TOKEN_MAX_DAYS)
        app->token_days = days;
}

int rf_app_health(struct rf_app *app, int *schema)
{
    struct rf_store *s = rf_app_store_get(app);
    int rc = s ? rf_store_schema_version(s, schema) : RF_ESTORE;

    rf_app_store_put(app, s);
    if (rc != RF_OK) {
        *schema = 0;
        return RF_ESTORE;
    }
    return RF_OK;
}
