/*
 * Unit tests of src/core/access: role lists, the role matrix and which roles
 * act province-wide. The matrix rows follow the "who" column of
 * docs/api-outline.md and the roles table of DESIGN.md ("Who uses it").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/core/access.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define ALL_NAMES "admin|leader|secretariat|focal|clerk|officer|inspector"

static const struct {
    const char *text;
    int ok;
    unsigned mask;
} parse_cases[] = {
    {"admin", 1, RF_ROLE_ADMIN},                         /* one role */
    {"admin|leader", 1, RF_ROLE_ADMIN | RF_ROLE_LEADER}, /* access.h: '|' separates */
    {"leader,admin", 1, RF_ROLE_ADMIN | RF_ROLE_LEADER}, /* access.h: ',' too, any order */
    {"focal|clerk,officer", 1, RF_ROLE_FOCAL | RF_ROLE_CLERK | RF_ROLE_OFFICER}, /* mixed */
    {ALL_NAMES, 1, RF_ROLE_ALL},   /* DESIGN.md: seven roles */
    {"", 0, 0},                    /* access.h: empty is invalid */
    {NULL, 0, 0},                  /* missing is invalid */
    {"admin|admin", 0, 0},         /* access.h: a repeat is invalid */
    {"leader,focal|leader", 0, 0}, /* a repeat anywhere */
    {"Admin", 0, 0},               /* names are exact, lowercase */
    {"admin|", 0, 0},              /* an empty name after '|' */
    {"|admin", 0, 0},              /* an empty name before */
    {"admin||leader", 0, 0},       /* an empty name between */
    {"admin leader", 0, 0},        /* space is no separator */
    {"adminx", 0, 0},              /* no prefix matching */
    {"public", 0, 0},              /* DESIGN.md: public has no account */
};

static void test_roles_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(parse_cases); i++) {
        unsigned mask = 0xdeadu;
        int rc = rf_roles_parse(parse_cases[i].text, &mask);

        print_message("case %zu: %s\n", i, parse_cases[i].text ? parse_cases[i].text : "NULL");
        if (!parse_cases[i].ok) {
            assert_int_equal(rc, RF_EINVAL);
            continue;
        }
        assert_int_equal(rc, RF_OK);
        assert_int_equal(mask, parse_cases[i].mask);
    }
}

static const struct {
    unsigned mask;
    size_t size; /* bytes given to rf_roles_format */
    const char *text;
} format_cases[] = {
    {0, 64, ""},                                                /* no roles, empty text */
    {RF_ROLE_ADMIN, 64, "admin"},                               /* one role */
    {RF_ROLE_INSPECTOR | RF_ROLE_ADMIN, 64, "admin|inspector"}, /* fixed order, '|' joins */
    {RF_ROLE_ALL, 64, ALL_NAMES},                               /* every role */
    {RF_ROLE_ALL, sizeof(ALL_NAMES), ALL_NAMES},                /* exactly fits with its NUL */
    {RF_ROLE_ALL, 6, "admin"},                                  /* access.h: at most 'size' bytes */
    {RF_ROLE_ALL, 1, ""},                                       /* room for the NUL only */
};

static void test_roles_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(format_cases); i++) {
        char out[80];
        unsigned back = 0;

        print_message("case %zu: %s\n", i, format_cases[i].text);
        memset(out, 'x', sizeof(out));
        rf_roles_format(format_cases[i].mask, out, format_cases[i].size);
        /* bounded: nothing written past 'size' */
        assert_int_equal(out[format_cases[i].size], 'x');
        assert_string_equal(out, format_cases[i].text);
        if (format_cases[i].mask && format_cases[i].size >= sizeof(ALL_NAMES)) {
            /* what is written parses back to the same roles */
            assert_int_equal(rf_roles_parse(out, &back), RF_OK);
            assert_int_equal(back, format_cases[i].mask);
        }
    }
}

static const struct {
    unsigned role;
    const char *name;
} name_cases[] = {
    {RF_ROLE_ADMIN, "admin"},               /* DESIGN.md roles table */
    {RF_ROLE_LEADER, "leader"},             /* DESIGN.md roles table */
    {RF_ROLE_SECRETARIAT, "secretariat"},   /* DESIGN.md roles table */
    {RF_ROLE_FOCAL, "focal"},               /* DESIGN.md roles table */
    {RF_ROLE_CLERK, "clerk"},               /* DESIGN.md roles table */
    {RF_ROLE_OFFICER, "officer"},           /* DESIGN.md roles table */
    {RF_ROLE_INSPECTOR, "inspector"},       /* DESIGN.md roles table */
    {0, NULL},                              /* access.h: not a single role bit */
    {RF_ROLE_ADMIN | RF_ROLE_LEADER, NULL}, /* access.h: two bits are not one role */
    {1u << 7, NULL},                        /* past RF_ROLE_ALL */
};

