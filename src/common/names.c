/*
 * Names from a fixed list (names.h).
 */
#include "names.h"

#include <stdio.h>
#include <string.h>

#define NAME_MAX_BYTES 32

int rf_names_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int rf_names_bits(const char *list, int (*lookup)(const char *), const char *field, unsigned *out,
                  struct rf_error *err)
{
    const char *p = list;

    *out = 0;
    while (p && *p) {
        char name[NAME_MAX_BYTES];
        size_t len = strcspn(p, ",");
        int i;
        snprintf(name, sizeof(name), "%.*s", (int)(len < sizeof(name) ? len : sizeof(name) - 1), p);
        i = len < sizeof(name) ? lookup(name) : -1;
        if (i < 0 || i >= 32)
            return rf_error_set(err, RF_EINVAL, field, "enum", "unknown %s '%s'", field, name);
        *out |= 1u << i;
        p += len + (p[len] == ',');
    }
    return RF_OK;
}
