/*
 * reform remind: the daily digest of overdue tasks and tasks due soon, per
 * lead unit, printed or written as one file per unit.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform remind [--date YYYY-MM-DD] [--within N] [--unit CODE]\n"
                 "                     [--out DIR] [--db URL]\n\n"
                 "Print, for each lead unit, its overdue tasks and those due within N working\n"
                 "days on the legal calendar (default 5). With --out, write one file\n"
                 "DIR/remind-CODE.txt per unit instead.\n\n"
                 "--unit CODE keeps the tasks led under that unit on --date. A code names one\n"
                 "unit for good: it is looked up as of today, and a unit that has ended (a\n"
                 "district dissolved on 1 July 2025) is still found, as of its last day.\n");
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
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"date", required_argument, NULL, 'D'},
        {"within", required_argument, NULL, 'w'},
        {"unit", required_argument, NULL, 'u'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct digest d;
    struct rf_actor system;
    struct rf_error err;
    struct rf_app *app;
    const char *db = NULL, *date = NULL, *unit_code = NULL;
    char due_by[RF_DATE_LEN], *end;
    int64_t unit_id = 0;
    long within = 5;
    int c, rc;

    memset(&d, 0, sizeof(d));
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'D':
            date = optarg;
            break;
        case 'w':
            within = strtol(optarg, &end, 10);
            if (*end || within < 0 || within > 366) {
                fprintf(stderr, "reform: --within is 0 to 366 working days\n");
                return 2;
            }
            break;
        case 'u':
            unit_code = optarg;
            break;
        case 'o':
            d.dir = optarg;
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
        help(stderr);
        return 2;
    }
    app = rf_cli_open(rf_cli_db(db), 0);
    if (!app)
        return 1;
    rf_error_init(&err);
    rf_app_system_actor(app, &system);
    if (unit_code && rf_cli_unit(app, &system, unit_code, &unit_id) != RF_OK) {
        rf_app_close(&app);
        return 1;
    }
    rc = rf_app_task_reminders(app, &system, date, (int)within, unit_id, due_by, line, &d, &err);
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
