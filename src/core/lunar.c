/*
 * The Vietnamese lunisolar calendar (am lich), computed from the sky as seen
 * in UTC+7, the time of the 105th meridian east: North Vietnam's calendar
 * since 1968 (decree of 8 August 1967), the whole country's since 1975.
 * China's calendar keeps UTC+8, so the two differ by a day, or a month, in
 * some years (Tet 1985: 21 January here, 20 February there). This file owns
 * the calendar's rules (Explanatory Supplement to the Astronomical Almanac,
 * as Ho Ngoc Duc gives them for Vietnam, informatik.uni-leipzig.de/~duc/amlich):
 *  - a lunar month begins on the local civil day that holds the new moon
 *    (Meeus ch. 49, converted from TT to UT by Espenak and Meeus' Delta T);
 *  - month 11 is the month that holds the December solstice, the day the
 *    Sun's apparent longitude (Meeus ch. 25) reaches 270 degrees;
 *  - from one month 11 to the next (a "sui") there are 12 or 13 months; in a
 *    sui of 13, the first month after month 11 that holds no major solar term
 *    (trung khi, a multiple of 30 degrees of longitude) is the leap month and
 *    takes the number of the month before it.
 * Accuracy, checked against an independent ephemeris (VSOP87 Sun, apparent
 * longitudes) over 1900..2199: new moons within 21 s (4 s on average), solar
 * terms within 15 minutes, and the same lunar date on every day but those of
 * three months in two years, where the deciding instant is within 3 s of
 * local midnight and neither answer can be trusted: the new moon of 7/8 July
 * 1967 (23:59:58 here, 00:00:03 by the ephemeris) and the September equinox of
 * 1938 (00:00:01 on 24 September by the ephemeris, 84 s earlier here, so 1938
 * has leap month 8 here and 7 there). Both years predate UTC+7, when Vietnam
 * kept China's calendar. After 2005 Delta T is extrapolated, by minutes near
 * 2199, so a new moon within minutes of midnight (Tet 2175 and 2199 among
 * them) may yet move a day.
 * Days are Julian Day Numbers of local civil days; instants are Julian Days,
 * in TT ("JDE") or in UT ("JD"). The core links no libm, so the two functions
 * of it needed here, floor and sine, are written out below.
 */
#include "lunar.h"

#include <string.h>

#define PI 3.14159265358979323846
/* Julian Day Number of 1970-01-01, day 0 of rf_date_to_days() */
#define JDN_UNIX_EPOCH 2440588
/* UTC+7 as a fraction of a day: the civil day of an instant is floor(JD + 0.5 + LOCAL) */
#define LOCAL ((double)RF_PROVINCE_UTC_OFFSET / 86400.0)
/* the mean synodic month of (49.1), in days */
#define SYNODIC_MONTH 29.530588861
/* JDE of mean new moon k = 0, 2000-01-06 (49.1) */
#define NEW_MOON_EPOCH 2451550.09766

static double floor_d(double x)
{
    double t = (double)(long long)x; /* truncates toward zero; |x| < 2^63 here */

    return t > x ? t - 1.0 : t;
}

/* Taylor series of sin(x) / x and of cos(x) in powers of x^2, highest first */
static const double sin_series[] = {
    1.0 / 6227020800, -1.0 / 39916800, 1.0 / 362880, -1.0 / 5040, 1.0 / 120, -1.0 / 6, 1.0,
};
static const double cos_series[] = {
    -1.0 / 87178291200, 1.0 / 479001600, -1.0 / 3628800, 1.0 / 40320,
    -1.0 / 720,         1.0 / 24,        -1.0 / 2,       1.0,
};

/*
 * Sine of an angle in degrees: the angle is reduced to [-45, 45] plus a
 * whole number of quarter turns, and the Taylor series of sine or cosine is
 * summed there to x^13 or x^14, whose remainders are below 3e-14. The largest
 * term of the new moon weighs 0.4 day, so the instants below lose well under
 * a microsecond to it.
 */
