/*
 * The steering committee's report for a period: the tasks section (the
 * Government's tasks first, then every assigner, field and lead unit) as
 * text for the terminal, JSON for machines, or an XLSX workbook with one
 * sheet per breakdown that opens in LibreOffice and Excel.
 */
#include "app_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* The columns of a tally, in the order every view shows them. */
static const char *const columns[] = {
    "assigned",      "completed",           "completion_rate",
    "done_on_time",  "done_late",           "in_progress",
    "overdue",       "no_deadline",         "due",
    "completed_due", "due_completion_rate", NULL,
};

static const char *const headings[] = {
    "Assigned",         "Completed",          "Completed % of assigned",
    "Done on time",     "Done late",          "In progress",
    "Overdue",          "No deadline",        "Due",
    "Completed of due", "Completed % of due", NULL,
};

static json_t *stats_json(struct rf_app *app, const struct rf_actor *actor, const char *period,
                          const char *as_of, int64_t unit_id, const char *bodies,
                          struct rf_error *err)
{
    struct rf_buf b = RF_BUF_INIT;
    json_t *j = NULL;

    if (rf_app_task_stats(app, actor, period, as_of, unit_id, bodies, &b, err) == RF_OK)
        j = json_loadb(rf_buf_str(&b), b.len, 0, NULL);
    rf_buf_cleanup(&b);
    return j;
}

/* 'label' cut or padded to 'width' code points (Vietnamese letters take 2 or 3 bytes). */
static void add_padded(struct rf_buf *out, const char *label, size_t width)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)label;

    for (; *p; p++) {
        if ((*p & 0xc0) != 0x80 && n++ == width)
            break;
        rf_buf_addc(out, (char)*p);
    }
    for (; n < width; n++)
        rf_buf_addc(out, ' ');
}

static void text_tally(struct rf_buf *out, const char *label, json_t *t)
{
    rf_buf_adds(out, "  ");
    add_padded(out, label, 44);
    rf_buf_addf(out, " %5lld %5lld %7s%% %5lld %5lld %6lld %7s%%\n",
                (long long)json_integer_value(json_object_get(t, "assigned")),
                (long long)json_integer_value(json_object_get(t, "completed")),
                json_string_value(json_object_get(t, "completion_rate")),
                (long long)json_integer_value(json_object_get(t, "done_late")),
                (long long)json_integer_value(json_object_get(t, "overdue")),
                (long long)json_integer_value(json_object_get(t, "in_progress")) +
                    (long long)json_integer_value(json_object_get(t, "no_deadline")),
                json_string_value(json_object_get(t, "due_completion_rate")));
}

static void text_section(struct rf_buf *out, const char *title, json_t *list, const char *key)
{
    size_t i;
    json_t *row;

    rf_buf_addf(out, "\n%s\n", title);
    json_array_foreach(list, i, row)
    {
        char label[256];
        if (strcmp(key, "unit") == 0)
            snprintf(label, sizeof(label), "%s %s", json_string_value(json_object_get(row, "code")),
                     json_string_value(json_object_get(row, "name")));
        else
            snprintf(label, sizeof(label), "%s", json_string_value(json_object_get(row, "key")));
        text_tally(out, label, row);
    }
}

static void render_text(json_t *all, json_t *gov, struct rf_buf *out)
{
    json_t *g = json_object_get(gov, "total"), *t = json_object_get(all, "total");

    rf_buf_addf(out, "Reform tasks, period %s (%s to %s), as of %s\n\n",
                json_string_value(json_object_get(all, "period")),
                json_string_value(json_object_get(all, "from")),
                json_string_value(json_object_get(all, "to")),
                json_string_value(json_object_get(all, "as_of")));
    rf_buf_addf(out,
                "The Government and the Prime Minister assigned %lld tasks: %lld completed "
                "(%s%%), %lld overdue, %lld still within their deadline.\n",
                (long long)json_integer_value(json_object_get(g, "assigned")),
                (long long)json_integer_value(json_object_get(g, "completed")),
                json_string_value(json_object_get(g, "completion_rate")),
                (long long)json_integer_value(json_object_get(g, "overdue")),
                (long long)json_integer_value(json_object_get(g, "in_progress")) +
                    (long long)json_integer_value(json_object_get(g, "no_deadline")));
    rf_buf_addf(out, "\n  %-44s %5s %5s %8s %5s %5s %6s %8s\n", "", "tasks", "done", "done %",
                "late", "over", "open", "of due");
    text_tally(out, "All assigners", t);
    text_section(out, "By assigning body", json_object_get(all, "by_assigning_body"), "key");
    text_section(out, "By reform field", json_object_get(all, "by_field"), "key");
    text_section(out, "By lead unit", json_object_get(all, "by_lead_unit"), "unit");
}

