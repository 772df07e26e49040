/*
 * Procedures and one-stop dossiers over HTTP: the catalogue; receipt at the
 * desk; the moves of a dossier, each at the version the officer saw; the
 * dossier with its timeline; the worklist of one's unit; the service
 * center's figures; and the citizen's lookup by code (public, rate-limited).
 */
#include "http.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum MHD_Result rf_h_procedures_list(struct rf_req *r)
{
    struct rf_error err;
    struct rf_page o;
    int64_t cursor;

    rf_error_init(&err);
    (void)rf_page_init(r, &o, &cursor, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    if (rf_app_procedures_json(r->app, &r->actor, rf_query(r, "date"), rf_query(r, "q"),
                               rf_query(r, "field"), rf_query(r, "level"), cursor, &o,
                               &err) != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}

enum MHD_Result rf_h_procedure_get(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_procedure_json(r->app, &r->actor, r->params[0], &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

/* The receipt is on disk (or failed): its answer. */
static enum MHD_Result receipt_answer(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_dossier_receive_end(r->later_ctx, &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_CREATED, &b);
}

enum MHD_Result rf_h_dossier_receive(struct rf_req *r)
{
    static const char *const allowed[] = {
        "procedure_code", "applicant_name", "applicant_phone", "applicant_address",
        "channel",        "outcome",        "reason",          NULL};
    struct rf_dossier_input in;
    struct rf_error err;
    struct rf_receipt *x;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    memset(&in, 0, sizeof(in));
    in.procedure_code = rf_json_str(body, "procedure_code", &err);
    in.applicant_name = rf_json_str(body, "applicant_name", &err);
    in.applicant_phone = rf_json_str(body, "applicant_phone", &err);
    in.applicant_address = rf_json_str_opt(body, "applicant_address", &err);
    in.channel = rf_json_str_opt(body, "channel", &err); /* absent: desk */
    in.outcome = rf_json_str_opt(body, "outcome", &err); /* absent: receive */
    in.reason = rf_json_str(body, "reason", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_dossier_receive_begin(r->app, &r->actor, &in, rf_req_ready, r, &x, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return rf_req_later(r, receipt_answer, x); /* no thread waits for the disk */
}

/* The move is on disk (or failed): its answer. */
static enum MHD_Result move_answer(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_dossier_act_end(r->later_ctx, &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

enum MHD_Result rf_h_dossier_act(struct rf_req *r)
{
    static const char *const allowed[] = {"action", "version", "reason", "appointment", NULL};
    struct rf_error err;
    struct rf_move *x;
    const char *action, *reason, *appointment;
    json_t *body;
    int64_t version;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    action = rf_json_str(body, "action", &err);
    /* any integer: the use case judges it after the scope, so a dossier out of scope answers
       404 whatever the version, as a missing one does (0 stands for one it refuses) */
    (void)rf_json_int(body, "version", INT64_MIN, INT64_MAX, 0, &version, &err);
    if (version < 1 || version > INT_MAX)
        version = 0;
    reason = rf_json_str(body, "reason", &err);
    appointment = rf_json_str(body, "appointment", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_dossier_act_begin(r->app, &r->actor, r->key, action, (int)version, reason,
                                  appointment, rf_req_ready, r, &x, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return rf_req_later(r, move_answer, x); /* no thread waits for the disk */
}

enum MHD_Result rf_h_dossier_get(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;

    rf_error_init(&err);
    if (rf_app_dossier_json(r->app, &r->actor, r->key, &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

enum MHD_Result rf_h_dossiers_list(struct rf_req *r)
{
    struct rf_dossier_filter f;
    struct rf_error err;
    struct rf_page o;
    int64_t cursor, unit, overdue;

    rf_error_init(&err);
    (void)rf_page_init(r, &o, &cursor, &err);
    (void)rf_query_int(r, "unit", 1, INT64_MAX, 0, &unit, &err);
    (void)rf_query_int(r, "overdue", 0, 1, 0, &overdue, &err);
    if (err.n)
        return rf_reply_bad_input(r, &err);
    memset(&f, 0, sizeof(f));
    f.received = rf_query(r, "received");
    f.result = rf_query(r, "result");
    f.ended = rf_query(r, "ended");
    f.taken = rf_query(r, "taken");
    f.asked = rf_query(r, "asked");
    f.apologised = rf_query(r, "apologised");
    f.state = rf_query(r, "state");
    f.timeliness = rf_query(r, "timeliness");
    f.field = rf_query(r, "field");
    f.level = rf_query(r, "level");
    f.overdue = rf_query(r, "overdue") ? (int)overdue : -1;
    f.unit = unit;
    if (rf_app_dossiers_json(r->app, &r->actor, &f, cursor, &o, &err) != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}

enum MHD_Result rf_h_worklist(struct rf_req *r)
{
    struct rf_error err;
    struct rf_page o;

    rf_error_init(&err);
    if (rf_page_init(r, &o, NULL, &err) != RF_OK)
        return rf_reply_bad_input(r, &err);
    if (rf_app_worklist_json(r->app, &r->actor, &o, &err) != RF_OK) {
        rf_buf_cleanup(&o.items);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_page_take(r, &o);
}

enum MHD_Result rf_h_dossier_stats(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    int64_t unit;

    rf_error_init(&err);
    if (rf_query_int(r, "unit", 1, INT64_MAX, 0, &unit, &err) != RF_OK)
        return rf_reply_bad_input(r, &err);
    if (rf_app_dossier_stats_json(r->app, &r->actor, rf_query(r, "period"), unit, rf_query(r, "by"),
                                  &b, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}

enum MHD_Result rf_h_dossier_lookup(struct rf_req *r)
{
    struct rf_error err;
    struct rf_buf b = RF_BUF_INIT;
    int retry = 0;

    rf_error_init(&err);
    if (rf_app_dossier_lookup(r->app, r->key, rf_query(r, "secret"), rf_query(r, "phone"),
                              r->client, &b, &retry, &err) != RF_OK) {
        rf_buf_cleanup(&b);
        if (retry > 0) {
            char seconds[24];
            snprintf(seconds, sizeof(seconds), "%d", retry);
            return rf_reply_problem_with(r, MHD_HTTP_TOO_MANY_REQUESTS, &err, "Retry-After",
                                         seconds);
        }
        return rf_reply_read_error(r, &err);
    }
    return rf_reply_json_take(r, MHD_HTTP_OK, &b);
}
