/*
 * Audit record hashing. Each field goes in with its length first, so that no
 * two different records share an input ("ab"+"c" versus "a"+"bc"), and NULL
 * differs from the empty string.
 */
#include "audit.h"

#include <sodium.h>
#include <string.h>

static void put_int(crypto_generichash_state *st, int64_t v)
{
    unsigned char b[8];
    uint64_t u = (uint64_t)v;

    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (56 - 8 * i));
    crypto_generichash_update(st, b, sizeof(b));
}

static void put_str(crypto_generichash_state *st, const char *s)
{
    if (!s) {
        put_int(st, -1);
        return;
    }
    put_int(st, (int64_t)strlen(s));
    crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

void rf_audit_hash(const struct rf_audit_record *r, char out[RF_AUDIT_HASH_HEX])
{
    crypto_generichash_state st;
    unsigned char h[32];

    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    put_str(&st, "reform-audit-v1");
    put_str(&st, r->prev_hash);
    put_int(&st, r->seq);
    put_int(&st, r->province_id);
    put_int(&st, r->at);
    put_int(&st, r->actor_id);
    put_str(&st, r->actor);
    put_str(&st, r->action);
    put_str(&st, r->entity);
    put_str(&st, r->entity_id);
    put_str(&st, r->before);
    put_str(&st, r->after);
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, RF_AUDIT_HASH_HEX, h, sizeof(h));
}
