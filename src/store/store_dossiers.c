/*
 * The SQL of the procedure catalogue and of one-stop dossiers, for both
 * backends: versions of a procedure by the day they take effect, with their
 * steps; dossiers with their timeline, pauses, daily code sequences and the
 * service center's counters.
 */
#include "store_int.h"
#include "../common/mem.h"
#include "../core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- procedures ---- */

#define PROC_COLS                                                                                  \
    "p.id, p.province_id, p.code, p.version_from, p.name, p.field, p.level, p.days, p.minutes,"    \
    " p.fee, p.online, p.papers, p.source, p.created_at"

static void read_procedure(struct rf_store *s, struct rf_rows *r, struct rf_procedure *p)
{
    const struct rf_backend *be = s->be;

    memset(p, 0, sizeof(*p));
    p->id = be->col_int(r, 0);
    p->province_id = be->col_int(r, 1);
    COPY(p->code, be->col_text(r, 2));
    COPY(p->version_from, be->col_text(r, 3));
    COPY(p->name, be->col_text(r, 4));
    COPY(p->field, be->col_text(r, 5));
    COPY(p->level, be->col_text(r, 6));
    p->days = (int)be->col_int(r, 7);
    p->minutes = (int)be->col_int(r, 8);
    p->fee = be->col_int(r, 9);
    COPY(p->online, be->col_text(r, 10));
    COPY(p->papers, be->col_text(r, 11));
    COPY(p->source, be->col_text(r, 12));
    p->created_at = be->col_int(r, 13);
}

int rf_store_procedure_insert(struct rf_store *s, struct rf_procedure *p)
{
    char *fold = NULL;
    int rc;

    if (rf_text_fold(p->name, &fold) != RF_OK)
        return RF_EINVAL;
    rc = rf_sq_one_int(s,
                       "INSERT INTO procedures (province_id, code, version_from, name, name_fold,"
                       " field, level, days, minutes, fee, online, papers, source, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       PARAMS(P_INT(p->province_id), P_TEXT(p->code), P_TEXT(p->version_from),
                              P_TEXT(p->name), P_TEXT(fold), P_TEXT(p->field), P_TEXT(p->level),
                              P_INT(p->days), P_INT(p->minutes), P_INT(p->fee), P_TEXT(p->online),
                              P_TEXT(p->papers), P_TEXT(p->source), P_INT(p->created_at)),
                       &p->id);
    free(fold);
    if (rc == RF_OK) /* what processes keep of the procedures in force is stale now */
        rc = rf_sq_run(s,
                       "UPDATE provinces SET procedures_version = procedures_version + 1"
                       " WHERE id = ?",
                       PARAMS(P_INT(p->province_id)));
    for (int i = 0; rc == RF_OK && i < p->nsteps; i++)
        rc = rf_sq_run(s,
                       "INSERT INTO procedure_steps (procedure_id, seq, name, unit_ref, minutes)"
                       " VALUES (?, ?, ?, ?, ?)",
                       PARAMS(P_INT(p->id), P_INT(i), P_TEXT(p->steps[i].name),
                              P_TEXT(p->steps[i].unit_ref), P_INT(p->steps[i].minutes)));
    return rc;
}

static int step_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    struct rf_procedure *p = ctx;
    struct rf_procedure_step *st;

    if (p->nsteps == RF_PROC_MAX_STEPS)
        return 1;
    st = &p->steps[p->nsteps++];
    COPY(st->name, s->be->col_text(r, 0));
    COPY(st->unit_ref, s->be->col_text(r, 1));
    st->minutes = (int)s->be->col_int(r, 2);
    return 0;
}

static int read_steps(struct rf_store *s, struct rf_procedure *p)
{
    p->nsteps = 0;
    /* a procedure's steps are reached through the procedure, which is the province's */
    return rf_sq_each(s,
                      "SELECT ps.name, ps.unit_ref, ps.minutes FROM procedures p"
                      " JOIN procedure_steps ps ON ps.procedure_id = p.id"
                      " WHERE p.province_id = ? AND p.id = ? ORDER BY ps.seq",
                      PARAMS(P_INT(p->province_id), P_INT(p->id)), step_row, p);
}

/* The first row of 'sql' into 'out' with its steps, RF_ENOTFOUND when none. */
static int one_procedure(struct rf_store *s, const char *sql, const struct rf_param *params, int n,
                         struct rf_procedure *out)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, params, n, &r);

    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1)
        read_procedure(s, r, out);
    s->be->done(r);
    if (rc == 0)
        return RF_ENOTFOUND;
    return rc < 0 ? rc : read_steps(s, out);
}

int rf_store_procedure_get(struct rf_store *s, int64_t province_id, int64_t id,
                           struct rf_procedure *out)
{
    return one_procedure(s,
                         "SELECT " PROC_COLS " FROM procedures p WHERE p.province_id = ? AND"
                         " p.id = ?",
                         PARAMS(P_INT(province_id), P_INT(id)), out);
}

int rf_store_procedure_in_force(struct rf_store *s, int64_t province_id, const char *code,
                                const char *date, int64_t *id)
{
    /* from the index of (province_id, code, version_from) alone */
    return rf_sq_one_int(s,
                         "SELECT id FROM procedures WHERE province_id = ? AND code = ?"
                         " AND version_from <= ? ORDER BY version_from DESC LIMIT 1",
                         PARAMS(P_INT(province_id), P_TEXT(code), P_TEXT(date)), id);
}

struct procedure_rows {
    rf_procedure_fn fn;
    void *ctx;
    struct rf_procedure *p;
};

static int procedure_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct procedure_rows *x = ctx;

    read_procedure(s, r, x->p);
    return x->fn(x->ctx, x->p);
}

