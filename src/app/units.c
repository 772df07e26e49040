/*
 * Units: reading the tree as of a date within one's scope, and the admin's
 * changes to it (create, rename, move, end with a successor), each in one
 * transaction with its audit record. The rules of which kind sits under
 * which live in core/unit.c.
 */
#include "app_int.h"
#include "../common/hash.h"
#include "../common/mem.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rf_app_unit_json(const struct rf_unit *u, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, u->id);
    rf_buf_adds(out, ",\"code\":");
    rf_buf_add_json_str(out, u->code);
    rf_buf_adds(out, ",\"name\":");
    rf_buf_add_json_str(out, u->name);
    rf_buf_adds(out, ",\"kind\":\"");
    rf_buf_adds(out, rf_unit_kind_name(u->kind));
    rf_buf_adds(out, "\",\"parent_id\":");
    if (u->parent_id)
        rf_buf_addi(out, u->parent_id);
    else
        rf_buf_adds(out, "null");
    rf_buf_adds(out, ",\"valid_from\":");
    rf_buf_add_json_str(out, u->valid_from);
    rf_buf_adds(out, ",\"valid_to\":");
    rf_buf_add_json_str(out, u->valid_to[0] ? u->valid_to : NULL);
    rf_buf_adds(out, ",\"successor_id\":");
    if (u->successor_id)
        rf_buf_addi(out, u->successor_id);
    else
        rf_buf_adds(out, "null");
    rf_buf_adds(out, ",\"generated\":");
    rf_buf_adds(out, u->generated ? "true" : "false");
    rf_buf_adds(out, ",\"depth\":");
    rf_buf_addi(out, u->depth);
    rf_buf_adds(out, ",\"children\":");
    rf_buf_addi(out, u->children);
    rf_buf_addc(out, '}');
}

/* The audit view of a unit: what it is, not where a query saw it. */
char *rf_app_unit_audit_json(const struct rf_unit *u)
{
    struct rf_buf b = RF_BUF_INIT;
    struct rf_unit copy = *u;

    copy.depth = 0;
    copy.children = 0;
    rf_app_unit_json(&copy, &b);
    return rf_buf_detach(&b, NULL);
}

/* 'date' or today into 'out'; RF_EINVAL naming 'field' when malformed. */
static int pick_date(struct rf_app *app, const char *date, const char *field, char out[RF_DATE_LEN],
                     struct rf_error *err)
{
    struct rf_date d;

    if (!date || !*date) {
        rf_app_today(app, out);
        return RF_OK;
    }
    if (rf_date_parse(date, &d) != RF_OK)
        return rf_error_set(err, RF_EINVAL, field, "date",
                            "a date is written YYYY-MM-DD, between %d and %d", RF_DATE_MIN_YEAR,
                            RF_DATE_MAX_YEAR);
    rf_date_format(d, out);
    return RF_OK;
}

void rf_app_unit_scope_date(struct rf_app *app, struct rf_store *s, int64_t province_id,
                            int64_t unit_id, char date[RF_DATE_LEN])
{
    struct rf_unit u;

    rf_app_today(app, date);
    if (rf_store_unit_get(s, province_id, unit_id, date, &u) == RF_OK)
        rf_app_unit_last_day_if_ended(&u, date);
}

/*
 * Kept in a slot by the unit's id (the desks of receipts and the lead units
 * of new tasks are few and come again), while the province's units_version,
 * moved by every change of the tree from any process, stands: a receipt or a
 * task then reads no unit from the database.
 */
/* The units' version the request carries in 'v', else read from 's'. */
static int units_version(struct rf_store *s, const struct rf_versions *v, int64_t province_id,
                         int64_t *version)
{
    *version = v ? v->units : 0;
    return v && v->known ? RF_OK : rf_store_units_version(s, province_id, version);
}

