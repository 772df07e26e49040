/*
 * The province's tree of administrative units over time (units.c).
 */
#ifndef RF_APP_UNITS_H
#define RF_APP_UNITS_H

#include "app.h"

/* Input of a unit create or change: NULL or zero members are absent. */
struct rf_unit_input {
    const char *code;
    const char *name;
    const char *kind;
    int64_t parent_id;
    const char *valid_from;
    const char *valid_to;
    int generated; /* -1 absent */
};

struct rf_unit_list_query {
    const char *date; /* NULL: today */
    int64_t root_id;  /* 0: the actor's scope */
    int64_t parent_id;
    int depth; /* 0: all levels */
    const char *text;
    const char *kind;
    int64_t after_id;
    int limit;
};

/* JSON of a unit, as the API and the audit show it. */
void rf_app_unit_json(const struct rf_unit *u, struct rf_buf *out);

/*
 * The units of the actor's scope matching 'q' (in force on its date, under
 * its root, by text or kind), by id after 'after_id', each through 'fn' (its
 * return as the store's row callbacks': 1 stops); RF_EINVAL naming a bad
 * filter, RF_ENOTFOUND for a root outside the scope.
 */
int rf_app_units_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_unit_list_query *q, rf_unit_fn fn, void *ctx,
                      struct rf_error *err) RF_MUST_CHECK;
/*
 * RF_OK when unit 'id' is in force on 'date' (NULL: today) and within the
 * actor's scope then; RF_ENOTFOUND otherwise, RF_EINVAL for a bad date.
 */
int rf_app_unit_visible(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                        const char *date, struct rf_error *err) RF_MUST_CHECK;
/*
 * The unit with code 'code' into '*out', read as of 'date' (NULL: today), or
 * as of its last day when it ended before or its first when it began after,
 * as rf_app_unit_get() reads a unit: a code names one unit for good.
 * RF_ENOTFOUND when no unit has the code or it is outside the actor's scope
 * on that day (alike), RF_EINVAL naming "code" or "date", RF_EFORBIDDEN
 * without a role that reads units.
 */
int rf_app_unit_by_code(struct rf_app *app, const struct rf_actor *actor, const char *code,
                        const char *date, struct rf_unit *out, struct rf_error *err) RF_MUST_CHECK;
/* A unit with its periods in the tree appended as "links" to its JSON in 'out'. */
int rf_app_unit_get(struct rf_app *app, const struct rf_actor *actor, int64_t id, const char *date,
                    struct rf_buf *out, struct rf_error *err) RF_MUST_CHECK;
/*
 * Create a unit from 'in' (code, name, kind, parent, validity), checked
 * against the rules of the tree on its first day (core/unit.c): 'out' gets
 * it as written. RF_EINVAL with every fault, RF_ENOTFOUND for a parent
 * outside the scope, RF_ECONFLICT for a code taken, RF_EFORBIDDEN without
 * the admin's role.
 */
int rf_app_unit_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_unit_input *in, struct rf_unit *out,
                       struct rf_error *err) RF_MUST_CHECK;
/*
 * Change the name, code or flags of unit 'id' ('in': NULL or zero members
 * unchanged); 'out' gets it as written. Errors as rf_app_unit_create's, and
 * RF_ENOTFOUND for a unit outside the scope.
 */
int rf_app_unit_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_unit_input *in, struct rf_unit *out,
                       struct rf_error *err) RF_MUST_CHECK;
/*
 * Move unit 'id' under 'parent_id' from day 'from' on, its earlier place
 * kept as history; never under itself or its own units. 'out' gets the
 * unit. RF_EINVAL, RF_ENOTFOUND, RF_ECONFLICT as rf_app_unit_create's.
 */
int rf_app_unit_move(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                     int64_t parent_id, const char *from, struct rf_unit *out,
                     struct rf_error *err) RF_MUST_CHECK;
/* End unit 'id' on 'date'; its units still below it move to 'successor_id'. */
int rf_app_unit_end(struct rf_app *app, const struct rf_actor *actor, int64_t id, const char *date,
                    int64_t successor_id, struct rf_unit *out, struct rf_error *err) RF_MUST_CHECK;

/*
 * Import units from CSV text (header
 * code,name,kind,parent_code,valid_from,valid_to,successor_code,generated) in
 * one transaction: all rows or none. A code seen again adds a period under
 * another parent. Creates the province from its row when the database has
 * none. '*count' gets the rows read.
 */
int rf_app_units_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                        int *count, struct rf_error *err) RF_MUST_CHECK;

#endif
