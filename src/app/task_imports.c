/*
 * The task book's CSV imports: documents, tasks (with their completion and
 * extensions as recorded) and progress reports, each file in one
 * transaction, every row checked as the forms check it and audited, a bad
 * row refusing the whole file with its line named.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/csv.h"
#include "../common/mem.h"
#include "../core/task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Check that the first record of 'c' is exactly 'header' (comma-separated names). */
static int check_header(struct rf_csv *c, const char *header, int *ncols, struct rf_error *err)
{
    char joined[512] = "";

    if (rf_csv_next(c) != 1)
        return rf_error_set(err, RF_EINVAL, "file", "header", "line 1: the header must be %s",
                            header);
    for (int i = 0; i < c->nfields; i++) {
        size_t used = strlen(joined);
        snprintf(joined + used, sizeof(joined) - used, "%s%s", i ? "," : "", c->field[i]);
    }
    if (strcmp(joined, header) != 0)
        return rf_error_set(err, RF_EINVAL, "file", "header", "line 1: the header must be %s",
                            header);
    *ncols = c->nfields;
    return RF_OK;
}

/* Prefix the messages added to 'err' since 'from' with the CSV line. */
static void at_line(struct rf_error *err, int from, int line)
{
    for (int i = from; i < err->n; i++) {
        char msg[sizeof(err->item[i].message) + 24];
        size_t n;
        snprintf(msg, sizeof(msg), "line %d: %s", line, err->item[i].message);
        n = strlen(msg) < sizeof(err->item[i].message) ? strlen(msg)
                                                       : sizeof(err->item[i].message) - 1;
        memcpy(err->item[i].message, msg, n);
        err->item[i].message[n] = '\0';
    }
}

#define ANALYZE_AFTER 10000 /* rows imported at once */

/* The rows of 'csv' (after its header) through 'row', in one transaction. */
typedef int (*import_row_fn)(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                             char **f, struct rf_error *err);

static int import_csv(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                      const char *header, import_row_fn row, int *count, struct rf_error *err)
{
    struct rf_store *s;
    struct rf_csv c;
    int ncols = 0, rows = 0, rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    rf_csv_init(&c, csv);
    rc = check_header(&c, header, &ncols, err);
    if (rc != RF_OK) {
        rf_csv_cleanup(&c);
        return rc;
    }
    s = rf_app_store_get(app);
    rc = s ? rf_store_begin(s) : RF_ESTORE;
    if (rc != RF_OK)
        rc = rf_app_store_error(rc, err);
    while (rc == RF_OK && (rc = rf_csv_next(&c)) == 1) {
        int before = err->n;
        if (c.nfields == 1 && !c.field[0][0]) {
            rc = RF_OK;
            continue;
        }
        if (c.nfields != ncols) {
            rc = rf_error_set(err, RF_EINVAL, "file", "columns", "line %d: expected %d columns",
                              c.line, ncols);
            break;
        }
        rc = row(app, s, actor, c.field, err);
        at_line(err, before, c.line);
        rows++;
    }
    if (rc < 0 && !err->n)
        rc = rf_error_set(err, RF_EINVAL, "file", "csv", "line %d: malformed CSV", c.next_line);
    if (rc == 0)
        rc = rf_store_commit(s);
    if (rc != RF_OK && !err->n)
        rc = rf_app_store_error(rc, err);
    /* a large import: the planner sees the tables as they now are */
    if (rc == RF_OK && rows >= ANALYZE_AFTER && rf_store_analyze(s) != RF_OK)
        rf_log_error("import: the planner's statistics were not made anew");
    rf_app_store_put(app, s);
    rf_csv_cleanup(&c);
    if (count)
        *count = rows;
    return rc;
}