int rf_app_unit_kept(struct rf_app *app, struct rf_store *s, const struct rf_versions *v,
                     int64_t province_id, int64_t unit, const char *day,
                     struct rf_app_kept_unit *out)
{
    struct rf_app_kept_unit *k = &app->desks[(uint64_t)unit % RF_APP_KEPT_DESKS];
    struct rf_unit u;
    int64_t version;
    int rc = units_version(s, v, province_id, &version);

    if (rc != RF_OK)
        return rc;
    if (strlen(day) >= sizeof(k->day))
        return RF_ENOTFOUND;
    pthread_mutex_lock(&app->desks_lock);
    if (k->unit == unit && k->province_id == province_id && k->version == version &&
        strcmp(k->day, day) == 0) {
        *out = *k;
        pthread_mutex_unlock(&app->desks_lock);
        return RF_OK;
    }
    pthread_mutex_unlock(&app->desks_lock);
    memset(out, 0, sizeof(*out));
    rc = rf_store_unit_get(s, province_id, unit, day, &u);
    if (rc == RF_OK)
        rc = rf_store_unit_chain(s, province_id, unit, day, out->chain, 16, &out->n);
    if (rc != RF_OK)
        return rc;
    out->province_id = province_id;
    out->unit = unit;
    out->version = version;
    snprintf(out->day, sizeof(out->day), "%s", day);
    snprintf(out->code, sizeof(out->code), "%s", u.code);
    snprintf(out->valid_from, sizeof(out->valid_from), "%s", u.valid_from);
    snprintf(out->valid_to, sizeof(out->valid_to), "%s", u.valid_to);
    pthread_mutex_lock(&app->desks_lock);
    *k = *out;
    pthread_mutex_unlock(&app->desks_lock);
    return RF_OK;
}

int rf_app_unit_id_kept(struct rf_app *app, struct rf_store *s, const struct rf_versions *v,
                        int64_t province_id, const char *code, const char *day, int64_t *id)
{
    struct rf_app_kept_code *k = &app->codes[rf_hash_text(code) % RF_APP_KEPT_DESKS];
    struct rf_unit u;
    int64_t version;
    int rc = units_version(s, v, province_id, &version);

    if (rc != RF_OK)
        return rc;
    if (strlen(code) >= sizeof(k->code))
        return RF_ENOTFOUND;
    pthread_mutex_lock(&app->desks_lock);
    if (k->id && k->province_id == province_id && k->version == version &&
        strcmp(k->code, code) == 0) {
        *id = k->id;
        pthread_mutex_unlock(&app->desks_lock);
        return RF_OK;
    }
    pthread_mutex_unlock(&app->desks_lock);
    rc = rf_store_unit_get_by_code(s, province_id, code, day, &u);
    if (rc != RF_OK)
        return rc;
    *id = u.id;
    pthread_mutex_lock(&app->desks_lock);
    k->province_id = province_id;
    k->version = version;
    k->id = u.id;
    snprintf(k->code, sizeof(k->code), "%s", code);
    pthread_mutex_unlock(&app->desks_lock);
    return RF_OK;
}

int rf_app_dates_in_force(const char *from, const char *to, const char *date)
{
    return strcmp(from, date) <= 0 && (!to[0] || strcmp(to, date) > 0);
}

int rf_app_unit_in_force(const struct rf_unit *u, const char *date)
{
    return rf_app_dates_in_force(u->valid_from, u->valid_to, date);
}

void rf_app_unit_last_day_if_ended(const struct rf_unit *u, char date[RF_DATE_LEN])
{
    struct rf_date end;

    if (!u->valid_to[0] || strcmp(u->valid_to, date) > 0)
        return;
    if (rf_date_parse(u->valid_to, &end) != RF_OK)
        return;
    rf_date_format(rf_date_from_days(rf_date_to_days(end) - 1), date);
}

/*
 * Load unit 'id' as seen by 'actor' on 'date' (today, or its last day when it
 * ended before): RF_ENOTFOUND when absent or outside the scope.
 */
