/*
 * The SQL of users and of their sessions and bearer tokens, for both
 * backends. Only a token's hash is stored; a session is found by it together
 * with its user, in one read.
 */
#include "store_int.h"
#include "../core/text.h"

#include <stdlib.h>
#include <string.h>

/* ---- users ---- */

#define USER_COLS                                                                                  \
    "us.id, us.province_id, us.unit_id, un.code, us.username, us.full_name, us.roles,"             \
    " us.disabled, us.password_hash, us.password_changed_at, us.created_at, us.updated_at"

static void read_user(struct rf_store *s, struct rf_rows *r, int at, struct rf_user *u)
{
    const struct rf_backend *be = s->be;

    memset(u, 0, sizeof(*u));
    u->id = be->col_int(r, at + 0);
    u->province_id = be->col_int(r, at + 1);
    u->unit_id = be->col_int(r, at + 2);
    COPY(u->unit_code, be->col_text(r, at + 3));
    COPY(u->username, be->col_text(r, at + 4));
    COPY(u->full_name, be->col_text(r, at + 5));
    u->roles = (unsigned)be->col_int(r, at + 6);
    u->disabled = (int)be->col_int(r, at + 7);
    COPY(u->password_hash, be->col_text(r, at + 8));
    u->password_changed_at = be->col_int(r, at + 9);
    u->created_at = be->col_int(r, at + 10);
    u->updated_at = be->col_int(r, at + 11);
}

