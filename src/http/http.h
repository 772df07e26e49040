/*
 * The HTTP server: libmicrohttpd with its internal epoll thread pool, one
 * route table, JSON in and out, RFC 9457 problem answers. Handlers are thin:
 * they read the request, call one use case in src/app/, and answer.
 */
#ifndef RF_HTTP_H
#define RF_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

#include "../app/app.h"
#include "../common/buf.h"
#include "../common/mem.h"
#include "../common/page.h"

struct rf_http_config {
    const char *listen;          /* "HOST:PORT"; port 0 picks a free one */
    const char *web_root;        /* folder of the browser UI */
    int threads;                 /* 0: 4 per core */
    int cookie_secure;           /* add Secure to the session cookie (behind TLS) */
    int quiet;                   /* no request log */
    size_t max_body;             /* bytes; 0 for the default 1 MiB */
    const char *trusted_proxies; /* "CIDR[,CIDR]" whose X-Forwarded-For is believed, or NULL */
    int conns_per_address;       /* 0: the default (64) */
    int max_conns;               /* 0: the default (8192, within the open-file limit) */
    int head_seconds;            /* a connection's first request head in time; 0: 10 */
};

/*
 * Serve 'app' until SIGTERM or SIGINT, then stop cleanly. Prints the address
 * it listens on. Returns RF_OK, RF_EINVAL for a bad setting (logged), or
 * RF_EIO when it cannot listen.
 */
int rf_http_serve(struct rf_app *app, const struct rf_http_config *cfg) RF_MUST_CHECK;

/* ---- what handlers see ---- */

#define RF_MAX_PATH_PARAMS 4

struct rf_server;

struct rf_req {
    struct MHD_Connection *conn;
    struct rf_server *srv;
    struct rf_app *app;
    const char *method;
    const char *path;
    struct rf_buf body;
    json_t *json; /* the body as read by rf_json_body: the request's, freed with it */
    int too_big;
    int framing_bad; /* answered at its head (conflicting framing): the rest is ignored */
    int64_t params[RF_MAX_PATH_PARAMS]; /* the {id} segments of the path */
    int nparams;
    char key[64]; /* the {key} segment of the path: a dossier's code */
    struct rf_actor actor;
    int authed;
    char client[64]; /* the client's address, behind trusted proxies the one they name */
    int64_t started_us;
    unsigned status;
    struct rf_arena arena;
    /* a change under way: its answer, called once the change is ready */
    enum MHD_Result (*later)(struct rf_req *r);
    void *later_ctx;
    int later_state; /* 0, then RF_LATER_WAITING (suspended) or RF_LATER_READY */
    int gone;        /* closed before its answer: replies are dropped */
};

typedef enum MHD_Result (*rf_handler)(struct rf_req *r);

/* The states of a change answered later (r->later_state). */
enum { RF_LATER_WAITING = 1, RF_LATER_READY };

/*
 * A change that finishes on another thread (the database's writer) need not
 * hold a server thread while it waits for the disk: the handler queues it
 * with rf_req_ready as its callback and returns rf_req_later(r, answer, ctx).
 * The connection is suspended until rf_req_ready(r) is called, and then
 * 'answer' (r->later_ctx == ctx) replies on one of the server's threads;
 * rf_req_later then returns MHD_YES. If the change was ready before,
 * 'answer' replies at once and rf_req_later returns what it returns. 'ctx'
 * stays the caller's: 'answer' frees it.
 */
enum MHD_Result rf_req_later(struct rf_req *r, rf_handler answer, void *ctx);
void rf_req_ready(void *r);

/* ---- reply.c ---- */

/*
 * Every answer returns what libmicrohttpd's access handler returns: MHD_YES
 * once the answer is queued, MHD_NO when it could not be (out of memory; the
 * connection is then closed) or when the client of a change answered later
 * has left (r->gone). The functions named _take take the caller's buffer
 * 'body' whatever they return: it is left empty, and the caller frees
 * nothing.
 */

/* Answer 'status' with 'body' (taken; NULL or empty for no body) of type 'type'. */
enum MHD_Result rf_reply_take(struct rf_req *r, unsigned status, const char *type,
                              struct rf_buf *body);
