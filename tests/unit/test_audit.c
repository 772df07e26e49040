/*
 * Unit tests of src/core/audit: the hash of one record of the audit chain.
 * Any change to any field, or to the previous hash, must change the hash, or
 * a record could be altered without breaking the chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../../src/core/audit.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A unit created by user 3 at 2025-07-01 00:00 in Vietnam, first in its chain. */
static void base(struct rf_audit_record *r)
{
    memset(r, 0, sizeof(*r));
    r->seq = 7;
    r->province_id = 1;
    r->at = 1751302800;
    r->actor_id = 3;
    r->actor = "admin";
    r->action = "create";
    r->entity = "unit";
    r->entity_id = "42";
    r->before = NULL;
    r->after = "{\"code\":\"01\"}";
    memcpy(r->prev_hash, RF_AUDIT_GENESIS, sizeof(RF_AUDIT_GENESIS));
}

static void hash_of(void (*change)(struct rf_audit_record *), char out[RF_AUDIT_HASH_HEX])
{
    struct rf_audit_record r;

    base(&r);
    if (change)
        change(&r);
    rf_audit_hash(&r, NULL, out);
}

static void seq_next(struct rf_audit_record *r)
{
    r->seq++;
}
static void province_other(struct rf_audit_record *r)
{
    r->province_id = 2;
}
static void at_later(struct rf_audit_record *r)
{
    r->at++;
}
static void actor_id_other(struct rf_audit_record *r)
{
    r->actor_id = 4;
}
static void actor_other(struct rf_audit_record *r)
{
    r->actor = "admim";
}
static void action_other(struct rf_audit_record *r)
{
    r->action = "delete";
}
static void entity_other(struct rf_audit_record *r)
{
    r->entity = "user";
}
static void entity_id_other(struct rf_audit_record *r)
{
    r->entity_id = "43";
}
static void before_set(struct rf_audit_record *r)
{
    r->before = "{\"code\":\"01\"}";
}
static void before_empty(struct rf_audit_record *r)
{
    r->before = "";
}
static void after_other(struct rf_audit_record *r)
{
    r->after = "{\"code\":\"02\"}";
}
static void after_null(struct rf_audit_record *r)
{
    r->after = NULL;
}
static void after_empty(struct rf_audit_record *r)
{
    r->after = "";
}
static void prev_other(struct rf_audit_record *r)
{
    r->prev_hash[63] = '1';
}
static void prev_first(struct rf_audit_record *r)
{
    r->prev_hash[0] = 'f';
}
static void seq_province_swap(struct rf_audit_record *r)
{
    r->seq = 1;
    r->province_id = 7;
}
static void before_after_swap(struct rf_audit_record *r)
{
    r->before = r->after;
    r->after = NULL;
}
/* "admin"+"create" read as "admi"+"ncreate": the same bytes end to end */
static void actor_action_shift(struct rf_audit_record *r)
{
    r->actor = "admi";
    r->action = "ncreate";
}
/* "unit"+"42" read as "unit4"+"2" */
static void entity_id_shift(struct rf_audit_record *r)
{
    r->entity = "unit4";
    r->entity_id = "2";
}
/* entity_id "43" and no before, read as entity_id "4" and before "2" */
static void id_before_shift(struct rf_audit_record *r)
{
    r->entity_id = "4";
    r->before = "2";
}

