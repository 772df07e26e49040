/*
 * The demo province and its year of dossiers.
 */
#ifndef RF_APP_DEMO_H
#define RF_APP_DEMO_H

#include "app.h"

/* ---- demo.c ---- */

/*
 * Load the demo province (Ha Tinh as in 2023, with the 1 July 2025
 * reorganisation as dated changes, and demo users) into an empty database.
 * RF_ECONFLICT when it already holds a province.
 */
int rf_app_demo_load(struct rf_app *app, struct rf_error *err) RF_MUST_CHECK;
/* The demo sign-ins as "username<TAB>password<TAB>roles<TAB>unit" lines. */
const char *rf_app_demo_users_csv(void);
/* ---- demo_dossiers.c ---- */

/*
 * Generate 'count' demo dossiers over 1 July 2025 - 30 June 2026 on the demo
 * province (deterministic for a count), each simulated through its
 * procedure's steps, with their timelines and the counters. Logs progress.
 */
int rf_app_demo_dossiers(struct rf_app *app, int count, struct rf_error *err) RF_MUST_CHECK;

#endif
