/*
 * Units over HTTP: lists and the subtree as of a date, one unit with its
 * history, and the admin's changes.
 */
#include "http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LIMIT 100
#define MAX_LIMIT 1000

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
    return rf_reply_json(r, status, &b);
}

enum MHD_Result rf_h_units_list(struct rf_req *r)
{
    struct rf_unit_list_query q;
    struct rf_page o;
    struct rf_error err;
    int64_t limit, root, parent, depth, cursor;
    int rc;

    rf_error_init(&err);
    memset(&q, 0, sizeof(q));
    (void)rf_query_int(r, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, &limit, &err);
    (void)rf_query_int(r, "root", 1, INT64_MAX, 0, &root, &err);
    (void)rf_query_int(r, "parent", 1, INT64_MAX, 0, &parent, &err);
    (void)rf_query_int(r, "depth", 1, 16, 0, &depth, &err);
    (void)rf_query_int(r, "cursor", 1, INT64_MAX, 0, &cursor, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    q.date = rf_query(r, "date");
    q.root_id = root;
    q.parent_id = parent;
    q.depth = (int)depth;
    q.text = rf_query(r, "q");
    q.kind = rf_query(r, "kind");
    q.after_id = cursor;
    q.limit = (int)limit + 1;
    memset(&o, 0, sizeof(o));
    o.limit = (int)limit;
    rc = rf_app_units_list(r->app, &r->actor, &q, add_unit, &o, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page(r, &o);
}

/*
 * Answers of the subtree route are kept, ready to send, until the tree
 * changes: a province's whole tree is megabytes of JSON that would otherwise
 * be rebuilt for each request. A kept answer is served only after the
 * caller's session and scope are checked, like any other.
 */
#define TREE_CACHE 16

static struct tree_entry {
    int64_t province_id, root_id, version;
    int depth;
    char date[RF_DATE_LEN];
    struct MHD_Response *resp;
    uint64_t used;
} tree_cache[TREE_CACHE];
static uint64_t tree_clock;
static pthread_mutex_t tree_lock = PTHREAD_MUTEX_INITIALIZER;

/* A kept answer for the key, with a reference the caller must drop, or NULL. */
static struct MHD_Response *tree_lookup(int64_t province, int64_t root, int depth, const char *date,
                                        int64_t version)
{
    struct MHD_Response *found = NULL;

    pthread_mutex_lock(&tree_lock);
    for (int i = 0; i < TREE_CACHE; i++) {
        struct tree_entry *e = &tree_cache[i];
        if (e->resp && e->province_id == province && e->root_id == root && e->depth == depth &&
            e->version == version && strcmp(e->date, date) == 0) {
            e->used = ++tree_clock;
            found = e->resp;
            /* queued responses are reference counted by libmicrohttpd; keep ours alive
               while the caller queues it by taking the lock's word for it */
            break;
        }
    }
    if (!found)
        pthread_mutex_unlock(&tree_lock);
    return found; /* returned with the lock held when found */
}

static void tree_store(int64_t province, int64_t root, int depth, const char *date, int64_t version,
                       struct MHD_Response *resp)
{
    struct tree_entry *slot = &tree_cache[0];

    pthread_mutex_lock(&tree_lock);
    for (int i = 0; i < TREE_CACHE; i++) {
        struct tree_entry *e = &tree_cache[i];
        if (!e->resp) {
            slot = e;
            break;
        }
        if (e->version != version && e->province_id == province) {
            slot = e; /* an answer from an older tree is never served again */
            break;
        }
        if (e->used < slot->used)
            slot = e;
    }
    if (slot->resp)
        MHD_destroy_response(slot->resp);
    slot->province_id = province;
    slot->root_id = root;
    slot->depth = depth;
    slot->version = version;
    snprintf(slot->date, sizeof(slot->date), "%s", date);
    slot->resp = resp;
    slot->used = ++tree_clock;
    pthread_mutex_unlock(&tree_lock);
}

enum MHD_Result rf_h_unit_tree(struct rf_req *r)
{
    struct rf_unit_list_query q;
    struct rf_page o;
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    struct MHD_Response *resp;
    char date[RF_DATE_LEN];
    int64_t depth, version = 0;
    enum MHD_Result ret;
    size_t len;
    char *data;
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
    if (rf_app_units_version(r->app, &version) == RF_OK) {
        resp = tree_lookup(r->actor.province_id, q.root_id, q.depth, date, version);
        if (resp) {
            r->status = MHD_HTTP_OK;
            ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
            pthread_mutex_unlock(&tree_lock);
            return ret;
        }
    }

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
    data = rf_buf_detach(&b, &len);
    resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    rf_reply_headers(r, resp);
    MHD_add_response_header(resp, "Content-Type", "application/json");
    r->status = MHD_HTTP_OK;
    ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    if (version)
        tree_store(r->actor.province_id, q.root_id, q.depth, date, version, resp);
    else
        MHD_destroy_response(resp);
    return ret;
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
    return rf_reply_json(r, MHD_HTTP_OK, &b);
}

/* Read a unit body into 'in'; RF_EINVAL (answer 400) with the reason in 'err'. */
static int read_unit_input(struct rf_req *r, const char *const *allowed, json_t **body,
                           struct rf_unit_input *in, struct rf_error *err)
{
    memset(in, 0, sizeof(*in));
    in->generated = -1;
    if (rf_json_body(r, allowed, body, err) != RF_OK)
        return RF_EINVAL;
    in->code = rf_json_str(*body, "code", err);
    in->name = rf_json_str(*body, "name", err);
    in->kind = rf_json_str(*body, "kind", err);
    in->parent_id = rf_json_int(*body, "parent_id", err);
    in->valid_from = rf_json_str(*body, "valid_from", err);
    in->valid_to = rf_json_str(*body, "valid_to", err);
    in->generated = rf_json_bool(*body, "generated", err);
    return err->n ? RF_EINVAL : RF_OK;
}

enum MHD_Result rf_h_unit_create(struct rf_req *r)
{
    static const char *const allowed[] = {"code",       "name",     "kind",      "parent_id",
                                          "valid_from", "valid_to", "generated", NULL};
    struct rf_unit_input in;
    struct rf_unit u;
    struct rf_error err;
    json_t *body = NULL;
    int rc;

    rf_error_init(&err);
    if (read_unit_input(r, allowed, &body, &in, &err) != RF_OK) {
        json_decref(body);
        return rf_reply_bad_input(r, &err);
    }
    rc = rf_app_unit_create(r->app, &r->actor, &in, &u, &err);
    json_decref(body);
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
    json_t *body = NULL;
    int rc;

    rf_error_init(&err);
    if (read_unit_input(r, allowed, &body, &in, &err) != RF_OK) {
        json_decref(body);
        return rf_reply_bad_input(r, &err);
    }
    rc = rf_app_unit_update(r->app, &r->actor, r->params[0], &in, &u, &err);
    json_decref(body);
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
        return rf_reply_bad_input(r, &err);
    parent = rf_json_int(body, "parent_id", &err);
    from = rf_json_str(body, "from", &err);
    if (err.n) {
        json_decref(body);
        return rf_reply_bad_input(r, &err);
    }
    rc = rf_app_unit_move(r->app, &r->actor, r->params[0], parent, from, &u, &err);
    json_decref(body);
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
        return rf_reply_bad_input(r, &err);
    date = rf_json_str(body, "date", &err);
    successor = rf_json_int(body, "successor_id", &err);
    if (err.n) {
        json_decref(body);
        return rf_reply_bad_input(r, &err);
    }
    rc = rf_app_unit_end(r->app, &r->actor, r->params[0], date, successor, &u, &err);
    json_decref(body);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_unit(r, MHD_HTTP_OK, &u);
}
