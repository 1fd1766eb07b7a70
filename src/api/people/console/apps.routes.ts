import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';

/** Console: apps, event settings, deliveries, metrics (owner: h-apps). */
export function registerConsoleAppRoutes(_admin: HttpApp, _services: Services): void {
  // Routes arrive with this area's slice.
}
