/*
 * Users: officials, each of one unit, with roles (core/access.h). Admins
 * create and change them; leaders read those of their subtree. Disabling a
 * user or setting their password ends their sessions.
 */
#include "app_int.h"
#include "../common/mem.h"
#include "../core/date.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rf_app_user_json(const struct rf_user *u, struct rf_buf *out)
{
    char created[21], updated[21];

    rf_instant_format(u->created_at, created);
    rf_instant_format(u->updated_at, updated);
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, u->id);
    rf_buf_adds(out, ",\"username\":");
    rf_buf_add_json_str(out, u->username);
    rf_buf_adds(out, ",\"full_name\":");
    rf_buf_add_json_str(out, u->full_name);
    rf_buf_adds(out, ",\"unit_id\":");
    rf_buf_addi(out, u->unit_id);
    rf_buf_adds(out, ",\"unit_code\":");
    rf_buf_add_json_str(out, u->unit_code);
    rf_buf_adds(out, ",\"roles\":");
    rf_app_roles_json(u->roles, out);
    rf_buf_adds(out, ",\"disabled\":");
    rf_buf_adds(out, u->disabled ? "true" : "false");
    rf_buf_adds(out, ",\"created_at\":");
    rf_buf_add_json_str(out, created);
    rf_buf_adds(out, ",\"updated_at\":");
    rf_buf_add_json_str(out, updated);
    rf_buf_addc(out, '}');
}

static char *user_audit_json(const struct rf_user *u)
{
    struct rf_buf b = RF_BUF_INIT;

    rf_app_user_json(u, &b);
    return rf_buf_detach(&b, NULL);
}

int rf_app_users_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_user_list_query *q, rf_user_fn fn, void *ctx,
                      struct rf_error *err)
{
    struct rf_user_query sq;
    struct rf_store *s;
    char *fold = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_USER_READ, err);
    if (rc != RF_OK)
        return rc;
    if (q->text && rf_text_fold(q->text, &fold) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    memset(&sq, 0, sizeof(sq));
    sq.province_id = actor->province_id;
    sq.root_id = actor->scope_unit_id;
    sq.all_units = rf_access_province_wide(actor->roles);
    sq.unit_id = q->unit_id;
    sq.text_fold = fold;
    sq.after_id = q->after_id;
    sq.limit = q->limit;
    s = rf_app_store_get(app);
    rc = s ? rf_store_users_list(s, &sq, fn, ctx) : RF_ESTORE;
    if (rc < 0)
        rc = rf_app_store_error(rc, err);
    rf_app_store_put(app, s);
    free(fold);
    return rc;
}

static int load_visible(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                        int64_t id, struct rf_user *u, struct rf_error *err)
{
    int rc = rf_store_user_get(s, actor->province_id, id, u), yes = 0;

    (void)app;
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (rf_access_province_wide(actor->roles))
        return RF_OK;
    /* as the list: users of units that are or were in the actor's subtree */
    rc = rf_store_unit_within_ever(s, actor->province_id, actor->scope_unit_id, u->unit_id, &yes);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (!yes)
        return rf_app_store_error(RF_ENOTFOUND, err); /* word for word as when absent */
    return RF_OK;
}

int rf_app_user_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                    struct rf_user *out, struct rf_error *err)
{
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_USER_READ, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = load_visible(app, s, actor, id, out, err);
    rf_app_store_put(app, s);
    return rc;
}

/* Check the fields present in 'in' and apply them to 'u'. */
static int apply(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                 const struct rf_user_input *in, struct rf_user *u, int creating,
                 struct rf_error *err)
{
    char *name = NULL;