static int load_visible(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                        int64_t id, char date[RF_DATE_LEN], struct rf_unit *u, struct rf_error *err)
{
    int rc = rf_store_unit_get(s, actor->province_id, id, date, u);

    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    rf_app_unit_last_day_if_ended(u, date);
    if (strcmp(u->valid_from, date) > 0)
        snprintf(date, RF_DATE_LEN, "%s", u->valid_from);
    rc = rf_app_scope_check(s, actor, id, date, err);
    if (rc != RF_OK)
        return rc;
    (void)app;
    return rf_store_unit_get(s, actor->province_id, id, date, u);
}

int rf_app_units_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_unit_list_query *q, rf_unit_fn fn, void *ctx,
                      struct rf_error *err)
{
    struct rf_unit_query sq;
    struct rf_store *s;
    char date[RF_DATE_LEN];
    char *fold = NULL;
    enum rf_unit_kind kind;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_READ, err);
    if (rc != RF_OK)
        return rc;
    rc = pick_date(app, q->date, "date", date, err);
    if (rc != RF_OK)
        return rc;
    if (q->kind && rf_unit_kind_parse(q->kind, &kind) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "kind", "enum", "unknown unit kind '%s'", q->kind);
    if (q->text && rf_text_fold(q->text, &fold) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    memset(&sq, 0, sizeof(sq));
    sq.province_id = actor->province_id;
    sq.root_id = q->parent_id ? q->parent_id : q->root_id ? q->root_id : actor->scope_unit_id;
    sq.date = date;
    sq.skip_root = q->parent_id != 0;
    sq.max_depth = q->parent_id ? 1 : q->depth;
    sq.text_fold = fold;
    sq.kind = q->kind;
    sq.after_id = q->after_id;
    sq.limit = q->limit;
    s = rf_app_store_get(app);
    if (!s) {
        free(fold);
        return rf_app_store_error(RF_ESTORE, err);
    }
    rc = rf_app_scope_check(s, actor, sq.root_id, date, err);
    if (rc == RF_OK) {
        rc = rf_store_units_list(s, &sq, fn, ctx);
        if (rc < 0)
            rc = rf_app_store_error(rc, err);
    }
    rf_app_store_put(app, s);
    free(fold);
    return rc;
}

