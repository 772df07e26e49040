/*
 * The SQL of provinces, the tenant of every row, and of units: their
 * validity and their dated places in the tree (unit_links), for both
 * backends. Every unit write bumps the province's units_version, so that
 * whatever keeps the tree in memory knows when to drop it.
 */
#include "store_int.h"
#include "../core/text.h"

#include <stdlib.h>
#include <string.h>

/* ---- provinces ---- */

int rf_store_province_insert(struct rf_store *s, struct rf_province *p)
{
    int rc;

    rc = rf_sq_one_int(s,
                       "INSERT INTO provinces (code, name, units_version, created_at)"
                       " VALUES (?, ?, 0, 0) RETURNING id",
                       PARAMS(P_TEXT(p->code), P_TEXT(p->name)), &p->id);
    if (rc != RF_OK)
        return rc;
    return rf_sq_run(s, "INSERT INTO audit_head (province_id, seq, hash) VALUES (?, 0, ?)",
                     PARAMS(P_INT(p->id), P_TEXT(RF_AUDIT_GENESIS)));
}

int rf_store_province_get(struct rf_store *s, const char *code, struct rf_province *out)
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s,
                     "SELECT id, code, name, units_version FROM provinces"
                     " WHERE CAST(? AS TEXT) IS NULL OR code = ? ORDER BY id LIMIT 1",
                     PARAMS(P_TEXT(code), P_TEXT(code)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        out->id = s->be->col_int(r, 0);
        COPY(out->code, s->be->col_text(r, 1));
        COPY(out->name, s->be->col_text(r, 2));
        out->units_version = s->be->col_int(r, 3);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

int rf_store_units_version(struct rf_store *s, int64_t province_id, int64_t *out)
{
    return rf_sq_one_int(s, "SELECT units_version FROM provinces WHERE id = ?",
                         PARAMS(P_INT(province_id)), out);
}

static int bump_units(struct rf_store *s, int64_t province_id)
{
    return rf_sq_run(s, "UPDATE provinces SET units_version = units_version + 1 WHERE id = ?",
                     PARAMS(P_INT(province_id)));
}

/* ---- units ---- */

#define UNIT_COLS                                                                                  \
    "u.id, u.province_id, u.code, u.name, u.kind, u.valid_from, u.valid_to, u.successor_id,"       \
    " u.generated, u.created_at, u.updated_at"

/* parent, depth and children of a unit row, for queries with one date */
#define UNIT_PARENT_AT                                                                             \
    "COALESCE((SELECT l.parent_id FROM unit_links l WHERE l.province_id = u.province_id"           \
    " AND l.unit_id = u.id AND " IN_FORCE("l") "), 0)"
#define UNIT_CHILDREN_AT                                                                           \
    "(SELECT COUNT(*) FROM unit_links c WHERE c.province_id = u.province_id"                       \
    " AND c.parent_id = u.id AND " IN_FORCE("c") ")"

static int read_unit(struct rf_store *s, struct rf_rows *r, void *out)
{
    struct rf_unit *u = out;
    const struct rf_backend *be = s->be;

    memset(u, 0, sizeof(*u));
    u->id = be->col_int(r, 0);
    u->province_id = be->col_int(r, 1);
    COPY(u->code, be->col_text(r, 2));
    COPY(u->name, be->col_text(r, 3));
    if (rf_unit_kind_parse(be->col_text(r, 4), &u->kind) != RF_OK)
        u->kind = RF_UNIT_DEPARTMENT;
    COPY(u->valid_from, be->col_text(r, 5));
    COPY(u->valid_to, be->col_text(r, 6));
    u->successor_id = be->col_int(r, 7);
    u->generated = (int)be->col_int(r, 8);
    u->created_at = be->col_int(r, 9);
    u->updated_at = be->col_int(r, 10);
    u->parent_id = be->col_int(r, 11);
    u->depth = (int)be->col_int(r, 12);
    u->children = be->col_int(r, 13);
    return 0;
}

int rf_store_unit_insert(struct rf_store *s, struct rf_unit *u)
{
    char *fold = NULL;
    int64_t link_id = 0;
    int taken = 0;
    int rc = rf_sq_exists(s, "SELECT 1 FROM units WHERE province_id = ? AND code = ?",
                          PARAMS(P_INT(u->province_id), P_TEXT(u->code)), &taken);

    if (rc != RF_OK || taken)
        return rc != RF_OK ? rc : RF_ECONFLICT;
    if (rf_text_fold(u->name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "INSERT INTO units (province_id, code, name, name_fold, kind, valid_from,"
                       " valid_to, successor_id, generated, created_at, updated_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       PARAMS(P_INT(u->province_id), P_TEXT(u->code), P_TEXT(u->name), P_TEXT(fold),
                              P_TEXT(rf_unit_kind_name(u->kind)), P_TEXT(u->valid_from),
                              P_OPT_TEXT(u->valid_to), P_OPT_INT(u->successor_id),
                              P_INT(u->generated), P_INT(u->created_at), P_INT(u->updated_at)),
                       &u->id);
    free(fold);
    if (rc == RF_OK && u->parent_id) /* a parent of another province is none */
        rc = rf_sq_one_int(
            s,
            "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from, valid_to)"
            " SELECT p.province_id, CAST(? AS BIGINT), p.id, CAST(? AS TEXT), CAST(? AS TEXT)"
            " FROM units p WHERE p.province_id = ? AND p.id = ? RETURNING id",
            PARAMS(P_INT(u->id), P_TEXT(u->valid_from), P_OPT_TEXT(u->valid_to),
                   P_INT(u->province_id), P_INT(u->parent_id)),
            &link_id);
    if (rc == RF_OK)
        rc = bump_units(s, u->province_id);
    return rc;
}

int rf_store_unit_update(struct rf_store *s, const struct rf_unit *u)
{
    char *fold = NULL;
    int64_t found = 0;
    int rc;

    if (rf_text_fold(u->name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "UPDATE units SET name = ?, name_fold = ?, kind = ?, valid_from = ?,"
                       " valid_to = ?, successor_id = ?, generated = ?, updated_at = ?"
                       " WHERE province_id = ? AND id = ? RETURNING id",
                       PARAMS(P_TEXT(u->name), P_TEXT(fold), P_TEXT(rf_unit_kind_name(u->kind)),
                              P_TEXT(u->valid_from), P_OPT_TEXT(u->valid_to),
                              P_OPT_INT(u->successor_id), P_INT(u->generated), P_INT(u->updated_at),
                              P_INT(u->province_id), P_INT(u->id)),
                       &found);
    free(fold);
    if (rc != RF_OK)
        return rc;
    /* clip the unit's periods in the tree to its validity */
    rc = rf_sq_run(s,
                   "DELETE FROM unit_links WHERE province_id = ? AND unit_id = ?"
                   " AND valid_to IS NOT NULL AND valid_to <= ?",
                   PARAMS(P_INT(u->province_id), P_INT(u->id), P_TEXT(u->valid_from)));
    if (rc == RF_OK)
        rc = rf_sq_run(s,
                       "UPDATE unit_links SET valid_from = ? WHERE province_id = ? AND unit_id = ?"
                       " AND valid_from < ?",
                       PARAMS(P_TEXT(u->valid_from), P_INT(u->province_id), P_INT(u->id),
                              P_TEXT(u->valid_from)));
    if (rc == RF_OK && u->valid_to[0]) {
        rc = rf_sq_run(s,
                       "DELETE FROM unit_links WHERE province_id = ? AND unit_id = ?"
                       " AND valid_from >= ?",
                       PARAMS(P_INT(u->province_id), P_INT(u->id), P_TEXT(u->valid_to)));
        if (rc == RF_OK)
            rc =
                rf_sq_run(s,
                          "UPDATE unit_links SET valid_to = ? WHERE province_id = ? AND unit_id = ?"
                          " AND (valid_to IS NULL OR valid_to > ?)",
                          PARAMS(P_TEXT(u->valid_to), P_INT(u->province_id), P_INT(u->id),
                                 P_TEXT(u->valid_to)));
    }
    if (rc == RF_OK)
        rc = bump_units(s, u->province_id);
    return rc;
}

static int unit_get(struct rf_store *s, const char *sql, const struct rf_param *key,
                    const char *date, struct rf_unit *out, int64_t province_id)
{
    return rf_sq_first(
        s, sql,
        PARAMS(P_TEXT(date), P_TEXT(date), P_TEXT(date), P_TEXT(date), P_INT(province_id), *key),
        read_unit, out);
}

int rf_store_unit_get(struct rf_store *s, int64_t province_id, int64_t id, const char *date,
                      struct rf_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS ", " UNIT_PARENT_AT ", 0, " UNIT_CHILDREN_AT
                              " FROM units u WHERE u.province_id = ? AND u.id = ?";
    struct rf_param key = P_INT(id);

    return unit_get(s, sql, &key, date, out, province_id);
}

int rf_store_unit_get_by_code(struct rf_store *s, int64_t province_id, const char *code,
                              const char *date, struct rf_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS ", " UNIT_PARENT_AT ", 0, " UNIT_CHILDREN_AT
                              " FROM units u WHERE u.province_id = ? AND u.code = ?";
    struct rf_param key = P_TEXT(code);

    return unit_get(s, sql, &key, date, out, province_id);
}

int rf_store_unit_move(struct rf_store *s, int64_t province_id, int64_t id, int64_t parent_id,
                       const char *from)
{
    struct rf_rows *r;
    int64_t link_id = 0, both = 0;
    char link_from[RF_DATE_LEN] = "", link_to[RF_DATE_LEN] = "";
    int rc;

    /* the unit and its new parent both of the province, or nothing moves */
    rc = rf_sq_one_int(s, "SELECT COUNT(*) FROM units WHERE province_id = ? AND id IN (?, ?)",
                       PARAMS(P_INT(province_id), P_INT(id), P_INT(parent_id)), &both);
    if (rc != RF_OK)
        return rc;
    if (both != 2)
        return RF_ENOTFOUND;
    rc = rf_sq_query(s,
                     "SELECT l.id, l.valid_from, l.valid_to FROM unit_links l"
                     " WHERE l.province_id = ? AND l.unit_id = ? AND " IN_FORCE("l"),
                     PARAMS(P_INT(province_id), P_INT(id), P_TEXT(from), P_TEXT(from)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        link_id = s->be->col_int(r, 0);
        COPY(link_from, s->be->col_text(r, 1));
        COPY(link_to, s->be->col_text(r, 2));
        rc = RF_OK;
    }
    s->be->done(r);
    if (rc < 0)
        return rc;

    if (link_id && strcmp(link_from, from) == 0) {
        rc = rf_sq_run(s, "UPDATE unit_links SET parent_id = ? WHERE province_id = ? AND id = ?",
                       PARAMS(P_INT(parent_id), P_INT(province_id), P_INT(link_id)));
    } else if (link_id) {
        rc = rf_sq_run(s, "UPDATE unit_links SET valid_to = ? WHERE province_id = ? AND id = ?",
                       PARAMS(P_TEXT(from), P_INT(province_id), P_INT(link_id)));
        if (rc == RF_OK)
            rc = rf_sq_run(s,
                           "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from,"
                           " valid_to) VALUES (?, ?, ?, ?, ?)",
                           PARAMS(P_INT(province_id), P_INT(id), P_INT(parent_id), P_TEXT(from),
                                  P_OPT_TEXT(link_to)));
    } else {
        /* no parent on 'from': the new period runs to the next one or the unit's end */
        rc = rf_sq_run(
            s,
            "INSERT INTO unit_links (province_id, unit_id, parent_id, valid_from, valid_to)"
            " SELECT u.province_id, u.id, ?, ?, COALESCE((SELECT MIN(n.valid_from)"
            "  FROM unit_links n WHERE n.province_id = u.province_id AND n.unit_id = u.id"
            "  AND n.valid_from > ?), u.valid_to)"
            " FROM units u WHERE u.province_id = ? AND u.id = ?",
            PARAMS(P_INT(parent_id), P_TEXT(from), P_TEXT(from), P_INT(province_id), P_INT(id)));
    }
    if (rc == RF_OK)
        rc = bump_units(s, province_id);
    return rc;
}

struct link_rows {
    rf_unit_link_fn fn;
    void *ctx;
};

static int link_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct link_rows *x = ctx;
    struct rf_unit_link l;

    l.parent_id = s->be->col_int(r, 0);
    COPY(l.parent_code, s->be->col_text(r, 1));
    COPY(l.valid_from, s->be->col_text(r, 2));
    COPY(l.valid_to, s->be->col_text(r, 3));
    return x->fn(x->ctx, &l);
}

int rf_store_unit_links(struct rf_store *s, int64_t province_id, int64_t id, rf_unit_link_fn fn,
                        void *ctx)
{
    struct link_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT l.parent_id, p.code, l.valid_from, l.valid_to FROM unit_links l"
                      " JOIN units p ON p.province_id = l.province_id AND p.id = l.parent_id"
                      " WHERE l.province_id = ? AND l.unit_id = ? ORDER BY l.valid_from",
                      PARAMS(P_INT(province_id), P_INT(id)), link_row, &x);
}

#define MAX_DEPTH 16

struct unit_rows {
    rf_unit_fn fn;
    void *ctx;
};

static int unit_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct unit_rows *x = ctx;
    struct rf_unit u;

    read_unit(s, r, &u);
    return x->fn(x->ctx, &u);
}

