/*
 * The SQL of source documents, tasks, their deadline histories, coordinating
 * units and progress reports, for both backends. A task always travels with
 * its deadline history, since its status on a date depends on it.
 */
#include "store_int.h"
#include "../common/mem.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEADLINES 64

/* ---- documents ---- */

/* the last column counts the document's tasks: a read for people, not for lookups */
#define DOC_COLS                                                                                   \
    "d.id, d.province_id, d.number, d.issuer, d.issued_on, d.title, d.assigning_body,"             \
    " d.created_at, d.updated_at, (SELECT COUNT(*) FROM tasks t WHERE t.province_id = "            \
    "d.province_id"                                                                                \
    " AND t.document_id = d.id)"
#define DOC_COLS_LIGHT                                                                             \
    "d.id, d.province_id, d.number, d.issuer, d.issued_on, d.title, d.assigning_body,"             \
    " d.created_at, d.updated_at, -1"

static int read_document(struct rf_store *s, struct rf_rows *r, void *out)
{
    const struct rf_backend *be = s->be;
    struct rf_document *d = out;

    memset(d, 0, sizeof(*d));
    d->id = be->col_int(r, 0);
    d->province_id = be->col_int(r, 1);
    COPY(d->number, be->col_text(r, 2));
    COPY(d->issuer, be->col_text(r, 3));
    COPY(d->issued_on, be->col_text(r, 4));
    COPY(d->title, be->col_text(r, 5));
    COPY(d->assigning_body, be->col_text(r, 6));
    d->created_at = be->col_int(r, 7);
    d->updated_at = be->col_int(r, 8);
    d->tasks = be->col_int(r, 9);
    return 0;
}

int rf_store_document_insert(struct rf_store *s, struct rf_document *d)
{
    char *fold = NULL;
    int taken = 0;
    int rc = rf_sq_exists(s, "SELECT 1 FROM documents WHERE province_id = ? AND number = ?",
                          PARAMS(P_INT(d->province_id), P_TEXT(d->number)), &taken);

    if (rc != RF_OK || taken)
        return rc != RF_OK ? rc : RF_ECONFLICT;
    if (rf_text_fold(d->title, &fold) != RF_OK)
        return RF_EINVAL;
    rc =
        rf_sq_one_int(s,
                      "INSERT INTO documents (province_id, number, issuer, issued_on, title,"
                      " title_fold, assigning_body, created_at, updated_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      PARAMS(P_INT(d->province_id), P_TEXT(d->number), P_TEXT(d->issuer),
                             P_TEXT(d->issued_on), P_TEXT(d->title), P_TEXT(fold),
                             P_TEXT(d->assigning_body), P_INT(d->created_at), P_INT(d->updated_at)),
                      &d->id);
    free(fold);
    return rc;
}

int rf_store_document_get(struct rf_store *s, int64_t province_id, int64_t id,
                          struct rf_document *out)
{
    return rf_sq_first(s,
                       "SELECT " DOC_COLS " FROM documents d WHERE d.province_id = ? AND d.id = ?",
                       PARAMS(P_INT(province_id), P_INT(id)), read_document, out);
}

int rf_store_document_get_by_number(struct rf_store *s, int64_t province_id, const char *number,
                                    struct rf_document *out)
{
    return rf_sq_first(
        s, "SELECT " DOC_COLS " FROM documents d WHERE d.province_id = ? AND d.number = ?",
        PARAMS(P_INT(province_id), P_TEXT(number)), read_document, out);
}

int rf_store_document_find(struct rf_store *s, int64_t province_id, int64_t id, const char *number,
                           struct rf_document *out)
{
    if (number)
        return rf_sq_first(s,
                           "SELECT " DOC_COLS_LIGHT
                           " FROM documents d WHERE d.province_id = ? AND d.number = ?",
                           PARAMS(P_INT(province_id), P_TEXT(number)), read_document, out);
    return rf_sq_first(
        s, "SELECT " DOC_COLS_LIGHT " FROM documents d WHERE d.province_id = ? AND d.id = ?",
        PARAMS(P_INT(province_id), P_INT(id)), read_document, out);
}

