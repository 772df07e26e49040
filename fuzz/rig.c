/*
 * The fuzz harnesses' rig (rig.h): the demo province in a throwaway SQLite
 * database, its users' actors, requests run through the real handlers, and
 * the checks every answer must pass.
 *
 * Password hashing: argon2id costs about 50 ms a hash by design (auth.c: 19
 * MiB, 2 passes), which would make sign-in, password change and user
 * creation a few hundred executions a minute. These harnesses link a
 * stand-in for libsodium's two password-hash calls, a BLAKE2b of the same
 * interface, so the product's own code around them runs at full speed.
 * libsodium itself is not what is under test.
 */
#include "rig.h"
#include "common/csv.h"
#include "common/log.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_DOSSIERS 300
#define MAX_ACTORS 32

/* ---- password hashing, without the cost ---- */

#define FAKE_PREFIX "$fuzz-blake2b$"

static void fake_hash(const char *passwd, unsigned long long len, char out[65])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof(h), (const unsigned char *)passwd, len,
                       (const unsigned char *)FAKE_PREFIX, strlen(FAKE_PREFIX));
    sodium_bin2hex(out, 65, h, sizeof(h));
}

int crypto_pwhash_str_alg(char out[crypto_pwhash_STRBYTES], const char *const passwd,
                          unsigned long long passwdlen, unsigned long long opslimit,
                          size_t memlimit, int alg)
{
    char hex[65];

    (void)opslimit;
    (void)memlimit;
    (void)alg;
    fake_hash(passwd, passwdlen, hex);
    snprintf(out, crypto_pwhash_STRBYTES, "%s%s", FAKE_PREFIX, hex);
    return 0;
}

int crypto_pwhash_str_verify(const char str[crypto_pwhash_STRBYTES], const char *const passwd,
                             unsigned long long passwdlen)
{
    char hex[65];
    size_t n = strlen(FAKE_PREFIX);

    if (strncmp(str, FAKE_PREFIX, n) != 0 || strlen(str + n) != 64)
        return -1;
    fake_hash(passwd, passwdlen, hex);
    return sodium_memcmp(str + n, hex, 64) == 0 ? 0 : -1;
}

/* ---- the demo province ---- */

static struct {
    char dir[256];
    char db_path[300];
    struct rf_app *app;
    struct rf_server srv;
    struct {
        char username[65];
        struct rf_actor actor;
    } actors[MAX_ACTORS];
    int nactors;
} rig;

static void set_up_failed(const char *what, const struct rf_error *err)
{
    rf_fuzz_fail("cannot set up the demo province: %s: %s", what,
                 err->n ? err->item[0].message : "no detail");
}

/* The database's files and folder, closing nothing: also on the way out of a finding. */
static void remove_files(const char *dir)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[320];

    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(path, sizeof(path), "%s/reform.db%s", dir, suffixes[i]);
        unlink(path);
    }
    rmdir(dir);
}

void rf_fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("\n==== finding: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    if (rig.dir[0])
        remove_files(rig.dir);
    abort();
}

static void remove_rig(void)
{
    rf_app_close(&rig.app);
    rf_kept_clear();
    if (rig.dir[0])
        remove_files(rig.dir);
    rig.dir[0] = '\0';
}

/*
 * The folders of rigs whose process is gone (a finding ends a harness
 * without its exit handlers): each folder is named after its process.
 */
static void remove_orphans(const char *parent)
{
    DIR *d = opendir(parent);
    struct dirent *e;

    while (d && (e = readdir(d)) != NULL) {
        char path[320];
        long pid;
        if (sscanf(e->d_name, "reform-fuzz-%ld-", &pid) != 1 || pid <= 0 ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof(path), "%s/%s", parent, e->d_name);
        remove_files(path);
    }
    if (d)
        closedir(d);
}

