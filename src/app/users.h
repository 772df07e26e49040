/*
 * Official accounts, each of one unit, with their roles (users.c).
 */
#ifndef RF_APP_USERS_H
#define RF_APP_USERS_H

#include "app.h"

struct rf_user_input {
    const char *username;
    const char *full_name;
    int64_t unit_id;
    const char *unit_code; /* instead of unit_id (CLI, imports) */
    const char *roles;     /* "admin|leader" */
    const char *password;
    int disabled;     /* -1 absent */
    int demo_account; /* the demo's published sign-ins: the password policy does not apply */
};

struct rf_user_list_query {
    int64_t unit_id;
    const char *text;
    int64_t after_id;
    int limit;
};

/* A user as JSON, never the password's hash. */
void rf_app_user_json(const struct rf_user *u, struct rf_buf *out);
/*
 * The users of units in the actor's scope matching 'q', by id after
 * 'after_id', each through 'fn'. RF_EFORBIDDEN without a role that manages
 * users, RF_ENOTFOUND for a unit outside the scope.
 */
int rf_app_users_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_user_list_query *q, rf_user_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;
/* User 'id' into 'out'; RF_ENOTFOUND when absent or of a unit outside the scope. */
int rf_app_user_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                    struct rf_user *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * Create a user from 'in' (user name, name, unit, roles, password checked
 * for strength); 'out' gets it as written. RF_EINVAL with every fault,
 * RF_ECONFLICT for a user name taken, RF_ENOTFOUND for a unit outside the
 * scope, RF_EFORBIDDEN for roles the actor may not give.
 */
int rf_app_user_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_user_input *in, struct rf_user *out,
                       struct rf_error *err) RF_MUST_CHECK;
/*
 * Change user 'id' from 'in' (NULL members unchanged; disabling ends the
 * user's sessions); 'out' gets it as written. Errors as rf_app_user_create's.
 */
int rf_app_user_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_user_input *in, struct rf_user *out,
                       struct rf_error *err) RF_MUST_CHECK;

#endif
