import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import { DefinitionDocumentSchema } from '../../../services/definition-document.js';
import type { HttpApp } from '../../http-app.js';
import { pathPreview } from '../approval-center-render.js';
import { personOf } from '../index.js';
import { sendPeopleResult } from '../reply.js';
import { requireFlowAdmin } from './index.js';

const FlowParams = Type.Object({ flow_id: Type.String({ pattern: '^\\d{1,19}$' }) });
const UserId = Type.String({ minLength: 1, maxLength: 64 });
const PreviewBody = Type.Object(
  {
    document: Type.Optional(DefinitionDocumentSchema),
    initiator_user_id: UserId,
    form_values: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), {
      maxProperties: 200,
    }),
    selected_approvers: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Array(UserId, { maxItems: 50 }), {
        maxProperties: 50,
      }),
    ),
  },
  { additionalProperties: false },
);

/** Console: the path preview on the flow designer's canvas (nothing is started or stored). */
export function registerConsolePreviewRoutes(admin: HttpApp, services: Services): void {
  admin.post(
    '/flows/:flow_id/preview',
    {
      schema: {
        params: FlowParams,
        body: PreviewBody,
        tags: ['admin console'],
        summary: 'The path a (possibly unsaved) flow document would take for an initiator and form values',
      },
    },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const body = request.body;
      return sendPeopleResult(
        reply,
        await services.canvasPreview.preview(personOf(request), flowId, {
          document: body.document,
          initiatorUserId: body.initiator_user_id,
          formValues: body.form_values,
          selectedApprovers: body.selected_approvers,
        }),
        pathPreview,
      );
    },
  );
}