int rf_app_unit_visible(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                        const char *date_in, struct rf_error *err)
{
    struct rf_store *s;
    struct rf_unit u;
    char date[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_READ, err);
    if (rc == RF_OK)
        rc = pick_date(app, date_in, "date", date, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = rf_store_unit_get(s, actor->province_id, id, date, &u);
    if (rc == RF_OK && !rf_app_unit_in_force(&u, date))
        rc = RF_ENOTFOUND;
    if (rc == RF_OK)
        rc = rf_app_scope_check(s, actor, id, date, err);
    else
        rc = rf_app_store_error(rc, err);
    rf_app_store_put(app, s);
    return rc;
}

struct links_json {
    struct rf_buf *out;
    int n;
};

static int link_json(void *ctx, const struct rf_unit_link *l)
{
    struct links_json *j = ctx;

    rf_buf_adds(j->out, j->n++ ? ",{\"parent_id\":" : "{\"parent_id\":");
    rf_buf_addi(j->out, l->parent_id);
    rf_buf_adds(j->out, ",\"parent_code\":");
    rf_buf_add_json_str(j->out, l->parent_code);
    rf_buf_adds(j->out, ",\"valid_from\":");
    rf_buf_add_json_str(j->out, l->valid_from);
    rf_buf_adds(j->out, ",\"valid_to\":");
    rf_buf_add_json_str(j->out, l->valid_to[0] ? l->valid_to : NULL);
    rf_buf_addc(j->out, '}');
    return 0;
}

int rf_app_unit_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                    const char *date_in, struct rf_buf *out, struct rf_error *err)
{
    struct links_json j = {out, 0};
    struct rf_store *s;
    struct rf_unit u;
    char date[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_READ, err);
    if (rc == RF_OK)
        rc = pick_date(app, date_in, "date", date, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = load_visible(app, s, actor, id, date, &u, err);
    if (rc == RF_OK) {
        rf_app_unit_json(&u, out);
        out->len--; /* reopen the object */
        rf_buf_adds(out, ",\"date\":");
        rf_buf_add_json_str(out, date);
        rf_buf_adds(out, ",\"links\":[");
        rc = rf_store_unit_links(s, actor->province_id, id, link_json, &j);
        rf_buf_adds(out, "]}");
        if (rc != RF_OK)
            rc = rf_app_store_error(rc, err);
    }
    rf_app_store_put(app, s);
    return rc;
}

/* Check name (normalised into 'name_out', caller frees) and kind of 'in'. */
int rf_app_unit_check_name(const char *name, char **name_out, struct rf_error *err)
{
    if (!name || !*name)
        return rf_error_set(err, RF_EINVAL, "name", "required", "a name is required");
    if (rf_text_nfc(name, name_out) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "name", "text",
                            "a name is UTF-8 text without control characters");
    if (rf_text_length(*name_out) > RF_UNIT_NAME_MAX) {
        free(*name_out);
        *name_out = NULL;
        return rf_error_set(err, RF_EINVAL, "name", "too_long", "a name has at most %d characters",
                            RF_UNIT_NAME_MAX);
    }
    return RF_OK;
}

/*
 * Check that 'parent_id' can hold a unit of 'kind' from 'from' until 'until'
 * ("" while open-ended): it exists, is in force then, lies in the actor's
 * scope and has a fitting kind. A period under a parent never outlasts the
 * parent; 'until_field' names the input that sets the end.
 */
static int check_parent(struct rf_store *s, const struct rf_actor *actor, int64_t parent_id,
                        enum rf_unit_kind kind, const char *from, const char *until,
                        const char *until_field, struct rf_error *err)
{
    struct rf_unit parent;
    struct rf_date d;
    int rc;

    if (parent_id <= 0)
        return rf_error_set(err, RF_EINVAL, "parent_id", "required", "a parent unit is required");
    rc = rf_store_unit_get(s, actor->province_id, parent_id, from, &parent);
    if (rc == RF_OK && !rf_app_unit_in_force(&parent, from))
        rc = RF_ENOTFOUND;
    if (rc == RF_OK && rf_app_scope_check(s, actor, parent_id, from, NULL) != RF_OK)
        rc = RF_ENOTFOUND;
    if (rc == RF_ENOTFOUND)
        return rf_error_set(err, RF_EINVAL, "parent_id", "not_found",
                            "no such parent unit in force on %s", from);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (rf_date_parse(from, &d) != RF_OK)
        return RF_EINVAL;
    rc = rf_unit_parent_check(kind, parent.kind, d, "parent_id", err);
    if (rc == RF_OK && parent.valid_to[0] && (!until[0] || strcmp(until, parent.valid_to) > 0))
        rc = rf_error_set(err, RF_EINVAL, until_field, "outlives_parent",
                          "the parent ends on %s: the unit's period under it must end by then",
                          parent.valid_to);
    return rc;
}

/* The unit's kind rules over its whole validity. */
int rf_app_unit_check_period(const struct rf_unit *u, const char *kind_field, const char *end_field,
                             struct rf_error *err)
{
    struct rf_date from, to;

    if (rf_date_parse(u->valid_from, &from) != RF_OK)
        return RF_EINVAL;
    if (u->valid_to[0] && rf_date_parse(u->valid_to, &to) != RF_OK)
        return RF_EINVAL;
    return rf_unit_period_check(u->kind, from, u->valid_to[0] ? &to : NULL, kind_field, end_field,
                                err);
}

/* Write the changed unit 'u' with its audit record ('before' and after). */
static int save_in(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                   const char *action, const struct rf_unit *before, struct rf_unit *u)
{
    char *b = rf_app_unit_audit_json(before), *a = NULL;
    int rc;

    u->updated_at = rf_app_now(app);
    rc = rf_store_unit_update(s, u);
    if (rc == RF_OK) {
        a = rf_app_unit_audit_json(u);
        rc = rf_app_audit(app, s, actor, action, "unit", u->id, b, a);
    }
    free(a);
    free(b);
    return rc;
}

struct children;

/* One change to the tree, written by rf_app_write(). */
struct unit_change {
    struct rf_app *app;
    const struct rf_actor *actor;
    const char *action; /* "create", "update", "move" or "end" */
    const struct rf_unit *before;
    struct rf_unit *u;           /* the new state; for a move, read back after it */
    int64_t parent_id;           /* move: the new parent... */
    const char *date;            /* ...from this day; end: the first day without it */
    const struct children *kids; /* end: the units moving to the successor */
    enum rf_unit_kind successor_kind;
};

static int write_unit_change(struct rf_store *s, void *ctx, struct rf_error *err);

static int change_units(struct unit_change *c, struct rf_error *err)
{
    return rf_app_write(c->app, write_unit_change, c, err);
}

int rf_app_unit_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_unit_input *in, struct rf_unit *out, struct rf_error *err)
{
    struct rf_store *s = NULL;
    struct rf_unit u;
    struct rf_date from;
    char *name = NULL, *after = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_WRITE, err);
    if (rc != RF_OK)
        return rc;
    memset(&u, 0, sizeof(u));
    u.province_id = actor->province_id;
    if (!in->code || !*in->code)
        rf_error_set(err, RF_EINVAL, "code", "required", "a code is required");
    else if (rf_unit_code_check(in->code) != RF_OK)
        rf_error_set(err, RF_EINVAL, "code", "format",
                     "a code has 1 to %d letters, digits, '.', '_' or '-'", RF_UNIT_CODE_MAX);
    else
        snprintf(u.code, sizeof(u.code), "%s", in->code);
    if (rf_app_unit_check_name(in->name, &name, err) == RF_OK)
        snprintf(u.name, sizeof(u.name), "%s", name);
    if (!in->kind || !*in->kind)
        rf_error_set(err, RF_EINVAL, "kind", "required", "a kind is required");
    else if (rf_unit_kind_parse(in->kind, &u.kind) != RF_OK)
        rf_error_set(err, RF_EINVAL, "kind", "enum", "unknown unit kind '%s'", in->kind);
    else if (u.kind == RF_UNIT_PROVINCE)
        rf_error_set(err, RF_EINVAL, "kind", "province",
                     "a province is the root of its own deployment and comes with an import");
    if (!in->valid_from || !*in->valid_from)
        rf_error_set(err, RF_EINVAL, "valid_from", "required", "the first day is required");
    else if (rf_date_parse(in->valid_from, &from) != RF_OK)
        rf_error_set(err, RF_EINVAL, "valid_from", "date", "a date is written YYYY-MM-DD");
    else
        snprintf(u.valid_from, sizeof(u.valid_from), "%s", in->valid_from);
    if (in->valid_to && *in->valid_to) {
        struct rf_date to;
        if (rf_date_parse(in->valid_to, &to) != RF_OK)
            rf_error_set(err, RF_EINVAL, "valid_to", "date", "a date is written YYYY-MM-DD");
        else if (u.valid_from[0] && strcmp(in->valid_to, u.valid_from) <= 0)
            rf_error_set(err, RF_EINVAL, "valid_to", "order", "the end comes after the first day");
        else
            snprintf(u.valid_to, sizeof(u.valid_to), "%s", in->valid_to);
    }
    u.generated = in->generated > 0;
    if (err->n) {
        rc = RF_EINVAL;
        goto out;
    }
    rc = rf_app_unit_check_period(&u, "kind", "valid_to", err);
    if (rc != RF_OK)
        goto out;
    s = rf_app_store_get(app);
    if (!s) {
        rc = rf_app_store_error(RF_ESTORE, err);
        goto out;
    }
    rc = check_parent(s, actor, in->parent_id, u.kind, u.valid_from, u.valid_to, "valid_to", err);
    if (rc != RF_OK)
        goto out;
    u.parent_id = in->parent_id;
    u.created_at = u.updated_at = rf_app_now(app);
    {
        struct unit_change c = {app, actor, "create", NULL, &u, 0, NULL, NULL, 0};
        rc = change_units(&c, err);
    }
    if (rc == RF_OK)
        *out = u;
