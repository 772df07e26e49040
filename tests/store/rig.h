/*
 * What the files of the store suite share: the backend under test, a fresh
 * database for each test, builders of the rows most tests start from, and
 * each file's group of tests.
 */
#ifndef RF_TEST_STORE_RIG_H
#define RF_TEST_STORE_RIG_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/app/app.h"
#include "../../src/store/store.h"

extern const char *backend; /* "sqlite" or "postgresql", from the command line */
extern char db_url[512];    /* the running test's database */

/* A fresh, empty database for one test: its URL goes to db_url. */
void fresh_db(void);
/* cmocka's set-up of a test: a fresh database, migrated, open as '*state'. */
int setup(void **state);
/* Close '*state' and remove the test's SQLite files. */
int teardown(void **state);

/*
 * Run 'sql' on the running test's database over a connection of its own,
 * behind the store's back (rows the store never writes), and answer the
 * first column of its first row as a number (0 when it has none).
 */
int64_t raw_sql(const char *sql);

/* A province with 'code' and its audit chain's head; its id. */
int64_t province(struct rf_store *s, const char *code);
/* A unit under 'parent' (0: none) from 'from' to 'to' (NULL: open); its id. */
int64_t unit(struct rf_store *s, int64_t prov, const char *code, const char *name,
             enum rf_unit_kind kind, int64_t parent, const char *from, const char *to);

/* The units a list gave, in order: the first 64 of 'n'. */
struct seen {
    int64_t id[64];
    int depth[64];
    int64_t parent[64];
    int n;
};
/* An rf_unit_fn keeping each unit in a struct seen. */
int collect(void *ctx, const struct rf_unit *u);
/* The units under 'root' on 'date' containing 'text' (NULL: all). */
struct seen list(struct rf_store *s, int64_t prov, int64_t root, const char *date, const char *text,
                 int skip_root, int max_depth);

/* A small province: P > district D (until 2025-07-01) > communes C1, C2;
 * P > department S; from 2025-07-01 C1 sits under P, C2 merged into new N. */
struct tree {
    int64_t prov, p, d, c1, c2, s, n;
};
struct tree small_tree(struct rf_store *s);

/* An audit record of 'action' appended to the province's chain. */
void audit(struct rf_store *s, int64_t prov, const char *action, const char *after);
/* A task of document 'doc' led by 'lead', assigned on 2023-01-10 ('deadline' NULL: none),
 * unwritten. */
struct rf_task task_of(const struct tree *t, int64_t doc, const char *title, int64_t lead,
                       const char *field, const char *deadline);
/* The same written, with one coordinating unit (0: none); its id. */
int64_t task(struct rf_store *s, struct tree *t, int64_t doc, const char *title, int64_t lead,
             const char *field, const char *deadline, int64_t coordinating);
/* A stretch as the writer opens one: its savepoint, then deferred writes where there are any. */
void stretch_open(struct rf_store *s, int deferred);

/* Each file's tests, on the backend named by 'backend': how many failed. */
int run_units_tests(void);
int run_users_tests(void);
int run_tasks_tests(void);
int run_calendar_tests(void);
int run_dossiers_tests(void);
int run_faults_tests(void);
int run_provinces_tests(void);

#endif
