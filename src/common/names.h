/*
 * Names from a fixed list, as query parameters and CSV columns give them:
 * one name, or several joined by commas ("done_on_time,done_late").
 */
#ifndef RF_NAMES_H
#define RF_NAMES_H

#include "err.h"

/* The index of 'name' in the NULL-terminated 'names', or -1 when absent. */
int rf_names_index(const char *const *names, const char *name);
/*
 * The names of the comma list 'list' as the bits of their indexes by
 * 'lookup' (an index below 32, or -1 for an unknown name) into '*out' (0 for
 * NULL or ""). RF_OK, or RF_EINVAL naming 'field' and the first unknown name
 * in 'err' (a validator: the caller may collect problems and look once).
 */
int rf_names_bits(const char *list, int (*lookup)(const char *), const char *field, unsigned *out,
                  struct rf_error *err);

#endif
