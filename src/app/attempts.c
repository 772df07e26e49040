/*
 * Failed attempts: sign-ins and password changes per account and per client
 * address, public lookups per address. The counters live in the database
 * (store_attempts.c), so every process sharing it counts the same failures
 * and no flood of other keys can reset one; the rule of the window is
 * core/account.c's.
 */
#include "app_int.h"

int rf_app_attempts_wait(struct rf_store *s, int64_t province_id, const char *kind, const char *key,
                         int limit, int64_t now, int64_t *wait)
{
    struct rf_attempts a;
    int rc = rf_store_attempts_get(s, province_id, kind, key ? key : "", &a);

    *wait = rc == RF_OK ? rf_attempts_wait(&a, limit, now) : 0;
    return rc;
}

int rf_app_attempts_fail(struct rf_store *s, int64_t province_id, const char *kind, const char *key,
                         int64_t now)
{
    return rf_store_attempts_fail(s, province_id, kind, key ? key : "", now,
                                  RF_SIGNIN_WINDOW_SECONDS);
}
