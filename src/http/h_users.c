/*
 * Users over HTTP: lists and one user for admins and leaders, changes for
 * admins. Password hashes never leave the server.
 */
#include "http.h"

#include <string.h>

static int add_user(void *ctx, const struct rf_user *u)
{
    struct rf_page *p = ctx;

    if (rf_page_next(p, u->id))
        return 1;
    rf_app_user_json(u, &p->items);
    return 0;
}

static enum MHD_Result reply_user(struct rf_req *r, unsigned status, const struct rf_user *u)
{
    struct rf_buf b = RF_BUF_INIT;

    rf_app_user_json(u, &b);
    return rf_reply_json_take(r, status, &b);
}

enum MHD_Result rf_h_users_list(struct rf_req *r)
{
    struct rf_user_list_query q;
    struct rf_page o;
    struct rf_error err;
    int64_t unit, cursor;
    int rc;

    rf_error_init(&err);
    (void)rf_page_init(r, &o, &cursor, &err);
    (void)rf_query_int(r, "unit", 1, INT64_MAX, 0, &unit, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    memset(&q, 0, sizeof(q));
    q.unit_id = unit;
    q.text = rf_query(r, "q");
    q.after_id = cursor;
    q.limit = o.limit + 1;
    rc = rf_app_users_list(r->app, &r->actor, &q, add_user, &o, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}

enum MHD_Result rf_h_user_get(struct rf_req *r)
{
    struct rf_error err;
    struct rf_user u;

    rf_error_init(&err);
    if (rf_app_user_get(r->app, &r->actor, r->params[0], &u, &err) != RF_OK)
        return rf_reply_error(r, &err);
    return reply_user(r, MHD_HTTP_OK, &u);
}

/* Read a user body into 'in'; RF_EINVAL with the reason in 'err' (rf_reply_body_error). */
static int read_user_input(struct rf_req *r, const char *const *allowed, struct rf_user_input *in,
                           struct rf_error *err)
{
    json_t *body;

    memset(in, 0, sizeof(*in));
    in->disabled = -1;
    if (rf_json_body(r, allowed, &body, err) != RF_OK)
        return RF_EINVAL;
    in->username = rf_json_str(body, "username", err);
    in->full_name = rf_json_str(body, "full_name", err);
    (void)rf_json_id(body, "unit_id", &in->unit_id, err);
    in->roles = rf_json_str_list(r, body, "roles", err);
    in->password = rf_json_str(body, "password", err);
    in->disabled = rf_json_bool(body, "disabled", err);
    return err->n ? RF_EINVAL : RF_OK;
}

enum MHD_Result rf_h_user_create(struct rf_req *r)
{
    static const char *const allowed[] = {"username", "full_name", "unit_id",
                                          "roles",    "password",  NULL};
    struct rf_user_input in;
    struct rf_user u;
    struct rf_error err;
    int rc;

    rf_error_init(&err);
    if (read_user_input(r, allowed, &in, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    rc = rf_app_user_create(r->app, &r->actor, &in, &u, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_user(r, MHD_HTTP_CREATED, &u);
}

enum MHD_Result rf_h_user_update(struct rf_req *r)
{
    static const char *const allowed[] = {"full_name", "unit_id",  "roles",
                                          "password",  "disabled", NULL};
    struct rf_user_input in;
    struct rf_user u;
    struct rf_error err;
    int rc;

    rf_error_init(&err);
    if (read_user_input(r, allowed, &in, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    rc = rf_app_user_update(r->app, &r->actor, r->params[0], &in, &u, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_user(r, MHD_HTTP_OK, &u);
}
