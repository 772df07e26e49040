/*
 * Sessions and tokens: sign-in sets the HttpOnly, SameSite=Strict cookie and
 * answers the CSRF token that changes must carry; sign-out and password
 * change clear it; admins issue bearer tokens for integrations.
 */
#include "http.h"
#include "server_int.h"
#include "../core/date.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

const char *rf_session_cookie(struct rf_req *r, const char *token)
{
    char cookie[256];

    snprintf(cookie, sizeof(cookie), "reform_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
             token ? token : "", token ? "" : "; Max-Age=0",
             r->srv->cfg.cookie_secure ? "; Secure" : "");
    return rf_arena_strdup(&r->arena, cookie);
}

static enum MHD_Result session_answer(struct rf_req *r, unsigned status, const char *cookie)
{
    struct rf_buf b = RF_BUF_INIT;
    struct rf_error err;

    rf_buf_adds(&b, "{\"csrf_token\":");
    rf_buf_add_json_str(&b, r->actor.csrf);
    rf_buf_adds(&b, ",\"user\":");
    if (rf_app_me_json(r->app, &r->actor, &b) != RF_OK) {
        rf_buf_cleanup(&b);
        rf_error_init(&err);
        rf_error_set(&err, RF_ESTORE, NULL, "unavailable", "cannot read the signed-in user");
        return rf_reply_error(r, &err);
    }
    rf_buf_addc(&b, '}');
    if (cookie)
        return rf_reply_with_take(r, status, "application/json", &b, "Set-Cookie", cookie,
                                  RF_HEADERS_END);
    return rf_reply_json_take(r, status, &b);
}

/* 429 with Retry-After: too many failed attempts for the account or the address. */
static enum MHD_Result too_many(struct rf_req *r, const struct rf_error *err, int64_t retry)
{
    char seconds[24];
    struct rf_buf b = RF_BUF_INIT;

    snprintf(seconds, sizeof(seconds), "%lld", (long long)retry);
    rf_buf_adds(&b, "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                    "\"detail\":");
    rf_buf_add_json_str(&b, err->item[0].message);
    rf_buf_adds(&b, ",\"errors\":[]}");
    return rf_reply_with_take(r, MHD_HTTP_TOO_MANY_REQUESTS, "application/problem+json", &b,
                              "Retry-After", seconds, RF_HEADERS_END);
}

enum MHD_Result rf_h_session_create(struct rf_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    struct rf_error err;
    char token[RF_TOKEN_LEN];
    int64_t retry = 0;
    json_t *body;
    const char *username, *password;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    username = rf_json_str(body, "username", &err);
    password = rf_json_str(body, "password", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_signin(r->app, username, password, r->client, &r->actor, token, &retry, &err);
    if (rc == RF_ELIMIT)
        return too_many(r, &err, retry);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    r->authed = 1;
    return session_answer(r, MHD_HTTP_CREATED, rf_session_cookie(r, token));
}

enum MHD_Result rf_h_session_get(struct rf_req *r)
{
    return session_answer(r, MHD_HTTP_OK, NULL);
}

enum MHD_Result rf_h_session_delete(struct rf_req *r)
{
    struct rf_error err;

    rf_error_init(&err);
    if (rf_app_signout(r->app, &r->actor, &err) != RF_OK)
        return rf_reply_error(r, &err);
    return rf_reply_with_take(r, MHD_HTTP_NO_CONTENT, NULL, NULL, "Set-Cookie",
                              rf_session_cookie(r, NULL), RF_HEADERS_END);
}

enum MHD_Result rf_h_session_password(struct rf_req *r)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    struct rf_error err;
    const char *current, *next;
    int64_t retry = 0;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    current = rf_json_str(body, "current_password", &err);
    next = rf_json_str(body, "new_password", &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    rc = rf_app_password_change(r->app, &r->actor, current, next, r->client, &retry, &err);
    if (rc == RF_ELIMIT)
        return too_many(r, &err, retry);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    return rf_reply_with_take(r, MHD_HTTP_NO_CONTENT, NULL, NULL, "Set-Cookie",
                              rf_session_cookie(r, NULL), RF_HEADERS_END);
}

enum MHD_Result rf_h_token_create(struct rf_req *r)
{
    static const char *const allowed[] = {"user_id", "label", "expires_in_days", NULL};
    struct rf_error err;
    struct rf_session x;
    struct rf_buf b = RF_BUF_INIT;
    char token[RF_TOKEN_LEN], expires[21];
    int64_t user_id, days;
    const char *label;
    json_t *body;
    int rc;

    rf_error_init(&err);
    if (rf_json_body(r, allowed, &body, &err) != RF_OK)
        return rf_reply_body_error(r, &err);
    (void)rf_json_id(body, "user_id", &user_id, &err);
    label = rf_json_str(body, "label", &err);
    /* absent or null: the server's default life (--token-days); 0 is no number of days */
    (void)rf_json_int(body, "expires_in_days", 1, INT64_MAX, 0, &days, &err);
    if (err.n)
        return rf_reply_body_error(r, &err);
    /* past INT_MAX, -1: a count the use case refuses, naming its range */
    rc = rf_app_token_issue(r->app, &r->actor, user_id, label, days > INT_MAX ? -1 : (int)days,
                            token, &x, &err);
    if (rc != RF_OK)
        return rf_reply_error(r, &err);
    rf_buf_adds(&b, "{\"id\":");
    rf_buf_addi(&b, x.id);
    rf_buf_adds(&b, ",\"token\":");
    rf_buf_add_json_str(&b, token);
    rf_buf_adds(&b, ",\"label\":");
    rf_buf_add_json_str(&b, x.label);
    rf_buf_adds(&b, ",\"expires_at\":");
    if (x.expires_at) {
        rf_instant_format(x.expires_at, expires);
        rf_buf_add_json_str(&b, expires);
    } else {
        rf_buf_adds(&b, "null");
    }
    rf_buf_addc(&b, '}');
    return rf_reply_json_take(r, MHD_HTTP_CREATED, &b);
}