out:
    rf_app_store_put(app, s);
    free(name);
    free(after);
    return rc;
}

int rf_app_unit_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_unit_input *in, struct rf_unit *out, struct rf_error *err)
{
    struct rf_store *s;
    struct rf_unit before, u;
    char date[RF_DATE_LEN];
    char *name = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rf_app_today(app, date);
    rc = load_visible(app, s, actor, id, date, &before, err);
    if (rc != RF_OK)
        goto out;
    u = before;
    if (in->name && rf_app_unit_check_name(in->name, &name, err) == RF_OK)
        snprintf(u.name, sizeof(u.name), "%s", name);
    if (in->kind) {
        if (rf_unit_kind_parse(in->kind, &u.kind) != RF_OK)
            rf_error_set(err, RF_EINVAL, "kind", "enum", "unknown unit kind '%s'", in->kind);
        else if (rf_unit_kind_change_check(before.kind, u.kind, "kind", err) == RF_OK)
            rf_app_unit_check_period(&u, "kind", "kind", err);
    }
    if (in->generated >= 0)
        u.generated = in->generated > 0;
    if (err->n) {
        rc = RF_EINVAL;
        goto out;
    }
    {
        struct unit_change c = {app, actor, "update", &before, &u, 0, NULL, NULL, 0};
        rc = change_units(&c, err);
    }
    if (rc == RF_OK)
        *out = u;
out:
    rf_app_store_put(app, s);
    free(name);
    return rc;
}

