/*
 * Fuzz harness: the CSV reader (src/common/csv.c) and the imports' row
 * parsing (`reform import units|documents|tasks|progress|procedures FILE`,
 * files prepared in spreadsheets by the units, so outside input).
 *
 * The input is a line naming the import (units, documents, tasks, progress
 * or procedures), then the file. The reader reads the file record by record,
 * and each record it returns must read back as itself once written again
 * with rf_csv_add_field() (RFC 4180 both ways). Then the file goes to the
 * import named, run as the system actor runs it from the command line, on
 * the demo province of the rig (rig.c); an input whose first line names no
 * import tests the reader alone. An import takes every row or none: one
 * that fails must name the problem, must not blame the database for bad
 * input, and must leave the province's data version (its audit chain) where
 * it was. Imports that succeed stay in the throwaway database.
 */
#include "rig.h"
#include "common/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE 8192 /* the demo's task book, the longest seed, has 4 KB of rows */

typedef int (*import_fn)(struct rf_app *app, const struct rf_actor *actor, const char *csv,
                         int *count, struct rf_error *err);

static const struct {
    const char *kind;
    import_fn fn;
} imports[] = {
    {"units", rf_app_units_import},           {"documents", rf_app_documents_import},
    {"tasks", rf_app_tasks_import},           {"progress", rf_app_progress_import},
    {"procedures", rf_app_procedures_import},
};

/* Every record read, written again, reads back as itself. */
static void check_reader(const char *text)
{
    struct rf_csv c, again;
    struct rf_buf written = RF_BUF_INIT;
    int rc;

    rf_csv_init(&c, text);
    while ((rc = rf_csv_next(&c)) == 1) {
        if (c.nfields < 1 || c.nfields > RF_CSV_MAX_FIELDS || c.line < 1 || c.next_line < c.line)
            rf_fuzz_fail("csv: a record with %d fields at line %d, next %d", c.nfields, c.line,
                         c.next_line);
        rf_buf_reset(&written);
        for (int i = 0; i < c.nfields; i++) {
            if (i)
                rf_buf_addc(&written, ',');
            rf_csv_add_field(&written, c.field[i]);
        }
        rf_buf_addc(&written, '\n');
        rf_csv_init(&again, rf_buf_str(&written));
        if (rf_csv_next(&again) != 1 || again.nfields != c.nfields)
            rf_fuzz_fail("csv: line %d written as '%s' reads back as %d fields", c.line,
                         rf_buf_str(&written), again.nfields);
        for (int i = 0; i < c.nfields; i++)
            if (strcmp(again.field[i], c.field[i]) != 0)
                rf_fuzz_fail("csv: line %d field %d '%s' reads back as '%s'", c.line, i, c.field[i],
                             again.field[i]);
        if (rf_csv_next(&again) != 0)
            rf_fuzz_fail("csv: line %d written as '%s' reads back as two records", c.line,
                         rf_buf_str(&written));
        rf_csv_cleanup(&again);
    }
    if (rc != 0 && rc != -1)
        rf_fuzz_fail("csv: the reader answered %d", rc);
    rf_buf_cleanup(&written);
    rf_csv_cleanup(&c);
}

static void check_import(struct rf_app *app, const struct rf_actor *system, size_t k,
                         const char *text)
{
    struct rf_error err;
    int64_t before, after;
    int count = -1, rc;

    if (rf_app_data_version(app, &before) != RF_OK)
        rf_fuzz_fail("import %s: cannot read the data version", imports[k].kind);
    rf_error_init(&err);
    rc = imports[k].fn(app, system, text, &count, &err);
    if (rf_app_data_version(app, &after) != RF_OK)
        rf_fuzz_fail("import %s: cannot read the data version", imports[k].kind);
    if (rc == RF_OK) {
        if (count < 0 || (count > 0 && after <= before))
            rf_fuzz_fail("import %s: %d rows taken, the audit chain from %lld to %lld",
                         imports[k].kind, count, (long long)before, (long long)after);
        return;
    }
    if (!err.n)
        rf_fuzz_fail("import %s: failed (%s) without saying why", imports[k].kind, rf_err_str(rc));
    if (rc == RF_ESTORE || rc == RF_EIO)
        rf_fuzz_fail("import %s: the database blamed for bad input: %s: %s", imports[k].kind,
                     err.item[0].field, err.item[0].message);
    if (after != before)
        rf_fuzz_fail("import %s: failed (%s) but the audit chain moved from %lld to %lld",
                     imports[k].kind, err.item[0].message, (long long)before, (long long)after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rf_actor system;
    const uint8_t *eol = memchr(data, '\n', size);
    size_t kind_len = eol ? (size_t)(eol - data) : size;
    struct rf_app *app;
    char *text;

    if (size > MAX_FILE)
        return -1;
    text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    check_reader(eol ? text + kind_len + 1 : "");
    for (size_t k = 0; eol && k < sizeof(imports) / sizeof(imports[0]); k++) {
        if (strlen(imports[k].kind) != kind_len || memcmp(imports[k].kind, data, kind_len) != 0)
            continue;
        app = rf_fuzz_app();
        if (!system.province_id)
            rf_app_system_actor(app, &system);
        check_import(app, &system, k, text + kind_len + 1);
    }
    free(text);
    return 0;
}
