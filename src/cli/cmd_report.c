/*
 * reform report: the steering committee's report for a period.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform report --period P [--unit CODE] [--as-of YYYY-MM-DD]\n"
                 "                     [--format text|json|xlsx] [--out FILE] [--db URL]\n"
                 "                     [--province CODE]\n\n"
                 "The tasks section of the steering committee's report. P is YYYY, YYYY-Qn,\n"
                 "YYYY-H1, YYYY-H2, YYYY-9M (January to September), YYYY-MM or\n"
                 "YYYY-MM-DD..YYYY-MM-DD. Statuses are judged on --as-of (default: the period's\n"
                 "last day, or today if earlier). XLSX goes to --out FILE, one sheet per\n"
                 "breakdown.\n\n"
                 "--unit CODE reports on the units under that unit. A code names one unit for\n"
                 "good: it is looked up as of today, and a unit that has ended (a district\n"
                 "dissolved on 1 July 2025) is still found, as of its last day; the report's\n"
                 "figures are those of the units under it on --as-of.\n\n"
                 "  --province CODE  the province, of those the database holds (default\n"
                 "                   $REFORM_PROVINCE, else the first)\n");
}

int rf_cmd_report(int argc, char **argv)
{
    const char *db = NULL, *period = NULL, *unit_code = NULL, *as_of = NULL, *format = "text",
               *path = NULL;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("db", &db),         RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_TEXT("period", &period), RF_CLI_OPT_TEXT("unit", &unit_code),
        RF_CLI_OPT_TEXT("as-of", &as_of),   RF_CLI_OPT_TEXT("format", &format),
        RF_CLI_OPT_TEXT("out", &path),      RF_CLI_OPT_END,
    };
    struct rf_buf out = RF_BUF_INIT;
    struct rf_actor system;
    struct rf_error err;
    struct rf_app *app;
    int64_t unit_id;
    int args, rc;

    if ((rc = rf_cli_options(argc, argv, opts, help, 0, &args)) >= 0)
        return rc;
    if (!period) {
        help(stderr);
        return 2;
    }
    app = rf_cli_open_at_unit(rf_cli_db(db), &system, unit_code, &unit_id);
    if (!app)
        return 1;
    rf_error_init(&err);
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