int rf_store_procedures_list(struct rf_store *s, const struct rf_procedure_query *q,
                             rf_procedure_fn fn, void *ctx)
{
    char *pattern = rf_sq_like_pattern(q->text_fold);
    struct procedure_rows x = {fn, ctx, rf_xmalloc(sizeof(*x.p))};
    int rc;

    /* the version in force: the latest that started on or before the day */
    rc = rf_sq_each(
        s,
        "SELECT " PROC_COLS " FROM procedures p WHERE p.province_id = ? AND p.version_from <= ?"
        " AND NOT EXISTS (SELECT 1 FROM procedures n WHERE n.province_id = p.province_id"
        "  AND n.code = p.code AND n.version_from > p.version_from AND n.version_from <= ?)"
        " AND (CAST(? AS TEXT) IS NULL OR p.field = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR p.level = ?)"
        " AND (CAST(? AS TEXT) IS NULL OR p.name_fold LIKE ? ESCAPE '\\' OR p.code LIKE ?"
        "  ESCAPE '\\')"
        " AND p.id > ? ORDER BY p.id LIMIT ?",
        PARAMS(P_INT(q->province_id), P_TEXT(q->date), P_TEXT(q->date), P_OPT_TEXT(q->field),
               P_OPT_TEXT(q->field), P_OPT_TEXT(q->level), P_OPT_TEXT(q->level), P_TEXT(pattern),
               P_TEXT(pattern), P_TEXT(pattern), P_INT(q->after_id),
               P_INT(q->limit > 0 ? q->limit : 1000000)),
        procedure_row, &x);
    free(x.p);
    free(pattern); /* bound to the statement until it is done */
    return rc;
}

/* ---- dossiers ---- */

#define DOSSIER_COLS                                                                               \
    "id, province_id, code, procedure_id, desk_unit_id, channel, applicant_name,"                  \
    " applicant_phone, applicant_address, state, step, step_unit_id, received_at, due_at,"         \
    " appointment_at, result_at, finished_at, timeliness, apologies, lookup_hash, version,"        \
    " created_at, updated_at"

static int read_dossier(struct rf_store *s, struct rf_rows *r, struct rf_dossier *d)
{
    const struct rf_backend *be = s->be;

    memset(d, 0, sizeof(*d));
    d->id = be->col_int(r, 0);
    d->province_id = be->col_int(r, 1);
    COPY(d->code, be->col_text(r, 2));
    d->procedure_id = be->col_int(r, 3);
    d->desk_unit_id = be->col_int(r, 4);
    COPY(d->channel, be->col_text(r, 5));
    COPY(d->applicant_name, be->col_text(r, 6));
    COPY(d->applicant_phone, be->col_text(r, 7));
    COPY(d->applicant_address, be->col_text(r, 8));
    if (rf_dossier_state_parse(be->col_text(r, 9), &d->state) != RF_OK)
        return RF_ESTORE; /* written by this module only: a bad row is damage */
    d->step = (int)be->col_int(r, 10);
    d->step_unit_id = be->col_int(r, 11);
    d->received_at = be->col_int(r, 12);
    d->due_at = be->col_int(r, 13);
    d->appointment_at = be->col_int(r, 14);
    d->result_at = be->col_int(r, 15);
    d->finished_at = be->col_int(r, 16);
    COPY(d->timeliness, be->col_text(r, 17));
    d->apologies = (int)be->col_int(r, 18);
    COPY(d->lookup_hash, be->col_text(r, 19));
    d->version = (int)be->col_int(r, 20);
    d->created_at = be->col_int(r, 21);
    d->updated_at = be->col_int(r, 22);
    return RF_OK;
}

static int one_dossier(struct rf_store *s, const char *sql, const struct rf_param *params, int n,
                       struct rf_dossier *out)
{
    struct rf_rows *r;
    int rc = rf_sq_query(s, sql, params, n, &r);

    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1)
        rc = read_dossier(s, r, out);
    else if (rc == 0)
        rc = RF_ENOTFOUND;
    s->be->done(r);
    return rc;
}

static int seq_take(struct rf_store *s, int64_t province_id, int64_t desk_unit_id, const char *day,
                    int64_t *seq)
{
    /* a desk's sequence is reached through the desk, which is the province's */
    return rf_sq_one_int(s,
                         "INSERT INTO dossier_sequences (desk_unit_id, day, last)"
                         " SELECT u.id, CAST(? AS TEXT), 1 FROM units u"
                         " WHERE u.province_id = ? AND u.id = ?"
                         " ON CONFLICT (desk_unit_id, day) DO UPDATE SET"
                         " last = dossier_sequences.last + 1 RETURNING last",
                         PARAMS(P_TEXT(day), P_INT(province_id), P_INT(desk_unit_id)), seq);
}

/*
 * Deferring, a desk's first number of the transaction is taken from the table
 * (which locks its row until the commit) and the next ones in memory.
 */
int rf_store_dossier_next_seq(struct rf_store *s, int64_t province_id, int64_t desk_unit_id,
                              const char *day, int64_t *seq)
{
    struct rf_seq_kept *k;
    int rc;

    if (!s->deferring)
        return seq_take(s, province_id, desk_unit_id, day, seq);
    for (int i = 0; i < s->nseqs; i++) {
        k = &s->seqs[i];
        if (k->desk_unit_id == desk_unit_id && k->province_id == province_id &&
            strcmp(k->day, day) == 0) {
            *seq = ++k->last;
            k->dirty = 1;
            s->deferred++;
            return RF_OK;
        }
    }
    rc = seq_take(s, province_id, desk_unit_id, day, seq);
    if (rc == RF_OK && s->nseqs < RF_SEQS_KEPT && strlen(day) < sizeof(k->day)) {
        k = &s->seqs[s->nseqs++];
        k->province_id = province_id;
        k->desk_unit_id = desk_unit_id;
        k->last = *seq;
        k->dirty = 0;
        COPY(k->day, day);
    }
    return rc;
}

