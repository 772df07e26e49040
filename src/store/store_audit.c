/*
 * The SQL of the audit chain, for both backends: a transaction's first record
 * reads the province's head row (audit_head), locking it where rows are locked,
 * which serialises the province's writers; each record is MACed under the
 * connection's audit key and chained to the one before it in memory; the head
 * is written once, before the commit.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* ---- audit ---- */

static int head_read(struct rf_store *s, int64_t province_id);

/* The lock is the head's read: the first record of the transaction finds it read. */
int rf_store_begin_changes(struct rf_store *s, int64_t province_id)
{
    int rc = rf_store_begin(s);

    if (rc == RF_OK && s->be->row_locks && province_id) {
        rc = head_read(s, province_id);
        /* a province without its head yet locks nothing; a head of another key is locked,
           and refused to each change that would append to it (rf_store_audit_append) */
        if (rc == RF_ENOTFOUND || rc == RF_ECONFLICT)
            rc = RF_OK;
    }
    if (rc != RF_OK)
        rf_store_rollback(s);
    return rc;
}

/* The province's head into s->head, locked where rows are; RF_ECONFLICT for another key's. */
static int head_read(struct rf_store *s, int64_t province_id)
{
    static const char plain[] = "SELECT seq, hash, key_id FROM audit_head WHERE province_id = ?";
    static const char locked[] =
        "SELECT seq, hash, key_id FROM audit_head WHERE province_id = ? FOR UPDATE";
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s, s->be->row_locks ? locked : plain, PARAMS(P_INT(province_id)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        const char *key_id = s->be->col_text(r, 2);
        s->head.province_id = province_id;
        s->head.seq = s->be->col_int(r, 0);
        COPY(s->head.hash, s->be->col_text(r, 1));
        s->head.dirty = 0;
        /* a process holding another key would fork the chain into two that verify apart */
        rc = s->audit_keyed && key_id[0] && strcmp(key_id, s->audit_key_id) != 0 ? RF_ECONFLICT
                                                                                 : RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    if (rc != RF_OK)
        memset(&s->head, 0, sizeof(s->head));
    return rc;
}

int rf_sq_audit_head_write(struct rf_store *s)
{
    int rc;

    if (!s->head.dirty)
        return RF_OK;
    if (s->audit_keyed)
        rc = rf_sq_run(s,
                       "UPDATE audit_head SET seq = ?, hash = ?, key_id = ? WHERE province_id = ?",
                       PARAMS(P_INT(s->head.seq), P_TEXT(s->head.hash), P_TEXT(s->audit_key_id),
                              P_INT(s->head.province_id)));
    else
        rc =
            rf_sq_run(s, "UPDATE audit_head SET seq = ?, hash = ? WHERE province_id = ?",
                      PARAMS(P_INT(s->head.seq), P_TEXT(s->head.hash), P_INT(s->head.province_id)));
    if (rc == RF_OK)
        s->head.dirty = 0;
    return rc;
}

#define AUDIT_COLS                                                                                 \
    "province_id, seq, at, actor_id, actor, action, entity, entity_id, before_json, after_json,"   \
    " via, prev_hash, hash"
#define AUDIT_INSERT                                                                               \
    "INSERT INTO audit (" AUDIT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
/* the records gathered while writes are deferred (PostgreSQL), in one statement */
#define AUDIT_GATHERED                                                                             \
    "INSERT INTO audit (" AUDIT_COLS ") SELECT * FROM unnest(CAST(? AS BIGINT[]),"                 \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),"           \
    " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),"                 \
    " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]))"
#define AUDIT_VALUES(rec, hash)                                                                    \
    P_INT((rec)->province_id), P_INT((rec)->seq), P_INT((rec)->at), P_INT((rec)->actor_id),        \
        P_TEXT((rec)->actor), P_TEXT((rec)->action), P_TEXT((rec)->entity),                        \
        P_TEXT((rec)->entity_id), P_TEXT((rec)->before), P_TEXT((rec)->after), P_TEXT((rec)->via), \
        P_TEXT((rec)->prev_hash), P_TEXT(hash)

/*
 * One statement a record: the head is read once a transaction (locking the
 * row where rows are locked, as SQLite's write transaction locks the file),
 * moved in memory, and written once before the commit.
 */
