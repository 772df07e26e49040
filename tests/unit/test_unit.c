/*
 * Unit tests of src/core/unit: unit kinds, unit codes, and which kind may sit
 * under which, before and after two-level local government (1 July 2025).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/core/unit.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define BEFORE "2025-06-30" /* last day of three-level local government */
#define SWITCH RF_TWO_LEVEL_FROM

static const struct {
    const char *name;
    int ok;
    enum rf_unit_kind kind;
    int level;
} kind_cases[] = {
    {"province", 1, RF_UNIT_PROVINCE, 1},     /* Law on Local Government 2015, art. 2: level 1 */
    {"department", 1, RF_UNIT_DEPARTMENT, 2}, /* Decree 45/2025: provincial agencies */
    {"city", 1, RF_UNIT_CITY, 2},         /* provincial city: district level (Law 2015, art. 2) */
    {"town", 1, RF_UNIT_TOWN, 2},         /* thi xa: district level (Law 2015, art. 2) */
    {"district", 1, RF_UNIT_DISTRICT, 2}, /* huyen: district level (Law 2015, art. 2) */
    {"ward", 1, RF_UNIT_WARD, 3},         /* phuong: commune level (Law 2015, art. 2) */
    {"commune", 1, RF_UNIT_COMMUNE, 3},   /* xa: commune level (Law 2015, art. 2) */
    {"township", 1, RF_UNIT_TOWNSHIP, 3}, /* thi tran: commune level (Law 2015, art. 2) */
    {"District", 0, 0, 0},                /* API names are lowercase and exact */
    {"huyen", 0, 0, 0},                   /* the Vietnamese term is not the API name */
    {"provinces", 0, 0, 0},               /* no prefix matching */
    {"", 0, 0, 0},                        /* empty is no kind */
    {NULL, 0, 0, 0},                      /* missing is no kind */
};

static void test_kind_parse_name_level(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(kind_cases); i++) {
        enum rf_unit_kind k = RF_UNIT_KIND_COUNT;
        int rc = rf_unit_kind_parse(kind_cases[i].name, &k);

        print_message("case %zu: %s\n", i, kind_cases[i].name ? kind_cases[i].name : "NULL");
        if (!kind_cases[i].ok) {
            assert_int_equal(rc, RF_EINVAL);
            continue;
        }
        assert_int_equal(rc, RF_OK);
        assert_int_equal(k, kind_cases[i].kind);
        assert_string_equal(rf_unit_kind_name(k), kind_cases[i].name);
        assert_int_equal(rf_unit_kind_level(k), kind_cases[i].level);
    }
    /* an out-of-range kind has no name to leak into a response */
    assert_string_equal(rf_unit_kind_name(RF_UNIT_KIND_COUNT), "unknown");
}

static const struct {
    const char *code;
    int ok;
} code_cases[] = {
    {"01", 1},                                /* GSO administrative codes are digits */
    {"SNV.TTHCC_1-a", 1},                     /* unit.h: [A-Za-z0-9._-] */
    {"abcdefghijklmnopqrstuvwxyz012345", 1},  /* RF_UNIT_CODE_MAX = 32 is allowed */
    {"abcdefghijklmnopqrstuvwxyz0123456", 0}, /* 33 is over RF_UNIT_CODE_MAX */
    {"", 0},                                  /* unit.h: at least one character */
    {NULL, 0},                                /* missing code */
    {"so noi vu", 0},                         /* no spaces: codes go into URLs and CSV */
    {"ha/noi", 0},                            /* no '/': codes are URL path segments */
    {"H\xc3\xa0", 0},                         /* ASCII only: "Ha" with a grave accent */
    {"a,b", 0},                               /* no ',': codes are exported to CSV */
};

static void test_code_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(code_cases); i++) {
        print_message("case %zu: %s\n", i, code_cases[i].code ? code_cases[i].code : "NULL");
        assert_int_equal(rf_unit_code_check(code_cases[i].code),
                         code_cases[i].ok ? RF_OK : RF_EINVAL);
    }
}

