/*
 * The application layer: use cases over the store, each deciding who may do
 * it (roles and unit scope, in access.c), validating input, and writing the
 * change and its audit record in one transaction. HTTP and CLI call only
 * these functions.
 *
 * The error contract: a use case returns RF_OK or a negative enum rf_err,
 * and 'err' is required (never NULL; asserted in debug builds): it holds the
 * details of every failure, the field at fault and the rule broken, and
 * validation collects every problem of the input in it before answering
 * RF_EINVAL. RF_ENOTFOUND means absent or outside the actor's scope alike;
 * RF_EFORBIDDEN a role that does not allow the action; RF_ECONFLICT a stale
 * version or a state that does not allow it; RF_ESTORE a database failure.
 */
#ifndef RF_APP_H
#define RF_APP_H

#include <stdint.h>

#include "../common/buf.h"
#include "../common/err.h"
#include "../common/page.h"
#include "../core/access.h"
#include "../store/store.h"

struct rf_app;

#define RF_DEFAULT_KEYS "var/keys"

struct rf_app_config {
    const char *db_url;        /* "sqlite:PATH" or "postgresql://..." */
    int pool_size;             /* connections kept open; one per server thread */
    const char *province_code; /* the province served; NULL: the database's first */
    const char *keys_dir;      /* the secrets kept outside the database; NULL: RF_DEFAULT_KEYS */
};

/* Who is acting: a signed-in user, or the system (CLI commands run by the operator). */
struct rf_actor {
    int64_t user_id; /* 0 for the system */
    int64_t province_id;
    int64_t unit_id;
    int64_t scope_unit_id; /* root of what they may see: their unit or the province */
    int64_t session_id;
    unsigned roles;
    int via_cookie; /* needs the CSRF token on changes */
    char username[65];
    char csrf[65];
    /* the province's counters as the request's session was read (known 0: not read): what the
       process keeps in memory is current for the request while they stand */
    struct rf_versions versions;
};

/*
 * Open the database, migrate it if it is empty or behind, and find the
 * province (cfg->province_code, or the first). With 'allow_empty', a
 * database without that province opens too, for the imports and the demo
 * loader to make it (beside any other province it holds). Returns RF_OK and
 * '*out'.
 */
int rf_app_open(const struct rf_app_config *cfg, int allow_empty, struct rf_app **out,
                struct rf_error *err) RF_MUST_CHECK;
void rf_app_close(struct rf_app **app);

/* Seconds since the epoch; the only clock the application reads. */
int64_t rf_app_now(const struct rf_app *app);
/* Today's date in the province's zone as "YYYY-MM-DD". */
void rf_app_today(const struct rf_app *app, char out[RF_DATE_LEN]);
/* The province served, or NULL when the database has none yet. */
const struct rf_province *rf_app_province(const struct rf_app *app);
int64_t rf_app_root_unit(const struct rf_app *app);
const char *rf_app_backend(const struct rf_app *app);

/*
 * The province's data version: the sequence number of its latest audit
 * record. Every change is audited in its own transaction, so the version
 * moves with every change of any kind, in this process or another.
 */
int rf_app_data_version(struct rf_app *app, int64_t *out) RF_MUST_CHECK;
/* The province's units_version: it changes with every change to the tree. */
int rf_app_units_version(struct rf_app *app, int64_t *out) RF_MUST_CHECK;
/*
 * Whether the database answers, for health checks: RF_OK with its schema
 * version in '*schema', else RF_ESTORE with '*schema' 0. No actor, no audit.
 */
int rf_app_health(struct rf_app *app, int *schema) RF_MUST_CHECK;
/*
 * Whether the database answers, for health checks: RF_OK with its schema
 * version in '*schema', else RF_ESTORE with '*schema' 0. No actor, no audit.
 */
int rf_app_health(struct rf_app *app, int *schema) RF_MUST_CHECK;

/* The system actor, for CLI commands: province-wide, every role. */
void rf_app_system_actor(const struct rf_app *app, struct rf_actor *out);

/* ---- access.c ---- */

/* RF_OK when 'actor' has a role allowing 'action', else RF_EFORBIDDEN. */
int rf_app_allow(const struct rf_actor *actor, enum rf_action action,
                 struct rf_error *err) RF_MUST_CHECK;

/*
 * Each module's use cases are declared in its own header, beside its files;
 * all are included here, so that a caller needs this one.
 */
#include "audit.h"
#include "auth.h"
#include "calendar.h"
#include "demo.h"
#include "dossiers.h"
#include "tasks.h"
#include "units.h"
#include "users.h"

#endif
