/*
 * reform report: the steering committee's report for a period.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform report --period P [--unit CODE] [--as-of YYYY-MM-DD]\n"
                 "                     [--format text|json|xlsx] [--out FILE] [--db URL]\n\n"
                 "The tasks section of the steering committee's report. P is YYYY, YYYY-Qn,\n"
                 "YYYY-H1, YYYY-H2, YYYY-9M (January to September), YYYY-MM or\n"
                 "YYYY-MM-DD..YYYY-MM-DD. Statuses are judged on --as-of (default: the period's\n"
                 "last day, or today if earlier). XLSX goes to --out FILE, one sheet per\n"
                 "breakdown.\n");
}

int rf_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"period", required_argument, NULL, 'p'},
        {"unit", required_argument, NULL, 'u'},   {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *period = NULL, *unit_code = NULL, *as_of = NULL, *format = "text",
               *path = NULL;
    struct rf_buf out = RF_BUF_INIT;
    struct rf_actor system;
    struct rf_error err;
    struct rf_app *app;
    int64_t unit_id = 0;
    int c, rc;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'p':
            period = optarg;
            break;
        case 'u':
            unit_code = optarg;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            path = optarg;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            help(stderr);
            return 2;
        }
    }
    if (optind < argc || !period) {
        help(stderr);
        return 2;
    }
    app = rf_cli_open(rf_cli_db(db), 0);
    if (!app)
        return 1;
    rf_error_init(&err);
    rf_app_system_actor(app, &system);
    if (unit_code) {
        struct rf_store *s = rf_app_store_get(app);
        struct rf_unit u;
        char today[RF_DATE_LEN];
        rf_app_today(app, today);
        rc = s ? rf_store_unit_get_by_code(s, system.province_id, unit_code, today, &u) : RF_ESTORE;
        rf_app_store_put(app, s);
        if (rc != RF_OK) {
            fprintf(stderr, "reform: no unit with code %s\n", unit_code);
            rf_app_close(&app);
            return 1;
        }
        unit_id = u.id;
    }
    rc = rf_app_report(app, &system, period, as_of, unit_id, format, path, &out, &err);
    if (rc != RF_OK) {
        rf_cli_print_error(&err);
    } else if (path && strcmp(format, "xlsx") != 0) {
        FILE *f = fopen(path, "w");
        if (!f || fwrite(rf_buf_str(&out), 1, out.len, f) != out.len) {
            fprintf(stderr, "reform: cannot write %s\n", path);
            rc = RF_EIO;
        }
        if (f)
            fclose(f);
    } else if (!path) {
        fwrite(rf_buf_str(&out), 1, out.len, stdout);
    }
    rf_buf_cleanup(&out);
    rf_app_close(&app);
    return rc == RF_OK ? 0 : 1;
}
