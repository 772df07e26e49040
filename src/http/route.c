/*
 * Matching a request path against one pattern of the route table: "{}" takes
 * a positive integer segment (an id, no leading zero, within int64_t), "{key}"
 * a code of capital letters, digits, '.' and '-', every other byte itself.
 * The path is outside input; the patterns are the server's own.
 */
#include "http.h"
#include "server_int.h"

#include <string.h>

int rf_route_match(const char *pattern, const char *path, struct rf_req *r)
{
    int n = 0;

    while (*pattern && *path) {
        if (*pattern == '{' && strncmp(pattern, "{key}", 5) == 0) {
            size_t len = 0;
            /* letters, digits, '.' and '-': a code read over the phone */
            while (path[len] && path[len] != '/' &&
                   ((path[len] >= '0' && path[len] <= '9') ||
                    (path[len] >= 'A' && path[len] <= 'Z') || path[len] == '.' || path[len] == '-'))
                len++;
            if (len == 0 || len >= sizeof(r->key) || (path[len] && path[len] != '/'))
                return 0;
            memcpy(r->key, path, len);
            r->key[len] = '\0';
            path += len;
            pattern += 5;
        } else if (pattern[0] == '{' && pattern[1] == '}') {
            int64_t v = 0;
            if (*path < '1' || *path > '9')
                return 0;
            for (; *path >= '0' && *path <= '9'; path++) {
                if (v > (INT64_MAX - 9) / 10)
                    return 0;
                v = v * 10 + (*path - '0');
            }
            if (n < RF_MAX_PATH_PARAMS)
                r->params[n++] = v;
            pattern += 2;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    if (*pattern || *path)
        return 0;
    r->nparams = n;
    return 1;
}