/* A temporary folder, in memory when /dev/shm is there: the writer flushes every change. */
static void make_dir(void)
{
    const char *tmp = getenv("TMPDIR");

    tmp = tmp && *tmp ? tmp : "/tmp";
    remove_orphans("/dev/shm");
    remove_orphans(tmp);
    snprintf(rig.dir, sizeof(rig.dir), "/dev/shm/reform-fuzz-%ld-XXXXXX", (long)getpid());
    if (mkdtemp(rig.dir))
        return;
    snprintf(rig.dir, sizeof(rig.dir), "%s/reform-fuzz-%ld-XXXXXX", tmp, (long)getpid());
    if (!mkdtemp(rig.dir))
        rf_fuzz_fail("cannot make a temporary folder %s: %s", rig.dir, strerror(errno));
}

/* Sign every demo user in with the demo password, as the web UI does (a session cookie). */
static void sign_in_users(void)
{
    struct rf_error err;
    struct rf_csv c;

    rf_csv_init(&c, rf_app_demo_users_csv());
    (void)rf_csv_next(&c); /* header: username,full_name,unit_code,roles,password */
    while (rf_csv_next(&c) == 1 && rig.nactors < MAX_ACTORS) {
        char token[RF_TOKEN_LEN];
        int64_t retry = 0;

        if (c.nfields != 5)
            rf_fuzz_fail("cannot read the demo users");
        rf_error_init(&err);
        if (rf_app_signin(rig.app, c.field[0], c.field[4], "192.0.2.1",
                          &rig.actors[rig.nactors].actor, token, &retry, &err) != RF_OK)
            set_up_failed(c.field[0], &err);
        snprintf(rig.actors[rig.nactors].username, sizeof(rig.actors[0].username), "%s",
                 c.field[0]);
        rig.nactors++;
    }
    rf_csv_cleanup(&c);
}

static void set_up(void)
{
    struct rf_app_config cfg;
    struct rf_error err;
    char url[320];

    rf_log_set_level(RF_LOG_ERROR);
    make_dir();
    snprintf(rig.db_path, sizeof(rig.db_path), "%s/reform.db", rig.dir);
    /* SQLite's temporary files (sorts, statement journals) beside it, not on the disk */
    setenv("SQLITE_TMPDIR", rig.dir, 1);
    snprintf(url, sizeof(url), "sqlite:%s", rig.db_path);
    atexit(remove_rig);
    memset(&cfg, 0, sizeof(cfg));
    cfg.db_url = url;
    cfg.pool_size = 4;
    rf_error_init(&err);
    if (rf_app_open(&cfg, 1, &rig.app, &err) != RF_OK)
        set_up_failed("open", &err);
    if (rf_app_demo_load(rig.app, &err) != RF_OK)
        set_up_failed("demo", &err);
    if (rf_app_demo_dossiers(rig.app, DEMO_DOSSIERS, &err) != RF_OK)
        set_up_failed("demo dossiers", &err);
    sign_in_users();

    pthread_mutex_init(&rig.srv.later_lock, NULL);
    pthread_cond_init(&rig.srv.later_done, NULL);
    rig.srv.app = rig.app;
    rig.srv.cfg.listen = "127.0.0.1:0";
    rig.srv.cfg.web_root = "web";
    rig.srv.cfg.quiet = 1;
    rig.srv.cfg.max_body = 1024 * 1024;
}

struct rf_app *rf_fuzz_app(void)
{
    if (!rig.app)
        set_up();
    return rig.app;
}

const struct rf_actor *rf_fuzz_actor(const char *username)
{
    (void)rf_fuzz_app();
    for (int i = 0; username && i < rig.nactors; i++)
        if (strcmp(rig.actors[i].username, username) == 0)
            return &rig.actors[i].actor;
    return NULL;
}

/* ---- requests ---- */

