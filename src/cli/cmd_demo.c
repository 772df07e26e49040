/*
 * reform demo dossiers --count N: a deterministic year of one-stop dossiers
 * on the demo province, for a larger demo or a benchmark.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform demo dossiers [--count N] [--db URL]\n\n"
                 "Add N dossiers (default 300,000) received from 1 July 2025 to 30 June 2026\n"
                 "at the demo province's desks, each taken through its procedure's steps on\n"
                 "the working calendar, with their timelines and the service center's\n"
                 "counters. The same N gives the same dossiers. Load the demo first\n"
                 "(reform serve --demo).\n");
}

int rf_cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"count", required_argument, NULL, 'n'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct rf_error err;
    struct rf_app *app;
    const char *db = NULL;
    long count = 300000;
    char *end;
    int c, rc;

    if (argc < 2 || strcmp(argv[1], "dossiers") != 0) {
        help(argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? stdout
                                                                                         : stderr);
        return argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) ? 0 : 2;
    }
    optind = 0;
    while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            count = strtol(optarg, &end, 10);
            if (*end || count < 1 || count > 50000000) {
                fprintf(stderr, "reform: --count is 1 to 50000000\n");
                return 2;
            }
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            help(stderr);
            return 2;
        }
    }
    if (optind < argc - 1) {
        help(stderr);
        return 2;
    }
    app = rf_cli_open(rf_cli_db(db), 0);
    if (!app)
        return 1;
    rf_error_init(&err);
    rc = rf_app_demo_dossiers(app, (int)count, &err);
    if (rc == RF_OK)
        printf("%ld dossiers generated\n", count);
    else
        rf_cli_print_error(&err);
    rf_app_close(&app);
    return rc == RF_OK ? 0 : 1;
}
