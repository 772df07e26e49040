/*
 * The command line: one table of subcommands (git's builtin/), each in its
 * own cmd_<name>.c, each with --help.
 */
#ifndef RF_CLI_H
#define RF_CLI_H

#include "../app/app.h"

#include <stdio.h>

#define RF_DEFAULT_DB "sqlite:var/reform.db"

/*
 * The subcommands, each in its cmd_<name>.c, called with the arguments after
 * "reform" (argv[0] is the subcommand's name). Each answers --help, prints
 * its own errors, and returns the process's exit status: 0, 1 when it failed,
 * 2 for a usage error.
 */
int rf_cmd_serve(int argc, char **argv);
int rf_cmd_migrate(int argc, char **argv);
int rf_cmd_user(int argc, char **argv);
int rf_cmd_import(int argc, char **argv);
int rf_cmd_audit(int argc, char **argv);
int rf_cmd_backup(int argc, char **argv);
int rf_cmd_restore(int argc, char **argv); /* in cmd_backup.c, beside backup */
int rf_cmd_remind(int argc, char **argv);
int rf_cmd_report(int argc, char **argv);
int rf_cmd_calendar(int argc, char **argv);
int rf_cmd_demo(int argc, char **argv);

/* The --db value, or $REFORM_DB, or the default; makes var/ for the default. */
const char *rf_cli_db(const char *given);
/*
 * The keys folder: 'given' (a command's --keys, remembered for rf_cli_open),
 * or the one given before, or $REFORM_KEYS, or RF_DEFAULT_KEYS.
 */
const char *rf_cli_keys(const char *given);
/*
 * The province a command acts on: 'given' (a command's --province, remembered
 * for rf_cli_open), or the one given before, or $REFORM_PROVINCE, or NULL for
 * the database's first province.
 */
const char *rf_cli_province(const char *given);
/*
 * Open the application on 'db' for the province of rf_cli_province (keys
 * from rf_cli_keys) or print why not and return NULL.
 */
struct rf_app *rf_cli_open(const char *db, int allow_empty);
/*
 * Open the application on 'db' for the system actor ('*system'), and when
 * 'code' is not NULL find the unit with that code into '*unit_id' as of
 * today (rf_app_unit_by_code: a unit that has ended is still found, read on
 * its last day); '*unit_id' is 0 without a code. NULL when either fails, the
 * reason printed ("no unit with code X").
 */
struct rf_app *rf_cli_open_at_unit(const char *db, struct rf_actor *system, const char *code,
                                   int64_t *unit_id);
/* What an option of a subcommand reads into. */
enum rf_cli_kind {
    RF_CLI_TEXT,     /* 'to' is a const char **: the value as given */
    RF_CLI_FLAG,     /* 'to' is an int *, set to 1; the option takes no value */
    RF_CLI_NUMBER,   /* 'to' is an int *: a whole number from 'min' to 'max' */
    RF_CLI_KEYS,     /* the keys folder, handed to rf_cli_keys; 'to' is unused */
    RF_CLI_PROVINCE, /* the province's code, handed to rf_cli_province; 'to' is unused */
};

/* One option: --name, its kind and where its value goes. */
struct rf_cli_option {
    const char *name; /* without the dashes; NULL ends a table */
    enum rf_cli_kind kind;
    void *to;
    long min, max;     /* RF_CLI_NUMBER's range */
    const char *range; /* RF_CLI_NUMBER: what follows "--name" when out of range, or NULL for
                          "is a whole number from MIN to MAX" */
};

/* The rows of an option table. */
#define RF_CLI_OPT_TEXT(name, to)                                                                  \
    {                                                                                              \
        (name), RF_CLI_TEXT, (to), 0, 0, NULL                                                      \
    }
#define RF_CLI_OPT_FLAG(name, to)                                                                  \
    {                                                                                              \
        (name), RF_CLI_FLAG, (to), 0, 0, NULL                                                      \
    }
#define RF_CLI_OPT_NUMBER(name, to, min, max, range)                                               \
    {                                                                                              \
        (name), RF_CLI_NUMBER, (to), (min), (max), (range)                                         \
    }
#define RF_CLI_OPT_KEYS(name)                                                                      \
    {                                                                                              \
        (name), RF_CLI_KEYS, NULL, 0, 0, NULL                                                      \
    }
#define RF_CLI_OPT_PROVINCE(name)                                                                  \
    {                                                                                              \
        (name), RF_CLI_PROVINCE, NULL, 0, 0, NULL                                                  \
    }
#define RF_CLI_OPT_END                                                                             \
    {                                                                                              \
        NULL, RF_CLI_TEXT, NULL, 0, 0, NULL                                                        \
    }

/*
 * Read the options in argv (argv[0] the subcommand's name, the others in any
 * order) by 'opts'; -h and --help are understood without being listed.
 * 'want' is how many arguments that are not options the command takes, or
 * -1 for the caller to judge. Returns -1 when the command goes on, with
 * '*args' the index of its first argument that is not an option (getopt_long
 * moves them to the end). Else returns the exit status: 0 once help(stdout)
 * is printed for --help; 2 for an unknown option, a missing value (getopt_long
 * says which) or another count of arguments than 'want' (each then followed
 * by help(stderr)), or a number out of range or a province code that is no
 * unit code (a "reform: --name ..." line).
 */
int rf_cli_options(int argc, char **argv, const struct rf_cli_option *opts, void (*help)(FILE *),
                   int want, int *args) RF_MUST_CHECK;
/*
 * The end of a command that opened the application: print 'err' when 'rc'
 * is not RF_OK, close '*app' and return the exit status (0, or 1).
 */
int rf_cli_finish(struct rf_app **app, int rc, const struct rf_error *err);
/* Print the problems in 'err' as "reform: field: message" lines. */
void rf_cli_print_error(const struct rf_error *err);
/* Whether argv holds -h or --help. */
int rf_cli_wants_help(int argc, char **argv);

#endif