static double sin_deg(double deg)
{
    double turns = floor_d(deg * (1.0 / 90.0) + 0.5);
    double x = (deg - 90.0 * turns) * (PI / 180.0);
    double x2 = x * x, v = 0.0;
    int quarter = (int)(turns - 4.0 * floor_d(turns * 0.25)); /* 0..3 */

    if (quarter & 1) { /* sin(x + 90) = cos x */
        for (size_t i = 0; i < sizeof(cos_series) / sizeof(cos_series[0]); i++)
            v = v * x2 + cos_series[i];
    } else {
        for (size_t i = 0; i < sizeof(sin_series) / sizeof(sin_series[0]); i++)
            v = v * x2 + sin_series[i];
        v *= x;
    }
    return quarter & 2 ? -v : v; /* sin(x + 180) = -sin x */
}

/*
 * Delta T = TT - UT in seconds at Julian Day 'jd', from the polynomials of
 * F. Espenak and J. Meeus, "Five Millennium Canon of Solar Eclipses" (NASA
 * TP-2006-214141), as published at eclipse.gsfc.nasa.gov/SEcat5/deltatpoly.html.
 * They take a decimal year; a continuous one serves here (the canon uses the
 * middle of the month, which changes Delta T by far less than a second).
 * After 2005 the values are extrapolations: by 2199 their uncertainty is
 * several minutes, which matters only for a new moon or a solar term that
 * close to local midnight.
 */
static double delta_t(double jd)
{
    double y = 2000.0 + (jd - 2451544.5) / 365.2425;
    double t, u;

    if (y < 1900.0) {
        t = y - 1860.0;
        return 7.62 + t * (0.5737 +
                           t * (-0.251754 + t * (0.01680668 + t * (-0.0004473624 + t / 233174.0))));
    }
    if (y < 1920.0) {
        t = y - 1900.0;
        return -2.79 + t * (1.494119 + t * (-0.0598939 + t * (0.0061966 - 0.000197 * t)));
    }
    if (y < 1941.0) {
        t = y - 1920.0;
        return 21.20 + t * (0.84493 + t * (-0.076100 + t * 0.0020936));
    }
    if (y < 1961.0) {
        t = y - 1950.0;
        return 29.07 + t * (0.407 + t * (-1.0 / 233.0 + t / 2547.0));
    }
    if (y < 1986.0) {
        t = y - 1975.0;
        return 45.45 + t * (1.067 + t * (-1.0 / 260.0 - t / 718.0));
    }
    if (y < 2005.0) {
        t = y - 2000.0;
        return 63.86 + t * (0.3345 + t * (-0.060374 +
                                          t * (0.0017275 + t * (0.000651814 + t * 0.00002373599))));
    }
    if (y < 2050.0) {
        t = y - 2000.0;
        return 62.92 + t * (0.32217 + t * 0.005589);
    }
    u = (y - 1820.0) / 100.0;
    if (y < 2150.0)
        return -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - y);
    return -20.0 + 32.0 * u * u;
}

/*
 * The Sun's apparent longitude in degrees, [0, 360), at instant 'jde' (TT), by
 * the lower-accuracy method of Meeus ch. 25: within 0.01 degree, so a solar
 * term comes out within 15 minutes of its time. In 1900..2199 only one term
 * that decides a month lies that close to local midnight (1938, see above).
 */
static double sun_longitude(double jde)
{
    double t = (jde - 2451545.0) / 36525.0;                    /* (25.1) */
    double l0 = 280.46646 + t * (36000.76983 + t * 0.0003032); /* (25.2) mean longitude */
    double m = 357.52911 + t * (35999.05029 - t * 0.0001537);  /* (25.3) mean anomaly */
    double c = (1.914602 - t * (0.004817 + t * 0.000014)) * sin_deg(m) +
               (0.019993 - t * 0.000101) * sin_deg(2.0 * m) +
               0.000289 * sin_deg(3.0 * m); /* equation of the centre */
    double omega = 125.04 - 1934.136 * t;
    /* true longitude, then nutation and aberration: the apparent longitude */
    double lambda = l0 + c - 0.00569 - 0.00478 * sin_deg(omega);

    return lambda - 360.0 * floor_d(lambda / 360.0);
}

