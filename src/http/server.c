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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <sodium.h>

#define DEFAULT_MAX_BODY (1024 * 1024)

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

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Files of the browser UI; paths without an extension get index.html (client routing). */
static enum MHD_Result serve_static(struct rf_req *r)
{
    const char *slash = strrchr(r->path, '/');
    const char *file = r->path;
    struct MHD_Response *resp;
    struct stat st;
    char full[4096];
    enum MHD_Result ret;
    int fd;

    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        struct rf_error err;
        rf_error_init(&err);
        rf_error_set(&err, RF_ENOTFOUND, NULL, "method", "only GET reads the user interface");
        return rf_reply_problem_with(r, MHD_HTTP_METHOD_NOT_ALLOWED, &err, "Allow", "GET, HEAD");
    }
    /* no path that climbs or doubles slashes reaches the file system or the UI */
    if (strstr(r->path, "..") || strstr(r->path, "//") || r->path[0] != '/')
        goto missing;
    if (!slash || !strchr(slash, '.'))
        file = "/index.html";
    if ((size_t)snprintf(full, sizeof(full), "%s%s", r->srv->cfg.web_root, file) >= sizeof(full))
        goto missing;
    fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        goto missing;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        goto missing;
    }
    resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", content_type(file));
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                            "base-uri 'self'; form-action 'self'");
    r->status = MHD_HTTP_OK;
    ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
missing : {
    struct rf_error err;
    rf_error_init(&err);
    rf_error_set(&err, RF_ENOTFOUND, NULL, "not_found", "no such file");
    return rf_reply_error(r, &err);
}
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
        return serve_static(r);
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
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r->client,
                      sizeof(r->client));
        else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
                      r->client, sizeof(r->client));
        *con_cls = r;
        return MHD_YES;
    }
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
        rf_log_info("%s %s %u %.1fms %s", r->method, r->path, r->status,
                    (double)(now_us() - r->started_us) / 1000.0,
                    r->authed ? r->actor.username : "-");
    rf_buf_cleanup(&r->body);
    rf_arena_cleanup(&r->arena);
    free(r);
    *con_cls = NULL;
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

    /* the server's threads inherit this mask, so only sigwait() below sees the signals */
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO |
            MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)srv.cfg.threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_END);
    if (!srv.daemon) {
        rf_log_error("cannot listen on %s", cfg->listen);
        return RF_EIO;
    }
    info = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
    rf_log_info("listening on http://%s:%u (%d threads, %s database, web %s)", host,
                info ? info->port : ntohs(sa.sin_port), srv.cfg.threads, rf_app_backend(app),
                srv.cfg.web_root);
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
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    pthread_cond_destroy(&srv.later_done);
    pthread_mutex_destroy(&srv.later_lock);
    rf_kept_clear();
    rf_log_info("stopped");
    return RF_OK;
}
