/*
 * reform import KIND FILE: bulk data from CSV, all rows or none.
 */
#include "cli.h"
#include "../common/buf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out,
            "usage: reform import units|documents|tasks|progress|procedures FILE.csv [--db URL]\n"
            "                    [--province CODE]\n\n"
            "Import rows in one transaction: every row or none. The units' header is\n"
            "code,name,kind,parent_code,valid_from,valid_to,successor_code,generated\n"
            "A code seen again places the same unit under another parent for another period.\n"
            "Into an empty database the province's own row comes first; so it does into a\n"
            "database of other provinces, with --province and its code. The procedures'\n"
            "header is code,version_from,name,field,level,days,hours,fee,online,papers,\n"
            "steps,source, the steps written name|unit|allowance;... (0.25d, 2h) adding\n"
            "up to the total; see data/demo/ for every kind.\n\n"
            "  --province CODE  the province, of those the database holds or the one the\n"
            "                   units make (default $REFORM_PROVINCE, else the first)\n");
}

static int read_file(const char *path, struct rf_buf *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char chunk[65536];
    size_t n;

    if (!f) {
        fprintf(stderr, "reform: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rf_buf_add(out, chunk, n);
    if (ferror(f)) {
        fprintf(stderr, "reform: cannot read %s: %s\n", path, strerror(errno));
        if (f != stdin)
            fclose(f);
        return -1;
    }
    if (f != stdin)
        fclose(f);
    if (strlen(rf_buf_str(out)) != out->len) {
        fprintf(stderr, "reform: %s holds NUL bytes: not a CSV text file\n", path);
        return -1;
    }
    return 0;
}

int rf_cmd_import(int argc, char **argv)
{
    const char *db = NULL, *kind;
    const struct rf_cli_option opts[] = {RF_CLI_OPT_TEXT("db", &db),
                                         RF_CLI_OPT_PROVINCE("province"), RF_CLI_OPT_END};
    struct rf_buf text = RF_BUF_INIT;
    struct rf_actor system;
    struct rf_error err;
    struct rf_app *app;
    int args, rc, count = 0;

    if ((rc = rf_cli_options(argc, argv, opts, help, 2, &args)) >= 0)
        return rc;
    kind = argv[args];
    if (strcmp(kind, "units") != 0 && strcmp(kind, "documents") != 0 &&
        strcmp(kind, "tasks") != 0 && strcmp(kind, "progress") != 0 &&
        strcmp(kind, "procedures") != 0) {
        fprintf(stderr,
                "reform: cannot import '%s': units, documents, tasks, progress or procedures\n",
                kind);
        return 2;
    }
    if (read_file(argv[args + 1], &text) != 0)
        return 1;
    app = rf_cli_open(rf_cli_db(db), 1);
    if (!app) {
        rf_buf_cleanup(&text);
        return 1;
    }
    rf_error_init(&err);
    rf_app_system_actor(app, &system);
    if (strcmp(kind, "units") == 0)
        rc = rf_app_units_import(app, &system, rf_buf_str(&text), &count, &err);
    else if (!rf_app_province(app))
        rc = rf_error_set(&err, RF_EINVAL, "db", "empty", "import the units first");
    else if (strcmp(kind, "documents") == 0)
        rc = rf_app_documents_import(app, &system, rf_buf_str(&text), &count, &err);
    else if (strcmp(kind, "tasks") == 0)
        rc = rf_app_tasks_import(app, &system, rf_buf_str(&text), &count, &err);
    else if (strcmp(kind, "procedures") == 0)
        rc = rf_app_procedures_import(app, &system, rf_buf_str(&text), &count, &err);
    else
        rc = rf_app_progress_import(app, &system, rf_buf_str(&text), &count, &err);
    if (rc == RF_OK)
        printf("%d rows imported\n", count);
    rf_buf_cleanup(&text);
    return rf_cli_finish(&app, rc, &err);
}