int rf_sq_seqs_write(struct rf_store *s)
{
    int rc = RF_OK;

    for (int i = 0; rc == RF_OK && i < s->nseqs; i++)
        if (s->seqs[i].dirty)
            rc = rf_sq_run(
                s, "UPDATE dossier_sequences SET last = ? WHERE desk_unit_id = ? AND day = ?",
                PARAMS(P_INT(s->seqs[i].last), P_INT(s->seqs[i].desk_unit_id),
                       P_TEXT(s->seqs[i].day)));
    s->nseqs = 0;
    return rc;
}

#define DOSSIER_INSERT_COLS                                                                        \
    "province_id, code, procedure_id, desk_unit_id, channel, applicant_name, applicant_phone,"     \
    " applicant_address, state, step, step_unit_id, received_at, due_at, appointment_at,"          \
    " result_at, finished_at, timeliness, apologies, lookup_hash, version, created_at, updated_at"
#define DOSSIER_INSERT_VALUES(d)                                                                   \
    P_INT((d)->province_id), P_TEXT((d)->code), P_INT((d)->procedure_id),                          \
        P_INT((d)->desk_unit_id), P_TEXT((d)->channel), P_TEXT((d)->applicant_name),               \
        P_TEXT((d)->applicant_phone), P_TEXT((d)->applicant_address),                              \
        P_TEXT(rf_dossier_state_name((d)->state)), P_INT((d)->step), P_OPT_INT((d)->step_unit_id), \
        P_INT((d)->received_at), P_INT((d)->due_at), P_INT((d)->appointment_at),                   \
        P_OPT_INT((d)->result_at), P_OPT_INT((d)->finished_at), P_OPT_TEXT((d)->timeliness),       \
        P_INT((d)->apologies), P_TEXT((d)->lookup_hash), P_INT((d)->version),                      \
        P_INT((d)->created_at), P_INT((d)->updated_at)

/*
 * What a dossier points to, checked by its insert: the procedure and the
 * units are the province's (and so the province exists). PostgreSQL has no
 * foreign keys here (migration 0009): these are its checks.
 */
#define DOSSIER_REFS                                                                               \
    " WHERE EXISTS (SELECT 1 FROM procedures p WHERE p.province_id = ? AND p.id = ?)"              \
    " AND EXISTS (SELECT 1 FROM units u WHERE u.province_id = ? AND u.id = ?)"                     \
    " AND (CAST(? AS BIGINT) IS NULL"                                                              \
    " OR EXISTS (SELECT 1 FROM units u WHERE u.province_id = ? AND u.id = ?))"
#define DOSSIER_REFS_VALUES(d)                                                                     \
    P_INT((d)->province_id), P_INT((d)->procedure_id), P_INT((d)->province_id),                    \
        P_INT((d)->desk_unit_id), P_OPT_INT((d)->step_unit_id), P_INT((d)->province_id),           \
        P_INT((d)->step_unit_id)

/*
 * The dossiers gathered while writes are deferred (PostgreSQL), in one
 * statement: each checks what it points to as DOSSIER_REFS does, and a code
 * taken fails the statement, so that the changes run again one at a time and
 * the one whose code it was is refused by the insert below.
 */
#define DOSSIERS_GATHERED                                                                          \
    "INSERT INTO dossiers (id, " DOSSIER_INSERT_COLS ") SELECT v.* FROM unnest("                   \
    "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),"            \
    " CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),"               \
    " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),"             \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),"         \
    " CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),"             \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[])) AS "                          \
    "v(id, " DOSSIER_INSERT_COLS                                                                   \
    ") WHERE EXISTS (SELECT 1 FROM procedures p WHERE p.province_id = v.province_id"               \
    " AND p.id = v.procedure_id)"                                                                  \
    " AND EXISTS (SELECT 1 FROM units u WHERE u.province_id = v.province_id"                       \
    " AND u.id = v.desk_unit_id)"                                                                  \
    " AND (v.step_unit_id IS NULL OR EXISTS (SELECT 1 FROM units u"                                \
    " WHERE u.province_id = v.province_id AND u.id = v.step_unit_id))"

int rf_store_dossier_insert(struct rf_store *s, struct rf_dossier *d)
{
    int64_t id;
    int rc = rf_sq_next_id(s, RF_IDS_DOSSIERS, &id);

    if (rc == RF_OK && rf_sq_gathering(s)) {
        rc = rf_sq_gather(s, RF_GATHER_DOSSIERS, DOSSIERS_GATHERED,
                          PARAMS(P_INT(id), DOSSIER_INSERT_VALUES(d)));
        if (rc == RF_OK)
            d->id = id;
        else
            rf_sq_id_back(s, RF_IDS_DOSSIERS);
    } else if (rc == RF_OK) { /* the id known, nothing of the answer is needed */
        rc = rf_sq_write_one(s,
                             "INSERT INTO dossiers (id, " DOSSIER_INSERT_COLS ") SELECT ?, ?, ?, ?,"
                             " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" DOSSIER_REFS
                             " ON CONFLICT (code) DO NOTHING RETURNING id",
                             PARAMS(P_INT(id), DOSSIER_INSERT_VALUES(d), DOSSIER_REFS_VALUES(d)),
                             NULL);
        if (rc == RF_ENOTFOUND)
            rf_sq_id_back(s, RF_IDS_DOSSIERS);
        else if (rc == RF_OK)
            d->id = id;
    } else if (rc == RF_ENOTFOUND) {
        rc = rf_sq_one_int(s,
                           "INSERT INTO dossiers (" DOSSIER_INSERT_COLS ") SELECT ?, ?, ?, ?, ?,"
                           " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" DOSSIER_REFS
                           " ON CONFLICT (code) DO NOTHING RETURNING id",
                           PARAMS(DOSSIER_INSERT_VALUES(d), DOSSIER_REFS_VALUES(d)), &d->id);
    }
    /* a code taken writes nothing and leaves the transaction as it was */
    return rc == RF_ENOTFOUND ? RF_ECONFLICT : rc;
}

