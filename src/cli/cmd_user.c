/*
 * reform user add: create an official's account from the command line (the
 * first admin of a new deployment comes this way).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform user add USERNAME --name NAME --unit CODE --roles ROLES\n"
                 "                       [--password PASSWORD] [--db URL] [--province CODE]\n\n"
                 "Add a user of a province, who signs in where that province is served. ROLES\n"
                 "are joined by '|' or ',': admin, leader, secretariat, focal, clerk, officer,\n"
                 "inspector. Without --password, the first line of standard input is the\n"
                 "password (at least 10 characters). A user name is one across the database.\n\n"
                 "  --province CODE  the province, of those the database holds (default\n"
                 "                   $REFORM_PROVINCE, else the first)\n");
}

int rf_cmd_user(int argc, char **argv)
{
    struct rf_user_input in;
    const char *db = NULL;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("db", &db),
        RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_TEXT("name", &in.full_name),
        RF_CLI_OPT_TEXT("unit", &in.unit_code),
        RF_CLI_OPT_TEXT("roles", &in.roles),
        RF_CLI_OPT_TEXT("password", &in.password),
        RF_CLI_OPT_END,
    };
    struct rf_actor system;
    struct rf_user u;
    struct rf_error err;
    struct rf_app *app;
    char password[300];
    int args, rc;

    memset(&in, 0, sizeof(in));
    in.disabled = -1;
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        help(rf_cli_wants_help(argc, argv) ? stdout : stderr);
        return rf_cli_wants_help(argc, argv) ? 0 : 2;
    }
    if ((rc = rf_cli_options(argc - 1, argv + 1, opts, help, 1, &args)) >= 0)
        return rc;
    in.username = argv[1 + args];
    if (!in.unit_code) {
        fprintf(stderr, "reform: --unit CODE is required\n");
        return 2;
    }
    if (!in.password) {
        if (!fgets(password, sizeof(password), stdin)) {
            fprintf(stderr, "reform: no password on standard input\n");
            return 2;
        }
        password[strcspn(password, "\r\n")] = '\0';
        in.password = password;
    }
    app = rf_cli_open(rf_cli_db(db), 0);
    if (!app)
        return 1;
    rf_error_init(&err);
    rf_app_system_actor(app, &system);
    rc = rf_app_user_create(app, &system, &in, &u, &err);
    if (rc == RF_OK)
        printf("user %s added (id %lld)\n", u.username, (long long)u.id);
    return rf_cli_finish(&app, rc, &err);
}
