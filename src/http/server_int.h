/*
 * The server's state, shared by server.c and the handlers that need it.
 */
#ifndef RF_SERVER_INT_H
#define RF_SERVER_INT_H

#include "http.h"

struct rf_server {
    struct rf_app *app;
    struct rf_http_config cfg;
    struct MHD_Daemon *daemon;
};

#endif
