/*
 * Fuzz harness: list cursors (DESIGN.md: lists take ?limit=&cursor= and
 * answer a "next" cursor). The input is a request line as for fuzz_route,
 * "GET URL [USER]", for a list: units, users, audit, documents, tasks,
 * procedures, dossiers, with any filters and any limit and cursor, by the
 * demo user named (secretariat when absent).
 *
 * The list handler runs as the server runs it (rig.c), and then the harness
 * follows the "next" cursors as a client would, up to MAX_PAGES pages, each
 * request the same but for its cursor. Pages are of at most MAX_LIMIT items
 * (an input without a limit that small is refused): a page of a thousand
 * costs a thousand items' JSON, and its cursor works as a small page's does;
 * limits themselves, to 1000 and beyond, are fuzz_route's. What must hold,
 * besides the rig's checks of every answer:
 *   - a list answers {"items": [...], "next": null or "N"}, N a positive id;
 *   - the items come in the order of their key ("id", or "seq" for the
 *     audit), each past the cursor asked for, and "next" is the key of the
 *     last one;
 *   - a cursor the server gave is accepted (200), and its page starts after
 *     the one that gave it: no item seen twice (dossiers show their code, not
 *     their key: they are told apart by code).
 * Reads change nothing, so the pages meet the same data.
 */
#include "rig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 2048
#define MAX_PAGES 3
#define MAX_LIMIT 50 /* pages of up to 50 items: their cursors work as a thousand's do */
#define MAX_SEEN (MAX_PAGES * MAX_LIMIT)

/* The query with the cursor 'next' first (it wins over any other cursor given). */
static void with_cursor(const char *query, const char *next, char *out, size_t size)
{
    snprintf(out, size, "cursor=%s%s%s", next, query && *query ? "&" : "", query ? query : "");
}

static int64_t positive(const char *text)
{
    char *end;
    long long v;

    if (!text || !*text || *text < '1' || *text > '9')
        return -1;
    errno = 0;
    v = strtoll(text, &end, 10);
    return errno || *end ? -1 : (int64_t)v;
}

/* The codes of the items seen on the pages followed (for lists that show no key). */
struct seen {
    char *codes[MAX_SEEN];
    int n;
};

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No code twice; frees them. */
static void check_seen(struct seen *s, const char *url)
{
    qsort(s->codes, (size_t)s->n, sizeof(s->codes[0]), by_text);
    for (int i = 1; i < s->n; i++)
        if (strcmp(s->codes[i - 1], s->codes[i]) == 0)
            rf_fuzz_fail("%s: item '%s' seen twice", url, s->codes[i]);
    for (int i = 0; i < s->n; i++)
        free(s->codes[i]);
    s->n = 0;
}

/* What a page's items say, as they are read. */
struct page_read {
    const char *path, *query;
    int64_t last; /* the key of the last item, or the cursor asked for */
    int n;
    struct seen *seen;
};

static void item_read(void *ctx, const char *name, const char *value)
{
    struct page_read *p = ctx;
    int64_t key;

    p->n++;
    if (strcmp(name, "code") == 0) {
        if (p->seen->n < MAX_SEEN)
            p->seen->codes[p->seen->n++] = rf_xstrdup(value);
        return;
    }
    if (strcmp(name, "id") != 0 && strcmp(name, "seq") != 0)
        rf_fuzz_fail("GET %s?%s: an item that starts with '%s', not its id, seq or code", p->path,
                     p->query, name);
    key = positive(value);
    if (key <= 0)
        rf_fuzz_fail("GET %s?%s: an item keyed '%s'", p->path, p->query, value);
    /* keys only grow, from page to page too: none is seen twice */
    if (key <= p->last)
        rf_fuzz_fail("GET %s?%s: item %lld after %lld: out of order or before the cursor", p->path,
                     p->query, (long long)key, (long long)p->last);
    p->last = key;
}

