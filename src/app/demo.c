/*
 * The demo province: Ha Tinh's units as they were in 2023 with the 1 July
 * 2025 reorganisation as dated changes, sign-ins for every role, and the
 * 2023 task book, and the catalogue of procedures of the one-stop desks. The
 * data files (data/demo/) are compiled into the binary.
 */
#include "app_int.h"
#include "../common/csv.h"

#include <string.h>

extern const char rf_demo_units_csv[];
extern const char rf_demo_users_csv[];
extern const char rf_demo_documents_csv[];
extern const char rf_demo_tasks_csv[];
extern const char rf_demo_progress_csv[];
extern const char rf_demo_procedures_csv[];

const char *rf_app_demo_users_csv(void)
{
    return rf_demo_users_csv;
}

int rf_app_demo_load(struct rf_app *app, struct rf_error *err)
{
    struct rf_actor system;
    struct rf_csv c;
    int rc, count = 0;

    if (app->has_province)
        return rf_error_set(err, RF_ECONFLICT, "db", "not_empty",
                            "the database already holds a province: the demo loads only into an "
                            "empty one");
    rf_app_system_actor(app, &system);
    rc = rf_app_units_import(app, &system, rf_demo_units_csv, &count, err);
    if (rc != RF_OK)
        return rc;
    rf_app_system_actor(app, &system);
    rf_csv_init(&c, rf_demo_users_csv);
    (void)rf_csv_next(&c); /* header: username,full_name,unit_code,roles,password */
    while (rc == RF_OK && rf_csv_next(&c) == 1) {
        struct rf_user_input in;
        struct rf_user u;
        if (c.nfields != 5)
            continue;
        memset(&in, 0, sizeof(in));
        in.username = c.field[0];
        in.full_name = c.field[1];
        in.unit_code = c.field[2];
        in.roles = c.field[3];
        in.password = c.field[4];
        in.disabled = -1;
        in.demo_account = 1; /* "demo-" and the user name: public, as the README says */
        rc = rf_app_user_create(app, &system, &in, &u, err);
    }
    rf_csv_cleanup(&c);
    /* the 2023 task book, recorded by the secretariat */
    if (rc == RF_OK)
        rc = rf_app_documents_import(app, &system, rf_demo_documents_csv, &count, err);
    if (rc == RF_OK)
        rc = rf_app_tasks_import(app, &system, rf_demo_tasks_csv, &count, err);
    if (rc == RF_OK)
        rc = rf_app_progress_import(app, &system, rf_demo_progress_csv, &count, err);
    if (rc == RF_OK)
        rc = rf_app_procedures_import(app, &system, rf_demo_procedures_csv, &count, err);
    return rc;
}
