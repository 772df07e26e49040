/*
 * Rules for accounts and sign-in: user names, password policy, session
 * lifetimes and the sign-in attempt limits. Pure: times are passed in.
 */
#ifndef RF_ACCOUNT_H
#define RF_ACCOUNT_H

#include <stdint.h>

#include "../common/err.h"

#define RF_USERNAME_MAX 64
#define RF_PASSWORD_MIN 10  /* code points */
#define RF_PASSWORD_MAX 256 /* bytes */
/* Bits of guessing a password must take at least (zxcvbn): about 10^9 guesses, beyond what
   5 tries per account in 15 minutes reach in decades, and slow to try offline with argon2id */
#define RF_PASSWORD_MIN_BITS 30

/* A session ends after 30 idle minutes or 12 hours in all. */
#define RF_SESSION_IDLE_SECONDS (30 * 60)
#define RF_SESSION_ABSOLUTE_SECONDS (12 * 3600)

/* Failed sign-ins allowed per window before answering 429. */
#define RF_SIGNIN_WINDOW_SECONDS (15 * 60)
#define RF_SIGNIN_MAX_PER_ACCOUNT 5
#define RF_SIGNIN_MAX_PER_ADDRESS 20

/*
 * RF_OK when 'name' is 3..64 of [a-z0-9._-] starting with a letter or digit,
 * else RF_EINVAL naming 'field' in 'err'.
 */
int rf_username_check(const char *name, const char *field, struct rf_error *err) RF_MUST_CHECK;

/*
 * RF_OK when 'password' meets the policy for 'username' (may be NULL): 10
 * code points to 256 bytes, not the user name nor containing it, not one of
 * the demo's ("demo-..."), and at least RF_PASSWORD_MIN_BITS to guess.
 */
int rf_password_check(const char *password, const char *username, const char *field,
                      struct rf_error *err) RF_MUST_CHECK;

/*
 * Whether a session created at 'created_at' and last used at 'last_seen_at'
 * is still alive at 'now'.
 */
int rf_session_alive(int64_t created_at, int64_t last_seen_at, int64_t now);

/* Failed attempts counted in a fixed window. */
struct rf_attempts {
    int64_t window_start;
    int failures;
};

/*
 * Seconds until another attempt is allowed under 'limit' failures per
 * window, or 0 when an attempt may go ahead now.
 */
int64_t rf_attempts_wait(const struct rf_attempts *a, int limit, int64_t now);
/* Count one failure at 'now'. */
void rf_attempts_fail(struct rf_attempts *a, int64_t now);

#endif