int rf_store_dossier_get(struct rf_store *s, int64_t province_id, int64_t id,
                         struct rf_dossier *out)
{
    return one_dossier(s, "SELECT " DOSSIER_COLS " FROM dossiers WHERE province_id = ? AND id = ?",
                       PARAMS(P_INT(province_id), P_INT(id)), out);
}

int rf_store_dossier_by_code(struct rf_store *s, int64_t province_id, const char *code,
                             struct rf_dossier *out)
{
    return one_dossier(s,
                       "SELECT " DOSSIER_COLS " FROM dossiers WHERE province_id = ? AND code = ?",
                       PARAMS(P_INT(province_id), P_TEXT(code)), out);
}

int rf_store_dossier_lookup(struct rf_store *s, int64_t province_id, const char *address,
                            const char *code, struct rf_attempts *misses, struct rf_dossier *out,
                            char office[RF_NAME_BYTES])
{
    struct rf_rows *r;
    int rc;

    memset(misses, 0, sizeof(*misses));
    office[0] = '\0';
    /* one statement, so one read of the database for the commonest public request: the row of
       the address's failures and the dossier's, each NULL when there is none */
    rc = rf_sq_query(s,
                     "SELECT d.id, d.province_id, d.code, d.procedure_id, d.desk_unit_id,"
                     " d.channel, d.applicant_name, d.applicant_phone, d.applicant_address,"
                     " d.state, d.step, d.step_unit_id, d.received_at, d.due_at,"
                     " d.appointment_at, d.result_at, d.finished_at, d.timeliness, d.apologies,"
                     " d.lookup_hash, d.version, d.created_at, d.updated_at, COALESCE(u.name, ''),"
                     " a.window_start, a.failures"
                     " FROM (SELECT 1 AS one) o"
                     " LEFT JOIN dossiers d ON d.province_id = ? AND d.code = ?"
                     " LEFT JOIN units u ON u.province_id = d.province_id AND u.id = d.step_unit_id"
                     " LEFT JOIN attempts a ON a.province_id = ? AND a.kind = ? AND a.key = ?",
                     PARAMS(P_INT(province_id), P_TEXT(code), P_INT(province_id),
                            P_TEXT(RF_ATTEMPT_LOOKUP), P_TEXT(address ? address : "")),
                     &r);
    if (rc != RF_OK)
        return rc;
    rc = s->be->step(r);
    if (rc == 1) {
        misses->window_start = s->be->col_int(r, 24);
        misses->failures = (int)s->be->col_int(r, 25);
        if (s->be->col_null(r, 0)) {
            rc = RF_ENOTFOUND;
        } else {
            rc = read_dossier(s, r, out);
            snprintf(office, RF_NAME_BYTES, "%s", s->be->col_text(r, 23));
        }
    } else if (rc == 0) {
        rc = RF_ESTORE; /* the one row is always there */
    }
    s->be->done(r);
    return rc;
}

/*
 * The moves gathered while writes are deferred, as one statement: a dossier
 * moved meanwhile (its version no longer the one read) writes nothing, and
 * two moves of one dossier at one version write it once, either failing the
 * statement, so that the changes run again one at a time and the late one is
 * refused below.
 */
#define DOSSIERS_MOVED                                                                             \
    "UPDATE dossiers d SET state = v.state, step = v.step, step_unit_id = v.step_unit_id,"         \
    " due_at = v.due_at, appointment_at = v.appointment_at, result_at = v.result_at,"              \
    " finished_at = v.finished_at, timeliness = v.timeliness, apologies = v.apologies,"            \
    " version = d.version + 1, updated_at = v.updated_at FROM unnest(CAST(? AS TEXT[]),"           \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),"         \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),"           \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]))"         \
    " AS v(state, step, step_unit_id, due_at, appointment_at, result_at, finished_at, timeliness," \
    " apologies, updated_at, province_id, id, version)"                                            \
    " WHERE d.province_id = v.province_id AND d.id = v.id AND d.version = v.version"

int rf_store_dossier_update(struct rf_store *s, struct rf_dossier *d, int version)
{
    int rc;

    if (rf_sq_gathering(s)) {
        rc = rf_sq_gather(s, RF_GATHER_MOVES, DOSSIERS_MOVED,
                          PARAMS(P_TEXT(rf_dossier_state_name(d->state)), P_INT(d->step),
                                 P_OPT_INT(d->step_unit_id), P_INT(d->due_at),
                                 P_INT(d->appointment_at), P_OPT_INT(d->result_at),
                                 P_OPT_INT(d->finished_at), P_OPT_TEXT(d->timeliness),
                                 P_INT(d->apologies), P_INT(d->updated_at), P_INT(d->province_id),
                                 P_INT(d->id), P_INT(version)));
        if (rc == RF_OK)
            d->version = version + 1;
        return rc;
    }

    /* deferred, a version moved meanwhile fails the deferred writes, which run again */
    rc = rf_sq_write_one(
        s,
        "UPDATE dossiers SET state = ?, step = ?, step_unit_id = ?, due_at = ?,"
        " appointment_at = ?, result_at = ?, finished_at = ?, timeliness = ?, apologies = ?,"
        " version = version + 1, updated_at = ? WHERE province_id = ? AND id = ? AND version = ?"
        " RETURNING version",
        PARAMS(P_TEXT(rf_dossier_state_name(d->state)), P_INT(d->step), P_OPT_INT(d->step_unit_id),
               P_INT(d->due_at), P_INT(d->appointment_at), P_OPT_INT(d->result_at),
               P_OPT_INT(d->finished_at), P_OPT_TEXT(d->timeliness), P_INT(d->apologies),
               P_INT(d->updated_at), P_INT(d->province_id), P_INT(d->id), P_INT(version)),
        NULL);
    if (rc == RF_ENOTFOUND)
        return RF_ECONFLICT; /* somebody acted first */
    if (rc == RF_OK)
        d->version = version + 1;
    return rc;
}

