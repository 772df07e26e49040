/*
 * Unit tests of src/common/names: a name's index in a fixed list, and a
 * comma list of names as bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/common/names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const colours[] = {"red", "green", "blue", NULL};

static int colour(const char *name)
{
    return rf_names_index(colours, name);
}

static void test_index(void **state)
{
    (void)state;
    assert_int_equal(rf_names_index(colours, "red"), 0);
    assert_int_equal(rf_names_index(colours, "blue"), 2);
    assert_int_equal(rf_names_index(colours, "Blue"), -1); /* exact, case and all */
    assert_int_equal(rf_names_index(colours, ""), -1);
    assert_int_equal(rf_names_index(colours, "re"), -1); /* no prefix matches */
}

static const struct {
    const char *list;
    int rc;
    unsigned bits;
    const char *message; /* of the error, when refused */
} bits_cases[] = {
    {NULL, 0, 0u, NULL},
    {"", 0, 0u, NULL},
    {"green", 0, 1u << 1, NULL},
    {"blue,red", 0, 1u << 2 | 1u << 0, NULL},
    {"red,red", 0, 1u << 0, NULL}, /* a name twice is the same bit */
    {"red,", 0, 1u << 0, NULL},    /* a trailing comma ends the list */
    {"red,pink", RF_EINVAL, 0, "unknown colour 'pink'"},
    {"red,,blue", RF_EINVAL, 0, "unknown colour ''"}, /* an empty name inside is unknown */
    {"a-name-longer-than-any-in-the-list-at-all", RF_EINVAL, 0,
     "unknown colour 'a-name-longer-than-any-in-the-l'"}, /* cut in the message, still refused */
};

static void test_bits(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(bits_cases); i++) {
        struct rf_error err;
        unsigned bits = 99;
        int rc;
        print_message("case %zu\n", i);
        rf_error_init(&err);
        rc = rf_names_bits(bits_cases[i].list, colour, "colour", &bits, &err);
        assert_int_equal(rc, bits_cases[i].rc);
        if (rc == 0) {
            assert_int_equal(bits, bits_cases[i].bits);
            assert_int_equal(err.n, 0);
        } else {
            assert_string_equal(err.item[0].field, "colour");
            assert_string_equal(err.item[0].message, bits_cases[i].message);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index),
        cmocka_unit_test(test_bits),
    };

    return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
