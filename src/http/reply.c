/*
 * Answers: the one place where an rf_err becomes an HTTP status, and where
 * every answer gets its security headers. Errors are RFC 9457 problem
 * documents with the field errors in "errors".
 */
#include "http.h"
#include "server_int.h"

#include <stdarg.h>
#include <string.h>

unsigned rf_http_status(int code)
{
    switch (code) {
    case RF_OK:
        return MHD_HTTP_OK;
    case RF_ENOTFOUND:
        return MHD_HTTP_NOT_FOUND;
    case RF_EINVAL:
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case RF_ECONFLICT:
        return MHD_HTTP_CONFLICT;
    case RF_EFORBIDDEN:
        return MHD_HTTP_FORBIDDEN;
    case RF_EAUTH:
        return MHD_HTTP_UNAUTHORIZED;
    case RF_ELIMIT:
        return MHD_HTTP_TOO_MANY_REQUESTS;
    case RF_ETOOBIG:
        return MHD_HTTP_CONTENT_TOO_LARGE;
    case RF_EMEDIA:
        return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
    default:
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    }
}

void rf_reply_security_headers(struct MHD_Response *resp, int hsts, int api)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                            "base-uri 'self'; form-action 'self'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    /* served over TLS (the Secure cookie says so): browsers are to come back only that way */
    if (hsts)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    if (api)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
}

void rf_reply_headers(struct rf_req *r, struct MHD_Response *resp)
{
    rf_reply_security_headers(resp, r->srv->cfg.cookie_secure, strncmp(r->path, "/api/", 5) == 0);
}

static enum MHD_Result reply_v(struct rf_req *r, unsigned status, const char *type,
                               struct rf_buf *body, va_list ap)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    const char *name;
    size_t len = 0;
    char *data = NULL;

    if (body && body->data)
        data = rf_buf_detach(body, &len);
    if (r->gone) { /* the client left while its change was written: nobody to answer */
        free(data);
        r->status = status;
        return MHD_NO;
    }
    resp = MHD_create_response_from_buffer(len, data ? data : (char *)"",
                                           data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    rf_reply_headers(r, resp);
    if (type && len)
        MHD_add_response_header(resp, "Content-Type", type);
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        MHD_add_response_header(resp, name, value);
    }
    r->status = status;
    ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result rf_reply_with_take(struct rf_req *r, unsigned status, const char *type,
                                   struct rf_buf *body, ...)
{
    enum MHD_Result ret;
    va_list ap;

    va_start(ap, body);
    ret = reply_v(r, status, type, body, ap);
    va_end(ap);
    return ret;
}

enum MHD_Result rf_reply_take(struct rf_req *r, unsigned status, const char *type,
                              struct rf_buf *body)
{
    return rf_reply_with_take(r, status, type, body, RF_HEADERS_END);
}

enum MHD_Result rf_reply_json_take(struct rf_req *r, unsigned status, struct rf_buf *body)
{
    return rf_reply_take(r, status, "application/json", body);
}

static const char *title_of(unsigned status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 414:
        return "URI Too Long";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    }
    return "Error";
}

enum MHD_Result rf_reply_problem(struct rf_req *r, unsigned status, const struct rf_error *err)
{
    return rf_reply_problem_with(r, status, err, RF_HEADERS_END, RF_HEADERS_END);
}

enum MHD_Result rf_reply_problem_with(struct rf_req *r, unsigned status, const struct rf_error *err,
                                      const char *header, const char *value)
{
    struct rf_buf b = RF_BUF_INIT;
    int n = err ? err->n : 0;

    rf_buf_adds(&b, "{\"type\":\"about:blank\",\"title\":");
    rf_buf_add_json_str(&b, title_of(status));
    rf_buf_adds(&b, ",\"status\":");
    rf_buf_addi(&b, status);
    rf_buf_adds(&b, ",\"detail\":");
    rf_buf_add_json_str(&b, n ? err->item[0].message : title_of(status));
    rf_buf_adds(&b, ",\"errors\":[");
    for (int i = 0; i < n; i++) {
        const struct rf_error_item *it = &err->item[i];
        rf_buf_adds(&b, i ? ",{\"field\":" : "{\"field\":");
        rf_buf_add_json_str(&b, it->field[0] ? it->field : NULL);
        rf_buf_adds(&b, ",\"code\":");
        rf_buf_add_json_str(&b, it->code);
        rf_buf_adds(&b, ",\"message\":");
        rf_buf_add_json_str(&b, it->message);
        rf_buf_addc(&b, '}');
    }
    rf_buf_adds(&b, "]}");
    if (header)
        return rf_reply_with_take(r, status, "application/problem+json", &b, header, value,
                                  RF_HEADERS_END);
    return rf_reply_take(r, status, "application/problem+json", &b);
}

