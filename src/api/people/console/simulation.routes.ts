import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';

/** Console: organisation simulation, publish impact, canvas path preview (owner: h-sim). */
export function registerConsoleSimulationRoutes(_admin: HttpApp, _services: Services): void {
  // Routes arrive with this area's slice.
}
