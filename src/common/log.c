/*
 * Logging: an ISO time, a level and one line, written with one fputs so
 * that lines from the server's threads never interleave. Control characters
 * and backslashes in the message are escaped (\n, \x1b, \\), so that no text
 * a client sent (a request path) can forge a line or drive a terminal.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum rf_log_level max_level = RF_LOG_INFO;

void rf_log_set_level(enum rf_log_level level)
{
    max_level = level;
}

void rf_log(enum rf_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    char line[1024], text[1024];
    struct tm tm;
    time_t now = time(NULL);
    va_list ap;
    size_t n;

    if (level > max_level)
        return;
    gmtime_r(&now, &tm);
    n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += (size_t)snprintf(line + n, sizeof(line) - n, "%s ", names[level]);
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 5 < sizeof(line); p++) {
        if (*p == '\\')
            line[n++] = '\\', line[n++] = '\\';
        else if (*p == '\n')
            line[n++] = '\\', line[n++] = 'n';
        else if (*p == '\r')
            line[n++] = '\\', line[n++] = 'r';
        else if (*p == '\t')
            line[n++] = '\\', line[n++] = 't';
        else if (*p < 0x20 || *p == 0x7f)
            n += (size_t)snprintf(line + n, sizeof(line) - n, "\\x%02x", *p);
        else
            line[n++] = (char)*p;
    }
    line[n++] = '\n';
    line[n] = '\0';
    fputs(line, stderr);
}
