import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';

/** Console: flow definitions — list, drafts, validate, publish, versions, import/export, templates (owner: h-flows). */
export function registerConsoleFlowRoutes(_admin: HttpApp, _services: Services): void {
  // Routes arrive with this area's slice.
}
