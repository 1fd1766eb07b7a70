import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { FormFieldDoc } from '../../../services/definition-document.js';
import type { HttpApp } from '../../http-app.js';
import type { ExpressionCheckResult } from '../contract.js';

const CheckBody = Type.Object(
  {
    form: Type.Array(FormFieldDoc, { maxItems: 200 }),
    expression: Type.String({ minLength: 1, maxLength: 2000 }),
    kind: Type.Enum(['condition']),
  },
  { additionalProperties: false },
);

/** Console: live checking of CEL expressions while the designers are typing them (nothing is saved). */
export function registerConsoleExpressionRoutes(admin: HttpApp, services: Services): void {
  admin.post('/expressions/check', { schema: { body: CheckBody } }, (request): ExpressionCheckResult => {
    const { form, expression, kind } = request.body;
    const problem = services.definitions.checkExpression(form, expression, kind);
    return problem === null ? { ok: true } : { ok: false, problem };
  });
}
