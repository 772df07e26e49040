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

#endif
