/*
 * The browser UI's files. Only the UI's own files are served, from a list
 * made when the server starts: the files of the UI's types at the top of the
 * web folder and in its pages/, kits/, i18n/ and vendor/ folders. Whatever else the
 * folder holds (package.json, the build scripts, node_modules) is never
 * served, and a path that is not on the list never reaches the file system.
 * A path without an extension is a route of the UI and gets index.html.
 */
#include "http.h"
#include "server_int.h"
#include "../common/log.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 4096

/* The folders of the UI whose files are served, below the top. */
static const char *const served_folders[] = {"pages", "kits", "i18n", "vendor", NULL};

static const struct {
    const char *ext, *type;
    int top; /* served at the top of the folder (package.json is not) */
} types[] = {
    {".html", "text/html; charset=utf-8", 1},
    {".js", "text/javascript; charset=utf-8", 1},
    {".css", "text/css; charset=utf-8", 1},
    {".json", "application/json", 0},
    {".svg", "image/svg+xml", 1},
    {".png", "image/png", 1},
    {".ico", "image/x-icon", 1},
    {".woff2", "font/woff2", 1},
};

/* The index in 'types' of the extension of 'path', or -1. */
static int type_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return (int)i;
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add the files of 'dir' ("/pages") under 'root', and of its folders, to 'list'. */
static void walk(const char *root, const char *dir, struct rf_static_files *list, int depth)
{
    char full[4096];
    DIR *d;
    struct dirent *e;

    if ((size_t)snprintf(full, sizeof(full), "%s%s", root, dir) >= sizeof(full) || depth > 8)
        return;
    d = opendir(full);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && list->n < MAX_FILES) {
        char rel[1024];
        struct stat st;
        if (e->d_name[0] == '.') /* ".", "..", and hidden files */
            continue;
        if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name) >= sizeof(rel) ||
            (size_t)snprintf(full, sizeof(full), "%s%s", root, rel) >= sizeof(full) ||
            lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(root, rel, list, depth + 1);
        } else if (S_ISREG(st.st_mode) && type_of(rel) >= 0) {
            list->files = rf_xrealloc(list->files, (size_t)(list->n + 1) * sizeof(char *));
            list->files[list->n++] = rf_xstrdup(rel);
        }
    }
    closedir(d);
}

void rf_static_load(const char *root, struct rf_static_files *list)
{
    DIR *d = opendir(root);
    struct dirent *e;

    memset(list, 0, sizeof(*list));
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && list->n < MAX_FILES) {
        char rel[512], full[4096];
        struct stat st;
        int t = type_of(e->d_name);
        if (e->d_name[0] == '.' ||
            (size_t)snprintf(rel, sizeof(rel), "/%s", e->d_name) >= sizeof(rel) ||
            (size_t)snprintf(full, sizeof(full), "%s%s", root, rel) >= sizeof(full) ||
            lstat(full, &st) != 0)
            continue;
        if (S_ISREG(st.st_mode) && t >= 0 && types[t].top) {
            list->files = rf_xrealloc(list->files, (size_t)(list->n + 1) * sizeof(char *));
            list->files[list->n++] = rf_xstrdup(rel);
        }
        for (int i = 0; S_ISDIR(st.st_mode) && served_folders[i]; i++)
            if (strcmp(e->d_name, served_folders[i]) == 0)
                walk(root, rel, list, 1);
    }
    closedir(d);
    if (list->n)
        qsort(list->files, (size_t)list->n, sizeof(char *), by_name);
    if (list->n >= MAX_FILES)
        rf_log_warn("the web UI has over %d files: only the first are served", MAX_FILES);
}

void rf_static_cleanup(struct rf_static_files *list)
{
    for (int i = 0; i < list->n; i++)
        free(list->files[i]);
    free(list->files);
    memset(list, 0, sizeof(*list));
}

enum MHD_Result rf_serve_static(struct rf_req *r)
{
    const struct rf_static_files *list = &r->srv->files;
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
    /* a path that climbs or doubles slashes is no route of the UI either */
    if (strstr(r->path, "..") || strstr(r->path, "//") || r->path[0] != '/')
        goto missing;
    if (!slash || !strchr(slash, '.'))
        file = "/index.html";
    /* on the list, or not at all: the list holds no path that climbs or doubles slashes */
    if (!list->n || !bsearch(&file, list->files, (size_t)list->n, sizeof(char *), by_name))
        goto missing;
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
    MHD_add_response_header(resp, "Content-Type", types[type_of(file)].type);
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    rf_reply_headers(r, resp);
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
