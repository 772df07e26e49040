/*
 * reform audit verify: walk every audit chain, check each record's MAC under
 * the audit key and the chain against its signed checkpoints, and name every
 * record that was altered, deleted, inserted or reordered.
 * reform audit anchor: sign a checkpoint of the chain's head and append it
 * to a file kept where the database's owner cannot rewrite it.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHECKPOINTS_BYTES (64 * 1024 * 1024)

static void usage(FILE *out)
{
    fprintf(out,
            "usage: reform audit verify [--db URL] [--province CODE] [--keys DIR]\n"
            "                           [--checkpoints FILE]\n"
            "       reform audit anchor [--db URL] [--province CODE] [--keys DIR] [--out FILE]\n\n"
            "verify  checks each province's audit chain record by record with the audit\n"
            "        key (DIR/audit.key), and against every signed checkpoint in FILE\n"
            "        (default DIR/checkpoints, when it exists; signer DIR/anchor.pub).\n"
            "        Exits 0 when everything holds, 1 naming every record that was\n"
            "        altered, deleted, inserted or reordered. With --province, that\n"
            "        province's chain and checkpoints alone (a province whose processes\n"
            "        keep a keys folder of their own is checked with that folder).\n"
            "anchor  signs a checkpoint of the head of the province's chain (--province,\n"
            "        default $REFORM_PROVINCE, else the database's first) with\n"
            "        DIR/anchor.key (made on first use, with DIR/anchor.pub), prints it and\n"
            "        appends it to FILE (default DIR/checkpoints). Keep FILE where the\n"
            "        database's owner cannot rewrite it, or print the line for the records\n"
            "        office.\n\n"
            "  --keys DIR  the keys folder (default $REFORM_KEYS or %s)\n",
            RF_DEFAULT_KEYS);
}

/* The whole of 'path' as text, or NULL (errno set); the caller frees it. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0, n;

    if (!f)
        return NULL;
    do {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            text = realloc(text, cap);
            if (!text)
                abort();
        }
        n = fread(text + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0 && len < MAX_CHECKPOINTS_BYTES);
    fclose(f);
    text[len] = '\0';
    return text;
}

static int verify(struct rf_app *app, const char *keys, const char *checkpoints, int given)
{
    struct rf_audit_checkpoints cp = {NULL, keys};
    struct rf_audit_report *report = calloc(1, sizeof(*report));
    struct rf_error err;
    char *text = NULL;
    int rc = 1;

    if (!report)
        abort();
    rf_error_init(&err);
    text = read_all(checkpoints);
    if (!text && (given || errno != ENOENT)) {
        fprintf(stderr, "reform: cannot read the checkpoints in %s: %s\n", checkpoints,
                strerror(errno));
        goto out;
    }
    cp.text = text;
    if (rf_app_audit_verify(app, &cp, report, &err) != RF_OK) {
        rf_cli_print_error(&err);
        goto out;
    }
    if (!report->ok) {
        for (int64_t i = 0; i < report->problems && i < RF_AUDIT_MAX_PROBLEMS; i++)
            printf("audit chain broken in province %lld: %s\n",
                   (long long)report->problem[i].province, report->problem[i].text);
        if (report->problems > RF_AUDIT_MAX_PROBLEMS)
            printf("... and %lld more problems\n",
                   (long long)(report->problems - RF_AUDIT_MAX_PROBLEMS));
        printf("%lld problem%s in %lld records\n", (long long)report->problems,
               report->problems == 1 ? "" : "s", (long long)report->records);
        goto out;
    }
    printf("audit chain intact: %lld records in %lld province%s", (long long)report->records,
           (long long)report->provinces, report->provinces == 1 ? "" : "s");
    if (text)
        printf(", %lld checkpoint%s held", (long long)report->anchors,
               report->anchors == 1 ? "" : "s");
    printf("\n");
    if (report->unkeyed)
        printf("note: the first %lld records predate the audit key: their plain hashes show "
               "changes only up to the first checkpoint\n",
               (long long)report->unkeyed);
    if (!text)
        printf("note: no checkpoints in %s: a rewrite of the whole database with the key, or "
               "a cut at its end, shows only against one (reform audit anchor)\n",
               checkpoints);
    rc = 0;
out:
    free(text);
    free(report);
    return rc;
}

static int anchor(struct rf_app *app, const char *keys, const char *out_path)
{
    char line[RF_ANCHOR_LINE_MAX + 1];
    struct rf_anchor a;
    struct rf_error err;
    size_t len;
    int created = 0, fd, ok;

    rf_error_init(&err);
    if (rf_app_audit_anchor(app, keys, &a, line, &created, &err) != RF_OK) {
        rf_cli_print_error(&err);
        return 1;
    }
    if (created)
        fprintf(stderr,
                "reform: made the checkpoint key pair %s/anchor.key and %s/anchor.pub: keep the "
                "public key with the checkpoints\n",
                keys, keys);
    len = strlen(line);
    line[len++] = '\n';
    /* appended whole, by one write, so that two anchors at once never interleave */
    fd = open(out_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    ok = fd >= 0 && write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        fprintf(stderr, "reform: cannot append the checkpoint to %s: %s\n", out_path,
                strerror(errno));
        return 1;
    }
    fwrite(line, 1, len, stdout);
    return 0;
}

int rf_cmd_audit(int argc, char **argv)
{
    const char *db = NULL, *file = NULL, *keys, *verb;
    const struct rf_cli_option opts[] = {
        RF_CLI_OPT_TEXT("db", &db),    RF_CLI_OPT_PROVINCE("province"),
        RF_CLI_OPT_KEYS("keys"),       RF_CLI_OPT_TEXT("checkpoints", &file),
        RF_CLI_OPT_TEXT("out", &file), RF_CLI_OPT_END,
    };
    struct rf_app *app;
    char default_file[4200];
    int args, rc;

    if ((rc = rf_cli_options(argc, argv, opts, usage, 1, &args)) >= 0)
        return rc;
    verb = argv[args];
    if (strcmp(verb, "verify") != 0 && strcmp(verb, "anchor") != 0) {
        usage(stderr);
        return 2;
    }
    keys = rf_cli_keys(NULL);
    snprintf(default_file, sizeof(default_file), "%s/checkpoints", keys);
    app = rf_cli_open(rf_cli_db(db), rf_cli_province(NULL) == NULL);
    if (!app)
        return 1;
    if (strcmp(verb, "verify") == 0)
        rc = verify(app, keys, file ? file : default_file, file != NULL);
    else
        rc = anchor(app, keys, file ? file : default_file);
    rf_app_close(&app);
    return rc;
}