/* RF_EINVAL naming 'field' unless 'date' lies within the unit's validity. */
static int check_within_validity(const struct rf_unit *u, const char *date, const char *field,
                                 struct rf_error *err)
{
    if (strcmp(date, u->valid_from) <= 0 || (u->valid_to[0] && strcmp(date, u->valid_to) >= 0))
        return rf_error_set(err, RF_EINVAL, field, "outside_validity",
                            "the date must fall after %s%s%s while the unit is in force",
                            u->valid_from, u->valid_to[0] ? " and before " : "", u->valid_to);
    return RF_OK;
}

/*
 * The start of a change to unit 'id' on a day the caller names in 'field':
 * the actor's right, the day ('date_in', required: 'required' says so) into
 * 'date', a store, and the unit as 'actor' sees it on that day into
 * '*before'. On RF_OK '*s' is held for the caller to put back; otherwise
 * nothing is.
 */
static int begin_unit_change(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                             const char *date_in, const char *field, const char *required,
                             char date[RF_DATE_LEN], struct rf_store **s, struct rf_unit *before,
                             struct rf_error *err)
{
    char seen[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (!date_in || !*date_in)
        return rf_error_set(err, RF_EINVAL, field, "required", "%s", required);
    rc = pick_date(app, date_in, field, date, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, s, err) != RF_OK)
        return RF_ESTORE;
    snprintf(seen, sizeof(seen), "%s", date);
    rc = load_visible(app, *s, actor, id, seen, before, err);
    if (rc != RF_OK)
        rf_app_store_put(app, *s);
    return rc;
}