/* The query string as libmicrohttpd splits and decodes it: '&', '=', '+' and %XX. */
static void parse_query(struct MHD_Connection *c, const char *query)
{
    char *p;

    c->query = rf_xstrdup(query);
    for (p = c->query; p && *p && c->nargs < RF_FUZZ_MAX_ARGS;) {
        char *amp = strchr(p, '&'), *eq;
        if (amp)
            *amp = '\0';
        eq = strchr(p, '=');
        if (eq)
            *eq++ = '\0';
        for (char *s = p; *s; s++)
            if (*s == '+')
                *s = ' ';
        MHD_http_unescape(p);
        if (eq) {
            for (char *s = eq; *s; s++)
                if (*s == '+')
                    *s = ' ';
            MHD_http_unescape(eq);
        }
        c->args[c->nargs].name = p;
        c->args[c->nargs].value = eq;
        c->nargs++;
        p = amp ? amp + 1 : NULL;
    }
}

void rf_fuzz_req_init(struct rf_fuzz_req *q, const char *method, const char *path,
                      const char *query, const void *body, size_t len, const struct rf_actor *actor,
                      const char *client)
{
    struct rf_req *r = &q->r;

    memset(q, 0, sizeof(*q));
    r->conn = &q->conn;
    r->srv = &rig.srv;
    r->app = rf_fuzz_app();
    rf_arena_init(&r->arena);
    r->method = rf_arena_strdup(&r->arena, method);
    r->path = rf_arena_strdup(&r->arena, path);
    if (body && len)
        rf_buf_add(&r->body, body, len);
    if (actor) {
        r->actor = *actor;
        r->authed = 1;
    }
    snprintf(r->client, sizeof(r->client), "%s", client ? client : "192.0.2.1");
    pthread_mutex_init(&q->conn.lock, NULL);
    pthread_cond_init(&q->conn.resumed_cond, NULL);
    q->conn.headers[0].name = "Content-Type";
    q->conn.headers[0].value = "application/json";
    q->conn.nheaders = 1;
    if (query)
        parse_query(&q->conn, query);
}

void rf_fuzz_req_cleanup(struct rf_fuzz_req *q)
{
    if (!q)
        return;
    free(q->conn.query);
    free(q->conn.body);
    free(q->conn.content_type);
    pthread_mutex_destroy(&q->conn.lock);
    pthread_cond_destroy(&q->conn.resumed_cond);
    rf_req_cleanup(&q->r);
    memset(q, 0, sizeof(*q));
}

/* As the server answers a resumed connection: the handler's 'later' answer, once. */
static void answer_resumed(struct rf_fuzz_req *q)
{
    struct rf_req *r = &q->r;
    rf_handler answer;

    pthread_mutex_lock(&q->conn.lock);
    while (!q->conn.resumed)
        pthread_cond_wait(&q->conn.resumed_cond, &q->conn.lock);
    pthread_mutex_unlock(&q->conn.lock);
    answer = r->later;
    r->later = NULL;
    (void)answer(r);
    pthread_mutex_lock(&r->srv->later_lock);
    r->srv->waiting--;
    pthread_cond_broadcast(&r->srv->later_done);
    pthread_mutex_unlock(&r->srv->later_lock);
}

/* ---- answers ---- */

/*
 * A check that text is JSON (RFC 8259) in UTF-8, as strict as jansson's
 * reader (no lone surrogates, no NUL), without building the document: lists
 * of a thousand items are answered all the time, and a tree of them costs
 * more than the request.
 */
struct scan {
    const unsigned char *p, *end;
    int depth;
};

static int scan_value(struct scan *s);

