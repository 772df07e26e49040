/*
 * Error details: a small fixed list of field problems, filled by whichever
 * layer finds them first.
 */
#include "err.h"

#include <stdio.h>
#include <string.h>

void rf_error_init(struct rf_error *err)
{
    if (!err)
        return;
    /* items past 'n' are never read: only the first is emptied, for those who print it */
    err->code = 0;
    err->n = 0;
    err->item[0].field[0] = err->item[0].code[0] = err->item[0].message[0] = '\0';
}

int rf_error_code(const struct rf_error *err, int fallback)
{
    return err && err->n ? err->code : fallback;
}

int rf_error_set(struct rf_error *err, int code, const char *field, const char *rule,
                 const char *fmt, ...)
{
    struct rf_error_item *it;
    va_list ap;

    if (!err)
        return code;
    if (err->n == 0)
        err->code = code;
    if (err->n >= RF_ERROR_MAX_ITEMS)
        return code;
    it = &err->item[err->n++];
    snprintf(it->field, sizeof(it->field), "%s", field ? field : "");
    snprintf(it->code, sizeof(it->code), "%s", rule ? rule : "");
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof(it->message), fmt, ap);
    va_end(ap);
    return code;
}

const char *rf_err_str(int code)
{
    switch (code) {
    case RF_OK:
        return "ok";
    case RF_ENOTFOUND:
        return "not found";
    case RF_EINVAL:
        return "invalid input";
    case RF_ECONFLICT:
        return "conflict";
    case RF_EFORBIDDEN:
        return "forbidden";
    case RF_ESTORE:
        return "storage failure";
    case RF_EIO:
        return "i/o failure";
    case RF_EAUTH:
        return "not authenticated";
    case RF_ELIMIT:
        return "too many attempts";
    case RF_ETOOBIG:
        return "too large";
    case RF_EMEDIA:
        return "unsupported media type";
    case RF_EFULL:
        return "disk full";
    }
    return "unknown error";
}
