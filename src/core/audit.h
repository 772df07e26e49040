/*
 * The audit chain: each record's hash covers its fields and the hash of the
 * record before it (BLAKE2b-256), so altering, deleting, inserting or
 * reordering any record breaks the chain from there on.
 */
#ifndef RF_AUDIT_H
#define RF_AUDIT_H

#include <stdint.h>

#define RF_AUDIT_HASH_HEX 65 /* 64 hex digits and a NUL */

/* The previous hash of the first record in a province's chain. */
#define RF_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct rf_audit_record {
    int64_t seq; /* 1, 2, 3... within the province, no gaps */
    int64_t province_id;
    int64_t at;         /* seconds since the epoch, UTC */
    int64_t actor_id;   /* 0 for the system (migrations, imports by hand) */
    const char *actor;  /* user name at the time, or "system" */
    const char *action; /* "create", "update", "delete", "signin", ... */
    const char *entity; /* "unit", "user", ... */
    const char *entity_id;
    const char *before; /* JSON text or NULL */
    const char *after;  /* JSON text or NULL */
    char prev_hash[RF_AUDIT_HASH_HEX];
};

/* Hash 'r' (with its prev_hash) into 'out' as lowercase hex. */
void rf_audit_hash(const struct rf_audit_record *r, char out[RF_AUDIT_HASH_HEX]);

#endif
