/*
 * One-line logs on standard error, safe from several threads.
 */
#ifndef RF_LOG_H
#define RF_LOG_H

enum rf_log_level { RF_LOG_ERROR, RF_LOG_WARN, RF_LOG_INFO, RF_LOG_DEBUG };

/* Print lines at 'level' and above importance; the default is RF_LOG_INFO. */
void rf_log_set_level(enum rf_log_level level);
/*
 * Write one line to standard error: the UTC time, the level and the
 * printf-style text, its control characters escaped so that no text can
 * forge a line; cut at about 1 KiB.
 */
void rf_log(enum rf_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define rf_log_error(...) rf_log(RF_LOG_ERROR, __VA_ARGS__)
#define rf_log_warn(...) rf_log(RF_LOG_WARN, __VA_ARGS__)
#define rf_log_info(...) rf_log(RF_LOG_INFO, __VA_ARGS__)

#endif