/* Answer 'status' with the JSON 'body' (taken). */
enum MHD_Result rf_reply_json_take(struct rf_req *r, unsigned status, struct rf_buf *body);
/*
 * Answer as rf_reply_take() with extra header pairs: name, value, ...,
 * RF_HEADERS_END. The names and values are copied.
 */
#define RF_HEADERS_END ((const char *)NULL)
enum MHD_Result rf_reply_with_take(struct rf_req *r, unsigned status, const char *type,
                                   struct rf_buf *body, ...);
/* Add the headers every answer carries (security; no-store under /api/) to 'resp'. */
void rf_reply_headers(struct rf_req *r, struct MHD_Response *resp);
/* A problem+json answer for 'err' (may be NULL: 503), its status mapped from err->code. */
enum MHD_Result rf_reply_error(struct rf_req *r, const struct rf_error *err);
/* A problem+json answer for 'err' with a status of our choosing (400 for malformed input). */
enum MHD_Result rf_reply_problem(struct rf_req *r, unsigned status, const struct rf_error *err);
/* A problem answer with one extra header 'header': 'value' (NULL for none; copied). */
enum MHD_Result rf_reply_problem_with(struct rf_req *r, unsigned status, const struct rf_error *err,
                                      const char *header, const char *value);
/* Malformed input (query parameters): 415 for a body that is not JSON, else 400. */
enum MHD_Result rf_reply_bad_input(struct rf_req *r, const struct rf_error *err);
/*
 * A request body refused before its use case ran: 415 for a body that is not
 * JSON, 400 when its form is at fault (rf_json_malformed: malformed, an
 * unknown member, a wrong JSON type), else 422 as the use case would answer
 * a value that breaks a rule (an id of 0, "", a number out of range).
 */
enum MHD_Result rf_reply_body_error(struct rf_req *r, const struct rf_error *err);
/*
 * The answer to a failed read (GET): its input is query parameters, so an
 * RF_EINVAL is a bad request (400); other errors map as rf_reply_error().
 */
enum MHD_Result rf_reply_read_error(struct rf_req *r, const struct rf_error *err);
/* The HTTP status for an enum rf_err: RF_OK is 200, an unknown code 503. */
unsigned rf_http_status(int code);

/* Items on a page of a list: ?limit= from 1 to the most, the default when absent. */
#define RF_LIST_DEFAULT_LIMIT 100
#define RF_LIST_MAX_LIMIT 1000

/*
 * Start 'p' as an empty page of the size asked for by the "limit" query
 * parameter and, when 'cursor' is not NULL, read the "cursor" parameter into
 * it (the key the page starts after; 0 for the first page). RF_EINVAL naming
 * "limit" or "cursor" in 'err' when one is not a whole number in its range
 * (1 to RF_LIST_MAX_LIMIT; at least 1); 'p' is then a page of the default
 * size. Its items are released by rf_page_finish() or rf_reply_page_take().
 */
int rf_page_init(struct rf_req *r, struct rf_page *p, int64_t *cursor, struct rf_error *err);
/* Write {"items":[...],"next":...} to 'out' and release the page's items. */
void rf_page_finish(struct rf_page *p, struct rf_buf *out);
/* Answer 200 with the page as rf_page_finish() writes it; its items are taken. */
enum MHD_Result rf_reply_page_take(struct rf_req *r, struct rf_page *p);

/* ---- cache.c: answers kept ready to send until their data changes ---- */

/*
 * When an answer is kept for 'key' at 'version' (the version of the data it
 * depends on, read just now), queue it, set '*ret' and return 1; else 0. The
 * caller has checked the session, the role and the scope first.
 */
int rf_kept_send(struct rf_req *r, const char *key, int64_t version, enum MHD_Result *ret);
/*
 * Answer 200 with the JSON 'body' (taken) and keep it for 'key' (copied) at
 * 'version' (< 0, or 'key' NULL: not kept).
 */
enum MHD_Result rf_kept_reply_take(struct rf_req *r, const char *key, int64_t version,
                                   struct rf_buf *body);