/* One sheet: a heading row, then one row per breakdown entry. */
static void xlsx_sheet(lxw_workbook *wb, lxw_format *bold, const char *name, const char *first,
                       json_t *list, int units)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    size_t i;
    json_t *row;
    int c0 = units ? 2 : 1;

    worksheet_write_string(ws, 0, 0, first, bold);
    if (units)
        worksheet_write_string(ws, 0, 1, "Name", bold);
    for (int c = 0; columns[c]; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)(c0 + c), headings[c], bold);
    worksheet_set_column(ws, 0, 0, units ? 10 : 22, NULL);
    if (units)
        worksheet_set_column(ws, 1, 1, 40, NULL);
    json_array_foreach(list, i, row)
    {
        lxw_row_t r = (lxw_row_t)(i + 1);
        worksheet_write_string(
            ws, r, 0, json_string_value(json_object_get(row, units ? "code" : "key")), NULL);
        if (units)
            worksheet_write_string(ws, r, 1, json_string_value(json_object_get(row, "name")), NULL);
        for (int c = 0; columns[c]; c++) {
            json_t *v = json_object_get(row, columns[c]);
            if (json_is_integer(v))
                worksheet_write_number(ws, r, (lxw_col_t)(c0 + c), (double)json_integer_value(v),
                                       NULL);
            else if (json_is_string(v)) /* a percentage with two decimals */
                worksheet_write_number(ws, r, (lxw_col_t)(c0 + c),
                                       strtod(json_string_value(v), NULL), NULL);
        }
    }
}

static int render_xlsx(json_t *all, json_t *gov, const char *path, struct rf_error *err)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_format *bold;
    json_t *summary, *row;

    if (!wb)
        return rf_error_set(err, RF_EIO, "out", "open", "cannot create %s", path);
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    summary = json_array();
    row = json_deep_copy(json_object_get(gov, "total"));
    json_object_set_new(row, "key", json_string("government,prime_minister"));
    json_array_append_new(summary, row);
    row = json_deep_copy(json_object_get(all, "total"));
    json_object_set_new(row, "key", json_string("all"));
    json_array_append_new(summary, row);
    xlsx_sheet(wb, bold, "Summary", "Assigners", summary, 0);
    xlsx_sheet(wb, bold, "By assigning body", "Assigning body",
               json_object_get(all, "by_assigning_body"), 0);
    xlsx_sheet(wb, bold, "By field", "Field", json_object_get(all, "by_field"), 0);
    xlsx_sheet(wb, bold, "By lead unit", "Code", json_object_get(all, "by_lead_unit"), 1);
    json_decref(summary);
    if (workbook_close(wb) != LXW_NO_ERROR)
        return rf_error_set(err, RF_EIO, "out", "write", "cannot write %s", path);
    return RF_OK;
}

int rf_app_report(struct rf_app *app, const struct rf_actor *actor, const char *period,
                  const char *as_of, int64_t unit_id, const char *format, const char *path,
                  struct rf_buf *out, struct rf_error *err)
{
    json_t *all = NULL, *gov = NULL;
    int rc = RF_OK;

    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0)
        return rf_error_set(err, RF_EINVAL, "format", "enum", "a format is text, json or xlsx");
    if (strcmp(format, "xlsx") == 0 && (!path || !*path))
        return rf_error_set(err, RF_EINVAL, "out", "required", "an XLSX report needs a file");
    all = stats_json(app, actor, period, as_of, unit_id, NULL, err);
    if (all)
        gov = stats_json(app, actor, period, as_of, unit_id, "government,prime_minister", err);
    if (!all || !gov) {
        rc = rf_error_code(err, RF_ESTORE);
        goto out;
    }
    if (strcmp(format, "json") == 0) {
        char *text;
        json_object_set(all, "government", json_object_get(gov, "total"));
        text = json_dumps(all, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rf_buf_adds(out, text);
        rf_buf_addc(out, '\n');
        free(text);
    } else if (strcmp(format, "text") == 0) {
        render_text(all, gov, out);
    } else {
        rc = render_xlsx(all, gov, path, err);
    }
out:
    json_decref(all);
    json_decref(gov);
    return rc;
}
