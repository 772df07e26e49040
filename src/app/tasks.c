/*
 * Reform tasks: the secretariat registers source documents and the tasks
 * they assign; units report progress and completion; only the assigner
 * extends a deadline, and the history of deadlines is kept. Every figure is
 * computed from the tasks with the rules of core/task.c, never stored.
 */
#include "app_int.h"
#include "../common/csv.h"
#include "../common/mem.h"
#include "../core/period.h"
#include "../core/task.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 1000 /* code points */

/* ---- JSON ---- */

static void add_str_or_null(struct rf_buf *out, const char *s)
{
    rf_buf_add_json_str(out, s && *s ? s : NULL);
}

void rf_app_document_json(const struct rf_document *d, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, d->id);
    rf_buf_adds(out, ",\"number\":");
    rf_buf_add_json_str(out, d->number);
    rf_buf_adds(out, ",\"issuer\":");
    rf_buf_add_json_str(out, d->issuer);
    rf_buf_adds(out, ",\"issued_on\":");
    rf_buf_add_json_str(out, d->issued_on);
    rf_buf_adds(out, ",\"title\":");
    rf_buf_add_json_str(out, d->title);
    rf_buf_adds(out, ",\"assigning_body\":");
    rf_buf_add_json_str(out, d->assigning_body);
    rf_buf_adds(out, ",\"tasks\":");
    rf_buf_addi(out, d->tasks);
    rf_buf_addc(out, '}');
}

void rf_app_task_json(const struct rf_task *t, const char *status, struct rf_buf *out)
{
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, t->id);
    rf_buf_adds(out, ",\"ref\":");
    add_str_or_null(out, t->ref);
    rf_buf_adds(out, ",\"document_id\":");
    rf_buf_addi(out, t->document_id);
    rf_buf_adds(out, ",\"document_number\":");
    rf_buf_add_json_str(out, t->document_number);
    rf_buf_adds(out, ",\"title\":");
    rf_buf_add_json_str(out, t->title);
    rf_buf_adds(out, ",\"assigning_body\":");
    rf_buf_add_json_str(out, t->assigning_body);
    rf_buf_adds(out, ",\"lead_unit_id\":");
    rf_buf_addi(out, t->lead_unit_id);
    rf_buf_adds(out, ",\"lead_unit_code\":");
    rf_buf_add_json_str(out, t->lead_unit_code);
    rf_buf_adds(out, ",\"field\":");
    rf_buf_add_json_str(out, t->field);
    rf_buf_adds(out, ",\"assigned_on\":");
    rf_buf_add_json_str(out, t->assigned_on);
    rf_buf_adds(out, ",\"deadline\":");
    add_str_or_null(out, t->deadline);
    rf_buf_adds(out, ",\"completed_on\":");
    add_str_or_null(out, t->completed_on);
    rf_buf_adds(out, ",\"percent\":");
    rf_buf_addi(out, t->percent);
    rf_buf_adds(out, ",\"status\":");
    add_str_or_null(out, status);
    rf_buf_addc(out, '}');
}

static char *task_audit_json(const struct rf_task *t)
{
    struct rf_buf b = RF_BUF_INIT;

    rf_app_task_json(t, NULL, &b);
    return rf_buf_detach(&b, NULL);
}

/* ---- rules shared by the use cases ---- */

/* The core's view of a task with deadline history 'dl'; 'changes' holds RF_APP_MAX_DEADLINES. */
int rf_app_task_facts(const struct rf_task *t, const struct rf_task_deadline *dl, int n,
                      struct rf_deadline_change *changes, struct rf_task_facts *f)
{
    int used = 0;

    memset(f, 0, sizeof(*f));
    if (rf_date_parse(t->assigned_on, &f->assigned_on) != RF_OK)
        return RF_EINVAL;
    f->completed = t->completed_on[0] && rf_date_parse(t->completed_on, &f->completed_on) == RF_OK;
    for (int i = 0; i < n && used < RF_APP_MAX_DEADLINES; i++) {
        struct rf_deadline_change *c = &changes[used];
        if (rf_date_parse(dl[i].set_on, &c->set_on) != RF_OK)
            continue;
        c->has_deadline = dl[i].deadline[0] && rf_date_parse(dl[i].deadline, &c->deadline) == RF_OK;
        used++;
    }
    if (used == 0) { /* every task has the deadline row of its assignment; be safe */
        changes[0].set_on = f->assigned_on;
        changes[0].has_deadline = 0;
        used = 1;
    }
    f->deadlines = changes;
    f->ndeadlines = used;
    return RF_OK;
}

/* The status of a task with deadline history 'dl' on 'on'. */
static enum rf_task_status status_of(const struct rf_task *t, const struct rf_task_deadline *dl,
                                     int n, struct rf_date on, int *due)
{
    struct rf_deadline_change changes[RF_APP_MAX_DEADLINES];
    struct rf_task_facts f;

    if (rf_app_task_facts(t, dl, n, changes, &f) != RF_OK)
        return RF_TASK_NOT_ASSIGNED;
    if (due)
        *due = rf_task_due_on(&f, on);
    return rf_task_status_on(&f, on);
}

/* Check a text of 1..'max' code points into 'out' (caller frees). */
static int check_text(const char *text, const char *field, int max, char **out,
                      struct rf_error *err)
{
    if (!text || !*text)
        return rf_error_set(err, RF_EINVAL, field, "required", "'%s' is required", field);
    if (rf_text_nfc(text, out) != RF_OK)
        return rf_error_set(err, RF_EINVAL, field, "text",
                            "'%s' is UTF-8 text without control characters", field);
    if (rf_text_length(*out) > (size_t)max) {
        free(*out);
        *out = NULL;
        return rf_error_set(err, RF_EINVAL, field, "too_long", "'%s' has at most %d characters",
                            field, max);
    }
    return RF_OK;
}