struct MHD_Response *rf_reply_bare_problem(unsigned status, const char *detail, int hsts)
{
    struct MHD_Response *resp;
    struct rf_buf b = RF_BUF_INIT;
    size_t len;
    char *data;

    rf_buf_adds(&b, "{\"type\":\"about:blank\",\"title\":");
    rf_buf_add_json_str(&b, title_of(status));
    rf_buf_adds(&b, ",\"status\":");
    rf_buf_addi(&b, status);
    rf_buf_adds(&b, ",\"detail\":");
    rf_buf_add_json_str(&b, detail);
    rf_buf_adds(&b, ",\"errors\":[]}");
    data = rf_buf_detach(&b, &len);
    resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        return NULL;
    }
    rf_reply_security_headers(resp, hsts, 1);
    MHD_add_response_header(resp, "Content-Type", "application/problem+json");
    return resp;
}

enum MHD_Result rf_reply_bad_input(struct rf_req *r, const struct rf_error *err)
{
    if (err && err->n && err->code == RF_EMEDIA)
        return rf_reply_problem(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, err);
    return rf_reply_problem(r, MHD_HTTP_BAD_REQUEST, err);
}

enum MHD_Result rf_reply_body_error(struct rf_req *r, const struct rf_error *err)
{
    if (!err || !err->n || err->code == RF_EMEDIA || rf_json_malformed(err))
        return rf_reply_bad_input(r, err);
    return rf_reply_error(r, err);
}

enum MHD_Result rf_reply_read_error(struct rf_req *r, const struct rf_error *err)
{
    if (err && err->n && err->code == RF_EINVAL)
        return rf_reply_bad_input(r, err);
    return rf_reply_error(r, err);
}

enum MHD_Result rf_reply_error(struct rf_req *r, const struct rf_error *err)
{
    int code = err && err->n ? err->code : RF_ESTORE;

    if (code == RF_EFULL) /* space comes back when an operator makes it: a minute is a guess */
        return rf_reply_problem_with(r, MHD_HTTP_SERVICE_UNAVAILABLE, err, "Retry-After", "60");
    return rf_reply_problem(r, rf_http_status(code), err);
}

int rf_page_init(struct rf_req *r, struct rf_page *p, int64_t *cursor, struct rf_error *err)
{
    int64_t limit;
    int rc = rf_query_int(r, "limit", 1, RF_LIST_MAX_LIMIT, RF_LIST_DEFAULT_LIMIT, &limit, err);

    memset(p, 0, sizeof(*p));
    p->limit = rc == RF_OK ? (int)limit : RF_LIST_DEFAULT_LIMIT;
    if (cursor && rf_query_int(r, "cursor", 1, INT64_MAX, 0, cursor, err) != RF_OK)
        rc = RF_EINVAL;
    return rc;
}

void rf_page_finish(struct rf_page *p, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"items\":[");
    rf_buf_add(out, rf_buf_str(&p->items), p->items.len);
    rf_buf_adds(out, "],\"next\":");
    if (p->more) {
        rf_buf_addc(out, '"');
        rf_buf_addi(out, p->last_key);
        rf_buf_addc(out, '"');
    } else {
        rf_buf_adds(out, "null");
    }
    rf_buf_addc(out, '}');
    rf_buf_cleanup(&p->items);
}

enum MHD_Result rf_reply_page_take(struct rf_req *r, struct rf_page *p)
{
    struct rf_buf out = RF_BUF_INIT;

    rf_page_finish(p, &out);
    return rf_reply_json_take(r, MHD_HTTP_OK, &out);
}
