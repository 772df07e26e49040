/*
 * Account rules. The password policy follows NIST SP 800-63B (length over
 * composition rules, and no password that is easy to guess: zxcvbn's
 * estimate with the user name and the product's words as context); the attempt limit protects
 * against guessing both one account from many places and many accounts from one place.
 */
#include "account.h"
#include "text.h"

#include <string.h>
#include <strings.h>
#include <zxcvbn.h>

int rf_username_check(const char *name, const char *field, struct rf_error *err)
{
    size_t n = name ? strlen(name) : 0;

    if (n == 0)
        return rf_error_set(err, RF_EINVAL, field, "required", "a user name is required");
    if (n < 3 || n > RF_USERNAME_MAX)
        return rf_error_set(err, RF_EINVAL, field, "length", "a user name has 3 to %d characters",
                            RF_USERNAME_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return rf_error_set(err, RF_EINVAL, field, "format",
                                "a user name is lowercase letters, digits, '.', '_' or '-', "
                                "starting with a letter or digit");
    }
    return RF_OK;
}

/*
 * How many bits of guessing 'password' would take, as zxcvbn estimates it
 * from its dictionaries, keyboard patterns, sequences and repeats, with the
 * user name, its parts and the product's own words as the likeliest words.
 */
static double guess_bits(const char *password, const char *username)
{
    static const char *const context[] = {"reform",  "demo",    "hatinh",   "ha tinh",
                                          "hà tĩnh", "matkhau", "mật khẩu", "password"};
    const char *dict[RF_USERNAME_MAX / 2 + 16];
    char parts[RF_USERNAME_MAX + 1];
    size_t n = 0;

    for (size_t i = 0; i < sizeof(context) / sizeof(context[0]); i++)
        dict[n++] = context[i];
    if (username && strlen(username) <= RF_USERNAME_MAX) {
        /* "focal.sonkim1" is also "focal" and "sonkim1" */
        char *p = parts;
        dict[n++] = username;
        memcpy(parts, username, strlen(username) + 1);
        while (*p && n < sizeof(dict) / sizeof(dict[0]) - 1) {
            size_t len = strcspn(p, "._-");
            if (len >= 3)
                dict[n++] = p;
            if (!p[len])
                break;
            p[len] = '\0';
            p += len + 1;
        }
    }
    dict[n] = NULL;
    return ZxcvbnMatch(password, dict, NULL);
}

int rf_password_check(const char *password, const char *username, const char *field,
                      struct rf_error *err)
{
    if (!password || !*password)
        return rf_error_set(err, RF_EINVAL, field, "required", "a password is required");
    if (strlen(password) > RF_PASSWORD_MAX)
        return rf_error_set(err, RF_EINVAL, field, "too_long", "a password has at most %d bytes",
                            RF_PASSWORD_MAX);
    if (rf_text_length(password) < RF_PASSWORD_MIN)
        return rf_error_set(err, RF_EINVAL, field, "too_short",
                            "a password has at least %d characters", RF_PASSWORD_MIN);
    if (username && strcmp(password, username) == 0)
        return rf_error_set(err, RF_EINVAL, field, "same_as_username",
                            "a password must differ from the user name");
    /* NIST SP 800-63B 5.1.1.2: context-specific words, the user name first */
    if (username && strlen(username) >= 3 && strcasestr(password, username))
        return rf_error_set(err, RF_EINVAL, field, "contains_username",
                            "a password must not contain the user name");
    if (strncasecmp(password, "demo-", 5) == 0)
        return rf_error_set(err, RF_EINVAL, field, "demo",
                            "the demo's passwords are public: choose another");
    if (guess_bits(password, username) < RF_PASSWORD_MIN_BITS)
        return rf_error_set(err, RF_EINVAL, field, "weak",
                            "the password is too easy to guess: a few unusual words make a strong "
                            "one");
    return RF_OK;
}

int rf_session_alive(int64_t created_at, int64_t last_seen_at, int64_t now)
{
    return now - last_seen_at < RF_SESSION_IDLE_SECONDS &&
           now - created_at < RF_SESSION_ABSOLUTE_SECONDS;
}

int64_t rf_attempts_wait(const struct rf_attempts *a, int limit, int64_t now)
{
    int64_t end = a->window_start + RF_SIGNIN_WINDOW_SECONDS;

    if (now >= end || a->failures < limit)
        return 0;
    return end - now;
}

void rf_attempts_fail(struct rf_attempts *a, int64_t now)
{
    if (now >= a->window_start + RF_SIGNIN_WINDOW_SECONDS) {
        a->window_start = now;
        a->failures = 0;
    }
    a->failures++;
}
