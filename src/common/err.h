/*
 * Error codes and error details shared by every layer. Functions return RF_OK
 * or a negative enum rf_err; the details (which field, which rule, a message
 * for people) travel in an optional struct rf_error. Only the HTTP reply code
 * maps these codes to statuses.
 */
#ifndef RF_ERR_H
#define RF_ERR_H

#include <stdarg.h>

#define RF_MUST_CHECK __attribute__((warn_unused_result))

enum rf_err {
    RF_OK = 0,
    RF_ENOTFOUND = -1,  /* no such thing, or not within the caller's scope */
    RF_EINVAL = -2,     /* bad input; the details name the field */
    RF_ECONFLICT = -3,  /* duplicate or stale state */
    RF_EFORBIDDEN = -4, /* role does not allow the action */
    RF_ESTORE = -5,     /* the database failed */
    RF_EIO = -6,        /* a file or socket failed */
    RF_EAUTH = -7,      /* not signed in, or bad credentials */
    RF_ELIMIT = -8,     /* too many attempts */
    RF_ETOOBIG = -9,    /* request body over the limit */
    RF_EMEDIA = -10,    /* request body of a type not understood */
    RF_EFULL = -11,     /* the database's disk is full: nothing written, try again later */
};

#define RF_ERROR_MAX_ITEMS 8

/* One problem with one input field. */
struct rf_error_item {
    char field[64];    /* JSON pointer-ish name: "username", "parent_id" */
    char code[32];     /* machine-readable rule: "required", "too_long" */
    char message[200]; /* for people, git style: lowercase, no full stop */
};

struct rf_error {
    int code; /* enum rf_err of the first problem */
    int n;    /* items used */
    struct rf_error_item item[RF_ERROR_MAX_ITEMS];
};

/* Reset 'err' to no error. Accepts NULL. */
void rf_error_init(struct rf_error *err);

/*
 * Record a problem in 'err' (may be NULL) and return 'code', so that callers
 * can write 'return rf_error_set(err, RF_EINVAL, "name", "required", "...")'.
 * 'field' may be NULL for problems with no field. Items past
 * RF_ERROR_MAX_ITEMS are dropped; the first code stays the error's code.
 */
int rf_error_set(struct rf_error *err, int code, const char *field, const char *rule,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * The code of the problem recorded in 'err', or 'fallback' when none is:
 * for a failure whose details may or may not have been written.
 */
int rf_error_code(const struct rf_error *err, int fallback);

/* Short English name of an enum rf_err, for logs: "not found". */
const char *rf_err_str(int code);

#endif
