/*
 * Who may do what, decided here and nowhere else: the role matrix of
 * core/access.c, and the unit scope. A user acts inside their own unit's
 * subtree (admins, the secretariat and inspectors province-wide); anything
 * outside it answers RF_ENOTFOUND, exactly like something that does not
 * exist, so that probing reveals nothing.
 */
#include "app_int.h"

#include <assert.h>

int rf_app_allow(const struct rf_actor *actor, enum rf_action action, struct rf_error *err)
{
    assert(err != NULL); /* the use cases' contract (app.h): every one takes its caller's */
    if (rf_access_allows(actor->roles, action))
        return RF_OK;
    return rf_error_set(err, RF_EFORBIDDEN, NULL, "role", "your roles do not allow this action");
}

int rf_app_scope_check(struct rf_store *s, const struct rf_actor *actor, int64_t unit_id,
                       const char *date, struct rf_error *err)
{
    int yes = 0;
    int rc;

    if (unit_id == actor->scope_unit_id)
        return RF_OK;
    rc = rf_store_unit_within(s, actor->province_id, actor->scope_unit_id, unit_id, date, &yes);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (!yes)
        return rf_app_store_error(RF_ENOTFOUND, err); /* word for word as when absent */
    return RF_OK;
}

int rf_app_store_error(int rc, struct rf_error *err)
{
    switch (rc) {
    case RF_OK:
        return RF_OK;
    case RF_ENOTFOUND:
        return rf_error_set(err, rc, NULL, "not_found", "not found");
    case RF_ECONFLICT:
        return rf_error_set(err, rc, NULL, "conflict", "the change conflicts with stored data");
    case RF_EFULL:
        return rf_error_set(err, rc, NULL, "disk_full",
                            "the database's disk is full: nothing was changed, try again later");
    default:
        return rf_error_set(err, RF_ESTORE, NULL, "storage", "the database failed");
    }
}
