/*
 * Unit tests of src/core/account: user names, the password policy, session
 * lifetimes and the sign-in attempt limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/common/buf.h"
#include "../../src/core/account.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define S16 "abcdefghijklmnop"
#define S64 S16 S16 S16 S16

static const struct {
    const char *name;
    const char *rule; /* NULL when valid */
} username_cases[] = {
    {"abc", NULL},                   /* account.h: 3 characters is the minimum */
    {"ab", "length"},                /* account.h: fewer than 3 */
    {S64, NULL},                     /* account.h: RF_USERNAME_MAX = 64 is allowed */
    {S64 "q", "length"},             /* account.h: 65 is over RF_USERNAME_MAX */
    {"", "required"},                /* an empty name is a missing name */
    {NULL, "required"},              /* a missing name */
    {"nguyen.van-a_1", NULL},        /* account.h: [a-z0-9._-] */
    {"1cb", NULL},                   /* account.h: may start with a digit */
    {".abc", "format"},              /* account.h: must start with a letter or digit */
    {"-abc", "format"},              /* account.h: must start with a letter or digit */
    {"Admin", "format"},             /* account.h: lowercase only, so names cannot differ by case */
    {"nguy\xe1\xbb\x85n", "format"}, /* account.h: ASCII only ("nguyen" with a tilde) */
    {"van a", "format"},             /* no spaces */
    {"a@b.vn", "format"},            /* a user name is not an e-mail address */
};

static void test_username(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(username_cases); i++) {
        struct rf_error err;
        int rc;

        print_message("case %zu: %s\n", i,
                      username_cases[i].name ? username_cases[i].name : "NULL");
        rf_error_init(&err);
        rc = rf_username_check(username_cases[i].name, "username", &err);
        if (!username_cases[i].rule) {
            assert_int_equal(rc, RF_OK);
            assert_int_equal(err.n, 0);
            continue;
        }
        assert_int_equal(rc, RF_EINVAL);
        assert_string_equal(err.item[0].field, "username");
        assert_string_equal(err.item[0].code, username_cases[i].rule);
    }
}

static const struct {
    const char *piece; /* the password is 'piece' repeated 'times' times */
    int times;
    const char *username;
    const char *rule; /* NULL when accepted */
} password_cases[] = {
    {"correct horse battery", 1, "vana", NULL}, /* NIST SP 800-63B 5.1.1.2: length, no
                                                   composition rules */
    {"Qx7#mK2pLz", 1, "vana", NULL},            /* account.h: RF_PASSWORD_MIN = 10 code points */
    {"Qx7#mK2pL", 1, "vana", "too_short"},      /* 9 code points */
    /* "Troi xanh" in Vietnamese: 9 code points but 10 bytes, so it is too short */
    {"Tr\xe1\xbb\x9di xanh", 1, "vana", "too_short"},
    /* "Troi xanh9": 10 code points, NIST SP 800-63B 5.1.1.2 counts each Unicode code point */
    {"Tr\xe1\xbb\x9di xanh9", 1, "vana", NULL},
    /* "Mat khau12" ("password12"): long enough, but the likeliest words of all */
    {"M\xe1\xba\xadt kh\xe1\xba\xa9u12", 1, "vana", "weak"},
    {"\xc4\x91", 9, "vana", "too_short"},   /* nine "d with stroke": 18 bytes, 9 code points */
    {"\xc4\x91", 10, "vana", "weak"},       /* ten of them: long enough, but one letter repeated */
    {"Qx7#mK2pLzR4t!w9", 16, "vana", NULL}, /* account.h: RF_PASSWORD_MAX = 256 bytes */
    {"Qx7#mK2pLzR4t!w9a", 16, "vana", "too_long"},         /* 272 bytes: bounds the hashing work */
    {"\xc4\x91", 129, "vana", "too_long"},                 /* 258 bytes: the maximum counts bytes */
    {"", 1, "vana", "required"},                           /* empty is missing */
    {"nguyenvana1", 1, "nguyenvana1", "same_as_username"}, /* NIST SP 800-63B: context words */
    {"Pw-sectest1-2026!", 1, "sectest1", "contains_username"},       /* security review F8 */
    {"2026-FOCAL.STP-xyz", 1, "focal.stp", "contains_username"},     /* in any case */
    {"demo-focal.sonkim1", 1, "focal.sonkim1", "contains_username"}, /* a demo password */
    {"demo-somebody-else", 1, "vana", "demo"},            /* the demo's pattern, whoever's */
    {"aaaaaaaaaa", 1, "vana", "weak"},                    /* security review F8: one letter */
    {"Password123!", 1, "vana", "weak"},                  /* the most common passwords */
    {"qwertyuiop", 1, "vana", "weak"},                    /* a keyboard row */
    {"0123456789", 1, "vana", "weak"},                    /* a sequence */
    {"reform-hatinh-2026", 1, "vana", "weak"},            /* the product's own words and the year */
    {"focal.sonkim1x", 1, "sonkim", "contains_username"}, /* the name inside another word */
    {"sonkim1-focal", 1, "focal.sonkim1", "weak"},        /* the name's parts, reordered */
    /* "Mua thu Ha Noi": no user name to compare with */
    {"M\xc3\xb9"
     "a thu H\xc3\xa0 N\xe1\xbb\x99i",
     1, NULL, NULL},
};