int rf_app_unit_move(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                     int64_t parent_id, const char *from_in, struct rf_unit *out,
                     struct rf_error *err)
{
    struct rf_store *s;
    struct rf_unit before, u;
    char from[RF_DATE_LEN];
    int rc, cycle = 0;

    rc = begin_unit_change(app, actor, id, from_in, "from", "the first day is required", from, &s,
                           &before, err);
    if (rc != RF_OK)
        return rc;
    if (before.kind == RF_UNIT_PROVINCE)
        rc = rf_error_set(err, RF_EINVAL, "parent_id", "root_has_no_parent",
                          "the province has no parent");
    if (rc == RF_OK && strcmp(from, before.valid_from) != 0)
        rc = check_within_validity(&before, from, "from", err);
    if (rc == RF_OK)
        rc =
            check_parent(s, actor, parent_id, before.kind, from, before.valid_to, "parent_id", err);
    if (rc == RF_OK &&
        rf_store_unit_within(s, actor->province_id, id, parent_id, from, &cycle) == RF_OK && cycle)
        rc = rf_error_set(err, RF_EINVAL, "parent_id", "cycle",
                          "a unit cannot move under itself or its own units");
    if (rc != RF_OK)
        goto out;
    {
        struct unit_change c = {app, actor, "move", &before, &u, parent_id, from, NULL, 0};
        u = before;
        rc = change_units(&c, err);
    }
    if (rc == RF_OK)
        *out = u;
out:
    rf_app_store_put(app, s);
    return rc;
}

struct children {
    int64_t id[4096];
    int n;
};

static int collect_child(void *ctx, const struct rf_unit *u)
{
    struct children *c = ctx;

    if (c->n == (int)(sizeof(c->id) / sizeof(c->id[0])))
        return RF_ECONFLICT;
    c->id[c->n++] = u->id;
    return 0;
}

int rf_app_unit_end(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                    const char *date_in, int64_t successor_id, struct rf_unit *out,
                    struct rf_error *err)
{
    struct rf_store *s;
    struct rf_unit before, u, successor;
    struct rf_unit_query q;
    struct children *kids = NULL;
    char date[RF_DATE_LEN];
    int rc, inside = 0;

    rc = begin_unit_change(app, actor, id, date_in, "date", "the end date is required", date, &s,
                           &before, err);
    if (rc != RF_OK)
        return rc;
    if (before.kind == RF_UNIT_PROVINCE)
        rc = rf_error_set(err, RF_EINVAL, "date", "province", "the province does not end");
    if (rc == RF_OK)
        rc = check_within_validity(&before, date, "date", err);
    if (rc == RF_OK && successor_id) {
        rc = rf_store_unit_get(s, actor->province_id, successor_id, date, &successor);
        if (rc == RF_OK && !rf_app_unit_in_force(&successor, date))
            rc = RF_ENOTFOUND;
        if (rc == RF_OK && rf_app_scope_check(s, actor, successor_id, date, NULL) != RF_OK)
            rc = RF_ENOTFOUND;
        if (rc == RF_OK &&
            (successor_id == id || (rf_store_unit_within(s, actor->province_id, id, successor_id,
                                                         date, &inside) == RF_OK &&
                                    inside)))
            rc = rf_error_set(err, RF_EINVAL, "successor_id", "cycle",
                              "a unit's successor lies outside it");
        else if (rc == RF_ENOTFOUND)
            rc = rf_error_set(err, RF_EINVAL, "successor_id", "not_found",
                              "no such unit in force on %s", date);
    }
    if (rc != RF_OK)
        goto out;