int rf_app_check_date(const char *text, const char *field, int required, char out[RF_DATE_LEN],
                      struct rf_error *err)
{
    struct rf_date d;

    out[0] = '\0';
    if (!text || !*text)
        return required ? rf_error_set(err, RF_EINVAL, field, "required", "'%s' is required", field)
                        : RF_OK;
    if (rf_date_parse(text, &d) != RF_OK)
        return rf_error_set(err, RF_EINVAL, field, "date", "'%s' is a date YYYY-MM-DD", field);
    rf_date_format(d, out);
    return RF_OK;
}

/* Whether the actor may see a task led by 'lead' and coordinated by others of 'task_id'. */
struct coord {
    struct rf_store *s;
    const struct rf_actor *actor;
    int64_t match; /* a coordinating unit within the scope */
};

static int coord_in_scope(void *ctx, int64_t id, const char *code)
{
    struct coord *c = ctx;
    int yes = 0;

    (void)code;
    if (rf_store_unit_within_ever(c->s, c->actor->scope_unit_id, id, &yes) == RF_OK && yes) {
        c->match = id;
        return 1;
    }
    return 0;
}

/*
 * The unit through which the actor sees task 't': its lead unit, or a
 * coordinating unit, when under the actor's scope (now or once); 0 when
 * none. Province-wide actors see every task through its lead unit.
 */
static int64_t seen_through(struct rf_store *s, const struct rf_actor *actor,
                            const struct rf_task *t)
{
    struct coord c = {s, actor, 0};
    int yes = 0;

    if (rf_access_province_wide(actor->roles))
        return t->lead_unit_id;
    if (rf_store_unit_within_ever(s, actor->scope_unit_id, t->lead_unit_id, &yes) == RF_OK && yes)
        return t->lead_unit_id;
    if (rf_store_task_units(s, t->id, coord_in_scope, &c) != RF_OK)
        return 0;
    return c.match;
}

/* A task with its history, loaded for a use case. */
struct loaded {
    struct rf_task t;
    struct rf_task_deadline dl[RF_APP_MAX_DEADLINES];
    int n;
};

static int keep_task(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl, int n)
{
    struct loaded *l = ctx;

    l->t = *t;
    l->n = n < RF_APP_MAX_DEADLINES ? n : RF_APP_MAX_DEADLINES;
    memcpy(l->dl, dl, sizeof(*dl) * (size_t)l->n);
    return 1;
}

/* Load task 'id' as the actor sees it: RF_ENOTFOUND when absent or out of scope. */
static int load_task(struct rf_store *s, const struct rf_actor *actor, int64_t id, struct loaded *l,
                     int64_t *through, struct rf_error *err)
{
    int64_t unit;
    int rc = rf_store_task_get(s, actor->province_id, id, keep_task, l);

    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    unit = seen_through(s, actor, &l->t);
    if (!unit)
        return rf_app_store_error(RF_ENOTFOUND, err); /* word for word as when absent */
    if (through)
        *through = unit;
    return RF_OK;
}

/* ---- documents ---- */

struct document_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    struct rf_document *d;
};

static int insert_document(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct document_job *job = ctx;
    struct rf_buf b = RF_BUF_INIT;
    int rc = rf_store_document_insert(s, job->d);

    if (rc == RF_ECONFLICT)
        return rf_error_set(err, RF_ECONFLICT, "number", "taken",
                            "a document numbered %s is registered already", job->d->number);
    if (rc == RF_OK) {
        rf_app_document_json(job->d, &b);
        rc = rf_app_audit(job->app, s, job->actor, "create", "document", job->d->id, NULL,
                          rf_buf_str(&b));
        rf_buf_cleanup(&b);
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_document_create(struct rf_app *app, const struct rf_actor *actor,
                           const struct rf_document_input *in, struct rf_document *out,
                           struct rf_error *err)
{
    struct rf_document d;
    char *title = NULL, *issuer = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    memset(&d, 0, sizeof(d));
    d.province_id = actor->province_id;
    if (!in->number || !*in->number)
        rf_error_set(err, RF_EINVAL, "number", "required", "the number and symbol are required");
    else if (strlen(in->number) > RF_DOC_NUMBER_MAX || in->number[strcspn(in->number, "\r\n\t")])
        rf_error_set(err, RF_EINVAL, "number", "format",
                     "a number and symbol like 01/NQ-CP has at most %d bytes on one line",
                     RF_DOC_NUMBER_MAX);
    else
        snprintf(d.number, sizeof(d.number), "%s", in->number);
    if (check_text(in->issuer, "issuer", 200, &issuer, err) == RF_OK)
        snprintf(d.issuer, sizeof(d.issuer), "%s", issuer);
    (void)!rf_app_check_date(in->issued_on, "issued_on", 1, d.issued_on, err);
    if (check_text(in->title, "title", TITLE_MAX, &title, err) == RF_OK)
        snprintf(d.title, sizeof(d.title), "%s", title);
    if (!in->assigning_body || !*in->assigning_body)
        rf_error_set(err, RF_EINVAL, "assigning_body", "required",
                     "the assigning body is required");
    else if (!rf_task_body_known(in->assigning_body))
        rf_error_set(err, RF_EINVAL, "assigning_body", "enum", "unknown assigning body '%s'",
                     in->assigning_body);
    else
        snprintf(d.assigning_body, sizeof(d.assigning_body), "%s", in->assigning_body);
    if (err && err->n) {
        rc = RF_EINVAL;
        goto out;
    }
    d.created_at = d.updated_at = rf_app_now(app);
    {
        struct document_job job = {app, actor, &d};
        rc = rf_app_write(app, insert_document, &job, err);
    }
    if (rc == RF_OK)
        *out = d;
out:
    free(title);
    free(issuer);
    return rc;
}

int rf_app_document_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                        struct rf_document *out, struct rf_error *err)
{
    struct rf_store *s;
    int rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);

    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    rc = rf_store_document_get(s, actor->province_id, id, out);
    rf_app_store_put(app, s);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_documents_list(struct rf_app *app, const struct rf_actor *actor, const char *text,
                          int64_t after_id, int limit, rf_document_fn fn, void *ctx,
                          struct rf_error *err)
{
    struct rf_store *s;
    char *fold = NULL;
    int rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);

    if (rc != RF_OK)
        return rc;
    if (text && rf_text_fold(text, &fold) != RF_OK)
        return rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    s = rf_app_store_get(app);
    rc = s ? rf_store_documents_list(s, actor->province_id, fold, after_id, limit, fn, ctx)
           : RF_ESTORE;
    rf_app_store_put(app, s);
    free(fold);
    return rc < 0 ? rf_app_store_error(rc, err) : RF_OK;
}

