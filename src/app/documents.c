/*
 * The source documents that assign reform tasks (resolutions, plans,
 * conclusion notices of the committee): registered by the secretariat,
 * listed and searched by number and title, read with their tasks.
 */
#include "app_int.h"
#include "../core/task.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int rf_app_document_kept(struct rf_app *app, struct rf_store *s, int64_t province_id, int64_t id,
                         const char *number, struct rf_document *out)
{
    struct rf_document *k = &app->docs[(uint64_t)id % RF_APP_KEPT_DOCUMENTS];
    int rc;

    if (!(number && *number)) {
        pthread_mutex_lock(&app->docs_lock);
        if (id && k->id == id && k->province_id == province_id) {
            *out = *k;
            pthread_mutex_unlock(&app->docs_lock);
            return RF_OK;
        }
        pthread_mutex_unlock(&app->docs_lock);
    }
    rc = rf_store_document_find(s, province_id, number && *number ? 0 : id, number, out);
    if (rc != RF_OK)
        return rc;
    k = &app->docs[(uint64_t)out->id % RF_APP_KEPT_DOCUMENTS];
    pthread_mutex_lock(&app->docs_lock);
    *k = *out;
    pthread_mutex_unlock(&app->docs_lock);
    return RF_OK;
}

void rf_app_documents_forget(struct rf_app *app)
{
    pthread_mutex_lock(&app->docs_lock);
    memset(app->docs, 0, sizeof(app->docs));
    pthread_mutex_unlock(&app->docs_lock);
}

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
    if (rf_app_check_text(in->issuer, "issuer", 200, &issuer, err) == RF_OK)
        snprintf(d.issuer, sizeof(d.issuer), "%s", issuer);
    rf_date_check(in->issued_on, "issued_on", 1, d.issued_on, err);
    if (rf_app_check_text(in->title, "title", RF_APP_TITLE_MAX, &title, err) == RF_OK)
        snprintf(d.title, sizeof(d.title), "%s", title);
    if (!in->assigning_body || !*in->assigning_body)
        rf_error_set(err, RF_EINVAL, "assigning_body", "required",
                     "the assigning body is required");
    else if (!rf_task_body_known(in->assigning_body))
        rf_error_set(err, RF_EINVAL, "assigning_body", "enum", "unknown assigning body '%s'",
                     in->assigning_body);
    else
        snprintf(d.assigning_body, sizeof(d.assigning_body), "%s", in->assigning_body);
    if (err->n) {
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
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
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
