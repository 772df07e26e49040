/*
 * The server's state, shared by server.c and the handlers that need it.
 */
#ifndef RF_SERVER_INT_H
#define RF_SERVER_INT_H

#include "http.h"
#include "../common/netaddr.h"

#include <pthread.h>

#define RF_MAX_TRUSTED_PROXIES 32

/* The UI's files that may be served, sorted ("/app.js", "/pages/tasks.js"). */
struct rf_static_files {
    char **files;
    int n;
};

struct rf_server {
    struct rf_app *app;
    struct rf_http_config cfg;
    struct MHD_Daemon *daemon;
    pthread_mutex_t later_lock; /* guards each request's 'later' state, 'waiting', 'stopping' */
    pthread_cond_t later_done;  /* a change is ready, or its answer given */
    int waiting;                /* connections suspended for a change, till answered */
    int stopping;               /* from now on a change is waited for, its connection kept */
    struct rf_cidr trusted[RF_MAX_TRUSTED_PROXIES]; /* proxies whose X-Forwarded-For is believed */
    int ntrusted;
    struct rf_conns *conns;
    struct rf_static_files files;
};

/*
 * Free what request 'r' owns: its body, the JSON read from it and its arena.
 * The struct itself is the caller's. Accepts NULL; 'r' may be cleaned again.
 */
void rf_req_cleanup(struct rf_req *r);

/* The server's settings while it serves (set before it listens, cleared once it stopped). */
extern const struct rf_http_config *rf_http_serving;

/* ---- reply.c ---- */

/* The security headers, HSTS with 'hsts', and no-store with 'api'. */
void rf_reply_security_headers(struct MHD_Response *resp, int hsts, int api);
/*
 * A problem answer (no field errors) with an API answer's headers, for a
 * request that reached no handler; NULL when out of memory.
 */
struct MHD_Response *rf_reply_bare_problem(unsigned status, const char *detail, int hsts);

/* ---- static.c ---- */

/* List the UI's files under 'root' (see static.c for which). */
void rf_static_load(const char *root, struct rf_static_files *list);
/* Free the list's names and leave it empty. */
void rf_static_cleanup(struct rf_static_files *list);
/* Answer a GET of a UI file (a path outside the API). */
enum MHD_Result rf_serve_static(struct rf_req *r);

/* ---- conns.c: connections per address, and the first head's deadline ---- */

struct rf_conns;
/*
 * Allow at most 'per_address' connections at once from one address (not
 * counting the 'n' trusted proxies), and shut down a connection that has
 * sent no whole request head within 'head_seconds' of opening. Starts a
 * thread; rf_conns_free (after the daemon stopped) ends it.
 */
struct rf_conns *rf_conns_new(int per_address, int head_seconds, const struct rf_cidr *trusted,
                              int n);
/* Stop the thread and free '*c', setting it to NULL; accepts NULL and a NULL '*c'. */
void rf_conns_free(struct rf_conns **c);
/*
 * libmicrohttpd's accept policy (MHD_NO refuses a connection over its
 * address's limit) and connection notification (counts a connection while it
 * is open), with the rf_conns as 'cls'.
 */
enum MHD_Result rf_conns_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
void rf_conns_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code);

/* A request head has arrived on 'conn': its deadline no longer applies. */
void rf_conns_head_done(struct rf_conns *c, struct MHD_Connection *conn);

/* ---- route.c ---- */

/*
 * Whether 'path' matches 'pattern' (route.c); on a match the "{}" segments go
 * to r->params (the first RF_MAX_PATH_PARAMS), their count to r->nparams, and
 * the "{key}" segment to r->key. Returns 1 or 0; a path that does not match
 * may leave r->params and r->key written.
 */
int rf_route_match(const char *pattern, const char *path, struct rf_req *r);

#endif