static const struct {
    enum rf_unit_kind child, parent;
    const char *from;
    const char *rule; /* NULL when allowed */
} parent_cases[] = {
    /* the province is the root of the tree */
    {RF_UNIT_PROVINCE, RF_UNIT_PROVINCE, BEFORE, "root_has_no_parent"},
    {RF_UNIT_PROVINCE, RF_UNIT_DEPARTMENT, SWITCH, "root_has_no_parent"},
    /* departments serve the provincial committee (Decree 24/2014, Decree 45/2025) */
    {RF_UNIT_DEPARTMENT, RF_UNIT_PROVINCE, BEFORE, NULL},
    {RF_UNIT_DEPARTMENT, RF_UNIT_PROVINCE, SWITCH, NULL},
    /* departments hold their own centres */
    {RF_UNIT_DEPARTMENT, RF_UNIT_DEPARTMENT, SWITCH, NULL},
    /* district offices exist only while districts do (Law 72/2025/QH15) */
    {RF_UNIT_DEPARTMENT, RF_UNIT_DISTRICT, BEFORE, NULL},
    {RF_UNIT_DEPARTMENT, RF_UNIT_DISTRICT, SWITCH, "parent_kind"},
    {RF_UNIT_DEPARTMENT, RF_UNIT_COMMUNE, BEFORE, "parent_kind"},
    /* district level sits under the province (Law 2015, art. 2) */
    {RF_UNIT_DISTRICT, RF_UNIT_PROVINCE, BEFORE, NULL},
    {RF_UNIT_CITY, RF_UNIT_PROVINCE, BEFORE, NULL},
    {RF_UNIT_TOWN, RF_UNIT_DISTRICT, BEFORE, "parent_kind"},
    {RF_UNIT_CITY, RF_UNIT_DEPARTMENT, BEFORE, "parent_kind"},
    /* three levels until 30 June 2025: communes under district level (Law 2015, art. 2) */
    {RF_UNIT_COMMUNE, RF_UNIT_DISTRICT, BEFORE, NULL},
    {RF_UNIT_WARD, RF_UNIT_TOWN, BEFORE, NULL},
    {RF_UNIT_WARD, RF_UNIT_CITY, BEFORE, NULL},
    {RF_UNIT_TOWNSHIP, RF_UNIT_DISTRICT, BEFORE, NULL},
    {RF_UNIT_COMMUNE, RF_UNIT_PROVINCE, BEFORE, "parent_kind"},
    /* Law 72/2025/QH15: no district level from 1 July 2025, communes under the province */
    {RF_UNIT_COMMUNE, RF_UNIT_PROVINCE, SWITCH, NULL},
    {RF_UNIT_WARD, RF_UNIT_PROVINCE, SWITCH, NULL},
    {RF_UNIT_WARD, RF_UNIT_PROVINCE, "2030-01-01", NULL},
    {RF_UNIT_COMMUNE, RF_UNIT_DISTRICT, SWITCH, "parent_kind"},
    {RF_UNIT_WARD, RF_UNIT_CITY, SWITCH, "parent_kind"},
    /* a commune is never under a commune or a department (Law 2015, art. 2) */
    {RF_UNIT_COMMUNE, RF_UNIT_COMMUNE, SWITCH, "parent_kind"},
    {RF_UNIT_WARD, RF_UNIT_DEPARTMENT, BEFORE, "parent_kind"},
};

static void test_parent_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(parent_cases); i++) {
        struct rf_error err;
        struct rf_date from;
        int rc;

        print_message("case %zu: %s under %s from %s\n", i,
                      rf_unit_kind_name(parent_cases[i].child),
                      rf_unit_kind_name(parent_cases[i].parent), parent_cases[i].from);
        assert_int_equal(rf_date_parse(parent_cases[i].from, &from), RF_OK);
        rf_error_init(&err);
        rc = rf_unit_parent_check(parent_cases[i].child, parent_cases[i].parent, from, "parent_id",
                                  &err);
        if (!parent_cases[i].rule) {
            assert_int_equal(rc, RF_OK);
            assert_int_equal(err.n, 0);
            continue;
        }
        assert_int_equal(rc, RF_EINVAL);
        assert_int_equal(err.n, 1);
        assert_string_equal(err.item[0].field, "parent_id");
        assert_string_equal(err.item[0].code, parent_cases[i].rule);
    }
}

static const struct {
    enum rf_unit_kind kind;
    const char *from;
    int ok;
} kind_check_cases[] = {
    {RF_UNIT_DISTRICT, BEFORE, 1},       /* districts exist until 30 June 2025 */
    {RF_UNIT_DISTRICT, "1990-01-01", 1}, /* and long before */
    {RF_UNIT_DISTRICT, SWITCH, 0},       /* Law 72/2025/QH15: no district level from 1 July 2025 */
    {RF_UNIT_TOWN, SWITCH, 0},           /* Law 72/2025/QH15: towns are district level */
    {RF_UNIT_CITY, SWITCH, 0},       /* Law 72/2025/QH15: provincial cities are district level */
    {RF_UNIT_CITY, "2026-01-01", 0}, /* and stay dissolved after the switch */
    {RF_UNIT_TOWNSHIP, BEFORE, 1},   /* townships exist until 30 June 2025 */
    {RF_UNIT_TOWNSHIP, SWITCH, 0},   /* Resolution 202/2025/QH15: only communes and wards */
    {RF_UNIT_COMMUNE, SWITCH, 1},    /* Law 72/2025/QH15: communes remain */
    {RF_UNIT_WARD, SWITCH, 1},       /* Law 72/2025/QH15: wards remain */
    {RF_UNIT_PROVINCE, SWITCH, 1},   /* Law 72/2025/QH15: provinces remain */
    {RF_UNIT_DEPARTMENT, SWITCH, 1}, /* Decree 45/2025: departments remain */
};

static void test_kind_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(kind_check_cases); i++) {
        struct rf_error err;
        struct rf_date from;
        int rc;

        print_message("case %zu: %s from %s\n", i, rf_unit_kind_name(kind_check_cases[i].kind),
                      kind_check_cases[i].from);
        assert_int_equal(rf_date_parse(kind_check_cases[i].from, &from), RF_OK);
        rf_error_init(&err);
        rc = rf_unit_kind_check(kind_check_cases[i].kind, from, "kind", &err);
        if (kind_check_cases[i].ok) {
            assert_int_equal(rc, RF_OK);
            assert_int_equal(err.n, 0);
            continue;
        }
        assert_int_equal(rc, RF_EINVAL);
        assert_string_equal(err.item[0].field, "kind");
        assert_string_equal(err.item[0].code, "dissolved_level");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_parse_name_level),
        cmocka_unit_test(test_code_check),
        cmocka_unit_test(test_parent_check),
        cmocka_unit_test(test_kind_check),
    };

    return cmocka_run_group_tests_name("unit", tests, NULL, NULL);
}
