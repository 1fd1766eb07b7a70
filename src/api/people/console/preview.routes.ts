import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';

/** Console: the path preview on the flow designer's canvas (owner: h-flowdesigner). */
export function registerConsolePreviewRoutes(_admin: HttpApp, _services: Services): void {
  // Routes arrive with this area's slice.
}
