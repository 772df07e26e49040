// The route table: each route's path pattern, its page component and the roles that may
// open it (null: every signed-in user). Sections listed in nav.js share their roles here.

import { NAV } from './nav.js';
import { UnitsPage } from './pages/units.js';
import { UnitPage } from './pages/unit.js';
import { UsersPage, UserNewPage, UserPage } from './pages/users.js';
import { AuditPage } from './pages/audit.js';

const navRoles = (path) => {
  const entry = NAV.find((e) => e.path === path);
  return entry ? entry.roles : null;
};

export const ROUTES = [
  { pattern: '/units', page: UnitsPage, roles: navRoles('/units') },
  { pattern: '/units/:id', page: UnitPage, roles: navRoles('/units') },
  { pattern: '/users', page: UsersPage, roles: navRoles('/users') },
  { pattern: '/users/new', page: UserNewPage, roles: ['admin'] },
  { pattern: '/users/:id', page: UserPage, roles: navRoles('/users') },
  { pattern: '/audit', page: AuditPage, roles: navRoles('/audit') },
];

/** The page a signed-in user lands on from "/". */
export const HOME = '/units';
