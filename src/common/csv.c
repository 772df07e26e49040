/*
 * CSV reading and writing.
 */
#include "csv.h"

#include <string.h>

void rf_csv_init(struct rf_csv *c, const char *text)
{
    memset(c, 0, sizeof(*c));
    c->p = text;
    if (strncmp(c->p, "\xef\xbb\xbf", 3) == 0)
        c->p += 3;
    c->next_line = 1;
}

void rf_csv_cleanup(struct rf_csv *c)
{
    if (c)
        rf_buf_cleanup(&c->store);
}

int rf_csv_next(struct rf_csv *c)
{
    size_t offsets[RF_CSV_MAX_FIELDS];
    const char *p = c->p;

    if (!*p)
        return 0;
    c->line = c->next_line;
    rf_buf_reset(&c->store);
    c->nfields = 0;
    for (;;) {
        if (c->nfields == RF_CSV_MAX_FIELDS)
            return -1;
        offsets[c->nfields++] = c->store.len;
        if (*p == '"') {
            for (p++;; p++) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    rf_buf_addc(&c->store, '"');
                    p++;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    if (*p == '\n')
                        c->next_line++;
                    rf_buf_addc(&c->store, *p);
                }
            }
        } else {
            size_t n = strcspn(p, ",\r\n");
            rf_buf_add(&c->store, p, n);
            p += n;
        }
        rf_buf_addc(&c->store, '\0');
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n') {
            p++;
            c->next_line++;
        } else if (*p) {
            return -1; /* text after a closing quote */
        }
        break;
    }
    c->p = p;
    for (int i = 0; i < c->nfields; i++)
        c->field[i] = c->store.data + offsets[i];
    return 1;
}

void rf_csv_add_field(struct rf_buf *out, const char *s)
{
    if (!s)
        s = "";
    /* a leading byte-order mark is quoted: at the start of a file the reader would skip it */
    if (!s[strcspn(s, ",\"\r\n")] && strncmp(s, "\xef\xbb\xbf", 3) != 0) {
        rf_buf_adds(out, s);
        return;
    }
    rf_buf_addc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            rf_buf_addc(out, '"');
        rf_buf_addc(out, *s);
    }
    rf_buf_addc(out, '"');
}