/* ---- tasks ---- */

/* Prefix a field name with the task's place in a batch: "tasks[2].title". */
static const char *at(char buf[48], int n, int i, const char *field)
{
    if (n <= 1)
        return field;
    snprintf(buf, 48, "tasks[%d].%s", i, field);
    return buf;
}

/* A unit in force on 'date' by id or code, under the actor's scope then. */
static int check_unit(struct rf_store *s, const struct rf_actor *actor, int64_t id,
                      const char *code, const char *date, const char *field, int64_t *out,
                      char *code_out, struct rf_error *err)
{
    struct rf_unit u;
    int rc;

    if (!id && (!code || !*code))
        return rf_error_set(err, RF_EINVAL, field, "required", "'%s' is required", field);
    rc = code && *code ? rf_store_unit_get_by_code(s, actor->province_id, code, date, &u)
                       : rf_store_unit_get(s, actor->province_id, id, date, &u);
    if (rc == RF_OK && !rf_app_unit_in_force(&u, date))
        rc = RF_ENOTFOUND;
    if (rc == RF_OK && rf_app_scope_check(s, actor, u.id, date, NULL) != RF_OK)
        rc = RF_ENOTFOUND;
    if (rc == RF_ENOTFOUND)
        return rf_error_set(err, RF_EINVAL, field, "not_found", "no such unit in force on %s",
                            date);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    *out = u.id;
    if (code_out)
        snprintf(code_out, RF_UNIT_CODE_MAX + 1, "%s", u.code);
    return RF_OK;
}

/* Up to 32 coordinating units of a task, with their codes for the answer. */
struct coord_units {
    int64_t id[32];
    char code[32][RF_UNIT_CODE_MAX + 1];
    int n;
};

/* Validate input 'i' of 'n' into 't' and its coordinating units. */
static int build_task(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                      const struct rf_task_input *in, int i, int n, struct rf_task *t,
                      struct coord_units *cu, struct rf_error *err)
{
    struct rf_document doc;
    char f[48], *title = NULL;
    int errors = err ? err->n : 0, rc;

