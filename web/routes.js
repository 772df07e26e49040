// The route table: each route's path pattern, its page component and the roles that may
// open it (null: every signed-in user). Sections listed in nav.js share their roles here.
// A route marked 'public' opens without signing in too (the citizen's dossier lookup).

import { NAV } from './nav.js';
import { matchPath } from './router.js';
import { UnitsPage } from './pages/units.js';
import { UnitPage } from './pages/unit.js';
import { UsersPage, UserNewPage, UserPage } from './pages/users.js';
import { AuditPage } from './pages/audit.js';
import { TasksPage, TaskPage } from './pages/tasks.js';
import { DocumentsPage, DocumentNewPage, DocumentPage } from './pages/documents.js';
import { DashboardPage } from './pages/dashboard.js';
import { CalendarPage } from './pages/calendar.js';
import { DeskPage } from './pages/desk.js';
import { WorklistPage } from './pages/worklist.js';
import { DossierPage } from './pages/dossier.js';
import { DossierFormPage, LogbookPage } from './pages/slips.js';
import { LookupPage } from './pages/lookup.js';
import { ServicePage, ServiceListPage } from './pages/service.js';

const navRoles = (path) => {
  const entry = NAV.find((e) => e.path === path);
  return entry ? entry.roles : null;
};

// Who reads dossiers (RF_ACT_DOSSIER_READ): those who work on them and those who oversee.
const DOSSIER_READERS = ['admin', 'leader', 'secretariat', 'clerk', 'officer', 'inspector'];

export const ROUTES = [
  { pattern: '/units', page: UnitsPage, roles: navRoles('/units') },
  { pattern: '/units/:id', page: UnitPage, roles: navRoles('/units') },
  { pattern: '/users', page: UsersPage, roles: navRoles('/users') },
  { pattern: '/users/new', page: UserNewPage, roles: ['admin'] },
  { pattern: '/users/:id', page: UserPage, roles: navRoles('/users') },
  { pattern: '/audit', page: AuditPage, roles: navRoles('/audit') },
  { pattern: '/dashboard', page: DashboardPage, roles: navRoles('/dashboard') },
  { pattern: '/tasks', page: TasksPage, roles: navRoles('/tasks') },
  { pattern: '/tasks/:id', page: TaskPage, roles: navRoles('/tasks') },
  { pattern: '/documents', page: DocumentsPage, roles: navRoles('/documents') },
  // before '/documents/:id', which would match "new" too
  { pattern: '/documents/new', page: DocumentNewPage, roles: ['secretariat'] },
  { pattern: '/documents/:id', page: DocumentPage, roles: navRoles('/documents') },
  { pattern: '/calendar', page: CalendarPage, roles: navRoles('/calendar') },
  { pattern: '/desk', page: DeskPage, roles: navRoles('/desk') },
  { pattern: '/desk/logbook', page: LogbookPage, roles: navRoles('/desk') },
  { pattern: '/worklist', page: WorklistPage, roles: navRoles('/worklist') },
  { pattern: '/dossiers/:code', page: DossierPage, roles: DOSSIER_READERS },
  { pattern: '/dossiers/:code/forms/:form', page: DossierFormPage, roles: DOSSIER_READERS },
  { pattern: '/service', page: ServicePage, roles: navRoles('/service') },
  { pattern: '/service/list', page: ServiceListPage, roles: navRoles('/service') },
  { pattern: '/lookup', page: LookupPage, roles: null, public: true },
];

/** The public route that 'path' opens, if any: shown to signed-out visitors too. */
export function publicRoute(path) {
  return ROUTES.find((r) => r.public && matchPath(r.pattern, path)) || null;
}

/** The page a signed-in user lands on from "/". */
export const HOME = '/units';