static void scan_space(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static int scan_hex4(struct scan *s, unsigned *out)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++, s->p++) {
        unsigned c = s->p < s->end ? *s->p : 0;
        if (c >= '0' && c <= '9')
            v = v * 16 + (c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            v = v * 16 + ((c | 0x20) - 'a' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

/* One UTF-8 sequence at s->p: whole, shortest, no surrogate, at most U+10FFFF. */
static int scan_utf8(struct scan *s)
{
    const unsigned char *p = s->p;
    unsigned char lo = 0x80, hi = 0xbf;
    int n = p[0] >= 0xc2 && p[0] <= 0xdf   ? 2
            : p[0] >= 0xe0 && p[0] <= 0xef ? 3
            : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4
                                           : 0;

    if (!n || s->end - p < n)
        return 0;
    if (p[0] == 0xe0)
        lo = 0xa0;
    else if (p[0] == 0xed)
        hi = 0x9f;
    else if (p[0] == 0xf0)
        lo = 0x90;
    else if (p[0] == 0xf4)
        hi = 0x8f;
    for (int k = 1; k < n; k++, lo = 0x80, hi = 0xbf)
        if (p[k] < lo || p[k] > hi)
            return 0;
    s->p += n;
    return 1;
}

static int scan_string(struct scan *s)
{
    s->p++; /* the opening quote */
    while (s->p < s->end) {
        unsigned c = *s->p, v, low;
        if (c == '"') {
            s->p++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c >= 0x80) {
            if (!scan_utf8(s))
                return 0;
            continue;
        }
        s->p++;
        if (c != '\\')
            continue;
        if (s->p >= s->end)
            return 0;
        c = *s->p++;
        if (c != 'u') {
            if (!c || !strchr("\"\\/bfnrt", (int)c))
                return 0;
            continue;
        }
        if (!scan_hex4(s, &v) || v == 0 || (v >= 0xdc00 && v <= 0xdfff))
            return 0;
        if (v >= 0xd800 && v <= 0xdbff) { /* a pair of surrogates, or nothing */
            if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                return 0;
            s->p += 2;
            if (!scan_hex4(s, &low) || low < 0xdc00 || low > 0xdfff)
                return 0;
        }
    }
    return 0;
}

static int scan_digits(struct scan *s)
{
    const unsigned char *from = s->p;

    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > from;
}

static int scan_number(struct scan *s)
{
    if (*s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!scan_digits(s))
        return 0;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!scan_digits(s))
            return 0;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!scan_digits(s))
            return 0;
    }
    return 1;
}

static int scan_word(struct scan *s, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return 0;
    s->p += n;
    return 1;
}

/* An array or an object, its opening bracket at s->p. */
static int scan_container(struct scan *s)
{
    char close = *s->p == '[' ? ']' : '}';
    int first = 1;

    if (++s->depth > 512)
        return 0;
    s->p++;
    for (;;) {
        scan_space(s);
        if (s->p >= s->end)
            return 0;
        if (*s->p == close && first) {
            s->p++;
            break;
        }
        if (close == '}') {
            if (*s->p != '"' || !scan_string(s))
                return 0;
            scan_space(s);
            if (s->p >= s->end || *s->p++ != ':')
                return 0;
        }
        if (!scan_value(s))
            return 0;
        scan_space(s);
        if (s->p >= s->end)
            return 0;
        first = 0;
        if (*s->p == ',') {
            s->p++;
            scan_space(s);
            if (s->p < s->end && *s->p == close)
                return 0; /* no trailing comma */
            continue;
        }
        if (*s->p++ != close)
            return 0;
        break;
    }
    s->depth--;
    return 1;
}

static int scan_value(struct scan *s)
{
    scan_space(s);
    if (s->p >= s->end)
        return 0;
    switch (*s->p) {
    case '{':
    case '[':
        return scan_container(s);
    case '"':
        return scan_string(s);
    case 't':
        return scan_word(s, "true");
    case 'f':
        return scan_word(s, "false");
    case 'n':
        return scan_word(s, "null");
    default:
        return (*s->p == '-' || (*s->p >= '0' && *s->p <= '9')) && scan_number(s);
    }
}

/* 0 when 'text' is one JSON value, else 1 + the offset where it stops being one. */
static size_t json_error_at(const char *text, size_t len)
{
    struct scan s = {(const unsigned char *)text, (const unsigned char *)text + len, 0};

    if (!scan_value(&s))
        return 1 + (size_t)(s.p - (const unsigned char *)text);
    scan_space(&s);
    return s.p == s.end ? 0 : 1 + (size_t)(s.p - (const unsigned char *)text);
}

