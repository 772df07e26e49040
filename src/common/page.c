/*
 * A page of a list being written (page.h).
 */
#include "page.h"

int rf_page_next(struct rf_page *p, int64_t key)
{
    if (p->limit && p->n == p->limit) {
        p->more = 1;
        return 1;
    }
    if (p->n++)
        rf_buf_addc(&p->items, ',');
    p->last_key = key;
    return 0;
}
