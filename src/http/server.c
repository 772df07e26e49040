/*
 * The server: libmicrohttpd with its internal epoll thread pool, each thread
 * serving many connections (a thread per connection costs twice the CPU per
 * request). A request holds its thread while it reads the database, and most
 * changes while they wait for the flush of their group commit; a receipt, the
 * change that comes in bursts, waits suspended instead (rf_req_later), so four
 * threads per core are enough, and fewer threads switch less. The
 * access handler gathers the body under a size limit, then answers on a
 * later call, never the first (answering before the body is read closes
 * keep-alive connections). One route table; authentication and the CSRF
 * check happen here, before any handler runs.
 */
#include "http.h"
#include "server_int.h"
#include "../common/log.h"

#define THREADS_PER_CORE 4

#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <sodium.h>

#define DEFAULT_MAX_BODY (1024 * 1024)
#define DEFAULT_CONNS_PER_ADDRESS 128 /* an office of browsers behind one NAT, not a flood */
#define DEFAULT_HEAD_SECONDS 10       /* a connection's first request line and headers */
#define DEFAULT_MAX_CONNS 8192        /* epoll serves thousands; the open-file limit is raised */
#define IDLE_SECONDS 30               /* a connection with nothing to read or write */

#define ROUTE_AUTH (1u << 0) /* needs a session or a bearer token */

