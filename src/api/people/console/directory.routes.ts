import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';

/** Console: departments, employees, roles, CSV import (owner: h-dir). */
export function registerConsoleDirectoryRoutes(_admin: HttpApp, _services: Services): void {
  // Routes arrive with this area's slice.
}
