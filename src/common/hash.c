/*
 * A text's hash for picking a slot (hash.h).
 */
#include "hash.h"

uint64_t rf_hash_text(const char *text)
{
    uint64_t h = 14695981039346656037ULL;

    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}