/* Drop every kept answer (at shutdown). */
void rf_kept_clear(void);

/* ---- json_in.c: reading requests ---- */

#define RF_JSON_MAX_DEPTH 32

/*
 * Members are read so that no value passes for an absent or null member,
 * whose meaning each field documents (a default, none, unchanged): 0 or a
 * negative number is no id, and "" no optional string, each an error naming
 * the member. A required string may be "": the use case refuses it as
 * missing, together with the body's other faults.
 */

/*
 * The request body as a JSON object with only the keys in 'allowed' (NULL
 * terminated) into '*out'. RF_EMEDIA for a body that is not
 * application/json, RF_EINVAL with the reason (malformed, too deep, unknown
 * field, an integer beyond int64 named by its member) in 'err'; the caller
 * answers with rf_reply_body_error(). The object belongs to the request and
 * is freed with it (rf_req_cleanup), so '*out' and the strings read from it
 * stay valid until the answer is given; the handler frees nothing.
 */
int rf_json_body(struct rf_req *r, const char *const *allowed, json_t **out, struct rf_error *err);
/*
 * Whether 'err' holds a fault of the JSON's form (malformed, too deep, an
 * unknown member, a member of the wrong JSON type: 400) rather than only
 * values that break a rule (422).
 */
int rf_json_malformed(const struct rf_error *err);
/* Put 'prefix' before the field of the errors from index 'from' on: "days[2]." + "date". */
void rf_json_prefix(struct rf_error *err, int from, const char *prefix);
/* A string member or NULL when absent or null; a wrong type is an error in 'err'. */
const char *rf_json_str(json_t *obj, const char *key, struct rf_error *err);
/*
 * A string member that may be left out, NULL when absent or null; "" or a
 * wrong type is an error naming 'key' in 'err' (and NULL).
 */
const char *rf_json_str_opt(json_t *obj, const char *key, struct rf_error *err);
/*
 * An integer member in [min, max] into '*out', 'dflt' when absent or null.
 * RF_EINVAL naming 'key' in 'err' for another type or a number out of range.
 */
int rf_json_int(json_t *obj, const char *key, int64_t min, int64_t max, int64_t dflt, int64_t *out,
                struct rf_error *err);
/*
 * An id member into '*out': 0 when absent or null, else a whole number from
 * 1. RF_EINVAL naming 'key' in 'err' for 0, a negative number or another type.
 */
int rf_json_id(json_t *obj, const char *key, int64_t *out, struct rf_error *err);
/*
 * An array member of objects, each read into a C struct of its own: what
 * rf_json_objects() reads and how.
 */
struct rf_json_objects {
    const char *key;           /* the member: "days" */
    const char *item;          /* one item, in messages: "day" */
    const char *const *fields; /* the members an item may have, NULL terminated */
    size_t max;                /* items at most */
    size_t size;               /* bytes of the struct an item is read into */
    /* Read 'item' (an object of known members) into 'out'; its faults go to 'err'. */
    void (*read)(json_t *item, void *out, struct rf_error *err);
};

/*
 * The member spec->key of 'obj', an array of at most spec->max objects, read
 * into an array of '*n' structs of spec->size bytes in the request's arena
 * ('*out', zeroed before spec->read fills each; valid until the request
 * ends). An item's faults are named by its place ("days[2].date"), and the
 * first item at fault is the only one named. RF_EINVAL in 'err' for a member
 * that is absent, null or not such an array (named by spec->key), an item
 * that is not an object, an unknown member of an item ("unknown_field") or
 * a value spec->read refuses.
 */
int rf_json_objects(struct rf_req *r, json_t *obj, const struct rf_json_objects *spec, void **out,
                    size_t *n, struct rf_error *err) RF_MUST_CHECK;
/* A boolean member as 1 or 0, -1 when absent. */
int rf_json_bool(json_t *obj, const char *key, struct rf_error *err);
/* An array of strings joined by '|' into the request's arena, NULL when absent. */
const char *rf_json_str_list(struct rf_req *r, json_t *obj, const char *key, struct rf_error *err);

