/*
 * reform serve: the API and the web UI in one process.
 */
#include "cli.h"
#include "../common/log.h"
#include "../common/netaddr.h"
#include "../http/http.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(
        out,
        "usage: reform serve [--db URL] [--listen HOST:PORT] [--demo [--demo-dossiers N]]\n"
        "                    [--web DIR] [--threads N] [--cookie-secure] [--quiet] [--keys DIR]\n"
        "                    [--trusted-proxy CIDR[,CIDR]] [--conns-per-address N]\n"
        "                    [--max-conns N] [--head-timeout S] [--token-days N]\n\n"
        "Serve the JSON API under /api/v1 and the web UI.\n\n"
        "  --db URL          sqlite:PATH (default %s) or postgresql://...\n"
        "  --listen H:P      address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
        "  --demo            load the demo province into an empty database first and\n"
        "                    print its sign-ins\n"
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

static void print_signins(void)
{
    const char *p = rf_app_demo_users_csv();
    const char *line = strchr(p, '\n');

    printf("Demo sign-ins (user name / password / roles):\n");
    while (line && line[1]) {
        char user[80], name[200], unit[64], roles[80], password[80];
        line++;
        if (sscanf(line, "%79[^,],%199[^,],%63[^,],%79[^,],%79[^\r\n]", user, name, unit, roles,
                   password) == 5)
            printf("  %-18s %-22s %s\n", user, password, roles);
        line = strchr(line, '\n');
    }
    fflush(stdout);
}

/* 'text' as a whole number in [min, max] into '*out'; else a message and -1. */
static int number(const char *text, long min, long max, const char *option, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);

    if (!*text || *end || v < min || v > max) {
        fprintf(stderr, "reform: %s is a whole number from %ld to %ld\n", option, min, max);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int rf_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"demo", no_argument, NULL, 'D'},
        {"demo-dossiers", required_argument, NULL, 'n'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"cookie-secure", no_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"trusted-proxy", required_argument, NULL, 'P'},
        {"conns-per-address", required_argument, NULL, 'A'},
        {"max-conns", required_argument, NULL, 'M'},
        {"head-timeout", required_argument, NULL, 'H'},
        {"keys", required_argument, NULL, 'k'},
        {"token-days", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct rf_http_config cfg = {"127.0.0.1:8080", "web", 0, 0, 0, 0, NULL, 0, 0, 0};
    const char *db = NULL;
    struct rf_app *app;
    struct rf_error err;
    char *end;
    long demo_dossiers = 300000;
    int demo = 0, c, rc, token_days = RF_TOKEN_DEFAULT_DAYS;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            cfg.listen = optarg;
            break;
        case 'D':
            demo = 1;
            break;
        case 'n':
            demo_dossiers = strtol(optarg, &end, 10);
            if (*end || demo_dossiers < 0 || demo_dossiers > 50000000) {
                fprintf(stderr, "reform: --demo-dossiers is 0 to 50000000\n");
                return 2;
            }
            break;
        case 'w':
            cfg.web_root = optarg;
            break;
        case 't':
            cfg.threads = (int)strtol(optarg, NULL, 10);
            break;
        case 's':
            cfg.cookie_secure = 1;
            break;
        case 'q':
            cfg.quiet = 1;
            break;
        case 'k':
            rf_cli_keys(optarg);
            break;
        case 'T':
            if (number(optarg, 1, RF_TOKEN_MAX_DAYS, "--token-days", &token_days) != 0)
                return 2;
            break;
        case 'P': {
            struct rf_cidr ranges[32];
            int n;
            rf_error_init(&err);
            if (rf_cidr_parse_list(optarg, ranges, 32, &n, "--trusted-proxy", &err) != RF_OK) {
                fprintf(stderr, "reform: --trusted-proxy: %s\n", err.item[0].message);
                return 2;
            }
            cfg.trusted_proxies = optarg;
            break;
        }
        case 'A':
            if (number(optarg, 1, 1000000, "--conns-per-address", &cfg.conns_per_address) != 0)
                return 2;
            break;
        case 'M':
            if (number(optarg, 16, 1000000, "--max-conns", &cfg.max_conns) != 0)
                return 2;
            break;
        case 'H':
            if (number(optarg, 1, 3600, "--head-timeout", &cfg.head_seconds) != 0)
                return 2;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            help(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "reform: serve takes no argument '%s'\n", argv[optind]);
        return 2;
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
             (rf_log_info("generating a year of %ld demo dossiers", demo_dossiers),
              rf_app_demo_dossiers(app, (int)demo_dossiers, &err)) != RF_OK)) {
            rf_cli_print_error(&err);
            rf_app_close(&app);
            return 1;
        }
    }
    rf_app_set_token_days(app, token_days);
    if (demo)
        print_signins();
    rc = rf_http_serve(app, &cfg);
    rf_app_close(&app);
    return rc == RF_OK ? 0 : 1;
}
