/*
 * The audit trail over HTTP, for admins and the secretariat: newest chain
 * records of the caller's province, filtered by entity.
 */
#include "http.h"
#include "../core/date.h"

#include <string.h>

struct audit_out {
    struct rf_buf items;
    int n, limit, more;
    int64_t last_seq;
};

static void add_json_or_null(struct rf_buf *b, const char *json)
{
    if (json)
        rf_buf_adds(b, json);
    else
        rf_buf_adds(b, "null");
}

static int add_record(void *ctx, const struct rf_audit_row *row)
{
    struct audit_out *o = ctx;
    const struct rf_audit_record *rec = &row->rec;
    char at[21];

    if (o->n == o->limit) {
        o->more = 1;
        return 1;
    }
    if (o->n++)
        rf_buf_addc(&o->items, ',');
    rf_instant_format(rec->at, at);
    rf_buf_adds(&o->items, "{\"seq\":");
    rf_buf_addi(&o->items, rec->seq);
    rf_buf_adds(&o->items, ",\"at\":");
    rf_buf_add_json_str(&o->items, at);
    rf_buf_adds(&o->items, ",\"actor_id\":");
    rf_buf_addi(&o->items, rec->actor_id);
    rf_buf_adds(&o->items, ",\"actor\":");
    rf_buf_add_json_str(&o->items, rec->actor);
    rf_buf_adds(&o->items, ",\"action\":");
    rf_buf_add_json_str(&o->items, rec->action);
    rf_buf_adds(&o->items, ",\"entity\":");
    rf_buf_add_json_str(&o->items, rec->entity);
    rf_buf_adds(&o->items, ",\"entity_id\":");
    rf_buf_add_json_str(&o->items, rec->entity_id);
    rf_buf_adds(&o->items, ",\"before\":");
    add_json_or_null(&o->items, rec->before);
    rf_buf_adds(&o->items, ",\"after\":");
    add_json_or_null(&o->items, rec->after);
    rf_buf_adds(&o->items, ",\"prev_hash\":");
    rf_buf_add_json_str(&o->items, rec->prev_hash);
    rf_buf_adds(&o->items, ",\"hash\":");
    rf_buf_add_json_str(&o->items, row->hash);
    rf_buf_addc(&o->items, '}');
    o->last_seq = rec->seq;
    return 0;
}

enum MHD_Result rf_h_audit_list(struct rf_req *r)
{
    struct rf_audit_filter f;
    struct audit_out o;
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    int64_t limit, cursor;
    int rc;

    rf_error_init(&err);
    (void)rf_query_int(r, "limit", 1, 1000, 100, &limit, &err);
    (void)rf_query_int(r, "cursor", 1, INT64_MAX, 0, &cursor, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    memset(&f, 0, sizeof(f));
    f.entity = rf_query(r, "entity");
    f.entity_id = rf_query(r, "entity_id");
    f.after_seq = cursor;
    f.limit = (int)limit + 1;
    memset(&o, 0, sizeof(o));
    o.limit = (int)limit;
    rc = rf_app_audit_list(r->app, &r->actor, &f, add_record, &o, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_error(r, &err);
    }
    rf_reply_list_wrap(&b, &o.items, o.more ? o.last_seq : 0);
    rf_buf_cleanup(&o.items);
    return rf_reply_json(r, MHD_HTTP_OK, &b);
}