    memset(t, 0, sizeof(*t));
    cu->n = 0;
    t->province_id = actor->province_id;
    if (in->document_number && *in->document_number)
        rc = rf_store_document_find(s, actor->province_id, 0, in->document_number, &doc);
    else
        rc = in->document_id
                 ? rf_store_document_find(s, actor->province_id, in->document_id, NULL, &doc)
                 : RF_EINVAL;
    if (rc == RF_EINVAL)
        return rf_error_set(err, RF_EINVAL, at(f, n, i, "document_id"), "required",
                            "the source document is required");
    if (rc != RF_OK)
        return rf_error_set(err, RF_EINVAL, at(f, n, i, "document_id"), "not_found",
                            "no such document");
    t->document_id = doc.id;
    snprintf(t->document_number, sizeof(t->document_number), "%s", doc.number);
    if (in->ref && *in->ref) {
        if (rf_unit_code_check(in->ref) != RF_OK)
            rf_error_set(err, RF_EINVAL, at(f, n, i, "ref"), "format",
                         "a reference has 1 to %d letters, digits, '.', '_' or '-'",
                         RF_UNIT_CODE_MAX);
        else
            snprintf(t->ref, sizeof(t->ref), "%s", in->ref);
    }
    if (check_text(in->title, at(f, n, i, "title"), TITLE_MAX, &title, err) == RF_OK)
        snprintf(t->title, sizeof(t->title), "%s", title);
    free(title);
    if (in->assigning_body && !rf_task_body_known(in->assigning_body))
        rf_error_set(err, RF_EINVAL, at(f, n, i, "assigning_body"), "enum",
                     "unknown assigning body '%s'", in->assigning_body);
    snprintf(t->assigning_body, sizeof(t->assigning_body), "%s",
             in->assigning_body ? in->assigning_body : doc.assigning_body);
    if (!in->field || !*in->field)
        rf_error_set(err, RF_EINVAL, at(f, n, i, "field"), "required",
                     "the reform field is required");
    else if (!rf_task_field_known(in->field))
        rf_error_set(err, RF_EINVAL, at(f, n, i, "field"), "enum", "unknown reform field '%s'",
                     in->field);
    else
        snprintf(t->field, sizeof(t->field), "%s", in->field);
    if (in->assigned_on && *in->assigned_on)
        (void)!rf_app_check_date(in->assigned_on, at(f, n, i, "assigned_on"), 1, t->assigned_on,
                                 err);
    else
        snprintf(t->assigned_on, sizeof(t->assigned_on), "%s", doc.issued_on);
    if (t->assigned_on[0] && strcmp(t->assigned_on, doc.issued_on) < 0)
        rf_error_set(err, RF_EINVAL, at(f, n, i, "assigned_on"), "before_document",
                     "a task is assigned on or after its document's date %s", doc.issued_on);
    if (rf_app_check_date(in->deadline, at(f, n, i, "deadline"), 0, t->deadline, err) == RF_OK &&
        t->deadline[0] && t->assigned_on[0] && strcmp(t->deadline, t->assigned_on) < 0)
        rf_error_set(err, RF_EINVAL, at(f, n, i, "deadline"), "before_assignment",
                     "the deadline comes on or after the day of assignment");
    if (err && err->n > errors)
        return RF_EINVAL;
    rc = check_unit(s, actor, in->lead_unit_id, in->lead_unit_code, t->assigned_on,
                    at(f, n, i, "lead_unit_id"), &t->lead_unit_id, t->lead_unit_code, err);
    if (rc != RF_OK)
        return rc;
    if (in->coordinating_codes && *in->coordinating_codes) {
        const char *p = in->coordinating_codes;
        while (*p && cu->n < 32) {
            char code[RF_UNIT_CODE_MAX + 1];
            size_t len = strcspn(p, "|");
            snprintf(code, sizeof(code), "%.*s", (int)(len < sizeof(code) ? len : 0), p);
            rc = check_unit(s, actor, 0, code, t->assigned_on, at(f, n, i, "coordinating_units"),
                            &cu->id[cu->n], cu->code[cu->n], err);
            if (rc != RF_OK)
                return rc;
            cu->n++;
            p += len + (p[len] == '|');
        }
    }
    for (int k = 0; k < in->ncoordinating && cu->n < 32; k++) {
        rc = check_unit(s, actor, in->coordinating[k], NULL, t->assigned_on,
                        at(f, n, i, "coordinating_units"), &cu->id[cu->n], cu->code[cu->n], err);
        if (rc != RF_OK)
            return rc;
        for (int j = 0; j < cu->n; j++)
            if (cu->id[j] == cu->id[cu->n] || cu->id[cu->n] == t->lead_unit_id)
                return rf_error_set(err, RF_EINVAL, at(f, n, i, "coordinating_units"), "duplicate",
                                    "a unit coordinates a task once and never its own");
        if (cu->id[cu->n] == t->lead_unit_id)
            return rf_error_set(err, RF_EINVAL, at(f, n, i, "coordinating_units"), "duplicate",
                                "a unit coordinates a task once and never its own");
        cu->n++;
    }
    (void)app;
    return RF_OK;
}

/* Validated tasks waiting to be written, with their coordinating units. */
struct tasks_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    struct rf_task *tasks;
    struct coord_units *coord;
    int n;
    int64_t *ids;
};

