/*
 * Fuzz harness: the request router and the query parameters of every read.
 *
 * The input is a request line, "METHOD URL [USER]": the method, the URL as a
 * client sends it (path and query string, percent-encoded) and, optionally,
 * the demo user who sends it (secretariat when absent). The path is decoded
 * as libmicrohttpd decodes it and matched against every pattern of the
 * server's route table (src/http/server.c, read at build time) with the
 * server's own matcher (rf_route_match, src/http/route.c). A match must say
 * exactly what the path says: the pattern with its "{}" ids and "{key}" code
 * filled in spells the path again, byte for byte, ids are positive and the
 * code is made of the characters a code may hold.
 *
 * The route found as the server's dispatch finds it, when it reads (GET or
 * HEAD), then runs with the query string as its arguments: this is where the
 * handlers parse limits, cursors, dates, periods, statuses and filters
 * (the handlers of src/http and the use cases of src/app). Reads change nothing, so every execution
 * meets the same demo province. The answer must pass the rig's checks
 * (rig.c: one answer, never 5xx, JSON that parses). Changes, which carry a
 * body, are fuzz_json's.
 */
#include "rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 2048

/* The pattern with r's parameters filled in, as a path. */
static void spell(const char *pattern, const struct rf_req *r, char *out, size_t size)
{
    size_t at = 0;
    int n = 0;

    while (*pattern && at + 1 < size) {
        if (strncmp(pattern, "{key}", 5) == 0) {
            at += (size_t)snprintf(out + at, size - at, "%s", r->key);
            pattern += 5;
        } else if (strncmp(pattern, "{}", 2) == 0) {
            at += (size_t)snprintf(out + at, size - at, "%lld", (long long)r->params[n++]);
            pattern += 2;
        } else {
            out[at++] = *pattern++;
        }
        if (at >= size)
            at = size - 1;
    }
    out[at] = '\0';
}

static void check_match(const struct rf_fuzz_route *route, const char *path)
{
    struct rf_req r;
    char again[MAX_LINE + 64];
    int ids = 0;

    memset(&r, 0, sizeof(r));
    if (!rf_route_match(route->pattern, path, &r))
        return;
    for (const char *p = route->pattern; (p = strstr(p, "{}")) != NULL; p += 2)
        ids++;
    if (r.nparams != (ids < RF_MAX_PATH_PARAMS ? ids : RF_MAX_PATH_PARAMS))
        rf_fuzz_fail("route %s: %d ids read from '%s', the pattern has %d", route->pattern,
                     r.nparams, path, ids);
    for (int i = 0; i < r.nparams; i++)
        if (r.params[i] <= 0)
            rf_fuzz_fail("route %s: id %lld read from '%s'", route->pattern, (long long)r.params[i],
                         path);
    if (strstr(route->pattern, "{key}")) {
        if (!r.key[0] || strspn(r.key, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-") != strlen(r.key))
            rf_fuzz_fail("route %s: code '%s' read from '%s'", route->pattern, r.key, path);
    }
    spell(route->pattern, &r, again, sizeof(again));
    if (strcmp(again, path) != 0)
        rf_fuzz_fail("route %s: '%s' matched, but its parameters spell '%s'", route->pattern, path,
                     again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[MAX_LINE + 1], *method, *url, *user, *query;
    const struct rf_fuzz_route *route;
    struct rf_fuzz_req q;
    struct rf_req probe;

    if (size > MAX_LINE)
        return -1;
    memcpy(line, data, size);
    line[size] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    method = line;
    url = strchr(line, ' ');
    if (!url)
        return 0;
    *url++ = '\0';
    user = strchr(url, ' ');
    if (user)
        *user++ = '\0';
    query = strchr(url, '?');
    if (query)
        *query++ = '\0';
    MHD_http_unescape(url); /* libmicrohttpd hands the server the decoded path */

    for (int i = 0; i < rf_fuzz_nroutes; i++)
        check_match(&rf_fuzz_routes[i], url);

    memset(&probe, 0, sizeof(probe));
    route = rf_fuzz_route_find(method, url, &probe);
    if (!route || strcmp(route->method, "GET") != 0)
        return 0;
    rf_fuzz_req_init(&q, method, url, query, NULL, 0,
                     route->auth ? rf_fuzz_actor(user ? user : "secretariat") : NULL, NULL);
    if (route->auth && !q.r.authed) {
        rf_fuzz_req_cleanup(&q);
        return 0; /* not a demo user: the server would answer 401 before any handler */
    }
    /* the parameters as the server's dispatch leaves them: matched again on this request */
    (void)rf_fuzz_route_find(method, url, &q.r);
    (void)rf_fuzz_req_run(&q, route->fn);
    rf_fuzz_req_cleanup(&q);
    return 0;
}