/* The apparent longitude of the Sun at 00:00 local time of day 'jdn'. */
static double sun_longitude_at_midnight(int64_t jdn)
{
    double jd = (double)jdn - 0.5 - LOCAL;

    return sun_longitude(jd + delta_t(jd) / 86400.0);
}

/*
 * JDE of the true new moon number 'k' (k = 0 is that of 2000-01-06, k counts
 * lunations), Meeus ch. 49: the mean phase (49.1), the periodic terms of the
 * new moon and the fourteen additional (planetary) corrections.
 */
static double new_moon_jde(int k)
{
    double t = k / 1236.85; /* (49.3) */
    double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
    double jde = NEW_MOON_EPOCH + SYNODIC_MONTH * k + 0.00015437 * t2 - 0.000000150 * t3 +
                 0.00000000073 * t4;                                        /* (49.1) */
    double e = 1.0 - 0.002516 * t - 0.0000074 * t2;                         /* (47.6) */
    double m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3; /* (49.4) Sun */
    double mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 -
                0.000000058 * t4; /* (49.5) Moon's mean anomaly M' */
    double f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 +
               0.000000011 * t4; /* (49.6) Moon's argument of latitude */
    double omega = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3; /* (49.7) */
    /* the fourteen planetary arguments A1..A14 and their coefficients (ch. 49) */
    static const double planet[14][3] = {
        {299.77, 0.107408, 0.000325},  {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
        {349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
        {207.14, 2.453732, 0.000060},  {154.84, 7.306860, 0.000056}, {34.52, 27.261239, 0.000047},
        {207.19, 0.121824, 0.000042},  {291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
        {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
    };

    /* the periodic terms for the new moon (ch. 49) */
    jde += -0.40720 * sin_deg(mp) + 0.17241 * e * sin_deg(m) + 0.01608 * sin_deg(2 * mp) +
           0.01039 * sin_deg(2 * f) + 0.00739 * e * sin_deg(mp - m) -
           0.00514 * e * sin_deg(mp + m) + 0.00208 * e * e * sin_deg(2 * m) -
           0.00111 * sin_deg(mp - 2 * f) - 0.00057 * sin_deg(mp + 2 * f) +
           0.00056 * e * sin_deg(2 * mp + m) - 0.00042 * sin_deg(3 * mp) +
           0.00042 * e * sin_deg(m + 2 * f) + 0.00038 * e * sin_deg(m - 2 * f) -
           0.00024 * e * sin_deg(2 * mp - m) - 0.00017 * sin_deg(omega) -
           0.00007 * sin_deg(mp + 2 * m) + 0.00004 * sin_deg(2 * mp - 2 * f) +
           0.00004 * sin_deg(3 * m) + 0.00003 * sin_deg(mp + m - 2 * f) +
           0.00003 * sin_deg(2 * mp + 2 * f) - 0.00003 * sin_deg(mp + m + 2 * f) +
           0.00003 * sin_deg(mp - m + 2 * f) - 0.00002 * sin_deg(mp - m - 2 * f) -
           0.00002 * sin_deg(3 * mp + m) + 0.00002 * sin_deg(4 * mp);
    for (int i = 0; i < 14; i++) {
        double a = planet[i][0] + planet[i][1] * k - (i == 0 ? 0.009173 * t2 : 0.0);

        jde += planet[i][2] * sin_deg(a);
    }
    return jde;
}

/* The local civil day (JDN) of instant 'jde' (TT). */
static int64_t local_day(double jde)
{
    double jd = jde - delta_t(jde) / 86400.0;

    return (int64_t)floor_d(jd + 0.5 + LOCAL);
}

/* The first day of the lunar month of new moon 'k': the day that holds it. */
static int64_t month_start(int k)
{
    return local_day(new_moon_jde(k));
}

/*
 * The sum of the absolute values of the coefficients of the periodic terms
 * and additional corrections of ch. 49 (with E <= 1.003): the true new moon
 * is never farther than this from the mean one, in days.
 */
#define NEW_MOON_SPREAD 0.63

/*
 * The earliest and the latest day on which month 'k' can begin, from its mean
 * new moon alone; two days apart at most, and most questions about a month's
 * first day are settled by them without the true new moon.
 */
static void month_start_bounds(int k, int64_t *earliest, int64_t *latest)
{
    double jde = NEW_MOON_EPOCH + SYNODIC_MONTH * k;
    double local = jde - delta_t(jde) / 86400.0 + 0.5 + LOCAL;

    *earliest = (int64_t)floor_d(local - NEW_MOON_SPREAD);
    *latest = (int64_t)floor_d(local + NEW_MOON_SPREAD);
}

/* Does month 'k' begin on or before day 'jdn'? */
static int begins_by(int k, int64_t jdn)
{
    int64_t earliest, latest;

    month_start_bounds(k, &earliest, &latest);
    if (latest <= jdn)
        return 1;
    if (earliest > jdn)
        return 0;
    return month_start(k) <= jdn;
}

/* The new moon number of the lunar month that holds day 'jdn'. */
static int month_of_day(int64_t jdn)
{
    int k = (int)floor_d(((double)jdn - NEW_MOON_EPOCH) / SYNODIC_MONTH);

    while (!begins_by(k, jdn))
        k--;
    while (begins_by(k + 1, jdn))
        k++;
    return k;
}

/*
 * The 30-degree sector of the Sun's apparent longitude (0 for [0, 30)) at the
 * midnight that begins month 'k'. The longitude only grows, so when it is in
 * the same sector at the earliest and the latest possible first day, that is
 * the sector.
 */
static int start_sector(int k)
{
    int64_t earliest, latest;
    int sector;

    month_start_bounds(k, &earliest, &latest);
    sector = (int)(sun_longitude_at_midnight(earliest) / 30.0);
    if (sector == (int)(sun_longitude_at_midnight(latest) / 30.0))
        return sector;
    return (int)(sun_longitude_at_midnight(month_start(k)) / 30.0);
}

/*
 * The new moon number of month 11 of Gregorian year 'year': the month that
 * holds the local day of the December solstice. The solstice is found as
 * Meeus ch. 27 does, correcting a guess by 58 sin(270 - lambda) days until the
 * Sun's apparent longitude lambda is 270 degrees.
 */
static int month11(int year)
{
    struct rf_date dec21 = {year, 12, 21};
    double jde = (double)(rf_date_to_days(dec21) + JDN_UNIX_EPOCH);

    for (int i = 0; i < 10; i++) {
        double step = 58.0 * sin_deg(270.0 - sun_longitude(jde));

        jde += step;
        if (step < 1e-7 && step > -1e-7)
            break;
    }
    return month_of_day(local_day(jde));
}

/*
 * In a sui of 13 months whose month 11 is new moon 'k11', the place of the
 * leap month (1 for the month after month 11) if it is among places 1 to
 * 'upto', else 0. A month holds no major solar term when the Sun is in the
 * same 30-degree sector at the midnight that begins it and at the one that
 * begins the next month: the longitude cannot gain a whole turn in a month.
 */
static int leap_place(int k11, int upto)
{
    int sector = upto < 1 ? 0 : start_sector(k11 + 1);

    for (int i = 1; i <= upto; i++) {
        int next = start_sector(k11 + i + 1);

        if (next == sector)
            return i;
        sector = next;
    }
    return 0;
}

/* Day 'jdn' within [RF_DATE_MIN_YEAR, RF_DATE_MAX_YEAR]? */
static int in_range(int64_t jdn)
{
    struct rf_date first = {RF_DATE_MIN_YEAR, 1, 1}, last = {RF_DATE_MAX_YEAR, 12, 31};

    return jdn >= rf_date_to_days(first) + JDN_UNIX_EPOCH &&
           jdn <= rf_date_to_days(last) + JDN_UNIX_EPOCH;
}

int rf_lunar_from_solar(struct rf_date d, struct rf_lunar_date *out)
{
    int64_t jdn, start;
    int k, k11, first, last, sui_year, place, leap = 0, number;

    if (!out || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > rf_date_days_in_month(d.year, d.month))
        return RF_EINVAL;
    jdn = rf_date_to_days(d) + JDN_UNIX_EPOCH;
    if (!in_range(jdn))
        return RF_EINVAL;
    k = month_of_day(jdn);
    start = month_start(k);
    k11 = month11(d.year);
    if (k >= k11) {
        sui_year = d.year;
        first = k11;
        last = month11(d.year + 1);
    } else {
        sui_year = d.year - 1;
        first = month11(d.year - 1);
        last = k11;
    }
    place = k - first; /* 0 for month 11 */
    if (last - first == 13) {
        int leap_at = leap_place(first, place);

        if (leap_at != 0) {
            leap = leap_at == place;
            place--; /* the leap month and those after it count one less */
        }
    }
    number = (place + 10) % 12 + 1;
    /* months 11 and 12 end the lunar year 'sui_year'; Tet opens the next */
    out->year = number >= 11 ? sui_year : sui_year + 1;
    out->month = number;
    out->day = (int)(jdn - start) + 1;
    out->leap = leap;
    return RF_OK;
}

int rf_lunar_to_solar(struct rf_lunar_date l, struct rf_date *out)
{
    int sui_year, first, last, place;
    int64_t start, next;

    if (!out || l.year < RF_DATE_MIN_YEAR - 1 || l.year > RF_DATE_MAX_YEAR || l.month < 1 ||
        l.month > 12 || l.day < 1 || l.day > 30 || (l.leap != 0 && l.leap != 1))
        return RF_EINVAL;
    sui_year = l.month >= 11 ? l.year : l.year - 1;
    first = month11(sui_year);
    last = month11(sui_year + 1);
    place = l.month >= 11 ? l.month - 11 : l.month + 1; /* were there no leap month */
    if (last - first == 13) {
        int leap_at = leap_place(first, place + 1);

        if (l.leap && leap_at != place + 1)
            return RF_EINVAL;
        if (leap_at != 0 && leap_at <= place + l.leap)
            place++;
    } else if (l.leap) {
        return RF_EINVAL;
    }
    start = month_start(first + place);
    next = month_start(first + place + 1);
    if (l.day > next - start || !in_range(start + l.day - 1))
        return RF_EINVAL;
    *out = rf_date_from_days(start + l.day - 1 - JDN_UNIX_EPOCH);
    return RF_OK;
}

int rf_lunar_parse(const char *s, struct rf_lunar_date *out)
{
    struct rf_lunar_date l;
    size_t len;

    if (!s || !out)
        return RF_EINVAL;
    len = strlen(s);
    if (len != 10 && len != 11)
        return RF_EINVAL;
    l.leap = len == 11;
    if (s[4] != '-' || s[7 + l.leap] != '-' || (l.leap && s[7] != 'L'))
        return RF_EINVAL;
    if (rf_digits(s, 4, &l.year) || rf_digits(s + 5, 2, &l.month) ||
        rf_digits(s + 8 + l.leap, 2, &l.day))
        return RF_EINVAL;
    if (l.month < 1 || l.month > 12 || l.day < 1 || l.day > 30)
        return RF_EINVAL;
    *out = l;
    return RF_OK;
}

void rf_lunar_format(struct rf_lunar_date l, char out[RF_LUNAR_LEN])
{
    int at = 7;

    rf_put_digits(out, (unsigned)l.year, 4);
    out[4] = '-';
    rf_put_digits(out + 5, (unsigned)l.month, 2);
    if (l.leap)
        out[at++] = 'L';
    out[at] = '-';
    rf_put_digits(out + at + 1, (unsigned)l.day, 2);
    out[at + 3] = '\0';
}
