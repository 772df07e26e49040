/*
 * Documents and tasks over HTTP, and the steering committee's figures.
 */
#include "http.h"

#include <string.h>

static int add_document(void *ctx, const struct rf_document *d)
{
    struct rf_page *p = ctx;

    if (rf_page_next(p, d->id))
        return 1;
    rf_app_document_json(d, &p->items);
    return 0;
}

static int add_task(void *ctx, const struct rf_task *t, const char *status)
{
    struct rf_page *p = ctx;

    if (rf_page_next(p, t->id))
        return 1;
    rf_app_task_json(t, status, &p->items);
    return 0;
}

enum MHD_Result rf_h_documents_list(struct rf_req *r)
{
    struct rf_error err;
    struct rf_page o;
    int64_t cursor;

    rf_error_init(&err);
    (void)rf_page_init(r, &o, &cursor, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    if (rf_app_documents_list(r->app, &r->actor, rf_query(r, "q"), cursor, o.limit + 1,
                              add_document, &o, &err) != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}

enum MHD_Result rf_h_document_get(struct rf_req *r)
{
    struct rf_error err;
    struct rf_document d;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_document_get(r->app, &r->actor, r->params[0], &d, &err) != RF_OK)
        return rf_reply_error(r, &err);
    rf_app_document_json(&d, &b);
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

enum MHD_Result rf_h_document_create(struct rf_req *r)
{
    static const char *const allowed[] = {"number", "issuer",         "issued_on",
                                          "title",  "assigning_body", NULL};
    struct rf_document_input in;
    struct rf_document d;
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    in.number = rf_json_str(body, "number", &err);
    in.issuer = rf_json_str(body, "issuer", &err);
    in.issued_on = rf_json_str(body, "issued_on", &err);
    in.title = rf_json_str(body, "title", &err);
    in.assigning_body = rf_json_str(body, "assigning_body", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_document_create(r->app, &r->actor, &in, &d, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    rf_app_document_json(&d, &b);
    return rf_reply_json_take(r, MHD_HTTP_CREATED, &b);
}

static const char *const task_fields[] = {
    "document_id",        "ref",   "title",       "assigning_body", "lead_unit_id",
    "coordinating_units", "field", "assigned_on", "deadline",       NULL};

/* Read one task object into 'in'; coordinating ids go to the request's arena. */
static int read_task(struct rf_req *r, json_t *obj, const char *prefix, struct rf_task_input *in,
                     struct rf_error *err)
{
    const char *key;
    json_t *value, *coord;
    size_t i;

    memset(in, 0, sizeof(*in));
    json_object_foreach(obj, key, value)
    {
        int known = 0;
        for (const char *const *a = task_fields; *a && !known; a++)
            known = strcmp(*a, key) == 0;
        if (!known)
            rf_error_set(err, RF_EINVAL, key, "unknown_field", "unknown field '%s%s'", prefix, key);
    }
    (void)rf_json_id(obj, "document_id", &in->document_id, err);
    in->ref = rf_json_str_opt(obj, "ref", err);
    in->title = rf_json_str(obj, "title", err);
    in->assigning_body = rf_json_str(obj, "assigning_body", err);
    (void)rf_json_id(obj, "lead_unit_id", &in->lead_unit_id, err);
    in->field = rf_json_str(obj, "field", err);
    in->assigned_on = rf_json_str_opt(obj, "assigned_on", err); /* absent: the document's date */
    in->deadline = rf_json_str_opt(obj, "deadline", err);       /* absent: a standing task */
    coord = json_object_get(obj, "coordinating_units");
    if (coord && !json_is_null(coord)) {
        int64_t *ids;
        if (!json_is_array(coord) || json_array_size(coord) > 32) {
            rf_error_set(err, RF_EINVAL, "coordinating_units", "type",
                         "'coordinating_units' is an array of at most 32 unit ids");
            return RF_EINVAL;
        }
        ids = rf_arena_alloc(&r->arena, sizeof(*ids) * (json_array_size(coord) + 1));
        json_array_foreach(coord, i, value)
        {
            if (!json_is_integer(value)) {
                rf_error_set(err, RF_EINVAL, "coordinating_units", "type",
                             "'coordinating_units' is an array of unit ids");
                return RF_EINVAL;
            }
            if (json_integer_value(value) <= 0) {
                rf_error_set(err, RF_EINVAL, "coordinating_units", "range",
                             "'coordinating_units' holds ids, whole numbers from 1");
                return RF_EINVAL;
            }
            ids[i] = (int64_t)json_integer_value(value);
        }
        in->coordinating = ids;
        in->ncoordinating = (int)json_array_size(coord);
    }
    return err->n ? RF_EINVAL : RF_OK;
}

static enum MHD_Result reply_task(struct rf_req *r, unsigned status, int64_t id)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_task_get(r->app, &r->actor, id, NULL, &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_error(r, &err);
    }
    return rf_reply_json_take(r, status, &b);
}

/* The new task is on disk (or failed): its page. */
static enum MHD_Result task_answer(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_task_create_end(r->later_ctx, &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_CREATED, &b);
}

enum MHD_Result rf_h_task_create(struct rf_req *r)
{
    struct rf_task_input in;
    struct rf_task_creation *x;
    struct rf_error err;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, task_fields, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    if (read_task(r, body, "", &in, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    rc = rf_app_task_create_begin(r->app, &r->actor, &in, 1, NULL, rf_req_ready, r, &x, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return rf_req_later(r, task_answer, x); /* no thread waits for the disk */
}

/* POST /documents/{id}/tasks {"tasks":[...]}: all the document's tasks in one transaction. */
enum MHD_Result rf_h_document_tasks_create(struct rf_req *r)
{
    static const char *const allowed[] = {"tasks", NULL};
    struct rf_task_input *in;
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    json_t *body, *list, *item;
    int64_t *ids;
    size_t i, n;
    int rc;

    rf_error_init(&err);
    {
        struct rf_document d; /* the path names a document the caller can see, or 404 */
        if (rf_app_document_get(r->app, &r->actor, r->params[0], &d, &err) != RF_OK)
            return rf_reply_error(r, &err);
    }
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    list = json_object_get(body, "tasks");
    n = json_is_array(list) ? json_array_size(list) : 0;
    if (n == 0 || n > 1000) {
        rf_error_set(&err, RF_EINVAL, "tasks", "type", "'tasks' is an array of 1 to 1000 tasks");
        return rf_reply_body_error(r, &err);
    }
    in = rf_arena_alloc(&r->arena, sizeof(*in) * n);
    ids = rf_arena_alloc(&r->arena, sizeof(*ids) * n);
    json_array_foreach(list, i, item)
    {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "tasks[%zu].", i);
        if (!json_is_object(item)) {
            rf_error_set(&err, RF_EINVAL, "tasks", "type", "'tasks' holds objects");
            break;
        }
        {
            int from = err.n;
            int bad = read_task(r, item, prefix, &in[i], &err);
            rf_json_prefix(&err, from, prefix); /* name the field with the task's place */
            if (bad != RF_OK)
                break;
        }
        if (in[i].document_id && in[i].document_id != r->params[0]) {
            /* another document than the path's is a malformed request (documented 400) */
            rf_error_set(&err, RF_EINVAL, "document_id", "mismatch",
                         "the tasks belong to the document of the path");
            return rf_reply_bad_input(r, &err);
        }
        in[i].document_id = r->params[0];
    }
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_tasks_create(r->app, &r->actor, in, (int)n, ids, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    rf_buf_adds(&b, "{\"ids\":[");
    for (i = 0; i < n; i++) {
        if (i)
            rf_buf_addc(&b, ',');
        rf_buf_addi(&b, ids[i]);
    }
    rf_buf_adds(&b, "]}");
    return rf_reply_json_take(r, MHD_HTTP_CREATED, &b);
}

struct list_key {
    char *at, *end;
};

static enum MHD_Result add_arg(void *ctx, enum MHD_ValueKind kind, const char *name,
                               const char *value)
{
    struct list_key *k = ctx;
    int n;

    (void)kind;
    if (!k->at)
        return MHD_NO;
    if (!value)
        value = "";
    /* lengths first: no name or value can pass for another's pair */
    n = snprintf(k->at, (size_t)(k->end - k->at), "%zu:%s%zu:%s", strlen(name), name, strlen(value),
                 value);
    if (n < 0 || n >= k->end - k->at) {
        k->at = NULL; /* too long to keep */
        return MHD_NO;
    }
    k->at += n;
    return MHD_YES;
}

/*
 * The key of a list's answer: the caller's province, scope and roles, today
 * (the default date of the statuses) and the query as sent. Answers are kept
 * only when they succeed, so a kept key is always a valid query. 0 when the
 * query is too long to keep.
 */
static int list_key(struct rf_req *r, char *key, size_t size)
{
    struct list_key k;
    char today[RF_DATE_LEN];
    int n;

    rf_app_today(r->app, today);
    n = snprintf(key, size, "tasks %lld %lld %u %s ", (long long)r->actor.province_id,
                 (long long)r->actor.scope_unit_id, r->actor.roles, today);
    if (n < 0 || (size_t)n >= size)
        return 0;
    k.at = key + n;
    k.end = key + size;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &k);
    return k.at != NULL;
}

enum MHD_Result rf_h_tasks_list(struct rf_req *r)
{
    struct rf_task_list_query q;
    struct rf_error err;
    struct rf_page o;
    struct rf_buf b = RF_BUF_INIT;
    int64_t cursor, document, lead, version = -1;
    enum MHD_Result ret;
    char key[1024];

    rf_error_init(&err);
    /* a list is the same for everyone of the same scope until the province's data changes */
    if (rf_app_allow(&r->actor, RF_ACT_TASK_READ, &err) != RF_OK)
        return rf_reply_error(r, &err);
    if (list_key(r, key, sizeof(key)) && rf_app_data_version(r->app, &version) != RF_OK)
        version = -1;
    if (rf_kept_send(r, key, version, &ret))
        return ret;
    (void)rf_page_init(r, &o, &cursor, &err);
    (void)rf_query_int(r, "document", 1, INT64_MAX, 0, &document, &err);
    (void)rf_query_int(r, "lead_unit", 1, INT64_MAX, 0, &lead, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    memset(&q, 0, sizeof(q));
    q.date = rf_query(r, "date");
    q.status = rf_query(r, "status");
    {
        int64_t due;
        if (rf_query_int(r, "due", 0, 1, 0, &due, &err) != RF_OK)
            return rf_reply_bad_input(r, &err);
        q.due = (int)due;
    }
    q.document_id = document;
    q.lead_unit_id = lead;
    q.field = rf_query(r, "field");
    q.assigning_body = rf_query(r, "assigning_body");
    q.assigned_from = rf_query(r, "assigned_from");
    q.assigned_to = rf_query(r, "assigned_to");
    q.deadline_from = rf_query(r, "deadline_from");
    q.deadline_to = rf_query(r, "deadline_to");
    q.text = rf_query(r, "q");
    q.after_id = cursor;
    q.limit = o.limit + 1;
    if (rf_app_tasks_list(r->app, &r->actor, &q, add_task, &o, &err) != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    rf_page_finish(&o, &b);
    return rf_kept_reply_take(r, key, version, &b);
}

enum MHD_Result rf_h_task_get(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_task_get(r->app, &r->actor, r->params[0], rf_query(r, "date"), &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

enum MHD_Result rf_h_task_update(struct rf_req *r)
{
    static const char *const allowed[] = {"title", "field", "lead_unit_id", NULL};
    struct rf_task_input in;
    struct rf_error err;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    memset(&in, 0, sizeof(in));
    in.title = rf_json_str(body, "title", &err);
    in.field = rf_json_str(body, "field", &err);
    (void)rf_json_id(body, "lead_unit_id", &in.lead_unit_id, &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_task_update(r->app, &r->actor, r->params[0], &in, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_task(r, MHD_HTTP_OK, r->params[0]);
}

enum MHD_Result rf_h_task_report(struct rf_req *r)
{
    static const char *const allowed[] = {"reported_on", "percent", "note", NULL};
    struct rf_error err;
    json_t *body;
    const char *on, *note;
    int64_t percent;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    on = rf_json_str(body, "reported_on", &err);
    note = rf_json_str(body, "note", &err);
    /* any integer (absent or null: -1): the use case refuses one out of 0..100 after the
       task's scope, so a task out of scope answers 404 whatever the body, as a missing one */
    (void)rf_json_int(body, "percent", INT64_MIN, INT64_MAX, -1, &percent, &err);
    if (percent < 0 || percent > 100)
        percent = percent < 0 ? -1 : 101;
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_task_report(r->app, &r->actor, r->params[0], on, (int)percent, note, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_task(r, MHD_HTTP_CREATED, r->params[0]);
}

enum MHD_Result rf_h_task_complete(struct rf_req *r)
{
    static const char *const allowed[] = {"completed_on", NULL};
    struct rf_error err;
    json_t *body;
    const char *on;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    on = rf_json_str(body, "completed_on", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_task_complete(r->app, &r->actor, r->params[0], on, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_task(r, MHD_HTTP_OK, r->params[0]);
}

enum MHD_Result rf_h_task_extend(struct rf_req *r)
{
    static const char *const allowed[] = {"deadline", "reason", "decided_on", NULL};
    struct rf_error err;
    json_t *body;
    const char *deadline, *reason, *decided_on;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    deadline = rf_json_str_opt(body, "deadline", &err); /* absent or null: a standing task */
    reason = rf_json_str(body, "reason", &err);
    decided_on = rf_json_str_opt(body, "decided_on", &err); /* absent or null: today */
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_task_extend(r->app, &r->actor, r->params[0], deadline, reason, decided_on, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return reply_task(r, MHD_HTTP_OK, r->params[0]);
}

enum MHD_Result rf_h_task_stats(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    int64_t unit;

    rf_error_init(&err);
    if (rf_query_int(r, "unit", 1, INT64_MAX, 0, &unit, &err) != RF_OK)
        return rf_reply_bad_input(r, &err);
    if (rf_app_task_stats(r->app, &r->actor, rf_query(r, "period"), rf_query(r, "as_of"), unit,
                          rf_query(r, "assigning_body"), &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

struct reminders_out {
    struct rf_buf b;
    int64_t unit;   /* the lead unit being written, 0 before the first */
    int in_overdue; /* inside the unit's "overdue" array, else "due_soon" */
    int first_in_list;
};

static int add_reminder(void *ctx, const struct rf_unit *lead, const struct rf_task *t, int overdue)
{
    struct reminders_out *o = ctx;

    if (o->unit != t->lead_unit_id) {
        if (o->unit)
            rf_buf_adds(&o->b, o->in_overdue ? "],\"due_soon\":[]}," : "]},");
        rf_buf_adds(&o->b, "{\"unit_id\":");
        rf_buf_addi(&o->b, t->lead_unit_id);
        rf_buf_adds(&o->b, ",\"code\":");
        rf_buf_add_json_str(&o->b, t->lead_unit_code);
        rf_buf_adds(&o->b, ",\"name\":");
        rf_buf_add_json_str(&o->b, lead->id ? lead->name : t->lead_unit_code);
        rf_buf_adds(&o->b, ",\"overdue\":[");
        o->unit = t->lead_unit_id;
        o->in_overdue = 1;
        o->first_in_list = 1;
    }
    if (o->in_overdue && !overdue) {
        rf_buf_adds(&o->b, "],\"due_soon\":[");
        o->in_overdue = 0;
        o->first_in_list = 1;
    }
    if (!o->first_in_list)
        rf_buf_addc(&o->b, ',');
    o->first_in_list = 0;
    rf_app_task_json(t, overdue ? "overdue" : "in_progress", &o->b);
    return 0;
}

enum MHD_Result rf_h_task_reminders(struct rf_req *r)
{
    struct reminders_out o;
    struct rf_buf out = RF_BUF_INIT;
    struct rf_error err;
    char due_by[RF_DATE_LEN];
    int64_t within, unit;

    rf_error_init(&err);
    (void)rf_query_int(r, "within", 0, 366, 5, &within, &err);
    (void)rf_query_int(r, "unit", 1, INT64_MAX, 0, &unit, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    memset(&o, 0, sizeof(o));
    if (rf_app_task_reminders(r->app, &r->actor, rf_query(r, "date"), (int)within, unit, due_by,
                              add_reminder, &o, &err) != RF_OK) {
        rf_buf_cleanup(&o.b);
        return rf_reply_read_error(r, &err);
    }
    if (o.unit)
        rf_buf_adds(&o.b, o.in_overdue ? "],\"due_soon\":[]}" : "]}");
    rf_buf_adds(&out, "{\"within_days\":");
    rf_buf_addi(&out, within);
    rf_buf_adds(&out, ",\"due_by\":");
    rf_buf_add_json_str(&out, due_by);
    rf_buf_adds(&out, ",\"units\":[");
    rf_buf_add(&out, rf_buf_str(&o.b), o.b.len);
    rf_buf_adds(&out, "]}");
    rf_buf_cleanup(&o.b);
    return rf_reply_json_take(r, MHD_HTTP_OK, &out);
}