static int insert_tasks(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct tasks_job *job = ctx;
    int rc = RF_OK;

    for (int i = 0; rc == RF_OK && i < job->n; i++) {
        struct rf_task *t = &job->tasks[i];
        char *after;
        rc = rf_store_task_insert(s, t, job->coord[i].id, job->coord[i].n, job->actor->user_id);
        if (rc == RF_ECONFLICT) {
            char f[48];
            return rf_error_set(err, RF_ECONFLICT, at(f, job->n, i, "ref"), "taken",
                                "the reference %s is taken", t->ref);
        }
        if (rc != RF_OK)
            break;
        after = task_audit_json(t);
        rc = rf_app_audit(job->app, s, job->actor, "create", "task", t->id, NULL, after);
        free(after);
        if (rc == RF_OK && job->ids)
            job->ids[i] = t->id;
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

static void detail_json(const struct rf_task *t, const struct rf_task_deadline *dl, int n,
                        const char *date, struct rf_buf *out);
static int units_json(void *ctx, int64_t id, const char *code);

/* Validate then write the 'n' tasks of 'in'; 'out' (may be NULL) gets the first one's answer. */
static int create_tasks(struct rf_app *app, const struct rf_actor *actor,
                        const struct rf_task_input *in, int n, int64_t *ids, struct rf_buf *out,
                        struct rf_error *err)
{
    struct tasks_job job;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (n < 1 || n > 1000)
        return rf_error_set(err, RF_EINVAL, "tasks", "count", "give 1 to 1000 tasks at once");
    memset(&job, 0, sizeof(job));
    job.app = app;
    job.actor = actor;
    job.n = n;
    job.ids = ids;
    job.tasks = rf_xcalloc((size_t)n, sizeof(*job.tasks));
    job.coord = rf_xcalloc((size_t)n, sizeof(*job.coord));
    /* validate every task first (reads), then write them all in one change */
    s = rf_app_store_get(app);
    rc = s ? RF_OK : rf_app_store_error(RF_ESTORE, err);
    for (int i = 0; rc == RF_OK && i < n; i++) {
        rc = build_task(app, s, actor, &in[i], i, n, &job.tasks[i], &job.coord[i], err);
        job.tasks[i].created_at = job.tasks[i].updated_at = rf_app_now(app);
    }
    rf_app_store_put(app, s);
    if (rc == RF_OK)
        rc = rf_app_write(app, insert_tasks, &job, err);
    if (rc == RF_OK && out) {
        /* the answer comes from what was written: a new task has one deadline, no reports */
        const struct rf_task *t = &job.tasks[0];
        struct coord_units *cu = &job.coord[0];
        struct rf_task_deadline dl;
        char today[RF_DATE_LEN];

        memset(&dl, 0, sizeof(dl));
        snprintf(dl.set_on, sizeof(dl.set_on), "%s", t->assigned_on);
        snprintf(dl.deadline, sizeof(dl.deadline), "%s", t->deadline);
        dl.set_by = actor->user_id;
        rf_app_today(app, today);
        detail_json(t, &dl, 1, today, out);
        for (int k = 1; k < cu->n; k++) { /* by code, as a read lists them */
            for (int m = k; m > 0 && strcmp(cu->code[m - 1], cu->code[m]) > 0; m--) {
                char code[RF_UNIT_CODE_MAX + 1];
                int64_t unit = cu->id[m];
                memcpy(code, cu->code[m], sizeof(code));
                memcpy(cu->code[m], cu->code[m - 1], sizeof(code));
                memcpy(cu->code[m - 1], code, sizeof(code));
                cu->id[m] = cu->id[m - 1];
                cu->id[m - 1] = unit;
            }
        }
        for (int k = 0; k < cu->n; k++)
            (void)units_json(out, cu->id[k], cu->code[k]);
        rf_buf_adds(out, "],\"reports\":[]}");
    }
    free(job.tasks);
    free(job.coord);
    return rc;
}

int rf_app_tasks_create(struct rf_app *app, const struct rf_actor *actor,
                        const struct rf_task_input *in, int n, int64_t *ids, struct rf_error *err)
{
    return create_tasks(app, actor, in, n, ids, NULL, err);
}

int rf_app_task_create(struct rf_app *app, const struct rf_actor *actor,
                       const struct rf_task_input *in, struct rf_buf *out, struct rf_error *err)
{
    return create_tasks(app, actor, in, 1, NULL, out, err);
}

struct list_ctx {
    struct rf_store *s;
    const struct rf_actor *actor;
    struct rf_date on;
    unsigned statuses; /* bit per status kept; 0: any */
    int due;           /* 1: only tasks already due on 'on' */
    rf_task_row_fn fn;
    void *ctx;
};

static int list_row(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl, int n)
{
    struct list_ctx *l = ctx;
    int due = 0;
    enum rf_task_status st = status_of(t, dl, n, l->on, &due);

    if (l->statuses && (st == RF_TASK_NOT_ASSIGNED || !(l->statuses & (1u << st))))
        return 0;
    if (l->due && !due)
        return 0;
    return l->fn(l->ctx, t, st == RF_TASK_NOT_ASSIGNED ? NULL : rf_task_status_name(st));
}

/* The index of a status by name, or -1. */
static int status_index(const char *name)
{
    enum rf_task_status st;

    return rf_task_status_parse(name, &st) == RF_OK ? (int)st : -1;
}

/* The index of 'name' in the NULL-terminated 'names', or -1. */
int rf_app_index_of(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int rf_app_body_index(const char *name)
{
    return rf_app_index_of(rf_task_bodies, name);
}

/*
 * Names joined by ',' ("done_on_time,done_late") as bits of their indexes by
 * 'lookup'; RF_EINVAL naming 'field' for an unknown one.
 */
int rf_app_parse_names(const char *list, int (*lookup)(const char *), const char *field,
                       unsigned *out, struct rf_error *err)
{
    const char *p = list;

    *out = 0;
    while (p && *p) {
        char name[RF_WORD_MAX];
        size_t len = strcspn(p, ",");
        int i;
        snprintf(name, sizeof(name), "%.*s", (int)(len < sizeof(name) ? len : sizeof(name) - 1), p);
        i = len < sizeof(name) ? lookup(name) : -1;
        if (i < 0)
            return rf_error_set(err, RF_EINVAL, field, "enum", "unknown %s '%s'", field, name);
        *out |= 1u << i;
        p += len + (p[len] == ',');
    }
    return RF_OK;
}

int rf_app_tasks_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_task_list_query *q, rf_task_row_fn fn, void *ctx,
                      struct rf_error *err)
{
    struct rf_task_query sq;
    struct list_ctx l;
    char date[RF_DATE_LEN], from[RF_DATE_LEN], to[RF_DATE_LEN], dfrom[RF_DATE_LEN],
        dto[RF_DATE_LEN];
    char *fold = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);
    if (rc != RF_OK)
        return rc;
    memset(&l, 0, sizeof(l));
    if (q->date && *q->date)
        (void)!rf_app_check_date(q->date, "date", 1, date, err);
    else
        rf_app_today(app, date);
    if (q->status && *q->status)
        (void)!rf_app_parse_names(q->status, status_index, "status", &l.statuses, err);
    l.due = q->due;
    if (q->field && !rf_task_field_known(q->field))
        rf_error_set(err, RF_EINVAL, "field", "enum", "unknown reform field '%s'", q->field);
    if (q->assigning_body) {
        unsigned bodies;
        (void)!rf_app_parse_names(q->assigning_body, rf_app_body_index, "assigning_body", &bodies,
                                  err);
    }
    (void)!rf_app_check_date(q->assigned_from, "assigned_from", 0, from, err);
    (void)!rf_app_check_date(q->assigned_to, "assigned_to", 0, to, err);
    (void)!rf_app_check_date(q->deadline_from, "deadline_from", 0, dfrom, err);
    (void)!rf_app_check_date(q->deadline_to, "deadline_to", 0, dto, err);
    if (q->text && rf_text_fold(q->text, &fold) != RF_OK)
        rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    if (err && err->n) {
        free(fold);
        return RF_EINVAL;
    }
    if (rf_date_parse(date, &l.on) != RF_OK)
        return RF_EINVAL;
    memset(&sq, 0, sizeof(sq));
    sq.province_id = actor->province_id;
    sq.scope_root_id = actor->scope_unit_id;
    sq.all_units = rf_access_province_wide(actor->roles);
    sq.document_id = q->document_id;
    sq.lead_unit_id = q->lead_unit_id;
    sq.field = q->field;
    sq.assigning_body = q->assigning_body;
    sq.assigned_from = from;
    sq.assigned_to = to;
    sq.deadline_from = dfrom;
    sq.deadline_to = dto;
    sq.text_fold = fold;
    sq.after_id = q->after_id;
    /* a status is judged here, after the query: then the rows run until the page is full */
    sq.limit = l.statuses || l.due ? 0 : q->limit;
    l.actor = actor;
    l.fn = fn;
    l.ctx = ctx;
    l.s = rf_app_store_get(app);
    if (!l.s) {
        free(fold);
        return rf_app_store_error(RF_ESTORE, err);
    }
    rc = rf_store_tasks_list(l.s, &sq, list_row, &l);
    rf_app_store_put(app, l.s);
    free(fold);
    return rc < 0 ? rf_app_store_error(rc, err) : RF_OK;
}

static int units_json(void *ctx, int64_t id, const char *code)
{
    struct rf_buf *out = ctx;

    if (out->data[out->len - 1] != '[')
        rf_buf_addc(out, ',');
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, id);
    rf_buf_adds(out, ",\"code\":");
    rf_buf_add_json_str(out, code);
    rf_buf_addc(out, '}');
    return 0;
}

