/*
 * Roles and what each may do (DESIGN.md, "Who uses it"). The application
 * layer asks here whether a role allows an action; it then checks the unit
 * scope against the tree itself.
 */
#ifndef RF_ACCESS_H
#define RF_ACCESS_H

#include <stddef.h>

#include "../common/err.h"

enum rf_role {
    RF_ROLE_ADMIN = (1u << 0),       /* provincial IT centre: units, users, calendars */
    RF_ROLE_LEADER = (1u << 1),      /* heads of units: read their subtree, approve */
    RF_ROLE_SECRETARIAT = (1u << 2), /* PAR office of Home Affairs: province-wide */
    RF_ROLE_FOCAL = (1u << 3),       /* a unit's reform focal point */
    RF_ROLE_CLERK = (1u << 4),       /* one-stop desk officer */
    RF_ROLE_OFFICER = (1u << 5),     /* specialist acting on dossier steps */
    RF_ROLE_INSPECTOR = (1u << 6),   /* provincial inspectorate */
};

#define RF_ROLE_ALL 0x7fu

enum rf_action {
    RF_ACT_UNIT_READ,
    RF_ACT_UNIT_WRITE,
    RF_ACT_USER_READ,
    RF_ACT_USER_WRITE,
    RF_ACT_AUDIT_READ,
    RF_ACT_TOKEN_ISSUE,     /* bearer tokens for integrations */
    RF_ACT_TASK_READ,       /* documents, tasks and their figures */
    RF_ACT_TASK_WRITE,      /* register documents and tasks, extend deadlines */
    RF_ACT_TASK_REPORT,     /* report progress, mark complete (for one's unit) */
    RF_ACT_CALENDAR_WRITE,  /* record a year's announced calendar and the working hours */
    RF_ACT_PROCEDURE_WRITE, /* keep the catalogue of procedures */
    RF_ACT_DOSSIER_READ,    /* dossiers of one's scope, and the service center's figures */
    RF_ACT_DOSSIER_DESK,    /* receive, hand the result back: at the desk of one's unit */
    RF_ACT_DOSSIER_STEP,    /* act on a step held by one's unit */
    RF_ACT_COUNT
};

/*
 * Parse roles separated by '|' or ',' ("admin|leader") into a mask. Empty
 * input, an unknown name or a repeat is RF_EINVAL.
 */
int rf_roles_parse(const char *s, unsigned *out) RF_MUST_CHECK;
/* Write the role names joined by '|' into 'out' (at most 'size' bytes). */
void rf_roles_format(unsigned roles, char *out, size_t size);
/* Name of a single role bit, or NULL. */
const char *rf_role_name(unsigned role);

/* Whether any of 'roles' allows 'action'. */
int rf_access_allows(unsigned roles, enum rf_action action);

/*
 * Whether 'roles' act province-wide rather than in their unit's subtree:
 * admins configure the whole province, the secretariat runs the reform
 * programme province-wide, and inspectors handle reports about any unit.
 */
int rf_access_province_wide(unsigned roles);

#endif