static void test_role_name(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(name_cases); i++) {
        const char *name = rf_role_name(name_cases[i].role);

        print_message("case %zu: 0x%x\n", i, name_cases[i].role);
        if (!name_cases[i].name)
            assert_null(name);
        else
            assert_string_equal(name, name_cases[i].name);
    }
}

static const struct {
    enum rf_action action;
    unsigned allowed; /* exactly these single roles allow it */
} matrix_cases[] = {
    {RF_ACT_UNIT_READ, RF_ROLE_ALL},                    /* api-outline: GET units, signed in */
    {RF_ACT_UNIT_WRITE, RF_ROLE_ADMIN},                 /* api-outline: POST/PATCH units, admin */
    {RF_ACT_USER_READ, RF_ROLE_ADMIN | RF_ROLE_LEADER}, /* api-outline: GET users, admin, leader */
    {RF_ACT_USER_WRITE, RF_ROLE_ADMIN},                 /* api-outline: POST/PATCH users, admin */
    {RF_ACT_AUDIT_READ, RF_ROLE_ADMIN | RF_ROLE_SECRETARIAT}, /* api-outline: GET audit */
    {RF_ACT_TOKEN_ISSUE, RF_ROLE_ADMIN},                      /* api-outline: POST tokens, admin */
    {RF_ACT_TASK_READ, RF_ROLE_ALL},                          /* issue 3: everyone reads tasks */
    {RF_ACT_TASK_WRITE, RF_ROLE_SECRETARIAT}, /* issue 3: the secretariat registers */
    {RF_ACT_TASK_REPORT, RF_ROLE_FOCAL | RF_ROLE_SECRETARIAT}, /* issue 3: focal points report */
    {RF_ACT_CALENDAR_WRITE, RF_ROLE_ADMIN},  /* DESIGN.md: the admin configures calendars */
    {RF_ACT_PROCEDURE_WRITE, RF_ROLE_ADMIN}, /* DESIGN.md: the admin configures procedures */
    /* issue 5: everyone who works on or oversees dossiers reads them; focal points do not */
    {RF_ACT_DOSSIER_READ, RF_ROLE_ALL & ~RF_ROLE_FOCAL},
    {RF_ACT_DOSSIER_DESK, RF_ROLE_CLERK}, /* issue 5: the clerk at a one-stop desk */
    /* issue 5: the step's officer, the head who approves, the desk's own transfer step */
    {RF_ACT_DOSSIER_STEP, RF_ROLE_OFFICER | RF_ROLE_LEADER | RF_ROLE_CLERK},
};

static void test_matrix(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(matrix_cases); i++) {
        enum rf_action act = matrix_cases[i].action;

        for (unsigned bit = 1; bit & RF_ROLE_ALL; bit <<= 1) {
            print_message("case %zu: action %d, role %s\n", i, act, rf_role_name(bit));
            assert_int_equal(rf_access_allows(bit, act), (matrix_cases[i].allowed & bit) != 0);
            /* an extra role adds rights, it never takes any away */
            assert_int_equal(rf_access_allows(bit | RF_ROLE_FOCAL, act),
                             (matrix_cases[i].allowed & (bit | RF_ROLE_FOCAL)) != 0);
        }
        /* no roles, no rights */
        assert_false(rf_access_allows(0, act));
    }
    /* an action outside the table is refused, not read past its end */
    assert_false(rf_access_allows(RF_ROLE_ALL, RF_ACT_COUNT));
}

static const struct {
    unsigned roles;
    int wide;
} wide_cases[] = {
    {RF_ROLE_ADMIN, 1},       /* DESIGN.md: the IT centre configures the whole province */
    {RF_ROLE_SECRETARIAT, 1}, /* DESIGN.md: the PAR office works province-wide */
    {RF_ROLE_INSPECTOR, 1},   /* DESIGN.md: reports about any unit go to the inspectorate */
    {RF_ROLE_LEADER, 0},      /* DESIGN.md: leaders read their unit's subtree */
    {RF_ROLE_FOCAL, 0},       /* DESIGN.md: focal points report for their unit */
    {RF_ROLE_CLERK, 0},       /* DESIGN.md: clerks work at their desk */
    {RF_ROLE_OFFICER, 0},     /* DESIGN.md: officers act for their unit */
    {RF_ROLE_LEADER | RF_ROLE_INSPECTOR, 1}, /* one province-wide role is enough */
    {RF_ROLE_ALL & ~(RF_ROLE_ADMIN | RF_ROLE_SECRETARIAT | RF_ROLE_INSPECTOR), 0}, /* scoped */
    {0, 0}, /* no roles, no scope beyond the own unit */
};

static void test_province_wide(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(wide_cases); i++) {
        print_message("case %zu: 0x%x\n", i, wide_cases[i].roles);
        assert_int_equal(rf_access_province_wide(wide_cases[i].roles) != 0, wide_cases[i].wide);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_parse),   cmocka_unit_test(test_roles_format),
        cmocka_unit_test(test_role_name),     cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_province_wide),
    };

    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