struct document_rows {
    rf_document_fn fn;
    void *ctx;
};

static int document_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct document_rows *x = ctx;
    struct rf_document d;

    read_document(s, r, &d);
    return x->fn(x->ctx, &d);
}

int rf_store_documents_list(struct rf_store *s, int64_t province_id, const char *text_fold,
                            int64_t after_id, int limit, rf_document_fn fn, void *ctx)
{
    char *pattern = rf_sq_like_pattern(text_fold);
    struct document_rows x = {fn, ctx};
    int rc;

    rc = rf_sq_each(s,
                    "SELECT " DOC_COLS " FROM documents d WHERE d.province_id = ?"
                    " AND (CAST(? AS TEXT) IS NULL OR d.title_fold LIKE ? ESCAPE '\\'"
                    "      OR lower(d.number) LIKE ? ESCAPE '\\')"
                    " AND d.id > ? ORDER BY d.id LIMIT ?",
                    PARAMS(P_INT(province_id), P_TEXT(pattern), P_TEXT(pattern), P_TEXT(pattern),
                           P_INT(after_id), P_INT(limit > 0 ? limit : NO_LIMIT)),
                    document_row, &x);
    free(pattern);
    return rc;
}

/* ---- tasks ---- */

/* the task columns, then its deadline history's, one row per deadline */
#define TASK_COLS                                                                                  \
    "t.id, t.province_id, t.document_id, doc.number, COALESCE(t.ref, ''), t.title,"                \
    " t.assigning_body, t.lead_unit_id, lu.code, t.field, t.assigned_on, t.deadline,"              \
    " t.completed_on, t.created_at, t.updated_at,"                                                 \
    " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = t.id"                       \
    "  AND r.unit_id = t.lead_unit_id"                                                             \
    "  ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0),"                                       \
    " dl.set_on, dl.deadline, dl.reason, dl.set_by"

#define TASK_JOINS                                                                                 \
    " JOIN documents doc ON doc.province_id = t.province_id AND doc.id = t.document_id"            \
    " JOIN units lu ON lu.province_id = t.province_id AND lu.id = t.lead_unit_id"                  \
    " LEFT JOIN task_deadlines dl ON dl.task_id = t.id"

#define TASK_ORDER " ORDER BY t.id, dl.set_on, dl.id"

static void read_task(struct rf_store *s, struct rf_rows *r, struct rf_task *t)
{
    const struct rf_backend *be = s->be;

    memset(t, 0, sizeof(*t));
    t->id = be->col_int(r, 0);
    t->province_id = be->col_int(r, 1);
    t->document_id = be->col_int(r, 2);
    COPY(t->document_number, be->col_text(r, 3));
    COPY(t->ref, be->col_text(r, 4));
    COPY(t->title, be->col_text(r, 5));
    COPY(t->assigning_body, be->col_text(r, 6));
    t->lead_unit_id = be->col_int(r, 7);
    COPY(t->lead_unit_code, be->col_text(r, 8));
    COPY(t->field, be->col_text(r, 9));
    COPY(t->assigned_on, be->col_text(r, 10));
    COPY(t->deadline, be->col_text(r, 11));
    COPY(t->completed_on, be->col_text(r, 12));
    t->created_at = be->col_int(r, 13);
    t->updated_at = be->col_int(r, 14);
    t->percent = (int)be->col_int(r, 15);
}

/* Tasks joined with their deadlines, one row per deadline, gathered into one call per task. */
struct task_rows {
    rf_task_fn fn;
    void *ctx;
    struct rf_task *t; /* the task being gathered, whose id is 'current' (0: none) */
    struct rf_task_deadline *dl;
    int64_t current;
    int n, found;
};

