/*
 * reform calendar: the legal working calendar. "holidays" prints a year's
 * days off on weekdays and its rest days worked; "due" prints when an
 * allowance received at a time falls due; "to-lunar" and "to-solar" convert
 * dates; "record" records a year's announcement from CSV (the admin's page
 * does the same).
 */
#include "cli.h"
#include "../common/mem.h"
#include "../core/lunar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out, "usage: reform calendar holidays YEAR [--db URL] [--province CODE]\n"
                 "       reform calendar due --from 'YYYY-MM-DD HH:MM' (--days N | --hours N)\n"
                 "                           [--cutoff HH:MM] [--db URL] [--province CODE]\n"
                 "       reform calendar to-lunar DATE...\n"
                 "       reform calendar to-solar LUNARDATE...\n"
                 "       reform calendar record YEAR FILE --source TEXT [--db URL]\n"
                 "                              [--province CODE]\n\n"
                 "holidays  each weekday off and each rest day worked in YEAR, one per line:\n"
                 "          YYYY-MM-DD<TAB>kind<TAB>name (kind: holiday, compensation, swap_off,\n"
                 "          makeup); the year as recorded, else as shipped, else the Labour\n"
                 "          Code's default\n"
                 "due       the legal due time, YYYY-MM-DD HH:MM: --days N working days not\n"
                 "          counting the day of receipt, or --hours N working hours (0.25, 1.5)\n"
                 "          from the time of receipt; received after --cutoff counts from the\n"
                 "          next working day\n"
                 "to-lunar  the Vietnamese lunar date of each YYYY-MM-DD, one per line\n"
                 "          (YYYY-MM-DD, with L after a leap month: 2023-02L-01)\n"
                 "to-solar  the Gregorian date of each lunar date, one per line\n"
                 "record    record YEAR's announcement from a CSV file with the columns\n"
                 "          date,kind,name,source; --source names the announcement\n\n"
                 "--province CODE: the province whose calendar is read or recorded, of those\n"
                 "the database holds (default $REFORM_PROVINCE, else the first).\n");
}

static int holidays(int argc, char **argv, const char *db)
{
    struct rf_calendar_year *y;
    struct rf_error err;
    struct rf_app *app;
    char *end;
    long year;
    int rc;

    if (argc != 1) {
        help(stderr);
        return 2;
    }
    year = strtol(argv[0], &end, 10);
    if (*end || end == argv[0]) {
        fprintf(stderr, "reform: YEAR is a number, like 2026\n");
        return 2;
    }
    /* without a province: as shipped or proposed; a province named must be there */
    app = rf_cli_open(rf_cli_db(db), rf_cli_province(NULL) == NULL);
    if (!app)
        return 1;
    rf_error_init(&err);
    y = rf_xmalloc(sizeof(*y));
    rc = rf_app_calendar_year(app, (int)year, y, &err);
    if (rc == RF_OK) {
        for (int i = 0; i < y->n; i++) {
            char date[11];
            rf_date_format(y->days[i].date, date);
            printf("%s\t%s\t%s\n", date, rf_day_kind_name(y->days[i].kind), y->days[i].name);
        }
    }
    free(y);
    return rf_cli_finish(&app, rc, &err);
}

static int due(int argc, char **argv, const char *db)
{
    const char *from = NULL, *days = NULL, *hours = NULL, *cutoff = NULL;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("from", &from),
        RF_CLI_OPT_TEXT("days", &days),
        RF_CLI_OPT_TEXT("hours", &hours),
        RF_CLI_OPT_TEXT("cutoff", &cutoff),
        RF_CLI_OPT_TEXT("db", &db),
        RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_END,
    };
    struct rf_error err;
    struct rf_app *app;
    char when[17];
    int args, rc;

    /* the sub-subcommand's own options, from argv[1] on */
    if ((rc = rf_cli_options(argc, argv, opts, help, 0, &args)) >= 0)
        return rc;
    if (!from || !days == !hours) {
        help(stderr);
        return 2;
    }
    app = rf_cli_open(rf_cli_db(db), rf_cli_province(NULL) == NULL);
    if (!app)
        return 1;
    rf_error_init(&err);
    rc = rf_app_calendar_due(app, from, days, hours, cutoff, when, &err);
    if (rc == RF_OK)
        printf("%s\n", when);
    return rf_cli_finish(&app, rc, &err);
}

static int to_lunar(int argc, char **argv)
{
    int failed = 0;

    if (argc < 1) {
        help(stderr);
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        struct rf_date d;
        struct rf_lunar_date l;
        char out[RF_LUNAR_LEN];
        if (rf_date_parse(argv[i], &d) != RF_OK || rf_lunar_from_solar(d, &l) != RF_OK) {
            fprintf(stderr, "reform: %s: not a date YYYY-MM-DD from %d to %d\n", argv[i],
                    RF_DATE_MIN_YEAR, RF_DATE_MAX_YEAR);
            failed = 1;
            continue;
        }
        rf_lunar_format(l, out);
        printf("%s\n", out);
    }
    return failed;
}

