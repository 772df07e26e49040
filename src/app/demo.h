/*
 * The demo province and its year of dossiers.
 */
#ifndef RF_APP_DEMO_H
#define RF_APP_DEMO_H

#include "app.h"
#include "../core/account.h"

/* ---- demo.c ---- */

/*
 * Load the demo province (Ha Tinh as in 2023, with the 1 July 2025
 * reorganisation as dated changes, and demo users) as the province the
 * application was opened for and the database lacks: code 42 by default;
 * under another code, beside any other province, the same data with that
 * code for its own unit and sign-ins named "NAME.CODE"
 * (rf_app_demo_username). RF_ECONFLICT when the database holds it already.
 */
int rf_app_demo_load(struct rf_app *app, struct rf_error *err) RF_MUST_CHECK;
/* The demo sign-ins as data/demo/users.csv has them (header first). */
const char *rf_app_demo_users_csv(void);
/* The sign-in of the demo's user 'name' in the province 'app' was opened for, into 'out'. */
void rf_app_demo_username(const struct rf_app *app, const char *name,
                          char out[RF_USERNAME_MAX + 1]);
/* ---- demo_dossiers.c ---- */

/*
 * Generate 'count' demo dossiers over 1 July 2025 - 30 June 2026 on the demo
 * province (deterministic for a count), each simulated through its
 * procedure's steps, with their timelines and the counters. Logs progress.
 */
int rf_app_demo_dossiers(struct rf_app *app, int count, struct rf_error *err) RF_MUST_CHECK;

#endif
