/*
 * Audit: every change writes who, when and what (before and after) in the
 * transaction that makes it, chained by keyed BLAKE2b MACs (core/audit.c).
 * Verification walks each province's chain and names every record that was
 * altered, deleted, inserted or moved, and every checkpoint the chain no
 * longer holds; checkpoints are signed heads kept outside the database.
 */
#include "app_int.h"
#include "../common/log.h"
#include "../common/mem.h"
#include "../core/date.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rf_app_audit_json(const char *fmt, ...)
{
    json_error_t bad;
    json_t *o;
    char *text;
    va_list ap;

    va_start(ap, fmt);
    o = json_vpack_ex(&bad, 0, fmt, ap);
    va_end(ap);
    text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!text) { /* a format that does not fit its values, or text not in UTF-8: a bug */
        rf_log_error("audit record: %s", o ? "out of memory" : bad.text);
        abort();
    }
    return text;
}

int rf_app_audit(struct rf_app *app, struct rf_store *s, const struct rf_actor *actor,
                 const char *action, const char *entity, int64_t entity_id, const char *before,
                 const char *after)
{
    struct rf_audit_record r;
    char id[24], via[40];

    snprintf(id, sizeof(id), "%lld", (long long)entity_id);
    /* a token may have been issued by an admin for someone else: the record says which */
    snprintf(via, sizeof(via), "%s %lld", actor->via_cookie ? "session" : "token",
             (long long)actor->session_id);
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
    r.via = actor->session_id ? via : NULL;
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
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
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
    struct rf_app *app;
    struct rf_store *s;
    int64_t *seen; /* the provinces walked */
    int nseen;
    struct rf_audit_report *report;
    int64_t only; /* the one province walked (its checkpoints alone read), 0 for every one */
    int64_t province;
    int64_t expect_seq;
    int keyed_seen; /* a keyed record was seen in this chain: no plain one may follow */
    char prev[RF_AUDIT_HASH_HEX];
    /* the checkpoints of the province being walked, by seq */
    struct rf_anchor *anchors;
    int nanchors;
};

