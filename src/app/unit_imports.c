/*
 * The units import: the province's tree over time from CSV, the province's
 * own row first, then each unit under a parent on an earlier line, a code
 * seen again being the same unit moved; all rows or none, each audited, a
 * bad row refusing the whole file with its line named.
 */
#include "app_int.h"
#include "../common/csv.h"
#include "../common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    COL_CODE,
    COL_NAME,
    COL_KIND,
    COL_PARENT,
    COL_FROM,
    COL_TO,
    COL_SUCCESSOR,
    COL_GENERATED,
    NCOLS
};

static const char *const import_header[NCOLS] = {
    "code", "name", "kind", "parent_code", "valid_from", "valid_to", "successor_code", "generated",
};

static int line_error(struct rf_error *err, int line, const char *field, const char *rule,
                      const char *what)
{
    return rf_error_set(err, RF_EINVAL, field, rule, "line %d: %s", line, what);
}

/* Import one CSV row inside the open transaction. */
/* The row's own fields into 'u' (and its first day into 'from'), or a fault naming its line. */
static int row_unit(struct rf_app *app, const struct rf_actor *actor, const struct rf_csv *c,
                    struct rf_unit *u, struct rf_date *from, struct rf_error *err)
{
    char *const *f = c->field;
    struct rf_date to;
    char *name = NULL;

    memset(u, 0, sizeof(*u));
    if (rf_unit_code_check(f[COL_CODE]) != RF_OK)
        return line_error(err, c->line, "code", "format", "bad unit code");
    if (rf_app_unit_check_name(f[COL_NAME], &name, NULL) != RF_OK)
        return line_error(err, c->line, "name", "text", "bad or missing name");
    snprintf(u->code, sizeof(u->code), "%s", f[COL_CODE]);
    snprintf(u->name, sizeof(u->name), "%s", name);
    free(name);
    if (rf_unit_kind_parse(f[COL_KIND], &u->kind) != RF_OK)
        return line_error(err, c->line, "kind", "enum", "unknown unit kind");
    if (rf_date_parse(f[COL_FROM], from) != RF_OK)
        return line_error(err, c->line, "valid_from", "date", "valid_from is not YYYY-MM-DD");
    snprintf(u->valid_from, sizeof(u->valid_from), "%s", f[COL_FROM]);
    if (f[COL_TO][0]) {
        if (rf_date_parse(f[COL_TO], &to) != RF_OK || strcmp(f[COL_TO], f[COL_FROM]) <= 0)
            return line_error(err, c->line, "valid_to", "date",
                              "valid_to is not a YYYY-MM-DD after valid_from");
        snprintf(u->valid_to, sizeof(u->valid_to), "%s", f[COL_TO]);
    }
    if (strcmp(f[COL_GENERATED], "0") != 0 && strcmp(f[COL_GENERATED], "1") != 0 &&
        f[COL_GENERATED][0])
        return line_error(err, c->line, "generated", "enum", "generated is 0 or 1");
    u->generated = f[COL_GENERATED][0] == '1';
    u->province_id = actor->province_id;
    u->created_at = u->updated_at = rf_app_now(app);
    return RF_OK;
}

/*
 * The province's own row, the first: the province and its root unit, which the actor then acts in.
 * A database may hold several provinces: one opened for a province it lacks (--province) gets
 * that one, and no other.
 */
static int import_province(struct rf_app *app, struct rf_store *s, struct rf_actor *actor,
                           const struct rf_csv *c, struct rf_unit *u, struct rf_error *err)
{
    struct rf_province p;
    int rc;

    if (c->field[COL_PARENT][0])
        return line_error(err, c->line, "parent_code", "root_has_no_parent",
                          "a province has no parent");
    if (app->has_province)
        return rf_error_set(err, RF_EINVAL, "code", "province_exists",
                            "line %d: the database already holds province %s: another is "
                            "imported with --province and its code",
                            c->line, app->province.code);
    if (app->asked[0] && strcmp(u->code, app->asked) != 0)
        return rf_error_set(err, RF_EINVAL, "code", "other_province",
                            "line %d: the province's row is %s, not %s as asked", c->line, u->code,
                            app->asked);
    memset(&p, 0, sizeof(p));
    snprintf(p.code, sizeof(p.code), "%s", u->code);
    snprintf(p.name, sizeof(p.name), "%s", u->name);
    rc = rf_store_province_insert(s, &p);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    u->province_id = actor->province_id = p.id;
    rc = rf_store_unit_insert(s, u);
    if (rc == RF_OK)
        rc = rf_app_reload_province(app, s, p.code);
    actor->unit_id = actor->scope_unit_id = app->root_unit_id;
    return rc;
}

