/*
 * Users and sessions (store_users.c), the counters of failed attempts
 * (store_attempts.c) and the audit chain (store_audit.c).
 */
#include "rig.h"

#include <stdio.h>
#include <string.h>

static int64_t user(struct rf_store *s, int64_t prov, int64_t unit_id, const char *name,
                    unsigned roles)
{
    struct rf_user u;

    memset(&u, 0, sizeof(u));
    u.province_id = prov;
    u.unit_id = unit_id;
    snprintf(u.username, sizeof(u.username), "%s", name);
    snprintf(u.full_name, sizeof(u.full_name), "Nguyễn Văn %s", name);
    u.roles = roles;
    snprintf(u.password_hash, sizeof(u.password_hash), "$argon2id$not-a-real-hash");
    assert_int_equal(rf_store_user_insert(s, &u), RF_OK);
    return u.id;
}

static int count_user(void *ctx, const struct rf_user *u)
{
    (void)u;
    (*(int *)ctx)++;
    return 0;
}

static void test_users(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_user u, dup;
    struct rf_user_query q;
    int n = 0;
    int64_t id = user(s, t.prov, t.c1, "focal.c1", RF_ROLE_FOCAL);

    user(s, t.prov, t.s, "focal.s", RF_ROLE_FOCAL);
    assert_int_equal(rf_store_user_get_by_name(s, t.prov, "focal.c1", &u), RF_OK);
    assert_int_equal(u.id, id);
    assert_string_equal(u.unit_code, "18070");
    assert_int_equal(u.roles, RF_ROLE_FOCAL);
    assert_int_equal(rf_store_user_get_by_name(s, t.prov, "nobody", &u), RF_ENOTFOUND);
    memset(&dup, 0, sizeof(dup));
    dup.province_id = t.prov;
    dup.unit_id = t.s;
    snprintf(dup.username, sizeof(dup.username), "focal.c1");
    snprintf(dup.full_name, sizeof(dup.full_name), "x");
    assert_int_equal(rf_store_user_insert(s, &dup), RF_ECONFLICT);

    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.root_id = t.d;
    assert_int_equal(rf_store_users_list(s, &q, count_user, &n), RF_OK);
    assert_int_equal(n, 1); /* only the district's ward */
    q.all_units = 1;
    n = 0;
    assert_int_equal(rf_store_users_list(s, &q, count_user, &n), RF_OK);
    assert_int_equal(n, 2);
    q.text_fold = "nguyen van focal.s";
    n = 0;
    assert_int_equal(rf_store_users_list(s, &q, count_user, &n), RF_OK);
    assert_int_equal(n, 1);

    u.disabled = 1;
    u.roles = RF_ROLE_FOCAL | RF_ROLE_CLERK;
    assert_int_equal(rf_store_user_update(s, &u), RF_OK);
    assert_int_equal(rf_store_user_get(s, t.prov, id, &u), RF_OK);
    assert_int_equal(u.disabled, 1);
    assert_int_equal(u.roles, RF_ROLE_FOCAL | RF_ROLE_CLERK);
}

