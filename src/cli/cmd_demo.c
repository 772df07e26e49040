/*
 * reform demo dossiers --count N: a deterministic year of one-stop dossiers
 * on the demo province, for a larger demo or a benchmark.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform demo dossiers [--count N] [--db URL] [--province CODE]\n\n"
                 "Add N dossiers (default 300,000) received from 1 July 2025 to 30 June 2026\n"
                 "at the demo province's desks, each taken through its procedure's steps on\n"
                 "the working calendar, with their timelines and the service center's\n"
                 "counters. The same N gives the same dossiers. Load the demo first\n"
                 "(reform serve --demo, with --province for a demo under another code).\n\n"
                 "  --province CODE  the province, of those the database holds (default\n"
                 "                   $REFORM_PROVINCE, else the first)\n");
}

int rf_cmd_demo(int argc, char **argv)
{
    const char *db = NULL;
    int count = 300000, args, rc;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_NUMBER("count", &count, 1, 50000000, "is 1 to 50000000"),
        RF_CLI_OPT_TEXT("db", &db),
        RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_END,
    };
    struct rf_error err;
    struct rf_app *app;

    if (argc < 2 || strcmp(argv[1], "dossiers") != 0) {
        int asked = rf_cli_wants_help(argc, argv);
        help(asked ? stdout : stderr);
        return asked ? 0 : 2;
    }
    if ((rc = rf_cli_options(argc - 1, argv + 1, opts, help, 0, &args)) >= 0)
        return rc;
    app = rf_cli_open(rf_cli_db(db), 0);
    if (!app)
        return 1;
    rf_error_init(&err);
    rc = rf_app_demo_dossiers(app, count, &err);
    if (rc == RF_OK)
        printf("%d dossiers generated\n", count);
    return rf_cli_finish(&app, rc, &err);
}
