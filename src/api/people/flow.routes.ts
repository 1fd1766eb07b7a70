import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import type { FlowSummary, Page } from './contract.js';
import { flowForm, flowSummary, pathPreview } from './approval-center-render.js';
import { sendPeopleFailure, sendPeopleResult } from './reply.js';
import { personOf } from './index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery, SearchText } from './paging.js';

const Id = Type.String({ pattern: '^\\d{1,19}$' });
const FlowParams = Type.Object({ flow_id: Id });
const FormValues = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), {
  maxProperties: 200,
});
const SelectedApprovers = Type.Record(
  Type.String({ minLength: 1, maxLength: 64 }),
  Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 }),
  { maxProperties: 50 },
);
const FlowsQuery = Type.Object(
  {
    query: Type.Optional(SearchText),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  { additionalProperties: false },
);
const PreviewBody = Type.Object(
  { form_values: FormValues, selected_approvers: Type.Optional(SelectedApprovers) },
  { additionalProperties: false },
);
const StartBody = Type.Object(
  { flow_id: Id, form_values: FormValues, selected_approvers: Type.Optional(SelectedApprovers) },
  { additionalProperties: false },
);

const tags = ['people API'];

/** What one can start, its form, the live path preview, and starting a request as oneself. */
export function registerFlowRoutes(app: HttpApp, services: Services): void {
  app.get(
    '/flows',
    { schema: { querystring: FlowsQuery, tags, summary: 'Enabled flows the person may start' } },
    async (request, reply) => {
      const session = personOf(request);
      const { query, page_size: pageSize = 100, page_token: token } = request.query;
      const after = decodePeopleCursor(reply, token, `flows:${query ?? ''}`);
      if (after === null) return reply;
      const page = await services.approvalCenter.flows(session, query, pageSize, after);
      const body: Page<FlowSummary> = {
        items: page.items.map(flowSummary),
        ...(page.next !== undefined
          ? { page_token: encodePeopleCursor(page.next, `flows:${query ?? ''}`) }
          : {}),
      };
      return body;
    },
  );

  app.get(
    '/flows/:flow_id',
    { schema: { params: FlowParams, tags, summary: 'The form of the version new requests use' } },
    async (request, reply) =>
      sendPeopleResult(
        reply,
        await services.approvalCenter.flow(personOf(request), request.params.flow_id),
        flowForm,
      ),
  );

  app.post(
    '/flows/:flow_id/preview',
    {
      schema: {
        params: FlowParams,
        body: PreviewBody,
        tags,
        summary: 'The path a request would take (partial values are fine; nothing is stored)',
      },
    },
    async (request, reply) =>
      sendPeopleResult(
        reply,
        await services.approvalCenter.preview(personOf(request), request.params.flow_id, {
          formValues: request.body.form_values,
          selectedApprovers: request.body.selected_approvers,
        }),
        pathPreview,
      ),
  );

  app.post(
    '/processes',
    { schema: { body: StartBody, tags, summary: 'Start a request as the signed-in person' } },
    async (request, reply) => {
      const started = await services.approvalCenter.start(personOf(request), {
        flowId: request.body.flow_id,
        formValues: request.body.form_values,
        selectedApprovers: request.body.selected_approvers,
      });
      if (!started.ok) return sendPeopleFailure(reply, started.error);
      // The full ProcessDetail is GET /api/v1/processes/:process_id.
      return reply.status(201).send({ process_id: started.value.id, status: started.value.status });
    },
  );
}
