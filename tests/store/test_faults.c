/*
 * The application's all-or-nothing guarantee under injected storage faults
 * (rf_store_faults_after): whichever statement fails, a use case answers
 * with a clean error and leaves the database as it was.
 */
#include "rig.h"

#include <stdio.h>
#include <string.h>

static void test_faults_leave_nothing_half_written(void **state)
{
    struct rf_app_config cfg = {db_url, 2, NULL, NULL};
    struct rf_app *app = NULL;
    struct rf_actor sys;
    struct rf_error err;
    struct rf_audit_report report;
    const char *csv = "code,name,kind,parent_code,valid_from,valid_to,successor_code,generated\n"
                      "42,Tỉnh Hà Tĩnh,province,,2020-01-01,,,0\n"
                      "S02,Sở Nội vụ,department,42,2020-01-01,,,0\n";
    int failures = 0, n;
    (void)state;

    rf_error_init(&err);
    assert_int_equal(rf_app_open(&cfg, 1, &app, &err), RF_OK);
    rf_app_system_actor(app, &sys);
    assert_int_equal(rf_app_units_import(app, &sys, csv, &n, &err), RF_OK);
    rf_app_system_actor(app, &sys);

    for (int after = 0; after < 60; after++) {
        struct rf_unit_input in = {"S03", "Sở Tư pháp", "department", 0, "2020-01-01", NULL, 0};
        struct rf_unit u;
        struct rf_store *s;
        int rc, found;

        in.parent_id = rf_app_root_unit(app);
        rf_error_init(&err);
        rf_store_faults_after(after);
        rc = rf_app_unit_create(app, &sys, &in, &u, &err);
        rf_store_faults_after(-1);
        s = rf_app_store_get(app);
        found = rf_store_unit_get_by_code(s, sys.province_id, "S03", "2021-01-01", &u) == RF_OK;
        rf_app_store_put(app, s);
        if (rc == RF_OK) {
            assert_true(found);
            break;
        }
        failures++;
        assert_true(err.n > 0); /* a clean error */
        assert_false(found);    /* and nothing written */
        rf_error_init(&err);
        assert_int_equal(rf_app_audit_verify(app, NULL, &report, &err), RF_OK);
        assert_true(report.ok);
        assert_int_equal(report.records, 2); /* the two imported units only */
    }
    assert_true(failures > 3);
    rf_error_init(&err);
    assert_int_equal(rf_app_audit_verify(app, NULL, &report, &err), RF_OK);
    assert_true(report.ok);
    assert_int_equal(report.records, 3);
    rf_app_close(&app);
}

int run_faults_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_faults_leave_nothing_half_written, setup, teardown),
    };

    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