static int report_json(void *ctx, const struct rf_task_report *r)
{
    struct rf_buf *out = ctx;

    if (out->data[out->len - 1] != '[')
        rf_buf_addc(out, ',');
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, r->id);
    rf_buf_adds(out, ",\"unit_id\":");
    rf_buf_addi(out, r->unit_id);
    rf_buf_adds(out, ",\"unit_code\":");
    rf_buf_add_json_str(out, r->unit_code);
    rf_buf_adds(out, ",\"reported_on\":");
    rf_buf_add_json_str(out, r->reported_on);
    rf_buf_adds(out, ",\"percent\":");
    rf_buf_addi(out, r->percent);
    rf_buf_adds(out, ",\"note\":");
    rf_buf_add_json_str(out, r->note);
    rf_buf_adds(out, ",\"author_id\":");
    if (r->author_id > 0)
        rf_buf_addi(out, r->author_id);
    else /* imported: the system, not a user, wrote it */
        rf_buf_adds(out, "null");
    rf_buf_addc(out, '}');
    return 0;
}

/*
 * A task's page as of 'date': its row, status and deadline history, left
 * open inside "coordinating_units" for the caller to fill and close.
 */
static void detail_json(const struct rf_task *t, const struct rf_task_deadline *dl, int n,
                        const char *date, struct rf_buf *out)
{
    struct rf_date on;
    enum rf_task_status st;
    int due = 0;

    (void)!rf_date_parse(date, &on);
    st = status_of(t, dl, n, on, &due);
    rf_app_task_json(t, st == RF_TASK_NOT_ASSIGNED ? NULL : rf_task_status_name(st), out);
    out->len--; /* reopen the object */
    rf_buf_adds(out, ",\"date\":");
    rf_buf_add_json_str(out, date);
    rf_buf_adds(out, ",\"due\":");
    rf_buf_adds(out, due ? "true" : "false");
    rf_buf_adds(out, ",\"deadlines\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            rf_buf_addc(out, ',');
        rf_buf_adds(out, "{\"set_on\":");
        rf_buf_add_json_str(out, dl[i].set_on);
        rf_buf_adds(out, ",\"deadline\":");
        add_str_or_null(out, dl[i].deadline);
        rf_buf_adds(out, ",\"reason\":");
        rf_buf_add_json_str(out, dl[i].reason);
        rf_buf_addc(out, '}');
    }
    rf_buf_adds(out, "],\"coordinating_units\":[");
}

int rf_app_task_get(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                    const char *date_in, struct rf_buf *out, struct rf_error *err)
{
    struct rf_store *s;
    struct loaded *l;
    struct rf_date on;
    char date[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);
    if (rc != RF_OK)
        return rc;
    if (date_in && *date_in) {
        if (rf_app_check_date(date_in, "date", 1, date, err) != RF_OK)
            return RF_EINVAL;
    } else {
        rf_app_today(app, date);
    }
    if (rf_date_parse(date, &on) != RF_OK)
        return RF_EINVAL;
    RF_APP_STORE(app, s, err);
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, NULL, err);
    if (rc != RF_OK)
        goto out;
    detail_json(&l->t, l->dl, l->n, date, out);
    rc = rf_store_task_units(s, id, units_json, out);
    rf_buf_adds(out, "],\"reports\":[");
    if (rc == RF_OK)
        rc = rf_store_task_reports(s, id, report_json, out);
    rf_buf_adds(out, "]}");
    if (rc != RF_OK)
        rc = rf_app_store_error(rc, err);
out:
    rf_app_store_put(app, s);
    free(l);
    return rc;
}

struct task_change {
    struct rf_app *app;
    const struct rf_actor *actor;
    const char *action;
    const struct rf_task *before;
    struct rf_task *t;
    const struct rf_task_deadline *extension;
};