/*
 * One page: run it, check it, and return its "next" cursor (0: none, the
 * list ends or this is no list). 'after' is the cursor asked for (0: none).
 */
static int64_t page(const char *path, const char *query, const struct rf_fuzz_route *route,
                    const struct rf_actor *actor, int64_t after, int followed, struct seen *seen)
{
    struct page_read read = {path, query, after, 0, seen};
    struct rf_fuzz_req q;
    int64_t next_key = 0, keyed;
    char next[32];
    int quoted;

    rf_fuzz_req_init(&q, "GET", path, query, NULL, 0, actor, NULL);
    (void)rf_fuzz_route_find("GET", path, &q.r);
    if (rf_fuzz_req_run(&q, route->fn) != MHD_HTTP_OK) {
        if (followed)
            rf_fuzz_fail("GET %s?%s: the cursor the server gave is refused: %u %s", path, query,
                         q.conn.status, q.conn.body);
        goto out;
    }
    switch (rf_fuzz_list_read(q.conn.body, q.conn.body_len, item_read, &read, next, &quoted)) {
    case 0:
        goto out; /* no list */
    case -1:
        rf_fuzz_fail("GET %s?%s: a list whose items are not keyed objects: %.500s", path, query,
                     q.conn.body);
    }
    if (strcmp(next, "null") != 0 && (!quoted || (next_key = positive(next)) <= 0))
        rf_fuzz_fail("GET %s?%s: next cursor '%s'", path, query, next);
    keyed = read.last != after;
    if (next_key && keyed && next_key != read.last)
        rf_fuzz_fail("GET %s?%s: next is %lld, the last item %lld", path, query,
                     (long long)next_key, (long long)read.last);
    if (next_key && read.n == 0)
        rf_fuzz_fail("GET %s?%s: an empty page with a next cursor", path, query);
out:
    rf_fuzz_req_cleanup(&q);
    return next_key;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[MAX_LINE + 1], *url, *user, *query, next_query[MAX_LINE + 64], cursor[24];
    const struct rf_fuzz_route *route;
    const struct rf_actor *actor;
    struct rf_req probe;
    struct seen seen = {{0}, 0};
    int64_t next, after;

    if (size > MAX_LINE)
        return -1;
    memcpy(line, data, size);
    line[size] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    url = strncmp(line, "GET ", 4) == 0 ? line + 4 : line;
    user = strchr(url, ' ');
    if (user)
        *user++ = '\0';
    query = strchr(url, '?');
    if (query)
        *query++ = '\0';
    MHD_http_unescape(url);
    memset(&probe, 0, sizeof(probe));
    route = rf_fuzz_route_find("GET", url, &probe);
    if (!route || strcmp(route->method, "GET") != 0)
        return 0;
    actor = route->auth ? rf_fuzz_actor(user ? user : "secretariat") : NULL;
    if (route->auth && !actor)
        return 0;
    {
        /* the cursor and limit asked for, as the handlers read them: the first of each */
        struct rf_fuzz_req q;
        int64_t limit;
        rf_fuzz_req_init(&q, "GET", url, query, NULL, 0, NULL, NULL);
        after = positive(MHD_lookup_connection_value(&q.conn, MHD_GET_ARGUMENT_KIND, "cursor"));
        limit = positive(MHD_lookup_connection_value(&q.conn, MHD_GET_ARGUMENT_KIND, "limit"));
        rf_fuzz_req_cleanup(&q);
        if (limit < 1 || limit > MAX_LIMIT)
            return -1;
    }
    next = page(url, query ? query : "", route, actor, after > 0 ? after : 0, 0, &seen);
    for (int n = 1; next > 0 && n < MAX_PAGES; n++) {
        snprintf(cursor, sizeof(cursor), "%lld", (long long)next);
        with_cursor(query, cursor, next_query, sizeof(next_query));
        next = page(url, next_query, route, actor, next, 1, &seen);
    }
    check_seen(&seen, url);
    return 0;
}