static const struct route {
    const char *method;
    const char *pattern; /* "{}" matches a positive integer segment, "{key}" a code */
    rf_handler fn;
    unsigned flags;
} routes[] = {
    {"GET", "/healthz", rf_h_healthz, 0},
    {"GET", "/api/v1/openapi.json", rf_h_openapi, 0},
    {"POST", "/api/v1/session", rf_h_session_create, 0},
    {"GET", "/api/v1/session", rf_h_session_get, ROUTE_AUTH},
    {"DELETE", "/api/v1/session", rf_h_session_delete, ROUTE_AUTH},
    {"PUT", "/api/v1/session/password", rf_h_session_password, ROUTE_AUTH},
    {"POST", "/api/v1/tokens", rf_h_token_create, ROUTE_AUTH},
    {"GET", "/api/v1/units", rf_h_units_list, ROUTE_AUTH},
    {"POST", "/api/v1/units", rf_h_unit_create, ROUTE_AUTH},
    {"GET", "/api/v1/units/{}", rf_h_unit_get, ROUTE_AUTH},
    {"PATCH", "/api/v1/units/{}", rf_h_unit_update, ROUTE_AUTH},
    {"GET", "/api/v1/units/{}/tree", rf_h_unit_tree, ROUTE_AUTH},
    {"POST", "/api/v1/units/{}/move", rf_h_unit_move, ROUTE_AUTH},
    {"POST", "/api/v1/units/{}/end", rf_h_unit_end, ROUTE_AUTH},
    {"GET", "/api/v1/users", rf_h_users_list, ROUTE_AUTH},
    {"POST", "/api/v1/users", rf_h_user_create, ROUTE_AUTH},
    {"GET", "/api/v1/users/{}", rf_h_user_get, ROUTE_AUTH},
    {"PATCH", "/api/v1/users/{}", rf_h_user_update, ROUTE_AUTH},
    {"GET", "/api/v1/audit", rf_h_audit_list, ROUTE_AUTH},
    {"GET", "/api/v1/documents", rf_h_documents_list, ROUTE_AUTH},
    {"POST", "/api/v1/documents", rf_h_document_create, ROUTE_AUTH},
    {"GET", "/api/v1/documents/{}", rf_h_document_get, ROUTE_AUTH},
    {"POST", "/api/v1/documents/{}/tasks", rf_h_document_tasks_create, ROUTE_AUTH},
    {"GET", "/api/v1/tasks", rf_h_tasks_list, ROUTE_AUTH},
    {"POST", "/api/v1/tasks", rf_h_task_create, ROUTE_AUTH},
    {"GET", "/api/v1/tasks/stats", rf_h_task_stats, ROUTE_AUTH},
    {"GET", "/api/v1/tasks/reminders", rf_h_task_reminders, ROUTE_AUTH},
    {"GET", "/api/v1/tasks/{}", rf_h_task_get, ROUTE_AUTH},
    {"PATCH", "/api/v1/tasks/{}", rf_h_task_update, ROUTE_AUTH},
    {"POST", "/api/v1/tasks/{}/reports", rf_h_task_report, ROUTE_AUTH},
    {"POST", "/api/v1/tasks/{}/complete", rf_h_task_complete, ROUTE_AUTH},
    {"POST", "/api/v1/tasks/{}/deadline", rf_h_task_extend, ROUTE_AUTH},
    {"GET", "/api/v1/procedures", rf_h_procedures_list, ROUTE_AUTH},
    {"GET", "/api/v1/procedures/{}", rf_h_procedure_get, ROUTE_AUTH},
    {"POST", "/api/v1/dossiers", rf_h_dossier_receive, ROUTE_AUTH},
    {"GET", "/api/v1/dossiers", rf_h_dossiers_list, ROUTE_AUTH},
    {"GET", "/api/v1/dossiers/worklist", rf_h_worklist, ROUTE_AUTH},
    {"GET", "/api/v1/dossiers/stats", rf_h_dossier_stats, ROUTE_AUTH},
    {"GET", "/api/v1/dossiers/{key}", rf_h_dossier_get, ROUTE_AUTH},
    {"POST", "/api/v1/dossiers/{key}/actions", rf_h_dossier_act, ROUTE_AUTH},
    {"GET", "/api/v1/public/dossiers/{key}", rf_h_dossier_lookup, 0},
    {"GET", "/api/v1/calendar/due", rf_h_calendar_due, 0},
    {"POST", "/api/v1/calendar/hours", rf_h_calendar_hours, ROUTE_AUTH},
    {"GET", "/api/v1/calendar/{}", rf_h_calendar_year, 0},
    {"PUT", "/api/v1/calendar/{}", rf_h_calendar_record, ROUTE_AUTH},
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static int64_t now_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static int unsafe_method(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Fill r->actor from a bearer token or the session cookie. */
static int authenticate(struct rf_req *r, struct rf_error *err)
{
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "reform_session");
    int rc;

    if (auth && strncasecmp(auth, "Bearer ", 7) == 0)
        rc = rf_app_authenticate(r->app, auth + 7, RF_SESSION_BEARER, &r->actor);
    else if (cookie)
        rc = rf_app_authenticate(r->app, cookie, RF_SESSION_COOKIE, &r->actor);
    else
        rc = RF_EAUTH;
    if (rc == RF_EAUTH)
        return rf_error_set(err, RF_EAUTH, NULL, "unauthenticated",
                            "sign in first: the session is missing, ended or expired");
    if (rc != RF_OK)
        return rf_error_set(err, rc, NULL, "unavailable", "cannot check the session");
    r->authed = 1;
    if (r->actor.via_cookie && unsafe_method(r->method)) {
        const char *csrf = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        size_t n = strlen(r->actor.csrf);
        if (!csrf || strlen(csrf) != n || sodium_memcmp(csrf, r->actor.csrf, n) != 0)
            return rf_error_set(err, RF_EFORBIDDEN, "X-CSRF-Token", "csrf",
                                "a change needs the session's CSRF token in X-CSRF-Token");
    }
    return RF_OK;
}

static enum MHD_Result dispatch(struct rf_req *r)
{
    struct rf_error err;
    const struct route *found = NULL;
    char allow[64] = "";
    int path_matched = 0;

    rf_error_init(&err);
    if (r->too_big) {
        rf_error_set(&err, RF_ETOOBIG, NULL, "too_large", "the body is over %zu bytes",
                     r->srv->cfg.max_body);
        return rf_reply_error(r, &err);
    }
    for (size_t i = 0; i < NROUTES && !found; i++) {
        if (!rf_route_match(routes[i].pattern, r->path, r))
            continue;
        path_matched = 1;
        if (strcmp(routes[i].method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            found = &routes[i];
    }
    if (!found && path_matched) {
        /* the methods the path takes, for the Allow header */
        for (size_t i = 0; i < NROUTES; i++)
            if (rf_route_match(routes[i].pattern, r->path, r) &&
                strlen(allow) + strlen(routes[i].method) + 9 < sizeof(allow))
                snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s%s",
                         allow[0] ? ", " : "", routes[i].method,
                         strcmp(routes[i].method, "GET") == 0 ? ", HEAD" : "");
        rf_error_set(&err, RF_EINVAL, NULL, "method", "%s is not allowed here: use %s", r->method,
                     allow);
        return rf_reply_problem_with(r, MHD_HTTP_METHOD_NOT_ALLOWED, &err, "Allow", allow);
    }
    if (!found) {
        if (strncmp(r->path, "/api/", 5) == 0) {
            rf_error_set(&err, RF_ENOTFOUND, NULL, "not_found", "no such resource");
            return rf_reply_error(r, &err);
        }
        return rf_serve_static(r);
    }
    if ((found->flags & ROUTE_AUTH) && authenticate(r, &err) != RF_OK)
        return rf_reply_error(r, &err);
    return found->fn(r);
}

enum MHD_Result rf_req_later(struct rf_req *r, rf_handler answer, void *ctx)
{
    int ready;

    pthread_mutex_lock(&r->srv->later_lock);
    r->later_ctx = ctx;
    /* the server stopping must not be left with a suspended connection: this thread waits */
    while (r->srv->stopping && r->later_state != RF_LATER_READY)
        pthread_cond_wait(&r->srv->later_done, &r->srv->later_lock);
    ready = r->later_state == RF_LATER_READY;
    if (!ready) {
        r->later = answer;
        /* resumed by rf_req_ready, which must find it suspended: both under the lock */
        r->later_state = RF_LATER_WAITING;
        r->srv->waiting++;
        MHD_suspend_connection(r->conn);
    }
    pthread_mutex_unlock(&r->srv->later_lock);
    return ready ? answer(r) : MHD_YES;
}

void rf_req_ready(void *arg)
{
    struct rf_req *r = arg;
    struct rf_server *srv = r->srv;
    int suspended;

    pthread_mutex_lock(&srv->later_lock);
    suspended = r->later_state == RF_LATER_WAITING;
    r->later_state = RF_LATER_READY;
    pthread_cond_broadcast(&srv->later_done);
    if (suspended) {
        /* MHD calls on_request again, which answers: 'r' may be gone once this returns */
        MHD_resume_connection(r->conn);
    }
    pthread_mutex_unlock(&srv->later_lock);
}

/* The answer of a change that was waited for, given once (or dropped, when the client left). */
static enum MHD_Result answer_later(struct rf_req *r)
{
    rf_handler answer = r->later;
    enum MHD_Result ret;

    r->later = NULL;
    ret = answer(r); /* it also frees what the change kept */
    pthread_mutex_lock(&r->srv->later_lock);
    r->srv->waiting--; /* a server that stops waits for this */
    pthread_cond_broadcast(&r->srv->later_done);
    pthread_mutex_unlock(&r->srv->later_lock);
    return ret;
}

/* What the head says of a request's framing: its Content-Length and Transfer-Encoding headers. */
struct framing {
    int content_lengths;
    int transfer_encodings;
    int chunked_only;        /* the one Transfer-Encoding is exactly "chunked" */
    struct rf_buf forwarded; /* every X-Forwarded-For, joined by ',' in order */
};

static enum MHD_Result read_head(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    struct framing *f = cls;

    (void)kind;
    if (strcasecmp(key, "Content-Length") == 0) {
        f->content_lengths++;
    } else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        f->transfer_encodings++;
        f->chunked_only = value && strcasecmp(value, "chunked") == 0;
    } else if (strcasecmp(key, "X-Forwarded-For") == 0 && value) {
        if (f->forwarded.len)
            rf_buf_addc(&f->forwarded, ',');
        rf_buf_adds(&f->forwarded, value);
    }
    return MHD_YES;
}

/* r->client: the peer, or behind a trusted proxy the client it names. */
static void client_of(struct rf_req *r, const struct sockaddr *sa)
{
    char peer[RF_ADDR_TEXT] = "";
    struct framing f;

    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof(peer));
    if (r->srv->ntrusted == 0 || !rf_cidr_contains(r->srv->trusted, r->srv->ntrusted, peer)) {
        snprintf(r->client, sizeof(r->client), "%s", peer);
        return;
    }
    memset(&f, 0, sizeof(f));
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, read_head, &f);
    rf_client_address(peer, f.forwarded.len ? rf_buf_str(&f.forwarded) : NULL, r->srv->trusted,
                      r->srv->ntrusted, r->client);
    rf_buf_cleanup(&f.forwarded);
}

