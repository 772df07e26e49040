/*
 * The Vietnamese lunisolar calendar (am lich): lunar dates, written
 * YYYY-MM-DD, or YYYY-MML-DD in a leap month (thang nhuan), converted to and
 * from Gregorian dates. The calendar is computed, not looked up: new moons and
 * solar terms from Meeus' "Astronomical Algorithms", reckoned in Vietnam's
 * civil time, UTC+7. Pure: no I/O, no state, no heap.
 */
#ifndef RF_LUNAR_H
#define RF_LUNAR_H

#include "date.h"

#define RF_LUNAR_LEN 12 /* "YYYY-MML-DD" and a NUL */

/*
 * A lunar date. 'year' is the lunar year that Tet (1/1) opens, so months 11
 * and 12 of 'year' fall in December of 'year' or January of 'year' + 1.
 */
struct rf_lunar_date {
    int year, month, day, leap; /* leap: 1 in a leap month */
};

/*
 * The lunar date of Gregorian day 'd', for years RF_DATE_MIN_YEAR to
 * RF_DATE_MAX_YEAR; the lunar year of early January 1900 is 1899. Returns
 * RF_OK, or RF_EINVAL for a day that does not exist or is out of range.
 */
int rf_lunar_from_solar(struct rf_date d, struct rf_lunar_date *out) RF_MUST_CHECK;
/*
 * The Gregorian day of lunar date 'l'. Returns RF_OK, or RF_EINVAL when no
 * such lunar date exists (a leap month the year does not have, day 30 of a
 * 29-day month) or when its day falls outside the years of rf_lunar_from_solar.
 */
int rf_lunar_to_solar(struct rf_lunar_date l, struct rf_date *out) RF_MUST_CHECK;
/*
 * Parse exactly "YYYY-MM-DD", or "YYYY-MML-DD" for a leap month (for example
 * "2023-02L-01"). Checks the shape and the ranges only (month 1..12, day
 * 1..30); rf_lunar_to_solar decides whether the date exists. Returns RF_OK or
 * RF_EINVAL.
 */
int rf_lunar_parse(const char *s, struct rf_lunar_date *out) RF_MUST_CHECK;
/*
 * Write 'l' as rf_lunar_parse reads it, and a NUL, into 'out'. 'l' is one that
 * rf_lunar_parse or rf_lunar_from_solar produced (year 0..9999).
 */
void rf_lunar_format(struct rf_lunar_date l, char out[RF_LUNAR_LEN]);

#endif