static const struct {
    void (*a)(struct rf_audit_record *); /* NULL: the base record */
    void (*b)(struct rf_audit_record *);
} differ_cases[] = {
    {NULL, seq_next},           /* reordering or inserting a record changes seq */
    {NULL, province_other},     /* a record moved to another province's chain */
    {NULL, at_later},           /* a backdated or postdated record */
    {NULL, actor_id_other},     /* a change blamed on someone else */
    {NULL, actor_other},        /* one letter of the actor's name */
    {NULL, action_other},       /* a create rewritten as a delete */
    {NULL, entity_other},       /* the record moved to another kind of thing */
    {NULL, entity_id_other},    /* the record moved to another thing */
    {NULL, before_set},         /* a before image added */
    {NULL, after_other},        /* one character of the after image */
    {NULL, prev_other},         /* the chain link: last hex digit of prev_hash */
    {NULL, prev_first},         /* the chain link: first hex digit of prev_hash */
    {NULL, before_empty},       /* audit.c: NULL before differs from "" */
    {after_null, after_empty},  /* audit.c: NULL after differs from "" */
    {NULL, seq_province_swap},  /* integers are bound to their position */
    {NULL, before_after_swap},  /* a create ("after" only) is not a delete ("before" only) */
    {NULL, actor_action_shift}, /* audit.c: length prefixes, "ab"+"c" is not "a"+"bc" */
    {NULL, entity_id_shift},    /* audit.c: length prefixes between entity and its id */
    {entity_id_other, id_before_shift}, /* a field boundary moved across NULL */
};

static int is_lower_hex(const char *s)
{
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

static void test_any_change_changes_hash(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(differ_cases); i++) {
        char ha[RF_AUDIT_HASH_HEX], hb[RF_AUDIT_HASH_HEX];

        print_message("case %zu\n", i);
        hash_of(differ_cases[i].a, ha);
        hash_of(differ_cases[i].b, hb);
        /* 64 lowercase hex digits: BLAKE2b-256 as the API shows it */
        assert_int_equal(strlen(ha), 64);
        assert_int_equal(strlen(hb), 64);
        assert_true(is_lower_hex(ha));
        assert_true(is_lower_hex(hb));
        assert_string_not_equal(ha, hb);
    }
}

static void test_deterministic(void **state)
{
    struct rf_audit_record r;
    char again[RF_AUDIT_HASH_HEX], copy_hash[RF_AUDIT_HASH_HEX], first[RF_AUDIT_HASH_HEX];
    /* the same text at other addresses: the hash covers bytes, not pointers */
    char actor[] = "admin", action[] = "create", entity[] = "unit", id[] = "42";
    char after[] = "{\"code\":\"01\"}";

    (void)state;
    hash_of(NULL, first);
    hash_of(NULL, again);
    assert_string_equal(first, again);
    base(&r);
    r.actor = actor;
    r.action = action;
    r.entity = entity;
    r.entity_id = id;
    r.after = after;
    rf_audit_hash(&r, NULL, copy_hash);
    assert_string_equal(first, copy_hash);
}

/* Stored chains must verify forever: pin the exact input layout. */
static void test_known_vector(void **state)
{
    char h[RF_AUDIT_HASH_HEX];

    (void)state;
    hash_of(NULL, h);
    /*
     * Python: hashlib.blake2b(digest_size=32) over "reform-audit-v1", prev_hash, seq,
     * province_id, at, actor_id, actor, action, entity, entity_id, before, after, each
     * string preceded by its length and each integer as 8 bytes big-endian, NULL as -1.
     */
    assert_string_equal(h, "fc83c60b7fcb4d7528cd69e5411c91c28f1fe7a252cab6a90eb0e02a0625c057");
}

