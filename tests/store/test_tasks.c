/*
 * Source documents and tasks (store_tasks.c): a task travels with its
 * deadline history; lists by scope, lead unit and the other filters.
 */
#include "rig.h"

#include <stdio.h>
#include <string.h>

struct task_seen {
    int n;
    int64_t id[16];
    int deadlines[16];
    char last_deadline[16][RF_DATE_LEN];
};

static int collect_task(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl,
                        int n)
{
    struct task_seen *seen = ctx;

    if (seen->n < 16) {
        seen->id[seen->n] = t->id;
        seen->deadlines[seen->n] = n;
        snprintf(seen->last_deadline[seen->n], RF_DATE_LEN, "%s", n ? dl[n - 1].deadline : "");
    }
    seen->n++;
    return 0;
}

static void test_tasks(void **state)
{
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    struct rf_document d, got;
    struct rf_task_query q;
    struct task_seen seen;
    struct rf_task_deadline ext;
    int64_t a, b, c;

    memset(&d, 0, sizeof(d));
    d.province_id = t.prov;
    snprintf(d.number, sizeof(d.number), "01/NQ-CP");
    snprintf(d.issuer, sizeof(d.issuer), "Chính phủ");
    snprintf(d.issued_on, sizeof(d.issued_on), "2023-01-06");
    snprintf(d.title, sizeof(d.title), "Nghị quyết về nhiệm vụ, giải pháp chủ yếu năm 2023");
    snprintf(d.assigning_body, sizeof(d.assigning_body), "government");
    assert_int_equal(rf_store_document_insert(s, &d), RF_OK);
    assert_int_equal(rf_store_document_insert(s, &d), RF_ECONFLICT);

    a = task(s, &t, d.id, "Số hóa hồ sơ", t.c1, "digital_government", "2023-12-31", t.s);
    b = task(s, &t, d.id, "Rà soát thủ tục", t.s, "procedures", NULL, 0);
    c = task(s, &t, d.id, "Sắp xếp bộ máy", t.c2, "apparatus", "2023-06-30", 0);
    assert_int_equal(rf_store_document_get_by_number(s, t.prov, "01/NQ-CP", &got), RF_OK);
    assert_int_equal(got.tasks, 3);
    {
        /* what a task points to is its province's, or nothing is written */
        struct rf_task x, y;
        int64_t coord = 0;
        memset(&x, 0, sizeof(x));
        x.id = a;
        x.province_id = t.prov;
        x.document_id = d.id;
        snprintf(x.title, sizeof(x.title), "Số hóa hồ sơ");
        snprintf(x.assigning_body, sizeof(x.assigning_body), "government");
        x.lead_unit_id = t.c1;
        snprintf(x.field, sizeof(x.field), "digital_government");
        snprintf(x.assigned_on, sizeof(x.assigned_on), "2023-01-10");
        y = x;
        y.province_id = province(s, "Q2"); /* a province where neither the document nor the
                                              unit is */
        assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 1), RF_ECONFLICT);
        y = x;
        y.lead_unit_id = t.n + 1000;
        assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 1), RF_ECONFLICT);
        y = x;
        y.document_id = d.id + 1000;
        assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 1), RF_ECONFLICT);
        x.lead_unit_id = t.n + 1000;
        assert_int_equal(rf_store_task_update(s, &x), RF_ENOTFOUND);
    }

    memset(&q, 0, sizeof(q));
    q.province_id = t.prov;
    q.all_units = 1;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.deadlines[1], 1);
    assert_string_equal(seen.last_deadline[1], ""); /* a standing task */

    /* the district's scope: its two wards' tasks; the department coordinates a */
    q.all_units = 0;
    q.scope_root_id = t.d;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2);
    q.scope_root_id = t.s;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2); /* leads b, coordinates a */

    /* filters */
    q.all_units = 1;
    q.lead_unit_id = t.d;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2);
    q.lead_unit_id = 0;
    q.field = "procedures";
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.id[0], b);
    q.field = NULL;
    q.text_fold = "so hoa";
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    q.text_fold = NULL;
    q.limit = 2;
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 2);
    q.after_id = seen.id[1];
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_tasks_list(s, &q, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.id[0], c);

    /* an extension joins the history and becomes the latest deadline */
    memset(&ext, 0, sizeof(ext));
    snprintf(ext.set_on, sizeof(ext.set_on), "2023-06-01");
    snprintf(ext.deadline, sizeof(ext.deadline), "2023-09-30");
    snprintf(ext.reason, sizeof(ext.reason), "chờ hướng dẫn của Bộ");
    ext.set_by = 1;
    assert_int_equal(rf_store_task_deadline_add(s, t.prov, c, &ext, 100), RF_OK);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_task_get(s, t.prov, c, collect_task, &seen), RF_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.deadlines[0], 2);
    assert_string_equal(seen.last_deadline[0], "2023-09-30");
    assert_int_equal(rf_store_task_get(s, t.prov, 999999, collect_task, &seen), RF_ENOTFOUND);
    (void)a;
}

int run_tasks_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tasks, setup, teardown),
    };

    return cmocka_run_group_tests_name("tasks", tests, NULL, NULL);
}
