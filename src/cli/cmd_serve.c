/*
 * reform serve: the API and the web UI in one process.
 */
#include "cli.h"
#include "../common/log.h"
#include "../common/netaddr.h"
#include "../http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(out,
            "usage: reform serve [--db URL] [--province CODE] [--listen HOST:PORT]\n"
            "                    [--demo [--demo-dossiers N]] [--web DIR] [--threads N]\n"
            "                    [--cookie-secure] [--quiet] [--keys DIR]\n"
            "                    [--trusted-proxy CIDR[,CIDR]] [--conns-per-address N]\n"
            "                    [--max-conns N] [--head-timeout S] [--token-days N]\n\n"
            "Serve the JSON API under /api/v1 and the web UI, for one province.\n\n"
            "  --db URL          sqlite:PATH (default %s) or postgresql://...\n"
            "  --province CODE   the province served, of those the database holds (default\n"
            "                    $REFORM_PROVINCE, else the first); its users alone sign in\n"
            "  --listen H:P      address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
            "  --demo            load the demo province first if the database lacks it, and\n"
            "                    print its sign-ins; with --province CODE other than 42, the\n"
            "                    demo's data as province CODE, its sign-ins ending in .CODE\n"
            "  --demo-dossiers N with --demo: a year of N one-stop dossiers (default\n"
            "                    300000; 0 for none)\n"
            "  --web DIR         folder of the web UI (default: web)\n"
            "  --threads N       server threads (default: 4 per core; a change other than\n"
            "                    a receipt holds one while it waits for its flush)\n"
            "  --cookie-secure   mark the session cookie Secure and send HSTS (when served\n"
            "                    over TLS)\n"
            "  --quiet           no request log\n"
            "  --token-days N    the life of a bearer token issued without one (default 90)\n"
            "  --keys DIR        the keys kept outside the database (default $REFORM_KEYS or\n"
            "                    %s; the audit key is made there on first start)\n"
            "  --trusted-proxy CIDR[,CIDR]\n"
            "                    proxies whose X-Forwarded-For names the client (the\n"
            "                    rightmost address they did not add); attempt limits and\n"
            "                    the log then count clients, not the proxy\n"
            "  --conns-per-address N\n"
            "                    connections at once from one address (default 128;\n"
            "                    trusted proxies are not counted)\n"
            "  --max-conns N     connections at once in all (default 8192)\n"
            "  --head-timeout S  seconds a new connection has to send its request line and\n"
            "                    headers (default 10)\n",
            RF_DEFAULT_DB, RF_DEFAULT_KEYS);
}

static void print_signins(const struct rf_app *app)
{
    const char *p = rf_app_demo_users_csv();
    const char *line = strchr(p, '\n');

    printf("Demo sign-ins of province %s (user name / password / roles):\n",
           rf_app_province(app)->code);
    while (line && line[1]) {
        char user[80], name[200], unit[64], roles[80], password[80];
        char signin[RF_USERNAME_MAX + 1];
        line++;
        if (sscanf(line, "%79[^,],%199[^,],%63[^,],%79[^,],%79[^\r\n]", user, name, unit, roles,
                   password) == 5) {
            rf_app_demo_username(app, user, signin);
            printf("  %-18s demo-%-17s %s\n", signin, signin, roles);
        }
        line = strchr(line, '\n');
    }
    fflush(stdout);
}

int rf_cmd_serve(int argc, char **argv)
{
    struct rf_http_config cfg = {"127.0.0.1:8080", "web", 0, 0, 0, 0, NULL, 0, 0, 0};
    const char *db = NULL;
    int demo = 0, demo_dossiers = 300000, token_days = RF_TOKEN_DEFAULT_DAYS, args, rc;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("db", &db),
        RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_TEXT("listen", &cfg.listen),
        RF_CLI_OPT_FLAG("demo", &demo),
        RF_CLI_OPT_NUMBER("demo-dossiers", &demo_dossiers, 0, 50000000, "is 0 to 50000000"),
        RF_CLI_OPT_TEXT("web", &cfg.web_root),
        RF_CLI_OPT_NUMBER("threads", &cfg.threads, 0, 1024, NULL),
        RF_CLI_OPT_FLAG("cookie-secure", &cfg.cookie_secure),
        RF_CLI_OPT_FLAG("quiet", &cfg.quiet),
        RF_CLI_OPT_TEXT("trusted-proxy", &cfg.trusted_proxies),
        RF_CLI_OPT_NUMBER("conns-per-address", &cfg.conns_per_address, 1, 1000000, NULL),
        RF_CLI_OPT_NUMBER("max-conns", &cfg.max_conns, 16, 1000000, NULL),
        RF_CLI_OPT_NUMBER("head-timeout", &cfg.head_seconds, 1, 3600, NULL),
        RF_CLI_OPT_KEYS("keys"),
        RF_CLI_OPT_NUMBER("token-days", &token_days, 1, RF_TOKEN_MAX_DAYS, NULL),
        RF_CLI_OPT_END,
    };
    struct rf_app *app;
    struct rf_error err;

    if ((rc = rf_cli_options(argc, argv, opts, help, -1, &args)) >= 0)
        return rc;
    if (args < argc) {
        fprintf(stderr, "reform: serve takes no argument '%s'\n", argv[args]);
        return 2;
    }
    if (cfg.trusted_proxies) {
        struct rf_cidr ranges[32];
        int n;
        rf_error_init(&err);
        if (rf_cidr_parse_list(cfg.trusted_proxies, ranges, 32, &n, "--trusted-proxy", &err) !=
            RF_OK) {
            fprintf(stderr, "reform: --trusted-proxy: %s\n", err.item[0].message);
            return 2;
        }
    }
    if (access(cfg.web_root, R_OK) != 0)
        rf_log_warn("the web UI folder '%s' is missing: only the API is served", cfg.web_root);
    app = rf_cli_open(rf_cli_db(db), demo);
    if (!app)
        return 1;
    if (demo && !rf_app_province(app)) {
        rf_error_init(&err);
        rf_log_info("loading the demo province");
        if (rf_app_demo_load(app, &err) != RF_OK ||
            (demo_dossiers > 0 &&
             (rf_log_info("generating a year of %d demo dossiers", demo_dossiers),
              rf_app_demo_dossiers(app, demo_dossiers, &err)) != RF_OK)) {
            rf_cli_print_error(&err);
            rf_app_close(&app);
            return 1;
        }
    }
    rf_app_set_token_days(app, token_days);
    if (demo)
        print_signins(app);
    rc = rf_http_serve(app, &cfg);
    rf_app_close(&app);
    return rc == RF_OK ? 0 : 1;
}