/* The keyed MAC: pinned like the plain hash, and neither verifies as the other. */
static void test_keyed(void **state)
{
    unsigned char key[RF_AUDIT_KEY_BYTES], other[RF_AUDIT_KEY_BYTES];
    char plain[RF_AUDIT_HASH_HEX], mac[RF_AUDIT_HASH_HEX], mac2[RF_AUDIT_HASH_HEX];
    char id[RF_AUDIT_KEY_ID_HEX], id2[RF_AUDIT_KEY_ID_HEX];
    struct rf_audit_record r;

    (void)state;
    for (int i = 0; i < RF_AUDIT_KEY_BYTES; i++)
        key[i] = other[i] = (unsigned char)i;
    other[31] ^= 1;
    base(&r);
    rf_audit_hash(&r, NULL, plain);
    rf_audit_hash(&r, key, mac);
    /* Python: hashlib.blake2b(key=bytes(range(32)), digest_size=32) over the same layout with
       "reform-audit-v2" first and 'via' last */
    assert_string_equal(mac, "958b9bc768e0724438c2fc8dec8ef9f8b53782cd1174382f4c9e52f18c00e194");
    assert_string_not_equal(mac, plain);
    rf_audit_hash(&r, other, mac2); /* one bit of the key */
    assert_string_not_equal(mac, mac2);
    r.via = "token 7"; /* what the change was made through is covered too */
    rf_audit_hash(&r, key, mac2);
    assert_string_not_equal(mac, mac2);
    r.via = NULL;
    rf_audit_key_id(key, id);
    rf_audit_key_id(other, id2);
    /* Python: hashlib.blake2b(b"reform-audit-key-id", key=bytes(range(32)), digest_size=8) */
    assert_string_equal(id, "4f7c2bab8396e6a2");
    assert_string_not_equal(id, id2);
}

/* Checkpoints: a line signed and read back; any change to it, or another signer, is caught. */
static void test_anchor(void **state)
{
    unsigned char pk[RF_ANCHOR_PUBLIC_BYTES], sk[RF_ANCHOR_SECRET_BYTES];
    unsigned char pk2[RF_ANCHOR_PUBLIC_BYTES], sk2[RF_ANCHOR_SECRET_BYTES];
    struct rf_anchor a = {1, 1310, "", 1796553000}, got;
    char line[RF_ANCHOR_LINE_MAX], bad[RF_ANCHOR_LINE_MAX + 8];
    static const struct {
        const char *find, *put; /* a change to the line */
        int rc;
    } changes[] = {
        {" 1310 ", " 1309 ", RF_EAUTH},   /* a cut chain's head, re-signed by nobody */
        {" 1 1310", " 2 1310", RF_EAUTH}, /* another province */
        {"aaaa", "aaab", RF_EAUTH},       /* another hash */
        {"2026", "2025", RF_EAUTH},       /* another instant */
        {" v1 ", " v2 ", RF_EINVAL},      /* not a checkpoint of this kind */
        {"T", " ", RF_EINVAL},            /* no instant */
        {" 1310 ", " 01310 ", RF_EINVAL}, /* not written as a checkpoint is written */
        {" 1310 ", " 1310  ", RF_EINVAL}, /* an extra space */
    };

    (void)state;
    memset(a.hash, 'a', 64);
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(pk2, sk2);
    rf_anchor_format(&a, sk, line);
    assert_int_equal(strncmp(line, "reform-audit-anchor v1 1 1310 aaaa", 34), 0);
    assert_int_equal(rf_anchor_parse(line, pk, &got), RF_OK);
    assert_int_equal(got.province_id, 1);
    assert_int_equal(got.seq, 1310);
    assert_int_equal(got.at, a.at);
    assert_string_equal(got.hash, a.hash);
    snprintf(bad, sizeof(bad), "%s\n", line); /* as read from a file */
    assert_int_equal(rf_anchor_parse(bad, pk, &got), RF_OK);
    assert_int_equal(rf_anchor_parse(line, pk2, &got), RF_EAUTH); /* another signer */
    for (size_t i = 0; i < COUNT(changes); i++) {
        const char *at = strstr(line, changes[i].find);
        print_message("change %zu: '%s' to '%s'\n", i, changes[i].find, changes[i].put);
        assert_non_null(at);
        snprintf(bad, sizeof(bad), "%.*s%s%s", (int)(at - line), line, changes[i].put,
                 at + strlen(changes[i].find));
        assert_int_equal(rf_anchor_parse(bad, pk, &got), changes[i].rc);
    }
    assert_int_equal(rf_anchor_parse("", pk, &got), RF_EINVAL);
    assert_int_equal(rf_anchor_parse("reform-audit-anchor v1 ", pk, &got), RF_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_any_change_changes_hash),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_known_vector),
        cmocka_unit_test(test_keyed),
        cmocka_unit_test(test_anchor),
    };

    return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