/* A string at s->p, its text between the quotes (escapes as written) into 'out'. */
static int scan_string_to(struct scan *s, char *out, size_t size)
{
    const unsigned char *from = s->p + 1;
    size_t n;

    if (s->p >= s->end || *s->p != '"' || !scan_string(s))
        return 0;
    n = (size_t)(s->p - 1 - from);
    n = n < size ? n : size - 1;
    memcpy(out, from, n);
    out[n] = '\0';
    return 1;
}

/* A string, number, true, false or null at s->p, its text into 'out'; '*quoted' for a string. */
static int scan_scalar_to(struct scan *s, char *out, size_t size, int *quoted)
{
    const unsigned char *from;
    size_t n;

    scan_space(s);
    *quoted = s->p < s->end && *s->p == '"';
    if (*quoted)
        return scan_string_to(s, out, size);
    from = s->p;
    if (s->p >= s->end || *s->p == '{' || *s->p == '[' || !scan_value(s))
        return 0;
    n = (size_t)(s->p - from);
    n = n < size ? n : size - 1;
    memcpy(out, from, n);
    out[n] = '\0';
    return 1;
}

/* The rest of an object after one of its members: more members, then its '}'. */
static int scan_object_rest(struct scan *s)
{
    for (;;) {
        scan_space(s);
        if (s->p >= s->end)
            return 0;
        if (*s->p == '}') {
            s->p++;
            return 1;
        }
        if (*s->p++ != ',')
            return 0;
        scan_space(s);
        if (s->p >= s->end || *s->p != '"' || !scan_string(s))
            return 0;
        scan_space(s);
        if (s->p >= s->end || *s->p++ != ':' || !scan_value(s))
            return 0;
    }
}

/* An array of objects, the first member of each to 'item'. */
static int scan_items(struct scan *s, rf_fuzz_item_fn item, void *ctx)
{
    char name[32], value[128];
    int quoted;

    scan_space(s);
    if (s->p >= s->end || *s->p++ != '[')
        return 0;
    scan_space(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 1;
    }
    for (;;) {
        scan_space(s);
        if (s->p >= s->end || *s->p++ != '{')
            return 0;
        scan_space(s);
        if (!scan_string_to(s, name, sizeof(name)))
            return 0;
        scan_space(s);
        if (s->p >= s->end || *s->p++ != ':' || !scan_scalar_to(s, value, sizeof(value), &quoted) ||
            !scan_object_rest(s))
            return 0;
        item(ctx, name, value);
        scan_space(s);
        if (s->p >= s->end)
            return 0;
        if (*s->p == ']') {
            s->p++;
            return 1;
        }
        if (*s->p++ != ',')
            return 0;
    }
}

/* Which of "items" and "next" the object at s->p has, its values only checked. */
static int scan_top_names(struct scan *s, int *items, int *next)
{
    char name[32];

    scan_space(s);
    if (s->p >= s->end || *s->p++ != '{')
        return 0;
    scan_space(s);
    if (s->p < s->end && *s->p == '}')
        return 1;
    for (;;) {
        scan_space(s);
        if (!scan_string_to(s, name, sizeof(name)))
            return 0;
        scan_space(s);
        if (s->p >= s->end || *s->p++ != ':' || !scan_value(s))
            return 0;
        *items |= strcmp(name, "items") == 0;
        *next |= strcmp(name, "next") == 0;
        scan_space(s);
        if (s->p >= s->end)
            return 0;
        if (*s->p == '}')
            return 1;
        if (*s->p++ != ',')
            return 0;
    }
}

