/*
 * Reference for durable writes: raw single-row SQLite inserts, one
 * transaction each, in WAL mode with synchronous=FULL (what Reform runs
 * with), into a table shaped like a small task row. Prints rows per second.
 *   sqlite_inserts PATH [ROWS]
 */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The count in 'text' (decimal, nothing after it, within int), or -1 when it is none. */
static int count_of(const char *text)
{
    char *rest;
    long v;

    errno = 0;
    v = strtol(text, &rest, 10);
    if (errno || rest == text || *rest || v < INT_MIN || v > INT_MAX)
        return -1;
    return (int)v;
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    struct timespec t0, t1;
    int rows = argc > 2 ? count_of(argv[2]) : 20000;
    double secs;

    if (argc < 2 || rows <= 0) {
        fprintf(stderr, "usage: sqlite_inserts PATH [ROWS]\n");
        return 2;
    }
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        return 1;
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 " CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, title TEXT, lead BIGINT,"
                 " field TEXT, assigned_on TEXT, deadline TEXT)",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db,
                       "INSERT INTO t (title, lead, field, assigned_on, deadline)"
                       " VALUES (?, ?, 'procedures', '2023-01-10', '2023-12-31')",
                       -1, &st, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < rows; i++) {
        sqlite3_bind_text(st, 1, "Rà soát, đơn giản hóa thủ tục hành chính", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, i % 100);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "insert failed: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(st);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.0f\n", rows / secs);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