int rf_store_user_insert(struct rf_store *s, struct rf_user *u)
{
    char *fold = NULL;
    int taken = 0;
    int rc = rf_sq_exists(s, "SELECT 1 FROM users WHERE username = ?", PARAMS(P_TEXT(u->username)),
                          &taken);

    if (rc != RF_OK || taken)
        return rc != RF_OK ? rc : RF_ECONFLICT;
    if (rf_text_fold(u->full_name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(
        s,
        "INSERT INTO users (province_id, unit_id, username, full_name, full_name_fold,"
        " roles, disabled, password_hash, password_changed_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        PARAMS(P_INT(u->province_id), P_INT(u->unit_id), P_TEXT(u->username), P_TEXT(u->full_name),
               P_TEXT(fold), P_INT(u->roles), P_INT(u->disabled), P_TEXT(u->password_hash),
               P_INT(u->password_changed_at), P_INT(u->created_at), P_INT(u->updated_at)),
        &u->id);
    free(fold);
    return rc;
}

int rf_store_user_update(struct rf_store *s, const struct rf_user *u)
{
    char *fold = NULL;
    int64_t found = 0;
    int rc;

    if (rf_text_fold(u->full_name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "UPDATE users SET unit_id = ?, full_name = ?, full_name_fold = ?, roles = ?,"
                       " disabled = ?, password_hash = ?, password_changed_at = ?, updated_at = ?"
                       " WHERE province_id = ? AND id = ? RETURNING id",
                       PARAMS(P_INT(u->unit_id), P_TEXT(u->full_name), P_TEXT(fold),
                              P_INT(u->roles), P_INT(u->disabled), P_TEXT(u->password_hash),
                              P_INT(u->password_changed_at), P_INT(u->updated_at),
                              P_INT(u->province_id), P_INT(u->id)),
                       &found);
    free(fold);
    return rc;
}

static int first_user(struct rf_store *s, struct rf_rows *r, void *out)
{
    read_user(s, r, 0, out);
    return 0;
}

static int user_get(struct rf_store *s, const char *sql, const struct rf_param *p, int n,
                    struct rf_user *out)
{
    return rf_sq_first(s, sql, p, n, first_user, out);
}

int rf_store_user_get(struct rf_store *s, int64_t province_id, int64_t id, struct rf_user *out)
{
    return user_get(s,
                    "SELECT " USER_COLS
                    " FROM users us JOIN units un ON un.province_id = us.province_id"
                    " AND un.id = us.unit_id WHERE us.province_id = ? AND us.id = ?",
                    PARAMS(P_INT(province_id), P_INT(id)), out);
}

int rf_store_user_get_by_name(struct rf_store *s, int64_t province_id, const char *username,
                              struct rf_user *out)
{
    return user_get(s,
                    "SELECT " USER_COLS
                    " FROM users us JOIN units un ON un.province_id = us.province_id"
                    " AND un.id = us.unit_id WHERE us.province_id = ? AND us.username = ?",
                    PARAMS(P_INT(province_id), P_TEXT(username)), out);
}

struct user_rows {
    rf_user_fn fn;
    void *ctx;
};

static int user_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct user_rows *x = ctx;
    struct rf_user u;

    read_user(s, r, 0, &u);
    return x->fn(x->ctx, &u);
}

int rf_store_users_list(struct rf_store *s, const struct rf_user_query *q, rf_user_fn fn, void *ctx)
{
    static const char sql[] =
        "WITH RECURSIVE sub(id, depth) AS ("
        " SELECT u.id, 0 FROM units u WHERE u.province_id = ? AND u.id = ?"
        " UNION"
        " SELECT l.unit_id, sub.depth + 1 FROM unit_links l JOIN sub ON l.parent_id = sub.id"
        "  WHERE l.province_id = ? AND sub.depth < 16)"
        " SELECT " USER_COLS " FROM users us JOIN units un ON un.province_id = us.province_id"
        " AND un.id = us.unit_id WHERE us.province_id = ?"
        "  AND (? = 1 OR us.unit_id IN (SELECT id FROM sub))"
        "  AND (CAST(? AS BIGINT) IS NULL OR us.unit_id = ?)"
        "  AND (CAST(? AS TEXT) IS NULL OR us.full_name_fold LIKE ? ESCAPE '\\'"
        "       OR us.username LIKE ? ESCAPE '\\')"
        "  AND us.id > ?"
        " ORDER BY us.id LIMIT ?";
    char *pattern = rf_sq_like_pattern(q->text_fold);
    struct user_rows x = {fn, ctx};
    int rc;

    rc =
        rf_sq_each(s, sql,
                   PARAMS(P_INT(q->province_id), P_INT(q->root_id), P_INT(q->province_id),
                          P_INT(q->province_id), P_INT(q->all_units ? 1 : 0), P_OPT_INT(q->unit_id),
                          P_OPT_INT(q->unit_id), P_TEXT(pattern), P_TEXT(pattern), P_TEXT(pattern),
                          P_INT(q->after_id), P_INT(q->limit > 0 ? q->limit : NO_LIMIT)),
                   user_row, &x);
    free(pattern);
    return rc;
}

/* ---- sessions ---- */

int rf_store_session_insert(struct rf_store *s, struct rf_session *x)
{
    return rf_sq_one_int(
        s,
        "INSERT INTO sessions (province_id, user_id, kind, token_hash, csrf, label,"
        " created_at, last_seen_at, expires_at, ended_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) RETURNING id",
        PARAMS(P_INT(x->province_id), P_INT(x->user_id), P_INT(x->kind), P_TEXT(x->token_hash),
               P_TEXT(x->csrf), P_TEXT(x->label), P_INT(x->created_at), P_INT(x->last_seen_at),
               P_OPT_INT(x->expires_at)),
        &x->id);
}

int rf_store_session_find(struct rf_store *s, int64_t province_id, const char *token_hash,
                          struct rf_session *out, struct rf_user *user)
{
    struct rf_rows *r;
    int rc;

    rc = rf_sq_query(s,
                     "SELECT x.id, x.province_id, x.user_id, x.kind, x.token_hash, x.csrf,"
                     " x.label, x.created_at, x.last_seen_at, x.expires_at, x.ended_at,"
                     " pv.units_version, pv.calendar_version, pv.procedures_version, " USER_COLS
                     " FROM sessions x"
                     " JOIN users us ON us.province_id = x.province_id AND us.id = x.user_id"
                     " JOIN units un ON un.province_id = us.province_id AND un.id = us.unit_id"
                     " JOIN provinces pv ON pv.id = x.province_id"
                     " WHERE x.province_id = ? AND x.token_hash = ?",
                     PARAMS(P_INT(province_id), P_TEXT(token_hash)), &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        const struct rf_backend *be = s->be;
        memset(out, 0, sizeof(*out));
        out->id = be->col_int(r, 0);
        out->province_id = be->col_int(r, 1);
        out->user_id = be->col_int(r, 2);
        out->kind = (enum rf_session_kind)be->col_int(r, 3);
        COPY(out->token_hash, be->col_text(r, 4));
        COPY(out->csrf, be->col_text(r, 5));
        COPY(out->label, be->col_text(r, 6));
        out->created_at = be->col_int(r, 7);
        out->last_seen_at = be->col_int(r, 8);
        out->expires_at = be->col_int(r, 9);
        out->ended_at = be->col_int(r, 10);
        out->versions.units = be->col_int(r, 11);
        out->versions.calendar = be->col_int(r, 12);
        out->versions.procedures = be->col_int(r, 13);
        out->versions.known = 1;
        read_user(s, r, 14, user);
        rc = RF_OK;
    } else if (rc == 0) {
        rc = RF_ENOTFOUND;
    }
    s->be->done(r);
    return rc;
}

int rf_store_session_touch(struct rf_store *s, int64_t province_id, int64_t id, int64_t now)
{
    return rf_sq_run(s, "UPDATE sessions SET last_seen_at = ? WHERE province_id = ? AND id = ?",
                     PARAMS(P_INT(now), P_INT(province_id), P_INT(id)));
}

int rf_store_session_end(struct rf_store *s, int64_t province_id, int64_t id, int64_t now)
{
    return rf_sq_run(s,
                     "UPDATE sessions SET ended_at = ? WHERE province_id = ? AND id = ?"
                     " AND ended_at IS NULL",
                     PARAMS(P_INT(now), P_INT(province_id), P_INT(id)));
}

int rf_store_sessions_end_user(struct rf_store *s, int64_t province_id, int64_t user_id,
                               unsigned kinds, int64_t now)
{
    int rc = RF_OK;

    if (kinds & RF_SESSION_COOKIE)
        rc = rf_sq_run(s,
                       "UPDATE sessions SET ended_at = ? WHERE province_id = ? AND user_id = ?"
                       " AND kind = 1 AND ended_at IS NULL",
                       PARAMS(P_INT(now), P_INT(province_id), P_INT(user_id)));
    if (rc == RF_OK && (kinds & RF_SESSION_BEARER))
        rc = rf_sq_run(s,
                       "UPDATE sessions SET ended_at = ? WHERE province_id = ? AND user_id = ?"
                       " AND kind = 2 AND ended_at IS NULL",
                       PARAMS(P_INT(now), P_INT(province_id), P_INT(user_id)));
    return rc;
}
