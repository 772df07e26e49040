// The navigation menu. Modules plug in by adding an entry: 'path' is the route the link
// opens, 'label' the catalog key of its text, 'roles' the roles that see it (null: every
// signed-in user). The same roles guard the route itself (see routes.js).

export const NAV = [
  { path: '/units', label: 'nav.units', roles: null },
  { path: '/dashboard', label: 'nav.dashboard', roles: null },
  { path: '/tasks', label: 'nav.tasks', roles: null },
  { path: '/documents', label: 'nav.documents', roles: null },
  { path: '/calendar', label: 'nav.calendar', roles: null },
  { path: '/desk', label: 'nav.desk', roles: ['clerk'] },
  { path: '/worklist', label: 'nav.worklist', roles: ['clerk', 'officer', 'leader'] },
  {
    path: '/service',
    label: 'nav.service',
    roles: ['clerk', 'officer', 'leader', 'secretariat', 'admin', 'inspector'],
  },
  { path: '/users', label: 'nav.users', roles: ['admin', 'leader'] },
  { path: '/audit', label: 'nav.audit', roles: ['admin', 'secretariat'] },
];

/** True when a user with the roles of 'me' may use something limited to 'roles'. */
export function allowed(roles, me) {
  if (!roles) return true;
  return !!me && Array.isArray(me.roles) && me.roles.some((r) => roles.includes(r));
}

/** The entries of NAV that 'me' may see. */
export function visibleNav(me) {
  return NAV.filter((entry) => allowed(entry.roles, me));
}

/** The NAV entry whose section contains 'path' ("/users/12" is in "/users"). */
export function currentNav(path) {
  return NAV.find((e) => path === e.path || path.startsWith(e.path + '/')) || null;
}