static int to_solar(int argc, char **argv)
{
    int failed = 0;

    if (argc < 1) {
        help(stderr);
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        struct rf_lunar_date l;
        struct rf_date d;
        char out[11];
        if (rf_lunar_parse(argv[i], &l) != RF_OK) {
            fprintf(stderr, "reform: %s: not a lunar date YYYY-MM-DD or YYYY-MML-DD\n", argv[i]);
            failed = 1;
            continue;
        }
        if (rf_lunar_to_solar(l, &d) != RF_OK) {
            fprintf(stderr,
                    "reform: %s: no such lunar date (a leap month the year lacks, or day "
                    "30 of a 29-day month)\n",
                    argv[i]);
            failed = 1;
            continue;
        }
        rf_date_format(d, out);
        printf("%s\n", out);
    }
    return failed;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct rf_buf b = RF_BUF_INIT;
    char chunk[8192];
    size_t n;

    if (!f) {
        fprintf(stderr, "reform: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rf_buf_add(&b, chunk, n);
    fclose(f);
    return rf_buf_detach(&b, &n);
}

static int record(int argc, char **argv, const char *db)
{
    const char *source = NULL, *why, *path;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("source", &source),
        RF_CLI_OPT_TEXT("db", &db),
        RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_END,
    };
    struct rf_calendar_day *days;
    struct rf_actor system;
    struct rf_error err;
    struct rf_buf out = RF_BUF_INIT;
    struct rf_app *app;
    char *text, *end;
    long year;
    int args, n = 0, rc = RF_OK, bad_line;

    if ((rc = rf_cli_options(argc, argv, opts, help, 2, &args)) >= 0)
        return rc;
    rc = RF_OK;
    if (!source) {
        help(stderr);
        return 2;
    }
    path = argv[args + 1];
    year = strtol(argv[args], &end, 10);
    if (*end || end == argv[args]) {
        fprintf(stderr, "reform: YEAR is a number, like 2026\n");
        return 2;
    }
    text = read_file(path);
    if (!text)
        return 1;
    days = rf_xcalloc(RF_CALENDAR_MAX_DAYS, sizeof(*days));
    if (rf_calendar_csv_read(text, days, RF_CALENDAR_MAX_DAYS, &n, &bad_line, &why) != RF_OK) {
        fprintf(stderr, "reform: %s, line %d: %s\n", path, bad_line, why);
        rc = RF_EINVAL;
    }
    free(text);
    if (rc == RF_OK && (app = rf_cli_open(rf_cli_db(db), 0)) != NULL) {
        rf_error_init(&err);
        rf_app_system_actor(app, &system);
        rc = rf_app_calendar_record(app, &system, (int)year, source, days, n, &out, &err);
        if (rc == RF_OK)
            printf("recorded %d days for %ld\n", n, year);
        else
            rf_cli_print_error(&err);
        rf_buf_cleanup(&out);
        rf_app_close(&app);
    } else if (rc == RF_OK) {
        rc = RF_EIO;
    }
    free(days);
    return rc == RF_OK ? 0 : 1;
}

int rf_cmd_calendar(int argc, char **argv)
{
    const char *db = NULL;

    if (argc < 2 || rf_cli_wants_help(argc, argv)) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    /* holidays YEAR [--db URL] [--province CODE]: plain arguments, the options anywhere */
    if (strcmp(argv[1], "holidays") == 0) {
        char *rest[2];
        int n = 0;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
                db = argv[++i];
            else if (strncmp(argv[i], "--db=", 5) == 0)
                db = argv[i] + 5;
            else if (strcmp(argv[i], "--province") == 0 && i + 1 < argc)
                rf_cli_province(argv[++i]);
            else if (n < 2)
                rest[n++] = argv[i];
            else
                n = 3;
        }
        return n > 2 ? (help(stderr), 2) : holidays(n, rest, db);
    }
    if (strcmp(argv[1], "due") == 0)
        return due(argc - 1, argv + 1, db);
    if (strcmp(argv[1], "to-lunar") == 0 || strcmp(argv[1], "to-solar") == 0) {
        /* pure conversions: a --db given out of habit is ignored */
        int n = 0;
        for (int i = 2; i < argc; i++) {
            if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
                i++;
            else if (strncmp(argv[i], "--db=", 5) != 0)
                argv[2 + n++] = argv[i];
        }
        return argv[1][3] == 'l' ? to_lunar(n, argv + 2) : to_solar(n, argv + 2);
    }
    if (strcmp(argv[1], "record") == 0)
        return record(argc - 1, argv + 1, db);
    help(stderr);
    return 2;
}
