/*
 * What the fuzz harnesses that reach the database share (rig.c, mhd.c): the
 * demo province in a throwaway SQLite database, the demo users' actors, and
 * requests that run the server's real handlers without a socket.
 *
 * A request here is what libmicrohttpd would hand the server after reading
 * it from a connection: a method, a path, query arguments, headers and a
 * body. mhd.c stands in for the few libmicrohttpd calls the handlers make
 * (header and argument lookup, building and queueing the answer, suspending
 * a receipt's connection); everything after that is the product's own code.
 * Each answer is checked as a client would read it (rf_fuzz_req_run).
 */
#ifndef RF_FUZZ_RIG_H
#define RF_FUZZ_RIG_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "http/server_int.h"

#define RF_FUZZ_MAX_ARGS 32
#define RF_FUZZ_MAX_HEADERS 16

struct rf_fuzz_pair {
    char *name;
    char *value; /* NULL for an argument without '=' */
};

/* libmicrohttpd's connection, as far as the handlers see it. */
struct MHD_Connection {
    struct rf_fuzz_pair args[RF_FUZZ_MAX_ARGS];
    int nargs;
    struct rf_fuzz_pair headers[RF_FUZZ_MAX_HEADERS];
    int nheaders;
    char *query; /* the arguments' decoded names and values point into this copy */
    /* the answer queued */
    int answered;
    unsigned status;
    char *body;
    size_t body_len;
    char *content_type;
    /* a receipt's connection, suspended until the writer has its change on disk */
    pthread_mutex_t lock;
    pthread_cond_t resumed_cond;
    int suspended, resumed;
};

/* A request and its connection. */
struct rf_fuzz_req {
    struct rf_req r;
    struct MHD_Connection conn;
};

/* Print what went wrong and abort: a finding. */
void rf_fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * The application on the throwaway demo database, opened on first use: the
 * demo province with its units, users, task book, procedures and some
 * generated dossiers. The database lives in a temporary folder removed at
 * exit. Changes the requests make stay in it: it is a throwaway copy.
 */
struct rf_app *rf_fuzz_app(void);

/*
 * The actor of demo user 'username' (admin, secretariat, clerk.hcc, ...),
 * signed in with its demo password at set-up, or NULL for a name that is
 * not a demo user.
 */
const struct rf_actor *rf_fuzz_actor(const char *username);

/*
 * A request 'method' 'path' with the query string 'query' (NULL for none,
 * decoded as libmicrohttpd decodes it) and the body 'body' of 'len' bytes,
 * by 'actor' (NULL: nobody signed in) from the address 'client'. The
 * Content-Type is application/json. Strings are copied.
 */
void rf_fuzz_req_init(struct rf_fuzz_req *q, const char *method, const char *path,
                      const char *query, const void *body, size_t len, const struct rf_actor *actor,
                      const char *client);
void rf_fuzz_req_cleanup(struct rf_fuzz_req *q);

/*
 * Run handler 'fn' on the request as the server would once it has matched
 * the route (a receipt's answer once the writer resumes it), and check its
 * answer: exactly one, a status that is not 5xx (DESIGN.md: bad input is a
 * 4xx), a JSON body that parses when the type says JSON, an RFC 9457 body
 * with "status" equal to the status for a problem. Returns the status; fails
 * (rf_fuzz_fail) otherwise. With RF_FUZZ_SHOW in the environment, each
 * request and the start of its answer are printed (to write seeds).
 */
unsigned rf_fuzz_req_run(struct rf_fuzz_req *q, rf_handler fn);

/*
 * A list's answer, {"items": [{...}, ...], "next": ...}, read without building
 * it: the first member of each item (its key: "id", "seq" or "code") to
 * 'item', as name and text (a string's without its quotes); "next" as text
 * into 'next' ("null" for null), '*next_quoted' when it is a string. Returns 1
 * for a list, 0 for an answer that is none (no "items" or no "next" at its top:
 * a unit's tree has items but no pages), -1 for a list whose items are not
 * objects that start with a scalar.
 */
typedef void (*rf_fuzz_item_fn)(void *ctx, const char *name, const char *value);
int rf_fuzz_list_read(const char *body, size_t len, rf_fuzz_item_fn item, void *ctx, char next[32],
                      int *next_quoted);

/* The route table of src/http/server.c, read from it at build time (fuzz/routes.cmake). */
struct rf_fuzz_route {
    const char *method;
    const char *pattern;
    rf_handler fn;
    int auth; /* needs a signed-in actor */
};
extern const struct rf_fuzz_route rf_fuzz_routes[];
extern const int rf_fuzz_nroutes;

/*
 * The route for 'method' and 'path' as the server's dispatch finds it (the
 * first whose pattern matches and whose method is the same, HEAD taking a
 * GET route), its parameters written into 'r'; NULL when none.
 */
const struct rf_fuzz_route *rf_fuzz_route_find(const char *method, const char *path,
                                               struct rf_req *r);

#endif
