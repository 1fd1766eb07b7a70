import { useState } from 'react';
import { Alert, Button, DatePicker, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FlowFormField } from '@contract';
import type { DraftEditor } from '../flows/draftEditor';
import {
  builderProblems,
  emptyValue,
  fromCel,
  isGroup,
  newRow,
  OPERATORS,
  subjectsOf,
  toCel,
  type ConditionGroup,
  type ConditionRow,
  type Operator,
  type Subject,
} from '../../../lib/conditionBuilder';
import { setCondition } from '../../../lib/flowTree';
import { localized } from '../../../lib/language';
import { DAY_FORMAT, dayValue } from '../../../lib/dateRange';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { useDepartments } from '../../../components/form/queries';
import { useDebounced } from '../../request/queries';
import { useConditionCheck } from './queries';
import { useReturnFocus } from '../flows/useReturnFocus';

/**
 * One branch's condition: the builder (rows, AND / OR, one level of groups) writing type-checked CEL,
 * or raw CEL for experts; both checked live against the unsaved form.
 */
export function ConditionEditor({
  editor,
  blockId,
  branch,
  onClose,
}: {
  editor: DraftEditor;
  blockId: string;
  branch: number;
  onClose: () => void;
}) {
  useReturnFocus();
  const { t } = useTranslation('consoleFlow');
  const form = editor.document.form;
  const gateway = editor.document.nodes.find((n) => n.id === blockId);
  const original = gateway?.type === 'exclusive' ? (gateway.branches[branch]?.condition ?? '') : '';
  const subjects = subjectsOf(form);
  const unset = original === 'false' || original === '';
  const parsed = unset ? { join: 'and' as const, items: [newRow(subjects)] } : fromCel(original, form);
  const [mode, setMode] = useState<'builder' | 'raw'>(parsed ? 'builder' : 'raw');
  const [group, setGroup] = useState<ConditionGroup>(parsed ?? { join: 'and', items: [newRow(subjects)] });
  const [raw, setRaw] = useState(original);
  const [switchNote, setSwitchNote] = useState(false);

  const built = toCel(group, form);
  const expression = mode === 'builder' ? (built ?? '') : raw.trim();
  const settled = useDebounced(expression, 400);
  const check = useConditionCheck(form, settled);
  const checking = settled !== expression || check.isFetching;
  const problem = check.data && !check.data.ok ? check.data.problem : undefined;

  const save = () => {
    if (!expression) return;
    editor.change((doc) => {
      const result = setCondition(doc, blockId, branch, expression);
      return result.ok ? result.document : doc;
    });
    onClose();
  };
  const toRaw = () => {
    setRaw(built ?? raw);
    setMode('raw');
  };
  const toBuilder = () => {
    const back = fromCel(raw.trim(), form);
    if (back) {
      setGroup(back);
      setMode('builder');
      setSwitchNote(false);
    } else setSwitchNote(true);
  };

  return (
    <Modal
      open
      width={760}
      title={t('condition.title', { n: branch + 1 })}
      okText={t('condition.save')}
      cancelText={t('cancel')}
      okButtonProps={{ disabled: !expression || checking || problem !== undefined || editor.readOnly }}
      onOk={save}
      onCancel={onClose}
    >
      <Radio.Group
        value={mode}
        optionType="button"
        onChange={(e) => {
          if (e.target.value === 'raw') toRaw();
          else toBuilder();
        }}
        options={[
          { value: 'builder', label: t('condition.builder') },
          { value: 'raw', label: t('condition.raw') },
        ]}
        style={{ marginBottom: 12 }}
      />
      {switchNote && (
        <Alert type="info" showIcon title={t('condition.cannot_build')} style={{ marginBottom: 12 }} />
      )}
      {mode === 'builder' ? (
        <GroupEditor group={group} subjects={subjects} form={form} nested={false} onChange={setGroup} />
      ) : (
        <Input.TextArea
          aria-label={t('condition.raw_label')}
          value={raw}
          rows={4}
          maxLength={2000}
          spellCheck={false}
          onChange={(e) => {
            setRaw(e.target.value);
          }}
          style={{ fontFamily: 'monospace' }}
        />
      )}
      <div className="pf-flow-cel" aria-live="polite" style={{ marginTop: 12 }}>
        {mode === 'builder' && built === null && (
          <Typography.Text type="warning">
            {t('condition.incomplete', { count: builderProblems(group, form).length })}
          </Typography.Text>
        )}
        {mode === 'builder' && built !== null && (
          <Typography.Text code copyable>
            {built}
          </Typography.Text>
        )}
        {expression && (
          <div style={{ marginTop: 4 }}>
            {checking ? (
              <Typography.Text type="secondary">{t('condition.checking')}</Typography.Text>
            ) : problem ? (
              <Typography.Text type="danger" role="alert">
                {t('condition.problem', { problem })}
              </Typography.Text>
            ) : check.data?.ok ? (
              <Typography.Text style={{ color: '#237804' }}>{t('condition.ok')}</Typography.Text>
            ) : null}
          </div>
        )}
      </div>
    </Modal>
  );
}