int rf_store_audit_append(struct rf_store *s, struct rf_audit_record *rec)
{
    struct rf_audit_head before = s->head;
    char hash[RF_AUDIT_HASH_HEX];
    int rc = RF_OK;

    if (s->head.province_id != rec->province_id) {
        /* another province's head, moved by this transaction, is written before it is left */
        rc = rf_sq_audit_head_write(s);
        if (rc == RF_OK)
            rc = head_read(s, rec->province_id);
        if (rc != RF_OK)
            return rc;
    }
    rec->seq = s->head.seq + 1;
    COPY(rec->prev_hash, s->head.hash);
    rf_audit_hash(rec, s->audit_keyed ? s->audit_key : NULL, hash);
    rc = rf_sq_gathering(s)
             ? rf_sq_gather(s, RF_GATHER_AUDIT, AUDIT_GATHERED, PARAMS(AUDIT_VALUES(rec, hash)))
             : rf_sq_run(s, AUDIT_INSERT, PARAMS(AUDIT_VALUES(rec, hash)));
    if (rc != RF_OK) {
        s->head = before.province_id == rec->province_id ? before : s->head;
        return rc;
    }
    s->head.seq = rec->seq;
    COPY(s->head.hash, hash);
    s->head.dirty = 1;
    /* outside a transaction nothing writes the head later */
    return s->in_tx ? RF_OK : rf_sq_audit_head_write(s);
}

void rf_store_set_audit_key(struct rf_store *s, const unsigned char *key)
{
    s->audit_keyed = key != NULL;
    if (key) {
        memcpy(s->audit_key, key, RF_AUDIT_KEY_BYTES);
        rf_audit_key_id(key, s->audit_key_id);
    } else {
        memset(s->audit_key, 0, sizeof(s->audit_key));
        s->audit_key_id[0] = '\0';
    }
}

int rf_store_audit_key_id(struct rf_store *s, int64_t province_id, char out[RF_AUDIT_KEY_ID_HEX])
{
    struct rf_rows *r;
    int rc;

    out[0] = '\0';
    rc = rf_sq_query(s, "SELECT key_id FROM audit_head WHERE province_id = ?",
                     PARAMS(P_INT(province_id)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1)
        snprintf(out, RF_AUDIT_KEY_ID_HEX, "%s", s->be->col_text(r, 0));
    s->be->done(r);
    return rc == 1 ? RF_OK : rc == 0 ? RF_ENOTFOUND : rc;
}

struct audit_rows {
    rf_audit_fn fn;
    void *ctx;
};

static int audit_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct audit_rows *x = ctx;
    const struct rf_backend *be = s->be;
    struct rf_audit_row row;

    memset(&row, 0, sizeof(row));
    row.rec.province_id = be->col_int(r, 0);
    row.rec.seq = be->col_int(r, 1);
    row.rec.at = be->col_int(r, 2);
    row.rec.actor_id = be->col_int(r, 3);
    row.rec.actor = be->col_text(r, 4);
    row.rec.action = be->col_text(r, 5);
    row.rec.entity = be->col_text(r, 6);
    row.rec.entity_id = be->col_text(r, 7);
    row.rec.before = be->col_null(r, 8) ? NULL : be->col_text(r, 8);
    row.rec.after = be->col_null(r, 9) ? NULL : be->col_text(r, 9);
    COPY(row.rec.prev_hash, be->col_text(r, 10));
    COPY(row.hash, be->col_text(r, 11));
    row.rec.via = be->col_null(r, 12) ? NULL : be->col_text(r, 12);
    return x->fn(x->ctx, &row);
}

int rf_store_audit_list(struct rf_store *s, const struct rf_audit_query *q, rf_audit_fn fn,
                        void *ctx)
{
    static const char sql[] =
        "SELECT province_id, seq, at, actor_id, actor, action, entity, entity_id,"
        " before_json, after_json, prev_hash, hash, via FROM audit"
        " WHERE (? = 0 OR province_id = ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR entity = ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR entity_id = ?)"
        "  AND (CAST(? AS BIGINT) IS NULL OR actor_id = ?)"
        "  AND seq > ?"
        " ORDER BY province_id, seq LIMIT ?";
    struct audit_rows x = {fn, ctx};

    return rf_sq_each(s, sql,
                      PARAMS(P_INT(q->province_id), P_INT(q->province_id), P_OPT_TEXT(q->entity),
                             P_OPT_TEXT(q->entity), P_OPT_TEXT(q->entity_id),
                             P_OPT_TEXT(q->entity_id), P_OPT_INT(q->actor_id),
                             P_OPT_INT(q->actor_id), P_INT(q->after_seq),
                             P_INT(q->limit > 0 ? q->limit : NO_LIMIT)),
                      audit_row, &x);
}

int rf_store_audit_head(struct rf_store *s, int64_t province_id, int64_t *seq,
                        char hash[RF_AUDIT_HASH_HEX])
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s, "SELECT seq, hash FROM audit_head WHERE province_id = ?",
                     PARAMS(P_INT(province_id)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        *seq = s->be->col_int(r, 0);
        snprintf(hash, RF_AUDIT_HASH_HEX, "%s", s->be->col_text(r, 1));
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}