int rf_fuzz_list_read(const char *body, size_t len, rf_fuzz_item_fn item, void *ctx, char next[32],
                      int *next_quoted)
{
    struct scan s = {(const unsigned char *)body, (const unsigned char *)body + len, 0};
    char name[32];
    int has_items = 0, has_next = 0;

    next[0] = '\0';
    *next_quoted = 0;
    /* a list has both; other answers may have "items" (a unit's tree) but are read as they come */
    if (!scan_top_names(&s, &has_items, &has_next) || !has_items || !has_next)
        return 0;
    s.p = (const unsigned char *)body;
    scan_space(&s);
    s.p++; /* '{' */
    for (;;) {
        scan_space(&s);
        if (!scan_string_to(&s, name, sizeof(name)))
            return -1;
        scan_space(&s);
        if (s.p >= s.end || *s.p++ != ':')
            return -1;
        if (strcmp(name, "items") == 0) {
            if (!scan_items(&s, item, ctx))
                return -1;
        } else if (strcmp(name, "next") == 0) {
            if (!scan_scalar_to(&s, next, 32, next_quoted))
                return -1;
        } else if (!scan_value(&s)) {
            return -1;
        }
        scan_space(&s);
        if (s.p >= s.end)
            return -1;
        if (*s.p == '}')
            return 1;
        if (*s.p++ != ',')
            return -1;
    }
}

#define READ_WHOLE 4096 /* answers up to this size are also read by jansson */

static void check_answer(const struct rf_fuzz_req *q)
{
    const struct MHD_Connection *c = &q->conn;
    const char *type = c->content_type;
    int shown = (int)(c->body_len < 2000 ? c->body_len : 2000), problem;
    json_error_t jerr;
    json_t *doc, *status;
    size_t at;

    if (!c->answered)
        rf_fuzz_fail("%s %s: no answer", q->r.method, q->r.path);
    if (c->status < 200 || c->status >= 500)
        rf_fuzz_fail("%s %s: status %u: %.*s", q->r.method, q->r.path, c->status, shown, c->body);
    if (c->status == 204 || !type)
        return;
    problem = strcmp(type, "application/problem+json") == 0;
    if (!problem && strcmp(type, "application/json") != 0)
        return;
    if ((at = json_error_at(c->body, c->body_len)) != 0)
        rf_fuzz_fail("%s %s: status %u: the answer is not JSON at byte %zu: %.*s", q->r.method,
                     q->r.path, c->status, at - 1, shown, c->body);
    if (!problem && c->body_len > READ_WHOLE)
        return;
    /* short answers are read whole too, which also holds the check above to jansson's */
    doc = json_loadb(c->body, c->body_len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!doc)
        rf_fuzz_fail("%s %s: status %u: jansson reads no JSON (%s at %d): %.*s", q->r.method,
                     q->r.path, c->status, jerr.text, jerr.position, shown, c->body);
    status = json_object_get(doc, "status");
    if (problem && (c->status < 400 || !json_is_integer(status) ||
                    json_integer_value(status) != (json_int_t)c->status ||
                    !json_is_array(json_object_get(doc, "errors"))))
        rf_fuzz_fail("%s %s: status %u: not an RFC 9457 problem: %.*s", q->r.method, q->r.path,
                     c->status, shown, c->body);
    json_decref(doc);
}

unsigned rf_fuzz_req_run(struct rf_fuzz_req *q, rf_handler fn)
{
    static int show = -1;

    if (show < 0)
        show = getenv("RF_FUZZ_SHOW") != NULL;
    (void)fn(&q->r);
    if (q->r.later)
        answer_resumed(q);
    if (show) /* to write seeds: what each request was answered */
        fprintf(stderr, "%s %s -> %u %.300s\n", q->r.method, q->r.path, q->conn.status,
                q->conn.body ? q->conn.body : "");
    check_answer(q);
    return q->conn.status;
}

const struct rf_fuzz_route *rf_fuzz_route_find(const char *method, const char *path,
                                               struct rf_req *r)
{
    for (int i = 0; i < rf_fuzz_nroutes; i++) {
        const struct rf_fuzz_route *route = &rf_fuzz_routes[i];
        if (!rf_route_match(route->pattern, path, r))
            continue;
        if (strcmp(route->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0))
            return route;
    }
    return NULL;
}