static void test_password(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(password_cases); i++) {
        struct rf_buf pw = RF_BUF_INIT;
        struct rf_error err;
        int rc;

        for (int t = 0; t < password_cases[i].times; t++)
            rf_buf_adds(&pw, password_cases[i].piece);
        print_message("case %zu: %s x%d\n", i, password_cases[i].piece, password_cases[i].times);
        rf_error_init(&err);
        rc = rf_password_check(rf_buf_str(&pw), password_cases[i].username, "password", &err);
        rf_buf_cleanup(&pw);
        if (!password_cases[i].rule) {
            assert_int_equal(rc, RF_OK);
            assert_int_equal(err.n, 0);
            continue;
        }
        assert_int_equal(rc, RF_EINVAL);
        assert_string_equal(err.item[0].field, "password");
        assert_string_equal(err.item[0].code, password_cases[i].rule);
    }
    /* a missing password is a required field, not a crash */
    assert_int_equal(rf_password_check(NULL, "vana", "password", NULL), RF_EINVAL);
}

#define T0 1751302800 /* 2025-07-01 00:00 in Vietnam */

static const struct {
    int64_t created_at, last_seen_at, now;
    int alive;
} session_cases[] = {
    {T0, T0, T0, 1},                      /* just created */
    {T0, T0, T0 + 1799, 1},               /* account.h: 29:59 idle is within 30 minutes */
    {T0, T0, T0 + 1800, 0},               /* OWASP session cheat sheet: idle timeout of 30 min */
    {T0, T0 + 3600, T0 + 3600 + 1799, 1}, /* idle counts from the last use, not creation */
    {T0, T0 + 3600, T0 + 3600 + 1800, 0}, /* 30 minutes after the last use */
    {T0, T0 + 43000, T0 + 43199, 1},      /* account.h: 12 h minus one second in all */
    {T0, T0 + 43199, T0 + 43200, 0},      /* OWASP: absolute timeout ends even an active one */
    {T0, T0 + 43199, T0 + 50000, 0},      /* both limits passed */
};

static void test_session_alive(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(session_cases); i++) {
        print_message("case %zu\n", i);
        assert_int_equal(rf_session_alive(session_cases[i].created_at,
                                          session_cases[i].last_seen_at, session_cases[i].now) != 0,
                         session_cases[i].alive);
    }
}

static const struct {
    int64_t first, step; /* failures at first, first + step, ... */
    int count, limit;
    int64_t now, wait;
    int failures; /* counted in the window after them */
} attempt_cases[] = {
    /* under the per-account limit: go ahead (OWASP authentication cheat sheet) */
    {T0, 1, 4, RF_SIGNIN_MAX_PER_ACCOUNT, T0 + 4, 0, 4},
    /* the 5th failure blocks the account until its 15-minute window ends */
    {T0, 1, 5, RF_SIGNIN_MAX_PER_ACCOUNT, T0 + 5, 895, 5},
    {T0, 1, 5, RF_SIGNIN_MAX_PER_ACCOUNT, T0 + 899, 1, 5}, /* last blocked second */
    {T0, 1, 5, RF_SIGNIN_MAX_PER_ACCOUNT, T0 + 900, 0, 5}, /* window over: try again */
    /* a fixed window: the fifth failure late in the window still ends it at first + 900 */
    {T0, 200, 5, RF_SIGNIN_MAX_PER_ACCOUNT, T0 + 800, 100, 5},
    /* the failure at first + 900 opens a new window and counts from 1 */
    {T0, 300, 5, RF_SIGNIN_MAX_PER_ACCOUNT, T0 + 1200, 0, 2},
    {T0, 300, 5, 2, T0 + 1200, 600, 2},
    /* per address: 20 failures from one place block it, 19 do not */
    {T0, 1, 19, RF_SIGNIN_MAX_PER_ADDRESS, T0 + 19, 0, 19},
    {T0, 1, 20, RF_SIGNIN_MAX_PER_ADDRESS, T0 + 20, 880, 20},
};

static void test_attempts(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(attempt_cases); i++) {
        struct rf_attempts a = {0, 0};

        print_message("case %zu\n", i);
        for (int k = 0; k < attempt_cases[i].count; k++)
            rf_attempts_fail(&a, attempt_cases[i].first + k * attempt_cases[i].step);
        assert_int_equal(a.failures, attempt_cases[i].failures);
        assert_int_equal(rf_attempts_wait(&a, attempt_cases[i].limit, attempt_cases[i].now),
                         attempt_cases[i].wait);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_username),
        cmocka_unit_test(test_password),
        cmocka_unit_test(test_session_alive),
        cmocka_unit_test(test_attempts),
    };

    return cmocka_run_group_tests_name("account", tests, NULL, NULL);
}