/* a dossier's timeline and pauses are reached through the dossier, which is the province's */
#define DOSSIER_OF_PROVINCE "(SELECT d.id FROM dossiers d WHERE d.province_id = ? AND d.id = ?)"

/* The events gathered while writes are deferred, as the insert below writes each. */
#define EVENTS_GATHERED                                                                            \
    "INSERT INTO dossier_events (dossier_id, at, action, from_state, to_state, step,"              \
    " from_unit_id, to_unit_id, actor_id, reason, step_due_at, step_late)"                         \
    " SELECT v.dossier_id, v.at, v.action, v.from_state, v.to_state, v.step, v.from_unit_id,"      \
    " v.to_unit_id, v.actor_id, v.reason, v.step_due_at, v.step_late FROM unnest("                 \
    "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]),"            \
    " CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]),"             \
    " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS BIGINT[]),"           \
    " CAST(? AS BIGINT[])) AS v(province_id, dossier_id, at, action, from_state, to_state, step,"  \
    " from_unit_id, to_unit_id, actor_id, reason, step_due_at, step_late)"                         \
    " WHERE EXISTS (SELECT 1 FROM dossiers d WHERE d.province_id = v.province_id"                  \
    " AND d.id = v.dossier_id)"                                                                    \
    " AND (v.actor_id IS NULL OR EXISTS (SELECT 1 FROM users us WHERE us.id = v.actor_id))"

int rf_store_dossier_event_add(struct rf_store *s, int64_t province_id, struct rf_dossier_event *e)
{
    if (rf_sq_gathering(s)) {
        e->id = 0; /* known once written */
        return rf_sq_gather(
            s, RF_GATHER_EVENTS, EVENTS_GATHERED,
            PARAMS(P_INT(province_id), P_INT(e->dossier_id), P_INT(e->at), P_TEXT(e->action),
                   P_TEXT(e->from_state), P_TEXT(e->to_state), P_INT(e->step),
                   P_OPT_INT(e->from_unit_id), P_OPT_INT(e->to_unit_id), P_OPT_INT(e->actor_id),
                   P_TEXT(e->reason), P_OPT_INT(e->step_due_at), P_INT(e->step_late)));
    }
    return rf_sq_write_one(
        s,
        "INSERT INTO dossier_events (dossier_id, at, action, from_state, to_state, step,"
        " from_unit_id, to_unit_id, actor_id, reason, step_due_at, step_late)"
        " SELECT d.id, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
        " CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),"
        " CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS INTEGER) FROM dossiers d"
        " WHERE d.province_id = ? AND d.id = ?"
        " AND (CAST(? AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM users us WHERE us.id = ?))"
        " RETURNING id",
        PARAMS(P_INT(e->at), P_TEXT(e->action), P_TEXT(e->from_state), P_TEXT(e->to_state),
               P_INT(e->step), P_OPT_INT(e->from_unit_id), P_OPT_INT(e->to_unit_id),
               P_OPT_INT(e->actor_id), P_TEXT(e->reason), P_OPT_INT(e->step_due_at),
               P_INT(e->step_late), P_INT(province_id), P_INT(e->dossier_id),
               P_OPT_INT(e->actor_id), P_INT(e->actor_id)),
        &e->id);
}

/* the events that begin a step: its receipt, a hand-over */
#define STEP_BEGINS "('receive', 'hand_over')"

int rf_store_dossier_step_began(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                                int64_t *at)
{
    return rf_sq_one_int(s,
                         "SELECT COALESCE(MAX(at), 0) FROM dossier_events"
                         " WHERE dossier_id = " DOSSIER_OF_PROVINCE " AND action IN " STEP_BEGINS,
                         PARAMS(P_INT(province_id), P_INT(dossier_id)), at);
}

struct event_rows {
    rf_dossier_event_fn fn;
    void *ctx;
    struct rf_dossier_event *e;
};

static int event_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct event_rows *x = ctx;
    const struct rf_backend *be = s->be;
    struct rf_dossier_event *e = x->e;

    memset(e, 0, sizeof(*e));
    e->id = be->col_int(r, 0);
    e->dossier_id = be->col_int(r, 1);
    e->at = be->col_int(r, 2);
    COPY(e->action, be->col_text(r, 3));
    COPY(e->from_state, be->col_text(r, 4));
    COPY(e->to_state, be->col_text(r, 5));
    e->step = (int)be->col_int(r, 6);
    e->from_unit_id = be->col_int(r, 7);
    e->to_unit_id = be->col_int(r, 8);
    e->actor_id = be->col_int(r, 9);
    COPY(e->reason, be->col_text(r, 10));
    e->step_due_at = be->col_int(r, 11);
    e->step_late = (int)be->col_int(r, 12);
    return x->fn(x->ctx, e);
}

int rf_store_dossier_events(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                            rf_dossier_event_fn fn, void *ctx)
{
    struct event_rows x = {fn, ctx, rf_xmalloc(sizeof(*x.e))};
    int rc;

    rc = rf_sq_each(s,
                    "SELECT id, dossier_id, at, action, from_state, to_state, step,"
                    " from_unit_id, to_unit_id, actor_id, reason, step_due_at, step_late"
                    " FROM dossier_events WHERE dossier_id = " DOSSIER_OF_PROVINCE " ORDER BY id",
                    PARAMS(P_INT(province_id), P_INT(dossier_id)), event_row, &x);
    free(x.e);
    return rc;
}