static int write_task_change(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct task_change *c = ctx;
    char *b = task_audit_json(c->before), *a = NULL;
    int rc = rf_store_task_update(s, c->t);

    if (rc == RF_OK && c->extension) {
        rc = rf_store_task_deadline_add(s, c->t->id, c->extension, c->t->updated_at);
        snprintf(c->t->deadline, sizeof(c->t->deadline), "%s", c->extension->deadline);
    }
    if (rc == RF_OK) {
        a = task_audit_json(c->t);
        rc = rf_app_audit(c->app, s, c->actor, c->action, "task", c->t->id, b, a);
    }
    free(a);
    free(b);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* Write the changed task 't' (and an extension) with its audit record. */
static int save_task(struct rf_app *app, const struct rf_actor *actor, const char *action,
                     const struct rf_task *before, struct rf_task *t,
                     const struct rf_task_deadline *extension, struct rf_error *err)
{
    struct task_change c = {app, actor, action, before, t, extension};

    t->updated_at = rf_app_now(app);
    return rf_app_write(app, write_task_change, &c, err);
}

int rf_app_task_update(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const struct rf_task_input *in, struct rf_error *err)
{
    struct rf_store *s;
    struct loaded *l;
    struct rf_task t;
    char *title = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, NULL, err);
    if (rc != RF_OK)
        goto out;
    t = l->t;
    if (in->title && check_text(in->title, "title", TITLE_MAX, &title, err) == RF_OK)
        snprintf(t.title, sizeof(t.title), "%s", title);
    if (in->field) {
        if (!rf_task_field_known(in->field))
            rf_error_set(err, RF_EINVAL, "field", "enum", "unknown reform field '%s'", in->field);
        else
            snprintf(t.field, sizeof(t.field), "%s", in->field);
    }
    if (in->lead_unit_id || in->lead_unit_code) {
        char today[RF_DATE_LEN];
        rf_app_today(app, today);
        (void)!check_unit(s, actor, in->lead_unit_id, in->lead_unit_code, today, "lead_unit_id",
                          &t.lead_unit_id, NULL, err);
    }
    if (err && err->n) {
        rc = err->code;
        goto out;
    }
    rc = save_task(app, actor, "update", &l->t, &t, NULL, err);
out:
    rf_app_store_put(app, s);
    free(l);
    free(title);
    return rc;
}

/* 'date' on or after 'first' and not after today, into 'out'. */
static int check_past_date(struct rf_app *app, const char *date, const char *field,
                           const char *first, char out[RF_DATE_LEN], struct rf_error *err)
{
    char today[RF_DATE_LEN];

    if (rf_app_check_date(date, field, 1, out, err) != RF_OK)
        return RF_EINVAL;
    rf_app_today(app, today);
    if (strcmp(out, first) < 0)
        return rf_error_set(err, RF_EINVAL, field, "before_assignment",
                            "'%s' comes on or after the task's assignment on %s", field, first);
    if (strcmp(out, today) > 0)
        return rf_error_set(err, RF_EINVAL, field, "future", "'%s' cannot be after today", field);
    return RF_OK;
}

struct report_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    struct rf_task_report *r;
};

static int insert_report(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct report_job *job = ctx;
    char after[160];
    int rc = rf_store_task_report_add(s, job->r);

    if (rc == RF_OK) {
        snprintf(after, sizeof(after),
                 "{\"task_id\":%lld,\"unit_id\":%lld,\"reported_on\":\"%s\",\"percent\":%d}",
                 (long long)job->r->task_id, (long long)job->r->unit_id, job->r->reported_on,
                 job->r->percent);
        rc = rf_app_audit(job->app, s, job->actor, "report", "task", job->r->task_id, NULL, after);
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_task_report(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const char *reported_on, int percent, const char *note, struct rf_error *err)
{
    struct rf_store *s;
    struct loaded *l;
    struct rf_task_report r;
    char *text = NULL;
    int64_t unit = 0;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_REPORT, err);
    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, &unit, err);
    if (rc != RF_OK)
        goto out;
    memset(&r, 0, sizeof(r));
    (void)!check_past_date(app, reported_on, "reported_on", l->t.assigned_on, r.reported_on, err);
    if (percent < 0 || percent > 100)
        rf_error_set(err, RF_EINVAL, "percent", "range", "a percentage is 0 to 100");
    if (check_text(note, "note", TITLE_MAX, &text, err) == RF_OK)
        snprintf(r.note, sizeof(r.note), "%s", text);
    if (err && err->n) {
        rc = err->code;
        goto out;
    }
    r.task_id = id;
    r.unit_id = unit;
    r.percent = percent;
    r.author_id = actor->user_id;
    r.created_at = rf_app_now(app);
    {
        struct report_job job = {app, actor, &r};
        rc = rf_app_write(app, insert_report, &job, err);
    }
out:
    rf_app_store_put(app, s);
    free(l);
    free(text);
    return rc;
}

int rf_app_task_complete(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                         const char *completed_on, struct rf_error *err)
{
    struct rf_store *s;
    struct loaded *l;
    struct rf_task t;
    int64_t unit = 0;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_REPORT, err);
    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, &unit, err);
    if (rc != RF_OK)
        goto out;
    /* the lead unit completes a task; coordinating units only contribute */
    if (unit != l->t.lead_unit_id) {
        rc = rf_error_set(err, RF_EFORBIDDEN, NULL, "not_lead",
                          "only the lead unit marks a task completed");
        goto out;
    }
    if (l->t.completed_on[0]) {
        rc = rf_error_set(err, RF_ECONFLICT, "completed_on", "completed",
                          "the task was completed on %s", l->t.completed_on);
        goto out;
    }
    t = l->t;
    rc = check_past_date(app, completed_on, "completed_on", t.assigned_on, t.completed_on, err);
    if (rc == RF_OK)
        rc = save_task(app, actor, "complete", &l->t, &t, NULL, err);
out:
    rf_app_store_put(app, s);
    free(l);
    return rc;
}