    if (in->full_name || creating) {
        if (!in->full_name || !*in->full_name)
            rf_error_set(err, RF_EINVAL, "full_name", "required", "a full name is required");
        else if (rf_text_nfc(in->full_name, &name) != RF_OK)
            rf_error_set(err, RF_EINVAL, "full_name", "text",
                         "a name is UTF-8 text without control characters");
        else if (rf_text_length(name) > 200)
            rf_error_set(err, RF_EINVAL, "full_name", "too_long",
                         "a name has at most 200 characters");
        else
            snprintf(u->full_name, sizeof(u->full_name), "%s", name);
        free(name);
    }
    if (in->roles || creating) {
        if (!in->roles || !*in->roles)
            rf_error_set(err, RF_EINVAL, "roles", "required", "at least one role is required");
        else if (rf_roles_parse(in->roles, &u->roles) != RF_OK)
            rf_error_set(err, RF_EINVAL, "roles", "enum",
                         "roles are admin, leader, secretariat, focal, clerk, officer or "
                         "inspector, each once");
    }
    if (in->unit_id || in->unit_code || creating) {
        char date[RF_DATE_LEN];
        struct rf_unit unit;
        int rc;
        memset(&unit, 0, sizeof(unit));
        rf_app_today(app, date);
        if (in->unit_code)
            rc = rf_store_unit_get_by_code(s, actor->province_id, in->unit_code, date, &unit);
        else if (in->unit_id > 0)
            rc = rf_store_unit_get(s, actor->province_id, in->unit_id, date, &unit);
        else
            rc = RF_EINVAL;
        if (rc == RF_OK) {
            rf_app_unit_scope_date(app, s, actor->province_id, unit.id, date);
            rc = rf_app_scope_check(s, actor, unit.id, date, NULL);
        }
        if (rc == RF_EINVAL)
            rf_error_set(err, RF_EINVAL, "unit_id", "required", "the user's unit is required");
        else if (rc != RF_OK)
            rf_error_set(err, RF_EINVAL, "unit_id", "not_found", "no such unit");
        else
            u->unit_id = unit.id;
    }
    if (in->disabled >= 0)
        u->disabled = in->disabled > 0;
    if (in->password || creating) {
        if ((in->demo_account
                 ? (in->password && *in->password ? RF_OK : RF_EINVAL)
                 : rf_password_check(in->password, u->username, "password", err)) == RF_OK &&
            rf_app_password_hash(in->password, u->password_hash) != RF_OK)
            rf_error_set(err, RF_EIO, "password", "hash", "cannot hash the password");
        u->password_changed_at = rf_app_now(app);
    }
    return rf_error_code(err, RF_OK);
}

/* A user created (before == NULL) or changed, written by rf_app_write(). */
struct user_change {
    struct rf_app *app;
    const struct rf_actor *actor;
    const struct rf_user *before;
    struct rf_user *u;
    int password_set;
};

static int write_user_change(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct user_change *c = ctx;
    char *b = NULL, *a = NULL;
    int rc;

    if (!c->before) {
        rc = rf_store_user_insert(s, c->u);
        if (rc == RF_ECONFLICT)
            return rf_error_set(err, RF_ECONFLICT, "username", "taken", "the user name %s is taken",
                                c->u->username);
    } else {
        rc = rf_store_user_update(s, c->u);
        /* disabling an account or setting its password ends its sessions */
        if (rc == RF_OK && ((c->u->disabled && !c->before->disabled) || c->password_set))
            rc =
                rf_store_sessions_end_user(s, c->u->province_id, c->u->id,
                                           RF_SESSION_COOKIE | RF_SESSION_BEARER, c->u->updated_at);
    }
    if (rc == RF_OK)
        rc = rf_store_user_get(s, c->u->province_id, c->u->id, c->u);
    if (rc == RF_OK) {
        b = c->before ? user_audit_json(c->before) : NULL;
        a = user_audit_json(c->u);
        rc = rf_app_audit(c->app, s, c->actor,
                          !c->before        ? "create"
                          : c->password_set ? "update_password"
                                            : "update",
                          "user", c->u->id, b, a);
    }
    free(a);
    free(b);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_user_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_user_input *in, struct rf_user *out, struct rf_error *err)
{
    struct rf_store *s;
    struct rf_user u;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_USER_WRITE, err);
    if (rc != RF_OK)
        return rc;
    memset(&u, 0, sizeof(u));
    u.province_id = actor->province_id;
    if (rf_username_check(in->username, "username", err) == RF_OK)
        snprintf(u.username, sizeof(u.username), "%s", in->username);
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = apply(app, s, actor, in, &u, 1, err);
    if (rc != RF_OK || err->n) {
        rc = rc ? rc : RF_EINVAL;
        goto out;
    }
    u.created_at = u.updated_at = rf_app_now(app);
    {
        struct user_change c = {app, actor, NULL, &u, 0};
        rc = rf_app_write(app, write_user_change, &c, err);
    }
    if (rc == RF_OK)
        *out = u;
out:
    rf_app_store_put(app, s);
    return rc;
}

int rf_app_user_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_user_input *in, struct rf_user *out, struct rf_error *err)
{
    struct rf_store *s;
    struct rf_user before, u;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_USER_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (in->username)
        return rf_error_set(err, RF_EINVAL, "username", "immutable",
                            "a user name never changes: the audit trail names people by it");
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = load_visible(app, s, actor, id, &before, err);
    if (rc != RF_OK)
        goto out;
    u = before;
    rc = apply(app, s, actor, in, &u, 0, err);
    if (rc != RF_OK)
        goto out;
    u.updated_at = rf_app_now(app);
    {
        struct user_change c = {app, actor, &before, &u, in->password != NULL};
        rc = rf_app_write(app, write_user_change, &c, err);
    }
    if (rc == RF_OK)
        *out = u;
out:
    rf_app_store_put(app, s);
    return rc;
}