static void test_sessions(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int64_t uid = user(s, t.prov, t.s, "someone", RF_ROLE_LEADER);
    struct rf_session x, got;
    struct rf_user u;

    memset(&x, 0, sizeof(x));
    x.province_id = t.prov;
    x.user_id = uid;
    x.kind = RF_SESSION_COOKIE;
    snprintf(x.token_hash, sizeof(x.token_hash), "%064d", 7);
    snprintf(x.csrf, sizeof(x.csrf), "csrf");
    x.created_at = x.last_seen_at = 1000;
    assert_int_equal(rf_store_session_insert(s, &x), RF_OK);
    assert_int_equal(rf_store_session_find(s, t.prov, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.user_id, uid);
    assert_int_equal(got.ended_at, 0);
    assert_string_equal(u.username, "someone");
    assert_int_equal(rf_store_session_touch(s, t.prov, x.id, 2000), RF_OK);
    assert_int_equal(rf_store_session_find(s, t.prov, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.last_seen_at, 2000);
    assert_int_equal(rf_store_sessions_end_user(s, t.prov, uid, RF_SESSION_BEARER, 3000), RF_OK);
    assert_int_equal(rf_store_session_find(s, t.prov, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.ended_at, 0); /* only bearer tokens ended */
    assert_int_equal(rf_store_sessions_end_user(s, t.prov, uid, RF_SESSION_COOKIE, 3000), RF_OK);
    assert_int_equal(rf_store_session_find(s, t.prov, x.token_hash, &got, &u), RF_OK);
    assert_int_equal(got.ended_at, 3000);
    assert_int_equal(rf_store_session_find(s, t.prov, "nope", &got, &u), RF_ENOTFOUND);
}

struct chain {
    int n;
    char prev[RF_AUDIT_HASH_HEX];
    int broken;
};

static int walk(void *ctx, const struct rf_audit_row *row)
{
    struct chain *c = ctx;
    char hash[RF_AUDIT_HASH_HEX];

    c->n++;
    if (row->rec.seq != c->n || strcmp(row->rec.prev_hash, c->prev) != 0)
        c->broken = 1;
    rf_audit_hash(&row->rec, NULL, hash);
    if (strcmp(hash, row->hash) != 0)
        c->broken = 1;
    snprintf(c->prev, sizeof(c->prev), "%s", row->hash);
    return 0;
}

/* Attempt counters: counted per kind and key, a window that ended starts anew, old ones go. */
static void test_attempts(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_attempts a;

    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", 1000 + i, 900),
                         RF_OK);
    assert_int_equal(rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_ADDRESS, "x", 1000, 900), RF_OK);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 3);
    assert_int_equal(a.window_start, 1000); /* the window starts at the first failure */
    /* the same key of another kind, and another key, count apart */
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ADDRESS, "x", &a), RF_OK);
    assert_int_equal(a.failures, 1);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "y", &a), RF_OK);
    assert_int_equal(a.failures, 0);
    /* a failure after the window ends starts a new one; the ended address counter is removed */
    assert_int_equal(rf_store_attempts_fail(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", 1900, 900), RF_OK);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 1);
    assert_int_equal(a.window_start, 1900);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ADDRESS, "x", &a), RF_OK);
    assert_int_equal(a.failures, 0);
    /* cleared on a good sign-in */
    assert_int_equal(rf_store_attempts_clear(s, t.prov, RF_ATTEMPT_ACCOUNT, "x"), RF_OK);
    assert_int_equal(rf_store_attempts_get(s, t.prov, RF_ATTEMPT_ACCOUNT, "x", &a), RF_OK);
    assert_int_equal(a.failures, 0);
}

static void test_audit_chain(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42"), seq = 0;
    struct rf_audit_query q;
    struct chain c;
    char head[RF_AUDIT_HASH_HEX];

    audit(s, prov, "create", "{\"name\":\"Sở Nội vụ\"}");
    audit(s, prov, "update", NULL);
    /* a rolled-back change leaves no record and the head where it was */
    assert_int_equal(rf_store_begin(s), RF_OK);
    audit(s, prov, "update", "{}");
    rf_store_rollback(s);
    audit(s, prov, "delete", NULL);
    /* several records in one transaction, one of them in a savepoint undone: the head moves
       with each record kept and is written once, at the commit */
    assert_int_equal(rf_store_begin(s), RF_OK);
    audit(s, prov, "update", "{\"n\":1}");
    assert_int_equal(rf_store_savepoint(s, "change"), RF_OK);
    audit(s, prov, "update", "{\"n\":2}");
    rf_store_savepoint_undo(s, "change");
    assert_int_equal(rf_store_savepoint(s, "change"), RF_OK);
    audit(s, prov, "update", "{\"n\":3}");
    assert_int_equal(rf_store_savepoint_release(s, "change"), RF_OK);
    assert_int_equal(rf_store_commit(s), RF_OK);

    memset(&q, 0, sizeof(q));
    q.province_id = prov;
    memset(&c, 0, sizeof(c));
    snprintf(c.prev, sizeof(c.prev), "%s", RF_AUDIT_GENESIS);
    assert_int_equal(rf_store_audit_list(s, &q, walk, &c), RF_OK);
    assert_int_equal(c.n, 5);
    assert_false(c.broken);
    assert_int_equal(rf_store_audit_head(s, prov, &seq, head), RF_OK);
    assert_int_equal(seq, 5);
    assert_string_equal(head, c.prev);
    /* filters */
    q.entity = "task";
    memset(&c, 0, sizeof(c));
    assert_int_equal(rf_store_audit_list(s, &q, walk, &c), RF_OK);
    assert_int_equal(c.n, 0);
}

int run_users_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
    };

    return cmocka_run_group_tests_name("users", tests, NULL, NULL);
}
