import { useState } from 'react';
import { Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type {
  FlowApprovalMode,
  FlowApproverRule,
  FlowDocument,
  FlowEmptyFallback,
  FlowNode,
  I18n,
} from '@contract';
import type { DraftEditor } from '../flows/draftEditor';
import { updateNode } from '../../../lib/flowTree';
import { localized } from '../../../lib/language';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { useRoleOptions } from './queries';
import { useReturnFocus } from '../flows/useReturnFocus';
import { TimersSection } from './TimersSection';

type RuleType = FlowApproverRule['type'];
const RULE_TYPES: RuleType[] = [
  'users',
  'manager',
  'department_leader',
  'role',
  'form_field',
  'initiator_selected',
  'initiator',
];

/** A new rule of a type, valid as it stands where it can be (users and roles need the admin's pick). */
function newRule(type: RuleType, document: FlowDocument): FlowApproverRule {
  switch (type) {
    case 'users':
      return { type, user_ids: [] };
    case 'manager':
    case 'department_leader':
      return { type, level: 1 };
    case 'role':
      return { type, role_key: '' };
    case 'form_field':
      return {
        type,
        field: document.form.find((f) => f.type === 'user' || f.type === 'employment')?.api_name ?? '',
      };
    case 'initiator_selected':
    case 'initiator':
      return { type };
  }
}

/** The properties of one node: name, who acts and how, fallback, fields. Each change is one undo step. */
export function NodeDrawer({
  editor,
  nodeId,
  onClose,
}: {
  editor: DraftEditor;
  nodeId: string;
  onClose: () => void;
}) {
  useReturnFocus();
  const { t, i18n } = useTranslation('consoleFlow');
  const node = editor.document.nodes.find((n) => n.id === nodeId);
  if (!node || (node.type !== 'approval' && node.type !== 'cc' && node.type !== 'form_fill')) return null;
  const readOnly = editor.readOnly;
  const change = (recipe: (n: FlowNode) => FlowNode) => {
    editor.change((doc) => updateNode(doc, nodeId, recipe));
  };
  const rulesKey = node.type === 'approval' ? 'approvers' : node.type === 'cc' ? 'recipients' : 'assignees';
  const rules: FlowApproverRule[] =
    node.type === 'approval' ? node.approvers : node.type === 'cc' ? node.recipients : node.assignees;
  const setRules = (next: FlowApproverRule[]) => {
    change((n) => ({ ...n, [rulesKey]: next }));
  };
  const fieldOptions = editor.document.form.map((f) => ({
    value: f.api_name,
    label: localized(f.label, i18n.language),
  }));
  const problems = editor.problems.filter((p) => p.node_id === nodeId);

  return (
    <Drawer
      open
      onClose={onClose}
      title={t('drawer.title', { name: localized(node.name, i18n.language) })}
      size="large"
      destroyOnHidden
    >
      {problems.length > 0 && (
        // The alert around the list, not on it: role="alert" on the <ul> would hide that it is a list.
        <div role="alert">
          <ul className="pf-flow-drawer-problems">
            {problems.map((p) => (
              <li key={`${p.field}:${p.description}`}>
                <Typography.Text type="danger">
                  {p.field}: {p.description}
                </Typography.Text>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Form layout="vertical" disabled={readOnly}>
        <NameFields
          name={node.name}
          onCommit={(name) => {
            change((n) => ({ ...n, name }));
          }}
        />
        {node.type === 'approval' && (
          <ModeField
            mode={node.mode ?? 'or'}
            onChange={(mode) => {
              change((n) => ({ ...n, mode }) as FlowNode);
            }}
          />
        )}
        <Form.Item label={t(`drawer.rules_${node.type}`)}>
          <RulesEditor rules={rules} document={editor.document} onChange={setRules} />
        </Form.Item>
        {node.type !== 'cc' && (
          <Form.Item label={t('drawer.fallback')} htmlFor={`fallback-${nodeId}`}>
            <Select<FlowEmptyFallback>
              id={`fallback-${nodeId}`}
              value={node.empty_fallback ?? 'to_admins'}
              onChange={(value) => {
                change((n) => ({ ...n, empty_fallback: value }) as FlowNode);
              }}
              options={(['to_admins', 'auto_pass', 'refuse'] as const).map((v) => ({
                value: v,
                label: t(`fallback.${v}`),
              }))}
            />
          </Form.Item>
        )}
        {node.type === 'form_fill' && (
          <Form.Item label={t('drawer.fill_fields')} htmlFor={`fill-${nodeId}`}>
            <Select<string[]>
              id={`fill-${nodeId}`}
              mode="multiple"
              value={node.editable_fields}
              options={fieldOptions}
              onChange={(value) => {
                change((n) => ({ ...n, editable_fields: value }) as FlowNode);
              }}
            />
          </Form.Item>
        )}
        {node.type === 'approval' && <TimersSection editor={editor} nodeId={nodeId} />}
        {node.type !== 'cc' && (
          <Typography.Paragraph type="secondary">{t('drawer.permissions_hint')}</Typography.Paragraph>
        )}
      </Form>
    </Drawer>
  );
}

function NameFields({ name, onCommit }: { name: I18n; onCommit: (name: I18n) => void }) {
  const { t } = useTranslation('consoleFlow');
  const [draft, setDraft] = useState(name);
  // Committed when the field is left: one undo step per edit, not per keystroke.
  const commit = () => {
    const clean = { zh_cn: draft.zh_cn.trim(), en_us: draft.en_us.trim() };
    if (clean.zh_cn && clean.en_us && (clean.zh_cn !== name.zh_cn || clean.en_us !== name.en_us))
      onCommit(clean);
  };
  return (
    <div>
      <Form.Item label={t('drawer.name_zh')} htmlFor="node-name-zh" required>
        <Input
          id="node-name-zh"
          value={draft.zh_cn}
          maxLength={200}
          onChange={(e) => {
            setDraft({ ...draft, zh_cn: e.target.value });
          }}
          onBlur={commit}
          status={draft.zh_cn.trim() ? undefined : 'error'}
        />
      </Form.Item>
      <Form.Item label={t('drawer.name_en')} htmlFor="node-name-en" required>
        <Input
          id="node-name-en"
          value={draft.en_us}
          maxLength={200}
          onChange={(e) => {
            setDraft({ ...draft, en_us: e.target.value });
          }}
          onBlur={commit}
          status={draft.en_us.trim() ? undefined : 'error'}
        />
      </Form.Item>
    </div>
  );
}

function ModeField({
  mode,
  onChange,
}: {
  mode: FlowApprovalMode;
  onChange: (mode: FlowApprovalMode) => void;
}) {
  const { t } = useTranslation('consoleFlow');
  const kind = typeof mode === 'string' ? mode : 'ratio';
  return (
    <Form.Item label={t('drawer.mode')}>
      <Radio.Group
        value={kind}
        onChange={(e) => {
          const value = e.target.value as 'or' | 'and' | 'sequential' | 'ratio';
          onChange(value === 'ratio' ? { ratio: 50 } : value);
        }}
        options={(['or', 'and', 'sequential', 'ratio'] as const).map((m) => ({
          value: m,
          label: t(`mode.${m}`),
        }))}
      />
      {typeof mode !== 'string' && (
        <InputNumber
          aria-label={t('drawer.ratio')}
          min={1}
          max={100}
          value={mode.ratio}
          suffix="%"
          onChange={(v) => {
            if (typeof v === 'number' && v >= 1 && v <= 100) onChange({ ratio: Math.round(v) });
          }}
          style={{ marginTop: 8 }}
        />
      )}
    </Form.Item>
  );
}

function RulesEditor({
  rules,
  document,
  onChange,
}: {
  rules: FlowApproverRule[];
  document: FlowDocument;
  onChange: (rules: FlowApproverRule[]) => void;
}) {
  const { t, i18n } = useTranslation('consoleFlow');
  const personFields = document.form
    .filter((f) => f.type === 'user' || f.type === 'employment')
    .map((f) => ({ value: f.api_name, label: localized(f.label, i18n.language) }));
  const replace = (i: number, rule: FlowApproverRule) => {
    onChange(rules.map((r, j) => (j === i ? rule : r)));
  };
  const roleOptions = useRoleOptions();
  const roles = (roleOptions.data?.items ?? []).map((r) => ({
    value: r.role_key,
    label: `${localized(r.name, i18n.language)} (${r.role_key})`,
  }));
  // A rule naming a role the tenant no longer has (or an imported one) still shows its key; the
  // server's validation flags it as unknown.
  const roleChoices = (current: string) =>
    current === '' || roles.some((r) => r.value === current)
      ? roles
      : [...roles, { value: current, label: t('drawer.unknown_role', { role: current }) }];
  return (
    <div className="pf-flow-rules">
      {rules.map((rule, i) => (
        <div key={i} className="pf-flow-rule" role="group" aria-label={t('drawer.rule_n', { n: i + 1 })}>
          <Space wrap align="start">
            <Select<RuleType>
              aria-label={t('drawer.rule_type_n', { n: i + 1 })}
              value={rule.type}
              style={{ width: 200 }}
              options={RULE_TYPES.map((type) => ({ value: type, label: t(`rule.${type}`) }))}
              onChange={(type) => {
                replace(i, newRule(type, document));
              }}
            />
            {(rule.type === 'manager' || rule.type === 'department_leader') && (
              <InputNumber
                aria-label={t('drawer.levels')}
                min={1}
                max={10}
                value={rule.level}
                suffix={t('drawer.levels_unit')}
                onChange={(v) => {
                  if (typeof v === 'number' && v >= 1 && v <= 10)
                    replace(i, { ...rule, level: Math.round(v) });
                }}
              />
            )}
            {rule.type === 'role' && (
              <Select<string>
                aria-label={t('drawer.role_key')}
                placeholder={t('drawer.role_placeholder')}
                value={rule.role_key || undefined}
                style={{ width: 220 }}
                showSearch={{ optionFilterProp: 'label' }}
                loading={roleOptions.isPending}
                options={roleChoices(rule.role_key)}
                notFoundContent={roleOptions.isError ? t('drawer.roles_unavailable') : t('drawer.no_roles')}
                onChange={(roleKey) => {
                  replace(i, { ...rule, role_key: roleKey });
                }}
              />
            )}
            {rule.type === 'form_field' && (
              <Select<string>
                aria-label={t('drawer.person_field')}
                value={rule.field || undefined}
                style={{ width: 200 }}
                options={personFields}
                notFoundContent={t('drawer.no_person_fields')}
                onChange={(field) => {
                  replace(i, { ...rule, field });
                }}
              />
            )}
            <Button
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('drawer.remove_rule_n', { n: i + 1 })}
              onClick={() => {
                onChange(rules.filter((_, j) => j !== i));
              }}
            />
          </Space>
          {rule.type === 'users' && (
            <div style={{ marginTop: 4 }}>
              <PersonPicker
                multiple
                aria-label={t('drawer.users')}
                value={rule.user_ids}
                onChange={(value) => {
                  const ids = value === undefined ? [] : Array.isArray(value) ? value : [value];
                  replace(i, { ...rule, user_ids: ids });
                }}
              />
            </div>
          )}
        </div>
      ))}
      <Button
        icon={<PlusOutlined />}
        onClick={() => {
          onChange([...rules, { type: 'manager', level: 1 }]);
        }}
      >
        {t('drawer.add_rule')}
      </Button>
    </div>
  );
}
