/*
 * reform migrate: apply the migrations the database lacks.
 */
#include "cli.h"

#include <stdio.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform migrate [--db URL]\n\n"
                 "Apply every schema migration the database lacks, each in its own\n"
                 "transaction. 'serve' does this too on start.\n");
}

int rf_cmd_migrate(int argc, char **argv)
{
    const char *db = NULL;
    const struct rf_cli_option opts[] = {RF_CLI_OPT_TEXT("db", &db), RF_CLI_OPT_END};
    struct rf_store *s = NULL;
    struct rf_error err;
    int args, rc, applied = 0, version = 0;

    if ((rc = rf_cli_options(argc, argv, opts, help, 0, &args)) >= 0)
        return rc;
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
