/*
 * Units: the province's tree of administrative bodies (don vi). The province
 * holds departments and, until 30 June 2025, district-level units (districts,
 * towns, provincial cities) which hold communes, wards and townships. From 1
 * July 2025 local government has two levels and communes sit directly under
 * the province.
 */
#ifndef RF_UNIT_H
#define RF_UNIT_H

#include "../common/err.h"
#include "date.h"

enum rf_unit_kind {
    RF_UNIT_PROVINCE,
    RF_UNIT_DEPARTMENT, /* so, ban, nganh and their centres */
    RF_UNIT_CITY,       /* thanh pho thuoc tinh */
    RF_UNIT_TOWN,       /* thi xa */
    RF_UNIT_DISTRICT,   /* huyen */
    RF_UNIT_WARD,       /* phuong */
    RF_UNIT_COMMUNE,    /* xa */
    RF_UNIT_TOWNSHIP,   /* thi tran */
    RF_UNIT_KIND_COUNT
};

#define RF_UNIT_CODE_MAX 32
#define RF_UNIT_NAME_MAX 200 /* code points */

/* The first day of two-level local government (Law 72/2025/QH15). */
#define RF_TWO_LEVEL_FROM "2025-07-01"

/* Kind from its API name ("district"); RF_EINVAL for an unknown name. */
int rf_unit_kind_parse(const char *name, enum rf_unit_kind *out) RF_MUST_CHECK;
/* The API name of 'kind' (static text), "unknown" for a value out of range. */
const char *rf_unit_kind_name(enum rf_unit_kind kind);
/* 1 for the province, 2 for departments and district-level, 3 for communes. */
int rf_unit_kind_level(enum rf_unit_kind kind);

/* RF_OK when 'code' is 1..32 of [A-Za-z0-9._-]; RF_EINVAL otherwise. */
int rf_unit_code_check(const char *code) RF_MUST_CHECK;

/*
 * Whether a unit of kind 'child' may sit under one of kind 'parent' on a
 * period starting 'from'. Returns RF_OK or RF_EINVAL with the reason in 'err'
 * against field 'field'.
 */
int rf_unit_parent_check(enum rf_unit_kind child, enum rf_unit_kind parent, struct rf_date from,
                         const char *field, struct rf_error *err) RF_MUST_CHECK;

/*
 * Whether a unit of kind 'kind' may be in force on a period starting 'from'.
 * District-level units end with the three-level government on 30 June 2025.
 */
int rf_unit_kind_check(enum rf_unit_kind kind, struct rf_date from, const char *field,
                       struct rf_error *err) RF_MUST_CHECK;

/*
 * Whether a unit of kind 'kind' may be in force from 'from' until 'to'
 * (exclusive; NULL while open-ended): district-level units and townships
 * end by 1 July 2025, so they need an end on or before it. A kind out of
 * force on 'from' is named by 'kind_field', a missing or late end by
 * 'end_field'.
 */
int rf_unit_period_check(enum rf_unit_kind kind, struct rf_date from, const struct rf_date *to,
                         const char *kind_field, const char *end_field,
                         struct rf_error *err) RF_MUST_CHECK;

/*
 * Whether a unit may be reclassified from kind 'was' to 'now': only within
 * its level (a commune becomes a ward or township; a district becomes a town
 * or city), since its place in the tree depends on its level.
 */
int rf_unit_kind_change_check(enum rf_unit_kind was, enum rf_unit_kind now, const char *field,
                              struct rf_error *err) RF_MUST_CHECK;

#endif
