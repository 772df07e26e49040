/*
 * reform restore PATH: a copy made by reform backup, into an empty database.
 */
#include "cli.h"

#include <stdio.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform restore PATH [--db URL]\n\n"
                 "Restore a copy made by 'reform backup' into the database URL names, which\n"
                 "must be empty: a SQLite file not yet made or holding no table, or a new\n"
                 "PostgreSQL database (createdb). All of it is restored or nothing. The\n"
                 "copy's audit chain verifies with the audit key it was written with: restore\n"
                 "the keys folder beside it. Then 'reform migrate' brings an older copy's\n"
                 "schema up to date, and 'reform serve' starts on it.\n");
}

int rf_cmd_restore(int argc, char **argv)
{
    const char *db = NULL, *path;
    const struct rf_cli_option opts[] = {RF_CLI_OPT_TEXT("db", &db), RF_CLI_OPT_END};
    struct rf_store *s = NULL;
    struct rf_error err;
    int args, rc;

    if ((rc = rf_cli_options(argc, argv, opts, help, 1, &args)) >= 0)
        return rc;
    path = argv[args];
    rf_error_init(&err);
    rc = rf_store_open(rf_cli_db(db), &s, &err);
    if (rc == RF_OK)
        rc = rf_store_restore(s, path, &err);
    rf_store_close(&s);
    if (rc != RF_OK) {
        rf_cli_print_error(&err);
        return 1;
    }
    printf("restored %s\n", path);
    return 0;
}