/*
 * A request whose body could end in two places (two Content-Lengths, or one
 * with a Transfer-Encoding) is answered 400 at its head, and one with a
 * transfer coding other than chunked 501, and the connection closes: no
 * byte of the body is read, so nothing after it can pass for a request.
 */
static enum MHD_Result framing_check(struct rf_req *r)
{
    struct rf_error err;
    struct framing f;

    memset(&f, 0, sizeof(f));
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, read_head, &f);
    rf_buf_cleanup(&f.forwarded);
    rf_error_init(&err);
    if (f.content_lengths > 1)
        rf_error_set(&err, RF_EINVAL, "Content-Length", "framing",
                     "a request has at most one Content-Length");
    else if (f.content_lengths && f.transfer_encodings)
        rf_error_set(&err, RF_EINVAL, "Transfer-Encoding", "framing",
                     "a request has a Content-Length or a Transfer-Encoding, not both");
    else if (f.transfer_encodings > 1 || (f.transfer_encodings && !f.chunked_only))
        rf_error_set(&err, RF_EINVAL, "Transfer-Encoding", "not_implemented",
                     "the only transfer coding understood is chunked");
    if (!err.n)
        return MHD_YES;
    r->framing_bad = 1;
    return rf_reply_problem_with(
        r, err.item[0].code[0] == 'n' ? MHD_HTTP_NOT_IMPLEMENTED : MHD_HTTP_BAD_REQUEST, &err,
        "Connection", "close");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct rf_server *srv = cls;
    struct rf_req *r = *con_cls;

    (void)version;
    if (!r) {
        const union MHD_ConnectionInfo *ci;
        r = rf_xcalloc(1, sizeof(*r));
        r->conn = conn;
        r->srv = srv;
        r->app = srv->app;
        r->method = method;
        r->path = url;
        r->started_us = now_us();
        rf_arena_init(&r->arena);
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        client_of(r, ci ? ci->client_addr : NULL);
        *con_cls = r;
        rf_conns_head_done(srv->conns, conn);
        /* a body whose end two readers could see in two places is never read */
        return framing_check(r);
    }
    if (r->framing_bad) /* answered at its head; the connection closes */
        return MHD_YES;
    if (r->later) /* resumed: its change is ready */
        return answer_later(r);
    if (*upload_size) {
        if (r->body.len + *upload_size > srv->cfg.max_body)
            r->too_big = 1;
        else
            rf_buf_add(&r->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    return dispatch(r);
}

void rf_req_cleanup(struct rf_req *r)
{
    if (!r)
        return;
    rf_buf_cleanup(&r->body);
    json_decref(r->json);
    r->json = NULL;
    rf_arena_cleanup(&r->arena);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct rf_server *srv = cls;
    struct rf_req *r = *con_cls;

    (void)conn;
    (void)toe;
    if (!r)
        return;
    if (r->later) { /* closed by the client while its change was written */
        pthread_mutex_lock(&r->srv->later_lock);
        while (r->later_state != RF_LATER_READY) /* resumed before, so never long */
            pthread_cond_wait(&r->srv->later_done, &r->srv->later_lock);
        pthread_mutex_unlock(&r->srv->later_lock);
        r->gone = 1;
        (void)answer_later(r);
    }
    if (!srv->cfg.quiet)
        rf_log_info("%s %s %s %u %.1fms %s", r->client[0] ? r->client : "-", r->method, r->path,
                    r->status, (double)(now_us() - r->started_us) / 1000.0,
                    r->authed ? r->actor.username : "-");
    rf_req_cleanup(r);
    free(r);
    *con_cls = NULL;
}

/*
 * The connection limit: 'wanted' (0 for the default) within the open-file
 * limit, raised to its hard ceiling first, leaving room for the database's
 * connections, the served files and the log.
 */
static int conns_limit(int wanted, int threads)
{
    struct rlimit lim;
    long room;

    if (wanted <= 0)
        wanted = DEFAULT_MAX_CONNS;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return wanted < 1000 ? wanted : 1000;
    if (lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
            getrlimit(RLIMIT_NOFILE, &lim);
    }
    room = (long)(lim.rlim_cur == RLIM_INFINITY ? 1048576 : lim.rlim_cur) - 64 - 4L * threads;
    if (room < wanted) {
        rf_log_warn("the open-file limit allows %ld connections, not %d", room, wanted);
        wanted = room > 16 ? (int)room : 16;
    }
    return wanted;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    char *end;
    long port;

    if (!colon || (size_t)(colon - listen) >= sizeof(host))
        return RF_EINVAL;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return RF_EINVAL;
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof(host), "127.0.0.1");
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
        return RF_EINVAL;
    return RF_OK;
}

