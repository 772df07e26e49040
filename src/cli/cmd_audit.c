/*
 * reform audit verify: walk every audit chain and name the first record
 * that was altered, deleted, inserted or reordered.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int rf_cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct rf_audit_report report;
    struct rf_error err;
    struct rf_app *app;
    const char *db = NULL;
    int c;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            printf("usage: reform audit verify [--db URL]\n\n"
                   "Check each province's audit chain record by record. Exits 0 when it\n"
                   "holds, 1 naming the first record that was altered, deleted, inserted\n"
                   "or reordered.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (argc - optind != 1 || strcmp(argv[optind], "verify") != 0) {
        fprintf(stderr, "usage: reform audit verify [--db URL]\n");
        return 2;
    }
    app = rf_cli_open(rf_cli_db(db), 1);
    if (!app)
        return 1;
    rf_error_init(&err);
    if (rf_app_audit_verify(app, &report, &err) != RF_OK) {
        rf_cli_print_error(&err);
        rf_app_close(&app);
        return 1;
    }
    rf_app_close(&app);
    if (!report.ok) {
        printf("audit chain broken in province %lld: %s\n", (long long)report.bad_province,
               report.problem);
        return 1;
    }
    printf("audit chain intact: %lld records in %lld province%s\n", (long long)report.records,
           (long long)report.provinces, report.provinces == 1 ? "" : "s");
    return 0;
}
