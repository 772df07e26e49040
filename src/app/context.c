/*
 * The application context as the use cases read it: the clock, today in
 * the province, the province served and its root unit, the backend, and the
 * versions that tell a kept answer it is stale.
 */
#include "app_int.h"
#include "../core/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
    return app->backend;
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
