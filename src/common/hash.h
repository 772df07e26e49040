/*
 * A text's hash for picking a slot in a table kept in memory (FNV-1a,
 * 64 bits): quick and well spread, never a secret's protection; the keys
 * are then compared in full.
 */
#ifndef RF_HASH_H
#define RF_HASH_H

#include <stdint.h>

/* The FNV-1a hash of the NUL-terminated 'text'. */
uint64_t rf_hash_text(const char *text);

#endif
