import { useEffect, useId, useState } from 'react';
import { Button, Collapse, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FlowFormField } from '@contract';
import {
  DEFAULTABLE,
  FIELD_TYPES,
  apiNameProblem,
  duplicateOptions,
  freeApiName,
  patternCompiles,
  withoutUndefined,
} from './formModel';
import { useClearButton } from '../../../components/clearButton';

type I18n = { zh_cn: string; en_us: string };

interface Props {
  field: FlowFormField;
  /** The api names of the other fields at this level (form, or the record's columns). */
  siblings: string[];
  onPatch: (patch: Partial<FlowFormField>) => void;
  onRename: (to: string) => void;
  /** A record column: no nested records. */
  column?: boolean;
}

/** Two text inputs (zh / en) for one I18n property. */
function I18nInputs({
  value,
  onChange,
  label,
  multiline,
}: {
  value: I18n | undefined;
  onChange: (value: I18n) => void;
  label: string;
  multiline?: boolean;
}) {
  const { t } = useTranslation('consoleForm');
  const current = value ?? { zh_cn: '', en_us: '' };
  const Control = multiline ? Input.TextArea : Input;
  return (
    <Form.Item label={label} style={{ marginBottom: 12 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Control
          aria-label={`${label} (${t('lang.zh')})`}
          placeholder={t('lang.zh')}
          value={current.zh_cn}
          maxLength={multiline ? 1000 : 200}
          onChange={(e) => {
            onChange({ ...current, zh_cn: e.target.value });
          }}
        />
        <Control
          aria-label={`${label} (${t('lang.en')})`}
          placeholder={t('lang.en')}
          value={current.en_us}
          maxLength={multiline ? 1000 : 200}
          onChange={(e) => {
            onChange({ ...current, en_us: e.target.value });
          }}
        />
      </Space>
    </Form.Item>
  );
}

/** The api name, checked well-formed and unique as one types; applied when it is both. */
function ApiNameInput({ field, siblings, onRename }: Pick<Props, 'field' | 'siblings' | 'onRename'>) {
  const { t } = useTranslation('consoleForm');
  const [text, setText] = useState(field.api_name);
  const id = useId();
  useEffect(() => {
    setText(field.api_name);
  }, [field.api_name]);
  const problem = apiNameProblem(text, siblings);
  return (
    <Form.Item
      label={t('props.apiName')}
      htmlFor={id}
      validateStatus={problem ? 'error' : undefined}
      help={problem ? t(`props.apiNameProblem.${problem}`) : t('props.apiNameHelp')}
      style={{ marginBottom: 12 }}
    >
      <Input
        id={id}
        value={text}
        maxLength={64}
        aria-invalid={problem !== undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (apiNameProblem(next, siblings) === undefined) onRename(next);
        }}
      />
    </Form.Item>
  );
}

function DefaultInput({ field, onPatch }: Pick<Props, 'field' | 'onPatch'>) {
  const { t, i18n } = useTranslation('consoleForm');
  const clear = useClearButton();
  const label = t('props.default');
  const set = (value: FlowFormField['default']) => {
    onPatch({ default: value === '' ? undefined : value });
  };
  let control: React.ReactNode;
  switch (field.type) {
    case 'bool':
      control = (
        <Select
          aria-label={label}
          allowClear={clear}
          value={field.default === undefined ? undefined : String(field.default)}
          onChange={(v: string | undefined) => {
            set(v === undefined ? undefined : v === 'true');
          }}
          options={[
            { value: 'true', label: t('props.yes') },
            { value: 'false', label: t('props.no') },
          ]}
        />
      );
      break;
    case 'enum':
      control = (
        <Select
          aria-label={label}
          allowClear={clear}
          value={typeof field.default === 'string' ? field.default : undefined}
          onChange={(v: string | undefined) => {
            set(v);
          }}
          options={(field.options ?? []).map((o) => ({
            value: o.value,
            label: i18n.language.startsWith('zh') ? o.label.zh_cn : o.label.en_us,
          }))}
        />
      );
      break;
    case 'list':
      control = (
        <Select
          aria-label={label}
          mode="tags"
          value={Array.isArray(field.default) ? field.default : []}
          onChange={(v: string[]) => {
            set(v.length > 0 ? v : undefined);
          }}
        />
      );
      break;
    case 'text':
    case 'number':
    case 'date':
    case 'date_time':
    case 'i18n':
    case 'user':
    case 'department':
    case 'employment':
    case 'file':
    case 'object':
    case 'record':
      control = (
        <Input
          aria-label={label}
          placeholder={field.type === 'date' ? 'YYYY-MM-DD' : undefined}
          value={typeof field.default === 'string' ? field.default : ''}
          onChange={(e) => {
            set(e.target.value);
          }}
        />
      );
  }
  return (
    <Form.Item label={label} style={{ marginBottom: 12 }}>
      {control}
    </Form.Item>
  );
}

/** Inputs for min/max (number, date, date_time). */
function Bounds({ field, onPatch }: Pick<Props, 'field' | 'onPatch'>) {
  const { t } = useTranslation('consoleForm');
  if (field.type === 'number') {
    const number = (key: 'min' | 'max' | 'precision', extra?: { min: number; max: number }) => (
      <Form.Item label={t(`props.${key}`)} style={{ marginBottom: 12 }}>
        <InputNumber
          aria-label={t(`props.${key}`)}
          style={{ width: '100%' }}
          value={typeof field[key] === 'number' ? field[key] : null}
          min={extra?.min}
          max={extra?.max}
          precision={key === 'precision' ? 0 : undefined}
          onChange={(v: number | null) => {
            onPatch({ [key]: v ?? undefined });
          }}
        />
      </Form.Item>
    );
    const reversed = typeof field.min === 'number' && typeof field.max === 'number' && field.min > field.max;
    return (
      <>
        <Space.Compact block>
          {number('min')}
          {number('max')}
        </Space.Compact>
        {reversed && <Typography.Text type="danger">{t('props.maxBelowMin')}</Typography.Text>}
        {number('precision', { min: 0, max: 10 })}
      </>
    );
  }
  if (field.type === 'date' || field.type === 'date_time') {
    const placeholder = field.type === 'date' ? 'YYYY-MM-DD' : '2026-01-01T09:00:00+08:00';
    const text = (key: 'min' | 'max') => (
      <Form.Item label={t(`props.${key}Date`)} style={{ marginBottom: 12 }}>
        <Input
          aria-label={t(`props.${key}Date`)}
          placeholder={placeholder}
          value={typeof field[key] === 'string' ? field[key] : ''}
          onChange={(e) => {
            onPatch({ [key]: e.target.value === '' ? undefined : e.target.value });
          }}
        />
      </Form.Item>
    );
    return (
      <>
        {text('min')}
        {text('max')}
      </>
    );
  }
  if (field.type === 'text') {
    const length = (key: 'min_length' | 'max_length') => (
      <Form.Item label={t(`props.${key}`)} style={{ marginBottom: 12 }}>
        <InputNumber
          aria-label={t(`props.${key}`)}
          style={{ width: '100%' }}
          min={0}
          max={10000}
          precision={0}
          value={field[key] ?? null}
          onChange={(v: number | null) => {
            onPatch({ [key]: v ?? undefined });
          }}
        />
      </Form.Item>
    );
    const badPattern = field.pattern !== undefined && !patternCompiles(field.pattern);
    return (
      <>
        <Space.Compact block>
          {length('min_length')}
          {length('max_length')}
        </Space.Compact>
        <Form.Item
          label={t('props.pattern')}
          validateStatus={badPattern ? 'error' : undefined}
          help={badPattern ? t('props.patternInvalid') : t('props.patternHelp')}
          style={{ marginBottom: 12 }}
        >
          <Input
            aria-label={t('props.pattern')}
            maxLength={200}
            value={field.pattern ?? ''}
            onChange={(e) => {
              onPatch({ pattern: e.target.value === '' ? undefined : e.target.value });
            }}
          />
        </Form.Item>
      </>
    );
  }
  return null;
}

function OptionsEditor({ field, onPatch }: Pick<Props, 'field' | 'onPatch'>) {
  const { t } = useTranslation('consoleForm');
  const options = field.options ?? [];
  const duplicates = duplicateOptions(options);
  const set = (next: typeof options) => {
    onPatch({ options: next });
  };
  return (
    <fieldset className="pf-form-options" style={{ border: 0, padding: 0, marginBottom: 12 }}>
      <legend style={{ fontSize: 14 }}>{t('props.options')}</legend>
      {options.map((option, i) => (
        <div key={i} style={{ marginBottom: 8 }}>
          <Space.Compact block>
            <Input
              aria-label={t('props.optionValue', { n: i + 1 })}
              status={duplicates.has(i) || option.value === '' ? 'error' : undefined}
              value={option.value}
              placeholder={t('props.value')}
              onChange={(e) => {
                set(options.map((o, j) => (j === i ? { ...o, value: e.target.value } : o)));
              }}
            />
            <Input
              aria-label={t('props.optionZh', { n: i + 1 })}
              value={option.label.zh_cn}
              placeholder={t('lang.zh')}
              onChange={(e) => {
                set(
                  options.map((o, j) =>
                    j === i ? { ...o, label: { ...o.label, zh_cn: e.target.value } } : o,
                  ),
                );
              }}
            />
            <Input
              aria-label={t('props.optionEn', { n: i + 1 })}
              value={option.label.en_us}
              placeholder={t('lang.en')}
              onChange={(e) => {
                set(
                  options.map((o, j) =>
                    j === i ? { ...o, label: { ...o.label, en_us: e.target.value } } : o,
                  ),
                );
              }}
            />
            <Button
              aria-label={t('props.removeOption', { n: i + 1 })}
              icon={<DeleteOutlined />}
              onClick={() => {
                set(options.filter((_, j) => j !== i));
              }}
            />
          </Space.Compact>
          {duplicates.has(i) && (
            <Typography.Text type="danger" role="alert">
              {t('props.duplicateOption', { value: option.value })}
            </Typography.Text>
          )}
        </div>
      ))}
      <Button
        icon={<PlusOutlined />}
        onClick={() => {
          const n = options.length + 1;
          set([...options, { value: `option_${n}`, label: { zh_cn: `选项 ${n}`, en_us: `Option ${n}` } }]);
        }}
      >
        {t('props.addOption')}
      </Button>
    </fieldset>
  );
}

function ColumnsEditor({ field, onPatch }: Pick<Props, 'field' | 'onPatch'>) {
  const { t, i18n } = useTranslation('consoleForm');
  const columns = field.sub_fields ?? [];
  const names = columns.map((c) => c.api_name);
  const set = (next: FlowFormField[]) => {
    onPatch({ sub_fields: next });
  };
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text strong>{t('props.columns')}</Typography.Text>
      <Collapse
        size="small"
        style={{ marginTop: 8 }}
        items={columns.map((column, i) => ({
          key: String(i),
          label: `${i18n.language.startsWith('zh') ? column.label.zh_cn : column.label.en_us} · ${t(`types.${column.type}`)}`,
          extra: (
            <Button
              size="small"
              aria-label={t('props.removeColumn', { name: column.api_name })}
              icon={<DeleteOutlined />}
              disabled={columns.length === 1}
              onClick={(e) => {
                e.stopPropagation();
                set(columns.filter((_, j) => j !== i));
              }}
            />
          ),
          children: (
            <FieldProperties
              column
              field={column}
              siblings={names.filter((_, j) => j !== i)}
              onPatch={(patch) => {
                set(columns.map((c, j) => (j === i ? withoutUndefined({ ...c, ...patch }) : c)));
              }}
              onRename={(to) => {
                set(columns.map((c, j) => (j === i ? { ...c, api_name: to } : c)));
              }}
            />
          ),
        }))}
      />
      <Button
        style={{ marginTop: 8 }}
        icon={<PlusOutlined />}
        onClick={() => {
          set([
            ...columns,
            {
              api_name: freeApiName('text', names),
              label: { zh_cn: '新列', en_us: 'New column' },
              type: 'text',
            },
          ]);
        }}
      >
        {t('props.addColumn')}
      </Button>
    </div>
  );
}

