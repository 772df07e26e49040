/*
 * Units over HTTP: lists and the subtree as of a date, one unit with its
 * history, and the admin's changes.
 */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_unit(void *ctx, const struct rf_unit *u)
{
    struct rf_page *p = ctx;

    if (rf_page_next(p, u->id))
        return 1;
    rf_app_unit_json(u, &p->items);
    return 0;
}

static enum MHD_Result reply_unit(struct rf_req *r, unsigned status, const struct rf_unit *u)
{
    struct rf_buf b = RF_BUF_INIT;

    rf_app_unit_json(u, &b);
    return rf_reply_json_take(r, status, &b);
}

enum MHD_Result rf_h_units_list(struct rf_req *r)
{
    struct rf_unit_list_query q;
    struct rf_page o;
    struct rf_error err;
    int64_t root, parent, depth, cursor;
    int rc;

    rf_error_init(&err);
    memset(&q, 0, sizeof(q));
    (void)rf_page_init(r, &o, &cursor, &err);
    (void)rf_query_int(r, "root", 1, INT64_MAX, 0, &root, &err);
    (void)rf_query_int(r, "parent", 1, INT64_MAX, 0, &parent, &err);
    (void)rf_query_int(r, "depth", 1, 16, 0, &depth, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    q.date = rf_query(r, "date");
    q.root_id = root;
    q.parent_id = parent;
    q.depth = (int)depth;
    q.text = rf_query(r, "q");
    q.kind = rf_query(r, "kind");
    q.after_id = cursor;
    q.limit = o.limit + 1;
    rc = rf_app_units_list(r->app, &r->actor, &q, add_unit, &o, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}

/*
 * The subtree route: a province's whole tree is megabytes of JSON that would
 * otherwise be rebuilt for each request, so its answers are kept until the
 * tree changes (cache.c), after the caller's session and scope are checked.
 */
enum MHD_Result rf_h_unit_tree(struct rf_req *r)
{
    struct rf_unit_list_query q;
    struct rf_page o;
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    char date[RF_DATE_LEN], key[160];
    int64_t depth, version;
    enum MHD_Result ret;
    int rc;

    rf_error_init(&err);
    if (rf_query_int(r, "depth", 1, 16, 0, &depth, &err) != RF_OK)
        return rf_reply_bad_input(r, &err);
    memset(&q, 0, sizeof(q));
    q.date = rf_query(r, "date");
    q.root_id = r->params[0];
    q.depth = (int)depth;
    rc = rf_app_unit_visible(r->app, &r->actor, q.root_id, q.date, &err);
    if (rc != RF_OK) {
        return rf_reply_read_error(r, &err);
    }
    if (q.date)
        snprintf(date, sizeof(date), "%s", q.date);
    else
        rf_app_today(r->app, date);
    snprintf(key, sizeof(key), "tree %lld %lld %d %s", (long long)r->actor.province_id,
             (long long)q.root_id, q.depth, date);
    if (rf_app_units_version(r->app, &version) != RF_OK)
        version = -1;
    if (rf_kept_send(r, key, version, &ret))
        return ret;

    memset(&o, 0, sizeof(o));
    rc = rf_app_units_list(r->app, &r->actor, &q, add_unit, &o, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_error(r, &err);
    }
    rf_buf_adds(&b, "{\"root_id\":");
    rf_buf_addi(&b, r->params[0]);
    rf_buf_adds(&b, ",\"date\":");
    rf_buf_add_json_str(&b, date);
    rf_buf_adds(&b, ",\"items\":[");
    rf_buf_add(&b, rf_buf_str(&o.items), o.items.len);
    rf_buf_adds(&b, "]}");
    rf_buf_cleanup(&o.items);
    return rf_kept_reply_take(r, key, version, &b);
}

enum MHD_Result rf_h_unit_get(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    int rc;

    rf_error_init(&err);
    rc = rf_app_unit_get(r->app, &r->actor, r->params[0], rf_query(r, "date"), &b, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

/* Read a unit body into 'in'; RF_EINVAL with the reason in 'err' (rf_reply_body_error). */
static int read_unit_input(struct rf_req *r, const char *const *allowed, struct rf_unit_input *in,
                           struct rf_error *err)
{
    json_t *body;

    memset(in, 0, sizeof(*in));
    in->generated = -1;
    if (rf_json_body(r, allowed, &body, err) != RF_OK)
        return RF_EINVAL;
    in->code = rf_json_str(body, "code", err);
    in->name = rf_json_str(body, "name", err);
    in->kind = rf_json_str(body, "kind", err);
    (void)rf_json_id(body, "parent_id", &in->parent_id, err);
    in->valid_from = rf_json_str(body, "valid_from", err);
    in->valid_to = rf_json_str_opt(body, "valid_to", err); /* absent or null: open-ended */
    in->generated = rf_json_bool(body, "generated", err);
    return err->n ? RF_EINVAL : RF_OK;
}

enum MHD_Result rf_h_unit_create(struct rf_req *r)
{
    static const char *const allowed[] = {"code",       "name",     "kind",      "parent_id",
                                          "valid_from", "valid_to", "generated", NULL};
    struct rf_unit_input in;
    struct rf_unit u;
    struct rf_error err;
    int rc;

    rf_error_init(&err);
    if (read_unit_input(r, allowed, &in, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    rc = rf_app_unit_create(r->app, &r->actor, &in, &u, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_unit(r, MHD_HTTP_CREATED, &u);
}

enum MHD_Result rf_h_unit_update(struct rf_req *r)
{
    static const char *const allowed[] = {"name", "kind", "generated", NULL};
    struct rf_unit_input in;
    struct rf_unit u;
    struct rf_error err;
    int rc;

    rf_error_init(&err);
    if (read_unit_input(r, allowed, &in, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    rc = rf_app_unit_update(r->app, &r->actor, r->params[0], &in, &u, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_unit(r, MHD_HTTP_OK, &u);
}

enum MHD_Result rf_h_unit_move(struct rf_req *r)
{
    static const char *const allowed[] = {"parent_id", "from", NULL};
    struct rf_unit u;
    struct rf_error err;
    const char *from;
    int64_t parent;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    (void)rf_json_id(body, "parent_id", &parent, &err);
    from = rf_json_str(body, "from", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_unit_move(r->app, &r->actor, r->params[0], parent, from, &u, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_unit(r, MHD_HTTP_OK, &u);
}

enum MHD_Result rf_h_unit_end(struct rf_req *r)
{
    static const char *const allowed[] = {"date", "successor_id", NULL};
    struct rf_unit u;
    struct rf_error err;
    const char *date;
    int64_t successor;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    date = rf_json_str(body, "date", &err);
    (void)rf_json_id(body, "successor_id", &successor, &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_unit_end(r->app, &r->actor, r->params[0], date, successor, &u, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_unit(r, MHD_HTTP_OK, &u);
}
