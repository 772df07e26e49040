/*
 * The audit trail over HTTP, for admins and the secretariat: newest chain
 * records of the caller's province, filtered by entity.
 */
#include "http.h"
#include "../core/date.h"

#include <string.h>

static void add_json_or_null(struct rf_buf *b, const char *json)
{
    if (json)
        rf_buf_adds(b, json);
    else
        rf_buf_adds(b, "null");
}

static int add_record(void *ctx, const struct rf_audit_row *row)
{
    struct rf_page *p = ctx;
    struct rf_buf *o = &p->items;
    const struct rf_audit_record *rec = &row->rec;
    char at[21];

    if (rf_page_next(p, rec->seq))
        return 1;
    rf_instant_format(rec->at, at);
    rf_buf_adds(o, "{\"seq\":");
    rf_buf_addi(o, rec->seq);
    rf_buf_adds(o, ",\"at\":");
    rf_buf_add_json_str(o, at);
    rf_buf_adds(o, ",\"actor_id\":");
    rf_buf_addi(o, rec->actor_id);
    rf_buf_adds(o, ",\"actor\":");
    rf_buf_add_json_str(o, rec->actor);
    rf_buf_adds(o, ",\"action\":");
    rf_buf_add_json_str(o, rec->action);
    rf_buf_adds(o, ",\"entity\":");
    rf_buf_add_json_str(o, rec->entity);
    rf_buf_adds(o, ",\"entity_id\":");
    rf_buf_add_json_str(o, rec->entity_id);
    rf_buf_adds(o, ",\"before\":");
    add_json_or_null(o, rec->before);
    rf_buf_adds(o, ",\"after\":");
    add_json_or_null(o, rec->after);
    rf_buf_adds(o, ",\"via\":");
    if (rec->via)
        rf_buf_add_json_str(o, rec->via);
    else
        rf_buf_adds(o, "null");
    rf_buf_adds(o, ",\"prev_hash\":");
    rf_buf_add_json_str(o, rec->prev_hash);
    rf_buf_adds(o, ",\"hash\":");
    rf_buf_add_json_str(o, row->hash);
    rf_buf_addc(o, '}');
    return 0;
}

enum MHD_Result rf_h_audit_list(struct rf_req *r)
{
    struct rf_audit_filter f;
    struct rf_page o;
    struct rf_error err;
    int64_t cursor;
    int rc;

    rf_error_init(&err);
    (void)rf_page_init(r, &o, &cursor, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    memset(&f, 0, sizeof(f));
    f.entity = rf_query(r, "entity");
    f.entity_id = rf_query(r, "entity_id");
    f.after_seq = cursor;
    f.limit = o.limit + 1;
    rc = rf_app_audit_list(r->app, &r->actor, &f, add_record, &o, &err);
    if (rc != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}
