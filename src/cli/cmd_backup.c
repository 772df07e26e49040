/*
 * reform backup PATH: an online copy of the database; reform restore PATH:
 * such a copy written into an empty database. Both are operations on the
 * database itself, through the store.
 */
#include "cli.h"

#include <stdio.h>

static void backup_help(FILE *out)
{
    fprintf(out, "usage: reform backup PATH [--db URL]\n\n"
                 "Copy the database to PATH while it stays in use, as one consistent snapshot:\n"
                 "a SQLite database file, or for PostgreSQL an archive of pg_dump's custom\n"
                 "format (pg_dump must be on the PATH; give a password through ~/.pgpass or\n"
                 "PGPASSWORD, not the URL, which pg_dump's command line shows). 'reform\n"
                 "restore' puts it back. Keep the keys folder with it: the audit chain verifies\n"
                 "only with its key.\n");
}

static void restore_help(FILE *out)
{
    fprintf(out, "usage: reform restore PATH [--db URL]\n\n"
                 "Restore a copy made by 'reform backup' into the database URL names, which\n"
                 "must be empty: a SQLite file not yet made or holding no table, or a new\n"
                 "PostgreSQL database (createdb). All of it is restored or nothing. The\n"
                 "copy's audit chain verifies with the audit key it was written with: restore\n"
                 "the keys folder beside it. Then 'reform migrate' brings an older copy's\n"
                 "schema up to date, and 'reform serve' starts on it.\n");
}

/* The command line of both: PATH and --db, then 'copy' between the database and PATH. */
static int copy_command(int argc, char **argv, void (*help)(FILE *),
                        int (*copy)(struct rf_store *, const char *, struct rf_error *),
                        const char *done)
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
        rc = copy(s, path, &err);
    rf_store_close(&s);
    if (rc != RF_OK) {
        rf_cli_print_error(&err);
        return 1;
    }
    printf("%s %s\n", done, path);
    return 0;
}

int rf_cmd_backup(int argc, char **argv)
{
    return copy_command(argc, argv, backup_help, rf_store_backup, "backed up to");
}

int rf_cmd_restore(int argc, char **argv)
{
    return copy_command(argc, argv, restore_help, rf_store_restore, "restored");
}