/*
 * A code seen again: the same unit (same name and kind) under another
 * parent for another period, its own period widened to cover both. As a
 * move does (rf_app_unit_move), never under itself or its own units.
 */
static int import_again(struct rf_store *s, const struct rf_actor *actor, const struct rf_csv *c,
                        struct rf_unit *u, struct rf_unit *existing, const struct rf_unit *parent,
                        struct rf_error *err)
{
    int cycle = 0, rc;

    if (strcmp(existing->name, u->name) != 0 || existing->kind != u->kind)
        return line_error(err, c->line, "code", "taken",
                          "the code was used on an earlier line for another name or kind");
    rc = rf_store_unit_within(s, actor->province_id, existing->id, parent->id, u->valid_from,
                              &cycle);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (cycle)
        return line_error(err, c->line, "parent_code", "cycle",
                          "a unit cannot be under itself or its own units");
    if (strcmp(u->valid_from, existing->valid_from) < 0)
        snprintf(existing->valid_from, sizeof(existing->valid_from), "%s", u->valid_from);
    if (!u->valid_to[0] || (existing->valid_to[0] && strcmp(u->valid_to, existing->valid_to) > 0))
        snprintf(existing->valid_to, sizeof(existing->valid_to), "%s", u->valid_to);
    existing->updated_at = u->updated_at;
    rc = rf_store_unit_update(s, existing);
    if (rc == RF_OK)
        rc = rf_store_unit_move(s, actor->province_id, existing->id, parent->id, u->valid_from);
    u->id = existing->id;
    u->parent_id = parent->id;
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* Whether a unit may stand under 'parent' for its period; a fault naming the line otherwise. */
static int import_fits(const struct rf_csv *c, const struct rf_unit *u,
                       const struct rf_unit *parent, struct rf_date from, struct rf_error *err)
{
    struct rf_error why;

    rf_error_init(&why);
    if (rf_app_unit_check_period(u, "kind", "valid_to", &why) == RF_OK &&
        rf_unit_parent_check(u->kind, parent->kind, from, "parent_code", &why) == RF_OK &&
        parent->valid_to[0] && (!u->valid_to[0] || strcmp(u->valid_to, parent->valid_to) > 0))
        rf_error_set(&why, RF_EINVAL, "valid_to", "outlives_parent",
                     "the parent ends on %s: the row's period must end by then", parent->valid_to);
    return why.n
               ? line_error(err, c->line, why.item[0].field, why.item[0].code, why.item[0].message)
               : RF_OK;
}

/* One row of a units import: the province, a new unit, or a code seen again; then its record. */
static int import_row(struct rf_app *app, struct rf_store *s, struct rf_actor *actor,
                      struct rf_csv *c, struct rf_error *err)
{
    struct rf_unit u, parent, existing;
    struct rf_date from;
    char *after;
    int rc = row_unit(app, actor, c, &u, &from, err);

