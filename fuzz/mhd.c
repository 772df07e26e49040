/*
 * The libmicrohttpd calls the handlers make, answered without a socket: the
 * fuzz harnesses link these definitions ahead of the library, so a handler
 * reads the request's headers and query arguments from the struct
 * MHD_Connection of rig.h and its answer lands there. The server's own calls
 * (starting the daemon, serving files) are never made here and stay the
 * library's.
 *
 * Like libmicrohttpd, a response is counted: the cache (src/http/cache.c)
 * keeps one and queues it again for other requests, so queueing copies the
 * answer and destroying drops one reference. A header with a line break is
 * refused, as libmicrohttpd refuses it; here it is also a finding, since it
 * would drop a header the server meant to send.
 */
#include "rig.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct MHD_Response {
    char *data;
    size_t len;
    int owned; /* the data is freed with the response */
    int refs;
    char *content_type;
};

const char *MHD_lookup_connection_value(struct MHD_Connection *c, enum MHD_ValueKind kind,
                                        const char *key)
{
    if (!key)
        return NULL;
    if (kind & MHD_GET_ARGUMENT_KIND)
        for (int i = 0; i < c->nargs; i++)
            if (strcmp(c->args[i].name, key) == 0)
                return c->args[i].value;
    if (kind & MHD_HEADER_KIND)
        for (int i = 0; i < c->nheaders; i++)
            if (strcasecmp(c->headers[i].name, key) == 0)
                return c->headers[i].value;
    return NULL; /* no cookies: the harnesses act through their actors */
}

int MHD_get_connection_values(struct MHD_Connection *c, enum MHD_ValueKind kind,
                              MHD_KeyValueIterator iterator, void *iterator_cls)
{
    int n = 0;

    if (!(kind & MHD_GET_ARGUMENT_KIND))
        return 0;
    for (int i = 0; i < c->nargs; i++) {
        n++;
        if (iterator && iterator(iterator_cls, MHD_GET_ARGUMENT_KIND, c->args[i].name,
                                 c->args[i].value) != MHD_YES)
            break;
    }
    return n;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *resp;

    if (size && !buffer)
        return NULL;
    resp = rf_xcalloc(1, sizeof(*resp));
    resp->len = size;
    resp->refs = 1;
    if (mode == MHD_RESPMEM_MUST_COPY) {
        resp->data = rf_xmalloc(size ? size : 1);
        memcpy(resp->data, buffer, size);
        resp->owned = 1;
    } else {
        resp->data = buffer;
        resp->owned = mode == MHD_RESPMEM_MUST_FREE;
    }
    return resp;
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *resp, const char *header,
                                        const char *content)
{
    if (!header || !*header || !content || strpbrk(header, "\r\n:") || strpbrk(content, "\r\n"))
        rf_fuzz_fail("the answer's header '%s' is not one line: '%s'", header ? header : "(null)",
                     content ? content : "(null)");
    if (strcasecmp(header, "Content-Type") == 0) {
        free(resp->content_type);
        resp->content_type = rf_xstrdup(content);
    }
    return MHD_YES;
}

void MHD_destroy_response(struct MHD_Response *resp)
{
    if (!resp || --resp->refs > 0)
        return;
    if (resp->owned)
        free(resp->data);
    free(resp->content_type);
    free(resp);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status_code,
                                   struct MHD_Response *resp)
{
    if (c->answered)
        rf_fuzz_fail("a second answer (%u) to one request (%u)", status_code, c->status);
    c->answered = 1;
    c->status = status_code;
    c->body = rf_xmalloc(resp->len + 1);
    memcpy(c->body, resp->data, resp->len);
    c->body[resp->len] = '\0';
    c->body_len = resp->len;
    c->content_type = resp->content_type ? rf_xstrdup(resp->content_type) : NULL;
    return MHD_YES;
}

void MHD_suspend_connection(struct MHD_Connection *c)
{
    pthread_mutex_lock(&c->lock);
    if (c->suspended)
        rf_fuzz_fail("a connection suspended twice");
    c->suspended = 1;
    pthread_mutex_unlock(&c->lock);
}

void MHD_resume_connection(struct MHD_Connection *c)
{
    pthread_mutex_lock(&c->lock);
    if (!c->suspended || c->resumed)
        rf_fuzz_fail("a connection resumed without being suspended");
    c->resumed = 1;
    pthread_cond_broadcast(&c->resumed_cond);
    pthread_mutex_unlock(&c->lock);
}
