/*
 * Audit: every change writes who, when and what (before and after) in the
 * transaction that makes it, chained by BLAKE2b hashes (core/audit.c).
 * Verification walks each province's chain and names the first record that
 * was altered, deleted, inserted or moved.
 */
#include "app_int.h"
#include "../common/mem.h"

#include <stdio.h>
#include <string.h>

int rf_app_audit(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                 const char *action, const char *entity, int64_t entity_id, const char *before,
                 const char *after)
{
    struct rf_audit_record r;
    char id[24];

    snprintf(id, sizeof(id), "%lld", (long long)entity_id);
    memset(&r, 0, sizeof(r));
    r.province_id = actor->province_id ? actor->province_id : app->province.id;
    r.at = rf_app_now(app);
    r.actor_id = actor->user_id;
    r.actor = actor->username;
    r.action = action;
    r.entity = entity;
    r.entity_id = id;
    r.before = before;
    r.after = after;
    return rf_store_audit_append(s, &r);
}

int rf_app_audit_list(struct rf_app *app, const struct rf_actor *actor,
                      const struct rf_audit_filter *f, rf_audit_fn fn, void *ctx,
                      struct rf_error *err)
{
    struct rf_audit_query q;
    struct rf_store *s;
    int rc;

    rc = rf_app_allow(actor, RF_ACT_AUDIT_READ, err);
    if (rc != RF_OK)
        return rc;
    RF_APP_STORE(app, s, err);
    memset(&q, 0, sizeof(q));
    q.province_id = actor->province_id;
    q.entity = f->entity;
    q.entity_id = f->entity_id;
    q.after_seq = f->after_seq;
    q.limit = f->limit;
    rc = rf_store_audit_list(s, &q, fn, ctx);
    rf_app_store_put(app, s);
    return rc < 0 ? rf_app_store_error(rc, err) : rc;
}

struct verify {
    struct rf_audit_report *report;
    int64_t province;
    int64_t expect_seq;
    char prev[RF_AUDIT_HASH_HEX];
};

static int problem(struct verify *v, int64_t province, int64_t seq, const char *fmt, long long a)
{
    v->report->ok = 0;
    v->report->bad_province = province;
    v->report->bad_seq = seq;
    snprintf(v->report->problem, sizeof(v->report->problem), fmt, a);
    return 1; /* stop at the first problem */
}

static int verify_row(void *ctx, const struct rf_audit_row *row)
{
    struct verify *v = ctx;
    char hash[RF_AUDIT_HASH_HEX];
    const struct rf_audit_record *r = &row->rec;

    if (r->province_id != v->province) {
        v->province = r->province_id;
        v->report->provinces++;
        v->expect_seq = 1;
        snprintf(v->prev, sizeof(v->prev), "%s", RF_AUDIT_GENESIS);
    }
    v->report->records++;
    if (r->seq > v->expect_seq)
        return problem(v, r->province_id, v->expect_seq, "record %lld is missing (deleted)",
                       (long long)v->expect_seq);
    if (r->seq < v->expect_seq)
        return problem(v, r->province_id, r->seq, "record %lld appears twice (inserted)",
                       (long long)r->seq);
    if (strcmp(r->prev_hash, v->prev) != 0)
        return problem(v, r->province_id, r->seq,
                       "record %lld does not follow the record before it (inserted, "
                       "reordered or the one before was altered)",
                       (long long)r->seq);
    rf_audit_hash(r, hash);
    if (strcmp(hash, row->hash) != 0)
        return problem(v, r->province_id, r->seq, "record %lld does not match its hash (altered)",
                       (long long)r->seq);
    snprintf(v->prev, sizeof(v->prev), "%s", row->hash);
    v->expect_seq++;
    return 0;
}

int rf_app_audit_verify(struct rf_app *app, struct rf_audit_report *report, struct rf_error *err)
{
    struct rf_audit_query q;
    struct verify v;
    struct rf_store *s;
    int rc;

    memset(report, 0, sizeof(*report));
    report->ok = 1;
    memset(&v, 0, sizeof(v));
    v.report = report;
    v.province = -1;
    memset(&q, 0, sizeof(q));
    RF_APP_STORE(app, s, err);
    rc = rf_store_audit_list(s, &q, verify_row, &v);
    if (rc >= 0 && report->ok && app->has_province) {
        /* records deleted from the end leave the head ahead of the chain */
        int64_t head_seq = 0;
        char head_hash[RF_AUDIT_HASH_HEX];
        int64_t last = v.province == app->province.id ? v.expect_seq - 1 : 0;
        rc = rf_store_audit_head(s, app->province.id, &head_seq, head_hash);
        if (rc == RF_OK && head_seq > last)
            problem(&v, app->province.id, last + 1,
                    "record %lld is missing (deleted at the end of the chain)",
                    (long long)last + 1);
        else if (rc == RF_OK && head_seq < last)
            problem(&v, app->province.id, head_seq + 1,
                    "record %lld lies past the chain's head (inserted)", (long long)head_seq + 1);
        else if (rc == RF_OK && last > 0 && strcmp(head_hash, v.prev) != 0)
            problem(&v, app->province.id, last,
                    "record %lld does not match the chain's head (altered)", (long long)last);
    }
    rf_app_store_put(app, s);
    if (rc < 0)
        return rf_app_store_error(rc, err);
    return RF_OK;
}
