/*
 * Allocation that cannot fail (it aborts, as Redis and h2o do, so error paths
 * deal only with real failures) and a bump arena that a request owns.
 */
#ifndef RF_MEM_H
#define RF_MEM_H

#include <stddef.h>

/*
 * malloc, calloc, realloc, strdup and strndup (at most 'n' bytes of 's', and
 * a NUL) that never return NULL: out of memory, they print the size and
 * abort. A request of 0 bytes gets a block of 1. The caller frees with free().
 */
void *rf_xmalloc(size_t n);
void *rf_xcalloc(size_t n, size_t size);
void *rf_xrealloc(void *p, size_t n);
char *rf_xstrdup(const char *s);
char *rf_xstrndup(const char *s, size_t n);

struct rf_arena_chunk;

/* A request's memory: everything allocated from it goes at once. */
struct rf_arena {
    struct rf_arena_chunk *head;
};

/* Start 'a' empty: nothing is allocated before the first rf_arena_alloc(). */
void rf_arena_init(struct rf_arena *a);
/* Free every chunk; the arena stays usable. Accepts NULL. */
void rf_arena_cleanup(struct rf_arena *a);
/* 'n' bytes aligned for any type, valid until rf_arena_cleanup(). */
void *rf_arena_alloc(struct rf_arena *a, size_t n);
char *rf_arena_strdup(struct rf_arena *a, const char *s);
char *rf_arena_strndup(struct rf_arena *a, const char *s, size_t n);

#endif
