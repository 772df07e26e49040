/*
 * Network addresses. A range keeps IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d),
 * so one comparison serves both families. The client behind proxies is read
 * from the right of X-Forwarded-For: each trusted proxy appends the address
 * it was reached from, so entries to the left of the first untrusted one
 * were written by the client and prove nothing.
 */
#include "netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 'text' (exactly 'len' bytes) as a 16-byte address; 0 when it is none. */
static int parse_addr(const char *text, size_t len, unsigned char out[16], int *v4)
{
    char buf[RF_ADDR_TEXT];
    struct in_addr a4;

    if (len == 0 || len >= sizeof(buf))
        return 0;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        *v4 = 1;
        return 1;
    }
    *v4 = 0;
    return inet_pton(AF_INET6, buf, out) == 1;
}

static int in_range(const struct rf_cidr *c, const unsigned char a[16])
{
    int full = c->bits / 8, rest = c->bits % 8;

    if (memcmp(c->addr, a, (size_t)full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    return ((c->addr[full] ^ a[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

int rf_cidr_parse_list(const char *text, struct rf_cidr *out, int max, int *n, const char *field,
                       struct rf_error *err)
{
    const char *p = text;

    *n = 0;
    if (!text || !*text)
        return rf_error_set(err, RF_EINVAL, field, "required",
                            "a list of address ranges is "
                            "required, such as 10.0.0.0/8");
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *slash = memchr(p, '/', len);
        size_t alen = slash ? (size_t)(slash - p) : len;
        struct rf_cidr c;
        int v4, bits;

        while (alen > 0 && *p == ' ') /* "a, b" as people write lists */
            p++, alen--, len--;
        if (*n >= max)
            return rf_error_set(err, RF_EINVAL, field, "too_many", "at most %d address ranges",
                                max);
        if (!parse_addr(p, alen, c.addr, &v4))
            return rf_error_set(err, RF_EINVAL, field, "format",
                                "'%.*s' is not an IPv4 or IPv6 address range", (int)len, p);
        bits = v4 ? 32 : 128;
        if (slash) {
            char digits[4];
            size_t dlen = len - alen - 1;
            char *stop;
            long b;
            if (dlen == 0 || dlen >= sizeof(digits) || slash[1] < '0' || slash[1] > '9')
                return rf_error_set(err, RF_EINVAL, field, "format",
                                    "'%.*s' has no prefix length after '/'", (int)len, p);
            memcpy(digits, slash + 1, dlen);
            digits[dlen] = '\0';
            b = strtol(digits, &stop, 10);
            if (*stop || b > bits)
                return rf_error_set(err, RF_EINVAL, field, "format",
                                    "'%.*s' has a prefix length over %d", (int)len, p, bits);
            bits = (int)b;
        }
        c.bits = v4 ? 96 + bits : bits;
        out[(*n)++] = c;
        p += len;
        if (*p == ',')
            p++;
    }
    return RF_OK;
}

int rf_cidr_contains(const struct rf_cidr *ranges, int n, const char *text)
{
    unsigned char a[16];
    int v4;

    if (!text || !parse_addr(text, strlen(text), a, &v4))
        return 0;
    for (int i = 0; i < n; i++)
        if (in_range(&ranges[i], a))
            return 1;
    return 0;
}

void rf_client_address(const char *peer, const char *xff, const struct rf_cidr *trusted, int n,
                       char out[RF_ADDR_TEXT])
{
    size_t end;

    snprintf(out, RF_ADDR_TEXT, "%s", peer ? peer : "");
    if (n == 0 || !xff || !rf_cidr_contains(trusted, n, out))
        return;
    /* walk from the right: the last entry was written by the trusted peer */
    end = strlen(xff);
    while (end > 0) {
        size_t start = end, from, to;
        unsigned char a[16];
        int v4;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        from = start, to = end;
        while (from < to && (xff[from] == ' ' || xff[from] == '\t'))
            from++;
        while (to > from && (xff[to - 1] == ' ' || xff[to - 1] == '\t'))
            to--;
        if (!parse_addr(xff + from, to - from, a, &v4))
            return; /* garbage: the last good address stands */
        snprintf(out, RF_ADDR_TEXT, "%.*s", (int)(to - from), xff + from);
        if (!rf_cidr_contains(trusted, n, out))
            return;
        end = start > 0 ? start - 1 : 0;
    }
}