int rf_store_units_list(struct rf_store *s, const struct rf_unit_query *q, rf_unit_fn fn, void *ctx)
{
    static const char sql[] =
        "WITH RECURSIVE sub(id, parent_id, depth) AS ("
        " SELECT u.id, CAST(0 AS BIGINT), 0 FROM units u"
        "  WHERE u.province_id = ? AND u.id = ? AND " IN_FORCE(
            "u") " UNION ALL"
                 " SELECT l.unit_id, l.parent_id, sub.depth + 1 FROM unit_links l"
                 "  JOIN sub ON l.parent_id = sub.id WHERE l.province_id = ? AND " IN_FORCE(
                     "l") " AND sub.depth < ?)"
                          " SELECT " UNIT_COLS ", CASE WHEN sub.depth = 0 THEN " UNIT_PARENT_AT
                          "  ELSE sub.parent_id END, sub.depth, " UNIT_CHILDREN_AT
                          " FROM sub JOIN units u ON u.province_id = ? AND u.id = sub.id"
                          " WHERE sub.depth >= ?"
                          "  AND (CAST(? AS TEXT) IS NULL OR u.name_fold LIKE ? ESCAPE '\\'"
                          "       OR lower(u.code) LIKE ? ESCAPE '\\')"
                          "  AND (CAST(? AS TEXT) IS NULL OR u.kind = ?)"
                          "  AND u.id > ?"
                          " ORDER BY u.id LIMIT ?";
    char *pattern = rf_sq_like_pattern(q->text_fold);
    const char *d = q->date;
    struct unit_rows x = {fn, ctx};
    int rc;

    rc = rf_sq_each(s, sql,
                    PARAMS(P_INT(q->province_id), P_INT(q->root_id), P_TEXT(d), P_TEXT(d),
                           P_INT(q->province_id), P_TEXT(d), P_TEXT(d),
                           P_INT(q->max_depth > 0 ? q->max_depth : MAX_DEPTH), P_TEXT(d), P_TEXT(d),
                           P_TEXT(d), P_TEXT(d), P_INT(q->province_id), P_INT(q->skip_root ? 1 : 0),
                           P_TEXT(pattern), P_TEXT(pattern), P_TEXT(pattern), P_OPT_TEXT(q->kind),
                           P_OPT_TEXT(q->kind), P_INT(q->after_id),
                           P_INT(q->limit > 0 ? q->limit : NO_LIMIT)),
                    unit_row, &x);
    free(pattern);
    return rc;
}