/* A query parameter, or NULL. */
const char *rf_query(struct rf_req *r, const char *name);
/*
 * A query parameter as an integer in [min, max], 'dflt' when absent.
 * RF_EINVAL naming it when not a number in range.
 */
int rf_query_int(struct rf_req *r, const char *name, int64_t min, int64_t max, int64_t dflt,
                 int64_t *out, struct rf_error *err);

/* ---- handlers, one file per module ---- */

/*
 * The handlers, each the route of server.c's table that names it, in
 * h_<module>.c. A handler reads the request (its path parameters, query and
 * JSON body, all the request's: it frees none of them), calls one use case
 * and answers through reply.c, returning what that returns (MHD_YES once an
 * answer is queued). The session, for a route that needs one, is checked
 * before the handler runs.
 */
enum MHD_Result rf_h_healthz(struct rf_req *r);
enum MHD_Result rf_h_openapi(struct rf_req *r);
enum MHD_Result rf_h_session_create(struct rf_req *r);
enum MHD_Result rf_h_session_get(struct rf_req *r);
enum MHD_Result rf_h_session_delete(struct rf_req *r);
enum MHD_Result rf_h_session_password(struct rf_req *r);
enum MHD_Result rf_h_token_create(struct rf_req *r);
enum MHD_Result rf_h_units_list(struct rf_req *r);
enum MHD_Result rf_h_unit_get(struct rf_req *r);
enum MHD_Result rf_h_unit_tree(struct rf_req *r);
enum MHD_Result rf_h_unit_create(struct rf_req *r);
enum MHD_Result rf_h_unit_update(struct rf_req *r);
enum MHD_Result rf_h_unit_move(struct rf_req *r);
enum MHD_Result rf_h_unit_end(struct rf_req *r);
enum MHD_Result rf_h_users_list(struct rf_req *r);
enum MHD_Result rf_h_user_get(struct rf_req *r);
enum MHD_Result rf_h_user_create(struct rf_req *r);
enum MHD_Result rf_h_user_update(struct rf_req *r);
enum MHD_Result rf_h_audit_list(struct rf_req *r);
enum MHD_Result rf_h_documents_list(struct rf_req *r);
enum MHD_Result rf_h_document_get(struct rf_req *r);
enum MHD_Result rf_h_document_create(struct rf_req *r);
enum MHD_Result rf_h_document_tasks_create(struct rf_req *r);
enum MHD_Result rf_h_tasks_list(struct rf_req *r);
enum MHD_Result rf_h_task_get(struct rf_req *r);
enum MHD_Result rf_h_task_create(struct rf_req *r);
enum MHD_Result rf_h_task_update(struct rf_req *r);
enum MHD_Result rf_h_task_report(struct rf_req *r);
enum MHD_Result rf_h_task_complete(struct rf_req *r);
enum MHD_Result rf_h_task_extend(struct rf_req *r);
enum MHD_Result rf_h_task_stats(struct rf_req *r);
enum MHD_Result rf_h_task_reminders(struct rf_req *r);
enum MHD_Result rf_h_calendar_year(struct rf_req *r);
enum MHD_Result rf_h_calendar_record(struct rf_req *r);
enum MHD_Result rf_h_calendar_hours(struct rf_req *r);
enum MHD_Result rf_h_calendar_due(struct rf_req *r);
enum MHD_Result rf_h_procedures_list(struct rf_req *r);
enum MHD_Result rf_h_procedure_get(struct rf_req *r);
enum MHD_Result rf_h_dossier_receive(struct rf_req *r);
enum MHD_Result rf_h_worklist(struct rf_req *r);
enum MHD_Result rf_h_dossiers_list(struct rf_req *r);
enum MHD_Result rf_h_dossier_stats(struct rf_req *r);
enum MHD_Result rf_h_dossier_get(struct rf_req *r);
enum MHD_Result rf_h_dossier_act(struct rf_req *r);
enum MHD_Result rf_h_dossier_lookup(struct rf_req *r);

/* The session cookie's Set-Cookie value for 'token' (NULL clears it), in the arena. */
const char *rf_session_cookie(struct rf_req *r, const char *token);

#endif
