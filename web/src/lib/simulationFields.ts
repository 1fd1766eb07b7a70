import type { FlowDocument, FlowFormField, FormField } from '@contract';

const FORM_REFERENCE = /\bform\.([a-z][a-z0-9_]*)/g;

/**
 * The form fields that change anyone's path: those branch conditions read (`form.<field>`) and those
 * an approver rule takes people from. Only these are asked for before a simulation; the rest stay
 * empty. In form order.
 */
export function routingFields(document: FlowDocument): FlowFormField[] {
  const used = new Set<string>();
  for (const node of document.nodes) {
    if (node.type === 'exclusive')
      for (const branch of node.branches)
        for (const match of branch.condition.matchAll(FORM_REFERENCE)) if (match[1]) used.add(match[1]);
    const rules =
      node.type === 'approval'
        ? node.approvers
        : node.type === 'form_fill'
          ? node.assignees
          : node.type === 'cc'
            ? node.recipients
            : [];
    for (const rule of rules) if (rule.type === 'form_field') used.add(rule.field);
  }
  // Records, files and objects do not make sense as one value for everyone.
  return document.form.filter(
    (f) => used.has(f.api_name) && f.type !== 'record' && f.type !== 'file' && f.type !== 'object',
  );
}

/** A designer's field as the request form's controls take it (nothing is required here). */
export function asRequestField(field: FlowFormField): FormField {
  return {
    api_name: field.api_name,
    label: field.label,
    type: field.type,
    required: false,
    ...(field.options ? { options: field.options } : {}),
  };
}

/** The names of nodes, by id, from the document (the server's results name nodes by id). */
export function nodeNames(document: FlowDocument): Map<string, FlowDocument['nodes'][number]['name']> {
  return new Map(document.nodes.map((n) => [n.id, n.name]));
}