    /* the units below it on that day move to the successor */
    kids = rf_xcalloc(1, sizeof(*kids));
    memset(&q, 0, sizeof(q));
    q.province_id = actor->province_id;
    q.root_id = id;
    q.date = date;
    q.skip_root = 1;
    q.max_depth = 1;
    rc = rf_store_units_list(s, &q, collect_child, kids);
    if (rc == RF_OK && kids->n && !successor_id)
        rc = rf_error_set(err, RF_EINVAL, "successor_id", "required",
                          "%d units sit under it on %s: name the successor that takes them",
                          kids->n, date);
    if (rc != RF_OK)
        goto out;
    u = before;
    snprintf(u.valid_to, sizeof(u.valid_to), "%s", date);
    u.successor_id = successor_id;
    u.parent_id = 0;
    u.children = 0;
    {
        struct unit_change c = {app,     actor, "end",
                                &before, &u,    0,
                                date,    kids,  successor_id ? successor.kind : RF_UNIT_DEPARTMENT};
        rc = change_units(&c, err);
    }
    if (rc == RF_OK)
        *out = u;
out:
    rf_app_store_put(app, s);
    free(kids);
    return rc;
}

static int write_unit_change(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct unit_change *c = ctx;
    int64_t province = c->actor->province_id, left = 0;
    char *after;
    int rc = RF_OK;

    if (strcmp(c->action, "create") == 0) {
        rc = rf_store_unit_insert(s, c->u);
        if (rc == RF_ECONFLICT)
            return rf_error_set(err, RF_ECONFLICT, "code", "taken", "the code %s is taken",
                                c->u->code);
        if (rc == RF_OK) {
            after = rf_app_unit_audit_json(c->u);
            rc = rf_app_audit(c->app, s, c->actor, "create", "unit", c->u->id, NULL, after);
            free(after);
        }
        return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
    }
    if (strcmp(c->action, "move") == 0) {
        rc = rf_store_unit_move(s, province, c->u->id, c->parent_id, c->date);
        if (rc == RF_OK)
            rc = rf_store_unit_get(s, province, c->u->id, c->date, c->u);
    }
    for (int i = 0; c->kids && rc == RF_OK && i < c->kids->n; i++) {
        struct rf_unit child;
        struct rf_date d;
        rc = rf_store_unit_get(s, province, c->kids->id[i], c->date, &child);
        if (rc == RF_OK && rf_date_parse(c->date, &d) == RF_OK &&
            rf_unit_parent_check(child.kind, c->successor_kind, d, "successor_id", err) != RF_OK)
            return RF_EINVAL;
        if (rc == RF_OK)
            rc = rf_store_unit_move(s, province, child.id, c->u->successor_id, c->date);
    }
    if (rc == RF_OK && strcmp(c->action, "end") == 0) {
        rc = rf_store_unit_children_after(s, province, c->u->id, c->date, &left);
        if (rc == RF_OK && left > 0)
            return rf_error_set(err, RF_EINVAL, "date", "children_later",
                                "units are placed under it after %s: move them first", c->date);
    }
    if (rc == RF_OK)
        rc = save_in(c->app, s, c->actor, c->action, c->before, c->u);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_unit_by_code(struct rf_app *app, const struct rf_actor *actor, const char *code,
                        const char *date_in, struct rf_unit *out, struct rf_error *err)
{
    struct rf_store *s;
    char date[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_UNIT_READ, err);
    if (rc == RF_OK)
        rc = pick_date(app, date_in, "date", date, err);
    if (rc == RF_OK && (!code || !*code))
        rc = rf_error_set(err, RF_EINVAL, "code", "required", "a unit's code is required");
    if (rc != RF_OK)
        return rc;
    s = rf_app_store_get(app);
    if (!s)
        return rf_app_store_error(RF_ESTORE, err);
    /* a code names one unit for good: the date only says as of when it is read */
    rc = rf_store_unit_get_by_code(s, actor->province_id, code, date, out);
    if (rc == RF_OK)
        rc = load_visible(app, s, actor, out->id, date, out, err);
    else
        rc = rf_app_store_error(rc, err);
    rf_app_store_put(app, s);
    return rc;
}
