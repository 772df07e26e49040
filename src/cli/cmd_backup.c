/*
 * reform backup PATH: an online copy of a SQLite database.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

int rf_cmd_backup(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct rf_store *s = NULL;
    struct rf_error err;
    const char *db = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'h':
            printf("usage: reform backup PATH [--db URL]\n\n"
                   "Copy a SQLite database to PATH while it stays in use. For PostgreSQL\n"
                   "use pg_dump.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "usage: reform backup PATH [--db URL]\n");
        return 2;
    }
    rf_error_init(&err);
    rc = rf_store_open(rf_cli_db(db), &s, &err);
    if (rc == RF_OK)
        rc = rf_store_backup(s, argv[optind], &err);
    rf_store_close(&s);
    if (rc != RF_OK) {
        rf_cli_print_error(&err);
        return 1;
    }
    printf("backed up to %s\n", argv[optind]);
    return 0;
}
