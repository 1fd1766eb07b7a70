import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';

/** Console: process search, audit trail, reassign, return, withdraw/revoke on behalf, CSV export (owner: h-monitor). */
export function registerConsoleMonitoringRoutes(_admin: HttpApp, _services: Services): void {
  // Routes arrive with this area's slice.
}
