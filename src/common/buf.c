/*
 * Growable buffer and JSON string escaping.
 */
#include "buf.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rf_buf_init(struct rf_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void rf_buf_cleanup(struct rf_buf *b)
{
    if (!b)
        return;
    free(b->data);
    rf_buf_init(b);
}

void rf_buf_reset(struct rf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void rf_buf_grow(struct rf_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 64;

    if (need <= b->cap)
        return;
    while (cap < need)
        cap *= 2;
    b->data = rf_xrealloc(b->data, cap);
    b->cap = cap;
}

void rf_buf_add(struct rf_buf *b, const void *data, size_t len)
{
    rf_buf_grow(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void rf_buf_adds(struct rf_buf *b, const char *s)
{
    rf_buf_add(b, s, strlen(s));
}

void rf_buf_addc(struct rf_buf *b, char c)
{
    rf_buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void rf_buf_addf(struct rf_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    rf_buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rf_buf_addi(struct rf_buf *b, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof(tmp);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    rf_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/*
 * The length of the UTF-8 sequence at 'p' when it is a whole, shortest-form
 * code point outside the surrogates (RFC 3629 4), else 0 with '*maximal' the
 * bytes that began one before it broke off (Unicode 15, 3.9: one U+FFFD for
 * them).
 */
static size_t utf8_sequence(const unsigned char *p, size_t *maximal)
{
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n, k;

    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4;
    else
        n = 0;
    if (p[0] == 0xe0)
        lo = 0xa0; /* shorter forms of U+0000..U+07FF */
    else if (p[0] == 0xed)
        hi = 0x9f; /* the surrogates U+D800..U+DFFF */
    else if (p[0] == 0xf0)
        lo = 0x90; /* shorter forms of U+0000..U+FFFF */
    else if (p[0] == 0xf4)
        hi = 0x8f; /* past U+10FFFF */
    for (k = 1; k < n; k++) {
        if (p[k] < lo || p[k] > hi)
            break;
        lo = 0x80;
        hi = 0xbf;
    }
    *maximal = n ? k : 1;
    return n && k == n ? n : 0;
}

void rf_buf_add_json_str(struct rf_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p, *run;

    if (!s) {
        rf_buf_add(b, "null", 4);
        return;
    }
    rf_buf_addc(b, '"');
    for (p = run = (const unsigned char *)s; *p; p++) {
        char esc[6];
        size_t n = 2, bad;

        if (*p >= 0x80) {
            size_t len = utf8_sequence(p, &bad);
            if (len) {
                p += len - 1;
                continue;
            }
            /* not UTF-8 (a code page, a text cut short): JSON is UTF-8, so U+FFFD instead */
            rf_buf_add(b, run, (size_t)(p - run));
            rf_buf_add(b, "\\ufffd", 6);
            p += bad - 1;
            run = p + 1;
            continue;
        }
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        rf_buf_add(b, run, (size_t)(p - run));
        esc[0] = '\\';
        switch (*p) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            n = 6;
        }
        rf_buf_add(b, esc, n);
        run = p + 1;
    }
    rf_buf_add(b, run, (size_t)(p - run));
    rf_buf_addc(b, '"');
}

char *rf_buf_detach(struct rf_buf *b, size_t *len)
{
    char *p = b->data ? b->data : rf_xstrdup("");

    if (len)
        *len = b->len;
    rf_buf_init(b);
    return p;
}

const char *rf_buf_str(const struct rf_buf *b)
{
    return b->data ? b->data : "";
}