function GroupEditor({
  group,
  subjects,
  form,
  nested,
  onChange,
}: {
  group: ConditionGroup;
  subjects: Subject[];
  form: FlowFormField[];
  nested: boolean;
  onChange: (group: ConditionGroup) => void;
}) {
  const { t } = useTranslation('consoleFlow');
  const set = (i: number, item: ConditionRow | ConditionGroup | null) => {
    const items =
      item === null ? group.items.filter((_, j) => j !== i) : group.items.map((x, j) => (j === i ? item : x));
    onChange({ ...group, items });
  };
  return (
    <div
      className={nested ? 'pf-flow-cond-group is-nested' : 'pf-flow-cond-group'}
      role="group"
      aria-label={nested ? t('condition.group') : t('condition.all')}
    >
      <Radio.Group
        size="small"
        value={group.join}
        optionType="button"
        aria-label={t('condition.join')}
        onChange={(e) => {
          onChange({ ...group, join: e.target.value as 'and' | 'or' });
        }}
        options={[
          { value: 'and', label: t('condition.and') },
          { value: 'or', label: t('condition.or') },
        ]}
      />
      {group.items.map((item, i) =>
        isGroup(item) ? (
          <div key={i} className="pf-flow-cond-item">
            <GroupEditor
              group={item}
              subjects={subjects}
              form={form}
              nested
              onChange={(g) => {
                set(i, g.items.length === 0 ? null : g);
              }}
            />
          </div>
        ) : (
          <RowEditor
            key={i}
            n={i + 1}
            row={item}
            subjects={subjects}
            onChange={(r) => {
              set(i, r);
            }}
          />
        ),
      )}
      <Space wrap>
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => {
            onChange({ ...group, items: [...group.items, newRow(subjects)] });
          }}
        >
          {t('condition.add_row')}
        </Button>
        {!nested && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => {
              onChange({
                ...group,
                items: [
                  ...group.items,
                  { join: group.join === 'and' ? 'or' : 'and', items: [newRow(subjects), newRow(subjects)] },
                ],
              });
            }}
          >
            {t('condition.add_group')}
          </Button>
        )}
      </Space>
    </div>
  );
}

