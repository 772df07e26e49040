/*
 * The application's life: opening it (the keys, the first connection, the
 * migrations, the province served) and closing it, each part in turn (the
 * writer, the working-time tables, the caches, the connections). The pool is
 * pool.c's, the context's accessors context.c's.
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
    snprintf(app->asked, sizeof(app->asked), "%s", cfg->province_code ? cfg->province_code : "");
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
    pthread_mutex_init(&app->kept_lock, NULL);
    pthread_mutex_init(&app->desks_lock, NULL);
    pthread_mutex_init(&app->docs_lock, NULL);
    pthread_cond_init(&app->wready, NULL);
    pthread_cond_init(&app->fready, NULL);
    pthread_cond_init(&app->pool_ready, NULL);

    rc = rf_store_open(app->db_url, &s, err);
    if (rc != RF_OK)
        goto fail;
    rf_app_pool_lend(app); /* as if lent by rf_app_store_get(): it goes to the pool below */
    /* after the database answered: a mistyped URL makes no key */
    rc = rf_app_audit_key_load(cfg->keys_dir ? cfg->keys_dir : RF_DEFAULT_KEYS, app->audit_key, 1,
                               &created, err);
    if (rc != RF_OK)
        goto fail;
    if (created)
        rf_log_info("made a new audit key in %s/audit.key: keep a copy apart from the database",
                    cfg->keys_dir ? cfg->keys_dir : RF_DEFAULT_KEYS);
    app->backend = rf_store_backend(s); /* asked of the store, never guessed from the URL */
    rf_store_set_audit_key(s, app->audit_key);
    rc = rf_store_migrate(s, NULL, err);
    if (rc != RF_OK)
        goto fail;
    rc = rf_app_reload_province(app, s, cfg->province_code);
    if (rc == RF_ENOTFOUND && allow_empty) {
        rc = RF_OK;
    } else if (rc == RF_ENOTFOUND) {
        rc = cfg->province_code
                 ? rf_error_set(err, RF_ENOTFOUND, "db", "empty",
                                "the database holds no province %s: import its units with "
                                "--province %s, or load the demo under it (serve --demo "
                                "--province %s)",
                                cfg->province_code, cfg->province_code, cfg->province_code)
                 : rf_error_set(err, RF_ENOTFOUND, "db", "empty",
                                "the database holds no province: load the demo (--demo) or "
                                "import units first");
    } else if (rc != RF_OK) {
        rf_error_set(err, rc, "db", "read", "cannot read the province");
    }
    if (rc == RF_OK && app->has_province)
        rc = key_matches(app, s, cfg->keys_dir ? cfg->keys_dir : RF_DEFAULT_KEYS, err);
    if (rc != RF_OK)
        goto fail;
    rf_app_store_put(app, s);
    rf_app_news_start(app);
    *out = app;
    return RF_OK;
fail:
    if (s)
        rf_app_pool_unlend(app);
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
    rf_app_news_stop(app);
    rf_app_sessions_free(app);
    rf_app_lookups_free(app);
    rf_app_worktime_drop(app);
    rf_app_procedures_forget(app);
    rf_app_pool_close(app);
    free(app->db_url);
    pthread_mutex_destroy(&app->lock);
    pthread_mutex_destroy(&app->wlock);
    pthread_mutex_destroy(&app->wt_lock);
    pthread_mutex_destroy(&app->kept_lock);
    pthread_mutex_destroy(&app->desks_lock);
    pthread_mutex_destroy(&app->docs_lock);
    pthread_cond_destroy(&app->wready);
    pthread_cond_destroy(&app->fready);
    pthread_cond_destroy(&app->pool_ready);
    free(app);
    *appp = NULL;
}
