/*
 * A page of a list being written, the one paging rule of every list: items
 * go into 'items', a read asks its source for one item past the page, and
 * meeting that item means there is a next page, which starts after the key
 * of the last item written.
 */
#ifndef RF_PAGE_H
#define RF_PAGE_H

#include <stdint.h>

#include "buf.h"

struct rf_page {
    struct rf_buf items; /* the items written so far, joined by ',' */
    int n;
    int limit;        /* items on the page; 0: no limit */
    int more;         /* an item past the page was met: there is a next page */
    int64_t last_key; /* the key of the last item written: the next page's cursor */
};

/*
 * Make room for one more item keyed 'key': returns 1 (stop: the page is
 * full, and 'more' is set) or 0 after adding the separator; the caller then
 * writes the item into p->items.
 */
int rf_page_next(struct rf_page *p, int64_t key);

#endif
