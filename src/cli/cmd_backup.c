/*
 * reform backup PATH: an online copy of the database, restored by reform restore.
 */
#include "cli.h"

#include <stdio.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform backup PATH [--db URL]\n\n"
                 "Copy the database to PATH while it stays in use, as one consistent snapshot:\n"
                 "a SQLite database file, or for PostgreSQL an archive of pg_dump's custom\n"
                 "format (pg_dump must be on the PATH; give a password through ~/.pgpass or\n"
                 "PGPASSWORD, not the URL, which pg_dump's command line shows). 'reform\n"
                 "restore' puts it back. Keep the keys folder with it: the audit chain verifies\n"
                 "only with its key.\n");
}

int rf_cmd_backup(int argc, char **argv)
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
        rc = rf_store_backup(s, path, &err);
    rf_store_close(&s);
    if (rc != RF_OK) {
        rf_cli_print_error(&err);
        return 1;
    }
    printf("backed up to %s\n", path);
    return 0;
}
