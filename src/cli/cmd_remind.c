/*
 * reform remind: the daily digest of overdue tasks and tasks due soon, per
 * lead unit, printed or written as one file per unit.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform remind [--date YYYY-MM-DD] [--within N] [--unit CODE]\n"
                 "                     [--out DIR] [--db URL] [--province CODE]\n\n"
                 "Print, for each lead unit, its overdue tasks and those due within N working\n"
                 "days on the legal calendar (default 5). With --out, write one file\n"
                 "DIR/remind-CODE.txt per unit instead.\n\n"
                 "--unit CODE keeps the tasks led under that unit on --date. A code names one\n"
                 "unit for good: it is looked up as of today, and a unit that has ended (a\n"
                 "district dissolved on 1 July 2025) is still found, as of its last day.\n\n"
                 "  --province CODE  the province, of those the database holds (default\n"
                 "                   $REFORM_PROVINCE, else the first)\n");
}

struct digest {
    const char *dir;
    FILE *out;    /* where the current unit's lines go */
    int64_t unit; /* the current unit */
    int files, tasks;
    int failed;
};

static int line(void *ctx, const struct rf_unit *lead, const struct rf_task *t, int overdue)
{
    struct digest *d = ctx;

    if (d->unit != t->lead_unit_id) {
        if (d->dir) {
            char path[4096];
            if (d->out && d->out != stdout)
                fclose(d->out);
            snprintf(path, sizeof(path), "%s/remind-%s.txt", d->dir, t->lead_unit_code);
            d->out = fopen(path, "w");
            if (!d->out) {
                fprintf(stderr, "reform: cannot write %s: %s\n", path, strerror(errno));
                d->failed = 1;
                return 1;
            }
            d->files++;
        } else {
            d->out = stdout;
            if (d->unit)
                fputc('\n', d->out);
        }
        fprintf(d->out, "%s %s\n", t->lead_unit_code, lead->id ? lead->name : "");
        d->unit = t->lead_unit_id;
    }
    fprintf(d->out, "  %-8s %s  %-14s %s\n", overdue ? "OVERDUE" : "DUE", t->deadline,
            t->ref[0] ? t->ref : "-", t->title);
    d->tasks++;
    return 0;
}

int rf_cmd_remind(int argc, char **argv)
{
    struct digest d;
    const char *db = NULL, *date = NULL, *unit_code = NULL;
    int within = 5, args, rc;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("db", &db),
        RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_TEXT("date", &date),
        RF_CLI_OPT_NUMBER("within", &within, 0, 366, "is 0 to 366 working days"),
        RF_CLI_OPT_TEXT("unit", &unit_code),
        RF_CLI_OPT_TEXT("out", &d.dir),
        RF_CLI_OPT_END,
    };
    struct rf_actor system;
    struct rf_error err;
    struct rf_app *app;
    char due_by[RF_DATE_LEN];
    int64_t unit_id;

    memset(&d, 0, sizeof(d));
    if ((rc = rf_cli_options(argc, argv, opts, help, 0, &args)) >= 0)
        return rc;
    app = rf_cli_open_at_unit(rf_cli_db(db), &system, unit_code, &unit_id);
    if (!app)
        return 1;
    rf_error_init(&err);
    rc = rf_app_task_reminders(app, &system, date, within, unit_id, due_by, line, &d, &err);
    if (d.out && d.out != stdout)
        fclose(d.out);
    if (rc != RF_OK)
        rf_cli_print_error(&err);
    else if (d.dir)
        printf("%d tasks in %d files under %s (due by %s)\n", d.tasks, d.files, d.dir, due_by);
    else if (d.tasks == 0)
        printf("nothing overdue or due by %s\n", due_by);
    rf_app_close(&app);
    return rc == RF_OK && !d.failed ? 0 : 1;
}
