/*
 * A growable byte buffer (Redis sds, curl dynbuf, git strbuf): always
 * NUL-terminated, grows by doubling, aborts on allocation failure. Also
 * writes JSON string escapes, for the hot paths that build JSON by hand.
 */
#ifndef RF_BUF_H
#define RF_BUF_H

#include <stddef.h>
#include <stdint.h>

struct rf_buf {
    char *data; /* NUL-terminated once anything was added; NULL before */
    size_t len;
    size_t cap;
};

#define RF_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Start 'b' empty, as RF_BUF_INIT does; it holds nothing to free yet. */
void rf_buf_init(struct rf_buf *b);
/* Free the bytes; accepts NULL; the buffer stays usable and empty. */
void rf_buf_cleanup(struct rf_buf *b);
/* Empty 'b' and keep its memory for what is added next. */
void rf_buf_reset(struct rf_buf *b);
/* Make room for 'extra' more bytes and the NUL; aborts when out of memory. */
void rf_buf_grow(struct rf_buf *b, size_t extra);

/*
 * Append to 'b', which stays NUL-terminated: 'len' bytes of 'data', the
 * string 's', the byte 'c', the printf-style text of 'fmt', the decimal
 * 'v'. They cannot fail (allocation failure aborts).
 */
void rf_buf_add(struct rf_buf *b, const void *data, size_t len);
void rf_buf_adds(struct rf_buf *b, const char *s);
void rf_buf_addc(struct rf_buf *b, char c);
void rf_buf_addf(struct rf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rf_buf_addi(struct rf_buf *b, int64_t v);

/*
 * Add 's' as a quoted JSON string; NULL adds the literal null. Bytes that are
 * not UTF-8 are written as U+FFFD, one for each broken sequence, so that the
 * answer stays JSON whatever text it echoes.
 */
void rf_buf_add_json_str(struct rf_buf *b, const char *s);
/* Hand the bytes to the caller (free() them) and leave 'b' empty. */
char *rf_buf_detach(struct rf_buf *b, size_t *len);
/* The contents as a string, "" when empty; valid until the next change. */
const char *rf_buf_str(const struct rf_buf *b);

#endif
