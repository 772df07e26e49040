/*
 * Fuzz harness: JSON request bodies through the validation of every endpoint
 * that takes one.
 *
 * The input is a request: a first line "METHOD URL [USER]" as for fuzz_route
 * (the demo user who sends it; admin when absent), then the body. The route
 * is found in the server's own table (read from src/http/server.c at build
 * time) as its dispatch finds it, so every change the server routes (sign-in,
 * tokens, units, users, documents, tasks and their reports, receipts and the
 * moves of dossiers, the calendar and the working hours) is reached by the
 * seed that names it, and a route added later by a seed of its own. Its
 * handler then runs as the server would run it once the body is read
 * (rig.c): rf_json_body's limits and known fields, the handler's reading of
 * each field (src/http), and the use case's checks of roles, scope and
 * values (src/app), against the demo province, down to the change itself.
 * A receipt, which the server answers once the writer has it on disk, is
 * answered the same way here. No socket and no libmicrohttpd are involved:
 * the handler reads its request from the rig and leaves its answer there.
 *
 * The database is a throwaway copy of the demo province, set up once: a
 * change that passes is written, as the server would write it, and stays.
 * The seeds name the demo's units, tasks and dossiers by their ids and
 * codes; those that change them move on (a task completed, a dossier handed
 * over), and from then on the same input meets its next state, the 409s and
 * 422s of an already moved record, which are worth fuzzing too.
 *
 * What must hold, besides the rig's checks of every answer (one answer,
 * never 5xx, JSON, RFC 9457 problems; DESIGN.md): bad input (400, 422) names
 * what is wrong in "errors", and an answer of 400 or more changes nothing:
 * the province's data version (its audit chain) has not moved.
 */
#include "rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 512
#define MAX_BODY 8192 /* the largest seed, a document's tasks, has 1.5 KB */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned requests;
    char line[MAX_LINE + 1], *method, *url, *user, *query, client[32];
    const uint8_t *eol = memchr(data, '\n', size);
    size_t line_len = eol ? (size_t)(eol - data) : size;
    const struct rf_fuzz_route *route;
    const struct rf_actor *actor = NULL;
    struct rf_fuzz_req q;
    struct rf_req probe;
    int64_t before, after;
    unsigned status;

    if (line_len > MAX_LINE || size - line_len > MAX_BODY + 1)
        return -1;
    memcpy(line, data, line_len);
    line[line_len] = '\0';
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
    MHD_http_unescape(url);
    memset(&probe, 0, sizeof(probe));
    route = rf_fuzz_route_find(method, url, &probe);
    if (!route || strcmp(route->method, "GET") == 0)
        return 0; /* reads are fuzz_route's */
    if (route->auth && !(actor = rf_fuzz_actor(user ? user : "admin")))
        return 0; /* not a demo user: the server would answer 401 before any handler */
    /* each request from an address of its own, as the public's would come */
    requests++;
    snprintf(client, sizeof(client), "10.%u.%u.%u", (requests >> 16) & 255, (requests >> 8) & 255,
             requests & 255);
    rf_fuzz_req_init(&q, method, url, query, eol ? eol + 1 : NULL, eol ? size - line_len - 1 : 0,
                     actor, client);
    (void)rf_fuzz_route_find(method, url, &q.r);
    if (rf_app_data_version(q.r.app, &before) != RF_OK)
        rf_fuzz_fail("cannot read the data version");
    status = rf_fuzz_req_run(&q, route->fn);
    if (rf_app_data_version(q.r.app, &after) != RF_OK)
        rf_fuzz_fail("cannot read the data version");
    /* a refused request writes nothing, but for what is audited on purpose: a failed sign-in,
       a wrong current password (one record each, with the attempt counters) */
    if (status >= 400 && after != before &&
        !(after == before + 1 && ((status == 401 && strcmp(url, "/api/v1/session") == 0) ||
                                  (status == 422 && strcmp(url, "/api/v1/session/password") == 0 &&
                                   strstr(q.conn.body, "\"code\":\"wrong\"")))))
        rf_fuzz_fail("%s %s: %u, but the data version moved from %lld to %lld: %s", method, url,
                     status, (long long)before, (long long)after, q.conn.body);
    if ((status == 400 || status == 422) && !strstr(q.conn.body, "\"errors\":[{"))
        rf_fuzz_fail("%s %s: %u names nothing: %s", method, url, status, q.conn.body);
    rf_fuzz_req_cleanup(&q);
    return 0;
}
