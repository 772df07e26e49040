/*
 * Sign-in, sessions and tokens. Passwords are stored as argon2id hashes
 * (libsodium, 19 MiB and 2 passes at least: OWASP's minimum). Session and
 * token secrets are 256 random bits; only their BLAKE2b hash is stored, so a
 * copy of the database signs nobody in. Failed sign-ins are limited per
 * account and per address (core/account.h).
 */
#include "app_int.h"
#include "../common/hash.h"
#include "../common/log.h"
#include "../common/mem.h"
#include "../core/date.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define PWHASH_OPSLIMIT 2                   /* passes */
#define PWHASH_MEMLIMIT (19u * 1024 * 1024) /* bytes */
#define TOUCH_EVERY 60                      /* seconds between last-seen writes */

int rf_app_password_hash(const char *password, char out[RF_PASSWORD_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= RF_PASSWORD_HASH_MAX, "hash buffer too small");
    if (crypto_pwhash_str_alg(out, password, strlen(password), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return RF_EIO;
    return RF_OK;
}

static void new_secret(char out[RF_TOKEN_LEN])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, RF_TOKEN_LEN, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void secret_hash(const char *token, char out[65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

static void actor_from(struct rf_app *app, const struct rf_user *u, const struct rf_session *x,
                       struct rf_actor *a)
{
    memset(a, 0, sizeof(*a));
    a->user_id = u->id;
    a->province_id = u->province_id;
    a->unit_id = u->unit_id;
    a->roles = u->roles;
    a->scope_unit_id = rf_access_province_wide(u->roles) ? app->root_unit_id : u->unit_id;
    a->session_id = x->id;
    a->via_cookie = x->kind == RF_SESSION_COOKIE;
    snprintf(a->username, sizeof(a->username), "%s", u->username);
    snprintf(a->csrf, sizeof(a->csrf), "%s", x->csrf);
    a->versions = x->versions;
}

/*
 * Sessions kept in memory, where news of other processes' changes comes
 * (news.c), so that a signed-in request reads nothing before its own work. A
 * copy answers only while its last use was written less than TOUCH_EVERY
 * ago (then the database is read, and the use written), and goes with any
 * news of its session, its user or its province's counters.
 */
#define KEPT_SESSIONS 1024

struct kept_session {
    char hash[65]; /* "" for a free slot */
    int kind;
    int64_t created_at, last_seen_at, expires_at;
    struct rf_actor actor;
};

struct rf_app_kept_sessions {
    pthread_mutex_t lock;
    unsigned gen; /* moved by every forgetting: a read begun before it keeps nothing */
    struct kept_session k[KEPT_SESSIONS];
};

void rf_app_sessions_init(struct rf_app *app)
{
    app->ksessions = rf_xcalloc(1, sizeof(*app->ksessions));
    pthread_mutex_init(&app->ksessions->lock, NULL);
}

void rf_app_sessions_free(struct rf_app *app)
{
    if (!app->ksessions)
        return;
    pthread_mutex_destroy(&app->ksessions->lock);
    free(app->ksessions);
    app->ksessions = NULL;
}

void rf_app_sessions_forget(struct rf_app *app, int what, int64_t id)
{
    struct rf_app_kept_sessions *ks = app->ksessions;

    if (!ks)
        return;
    pthread_mutex_lock(&ks->lock);
    ks->gen++;
    for (int i = 0; i < KEPT_SESSIONS; i++) {
        struct kept_session *k = &ks->k[i];
        if (what == RF_FORGET_ALL || (what == RF_FORGET_SESSION && k->actor.session_id == id) ||
            (what == RF_FORGET_USER && k->actor.user_id == id))
            k->hash[0] = '\0';
    }
    pthread_mutex_unlock(&ks->lock);
}

static struct kept_session *kept_slot(struct rf_app_kept_sessions *ks, const char *hash)
{
    return &ks->k[rf_hash_text(hash) % KEPT_SESSIONS];
}

/* A session alive at 'now', and not yet due for its use to be written. */
static int session_fresh(int kind, int64_t created_at, int64_t last_seen_at, int64_t expires_at,
                         int64_t now)
{
    if (now - last_seen_at >= TOUCH_EVERY)
        return 0;
    if (kind == RF_SESSION_COOKIE)
        return rf_session_alive(created_at, last_seen_at, now);
    return expires_at == 0 || now < expires_at;
}

/* The kept session of 'hash' into 'actor': RF_OK, else RF_ENOTFOUND with the copies' '*gen'. */
static int session_kept(struct rf_app *app, const char *hash, int kind, int64_t now,
                        struct rf_actor *actor, unsigned *gen)
{
    struct rf_app_kept_sessions *ks = app->ksessions;
    struct kept_session *k = kept_slot(ks, hash);
    int rc = RF_ENOTFOUND;

    pthread_mutex_lock(&ks->lock);
    if (strcmp(k->hash, hash) == 0 && k->kind == kind &&
        session_fresh(kind, k->created_at, k->last_seen_at, k->expires_at, now)) {
        *actor = k->actor;
        rc = RF_OK;
    }
    *gen = ks->gen;
    pthread_mutex_unlock(&ks->lock);
    return rc;
}

/* Keep what the database said of a live session, unless news came since the read began. */
static void session_keep(struct rf_app *app, unsigned gen, const struct rf_session *x,
                         const struct rf_actor *actor)
{
    struct rf_app_kept_sessions *ks = app->ksessions;
    struct kept_session *k = kept_slot(ks, x->token_hash);

    pthread_mutex_lock(&ks->lock);
    if (ks->gen == gen) {
        snprintf(k->hash, sizeof(k->hash), "%s", x->token_hash);
        k->kind = x->kind;
        k->created_at = x->created_at;
        k->last_seen_at = x->last_seen_at;
        k->expires_at = x->expires_at;
        k->actor = *actor;
    }
    pthread_mutex_unlock(&ks->lock);
}

static int start_session(struct rf_app *app, struct rf_store *s, const struct rf_user *u,
                         enum rf_session_kind kind, const char *label, int64_t expires_at,
                         char token[RF_TOKEN_LEN], struct rf_session *x)
{
    int64_t now = rf_app_now(app);

    memset(x, 0, sizeof(*x));
    new_secret(token);
    secret_hash(token, x->token_hash);
    new_secret(x->csrf);
    snprintf(x->label, sizeof(x->label), "%s", label ? label : "");
    x->province_id = u->province_id;
    x->user_id = u->id;
    x->kind = kind;
    x->created_at = x->last_seen_at = now;
    x->expires_at = expires_at;
    return rf_store_session_insert(s, x);
}

/* A session (sign-in) or a bearer token (issued by 'issuer'), written by rf_app_write(). */
struct session_job {
    struct rf_app *app;
    const struct rf_user *u;
    enum rf_session_kind kind;
    const char *label;
    int64_t expires_at;
    char *token;                   /* out: the secret */
    struct rf_session *x;          /* out */
    struct rf_actor *actor;        /* sign-in: out, the new session's actor */
    const struct rf_actor *issuer; /* token: who issues it */
};

static int write_session(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct session_job *job = ctx;
    char after[128];
    int rc = start_session(job->app, s, job->u, job->kind, job->label, job->expires_at, job->token,
                           job->x);

    if (rc == RF_OK && job->actor) {
        actor_from(job->app, job->u, job->x, job->actor);
        rc = rf_app_audit(job->app, s, job->actor, "signin", "session", job->x->id, NULL, NULL);
        if (rc == RF_OK) /* the account's owner is back: their failures are forgotten */
            rc = rf_store_attempts_clear(s, job->u->province_id, RF_ATTEMPT_ACCOUNT,
                                         job->u->username);
    } else if (rc == RF_OK) {
        snprintf(after, sizeof(after), "{\"user_id\":%lld,\"expires_at\":%lld}",
                 (long long)job->u->id, (long long)job->x->expires_at);
        rc = rf_app_audit(job->app, s, job->issuer, "create", "token", job->x->id, NULL, after);
    }
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* A failed sign-in or password change: counted per account and address, and audited. */
struct failure_job {
    struct rf_app *app;
    const char *action;           /* "signin_failed", "password_failed" */
    const struct rf_actor *actor; /* NULL for nobody signed in */
    const char *username, *address;
    int64_t now;
};

/* 'text' cut to at most 'max' bytes on a character boundary, into 'out' ('max' + 1 bytes). */
static void cut_text(const char *text, char *out, size_t max)
{
    size_t n = strlen(text);

    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, text, n);
    out[n] = '\0';
}

static int write_failure(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct failure_job *job = ctx;
    int64_t province = job->app->province.id;
    struct rf_actor nobody;
    char name[RF_USERNAME_MAX + 1];
    char *after = NULL;
    json_t *j;
    int rc;

    memset(&nobody, 0, sizeof(nobody));
    nobody.province_id = province;
    snprintf(nobody.username, sizeof(nobody.username), "anonymous");
    /* a name longer than any account's is cut: it names nobody, and the log stays small */
    cut_text(job->username, name, RF_USERNAME_MAX);
    j = json_pack("{s:s, s:s}", "username", name, "address", job->address);
    after = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    rc = rf_app_attempts_fail(s, province, RF_ATTEMPT_ACCOUNT, job->username, job->now);
    if (rc == RF_OK)
        rc = rf_app_attempts_fail(s, province, RF_ATTEMPT_ADDRESS, job->address, job->now);
    if (rc == RF_OK)
        rc = rf_app_audit(job->app, s, job->actor ? job->actor : &nobody, job->action, "session",
                          job->actor ? job->actor->session_id : 0, NULL, after);
    free(after);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

/* RF_ELIMIT with '*retry_after' when the account or the address is over its limit. */
static int check_attempts(struct rf_app *app, struct rf_store *s, const char *username,
                          const char *address, int64_t now, int64_t *retry_after,
                          struct rf_error *err)
{
    int64_t province = app->province.id, wait = 0;
    int rc = rf_app_attempts_wait(s, province, RF_ATTEMPT_ACCOUNT, username,
                                  RF_SIGNIN_MAX_PER_ACCOUNT, now, &wait);

    if (rc == RF_OK && wait == 0)
        rc = rf_app_attempts_wait(s, province, RF_ATTEMPT_ADDRESS, address,
                                  RF_SIGNIN_MAX_PER_ADDRESS, now, &wait);
    if (rc != RF_OK)
        return rf_app_store_error(rc, err);
    if (wait > 0) {
        *retry_after = wait;
        return rf_error_set(err, RF_ELIMIT, NULL, "too_many_attempts",
                            "too many failed sign-ins: try again in %lld minutes",
                            (long long)(wait + 59) / 60);
    }
    return RF_OK;
}

int rf_app_signin(struct rf_app *app, const char *username, const char *password,
                  const char *address, struct rf_actor *actor, char token[RF_TOKEN_LEN],
                  int64_t *retry_after, struct rf_error *err)
{
    /* a hash to verify against when the user does not exist, so timing tells nothing */
    static char dummy_hash[RF_PASSWORD_HASH_MAX];
    struct rf_store *s;
    struct rf_user u;
    struct rf_session x;
    int64_t now = rf_app_now(app);
    int rc, found, good;

    *retry_after = 0;
    if (!address)
        address = "";
    if (!username || !*username)
        rf_error_set(err, RF_EINVAL, "username", "required", "a user name is required");
    if (!password || !*password)
        rf_error_set(err, RF_EINVAL, "password", "required", "a password is required");
    if (err->n)
        return RF_EINVAL;

    pthread_mutex_lock(&app->lock);
    if (!dummy_hash[0] && rf_app_password_hash("not a password of anyone", dummy_hash) != RF_OK)
        dummy_hash[0] = '\0';
    pthread_mutex_unlock(&app->lock);

    if (rf_app_store_take(app, &s, err) != RF_OK)

        return RF_ESTORE;
    rc = check_attempts(app, s, username, address, now, retry_after, err);
    if (rc != RF_OK) {
        rf_app_store_put(app, s);
        return rc;
    }
    rc = rf_store_user_get_by_name(s, app->province.id, username, &u);
    rf_app_store_put(app, s);
    if (rc != RF_OK && rc != RF_ENOTFOUND)
        return rf_app_store_error(rc, err);
    found = rc == RF_OK;
    good = crypto_pwhash_str_verify(found ? u.password_hash : dummy_hash, password,
                                    strlen(password)) == 0;
    if (!found || !good || u.disabled) {
        struct failure_job job = {app, "signin_failed", NULL, username, address, now};
        rc = rf_app_write(app, write_failure, &job, err);
        if (rc != RF_OK)
            return rc;
        return rf_error_set(err, RF_EAUTH, NULL, "bad_credentials",
                            "the user name or password is wrong, or the account is disabled");
    }
    {
        struct session_job job = {app, &u, RF_SESSION_COOKIE, NULL, 0, token, &x, actor, NULL};
        rc = rf_app_write(app, write_session, &job, err);
    }
    return rc;
}

int rf_app_authenticate(struct rf_app *app, const char *token, enum rf_session_kind kind,
                        struct rf_actor *actor)
{
    struct rf_store *s;
    struct rf_session x;
    struct rf_user u;
    char hash[65];
    int64_t now = rf_app_now(app);
    unsigned gen = 0;
    int rc, kept;

    if (!token || strlen(token) != RF_TOKEN_LEN - 1)
        return RF_EAUTH;
    secret_hash(token, hash);
    kept = app->ksessions && rf_app_news_check(app);
    if (kept && session_kept(app, hash, kind, now, actor, &gen) == RF_OK)
        return RF_OK;
    s = rf_app_store_get(app);
    if (!s)
        return RF_ESTORE;
    rc = rf_store_session_find(s, app->province.id, hash, &x, &u);
    if (rc == RF_ENOTFOUND) {
        rc = RF_EAUTH;
    } else if (rc == RF_OK) {
        int alive = x.kind == kind && x.ended_at == 0 && !u.disabled;
        if (kind == RF_SESSION_COOKIE)
            alive = alive && rf_session_alive(x.created_at, x.last_seen_at, now);
        else
            alive = alive && (x.expires_at == 0 || now < x.expires_at);
        if (!alive)
            rc = RF_EAUTH;
    }
    if (rc == RF_OK && now - x.last_seen_at >= TOUCH_EVERY) {
        rc = rf_store_session_touch(s, x.province_id, x.id, now);
        x.last_seen_at = now;
    }
    if (rc == RF_OK)
        actor_from(app, &u, &x, actor);
    if (rc == RF_OK && kept)
        session_keep(app, gen, &x, actor);
    rf_app_store_put(app, s);
    return rc;
}

struct signout_job {
    struct rf_app *app;
    const struct rf_actor *actor;
};

static int write_signout(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct signout_job *job = ctx;
    int rc = rf_store_session_end(s, job->actor->province_id, job->actor->session_id,
                                  rf_app_now(job->app));

    if (rc == RF_OK)
        rc = rf_app_audit(job->app, s, job->actor, "signout", "session", job->actor->session_id,
                          NULL, NULL);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_signout(struct rf_app *app, const struct rf_actor *actor, struct rf_error *err)
{
    struct signout_job job = {app, actor};

    return rf_app_write(app, write_signout, &job, err);
}

struct password_job {
    struct rf_app *app;
    const struct rf_actor *actor;
    const struct rf_user *u;
};

/* A new password ends every session of the user, this one included. */
static int write_password(struct rf_store *s, void *ctx, struct rf_error *err)
{
    struct password_job *job = ctx;
    int rc = rf_store_user_update(s, job->u);

    if (rc == RF_OK)
        rc = rf_store_sessions_end_user(s, job->u->province_id, job->u->id,
                                        RF_SESSION_COOKIE | RF_SESSION_BEARER, job->u->updated_at);
    if (rc == RF_OK)
        rc = rf_app_audit(job->app, s, job->actor, "password", "user", job->u->id, NULL, NULL);
    return rc == RF_OK ? RF_OK : rf_app_store_error(rc, err);
}

int rf_app_password_change(struct rf_app *app, const struct rf_actor *actor, const char *current,
                           const char *next, const char *address, int64_t *retry_after,
                           struct rf_error *err)
{
    struct rf_store *s;
    struct rf_user u;
    int64_t now = rf_app_now(app);
    int rc;

    *retry_after = 0;
    if (!address)
        address = "";
    if (!current || !*current)
        return rf_error_set(err, RF_EINVAL, "current_password", "required",
                            "the current password is required");
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = rf_store_user_get(s, actor->province_id, actor->user_id, &u);
    if (rc != RF_OK) {
        rc = rf_app_store_error(rc, err);
        goto out;
    }
    /* a guess at the current password is a guess at a sign-in: the same limits */
    rc = check_attempts(app, s, u.username, address, now, retry_after, err);
    if (rc != RF_OK)
        goto out;
    if (crypto_pwhash_str_verify(u.password_hash, current, strlen(current)) != 0) {
        struct failure_job job = {app, "password_failed", actor, u.username, address, now};
        rc = rf_app_write(app, write_failure, &job, err);
        if (rc == RF_OK)
            rc = rf_error_set(err, RF_EINVAL, "current_password", "wrong",
                              "the current password is wrong");
        goto out;
    }
    rc = rf_password_check(next, u.username, "new_password", err);
    if (rc != RF_OK)
        goto out;
    if (rf_app_password_hash(next, u.password_hash) != RF_OK) {
        rc = rf_error_set(err, RF_EIO, NULL, "hash", "cannot hash the password");
        goto out;
    }
    u.password_changed_at = u.updated_at = rf_app_now(app);
    {
        struct password_job job = {app, actor, &u};
        rc = rf_app_write(app, write_password, &job, err);
    }
out:
    rf_app_store_put(app, s);
    return rc;
}

int rf_app_token_issue(struct rf_app *app, const struct rf_actor *actor, int64_t user_id,
                       const char *label, int expires_in_days, char token[RF_TOKEN_LEN],
                       struct rf_session *out, struct rf_error *err)
{
    struct rf_store *s;
    struct rf_user u;
    char today[RF_DATE_LEN];
    int rc;

    rc = rf_app_allow(actor, RF_ACT_TOKEN_ISSUE, err);
    if (rc != RF_OK)
        return rc;
    if (!label || !*label)
        rf_error_set(err, RF_EINVAL, "label", "required", "say what the token is for");
    else if (strlen(label) > 200)
        rf_error_set(err, RF_EINVAL, "label", "too_long", "a label has at most 200 bytes");
    if (expires_in_days < 0 || expires_in_days > RF_TOKEN_MAX_DAYS)
        rf_error_set(err, RF_EINVAL, "expires_in_days", "range", "a token lasts 1 to %d days",
                     RF_TOKEN_MAX_DAYS);
    if (user_id <= 0)
        rf_error_set(err, RF_EINVAL, "user_id", "required", "the token's user is required");
    if (err->n)
        return RF_EINVAL;
    if (rf_app_store_take(app, &s, err) != RF_OK)
        return RF_ESTORE;
    rc = rf_store_user_get(s, actor->province_id, user_id, &u);
    /* as the user's own page judges it: a user of an ended unit, on its last day */
    if (rc == RF_OK)
        rf_app_unit_scope_date(app, s, actor->province_id, u.unit_id, today);
    if (rc == RF_OK)
        rc = rf_app_scope_check(s, actor, u.unit_id, today, NULL) == RF_OK ? RF_OK : RF_ENOTFOUND;
    if (rc == RF_ENOTFOUND) {
        rc = rf_error_set(err, RF_EINVAL, "user_id", "not_found", "no such user");
        goto out;
    }
    if (rc == RF_OK) {
        struct session_job job = {
            app,
            &u,
            RF_SESSION_BEARER,
            label,
            rf_app_now(app) +
                (int64_t)(expires_in_days ? expires_in_days : app->token_days) * 86400,
            token,
            out,
            NULL,
            actor};
        rc = rf_app_write(app, write_session, &job, err);
    } else {
        rc = rf_app_store_error(rc, err);
    }
out:
    rf_app_store_put(app, s);
    return rc;
}

static void roles_json(unsigned roles, struct rf_buf *out)
{
    int first = 1;

    rf_buf_addc(out, '[');
    for (unsigned bit = 1; bit <= RF_ROLE_ALL; bit <<= 1) {
        if (!(roles & bit))
            continue;
        if (!first)
            rf_buf_addc(out, ',');
        rf_buf_add_json_str(out, rf_role_name(bit));
        first = 0;
    }
    rf_buf_addc(out, ']');
}

void rf_app_roles_json(unsigned roles, struct rf_buf *out)
{
    roles_json(roles, out);
}

int rf_app_me_json(struct rf_app *app, const struct rf_actor *actor, struct rf_buf *out)
{
    struct rf_store *s = rf_app_store_get(app);
    struct rf_user u;
    struct rf_unit unit;
    char today[RF_DATE_LEN];
    int rc;

    if (!s)
        return RF_ESTORE;
    rf_app_today(app, today);
    rc = rf_store_user_get(s, actor->province_id, actor->user_id, &u);
    if (rc == RF_OK)
        rc = rf_store_unit_get(s, actor->province_id, u.unit_id, today, &unit);
    rf_app_store_put(app, s);
    if (rc != RF_OK)
        return rc;
    rf_buf_adds(out, "{\"id\":");
    rf_buf_addi(out, u.id);
    rf_buf_adds(out, ",\"username\":");
    rf_buf_add_json_str(out, u.username);
    rf_buf_adds(out, ",\"full_name\":");
    rf_buf_add_json_str(out, u.full_name);
    rf_buf_adds(out, ",\"roles\":");
    roles_json(u.roles, out);
    rf_buf_adds(out, ",\"unit\":{\"id\":");
    rf_buf_addi(out, unit.id);
    rf_buf_adds(out, ",\"code\":");
    rf_buf_add_json_str(out, unit.code);
    rf_buf_adds(out, ",\"name\":");
    rf_buf_add_json_str(out, unit.name);
    rf_buf_adds(out, ",\"kind\":");
    rf_buf_add_json_str(out, rf_unit_kind_name(unit.kind));
    rf_buf_adds(out, "},\"scope_unit_id\":");
    rf_buf_addi(out, actor->scope_unit_id);
    rf_buf_adds(out, ",\"province_wide\":");
    rf_buf_adds(out, rf_access_province_wide(actor->roles) ? "true" : "false");
    rf_buf_addc(out, '}');
    return RF_OK;
}
