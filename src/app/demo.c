/*
 * The demo province: Ha Tinh's units as they were in 2023 with the 1 July
 * 2025 reorganisation as dated changes, sign-ins for every role, and the
 * 2023 task book, and the catalogue of procedures of the one-stop desks. The
 * data files (data/demo/) are compiled into the binary. Loaded under another
 * province's code (a second province on the same database), the same data
 * names that province's own unit by its code, and its sign-ins end in
 * ".CODE", since a sign-in name is one across the database.
 */
#include "app_int.h"
#include "../common/csv.h"
#include "../common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_CODE "42" /* the demo's own province, as data/demo/ names it */

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

/* Which of the demo's files a row is from, for the_same_for(). */
enum demo_file { DEMO_UNITS, DEMO_USERS, DEMO_PROCEDURES };

void rf_app_demo_username(const struct rf_app *app, const char *name, char out[RF_USERNAME_MAX + 1])
{
    if (app->asked[0] && strcmp(app->asked, DEMO_CODE) != 0)
        snprintf(out, RF_USERNAME_MAX + 1, "%s.%s", name, app->asked);
    else
        snprintf(out, RF_USERNAME_MAX + 1, "%s", name);
}

/* The steps "name|unit|allowance;..." with the demo's province as unit named 'code'. */
static void steps_for(const char *steps, const char *code, struct rf_buf *out)
{
    char *copy = rf_xstrdup(steps), *step = copy;

    while (step) {
        char *next = strchr(step, ';'), *unit, *rest;
        if (next)
            *next++ = '\0';
        unit = strchr(step, '|');
        rest = unit ? strchr(unit + 1, '|') : NULL;
        if (rest && rest - unit - 1 == (long)strlen(DEMO_CODE) &&
            strncmp(unit + 1, DEMO_CODE, strlen(DEMO_CODE)) == 0)
            rf_buf_addf(out, "%.*s|%s%s", (int)(unit - step), step, code, rest);
        else
            rf_buf_adds(out, step);
        if (next)
            rf_buf_addc(out, ';');
        step = next;
    }
    free(copy);
}

/* Field 'i' of a row of 'file', as the demo loaded under 'code' has it, into 'out'. */
static void field_for(enum demo_file file, int i, const char *f, const char *code,
                      struct rf_buf *out)
{
    int names_province = strcmp(f, DEMO_CODE) == 0;

    if (file == DEMO_UNITS && names_province && (i == 0 || i == 3 || i == 6))
        rf_buf_adds(out, code); /* code, parent_code, successor_code */
    else if (file == DEMO_USERS && i == 0)
        rf_buf_addf(out, "%s.%s", f, code); /* username */
    else if (file == DEMO_USERS && i == 2 && names_province)
        rf_buf_adds(out, code); /* unit_code */
    else if (file == DEMO_PROCEDURES && i == 10)
        steps_for(f, code, out);
    else
        rf_buf_adds(out, f);
}

/*
 * The demo's 'csv' of 'file' for the province 'code' (caller frees): its own
 * unit named by 'code' and called "Tỉnh demo CODE", its sign-ins "NAME.CODE"
 * with the demo's password pattern, "demo-" and the name.
 */
static char *the_same_for(const char *csv, enum demo_file file, const char *code)
{
    struct rf_buf out = RF_BUF_INIT, field = RF_BUF_INIT;
    struct rf_csv c;
    int header = 1;

    rf_csv_init(&c, csv);
    while (rf_csv_next(&c) == 1) {
        for (int i = 0; i < c.nfields; i++) {
            rf_buf_reset(&field);
            if (header)
                rf_buf_adds(&field, c.field[i]);
            else if (file == DEMO_UNITS && i == 1 && strcmp(c.field[0], DEMO_CODE) == 0)
                rf_buf_addf(&field, "Tỉnh demo %s", code);
            else if (file == DEMO_USERS && i == 4)
                rf_buf_addf(&field, "demo-%s.%s", c.field[0], code);
            else
                field_for(file, i, c.field[i], code, &field);
            if (i)
                rf_buf_addc(&out, ',');
            rf_csv_add_field(&out, rf_buf_str(&field));
        }
        rf_buf_addc(&out, '\n');
        header = 0;
    }
    rf_csv_cleanup(&c);
    rf_buf_cleanup(&field);
    return rf_buf_detach(&out, NULL);
}

int rf_app_demo_load(struct rf_app *app, struct rf_error *err)
{
    const char *code = app->asked[0] ? app->asked : DEMO_CODE;
    int own = strcmp(code, DEMO_CODE) == 0;
    char *units = NULL, *users = NULL, *procedures = NULL;
    struct rf_actor system;
    struct rf_csv c;
    int rc, count = 0;

    if (app->has_province)
        return rf_error_set(err, RF_ECONFLICT, "db", "not_empty",
                            "the database already holds province %s: the demo loads only as a "
                            "province it lacks",
                            app->province.code);
    if (!own) {
        units = the_same_for(rf_demo_units_csv, DEMO_UNITS, code);
        users = the_same_for(rf_demo_users_csv, DEMO_USERS, code);
        procedures = the_same_for(rf_demo_procedures_csv, DEMO_PROCEDURES, code);
    }
    rf_app_system_actor(app, &system);
    rc = rf_app_units_import(app, &system, own ? rf_demo_units_csv : units, &count, err);
    if (rc != RF_OK)
        goto out;
    rf_app_system_actor(app, &system);
    rf_csv_init(&c, own ? rf_demo_users_csv : users);
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
        rc = rf_app_procedures_import(app, &system, own ? rf_demo_procedures_csv : procedures,
                                      &count, err);
out:
    free(units);
    free(users);
    free(procedures);
    return rc;
}
