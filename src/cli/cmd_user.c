/*
 * reform user add: create an official's account from the command line (the
 * first admin of a new deployment comes this way).
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform user add USERNAME --name NAME --unit CODE --roles ROLES\n"
                 "                       [--password PASSWORD] [--db URL]\n\n"
                 "Add a user. ROLES are joined by '|' or ',': admin, leader, secretariat,\n"
                 "focal, clerk, officer, inspector. Without --password, the first line of\n"
                 "standard input is the password (at least 10 characters).\n");
}

int rf_cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"name", required_argument, NULL, 'n'},
        {"unit", required_argument, NULL, 'u'},
        {"roles", required_argument, NULL, 'r'},
        {"password", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct rf_user_input in;
    struct rf_actor system;
    struct rf_user u;
    struct rf_error err;
    struct rf_app *app;
    const char *db = NULL;
    char password[300];
    int c, rc;

    memset(&in, 0, sizeof(in));
    in.disabled = -1;
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        help(rf_cli_wants_help(argc, argv) ? stdout : stderr);
        return rf_cli_wants_help(argc, argv) ? 0 : 2;
    }
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            in.full_name = optarg;
            break;
        case 'u':
            in.unit_code = optarg;
            break;
        case 'r':
            in.roles = optarg;
            break;
        case 'p':
            in.password = optarg;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            help(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        help(stderr);
        return 2;
    }
    in.username = argv[optind];
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
    else
        rf_cli_print_error(&err);
    rf_app_close(&app);
    return rc == RF_OK ? 0 : 1;
}
