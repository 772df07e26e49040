/*
 * The audit chain: each record's hash covers its fields and the hash of the
 * record before it, so altering, deleting, inserting or reordering any
 * record breaks the chain from there on. The hash is a MAC, BLAKE2b-256
 * keyed with the audit key, which is kept outside the database: whoever can
 * write the database but does not hold the key cannot write a record that
 * verifies, nor re-hash the chain after changing one. Records written before
 * the chain was keyed carry the plain BLAKE2b hash of version 1.
 *
 * A checkpoint (anchor) is the head of a chain, its sequence number and
 * hash, signed with Ed25519 and kept where the database's owner cannot
 * rewrite it: a chain that no longer holds a checkpointed record as it was,
 * or ends before it, was rewritten or cut.
 */
#ifndef RF_AUDIT_H
#define RF_AUDIT_H

#include <stdint.h>

#include "../common/err.h"

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
    const char *via;    /* "session 12", "token 7", or NULL (the system); MACed records only */
    char prev_hash[RF_AUDIT_HASH_HEX];
};

#define RF_AUDIT_KEY_BYTES 32
#define RF_AUDIT_KEY_ID_HEX 17 /* 16 hex digits and a NUL */

/*
 * Hash 'r' (with its prev_hash) into 'out' as lowercase hex: the MAC under
 * 'key' (RF_AUDIT_KEY_BYTES), or with 'key' NULL the unkeyed hash of the
 * records written before the chain was keyed.
 */
void rf_audit_hash(const struct rf_audit_record *r, const unsigned char *key,
                   char out[RF_AUDIT_HASH_HEX]);

/* The public name of 'key', stored with the chain's head: a hash, never the key. */
void rf_audit_key_id(const unsigned char key[RF_AUDIT_KEY_BYTES], char out[RF_AUDIT_KEY_ID_HEX]);

/* ---- checkpoints ---- */

#define RF_ANCHOR_LINE_MAX 400
#define RF_ANCHOR_SECRET_BYTES 64 /* an Ed25519 secret key */
#define RF_ANCHOR_PUBLIC_BYTES 32 /* an Ed25519 public key */

/* A checkpoint: the head of one province's chain at an instant. */
struct rf_anchor {
    int64_t province_id;
    int64_t seq;
    char hash[RF_AUDIT_HASH_HEX];
    int64_t at; /* seconds since the epoch, UTC */
};

/*
 * The checkpoint as one line of text, signed with 'secret'
 * (RF_ANCHOR_SECRET_BYTES), without its newline:
 * "reform-audit-anchor v1 PROVINCE SEQ HASH YYYY-MM-DDTHH:MM:SSZ SIGNATURE".
 */
void rf_anchor_format(const struct rf_anchor *a, const unsigned char *secret,
                      char out[RF_ANCHOR_LINE_MAX]);
/*
 * Read a checkpoint line (a trailing newline allowed) into 'a'. RF_EINVAL
 * when it is not one; RF_EAUTH when its signature is not by 'public'
 * (RF_ANCHOR_PUBLIC_BYTES).
 */
int rf_anchor_parse(const char *line, const unsigned char *public, struct rf_anchor *a);

#endif