static void problem(struct rf_audit_report *report, int64_t province, int64_t seq, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static void problem(struct rf_audit_report *report, int64_t province, int64_t seq, const char *fmt,
                    ...)
{
    va_list ap;

    report->ok = 0;
    if (report->problems < RF_AUDIT_MAX_PROBLEMS) {
        struct rf_audit_problem *p = &report->problem[report->problems];
        p->province = province;
        p->seq = seq;
        va_start(ap, fmt);
        vsnprintf(p->text, sizeof(p->text), fmt, ap);
        va_end(ap);
    }
    report->problems++;
}

/* The checkpoints of 'province' at 'seq' (NULL when none): their hash must be the record's. */
static void check_anchors_at(struct verify *v, int64_t seq, const char *hash)
{
    for (int i = 0; i < v->nanchors; i++) {
        const struct rf_anchor *a = &v->anchors[i];
        char when[21];
        if (a->province_id != v->province || a->seq != seq)
            continue;
        v->report->anchors++;
        rf_instant_format(a->at, when);
        if (strcmp(a->hash, hash) != 0)
            problem(v->report, v->province, seq,
                    "record %lld is not the one checkpointed at %s (history rewritten)",
                    (long long)seq, when);
    }
}

/* The chain of v->province ended at seq 'last': checkpoints past it name a cut. */
static void check_anchors_past(struct verify *v, int64_t last)
{
    int64_t furthest = 0;
    char when[21] = "";

    for (int i = 0; i < v->nanchors; i++)
        if (v->anchors[i].province_id == v->province && v->anchors[i].seq > last &&
            v->anchors[i].seq > furthest) {
            furthest = v->anchors[i].seq;
            rf_instant_format(v->anchors[i].at, when);
        }
    if (furthest) {
        v->report->anchors++;
        problem(v->report, v->province, last + 1,
                "record %lld is missing: the chain ends at %lld, but the checkpoint of %s holds "
                "%lld records (deleted at the end of the chain)",
                (long long)last + 1, (long long)last, when, (long long)furthest);
    }
}

static void chain_end(struct verify *v)
{
    struct rf_store *s = v->s;
    int64_t head_seq = 0, last = v->expect_seq - 1;
    char head_hash[RF_AUDIT_HASH_HEX];

    if (v->province < 0)
        return;
    check_anchors_past(v, last);
    /* records deleted from the end leave the head ahead of the chain */
    if (rf_store_audit_head(s, v->province, &head_seq, head_hash) != RF_OK)
        return;
    if (head_seq > last)
        problem(v->report, v->province, last + 1,
                "record %lld is missing (deleted at the end of the chain)", (long long)last + 1);
    else if (head_seq < last)
        problem(v->report, v->province, head_seq + 1,
                "record %lld lies past the chain's head (inserted)", (long long)head_seq + 1);
    else if (last > 0 && strcmp(head_hash, v->prev) != 0)
        problem(v->report, v->province, last,
                "record %lld does not match the chain's head (altered)", (long long)last);
}

static int verify_row(void *ctx, const struct rf_audit_row *row)
{
    struct verify *v = ctx;
    char mac[RF_AUDIT_HASH_HEX], plain[RF_AUDIT_HASH_HEX];
    const struct rf_audit_record *r = &row->rec;
    int gap = 0;

    if (r->province_id != v->province) {
        chain_end(v);
        v->seen = rf_xrealloc(v->seen, (size_t)(v->nseen + 1) * sizeof(int64_t));
        v->seen[v->nseen++] = r->province_id;
        v->province = r->province_id;
        v->report->provinces++;
        v->expect_seq = 1;
        v->keyed_seen = 0;
        snprintf(v->prev, sizeof(v->prev), "%s", RF_AUDIT_GENESIS);
    }
    v->report->records++;
    if (r->seq < v->expect_seq) {
        problem(v->report, r->province_id, r->seq, "record %lld appears twice (inserted)",
                (long long)r->seq);
        return 0;
    }
    if (r->seq > v->expect_seq) {
        if (r->seq == v->expect_seq + 1)
            problem(v->report, r->province_id, v->expect_seq, "record %lld is missing (deleted)",
                    (long long)v->expect_seq);
        else
            problem(v->report, r->province_id, v->expect_seq,
                    "record %lld is missing (deleted), and every record up to %lld",
                    (long long)v->expect_seq, (long long)r->seq - 1);
        gap = 1; /* the next record cannot follow one that is gone: said once */
    }
    if (!gap && strcmp(r->prev_hash, v->prev) != 0)
        problem(v->report, r->province_id, r->seq,
                "record %lld does not follow the record before it (inserted, reordered or the "
                "one before was altered)",
                (long long)r->seq);
    rf_audit_hash(r, v->app->audit_key, mac);
    if (strcmp(mac, row->hash) == 0) {
        v->keyed_seen = 1;
    } else {
        rf_audit_hash(r, NULL, plain);
        if (strcmp(plain, row->hash) != 0)
            problem(v->report, r->province_id, r->seq,
                    "record %lld does not match its hash (altered)", (long long)r->seq);
        else if (v->keyed_seen)
            problem(v->report, r->province_id, r->seq,
                    "record %lld carries a hash made without the audit key after keyed ones "
                    "(altered or forged)",
                    (long long)r->seq);
        else
            v->report->unkeyed++;
    }
    check_anchors_at(v, r->seq, row->hash);
    /* what is stored goes on: one altered record is one problem, not one per record after it */
    snprintf(v->prev, sizeof(v->prev), "%s", row->hash);
    v->expect_seq = r->seq + 1;
    return 0;
}

/* Read the checkpoint lines of 'cp' into v->anchors; a bad or unsigned line is a problem. */
static void read_anchors(struct verify *v, const struct rf_audit_checkpoints *cp,
                         const unsigned char *public)
{
    const char *line = cp && cp->text ? cp->text : NULL;
    int n = 0;

    while (line && *line) {
        const char *end = strchr(line, '\n');
        struct rf_anchor a;
        n++;
        if (line[0] != '\n' && line[0] != '#') {
            int rc = rf_anchor_parse(line, public, &a);
            if (rc == RF_EINVAL)
                problem(v->report, 0, 0, "checkpoint line %d is not a checkpoint", n);
            else if (rc == RF_EAUTH)
                problem(v->report, 0, 0,
                        "checkpoint line %d is not signed by the checkpoint key (forged)", n);
            else if (!v->only || a.province_id == v->only) {
                v->anchors = rf_xrealloc(v->anchors, (size_t)(v->nanchors + 1) * sizeof(a));
                v->anchors[v->nanchors++] = a;
            }
        }
        line = end ? end + 1 : NULL;
    }
}

int rf_app_audit_verify(struct rf_app *app, const struct rf_audit_checkpoints *cp,
                        struct rf_audit_report *report, struct rf_error *err)
{
    struct rf_audit_query q;
    struct verify v;
    struct rf_store *s;
    char stored[RF_AUDIT_KEY_ID_HEX], mine[RF_AUDIT_KEY_ID_HEX];
    int rc;

    memset(report, 0, sizeof(*report));
    report->ok = 1;
    memset(&v, 0, sizeof(v));
    v.app = app;
    v.report = report;
    v.province = -1;
    v.only = app->asked[0] && app->has_province ? app->province.id : 0;
    if (cp && cp->text) {
        unsigned char public[RF_ANCHOR_PUBLIC_BYTES];
        int created;
        rc = rf_app_anchor_keys_load(cp->keys_dir ? cp->keys_dir : RF_DEFAULT_KEYS, NULL, public, 0,
                                     &created, err);
        if (rc != RF_OK)
            return rc;
        read_anchors(&v, cp, public);
    }
    memset(&q, 0, sizeof(q));
    q.province_id = v.only;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    if (app->has_province && rf_store_audit_key_id(s, app->province.id, stored) == RF_OK) {
        rf_audit_key_id(app->audit_key, mine);
        if (stored[0] && strcmp(stored, mine) != 0)
            problem(report, app->province.id, 0,
                    "the chain is keyed with key %s, not with the audit key given (%s)", stored,
                    mine);
    }
    v.s = s;
    rc = rf_store_audit_list(s, &q, verify_row, &v);
    if (rc >= 0) {
        chain_end(&v);
        /* checkpoints of a province whose every record is gone */
        for (int i = 0; i < v.nanchors; i++) {
            int seen = 0;
            for (int k = 0; k < v.nseen && !seen; k++)
                seen = v.seen[k] == v.anchors[i].province_id;
            if (!seen) {
                v.province = v.anchors[i].province_id;
                check_anchors_past(&v, 0);
                v.seen = rf_xrealloc(v.seen, (size_t)(v.nseen + 1) * sizeof(int64_t));
                v.seen[v.nseen++] = v.province;
            }
        }
    }
    rf_app_store_put(app, s);
    free(v.anchors);
    free(v.seen);
    if (rc < 0)
        return rf_app_store_error(rc, err);
    return RF_OK;
}

int rf_app_audit_anchor(struct rf_app *app, const char *keys_dir, struct rf_anchor *out, char *line,
                        int *created, struct rf_error *err)
{
    unsigned char secret[RF_ANCHOR_SECRET_BYTES], public[RF_ANCHOR_PUBLIC_BYTES];
    struct rf_store *s;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!app->has_province)
        return rf_error_set(err, RF_ENOTFOUND, "db", "empty", "the database holds no province");
    rc = rf_app_anchor_keys_load(keys_dir ? keys_dir : RF_DEFAULT_KEYS, secret, public, 1, created,
                                 err);
    if (rc != RF_OK)
        return rc;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    out->province_id = app->province.id;
    out->at = rf_app_now(app);
    rc = rf_store_audit_head(s, app->province.id, &out->seq, out->hash);
    rf_app_store_put(app, s);
    if (rc == RF_OK)
        rf_anchor_format(out, secret, line);
    sodium_memzero(secret, sizeof(secret));
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}
