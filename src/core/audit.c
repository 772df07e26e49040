/*
 * Audit record hashing and checkpoints. Each field goes in with its length
 * first, so that no two different records share an input ("ab"+"c" versus
 * "a"+"bc"), and NULL differs from the empty string. The keyed MAC and the
 * unkeyed hash of version 1 differ in their first field too, so that no
 * record of one kind verifies as the other.
 */
#include "audit.h"
#include "date.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
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

void rf_audit_hash(const struct rf_audit_record *r, const unsigned char *key,
                   char out[RF_AUDIT_HASH_HEX])
{
    crypto_generichash_state st;
    unsigned char h[32];

    crypto_generichash_init(&st, key, key ? RF_AUDIT_KEY_BYTES : 0, sizeof(h));
    put_str(&st, key ? "reform-audit-v2" : "reform-audit-v1");
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
    if (key) /* version 2 records what the change was made through */
        put_str(&st, r->via);
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, RF_AUDIT_HASH_HEX, h, sizeof(h));
}

void rf_audit_key_id(const unsigned char key[RF_AUDIT_KEY_BYTES], char out[RF_AUDIT_KEY_ID_HEX])
{
    static const char what[] = "reform-audit-key-id";
    unsigned char h[8];

    crypto_generichash(h, sizeof(h), (const unsigned char *)what, sizeof(what) - 1, key,
                       RF_AUDIT_KEY_BYTES);
    sodium_bin2hex(out, RF_AUDIT_KEY_ID_HEX, h, sizeof(h));
}

#define ANCHOR_MAGIC "reform-audit-anchor v1"

/* The signed part of a checkpoint line: everything before the signature. */
static int anchor_body(const struct rf_anchor *a, char *out, size_t size)
{
    char when[21];

    rf_instant_format(a->at, when);
    return snprintf(out, size, ANCHOR_MAGIC " %" PRId64 " %" PRId64 " %s %s", a->province_id,
                    a->seq, a->hash, when);
}

void rf_anchor_format(const struct rf_anchor *a, const unsigned char *secret,
                      char out[RF_ANCHOR_LINE_MAX])
{
    unsigned char sig[crypto_sign_BYTES];
    char sig_text[sodium_base64_ENCODED_LEN(crypto_sign_BYTES,
                                            sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    int n = anchor_body(a, out, RF_ANCHOR_LINE_MAX);

    crypto_sign_detached(sig, NULL, (const unsigned char *)out, (unsigned long long)n, secret);
    sodium_bin2base64(sig_text, sizeof(sig_text), sig, sizeof(sig),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out + n, RF_ANCHOR_LINE_MAX - (size_t)n, " %s", sig_text);
}

int rf_anchor_parse(const char *line, const unsigned char *public, struct rf_anchor *a)
{
    char body[RF_ANCHOR_LINE_MAX], again[RF_ANCHOR_LINE_MAX], when[32], sig_text[128];
    unsigned char sig[crypto_sign_BYTES];
    size_t len = strcspn(line, "\r\n"), sig_len = 0;
    const char *space = NULL;
    char day[11];
    int h, mi, se, n = 0;
    struct rf_date date;

    memset(a, 0, sizeof(*a));
    if (len >= sizeof(body) || strncmp(line, ANCHOR_MAGIC " ", sizeof(ANCHOR_MAGIC)) != 0)
        return RF_EINVAL;
    for (size_t i = 0; i < len; i++)
        if (line[i] == ' ')
            space = line + i;
    if (!space || (size_t)(line + len - space - 1) >= sizeof(sig_text))
        return RF_EINVAL;
    memcpy(body, line, (size_t)(space - line));
    body[space - line] = '\0';
    memcpy(sig_text, space + 1, (size_t)(line + len - space - 1));
    sig_text[line + len - space - 1] = '\0';
    if (sscanf(body + sizeof(ANCHOR_MAGIC), "%" SCNd64 " %" SCNd64 " %64s %31s%n", &a->province_id,
               &a->seq, a->hash, when, &n) != 4 ||
        body[sizeof(ANCHOR_MAGIC) + n] != '\0' || strlen(a->hash) != 64 || strlen(when) != 20 ||
        when[10] != 'T' || when[19] != 'Z' || rf_digits(when + 11, 2, &h) != 0 ||
        rf_digits(when + 14, 2, &mi) != 0 || rf_digits(when + 17, 2, &se) != 0 || h > 23 ||
        mi > 59 || se > 59)
        return RF_EINVAL;
    memcpy(day, when, 10);
    day[10] = '\0';
    if (rf_date_parse(day, &date) != RF_OK)
        return RF_EINVAL;
    a->at = rf_date_to_days(date) * 86400 + h * 3600 + mi * 60 + se;
    /* the line must be exactly what this checkpoint formats to */
    anchor_body(a, again, sizeof(again));
    if (strcmp(again, body) != 0)
        return RF_EINVAL;
    if (sodium_base642bin(sig, sizeof(sig), sig_text, strlen(sig_text), NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        sig_len != sizeof(sig))
        return RF_EINVAL;
    if (crypto_sign_verify_detached(sig, (const unsigned char *)body, strlen(body), public) != 0)
        return RF_EAUTH;
    return RF_OK;
}
