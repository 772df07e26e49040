/*
 * The options of a subcommand, read by one table: each command names its
 * options, where each value goes and a number's range, and this file does
 * the getopt_long loop, --help and the usage errors for all of them.
 */
#include "cli.h"
#include "../core/unit.h"

#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_OPTIONS 24

/* 'text' as a whole number in the option's range into its int; else a message and -1. */
static int number(const struct rf_cli_option *o, const char *text)
{
    char *end;
    long v = strtol(text, &end, 10);

    if (!*text || *end || v < o->min || v > o->max) {
        if (o->range)
            fprintf(stderr, "reform: --%s %s\n", o->name, o->range);
        else
            fprintf(stderr, "reform: --%s is a whole number from %ld to %ld\n", o->name, o->min,
                    o->max);
        return -1;
    }
    *(int *)o->to = (int)v;
    return 0;
}

int rf_cli_options(int argc, char **argv, const struct rf_cli_option *opts, void (*help)(FILE *),
                   int want, int *args)
{
    struct option table[MAX_OPTIONS + 2];
    int n = 0, c;

    for (; opts[n].name; n++) {
        assert(n < MAX_OPTIONS);
        table[n].name = opts[n].name;
        table[n].has_arg = opts[n].kind == RF_CLI_FLAG ? no_argument : required_argument;
        table[n].flag = NULL;
        table[n].val = 256 + n;
    }
    table[n] = (struct option){"help", no_argument, NULL, 'h'};
    table[n + 1] = (struct option){NULL, 0, NULL, 0};
    optind = 0; /* a fresh scan from argv[1], whoever scanned before */
    while ((c = getopt_long(argc, argv, "h", table, NULL)) != -1) {
        const struct rf_cli_option *o;
        if (c == 'h') {
            help(stdout);
            return 0;
        }
        if (c < 256 || c >= 256 + n) { /* getopt_long has said what was wrong */
            help(stderr);
            return 2;
        }
        o = &opts[c - 256];
        switch (o->kind) {
        case RF_CLI_TEXT:
            *(const char **)o->to = optarg;
            break;
        case RF_CLI_FLAG:
            *(int *)o->to = 1;
            break;
        case RF_CLI_NUMBER:
            if (number(o, optarg) != 0)
                return 2;
            break;
        case RF_CLI_KEYS:
            rf_cli_keys(optarg);
            break;
        case RF_CLI_PROVINCE:
            if (rf_unit_code_check(optarg) != RF_OK) {
                fprintf(stderr, "reform: --%s is a province's unit code, such as 42\n", o->name);
                return 2;
            }
            rf_cli_province(optarg);
            break;
        }
    }
    if (want >= 0 && argc - optind != want) {
        help(stderr);
        return 2;
    }
    *args = optind;
    return -1;
}

int rf_cli_finish(struct rf_app **app, int rc, const struct rf_error *err)
{
    if (rc != RF_OK)
        rf_cli_print_error(err);
    rf_app_close(app);
    return rc == RF_OK ? 0 : 1;
}