/** Every property of one field (or record column). */
export function FieldProperties({ field, siblings, onPatch, onRename, column }: Props) {
  const { t } = useTranslation('consoleForm');
  return (
    <Form layout="vertical" component="div">
      <ApiNameInput field={field} siblings={siblings} onRename={onRename} />
      {column && (
        <Form.Item label={t('props.type')} style={{ marginBottom: 12 }}>
          <Select
            aria-label={t('props.type')}
            value={field.type}
            onChange={(type: FlowFormField['type']) => {
              onPatch({
                type,
                options:
                  type === 'enum'
                    ? [{ value: 'option_1', label: { zh_cn: '选项 1', en_us: 'Option 1' } }]
                    : undefined,
                default: undefined,
                min: undefined,
                max: undefined,
                precision: undefined,
                min_length: undefined,
                max_length: undefined,
                pattern: undefined,
              });
            }}
            options={FIELD_TYPES.filter((x) => x !== 'record').map((x) => ({
              value: x,
              label: t(`types.${x}`),
            }))}
          />
        </Form.Item>
      )}
      <I18nInputs
        label={t('props.label')}
        value={field.label}
        onChange={(label) => {
          onPatch({ label });
        }}
      />
      <I18nInputs
        multiline
        label={t('props.helpText')}
        value={field.help_text}
        onChange={(help) => {
          onPatch({ help_text: help.zh_cn === '' && help.en_us === '' ? undefined : help });
        }}
      />
      <Form.Item label={t('props.required')} style={{ marginBottom: 12 }}>
        <Switch
          aria-label={t('props.required')}
          checked={field.required ?? false}
          onChange={(required) => {
            onPatch({ required });
          }}
        />
      </Form.Item>
      {DEFAULTABLE.has(field.type) && <DefaultInput field={field} onPatch={onPatch} />}
      <Bounds field={field} onPatch={onPatch} />
      {field.type === 'enum' && <OptionsEditor field={field} onPatch={onPatch} />}
      {field.type === 'record' && !column && <ColumnsEditor field={field} onPatch={onPatch} />}
    </Form>
  );
}