int rf_store_dossier_pause_open(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                                int64_t at)
{
    int64_t id = 0;

    return rf_sq_one_int(s,
                         "INSERT INTO dossier_pauses (dossier_id, from_at)"
                         " SELECT d.id, CAST(? AS BIGINT) FROM dossiers d"
                         " WHERE d.province_id = ? AND d.id = ? RETURNING id",
                         PARAMS(P_INT(at), P_INT(province_id), P_INT(dossier_id)), &id);
}

int rf_store_dossier_pause_close(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                                 int64_t at)
{
    int64_t closed = 0;

    return rf_sq_one_int(
        s,
        "UPDATE dossier_pauses SET to_at = ? WHERE dossier_id = " DOSSIER_OF_PROVINCE
        " AND to_at IS NULL RETURNING from_at",
        PARAMS(P_INT(at), P_INT(province_id), P_INT(dossier_id)), &closed);
}

struct pause_rows {
    rf_pause_fn fn;
    void *ctx;
};

static int pause_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct pause_rows *x = ctx;

    return x->fn(x->ctx, s->be->col_int(r, 0), s->be->col_int(r, 1));
}

int rf_store_dossier_pauses(struct rf_store *s, int64_t province_id, int64_t dossier_id,
                            rf_pause_fn fn, void *ctx)
{
    struct pause_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT from_at, to_at FROM dossier_pauses"
                      " WHERE dossier_id = " DOSSIER_OF_PROVINCE " ORDER BY id",
                      PARAMS(P_INT(province_id), P_INT(dossier_id)), pause_row, &x);
}

int rf_store_dossier_for_move(struct rf_store *s, int64_t province_id, const char *code,
                              struct rf_dossier *out, int64_t *step_began, rf_pause_fn fn,
                              void *ctx)
{
    struct rf_rows *r;
    int rc, found = 0;

    *step_began = 0;
    /* a row for each pause, or one without: the dossier and its step's beginning on each */
    rc = rf_sq_query(s,
                     "SELECT d.*, (SELECT COALESCE(MAX(e.at), 0) FROM dossier_events e"
                     "  WHERE e.dossier_id = d.id AND e.action IN " STEP_BEGINS "),"
                     " x.from_at, x.to_at"
                     " FROM (SELECT " DOSSIER_COLS " FROM dossiers"
                     "  WHERE province_id = ? AND code = ?) d"
                     " LEFT JOIN dossier_pauses x ON x.dossier_id = d.id ORDER BY x.id",
                     PARAMS(P_INT(province_id), P_TEXT(code)), &r);
    if (rc != RF_OK)
        return rc;
    while (rc == RF_OK && (rc = s->be->step(r)) == 1) {
        rc = RF_OK;
        if (!found) {
            found = 1;
            rc = read_dossier(s, r, out);
            *step_began = s->be->col_int(r, 23);
        }
        if (rc == RF_OK && !s->be->col_null(r, 24) &&
            fn(ctx, s->be->col_int(r, 24), s->be->col_int(r, 25)) < 0)
            rc = RF_ESTORE;
    }
    s->be->done(r);
    if (rc < 0)
        return rc;
    return found ? RF_OK : RF_ENOTFOUND;
}

/* A list of dossiers: each row read into 'd' (one allocation for the list), then to 'fn'. */
struct dossier_rows {
    rf_dossier_fn fn;
    void *ctx;
    struct rf_dossier *d;
};

static int dossier_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct dossier_rows *x = ctx;
    int rc = read_dossier(s, r, x->d);

    return rc != RF_OK ? rc : x->fn(x->ctx, x->d);
}

int rf_store_dossiers_held(struct rf_store *s, int64_t province_id, int64_t unit, int limit,
                           rf_dossier_fn fn, void *ctx)
{
    struct dossier_rows x = {fn, ctx, rf_xmalloc(sizeof(*x.d))};
    int rc;

    rc = rf_sq_each(s,
                    "SELECT " DOSSIER_COLS " FROM dossiers WHERE province_id = ? AND"
                    " step_unit_id = ? AND state IN ('processing', 'supplement')"
                    " ORDER BY due_at, id LIMIT ?",
                    PARAMS(P_INT(province_id), P_INT(unit), P_INT(limit)), dossier_row, &x);
    free(x.d);
    return rc;
}

/* the filters every dossier list shares, after its scope, up to the page's cursor */
#define DOSSIER_FILTERS                                                                            \
    " AND (? = 0 OR (d.received_at >= ? AND d.due_at <> 0))"                                       \
    " AND (? = 0 OR d.received_at < ?)"                                                            \
    " AND (? = 0 OR d.result_at >= ?) AND (? = 0 OR d.result_at < ?)"                              \
    " AND (? = 0 OR d.finished_at >= ?) AND (? = 0 OR d.finished_at < ?)"                          \
    " AND (? = 0 OR d.received_at >= ?) AND (? = 0 OR d.received_at < ?)"                          \
    " AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM dossier_events e"                      \
    "  WHERE e.dossier_id = d.id AND e.action = ? AND e.at >= ? AND e.at < ?))"                    \
    " AND (CAST(? AS TEXT) IS NULL OR (',' || CAST(? AS TEXT) || ',') LIKE"                        \
    "  ('%,' || d.state || ',%'))"                                                                 \
    " AND (CAST(? AS TEXT) IS NULL OR (',' || CAST(? AS TEXT) || ',') LIKE"                        \
    "  ('%,' || COALESCE(d.timeliness, '-') || ',%'))"                                             \
    " AND (CAST(? AS TEXT) IS NULL OR d.procedure_id IN (SELECT p.id FROM procedures p"            \
    "  WHERE p.province_id = d.province_id AND p.field = ?))"                                      \
    " AND (CAST(? AS TEXT) IS NULL OR d.procedure_id IN (SELECT p.id FROM procedures p"            \
    "  WHERE p.province_id = d.province_id AND p.level = ?))"                                      \
    " AND (? = 0 OR (d.state = 'processing' AND (? > 0) = (d.due_at < ?)))"                        \
    " AND d.id > ?"

