/*
 * The command line: one table of subcommands (git's builtin/), each in its
 * own cmd_<name>.c, each with --help.
 */
#ifndef RF_CLI_H
#define RF_CLI_H

#include "../app/app.h"

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
/* Open the application on 'db' (keys from rf_cli_keys) or print why not and return NULL. */
struct rf_app *rf_cli_open(const char *db, int allow_empty);
/*
 * The id of the unit with code 'code' into '*id', as 'actor' reads it today
 * (rf_app_unit_by_code: a unit that has ended is still found, read on its
 * last day). Otherwise prints why ("no unit with code X") and returns the
 * error, '*id' 0.
 */
int rf_cli_unit(struct rf_app *app, const struct rf_actor *actor, const char *code,
                int64_t *id) RF_MUST_CHECK;
/* Print the problems in 'err' as "reform: field: message" lines. */
void rf_cli_print_error(const struct rf_error *err);
/* Whether argv holds -h or --help. */
int rf_cli_wants_help(int argc, char **argv);

#endif