const struct rf_http_config *rf_http_serving;

/* The library's own messages, through the log (escaped, dated) as one line each. */
static void library_log(void *cls, const char *fmt, va_list ap)
{
    char line[1024];
    size_t n;

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    rf_log_warn("libmicrohttpd: %s", line);
}

int rf_http_serve(struct rf_app *app, const struct rf_http_config *cfg)
{
    struct rf_server srv;
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *info;
    sigset_t stop;
    MHD_socket listen_fd;
    int sig = 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    char host[INET_ADDRSTRLEN];

    memset(&srv, 0, sizeof(srv));
    pthread_mutex_init(&srv.later_lock, NULL);
    pthread_cond_init(&srv.later_done, NULL);
    srv.app = app;
    srv.cfg = *cfg;
    if (!srv.cfg.max_body)
        srv.cfg.max_body = DEFAULT_MAX_BODY;
    if (srv.cfg.threads <= 0)
        srv.cfg.threads = THREADS_PER_CORE * (cores > 0 ? (int)cores : 2);
    if (parse_listen(cfg->listen, &sa) != RF_OK) {
        rf_log_error("cannot listen on '%s': expected HOST:PORT", cfg->listen);
        return RF_EINVAL;
    }
    if (cfg->trusted_proxies) {
        struct rf_error err;
        rf_error_init(&err);
        if (rf_cidr_parse_list(cfg->trusted_proxies, srv.trusted, RF_MAX_TRUSTED_PROXIES,
                               &srv.ntrusted, "--trusted-proxy", &err) != RF_OK) {
            rf_log_error("--trusted-proxy: %s", err.item[0].message);
            return RF_EINVAL;
        }
    }
    if (srv.cfg.conns_per_address <= 0)
        srv.cfg.conns_per_address = DEFAULT_CONNS_PER_ADDRESS;
    if (srv.cfg.head_seconds <= 0)
        srv.cfg.head_seconds = DEFAULT_HEAD_SECONDS;
    srv.cfg.max_conns = conns_limit(srv.cfg.max_conns, srv.cfg.threads);

    /* the server's threads inherit this mask, so only sigwait() below sees the signals */
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    rf_static_load(srv.cfg.web_root, &srv.files);
    rf_http_serving = &srv.cfg; /* before the daemon's threads start: they read it */
    srv.conns =
        rf_conns_new(srv.cfg.conns_per_address, srv.cfg.head_seconds, srv.trusted, srv.ntrusted);
    srv.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO |
            MHD_ALLOW_SUSPEND_RESUME,
        0, rf_conns_accept, srv.conns, on_request, &srv,
        /* first, so that the library's messages about the other options come through it too */
        MHD_OPTION_EXTERNAL_LOGGER, library_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)srv.cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)IDLE_SECONDS, MHD_OPTION_CONNECTION_LIMIT, (unsigned)srv.cfg.max_conns,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        &srv, MHD_OPTION_NOTIFY_CONNECTION, rf_conns_notify, srv.conns, MHD_OPTION_END);
    if (!srv.daemon) {
        rf_http_serving = NULL;
        rf_log_error("cannot listen on %s", cfg->listen);
        rf_conns_free(&srv.conns);
        rf_static_cleanup(&srv.files);
        return RF_EIO;
    }
    info = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
    rf_log_info("listening on http://%s:%u (%d threads, %s database, web %s with %d files)", host,
                info ? info->port : ntohs(sa.sin_port), srv.cfg.threads, rf_app_backend(app),
                srv.cfg.web_root, srv.files.n);
    rf_log_info("at most %d connections, %d from one address%s; a request head in %d s",
                srv.cfg.max_conns, srv.cfg.conns_per_address,
                srv.ntrusted ? " (trusted proxies apart)" : "", srv.cfg.head_seconds);
    while (sigwait(&stop, &sig) != 0)
        ;
    rf_log_info("stopping on signal %d", sig);
    /* no new connections; the changes under way finish and answer (the writer runs on) */
    listen_fd = MHD_quiesce_daemon(srv.daemon);
    pthread_mutex_lock(&srv.later_lock);
    srv.stopping = 1;
    while (srv.waiting > 0)
        pthread_cond_wait(&srv.later_done, &srv.later_lock);
    pthread_mutex_unlock(&srv.later_lock);
    MHD_stop_daemon(srv.daemon);
    rf_http_serving = NULL;
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    rf_conns_free(&srv.conns);
    rf_static_cleanup(&srv.files);
    pthread_cond_destroy(&srv.later_done);
    pthread_mutex_destroy(&srv.later_lock);
    rf_kept_clear();
    rf_log_info("stopped");
    return RF_OK;
}