static int document_row(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                        char **f, struct rf_error *err)
{
    struct rf_document_input in = {f[0], f[1], f[2], f[3], f[4]};
    struct rf_document d;
    struct rf_buf b = RF_BUF_INIT;
    char *title = NULL, *issuer = NULL;
    int rc;

    memset(&d, 0, sizeof(d));
    d.province_id = actor->province_id;
    if (!in.number[0] || strlen(in.number) > RF_DOC_NUMBER_MAX)
        return rf_error_set(err, RF_EINVAL, "number", "format", "bad document number");
    snprintf(d.number, sizeof(d.number), "%s", in.number);
    if (rf_app_check_text(in.issuer, "issuer", 200, &issuer, err) != RF_OK ||
        rf_app_check_text(in.title, "title", RF_APP_TITLE_MAX, &title, err) != RF_OK ||
        rf_date_check(in.issued_on, "issued_on", 1, d.issued_on, err) != RF_OK) {
        free(issuer);
        free(title);
        return RF_EINVAL;
    }
    snprintf(d.issuer, sizeof(d.issuer), "%s", issuer);
    snprintf(d.title, sizeof(d.title), "%s", title);
    free(issuer);
    free(title);
    if (!rf_task_body_known(in.assigning_body))
        return rf_error_set(err, RF_EINVAL, "assigning_body", "enum", "unknown assigning body '%s'",
                            in.assigning_body);
    snprintf(d.assigning_body, sizeof(d.assigning_body), "%s", in.assigning_body);
    d.created_at = d.updated_at = rf_app_now(app);
    rc = rf_store_document_insert(s, &d);
    if (rc == RF_ECONFLICT)
        return rf_error_set(err, RF_ECONFLICT, "number", "taken", "document %s exists", d.number);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    rf_app_document_json(&d, &b);
    rc = rf_app_audit(app, s, actor, "import", "document", d.id, NULL, rf_buf_str(&b));
    rf_buf_cleanup(&b);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_documents_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                            int *count, struct rf_error *err)
{
    return import_csv(app, actor, csv, "number,issuer,issued_on,title,assigning_body", document_row,
                      count, err);
}

enum {
    T_REF,
    T_DOC,
    T_TITLE,
    T_BODY,
    T_LEAD,
    T_COORD,
    T_FIELD,
    T_ASSIGNED,
    T_DEADLINE,
    T_COMPLETED,
    T_EXT_ON,
    T_EXT_DEADLINE,
    T_EXT_REASON
};

static int task_row(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor, char **f,
                    struct rf_error *err)
{
    struct rf_task_input in;
    struct rf_task *t = rf_xmalloc(sizeof(*t));
    struct rf_app_coord_units *cu = rf_xmalloc(sizeof(*cu));
    int rc;
    char *after = NULL;

    memset(&in, 0, sizeof(in));
    in.ref = f[T_REF];
    in.document_number = f[T_DOC];
    in.title = f[T_TITLE];
    in.assigning_body = f[T_BODY][0] ? f[T_BODY] : NULL;
    in.lead_unit_code = f[T_LEAD];
    in.coordinating_codes = f[T_COORD];
    in.field = f[T_FIELD];
    in.assigned_on = f[T_ASSIGNED];
    in.deadline = f[T_DEADLINE];
    rc = rf_app_task_build(app, s, actor, &in, 0, 1, t, cu, err);
    if (rc == RF_OK && f[T_COMPLETED][0] &&
        rf_date_check(f[T_COMPLETED], "completed_on", 1, t->completed_on, err) == RF_OK &&
        strcmp(t->completed_on, t->assigned_on) < 0)
        rc = rf_error_set(err, RF_EINVAL, "completed_on", "before_assignment",
                          "completed before it was assigned");
    if (rc == RF_OK && err->n)
        rc = RF_EINVAL;
    if (rc == RF_OK) {
        t->created_at = t->updated_at = rf_app_now(app);
        rc = rf_store_task_insert(s, t, cu->id, cu->n, actor->user_id);
        if (rc == RF_ECONFLICT)
            rc = rf_error_set(err, RF_ECONFLICT, "ref", "taken", "task %s exists", t->ref);
        else if (rc != RF_OK)
            rc = rf_app_store_error(rc, err);
    }
    if (rc == RF_OK && f[T_EXT_ON][0]) {
        struct rf_task_deadline ext;
        memset(&ext, 0, sizeof(ext));
        ext.set_by = actor->user_id;
        snprintf(ext.reason, sizeof(ext.reason), "%s", f[T_EXT_REASON]);
        if (rf_date_check(f[T_EXT_ON], "extended_on", 1, ext.set_on, err) != RF_OK ||
            rf_date_check(f[T_EXT_DEADLINE], "extended_deadline", 0, ext.deadline, err) != RF_OK)
            rc = RF_EINVAL;
        else if (strcmp(ext.set_on, t->assigned_on) <= 0)
            rc = rf_error_set(err, RF_EINVAL, "extended_on", "before_assignment",
                              "an extension comes after the assignment");
        else if ((rc = rf_store_task_deadline_add(s, t->province_id, t->id, &ext, t->created_at)) !=
                 RF_OK)
            rc = rf_app_store_error(rc, err);
        snprintf(t->deadline, sizeof(t->deadline), "%s", ext.deadline);
    }
    if (rc == RF_OK) {
        after = rf_app_task_audit_json(t);
        rc = rf_app_audit(app, s, actor, "import", "task", t->id, NULL, after);
        if (rc != RF_OK)
            rc = rf_app_store_error(rc, err);
    }
    free(after);
    free(cu);
    free(t);
    return rc;
}

