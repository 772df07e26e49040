/*
 * Allocation helpers and the request arena.
 */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "reform: out of memory allocating %zu bytes\n", n);
    abort();
}

void *rf_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *rf_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *rf_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *rf_xstrdup(const char *s)
{
    return rf_xstrndup(s, strlen(s));
}

char *rf_xstrndup(const char *s, size_t n)
{
    char *p = rf_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

struct rf_arena_chunk {
    struct rf_arena_chunk *next;
    size_t used, size;
    max_align_t data[];
};

#define CHUNK_MIN 4096

void rf_arena_init(struct rf_arena *a)
{
    a->head = NULL;
}

void rf_arena_cleanup(struct rf_arena *a)
{
    struct rf_arena_chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}

void *rf_arena_alloc(struct rf_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    struct rf_arena_chunk *c = a->head;
    void *p;

    n = (n + align - 1) / align * align;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = rf_xmalloc(sizeof(*c) + size);
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

char *rf_arena_strdup(struct rf_arena *a, const char *s)
{
    return rf_arena_strndup(a, s, strlen(s));
}

char *rf_arena_strndup(struct rf_arena *a, const char *s, size_t n)
{
    char *p = rf_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
