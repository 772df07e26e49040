/*
 * Provinces and units (store_units.c): codes unique within a province, the
 * tree as it stood on a date, its search and paging, a unit's periods under
 * its parents split by a move and clipped by an end, and a large subtree.
 */
#include "rig.h"

#include <stdio.h>
#include <string.h>

static void test_province_code_unique(void **state)
{
    struct rf_store *s = *state;
    struct rf_province p, got;

    province(s, "42");
    memset(&p, 0, sizeof(p));
    snprintf(p.code, sizeof(p.code), "42");
    snprintf(p.name, sizeof(p.name), "again");
    assert_int_equal(rf_store_province_insert(s, &p), RF_ECONFLICT);
    assert_int_equal(rf_store_province_get(s, NULL, &got), RF_OK);
    assert_string_equal(got.code, "42");
    assert_int_equal(rf_store_province_get(s, "99", &got), RF_ENOTFOUND);
}

static void test_unit_code_unique_within_province(void **state)
{
    struct rf_store *s = *state;
    int64_t a = province(s, "42"), b = province(s, "40");
    struct rf_unit u;

    unit(s, a, "42", "Tỉnh Hà Tĩnh", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    unit(s, b, "42", "another province may reuse a code", RF_UNIT_DEPARTMENT, 0, "2020-01-01",
         NULL);
    memset(&u, 0, sizeof(u));
    u.province_id = a;
    snprintf(u.code, sizeof(u.code), "42");
    snprintf(u.name, sizeof(u.name), "duplicate");
    snprintf(u.valid_from, sizeof(u.valid_from), "2020-01-01");
    assert_int_equal(rf_store_unit_insert(s, &u), RF_ECONFLICT);
}

static void test_subtree_follows_the_date(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct seen then = list(s, t.prov, t.p, "2023-06-30", NULL, 0, 0);
    struct seen now = list(s, t.prov, t.p, "2026-01-01", NULL, 0, 0);
    struct rf_unit u;

    /* 2023: P, D, C1, C2, S (N not yet) */
    assert_int_equal(then.n, 5);
    /* 2026: P, C1 (now under P), S, N */
    assert_int_equal(now.n, 4);
    for (int i = 0; i < now.n; i++) {
        assert_true(now.id[i] != t.d && now.id[i] != t.c2);
        if (now.id[i] == t.c1) {
            assert_int_equal(now.depth[i], 1);
            assert_int_equal(now.parent[i], t.p);
        }
    }
    for (int i = 0; i < then.n; i++)
        if (then.id[i] == t.c1) {
            assert_int_equal(then.depth[i], 2);
            assert_int_equal(then.parent[i], t.d);
        }
    /* the district's own subtree in 2023, and nothing of it in 2026 */
    assert_int_equal(list(s, t.prov, t.d, "2023-06-30", NULL, 0, 0).n, 3);
    assert_int_equal(list(s, t.prov, t.d, "2026-01-01", NULL, 0, 0).n, 0);
    /* children only */
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", NULL, 1, 1).n, 2);
    /* the day before and the day of the change */
    assert_int_equal(rf_store_unit_get(s, t.prov, t.c1, "2025-06-30", &u), RF_OK);
    assert_int_equal(u.parent_id, t.d);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.c1, "2025-07-01", &u), RF_OK);
    assert_int_equal(u.parent_id, t.p);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.p, "2023-06-30", &u), RF_OK);
    assert_int_equal(u.children, 2);
}

static void test_search_folds_diacritics(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);

    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "ha tinh", 0, 0).n, 2);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "tran phu", 0, 0).n, 1);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "noi vu", 0, 0).n, 1);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "1807", 0, 0).n, 2); /* codes */
    /* LIKE's own characters are literal */
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "%", 0, 0).n, 0);
    assert_int_equal(list(s, t.prov, t.p, "2023-06-30", "_", 0, 0).n, 0);
}

static void test_paging_by_cursor(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_unit_query q;
    struct seen a, b;

    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.root_id = t.p;
    q.date = "2023-06-30";
    q.limit = 3;
    memset(&a, 0, sizeof(a));
    assert_int_equal(rf_store_units_list(s, &q, collect, &a), RF_OK);
    assert_int_equal(a.n, 3);
    q.after_id = a.id[2];
    memset(&b, 0, sizeof(b));
    assert_int_equal(rf_store_units_list(s, &q, collect, &b), RF_OK);
    assert_int_equal(b.n, 2);
    assert_true(b.id[0] > a.id[2]);
}