    if (rc != RF_OK)
        return rc;
    if (u.kind == RF_UNIT_PROVINCE) {
        rc = import_province(app, s, actor, c, &u, err);
    } else if (!app->has_province) {
        return line_error(err, c->line, "kind", "province_first",
                          "the province's own row comes first");
    } else {
        rc = rf_store_unit_get_by_code(s, actor->province_id, c->field[COL_PARENT], u.valid_from,
                                       &parent);
        if (rc == RF_ENOTFOUND)
            return line_error(err, c->line, "parent_code", "not_found",
                              "no unit with that parent code on an earlier line");
        if (rc == RF_OK)
            rc = import_fits(c, &u, &parent, from, err);
        if (rc == RF_OK)
            rc = rf_store_unit_get_by_code(s, actor->province_id, u.code, u.valid_from, &existing);
        if (rc == RF_ENOTFOUND) {
            u.parent_id = parent.id;
            rc = rf_store_unit_insert(s, &u);
        } else if (rc == RF_OK) {
            rc = import_again(s, actor, c, &u, &existing, &parent, err);
        }
    }
    if (rc != RF_OK && err->n) /* a fault of the row, told with its line */
        return rc;
    if (rc == RF_ECONFLICT)
        return line_error(err, c->line, "code", "taken", "the code is taken");
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    after = rf_app_unit_audit_json(&u);
    rc = rf_app_audit(app, s, actor, "import", "unit", u.id, NULL, after);
    free(after);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* Second pass: successors may name units of later lines. */
static int import_successors(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                             const char *csv, struct rf_error *err)
{
    struct rf_csv c;
    int rc = RF_OK;

    rf_csv_init(&c, csv);
    (void)rf_csv_next(&c); /* header */
    while (rc == RF_OK && rf_csv_next(&c) == 1) {
        struct rf_unit u, succ;
        if (c.nfields != NCOLS || !c.field[COL_SUCCESSOR][0])
            continue;
        rc = rf_store_unit_get_by_code(s, actor->province_id, c.field[COL_CODE], c.field[COL_FROM],
                                       &u);
        if (rc == RF_OK)
            rc = rf_store_unit_get_by_code(s, actor->province_id, c.field[COL_SUCCESSOR],
                                           c.field[COL_FROM], &succ);
        if (rc == RF_ENOTFOUND) {
            rc = line_error(err, c.line, "successor_code", "not_found",
                            "no unit with the successor's code");
            break;
        }
        if (rc == RF_OK && u.successor_id != succ.id) {
            u.successor_id = succ.id;
            u.updated_at = rf_app_now(app);
            rc = rf_store_unit_update(s, &u);
        }
        if (rc != RF_OK)
            rc = rf_app_store_error(rc, err);
    }
    rf_csv_cleanup(&c);
    return rc;
}

int rf_app_units_import(struct rf_app *app, const struct rf_actor *actor_in, const char *csv,
                        int *count, struct rf_error *err)
{
    struct rf_actor actor = *actor_in;
    struct rf_store *s;
    struct rf_csv c;
    int rc, rows = 0, had_province = app->has_province;

    rc = rf_app_allow(&actor, RF_ACT_UNIT_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rf_csv_init(&c, csv);
    rc = rf_csv_next(&c);
    if (rc != 1 || c.nfields != NCOLS) {
        rc = rf_error_set(err, RF_EINVAL, "file", "header",
                          "line 1: the header must be %s,%s,%s,"
                          "%s,%s,%s,%s,%s",
                          import_header[0], import_header[1], import_header[2], import_header[3],
                          import_header[4], import_header[5], import_header[6], import_header[7]);
        goto out;
    }
    for (int i = 0; i < NCOLS; i++) {
        if (strcmp(c.field[i], import_header[i]) != 0) {
            rc = rf_error_set(err, RF_EINVAL, "file", "header", "line 1: column %d must be '%s'",
                              i + 1, import_header[i]);
            goto out;
        }
    }
    rc = rf_store_begin(s);
    if (rc != RF_OK) {
        rc = rf_app_store_error(rc, err);
        goto out;
    }
    while ((rc = rf_csv_next(&c)) == 1) {
        if (c.nfields == 1 && !c.field[0][0])
            continue;
        if (c.nfields != NCOLS) {
            rc = line_error(err, c.line, "file", "columns", "expected 8 columns");
            break;
        }
        rc = import_row(app, s, &actor, &c, err);
        if (rc != RF_OK)
            break;
        rows++;
    }
    if (rc < 0 && !err->n)
        rc = line_error(err, c.next_line, "file", "csv", "malformed CSV (an unclosed quote?)");
    if (rc == 0)
        rc = import_successors(app, s, &actor, csv, err);
    if (rc == RF_OK)
        rc = rf_store_commit(s);
    if (rc != RF_OK) {
        rf_store_rollback(s);
        if (!had_province)
            app->has_province = 0;
        else
            (void)rf_app_reload_province(app, s, app->province.code);
    }
    if (count)
        *count = rows;
out:
    rf_csv_cleanup(&c);
    rf_app_store_put(app, s);
    return rc;
}
