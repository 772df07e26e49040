/*
 * The answers libmicrohttpd writes itself. A few malformed requests are
 * answered by the library before any handler sees them: a request line or a
 * head beyond its buffer (414, 431), a malformed Content-Length or chunk (400,
 * 413), an HTTP version it does not speak (505). It builds those answers with
 * an HTML body and none of Reform's headers, and 0.9.75 has no option to
 * change them; it does queue them through its exported MHD_queue_response.
 *
 * So the reform binary defines MHD_queue_response and exports it (the link
 * option in CMakeLists.txt): the dynamic linker binds the library's own calls
 * to this one, as it binds every other caller's. An answer of 400 or more
 * without Reform's headers is the library's own, and goes out as a problem
 * document with the headers every answer carries; everything else goes on to
 * the library's function untouched. The file is linked into the binary alone,
 * never into a library: the fuzz harnesses answer MHD_queue_response
 * themselves. tests/api/security.test.mjs sends each such request and checks
 * the answer, so a library that stopped calling through its symbol table
 * fails there.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_NEXT */
#endif
#include "server_int.h"

#include "../common/log.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);

static queue_fn library_queue;
static pthread_once_t found = PTHREAD_ONCE_INIT;

static void find_library_queue(void)
{
    library_queue = (queue_fn)dlsym(RTLD_NEXT, "MHD_queue_response");
    if (!library_queue) {
        rf_log_error("libmicrohttpd's MHD_queue_response is not found: %s", dlerror());
        abort();
    }
}

static const char *detail_of(unsigned status)
{
    switch (status) {
    case MHD_HTTP_BAD_REQUEST:
        return "the request is malformed: its request line, a header, its Content-Length or a "
               "chunk of its body";
    case MHD_HTTP_CONTENT_TOO_LARGE:
        return "the request's Content-Length is beyond any body the server takes";
    case MHD_HTTP_URI_TOO_LONG:
        return "the request line is longer than the server reads";
    case MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE:
        return "the request's header fields are longer than the server reads";
    case MHD_HTTP_HTTP_VERSION_NOT_SUPPORTED:
        return "the server speaks HTTP/1.0 and HTTP/1.1";
    }
    return "the server could not take the request";
}

static void log_answer(struct MHD_Connection *conn, unsigned status, const char *detail)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    char peer[INET6_ADDRSTRLEN] = "-";

    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof(peer));
    rf_log_info("%s - - %u (before a handler: %s)", peer, status, detail);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *conn, unsigned int status,
                                   struct MHD_Response *resp)
{
    const struct rf_http_config *cfg = rf_http_serving;
    struct MHD_Response *ours;
    enum MHD_Result ret;
    const char *detail;

    pthread_once(&found, find_library_queue);
    if (status < 400 || !resp || MHD_get_response_header(resp, "X-Content-Type-Options"))
        return library_queue(conn, status, resp);
    detail = detail_of(status);
    ours = rf_reply_bare_problem(status, detail, cfg && cfg->cookie_secure);
    if (!ours) /* out of memory: the library's answer is better than none */
        return library_queue(conn, status, resp);
    if (cfg && !cfg->quiet)
        log_answer(conn, status, detail);
    ret = library_queue(conn, status, ours);
    MHD_destroy_response(ours);
    return ret;
}
