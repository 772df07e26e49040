/*
 * Signing in and out, sessions, bearer tokens and passwords (auth.c).
 */
#ifndef RF_APP_AUTH_H
#define RF_APP_AUTH_H

#include "app.h"

#define RF_TOKEN_LEN 44 /* 32 random bytes in unpadded base64url, and a NUL */
#define RF_TOKEN_MAX_DAYS 3660
#define RF_TOKEN_DEFAULT_DAYS 90

/* The life of a bearer token issued without one, 1 to RF_TOKEN_MAX_DAYS days. */
void rf_app_set_token_days(struct rf_app *app, int days);

/*
 * Sign 'username' in from 'address'. On success '*actor' is filled and
 * 'token' holds the new session secret (set it as the cookie). RF_EAUTH for
 * bad credentials or a disabled account (counted against the account and
 * the address, and audited with the name tried and the address); RF_ELIMIT
 * with '*retry_after' seconds when too many attempts failed for the account
 * or the address, in this process or another sharing the database.
 */
int rf_app_signin(struct rf_app *app, const char *username, const char *password,
                  const char *address, struct rf_actor *actor, char token[RF_TOKEN_LEN],
                  int64_t *retry_after, struct rf_error *err) RF_MUST_CHECK;
/*
 * The actor of a session cookie or bearer token secret. RF_EAUTH when it is
 * unknown, ended, expired or its user is disabled.
 */
int rf_app_authenticate(struct rf_app *app, const char *token, enum rf_session_kind kind,
                        struct rf_actor *actor) RF_MUST_CHECK;
/* End the actor's session, audited. RF_OK, or RF_ESTORE when it could not be written. */
int rf_app_signout(struct rf_app *app, const struct rf_actor *actor,
                   struct rf_error *err) RF_MUST_CHECK;
/*
 * Change the actor's own password; every session of theirs ends. A wrong
 * 'current' password counts as a failed sign-in of the account and of
 * 'address' (audited); over the limits, RF_ELIMIT with '*retry_after'.
 */
int rf_app_password_change(struct rf_app *app, const struct rf_actor *actor, const char *current,
                           const char *next, const char *address, int64_t *retry_after,
                           struct rf_error *err) RF_MUST_CHECK;
/* Issue a bearer token for user 'user_id' (admins). */
int rf_app_token_issue(struct rf_app *app, const struct rf_actor *actor, int64_t user_id,
                       const char *label, int expires_in_days, char token[RF_TOKEN_LEN],
                       struct rf_session *out, struct rf_error *err) RF_MUST_CHECK;
/* argon2id hash of 'password' (at least 19 MiB, 2 passes) into 'out'. */
int rf_app_password_hash(const char *password, char out[RF_PASSWORD_HASH_MAX]) RF_MUST_CHECK;
/* The "me" JSON of a signed-in actor. */
int rf_app_me_json(struct rf_app *app, const struct rf_actor *actor,
                   struct rf_buf *out) RF_MUST_CHECK;

#endif