int rf_app_tasks_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                        int *count, struct rf_error *err)
{
    return import_csv(app, actor, csv,
                      "ref,document,title,assigning_body,lead_unit,coordinating_units,field,"
                      "assigned_on,deadline,completed_on,extended_on,extended_deadline,"
                      "extension_reason",
                      task_row, count, err);
}

static int progress_row(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                        char **f, struct rf_error *err)
{
    struct rf_app_task_loaded *l = rf_xmalloc(sizeof(*l));
    struct rf_task_report r;
    struct rf_unit u;
    char *note = NULL, *end, after[160];
    long percent;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = f[0][0] ? rf_store_task_get_by_ref(s, actor->province_id, f[0], rf_app_task_keep, l)
                 : RF_ENOTFOUND;
    if (rc != RF_OK) {
        free(l);
        if (rc != RF_ENOTFOUND)
            return rf_app_store_error(rc, err);
        return rf_error_set(err, RF_EINVAL, "ref", "not_found", "no task with reference '%s'",
                            f[0]);
    }
    percent = strtol(f[2], &end, 10);
    if (rf_date_check(f[1], "reported_on", 1, r.reported_on, err) != RF_OK)
        rc = RF_EINVAL;
    else if (strcmp(r.reported_on, l->t.assigned_on) < 0)
        rc = rf_error_set(err, RF_EINVAL, "reported_on", "before_assignment",
                          "reported before the task was assigned");
    else if (!f[2][0] || *end || percent < 0 || percent > 100)
        rc = rf_error_set(err, RF_EINVAL, "percent", "range", "a percentage is 0 to 100");
    else if (rf_app_check_text(f[3], "note", RF_APP_TITLE_MAX, &note, err) != RF_OK)
        rc = RF_EINVAL;
    else if (rf_store_unit_get_by_code(s, actor->province_id, f[4], r.reported_on, &u) != RF_OK)
        rc = rf_error_set(err, RF_EINVAL, "unit", "not_found", "no unit with code '%s'", f[4]);
    if (rc == RF_OK) {
        r.task_id = l->t.id;
        r.unit_id = u.id;
        r.percent = (int)percent;
        snprintf(r.note, sizeof(r.note), "%s", note);
        r.author_id = actor->user_id;
        r.created_at = rf_app_now(app);
        rc = rf_store_task_report_add(s, actor->province_id, &r);
        snprintf(after, sizeof(after),
                 "{\"task_id\":%lld,\"unit_id\":%lld,\"reported_on\":\"%s\",\"percent\":%d}",
                 (long long)r.task_id, (long long)r.unit_id, r.reported_on, r.percent);
        if (rc == RF_OK)
            rc = rf_app_audit(app, s, actor, "import", "task_report", r.id, NULL, after);
        if (rc != RF_OK)
            rc = rf_app_store_error(rc, err);
    }
    free(note);
    free(l);
    return rc;
}

int rf_app_progress_import(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                           int *count, struct rf_error *err)
{
    return import_csv(app, actor, csv, "ref,reported_on,percent,note,unit", progress_row, count,
                      err);
}
