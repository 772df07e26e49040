/*
 * reform: the one binary. Dispatches to the subcommands in one table.
 */
#include "cli.h"
#include "../common/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef RF_VERSION
#define RF_VERSION "dev"
#endif

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"serve", rf_cmd_serve, "serve the API and the web UI"},
    {"migrate", rf_cmd_migrate, "bring the database schema up to date"},
    {"user", rf_cmd_user, "add a user (reform user add ...)"},
    {"import", rf_cmd_import, "import units, documents, tasks or progress from CSV"},
    {"audit", rf_cmd_audit, "check the audit chain (reform audit verify)"},
    {"backup", rf_cmd_backup, "copy the database while it is in use"},
    {"restore", rf_cmd_restore, "restore a copy made by backup into an empty database"},
    {"remind", rf_cmd_remind, "print the digest of overdue tasks and tasks due soon"},
    {"report", rf_cmd_report, "the steering committee's report for a period"},
    {"calendar", rf_cmd_calendar, "working days, holidays, due times and lunar dates"},
    {"demo", rf_cmd_demo, "generate demo dossiers (reform demo dossiers --count N)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
    fprintf(out, "usage: reform COMMAND [OPTIONS]\n\n"
                 "Reform, the administrative-reform platform of a province.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nEvery command takes --db URL: sqlite:PATH (default %s) or\n"
            "postgresql://USER@HOST:PORT/NAME; $REFORM_DB sets the default. A database\n"
            "may hold several provinces: the commands that act on one take --province\n"
            "CODE ($REFORM_PROVINCE; default: the database's first province).\n"
            "'reform COMMAND --help' tells more.\n",
            RF_DEFAULT_DB);
}

int rf_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

const char *rf_cli_db(const char *given)
{
    const char *db = given ? given : getenv("REFORM_DB");

    if (!db || !*db) {
        db = RF_DEFAULT_DB;
        if (mkdir("var", 0750) != 0 && errno != EEXIST)
            fprintf(stderr, "reform: cannot create var/: %s\n", strerror(errno));
    }
    return db;
}

void rf_cli_print_error(const struct rf_error *err)
{
    if (!err || err->n == 0) {
        fprintf(stderr, "reform: failed\n");
        return;
    }
    for (int i = 0; i < err->n; i++) {
        if (err->item[i].field[0])
            fprintf(stderr, "reform: %s: %s\n", err->item[i].field, err->item[i].message);
        else
            fprintf(stderr, "reform: %s\n", err->item[i].message);
    }
}

const char *rf_cli_keys(const char *given)
{
    static const char *chosen;
    const char *env = getenv("REFORM_KEYS");

    if (given)
        chosen = given;
    if (chosen)
        return chosen;
    return env && *env ? env : RF_DEFAULT_KEYS;
}

const char *rf_cli_province(const char *given)
{
    static const char *chosen;
    const char *env = getenv("REFORM_PROVINCE");

    if (given)
        chosen = given;
    if (chosen)
        return chosen;
    return env && *env ? env : NULL;
}

struct rf_app *rf_cli_open(const char *db, int allow_empty)
{
    struct rf_app_config cfg = {db, 16, rf_cli_province(NULL), rf_cli_keys(NULL)};
    struct rf_app *app = NULL;
    struct rf_error err;

    rf_error_init(&err);
    if (rf_app_open(&cfg, allow_empty, &app, &err) != RF_OK) {
        rf_cli_print_error(&err);
        return NULL;
    }
    return app;
}

struct rf_app *rf_cli_open_at_unit(const char *db, struct rf_actor *system, const char *code,
                                   int64_t *unit_id)
{
    struct rf_app *app = rf_cli_open(db, 0);
    struct rf_error err;
    struct rf_unit u;
    int rc;

    *unit_id = 0;
    if (!app)
        return NULL;
    rf_app_system_actor(app, system);
    if (!code)
        return app;
    rf_error_init(&err);
    /* as of today: a code names one unit for good, and one that ended is read on its last day */
    rc = rf_app_unit_by_code(app, system, code, NULL, &u, &err);
    if (rc == RF_OK) {
        *unit_id = u.id;
        return app;
    }
    if (rc == RF_ENOTFOUND)
        fprintf(stderr, "reform: no unit with code %s\n", code);
    else
        rf_cli_print_error(&err);
    rf_app_close(&app);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("reform %s\n", RF_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "reform: '%s' is not a command; see 'reform --help'\n", argv[1]);
    return 2;
}
