/*
 * reform migrate: apply the migrations the database lacks.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

int rf_cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    struct rf_store *s = NULL;
    struct rf_error err;
    int c, applied = 0, version = 0;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            printf("usage: reform migrate [--db URL]\n\n"
                   "Apply every schema migration the database lacks, each in its own\n"
                   "transaction. 'serve' does this too on start.\n");
            return 0;
        default:
            return 2;
        }
    }
    rf_error_init(&err);
    if (rf_store_open(rf_cli_db(db), &s, &err) != RF_OK ||
        rf_store_migrate(s, &applied, &err) != RF_OK) {
        rf_cli_print_error(&err);
        rf_store_close(&s);
        return 1;
    }
    if (rf_store_schema_version(s, &version) != RF_OK)
        version = -1;
    printf("%d migration%s applied; schema version %d\n", applied, applied == 1 ? "" : "s",
           version);
    rf_store_close(&s);
    return 0;
}
