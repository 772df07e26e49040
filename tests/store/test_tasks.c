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
    char title[16][64];
};

static int collect_task(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl,
                        int n)
{
    struct task_seen *seen = ctx;

    if (seen->n < 16) {
        seen->id[seen->n] = t->id;
        seen->deadlines[seen->n] = n;
        snprintf(seen->last_deadline[seen->n], RF_DATE_LEN, "%s", n ? dl[n - 1].deadline : "");
        snprintf(seen->title[seen->n], sizeof(seen->title[0]), "%.63s", t->title);
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

/* A new task as the tests below give it: the province's document, led by 'lead'. */
static struct rf_task new_task(const struct tree *t, int64_t doc, const char *title, int64_t lead,
                               const char *ref, const char *deadline)
{
    struct rf_task x = task_of(t, doc, title, lead, "procedures", deadline);

    snprintf(x.ref, sizeof(x.ref), "%s", ref);
    x.created_at = x.updated_at = 1673308800;
    return x;
}

/*
 * Tasks and their first deadlines gathered while writes are deferred, one
 * statement a table (PostgreSQL): every value as given, quotes, backslashes,
 * braces, "NULL" as text and a standing task's missing deadline alike; a
 * reference taken or a lead unit not the province's fails the statement, the
 * stretch failing as a whole. On SQLite the same steps write at once.
 */
static void test_gathered_tasks(void **state)
{
    static const char *const titles[] = {"Rà soát \"thủ tục\"", "C:\\hồ sơ\\, {a,b}", "NULL"};
    static const char *const deadlines[] = {"2023-12-31", "", "2023-06-30"};
    struct rf_store *s = *state;
    struct tree t = small_tree(s);
    int deferred = rf_store_can_defer(s);
    struct rf_document d;
    struct rf_task x[3], y;
    struct task_seen seen;
    int64_t coord = 0;

    memset(&d, 0, sizeof(d));
    d.province_id = t.prov;
    snprintf(d.number, sizeof(d.number), "02/KH-UBND");
    snprintf(d.issuer, sizeof(d.issuer), "UBND tỉnh");
    snprintf(d.issued_on, sizeof(d.issued_on), "2023-01-06");
    snprintf(d.title, sizeof(d.title), "Kế hoạch cải cách hành chính năm 2023");
    snprintf(d.assigning_body, sizeof(d.assigning_body), "province");
    assert_int_equal(rf_store_document_insert(s, &d), RF_OK);
    rf_store_ids_ahead(s);

    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    for (int i = 0; i < 3; i++) {
        x[i] =
            new_task(&t, d.id, titles[i], i == 1 ? t.s : t.c1, i == 2 ? "KH2.3" : "", deadlines[i]);
        assert_int_equal(rf_store_task_insert(s, &x[i], &coord, 0, 7), RF_OK);
        assert_true(x[i].id > 0);
    }
    assert_int_equal(rf_store_defer_end(s), RF_OK);
    assert_int_equal(rf_store_savepoint_release(s, "stretch"), RF_OK);
    assert_int_equal(rf_store_commit(s), RF_OK);
    for (int i = 0; i < 3; i++) {
        memset(&seen, 0, sizeof(seen));
        assert_int_equal(rf_store_task_get(s, t.prov, x[i].id, collect_task, &seen), RF_OK);
        assert_int_equal(seen.n, 1);
        assert_string_equal(seen.title[0], titles[i]);
        assert_int_equal(seen.deadlines[0], 1);
        assert_string_equal(seen.last_deadline[0], deadlines[i]);
    }

    /* a reference taken: the gathered tasks fail together, by the end at the latest */
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    y = new_task(&t, d.id, "Một nhiệm vụ mới", t.c1, "KH2.4", "2023-12-31");
    assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 7), RF_OK);
    y = new_task(&t, d.id, "Trùng số hiệu", t.c1, "KH2.3", "2023-12-31");
    assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 7), deferred ? RF_OK : RF_ECONFLICT);
    assert_int_equal(rf_store_defer_end(s), deferred ? RF_ECONFLICT : RF_OK);
    rf_store_savepoint_undo(s, "stretch");
    assert_int_equal(rf_store_commit(s), RF_OK);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_task_get_by_ref(s, t.prov, "KH2.4", collect_task, &seen),
                     RF_ENOTFOUND);

    /* a lead unit of no province of the task's: nothing written, the stretch fails */
    assert_int_equal(rf_store_begin_changes(s, t.prov), RF_OK);
    stretch_open(s, deferred);
    y = new_task(&t, d.id, "Một nhiệm vụ khác", t.c1, "KH2.5", "2023-12-31");
    assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 7), RF_OK);
    y = new_task(&t, d.id, "Đơn vị lạ", t.n + 1000, "", "2023-12-31");
    assert_int_equal(rf_store_task_insert(s, &y, &coord, 0, 7), deferred ? RF_OK : RF_ECONFLICT);
    assert_int_equal(rf_store_defer_end(s), deferred ? RF_ENOTFOUND : RF_OK);
    rf_store_savepoint_undo(s, "stretch");
    assert_int_equal(rf_store_commit(s), RF_OK);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(rf_store_task_get_by_ref(s, t.prov, "KH2.5", collect_task, &seen),
                     RF_ENOTFOUND);
}

int run_tasks_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tasks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gathered_tasks, setup, teardown),
    };

    return cmocka_run_group_tests_name("tasks", tests, NULL, NULL);
}
