/*
 * NFC normalisation and search folding with utf8proc.
 */
#include "text.h"
#include "../common/mem.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* C0 controls, DEL and the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F) */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return 1;
    return 0;
}

static int map(const char *s, utf8proc_option_t opts, char **out)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n;

    if (has_control(s))
        return RF_EINVAL;
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst, UTF8PROC_NULLTERM | opts);
    if (n < 0)
        return RF_EINVAL;
    *out = rf_xstrndup((const char *)dst, (size_t)n);
    free(dst);
    return RF_OK;
}

int rf_text_nfc(const char *s, char **out)
{
    return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out);
}

int rf_text_fold(const char *s, char **out)
{
    char *folded, *r, *w;
    int rc;

    rc = map(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
             &folded);
    if (rc != RF_OK)
        return rc;
    /* d with stroke (U+0111, after case folding) has no decomposition */
    for (r = w = folded; *r;) {
        if ((unsigned char)r[0] == 0xc4 && (unsigned char)r[1] == 0x91) {
            *w++ = 'd';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    *out = folded;
    return RF_OK;
}

size_t rf_text_length(const char *s)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}
