/*
 * Civil dates and instants. Dates are proleptic Gregorian, written
 * YYYY-MM-DD; instants are seconds since the Unix epoch in UTC. Pure: the
 * caller supplies "now".
 */
#ifndef RF_DATE_H
#define RF_DATE_H

#include <stdint.h>

#include "../common/err.h"

/* Vietnam has kept UTC+7 without daylight saving since 1975 (Asia/Ho_Chi_Minh). */
#define RF_PROVINCE_UTC_OFFSET (7 * 3600)

#define RF_DATE_MIN_YEAR 1900
#define RF_DATE_MAX_YEAR 2199

struct rf_date {
    int year, month, day;
};

/*
 * Parse exactly "YYYY-MM-DD" with a real day of a year in
 * [RF_DATE_MIN_YEAR, RF_DATE_MAX_YEAR]. Returns RF_OK or RF_EINVAL.
 */
int rf_date_parse(const char *s, struct rf_date *out) RF_MUST_CHECK;
/* Read 'n' decimal digits at 's' into '*out'; -1 if any is not a digit, else 0. */
int rf_digits(const char *s, int n, int *out);
/* Write 'v' as 'n' digits with leading zeros (no NUL). */
void rf_put_digits(char *out, unsigned v, int n);
/* Write "YYYY-MM-DD" and a NUL into 'out'. */
void rf_date_format(struct rf_date d, char out[11]);
/*
 * An input date 'text' ("YYYY-MM-DD"), or none ("" into 'out') unless
 * 'required', into 'out'. RF_OK, or RF_EINVAL naming 'field' in 'err': a
 * validator, whose caller may collect several problems in 'err' and look
 * at it once.
 */
int rf_date_check(const char *text, const char *field, int required, char out[11],
                  struct rf_error *err);
/* Days in 'month' (1-12) of 'year' in the proleptic Gregorian calendar; 0 for another month. */
int rf_date_days_in_month(int year, int month);
/* Days since 1970-01-01 (negative before), and the date of such a count. */
int64_t rf_date_to_days(struct rf_date d);
struct rf_date rf_date_from_days(int64_t days);

/* -1, 0 or 1 as 'a' is before, the same day as, or after 'b'. */
int rf_date_cmp(struct rf_date a, struct rf_date b);
/* Day of the week: 1 Monday .. 7 Sunday (ISO 8601). */
int rf_date_weekday(struct rf_date d);
/* The civil date at instant 'epoch' in a zone 'utc_offset' seconds east of UTC. */
struct rf_date rf_date_of_instant(int64_t epoch, int utc_offset);
/* Write "YYYY-MM-DDTHH:MM:SSZ" and a NUL into 'out'. */
void rf_instant_format(int64_t epoch, char out[21]);

#endif
