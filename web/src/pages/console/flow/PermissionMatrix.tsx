import { Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FlowFormField, FlowNode } from '@contract';
import type { DraftEditor } from '../flows/draftEditor';
import { updateNode } from '../../../lib/flowTree';
import { localized } from '../../../lib/language';

type Permission = 'hidden' | 'read' | 'edit' | 'required';
type FieldNode = Extract<FlowNode, { type: 'approval' | 'form_fill' }>;

export function permissionOf(node: FieldNode, field: string): Permission {
  if (node.hidden_fields?.includes(field)) return 'hidden';
  if (node.required_fields?.includes(field)) return 'required';
  if (node.editable_fields?.includes(field)) return 'edit';
  return 'read';
}

/** The node with one field's permission changed: required is also editable; hidden is neither. */
export function withPermission(node: FieldNode, field: string, permission: Permission): FieldNode {
  const without = (list: string[] | undefined) => (list ?? []).filter((f) => f !== field);
  const editable = without(node.editable_fields);
  const required = without(node.required_fields);
  const hidden = without(node.hidden_fields);
  if (permission === 'edit' || permission === 'required') editable.push(field);
  if (permission === 'required') required.push(field);
  if (permission === 'hidden') hidden.push(field);
  const { hidden_fields: _dropped, ...rest } = node;
  return {
    ...rest,
    editable_fields: editable,
    required_fields: required,
    ...(hidden.length > 0 ? { hidden_fields: hidden } : {}),
  };
}

/** Field permissions as a fields × nodes matrix: hidden / read / edit / required per approval or form-fill node. */
export function PermissionMatrix({ editor }: { editor: DraftEditor }) {
  const { t, i18n } = useTranslation('consoleFlow');
  const nodes = editor.document.nodes.filter(
    (n): n is FieldNode => n.type === 'approval' || n.type === 'form_fill',
  );
  const fields = editor.document.form;
  if (fields.length === 0 || nodes.length === 0) return null;
  const columns = [
    {
      title: t('matrix.field'),
      key: 'field',
      fixed: 'left' as const,
      render: (_: unknown, field: FlowFormField) => localized(field.label, i18n.language),
    },
    ...nodes.map((node) => ({
      title: localized(node.name, i18n.language),
      key: node.id,
      render: (_: unknown, field: FlowFormField) => (
        <Select<Permission>
          size="small"
          aria-label={t('matrix.cell', {
            field: localized(field.label, i18n.language),
            node: localized(node.name, i18n.language),
          })}
          value={permissionOf(node, field.api_name)}
          disabled={editor.readOnly}
          style={{ width: 110 }}
          options={(['hidden', 'read', 'edit', 'required'] as const).map((p) => ({
            value: p,
            label: t(`matrix.${p}`),
          }))}
          onChange={(permission) => {
            editor.change((doc) =>
              updateNode(doc, node.id, (n) =>
                n.type === 'approval' || n.type === 'form_fill'
                  ? withPermission(n, field.api_name, permission)
                  : n,
              ),
            );
          }}
        />
      ),
    })),
  ];
  return (
    <section className="pf-flow-matrix" aria-labelledby="flow-matrix-title">
      <Typography.Title level={3} id="flow-matrix-title">
        {t('matrix.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('matrix.hint')}</Typography.Paragraph>
      <Table<FlowFormField>
        size="small"
        rowKey="api_name"
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={columns}
        dataSource={fields}
      />
    </section>
  );
}
