/*
 * The role matrix: one table, one place where "who may do what" is decided.
 */
#include "access.h"

#include <stdio.h>
#include <string.h>

static const struct {
    unsigned bit;
    const char *name;
} roles[] = {
    {RF_ROLE_ADMIN, "admin"},
    {RF_ROLE_LEADER, "leader"},
    {RF_ROLE_SECRETARIAT, "secretariat"},
    {RF_ROLE_FOCAL, "focal"},
    {RF_ROLE_CLERK, "clerk"},
    {RF_ROLE_OFFICER, "officer"},
    {RF_ROLE_INSPECTOR, "inspector"},
};

#define NROLES (sizeof(roles) / sizeof(roles[0]))

/* which roles allow each action */
static const unsigned allowed[RF_ACT_COUNT] = {
    [RF_ACT_UNIT_READ] = RF_ROLE_ALL,
    [RF_ACT_UNIT_WRITE] = RF_ROLE_ADMIN,
    [RF_ACT_USER_READ] = RF_ROLE_ADMIN | RF_ROLE_LEADER,
    [RF_ACT_USER_WRITE] = RF_ROLE_ADMIN,
    [RF_ACT_AUDIT_READ] = RF_ROLE_ADMIN | RF_ROLE_SECRETARIAT,
    [RF_ACT_TOKEN_ISSUE] = RF_ROLE_ADMIN,
    [RF_ACT_TASK_READ] = RF_ROLE_ALL,
    /* the secretariat keeps the task book for the assigners */
    [RF_ACT_TASK_WRITE] = RF_ROLE_SECRETARIAT,
    /* a unit's focal point reports; the secretariat may record on its behalf */
    [RF_ACT_TASK_REPORT] = RF_ROLE_FOCAL | RF_ROLE_SECRETARIAT,
    /* the provincial IT centre keeps the calendar (DESIGN.md: admin configures calendars) */
    [RF_ACT_CALENDAR_WRITE] = RF_ROLE_ADMIN,
    [RF_ACT_PROCEDURE_WRITE] = RF_ROLE_ADMIN,
    /* Decree 61/2018: the desk's officers, the officers and heads who process, those who oversee */
    [RF_ACT_DOSSIER_READ] = RF_ROLE_ADMIN | RF_ROLE_LEADER | RF_ROLE_SECRETARIAT | RF_ROLE_CLERK |
                            RF_ROLE_OFFICER | RF_ROLE_INSPECTOR,
    [RF_ACT_DOSSIER_DESK] = RF_ROLE_CLERK,
    [RF_ACT_DOSSIER_STEP] = RF_ROLE_OFFICER | RF_ROLE_LEADER | RF_ROLE_CLERK,
};

int rf_roles_parse(const char *s, unsigned *out)
{
    unsigned mask = 0;
    const char *p = s;

    if (!s || !*s)
        return RF_EINVAL;
    for (;;) {
        size_t n = strcspn(p, "|,");
        size_t i;

        for (i = 0; i < NROLES; i++)
            if (strlen(roles[i].name) == n && strncmp(p, roles[i].name, n) == 0)
                break;
        if (i == NROLES || (mask & roles[i].bit))
            return RF_EINVAL;
        mask |= roles[i].bit;
        if (!p[n])
            break;
        p += n + 1;
    }
    *out = mask;
    return RF_OK;
}

void rf_roles_format(unsigned mask, char *out, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < NROLES; i++) {
        if (!(mask & roles[i].bit))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? "|" : "", roles[i].name);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

const char *rf_role_name(unsigned role)
{
    for (size_t i = 0; i < NROLES; i++)
        if (roles[i].bit == role)
            return roles[i].name;
    return NULL;
}

int rf_access_allows(unsigned mask, enum rf_action action)
{
    if ((unsigned)action >= RF_ACT_COUNT)
        return 0;
    return (mask & allowed[action]) != 0;
}

int rf_access_province_wide(unsigned mask)
{
    return (mask & (RF_ROLE_ADMIN | RF_ROLE_SECRETARIAT | RF_ROLE_INSPECTOR)) != 0;
}
