/*
 * Rules of the unit tree. Three levels of local government (province;
 * district, town, provincial city; commune, ward, township) under the Law on
 * the Organisation of Local Government 2015, art. 2; two levels (province;
 * commune, ward) from 1 July 2025 under Law 72/2025/QH15 and Resolution
 * 202/2025/QH15. Departments are specialised agencies of the provincial
 * People's Committee (Decree 24/2014, replaced by Decree 45/2025) and may
 * hold their own centres.
 */
#include "unit.h"

#include <string.h>

static const char *const kind_names[RF_UNIT_KIND_COUNT] = {
    "province", "department", "city", "town", "district", "ward", "commune", "township",
};

int rf_unit_kind_parse(const char *name, enum rf_unit_kind *out)
{
    for (int k = 0; k < RF_UNIT_KIND_COUNT; k++) {
        if (name && strcmp(name, kind_names[k]) == 0) {
            *out = (enum rf_unit_kind)k;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}

const char *rf_unit_kind_name(enum rf_unit_kind kind)
{
    return (unsigned)kind < RF_UNIT_KIND_COUNT ? kind_names[kind] : "unknown";
}

int rf_unit_kind_level(enum rf_unit_kind kind)
{
    switch (kind) {
    case RF_UNIT_PROVINCE:
        return 1;
    case RF_UNIT_DEPARTMENT:
    case RF_UNIT_CITY:
    case RF_UNIT_TOWN:
    case RF_UNIT_DISTRICT:
        return 2;
    default:
        return 3;
    }
}

int rf_unit_code_check(const char *code)
{
    size_t n = code ? strlen(code) : 0;

    if (n == 0 || n > RF_UNIT_CODE_MAX)
        return RF_EINVAL;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return RF_EINVAL;
    }
    return RF_OK;
}

static int two_level(struct rf_date from)
{
    struct rf_date start;

    if (rf_date_parse(RF_TWO_LEVEL_FROM, &start) != RF_OK)
        return 0;
    return rf_date_cmp(from, start) >= 0;
}

static int is_district_level(enum rf_unit_kind k)
{
    return k == RF_UNIT_CITY || k == RF_UNIT_TOWN || k == RF_UNIT_DISTRICT;
}

static int is_commune_level(enum rf_unit_kind k)
{
    return k == RF_UNIT_WARD || k == RF_UNIT_COMMUNE || k == RF_UNIT_TOWNSHIP;
}

int rf_unit_kind_check(enum rf_unit_kind kind, struct rf_date from, const char *field,
                       struct rf_error *err)
{
    if (is_district_level(kind) && two_level(from))
        return rf_error_set(err, RF_EINVAL, field, "dissolved_level",
                            "district-level units end on 30 June 2025 (Law 72/2025/QH15)");
    if (kind == RF_UNIT_TOWNSHIP && two_level(from))
        return rf_error_set(err, RF_EINVAL, field, "dissolved_level",
                            "townships end on 30 June 2025 (Resolution 202/2025/QH15)");
    return RF_OK;
}

int rf_unit_parent_check(enum rf_unit_kind child, enum rf_unit_kind parent, struct rf_date from,
                         const char *field, struct rf_error *err)
{
    int ok;

    switch (child) {
    case RF_UNIT_PROVINCE:
        return rf_error_set(err, RF_EINVAL, field, "root_has_no_parent",
                            "a province is the root of its tree and has no parent");
    case RF_UNIT_DEPARTMENT:
        ok = parent == RF_UNIT_PROVINCE || parent == RF_UNIT_DEPARTMENT ||
             (is_district_level(parent) && !two_level(from));
        break;
    case RF_UNIT_CITY:
    case RF_UNIT_TOWN:
    case RF_UNIT_DISTRICT:
        ok = parent == RF_UNIT_PROVINCE;
        break;
    default:
        /* communes under their district until 30 June 2025, under the province after */
        ok = two_level(from) ? parent == RF_UNIT_PROVINCE : is_district_level(parent);
        break;
    }
    if (ok)
        return RF_OK;
    if (is_commune_level(child))
        return rf_error_set(err, RF_EINVAL, field, "parent_kind",
                            two_level(from)
                                ? "from 1 July 2025 a commune or ward sits under the province"
                                : "before 1 July 2025 a commune sits under a district, town "
                                  "or city");
    return rf_error_set(err, RF_EINVAL, field, "parent_kind", "a %s cannot sit under a %s",
                        rf_unit_kind_name(child), rf_unit_kind_name(parent));
}

int rf_unit_period_check(enum rf_unit_kind kind, struct rf_date from, const struct rf_date *to,
                         const char *kind_field, const char *end_field, struct rf_error *err)
{
    struct rf_date end;
    int rc = rf_unit_kind_check(kind, from, kind_field, err);

    if (rc != RF_OK)
        return rc;
    if (!is_district_level(kind) && kind != RF_UNIT_TOWNSHIP)
        return RF_OK;
    if (rf_date_parse(RF_TWO_LEVEL_FROM, &end) != RF_OK)
        return RF_EINVAL;
    if (!to || rf_date_cmp(*to, end) > 0)
        return rf_error_set(err, RF_EINVAL, end_field, "dissolved_level",
                            "a %s ends by 1 July 2025 (Law 72/2025/QH15): give valid_to "
                            "2025-07-01 or earlier",
                            rf_unit_kind_name(kind));
    return RF_OK;
}

int rf_unit_kind_change_check(enum rf_unit_kind was, enum rf_unit_kind now, const char *field,
                              struct rf_error *err)
{
    if (was == now)
        return RF_OK;
    if (was != RF_UNIT_PROVINCE && now != RF_UNIT_PROVINCE &&
        rf_unit_kind_level(was) == rf_unit_kind_level(now) &&
        (was == RF_UNIT_DEPARTMENT) == (now == RF_UNIT_DEPARTMENT))
        return RF_OK;
    return rf_error_set(err, RF_EINVAL, field, "kind_change",
                        "a %s can become only a unit of its own level, not a %s",
                        rf_unit_kind_name(was), rf_unit_kind_name(now));
}
