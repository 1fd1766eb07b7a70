import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { FormFieldDoc } from '../../../services/definition-document.js';
import type { HttpApp } from '../../http-app.js';
import type { ExpressionCheckResult } from '../contract.js';
import { sendPeopleFailure } from '../reply.js';

const CheckBody = Type.Object(
  {
    form: Type.Array(FormFieldDoc, { maxItems: 200 }),
    expression: Type.String({ minLength: 1, maxLength: 2000 }),
    kind: Type.Enum(['condition', 'validation', 'visibility', 'calculation']),
    /** calculation: the api_name of the field it fills. */
    field: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

/** Console: live checking of CEL expressions while the designers are typing them (nothing is saved). */
export function registerConsoleExpressionRoutes(admin: HttpApp, services: Services): void {
  admin.post('/expressions/check', { schema: { body: CheckBody } }, (request, reply) => {
    if (request.body.kind === 'calculation' && request.body.field === undefined)
      return sendPeopleFailure(reply, {
        kind: 'invalid_field',
        message: 'a calculation is checked against the field it fills',
        violations: [{ field: 'field', description: 'is required for kind calculation' }],
      });
    const { form, expression, kind, field } = request.body;
    const checked = services.definitions.checkExpression(form, expression, kind, field);
    const result: ExpressionCheckResult =
      'problem' in checked ? { ok: false, problem: checked.problem } : { ok: true, type: checked.type };
    return result;
  });
}