static int task_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    struct task_rows *x = ctx;
    int64_t id = s->be->col_int(r, 0);
    int rc;

    if (id != x->current) {
        if (x->current && (rc = x->fn(x->ctx, x->t, x->dl, x->n)) != 0) {
            x->current = 0; /* stopped: the task it was given is the last */
            return rc;
        }
        read_task(s, r, x->t);
        x->current = id;
        x->n = 0;
        x->found = 1;
    }
    if (!s->be->col_null(r, 16) && x->n < MAX_DEADLINES) {
        struct rf_task_deadline *d = &x->dl[x->n++];
        COPY(d->set_on, s->be->col_text(r, 16));
        COPY(d->deadline, s->be->col_text(r, 17));
        COPY(d->reason, s->be->col_text(r, 18));
        d->set_by = s->be->col_int(r, 19);
    }
    return 0;
}

/* Run 'sql' (TASK_COLS ... TASK_ORDER), calling 'fn' once per task; RF_ENOTFOUND without rows. */
static int each_task(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                     rf_task_fn fn, void *ctx)
{
    struct task_rows x = {
        fn, ctx, rf_xmalloc(sizeof(*x.t)), rf_xcalloc(MAX_DEADLINES, sizeof(*x.dl)), 0, 0, 0};
    int rc = rf_sq_each(s, sql, p, n, task_row, &x);

    /* the last task's rows ran out with the statement: its call comes after, under the same
       rule (1 stops, which here is the end anyway) */
    if (rc == RF_OK && x.current && (rc = fn(ctx, x.t, x.dl, x.n)) > 0)
        rc = RF_OK;
    free(x.t);
    free(x.dl);
    return rc == RF_OK && !x.found ? RF_ENOTFOUND : rc;
}

#define TASK_INSERT_COLS                                                                           \
    "province_id, document_id, ref, title, title_fold, assigning_body, lead_unit_id, field,"       \
    " assigned_on, deadline, completed_on, created_at, updated_at"
#define TASK_INSERT_VALUES(t, fold)                                                                \
    P_INT((t)->province_id), P_INT((t)->document_id), P_OPT_TEXT((t)->ref), P_TEXT((t)->title),    \
        P_TEXT(fold), P_TEXT((t)->assigning_body), P_INT((t)->lead_unit_id), P_TEXT((t)->field),   \
        P_TEXT((t)->assigned_on), P_OPT_TEXT((t)->deadline), P_OPT_TEXT((t)->completed_on),        \
        P_INT((t)->created_at), P_INT((t)->updated_at)

/*
 * What a task points to, checked by its insert: its document and its lead
 * unit are the province's (so the province exists). PostgreSQL has no
 * foreign keys there (migration 0010): these are its checks.
 */
#define TASK_REFS                                                                                  \
    " WHERE EXISTS (SELECT 1 FROM documents d WHERE d.province_id = ? AND d.id = ?)"               \
    " AND EXISTS (SELECT 1 FROM units u WHERE u.province_id = ? AND u.id = ?)"
#define TASK_REFS_VALUES(t)                                                                        \
    P_INT((t)->province_id), P_INT((t)->document_id), P_INT((t)->province_id),                     \
        P_INT((t)->lead_unit_id)

/*
 * The tasks gathered while writes are deferred (PostgreSQL), in one
 * statement, each checked as TASK_REFS checks one: a task whose document or
 * lead unit is not its province's writes nothing and a reference taken fails
 * the statement, either failing the deferred writes, so that the changes run
 * again one at a time and the insert below refuses the one at fault.
 */
#define TASKS_GATHERED                                                                             \
    "INSERT INTO tasks (id, " TASK_INSERT_COLS ") SELECT v.* FROM unnest("                         \
    "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),"            \
    " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),"               \
    " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),"                 \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS v(id, " TASK_INSERT_COLS ")"                    \
    " WHERE EXISTS (SELECT 1 FROM documents d WHERE d.province_id = v.province_id"                 \
    " AND d.id = v.document_id)"                                                                   \
    " AND EXISTS (SELECT 1 FROM units u WHERE u.province_id = v.province_id"                       \
    " AND u.id = v.lead_unit_id)"