static int count_link(void *ctx, const struct rf_unit_link *l)
{
    (void)l;
    (*(int *)ctx)++;
    return 0;
}

static void test_move_splits_periods(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int links = 0, within = 0;

    assert_int_equal(rf_store_unit_links(s, t.prov, t.c1, count_link, &links), RF_OK);
    assert_int_equal(links, 2);
    assert_int_equal(rf_store_unit_within(s, t.prov, t.d, t.c1, "2024-01-01", &within), RF_OK);
    assert_true(within);
    assert_int_equal(rf_store_unit_within(s, t.prov, t.d, t.c1, "2025-07-01", &within), RF_OK);
    assert_false(within);
    assert_int_equal(rf_store_unit_within(s, t.prov, t.p, t.c1, "2025-07-01", &within), RF_OK);
    assert_true(within);
    assert_int_equal(rf_store_unit_within(s, t.prov, t.s, t.c1, "2024-01-01", &within), RF_OK);
    assert_false(within);
    /* on any date: C1 was under D, never under S */
    assert_int_equal(rf_store_unit_within_ever(s, t.prov, t.d, t.c1, &within), RF_OK);
    assert_true(within);
    assert_int_equal(rf_store_unit_within_ever(s, t.prov, t.s, t.c1, &within), RF_OK);
    assert_false(within);
    /* moving on the first day of a period replaces its parent, adds no period */
    assert_int_equal(rf_store_unit_move(s, t.prov, t.c1, t.s, "2025-07-01"), RF_OK);
    links = 0;
    assert_int_equal(rf_store_unit_links(s, t.prov, t.c1, count_link, &links), RF_OK);
    assert_int_equal(links, 2);
}

static void test_ending_clips_periods(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_unit u;
    int64_t later = 0, version_before = 0, version_after = 0;

    assert_int_equal(rf_store_units_version(s, t.prov, &version_before), RF_OK);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.s, "2024-01-01", &u), RF_OK);
    snprintf(u.valid_to, sizeof(u.valid_to), "2024-01-01");
    assert_int_equal(rf_store_unit_update(s, &u), RF_OK);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.s, "2024-01-01", &u), RF_OK);
    assert_int_equal(u.parent_id, 0);
    assert_int_equal(rf_store_unit_get(s, t.prov, t.s, "2023-12-31", &u), RF_OK);
    assert_int_equal(u.parent_id, t.p);
    assert_int_equal(rf_store_unit_children_after(s, t.prov, t.d, "2025-07-01", &later), RF_OK);
    assert_int_equal(later, 0);
    assert_int_equal(rf_store_unit_children_after(s, t.prov, t.d, "2025-06-30", &later), RF_OK);
    assert_int_equal(later, 2);
    assert_int_equal(rf_store_units_version(s, t.prov, &version_after), RF_OK);
    assert_true(version_after > version_before);
}

static void test_large_subtree(void **state)
{
    struct rf_store *s = *state;
    int64_t prov = province(s, "42");
    int64_t root, district = 0;
    char code[32];
    struct seen all;

    assert_int_equal(rf_store_begin(s), RF_OK);
    root = unit(s, prov, "42", "Tỉnh", RF_UNIT_PROVINCE, 0, "2020-01-01", NULL);
    for (int i = 0; i < 20000; i++) {
        if (i % 200 == 0) {
            snprintf(code, sizeof(code), "D%d", i);
            district = unit(s, prov, code, "Huyện", RF_UNIT_DISTRICT, root, "2020-01-01", NULL);
            continue;
        }
        snprintf(code, sizeof(code), "C%d", i);
        unit(s, prov, code, "Xã", RF_UNIT_COMMUNE, district, "2020-01-01", NULL);
    }
    assert_int_equal(rf_store_commit(s), RF_OK);
    all = list(s, prov, root, "2023-01-01", NULL, 0, 0);
    assert_int_equal(all.n, 20001);
    assert_int_equal(list(s, prov, root, "2023-01-01", NULL, 1, 1).n, 100);
}

int run_units_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_province_code_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_code_unique_within_province, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subtree_follows_the_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_folds_diacritics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_by_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_splits_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ending_clips_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_subtree, setup, teardown),
    };

    return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
