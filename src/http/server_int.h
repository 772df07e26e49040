/*
 * The server's state, shared by server.c and the handlers that need it.
 */
#ifndef RF_SERVER_INT_H
#define RF_SERVER_INT_H

#include "http.h"

#include <pthread.h>

struct rf_server {
    struct rf_app *app;
    struct rf_http_config cfg;
    struct MHD_Daemon *daemon;
    pthread_mutex_t later_lock; /* guards each request's 'later' state, 'waiting', 'stopping' */
    pthread_cond_t later_done;  /* a change is ready, or its answer given */
    int waiting;                /* connections suspended for a change, till answered */
    int stopping;               /* from now on a change is waited for, its connection kept */
};

/*
 * Whether 'path' matches 'pattern' (route.c); on a match the "{}" segments go
 * to r->params (the first RF_MAX_PATH_PARAMS), their count to r->nparams, and
 * the "{key}" segment to r->key. Returns 1 or 0; a path that does not match
 * may leave r->params and r->key written.
 */
int rf_route_match(const char *pattern, const char *path, struct rf_req *r);

#endif