/* Every dossier of the province. */
static const char dossiers_all[] =
    "SELECT " DOSSIER_COLS " FROM dossiers d WHERE d.province_id = ?" DOSSIER_FILTERS
    " ORDER BY d.id LIMIT ?";

/* the units of the root and of the caller's scope over time (UNDER_ON_DAYS), and the tests of a
   dossier's desk on the day it was received against either, each skipped when its unit is 0 */
#define DESKS_AND_SCOPE "WITH RECURSIVE " UNDER_ON_DAYS("desks") ", " UNDER_ON_DAYS("scope")
#define DESK_UNDER(name) UNDER_AT(name, "d.desk_unit_id", "d.received_at")
#define IN_DESKS " AND (? = 0 OR " DESK_UNDER("desks") ")"
#define IN_SCOPE " AND (? = 0 OR " DESK_UNDER("scope") ")"
/* IN_DESKS always tested, first against the desks' ids: a hash lookup, for most rows the last */
#define IN_DESKS_BY_ID                                                                             \
    " AND CASE WHEN d.desk_unit_id IN (SELECT id FROM desks) THEN " DESK_UNDER(                    \
        "desks") " ELSE FALSE END"

/*
 * The dossiers of the desks under a unit on the day each was received, and
 * under the caller's scope on that day too: each desk's period under them is
 * a range of the index on (desk, received_at, ...), which holds every column
 * of the dossier the filters read (migration 0007): only the page's rows are
 * read from the table.
 */
static const char dossiers_under[] = DESKS_AND_SCOPE
    ", page(pid) AS (SELECT d.id FROM desks s JOIN dossiers d ON d.desk_unit_id = s.id"
    " WHERE d.received_at >= s.from_at AND d.received_at < s.to_at" IN_SCOPE DOSSIER_FILTERS
    " ORDER BY d.id LIMIT ?)"
    " SELECT " DOSSIER_COLS " FROM page JOIN dossiers ON dossiers.id = page.pid"
    " ORDER BY id";

/*
 * The same on PostgreSQL, whose planner cannot tell how few dossiers a
 * subtree's desks hold, and would read the whole table against the periods
 * of every desk (a seconds-long list at a million dossiers): in id order as
 * before, each row tested first against the desks' ids (one hash lookup),
 * then against its own desk's period.
 */
static const char dossiers_under_pg[] = DESKS_AND_SCOPE
    ", page(pid) AS (SELECT d.id FROM dossiers d WHERE d.province_id = ?" IN_DESKS_BY_ID IN_SCOPE
        DOSSIER_FILTERS " ORDER BY d.id LIMIT ?)"
    " SELECT " DOSSIER_COLS " FROM page JOIN dossiers ON dossiers.id = page.pid ORDER BY id";

int rf_store_dossiers_list(struct rf_store *s, const struct rf_dossier_query *q, rf_dossier_fn fn,
                           void *ctx)
{
    const char *sql = !q->root                  ? dossiers_all
                      : s->be == &rf_backend_pg ? dossiers_under_pg
                                                : dossiers_under;
    struct rf_param p[48];
    struct dossier_rows x = {fn, ctx, NULL};
    int n = 0, rc;

    if (q->root) {
        p[n++] = P_INT(q->province_id);
        p[n++] = P_INT(q->root);
        p[n++] = P_INT(q->province_id);
        p[n++] = P_INT(q->scope);
        if (sql == dossiers_under_pg)
            p[n++] = P_INT(q->province_id);
        p[n++] = P_INT(q->scope);
    } else {
        p[n++] = P_INT(q->province_id);
    }
    p[n++] = P_INT(q->received_from);
    p[n++] = P_INT(q->received_from);
    p[n++] = P_INT(q->received_to);
    p[n++] = P_INT(q->received_to);
    p[n++] = P_INT(q->result_from);
    p[n++] = P_INT(q->result_from);
    p[n++] = P_INT(q->result_to);
    p[n++] = P_INT(q->result_to);
    p[n++] = P_INT(q->ended_from);
    p[n++] = P_INT(q->ended_from);
    p[n++] = P_INT(q->ended_to);
    p[n++] = P_INT(q->ended_to);
    p[n++] = P_INT(q->taken_from);
    p[n++] = P_INT(q->taken_from);
    p[n++] = P_INT(q->taken_to);
    p[n++] = P_INT(q->taken_to);
    p[n++] = P_OPT_TEXT(q->event);
    p[n++] = P_OPT_TEXT(q->event);
    p[n++] = P_INT(q->event_from);
    p[n++] = P_INT(q->event_to);
    p[n++] = P_OPT_TEXT(q->states);
    p[n++] = P_OPT_TEXT(q->states);
    p[n++] = P_OPT_TEXT(q->timeliness);
    p[n++] = P_OPT_TEXT(q->timeliness);
    p[n++] = P_OPT_TEXT(q->field);
    p[n++] = P_OPT_TEXT(q->field);
    p[n++] = P_OPT_TEXT(q->level);
    p[n++] = P_OPT_TEXT(q->level);
    p[n++] = P_INT(q->due_mode);
    p[n++] = P_INT(q->due_mode);
    p[n++] = P_INT(q->overdue_at);
    p[n++] = P_INT(q->after_id);
    p[n++] = P_INT(q->limit > 0 ? q->limit : 1000);
    x.d = rf_xmalloc(sizeof(*x.d));
    rc = rf_sq_each(s, sql, p, n, dossier_row, &x);
    free(x.d);
    return rc;
}