function RowEditor({
  n,
  row,
  subjects,
  onChange,
}: {
  n: number;
  row: ConditionRow;
  subjects: Subject[];
  onChange: (row: ConditionRow | null) => void;
}) {
  const { t, i18n } = useTranslation('consoleFlow');
  const subject = subjects.find((s) => s.key === row.subject);
  const subjectLabel = (s: Subject) =>
    s.field
      ? localized(s.field.label, i18n.language)
      : t(`condition.subject.${s.key === 'initiator.user' ? 'initiator_user' : 'initiator_department'}`);
  return (
    <div className="pf-flow-cond-item" role="group" aria-label={t('condition.row_n', { n })}>
      <Space wrap align="start">
        <Select<string>
          aria-label={t('condition.field')}
          value={row.subject}
          style={{ width: 180 }}
          options={subjects.map((s) => ({ value: s.key, label: subjectLabel(s) }))}
          onChange={(key) => {
            const next = subjects.find((s) => s.key === key);
            if (!next) return;
            const operator = OPERATORS[next.type][0] as Operator;
            onChange({ subject: key, operator, value: emptyValue(next.type, operator) });
          }}
        />
        {subject && (
          <Select<Operator>
            aria-label={t('condition.operator')}
            value={row.operator}
            style={{ width: 140 }}
            options={OPERATORS[subject.type].map((op) => ({ value: op, label: t(`condition.op.${op}`) }))}
            onChange={(operator) => {
              const keep =
                (emptyValue(subject.type, operator) === null) === (row.value === null) &&
                Array.isArray(emptyValue(subject.type, operator)) === Array.isArray(row.value);
              onChange({ ...row, operator, value: keep ? row.value : emptyValue(subject.type, operator) });
            }}
          />
        )}
        {subject && (
          <ValueControl
            row={row}
            subject={subject}
            onChange={(value) => {
              onChange({ ...row, value });
            }}
          />
        )}
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t('condition.remove_row_n', { n })}
          onClick={() => {
            onChange(null);
          }}
        />
      </Space>
    </div>
  );
}

function ValueControl({
  row,
  subject,
  onChange,
}: {
  row: ConditionRow;
  subject: Subject;
  onChange: (value: ConditionRow['value']) => void;
}) {
  const { t, i18n } = useTranslation('consoleFlow');
  const departments = useDepartments();
  const label = t('condition.value');
  if (row.value === null) return null;
  const list = Array.isArray(row.value);
  switch (subject.type) {
    case 'number':
      return (
        <InputNumber
          aria-label={label}
          value={typeof row.value === 'number' ? row.value : null}
          onChange={(v) => {
            onChange(typeof v === 'number' ? v : Number.NaN);
          }}
        />
      );
    case 'date':
      return (
        // antd's picker, not <input type="date">: the native one shows the browser's format (mm/dd/yyyy)
        // whatever the page's language.
        <DatePicker
          aria-label={label}
          value={typeof row.value === 'string' ? dayValue(row.value) : null}
          format={DAY_FORMAT}
          onChange={(day: Dayjs | null) => {
            onChange(day ? day.format(DAY_FORMAT) : '');
          }}
        />
      );
    case 'enum': {
      const options = (subject.field?.options ?? []).map((o) => ({
        value: o.value,
        label: localized(o.label, i18n.language),
      }));
      return (
        <Select<string | string[]>
          aria-label={label}
          mode={list ? 'multiple' : undefined}
          value={row.value === '' ? undefined : (row.value as string | string[])}
          style={{ minWidth: 180 }}
          options={options}
          onChange={(v) => {
            onChange(v);
          }}
        />
      );
    }
    case 'user':
      return (
        <div style={{ minWidth: 220 }}>
          <PersonPicker
            aria-label={label}
            multiple={list}
            value={row.value as string | string[]}
            onChange={(v) => {
              onChange(v ?? (list ? [] : ''));
            }}
          />
        </div>
      );
    case 'department':
      return (
        <Select<string | string[]>
          aria-label={label}
          mode={list ? 'multiple' : undefined}
          showSearch={{ optionFilterProp: 'label' }}
          value={row.value === '' ? undefined : (row.value as string | string[])}
          style={{ minWidth: 220 }}
          loading={departments.isLoading}
          options={(departments.data ?? []).map((d) => ({
            value: d.department_id,
            label: localized(d.name, i18n.language),
          }))}
          onChange={(v) => {
            onChange(v);
          }}
        />
      );
    case 'text':
      return list ? (
        <Select<string[]>
          aria-label={label}
          mode="tags"
          value={row.value as string[]}
          style={{ minWidth: 220 }}
          onChange={(v) => {
            onChange(v);
          }}
        />
      ) : (
        <Input
          aria-label={label}
          value={typeof row.value === 'string' ? row.value : ''}
          maxLength={500}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      );
    case 'bool':
      return null;
  }
}