int rf_app_task_extend(struct rf_app *app, const struct rf_actor *actor, int64_t id,
                       const char *deadline, const char *reason, const char *decided_on,
                       struct rf_error *err)
{
    struct rf_store *s;
    struct loaded *l;
    struct rf_task t;
    struct rf_task_deadline ext;
    char *text = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, NULL, err);
    if (rc != RF_OK)
        goto out;
    memset(&ext, 0, sizeof(ext));
    if (decided_on && *decided_on) {
        /* recorded after the fact: the day the assigner decided, which orders the history */
        const char *last = l->n ? l->dl[l->n - 1].set_on : l->t.assigned_on;
        if (check_past_date(app, decided_on, "decided_on", l->t.assigned_on, ext.set_on, err) ==
                RF_OK &&
            strcmp(ext.set_on, last) < 0)
            rf_error_set(
                err, RF_EINVAL, "decided_on", "before_last",
                "the deadline was last set on %s: a later change is decided on or after it", last);
    } else {
        rf_app_today(app, ext.set_on);
    }
    ext.set_by = actor->user_id;
    if (rf_app_check_date(deadline, "deadline", 0, ext.deadline, err) == RF_OK && ext.deadline[0] &&
        strcmp(ext.deadline, l->t.assigned_on) < 0)
        rf_error_set(err, RF_EINVAL, "deadline", "before_assignment",
                     "the deadline comes on or after the day of assignment");
    if (check_text(reason, "reason", TITLE_MAX, &text, err) == RF_OK)
        snprintf(ext.reason, sizeof(ext.reason), "%s", text);
    if (l->t.completed_on[0])
        rf_error_set(err, RF_ECONFLICT, "deadline", "completed",
                     "the task was completed on %s: its deadline no longer moves",
                     l->t.completed_on);
    if (err && err->n) {
        rc = err->code;
        goto out;
    }
    t = l->t;
    rc = save_task(app, actor, "extend", &l->t, &t, &ext, err);
out:
    rf_app_store_put(app, s);
    free(l);
    free(text);
    return rc;
}

/* ---- imports ---- */

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
    for (int i = from; err && i < err->n; i++) {
        char msg[sizeof(err->item[i].message) + 24];
        size_t n;
        snprintf(msg, sizeof(msg), "line %d: %s", line, err->item[i].message);
        n = strlen(msg) < sizeof(err->item[i].message) ? strlen(msg)
                                                       : sizeof(err->item[i].message) - 1;
        memcpy(err->item[i].message, msg, n);
        err->item[i].message[n] = '\0';
    }
}

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
        int before = err ? err->n : 0;
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
    if (rc < 0 && !(err && err->n))
        rc = rf_error_set(err, RF_EINVAL, "file", "csv", "line %d: malformed CSV", c.next_line);
    if (rc == 0)
        rc = rf_store_commit(s);
    if (rc != RF_OK && !(err && err->n))
        rc = rf_app_store_error(rc, err);
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
    if (check_text(in.issuer, "issuer", 200, &issuer, err) != RF_OK ||
        check_text(in.title, "title", TITLE_MAX, &title, err) != RF_OK ||
        rf_app_check_date(in.issued_on, "issued_on", 1, d.issued_on, err) != RF_OK) {
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
    struct coord_units *cu = rf_xmalloc(sizeof(*cu));
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
    rc = build_task(app, s, actor, &in, 0, 1, t, cu, err);
    if (rc == RF_OK && f[T_COMPLETED][0] &&
        rf_app_check_date(f[T_COMPLETED], "completed_on", 1, t->completed_on, err) == RF_OK &&
        strcmp(t->completed_on, t->assigned_on) < 0)
        rc = rf_error_set(err, RF_EINVAL, "completed_on", "before_assignment",
                          "completed before it was assigned");
    if (rc == RF_OK && err && err->n)
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
        if (rf_app_check_date(f[T_EXT_ON], "extended_on", 1, ext.set_on, err) != RF_OK ||
            rf_app_check_date(f[T_EXT_DEADLINE], "extended_deadline", 0, ext.deadline, err) !=
                RF_OK)
            rc = RF_EINVAL;
        else if (strcmp(ext.set_on, t->assigned_on) <= 0)
            rc = rf_error_set(err, RF_EINVAL, "extended_on", "before_assignment",
                              "an extension comes after the assignment");
        else if ((rc = rf_store_task_deadline_add(s, t->id, &ext, t->created_at)) != RF_OK)
            rc = rf_app_store_error(rc, err);
        snprintf(t->deadline, sizeof(t->deadline), "%s", ext.deadline);
    }
    if (rc == RF_OK) {
        after = task_audit_json(t);
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
    struct loaded *l = rf_xmalloc(sizeof(*l));
    struct rf_task_report r;
    struct rf_unit u;
    char *note = NULL, *end, after[160];
    long percent;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = f[0][0] ? rf_store_task_get_by_ref(s, actor->province_id, f[0], keep_task, l)
                 : RF_ENOTFOUND;
    if (rc != RF_OK) {
        free(l);
        if (rc != RF_ENOTFOUND)
            return rf_app_store_error(rc, err);
        return rf_error_set(err, RF_EINVAL, "ref", "not_found", "no task with reference '%s'",
                            f[0]);
    }
    percent = strtol(f[2], &end, 10);
    if (rf_app_check_date(f[1], "reported_on", 1, r.reported_on, err) != RF_OK)
        rc = RF_EINVAL;
    else if (strcmp(r.reported_on, l->t.assigned_on) < 0)
        rc = rf_error_set(err, RF_EINVAL, "reported_on", "before_assignment",
                          "reported before the task was assigned");
    else if (!f[2][0] || *end || percent < 0 || percent > 100)
        rc = rf_error_set(err, RF_EINVAL, "percent", "range", "a percentage is 0 to 100");
    else if (check_text(f[3], "note", TITLE_MAX, &note, err) != RF_OK)
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
        rc = rf_store_task_report_add(s, &r);
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