/* how many dossiers in one state (and due before an instant) under a root and a scope */
#define DOSSIERS_BEHIND(state_due)                                                                 \
    DESKS_AND_SCOPE                                                                                \
    " SELECT COUNT(*) FROM dossiers d WHERE d.province_id = ? AND " state_due IN_DESKS IN_SCOPE

int rf_store_dossiers_behind(struct rf_store *s, int64_t province_id, int64_t root, int64_t scope,
                             int64_t now, int64_t *overdue, int64_t *waiting)
{
    int rc;

    /* each from the index of (province_id, state, due_at): only the rows counted */
    rc = rf_sq_one_int(s, DOSSIERS_BEHIND("d.state = 'processing' AND d.due_at < ?"),
                       PARAMS(P_INT(province_id), P_INT(root), P_INT(province_id), P_INT(scope),
                              P_INT(province_id), P_INT(now), P_INT(root), P_INT(scope)),
                       overdue);
    if (rc == RF_OK)
        rc = rf_sq_one_int(s, DOSSIERS_BEHIND("d.state = 'supplement'"),
                           PARAMS(P_INT(province_id), P_INT(root), P_INT(province_id), P_INT(scope),
                                  P_INT(province_id), P_INT(root), P_INT(scope)),
                           waiting);
    return rc;
}

struct due_rows {
    rf_dossier_due_fn fn;
    void *ctx;
};

static int due_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct due_rows *x = ctx;
    struct rf_dossier_due d;

    memset(&d, 0, sizeof(d));
    d.id = s->be->col_int(r, 0);
    COPY(d.code, s->be->col_text(r, 1));
    d.received_at = s->be->col_int(r, 2);
    d.due_at = s->be->col_int(r, 3);
    d.days = (int)s->be->col_int(r, 4);
    d.minutes = (int)s->be->col_int(r, 5);
    d.pauses = (int)s->be->col_int(r, 6);
    return x->fn(x->ctx, &d);
}

int rf_store_dossiers_unfinished(struct rf_store *s, int64_t province_id, rf_dossier_due_fn fn,
                                 void *ctx)
{
    struct due_rows x = {fn, ctx};

    return rf_sq_each(s,
                      "SELECT d.id, d.code, d.received_at, d.due_at, p.days, p.minutes,"
                      " (SELECT COUNT(*) FROM dossier_pauses x WHERE x.dossier_id = d.id)"
                      " FROM dossiers d JOIN procedures p ON p.province_id = d.province_id"
                      "  AND p.id = d.procedure_id"
                      " WHERE d.province_id = ? AND d.state IN ('processing', 'supplement')"
                      " ORDER BY d.id",
                      PARAMS(P_INT(province_id)), due_row, &x);
}

/* ---- the service center's counters ---- */

/* A span's grain: "m" for a month (YYYY-MM), "d" for a day (YYYY-MM-DD). */
static const char *grain_of(const char *span)
{
    return strlen(span) == 7 ? "m" : "d";
}

int rf_store_dossier_count_add(struct rf_store *s, const struct rf_dossier_count_key *k,
                               int64_t delta)
{
    return rf_sq_run(s,
                     "INSERT INTO dossier_counts (province_id, unit_id, grain, span, field, level,"
                     " metric, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (province_id,"
                     " unit_id, grain, span, field, level, metric) DO UPDATE"
                     " SET n = dossier_counts.n + excluded.n",
                     PARAMS(P_INT(k->province_id), P_INT(k->unit_id), P_TEXT(grain_of(k->span)),
                            P_TEXT(k->span), P_TEXT(k->field), P_TEXT(k->level), P_TEXT(k->metric),
                            P_INT(delta)));
}

struct count_rows {
    rf_count_fn fn;
    void *ctx;
};

static int count_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct count_rows *x = ctx;

    return x->fn(x->ctx, s->be->col_text(r, 0), s->be->col_text(r, 1), s->be->col_text(r, 2),
                 s->be->col_int(r, 3));
}

int rf_store_dossier_counts(struct rf_store *s, int64_t province_id, int64_t unit, const char *from,
                            const char *to, rf_count_fn fn, void *ctx)
{
    struct count_rows x = {fn, ctx};

    return rf_sq_each(
        s,
        "SELECT field, level, metric, SUM(n) FROM dossier_counts"
        " WHERE province_id = ? AND unit_id = ? AND grain = ? AND span >= ?"
        " AND span <= ? GROUP BY field, level, metric"
        " ORDER BY field, level, metric",
        PARAMS(P_INT(province_id), P_INT(unit), P_TEXT(grain_of(from)), P_TEXT(from), P_TEXT(to)),
        count_row, &x);
}

/* A unit chain's ids, into an array of 'max'. */
struct chain_rows {
    int64_t *ids;
    int max, *n;
};

static int chain_row(struct rf_store *s, struct rf_rows *r, void *ctx)
{
    const struct chain_rows *x = ctx;

    if (*x->n == x->max)
        return 1;
    x->ids[(*x->n)++] = s->be->col_int(r, 0);
    return 0;
}

int rf_store_unit_chain(struct rf_store *s, int64_t province_id, int64_t unit, const char *date,
                        int64_t *ids, int max, int *n)
{
    struct chain_rows x = {ids, max, n};

    *n = 0;
    return rf_sq_each(
        s,
        "WITH RECURSIVE anc(id, n) AS (SELECT u.id, 0 FROM units u"
        " WHERE u.province_id = ? AND u.id = ? UNION ALL"
        " SELECT l.parent_id, anc.n + 1 FROM unit_links l JOIN anc ON"
        " l.unit_id = anc.id WHERE l.province_id = ? AND " IN_FORCE(
            "l") " AND anc.n < 16)"
                 " SELECT id FROM anc ORDER BY n",
        PARAMS(P_INT(province_id), P_INT(unit), P_INT(province_id), P_TEXT(date), P_TEXT(date)),
        chain_row, &x);
}
