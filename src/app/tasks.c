/*
 * Reform tasks: the secretariat registers source documents and the tasks
 * they assign; units report progress and completion; only the assigner
 * extends a deadline, and the history of deadlines is kept. Every figure is
 * computed from the tasks with the rules of core/task.c, never stored.
 */
#include "app_int.h"
#include "../common/mem.h"
#include "../core/period.h"
#include "../core/task.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ---- */

static void add_str_or_null(struct rf_buf *out, const char *s)
{
    rf_buf_add_json_str(out, s && *s ? s : NULL);
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

char *rf_app_task_audit_json(const struct rf_task *t)
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
int rf_app_check_text(const char *text, const char *field, int max, char **out,
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
    if (rf_store_unit_within_ever(c->s, c->actor->province_id, c->actor->scope_unit_id, id, &yes) ==
            RF_OK &&
        yes) {
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
    if (rf_store_unit_within_ever(s, actor->province_id, actor->scope_unit_id, t->lead_unit_id,
                                  &yes) == RF_OK &&
        yes)
        return t->lead_unit_id;
    if (rf_store_task_units(s, actor->province_id, t->id, coord_in_scope, &c) != RF_OK)
        return 0;
    return c.match;
}

int rf_app_task_keep(void *ctx, const struct rf_task *t, const struct rf_task_deadline *dl, int n)
{
    struct rf_app_task_loaded *l = ctx;

    l->t = *t;
    l->n = n < RF_APP_MAX_DEADLINES ? n : RF_APP_MAX_DEADLINES;
    memcpy(l->dl, dl, sizeof(*dl) * (size_t)l->n);
    return 1;
}

/* Load task 'id' as the actor sees it: RF_ENOTFOUND when absent or out of scope. */
static int load_task(struct rf_store *s, const struct rf_actor *actor, int64_t id,
                     struct rf_app_task_loaded *l, int64_t *through, struct rf_error *err)
{
    int64_t unit;
    int rc = rf_store_task_get(s, actor->province_id, id, rf_app_task_keep, l);

    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    unit = seen_through(s, actor, &l->t);
    if (!unit)
        return rf_app_store_error(RF_ENOTFOUND, err); /* word for word as when absent */
    if (through)
        *through = unit;
    return RF_OK;
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

/*
 * Whether kept unit 'k' is in force on its day and in the actor's scope: RF_OK or RF_ENOTFOUND.
 * A chain of 16 may go on above: a scope not in it is then asked of the database.
 */
static int kept_in_scope(struct rf_store *s, const struct rf_actor *actor,
                         const struct rf_app_kept_unit *k)
{
    if (!rf_app_dates_in_force(k->valid_from, k->valid_to, k->day))
        return RF_ENOTFOUND;
    for (int i = 0; i < k->n; i++) /* the unit first, then each above it */
        if (k->chain[i] == actor->scope_unit_id)
            return RF_OK;
    if (k->n < 16)
        return RF_ENOTFOUND;
    return rf_app_scope_check(s, actor, k->unit, k->day, NULL) == RF_OK ? RF_OK : RF_ENOTFOUND;
}

/* A unit in force on 'date' by id or code, under the actor's scope then. */
static int check_unit(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                      int64_t id, const char *code, const char *date, const char *field,
                      int64_t *out, char *code_out, struct rf_error *err)
{
    struct rf_app_kept_unit k;
    struct rf_unit u;
    int rc;

    if (!id && (!code || !*code))
        return rf_error_set(err, RF_EINVAL, field, "required", "'%s' is required", field);
    if (!(code && *code)) { /* by id: kept while the tree stands */
        rc = rf_app_unit_kept(app, s, &actor->versions, actor->province_id, id, date, &k);
        if (rc == RF_OK)
            rc = kept_in_scope(s, actor, &k);
        if (rc == RF_OK)
            snprintf(u.code, sizeof(u.code), "%s", k.code);
        u.id = id;
    } else {
        rc = rf_store_unit_get_by_code(s, actor->province_id, code, date, &u);
        if (rc == RF_OK && !rf_app_unit_in_force(&u, date))
            rc = RF_ENOTFOUND;
        if (rc == RF_OK && rf_app_scope_check(s, actor, u.id, date, NULL) != RF_OK)
            rc = RF_ENOTFOUND;
    }
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

/* Validate input 'i' of 'n' into 't' and its coordinating units. */
int rf_app_task_build(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                      const struct rf_task_input *in, int i, int n, struct rf_task *t,
                      struct rf_app_coord_units *cu, struct rf_error *err)
{
    struct rf_document doc;
    char f[48], *title = NULL;
    int errors = err->n, rc;

    memset(t, 0, sizeof(*t));
    cu->n = 0;
    t->province_id = actor->province_id;
    if ((in->document_number && *in->document_number) || in->document_id)
        rc = rf_app_document_kept(app, s, actor->province_id, in->document_id, in->document_number,
                                  &doc);
    else
        rc = RF_EINVAL;
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
    if (rf_app_check_text(in->title, at(f, n, i, "title"), RF_APP_TITLE_MAX, &title, err) == RF_OK)
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
        rf_date_check(in->assigned_on, at(f, n, i, "assigned_on"), 1, t->assigned_on, err);
    else
        snprintf(t->assigned_on, sizeof(t->assigned_on), "%s", doc.issued_on);
    if (t->assigned_on[0] && strcmp(t->assigned_on, doc.issued_on) < 0)
        rf_error_set(err, RF_EINVAL, at(f, n, i, "assigned_on"), "before_document",
                     "a task is assigned on or after its document's date %s", doc.issued_on);
    if (rf_date_check(in->deadline, at(f, n, i, "deadline"), 0, t->deadline, err) == RF_OK &&
        t->deadline[0] && t->assigned_on[0] && strcmp(t->deadline, t->assigned_on) < 0)
        rf_error_set(err, RF_EINVAL, at(f, n, i, "deadline"), "before_assignment",
                     "the deadline comes on or after the day of assignment");
    if (err->n > errors)
        return RF_EINVAL;
    rc = check_unit(app, s, actor, in->lead_unit_id, in->lead_unit_code, t->assigned_on,
                    at(f, n, i, "lead_unit_id"), &t->lead_unit_id, t->lead_unit_code, err);
    if (rc != RF_OK)
        return rc;
    if (in->coordinating_codes && *in->coordinating_codes) {
        const char *p = in->coordinating_codes;
        while (*p && cu->n < 32) {
            char code[RF_UNIT_CODE_MAX + 1];
            size_t len = strcspn(p, "|");
            snprintf(code, sizeof(code), "%.*s", (int)(len < sizeof(code) ? len : 0), p);
            rc =
                check_unit(app, s, actor, 0, code, t->assigned_on,
                           at(f, n, i, "coordinating_units"), &cu->id[cu->n], cu->code[cu->n], err);
            if (rc != RF_OK)
                return rc;
            cu->n++;
            p += len + (p[len] == '|');
        }
    }
    for (int k = 0; k < in->ncoordinating && cu->n < 32; k++) {
        rc = check_unit(app, s, actor, in->coordinating[k], NULL, t->assigned_on,
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
    return RF_OK;
}

/* Validated tasks waiting to be written, with their coordinating units. */
struct tasks_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    struct rf_task *tasks;
    struct rf_app_coord_units *coord;
    int n;
    int64_t *ids;
};

/*
 * The first of the job's references that is taken, in the province or by an
 * earlier task of the job, as RF_ECONFLICT naming it. Asked before the first
 * insert: a task inserted and then undone still takes its id on PostgreSQL
 * (not on SQLite), so a refused batch would leave the backends' ids apart.
 */
static int refs_taken(struct rf_store *s, const struct tasks_job *job, struct rf_error *err)
{
    for (int i = 0; i < job->n; i++) {
        const char *ref = job->tasks[i].ref;
        int taken = 0, rc;
        char f[48];

        if (!*ref)
            continue;
        for (int j = 0; j < i && !taken; j++)
            taken = strcmp(job->tasks[j].ref, ref) == 0;
        rc = taken ? RF_OK : rf_store_task_ref_taken(s, job->actor->province_id, ref, &taken);
        if (rc != RF_OK)
            return rf_app_store_error(rc, err);
        if (taken)
            return rf_error_set(err, RF_ECONFLICT, at(f, job->n, i, "ref"), "taken",
                                "the reference %s is taken", ref);
    }
    return RF_OK;
}

static int insert_tasks(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct tasks_job *job = ctx;
    int rc = refs_taken(s, job, err);

    if (rc != RF_OK)
        return rc;
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
        after = rf_app_task_audit_json(t);
        rc = rf_app_audit(job->app, s, job->actor, "create", "task", t->id, NULL, after);
        free(after);
        if (rc == RF_OK && job->ids)
            job->ids[i] = t->id;
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

static void detail_json(const struct rf_task *t, const struct rf_task_deadline *dl, int n,
                        struct rf_date on, struct rf_buf *out);
static int units_json(void *ctx, int64_t id, const char *code);

/* Tasks validated and queued for the writer (rf_app_task_create_begin). */
struct rf_task_creation {
    struct tasks_job job;
    struct rf_actor actor;
    struct rf_error err; /* the change's own, given to the caller at the end */
    struct rf_write_job *write;
};

static void creation_free(struct rf_task_creation *x)
{
    free(x->job.tasks);
    free(x->job.coord);
    free(x);
}

int rf_app_task_create_begin(struct rf_app *app, const struct rf_actor *actor,
                             const struct rf_task_input *in, int n, int64_t *ids,
                             void (*ready)(void *), void *arg, struct rf_task_creation **out,
                             struct rf_error *err)
{
    struct rf_task_creation *x;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (n < 1 || n > 1000)
        return rf_error_set(err, RF_EINVAL, "tasks", "count", "give 1 to 1000 tasks at once");
    x = rf_xcalloc(1, sizeof(*x));
    x->actor = *actor;
    x->job.app = app;
    x->job.actor = &x->actor;
    x->job.n = n;
    x->job.ids = ids;
    x->job.tasks = rf_xcalloc((size_t)n, sizeof(*x->job.tasks));
    x->job.coord = rf_xcalloc((size_t)n, sizeof(*x->job.coord));
    /* validate every task first (reads), then write them all in one change */
    s = rf_app_store_get(app);
    rc = s ? RF_OK : rf_app_store_error(RF_ESTORE, err);
    for (int i = 0; rc == RF_OK && i < n; i++) {
        rc =
            rf_app_task_build(app, s, actor, &in[i], i, n, &x->job.tasks[i], &x->job.coord[i], err);
        x->job.tasks[i].created_at = x->job.tasks[i].updated_at = rf_app_now(app);
    }
    rf_app_store_put(app, s);
    if (rc != RF_OK) {
        creation_free(x);
        return rc;
    }
    rf_error_init(&x->err);
    x->write =
        rf_app_write_begin(app, insert_tasks, &x->job, RF_WRITE_DEFERRABLE, &x->err, ready, arg);
    *out = x;
    return RF_OK;
}

int rf_app_task_create_end(struct rf_task_creation *x, struct rf_buf *out, struct rf_error *err)
{
    int rc = rf_app_write_end(x->write);

    if (rc != RF_OK && err)
        *err = x->err;
    if (rc == RF_OK && out) {
        /* the answer comes from what was written: a new task has one deadline, no reports */
        const struct rf_task *t = &x->job.tasks[0];
        struct rf_app_coord_units *cu = &x->job.coord[0];
        struct rf_task_deadline dl;
        memset(&dl, 0, sizeof(dl));
        snprintf(dl.set_on, sizeof(dl.set_on), "%s", t->assigned_on);
        snprintf(dl.deadline, sizeof(dl.deadline), "%s", t->deadline);
        dl.set_by = x->actor.user_id;
        detail_json(t, &dl, 1, rf_date_of_instant(rf_app_now(x->job.app), RF_PROVINCE_UTC_OFFSET),
                    out);
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
    creation_free(x);
    return rc;
}

int rf_app_tasks_create(struct rf_app *app, const struct rf_actor *actor,
                        const struct rf_task_input *in, int n, int64_t *ids, struct rf_error *err)
{
    struct rf_task_creation *x;
    int rc = rf_app_task_create_begin(app, actor, in, n, ids, NULL, NULL, &x, err);

    return rc == RF_OK ? rf_app_task_create_end(x, NULL, err) : rc;
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
int rf_app_body_index(const char *name)
{
    return rf_names_index(rf_task_bodies, name);
}

/*
 * Names joined by ',' ("done_on_time,done_late") as bits of their indexes by
 * 'lookup'; RF_EINVAL naming 'field' for an unknown one.
 */
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
        rf_date_check(q->date, "date", 1, date, err);
    else
        rf_app_today(app, date);
    if (q->status && *q->status)
        rf_names_bits(q->status, status_index, "status", &l.statuses, err);
    l.due = q->due;
    if (q->field && !rf_task_field_known(q->field))
        rf_error_set(err, RF_EINVAL, "field", "enum", "unknown reform field '%s'", q->field);
    if (q->assigning_body) {
        unsigned bodies;
        rf_names_bits(q->assigning_body, rf_app_body_index, "assigning_body", &bodies, err);
    }
    rf_date_check(q->assigned_from, "assigned_from", 0, from, err);
    rf_date_check(q->assigned_to, "assigned_to", 0, to, err);
    rf_date_check(q->deadline_from, "deadline_from", 0, dfrom, err);
    rf_date_check(q->deadline_to, "deadline_to", 0, dto, err);
    if (q->text && rf_text_fold(q->text, &fold) != RF_OK)
        rf_error_set(err, RF_EINVAL, "q", "text", "the search text is not valid UTF-8");
    if (err->n) {
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
 * A task's page as of the day 'on': its row, status and deadline history, left
 * open inside "coordinating_units" for the caller to fill and close.
 */
static void detail_json(const struct rf_task *t, const struct rf_task_deadline *dl, int n,
                        struct rf_date on, struct rf_buf *out)
{
    enum rf_task_status st;
    int due = 0;

    char date[RF_DATE_LEN];

    rf_date_format(on, date);
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
    struct rf_app_task_loaded *l;
    struct rf_date on;
    char date[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_READ, err);
    if (rc != RF_OK)
        return rc;
    if (date_in && *date_in) {
        if (rf_date_check(date_in, "date", 1, date, err) != RF_OK)
            return RF_EINVAL;
    } else {
        rf_app_today(app, date);
    }
    if (rf_date_parse(date, &on) != RF_OK)
        return RF_EINVAL;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, NULL, err);
    if (rc != RF_OK)
        goto out;
    detail_json(&l->t, l->dl, l->n, on, out);
    rc = rf_store_task_units(s, actor->province_id, id, units_json, out);
    rf_buf_adds(out, "],\"reports\":[");
    if (rc == RF_OK)
        rc = rf_store_task_reports(s, actor->province_id, id, report_json, out);
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
    char *b = rf_app_task_audit_json(c->before), *a = NULL;
    int rc = rf_store_task_update(s, c->t);

    if (rc == RF_OK && c->extension) {
        rc = rf_store_task_deadline_add(s, c->t->province_id, c->t->id, c->extension,
                                        c->t->updated_at);
        snprintf(c->t->deadline, sizeof(c->t->deadline), "%s", c->extension->deadline);
    }
    if (rc == RF_OK) {
        a = rf_app_task_audit_json(c->t);
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
    struct rf_app_task_loaded *l;
    struct rf_task t;
    char *title = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, NULL, err);
    if (rc != RF_OK)
        goto out;
    t = l->t;
    if (in->title && rf_app_check_text(in->title, "title", RF_APP_TITLE_MAX, &title, err) == RF_OK)
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
        check_unit(app, s, actor, in->lead_unit_id, in->lead_unit_code, today, "lead_unit_id",
                   &t.lead_unit_id, NULL, err);
    }
    if (err->n) {
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

    if (rf_date_check(date, field, 1, out, err) != RF_OK)
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
    int rc = rf_store_task_report_add(s, job->actor->province_id, job->r);

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
    struct rf_app_task_loaded *l;
    struct rf_task_report r;
    char *text = NULL;
    int64_t unit = 0;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_REPORT, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    l = rf_xmalloc(sizeof(*l));
    rc = load_task(s, actor, id, l, &unit, err);
    if (rc != RF_OK)
        goto out;
    memset(&r, 0, sizeof(r));
    check_past_date(app, reported_on, "reported_on", l->t.assigned_on, r.reported_on, err);
    if (percent < 0 || percent > 100)
        rf_error_set(err, RF_EINVAL, "percent", "range", "a percentage is 0 to 100");
    if (rf_app_check_text(note, "note", RF_APP_TITLE_MAX, &text, err) == RF_OK)
        snprintf(r.note, sizeof(r.note), "%s", text);
    if (err->n) {
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
    struct rf_app_task_loaded *l;
    struct rf_task t;
    int64_t unit = 0;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_REPORT, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
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
    struct rf_app_task_loaded *l;
    struct rf_task t;
    struct rf_task_deadline ext;
    char *text = NULL;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TASK_WRITE, err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
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
    if (rf_date_check(deadline, "deadline", 0, ext.deadline, err) == RF_OK && ext.deadline[0] &&
        strcmp(ext.deadline, l->t.assigned_on) < 0)
        rf_error_set(err, RF_EINVAL, "deadline", "before_assignment",
                     "the deadline comes on or after the day of assignment");
    if (rf_app_check_text(reason, "reason", RF_APP_TITLE_MAX, &text, err) == RF_OK)
        snprintf(ext.reason, sizeof(ext.reason), "%s", text);
    if (l->t.completed_on[0])
        rf_error_set(err, RF_ECONFLICT, "deadline", "completed",
                     "the task was completed on %s: its deadline no longer moves",
                     l->t.completed_on);
    if (err->n) {
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