/* A task's first deadline, as the insert below writes it; gathered, as one statement. */
#define DEADLINE_INSERT                                                                            \
    "INSERT INTO task_deadlines (task_id, set_on, deadline, reason, set_by, created_at)"           \
    " VALUES (?, ?, ?, '', ?, ?)"
#define DEADLINES_GATHERED                                                                         \
    "INSERT INTO task_deadlines (task_id, set_on, deadline, reason, set_by, created_at)"           \
    " SELECT v.task_id, v.set_on, v.deadline, '', v.set_by, v.created_at FROM unnest("             \
    "CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),"              \
    " CAST(? AS BIGINT[])) AS v(task_id, set_on, deadline, set_by, created_at)"

int rf_store_task_insert(struct rf_store *s, struct rf_task *t, const int64_t *coordinating,
                         int ncoordinating, int64_t set_by)
{
    char *fold = NULL;
    int64_t id;
    int taken = 0, gathered = rf_sq_gathering(s);
    /* gathered, a reference taken fails the statement: the caller asked before writing */
    int rc = gathered ? RF_OK : rf_store_task_ref_taken(s, t->province_id, t->ref, &taken);

    if (rc != RF_OK || taken)
        return rc != RF_OK ? rc : RF_ECONFLICT;
    if (rf_text_fold(t->title, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_next_id(s, RF_IDS_TASKS, &id);
    if (rc == RF_OK && gathered) {
        rc = rf_sq_gather(s, RF_GATHER_TASKS, TASKS_GATHERED,
                          PARAMS(P_INT(id), TASK_INSERT_VALUES(t, fold)));
        if (rc == RF_OK)
            t->id = id;
        else
            rf_sq_id_back(s, RF_IDS_TASKS);
    } else if (rc == RF_OK) { /* the id known, nothing of the answer is needed */
        rc = rf_sq_write_one(
            s,
            "INSERT INTO tasks (id, " TASK_INSERT_COLS ")"
            " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" TASK_REFS " RETURNING id",
            PARAMS(P_INT(id), TASK_INSERT_VALUES(t, fold), TASK_REFS_VALUES(t)), NULL);
        if (rc == RF_OK)
            t->id = id;
        else
            rf_sq_id_back(s, RF_IDS_TASKS);
    } else if (rc == RF_ENOTFOUND) {
        rc =
            rf_sq_one_int(s,
                          "INSERT INTO tasks (" TASK_INSERT_COLS ")"
                          " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" TASK_REFS " RETURNING id",
                          PARAMS(TASK_INSERT_VALUES(t, fold), TASK_REFS_VALUES(t)), &t->id);
    }
    free(fold);
    if (rc == RF_ENOTFOUND) /* its document or lead unit is not the province's */
        return RF_ECONFLICT;
    if (rc == RF_OK && gathered)
        rc = rf_sq_gather(s, RF_GATHER_DEADLINES, DEADLINES_GATHERED,
                          PARAMS(P_INT(t->id), P_TEXT(t->assigned_on), P_OPT_TEXT(t->deadline),
                                 P_INT(set_by), P_INT(t->created_at)));
    else if (rc == RF_OK)
        rc = rf_sq_run(s, DEADLINE_INSERT,
                       PARAMS(P_INT(t->id), P_TEXT(t->assigned_on), P_OPT_TEXT(t->deadline),
                              P_INT(set_by), P_INT(t->created_at)));
    for (int i = 0; rc == RF_OK && i < ncoordinating; i++)
        rc = rf_sq_run(s, "INSERT INTO task_units (task_id, unit_id) VALUES (?, ?)",
                       PARAMS(P_INT(t->id), P_INT(coordinating[i])));
    return rc;
}

int rf_store_task_ref_taken(struct rf_store *s, int64_t province_id, const char *ref, int *taken)
{
    *taken = 0;
    if (!ref || !*ref)
        return RF_OK;
    return rf_sq_exists(s, "SELECT 1 FROM tasks WHERE province_id = ? AND ref = ?",
                        PARAMS(P_INT(province_id), P_TEXT(ref)), taken);
}

int rf_store_task_update(struct rf_store *s, const struct rf_task *t)
{
    char *fold = NULL;
    int64_t found = 0;
    int rc;

    if (rf_text_fold(t->title, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "UPDATE tasks SET title = ?, title_fold = ?, field = ?, lead_unit_id = ?,"
                       " completed_on = ?, updated_at = ? WHERE province_id = ? AND id = ?"
                       " AND EXISTS (SELECT 1 FROM units u WHERE u.province_id = ? AND u.id = ?)"
                       " RETURNING id",
                       PARAMS(P_TEXT(t->title), P_TEXT(fold), P_TEXT(t->field),
                              P_INT(t->lead_unit_id), P_OPT_TEXT(t->completed_on),
                              P_INT(t->updated_at), P_INT(t->province_id), P_INT(t->id),
                              P_INT(t->province_id), P_INT(t->lead_unit_id)),
                       &found);
    free(fold);
    return rc;
}

int rf_store_task_get(struct rf_store *s, int64_t province_id, int64_t id, rf_task_fn fn, void *ctx)
{
    return each_task(s,
                     "SELECT " TASK_COLS " FROM tasks t" TASK_JOINS
                     " WHERE t.province_id = ? AND t.id = ?" TASK_ORDER,
                     PARAMS(P_INT(province_id), P_INT(id)), fn, ctx);
}

int rf_store_task_get_by_ref(struct rf_store *s, int64_t province_id, const char *ref,
                             rf_task_fn fn, void *ctx)
{
    return each_task(s,
                     "SELECT " TASK_COLS " FROM tasks t" TASK_JOINS
                     " WHERE t.province_id = ? AND t.ref = ?" TASK_ORDER,
                     PARAMS(P_INT(province_id), P_TEXT(ref)), fn, ctx);
}

/* the filters every task list shares, after the lead unit's condition */
#define TASK_FILTERS                                                                               \
    "  AND (? = 1 OR t.lead_unit_id IN (SELECT id FROM scope)"                                     \
    "       OR EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id"                        \
    "                  AND tu.unit_id IN (SELECT id FROM scope)))"                                 \
    "  AND (CAST(? AS BIGINT) IS NULL OR t.document_id = ?)"                                       \
    "  AND (CAST(? AS TEXT) IS NULL OR t.field = ?)"                                               \
    "  AND (CAST(? AS TEXT) IS NULL"                                                               \
    "       OR (',' || CAST(? AS TEXT) || ',') LIKE ('%,' || t.assigning_body || ',%'))"           \
    "  AND (CAST(? AS TEXT) IS NULL OR t.assigned_on >= ?)"                                        \
    "  AND (CAST(? AS TEXT) IS NULL OR t.assigned_on <= ?)"                                        \
    "  AND (CAST(? AS TEXT) IS NULL OR t.deadline >= ?)"                                           \
    "  AND (CAST(? AS TEXT) IS NULL OR t.deadline <= ?)"                                           \
    "  AND (CAST(? AS TEXT) IS NULL OR t.title_fold LIKE ? ESCAPE '\\'"                            \
    "       OR lower(COALESCE(t.ref, '')) LIKE ? ESCAPE '\\')"                                     \
    "  AND t.id > ? ORDER BY t.id LIMIT ?)"                                                        \
    " SELECT " TASK_COLS " FROM page JOIN tasks t ON t.id = page.id" TASK_JOINS TASK_ORDER

/*
 * Three statements, chosen by the lead unit filter so that each can use the
 * index on (province, lead unit, id): none, a unit that never held others
 * (an equality: the rows come in id order and the page stops early), or a
 * unit with a subtree (its units, then sorted).
 */
static const char tasks_any_lead[] = "WITH RECURSIVE " EVER_UNDER(
    "scope") ","
             " page AS (SELECT t.id FROM tasks t WHERE t.province_id = ?"
             "  AND ? = 0" TASK_FILTERS;
static const char tasks_one_lead[] = "WITH RECURSIVE " EVER_UNDER(
    "scope") ","
             " page AS (SELECT t.id FROM tasks t WHERE t.province_id = ?"
             "  AND t.lead_unit_id = ?" TASK_FILTERS;
static const char tasks_lead_tree[] = "WITH RECURSIVE " EVER_UNDER("scope") ", " EVER_UNDER(
    "lead") ","
            " page AS (SELECT t.id FROM tasks t WHERE t.province_id = ?"
            "  AND t.lead_unit_id IN (SELECT id FROM lead) AND ? > 0" TASK_FILTERS;

int rf_store_tasks_list(struct rf_store *s, const struct rf_task_query *q, rf_task_fn fn, void *ctx)
{
    const char *sql = tasks_any_lead;
    char *pattern = rf_sq_like_pattern(q->text_fold);
    struct rf_param p[40];
    int64_t held = 0;
    int n = 0, rc;

    p[n++] = P_INT(q->province_id);
    p[n++] = P_INT(q->all_units ? 0 : q->scope_root_id);
    if (q->lead_unit_id) {
        rc = rf_sq_one_int(
            s, "SELECT COUNT(*) FROM unit_links WHERE province_id = ? AND parent_id = ?",
            PARAMS(P_INT(q->province_id), P_INT(q->lead_unit_id)), &held);
        if (rc != RF_OK) {
            free(pattern);
            return rc;
        }
        sql = held ? tasks_lead_tree : tasks_one_lead;
        if (held) {
            p[n++] = P_INT(q->province_id);
            p[n++] = P_INT(q->lead_unit_id);
        }
    }
    p[n++] = P_INT(q->province_id);
    p[n++] = P_INT(q->lead_unit_id);
    p[n++] = P_INT(q->all_units ? 1 : 0);
    p[n++] = P_OPT_INT(q->document_id);
    p[n++] = P_OPT_INT(q->document_id);
    p[n++] = P_OPT_TEXT(q->field);
    p[n++] = P_OPT_TEXT(q->field);
    p[n++] = P_OPT_TEXT(q->assigning_body);
    p[n++] = P_OPT_TEXT(q->assigning_body);
    p[n++] = P_OPT_TEXT(q->assigned_from);
    p[n++] = P_OPT_TEXT(q->assigned_from);
    p[n++] = P_OPT_TEXT(q->assigned_to);
    p[n++] = P_OPT_TEXT(q->assigned_to);
    p[n++] = P_OPT_TEXT(q->deadline_from);
    p[n++] = P_OPT_TEXT(q->deadline_from);
    p[n++] = P_OPT_TEXT(q->deadline_to);
    p[n++] = P_OPT_TEXT(q->deadline_to);
    p[n++] = P_TEXT(pattern);
    p[n++] = P_TEXT(pattern);
    p[n++] = P_TEXT(pattern);
    p[n++] = P_INT(q->after_id);
    p[n++] = P_INT(q->limit > 0 ? q->limit : NO_LIMIT);
    rc = each_task(s, sql, p, n, fn, ctx);
    free(pattern);
    return rc == RF_ENOTFOUND ? RF_OK : rc; /* an empty list */
}

int rf_store_task_deadline_add(struct rf_store *s, int64_t province_id, int64_t task_id,
                               const struct rf_task_deadline *d, int64_t now)
{
    int64_t found = 0;
    int rc;

    rc = rf_sq_one_int(
        s,
        "UPDATE tasks SET deadline = ?, updated_at = ? WHERE province_id = ?"
        " AND id = ? RETURNING id",
        PARAMS(P_OPT_TEXT(d->deadline), P_INT(now), P_INT(province_id), P_INT(task_id)), &found);
    if (rc == RF_OK)
        rc = rf_sq_run(s,
                       "INSERT INTO task_deadlines (task_id, set_on, deadline, reason, set_by,"
                       " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       PARAMS(P_INT(task_id), P_TEXT(d->set_on), P_OPT_TEXT(d->deadline),
                              P_TEXT(d->reason), P_INT(d->set_by), P_INT(now)));
    return rc;
}

struct id_rows {
    rf_id_fn fn;
    void *ctx;
};

static int id_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct id_rows *x = ctx;

    return x->fn(x->ctx, s->be->col_int(r, 0), s->be->col_text(r, 1));
}

int rf_store_task_units(struct rf_store *s, int64_t province_id, int64_t task_id, rf_id_fn fn,
                        void *ctx)
{
    struct id_rows x = {fn, ctx};

    /* a task's rows are reached through the task, which is the province's */
    return rf_sq_each(s,
                      "SELECT u.id, u.code FROM tasks t JOIN task_units tu ON tu.task_id = t.id"
                      " JOIN units u ON u.province_id = t.province_id AND u.id = tu.unit_id"
                      " WHERE t.province_id = ? AND t.id = ? ORDER BY u.code",
                      PARAMS(P_INT(province_id), P_INT(task_id)), id_row, &x);
}

int rf_store_task_report_add(struct rf_store *s, int64_t province_id, struct rf_task_report *x)
{
    return rf_sq_one_int(s,
                         "INSERT INTO task_reports (task_id, unit_id, reported_on, percent, note,"
                         " author_id, created_at) SELECT t.id, u.id, CAST(? AS TEXT),"
                         " CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS BIGINT),"
                         " CAST(? AS BIGINT) FROM tasks t JOIN units u"
                         " ON u.province_id = t.province_id AND u.id = ?"
                         " WHERE t.province_id = ? AND t.id = ? RETURNING id",
                         PARAMS(P_TEXT(x->reported_on), P_INT(x->percent), P_TEXT(x->note),
                                P_INT(x->author_id), P_INT(x->created_at), P_INT(x->unit_id),
                                P_INT(province_id), P_INT(x->task_id)),
                         &x->id);
}

struct report_rows {
    rf_task_report_fn fn;
    void *ctx;
};

static int report_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct report_rows *x = ctx;
    const struct rf_backend *be = s->be;
    struct rf_task_report rep;

    memset(&rep, 0, sizeof(rep));
    rep.id = be->col_int(r, 0);
    rep.task_id = be->col_int(r, 1);
    rep.unit_id = be->col_int(r, 2);
    COPY(rep.unit_code, be->col_text(r, 3));
    COPY(rep.reported_on, be->col_text(r, 4));
    rep.percent = (int)be->col_int(r, 5);
    COPY(rep.note, be->col_text(r, 6));
    rep.author_id = be->col_int(r, 7);
    rep.created_at = be->col_int(r, 8);
    return x->fn(x->ctx, &rep);
}

int rf_store_task_reports(struct rf_store *s, int64_t province_id, int64_t task_id,
                          rf_task_report_fn fn, void *ctx)
{
    struct report_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT r.id, r.task_id, r.unit_id, u.code, r.reported_on, r.percent,"
                      " r.note, r.author_id, r.created_at FROM tasks t"
                      " JOIN task_reports r ON r.task_id = t.id"
                      " JOIN units u ON u.province_id = t.province_id AND u.id = r.unit_id"
                      " WHERE t.province_id = ? AND t.id = ? ORDER BY r.reported_on, r.id",
                      PARAMS(P_INT(province_id), P_INT(task_id)), report_row, &x);
}
