/*
 * Logging: an ISO time, a level and one line, written with one fputs so
 * that lines from the server's threads never interleave.
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
    char line[1024];
    struct tm tm;
    time_t now = time(NULL);
    va_list ap;
    int n;

    if (level > max_level)
        return;
    gmtime_r(&now, &tm);
    n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof(line) - (size_t)n, "%s ", names[level]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    fputs(line, stderr);
    fputc('\n', stderr);
}