int rf_store_unit_within(struct rf_store *s, int64_t province_id, int64_t root_id, int64_t id,
                         const char *date, int *yes)
{
    int64_t n = 0;
    int rc;

    rc = rf_sq_one_int(
        s,
        "WITH RECURSIVE anc(id, n) AS ("
        " SELECT u.id, 0 FROM units u WHERE u.province_id = ? AND u.id = ?"
        " UNION ALL"
        " SELECT l.parent_id, anc.n + 1 FROM unit_links l JOIN anc ON l.unit_id = anc.id"
        "  WHERE l.province_id = ? AND " IN_FORCE("l") " AND anc.n < 16)"
                                                       " SELECT COUNT(*) FROM anc WHERE anc.id = ?",
        PARAMS(P_INT(province_id), P_INT(id), P_INT(province_id), P_TEXT(date), P_TEXT(date),
               P_INT(root_id)),
        &n);
    *yes = rc == RF_OK && n > 0;
    return rc;
}

int rf_store_unit_within_ever(struct rf_store *s, int64_t province_id, int64_t root_id, int64_t id,
                              int *yes)
{
    int64_t n = 0;
    int rc;

    rc = rf_sq_one_int(
        s,
        "WITH RECURSIVE anc(id, n) AS ("
        " SELECT u.id, 0 FROM units u WHERE u.province_id = ? AND u.id = ?"
        " UNION"
        " SELECT l.parent_id, anc.n + 1 FROM unit_links l JOIN anc ON l.unit_id = anc.id"
        "  WHERE l.province_id = ? AND anc.n < 16)"
        " SELECT COUNT(*) FROM anc WHERE anc.id = ?",
        PARAMS(P_INT(province_id), P_INT(id), P_INT(province_id), P_INT(root_id)), &n);
    *yes = rc == RF_OK && n > 0;
    return rc;
}

int rf_store_unit_children_after(struct rf_store *s, int64_t province_id, int64_t id,
                                 const char *date, int64_t *count)
{
    return rf_sq_one_int(s,
                         "SELECT COUNT(*) FROM unit_links WHERE province_id = ? AND parent_id = ?"
                         " AND (valid_to IS NULL OR valid_to > ?)",
                         PARAMS(P_INT(province_id), P_INT(id), P_TEXT(date)), count);
}
