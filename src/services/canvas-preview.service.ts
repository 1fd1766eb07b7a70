import { validateDefinition } from '../engine/definition.js';
import type { ApprovalCenterService, PreviewResult } from './approval-center.service.js';
import type { DefinitionService } from './definition.service.js';
import { peopleIndex } from './definition.service.js';
import { fromDocument, type DefinitionDocument } from './definition-document.js';
import type { ProcessService } from './process.service.js';
import { fail, ok, type Result } from './result.js';
import type { PersonSession } from './session.service.js';

export interface CanvasPreviewInput {
  /** The designer's unsaved document; without it, the saved draft, else the latest version. */
  document?: DefinitionDocument | undefined;
  initiatorUserId: string;
  formValues: Record<string, unknown>;
  selectedApprovers?: Record<string, string[]> | undefined;
}

/**
 * The flow designer's path preview: the path a document would take for a chosen initiator and form
 * values, with each node's resolved people, through the engine's own preview. Nothing is stored.
 * The caller checks that the person administers the flow.
 */
export class CanvasPreviewService {
  constructor(
    private readonly definitions: DefinitionService,
    private readonly processes: ProcessService,
    private readonly approvalCenter: ApprovalCenterService,
  ) {}

  async preview(
    session: PersonSession,
    flowId: string,
    input: CanvasPreviewInput,
  ): Promise<Result<PreviewResult>> {
    let document = input.document;
    if (!document) {
      const view = await this.definitions.get(session.tenant.tenantKey, flowId);
      if (!view.ok) return view;
      document = view.value.draft ?? view.value.published ?? undefined;
      if (!document) return fail('not_found', `flow definition ${flowId} has neither a draft nor a version`);
    } else {
      // The flow must exist in this tenant even when the document comes with the request.
      const view = await this.definitions.get(session.tenant.tenantKey, flowId);
      if (!view.ok) return view;
    }
    const directory = await this.processes.directory(session.tenant.id);
    const people = peopleIndex(directory);
    const initiatorId = people.idOf(input.initiatorUserId);
    const initiator = initiatorId === undefined ? undefined : directory.employees.get(initiatorId);
    if (!initiator)
      return fail('invalid_field', `no person "${input.initiatorUserId}" in this tenant`, [
        { field: 'initiator_user_id', description: 'unknown user' },
      ]);
    if (initiator.employmentStatus !== 'active')
      return fail(
        'invalid_field',
        `${input.initiatorUserId} is not an active employee and cannot start requests`,
        [{ field: 'initiator_user_id', description: 'is not an active employee' }],
      );

    const converted = fromDocument(document, people);
    const problems = [
      ...converted.violations,
      ...validateDefinition({ ...converted.definition, id: flowId, version: 0 }),
    ];
    if (problems.length > 0)
      return fail(
        'invalid_field',
        'the flow has problems that publishing would refuse; fix them to preview its path',
        problems.map((p) => ({ ...p, field: `document.${p.field}` })),
      );
    return ok(
      await this.approvalCenter.previewOf(
        session,
        { ...converted.definition, id: flowId, version: 0 },
        directory,
        initiator,
        { formValues: input.formValues, selectedApprovers: input.selectedApprovers },
      ),
    );
  }
}
