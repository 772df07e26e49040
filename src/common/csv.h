/*
 * A reader of CSV text (RFC 4180): fields separated by commas, optionally
 * quoted with "" for a quote inside; records end with LF or CRLF. A UTF-8
 * byte-order mark at the start is skipped (spreadsheets write one).
 */
#ifndef RF_CSV_H
#define RF_CSV_H

#include <stddef.h>

#include "buf.h"

#define RF_CSV_MAX_FIELDS 32

struct rf_csv {
    const char *p; /* next byte to read */
    int line;      /* line where the last record started, from 1 */
    int next_line;
    struct rf_buf store;
    char *field[RF_CSV_MAX_FIELDS];
    int nfields;
};

/* Start reading 'text' (borrowed: it must outlive the reader), past a byte-order mark. */
void rf_csv_init(struct rf_csv *c, const char *text);
/* Free what the reader holds (the last record's fields); accepts NULL. */
void rf_csv_cleanup(struct rf_csv *c);
/*
 * Read the next record into c->field[0..c->nfields-1], valid until the next
 * call. Returns 1 with a record, 0 at the end, -1 for a malformed record
 * (an unterminated quote, or more than RF_CSV_MAX_FIELDS fields).
 */
int rf_csv_next(struct rf_csv *c);

/*
 * Write 's' as one CSV field, quoted when it holds a comma, a quote or a line
 * break, or starts with a byte-order mark, so that it reads back as itself
 * wherever it stands.
 */
void rf_csv_add_field(struct rf_buf *out, const char *s);

#endif
